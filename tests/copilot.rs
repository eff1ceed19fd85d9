//! The copilot and the notifications against real parts: the real teloxide client talking to a
//! fake Bot API on loopback, a real engine on a sled journal, and the simulator playing the
//! Expert Advisor over the real bridge protocol. Private messages are handed to the copilot the
//! way the poller hands them over.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/botapi.rs"]
mod botapi;
#[path = "support/config.rs"]
mod config;
#[path = "support/live.rs"]
mod live;
#[path = "support/message.rs"]
mod message;
#[path = "support/wait.rs"]
mod wait;

use std::time::Duration;

use signalos::api::RawMessage;
use signalos::config::{NotifyKind, Secret, TelegramConfig};
use signalos::engine::{Action, EngineHandle, Input, OriginKind, Replica, Role, State};
use signalos::model::{LinkState, Millis, Mode, Position, now_millis};
use signalos::notify::{self, Timing};
use signalos::sources::telegram::PrivateMessage;
use signalos::store::{AuditEntry, Journal, Reader};
use tokio::sync::mpsc;

use botapi::{ChatKind, FakeBotApi, Sent};

const TOKEN: &str = "123456:copilot-test-token";
/// An operator.
const ANNA: i64 = 111_111_111;
/// Not an operator.
const EVE: i64 = 222_222_222;
/// Where notifications go.
const DESK: i64 = 333_333_333;

/// Long, since a loaded machine is slow and a passing test never waits it out.
const WAIT: Duration = Duration::from_secs(30);

struct Rig {
    api: FakeBotApi,
    /// The simulator playing the Expert Advisor, and where it connects.
    ea: tokio::task::JoinHandle<()>,
    bridge: std::net::SocketAddr,
    engine: EngineHandle,
    replica: Replica,
    audit: Reader,
    private: mpsc::Sender<PrivateMessage>,
    _tasks: Vec<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// An engine and the simulator over the bridge, the fake Bot API, and the copilot and the
    /// notifications started as `signalos run` starts them, with `timing`.
    async fn start(timing: Timing) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        let audit = journal.reader();
        let live = live::start(journal, config::engine_config(), live::account(), None).await;
        let engine = live.engine;
        let mut tasks = live.tasks;
        tasks.push(live.engine_task);
        let (ea, address) = (live.ea, live.bridge);

        let api = FakeBotApi::start(TOKEN).await;
        api.add_chat(ANNA, ChatKind::Private, Some("anna_fx"), "Anna", "member");
        api.add_chat(EVE, ChatKind::Private, None, "Eve", "member");
        api.add_chat(DESK, ChatKind::Private, None, "Desk", "member");
        let cfg = TelegramConfig {
            token: Secret(TOKEN.into()),
            api_url: api.api_url(),
            operators: vec![ANNA],
            notify_chats: vec![DESK],
            notify: vec![
                NotifyKind::Fills,
                NotifyKind::Closes,
                NotifyKind::Refusals,
                NotifyKind::Unmatched,
                NotifyKind::Unread,
                NotifyKind::Halts,
                NotifyKind::Links,
            ],
            poll_timeout_secs: 1,
        };
        let (private, private_rx) = mpsc::channel(64);
        tasks.extend(notify::start_with(
            api.bot(),
            cfg,
            engine.clone(),
            private_rx,
            timing,
        ));
        let replica = Replica::subscribe(&engine).await.unwrap();
        let mut rig = Rig {
            api,
            ea,
            bridge: address,
            engine,
            replica,
            audit,
            private,
            _tasks: tasks,
            _dir: dir,
        };
        rig.until("the broker synced", |s| {
            s.quotes.contains_key("XAUUSD")
                && s.links
                    .get("broker")
                    .is_some_and(|l| l.state == LinkState::Synced)
        })
        .await;
        rig
    }

    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        if !wait::state_until(&mut self.replica, &self.engine, pred).await {
            panic!("timed out waiting for {what}: {:#?}", self.replica.state);
        }
    }

    /// `text` from `user`, sent at `sent_at`, handed to the copilot.
    async fn write_at(&self, user: i64, name: &str, text: &str, sent_at: Millis) {
        self.private
            .send(PrivateMessage {
                chat_id: user,
                user_id: user,
                user_name: name.into(),
                text: text.into(),
                sent_at,
            })
            .await
            .unwrap();
    }

    /// The bot's next message to `chat` after the first `after` it sent there.
    async fn next_to(&self, chat: i64, after: usize) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(m) = self.sent_to(chat).get(after) {
                return m.text.clone();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "nothing more sent to {chat}: {:#?}",
                self.api.sent()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn sent_to(&self, chat: i64) -> Vec<Sent> {
        self.api
            .sent()
            .into_iter()
            .filter(|m| m.chat_id == chat)
            .collect()
    }

    /// Anna's (or Eve's) command, and the bot's answer.
    async fn ask(&self, user: i64, text: &str) -> String {
        let name = if user == ANNA { "Anna @anna_fx" } else { "Eve" };
        let before = self.sent_to(user).len();
        self.write_at(user, name, text, now_millis()).await;
        self.next_to(user, before).await
    }

    async fn signal(&self, id: i64, text: &str, reply_to: Option<i64>) {
        self.engine
            .send(Input::Message(RawMessage {
                reply_to,
                ..message::raw(id, text)
            }))
            .await
            .unwrap();
    }

    /// A gold trade on `side` at the live price, its stop and target 30 away (out of reach of
    /// the simulator's prices for the length of a test); the position.
    async fn open(&mut self, id: i64, side: &str) -> Position {
        let quote = self.replica.state.quotes["XAUUSD"];
        let (sl, tp) = match side {
            "BUY" => (quote.ask - 30.0, quote.ask + 30.0),
            _ => (quote.bid + 30.0, quote.bid - 30.0),
        };
        let text = format!("XAUUSD {side} NOW SL {sl:.2} TP {tp:.2}");
        let before: Vec<u64> = self.replica.state.positions.keys().copied().collect();
        self.signal(id, &text, None).await;
        self.until("the position opened", |s| {
            s.positions.keys().any(|t| !before.contains(t))
        })
        .await;
        self.replica
            .state
            .positions
            .values()
            .find(|p| !before.contains(&p.ticket))
            .cloned()
            .unwrap()
    }

    fn audit(&self) -> Vec<AuditEntry> {
        self.audit.audit(1).map(Result::unwrap).collect()
    }
}

fn quick() -> Timing {
    Timing {
        backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
        link_grace: Duration::from_secs(2),
        ..Timing::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operators_commands_act_and_are_audited_with_their_id() {
    let mut rig = Rig::start(quick()).await;
    let deadline = tokio::time::Instant::now() + WAIT;
    while rig.api.commands().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "setMyCommands never called"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let commands = rig.api.commands();
    for name in [
        "status",
        "pause",
        "resume",
        "stop",
        "close",
        "breakeven",
        "help",
    ] {
        assert!(
            commands.iter().any(|(c, _)| c == name),
            "setMyCommands lacks /{name}: {commands:?}"
        );
    }

    let status = rig.ask(ANNA, "/status").await;
    assert!(
        status.starts_with("ACTIVE") && status.contains("Balance 10,000.00"),
        "{status}"
    );
    assert!(status.contains("broker: SYNCED"), "{status}");

    let paused = rig.ask(ANNA, "/pause@SignalOSBot").await;
    assert!(paused.starts_with("Done: PAUSED"), "{paused}");
    rig.until("PAUSED", |s| s.mode == Mode::Paused).await;
    let resumed = rig.ask(ANNA, "/resume news is out").await;
    assert!(resumed.starts_with("Done: ACTIVE"), "{resumed}");
    rig.until("ACTIVE", |s| s.mode == Mode::Active).await;
    assert!(
        rig.replica
            .state
            .mode_reason
            .contains("resumed from Telegram: news is out"),
        "{}",
        rig.replica.state.mode_reason
    );

    // A buy and a sell: whichever way the price goes, one of them comes into profit.
    let buy = rig.open(1, "BUY").await;
    let sell = rig.open(2, "SELL").await;
    let positions = rig.ask(ANNA, "/positions").await;
    for p in [&buy, &sell] {
        assert!(
            positions.contains(&format!("#{} {}", p.ticket, p.side)),
            "{positions}"
        );
    }
    // Breakeven needs the price past the entry by the broker's stops level: try on the one well
    // in profit (2.00: 200 points, the stops level is 20) until the engine, judging the live
    // price, takes it.
    let deadline = tokio::time::Instant::now() + WAIT;
    let moved = loop {
        assert!(tokio::time::Instant::now() < deadline, "never in profit");
        let winner = rig.replica.state.positions.values().find(|p| {
            [buy.ticket, sell.ticket].contains(&p.ticket)
                && p.side.sign() * (p.current_price - p.open_price) > 2.0
        });
        if let Some(p) = winner.cloned() {
            let answer = rig.ask(ANNA, &format!("/breakeven {}", p.ticket)).await;
            if answer.starts_with("Done:") {
                break p;
            }
            assert!(answer.contains("not far enough in profit"), "{answer}");
        }
        rig.replica.changed(&rig.engine).await.unwrap();
    };
    rig.until("the stop at the entry", |s| {
        s.positions.get(&moved.ticket).is_some_and(|p| {
            p.sl.is_some_and(|sl| (sl - moved.open_price).abs() < 0.5 && Some(sl) != moved.sl)
        })
    })
    .await;

    let other = if moved.ticket == buy.ticket {
        &sell
    } else {
        &buy
    };
    let closed = rig.ask(ANNA, &format!("/close {}", other.ticket)).await;
    assert!(closed.starts_with("Done:"), "{closed}");
    let gone = other.ticket;
    rig.until("the position closed", |s| !s.positions.contains_key(&gone))
        .await;

    let bad = rig.ask(ANNA, "/close twelve").await;
    assert!(bad.contains("needs a ticket number"), "{bad}");
    let unknown = rig.ask(ANNA, "/fly").await;
    assert!(unknown.contains("Unknown command /fly"), "{unknown}");
    let missing = rig.ask(ANNA, "/close 999999999").await;
    assert!(missing.starts_with("Refused:"), "{missing}");

    let audit = rig.audit();
    let by_anna: Vec<&Action> = audit
        .iter()
        .filter(|e| {
            e.origin.kind == OriginKind::Telegram
                && e.origin.role == Role::Operator
                && e.origin.who == format!("{ANNA} (Anna @anna_fx)")
        })
        .map(|e| &e.action)
        .collect();
    for wanted in [
        Action::Report {
            what: "status".into(),
        },
        Action::Pause,
        Action::Resume {
            reason: "resumed from Telegram: news is out".into(),
        },
        Action::Breakeven {
            ticket: moved.ticket,
        },
        Action::ClosePosition {
            ticket: other.ticket,
        },
    ] {
        assert!(
            by_anna.contains(&&wanted),
            "{wanted:?} not audited: {by_anna:#?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_else_is_refused_audited_and_told_nothing() {
    let mut rig = Rig::start(quick()).await;
    let position = rig.open(1, "BUY").await;
    for text in [
        "/status",
        "/positions",
        "/pause",
        "/stop",
        "/confirm",
        &format!("/close {}", position.ticket),
        "hello",
    ] {
        let answer = rig.ask(EVE, text).await;
        assert!(
            answer.starts_with("Refused:") && answer.contains("not an operator"),
            "{text}: {answer}"
        );
        for secret in ["ACTIVE", "Balance", "XAUUSD", &position.ticket.to_string()] {
            assert!(
                !answer.contains(secret),
                "{text} told Eve {secret}: {answer}"
            );
        }
    }
    assert_eq!(rig.replica.state.mode, Mode::Active);
    assert!(rig.replica.state.positions.contains_key(&position.ticket));
    let refused: Vec<AuditEntry> = rig
        .audit()
        .into_iter()
        .filter(|e| e.origin.who == format!("{EVE} (Eve)"))
        .collect();
    assert_eq!(refused.len(), 7, "{refused:#?}");
    assert!(refused.iter().all(|e| e.origin.role == Role::Stranger
        && e.origin.kind == OriginKind::Telegram
        && matches!(e.reply, signalos::engine::Reply::Refused { .. })));
    assert!(refused.iter().any(|e| e.action
        == Action::ClosePosition {
            ticket: position.ticket
        }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_acts_only_when_confirmed_in_time_by_the_same_operator() {
    // Longer than the outbox's second between two answers to one chat, which a /confirm waits too.
    let window = Duration::from_secs(3);
    let mut rig = Rig::start(Timing {
        confirm_window: window,
        ..quick()
    })
    .await;
    let position = rig.open(1, "BUY").await;

    let asked = rig.ask(ANNA, "/stop").await;
    assert!(asked.starts_with("EMERGENCY STOP?"), "{asked}");
    assert!(
        asked.contains(&format!("#{}", position.ticket)) && asked.contains("closes 1 position"),
        "says what it would close: {asked}"
    );
    // Someone else's /confirm is no confirmation.
    let eve = rig.ask(EVE, "/confirm").await;
    assert!(eve.starts_with("Refused:"), "{eve}");
    tokio::time::sleep(window + Duration::from_millis(300)).await;
    let late = rig.ask(ANNA, "/confirm").await;
    assert!(
        late.contains("/stop expired") && late.contains("Send /stop again"),
        "{late}"
    );
    let none = rig.ask(ANNA, "/confirm").await;
    assert!(none.starts_with("Nothing to confirm"), "{none}");
    assert_eq!(rig.replica.state.mode, Mode::Active);
    assert!(rig.replica.state.positions.contains_key(&position.ticket));
    assert!(
        !rig.audit()
            .iter()
            .any(|e| e.action == Action::EmergencyStop && e.origin.role == Role::Operator),
        "no emergency stop went to the gate"
    );

    rig.ask(ANNA, "/stop").await;
    let done = rig.ask(ANNA, "/confirm").await;
    assert!(done.starts_with("EMERGENCY STOP: HALTED"), "{done}");
    rig.until("HALTED and flat", |s| s.mode == Mode::Halted && s.is_flat())
        .await;
    // Out of HALTED only when confirmed too.
    let asked = rig.ask(ANNA, "/resume news is out").await;
    assert!(asked.starts_with("RESUME FROM HALTED?"), "{asked}");
    let status = rig.ask(ANNA, "/status").await;
    assert!(status.starts_with("HALTED"), "not resumed yet: {status}");
    assert!(
        !status.contains("synced:"),
        "no stale link detail: {status}"
    );
    let resumed = rig.ask(ANNA, "/confirm").await;
    assert!(resumed.starts_with("RESUMED"), "{resumed}");
    rig.until("ACTIVE", |s| s.mode == Mode::Active).await;
    let hello = rig.ask(ANNA, "/start").await;
    assert!(
        hello.starts_with("Hello") && hello.contains("/help — "),
        "{hello}"
    );
    assert!(rig.audit().iter().any(|e| e.action == Action::EmergencyStop
        && e.origin.kind == OriginKind::Telegram
        && e.origin.who.starts_with(&ANNA.to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_arrives_late_is_not_carried_out() {
    let mut rig = Rig::start(quick()).await;
    let position = rig.open(1, "BUY").await;
    for text in ["/pause", &format!("/close {}", position.ticket)] {
        let before = rig.sent_to(ANNA).len();
        rig.write_at(ANNA, "Anna", text, now_millis() - 120_000)
            .await;
        let answer = rig.next_to(ANNA, before).await;
        assert!(
            answer.starts_with("Too late") && answer.contains("Send it again"),
            "{answer}"
        );
    }
    // Fresh commands behind them are carried out: nothing of the stale ones happened.
    let status = rig.ask(ANNA, "/status").await;
    assert!(status.starts_with("ACTIVE"), "{status}");
    assert!(rig.replica.state.positions.contains_key(&position.ticket));
    assert!(
        !rig.audit()
            .iter()
            .any(|e| matches!(e.action, Action::Pause | Action::ClosePosition { .. }))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_arrive_paced_and_joined_under_a_burst() {
    let mut rig = Rig::start(quick()).await;
    let position = rig.open(1, "BUY").await;
    rig.api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains(&format!("OPENED #{}", position.ticket)),
            WAIT,
        )
        .await;
    // A burst: five opens with no stop loss, each refused with its reason.
    for id in 10..15 {
        rig.signal(id, "XAUUSD BUY NOW", None).await;
    }
    // A follow-up replying to a message that opened nothing.
    rig.signal(20, "close half", Some(12)).await;
    rig.ask(ANNA, &format!("/close {}", position.ticket)).await;
    let closed = rig
        .api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains(&format!("CLOSED #{}", position.ticket)),
            WAIT,
        )
        .await;
    assert!(
        closed.text.contains(" USD (closed by request"),
        "{}",
        closed.text
    );
    rig.api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains("NO TRADE FOR FOLLOW-UP"),
            WAIT,
        )
        .await;

    let desk = rig.sent_to(DESK);
    let all: String = desk
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        all.matches("REFUSED #").count(),
        5,
        "every refusal told once: {all}"
    );
    assert!(all.contains("→ no stop loss"), "with its reason: {all}");
    assert!(
        desk.iter().any(|m| m.text.matches("REFUSED #").count() > 1),
        "refusals in a burst were joined: {desk:#?}"
    );
    assert!(
        desk.len() < 8,
        "eight notes in a burst were joined: {} messages",
        desk.len()
    );
    for pair in desk.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(900),
            "two messages to one chat {gap:?} apart: {:?} then {:?}",
            pair[0].text,
            pair[1].text
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_as_telegram_says_and_the_message_arrives() {
    let rig = Rig::start(quick()).await;
    rig.api.fail_next(
        "sendMessage",
        429,
        "Too Many Requests: retry after 2",
        Some(2),
    );
    let status = rig.ask(ANNA, "/status").await;
    assert!(status.starts_with("ACTIVE"), "{status}");
    let calls: Vec<_> = rig
        .api
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.params["chat_id"].to_string().contains(&ANNA.to_string()))
        .collect();
    assert_eq!(calls[0].status, Some(429));
    let waited = calls[1].at.duration_since(calls[0].at);
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(4),
        "retried {waited:?} after a 429 saying 2 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_broker_is_told_once_and_its_return_once() {
    let mut rig = Rig::start(quick()).await;
    // The terminal goes away: the bridge sees the connection drop, and keeps listening.
    rig.ea.abort();
    rig.until("the broker lost", |s| {
        s.links
            .get("broker")
            .is_some_and(|l| l.state != LinkState::Synced)
    })
    .await;
    rig.api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains("LOST: broker"),
            WAIT,
        )
        .await;
    rig.ea = live::start_ea(rig.bridge, live::account(), None);
    rig.until("the broker back", |s| {
        s.links
            .get("broker")
            .is_some_and(|l| l.state == LinkState::Synced)
    })
    .await;
    rig.api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains("BACK: broker: SYNCED"),
            WAIT,
        )
        .await;
    let desk: String = rig
        .sent_to(DESK)
        .iter()
        .map(|m| m.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(desk.matches("LOST: broker").count(), 1, "{desk}");
    assert_eq!(desk.matches("BACK: broker").count(), 1, "{desk}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signalos_stopping_is_told_to_the_notify_chats() {
    let rig = Rig::start(quick()).await;
    rig.engine.shutdown().await.unwrap();
    let stopped = rig
        .api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains("SignalOS stopped"),
            WAIT,
        )
        .await;
    assert!(stopped.text.contains("not managed"), "{}", stopped.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_wait_out_an_outage_longer_than_the_tries() {
    let mut rig = Rig::start(quick()).await;
    rig.api.go_away().await;
    let position = rig.open(1, "BUY").await;
    // Five tries at 0.1, 0.2, 0.4, 0.4 s are spent well within this.
    tokio::time::sleep(Duration::from_secs(4)).await;
    rig.api.resume().await;
    rig.api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains(&format!("#{}", position.ticket)),
            WAIT,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_for_good_is_not_retried() {
    let rig = Rig::start(quick()).await;
    rig.api.fail_next(
        "sendMessage",
        403,
        "Forbidden: bot can't initiate conversation with a user",
        None,
    );
    rig.write_at(ANNA, "Anna", "/status", now_millis()).await;
    // Refused, before /help is asked (else the two would be joined, and refused together).
    let deadline = tokio::time::Instant::now() + WAIT;
    while !rig
        .api
        .calls_to("sendMessage")
        .iter()
        .any(|c| c.status == Some(403))
    {
        assert!(tokio::time::Instant::now() < deadline, "no 403 answered");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let help = rig.ask(ANNA, "/help").await;
    assert!(help.contains("/confirm"), "{help}");
    let calls: Vec<_> = rig
        .api
        .calls_to("sendMessage")
        .into_iter()
        .filter(|c| c.params["chat_id"].to_string().contains(&ANNA.to_string()))
        .collect();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].status, Some(403));
    assert!(
        !calls[1].params["text"].to_string().contains("Balance"),
        "the refused /status answer was not sent again: {calls:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_lost_for_a_moment_is_no_news() {
    let mut rig = Rig::start(Timing {
        link_grace: Duration::from_secs(5),
        ..quick()
    })
    .await;
    rig.ea.abort();
    rig.until("the broker lost", |s| {
        s.links
            .get("broker")
            .is_some_and(|l| l.state != LinkState::Synced)
    })
    .await;
    rig.ea = live::start_ea(rig.bridge, live::account(), None);
    rig.until("the broker back", |s| {
        s.links
            .get("broker")
            .is_some_and(|l| l.state == LinkState::Synced)
    })
    .await;
    // Past the grace: had the loss been told, it would be by now.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let desk: Vec<String> = rig.sent_to(DESK).into_iter().map(|m| m.text).collect();
    assert!(
        !desk
            .iter()
            .any(|t| t.contains("LOST") || t.contains("BACK")),
        "{desk:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_close_is_told() {
    let mut rig = Rig::start(quick()).await;
    let position = rig.open(1, "BUY").await;
    rig.signal(2, "close half", Some(1)).await;
    let told = rig
        .api
        .wait_sent(
            |m| m.chat_id == DESK && m.text.contains("PARTLY CLOSED"),
            WAIT,
        )
        .await;
    assert!(
        told.text
            .contains(&format!("PARTLY CLOSED #{}", position.ticket)),
        "{}",
        told.text
    );
}
