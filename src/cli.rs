//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::broker::sim::fault::Fault;

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
    /// Check a config file as `run` would: the keymap and theme it names, and that the data and
    /// log folders can be written (nothing is created); lists every problem and warning.
    CheckConfig {
        /// The file to check; without it, the config SignalOS would use.
        path: Option<PathBuf>,
    },
    /// Print the journal as JSON lines (while signalos runs, `signalos ctl journal` reads it).
    Journal(JournalArgs),
    /// Ask a running engine, through its relay: its status, positions, journal, live events;
    /// and steer it: pause, resume, emergency stop, close. JSON on stdout.
    Ctl(CtlArgs),
    /// The console of a running engine, fed by its relay ([relay] enabled): the same keys, the
    /// emergency stop included; read-only with a viewer's token. Quitting leaves the engine
    /// running.
    View(ViewArgs),
    /// Read messages as they would be read: JSON lines `{"id": …, "text": …}` on stdin, one JSON
    /// line out for each; or one message given with --text, laid out for a person; or score the
    /// parser over labelled files with --score.
    Parse {
        /// Parse this one message and explain the reading.
        #[arg(long, conflicts_with = "score")]
        text: Option<String>,
        /// The config whose [parser] aliases and words to use (with --score, only when given: a
        /// score is of the built-in parser unless asked otherwise).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Read as a message of this source: the words of the profile that applies to it are
        /// laid over the global ones.
        #[arg(long, value_name = "NAME", conflicts_with = "score")]
        source: Option<String>,
        /// Read as a message of this chat (as the config names it), for the profile that applies.
        #[arg(long, value_name = "CHAT", conflicts_with = "score")]
        chat: Option<String>,
        /// Score the parser over labelled JSON lines `{"id", "text", "expect"}`: exact readings,
        /// by kind, false and missed opens, then every miss. A measurement: the exit code is 0
        /// whatever the score.
        #[arg(long, value_name = "FILE", num_args = 1..)]
        score: Vec<PathBuf>,
        /// With --score: one JSON object per file instead of the report.
        #[arg(long, requires = "score")]
        json: bool,
    },
    /// Play the MT5 Expert Advisor with a simulated account: connect to SignalOS over the bridge
    /// protocol and trade what it asks, optionally misbehaving on purpose (--fault).
    SimMt5(SimMt5Args),
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
    /// Later decisions on signals that waited for the broker.
    Decisions,
    /// One signal's whole story: its message, reading, decisions, orders and follow-ups.
    Story,
}

#[derive(Debug, Clone, Args)]
pub struct JournalArgs {
    #[command(flatten)]
    pub query: JournalQuery,
    #[command(flatten)]
    pub paths: Paths,
}

/// Which part of the journal to print, from where: the same for `journal` and `ctl journal`.
#[derive(Debug, Clone, Args)]
pub struct JournalQuery {
    #[arg(value_enum)]
    pub kind: JournalKind,
    /// For `story`: the signal's sequence number (`signalos journal signals` lists them).
    #[arg(value_name = "SIGNAL", required_if_eq("kind", "story"))]
    pub signal: Option<u64>,
    /// Start at this sequence number.
    #[arg(long, value_name = "SEQ", default_value_t = 1)]
    pub since: u64,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = crate::ctl::EXIT_CODES)]
pub struct CtlArgs {
    /// The relay: ws://HOST:PORT or wss://HOST:PORT. Without it (and without --token), the
    /// address and token a running engine leaves in relay.json in its data dir.
    #[arg(long, value_name = "URL", global = true)]
    pub url: Option<String>,
    /// The relay token (an operator's to steer, a viewer's to look).
    #[arg(
        long,
        value_name = "TOKEN",
        env = crate::ctl::TOKEN_VAR,
        hide_env_values = true,
        global = true
    )]
    pub token: Option<String>,
    /// For wss://: trust the certificates in this PEM file (the relay's own CA or self-signed
    /// certificate) instead of the public web's.
    #[arg(long, value_name = "PEM", global = true)]
    pub ca: Option<PathBuf>,
    /// Where to find relay.json when neither --url nor --token is given.
    #[command(flatten)]
    pub paths: Paths,
    #[command(subcommand)]
    pub command: CtlCommand,
}

#[derive(Debug, Clone, Args)]
pub struct ViewArgs {
    /// The relay: ws://HOST:PORT or wss://HOST:PORT. Without it (and without --token), the
    /// address and token the engine on this machine leaves in relay.json in its data dir.
    #[arg(value_name = "URL")]
    pub url: Option<String>,
    /// The relay token: an operator's to act, a viewer's to watch.
    #[arg(
        long,
        value_name = "TOKEN",
        env = crate::config::RELAY_TOKEN_VAR,
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// For wss://: trust the certificates in this PEM file (the relay's own CA or self-signed
    /// certificate) instead of the public web's.
    #[arg(long, value_name = "PEM")]
    pub ca: Option<PathBuf>,
    /// The config whose keymap, theme and [ui] to use, and where to find relay.json.
    #[command(flatten)]
    pub paths: Paths,
}

#[derive(Debug, Clone, Subcommand)]
pub enum CtlCommand {
    /// Mode and why, the account, the day's P&L, the links, how many positions, orders and
    /// signals: one JSON object.
    Status,
    /// Open positions.
    Positions,
    /// Pending orders, and order requests not yet answered.
    Orders,
    /// One page of the journal's signals: `{"signals": […], "next": SEQ or null}`; pass `next`
    /// as --since for the page after.
    Signals {
        /// Start at this sequence number.
        #[arg(long, value_name = "SEQ", default_value_t = 1)]
        since: u64,
        /// At most this many signals (1 to 1000).
        #[arg(long, value_name = "N", default_value_t = 50,
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1000))]
        limit: usize,
    },
    /// The journal as JSON lines, every page, as `signalos journal` prints it.
    Journal(JournalQuery),
    /// Live events as JSON lines until interrupted: a `snapshot` first, then relay frames (`event`,
    /// `log`, a `snapshot` again when events were missed), and `{"type":"link",…}` whenever the
    /// link to the engine is lost or back; a dropped link is resumed where it left off.
    Watch {
        /// account, positions, orders, signals, links, log; without it, all but log.
        #[arg(long, value_name = "TOPICS", value_delimiter = ',', value_parser = crate::ctl::parse_topic)]
        topics: Vec<crate::relay::protocol::Topic>,
    },
    /// PAUSED: no new entries; open trades are still managed.
    Pause,
    /// Back to ACTIVE from PAUSED or HALTED.
    Resume {
        /// Why, for the audit.
        #[arg(long, value_name = "TEXT", default_value = "resumed with signalos ctl")]
        reason: String,
    },
    /// HALTED: cancel every pending order and close every position; nothing new until resume.
    EmergencyStop,
    /// Close one position, whole.
    Close { ticket: u64 },
    /// Move a position's stop loss to its entry.
    Breakeven { ticket: u64 },
    /// One signal's whole story: `{"signal": N, "steps": […]}`.
    Story { signal: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccountMode {
    /// Several positions per symbol.
    Hedging,
    /// One position per symbol; deals add to it, reduce or reverse it.
    Netting,
}

#[derive(Debug, Clone, Args)]
pub struct SimMt5Args {
    /// Where SignalOS listens for the EA.
    #[arg(long, value_name = "HOST:PORT")]
    pub connect: String,
    /// The shared secret: the simulator and SignalOS prove to each other that they know it, and
    /// never send it.
    #[arg(
        long,
        env = "SIGNALOS_BROKER_SECRET",
        default_value = "",
        hide_env_values = true
    )]
    pub secret: crate::config::Secret,
    /// Seeds the prices, the account number and the faults.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The account's kind (a saved account keeps its own).
    #[arg(long, value_enum, default_value_t = AccountMode::Hedging)]
    pub mode: AccountMode,
    /// Misbehave: drop-after:N, delay:MS, execute-then-drop:N, reject:RETCODE[:N], duplicate,
    /// garbage:N, algo-off:AFTER_MS:FOR_MS, offline:AFTER_MS:FOR_MS. May be given several times.
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<Fault>,
    /// Append every deal and pending order placed or cancelled here, as JSON lines.
    #[arg(long, value_name = "FILE")]
    pub trade_log: Option<PathBuf>,
    /// Keep the account in this file, so that a restart keeps its positions.
    #[arg(long = "state", value_name = "FILE")]
    pub state_file: Option<PathBuf>,
    /// Starting balance of a new account, in USD.
    #[arg(long, value_name = "USD", default_value_t = 10_000.0)]
    pub balance: f64,
    /// Leverage of a new account (1:N).
    #[arg(long, default_value_t = 100)]
    pub leverage: u32,
    /// Price tick period.
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub tick_ms: u64,
    /// The longest wait between two connection attempts.
    #[arg(long, value_name = "MS", default_value_t = 15_000)]
    pub backoff_cap_ms: u64,
}
