//! Gallery pages kept as the bytes last sent, so asking again for a page of
//! a gallery that has not changed costs one small read instead of reading,
//! signing and writing out its images again.
//!
//! A page is kept with the owner's gallery version it was read at (see
//! `Gallery::gallery_version`) and the time its links stop being the ones a
//! fresh answer would carry; it is served again only while both still hold,
//! so what is sent is always what a fresh read would send. The same pair,
//! signed, is the page's `ETag`, which lets a browser revalidate for the
//! price of that read alone (304).

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use bytes::Bytes;

/// What the kept pages may weigh together; past it the least recently used
/// half goes.
const BUDGET_BYTES: usize = 16 << 20;

/// One page as it was sent.
#[derive(Clone)]
pub struct Page {
    pub body: Bytes,
    pub etag: String,
}

struct Kept {
    page: Page,
    version: u64,
    links_until: i64,
    last_used: u64,
}

/// The kept pages of every user, by owner and request.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
    clock: AtomicU64,
}

#[derive(Default)]
struct Pages {
    by_request: HashMap<(String, String), Kept>,
    bytes: usize,
}

impl PageCache {
    /// The page kept for this owner and request, if it was read at `version`
    /// and its links are still the current ones at `now_unix`.
    pub fn get(&self, user_id: &str, request: &str, version: u64, now_unix: i64) -> Option<Page> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A tuple key cannot be looked up by borrowed parts; the owned key is
        // two short strings, cheap beside the page it saves.
        let kept = pages
            .by_request
            .get_mut(&(user_id.to_owned(), request.to_owned()))?;
        if kept.version != version || now_unix >= kept.links_until {
            return None;
        }
        kept.last_used = tick;
        Some(kept.page.clone())
    }

    /// Keeps a page read at `version`, whose links stay current until `links_until`.
    pub fn put(&self, user_id: &str, request: &str, version: u64, links_until: i64, page: Page) {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pages.bytes += page.body.len();
        let kept = Kept {
            page,
            version,
            links_until,
            last_used: tick,
        };
        if let Some(old) = pages
            .by_request
            .insert((user_id.to_owned(), request.to_owned()), kept)
        {
            pages.bytes -= old.page.body.len();
        }
        if pages.bytes > BUDGET_BYTES {
            pages.drop_least_used_half();
        }
    }
}

impl Pages {
    fn drop_least_used_half(&mut self) {
        let mut uses: Vec<u64> = self
            .by_request
            .values()
            .map(|kept| kept.last_used)
            .collect();
        let middle = uses.len() / 2;
        let (_, &mut cutoff, _) = uses.select_nth_unstable(middle);
        self.by_request.retain(|_, kept| kept.last_used >= cutoff);
        self.bytes = self
            .by_request
            .values()
            .map(|kept| kept.page.body.len())
            .sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Page {
        Page {
            body: Bytes::from(body.to_owned()),
            etag: format!("\"{body}\""),
        }
    }

    #[test]
    fn a_page_is_served_again_only_at_its_version_and_while_its_links_hold() {
        let cache = PageCache::default();
        cache.put("ann", "limit=24", 7, 1_000, page("first"));
        assert_eq!(cache.get("ann", "limit=24", 7, 999).unwrap().body, "first");
        assert!(
            cache.get("ann", "limit=24", 8, 999).is_none(),
            "the gallery changed"
        );
        assert!(
            cache.get("ann", "limit=24", 7, 1_000).is_none(),
            "new links are due"
        );
        assert!(
            cache.get("bob", "limit=24", 7, 999).is_none(),
            "another owner"
        );
        assert!(
            cache.get("ann", "limit=12", 7, 999).is_none(),
            "another request"
        );
        cache.put("ann", "limit=24", 8, 1_000, page("second"));
        assert_eq!(cache.get("ann", "limit=24", 8, 999).unwrap().body, "second");
    }

    #[test]
    fn past_its_budget_the_least_recently_used_pages_go() {
        let cache = PageCache::default();
        let big = "x".repeat(BUDGET_BYTES / 4 + 1);
        for number in 0..3 {
            cache.put("ann", &number.to_string(), 1, i64::MAX, page(&big));
        }
        // Using the first page makes the second the least recently used.
        assert!(cache.get("ann", "0", 1, 0).is_some());
        cache.put("ann", "3", 1, i64::MAX, page(&big));
        cache.put("ann", "4", 1, i64::MAX, page(&big));
        assert!(cache.get("ann", "1", 1, 0).is_none());
        assert!(cache.get("ann", "4", 1, 0).is_some());
        assert!(cache.pages.lock().unwrap().bytes <= BUDGET_BYTES);
    }
}
