//! GIF structure: the logical screen, every frame's real size (a frame may be far larger than
//! the screen its header announces), and whole only when the block structure runs to the
//! trailer.

use super::layout::{Layout, u16_le};

const HEADER_LEN: usize = 6;
const SCREEN_DESCRIPTOR_LEN: usize = 7;
const EXTENSION: u8 = 0x21;
const IMAGE_DESCRIPTOR: u8 = 0x2C;
const TRAILER: u8 = 0x3B;
/// The decoder turns indexed pixels into RGBA.
const DECODED_BYTES_PER_PIXEL: u8 = 4;

pub fn layout(bytes: &[u8]) -> Option<Layout> {
    let width = u32::from(u16_le(bytes, HEADER_LEN)?);
    let height = u32::from(u16_le(bytes, HEADER_LEN + 2)?);
    let packed = *bytes.get(HEADER_LEN + 4)?;
    let mut at = HEADER_LEN + SCREEN_DESCRIPTOR_LEN + colour_table_len(packed);
    let mut layout = Layout::still(width, height, DECODED_BYTES_PER_PIXEL);
    let mut frames = 0usize;
    loop {
        match *bytes.get(at)? {
            EXTENSION => at = skip_sub_blocks(bytes, at.checked_add(2)?)?,
            IMAGE_DESCRIPTOR => {
                let frame_width = u32::from(u16_le(bytes, at + 5)?);
                let frame_height = u32::from(u16_le(bytes, at + 7)?);
                let packed = *bytes.get(at + 9)?;
                layout = layout.with_frame(frame_width, frame_height);
                frames += 1;
                // descriptor, local colour table, the LZW minimum code size, then the data
                let data = at.checked_add(10 + colour_table_len(packed) + 1)?;
                at = skip_sub_blocks(bytes, data)?;
            }
            TRAILER => return (frames > 0).then_some(layout),
            _ => return None,
        }
    }
}

/// A colour table's length when the packed field says there is one.
fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

/// Data sub-blocks: a length byte then that many bytes, until a zero length. Answers the
/// offset after the terminator, or `None` when the file ends first.
fn skip_sub_blocks(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let size = usize::from(*bytes.get(at)?);
        at += 1;
        if size == 0 {
            return Some(at);
        }
        at = at.checked_add(size)?;
        if at > bytes.len() {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame, Rgba, RgbaImage};

    fn gif_of(frames: &[(u32, u32)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        {
            let mut encoder = GifEncoder::new(&mut bytes);
            for (i, (w, h)) in frames.iter().enumerate() {
                let shade = u8::try_from(i * 40 % 256).expect("byte");
                let frame = Frame::from_parts(
                    RgbaImage::from_pixel(*w, *h, Rgba([shade, 100, 200, 255])),
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                );
                encoder.encode_frame(frame).expect("frame");
            }
        }
        bytes
    }

    #[test]
    fn a_whole_gif_gives_its_screen_and_largest_frame() {
        let bytes = gif_of(&[(12, 10), (12, 10)]);
        let layout = layout(&bytes).expect("whole");
        assert_eq!((layout.width, layout.height), (12, 10));
        assert_eq!(layout.largest, (12, 10));
    }

    #[test]
    fn a_frame_larger_than_the_screen_is_what_counts() {
        // The image crate sizes the screen after the first frame; a lying file is the same with
        // a tiny screen: rewrite the logical screen to 1×1.
        let mut bytes = gif_of(&[(300, 200)]);
        bytes[6..10].copy_from_slice(&[1, 0, 1, 0]);
        let layout = layout(&bytes).expect("whole");
        assert_eq!((layout.width, layout.height), (1, 1));
        assert_eq!(layout.largest, (300, 200));
    }

    #[test]
    fn a_gif_cut_anywhere_is_not_whole() {
        let bytes = gif_of(&[(16, 16), (16, 16)]);
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
