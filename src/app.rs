//! What each command does: load the configuration, open the journal, start the parts, wait.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tracing::{error, info, warn};

use crate::api::Origin;
use crate::broker::bridge::{self, server::BridgeConfig};
use crate::broker::{BrokerEvent, sim};
use crate::cli::{JournalArgs, JournalKind, Paths, RunArgs, ViewArgs};
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::config::{self, BrokerKind, Loaded, Problem, Problems, SourceConfig, paths};
use crate::engine::{self, EngineHandle};
use crate::notify;
use crate::parse::{Aliases, Vocabulary, Words};
use crate::relay::{self, server::Relay};
use crate::sources;
use crate::store::{Journal, JournalError};
use crate::telemetry::{self, LogBuffer};

/// Exit code for a configuration that does not check out.
const EXIT_CONFIG: u8 = 2;

/// Load the configuration for a command that connects to nothing: as `run` does, but without
/// the secrets only a run needs.
fn load_config(paths: &Paths) -> Result<Loaded, Problems> {
    let file = config::user_file(paths.config.as_deref());
    config::load_without_secrets(file.as_deref(), &config::env_overrides())
}

fn report(problems: &Problems) -> ExitCode {
    eprintln!("{problems}");
    eprintln!(
        "signalos: {} problem{} in the configuration",
        problems.0.len(),
        if problems.0.len() == 1 { "" } else { "s" }
    );
    ExitCode::from(EXIT_CONFIG)
}

/// The data and log folders in use.
pub struct Dirs {
    pub data: PathBuf,
    pub logs: PathBuf,
}

/// The data dir in use, for `ctl` to find the relay.json a running engine left there.
pub fn data_dir(paths: &Paths) -> anyhow::Result<PathBuf> {
    let loaded = load_config(paths).map_err(|problems| anyhow::anyhow!("{problems}"))?;
    Ok(dirs(&loaded, paths.data_dir.as_deref())?.data)
}

fn dirs(loaded: &Loaded, cli_data_dir: Option<&Path>) -> anyhow::Result<Dirs> {
    let data = paths::data_dir(&loaded.config, &loaded.base_dir, cli_data_dir)?;
    let logs = paths::log_dir(&loaded.config, &loaded.base_dir, &data);
    Ok(Dirs { data, logs })
}

/// `signalos --version`: the version and the paths in use.
pub fn version(paths: &Paths) -> anyhow::Result<ExitCode> {
    println!("signalos {}", env!("CARGO_PKG_VERSION"));
    let file = config::user_file(paths.config.as_deref());
    match &file {
        Some(f) => println!("config: {}", f.display()),
        None => println!(
            "config: built-in defaults ({} not present)",
            paths::platform_config_file().map_or_else(
                || "no platform config file".into(),
                |p| p.display().to_string()
            )
        ),
    }
    match config::load_without_secrets(file.as_deref(), &config::env_overrides()) {
        Ok(loaded) => {
            let dirs = dirs(&loaded, paths.data_dir.as_deref())?;
            println!("data:   {}", dirs.data.display());
            println!("logs:   {}", dirs.logs.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => Ok(report(&problems)),
    }
}

/// Everything `run` needs before it starts anything, checked the same way for `check-config` so
/// that the two cannot disagree.
struct Checked {
    loaded: Loaded,
    dirs: Dirs,
    keymap: Keymap,
    theme: Theme,
    /// Why the theme in use is not the one named, if it is not.
    theme_note: Option<String>,
    /// What the checks of the data and log folders found, for check-config to say.
    dir_notes: [String; 2],
}

/// Load the configuration and check what it names: the keymap and the theme (a headless run too:
/// a configuration naming a missing keymap is broken, console or not), and that the data and log
/// folders are directories SignalOS can create and write in. Nothing is created.
fn check(file: Option<&Path>, cli_data_dir: Option<&Path>) -> Result<Checked, Problems> {
    let loaded = config::load(file, &config::env_overrides())?;
    let mut problems = Vec::new();
    let keymap = config::load_keymap(&loaded).map_err(|p| problems.extend(p.0));
    let theme = config::load_theme_with(&loaded, &config::TerminalEnv::from_env())
        .map_err(|p| problems.extend(p.0));
    // Each folder is blamed on where it was set: the command line, else its key.
    let blame = |key: &str, expected: String| match cli_data_dir {
        Some(_) if key == "data.dir" => Problem {
            file: "command line".into(),
            line: 0,
            key: "--data-dir".into(),
            expected,
        },
        _ => loaded.problem(key, expected),
    };
    let dirs = match dirs(&loaded, cli_data_dir) {
        Ok(dirs) => Some(dirs),
        Err(e) => {
            problems.push(blame("data.dir", format!("{e:#}")));
            None
        }
    };
    let mut dir_notes = Vec::new();
    if let Some(dirs) = &dirs {
        for (key, dir) in [("data.dir", &dirs.data), ("log.dir", &dirs.logs)] {
            match paths::check_writable_dir(dir) {
                Ok(note) => dir_notes.push(note),
                Err(why) => problems.push(blame(key, why)),
            }
        }
    }
    match (keymap, theme, dirs, <[String; 2]>::try_from(dir_notes)) {
        (Ok(keymap), Ok((theme, theme_note)), Some(dirs), Ok(dir_notes)) if problems.is_empty() => {
            Ok(Checked {
                loaded,
                dirs,
                keymap,
                theme,
                theme_note,
                dir_notes,
            })
        }
        _ => Err(Problems(problems)),
    }
}

/// `signalos check-config [PATH]`: what `run` checks before it starts, and what it would warn of.
pub fn check_config(path: Option<&Path>) -> anyhow::Result<ExitCode> {
    let file = path
        .map(Path::to_path_buf)
        .or_else(|| config::user_file(None));
    let checked = match check(file.as_deref(), None) {
        Ok(checked) => checked,
        Err(problems) => return Ok(report(&problems)),
    };
    let loaded = &checked.loaded;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }
    let cfg = &loaded.config;
    // Online too, before anything is called ok: "ok" means everything checked out.
    let found = if cfg.telegram.in_use(&cfg.sources) && !cfg.telegram.token.0.is_empty() {
        check_telegram(cfg)?
    } else {
        Vec::new()
    };
    let problems = found
        .iter()
        .filter(|f| matches!(f, sources::telegram::Finding::Problem(_)))
        .count();
    if problems == 0 {
        let sources = cfg.sources.len();
        let [data, logs] = &checked.dir_notes;
        println!(
            "ok: {} (keymap {}, theme {}, {sources} source{}; data {data}; logs {logs})",
            file.map_or_else(
                || config::BUILTIN_LABEL.to_string(),
                |f| f.display().to_string()
            ),
            cfg.ui.keymap,
            cfg.ui.theme,
            if sources == 1 { "" } else { "s" },
        );
    }
    say_findings(&found);
    if problems == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "signalos: {problems} problem{} with Telegram",
        if problems == 1 { "" } else { "s" }
    );
    Ok(ExitCode::from(EXIT_CONFIG))
}

/// The sources the bot reads.
fn telegram_sources(cfg: &config::Config) -> Vec<config::TelegramSourceConfig> {
    cfg.sources
        .iter()
        .filter_map(|s| match s {
            SourceConfig::Telegram(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The online half of `check-config`: ask Telegram about the bot and each chat. A refused token,
/// a webhook, a chat that cannot be read are problems; not reaching Telegram is said, and is no
/// fault of the configuration.
fn check_telegram(cfg: &config::Config) -> anyhow::Result<Vec<sources::telegram::Finding>> {
    let telegram_sources = telegram_sources(cfg);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the online check")?;
    Ok(runtime.block_on(sources::telegram::check(&cfg.telegram, &telegram_sources)))
}

/// What the online check found, each on its stream: what is fine on stdout, the rest on stderr.
fn say_findings(found: &[sources::telegram::Finding]) {
    use sources::telegram::Finding;
    for finding in found {
        match finding {
            Finding::Fine(what) => println!("telegram: {what}"),
            Finding::Warning(what) => eprintln!("warning: telegram: {what}"),
            Finding::Offline(what) => eprintln!("note: {what}"),
            Finding::Problem(what) => eprintln!("problem: telegram: {what}"),
        }
    }
}

/// `signalos journal signals|orders|audit`: JSON lines on stdout.
pub fn journal(args: &JournalArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load_config(&args.paths) {
        Ok(l) => l,
        Err(problems) => return Ok(report(&problems)),
    };
    let dirs = dirs(&loaded, args.paths.data_dir.as_deref())?;
    if !Journal::exists(&dirs.data) {
        anyhow::bail!(
            "no journal in {} yet: run signalos first",
            dirs.data.display()
        );
    }
    let journal = match Journal::open(&dirs.data) {
        Err(JournalError::Locked { dir }) => anyhow::bail!(
            "the journal in {} is in use by the signalos running on it: read it through that \
             engine's relay ([relay] enabled) instead: {}",
            dir.display(),
            ctl_journal_command(args)
        ),
        opened => opened?,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let query = &args.query;
    let written = match query.kind {
        JournalKind::Signals => print_lines(&mut out, journal.signals(query.since)),
        JournalKind::Orders => print_lines(&mut out, journal.orders(query.since)),
        JournalKind::Audit => print_lines(&mut out, journal.audit(query.since)),
        JournalKind::Decisions => print_lines(&mut out, journal.decisions(query.since)),
        JournalKind::Story => {
            let seq = query.signal.unwrap_or_default();
            match journal.story(seq)? {
                Some(steps) => print_lines(&mut out, steps.into_iter().map(Ok)),
                None => anyhow::bail!("no signal #{seq} in the journal in {}", dirs.data.display()),
            }
        }
    };
    match written.and_then(|()| out.flush().map_err(Into::into)) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e),
    }
}

/// The `signalos ctl journal` that reads what `args` asked for from a running engine.
fn ctl_journal_command(args: &JournalArgs) -> String {
    use clap::ValueEnum as _;
    let query = &args.query;
    let mut command = String::from("signalos ctl");
    if let Some(config) = &args.paths.config {
        command += &format!(" --config {}", config.display());
    }
    if let Some(data) = &args.paths.data_dir {
        command += &format!(" --data-dir {}", data.display());
    }
    if let Some(kind) = query.kind.to_possible_value() {
        command += &format!(" journal {}", kind.get_name());
    }
    if let Some(signal) = query.signal {
        command += &format!(" {signal}");
    }
    if query.since != 1 {
        command += &format!(" --since {}", query.since);
    }
    command
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let kind = e
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
        // A line is written by serde_json, whose error carries the write's.
        .or_else(|| e.downcast_ref::<serde_json::Error>()?.io_error_kind());
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

fn print_lines<T: Serialize>(
    out: &mut impl Write,
    entries: impl Iterator<Item = Result<T, JournalError>>,
) -> anyhow::Result<()> {
    for entry in entries {
        serde_json::to_writer(&mut *out, &entry?)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `signalos parse`: JSON lines from stdin to stdout, or one message for a person, with the
/// configured symbol aliases and words (a profile's too, for a message of its `source` or `chat`).
pub fn parse(
    text: Option<&str>,
    config: Option<&Path>,
    source: Option<&str>,
    chat: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let loaded = match load_config(&Paths {
        config: config.map(Path::to_path_buf),
        data_dir: None,
    }) {
        Ok(l) => l,
        Err(problems) => return Ok(report(&problems)),
    };
    let cfg = &loaded.config;
    let aliases = aliases(&cfg.parser);
    let mut words = Words::new(&cfg.parser.words);
    if source.is_some() || chat.is_some() {
        let (source, chat) = (source.unwrap_or_default(), chat.unwrap_or_default());
        if let Some(profile) = cfg.profiles.iter().find(|p| p.applies_to(source, chat)) {
            words = Words::new(&profile.parser.words).over(&words);
        }
    }
    let vocabulary = Vocabulary {
        aliases: &aliases,
        words: &words,
    };
    if let Some(text) = text {
        print!("{}", crate::parse_cli::human(text, vocabulary));
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    match crate::parse_cli::json_lines(stdin.lock(), out, vocabulary) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
    }
}

/// `signalos parse --score`: the parser's score over labelled files, one report (or JSON line)
/// each. A measurement, not a gate: the exit code says only whether every file could be read.
pub fn score(files: &[PathBuf], json: bool, config: Option<&Path>) -> anyhow::Result<ExitCode> {
    // Without --config the built-in parser is measured, so that two people's figures compare
    // whatever their own configs add.
    let configured;
    let vocabulary = match config {
        None => Vocabulary::from(Aliases::built_in()),
        Some(path) => {
            let loaded = match load_config(&Paths {
                config: Some(path.to_path_buf()),
                data_dir: None,
            }) {
                Ok(l) => l,
                Err(problems) => return Ok(report(&problems)),
            };
            let parser = &loaded.config.parser;
            configured = (aliases(parser), Words::new(&parser.words));
            Vocabulary {
                aliases: &configured.0,
                words: &configured.1,
            }
        }
    };
    let mut unread = 0;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = files.iter().enumerate().try_for_each(|(i, file)| {
        let name = file.display().to_string();
        let corpus = std::fs::File::open(file)
            .and_then(|f| crate::parse::score::read_corpus(std::io::BufReader::new(f)));
        let corpus = match corpus {
            Ok(c) => c,
            Err(e) => {
                unread += 1;
                // Not eprintln: it panics when stderr is a terminal that has gone.
                let _ = writeln!(std::io::stderr(), "signalos: {name}: {e}");
                return Ok(());
            }
        };
        let card = crate::parse::score::score(&corpus, vocabulary);
        if json {
            let line = crate::parse_cli::score_json(&name, &card).map_err(std::io::Error::other)?;
            writeln!(out, "{line}")
        } else {
            let gap = if i == 0 { "" } else { "\n" };
            write!(out, "{gap}{}", crate::parse_cli::score_report(&name, &card))
        }
    });
    match written.and_then(|()| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e.into()),
    }
    Ok(if unread == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `signalos view`: the console, fed by a running engine's relay. Quitting leaves the engine
/// running.
pub fn view(args: &ViewArgs) -> anyhow::Result<ExitCode> {
    let loaded = match load_config(&args.paths) {
        Ok(l) => l,
        Err(problems) => return Ok(report(&problems)),
    };
    let keymap = config::load_keymap(&loaded);
    let theme = config::load_theme_with(&loaded, &config::TerminalEnv::from_env());
    let (keymap, (theme, theme_note)) = match (keymap, theme) {
        (Ok(keymap), Ok(theme)) => (keymap, theme),
        (keymap, theme) => {
            let problems = keymap.err().into_iter().chain(theme.err());
            return Ok(report(&Problems(problems.flat_map(|p| p.0).collect())));
        }
    };
    let target = match crate::ctl::target(args.url.as_deref(), args.token.as_deref(), &args.paths) {
        Ok(target) => target,
        Err(failure) => return Ok(crate::ctl::fail_as("signalos view", &failure)),
    };
    let logs = LogBuffer::new(loaded.config.log.buffer_lines);
    telemetry::init_console_only(&loaded.config.log.level, logs.clone())?;
    if let Some(note) = theme_note {
        warn!("{note}");
    }
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let ui = loaded.config.ui.clone();
    let result = runtime.block_on(async move {
        let options = relay::client::Options {
            log: Some(logs.clone()),
            ca: args.ca.clone(),
            ..relay::client::Options::default()
        };
        let client = match crate::ctl::connect(&target, options).await {
            Ok(client) => client,
            Err(failure) => return Ok(crate::ctl::fail_as("signalos view", &failure)),
        };
        info!(
            "watching the engine at {} as {} ({:?})",
            target.url,
            client.hello().name,
            client.hello().role
        );
        crate::tui::run(client, keymap, theme, ui, logs)
            .await
            .map(|()| ExitCode::SUCCESS)
    });
    // Blocking tasks (the terminal reader) must not hold the process open.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result
}

/// `signalos run`: the engine, the broker, the sources, and the console unless headless.
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let file = config::user_file(args.paths.config.as_deref());
    let Checked {
        loaded,
        dirs,
        keymap,
        theme,
        theme_note,
        ..
    } = match check(file.as_deref(), args.paths.data_dir.as_deref()) {
        Ok(checked) => checked,
        Err(problems) => return Ok(report(&problems)),
    };
    let ui = (!args.headless).then_some((keymap, theme));
    std::fs::create_dir_all(&dirs.data)
        .with_context(|| format!("cannot create the data dir {}", dirs.data.display()))?;
    let logs = LogBuffer::new(loaded.config.log.buffer_lines);
    let _log_guard = telemetry::init(
        &dirs.logs,
        &loaded.config.log.level,
        args.headless,
        logs.clone(),
    )?;
    // Said once the log is open, where a headless run and the console's log pane both show them.
    for warning in &loaded.warnings {
        warn!("{warning}");
    }
    if let Some(note) = theme_note {
        warn!("{note}");
    }
    let journal = Journal::open(&dirs.data)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(async move {
        let parts = start(&loaded, &dirs, journal, logs.clone()).await?;
        info!(
            data = %dirs.data.display(),
            config = %loaded.file.as_ref().map_or_else(|| config::BUILTIN_LABEL.to_string(), |f| f.display().to_string()),
            "signalos {} started",
            env!("CARGO_PKG_VERSION")
        );
        let outcome = match ui {
            Some((keymap, theme)) => {
                // On its own task, so that even a panic in the console leaves the engine to be
                // stopped cleanly below.
                let client = engine::Local::new(parts.engine.clone(), Origin::console(), logs.clone());
                let console = tokio::spawn(crate::tui::run(
                    client,
                    keymap,
                    theme,
                    loaded.config.ui.clone(),
                    logs,
                ));
                let closed = match console.await {
                    Ok(result) => result,
                    Err(e) => Err(anyhow::anyhow!("the console stopped unexpectedly: {e}")),
                };
                match &closed {
                    Ok(()) => info!("console closed"),
                    Err(e) => error!("console failed: {e:#}"),
                }
                closed
            }
            None => wait_for_signal().await,
        };
        parts.stop().await;
        outcome
    });
    // Blocking tasks (the terminal reader) must not hold the process open.
    runtime.shutdown_timeout(Duration::from_secs(2));
    result.map(|()| ExitCode::SUCCESS)
}

/// How long the last Telegram messages may take to go out when SignalOS stops.
const NOTIFY_DRAIN: Duration = Duration::from_secs(5);

/// The running parts of `signalos run`.
pub struct Parts {
    pub engine: EngineHandle,
    engine_task: tokio::task::JoinHandle<()>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// What brings messages (the Telegram poller among them): stopped before the engine, so that
    /// nothing new is traded once stopping has begun.
    sources: Vec<tokio::task::JoinHandle<()>>,
    /// The copilot, the notifications and their outbox: given a few seconds at the end to send
    /// what they still hold (the last replies, "SignalOS stopped").
    notifying: Vec<tokio::task::JoinHandle<()>>,
    /// The relay and the data dir its relay.json is in, when `[relay] enabled`.
    relay: Option<(Relay, tokio::runtime::Runtime, PathBuf)>,
}

impl Parts {
    /// Stop the engine cleanly (journal flushed), then everything else. Positions stay open at
    /// the broker.
    pub async fn stop(self) {
        // First, while the engine still answers: its viewers are told it is stopping.
        if let Some((relay, runtime, data)) = self.relay {
            relay.stop().await;
            // Not dropped here: a runtime may not be dropped inside another's task.
            runtime.shutdown_background();
            if let Err(e) = relay::local::remove(&data) {
                warn!("{e:#}");
            }
        }
        // What a source handed over before this is journaled and acted on; nothing after.
        for source in self.sources {
            source.abort();
            let _ = source.await;
        }
        if self.engine.shutdown().await.is_err() {
            error!("the engine had already stopped");
        }
        let _ = self.engine_task.await;
        for task in self.tasks {
            task.abort();
        }
        let stops: Vec<_> = self.notifying.iter().map(|t| t.abort_handle()).collect();
        let sent = async {
            for task in self.notifying {
                let _ = task.await;
            }
        };
        if tokio::time::timeout(NOTIFY_DRAIN, sent).await.is_err() {
            // What is left is logged as not sent, message by message, as it is dropped.
            warn!(
                "Telegram messages still unsent after {} s: given up",
                NOTIFY_DRAIN.as_secs()
            );
            for stop in stops {
                stop.abort();
            }
        }
    }
}

/// Start the broker, the engine, the sources and, if enabled, the relay (which streams `logs`).
pub async fn start(
    loaded: &Loaded,
    dirs: &Dirs,
    journal: Journal,
    logs: LogBuffer,
) -> anyhow::Result<Parts> {
    let cfg = &loaded.config;
    // Taken before the journal moves into the engine: the relay reads the journal on its own.
    let reader = journal.reader();
    // Before anything starts: a port in use or an unreadable tokens file stops the run here.
    let relay = if cfg.relay.enabled {
        Some(prepare_relay(loaded, &dirs.data).await?)
    } else {
        None
    };
    let (requests_tx, requests_rx) = mpsc::channel(1024);
    let (events_tx, events_rx) = mpsc::channel::<BrokerEvent>(4096);
    let mut tasks = Vec::new();
    match cfg.broker.kind {
        BrokerKind::Simulator => {
            // The simulator plays the Expert Advisor over the real protocol, on a loopback port
            // of its own with a secret made for this run: the default path is the real path.
            let listener = TcpListener::bind("127.0.0.1:0")
                .await
                .context("cannot open a loopback port for the simulator")?;
            let address = listener
                .local_addr()
                .context("cannot read the simulator's loopback port")?;
            let secret = one_run_secret();
            let sim_cfg = sim::SimConfig {
                seed: cfg.broker.seed,
                balance: cfg.broker.balance,
                leverage: cfg.broker.leverage,
                hedging: cfg.broker.hedging,
            };
            let state_file = dirs.data.join("simulator.json");
            let account = sim::load_or_new(&sim_cfg, &state_file, crate::model::now_millis())?;
            tasks.push(tokio::spawn(bridge::server::serve(
                listener,
                bridge_config(cfg, secret.clone()),
                requests_rx,
                events_tx,
            )));
            let options = sim::ea::EaOptions {
                connect: address.to_string(),
                secret,
                tick: Duration::from_millis(cfg.broker.tick_ms),
                state_file: Some(state_file),
                seed: cfg.broker.seed,
                ..sim::ea::EaOptions::default()
            };
            tasks.push(tokio::spawn(async move {
                if let Err(e) = sim::ea::run(account, options).await {
                    error!("the simulator stopped: {e:#}");
                }
            }));
        }
        BrokerKind::Mt5 => {
            let listener = TcpListener::bind(&cfg.broker.listen).await.with_context(|| {
                format!(
                    "cannot listen for the Expert Advisor on {} (broker.listen): is another SignalOS running?",
                    cfg.broker.listen
                )
            })?;
            tasks.push(tokio::spawn(bridge::server::serve(
                listener,
                bridge_config(cfg, cfg.broker.secret.0.clone()),
                requests_rx,
                events_tx,
            )));
        }
    }
    let (engine, engine_task) = engine::spawn(
        engine::Rules::of(cfg),
        aliases(&cfg.parser),
        Words::new(&cfg.parser.words),
        journal,
        requests_tx,
    )?;
    tasks.push(engine.forward_broker_events(events_rx));
    let mut source_tasks = Vec::new();
    let mut notifying = Vec::new();
    if cfg.telegram.in_use(&cfg.sources) {
        let bot = sources::telegram::bot(&cfg.telegram)?;
        let (private_tx, private_rx) = mpsc::channel(64);
        notifying = notify::start(
            bot.clone(),
            cfg.telegram.clone(),
            engine.clone(),
            private_rx,
        );
        let telegram_sources = telegram_sources(cfg);
        source_tasks.push(tokio::spawn(sources::telegram::run(
            bot,
            cfg.telegram.clone(),
            telegram_sources,
            engine.clone(),
            private_tx,
        )));
    }
    for source in &cfg.sources {
        let handle = engine.clone();
        source_tasks.push(match source {
            SourceConfig::Demo(d) => tokio::spawn(sources::demo::run(d.clone(), handle)),
            SourceConfig::File(f) => tokio::spawn(sources::file::follow(
                f.name.clone(),
                loaded.resolve(&f.path),
                Duration::from_millis(f.poll_ms),
                handle,
            )),
            // Read by the one poller of the bot, above.
            SourceConfig::Telegram(_) => continue,
        });
    }
    let relay = match relay {
        Some(prepared) => {
            let (relay, runtime) =
                start_relay(prepared, &dirs.data, engine.clone(), reader, logs).await?;
            Some((relay, runtime, dirs.data.clone()))
        }
        None => None,
    };
    Ok(Parts {
        engine,
        engine_task,
        tasks,
        sources: source_tasks,
        notifying,
        relay,
    })
}

/// The relay's settings, with this run's token, and its listening socket.
struct PreparedRelay {
    settings: relay::server::Settings,
    listener: TcpListener,
    token: String,
    /// The certificate of a relay that speaks TLS, for relay.json.
    cert: Option<PathBuf>,
}

/// Read what `[relay]` names (tokens file, certificate) and listen on `[relay] listen`.
async fn prepare_relay(loaded: &Loaded, data: &Path) -> anyhow::Result<PreparedRelay> {
    let cfg = &loaded.config.relay;
    let local = relay::server::local_token(relay::local::own_token(data)?);
    let token = local.secret.clone();
    let settings = relay::server::Settings::of(cfg, |p| loaded.resolve(p), local)?;
    let listener = TcpListener::bind(&cfg.listen).await.with_context(|| {
        format!(
            "cannot listen for relay clients on {} (relay.listen): is another SignalOS running?",
            cfg.listen
        )
    })?;
    let cert = (!cfg.tls_cert.as_os_str().is_empty()).then(|| {
        let cert = loaded.resolve(&cfg.tls_cert);
        std::path::absolute(&cert).unwrap_or(cert)
    });
    Ok(PreparedRelay {
        settings,
        listener,
        token,
        cert,
    })
}

/// Serve the relay and leave its address and this run's token in relay.json.
async fn start_relay(
    prepared: PreparedRelay,
    data: &Path,
    engine: EngineHandle,
    reader: crate::store::Reader,
    logs: LogBuffer,
) -> anyhow::Result<(Relay, tokio::runtime::Runtime)> {
    let PreparedRelay {
        settings,
        listener,
        token,
        cert,
    } = prepared;
    let (relay, runtime) =
        Relay::start_on_own_thread(listener, settings, engine, reader, logs, run_id()).await?;
    let local = relay::local::LocalRelay {
        url: relay.url.clone(),
        token,
        cert,
    };
    // The relay works without it; only `view` and `ctl` on this machine then need to be told
    // where it is.
    if let Err(e) = relay::local::write(data, &local) {
        error!(
            "{e:#}: signalos view and ctl on this machine must be told the relay's address and a token"
        );
    }
    Ok((relay, runtime))
}

/// This run's id, in the relay's `hello`: a client that resumes from a seq of another run is sent
/// a snapshot, since seqs count from 1 again in each.
fn run_id() -> String {
    let mut id = one_run_secret();
    id.truncate(12);
    id
}

/// A secret for the in-process simulator: nothing else can connect to it.
fn one_run_secret() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

fn bridge_config(cfg: &config::Config, secret: String) -> BridgeConfig {
    BridgeConfig {
        secret,
        magic: cfg.engine.magic,
        heartbeat: Duration::from_millis(cfg.broker.heartbeat_ms),
        overrides: cfg.broker.symbols.clone(),
        aliases: aliases(&cfg.parser),
    }
}

/// The built-in symbol aliases with the configured ones laid over them.
fn aliases(cfg: &config::ParserConfig) -> Aliases {
    if cfg.aliases.is_empty() {
        return Aliases::default();
    }
    let extra: Vec<(String, String)> = cfg.aliases.clone().into_iter().collect();
    Aliases::with_extra(&extra)
}

/// Wait for Ctrl-C, SIGTERM or SIGHUP.
async fn wait_for_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        tokio::select! {
            _ = tokio::signal::ctrl_c() => info!("interrupted: stopping"),
            _ = term.recv() => info!("SIGTERM: stopping"),
            _ = hup.recv() => info!("SIGHUP: stopping"),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        info!("interrupted: stopping");
    }
    Ok(())
}

/// `signalos sim-mt5`: a simulated MT5 account that plays the Expert Advisor against a running
/// SignalOS, over the bridge protocol. Logs go to stderr (`RUST_LOG` filters them).
pub fn sim_mt5(args: &crate::cli::SimMt5Args) -> anyhow::Result<ExitCode> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(filter)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))?;
    let config = sim::SimConfig {
        seed: args.seed,
        balance: args.balance,
        leverage: args.leverage,
        hedging: args.mode == crate::cli::AccountMode::Hedging,
    };
    let now = crate::model::now_millis();
    let account = match &args.state_file {
        Some(path) => sim::load_or_new(&config, path, now)?,
        None => sim::SimAccount::new(&config, now),
    };
    let options = sim::ea::EaOptions {
        connect: args.connect.clone(),
        secret: args.secret.0.clone(),
        tick: Duration::from_millis(args.tick_ms),
        faults: args.faults.clone(),
        trade_log: args.trade_log.clone(),
        state_file: args.state_file.clone(),
        seed: args.seed,
        backoff_cap: Duration::from_millis(args.backoff_cap_ms),
    };
    info!(
        engine = %options.connect,
        faults = ?args.faults.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "signalos {} simulator started",
        env!("CARGO_PKG_VERSION")
    );
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(sim::ea::run_until(account, options, async {
        if let Err(e) = wait_for_signal().await {
            error!("cannot watch for signals, stop with SIGKILL: {e:#}");
            std::future::pending::<()>().await;
        }
    }))?;
    info!("simulator stopped");
    Ok(ExitCode::SUCCESS)
}
