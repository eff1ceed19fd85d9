//! The engine's side of exactly-once: what it does when the broker's answer does not come, and how
//! it reconciles after a (re)connect. The broker is scripted here, message by message, so that
//! every path is taken on purpose; tests/bridge.rs runs the same rules against the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use std::time::Duration;

use scripted::{decision, engine_config, found, start, start_with};
use signalos::broker::{BrokerCommand, BrokerEvent, BrokerRequest, CidState};
use signalos::engine::IntentStatus;
use signalos::model::{Decision, Link, LinkState, Position, now_millis};
use signalos::store::{Journal, OrderEvent};

fn order_events(dir: &std::path::Path, cid: &str) -> Vec<String> {
    let journal = Journal::open(dir).unwrap();
    journal
        .orders(1)
        .map(Result::unwrap)
        .filter(|e| e.cid == cid)
        .map(|e| match e.event {
            OrderEvent::Intent { .. } => "intent".to_string(),
            OrderEvent::Outcome { .. } => "outcome".to_string(),
            OrderEvent::Unknown { .. } => "unknown".to_string(),
            OrderEvent::Resolved { found, .. } => format!("resolved found={found}"),
            OrderEvent::Orphan { .. } => "orphan".to_string(),
            OrderEvent::ClosedUnseen { .. } => "closed unseen".to_string(),
            OrderEvent::Hidden { .. } => "hidden".to_string(),
            OrderEvent::Closed { .. } => "closed".to_string(),
        })
        .collect()
}

/// Rules whose requests time out quickly: for the tests that wait for a timeout on purpose.
fn quick_timeout() -> signalos::engine::Rules {
    let mut rules = engine_config();
    rules.engine.request_timeout_ms = 300;
    rules
}

#[tokio::test]
async fn a_request_without_an_answer_is_asked_about_never_resent() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), quick_timeout()).await;
    s.synced().await;
    s.signal(1).await;
    let request = s.trade().await;
    let cid = request.cid().to_string();
    // No answer: after the timeout the engine asks, and sends nothing else.
    let asked = s.command().await;
    assert_eq!(asked, BrokerCommand::Query { cid: cid.clone() });
    s.until("the intent is unknown", |st| {
        st.intents
            .get(&cid)
            .is_some_and(|i| i.status == IntentStatus::Unknown)
    })
    .await;
    // The terminal has it as a position: adopted.
    let ticket = 4242;
    s.broker(found(&cid, CidState::Position, Some(ticket)))
        .await;
    s.until("the intent is settled", |st| {
        st.intents
            .get(&cid)
            .is_some_and(|i| i.status == IntentStatus::Done)
    })
    .await;
    assert!(s.replica.state.intents[&cid].detail.contains("adopted"));
    // A late result and a repeated answer change nothing and send nothing.
    s.broker(found(&cid, CidState::Absent, None)).await;
    s.quiet(Duration::from_millis(600)).await;
    assert_eq!(s.replica.state.intents[&cid].status, IntentStatus::Done);
    s.stop().await;
    assert_eq!(
        order_events(dir.path(), &cid),
        ["intent", "unknown", "resolved found=true"]
    );
}

#[tokio::test]
async fn a_request_the_terminal_never_got_is_sent_again_under_its_cid_a_bounded_number_of_times() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), quick_timeout()).await;
    s.synced().await;
    s.signal(1).await;
    let cid = s.trade().await.cid().to_string();
    let absent = |cid: &str| found(cid, CidState::Absent, None);
    for attempt in 2..=3 {
        assert_eq!(s.command().await, BrokerCommand::Query { cid: cid.clone() });
        if attempt == 2 {
            // A query that goes unanswered is asked again, still never resent blindly.
            assert_eq!(s.command().await, BrokerCommand::Query { cid: cid.clone() });
        }
        s.broker(absent(&cid)).await;
        // Definitely not received: sent again, same cid, so the terminal can never do it twice.
        let again = s.trade().await;
        assert_eq!(again.cid(), cid, "attempt {attempt}");
    }
    assert_eq!(s.command().await, BrokerCommand::Query { cid: cid.clone() });
    s.broker(absent(&cid)).await;
    s.until("settled as not executed", |st| {
        st.intents
            .get(&cid)
            .is_some_and(|i| i.status == IntentStatus::Rejected)
    })
    .await;
    let detail = &s.replica.state.intents[&cid].detail;
    assert!(detail.contains("sent 3 times already"), "{detail}");
    // The signal says so: it did not execute, and why.
    match decision(&s.replica.state, 1) {
        Decision::NotExecuted { reason, .. } => {
            assert!(reason.contains("sent 3 times already"), "{reason}")
        }
        other => panic!("the signal should read not executed: {other:?}"),
    }
    s.quiet(Duration::from_millis(600)).await;
    s.stop().await;
    let mut expected: Vec<&str> = [["intent", "unknown"]; 3].concat();
    expected.push("resolved found=false");
    assert_eq!(order_events(dir.path(), &cid), expected);
}

#[tokio::test]
async fn a_reconnect_reconciles_before_new_entries_are_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    s.synced().await;
    s.signal(1).await;
    let first = s.trade().await.cid().to_string();
    s.signal(2).await;
    let second = s.trade().await.cid().to_string();
    // The link drops before either answer.
    s.broker(BrokerEvent::Disconnected {
        reason: "the EA closed the connection".into(),
    })
    .await;
    s.until("both unknown", |st| {
        st.intents
            .values()
            .all(|i| i.status == IntentStatus::Unknown)
    })
    .await;
    // While down, a signal waits for the broker, saying why, and nothing is asked.
    s.signal(3).await;
    s.until("signal 3 listed", |st| st.signals.len() == 3).await;
    match decision(&s.replica.state, 3) {
        Decision::Waiting { reason } => {
            assert!(reason.contains("not connected (down"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // The first executed before the drop: the terminal's snapshot shows it (adopted at once).
    // The second is not in the snapshot: the terminal is asked, and entries wait for it.
    let ask = s.sim.quote("XAUUSD").unwrap().ask;
    let mut snapshot = match s.sim.synced() {
        BrokerEvent::Synced(snapshot) => snapshot,
        _ => unreachable!(),
    };
    snapshot.positions.push(Position {
        ticket: 77,
        symbol: "XAUUSD".into(),
        side: signalos::model::Side::Buy,
        volume: 0.1,
        open_price: ask,
        open_time: now_millis(),
        sl: None,
        tp: None,
        current_price: ask,
        profit: 0.0,
        swap: 0.0,
        commission: 0.0,
        cid: first.clone(),
    });
    s.broker(BrokerEvent::Synced(snapshot)).await;
    assert_eq!(
        s.command().await,
        BrokerCommand::Query {
            cid: second.clone()
        }
    );
    s.until("reconciling shown", |st| {
        st.links["broker"].state == LinkState::Handshaking
            && st.links["broker"].detail.contains("reconciling")
    })
    .await;
    assert_eq!(s.replica.state.intents[&first].status, IntentStatus::Done);
    s.signal(4).await;
    s.until("signal 4 listed", |st| st.signals.len() == 4).await;
    match decision(&s.replica.state, 4) {
        Decision::Waiting { reason } => assert!(reason.contains("reconciling"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // The answer settles it: executed and since closed. Trading resumes.
    s.broker(found(&second, CidState::Deal, Some(78))).await;
    s.until("synced again", |st| {
        st.links["broker"].state == LinkState::Synced
    })
    .await;
    // The signals that waited go out first, in order, then the new one.
    s.signal(5).await;
    for n in 3..=5 {
        let cid = s.trade().await.cid().to_string();
        assert!(cid.ends_with(&format!("-s{n}-1")), "{cid}");
    }
    s.until("signals 3 and 4 executed", |st| {
        matches!(decision(st, 3), Decision::Executed { .. })
            && matches!(decision(st, 4), Decision::Executed { .. })
    })
    .await;
    s.stop().await;
    // The journal tells it: waiting at first, then the later decision.
    let journal = Journal::open(dir.path()).unwrap();
    let later: Vec<(u64, &str)> = journal
        .decisions(1)
        .map(Result::unwrap)
        .map(|d| (d.signal, d.decision.word()))
        .collect();
    assert_eq!(later, [(3, "executed"), (4, "executed")]);
    drop(journal);
    assert_eq!(
        order_events(dir.path(), &first),
        ["intent", "unknown", "resolved found=true"]
    );
    assert_eq!(
        order_events(dir.path(), &second),
        ["intent", "unknown", "resolved found=true"]
    );
}

#[tokio::test]
async fn a_degraded_link_holds_entries_then_refuses_them_as_too_old() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = engine_config();
    rules.engine.signal_wait_secs = 2;
    let mut s = start_with(dir.path(), rules).await;
    s.synced().await;
    s.broker(BrokerEvent::Link(Link {
        state: LinkState::Degraded,
        detail: "Algo Trading is off in the terminal: orders would fail (10027)".into(),
    }))
    .await;
    s.signal(1).await;
    s.until("listed", |st| st.signals.len() == 1).await;
    match decision(&s.replica.state, 1) {
        Decision::Waiting { reason } => {
            assert!(reason.contains("degraded: Algo Trading is off"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // The link stays degraded past engine.signal_wait_secs (2 s): refused, and nothing sent.
    s.until("refused as too old", |st| {
        matches!(decision(st, 1), Decision::Refused { .. })
    })
    .await;
    match decision(&s.replica.state, 1) {
        Decision::Refused { reason } => assert!(
            reason.contains("longer than engine.signal_wait_secs (2 s)"),
            "{reason}"
        ),
        other => panic!("{other:?}"),
    }
    s.quiet(Duration::from_millis(200)).await;
    s.stop().await;
}

#[tokio::test]
async fn duplicated_broker_events_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start(dir.path()).await;
    s.synced().await;
    s.signal(1).await;
    let request = s.trade().await;
    let events = s.sim.handle(&request, now_millis());
    for event in events.iter().chain(events.iter()) {
        s.broker(event.clone()).await;
    }
    s.until("one position", |st| st.positions.len() == 1).await;
    let ticket = *s.replica.state.positions.keys().next().unwrap();
    let close = BrokerRequest::Close {
        cid: "test-close".into(),
        ticket,
        volume: None,
    };
    let events = s.sim.handle(&close, now_millis());
    for event in events.iter().chain(events.iter()) {
        s.broker(event.clone()).await;
    }
    s.until("flat", |st| st.positions.is_empty()).await;
    let realized: f64 = events
        .iter()
        .filter_map(|e| match e {
            BrokerEvent::PositionClosed { profit, .. } => Some(*profit),
            _ => None,
        })
        .sum();
    assert!(
        (s.replica.state.session_realized - realized).abs() < 1e-9,
        "counted once: {} vs {realized}",
        s.replica.state.session_realized
    );
    let cid = request.cid().to_string();
    s.stop().await;
    // The position's close is in its story once, with what closed it.
    assert_eq!(
        order_events(dir.path(), &cid),
        ["intent", "outcome", "closed"]
    );
}

#[tokio::test]
async fn a_signal_decided_but_never_journaled_as_orders_is_decided_again() {
    let dir = tempfile::tempdir().unwrap();
    // What a crash between journaling a decision and flushing its intents can leave behind.
    let (instance, ask) = {
        let s = start(dir.path()).await;
        let ask = s.sim.quote("XAUUSD").unwrap().ask;
        s.stop().await;
        let journal = Journal::open(dir.path()).unwrap();
        (journal.meta().unwrap().instance, ask)
    };
    {
        let mut journal = Journal::open(dir.path()).unwrap();
        let text = format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 10.0, ask + 10.0);
        let cid = format!("{instance}-s1-1");
        journal
            .append_signal(&signalos::model::SignalRecord {
                seq: 1,
                received_at: now_millis(),
                sent_at: None,
                source: "test".into(),
                chat: "vip".into(),
                msg_id: 1,
                edit: 0,
                edited_at: None,
                reply_to: None,
                parsed: signalos::parse::parse(&text),
                text,
                linked: None,
                decision: Decision::Executed {
                    summary: "BUY XAUUSD".into(),
                    cids: vec![cid],
                },
            })
            .unwrap();
        journal.flush_blocking().unwrap();
    }
    let mut s = start(dir.path()).await;
    s.synced().await;
    let request = s.trade().await;
    assert_eq!(request.cid(), format!("{instance}-s1-1"), "the same cid");
    s.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let later: Vec<(u64, &str)> = journal
        .decisions(1)
        .map(Result::unwrap)
        .map(|d| (d.signal, d.decision.word()))
        .collect();
    assert_eq!(later, [(1, "executed")]);
}
