//! Progress of a long fetch on stderr, through [`indicatif`].
//!
//! A bar shows only when stderr is a terminal that can redraw a line, without `--quiet`,
//! and only once the work has run for [`Progress::DELAY`] (a quick fetch shows nothing
//! and leaves nothing behind). It is cleared when the work ends, so stdout's table starts
//! on a clean screen.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar for `total` steps, shared by reference between worker threads.
///
/// ```ignore
/// let progress = ctx.progress(ids.len(), "fetching last positions");
/// for id in ids { fetch(id)?; progress.inc(); }
/// drop(progress); // clears the bar (so does the end of its scope)
/// ```
pub struct Progress {
    bar: ProgressBar,
    /// Stops the thread that reveals the bar after [`Progress::DELAY`].
    reveal: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// How long work runs before its bar appears.
    pub const DELAY: Duration = Duration::from_secs(1);

    /// A bar for `total` steps labelled `message` (shown through the terminal
    /// sanitiser); hidden unless `enabled` (see [`crate::context::Ctx::progress_enabled`]).
    pub fn new(enabled: bool, total: usize, message: &str) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        if !enabled {
            return Progress { bar, reveal: None };
        }
        let style = ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(super::terminal::sanitize(message).into_owned());
        let (stop, stopped) = mpsc::channel::<()>();
        let shown = bar.clone();
        let thread = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(Self::DELAY) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(200));
            }
        });
        Progress {
            bar,
            reveal: Some((stop, thread)),
        }
    }

    /// One more step done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    fn end(&mut self) {
        if let Some((stop, thread)) = self.reveal.take() {
            drop(stop);
            // The thread returns at once: it either revealed the bar already or sees the
            // channel closed.
            let _ = thread.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_counts_and_ends_quietly() {
        let progress = Progress::new(false, 3, "x");
        assert!(progress.reveal.is_none());
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| progress.inc());
            }
        });
        assert_eq!(progress.bar.position(), 3);
        drop(progress);
    }

    #[test]
    fn an_enabled_bar_shows_a_safe_message() {
        let progress = Progress::new(true, 2, "fetching \x1b]0;x\x07");
        assert!(progress.reveal.is_some());
        progress.inc();
        assert_eq!(progress.bar.message(), "fetching \u{FFFD}]0;x\u{FFFD}");
        drop(progress);
    }
}
