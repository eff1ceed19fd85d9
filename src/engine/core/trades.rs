//! Trade management: the day's limits, moves, stealth exits, halt and flatten.

use tracing::{error, info, warn};

use crate::api::{Action, Origin, OriginKind, Reply, Role};
use crate::api::{Change, DayStatus};
use crate::broker::BrokerRequest;
use crate::config::{ManagementConfig, Trailing};
use crate::engine::manage::Move;
use crate::engine::plan::{self, Planned};
use crate::model::{Millis, Mode, Position, Quote, now_millis};
use crate::risk::daily::LimitAction;
use crate::store::{AuditEntry, JournalError, OrderEntry, OrderEvent};

use super::{DAY_SAVE_INTERVAL, Engine};

impl Engine {
    /// Keep the day's equity book, and stop trading when a daily limit is reached: pause, or
    /// the emergency stop, recorded in the audit log as the engine's own command.
    pub(super) async fn track_day(&mut self, equity: f64) {
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
    pub(super) fn day_status(&self) -> Option<DayStatus> {
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
    pub(super) async fn manage_on_price(&mut self, symbol: &str, quote: &Quote) {
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
    pub(super) async fn manage_on_target(&mut self, cid: &str) {
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
    pub(super) fn hide(
        &mut self,
        cid: &str,
        sl: Option<f64>,
        tp: Option<f64>,
        signal: Option<u64>,
    ) {
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
    pub(super) async fn set_stealth(&mut self, on: bool, command: u64) {
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
    pub(super) async fn expire_pending(&mut self, now: Millis) {
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
    pub(super) fn signal_of(&self, cid: &str) -> Option<u64> {
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

    /// Persist the mode first, then publish it.
    pub(super) async fn set_mode(
        &mut self,
        mode: Mode,
        reason: String,
    ) -> Result<(), JournalError> {
        self.meta.mode = mode;
        self.meta.mode_reason = reason.clone();
        self.meta.mode_changed_at = now_millis();
        let saved = self.save_meta().await;
        self.emit(Change::Mode { mode, reason });
        saved
    }

    /// Cancel every pending order and close every position not already being closed.
    pub(super) async fn flatten(&mut self, command: Option<u64>) {
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
