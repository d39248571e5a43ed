//! WebP structure: the canvas (VP8X) or the one bitstream's size, every bitstream's and
//! animation frame's real size, and whole only when the RIFF chunks fill the length the RIFF
//! header declares.

use super::layout::{Layout, u16_le, u24_le, u32_le};

const RIFF_HEADER_LEN: usize = 12;
const CHUNK_HEADER_LEN: usize = 8;
/// Decoded as RGBA.
const DECODED_BYTES_PER_PIXEL: u8 = 4;

pub fn layout(bytes: &[u8]) -> Option<Layout> {
    let declared = usize::try_from(u32_le(bytes, 4)?).ok()?;
    let end = declared.checked_add(CHUNK_HEADER_LEN)?;
    if end > bytes.len() || end < RIFF_HEADER_LEN {
        return None;
    }
    let mut sizes = Sizes::default();
    walk(&bytes[..end], RIFF_HEADER_LEN, &mut sizes)?;
    let (width, height) = sizes.canvas.or(sizes.first_bitstream)?;
    let mut layout = Layout::still(width, height, DECODED_BYTES_PER_PIXEL);
    for (w, h) in sizes.frames {
        layout = layout.with_frame(w, h);
    }
    Some(layout)
}

/// The VP8X canvas, when the first chunk is one.
pub fn declared_canvas(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(RIFF_HEADER_LEN..RIFF_HEADER_LEN + 4)? != b"VP8X" {
        return None;
    }
    let data = RIFF_HEADER_LEN + CHUNK_HEADER_LEN;
    Some((1 + u24_le(bytes, data + 4)?, 1 + u24_le(bytes, data + 7)?))
}

#[derive(Default)]
struct Sizes {
    canvas: Option<(u32, u32)>,
    first_bitstream: Option<(u32, u32)>,
    frames: Vec<(u32, u32)>,
}

/// Walks the chunks from `at` to the end of `bytes`; every chunk must fit.
fn walk(bytes: &[u8], mut at: usize, sizes: &mut Sizes) -> Option<()> {
    while at < bytes.len() {
        let fourcc = bytes.get(at..at + 4)?;
        let size = usize::try_from(u32_le(bytes, at + 4)?).ok()?;
        let data = at + CHUNK_HEADER_LEN;
        let data_end = data.checked_add(size)?;
        if data_end > bytes.len() {
            return None;
        }
        let chunk = &bytes[data..data_end];
        match fourcc {
            b"VP8X" => sizes.canvas = Some((1 + u24_le(chunk, 4)?, 1 + u24_le(chunk, 7)?)),
            b"VP8 " => sizes.bitstream(vp8_size(chunk)?),
            b"VP8L" => sizes.bitstream(vp8l_size(chunk)?),
            b"ANMF" => {
                sizes
                    .frames
                    .push((1 + u24_le(chunk, 6)?, 1 + u24_le(chunk, 9)?));
                walk(chunk, 16, sizes)?;
            }
            _ => {}
        }
        // chunks are padded to an even length; the padding may be the file's last byte
        at = data_end + (size & 1);
    }
    Some(())
}

impl Sizes {
    fn bitstream(&mut self, size: (u32, u32)) {
        self.first_bitstream.get_or_insert(size);
        self.frames.push(size);
    }
}

/// A lossy bitstream: a 3-byte frame tag, the start code, then 14-bit width and height.
fn vp8_size(chunk: &[u8]) -> Option<(u32, u32)> {
    if chunk.get(3..6)? != [0x9D, 0x01, 0x2A] {
        return None;
    }
    let width = u32::from(u16_le(chunk, 6)? & 0x3FFF);
    let height = u32::from(u16_le(chunk, 8)? & 0x3FFF);
    Some((width, height))
}

/// A lossless bitstream: the signature byte, then width−1 and height−1 in 14 bits each.
fn vp8l_size(chunk: &[u8]) -> Option<(u32, u32)> {
    if *chunk.first()? != 0x2F {
        return None;
    }
    let bits = u32_le(chunk, 1)?;
    Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
}

/// WebP settings: quality 0–100 and libwebp's method 0 (fastest) – 6.
#[derive(Debug, Clone, Copy)]
pub struct WebpSettings {
    pub quality: f32,
    pub method: i32,
}

/// Encodes 8-bit sRGB pixels (RGB, or RGBA with `alpha`) as lossy WebP; no metadata.
pub fn encode(
    data: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    settings: WebpSettings,
) -> Result<Vec<u8>, super::ImagingError> {
    let fail = |what: &str| super::ImagingError::Encode(format!("WebP: {what}"));
    let encoder = if alpha {
        webp::Encoder::from_rgba(data, width, height)
    } else {
        webp::Encoder::from_rgb(data, width, height)
    };
    let mut config = webp::WebPConfig::new().map_err(|()| fail("no configuration"))?;
    config.quality = settings.quality;
    config.method = settings.method;
    // Keeps the colour of fully transparent pixels' neighbours from bleeding (and costs bytes
    // only where alpha is used).
    config.exact = 0;
    let encoded = encoder
        .encode_advanced(&config)
        .map_err(|e| fail(&format!("{e:?}")))?;
    Ok(encoded.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::webp::WebPEncoder;
    use image::{ExtendedColorType, Rgba, RgbaImage};

    fn webp_of(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_fn(width, height, |x, y| {
            Rgba([(x * 7 % 256) as u8, (y * 5 % 256) as u8, 90, 255])
        });
        let mut bytes = Vec::new();
        WebPEncoder::new_lossless(&mut bytes)
            .encode(image.as_raw(), width, height, ExtendedColorType::Rgba8)
            .expect("encode");
        bytes
    }

    #[test]
    fn a_whole_webp_gives_its_size() {
        let layout = layout(&webp_of(40, 30)).expect("whole");
        assert_eq!((layout.width, layout.height), (40, 30));
        assert_eq!(layout.largest, (40, 30));
    }

    #[test]
    fn a_canvas_smaller_than_its_bitstream_counts_the_bitstream() {
        // VP8X canvas 1×1 in front of a 40×30 lossless bitstream.
        let plain = webp_of(40, 30);
        let mut vp8x = b"VP8X".to_vec();
        vp8x.extend_from_slice(&10u32.to_le_bytes());
        vp8x.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut bytes = b"RIFF".to_vec();
        let body_len = u32::try_from(4 + vp8x.len() + plain.len() - 12).expect("len");
        bytes.extend_from_slice(&body_len.to_le_bytes());
        bytes.extend_from_slice(b"WEBP");
        bytes.extend_from_slice(&vp8x);
        bytes.extend_from_slice(&plain[12..]);
        let layout = layout(&bytes).expect("whole");
        assert_eq!((layout.width, layout.height), (1, 1));
        assert_eq!(layout.largest, (40, 30));
    }

    #[test]
    fn a_webp_cut_anywhere_is_not_whole() {
        let bytes = webp_of(16, 16);
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
