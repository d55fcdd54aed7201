//! Rules both metadata stores apply, written once so SQLite and DynamoDB
//! cannot drift apart: how an email is compared, what a search looks for,
//! when a claim counts as abandoned and how long records are kept.

/// A claim older than this is taken to belong to a request that died.
pub const ABANDONED_CLAIM_SECS: i64 = 600;

/// How long an idempotency key is remembered. A retry comes within minutes;
/// after a week the key is free again and its record is removed.
pub const IDEMPOTENCY_RETENTION_SECS: i64 = 7 * 24 * 3600;

use time::OffsetDateTime;

/// Most expired rows one write removes on the side, so clean-up is spread
/// over ordinary requests and never stalls one of them.
pub const PRUNE_BATCH: u32 = 64;

/// The form an email is stored and looked up in: one account per address,
/// whatever its case or surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The form a collection name is compared in: one "Trips" per user, however
/// it is written (names reach the store trimmed).
pub fn collection_name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Most words a search looks for; the rest of a long query is ignored.
pub const MAX_SEARCH_TERMS: usize = 8;

/// Fewest characters a searched word needs. A single letter begins too many
/// words to narrow a search, so shorter words are ignored.
pub const MIN_SEARCH_TERM_CHARS: usize = 2;

/// The words of a text as search compares them: lower-case, accents folded
/// (`Café` and `cafe` are the same word), split at anything that is not a
/// letter or digit.
pub fn search_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|word| !word.is_empty())
}

/// What a search looks for: each term must begin a word of the prompt. Words
/// shorter than [`MIN_SEARCH_TERM_CHARS`] and those after the first
/// [`MAX_SEARCH_TERMS`] are ignored.
pub fn search_terms(text: &str) -> Vec<String> {
    search_words(text)
        .filter(|word| is_search_term(word))
        .take(MAX_SEARCH_TERMS)
        .collect()
}

/// Whether a folded word is long enough to search for.
pub fn is_search_term(folded: &str) -> bool {
    folded.chars().count() >= MIN_SEARCH_TERM_CHARS
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

/// Where a trash listing stands: the trashing time in Unix milliseconds and
/// the image id. Written `<13-digit ms>#<id>`, its text sorts as the trash is
/// ordered, so DynamoDB can use it as a sort key and both stores as a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashPosition {
    pub trashed_ms: i64,
    pub image_id: String,
}

impl TrashPosition {
    pub fn of(image_id: &str, trashed_at: OffsetDateTime) -> Self {
        Self {
            trashed_ms: millis(trashed_at),
            image_id: image_id.to_owned(),
        }
    }

    pub fn encode(&self) -> String {
        format!("{:013}#{}", self.trashed_ms, self.image_id)
    }

    pub fn decode(text: &str) -> Option<Self> {
        let (ms, image_id) = text.split_once('#')?;
        let valid =
            ms.len() == 13 && ms.bytes().all(|b| b.is_ascii_digit()) && !image_id.is_empty();
        if !valid {
            return None;
        }
        Some(Self {
            trashed_ms: ms.parse().ok()?,
            image_id: image_id.to_owned(),
        })
    }
}

/// Trashing times are kept to the millisecond by both stores.
pub fn millis(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The instant a stored millisecond count names.
pub fn from_millis(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The smallest ULID made at `at`: every id made earlier sorts before it.
pub fn first_id_at(at: OffsetDateTime) -> String {
    let ms = millis(at).max(0) as u64;
    ulid::Ulid::from_parts(ms, 0).to_string()
}

/// The UTC day of a moment, `YYYY-MM-DD`: the key of the daily figures.
pub fn day_of(at: OffsetDateTime) -> String {
    let date = at.to_offset(time::UtcOffset::UTC).date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trash_positions_round_trip_and_sort_as_the_trash_is_ordered() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_790_000_000_123_456_789).unwrap();
        let position = TrashPosition::of("01JD", at);
        assert_eq!(position.encode(), "1790000000123#01JD");
        assert_eq!(TrashPosition::decode(&position.encode()), Some(position));
        assert_eq!(
            from_millis(millis(at)),
            at.replace_nanosecond(123_000_000).unwrap()
        );
        assert!(
            TrashPosition::of("Z", from_millis(999_999_999_999))
                .encode()
                .as_str()
                < "1000000000000#A"
        );
        for bad in [
            "",
            "123#01JD",
            "1790000000123#",
            "179000000012x#01JD",
            "01JD",
        ] {
            assert_eq!(TrashPosition::decode(bad), None, "{bad}");
        }
    }

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

    #[test]
    fn a_search_ignores_single_letters_and_words_past_the_eighth() {
        assert_eq!(search_terms("a red x-wing 3 go"), ["red", "wing", "go"]);
        assert!(search_terms("a b c").is_empty());
        let nine = "one two three four five six seven eight nine";
        assert_eq!(search_terms(nine).last().map(String::as_str), Some("eight"));
    }
}
