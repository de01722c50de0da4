//! Opening the sink a [`SinkSpec`] names.

use std::time::Duration;

use plaspy_types::policy::retry::RetryPolicy;

use crate::error::SinkError;
use crate::sink::Sink;
use crate::spec::SinkSpec;

/// How sinks connect and wait.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SinkOptions {
    /// How long one connection attempt or one acknowledgement may take (default 10 s):
    /// past it the attempt fails as a retryable timeout.
    pub timeout: Duration,
    /// How a webhook retries a failed POST within one delivery (errors, timeouts, 408,
    /// 429 and 5xx), with backoff; the same batch keeps the same `Idempotency-Key`.
    pub retry: RetryPolicy,
}

impl Default for SinkOptions {
    fn default() -> Self {
        SinkOptions {
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }
}

impl SinkOptions {
    /// These options with `timeout` set (see the field).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// These options with the webhook's `retry` policy set (see the field).
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

/// Connects to the sink `spec` names (creating its tables, stream or bucket if missing).
/// A kind whose cargo feature is off is a config error naming the feature.
pub async fn connect(spec: &SinkSpec, options: &SinkOptions) -> Result<Box<dyn Sink>, SinkError> {
    let _ = options;
    match spec {
        #[cfg(feature = "postgres")]
        SinkSpec::Postgres(s) => Ok(Box::new(
            crate::postgres::PostgresSink::connect(s, options).await?,
        )),
        #[cfg(feature = "nats")]
        SinkSpec::Nats(s) => Ok(Box::new(crate::nats::NatsSink::connect(s, options).await?)),
        #[cfg(feature = "mqtt")]
        SinkSpec::Mqtt(s) => Ok(Box::new(crate::mqtt::MqttSink::connect(s, options).await?)),
        #[cfg(feature = "webhook")]
        SinkSpec::Webhook(s) => Ok(Box::new(crate::webhook::WebhookSink::new(s, options)?)),
        #[allow(unreachable_patterns)]
        other => Err(SinkError::config(
            other.to_string(),
            format!(
                "this build has no {} sink (cargo feature `{}` of plaspy-sinks)",
                feature_of(other),
                feature_of(other)
            ),
        )),
    }
}

fn feature_of(spec: &SinkSpec) -> &'static str {
    match spec {
        SinkSpec::Postgres(_) => "postgres",
        SinkSpec::Nats(_) => "nats",
        SinkSpec::Mqtt(_) => "mqtt",
        SinkSpec::Webhook(_) => "webhook",
    }
}
