//! The Telegram source end to end: the real teloxide client against a fake Bot API on
//! 127.0.0.1 (support/botapi.rs), through the real engine and its journal, and for trading the
//! simulator as a separate process over the bridge protocol. What Telegram sends becomes signals
//! and orders once and only once, other chats are never read, and every failure of the Bot API
//! is on the source's link with what to do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bin.rs"]
mod bin;
#[path = "support/botapi.rs"]
mod botapi;
#[path = "support/config.rs"]
mod config;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/wait.rs"]
mod wait;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use botapi::{ChatKind, FakeBotApi, Person, Post};
use signalos::broker::bridge::server::{BridgeConfig, serve};
use signalos::config::{ChatRef, Secret, TelegramConfig, TelegramSourceConfig};
use signalos::engine::{self, EngineHandle, Link, Replica, Rules, State};
use signalos::model::{Decision, LinkState, SignalRecord};
use signalos::parse::{Aliases, Words};
use signalos::sources::telegram::{self, PrivateMessage};
use signalos::store::Journal;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const TOKEN: &str = "7000000042:AAEfakeTokenForSignalOSTests_0123456";
const BOT_ID: i64 = 7_000_000_042;
/// @goldvip: the "gold" source names it by username.
const GOLD: i64 = -1_001_234_567_890;
/// The "fx" source names it by id.
const FX: i64 = -1_002_222_222_222;
/// A channel the bot is in that no source reads.
const OTHER: i64 = -1_005_555_555_555;
const WAIT: Duration = Duration::from_secs(30);

/// The fake with the tests' chats: the bot an admin of each.
async fn fake() -> FakeBotApi {
    let fake = FakeBotApi::start(TOKEN).await;
    fake.add_chat(
        GOLD,
        ChatKind::Channel,
        Some("goldvip"),
        "Gold VIP",
        "administrator",
    );
    fake.add_chat(FX, ChatKind::Channel, None, "FX Calls", "administrator");
    fake.add_chat(
        OTHER,
        ChatKind::Channel,
        Some("elsewhere"),
        "Elsewhere",
        "administrator",
    );
    fake
}

fn telegram_config(api_url: &str, token: &str) -> TelegramConfig {
    let mut cfg = signalos::config::load(None, &[]).unwrap().config.telegram;
    cfg.token = Secret(token.into());
    cfg.api_url = api_url.into();
    // Short polls: a test never waits for one to run out.
    cfg.poll_timeout_secs = 1;
    cfg
}

fn sources(gold: &str) -> Vec<TelegramSourceConfig> {
    vec![
        TelegramSourceConfig {
            name: "gold".into(),
            chats: vec![ChatRef::Username(gold.into())],
        },
        TelegramSourceConfig {
            name: "fx".into(),
            chats: vec![ChatRef::Id(FX)],
        },
    ]
}

/// The engine (with its bridge server when `broker` is given), and the poller reading the fake.
struct Side {
    engine: EngineHandle,
    replica: Replica,
    private: mpsc::Receiver<PrivateMessage>,
    tasks: Vec<JoinHandle<()>>,
}

impl Side {
    async fn start(dir: &Path, broker: Option<SocketAddr>, cfg: TelegramConfig) -> Side {
        Self::start_reading(dir, broker, cfg, sources("@goldvip")).await
    }

    async fn start_reading(
        dir: &Path,
        broker: Option<SocketAddr>,
        cfg: TelegramConfig,
        sources: Vec<TelegramSourceConfig>,
    ) -> Side {
        Self::start_rechecking(dir, broker, cfg, sources, None).await
    }

    /// With `recheck`, unreadable chats are checked again that often (not every minute).
    async fn start_rechecking(
        dir: &Path,
        broker: Option<SocketAddr>,
        cfg: TelegramConfig,
        sources: Vec<TelegramSourceConfig>,
        recheck: Option<Duration>,
    ) -> Side {
        let journal = Journal::open(dir).unwrap();
        let (requests_tx, requests_rx) = mpsc::channel(1024);
        let (engine, engine_task) = engine::spawn(
            rules(),
            Aliases::default(),
            Words::default(),
            journal,
            requests_tx,
        )
        .unwrap();
        let mut tasks = vec![engine_task];
        if let Some(address) = broker {
            let (events_tx, events_rx) = mpsc::channel(4096);
            let listener = TcpListener::bind(address).await.unwrap();
            tasks.push(tokio::spawn(serve(
                listener,
                BridgeConfig {
                    secret: sim::SECRET.into(),
                    magic: 771001,
                    heartbeat: Duration::from_secs(2),
                    overrides: BTreeMap::new(),
                    aliases: Aliases::default(),
                },
                requests_rx,
                events_tx,
            )));
            tasks.push(engine.forward_broker_events(events_rx));
        }
        // Subscribed before the poller starts: every link it reports is seen.
        let replica = Replica::subscribe(&engine).await.unwrap();
        let (private_tx, private) = mpsc::channel(16);
        let bot = telegram::bot(&cfg).unwrap();
        tasks.push(match recheck {
            None => tokio::spawn(telegram::run(bot, cfg, sources, engine.clone(), private_tx)),
            Some(every) => tokio::spawn(telegram::run_rechecking(
                bot,
                cfg,
                sources,
                engine.clone(),
                private_tx,
                every,
            )),
        });
        Side {
            engine,
            replica,
            private,
            tasks,
        }
    }

    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        if !wait::state_until(&mut self.replica, &self.engine, pred).await {
            panic!(
                "timed out waiting for {what}: links {:#?}, signals {:#?}",
                self.replica.state.links, self.replica.state.signals
            );
        }
    }

    /// Wait until source `name`'s link is one that `pred` accepts (each link the engine is told
    /// is looked at, however briefly it lasts), and return it.
    async fn link_until(&mut self, name: &str, pred: impl Fn(&Link) -> bool) -> Link {
        let key = format!("source:{name}");
        self.until(&format!("link {key}"), |s| {
            s.links.get(&key).is_some_and(&pred)
        })
        .await;
        self.replica.state.links[&key].clone()
    }

    /// Every state source `name`'s link takes for `how_long`.
    async fn link_states_for(&mut self, name: &str, how_long: Duration) -> Vec<Link> {
        let key = format!("source:{name}");
        let deadline = tokio::time::Instant::now() + how_long;
        let mut seen = Vec::new();
        while let Ok(changed) =
            tokio::time::timeout_at(deadline, self.replica.changed(&self.engine)).await
        {
            changed.unwrap();
            if let Some(link) = self.replica.state.links.get(&key)
                && seen.last() != Some(link)
            {
                seen.push(link.clone());
            }
        }
        seen
    }

    async fn signals_from(&mut self, source: &str, n: usize) -> Vec<SignalRecord> {
        self.until(&format!("{n} signals of {source}"), |s| {
            s.signals.iter().filter(|r| r.source == source).count() >= n
        })
        .await;
        self.replica
            .state
            .signals
            .iter()
            .filter(|r| r.source == source)
            .cloned()
            .collect()
    }

    async fn stop(self) {
        self.engine.shutdown().await.unwrap();
        for task in self.tasks {
            task.abort();
            let _ = task.await;
        }
    }
}

/// One leg of 0.10 lots: "close half" leaves 0.05.
fn rules() -> Rules {
    config::engine_config()
}

fn up(link: &Link) -> bool {
    link.state == LinkState::Up
}

/// The journal's signals, in order.
fn journaled(dir: &Path) -> Vec<SignalRecord> {
    Journal::open(dir)
        .unwrap()
        .signals(1)
        .map(Result::unwrap)
        .collect()
}

fn unix_now() -> i64 {
    signalos::model::now_millis() / 1000
}

#[tokio::test]
async fn channel_posts_trade_an_edit_moves_the_stop_and_a_reply_closes_half() {
    let fake = fake().await;
    let files = sim::Files::new();
    let address = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let mut side = Side::start(
        &files.journal,
        Some(address),
        telegram_config(&fake.api_url(), TOKEN),
    )
    .await;
    let simulator = sim::SimSide::start(address, &files, &[]);
    side.until("a synced broker with gold's price", |s| {
        s.links
            .get("broker")
            .is_some_and(|l| l.state == LinkState::Synced)
            && s.quotes.contains_key("XAUUSD")
    })
    .await;
    side.link_until("gold", up).await;
    // Up once the chats are checked; the first poll follows.
    fake.wait_calls("getUpdates", 1, WAIT).await;
    assert_eq!(
        fake.allowed_updates().unwrap(),
        [
            "message",
            "edited_message",
            "channel_post",
            "edited_channel_post"
        ]
    );

    let ask = side.replica.state.quotes["XAUUSD"].ask;
    let sent = unix_now() - 5;
    fake.push(
        Post::channel(
            GOLD,
            10,
            &format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 30.0, ask + 30.0),
        )
        .date(sent),
    );
    side.until("the position open", |s| s.positions.len() == 1)
        .await;
    let signal = side.signals_from("gold", 1).await.remove(0);
    assert_eq!((signal.chat.as_str(), signal.msg_id), ("@goldvip", 10));
    // The signal's age is Telegram's date, not when SignalOS read it.
    assert_eq!(signal.sent_at, Some(sent * 1000));
    assert!(
        matches!(signal.decision, Decision::Executed { .. }),
        "{:?}",
        signal.decision
    );

    // The channel edits its post: a tighter stop. The position's stop moves to it.
    let new_sl = ((ask - 20.0) * 100.0).round() / 100.0;
    fake.edited_channel_post(
        GOLD,
        10,
        &format!("XAUUSD BUY NOW SL {new_sl:.2} TP {:.2}", ask + 30.0),
        unix_now(),
    );
    side.until("the stop moved", |s| {
        s.positions
            .values()
            .all(|p| p.sl.is_some_and(|sl| (sl - new_sl).abs() < 1e-6))
    })
    .await;
    let edit = side.signals_from("gold", 2).await.remove(1);
    assert_eq!((edit.msg_id, edit.edit), (10, 1));

    // A reply to the post: half the position is closed.
    fake.push(Post::channel(GOLD, 11, "close half").reply_to(10));
    side.until("half closed", |s| {
        s.positions
            .values()
            .map(|p| p.volume)
            .sum::<f64>()
            .lt(&0.051)
    })
    .await;
    let close = side.signals_from("gold", 3).await.remove(2);
    assert_eq!(close.reply_to, Some(10));
    assert!(
        matches!(&close.decision, Decision::Executed { summary, .. } if summary == "close 50 %"),
        "{:?}",
        close.decision
    );

    // A post read ten minutes after Telegram dated it (a backlog): judged by its date, refused.
    fake.push(
        Post::channel(
            GOLD,
            12,
            &format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 30.0, ask + 30.0),
        )
        .date(unix_now() - 600),
    );
    let late = side.signals_from("gold", 4).await.remove(3);
    assert!(
        matches!(&late.decision, Decision::Refused { reason } if reason.contains("max_signal_age_secs")),
        "{:?}",
        late.decision
    );
    side.stop().await;
    simulator.kill();
    // The simulator's book: one opening deal, of 0.10 lots.
    let opened = sim::request_lines(&files.trade_log);
    assert_eq!(opened.len(), 1, "{opened:?}");
}

#[tokio::test]
async fn other_chats_are_ignored_and_counted_captions_forwards_and_groups_are_read() {
    let fake = fake().await;
    let group = -1_003_333_333_333;
    fake.add_chat(
        group,
        ChatKind::Supergroup,
        None,
        "Gold Talk",
        "administrator",
    );
    let dir = tempfile::tempdir().unwrap();
    let mut reading = sources("@goldvip");
    reading[1].chats.push(ChatRef::Id(group));
    let mut side = Side::start_reading(
        dir.path(),
        None,
        telegram_config(&fake.api_url(), TOKEN),
        reading,
    )
    .await;
    side.link_until("fx", up).await;
    fake.channel_post(OTHER, 1, "XAUUSD BUY NOW SL 1 TP 2");
    fake.channel_post(OTHER, 2, "XAUUSD SELL NOW SL 2 TP 1");
    fake.push(Post::channel(FX, 5, "EURUSD SELL NOW").caption());
    fake.push(Post::channel(FX, 6, "GBPUSD BUY NOW").forwarded_from(OTHER, 3));
    // A photo without words: nothing to read.
    fake.push(Post::channel(FX, 7, "").caption());
    fake.group_message(group, 8, &Person::new(501, "Ann"), "USDJPY BUY NOW");
    fake.private_message(501, "Ann", "/status");
    let fx = side.signals_from("fx", 3).await;
    let read: Vec<(String, i64, String)> = fx
        .iter()
        .map(|r| (r.chat.clone(), r.msg_id, r.text.clone()))
        .collect();
    assert_eq!(
        read,
        [
            (FX.to_string(), 5, "EURUSD SELL NOW".to_string()),
            (FX.to_string(), 6, "GBPUSD BUY NOW".to_string()),
            (group.to_string(), 8, "USDJPY BUY NOW".to_string()),
        ]
    );
    let link = side
        .link_until("gold", |l| l.detail.contains("from other chats"))
        .await;
    assert_eq!(link.state, LinkState::Up);
    assert!(
        link.detail.contains("2 messages from other chats ignored"),
        "{link:?}"
    );
    // The copilot gets the private message, once it is journaled with the offset.
    let private = tokio::time::timeout(WAIT, side.private.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((private.user_id, private.text.as_str()), (501, "/status"));
    side.stop().await;
    let journal = journaled(dir.path());
    assert!(
        journal.iter().all(|r| r.source == "fx"),
        "only the configured chats are journaled: {journal:?}"
    );
    assert_eq!(journal.len(), 3);
}

#[tokio::test]
async fn a_restart_resumes_at_the_stored_offset_with_nothing_lost_or_repeated() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = telegram_config(&fake.api_url(), TOKEN);
    let mut side = Side::start(dir.path(), None, cfg.clone()).await;
    for id in 1..=3 {
        fake.channel_post(GOLD, id, &format!("gold note {id}"));
    }
    side.signals_from("gold", 3).await;
    let key = format!("telegram:{BOT_ID}");
    let stored = side.engine.cursor(&key).await.unwrap().unwrap();
    side.stop().await;

    // Posted while SignalOS is down; and the last poll's updates were never confirmed upstream.
    for id in 4..=5 {
        fake.channel_post(GOLD, id, &format!("gold note {id}"));
    }
    let polls_before = fake.calls_to("getUpdates").len();
    let mut side = Side::start(dir.path(), None, cfg).await;
    side.signals_from("gold", 5).await;
    let first = &fake.calls_to("getUpdates")[polls_before];
    assert_eq!(
        first.params["offset"].as_i64(),
        Some(stored),
        "the first poll after the restart asks from the stored offset: {:?}",
        first.params
    );
    side.stop().await;
    let ids: Vec<i64> = journaled(dir.path()).iter().map(|r| r.msg_id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn a_link_is_up_only_when_telegram_answers_and_as_soon_as_it_does() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = telegram_config(&fake.api_url(), TOKEN);
    // Long polls: coming back must not wait for one to run out.
    cfg.poll_timeout_secs = 25;
    // Chats checked again often: with none to check, a check asks nothing and proves nothing.
    let mut side = Side::start_rechecking(
        dir.path(),
        None,
        cfg,
        sources("@goldvip"),
        Some(Duration::from_millis(200)),
    )
    .await;
    side.link_until("gold", up).await;
    fake.go_away().await;
    let lost = side
        .link_until("gold", |l| l.state == LinkState::Retrying)
        .await;
    let away = side.link_states_for("gold", Duration::from_secs(4)).await;
    assert!(
        away.iter().all(|l| l.state == LinkState::Retrying),
        "nothing answers, yet: {away:#?}"
    );
    // The address reads as the Bot API's, its token hidden.
    assert!(
        !lost.detail.contains("token:redacted") && !lost.detail.contains(TOKEN),
        "{}",
        lost.detail
    );
    // A first retry comes soon, never absurdly soon (a 0.1 s backoff read as a notice).
    for link in std::iter::once(&lost).chain(&away) {
        assert!(!link.detail.contains("retrying in 0."), "{}", link.detail);
    }
    fake.resume().await;
    let back = tokio::time::Instant::now();
    side.link_until("gold", up).await;
    assert!(
        back.elapsed() < Duration::from_secs(12),
        "up {:?} after Telegram answered again, not when a 25 s poll ran out",
        back.elapsed()
    );
    fake.channel_post(GOLD, 1, "gold note");
    side.signals_from("gold", 1).await;
    side.stop().await;
}

#[tokio::test]
async fn a_source_with_one_chat_unreadable_is_degraded_naming_it_and_reads_the_other() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    // The bot is not an admin of fx's second channel.
    fake.set_bot_status(OTHER, "member");
    let mut reading = sources("@goldvip");
    reading[0]
        .chats
        .push(ChatRef::Username("@nosuchchannel".into()));
    reading[1].chats.push(ChatRef::Id(OTHER));
    let mut side = Side::start_reading(
        dir.path(),
        None,
        telegram_config(&fake.api_url(), TOKEN),
        reading,
    )
    .await;
    let gold = side
        .link_until("gold", |l| l.state != LinkState::Connecting)
        .await;
    assert_eq!(gold.state, LinkState::Degraded, "{gold:?}");
    assert!(
        gold.detail
            .starts_with("@nosuchchannel: Telegram cannot find this chat")
            && gold.detail.contains("reading @goldvip"),
        "{gold:?}"
    );
    let fx = side
        .link_until("fx", |l| l.state != LinkState::Connecting)
        .await;
    assert_eq!(fx.state, LinkState::Degraded, "{fx:?}");
    assert!(
        fx.detail.starts_with(&format!(
            "{OTHER}: @{} is not an administrator of channel “Elsewhere”",
            fake.bot_username()
        )) && fx
            .detail
            .contains("reading -1002222222222 (channel “FX Calls”"),
        "{fx:?}"
    );
    fake.channel_post(GOLD, 1, "gold note");
    side.signals_from("gold", 1).await;
    fake.channel_post(FX, 1, "fx note");
    side.signals_from("fx", 1).await;
    side.stop().await;
}

#[tokio::test]
async fn one_chat_named_in_two_sources_is_read_by_the_first_and_said_on_both() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut reading = sources("@goldvip");
    // fx names gold's channel by its id.
    reading[1].chats.push(ChatRef::Id(GOLD));
    let mut side = Side::start_reading(
        dir.path(),
        None,
        telegram_config(&fake.api_url(), TOKEN),
        reading,
    )
    .await;
    let same = format!(
        "@goldvip (source gold) and {GOLD} (source fx) are the same chat (id {GOLD}): its messages go to source gold only"
    );
    for name in ["gold", "fx"] {
        let link = side.link_until(name, |l| l.detail.contains(&same)).await;
        assert_eq!(link.state, LinkState::Degraded, "{link:?}");
    }
    fake.channel_post(GOLD, 1, "gold note");
    let gold = side.signals_from("gold", 1).await;
    assert_eq!(gold[0].source, "gold");
    fake.channel_post(FX, 1, "fx note");
    let fx = side.signals_from("fx", 1).await;
    assert!(
        fx.iter().all(|r| r.chat == FX.to_string()),
        "fx reads its own chat only: {fx:#?}"
    );
    side.stop().await;
}

#[tokio::test]
async fn too_many_requests_waits_exactly_as_long_as_telegram_asks() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut side = Side::start(dir.path(), None, telegram_config(&fake.api_url(), TOKEN)).await;
    side.link_until("gold", up).await;
    fake.fail_next(
        "getUpdates",
        429,
        "Too Many Requests: retry after 2",
        Some(2),
    );
    let link = side
        .link_until("gold", |l| l.state == LinkState::Retrying)
        .await;
    assert!(
        link.detail.contains("too many requests") && link.detail.ends_with("retrying in 2.0 s"),
        "{link:?}"
    );
    fake.channel_post(GOLD, 1, "gold note");
    side.signals_from("gold", 1).await;
    let calls = fake.calls_to("getUpdates");
    let refused = calls.iter().position(|c| c.status == Some(429)).unwrap();
    let gap = calls[refused + 1].at - calls[refused].answered.unwrap();
    assert!(
        gap >= Duration::from_millis(1950) && gap < Duration::from_secs(4),
        "the next poll came {gap:?} after the 429"
    );
    side.link_until("gold", up).await;
    side.stop().await;
}

#[tokio::test]
async fn a_refused_token_is_down_with_where_to_fix_it_and_is_retried_slowly() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let wrong = "7000000042:AAEwrongTokenForSignalOSTests_9876543";
    let mut side = Side::start(dir.path(), None, telegram_config(&fake.api_url(), wrong)).await;
    for source in ["gold", "fx"] {
        let link = side
            .link_until(source, |l| l.state == LinkState::Down)
            .await;
        assert!(
            link.detail.starts_with(
                "the bot token was refused: check telegram.token / SIGNALOS_TELEGRAM_TOKEN with @BotFather (/token)"
            ),
            "{link:?}"
        );
        assert!(!link.detail.contains("AAEwrong"), "{link:?}");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(fake.calls_to("getMe").len(), 1, "not asked again at once");
    side.stop().await;
}

#[tokio::test]
async fn another_poller_is_named_and_reading_goes_on_when_it_stops() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut side = Side::start(dir.path(), None, telegram_config(&fake.api_url(), TOKEN)).await;
    side.link_until("gold", up).await;
    fake.fail_next(
        "getUpdates",
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        None,
    );
    let link = side
        .link_until("gold", |l| l.state == LinkState::Down)
        .await;
    assert!(
        link.detail.starts_with(
            "another program is polling this bot: one bot, one poller — stop the other"
        ),
        "{link:?}"
    );
    fake.channel_post(GOLD, 1, "gold note");
    side.signals_from("gold", 1).await;
    side.link_until("gold", up).await;
    side.stop().await;
}

#[tokio::test]
async fn a_webhook_left_set_is_down_with_the_call_that_removes_it() {
    let fake = fake().await;
    fake.set_webhook("https://example.com/hook");
    let dir = tempfile::tempdir().unwrap();
    let mut side = Side::start(dir.path(), None, telegram_config(&fake.api_url(), TOKEN)).await;
    let link = side
        .link_until("gold", |l| l.state == LinkState::Down)
        .await;
    assert!(
        link.detail.contains("a webhook is set on this bot")
            && link.detail.contains("/bot<TOKEN>/deleteWebhook")
            && link.detail.contains("https://example.com/hook"),
        "{link:?}"
    );
    assert!(
        fake.calls_to("getUpdates").is_empty(),
        "no poll while it is set"
    );
    side.stop().await;
}

#[tokio::test]
async fn an_unknown_username_is_named_and_the_other_sources_still_read() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let mut side = Side::start_reading(
        dir.path(),
        None,
        telegram_config(&fake.api_url(), TOKEN),
        sources("@nosuchchannel"),
    )
    .await;
    let link = side
        .link_until("gold", |l| l.state == LinkState::Down)
        .await;
    assert!(
        link.detail
            .starts_with("@nosuchchannel: Telegram cannot find this chat")
            && link.detail.contains("@username's spelling"),
        "{link:?}"
    );
    let fx = side.link_until("fx", up).await;
    assert!(fx.detail.contains("FX Calls"), "{fx:?}");
    fake.channel_post(FX, 1, "EURUSD BUY NOW");
    side.signals_from("fx", 1).await;
    side.stop().await;
}

#[tokio::test]
async fn a_channel_without_the_bot_as_admin_is_down_and_a_private_group_is_degraded() {
    let fake = fake().await;
    fake.set_bot_status(FX, "member");
    let group = -1_003_333_333_333;
    fake.add_chat(group, ChatKind::Group, None, "Gold Talk", "member");
    fake.set_privacy(true);
    let dir = tempfile::tempdir().unwrap();
    let mut reading = sources("@goldvip");
    reading[0].chats.push(ChatRef::Id(group));
    let mut side = Side::start_reading(
        dir.path(),
        None,
        telegram_config(&fake.api_url(), TOKEN),
        reading,
    )
    .await;
    let fx = side.link_until("fx", |l| l.state == LinkState::Down).await;
    assert!(
        fx.detail
            .contains("is not an administrator of channel “FX Calls”")
            && fx.detail.contains("administrators (no rights are needed)"),
        "{fx:?}"
    );
    let gold = side
        .link_until("gold", |l| l.state == LinkState::Degraded)
        .await;
    assert!(
        gold.detail.contains("privacy mode is on")
            && gold.detail.contains("/setprivacy")
            && gold.detail.contains("reading @goldvip"),
        "{gold:?}"
    );
    side.stop().await;
}

/// `signalos run --headless` reading the fake, SIGKILLed as soon as the fake has answered a
/// poll with new posts (before or after they are journaled: the kill does not wait to know),
/// three times over, then run to the end: the journal holds every post exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_loses_and_repeats_nothing() {
    let fake = fake().await;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("signalos.toml");
    std::fs::write(
        &config,
        format!(
            "[log]\nlevel = \"signalos=debug\"\n\n\
             [telegram]\napi_url = \"{}\"\npoll_timeout_secs = 1\n\n\
             [[sources]]\nkind = \"telegram\"\nname = \"gold\"\nchats = [\"@goldvip\"]\n",
            fake.api_url()
        ),
    )
    .unwrap();
    let start = || {
        bin::signalos(home.path())
            .args(["run", "--headless", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .env("SIGNALOS_TELEGRAM_TOKEN", TOKEN)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut posted = 0;
    // Per killed run: its last update, and the offset the next run first asked from.
    let mut last_updates = Vec::new();
    let mut first_polls = Vec::new();
    for _round in 0..3 {
        let polls = fake.calls_to("getUpdates").len();
        let mut run = start();
        let first = fake.wait_calls("getUpdates", polls + 1, WAIT).await;
        first_polls.push(first[polls].params["offset"].as_i64());
        let pushed_at = std::time::Instant::now();
        let mut last = 0;
        for _ in 0..5 {
            posted += 1;
            last = fake.channel_post(GOLD, posted, &format!("gold note {posted}"));
        }
        last_updates.push(i64::from(last));
        // The first poll answered after the posts: it carried them.
        let deadline = std::time::Instant::now() + WAIT;
        while !fake
            .calls_to("getUpdates")
            .iter()
            .any(|c| c.status == Some(200) && c.answered.is_some_and(|a| a >= pushed_at))
        {
            assert!(std::time::Instant::now() < deadline, "no poll answered");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        run.kill().unwrap();
        run.wait().unwrap();
    }
    let polls = fake.calls_to("getUpdates").len();
    let mut run = start();
    let first = fake.wait_calls("getUpdates", polls + 1, WAIT).await;
    first_polls.push(first[polls].params["offset"].as_i64());
    // How many kills came before the posts were journaled (their run's next asked for them
    // again): shown, since where a kill lands is up to the machine.
    let resent = last_updates
        .iter()
        .zip(&first_polls[1..])
        .filter(|(last, next)| next.is_none_or(|n| n <= **last))
        .count();
    eprintln!(
        "{resent} of 3 kills came before the posts were journaled: {last_updates:?} {first_polls:?}"
    );
    let deadline = std::time::Instant::now() + WAIT;
    while fake.pending() > 0 || fake.confirmed_offset() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the posts never confirmed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &run.id().to_string()])
        .status();
    run.wait().unwrap();
    let ids: Vec<i64> = journaled(&data).iter().map(|r| r.msg_id).collect();
    assert_eq!(
        ids,
        (1..=posted).collect::<Vec<_>>(),
        "each post exactly once"
    );
}

/// `signalos check-config` with the fake as Telegram: its findings and its exit code.
async fn check_config(fake: &FakeBotApi, token: &str, chats: &str) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("signalos.toml");
    std::fs::write(
        &config,
        format!(
            "[telegram]\napi_url = \"{}\"\n\n\
             [[sources]]\nkind = \"telegram\"\nname = \"gold\"\nchats = [{chats}]\n",
            fake.api_url()
        ),
    )
    .unwrap();
    let mut cmd = bin::signalos(home.path());
    cmd.args(["check-config"])
        .arg(&config)
        .env("SIGNALOS_TELEGRAM_TOKEN", token);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    (
        out.status.code().unwrap(),
        bin::text(&out.stdout),
        bin::text(&out.stderr),
    )
}

#[tokio::test]
async fn check_config_asks_telegram_about_the_bot_and_each_chat() {
    let fake = fake().await;
    let group = -1_003_333_333_333;
    fake.add_chat(group, ChatKind::Supergroup, None, "Gold Talk", "member");
    fake.set_privacy(true);
    let (code, out, err) =
        check_config(&fake, TOKEN, &format!("\"@goldvip\", {FX}, {group}")).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.starts_with("ok: "), "{out}");
    assert!(
        out.contains(&format!(
            "telegram: bot @{} (id {BOT_ID})",
            fake.bot_username()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "telegram: @goldvip (source gold): channel “Gold VIP”, the bot is an admin, id {GOLD}"
        )),
        "{out}"
    );
    assert!(
        err.contains("warning: telegram: -1003333333333: group privacy mode is on"),
        "{err}"
    );

    let (code, out, err) = check_config(&fake, TOKEN, "\"@nosuchchannel\"").await;
    assert_eq!(code, 2, "{err}");
    // Not ok: the online check found a problem.
    assert!(!out.contains("ok:"), "{out}");
    assert!(
        err.contains("problem: telegram: @nosuchchannel: Telegram cannot find this chat"),
        "{err}"
    );

    let wrong = "7000000042:AAEwrongTokenForSignalOSTests_9876543";
    let (code, _, err) = check_config(&fake, wrong, "\"@goldvip\"").await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("problem: telegram: the bot token was refused"),
        "{err}"
    );
    assert!(!err.contains("AAEwrong"), "{err}");

    // One chat twice, by @username and by id: only one would be read.
    let (code, out, err) = check_config(&fake, TOKEN, &format!("\"@goldvip\", {GOLD}")).await;
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(!out.contains("ok:"), "{out}");
    assert!(
        err.contains(&format!(
            "problem: telegram: @goldvip (source gold) and {GOLD} (source gold) are the same chat (id {GOLD})"
        )),
        "{err}"
    );

    // `run` cannot read while a webhook is set: a problem, with the call that removes it.
    fake.set_webhook("https://example.com/hook");
    let (code, out, err) = check_config(&fake, TOKEN, "\"@goldvip\"").await;
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(!out.contains("ok:"), "{out}");
    assert!(
        err.contains("problem: telegram: a webhook is set on this bot")
            && err.contains("/bot<TOKEN>/deleteWebhook"),
        "{err}"
    );
}

#[tokio::test]
async fn check_config_offline_says_the_online_check_could_not_run() {
    let fake = fake().await;
    fake.go_away().await;
    let (code, out, err) = check_config(&fake, TOKEN, "\"@goldvip\"").await;
    assert_eq!(
        code, 0,
        "offline is no fault of the configuration: {out}\n{err}"
    );
    assert!(
        err.contains("note: the online check of Telegram could not run: cannot reach 127.0.0.1:"),
        "{err}"
    );
    assert!(!err.contains(TOKEN), "{err}");
}
