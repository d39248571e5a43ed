//! What a file is, decided by its bytes alone; and whether a JPEG is whole.

use std::io::Cursor;

use image::{ImageFormat, ImageReader};

use super::ImagingError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
}

impl Format {
    /// Magic numbers only: the name and the client's content type are never trusted.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Self::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Self::Png),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(Self::Gif),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(Self::Webp),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Gif => "GIF",
            Self::Webp => "WebP",
        }
    }

    pub fn image_format(self) -> ImageFormat {
        match self {
            Self::Jpeg => ImageFormat::Jpeg,
            Self::Png => ImageFormat::Png,
            Self::Gif => ImageFormat::Gif,
            Self::Webp => ImageFormat::WebP,
        }
    }
}

/// A JPEG's width and height from its frame header, without decoding a pixel. (The other
/// formats' sizes come from walking their structure: see `layout`.)
pub fn jpeg_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    ImageReader::with_format(Cursor::new(bytes), ImageFormat::Jpeg)
        .into_dimensions()
        .ok()
}

/// Refuses files whose pixel count is over `limit`, before any pixel is decoded.
pub fn check_pixels(width: u32, height: u32, limit: u64) -> Result<(), ImagingError> {
    if u64::from(width) * u64::from(height) > limit {
        return Err(ImagingError::TooManyPixels {
            width,
            height,
            limit,
        });
    }
    Ok(())
}

/// Lenient decoders show a truncated JPEG with a grey bottom; we refuse it. A JPEG is whole
/// when an end-of-image marker follows its first scan (entropy-coded data never holds an
/// unescaped 0xFF 0xD9).
pub fn check_complete(bytes: &[u8], format: Format) -> Result<(), ImagingError> {
    if format != Format::Jpeg {
        return Ok(());
    }
    let truncated = ImagingError::Corrupt(format.name());
    let scan = first_scan_offset(bytes).ok_or_else(|| truncated.clone())?;
    if bytes[scan..].windows(2).any(|w| w == [0xFF, 0xD9]) {
        Ok(())
    } else {
        Err(truncated)
    }
}

/// Walks the JPEG marker segments to the start of the first scan (SOS).
fn first_scan_offset(bytes: &[u8]) -> Option<usize> {
    let mut at = 2; // after SOI
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while *bytes.get(at)? == 0xFF && *bytes.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        at += 2;
        match marker {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        let next = at.checked_add(length)?;
        if marker == 0xDA {
            return (next <= bytes.len()).then_some(next);
        }
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_decide_the_type() {
        assert_eq!(Format::sniff(b"\xFF\xD8\xFF\xE0rest"), Some(Format::Jpeg));
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\nrest"), Some(Format::Png));
        assert_eq!(Format::sniff(b"GIF89a..."), Some(Format::Gif));
        assert_eq!(Format::sniff(b"GIF87a..."), Some(Format::Gif));
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(
            Format::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(Format::sniff(b"hello, I am text named photo.jpg"), None);
        assert_eq!(Format::sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(Format::sniff(b""), None);
    }

    #[test]
    fn pixel_limits_are_checked_on_the_product() {
        assert!(check_pixels(10_000, 10_000, 100_000_000).is_ok());
        assert!(check_pixels(10_001, 10_000, 100_000_000).is_err());
        assert!(check_pixels(60_000, 60_000, 100_000_000).is_err());
    }

    #[test]
    fn a_jpeg_without_its_end_marker_is_truncated() {
        // SOI, an APP0 of length 4, SOS of length 3 with one data byte, EOI.
        let whole = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 1, 2, 0xFF, 0xDA, 0, 3, 0, 0x55, 0xFF, 0xD9,
        ];
        assert!(check_complete(&whole, Format::Jpeg).is_ok());
        assert!(check_complete(&whole[..14], Format::Jpeg).is_err());
        assert!(check_complete(&whole[..6], Format::Jpeg).is_err());
    }

    #[test]
    fn an_end_marker_inside_exif_does_not_make_a_truncated_jpeg_whole() {
        // The APP1 segment holds an embedded thumbnail's EOI; the scan has none.
        let file = [
            0xFF, 0xD8, 0xFF, 0xE1, 0, 4, 0xFF, 0xD9, 0xFF, 0xDA, 0, 3, 0, 0x55, 0x66,
        ];
        assert!(check_complete(&file, Format::Jpeg).is_err());
    }
}
