//! Users on DynamoDB: `USER#id/PROFILE` holds the profile and counters;
//! `EMAIL#email/EMAIL`, written in the same transaction, keeps the email unique.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};

use super::{DynamoStore, Item, build_error, get_s, get_time, n, opt_s, s, timestamp, user_pk};
use crate::store::metadata::{
    Accounts, Credentials, StoreError, StoreResult, User, rules::normalise_email,
};

pub(super) fn email_pk(email: &str) -> String {
    format!("EMAIL#{}", normalise_email(email))
}

fn user_from_profile(user_id: &str, profile: &Item) -> StoreResult<User> {
    Ok(User {
        id: user_id.to_owned(),
        email: get_s(profile, "email")?,
        display_name: opt_s(profile, "display_name"),
        created_at: get_time(profile, "created_at")?,
    })
}

#[async_trait]
impl Accounts for DynamoStore {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        let mut profile = Item::from([
            ("pk".into(), s(user_pk(&user.id))),
            ("sk".into(), s("PROFILE")),
            ("email".into(), s(&user.email)),
            ("created_at".into(), s(timestamp(&user.created_at))),
            ("image_count".into(), n(0)),
            ("storage_bytes".into(), n(0)),
        ]);
        if let Some(name) = &user.display_name {
            profile.insert("display_name".into(), s(name));
        }
        if let Some(hash) = password_hash {
            profile.insert("password_hash".into(), s(hash));
        }
        let email = Item::from([
            ("pk".into(), s(email_pk(&user.email))),
            ("sk".into(), s("EMAIL")),
            ("user_id".into(), s(&user.id)),
        ]);
        let put = |item: Item| -> StoreResult<TransactWriteItem> {
            Ok(TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.users_table)
                        .set_item(Some(item))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()
                        .map_err(build_error)?,
                )
                .build())
        };
        let counted = self.totals_write(&user.id, &[("users", 1)])?;
        if self
            .transact(vec![put(profile)?, put(email)?, counted])
            .await?
        {
            Ok(())
        } else {
            Err(StoreError::EmailTaken)
        }
    }

    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        let Some(claim) = self.get_user_item(email_pk(email), "EMAIL").await? else {
            return Ok(None);
        };
        let user_id = get_s(&claim, "user_id")?;
        let Some(profile) = self.profile(&user_id).await? else {
            return Ok(None);
        };
        let Some(password_hash) = opt_s(&profile, "password_hash") else {
            return Ok(None);
        };
        Ok(Some(Credentials {
            user: user_from_profile(&user_id, &profile)?,
            password_hash,
        }))
    }

    async fn user_by_id(&self, user_id: &str) -> StoreResult<Option<User>> {
        self.profile(user_id)
            .await?
            .map(|profile| user_from_profile(user_id, &profile))
            .transpose()
    }
}
