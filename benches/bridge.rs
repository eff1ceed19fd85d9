//! How long a signal takes to become an order on the wire, and a fill.
//!
//! `cargo bench --bench bridge` prints, as p50 / p99 / max over many signals:
//! 1. `journal`: appending an order intent to the sled journal and flushing it to disk — the
//!    durable write every order waits for, reported on its own;
//! 2. `signal→wire`: from a raw message handed to the engine (parse, plan, journal, flush, bridge)
//!    to its `trade` line read by an EA on a loopback socket — once with the journal on disk, once
//!    on tmpfs (/dev/shm), where the flush costs next to nothing: the engine's own path;
//! 3. `signal→fill`: from the raw message to the engine's state showing the fill, with the
//!    simulator playing the EA over the same socket;
//! 4. `telegram→wire`: from a fake Bot API's getUpdates answer carrying a channel post (on
//!    loopback) to the post's `trade` line read by the EA: the real teloxide client, the Telegram
//!    source, the delivery (journaled with its update offset and flushed), the engine, the bridge.
//!
//! Figures are recorded in BENCHMARKS.md.

use std::path::Path;
use std::time::{Duration, Instant};

use signalos::broker::BrokerRequest;
use signalos::broker::sim::{self, SimAccount, SimConfig};
use signalos::engine::IntentStatus;
use signalos::model::{OrderType, Side, now_millis};
use signalos::store::{Journal, OrderEntry, OrderEvent};
use tokio::sync::mpsc;

use bridge::{HandPlayedEa, Summary, engine_on, message, stop, wait_synced};

#[path = "../tests/support/botapi.rs"]
mod botapi;
#[path = "support/bridge.rs"]
mod bridge;

const SIGNALS: usize = 1000;

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let disk = tempfile::tempdir().expect("a temp dir");
        journal_flush(disk.path());
        let disk = tempfile::tempdir().expect("a temp dir");
        signal_to_wire("disk", disk.path()).await;
        if Path::new("/dev/shm").is_dir() {
            let shm = tempfile::tempdir_in("/dev/shm").expect("a tmpfs dir");
            signal_to_wire("tmpfs", shm.path()).await;
        }
        let disk = tempfile::tempdir().expect("a temp dir");
        signal_to_fill(disk.path()).await;
        let disk = tempfile::tempdir().expect("a temp dir");
        telegram_to_wire("disk", disk.path()).await;
        if Path::new("/dev/shm").is_dir() {
            let shm = tempfile::tempdir_in("/dev/shm").expect("a tmpfs dir");
            telegram_to_wire("tmpfs", shm.path()).await;
        }
    });
}

fn report(what: &str, times: Vec<Duration>) {
    println!("{what}: {}", Summary::of(times));
}

fn journal_flush(dir: &Path) {
    let mut journal = Journal::open(dir).expect("a journal");
    let mut times = Vec::with_capacity(SIGNALS);
    for i in 0..SIGNALS {
        let start = Instant::now();
        journal
            .append_order(OrderEntry {
                seq: 0,
                at: now_millis(),
                cid: format!("bench-s{i}-1"),
                signal: Some(i as u64),
                command: None,
                event: OrderEvent::Intent {
                    request: BrokerRequest::Place {
                        cid: format!("bench-s{i}-1"),
                        symbol: "XAUUSD".into(),
                        side: Side::Buy,
                        order_type: OrderType::Market,
                        volume: 0.1,
                        price: None,
                        sl: Some(4100.0),
                        tp: Some(4200.0),
                    },
                    summary: "BUY 0.10 XAUUSD".into(),
                },
            })
            .expect("appended");
        journal.flush_blocking().expect("flushed");
        times.push(start.elapsed());
    }
    report("journal append+flush (disk)", times);
}

async fn signal_to_wire(label: &str, dir: &Path) {
    let (engine, address, tasks) = engine_on(Journal::open(dir).expect("a journal")).await;
    let mut ea = HandPlayedEa::connect(&engine, address, None).await;
    let mut times = Vec::with_capacity(SIGNALS);
    for i in 0..SIGNALS {
        let start = Instant::now();
        engine
            .send(message(i as i64 + 1, ea.ask))
            .await
            .expect("sent");
        let (at, _) = ea.next_trade().await;
        times.push(at - start);
    }
    report(&format!("signal→wire (journal on {label})"), times);
    stop(engine, tasks).await;
}

/// Channel posts through the fake Bot API and the Telegram source, one at a time: each from the
/// moment the long poll was answered with it to its order read by the EA.
async fn telegram_to_wire(label: &str, dir: &Path) {
    const TOKEN: &str = "4242:benchmarkbenchmarkbenchmarkbenchmark";
    const CHAT: i64 = -100_4242;
    let (engine, address, mut tasks) = engine_on(Journal::open(dir).expect("a journal")).await;
    let mut ea = HandPlayedEa::connect(&engine, address, None).await;
    let api = botapi::FakeBotApi::start(TOKEN).await;
    api.add_chat(
        CHAT,
        botapi::ChatKind::Channel,
        Some("benchgold"),
        "Bench Gold",
        "administrator",
    );
    let mut config = signalos::config::load(None, &[]).expect("defaults").config;
    config.telegram.token = signalos::config::Secret(TOKEN.into());
    config.telegram.api_url = api.api_url();
    config.telegram.poll_timeout_secs = 10;
    let source = signalos::config::TelegramSourceConfig {
        name: "gold".into(),
        chats: vec![signalos::config::ChatRef::Username("@benchgold".into())],
    };
    let bot = signalos::sources::telegram::bot(&config.telegram).expect("a bot");
    let (private_tx, _private_rx) = mpsc::channel(8);
    tasks.push(tokio::spawn(signalos::sources::telegram::run(
        bot,
        config.telegram,
        vec![source],
        engine.clone(),
        private_tx,
    )));
    let mut times = Vec::with_capacity(SIGNALS);
    for i in 0..SIGNALS {
        let text = format!(
            "XAUUSD BUY NOW SL {:.2} TP {:.2}",
            ea.ask - 20.0,
            ea.ask + 20.0
        );
        let pushed = Instant::now();
        api.channel_post(CHAT, i as i64 + 1, &text);
        let (at, _) = ea.next_trade().await;
        // The first answer to a long poll after the post: the one that carried it.
        let answered = api
            .calls_to("getUpdates")
            .iter()
            .filter_map(|c| c.answered.filter(|t| *t >= pushed && c.status == Some(200)))
            .min()
            .expect("a getUpdates answer carried the post");
        times.push(at - answered);
    }
    report(&format!("telegram→wire (journal on {label})"), times);
    stop(engine, tasks).await;
}

/// The simulator plays the EA in this process, over the socket: message in → fill in state.
async fn signal_to_fill(dir: &Path) {
    let (engine, address, mut tasks) = engine_on(Journal::open(dir).expect("a journal")).await;
    let account = SimAccount::new(
        &SimConfig {
            seed: 1,
            balance: 100_000_000.0,
            leverage: 100,
            hedging: true,
        },
        now_millis(),
    );
    let opts = sim::ea::EaOptions {
        connect: address.to_string(),
        secret: bridge::SECRET.into(),
        tick: Duration::from_secs(3600),
        ..sim::ea::EaOptions::default()
    };
    tasks.push(tokio::spawn(async move {
        let _ = sim::ea::run(account, opts).await;
    }));
    let mut replica = wait_synced(&engine).await;
    let mut times = Vec::with_capacity(SIGNALS);
    for i in 0..SIGNALS {
        let ask = replica.state.quotes["XAUUSD"].ask;
        let start = Instant::now();
        engine.send(message(i as i64 + 1, ask)).await.expect("sent");
        let cid_end = format!("-s{}-1", i + 1);
        loop {
            replica.changed(&engine).await.expect("the engine runs");
            if replica
                .state
                .intents
                .iter()
                .any(|(cid, intent)| cid.ends_with(&cid_end) && intent.status == IntentStatus::Done)
            {
                break;
            }
        }
        times.push(start.elapsed());
    }
    report("signal→fill (simulator over loopback)", times);
    stop(engine, tasks).await;
}
