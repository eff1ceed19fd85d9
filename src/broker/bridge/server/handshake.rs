//! Before a peer holds anything: the challenge-response of docs/bridge-protocol.md
//! ("Authentication"), each connection on a task of its own. A peer has [`PROOF_TIME`] from
//! connecting to prove it knows the secret, whatever it sends meanwhile; at most
//! [`MAX_UNPROVEN`] are heard at once. Nothing here knows about the connected EA, so nothing an
//! unproven peer is told can name it.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::task::JoinSet;
use tokio::time::Instant;
use tracing::{debug, error, info, warn};

use super::describe_ea;
use crate::broker::bridge::auth::{self, Key};
use crate::broker::bridge::wire::{
    self, Frame, FromEa, FromEngine, LineFramer, MAX_LINE, PROTOCOL, Terminal,
};
use crate::model::Account;

/// How long a peer has, from connecting, to prove itself.
pub(super) const PROOF_TIME: Duration = Duration::from_secs(5);
/// How many peers may be proving themselves at once; more are closed at once.
pub(super) const MAX_UNPROVEN: usize = 8;
/// Handshake lines are short; a longer one is garbage, read in pieces and dropped.
const READ_BUFFER: usize = 4096;
/// The longest `type` an answer quotes back.
const SHOWN_TYPE: usize = 32;

/// A peer that proved it knows the secret, and what the session needs of it.
pub(super) struct Proven {
    pub peer: SocketAddr,
    pub reader: OwnedReadHalf,
    pub writer: OwnedWriteHalf,
    /// Holds the start of a line that came after the proof, if any.
    pub framer: LineFramer,
    /// Whole lines that came after the proof, in the same read.
    pub early: Vec<Frame>,
    /// "SignalOSBridge 2.0, Some Broker #5012345@SomeBroker-Demo", for the console.
    pub ea: String,
    pub trade_allowed: bool,
}

/// The handshakes under way.
pub(super) struct Handshakes {
    key: Key,
    tasks: JoinSet<Result<Proven, String>>,
    /// Handshakes that ended and were taken off `tasks` to make room, not yet handed on.
    ended: VecDeque<Result<Proven, String>>,
    /// When a connection was last closed for want of room, and how many since the warning.
    crowded: Option<(Instant, u64)>,
}

impl Handshakes {
    pub fn new(secret: &str) -> Handshakes {
        Handshakes {
            key: Key::new(secret),
            tasks: JoinSet::new(),
            ended: VecDeque::new(),
            crowded: None,
        }
    }

    /// Hear a new connection out, or close it at once when [`MAX_UNPROVEN`] are being heard.
    pub fn admit(&mut self, stream: TcpStream, peer: SocketAddr) {
        // Only the handshakes still running count, not those ended and not yet handed on.
        while let Some(done) = self.tasks.try_join_next() {
            match done {
                Ok(ended) => self.ended.push_back(ended),
                Err(e) => error!("a handshake task failed: {e}"),
            }
        }
        if self.tasks.len() >= MAX_UNPROVEN {
            self.turn_away(&stream, peer);
            return;
        }
        debug!(%peer, "a peer connected: it has {PROOF_TIME:?} to prove itself");
        self.tasks.spawn(prove(self.key.clone(), stream, peer));
    }

    /// The next handshake to end: a proven peer, or why it failed (already logged). Pending
    /// while none is under way.
    pub async fn next(&mut self) -> Result<Proven, String> {
        if let Some(ended) = self.ended.pop_front() {
            return ended;
        }
        loop {
            match self.tasks.join_next().await {
                Some(Ok(ended)) => return ended,
                // A handshake task only ends by itself: a panic is a bug, and costs only the peer.
                Some(Err(e)) => error!("a handshake task failed: {e}"),
                None => std::future::pending::<()>().await,
            }
        }
    }

    /// Whoever floods the port learns only that it is full; the log says so once in a while,
    /// not once per connection.
    fn turn_away(&mut self, stream: &TcpStream, peer: SocketAddr) {
        refuse_now(
            stream,
            &format!("{MAX_UNPROVEN} connections are proving themselves already: try again"),
        );
        let now = Instant::now();
        match &mut self.crowded {
            Some((since, closed)) if now.duration_since(*since) < PROOF_TIME => {
                *closed += 1;
                debug!(%peer, "closed at once: {MAX_UNPROVEN} peers are proving themselves");
            }
            crowded => {
                let closed = crowded.map_or(0, |(_, closed)| closed) + 1;
                warn!(
                    %peer,
                    closed,
                    "closed at once: {MAX_UNPROVEN} peers are proving themselves already \
                     (is something flooding the bridge's port?)"
                );
                *crowded = Some((now, 0));
            }
        }
    }
}

/// Tell a peer why it is being closed, if its socket takes the line now: never waits, so a
/// peer that does not read cannot hold anything up.
fn refuse_now(stream: &TcpStream, reason: &str) {
    let line = wire::encode(&FromEngine::Refused {
        reason: reason.to_string(),
    });
    let _ = stream.try_write(line.as_bytes());
}

/// How far a peer has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Hello,
    /// The challenge went out: the peer's proof is due.
    Proof,
}

/// Why a handshake stopped short.
enum Stop {
    /// The peer is told why, then closed.
    Refuse(String),
    /// The connection is gone: nothing can be told.
    Lost(String),
}

/// One peer proving itself.
struct Handshake {
    peer: SocketAddr,
    reader: OwnedReadHalf,
    writer: OwnedWriteHalf,
    framer: LineFramer,
    frames: VecDeque<Frame>,
    stage: Stage,
}

/// What a handshake line must have: its `type`, and for a `hello` its version. Read alone
/// first, so that a version 1 `hello`'s secret is skipped unread.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "type")]
    kind: String,
    protocol: Option<serde_json::Value>,
}

async fn prove(key: Key, stream: TcpStream, peer: SocketAddr) -> Result<Proven, String> {
    // Lines are small and each one is waited for, here and in the session that may follow.
    let _ = stream.set_nodelay(true);
    let (reader, writer) = stream.into_split();
    let mut handshake = Handshake {
        peer,
        reader,
        writer,
        framer: LineFramer::default(),
        frames: VecDeque::new(),
        stage: Stage::Hello,
    };
    let deadline = Instant::now() + PROOF_TIME;
    let stop = match tokio::time::timeout_at(deadline, handshake.run(&key)).await {
        Ok(Ok((ea, trade_allowed))) => {
            info!(%peer, "the EA proved it knows the secret: {ea}");
            return Ok(Proven {
                peer,
                reader: handshake.reader,
                writer: handshake.writer,
                framer: handshake.framer,
                early: handshake.frames.into(),
                ea,
                trade_allowed,
            });
        }
        Ok(Err(stop)) => stop,
        Err(_) => Stop::Refuse(match handshake.stage {
            Stage::Hello => format!("no hello within {} s", PROOF_TIME.as_secs()),
            Stage::Proof => format!("no proof within {} s", PROOF_TIME.as_secs()),
        }),
    };
    match stop {
        Stop::Refuse(reason) => {
            warn!(%peer, "refused a peer: {reason}");
            let line = wire::encode(&FromEngine::Refused {
                reason: reason.clone(),
            });
            let _ = handshake.writer.try_write(line.as_bytes());
            Err(format!("refused the EA at {peer}: {reason}"))
        }
        Stop::Lost(reason) => {
            // After the challenge, most likely an EA with another secret; before it, anything
            // that touched the port.
            if handshake.stage == Stage::Proof {
                warn!(%peer, "{reason}");
            } else {
                info!(%peer, "{reason}");
            }
            Err(reason)
        }
    }
}

impl Handshake {
    /// Hello, challenge, proof: what the EA said it is, and whether it may trade.
    async fn run(&mut self, key: &Key) -> Result<(String, bool), Stop> {
        let (ea_nonce, ea) = self.hello().await?;
        let engine_nonce = auth::nonce().map_err(|e| {
            error!("cannot draw the engine's nonce: {e}");
            Stop::Refuse(format!("the engine cannot draw a nonce: {e}"))
        })?;
        let proof = key.engine_proof(&ea_nonce, &engine_nonce);
        self.write(&FromEngine::Challenge {
            nonce: engine_nonce.clone(),
            proof,
        })
        .await?;
        self.stage = Stage::Proof;
        let (proof, line) = self.proof().await?;
        if !auth::is_proof(&proof) {
            return Err(Stop::Refuse(
                "proof: field proof is not 64 lower-case hex digits (an HMAC-SHA256)".into(),
            ));
        }
        if !key.is_ea_proof(&engine_nonce, &ea_nonce, &proof) {
            return Err(Stop::Refuse(
                "wrong secret: set the same secret in the EA's inputs and in SIGNALOS_BROKER_SECRET"
                    .into(),
            ));
        }
        // Read only now, and without the proof: an error may quote what it could not read.
        #[derive(Deserialize)]
        struct Runs {
            terminal: Terminal,
            account: Account,
        }
        let runs = serde_json::from_str::<Runs>(&line)
            .map_err(|e| Stop::Refuse(format!("unreadable proof: {e}")))?;
        let ea = describe_ea(&ea, &runs.terminal.company, &runs.account);
        debug!(peer = %self.peer, build = runs.terminal.build, connected = runs.terminal.connected, "proof from {ea}");
        Ok((ea, runs.terminal.trade_allowed))
    }

    /// The EA's nonce and name, once a `hello` of this version came first.
    async fn hello(&mut self) -> Result<(String, String), Stop> {
        loop {
            let line = self.line().await?;
            let Some(head) = self.head(&line, "hello").await? else {
                continue;
            };
            if head.kind != "hello" {
                return Err(Stop::Refuse(format!(
                    "expected hello first, got {}",
                    shown(&head.kind)
                )));
            }
            match head.protocol.as_ref().and_then(serde_json::Value::as_u64) {
                Some(p) if p == u64::from(PROTOCOL) => {}
                Some(p) => {
                    return Err(Stop::Refuse(format!(
                        "the EA speaks protocol {p}, this SignalOS speaks {PROTOCOL}: update the EA from bridge/mt5"
                    )));
                }
                None => {
                    return Err(Stop::Refuse(format!(
                        "hello: field protocol is missing or not a whole number (this SignalOS speaks {PROTOCOL})"
                    )));
                }
            }
            // A hello of this version holds no secret: its errors may quote it.
            let hello = serde_json::from_str::<FromEa>(&line)
                .map_err(|e| Stop::Refuse(format!("unreadable hello: {e}")))?;
            let FromEa::Hello { nonce, ea, .. } = hello else {
                return Err(Stop::Refuse("expected hello first".into()));
            };
            if !auth::is_nonce(&nonce) {
                return Err(Stop::Refuse(
                    "hello: field nonce is not 32 lower-case hex digits (16 random bytes)".into(),
                ));
            }
            return Ok((nonce, ea));
        }
    }

    /// The EA's proof, as sent, and its line. Pings and errors may come first; anything else
    /// is answered with an error and skipped, within the same time limit.
    async fn proof(&mut self) -> Result<(String, String), Stop> {
        loop {
            let line = self.line().await?;
            let Some(head) = self.head(&line, "proof").await? else {
                continue;
            };
            match head.kind.as_str() {
                "proof" => {
                    // Never quoted: a proof is never logged or sent back.
                    #[derive(Deserialize)]
                    struct Proof {
                        proof: String,
                    }
                    return serde_json::from_str::<Proof>(&line)
                        .map(|p| (p.proof, line))
                        .map_err(|_| {
                            Stop::Refuse(
                                "proof: field proof is missing or not a string (64 lower-case hex digits)"
                                    .into(),
                            )
                        });
                }
                "ping" => {}
                "error" => debug!(peer = %self.peer, "an error reported before the proof"),
                other => {
                    let reason = format!("expected proof, got {}", shown(other));
                    self.write(&FromEngine::Error { reason }).await?;
                }
            }
        }
    }

    /// A line's type, or `None` for a line that is not a message: answered with an error that
    /// says what was `expected`, without quoting the line, since it could hold a secret.
    async fn head(&mut self, line: &str, expected: &str) -> Result<Option<Head>, Stop> {
        match serde_json::from_str::<Head>(line) {
            Ok(head) => Ok(Some(head)),
            Err(_) => {
                debug!(peer = %self.peer, "a line that is not a message, before the proof");
                let reason =
                    format!("a line that is not a JSON message with a type: expected {expected}");
                self.write(&FromEngine::Error { reason }).await?;
                Ok(None)
            }
        }
    }

    /// The next line with something on it. Lines too long or not UTF-8 are answered with an
    /// error and skipped.
    async fn line(&mut self) -> Result<String, Stop> {
        let mut buf = [0u8; READ_BUFFER];
        loop {
            while let Some(frame) = self.frames.pop_front() {
                let reason = match frame {
                    Frame::Line(line) if line.trim().is_empty() => continue,
                    Frame::Line(line) => return Ok(line),
                    Frame::TooLong(n) => {
                        format!("a line of {n} bytes was discarded: the limit is {MAX_LINE}")
                    }
                    Frame::NotUtf8 => "a line that is not UTF-8 was discarded".into(),
                };
                debug!(peer = %self.peer, "before the proof: {reason}");
                self.write(&FromEngine::Error { reason }).await?;
            }
            let n = match self.reader.read(&mut buf).await {
                Ok(0) => return Err(self.hung_up()),
                Ok(n) => n,
                Err(e) => return Err(Stop::Lost(format!("the connection failed: {e}"))),
            };
            let mut frames = Vec::new();
            self.framer.push(&buf[..n], &mut frames);
            self.frames.extend(frames);
        }
    }

    /// Why the peer hung up, as the console says it. After the challenge, it is what an EA with
    /// another secret does: it cannot check the engine's proof, and leaves without its own.
    fn hung_up(&self) -> Stop {
        Stop::Lost(match self.stage {
            Stage::Hello => format!(
                "the peer at {} closed the connection before its hello",
                self.peer
            ),
            Stage::Proof => format!(
                "the EA at {} hung up on the engine's proof: wrong secret? The EA's Secret input \
                 must be the engine's secret (SIGNALOS_BROKER_SECRET)",
                self.peer
            ),
        })
    }

    async fn write(&mut self, message: &FromEngine) -> Result<(), Stop> {
        // The whole handshake runs within its time limit, so a peer that does not read cannot
        // hold this up for longer.
        let line = wire::encode(message);
        self.writer
            .write_all(line.as_bytes())
            .await
            .map_err(|e| Stop::Lost(format!("cannot write to the peer: {e}")))
    }
}

/// A peer's `type`, quoted and cut short.
fn shown(kind: &str) -> String {
    let cut: String = kind.chars().take(SHOWN_TYPE).collect();
    if cut.len() < kind.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}
