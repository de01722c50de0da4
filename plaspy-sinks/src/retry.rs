//! Delivering with retries: a retryable failure waits and tries again, with backoff.

use std::time::Duration;

use plaspy_types::policy::retry::RetryPolicy;

use crate::error::SinkError;
use crate::record::Batch;
use crate::sink::{Ack, Sink};

/// Delivers `batch` to `sink`, retrying a retryable failure after the policy's backoff
/// (`base × 2ⁿ`, jittered, at most `max_delay`) up to `policy.max_attempts` attempts in
/// all or `policy.max_total_wait` of waiting. `on_retry` is told of each failure that is
/// about to be retried and the wait before the next attempt (to print a warning naming the
/// sink); it returns whether to go on (`false`, e.g. on SIGTERM, gives up with that error).
///
/// Returns the acknowledgement, or the last error: then nothing may be assumed delivered
/// and the caller must keep its cursor where it was. A caller that wants to wait for a
/// sink forever calls this again (the batch is the same, so a replay is dropped or tagged).
pub async fn deliver_with_retry<S: Sink + ?Sized>(
    sink: &mut S,
    batch: &Batch,
    policy: &RetryPolicy,
    mut on_retry: impl FnMut(&SinkError, Duration) -> bool,
) -> Result<Ack, SinkError> {
    let mut waited = Duration::ZERO;
    let mut attempt = 1u32;
    loop {
        match sink.deliver(batch).await {
            Ok(ack) => return Ok(ack),
            Err(err) if !err.is_retryable() || attempt >= policy.max_attempts => return Err(err),
            Err(err) => {
                let delay = policy.backoff(attempt, fastrand::f64());
                if waited + delay > policy.max_total_wait {
                    return Err(err);
                }
                if !on_retry(&err, delay) {
                    return Err(err);
                }
                tokio::time::sleep(delay).await;
                waited += delay;
                attempt += 1;
            }
        }
    }
}
