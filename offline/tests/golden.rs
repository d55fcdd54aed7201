//! Golden images: the sha256 of a few rendered JPEGs, so any change to what
//! the engine draws is noticed. When a change is meant, run this test, check
//! the new pictures (`--example render`), and paste the printed hashes here.

use promptcanvas_offline::{RenderRequest, render_jpeg};
use sha2::{Digest, Sha256};

const GOLDEN: &[(&str, &str)] = &[
    (
        "a red car under a blue sky",
        "a29885fbe4a457e6cf11c83cfce0a27b7aa63c29de57e61fc893e026f76a5602",
    ),
    (
        "a cozy cabin interior with a fireplace",
        "7b77f652d11e8882eb448440caa5b6b911af43571845861c864f75708f3b070e",
    ),
    (
        "portrait of an astronaut cat, studio lighting",
        "50996eb12cb036b48ef64a5e4412ed3aeae370c4caee55aa9dcb6f6dc10fec9c",
    ),
    (
        "sunset over the ocean",
        "e00d19db20e75fd738a717acb178454705623a84fb45ed8f9447d909c2142526",
    ),
    (
        "a watercolor lighthouse at dawn",
        "3fd1461e8de291cadaa45a873897571fe690d2885a35801ce3430cc490f72406",
    ),
    (
        "abstract swirling colors",
        "049ae72bd41cd121c6d4763999bdbf7f7b0e33153f7d15f13daa99cae53b9fe4",
    ),
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn rendered_jpegs_match_their_pinned_hashes() {
    let actual: Vec<(&str, String)> = GOLDEN
        .iter()
        .map(|(prompt, _)| {
            let jpeg = render_jpeg(&RenderRequest {
                prompt,
                seed: 3,
                width: 256,
                height: 256,
                steps: 4,
            });
            (*prompt, hex(&Sha256::digest(&jpeg)))
        })
        .collect();
    let changed: Vec<String> = GOLDEN
        .iter()
        .zip(&actual)
        .filter(|((_, want), (_, got))| want != got)
        .map(|((prompt, _), (_, got))| format!("    ({prompt:?}, \"{got}\"),"))
        .collect();
    assert!(
        changed.is_empty(),
        "{} pictures changed; if meant, pin:\n{}",
        changed.len(),
        changed.join("\n")
    );
}
