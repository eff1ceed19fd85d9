//! The day's loss and drawdown, against the limits that stop trading for the rest of the day.
//!
//! The book is kept in the journal's meta, so a restart neither forgets a loss nor resets the
//! limit; it starts afresh when the trading day turns, at `guards.day_starts_at` (UTC).

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::Millis;

/// What a breached limit does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitAction {
    /// No new entries; open trades are still managed.
    Pause,
    /// The emergency stop: everything is closed and trading halts.
    Halt,
}

/// The limits, from `[guards]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DailyLimits {
    /// Loss since the day began, in percent of the equity it began with (0: off).
    pub loss_percent: f64,
    /// Fall from the day's highest equity, in percent of that high (0: off).
    pub drawdown_percent: f64,
    pub day_starts_at: NaiveTime,
}

/// One trading day's equity: where it started, how high it went, and whether a limit tripped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayBook {
    /// The trading day, as the UTC date it began on ("2026-11-22"); empty before the first.
    pub day: String,
    pub start_equity: f64,
    pub high_equity: f64,
    /// The limit that tripped today, in words: trading stays stopped until the day turns or
    /// an operator resumes, and it trips only once a day.
    pub tripped: Option<String>,
}

impl DayBook {
    /// Take in the account's equity at `now`. Returns the breach, in words, the first time a
    /// limit is reached today.
    pub fn update(&mut self, equity: f64, now: Millis, limits: &DailyLimits) -> Option<String> {
        if !equity.is_finite() || equity <= 0.0 {
            return None;
        }
        let day = trading_day(now, limits.day_starts_at);
        if self.day != day {
            *self = DayBook {
                day,
                start_equity: equity,
                high_equity: equity,
                tripped: None,
            };
            return None;
        }
        self.high_equity = self.high_equity.max(equity);
        if self.tripped.is_some() {
            return None;
        }
        let loss = self.start_equity - equity;
        let loss_percent = loss / self.start_equity * 100.0;
        let drawdown = self.high_equity - equity;
        let drawdown_percent = drawdown / self.high_equity * 100.0;
        let breach = if limits.loss_percent > 0.0 && loss_percent >= limits.loss_percent {
            Some(format!(
                "daily loss limit: equity {equity:.2} is {loss:.2} ({loss_percent:.2}%) below the day's start {:.2}; the limit is {}% (guards.daily_loss_limit_percent)",
                self.start_equity, limits.loss_percent
            ))
        } else if limits.drawdown_percent > 0.0 && drawdown_percent >= limits.drawdown_percent {
            Some(format!(
                "daily drawdown limit: equity {equity:.2} is {drawdown:.2} ({drawdown_percent:.2}%) below the day's high {:.2}; the limit is {}% (guards.max_drawdown_percent)",
                self.high_equity, limits.drawdown_percent
            ))
        } else {
            None
        };
        self.tripped.clone_from(&breach);
        breach
    }
}

/// The trading day `now` falls in, named by the UTC date on which it began: with days starting
/// at 22:00, Tuesday 21:59 still belongs to Monday's.
fn trading_day(now: Millis, starts_at: NaiveTime) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(now).unwrap_or_default();
    (at - (starts_at - NaiveTime::MIN)).date_naive().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32, minute: u32) -> Millis {
        chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap_or_default()
            .and_hms_opt(hour, minute, 0)
            .unwrap_or_default()
            .and_utc()
            .timestamp_millis()
    }

    fn limits(loss: f64, drawdown: f64) -> DailyLimits {
        DailyLimits {
            loss_percent: loss,
            drawdown_percent: drawdown,
            day_starts_at: NaiveTime::MIN,
        }
    }

    #[test]
    fn the_loss_limit_trips_once_and_the_next_day_starts_afresh() {
        let l = limits(3.0, 0.0);
        let mut book = DayBook::default();
        assert_eq!(book.update(10_000.0, at(23, 0, 5), &l), None);
        assert_eq!(book.update(9_750.0, at(23, 9, 0), &l), None);
        // 300 down from 10,000 is 3%.
        let breach = book.update(9_700.0, at(23, 10, 0), &l).expect("tripped");
        assert!(
            breach.contains("300.00 (3.00%) below the day's start 10000.00"),
            "{breach}"
        );
        assert_eq!(book.update(9_600.0, at(23, 11, 0), &l), None, "once a day");
        assert!(book.tripped.is_some());
        // The next day starts from the equity it opens with.
        assert_eq!(book.update(9_600.0, at(24, 0, 1), &l), None);
        assert_eq!(book.start_equity, 9_600.0);
        assert!(book.tripped.is_none());
    }

    #[test]
    fn the_drawdown_is_measured_from_the_day_high() {
        let l = limits(0.0, 2.0);
        let mut book = DayBook::default();
        book.update(10_000.0, at(23, 1, 0), &l);
        book.update(10_500.0, at(23, 2, 0), &l);
        // 10,300 is above the start but 200 (1.9%) under the high: not yet.
        assert_eq!(book.update(10_300.0, at(23, 3, 0), &l), None);
        let breach = book.update(10_290.0, at(23, 4, 0), &l).expect("tripped");
        assert!(breach.contains("below the day's high 10500.00"), "{breach}");
    }

    #[test]
    fn a_day_may_start_at_another_hour() {
        let l = DailyLimits {
            loss_percent: 1.0,
            drawdown_percent: 0.0,
            day_starts_at: NaiveTime::from_hms_opt(22, 0, 0).unwrap_or_default(),
        };
        let mut book = DayBook::default();
        book.update(10_000.0, at(23, 22, 30), &l);
        assert_eq!(book.day, "2026-11-23");
        // Still the same trading day at 21:59 the next calendar day.
        book.update(10_000.0, at(24, 21, 59), &l);
        assert_eq!(book.day, "2026-11-23");
        book.update(10_000.0, at(24, 22, 0), &l);
        assert_eq!(book.day, "2026-11-24");
    }

    #[test]
    fn limits_off_never_trip_and_nonsense_equity_is_ignored() {
        let l = limits(0.0, 0.0);
        let mut book = DayBook::default();
        book.update(10_000.0, at(23, 1, 0), &l);
        assert_eq!(book.update(1.0, at(23, 2, 0), &l), None);
        assert_eq!(book.update(f64::NAN, at(23, 3, 0), &l), None);
        assert_eq!(book.update(-5.0, at(23, 3, 0), &l), None);
        assert_eq!(book.high_equity, 10_000.0);
    }
}
