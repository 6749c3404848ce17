//! The scanning robustness report: generates the distorted-frame corpus
//! (benches/common/corpus.rs, fixed seed) and runs every decoder on every
//! frame in the same process, printing README's "Scanning" table:
//!
//! ```text
//! cargo run --release --example scan_report --features scan [-- FRAMES_PER_CLASS] [--dump DIR] [--no-zbar] [--write README.md]
//! ```
//!
//! `--write FILE` also puts the corpus table and the hostile-frame table
//! into FILE, each in place of the table after its marker line
//! (`<!-- scan-robustness -->`, `<!-- scan-hostile -->`).
//!
//! After the table: the mild frames again as camera formats (NV21, NV12,
//! a luma plane, BGRA), and hostile frames (finder tiles, checkerboards,
//! noise) with each decoder's answer and cost under the default budget.
//!
//! Columns: nocard's scan path with each built-in [`Decoder`] (frame in,
//! texts out, then each text verified: a frame counts only if the expected
//! presentation comes back and verifies), the `quircs` crate on its own, and
//! Debian's `zbarimg` (from `zbar-tools`) when it is installed: one process
//! per class reading that class's frames as PGM files, its start-up time
//! (measured on a 1×1 image) subtracted, so zbar has a mean time per frame
//! but no median.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use corpus::{Class, Frame};
use nocard::scan::{Decoder, Scanner};

const SEED: u64 = 0x6e6f_6361_7264; // "nocard"

struct Column {
    name: String,
    ok: BTreeMap<Class, usize>,
    /// Whether it read each frame, in corpus order.
    read: Vec<bool>,
    times: Vec<Duration>,
    over_budget: usize,
}

impl Column {
    fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), ok: BTreeMap::new(), read: Vec::new(), times: Vec::new(), over_budget: 0 }
    }

    fn record(&mut self, class: Class, ok: bool, time: Duration) {
        *self.ok.entry(class).or_default() += usize::from(ok);
        self.read.push(ok);
        self.times.push(time);
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut per_class = 60;
    let mut dump: Option<PathBuf> = None;
    let mut zbar = true;
    let mut write: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dump" => dump = Some(args.next().ok_or("--dump needs a directory")?.into()),
            "--no-zbar" => zbar = false,
            "--write" => write = Some(args.next().ok_or("--write needs a file")?.into()),
            n => per_class = n.parse()?,
        }
    }
    // rqrr can panic on some frames; nocard catches it, but the default hook would still print.
    std::panic::set_hook(Box::new(|_| {}));

    let verifier = corpus::verifier();
    let tmp = std::env::temp_dir().join(format!("nocard-scan-report-{}", std::process::id()));
    let zbar = zbar && zbar_available();
    let zbar_startup = if zbar {
        std::fs::create_dir_all(&tmp)?;
        Some(zbar_startup(&tmp)?)
    } else {
        None
    };
    if let Some(dir) = &dump {
        std::fs::create_dir_all(dir)?;
    }

    let mut columns: Vec<Column> =
        Decoder::ALL.iter().map(|d| Column::new(format!("nocard ({d}{})", default_mark(*d)))).collect();
    columns.push(Column::new("quircs 0.10 (alone)"));
    if zbar {
        columns.push(Column::new("zbarimg (alone)"));
    }
    let mut total: BTreeMap<Class, usize> = BTreeMap::new();
    let mut versions = BTreeMap::new();
    let mut quirc = quircs::Quirc::default();
    let mut batch = Vec::new();
    let mut classes = Vec::new();

    for (i, frame) in corpus::corpus(SEED, per_class).enumerate() {
        *total.entry(frame.class).or_default() += 1;
        classes.push(frame.class);
        *versions.entry(frame.version).or_insert(0) += 1;
        if let Some(dir) = &dump {
            let name = format!("{i:04}-{}.png", frame.class.name().split(' ').next().unwrap_or("x"));
            std::fs::write(dir.join(name), corpus::png_encode(&frame.pixels, frame.width, frame.height))?;
        }
        for (column, decoder) in columns.iter_mut().zip(Decoder::ALL) {
            let scanner = Scanner::new(decoder);
            let start = Instant::now();
            let texts = match scanner.scan_gray(&frame.pixels, frame.width, frame.height, frame.width) {
                Err(nocard::scan::ScanError::BudgetExceeded(_)) => {
                    column.over_budget += 1;
                    Vec::new()
                }
                other => other?,
            };
            let ok = texts.iter().any(|t| t == &frame.text && verifier.verify(t.as_bytes(), corpus::NOW).is_ok());
            column.record(frame.class, ok, start.elapsed());
        }
        let n = Decoder::ALL.len();
        let start = Instant::now();
        let ok = quircs_decode(&mut quirc, &frame).iter().any(|t| t == &frame.text);
        columns[n].record(frame.class, ok, start.elapsed());
        if zbar {
            let path = tmp.join(format!("{i:04}.pgm"));
            write_pgm(&path, &frame.pixels, frame.width, frame.height)?;
            batch.push((path, frame.class, frame.text.clone()));
            if batch.len() == per_class {
                // One process for the batch; its start-up is taken off and
                // the rest spread evenly over the frames.
                let files: Vec<PathBuf> = batch.iter().map(|b| b.0.clone()).collect();
                let (found, time) = run_zbar(&files)?;
                let each = time.saturating_sub(zbar_startup.unwrap_or_default()) / files.len() as u32;
                for ((path, class, text), texts) in batch.drain(..).zip(found) {
                    columns[n + 1].record(class, texts.contains(&text), each);
                    std::fs::remove_file(path)?;
                }
            }
        }
    }
    if zbar {
        std::fs::remove_dir_all(&tmp).ok();
    }

    let frames: usize = total.values().sum();
    println!(
        "{frames} frames of 1280×720 ({per_class} per class, seed {SEED:#x}); QR versions {}",
        versions.iter().map(|(v, n)| format!("{v}: {n}")).collect::<Vec<_>>().join(", ")
    );
    println!();
    let mut table = String::new();
    write!(table, "| distortion class | frames |")?;
    for c in &columns {
        write!(table, " {} |", c.name)?;
    }
    writeln!(table)?;
    writeln!(table, "|---|---|{}", "---|".repeat(columns.len()))?;
    for (class, n) in &total {
        write!(table, "| {} | {n} |", class.name())?;
        for c in &columns {
            write!(table, " {} |", c.ok.get(class).copied().unwrap_or(0))?;
        }
        writeln!(table)?;
    }
    write!(table, "| **all** | {frames} |")?;
    for c in &columns {
        let ok: usize = c.ok.values().sum();
        write!(table, " **{ok}** ({:.0} %) |", 100.0 * ok as f64 / frames.max(1) as f64)?;
    }
    writeln!(table)?;
    write!(table, "| median ms per frame | |")?;
    for (i, c) in columns.iter().enumerate() {
        if zbar && i == columns.len() - 1 {
            write!(table, " ({:.1} mean) |", ms(mean(&c.times)))?;
        } else {
            write!(table, " {:.1} |", ms(percentile(&c.times, 50)))?;
        }
    }
    writeln!(table)?;
    write!(table, "| 90th percentile ms | |")?;
    for (i, c) in columns.iter().enumerate() {
        if zbar && i == columns.len() - 1 {
            write!(table, " – |")?;
        } else {
            write!(table, " {:.1} |", ms(percentile(&c.times, 90)))?;
        }
    }
    writeln!(table)?;
    for (label, p) in [("99th percentile ms", 99), ("worst ms", 100)] {
        write!(table, "| {label} | |")?;
        for (i, c) in columns.iter().enumerate() {
            if zbar && i == columns.len() - 1 {
                write!(table, " – |")?;
            } else {
                write!(table, " {:.1} |", ms(percentile(&c.times, p)))?;
            }
        }
        writeln!(table)?;
    }
    write!(table, "| mean ms per frame | |")?;
    for c in &columns {
        write!(table, " {:.1} |", ms(mean(&c.times)))?;
    }
    writeln!(table)?;
    println!("{table}");
    println!("nocard columns: decode + verify of every text found. Times are wall clock, one thread.");
    // The goal is per frame, not per class: nothing a peer reads is lost.
    let peers = &columns[Decoder::ALL.len()..];
    let missed: Vec<(usize, Class)> = (0..frames)
        .filter(|&i| !columns[0].read[i] && peers.iter().any(|p| p.read[i]))
        .map(|i| (i, classes[i]))
        .collect();
    println!(
        "Frames a peer read and {} did not: {}{}",
        columns[0].name,
        missed.len(),
        missed.iter().map(|(i, c)| format!(" #{i} ({})", c.name())).collect::<String>()
    );
    for c in columns.iter().filter(|c| c.over_budget > 0) {
        println!("{}: {} frames over the scan budget (counted as not read).", c.name, c.over_budget);
    }
    if let Some(startup) = zbar_startup {
        println!(
            "zbarimg: one process per class reading its {per_class} frames as PGM files; its start-up on a 1×1 image \
             ({:.1} ms) is subtracted and the rest spread evenly, so it has a mean but no median.",
            ms(startup)
        );
    } else {
        println!("zbarimg not run (not installed, or --no-zbar): apt-get install zbar-tools");
    }
    camera_formats(per_class, &verifier)?;
    let hostile = hostile_frames()?;
    if let Some(path) = write {
        let doc = std::fs::read_to_string(&path)?;
        let doc = splice(&doc, "<!-- scan-robustness -->", &table)?;
        std::fs::write(&path, splice(&doc, "<!-- scan-hostile -->", &hostile)?)?;
        println!("\nWrote both tables into {}.", path.display());
    }
    Ok(())
}

/// `doc` with the Markdown table right after the line `marker` replaced by
/// `table`.
fn splice(doc: &str, marker: &str, table: &str) -> Result<String, Box<dyn std::error::Error>> {
    let start = doc.find(marker).ok_or_else(|| format!("no {marker} line"))? + marker.len() + 1;
    let old_len: usize = doc[start..].lines().take_while(|l| l.starts_with('|')).map(|l| l.len() + 1).sum();
    Ok(format!("{}{table}{}", &doc[..start], &doc[start + old_len..]))
}

/// The mild class's frames handed over as a camera delivers them (NV21,
/// NV12, a YUV_420_888 luma plane with pixel stride 2, BGRA in turn): how
/// many the default path reads, against the same frames as gray.
fn camera_formats(per_class: usize, verifier: &nocard::verify::Verifier) -> Result<(), Box<dyn std::error::Error>> {
    let scanner = Scanner::default();
    let (mut gray_ok, mut camera_ok, mut n) = (0, 0, 0);
    for (i, frame) in corpus::corpus(SEED, per_class).take(per_class).enumerate() {
        let (w, h) = (frame.width, frame.height);
        let read = |texts: Vec<String>| {
            texts.iter().any(|t| t == &frame.text && verifier.verify(t.as_bytes(), corpus::NOW).is_ok())
        };
        gray_ok += usize::from(read(scanner.scan_gray(&frame.pixels, w, h, w)?));
        let texts = match i % 4 {
            0 | 1 => {
                let mut nv = frame.pixels.clone();
                nv.resize(w * (h + h.div_ceil(2)), 128);
                if i % 4 == 0 { scanner.scan_nv21(&nv, w, h, w)? } else { scanner.scan_nv12(&nv, w, h, w)? }
            }
            2 => {
                let plane: Vec<u8> = frame.pixels.iter().flat_map(|&v| [v, 128]).collect();
                scanner.scan_y_plane(&plane, w, h, 2 * w, 2)?
            }
            _ => {
                let bgra: Vec<u8> = frame.pixels.iter().flat_map(|&v| [v, v, v, 255]).collect();
                scanner.scan_bgra(&bgra, w, h, 4 * w)?
            }
        };
        camera_ok += usize::from(read(texts));
        n += 1;
    }
    println!();
    println!(
        "Camera formats (default decoder): the {n} mild frames read {camera_ok} times as NV21, NV12, Y plane (pixel stride 2) and BGRA in turn, {gray_ok} times as gray."
    );
    Ok(())
}

/// Hostile 1280×720 frames (no code in any): what each decoder answers and
/// what it costs, with the default time budget. Returns the table.
fn hostile_frames() -> Result<String, std::fmt::Error> {
    let mut table = String::new();
    writeln!(
        table,
        "| hostile 1280×720 frame (modules 1, 2, 3, 4, 6 px) | decoder | over budget | no code | median ms | worst ms |"
    )?;
    writeln!(table, "|---|---|---|---|---|---|")?;
    let mut worst = (Duration::ZERO, String::new());
    let mut all = Vec::new();
    for kind in corpus::hostile::KINDS {
        for decoder in Decoder::ALL {
            let scanner = Scanner::new(decoder);
            let (mut over, mut none, mut times) = (0, 0, Vec::new());
            for module in [1, 2, 3, 4, 6] {
                let frame = corpus::hostile::frame(
                    kind,
                    corpus::WIDTH,
                    corpus::HEIGHT,
                    module,
                    &mut corpus::Rng::new(module as u64),
                );
                let start = Instant::now();
                let outcome = scanner.scan_gray(&frame, corpus::WIDTH, corpus::HEIGHT, corpus::WIDTH);
                let time = start.elapsed();
                match outcome {
                    Err(nocard::scan::ScanError::BudgetExceeded(_)) => over += 1,
                    Ok(texts) if texts.is_empty() => none += 1,
                    other => panic!("{kind} {module} px, {decoder}: {other:?}"),
                }
                if time > worst.0 {
                    worst = (time, format!("{kind}, {module} px, {decoder}"));
                }
                times.push(time);
            }
            all.extend(&times);
            writeln!(
                table,
                "| {kind} | {decoder} | {over} | {none} | {:.1} | {:.1} |",
                ms(percentile(&times, 50)),
                ms(percentile(&times, 100))
            )?;
        }
    }
    println!("\n{table}");
    println!(
        "Hostile frames: {} scans, median {:.1} ms, worst {:.1} ms ({}).",
        all.len(),
        ms(percentile(&all, 50)),
        ms(worst.0),
        worst.1
    );
    Ok(table)
}

fn default_mark(d: Decoder) -> &'static str {
    if d == Decoder::default() { ", default" } else { "" }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mean(times: &[Duration]) -> Duration {
    times.iter().sum::<Duration>() / times.len().max(1) as u32
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len().saturating_sub(1) * p / 100).copied().unwrap_or_default()
}

fn quircs_decode(quirc: &mut quircs::Quirc, frame: &Frame) -> Vec<String> {
    let codes = quirc.identify(frame.width, frame.height, &frame.pixels);
    codes.filter_map(|code| code.ok()?.decode().ok()).filter_map(|data| String::from_utf8(data.payload).ok()).collect()
}

fn zbar_available() -> bool {
    Command::new("zbarimg").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn write_pgm(path: &Path, pixels: &[u8], width: usize, height: usize) -> std::io::Result<()> {
    let mut data = format!("P5\n{width} {height}\n255\n").into_bytes();
    data.extend_from_slice(pixels);
    std::fs::write(path, data)
}

/// Runs one zbarimg process over `files`; returns the texts found in each
/// file (from its XML output) and the wall time.
fn run_zbar(files: &[PathBuf]) -> std::io::Result<(Vec<Vec<String>>, Duration)> {
    let start = Instant::now();
    let out = Command::new("zbarimg")
        .args(["-q", "--xml", "--nodbus", "-Sdisable", "-Sqrcode.enable"])
        .args(files)
        .output()?;
    let time = start.elapsed();
    let xml = String::from_utf8_lossy(&out.stdout);
    let mut found = vec![Vec::new(); files.len()];
    let mut current = None;
    for line in xml.lines() {
        if let Some(rest) = line.strip_prefix("<source href='") {
            let href = rest.split('\'').next().unwrap_or_default();
            current = files.iter().position(|f| f.as_os_str() == href);
        }
        if let (Some(i), Some(start)) = (current, line.find("<![CDATA[")) {
            let data = &line[start + 9..];
            found[i].push(data[..data.find("]]>").unwrap_or(data.len())].to_string());
        }
    }
    Ok((found, time))
}

fn zbar_startup(tmp: &Path) -> std::io::Result<Duration> {
    let path = tmp.join("one.pgm");
    write_pgm(&path, &[255], 1, 1)?;
    let mut times = Vec::new();
    for _ in 0..15 {
        times.push(run_zbar(std::slice::from_ref(&path))?.1);
    }
    Ok(percentile(&times, 50))
}
