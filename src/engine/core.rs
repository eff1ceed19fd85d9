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

use super::handle::{EngineHandle, Input, Subscription};
use super::plan::Rules;
use crate::api::{Change, Event, Link, LinkState, Snapshot, State};
use crate::broker::{BrokerCommand, BrokerRequest, TradeOutcome};
use crate::model::{Decision, Millis, Mode, SignalKind, SignalRecord, now_millis};
use crate::parse::{Aliases, Vocabulary, Words};
use crate::store::{Journal, JournalError, Meta};

mod gate;
mod orders;
mod reconcile;
mod restore;
mod signals;
mod trades;

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
    /// Its side, so that "close the sells" never finds a buy.
    side: Option<crate::model::Side>,
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
    /// The global `[parser.words]`.
    words: Words,
    /// Each profile's words laid over the global ones, by the profile's place in
    /// `rules.profiles`: made once here, not per message.
    profile_words: Vec<Words>,
}

/// Start the engine on its own task. Returns the handle to reach it and the task to await.
/// Messages are read with `aliases` and `words` (the global ones; each profile's own, from
/// `rules`, are laid over them for its messages).
pub fn spawn(
    rules: Rules,
    aliases: Aliases,
    words: Words,
    journal: Journal,
    broker: mpsc::Sender<BrokerCommand>,
) -> Result<(EngineHandle, JoinHandle<()>), JournalError> {
    let (tx, rx) = mpsc::channel(INPUT_BUFFER);
    let engine = Engine::restore(rules, aliases, words, journal, broker)?;
    let task = tokio::spawn(engine.run(rx));
    Ok((EngineHandle::new(tx), task))
}

impl Engine {
    pub fn state(&self) -> &State {
        &self.state
    }

    /// What a message from `source` and `chat` is read with: the words of the profile that
    /// applies to it (the first, as for its rules), else the global ones.
    fn vocabulary(&self, source: &str, chat: &str) -> Vocabulary<'_> {
        let profile = self
            .rules
            .profiles
            .iter()
            .position(|p| p.applies_to(source, chat));
        Vocabulary {
            aliases: &self.aliases,
            words: profile
                .and_then(|i| self.profile_words.get(i))
                .unwrap_or(&self.words),
        }
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
