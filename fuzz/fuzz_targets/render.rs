//! Decode and render for every accepted format, exactly as an upload does after inspection:
//! errors are fine, panics and unbounded allocations are not.
#![no_main]

use albumen::imaging::{Format, layout, render};
use libfuzzer_sys::fuzz_target;

/// Small enough that a run stays fast; the walkers make sure a file cannot lie past it.
const LIMIT: u64 = 2_000_000;

fuzz_target!(|bytes: &[u8]| {
    let Some(format) = Format::sniff(bytes) else {
        return;
    };
    if layout::inspect(bytes, format, LIMIT).is_err() {
        return;
    }
    if let Ok(rendered) = render(bytes, format, LIMIT) {
        assert!(!rendered.variants.is_empty());
    }
});
