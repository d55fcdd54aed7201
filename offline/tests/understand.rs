//! What the engine understands of prompts, checked against the committed
//! corpus in `corpus.tsv`.

use promptcanvas_offline::{SceneKind, understand};

struct Case {
    prompt: String,
    expected: String,
    subjects: usize,
}

/// Builds the plan JSON a corpus line describes.
fn expected_json(scene: &str, subjects: &str, colors: &str, style: &str, time: &str) -> String {
    let none = |s: &str| s == "-";
    let subjects: Vec<String> = if none(subjects) {
        Vec::new()
    } else {
        subjects
            .split(' ')
            .map(|s| {
                let (kind, color) = match s.split_once(':') {
                    Some((k, c)) => (k, format!("\"{c}\"")),
                    None => (s, "null".to_string()),
                };
                format!("{{\"kind\": \"{kind}\", \"color\": {color}}}")
            })
            .collect()
    };
    let colors: Vec<String> = if none(colors) {
        Vec::new()
    } else {
        colors
            .split(';')
            .map(|pair| {
                let (k, v) = pair
                    .split_once('=')
                    .expect("colour pairs are target=colour");
                format!("\"{k}\": \"{v}\"")
            })
            .collect()
    };
    format!(
        "{{\"scene\": \"{scene}\", \"subjects\": [{}], \"colors\": {{{}}}, \"style\": \"{style}\", \"time\": \"{time}\"}}",
        subjects.join(", "),
        colors.join(", ")
    )
}

fn corpus() -> Vec<Case> {
    include_str!("corpus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 6, "corpus line needs six columns: {line:?}");
            Case {
                prompt: f[0].to_string(),
                expected: expected_json(f[1], f[2], f[3], f[4], f[5]),
                subjects: if f[2] == "-" {
                    0
                } else {
                    f[2].split(' ').count()
                },
            }
        })
        .collect()
}

#[test]
fn the_corpus_is_large_and_holds_the_prompts_from_the_issue() {
    let cases = corpus();
    assert!(cases.len() >= 150, "only {} prompts", cases.len());
    for prompt in [
        "portrait of an astronaut cat, studio lighting",
        "abstract swirling colors",
        "a cozy cabin interior with a fireplace",
        "a bowl of fruit on a wooden table",
        "a red desert with dunes under a blue sky",
        "a misty pine forest",
    ] {
        assert!(
            cases.iter().any(|c| c.prompt == prompt),
            "{prompt:?} missing"
        );
    }
}

#[test]
fn every_corpus_prompt_gives_its_expected_plan() {
    let wrong: Vec<String> = corpus()
        .iter()
        .filter_map(|c| {
            let got = understand(&c.prompt).to_json();
            (got != c.expected).then(|| {
                format!(
                    "{:?}\n  expected {}\n  got      {got}",
                    c.prompt, c.expected
                )
            })
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} plans differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn prompts_naming_a_known_subject_rarely_fall_back_to_abstract() {
    let cases = corpus();
    let named: Vec<&Case> = cases
        .iter()
        .filter(|c| c.subjects > 0 && !c.prompt.contains("abstract"))
        .collect();
    let fell_back = named
        .iter()
        .filter(|c| {
            let plan = understand(&c.prompt);
            plan.scene == SceneKind::Abstract || plan.subjects.is_empty()
        })
        .count();
    assert!(
        named.len() >= 100,
        "only {} prompts name a subject",
        named.len()
    );
    assert!(
        fell_back * 20 <= named.len(),
        "{fell_back} of {} fell back to abstract",
        named.len()
    );
}

#[test]
fn explain_prints_the_documented_shape() {
    assert_eq!(
        understand("a red car under a blue sky").to_json(),
        "{\"scene\": \"landscape\", \"subjects\": [{\"kind\": \"car\", \"color\": \"red\"}], \
         \"colors\": {\"sky\": \"blue\"}, \"style\": \"none\", \"time\": \"day\"}"
    );
}

#[test]
fn typos_in_scenery_words_still_choose_the_scenery() {
    let plan = understand("a misty forrest below mountians");
    assert!(plan.motifs.forest && plan.motifs.mountains && plan.motifs.mist);
}

#[test]
fn common_words_are_not_mistaken_for_subjects() {
    for prompt in [
        "there where these those three",
        "a round sound found in the whole world",
        "a plant, a place, a bench and a track",
    ] {
        let plan = understand(prompt);
        assert!(plan.subjects.is_empty(), "{prompt:?}: {}", plan.to_json());
    }
}

#[test]
fn the_same_prompt_always_gives_the_same_plan() {
    for c in corpus().iter().take(20) {
        assert_eq!(understand(&c.prompt), understand(&c.prompt));
    }
}
