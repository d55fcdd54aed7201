//! Renders every prompt of the understanding corpus into one PNG grid, for
//! looking at what the engine draws:
//! `cargo run --release -p promptcanvas-offline --example contact_sheet -- [out.png] [cell] [columns]`
//! (defaults: `docs/offline-contact-sheet.png`, 128-pixel cells, 14 columns).
//! Cells follow the corpus order, left to right, top to bottom, all at seed 3.

use promptcanvas_offline::{RenderRequest, render};
use std::io::BufWriter;

const CORPUS: &str = include_str!("../tests/corpus.tsv");
const GAP: usize = 2;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args
        .first()
        .map_or("docs/offline-contact-sheet.png", String::as_str);
    let cell: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(128);
    let columns: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(14);
    let prompts: Vec<&str> = CORPUS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    let rows = prompts.len().div_ceil(columns);
    let (w, h) = (columns * (cell + GAP) + GAP, rows * (cell + GAP) + GAP);
    let mut sheet = vec![0u8; w * h * 3];
    for (i, prompt) in prompts.iter().enumerate() {
        let image = render(&RenderRequest {
            prompt,
            seed: 3,
            width: cell as u32,
            height: cell as u32,
            steps: 4,
        });
        let (x0, y0) = (
            GAP + (i % columns) * (cell + GAP),
            GAP + (i / columns) * (cell + GAP),
        );
        for y in 0..cell {
            let src = &image.pixels[y * cell * 3..(y + 1) * cell * 3];
            let at = ((y0 + y) * w + x0) * 3;
            sheet[at..at + cell * 3].copy_from_slice(src);
        }
        println!("{:3} {prompt}", i + 1);
    }
    let file = std::fs::File::create(out).unwrap_or_else(|e| {
        eprintln!("cannot create {out}: {e}");
        std::process::exit(1)
    });
    // An indexed PNG on a fixed colour cube keeps the sheet small enough to
    // commit; thumbnails lose little by it.
    let (palette, indices) = to_cube(&sheet);
    let mut encoder = png::Encoder::new(BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().expect("PNG header");
    writer.write_image_data(&indices).expect("PNG data");
    println!("wrote {out} ({w}×{h})");
}

/// Levels per channel of the colour cube: 6 red, 7 green, 6 blue (252 colours).
const LEVELS: [usize; 3] = [6, 7, 6];

/// Maps RGB8 pixels to the nearest colour of the cube: its palette and the
/// index of every pixel.
fn to_cube(rgb: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let level = |v: u8, n: usize| (usize::from(v) * (n - 1) + 127) / 255;
    let value = |i: usize, n: usize| (i * 255 / (n - 1)) as u8;
    let mut palette = Vec::with_capacity(252 * 3);
    for r in 0..LEVELS[0] {
        for g in 0..LEVELS[1] {
            for b in 0..LEVELS[2] {
                palette.extend([
                    value(r, LEVELS[0]),
                    value(g, LEVELS[1]),
                    value(b, LEVELS[2]),
                ]);
            }
        }
    }
    let indices = rgb
        .chunks_exact(3)
        .map(|p| {
            let (r, g, b) = (
                level(p[0], LEVELS[0]),
                level(p[1], LEVELS[1]),
                level(p[2], LEVELS[2]),
            );
            ((r * LEVELS[1] + g) * LEVELS[2] + b) as u8
        })
        .collect();
    (palette, indices)
}
