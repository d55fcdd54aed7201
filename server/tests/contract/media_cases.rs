//! The object storage contract, written once for local files and S3.

use bytes::Bytes;
use promptcanvas::store::media::MediaStore;

fn prefix() -> String {
    format!("users/{}", ulid::Ulid::new())
}

pub async fn objects_round_trip_and_deletes_can_repeat(media: MediaStore) {
    let prefix = prefix();
    let key = format!("{prefix}/a.png");
    let bytes = Bytes::from_static(b"\x89PNG\r\n\x1a\n not really the rest");
    media.put(&key, bytes.clone()).await.unwrap();
    assert_eq!(media.get(&key).await.unwrap(), Some(bytes));
    assert_eq!(
        media.get(&format!("{prefix}/missing.png")).await.unwrap(),
        None
    );
    media.delete(&key).await.unwrap();
    assert_eq!(media.get(&key).await.unwrap(), None);
    media.delete(&key).await.unwrap();
}

pub async fn listing_finds_exactly_the_objects_under_a_prefix(media: MediaStore) {
    let mine = prefix();
    let theirs = prefix();
    for name in ["1.png", "1.thumb.jpg", "2.jpg"] {
        media
            .put(&format!("{mine}/{name}"), Bytes::from_static(b"x"))
            .await
            .unwrap();
    }
    media
        .put(&format!("{theirs}/1.png"), Bytes::from_static(b"y"))
        .await
        .unwrap();
    let mut listed: Vec<String> = media
        .list(&mine)
        .await
        .unwrap()
        .into_iter()
        .map(|meta| meta.location.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        vec![
            format!("{mine}/1.png"),
            format!("{mine}/1.thumb.jpg"),
            format!("{mine}/2.jpg")
        ]
    );
    assert!(media.list(&prefix()).await.unwrap().is_empty());
}

pub async fn links_are_stable_within_the_hour_and_differ_per_image(media: MediaStore) {
    let now = 1_800_000_000;
    let links = media.links(now, "").await.unwrap();
    let again = media.links(now + 60, "").await.unwrap();
    let (original, thumbnail) = links.urls("users/u/a.png", "users/u/a.thumb.jpg").unwrap();
    assert_eq!(
        (original.clone(), thumbnail.clone()),
        again.urls("users/u/a.png", "users/u/a.thumb.jpg").unwrap()
    );
    assert_ne!(original, thumbnail);
    assert_ne!(
        original,
        links
            .urls("users/u/b.png", "users/u/b.thumb.jpg")
            .unwrap()
            .0
    );
}
