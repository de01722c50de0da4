//! What every open page shares: one fetch from the API per key at a time, its answer kept
//! for a while, a failure remembered briefly.
//!
//! A page asking for a key that is being fetched waits for that fetch instead of starting
//! its own, so N pages opened together cost the API one round of requests; an answer is
//! then reused for `fresh_for`, a failure for `failure_for`. The number of keys kept is
//! bounded: when full, keys nobody is waiting on are dropped, stale ones first.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::failure::Failure;

/// An answer and when it was fetched.
struct Stored<V> {
    at: Instant,
    result: Result<Arc<V>, Failure>,
}

/// One key's latest answer; its lock is held while the key is being fetched.
type Slot<V> = Arc<Mutex<Option<Stored<V>>>>;

/// Answers by key, shared by every request.
pub(crate) struct Shared<K, V> {
    slots: std::sync::Mutex<HashMap<K, Slot<V>>>,
    fresh_for: Duration,
    failure_for: Duration,
    capacity: usize,
}

impl<K: Eq + Hash + Clone, V> Shared<K, V> {
    /// Keeps answers for `fresh_for` and failures for `failure_for`, for at most `capacity`
    /// keys (at least one).
    pub(crate) fn new(fresh_for: Duration, failure_for: Duration, capacity: usize) -> Self {
        Shared {
            slots: std::sync::Mutex::new(HashMap::new()),
            fresh_for,
            failure_for,
            capacity: capacity.max(1),
        }
    }

    /// The answer for `key`: the kept one while it is fresh, the one a fetch in flight
    /// brings, or else `fetch`'s (which is then kept, failure included).
    pub(crate) async fn get<F, Fut>(&self, key: K, fetch: F) -> Result<Arc<V>, Failure>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, Failure>>,
    {
        let slot = self.slot(key);
        let mut stored = slot.lock().await;
        if let Some(kept) = stored.as_ref().filter(|s| self.is_fresh(s)) {
            return kept.result.clone();
        }
        let result = fetch().await.map(Arc::new);
        *stored = Some(Stored {
            at: Instant::now(),
            result: result.clone(),
        });
        result
    }

    /// Whether a kept answer may still be served.
    fn is_fresh(&self, stored: &Stored<V>) -> bool {
        let keep = match stored.result {
            Ok(_) => self.fresh_for,
            Err(_) => self.failure_for,
        };
        stored.at.elapsed() < keep
    }

    /// The slot of `key`, made room for when the map is full.
    fn slot(&self, key: K) -> Slot<V> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if !slots.contains_key(&key) && slots.len() >= self.capacity {
            // First the slots nobody holds whose answer is stale, then any nobody holds.
            slots.retain(|_, slot| {
                Arc::strong_count(slot) > 1
                    || slot
                        .try_lock()
                        .is_ok_and(|s| s.as_ref().is_some_and(|s| self.is_fresh(s)))
            });
            if slots.len() >= self.capacity {
                slots.retain(|_, slot| Arc::strong_count(slot) > 1);
            }
        }
        slots.entry(key).or_default().clone()
    }

    /// How many keys are kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::StatusCode;

    use super::*;

    const LONG: Duration = Duration::from_secs(3600);

    async fn counted(
        cache: &Shared<&'static str, usize>,
        key: &'static str,
        calls: &AtomicUsize,
        fail: bool,
    ) -> Result<Arc<usize>, Failure> {
        cache
            .get(key, || async {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::task::yield_now().await;
                if fail {
                    Err(Failure::new(StatusCode::BAD_GATEWAY, "down"))
                } else {
                    Ok(n)
                }
            })
            .await
    }

    #[tokio::test]
    async fn concurrent_askers_share_one_fetch() {
        let cache = Shared::new(LONG, LONG, 8);
        let calls = AtomicUsize::new(0);
        let answers = tokio::join!(
            counted(&cache, "a", &calls, false),
            counted(&cache, "a", &calls, false),
            counted(&cache, "a", &calls, false),
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(*answers.0.unwrap(), 1);
        assert_eq!(*answers.2.unwrap(), 1);
        counted(&cache, "b", &calls, false).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn answers_expire_and_failures_expire_sooner() {
        let cache = Shared::new(Duration::from_secs(10), Duration::from_secs(2), 8);
        let calls = AtomicUsize::new(0);
        counted(&cache, "a", &calls, false).await.unwrap();
        tokio::time::advance(Duration::from_secs(9)).await;
        counted(&cache, "a", &calls, false).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        counted(&cache, "a", &calls, false).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let failure = counted(&cache, "f", &calls, true).await.unwrap_err();
        assert_eq!(failure.status, StatusCode::BAD_GATEWAY);
        assert!(counted(&cache, "f", &calls, true).await.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 3, "the failure is remembered");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(counted(&cache, "f", &calls, true).await.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 4, "and then forgotten");
    }

    #[tokio::test]
    async fn the_keys_kept_are_bounded() {
        let cache = Shared::new(LONG, LONG, 2);
        let calls = AtomicUsize::new(0);
        for key in ["a", "b", "c", "d"] {
            counted(&cache, key, &calls, false).await.unwrap();
        }
        assert!(cache.len() <= 2, "{}", cache.len());
    }
}
