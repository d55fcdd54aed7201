//! Exports on DynamoDB: `USER#id/EXPORT#<id>` holds the export, and
//! `EXPORTS/<expiry ms>#<user>#<id>` lists it for the sweep in expiry order;
//! both are written in one transaction and carry `expires_at` for DynamoDB's
//! TTL, a while after the sweep should have removed the ZIP.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use time::OffsetDateTime;

use super::{DynamoStore, Item, build_error, get_n, get_s, n, s, user_pk};
use crate::store::metadata::{
    ExportRecord, Exports, StoreResult,
    rules::{from_millis, millis},
};

/// The partition listing every export by expiry, for the sweep.
const EXPORTS_PK: &str = "EXPORTS";
const EXPORT_ENTRY: &str = "EXPORT#";
/// How long DynamoDB keeps an expired export's items before its TTL removes
/// them: the sweep has this long to remove the ZIP first.
const TTL_AFTER_EXPIRY_SECS: i64 = 7 * 24 * 3600;

fn export_item(pk: String, sk: String, export: &ExportRecord) -> Item {
    Item::from([
        ("pk".into(), s(pk)),
        ("sk".into(), s(sk)),
        ("export_id".into(), s(&export.id)),
        ("user_id".into(), s(&export.user_id)),
        ("object_key".into(), s(&export.object_key)),
        ("image_count".into(), n(export.image_count)),
        ("bytes".into(), n(export.bytes)),
        ("created_ms".into(), n(millis(export.created_at))),
        ("expires_ms".into(), n(millis(export.expires_at))),
        (
            "expires_at".into(),
            n(export.expires_at.unix_timestamp() + TTL_AFTER_EXPIRY_SECS),
        ),
    ])
}

fn record_item(export: &ExportRecord) -> Item {
    export_item(
        user_pk(&export.user_id),
        format!("{EXPORT_ENTRY}{}", export.id),
        export,
    )
}

fn listing_item(export: &ExportRecord) -> Item {
    export_item(
        EXPORTS_PK.to_owned(),
        format!(
            "{:013}#{}#{}",
            millis(export.expires_at).max(0),
            export.user_id,
            export.id
        ),
        export,
    )
}

fn export_from_item(item: &Item) -> StoreResult<ExportRecord> {
    Ok(ExportRecord {
        id: get_s(item, "export_id")?,
        user_id: get_s(item, "user_id")?,
        object_key: get_s(item, "object_key")?,
        image_count: get_n(item, "image_count")?,
        bytes: get_n(item, "bytes")?,
        created_at: from_millis(get_n(item, "created_ms")?),
        expires_at: from_millis(get_n(item, "expires_ms")?),
    })
}

#[async_trait]
impl Exports for DynamoStore {
    async fn insert_export(&self, export: &ExportRecord) -> StoreResult<()> {
        let put = |item: Item| -> StoreResult<TransactWriteItem> {
            let put = Put::builder()
                .table_name(&self.users_table)
                .set_item(Some(item))
                .build()
                .map_err(build_error)?;
            Ok(TransactWriteItem::builder().put(put).build())
        };
        let items = vec![put(record_item(export))?, put(listing_item(export))?];
        self.transact(items).await.map(drop)
    }

    async fn list_exports(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<ExportRecord>> {
        let items = self.user_entries(user_id, EXPORT_ENTRY).await?;
        let mut exports = items
            .iter()
            .map(export_from_item)
            .filter(|export| export.as_ref().map_or(true, |e| e.expires_at > now))
            .collect::<StoreResult<Vec<_>>>()?;
        exports.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        Ok(exports)
    }

    async fn export(&self, user_id: &str, export_id: &str) -> StoreResult<Option<ExportRecord>> {
        self.get_user_item(user_pk(user_id), &format!("{EXPORT_ENTRY}{export_id}"))
            .await?
            .map(|item| export_from_item(&item))
            .transpose()
    }

    async fn expired_exports(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ExportRecord>> {
        // Every entry of this millisecond or earlier: `~` sorts after `#`.
        let after = format!("{:013}~", millis(now).max(0));
        self.entries_before(EXPORTS_PK, after, limit)
            .await?
            .iter()
            .map(export_from_item)
            .collect()
    }

    async fn delete_export(&self, export: &ExportRecord) -> StoreResult<()> {
        let items = vec![
            self.remove_entry(&record_item(export), None)?,
            self.remove_entry(&listing_item(export), None)?,
        ];
        self.transact(items).await.map(drop)
    }
}
