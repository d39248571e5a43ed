//! Camera-like test files, made at test time by real encoders: HEIC and AVIF by libheif's
//! `heif-enc` (Debian's libheif-examples, installed by scripts/setup), EXIF by kamadak-exif's
//! writer. No binary fixtures.

use std::io::Cursor;
use std::process::Command;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageBuffer, Rgb, RgbImage};
use image::{ExtendedColorType, ImageEncoder};

use crate::pictures;

/// What a camera writes about a shot.
#[derive(Clone, Default)]
pub struct Shot {
    pub orientation: Option<u16>,
    /// `YYYY:MM:DD HH:MM:SS`
    pub taken: Option<&'static str>,
    /// `+02:00`
    pub offset: Option<&'static str>,
    pub make: Option<&'static str>,
    pub model: Option<&'static str>,
    pub lens: Option<&'static str>,
    pub iso: Option<u16>,
    pub f_number: Option<(u32, u32)>,
    pub exposure: Option<(u32, u32)>,
    pub focal_mm: Option<(u32, u32)>,
    /// Degrees, minutes, seconds and hemisphere: ((48, 51, 24), 'N')
    pub latitude: Option<((u32, u32, u32), u8)>,
    pub longitude: Option<((u32, u32, u32), u8)>,
}

impl Shot {
    /// An iPhone-like shot in Paris, with every fact.
    pub fn iphone() -> Self {
        Self {
            orientation: Some(6),
            taken: Some("2024:07:01 14:30:05"),
            offset: Some("+02:00"),
            make: Some("Apple"),
            model: Some("iPhone 15 Pro"),
            lens: Some("iPhone 15 Pro back triple camera 6.765mm f/1.78"),
            iso: Some(80),
            f_number: Some((178, 100)),
            exposure: Some((1, 250)),
            focal_mm: Some((6765, 1000)),
            latitude: Some(((48, 51, 24), b'N')),
            longitude: Some(((2, 21, 3), b'E')),
        }
    }
}

fn ascii(tag: Tag, ifd: In, text: &str) -> Field {
    Field {
        tag,
        ifd_num: ifd,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    }
}

fn rational(tag: Tag, ifd: In, parts: &[(u32, u32)]) -> Field {
    Field {
        tag,
        ifd_num: ifd,
        value: Value::Rational(
            parts
                .iter()
                .map(|&(num, denom)| Rational { num, denom })
                .collect(),
        ),
    }
}

/// The shot's facts as a TIFF (EXIF) block.
fn exif_tiff(shot: &Shot) -> Vec<u8> {
    let p = In::PRIMARY;
    let mut fields = Vec::new();
    if let Some(o) = shot.orientation {
        fields.push(Field {
            tag: Tag::Orientation,
            ifd_num: p,
            value: Value::Short(vec![o]),
        });
    }
    let text = [
        (Tag::DateTimeOriginal, shot.taken),
        (Tag::OffsetTimeOriginal, shot.offset),
        (Tag::Make, shot.make),
        (Tag::Model, shot.model),
        (Tag::LensModel, shot.lens),
    ];
    fields.extend(
        text.into_iter()
            .filter_map(|(tag, value)| value.map(|v| ascii(tag, p, v))),
    );
    if let Some(iso) = shot.iso {
        fields.push(Field {
            tag: Tag::PhotographicSensitivity,
            ifd_num: p,
            value: Value::Short(vec![iso]),
        });
    }
    let ratios = [
        (Tag::FNumber, shot.f_number),
        (Tag::ExposureTime, shot.exposure),
        (Tag::FocalLength, shot.focal_mm),
    ];
    fields.extend(
        ratios
            .into_iter()
            .filter_map(|(tag, value)| value.map(|v| rational(tag, p, &[v]))),
    );
    let gps = [
        (Tag::GPSLatitude, Tag::GPSLatitudeRef, shot.latitude),
        (Tag::GPSLongitude, Tag::GPSLongitudeRef, shot.longitude),
    ];
    for (tag, hemisphere, value) in gps {
        if let Some(((d, m, s), h)) = value {
            fields.push(rational(tag, p, &[(d, 1), (m, 1), (s, 1)]));
            fields.push(ascii(hemisphere, p, &(h as char).to_string()));
        }
    }
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).expect("EXIF writes");
    tiff.into_inner()
}

/// A JPEG of `image` carrying the shot's EXIF (APP1) right after its start marker.
pub fn jpeg_with_exif(image: &DynamicImage, shot: &Shot) -> Vec<u8> {
    let plain = pictures::jpeg(image, 92);
    if shot.taken.is_none() && shot.orientation.is_none() && shot.make.is_none() {
        return plain;
    }
    let payload = [&b"Exif\0\0"[..], &exif_tiff(shot)].concat();
    let length = u16::try_from(payload.len() + 2).expect("EXIF fits a segment");
    let app1 = [&[0xFF, 0xE1][..], &length.to_be_bytes(), &payload].concat();
    [&plain[..2], &app1, &plain[2..]].concat()
}

/// Left half red, right half blue, as stored: with orientation 6 red ends up on top.
pub fn red_left_blue_right(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    }))
}

/// One flat colour.
pub fn flat(width: u32, height: u32, rgb: [u8; 3]) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_pixel(width, height, Rgb(rgb)))
}

/// A 16-bit PNG (for a 10-bit AVIF).
pub fn png16(width: u32, height: u32) -> Vec<u8> {
    let image: ImageBuffer<Rgb<u16>, Vec<u16>> = ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([
            (x * 65535 / width) as u16,
            (y * 65535 / height) as u16,
            30000,
        ])
    });
    pictures::png(&DynamicImage::ImageRgb16(image))
}

/// Runs `heif-enc` on `input` (a JPEG or PNG file's bytes) with `args`; the output's bytes.
/// heif-enc carries a JPEG's EXIF into the HEIF file and turns its orientation into `irot`.
pub fn heif_enc(input: &[u8], input_ext: &str, output_ext: &str, args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join(format!("in.{input_ext}"));
    let target = dir.path().join(format!("out.{output_ext}"));
    std::fs::write(&source, input).expect("write input");
    let status = Command::new("heif-enc")
        .args(args)
        .arg("-o")
        .arg(&target)
        .arg(&source)
        .output()
        .expect("heif-enc runs (scripts/setup installs libheif-examples)");
    assert!(
        status.status.success(),
        "heif-enc failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(&target).expect("heif-enc wrote its output")
}

/// An iPhone-like HEIC, written by pillow-heif (libheif 1.2x, in the test-tools venv that
/// scripts/setup makes): HEVC, the orientation as `irot` *and* in the EXIF (iPhones write both;
/// readers must obey `irot` alone), the shot's other facts in the EXIF.
pub fn heic(image: &DynamicImage, shot: &Shot) -> Vec<u8> {
    heic_from_png(&pictures::png(image), shot)
}

/// A HEIC with an embedded ICC profile (as iPhones embed Display P3).
pub fn heic_with_icc(image: &DynamicImage, icc: Vec<u8>) -> Vec<u8> {
    let mut png = Vec::new();
    let mut encoder = PngEncoder::new(&mut png);
    encoder
        .set_icc_profile(icc)
        .expect("PNG takes an ICC profile");
    let rgb = image.to_rgb8();
    encoder
        .write_image(
            rgb.as_raw(),
            rgb.width(),
            rgb.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("PNG encodes");
    heic_from_png(&png, &Shot::default())
}

fn heic_from_png(png: &[u8], shot: &Shot) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("in.png");
    let target = dir.path().join("out.heic");
    std::fs::write(&source, png).expect("write input");
    let tools = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools");
    let python =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-tools/bin/python");
    let mut command = Command::new(python);
    command
        .arg(tools.join("make_heif.py"))
        .arg(&source)
        .arg(&target);
    if shot.taken.is_some() || shot.make.is_some() || shot.orientation.is_some() {
        let exif = dir.path().join("exif.bin");
        std::fs::write(&exif, [&b"Exif\0\0"[..], &exif_tiff(shot)].concat()).expect("write EXIF");
        command.arg("--exif").arg(exif);
    }
    let output = command
        .output()
        .expect("the test-tools python runs (scripts/setup installs it)");
    assert!(
        output.status.success(),
        "make_heif.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(&target).expect("make_heif.py wrote its output")
}

/// An ICC profile of Display P3 (an iPhone's colour space).
pub fn display_p3_icc() -> Vec<u8> {
    moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("moxcms writes ICC")
}

pub fn avif(image: &DynamicImage, args: &[&str]) -> Vec<u8> {
    let mut all = vec!["-q", "80"];
    all.extend_from_slice(args);
    heif_enc(&pictures::png(image), "png", "avif", &all)
}

/// The same file with its `ispe` (image size) box claiming `width`×`height`.
pub fn claiming_size(heif: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut bomb = heif.to_vec();
    let at = bomb
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("a HEIF file has an ispe box");
    // type, version/flags, then width and height.
    bomb[at + 8..at + 12].copy_from_slice(&width.to_be_bytes());
    bomb[at + 12..at + 16].copy_from_slice(&height.to_be_bytes());
    bomb
}
