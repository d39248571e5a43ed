//! PNG structure: the size and pixel depth from IHDR, and whole only when the chunks run
//! unbroken to IEND.

use super::layout::{Layout, u32_be};

const SIGNATURE_LEN: usize = 8;

pub fn layout(bytes: &[u8]) -> Option<Layout> {
    let (width, height, bytes_per_pixel) = ihdr(bytes)?;
    ends_with_iend(bytes).then(|| Layout::still(width, height, bytes_per_pixel))
}

/// Width, height and decoded bytes per pixel from IHDR, the first chunk.
pub fn ihdr(bytes: &[u8]) -> Option<(u32, u32, u8)> {
    let header = bytes.get(SIGNATURE_LEN..SIGNATURE_LEN + 21)?;
    if &header[4..8] != b"IHDR" {
        return None;
    }
    let width = u32_be(header, 8)?;
    let height = u32_be(header, 12)?;
    let bit_depth = header[16];
    let channels: u8 = match header[17] {
        0 => 1, // grey
        2 => 3, // RGB
        3 => 4, // palette, expanded (possibly with tRNS alpha)
        4 => 2, // grey + alpha
        6 => 4, // RGBA
        _ => return None,
    };
    let sample_bytes = if bit_depth == 16 { 2 } else { 1 };
    Some((width, height, channels * sample_bytes))
}

/// Every chunk is length, type, data and CRC; a file cut anywhere loses IEND or a chunk's end.
fn ends_with_iend(bytes: &[u8]) -> bool {
    let mut at = SIGNATURE_LEN;
    loop {
        let Some(length) = u32_be(bytes, at) else {
            return false;
        };
        let Some(end) = usize::try_from(length)
            .ok()
            .and_then(|len| at.checked_add(12)?.checked_add(len))
        else {
            return false;
        };
        if end > bytes.len() {
            return false;
        }
        if bytes.get(at + 4..at + 8) == Some(b"IEND") {
            return true;
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, ImageFormat, Rgba, RgbaImage};

    fn png_of(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Png)
            .expect("encode");
        bytes
    }

    #[test]
    fn a_whole_png_gives_its_size_and_depth() {
        let bytes = png_of(DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            30,
            20,
            Rgba([1, 2, 3, 4]),
        )));
        assert_eq!(layout(&bytes), Some(Layout::still(30, 20, 4)));
        let deep = png_of(DynamicImage::ImageRgba16(image::ImageBuffer::new(3, 2)));
        assert_eq!(layout(&deep).map(|l| l.decoded_bytes_per_pixel), Some(8));
    }

    #[test]
    fn the_size_comes_from_ihdr_alone() {
        // what a decompression bomb needs to lie: the first chunk
        let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        header.extend_from_slice(&60_000u32.to_be_bytes());
        header.extend_from_slice(&50_000u32.to_be_bytes());
        header.extend_from_slice(&[8, 6, 0, 0, 0]);
        assert_eq!(ihdr(&header), Some((60_000, 50_000, 4)));
        assert_eq!(ihdr(&header[..20]), None);
    }

    #[test]
    fn a_png_cut_anywhere_is_not_whole() {
        let bytes = png_of(DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            16,
            16,
            Rgba([9, 8, 7, 255]),
        )));
        for cut in 0..bytes.len() {
            assert_eq!(
                layout(&bytes[..cut]),
                None,
                "cut at {cut} of {}",
                bytes.len()
            );
        }
    }
}
