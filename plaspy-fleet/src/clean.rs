use serde::Serialize;

use crate::{Fix, ReportOptions};

/// What cleaning did to the fixes before the report was computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cleaning {
    /// Fixes given.
    pub input: usize,
    /// Whether they had to be put back in time order.
    pub reordered: bool,
    /// Fixes at the same instant as a kept fix: exact copies, or fixes there that fit their
    /// neighbours less well than the one kept.
    pub duplicates: usize,
    /// Fixes without a usable position (not finite, out of range, or exactly (0, 0)).
    pub invalid: usize,
    /// GPS glitches set aside, alone or in runs: fixes that the longest chain of fixes
    /// implying at most the plausible speed leaves out.
    pub jumps: usize,
    /// Fixes the report was computed from.
    pub used: usize,
}

/// A cleaned fix with the speed the reports use.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clean {
    pub fix: Fix,
    /// Reported speed, or the implied one when missing or implausible (km/h).
    pub speed: f64,
}

/// How far back (in fixes) a plausible predecessor is looked for: a run of up to this many
/// glitches in a row is set aside.
const LOOK_BACK: usize = 64;

/// Sorts, de-duplicates and removes invalid positions and GPS jumps.
///
/// Of the fixes with a valid position, the longest chain in which every step implies at
/// most the plausible speed is kept (looking back [`LOOK_BACK`] fixes for a predecessor):
/// glitches are set aside whether they come alone or in runs, with or without a speed
/// field, and of several fixes at one instant the one that fits its neighbours is kept.
pub(crate) fn clean(mut fixes: Vec<Fix>, options: &ReportOptions) -> (Vec<Clean>, Cleaning) {
    let mut report = Cleaning {
        input: fixes.len(),
        ..Cleaning::default()
    };
    report.reordered = fixes.windows(2).any(|w| w[1].time < w[0].time);
    if report.reordered {
        fixes.sort_by_key(|f| f.time);
    }
    let before = fixes.len();
    fixes.retain(|f| f.has_valid_position() && !f.is_null_island());
    report.invalid = before - fixes.len();
    // Exact copies are duplicates whatever their neighbours.
    let before = fixes.len();
    fixes.dedup_by(|b, a| {
        a.time == b.time && a.latitude == b.latitude && a.longitude == b.longitude
    });
    report.duplicates = before - fixes.len();

    let max = options.max_plausible_speed_kmh;
    let kept = plausible_chain(&fixes, max);
    let kept_times: std::collections::BTreeSet<_> = kept.iter().map(|f| f.time).collect();
    for fix in &fixes {
        if kept_times.contains(&fix.time) {
            // Dropped (or kept) at an instant that has a kept fix: a duplicate.
            continue;
        }
        report.jumps += 1;
    }
    report.duplicates += fixes.len() - kept.len() - report.jumps;

    let mut out: Vec<Clean> = Vec::with_capacity(kept.len());
    for (i, fix) in kept.iter().enumerate() {
        let reported = fix
            .speed_kmh
            .filter(|v| v.is_finite() && *v >= 0.0 && *v <= max);
        let speed = reported.unwrap_or_else(|| {
            i.checked_sub(1)
                .and_then(|p| fix.implied_speed_from(&kept[p]))
                .unwrap_or(0.0)
                .min(max)
        });
        out.push(Clean { fix: *fix, speed });
    }
    report.used = out.len();
    (out, report)
}

/// The longest sub-sequence of `fixes` (in time order) whose consecutive fixes are at
/// distinct instants and imply at most `max` km/h; among equally long chains, the one
/// ending latest, and for each fix the nearest plausible predecessor.
fn plausible_chain(fixes: &[Fix], max: f64) -> Vec<Fix> {
    let n = fixes.len();
    if n == 0 {
        return Vec::new();
    }
    let plausible =
        |a: &Fix, b: &Fix| b.time > a.time && b.implied_speed_from(a).is_some_and(|v| v <= max);
    let mut length = vec![1usize; n];
    let mut previous: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in (i.saturating_sub(LOOK_BACK)..i).rev() {
            if length[j] + 1 > length[i] && plausible(&fixes[j], &fixes[i]) {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let mut end = 0;
    for i in 0..n {
        if length[i] >= length[end] {
            end = i;
        }
    }
    let mut chain = Vec::with_capacity(length[end]);
    let mut at = Some(end);
    while let Some(i) = at {
        chain.push(fixes[i]);
        at = previous[i];
    }
    chain.reverse();
    chain
}
