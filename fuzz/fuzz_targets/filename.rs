//! Multipart filenames as stored: never empty, no path separators, nothing invisible, at most
//! 255 characters, and sanitising twice changes nothing.
#![no_main]

use albumen::images::filename::{MAX_CHARS, is_visible, sanitize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let stored = sanitize(Some(raw));
    assert!(!stored.is_empty());
    assert!(stored.chars().count() <= MAX_CHARS);
    assert!(!stored.contains(['/', '\\']));
    assert!(stored.chars().all(is_visible));
    assert_eq!(sanitize(Some(&stored)), stored);
});
