//! The operator's figures on DynamoDB: aggregate items in the users table's
//! `STATS` partition — `TOTAL#s` (users, images, bytes), `DAY#yyyy-mm-dd#s`
//! (that day's counters) and `MODEL#provider#model#s` — updated inside the
//! transactions that write what they count, so reading them is three
//! `Query`s, never a `Scan`. Each profile keeps its user's last active day.
//!
//! Every counter is split over [`SHARDS`] items, a user always writing to the
//! same one (`s`, from their id): one item updated by every generation of
//! every user would let only one transaction at a time through, while a
//! user's own writes already take turns on their profile.

use std::{
    collections::{BTreeMap, HashMap},
    sync::atomic::{AtomicU32, Ordering},
};

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

use super::{DynamoStore, Item, backend, build_error, get_n, get_s, n, opt_s, s, user_pk};
use crate::store::metadata::{
    DayFigures, DayTally, Figures, ImageRecord, ModelFigures, Statistics, StoreResult,
    rules::day_of,
};

const STATS_PK: &str = "STATS";
const TOTAL_PREFIX: &str = "TOTAL#";
/// Items each counter is split over.
const SHARDS: u32 = 8;
const DAY_PREFIX: &str = "DAY#";
const MODEL_PREFIX: &str = "MODEL#";
/// A failed generation is counted in its day as `failure:<error code>`.
const FAILURE_PREFIX: &str = "failure:";
/// On the totals once they were counted from the records.
const COUNTED_FROM_RECORDS: &str = "counted_from_records";
/// A user's last active day, on their profile.
const LAST_ACTIVE: &str = "last_active_day";
/// `mark_active` races another instance moving the same user this often at most.
const MARK_ATTEMPTS: usize = 3;

/// The shard a user's writes go to: FNV-1a of the id.
fn shard_of(user_id: &str) -> u32 {
    let hash = user_id.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % SHARDS
}

fn day_sk(day: &str, shard: u32) -> String {
    format!("{DAY_PREFIX}{day}#{shard}")
}

fn total_sk(shard: u32) -> String {
    format!("{TOTAL_PREFIX}{shard}")
}

impl DynamoStore {
    /// Adds to counters of one `STATS` item, creating it when needed, and sets
    /// its fixed attributes (`sets`) along the way.
    fn count_on_stats(
        &self,
        sk: &str,
        sets: &[(&str, &str)],
        changes: &[(&str, i64)],
    ) -> StoreResult<Update> {
        let (expression, names, values) = stats_expression(sets, changes);
        Update::builder()
            .table_name(&self.users_table)
            .key("pk", s(STATS_PK))
            .key("sk", s(sk))
            .update_expression(expression)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(build_error)
    }

    fn stats_write(
        &self,
        sk: &str,
        sets: &[(&str, &str)],
        changes: &[(&str, i64)],
    ) -> StoreResult<TransactWriteItem> {
        Ok(TransactWriteItem::builder()
            .update(self.count_on_stats(sk, sets, changes)?)
            .build())
    }

    /// The writes that count one recorded generation (its images, their
    /// bytes), for the transaction that records it.
    pub(super) fn generation_counts(
        &self,
        images: &[ImageRecord],
    ) -> StoreResult<Vec<TransactWriteItem>> {
        let Some(first) = images.first() else {
            return Ok(Vec::new());
        };
        let shard = shard_of(&first.user_id);
        let count = images.len() as i64;
        let bytes: u64 = images.iter().map(|image| image.bytes).sum();
        Ok(vec![
            self.stats_write(
                &day_sk(&day_of(first.created_at), shard),
                &[],
                &[("generations", 1), ("images", count)],
            )?,
            self.stats_write(
                &format!("{MODEL_PREFIX}{}#{}#{shard}", first.provider, first.model),
                &[("provider", &first.provider), ("model", &first.model)],
                &[("generations", 1), ("images", count)],
            )?,
            self.totals_write(
                &first.user_id,
                &[("images", count), ("storage_bytes", bytes as i64)],
            )?,
        ])
    }

    /// Adds to the totals, for the transaction that changes what they count
    /// for `user_id`.
    pub(super) fn totals_write(
        &self,
        user_id: &str,
        changes: &[(&str, i64)],
    ) -> StoreResult<TransactWriteItem> {
        self.stats_write(&total_sk(shard_of(user_id)), &[], changes)
    }

    /// Counts one failed generation of `user_id` under its code today, for
    /// the transaction that gives its reservation back.
    pub(super) fn failure_write(
        &self,
        user_id: &str,
        code: &str,
        today: &str,
    ) -> StoreResult<TransactWriteItem> {
        self.stats_write(
            &day_sk(today, shard_of(user_id)),
            &[],
            &[(&format!("{FAILURE_PREFIX}{code}"), 1)],
        )
    }

    /// Sets the totals to what the profiles hold, once: a table written by
    /// a version that kept no totals gets them counted from its records.
    /// Returns the users, images and bytes counted, or `None` when the totals
    /// were counted before. Runs from `init-aws` (a `Scan` of the profiles;
    /// the service itself never scans).
    pub async fn count_totals_from_records(&self) -> StoreResult<Option<(u64, u64, u64)>> {
        let first = self
            .get_user_item(STATS_PK.to_owned(), &total_sk(0))
            .await?;
        if first.is_some_and(|item| item.contains_key(COUNTED_FROM_RECORDS)) {
            return Ok(None);
        }
        let (mut users, mut images, mut bytes) = (0u64, 0u64, 0u64);
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.users_table)
                .filter_expression("sk = :profile")
                .expression_attribute_values(":profile", s("PROFILE"))
                .set_exclusive_start_key(start)
                .consistent_read(true)
                .send()
                .await
                .map_err(backend)?;
            for profile in page.items() {
                users += 1;
                images += counter(profile, "image_count");
                bytes += counter(profile, "storage_bytes");
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        // The first shard takes the whole count, the others start again from zero.
        let now = super::timestamp(&time::OffsetDateTime::now_utc());
        let items = (0..SHARDS)
            .map(|shard| {
                let (counts, condition) = if shard == 0 {
                    (
                        (users, images, bytes),
                        Some("attribute_not_exists(#counted)"),
                    )
                } else {
                    ((0, 0, 0), None)
                };
                let update = Update::builder()
                    .table_name(&self.users_table)
                    .key("pk", s(STATS_PK))
                    .key("sk", s(total_sk(shard)))
                    .update_expression(
                        "SET #users = :users, #images = :images, #bytes = :bytes, #counted = :now",
                    )
                    .set_condition_expression(condition.map(str::to_owned))
                    .expression_attribute_names("#users", "users")
                    .expression_attribute_names("#images", "images")
                    .expression_attribute_names("#bytes", "storage_bytes")
                    .expression_attribute_names("#counted", COUNTED_FROM_RECORDS)
                    .expression_attribute_values(":users", n(counts.0))
                    .expression_attribute_values(":images", n(counts.1))
                    .expression_attribute_values(":bytes", n(counts.2))
                    .expression_attribute_values(":now", s(&now))
                    .build()
                    .map_err(build_error)?;
                Ok(TransactWriteItem::builder().update(update).build())
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Refused: another run counted them first.
        Ok(self
            .transact(items)
            .await?
            .then_some((users, images, bytes)))
    }

    async fn stats_items(
        &self,
        condition: &str,
        values: &[(&str, String)],
    ) -> StoreResult<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.users_table)
                .key_condition_expression(condition)
                .expression_attribute_values(":pk", s(STATS_PK))
                .set_exclusive_start_key(start);
            for (name, value) in values {
                query = query.expression_attribute_values(*name, s(value));
            }
            let output = query.send().await.map_err(backend)?;
            items.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }
}

/// `SET` the fixed attributes, `ADD` the counters.
fn stats_expression(
    sets: &[(&str, &str)],
    changes: &[(&str, i64)],
) -> (String, HashMap<String, String>, Item) {
    let (mut names, mut values) = (HashMap::new(), Item::new());
    let mut set = Vec::with_capacity(sets.len());
    for (index, (name, value)) in sets.iter().enumerate() {
        set.push(format!("#s{index} = :s{index}"));
        names.insert(format!("#s{index}"), (*name).to_owned());
        values.insert(format!(":s{index}"), s(*value));
    }
    let mut adds = Vec::with_capacity(changes.len());
    for (index, (name, change)) in changes.iter().enumerate() {
        adds.push(format!("#c{index} :c{index}"));
        names.insert(format!("#c{index}"), (*name).to_owned());
        values.insert(format!(":c{index}"), n(change));
    }
    let mut expression = format!("ADD {}", adds.join(", "));
    if !set.is_empty() {
        expression = format!("SET {} {expression}", set.join(", "));
    }
    (expression, names, values)
}

fn counter(item: &Item, name: &str) -> u64 {
    match item.get(name) {
        Some(AttributeValue::N(value)) => value.parse::<i64>().unwrap_or(0).max(0) as u64,
        _ => 0,
    }
}

fn day_figures(item: &Item) -> StoreResult<DayFigures> {
    let sk = get_s(item, "sk")?;
    let failures: BTreeMap<String, u64> = item
        .keys()
        .filter_map(|name| name.strip_prefix(FAILURE_PREFIX))
        .map(|code| {
            let count = counter(item, &format!("{FAILURE_PREFIX}{code}"));
            (code.to_owned(), count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    Ok(DayFigures {
        day: sk
            .trim_start_matches(DAY_PREFIX)
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned(),
        generations: counter(item, "generations"),
        images: counter(item, "images"),
        failures,
        rate_limited: counter(item, "rate_limited"),
        client_errors: counter(item, "client_errors"),
        last_active_users: counter(item, "active"),
    })
}

#[async_trait]
impl Statistics for DynamoStore {
    async fn add_to_day(&self, day: &str, tally: DayTally) -> StoreResult<()> {
        let changes: Vec<(&str, i64)> = [
            ("rate_limited", tally.rate_limited),
            ("client_errors", tally.client_errors),
        ]
        .into_iter()
        .filter(|(_, by)| *by > 0)
        .map(|(name, by)| (name, by as i64))
        .collect();
        if changes.is_empty() {
            return Ok(());
        }
        // No user to take a shard from: each process's writes go round them.
        static NEXT_SHARD: AtomicU32 = AtomicU32::new(0);
        let shard = NEXT_SHARD.fetch_add(1, Ordering::Relaxed) % SHARDS;
        let (expression, names, values) = stats_expression(&[], &changes);
        self.client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(STATS_PK))
            .key("sk", s(day_sk(day, shard)))
            .update_expression(expression)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn mark_active(&self, user_id: &str, day: &str) -> StoreResult<()> {
        let shard = shard_of(user_id);
        for _ in 0..MARK_ATTEMPTS {
            let Some(profile) = self.profile(user_id).await? else {
                return Ok(());
            };
            let last = opt_s(&profile, LAST_ACTIVE);
            if last.as_deref().is_some_and(|last| last >= day) {
                return Ok(());
            }
            // The move is made only from the day just read, so two instances
            // cannot both count the same user.
            let mut moved = Update::builder()
                .table_name(&self.users_table)
                .key("pk", s(user_pk(user_id)))
                .key("sk", s("PROFILE"))
                .update_expression("SET #last = :day")
                .expression_attribute_names("#last", LAST_ACTIVE)
                .expression_attribute_values(":day", s(day));
            moved = match &last {
                Some(last) => moved
                    .condition_expression("#last = :last")
                    .expression_attribute_values(":last", s(last)),
                None => moved
                    .condition_expression("attribute_exists(pk) AND attribute_not_exists(#last)"),
            };
            let mut items = vec![
                TransactWriteItem::builder()
                    .update(moved.build().map_err(build_error)?)
                    .build(),
                self.stats_write(&day_sk(day, shard), &[], &[("active", 1)])?,
            ];
            if let Some(last) = &last {
                items.push(self.stats_write(&day_sk(last, shard), &[], &[("active", -1)])?);
            }
            if self.transact(items).await? {
                return Ok(());
            }
        }
        Err(anyhow::anyhow!("noting an active user: the profile kept changing").into())
    }

    async fn statistics(&self, first_day: &str, last_day: &str) -> StoreResult<Figures> {
        // `$` sorts right after `#`: the last day's shards are all inside.
        let day_range = [
            (":first", format!("{DAY_PREFIX}{first_day}#")),
            (":last", format!("{DAY_PREFIX}{last_day}$")),
        ];
        let model_prefix = [(":prefix", MODEL_PREFIX.to_owned())];
        let total_prefix = [(":prefix", TOTAL_PREFIX.to_owned())];
        let (totals, days, models) = futures::try_join!(
            self.stats_items("pk = :pk AND begins_with(sk, :prefix)", &total_prefix),
            self.stats_items("pk = :pk AND sk BETWEEN :first AND :last", &day_range),
            self.stats_items("pk = :pk AND begins_with(sk, :prefix)", &model_prefix),
        )?;
        let total = |name: &str| totals.iter().map(|item| counter(item, name)).sum::<u64>();
        let mut by_model = BTreeMap::<(String, String), ModelFigures>::new();
        for item in &models {
            let (provider, model) = (get_s(item, "provider")?, get_s(item, "model")?);
            let figures = by_model
                .entry((provider.clone(), model.clone()))
                .or_insert_with(|| ModelFigures {
                    provider,
                    model,
                    ..ModelFigures::default()
                });
            figures.generations += get_n::<i64>(item, "generations")?.max(0) as u64;
            figures.images += get_n::<i64>(item, "images")?.max(0) as u64;
        }
        let mut models: Vec<ModelFigures> = by_model.into_values().collect();
        models.sort_by(|a, b| {
            b.images
                .cmp(&a.images)
                .then_with(|| a.provider.cmp(&b.provider))
                .then_with(|| a.model.cmp(&b.model))
        });
        let mut by_day = BTreeMap::<String, DayFigures>::new();
        for item in &days {
            let shard = day_figures(item)?;
            let figures = by_day
                .entry(shard.day.clone())
                .or_insert_with(|| DayFigures {
                    day: shard.day.clone(),
                    ..DayFigures::default()
                });
            figures.generations += shard.generations;
            figures.images += shard.images;
            figures.rate_limited += shard.rate_limited;
            figures.client_errors += shard.client_errors;
            // A shard's count moves up and down with its users; the day's is the sum.
            figures.last_active_users += shard.last_active_users;
            for (code, count) in shard.failures {
                *figures.failures.entry(code).or_default() += count;
            }
        }
        let days = by_day
            .into_values()
            .filter(|figures| {
                *figures
                    != DayFigures {
                        day: figures.day.clone(),
                        ..DayFigures::default()
                    }
            })
            .collect();
        Ok(Figures {
            users: total("users"),
            images: total("images"),
            storage_bytes: total("storage_bytes"),
            days,
            models,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_spread_over_every_shard_and_keep_theirs() {
        let mut users_per_shard = [0; SHARDS as usize];
        for index in 0..4000 {
            let shard = shard_of(&format!("user_2b{index:x}"));
            assert_eq!(shard, shard_of(&format!("user_2b{index:x}")));
            users_per_shard[shard as usize] += 1;
        }
        assert!(
            users_per_shard
                .iter()
                .all(|users| (400..=600).contains(users)),
            "{users_per_shard:?}"
        );
    }

    #[test]
    fn a_days_shards_sort_between_its_bounds() {
        let (first, last) = (
            format!("{DAY_PREFIX}2026-11-03#"),
            format!("{DAY_PREFIX}2026-12-02$"),
        );
        for shard in 0..SHARDS {
            for day in ["2026-11-03", "2026-11-30", "2026-12-02"] {
                let sk = day_sk(day, shard);
                assert!(first < sk && sk < last, "{sk}");
            }
            assert!(day_sk("2026-12-03", shard) > last);
            assert!(day_sk("2026-11-02", shard) < first);
        }
    }
}
