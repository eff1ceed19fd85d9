//! The checks an open must pass before anything is sent, each refusing with a reason a trader
//! can act on. Pure functions of the signal, the market and the engine's state.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::daily::{DailyLimits, LimitAction};
use crate::model::{
    Decision, Millis, Parsed, PendingOrder, Position, Quote, SignalKind, SignalRecord, SymbolSpec,
};

/// How far ahead of this machine's clock a message's date may be (the provider's clock).
const FUTURE_SLACK: Millis = 60_000;

/// `[guards]`: every limit off at 0 or empty, so a config states only the ones it wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardsConfig {
    /// An open without a stop loss gets one this many pips from its entry (0: it is refused,
    /// when `engine.require_sl` is on).
    pub default_sl_pips: f64,
    /// A stop loss, take profit or entry further than this percentage from the live price is a
    /// typo (4150 written 415.0), not a level: refused.
    pub max_level_distance_percent: f64,
    /// Refuse while the spread is wider than this many pips.
    pub max_spread_pips: f64,
    /// Refuse a signal older than this many seconds when it is decided.
    pub max_signal_age_secs: u64,
    /// Refuse a market entry when the price has run more than this many pips past the entry (or
    /// zone) the signal gives.
    pub max_entry_distance_pips: f64,
    /// Refuse the same text from the same chat again within this many seconds.
    pub duplicate_window_secs: u64,
    /// At most this many SignalOS trades (positions and pending orders) open at once.
    pub max_open_trades: usize,
    /// … and at most this many on one symbol.
    pub max_open_trades_per_symbol: usize,
    /// Only these symbols (canonical names) are traded; empty: every symbol.
    pub allow_symbols: Vec<String>,
    /// These symbols are never traded.
    pub block_symbols: Vec<String>,
    /// Days entries are allowed, UTC: "mon" … "sun"; empty: every day.
    pub trading_days: Vec<String>,
    /// Times of day entries are allowed, UTC, as "HH:MM-HH:MM" (may wrap midnight); empty:
    /// all day.
    pub trading_hours: Vec<String>,
    /// Per-symbol limits that replace the ones above for that symbol.
    pub symbols: BTreeMap<String, SymbolGuards>,
    /// Stop for the day once equity is this percentage below the day's start.
    pub daily_loss_limit_percent: f64,
    /// Stop for the day once equity is this percentage below the day's high.
    pub max_drawdown_percent: f64,
    /// What a breached daily limit does: pause, or halt (the emergency stop).
    pub limit_action: LimitAction,
    /// When the trading day starts, UTC "HH:MM": the daily limits start afresh.
    pub day_starts_at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SymbolGuards {
    pub max_spread_pips: Option<f64>,
    pub max_entry_distance_pips: Option<f64>,
}

pub type Refusal = String;

impl GuardsConfig {
    pub fn symbol_allowed(&self, symbol: &str) -> Result<(), Refusal> {
        if self
            .block_symbols
            .iter()
            .any(|s| s.eq_ignore_ascii_case(symbol))
        {
            return Err(format!("{symbol} is in guards.block_symbols"));
        }
        if !self.allow_symbols.is_empty()
            && !self
                .allow_symbols
                .iter()
                .any(|s| s.eq_ignore_ascii_case(symbol))
        {
            return Err(format!(
                "{symbol} is not in guards.allow_symbols ({})",
                self.allow_symbols.join(", ")
            ));
        }
        Ok(())
    }

    pub fn trading_time(&self, now: Millis) -> Result<(), Refusal> {
        let Some(at) = DateTime::<Utc>::from_timestamp_millis(now) else {
            return Ok(());
        };
        if !self.trading_days.is_empty() {
            let today = day_name(at.weekday());
            if !self
                .trading_days
                .iter()
                .any(|d| d.eq_ignore_ascii_case(today))
            {
                return Err(format!(
                    "no entries on {today} (guards.trading_days: {})",
                    self.trading_days.join(", ")
                ));
            }
        }
        if !self.trading_hours.is_empty() {
            let time = at.time();
            let inside = self
                .trading_hours
                .iter()
                .filter_map(|w| parse_window(w).ok())
                .any(|(from, to)| in_window(time, from, to));
            if !inside {
                return Err(format!(
                    "{:02}:{:02} UTC is outside guards.trading_hours ({})",
                    time.hour(),
                    time.minute(),
                    self.trading_hours.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// `sent_at`: when the provider posted it (else when it was received).
    pub fn signal_age(&self, sent_at: Millis, now: Millis) -> Result<(), Refusal> {
        let age = now - sent_at;
        // A date ahead of the clock is a wrong clock or a wrong unit: its age cannot be known.
        if age < -FUTURE_SLACK {
            return Err(format!(
                "the signal is dated {:.0} s in the future: a clock or a date in the wrong unit, so its age is unknown",
                -age as f64 / 1000.0
            ));
        }
        if self.max_signal_age_secs > 0 && age > (self.max_signal_age_secs * 1000) as Millis {
            return Err(format!(
                "the signal is {:.0} s old, more than guards.max_signal_age_secs ({} s)",
                age as f64 / 1000.0,
                self.max_signal_age_secs
            ));
        }
        Ok(())
    }

    pub fn spread(&self, symbol: &str, spec: &SymbolSpec, quote: &Quote) -> Result<(), Refusal> {
        let max = self
            .symbols
            .get(symbol)
            .and_then(|s| s.max_spread_pips)
            .unwrap_or(self.max_spread_pips);
        let spread = (quote.ask - quote.bid) / spec.pip();
        if max > 0.0 && spread > max {
            return Err(format!(
                "the spread of {symbol} is {spread:.1} pips, wider than the {max} allowed"
            ));
        }
        Ok(())
    }

    /// Our trades are the ones with a client order id; manual trades do not count.
    pub fn open_trades(
        &self,
        symbol: &str,
        legs: usize,
        positions: &[&Position],
        orders: &[&PendingOrder],
    ) -> Result<(), Refusal> {
        let ours = positions
            .iter()
            .map(|p| (&p.cid, &p.symbol))
            .chain(orders.iter().map(|o| (&o.cid, &o.symbol)))
            .filter(|(cid, _)| !cid.is_empty());
        let (mut total, mut on_symbol) = (0, 0);
        for (_, s) in ours {
            total += 1;
            if s == symbol {
                on_symbol += 1;
            }
        }
        if self.max_open_trades > 0 && total + legs > self.max_open_trades {
            return Err(format!(
                "{total} trade(s) open and {legs} more would exceed guards.max_open_trades ({})",
                self.max_open_trades
            ));
        }
        if self.max_open_trades_per_symbol > 0 && on_symbol + legs > self.max_open_trades_per_symbol
        {
            return Err(format!(
                "{on_symbol} {symbol} trade(s) open and {legs} more would exceed guards.max_open_trades_per_symbol ({})",
                self.max_open_trades_per_symbol
            ));
        }
        Ok(())
    }

    /// A level far from the live price is a misplaced decimal point or another symbol's price.
    pub fn level_sane(
        &self,
        what: &str,
        level: f64,
        market: f64,
        spec: &SymbolSpec,
    ) -> Result<(), Refusal> {
        let max = self.max_level_distance_percent;
        let off = ((level - market) / market).abs() * 100.0;
        if max > 0.0 && off > max {
            return Err(format!(
                "the {what} {:.*} is {off:.1}% away from the price {:.*}: a typo? (guards.max_level_distance_percent = {max})",
                spec.digits as usize, level, spec.digits as usize, market
            ));
        }
        Ok(())
    }

    /// A market entry after the price has run away from where the signal entered.
    pub fn entry_distance(
        &self,
        symbol: &str,
        entry: (f64, f64),
        market: f64,
        spec: &SymbolSpec,
    ) -> Result<(), Refusal> {
        let max = self
            .symbols
            .get(symbol)
            .and_then(|s| s.max_entry_distance_pips)
            .unwrap_or(self.max_entry_distance_pips);
        let (low, high) = entry;
        let outside = if market < low {
            low - market
        } else if market > high {
            market - high
        } else {
            0.0
        };
        let pips = outside / spec.pip();
        if max > 0.0 && pips > max {
            return Err(format!(
                "the price {:.*} is {pips:.1} pips from the signal's entry, more than the {max} allowed",
                spec.digits as usize, market
            ));
        }
        Ok(())
    }

    /// The same words from the same chat, copied a moment ago: a repost, not a new trade.
    pub fn duplicate<'a>(
        &self,
        signal: &SignalRecord,
        now: Millis,
        recent: impl DoubleEndedIterator<Item = &'a SignalRecord>,
    ) -> Result<(), Refusal> {
        if self.duplicate_window_secs == 0 {
            return Ok(());
        }
        let window = (self.duplicate_window_secs * 1000) as Millis;
        let words = normalized(&signal.text);
        let earlier = recent.rev().find_map(|r| {
            let copied = r.seq != signal.seq
                && r.chat == signal.chat
                && now - r.received_at <= window
                && matches!(
                    r.decision,
                    Decision::Executed { .. }
                        | Decision::PartlyExecuted { .. }
                        | Decision::Waiting { .. }
                );
            if !copied {
                None
            } else if normalized(&r.text) == words {
                Some((r, "the same message"))
            } else if r.msg_id != signal.msg_id && same_ticket(&r.parsed, &signal.parsed) {
                // A repost in other words ("🔁 GOLD BUY again …"): the levels say it is the
                // trade already copied. An edit of that message is the engine's to apply.
                Some((r, "the same trade (symbol, side and levels)"))
            } else {
                None
            }
        });
        match earlier {
            Some((r, what)) => Err(format!(
                "{what} was copied from this chat {:.0} s ago (signal #{}; guards.duplicate_window_secs = {})",
                (now - r.received_at) as f64 / 1000.0,
                r.seq,
                self.duplicate_window_secs
            )),
            None => Ok(()),
        }
    }

    /// The daily limits, for the engine's day book.
    pub fn daily_limits(&self) -> DailyLimits {
        DailyLimits {
            loss_percent: self.daily_loss_limit_percent,
            drawdown_percent: self.max_drawdown_percent,
            day_starts_at: NaiveTime::parse_from_str(&self.day_starts_at, "%H:%M")
                .unwrap_or(NaiveTime::MIN),
        }
    }

    /// Every problem with the values, as `(key, what was expected)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if NaiveTime::parse_from_str(&self.day_starts_at, "%H:%M").is_err() {
            out.push((
                "guards.day_starts_at".into(),
                format!("a UTC time as \"HH:MM\" (not {:?})", self.day_starts_at),
            ));
        }
        for day in &self.trading_days {
            if !DAYS.iter().any(|d| d.eq_ignore_ascii_case(day)) {
                out.push((
                    "guards.trading_days".into(),
                    format!("days among {} (not {day:?})", DAYS.join(", ")),
                ));
            }
        }
        for window in &self.trading_hours {
            if let Err(e) = parse_window(window) {
                out.push(("guards.trading_hours".into(), e));
            }
        }
        for (key, value) in [
            ("default_sl_pips", self.default_sl_pips),
            (
                "max_level_distance_percent",
                self.max_level_distance_percent,
            ),
            ("max_spread_pips", self.max_spread_pips),
            ("max_entry_distance_pips", self.max_entry_distance_pips),
            ("daily_loss_limit_percent", self.daily_loss_limit_percent),
            ("max_drawdown_percent", self.max_drawdown_percent),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                out.push((
                    format!("guards.{key}"),
                    "a number of 0 or more (0: off)".into(),
                ));
            }
        }
        out
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_name(day: Weekday) -> &'static str {
    DAYS[day.num_days_from_monday() as usize]
}

fn parse_window(window: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let bad = || format!("a window of UTC times as \"HH:MM-HH:MM\" (not {window:?})");
    let (from, to) = window.split_once('-').ok_or_else(bad)?;
    let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
    Ok((time(from)?, time(to)?))
}

/// A window from 22:00 to 06:00 wraps midnight.
fn in_window(time: NaiveTime, from: NaiveTime, to: NaiveTime) -> bool {
    if from <= to {
        time >= from && time < to
    } else {
        time >= from || time < to
    }
}

/// Text compared for duplicates: words only, case and spacing ignored.
/// Two opens of one ticket: symbol, side, entry, stop and targets alike, and some level written
/// (two bare "buy gold now" calls may well be two trades).
fn same_ticket(a: &Parsed, b: &Parsed) -> bool {
    a.kind == SignalKind::Open
        && b.kind == SignalKind::Open
        && (a.sl.is_some() || !a.tp.is_empty())
        && a.symbol == b.symbol
        && a.side == b.side
        && a.entry == b.entry
        && a.sl == b.sl
        && a.tp == b.tp
}

fn normalized(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests;
