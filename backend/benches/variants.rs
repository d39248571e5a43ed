//! The variant benchmark: the very function uploads call (`imaging::render_with`), over a corpus
//! folder, timed the way `shared/bench/peers.py` times Pillow and libvips.
//!
//!     cargo bench --bench variants -- CORPUS [--workers 1,2] [--reps 3] [--out DIR]
//!                                       [--files a.jpg,b.png] [--json OUT.json] [--memory]
//!
//! Each configuration gets a warm-up pass, then `--reps` timed passes; wall time covers reading
//! the file, decoding, resizing, encoding and writing the four variants. Outputs land in
//! `OUT/albumen/<variant>/<stem>.jpg`, where `bench/check.py` checks them with the peers' rules.
//! `--memory` runs each file alone in a child process and reports its peak RSS.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use albumen::imaging::{Format, RenderOptions, Transparency, layout, render_with};

const STRATEGY: &str = "albumen";
const VARIANTS: [&str; 4] = ["large", "medium", "small", "thumb"];
const MAX_PIXELS: u64 = 100_000_000;

struct Args {
    corpus: PathBuf,
    workers: Vec<usize>,
    reps: usize,
    out: PathBuf,
    files: Option<Vec<String>>,
    json: Option<PathBuf>,
    memory: bool,
    single: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        corpus: PathBuf::new(),
        workers: vec![1, 2],
        reps: 3,
        out: PathBuf::from("/tmp/bench-albumen-out"),
        files: None,
        json: None,
        memory: false,
        single: None,
    };
    let mut raw = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut corpus = None;
    while let Some(arg) = raw.next() {
        let mut value = |name: &str| raw.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--workers" => {
                args.workers = value("--workers")?
                    .split(',')
                    .map(|w| w.parse().map_err(|_| format!("bad worker count {w}")))
                    .collect::<Result<_, _>>()?;
            }
            "--reps" => args.reps = value("--reps")?.parse().map_err(|_| "bad --reps")?,
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--files" => {
                args.files = Some(value("--files")?.split(',').map(str::to_owned).collect())
            }
            "--json" => args.json = Some(PathBuf::from(value("--json")?)),
            "--memory" => args.memory = true,
            "--single" => args.single = Some(PathBuf::from(value("--single")?)),
            other if other.starts_with("--") => return Err(format!("unknown option {other}")),
            other => corpus = Some(PathBuf::from(other)),
        }
    }
    if args.single.is_none() {
        args.corpus = corpus.ok_or("usage: variants CORPUS [options]")?;
    }
    Ok(args)
}

struct Image {
    path: PathBuf,
    stem: String,
    pixels: u64,
}

/// The corpus, from its manifest (name, width, height, ...), biggest first like peers.py.
fn corpus(dir: &Path, only: Option<&[String]>) -> Result<Vec<Image>, String> {
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).map_err(|e| {
        format!(
            "{}/manifest.tsv: {e} (build it with shared/bench/corpus.sh)",
            dir.display()
        )
    })?;
    let mut images: Vec<Image> = manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let (name, w, h) = (
                cols.first()?,
                cols.get(1)?.parse::<u64>().ok()?,
                cols.get(2)?.parse::<u64>().ok()?,
            );
            if only.is_some_and(|only| !only.iter().any(|o| o == name)) {
                return None;
            }
            let stem = Path::new(name).file_stem()?.to_string_lossy().into_owned();
            Some(Image {
                path: dir.join(name),
                stem,
                pixels: w * h,
            })
        })
        .collect();
    images.sort_by_key(|i| std::cmp::Reverse(i.pixels));
    if images.is_empty() {
        return Err("no corpus images selected".into());
    }
    Ok(images)
}

/// What one image produced: bytes per variant.
type Sizes = [u64; 4];

fn process(image: &Image, out: &Path) -> Result<Sizes, String> {
    let bytes = std::fs::read(&image.path).map_err(|e| format!("{}: {e}", image.path.display()))?;
    let format = Format::sniff(&bytes).ok_or_else(|| format!("{}: not an image", image.stem))?;
    layout::inspect(&bytes, format, MAX_PIXELS).map_err(|e| e.to_string())?;
    let options = RenderOptions {
        max_pixels: MAX_PIXELS,
        transparency: Transparency::FlattenOnWhite,
    };
    let rendered =
        render_with(&bytes, format, options).map_err(|e| format!("{}: {e}", image.stem))?;
    let mut sizes = [0; 4];
    for variant in rendered.variants {
        let slot = VARIANTS
            .iter()
            .position(|v| *v == variant.size.as_str())
            .ok_or("unknown size")?;
        let path = out
            .join(STRATEGY)
            .join(VARIANTS[slot])
            .join(format!("{}.jpg", image.stem));
        std::fs::write(&path, &variant.bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        sizes[slot] = variant.bytes.len() as u64;
    }
    Ok(sizes)
}

/// One pass over the corpus with `workers` threads pulling images biggest first.
fn pass(images: &[Image], out: &Path, workers: usize) -> Result<(f64, Sizes), String> {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<Result<Sizes, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut sizes = [0u64; 4];
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(image) = images.get(i) else {
                            return Ok(sizes);
                        };
                        let one = process(image, out)?;
                        for (total, n) in sizes.iter_mut().zip(one) {
                            *total += n;
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("worker panicked".into())))
            .collect()
    });
    let wall = started.elapsed().as_secs_f64();
    let mut sizes = [0u64; 4];
    for result in results {
        for (total, n) in sizes.iter_mut().zip(result?) {
            *total += n;
        }
    }
    Ok((wall, sizes))
}

fn cpu_seconds() -> f64 {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF)
        .map(|u| {
            let t = |tv: nix::sys::time::TimeVal| tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
            t(u.user_time()) + t(u.system_time())
        })
        .unwrap_or(0.0)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `--single FILE`: process one image and print the peak resident memory it took, in KiB.
fn single(path: &Path, out: &Path) -> Result<(), String> {
    let status = |key: &str| -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with(key)).map(str::to_owned))
            .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
            .unwrap_or(0)
    };
    let before = status("VmRSS:");
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    process(
        &Image {
            path: path.to_path_buf(),
            stem,
            pixels: 0,
        },
        out,
    )?;
    println!("{}", status("VmHWM:").saturating_sub(before));
    Ok(())
}

fn memory_report(images: &[Image], out: &Path) -> Result<Vec<(String, f64, u64)>, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    for image in images {
        let output = Command::new(&me)
            .arg("--single")
            .arg(&image.path)
            .arg("--out")
            .arg(out)
            .output()
            .map_err(|e| e.to_string())?;
        let kib: u64 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .map_err(|_| {
                format!(
                    "{}: {}",
                    image.stem,
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
        rows.push((image.stem.clone(), image.pixels as f64 / 1e6, kib));
    }
    Ok(rows)
}

fn run(args: Args) -> Result<(), String> {
    for variant in VARIANTS {
        std::fs::create_dir_all(args.out.join(STRATEGY).join(variant))
            .map_err(|e| e.to_string())?;
    }
    if let Some(path) = &args.single {
        return single(path, &args.out);
    }
    let images = corpus(&args.corpus, args.files.as_deref())?;
    let megapixels: f64 = images.iter().map(|i| i.pixels as f64).sum::<f64>() / 1e6;
    println!(
        "corpus: {} images, {megapixels:.1} MP; albumen {} ({}), {} CPUs, reps={}",
        images.len(),
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) {
            "debug build"
        } else {
            "release build"
        },
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
        args.reps
    );
    let header = format!(
        "{:15} {:>2} {:>7} {:>7} {:>7} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "strategy",
        "wk",
        "wall_s",
        "min_s",
        "cpu_s",
        "MP/s",
        "img/s",
        "thumb_KB",
        "small_KB",
        "med_KB",
        "large_KB"
    );
    println!("{header}\n{}", "-".repeat(header.len()));
    let mut runs = Vec::new();
    for &workers in &args.workers {
        let warm = &images[images.len().saturating_sub(3)..];
        pass(warm, &args.out, workers)?;
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut sizes = [0u64; 4];
        for _ in 0..args.reps.max(1) {
            let cpu = cpu_seconds();
            let (wall, s) = pass(&images, &args.out, workers)?;
            cpus.push(cpu_seconds() - cpu);
            walls.push(wall);
            sizes = s;
        }
        let min = walls.iter().copied().fold(f64::INFINITY, f64::min);
        let wall = median(&mut walls.clone());
        let cpu = median(&mut cpus);
        let kb = sizes.map(|b| b as f64 / 1024.0);
        let cpu_text = if workers == 1 {
            format!("{cpu:.2}")
        } else {
            String::new()
        };
        println!(
            "{STRATEGY:15} {workers:>2} {wall:7.2} {min:7.2} {cpu_text:>7} {:6.1} {:6.2} {:8.0} {:8.0} {:8.0} {:8.0}",
            megapixels / wall,
            images.len() as f64 / wall,
            kb[3],
            kb[2],
            kb[1],
            kb[0]
        );
        runs.push(format!(
            r#"{{"strategy":"{STRATEGY}","workers":{workers},"wall_s":{walls:?},"wall_s_median":{wall:.3},"cpu_s_median":{},"mp_per_s":{:.2},"images_per_s":{:.2},"output_bytes":{{"large":{},"medium":{},"small":{},"thumb":{}}}}}"#,
            if workers == 1 { format!("{cpu:.3}") } else { "null".into() },
            megapixels / wall,
            images.len() as f64 / wall,
            sizes[0], sizes[1], sizes[2], sizes[3]
        ));
    }
    let mut memory = Vec::new();
    if args.memory {
        println!("\npeak memory per image (one image per process, RSS above the idle process):");
        for (stem, mp, kib) in memory_report(&images, &args.out)? {
            println!("  {stem:42} {mp:5.1} MP  {:7.1} MiB", kib as f64 / 1024.0);
            memory.push(format!(
                r#"{{"image":"{stem}","megapixels":{mp:.2},"peak_kib":{kib}}}"#
            ));
        }
    }
    if let Some(json) = &args.json {
        let text = format!(
            r#"{{"corpus":{{"dir":"{}","images":{},"megapixels":{megapixels:.2}}},"runs":[{}],"memory":[{}]}}"#,
            args.corpus.display(),
            images.len(),
            runs.join(","),
            memory.join(",")
        );
        std::fs::write(json, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> std::process::ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("variants: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
