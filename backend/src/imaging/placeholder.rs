//! What a grid paints before a thumbnail arrives: its ThumbHash and its dominant colour, both
//! from a ≤100-pixel copy of the thumb (ThumbHash's own input limit).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

/// The largest side ThumbHash takes.
pub const MAX_SIDE: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// Base64 (standard alphabet, padded).
    pub thumbhash: String,
    /// `#rrggbb`.
    pub color: String,
}

/// From RGBA pixels at most `MAX_SIDE` on a side.
pub fn of_rgba(width: u32, height: u32, rgba: &[u8]) -> Placeholder {
    let hash = thumbhash::rgba_to_thumb_hash(width as usize, height as usize, rgba);
    Placeholder {
        thumbhash: STANDARD.encode(hash),
        color: dominant_colour(rgba),
    }
}

/// The most common colour, to 4 bits a channel (the average of the pixels in that bucket),
/// counting only pixels that are mostly opaque; grey for an image with none.
fn dominant_colour(rgba: &[u8]) -> String {
    let mut buckets = vec![(0u32, [0u64; 3]); 4096];
    for px in rgba.chunks_exact(4).filter(|px| px[3] >= 128) {
        let index =
            usize::from(px[0] >> 4) << 8 | usize::from(px[1] >> 4) << 4 | usize::from(px[2] >> 4);
        let (count, sums) = &mut buckets[index];
        *count += 1;
        for (sum, channel) in sums.iter_mut().zip(px) {
            *sum += u64::from(*channel);
        }
    }
    let Some((count, sums)) = buckets
        .iter()
        .max_by_key(|(count, _)| *count)
        .filter(|b| b.0 > 0)
    else {
        return "#808080".to_owned();
    };
    let mean = |sum: u64| sum / u64::from(*count);
    format!(
        "#{:02x}{:02x}{:02x}",
        mean(sums[0]),
        mean(sums[1]),
        mean(sums[2])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dominant_colour_is_the_most_common_one() {
        let mut rgba = Vec::new();
        for i in 0..100 {
            let px = if i < 70 {
                [200, 16, 32, 255]
            } else {
                [0, 0, 255, 255]
            };
            rgba.extend_from_slice(&px);
        }
        let placeholder = of_rgba(10, 10, &rgba);
        assert_eq!(placeholder.color, "#c81020");
        let hash = STANDARD.decode(&placeholder.thumbhash).expect("base64");
        assert!(thumbhash::thumb_hash_to_rgba(&hash).is_ok());
    }

    #[test]
    fn a_fully_transparent_image_is_grey() {
        let placeholder = of_rgba(2, 2, &[0; 16]);
        assert_eq!(placeholder.color, "#808080");
    }
}
