//! Pixels: what a file is (by its bytes), and the one decode that makes every variant.
//!
//! Everything here is plain, synchronous Rust; `pool` runs it on the dedicated rayon pool.

pub mod facts;
pub mod gif;
pub mod heif;
pub mod jpeg;
pub mod layout;
pub mod pipeline;
pub mod placeholder;
pub mod png;
pub mod pool;
pub mod renditions;
pub mod sniff;
pub mod webp;

use std::fmt;
use std::str::FromStr;

pub use facts::PhotoFacts;
pub use layout::Layout;
pub use pipeline::{Encoded, RenderOptions, Rendered, Transparency, render, render_with};
pub use placeholder::Placeholder;
pub use pool::ImagingPool;
pub use renditions::{EncodedRendition, RenditionSettings, render_renditions};
pub use sniff::Format;

/// The renditions of an image. All but `original` are made here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Size {
    Thumb,
    Small,
    Medium,
    Large,
    Original,
}

impl Size {
    pub const ALL: [Size; 5] = [
        Size::Thumb,
        Size::Small,
        Size::Medium,
        Size::Large,
        Size::Original,
    ];

    /// Largest first: each is made from the one before it.
    pub const CASCADE: [Size; 4] = [Size::Large, Size::Medium, Size::Small, Size::Thumb];

    /// The square a variant must fit within; `None` for the original.
    pub fn bound(self) -> Option<u32> {
        match self {
            Size::Thumb => Some(300),
            Size::Small => Some(640),
            Size::Medium => Some(1280),
            Size::Large => Some(2048),
            Size::Original => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Size::Thumb => "thumb",
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
            Size::Original => "original",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Size {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Size::ALL
            .into_iter()
            .find(|size| size.as_str() == s)
            .ok_or(())
    }
}

/// A resized size's other encodings, made in the background after the upload answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rendition {
    Webp,
    Avif,
}

impl Rendition {
    pub const ALL: [Rendition; 2] = [Rendition::Webp, Rendition::Avif];

    pub fn as_str(self) -> &'static str {
        match self {
            Rendition::Webp => "webp",
            Rendition::Avif => "avif",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Rendition::Webp => "image/webp",
            Rendition::Avif => "image/avif",
        }
    }
}

impl fmt::Display for Rendition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Rendition {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Rendition::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImagingError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "not an accepted image type: only JPEG, PNG, GIF, WebP, HEIC/HEIF and AVIF are accepted"
    )]
    Unsupported,
    #[error("the {0} file is corrupt or truncated")]
    Corrupt(&'static str),
    #[error("the image is {width}×{height} pixels, over the limit of {limit} pixels")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("the server is busy making variants; retry shortly")]
    Busy,
    #[error("the image could not be processed")]
    Panicked,
    #[error("encoding a variant failed: {0}")]
    Encode(String),
}

/// Fits `width`×`height` within a `bound` square, keeping the aspect ratio and never upscaling:
/// the long side is exactly `bound` (when it was larger), the short side rounded.
pub fn fit(width: u32, height: u32, bound: u32) -> (u32, u32) {
    if width <= bound && height <= bound {
        return (width, height);
    }
    let scale = |short: u32, long: u32| {
        let scaled = (f64::from(short) * f64::from(bound) / f64::from(long)).round();
        // In range by construction: short < long and the result is at most `bound`.
        (scaled as u32).max(1)
    };
    if width >= height {
        (bound, scale(height, width))
    } else {
        (scale(width, height), bound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_the_aspect_ratio_with_an_exact_long_side() {
        assert_eq!(fit(6028, 3391, 2048), (2048, 1152));
        assert_eq!(fit(3391, 6028, 300), (169, 300));
        assert_eq!(fit(4000, 4000, 640), (640, 640));
    }

    #[test]
    fn fit_never_upscales() {
        assert_eq!(fit(120, 80, 300), (120, 80));
        assert_eq!(fit(1365, 1074, 2048), (1365, 1074));
    }

    #[test]
    fn fit_never_makes_a_zero_side() {
        assert_eq!(fit(10_000, 1, 300), (300, 1));
    }

    #[test]
    fn sizes_round_trip_through_their_names() {
        for size in Size::ALL {
            assert_eq!(size.as_str().parse::<Size>(), Ok(size));
        }
        assert!("huge".parse::<Size>().is_err());
    }
}
