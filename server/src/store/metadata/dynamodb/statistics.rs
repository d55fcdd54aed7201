//! The operator's figures on DynamoDB: aggregate items in the users table's
//! `STATS` partition — `TOTAL` (users, images, bytes), `DAY#yyyy-mm-dd`
//! (that day's counters) and `MODEL#provider#model` — updated inside the
//! transactions that write what they count, so reading them is one `GetItem`
//! and two `Query`s, never a `Scan`. Each profile keeps its user's last active
//! day.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

use super::{DynamoStore, Item, backend, build_error, get_n, get_s, n, opt_s, s, user_pk};
use crate::store::metadata::{
    DayFigures, DayTally, Figures, ImageRecord, ModelFigures, Statistics, StoreResult,
    rules::day_of,
};

const STATS_PK: &str = "STATS";
const TOTAL_SK: &str = "TOTAL";
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

fn day_sk(day: &str) -> String {
    format!("{DAY_PREFIX}{day}")
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
        let count = images.len() as i64;
        let bytes: u64 = images.iter().map(|image| image.bytes).sum();
        Ok(vec![
            self.stats_write(
                &day_sk(&day_of(first.created_at)),
                &[],
                &[("generations", 1), ("images", count)],
            )?,
            self.stats_write(
                &format!("{MODEL_PREFIX}{}#{}", first.provider, first.model),
                &[("provider", &first.provider), ("model", &first.model)],
                &[("generations", 1), ("images", count)],
            )?,
            self.totals_write(&[("images", count), ("storage_bytes", bytes as i64)])?,
        ])
    }

    /// Adds to the totals, for the transaction that changes what they count.
    pub(super) fn totals_write(&self, changes: &[(&str, i64)]) -> StoreResult<TransactWriteItem> {
        self.stats_write(TOTAL_SK, &[], changes)
    }

    /// Counts one failed generation under its code today, for the
    /// transaction that gives its reservation back.
    pub(super) fn failure_write(&self, code: &str, today: &str) -> StoreResult<TransactWriteItem> {
        self.stats_write(
            &day_sk(today),
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
        let counted = self.get_user_item(STATS_PK.to_owned(), TOTAL_SK).await?;
        if counted.is_some_and(|item| item.contains_key(COUNTED_FROM_RECORDS)) {
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
        let set = self
            .client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(STATS_PK))
            .key("sk", s(TOTAL_SK))
            .update_expression(
                "SET #users = :users, #images = :images, #bytes = :bytes, #counted = :now",
            )
            .condition_expression("attribute_not_exists(#counted)")
            .expression_attribute_names("#users", "users")
            .expression_attribute_names("#images", "images")
            .expression_attribute_names("#bytes", "storage_bytes")
            .expression_attribute_names("#counted", COUNTED_FROM_RECORDS)
            .expression_attribute_values(":users", n(users))
            .expression_attribute_values(":images", n(images))
            .expression_attribute_values(":bytes", n(bytes))
            .expression_attribute_values(
                ":now",
                s(super::timestamp(&time::OffsetDateTime::now_utc())),
            )
            .send()
            .await;
        match set {
            Ok(_) => Ok(Some((users, images, bytes))),
            // Another run counted them first.
            Err(error) if super::condition_failed(&error) => Ok(None),
            Err(error) => Err(backend(error)),
        }
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
        day: sk.trim_start_matches(DAY_PREFIX).to_owned(),
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
        let (expression, names, values) = stats_expression(&[], &changes);
        self.client
            .update_item()
            .table_name(&self.users_table)
            .key("pk", s(STATS_PK))
            .key("sk", s(day_sk(day)))
            .update_expression(expression)
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn mark_active(&self, user_id: &str, day: &str) -> StoreResult<()> {
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
                self.stats_write(&day_sk(day), &[], &[("active", 1)])?,
            ];
            if let Some(last) = &last {
                items.push(self.stats_write(&day_sk(last), &[], &[("active", -1)])?);
            }
            if self.transact(items).await? {
                return Ok(());
            }
        }
        Err(anyhow::anyhow!("noting an active user: the profile kept changing").into())
    }

    async fn statistics(&self, first_day: &str, last_day: &str) -> StoreResult<Figures> {
        let day_range = [(":first", day_sk(first_day)), (":last", day_sk(last_day))];
        let model_prefix = [(":model", MODEL_PREFIX.to_owned())];
        let (total, days, models) = futures::try_join!(
            self.get_user_item(STATS_PK.to_owned(), TOTAL_SK),
            self.stats_items("pk = :pk AND sk BETWEEN :first AND :last", &day_range),
            self.stats_items("pk = :pk AND begins_with(sk, :model)", &model_prefix),
        )?;
        let total = total.unwrap_or_default();
        let mut models = models
            .iter()
            .map(|item| {
                Ok(ModelFigures {
                    provider: get_s(item, "provider")?,
                    model: get_s(item, "model")?,
                    generations: get_n::<i64>(item, "generations")?.max(0) as u64,
                    images: get_n::<i64>(item, "images")?.max(0) as u64,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        models.sort_by(|a, b| {
            b.images
                .cmp(&a.images)
                .then_with(|| a.provider.cmp(&b.provider))
                .then_with(|| a.model.cmp(&b.model))
        });
        let days = days
            .iter()
            .map(day_figures)
            .filter(|figures| match figures {
                Ok(figures) => {
                    *figures
                        != DayFigures {
                            day: figures.day.clone(),
                            ..DayFigures::default()
                        }
                }
                Err(_) => true,
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Figures {
            users: counter(&total, "users"),
            images: counter(&total, "images"),
            storage_bytes: counter(&total, "storage_bytes"),
            days,
            models,
        })
    }
}
