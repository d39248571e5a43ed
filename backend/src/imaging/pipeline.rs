//! One decode, then a cascade: large from the source, medium from large, small from medium,
//! thumb from small. Opaque images become JPEG q85 (8-bit sRGB); images with real transparency
//! keep it as PNG. Encoders here write no metadata, so no EXIF or GPS survives.

use std::io::Cursor;

use fast_image_resize::images::{Image as ResizedImage, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::metadata::Orientation;
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageReader};
use moxcms::{ColorProfile, Layout, TransformOptions};

use super::placeholder::{self, Placeholder};
use super::sniff::{self, Format};
use super::{ImagingError, Size, fit};
use super::{heif, jpeg};

pub const JPEG_QUALITY: u8 = 85;
const JPEG: &str = "image/jpeg";
const PNG: &str = "image/png";

/// The variants made from one upload, and its displayed size.
#[derive(Debug)]
pub struct Rendered {
    /// As displayed: EXIF orientation applied.
    pub width: u32,
    pub height: u32,
    /// `thumb`, `small`, `medium` and `large`, largest first.
    pub variants: Vec<Encoded>,
    pub placeholder: Placeholder,
}

#[derive(Debug)]
pub struct Encoded {
    pub size: Size,
    pub width: u32,
    pub height: u32,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// 8-bit pixels, RGB when opaque, RGBA when some pixel is not fully opaque.
pub(super) struct Pixels {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) alpha: bool,
    pub(super) data: Vec<u8>,
}

/// How transparency is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transparency {
    /// Images with real transparency keep it (PNG variants): what uploads get.
    Keep,
    /// Composite onto white and make JPEGs: the benchmark peers' rule.
    FlattenOnWhite,
}

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub max_pixels: u64,
    pub transparency: Transparency,
}

/// Decodes `bytes` once and makes the four variants, as uploads need them.
pub fn render(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Rendered, ImagingError> {
    render_with(
        bytes,
        format,
        RenderOptions {
            max_pixels,
            transparency: Transparency::Keep,
        },
    )
}

/// `render`, with the choices the benchmark varies.
pub fn render_with(
    bytes: &[u8],
    format: Format,
    options: RenderOptions,
) -> Result<Rendered, ImagingError> {
    let mut variants = Vec::with_capacity(Size::CASCADE.len());
    let mut placeholder = None;
    let (width, height) = cascade(bytes, format, options, |size, pixels| {
        variants.push(encode(size, pixels)?);
        if size == Size::Thumb {
            placeholder = Some(placeholder_of(pixels)?);
        }
        Ok(())
    })?;
    Ok(Rendered {
        width,
        height,
        variants,
        placeholder: placeholder.ok_or_else(|| ImagingError::Encode("no thumb".into()))?,
    })
}

/// Decodes `bytes` once and hands each size's sRGB pixels to `visit`, largest first (each
/// size made from the one before it). Answers the size as displayed.
pub(super) fn cascade(
    bytes: &[u8],
    format: Format,
    options: RenderOptions,
    mut visit: impl FnMut(Size, &Pixels) -> Result<(), ImagingError>,
) -> Result<(u32, u32), ImagingError> {
    sniff::check_complete(bytes, format)?;
    let decoded = decode(bytes, format, options.max_pixels)?;
    let (width, height) = (decoded.width, decoded.height);
    let mut colour_pending = decoded.profile;
    let mut current = Pixels::from_image(decoded.image);
    if options.transparency == Transparency::FlattenOnWhite {
        current = current.flattened_on_white();
    }
    let mut resizer = Resizer::new();
    for size in Size::CASCADE {
        let bound = size.bound().unwrap_or(u32::MAX);
        let (w, h) = fit(width, height, bound);
        if (w, h) != (current.width, current.height) {
            current = resize(&mut resizer, &current, w, h)?;
        }
        // Converting once, at the largest variant, costs a fraction of converting the source.
        if let Some(profile) = colour_pending.take() {
            current = to_srgb(current, &profile);
        }
        visit(size, &current)?;
    }
    Ok((width, height))
}

/// The thumb's placeholder, from a copy that fits ThumbHash's 100-pixel limit.
fn placeholder_of(thumb: &Pixels) -> Result<Placeholder, ImagingError> {
    let (w, h) = fit(thumb.width, thumb.height, placeholder::MAX_SIDE);
    let small = resize(&mut Resizer::new(), thumb, w, h)?;
    let rgba: Vec<u8> = if small.alpha {
        small.data
    } else {
        small
            .data
            .chunks_exact(3)
            .flat_map(|px| [px[0], px[1], px[2], u8::MAX])
            .collect()
    };
    Ok(placeholder::of_rgba(w, h, &rgba))
}

/// A decoded image, oriented for display; possibly smaller than the file (shrink-on-load).
struct Source {
    image: DynamicImage,
    /// The full size as displayed: what the API reports and the variants are fitted to.
    width: u32,
    height: u32,
    /// The embedded colour profile, when not sRGB already.
    profile: Option<ColorProfile>,
}

fn decode(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Source, ImagingError> {
    if format.is_heif_family() {
        return decode_heif(bytes, format, max_pixels);
    }
    if format == Format::Jpeg {
        let info = jpeg::read_info(bytes)?;
        let largest = Size::Large.bound().unwrap_or(u32::MAX);
        if let Some(decoded) = jpeg::decode_rgb(bytes, largest)? {
            let mut image = DynamicImage::ImageRgb8(decoded.image);
            image.apply_orientation(info.orientation);
            let (width, height) =
                oriented(decoded.full_width, decoded.full_height, info.orientation);
            return Ok(Source {
                image,
                width,
                height,
                profile: parse_icc(info.icc),
            });
        }
    }
    decode_full(bytes, format, max_pixels)
}

/// HEIC and AVIF: libheif decodes and orients (irot/imir).
fn decode_heif(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Source, ImagingError> {
    let decoded = heif::decode(bytes, format, max_pixels)?;
    let corrupt = || ImagingError::Corrupt(format.name());
    let (width, height) = (decoded.width, decoded.height);
    let image = if decoded.alpha {
        DynamicImage::ImageRgba8(
            image::RgbaImage::from_raw(width, height, decoded.data).ok_or_else(corrupt)?,
        )
    } else {
        DynamicImage::ImageRgb8(
            image::RgbImage::from_raw(width, height, decoded.data).ok_or_else(corrupt)?,
        )
    };
    Ok(Source {
        image,
        width,
        height,
        profile: decoded.profile,
    })
}

/// A profile we cannot use (greyscale, broken) is as good as none: the pixels stay as they
/// are, still a picture, just not colour-managed.
fn parse_icc(icc: Option<Vec<u8>>) -> Option<ColorProfile> {
    ColorProfile::new_from_slice(&icc?).ok()
}

/// Width and height after `orientation`: quarter turns swap them.
fn oriented(width: u32, height: u32, orientation: Orientation) -> (u32, u32) {
    match orientation {
        Orientation::Rotate90
        | Orientation::Rotate270
        | Orientation::Rotate90FlipH
        | Orientation::Rotate270FlipH => (height, width),
        _ => (width, height),
    }
}

/// Any format, through the image crate, at full size.
fn decode_full(bytes: &[u8], format: Format, max_pixels: u64) -> Result<Source, ImagingError> {
    let corrupt = |_| ImagingError::Corrupt(format.name());
    let decoder_format = format.image_format().ok_or(ImagingError::Unsupported)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), decoder_format);
    // A second fence after the header check: no allocation beyond what the pixel limit allows.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let profile = parse_icc(decoder.icc_profile().ok().flatten());
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(Source {
        width: image.width(),
        height: image.height(),
        image,
        profile,
    })
}

impl Pixels {
    fn from_image(image: DynamicImage) -> Self {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            let rgba = image.into_rgba8();
            let transparent = rgba.as_raw().chunks_exact(4).any(|px| px[3] != u8::MAX);
            let data = if transparent {
                rgba.into_raw()
            } else {
                DynamicImage::ImageRgba8(rgba).into_rgb8().into_raw()
            };
            return Self {
                width,
                height,
                alpha: transparent,
                data,
            };
        }
        Self {
            width,
            height,
            alpha: false,
            data: image.into_rgb8().into_raw(),
        }
    }

    /// Alpha composited onto white: opaque RGB.
    fn flattened_on_white(self) -> Self {
        if !self.alpha {
            return self;
        }
        let data = self
            .data
            .chunks_exact(4)
            .flat_map(|px| {
                let alpha = u16::from(px[3]);
                let over_white =
                    |c: u8| ((u16::from(c) * alpha + 255 * (255 - alpha) + 127) / 255) as u8;
                [over_white(px[0]), over_white(px[1]), over_white(px[2])]
            })
            .collect();
        Self {
            alpha: false,
            data,
            ..self
        }
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }
}

fn resize(
    resizer: &mut Resizer,
    source: &Pixels,
    width: u32,
    height: u32,
) -> Result<Pixels, ImagingError> {
    let fail = |e: &dyn std::fmt::Display| ImagingError::Encode(format!("resize: {e}"));
    let src = ImageRef::new(
        source.width,
        source.height,
        &source.data,
        source.pixel_type(),
    )
    .map_err(|e| fail(&e))?;
    let mut dst = ResizedImage::new(width, height, source.pixel_type());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    resizer
        .resize(&src, &mut dst, &options)
        .map_err(|e| fail(&e))?;
    Ok(Pixels {
        width,
        height,
        alpha: source.alpha,
        data: dst.into_vec(),
    })
}

/// Converts from an embedded colour profile to sRGB. A profile moxcms cannot transform from
/// leaves the pixels as they are.
fn to_srgb(pixels: Pixels, profile: &ColorProfile) -> Pixels {
    let layout = if pixels.alpha {
        Layout::Rgba
    } else {
        Layout::Rgb
    };
    let Ok(transform) = profile.create_transform_8bit(
        layout,
        &ColorProfile::new_srgb(),
        layout,
        TransformOptions::default(),
    ) else {
        return pixels;
    };
    let mut converted = vec![0; pixels.data.len()];
    match transform.transform(&pixels.data, &mut converted) {
        Ok(()) => Pixels {
            data: converted,
            ..pixels
        },
        Err(_) => pixels,
    }
}

pub(super) fn encode(size: Size, pixels: &Pixels) -> Result<Encoded, ImagingError> {
    let mut bytes = Vec::with_capacity(pixels.data.len() / 8);
    let content_type = if pixels.alpha {
        PngEncoder::new_with_quality(&mut bytes, CompressionType::Fast, PngFilter::Adaptive)
            .write_image(
                &pixels.data,
                pixels.width,
                pixels.height,
                ExtendedColorType::Rgba8,
            )
            .map_err(|e| ImagingError::Encode(e.to_string()))?;
        PNG
    } else {
        bytes = jpeg::encode_rgb(&pixels.data, pixels.width, pixels.height, JPEG_QUALITY)?;
        JPEG
    };
    Ok(Encoded {
        size,
        width: pixels.width,
        height: pixels.height,
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage, Rgba, RgbaImage};

    fn png(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encode");
        bytes
    }

    fn decoded(bytes: &[u8]) -> DynamicImage {
        image::load_from_memory(bytes).expect("variant decodes")
    }

    #[test]
    fn a_large_opaque_image_gives_four_jpegs_within_their_bounds() {
        let source = png(DynamicImage::ImageRgb8(RgbImage::from_fn(
            3000,
            1500,
            |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]),
        )));
        let rendered = render(&source, Format::Png, 100_000_000).expect("renders");
        assert_eq!((rendered.width, rendered.height), (3000, 1500));
        let dims: Vec<_> = rendered
            .variants
            .iter()
            .map(|v| (v.size, v.width, v.height))
            .collect();
        assert_eq!(
            dims,
            [
                (Size::Large, 2048, 1024),
                (Size::Medium, 1280, 640),
                (Size::Small, 640, 320),
                (Size::Thumb, 300, 150)
            ]
        );
        for variant in &rendered.variants {
            assert_eq!(variant.content_type, JPEG);
            let image = decoded(&variant.bytes);
            assert_eq!(
                (image.width(), image.height()),
                (variant.width, variant.height)
            );
        }
    }

    #[test]
    fn real_transparency_is_kept_as_png() {
        let source = png(DynamicImage::ImageRgba8(RgbaImage::from_fn(
            400,
            200,
            |x, _| Rgba([255, 0, 0, if x < 200 { 0 } else { 255 }]),
        )));
        let rendered = render(&source, Format::Png, 100_000_000).expect("renders");
        for variant in &rendered.variants {
            assert_eq!(variant.content_type, PNG);
            assert!(decoded(&variant.bytes).color().has_alpha());
        }
    }

    #[test]
    fn flattening_composites_transparency_onto_white() {
        let source = png(DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            40,
            40,
            Rgba([0, 0, 0, 0]),
        )));
        let options = RenderOptions {
            max_pixels: 100_000_000,
            transparency: Transparency::FlattenOnWhite,
        };
        let rendered = render_with(&source, Format::Png, options).expect("renders");
        let thumb = decoded(&rendered.variants[3].bytes).to_rgb8();
        assert_eq!(rendered.variants[3].content_type, JPEG);
        assert!(thumb.get_pixel(20, 20).0.iter().all(|c| *c > 250), "white");
    }

    #[test]
    fn a_fully_opaque_alpha_channel_counts_as_opaque() {
        let source = png(DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            50,
            50,
            Rgba([1, 2, 3, 255]),
        )));
        let rendered = render(&source, Format::Png, 100_000_000).expect("renders");
        assert!(rendered.variants.iter().all(|v| v.content_type == JPEG));
    }

    #[test]
    fn garbage_after_a_valid_header_is_corrupt() {
        let mut source = png(DynamicImage::ImageRgb8(RgbImage::new(64, 64)));
        let cut = source.len() / 2;
        source.truncate(cut);
        assert_eq!(
            render(&source, Format::Png, 100_000_000).err(),
            Some(ImagingError::Corrupt("PNG"))
        );
    }
}
