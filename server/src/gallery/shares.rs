//! Share links: a public view of one image or one collection.
//!
//! A link's token is the share's id followed by the server key's signature
//! of it (128 bits): the id finds the record with one read, the signature
//! cannot be guessed, and a copy of the database alone (which holds only the
//! id) gives no working link away, while the owner can always be shown theirs.
//! What a link shows is worked out on every read, so revoking, trashing or
//! deleting takes effect at once. Its images are served through the link
//! itself (`/s/{token}/i/{public id}`), so no URL names a stored file.

use crate::store::{
    media::UrlSigner,
    metadata::{ImageQuery, ImageRecord, MetadataStore, ShareKind, ShareRecord, StoreResult},
};

/// The signature's purpose, so no other signature of the key can pass for it.
const DOMAIN: &str = "share";
/// A share id's length: a ULID.
const ID_CHARS: usize = 26;
/// A signature's length, in hex digits (128 bits).
const SIGNATURE_CHARS: usize = 32;
/// Most images a shared collection shows: its newest.
pub const COLLECTION_IMAGES: u32 = 100;

/// The token of a share's link.
pub fn token(signer: &UrlSigner, share_id: &str) -> String {
    format!("{share_id}{}", signer.sign(DOMAIN, share_id.as_bytes()))
}

/// The signature's purpose for a link's images.
const IMAGE_DOMAIN: &str = "share-image";

/// How a link names one of its images: the image's id and a signature that
/// binds it to the share (its files' names, which hold the owner's id, never
/// leave the server). Serving one is then a single read.
pub fn public_image_id(signer: &UrlSigner, share_id: &str, image_id: &str) -> String {
    let signature = signer.sign(IMAGE_DOMAIN, format!("{share_id}\n{image_id}").as_bytes());
    format!("{image_id}{signature}")
}

/// The image id a link's genuine public image id carries.
pub fn image_id<'a>(signer: &UrlSigner, share_id: &str, public_id: &'a str) -> Option<&'a str> {
    let split = public_id.len().checked_sub(SIGNATURE_CHARS)?;
    if !public_id.is_ascii() || split == 0 {
        return None;
    }
    let (image_id, signature) = public_id.split_at(split);
    signer
        .verify(
            IMAGE_DOMAIN,
            format!("{share_id}\n{image_id}").as_bytes(),
            signature,
        )
        .then_some(image_id)
}

/// One image of what `share` shows now: `None` once it is trashed, deleted
/// or out of the shared collection.
pub async fn shared_image(
    metadata: &dyn MetadataStore,
    share: &ShareRecord,
    image_id: &str,
) -> StoreResult<Option<ImageRecord>> {
    let image = metadata.get_image(&share.user_id, image_id).await?;
    Ok(image.filter(|image| {
        image.trashed_at.is_none()
            && match share.kind {
                ShareKind::Image => image.id == share.target_id,
                ShareKind::Collection => image.collection_ids.contains(&share.target_id),
            }
    }))
}

/// The share id a genuine token carries.
pub fn share_id<'a>(signer: &UrlSigner, token: &'a str) -> Option<&'a str> {
    if !token.is_ascii() || token.len() <= ID_CHARS {
        return None;
    }
    let (id, signature) = token.split_at(ID_CHARS);
    signer
        .verify(DOMAIN, id.as_bytes(), signature)
        .then_some(id)
}

/// What a link shows now.
#[derive(Debug, Clone)]
pub struct Shared {
    pub share: ShareRecord,
    /// The collection's name, or the image's prompt when shown.
    pub title: Option<String>,
    /// Newest first; never a trashed image.
    pub images: Vec<ImageRecord>,
}

/// What `share` shows now; `None` once its image is trashed or deleted, or
/// its collection deleted.
pub async fn shared(
    metadata: &dyn MetadataStore,
    share: ShareRecord,
) -> StoreResult<Option<Shared>> {
    let owner = share.user_id.as_str();
    let (title, images) = match share.kind {
        ShareKind::Image => {
            let Some(image) = metadata
                .get_image(owner, &share.target_id)
                .await?
                .filter(|image| image.trashed_at.is_none())
            else {
                return Ok(None);
            };
            let title = share.show_prompt.then(|| image.prompt.clone());
            (title, vec![image])
        }
        ShareKind::Collection => {
            let Some(collection) = metadata.get_collection(owner, &share.target_id).await? else {
                return Ok(None);
            };
            let query = ImageQuery {
                limit: COLLECTION_IMAGES,
                collection: Some(collection.id.clone()),
                ..ImageQuery::default()
            };
            let page = metadata.list_images(owner, &query).await?;
            (Some(collection.name), page.items)
        }
    };
    Ok(Some(Shared {
        share,
        title,
        images,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(key: u8) -> UrlSigner {
        UrlSigner::new(vec![key; 32], std::time::Duration::from_secs(3600))
    }

    #[test]
    fn a_token_carries_its_share_id_and_only_the_key_makes_one() {
        let id = "01JF0000000000000000000000";
        let token = token(&signer(1), id);
        assert_eq!(token.len(), 26 + 32);
        assert_eq!(share_id(&signer(1), &token), Some(id));
        assert_eq!(share_id(&signer(2), &token), None);
        let mut forged = token.clone().into_bytes();
        let last = forged.len() - 1;
        forged[last] = if forged[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(
            share_id(&signer(1), &String::from_utf8(forged).unwrap()),
            None
        );
        for bad in ["", id, "é", &format!("{id}zz")] {
            assert_eq!(share_id(&signer(1), bad), None, "{bad}");
        }
        let image = public_image_id(&signer(1), id, "01JIMAGE");
        assert_eq!(image_id(&signer(1), id, &image), Some("01JIMAGE"));
        assert_eq!(image_id(&signer(1), "01JOTHER", &image), None);
        assert_eq!(image_id(&signer(2), id, &image), None);
        let other = public_image_id(&signer(1), id, "01JOTHER");
        let spliced = format!("01JOTHER{}", &image[8..]);
        assert_eq!(image_id(&signer(1), id, &spliced), None);
        assert_eq!(image_id(&signer(1), id, &other), Some("01JOTHER"));
        assert_eq!(image_id(&signer(1), id, &image[8..]), None);
    }
}
