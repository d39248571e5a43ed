//! Photo facts from EXIF (date taken, camera, exposure, GPS), read once at upload from the
//! original's container (JPEG, HEIF/AVIF, PNG, WebP). Variants never carry them. The API
//! shows these types as they are (`images::facts`).

use std::io::Cursor;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use exif::{Exif, Field, In, Reader, Tag, Value};
use serde::Serialize;

/// When a photo was taken, as the camera wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakenAt {
    /// The instant; without an offset, the camera's wall-clock time read as UTC.
    pub utc: DateTime<Utc>,
    /// OffsetTimeOriginal in minutes east of UTC, when the file has one.
    pub offset_minutes: Option<i16>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Camera {
    pub make: Option<String>,
    pub model: Option<String>,
    pub lens: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Exposure {
    pub iso: Option<i32>,
    pub f_number: Option<f64>,
    /// As photographers write it: "1/250", "2.5".
    pub exposure_time: Option<String>,
    pub focal_length_mm: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoFacts {
    pub taken_at: Option<TakenAt>,
    pub camera: Option<Camera>,
    pub exposure: Option<Exposure>,
    pub location: Option<Location>,
}

/// Whatever the file's EXIF says; a file without EXIF (or with broken EXIF) has no facts.
pub fn read(bytes: &[u8]) -> PhotoFacts {
    let Ok(exif) = Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return PhotoFacts::default();
    };
    PhotoFacts {
        taken_at: taken_at(&exif),
        camera: camera(&exif),
        exposure: exposure(&exif),
        location: location(&exif),
    }
}

fn field(exif: &Exif, tag: Tag) -> Option<&Field> {
    exif.get_field(tag, In::PRIMARY)
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &field(exif, tag)?.value {
        Value::Ascii(parts) => parts.first().map(Vec::as_slice),
        _ => None,
    }
}

/// Trimmed printable text, at most 200 characters; empty is none.
fn text(exif: &Exif, tag: Tag) -> Option<String> {
    let raw = ascii(exif, tag)?;
    let text: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn rationals(exif: &Exif, tag: Tag) -> Option<&[exif::Rational]> {
    match &field(exif, tag)?.value {
        Value::Rational(values) => Some(values.as_slice()),
        _ => None,
    }
}

fn rational(exif: &Exif, tag: Tag) -> Option<exif::Rational> {
    rationals(exif, tag)?
        .first()
        .copied()
        .filter(|r| r.denom != 0)
}

fn taken_at(exif: &Exif) -> Option<TakenAt> {
    let mut stamp = exif::DateTime::from_ascii(ascii(exif, Tag::DateTimeOriginal)?).ok()?;
    if let Some(subsec) = ascii(exif, Tag::SubSecTimeOriginal) {
        stamp.parse_subsec(subsec).ok();
    }
    if let Some(offset) = ascii(exif, Tag::OffsetTimeOriginal) {
        stamp.parse_offset(offset).ok();
    }
    let local = NaiveDate::from_ymd_opt(
        i32::from(stamp.year),
        u32::from(stamp.month),
        u32::from(stamp.day),
    )?
    .and_hms_nano_opt(
        u32::from(stamp.hour),
        u32::from(stamp.minute),
        u32::from(stamp.second),
        // Microseconds: what Postgres keeps.
        stamp.nanosecond.unwrap_or(0) / 1000 * 1000,
    )?;
    if !(1..=9999).contains(&chrono::Datelike::year(&local)) {
        return None;
    }
    let offset = stamp.offset.filter(|m| m.abs() < 24 * 60);
    let utc = local - TimeDelta::minutes(i64::from(offset.unwrap_or(0)));
    Some(TakenAt {
        utc: NaiveDateTime::and_utc(&utc),
        offset_minutes: offset,
    })
}

fn camera(exif: &Exif) -> Option<Camera> {
    let camera = Camera {
        make: text(exif, Tag::Make),
        model: text(exif, Tag::Model),
        lens: text(exif, Tag::LensModel),
    };
    (camera != Camera::default()).then_some(camera)
}

fn exposure(exif: &Exif) -> Option<Exposure> {
    let exposure = Exposure {
        iso: field(exif, Tag::PhotographicSensitivity)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|iso| i32::try_from(iso).ok())
            .filter(|iso| *iso > 0),
        f_number: rational(exif, Tag::FNumber).map(|r| round(r.to_f64(), 1)),
        exposure_time: rational(exif, Tag::ExposureTime).and_then(shutter),
        focal_length_mm: rational(exif, Tag::FocalLength).map(|r| round(r.to_f64(), 3)),
    };
    (exposure != Exposure::default()).then_some(exposure)
}

fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

/// An exposure time as a photographer writes it: "1/250" below a second, "2.5" from one up.
pub fn shutter(time: exif::Rational) -> Option<String> {
    if time.num == 0 || time.denom == 0 {
        return None;
    }
    let seconds = time.to_f64();
    if seconds < 1.0 {
        let per_second = (1.0 / seconds).round();
        return Some(format!("1/{per_second}"));
    }
    let rounded = round(seconds, 1);
    Some(if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    })
}

fn location(exif: &Exif) -> Option<Location> {
    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    ((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)).then_some(
        Location {
            latitude,
            longitude,
        },
    )
}

/// Degrees, minutes, seconds and a hemisphere as signed decimal degrees.
fn coordinate(exif: &Exif, tag: Tag, hemisphere: Tag, negative: u8) -> Option<f64> {
    let parts = rationals(exif, tag)?;
    let part = |i: usize| {
        parts
            .get(i)
            .filter(|r| r.denom != 0)
            .map_or(0.0, |r| r.to_f64())
    };
    if parts.is_empty() || parts[0].denom == 0 {
        return None;
    }
    let degrees = part(0) + part(1) / 60.0 + part(2) / 3600.0;
    let sign = match ascii(exif, hemisphere)?.first() {
        Some(c) if c.eq_ignore_ascii_case(&negative) => -1.0,
        Some(_) => 1.0,
        None => return None,
    };
    Some(round(sign * degrees, 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(num: u32, denom: u32) -> exif::Rational {
        exif::Rational { num, denom }
    }

    #[test]
    fn shutter_speeds_read_as_photographers_write_them() {
        assert_eq!(shutter(r(1, 250)).as_deref(), Some("1/250"));
        assert_eq!(shutter(r(10, 2500)).as_deref(), Some("1/250"));
        assert_eq!(shutter(r(1, 3)).as_deref(), Some("1/3"));
        assert_eq!(shutter(r(5, 2)).as_deref(), Some("2.5"));
        assert_eq!(shutter(r(30, 1)).as_deref(), Some("30"));
        assert_eq!(shutter(r(0, 1)), None);
        assert_eq!(shutter(r(1, 0)), None);
    }

    #[test]
    fn a_file_without_exif_has_no_facts() {
        assert_eq!(read(b"\x89PNG\r\n\x1a\nnothing"), PhotoFacts::default());
        assert_eq!(read(b""), PhotoFacts::default());
    }
}
