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
    /// HEIF with HEVC (iPhone photos).
    Heic,
    /// HEIF of another (or unnamed) coding.
    Heif,
    Avif,
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
            [_, _, _, _, b'f', b't', b'y', b'p', ..] => Self::from_ftyp_brands(bytes),
            _ => None,
        }
    }

    /// An ISO-BMFF file is HEIF or AVIF by the brands its `ftyp` box lists (major, then
    /// compatible): AVIF's `avif`/`avis` win, then HEVC's `heic`…, then plain `mif1`/`msf1`.
    fn from_ftyp_brands(bytes: &[u8]) -> Option<Self> {
        let declared = usize::try_from(super::layout::u32_be(bytes, 0)?).ok()?;
        let end = declared.min(bytes.len()).min(4096);
        if end < 16 {
            return None;
        }
        let brands: Vec<&[u8]> = std::iter::once(&bytes[8..12])
            .chain(bytes[16..end].chunks_exact(4))
            .collect();
        let has = |names: &[&[u8; 4]]| brands.iter().any(|b| names.iter().any(|n| *b == *n));
        if has(&[b"avif", b"avis"]) {
            Some(Self::Avif)
        } else if has(&[b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"]) {
            Some(Self::Heic)
        } else if has(&[b"mif1", b"msf1"]) {
            Some(Self::Heif)
        } else {
            None
        }
    }

    /// Decoded by libheif rather than the image crate.
    pub fn is_heif_family(self) -> bool {
        matches!(self, Self::Heic | Self::Heif | Self::Avif)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Heic => "image/heic",
            Self::Heif => "image/heif",
            Self::Avif => "image/avif",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Jpeg => "JPEG",
            Self::Png => "PNG",
            Self::Gif => "GIF",
            Self::Webp => "WebP",
            Self::Heic => "HEIC",
            Self::Heif => "HEIF",
            Self::Avif => "AVIF",
        }
    }

    /// The image crate's decoder for this format; none for the HEIF family (libheif's).
    pub fn image_format(self) -> Option<ImageFormat> {
        match self {
            Self::Jpeg => Some(ImageFormat::Jpeg),
            Self::Png => Some(ImageFormat::Png),
            Self::Gif => Some(ImageFormat::Gif),
            Self::Webp => Some(ImageFormat::WebP),
            Self::Heic | Self::Heif | Self::Avif => None,
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
    fn ftyp_brands_decide_heif_and_avif() {
        let ftyp = |major: &[u8; 4], compatible: &[&[u8; 4]]| {
            let size = 16 + 4 * compatible.len();
            let mut box_ = (size as u32).to_be_bytes().to_vec();
            box_.extend_from_slice(b"ftyp");
            box_.extend_from_slice(major);
            box_.extend_from_slice(&[0; 4]);
            compatible.iter().for_each(|b| box_.extend_from_slice(*b));
            box_
        };
        assert_eq!(
            Format::sniff(&ftyp(b"heic", &[b"mif1", b"heic"])),
            Some(Format::Heic)
        );
        assert_eq!(
            Format::sniff(&ftyp(b"mif1", &[b"heic"])),
            Some(Format::Heic)
        );
        assert_eq!(
            Format::sniff(&ftyp(b"avif", &[b"mif1", b"miaf"])),
            Some(Format::Avif)
        );
        assert_eq!(
            Format::sniff(&ftyp(b"mif1", &[b"avif"])),
            Some(Format::Avif)
        );
        assert_eq!(
            Format::sniff(&ftyp(b"mif1", &[b"miaf"])),
            Some(Format::Heif)
        );
        // MP4 video and QuickTime are ISO-BMFF too, but no image.
        assert_eq!(Format::sniff(&ftyp(b"isom", &[b"iso2", b"mp41"])), None);
        assert_eq!(Format::sniff(&ftyp(b"qt  ", &[])), None);
        assert_eq!(Format::sniff(b"\0\0\0\x08ftyp"), None);
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
