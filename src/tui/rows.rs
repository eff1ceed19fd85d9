//! The rows each pane lists after its filter: one definition for the keys that move through them
//! and the drawing that shows them, so the selection is always a row on screen.

use tracing::Level;

use crate::api::State;
use crate::model::{PendingOrder, Position, SignalRecord};
use crate::telemetry::LogLine;
use crate::tui::format;

/// Case-insensitive: the emergency-stop key (a capital letter) never types, so filters are typed
/// in lower case.
fn matches(filter: &str, fields: &[&str]) -> bool {
    filter.is_empty() || {
        let filter = filter.to_lowercase();
        fields.iter().any(|f| f.to_lowercase().contains(&filter))
    }
}

/// Open positions by ticket.
pub fn positions<'a>(state: &'a State, filter: &str) -> Vec<&'a Position> {
    state
        .positions
        .values()
        .filter(|p| {
            matches(
                filter,
                &[
                    &p.symbol,
                    &p.side.to_string(),
                    &p.ticket.to_string(),
                    &p.cid,
                ],
            )
        })
        .collect()
}

/// Pending orders by ticket.
pub fn orders<'a>(state: &'a State, filter: &str) -> Vec<&'a PendingOrder> {
    state
        .orders
        .values()
        .filter(|o| {
            matches(
                filter,
                &[
                    &o.symbol,
                    &o.side.to_string(),
                    &o.order_type.to_string(),
                    &o.ticket.to_string(),
                    &o.cid,
                ],
            )
        })
        .collect()
}

/// Signals, newest first.
pub fn signals<'a>(state: &'a State, filter: &str) -> Vec<&'a SignalRecord> {
    state
        .signals
        .iter()
        .rev()
        .filter(|s| {
            matches(
                filter,
                &[
                    &s.chat,
                    &s.text,
                    &format::signal_summary(&s.parsed, &s.text),
                    s.decision.word(),
                    s.decision.detail(),
                ],
            )
        })
        .collect()
}

/// Log lines at or above `level`, oldest first.
pub fn logs<'a>(lines: &'a [LogLine], level: Level, filter: &str) -> Vec<&'a LogLine> {
    lines
        .iter()
        .filter(|l| l.level <= level && matches(filter, &[&l.message, &l.target]))
        .collect()
}
