//! A cheap in-memory limiter per client IP, in front of the whole API.
//!
//! It is the first line against floods and scrapers, not an accounting
//! system: each instance keeps its own token buckets. Limits that must hold
//! across instances and restarts (generations, sign-in attempts) live in the
//! metadata store instead.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{
    http::error::ApiError,
    http::security::{client_ip, limited_as},
    http::state::AppState,
};

/// Past this many tracked addresses, full (idle) buckets are forgotten.
const MAX_TRACKED: usize = 50_000;

#[derive(Clone)]
pub struct IpLimiter {
    per_second: f64,
    burst: f64,
    buckets: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl IpLimiter {
    /// `None` when `per_second` is 0 (limiting off).
    pub fn new(per_second: u32, burst: u32) -> Option<Self> {
        (per_second > 0).then(|| Self::at_rate(f64::from(per_second), burst))
    }

    /// `per_minute` a minute, a burst of as many; `None` when it is 0.
    pub fn per_minute(per_minute: u32) -> Option<Self> {
        (per_minute > 0).then(|| Self::at_rate(f64::from(per_minute) / 60.0, per_minute))
    }

    fn at_rate(per_second: f64, burst: u32) -> Self {
        Self {
            per_second,
            burst: f64::from(burst.max(1)),
            buckets: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Takes one token for `ip`, or says how long until one is available.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_TRACKED {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, bucket| {
                bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(ip).or_insert(Bucket {
            tokens: self.burst,
            updated: now,
        });
        let refill = now.duration_since(bucket.updated).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

/// Refuses a request with 429 when its client has used up its bucket.
pub async fn limit_by_ip(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(limiter) = &state.ip_limiter {
        let ip = client_ip(
            request.headers(),
            request.extensions(),
            state.config.server.trusted_proxy_hops,
        );
        if let Some(ip) = ip
            && let Err(wait) = limiter.check(limited_as(ip), Instant::now())
        {
            return ApiError::RateLimited {
                retry_after: Duration::from_secs(wait.as_secs_f64().ceil() as u64),
            }
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_requests_refill_at_the_rate() {
        let limiter = IpLimiter::new(2, 3).unwrap();
        let ip: IpAddr = "203.0.113.5".parse().unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(ip, start).is_ok());
        }
        let wait = limiter.check(ip, start).unwrap_err();
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-6);
        assert!(
            limiter
                .check(ip, start + Duration::from_millis(500))
                .is_ok()
        );
        assert!(
            limiter
                .check(ip, start + Duration::from_millis(500))
                .is_err()
        );
        // Another client has its own bucket.
        assert!(limiter.check("203.0.113.6".parse().unwrap(), start).is_ok());
    }

    #[test]
    fn zero_turns_limiting_off() {
        assert!(IpLimiter::new(0, 10).is_none());
    }
}
