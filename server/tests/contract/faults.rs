//! Failure injection: wrappers around a real store that fail chosen calls, so
//! the tests can check what a failure leaves behind.

use std::{
    fmt,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};

use async_trait::async_trait;
use futures::stream::BoxStream;
use object_store::{
    GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    PutMultipartOptions, PutOptions, PutPayload, PutResult, path::Path,
};
use promptcanvas::store::metadata::{
    Accounts, Admission, ApiKeyRecord, ApiKeys, CollectionChanges, CollectionRecord, Collections,
    Credentials, DayTally, DraftRecord, DraftRef, Drafts, ExportRecord, Exports, Figures, Gallery,
    Guards, IdempotencyClaim, ImagePage, ImageQuery, ImageRecord, ImageRef, Membership,
    MetadataStore, MonthCaps, NewSession, Quotas, Reservation, Reserved, Sessions, ShareKind,
    ShareRecord, Shares, Statistics, StoreError, StoreResult, TrashOutcome, Usage, User,
};
use time::OffsetDateTime;

/// Counts calls from 1; the call numbered `fail_at` (and every later one while
/// `sticky`) fails. 0 means never.
#[derive(Debug, Default)]
pub struct Trigger {
    calls: AtomicUsize,
    fail_at: AtomicUsize,
    sticky: AtomicBool,
}

impl Trigger {
    /// Fails the `n`th call from now on (1 = the next one); `sticky` keeps failing after it.
    pub fn fail_call(&self, n: usize, sticky: bool) {
        self.calls.store(0, Ordering::SeqCst);
        self.sticky.store(sticky, Ordering::SeqCst);
        self.fail_at.store(n, Ordering::SeqCst);
    }

    pub fn heal(&self) {
        self.fail_at.store(0, Ordering::SeqCst);
    }

    fn fires(&self) -> bool {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let at = self.fail_at.load(Ordering::SeqCst);
        at != 0 && (call == at || (call > at && self.sticky.load(Ordering::SeqCst)))
    }
}

fn injected() -> object_store::Error {
    object_store::Error::Generic {
        store: "faulty",
        source: "injected failure".into(),
    }
}

#[derive(Debug)]
pub struct FaultyObjects {
    inner: Arc<dyn ObjectStore>,
    pub puts: Trigger,
    pub deletes: Trigger,
}

impl FaultyObjects {
    pub fn new(inner: Arc<dyn ObjectStore>) -> Arc<Self> {
        Arc::new(Self {
            inner,
            puts: Trigger::default(),
            deletes: Trigger::default(),
        })
    }
}

impl fmt::Display for FaultyObjects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Faulty({})", self.inner)
    }
}

#[async_trait]
impl ObjectStore for FaultyObjects {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        if self.puts.fires() {
            return Err(injected());
        }
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(
        &self,
        location: &Path,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        self.inner.get_opts(location, options).await
    }

    async fn delete(&self, location: &Path) -> object_store::Result<()> {
        if self.deletes.fires() {
            return Err(injected());
        }
        self.inner.delete(location).await
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy(&self, from: &Path, to: &Path) -> object_store::Result<()> {
        self.inner.copy(from, to).await
    }

    async fn copy_if_not_exists(&self, from: &Path, to: &Path) -> object_store::Result<()> {
        self.inner.copy_if_not_exists(from, to).await
    }
}

/// Fails image writes on demand; every other call goes straight through.
pub struct FaultyMetadata {
    inner: Arc<dyn MetadataStore>,
    pub inserts: Trigger,
    /// Image records written, then answered as if the answer were lost.
    pub inserts_applied_unanswered: Trigger,
    /// Image records not written, answered as if the answer were lost.
    pub inserts_unapplied_unanswered: Trigger,
    pub deletes: Trigger,
    /// Giving back a quota reservation or an idempotency key.
    pub releases: Trigger,
}

impl FaultyMetadata {
    pub fn new(inner: Arc<dyn MetadataStore>) -> Arc<Self> {
        Arc::new(Self {
            inner,
            inserts: Trigger::default(),
            inserts_applied_unanswered: Trigger::default(),
            inserts_unapplied_unanswered: Trigger::default(),
            deletes: Trigger::default(),
            releases: Trigger::default(),
        })
    }
}

fn store_failure() -> StoreError {
    StoreError::Backend(anyhow::anyhow!("injected failure"))
}

#[async_trait]
impl Accounts for FaultyMetadata {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        self.inner.create_user(user, password_hash).await
    }

    async fn credentials_by_email(&self, email: &str) -> StoreResult<Option<Credentials>> {
        self.inner.credentials_by_email(email).await
    }

    async fn user_by_id(&self, user_id: &str) -> StoreResult<Option<User>> {
        self.inner.user_by_id(user_id).await
    }
}

#[async_trait]
impl Sessions for FaultyMetadata {
    async fn create_session(&self, session: &NewSession) -> StoreResult<()> {
        self.inner.create_session(session).await
    }

    async fn session_user(
        &self,
        token_hash: &[u8; 32],
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>> {
        self.inner.session_user(token_hash, now).await
    }

    async fn delete_session(&self, token_hash: &[u8; 32]) -> StoreResult<()> {
        self.inner.delete_session(token_hash).await
    }
}

#[async_trait]
impl Gallery for FaultyMetadata {
    async fn insert_images(&self, images: &[ImageRecord]) -> StoreResult<()> {
        if self.inserts.fires() {
            return Err(store_failure());
        }
        let lost = || StoreError::OutcomeUnknown(anyhow::anyhow!("injected lost answer"));
        if self.inserts_unapplied_unanswered.fires() {
            return Err(lost());
        }
        self.inner.insert_images(images).await?;
        if self.inserts_applied_unanswered.fires() {
            return Err(lost());
        }
        Ok(())
    }

    async fn list_images(&self, user_id: &str, query: &ImageQuery) -> StoreResult<ImagePage> {
        self.inner.list_images(user_id, query).await
    }

    async fn get_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        self.inner.get_image(user_id, image_id).await
    }

    async fn set_favorite(
        &self,
        user_id: &str,
        image_id: &str,
        favorite: bool,
    ) -> StoreResult<Option<ImageRecord>> {
        self.inner.set_favorite(user_id, image_id, favorite).await
    }

    async fn trash_image(
        &self,
        user_id: &str,
        image_id: &str,
        include_favorites: bool,
        now: OffsetDateTime,
    ) -> StoreResult<TrashOutcome> {
        self.inner
            .trash_image(user_id, image_id, include_favorites, now)
            .await
    }

    async fn restore_image(
        &self,
        user_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<ImageRecord>> {
        self.inner.restore_image(user_id, image_id).await
    }

    async fn expired_trash(
        &self,
        trashed_before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ImageRef>> {
        self.inner.expired_trash(trashed_before, limit).await
    }

    async fn hide_image(&self, user_id: &str, image_id: &str) -> StoreResult<Option<ImageRecord>> {
        self.inner.hide_image(user_id, image_id).await
    }

    async fn delete_image(&self, user_id: &str, image_id: &str) -> StoreResult<()> {
        if self.deletes.fires() {
            return Err(store_failure());
        }
        self.inner.delete_image(user_id, image_id).await
    }

    async fn unfinished_deletes(&self, limit: u32) -> StoreResult<Vec<ImageRef>> {
        self.inner.unfinished_deletes(limit).await
    }

    async fn image_record_exists(&self, user_id: &str, image_id: &str) -> StoreResult<bool> {
        self.inner.image_record_exists(user_id, image_id).await
    }

    async fn gallery_version(&self, user_id: &str) -> StoreResult<Option<u64>> {
        self.inner.gallery_version(user_id).await
    }
}

#[async_trait]
impl Collections for FaultyMetadata {
    async fn create_collection(&self, collection: &CollectionRecord) -> StoreResult<()> {
        self.inner.create_collection(collection).await
    }

    async fn list_collections(&self, user_id: &str) -> StoreResult<Vec<CollectionRecord>> {
        self.inner.list_collections(user_id).await
    }

    async fn get_collection(
        &self,
        user_id: &str,
        collection_id: &str,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.inner.get_collection(user_id, collection_id).await
    }

    async fn owns_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        self.inner.owns_collection(user_id, collection_id).await
    }

    async fn update_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        changes: &CollectionChanges,
        now: OffsetDateTime,
    ) -> StoreResult<Option<CollectionRecord>> {
        self.inner
            .update_collection(user_id, collection_id, changes, now)
            .await
    }

    async fn delete_collection(&self, user_id: &str, collection_id: &str) -> StoreResult<bool> {
        self.inner.delete_collection(user_id, collection_id).await
    }

    async fn add_to_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership> {
        self.inner
            .add_to_collection(user_id, collection_id, image_id, now)
            .await
    }

    async fn remove_from_collection(
        &self,
        user_id: &str,
        collection_id: &str,
        image_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Membership> {
        self.inner
            .remove_from_collection(user_id, collection_id, image_id, now)
            .await
    }
}

#[async_trait]
impl Quotas for FaultyMetadata {
    async fn usage(&self, user_id: &str, month: &str) -> StoreResult<Usage> {
        self.inner.usage(user_id, month).await
    }

    async fn reserve(&self, reservation: &Reservation, caps: MonthCaps) -> StoreResult<Reserved> {
        self.inner.reserve(reservation, caps).await
    }

    async fn release_generations(
        &self,
        reservation: &Reservation,
        failure: &str,
    ) -> StoreResult<()> {
        if self.releases.fires() {
            return Err(store_failure());
        }
        self.inner.release_generations(reservation, failure).await
    }

    async fn settle_reservation(&self, reservation: &Reservation) -> StoreResult<()> {
        self.inner.settle_reservation(reservation).await
    }

    async fn stale_reservations(
        &self,
        before: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<Reservation>> {
        self.inner.stale_reservations(before, limit).await
    }
}

#[async_trait]
impl Drafts for FaultyMetadata {
    async fn insert_draft(&self, draft: &DraftRecord) -> StoreResult<()> {
        self.inner.insert_draft(draft).await
    }

    async fn draft(&self, user_id: &str, draft_id: &str) -> StoreResult<Option<DraftRecord>> {
        self.inner.draft(user_id, draft_id).await
    }

    async fn claim_draft(
        &self,
        user_id: &str,
        draft_id: &str,
        image_id: &str,
    ) -> StoreResult<Option<String>> {
        self.inner.claim_draft(user_id, draft_id, image_id).await
    }

    async fn expired_drafts(&self, now: OffsetDateTime, limit: u32) -> StoreResult<Vec<DraftRef>> {
        self.inner.expired_drafts(now, limit).await
    }

    async fn delete_draft(&self, draft: &DraftRef) -> StoreResult<()> {
        self.inner.delete_draft(draft).await
    }
}

#[async_trait]
impl ApiKeys for FaultyMetadata {
    async fn create_api_key(
        &self,
        key: &ApiKeyRecord,
        max_live: u32,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        self.inner.create_api_key(key, max_live, now).await
    }

    async fn list_api_keys(&self, user_id: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        self.inner.list_api_keys(user_id).await
    }

    async fn revoke_api_key(&self, user_id: &str, key_id: &str) -> StoreResult<bool> {
        self.inner.revoke_api_key(user_id, key_id).await
    }

    async fn api_key(&self, key_id: &str) -> StoreResult<Option<(ApiKeyRecord, User)>> {
        self.inner.api_key(key_id).await
    }

    async fn note_api_key_use(
        &self,
        key: &ApiKeyRecord,
        now: OffsetDateTime,
        unless_since: OffsetDateTime,
    ) -> StoreResult<()> {
        self.inner.note_api_key_use(key, now, unless_since).await
    }
}

#[async_trait]
impl Shares for FaultyMetadata {
    async fn put_share(&self, share: &ShareRecord) -> StoreResult<(ShareRecord, bool)> {
        self.inner.put_share(share).await
    }

    async fn share_of(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<Option<ShareRecord>> {
        self.inner.share_of(user_id, kind, target_id).await
    }

    async fn share_by_id(&self, share_id: &str) -> StoreResult<Option<ShareRecord>> {
        self.inner.share_by_id(share_id).await
    }

    async fn list_shares(&self, user_id: &str) -> StoreResult<Vec<ShareRecord>> {
        self.inner.list_shares(user_id).await
    }

    async fn delete_share(
        &self,
        user_id: &str,
        kind: ShareKind,
        target_id: &str,
    ) -> StoreResult<bool> {
        self.inner.delete_share(user_id, kind, target_id).await
    }
}

#[async_trait]
impl Exports for FaultyMetadata {
    async fn insert_export(&self, export: &ExportRecord) -> StoreResult<()> {
        self.inner.insert_export(export).await
    }

    async fn list_exports(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Vec<ExportRecord>> {
        self.inner.list_exports(user_id, now).await
    }

    async fn export(&self, user_id: &str, export_id: &str) -> StoreResult<Option<ExportRecord>> {
        self.inner.export(user_id, export_id).await
    }

    async fn expired_exports(
        &self,
        now: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<ExportRecord>> {
        self.inner.expired_exports(now, limit).await
    }

    async fn delete_export(&self, export: &ExportRecord) -> StoreResult<()> {
        self.inner.delete_export(export).await
    }
}

#[async_trait]
impl Guards for FaultyMetadata {
    async fn hit_rate_limit(
        &self,
        key: &str,
        window_start: i64,
        window_secs: u64,
        limit: u32,
        now: i64,
    ) -> StoreResult<Admission> {
        self.inner
            .hit_rate_limit(key, window_start, window_secs, limit, now)
            .await
    }

    async fn claim_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim> {
        self.inner
            .claim_idempotency_key(user_id, key, request_hash, now)
            .await
    }

    async fn complete_idempotency_key(
        &self,
        user_id: &str,
        key: &str,
        response: &str,
    ) -> StoreResult<()> {
        self.inner
            .complete_idempotency_key(user_id, key, response)
            .await
    }

    async fn release_idempotency_key(&self, user_id: &str, key: &str) -> StoreResult<()> {
        if self.releases.fires() {
            return Err(store_failure());
        }
        self.inner.release_idempotency_key(user_id, key).await
    }
}

#[async_trait]
impl Statistics for FaultyMetadata {
    async fn add_to_day(&self, day: &str, tally: DayTally) -> StoreResult<()> {
        self.inner.add_to_day(day, tally).await
    }

    async fn mark_active(&self, user_id: &str, day: &str) -> StoreResult<()> {
        self.inner.mark_active(user_id, day).await
    }

    async fn statistics(&self, first_day: &str, last_day: &str) -> StoreResult<Figures> {
        self.inner.statistics(first_day, last_day).await
    }
}
