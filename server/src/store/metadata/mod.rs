//! Metadata: users, sessions, API keys, generations, images, collections,
//! drafts, share links, idempotency records, usage.
//!
//! The store is a set of traits because it has two real backends: SQLite
//! (embedded default) and DynamoDB (serverless production). Each trait is one
//! concern (`Accounts`, `Sessions`, `ApiKeys`, `Gallery`, `Collections`,
//! `Quotas`, `Guards`, `Statistics`, `Drafts`, `Shares`), each backend implements it in a file of the same name, and
//! `MetadataStore` is all of them, as the application holds the store. Every
//! method is one logical operation with the store's own atomicity guarantee,
//! so handlers never check-then-write; the rules both backends apply live
//! once, in `rules`.

pub mod dynamodb;
pub mod rules;
pub mod sqlite;

use async_trait::async_trait;
use time::OffsetDateTime;

pub use dynamodb::DynamoStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("email already registered")]
    EmailTaken,
    #[error("storage quota used up")]
    StorageQuotaExceeded,
    #[error("a collection already has that name")]
    CollectionNameTaken,
    /// The write was sent but its answer was lost: it may or may not have
    /// been applied, so nothing it names may be cleaned up on its account.
    #[error("the outcome of a write is unknown: {0:#}")]
    OutcomeUnknown(anyhow::Error),
    #[error(transparent)]
    Backend(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A user together with their password hash, only ever read for sign-in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: [u8; 32],
    pub user_id: String,
    pub expires_at: OffsetDateTime,
}

/// One stored image and the settings that made it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRecord {
    pub id: String,
    pub user_id: String,
    pub generation_id: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seed: u64,
    pub style: String,
    pub created_at: OffsetDateTime,
    pub favorite: bool,
    pub content_type: String,
    pub bytes: u64,
    pub object_key: String,
    pub thumbnail_key: String,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    pub placeholder: String,
    pub inference_ms: Option<u64>,
    /// Time the whole generation took on the server, up to recording it;
    /// `None` for images made before it was recorded.
    pub total_ms: Option<u64>,
    /// What the provider charged for the image, in millionths of a dollar, at
    /// the price of the day it was made; `None` for images made before costs
    /// were recorded.
    pub cost_micros: Option<u64>,
    pub upstream_id: Option<String>,
    /// When the image was moved to the trash; `None` while it is in the gallery.
    pub trashed_at: Option<OffsetDateTime>,
    /// The collections that hold the image, in no particular order.
    pub collection_ids: Vec<String>,
}

/// What a gallery page asks for. `after` is the id of the last image of the
/// previous page: ids are time-sortable, so "older than" is "id less than".
#[derive(Debug, Clone, Default)]
pub struct ImageQuery {
    pub limit: u32,
    pub after: Option<String>,
    pub search: Option<String>,
    pub favorites_only: bool,
    /// The trash instead of the gallery: trashed images, most recently
    /// trashed first, and `after` is a [`rules::TrashPosition`].
    pub trashed: bool,
    /// Only the images of this collection (with `trashed`, its trashed images).
    pub collection: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ImagePage {
    pub items: Vec<ImageRecord>,
    /// Where the next page starts, when there is one.
    pub next_after: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Every stored image, the trashed ones included.
    pub images: u64,
    pub storage_bytes: u64,
    pub generations_this_month: u64,
    pub drafts_this_month: u64,
    /// What the month's generations and drafts cost, in millionths of a dollar.
    pub cost_this_month_micros: u64,
    /// The part of `images` and `storage_bytes` that is in the trash.
    pub trash_images: u64,
    pub trash_bytes: u64,
}

/// What moving an image to the trash did.
#[derive(Debug, Clone, PartialEq)]
pub enum TrashOutcome {
    /// In the trash now (or already was: the first trashing time stands).
    Trashed(Box<ImageRecord>),
    /// A favourite, and the caller did not include favourites.
    FavoriteProtected,
    NotFound,
}

/// One image of one user, as the sweep finds its work: a trashed image whose
/// retention has run out, or one whose delete never finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub user_id: String,
    pub image_id: String,
}

/// Generations counted against a month before their images exist. A
/// reservation lives until the generation is recorded (the same write removes
/// it) or given back; one that outlives both was cut short by a crash, and
/// the sweep gives it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// The generation's id, a ULID: reservations sort by when they were made.
    pub id: String,
    pub user_id: String,
    pub month: String,
    pub count: u32,
    /// Which of the month's counters `count` is added to.
    pub counter: MonthCounter,
    /// What the provider calls will cost, in millionths of a dollar, added
    /// to the month's cost.
    pub cost_micros: u64,
}

/// The month's counters a reservation can count against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MonthCounter {
    /// Gallery images (`MONTHLY_GENERATION_QUOTA`).
    #[default]
    Generations,
    /// Drafts (`MONTHLY_DRAFT_QUOTA`).
    Drafts,
}

impl MonthCounter {
    /// The counter's name in both stores.
    pub fn name(self) -> &'static str {
        match self {
            Self::Generations => "generations",
            Self::Drafts => "drafts",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Generations, Self::Drafts]
            .into_iter()
            .find(|counter| counter.name() == name)
    }
}

/// The bounds a reservation must stay within for its month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthCaps {
    /// Most the reservation's counter may reach.
    pub quota: u32,
    /// Most the month's cost may reach, in millionths of a dollar; `None`: no budget.
    pub budget_micros: Option<u64>,
}

/// What asking for a reservation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    Held,
    /// The counter would pass its quota (nothing was counted).
    OverQuota,
    /// The month's cost would pass the budget (nothing was counted).
    OverBudget,
}

/// A quick preview made while typing: outside the gallery, not counted as
/// storage, removed when it expires unless kept.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRecord {
    /// A ULID, also the id of the reservation that counted it.
    pub id: String,
    pub user_id: String,
    pub prompt: String,
    pub negative_prompt: Option<String>,
    pub model: String,
    pub provider: String,
    pub width: u32,
    pub height: u32,
    pub steps: u32,
    pub seed: u64,
    pub style: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub content_type: String,
    pub bytes: u64,
    pub object_key: String,
    pub provider_ms: u64,
    pub total_ms: u64,
    pub cost_micros: u64,
    /// The gallery image keeping it made (or is making), once kept.
    pub kept_image_id: Option<String>,
}

/// A draft as the sweep finds it once expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRef {
    pub user_id: String,
    pub draft_id: String,
    pub object_key: String,
    pub expires_at: OffsetDateTime,
}

/// A named group of one user's images. An image can be in many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionRecord {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The cover the owner chose, if any; it may since have left the collection.
    pub cover_image_id: Option<String>,
    /// The collection's images that are not in the trash.
    pub image_count: u64,
    pub created_at: OffsetDateTime,
    /// Last rename, description, cover or membership change.
    pub updated_at: OffsetDateTime,
}

/// What a collection update changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionChanges {
    pub name: Option<String>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<String>>,
    /// `Some(None)` goes back to the automatic cover.
    pub cover_image_id: Option<Option<String>>,
}

/// What adding an image to (or removing it from) a collection did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    /// As asked now (or already was).
    Done,
    /// The user has no such image (or, when adding, it is in the trash).
    ImageNotFound,
    CollectionNotFound,
}

/// The outcome of claiming an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// The key is ours: run the request, then complete or release the claim.
    Claimed,
    /// The same request already finished: here is its response body.
    Replay(String),
    /// The key was used with a different body.
    Mismatch,
    /// The first request with this key is still running.
    InProgress,
}

/// A fixed window counter's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// Over the limit; the window ends this many seconds from now.
    Refused {
        retry_after_secs: u64,
    },
}

/// Who can sign in: users and, for local accounts, their password hashes.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Creates a user; the email is unique (case-insensitive) by the store's own guarantee.
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()>;

    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>>;

    async fn user_by_id(&self, user_id: &str) -> StoreResult<Option<User>>;
}

/// Local sign-in sessions, kept only as the hash of their token.
#[async_trait]
pub trait Sessions: Send + Sync {
    async fn create_session(&self, session: &NewSession) -> StoreResult<()>;

    /// The user a live (unexpired) session belongs to.
    async fn session_user(
        &self,
        token_hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>>;

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()>;
}

/// Every user's images: recording, reading, favourites, the trash and
/// deletes.
#[async_trait]
pub trait Gallery: Send + Sync {
    /// Records every image of one generation at once, all or nothing, and
    /// updates the owner's image and storage counters. Refuses with
    /// `StorageQuotaExceeded`, recording nothing, when the owner's stored bytes
    /// would pass the store's storage quota.
    async fn insert_images(&self, images: &[ImageRecord]) -> StoreResult<()>;

    async fn list_images(&self, user_id: &str, query: &ImageQuery) -> StoreResult<ImagePage>;

    async fn get_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>>;

    async fn set_favorite(
        &self,
        user_id: &str,
        image_id: &str,
        favorite: bool,
    ) -> StoreResult<Option<ImageRecord>>;

    /// Moves an image to the trash at `now`, unless it is a favourite and
    /// `include_favorites` is false. Trashing a trashed image changes nothing.
    async fn trash_image(
        &self,
        user_id: &str,
        image_id: &str,
        include_favorites: bool,
        now: OffsetDateTime,
    ) -> StoreResult<TrashOutcome>;

    /// Takes an image out of the trash; restoring one that is not trashed
    /// changes nothing. `None` when the user has no such image.
    async fn restore_image(
        &self,
        user_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<ImageRecord>>;

    /// Up to `limit` images, of every user, trashed before `trashed_before`,
    /// longest-trashed first.
    async fn expired_trash(
        &self,
        trashed_before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ImageRef>>;

    /// First step of a delete: the image disappears from every read but its
    /// record stays until its objects are gone. Returns the record (hidden or
    /// already hiding) so a failed delete can be re-run.
    async fn hide_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>>;

    /// Last step of a delete; also releases the image's share of the counters.
    async fn delete_image(&self, user_id: &str, image_id: &str) -> StoreResult<()>;

    /// Up to `limit` images, of every user, whose delete began (they are
    /// hidden) and has not finished: what a crash or a timeout stopped
    /// half-way, or a delete in progress. The sweep finishes them; every step
    /// of a delete can be re-run, so finishing one in progress is harmless.
    async fn unfinished_deletes(&self, limit: u32) -> StoreResult<Vec<ImageRef>>;

    /// Whether any record (hidden ones included) still names this image: the
    /// orphan sweep keeps an image's objects exactly while this holds.
    async fn image_record_exists(&self, user_id: &str, image_id: &str) -> StoreResult<bool>;

    /// A number that changes whenever any of the user's images changes (is
    /// recorded, favourited, trashed, restored, put in or out of a
    /// collection, or deleted), so a page read at one version is known to be
    /// the same while the version is. `None` from a store that keeps none:
    /// then every page is read afresh.
    async fn gallery_version(&self, _user_id: &str) -> StoreResult<Option<u64>> {
        Ok(None)
    }
}

/// Named groups of one user's images.
#[async_trait]
pub trait Collections: Send + Sync {
    /// Creates a collection; refuses with `CollectionNameTaken` when the user
    /// has one of that name (case-insensitive), by the store's own guarantee.
    async fn create_collection(&self, collection: &CollectionRecord) -> StoreResult<()>;

    /// The user's collections, most recently changed first.
    async fn list_collections(&self, user_id: &str) -> StoreResult<Vec<CollectionRecord>>;

    async fn get_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<Option<CollectionRecord>>;

    /// Whether the user has this collection: a cheaper read than
    /// `get_collection`, which also counts its images.
    async fn owns_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool>;

    /// Applies the changes at `now`; `None` when the user has no such
    /// collection, `CollectionNameTaken` when the new name is taken.
    async fn update_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        changes: &CollectionChanges,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CollectionRecord>>;

    /// Deletes a collection; its images stay. `false` when there was none.
    async fn delete_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool>;

    /// Puts an image (not in the trash) into a collection; harmless to repeat.
    async fn add_to_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership>;

    /// Takes an image out of a collection; harmless to repeat.
    async fn remove_from_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership>;
}

/// What a user has used: stored images and bytes, and generations per
/// month, reserved before they run.
#[async_trait]
pub trait Quotas: Send + Sync {
    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage>;

    /// Adds the reservation's generations to its month if that keeps it
    /// within `quota`, and keeps the reservation until `insert_images` records
    /// the generation (images whose `generation_id` is the reservation's id)
    /// or it is given back.
    async fn reserve_generations(
        &self,
        reservation: &Reservation,
        quota: u32,
    ) -> StoreResult<bool> {
        let caps = MonthCaps {
            quota,
            budget_micros: None,
        };
        Ok(self.reserve(reservation, caps).await? == Reserved::Held)
    }

    /// Adds the reservation's count to its counter and its cost to the
    /// month's cost, both at once and only if both stay within `caps`;
    /// otherwise counts nothing and tells which bound refused. Kept as
    /// [`Quotas::reserve_generations`] describes.
    async fn reserve(&self, reservation: &Reservation, caps: MonthCaps) -> StoreResult<Reserved>;

    /// Gives back a reservation whose generation failed, counting the failure
    /// under its code in today's figures in the same write. Harmless to
    /// repeat (given back and counted once), and a no-op once the generation
    /// is recorded, so a failure whose outcome was unknown can always call it.
    async fn release_generations(
        &self,
        reservation: &Reservation,
        failure: &str,
    ) -> StoreResult<()>;

    /// Ends a reservation that served without a record (a reproduction,
    /// which stores nothing): what it counted stays counted. Harmless to repeat.
    async fn settle_reservation(&self, reservation: &Reservation) -> StoreResult<()>;

    /// Up to `limit` reservations, of every user, made before `before` and
    /// neither recorded nor given back.
    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>>;
}

/// The counters and records that protect the service: fixed-window rate
/// limits and idempotency keys.
#[async_trait]
pub trait Guards: Send + Sync {
    /// Counts one event in the fixed window `[window_start, window_start + window_secs)`.
    async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_secs: u64,
        limit: u32,
        now: i64,
    ) -> StoreResult<Admission>;

    async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim>;

    async fn complete_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        response: &str,
    ) -> StoreResult<()>;

    async fn release_idempotency_key(&self, user_id: &str, key: &str) -> StoreResult<()>;
}

/// The operator's figures: aggregate counters kept beside the data they
/// count, so reading them never walks users or images. Generations, images,
/// failures, users and stored bytes are counted in the same writes as the
/// records (`insert_images`, `release_generations`, `create_user`, deletes);
/// this trait adds what has no record of its own.
#[async_trait]
pub trait Statistics: Send + Sync {
    /// Adds refusals and client error reports to a day's counters.
    async fn add_to_day(&self, day: &str, tally: DayTally) -> StoreResult<()>;

    /// Notes that the user made something on `day`: each user counts in the
    /// day they were last active, so "active in the last N days" is a sum of
    /// N days. Harmless to repeat.
    async fn mark_active(&self, user_id: &str, day: &str) -> StoreResult<()>;

    /// The totals, the counters of each day from `first_day` to `last_day`
    /// (`YYYY-MM-DD`; days with nothing counted are left out) and the
    /// all-time counters of each model.
    async fn statistics(&self, first_day: &str, last_day: &str) -> StoreResult<Figures>;
}

/// Counters of one day that no other record carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTally {
    pub rate_limited: u64,
    pub client_errors: u64,
}

/// What [`Statistics::statistics`] reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub users: u64,
    /// Stored images, the trashed ones included, and their originals' bytes.
    pub images: u64,
    pub storage_bytes: u64,
    pub days: Vec<DayFigures>,
    pub models: Vec<ModelFigures>,
}

/// One day's counters (UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayFigures {
    pub day: String,
    /// Generations recorded, and their images.
    pub generations: u64,
    pub images: u64,
    /// Generations that failed after their quota was reserved, by error code.
    pub failures: std::collections::BTreeMap<String, u64>,
    pub rate_limited: u64,
    pub client_errors: u64,
    /// Users whose last active day this is.
    pub last_active_users: u64,
}

/// All-time counters of one model of one provider.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelFigures {
    pub provider: String,
    pub model: String,
    pub generations: u64,
    pub images: u64,
}

/// Drafts: previews outside the gallery that live until they expire, and
/// the record of which gallery image keeping one made.
#[async_trait]
pub trait Drafts: Send + Sync {
    /// Records a draft whose object is stored, and removes the reservation
    /// that counted it (the draft's id) in the same write.
    async fn insert_draft(&self, draft: &DraftRecord) -> StoreResult<()>;

    /// One of the user's drafts, expired or not, while its record lasts.
    async fn draft(&self, user_id: &str, draft_id: &str) -> StoreResult<Option<DraftRecord>>;

    /// Names `image_id` as the gallery image keeping the draft makes, unless
    /// an earlier keep named one: answers the image id that stands, or
    /// `None` when the user has no such draft.
    async fn claim_draft(
        &self,
        user_id: &str,
        draft_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<String>>;

    /// Up to `limit` drafts, of every user, that expired before `now`.
    async fn expired_drafts(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<DraftRef>>;

    /// Forgets a draft (its object is the caller's); harmless to repeat.
    async fn delete_draft(&self, draft: &DraftRef) -> StoreResult<()>;
}

/// A key a user made for scripts: only the SHA-256 of its secret is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// A ULID; the secret carries it, so a request's key is found by id.
    pub id: String,
    pub user_id: String,
    pub name: String,
    /// The secret's first characters, to tell keys apart.
    pub prefix: String,
    pub secret_hash: [u8; 32],
    pub created_at: OffsetDateTime,
    /// `None`: the key works until revoked.
    pub expires_at: Option<OffsetDateTime>,
    /// Recorded at most once a minute (see [`ApiKeys::note_api_key_use`]).
    pub last_used_at: Option<OffsetDateTime>,
}

impl ApiKeyRecord {
    pub fn has_expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|expires_at| expires_at <= now)
    }
}

/// Keys that act as their owner in scripts, in place of a sign-in.
#[async_trait]
pub trait ApiKeys: Send + Sync {
    /// Removes the user's expired keys, then records `key` if that leaves
    /// them fewer than `max_live` keys, in one atomic step; `false` (nothing
    /// recorded) when they already have `max_live`.
    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        max_live: u32,
        now: OffsetDateTime,
    ) -> StoreResult<bool>;

    /// The user's keys, expired ones included until the next creation
    /// removes them, newest first.
    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>>;

    /// Forgets a key at once; `false` when the user has no such key.
    async fn revoke_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<bool>;

    /// A key by its id, with its owner: what signing a request in reads.
    async fn api_key(&self, key_id: &str) -> StoreResult<Option<(ApiKeyRecord, User)>>;

    /// Records that the key was used at `now`, unless a use at or after
    /// `unless_since` is already recorded: at most one write a minute, however
    /// busy the key, and concurrent requests write once. `key` is the record
    /// the request was signed in by, so no store read is needed to find it.
    async fn note_api_key_use(
        &self,
        key: &ApiKeyRecord,
        now: OffsetDateTime,
        unless_since: OffsetDateTime,
    ) -> StoreResult<()>;
}

/// What a share link shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareKind {
    Image,
    Collection,
}

impl ShareKind {
    /// The kind's name in both stores and the API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Collection => "collection",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Image, Self::Collection]
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// A public link to one image or collection of one user. Its token is
/// derived from the id with the server's key, so the record alone does not
/// give a working link away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRecord {
    /// A ULID.
    pub id: String,
    pub user_id: String,
    pub kind: ShareKind,
    /// The shared image's or collection's id.
    pub target_id: String,
    pub show_prompt: bool,
    pub created_at: OffsetDateTime,
}

/// Public links to images and collections: at most one per shared thing.
#[async_trait]
pub trait Shares: Send + Sync {
    /// Shares `share.target_id` unless it is shared already, in one atomic
    /// step: answers the share that stands (with `show_prompt` as asked)
    /// and whether it was made now.
    async fn put_share(&self, share: &ShareRecord) -> StoreResult<(ShareRecord, bool)>;

    /// The share of one of the user's images or collections.
    async fn share_of(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<Option<ShareRecord>>;

    /// A share by its id: what a public link reads.
    async fn share_by_id(&self, share_id: &str) -> StoreResult<Option<ShareRecord>>;

    /// The user's shares, newest first.
    async fn list_shares(&self, user_id: &str) -> StoreResult<Vec<ShareRecord>>;

    /// Stops sharing at once; `false` when it was not shared.
    async fn delete_share(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<bool>;
}

/// A ZIP of some of a user's images, kept in object storage until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    /// A ULID.
    pub id: String,
    pub user_id: String,
    pub object_key: String,
    pub image_count: u64,
    /// The ZIP's size.
    pub bytes: u64,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// The exports users made, until the sweep removes them with their ZIPs.
#[async_trait]
pub trait Exports: Send + Sync {
    /// Records an export whose ZIP is stored.
    async fn insert_export(&self, export: &ExportRecord) -> StoreResult<()>;

    /// The user's exports that have not expired at `now`, newest first
    /// (by `created_at`, then id).
    async fn list_exports(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<ExportRecord>>;

    /// One of the user's exports, expired or not, while its record lasts.
    async fn export(&self, user_id: &str, export_id: &str) -> StoreResult<Option<ExportRecord>>;

    /// Up to `limit` exports, of every user, that expired before `now`.
    async fn expired_exports(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ExportRecord>>;

    /// Forgets an export (its ZIP is the caller's); harmless to repeat.
    async fn delete_export(&self, export: &ExportRecord) -> StoreResult<()>;
}

/// The whole metadata store, as the application holds it: each backend
/// implements every part.
pub trait MetadataStore:
    Accounts
    + Sessions
    + Gallery
    + Collections
    + Quotas
    + Guards
    + Statistics
    + Drafts
    + ApiKeys
    + Shares
    + Exports
    + 'static
{
}

impl<T> MetadataStore for T where
    T: Accounts
        + Sessions
        + Gallery
        + Collections
        + Quotas
        + Guards
        + Statistics
        + Drafts
        + ApiKeys
        + Shares
        + Exports
        + 'static
{
}
