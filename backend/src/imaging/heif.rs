//! HEIC/HEIF and AVIF through the system libheif: the size a file declares (read from its
//! boxes, no pixel decoded), the decode (tiles of an iPhone grid image assembled, `irot`/`imir`
//! applied by libheif, 10-bit brought to 8), its colour profile, and AVIF encoding with libaom.
//!
//! The EXIF Orientation tag inside a HEIF file is ignored on purpose: iPhones write both it and
//! `irot`, and `irot` is what HEIF readers obey.

use libheif_rs::{
    Channel, ColorPrimaries, ColorSpace, CompressionFormat, EncoderParameterValue, EncoderQuality,
    HeifContext, Image, ImageHandle, LibHeif, RgbChroma,
};
use moxcms::ColorProfile;

use super::ImagingError;
use super::layout::Layout;
use super::sniff::Format;

/// What libheif holds at its peak per pixel: the coded planes (10-bit takes two bytes a
/// sample), their RGB conversion, and our tight copy.
const DECODED_BYTES_PER_PIXEL: u8 = 12;

/// Pixels as decoded: 8-bit RGB, or RGBA when the image has an alpha plane.
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
    pub profile: Option<ColorProfile>,
}

fn corrupt(format: Format) -> impl Fn(libheif_rs::HeifError) -> ImagingError {
    move |_| ImagingError::Corrupt(format.name())
}

fn primary(context: &HeifContext<'_>, format: Format) -> Result<ImageHandle, ImagingError> {
    context.primary_image_handle().map_err(corrupt(format))
}

/// The largest image size the file's `ispe` boxes declare (the primary, a grid's tiles),
/// read by walking `meta`/`iprp`/`ipco` before libheif parses anything: a header that claims a
/// huge size gets the pixel answer, not libheif's own refusal.
pub fn declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let meta = child(bytes, b"meta")?;
    // `meta` is a full box: version and flags come first.
    let ipco = child(child(meta.get(4..)?, b"iprp")?, b"ipco")?;
    boxes(ipco)
        .filter(|(kind, _)| kind == b"ispe")
        .filter_map(|(_, body)| {
            let w = super::layout::u32_be(body, 4)?;
            let h = super::layout::u32_be(body, 8)?;
            Some((w, h))
        })
        .max_by_key(|(w, h)| u64::from(*w) * u64::from(*h))
}

/// The body of the first box of `kind` among `bytes`' boxes.
fn child<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(bytes).find(|(k, _)| k == kind).map(|(_, body)| body)
}

/// ISO-BMFF boxes one after another: (type, body). Stops at the first that does not fit.
fn boxes(bytes: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let size = super::layout::u32_be(bytes, at)?;
        let kind: [u8; 4] = bytes.get(at + 4..at + 8)?.try_into().ok()?;
        let (header, length) = match size {
            0 => (8, bytes.len() - at),
            1 => {
                let large = u64::from(super::layout::u32_be(bytes, at + 8)?) << 32
                    | u64::from(super::layout::u32_be(bytes, at + 12)?);
                (16, usize::try_from(large).ok()?)
            }
            n => (8, usize::try_from(n).ok()?),
        };
        let end = at.checked_add(length)?;
        let body = bytes.get(at + header..end)?;
        at = end;
        Some((kind, body))
    })
}

/// The displayed size (after `irot`) from the file's boxes.
pub fn layout(bytes: &[u8], format: Format) -> Result<Layout, ImagingError> {
    let context = HeifContext::read_from_bytes(bytes).map_err(corrupt(format))?;
    let handle = primary(&context, format)?;
    Ok(Layout::still(
        handle.width(),
        handle.height(),
        DECODED_BYTES_PER_PIXEL,
    ))
}

/// The primary image, oriented, as 8-bit RGB(A). Callers check the pixel limit first (`layout`).
pub fn decode(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Decoded, ImagingError> {
    let context = HeifContext::read_from_bytes(bytes).map_err(corrupt(format))?;
    let handle = primary(&context, format)?;
    super::sniff::check_pixels(handle.width(), handle.height(), max_pixels)?;
    let alpha = handle.has_alpha_channel();
    let bits = handle.luma_bits_per_pixel();
    // Deeper than 8 bits (10-bit AVIF, HDR HEIC): decoded as 16-bit samples and scaled down
    // here. (libheif's own `convert_hdr_to_8bit` option also drops irot in libheif 1.15.)
    let deep = bits > 8;
    let chroma = match (alpha, deep) {
        (false, false) => RgbChroma::Rgb,
        (true, false) => RgbChroma::Rgba,
        (false, true) => RgbChroma::HdrRgbLe,
        (true, true) => RgbChroma::HdrRgbaLe,
    };
    let image = LibHeif::new()
        .decode(&handle, ColorSpace::Rgb(chroma), None)
        .map_err(corrupt(format))?;
    let channels = if alpha { 4 } else { 3 };
    let data = if deep {
        tight_copy_deep(&image, channels, bits)
    } else {
        tight_copy(&image, channels)
    }
    .ok_or(ImagingError::Corrupt(format.name()))?;
    Ok(Decoded {
        width: image.width(),
        height: image.height(),
        alpha,
        data,
        profile: profile(&handle),
    })
}

/// The interleaved plane without its row padding.
fn tight_copy(image: &Image, channels: usize) -> Option<Vec<u8>> {
    let planes = image.planes();
    let plane = planes.interleaved?;
    let row = plane.width as usize * channels;
    let mut data = Vec::with_capacity(row * plane.height as usize);
    for y in 0..plane.height as usize {
        data.extend_from_slice(plane.data.get(y * plane.stride..y * plane.stride + row)?);
    }
    Some(data)
}

/// The interleaved 16-bit plane (samples of `bits` bits, little-endian) as tight 8-bit samples.
fn tight_copy_deep(image: &Image, channels: usize, bits: u8) -> Option<Vec<u8>> {
    let planes = image.planes();
    let plane = planes.interleaved?;
    let max = (1u32 << bits.min(16)) - 1;
    let row = plane.width as usize * channels * 2;
    let mut data = Vec::with_capacity(row / 2 * plane.height as usize);
    for y in 0..plane.height as usize {
        let samples = plane.data.get(y * plane.stride..y * plane.stride + row)?;
        data.extend(samples.chunks_exact(2).map(|s| {
            let v = u32::from(u16::from_le_bytes([s[0], s[1]])).min(max);
            ((v * 255 + max / 2) / max) as u8
        }));
    }
    Some(data)
}

/// The embedded ICC profile, else the wide-gamut primaries an `nclx` box names (Display P3,
/// BT.2020); none for sRGB/BT.709 or unspecified.
fn profile(handle: &ImageHandle) -> Option<ColorProfile> {
    if let Some(icc) = handle.color_profile_raw() {
        return ColorProfile::new_from_slice(&icc.data).ok();
    }
    match handle.color_profile_nclx()?.color_primaries() {
        ColorPrimaries::SMPTE_EG_432_1 => Some(ColorProfile::new_display_p3()),
        ColorPrimaries::ITU_R_BT_2020_2_and_2100_0 => Some(ColorProfile::new_bt2020()),
        _ => None,
    }
}

/// AVIF settings: quality 0–100 and libaom's speed 0 (slowest) – 9.
#[derive(Debug, Clone, Copy)]
pub struct AvifSettings {
    pub quality: u8,
    pub speed: u8,
}

/// Encodes 8-bit sRGB pixels (RGB, or RGBA with `alpha`) as AVIF, 4:2:0.
pub fn encode_avif(
    data: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    settings: AvifSettings,
) -> Result<Vec<u8>, ImagingError> {
    let fail = |e: libheif_rs::HeifError| ImagingError::Encode(format!("AVIF: {e}"));
    let channels = if alpha { 4 } else { 3 };
    let chroma = if alpha {
        RgbChroma::Rgba
    } else {
        RgbChroma::Rgb
    };
    let mut image = Image::new(width, height, ColorSpace::Rgb(chroma)).map_err(fail)?;
    image
        .create_plane(Channel::Interleaved, width, height, 8)
        .map_err(fail)?;
    {
        let mut planes = image.planes_mut();
        let plane = planes
            .interleaved
            .as_mut()
            .ok_or_else(|| ImagingError::Encode("AVIF: no plane".into()))?;
        let row = width as usize * channels;
        for (y, source) in data.chunks_exact(row).enumerate() {
            let start = y * plane.stride;
            plane.data[start..start + row].copy_from_slice(source);
        }
    }
    let lib = LibHeif::new();
    let mut encoder = lib
        .encoder_for_format(CompressionFormat::Av1)
        .map_err(fail)?;
    encoder
        .set_quality(EncoderQuality::Lossy(settings.quality))
        .map_err(fail)?;
    encoder
        .set_parameter_value(
            "speed",
            EncoderParameterValue::Int(i32::from(settings.speed)),
        )
        .map_err(fail)?;
    encoder
        .set_parameter_value("chroma", EncoderParameterValue::String("420".into()))
        .map_err(fail)?;
    let mut context = HeifContext::new().map_err(fail)?;
    context
        .encode_image(&image, &mut encoder, None)
        .map_err(fail)?;
    context.write_to_bytes().map_err(fail)
}
