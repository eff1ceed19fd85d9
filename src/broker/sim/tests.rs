// Tests state their expectations by unwrapping: a panic here is a failed check.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::broker::BrokerSnapshot;

/// 2026-01-01T00:00:00Z.
const T0: Millis = 1_767_225_600_000;

fn config(hedging: bool) -> SimConfig {
    SimConfig {
        seed: 42,
        balance: 10_000.0,
        leverage: 100,
        hedging,
    }
}

fn hedging_sim() -> SimAccount {
    SimAccount::new(&config(true), T0)
}

fn netting_sim() -> SimAccount {
    SimAccount::new(&config(false), T0)
}

fn place(cid: &str, symbol: &str, side: Side, volume: f64) -> BrokerRequest {
    BrokerRequest::Place {
        cid: cid.to_string(),
        symbol: symbol.to_string(),
        side,
        order_type: OrderType::Market,
        volume,
        price: None,
        sl: None,
        tp: None,
    }
}

fn with_stops(
    mut request: BrokerRequest,
    new_sl: Option<f64>,
    new_tp: Option<f64>,
) -> BrokerRequest {
    if let BrokerRequest::Place { sl, tp, .. } = &mut request {
        *sl = new_sl;
        *tp = new_tp;
    }
    request
}

fn pending(
    cid: &str,
    symbol: &str,
    side: Side,
    order_type: OrderType,
    volume: f64,
    at: Option<f64>,
) -> BrokerRequest {
    let mut request = place(cid, symbol, side, volume);
    if let BrokerRequest::Place {
        order_type: t,
        price,
        ..
    } = &mut request
    {
        *t = order_type;
        *price = at;
    }
    request
}

fn close(cid: &str, ticket: u64, volume: Option<f64>) -> BrokerRequest {
    BrokerRequest::Close {
        cid: cid.to_string(),
        ticket,
        volume,
    }
}

fn modify(cid: &str, ticket: u64, sl: Option<f64>, tp: Option<f64>) -> BrokerRequest {
    BrokerRequest::Modify {
        cid: cid.to_string(),
        ticket,
        sl,
        tp,
    }
}

fn outcome(events: &[BrokerEvent]) -> TradeOutcome {
    match events.last() {
        Some(BrokerEvent::Result { outcome, .. }) => outcome.clone(),
        other => panic!("the last event is not a Result: {other:?}"),
    }
}

fn done(events: &[BrokerEvent]) -> (u64, Option<f64>, Option<f64>) {
    match outcome(events) {
        TradeOutcome::Done {
            ticket,
            price,
            volume,
        } => (ticket, price, volume),
        rejected => panic!("expected Done, got {rejected:?}"),
    }
}

fn ticket(events: &[BrokerEvent]) -> u64 {
    done(events).0
}

fn retcode(events: &[BrokerEvent]) -> u32 {
    match outcome(events) {
        TradeOutcome::Rejected { retcode, message } => {
            assert!(!message.is_empty());
            retcode
        }
        done => panic!("expected a rejection, got {done:?}"),
    }
}

fn quote(sim: &mut SimAccount, symbol: &str, bid: f64, ask: f64) -> Vec<BrokerEvent> {
    sim.set_quote(symbol, bid, ask, T0).unwrap()
}

fn closed(events: &[BrokerEvent]) -> Vec<(u64, f64, f64, CloseReason)> {
    events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::PositionClosed {
                ticket,
                price,
                profit,
                reason,
                ..
            } => Some((*ticket, *price, *profit, *reason)),
            _ => None,
        })
        .collect()
}

#[track_caller]
fn assert_near(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-6,
        "{actual} is not {expected}"
    );
}

#[test]
fn default_symbols_look_like_mt5() {
    let symbols = default_symbols();
    let names: Vec<_> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "XAUUSD", "EURUSD", "GBPUSD", "USDJPY", "US30", "NAS100", "BTCUSD"
        ]
    );
    let spec = |name: &str| symbols.iter().find(|s| s.name == name).unwrap().clone();
    let eurusd = spec("EURUSD");
    assert_eq!(eurusd.digits, 5);
    assert_near(eurusd.point, 0.00001);
    assert_near(eurusd.tick_value, 1.0);
    assert_near(eurusd.contract_size, 100_000.0);
    assert_near(eurusd.margin_rate, 0.01);
    let gold = spec("XAUUSD");
    assert_eq!(gold.digits, 2);
    assert_near(gold.tick_value, 1.0);
    assert_near(spec("USDJPY").tick_value, 0.001 * 100_000.0 / 155.0);
    assert_near(spec("BTCUSD").volume_max, 10.0);
    for s in &symbols {
        assert!(s.tick_value > 0.0 && s.volume_min > 0.0 && s.volume_step > 0.0);
        assert_near(s.point, 10f64.powi(-(s.digits as i32)));
    }
}

#[test]
fn start_prices_and_spreads_are_plausible() {
    let sim = hedging_sim();
    let q = sim.quote("XAUUSD").unwrap();
    assert_near(q.ask - q.bid, 0.25);
    assert!((q.bid - 4150.0).abs() < 1.0);
    let q = sim.quote("EURUSD").unwrap();
    assert!((q.ask - q.bid - 0.0001).abs() < 1e-9);
    let q = sim.quote("USDJPY").unwrap();
    assert!((q.ask - q.bid - 0.012).abs() < 1e-9);
    assert!(sim.quote("NOPE").is_none());
}

#[test]
fn eurusd_one_lot_makes_100_usd_on_ten_pips() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let events = sim.handle(&place("c1", "EURUSD", Side::Buy, 1.0), T0);
    assert_eq!(done(&events).1, Some(1.16010));
    quote(&mut sim, "EURUSD", 1.16110, 1.16120);
    let position = &sim.positions()[0];
    assert_near(position.current_price, 1.16110);
    assert_near(position.profit, 100.0);
    assert_near(sim.account().balance, 10_000.0);
    assert_near(sim.account().equity, 10_100.0);
    // 1 lot of EURUSD at 1.16010 and 1:100 holds 1160.10 USD.
    assert_near(sim.account().margin, 1160.10);
    assert_near(sim.account().free_margin, 10_100.0 - 1160.10);
}

#[test]
fn gold_tenth_of_a_lot_makes_100_usd_on_ten_dollars() {
    let mut sim = hedging_sim();
    quote(&mut sim, "XAUUSD", 4150.00, 4150.25);
    let events = sim.handle(&place("g", "XAUUSD", Side::Buy, 0.10), T0);
    assert_eq!(done(&events).1, Some(4150.25));
    quote(&mut sim, "XAUUSD", 4160.25, 4160.50);
    assert_near(sim.positions()[0].profit, 100.0);
}

#[test]
fn usdjpy_tick_value_follows_the_price() {
    let mut sim = hedging_sim();
    quote(&mut sim, "USDJPY", 160.000, 160.012);
    let tick_value = 0.001 * 100_000.0 / 160.006;
    assert_near(sim.symbol("USDJPY").unwrap().tick_value, tick_value);
    let BrokerEvent::Synced(BrokerSnapshot { symbols, .. }) = sim.synced() else {
        panic!("synced() must give Synced");
    };
    let synced = symbols.iter().find(|s| s.name == "USDJPY").unwrap();
    assert_near(synced.tick_value, tick_value);

    quote(&mut sim, "USDJPY", 155.000, 155.012);
    sim.handle(&place("j", "USDJPY", Side::Buy, 1.0), T0);
    quote(&mut sim, "USDJPY", 156.012, 156.024);
    // 1000 ticks of 0.001 on 100,000 USD are 100,000 JPY, worth 100,000 / 156.018 USD, in cents.
    assert_near(sim.positions()[0].profit, 640.95);
    // USD is the base: the notional is the contract itself, whatever the price.
    assert_near(sim.account().margin, 1000.0);
}

#[test]
fn volumes_off_the_step_or_range_are_invalid_volume() {
    let mut sim = hedging_sim();
    for volume in [
        0.015,
        0.0,
        -1.0,
        0.001,
        100.01,
        1e300,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let events = sim.handle(
            &place(&format!("v{volume}"), "EURUSD", Side::Buy, volume),
            T0,
        );
        assert_eq!(events.len(), 1, "a rejection is only the Result");
        assert_eq!(retcode(&events), RETCODE_INVALID_VOLUME, "volume {volume}");
    }
    let events = sim.handle(&place("us30", "US30", Side::Buy, 0.05), T0);
    assert_eq!(retcode(&events), RETCODE_INVALID_VOLUME);
    let TradeOutcome::Rejected { message, .. } = outcome(&events) else {
        unreachable!()
    };
    assert!(
        message.contains("US30") && message.contains("0.1"),
        "{message}"
    );
    // Float arithmetic must not turn a valid volume into an invalid one.
    let events = sim.handle(&place("ok", "EURUSD", Side::Buy, 0.1 + 0.2), T0);
    assert_eq!(done(&events).2, Some(0.3));
    assert!(sim.positions().iter().all(|p| p.volume == 0.3));
}

#[test]
fn unknown_symbol_is_invalid_request() {
    let mut sim = hedging_sim();
    let events = sim.handle(&place("x", "EURUSDm", Side::Buy, 0.1), T0);
    assert_eq!(retcode(&events), RETCODE_INVALID);
    let TradeOutcome::Rejected { message, .. } = outcome(&events) else {
        unreachable!()
    };
    assert!(
        message.starts_with("invalid request: unknown symbol"),
        "{message}"
    );
}

#[test]
fn stops_on_the_wrong_side_are_invalid_stops() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let buy_sl_above = with_stops(place("a", "EURUSD", Side::Buy, 0.1), Some(1.17), None);
    assert_eq!(
        retcode(&sim.handle(&buy_sl_above, T0)),
        RETCODE_INVALID_STOPS
    );
    let buy_tp_below = with_stops(place("b", "EURUSD", Side::Buy, 0.1), None, Some(1.15));
    assert_eq!(
        retcode(&sim.handle(&buy_tp_below, T0)),
        RETCODE_INVALID_STOPS
    );
    let sell_sl_below = with_stops(place("c", "EURUSD", Side::Sell, 0.1), Some(1.15), None);
    assert_eq!(
        retcode(&sim.handle(&sell_sl_below, T0)),
        RETCODE_INVALID_STOPS
    );
    let sell_tp_above = with_stops(place("d", "EURUSD", Side::Sell, 0.1), None, Some(1.17));
    assert_eq!(
        retcode(&sim.handle(&sell_tp_above, T0)),
        RETCODE_INVALID_STOPS
    );
    for garbage in [f64::NAN, -1.0, f64::INFINITY, 1e12] {
        let request = with_stops(place("e", "EURUSD", Side::Buy, 0.1), Some(garbage), None);
        assert_eq!(retcode(&sim.handle(&request, T0)), RETCODE_INVALID_STOPS);
        let request = with_stops(place("f", "EURUSD", Side::Buy, 0.1), None, Some(garbage));
        assert_eq!(retcode(&sim.handle(&request, T0)), RETCODE_INVALID_STOPS);
    }
    assert!(sim.positions().is_empty());
}

#[test]
fn stops_inside_the_stops_level_are_invalid_stops() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    // EURUSD's stops level is 10 points; a buy's stops are measured from the bid.
    let too_close = with_stops(place("a", "EURUSD", Side::Buy, 0.1), Some(1.15995), None);
    assert_eq!(retcode(&sim.handle(&too_close, T0)), RETCODE_INVALID_STOPS);
    let tp_too_close = with_stops(place("b", "EURUSD", Side::Buy, 0.1), None, Some(1.16005));
    assert_eq!(
        retcode(&sim.handle(&tp_too_close, T0)),
        RETCODE_INVALID_STOPS
    );
    let at_the_level = with_stops(
        place("c", "EURUSD", Side::Buy, 0.1),
        Some(1.15990),
        Some(1.16010),
    );
    let events = sim.handle(&at_the_level, T0);
    ticket(&events);
    assert_eq!(sim.positions()[0].sl, Some(1.15990));
    assert_eq!(sim.positions()[0].tp, Some(1.16010));
    // A sell's stops are measured from the ask.
    let sell = with_stops(place("d", "EURUSD", Side::Sell, 0.1), Some(1.16015), None);
    assert_eq!(retcode(&sim.handle(&sell, T0)), RETCODE_INVALID_STOPS);
}

#[test]
fn zero_stops_mean_none_as_in_mt5() {
    let mut sim = hedging_sim();
    let request = with_stops(place("z", "EURUSD", Side::Buy, 0.1), Some(0.0), Some(0.0));
    ticket(&sim.handle(&request, T0));
    assert_eq!((sim.positions()[0].sl, sim.positions()[0].tp), (None, None));
}

#[test]
fn a_trade_beyond_free_margin_is_not_enough_money() {
    let mut sim = SimAccount::new(
        &SimConfig {
            balance: 1_000.0,
            ..config(true)
        },
        T0,
    );
    // 10 lots of EURUSD at ~1.16 and 1:100 need ~11,600 USD.
    let events = sim.handle(&place("big", "EURUSD", Side::Buy, 10.0), T0);
    assert_eq!(retcode(&events), RETCODE_NO_MONEY);
    assert!(sim.positions().is_empty());
    assert_near(sim.account().free_margin, 1_000.0);
    // 0.5 lots need ~580 USD: fine.
    ticket(&sim.handle(&place("small", "EURUSD", Side::Buy, 0.5), T0));
}

#[test]
fn a_placed_market_order_reports_position_account_then_result() {
    let mut sim = hedging_sim();
    let events = sim.handle(&place("c1", "XAUUSD", Side::Sell, 0.2), T0);
    assert_eq!(events.len(), 3);
    let BrokerEvent::Position(position) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(position.cid, "c1");
    assert_eq!(position.side, Side::Sell);
    assert_eq!(position.open_price, sim.quote("XAUUSD").unwrap().bid);
    assert!(matches!(events[1], BrokerEvent::Account(_)));
    assert!(matches!(&events[2], BrokerEvent::Result { cid, .. } if cid == "c1"));
    assert_eq!(ticket(&events), position.ticket);
}

#[test]
fn a_buy_limit_fills_when_the_ask_drops_to_it() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let request = with_stops(
        pending(
            "lim",
            "EURUSD",
            Side::Buy,
            OrderType::Limit,
            0.5,
            Some(1.15500),
        ),
        Some(1.15000),
        Some(1.16500),
    );
    let events = sim.handle(&request, T0);
    let order_ticket = ticket(&events);
    assert!(
        matches!(&events[0], BrokerEvent::Order(o) if o.ticket == order_ticket && o.cid == "lim")
    );
    assert!(sim.positions().is_empty());

    let events = quote(&mut sim, "EURUSD", 1.15600, 1.15610);
    assert_eq!(sim.orders().len(), 1);
    assert!(
        events
            .iter()
            .all(|e| !matches!(e, BrokerEvent::OrderRemoved { .. }))
    );

    let events = quote(&mut sim, "EURUSD", 1.15490, 1.15500);
    assert_eq!(
        events[1],
        BrokerEvent::OrderRemoved {
            ticket: order_ticket,
            reason: OrderRemoval::Filled
        }
    );
    let BrokerEvent::Position(position) = &events[2] else {
        panic!("{events:?}")
    };
    assert_eq!(position.ticket, order_ticket);
    assert_eq!(position.open_price, 1.15500);
    assert_eq!(position.volume, 0.5);
    assert_eq!((position.sl, position.tp), (Some(1.15000), Some(1.16500)));
    assert_eq!(position.cid, "lim");
    assert!(matches!(events.last(), Some(BrokerEvent::Account(_))));
    assert!(sim.orders().is_empty());
}

#[test]
fn pending_prices_must_be_given_and_on_the_right_side() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let cases = [
        (Side::Buy, OrderType::Limit, None),
        (Side::Buy, OrderType::Limit, Some(1.17)),
        (Side::Buy, OrderType::Limit, Some(1.16005)),
        (Side::Sell, OrderType::Limit, Some(1.15)),
        (Side::Buy, OrderType::Stop, Some(1.15)),
        (Side::Sell, OrderType::Stop, Some(1.17)),
        (Side::Buy, OrderType::Stop, Some(f64::NAN)),
        (Side::Sell, OrderType::Stop, Some(-1.0)),
        (Side::Buy, OrderType::Stop, Some(1e300)),
    ];
    for (i, (side, order_type, price)) in cases.into_iter().enumerate() {
        let request = pending(&format!("p{i}"), "EURUSD", side, order_type, 0.1, price);
        assert_eq!(
            retcode(&sim.handle(&request, T0)),
            RETCODE_INVALID_PRICE,
            "{side} {order_type} {price:?}"
        );
    }
    for (i, (side, order_type, price)) in [
        (Side::Buy, OrderType::Limit, 1.15),
        (Side::Sell, OrderType::Limit, 1.17),
        (Side::Buy, OrderType::Stop, 1.17),
        (Side::Sell, OrderType::Stop, 1.15),
    ]
    .into_iter()
    .enumerate()
    {
        let request = pending(
            &format!("ok{i}"),
            "EURUSD",
            side,
            order_type,
            0.1,
            Some(price),
        );
        ticket(&sim.handle(&request, T0));
    }
    assert_eq!(sim.orders().len(), 4);
    // A pending order's stops are measured from its own price.
    let request = with_stops(
        pending("sl", "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(1.15)),
        Some(1.155),
        None,
    );
    assert_eq!(retcode(&sim.handle(&request, T0)), RETCODE_INVALID_STOPS);
}

#[test]
fn sl_and_tp_trigger_on_a_scripted_path() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let a = ticket(&sim.handle(
        &with_stops(
            place("a", "EURUSD", Side::Buy, 1.0),
            Some(1.15800),
            Some(1.16300),
        ),
        T0,
    ));
    assert!(closed(&quote(&mut sim, "EURUSD", 1.16200, 1.16210)).is_empty());
    // A buy's target is watched on the bid.
    let events = quote(&mut sim, "EURUSD", 1.16300, 1.16310);
    assert_eq!(
        closed(&events),
        [(a, 1.16300, 290.0, CloseReason::TakeProfit)]
    );
    assert_near(sim.account().balance, 10_290.0);

    // A sell's stop is watched on the ask; passed through by less than a gap, it fills at its level.
    let b = ticket(&sim.handle(
        &with_stops(place("b", "EURUSD", Side::Sell, 1.0), Some(1.16500), None),
        T0,
    ));
    assert!(closed(&quote(&mut sim, "EURUSD", 1.16480, 1.16490)).is_empty());
    let events = quote(&mut sim, "EURUSD", 1.16495, 1.16505);
    assert_eq!(
        closed(&events),
        [(b, 1.16500, -200.0, CloseReason::StopLoss)]
    );
    assert_near(sim.account().balance, 10_090.0);

    // Gapped over, a stop fills at the worse market price.
    let c = ticket(&sim.handle(
        &with_stops(place("c", "EURUSD", Side::Buy, 0.1), Some(1.16300), None),
        T0,
    ));
    let events = quote(&mut sim, "EURUSD", 1.15000, 1.15010);
    assert_eq!(
        closed(&events),
        [(c, 1.15000, -150.5, CloseReason::StopLoss)]
    );
    assert_near(sim.account().balance, 9_939.5);
    assert!(sim.positions().is_empty());
    let BrokerEvent::Account(account) = events.last().unwrap() else {
        panic!("a tick ends with the account")
    };
    assert_near(account.balance, 9_939.5);
}

#[test]
fn a_partial_close_keeps_the_ticket_and_books_the_profit() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("open", "EURUSD", Side::Buy, 1.0), T0));
    quote(&mut sim, "EURUSD", 1.16110, 1.16120);

    let events = sim.handle(&close("part", t, Some(0.4)), T0);
    assert_eq!(done(&events), (t, Some(1.16110), Some(0.4)));
    let BrokerEvent::Position(rest) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!((rest.ticket, rest.volume), (t, 0.6));
    assert_near(rest.profit, 60.0);
    assert!(closed(&events).is_empty());
    assert_near(sim.account().balance, 10_040.0);
    assert_near(sim.account().equity, 10_100.0);

    assert_eq!(
        retcode(&sim.handle(&close("x1", t, Some(0.7)), T0)),
        RETCODE_INVALID_VOLUME
    );
    assert_eq!(
        retcode(&sim.handle(&close("x2", t, Some(0.005)), T0)),
        RETCODE_INVALID_VOLUME
    );
    assert_eq!(
        retcode(&sim.handle(&close("x3", t, Some(f64::NAN)), T0)),
        RETCODE_INVALID_VOLUME
    );

    // The close reports the position's whole result: the 40 of the partial close and this 60.
    let events = sim.handle(&close("all", t, None), T0);
    assert_eq!(closed(&events), [(t, 1.16110, 100.0, CloseReason::Request)]);
    assert_near(sim.account().balance, 10_100.0);
    assert!(sim.positions().is_empty());
}

#[test]
fn closing_or_cancelling_the_wrong_kind_of_ticket_is_refused() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let position = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 0.1), T0));
    let order = ticket(&sim.handle(
        &pending("o", "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(1.15)),
        T0,
    ));
    assert_eq!(
        retcode(&sim.handle(&close("c1", order, None), T0)),
        RETCODE_INVALID
    );
    let cancel = |cid: &str, ticket| BrokerRequest::Cancel {
        cid: cid.to_string(),
        ticket,
    };
    assert_eq!(
        retcode(&sim.handle(&cancel("c2", position), T0)),
        RETCODE_INVALID
    );
    assert_eq!(
        retcode(&sim.handle(&close("c3", 999, None), T0)),
        RETCODE_INVALID
    );

    let events = sim.handle(&cancel("c4", order), T0);
    assert_eq!(
        events[0],
        BrokerEvent::OrderRemoved {
            ticket: order,
            reason: OrderRemoval::Cancelled
        }
    );
    assert_eq!(done(&events), (order, Some(1.15), Some(0.1)));
    assert!(sim.orders().is_empty());
    // Cancelled already (a resend the EA no longer remembers): done, nothing removed twice.
    let again = sim.handle(&cancel("c5", order), T0);
    assert_eq!(done(&again), (order, Some(1.15), Some(0.1)));
    assert!(
        !again
            .iter()
            .any(|e| matches!(e, BrokerEvent::OrderRemoved { .. })),
        "{again:?}"
    );
}

#[test]
fn modify_sets_both_stops_and_answers_levels_already_set_done() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 0.1), T0));
    let events = sim.handle(&modify("m1", t, Some(1.15), Some(1.17)), T0);
    assert_eq!(done(&events), (t, None, None));
    assert!(
        matches!(&events[0], BrokerEvent::Position(p) if p.sl == Some(1.15) && p.tp == Some(1.17))
    );
    // Levels already as asked (a resend the EA no longer remembers): done, not 10025, and
    // nothing changes on the book.
    let again = sim.handle(&modify("m2", t, Some(1.15), Some(1.17)), T0);
    assert!(
        !again.iter().any(|e| matches!(e, BrokerEvent::Position(_))),
        "{again:?}"
    );
    assert_eq!(done(&again), (t, None, None));
    // Breakeven is below the bid here only by the spread: inside the stops level.
    assert_eq!(
        retcode(&sim.handle(&modify("m3", t, Some(1.16010), None), T0)),
        RETCODE_INVALID_STOPS
    );
    ticket(&sim.handle(&modify("m4", t, None, None), T0));
    assert_eq!((sim.positions()[0].sl, sim.positions()[0].tp), (None, None));

    let events = sim.handle(&modify("m5", 4242, Some(1.0), None), T0);
    assert_eq!(retcode(&events), RETCODE_INVALID);
    let TradeOutcome::Rejected { message, .. } = outcome(&events) else {
        unreachable!()
    };
    assert!(message.contains("no such position or order"), "{message}");

    let order = ticket(&sim.handle(
        &pending("o", "EURUSD", Side::Sell, OrderType::Limit, 0.1, Some(1.17)),
        T0,
    ));
    let events = sim.handle(&modify("m6", order, Some(1.18), Some(1.16)), T0);
    assert!(
        matches!(&events[0], BrokerEvent::Order(o) if o.sl == Some(1.18) && o.tp == Some(1.16))
    );
    assert_eq!(
        retcode(&sim.handle(&modify("m7", order, Some(1.16), None), T0)),
        RETCODE_INVALID_STOPS
    );
}

#[test]
fn the_same_cid_twice_is_answered_not_executed() {
    let mut sim = hedging_sim();
    let request = place("once", "EURUSD", Side::Buy, 0.1);
    let first = sim.handle(&request, T0);
    let second = sim.handle(&request, T0 + 1000);
    assert_eq!(second, vec![first.last().unwrap().clone()]);
    assert_eq!(sim.positions().len(), 1);
    assert_eq!(sim.outcome_of("once"), Some(&outcome(&first)));

    // A refusal is remembered too: the answer to a cid never changes.
    let refused = place("no", "EURUSD", Side::Buy, 0.015);
    let first = sim.handle(&refused, T0);
    assert_eq!(
        sim.handle(&refused, T0),
        vec![first.last().unwrap().clone()]
    );

    // The same cid on another request is still the same request to the server.
    let t = sim.positions()[0].ticket;
    let events = sim.handle(&close("once", t, None), T0);
    assert_eq!(outcome(&events), outcome(&second));
    assert_eq!(sim.positions().len(), 1);
}

#[test]
fn the_cid_memory_is_bounded() {
    let mut memory = CidMemory::default();
    let outcome = TradeOutcome::Done {
        ticket: 1,
        price: None,
        volume: None,
    };
    for i in 0..=REMEMBERED_CIDS {
        memory.remember(&format!("c{i}"), &outcome, false);
    }
    assert!(memory.get("c0").is_none());
    assert!(memory.get("c1").is_some());
    assert!(memory.get(&format!("c{REMEMBERED_CIDS}")).is_some());
    assert_eq!(memory.order.len(), REMEMBERED_CIDS);
    assert_eq!(memory.outcomes.len(), REMEMBERED_CIDS);
    memory.remember("", &outcome, false);
    assert!(memory.get("").is_none());
}

#[test]
fn a_netting_account_adds_reduces_reverses_and_closes_one_position() {
    let mut sim = netting_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("a", "EURUSD", Side::Buy, 1.0), T0));
    quote(&mut sim, "EURUSD", 1.16100, 1.16110);

    let events = sim.handle(&place("b", "EURUSD", Side::Buy, 1.0), T0);
    assert_eq!(ticket(&events), t);
    assert_eq!(sim.positions().len(), 1);
    let p = &sim.positions()[0];
    assert_eq!(p.volume, 2.0);
    assert_near(p.open_price, 1.16060);
    assert_eq!(p.cid, "a");

    // Selling 0.5 at the bid 1.16100 books 0.5 lot × 4 pips.
    quote(&mut sim, "EURUSD", 1.16100, 1.16110);
    sim.handle(&place("c", "EURUSD", Side::Sell, 0.5), T0);
    assert_eq!(sim.positions()[0].volume, 1.5);
    assert_near(sim.account().balance, 10_020.0);

    // Selling 2.5 closes 1.5 (another 60 USD) and leaves 1.0 sold: the same position (its
    // identifier), under a new ticket; the old ticket is reported closed, the result and the
    // position name the new one.
    let events = sim.handle(
        &with_stops(place("d", "EURUSD", Side::Sell, 2.5), Some(1.17), None),
        T0,
    );
    let reversed = ticket(&events);
    assert_ne!(reversed, t);
    // What the old ticket realised: the 20 of the first reduction and these 60.
    assert_eq!(closed(&events), [(t, 1.161, 80.0, CloseReason::Request)]);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, BrokerEvent::Position(p) if p.ticket == reversed))
    );
    assert_eq!(sim.find("d").ticket, Some(reversed));
    assert_eq!(sim.find("d").state, CidState::Position);
    let t = reversed;
    let p = &sim.positions()[0];
    assert_eq!(p.ticket, t);
    assert_eq!((p.side, p.volume, p.open_price), (Side::Sell, 1.0, 1.16100));
    assert_eq!((p.sl, p.cid.as_str()), (Some(1.17), "d"));
    assert_near(sim.account().balance, 10_080.0);

    // Buying 1.0 at the ask 1.16110 closes it for -10 USD.
    let events = sim.handle(&place("e", "EURUSD", Side::Buy, 1.0), T0);
    assert_eq!(closed(&events), [(t, 1.16110, -10.0, CloseReason::Request)]);
    assert!(sim.positions().is_empty());
    assert_near(sim.account().balance, 10_070.0);
}

#[test]
fn a_hedging_account_keeps_opposite_positions_apart() {
    let mut sim = hedging_sim();
    sim.handle(&place("a", "EURUSD", Side::Buy, 1.0), T0);
    sim.handle(&place("b", "EURUSD", Side::Sell, 1.0), T0);
    assert_eq!(sim.positions().len(), 2);
}

#[test]
fn stop_out_closes_the_biggest_loser_below_50_percent() {
    let mut sim = SimAccount::new(
        &SimConfig {
            balance: 1_000.0,
            ..config(true)
        },
        T0,
    );
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    quote(&mut sim, "XAUUSD", 4150.00, 4150.25);
    let loser = ticket(&sim.handle(&place("l", "EURUSD", Side::Buy, 0.8), T0));
    let small = ticket(&sim.handle(&place("s", "XAUUSD", Side::Buy, 0.01), T0));
    // Margin 928.08 + 41.50; losing 568 USD on EURUSD leaves equity far below half of it.
    let events = quote(&mut sim, "EURUSD", 1.15300, 1.15310);
    let stopped = closed(&events);
    assert_eq!(stopped.len(), 1);
    assert_eq!((stopped[0].0, stopped[0].3), (loser, CloseReason::StopOut));
    assert_near(stopped[0].2, -568.0);
    assert_eq!(sim.positions()[0].ticket, small);
    assert!(sim.account().margin_level().unwrap() >= 50.0);
}

#[test]
fn a_triggered_order_without_money_is_removed() {
    let mut sim = SimAccount::new(
        &SimConfig {
            balance: 500.0,
            ..config(true)
        },
        T0,
    );
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let order = ticket(&sim.handle(
        &pending(
            "big",
            "EURUSD",
            Side::Buy,
            OrderType::Limit,
            5.0,
            Some(1.15),
        ),
        T0,
    ));
    let events = quote(&mut sim, "EURUSD", 1.14990, 1.15000);
    assert!(events.contains(&BrokerEvent::OrderRemoved {
        ticket: order,
        reason: OrderRemoval::Cancelled
    }));
    assert!(sim.positions().is_empty() && sim.orders().is_empty());
}

#[test]
fn odd_requests_are_refused_never_panic() {
    let mut sim = hedging_sim();
    let t = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 0.1), T0));
    let weird = [
        f64::NAN,
        f64::INFINITY,
        -0.0,
        -1e308,
        1e308,
        f64::MIN_POSITIVE,
    ];
    let mut n = 0;
    let mut cid = || {
        n += 1;
        format!("w{n}")
    };
    for &x in &weird {
        for order_type in [OrderType::Market, OrderType::Limit, OrderType::Stop] {
            for side in [Side::Buy, Side::Sell] {
                let requests = [
                    pending(&cid(), "EURUSD", side, order_type, x, Some(1.15)),
                    pending(&cid(), "EURUSD", side, order_type, 0.1, Some(x)),
                    with_stops(
                        pending(&cid(), "EURUSD", side, order_type, 0.1, Some(1.2)),
                        Some(x),
                        Some(x),
                    ),
                    pending(&cid(), "", side, order_type, x, Some(x)),
                ];
                for request in requests {
                    let events = sim.handle(&request, T0);
                    assert!(matches!(events.last(), Some(BrokerEvent::Result { .. })));
                }
            }
        }
        for request in [
            close(&cid(), t, Some(x)),
            modify(&cid(), t, Some(x), Some(x)),
            close(&cid(), u64::MAX, Some(x)),
        ] {
            let answer = outcome(&sim.handle(&request, T0));
            // A zero level means none, as in MT5: a modify to none on a position without stops
            // is already as asked.
            let as_asked = x == 0.0 && matches!(request, BrokerRequest::Modify { .. });
            assert_eq!(
                matches!(answer, TradeOutcome::Done { .. }),
                as_asked,
                "{request:?}: {answer:?}"
            );
        }
    }
    assert!(sim.set_quote("EURUSD", f64::NAN, 1.0, T0).is_err());
    assert!(sim.set_quote("EURUSD", 1.2, 1.1, T0).is_err());
    assert!(sim.set_quote("EURUSD", 0.0, 0.0, T0).is_err());
    assert!(sim.set_quote("NOPE", 1.0, 1.0, T0).is_err());
    let p = sim.positions().iter().find(|p| p.ticket == t).unwrap();
    assert_eq!(p.volume, 0.1);
    assert!(sim.account().equity.is_finite());
}

#[test]
fn the_same_seed_gives_the_same_prices() {
    let mut a = hedging_sim();
    let mut b = hedging_sim();
    let mut c = SimAccount::new(
        &SimConfig {
            seed: 43,
            ..config(true)
        },
        T0,
    );
    for i in 0..1_000 {
        let now = T0 + i * 250;
        assert_eq!(a.step(now), b.step(now));
        c.step(now);
    }
    assert_eq!(a.synced(), b.synced());
    assert_ne!(a.quote("XAUUSD"), c.quote("XAUUSD"));
}

#[test]
fn prices_walk_plausibly_and_stay_positive() {
    let mut sim = hedging_sim();
    let mut gold_moves = 0.0;
    let mut eurusd_moves = 0.0;
    let mut last = (sim.quote("XAUUSD").unwrap(), sim.quote("EURUSD").unwrap());
    let steps = 20_000;
    for i in 0..steps {
        for event in sim.step(T0 + i * 250) {
            if let BrokerEvent::Quote { quote, .. } = event {
                assert!(quote.bid > 0.0 && quote.ask > quote.bid, "{quote:?}");
            }
        }
        let now = (sim.quote("XAUUSD").unwrap(), sim.quote("EURUSD").unwrap());
        gold_moves += (now.0.bid - last.0.bid).abs();
        eurusd_moves += (now.1.bid - last.1.bid).abs();
        last = now;
    }
    let gold_per_tick = gold_moves / steps as f64;
    let eurusd_per_tick = eurusd_moves / steps as f64;
    assert!((0.1..=0.5).contains(&gold_per_tick), "gold {gold_per_tick}");
    assert!(
        (0.00001..=0.00005).contains(&eurusd_per_tick),
        "eurusd {eurusd_per_tick}"
    );
    let gold = sim.quote("XAUUSD").unwrap().bid;
    assert!(
        (3_500.0..5_000.0).contains(&gold),
        "gold wandered to {gold}"
    );
}

#[test]
fn a_bad_walk_is_floored_above_zero() {
    let mut sim = hedging_sim();
    sim.set_quote("EURUSD", 0.00001, 0.00002, T0).unwrap();
    for i in 0..1_000 {
        sim.step(T0 + i);
        assert!(sim.quote("EURUSD").unwrap().bid > 0.0);
    }
}

#[test]
fn the_account_survives_a_json_round_trip() {
    let mut sim = netting_sim();
    sim.handle(
        &with_stops(place("a", "XAUUSD", Side::Buy, 0.1), Some(4000.0), None),
        T0,
    );
    sim.handle(
        &pending("b", "EURUSD", Side::Sell, OrderType::Stop, 0.2, Some(1.15)),
        T0,
    );
    for i in 0..50 {
        sim.step(T0 + i * 250);
    }
    let json = serde_json::to_string(&sim).unwrap();
    let mut back: SimAccount = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sim);
    assert_eq!(back.outcome_of("a"), sim.outcome_of("a"));
    for i in 50..150 {
        assert_eq!(back.step(T0 + i * 250), sim.step(T0 + i * 250));
    }
    let again = place("a", "XAUUSD", Side::Buy, 0.1);
    assert_eq!(back.handle(&again, T0), sim.handle(&again, T0));
}

#[test]
fn load_or_new_starts_fresh_reloads_and_names_a_corrupt_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sim.json");
    let fresh = load_or_new(&config(true), &file, T0).unwrap();
    assert_eq!(fresh, hedging_sim());

    let mut sim = hedging_sim();
    sim.handle(&place("a", "EURUSD", Side::Buy, 0.1), T0);
    std::fs::write(&file, serde_json::to_vec(&sim).unwrap()).unwrap();
    assert_eq!(load_or_new(&config(true), &file, T0).unwrap(), sim);

    std::fs::write(&file, b"{\"account\": 12").unwrap();
    let error = format!("{:#}", load_or_new(&config(true), &file, T0).unwrap_err());
    assert!(
        error.contains("sim.json") && error.contains("corrupt"),
        "{error}"
    );

    let mut broken = serde_json::to_value(&sim).unwrap();
    broken["positions"][0]["symbol"] = "XXXYYY".into();
    std::fs::write(&file, broken.to_string()).unwrap();
    let error = format!("{:#}", load_or_new(&config(true), &file, T0).unwrap_err());
    assert!(
        error.contains("sim.json") && error.contains("XXXYYY"),
        "{error}"
    );
}

#[test]
fn the_random_walk_reaches_stops_and_books_them() {
    let mut sim = hedging_sim();
    let bid = sim.quote("XAUUSD").unwrap().bid;
    let ask = sim.quote("XAUUSD").unwrap().ask;
    let request = with_stops(
        place("g", "XAUUSD", Side::Buy, 0.1),
        Some(bid - 1.0),
        Some(bid + 1.0),
    );
    let t = ticket(&sim.handle(&request, T0));
    let mut hits = Vec::new();
    for i in 0..10_000 {
        hits.extend(closed(&sim.step(T0 + i * 250)));
        if !hits.is_empty() {
            break;
        }
    }
    let [(ticket, price, profit, reason)] = hits[..] else {
        panic!("one close expected: {hits:?}")
    };
    assert_eq!(ticket, t);
    match reason {
        CloseReason::TakeProfit => assert_near(price, bid + 1.0),
        CloseReason::StopLoss => assert!(price <= bid - 1.0, "{price}"),
        other => panic!("{other:?}"),
    }
    assert_near(profit, ((price - ask) * 10.0 * 100.0).round() / 100.0);
    assert_near(sim.account().balance, 10_000.0 + profit);
}

/// The trade log's view of records: (entry, reason, cid, ticket, side, volume, price).
fn log_lines(records: &[TradeRecord]) -> Vec<(RecordEntry, DealReason, &str, u64, Side, f64, f64)> {
    records
        .iter()
        .map(|r| {
            (
                r.entry,
                r.reason,
                r.cid.as_str(),
                r.ticket,
                r.side,
                r.volume,
                r.price,
            )
        })
        .collect()
}

#[test]
fn every_execution_is_recorded_once_with_its_cause() {
    use DealReason as R;
    use RecordEntry as E;
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let a = ticket(&sim.handle(
        &with_stops(
            place("a", "EURUSD", Side::Buy, 1.0),
            Some(1.15800),
            Some(1.16300),
        ),
        T0,
    ));
    // A repeat, a rejection and a modification are not deals.
    sim.handle(&place("a", "EURUSD", Side::Buy, 1.0), T0);
    sim.handle(&place("bad", "EURUSD", Side::Buy, 0.001), T0);
    sim.handle(&modify("m", a, Some(1.15700), Some(1.16300)), T0);
    sim.handle(&close("half", a, Some(0.4)), T0);
    let limit = ticket(&sim.handle(
        &pending(
            "lim",
            "EURUSD",
            Side::Sell,
            OrderType::Limit,
            0.2,
            Some(1.16200),
        ),
        T0,
    ));
    let gone = ticket(&sim.handle(
        &pending(
            "gone",
            "EURUSD",
            Side::Buy,
            OrderType::Stop,
            0.1,
            Some(1.17000),
        ),
        T0,
    ));
    sim.handle(
        &BrokerRequest::Cancel {
            cid: "cancel".to_string(),
            ticket: gone,
        },
        T0,
    );
    // The limit fills, then the buy's target is hit.
    quote(&mut sim, "EURUSD", 1.16200, 1.16210);
    quote(&mut sim, "EURUSD", 1.16300, 1.16310);
    let records = sim.take_records();
    assert_eq!(
        log_lines(&records),
        [
            (E::In, R::Request, "a", a, Side::Buy, 1.0, 1.16010),
            (E::Out, R::Request, "half", a, Side::Sell, 0.4, 1.16000),
            (
                E::OrderPlaced,
                R::Request,
                "lim",
                limit,
                Side::Sell,
                0.2,
                1.162
            ),
            (
                E::OrderPlaced,
                R::Request,
                "gone",
                gone,
                Side::Buy,
                0.1,
                1.17
            ),
            (
                E::OrderCancelled,
                R::Request,
                "gone",
                gone,
                Side::Buy,
                0.1,
                1.17
            ),
            (E::In, R::Pending, "lim", limit, Side::Sell, 0.2, 1.162),
            (E::Out, R::TakeProfit, "a", a, Side::Sell, 0.6, 1.163),
        ]
    );
    let seqs: Vec<u64> = records.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5, 6, 7]);
    let deals: Vec<Option<u64>> = records.iter().map(|r| r.deal).collect();
    assert_eq!(
        deals,
        [Some(1), Some(2), None, None, None, Some(3), Some(4)]
    );
    assert!(sim.take_records().is_empty());
}

#[test]
fn netting_and_stop_outs_are_recorded_as_the_deals_they_are() {
    use DealReason as R;
    use RecordEntry as E;
    let mut sim = netting_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("a", "EURUSD", Side::Buy, 1.0), T0));
    sim.handle(&place("b", "EURUSD", Side::Buy, 0.5), T0);
    sim.handle(&place("c", "EURUSD", Side::Sell, 0.5), T0);
    let reversed = ticket(&sim.handle(&place("d", "EURUSD", Side::Sell, 1.5), T0));
    sim.handle(&place("e", "EURUSD", Side::Buy, 0.5), T0);
    assert_eq!(
        log_lines(&sim.take_records()),
        [
            (E::In, R::Request, "a", t, Side::Buy, 1.0, 1.16010),
            (E::In, R::Request, "b", t, Side::Buy, 0.5, 1.16010),
            (E::Out, R::Request, "c", t, Side::Sell, 0.5, 1.16000),
            // A reversal: the old volume out, the new one in, under the new ticket.
            (E::Out, R::Request, "d", t, Side::Sell, 1.0, 1.16000),
            (E::In, R::Request, "d", reversed, Side::Sell, 0.5, 1.16000),
            (E::Out, R::Request, "e", reversed, Side::Buy, 0.5, 1.16010),
        ]
    );

    let mut sim = hedging_sim();
    quote(&mut sim, "XAUUSD", 4000.0, 4000.3);
    let big = ticket(&sim.handle(&place("big", "XAUUSD", Side::Buy, 2.0), T0));
    sim.take_records();
    quote(&mut sim, "XAUUSD", 3960.0, 3960.3);
    let records = sim.take_records();
    assert_eq!(
        log_lines(&records),
        [(E::Out, R::StopOut, "big", big, Side::Sell, 2.0, 3960.0)]
    );
}

#[test]
fn a_triggered_order_without_money_is_recorded_as_cancelled() {
    let mut sim = hedging_sim();
    quote(&mut sim, "XAUUSD", 4000.0, 4000.3);
    let order = ticket(&sim.handle(
        &pending(
            "huge",
            "XAUUSD",
            Side::Buy,
            OrderType::Limit,
            50.0,
            Some(3990.0),
        ),
        T0,
    ));
    quote(&mut sim, "XAUUSD", 3989.7, 3990.0);
    let records = sim.take_records();
    let last = records.last().unwrap();
    assert_eq!(
        (last.entry, last.reason, last.ticket, last.cid.as_str()),
        (
            RecordEntry::OrderCancelled,
            DealReason::NoMoney,
            order,
            "huge"
        )
    );
    assert!(records.iter().all(|r| r.deal.is_none()));
}

#[test]
fn find_answers_from_memory_then_from_the_book() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let open = ticket(&sim.handle(&place("open", "EURUSD", Side::Buy, 1.0), T0));
    let order = ticket(&sim.handle(
        &pending(
            "order",
            "EURUSD",
            Side::Buy,
            OrderType::Limit,
            0.1,
            Some(1.15),
        ),
        T0,
    ));
    let gone = ticket(&sim.handle(&place("gone", "EURUSD", Side::Buy, 1.0), T0));
    sim.handle(&close("shut", gone, None), T0);
    sim.reject("refused", 10019, "not enough money");
    let state = |sim: &SimAccount, cid: &str| {
        let found = sim.find(cid);
        (found.state, found.ticket)
    };
    assert_eq!(state(&sim, "open"), (CidState::Position, Some(open)));
    assert_eq!(state(&sim, "order"), (CidState::Order, Some(order)));
    assert_eq!(state(&sim, "gone"), (CidState::Deal, Some(gone)));
    assert_eq!(state(&sim, "shut"), (CidState::Deal, Some(gone)));
    assert_eq!(state(&sim, "refused"), (CidState::Absent, None));
    assert_eq!(state(&sim, "never"), (CidState::Absent, None));
    // The rejection is remembered: the request is not executed when it comes again.
    assert_eq!(
        retcode(&sim.handle(&place("refused", "EURUSD", Side::Buy, 0.1), T0)),
        10019
    );

    // An account whose memory is gone (the EA restarted) still finds what is open, by the order
    // comment, and what was closed, in the history.
    let mut json = serde_json::to_value(&sim).unwrap();
    json["answered"] = serde_json::json!([]);
    let forgetful: SimAccount = serde_json::from_value(json).unwrap();
    let found = forgetful.find("open");
    assert_eq!(
        (found.state, found.ticket, found.volume),
        (CidState::Position, Some(open), Some(1.0))
    );
    assert_eq!(state(&forgetful, "order"), (CidState::Order, Some(order)));
    assert_eq!(state(&forgetful, "gone"), (CidState::Deal, Some(gone)));
    assert_eq!(state(&forgetful, "shut"), (CidState::Deal, Some(gone)));
    assert_eq!(state(&forgetful, "refused"), (CidState::Absent, None));
}

#[path = "v2_tests.rs"]
mod v2;
