//! Usage and monthly generation reservations on DynamoDB: the counters on
//! the profile, `USER#id/USAGE#yyyy-mm` and the `RESERVED` partition.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use time::OffsetDateTime;

use super::{
    DynamoStore, Item, RESERVED_PK, backend, build_error, get_n, get_s, n, opt_n, opt_s, s, user_pk,
};
use crate::store::metadata::{
    MonthCaps, MonthCounter, Quotas, Reservation, Reserved, StoreResult, Usage,
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
        ("counter".into(), s(reservation.counter.name())),
        ("cost_micros".into(), n(reservation.cost_micros)),
    ])
}

/// One of the month's counters; absent (nothing counted yet) is 0.
fn month_count(month: Option<&Item>, name: &str) -> StoreResult<u64> {
    Ok(match month {
        Some(item) => opt_n::<i64>(item, name)?.unwrap_or(0).max(0) as u64,
        None => 0,
    })
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
            generations_this_month: month_count(month.as_ref(), "generations")?,
            drafts_this_month: month_count(month.as_ref(), "drafts")?,
            cost_this_month_micros: month_count(month.as_ref(), "cost_micros")?,
            trash_images: opt_n::<i64>(&profile, "trash_images")?.unwrap_or(0).max(0) as u64,
            trash_bytes: opt_n::<i64>(&profile, "trash_bytes")?.unwrap_or(0).max(0) as u64,
        })
    }

    async fn reserve(&self, reservation: &Reservation, caps: MonthCaps) -> StoreResult<Reserved> {
        let count = reservation.count;
        if count > caps.quota {
            return Ok(Reserved::OverQuota);
        }
        if caps
            .budget_micros
            .is_some_and(|budget| reservation.cost_micros > budget)
        {
            return Ok(Reserved::OverBudget);
        }
        let mut condition = String::from("(attribute_not_exists(#counter) OR #counter <= :room)");
        let mut counted = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #counter :count, #cost :cost")
            .expression_attribute_names("#counter", reservation.counter.name())
            .expression_attribute_names("#cost", "cost_micros")
            .expression_attribute_values(":count", n(count))
            .expression_attribute_values(":cost", n(reservation.cost_micros))
            .expression_attribute_values(":room", n(caps.quota - count));
        if let Some(budget) = caps.budget_micros {
            condition.push_str(" AND (attribute_not_exists(#cost) OR #cost <= :budget_room)");
            counted = counted
                .expression_attribute_values(":budget_room", n(budget - reservation.cost_micros));
        }
        let counted = counted
            .condition_expression(condition)
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
        if self
            .transact_with_token(items, Some(&reservation.id))
            .await?
            .is_ok()
        {
            return Ok(Reserved::Held);
        }
        // Refused: the month's counters tell which bound it would pass.
        let month = self
            .get_user_item(user_pk(&reservation.user_id), &usage_sk(&reservation.month))
            .await?;
        let used = match &month {
            Some(item) => opt_n::<u64>(item, reservation.counter.name())?.unwrap_or(0),
            None => 0,
        };
        Ok(if used + u64::from(count) > u64::from(caps.quota) {
            Reserved::OverQuota
        } else {
            Reserved::OverBudget
        })
    }

    async fn release_generations(
        &self,
        reservation: &Reservation,
        failure: &str,
    ) -> StoreResult<()> {
        let entry = reservation_entry(reservation);
        let today = day_of(OffsetDateTime::now_utc());
        let failed = self.failure_write(&reservation.user_id, failure, &today)?;
        let cost = i64::try_from(reservation.cost_micros).unwrap_or(i64::MAX);
        let given_back = Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(user_pk(&reservation.user_id)))
            .key("sk", s(usage_sk(&reservation.month)))
            .update_expression("ADD #counter :minus, #cost :minus_cost")
            .condition_expression(
                "#counter >= :count AND (attribute_not_exists(#cost) OR #cost >= :cost)",
            )
            .expression_attribute_names("#counter", reservation.counter.name())
            .expression_attribute_names("#cost", "cost_micros")
            .expression_attribute_values(":minus", n(-i64::from(reservation.count)))
            .expression_attribute_values(":count", n(reservation.count))
            .expression_attribute_values(":minus_cost", n(-cost))
            .expression_attribute_values(":cost", n(cost))
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

    async fn settle_reservation(&self, reservation: &Reservation) -> StoreResult<()> {
        let entry = reservation_entry(reservation);
        self.client
            .delete_item()
            .table_name(&self.users_table)
            .key("pk", entry["pk"].clone())
            .key("sk", entry["sk"].clone())
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        self.entries_before(RESERVED_PK, first_id_at(before), limit)
            .await?
            .iter()
            .map(|entry| {
                Ok(Reservation {
                    id: get_s(entry, "sk")?,
                    user_id: get_s(entry, "user_id")?,
                    month: get_s(entry, "month")?,
                    count: get_n(entry, "count")?,
                    counter: opt_s(entry, "counter")
                        .and_then(|name| MonthCounter::from_name(&name))
                        .unwrap_or_default(),
                    cost_micros: opt_n(entry, "cost_micros")?.unwrap_or(0),
                })
            })
            .collect()
    }
}
