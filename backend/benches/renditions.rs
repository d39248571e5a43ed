//! The renditions benchmark: each corpus file through the cascade uploads use, every resized
//! size encoded as the primary (JPEG q85 / PNG), WebP and AVIF with the settings the server uses
//! (`RenditionSettings::default()`), timed per encoder. The pixels every encoder got are written
//! as the lossless reference that `bench/renditions.py` scores SSIMULACRA2 against, beside
//! libvips's `webpsave`/`heifsave` of the same reference at the same settings.
//!
//!     cargo bench --bench renditions -- CORPUS OUT [--files a.jpg,b.png]
//!                                          [--webp-q 80] [--avif-q 60] [--avif-speed 7]
//!
//! Writes `OUT/<stem>/<size>.{ref.png,jpg|png,webp,avif}` and `OUT/albumen.json` (bytes and
//! encode seconds per file, size and format).

use std::path::{Path, PathBuf};

use albumen::imaging::renditions::benchmark_sizes;
use albumen::imaging::{Format, RenditionSettings};
use image::{ExtendedColorType, ImageEncoder};

const MAX_PIXELS: u64 = 100_000_000;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let corpus = PathBuf::from(args.next().expect("CORPUS"));
    let out = PathBuf::from(args.next().expect("OUT"));
    let mut only: Option<Vec<String>> = None;
    let mut settings = RenditionSettings::default();
    while let Some(arg) = args.next() {
        let value = args.next().expect("a flag needs a value");
        match arg.as_str() {
            "--files" => only = Some(value.split(',').map(str::to_owned).collect()),
            "--webp-q" => settings.webp.quality = value.parse().expect("--webp-q"),
            "--avif-q" => settings.avif.quality = value.parse().expect("--avif-q"),
            "--avif-speed" => settings.avif.speed = value.parse().expect("--avif-speed"),
            other => panic!("unknown flag {other}"),
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            only.as_ref().is_none_or(|names| {
                names.iter().any(|n| {
                    p.file_name()
                        .is_some_and(|f| f.to_string_lossy() == n.as_str())
                })
            })
        })
        .collect();
    files.sort();
    std::fs::create_dir_all(&out).expect("out folder");
    let mut rows = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        let Some(format) = Format::sniff(&bytes) else {
            continue;
        };
        let stem = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let samples = match benchmark_sizes(&bytes, format, MAX_PIXELS, settings) {
            Ok(samples) => samples,
            Err(e) => {
                eprintln!("{stem}: {e}");
                continue;
            }
        };
        let dir = out.join(&stem);
        std::fs::create_dir_all(&dir).expect("file folder");
        for sample in samples {
            let size = sample.size.as_str();
            write_png(
                &dir.join(format!("{size}.ref.png")),
                &sample.reference,
                sample.width,
                sample.height,
                sample.alpha,
            );
            let primary_ext = if sample.alpha { "png" } else { "jpg" };
            std::fs::write(dir.join(format!("{size}.{primary_ext}")), &sample.primary)
                .expect("write");
            let mut formats = vec![format!(
                "\"{primary_ext}\": {{\"bytes\": {}, \"secs\": {:.6}}}",
                sample.primary.len(),
                sample.primary_secs
            )];
            for (rendition, encoded, secs) in &sample.renditions {
                std::fs::write(dir.join(format!("{size}.{rendition}")), encoded).expect("write");
                formats.push(format!(
                    "\"{rendition}\": {{\"bytes\": {}, \"secs\": {secs:.6}}}",
                    encoded.len()
                ));
            }
            rows.push(format!(
                "{{\"file\": \"{stem}\", \"size\": \"{size}\", \"width\": {}, \"height\": {}, \"alpha\": {}, {}}}",
                sample.width,
                sample.height,
                sample.alpha,
                formats.join(", ")
            ));
        }
        println!("{stem}: done");
    }
    std::fs::write(
        out.join("albumen.json"),
        format!("[\n{}\n]\n", rows.join(",\n")),
    )
    .expect("json");
}

fn write_png(path: &Path, data: &[u8], width: u32, height: u32, alpha: bool) {
    let file = std::fs::File::create(path).expect("create");
    let colour = if alpha {
        ExtendedColorType::Rgba8
    } else {
        ExtendedColorType::Rgb8
    };
    image::codecs::png::PngEncoder::new(std::io::BufWriter::new(file))
        .write_image(data, width, height, colour)
        .expect("png");
}
