//! Median render times on one core, for the speed targets (1024² in 30 ms,
//! 256² drafts in 5 ms, JPEG included; `make bench` renders at 4 steps):
//! `taskset -c 1 cargo run --release -p promptcanvas-offline --example timing [runs]`

use promptcanvas_offline::{RenderRequest, render_jpeg};
use std::time::Instant;

const PROMPTS: &[&str] = &[
    // The prompt `make bench` times.
    "sunset over the ocean with mountains, oil painting",
    "sunset over the ocean",
    "misty mountains at dawn",
    "snowy pine forest at night with a full moon",
    "neon cyberpunk city street at night",
    "desert dunes at noon",
    "abstract purple dreams",
    "a red car under a blue sky",
    "a cozy cabin interior with a fireplace",
    "portrait of an astronaut cat, studio lighting",
    "a lighthouse on a rocky coast at sunset",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(9);
    for (side, steps) in [(1024u32, 4u32), (1024, 8), (256, 4)] {
        let mut all = Vec::new();
        for prompt in PROMPTS {
            let req = RenderRequest {
                prompt,
                seed: 42,
                width: side,
                height: side,
                steps,
            };
            let times: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(render_jpeg(&req));
                    start.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            let m = median(times.clone());
            println!("{side:4}² steps {steps}  {prompt:48} median {m:6.2} ms");
            all.extend(times);
        }
        println!(
            "{side:4}² steps {steps}  {:48} median {:6.2} ms\n",
            "all prompts",
            median(all)
        );
    }
}
