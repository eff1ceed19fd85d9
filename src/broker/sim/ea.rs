//! The simulator playing the MT5 Expert Advisor on the real wire (docs/bridge-protocol.md): it
//! connects to the engine, introduces itself and serves a [`SimAccount`] the way the EA serves a
//! real account, so that the engine is tested on the path it uses with MT5. Faults can be
//! injected (see [`Fault`]).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::convert::Infallible;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::{Instant, Interval, MissedTickBehavior, sleep_until};

use super::account_file::{StateStore, changes_the_book};
use super::fault::{self, Fault, Faults};
use super::rng::SplitMix64;
use super::trade_log::TradeLog;
use super::{RETCODE_ALGO_OFF, RETCODE_INVALID, RETCODE_OFFLINE, SimAccount};
use crate::broker::bridge::auth::{self, Key};
use crate::broker::bridge::wire::{
    self, Frame, FromEa, FromEngine, LineFramer, MAX_LINE, PROTOCOL, SymbolQuote, Terminal,
};
use crate::broker::{BrokerEvent, BrokerRequest, TradeOutcome};
use crate::model::{Account, now_millis};

/// The heartbeat until the engine names its own in `welcome`.
const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(2);
/// A heartbeat this short would flood the link with pings.
const SHORTEST_HEARTBEAT: Duration = Duration::from_millis(10);
/// The engine is dead after this many heartbeats without a word from it.
const SILENT_HEARTBEATS: u32 = 3;
/// The protocol allows at most one tick per symbol in this period.
const TICK_GAP: Duration = Duration::from_millis(100);
/// `tokio::time::interval` refuses a zero period.
const SHORTEST_TICK: Duration = Duration::from_millis(1);
/// The first retry after a lost link: the engine was there a moment ago and likely is again.
const QUICK_RETRY: Duration = Duration::from_millis(100);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_BUFFER: usize = 64 * 1024;

/// How the simulated EA reaches the engine and misbehaves.
#[derive(Clone)]
pub struct EaOptions {
    /// The engine's address, e.g. `127.0.0.1:7710`.
    pub connect: String,
    /// Proved to the engine, never sent to it.
    pub secret: String,
    /// The price tick period.
    pub tick: Duration,
    pub faults: Vec<Fault>,
    /// Every deal and pending order, as JSON lines appended here.
    pub trade_log: Option<PathBuf>,
    /// The account is saved here after every change of the book.
    pub state_file: Option<PathBuf>,
    /// Seeds the faults' randomness (the account has its own seed).
    pub seed: u64,
    /// The longest wait between two connection attempts (the EA's is 15 s).
    pub backoff_cap: Duration,
}

impl std::fmt::Debug for EaOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EaOptions")
            .field("connect", &self.connect)
            .field("secret", &"<redacted>")
            .field("tick", &self.tick)
            .field("faults", &self.faults)
            .field("trade_log", &self.trade_log)
            .field("state_file", &self.state_file)
            .field("seed", &self.seed)
            .field("backoff_cap", &self.backoff_cap)
            .finish()
    }
}

impl Default for EaOptions {
    fn default() -> Self {
        Self {
            connect: "127.0.0.1:7710".to_string(),
            secret: String::new(),
            tick: Duration::from_millis(250),
            faults: Vec::new(),
            trade_log: None,
            state_file: None,
            seed: 0,
            backoff_cap: Duration::from_secs(15),
        }
    }
}

/// What the terminal's state lets the EA do, as `account` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CanTrade {
    trade_allowed: bool,
    connected: bool,
}

/// Play the EA until the task is aborted: connect, serve the account, reconnect when the link is
/// lost. Fails only if the trade log cannot be opened.
pub async fn run(sim: SimAccount, opts: EaOptions) -> anyhow::Result<()> {
    run_until(sim, opts, std::future::pending()).await
}

/// [`run`] until `shutdown` completes, then save the account.
pub async fn run_until(
    sim: SimAccount,
    opts: EaOptions,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let mut ea = Ea::open(sim, opts)?;
    tokio::select! {
        biased;
        () = shutdown => {}
        never = ea.serve() => match never {},
    }
    ea.store.save_now(&ea.sim);
    Ok(())
}

/// The EA's retry waits: quick, then 1, 2, 4, 8 s… up to the cap.
struct Backoff {
    failures: u32,
    cap: Duration,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let wait = match self.failures {
            0 => QUICK_RETRY,
            n => Duration::from_secs(1u64 << (n - 1).min(20)),
        };
        self.failures = self.failures.saturating_add(1);
        wait.min(self.cap)
    }
}

/// The account, and what outlives a connection.
struct Ea {
    sim: SimAccount,
    connect: String,
    key: Key,
    backoff_cap: Duration,
    faults: Faults,
    store: StateStore,
    log: TradeLog,
    ticker: Interval,
    rng: SplitMix64,
    /// New trades (cids not answered before) so far, for the every-Nth faults.
    trades: u64,
    garbage_lines: u64,
    /// When the simulator started, for the faults that come with time.
    started: Instant,
}

/// One connection to the engine.
struct Link {
    writer: OwnedWriteHalf,
    /// Messages sent on this connection.
    sent: u64,
    last_write: Instant,
    last_read: Instant,
    heartbeat: Duration,
    /// This connection's nonce, from `hello`.
    nonce: String,
    /// The engine's proof checked: only then does the EA send its own, and take a `welcome`.
    engine_proved: bool,
    welcomed: bool,
    /// The snapshot went out: from now on the engine hears every change.
    streaming: bool,
    subscribed: BTreeSet<String>,
    last_tick: HashMap<String, Instant>,
    /// The account and the terminal's state, as last sent.
    last_account: Option<(Account, CanTrade)>,
    /// Replies held back by the delay fault, with when they are due.
    delayed: VecDeque<(Instant, FromEa)>,
}

impl Link {
    fn new(writer: OwnedWriteHalf, nonce: String) -> Self {
        let now = Instant::now();
        Self {
            writer,
            sent: 0,
            last_write: now,
            last_read: now,
            heartbeat: DEFAULT_HEARTBEAT,
            nonce,
            engine_proved: false,
            welcomed: false,
            streaming: false,
            subscribed: BTreeSet::new(),
            last_tick: HashMap::new(),
            last_account: None,
            delayed: VecDeque::new(),
        }
    }
}

impl Ea {
    fn open(mut sim: SimAccount, opts: EaOptions) -> anyhow::Result<Self> {
        // The EA keeps its answers in memory only: a started EA knows the book and the history,
        // nothing of the requests it answered before.
        sim.forget_answers();
        let log = TradeLog::open(opts.trade_log.as_deref(), &sim.take_records())?;
        let mut ticker = tokio::time::interval(opts.tick.max(SHORTEST_TICK));
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        Ok(Self {
            sim,
            connect: opts.connect,
            key: Key::new(&opts.secret),
            backoff_cap: opts.backoff_cap,
            faults: Faults::new(opts.faults),
            store: StateStore::new(opts.state_file),
            log,
            ticker,
            rng: SplitMix64::new(opts.seed),
            trades: 0,
            garbage_lines: 0,
            started: Instant::now(),
        })
    }

    async fn serve(&mut self) -> Infallible {
        let mut backoff = Backoff {
            failures: 0,
            cap: self.backoff_cap,
        };
        loop {
            match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&self.connect)).await {
                Ok(Ok(stream)) => {
                    // Lines are small and each one matters now: do not let Nagle hold them.
                    let _ = stream.set_nodelay(true);
                    tracing::info!(engine = %self.connect, "connected");
                    let (reader, writer) = stream.into_split();
                    let end = match auth::nonce() {
                        Ok(nonce) => {
                            let mut link = Link::new(writer, nonce);
                            let Err(end) = self.converse(reader, &mut link).await;
                            if link.welcomed {
                                backoff.failures = 0;
                            }
                            end
                        }
                        Err(e) => anyhow::anyhow!("cannot draw a nonce for hello: {e}"),
                    };
                    tracing::info!(
                        reason = format!("{end:#}"),
                        "connection to the engine ended"
                    );
                }
                Ok(Err(e)) => {
                    tracing::info!(engine = %self.connect, error = %e, "cannot connect to the engine")
                }
                Err(_) => {
                    tracing::info!(engine = %self.connect, "connecting to the engine timed out")
                }
            }
            let wait = backoff.next();
            tracing::debug!(?wait, "reconnecting");
            self.idle(wait).await;
        }
    }

    /// Wait, while the market goes on moving: stops trigger at the broker with no EA connected.
    async fn idle(&mut self, wait: Duration) {
        let until = Instant::now() + wait;
        loop {
            tokio::select! {
                () = sleep_until(until) => return,
                _ = self.ticker.tick() => {
                    self.step();
                }
            }
        }
    }

    /// One price tick, saved and logged if it changed the book.
    fn step(&mut self) -> Vec<BrokerEvent> {
        let events = self.sim.step(now_millis());
        if events.iter().any(changes_the_book) {
            self.commit();
        } else if self.store.is_due() {
            self.store.save_now(&self.sim);
        }
        events
    }

    /// Save the account, then log what it executed: the log never runs ahead of the saved
    /// account, and records lost to a crash in between are still in the saved account.
    fn commit(&mut self) {
        self.store.save_now(&self.sim);
        let records = self.sim.take_records();
        self.log.append(&records);
    }

    /// Talk to the engine until the connection ends, and why.
    async fn converse(
        &mut self,
        mut reader: OwnedReadHalf,
        link: &mut Link,
    ) -> anyhow::Result<Infallible> {
        let hello = FromEa::Hello {
            protocol: PROTOCOL,
            nonce: link.nonce.clone(),
            ea: format!("SignalOS simulator {}", env!("CARGO_PKG_VERSION")),
        };
        self.send(link, &hello).await?;
        let mut framer = LineFramer::default();
        let mut buf = vec![0u8; READ_BUFFER];
        let mut frames = Vec::new();
        loop {
            let ping_at = link.last_write + link.heartbeat;
            let silence = link.heartbeat * SILENT_HEARTBEATS;
            let dead_at = link.last_read + silence;
            let delayed_at = link.delayed.front().map(|(due, _)| *due);
            tokio::select! {
                read = reader.read(&mut buf) => {
                    let n = read.context("cannot read from the engine")?;
                    if n == 0 {
                        bail!("the engine closed the connection");
                    }
                    link.last_read = Instant::now();
                    framer.push(&buf[..n], &mut frames);
                    for frame in frames.drain(..) {
                        self.on_frame(link, frame).await?;
                    }
                }
                _ = self.ticker.tick() => {
                    for event in self.step() {
                        self.stream(link, event).await?;
                    }
                }
                () = sleep_until(ping_at) => {
                    self.send(link, &FromEa::Ping { time: now_millis() }).await?;
                }
                () = sleep_until(dead_at) => {
                    bail!("nothing from the engine for {} ms", silence.as_millis());
                }
                () = sleep_until(delayed_at.unwrap_or(dead_at)), if delayed_at.is_some() => {
                    self.send_due(link).await?;
                }
            }
        }
    }

    async fn on_frame(&mut self, link: &mut Link, frame: Frame) -> anyhow::Result<()> {
        match frame {
            Frame::Line(text) if text.trim().is_empty() => Ok(()),
            Frame::Line(text) => match wire::decode::<FromEngine>(&text) {
                Ok(message) => self.on_message(link, message).await,
                Err(why) => match wire::bad_trade(&text) {
                    Some(bad) if link.welcomed => self.refuse_bad_trade(link, bad).await,
                    _ => self.complain(link, why).await,
                },
            },
            Frame::TooLong(n) => {
                let why = format!("line {n} bytes long, the limit is {MAX_LINE}");
                self.complain(link, why).await
            }
            Frame::NotUtf8 => {
                let why = "a line that is not UTF-8".to_string();
                self.complain(link, why).await
            }
        }
    }

    /// A trade that cannot be read is answered like any other, rejected and unexecuted, so that
    /// the engine knows its outcome instead of waiting for one. Not remembered: a readable resend
    /// under the same cid is a new request.
    async fn refuse_bad_trade(
        &mut self,
        link: &mut Link,
        bad: wire::BadTrade,
    ) -> anyhow::Result<()> {
        tracing::warn!(id = bad.id, cid = %bad.cid, reason = %bad.reason, "unreadable trade refused");
        let outcome = TradeOutcome::Rejected {
            retcode: RETCODE_INVALID,
            message: bad.reason,
        };
        let reply = FromEa::Result {
            id: bad.id,
            cid: bad.cid,
            outcome,
        };
        self.reply(link, reply, false).await
    }

    /// A line from the engine that cannot be used: say so to both, and go on.
    async fn complain(&mut self, link: &mut Link, reason: String) -> anyhow::Result<()> {
        tracing::warn!(%reason, "bad line from the engine, skipped");
        self.send(link, &FromEa::Error { reason }).await
    }

    async fn on_message(&mut self, link: &mut Link, message: FromEngine) -> anyhow::Result<()> {
        match message {
            FromEngine::Challenge { nonce, proof } => self.on_challenge(link, nonce, proof).await,
            FromEngine::Welcome {
                protocol,
                magic,
                heartbeat_ms,
            } => {
                // An engine of another version never sends a challenge: say so, not that it
                // failed to prove itself.
                if protocol != PROTOCOL {
                    bail!("the engine speaks protocol {protocol}, this simulator {PROTOCOL}");
                }
                if !link.engine_proved {
                    return Err(self.not_signalos());
                }
                if link.welcomed {
                    return self.complain(link, "a second welcome".to_string()).await;
                }
                link.welcomed = true;
                if heartbeat_ms > 0 {
                    link.heartbeat = Duration::from_millis(heartbeat_ms).max(SHORTEST_HEARTBEAT);
                }
                tracing::info!(magic, heartbeat_ms, "welcomed by the engine");
                let names = self.sim.symbol_names();
                self.send(link, &FromEa::Symbols { names }).await
            }
            FromEngine::Refused { reason } => {
                tracing::warn!(%reason, "the engine refused the simulator");
                bail!("refused: {reason}");
            }
            FromEngine::Ping { .. } => Ok(()),
            FromEngine::Error { reason } => {
                tracing::warn!(%reason, "the engine reports an error");
                Ok(())
            }
            FromEngine::Subscribe { .. } | FromEngine::Trade { .. } | FromEngine::Query { .. }
                if !link.welcomed =>
            {
                let why = "a request before welcome".to_string();
                self.complain(link, why).await
            }
            FromEngine::Subscribe { symbols } => self.on_subscribe(link, symbols).await,
            FromEngine::Trade { id, request } => self.on_trade(link, id, request).await,
            FromEngine::Query { id, cid } => {
                let found = self.sim.find(&cid);
                let reply = FromEa::Found {
                    id,
                    cid,
                    state: found.state,
                    ticket: found.ticket,
                    price: found.price,
                    volume: found.volume,
                };
                self.reply(link, reply, false).await
            }
        }
    }

    /// The engine proves it knows the secret before the EA proves it does: a listener that
    /// cannot is not SignalOS, and is left without a proof to replay.
    async fn on_challenge(
        &mut self,
        link: &mut Link,
        nonce: String,
        proof: String,
    ) -> anyhow::Result<()> {
        if link.engine_proved {
            return self.complain(link, "a second challenge".to_string()).await;
        }
        if !auth::is_nonce(&nonce) || !self.key.is_engine_proof(&link.nonce, &nonce, &proof) {
            return Err(self.not_signalos());
        }
        link.engine_proved = true;
        let proof = self.key.ea_proof(&nonce, &link.nonce);
        let can = self.terminal();
        let proof = FromEa::Proof {
            proof,
            terminal: Terminal {
                name: "SignalOS simulator".to_string(),
                company: "SignalOS".to_string(),
                build: 1,
                connected: can.connected,
                trade_allowed: can.trade_allowed,
            },
            account: self.sim.account().clone(),
        };
        self.send(link, &proof).await
    }

    /// The connection is closed without a proof: whatever listens did not prove itself.
    fn not_signalos(&self) -> anyhow::Error {
        let why = format!(
            "the listener at {} could not prove it knows the secret: not SignalOS, or another secret",
            self.connect
        );
        tracing::warn!("{why}");
        anyhow::anyhow!("{why}; closed without a proof")
    }

    /// Specs of the symbols the account knows, then the whole book: the engine reconciles on it.
    async fn on_subscribe(&mut self, link: &mut Link, symbols: Vec<String>) -> anyhow::Result<()> {
        link.subscribed = symbols.into_iter().collect();
        let specs = link
            .subscribed
            .iter()
            .filter_map(|name| self.sim.symbol(name).cloned())
            .collect();
        self.send(link, &FromEa::Specs { specs }).await?;
        let quotes = link
            .subscribed
            .iter()
            .filter_map(|name| {
                let quote = self.sim.quote(name)?;
                Some(SymbolQuote {
                    symbol: name.clone(),
                    bid: quote.bid,
                    ask: quote.ask,
                    time: quote.time,
                })
            })
            .collect();
        let account = self.sim.account().clone();
        let snapshot = FromEa::Snapshot {
            account: account.clone(),
            positions: self.sim.positions().to_vec(),
            orders: self.sim.orders().to_vec(),
            quotes,
        };
        self.send(link, &snapshot).await?;
        link.streaming = true;
        // The snapshot does not say whether Algo Trading is on: the first `account` does.
        link.last_account = None;
        self.stream(link, BrokerEvent::Account(account)).await
    }

    /// Execute a trade (once: a known cid is answered from memory), answer it, then report what
    /// it changed, in the order the EA does.
    async fn on_trade(
        &mut self,
        link: &mut Link,
        id: u64,
        request: BrokerRequest,
    ) -> anyhow::Result<()> {
        let cid = request.cid().to_string();
        // A cid found in the book or history is not sent to the server again, so no server
        // fault can hit it.
        let fresh = self.sim.outcome_of(&cid).is_none()
            && (matches!(
                request,
                BrokerRequest::Modify { .. } | BrokerRequest::Cancel { .. }
            ) || self.sim.find(&cid).state == crate::broker::CidState::Absent);
        if fresh {
            self.trades += 1;
        }
        let terminal = self.terminal();
        let refusal = match (terminal.connected, terminal.trade_allowed) {
            (false, _) => Some(RETCODE_OFFLINE),
            (true, false) => Some(RETCODE_ALGO_OFF),
            (true, true) => None,
        };
        if fresh && let Some(retcode) = refusal {
            tracing::info!(%cid, retcode, "the terminal cannot trade: trade refused");
            let event = self.sim.reject(
                &cid,
                retcode,
                wire::retcode_message(retcode).unwrap_or("the terminal cannot trade"),
            );
            self.commit();
            return self.answer(link, id, vec![event]).await;
        }
        if fresh && let Some(retcode) = self.faults.reject(self.trades) {
            tracing::info!(%cid, retcode, "fault: trade rejected unexecuted");
            let event = self.sim.reject(
                &cid,
                retcode,
                wire::retcode_message(retcode).unwrap_or("rejected"),
            );
            self.commit();
            return self.answer(link, id, vec![event]).await;
        }
        let events = self.sim.handle(&request, now_millis());
        if fresh {
            self.commit();
            if self.faults.execute_then_drop(self.trades) {
                bail!("fault execute-then-drop: trade {cid} executed, dropped before its result");
            }
        }
        self.answer(link, id, events).await
    }

    /// The `Result` among a trade's events first, then the rest.
    async fn answer(
        &mut self,
        link: &mut Link,
        id: u64,
        events: Vec<BrokerEvent>,
    ) -> anyhow::Result<()> {
        let (results, rest): (Vec<_>, Vec<_>) = events
            .into_iter()
            .partition(|e| matches!(e, BrokerEvent::Result { .. }));
        for result in results {
            if let BrokerEvent::Result { cid, outcome } = result {
                let duplicate = self.faults.duplicate();
                if duplicate {
                    tracing::info!(%cid, "fault duplicate: the result goes twice");
                }
                self.reply(link, FromEa::Result { id, cid, outcome }, duplicate)
                    .await?;
            }
        }
        for event in rest {
            self.stream(link, event).await?;
        }
        Ok(())
    }

    /// A reply to a request, held back if the delay fault says so (in order with the others).
    async fn reply(
        &mut self,
        link: &mut Link,
        message: FromEa,
        duplicate: bool,
    ) -> anyhow::Result<()> {
        let delay = self.faults.delay();
        let copies = if duplicate { 2 } else { 1 };
        if delay.is_zero() && link.delayed.is_empty() {
            for _ in 0..copies {
                self.send(link, &message).await?;
            }
        } else {
            let due = Instant::now() + delay;
            for _ in 0..copies {
                link.delayed.push_back((due, message.clone()));
            }
        }
        Ok(())
    }

    async fn send_due(&mut self, link: &mut Link) -> anyhow::Result<()> {
        let now = Instant::now();
        while link.delayed.front().is_some_and(|(due, _)| *due <= now) {
            if let Some((_, message)) = link.delayed.pop_front() {
                self.send(link, &message).await?;
            }
        }
        Ok(())
    }

    /// Tell the engine about a change, once it has the snapshot to apply it to: ticks only for
    /// subscribed symbols and at most every [`TICK_GAP`], the account only when it changed.
    async fn stream(&mut self, link: &mut Link, event: BrokerEvent) -> anyhow::Result<()> {
        if !link.streaming {
            return Ok(());
        }
        let message = match event {
            BrokerEvent::Quote { symbol, quote } => {
                let now = Instant::now();
                let recent = link
                    .last_tick
                    .get(&symbol)
                    .is_some_and(|at| now.duration_since(*at) < TICK_GAP);
                if !link.subscribed.contains(&symbol) || recent {
                    return Ok(());
                }
                link.last_tick.insert(symbol.clone(), now);
                FromEa::Tick {
                    symbol,
                    bid: quote.bid,
                    ask: quote.ask,
                    time: quote.time,
                }
            }
            BrokerEvent::Account(account) => {
                let terminal = self.terminal();
                let (trade_allowed, connected) = (terminal.trade_allowed, terminal.connected);
                let now = Some((account, terminal));
                if link.last_account == now {
                    return Ok(());
                }
                link.last_account.clone_from(&now);
                let Some((account, _)) = now else {
                    return Ok(());
                };
                FromEa::Account {
                    account,
                    trade_allowed,
                    connected,
                }
            }
            BrokerEvent::Position(position) => FromEa::Position { position },
            BrokerEvent::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                time,
            } => FromEa::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                time,
            },
            BrokerEvent::Order(order) => FromEa::Order { order },
            BrokerEvent::OrderRemoved { ticket, reason } => FromEa::OrderRemoved { ticket, reason },
            // The account never produces these; they belong to the engine's side of a link.
            BrokerEvent::Synced(_)
            | BrokerEvent::Disconnected { .. }
            | BrokerEvent::Link(_)
            | BrokerEvent::Found { .. }
            | BrokerEvent::Result { .. } => return Ok(()),
        };
        self.send(link, &message).await?;
        if self.faults.duplicate() {
            self.send(link, &message).await?;
            tracing::debug!("fault duplicate: an event sent twice");
        }
        Ok(())
    }

    /// Whether the terminal can trade now: Algo Trading on, the trade server connected.
    fn terminal(&self) -> CanTrade {
        let running = self.started.elapsed();
        CanTrade {
            trade_allowed: self.faults.algo_trading(running),
            connected: self.faults.connected(running),
        }
    }

    /// Write one message, then let the faults that count messages act.
    async fn send(&mut self, link: &mut Link, message: &FromEa) -> anyhow::Result<()> {
        let line = wire::encode(message);
        write(link, line.as_bytes()).await?;
        link.sent += 1;
        link.last_write = Instant::now();
        for _ in 0..self.faults.garbage(link.sent) {
            self.garbage_lines += 1;
            let garbage = fault::garbage_line(self.garbage_lines, &mut self.rng);
            write(link, &garbage).await?;
            tracing::info!(
                n = self.garbage_lines,
                bytes = garbage.len(),
                "fault garbage: a bad line sent"
            );
        }
        if self.faults.drop_after(link.sent) {
            bail!("fault drop-after: closed after {} messages", link.sent);
        }
        Ok(())
    }
}

/// Write to the engine; an engine that reads nothing for as long as it may stay silent is as
/// dead as a silent one.
async fn write(link: &mut Link, bytes: &[u8]) -> anyhow::Result<()> {
    let patience = link.heartbeat * SILENT_HEARTBEATS;
    match tokio::time::timeout(patience, link.writer.write_all(bytes)).await {
        Ok(written) => written.context("cannot write to the engine"),
        Err(_) => bail!("the engine read nothing for {} ms", patience.as_millis()),
    }
}

#[cfg(test)]
#[path = "ea_tests.rs"]
mod tests;
