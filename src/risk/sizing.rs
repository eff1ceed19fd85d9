//! Position sizing for an open signal: how many lots each take-profit leg gets, and what they lose
//! together if the stop loss is hit.
//!
//! Two modes, as professional copiers offer them: a fixed number of lots per signal, or a
//! percentage of the balance (or equity) lost if every leg is stopped out. Volumes are always
//! rounded down, so a rounding never takes more risk than the configuration allows, and a signal
//! that cannot be sized within its budget is refused with the numbers that say why.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Account, SymbolSpec};

/// Floating-point dust tolerated where a quotient should be whole or a risk equal its budget:
/// `0.3 / 0.01` is `29.999999999999996`, which must still make 30 steps.
const EPSILON: f64 = 1e-9;

/// A risk above this share of the base is a typo, not a strategy.
const MAX_RISK_PERCENT: f64 = 100.0;

/// How lots are chosen for a signal: the `[risk]` section of the configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizingConfig {
    pub mode: SizingMode,
    /// `fixed`: total lots per signal, split across its legs.
    pub lots: f64,
    /// `risk_percent`: percent of the base lost if every leg hits the stop loss.
    pub risk_percent: f64,
    /// `risk_percent`: what the percentage is taken of.
    pub risk_base: RiskBase,
    /// Per-symbol overrides, by canonical name (`XAUUSD`, not the broker's `XAUUSD.m`).
    pub symbols: BTreeMap<String, SymbolSizing>,
    /// At most this many take-profit legs of one signal are copied, one order each.
    pub max_legs: usize,
    /// Relative sizes of the legs, first take profit first (`[0.5, 0.3, 0.2]`); legs beyond
    /// the list take its last weight. Empty: equal legs.
    pub split: Vec<f64>,
    /// Which take profits to copy, 1 for the first (`[1, 3]`); empty: the first `max_legs`.
    pub copy_tps: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizingMode {
    Fixed,
    RiskPercent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskBase {
    Balance,
    /// Balance plus open profit: sizes shrink while other trades are losing.
    Equity,
}

/// One symbol's override; each value applies only in its own mode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SymbolSizing {
    pub lots: Option<f64>,
    pub risk_percent: Option<f64>,
}

/// The volumes for one signal, and the line that explains them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized {
    /// Lots of each leg kept, each a valid volume for the symbol, in the order of the weights.
    pub legs: Vec<f64>,
    /// For each of `legs`, its index in the weights: a leg too small for the broker's minimum
    /// volume is dropped, so the caller must know which take profit each volume belongs to.
    pub kept: Vec<usize>,
    pub total: f64,
    /// Money lost, in the account currency, if every leg is closed at the stop loss.
    pub risk: Option<f64>,
    pub why: String,
}

impl SizingConfig {
    /// Refuse a configuration that could never size a trade, naming the key, so that it fails
    /// when it is loaded rather than at the first signal.
    pub fn check(&self) -> Result<(), String> {
        check_lots("risk.lots", self.lots)?;
        check_percent("risk.risk_percent", self.risk_percent)?;
        for (symbol, o) in &self.symbols {
            if let Some(lots) = o.lots {
                check_lots(&format!("risk.symbols.{symbol}.lots"), lots)?;
            }
            if let Some(percent) = o.risk_percent {
                check_percent(&format!("risk.symbols.{symbol}.risk_percent"), percent)?;
            }
        }
        if self.max_legs == 0 {
            return Err("risk.max_legs = 0: at least one leg is copied".into());
        }
        if let Some(w) = self.split.iter().find(|w| !is_positive(**w)) {
            return Err(format!("risk.split has {w}: every weight must be above 0"));
        }
        if self.copy_tps.contains(&0) {
            return Err("risk.copy_tps has 0: take profits are counted from 1".into());
        }
        Ok(())
    }

    /// The weight of each of `legs` legs.
    pub fn weights(&self, legs: usize) -> Vec<f64> {
        (0..legs)
            .map(|i| match self.split.get(i).or(self.split.last()) {
                Some(w) => *w,
                None => 1.0,
            })
            .collect()
    }

    /// Which of a signal's `count` take profits are copied (0-based), in order.
    pub fn copied_tps(&self, count: usize) -> Vec<usize> {
        let chosen: Vec<usize> = if self.copy_tps.is_empty() {
            (0..count).collect()
        } else {
            self.copy_tps
                .iter()
                .map(|n| n - 1)
                .filter(|i| *i < count)
                .collect()
        };
        chosen.into_iter().take(self.max_legs).collect()
    }

    /// The lots for `symbol`, and the key they come from.
    fn lots_for(&self, symbol: &str) -> (f64, Option<String>) {
        match self.symbols.get(symbol).and_then(|o| o.lots) {
            Some(lots) => (lots, Some(format!("risk.symbols.{symbol}.lots"))),
            None => (self.lots, None),
        }
    }

    fn risk_percent_for(&self, symbol: &str) -> (f64, Option<String>) {
        match self.symbols.get(symbol).and_then(|o| o.risk_percent) {
            Some(p) => (p, Some(format!("risk.symbols.{symbol}.risk_percent"))),
            None => (self.risk_percent, None),
        }
    }
}

/// Money lost, in the account currency, if `volume` lots opened at `entry` are closed at `sl`.
///
/// MT5 defines `tick_value` as what one lot gains or loses per `tick_size` of price, already
/// converted into the account currency by the terminal. Counting ticks and multiplying by it is
/// therefore right for every symbol. `contract_size × distance` is only right when the quote
/// currency is the account currency: on USDJPY or EURJPY it gives yen (150 times too many
/// "dollars"), on an index it ignores the broker's point value, and with a tick larger than a
/// point (some indices move in 0.25 or 1.0) counting points instead of ticks is wrong too.
pub fn money_at_risk(spec: &SymbolSpec, volume: f64, entry: f64, sl: f64) -> f64 {
    (entry - sl).abs() / spec.tick_size * spec.tick_value * volume
}

/// Size an open at `entry` with stop loss `sl` over legs of relative sizes `weights`
/// (`[1.0, 1.0, 1.0]` for equal thirds, `[0.5, 0.3, 0.2]`).
///
/// - `fixed`: the configured lots, split by weight.
/// - `risk_percent`: the lots whose loss at the stop loss is the configured share of the base.
///
/// Each leg is rounded down to the volume step and capped at the volume maximum. While a leg is
/// under the volume minimum, the smallest leg (the last among equals) is dropped and the same
/// total is split again over the rest, so the total never grows and the risk never exceeds the
/// budget.
///
/// Only the distance to the stop matters here; that it is on the right side of the entry is the
/// planner's to check. A balance or equity that is not positive is refused in either mode: such
/// an account cannot open anything.
pub fn size(
    cfg: &SizingConfig,
    spec: &SymbolSpec,
    account: &Account,
    entry: f64,
    sl: Option<f64>,
    weights: &[f64],
) -> Result<Sized, String> {
    check_spec(spec)?;
    if !is_positive(entry) {
        return Err(format!("the entry price {entry} is not a positive number"));
    }
    if let Some(sl) = sl {
        check_stop(spec, entry, sl)?;
    }
    check_weights(weights)?;
    if !is_positive(account.balance) {
        return Err(format!(
            "the account balance {} is not a positive number",
            account.balance
        ));
    }
    if !is_positive(account.equity) {
        return Err(format!(
            "the account equity {} is not a positive number",
            account.equity
        ));
    }
    let symbol = spec.name.as_str();
    let ccy = account.currency.as_str();
    let decimals = lot_decimals(spec.volume_step);
    let lots = |v: f64| format!("{v:.decimals$}");
    let over = |key: &Option<String>| {
        key.as_ref()
            .map_or_else(String::new, |_| format!(" ({symbol} override)"))
    };

    let (target, head) = match cfg.mode {
        SizingMode::Fixed => {
            let (target, key) = cfg.lots_for(symbol);
            let key_name = key.clone().unwrap_or_else(|| "risk.lots".into());
            check_lots(&key_name, target)?;
            if target < spec.volume_min - EPSILON {
                return Err(format!(
                    "{key_name} = {target} is below {symbol}'s minimum volume of {} lots",
                    lots(spec.volume_min)
                ));
            }
            (target, format!("fixed {} lots{}", lots(target), over(&key)))
        }
        SizingMode::RiskPercent => {
            let Some(sl) = sl else {
                return Err(
                    "no stop loss: risk.mode = \"risk_percent\" sizes a trade by the distance to \
                     its stop loss, so a signal without one is refused"
                        .into(),
                );
            };
            let (percent, key) = cfg.risk_percent_for(symbol);
            check_percent(key.as_deref().unwrap_or("risk.risk_percent"), percent)?;
            check_tick_value(spec, ccy)?;
            let (base_name, base) = match cfg.risk_base {
                RiskBase::Balance => ("balance", account.balance),
                RiskBase::Equity => ("equity", account.equity),
            };
            let budget = base * percent / 100.0;
            let per_lot = money_at_risk(spec, 1.0, entry, sl);
            let smallest = per_lot * spec.volume_min;
            if smallest > budget * (1.0 + EPSILON) {
                return Err(format!(
                    "{} lots risk {} {ccy} at SL, more than the {percent:.2}% budget of {} {ccy}",
                    lots(spec.volume_min),
                    money(smallest),
                    money(budget)
                ));
            }
            let target = budget / per_lot;
            let head = format!(
                "{percent:.2}%{} of {base_name} {} {ccy} = {} {ccy} at risk over {:.1} pips → {} lots",
                over(&key),
                money(base),
                money(budget),
                (entry - sl).abs() / spec.pip(),
                lots(floor_to_step(target, 10f64.powi(-(decimals as i32))))
            );
            (target, head)
        }
    };

    let split = split(target, weights, spec);
    if split.legs.is_empty() {
        return Err(format!(
            "{} lots cannot make one leg of {symbol}'s minimum volume {} in steps of {}",
            lots(target),
            lots(spec.volume_min),
            lots(spec.volume_step)
        ));
    }
    let (kept, legs): (Vec<usize>, Vec<f64>) = split.legs.into_iter().unzip();
    let total = round_dust(legs.iter().sum());
    let measurable = is_positive(spec.tick_value);
    let risk = sl
        .filter(|_| measurable)
        .map(|sl| money_at_risk(spec, total, entry, sl));

    let parts: Vec<String> = legs.iter().map(|v| lots(*v)).collect();
    let mut why = format!(
        "{head} in {} leg{} ({}",
        legs.len(),
        if legs.len() == 1 { "" } else { "s" },
        parts.join(" + ")
    );
    if legs.len() > 1 {
        why.push_str(&format!(" = {}", lots(total)));
    }
    why.push(')');
    match (sl, risk) {
        (Some(sl), Some(risk)) => {
            why.push_str(&format!(", {} {ccy} at SL", money(risk)));
            if cfg.mode == SizingMode::Fixed {
                why.push_str(&format!(
                    " over {:.1} pips",
                    (entry - sl).abs() / spec.pip()
                ));
            }
        }
        (Some(_), None) => why.push_str(&format!(
            ", risk at SL unknown: {symbol}'s tick value is {}",
            spec.tick_value
        )),
        (None, _) => why.push_str(", no stop loss"),
    }
    let dropped = weights.len() - legs.len();
    if dropped > 0 {
        why.push_str(&format!(
            "; {dropped} of {} legs dropped (under the {} lot minimum)",
            weights.len(),
            lots(spec.volume_min)
        ));
    }
    if split.capped {
        why.push_str(&format!(
            "; legs capped at the {} lot maximum",
            lots(spec.volume_max)
        ));
    }
    Ok(Sized {
        legs,
        kept,
        total,
        risk,
        why,
    })
}

struct Split {
    /// (index in the weights, lots) of each leg kept.
    legs: Vec<(usize, f64)>,
    capped: bool,
}

/// Split `target` lots by weight into valid volumes, never more than `target` in all.
fn split(target: f64, weights: &[f64], spec: &SymbolSpec) -> Split {
    let mut kept: Vec<(usize, f64)> = weights.iter().copied().enumerate().collect();
    loop {
        let sum: f64 = kept.iter().map(|(_, w)| w).sum();
        let mut capped = false;
        let legs: Vec<(usize, f64)> = kept
            .iter()
            .map(|&(i, w)| {
                let v = floor_to_step(target * w / sum, spec.volume_step);
                capped |= v > spec.volume_max;
                (i, v.min(spec.volume_max))
            })
            .collect();
        // The smallest weight makes the smallest leg: if that one is big enough, all are.
        let smallest = kept
            .iter()
            .enumerate()
            .min_by(|(_, (ia, a)), (_, (ib, b))| a.total_cmp(b).then(ib.cmp(ia)))
            .map(|(at, _)| at);
        match smallest {
            Some(at) if legs[at].1 < spec.volume_min - EPSILON => {
                kept.remove(at);
            }
            _ => return Split { legs, capped },
        }
    }
}

fn floor_to_step(volume: f64, step: f64) -> f64 {
    round_dust((volume / step + EPSILON).floor() * step)
}

/// `0.07 + 0.01` is `0.08000000000000002`: volumes are reported to the broker's precision.
fn round_dust(volume: f64) -> f64 {
    (volume * 1e8).round() / 1e8
}

/// Decimals a volume is shown with: the step's, and at least two as traders write lots.
fn lot_decimals(step: f64) -> usize {
    (2..=8)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6
        })
        .unwrap_or(8)
}

/// `12345.6` → `12,345.60`: only amounts that cannot be negative (a base, a budget, a risk).
fn money(value: f64) -> String {
    let cents = (value.abs() * 100.0).round() as u64;
    let digits = (cents / 100).to_string();
    let mut whole = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            whole.push(',');
        }
        whole.push(c);
    }
    format!("{whole}.{:02}", cents % 100)
}

fn is_positive(x: f64) -> bool {
    x.is_finite() && x > 0.0
}

fn check_lots(key: &str, lots: f64) -> Result<(), String> {
    if is_positive(lots) {
        Ok(())
    } else {
        Err(format!(
            "{key} = {lots}: it must be a positive number of lots"
        ))
    }
}

fn check_percent(key: &str, percent: f64) -> Result<(), String> {
    if is_positive(percent) && percent <= MAX_RISK_PERCENT {
        Ok(())
    } else {
        Err(format!(
            "{key} = {percent}: it must be above 0 and at most {MAX_RISK_PERCENT}"
        ))
    }
}

/// A specification with a zero or missing field would size by a division by zero.
fn check_spec(spec: &SymbolSpec) -> Result<(), String> {
    let fields = [
        ("tick size", spec.tick_size),
        ("volume step", spec.volume_step),
        ("minimum volume", spec.volume_min),
        ("maximum volume", spec.volume_max),
    ];
    for (what, value) in fields {
        if !is_positive(value) {
            return Err(format!(
                "{}'s {what} is {value}: its specification cannot size a trade",
                spec.name
            ));
        }
    }
    if spec.volume_min > spec.volume_max {
        return Err(format!(
            "{}'s minimum volume {} is above its maximum {}",
            spec.name, spec.volume_min, spec.volume_max
        ));
    }
    Ok(())
}

/// MT5 reports a tick value of 0 while it lacks the rate to convert the symbol's profit into the
/// account currency (the converting symbol has no price yet).
fn check_tick_value(spec: &SymbolSpec, ccy: &str) -> Result<(), String> {
    if is_positive(spec.tick_value) {
        Ok(())
    } else {
        Err(format!(
            "{}'s tick value is {}: the terminal cannot yet convert its profit into {ccy}, so the \
             risk cannot be measured",
            spec.name, spec.tick_value
        ))
    }
}

fn check_stop(spec: &SymbolSpec, entry: f64, sl: f64) -> Result<(), String> {
    if !is_positive(sl) {
        return Err(format!("the stop loss {sl} is not a positive number"));
    }
    // Prices come rounded to ticks; closer than one tick, the stop is the entry itself and the
    // size by risk would be unbounded.
    if (entry - sl).abs() / spec.tick_size < 1.0 - 1e-6 {
        return Err(format!(
            "the stop loss {sl} is less than one tick ({}) from the entry {entry}",
            spec.tick_size
        ));
    }
    Ok(())
}

fn check_weights(weights: &[f64]) -> Result<(), String> {
    if weights.is_empty() {
        return Err("no legs to size: the signal has no leg weights".into());
    }
    for (i, w) in weights.iter().enumerate() {
        if !is_positive(*w) {
            return Err(format!(
                "leg {}'s weight {w} is not a positive number",
                i + 1
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
