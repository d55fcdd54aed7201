//! Share links on DynamoDB: `SHARE#<id>/SHARE` is what a public link reads
//! (one `GetItem` by the id its token carries), and `USER#id/SHARE#<kind>#<target>`
//! the same record under its owner: unique per shared thing, found by it,
//! and listed with one `Query`. Both change together, in transactions.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};

use super::{DynamoStore, Item, build_error, get_n, get_s, malformed, n, s, user_pk};
use crate::store::metadata::{
    ShareKind, ShareRecord, Shares, StoreResult,
    rules::{from_millis, millis},
};

const SHARE_ENTRY: &str = "SHARE#";
const LOOKUP_SK: &str = "SHARE";

fn lookup_key(share_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(format!("{SHARE_ENTRY}{share_id}"))),
        ("sk".into(), s(LOOKUP_SK)),
    ])
}

fn owner_key(user_id: &str, kind: ShareKind, target_id: &str) -> Item {
    Item::from([
        ("pk".into(), s(user_pk(user_id))),
        (
            "sk".into(),
            s(format!("{SHARE_ENTRY}{}#{target_id}", kind.name())),
        ),
    ])
}

fn share_item(share: &ShareRecord, at: Item) -> Item {
    let mut item = at;
    item.extend([
        ("share_id".into(), s(&share.id)),
        ("user_id".into(), s(&share.user_id)),
        ("kind".into(), s(share.kind.name())),
        ("target_id".into(), s(&share.target_id)),
        ("show_prompt".into(), n(u8::from(share.show_prompt))),
        ("created_ms".into(), n(millis(share.created_at))),
    ]);
    item
}

fn share_from_item(item: &Item) -> StoreResult<ShareRecord> {
    Ok(ShareRecord {
        id: get_s(item, "share_id")?,
        user_id: get_s(item, "user_id")?,
        kind: ShareKind::from_name(&get_s(item, "kind")?).ok_or_else(|| malformed("kind"))?,
        target_id: get_s(item, "target_id")?,
        show_prompt: get_n::<u8>(item, "show_prompt")? == 1,
        created_at: from_millis(get_n(item, "created_ms")?),
    })
}

impl DynamoStore {
    /// Sets `show_prompt` on both items of a standing share.
    async fn set_show_prompt(&self, share: &ShareRecord) -> StoreResult<bool> {
        let update = |key: Item| -> StoreResult<TransactWriteItem> {
            let update = Update::builder()
                .table_name(&self.users_table)
                .set_key(Some(key))
                .update_expression("SET #show = :show")
                .condition_expression("attribute_exists(pk)")
                .expression_attribute_names("#show", "show_prompt")
                .expression_attribute_values(":show", n(u8::from(share.show_prompt)))
                .build()
                .map_err(build_error)?;
            Ok(TransactWriteItem::builder().update(update).build())
        };
        let items = vec![
            update(owner_key(&share.user_id, share.kind, &share.target_id))?,
            update(lookup_key(&share.id))?,
        ];
        self.transact(items).await
    }
}

#[async_trait]
impl Shares for DynamoStore {
    async fn put_share(&self, share: &ShareRecord) -> StoreResult<(ShareRecord, bool)> {
        let made = vec![
            self.put_entry(
                share_item(
                    share,
                    owner_key(&share.user_id, share.kind, &share.target_id),
                ),
                Some("attribute_not_exists(pk)"),
            )?,
            self.put_entry(
                share_item(share, lookup_key(&share.id)),
                Some("attribute_not_exists(pk)"),
            )?,
        ];
        if self.transact(made).await? {
            return Ok((share.clone(), true));
        }
        // Shared already: that share stands, with the prompt shown as asked now.
        for _ in 0..3 {
            let Some(mut standing) = self
                .share_of(&share.user_id, share.kind, &share.target_id)
                .await?
            else {
                return Err(anyhow::anyhow!("a share was refused but none stands").into());
            };
            standing.show_prompt = share.show_prompt;
            if self.set_show_prompt(&standing).await? {
                return Ok((standing, false));
            }
        }
        Err(anyhow::anyhow!("a share kept changing while it was updated").into())
    }

    async fn share_of(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<Option<ShareRecord>> {
        let key = owner_key(user_id, kind, target_id);
        let sk = get_s(&key, "sk")?;
        self.get_user_item(user_pk(user_id), &sk)
            .await?
            .map(|item| share_from_item(&item))
            .transpose()
    }

    async fn share_by_id(&self, share_id: &str) -> StoreResult<Option<ShareRecord>> {
        self.get_user_item(format!("{SHARE_ENTRY}{share_id}"), LOOKUP_SK)
            .await?
            .map(|item| share_from_item(&item))
            .transpose()
    }

    async fn list_shares(&self, user_id: &str) -> StoreResult<Vec<ShareRecord>> {
        let items = self.user_entries(user_id, SHARE_ENTRY).await?;
        let mut shares = items
            .iter()
            .map(share_from_item)
            .collect::<StoreResult<Vec<_>>>()?;
        shares.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(shares)
    }

    async fn delete_share(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<bool> {
        let Some(share) = self.share_of(user_id, kind, target_id).await? else {
            return Ok(false);
        };
        let items = vec![
            self.remove_entry(
                &owner_key(user_id, kind, target_id),
                Some("attribute_exists(pk)"),
            )?,
            self.remove_entry(&lookup_key(&share.id), None)?,
        ];
        self.transact(items).await
    }
}
