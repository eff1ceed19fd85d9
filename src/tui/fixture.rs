//! A hand-built replica for rendering tests, told as one coherent session: two positions and a
//! pending order, each from the signal its cid names; signals of every decision, a follow-up
//! among them; four links. Every number agrees with the others (equity is balance plus the
//! floating P&L, each P&L follows from its lots and prices, a leg's levels are its signal's).
//!
//! - #12 Gold VIP, a gold buy in a zone, two legs: leg 1 filled as #1000101, leg 2 refused by
//!   the broker (requote), so the signal reads partly executed. #15 later moved #1000101's stop
//!   to its entry (breakeven).
//! - #13 FX Pro, GBPJPY with no stop loss: refused.
//! - #14 FX Pro, a euro sell: #1000102.
//! - #16 Gold VIP, a gold buy limit: pending order #1000103.
//! - #17 Gold VIP, chatter: ignored.

use crate::api::{DayStatus, Link, LinkState, State};
use crate::model::{
    Account, Decision, Entry, Filling, Millis, Mode, OrderType, Parsed, PendingOrder, Position,
    Quote, Side, SignalKind, SignalRecord, StopLoss, SymbolSpec, Target, TradeMode,
};

/// 2026-11-22 14:03:07 UTC.
pub const NOW: Millis = 1_795_356_187_000;

/// The installation's cid prefix.
pub const INSTANCE: &str = "k3x9";

/// A symbol whose tick is worth one dollar a lot: gold (100 oz a lot, 0.01) and the euro
/// (100,000 a lot, 0.00001).
fn spec(name: &str, digits: u32, contract_size: f64) -> SymbolSpec {
    let point = 10f64.powi(-(digits as i32));
    SymbolSpec {
        name: name.into(),
        description: name.into(),
        digits,
        point,
        tick_size: point,
        tick_value: 1.0,
        contract_size,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 0,
        freeze_level: 0,
        execution: crate::model::Execution::Market,
        filling_modes: vec![Filling::Fok, Filling::Ioc],
        trade_mode: TradeMode::Full,
        margin_rate: 0.01,
    }
}

/// Signal `seq` (message id `seq + 100`), `minutes_ago`; a follow-up names the signal it acts on.
fn signal(
    seq: u64,
    minutes_ago: i64,
    chat: &str,
    text: &str,
    parsed: Parsed,
    decision: Decision,
    follows: Option<u64>,
) -> SignalRecord {
    SignalRecord {
        seq,
        received_at: NOW - minutes_ago * 60_000,
        sent_at: None,
        source: "demo".into(),
        chat: chat.into(),
        msg_id: seq as i64 + 100,
        edit: 0,
        edited_at: None,
        reply_to: follows.map(|s| s as i64 + 100),
        text: text.into(),
        parsed,
        linked: follows,
        decision,
    }
}

/// The cid of leg (or order) `n` of signal `seq`.
pub fn cid(seq: u64, n: usize) -> String {
    format!("{INSTANCE}-s{seq}-{n}")
}

pub fn state(mode: Mode) -> State {
    let mut state = State {
        instance: INSTANCE.into(),
        mode,
        mode_reason: match mode {
            Mode::Active => String::new(),
            Mode::Paused => "paused by console:alice".into(),
            Mode::Halted => "emergency stop by console:alice".into(),
        },
        // Equity is the balance and the two positions' -17.00; the margin is 1 % of each
        // position's value (0.10 × 100 oz × 4152.45 and 0.50 × 100,000 × 1.08516).
        account: Some(Account {
            login: 5_012_345,
            server: "Demo-Server".into(),
            currency: "USD".into(),
            leverage: 100,
            hedging: true,
            balance: 10_079.5,
            equity: 10_062.5,
            margin: 957.83,
            free_margin: 9_104.67,
        }),
        session_start_equity: Some(10_100.0),
        session_realized: 25.0,
        ..State::default()
    };
    for s in [spec("XAUUSD", 2, 100.0), spec("EURUSD", 5, 100_000.0)] {
        state.symbols.insert(s.name.clone(), s);
    }
    state.quotes.insert(
        "XAUUSD".into(),
        Quote {
            bid: 4152.3,
            ask: 4152.6,
            time: NOW,
        },
    );
    state.quotes.insert(
        "EURUSD".into(),
        Quote {
            bid: 1.08512,
            ask: 1.08520,
            time: NOW,
        },
    );
    // Leg 1 of #12, filled in the zone when the signal came; its stop moved to the entry by #15.
    // 0.10 lots × 100 oz × (4152.30 - 4148.50) = +38.00.
    state.positions.insert(
        1_000_101,
        Position {
            ticket: 1_000_101,
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            volume: 0.10,
            open_price: 4148.5,
            open_time: NOW - 190 * 60_000,
            sl: Some(4148.5),
            tp: Some(4155.0),
            current_price: 4152.3,
            profit: 38.0,
            swap: 0.0,
            commission: 0.0,
            cid: cid(12, 1),
        },
    );
    // #14's one leg: 0.50 lots × 100,000 × (1.08410 - 1.08520) = -55.00.
    state.positions.insert(
        1_000_102,
        Position {
            ticket: 1_000_102,
            symbol: "EURUSD".into(),
            side: Side::Sell,
            volume: 0.50,
            open_price: 1.08410,
            open_time: NOW - 12 * 60_000,
            sl: Some(1.08700),
            tp: None,
            current_price: 1.08520,
            profit: -55.0,
            swap: 0.0,
            commission: 0.0,
            cid: cid(14, 1),
        },
    );
    // #16's one leg, waiting below the market.
    state.orders.insert(
        1_000_103,
        PendingOrder {
            ticket: 1_000_103,
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            order_type: OrderType::Limit,
            volume: 0.20,
            price: 4140.0,
            sl: Some(4130.0),
            tp: Some(4160.0),
            placed_at: NOW - 5 * 60_000,
            cid: cid(16, 1),
        },
    );
    let gold_zone = Parsed {
        kind: SignalKind::Open,
        symbol: Some("XAUUSD".into()),
        side: Some(Side::Buy),
        entry: Some(Entry::Zone([4147.0, 4150.0])),
        sl: Some(StopLoss::Price(4140.0)),
        tp: vec![Target::Price(4155.0), Target::Price(4160.0)],
        confidence: 0.96,
        ..Parsed::default()
    };
    let no_sl = Parsed {
        kind: SignalKind::Open,
        symbol: Some("GBPJPY".into()),
        side: Some(Side::Sell),
        entry: Some(Entry::Price(199.5)),
        confidence: 0.81,
        ..Parsed::default()
    };
    let euro = Parsed {
        kind: SignalKind::Open,
        symbol: Some("EURUSD".into()),
        side: Some(Side::Sell),
        entry: Some(Entry::Price(1.0841)),
        sl: Some(StopLoss::Price(1.087)),
        confidence: 0.93,
        ..Parsed::default()
    };
    let breakeven = Parsed {
        kind: SignalKind::Modify,
        sl: Some(StopLoss::Breakeven),
        confidence: 0.9,
        ..Parsed::default()
    };
    let gold_limit = Parsed {
        kind: SignalKind::Open,
        symbol: Some("XAUUSD".into()),
        side: Some(Side::Buy),
        order: Some(OrderType::Limit),
        entry: Some(Entry::Price(4140.0)),
        sl: Some(StopLoss::Price(4130.0)),
        tp: vec![Target::Price(4160.0)],
        confidence: 0.98,
        ..Parsed::default()
    };
    let chatter = Parsed {
        confidence: 0.0,
        ..Parsed::default()
    };
    state.signals.extend([
        signal(
            12,
            190,
            "Gold VIP",
            "XAUUSD BUY 4150-4147 SL 4140 TP 4155 TP 4160",
            gold_zone,
            // Sent as executed; once the broker had answered both legs, partly executed.
            Decision::PartlyExecuted {
                summary: "BUY XAUUSD @ market: fixed 0.20 lots in 2 legs (0.10 + 0.10 = 0.20), \
                          170.00 USD at SL over 85.0 pips"
                    .into(),
                cids: vec![cid(12, 1), cid(12, 2)],
                reason: format!(
                    "1 of 2 order(s) executed; not: {}: rejected 10004: requote",
                    cid(12, 2)
                ),
            },
            None,
        ),
        signal(
            13,
            40,
            "FX Pro",
            "GBPJPY sell now 199.50",
            no_sl,
            Decision::Refused {
                reason: "no stop loss in the message, and engine.require_sl is on \
                         (guards.default_sl_pips is 0)"
                    .into(),
            },
            None,
        ),
        signal(
            14,
            12,
            "FX Pro",
            "EURUSD SELL 1.0841 SL 1.0870",
            euro,
            Decision::Executed {
                summary: "SELL EURUSD @ market: fixed 0.50 lots (EURUSD override) in 1 leg \
                          (0.50), 145.00 USD at SL over 29.0 pips"
                    .into(),
                cids: vec![cid(14, 1)],
            },
            None,
        ),
        signal(
            15,
            9,
            "Gold VIP",
            "Move SL to entry",
            breakeven,
            Decision::Executed {
                summary: "SL to breakeven".into(),
                cids: vec![cid(15, 1)],
            },
            Some(12),
        ),
        signal(
            16,
            5,
            "Gold VIP",
            "XAUUSD BUY LIMIT 4140 SL 4130 TP 4160",
            gold_limit,
            Decision::Executed {
                summary: "BUY XAUUSD @ limit 4140.00: fixed 0.20 lots in 1 leg (0.20), \
                          200.00 USD at SL over 100.0 pips"
                    .into(),
                cids: vec![cid(16, 1)],
            },
            None,
        ),
        signal(
            17,
            3,
            "Gold VIP",
            "What a week team, +320 pips banked and counting",
            chatter,
            Decision::Ignored {
                reason: "not a trade instruction".into(),
            },
            None,
        ),
    ]);
    state.links.insert(
        "broker".into(),
        Link {
            state: LinkState::Synced,
            detail: "synced: 2 position(s), 1 order(s) at the terminal".into(),
        },
    );
    state.links.insert(
        "source:demo".into(),
        Link {
            state: LinkState::Up,
            detail: String::new(),
        },
    );
    state.links.insert(
        "relay".into(),
        Link {
            state: LinkState::Up,
            detail: "2 connected".into(),
        },
    );
    state.day = Some(DayStatus {
        day: "2026-11-22".into(),
        start_equity: 10_150.0,
        high_equity: 10_180.0,
        loss_limit_percent: 3.0,
        drawdown_limit_percent: 0.0,
        tripped: None,
    });
    state.links.insert(
        "source:gold".into(),
        Link {
            state: LinkState::Retrying,
            detail: "Telegram asks to slow down (429): retrying in 7 s".into(),
        },
    );
    state
}

/// #18 Gold VIP, a message the parser could not read, as the engine decides it: unread.
pub fn unread(text: &str) -> SignalRecord {
    let parsed = crate::parse::parse(text);
    let reason = parsed.unread.clone().unwrap_or_default();
    signal(
        18,
        0,
        "Gold VIP",
        text,
        parsed,
        Decision::Unread { reason },
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::signal_of_cid;

    /// The snapshots are only as true as the fixture: every trade comes from an executed signal
    /// of its symbol under one of that signal's cids, every number follows from the others.
    #[test]
    fn the_fixture_agrees_with_itself() {
        let s = state(Mode::Active);
        let book = s
            .positions
            .values()
            .map(|p| (&p.cid, &p.symbol, p.sl, p.tp))
            .chain(s.orders.values().map(|o| (&o.cid, &o.symbol, o.sl, o.tp)));
        for (cid, symbol, sl, tp) in book {
            let seq = signal_of_cid(cid).unwrap_or_else(|| panic!("{cid} names no signal"));
            let record = s
                .signals
                .iter()
                .find(|r| r.seq == seq)
                .unwrap_or_else(|| panic!("{cid}: no signal #{seq}"));
            assert_eq!(record.parsed.kind, SignalKind::Open, "{cid}");
            assert_eq!(record.parsed.symbol.as_ref(), Some(symbol), "{cid}");
            assert!(
                record.decision.cids().contains(cid),
                "{cid} is not among #{seq}'s orders: {:?}",
                record.decision
            );
            // A leg's target is one of its signal's; its stop is the signal's, or was moved.
            assert!(
                tp.is_none_or(|tp| record.parsed.tp.contains(&Target::Price(tp))),
                "{cid}"
            );
            let moved = s.signals.iter().any(|r| r.linked == Some(seq));
            assert!(
                moved || sl.map(StopLoss::Price) == record.parsed.sl,
                "{cid}: SL {sl:?} is not #{seq}'s"
            );
        }
        let Some(account) = s.account.clone() else {
            panic!("the fixture has no account")
        };
        assert!((account.balance + s.floating_pnl() - account.equity).abs() < 1e-9);
        assert!((account.equity - account.margin - account.free_margin).abs() < 1e-9);
        for p in s.positions.values() {
            let mut marked = p.clone();
            marked.mark(&s.quotes[&p.symbol], &s.symbols[&p.symbol]);
            assert!((marked.profit - p.profit).abs() < 1e-6, "{p:?}");
            assert_eq!(marked.current_price, p.current_price, "{p:?}");
        }
        let broker = &s.links["broker"].detail;
        let counts = format!(
            "{} position(s), {} order(s)",
            s.positions.len(),
            s.orders.len()
        );
        assert!(broker.contains(&counts), "{broker}");
    }
}
