//! A hand-built replica for rendering tests: two positions, a pending order, signals of every
//! decision, three links.

use crate::engine::{DayStatus, Link, LinkState, State};
use crate::model::{
    Account, Decision, Entry, Filling, Millis, Mode, OrderType, Parsed, PendingOrder, Position,
    Quote, Side, SignalKind, SignalRecord, StopLoss, SymbolSpec, Target, TradeMode,
};

/// 2026-11-22 14:03:07 UTC.
pub const NOW: Millis = 1_795_356_187_000;

fn spec(name: &str, digits: u32, tick_value: f64) -> SymbolSpec {
    let point = 10f64.powi(-(digits as i32));
    SymbolSpec {
        name: name.into(),
        description: name.into(),
        digits,
        point,
        tick_size: point,
        tick_value,
        contract_size: 100.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 0,
        freeze_level: 0,
        filling_modes: vec![Filling::Fok, Filling::Ioc],
        trade_mode: TradeMode::Full,
        margin_rate: 0.01,
    }
}

fn signal(
    seq: u64,
    minutes_ago: i64,
    chat: &str,
    text: &str,
    parsed: Parsed,
    decision: Decision,
) -> SignalRecord {
    SignalRecord {
        seq,
        received_at: NOW - minutes_ago * 60_000,
        sent_at: None,
        source: "demo".into(),
        chat: chat.into(),
        msg_id: seq as i64 + 100,
        edit: 0,
        reply_to: None,
        text: text.into(),
        parsed,
        linked: None,
        decision,
    }
}

pub fn state(mode: Mode) -> State {
    let mut state = State {
        mode,
        mode_reason: match mode {
            Mode::Active => String::new(),
            Mode::Paused => "paused by console:alice".into(),
            Mode::Halted => "emergency stop by console:alice".into(),
        },
        account: Some(Account {
            login: 5_012_345,
            server: "Demo-Server".into(),
            currency: "USD".into(),
            leverage: 100,
            hedging: true,
            balance: 10_000.0,
            equity: 10_062.5,
            margin: 1_230.0,
            free_margin: 8_832.5,
        }),
        session_start_equity: Some(10_100.0),
        session_realized: 25.0,
        ..State::default()
    };
    for s in [spec("XAUUSD", 2, 1.0), spec("EURUSD", 5, 1.0)] {
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
    state.positions.insert(
        1_000_101,
        Position {
            ticket: 1_000_101,
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            volume: 0.10,
            open_price: 4148.5,
            open_time: NOW - (3 * 3600 + 7 * 60) * 1000,
            sl: Some(4140.0),
            tp: Some(4155.0),
            current_price: 4152.3,
            profit: 38.0,
            cid: "k3x9-s12-1".into(),
        },
    );
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
            cid: "k3x9-s14-1".into(),
        },
    );
    state.orders.insert(
        1_000_103,
        PendingOrder {
            ticket: 1_000_103,
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            order_type: OrderType::Limit,
            volume: 0.10,
            price: 4140.0,
            sl: Some(4130.0),
            tp: Some(4160.0),
            placed_at: NOW - 5 * 60_000,
            cid: "k3x9-s12-2".into(),
        },
    );
    let open = Parsed {
        kind: SignalKind::Open,
        symbol: Some("XAUUSD".into()),
        side: Some(Side::Buy),
        entry: Some(Entry::Zone([4150.0, 4147.0])),
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
    let modify = Parsed {
        kind: SignalKind::Modify,
        sl: Some(StopLoss::Breakeven),
        confidence: 0.9,
        ..Parsed::default()
    };
    let close = Parsed {
        kind: SignalKind::Close,
        fraction: Some(0.5),
        confidence: 0.88,
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
            open,
            Decision::Executed {
                summary: "BUY 0.20 XAUUSD in 2 legs".into(),
                cids: vec!["s12-l1".into(), "s12-l2".into()],
            },
        ),
        signal(
            13,
            40,
            "FX Pro",
            "GBPJPY sell now 199.50",
            no_sl,
            Decision::Refused {
                reason: "no stop loss (engine.require_sl)".into(),
            },
        ),
        signal(
            14,
            9,
            "Gold VIP",
            "Move SL to entry",
            modify,
            Decision::Executed {
                summary: "SL→4148.50 on #1000101".into(),
                cids: vec!["s14-m1".into()],
            },
        ),
        signal(
            15,
            3,
            "Gold VIP",
            "What a week team, +320 pips banked and counting",
            chatter,
            Decision::Ignored {
                reason: "not a trade instruction".into(),
            },
        ),
        signal(
            16,
            1,
            "FX Pro",
            "Close half EURUSD",
            close,
            Decision::Executed {
                summary: "close 0.25 of #1000102".into(),
                cids: vec!["s16-c1".into()],
            },
        ),
    ]);
    state.links.insert(
        "broker".into(),
        Link {
            state: LinkState::Synced,
            detail: "synced: 3 position(s), 1 order(s) at the terminal".into(),
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
            detail: "2 viewers".into(),
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
        "source:file".into(),
        Link {
            state: LinkState::Degraded,
            detail: "file not found, retrying".into(),
        },
    );
    state
}
