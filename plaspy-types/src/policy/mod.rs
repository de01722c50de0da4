//! Pure policies both transports share: one call's attempts, token freshness, retries and
//! backoff, pacing, adaptive concurrency, and the clock they read time from. No I/O: every decision takes
//! "now" as an argument.

pub mod attempts;
pub mod clock;
pub mod concurrency;
pub mod pacing;
pub mod retry;
pub mod token;
