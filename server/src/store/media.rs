//! Object storage for image files, and the signed URLs browsers load them by.
//!
//! Objects live behind `object_store`, so the local folder used offline and a
//! cloud bucket look the same to the rest of the server. Keys are always made
//! here from server-side ids, never from anything a client sent. Browsers load
//! local files through our HMAC-signed `/api/media` URLs, S3 objects through
//! presigned S3 URLs (the bucket stays private), or through a CDN in front of it.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, SystemTime},
};

use anyhow::Context;
use bytes::Bytes;
use futures::{TryStreamExt, stream::BoxStream};
use hmac::{Hmac, Mac};
use object_store::{
    Attribute, Attributes, ObjectMeta, ObjectStore, PutMultipartOptions, PutOptions, PutPayload,
    WriteMultipart, local::LocalFileSystem, path::Path as ObjectPath,
};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::store::aws::{PresignSession, S3Presigner};

type HmacSha256 = Hmac<Sha256>;

/// Where one image's two files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageKeys {
    pub original: String,
    pub thumbnail: String,
}

impl ImageKeys {
    pub fn new(user_id: &str, image_id: &str, extension: &str) -> Self {
        Self {
            original: format!("users/{user_id}/{image_id}.{extension}"),
            thumbnail: format!("users/{user_id}/{image_id}.thumb.jpg"),
        }
    }
}

/// Stored objects never change (a new image gets a new key), so caches may keep them.
pub const OBJECT_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

#[derive(Clone)]
pub struct MediaStore {
    objects: Arc<dyn ObjectStore>,
    signer: UrlSigner,
    links: Links,
    /// Whether objects live in an S3 bucket. They then carry their own
    /// Content-Type and Cache-Control (local files are served by `/api/media`,
    /// which sets them itself), and a missing key may answer 403 (see [`Self::get`]).
    in_bucket: bool,
    /// The images folder, for local files.
    local_root: Option<PathBuf>,
    /// Presigns downloads that must not go through the API (exports), in a bucket.
    presigner: Option<S3Presigner>,
}

/// How browsers reach the files.
#[derive(Clone)]
enum Links {
    /// `/api/media/...`, signed with our own key.
    Local,
    /// Presigned GET URLs straight to the bucket.
    Presigned(S3Presigner),
    /// `CDN_BASE_URL/key` (e.g. CloudFront with origin access to the bucket).
    Cdn(Cdn),
}

/// A CDN in front of the bucket, and how its URLs are signed.
#[derive(Clone)]
pub struct Cdn {
    base: String,
    /// The path part of `base` (`""` or `/images`), which the CDN sees in
    /// front of every key.
    base_path: String,
    /// Unset: plain URLs that never expire.
    signing: Option<HmacSha256>,
}

impl Cdn {
    /// URLs under `base`; with a `secret`, each carries `exp` and `sig`, which
    /// the CDN's viewer-request function (`infra/cdn/signed-images.js`)
    /// checks before it serves the file.
    pub fn new(base: &str, secret: Option<&[u8]>) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        let base_path = base[crate::store::aws::origin_of(&base).len()..].to_owned();
        Self {
            base,
            base_path,
            signing: secret.map(|secret| {
                HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length")
            }),
        }
    }

    /// The URL of `key`, valid until `expires` (Unix seconds) when signed.
    /// The signature is the first 128 bits of HMAC-SHA256 over
    /// `<URL path>\n<expires>`, in hex.
    fn url(&self, key: &str, expires: i64) -> String {
        let Some(keyed) = &self.signing else {
            return format!("{}/{key}", self.base);
        };
        let mut mac = keyed.clone();
        mac.update(format!("{}/{key}\n{expires}", self.base_path).as_bytes());
        let signature = hex::encode(&mac.finalize().into_bytes()[..16]);
        format!("{}/{key}?exp={expires}&sig={signature}", self.base)
    }
}

impl MediaStore {
    /// Files under `root` on the local disk.
    pub fn local(root: &Path, signer: UrlSigner) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root)
            .with_context(|| format!("creating image folder {}", root.display()))?;
        let objects = LocalFileSystem::new_with_prefix(root)?.with_automatic_cleanup(true);
        Ok(Self {
            objects: Arc::new(objects),
            signer,
            links: Links::Local,
            in_bucket: false,
            local_root: Some(root.to_owned()),
            presigner: None,
        })
    }

    /// Objects in an S3 bucket; browsers get presigned URLs, or CDN URLs when
    /// a `cdn` is given. `signer` still signs gallery cursors.
    pub fn s3(
        objects: Arc<dyn ObjectStore>,
        presigner: S3Presigner,
        cdn: Option<Cdn>,
        signer: UrlSigner,
    ) -> Self {
        let links = match cdn {
            Some(cdn) => Links::Cdn(cdn),
            None => Links::Presigned(presigner.clone()),
        };
        Self {
            objects,
            signer,
            links,
            in_bucket: true,
            local_root: None,
            presigner: Some(presigner),
        }
    }

    /// The same store with its objects behind `objects` (e.g. a wrapper that
    /// injects failures in tests).
    pub fn with_objects(mut self, objects: Arc<dyn ObjectStore>) -> Self {
        self.objects = objects;
        self
    }

    pub fn objects(&self) -> Arc<dyn ObjectStore> {
        self.objects.clone()
    }

    /// The origin browsers load images from when it is not our own (for the CSP).
    pub fn external_origin(&self) -> Option<String> {
        match &self.links {
            Links::Local => None,
            Links::Presigned(presigner) => Some(presigner.origin()),
            Links::Cdn(cdn) => Some(crate::store::aws::origin_of(&cdn.base)),
        }
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> anyhow::Result<()> {
        let mut options = PutOptions::default();
        if self.in_bucket {
            // The type comes from the validated bytes, never from the key.
            let content_type = ImageFormat::sniff(&bytes)
                .map(ImageFormat::content_type)
                .unwrap_or("application/octet-stream");
            options.attributes = Attributes::from_iter([
                (Attribute::ContentType, content_type),
                (Attribute::CacheControl, OBJECT_CACHE_CONTROL),
            ]);
        }
        self.objects
            .put_opts(
                &ObjectPath::from(key),
                PutPayload::from_bytes(bytes),
                options,
            )
            .await
            .with_context(|| format!("storing object {key}"))?;
        Ok(())
    }

    /// Starts writing a large object in parts, so it never has to be whole in
    /// memory; nothing is visible under `key` until [`Upload::finish`].
    pub async fn upload(
        &self,
        key: &str,
        content_type: &'static str,
        content_disposition: String,
    ) -> anyhow::Result<Upload> {
        let mut options = PutMultipartOptions::default();
        if self.in_bucket {
            options.attributes = Attributes::from_iter([
                (Attribute::ContentType, content_type.to_owned()),
                (Attribute::ContentDisposition, content_disposition),
            ]);
        }
        let upload = self
            .objects
            .put_multipart_opts(&ObjectPath::from(key), options)
            .await
            .with_context(|| format!("starting to store object {key}"))?;
        Ok(Upload {
            key: key.to_owned(),
            parts: WriteMultipart::new_with_chunk_size(upload, UPLOAD_PART_BYTES),
            written: 0,
        })
    }

    /// The object's size and its bytes as a stream, or `None` when it does
    /// not exist: a large file is served without holding it in memory.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> anyhow::Result<Option<(u64, BoxStream<'static, object_store::Result<Bytes>>)>> {
        match self.objects.get(&ObjectPath::from(key)).await {
            Ok(result) => Ok(Some((result.meta.size, result.into_stream()))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(error).with_context(|| format!("reading object {key}")),
        }
    }

    /// A URL that downloads `key` straight from the bucket for the next
    /// `lifetime_secs` (at most until `until`); `None` for local files,
    /// which the API serves itself.
    pub async fn direct_download_url(
        &self,
        key: &str,
        now_unix: i64,
        until_unix: i64,
        lifetime_secs: i64,
    ) -> anyhow::Result<Option<String>> {
        let Some(presigner) = &self.presigner else {
            return Ok(None);
        };
        let session = presigner.session().await?;
        Ok(Some(session.url(
            key,
            now_unix,
            until_unix.min(now_unix + lifetime_secs),
        )?))
    }

    /// Every object under `prefix`, with its size and last change.
    pub async fn list(&self, prefix: &str) -> anyhow::Result<Vec<ObjectMeta>> {
        self.objects
            .list(Some(&ObjectPath::from(prefix)))
            .try_collect()
            .await
            .with_context(|| format!("listing objects under {prefix}"))
    }

    /// Files a killed write left in the local folder under `prefix`, last
    /// changed before `cutoff`, as keys (`users/u/i.png#3`). The local store
    /// writes each file as `<key>#<digits>` and renames it when the write
    /// completes; its listing hides such names, so [`Self::list`] never
    /// shows them. A bucket has none: a put there lands whole or not at all.
    pub async fn unfinished_writes(
        &self,
        prefix: &str,
        cutoff: SystemTime,
    ) -> anyhow::Result<Vec<String>> {
        let Some(root) = self.local_root.clone() else {
            return Ok(Vec::new());
        };
        let prefix = prefix.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut found = Vec::new();
            let mut folders = vec![root.join(&prefix)];
            while let Some(folder) = folders.pop() {
                let entries = match std::fs::read_dir(&folder) {
                    Ok(entries) => entries,
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(error) => {
                        return Err(error).with_context(|| format!("reading {}", folder.display()));
                    }
                };
                for entry in entries {
                    let entry = entry?;
                    let metadata = entry.metadata()?;
                    if metadata.is_dir() {
                        folders.push(entry.path());
                    } else if is_staged_write(&entry.file_name().to_string_lossy())
                        && metadata.modified()? < cutoff
                        && let Ok(relative) = entry.path().strip_prefix(&root)
                    {
                        found.push(relative.to_string_lossy().replace('\\', "/"));
                    }
                }
            }
            Ok(found)
        })
        .await?
    }

    /// Removes a file [`Self::unfinished_writes`] found.
    pub async fn delete_unfinished_write(&self, key: &str) -> anyhow::Result<()> {
        let Some(root) = &self.local_root else {
            return Ok(());
        };
        match tokio::fs::remove_file(root.join(key)).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(error).with_context(|| format!("removing {key}"))
            }
            _ => Ok(()),
        }
    }

    /// Link-making for one answer: credentials (for presigning) are fetched once.
    pub async fn links(&self, now_unix: i64, public_base_url: &str) -> anyhow::Result<MediaLinks> {
        let kind = match &self.links {
            Links::Local => LinkKind::Local {
                signer: self.signer.clone(),
                base: public_base_url.trim_end_matches('/').to_owned(),
            },
            Links::Presigned(presigner) => LinkKind::Presigned(presigner.session().await?),
            Links::Cdn(cdn) => LinkKind::Cdn(cdn.clone()),
        };
        Ok(MediaLinks {
            kind,
            now_unix,
            ttl: self.signer.ttl.as_secs() as i64,
        })
    }

    /// Until when (unix seconds) the links [`MediaStore::links`] makes at
    /// `now_unix` stay exactly the same, so an answer holding them may be
    /// sent again unchanged. `None` for presigned URLs, which carry their
    /// signing time and may be signed with short-lived credentials.
    pub fn links_unchanged_until(&self, now_unix: i64) -> Option<i64> {
        match &self.links {
            Links::Local | Links::Cdn(_) => Some(
                expiry(now_unix, self.signer.ttl.as_secs() as i64)
                    - self.signer.ttl.as_secs() as i64,
            ),
            Links::Presigned(_) => None,
        }
    }

    /// The object's bytes, or `None` when it does not exist.
    ///
    /// S3 answers 403, not 404, for a missing key when the caller may not list
    /// the bucket there, which is how the template's role is set up (it may
    /// list only for the sweep, under `users/`). Every key read here comes from
    /// a record or a signed URL and the role may read every one of them, so an
    /// `AccessDenied` means the object is gone; other refusals (expired or
    /// wrong credentials) stay errors.
    pub async fn get(&self, key: &str) -> anyhow::Result<Option<Bytes>> {
        match self.objects.get(&ObjectPath::from(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error @ object_store::Error::PermissionDenied { .. })
                if self.in_bucket && error.to_string().contains("<Code>AccessDenied</Code>") =>
            {
                tracing::debug!(key, "S3 refused a read, as it does for a missing key");
                Ok(None)
            }
            Err(error) => Err(error).with_context(|| format!("reading object {key}")),
        }
    }

    /// Removes the object; removing one that is already gone succeeds, so a
    /// half-finished delete can simply be run again.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.objects.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error).with_context(|| format!("deleting object {key}")),
        }
    }

    pub fn signer(&self) -> &UrlSigner {
        &self.signer
    }
}

/// Parts of an [`Upload`] are this large (S3 wants at least 5 MiB but the last).
const UPLOAD_PART_BYTES: usize = 8 << 20;
/// Parts of one upload sent at once: memory stays under this many parts.
const UPLOAD_PARTS_IN_FLIGHT: usize = 2;

/// A large object being written in parts (see [`MediaStore::upload`]).
pub struct Upload {
    key: String,
    parts: WriteMultipart,
    written: u64,
}

impl Upload {
    /// Adds `bytes`, waiting while too many parts are still on their way.
    pub async fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        self.parts
            .wait_for_capacity(UPLOAD_PARTS_IN_FLIGHT)
            .await
            .with_context(|| format!("storing object {}", self.key))?;
        self.parts.write(bytes);
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Completes the object; answers its size.
    pub async fn finish(self) -> anyhow::Result<u64> {
        self.parts
            .finish()
            .await
            .with_context(|| format!("storing object {}", self.key))?;
        Ok(self.written)
    }

    /// Gives up: the parts sent so far are removed.
    pub async fn abort(self) {
        let key = self.key.clone();
        if let Err(error) = self.parts.abort().await {
            tracing::warn!(key, %error, "abandoning an upload failed; the bucket's lifecycle rule removes its parts");
        }
    }
}

/// The URLs of images in one answer.
pub struct MediaLinks {
    kind: LinkKind,
    now_unix: i64,
    ttl: i64,
}

enum LinkKind {
    Local { signer: UrlSigner, base: String },
    Presigned(PresignSession),
    Cdn(Cdn),
}

impl MediaLinks {
    /// The URLs of an image's original and thumbnail. Signed URLs last until a
    /// whole hour at least the configured lifetime away, so they stay the same
    /// for an hour and browsers can cache.
    pub fn urls(&self, original: &str, thumbnail: &str) -> anyhow::Result<(String, String)> {
        Ok(match &self.kind {
            LinkKind::Local { signer, base } => {
                let signed = signer.sign_media(original, self.now_unix);
                (
                    format!("{base}{}", signed.path(original)),
                    format!("{base}{}", signed.path(thumbnail)),
                )
            }
            LinkKind::Presigned(session) => {
                let expires = expiry(self.now_unix, self.ttl);
                (
                    session.url(original, self.now_unix, expires)?,
                    session.url(thumbnail, self.now_unix, expires)?,
                )
            }
            LinkKind::Cdn(cdn) => {
                let expires = expiry(self.now_unix, self.ttl);
                (cdn.url(original, expires), cdn.url(thumbnail, expires))
            }
        })
    }
}

/// The whole hour at least `ttl` seconds after `now`.
fn expiry(now_unix: i64, ttl: i64) -> i64 {
    (now_unix + ttl).div_euclid(3600) * 3600 + 3600
}

/// Signs media URLs and opaque tokens with one server key (HMAC-SHA256).
#[derive(Clone)]
pub struct UrlSigner {
    /// HMAC state with the key already absorbed; cloning it skips rehashing the key.
    keyed: HmacSha256,
    ttl: Duration,
}

impl UrlSigner {
    pub fn new(key: Vec<u8>, ttl: Duration) -> Self {
        let key = SecretSlice::from(key);
        Self {
            keyed: HmacSha256::new_from_slice(key.expose_secret())
                .expect("HMAC accepts keys of any length"),
            ttl,
        }
    }

    fn mac(&self, domain: &str, message: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        // The domain keeps a signature made for one purpose useless for another.
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(message);
        mac
    }

    pub fn sign(&self, domain: &str, message: &[u8]) -> String {
        hex::encode(&self.mac(domain, message).finalize().into_bytes()[..16])
    }

    pub fn verify(&self, domain: &str, message: &[u8], signature: &str) -> bool {
        let Ok(given) = hex::decode(signature) else {
            return false;
        };
        let expected = self.mac(domain, message).finalize().into_bytes();
        given.len() == 16 && bool::from(expected[..16].ct_eq(&given))
    }

    /// Signs access to one image's files until a whole-hour boundary at least
    /// `ttl` from now. Rounding keeps URLs stable for an hour, so browsers can
    /// cache. The signature covers the image's key stem, so one HMAC serves the
    /// original and its thumbnail alike (whoever may see one may see both).
    pub fn sign_media(&self, key: &str, now_unix: i64) -> SignedMedia {
        let expires = expiry(now_unix, self.ttl.as_secs() as i64);
        let signature = self.sign("media", format!("{}\n{expires}", key_stem(key)).as_bytes());
        SignedMedia { expires, signature }
    }

    pub fn media_path(&self, key: &str, now_unix: i64) -> String {
        self.sign_media(key, now_unix).path(key)
    }

    pub fn verify_media(&self, key: &str, expires: i64, signature: &str, now_unix: i64) -> bool {
        expires > now_unix
            && self.verify(
                "media",
                format!("{}\n{expires}", key_stem(key)).as_bytes(),
                signature,
            )
    }
}

/// A media signature and its expiry, valid for every file of one image.
#[derive(Debug, Clone)]
pub struct SignedMedia {
    expires: i64,
    signature: String,
}

impl SignedMedia {
    /// The URL path of `key`, which must be a file of the image that was signed.
    pub fn path(&self, key: &str) -> String {
        format!(
            "/api/media/{key}?exp={}&sig={}",
            self.expires, self.signature
        )
    }
}

/// Whether a file name is the local store's name for a write in progress:
/// `<name>#<digits>`.
fn is_staged_write(name: &str) -> bool {
    name.rsplit_once('#').is_some_and(|(stem, suffix)| {
        !stem.is_empty() && !suffix.is_empty() && suffix.bytes().all(|byte| byte.is_ascii_digit())
    })
}

/// `users/u/i.thumb.jpg` and `users/u/i.png` both belong to `users/u/i`.
fn key_stem(key: &str) -> &str {
    if let Some(stem) = key.strip_suffix(".thumb.jpg") {
        return stem;
    }
    match key.rfind(['.', '/']) {
        Some(dot) if key[dot..].starts_with('.') => &key[..dot],
        _ => key,
    }
}

/// The image formats the studio keeps, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Webp,
}

impl ImageFormat {
    /// The format the bytes are in, from their magic number; never from a name.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> UrlSigner {
        UrlSigner::new(vec![7; 32], Duration::from_secs(3600))
    }

    /// Runs the CDN's viewer-request function (`infra/cdn/signed-images.js`)
    /// under Node, as CloudFront would with `secret` deployed and its clock at
    /// `now_unix`: the status each URL gets, and the query string it forwards.
    fn cdn_function(secret: &str, now_unix: i64, urls: &[&str]) -> Vec<(u16, serde_json::Value)> {
        use std::io::Write;
        let infra = Path::new(env!("CARGO_MANIFEST_DIR")).join("../infra/cdn");
        let mut node = std::process::Command::new("node")
            .arg(infra.join("run_function.mjs"))
            .arg(infra.join("signed-images.js"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node runs the CDN function");
        let input = serde_json::json!({"secret": secret, "now_unix": now_unix, "urls": urls});
        node.stdin
            .take()
            .unwrap()
            .write_all(input.to_string().as_bytes())
            .unwrap();
        let output = node.wait_with_output().unwrap();
        assert!(output.status.success(), "the CDN function failed");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let outcome: serde_json::Value = serde_json::from_str(line).unwrap();
                (
                    outcome["status"].as_u64().unwrap() as u16,
                    outcome["querystring"].clone(),
                )
            })
            .collect()
    }

    /// CDN URLs the server signs open their file at the CDN until they
    /// expire, and one cached copy serves every URL of a file; a URL for
    /// another file, with a changed signature or expiry, without a signature,
    /// or signed with another secret is refused.
    #[test]
    fn signed_cdn_urls_open_their_file_until_they_expire_and_nothing_else_does() {
        let secret = "the-cdn-signing-secret-0123456789abcdef";
        let now = 1_790_000_000;
        let links = MediaLinks {
            kind: LinkKind::Cdn(Cdn::new(
                "https://cdn.example.com/images/",
                Some(secret.as_bytes()),
            )),
            now_unix: now,
            ttl: 3600,
        };
        let (original, thumbnail) = links
            .urls("users/u1/01JA.png", "users/u1/01JA.thumb.jpg")
            .unwrap();
        assert!(original.starts_with("https://cdn.example.com/images/users/u1/01JA.png?exp="));
        let expires: i64 = original.split("exp=").nth(1).unwrap()[..10]
            .parse()
            .unwrap();
        assert_eq!(expires, expiry(now, 3600));
        let signature = original.split("sig=").nth(1).unwrap();
        let tampered = format!(
            "{}{}",
            &original[..original.len() - 1],
            if signature.ends_with('0') { '1' } else { '0' }
        );
        let another_file = original.replace("01JA.png", "01JB.png");
        let later = original.replace(&expires.to_string(), &(expires + 3600).to_string());
        let unsigned = original.split('?').next().unwrap().to_owned();
        let urls = [
            original.as_str(),
            &thumbnail,
            &another_file,
            &tampered,
            &later,
            &unsigned,
        ];
        let outcomes = cdn_function(secret, now, &urls);
        let statuses: Vec<u16> = outcomes.iter().map(|(status, _)| *status).collect();
        assert_eq!(statuses, [200, 200, 403, 403, 403, 403]);
        assert_eq!(
            outcomes[0].1,
            serde_json::json!({}),
            "one cache key per file"
        );

        let expired = cdn_function(secret, expires, &[&original]);
        assert_eq!(expired[0].0, 403);
        let other_secret = cdn_function("another-secret-0123456789abcdefghijkl", now, &[&original]);
        assert_eq!(other_secret[0].0, 403);
    }

    #[test]
    fn only_the_local_stores_names_for_writes_under_way_count_as_staged() {
        assert!(is_staged_write("01JA.png#3"));
        assert!(!is_staged_write("01JA.png"));
        assert!(!is_staged_write("01JA.png#"));
        assert!(!is_staged_write("01JA.png#a1"));
        assert!(!is_staged_write("#3"));
    }

    #[test]
    fn cdn_urls_without_a_secret_are_plain() {
        let links = MediaLinks {
            kind: LinkKind::Cdn(Cdn::new("https://cdn.example.com", None)),
            now_unix: 1_790_000_000,
            ttl: 3600,
        };
        let (original, _) = links
            .urls("users/u1/01JA.png", "users/u1/01JA.thumb.jpg")
            .unwrap();
        assert_eq!(original, "https://cdn.example.com/users/u1/01JA.png");
    }

    #[test]
    fn a_signed_media_path_verifies_until_it_expires() {
        let path = signer().media_path("users/u/i.jpg", 1_000_000);
        let query = path.split_once('?').unwrap().1;
        let exp: i64 = query.split('&').next().unwrap()[4..].parse().unwrap();
        let sig = query.split("sig=").nth(1).unwrap();
        assert!(exp >= 1_000_000 + 3600);
        assert!(signer().verify_media("users/u/i.jpg", exp, sig, 1_000_000));
        assert!(!signer().verify_media("users/u/i.jpg", exp, sig, exp));
        assert!(!signer().verify_media("users/u/j.jpg", exp, sig, 1_000_000));
        assert!(!signer().verify_media("users/u/i.jpg", exp + 1, sig, 1_000_000));
    }

    #[test]
    fn one_signature_opens_an_images_original_and_thumbnail_only() {
        let signed = signer().sign_media("users/u/i.jpg", 1_000_000);
        let thumbnail = signed.path("users/u/i.thumb.jpg");
        let sig = thumbnail.split("sig=").nth(1).unwrap();
        assert!(signer().verify_media("users/u/i.thumb.jpg", signed.expires, sig, 1_000_000));
        assert!(signer().verify_media("users/u/i.jpg", signed.expires, sig, 1_000_000));
        assert!(!signer().verify_media("users/u/i2.thumb.jpg", signed.expires, sig, 1_000_000));
        assert!(!signer().verify_media("users/u/i.thumb.jpg.x", signed.expires, sig, 1_000_000));
    }

    #[test]
    fn signatures_do_not_cross_domains() {
        let sig = signer().sign("cursor", b"abc");
        assert!(signer().verify("cursor", b"abc", &sig));
        assert!(!signer().verify("media", b"abc", &sig));
        assert!(!signer().verify("cursor", b"abc", "zz"));
    }
}
