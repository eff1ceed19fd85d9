//! Orders: executing decisions, broker events and answers, and what they leave in the journal.

use tracing::{debug, error, info, warn};

use crate::api::{Change, Intent, IntentStatus, Link, LinkState};
use crate::broker::{
    BrokerCommand, BrokerEvent, BrokerRequest, CloseReason, OrderRemoval, RETCODE_NOT_SENT,
    TradeOutcome,
};
use crate::engine::plan::Planned;
use crate::model::{Mode, now_millis, signal_of_cid};
use crate::store::{OrderEntry, OrderEvent};

use super::{Engine, InFlight, failure_of};

impl Engine {
    /// Journal every request as an intent, flush, then send them.
    pub(super) async fn execute(
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

    pub(super) async fn on_broker(&mut self, event: BrokerEvent) {
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

    /// Append an order event for `cid`, with the signal its intent belongs to.
    pub(super) fn journal_event(&mut self, cid: &str, event: OrderEvent) {
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
    pub(super) fn note_removal(&mut self, cid: &str, request: &BrokerRequest) {
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
    pub(super) fn closer_of(&self, ticket: u64) -> String {
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
}
