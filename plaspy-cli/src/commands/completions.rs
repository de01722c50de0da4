//! `plaspy completions SHELL`: a completion script on stdout.

use clap::{Args, CommandFactory};

use crate::cli::Cli;
use crate::exit::{CliError, CliResult};

/// Text shown after `plaspy completions --help`.
pub const AFTER_HELP: &str = "\
Examples:
  plaspy completions bash > ~/.local/share/bash-completion/completions/plaspy
  plaspy completions zsh > \"${fpath[1]}/_plaspy\"
  plaspy completions fish > ~/.config/fish/completions/plaspy.fish";

/// `plaspy completions ...`
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for the shell.
pub fn run(args: CompletionsArgs) -> CliResult {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "plaspy", &mut script);
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script)
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::io("writing the script", &e))
}
