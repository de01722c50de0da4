//! `plaspy watch --to URL`: forwards each poll's records into PostgreSQL, NATS JetStream,
//! MQTT or webhooks (the `plaspy-sinks` crate), moving the cursor only once every sink
//! has acknowledged them.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Args;
use plaspy_blocking::feed::{FeedCursor, FeedEvent};
use plaspy_sinks::{
    Batch, BlockingSink, CursorHome, DEFAULT_FEED_NAME, Sequencer, SinkError, SinkOptions, SinkSpec,
};
use plaspy_types::policy::retry::RetryPolicy;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult};
use crate::output::terminal::sanitize_within;

/// `plaspy watch`'s forwarding options.
#[derive(Debug, Clone, Args)]
pub struct ForwardArgs {
    /// Deliver every record to this sink instead of printing it (repeatable):
    /// postgres://user@host:port/db, nats://host:port/SUBJECT, mqtt://host:port/TOPIC,
    /// https://host/path
    #[arg(long = "to", value_name = "URL")]
    pub to: Vec<String>,
    /// A header for webhook sinks, 'Name: value' (repeatable; values are never printed)
    #[arg(long = "to-header", value_name = "HEADER", requires = "to")]
    pub to_header: Vec<String>,
    /// The cursor's key in a sink that holds it; one per watcher sharing a sink
    #[arg(long, value_name = "NAME", default_value = DEFAULT_FEED_NAME, requires = "to")]
    pub feed_name: String,
}

/// The longest wait between two attempts at a sink that is down.
const MAX_BACKOFF: Duration = Duration::from_secs(8);
/// How often a wait looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// The sinks of one watch and the cursor they have all acknowledged.
#[derive(Debug)]
pub struct Forwarder {
    sinks: Vec<BlockingSink>,
    feed_name: String,
    policy: RetryPolicy,
    /// What every sink has acknowledged: the only cursor ever saved.
    acked: FeedCursor,
}

impl Forwarder {
    /// Opens the sinks of `args` (`None` without `--to`). A sink that cannot keep the
    /// cursor (MQTT, webhooks) needs `state`: without it, a usage error. A sink that is
    /// down is waited for with backoff; `Ok(None)` too when `stop` is set meanwhile.
    pub fn open(
        ctx: &Ctx,
        args: &ForwardArgs,
        state: Option<&Path>,
        stop: &AtomicBool,
    ) -> CliResult<Option<Forwarder>> {
        if args.to.is_empty() {
            return Ok(None);
        }
        let specs = specs(args)?;
        if state.is_none()
            && let Some(spec) = specs.iter().find(|s| needs_state(s))
        {
            return Err(CliError::usage(format!(
                "sink {spec} cannot hold the feed's cursor: give --state FILE"
            )));
        }
        let mut sinks = Vec::with_capacity(specs.len());
        for spec in &specs {
            match connect(ctx, spec, stop)? {
                Some(sink) => sinks.push(sink),
                None => return Ok(None),
            }
        }
        Ok(Some(Forwarder {
            sinks,
            feed_name: args.feed_name.clone(),
            policy: RetryPolicy::default(),
            acked: FeedCursor::default(),
        }))
    }

    /// Where to resume: the earliest of the cursors the sinks hold and `state` (the state
    /// file's cursor, if one is given); replaying from it is safe.
    pub fn resume(&mut self, state: Option<FeedCursor>) -> CliResult<FeedCursor> {
        let mut cursors: Vec<FeedCursor> = state.into_iter().collect();
        for sink in &mut self.sinks {
            if sink.cursor_home() != CursorHome::Sink {
                continue;
            }
            let stored = sink.load_cursor(&self.feed_name).map_err(fatal)?;
            let cursor = match stored {
                Some(value) => serde_json::from_value(value).map_err(|e| {
                    CliError::failure(format!(
                        "sink {sink}: the cursor stored for feed `{}` is not a feed cursor: {e}",
                        self.feed_name
                    ))
                })?,
                None => FeedCursor::default(),
            };
            cursors.push(cursor);
        }
        let mut cursors = cursors.into_iter();
        let first = cursors.next().unwrap_or_default();
        self.acked = cursors.fold(first, |a, b| plaspy_sinks::earliest(&a, &b));
        Ok(self.acked.clone())
    }

    /// The cursor every sink has acknowledged: what `--state` holds.
    pub fn acknowledged(&self) -> &FeedCursor {
        &self.acked
    }

    /// Delivers `events` (popped from a feed whose cursor was `before`) to every sink,
    /// waiting out sinks that are down. `Ok(true)` once all acknowledged (the cursor
    /// moves), `Ok(false)` when `stop` was set first (it stays), `Err` on a refusal that
    /// will not pass by itself.
    pub fn deliver(
        &mut self,
        ctx: &Ctx,
        before: &FeedCursor,
        events: &[FeedEvent],
        stop: &AtomicBool,
    ) -> CliResult<bool> {
        if events.is_empty() {
            return Ok(true);
        }
        let mut seq = Sequencer::new(before);
        let records = events
            .iter()
            .map(|e| seq.record(e))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CliError::failure(format!("encoding a record: {e}")))?;
        let batch = Batch::new(&self.feed_name, records, seq.cursor())
            .map_err(|e| CliError::failure(format!("encoding the cursor: {e}")))?;
        // The same batch goes again to the sinks that have not acknowledged it.
        let mut pending: Vec<usize> = (0..self.sinks.len()).collect();
        let mut round = 0u32;
        while !pending.is_empty() {
            let mut failed = Vec::new();
            for &i in &pending {
                let sink = &mut self.sinks[i];
                let result = sink.deliver_with_retry(&batch, &self.policy, |err, wait| {
                    warn(ctx, err, wait);
                    !stop.load(Ordering::SeqCst)
                });
                match result {
                    Ok(_) => {}
                    Err(err) if err.is_retryable() => {
                        if stop.load(Ordering::SeqCst) {
                            return Ok(false);
                        }
                        failed.push(i);
                        warn(ctx, &err, backoff(round));
                    }
                    Err(err) => return Err(fatal(err)),
                }
            }
            if !failed.is_empty() && !wait(backoff(round), stop) {
                return Ok(false);
            }
            pending = failed;
            round = round.saturating_add(1);
        }
        self.acked = seq.cursor().clone();
        Ok(true)
    }

    /// Closes every sink (what is acknowledged stays acknowledged).
    pub fn close(self, ctx: &Ctx) {
        for sink in self.sinks {
            let name = sink.to_string();
            if let Err(err) = sink.close() {
                ctx.note(&sanitize_within(
                    &format!("warning: closing sink {name}: {err}"),
                    300,
                ));
            }
        }
    }
}

/// Reads the `--to` URLs, with `--to-header` on the webhooks.
fn specs(args: &ForwardArgs) -> CliResult<Vec<SinkSpec>> {
    let mut specs = Vec::with_capacity(args.to.len());
    let mut webhooks = 0;
    for url in &args.to {
        let mut spec = SinkSpec::parse(url).map_err(|e| CliError::usage(e.to_string()))?;
        if matches!(spec, SinkSpec::Webhook(_)) {
            webhooks += 1;
            spec = spec
                .with_headers(&args.to_header)
                .map_err(|e| CliError::usage(e.to_string()))?;
        }
        specs.push(spec);
    }
    if webhooks == 0 && !args.to_header.is_empty() {
        return Err(CliError::usage(
            "--to-header applies to webhook sinks (http:// or https://) and none is given",
        ));
    }
    Ok(specs)
}

/// Whether the sink of `spec` keeps its cursor in the state file.
fn needs_state(spec: &SinkSpec) -> bool {
    matches!(spec, SinkSpec::Mqtt(_) | SinkSpec::Webhook(_))
}

/// Connects to `spec`, waiting with backoff while it is down; `None` if `stop` is set.
fn connect(ctx: &Ctx, spec: &SinkSpec, stop: &AtomicBool) -> CliResult<Option<BlockingSink>> {
    let mut round = 0u32;
    loop {
        match BlockingSink::connect(spec, &SinkOptions::default()) {
            Ok(sink) => return Ok(Some(sink)),
            Err(err) if err.is_retryable() => {
                warn(ctx, &err, backoff(round));
                if !wait(backoff(round), stop) {
                    return Ok(None);
                }
                round = round.saturating_add(1);
            }
            Err(err) => return Err(fatal(err)),
        }
    }
}

/// One line on stderr naming the sink (its password masked by the sink's own Display).
fn warn(ctx: &Ctx, err: &SinkError, wait: Duration) {
    let message = format!(
        "warning: {err}; the cursor stays, retrying in {:.1}s",
        wait.as_secs_f64()
    );
    ctx.note(&sanitize_within(&message, 300));
}

/// A sink error the watch stops on.
fn fatal(err: SinkError) -> CliError {
    CliError::failure(sanitize_within(&err.to_string(), 300))
}

/// The wait before round `round + 1` at a sink that is down: 250 ms doubling, at most 8 s.
fn backoff(round: u32) -> Duration {
    Duration::from_millis(250)
        .saturating_mul(1u32 << round.min(6))
        .min(MAX_BACKOFF)
}

/// Sleeps `total`; `false` if `stop` was set first.
fn wait(total: Duration, stop: &AtomicBool) -> bool {
    let until = Instant::now() + total;
    loop {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(STOP_CHECK));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_eight_seconds() {
        assert_eq!(backoff(0), Duration::from_millis(250));
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(5), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX), MAX_BACKOFF);
    }

    #[test]
    fn mqtt_and_webhooks_need_a_state_file_postgres_and_nats_do_not() {
        let need = |url: &str| needs_state(&SinkSpec::parse(url).unwrap());
        assert!(need("mqtt://127.0.0.1:1883/fleet"));
        assert!(need("http://127.0.0.1:9/hook"));
        assert!(!need("postgres://u@127.0.0.1:5432/db"));
        assert!(!need("nats://127.0.0.1:4222/fleet"));
    }

    #[test]
    fn headers_without_a_webhook_are_refused() {
        let args = ForwardArgs {
            to: vec!["nats://127.0.0.1:4222/fleet".into()],
            to_header: vec!["Authorization: Bearer x".into()],
            feed_name: DEFAULT_FEED_NAME.into(),
        };
        assert!(specs(&args).unwrap_err().message.contains("--to-header"));
    }
}
