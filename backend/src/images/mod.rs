//! Images and their variants.

use serde::Serialize;

/// One stored rendition of an image, reachable at `url` with no header (signed, expiring).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Variant {
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
    pub content_type: String,
}
