//! Usage and monthly generation reservations on DynamoDB: the counters on
//! the profile, `USER#id/USAGE#yyyy-mm` and the `RESERVED` partition.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use time::OffsetDateTime;

use super::{
    DynamoStore, Item, RESERVED_PK, backend, build_error, get_n, get_s, n, opt_n, s, user_pk,
};
use crate::store::metadata::{
    Quotas, Reservation, StoreResult, Usage,
    rules::{day_of, first_id_at},
};

pub(super) fn usage_sk(month: &str) -> String {
    format!("USAGE#{month}")
}

/// The entry that keeps a reservation until its generation is recorded.
fn reservation_entry(reservation: &Reservation) -> Item {
    Item::from([
        ("pk".into(), s(RESERVED_PK)),
        ("sk".into(), s(&reservation.id)),
        ("user_id".into(), s(&reservation.user_id)),
        ("month".into(), s(&reservation.month)),
        ("count".into(), n(reservation.count)),
    ])
}

#[async_trait]
impl Quotas for DynamoStore {
    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        let month_sk = usage_sk(month);
        let (profile, month) = futures::try_join!(
            self.profile(user_id),
            self.get_user_item(user_pk(user_id), &month_sk)
        )?;
        let Some(profile) = profile else {
            return Ok(Usage::default());
        };
        Ok(Usage {
            images: get_n::<i64>(&profile, "image_count")?.max(0) as u64,
            storage_bytes: get_n::<i64>(&profile, "storage_bytes")?.max(0) as u64,
            generations_this_month: match month {
                Some(item) => get_n::<i64>(&item, "generations")?.max(0) as u64,
                None => 0,
            },
            trash_images: opt_n::<i64>(&profile, "trash_images")?.unwrap_or(0).max(0) as u64,
            trash_bytes: opt_n::<i64>(&profile, "trash_bytes")?.unwrap_or(0).max(0) as u64,
        })
    }

    async fn reserve_generations(
        &self,
        reservation: &Reservation,
        quota: u32,
    ) -> StoreResult<bool> {
        let count = reservation.count;
        if count > quota {
            return Ok(false);
        }
        let counted = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #generations :count")
            .condition_expression("attribute_not_exists(#generations) OR #generations <= :room")
            .expression_attribute_names("#generations", "generations")
            .expression_attribute_values(":count", n(count))
            .expression_attribute_values(":room", n(quota - count))
            .build()
            .map_err(build_error)?;
        let held = Put::builder()
            .table_name(&self.users_table)
            .set_item(Some(reservation_entry(reservation)))
            .build()
            .map_err(build_error)?;
        let items = vec![
            TransactWriteItem::builder().update(counted).build(),
            TransactWriteItem::builder().put(held).build(),
        ];
        // The id is new, so it names the transaction: a repeat after a lost
        // answer cannot count the generations twice.
        Ok(self
            .transact_with_token(items, Some(&reservation.id))
            .await?
            .is_ok())
    }

    async fn release_generations(
        &self,
        reservation: &Reservation,
        failure: &str,
    ) -> StoreResult<()> {
        let entry = reservation_entry(reservation);
        let today = day_of(OffsetDateTime::now_utc());
        let failed = self.failure_write(&reservation.user_id, failure, &today)?;
        let given_back = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #generations :minus")
            .condition_expression("#generations >= :count")
            .expression_attribute_names("#generations", "generations")
            .expression_attribute_values(":minus", n(-i64::from(reservation.count)))
            .expression_attribute_values(":count", n(reservation.count))
            .build()
            .map_err(build_error)?;
        let items = vec![
            self.remove_entry(&entry, Some("attribute_exists(pk)"))?,
            TransactWriteItem::builder().update(given_back).build(),
            failed.clone(),
        ];
        match self.transact_checked(items).await? {
            // Gone: recorded, or given back already.
            Ok(()) => Ok(()),
            Err(failed) if failed.contains(&0) => Ok(()),
            // Fewer than `count` left to give back: the reservation goes alone.
            Err(_) => {
                let entry = self.remove_entry(&entry, Some("attribute_exists(pk)"))?;
                self.transact(vec![entry, failed]).await?;
                Ok(())
            }
        }
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        let output = self
            .client
            .query()
            .table_name(&self.users_table)
            .key_condition_expression("pk = :pk AND sk < :before")
            .expression_attribute_values(":pk", s(RESERVED_PK))
            .expression_attribute_values(":before", s(first_id_at(before)))
            .consistent_read(true)
            .limit(limit.clamp(1, i32::MAX as u32) as i32)
            .send()
            .await
            .map_err(backend)?;
        output
            .items
            .unwrap_or_default()
            .iter()
            .map(|entry| {
                Ok(Reservation {
                    id: get_s(entry, "sk")?,
                    user_id: get_s(entry, "user_id")?,
                    month: get_s(entry, "month")?,
                    count: get_n(entry, "count")?,
                })
            })
            .collect()
    }
}
