//! The DynamoDB store's own rules: how a search matches and how keys are laid out.

use super::{
    accounts::email_pk,
    gallery::{prompt_words, search_terms},
    guards::idempotency_sk,
    quotas::usage_sk,
    sessions::session_pk,
    *,
};

#[test]
fn search_is_a_word_prefix_match() {
    let stored = prompt_words("A Lighthouse at night, stormy-sea!");
    assert_eq!(stored, " a lighthouse at night stormy sea ");
    for term in search_terms("LIGHT sto") {
        assert!(stored.contains(&format!(" {}", term.folded)));
    }
    assert!(!stored.contains(&format!(" {}", search_terms("house")[0].folded)));
    assert!(search_terms("!!! ---").is_empty());
    let accented = search_terms("Café");
    assert_eq!(
        (accented[0].folded.as_str(), accented[0].as_typed.as_str()),
        ("cafe", "café")
    );
    assert_eq!(prompt_words("Crème brûlée"), " creme brulee ");
}

#[test]
fn keys_follow_the_documented_layout() {
    assert_eq!(user_pk("u1"), "USER#u1");
    assert_eq!(email_pk(" Ann@Example.COM "), "EMAIL#ann@example.com");
    assert_eq!(
        session_pk(&[0xab; 32]),
        format!("SESSION#{}", "ab".repeat(32))
    );
    assert_eq!(usage_sk("2026-11"), "USAGE#2026-11");
    assert_eq!(idempotency_sk("k"), "IDEMPOTENCY#k");
}
