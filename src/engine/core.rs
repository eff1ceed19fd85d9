//! The engine task: the only writer of trading state.
//!
//! Every input is handled to the end before the next is read: decide, journal (flushed), then
//! act, then publish what changed. A journal that cannot be written stops any action.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tracing::{debug, error, info, warn};

use super::command::{Action, Command, Origin, OriginKind, Reply, Role};
use super::handle::{Delivery, EngineHandle, Input, Subscription};
use super::manage::{ManagementConfig, Move, Trailing};
use super::plan::{self, Legs, Plan, Planned, Rules};
use super::state::{
    Change, DayStatus, Event, Intent, IntentStatus, Link, LinkState, Snapshot, State,
};
use crate::broker::{
    BrokerCommand, BrokerEvent, BrokerRequest, BrokerSnapshot, CidState, CloseReason, OrderRemoval,
    RETCODE_NOT_SENT, TradeOutcome,
};
use crate::model::{
    Decision, Millis, Mode, Parsed, Position, Quote, SignalKind, SignalRecord, StopLoss,
    now_millis, signal_cid, signal_of_cid,
};
use crate::parse::Aliases;
use crate::risk::daily::LimitAction;
use crate::sources::RawMessage;
use crate::store::{AuditEntry, Journal, JournalError, Meta, OrderEntry, OrderEvent};

/// Events a slow subscriber may fall behind by before it must resubscribe.
const EVENT_BUFFER: usize = 8192;
/// Inputs waiting for the engine.
const INPUT_BUFFER: usize = 4096;
/// A request the terminal never received is sent at most this many times in all, counting only
/// the attempts the terminal had a fair chance at (the link stayed up until the timeout or the
/// answer): one lost with a dropped link is the link's fault, and is sent again once the link is
/// back and reconciled, so a flapping link cannot use the attempts up in seconds.
/// engine.resend_window_secs bounds every request in time; docs/bridge-protocol.md says the same.
const MAX_ATTEMPTS: u32 = 3;
/// The day's equity high is journaled at most this often (a change of day or a breach at once).
const DAY_SAVE_INTERVAL: Millis = 10_000;
/// How often timeouts are looked for.
const HOUSEKEEPING: Duration = Duration::from_millis(250);
/// The link name of the broker in `State::links`.
pub const BROKER_LINK: &str = "broker";

/// A request sent and not yet answered (or whose answer will never come: then it is unresolved).
struct InFlight {
    sent_at: Millis,
    /// When its first attempt was sent: a request is sent again only while it is fresh.
    first_sent: Millis,
    attempt: u32,
    /// Attempts that went with the link (or the engine) before the terminal could answer: they do
    /// not count towards [`MAX_ATTEMPTS`].
    lost: u32,
    request: BrokerRequest,
}

impl InFlight {
    /// The position or order a close/cancel/modify touches, so a retry never doubles up.
    fn ticket(&self) -> Option<u64> {
        self.request.ticket()
    }
}

/// The orders an executed decision sent, until every one is answered: then the signal's decision
/// says what really happened.
struct Awaited {
    /// The decision as made: `Decision::Executed`.
    sent: Decision,
    /// Cids not answered yet.
    pending: BTreeSet<String>,
    /// The orders that did not execute, each with why.
    failed: Vec<String>,
}

impl Awaited {
    fn new(sent: Decision) -> Awaited {
        Awaited {
            pending: sent.cids().iter().cloned().collect(),
            sent,
            failed: Vec::new(),
        }
    }

    /// Record the answer for `cid` (`None`: executed); false if it was not awaited.
    fn answer(&mut self, cid: &str, failure: Option<String>) -> bool {
        if !self.pending.remove(cid) {
            return false;
        }
        if let Some(why) = failure {
            self.failed.push(format!("{cid}: {why}"));
        }
        true
    }

    /// The decision once every order is answered, if it differs from the one made: partly
    /// executed or not executed, with the reasons.
    fn outcome(&self) -> Option<Decision> {
        let Decision::Executed { summary, cids } = &self.sent else {
            return None;
        };
        if self.failed.is_empty() {
            return None;
        }
        let (failed, all) = (self.failed.len(), cids.len());
        let reasons = self.failed.join("; ");
        Some(if failed >= all {
            Decision::NotExecuted {
                summary: summary.clone(),
                cids: cids.clone(),
                reason: format!("none of {all} order(s) executed: {reasons}"),
            }
        } else {
            Decision::PartlyExecuted {
                summary: summary.clone(),
                cids: cids.clone(),
                reason: format!(
                    "{} of {all} order(s) executed; not: {reasons}",
                    all - failed
                ),
            }
        })
    }
}

/// An executed open signal that follow-ups can link to.
struct OpenSignal {
    seq: u64,
    source: String,
    chat: String,
    symbol: String,
}

pub struct Engine {
    rules: Rules,
    state: State,
    seq: u64,
    events: broadcast::Sender<Arc<Event>>,
    journal: Journal,
    meta: Meta,
    broker: mpsc::Sender<BrokerCommand>,
    /// The broker's snapshot has come since it last connected.
    snapshot_seen: bool,
    /// What the bridge last said about the link.
    bridge_link: Link,
    in_flight: BTreeMap<String, InFlight>,
    /// Journaled intents whose outcome is unknown: the terminal is asked about each.
    unresolved: BTreeMap<String, InFlight>,
    /// Queries sent and not yet answered, with when they were sent.
    queries: BTreeMap<String, Millis>,
    /// Unknown outcomes from before the last (re)connect still being asked about: no new
    /// entries until they are settled.
    reconciling: BTreeSet<String>,
    /// Signals waiting for the broker to be ready, oldest first.
    waiting: VecDeque<SignalRecord>,
    /// The take profit each leg was placed with, by cid: a moving-target stop goes to the
    /// previous leg's.
    leg_tps: BTreeMap<String, Option<f64>>,
    /// In stealth, the stop loss and take profit SignalOS holds, by the cid of the trade.
    hidden: BTreeMap<String, (Option<f64>, Option<f64>)>,
    /// Every cid this journal has sent, to tell our positions from orphans.
    known: HashSet<String>,
    request_timeout: Millis,
    last_halt_retry: Millis,
    /// When the day's equity book was last journaled.
    day_saved_at: Millis,
    /// Signal seq → the cids of the orders it opened.
    legs: BTreeMap<u64, Vec<String>>,
    /// Executed decisions with orders not answered yet, by signal seq.
    awaited: BTreeMap<u64, Awaited>,
    /// Ticket → our request answered done that takes it off the book (a whole close, a cancel),
    /// until the book shows it gone (the answer and the book's event come in either order):
    /// nothing else is sent for it meanwhile, and its story names that request.
    removing: HashMap<u64, (String, Millis)>,
    /// Cid → the ticket of our place or modify answered done, until the book shows it (the
    /// answer and the book's event come in either order): a follow-up on it waits for the book.
    arriving: HashMap<String, (u64, Millis)>,
    /// Positions and orders at the broker with a cid this journal never sent, from the last sync.
    orphans: BTreeSet<u64>,
    opens: Vec<OpenSignal>,
    /// Unique per journal, so cids never collide with another installation's at the same broker.
    instance: String,
    aliases: Aliases,
}

/// Start the engine on its own task. Returns the handle to reach it and the task to await.
pub fn spawn(
    rules: Rules,
    aliases: Aliases,
    journal: Journal,
    broker: mpsc::Sender<BrokerCommand>,
) -> Result<(EngineHandle, JoinHandle<()>), JournalError> {
    let (tx, rx) = mpsc::channel(INPUT_BUFFER);
    let engine = Engine::restore(rules, aliases, journal, broker)?;
    let task = tokio::spawn(engine.run(rx));
    Ok((EngineHandle::new(tx), task))
}

impl Engine {
    /// Rebuild the engine's state from the journal.
    pub fn restore(
        rules: Rules,
        aliases: Aliases,
        mut journal: Journal,
        broker: mpsc::Sender<BrokerCommand>,
    ) -> Result<Engine, JournalError> {
        let mut meta = journal.meta()?;
        if meta.instance.is_empty() {
            meta.instance = new_instance_id();
            journal.set_meta(&meta)?;
        }
        let mut state = State {
            instance: meta.instance.clone(),
            stealth: meta.stealth,
            mode: meta.mode,
            mode_reason: meta.mode_reason.clone(),
            ..State::default()
        };
        let bridge_link = Link {
            state: LinkState::Connecting,
            detail: "waiting for the broker".into(),
        };
        state.links.insert(BROKER_LINK.into(), bridge_link.clone());
        // A signal that waited for the broker carries its later decision in the decisions log.
        let later = journal.later_decisions()?;
        let latest = |mut record: SignalRecord| {
            if let Some(decision) = later.get(&record.seq) {
                record.decision = decision.clone();
            }
            record
        };
        for record in journal.recent_signals(super::state::RECENT_SIGNALS)? {
            state.apply(&Change::Signal(latest(record)));
        }
        let mut opens = Vec::new();
        let mut waiting = VecDeque::new();
        let mut executed = Vec::new();
        for record in journal.signals(1) {
            let record = latest(record?);
            if let Decision::Executed { .. } = record.decision {
                executed.push(record.clone());
            }
            match (record.parsed.kind, &record.decision, &record.parsed.symbol) {
                (SignalKind::Open, decision, Some(symbol))
                    if decision.sent() && record.edit == 0 =>
                {
                    opens.push(OpenSignal {
                        seq: record.seq,
                        source: record.source.clone(),
                        chat: record.chat.clone(),
                        symbol: symbol.clone(),
                    });
                }
                // Still waiting when the engine stopped: decided (or refused as too old) once
                // the broker is ready again.
                (_, Decision::Waiting { .. }, _) => waiting.push_back(record),
                _ => {}
            }
        }
        let mut legs: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        let mut last: BTreeMap<String, (OrderEntry, Option<BrokerRequest>)> = BTreeMap::new();
        let mut known = HashSet::new();
        let mut leg_tps = BTreeMap::new();
        let mut hidden = BTreeMap::new();
        // cid → when it was first sent, how many times, and how many of those the link lost.
        let mut attempts: BTreeMap<String, (Millis, u32, u32)> = BTreeMap::new();
        // cid → its final answer (`None`: executed), while it has one.
        let mut finals: HashMap<String, Option<String>> = HashMap::new();
        for entry in journal.orders(1) {
            let entry = entry?;
            // Held levels are no step in a request's life: they never make it unresolved.
            if let OrderEvent::Hidden { sl, tp } = entry.event {
                if sl.is_none() && tp.is_none() {
                    hidden.remove(&entry.cid);
                } else {
                    hidden.insert(entry.cid.clone(), (sl, tp));
                }
                continue;
            }
            match &entry.event {
                OrderEvent::Outcome { outcome } => {
                    finals.insert(entry.cid.clone(), failure_of(outcome));
                }
                OrderEvent::Resolved { found, detail } => {
                    finals.insert(entry.cid.clone(), (!found).then(|| detail.clone()));
                }
                OrderEvent::Unknown {
                    link_lost: true, ..
                } => {
                    if let Some(tries) = attempts.get_mut(&entry.cid) {
                        tries.2 += 1;
                    }
                }
                _ => {}
            }
            let request = match &entry.event {
                OrderEvent::Intent { request, .. } => {
                    finals.remove(&entry.cid);
                    let tries = attempts
                        .entry(entry.cid.clone())
                        .or_insert((entry.at, 0, 0));
                    tries.1 += 1;
                    if known.insert(entry.cid.clone())
                        && let (Some(signal), BrokerRequest::Place { tp, .. }) =
                            (entry.signal, request)
                    {
                        legs.entry(signal).or_default().push(entry.cid.clone());
                        leg_tps.insert(entry.cid.clone(), *tp);
                    }
                    Some(request.clone())
                }
                _ => last.get(&entry.cid).and_then(|(_, r)| r.clone()),
            };
            last.insert(entry.cid.clone(), (entry, request));
        }
        // A crash between journaling a decision and flushing its intents can leave a signal
        // decided with none of its orders journaled, so none sent: decided again once the broker
        // is ready, under the same cids, while it is fresh.
        let mut awaited = BTreeMap::new();
        for mut record in executed {
            let cids = record.decision.cids();
            if !cids.is_empty() && cids.iter().all(|c| !known.contains(c)) {
                warn!(
                    signal = record.seq,
                    "decided before the engine stopped, but none of its orders was journaled: it waits for the broker to be decided again"
                );
                opens.retain(|o| o.seq != record.seq);
                waiting.push_back(record);
                continue;
            }
            let mut orders = Awaited::new(record.decision.clone());
            for cid in cids {
                if let Some(failure) = finals.get(cid) {
                    orders.answer(cid, failure.clone());
                } else if !known.contains(cid) {
                    // Journals written before a decision's intents went in one write.
                    orders.answer(
                        cid,
                        Some(
                            "never sent: the engine stopped before its intent was journaled".into(),
                        ),
                    );
                }
            }
            if !orders.pending.is_empty() {
                awaited.insert(record.seq, orders);
            } else if let Some(decision) = orders.outcome() {
                // Every answer came before the engine stopped, but not the decision they make.
                journal.append_decision(record.seq, decision.clone(), record.linked)?;
                if state.signals.iter().any(|s| s.seq == record.seq) {
                    record.decision = decision;
                    state.apply(&Change::Signal(record));
                }
            }
        }
        let mut unresolved = BTreeMap::new();
        for (cid, (entry, request)) in last {
            let pending = matches!(
                entry.event,
                OrderEvent::Intent { .. } | OrderEvent::Unknown { .. }
            );
            if let (true, Some(request)) = (pending, request) {
                if matches!(entry.event, OrderEvent::Intent { .. }) {
                    journal.append_order(OrderEntry {
                        seq: 0,
                        at: now_millis(),
                        cid: cid.clone(),
                        signal: entry.signal,
                        command: entry.command,
                        event: OrderEvent::Unknown {
                            reason: "the engine stopped before the broker answered".into(),
                            link_lost: true,
                        },
                    })?;
                    if let Some(tries) = attempts.get_mut(&cid) {
                        tries.2 += 1;
                    }
                }
                warn!(%cid, "outcome unknown since the last run: the broker will be asked");
                state.apply(&Change::Intent(Intent {
                    cid: cid.clone(),
                    signal: entry.signal,
                    summary: plan::describe(&request, None),
                    status: IntentStatus::Unknown,
                    detail: "outcome unknown since the last run".into(),
                    at: entry.at,
                }));
                let (first_sent, attempt, lost) =
                    attempts.get(&cid).copied().unwrap_or((entry.at, 1, 1));
                unresolved.insert(
                    cid,
                    InFlight {
                        sent_at: entry.at,
                        first_sent,
                        attempt,
                        lost,
                        request,
                    },
                );
            }
        }
        journal.flush_blocking()?;
        info!(
            mode = %state.mode,
            signals = journal.next_signal_seq() - 1,
            unresolved = unresolved.len(),
            "engine state rebuilt from the journal in {}",
            journal.dir().display()
        );
        let mut engine = Engine {
            request_timeout: rules.engine.request_timeout_ms as Millis,
            rules,
            state,
            seq: 0,
            events: broadcast::channel(EVENT_BUFFER).0,
            instance: meta.instance.clone(),
            aliases,
            journal,
            meta,
            broker,
            snapshot_seen: false,
            bridge_link,
            in_flight: BTreeMap::new(),
            unresolved,
            queries: BTreeMap::new(),
            reconciling: BTreeSet::new(),
            waiting,
            hidden,
            leg_tps,
            known,
            last_halt_retry: 0,
            day_saved_at: 0,
            legs,
            awaited,
            removing: HashMap::new(),
            arriving: HashMap::new(),
            orphans: BTreeSet::new(),
            opens,
        };
        engine.state.day = engine.day_status();
        Ok(engine)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    async fn run(mut self, mut rx: mpsc::Receiver<Input>) {
        let mut timer = tokio::time::interval(HOUSEKEEPING);
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                input = rx.recv() => match input {
                    Some(Input::Shutdown(done)) => {
                        self.shutdown().await;
                        let _ = done.send(());
                        return;
                    }
                    Some(input) => self.handle(input).await,
                    None => {
                        self.shutdown().await;
                        return;
                    }
                },
                _ = timer.tick() => self.on_timer().await,
            }
        }
    }

    async fn shutdown(&mut self) {
        match self.journal.flush().await {
            Ok(()) => info!("engine stopped; journal flushed; positions stay open at the broker"),
            Err(e) => error!("engine stopped but the journal did not flush: {e}"),
        }
    }

    /// Handle one input to the end; then decide the signals it let go (an answer that frees a
    /// follow-up's trades, the broker becoming ready).
    pub async fn handle(&mut self, input: Input) {
        self.handle_input(input).await;
        if !self.waiting.is_empty() && self.ready() {
            self.release_waiting().await;
        }
    }

    async fn handle_input(&mut self, input: Input) {
        match input {
            Input::Message(msg) => {
                // A source without a delivery receipt keeps its own place (the file re-reads).
                let _ = self.on_message(msg).await;
            }
            Input::Delivery(delivery) => self.on_delivery(delivery).await,
            Input::Cursor(key, reply) => {
                let _ = reply.send(self.meta.cursors.get(&key).copied());
            }
            Input::Broker(event) => self.on_broker(event).await,
            Input::Command(cmd, reply) => {
                let answer = self.on_command(cmd).await;
                let _ = reply.send(answer);
            }
            Input::Link { name, link } => self.emit(Change::Link { name, link }),
            Input::Subscribe(reply) => self.subscribe(reply),
            // Read on a thread of its own: a long journal must not hold up trading.
            Input::Story(seq, reply) => {
                let reader = self.journal.reader();
                tokio::task::spawn_blocking(move || {
                    let _ = reply.send(reader.story(seq).map_err(|e| e.to_string()));
                });
            }
            Input::Shutdown(done) => {
                self.shutdown().await;
                let _ = done.send(());
            }
        }
    }

    fn subscribe(&self, reply: oneshot::Sender<Subscription>) {
        let _ = reply.send(Subscription {
            snapshot: Snapshot {
                seq: self.seq,
                state: self.state.clone(),
            },
            events: self.events.subscribe(),
        });
    }

    /// Apply a change to the state and publish it.
    fn emit(&mut self, change: Change) {
        self.state.apply(&change);
        self.seq += 1;
        // No subscriber is fine: the state is still changed.
        let _ = self.events.send(Arc::new(Event {
            seq: self.seq,
            at: now_millis(),
            change,
        }));
    }

    // ---- messages --------------------------------------------------------------------------

    /// A source's batch: each message handled, then the source's cursor saved with them and the
    /// journal flushed, and only then the source told, so that it confirms nothing unjournaled.
    async fn on_delivery(&mut self, delivery: Delivery) {
        let mut result = Ok(());
        for msg in delivery.messages {
            if let Err(e) = self.on_message(msg).await {
                result = Err(e);
                break;
            }
        }
        if result.is_ok()
            && let Some((key, value)) = delivery.cursor
        {
            self.meta.cursors.insert(key, value);
            result = self.save_meta().await.map_err(|e| e.to_string());
        } else if result.is_ok() {
            result = self.journal.flush().await.map_err(|e| e.to_string());
        }
        let _ = delivery.done.send(result);
    }

    async fn on_message(&mut self, mut msg: RawMessage) -> Result<(), String> {
        if let Some(edited_at) = msg.edited_at {
            match self.version_of(&msg, edited_at) {
                Some(edit) => msg.edit = edit,
                None => return Ok(()),
            }
        }
        if let Some(seq) = self.journal.seen(&msg.source, &msg.chat, msg.id, msg.edit) {
            let first = self.journal.signals(seq).next().and_then(Result::ok);
            if first.is_some_and(|r| r.seq == seq && r.text != msg.text) {
                // Never acted on twice; but other words under the same id are no repeat.
                warn!(
                    source = %msg.source, chat = %msg.chat, id = msg.id, edit = msg.edit,
                    "message {} came again with other words; the first (signal #{seq}) stands and this one is not acted on: a changed message needs a new edit number",
                    msg.id
                );
            } else {
                debug!(chat = %msg.chat, id = msg.id, edit = msg.edit, "already journaled as signal #{seq}");
            }
            return Ok(());
        }
        let parsed = crate::parse::parse_with(&msg.text, &self.aliases);
        let mut record = SignalRecord {
            seq: self.journal.next_signal_seq(),
            received_at: msg.received_at,
            sent_at: msg.sent_at,
            source: msg.source,
            chat: msg.chat,
            msg_id: msg.id,
            edit: msg.edit,
            edited_at: msg.edited_at,
            reply_to: msg.reply_to,
            text: msg.text,
            parsed,
            linked: None,
            decision: Decision::Ignored {
                reason: String::new(),
            },
        };
        self.meta.counters.messages += 1;
        let orders = match self.reason_to_wait(&record, &self.waiting) {
            Some(why) => {
                record.decision = Decision::Waiting { reason: why };
                Vec::new()
            }
            None => self.decide(&mut record),
        };
        log_decision(&record);
        if let Err(e) = self.journal.append_signal(&record) {
            error!("signal not journaled, nothing done: {e}");
            return Err(format!("the message was not journaled: {e}"));
        }
        self.carry_out(record, orders).await;
        Ok(())
    }

    /// The edit number of a version its source did not count: one past the latest journaled
    /// version of the message. `None` when there is nothing new to act on: this version is
    /// journaled already (the same date and words: the source sent it again), or its words are
    /// the latest version's (an edit of formatting or media only).
    fn version_of(&self, msg: &RawMessage, edited_at: Millis) -> Option<u32> {
        let mut latest: Option<(u32, String)> = None;
        for (edit, seq) in self.journal.versions(&msg.source, &msg.chat, msg.id) {
            let Some(Ok(record)) = self.journal.signals(seq).next() else {
                continue;
            };
            if record.edited_at == Some(edited_at) && record.text == msg.text {
                debug!(chat = %msg.chat, id = msg.id, "edit already journaled as signal #{seq}");
                return None;
            }
            latest = Some((edit, record.text));
        }
        match latest {
            Some((edit, text)) if text == msg.text => {
                debug!(chat = %msg.chat, id = msg.id, "edited without a change of words (still edit {edit})");
                None
            }
            Some((edit, _)) => Some(edit + 1),
            None => Some(1),
        }
    }

    /// Why a trade instruction should wait rather than be decided now, when it would otherwise
    /// be refused for that alone: the broker is not ready; or, for a follow-up or an edit, an
    /// earlier message of its chat still waits (they apply in message order), or the trades it
    /// acts on have requests the broker has not answered yet. `ahead`: the signals still waiting
    /// that came before it.
    fn reason_to_wait(
        &self,
        record: &SignalRecord,
        ahead: &VecDeque<SignalRecord>,
    ) -> Option<String> {
        let follow_up = is_follow_up(record);
        let acts = follow_up
            || (record.parsed.kind == SignalKind::Open && self.state.mode == Mode::Active);
        if !acts || self.rules.engine.signal_wait_secs == 0 {
            return None;
        }
        if let Some(why) = self.blocked() {
            return Some(format!("waiting for the broker: {why}"));
        }
        if !follow_up {
            return None;
        }
        if let Some(earlier) = ahead
            .iter()
            .find(|r| r.source == record.source && r.chat == record.chat)
        {
            return Some(format!(
                "waiting for signal #{} of the same chat to be decided first",
                earlier.seq
            ));
        }
        let target = if record.edit > 0 {
            self.journal
                .seen(&record.source, &record.chat, record.msg_id, 0)
        } else {
            self.link(record)
        }?;
        self.busy(target).map(|n| {
            format!(
                "waiting for the broker's answer to {n} request(s) on signal #{target}'s trades"
            )
        })
    }

    /// How many requests on signal `seq`'s trades (its own legs, or changes to them) the broker
    /// has not answered; `None` when there are none. A follow-up planned meanwhile would see its
    /// trades as they were before, or not at all.
    fn busy(&self, seq: u64) -> Option<usize> {
        let cids = self.legs.get(&seq)?;
        let tickets: HashSet<u64> = self
            .state
            .positions
            .values()
            .filter(|p| cids.contains(&p.cid))
            .map(|p| p.ticket)
            .chain(
                self.state
                    .orders
                    .values()
                    .filter(|o| cids.contains(&o.cid))
                    .map(|o| o.ticket),
            )
            .collect();
        let n = self
            .in_flight
            .iter()
            .chain(self.unresolved.iter())
            .filter(|(cid, f)| {
                cids.contains(cid) || f.ticket().is_some_and(|t| tickets.contains(&t))
            })
            .count()
            + self
                .arriving
                .iter()
                .filter(|(cid, (t, _))| cids.contains(cid) || tickets.contains(t))
                .count()
            + tickets
                .iter()
                .filter(|t| self.removing.contains_key(t))
                .count();
        (n > 0).then_some(n)
    }

    /// Decide what to do with a signal: sets its decision (and the signal a follow-up links to)
    /// and returns the orders to send.
    fn decide(&mut self, record: &mut SignalRecord) -> Vec<Planned> {
        let seq = record.seq;
        let parsed = &record.parsed;
        let planned = match parsed.kind {
            _ if record.edit > 0 => self.decide_edit(record),
            SignalKind::None => Err(Decision::Ignored {
                reason: parsed
                    .trace
                    .iter()
                    .find(|t| t.starts_with("kind"))
                    .cloned()
                    .unwrap_or_else(|| "not a trade instruction".into()),
            }),
            SignalKind::Open => {
                let instance = self.instance.clone();
                let (rules, profile) = self.rules.for_signal(&record.source, &record.chat);
                plan::open(
                    record,
                    &self.state,
                    self.blocked().as_deref(),
                    &rules,
                    now_millis(),
                    |leg| signal_cid(&instance, seq, leg),
                )
                .map(|plan| match profile {
                    Some(name) => Plan {
                        summary: format!("{} (profile {name})", plan.summary),
                        orders: plan.orders,
                    },
                    None => plan,
                })
                .map_err(|reason| Decision::Refused {
                    reason: match profile {
                        Some(name) => format!("{reason} (profile {name})"),
                        None => reason,
                    },
                })
            }
            SignalKind::Modify | SignalKind::Close => {
                record.linked = self.link(record);
                match record.linked {
                    None => Err(Decision::Refused {
                        reason: match record.reply_to {
                            Some(id) => format!(
                                "the message it replies to ({id}) opened no trade that SignalOS copied"
                            ),
                            None => "no open signal to apply this follow-up to (not a reply, and no earlier open of that symbol in this chat)".into(),
                        },
                    }),
                    Some(target) => self
                        .plan_follow_up(&record.parsed, target, seq)
                        .map_err(|reason| Decision::Refused {
                            reason: format!("signal #{target}: {reason}"),
                        }),
                }
            }
        };
        match planned {
            Ok(Plan { summary, orders }) => {
                record.decision = Decision::Executed {
                    summary,
                    cids: orders.iter().map(|o| o.request.cid().to_string()).collect(),
                };
                orders
            }
            Err(decision) => {
                record.decision = decision;
                Vec::new()
            }
        }
    }

    /// An edited message: only its stop loss and take profits may change, on the trades its
    /// original opened. An edit never opens a trade, and never changes the symbol or the side.
    fn decide_edit(&self, record: &mut SignalRecord) -> Result<Plan, Decision> {
        let refuse = |reason: String| Decision::Refused { reason };
        let original = self
            .journal
            .seen(&record.source, &record.chat, record.msg_id, 0)
            .ok_or_else(|| {
                refuse("an edit of a message never received: an edit never opens a trade".into())
            })?;
        let opened = self.legs.contains_key(&original);
        let Some(before) = self.earlier_version(record) else {
            return Err(refuse(format!(
                "signal #{original}'s earlier version is not in the journal"
            )));
        };
        if !opened || before.parsed.kind != SignalKind::Open {
            return Err(refuse(format!(
                "signal #{original} opened nothing: an edit never opens a trade"
            )));
        }
        let (was, now) = (&before.parsed, &record.parsed);
        if now.kind != SignalKind::Open {
            return Err(Decision::Ignored {
                reason: format!(
                    "the edit of signal #{original} no longer reads as an open: nothing changed"
                ),
            });
        }
        if now.symbol != was.symbol || now.side != was.side {
            // A provider correcting BUY into SELL leaves the first reading's trades open: say
            // which, so that the trader can close them if the correction is to be followed.
            let cids = self.legs.get(&original).cloned().unwrap_or_default();
            let legs = Legs::of(&self.state, &cids);
            let tickets: Vec<String> = legs
                .positions
                .iter()
                .map(|p| format!("#{}", p.ticket))
                .chain(
                    legs.orders
                        .iter()
                        .map(|o| format!("#{} (pending)", o.ticket)),
                )
                .collect();
            let open = if tickets.is_empty() {
                String::new()
            } else {
                format!(
                    "; signal #{original}'s trades stay as they are: {} — close them yourself if the provider corrected it",
                    tickets.join(", ")
                )
            };
            return Err(refuse(format!(
                "the edit of signal #{original} changes the symbol or the side: refused (an edit never makes a second entry){open}"
            )));
        }
        let mut changes = Parsed {
            kind: SignalKind::Modify,
            sl: if now.sl != was.sl { now.sl } else { None },
            tp: if now.tp != was.tp {
                now.tp.clone()
            } else {
                Vec::new()
            },
            ..now.clone()
        };
        // A stop moved since the original (a later follow-up, breakeven, trailing) is newer word
        // than an edit of the original: the edit does not move it back.
        let kept = match (changes.sl, was.sl) {
            (Some(_), Some(StopLoss::Price(placed))) if self.stop_moved(original, placed) => {
                changes.sl = None;
                " (its stop loss not applied: the stop was moved since, by a later message or by management)"
            }
            _ => "",
        };
        if changes.sl.is_none() && changes.tp.is_empty() {
            return Err(Decision::Ignored {
                reason: format!(
                    "the edit of signal #{original} changes no stop loss or take profit{kept}"
                ),
            });
        }
        record.linked = Some(original);
        self.plan_follow_up(&changes, original, record.seq)
            .map(|plan| Plan {
                summary: format!("edit of signal #{original}: {}{kept}", plan.summary),
                orders: plan.orders,
            })
            .map_err(|reason| refuse(format!("edit of signal #{original}: {reason}")))
    }

    /// Whether any open trade of signal `seq` has a stop other than `placed`, the one its
    /// message gave.
    fn stop_moved(&self, seq: u64, placed: f64) -> bool {
        let cids = self.legs.get(&seq).cloned().unwrap_or_default();
        Legs::of(&self.state, &cids).positions.iter().any(|p| {
            let half_point = self
                .state
                .symbols
                .get(&p.symbol)
                .map_or(1e-9, |s| s.point / 2.0);
            p.sl.is_none_or(|sl| (sl - placed).abs() > half_point)
        })
    }

    /// Plan what signal `seq` asks of the trades signal `target` opened; its orders are named
    /// after `seq`.
    fn plan_follow_up(&self, parsed: &Parsed, target: u64, seq: u64) -> Result<Plan, String> {
        let cids = self.legs.get(&target).cloned().unwrap_or_default();
        let legs = Legs::of(&self.state, &cids);
        let instance = self.instance.clone();
        let mut n = 0;
        plan::follow_up(
            parsed,
            &legs,
            &self.state,
            self.blocked().as_deref(),
            || {
                n += 1;
                signal_cid(&instance, seq, n)
            },
        )
    }

    /// The latest earlier version of an edited message.
    fn earlier_version(&self, record: &SignalRecord) -> Option<SignalRecord> {
        let same = |r: &SignalRecord| {
            r.source == record.source
                && r.chat == record.chat
                && r.msg_id == record.msg_id
                && r.edit < record.edit
        };
        if let Some(r) = self.state.signals.iter().rev().find(|r| same(r)) {
            return Some(r.clone());
        }
        // Older than the recent list: the journal has every version.
        self.journal
            .signals(1)
            .filter_map(Result::ok)
            .filter(|r| same(r))
            .last()
    }

    /// Publish a decided (or waiting) signal and send its orders.
    async fn carry_out(&mut self, record: SignalRecord, orders: Vec<Planned>) {
        let seq = record.seq;
        if let Decision::Refused { .. } = record.decision {
            self.meta.counters.refused += 1;
        }
        // An edit's orders change the original's trades: it is no open of its own.
        if record.parsed.kind == SignalKind::Open && record.edit == 0 && !orders.is_empty() {
            self.meta.counters.opens += 1;
            if let Some(symbol) = &record.parsed.symbol {
                self.opens.push(OpenSignal {
                    seq,
                    source: record.source.clone(),
                    chat: record.chat.clone(),
                    symbol: symbol.clone(),
                });
            }
            self.legs.insert(
                seq,
                orders.iter().map(|o| o.request.cid().to_string()).collect(),
            );
        }
        match &record.decision {
            Decision::Waiting { .. } => self.waiting.push_back(record.clone()),
            decision @ Decision::Executed { cids, .. } if !cids.is_empty() => {
                self.awaited.insert(seq, Awaited::new(decision.clone()));
            }
            _ => {}
        }
        self.emit(Change::Signal(record));
        self.execute(orders, Some(seq), None).await;
    }

    /// The broker's final word on `cid` (`None`: executed). Once every order of an executed
    /// decision is answered, a decision that did not wholly execute is journaled and shown as
    /// partly executed or not executed, with why.
    fn answered(&mut self, cid: &str, failure: Option<String>) {
        let Some(seq) = signal_of_cid(cid) else {
            return;
        };
        let Some(orders) = self.awaited.get_mut(&seq) else {
            return;
        };
        if !orders.answer(cid, failure) || !orders.pending.is_empty() {
            return;
        }
        let outcome = self.awaited.remove(&seq).and_then(|o| o.outcome());
        let Some(decision) = outcome else {
            return;
        };
        warn!(signal = seq, "{}: {}", decision.word(), decision.detail());
        let record = self.state.signals.iter().find(|s| s.seq == seq).cloned();
        let linked = record.as_ref().and_then(|r| r.linked);
        if let Err(e) = self.journal.append_decision(seq, decision.clone(), linked) {
            error!(
                signal = seq,
                "what became of the signal's orders is not journaled: {e}"
            );
        }
        let record = record.map(|mut r| {
            r.decision = decision;
            r
        });
        if let Some(record) = record {
            self.emit(Change::Signal(record));
        }
    }

    /// Decide the signals that waited, oldest first, once what they waited for is there; refuse
    /// opens that waited too long, at any time. A follow-up or an edit waits as long as it
    /// takes: it acts on trades already open, and an exit dropped for its wait would leave one
    /// open that its provider has left.
    async fn release_waiting(&mut self) {
        let now = now_millis();
        let window = (self.rules.engine.signal_wait_secs * 1000) as Millis;
        let mut still = VecDeque::new();
        while let Some(mut record) = self.waiting.pop_front() {
            let waited = now - record.received_at;
            let orders = if waited > window && !is_follow_up(&record) {
                let why = self
                    .reason_to_wait(&record, &still)
                    .unwrap_or_else(|| "waiting".into());
                record.decision = Decision::Refused {
                    reason: format!(
                        "waited {:.0} s, longer than engine.signal_wait_secs ({} s): {why}",
                        waited as f64 / 1000.0,
                        self.rules.engine.signal_wait_secs
                    ),
                };
                Vec::new()
            } else if self.reason_to_wait(&record, &still).is_some() {
                still.push_back(record);
                continue;
            } else {
                self.decide(&mut record)
            };
            log_decision(&record);
            if let Err(e) =
                self.journal
                    .append_decision(record.seq, record.decision.clone(), record.linked)
            {
                error!(
                    signal = record.seq,
                    "decision not journaled, nothing done: {e}"
                );
                continue;
            }
            self.carry_out(record, orders).await;
        }
        self.waiting = still;
    }

    /// The signal a follow-up applies to: the one it replies to (following a reply to a
    /// follow-up back to its open), else the latest executed open of the same symbol (or of any
    /// symbol, when none is named) from the same chat.
    fn link(&self, msg: &SignalRecord) -> Option<u64> {
        let symbol = msg.parsed.symbol.as_deref();
        if let Some(reply_to) = msg.reply_to {
            let seq = self.journal.seen(&msg.source, &msg.chat, reply_to, 0)?;
            if self.legs.contains_key(&seq) {
                return Some(seq);
            }
            return self
                .state
                .signals
                .iter()
                .find(|s| s.seq == seq)
                .and_then(|s| s.linked);
        }
        self.opens
            .iter()
            .rev()
            .find(|o| {
                o.source == msg.source && o.chat == msg.chat && symbol.is_none_or(|s| s == o.symbol)
            })
            .map(|o| o.seq)
    }

    /// Journal every request as an intent, flush, then send them.
    async fn execute(
        &mut self,
        mut orders: Vec<Planned>,
        signal: Option<u64>,
        command: Option<u64>,
    ) {
        if orders.is_empty() {
            return;
        }
        let now = now_millis();
        // In stealth an entry goes without its levels; SignalOS holds them (journaled below).
        let mut hide = Vec::new();
        if self.state.stealth {
            for order in &mut orders {
                if let BrokerRequest::Place { cid, sl, tp, .. } = &mut order.request
                    && (sl.is_some() || tp.is_some())
                {
                    hide.push((cid.clone(), sl.take(), tp.take()));
                    order.summary.push_str(" — stealth: SL/TP held by SignalOS");
                }
            }
        }
        let intents = orders
            .iter()
            .map(|order| OrderEntry {
                seq: 0,
                at: now,
                cid: order.request.cid().to_string(),
                signal,
                command,
                event: OrderEvent::Intent {
                    request: order.request.clone(),
                    summary: order.summary.clone(),
                },
            })
            .collect();
        if let Err(e) = self.journal.append_orders(intents) {
            error!("order intents not journaled, nothing sent: {e}");
            return;
        }
        self.meta.counters.orders += orders.len() as u64;
        for (cid, sl, tp) in hide {
            self.hide(&cid, sl, tp, signal);
        }
        if let Err(e) = self.save_meta().await {
            error!("journal not flushed, nothing sent: {e}");
            return;
        }
        for order in orders {
            let cid = order.request.cid().to_string();
            self.emit(Change::Intent(Intent {
                cid: cid.clone(),
                signal,
                summary: order.summary.clone(),
                status: IntentStatus::Sent,
                detail: String::new(),
                at: now,
            }));
            self.in_flight.insert(
                cid.clone(),
                InFlight {
                    sent_at: now,
                    first_sent: now,
                    attempt: 1,
                    lost: 0,
                    request: order.request.clone(),
                },
            );
            self.known.insert(cid.clone());
            if let BrokerRequest::Place { tp, .. } = &order.request {
                self.leg_tps.insert(cid.clone(), *tp);
            }
            if self
                .broker
                .send(BrokerCommand::Trade(order.request))
                .await
                .is_err()
            {
                self.mark_unknown(&cid, "the broker connection is gone", true)
                    .await;
            }
        }
    }

    async fn save_meta(&mut self) -> Result<(), JournalError> {
        self.journal.set_meta(&self.meta)?;
        self.journal.flush().await
    }

    // ---- broker ----------------------------------------------------------------------------

    /// New entries and follow-ups go out only on a synced link with nothing left to reconcile.
    fn ready(&self) -> bool {
        self.blocked().is_none()
    }

    /// Synced with the terminal, reconciled or not.
    fn link_up(&self) -> bool {
        self.snapshot_seen && self.bridge_link.state == LinkState::Synced
    }

    /// Keep the day's equity book, and stop trading when a daily limit is reached: pause, or
    /// the emergency stop, recorded in the audit log as the engine's own command.
    async fn track_day(&mut self, equity: f64) {
        let now = now_millis();
        let day = self.meta.day.day.clone();
        let before = self.day_status();
        let breach = self
            .meta
            .day
            .update(equity, now, &self.rules.guards.daily_limits());
        if let Some(status) = self.day_status().filter(|s| Some(s) != before.as_ref()) {
            self.emit(Change::Day(status));
        }
        let Some(breach) = breach else {
            if self.meta.day.day != day || now - self.day_saved_at > DAY_SAVE_INTERVAL {
                self.day_saved_at = now;
                if let Err(e) = self.journal.set_meta(&self.meta) {
                    error!("the day's equity book not journaled: {e}");
                }
            }
            return;
        };
        warn!("{breach}");
        let (mode, action) = match self.rules.guards.limit_action {
            LimitAction::Pause => (Mode::Paused, Action::Pause),
            LimitAction::Halt => (Mode::Halted, Action::EmergencyStop),
        };
        let audit = self.journal.append_audit(AuditEntry {
            seq: 0,
            at: now,
            origin: Origin {
                kind: OriginKind::Engine,
                who: "guards".into(),
                role: Role::Operator,
            },
            action,
            reply: Reply::Accepted {
                detail: breach.clone(),
            },
        });
        let audit = match audit {
            Ok(entry) => Some(entry.seq),
            Err(e) => {
                error!("daily limit not journaled in the audit log: {e}");
                None
            }
        };
        // Never a step down: a HALTED engine stays HALTED.
        let stricter = match mode {
            Mode::Halted => self.state.mode != Mode::Halted,
            _ => self.state.mode == Mode::Active,
        };
        if stricter {
            if let Err(e) = self.set_mode(mode, breach).await {
                error!("{mode} not persisted: {e}");
            }
        } else if let Err(e) = self.save_meta().await {
            error!("the tripped daily limit not persisted: {e}");
        }
        if mode == Mode::Halted {
            self.flatten(audit).await;
        }
    }

    /// The day's book and limits for the console; `None` before the first equity of a day.
    fn day_status(&self) -> Option<DayStatus> {
        let book = &self.meta.day;
        let guards = &self.rules.guards;
        (!book.day.is_empty()).then(|| DayStatus {
            day: book.day.clone(),
            start_equity: book.start_equity,
            high_equity: book.high_equity,
            loss_limit_percent: guards.daily_loss_limit_percent,
            drawdown_limit_percent: guards.max_drawdown_percent,
            tripped: book.tripped.clone(),
        })
    }

    /// Move our positions' stops on `symbol` as the price allows (breakeven after pips,
    /// trailing).
    async fn manage_on_price(&mut self, symbol: &str, quote: &Quote) {
        self.stealth_exits(symbol, quote).await;
        if !self.ready() {
            return;
        }
        let Some(spec) = self.state.symbols.get(symbol) else {
            return;
        };
        let moves: Vec<Move> = self
            .state
            .positions
            .values()
            .filter(|p| p.symbol == symbol && self.known.contains(&p.cid))
            .filter(|p| !self.ticket_in_flight(p.ticket))
            .filter_map(|p| {
                let m = self.management_for(p);
                let active = m.breakeven_after_pips > 0.0 || m.trailing == Trailing::Pips;
                active.then(|| m.on_price(p, spec, quote)).flatten()
            })
            .collect();
        self.send_moves(moves, None).await;
    }

    /// How a position is managed: by the profile of the signal that opened it (else the global
    /// rules), with a trailing stop an operator set on it taking precedence.
    fn management_for(&self, p: &Position) -> ManagementConfig {
        let open = self
            .signal_of(&p.cid)
            .and_then(|seq| self.opens.iter().find(|o| o.seq == seq));
        let mut m = match open {
            Some(o) => self
                .rules
                .for_signal(&o.source, &o.chat)
                .0
                .management
                .clone(),
            None => self.rules.management.clone(),
        };
        if let Some(&pips) = self.meta.trails.get(&p.ticket) {
            m.trailing = Trailing::Pips;
            m.trailing_pips = pips;
        }
        m
    }

    /// A leg of a signal reached its take profit: the others' stops may move.
    async fn manage_on_target(&mut self, cid: &str) {
        let Some((&seq, cids)) = self
            .legs
            .iter()
            .find(|(_, cids)| cids.iter().any(|c| c == cid))
        else {
            return;
        };
        let Some(n) = cids.iter().position(|c| c == cid).map(|i| i + 1) else {
            return;
        };
        let targets: Vec<Option<f64>> = cids
            .iter()
            .map(|c| self.leg_tps.get(c).copied().flatten())
            .collect();
        let remaining: Vec<&Position> = self
            .state
            .positions
            .values()
            .filter(|p| cids.contains(&p.cid) && !self.ticket_in_flight(p.ticket))
            .collect();
        let Some(symbol) = remaining.first().map(|p| p.symbol.clone()) else {
            return;
        };
        let (Some(spec), Some(quote)) = (
            self.state.symbols.get(&symbol),
            self.state.quotes.get(&symbol),
        ) else {
            return;
        };
        let moves = self
            .management_for(remaining[0])
            .on_target_hit(n, &targets, &remaining, spec, quote);
        if self.ready() {
            self.send_moves(moves, Some(seq)).await;
        }
    }

    /// Record the levels SignalOS holds for the trade `cid` opened (none: the broker holds them).
    fn hide(&mut self, cid: &str, sl: Option<f64>, tp: Option<f64>, signal: Option<u64>) {
        if sl.is_none() && tp.is_none() {
            self.hidden.remove(cid);
        } else {
            self.hidden.insert(cid.to_string(), (sl, tp));
        }
        let entry = OrderEntry {
            seq: 0,
            at: now_millis(),
            cid: cid.to_string(),
            signal: signal.or_else(|| self.signal_of(cid)),
            command: None,
            event: OrderEvent::Hidden { sl, tp },
        };
        if let Err(e) = self.journal.append_order(entry) {
            error!(%cid, "the levels SignalOS holds are not journaled: {e}");
        }
    }

    /// In stealth, close a position whose price reached a level SignalOS holds for it.
    async fn stealth_exits(&mut self, symbol: &str, quote: &Quote) {
        if self.hidden.is_empty() || !self.ready() {
            return;
        }
        let first = self.meta.counters.orders + 1;
        let exits: Vec<(Planned, Option<u64>)> = self
            .state
            .positions
            .values()
            .filter(|p| p.symbol == symbol && !self.ticket_in_flight(p.ticket))
            .filter_map(|p| {
                let (sl, tp) = self.hidden.get(&p.cid)?;
                let close = p.side.close_price(quote);
                let s = p.side.sign();
                let why = match (sl, tp) {
                    (Some(sl), _) if s * (close - sl) <= 0.0 => format!("stealth stop loss {sl}"),
                    (_, Some(tp)) if s * (close - tp) >= 0.0 => format!("stealth take profit {tp}"),
                    _ => return None,
                };
                Some((p.ticket, p.cid.clone(), why))
            })
            .enumerate()
            .map(|(i, (ticket, cid, why))| {
                let request = BrokerRequest::Close {
                    cid: format!("{}-z{}-{ticket}", self.instance, first + i as u64),
                    ticket,
                    volume: None,
                };
                let summary = format!("{} — {why} reached", plan::describe(&request, None));
                (Planned { request, summary }, self.signal_of(&cid))
            })
            .collect();
        for (order, signal) in exits {
            info!("{}", order.summary);
            self.execute(vec![order], signal, None).await;
        }
    }

    /// Turn stealth on (levels taken off the broker, held here) or off (sent back).
    async fn set_stealth(&mut self, on: bool, command: u64) {
        self.meta.stealth = on;
        if let Err(e) = self.save_meta().await {
            error!("stealth {on} not persisted: {e}");
        }
        self.emit(Change::Stealth { on });
        let positions: Vec<Position> = self
            .state
            .positions
            .values()
            .filter(|p| self.known.contains(&p.cid))
            .cloned()
            .collect();
        let mut orders = Vec::new();
        for p in positions {
            let (sl, tp) = if on {
                if p.sl.is_none() && p.tp.is_none() {
                    continue;
                }
                self.hide(&p.cid, p.sl, p.tp, None);
                (None, None)
            } else {
                let Some(&(sl, tp)) = self.hidden.get(&p.cid) else {
                    continue;
                };
                self.hide(&p.cid, None, None, None);
                (sl, tp)
            };
            let request = BrokerRequest::Modify {
                cid: format!("{}-c{command}-{}", self.instance, p.ticket),
                ticket: p.ticket,
                sl,
                tp,
            };
            let spec = self.state.symbols.get(&p.symbol);
            orders.push(Planned {
                summary: plan::describe(&request, spec),
                request,
            });
        }
        self.execute(orders, None, Some(command)).await;
    }

    /// Cancel our pending orders older than `entries.pending_expiry_mins`.
    async fn expire_pending(&mut self, now: Millis) {
        let minutes = self.rules.entries.pending_expiry_mins;
        if minutes == 0 || !self.ready() {
            return;
        }
        let max_age = (minutes * 60_000) as Millis;
        let first = self.meta.counters.orders + 1;
        let expired: Vec<(Planned, Option<u64>)> = self
            .state
            .orders
            .values()
            .filter(|o| self.known.contains(&o.cid) && now - o.placed_at > max_age)
            .filter(|o| !self.ticket_in_flight(o.ticket))
            .enumerate()
            .map(|(i, o)| {
                let request = BrokerRequest::Cancel {
                    cid: format!("{}-x{}-{}", self.instance, first + i as u64, o.ticket),
                    ticket: o.ticket,
                };
                let summary = format!(
                    "{} — pending for more than entries.pending_expiry_mins ({minutes} min)",
                    plan::describe(&request, None)
                );
                let signal = self.signal_of(&o.cid);
                (Planned { request, summary }, signal)
            })
            .collect();
        for (order, signal) in expired {
            info!("{}", order.summary);
            self.execute(vec![order], signal, None).await;
        }
    }

    /// The signal whose leg `cid` is.
    fn signal_of(&self, cid: &str) -> Option<u64> {
        self.legs
            .iter()
            .find(|(_, cids)| cids.iter().any(|c| c == cid))
            .map(|(seq, _)| *seq)
    }

    /// Journal and send stop-loss moves, each under a fresh cid.
    async fn send_moves(&mut self, moves: Vec<Move>, signal: Option<u64>) {
        if moves.is_empty() {
            return;
        }
        let first = self.meta.counters.orders + 1;
        // A stop SignalOS holds moves here; nothing goes to the broker.
        let (held, moves): (Vec<Move>, Vec<Move>) = moves.into_iter().partition(|m| {
            self.state
                .positions
                .get(&m.ticket)
                .is_some_and(|p| self.hidden.contains_key(&p.cid))
        });
        for m in held {
            if let Some(p) = self.state.positions.get(&m.ticket) {
                let cid = p.cid.clone();
                let tp = self.hidden.get(&cid).and_then(|(_, tp)| *tp);
                info!(ticket = m.ticket, "{} (stealth: held by SignalOS)", m.why);
                self.hide(&cid, Some(m.sl), tp, signal);
            }
        }
        let orders: Vec<Planned> = moves
            .into_iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let p = self.state.positions.get(&m.ticket)?;
                let request = BrokerRequest::Modify {
                    cid: format!("{}-m{}-{}", self.instance, first + i as u64, m.ticket),
                    ticket: m.ticket,
                    sl: Some(m.sl),
                    tp: p.tp,
                };
                let spec = self.state.symbols.get(&p.symbol);
                info!(ticket = m.ticket, "{}", m.why);
                Some(Planned {
                    summary: format!("{} — {}", plan::describe(&request, spec), m.why),
                    request,
                })
            })
            .collect();
        self.execute(orders, signal, None).await;
    }

    /// Why requests cannot go to the broker now, in words for the refusal.
    fn blocked(&self) -> Option<String> {
        let link = &self.bridge_link;
        if !self.snapshot_seen || link.state == LinkState::Down {
            return Some(format!(
                "the broker is not connected ({}: {})",
                link.state, link.detail
            ));
        }
        if !self.reconciling.is_empty() {
            return Some(format!(
                "reconciling with the terminal ({} order(s) of unknown outcome)",
                self.reconciling.len()
            ));
        }
        match link.state {
            LinkState::Synced | LinkState::Up => None,
            state => Some(format!("the broker link is {}: {}", state, link.detail)),
        }
    }

    /// The broker badge: the bridge's word, except that a synced link still reconciling says so.
    fn publish_link(&mut self) {
        let link = if self.bridge_link.state == LinkState::Synced && !self.reconciling.is_empty() {
            Link {
                state: LinkState::Handshaking,
                detail: format!(
                    "reconciling: asking the terminal about {} order(s) of unknown outcome",
                    self.reconciling.len()
                ),
            }
        } else {
            self.bridge_link.clone()
        };
        if self.state.links.get(BROKER_LINK) != Some(&link) {
            self.emit(Change::Link {
                name: BROKER_LINK.into(),
                link,
            });
        }
    }

    async fn on_broker(&mut self, event: BrokerEvent) {
        match event {
            BrokerEvent::Synced(snapshot) => self.on_synced(snapshot).await,
            BrokerEvent::Disconnected { reason } => {
                warn!("broker disconnected: {reason}");
                self.snapshot_seen = false;
                self.queries.clear();
                self.reconciling.clear();
                self.bridge_link = Link {
                    state: LinkState::Down,
                    detail: reason.clone(),
                };
                self.publish_link();
                let cids: Vec<String> = self.in_flight.keys().cloned().collect();
                for cid in cids {
                    self.mark_unknown(
                        &cid,
                        &format!("disconnected before an answer: {reason}"),
                        true,
                    )
                    .await;
                }
            }
            BrokerEvent::Link(link) => {
                let was_ready = self.ready();
                self.bridge_link = link;
                self.publish_link();
                if !was_ready && self.ready() {
                    self.on_ready().await;
                }
            }
            BrokerEvent::Found {
                cid, state, ticket, ..
            } => self.on_found(cid, state, ticket).await,
            BrokerEvent::Result { cid, outcome } => self.on_result(cid, outcome).await,
            BrokerEvent::Quote { symbol, quote } => {
                self.emit(Change::Quote {
                    symbol: symbol.clone(),
                    quote,
                });
                self.manage_on_price(&symbol, &quote).await;
            }
            BrokerEvent::Account(account) => {
                let equity = account.equity;
                self.emit(Change::Account(account));
                self.track_day(equity).await;
            }
            BrokerEvent::Position(position) => {
                let ticket = position.ticket;
                self.on_book(ticket);
                if self.state.positions.get(&ticket) == Some(&position) {
                    return;
                }
                self.emit(Change::Position(position));
                if self.state.mode == Mode::Halted && self.ready() && !self.ticket_in_flight(ticket)
                {
                    self.flatten(None).await;
                }
            }
            BrokerEvent::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                ..
            } => {
                self.on_book(ticket);
                // A close reported twice must not count its profit twice.
                let Some(cid) = self.state.positions.get(&ticket).map(|p| p.cid.clone()) else {
                    debug!(ticket, "close of a position not on the book: ignored");
                    return;
                };
                let by = match reason {
                    CloseReason::StopLoss => "its stop loss".to_string(),
                    CloseReason::TakeProfit => "its take profit".to_string(),
                    CloseReason::StopOut => "a stop out (margin too low)".to_string(),
                    CloseReason::Request => self.closer_of(ticket),
                };
                self.removing.remove(&ticket);
                info!(ticket, price, profit, "position closed by {by}");
                if self.known.contains(&cid) {
                    self.journal_event(
                        &cid,
                        OrderEvent::Closed {
                            ticket,
                            price,
                            profit,
                            by,
                        },
                    );
                }
                self.meta.trails.remove(&ticket);
                self.hidden.remove(&cid);
                self.emit(Change::PositionClosed {
                    ticket,
                    price,
                    profit,
                    reason,
                });
                if reason == CloseReason::TakeProfit {
                    self.manage_on_target(&cid).await;
                }
                self.report_if_flat();
            }
            BrokerEvent::Order(order) => {
                self.on_book(order.ticket);
                if self.state.orders.get(&order.ticket) != Some(&order) {
                    self.emit(Change::Order(order));
                }
            }
            BrokerEvent::OrderRemoved { ticket, reason } => {
                self.on_book(ticket);
                if !self.state.orders.contains_key(&ticket) {
                    return;
                }
                if reason != OrderRemoval::Filled {
                    info!(ticket, ?reason, "pending order removed");
                }
                self.removing.remove(&ticket);
                self.emit(Change::OrderRemoved { ticket });
                self.report_if_flat();
            }
        }
    }

    /// The broker's whole truth after (re)connecting: note what changed while we were away,
    /// settle what the snapshot shows, and ask about the rest before trading again.
    async fn on_synced(&mut self, snapshot: BrokerSnapshot) {
        let prefix = format!("{}-", self.instance);
        let seen: HashSet<&str> = snapshot.positions.iter().map(|p| p.cid.as_str()).collect();
        let closed_unseen: Vec<(String, u64)> = self
            .state
            .positions
            .values()
            .filter(|p| p.cid.starts_with(&prefix) && !seen.contains(p.cid.as_str()))
            .map(|p| (p.cid.clone(), p.ticket))
            .collect();
        // Ours by the magic number (the EA reports a cid only then), yet never sent by this
        // journal: a journal restored from elsewhere, or one that lost its history.
        let orphans: Vec<(String, u64)> = snapshot
            .positions
            .iter()
            .map(|p| (&p.cid, p.ticket))
            .chain(snapshot.orders.iter().map(|o| (&o.cid, o.ticket)))
            .filter(|(cid, _)| !cid.is_empty() && !self.known.contains(*cid))
            .map(|(cid, ticket)| (cid.clone(), ticket))
            .collect();
        for (cid, ticket) in closed_unseen {
            let detail = format!("position #{ticket} closed while the link was down");
            info!(%cid, "{detail}");
            self.journal_event(&cid, OrderEvent::ClosedUnseen { ticket, detail });
        }
        let mut new_orphans = Vec::new();
        for (cid, ticket) in &orphans {
            if !self.orphans.contains(ticket) && !self.meta.accepted_orphans.contains(ticket) {
                let detail = format!(
                    "#{ticket} carries SignalOS's magic number and cid {cid}, but this journal never sent it: shown, not managed"
                );
                warn!(%cid, "orphan: {detail}");
                self.journal_event(
                    cid,
                    OrderEvent::Orphan {
                        ticket: *ticket,
                        detail,
                    },
                );
                new_orphans.push(format!("#{ticket} {cid}"));
            }
        }
        self.orphans = orphans.iter().map(|(_, ticket)| *ticket).collect();
        // The snapshot is the book now: what a done close or cancel removed is gone from it, and
        // what it still shows may be sent for again.
        self.removing.clear();
        self.arriving.clear();
        let (positions, orders) = (snapshot.positions.len(), snapshot.orders.len());
        let equity = snapshot.account.equity;
        self.emit(Change::Synced(snapshot));
        self.track_day(equity).await;
        self.snapshot_seen = true;
        // The bridge says "degraded" after this if the terminal cannot trade.
        self.bridge_link = Link {
            state: LinkState::Synced,
            detail: format!("synced: {positions} position(s), {orders} order(s) at the terminal"),
        };
        self.reconcile().await;
        self.publish_link();
        if !new_orphans.is_empty() {
            self.hold_for_orphans(&new_orphans).await;
        }
        if self.ready() {
            self.on_ready().await;
        }
    }

    /// Trades at the broker that this journal never sent may be a lost journal's: until an
    /// operator decides (closes them, or resumes to let them be), no new entries — PAUSED, as the
    /// engine's own command in the audit log. HALTED stays HALTED.
    async fn hold_for_orphans(&mut self, orphans: &[String]) {
        let reason = format!(
            "{} trade(s) at the broker carry SignalOS's magic number but this journal never sent them ({}): close them, or resume to let them be (shown, never managed)",
            orphans.len(),
            orphans.join(", ")
        );
        self.hold("reconcile", reason).await;
    }

    /// No new entries until an operator has looked: PAUSED with `reason`, as the engine's own
    /// command (`who`) in the audit log. HALTED stays HALTED.
    async fn hold(&mut self, who: &str, reason: String) {
        warn!("{reason}");
        let audit = self.journal.append_audit(AuditEntry {
            seq: 0,
            at: now_millis(),
            origin: Origin {
                kind: OriginKind::Engine,
                who: who.into(),
                role: Role::Operator,
            },
            action: Action::Pause,
            reply: Reply::Accepted {
                detail: reason.clone(),
            },
        });
        if let Err(e) = audit {
            error!("the hold is not in the audit log: {e}");
        }
        if self.state.mode == Mode::Active
            && let Err(e) = self.set_mode(Mode::Paused, reason).await
        {
            error!("PAUSED not persisted: {e}");
        }
    }

    /// Settle every unknown outcome the snapshot shows; ask the terminal about the others.
    async fn reconcile(&mut self) {
        let cids: Vec<String> = self.unresolved.keys().cloned().collect();
        for cid in cids {
            let on_book = self
                .state
                .positions
                .values()
                .find(|p| p.cid == cid)
                .map(|p| p.ticket)
                .or_else(|| {
                    self.state
                        .orders
                        .values()
                        .find(|o| o.cid == cid)
                        .map(|o| o.ticket)
                });
            let is_place = matches!(
                self.unresolved.get(&cid).map(|f| &f.request),
                Some(BrokerRequest::Place { .. })
            );
            match on_book {
                Some(ticket) if is_place => {
                    self.settle(
                        &cid,
                        true,
                        format!("found at the terminal as #{ticket}: adopted"),
                    )
                    .await;
                }
                _ => {
                    self.reconciling.insert(cid.clone());
                    self.query(&cid).await;
                }
            }
        }
        if let Err(e) = self.journal.flush().await {
            error!("reconciliation not flushed: {e}");
        }
    }

    async fn on_ready(&mut self) {
        match self.state.mode {
            Mode::Active => info!("broker synced and reconciled: trading allowed"),
            mode => info!(
                "broker synced and reconciled: trading allowed on the link, but {mode}: no new entries ({})",
                self.state.mode_reason
            ),
        }
        if self.state.mode == Mode::Halted {
            self.flatten(None).await;
        }
        self.release_waiting().await;
    }

    /// Ask the terminal what became of `cid`. Never a resend.
    async fn query(&mut self, cid: &str) {
        if !self.snapshot_seen {
            return;
        }
        self.queries.insert(cid.to_string(), now_millis());
        let _ = self
            .broker
            .send(BrokerCommand::Query {
                cid: cid.to_string(),
            })
            .await;
    }

    async fn on_found(&mut self, cid: String, found: CidState, ticket: Option<u64>) {
        let Some(request) = self.unresolved.get(&cid).map(|f| f.request.clone()) else {
            debug!(%cid, ?found, "answer to a query already settled: ignored");
            return;
        };
        let at = ticket.map_or_else(String::new, |t| format!(" #{t}"));
        let (executed, detail) = match (found, &request) {
            (CidState::Position | CidState::Order, BrokerRequest::Place { .. }) => {
                (true, format!("found at the terminal as{at}: adopted"))
            }
            (CidState::Deal, BrokerRequest::Place { .. }) => {
                (true, format!("executed{at} and since closed"))
            }
            (CidState::Absent, BrokerRequest::Place { .. }) => {
                (false, "the terminal has no trace of it".to_string())
            }
            // A close leaves a deal named by its cid, so "absent" means it did not execute; the
            // position being gone says only that something else closed it.
            (CidState::Absent, &BrokerRequest::Close { ticket, .. })
                if !self.state.positions.contains_key(&ticket) =>
            {
                let detail = format!(
                    "the terminal has no deal for it: position #{ticket} was closed by {}",
                    self.closer_of(ticket)
                );
                self.settle(&cid, false, detail).await;
                return;
            }
            (CidState::Absent, _) => match self.visible_effect(&request) {
                Some(effect) => (true, format!("{effect} (the terminal no longer remembers the request)")),
                None => (
                    false,
                    "the terminal has no trace of it and the book shows no effect: not executed, not resent".to_string(),
                ),
            },
            (_, _) => (true, format!("executed{at}, per the terminal")),
        };
        if executed {
            self.settle(&cid, true, detail).await;
        } else {
            self.not_executed(&cid, detail).await;
        }
    }

    /// The terminal never received `cid`. Sent again, with the same cid so that it can never
    /// execute twice, while it is fresh and the mode allows it; otherwise settled as not executed.
    async fn not_executed(&mut self, cid: &str, detail: String) {
        let Some(flight) = self.unresolved.get(cid) else {
            return;
        };
        let age = now_millis() - flight.first_sent;
        let window = (self.rules.engine.resend_window_secs * 1000) as Millis;
        let counted = flight.attempt.saturating_sub(flight.lost);
        let why_not = if counted >= MAX_ATTEMPTS {
            Some(format!(
                "sent {} times already, {counted} of them on a link that stayed up",
                flight.attempt
            ))
        } else if age > window {
            Some(format!(
                "first sent {:.0} s ago, more than resend_window_secs ({} s)",
                age as f64 / 1000.0,
                self.rules.engine.resend_window_secs
            ))
        } else if matches!(flight.request, BrokerRequest::Place { .. })
            && self.state.mode != Mode::Active
        {
            Some(format!("{}: no new entries", self.state.mode))
        } else if !self.link_up() {
            Some("the link is not up".to_string())
        } else {
            None
        };
        match why_not {
            Some(why) => {
                self.settle(cid, false, format!("{detail}; not sent again: {why}"))
                    .await
            }
            None => self.resend(cid, detail).await,
        }
    }

    /// Journal the request again (flushed), then send it again under the same cid.
    async fn resend(&mut self, cid: &str, why: String) {
        let Some(mut flight) = self.unresolved.remove(cid) else {
            return;
        };
        self.queries.remove(cid);
        flight.attempt += 1;
        flight.sent_at = now_millis();
        let detail = format!("sent again (attempt {}): {why}", flight.attempt);
        info!(%cid, "{detail}");
        let summary = self.state.intents.get(cid).map_or_else(
            || plan::describe(&flight.request, None),
            |i| i.summary.clone(),
        );
        self.journal_event(
            cid,
            OrderEvent::Intent {
                request: flight.request.clone(),
                summary,
            },
        );
        if let Err(e) = self.journal.flush().await {
            error!(%cid, "the resend is not journaled, so it is not sent: {e}");
            self.unresolved.insert(cid.to_string(), flight);
            return;
        }
        if let Some(mut intent) = self.state.intents.get(cid).cloned() {
            intent.status = IntentStatus::Sent;
            intent.detail = detail;
            intent.at = flight.sent_at;
            self.emit(Change::Intent(intent));
        }
        let request = flight.request.clone();
        self.in_flight.insert(cid.to_string(), flight);
        let reconciled = self.reconciling.remove(cid) && self.reconciling.is_empty();
        if self
            .broker
            .send(BrokerCommand::Trade(request))
            .await
            .is_err()
        {
            self.mark_unknown(cid, "the broker connection is gone", true)
                .await;
        }
        if reconciled {
            self.publish_link();
            if self.ready() {
                self.on_ready().await;
            }
        }
    }

    /// Whether the book already shows what a modify or cancel asked for: the terminal keeps no
    /// trace of those cids, so the book is the remaining witness. (A place or a close leaves an
    /// order or deal under its cid: the terminal's word on them is final.)
    fn visible_effect(&self, request: &BrokerRequest) -> Option<String> {
        match *request {
            BrokerRequest::Place { .. } | BrokerRequest::Close { .. } => None,
            BrokerRequest::Cancel { ticket, .. } => (!self.state.orders.contains_key(&ticket))
                .then(|| format!("order #{ticket} is no longer pending")),
            BrokerRequest::Modify { ticket, sl, tp, .. } => {
                let levels = self
                    .state
                    .positions
                    .get(&ticket)
                    .map(|p| (p.sl, p.tp))
                    .or_else(|| self.state.orders.get(&ticket).map(|o| (o.sl, o.tp)))?;
                (levels == (sl, tp)).then(|| format!("#{ticket} already has the requested levels"))
            }
        }
    }

    /// Record what became of an unknown outcome and stop asking about it.
    async fn settle(&mut self, cid: &str, executed: bool, detail: String) {
        if let Some(flight) = self.unresolved.remove(cid)
            && executed
        {
            self.note_removal(cid, &flight.request);
        }
        self.queries.remove(cid);
        self.answered(cid, (!executed).then(|| detail.clone()));
        info!(%cid, "settled: {detail}");
        self.journal_event(
            cid,
            OrderEvent::Resolved {
                found: executed,
                detail: detail.clone(),
            },
        );
        if let Some(mut intent) = self.state.intents.get(cid).cloned() {
            intent.status = if executed {
                IntentStatus::Done
            } else {
                IntentStatus::Rejected
            };
            intent.detail = detail;
            intent.at = now_millis();
            self.emit(Change::Intent(intent));
        }
        if self.reconciling.remove(cid) && self.reconciling.is_empty() {
            if let Err(e) = self.journal.flush().await {
                error!("reconciliation not flushed: {e}");
            }
            self.publish_link();
            if self.ready() {
                self.on_ready().await;
            }
        }
    }

    /// Append an order event for `cid`, with the signal its intent belongs to.
    fn journal_event(&mut self, cid: &str, event: OrderEvent) {
        let signal = self.state.intents.get(cid).and_then(|i| i.signal);
        let entry = OrderEntry {
            seq: 0,
            at: now_millis(),
            cid: cid.to_string(),
            signal,
            command: None,
            event,
        };
        if let Err(e) = self.journal.append_order(entry) {
            error!(%cid, "order event not journaled: {e}");
        }
    }

    fn report_if_flat(&self) {
        if self.state.mode == Mode::Halted && self.state.is_flat() {
            info!("HALTED and flat: no position or pending order left");
        }
    }

    async fn on_result(&mut self, cid: String, outcome: TradeOutcome) {
        if let TradeOutcome::Rejected {
            retcode: RETCODE_NOT_SENT,
            message,
        } = &outcome
            && !self.link_up()
        {
            // It reached no terminal, and none is there now: asked about and sent again once
            // one is (an answer to a request already unknown changes nothing).
            self.mark_unknown(&cid, message, true).await;
            return;
        }
        let Some(flight) = self.in_flight.remove(&cid) else {
            if self.unresolved.contains_key(&cid) {
                // An answer to a request we had given up on: it still tells the truth.
                warn!(%cid, "late answer from the broker: {outcome:?}");
                let (executed, detail) = match &outcome {
                    TradeOutcome::Done { ticket, .. } => {
                        (true, format!("answered late: done #{ticket}"))
                    }
                    TradeOutcome::Rejected { retcode, message } => (
                        false,
                        format!("answered late: rejected {retcode}: {message}"),
                    ),
                };
                self.journal_outcome(&cid, outcome, None).await;
                self.settle(&cid, executed, detail).await;
            } else {
                debug!(%cid, "a second answer for a settled request: ignored");
            }
            return;
        };
        if let (Some(asked), TradeOutcome::Done { ticket, .. }) =
            (flight.request.ticket(), &outcome)
            && *ticket != asked
        {
            // Answered from the terminal's memory of this cid, for another request: the cid
            // was used before, so this journal is older than the terminal's (restored from a
            // backup?). Nothing is known to have been done.
            let why = format!(
                "the terminal answered for #{ticket}, not #{asked}: it had answered this cid before, for another request (a journal older than the terminal's, restored from a backup?); #{asked} is as the book shows it"
            );
            error!(%cid, "{why}");
            self.journal_outcome(&cid, outcome, None).await;
            if let Some(mut intent) = self.state.intents.get(&cid).cloned() {
                intent.status = IntentStatus::Rejected;
                intent.detail.clone_from(&why);
                self.emit(Change::Intent(intent));
            }
            self.answered(&cid, Some(why.clone()));
            self.hold("reconcile", format!("{cid}: {why}: check the account"))
                .await;
            return;
        }
        if let TradeOutcome::Done { ticket, .. } = outcome {
            self.note_removal(&cid, &flight.request);
            self.note_arrival(&cid, &flight.request, ticket);
        }
        self.answered(&cid, failure_of(&outcome));
        self.journal_outcome(&cid, outcome, None).await;
    }

    /// A place or a modify executed: a follow-up waits until the book shows what it did.
    fn note_arrival(&mut self, cid: &str, request: &BrokerRequest, ticket: u64) {
        let shown = match *request {
            BrokerRequest::Place { .. } => {
                self.state.positions.contains_key(&ticket)
                    || self.state.orders.contains_key(&ticket)
            }
            BrokerRequest::Modify { sl, tp, .. } => {
                let held = self
                    .state
                    .positions
                    .get(&ticket)
                    .map(|p| (&p.symbol, p.sl, p.tp))
                    .or_else(|| {
                        self.state
                            .orders
                            .get(&ticket)
                            .map(|o| (&o.symbol, o.sl, o.tp))
                    });
                held.is_none_or(|(symbol, has_sl, has_tp)| {
                    let half_point = self
                        .state
                        .symbols
                        .get(symbol)
                        .map_or(1e-9, |s| s.point / 2.0);
                    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
                        (Some(a), Some(b)) => (a - b).abs() <= half_point,
                        (a, b) => a.is_none() && b.is_none(),
                    };
                    same(has_sl, sl) && same(has_tp, tp)
                })
            }
            _ => true,
        };
        if !shown {
            self.arriving
                .insert(cid.to_string(), (ticket, now_millis()));
        }
    }

    /// The book now shows `ticket` (or its end): what waited for that may go on.
    fn on_book(&mut self, ticket: u64) {
        self.arriving.retain(|_, (t, _)| *t != ticket);
    }

    /// A whole close or a cancel executed: its ticket is as good as gone until the book says so.
    fn note_removal(&mut self, cid: &str, request: &BrokerRequest) {
        let ticket = match *request {
            BrokerRequest::Close {
                ticket,
                volume: None,
                ..
            } if self.state.positions.contains_key(&ticket) => ticket,
            BrokerRequest::Cancel { ticket, .. } if self.state.orders.contains_key(&ticket) => {
                ticket
            }
            _ => return,
        };
        self.removing
            .insert(ticket, (cid.to_string(), now_millis()));
    }

    /// What closed position `ticket`, in words for its story: our close request (by cid, with
    /// its signal) when one was answered done or is still in flight, else the terminal.
    fn closer_of(&self, ticket: u64) -> String {
        let ours = self.removing.get(&ticket).map(|(cid, _)| cid.clone()).or_else(|| {
            self.in_flight
                .iter()
                .chain(self.unresolved.iter())
                .find(|(_, f)| {
                    matches!(f.request, BrokerRequest::Close { ticket: t, volume: None, .. } if t == ticket)
                })
                .map(|(cid, _)| cid.clone())
        });
        match ours {
            Some(cid) => match signal_of_cid(cid.as_str()) {
                Some(seq) => format!("{cid} (signal #{seq})"),
                None => cid,
            },
            None => "a close at the terminal, not by SignalOS".into(),
        }
    }

    async fn journal_outcome(&mut self, cid: &str, outcome: TradeOutcome, signal: Option<u64>) {
        let (status, detail) = match &outcome {
            TradeOutcome::Done {
                ticket,
                price,
                volume,
            } => (
                IntentStatus::Done,
                match (price, volume) {
                    (Some(p), Some(v)) => format!("done: #{ticket} {v:.2} @ {p}"),
                    _ => format!("done: #{ticket}"),
                },
            ),
            TradeOutcome::Rejected { retcode, message } => (
                IntentStatus::Rejected,
                format!("rejected {retcode}: {message}"),
            ),
        };
        if status == IntentStatus::Rejected {
            warn!(%cid, "{detail}");
        } else {
            debug!(%cid, "{detail}");
        }
        let existing = self.state.intents.get(cid).cloned();
        let entry = OrderEntry {
            seq: 0,
            at: now_millis(),
            cid: cid.to_string(),
            signal: signal.or(existing.as_ref().and_then(|i| i.signal)),
            command: None,
            event: OrderEvent::Outcome { outcome },
        };
        if let Err(e) = self.journal.append_order(entry) {
            error!(%cid, "broker answer not journaled: {e}");
        }
        if let Some(mut intent) = existing {
            intent.status = status;
            intent.detail = detail;
            intent.at = now_millis();
            self.emit(Change::Intent(intent));
        }
    }

    /// No answer will come for `cid`: record that, then ask the terminal (now if the link is
    /// up, else after the next snapshot). `link_lost`: the request went with the link before the
    /// terminal could answer, so this attempt does not count towards [`MAX_ATTEMPTS`].
    async fn mark_unknown(&mut self, cid: &str, reason: &str, link_lost: bool) {
        let Some(mut flight) = self.in_flight.remove(cid) else {
            return;
        };
        if link_lost {
            flight.lost += 1;
        }
        self.unresolved.insert(cid.to_string(), flight);
        warn!(%cid, "outcome unknown: {reason}; the terminal will be asked before anything is resent");
        self.journal_event(
            cid,
            OrderEvent::Unknown {
                reason: reason.to_string(),
                link_lost,
            },
        );
        if let Some(mut intent) = self.state.intents.get(cid).cloned() {
            intent.status = IntentStatus::Unknown;
            intent.detail = reason.to_string();
            self.emit(Change::Intent(intent));
        }
        self.query(cid).await;
    }

    /// A request on `ticket` is sent and unanswered, or answered done by taking it off the book
    /// while the book still shows it: nothing more is sent for it.
    fn ticket_in_flight(&self, ticket: u64) -> bool {
        self.removing.contains_key(&ticket)
            || self.in_flight.values().any(|f| f.ticket() == Some(ticket))
    }

    /// A request on `ticket` is sent and unanswered, or its outcome is unknown.
    fn ticket_pending(&self, ticket: Option<u64>) -> bool {
        ticket.is_some_and(|t| {
            self.ticket_in_flight(t) || self.unresolved.values().any(|f| f.ticket() == Some(t))
        })
    }

    async fn on_timer(&mut self) {
        let now = now_millis();
        let timeout = self.request_timeout;
        // A book that never shows what an answer said (an event lost) holds nothing forever:
        // after the request timeout the book is taken as it is.
        let stale = |at: &Millis| now - *at > timeout;
        if self.arriving.values().any(|(_, at)| stale(at))
            || self.removing.values().any(|(_, at)| stale(at))
        {
            warn!(
                "the book did not show what the broker answered within the request timeout: taken as it is"
            );
            self.arriving.retain(|_, (_, at)| !stale(at));
            self.removing.retain(|_, (_, at)| !stale(at));
        }
        let expired: Vec<String> = self
            .in_flight
            .iter()
            .filter(|(_, f)| now - f.sent_at > timeout)
            .map(|(cid, _)| cid.clone())
            .collect();
        for cid in expired {
            self.mark_unknown(&cid, "no answer within the timeout", false)
                .await;
        }
        // A query can be lost with its link, or the EA may be slow: ask again, never resend.
        let unanswered: Vec<String> = self
            .queries
            .iter()
            .filter(|(_, at)| now - **at > timeout)
            .map(|(cid, _)| cid.clone())
            .collect();
        for cid in unanswered {
            debug!(%cid, "no answer to the query yet: asking again");
            self.query(&cid).await;
        }
        if self.waiting.iter().any(|r| {
            !is_follow_up(r)
                && now - r.received_at > (self.rules.engine.signal_wait_secs * 1000) as Millis
        }) {
            self.release_waiting().await;
        }
        self.expire_pending(now).await;
        let retry = (self.rules.engine.halt_retry_secs.max(1) * 1000) as Millis;
        if self.state.mode == Mode::Halted
            && self.ready()
            && !self.state.is_flat()
            && now - self.last_halt_retry >= retry
        {
            self.last_halt_retry = now;
            self.flatten(None).await;
        }
    }

    // ---- operator commands: the one gate ---------------------------------------------------

    async fn on_command(&mut self, cmd: Command) -> Reply {
        let verdict = self.judge(&cmd);
        let entry = AuditEntry {
            seq: 0,
            at: now_millis(),
            origin: cmd.origin.clone(),
            action: cmd.action.clone(),
            reply: verdict.clone(),
        };
        // The audit entry is durable before anything is done.
        let audit = match self.journal.append_audit(entry) {
            Ok(a) => a,
            Err(e) => {
                error!("command not journaled, not carried out: {e}");
                return Reply::Refused {
                    reason: format!("the journal cannot be written: {e}"),
                };
            }
        };
        if let Reply::Refused { reason } = &verdict {
            warn!(origin = %cmd.origin, "command {} refused: {reason}", cmd.action);
            if let Err(e) = self.journal.flush().await {
                error!("audit entry not flushed: {e}");
            }
            return verdict;
        }
        info!(origin = %cmd.origin, "command {}", cmd.action);
        match cmd.action {
            Action::EmergencyStop => {
                self.meta.counters.emergency_stops += 1;
                if let Err(e) = self
                    .set_mode(Mode::Halted, format!("emergency stop by {}", cmd.origin))
                    .await
                {
                    // HALTED is in memory either way: refuse entries even if the disk failed.
                    error!("HALTED not persisted: {e}");
                }
                self.flatten(Some(audit.seq)).await;
            }
            Action::Pause => {
                if let Err(e) = self
                    .set_mode(Mode::Paused, format!("paused by {}", cmd.origin))
                    .await
                {
                    error!("PAUSED not persisted: {e}");
                }
            }
            Action::Resume { reason } => {
                // Resuming is the operator's word on the orphans in view: let them be.
                let orphans = std::mem::take(&mut self.orphans);
                self.meta.accepted_orphans.extend(orphans);
                if let Err(e) = self
                    .set_mode(Mode::Active, format!("resumed by {}: {reason}", cmd.origin))
                    .await
                {
                    error!("ACTIVE not persisted: {e}");
                }
            }
            Action::Stealth { on } => self.set_stealth(on, audit.seq).await,
            Action::Trail { ticket, pips } => {
                if pips > 0.0 {
                    self.meta.trails.insert(ticket, pips);
                } else {
                    self.meta.trails.remove(&ticket);
                }
                if let Err(e) = self.save_meta().await {
                    error!("the trailing stop of #{ticket} not persisted: {e}");
                }
            }
            Action::Resync => {
                if self.broker.send(BrokerCommand::Resync).await.is_err() {
                    error!("the broker link is gone: no resync");
                }
            }
            Action::Report { .. } => {
                if let Err(e) = self.journal.flush().await {
                    error!("audit entry not flushed: {e}");
                }
            }
            Action::CancelOrder { ticket } => {
                if let Some(o) = self.state.orders.get(&ticket) {
                    let signal = self.signal_of(&o.cid);
                    let request = BrokerRequest::Cancel {
                        cid: format!("{}-c{}-{ticket}", self.instance, audit.seq),
                        ticket,
                    };
                    let summary = format!("{} — by {}", plan::describe(&request, None), cmd.origin);
                    self.execute(vec![Planned { request, summary }], signal, Some(audit.seq))
                        .await;
                }
            }
            Action::ClosePosition { ticket }
            | Action::ClosePart { ticket, .. }
            | Action::ModifyPosition { ticket, .. }
            | Action::Breakeven { ticket } => {
                let cid = format!("{}-c{}-{ticket}", self.instance, audit.seq);
                if let Ok(Some((request, summary))) = self.position_request(&cmd.action, cid) {
                    // Tagged with the signal that opened the position too: it is part of its story.
                    let signal = self
                        .state
                        .positions
                        .get(&ticket)
                        .and_then(|p| self.signal_of(&p.cid));
                    self.execute(vec![Planned { request, summary }], signal, Some(audit.seq))
                        .await;
                }
            }
        }
        verdict
    }

    /// What the gate says to a command: the role first (read-only fails closed), then the mode.
    fn judge(&self, cmd: &Command) -> Reply {
        if !cmd.action.allowed_for(cmd.origin.role) {
            return Reply::Refused {
                reason: match cmd.origin.role {
                    Role::Stranger => format!(
                        "{} is not an operator of this SignalOS: nothing is allowed",
                        cmd.origin
                    ),
                    _ => format!(
                        "{} is read-only: viewers cannot change anything",
                        cmd.origin
                    ),
                },
            };
        }
        let mode = self.state.mode;
        match &cmd.action {
            Action::EmergencyStop => Reply::Accepted {
                detail: format!(
                    "HALTED: closing {} position(s), cancelling {} order(s)",
                    self.state.positions.len(),
                    self.state.orders.len()
                ),
            },
            Action::Pause if mode == Mode::Halted => Reply::Refused {
                reason: "HALTED: resume first (pausing would not reopen anything)".into(),
            },
            Action::Pause if mode == Mode::Paused => Reply::Refused {
                reason: "already PAUSED".into(),
            },
            Action::Pause => Reply::Accepted {
                detail: "PAUSED: no new entries; open trades still managed".into(),
            },
            Action::Resume { .. } if mode == Mode::Active => Reply::Refused {
                reason: "already ACTIVE".into(),
            },
            Action::Resume { reason } if reason.trim().is_empty() => Reply::Refused {
                reason: "a resume needs a reason".into(),
            },
            Action::Resume { .. } => Reply::Accepted {
                detail: format!("ACTIVE (was {mode}): new entries allowed"),
            },
            Action::Stealth { on } if *on == self.state.stealth => Reply::Refused {
                reason: format!("stealth is already {}", if *on { "on" } else { "off" }),
            },
            Action::Stealth { on: true } => Reply::Accepted {
                detail: "STEALTH on: stop losses and take profits are held by SignalOS and taken off the broker — positions are unprotected whenever SignalOS is not running".into(),
            },
            Action::Stealth { on: false } => Reply::Accepted {
                detail: "stealth off: stop losses and take profits go back to the broker".into(),
            },
            Action::Trail { ticket, .. } if !self.state.positions.contains_key(ticket) => {
                Reply::Refused {
                    reason: format!("no open position #{ticket}"),
                }
            }
            Action::Trail { ticket, pips } if !(pips.is_finite() && *pips >= 0.0) => {
                Reply::Refused {
                    reason: format!("#{ticket}: a trailing distance in pips, 0 or more (0: off), not {pips}"),
                }
            }
            Action::Trail { ticket, pips } if *pips == 0.0 => Reply::Accepted {
                detail: format!("#{ticket}: trailing stop off (managed as its signal's rules say)"),
            },
            Action::Trail { ticket, pips } => Reply::Accepted {
                detail: format!("#{ticket}: the stop follows the price {pips} pips behind, once that far in profit"),
            },
            Action::Resync => Reply::Accepted {
                detail: "reconnecting to the terminal to reconcile with its whole picture".into(),
            },
            Action::Report { what } => Reply::Accepted {
                detail: format!("shown: {what}"),
            },
            Action::CancelOrder { ticket } => match (self.state.orders.get(ticket), self.blocked()) {
                (None, _) => Reply::Refused {
                    reason: format!("no pending order #{ticket}"),
                },
                (Some(_), _) if self.ticket_in_flight(*ticket) => Reply::Refused {
                    reason: format!("#{ticket} has a request in flight already"),
                },
                (Some(_), Some(why)) => Reply::Refused { reason: why },
                (Some(o), None) => Reply::Accepted {
                    detail: format!(
                        "cancelling #{ticket}: {} {} {} {} @ {}",
                        o.side,
                        o.order_type,
                        o.volume,
                        o.symbol,
                        o.price
                    ),
                },
            },
            Action::ClosePosition { .. }
            | Action::ClosePart { .. }
            | Action::ModifyPosition { .. }
            | Action::Breakeven { .. } => {
                match (
                    self.position_request(&cmd.action, String::new()),
                    self.blocked(),
                ) {
                    (Err(reason), _) => Reply::Refused { reason },
                    (Ok(Some((request, _))), _) if self.ticket_pending(request.ticket()) => {
                        Reply::Refused {
                            reason: format!(
                                "#{} has a request the broker has not answered yet: try again once it has",
                                request.ticket().unwrap_or_default()
                            ),
                        }
                    }
                    (Ok(_), Some(why)) => Reply::Refused { reason: why },
                    (Ok(request), None) => Reply::Accepted {
                        detail: request.map(|(_, detail)| detail).unwrap_or_default(),
                    },
                }
            }
        }
    }

    /// The request an operator's action on one position makes, with a line for the trader, or
    /// why it cannot be made: checked against the position and the symbol the way the broker
    /// would, so that the refusal comes with a reason before anything is sent.
    fn position_request(
        &self,
        action: &Action,
        cid: String,
    ) -> Result<Option<(BrokerRequest, String)>, String> {
        let ticket = match action {
            Action::ClosePosition { ticket }
            | Action::ClosePart { ticket, .. }
            | Action::ModifyPosition { ticket, .. }
            | Action::Breakeven { ticket } => *ticket,
            _ => return Ok(None),
        };
        let p = self
            .state
            .positions
            .get(&ticket)
            .ok_or_else(|| format!("no open position #{ticket}"))?;
        let spec = self
            .state
            .symbols
            .get(&p.symbol)
            .ok_or_else(|| format!("no specification of {} from the broker", p.symbol))?;
        let quote = self
            .state
            .quotes
            .get(&p.symbol)
            .ok_or_else(|| format!("no price for {} yet", p.symbol))?;
        let close = p.side.close_price(quote);
        let request = match *action {
            Action::ClosePart { fraction, .. } => {
                if !(fraction > 0.0 && fraction <= 1.0) {
                    return Err(format!("a fraction from 0 to 1, not {fraction}"));
                }
                let volume = spec.volume_down(p.volume * fraction);
                if volume < spec.volume_min {
                    return Err(format!(
                        "{:.0}% of {:.2} lots is under the minimum volume {}",
                        fraction * 100.0,
                        p.volume,
                        spec.volume_min
                    ));
                }
                BrokerRequest::Close {
                    cid,
                    ticket,
                    volume: (volume < p.volume - 1e-9).then_some(volume),
                }
            }
            Action::ModifyPosition { sl, tp, .. } => {
                plan::position_levels_ok(p, sl, tp, spec)?;
                BrokerRequest::Modify {
                    cid,
                    ticket,
                    sl: sl.map(|l| spec.round_price(l)),
                    tp: tp.map(|l| spec.round_price(l)),
                }
            }
            Action::Breakeven { .. } => {
                let offset = self.rules.management.breakeven_offset_pips * spec.pip();
                let sl = spec.round_price(p.open_price + p.side.sign() * offset);
                let min = (spec.stops_level as f64).max(1.0) * spec.point;
                if p.side.sign() * (close - sl) < min {
                    return Err(format!(
                        "#{ticket} is not far enough in profit for a stop at breakeven ({sl}; the price is {close})"
                    ));
                }
                BrokerRequest::Modify {
                    cid,
                    ticket,
                    sl: Some(sl),
                    tp: p.tp,
                }
            }
            _ => BrokerRequest::Close {
                cid,
                ticket,
                volume: None,
            },
        };
        let detail = plan::describe(&request, Some(spec));
        Ok(Some((request, detail)))
    }

    /// Persist the mode first, then publish it.
    async fn set_mode(&mut self, mode: Mode, reason: String) -> Result<(), JournalError> {
        self.meta.mode = mode;
        self.meta.mode_reason = reason.clone();
        self.meta.mode_changed_at = now_millis();
        let saved = self.save_meta().await;
        self.emit(Change::Mode { mode, reason });
        saved
    }

    /// Cancel every pending order and close every position not already being closed.
    async fn flatten(&mut self, command: Option<u64>) {
        if !self.ready() {
            warn!("HALTED but the broker is not connected: flattening when it is");
            return;
        }
        let attempt = now_millis();
        let tag = command.map_or_else(|| format!("h{attempt}"), |seq| format!("c{seq}"));
        let mut orders = Vec::new();
        for o in self.state.orders.values() {
            if self.ticket_in_flight(o.ticket) {
                continue;
            }
            let request = BrokerRequest::Cancel {
                cid: format!("{}-{tag}-o{}", self.instance, o.ticket),
                ticket: o.ticket,
            };
            orders.push(Planned {
                summary: plan::describe(&request, None),
                request,
            });
        }
        for p in self.state.positions.values() {
            if self.ticket_in_flight(p.ticket) {
                continue;
            }
            let request = BrokerRequest::Close {
                cid: format!("{}-{tag}-p{}", self.instance, p.ticket),
                ticket: p.ticket,
                volume: None,
            };
            orders.push(Planned {
                summary: plan::describe(&request, None),
                request,
            });
        }
        if !orders.is_empty() {
            info!("HALTED: {} request(s) to flatten the account", orders.len());
        }
        self.execute(orders, None, command).await;
    }
}

/// A follow-up (modify, close) or an edit: it acts on trades an earlier message opened.
fn is_follow_up(record: &SignalRecord) -> bool {
    record.edit > 0 || matches!(record.parsed.kind, SignalKind::Modify | SignalKind::Close)
}

/// Why an answer means the request did not execute; `None` when it did.
fn failure_of(outcome: &TradeOutcome) -> Option<String> {
    match outcome {
        TradeOutcome::Done { .. } => None,
        TradeOutcome::Rejected { retcode, message } => {
            Some(format!("rejected {retcode}: {message}"))
        }
    }
}

/// A decision in the log, at the level it deserves.
fn log_decision(record: &SignalRecord) {
    let seq = record.seq;
    match &record.decision {
        Decision::Refused { reason } => {
            warn!(signal = seq, chat = %record.chat, "refused: {reason}")
        }
        Decision::Executed { summary, .. } => {
            info!(signal = seq, chat = %record.chat, "executing: {summary}")
        }
        Decision::PartlyExecuted { reason, .. } | Decision::NotExecuted { reason, .. } => {
            warn!(signal = seq, chat = %record.chat, "{}: {reason}", record.decision.word())
        }
        Decision::Waiting { reason } => info!(signal = seq, chat = %record.chat, "{reason}"),
        Decision::Ignored { reason } => debug!(signal = seq, "ignored: {reason}"),
    }
}

fn new_instance_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}
