//! Renders camera frames of the C fixtures' codes (`c_fixtures`) for the C
//! frame test (`tests/c/frame_test.c`): binary PGM files (`P5`, 8-bit gray),
//! which C reads without an image library.
//!
//! ```text
//! cargo run --example c_frame_fixtures -- target/c/fixtures
//! ```
//!
//! | file | what |
//! |---|---|
//! | `valid.pgm` | `valid.txt` as a QR code, 3 px a module, on a 640 × 480 frame |
//! | `dark.pgm` | the same frame inverted (a phone in dark mode) |
//! | `two.pgm` | `valid.txt` and `challenge.txt` side by side (two phones in view) |
//! | `blank.pgm` | a white 640 × 480 frame |

use std::error::Error;
use std::path::{Path, PathBuf};

use nocard::qr::{EcLevel, QrMatrix};

const WIDTH: usize = 640;
const HEIGHT: usize = 480;
const MODULE_PX: u32 = 3;

/// A white frame with each code's QR drawn left to right from (8, 8).
fn frame(codes: &[String]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut pixels = vec![255u8; WIDTH * HEIGHT];
    let mut left = 8;
    for code in codes {
        let (gray, side) = QrMatrix::encode(code, EcLevel::M)?.to_gray(MODULE_PX);
        if left + side > WIDTH || 8 + side > HEIGHT {
            return Err("the codes do not fit the frame".into());
        }
        for y in 0..side {
            let row = (8 + y) * WIDTH + left;
            pixels[row..row + side].copy_from_slice(&gray[y * side..(y + 1) * side]);
        }
        left += side;
    }
    Ok(pixels)
}

fn write_pgm(path: &Path, pixels: &[u8]) -> Result<(), Box<dyn Error>> {
    let mut file = format!("P5\n{WIDTH} {HEIGHT}\n255\n").into_bytes();
    file.extend_from_slice(pixels);
    std::fs::write(path, file)?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: c_frame_fixtures FIXTURES_DIR")?);
    let code = |name: &str| -> Result<String, Box<dyn Error>> {
        let path = dir.join(name);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{} (run c_fixtures first): {e}", path.display()))?;
        Ok(text.trim_end().to_string())
    };
    let valid = frame(&[code("valid.txt")?])?;
    let dark: Vec<u8> = valid.iter().map(|p| 255 - p).collect();
    write_pgm(&dir.join("valid.pgm"), &valid)?;
    write_pgm(&dir.join("dark.pgm"), &dark)?;
    write_pgm(&dir.join("two.pgm"), &frame(&[code("valid.txt")?, code("challenge.txt")?])?)?;
    write_pgm(&dir.join("blank.pgm"), &frame(&[])?)?;
    println!("wrote valid.pgm, dark.pgm, two.pgm and blank.pgm ({WIDTH} x {HEIGHT}) to {}", dir.display());
    Ok(())
}
