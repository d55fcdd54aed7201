//! Renders one picture to a file:
//! `cargo run --release -p promptcanvas-offline --example render -- "prompt" seed width height steps out.jpg`

use promptcanvas_offline::{RenderRequest, palette_for, render_jpeg};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 6 {
        eprintln!("usage: render \"prompt\" seed width height steps out.jpg");
        std::process::exit(2);
    }
    let num = |i: usize| -> u64 {
        args[i].parse().unwrap_or_else(|_| {
            eprintln!("argument {} must be a number, got {:?}", i + 1, args[i]);
            std::process::exit(2)
        })
    };
    let req = RenderRequest {
        prompt: &args[0],
        seed: num(1),
        width: num(2) as u32,
        height: num(3) as u32,
        steps: num(4) as u32,
    };
    let start = std::time::Instant::now();
    let jpeg = render_jpeg(&req);
    let elapsed = start.elapsed();
    if let Err(e) = std::fs::write(&args[5], &jpeg) {
        eprintln!("cannot write {}: {e}", args[5]);
        std::process::exit(1);
    }
    println!(
        "{} ({} bytes, {:.1} ms) palette: {}",
        args[5],
        jpeg.len(),
        elapsed.as_secs_f64() * 1e3,
        palette_for(&args[0]).name
    );
}
