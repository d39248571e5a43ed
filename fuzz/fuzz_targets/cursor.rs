//! Pagination cursors from a client: anything decodes to an error or to a key that encodes
//! back to a cursor of the same key.
#![no_main]

use albumen::http::pagination::{decode_cursor, encode_cursor};
use libfuzzer_sys::fuzz_target;

type NameKey = (String, uuid::Uuid);
type TimeKey = (chrono::DateTime<chrono::Utc>, uuid::Uuid);

fuzz_target!(|raw: &str| {
    if let Ok(key) = decode_cursor::<NameKey>(raw) {
        assert!(!key.0.contains('\0'));
        assert_eq!(decode_cursor::<NameKey>(&encode_cursor(&key)).ok(), Some(key));
    }
    if let Ok(key) = decode_cursor::<TimeKey>(raw) {
        assert_eq!(decode_cursor::<TimeKey>(&encode_cursor(&key)).ok(), Some(key));
    }
});
