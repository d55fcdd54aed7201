//! Times 1024×1024 renders on one core:
//! `cargo run --release -p promptcanvas-offline --example speed [runs]`

use promptcanvas_offline::{RenderRequest, render, render_jpeg};
use std::time::Instant;

const PROMPTS: &[&str] = &[
    "sunset over the ocean",
    "misty mountains at dawn",
    "snowy pine forest at night with a full moon",
    "neon cyberpunk city street at night",
    "desert dunes at noon",
    "abstract purple dreams",
];

fn main() {
    let runs: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let (mut total_render, mut total_jpeg) = (0.0, 0.0);
    for prompt in PROMPTS {
        let req = RenderRequest {
            prompt,
            seed: 42,
            width: 1024,
            height: 1024,
            steps: 8,
        };
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(render(&req));
        }
        let r = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(render_jpeg(&req));
        }
        let j = start.elapsed().as_secs_f64() * 1e3 / runs as f64;
        println!("{prompt:48} render {r:6.1} ms   render+jpeg {j:6.1} ms");
        total_render += r;
        total_jpeg += j;
    }
    let n = PROMPTS.len() as f64;
    println!(
        "{:48} render {:6.1} ms   render+jpeg {:6.1} ms",
        "mean",
        total_render / n,
        total_jpeg / n
    );
}
