//! The EA review's faults (bridge protocol version 2), on the simulated account itself.

use super::*;

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
