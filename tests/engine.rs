//! The engine against the real parts: a sled journal in a temp dir and the simulated MT5 account
//! speaking the broker protocol.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use signalos::api::RawMessage;
use signalos::broker::{BrokerCommand, sim};
use signalos::engine::{
    self, Action, Command, EngineHandle, Input, IntentStatus, Origin, OriginKind, Replica, Reply,
    Role, Rules, State,
};
use signalos::model::{
    Decision, LinkState, Mode, PendingOrder, Position, Side, now_millis, signal_of_cid,
};
use signalos::parse::{Aliases, Words};
use signalos::store::{Journal, OrderEvent, Step};
use tokio::sync::mpsc;

#[path = "support/config.rs"]
mod config;
#[path = "support/live.rs"]
mod live;
#[path = "support/message.rs"]
mod message;
#[path = "support/wait.rs"]
mod wait;

/// The tests' rules, with three legs of 0.10 and quick retries of an emergency stop.
fn rules() -> Rules {
    let mut rules = config::with_legs(0.30, 3);
    rules.engine.halt_retry_secs = 1;
    rules
}

struct Harness {
    engine: EngineHandle,
    replica: Replica,
    engine_task: tokio::task::JoinHandle<()>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Where the simulator keeps its account: the broker's side of the truth.
    state_file: std::path::PathBuf,
}

/// How long a test waits for what it expects before it fails: long, since a loaded machine is
/// slow and a passing test never waits it out.
const WAIT: Duration = Duration::from_secs(30);

/// A trade as both sides must agree on it: ticket, cid, symbol, side, lots, open price, SL, TP.
type Held = (
    u64,
    String,
    String,
    Side,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
);

fn held_positions(positions: &[Position]) -> Vec<Held> {
    let mut held: Vec<Held> = positions
        .iter()
        .map(|p| {
            (
                p.ticket,
                p.cid.clone(),
                p.symbol.clone(),
                p.side,
                p.volume,
                p.open_price,
                p.sl,
                p.tp,
            )
        })
        .collect();
    held.sort_by_key(|h| h.0);
    held
}

fn held_orders(orders: &[PendingOrder]) -> Vec<Held> {
    let mut held: Vec<Held> = orders
        .iter()
        .map(|o| {
            (
                o.ticket,
                o.cid.clone(),
                o.symbol.clone(),
                o.side,
                o.volume,
                o.price,
                o.sl,
                o.tp,
            )
        })
        .collect();
    held.sort_by_key(|h| h.0);
    held
}

/// Start an engine on the journal in `dir` and a simulator whose account is kept in `dir` too,
/// the way `signalos run` does: the simulator plays the EA over the bridge on a loopback port.
async fn start(dir: &std::path::Path) -> Harness {
    let journal = Journal::open(dir).unwrap();
    let state_file = dir.join("simulator.json");
    let account = sim::load_or_new(&live::config(), &state_file, now_millis()).unwrap();
    let live = live::start(journal, rules(), account, Some(state_file.clone())).await;
    let replica = Replica::subscribe(&live.engine).await.unwrap();
    let mut tasks = live.tasks;
    tasks.push(live.ea);
    Harness {
        engine: live.engine,
        replica,
        engine_task: live.engine_task,
        tasks,
        state_file,
    }
}

impl Harness {
    /// Wait until the replica's state satisfies `pred`.
    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        if !wait::state_until(&mut self.replica, &self.engine, pred).await {
            panic!(
                "timed out waiting for {what}; state: {:#?}",
                self.replica.state
            );
        }
    }

    /// Wait until the engine's positions and pending orders are the simulator's, as it saved
    /// its account (after every change of the book, before the engine hears of it), and return
    /// the positions.
    async fn at_the_simulator(&mut self) -> Vec<Held> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            // A file being replaced may be read half-written: read it again.
            let saved = std::fs::read_to_string(&self.state_file)
                .ok()
                .and_then(|text| serde_json::from_str::<sim::SimAccount>(&text).ok());
            let engine = (
                held_positions(
                    &self
                        .replica
                        .state
                        .positions
                        .values()
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
                held_orders(
                    &self
                        .replica
                        .state
                        .orders
                        .values()
                        .cloned()
                        .collect::<Vec<_>>(),
                ),
            );
            if let Some(saved) = &saved {
                let broker = (
                    held_positions(saved.positions()),
                    held_orders(saved.orders()),
                );
                if broker == engine {
                    return engine.0;
                }
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(
                !left.is_zero(),
                "the engine holds {engine:#?}\nthe simulator {:#?}",
                saved.map(|s| (held_positions(s.positions()), held_orders(s.orders())))
            );
            // Whichever changes first: the engine's state, or (polled) the simulator's file.
            tokio::select! {
                changed = self.replica.changed(&self.engine) => changed.unwrap(),
                () = tokio::time::sleep(Duration::from_millis(20).min(left)) => {}
            }
        }
    }

    async fn synced(&mut self) {
        self.until("the broker snapshot", |s| {
            s.quotes.contains_key("XAUUSD")
                && s.links
                    .get("broker")
                    .is_some_and(|l| l.state == LinkState::Synced)
        })
        .await;
    }

    async fn message(&self, id: i64, text: &str, reply_to: Option<i64>) {
        self.engine
            .send(Input::Message(RawMessage {
                reply_to,
                ..message::raw(id, text)
            }))
            .await
            .unwrap();
    }

    /// A gold buy placed around the live price.
    fn gold_buy(&self) -> String {
        let ask = self.replica.state.quotes["XAUUSD"].ask;
        format!(
            "XAUUSD BUY NOW\nSL {:.2}\nTP1 {:.2}\nTP2 {:.2}\nTP3 {:.2}",
            ask - 10.0,
            ask + 10.0,
            ask + 20.0,
            ask + 30.0
        )
    }

    /// Message 1 opens gold in three legs; the text once all three are open.
    async fn open_gold(&mut self) -> String {
        let text = self.gold_buy();
        self.message(1, &text, None).await;
        self.until("three positions", |s| s.positions.len() == 3)
            .await;
        text
    }

    async fn command(&self, role: Role, action: Action) -> Reply {
        self.engine
            .command(Command {
                origin: Origin {
                    kind: OriginKind::Console,
                    who: "test".into(),
                    role,
                },
                action,
            })
            .await
            .unwrap()
    }

    async fn stop(self) {
        self.engine.shutdown().await.unwrap();
        self.engine_task.await.unwrap();
        for t in self.tasks {
            t.abort();
            let _ = t.await;
        }
    }
}

fn decision_of(state: &State, msg_id: i64) -> Decision {
    state
        .signals
        .iter()
        .find(|s| s.msg_id == msg_id)
        .map(|s| s.decision.clone())
        .unwrap_or_else(|| panic!("no signal for message {msg_id}"))
}

#[tokio::test]
async fn an_open_becomes_one_position_per_take_profit() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.open_gold().await;
    let state = &h.replica.state;
    assert!(
        matches!(decision_of(state, 1), Decision::Executed { ref cids, .. } if cids.len() == 3)
    );
    let tps: Vec<f64> = state.positions.values().filter_map(|p| p.tp).collect();
    assert_eq!(tps.len(), 3);
    assert!(
        state
            .positions
            .values()
            .all(|p| (p.volume - 0.10).abs() < 1e-9)
    );
    let at_sim = h.at_the_simulator().await;
    assert_eq!(at_sim.len(), 3, "the simulator holds the three legs too");
    h.stop().await;
}

#[tokio::test]
async fn the_console_reads_a_signals_story_while_the_engine_trades() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    let text = h.open_gold().await;
    let seq = h.replica.state.signals.back().unwrap().seq;
    let steps = h.engine.story(seq).await.unwrap().unwrap().unwrap();
    assert!(
        matches!(&steps[0], Step::Message { text: t, .. } if *t == text),
        "{steps:?}"
    );
    let filled = steps
        .iter()
        .filter(|s| matches!(s, Step::Order(o) if matches!(o.event, OrderEvent::Outcome { .. })))
        .count();
    assert_eq!(filled, 3, "{steps:?}");
    assert_eq!(h.engine.story(seq + 100).await.unwrap(), Ok(None));
    h.stop().await;
}

/// A channel writes a bare ticker ("BTC"); the reading keeps it as written, and the engine trades
/// it as the terminal's pair (`BTCUSD`), saying so in the journaled trace.
#[tokio::test]
async fn a_bare_ticker_trades_as_the_terminals_pair() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.until("a bitcoin quote", |s| s.quotes.contains_key("BTCUSD"))
        .await;
    h.synced().await;
    let bid = h.replica.state.quotes["BTCUSD"].bid;
    let text = format!(
        "BTC short now\nSL {:.0}\nTP {:.0}",
        bid + 800.0,
        bid - 800.0
    );
    h.message(7, &text, None).await;
    h.until("a bitcoin position", |s| {
        s.positions.values().any(|p| p.symbol == "BTCUSD")
    })
    .await;
    let state = &h.replica.state;
    assert!(
        matches!(decision_of(state, 7), Decision::Executed { ref cids, .. } if cids.len() == 1),
        "{:?}",
        decision_of(state, 7)
    );
    let record = state.signals.iter().find(|s| s.msg_id == 7).unwrap();
    assert_eq!(record.parsed.symbol.as_deref(), Some("BTCUSD"));
    assert!(
        record
            .parsed
            .trace
            .iter()
            .any(|t| t.contains("BTC trades as BTCUSD")),
        "{:?}",
        record.parsed.trace
    );
    h.stop().await;
}

#[tokio::test]
async fn an_operator_cancels_one_pending_order_and_its_story_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    let ask = h.replica.state.quotes["XAUUSD"].ask;
    let text = format!(
        "XAUUSD BUY LIMIT {:.2}\nSL {:.2}\nTP {:.2}",
        ask - 20.0,
        ask - 30.0,
        ask
    );
    h.message(1, &text, None).await;
    h.until("a pending order", |s| s.orders.len() == 1).await;
    h.at_the_simulator().await;
    let ticket = *h.replica.state.orders.keys().next().unwrap();
    let refused = h
        .command(Role::Operator, Action::CancelOrder { ticket: ticket + 1 })
        .await;
    assert!(
        matches!(&refused, Reply::Refused { reason } if reason.contains("no pending order")),
        "{refused:?}"
    );
    let reply = h
        .command(Role::Operator, Action::CancelOrder { ticket })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    h.until("no pending order", |s| s.orders.is_empty()).await;
    h.at_the_simulator().await;
    let seq = h.replica.state.signals.back().unwrap().seq;
    let steps = h.engine.story(seq).await.unwrap().unwrap().unwrap();
    let cancel = steps.iter().any(|s| {
        matches!(s, Step::Order(o) if o.command.is_some()
            && matches!(&o.event, OrderEvent::Intent { summary, .. } if summary.contains("by console:test")))
    });
    assert!(
        cancel,
        "the cancel is part of the signal's story: {steps:?}"
    );
    h.stop().await;
}

#[tokio::test]
async fn chatter_is_ignored_and_an_open_without_stop_loss_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.message(1, "Good morning traders ☀️ big week ahead", None)
        .await;
    h.message(2, "XAUUSD BUY NOW TP 9999", None).await;
    h.until("two signals", |s| s.signals.len() == 2).await;
    assert!(matches!(
        decision_of(&h.replica.state, 1),
        Decision::Ignored { .. }
    ));
    match decision_of(&h.replica.state, 2) {
        Decision::Refused { reason } => assert!(reason.contains("stop loss"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(h.replica.state.positions.is_empty());
    h.stop().await;
}

/// The positions opened by signal `seq`, by ticket.
fn legs_of(state: &State, seq: u64) -> Vec<&Position> {
    let mut legs: Vec<&Position> = state
        .positions
        .values()
        .filter(|p| signal_of_cid(&p.cid) == Some(seq))
        .collect();
    legs.sort_by_key(|p| p.ticket);
    legs
}

fn seq_of(state: &State, msg_id: i64) -> u64 {
    state
        .signals
        .iter()
        .find(|s| s.msg_id == msg_id)
        .map(|s| s.seq)
        .unwrap_or_else(|| panic!("no signal for message {msg_id}"))
}

/// How far every leg of signal `seq` is in profit, in price (the least of them).
fn least_profit(state: &State, seq: u64) -> f64 {
    legs_of(state, seq)
        .iter()
        .map(|p| p.side.sign() * (p.current_price - p.open_price))
        .fold(f64::INFINITY, f64::min)
}

#[tokio::test]
async fn a_reply_moves_the_stop_to_breakeven_and_close_half_closes_half() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    // A stop at breakeven needs the price beyond the entry, and the simulated price walks where
    // it will: open a buy and a sell, and move the stop of whichever gets far enough ahead
    // first. Stops and targets far away, so that only our replies change these trades.
    let quote = h.replica.state.quotes["XAUUSD"];
    let buy = format!(
        "XAUUSD BUY NOW\nSL {:.2}\nTP1 {:.2}\nTP2 {:.2}\nTP3 {:.2}",
        quote.ask - 50.0,
        quote.ask + 50.0,
        quote.ask + 60.0,
        quote.ask + 70.0
    );
    let sell = format!(
        "XAUUSD SELL NOW\nSL {:.2}\nTP1 {:.2}\nTP2 {:.2}\nTP3 {:.2}",
        quote.bid + 50.0,
        quote.bid - 50.0,
        quote.bid - 60.0,
        quote.bid - 70.0
    );
    h.message(10, &buy, None).await;
    h.message(20, &sell, None).await;
    h.until("six positions", |s| s.positions.len() == 6).await;
    let (buy_seq, sell_seq) = (seq_of(&h.replica.state, 10), seq_of(&h.replica.state, 20));
    // Well ahead: the stops level and a few ticks' moves, so that the terminal, which checks
    // the stop against its own price a moment later, accepts it too.
    const AHEAD: f64 = 4.0;
    h.until("one signal's legs well in profit", |s| {
        least_profit(s, buy_seq) >= AHEAD || least_profit(s, sell_seq) >= AHEAD
    })
    .await;
    let (msg, seq, other) = if least_profit(&h.replica.state, buy_seq) >= AHEAD {
        (10, buy_seq, sell_seq)
    } else {
        (20, sell_seq, buy_seq)
    };
    let others_before = held_positions(
        &legs_of(&h.replica.state, other)
            .into_iter()
            .cloned()
            .collect::<Vec<_>>(),
    );

    h.message(11, "move SL to BE", Some(msg)).await;
    h.until("the stops at the entries", |s| {
        legs_of(s, seq).iter().all(|p| p.sl == Some(p.open_price))
    })
    .await;
    match decision_of(&h.replica.state, 11) {
        Decision::Executed { summary, cids } => {
            assert_eq!(summary, "SL to breakeven");
            assert_eq!(cids.len(), 3, "one modify per leg");
        }
        other => panic!("{other:?}"),
    }
    let at_sim = h.at_the_simulator().await;
    let legs: Vec<&Held> = at_sim
        .iter()
        .filter(|p| signal_of_cid(&p.1) == Some(seq))
        .collect();
    assert_eq!(legs.len(), 3);
    for (ticket, _, _, _, volume, open, sl, _) in &legs {
        assert_eq!(
            *sl,
            Some(*open),
            "#{ticket}: the terminal's stop is at the entry"
        );
        assert!((volume - 0.10).abs() < 1e-9, "#{ticket}: {volume} lots");
    }

    // Half of 0.30 lots, leg by leg in ticket order: the first leg (0.10) whole, then 0.05 of
    // the second; the third is untouched.
    let tickets: Vec<u64> = legs.iter().map(|l| l.0).collect();
    h.message(12, "close half", Some(msg)).await;
    h.until("the partial close answered and seen", |s| {
        let answered = s.signals.iter().any(|x| {
            x.msg_id == 12
                && matches!(&x.decision, Decision::Executed { cids, .. } if cids.iter().all(|c| {
                    s.intents.get(c).is_some_and(|i| {
                        matches!(i.status, IntentStatus::Done | IntentStatus::Rejected)
                    })
                }))
        });
        answered && legs_of(s, seq).iter().map(|p| p.volume).sum::<f64>() <= 0.15 + 1e-9
    })
    .await;
    match decision_of(&h.replica.state, 12) {
        Decision::Executed { summary, .. } => assert_eq!(summary, "close 50 %"),
        other => panic!("{other:?}"),
    }
    let left: Vec<(u64, f64)> = legs_of(&h.replica.state, seq)
        .iter()
        .map(|p| (p.ticket, (p.volume * 100.0).round() / 100.0))
        .collect();
    assert_eq!(left, [(tickets[1], 0.05), (tickets[2], 0.10)]);
    h.at_the_simulator().await;

    h.message(13, "close all", Some(msg)).await;
    h.until("the signal's legs closed", |s| legs_of(s, seq).is_empty())
        .await;
    let at_sim = h.at_the_simulator().await;
    assert_eq!(
        at_sim, others_before,
        "the other signal's trades are untouched"
    );
    h.stop().await;
}

/// A message that names a trade but cannot be read is journaled as unread, with why, and
/// nothing is traded; a result report stays ignored. Both survive a restart as they were.
#[tokio::test]
async fn a_message_that_names_a_trade_but_cannot_be_read_is_journaled_unread_and_not_traded() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.message(1, "XAUUSD something 2350 weird", None).await;
    h.message(2, "TP1 hit ✅ +100 pips", None).await;
    // Messages are decided in order: once message 3's trades are open, nothing else is coming.
    let marker = h.gold_buy();
    h.message(3, &marker, None).await;
    h.until("message 3's three positions", |s| s.positions.len() == 3)
        .await;
    let unread = |state: &State| match decision_of(state, 1) {
        Decision::Unread { reason } => reason,
        other => panic!("expected unread, got {other:?}"),
    };
    let reason = unread(&h.replica.state);
    assert_eq!(
        reason,
        "names XAUUSD and 2350, read as none: no buy/sell/long/short, and the levels do not show one"
    );
    assert!(matches!(
        decision_of(&h.replica.state, 2),
        Decision::Ignored { .. }
    ));
    let seq3 = seq_of(&h.replica.state, 3);
    let at_sim = h.at_the_simulator().await;
    assert!(
        at_sim.len() == 3 && at_sim.iter().all(|p| signal_of_cid(&p.1) == Some(seq3)),
        "only message 3 traded: {at_sim:?}"
    );
    h.stop().await;

    let journal = Journal::open(dir.path()).unwrap();
    let records: Vec<_> = journal.signals(1).map(Result::unwrap).collect();
    let first = records.iter().find(|r| r.msg_id == 1).unwrap();
    assert_eq!(
        first.decision,
        Decision::Unread {
            reason: reason.clone()
        }
    );
    assert_eq!(first.parsed.unread.as_deref(), Some(reason.as_str()));
    let seq1 = first.seq;
    assert!(
        journal
            .orders(1)
            .map(Result::unwrap)
            .all(|o| o.signal == Some(seq3) && signal_of_cid(&o.cid) == Some(seq3)),
        "no order for the unread message"
    );
    drop(journal);

    let h = start(dir.path()).await;
    assert_eq!(
        unread(&h.replica.state),
        reason,
        "restored from the journal"
    );
    assert_eq!(seq_of(&h.replica.state, 1), seq1);
    h.stop().await;
}

/// An edit that turns a copied open into words the parser cannot read changes none of its
/// trades, and says so as unread: the provider's trade may now differ from the copy.
#[tokio::test]
async fn an_edit_that_cannot_be_read_leaves_the_trades_and_is_unread() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.open_gold().await;
    let before = h.at_the_simulator().await;
    h.engine
        .send(Input::Message(RawMessage {
            edit: 1,
            ..message::raw(1, "XAUUSD something 2350 weird")
        }))
        .await
        .unwrap();
    h.until("the edit", |s| s.signals.len() == 2).await;
    let edit = h.replica.state.signals.back().unwrap().clone();
    assert_eq!(edit.edit, 1);
    match &edit.decision {
        Decision::Unread { reason } => assert!(
            reason.starts_with(
                "the edit of signal #1 is unread, its trades are unchanged: names XAUUSD and 2350"
            ),
            "{reason}"
        ),
        other => panic!("expected unread, got {other:?}"),
    }
    assert_eq!(h.at_the_simulator().await, before);
    h.stop().await;
}

#[tokio::test]
async fn a_follow_up_with_nothing_to_act_on_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.message(5, "move SL to BE", None).await;
    h.until("the signal", |s| !s.signals.is_empty()).await;
    match decision_of(&h.replica.state, 5) {
        Decision::Refused { reason } => assert!(reason.contains("no open signal"), "{reason}"),
        other => panic!("{other:?}"),
    }
    h.stop().await;
}

/// A follow-up that names a side acts only on an open of that side: "close sells gold" never
/// closes a gold buy.
#[tokio::test]
async fn a_close_of_the_other_side_leaves_the_trade_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    h.open_gold().await;
    h.message(2, "close sells gold", None).await;
    h.until("the close", |s| s.signals.iter().any(|r| r.msg_id == 2))
        .await;
    match decision_of(&h.replica.state, 2) {
        Decision::Refused { reason } => assert!(reason.contains("no open signal"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.replica.state.positions.len(), 3, "the buy is still open");
    h.message(3, "close buys gold", None).await;
    h.until("the buy closed", |s| s.positions.is_empty()).await;
    h.stop().await;
}

#[tokio::test]
async fn emergency_stop_flattens_and_halted_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    let text = h.gold_buy();
    h.message(1, &text, None).await;
    h.until("positions", |s| s.positions.len() == 3).await;

    let reply = h.command(Role::Operator, Action::EmergencyStop).await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    h.until("HALTED and flat", |s| s.mode == Mode::Halted && s.is_flat())
        .await;
    assert!(
        h.at_the_simulator().await.is_empty(),
        "flat at the terminal"
    );
    let text = h.gold_buy();
    h.message(2, &text, None).await;
    h.until("the refused open", |s| s.signals.len() == 2).await;
    assert!(
        matches!(decision_of(&h.replica.state, 2), Decision::Refused { ref reason } if reason.contains("HALTED"))
    );
    h.stop().await;

    // A new engine on the same journal and the same simulated account.
    let mut h = start(dir.path()).await;
    assert_eq!(
        h.replica.state.mode,
        Mode::Halted,
        "HALTED must survive a restart"
    );
    h.synced().await;
    assert!(h.at_the_simulator().await.is_empty());
    let text = h.gold_buy();
    h.message(3, &text, None).await;
    h.until("the refused open", |s| {
        s.signals.iter().any(|x| x.msg_id == 3)
    })
    .await;
    assert!(
        matches!(decision_of(&h.replica.state, 3), Decision::Refused { ref reason } if reason.contains("HALTED"))
    );

    let reply = h
        .command(
            Role::Operator,
            Action::Resume {
                reason: "checked the account".into(),
            },
        )
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    h.until("ACTIVE", |s| s.mode == Mode::Active).await;
    let text = h.gold_buy();
    h.message(4, &text, None).await;
    h.until("new positions", |s| s.positions.len() == 3).await;
    assert_eq!(h.at_the_simulator().await.len(), 3);
    h.stop().await;

    let journal = Journal::open(dir.path()).unwrap();
    let audit: Vec<_> = journal.audit(1).map(Result::unwrap).collect();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[0].action, Action::EmergencyStop);
    assert_eq!(audit[0].origin.who, "test");
    assert!(matches!(audit[1].action, Action::Resume { .. }));
}

#[tokio::test]
async fn paused_survives_a_restart_and_refuses_entries() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    assert!(matches!(
        h.command(Role::Operator, Action::Pause).await,
        Reply::Accepted { .. }
    ));
    h.stop().await;
    let mut h = start(dir.path()).await;
    assert_eq!(h.replica.state.mode, Mode::Paused);
    h.synced().await;
    let text = h.gold_buy();
    h.message(1, &text, None).await;
    h.until("the signal", |s| !s.signals.is_empty()).await;
    assert!(
        matches!(decision_of(&h.replica.state, 1), Decision::Refused { ref reason } if reason.contains("PAUSED"))
    );
    h.stop().await;
}

#[tokio::test]
async fn a_viewer_cannot_stop_or_close_and_the_refusal_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    let reply = h.command(Role::Viewer, Action::EmergencyStop).await;
    assert!(
        matches!(reply, Reply::Refused { ref reason } if reason.contains("read-only")),
        "{reply:?}"
    );
    assert_eq!(h.replica.state.mode, Mode::Active);
    h.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let audit: Vec<_> = journal.audit(1).map(Result::unwrap).collect();
    assert!(matches!(audit.as_slice(), [a] if matches!(a.reply, Reply::Refused { .. })));
}

#[tokio::test]
async fn signals_are_rebuilt_from_the_journal_and_a_message_is_never_acted_on_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path()).await;
    h.synced().await;
    let text = h.gold_buy();
    h.message(1, &text, None).await;
    h.message(2, "TP1 hit ✅ +100 pips", None).await;
    h.until("positions", |s| {
        s.positions.len() == 3 && s.signals.len() == 2
    })
    .await;
    h.stop().await;

    let mut h = start(dir.path()).await;
    let msgs: Vec<i64> = h.replica.state.signals.iter().map(|s| s.msg_id).collect();
    assert_eq!(
        msgs,
        vec![1, 2],
        "the signals feed comes back from the journal"
    );
    h.synced().await;
    assert_eq!(
        h.replica.state.positions.len(),
        3,
        "positions stay open at the broker"
    );
    let before = h.at_the_simulator().await;
    assert_eq!(before.len(), 3, "the simulator holds the three legs");
    // The same message delivered again (a source re-reading its file) is not acted on again.
    // Messages are handled in order and the broker answers in order: once a later signal's
    // trades are open, a second execution of message 1 would be open too.
    h.message(1, &text, None).await;
    let marker = h.gold_buy();
    h.message(3, &marker, None).await;
    h.until("message 3's three positions", |s| {
        s.signals
            .iter()
            .find(|x| x.msg_id == 3)
            .is_some_and(|x| legs_of(s, x.seq).len() == 3)
    })
    .await;
    let msgs: Vec<i64> = h.replica.state.signals.iter().map(|s| s.msg_id).collect();
    assert_eq!(msgs, vec![1, 2, 3], "message 1 is journaled once");
    let seq3 = seq_of(&h.replica.state, 3);
    let at_sim = h.at_the_simulator().await;
    let (again, new): (Vec<&Held>, Vec<&Held>) = at_sim
        .iter()
        .filter(|p| !before.contains(p))
        .partition(|p| signal_of_cid(&p.1) != Some(seq3));
    assert!(again.is_empty(), "executed again: {again:?}");
    assert_eq!(new.len(), 3, "{at_sim:?}");
    assert_eq!(at_sim.len(), 6, "{at_sim:?}");
    h.stop().await;
}

#[tokio::test]
async fn an_intent_the_terminal_never_received_is_sent_again_once() {
    let dir = tempfile::tempdir().unwrap();
    // An engine whose broker never answers: the intent is journaled and sent into the void.
    {
        let journal = Journal::open(dir.path()).unwrap();
        let (req_tx, mut req_rx) = mpsc::channel(64);
        let (engine, task) = engine::spawn(
            rules(),
            Aliases::default(),
            Words::default(),
            journal,
            req_tx,
        )
        .unwrap();
        let cfg = sim::SimConfig {
            seed: 11,
            balance: 10_000.0,
            leverage: 100,
            hedging: true,
        };
        let account = sim::SimAccount::new(&cfg, now_millis());
        engine.send(Input::Broker(account.synced())).await.unwrap();
        let mut replica = Replica::subscribe(&engine).await.unwrap();
        tokio::time::timeout(WAIT, async {
            while replica.state.quotes.is_empty() {
                replica.changed(&engine).await.unwrap();
            }
        })
        .await
        .expect("the snapshot's quotes in time");
        let ask = replica.state.quotes["XAUUSD"].ask;
        engine
            .send(Input::Message(RawMessage {
                source: "test".into(),
                chat: "vip".into(),
                id: 1,
                text: format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 10.0, ask + 10.0),
                reply_to: None,
                edit: 0,
                received_at: now_millis(),
                sent_at: None,
                edited_at: None,
            }))
            .await
            .unwrap();
        let command = tokio::time::timeout(WAIT, req_rx.recv())
            .await
            .expect("a request in time")
            .expect("the request reaches the broker side");
        let BrokerCommand::Trade(request) = command else {
            panic!("a trade first, got {command:?}");
        };
        assert!(request.cid().ends_with("-s1-1"), "{}", request.cid());
        engine.shutdown().await.unwrap();
        task.await.unwrap();
    }
    let journal = Journal::open(dir.path()).unwrap();
    let events: Vec<_> = journal.orders(1).map(Result::unwrap).collect();
    assert!(matches!(events.as_slice(), [e] if matches!(e.event, OrderEvent::Intent { .. })));
    drop(journal);

    // The next run finds the intent unanswered and asks the terminal, which never received it:
    // it is sent again under the same cid (so it could never execute twice), and executes once.
    let mut h = start(dir.path()).await;
    assert!(
        h.replica
            .state
            .intents
            .values()
            .any(|i| i.status == IntentStatus::Unknown)
    );
    h.synced().await;
    h.until("the intent executed", |s| {
        s.intents.values().all(|i| i.status == IntentStatus::Done) && s.positions.len() == 1
    })
    .await;
    let detail = &h.replica.state.intents.values().next().unwrap().detail;
    assert!(detail.starts_with("done"), "{detail}");
    let at_sim = h.at_the_simulator().await;
    assert!(
        matches!(at_sim.as_slice(), [p] if p.1.ends_with("-s1-1")),
        "executed once at the terminal: {at_sim:?}"
    );
    h.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    let kinds: Vec<&'static str> = journal
        .orders(1)
        .map(Result::unwrap)
        .map(|e| match e.event {
            OrderEvent::Intent { .. } => "intent",
            OrderEvent::Unknown { .. } => "unknown",
            OrderEvent::Resolved { found: false, .. } => "absent",
            OrderEvent::Resolved { found: true, .. } => "found",
            OrderEvent::Outcome { .. } => "outcome",
            OrderEvent::Orphan { .. } => "orphan",
            OrderEvent::ClosedUnseen { .. } => "closed unseen",
            OrderEvent::Hidden { .. } => "hidden",
            OrderEvent::Closed { .. } => "closed",
        })
        .collect();
    assert_eq!(kinds, vec!["intent", "unknown", "intent", "outcome"]);
}

#[tokio::test]
async fn a_second_engine_on_the_same_data_dir_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Journal::open(dir.path()).unwrap();
    let err = Journal::open(dir.path())
        .err()
        .expect("the journal is locked");
    let shown = err.to_string();
    assert!(shown.contains(&dir.path().display().to_string()), "{shown}");
    assert!(shown.contains("in use"), "{shown}");
}
