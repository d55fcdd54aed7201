//! Drafts on DynamoDB: `USER#id/DRAFT#<id>` holds the draft, and
//! `DRAFTS/<expiry ms>#<user>#<id>` lists it for the sweep in expiry order;
//! both are written in the transaction that removes the draft's reservation,
//! and both carry `expires_at` for DynamoDB's TTL.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, ReturnValue, TransactWriteItem};
use time::OffsetDateTime;

use super::{
    DynamoStore, Item, RESERVED_PK, backend, build_error, condition_failed, get_n, get_s, get_time,
    n, opt_s, s, timestamp, user_pk,
};
use crate::store::metadata::{
    DraftRecord, DraftRef, Drafts, StoreResult,
    rules::{from_millis, millis},
};

/// The partition listing every draft by expiry, for the sweep.
const DRAFTS_PK: &str = "DRAFTS";
/// How long DynamoDB keeps an expired draft's items before its TTL removes
/// them: the sweep has this long to remove the draft's object first.
const TTL_AFTER_EXPIRY_SECS: i64 = 7 * 24 * 3600;

fn draft_sk(draft_id: &str) -> String {
    format!("DRAFT#{draft_id}")
}

fn listing_sk(user_id: &str, draft_id: &str, expires_at: OffsetDateTime) -> String {
    format!("{:013}#{user_id}#{draft_id}", millis(expires_at).max(0))
}

fn removed_by_ttl(expires_at: OffsetDateTime) -> String {
    (expires_at.unix_timestamp() + TTL_AFTER_EXPIRY_SECS).to_string()
}

fn draft_item(draft: &DraftRecord) -> Item {
    let mut item = Item::from([
        ("pk".into(), s(user_pk(&draft.user_id))),
        ("sk".into(), s(draft_sk(&draft.id))),
        ("draft_id".into(), s(&draft.id)),
        ("user_id".into(), s(&draft.user_id)),
        ("prompt".into(), s(&draft.prompt)),
        ("model".into(), s(&draft.model)),
        ("provider".into(), s(&draft.provider)),
        ("width".into(), n(draft.width)),
        ("height".into(), n(draft.height)),
        ("steps".into(), n(draft.steps)),
        ("seed".into(), n(draft.seed)),
        ("style".into(), s(&draft.style)),
        ("created_at".into(), s(timestamp(&draft.created_at))),
        ("expires_ms".into(), n(millis(draft.expires_at))),
        ("expires_at".into(), n(removed_by_ttl(draft.expires_at))),
        ("content_type".into(), s(&draft.content_type)),
        ("bytes".into(), n(draft.bytes)),
        ("object_key".into(), s(&draft.object_key)),
        ("provider_ms".into(), n(draft.provider_ms)),
        ("total_ms".into(), n(draft.total_ms)),
        ("cost_micros".into(), n(draft.cost_micros)),
    ]);
    if let Some(negative) = &draft.negative_prompt {
        item.insert("negative_prompt".into(), s(negative));
    }
    if let Some(image_id) = &draft.kept_image_id {
        item.insert("kept_image_id".into(), s(image_id));
    }
    item
}

fn draft_from_item(item: &Item) -> StoreResult<DraftRecord> {
    Ok(DraftRecord {
        id: get_s(item, "draft_id")?,
        user_id: get_s(item, "user_id")?,
        prompt: get_s(item, "prompt")?,
        negative_prompt: opt_s(item, "negative_prompt"),
        model: get_s(item, "model")?,
        provider: get_s(item, "provider")?,
        width: get_n(item, "width")?,
        height: get_n(item, "height")?,
        steps: get_n(item, "steps")?,
        seed: get_n(item, "seed")?,
        style: get_s(item, "style")?,
        created_at: get_time(item, "created_at")?,
        expires_at: from_millis(get_n(item, "expires_ms")?),
        content_type: get_s(item, "content_type")?,
        bytes: get_n(item, "bytes")?,
        object_key: get_s(item, "object_key")?,
        provider_ms: get_n(item, "provider_ms")?,
        total_ms: get_n(item, "total_ms")?,
        cost_micros: get_n(item, "cost_micros")?,
        kept_image_id: opt_s(item, "kept_image_id"),
    })
}

fn listing_entry(draft: &DraftRef) -> Item {
    Item::from([
        ("pk".into(), s(DRAFTS_PK)),
        (
            "sk".into(),
            s(listing_sk(
                &draft.user_id,
                &draft.draft_id,
                draft.expires_at,
            )),
        ),
        ("user_id".into(), s(&draft.user_id)),
        ("draft_id".into(), s(&draft.draft_id)),
        ("object_key".into(), s(&draft.object_key)),
        ("expires_ms".into(), n(millis(draft.expires_at))),
        ("expires_at".into(), n(removed_by_ttl(draft.expires_at))),
    ])
}

#[async_trait]
impl Drafts for DynamoStore {
    async fn insert_draft(&self, draft: &DraftRecord) -> StoreResult<()> {
        let listed = DraftRef {
            user_id: draft.user_id.clone(),
            draft_id: draft.id.clone(),
            object_key: draft.object_key.clone(),
            expires_at: draft.expires_at,
        };
        let put = |item: Item| -> StoreResult<TransactWriteItem> {
            let put = Put::builder()
                .table_name(&self.users_table)
                .set_item(Some(item))
                .build()
                .map_err(build_error)?;
            Ok(TransactWriteItem::builder().put(put).build())
        };
        let reservation = Item::from([("pk".into(), s(RESERVED_PK)), ("sk".into(), s(&draft.id))]);
        let items = vec![
            put(draft_item(draft))?,
            put(listing_entry(&listed))?,
            // Recorded, the draft's reservation has served.
            self.remove_entry(&reservation, None)?,
        ];
        self.transact_with_token(items, Some(&format!("draft.{}", draft.id)))
            .await?
            .map_err(|_| anyhow::anyhow!("recording a draft was refused").into())
    }

    async fn draft(&self, user_id: &str, draft_id: &str) -> StoreResult<Option<DraftRecord>> {
        self.get_user_item(user_pk(user_id), &draft_sk(draft_id))
            .await?
            .map(|item| draft_from_item(&item))
            .transpose()
    }

    async fn claim_draft(
        &self,
        user_id: &str,
        draft_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<String>> {
        let result = self
            .client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(user_id)))
            .key("sk", s(draft_sk(draft_id)))
            .update_expression("SET #kept = if_not_exists(#kept, :image)")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#kept", "kept_image_id")
            .expression_attribute_values(":image", s(image_id))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result {
            Ok(output) => Ok(output
                .attributes
                .and_then(|item| opt_s(&item, "kept_image_id"))),
            Err(error) if condition_failed(&error) => Ok(None),
            Err(error) => Err(backend(error)),
        }
    }

    async fn expired_drafts(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<DraftRef>> {
        // Every entry of this millisecond or earlier: `~` sorts after `#`.
        let after = format!("{:013}~", millis(now).max(0));
        self.entries_before(DRAFTS_PK, after, limit)
            .await?
            .iter()
            .map(|entry| {
                Ok(DraftRef {
                    user_id: get_s(entry, "user_id")?,
                    draft_id: get_s(entry, "draft_id")?,
                    object_key: get_s(entry, "object_key")?,
                    expires_at: from_millis(get_n(entry, "expires_ms")?),
                })
            })
            .collect()
    }

    async fn delete_draft(&self, draft: &DraftRef) -> StoreResult<()> {
        let record = Item::from([
            ("pk".into(), s(user_pk(&draft.user_id))),
            ("sk".into(), s(draft_sk(&draft.draft_id))),
        ]);
        let items = vec![
            self.remove_entry(&record, None)?,
            self.remove_entry(&listing_entry(draft), None)?,
        ];
        self.transact(items).await.map(drop)
    }
}
