//! Seeds for the fuzz targets, made by the same encoders the tests use: small JPEG, PNG (8 and
//! 16 bit, with alpha), animated GIF and lossless WebP files for the image targets, and names,
//! cursors and tokens for the others. `scripts/fuzz` runs it into `target/fuzz-corpus/<target>`.
//!
//!   cargo run --example fuzz_seeds -- <corpus dir>

use std::io::Cursor;
use std::path::Path;

use albumen::http::pagination::encode_cursor;
use image::codecs::gif::GifEncoder;
use image::codecs::webp::WebPEncoder;
use image::{Delay, DynamicImage, ExtendedColorType, Frame, ImageFormat, Rgba, RgbaImage};

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encode");
    bytes
}

fn gradient(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        Rgba([
            (x * 9 % 256) as u8,
            (y * 7 % 256) as u8,
            128,
            (x + y) as u8 | 0x80,
        ])
    })
}

fn images() -> Vec<(&'static str, Vec<u8>)> {
    let rgba = DynamicImage::ImageRgba8(gradient(24, 16));
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        for _ in 0..2 {
            let frame = Frame::from_parts(gradient(12, 8), 0, 0, Delay::from_numer_denom_ms(50, 1));
            encoder.encode_frame(frame).expect("frame");
        }
    }
    let mut webp = Vec::new();
    let small = gradient(16, 12);
    WebPEncoder::new_lossless(&mut webp)
        .encode(small.as_raw(), 16, 12, ExtendedColorType::Rgba8)
        .expect("webp");
    vec![
        (
            "photo.jpg",
            encoded(&DynamicImage::ImageRgb8(rgba.to_rgb8()), ImageFormat::Jpeg),
        ),
        ("alpha.png", encoded(&rgba, ImageFormat::Png)),
        (
            "deep.png",
            encoded(
                &DynamicImage::ImageRgba16(rgba.to_rgba16()),
                ImageFormat::Png,
            ),
        ),
        (
            "grey.png",
            encoded(&DynamicImage::ImageLuma8(rgba.to_luma8()), ImageFormat::Png),
        ),
        ("anim.gif", gif),
        ("lossless.webp", webp),
    ]
}

fn texts() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let id = uuid::Uuid::nil();
    vec![
        ("filename", "plain", b"holiday.jpg".to_vec()),
        ("filename", "path", b"../../etc/passwd".to_vec()),
        (
            "filename",
            "bidi",
            "photo\u{202e}gpj.exe".as_bytes().to_vec(),
        ),
        ("filename", "long", "x".repeat(300).into_bytes()),
        (
            "cursor",
            "name",
            encode_cursor(&("Trips".to_owned(), id)).into_bytes(),
        ),
        (
            "cursor",
            "time",
            encode_cursor(&("2026-12-02T10:00:00Z", id)).into_bytes(),
        ),
        (
            "token",
            "jwt",
            b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln".to_vec(),
        ),
        ("token", "none", b"eyJhbGciOiJub25lIn0.e30.".to_vec()),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(dir).expect("corpus dir");
    std::fs::write(dir.join(name), bytes).expect("seed");
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: fuzz_seeds <corpus dir>");
    let root = Path::new(&root);
    for (name, bytes) in images() {
        write(&root.join("sniff_layout"), name, &bytes);
        write(&root.join("render"), name, &bytes);
    }
    for (target, name, bytes) in texts() {
        write(&root.join(target), name, &bytes);
    }
}
