//! `limit` and `cursor` for every listing: keyset pagination with opaque cursors.

use std::num::IntErrorKind;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Null exactly when no item follows.
    pub next_cursor: Option<String>,
}

/// `limit`: absent → 50, above 200 → 200, below 1 → 422, not a number → 400. An integer too
/// big for 64 bits is still an integer above 200.
pub fn parse_limit(raw: Option<&str>) -> Result<i64, ApiError> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_LIMIT);
    };
    let limit: i64 = match raw.trim().parse() {
        Ok(limit) => limit,
        Err(e) if *e.kind() == IntErrorKind::PosOverflow => MAX_LIMIT,
        Err(e) if *e.kind() == IntErrorKind::NegOverflow => i64::MIN,
        Err(_) => {
            return Err(ApiError::BadRequest(format!(
                "limit must be an integer, not {raw:?}"
            )));
        }
    };
    if limit < 1 {
        return Err(ApiError::validation("limit", "must be at least 1"));
    }
    Ok(limit.min(MAX_LIMIT))
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// A cursor we did not make (or made for another listing) is a bad query parameter. Ours never
/// hold U+0000 (names cannot), and a forged one must not reach the database with it.
pub fn decode_cursor<K: DeserializeOwned>(raw: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(raw.trim())
        .ok()
        .filter(|bytes| !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")))
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::BadRequest("cursor is not one this server issued".into()))
}

/// A cursor's time (µs since the epoch). Ours hold real times; a forged one outside years
/// 1–9999 could be beyond what Postgres can compare with (4713 BC), so it is refused here, not
/// by the database.
pub fn cursor_time(micros: i64) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    chrono::DateTime::from_timestamp_micros(micros)
        .filter(|t| (1..=9999).contains(&chrono::Datelike::year(t)))
        .ok_or_else(|| ApiError::BadRequest("cursor is not one this server issued".into()))
}

/// Listings fetch `limit + 1` rows: keep `limit`, and when the extra row exists the cursor
/// points after the last kept one.
pub fn split_page<R, K: Serialize>(
    mut rows: Vec<R>,
    limit: i64,
    key_of: impl Fn(&R) -> K,
) -> (Vec<R>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|last| encode_cursor(&key_of(last)))
    } else {
        None
    };
    (rows, next_cursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_clamps_and_refuses() {
        assert_eq!(parse_limit(None).expect("default"), 50);
        assert_eq!(parse_limit(Some("500")).expect("clamped"), 200);
        assert!(matches!(
            parse_limit(Some("0")),
            Err(ApiError::Validation(_))
        ));
        assert!(matches!(
            parse_limit(Some("-3")),
            Err(ApiError::Validation(_))
        ));
        assert!(matches!(
            parse_limit(Some("abc")),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            parse_limit(Some("")),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn integers_beyond_64_bits_are_clamped_or_refused_like_any_other() {
        assert_eq!(
            parse_limit(Some("256479786673972013170688")).expect("clamped"),
            MAX_LIMIT
        );
        assert!(matches!(
            parse_limit(Some("-256479786673972013170688")),
            Err(ApiError::Validation(_))
        ));
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_bad_request() {
        let cursor = encode_cursor(&("name", 7));
        assert_eq!(
            decode_cursor::<(String, i32)>(&cursor).expect("decodes"),
            ("name".into(), 7)
        );
        assert!(matches!(
            decode_cursor::<(String, i32)>("!!"),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            decode_cursor::<(String, i32)>(&encode_cursor(&1)),
            Err(ApiError::BadRequest(_))
        ));
        assert!(matches!(
            decode_cursor::<(String, i32)>(&encode_cursor(&("a\0b", 7))),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn the_cursor_is_null_exactly_when_nothing_follows() {
        let (kept, cursor) = split_page(vec![1, 2, 3], 2, |r| *r);
        assert_eq!(kept, [1, 2]);
        assert_eq!(
            decode_cursor::<i32>(&cursor.expect("more follow")).expect("decodes"),
            2
        );
        let (kept, cursor) = split_page(vec![1, 2], 2, |r| *r);
        assert_eq!(kept, [1, 2]);
        assert!(cursor.is_none());
    }
}
