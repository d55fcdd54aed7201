//! One sha256 over many rendered JPEGs (every corpus prompt, several sizes,
//! seeds and step counts), to check that a speed-up changes no byte:
//! `cargo run --release -p promptcanvas-offline --example fingerprint [-v]`

use promptcanvas_offline::{RenderRequest, render_jpeg};
use sha2::{Digest, Sha256};

const BENCH: &str = "sunset over the ocean with mountains, oil painting";

const SIZES: &[(u32, u32, u32, u64)] = &[
    // width, height, steps, seed
    (256, 256, 4, 3),
    (512, 512, 1, 7),
    (333, 517, 8, 11),
    (1024, 1024, 4, 0),
];

fn main() {
    let verbose = std::env::args().any(|a| a == "-v");
    let corpus = include_str!("../tests/corpus.tsv");
    let mut prompts: Vec<&str> = corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .collect();
    prompts.push(BENCH);
    let mut all = Sha256::new();
    for &(width, height, steps, seed) in SIZES {
        let mut per_size = Sha256::new();
        for prompt in &prompts {
            let jpeg = render_jpeg(&RenderRequest {
                prompt,
                seed,
                width,
                height,
                steps,
            });
            let h = Sha256::digest(&jpeg);
            if verbose {
                let hex: String = h.iter().take(8).map(|b| format!("{b:02x}")).collect();
                println!("{width}x{height} s{steps} #{seed} {hex} {prompt}");
            }
            per_size.update(h);
        }
        let h = per_size.finalize();
        all.update(h);
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        println!("{width}x{height} steps {steps} seed {seed}: {hex}");
    }
    // The request `make bench` times, over more seeds and an odd size.
    let mut bench = Sha256::new();
    for (seed, width, height, steps) in [
        (0, 1024, 1024, 4),
        (1, 1024, 1024, 4),
        (2, 1024, 1024, 4),
        (5, 1000, 750, 8),
        (9, 97, 61, 2),
    ] {
        let jpeg = render_jpeg(&RenderRequest {
            prompt: BENCH,
            seed,
            width,
            height,
            steps,
        });
        bench.update(Sha256::digest(&jpeg));
    }
    let h = bench.finalize();
    all.update(h);
    let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
    println!("bench prompt: {hex}");
    let hex: String = all.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("all {} prompts: {hex}", prompts.len());
}
