//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "signalos",
    about = "Copies trading signals from channels into MetaTrader 5 trades, safely, from a terminal console",
    disable_version_flag = true
)]
pub struct Cli {
    /// Print the version and the config, data and log paths in use.
    #[arg(short = 'V', long)]
    pub version: bool,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of `run`, which is what `signalos` alone does.
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console with its engine (the default).
    Run(RunArgs),
    /// Check a config file and the keymap and theme it names; lists every problem.
    CheckConfig {
        /// The file to check; without it, the config SignalOS would use.
        path: Option<PathBuf>,
    },
    /// Print the journal as JSON lines.
    Journal(JournalArgs),
    /// Read messages as they would be read: JSON lines `{"id": …, "text": …}` on stdin, one JSON
    /// line out for each; or one message given with --text, laid out for a person.
    Parse {
        /// Parse this one message and explain the reading.
        #[arg(long)]
        text: Option<String>,
        /// The config whose [parser] aliases to use.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
}

/// Where the configuration and the data are.
#[derive(Debug, Clone, Default, Args)]
pub struct Paths {
    /// The config file laid over the built-in defaults (else $SIGNALOS_CONFIG, else the platform one).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Where the journal lives (overrides data.dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub paths: Paths,
    /// Run the engine without the console, logging to stderr too (for servers).
    #[arg(long)]
    pub headless: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JournalKind {
    /// Every message received, its parse and the decision taken.
    Signals,
    /// Order intents and what became of them.
    Orders,
    /// Operator commands with their origin.
    Audit,
}

#[derive(Debug, Clone, Args)]
pub struct JournalArgs {
    #[arg(value_enum)]
    pub kind: JournalKind,
    /// Start at this sequence number.
    #[arg(long, value_name = "SEQ", default_value_t = 1)]
    pub since: u64,
    #[command(flatten)]
    pub paths: Paths,
}
