//! Prints what the engine understands of each prompt, one JSON plan per line:
//! `cargo run --release -p promptcanvas-offline --example explain -- "prompt" ...`
//! With no arguments it reads prompts from standard input, one per line.

use promptcanvas_offline::understand;
use std::io::BufRead;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            println!("{}", understand(&line).to_json());
        }
    } else {
        for prompt in &args {
            println!("{}", understand(prompt).to_json());
        }
    }
}
