//! Replies cut at a cap the server does not announce, and servers that ignore the range.

use chrono::{DateTime, Utc};

use super::{Timed, Window};

/// What is known of the server's reply cap, learnt from its replies.
///
/// A server may cut a reply at a cap it does not announce, keeping the oldest or the
/// newest items of the range. A reply with fewer items than the window holds looks like
/// any other, so a reply whose items do not reach both ends of its window is *probed*: the
/// stretches between the window's ends and the reply's first and last items are asked
/// for. If they hold more, the reply was cut: its length is the cap, and the window is
/// narrowed. If not, the server's cap is above that length, and later replies no longer
/// than it need no probe.
///
/// ```
/// use plaspy_types::history::{ReplyCap, Verdict};
///
/// let mut cap = ReplyCap::default();
/// assert_eq!(cap.verdict(500), Verdict::Probe); // unknown yet
/// cap.complete(500); // the probe found nothing more
/// assert_eq!(cap.verdict(400), Verdict::Complete);
/// cap.cut(1_000); // a probe found more behind a reply of 1,000
/// assert_eq!(cap.verdict(1_000), Verdict::Cut);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplyCap {
    /// The length of a reply found cut: the server's cap.
    learnt: Option<usize>,
    /// The longest reply found complete: the cap is above it.
    proven: usize,
}

/// What to make of a reply of some length (see [`ReplyCap`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Shorter than a reply found complete (or empty): complete.
    Complete,
    /// As long as a reply found cut: cut; narrow the window.
    Cut,
    /// Unknown: probe the window's ends.
    Probe,
}

impl ReplyCap {
    /// What a reply of `len` items is, as far as is known.
    pub fn verdict(&self, len: usize) -> Verdict {
        if len == 0 || (len <= self.proven && self.learnt.is_none_or(|cap| len < cap)) {
            Verdict::Complete
        } else if self.learnt.is_some_and(|cap| len >= cap) {
            Verdict::Cut
        } else {
            Verdict::Probe
        }
    }

    /// Records a reply of `len` items found cut.
    pub fn cut(&mut self, len: usize) {
        self.learnt = Some(self.learnt.map_or(len, |cap| cap.min(len)).max(1));
    }

    /// Records a reply of `len` items found complete.
    pub fn complete(&mut self, len: usize) {
        self.proven = self.proven.max(len);
    }

    /// Adds what another reader learnt of the same server.
    pub fn merge(&mut self, other: ReplyCap) {
        if let Some(cap) = other.learnt {
            self.cut(cap);
        }
        self.complete(other.proven);
    }

    /// The cap learnt, if any.
    pub fn learnt(&self) -> Option<usize> {
        self.learnt
    }
}

/// Keeps the items inside `window` (both ends inclusive): a server that ignores the range
/// asked must not add items from elsewhere.
///
/// ```
/// use plaspy_types::{Location, history::{Window, clip}};
///
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let window = Window { from: t, to: t + chrono::Duration::hours(1) };
/// let items = vec![Location::new(t - chrono::Duration::hours(1), 4.6, -74.0), Location::new(t, 4.6, -74.0)];
/// assert_eq!(clip(items, &window).len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn clip<T: Timed>(mut items: Vec<T>, window: &Window) -> Vec<T> {
    items.retain(|item| {
        let t = item.time();
        window.from <= t && t <= window.to
    });
    items
}

/// The stretches of `window` a reply with these item times may not have covered: from
/// the window's start to the first item, and from the last item to the window's end, each
/// including the item's instant (a cut may fall between two items of one instant, even
/// at the window's very end, where the stretch is that instant alone).
///
/// ```
/// use plaspy_types::history::{Window, unreached};
///
/// let t: chrono::DateTime<chrono::Utc> = "2024-06-01T08:00:00Z".parse()?;
/// let h = chrono::Duration::hours(1);
/// let window = Window { from: t, to: t + h * 4 };
/// let (before, after) = unreached(&window, Some((t + h, t + h * 4)));
/// assert_eq!(before, Some(Window { from: t, to: t + h }));
/// assert_eq!(after, Some(Window { from: t + h * 4, to: t + h * 4 }));
/// assert_eq!(unreached(&window, None), (None, None)); // an empty reply
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn unreached(
    window: &Window,
    first_last: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> (Option<Window>, Option<Window>) {
    let Some((first, last)) = first_last else {
        return (None, None);
    };
    let before = (first >= window.from).then_some(Window {
        from: window.from,
        to: first,
    });
    let after = (last <= window.to).then_some(Window {
        from: last,
        to: window.to,
    });
    (before, after)
}

/// Whether a probe of `stretch` found items the reply did not hold: items strictly inside
/// the stretch's far side (beyond the reply's edge instant `edge`), or, at `edge` itself,
/// more items than the reply held there.
pub fn found_more<T: Timed + PartialEq>(
    reply: &[T],
    probe: &[T],
    stretch: &Window,
    edge: DateTime<Utc>,
) -> bool {
    let inside = |t: DateTime<Utc>| stretch.from <= t && t <= stretch.to;
    let beyond = probe.iter().any(|p| inside(p.time()) && p.time() != edge);
    beyond
        || probe
            .iter()
            .filter(|p| p.time() == edge)
            .any(|p| !reply.iter().any(|r| r.time() == edge && r == p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    fn at(min: i64) -> DateTime<Utc> {
        "2024-06-01T08:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(min)
    }

    #[test]
    fn a_cap_is_learnt_and_used() {
        let mut cap = ReplyCap::default();
        assert_eq!(cap.verdict(0), Verdict::Complete);
        assert_eq!(cap.verdict(10), Verdict::Probe);
        cap.complete(10);
        assert_eq!(cap.verdict(10), Verdict::Complete);
        assert_eq!(cap.verdict(11), Verdict::Probe);
        cap.cut(50);
        assert_eq!(cap.verdict(50), Verdict::Cut);
        assert_eq!(cap.verdict(60), Verdict::Cut);
        assert_eq!(cap.verdict(30), Verdict::Probe);
        cap.cut(40);
        assert_eq!(cap.learnt(), Some(40));
    }

    #[test]
    fn probes_notice_items_beyond_the_edge_and_a_second_item_at_it() {
        let reply = vec![
            Location::new(at(1), 1.0, 1.0),
            Location::new(at(2), 1.0, 1.0),
        ];
        let stretch = Window {
            from: at(2),
            to: at(5),
        };
        assert!(!found_more(&reply, &reply[1..], &stretch, at(2)));
        let more = vec![
            Location::new(at(2), 1.0, 1.0),
            Location::new(at(3), 1.0, 1.0),
        ];
        assert!(found_more(&reply, &more, &stretch, at(2)));
        let twin = vec![Location::new(at(2), 2.0, 1.0)];
        assert!(found_more(&reply, &twin, &stretch, at(2)));
        let outside = vec![Location::new(at(9), 2.0, 1.0)];
        assert!(!found_more(&reply, &outside, &stretch, at(2)));
    }
}
