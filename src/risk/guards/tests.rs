#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::{Parsed, Side};

/// Every guard off.
fn off() -> GuardsConfig {
    GuardsConfig {
        default_sl_pips: 0.0,
        max_level_distance_percent: 0.0,
        max_spread_pips: 0.0,
        max_signal_age_secs: 0,
        max_entry_distance_pips: 0.0,
        duplicate_window_secs: 0,
        max_open_trades: 0,
        max_open_trades_per_symbol: 0,
        allow_symbols: vec![],
        block_symbols: vec![],
        trading_days: vec![],
        trading_hours: vec![],
        symbols: BTreeMap::new(),
        daily_loss_limit_percent: 0.0,
        max_drawdown_percent: 0.0,
        limit_action: LimitAction::Pause,
        day_starts_at: "00:00".into(),
    }
}

fn gold() -> SymbolSpec {
    crate::broker::sim::default_symbols()
        .into_iter()
        .find(|s| s.name == "XAUUSD")
        .unwrap()
}

/// 2026-11-23 (a Monday) at this UTC time.
fn monday(hour: u32, minute: u32) -> Millis {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
}

fn position(cid: &str, symbol: &str) -> Position {
    Position {
        ticket: 1,
        symbol: symbol.into(),
        side: Side::Buy,
        volume: 0.1,
        open_price: 4150.0,
        open_time: 0,
        sl: None,
        tp: None,
        current_price: 4150.0,
        profit: 0.0,
        swap: 0.0,
        commission: 0.0,
        cid: cid.into(),
    }
}

fn record(seq: u64, chat: &str, text: &str, at: Millis, decision: Decision) -> SignalRecord {
    SignalRecord {
        seq,
        received_at: at,
        sent_at: None,
        source: "s".into(),
        chat: chat.into(),
        msg_id: seq as i64,
        edit: 0,
        edited_at: None,
        reply_to: None,
        text: text.into(),
        parsed: Parsed::default(),
        linked: None,
        decision,
    }
}

fn executed() -> Decision {
    Decision::Executed {
        summary: String::new(),
        cids: vec![],
    }
}

#[test]
fn block_and_allow_lists() {
    let mut g = off();
    assert!(g.symbol_allowed("XAUUSD").is_ok());
    g.block_symbols = vec!["btcusd".into()];
    let why = g.symbol_allowed("BTCUSD").unwrap_err();
    assert!(why.contains("guards.block_symbols"), "{why}");
    assert!(g.symbol_allowed("XAUUSD").is_ok());
    g.allow_symbols = vec!["XAUUSD".into(), "EURUSD".into()];
    let why = g.symbol_allowed("US30").unwrap_err();
    assert!(
        why.contains("not in guards.allow_symbols (XAUUSD, EURUSD)"),
        "{why}"
    );
    assert!(g.symbol_allowed("eurusd").is_ok());
}

#[test]
fn trading_days_and_hours_in_utc() {
    let mut g = off();
    assert!(g.trading_time(monday(3, 0)).is_ok());
    g.trading_days = vec!["tue".into(), "wed".into()];
    let why = g.trading_time(monday(12, 0)).unwrap_err();
    assert!(why.contains("no entries on mon"), "{why}");
    g.trading_days = vec!["mon".into()];
    g.trading_hours = vec!["07:00-20:00".into()];
    assert!(g.trading_time(monday(7, 0)).is_ok());
    let why = g.trading_time(monday(20, 0)).unwrap_err();
    assert!(
        why.contains("20:00 UTC is outside guards.trading_hours"),
        "{why}"
    );
    // A window may wrap midnight.
    g.trading_hours = vec!["22:00-02:00".into()];
    assert!(g.trading_time(monday(23, 30)).is_ok());
    assert!(g.trading_time(monday(1, 59)).is_ok());
    assert!(g.trading_time(monday(2, 0)).is_err());
}

#[test]
fn an_old_signal_is_refused() {
    let mut g = off();
    assert!(g.signal_age(0, 10_000_000).is_ok());
    g.max_signal_age_secs = 60;
    assert!(g.signal_age(1_000, 61_000).is_ok());
    let why = g.signal_age(1_000, 62_000).unwrap_err();
    assert!(
        why.contains("61 s old, more than guards.max_signal_age_secs (60 s)"),
        "{why}"
    );
}

#[test]
fn a_signal_dated_ahead_of_the_clock_is_refused_whatever_the_age_limit() {
    let g = off();
    assert!(g.signal_age(70_000, 20_000).is_ok());
    let why = g.signal_age(90_000, 20_000).unwrap_err();
    assert!(why.contains("70 s in the future"), "{why}");
}

#[test]
fn a_wide_spread_is_refused_with_per_symbol_limits() {
    let spec = gold();
    // Gold's pip is 0.1: a spread of 0.60 is 6 pips.
    let quote = Quote {
        bid: 4150.0,
        ask: 4150.6,
        time: 0,
    };
    let mut g = off();
    assert!(g.spread("XAUUSD", &spec, &quote).is_ok());
    g.max_spread_pips = 5.0;
    let why = g.spread("XAUUSD", &spec, &quote).unwrap_err();
    assert!(why.contains("6.0 pips, wider than the 5 allowed"), "{why}");
    g.symbols.insert(
        "XAUUSD".into(),
        SymbolGuards {
            max_spread_pips: Some(8.0),
            ..Default::default()
        },
    );
    assert!(g.spread("XAUUSD", &spec, &quote).is_ok());
}

#[test]
fn open_trades_are_capped_in_total_and_per_symbol() {
    let a = position("k-s1-1", "XAUUSD");
    let b = position("k-s1-2", "XAUUSD");
    let manual = position("", "XAUUSD");
    let positions = [&a, &b, &manual];
    let mut g = off();
    assert!(g.open_trades("XAUUSD", 3, &positions, &[]).is_ok());
    g.max_open_trades = 4;
    // Two of ours (the manual one does not count) and three more is five.
    let why = g.open_trades("EURUSD", 3, &positions, &[]).unwrap_err();
    assert!(
        why.contains("2 trade(s) open and 3 more would exceed guards.max_open_trades (4)"),
        "{why}"
    );
    assert!(g.open_trades("EURUSD", 2, &positions, &[]).is_ok());
    g.max_open_trades_per_symbol = 3;
    let why = g.open_trades("XAUUSD", 2, &positions, &[]).unwrap_err();
    assert!(why.contains("2 XAUUSD trade(s) open"), "{why}");
    assert!(g.open_trades("EURUSD", 2, &positions, &[]).is_ok());
}

#[test]
fn a_level_with_a_misplaced_decimal_is_refused() {
    let spec = gold();
    let mut g = off();
    assert!(g.level_sane("stop loss", 415.0, 4150.0, &spec).is_ok());
    g.max_level_distance_percent = 20.0;
    let why = g.level_sane("stop loss", 415.0, 4150.0, &spec).unwrap_err();
    assert!(
        why.contains("the stop loss 415.00 is 90.0% away from the price 4150.00"),
        "{why}"
    );
    assert!(g.level_sane("stop loss", 4100.0, 4150.0, &spec).is_ok());
}

#[test]
fn a_market_entry_after_the_price_ran_is_refused() {
    let spec = gold();
    let mut g = off();
    // The signal said 4140-4145; the price is now 4150.0, 5.0 = 50 pips above the zone.
    assert!(
        g.entry_distance("XAUUSD", (4140.0, 4145.0), 4150.0, &spec)
            .is_ok()
    );
    g.max_entry_distance_pips = 30.0;
    let why = g
        .entry_distance("XAUUSD", (4140.0, 4145.0), 4150.0, &spec)
        .unwrap_err();
    assert!(
        why.contains("50.0 pips from the signal's entry, more than the 30 allowed"),
        "{why}"
    );
    assert!(
        g.entry_distance("XAUUSD", (4140.0, 4145.0), 4147.0, &spec)
            .is_ok()
    );
    // Inside the zone is no distance at all.
    assert!(
        g.entry_distance("XAUUSD", (4140.0, 4160.0), 4150.0, &spec)
            .is_ok()
    );
}

#[test]
fn the_same_message_again_from_the_same_chat_is_a_duplicate() {
    let text = "XAUUSD BUY NOW SL 4140 TP 4160";
    let recent = [
        record(7, "vip", text, 1_000, executed()),
        record(8, "other", "XAUUSD SELL NOW", 1_000, executed()),
    ];
    let new = |chat: &str, text: &str| record(20, chat, text, 0, executed());
    let mut g = off();
    assert!(g.duplicate(&new("vip", text), 2_000, recent.iter()).is_ok());
    g.duplicate_window_secs = 300;
    let why = g
        .duplicate(
            &new("vip", "xauusd  buy now sl 4140 tp 4160"),
            61_000,
            recent.iter(),
        )
        .unwrap_err();
    assert!(
        why.contains("copied from this chat 60 s ago (signal #7"),
        "{why}"
    );
    // Another chat, another text, or after the window: not a duplicate.
    assert!(
        g.duplicate(&new("other", text), 61_000, recent.iter())
            .is_ok()
    );
    let other_levels = new("vip", "XAUUSD BUY NOW SL 4130 TP 4160");
    assert!(g.duplicate(&other_levels, 61_000, recent.iter()).is_ok());
    assert!(
        g.duplicate(&new("vip", text), 302_000, recent.iter())
            .is_ok()
    );
    // A signal is no duplicate of itself (one that waited for the broker is listed already).
    assert!(g.duplicate(&recent[0], 2_000, recent.iter()).is_ok());
    // A refused one was not copied: sending it again is not a duplicate.
    let refused = [record(
        9,
        "vip",
        text,
        1_000,
        Decision::Refused { reason: "x".into() },
    )];
    assert!(
        g.duplicate(&new("vip", text), 2_000, refused.iter())
            .is_ok()
    );
}

/// A repost in other words of a trade already copied is a duplicate too; a ticket with other
/// levels, an edit of the same message, or two bare calls are not.
#[test]
fn the_same_ticket_reposted_in_other_words_is_a_duplicate() {
    use crate::model::{Entry, SignalKind, StopLoss, Target};
    let ticket = |entry: f64, sl: Option<f64>| Parsed {
        kind: SignalKind::Open,
        symbol: Some("XAUUSD".into()),
        side: Some(Side::Buy),
        entry: Some(Entry::Price(entry)),
        sl: sl.map(StopLoss::Price),
        tp: if sl.is_some() {
            vec![Target::Price(4070.0)]
        } else {
            vec![]
        },
        ..Parsed::default()
    };
    let with = |seq: u64, text: &str, parsed: Parsed| SignalRecord {
        parsed,
        ..record(seq, "vip", text, 1_000, executed())
    };
    let first = [with(
        7,
        "GOLD BUY 4050 SL 4040 TP 4070",
        ticket(4050.0, Some(4040.0)),
    )];
    let mut g = off();
    g.duplicate_window_secs = 300;
    let repost = with(
        8,
        "🔁 Reposting: XAUUSD buy @ 4050, stop 4040, target 4070",
        ticket(4050.0, Some(4040.0)),
    );
    let why = g.duplicate(&repost, 31_000, first.iter()).unwrap_err();
    assert!(
        why.contains(
            "the same trade (symbol, side and levels) was copied from this chat 30 s ago (signal #7"
        ),
        "{why}"
    );
    let other = with(
        8,
        "GOLD BUY 4050 SL 4035 TP 4070",
        ticket(4050.0, Some(4035.0)),
    );
    assert!(g.duplicate(&other, 31_000, first.iter()).is_ok());
    let edit = SignalRecord {
        msg_id: 7,
        edit: 1,
        ..repost.clone()
    };
    assert!(g.duplicate(&edit, 31_000, first.iter()).is_ok());
    let bare = [with(7, "Buy gold now", ticket(4050.0, None))];
    let again = with(8, "Gold buy now!", ticket(4050.0, None));
    assert!(g.duplicate(&again, 31_000, bare.iter()).is_ok());
}

#[test]
fn bad_values_are_named() {
    let mut g = off();
    assert!(g.problems().is_empty());
    g.trading_days = vec!["funday".into()];
    g.trading_hours = vec!["7-20".into()];
    g.max_spread_pips = -1.0;
    let keys: Vec<String> = g.problems().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "guards.trading_days",
            "guards.trading_hours",
            "guards.max_spread_pips"
        ]
    );
}
