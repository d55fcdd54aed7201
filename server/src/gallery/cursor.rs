//! Opaque, tamper-checked gallery cursors.
//!
//! A cursor names where the previous page ended. It is signed so a client can
//! neither forge one nor learn anything from it beyond "next page".

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::store::media::UrlSigner;

const DOMAIN: &str = "cursor";

pub fn encode(position: &str, signer: &UrlSigner) -> String {
    let signature = signer.sign(DOMAIN, position.as_bytes());
    format!("{}.{signature}", URL_SAFE_NO_PAD.encode(position))
}

/// The position inside a cursor, or `None` if it was not made by us.
pub fn decode(cursor: &str, signer: &UrlSigner) -> Option<String> {
    let (payload, signature) = cursor.split_once('.')?;
    let position = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    signer
        .verify(DOMAIN, position.as_bytes(), signature)
        .then_some(position)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_cursor_round_trips_and_a_forged_one_is_refused() {
        let signer = UrlSigner::new(vec![1; 32], Duration::from_secs(60));
        let cursor = encode("01JD00000000000000000000AB", &signer);
        assert_eq!(
            decode(&cursor, &signer).as_deref(),
            Some("01JD00000000000000000000AB")
        );
        let forged = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode("01JZ"),
            cursor.split('.').nth(1).unwrap()
        );
        assert_eq!(decode(&forged, &signer), None);
        assert_eq!(decode("' OR 1=1 --", &signer), None);
    }
}
