//! What decoding a file will really take, read from its structure before a pixel is decoded:
//! the size it shows, the largest surface its decoder allocates (a GIF frame or a WebP
//! bitstream can be far larger than the canvas its header announces), and whether the file is
//! whole. One walker per codec (`png`, `gif`, `webp`; libheif reads HEIF's boxes); JPEG has one
//! frame and its own check.

use super::sniff::Format;
use super::{ImagingError, gif, heif, png, webp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The size as stored (before EXIF orientation): what the API reports.
    pub width: u32,
    pub height: u32,
    /// The largest width×height the decoder allocates: the canvas or a bigger frame.
    pub largest: (u32, u32),
    /// Bytes a decoded pixel of `largest` takes in the decoder (a 16-bit RGBA PNG: 8).
    pub decoded_bytes_per_pixel: u8,
}

impl Layout {
    pub fn still(width: u32, height: u32, decoded_bytes_per_pixel: u8) -> Self {
        Self {
            width,
            height,
            largest: (width, height),
            decoded_bytes_per_pixel,
        }
    }

    /// Grows `largest` to a frame of `width`×`height` when that frame is bigger.
    pub fn with_frame(mut self, width: u32, height: u32) -> Self {
        if pixels(width, height) > pixels(self.largest.0, self.largest.1) {
            self.largest = (width, height);
        }
        self
    }

    /// Bytes decoding and rendering will hold at their peak: the decoder's surface, plus the
    /// canvas as RGBA and the resize and encode buffers.
    pub fn decode_cost(&self) -> u64 {
        const WORKING_BYTES_PER_PIXEL: u64 = 5;
        let (w, h) = self.largest;
        pixels(w, h) * u64::from(self.decoded_bytes_per_pixel)
            + pixels(self.width, self.height) * WORKING_BYTES_PER_PIXEL
    }
}

pub fn pixels(width: u32, height: u32) -> u64 {
    u64::from(width) * u64::from(height)
}

/// The layout of a sniffed file; a truncated or malformed structure is `Corrupt`.
pub fn read(bytes: &[u8], format: Format) -> Result<Layout, ImagingError> {
    let corrupt = ImagingError::Corrupt(format.name());
    let layout = match format {
        Format::Jpeg => super::sniff::jpeg_dimensions(bytes).map(|(w, h)| Layout::still(w, h, 3)),
        Format::Png => png::layout(bytes),
        Format::Gif => gif::layout(bytes),
        Format::Webp => webp::layout(bytes),
        Format::Heic | Format::Heif | Format::Avif => Some(heif::layout(bytes, format)?),
    };
    let layout = layout.ok_or(corrupt)?;
    if layout.width == 0 || layout.height == 0 {
        return Err(ImagingError::Corrupt(format.name()));
    }
    Ok(layout)
}

/// What the file is and what decoding it takes, refused early: a size its header declares over
/// `limit` is refused before the rest is walked (a header-only bomb gets the pixel answer, not
/// "truncated"), then the walked canvas and every frame are held to the limit too.
pub fn inspect(bytes: &[u8], format: Format, limit: u64) -> Result<Layout, ImagingError> {
    if let Some((width, height)) = declared_size(bytes, format) {
        super::sniff::check_pixels(width, height, limit)?;
    }
    let layout = read(bytes, format)?;
    check_pixels(&layout, limit)?;
    Ok(layout)
}

/// The size the first header states, if the file gets that far.
fn declared_size(bytes: &[u8], format: Format) -> Option<(u32, u32)> {
    match format {
        Format::Jpeg => super::sniff::jpeg_dimensions(bytes),
        Format::Png => png::ihdr(bytes).map(|(w, h, _)| (w, h)),
        Format::Gif => Some((u32::from(u16_le(bytes, 6)?), u32::from(u16_le(bytes, 8)?))),
        Format::Webp => webp::declared_canvas(bytes),
        Format::Heic | Format::Heif | Format::Avif => heif::declared_size(bytes),
    }
}

/// Refuses a layout whose canvas or any frame is over `limit` pixels.
pub fn check_pixels(layout: &Layout, limit: u64) -> Result<(), ImagingError> {
    super::sniff::check_pixels(layout.width, layout.height, limit)?;
    super::sniff::check_pixels(layout.largest.0, layout.largest.1, limit)
}

/// Little helpers for the walkers: bounds-checked reads that answer `None` past the end.
pub(super) fn u16_le(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

pub(super) fn u24_le(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

pub(super) fn u32_le(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

pub(super) fn u32_be(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}
