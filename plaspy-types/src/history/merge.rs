use chrono::{DateTime, Utc};

use super::Window;
use crate::{AlertEvent, Location};

/// An item of a history query: it has a time.
pub trait Timed {
    /// When the item happened.
    fn time(&self) -> DateTime<Utc>;
}

impl Timed for Location {
    fn time(&self) -> DateTime<Utc> {
        self.date_time
    }
}

impl Timed for AlertEvent {
    fn time(&self) -> DateTime<Utc> {
        self.date_time
    }
}

/// Merges the replies of consecutive windows (given in time order) into one time-ordered
/// sequence without the items that both windows returned at their shared boundary instant.
///
/// An item is dropped only when it equals one the previous window returned at or after its
/// last instant, so distinct items that share a time (two alerts of one fix) are all kept,
/// and nothing is lost whether the server treats a bound as inclusive or not.
#[derive(Debug, Clone)]
pub struct BoundaryMerge<T> {
    tail: Vec<T>,
    boundary: Option<DateTime<Utc>>,
}

impl<T> Default for BoundaryMerge<T> {
    fn default() -> Self {
        BoundaryMerge {
            tail: Vec::new(),
            boundary: None,
        }
    }
}

impl<T: Timed + PartialEq + Clone> BoundaryMerge<T> {
    /// A merge that has seen no window yet.
    ///
    /// ```
    /// use plaspy_types::{Location, history::BoundaryMerge};
    ///
    /// let merge: BoundaryMerge<Location> = BoundaryMerge::new();
    /// # drop(merge);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the reply of the next window and returns its items in time order (stable for
    /// equal times), less those the previous window already delivered.
    ///
    /// ```
    /// use chrono::Duration;
    /// use plaspy_types::{Location, history::{BoundaryMerge, HistoryLimits, plan}};
    ///
    /// let t0: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
    /// let mut windows = plan(t0, t0 + Duration::days(40), &HistoryLimits::default())?;
    /// let (first, second) = (windows.next().unwrap(), windows.next().unwrap());
    /// let at_boundary = Location::new(first.to, 4.6, -74.0);
    /// let mut merge = BoundaryMerge::new();
    /// assert_eq!(merge.accept(&first, vec![at_boundary.clone()]).len(), 1);
    /// assert_eq!(merge.accept(&second, vec![at_boundary]).len(), 0); // not twice
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn accept(&mut self, window: &Window, mut items: Vec<T>) -> Vec<T> {
        items.sort_by_key(Timed::time);
        if let Some(boundary) = self.boundary {
            let mut seen = std::mem::take(&mut self.tail);
            items.retain(|item| {
                if item.time() > boundary {
                    return true;
                }
                match seen.iter().position(|s| s == item) {
                    Some(i) => {
                        seen.swap_remove(i);
                        false
                    }
                    None => true,
                }
            });
        }
        let start = items.partition_point(|i| i.time() < window.to);
        self.tail = items[start..].to_vec();
        self.boundary = Some(window.to);
        items
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(min)
    }

    fn fix(min: i64) -> Location {
        Location::new(at(min), 4.6, -74.0 + min as f64 / 1000.0)
    }

    fn alert(min: i64, name: &str) -> AlertEvent {
        serde_json::from_value(serde_json::json!({
            "dateTime": at(min).to_rfc3339(), "latitude": 4.6, "longitude": -74.0, "alerts": [name]
        }))
        .unwrap()
    }

    fn w(a: i64, b: i64) -> Window {
        Window {
            from: at(a),
            to: at(b),
        }
    }

    #[test]
    fn the_boundary_fix_is_delivered_once() {
        let mut m = BoundaryMerge::new();
        let first = m.accept(&w(0, 10), (0..=10).map(fix).collect());
        let second = m.accept(&w(10, 20), (10..=20).map(fix).collect());
        assert_eq!(first.len(), 11);
        assert_eq!(second.len(), 10);
        assert_eq!(second[0].date_time, at(11));
        let all: Vec<_> = first.iter().chain(&second).map(|f| f.date_time).collect();
        assert!(all.windows(2).all(|p| p[0] < p[1]));
    }

    #[test]
    fn a_server_with_an_exclusive_bound_loses_nothing() {
        let mut m = BoundaryMerge::new();
        let first = m.accept(&w(0, 10), (0..10).map(fix).collect());
        let second = m.accept(&w(10, 20), (10..=20).map(fix).collect());
        assert_eq!(first.len() + second.len(), 21);
    }

    #[test]
    fn distinct_items_at_the_same_time_are_all_kept() {
        let mut m = BoundaryMerge::new();
        let first = m.accept(&w(0, 10), vec![alert(10, "Speeding"), alert(5, "Ignition")]);
        assert_eq!(first[0].date_time, at(5), "sorted");
        let second = m.accept(
            &w(10, 20),
            vec![
                alert(10, "Speeding"),
                alert(10, "LowBattery"),
                alert(12, "Speeding"),
            ],
        );
        let names: Vec<_> = second
            .iter()
            .map(|a| a.alerts.clone().unwrap()[0].clone())
            .collect();
        assert_eq!(names, ["LowBattery", "Speeding"]);
    }

    #[test]
    fn out_of_order_replies_come_out_sorted() {
        let mut m = BoundaryMerge::new();
        let got = m.accept(&w(0, 10), vec![fix(7), fix(2), fix(9)]);
        let times: Vec<_> = got.iter().map(|f| f.date_time).collect();
        assert_eq!(times, [at(2), at(7), at(9)]);
    }

    #[test]
    fn empty_windows_pass_through() {
        let mut m: BoundaryMerge<Location> = BoundaryMerge::new();
        assert!(m.accept(&w(0, 10), vec![]).is_empty());
        assert_eq!(m.accept(&w(10, 20), vec![fix(10)]).len(), 1);
    }
}
