//! The state in words for a phone: short lines, plain text (nothing Telegram could read as
//! markup), signs and words rather than colours. The numbers read as the console writes them.

use crate::api::State;
use crate::broker::CloseReason;
use crate::model::{Link, LinkState, PendingOrder, Position, SignalRecord};
use crate::tui::format;

/// How many signals `/signals` lists.
pub const RECENT: usize = 5;

/// `/status`: mode, account, day P&L, links.
pub fn status(state: &State) -> String {
    let mut lines = vec![mode(state)];
    match &state.account {
        None => lines.push("No account yet: the broker has not reported.".into()),
        Some(account) => {
            lines.push(format!(
                "Balance {} {} · Equity {}",
                format::amount(account.balance),
                account.currency,
                format::amount(account.equity)
            ));
            if let Some(day) = &state.day {
                let mut line =
                    format!("Day P&L {}", format::pnl(account.equity - day.start_equity));
                if day.loss_limit_percent > 0.0 {
                    line.push_str(&format!(
                        " (daily loss limit -{})",
                        format::amount(day.start_equity * day.loss_limit_percent / 100.0)
                    ));
                }
                if let Some(tripped) = &day.tripped {
                    line.push_str(&format!(" · LIMIT HIT: {tripped}"));
                }
                lines.push(line);
            }
        }
    }
    lines.push(format!(
        "{} position(s) {}, {} pending order(s)",
        state.positions.len(),
        format::pnl(state.floating_pnl()),
        state.orders.len()
    ));
    // A working link's detail is what it said when it came up ("synced: 6 position(s)"), stale
    // by now: the counts above are the state's. A lost link's detail says why.
    for (name, link) in &state.links {
        if link_up(link.state) == Some(true) {
            lines.push(format!("{name}: {}", link.state.to_string().to_uppercase()));
        } else {
            lines.push(link_line(name, link));
        }
    }
    lines.join("\n")
}

/// The mode, and why it is so.
pub fn mode(state: &State) -> String {
    if state.mode_reason.is_empty() {
        state.mode.to_string()
    } else {
        format!("{} — {}", state.mode, state.mode_reason)
    }
}

fn link_line(name: &str, link: &Link) -> String {
    let word = link.state.to_string().to_uppercase();
    if link.detail.is_empty() {
        format!("{name}: {word}")
    } else {
        format!("{name}: {word} ({})", link.detail)
    }
}

/// Whether a link is working (`Some(true)`), lost (`Some(false)`), or on its way up.
pub fn link_up(state: LinkState) -> Option<bool> {
    match state {
        LinkState::Synced | LinkState::Up => Some(true),
        LinkState::Down | LinkState::Retrying | LinkState::Degraded => Some(false),
        LinkState::Connecting | LinkState::Handshaking => None,
    }
}

/// A lost or recovered link, for a notification.
pub fn link_change(name: &str, link: &Link, up: bool) -> String {
    if up {
        format!("BACK: {}", link_line(name, link))
    } else {
        format!("LOST: {}", link_line(name, link))
    }
}

/// `/positions`.
pub fn positions(state: &State) -> String {
    if state.positions.is_empty() {
        return "No open positions.".into();
    }
    let mut lines: Vec<String> = state
        .positions
        .values()
        .map(|p| position(state, p))
        .collect();
    lines.push(format!("Floating {}", format::pnl(state.floating_pnl())));
    lines.join("\n")
}

/// `#123 BUY 0.10 XAUUSD open 2345.10 now 2350.00 SL 2335.00 TP 2355.00 P&L +49.00 (signal #4)`
pub fn position(state: &State, p: &Position) -> String {
    let digits = digits(state, &p.symbol);
    format!(
        "#{} {} {} {} open {} now {}{} P&L {} ({})",
        p.ticket,
        p.side,
        format::lots(p.volume),
        p.symbol,
        format::price(p.open_price, digits),
        format::price(p.current_price, digits),
        levels(p.sl, p.tp, digits),
        format::pnl(p.net_profit()),
        signal(state, &p.cid)
    )
}

/// `/orders`.
pub fn orders(state: &State) -> String {
    if state.orders.is_empty() {
        return "No pending orders.".into();
    }
    state
        .orders
        .values()
        .map(|o| order(state, o))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `#124 BUY LIMIT 0.10 XAUUSD @ 2340.00 SL 2330.00 (signal #4)`
pub fn order(state: &State, o: &PendingOrder) -> String {
    let digits = digits(state, &o.symbol);
    format!(
        "#{} {} {} {} {} @ {}{} ({})",
        o.ticket,
        o.side,
        o.order_type.to_string().to_uppercase(),
        format::lots(o.volume),
        o.symbol,
        format::price(o.price, digits),
        levels(o.sl, o.tp, digits),
        signal(state, &o.cid)
    )
}

/// `/signals`: the last few, newest first, each with what was decided and why.
pub fn signals(state: &State) -> String {
    if state.signals.is_empty() {
        return "No signals yet.".into();
    }
    state
        .signals
        .iter()
        .rev()
        .take(RECENT)
        .map(|s| format!("{}{}\n→ {}", signal_line(s), what_of(s), decision(s)))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `#7 14:03 vip: OPEN XAUUSD BUY 2345 SL 2335 TP 2355`
pub fn signal_line(s: &SignalRecord) -> String {
    format!(
        "#{} {} {}: {}",
        s.seq,
        format::minute(s.received_at),
        s.chat,
        format::signal_summary(&s.parsed, &s.text)
    )
}

/// What a signal is besides a new message: ` (edit 1 of #5)`, ` (follow-up to #5)`.
fn what_of(s: &SignalRecord) -> String {
    let of = s.linked.map(|l| format!(" of #{l}")).unwrap_or_default();
    if s.edit > 0 {
        format!(" (edit {}{of})", s.edit)
    } else if s.reply_to.is_some() || s.linked.is_some() {
        match s.linked {
            Some(l) => format!(" (follow-up to #{l})"),
            None => " (follow-up)".into(),
        }
    } else {
        String::new()
    }
}

/// `refused: the spread is 45 points, above 30`
pub fn decision(s: &SignalRecord) -> String {
    let detail = s.decision.detail();
    if detail.is_empty() {
        s.decision.word().to_string()
    } else {
        format!("{}: {detail}", s.decision.word())
    }
}

/// A closed position: what it was, where it closed, its profit and why.
pub fn closed(state: &State, p: &Position, price: f64, profit: f64, reason: CloseReason) -> String {
    let digits = digits(state, &p.symbol);
    let currency = state
        .account
        .as_ref()
        .map(|a| format!(" {}", a.currency))
        .unwrap_or_default();
    let by = match reason {
        CloseReason::StopLoss => "stop loss",
        CloseReason::TakeProfit => "take profit",
        CloseReason::Request => "closed by request",
        CloseReason::StopOut => "STOP OUT by the broker",
    };
    format!(
        "CLOSED #{} {} {} {} {} → {}: {}{currency} ({by}, {})",
        p.ticket,
        p.side,
        format::lots(p.volume),
        p.symbol,
        format::price(p.open_price, digits),
        format::price(price, digits),
        format::pnl(profit),
        signal(state, &p.cid)
    )
}

fn levels(sl: Option<f64>, tp: Option<f64>, digits: Option<u32>) -> String {
    let mut out = String::new();
    if let Some(sl) = sl {
        out.push_str(&format!(" SL {}", format::price(sl, digits)));
    }
    if let Some(tp) = tp {
        out.push_str(&format!(" TP {}", format::price(tp, digits)));
    }
    out
}

fn digits(state: &State, symbol: &str) -> Option<u32> {
    state.symbols.get(symbol).map(|s| s.digits)
}

/// "signal #4", "orphan", "not from SignalOS".
fn signal(state: &State, cid: &str) -> String {
    match format::signal_of(cid, &state.instance) {
        s if s.starts_with('#') => format!("signal {s}"),
        s if s == "orphan" => "another journal's trade".into(),
        _ => "not from SignalOS".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mode;
    use crate::tui::fixture;

    #[test]
    fn status_reads_on_a_phone() {
        let state = fixture::state(Mode::Paused);
        assert_eq!(
            status(&state),
            "PAUSED — paused by console:alice\n\
             Balance 10,079.50 USD · Equity 10,062.50\n\
             Day P&L -87.50 (daily loss limit -304.50)\n\
             2 position(s) -17.00, 1 pending order(s)\n\
             broker: SYNCED\n\
             relay: UP\n\
             source:demo: UP\n\
             source:gold: RETRYING (Telegram asks to slow down (429): retrying in 7 s)"
        );
        assert_eq!(
            status(&State::default()),
            "ACTIVE\nNo account yet: the broker has not reported.\n0 position(s) 0.00, 0 pending order(s)"
        );
    }

    #[test]
    fn trades_and_signals_read_with_their_tickets_and_reasons() {
        let state = fixture::state(Mode::Active);
        assert_eq!(
            positions(&state),
            "#1000101 BUY 0.10 XAUUSD open 4148.50 now 4152.30 SL 4148.50 TP 4155.00 P&L +38.00 (signal #12)\n\
             #1000102 SELL 0.50 EURUSD open 1.08410 now 1.08520 SL 1.08700 P&L -55.00 (signal #14)\n\
             Floating -17.00"
        );
        assert_eq!(
            orders(&state),
            "#1000103 BUY LIMIT 0.20 XAUUSD @ 4140.00 SL 4130.00 TP 4160.00 (signal #16)"
        );
        let signals = signals(&state);
        assert_eq!(signals.matches("\n→ ").count(), RECENT);
        assert!(
            signals
                .contains("FX Pro: OPEN GBPJPY SELL 199.5\n→ refused: no stop loss in the message"),
            "{signals}"
        );
        assert!(
            !signals.contains("#12 "),
            "only the last {RECENT}: {signals}"
        );
    }

    #[test]
    fn an_edit_and_a_follow_up_are_marked_in_signals() {
        let mut state = fixture::state(Mode::Active);
        let mut edit = state
            .signals
            .back()
            .cloned()
            .unwrap_or_else(|| unreachable!());
        edit.seq += 1;
        edit.edit = 1;
        edit.linked = Some(5);
        state.signals.push_back(edit.clone());
        let mut follow = edit;
        follow.seq += 1;
        follow.edit = 0;
        follow.reply_to = Some(3);
        state.signals.push_back(follow);
        let signals = signals(&state);
        assert!(signals.contains(" (edit 1 of #5)\n→ "), "{signals}");
        assert!(signals.contains(" (follow-up to #5)\n→ "), "{signals}");
    }
}
