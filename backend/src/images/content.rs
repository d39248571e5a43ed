//! Serving stored bytes: who may, how long caches may keep them, and which bytes (Range).

use std::ops::Range;

use crate::auth::Viewer;
use crate::db::images::ImageInAlbum;
use crate::error::ApiError;
use crate::imaging::Size;

/// What the request carried in the way of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    Absent,
    Valid,
    /// Forged, tampered, expired, or for another image or size.
    Invalid,
}

/// Why the bytes may be sent; it decides how long caches may keep them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Signed,
    Owner,
    Public,
}

impl Grant {
    pub fn cache_control(self) -> &'static str {
        match self {
            // The bytes behind a URL never change; the URL itself expires.
            Grant::Signed => "private, max-age=31536000, immutable",
            Grant::Owner => "private, no-cache",
            // The album may turn private again; keep shared copies short-lived.
            Grant::Public => "public, max-age=300",
        }
    }
}

/// A signature, when present, must be valid (else 401, whoever asks). Without one, the owner's
/// token opens everything, and a public album opens all but the original to anyone.
pub fn authorize(
    found: Option<&ImageInAlbum>,
    size: Size,
    viewer: Viewer,
    signature: Signature,
) -> Result<Grant, ApiError> {
    match signature {
        Signature::Valid => return found.map(|_| Grant::Signed).ok_or(ApiError::NotFound),
        Signature::Invalid => {
            return Err(ApiError::Unauthorized(
                "the URL's signature is invalid or has expired".into(),
            ));
        }
        Signature::Absent => {}
    }
    let public_readable =
        |image: &ImageInAlbum| image.album_visibility == "public" && size != Size::Original;
    match (viewer, found) {
        (Viewer::User(user), Some(image)) if image.album_owner == user => Ok(Grant::Owner),
        (_, Some(image)) if public_readable(image) => Ok(Grant::Public),
        (Viewer::User(_), _) => Err(ApiError::NotFound),
        (Viewer::Anonymous, _) => Err(ApiError::unauthorized()),
    }
}

/// The outcome of a `Range` header against an object of `length` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ranged {
    Full,
    Partial(Range<u64>),
    Unsatisfiable,
}

/// One byte range (`a-b`, `a-`, `-n`). Several ranges, other units or nonsense are ignored
/// and the whole object is sent, as RFC 9110 allows.
pub fn parse_range(header: Option<&str>, length: u64) -> Ranged {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ranged::Full;
    };
    if spec.contains(',') {
        return Ranged::Full;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Ranged::Full;
    };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    match (start.trim().is_empty(), number(start), number(end)) {
        // bytes=-n: the last n bytes
        (true, _, Some(suffix)) => {
            if suffix == 0 || length == 0 {
                Ranged::Unsatisfiable
            } else {
                Ranged::Partial(length.saturating_sub(suffix)..length)
            }
        }
        (false, Some(first), last) if end.trim().is_empty() || last.is_some() => {
            if first >= length {
                return Ranged::Unsatisfiable;
            }
            let stop = last.map_or(length, |last| last.saturating_add(1).min(length));
            if stop <= first {
                return Ranged::Full;
            }
            Ranged::Partial(first..stop)
        }
        _ => Ranged::Full,
    }
}

/// `If-None-Match` against our strong ETag (weak comparison, as RFC 9110 says for it).
pub fn none_match(header: Option<&str>, etag: &str) -> bool {
    header.is_some_and(|value| {
        value
            .split(',')
            .map(str::trim)
            .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
    })
}

/// `If-Range`: the range applies only when the client's validator still matches.
pub fn if_range_holds(header: Option<&str>, etag: &str) -> bool {
    header.is_none_or(|value| value.trim() == etag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    use crate::db::images::ImageRow;

    fn image(owner: Uuid, visibility: &str) -> ImageInAlbum {
        ImageInAlbum {
            image: ImageRow {
                id: Uuid::now_v7(),
                owner_id: owner,
                album_id: Uuid::now_v7(),
                filename: "a.jpg".into(),
                content_type: "image/jpeg".into(),
                width: 1,
                height: 1,
                bytes: 1,
                sha256: String::new(),
                stored_bytes: 1,
                created_at: chrono::Utc::now(),
                facts: Default::default(),
            },
            album_owner: owner,
            album_visibility: visibility.into(),
        }
    }

    fn status(found: Option<&ImageInAlbum>, size: Size, viewer: Viewer, sig: Signature) -> u16 {
        use actix_web::ResponseError;
        match authorize(found, size, viewer, sig) {
            Ok(_) => 200,
            Err(e) => e.status_code().as_u16(),
        }
    }

    #[test]
    fn the_content_access_table() {
        let owner = Uuid::now_v7();
        let me = Viewer::User(owner);
        let other = Viewer::User(Uuid::now_v7());
        let private = image(owner, "private");
        let public = image(owner, "public");
        use Signature::{Absent, Invalid, Valid};
        use Size::{Original, Thumb};
        use Viewer::Anonymous;
        let table = [
            (Some(&private), Thumb, me, Absent, 200, "owner by token"),
            (
                Some(&private),
                Original,
                me,
                Absent,
                200,
                "owner gets the original",
            ),
            (
                Some(&private),
                Thumb,
                other,
                Absent,
                404,
                "no existence leak",
            ),
            (
                Some(&private),
                Thumb,
                Anonymous,
                Absent,
                401,
                "no credentials",
            ),
            (
                Some(&private),
                Original,
                Anonymous,
                Valid,
                200,
                "a valid signature",
            ),
            (
                Some(&private),
                Thumb,
                me,
                Invalid,
                401,
                "a bad signature, even for the owner",
            ),
            (None, Thumb, Anonymous, Valid, 404, "signed but deleted"),
            (
                Some(&public),
                Thumb,
                Anonymous,
                Absent,
                200,
                "public variant",
            ),
            (
                Some(&public),
                Original,
                Anonymous,
                Absent,
                401,
                "public original is the owner's",
            ),
            (
                Some(&public),
                Original,
                other,
                Absent,
                404,
                "signed-in stranger, original",
            ),
            (
                Some(&public),
                Thumb,
                Anonymous,
                Invalid,
                401,
                "never the bytes for a bad signature",
            ),
            (None, Thumb, other, Absent, 404, "missing"),
            (
                None,
                Thumb,
                Anonymous,
                Absent,
                401,
                "missing, no credentials",
            ),
        ];
        for (found, size, viewer, sig, expected, why) in table {
            assert_eq!(status(found, size, viewer, sig), expected, "{why}");
        }
    }

    #[test]
    fn single_ranges_are_honoured() {
        assert_eq!(
            parse_range(Some("bytes=0-99"), 1000),
            Ranged::Partial(0..100)
        );
        assert_eq!(
            parse_range(Some("bytes=900-"), 1000),
            Ranged::Partial(900..1000)
        );
        assert_eq!(
            parse_range(Some("bytes=-100"), 1000),
            Ranged::Partial(900..1000)
        );
        assert_eq!(
            parse_range(Some("bytes=990-5000"), 1000),
            Ranged::Partial(990..1000)
        );
        assert_eq!(
            parse_range(Some("bytes=-5000"), 1000),
            Ranged::Partial(0..1000)
        );
    }

    #[test]
    fn impossible_ranges_are_unsatisfiable_and_odd_ones_ignored() {
        assert_eq!(
            parse_range(Some("bytes=1000-"), 1000),
            Ranged::Unsatisfiable
        );
        assert_eq!(parse_range(Some("bytes=-0"), 1000), Ranged::Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 1000), Ranged::Full);
        assert_eq!(parse_range(Some("items=0-1"), 1000), Ranged::Full);
        assert_eq!(parse_range(Some("bytes=abc"), 1000), Ranged::Full);
        assert_eq!(parse_range(Some("bytes=5-2"), 1000), Ranged::Full);
        assert_eq!(parse_range(None, 1000), Ranged::Full);
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists() {
        assert!(none_match(Some("\"abc\""), "\"abc\""));
        assert!(none_match(Some("W/\"abc\""), "\"abc\""));
        assert!(none_match(Some("\"x\", \"abc\""), "\"abc\""));
        assert!(none_match(Some("*"), "\"abc\""));
        assert!(!none_match(Some("\"abd\""), "\"abc\""));
        assert!(!none_match(None, "\"abc\""));
    }
}
