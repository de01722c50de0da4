//! Pure policies both transports share: token freshness, retries and backoff, and the clock
//! they read time from. No I/O: every decision takes "now" as an argument.

pub mod clock;
pub mod retry;
pub mod token;
