//! Operator commands: the one gate they all pass.

use tracing::{error, info, warn};

use crate::api::{Action, Command, Reply, Role};
use crate::broker::{BrokerCommand, BrokerRequest};
use crate::engine::plan::{self, Planned};
use crate::model::{Mode, now_millis};
use crate::store::AuditEntry;

use super::Engine;

impl Engine {
    // ---- operator commands: the one gate ---------------------------------------------------

    pub(super) async fn on_command(&mut self, cmd: Command) -> Reply {
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
}
