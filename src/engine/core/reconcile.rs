//! Reconciliation: unknown outcomes, queries, resends, and the hold until the book is known.

use std::collections::HashSet;

use tracing::{debug, error, info, warn};

use crate::api::{Action, Origin, OriginKind, Reply, Role};
use crate::api::{Change, IntentStatus, Link, LinkState};
use crate::broker::{BrokerCommand, BrokerRequest, BrokerSnapshot, CidState};
use crate::engine::plan::{self};
use crate::model::{Millis, Mode, now_millis};
use crate::store::{AuditEntry, OrderEvent};

use super::{Engine, MAX_ATTEMPTS};

impl Engine {
    /// The broker's whole truth after (re)connecting: note what changed while we were away,
    /// settle what the snapshot shows, and ask about the rest before trading again.
    pub(super) async fn on_synced(&mut self, snapshot: BrokerSnapshot) {
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
    pub(super) async fn hold(&mut self, who: &str, reason: String) {
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

    pub(super) async fn on_ready(&mut self) {
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
    pub(super) async fn query(&mut self, cid: &str) {
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

    pub(super) async fn on_found(&mut self, cid: String, found: CidState, ticket: Option<u64>) {
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
            // Placed: the order existed, so the request did what it asked; the book no longer
            // holds it, which the snapshot or the order's removal already told.
            (CidState::Cancelled, BrokerRequest::Place { .. }) => (
                true,
                format!(
                    "placed{at}, then left the book unfilled (cancelled, expired or rejected at activation)"
                ),
            ),
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
            // What the modify would change is gone from the book (closed while its outcome was
            // unknown): sent again it could only be refused, and whether it reached the position
            // first cannot be told.
            (CidState::Absent, &BrokerRequest::Modify { ticket, .. })
                if !self.state.positions.contains_key(&ticket)
                    && !self.state.orders.contains_key(&ticket) =>
            {
                let detail = format!(
                    "#{ticket} is no longer at the terminal: it closed while this change's outcome was unknown, so whether the change reached it first is not known (not sent again)"
                );
                self.settle(&cid, false, detail).await;
                return;
            }
            // A modify or cancel leaves no trace at the terminal: "absent" says nothing, so it is
            // sent again under its cid and the answer tells what is true now.
            (CidState::Absent, BrokerRequest::Modify { .. } | BrokerRequest::Cancel { .. }) => (
                false,
                "the terminal keeps no trace of a modify or cancel".to_string(),
            ),
            (CidState::Absent, _) => (false, "the terminal has no trace of it".to_string()),
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
        let effect = self.visible_effect(&flight.request);
        match (why_not, effect) {
            (Some(why), Some(effect)) => {
                let detail = format!("{effect} ({detail}; not sent again: {why})");
                self.settle(cid, true, detail).await
            }
            (Some(why), None) => {
                self.settle(cid, false, format!("{detail}; not sent again: {why}"))
                    .await
            }
            (None, _) => self.resend(cid, detail).await,
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

    /// Whether the book already shows what a modify or cancel asked for, when it may not be sent
    /// again to ask: the terminal keeps no trace of those cids, so the book is the remaining
    /// witness. (A place or a close leaves an order or deal under its cid: the terminal's word on
    /// them is final.)
    fn visible_effect(&self, request: &BrokerRequest) -> Option<String> {
        match *request {
            BrokerRequest::Place { .. } | BrokerRequest::Close { .. } => None,
            // A filled order is a position now (under the order's ticket), not a cancelled one.
            BrokerRequest::Cancel { ticket, .. } => (!self.state.orders.contains_key(&ticket)
                && !self.state.positions.contains_key(&ticket))
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
    pub(super) async fn settle(&mut self, cid: &str, executed: bool, detail: String) {
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

    pub(super) fn report_if_flat(&self) {
        if self.state.mode == Mode::Halted && self.state.is_flat() {
            info!("HALTED and flat: no position or pending order left");
        }
    }

    /// No answer will come for `cid`: record that, then ask the terminal (now if the link is
    /// up, else after the next snapshot). `link_lost`: the request went with the link before the
    /// terminal could answer, so this attempt does not count towards [`MAX_ATTEMPTS`].
    pub(super) async fn mark_unknown(&mut self, cid: &str, reason: &str, link_lost: bool) {
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
    pub(super) fn ticket_in_flight(&self, ticket: u64) -> bool {
        self.removing.contains_key(&ticket)
            || self.in_flight.values().any(|f| f.ticket() == Some(ticket))
    }

    /// A request on `ticket` is sent and unanswered, or its outcome is unknown.
    pub(super) fn ticket_pending(&self, ticket: Option<u64>) -> bool {
        ticket.is_some_and(|t| {
            self.ticket_in_flight(t) || self.unresolved.values().any(|f| f.ticket() == Some(t))
        })
    }
}
