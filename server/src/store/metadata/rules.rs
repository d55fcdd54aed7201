//! Rules both metadata stores apply, written once so SQLite and DynamoDB
//! cannot drift apart: how an email is compared, what a search looks for,
//! when a claim counts as abandoned and how long records are kept.

/// A claim older than this is taken to belong to a request that died.
pub const ABANDONED_CLAIM_SECS: i64 = 600;

/// How long an idempotency key is remembered. A retry comes within minutes;
/// after a week the key is free again and its record is removed.
pub const IDEMPOTENCY_RETENTION_SECS: i64 = 7 * 24 * 3600;

/// Most expired rows one write removes on the side, so clean-up is spread
/// over ordinary requests and never stalls one of them.
pub const PRUNE_BATCH: u32 = 64;

/// The form an email is stored and looked up in: one account per address,
/// whatever its case or surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Most words a search looks for; the rest of a long query is ignored.
pub const MAX_SEARCH_TERMS: usize = 16;

/// The words of a text as search compares them: lower-case, accents folded
/// (`Café` and `cafe` are the same word), split at anything that is not a
/// letter or digit.
pub fn search_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|word| !word.is_empty())
}

/// What a search looks for: each term must begin a word of the prompt.
pub fn search_terms(text: &str) -> Vec<String> {
    search_words(text).take(MAX_SEARCH_TERMS).collect()
}

/// Lower-case with diacritics removed, as SQLite's FTS tokenizer
/// (`unicode61 remove_diacritics 2`) compares words.
pub fn fold(word: &str) -> String {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_without_case_or_spaces() {
        assert_eq!(normalise_email("  Ada@Example.COM "), "ada@example.com");
    }

    #[test]
    fn search_terms_are_folded_lower_case_words() {
        assert_eq!(
            search_terms("Café CRÈME, naïve-Über  !!"),
            ["cafe", "creme", "naive", "uber"]
        );
        assert!(search_terms("!!! ---").is_empty());
        assert_eq!(search_terms(&"word ".repeat(40)).len(), MAX_SEARCH_TERMS);
    }
}
