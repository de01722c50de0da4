//! A memory budget for the lists and maps of one reply, so a body of tiny values cannot
//! make the client hold many times its size.
//!
//! Each text in a list or map costs a `String` (24 bytes) plus its heap, where the body
//! spent as little as 3 bytes on it (`"",`): a body of such values would decode to 8 to 14
//! times its size. The decoders of those values charge what they keep to the budget of the
//! decode running on this thread; past it the decode stops with a clear error, long before
//! memory runs out. Records themselves are bounded by [`DecodeLimits::max_records`].
//!
//! [`DecodeLimits::max_records`]: super::DecodeLimits::max_records

use std::cell::Cell;

thread_local! {
    /// `(bytes left, the whole budget)` of the decode running on this thread, if any.
    static BUDGET: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

/// The budget of a body of `body_len` bytes: `factor` times it, and at least 1 MiB.
pub(crate) fn for_body(body_len: usize, factor: usize) -> usize {
    body_len.saturating_mul(factor).max(1 << 20)
}

/// Runs `decode` under a budget of `limit` bytes for lists and maps, unless a budget is
/// running already (an endpoint's `decode_within` sets the caller's limits; the decoders
/// it calls then keep them).
pub(crate) fn within<T>(limit: usize, decode: impl FnOnce() -> T) -> T {
    if BUDGET.with(|b| b.get().is_some()) {
        return decode();
    }
    struct Restore(Option<(usize, usize)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            BUDGET.with(|b| b.set(self.0));
        }
    }
    let _restore = Restore(BUDGET.with(|b| b.replace(Some((limit, limit)))));
    decode()
}

/// Charges `bytes` kept by a decoder; an error once the budget is spent. Free when no
/// budget is running (a model decoded by the user's own `serde_json` call).
pub(crate) fn charge<E: serde::de::Error>(bytes: usize) -> Result<(), E> {
    BUDGET.with(|b| match b.get() {
        None => Ok(()),
        Some((left, limit)) => match left.checked_sub(bytes) {
            Some(left) => {
                b.set(Some((left, limit)));
                Ok(())
            }
            None => {
                // Stay spent: every later charge fails too.
                b.set(Some((0, limit)));
                Err(E::custom(format_args!(
                    "the texts in the reply's lists and maps would take more than {} in memory: a body of that many tiny values is broken or hostile (raise the limit with ClientBuilder::max_expansion)",
                    megabytes(limit)
                )))
            }
        },
    })
}

/// Whether the running budget is spent (a decode past it must fail as a whole, not set
/// one record aside).
pub(crate) fn spent() -> bool {
    BUDGET.with(|b| matches!(b.get(), Some((0, _))))
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_only_inside_a_budget_and_keeps_the_running_one() {
        assert!(charge::<serde_json::Error>(usize::MAX).is_ok(), "no budget");
        within(100, || {
            assert!(charge::<serde_json::Error>(60).is_ok());
            within(10, || {
                assert!(
                    charge::<serde_json::Error>(20).is_ok(),
                    "the running budget is kept"
                )
            });
            assert!(charge::<serde_json::Error>(20).is_ok());
            let err = charge::<serde_json::Error>(1).unwrap_err().to_string();
            assert!(err.contains("max_expansion"), "{err}");
            assert!(charge::<serde_json::Error>(0).is_ok());
        });
        assert!(
            charge::<serde_json::Error>(usize::MAX).is_ok(),
            "no budget after"
        );
    }

    #[test]
    fn the_budget_has_a_floor() {
        assert_eq!(for_body(10, 4), 1 << 20);
        assert_eq!(for_body(10 << 20, 4), 40 << 20);
        assert_eq!(for_body(usize::MAX, 4), usize::MAX);
    }
}
