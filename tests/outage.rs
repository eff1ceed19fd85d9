//! Nothing lost at the edges: what the engine does with follow-ups and edits that come while the
//! broker is away or while the trades they act on are still in flight, what a signal says became
//! of its orders, which order closed a position, how old a signal really is, and trades at the
//! broker that the journal never sent. The broker is scripted (answers come from the simulated
//! account, delivered by hand) so that each edge is reached on purpose.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use scripted::{Scripted, decision, engine_config, found, raw, start_with};
use signalos::api::RawMessage;
use signalos::broker::{BrokerCommand, BrokerEvent, BrokerRequest, CidState, TradeOutcome};
use signalos::engine::{Action, Reply, Rules, State};
use signalos::model::{Decision, Mode, OrderType, Side, now_millis};
use signalos::store::{Journal, OrderEvent, Step};

/// Two legs of 0.10, and time enough to wait for the broker.
fn rules() -> Rules {
    let mut rules = engine_config();
    rules.risk.lots = 0.20;
    rules.risk.max_legs = 2;
    rules.engine.signal_wait_secs = 60;
    rules
}

/// One leg of 0.10.
fn one_leg() -> Rules {
    let mut rules = rules();
    rules.risk.max_legs = 1;
    rules.risk.lots = 0.10;
    rules
}

/// Message 1 opens gold in one leg, filled; its ticket.
async fn open_one_leg(s: &mut Scripted) -> u64 {
    s.synced().await;
    let text = gold_buy(s);
    s.message(1, &text).await;
    let open = s.trade().await;
    s.execute(&open).await;
    s.until("one position", |st| st.positions.len() == 1).await;
    *s.replica.state.positions.keys().next().unwrap()
}

/// The broker refuses `cid` with `retcode`.
fn rejected(cid: &str, retcode: u32, message: &str) -> BrokerEvent {
    BrokerEvent::Result {
        cid: cid.to_string(),
        outcome: TradeOutcome::Rejected {
            retcode,
            message: message.into(),
        },
    }
}

/// Message 1 opens gold in two legs: the requests sent, not answered yet.
async fn send_two_legs(s: &mut Scripted) -> Vec<BrokerRequest> {
    s.synced().await;
    let text = gold_buy(s);
    s.message(1, &text).await;
    trades(s, 2).await
}

/// A gold buy at the live price in two legs.
fn gold_buy(s: &Scripted) -> String {
    let ask = s.sim.quote("XAUUSD").unwrap().ask;
    format!(
        "XAUUSD BUY NOW SL {:.2} TP {:.2} TP {:.2}",
        ask - 10.0,
        ask + 10.0,
        ask + 20.0
    )
}

/// The next `n` requests, in the order sent.
async fn trades(s: &mut Scripted, n: usize) -> Vec<BrokerRequest> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(s.trade().await);
    }
    out
}

async fn execute_all(s: &mut Scripted, requests: &[BrokerRequest]) {
    for r in requests {
        s.execute(r).await;
    }
}

fn waiting(d: &Decision) -> Option<&str> {
    match d {
        Decision::Waiting { reason } => Some(reason),
        _ => None,
    }
}

/// The decision on message `id`, once it is listed.
fn decided(st: &State, id: i64) -> Option<&Decision> {
    st.signals
        .iter()
        .find(|r| r.msg_id == id && r.edit == 0)
        .map(|r| &r.decision)
}

/// The terminal is back with its snapshot (the engine may reconcile before it says synced).
async fn reconnect(s: &mut Scripted) {
    s.broker(s.sim.synced()).await;
}

/// The link drops; meanwhile the price runs through the position's stop, which closes it at the
/// terminal (the engine hears nothing); then the terminal is back with its snapshot.
async fn stopped_out_while_away(s: &mut Scripted) {
    s.broker(BrokerEvent::Disconnected {
        reason: "connection reset".into(),
    })
    .await;
    let bid = s.sim.quote("XAUUSD").unwrap().bid;
    s.sim
        .set_quote("XAUUSD", bid - 30.0, bid - 29.7, now_millis())
        .unwrap();
    reconnect(s).await;
}

fn reason_of(s: &Scripted, id: i64) -> String {
    let d = decision(&s.replica.state, id);
    format!("{}: {}", d.word(), d.detail())
}

#[tokio::test]
async fn follow_ups_sent_while_the_broker_is_away_wait_for_the_open_and_apply_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    // The broker is away: an open, then two replies to it.
    let text = gold_buy(&s);
    let new_sl = s.sim.quote("XAUUSD").unwrap().bid - 5.0;
    s.message(1, &text).await;
    s.reply(2, 1, &format!("move SL to {new_sl:.2}")).await;
    s.reply(3, 1, "close half").await;
    s.until("three signals", |st| st.signals.len() == 3).await;
    for id in 1..=3 {
        let d = decision(&s.replica.state, id);
        assert!(waiting(&d).is_some(), "message {id} should wait: {d:?}");
    }
    // The broker comes back: the open goes out; the follow-ups wait for its answers.
    s.synced().await;
    let opens = trades(&mut s, 2).await;
    assert!(
        opens
            .iter()
            .all(|r| matches!(r, BrokerRequest::Place { .. }))
    );
    s.quiet(std::time::Duration::from_millis(300)).await;
    for id in 2..=3 {
        let d = decision(&s.replica.state, id);
        assert!(
            waiting(&d).is_some(),
            "message {id} must wait while the open's orders are in flight: {d:?}"
        );
    }
    // The open fills: the stop moves on both legs, and the close waits for that.
    execute_all(&mut s, &opens).await;
    let modifies = trades(&mut s, 2).await;
    for m in &modifies {
        match m {
            BrokerRequest::Modify { sl: Some(sl), .. } => {
                assert!((sl - new_sl).abs() < 0.01, "{m:?}")
            }
            other => panic!("a stop loss move expected, got {other:?}"),
        }
    }
    s.until("message 2 executed", |st| {
        matches!(decided(st, 2), Some(Decision::Executed { .. }))
    })
    .await;
    assert!(waiting(&decision(&s.replica.state, 3)).is_some());
    execute_all(&mut s, &modifies).await;
    // Then half of the signal's 0.20 lots closes.
    let close = s.trade().await;
    match &close {
        BrokerRequest::Close { volume, ticket, .. } => {
            let volume = volume.unwrap_or_else(|| s.replica.state.positions[ticket].volume);
            assert!((volume - 0.10).abs() < 1e-9, "{close:?}");
        }
        other => panic!("a close expected, got {other:?}"),
    }
    s.execute(&close).await;
    s.until("one leg left, its stop moved", |st| {
        st.positions.len() == 1
            && st
                .positions
                .values()
                .all(|p| p.sl.is_some_and(|sl| (sl - new_sl).abs() < 0.01))
    })
    .await;
    for id in 1..=3 {
        assert_eq!(
            decision(&s.replica.state, id).word(),
            "executed",
            "{}",
            reason_of(&s, id)
        );
    }
    s.stop().await;
    // The open's story tells the follow-ups that waited, decided later.
    let journal = Journal::open(dir.path()).unwrap();
    let told: Vec<i64> = journal
        .story(1)
        .unwrap()
        .unwrap()
        .iter()
        .filter_map(|step| match step {
            Step::Message { msg_id, .. } => Some(*msg_id),
            _ => None,
        })
        .collect();
    assert_eq!(told, [1, 2, 3]);
}

#[tokio::test]
async fn an_edit_made_while_the_broker_is_away_waits_and_then_applies() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    let opens = send_two_legs(&mut s).await;
    execute_all(&mut s, &opens).await;
    s.until("two positions", |st| st.positions.len() == 2).await;
    let text = s.replica.state.signals.back().unwrap().text.clone();
    s.broker(BrokerEvent::Disconnected {
        reason: "the EA closed the connection".into(),
    })
    .await;
    // The provider edits the stop while the broker is away.
    let new_sl = s.sim.quote("XAUUSD").unwrap().bid - 4.0;
    let edited = text.replace(
        &text[text.find("SL ").unwrap()..text.find(" TP").unwrap()],
        &format!("SL {new_sl:.2}"),
    );
    s.edited(1, 1, &edited).await;
    s.until("the edit listed", |st| st.signals.len() == 2).await;
    let edit = s
        .replica
        .state
        .signals
        .iter()
        .find(|r| r.edit == 1)
        .unwrap()
        .decision
        .clone();
    assert!(waiting(&edit).is_some(), "the edit must wait: {edit:?}");
    // Back: the edit moves both stops.
    s.synced().await;
    let modifies = trades(&mut s, 2).await;
    assert!(
        modifies.iter().all(|m| matches!(m, BrokerRequest::Modify { sl: Some(sl), .. } if (sl - new_sl).abs() < 0.01)),
        "{modifies:?}"
    );
    execute_all(&mut s, &modifies).await;
    s.until("both stops moved", |st| {
        st.positions
            .values()
            .all(|p| p.sl.is_some_and(|sl| (sl - new_sl).abs() < 0.01))
    })
    .await;
    let edit = s
        .replica
        .state
        .signals
        .iter()
        .find(|r| r.edit == 1)
        .unwrap();
    assert!(
        matches!(&edit.decision, Decision::Executed { summary, .. } if summary.contains("edit of signal #1")),
        "{:?}",
        edit.decision
    );
    s.stop().await;
}

#[tokio::test]
async fn a_flapping_link_does_not_use_up_a_requests_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), scripted::engine_config()).await;
    s.synced().await;
    s.signal(1).await;
    let request = s.trade().await;
    let cid = request.cid().to_string();
    // The link drops under the request a dozen times: each time the terminal never got it.
    for round in 1..=12 {
        s.broker(BrokerEvent::Disconnected {
            reason: "connection reset".into(),
        })
        .await;
        reconnect(&mut s).await;
        loop {
            match s.command().await {
                BrokerCommand::Query { cid: asked } => {
                    assert_eq!(asked, cid);
                    s.broker(found(&cid, CidState::Absent, None)).await;
                }
                BrokerCommand::Trade(again) => {
                    assert_eq!(again.cid(), cid, "round {round}: sent again under its cid");
                    break;
                }
                other => panic!("round {round}: {other:?}"),
            }
        }
    }
    // On a link that stays up it goes through, once.
    s.execute(&request).await;
    s.until("one position", |st| st.positions.len() == 1).await;
    assert_eq!(decision(&s.replica.state, 1).word(), "executed");
    s.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let lost = journal
        .orders(1)
        .map(Result::unwrap)
        .filter(|e| {
            e.cid == cid
                && matches!(
                    e.event,
                    OrderEvent::Unknown {
                        link_lost: true,
                        ..
                    }
                )
        })
        .count();
    assert_eq!(lost, 12, "every drop is journaled as the link's");
}

#[tokio::test]
async fn a_signal_says_which_of_its_orders_did_not_execute_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    s.synced().await;
    // Message 1: one leg fills, the broker refuses the other.
    let text = gold_buy(&s);
    s.message(1, &text).await;
    let legs = trades(&mut s, 2).await;
    s.execute(&legs[0]).await;
    let refused = legs[1].cid().to_string();
    s.broker(rejected(&refused, 10019, "no money")).await;
    s.until("message 1 partly executed", |st| {
        matches!(decided(st, 1), Some(Decision::PartlyExecuted { .. }))
    })
    .await;
    let reason = decision(&s.replica.state, 1).detail().to_string();
    assert!(
        reason.contains("1 of 2") && reason.contains(&refused) && reason.contains("10019"),
        "{reason}"
    );
    // Message 2: the broker refuses both legs.
    let ask = s.sim.quote("XAUUSD").unwrap().ask;
    s.message(
        2,
        &format!(
            "XAUUSD SELL NOW SL {:.2} TP {:.2} TP {:.2}",
            ask + 10.0,
            ask - 10.0,
            ask - 20.0
        ),
    )
    .await;
    for leg in trades(&mut s, 2).await {
        s.broker(rejected(leg.cid(), 10018, "market closed")).await;
    }
    s.until("message 2 not executed", |st| {
        matches!(decided(st, 2), Some(Decision::NotExecuted { .. }))
    })
    .await;
    assert!(
        reason_of(&s, 2).contains("none of 2"),
        "{}",
        reason_of(&s, 2)
    );
    let seq = s
        .replica
        .state
        .signals
        .iter()
        .find(|r| r.msg_id == 1)
        .unwrap()
        .seq;
    s.stop().await;
    // The journal keeps both decisions: as made, then what became of it; a restart reads the
    // latter.
    let journal = Journal::open(dir.path()).unwrap();
    let story = journal.story(seq).unwrap().unwrap();
    let words: Vec<&str> = story
        .iter()
        .filter_map(|step| match step {
            Step::Decision { decision, .. } => Some(decision.word()),
            _ => None,
        })
        .collect();
    assert_eq!(words, ["executed", "partly executed"]);
    assert!(matches!(
        journal.later_decisions().unwrap().get(&seq),
        Some(Decision::PartlyExecuted { .. })
    ));
}

#[tokio::test]
async fn a_position_closed_by_one_order_is_not_credited_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let rules = one_leg();
    let mut s = start_with(dir.path(), rules).await;
    let ticket = open_one_leg(&mut s).await;
    // Message 2 closes it; the link drops before the answer, and the terminal never got it.
    s.reply(2, 1, "close all").await;
    let first = s.trade().await;
    s.broker(BrokerEvent::Disconnected {
        reason: "connection reset".into(),
    })
    .await;
    // Message 3 closes it too, while the broker is away: it waits, behind message 2.
    s.reply(3, 1, "close all").await;
    s.until("message 3 listed", |st| st.signals.len() == 3)
        .await;
    assert!(waiting(&decision(&s.replica.state, 3)).is_some());
    reconnect(&mut s).await;
    assert_eq!(
        s.command().await,
        BrokerCommand::Query {
            cid: first.cid().to_string()
        }
    );
    s.broker(found(first.cid(), CidState::Absent, None)).await;
    let again = s.trade().await;
    assert_eq!(again.cid(), first.cid());
    s.execute(&again).await;
    s.until("flat", |st| st.positions.is_empty()).await;
    // Message 3 has nothing left to close, and says so; message 2 closed it.
    s.until("message 3 decided", |st| {
        decided(st, 3).is_some_and(|d| waiting(d).is_none())
    })
    .await;
    assert_eq!(decision(&s.replica.state, 2).word(), "executed");
    assert_eq!(
        decision(&s.replica.state, 3).word(),
        "refused",
        "{}",
        reason_of(&s, 3)
    );
    s.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let story = journal.story(1).unwrap().unwrap();
    let closed: Vec<String> = story
        .iter()
        .filter_map(|step| match step {
            Step::Order(o) => match &o.event {
                OrderEvent::Closed { ticket: t, by, .. } if *t == ticket => Some(by.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(closed.len(), 1, "{story:#?}");
    assert!(
        closed[0].contains(first.cid()) && closed[0].contains("signal #2"),
        "{}",
        closed[0]
    );
}

#[tokio::test]
async fn a_close_the_terminal_has_no_deal_for_is_not_executed_even_if_the_position_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let rules = one_leg();
    let mut s = start_with(dir.path(), rules).await;
    open_one_leg(&mut s).await;
    s.reply(2, 1, "close all").await;
    let close = s.trade().await;
    stopped_out_while_away(&mut s).await;
    assert_eq!(
        s.command().await,
        BrokerCommand::Query {
            cid: close.cid().to_string()
        }
    );
    s.broker(found(close.cid(), CidState::Absent, None)).await;
    s.until("message 2 not executed", |st| {
        matches!(decided(st, 2), Some(Decision::NotExecuted { .. }))
    })
    .await;
    assert!(
        reason_of(&s, 2).contains("no deal for it"),
        "{}",
        reason_of(&s, 2)
    );
    s.stop().await;
}

/// A stop move whose answer was lost with the link, on a position its stop closed meanwhile: not
/// sent again (it could only be refused), and the signal says the position is gone.
#[tokio::test]
async fn a_modify_of_a_position_closed_while_its_outcome_was_unknown_is_not_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), one_leg()).await;
    let ticket = open_one_leg(&mut s).await;
    let sl = s.replica.state.positions[&ticket].sl.unwrap();
    s.reply(2, 1, &format!("move SL to {:.2}", sl + 5.0)).await;
    let modify = s.trade().await;
    assert!(matches!(modify, BrokerRequest::Modify { .. }), "{modify:?}");
    // The terminal applies it, the answer is lost with the link, and the price runs to the new
    // stop: the position is closed while the engine hears nothing.
    s.sim.handle(&modify, now_millis());
    stopped_out_while_away(&mut s).await;
    assert_eq!(
        s.command().await,
        BrokerCommand::Query {
            cid: modify.cid().to_string()
        }
    );
    s.broker(found(modify.cid(), CidState::Absent, None)).await;
    s.until("message 2 settled", |st| {
        matches!(decided(st, 2), Some(Decision::NotExecuted { .. }))
    })
    .await;
    let reason = reason_of(&s, 2);
    assert!(
        reason.contains(&format!("#{ticket} is no longer at the terminal")),
        "{reason}"
    );
    s.quiet(std::time::Duration::from_millis(400)).await;
    s.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let intents = journal
        .orders(1)
        .map(Result::unwrap)
        .filter(|e| e.cid == modify.cid() && matches!(e.event, OrderEvent::Intent { .. }))
        .count();
    assert_eq!(intents, 1, "journaled and sent once, never again");
}

#[tokio::test]
async fn an_operator_close_waits_for_the_answer_to_a_request_on_the_same_position() {
    let dir = tempfile::tempdir().unwrap();
    let rules = one_leg();
    let mut s = start_with(dir.path(), rules).await;
    let ticket = open_one_leg(&mut s).await;
    s.reply(2, 1, "close all").await;
    let close = s.trade().await;
    match s.operator(Action::ClosePosition { ticket }).await {
        Reply::Refused { reason } => assert!(reason.contains("not answered yet"), "{reason}"),
        other => panic!("two closes must not race for #{ticket}: {other:?}"),
    }
    s.execute(&close).await;
    s.until("flat", |st| st.positions.is_empty()).await;
    s.stop().await;
}

#[tokio::test]
async fn a_signals_age_is_measured_from_when_it_was_posted() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    s.synced().await;
    // Posted ten minutes ago, read now (a backlog, or a journal that lost it): too old.
    let text = gold_buy(&s);
    s.send(RawMessage {
        sent_at: Some(now_millis() - 600_000),
        ..raw(1, &text)
    })
    .await;
    s.until("message 1 decided", |st| st.signals.len() == 1)
        .await;
    let reason = reason_of(&s, 1);
    assert!(
        reason.starts_with("refused") && reason.contains("max_signal_age_secs"),
        "{reason}"
    );
    // Posted a second ago: copied.
    s.send(RawMessage {
        sent_at: Some(now_millis() - 1_000),
        ..raw(2, &text)
    })
    .await;
    let legs = trades(&mut s, 2).await;
    assert!(
        legs.iter()
            .all(|r| matches!(r, BrokerRequest::Place { .. }))
    );
    s.stop().await;
}

#[tokio::test]
async fn trades_the_journal_never_sent_hold_new_entries_until_an_operator_decides() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    // At the broker: a position with SignalOS's magic and cid, from a journal that is gone.
    let ask = s.sim.quote("XAUUSD").unwrap().ask;
    let _ = s.sim.handle(
        &BrokerRequest::Place {
            cid: "gone-s7-1".into(),
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            order_type: OrderType::Market,
            volume: 0.1,
            price: None,
            sl: Some(ask - 10.0),
            tp: None,
        },
        now_millis(),
    );
    s.synced().await;
    s.until("paused", |st| st.mode == Mode::Paused).await;
    assert!(
        s.replica.state.mode_reason.contains("gone-s7-1"),
        "{}",
        s.replica.state.mode_reason
    );
    // No new entry meanwhile, with why.
    let text = gold_buy(&s);
    s.message(1, &text).await;
    s.until("message 1 decided", |st| st.signals.len() == 1)
        .await;
    assert!(reason_of(&s, 1).contains("PAUSED"), "{}", reason_of(&s, 1));
    // The operator lets it be: trading resumes, and a reconnect does not hold it again.
    match s
        .operator(Action::Resume {
            reason: "that position is mine, from my old VPS".into(),
        })
        .await
    {
        Reply::Accepted { .. } => {}
        other => panic!("{other:?}"),
    }
    reconnect(&mut s).await;
    s.message(2, &text).await;
    let legs = trades(&mut s, 2).await;
    assert!(
        legs.iter()
            .all(|r| matches!(r, BrokerRequest::Place { .. }))
    );
    s.until("still active", |st| st.mode == Mode::Active).await;
    s.stop().await;
    // The hold is the engine's own command in the audit log.
    let journal = Journal::open(dir.path()).unwrap();
    let audit: Vec<_> = journal.audit(1).map(Result::unwrap).collect();
    assert!(
        audit
            .iter()
            .any(|a| a.origin.who == "reconcile" && matches!(a.action, Action::Pause)),
        "{audit:#?}"
    );
}

#[tokio::test]
async fn what_became_of_a_signals_orders_is_told_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = rules();
    // A request the terminal never got is not sent again: it did not execute.
    rules.engine.resend_window_secs = 0;
    let mut s = start_with(dir.path(), rules.clone()).await;
    let legs = send_two_legs(&mut s).await;
    s.execute(&legs[0]).await;
    s.until("one position", |st| st.positions.len() == 1).await;
    // The engine stops with the second leg unanswered.
    s.stop().await;
    let mut s = start_with(dir.path(), rules).await;
    assert!(matches!(
        decision(&s.replica.state, 1),
        Decision::Executed { .. }
    ));
    // Keep the simulator's book: the first leg is there, the second never arrived.
    let _ = s.sim.handle(&legs[0], now_millis());
    reconnect(&mut s).await;
    let missing = legs[1].cid().to_string();
    assert_eq!(
        s.command().await,
        BrokerCommand::Query {
            cid: missing.clone()
        }
    );
    s.broker(found(&missing, CidState::Absent, None)).await;
    s.until("message 1 partly executed", |st| {
        matches!(decided(st, 1), Some(Decision::PartlyExecuted { .. }))
    })
    .await;
    assert!(reason_of(&s, 1).contains(&missing), "{}", reason_of(&s, 1));
    s.stop().await;
    // And a third start reads it from the journal.
    let s = start_with(dir.path(), engine_config()).await;
    assert!(matches!(
        decision(&s.replica.state, 1),
        Decision::PartlyExecuted { .. }
    ));
    s.stop().await;
}

#[tokio::test]
async fn the_emergency_stop_never_closes_twice_while_the_book_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = one_leg();
    rules.engine.halt_retry_secs = 1;
    let mut s = start_with(dir.path(), rules).await;
    open_one_leg(&mut s).await;
    assert!(matches!(
        s.operator(Action::EmergencyStop).await,
        Reply::Accepted { .. }
    ));
    let close = s.trade().await;
    assert!(matches!(close, BrokerRequest::Close { .. }), "{close:?}");
    // The terminal answers done; the book's own word that the position is gone comes late.
    let events = s.sim.handle(&close, now_millis());
    let (answers, book): (Vec<_>, Vec<_>) = events
        .into_iter()
        .partition(|e| matches!(e, BrokerEvent::Result { .. }));
    for e in answers {
        s.broker(e).await;
    }
    // Past the halt's retry interval: nothing is sent again for that position.
    s.quiet(std::time::Duration::from_millis(2500)).await;
    for e in book {
        s.broker(e).await;
    }
    s.until("flat", |st| st.positions.is_empty()).await;
    s.stop().await;
}

#[tokio::test]
async fn a_decision_whose_orders_were_only_partly_journaled_says_so_after_a_restart() {
    use signalos::model::{Parsed, SignalKind, SignalRecord};
    use signalos::store::OrderEntry;
    let dir = tempfile::tempdir().unwrap();
    // A journal from before a decision's intents were written together: the engine stopped
    // between the first leg's intent and the second's.
    {
        let mut journal = Journal::open(dir.path()).unwrap();
        let mut meta = journal.meta().unwrap();
        meta.instance = "old1".into();
        journal.set_meta(&meta).unwrap();
        let cids = vec!["old1-s1-1".to_string(), "old1-s1-2".to_string()];
        journal
            .append_signal(&SignalRecord {
                seq: 1,
                received_at: now_millis(),
                sent_at: None,
                source: "test".into(),
                chat: "vip".into(),
                msg_id: 1,
                edit: 0,
                edited_at: None,
                reply_to: None,
                text: "XAUUSD BUY NOW".into(),
                parsed: Parsed {
                    kind: SignalKind::Open,
                    symbol: Some("XAUUSD".into()),
                    ..Parsed::default()
                },
                linked: None,
                decision: Decision::Executed {
                    summary: "BUY XAUUSD".into(),
                    cids: cids.clone(),
                },
            })
            .unwrap();
        let request = BrokerRequest::Place {
            cid: cids[0].clone(),
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            order_type: OrderType::Market,
            volume: 0.1,
            price: None,
            sl: None,
            tp: None,
        };
        journal
            .append_order(OrderEntry {
                seq: 0,
                at: now_millis(),
                cid: cids[0].clone(),
                signal: Some(1),
                command: None,
                event: OrderEvent::Intent {
                    request: request.clone(),
                    summary: "BUY XAUUSD 0.10".into(),
                },
            })
            .unwrap();
        journal
            .append_order(OrderEntry {
                seq: 0,
                at: now_millis(),
                cid: cids[0].clone(),
                signal: Some(1),
                command: None,
                event: OrderEvent::Outcome {
                    outcome: TradeOutcome::Done {
                        ticket: 9,
                        price: None,
                        volume: None,
                    },
                },
            })
            .unwrap();
        journal.flush_blocking().unwrap();
    }
    let s = start_with(dir.path(), rules()).await;
    match decision(&s.replica.state, 1) {
        Decision::PartlyExecuted { reason, .. } => {
            assert!(
                reason.contains("old1-s1-2") && reason.contains("never sent"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn a_follow_up_waits_for_the_book_to_show_what_its_open_made() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules()).await;
    let legs = send_two_legs(&mut s).await;
    s.execute(&legs[0]).await;
    s.reply(2, 1, "close all").await;
    // The second leg's answer comes before the book shows its position.
    let events = s.sim.handle(&legs[1], now_millis());
    let (answers, book): (Vec<_>, Vec<_>) = events
        .into_iter()
        .partition(|e| matches!(e, BrokerEvent::Result { .. }));
    for e in answers {
        s.broker(e).await;
    }
    s.quiet(std::time::Duration::from_millis(500)).await;
    for e in book {
        s.broker(e).await;
    }
    // Now both legs close, not only the one the book showed first.
    let closes = trades(&mut s, 2).await;
    let mut tickets: Vec<u64> = closes
        .iter()
        .map(|c| match c {
            BrokerRequest::Close { ticket, volume, .. } => {
                assert_eq!(*volume, None, "{c:?}");
                *ticket
            }
            other => panic!("a close expected, got {other:?}"),
        })
        .collect();
    tickets.sort();
    s.until("both legs on the book", |st| st.positions.len() == 2)
        .await;
    let mut open: Vec<u64> = s.replica.state.positions.keys().copied().collect();
    open.sort();
    assert_eq!(tickets, open);
    s.stop().await;
}

#[tokio::test]
async fn an_exit_that_waited_longer_than_the_wait_limit_still_applies() {
    let dir = tempfile::tempdir().unwrap();
    let mut rules = one_leg();
    rules.engine.signal_wait_secs = 1;
    let mut s = start_with(dir.path(), rules).await;
    let ticket = open_one_leg(&mut s).await;
    s.broker(BrokerEvent::Disconnected {
        reason: "connection reset".into(),
    })
    .await;
    s.reply(2, 1, "close all").await;
    // An open that comes now waits too, and is refused once it waited too long.
    let text = gold_buy(&s);
    s.message(3, &text).await;
    s.until("message 3 refused for its wait", |st| {
        decided(st, 3).is_some_and(|d| d.word() == "refused")
    })
    .await;
    assert!(
        reason_of(&s, 3).contains("signal_wait_secs"),
        "{}",
        reason_of(&s, 3)
    );
    // The exit still waits, past the limit, and goes once the broker is back.
    assert!(waiting(&decision(&s.replica.state, 2)).is_some());
    reconnect(&mut s).await;
    match s.trade().await {
        BrokerRequest::Close { ticket: t, .. } => assert_eq!(t, ticket),
        other => panic!("the close expected, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn an_answer_for_another_ticket_is_not_taken_for_done_and_holds_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), one_leg()).await;
    let ticket = open_one_leg(&mut s).await;
    s.reply(2, 1, "close all").await;
    let close = s.trade().await;
    // The terminal answers from its memory of this cid, for a position this journal does not
    // know of: the cid was used before (a journal restored from an older backup).
    s.broker(BrokerEvent::Result {
        cid: close.cid().to_string(),
        outcome: TradeOutcome::Done {
            ticket: ticket + 1000,
            price: None,
            volume: Some(0.05),
        },
    })
    .await;
    s.until("message 2 not executed", |st| {
        matches!(decided(st, 2), Some(Decision::NotExecuted { .. }))
    })
    .await;
    assert!(
        reason_of(&s, 2).contains(&format!("not #{ticket}")),
        "{}",
        reason_of(&s, 2)
    );
    s.until("paused", |st| st.mode == Mode::Paused).await;
    assert!(s.replica.state.positions.contains_key(&ticket));
    s.stop().await;
}

#[tokio::test]
async fn an_edit_does_not_move_back_a_stop_a_later_follow_up_moved() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), one_leg()).await;
    let ticket = open_one_leg(&mut s).await;
    let text = s.replica.state.signals.back().unwrap().text.clone();
    let bid = s.sim.quote("XAUUSD").unwrap().bid;
    // The provider tightens the stop by a reply, then edits the open with a looser one.
    let tighter = bid - 4.0;
    s.reply(2, 1, &format!("move SL to {tighter:.2}")).await;
    let modify = s.trade().await;
    s.execute(&modify).await;
    s.until("the stop moved", |st| {
        st.positions[&ticket]
            .sl
            .is_some_and(|sl| (sl - tighter).abs() < 0.01)
    })
    .await;
    let looser = bid - 20.0;
    let edited = text.replace(
        &text[text.find("SL ").unwrap()..text.find(" TP").unwrap()],
        &format!("SL {looser:.2}"),
    );
    s.edited(1, 1, &edited).await;
    s.until("the edit decided", |st| {
        st.signals
            .iter()
            .any(|r| r.edit == 1 && waiting(&r.decision).is_none())
    })
    .await;
    let edit = s
        .replica
        .state
        .signals
        .iter()
        .find(|r| r.edit == 1)
        .unwrap();
    assert_eq!(edit.decision.word(), "ignored", "{:?}", edit.decision);
    assert!(
        edit.decision.detail().contains("the stop was moved since"),
        "{:?}",
        edit.decision
    );
    s.quiet(std::time::Duration::from_millis(300)).await;
    s.stop().await;
}

#[tokio::test]
async fn a_second_edit_waits_for_the_book_to_show_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), one_leg()).await;
    let ticket = open_one_leg(&mut s).await;
    let text = s.replica.state.signals.back().unwrap().text.clone();
    let bid = s.sim.quote("XAUUSD").unwrap().bid;
    let with_sl = |sl: f64| {
        text.replace(
            &text[text.find("SL ").unwrap()..text.find(" TP").unwrap()],
            &format!("SL {sl:.2}"),
        )
    };
    s.edited(1, 1, &with_sl(bid - 5.0)).await;
    let first = s.trade().await;
    // Its answer comes; the book's word on the new stop comes late.
    let events = s.sim.handle(&first, now_millis());
    let (answers, book): (Vec<_>, Vec<_>) = events
        .into_iter()
        .partition(|e| matches!(e, BrokerEvent::Result { .. }));
    for e in answers {
        s.broker(e).await;
    }
    s.edited(1, 2, &with_sl(bid - 6.0)).await;
    s.quiet(std::time::Duration::from_millis(500)).await;
    for e in book {
        s.broker(e).await;
    }
    // Then the second edit moves the stop on, as the provider's latest version says.
    match s.trade().await {
        BrokerRequest::Modify { ticket: t, sl, .. } => {
            assert_eq!(t, ticket);
            assert!(
                sl.is_some_and(|sl| (sl - (bid - 6.0)).abs() < 0.01),
                "{sl:?}"
            );
        }
        other => panic!("the second edit's modify expected, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn an_edit_that_flips_the_side_is_refused_and_names_the_trades_left_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), one_leg()).await;
    let ticket = open_one_leg(&mut s).await;
    let flipped = gold_buy(&s).replace("BUY", "SELL");
    s.edited(1, 1, &flipped).await;
    s.until("the edit decided", |st| st.signals.len() == 2)
        .await;
    let edit = s
        .replica
        .state
        .signals
        .iter()
        .find(|r| r.edit == 1)
        .unwrap();
    let Decision::Refused { reason } = &edit.decision else {
        panic!("{:?}", edit.decision)
    };
    assert!(
        reason.contains("changes the symbol or the side")
            && reason.contains(&format!("#{ticket}"))
            && reason.contains("close them yourself"),
        "{reason}"
    );
    s.quiet(std::time::Duration::from_millis(300)).await;
    s.stop().await;
}
