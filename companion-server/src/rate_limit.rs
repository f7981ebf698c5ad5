//! A per-token rate limit on the upload API: each token has a bucket of
//! `per_minute` requests that refills evenly over a minute, so a client may
//! burst (the parts of one upload) but not flood. Past it the server answers
//! 429 with `Retry-After`, which the extension waits out like any busy server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The buckets of every token seen.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimiter {
    /// `per_minute` requests per token per minute; 0 turns the limit off.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one request from `token_id`'s bucket at `now`, or say how long until one is there.
    pub fn take(&self, token_id: i64, now: Instant) -> Result<(), Duration> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (left, since) = buckets.entry(token_id).or_insert((capacity, now));
        let refilled = now.saturating_duration_since(*since).as_secs_f64() * per_second;
        *left = (*left + refilled).min(capacity);
        *since = now;
        if *left >= 1.0 {
            *left -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *left) / per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_may_burst_then_waits_while_others_go_on() {
        let limiter = RateLimiter::new(3);
        let start = Instant::now();
        assert!((0..3).all(|_| limiter.take(1, start).is_ok()));
        let wait = limiter.take(1, start).unwrap_err();
        assert_eq!(wait.as_secs(), 20, "one request back every 20 s");
        assert!(
            limiter.take(2, start).is_ok(),
            "each token has its own bucket"
        );
        assert!(limiter.take(1, start + Duration::from_secs(21)).is_ok());
        let unlimited = RateLimiter::new(0);
        assert!((0..1000).all(|_| unlimited.take(1, start).is_ok()));
    }
}
