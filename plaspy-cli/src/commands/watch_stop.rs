//! Prompt stops for `plaspy watch`: a signal ends the watch within about a second, even
//! while the SDK waits out a `Retry-After`, a request that never answers or a long
//! catch-up, none of which look at the stop flag.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::state::StateFile;

/// How long the watch loop has, after a signal, to finish and save on its own.
pub const GRACE: Duration = Duration::from_millis(700);
/// How often the watchdog looks at the flags.
const TICK: Duration = Duration::from_millis(25);

/// Ends the process when the loop does not: `done` is set by the loop when it returns.
#[derive(Debug)]
pub struct Watchdog {
    done: Arc<AtomicBool>,
}

impl Watchdog {
    /// Starts the watchdog thread over `stop` (set by the signal handlers).
    pub fn start(stop: Arc<AtomicBool>, state: Option<Arc<StateFile>>) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let finished = Arc::clone(&done);
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(TICK);
            }
            let until = Instant::now() + GRACE;
            while Instant::now() < until {
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(TICK);
            }
            // No line is half written while stdout is held; the state saved covers every
            // line of the batches saved (a line printed after it is printed again on
            // restart, never lost).
            let mut out = io::stdout().lock();
            let _ = out.flush();
            let _held = state.as_ref().map(|state| state.save_last_and_hold());
            std::process::exit(0);
        });
        Watchdog { done }
    }

    /// The loop has returned: the watchdog stands down.
    pub fn finish(&self) {
        self.done.store(true, Ordering::SeqCst);
    }
}
