//! The relay's frames: JSON text messages over one WebSocket, versioned by [`PROTOCOL`].
//! docs/relay-protocol.md is the contract; this module is its vocabulary.
//!
//! The server speaks first (`hello`). A client that wants the live state sends `subscribe`
//! (optionally resuming from the last seq it holds) and gets a `snapshot` then `event`s with
//! consecutive seqs; a client that only asks questions sends `request`s and reads the `reply`
//! with the same id. Either may `ping`.

use serde::{Deserialize, Serialize};

use crate::api::{Action, Change, Event, LogLine, Reply, Role, State, Step};

/// The protocol's version, in `hello` and in the WebSocket subprotocol name.
pub const PROTOCOL: u32 = 1;

/// The subprotocol a client offers (`Sec-WebSocket-Protocol`) and the server selects.
pub const SUBPROTOCOL: &str = "signalos.v1";

/// How a browser, which cannot set `Authorization`, passes its token: a second offered
/// subprotocol `bearer.<token>` (never the URL, which lands in logs).
pub const BEARER_PREFIX: &str = "bearer.";

/// The largest frame a client may send; larger ones are refused with [`ErrorCode::TooLarge`].
pub const MAX_CLIENT_FRAME: usize = 64 * 1024;

/// What a subscriber can ask to be sent. Without topics, everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Mode (ACTIVE / PAUSED / HALTED), account, the day's book, stealth.
    Account,
    /// Positions, their prices and closes.
    Positions,
    /// Pending orders and order requests.
    Orders,
    /// Signals and the decisions on them.
    Signals,
    /// The broker's and the sources' connections.
    Links,
    /// Log lines as they are written (`log` frames; not part of the state).
    Log,
}

impl Topic {
    pub const ALL: [Topic; 6] = [
        Topic::Account,
        Topic::Positions,
        Topic::Orders,
        Topic::Signals,
        Topic::Links,
        Topic::Log,
    ];

    /// The topics a change belongs to. The broker's whole picture belongs to every state topic.
    pub fn of(change: &Change) -> &'static [Topic] {
        match change {
            Change::Mode { .. } | Change::Account(_) | Change::Stealth { .. } | Change::Day(_) => {
                &[Topic::Account]
            }
            Change::Synced(_) => &[Topic::Account, Topic::Positions, Topic::Orders],
            Change::Quote { .. } | Change::Position(_) | Change::PositionClosed { .. } => {
                &[Topic::Positions]
            }
            Change::Order(_) | Change::OrderRemoved { .. } | Change::Intent(_) => &[Topic::Orders],
            Change::Signal(_) => &[Topic::Signals],
            Change::Link { .. } => &[Topic::Links],
        }
    }
}

/// Where a resuming client left off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The `run` of the `hello` its seq belongs to: seqs restart with every engine run.
    pub run: String,
    /// The last seq it applied.
    pub seq: u64,
}

/// A frame from a client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// Start (or restart) the stream: a `snapshot` then `event`s, or, resuming, only the events
    /// after `resume.seq` when the server still holds them all.
    Subscribe {
        /// The topics wanted; none or empty: all. With a subset, the seqs of other topics'
        /// events are skipped.
        #[serde(default)]
        topics: Vec<Topic>,
        #[serde(default)]
        resume: Option<Resume>,
    },
    /// A question or a command, answered by a `reply` with the same id.
    Request { id: u64, request: Request },
    /// Answered by a `pong` with the same data.
    Ping {
        #[serde(default)]
        data: Option<String>,
    },
}

/// Which journal a `journal` request reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalKind {
    Signals,
    Orders,
    Audit,
    Decisions,
}

/// What a client asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The state now, without subscribing.
    State,
    /// Pass an action through the engine's command gate, as the token's holder.
    Command { action: Action },
    /// One signal's whole story from the journal.
    Story { signal: u64 },
    /// Journal entries from seq `since` on, at most `limit` (the server caps it).
    Journal {
        kind: JournalKind,
        #[serde(default = "first")]
        since: u64,
        #[serde(default)]
        limit: Option<usize>,
    },
    /// The most recent log lines, oldest first.
    Log { lines: usize },
}

fn first() -> u64 {
    1
}

/// A frame from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The first frame of every connection.
    Hello(Hello),
    /// The whole state at `seq`: on `subscribe`, and again whenever this client missed events
    /// (it resumed too late, or fell behind: `reason` says which).
    Snapshot {
        run: String,
        seq: u64,
        state: Box<State>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// One change, with its seq.
    Event(Event),
    /// A log line (topic `log`).
    Log { line: LogLine },
    /// The answer to the request with this id.
    Reply { id: u64, answer: Answer },
    /// Something the client sent was wrong; `id` when it was a request.
    Error {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        code: ErrorCode,
        message: String,
    },
    Pong {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    /// The server's software version.
    pub version: String,
    /// This engine run: seqs count from 1 in each.
    pub run: String,
    /// The journal's id.
    pub instance: String,
    /// What this connection may do, and the name of its token.
    pub role: Role,
    pub name: String,
    /// Seconds without any frame from the client after which the server closes the connection.
    pub idle_timeout_secs: u64,
}

/// A request's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    State {
        run: String,
        seq: u64,
        state: Box<State>,
    },
    /// The command gate's answer: accepted, or refused with the reason.
    Command {
        reply: Reply,
    },
    /// `steps: None`: no such signal.
    Story {
        steps: Option<Vec<Step>>,
    },
    /// Entries as the journal holds them; `next`: the seq to ask from for more, if any.
    Journal {
        entries: Vec<serde_json::Value>,
        next: Option<u64>,
    },
    Log {
        lines: Vec<LogLine>,
    },
    /// The request could not be answered.
    Error {
        code: ErrorCode,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not a frame this protocol knows (the message says what was expected).
    Malformed,
    /// Over [`MAX_CLIENT_FRAME`] bytes.
    TooLarge,
    /// The journal could not be read.
    Journal,
    /// The engine has stopped.
    Unavailable,
}
