//! The engine's end of the bridge: listens for the Expert Advisor, checks who it is, learns the
//! terminal's symbols and holdings, then carries [`BrokerCommand`]s out and [`BrokerEvent`]s in.
//!
//! One EA at a time: only a peer that proved it knows the secret (`server/handshake.rs`) takes
//! the slot, and a second terminal that proves itself while one is live is refused, because two
//! terminals executing the same requests is the one thing the cids cannot undo. The engine sees
//! canonical symbols only (`XAUUSD`); the broker's names (`XAUUSD.m`) stay inside this module.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, BufWriter};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};
use tracing::{debug, info, warn};

use self::handshake::{Handshakes, Proven};
use super::symbols::SymbolMap;
use super::wire::{self, Frame, FromEa, FromEngine, LineFramer, MAX_LINE, PROTOCOL};
use crate::broker::{
    BrokerCommand, BrokerEvent, BrokerRequest, BrokerSnapshot, RETCODE_NOT_SENT, TradeOutcome,
};
use crate::model::{Account, Link, LinkState, Quote, now_millis};
use crate::parse::Aliases;

mod handshake;

const READ_BUFFER: usize = 64 * 1024;

/// What the bridge needs to know; the secret never leaves this struct except as an HMAC key.
#[derive(Clone)]
pub struct BridgeConfig {
    pub secret: String,
    pub magic: u64,
    /// Each side pings after this long without writing; silence for twice this degrades the
    /// link, three times ends it.
    pub heartbeat: Duration,
    /// `[broker.symbols]`: canonical name → the terminal's name.
    pub overrides: BTreeMap<String, String>,
    pub aliases: Aliases,
}

impl std::fmt::Debug for BridgeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BridgeConfig")
            .field("secret", &"<redacted>")
            .field("magic", &self.magic)
            .field("heartbeat", &self.heartbeat)
            .field("overrides", &self.overrides)
            .finish_non_exhaustive()
    }
}

/// Serve EAs on `listener` until the engine stops listening. Commands that arrive while no EA is
/// synced are answered at once as not sent: certainly not executed, so the engine may decide
/// again rather than wait. Connections are heard out on tasks of their own, so that one that
/// never proves itself delays nobody.
pub async fn serve(
    listener: TcpListener,
    cfg: BridgeConfig,
    mut commands: mpsc::Receiver<BrokerCommand>,
    events: mpsc::Sender<BrokerEvent>,
) {
    let address = listener
        .local_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    info!(%address, "bridge listening for the MT5 Expert Advisor");
    let mut link = Link {
        state: LinkState::Connecting,
        detail: format!("listening on {address}, waiting for the EA"),
    };
    if events.send(BrokerEvent::Link(link.clone())).await.is_err() {
        return;
    }
    let mut handshakes = Handshakes::new(&cfg.secret);
    loop {
        tokio::select! {
            () = events.closed() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => handshakes.admit(stream, peer),
                Err(e) => {
                    // Out of file descriptors and the like: do not spin.
                    warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            },
            proven = handshakes.next() => match proven {
                Ok(mut proven) => {
                    let early = std::mem::take(&mut proven.early);
                    let session = Session::new(&cfg, proven, &events);
                    let ended = session.run(&listener, &mut handshakes, &mut commands, early).await;
                    let Some(ended) = ended else {
                        return;
                    };
                    let event = if ended.synced {
                        link.state = LinkState::Down;
                        link.detail = format!("{}; waiting for the EA to reconnect", ended.reason);
                        BrokerEvent::Disconnected { reason: ended.reason }
                    } else {
                        // A failed handshake leaves the link as it was, with why.
                        link.detail = format!("{}; listening on {address}", ended.reason);
                        BrokerEvent::Link(link.clone())
                    };
                    if events.send(event).await.is_err() {
                        return;
                    }
                }
                Err(reason) => {
                    // Shown with why, in the state the link was in: the peer holds nothing.
                    link.detail = format!("{reason}; listening on {address}");
                    if events.send(BrokerEvent::Link(link.clone())).await.is_err() {
                        return;
                    }
                }
            },
            command = commands.recv() => match command {
                Some(command) => {
                    if !not_sent(&events, command, "no EA is connected").await {
                        return;
                    }
                }
                None => return,
            },
        }
    }
}

/// Answer a command that was not written to any EA. A query is dropped: the engine asks again
/// after the next snapshot.
async fn not_sent(events: &mpsc::Sender<BrokerEvent>, command: BrokerCommand, why: &str) -> bool {
    match command {
        BrokerCommand::Trade(request) => {
            debug!(cid = request.cid(), "not sent: {why}");
            events
                .send(BrokerEvent::Result {
                    cid: request.cid().to_string(),
                    outcome: TradeOutcome::Rejected {
                        retcode: RETCODE_NOT_SENT,
                        message: format!("not sent: {why}"),
                    },
                })
                .await
                .is_ok()
        }
        BrokerCommand::Query { cid } => {
            debug!(%cid, "query not sent: {why}");
            true
        }
        BrokerCommand::Resync => {
            debug!("resync: {why}");
            true
        }
    }
}

/// How far the handshake has come, once the EA proved itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Symbols,
    Specs,
    Snapshot,
    Streaming,
}

/// Why a session ended, and whether the engine had been given its snapshot.
struct Ended {
    reason: String,
    synced: bool,
}

/// The connection of an EA that proved itself.
struct Session<'a> {
    cfg: &'a BridgeConfig,
    peer: SocketAddr,
    events: &'a mpsc::Sender<BrokerEvent>,
    reader: OwnedReadHalf,
    writer: BufWriter<OwnedWriteHalf>,
    framer: LineFramer,
    phase: Phase,
    symbols: SymbolMap,
    specs: Vec<crate::model::SymbolSpec>,
    next_id: u64,
    heard_at: Instant,
    wrote_at: Instant,
    /// Why the link is degraded, if it is.
    degraded: Option<String>,
    /// What the EA said it is, for the console: "SignalOSBridge 1.0, Some Broker #5012345".
    ea: String,
    trade_allowed: bool,
    /// The cid of every trade written on this connection and not yet answered, by id: an EA
    /// that could not read a trade's cid answers with the id alone.
    trades: HashMap<u64, String>,
}

/// What handling one line means for the session.
enum Next {
    Continue,
    End(String),
    EngineGone,
}

impl<'a> Session<'a> {
    fn new(cfg: &'a BridgeConfig, proven: Proven, events: &'a mpsc::Sender<BrokerEvent>) -> Self {
        let now = Instant::now();
        Session {
            cfg,
            peer: proven.peer,
            events,
            reader: proven.reader,
            writer: BufWriter::new(proven.writer),
            framer: proven.framer,
            phase: Phase::Symbols,
            symbols: SymbolMap::default(),
            specs: Vec::new(),
            next_id: 1,
            heard_at: now,
            wrote_at: now,
            degraded: None,
            ea: proven.ea,
            trade_allowed: proven.trade_allowed,
            trades: HashMap::new(),
        }
    }

    /// Run until the connection ends (`Some`) or the engine is gone (`None`). New connections
    /// are heard out meanwhile; one that proves itself is refused, since this EA holds the slot.
    async fn run(
        mut self,
        listener: &TcpListener,
        handshakes: &mut Handshakes,
        commands: &mut mpsc::Receiver<BrokerCommand>,
        early: Vec<Frame>,
    ) -> Option<Ended> {
        let mut buf = vec![0u8; READ_BUFFER];
        let mut frames = Vec::new();
        let mut clock = tokio::time::interval(self.cfg.heartbeat / 4);
        clock.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut next = self.welcome().await;
        // Lines the EA sent right behind its proof.
        for frame in early {
            if !matches!(next, Next::Continue) {
                break;
            }
            next = self.on_frame(frame).await;
        }
        let reason = loop {
            match next {
                Next::Continue => {}
                Next::End(reason) => break reason,
                Next::EngineGone => return None,
            }
            next = tokio::select! {
                read = self.reader.read(&mut buf) => match read {
                    Ok(0) => Next::End("the EA closed the connection".into()),
                    Ok(n) => {
                        self.framer.push(&buf[..n], &mut frames);
                        let mut next = Next::Continue;
                        for frame in frames.drain(..) {
                            next = self.on_frame(frame).await;
                            if !matches!(next, Next::Continue) {
                                break;
                            }
                        }
                        frames.clear();
                        next
                    }
                    Err(e) => Next::End(format!("the connection failed: {e}")),
                },
                command = commands.recv() => match command {
                    None => Next::EngineGone,
                    Some(command) => self.on_command(command).await,
                },
                accepted = listener.accept() => {
                    if let Ok((stream, peer)) = accepted {
                        handshakes.admit(stream, peer);
                    }
                    Next::Continue
                }
                proven = handshakes.next() => {
                    if let Ok(second) = proven {
                        self.refuse_second(second);
                    }
                    Next::Continue
                }
                _ = clock.tick() => self.on_clock().await,
            };
        };
        let _ = self.writer.shutdown().await;
        let synced = self.phase == Phase::Streaming;
        if synced {
            warn!(peer = %self.peer, "EA link lost: {reason}");
        } else {
            warn!(peer = %self.peer, "EA session ended before it synced: {reason}");
        }
        Some(Ended { reason, synced })
    }

    async fn on_frame(&mut self, frame: Frame) -> Next {
        let line = match frame {
            Frame::Line(line) => line,
            Frame::TooLong(n) => {
                return self
                    .bad_line(format!(
                        "a line of {n} bytes was discarded: the limit is {MAX_LINE}"
                    ))
                    .await;
            }
            Frame::NotUtf8 => {
                return self
                    .bad_line("a line that is not UTF-8 was discarded".into())
                    .await;
            }
        };
        self.heard();
        if line.trim().is_empty() {
            return Next::Continue;
        }
        let message = match wire::decode::<FromEa>(&line) {
            Ok(message) => message,
            Err(reason) => return self.bad_line(reason).await,
        };
        match self.phase {
            Phase::Symbols => match message {
                FromEa::Symbols { names } => self.on_symbols(names).await,
                other => self.out_of_turn(other, "symbols"),
            },
            Phase::Specs => match message {
                FromEa::Specs { specs } => {
                    self.specs = specs
                        .into_iter()
                        .map(|mut spec| {
                            spec.name = self.symbols.canonical(&spec.name).to_string();
                            spec
                        })
                        .collect();
                    self.phase = Phase::Snapshot;
                    Next::Continue
                }
                other => self.out_of_turn(other, "specs"),
            },
            Phase::Snapshot => match message {
                FromEa::Snapshot {
                    account,
                    positions,
                    orders,
                    quotes,
                } => self.on_snapshot(account, positions, orders, quotes).await,
                other => self.out_of_turn(other, "snapshot"),
            },
            Phase::Streaming => self.on_stream(message).await,
        }
    }

    /// A line that could not be used: logged, answered with `error`, and the session goes on.
    async fn bad_line(&mut self, reason: String) -> Next {
        warn!(peer = %self.peer, "bad line from the EA: {reason}");
        self.write(&FromEngine::Error { reason }).await
    }

    /// A message the handshake did not expect yet: pings and errors are fine, the rest ignored.
    fn out_of_turn(&self, message: FromEa, expected: &str) -> Next {
        match message {
            FromEa::Ping { .. } => {}
            FromEa::Error { reason } => warn!(peer = %self.peer, "the EA reports: {reason}"),
            other => warn!(
                peer = %self.peer,
                "ignored a {} message during the handshake: expected {expected}",
                kind(&other)
            ),
        }
        Next::Continue
    }

    /// The slot is this EA's: welcome it and tell the console.
    async fn welcome(&mut self) -> Next {
        info!(peer = %self.peer, "EA accepted: {}", self.ea);
        let welcome = FromEngine::Welcome {
            protocol: PROTOCOL,
            magic: self.cfg.magic,
            heartbeat_ms: self.cfg.heartbeat.as_millis() as u64,
        };
        if let Next::End(reason) = self.write(&welcome).await {
            return Next::End(reason);
        }
        self.link(LinkState::Handshaking, format!("{}: handshake", self.ea))
            .await
    }

    async fn on_symbols(&mut self, names: Vec<String>) -> Next {
        let (symbols, unmapped) = SymbolMap::build(&names, &self.cfg.overrides, &self.cfg.aliases);
        for u in &unmapped {
            if u.configured {
                warn!("symbol {}: {}", u.canonical, u.reason);
            } else {
                debug!("symbol {}: {}", u.canonical, u.reason);
            }
        }
        info!(
            offered = names.len(),
            mapped = symbols.len(),
            "the terminal's symbols resolved"
        );
        let subscribe = FromEngine::Subscribe {
            symbols: symbols.broker_names(),
        };
        self.symbols = symbols;
        self.phase = Phase::Specs;
        self.write(&subscribe).await
    }

    async fn on_snapshot(
        &mut self,
        account: Account,
        positions: Vec<crate::model::Position>,
        orders: Vec<crate::model::PendingOrder>,
        quotes: Vec<wire::SymbolQuote>,
    ) -> Next {
        let snapshot = BrokerSnapshot {
            account,
            symbols: std::mem::take(&mut self.specs),
            quotes: quotes
                .into_iter()
                .map(|q| {
                    (
                        self.symbols.canonical(&q.symbol).to_string(),
                        Quote {
                            bid: q.bid,
                            ask: q.ask,
                            time: q.time,
                        },
                    )
                })
                .collect(),
            positions: positions
                .into_iter()
                .map(|mut p| {
                    p.symbol = self.symbols.canonical(&p.symbol).to_string();
                    p
                })
                .collect(),
            orders: orders
                .into_iter()
                .map(|mut o| {
                    o.symbol = self.symbols.canonical(&o.symbol).to_string();
                    o
                })
                .collect(),
        };
        info!(
            positions = snapshot.positions.len(),
            orders = snapshot.orders.len(),
            "EA snapshot received"
        );
        self.phase = Phase::Streaming;
        if self
            .events
            .send(BrokerEvent::Synced(snapshot))
            .await
            .is_err()
        {
            return Next::EngineGone;
        }
        if !self.trade_allowed {
            return self.degrade(ALGO_OFF.into()).await;
        }
        Next::Continue
    }

    /// The terminal's state, sent with every `account`: degraded (no new entries) while it cannot
    /// trade, with why; synced again once it can.
    async fn on_terminal(&mut self, trade_allowed: bool, connected: bool) -> Next {
        self.trade_allowed = trade_allowed;
        let why = match (trade_allowed, connected) {
            (_, false) => Some(NO_SERVER),
            (false, true) => Some(ALGO_OFF),
            (true, true) => None,
        };
        match (why, self.degraded.as_deref()) {
            (Some(why), now) if now != Some(why) => self.degrade(why.into()).await,
            (None, Some(now)) if now == ALGO_OFF || now == NO_SERVER => {
                self.degraded = None;
                info!(peer = %self.peer, "the terminal can trade again");
                self.link(LinkState::Synced, format!("{}: synced", self.ea))
                    .await
            }
            _ => Next::Continue,
        }
    }

    async fn on_stream(&mut self, message: FromEa) -> Next {
        if self.degraded.as_deref() == Some(SILENT) {
            self.degraded = None;
            if let Next::EngineGone = self
                .link(LinkState::Synced, format!("{}: synced", self.ea))
                .await
            {
                return Next::EngineGone;
            }
        }
        let event = match message {
            FromEa::Tick {
                symbol,
                bid,
                ask,
                time,
            } => BrokerEvent::Quote {
                symbol: self.symbols.canonical(&symbol).to_string(),
                quote: Quote { bid, ask, time },
            },
            FromEa::Account {
                account,
                trade_allowed,
                connected,
            } => {
                if let Next::EngineGone = self.on_terminal(trade_allowed, connected).await {
                    return Next::EngineGone;
                }
                BrokerEvent::Account(account)
            }
            FromEa::Position { mut position } => {
                position.symbol = self.symbols.canonical(&position.symbol).to_string();
                BrokerEvent::Position(position)
            }
            FromEa::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                time,
            } => BrokerEvent::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                time,
            },
            FromEa::Order { mut order } => {
                order.symbol = self.symbols.canonical(&order.symbol).to_string();
                BrokerEvent::Order(order)
            }
            FromEa::OrderRemoved { ticket, reason } => BrokerEvent::OrderRemoved { ticket, reason },
            FromEa::Result { id, cid, outcome } => {
                let sent = self.trades.remove(&id);
                let cid = match sent {
                    Some(sent) if cid.is_empty() => sent,
                    _ => cid,
                };
                if cid.is_empty() {
                    warn!(peer = %self.peer, id, "a result for no trade sent on this link: ignored");
                    return Next::Continue;
                }
                BrokerEvent::Result {
                    cid,
                    outcome: worded(outcome),
                }
            }
            FromEa::Found {
                cid,
                state,
                ticket,
                price,
                volume,
                ..
            } => BrokerEvent::Found {
                cid,
                state,
                ticket,
                price,
                volume,
            },
            FromEa::Ping { .. } => return Next::Continue,
            FromEa::Error { reason } => {
                warn!(peer = %self.peer, "the EA reports: {reason}");
                return Next::Continue;
            }
            other @ (FromEa::Hello { .. }
            | FromEa::Proof { .. }
            | FromEa::Symbols { .. }
            | FromEa::Specs { .. }
            | FromEa::Snapshot { .. }) => {
                warn!(peer = %self.peer, "ignored a {} message after the handshake", kind(&other));
                return Next::Continue;
            }
        };
        if self.events.send(event).await.is_err() {
            return Next::EngineGone;
        }
        Next::Continue
    }

    async fn on_command(&mut self, command: BrokerCommand) -> Next {
        if self.phase != Phase::Streaming {
            if !not_sent(self.events, command, "the EA is still handshaking").await {
                return Next::EngineGone;
            }
            return Next::Continue;
        }
        let id = self.next_id;
        self.next_id += 1;
        let message = match command {
            BrokerCommand::Trade(mut request) => {
                if let BrokerRequest::Place { symbol, .. } = &mut request {
                    match self.symbols.broker(symbol) {
                        Some(broker) => *symbol = broker.to_string(),
                        None => {
                            let why = format!("the terminal offers no symbol for {symbol}");
                            if !not_sent(self.events, BrokerCommand::Trade(request), &why).await {
                                return Next::EngineGone;
                            }
                            return Next::Continue;
                        }
                    }
                }
                self.trades.insert(id, request.cid().to_string());
                FromEngine::Trade { id, request }
            }
            BrokerCommand::Query { cid } => FromEngine::Query { id, cid },
            BrokerCommand::Resync => {
                return Next::End("resync asked for by the operator".into());
            }
        };
        self.write(&message).await
    }

    /// Keep the link alive and notice when the EA has gone quiet.
    async fn on_clock(&mut self) -> Next {
        let heartbeat = self.cfg.heartbeat;
        let silent = self.heard_at.elapsed();
        if silent >= heartbeat * 3 {
            return Next::End(format!(
                "no message from the EA for {:.0} s",
                silent.as_secs_f64()
            ));
        }
        if self.phase == Phase::Streaming && silent >= heartbeat * 2 && self.degraded.is_none() {
            if let Next::EngineGone = self.degrade(SILENT.into()).await {
                return Next::EngineGone;
            }
        }
        if self.wrote_at.elapsed() >= heartbeat {
            return self.write(&FromEngine::Ping { time: now_millis() }).await;
        }
        Next::Continue
    }

    async fn degrade(&mut self, why: String) -> Next {
        warn!(peer = %self.peer, "EA link degraded: {why}");
        self.degraded = Some(why.clone());
        self.link(LinkState::Degraded, why).await
    }

    async fn link(&self, state: LinkState, detail: String) -> Next {
        match self
            .events
            .send(BrokerEvent::Link(Link { state, detail }))
            .await
        {
            Ok(()) => Next::Continue,
            Err(_) => Next::EngineGone,
        }
    }

    fn heard(&mut self) {
        self.heard_at = Instant::now();
    }

    /// Write one message and flush it. An EA that stops reading ends the session instead of
    /// stalling the bridge.
    async fn write(&mut self, message: &FromEngine) -> Next {
        let line = wire::encode(message);
        let limit = self.cfg.heartbeat * 3;
        let written = tokio::time::timeout(limit, async {
            self.writer.write_all(line.as_bytes()).await?;
            self.writer.flush().await
        })
        .await;
        match written {
            Ok(Ok(())) => {
                self.wrote_at = Instant::now();
                Next::Continue
            }
            Ok(Err(e)) => Next::End(format!("cannot write to the EA: {e}")),
            Err(_) => Next::End(format!(
                "the EA has not read for {:.0} s",
                limit.as_secs_f64()
            )),
        }
    }

    /// Another EA proved itself while this one holds the slot: as a proven EA it may be told
    /// which one, so that its owner can find the other terminal.
    fn refuse_second(&self, second: Proven) {
        let reason = format!("another EA is already connected from {}", self.peer);
        warn!(peer = %second.peer, "second EA refused: {reason}");
        // The socket is all but empty after the handshake: the line goes at once or never.
        let line = wire::encode(&FromEngine::Refused { reason });
        let _ = second.writer.try_write(line.as_bytes());
    }
}

/// The degraded reasons the terminal's state gives; cleared by an `account` saying it can trade.
const ALGO_OFF: &str =
    "Algo Trading is off in the terminal: orders would fail (10027); no new entries until it is on";
const NO_SERVER: &str =
    "the terminal has no connection to the trade server: no new entries until it has";

/// The degraded reason for silence; cleared by the next message.
const SILENT: &str = "no message from the EA for a while: no new entries until it speaks";

/// A rejection's message in the words of the return-code table, keeping the terminal's own
/// comment when it says something more.
fn worded(outcome: TradeOutcome) -> TradeOutcome {
    match outcome {
        TradeOutcome::Rejected { retcode, message } => {
            let message = match wire::retcode_message(retcode) {
                Some(known) if message.is_empty() || message.eq_ignore_ascii_case(known) => {
                    known.to_string()
                }
                Some(known) => format!("{known} ({message})"),
                None if message.is_empty() => format!("return code {retcode}"),
                None => message,
            };
            TradeOutcome::Rejected { retcode, message }
        }
        done => done,
    }
}

fn describe_ea(ea: &str, company: &str, account: &Account) -> String {
    format!("{ea}, {company} #{}@{}", account.login, account.server)
}

/// A message's `type`, for the log.
fn kind(message: &FromEa) -> &'static str {
    match message {
        FromEa::Hello { .. } => "hello",
        FromEa::Proof { .. } => "proof",
        FromEa::Symbols { .. } => "symbols",
        FromEa::Specs { .. } => "specs",
        FromEa::Snapshot { .. } => "snapshot",
        FromEa::Tick { .. } => "tick",
        FromEa::Account { .. } => "account",
        FromEa::Position { .. } => "position",
        FromEa::PositionClosed { .. } => "position_closed",
        FromEa::Order { .. } => "order",
        FromEa::OrderRemoved { .. } => "order_removed",
        FromEa::Result { .. } => "result",
        FromEa::Found { .. } => "found",
        FromEa::Ping { .. } => "ping",
        FromEa::Error { .. } => "error",
    }
}

#[cfg(test)]
mod tests;
