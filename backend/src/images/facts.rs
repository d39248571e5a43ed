//! Photo facts between the imaging code, the `images` row and the API: what is stored, and
//! what each viewer is shown (the location is the owner's alone).

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

use crate::db::images::FactColumns;
use crate::imaging::PhotoFacts;
pub use crate::imaging::Placeholder;
pub use crate::imaging::facts::{Camera, Exposure, Location};

/// The facts as one viewer sees them.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub taken_at: Option<String>,
    pub camera: Option<Camera>,
    pub exposure: Option<Exposure>,
    pub location: Option<Location>,
    pub placeholder: Placeholder,
}

/// The columns an upload writes.
pub fn columns(facts: PhotoFacts, placeholder: Placeholder) -> FactColumns {
    let camera = facts.camera.unwrap_or_default();
    let exposure = facts.exposure.unwrap_or_default();
    FactColumns {
        taken_at: facts.taken_at.map(|t| t.utc),
        taken_offset_minutes: facts.taken_at.and_then(|t| t.offset_minutes),
        camera_make: camera.make,
        camera_model: camera.model,
        camera_lens: camera.lens,
        iso: exposure.iso,
        f_number: exposure.f_number,
        exposure_time: exposure.exposure_time,
        focal_length_mm: exposure.focal_length_mm,
        latitude: facts.location.map(|l| l.latitude),
        longitude: facts.location.map(|l| l.longitude),
        thumbhash: placeholder.thumbhash,
        color: placeholder.color,
    }
}

pub fn shown(row: &FactColumns, owner: bool) -> Shown {
    let camera = Camera {
        make: row.camera_make.clone(),
        model: row.camera_model.clone(),
        lens: row.camera_lens.clone(),
    };
    let exposure = Exposure {
        iso: row.iso,
        f_number: row.f_number,
        exposure_time: row.exposure_time.clone(),
        focal_length_mm: row.focal_length_mm,
    };
    let location = match (row.latitude, row.longitude) {
        (Some(latitude), Some(longitude)) if owner => Some(Location {
            latitude,
            longitude,
        }),
        _ => None,
    };
    Shown {
        taken_at: row
            .taken_at
            .map(|t| taken_at_text(t, row.taken_offset_minutes)),
        camera: (camera != Camera::default()).then_some(camera),
        exposure: (exposure != Exposure::default()).then_some(exposure),
        location,
        placeholder: Placeholder {
            thumbhash: row.thumbhash.clone(),
            color: row.color.clone(),
        },
    }
}

/// RFC 3339 in the camera's own offset; with none known, its wall-clock time and the
/// "unknown offset" suffix `-00:00` (RFC 3339 §4.3).
pub fn taken_at_text(utc: DateTime<Utc>, offset_minutes: Option<i16>) -> String {
    match offset_minutes.and_then(|m| FixedOffset::east_opt(i32::from(m) * 60)) {
        Some(offset) => utc
            .with_timezone(&offset)
            .to_rfc3339_opts(SecondsFormat::AutoSi, false),
        None => {
            let wall = utc.to_rfc3339_opts(SecondsFormat::AutoSi, false);
            format!("{}-00:00", wall.trim_end_matches("+00:00"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid")
    }

    #[test]
    fn a_known_offset_is_shown_as_the_camera_wrote_it() {
        // 14:30:05 at +02:00 is 12:30:05 UTC.
        assert_eq!(
            taken_at_text(at(2024, 7, 1, 12, 30, 5), Some(120)),
            "2024-07-01T14:30:05+02:00"
        );
        assert_eq!(
            taken_at_text(at(2024, 7, 1, 12, 30, 5), Some(-300)),
            "2024-07-01T07:30:05-05:00"
        );
        assert_eq!(
            taken_at_text(at(2024, 7, 1, 12, 30, 5), Some(0)),
            "2024-07-01T12:30:05+00:00"
        );
    }

    #[test]
    fn no_offset_is_the_wall_clock_with_the_unknown_offset_suffix() {
        assert_eq!(
            taken_at_text(at(2019, 3, 9, 8, 0, 0), None),
            "2019-03-09T08:00:00-00:00"
        );
    }

    #[test]
    fn visitors_never_see_the_location() {
        let row = FactColumns {
            latitude: Some(48.85),
            longitude: Some(2.35),
            ..FactColumns::default()
        };
        assert!(shown(&row, true).location.is_some());
        assert_eq!(shown(&row, false).location, None);
    }

    #[test]
    fn no_camera_fields_is_no_camera() {
        let shown = shown(&FactColumns::default(), true);
        assert_eq!(shown.camera, None);
        assert_eq!(shown.exposure, None);
        assert_eq!(shown.taken_at, None);
    }
}
