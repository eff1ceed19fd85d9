#![allow(clippy::unwrap_used)]

use super::*;

fn off() -> ManagementConfig {
    ManagementConfig {
        breakeven_after_tp: 0,
        breakeven_after_pips: 0.0,
        breakeven_offset_pips: 1.0,
        trailing: Trailing::Off,
        trailing_pips: 0.0,
    }
}

fn gold() -> SymbolSpec {
    crate::broker::sim::default_symbols()
        .into_iter()
        .find(|s| s.name == "XAUUSD")
        .unwrap()
}

/// A gold buy opened at 4150.00 with its stop at 4140.00.
fn buy(ticket: u64) -> Position {
    Position {
        ticket,
        symbol: "XAUUSD".into(),
        side: Side::Buy,
        volume: 0.1,
        open_price: 4150.0,
        open_time: 0,
        sl: Some(4140.0),
        tp: Some(4170.0),
        current_price: 4150.0,
        profit: 0.0,
        swap: 0.0,
        commission: 0.0,
        cid: format!("k-s1-{ticket}"),
    }
}

/// Gold's bid at `bid` (a buy closes at the bid), spread 0.30.
fn at(bid: f64) -> Quote {
    Quote {
        bid,
        ask: bid + 0.3,
        time: 0,
    }
}

#[test]
fn breakeven_after_pips_moves_the_stop_once_far_enough() {
    let spec = gold();
    let mut cfg = off();
    assert_eq!(cfg.on_price(&buy(1), &spec, &at(4160.0)), None);
    cfg.breakeven_after_pips = 50.0;
    // 49 pips (4.90 of gold): not yet.
    assert_eq!(cfg.on_price(&buy(1), &spec, &at(4154.9)), None);
    let m = cfg.on_price(&buy(1), &spec, &at(4155.0)).unwrap();
    // The entry plus one pip of offset.
    assert_eq!(m.sl, 4150.1);
    assert!(m.why.contains("50.0 pips in profit"), "{}", m.why);
    // Already there: nothing more to send.
    let mut done = buy(1);
    done.sl = Some(4150.1);
    assert_eq!(cfg.on_price(&done, &spec, &at(4156.0)), None);
}

#[test]
fn a_trailing_stop_follows_the_price_and_never_steps_back() {
    let spec = gold();
    let mut cfg = off();
    cfg.trailing = Trailing::Pips;
    cfg.trailing_pips = 30.0;
    // 20 pips in profit: the trail has not started.
    assert_eq!(cfg.on_price(&buy(1), &spec, &at(4152.0)), None);
    let m = cfg.on_price(&buy(1), &spec, &at(4160.0)).unwrap();
    assert_eq!(m.sl, 4157.0);
    let mut p = buy(1);
    p.sl = Some(m.sl);
    // The price falls back: the stop stays.
    assert_eq!(cfg.on_price(&p, &spec, &at(4158.0)), None);
    // Up by less than a pip more: not worth a modification.
    assert_eq!(cfg.on_price(&p, &spec, &at(4160.05)), None);
    assert_eq!(cfg.on_price(&p, &spec, &at(4161.0)).unwrap().sl, 4158.0);
}

#[test]
fn a_sell_trails_from_above() {
    let spec = gold();
    let mut cfg = off();
    cfg.trailing = Trailing::Pips;
    cfg.trailing_pips = 30.0;
    let mut p = buy(1);
    p.side = Side::Sell;
    p.sl = Some(4160.0);
    // A sell closes at the ask: 4140.30 is 97 pips in profit, the stop goes to 4143.30.
    let m = cfg.on_price(&p, &spec, &at(4140.0)).unwrap();
    assert_eq!(m.sl, 4143.3);
}

#[test]
fn a_target_hit_moves_the_other_legs_to_breakeven_or_the_previous_target() {
    let spec = gold();
    let targets = [Some(4160.0), Some(4170.0), Some(4180.0)];
    let (two, three) = (buy(2), buy(3));
    let remaining = [&two, &three];
    let mut cfg = off();
    assert!(
        cfg.on_target_hit(1, &targets, &remaining, &spec, &at(4161.0))
            .is_empty()
    );
    cfg.breakeven_after_tp = 1;
    let moves = cfg.on_target_hit(1, &targets, &remaining, &spec, &at(4161.0));
    assert_eq!(moves.len(), 2);
    assert!(moves.iter().all(|m| m.sl == 4150.1), "{moves:?}");
    // Moving targets: after TP2 the stop goes to TP1.
    cfg.trailing = Trailing::Targets;
    let mut three = buy(3);
    three.sl = Some(4150.1);
    let moves = cfg.on_target_hit(2, &targets, &[&three], &spec, &at(4171.0));
    assert_eq!(moves[0].sl, 4160.0);
    assert!(moves[0].why.contains("take profit 1"), "{}", moves[0].why);
}

#[test]
fn a_stop_the_broker_would_refuse_is_not_sent() {
    let spec = gold();
    let mut cfg = off();
    cfg.breakeven_after_tp = 1;
    // The price fell back under the entry: a breakeven stop would be above the bid.
    let moves = cfg.on_target_hit(1, &[Some(4160.0)], &[&buy(2)], &spec, &at(4149.0));
    assert!(moves.is_empty(), "{moves:?}");
}

#[test]
fn bad_values_are_named() {
    let mut cfg = off();
    assert!(cfg.problems().is_empty());
    cfg.trailing_pips = -3.0;
    assert_eq!(cfg.problems()[0].0, "management.trailing_pips");
}
