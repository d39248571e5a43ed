//! JPEG through libjpeg-turbo (the `mozjpeg` crate, in its libjpeg-compatible mode): SIMD
//! decoding with DCT-domain shrink-on-load, and SIMD encoding with the standard tables.
//!
//! libjpeg reports errors by unwinding (the crate's design), so every call is wrapped in
//! `catch_unwind`. Its warnings are how it reports corrupt data it decodes anyway; ours turn
//! them into errors, because a corrupt file is refused even when it could be shown in part.

use std::io::Cursor;
use std::os::raw::c_int;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use image::codecs::jpeg::JpegDecoder;
use image::metadata::Orientation;
use image::{ImageDecoder, RgbImage};
use mozjpeg::{ColorSpace, Compress, Decompress};
use mozjpeg_sys::{jpeg_common_struct, jpeg_error_mgr, msg_parm_union};

use super::ImagingError;

const CORRUPT: ImagingError = ImagingError::Corrupt("JPEG");

/// What the JPEG header says, before any pixel is decoded.
pub struct JpegInfo {
    pub orientation: Orientation,
    pub icc: Option<Vec<u8>>,
}

pub fn read_info(bytes: &[u8]) -> Result<JpegInfo, ImagingError> {
    let mut decoder = JpegDecoder::new(Cursor::new(bytes)).map_err(|_| CORRUPT)?;
    Ok(JpegInfo {
        orientation: decoder.orientation().unwrap_or(Orientation::NoTransforms),
        icc: decoder.icc_profile().ok().flatten(),
    })
}

/// Decoded RGB pixels, possibly scaled down, and the full stored size.
pub struct Decoded {
    pub image: RgbImage,
    pub full_width: u32,
    pub full_height: u32,
}

/// `None` when libjpeg cannot make RGB of it (CMYK, YCCK): another decoder must.
pub fn decode_rgb(bytes: &[u8], min_long_side: u32) -> Result<Option<Decoded>, ImagingError> {
    catch_unwind(AssertUnwindSafe(|| decode_unguarded(bytes, min_long_side)))
        .unwrap_or(Err(CORRUPT))
}

fn decode_unguarded(bytes: &[u8], min_long_side: u32) -> Result<Option<Decoded>, ImagingError> {
    let mut decompress = Decompress::with_err(strict_error_manager())
        .from_mem(bytes)
        .map_err(|_| CORRUPT)?;
    if matches!(
        decompress.color_space(),
        ColorSpace::JCS_CMYK | ColorSpace::JCS_YCCK
    ) {
        return Ok(None);
    }
    let (full_width, full_height) = decompress.size();
    let long = full_width.max(full_height);
    decompress.scale(shrink_numerator(long, min_long_side));
    let mut started = decompress.rgb().map_err(|_| CORRUPT)?;
    let (width, height) = (started.width(), started.height());
    let mut pixels = vec![0u8; width * height * 3];
    started
        .read_scanlines_into(&mut pixels)
        .map_err(|_| CORRUPT)?;
    started.finish().map_err(|_| CORRUPT)?;
    let to_u32 = |n: usize| u32::try_from(n).map_err(|_| CORRUPT);
    let image = RgbImage::from_raw(to_u32(width)?, to_u32(height)?, pixels).ok_or(CORRUPT)?;
    Ok(Some(Decoded {
        image,
        full_width: to_u32(full_width)?,
        full_height: to_u32(full_height)?,
    }))
}

/// The smallest of 8/8, 4/8, 2/8, 1/8 (the scales libjpeg-turbo has SIMD for) that keeps the
/// long side at least `min_long_side`: the largest variant is then resized from there.
pub fn shrink_numerator(long_side: usize, min_long_side: u32) -> u8 {
    let min = usize::try_from(min_long_side).unwrap_or(usize::MAX);
    [1u8, 2, 4]
        .into_iter()
        .find(|&n| long_side * usize::from(n) / 8 >= min)
        .unwrap_or(8)
}

/// Baseline JPEG at `quality` with 4:2:0 chroma and the standard (Annex K) tables; no metadata
/// but the JFIF header.
pub fn encode_rgb(
    pixels: &[u8],
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>, ImagingError> {
    let failed = || ImagingError::Encode("the JPEG encoder failed".into());
    catch_unwind(AssertUnwindSafe(|| {
        let mut compress = Compress::new(ColorSpace::JCS_RGB);
        compress.set_fastest_defaults();
        compress.set_size(width as usize, height as usize);
        compress.set_quality(f32::from(quality));
        compress.set_chroma_sampling_pixel_sizes((2, 2), (2, 2));
        let estimate = pixels.len() / 10;
        let mut started = compress
            .start_compress(Vec::with_capacity(estimate))
            .map_err(|_| failed())?;
        started.write_scanlines(pixels).map_err(|_| failed())?;
        started.finish().map_err(|_| failed())
    }))
    .unwrap_or_else(|_| Err(failed()))
}

/// libjpeg's error manager, with warnings (corrupt data) fatal like errors. Every callback is
/// ours, so its message tables are never read.
fn strict_error_manager() -> jpeg_error_mgr {
    jpeg_error_mgr {
        error_exit: Some(fail),
        emit_message: Some(fail_on_warning),
        output_message: Some(ignore),
        format_message: Some(no_text),
        reset_error_mgr: Some(ignore),
        msg_code: 0,
        msg_parm: msg_parm_union::default(),
        trace_level: 0,
        num_warnings: 0,
        jpeg_message_table: std::ptr::null(),
        last_jpeg_message: 0,
        addon_message_table: std::ptr::null(),
        first_addon_message: 0,
        last_addon_message: 0,
    }
}

extern "C-unwind" fn fail(_cinfo: &mut jpeg_common_struct) {
    resume_unwind(Box::new("libjpeg error"));
}

/// Level -1 is a warning: libjpeg met corrupt data and carried on.
extern "C-unwind" fn fail_on_warning(_cinfo: &mut jpeg_common_struct, level: c_int) {
    if level < 0 {
        resume_unwind(Box::new("corrupt JPEG data"));
    }
}

extern "C-unwind" fn ignore(_cinfo: &mut jpeg_common_struct) {}

extern "C-unwind" fn no_text(_cinfo: &mut jpeg_common_struct, _buffer: &[u8; 80]) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(width: u32, height: u32) -> Vec<u8> {
        let pixels: Vec<u8> = (0..width * height)
            .flat_map(|i| [(i % 251) as u8, (i / width % 256) as u8, 90])
            .collect();
        encode_rgb(&pixels, width, height, 90).expect("encodes")
    }

    #[test]
    fn shrink_on_load_keeps_the_long_side_at_least_the_target() {
        assert_eq!(shrink_numerator(6028, 2048), 4);
        assert_eq!(shrink_numerator(12_000, 2048), 2);
        assert_eq!(shrink_numerator(4096, 2048), 4);
        assert_eq!(shrink_numerator(4095, 2048), 8);
        assert_eq!(shrink_numerator(20_000, 2048), 1);
        assert_eq!(shrink_numerator(1000, 2048), 8);
    }

    #[test]
    fn decoding_scales_in_the_dct_domain_and_reports_the_full_size() {
        let decoded = decode_rgb(&photo(4400, 1200), 2048)
            .expect("decodes")
            .expect("rgb");
        assert_eq!((decoded.full_width, decoded.full_height), (4400, 1200));
        assert_eq!(decoded.image.dimensions(), (2200, 600));
    }

    #[test]
    fn encoded_jpegs_use_the_standard_quality_85_tables() {
        let bytes = encode_rgb(&[128; 16 * 16 * 3], 16, 16, 85).expect("encodes");
        let at = bytes
            .windows(2)
            .position(|w| w == [0xFF, 0xDB])
            .expect("DQT");
        // Annex K luminance, zigzag order, scaled by libjpeg's q85 factor (30 %).
        let expected: Vec<u8> = [16u32, 11, 12, 14, 12, 10, 16, 14]
            .iter()
            .map(|q| ((q * 30 + 50) / 100) as u8)
            .collect();
        assert_eq!(&bytes[at + 5..at + 13], expected.as_slice());
    }

    #[test]
    fn corrupt_scan_data_is_refused_not_shown_in_part() {
        let mut bytes = photo(256, 256);
        let scan = bytes
            .windows(2)
            .position(|w| w == [0xFF, 0xDA])
            .expect("SOS")
            + 40;
        // A marker in the middle of the entropy-coded data: libjpeg would pad with grey.
        bytes[scan] = 0xFF;
        bytes[scan + 1] = 0xD9;
        assert!(decode_rgb(&bytes, 2048).is_err());
    }
}
