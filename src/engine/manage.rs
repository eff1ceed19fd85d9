//! Managing open trades: the stop loss moves to breakeven, or trails, as the price and the
//! signal's targets allow. Pure functions: they say where a stop should go, the engine sends it.
//! A stop is only ever tightened, never loosened.

use crate::config::{ManagementConfig, Trailing};
use crate::model::{Position, Quote, Side, SymbolSpec};

/// Where a stop loss should go, and why, for the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub ticket: u64,
    pub sl: f64,
    pub why: String,
}

impl ManagementConfig {
    /// What the price alone does to a position's stop: breakeven after enough pips, trailing.
    pub fn on_price(&self, p: &Position, spec: &SymbolSpec, quote: &Quote) -> Option<Move> {
        let pip = spec.pip();
        let close = p.side.close_price(quote);
        let profit_pips = p.side.sign() * (close - p.open_price) / pip;
        let mut best: Option<Move> = None;
        if self.breakeven_after_pips > 0.0 && profit_pips >= self.breakeven_after_pips {
            best = Some(Move {
                ticket: p.ticket,
                sl: self.breakeven(p, spec),
                why: format!(
                    "breakeven: {profit_pips:.1} pips in profit (management.breakeven_after_pips = {})",
                    self.breakeven_after_pips
                ),
            });
        }
        if self.trailing == Trailing::Pips
            && self.trailing_pips > 0.0
            && profit_pips >= self.trailing_pips
        {
            let sl = spec.round_price(close - p.side.sign() * self.trailing_pips * pip);
            if best
                .as_ref()
                .is_none_or(|b| tighter(p.side, Some(b.sl), sl))
            {
                best = Some(Move {
                    ticket: p.ticket,
                    sl,
                    why: format!("trailing {} pips behind the price", self.trailing_pips),
                });
            }
        }
        best.filter(|m| worth_moving(p, spec, m.sl) && placeable(p.side, spec, close, m.sl))
    }

    /// What take profit `n` (1 for the first) of a signal being hit does to its other legs'
    /// stops. `targets[i]` is the take profit of leg i+1.
    pub fn on_target_hit(
        &self,
        n: usize,
        targets: &[Option<f64>],
        remaining: &[&Position],
        spec: &SymbolSpec,
        quote: &Quote,
    ) -> Vec<Move> {
        remaining
            .iter()
            .filter_map(|p| {
                let mut best: Option<Move> = None;
                if self.breakeven_after_tp > 0 && n >= self.breakeven_after_tp {
                    best = Some(Move {
                        ticket: p.ticket,
                        sl: self.breakeven(p, spec),
                        why: format!(
                            "breakeven: take profit {n} hit (management.breakeven_after_tp = {})",
                            self.breakeven_after_tp
                        ),
                    });
                }
                if self.trailing == Trailing::Targets {
                    let target = match n {
                        1 => Some(self.breakeven(p, spec)),
                        _ => targets.get(n - 2).copied().flatten(),
                    };
                    if let Some(sl) = target
                        && best
                            .as_ref()
                            .is_none_or(|b| tighter(p.side, Some(b.sl), sl))
                    {
                        best = Some(Move {
                            ticket: p.ticket,
                            sl,
                            why: format!(
                                "take profit {n} hit: the stop moves to {}",
                                if n == 1 {
                                    "breakeven".to_string()
                                } else {
                                    format!("take profit {}", n - 1)
                                }
                            ),
                        });
                    }
                }
                let close = p.side.close_price(quote);
                best.filter(|m| worth_moving(p, spec, m.sl) && placeable(p.side, spec, close, m.sl))
            })
            .collect()
    }

    fn breakeven(&self, p: &Position, spec: &SymbolSpec) -> f64 {
        spec.round_price(p.open_price + p.side.sign() * self.breakeven_offset_pips * spec.pip())
    }
}

/// A stop at `new` protects more than one at `current`.
fn tighter(side: Side, current: Option<f64>, new: f64) -> bool {
    match current {
        None => true,
        Some(sl) => side.sign() * (new - sl) > 0.0,
    }
}

/// Tighter by at least a pip: smaller moves would flood the broker with modifications.
fn worth_moving(p: &Position, spec: &SymbolSpec, sl: f64) -> bool {
    match p.sl {
        None => true,
        Some(current) => p.side.sign() * (sl - current) >= spec.pip() - spec.point / 2.0,
    }
}

/// The broker accepts a stop only on the losing side of the price, and at least the stops level
/// away from it.
fn placeable(side: Side, spec: &SymbolSpec, close: f64, sl: f64) -> bool {
    side.sign() * (close - sl) >= (spec.stops_level as f64).max(1.0) * spec.point
}

#[cfg(test)]
mod tests;
