//! Draws the test portrait, tests/vectors/portrait/portrait.jpg: a 96×112
//! JPEG of a synthetic head and shoulders with seeded grain, about 3 KB, so
//! the portrait tests and measurements run on a real JPEG of the size a
//! card photo has, and of our own making.
//!
//!     cargo run --example portrait_fixture --features scan -- tests/vectors/portrait/portrait.jpg

use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageEncoder};

const WIDTH: u32 = 96;
const HEIGHT: u32 = 112;
const QUALITY: u8 = 81;

/// Whether (x, y) is inside the ellipse centred on (cx, cy) with radii rx, ry.
fn inside(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> bool {
    let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
    dx * dx + dy * dy <= 1.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: portrait_fixture OUT.jpg")?;
    let mut seed: u32 = 0x9e37_79b9;
    let mut grain = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 13) as i16 - 6
    };
    let mut rgb = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let (fx, fy) = (x as f32, y as f32);
            let shade = (fy / HEIGHT as f32 * 60.0) as i16;
            let base: [i16; 3] = if inside(fx, fy, 39.0, 48.0, 2.5, 2.0) || inside(fx, fy, 57.0, 48.0, 2.5, 2.0) {
                [34, 30, 30]
            } else if inside(fx, fy, 48.0, 67.0, 7.0, 2.5) {
                [181, 101, 90]
            } else if inside(fx, fy, 48.0, 30.0, 27.0, 16.0) && fy < 40.0 {
                [59, 42, 32]
            } else if inside(fx, fy, 48.0, 52.0, 24.0, 30.0) {
                [232, 196, 160]
            } else if inside(fx, fy, 48.0, 122.0, 46.0, 34.0) {
                [46, 74, 122]
            } else {
                [143 + shade, 180 + shade / 2, 217]
            };
            for c in base {
                rgb.push((c + grain()).clamp(0, 255) as u8);
            }
        }
    }
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, QUALITY).write_image(&rgb, WIDTH, HEIGHT, ExtendedColorType::Rgb8)?;
    std::fs::write(&out, &jpeg)?;
    println!("{out}: {} bytes", jpeg.len());
    Ok(())
}
