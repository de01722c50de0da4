//! Socket timeouts that do not change on every request.
//!
//! With a whole-request limit configured, ureq hands each read and write the time left
//! before the deadline, and its TCP transport calls `setsockopt` (`SO_RCVTIMEO`,
//! `SO_SNDTIMEO`) whenever that value differs from the one already set. Measured to the
//! nanosecond it always differs, so a keep-alive call paid two system calls for nothing.
//! This connector wraps ureq's default one and rounds the time left **up** to a whole
//! millisecond: consecutive requests on a pooled connection then present the same value
//! and the socket keeps it. A limit may fire at most 1 ms late; it never fires early, and a
//! limit already reached (zero) stays zero, so ureq still reports it.

use std::time::Duration;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};

/// ureq's default connector (TCP, TLS, proxies) whose transports see steady timeouts.
#[derive(Debug, Default)]
pub(crate) struct SteadyTimeoutConnector(DefaultConnector);

impl Connector<()> for SteadyTimeoutConnector {
    type Out = SteadyTimeouts;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(self.0.connect(details, chained)?.map(SteadyTimeouts))
    }
}

/// A connection whose read and write limits are rounded up to whole milliseconds.
#[derive(Debug)]
pub(crate) struct SteadyTimeouts(Box<dyn Transport>);

/// `timeout` with its time left rounded up to a whole millisecond.
fn steady(mut timeout: NextTimeout) -> NextTimeout {
    if let UreqDuration::Exact(left) = timeout.after {
        let millis = left.as_nanos().div_ceil(1_000_000);
        timeout.after = UreqDuration::Exact(Duration::from_millis(
            u64::try_from(millis).unwrap_or(u64::MAX),
        ));
    }
    timeout
}

impl Transport for SteadyTimeouts {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.0.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.0.transmit_output(amount, steady(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.0.await_input(steady(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.0.is_open()
    }

    fn is_tls(&self) -> bool {
        self.0.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(left: UreqDuration) -> UreqDuration {
        steady(NextTimeout {
            after: left,
            reason: ureq::Timeout::Global,
            per_read: None,
            per_write: None,
        })
        .after
    }

    #[test]
    fn time_left_is_rounded_up_to_a_millisecond() {
        let just_under = Duration::from_secs(30) - Duration::from_nanos(41_270);
        assert_eq!(
            after(UreqDuration::Exact(just_under)),
            UreqDuration::from_secs(30)
        );
        // Two requests a few microseconds apart present the same limit to the socket.
        let later = just_under - Duration::from_micros(37);
        assert_eq!(
            after(UreqDuration::Exact(later)),
            after(UreqDuration::Exact(just_under))
        );
        assert_eq!(
            after(UreqDuration::Exact(Duration::from_micros(1))),
            UreqDuration::from_millis(1)
        );
    }

    #[test]
    fn a_spent_limit_and_no_limit_are_left_alone() {
        assert_eq!(
            after(UreqDuration::Exact(Duration::ZERO)),
            UreqDuration::Exact(Duration::ZERO)
        );
        assert_eq!(
            after(UreqDuration::NotHappening),
            UreqDuration::NotHappening
        );
    }
}
