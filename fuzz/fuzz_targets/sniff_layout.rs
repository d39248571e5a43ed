//! Sniffing and structure walking on any bytes: never a panic, and a layout that passes the
//! pixel check is within the limit for its canvas and its largest frame.
#![no_main]

use albumen::imaging::{Format, layout};
use libfuzzer_sys::fuzz_target;

const LIMIT: u64 = 100_000_000;

fuzz_target!(|bytes: &[u8]| {
    let Some(format) = Format::sniff(bytes) else {
        return;
    };
    if let Ok(found) = layout::inspect(bytes, format, LIMIT) {
        assert!(layout::pixels(found.width, found.height) <= LIMIT);
        assert!(layout::pixels(found.largest.0, found.largest.1) <= LIMIT);
        assert!(found.decode_cost() > 0);
    }
});
