//! Devices a watch can no longer read (deleted, or no longer shared with the account):
//! each is warned about once and the others go on.

use std::collections::BTreeSet;

use plaspy_blocking::Error;

use crate::context::Ctx;
use crate::exit::{CliError, CliResult, ErrorSubject};
use crate::output::terminal::sanitize_within;

/// The devices answered with 404 or 403.
#[derive(Debug, Default)]
pub struct Gone {
    /// The devices named on the command line (empty for a group or every device).
    named: Vec<String>,
    /// The devices warned about.
    warned: BTreeSet<String>,
}

impl Gone {
    /// Tracks the devices of a watch; `named` are those given by id, if any.
    pub fn new(named: Vec<String>) -> Gone {
        Gone {
            named,
            warned: BTreeSet::new(),
        }
    }

    /// Handles a device's failure: `Ok(true)` when it is a device gone (warned about once),
    /// `Ok(false)` when it is some other failure, an error when every device named is gone.
    pub fn record(&mut self, ctx: &Ctx, device: &str, err: &Error) -> CliResult<bool> {
        if !is_gone(err) {
            return Ok(false);
        }
        if self.warned.insert(device.to_owned()) {
            let message =
                format!("warning: device {device} cannot be read ({err}); watching the others");
            ctx.note(&sanitize_within(&message, 300));
        }
        if !self.named.is_empty() && self.named.iter().all(|id| self.warned.contains(id)) {
            return Err(CliError::api(
                ErrorSubject::Device(device.to_owned()),
                &format!("reading device {device}"),
                err,
            ));
        }
        Ok(true)
    }
}

/// A 404 or 403 for one device: it was deleted or is no longer shared.
fn is_gone(err: &Error) -> bool {
    matches!(
        err,
        Error::NotFound { .. }
            | Error::Forbidden { .. }
            | Error::Api {
                status: 403 | 404,
                ..
            }
            | Error::Http {
                status: 403 | 404,
                ..
            }
    )
}
