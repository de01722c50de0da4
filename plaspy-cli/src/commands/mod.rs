//! One module per command group; [`run`] dispatches.

pub mod auth;
pub mod completions;
pub mod config;
pub mod dashboard;
pub mod devices;
pub mod edit;
pub mod fleet;
pub mod groups;
pub mod report;
pub mod sandbox;
pub mod users;
pub mod watch;

use crate::cli::Command;
use crate::context::Ctx;
use crate::exit::CliResult;

/// Runs one command.
pub fn run(ctx: &mut Ctx, command: Command) -> CliResult {
    match command {
        Command::Auth(cmd) => auth::run(ctx, cmd),
        Command::Devices(cmd) => devices::run(ctx, cmd),
        Command::Fleet(args) => fleet::run(ctx, args),
        Command::Watch(args) => watch::run(ctx, args),
        Command::Groups(cmd) => groups::run(ctx, cmd),
        Command::Report(cmd) => report::run(ctx, cmd),
        Command::Users(cmd) => users::run(ctx, cmd),
        Command::Config(cmd) => config::run(ctx, cmd),
        Command::Sandbox(args) => sandbox::run(ctx, args),
        Command::Dashboard(args) => dashboard::run(ctx, args),
        Command::Completions(args) => completions::run(args),
    }
}
