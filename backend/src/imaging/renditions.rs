//! WebP and AVIF renditions of the four resized sizes: the same decode and cascade as the
//! upload's variants (so the same sRGB pixels), encoded by libwebp and libaom instead of
//! mozjpeg. Made by a background job, never while an upload waits.

use super::heif::{self, AvifSettings};
use super::pipeline::{self, Pixels, RenderOptions, Transparency};
use super::webp::{self, WebpSettings};
use super::{ImagingError, Rendition, Size};
use crate::imaging::Format;

/// The encoders' settings, from the renditions benchmark (BENCHMARKS.md): about the JPEG q85
/// variant's SSIMULACRA2 score (measured 2026-12-03: WebP q92 and AVIF q88 bracket it).
#[derive(Debug, Clone, Copy)]
pub struct RenditionSettings {
    pub webp: WebpSettings,
    pub avif: AvifSettings,
}

impl Default for RenditionSettings {
    fn default() -> Self {
        Self {
            webp: WebpSettings {
                quality: 90.0,
                method: 4,
            },
            avif: AvifSettings {
                quality: 84,
                speed: 7,
            },
        }
    }
}

#[derive(Debug)]
pub struct EncodedRendition {
    pub size: Size,
    pub rendition: Rendition,
    pub bytes: Vec<u8>,
}

/// Decodes `bytes` once and encodes each size as each of `renditions`.
pub fn render_renditions(
    bytes: &[u8],
    format: Format,
    max_pixels: u64,
    renditions: &[Rendition],
    settings: RenditionSettings,
) -> Result<Vec<EncodedRendition>, ImagingError> {
    let options = RenderOptions {
        max_pixels,
        transparency: Transparency::Keep,
    };
    let mut encoded = Vec::with_capacity(Size::CASCADE.len() * renditions.len());
    pipeline::cascade(bytes, format, options, |size, pixels| {
        for &rendition in renditions {
            encoded.push(EncodedRendition {
                size,
                rendition,
                bytes: encode(rendition, pixels, settings)?,
            });
        }
        Ok(())
    })?;
    Ok(encoded)
}

/// One size as the benchmark measures it: the pixels every encoder got (the reference for
/// SSIMULACRA2), the primary variant and each rendition, with encode times.
pub struct SizeSample {
    pub size: Size,
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    /// 8-bit sRGB, RGB or RGBA.
    pub reference: Vec<u8>,
    pub primary: Vec<u8>,
    pub primary_secs: f64,
    pub renditions: Vec<(Rendition, Vec<u8>, f64)>,
}

/// The renditions benchmark's view of `render_renditions` (same cascade, same encoders).
pub fn benchmark_sizes(
    bytes: &[u8],
    format: Format,
    max_pixels: u64,
    settings: RenditionSettings,
) -> Result<Vec<SizeSample>, ImagingError> {
    let options = RenderOptions {
        max_pixels,
        transparency: Transparency::Keep,
    };
    let mut samples = Vec::new();
    pipeline::cascade(bytes, format, options, |size, pixels| {
        let timed = |f: &dyn Fn() -> Result<Vec<u8>, ImagingError>| {
            let start = std::time::Instant::now();
            f().map(|bytes| (bytes, start.elapsed().as_secs_f64()))
        };
        let (primary, primary_secs) = timed(&|| Ok(pipeline::encode(size, pixels)?.bytes))?;
        let mut renditions = Vec::new();
        for rendition in Rendition::ALL {
            let (encoded, secs) = timed(&|| encode(rendition, pixels, settings))?;
            renditions.push((rendition, encoded, secs));
        }
        samples.push(SizeSample {
            size,
            width: pixels.width,
            height: pixels.height,
            alpha: pixels.alpha,
            reference: pixels.data.clone(),
            primary,
            primary_secs,
            renditions,
        });
        Ok(())
    })?;
    Ok(samples)
}

pub(super) fn encode(
    rendition: Rendition,
    pixels: &Pixels,
    settings: RenditionSettings,
) -> Result<Vec<u8>, ImagingError> {
    let Pixels {
        width,
        height,
        alpha,
        data,
    } = pixels;
    match rendition {
        Rendition::Webp => webp::encode(data, *width, *height, *alpha, settings.webp),
        Rendition::Avif => heif::encode_avif(data, *width, *height, *alpha, settings.avif),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};
    use std::io::Cursor;

    fn png(image: DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encode");
        bytes
    }

    #[test]
    fn every_size_gets_a_webp_and_an_avif_of_its_own_dimensions() {
        let source = png(DynamicImage::ImageRgb8(RgbImage::from_fn(
            700,
            350,
            |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]),
        )));
        let made = render_renditions(
            &source,
            Format::Png,
            100_000_000,
            &Rendition::ALL,
            RenditionSettings::default(),
        )
        .expect("renders");
        assert_eq!(made.len(), 8);
        for encoded in &made {
            let (w, h) = crate::imaging::fit(700, 350, encoded.size.bound().expect("resized"));
            match encoded.rendition {
                Rendition::Webp => {
                    let image = image::load_from_memory_with_format(
                        &encoded.bytes,
                        image::ImageFormat::WebP,
                    )
                    .expect("WebP decodes");
                    assert_eq!((image.width(), image.height()), (w, h));
                }
                Rendition::Avif => {
                    assert_eq!(Format::sniff(&encoded.bytes), Some(Format::Avif));
                    let decoded = heif::decode(&encoded.bytes, Format::Avif, 100_000_000)
                        .expect("AVIF decodes");
                    assert_eq!((decoded.width, decoded.height), (w, h));
                }
            }
        }
    }

    #[test]
    fn transparency_survives_in_both_renditions() {
        let source = png(DynamicImage::ImageRgba8(RgbaImage::from_fn(
            64,
            64,
            |x, _| Rgba([255, 0, 0, if x < 32 { 0 } else { 255 }]),
        )));
        let made = render_renditions(
            &source,
            Format::Png,
            100_000_000,
            &Rendition::ALL,
            RenditionSettings::default(),
        )
        .expect("renders");
        let thumb_avif = made
            .iter()
            .find(|e| e.size == Size::Thumb && e.rendition == Rendition::Avif)
            .expect("avif thumb");
        let decoded = heif::decode(&thumb_avif.bytes, Format::Avif, 100_000_000).expect("decodes");
        assert!(decoded.alpha);
        let thumb_webp = made
            .iter()
            .find(|e| e.size == Size::Thumb && e.rendition == Rendition::Webp)
            .expect("webp thumb");
        let image = image::load_from_memory(&thumb_webp.bytes).expect("decodes");
        assert!(image.color().has_alpha());
    }
}
