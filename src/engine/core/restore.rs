//! Restore at start: the engine rebuilt from the journal.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use tokio::sync::{broadcast, mpsc};
use tracing::{info, warn};

use crate::api::{Change, Intent, IntentStatus, Link, LinkState, State};
use crate::broker::{BrokerCommand, BrokerRequest};
use crate::engine::plan::{self, Rules};
use crate::model::{Decision, Millis, SignalKind, SignalRecord, now_millis};
use crate::parse::{Aliases, Words};
use crate::store::{Journal, JournalError, OrderEntry, OrderEvent};

use super::{Awaited, BROKER_LINK, EVENT_BUFFER, Engine, InFlight, OpenSignal, failure_of};

impl Engine {
    /// Rebuild the engine's state from the journal.
    pub fn restore(
        rules: Rules,
        aliases: Aliases,
        words: Words,
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
        for record in journal.recent_signals(crate::api::RECENT_SIGNALS)? {
            state.apply(&Change::Signal(Box::new(latest(record))));
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
                        side: record.parsed.side,
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
                    state.apply(&Change::Signal(Box::new(record)));
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
        let profile_words = rules
            .profiles
            .iter()
            .map(|p| Words::new(&p.parser.words).over(&words))
            .collect();
        let mut engine = Engine {
            request_timeout: rules.engine.request_timeout_ms as Millis,
            rules,
            state,
            seq: 0,
            events: broadcast::channel(EVENT_BUFFER).0,
            instance: meta.instance.clone(),
            aliases,
            profile_words,
            words,
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
}

fn new_instance_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}
