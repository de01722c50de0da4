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
    /// Fixes with the same time as an earlier fix (the first one was kept).
    pub duplicates: usize,
    /// Fixes without a usable position (not finite, or out of range).
    pub invalid: usize,
    /// GPS jumps set aside: fixes reached and left faster than the plausible maximum.
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

/// Sorts, de-duplicates and removes invalid positions and GPS jumps.
pub(crate) fn clean(mut fixes: Vec<Fix>, options: &ReportOptions) -> (Vec<Clean>, Cleaning) {
    let mut report = Cleaning {
        input: fixes.len(),
        ..Cleaning::default()
    };
    report.reordered = fixes.windows(2).any(|w| w[1].time < w[0].time);
    if report.reordered {
        // Stable: among fixes with the same time, the first given is kept.
        fixes.sort_by_key(|f| f.time);
    }
    let before = fixes.len();
    fixes.retain(Fix::has_valid_position);
    report.invalid = before - fixes.len();
    let before = fixes.len();
    fixes.dedup_by_key(|f| f.time);
    report.duplicates = before - fixes.len();

    let max = options.max_plausible_speed_kmh;
    let too_fast = |a: &Fix, b: &Fix| b.implied_speed_from(a).is_some_and(|v| v > max);
    let mut kept: Vec<Fix> = Vec::with_capacity(fixes.len());
    for (i, fix) in fixes.iter().enumerate() {
        let next = fixes.get(i + 1);
        let jump = match (kept.last(), next) {
            // Reached and left too fast, while skipping it is plausible: a jump.
            (Some(prev), Some(next)) => {
                too_fast(prev, fix) && too_fast(fix, next) && !too_fast(prev, next)
            }
            // The first fix: left too fast, while the next two agree with each other.
            (None, Some(next)) => {
                too_fast(fix, next) && fixes.get(i + 2).is_some_and(|n2| !too_fast(next, n2))
            }
            // The last fix: reached too fast from two fixes that agree with each other.
            (Some(prev), None) => {
                too_fast(prev, fix) && kept.len() >= 2 && !too_fast(&kept[kept.len() - 2], prev)
            }
            (None, None) => false,
        };
        if jump {
            report.jumps += 1;
        } else {
            kept.push(*fix);
        }
    }

    let mut out: Vec<Clean> = Vec::with_capacity(kept.len());
    for (i, fix) in kept.iter().enumerate() {
        let reported = fix
            .speed_kmh
            .filter(|v| v.is_finite() && *v >= 0.0 && *v <= max);
        let speed = reported.unwrap_or_else(|| {
            i.checked_sub(1)
                .and_then(|p| fix.implied_speed_from(&kept[p]))
                .unwrap_or(0.0)
        });
        out.push(Clean { fix: *fix, speed });
    }
    report.used = out.len();
    (out, report)
}
