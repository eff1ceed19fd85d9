//! The typed configuration. Every default lives in the top-level config.toml, which is embedded in
//! the binary; these types only say what is allowed.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::risk::guards::GuardsConfig;
pub use crate::risk::sizing::SizingConfig;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub engine: EngineConfig,
    pub risk: SizingConfig,
    pub guards: GuardsConfig,
    pub management: ManagementConfig,
    pub entries: EntriesConfig,
    pub data: DataConfig,
    pub log: LogConfig,
    pub ui: UiConfig,
    pub broker: BrokerConfig,
    pub parser: ParserConfig,
    pub telegram: TelegramConfig,
    pub relay: RelayConfig,
    pub sources: Vec<SourceConfig>,
    pub profiles: Vec<ProfileConfig>,
}

/// `[[profiles]]`: the rules for the signals of some sources or chats, laid over the global
/// `[risk]`, `[guards]`, `[entries]` and `[management]`. A profile may tighten a global limit,
/// never loosen it. Its `parser.words` are laid over the global `[parser.words]` when its
/// messages are read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileConfig {
    pub name: String,
    /// Source names it applies to; empty: any.
    pub sources: Vec<String>,
    /// Chats it applies to; empty: any.
    pub chats: Vec<String>,
    pub risk: SizingConfig,
    pub guards: GuardsConfig,
    pub entries: EntriesConfig,
    pub management: ManagementConfig,
    /// Its own words only: the global ones are laid under them when the parser's vocabulary is
    /// made, not copied here.
    #[serde(default)]
    pub parser: ProfileParserConfig,
}

/// A profile's `parser` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileParserConfig {
    #[serde(default)]
    pub words: WordsConfig,
}

/// `[parser.words]`: meaning name (`buy`, `sl`, …; see `parse::words::meanings`) → the words and
/// phrases a channel writes for it.
pub type WordsConfig = std::collections::BTreeMap<String, Vec<String>>;

impl ProfileConfig {
    /// Where the profile loosens a global limit, as `(key, what was expected)`: a profile may
    /// only tighten them.
    pub fn loosens(&self, global: &Config) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut at_most = |key: &str, own: f64, limit: f64| {
            // 0 is "off" for a limit: a profile may not turn a global limit off.
            if limit > 0.0 && (own <= 0.0 || own > limit) {
                out.push((
                    key.to_string(),
                    format!("at most the global {limit} (a profile may tighten a limit, never loosen it)"),
                ));
            }
        };
        let (r, g, gr, gg) = (&self.risk, &self.guards, &global.risk, &global.guards);
        at_most("risk.lots", r.lots, gr.lots);
        at_most("risk.risk_percent", r.risk_percent, gr.risk_percent);
        at_most("risk.max_legs", r.max_legs as f64, gr.max_legs as f64);
        at_most(
            "guards.max_spread_pips",
            g.max_spread_pips,
            gg.max_spread_pips,
        );
        at_most(
            "guards.max_signal_age_secs",
            g.max_signal_age_secs as f64,
            gg.max_signal_age_secs as f64,
        );
        at_most(
            "guards.max_entry_distance_pips",
            g.max_entry_distance_pips,
            gg.max_entry_distance_pips,
        );
        at_most(
            "guards.max_level_distance_percent",
            g.max_level_distance_percent,
            gg.max_level_distance_percent,
        );
        at_most(
            "guards.max_open_trades",
            g.max_open_trades as f64,
            gg.max_open_trades as f64,
        );
        at_most(
            "guards.max_open_trades_per_symbol",
            g.max_open_trades_per_symbol as f64,
            gg.max_open_trades_per_symbol as f64,
        );
        at_most(
            "guards.daily_loss_limit_percent",
            g.daily_loss_limit_percent,
            gg.daily_loss_limit_percent,
        );
        at_most(
            "guards.max_drawdown_percent",
            g.max_drawdown_percent,
            gg.max_drawdown_percent,
        );
        if g.duplicate_window_secs < gg.duplicate_window_secs {
            out.push((
                "guards.duplicate_window_secs".into(),
                format!("at least the global {} s", gg.duplicate_window_secs),
            ));
        }
        if let Some(s) = gg
            .block_symbols
            .iter()
            .find(|s| !g.block_symbols.contains(s))
        {
            out.push((
                "guards.block_symbols".into(),
                format!("every globally blocked symbol too ({s} is missing)"),
            ));
        }
        let outside = |own: &[String], global: &[String]| {
            !global.is_empty() && (own.is_empty() || own.iter().any(|x| !global.contains(x)))
        };
        if outside(&g.allow_symbols, &gg.allow_symbols) {
            out.push((
                "guards.allow_symbols".into(),
                "only symbols the global list allows".into(),
            ));
        }
        if outside(&g.trading_days, &gg.trading_days) {
            out.push((
                "guards.trading_days".into(),
                "only days the global list allows".into(),
            ));
        }
        if !gg.trading_hours.is_empty() && g.trading_hours != gg.trading_hours {
            out.push((
                "guards.trading_hours".into(),
                "the global trading hours (a profile cannot widen them)".into(),
            ));
        }
        out
    }

    pub fn applies_to(&self, source: &str, chat: &str) -> bool {
        (self.sources.is_empty() || self.sources.iter().any(|s| s == source))
            && (self.chats.is_empty() || self.chats.iter().any(|c| c == chat))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ParserConfig {
    /// Extra symbol aliases laid over the built-in table: what a channel writes → the symbol.
    pub aliases: std::collections::BTreeMap<String, String>,
    /// Words laid over the built-in vocabulary, per meaning.
    pub words: WordsConfig,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Refuse an open that has no stop loss.
    pub require_sl: bool,
    /// The magic number written on every order, so our trades can be told from manual ones.
    pub magic: u64,
    /// Seconds between retries of what the emergency stop has not yet closed.
    pub halt_retry_secs: u64,
    /// A request with no answer after this long has an unknown outcome: the terminal is asked.
    pub request_timeout_ms: u64,
    /// A request the terminal never received is sent again (same cid) while younger than this.
    pub resend_window_secs: u64,
    /// A signal that comes while the broker is not ready waits this long for it, then is refused.
    pub signal_wait_secs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// Where the journal lives; empty for the platform's data directory.
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter: `info`, `debug`, `signalos::engine=debug,info`, …
    pub level: String,
    /// Where log files go; empty for `<data dir>/logs`.
    pub dir: PathBuf,
    /// How many recent events the console's log pane keeps.
    pub buffer_lines: usize,
}

/// The level names a tracing filter understands, for errors.
const LEVELS: &str = "trace, debug, info, warn, error, off";

impl LogConfig {
    /// Why `level` would not log what it seems to ask for, if it would not.
    ///
    /// A tracing filter takes any bare word for a target name: `inf` or `warning` is a valid
    /// filter that logs nothing of SignalOS at all. So a bare word must be a level, and some
    /// directive must reach SignalOS's own lines, unless the filter says `off` outright.
    pub fn level_problem(&self) -> Option<String> {
        let filter = self.level.as_str();
        if filter.trim().is_empty() {
            return Some(format!("a level: one of {LEVELS}"));
        }
        let mut reaches_signalos = false;
        for directive in filter.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            if directive.contains('[') {
                // A span filter: only a target-less one (`[span]=debug`) reaches everything.
                continue;
            }
            match directive.rsplit_once('=') {
                None => {
                    if directive
                        .parse::<tracing::level_filters::LevelFilter>()
                        .is_err()
                    {
                        let hint = if directive.eq_ignore_ascii_case("warning") {
                            " (tracing spells it \"warn\")"
                        } else {
                            ""
                        };
                        return Some(format!(
                            "{directive:?} is not a level{hint}: one of {LEVELS}, or \
                             target=level such as \"signalos::engine=debug,info\""
                        ));
                    }
                    reaches_signalos = true;
                }
                Some((target, level)) => {
                    if level
                        .trim()
                        .parse::<tracing::level_filters::LevelFilter>()
                        .is_err()
                    {
                        return Some(format!(
                            "{level:?} in {directive:?} is not a level: one of {LEVELS}"
                        ));
                    }
                    reaches_signalos |= target.trim() == "signalos";
                }
            }
        }
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(filter) {
            return Some(format!(
                "a tracing filter such as \"info\" or \"signalos::engine=debug,info\" ({e})"
            ));
        }
        if !reaches_signalos {
            return Some(format!(
                "{filter:?} gives no level to SignalOS's own lines, so none would be logged: \
                 add a level for everything else, as in \"{filter},info\""
            ));
        }
        None
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiConfig {
    /// A keymap name (`default`, `vim`) or a path to a keymap file.
    pub keymap: String,
    /// `auto`, a theme name (`default`, `mono`, `light`, `truecolor`) or a path to a theme file.
    pub theme: String,
    /// The most frames per second the console draws; it draws nothing while nothing changes.
    pub max_fps: u32,
    /// The emergency stop needs a second press of the same key within 2 s.
    pub confirm_emergency_stop: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokerKind {
    /// The built-in simulated MT5 account, in this process, reached over the bridge protocol on
    /// loopback.
    Simulator,
    /// A MetaTrader 5 terminal running the SignalOSBridge Expert Advisor.
    Mt5,
}

/// A value that must never reach a log: its `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

/// For command-line arguments: clap reads a value through this.
impl From<String> for Secret {
    fn from(text: String) -> Secret {
        Secret(text)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "<empty>"
        } else {
            "<redacted>"
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerConfig {
    pub kind: BrokerKind,
    /// Where the engine listens for the Expert Advisor (`mt5`).
    pub listen: String,
    /// The secret the Expert Advisor and the engine prove to each other that they know (`mt5`);
    /// neither ever sends it.
    pub secret: Secret,
    /// Milliseconds of silence after which each side pings.
    pub heartbeat_ms: u64,
    /// The terminal's name for a canonical symbol, where detection cannot tell.
    pub symbols: std::collections::BTreeMap<String, String>,
    /// The simulator's random seed: the same seed gives the same prices.
    pub seed: u64,
    /// The simulator's starting balance, in USD.
    pub balance: f64,
    pub leverage: u32,
    /// A hedging account (several positions per symbol) rather than netting.
    pub hedging: bool,
    /// Milliseconds between simulated price ticks.
    pub tick_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceConfig {
    Demo(DemoSourceConfig),
    File(FileSourceConfig),
    Telegram(TelegramSourceConfig),
}

impl SourceConfig {
    pub fn name(&self) -> &str {
        match self {
            SourceConfig::Demo(c) => &c.name,
            SourceConfig::File(c) => &c.name,
            SourceConfig::Telegram(c) => &c.name,
        }
    }
}

/// `[telegram]`: the bot that reads channels and is the copilot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    /// The bot's token from @BotFather.
    pub token: Secret,
    /// The Bot API server.
    pub api_url: String,
    /// Telegram user ids allowed to command the copilot.
    pub operators: Vec<i64>,
    /// Chat ids that receive notifications.
    pub notify_chats: Vec<i64>,
    /// The kinds of notification sent.
    pub notify: Vec<NotifyKind>,
    /// Seconds each long poll waits.
    pub poll_timeout_secs: u32,
}

impl TelegramConfig {
    /// Whether the bot has anything to do: a channel to read, someone to answer or to notify.
    pub fn in_use(&self, sources: &[SourceConfig]) -> bool {
        !self.operators.is_empty()
            || !self.notify_chats.is_empty()
            || sources
                .iter()
                .any(|s| matches!(s, SourceConfig::Telegram(_)))
    }
}

/// `[relay]`: the WebSocket server remote viewers, scripts and browsers connect to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayConfig {
    pub enabled: bool,
    /// host:port.
    pub listen: String,
    /// A token that may send commands.
    pub operator_token: Secret,
    /// A token that may only watch.
    pub viewer_token: Secret,
    /// Several named tokens, one per line: NAME ROLE TOKEN; mode 0600.
    pub tokens_file: PathBuf,
    /// Origins a browser may connect from.
    pub allowed_origins: Vec<String>,
    /// PEM certificate chain, for wss://.
    pub tls_cert: PathBuf,
    /// PEM private key, for wss://.
    pub tls_key: PathBuf,
    /// Events held for one viewer before it is resynced.
    pub queue: usize,
    pub idle_timeout_secs: u64,
    pub max_connections: usize,
}

/// What the copilot tells `notify_chats` about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyKind {
    /// An order filled: a position opened or a pending order triggered.
    Fills,
    /// A position closed, with its profit or loss.
    Closes,
    /// A signal refused, with the reason.
    Refusals,
    /// A follow-up that found no trade to act on.
    Unmatched,
    /// A message that names a trade but that the parser could not read, with why: for the
    /// trader to act on by hand.
    Unread,
    /// Emergency stops, pauses, resumes and daily-limit trips.
    Halts,
    /// The broker or a source lost or regained its connection.
    Links,
}

/// `[[sources]] kind = "telegram"`: channels and groups the bot reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSourceConfig {
    pub name: String,
    /// The chats read: `@username` or numeric id. Messages from any other chat are ignored.
    pub chats: Vec<ChatRef>,
}

/// A Telegram chat as a config names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChatRef {
    Id(i64),
    Username(String),
}

impl ChatRef {
    /// What is wrong with it, if anything, as what was expected.
    pub fn problem(&self) -> Option<String> {
        let name = match self {
            ChatRef::Id(id) if *id > 0 => {
                return Some(format!(
                    "a channel's or a group's id, which is negative (a channel's or supergroup's starts with -100); {id} is a user's"
                ));
            }
            ChatRef::Id(_) => return None,
            ChatRef::Username(name) => name,
        };
        let hint = name
            .rsplit_once("t.me/")
            .map(|(_, rest)| format!(" (for a link, write \"@{}\")", rest.trim_matches('/')))
            .unwrap_or_default();
        let Some(bare) = name.strip_prefix('@') else {
            if name.parse::<i64>().is_ok() {
                return Some(format!(
                    "a numeric chat id without quotes: {name}, or an \"@username\""
                ));
            }
            return Some(format!(
                "\"@username\" or a numeric chat id such as -1001234567890; {name:?} is neither{hint}"
            ));
        };
        let valid = (4..=32).contains(&bare.len())
            && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && bare.starts_with(|c: char| c.is_ascii_alphabetic());
        (!valid).then(|| {
            format!(
                "a Telegram username: \"@\" then 4 to 32 letters, digits or underscores, starting with a letter; {name:?} is not one"
            )
        })
    }
}

impl std::fmt::Display for ChatRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChatRef::Id(id) => write!(f, "{id}"),
            ChatRef::Username(name) => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoSourceConfig {
    pub name: String,
    /// The chat the demo posts in.
    pub chat: String,
    /// Seconds between messages.
    pub interval_secs: f64,
    /// 0 picks a new seed every run.
    pub seed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSourceConfig {
    pub name: String,
    /// A JSON-lines file followed as it grows; relative to the config file's folder.
    pub path: PathBuf,
    /// Milliseconds between looks at the file.
    #[serde(default = "FileSourceConfig::default_poll_ms")]
    pub poll_ms: u64,
}

impl FileSourceConfig {
    fn default_poll_ms() -> u64 {
        250
    }
}

/// `[management]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagementConfig {
    /// Move the other legs' stop to breakeven when take profit n is hit (0: off).
    pub breakeven_after_tp: usize,
    /// Move a position's stop to breakeven once it is this many pips in profit (0: off).
    pub breakeven_after_pips: f64,
    /// Breakeven is the entry plus this many pips, to cover the spread and commission.
    pub breakeven_offset_pips: f64,
    pub trailing: Trailing,
    /// `pips`: the stop follows the price at this distance, once the position is this far in
    /// profit.
    pub trailing_pips: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trailing {
    Off,
    /// The stop follows the price at `trailing_pips`.
    Pips,
    /// When take profit n is hit, the other legs' stop moves to take profit n-1 (to breakeven
    /// after the first).
    Targets,
}

impl ManagementConfig {
    /// Every problem with the values, as `(key, what was expected)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        [
            ("breakeven_after_pips", self.breakeven_after_pips),
            ("breakeven_offset_pips", self.breakeven_offset_pips),
            ("trailing_pips", self.trailing_pips),
        ]
        .into_iter()
        .filter(|(_, v)| !(v.is_finite() && *v >= 0.0))
        .map(|(key, _)| {
            (
                format!("management.{key}"),
                "a number of pips, 0 or more".to_string(),
            )
        })
        .collect()
    }
}

/// `[entries]`: how an open is placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntriesConfig {
    /// A market signal with an entry zone, when the price is outside the zone on the wrong side.
    pub zone_outside: ZoneOutside,
    /// Pending orders SignalOS placed are cancelled after this many minutes (0: never).
    pub pending_expiry_mins: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneOutside {
    /// A limit order waits at the zone's near edge.
    Limit,
    /// At the market anyway (`guards.max_entry_distance_pips` still applies).
    Market,
    Refuse,
}
