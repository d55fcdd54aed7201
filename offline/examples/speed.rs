//! Median render times on one core for the speed targets: the request
//! `make bench` times (1024², 4 steps, JPEG included, ≤ 30 ms), the 256²
//! draft (≤ 5 ms), live mode's 512² at 1 step, and a spread of prompts.
//! `taskset -c 1 cargo run --release -p promptcanvas-offline --example speed [runs]`;
//! `speed RUNS bench` times only the bench request; `speed profile` renders only the bench request, 200 times, for `perf record`.

use promptcanvas_offline::{RenderRequest, render_jpeg};
use std::time::Instant;

const BENCH: &str = "sunset over the ocean with mountains, oil painting";

const OTHERS: &[&str] = &[
    "portrait of an astronaut cat, studio lighting",
    "a cozy cabin interior with a fireplace",
    "a golden retriever running on the beach",
    "neon cyberpunk city street at night",
    "a watercolor lighthouse at dawn",
    "snowy pine forest at night with a full moon",
    "abstract swirling colors",
    "a photo of a red car in the desert",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median and spread (min, max) in ms over `seeds` seeds, `runs` times each.
fn time(prompt: &str, side: u32, steps: u32, seeds: u64, runs: usize) -> (f64, f64, f64) {
    let req = |seed| RenderRequest {
        prompt,
        seed,
        width: side,
        height: side,
        steps,
    };
    std::hint::black_box(render_jpeg(&req(0)));
    let mut all = Vec::new();
    for _ in 0..runs {
        for seed in 0..seeds {
            let start = Instant::now();
            std::hint::black_box(render_jpeg(&req(seed)));
            all.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(0.0, f64::max);
    (median(all), lo, hi)
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("profile") {
        // Only the bench request, for `perf record`.
        for seed in 0..200 {
            std::hint::black_box(render_jpeg(&RenderRequest {
                prompt: BENCH,
                seed: seed % 21,
                width: 1024,
                height: 1024,
                steps: 4,
            }));
        }
        return;
    }
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let only_bench = std::env::args().any(|a| a == "bench");
    let show = |what: &str, (m, lo, hi): (f64, f64, f64)| {
        println!("{what:64} median {m:6.2} ms  (min {lo:6.2}, max {hi:6.2})");
    };
    show(
        "bench: 1024² steps 4, seeds 0..21",
        time(BENCH, 1024, 4, 21, runs),
    );
    if only_bench {
        return;
    }
    show(
        "draft: 256² steps 4, seeds 0..21",
        time(BENCH, 256, 4, 21, runs),
    );
    show(
        "live: 512² steps 1, seeds 0..21",
        time(BENCH, 512, 1, 21, runs),
    );
    for prompt in OTHERS {
        show(
            &format!("1024² steps 4: {prompt}"),
            time(prompt, 1024, 4, 5, runs),
        );
    }
}
