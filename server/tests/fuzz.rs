//! Property tests over the parts that read hostile input: the image validator,
//! the generation request decoder and planner, and the cursor decoder. Each
//! case starts from the committed corpus in `tests/corpus` or from generated
//! input, mutates it, and checks the code answers instead of panicking.

use std::time::Duration;

use bytes::Bytes;
use promptcanvas::{
    gallery::cursor,
    generation::imaging::{self, ImageFormat, THUMBNAIL_MAX_SIDE},
    generation::{GenerationRequest, ImageProvider, OfflineProvider, plan},
    store::media::UrlSigner,
};
use proptest::prelude::*;
use serde_json::Value;

fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|entry| entry.expect("corpus entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).expect("corpus file"))
        .collect()
}

/// A corpus file with some bytes overwritten and possibly cut short.
fn mutated_corpus_file() -> impl Strategy<Value = Vec<u8>> {
    let files = corpus();
    (
        0..files.len(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(file, edits, cut, truncate)| {
            let mut bytes = files[file].clone();
            if !bytes.is_empty() {
                for (at, value) in edits {
                    let index = at.index(bytes.len());
                    bytes[index] = value;
                }
                if truncate {
                    bytes.truncate(cut.index(bytes.len() + 1));
                }
            }
            bytes
        })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Request bodies that look like real ones: known fields with wild values.
fn request_body() -> impl Strategy<Value = Value> {
    let field = prop_oneof![
        Just("prompt"),
        Just("negative_prompt"),
        Just("model"),
        Just("width"),
        Just("height"),
        Just("steps"),
        Just("seed"),
        Just("n"),
        Just("style"),
        Just("extra"),
    ];
    prop::collection::btree_map(field, json_value(), 0..9)
        .prop_map(|map| Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_image_validator_answers_every_input_without_panicking(bytes in mutated_corpus_file()) {
        if let Ok(processed) = imaging::process(Bytes::from(bytes), 1 << 22) {
            prop_assert!(processed.thumbnail_width.max(processed.thumbnail_height) <= THUMBNAIL_MAX_SIDE);
            prop_assert_eq!(ImageFormat::sniff(&processed.thumbnail), Some(ImageFormat::Jpeg));
            prop_assert!(u64::from(processed.width) * u64::from(processed.height) <= 1 << 22);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_validator(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = imaging::process(Bytes::from(bytes), 1 << 22);
    }

    #[test]
    fn any_request_body_is_either_refused_or_planned_within_the_models_limits(body in request_body()) {
        let provider = OfflineProvider::new();
        let model = &provider.models()[0];
        if let Ok(request) = serde_json::from_value::<GenerationRequest>(body)
            && let Ok(plan) = plan(&request, provider.models(), 2000, || 7)
        {
            prop_assert!(model.width.accepts(plan.width) && model.height.accepts(plan.height));
            prop_assert!((model.steps.min..=model.steps.max).contains(&plan.steps));
            prop_assert!(!plan.seeds.is_empty() && plan.seeds.len() as u32 <= model.max_images);
            prop_assert!(!plan.prompt.is_empty() && plan.prompt.chars().count() <= 2000);
        }
    }

    #[test]
    fn raw_request_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<GenerationRequest>(&bytes);
    }

    #[test]
    fn only_cursors_we_signed_decode(text in ".{0,80}") {
        let signer = UrlSigner::new(vec![9; 32], Duration::from_secs(60));
        prop_assert_eq!(cursor::decode(&text, &signer), None);
        let made = cursor::encode(&text, &signer);
        prop_assert_eq!(cursor::decode(&made, &signer), Some(text));
    }
}

#[test]
fn deeply_nested_json_is_refused_not_overflowed() {
    let deep = format!(
        "{{\"prompt\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(serde_json::from_str::<GenerationRequest>(&deep).is_err());
}
