//! The one rule by which a device's fixes move it in and out of zones, shared by the visits
//! and by the events engine, so that both always agree.

use chrono::{DateTime, Utc};

use super::zones::{Zones, valid_position};
use crate::Fix;

/// Whether a fix at `time` comes in order after the last fix taken (at `last`): a fix at
/// the same time is in order, an earlier one is not (and is skipped).
pub(crate) fn in_order(last: Option<DateTime<Utc>>, time: DateTime<Utc>) -> bool {
    last.is_none_or(|last| time >= last)
}

/// Into `out`, the zones (ascending indices) the fix is in; `false` when the fix has no
/// valid position and so tells nothing about zones.
pub(crate) fn zones_of(zones: &Zones, fix: &Fix, out: &mut Vec<usize>) -> bool {
    out.clear();
    if !valid_position(fix.latitude, fix.longitude) {
        return false;
    }
    zones.indices_at(fix.latitude, fix.longitude, out);
    true
}

/// What moving from the zones `before` to the zones `after` (both ascending) does: the
/// zones left and the zones entered, each ascending.
pub(crate) fn changes(before: &[usize], after: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let exited = before
        .iter()
        .filter(|z| after.binary_search(z).is_err())
        .copied()
        .collect();
    let entered = after
        .iter()
        .filter(|z| before.binary_search(z).is_err())
        .copied()
        .collect();
    (exited, entered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_the_differences_both_ways() {
        assert_eq!(changes(&[1, 3, 5], &[3, 4]), (vec![1, 5], vec![4]));
        assert_eq!(changes(&[], &[2]), (vec![], vec![2]));
        assert_eq!(changes(&[2], &[2]), (vec![], vec![]));
    }

    #[test]
    fn order() {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        assert!(in_order(None, t));
        assert!(in_order(Some(t), t));
        assert!(!in_order(Some(t + chrono::TimeDelta::seconds(1)), t));
    }
}
