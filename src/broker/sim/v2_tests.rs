//! The EA review's faults (bridge protocol version 2), on the simulated account itself.

use super::*;
use crate::broker::sim::Costs;

/// Fault 6: a pending order that left the book unfilled is found `cancelled` (with its ticket),
/// whether the EA remembers the place or only the history does; one that filled is found as its
/// position.
#[test]
fn a_pending_order_cancelled_or_refused_at_activation_is_found_cancelled() {
    let mut sim = SimAccount::new(
        &SimConfig {
            balance: 500.0,
            ..config(true)
        },
        T0,
    );
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let limit = |cid: &str, volume, at| {
        pending(cid, "EURUSD", Side::Buy, OrderType::Limit, volume, Some(at))
    };
    let cancelled = ticket(&sim.handle(&limit("cancelled", 0.01, 1.15), T0));
    let refused = ticket(&sim.handle(&limit("refused", 5.0, 1.155), T0));
    let filled = ticket(&sim.handle(&limit("filled", 0.01, 1.158), T0));
    let cancel = BrokerRequest::Cancel {
        cid: "c".into(),
        ticket: cancelled,
    };
    ticket(&sim.handle(&cancel, T0));
    // Down through the other two: the big one finds no margin and is removed, the small fills.
    quote(&mut sim, "EURUSD", 1.15490, 1.15500);
    assert!(sim.orders().is_empty());
    let state = |sim: &SimAccount, cid: &str| {
        let found = sim.find(cid);
        (found.state, found.ticket)
    };
    for sim in [sim.clone(), {
        let mut forgetful = sim.clone();
        forgetful.forget_answers();
        forgetful
    }] {
        assert_eq!(
            state(&sim, "cancelled"),
            (CidState::Cancelled, Some(cancelled))
        );
        assert_eq!(state(&sim, "refused"), (CidState::Cancelled, Some(refused)));
        assert_eq!(state(&sim, "filled"), (CidState::Position, Some(filled)));
    }
}

/// Fault 5: an EA that restarted answers a resent request from the book and the history: a
/// place or close found by its cid is done and not executed again; a cancel of an order
/// cancelled before is done, of one that filled is 10036 naming the position; a close of a
/// position closed by something else is 10036.
#[test]
fn after_a_restart_resent_requests_are_answered_from_the_history() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let kept = ticket(&sim.handle(&place("kept", "EURUSD", Side::Buy, 0.1), T0));
    let gone = ticket(&sim.handle(&place("gone", "EURUSD", Side::Buy, 0.1), T0));
    let shut = done(&sim.handle(&close("shut", gone, None), T0));
    let order = ticket(&sim.handle(
        &pending("o", "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(1.15)),
        T0,
    ));
    let cancel = |cid: &str, ticket| BrokerRequest::Cancel {
        cid: cid.to_string(),
        ticket,
    };
    ticket(&sim.handle(&cancel("cancel", order), T0));
    let fills = ticket(&sim.handle(
        &pending("f", "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(1.158)),
        T0,
    ));
    quote(&mut sim, "EURUSD", 1.15790, 1.15800);
    sim.take_records();

    sim.forget_answers();
    let again = |sim: &mut SimAccount, request: &BrokerRequest| {
        let events = sim.handle(request, T0);
        assert!(
            !events.iter().any(account_file::changes_the_book),
            "the book is as it was: {events:?}"
        );
        outcome(&events)
    };
    let outcome_of = |events: (u64, Option<f64>, Option<f64>)| TradeOutcome::Done {
        ticket: events.0,
        price: events.1,
        volume: events.2,
    };
    assert!(matches!(
        again(&mut sim, &place("kept", "EURUSD", Side::Buy, 0.1)),
        TradeOutcome::Done { ticket, .. } if ticket == kept
    ));
    assert!(matches!(
        again(&mut sim, &place("gone", "EURUSD", Side::Buy, 0.1)),
        TradeOutcome::Done { ticket, .. } if ticket == gone
    ));
    assert_eq!(
        again(&mut sim, &close("shut", gone, None)),
        outcome_of(shut)
    );
    assert!(matches!(
        again(&mut sim, &cancel("cancel", order)),
        TradeOutcome::Done { ticket, .. } if ticket == order
    ));
    match again(&mut sim, &cancel("too-late", fills)) {
        TradeOutcome::Rejected { retcode, message } => {
            assert_eq!(retcode, RETCODE_POSITION_CLOSED);
            assert!(message.contains(&format!("position {fills}")), "{message}");
        }
        done => panic!("{done:?}"),
    }
    match again(&mut sim, &close("other", gone, None)) {
        TradeOutcome::Rejected { retcode, .. } => assert_eq!(retcode, RETCODE_POSITION_CLOSED),
        done => panic!("{done:?}"),
    }
    assert!(sim.take_records().is_empty(), "nothing executed again");
}

/// Fault 1: the filling mode is chosen up front. A symbol with market execution and only IOC
/// reports `["ioc"]` in its spec; a market order goes with IOC the first time, a pending one with
/// RETURN. A mode the table forbids is refused 10030 by the server: a stale list is tried once
/// more with its next mode, and refused if that fails too.
#[test]
fn the_filling_mode_is_chosen_up_front_and_retried_once_on_10030() {
    let mut sim = hedging_sim();
    let ioc_only = FillingFlags {
        fok: false,
        ioc: true,
    };
    sim.set_filling("EURUSD", Execution::Market, ioc_only)
        .unwrap();
    let spec = sim.symbol("EURUSD").unwrap();
    assert_eq!(
        (spec.execution, spec.filling_modes.clone()),
        (Execution::Market, vec![Filling::Ioc])
    );
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    ticket(&sim.handle(&place("m", "EURUSD", Side::Buy, 0.1), T0));
    ticket(&sim.handle(
        &pending("p", "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(1.15)),
        T0,
    ));
    let fillings: Vec<_> = sim
        .take_records()
        .iter()
        .map(|r| (r.cid.clone(), r.filling))
        .collect();
    assert_eq!(
        fillings,
        [
            ("m".to_string(), Some(Filling::Ioc)),
            ("p".to_string(), Some(Filling::Return))
        ]
    );

    // The server's side: FOK refused, so a list that starts with it takes IOC on the retry;
    // RETURN is never a market deal's on market execution, so FOK then RETURN is refused.
    let i = sim.market_index("EURUSD").unwrap();
    sim.markets[i].spec.filling_modes = vec![Filling::Fok, Filling::Ioc];
    ticket(&sim.handle(&place("retried", "EURUSD", Side::Buy, 0.1), T0));
    assert_eq!(sim.take_records()[0].filling, Some(Filling::Ioc));
    sim.markets[i].spec.filling_modes = vec![Filling::Fok, Filling::Return, Filling::Ioc];
    let refused = sim.handle(&place("refused", "EURUSD", Side::Buy, 0.1), T0);
    assert_eq!(retcode(&refused), RETCODE_FILLING);
    assert!(sim.take_records().is_empty());

    // Exchange execution takes RETURN for a market deal too; instant takes FOK whatever the flags.
    let none = FillingFlags {
        fok: false,
        ioc: false,
    };
    sim.set_filling("EURUSD", Execution::Exchange, none)
        .unwrap();
    ticket(&sim.handle(&place("exchange", "EURUSD", Side::Buy, 0.1), T0));
    sim.set_filling("EURUSD", Execution::Instant, none).unwrap();
    ticket(&sim.handle(&place("instant", "EURUSD", Side::Buy, 0.1), T0));
    let fillings: Vec<_> = sim.take_records().iter().map(|r| r.filling).collect();
    assert_eq!(fillings, [Some(Filling::Return), Some(Filling::Fok)]);
}

/// Fault 9: a pending order's price on the wrong side of the market or within the stops level
/// is 10015, its SL or TP too close to its price 10016; a modify, close or cancel of what is
/// within the freeze level of the market is 10029, and changes nothing.
#[test]
fn pending_prices_stops_and_the_freeze_level_are_checked() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let spec = sim.symbol("EURUSD").unwrap().clone();
    assert_eq!((spec.stops_level, spec.freeze_level), (10, 5));
    let limit = |cid: &str, at| pending(cid, "EURUSD", Side::Buy, OrderType::Limit, 0.1, Some(at));
    assert_eq!(
        retcode(&sim.handle(&limit("above", 1.1602), T0)),
        RETCODE_INVALID_PRICE
    );
    assert_eq!(
        retcode(&sim.handle(&limit("near", 1.16005), T0)),
        RETCODE_INVALID_PRICE
    );
    let close_stop = with_stops(limit("tight", 1.15), Some(1.14995), None);
    assert_eq!(retcode(&sim.handle(&close_stop, T0)), RETCODE_INVALID_STOPS);

    let order = ticket(&sim.handle(&limit("o", 1.1599), T0));
    let position = ticket(&sim.handle(
        &with_stops(
            place("p", "EURUSD", Side::Buy, 0.1),
            Some(1.1598),
            Some(1.1700),
        ),
        T0,
    ));
    // The market comes within 5 points of the order's price and of the position's SL.
    quote(&mut sim, "EURUSD", 1.15983, 1.15993);
    assert_eq!(sim.orders().len(), 1);
    let cancel = BrokerRequest::Cancel {
        cid: "c".into(),
        ticket: order,
    };
    for request in [
        cancel,
        modify("mo", order, Some(1.15), None),
        modify("mp", position, Some(1.15), Some(1.17)),
        close("cp", position, None),
    ] {
        let events = sim.handle(&request, T0);
        assert_eq!(retcode(&events), RETCODE_FROZEN, "{request:?}");
        let TradeOutcome::Rejected { message, .. } = outcome(&events) else {
            unreachable!()
        };
        assert!(message.contains("freeze level"), "{message}");
    }
    assert_eq!((sim.orders().len(), sim.positions().len()), (1, 1));
    // Further away, the same requests go.
    quote(&mut sim, "EURUSD", 1.16100, 1.16110);
    ticket(&sim.handle(&modify("mp2", position, Some(1.15), Some(1.17)), T0));
    ticket(&sim.handle(&close("cp2", position, None), T0));
}

/// Fault 10: the broker's commission (per lot, on every deal) and swap (per lot, at rollover)
/// are reported with the position; `position_closed` reports the net profit, and the balance
/// and equity hold the same money.
#[test]
fn commission_and_swap_are_charged_reported_and_netted_into_the_close() {
    let mut sim = hedging_sim();
    sim.set_costs(Costs {
        commission_per_lot: -7.0,
        swap_per_lot: -2.5,
    });
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 1.0), T0));
    assert_near(sim.positions()[0].commission, -7.0);
    assert_near(sim.account().balance, 9_993.0);
    // Two rollovers: one asked for, one at midnight as the prices walk on.
    let events = sim.rollover(T0 + 1);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, BrokerEvent::Position(p) if p.ticket == t && p.swap == -2.5))
    );
    sim.step(T0 + DAY);
    let position = sim.positions()[0].clone();
    assert_near(position.swap, -5.0);
    assert_near(
        position.net_profit(),
        position.profit + position.swap + position.commission,
    );
    assert_near(
        sim.account().equity,
        9_993.0 + position.profit + position.swap,
    );
    // Closing at the bid 1.16100 makes 90 USD on the price, less 5 of swap and 7 of commission
    // on the way out; the close reports the position's whole result, so also the 7 of the way in.
    quote(&mut sim, "EURUSD", 1.16100, 1.16110);
    let events = sim.handle(&close("c", t, None), T0 + DAY);
    assert_eq!(closed(&events), [(t, 1.161, 71.0, CloseReason::Request)]);
    assert_near(sim.account().balance, 9_993.0 + 78.0);
    assert_near(sim.account().equity, sim.account().balance);
}

/// `position_closed` reports what the position realised over its life, net: a partial close's
/// result is in it, not lost between the `position` that followed it and the final close.
#[test]
fn the_close_of_a_partly_closed_position_reports_everything_it_realised() {
    let mut sim = hedging_sim();
    sim.set_costs(Costs {
        commission_per_lot: -7.0,
        swap_per_lot: 0.0,
    });
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 1.0), T0));
    // Half at 1.16100: 45 on the price, 3.50 of commission out.
    quote(&mut sim, "EURUSD", 1.16100, 1.16110);
    let half = sim.handle(&close("h", t, Some(0.5)), T0);
    assert!(closed(&half).is_empty(), "{half:?}");
    // The rest at 1.16200: 95, 3.50 out; and the 7 of the way in.
    quote(&mut sim, "EURUSD", 1.16200, 1.16210);
    let rest = sim.handle(&close("r", t, None), T0);
    assert_eq!(closed(&rest), [(t, 1.162, 126.0, CloseReason::Request)]);
    assert_near(sim.account().balance, 10_000.0 + 126.0);
}

/// A modify or a close the EA remembers is found as executed (`deal`), not as the position it
/// touched, as the EA answers.
#[test]
fn a_remembered_modify_or_close_is_found_as_a_deal() {
    let mut sim = hedging_sim();
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let t = ticket(&sim.handle(&place("p", "EURUSD", Side::Buy, 1.0), T0));
    ticket(&sim.handle(&modify("m", t, Some(1.15), None), T0));
    ticket(&sim.handle(&close("h", t, Some(0.5)), T0));
    assert_eq!(sim.find("p").state, CidState::Position);
    for cid in ["m", "h"] {
        let found = sim.find(cid);
        assert_eq!(found.state, CidState::Deal, "{cid}");
        assert_eq!(found.ticket, Some(t), "{cid}");
    }
}

/// Fault 8: a hedging account whose broker forbids opposite positions refuses a sell against an
/// open buy, market or pending, with 10046; the same side, another symbol, or a close still go.
#[test]
fn an_account_that_forbids_hedging_refuses_an_opposite_position_with_10046() {
    let mut sim = hedging_sim();
    sim.forbid_hedging(true);
    quote(&mut sim, "EURUSD", 1.16000, 1.16010);
    let buy = ticket(&sim.handle(&place("b", "EURUSD", Side::Buy, 0.1), T0));
    let sell = sim.handle(&place("s", "EURUSD", Side::Sell, 0.1), T0);
    assert_eq!(retcode(&sell), RETCODE_HEDGE_PROHIBITED);
    let TradeOutcome::Rejected { message, .. } = outcome(&sell) else {
        unreachable!()
    };
    assert!(message.contains(&format!("position {buy}")), "{message}");
    let sell_limit = pending(
        "sl",
        "EURUSD",
        Side::Sell,
        OrderType::Limit,
        0.1,
        Some(1.17),
    );
    assert_eq!(
        retcode(&sim.handle(&sell_limit, T0)),
        RETCODE_HEDGE_PROHIBITED
    );
    ticket(&sim.handle(&place("b2", "EURUSD", Side::Buy, 0.1), T0));
    ticket(&sim.handle(&place("x", "XAUUSD", Side::Sell, 0.1), T0));
    ticket(&sim.handle(&close("c", buy, None), T0));
    assert_eq!(sim.positions().len(), 2);
    assert_eq!(
        crate::broker::bridge::wire::retcode_message(RETCODE_HEDGE_PROHIBITED),
        Some("opening an opposite position is prohibited (hedging prohibited)")
    );
    sim.forbid_hedging(false);
    ticket(&sim.handle(&place("s2", "EURUSD", Side::Sell, 0.1), T0));
}
