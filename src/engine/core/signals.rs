//! Messages: deliveries, decisions, waiting and release, edits and follow-ups.

use std::collections::{HashSet, VecDeque};

use tracing::{debug, error, info, warn};

use crate::api::Change;
use crate::api::RawMessage;
use crate::engine::handle::Delivery;
use crate::engine::plan::{self, Legs, Plan, Planned};
use crate::model::{
    Decision, Millis, Mode, Parsed, SignalKind, SignalRecord, StopLoss, now_millis, signal_cid,
    signal_of_cid,
};

use super::{Awaited, Engine, OpenSignal, is_follow_up};

impl Engine {
    // ---- messages --------------------------------------------------------------------------

    /// A source's batch: each message handled, then the source's cursor saved with them and the
    /// journal flushed, and only then the source told, so that it confirms nothing unjournaled.
    pub(super) async fn on_delivery(&mut self, delivery: Delivery) {
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

    pub(super) async fn on_message(&mut self, mut msg: RawMessage) -> Result<(), String> {
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
        let parsed = crate::parse::parse_with(&msg.text, self.vocabulary(&msg.source, &msg.chat));
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
        self.trade_as(&mut record.parsed);
        let seq = record.seq;
        let parsed = &record.parsed;
        let planned = match parsed.kind {
            _ if record.edit > 0 => self.decide_edit(record),
            SignalKind::None => Err(match &parsed.unread {
                Some(why) => Decision::Unread {
                    reason: why.clone(),
                },
                None => Decision::Ignored {
                    reason: parsed
                        .trace
                        .iter()
                        .find(|t| t.starts_with("kind"))
                        .cloned()
                        .unwrap_or_else(|| "not a trade instruction".into()),
                },
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
    /// A bare ticker read as written ("BTC") trades as the terminal's symbol for it
    /// (`BTCUSD`): the reading says so in its trace.
    fn trade_as(&self, parsed: &mut crate::model::Parsed) {
        let Some(read) = parsed.symbol.as_deref() else {
            return;
        };
        let offered = |s: &str| self.state.symbols.contains_key(s);
        if offered(read) {
            return;
        }
        if let Some(pair) = crate::parse::trading_symbol(read, offered) {
            parsed.trace.push(format!(
                "symbol: {read} trades as {pair}, the terminal's symbol for it"
            ));
            parsed.symbol = Some(pair);
        }
    }

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
        // The provider changed an open the trader holds a copy of, into words the parser cannot
        // read: the copy may now differ from the provider's trade.
        if let Some(why) = &now.unread {
            return Err(Decision::Unread {
                reason: format!(
                    "the edit of signal #{original} is unread, its trades are unchanged: {why}"
                ),
            });
        }
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
            &self.rules.guards,
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
                    side: record.parsed.side,
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
        self.emit(Change::Signal(Box::new(record)));
        self.execute(orders, Some(seq), None).await;
    }

    /// The broker's final word on `cid` (`None`: executed). Once every order of an executed
    /// decision is answered, a decision that did not wholly execute is journaled and shown as
    /// partly executed or not executed, with why.
    pub(super) fn answered(&mut self, cid: &str, failure: Option<String>) {
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
            self.emit(Change::Signal(Box::new(record)));
        }
    }

    /// Decide the signals that waited, oldest first, once what they waited for is there; refuse
    /// opens that waited too long, at any time. A follow-up or an edit waits as long as it
    /// takes: it acts on trades already open, and an exit dropped for its wait would leave one
    /// open that its provider has left.
    pub(super) async fn release_waiting(&mut self) {
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
    /// symbol, when none is named) and the same side (when one is named: "close the shorts")
    /// from the same chat.
    fn link(&self, msg: &SignalRecord) -> Option<u64> {
        let symbol = msg.parsed.symbol.as_deref();
        let side = msg.parsed.side;
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
                o.source == msg.source
                    && o.chat == msg.chat
                    && symbol.is_none_or(|s| s == o.symbol)
                    && side.is_none_or(|s| o.side == Some(s))
            })
            .map(|o| o.seq)
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
        Decision::Unread { reason } => {
            warn!(signal = seq, chat = %record.chat, "unread: {reason}")
        }
    }
}
