//! `signalos ctl`: a running engine, asked and steered through its relay from a shell or a
//! script. Answers are JSON on stdout (one object, or JSON lines for streams); errors are words on
//! stderr; the exit code says which kind of failure it was.

use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;
use serde_json::json;

use crate::api::{Action, Client as _, IntentStatus, Received, Reply, State, Subscribe as _};
use crate::cli::{CtlArgs, CtlCommand, JournalKind, JournalQuery, Paths};
use crate::relay::client::{ConnectError, LinkStatus, Options, RelayClient, RequestError};
use crate::relay::protocol::{self, Answer, ErrorCode, Request, ServerFrame, Topic};

/// How `signalos ctl` ends. Scripts branch on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Ok = 0,
    /// The engine refused: the gate said no (a viewer's token, no such ticket, …), or it has no
    /// such signal, or could not read its journal.
    Refused = 1,
    /// The command line is wrong (clap exits with 2 too).
    Usage = 2,
    /// No engine could be reached, or the link was lost before the answer: a command's outcome
    /// is then unknown.
    Unreachable = 3,
    /// The relay did not accept the token.
    Unauthorised = 4,
}

/// Where `--token` may come from instead.
pub use crate::config::RELAY_TOKEN_VAR as TOKEN_VAR;

/// The exit codes, for `--help`.
pub const EXIT_CODES: &str = "Exit codes:
  0  ok
  1  refused by the engine (the gate's reason on stderr: a viewer token, no such ticket …)
  2  bad usage
  3  unreachable: no engine or relay, or the link was lost mid-command (outcome unknown: check
     with `signalos ctl status`)
  4  unauthorised: the relay did not accept the token";

/// Why `ctl` failed, and how to exit.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
        }
    }
}

impl From<ConnectError> for Failure {
    fn from(e: ConnectError) -> Failure {
        let exit = match e {
            ConnectError::Usage(_) => Exit::Usage,
            ConnectError::Unauthorised { .. } => Exit::Unauthorised,
            ConnectError::Unreachable { .. }
            | ConnectError::Refused { .. }
            | ConnectError::Protocol { .. } => Exit::Unreachable,
        };
        Failure::new(exit, e.to_string())
    }
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Failure {
        Failure::new(Exit::Unreachable, e.to_string())
    }
}

/// Writing to stdout failed: a reader that went away (`| head`) is no failure.
impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::new(Exit::Ok, "")
        } else {
            Failure::new(Exit::Unreachable, format!("cannot write to stdout: {e}"))
        }
    }
}

/// For `--topics`: a topic's name as the protocol spells it.
pub fn parse_topic(name: &str) -> Result<Topic, String> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).map_err(|_| {
        format!(
            "{name:?} is not a topic: expected account, positions, orders, signals, links or log"
        )
    })
}

/// `signalos ctl …`: errors are said here, so the caller only exits.
pub fn run(args: &CtlArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return fail(&Failure::new(
                Exit::Unreachable,
                format!("cannot start the async runtime: {e}"),
            ));
        }
    };
    match runtime.block_on(ctl(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => fail(&failure),
    }
}

pub fn fail(failure: &Failure) -> ExitCode {
    fail_as("signalos ctl", failure)
}

/// Say `failure` as `who` (`signalos view` shares ctl's failures and exit codes).
pub fn fail_as(who: &str, failure: &Failure) -> ExitCode {
    if !failure.message.is_empty() {
        // Not eprintln: it panics when stderr is a terminal that has gone.
        let _ = writeln!(std::io::stderr(), "{who}: {}", failure.message);
    }
    ExitCode::from(failure.exit as u8)
}

/// Where the relay is, and the token to give it.
#[derive(Debug)]
pub struct Target {
    pub url: String,
    pub token: String,
    /// The relay.json they were read from, when they were.
    pub file: Option<std::path::PathBuf>,
    /// The certificate relay.json names: accepted, and only it, for its own address.
    pub cert: Option<std::path::PathBuf>,
}

/// The relay and its token as given, else from the relay.json of the engine running on the
/// data dir `paths` name (for `view` too).
pub fn target(url: Option<&str>, token: Option<&str>, paths: &Paths) -> Result<Target, Failure> {
    // An empty token (a variable set to nothing) is no token: relay.json's is used.
    let token = token.filter(|t| !t.trim().is_empty());
    match (url, token) {
        (Some(url), Some(token)) => Ok(Target {
            url: url.to_string(),
            token: token.to_string(),
            file: None,
            cert: None,
        }),
        // relay.json's token is for relay.json's address only: never sent elsewhere.
        (Some(_), None) => Err(Failure::new(
            Exit::Usage,
            "--url needs --token (or SIGNALOS_RELAY_TOKEN): relay.json's token is only for its own address",
        )),
        (None, token) => {
            let data = crate::app::data_dir(paths)
                .map_err(|e| Failure::new(Exit::Usage, format!("{e:#}")))?;
            let local = crate::relay::local::read(&data)
                .map_err(|e| Failure::new(Exit::Unreachable, format!("{e:#}")))?;
            Ok(Target {
                url: local.url,
                token: token.map_or(local.token, str::to_string),
                file: Some(crate::relay::local::path(&data)),
                cert: local.cert,
            })
        }
    }
}

/// Connect to `target`; a relay.json nothing answers at is said to be stale.
pub async fn connect(target: &Target, mut options: Options) -> Result<RelayClient, Failure> {
    options.pin.clone_from(&target.cert);
    match RelayClient::connect_with(&target.url, &target.token, options).await {
        Ok(client) => Ok(client),
        Err(e @ ConnectError::Unreachable { .. }) if target.file.is_some() => {
            let file = target.file.as_deref().map(|f| f.display().to_string());
            Err(Failure::new(
                Exit::Unreachable,
                format!(
                    "{e}: {} was left by an engine that does not answer — it may have been \
                     killed or crashed, or be starting",
                    file.unwrap_or_default()
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn ctl(args: &CtlArgs) -> Result<(), Failure> {
    let target = target(args.url.as_deref(), args.token.as_deref(), &args.paths)?;
    let mut options = Options {
        ca: args.ca.clone(),
        ..Options::default()
    };
    if let CtlCommand::Watch { topics } = &args.command
        && !topics.is_empty()
    {
        options.topics.clone_from(topics);
    }
    let client = connect(&target, options).await?;
    let done = act(&client, &args.command).await;
    client.close().await;
    done
}

async fn act(client: &RelayClient, asked: &CtlCommand) -> Result<(), Failure> {
    match asked {
        CtlCommand::Status => print(&status(client).await?),
        CtlCommand::Positions => {
            let (_, state) = state(client).await?;
            let positions: Vec<_> = state.positions.values().collect();
            print(&json!({ "positions": positions }))
        }
        CtlCommand::Orders => {
            let (_, state) = state(client).await?;
            let orders: Vec<_> = state.orders.values().collect();
            let open: Vec<_> = state
                .intents
                .values()
                .filter(|i| matches!(i.status, IntentStatus::Sent | IntentStatus::Unknown))
                .collect();
            print(&json!({ "orders": orders, "intents": open }))
        }
        CtlCommand::Signals { since, limit } => {
            let (signals, next) = signals(client, *since, *limit).await?;
            print(&json!({ "signals": signals, "next": next }))
        }
        CtlCommand::Journal(query) => journal(client, query).await,
        CtlCommand::Watch { .. } => watch(client).await,
        CtlCommand::Pause => command(client, Action::Pause).await,
        CtlCommand::Resume { reason } => {
            command(
                client,
                Action::Resume {
                    reason: reason.clone(),
                },
            )
            .await
        }
        CtlCommand::EmergencyStop => command(client, Action::EmergencyStop).await,
        CtlCommand::Close { ticket } => {
            command(client, Action::ClosePosition { ticket: *ticket }).await
        }
        CtlCommand::Breakeven { ticket } => {
            command(client, Action::Breakeven { ticket: *ticket }).await
        }
        CtlCommand::Story { signal } => {
            let steps = story(client, *signal).await?;
            print(&json!({ "signal": signal, "steps": steps }))
        }
    }
}

fn print(value: &impl Serialize) -> Result<(), Failure> {
    let mut line = serde_json::to_vec(value)
        .map_err(|e| Failure::new(Exit::Unreachable, format!("cannot write JSON: {e}")))?;
    line.push(b'\n');
    let mut out = std::io::stdout().lock();
    out.write_all(&line)?;
    out.flush()?;
    Ok(())
}

/// An answer that is an error, or of the wrong kind.
fn refused(answer: Answer, expected: &str) -> Failure {
    match answer {
        Answer::Error {
            code: ErrorCode::Unavailable,
            message,
        } => Failure::new(Exit::Unreachable, message),
        Answer::Error { message, .. } => Failure::new(Exit::Refused, message),
        _ => Failure::new(
            Exit::Unreachable,
            format!("the relay answered something other than {expected}"),
        ),
    }
}

async fn state(client: &RelayClient) -> Result<((String, u64), State), Failure> {
    match client.request(Request::State).await? {
        Answer::State { run, seq, state } => Ok(((run, seq), *state)),
        other => Err(refused(other, "the state")),
    }
}

async fn status(client: &RelayClient) -> Result<serde_json::Value, Failure> {
    let ((run, seq), state) = state(client).await?;
    let day_pnl = match (&state.account, &state.day) {
        (Some(account), Some(day)) => Some(account.equity - day.start_equity),
        _ => None,
    };
    let open_intents = state
        .intents
        .values()
        .filter(|i| matches!(i.status, IntentStatus::Sent | IntentStatus::Unknown))
        .count();
    Ok(json!({
        "run": run,
        "seq": seq,
        "mode": state.mode,
        "reason": state.mode_reason,
        "account": state.account,
        "day_pnl": day_pnl,
        "day": state.day,
        "floating_pnl": state.floating_pnl(),
        "session_realized": state.session_realized,
        "stealth": state.stealth,
        "links": state.links,
        "counts": {
            "positions": state.positions.len(),
            "orders": state.orders.len(),
            "open_intents": open_intents,
            "recent_signals": state.signals.len(),
        },
    }))
}

/// Up to `limit` signals from `since`, over as many pages as the relay makes of them, and the
/// seq to go on from.
async fn signals(
    client: &RelayClient,
    since: u64,
    limit: usize,
) -> Result<(Vec<serde_json::Value>, Option<u64>), Failure> {
    let mut signals = Vec::new();
    let mut from = Some(since);
    while let Some(since) = from
        && signals.len() < limit
    {
        let wanted = limit - signals.len();
        let (mut entries, next) =
            page(client, protocol::JournalKind::Signals, since, Some(wanted)).await?;
        // A page larger than asked: the next page starts at the first signal left out.
        from = match entries.get(wanted) {
            Some(left_out) => left_out.get("seq").and_then(serde_json::Value::as_u64),
            None => next,
        };
        entries.truncate(wanted);
        signals.extend(entries);
    }
    Ok((signals, from))
}

async fn page(
    client: &RelayClient,
    kind: protocol::JournalKind,
    since: u64,
    limit: Option<usize>,
) -> Result<(Vec<serde_json::Value>, Option<u64>), Failure> {
    client
        .journal(kind, since, limit)
        .await?
        .map_err(|message| Failure::new(Exit::Refused, message))
}

async fn journal(client: &RelayClient, query: &JournalQuery) -> Result<(), Failure> {
    let kind = match query.kind {
        JournalKind::Signals => protocol::JournalKind::Signals,
        JournalKind::Orders => protocol::JournalKind::Orders,
        JournalKind::Audit => protocol::JournalKind::Audit,
        JournalKind::Decisions => protocol::JournalKind::Decisions,
        JournalKind::Story => {
            let signal = query.signal.unwrap_or_default();
            for step in story(client, signal).await? {
                print(&step)?;
            }
            return Ok(());
        }
    };
    let mut from = Some(query.since);
    while let Some(since) = from {
        let (entries, next) = page(client, kind, since, None).await?;
        for entry in &entries {
            print(entry)?;
        }
        from = next;
    }
    Ok(())
}

async fn story(client: &RelayClient, signal: u64) -> Result<Vec<crate::api::Step>, Failure> {
    match client.story(signal).await {
        Ok(Ok(Some(steps))) => Ok(steps),
        Ok(Ok(None)) => Err(Failure::new(
            Exit::Refused,
            format!(
                "no signal #{signal} in the engine's journal (`signalos ctl signals` lists them)"
            ),
        )),
        Ok(Err(message)) => Err(Failure::new(Exit::Refused, message)),
        Err(gone) => Err(Failure::new(Exit::Unreachable, gone.0)),
    }
}

async fn command(client: &RelayClient, action: Action) -> Result<(), Failure> {
    let answer = client
        .request(Request::Command {
            action: action.clone(),
        })
        .await?;
    let Answer::Command { reply } = answer else {
        return Err(refused(answer, "the gate's reply"));
    };
    print(&reply)?;
    match reply {
        Reply::Accepted { .. } => Ok(()),
        Reply::Refused { reason } => Err(Failure::new(
            Exit::Refused,
            format!("the engine refused {action}: {reason}"),
        )),
    }
}

/// Events (and log lines, if asked) as relay frames, one a line, until interrupted or the link
/// is gone for good.
async fn watch(client: &RelayClient) -> Result<(), Failure> {
    let mut feed = client
        .subscribe()
        .await
        .map_err(|gone| Failure::new(Exit::Unreachable, gone.0))?;
    let mut lines = client.log_lines();
    let mut status = client.status();
    let mut told = status.borrow_and_update().to_link().state;
    // A script builds on the state it starts from, and must see the engine go and come back.
    print(&ServerFrame::Snapshot {
        run: client.hello().run,
        seq: feed.snapshot.seq,
        state: Box::new(feed.snapshot.state.clone()),
        reason: None,
    })?;
    // One listener for the whole watch: a new one each turn of the loop would miss an
    // interrupt that arrives while a frame is being printed, and `ctl` would run on.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let frame = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            Ok(()) = status.changed() => {
                // Lost, back, gone: not every new measure of the lag.
                let link = status.borrow_and_update().to_link();
                if link.state != told {
                    told = link.state;
                    print(&json!({ "type": "link", "state": link.state, "detail": link.detail }))?;
                }
                continue;
            }
            received = feed.events.recv() => match received {
                Received::Event(event) => ServerFrame::Event((*event).clone()),
                // The client's copy was replaced: say so with the state it now holds.
                Received::Missed => {
                    feed = client
                        .subscribe()
                        .await
                        .map_err(|gone| Failure::new(Exit::Unreachable, gone.0))?;
                    ServerFrame::Snapshot {
                        run: client.hello().run,
                        seq: feed.snapshot.seq,
                        state: Box::new(feed.snapshot.state.clone()),
                        reason: Some(
                            "the link was lost and events could not be resumed (the engine may have restarted)"
                                .into(),
                        ),
                    }
                }
                Received::Closed => {
                    let reason = match &*client.status().borrow() {
                        LinkStatus::Gone { reason } => reason.clone(),
                        _ => "the link closed".into(),
                    };
                    return Err(Failure::new(Exit::Unreachable, reason));
                }
            },
            line = lines.recv() => match line {
                Ok(line) => ServerFrame::Log { line },
                // Log lines only: the state is whole either way.
                Err(_) => continue,
            },
        };
        print(&frame)?;
    }
}
