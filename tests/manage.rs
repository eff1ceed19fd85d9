//! Trade management on scripted price paths in the simulator: breakeven after a target, the
//! trailing stop, and moving targets.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use scripted::{Scripted, engine_config, start_with};
use signalos::broker::{BrokerCommand, BrokerRequest};
use signalos::config::Trailing;
use signalos::engine::Rules;

fn rules() -> Rules {
    let mut rules = engine_config();
    rules.risk.lots = 0.30;
    rules.risk.max_legs = 3;
    rules.management.breakeven_after_tp = 0;
    rules.management.breakeven_offset_pips = 1.0;
    rules
}

/// A gold buy at the market with three targets 5, 10 and 20 above it, filled; returns the entry.
async fn open_gold(s: &mut Scripted) -> f64 {
    s.gold_at(4150.0).await;
    s.synced().await;
    let ask = 4150.3;
    let text = format!(
        "XAUUSD BUY NOW SL {:.2} TP1 {:.2} TP2 {:.2} TP3 {:.2}",
        ask - 10.0,
        ask + 5.0,
        ask + 10.0,
        ask + 20.0
    );
    s.message(1, &text).await;
    for _ in 0..3 {
        let request = s.trade().await;
        s.execute(&request).await;
    }
    s.until("three positions", |st| st.positions.len() == 3)
        .await;
    ask
}

/// Gold at 4150.00, the link synced, and one position opened by `text` (signal 1), filled.
async fn one_gold_position(s: &mut Scripted, text: &str) {
    s.gold_at(4150.0).await;
    s.synced().await;
    s.message(1, text).await;
    let open = s.trade().await;
    s.execute(&open).await;
    s.until("a position", |st| st.positions.len() == 1).await;
}

/// Every modification the engine asks for, executed by the simulator.
async fn apply_modifications(s: &mut Scripted, expected: usize) -> Vec<(u64, Option<f64>)> {
    let mut moved = Vec::new();
    for _ in 0..expected {
        match s.command().await {
            BrokerCommand::Trade(request @ BrokerRequest::Modify { .. }) => {
                if let BrokerRequest::Modify { ticket, sl, .. } = &request {
                    moved.push((*ticket, *sl));
                }
                s.execute(&request).await;
            }
            other => panic!("a modification expected, got {other:?}"),
        }
    }
    moved
}

#[tokio::test]
async fn take_profit_one_moves_the_other_legs_to_breakeven() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.management.breakeven_after_tp = 1;
    let mut s = start_with(dir.path(), r).await;
    let entry = open_gold(&mut s).await;
    // Up, but not to the first target: nothing.
    s.gold_at(4153.0).await;
    s.quiet(std::time::Duration::from_millis(300)).await;
    // Through TP1 (4155.30): that leg closes at its target, the other two go to breakeven.
    s.gold_at(4156.0).await;
    let moved = apply_modifications(&mut s, 2).await;
    let breakeven = ((entry + 0.1) * 100.0).round() / 100.0;
    assert!(
        moved.iter().all(|(_, sl)| *sl == Some(breakeven)),
        "{moved:?}"
    );
    s.until("two positions at breakeven", |st| {
        st.positions.len() == 2 && st.positions.values().all(|p| p.sl == Some(breakeven))
    })
    .await;
    // Back down through breakeven: the simulator stops both out at it, nothing lost.
    s.gold_at(4150.0).await;
    s.until("flat", |st| st.positions.is_empty()).await;
    assert!(s.replica.state.session_realized > 0.0);
    s.stop().await;

    // The signal's whole story is in the journal: its message, reading, decision with the
    // numbers, three orders and their fills, then the two moves to breakeven and why.
    let journal = signalos::store::Journal::open(dir.path()).unwrap();
    let story = journal.story(1).unwrap().expect("signal 1");
    let steps: Vec<String> = story
        .iter()
        .map(|step| serde_json::to_value(step).unwrap())
        .map(|v| match v["step"].as_str().unwrap() {
            "order" => format!("order {}", v["kind"].as_str().unwrap()),
            other => other.to_string(),
        })
        .collect();
    let count = |s: &str| steps.iter().filter(|x| *x == s).count();
    assert_eq!(steps[..3], ["message", "parse", "decision"], "{steps:?}");
    assert_eq!(count("order intent"), 5, "{steps:?}");
    assert_eq!(count("order outcome"), 5, "{steps:?}");
    let text = serde_json::to_string(&story).unwrap();
    assert!(
        text.contains("lots in 3 legs"),
        "the decision's numbers: {text}"
    );
    assert!(text.contains("breakeven: take profit 1 hit"), "{text}");
}

#[tokio::test]
async fn a_trailing_stop_follows_the_price_up_and_holds_on_the_way_down() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.management.trailing = Trailing::Pips;
    r.management.trailing_pips = 30.0;
    // One leg with a far target, so the trail alone manages it.
    r.risk.max_legs = 1;
    let mut s = start_with(dir.path(), r).await;
    one_gold_position(&mut s, "XAUUSD BUY NOW SL 4140.30 TP 4190.30").await;
    // 20 pips up: under the trail distance, nothing.
    s.gold_at(4152.3).await;
    s.quiet(std::time::Duration::from_millis(300)).await;
    // 60 pips up: the stop goes 30 pips under the bid.
    s.gold_at(4156.3).await;
    assert_eq!(apply_modifications(&mut s, 1).await[0].1, Some(4153.3));
    // Down a little: the stop holds.
    s.gold_at(4155.0).await;
    s.quiet(std::time::Duration::from_millis(300)).await;
    // Further up: it follows.
    s.gold_at(4160.0).await;
    assert_eq!(apply_modifications(&mut s, 1).await[0].1, Some(4157.0));
    // Down through the stop: closed at it, in profit.
    s.gold_at(4156.0).await;
    s.until("flat", |st| st.positions.is_empty()).await;
    assert!(s.replica.state.session_realized > 0.0);
    s.stop().await;
}

#[tokio::test]
async fn moving_targets_step_the_stop_up_target_by_target() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.management.trailing = Trailing::Targets;
    let mut s = start_with(dir.path(), r).await;
    let entry = open_gold(&mut s).await;
    // TP1: the others to breakeven.
    s.gold_at(4156.0).await;
    apply_modifications(&mut s, 2).await;
    // TP2 (4160.30): the last leg's stop goes to TP1 (4155.30).
    s.gold_at(4161.0).await;
    let moved = apply_modifications(&mut s, 1).await;
    assert_eq!(moved[0].1, Some(entry + 5.0));
    s.stop().await;
}

#[tokio::test]
async fn a_pending_order_left_too_long_is_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.risk.max_legs = 1;
    r.entries.pending_expiry_mins = 60;
    let mut s = start_with(dir.path(), r).await;
    s.gold_at(4150.0).await;
    s.synced().await;
    // The zone is under the price: a buy limit waits at 4145.00.
    s.message(1, "XAUUSD BUY 4140 - 4145 SL 4130 TP 4170").await;
    let request = s.trade().await;
    assert!(
        matches!(request, BrokerRequest::Place { price: Some(p), .. } if p == 4145.0),
        "{request:?}"
    );
    // The terminal reports the order as placed 61 minutes ago.
    for event in s.sim.handle(&request, signalos::model::now_millis()) {
        let event = match event {
            signalos::broker::BrokerEvent::Order(mut order) => {
                order.placed_at -= 61 * 60_000;
                signalos::broker::BrokerEvent::Order(order)
            }
            other => other,
        };
        s.broker(event).await;
    }
    match s.command().await {
        BrokerCommand::Trade(cancel @ BrokerRequest::Cancel { .. }) => {
            s.execute(&cancel).await;
        }
        other => panic!("a cancel expected, got {other:?}"),
    }
    s.until("no pending order", |st| st.orders.is_empty()).await;
    s.stop().await;
}

#[tokio::test]
async fn an_operator_closes_part_modifies_and_moves_to_breakeven_through_the_gate() {
    use signalos::engine::{Action, Reply};
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    open_gold(&mut s).await;
    let ticket = *s.replica.state.positions.keys().next().unwrap();
    let refused = |reply: Reply, words: &str| match reply {
        Reply::Refused { reason } => assert!(reason.contains(words), "{reason}"),
        other => panic!("refused expected, got {other:?}"),
    };

    // Half of 0.10 lots.
    let reply = s
        .operator(Action::ClosePart {
            ticket,
            fraction: 0.5,
        })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    let close = s.trade().await;
    assert!(
        matches!(close, BrokerRequest::Close { volume: Some(v), .. } if (v - 0.05).abs() < 1e-9),
        "a close of 0.05 expected, got {close:?}"
    );
    s.execute(&close).await;
    s.until("0.05 left", |st| st.positions[&ticket].volume == 0.05)
        .await;
    // A tenth of 0.05 is under the minimum volume: refused, with the numbers.
    refused(
        s.operator(Action::ClosePart {
            ticket,
            fraction: 0.1,
        })
        .await,
        "under the minimum volume 0.01",
    );
    // A stop above the price of a buy is refused; one below it is sent.
    refused(
        s.operator(Action::ModifyPosition {
            ticket,
            sl: Some(4160.0),
            tp: None,
        })
        .await,
        "must be below the price",
    );
    s.operator(Action::ModifyPosition {
        ticket,
        sl: Some(4145.0),
        tp: Some(4190.0),
    })
    .await;
    let modify = s.trade().await;
    s.execute(&modify).await;
    s.until("new levels", |st| {
        st.positions[&ticket].sl == Some(4145.0) && st.positions[&ticket].tp == Some(4190.0)
    })
    .await;
    // Breakeven needs the price beyond the entry.
    refused(
        s.operator(Action::Breakeven { ticket }).await,
        "not far enough in profit",
    );
    s.gold_at(4153.0).await;
    s.operator(Action::Breakeven { ticket }).await;
    match s.trade().await {
        BrokerRequest::Modify { sl, tp, .. } => {
            assert_eq!(
                (sl, tp),
                (Some(4150.4), Some(4190.0)),
                "the take profit is kept"
            )
        }
        other => panic!("{other:?}"),
    }
    // Resync drops the link so that the terminal sends its whole picture again.
    s.operator(Action::Resync).await;
    assert_eq!(s.command().await, BrokerCommand::Resync);
    s.stop().await;
    // The operator's orders on the position are part of its signal's story.
    let journal = signalos::store::Journal::open(dir.path()).unwrap();
    let story = serde_json::to_string(&journal.story(1).unwrap().unwrap()).unwrap();
    assert!(
        story.contains(&format!("close 0.05 of #{ticket}")),
        "{story}"
    );
}

#[tokio::test]
async fn an_edit_moves_the_levels_of_the_trades_it_opened_and_never_opens_another() {
    use scripted::decision;
    use signalos::model::Decision;
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    let ask = open_gold(&mut s).await;
    // The channel edits the message: a tighter stop and a new third target.
    let edited = format!(
        "XAUUSD BUY NOW SL {:.2} TP1 {:.2} TP2 {:.2} TP3 {:.2}",
        ask - 5.0,
        ask + 5.0,
        ask + 10.0,
        ask + 30.0
    );
    s.edited(1, 1, &edited).await;
    let mut modified = Vec::new();
    for _ in 0..3 {
        match s.trade().await {
            request @ BrokerRequest::Modify { .. } => {
                if let BrokerRequest::Modify { sl, tp, .. } = &request {
                    modified.push((*sl, *tp));
                }
                s.execute(&request).await;
            }
            other => panic!("a modification expected, got {other:?}"),
        }
    }
    let new_sl = Some(((ask - 5.0) * 100.0).round() / 100.0);
    assert!(modified.iter().all(|(sl, _)| *sl == new_sl), "{modified:?}");
    s.until("the edit decided", |st| st.signals.len() == 2)
        .await;
    match decision(&s.replica.state, 1) {
        Decision::Executed { .. } => {}
        other => panic!("{other:?}"),
    }
    let edit = s.replica.state.signals.back().unwrap().clone();
    assert_eq!(edit.linked, Some(1));
    assert!(
        matches!(&edit.decision, Decision::Executed { summary, .. } if summary.starts_with("edit of signal #1")),
        "{:?}",
        edit.decision
    );
    assert_eq!(s.replica.state.positions.len(), 3, "no second entry");

    // An edit that flips the side is refused, and sends nothing.
    let flipped = edited.replace("BUY", "SELL");
    s.edited(1, 2, &flipped).await;
    s.until("the second edit decided", |st| st.signals.len() == 3)
        .await;
    match &s.replica.state.signals.back().unwrap().decision {
        Decision::Refused { reason } => {
            assert!(reason.contains("never makes a second entry"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // An edit of a message that opened nothing opens nothing.
    s.message(7, "Good morning traders").await;
    s.edited(7, 1, &edited).await;
    s.until("decided", |st| st.signals.len() == 5).await;
    match &s.replica.state.signals.back().unwrap().decision {
        Decision::Refused { reason } => assert!(reason.contains("never opens a trade"), "{reason}"),
        other => panic!("{other:?}"),
    }
    s.quiet(std::time::Duration::from_millis(300)).await;
    s.stop().await;
}

#[tokio::test]
async fn in_stealth_the_broker_never_sees_the_levels_and_signalos_closes_at_them() {
    use signalos::engine::{Action, Reply};
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.risk.max_legs = 1;
    let mut s = start_with(dir.path(), r.clone()).await;
    s.gold_at(4150.0).await;
    s.synced().await;
    let reply = s.operator(Action::Stealth { on: true }).await;
    assert!(
        matches!(&reply, Reply::Accepted { detail } if detail.contains("unprotected")),
        "{reply:?}"
    );
    s.message(1, "XAUUSD BUY NOW SL 4140.30 TP 4170.30").await;
    let open = s.trade().await;
    assert!(
        matches!(
            open,
            BrokerRequest::Place {
                sl: None,
                tp: None,
                ..
            }
        ),
        "the broker gets no levels: {open:?}"
    );
    s.execute(&open).await;
    s.until("a position with no stop at the broker", |st| {
        st.positions.values().any(|p| p.sl.is_none())
    })
    .await;
    let account = s.sim.clone();
    s.stop().await;

    // A restart keeps stealth and the levels SignalOS holds (the account stays at the broker).
    let mut s = start_with(dir.path(), r).await;
    s.sim = account;
    assert!(s.replica.state.stealth);
    s.gold_at(4150.0).await;
    s.synced().await;
    // The price falls through the held stop: SignalOS closes the position itself.
    s.gold_at(4140.0).await;
    match s.trade().await {
        close @ BrokerRequest::Close { .. } => s.execute(&close).await,
        other => panic!("a close expected, got {other:?}"),
    }
    s.until("flat", |st| st.positions.is_empty()).await;

    // Stealth off with a new position: its levels go back to the broker.
    s.operator(Action::Stealth { on: false }).await;
    s.message(2, "XAUUSD BUY NOW SL 4130.30 TP 4160.30").await;
    let open = s.trade().await;
    assert!(
        matches!(
            open,
            BrokerRequest::Place {
                sl: Some(_),
                tp: Some(_),
                ..
            }
        ),
        "{open:?}"
    );
    s.stop().await;
}

#[tokio::test]
async fn turning_stealth_on_and_off_moves_the_levels_of_open_positions() {
    use signalos::engine::Action;
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.risk.max_legs = 1;
    let mut s = start_with(dir.path(), r).await;
    one_gold_position(&mut s, "XAUUSD BUY NOW SL 4140.30 TP 4170.30").await;
    s.operator(Action::Stealth { on: true }).await;
    match s.trade().await {
        m @ BrokerRequest::Modify {
            sl: None, tp: None, ..
        } => s.execute(&m).await,
        other => panic!("levels taken off the broker expected, got {other:?}"),
    }
    s.operator(Action::Stealth { on: false }).await;
    match s.trade().await {
        BrokerRequest::Modify { sl, tp, .. } => {
            assert_eq!(
                (sl, tp),
                (Some(4140.3), Some(4170.3)),
                "sent back as they were"
            )
        }
        other => panic!("{other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn an_operator_can_trail_one_position() {
    use signalos::engine::{Action, Reply};
    let dir = tempfile::tempdir().unwrap();
    let mut r = rules();
    r.risk.max_legs = 1;
    let mut s = start_with(dir.path(), r).await;
    one_gold_position(&mut s, "XAUUSD BUY NOW SL 4140.30 TP 4190.30").await;
    let ticket = *s.replica.state.positions.keys().next().unwrap();
    let reply = s.operator(Action::Trail { ticket, pips: 20.0 }).await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    // 40 pips up: the stop follows 20 pips (2.00 of gold) under the bid.
    s.gold_at(4154.3).await;
    match s.trade().await {
        BrokerRequest::Modify { sl, .. } => assert_eq!(sl, Some(4152.3)),
        other => panic!("{other:?}"),
    }
    let refused = s
        .operator(Action::Trail {
            ticket: 999,
            pips: 20.0,
        })
        .await;
    assert!(matches!(refused, Reply::Refused { .. }), "{refused:?}");
    s.stop().await;
}
