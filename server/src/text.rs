//! What validators share: the character classes free-text fields are checked
//! against, written as ranges so that the validators and the API document's
//! `pattern`s are built from the same lists and cannot drift apart, and the
//! complaint about one field (`FieldError`) every validator answers with;
//! and how text is made safe inside the HTML pages the server writes.

use std::ops::RangeInclusive;

use serde::Serialize;
use utoipa::ToSchema;

/// A field that failed validation, echoed back so forms can show it inline.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Unicode's `White_Space` characters: what `char::is_whitespace` and
/// `str::trim` treat as space.
pub const WHITESPACE: &[RangeInclusive<char>] = &[
    '\t'..='\r',
    ' '..=' ',
    '\u{85}'..='\u{85}',
    '\u{a0}'..='\u{a0}',
    '\u{1680}'..='\u{1680}',
    '\u{2000}'..='\u{200a}',
    '\u{2028}'..='\u{2029}',
    '\u{202f}'..='\u{202f}',
    '\u{205f}'..='\u{205f}',
    '\u{3000}'..='\u{3000}',
];

/// Control characters (general category Cc): what `char::is_control` says.
pub const CONTROL: &[RangeInclusive<char>] = &['\0'..='\u{1f}', '\u{7f}'..='\u{9f}'];

/// What no prompt may contain: controls other than tab and newline, and the
/// text-direction overrides and isolates (they can disguise what a prompt says).
pub const FORBIDDEN_IN_PROMPTS: &[RangeInclusive<char>] = &[
    '\0'..='\u{8}',
    '\u{b}'..='\u{1f}',
    '\u{7f}'..='\u{9f}',
    '\u{202a}'..='\u{202e}',
    '\u{2066}'..='\u{2069}',
];

pub fn is_in(class: &[RangeInclusive<char>], c: char) -> bool {
    class.iter().any(|range| range.contains(&c))
}

/// The members of `class` for a regular expression's character class
/// (`[...]`), each as a `\uXXXX` escape, which JSON Schema's ECMA-262 dialect
/// and the common engines read the same way.
pub fn regex_class(classes: &[&[RangeInclusive<char>]]) -> String {
    let escape = |c: char| {
        // Above the Basic Multilingual Plane ECMA-262 would need a surrogate
        // pair; none of our classes reach that far.
        assert!(u32::from(c) <= 0xffff, "{c:?} is outside the BMP");
        format!("\\u{:04x}", u32::from(c))
    };
    let mut members = String::new();
    for range in classes.iter().flat_map(|class| class.iter()) {
        members.push_str(&escape(*range.start()));
        if range.start() != range.end() {
            members.push('-');
            members.push_str(&escape(*range.end()));
        }
    }
    members
}

/// A time as RFC 3339 text (the API's and the exports' times).
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Text made safe inside HTML and its attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_char() -> impl Iterator<Item = char> {
        (0..=u32::from(char::MAX)).filter_map(char::from_u32)
    }

    #[test]
    fn the_lists_say_what_the_standard_library_says() {
        for c in every_char() {
            assert_eq!(is_in(WHITESPACE, c), c.is_whitespace(), "{c:?}");
            assert_eq!(is_in(CONTROL, c), c.is_control(), "{c:?}");
            let forbidden = (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            assert_eq!(is_in(FORBIDDEN_IN_PROMPTS, c), forbidden, "{c:?}");
        }
    }

    #[test]
    fn a_class_is_written_as_escaped_ranges() {
        assert_eq!(
            regex_class(&[CONTROL, &['@'..='@']]),
            "\\u0000-\\u001f\\u007f-\\u009f\\u0040"
        );
    }
}
