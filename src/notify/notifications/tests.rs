use super::*;
use crate::broker::CloseReason;
use crate::engine::{Link, LinkState};
use crate::model::{Mode, Parsed, Position};
use crate::tui::fixture;
use std::time::Duration;

const ALL: [NotifyKind; 7] = [
    NotifyKind::Fills,
    NotifyKind::Closes,
    NotifyKind::Refusals,
    NotifyKind::Unmatched,
    NotifyKind::Unread,
    NotifyKind::Halts,
    NotifyKind::Links,
];

/// A notifier that began at `state`, and `state` after `change`, with what it said.
fn after(notifier: &mut Notifier, state: &mut State, change: Change) -> Vec<String> {
    let notes = notifier.on_change(state, &change);
    state.apply(&change);
    notes
}

fn link(state: LinkState, detail: &str) -> Change {
    Change::Link {
        name: "broker".into(),
        link: Link {
            state,
            detail: detail.into(),
        },
    }
}

fn new_signal(state: &State, parsed: Parsed, decision: Decision) -> SignalRecord {
    let mut record = state.signals.back().cloned().unwrap();
    record.seq += 1;
    record.parsed = parsed;
    record.linked = None;
    record.decision = decision;
    record
}

#[test]
fn a_fill_and_a_close_are_told_with_the_trade_and_its_profit() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let mut opened = state.positions[&1_000_101].clone();
    opened.ticket = 1_000_200;
    let notes = after(&mut notifier, &mut state, Change::Position(opened.clone()));
    assert_eq!(
        notes,
        [
            "OPENED #1000200 BUY 0.10 XAUUSD open 4148.50 now 4152.30 SL 4148.50 TP 4155.00 P&L +38.00 (signal #12)"
        ]
    );
    // A change of a position already open (a stop moved) is no fill.
    opened.sl = Some(4150.0);
    assert!(after(&mut notifier, &mut state, Change::Position(opened)).is_empty());
    let closed = Change::PositionClosed {
        ticket: 1_000_200,
        price: 4155.0,
        profit: 65.0,
        reason: CloseReason::TakeProfit,
    };
    assert_eq!(
        after(&mut notifier, &mut state, closed),
        ["CLOSED #1000200 BUY 0.10 XAUUSD 4148.50 → 4155.00: +65.00 USD (take profit, signal #12)"]
    );
}

#[test]
fn a_pending_order_filled_names_the_order() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let order = state.orders[&1_000_103].clone();
    assert!(
        after(
            &mut notifier,
            &mut state,
            Change::OrderRemoved {
                ticket: order.ticket
            }
        )
        .is_empty()
    );
    let position = Position {
        ticket: 1_000_103,
        symbol: order.symbol.clone(),
        side: order.side,
        volume: order.volume,
        open_price: 4140.0,
        open_time: fixture::NOW,
        sl: order.sl,
        tp: order.tp,
        current_price: 4140.0,
        profit: 0.0,
        swap: 0.0,
        commission: 0.0,
        cid: order.cid.clone(),
    };
    let notes = after(&mut notifier, &mut state, Change::Position(position));
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with(
            "FILLED pending order #1000103 (BUY LIMIT): #1000103 BUY 0.20 XAUUSD open 4140.00"
        ),
        "{}",
        notes[0]
    );
}

#[test]
fn a_refusal_says_why_once_and_an_unmatched_follow_up_is_its_own_kind() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let open = state
        .signals
        .iter()
        .find(|s| s.seq == 13)
        .unwrap()
        .parsed
        .clone();
    let refused = new_signal(
        &state,
        open,
        Decision::Refused {
            reason: "the spread is 45 points, above 30".into(),
        },
    );
    let notes = after(
        &mut notifier,
        &mut state,
        Change::Signal(Box::new(refused.clone())),
    );
    assert_eq!(notes.len(), 1);
    assert!(notes[0].starts_with("REFUSED #18 "), "{}", notes[0]);
    assert!(
        notes[0].ends_with("→ the spread is 45 points, above 30"),
        "{}",
        notes[0]
    );
    // The same decision published again (a later look at the same signal) is not said twice.
    assert!(after(&mut notifier, &mut state, Change::Signal(Box::new(refused))).is_empty());

    let follow_up = new_signal(
        &state,
        Parsed {
            kind: SignalKind::Close,
            ..Parsed::default()
        },
        Decision::Refused {
            reason: "the message it replies to (7) opened no trade that SignalOS copied".into(),
        },
    );
    let notes = after(
        &mut notifier,
        &mut state,
        Change::Signal(Box::new(follow_up.clone())),
    );
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with("NO TRADE FOR FOLLOW-UP #19 "),
        "{}",
        notes[0]
    );

    // Switched off, it is not said; refusals still are.
    let mut quiet = Notifier::new(vec![NotifyKind::Refusals], &fixture::state(Mode::Active));
    let mut state = fixture::state(Mode::Active);
    assert!(after(&mut quiet, &mut state, Change::Signal(Box::new(follow_up))).is_empty());
}

#[test]
fn an_unread_message_is_told_once_with_why_and_has_its_own_switch() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let unread = fixture::unread("XAUUSD something 2350 weird");
    let notes = after(
        &mut notifier,
        &mut state,
        Change::Signal(Box::new(unread.clone())),
    );
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("UNREAD #18 "), "{}", notes[0]);
    assert!(
        notes[0].contains("XAUUSD something 2350 weird"),
        "{}",
        notes[0]
    );
    assert!(
        notes[0].contains("\n→ names XAUUSD and 2350, read as none: "),
        "{}",
        notes[0]
    );
    assert!(
        after(
            &mut notifier,
            &mut state,
            Change::Signal(Box::new(unread.clone()))
        )
        .is_empty()
    );

    // Switched off, it is not said; an ignored message is never said.
    let mut quiet = Notifier::new(vec![NotifyKind::Refusals], &fixture::state(Mode::Active));
    let mut state = fixture::state(Mode::Active);
    assert!(after(&mut quiet, &mut state, Change::Signal(Box::new(unread))).is_empty());
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let chatter = new_signal(
        &state,
        crate::parse::parse("hello everyone"),
        Decision::Ignored {
            reason: "kind: none — no symbol".into(),
        },
    );
    assert!(after(&mut notifier, &mut state, Change::Signal(Box::new(chatter))).is_empty());
}

#[test]
fn signals_decided_before_notifications_began_are_not_told() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    // #13 was refused before: published again, it is old news.
    let old = state.signals.iter().find(|s| s.seq == 13).cloned().unwrap();
    assert!(after(&mut notifier, &mut state, Change::Signal(Box::new(old))).is_empty());
}

#[test]
fn a_signal_waiting_when_notifications_began_is_told_when_refused() {
    let mut state = fixture::state(Mode::Active);
    let mut waiting = state.signals.iter().find(|s| s.seq == 13).cloned().unwrap();
    waiting.seq = 18;
    waiting.decision = Decision::Waiting {
        reason: "the broker is not connected".into(),
    };
    state.apply(&Change::Signal(Box::new(waiting.clone())));
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    waiting.decision = Decision::Refused {
        reason: "the broker stayed away longer than engine.signal_wait_secs".into(),
    };
    let notes = after(&mut notifier, &mut state, Change::Signal(Box::new(waiting)));
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("REFUSED #18"), "{}", notes[0]);
}

#[test]
fn halts_and_daily_limits_are_told_once() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let halt = Change::Mode {
        mode: Mode::Halted,
        reason: "emergency stop by telegram:1 (Anna)".into(),
    };
    assert_eq!(
        after(&mut notifier, &mut state, halt.clone()),
        ["HALTED — emergency stop by telegram:1 (Anna)"]
    );
    assert!(after(&mut notifier, &mut state, halt).is_empty());
    let mut day = state.day.clone().unwrap();
    day.tripped = Some("daily loss 3.1% of 10,150.00, limit 3%".into());
    assert_eq!(
        after(&mut notifier, &mut state, Change::Day(day.clone())),
        ["DAILY LIMIT HIT: daily loss 3.1% of 10,150.00, limit 3%"]
    );
    day.high_equity += 1.0;
    assert!(after(&mut notifier, &mut state, Change::Day(day)).is_empty());
}

#[test]
fn a_flapping_link_is_said_lost_once_and_back_once() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let mut said = Vec::new();
    for change in [
        link(LinkState::Down, "connection reset"),
        link(LinkState::Connecting, "reconnecting"),
        link(LinkState::Degraded, "heartbeat late"),
        link(LinkState::Down, "connection reset"),
        link(LinkState::Handshaking, "handshake"),
        link(LinkState::Synced, "synced"),
        link(LinkState::Synced, "synced: 2 position(s)"),
    ] {
        said.extend(after(&mut notifier, &mut state, change));
    }
    assert_eq!(
        said,
        [
            "LOST: broker: DOWN (connection reset)",
            "BACK: broker: SYNCED (synced)"
        ]
    );
}

#[test]
fn a_link_coming_up_for_the_first_time_is_no_news() {
    let mut state = State::default();
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    assert!(after(&mut notifier, &mut state, link(LinkState::Connecting, "")).is_empty());
    assert!(after(&mut notifier, &mut state, link(LinkState::Synced, "synced")).is_empty());
}

#[test]
fn a_fresh_snapshot_tells_only_what_was_missed() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    // Told before the lag: the broker lost.
    after(&mut notifier, &mut state, link(LinkState::Down, "reset"));
    let before = state.clone();
    // Missed: #1000102 closed (+20), #1000101 still open, a new refusal, the broker still down,
    // a halt.
    let mut now = before.clone();
    now.apply(&Change::PositionClosed {
        ticket: 1_000_102,
        price: 1.0821,
        profit: 20.0,
        reason: CloseReason::StopLoss,
    });
    let refused = new_signal(
        &now,
        Parsed::default(),
        Decision::Refused {
            reason: "no symbol".into(),
        },
    );
    now.apply(&Change::Signal(Box::new(refused)));
    now.apply(&link(LinkState::Retrying, "again in 4 s"));
    now.apply(&Change::Mode {
        mode: Mode::Halted,
        reason: "emergency stop by console:alice".into(),
    });
    let notes = notifier.on_resync(&before, &now);
    assert_eq!(notes.len(), 3, "{notes:#?}");
    assert_eq!(notes[0], "HALTED — emergency stop by console:alice");
    assert_eq!(
        notes[1],
        "CLOSED #1000102: together +20.00 (each one's profit is in the journal)"
    );
    assert!(notes[2].starts_with("REFUSED #18"), "{}", notes[2]);
    // A second snapshot with nothing new says nothing.
    assert!(notifier.on_resync(&now, &now).is_empty());
}

#[test]
fn what_changed_while_the_broker_was_away_is_told_on_its_return() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let mut came = state.positions[&1_000_101].clone();
    came.ticket = 1_000_300;
    let snapshot = crate::broker::BrokerSnapshot {
        account: state.account.clone().unwrap(),
        symbols: state.symbols.values().cloned().collect(),
        quotes: state.quotes.clone().into_iter().collect(),
        // #1000102 closed while away; #1000300 opened.
        positions: vec![state.positions[&1_000_101].clone(), came],
        orders: state.orders.values().cloned().collect(),
    };
    let notes = after(&mut notifier, &mut state, Change::Synced(snapshot.clone()));
    assert_eq!(
        notes,
        [
            "CLOSED #1000102 SELL 0.50 EURUSD while the broker link was down (its P&L is in the terminal's history)",
            "OPENED while the broker link was down: #1000300 BUY 0.10 XAUUSD open 4148.50 now 4152.30 SL 4148.50 TP 4155.00 P&L +38.00 (signal #12)"
        ]
    );
    // The first picture, when SignalOS starts, is no news.
    let mut fresh = State::default();
    let mut notifier = Notifier::new(ALL.to_vec(), &fresh);
    assert!(after(&mut notifier, &mut fresh, Change::Synced(snapshot)).is_empty());
}

#[test]
fn a_link_is_said_lost_only_once_it_stays_lost_and_back_only_if_said_lost() {
    let mut state = fixture::state(Mode::Active);
    let grace = Duration::from_secs(20);
    let mut notifier = Notifier::new(ALL.to_vec(), &state).with_link_grace(grace);
    let t0 = Instant::now();
    let mut at = |notifier: &mut Notifier, change: Change, secs: u64| {
        let notes = notifier.on_change_at(&state, &change, t0 + Duration::from_secs(secs));
        state.apply(&change);
        notes
    };
    // A blip: a 502, a 429 of 7 s.
    assert!(
        at(
            &mut notifier,
            link(LinkState::Retrying, "retrying in 0.1 s"),
            0
        )
        .is_empty()
    );
    assert!(at(&mut notifier, link(LinkState::Synced, "synced"), 7).is_empty());
    assert_eq!(notifier.next_due(), None);
    // Lost for good.
    assert!(at(&mut notifier, link(LinkState::Down, "connection reset"), 10).is_empty());
    assert!(at(&mut notifier, link(LinkState::Retrying, "again in 4 s"), 12).is_empty());
    assert_eq!(notifier.next_due(), Some(t0 + Duration::from_secs(30)));
    assert!(notifier.due(t0 + Duration::from_secs(29)).is_empty());
    assert_eq!(
        notifier.due(t0 + Duration::from_secs(30)),
        ["LOST: broker: RETRYING (again in 4 s)"]
    );
    assert!(notifier.due(t0 + Duration::from_secs(60)).is_empty());
    assert_eq!(notifier.next_due(), None);
    assert_eq!(
        at(&mut notifier, link(LinkState::Synced, "synced"), 61),
        ["BACK: broker: SYNCED (synced)"]
    );
}

#[test]
fn a_partial_close_and_a_pending_order_placed_are_told() {
    let mut state = fixture::state(Mode::Active);
    let mut notifier = Notifier::new(ALL.to_vec(), &state);
    let mut half = state.positions[&1_000_101].clone();
    half.volume = 0.05;
    assert_eq!(
        after(&mut notifier, &mut state, Change::Position(half.clone())),
        ["PARTLY CLOSED #1000101: 0.05 of 0.10 lots BUY XAUUSD closed, 0.05 left open"]
    );
    // A price change of the same volume is no news.
    half.current_price += 1.0;
    assert!(after(&mut notifier, &mut state, Change::Position(half)).is_empty());
    let mut order = state.orders[&1_000_103].clone();
    order.ticket = 1_000_400;
    let placed = after(&mut notifier, &mut state, Change::Order(order.clone()));
    assert_eq!(placed.len(), 1);
    assert!(
        placed[0].starts_with("PENDING order placed: #1000400 BUY LIMIT 0.20 XAUUSD @ 4140.00"),
        "{}",
        placed[0]
    );
    // Modified, it is not placed again.
    order.price += 1.0;
    assert!(after(&mut notifier, &mut state, Change::Order(order)).is_empty());
}
