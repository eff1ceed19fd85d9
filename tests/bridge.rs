//! The whole bridge, end to end: the engine and its bridge server in this process, the simulator
//! as a separate `signalos sim-mt5` process playing the Expert Advisor over TCP, with faults.
//! The simulator's trade log is the ground truth: every order set the engine believes executed is
//! there exactly once, and nothing else is.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/sim.rs"]
mod sim;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use signalos::bridge::server::{BridgeConfig, serve};
use signalos::broker::{BrokerEvent, TradeOutcome};
use signalos::engine::{self, EngineHandle, Input, IntentStatus, Replica, Rules, State};
use signalos::model::{Decision, LinkState, now_millis};
use signalos::parse::Aliases;
use signalos::sources::RawMessage;
use signalos::store::{Journal, OrderEvent};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use sim::{Files, SECRET, SimSide, WAIT, opening_deals, wait_for_log};

const SIGNALS: i64 = 100;

fn engine_config() -> Rules {
    let mut rules = Rules::of(&signalos::config::load(None, &[]).unwrap().config);
    rules.risk.lots = 0.02;
    rules.risk.max_legs = 2;
    // Long enough that a loaded machine is not taken for a lost answer.
    rules.engine.request_timeout_ms = 5000;
    // Signals repeat their words while the price stands still.
    rules.guards.duplicate_window_secs = 0;
    rules
}

/// The engine side: journal, engine, bridge server and the forwarder between them.
struct EngineSide {
    engine: EngineHandle,
    /// When this engine started: the signals it decided itself came after.
    started: i64,
    replica: Replica,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl EngineSide {
    async fn start(journal_dir: &Path, address: SocketAddr) -> EngineSide {
        Self::start_with(journal_dir, address, engine_config()).await
    }

    async fn start_with(journal_dir: &Path, address: SocketAddr, rules: Rules) -> EngineSide {
        let journal = Journal::open(journal_dir).unwrap();
        let listener = TcpListener::bind(address).await.unwrap();
        let (commands_tx, commands_rx) = mpsc::channel(1024);
        let (events_tx, events_rx) = mpsc::channel::<BrokerEvent>(4096);
        let (engine, engine_task) =
            engine::spawn(rules, Aliases::default(), journal, commands_tx).unwrap();
        let bridge = tokio::spawn(serve(
            listener,
            BridgeConfig {
                secret: SECRET.into(),
                magic: 771001,
                heartbeat: Duration::from_secs(2),
                overrides: BTreeMap::new(),
                aliases: Aliases::default(),
            },
            commands_rx,
            events_tx,
        ));
        let forwarder = engine.forward_broker_events(events_rx);
        let replica = Replica::subscribe(&engine).await.unwrap();
        EngineSide {
            started: now_millis(),
            engine,
            replica,
            tasks: vec![engine_task, bridge, forwarder],
        }
    }

    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !pred(&self.replica.state) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.replica.changed(&self.engine)).await {
                Ok(r) => r.unwrap(),
                Err(_) => panic!(
                    "timed out waiting for {what}: link {:?}, intents not settled: {:?}",
                    self.replica.state.links.get("broker"),
                    self.replica
                        .state
                        .intents
                        .values()
                        .filter(|i| matches!(i.status, IntentStatus::Sent | IntentStatus::Unknown))
                        .collect::<Vec<_>>()
                ),
            }
        }
    }

    async fn synced(&mut self) {
        self.until("a synced broker", |s| {
            s.links
                .get("broker")
                .is_some_and(|l| l.state == LinkState::Synced)
                && s.quotes.contains_key("XAUUSD")
                && s.quotes.contains_key("EURUSD")
        })
        .await;
    }

    /// Send signal `id` whatever the link's state (one that comes while the link is down waits
    /// for it), and wait until it is listed. Signals come 20 ms apart: a busy channel, and slow
    /// enough that a fault hits a few signals, not all at once.
    async fn signal(&mut self, id: i64) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let text = signal_text(&self.replica.state, id);
        self.engine
            .send(Input::Message(RawMessage {
                source: "test".into(),
                chat: "vip".into(),
                id,
                text,
                reply_to: None,
                edit: 0,
                received_at: now_millis(),
            }))
            .await
            .unwrap();
        self.until("the signal listed", |s| {
            s.signals.iter().any(|r| r.msg_id == id)
        })
        .await;
    }

    /// Wait until every request has a known outcome.
    async fn settled(&mut self) {
        let started = self.started;
        self.until("every signal decided and every request settled", |s| {
            s.intents
                .values()
                .all(|i| !matches!(i.status, IntentStatus::Sent | IntentStatus::Unknown))
                && s.signals.iter().all(|r| match &r.decision {
                    Decision::Waiting { .. } => false,
                    // The signal is published just before its orders: wait for those too.
                    Decision::Executed { cids, .. } if r.received_at >= started => {
                        cids.iter().all(|c| s.intents.contains_key(c))
                    }
                    _ => true,
                })
        })
        .await;
    }

    /// Crash: the tasks stop where they are, with no clean shutdown.
    async fn crash(self) {
        for task in self.tasks {
            task.abort();
            let _ = task.await;
        }
    }

    async fn stop(self) {
        self.engine.shutdown().await.unwrap();
        for task in self.tasks {
            task.abort();
            let _ = task.await;
        }
    }
}

/// An open far from any stop or target, so that only our requests change the book: gold and
/// euro in turn, buys and sells in turn, two take-profit legs each.
fn signal_text(state: &State, id: i64) -> String {
    let (symbol, distance, digits) = if id % 2 == 0 {
        ("XAUUSD", 300.0, 2)
    } else {
        ("EURUSD", 0.05, 5)
    };
    let quote = state.quotes[symbol];
    if id % 4 < 2 {
        let p = quote.ask;
        format!(
            "{symbol} BUY NOW SL {:.digits$} TP1 {:.digits$} TP2 {:.digits$}",
            p - distance,
            p + distance,
            p + 2.0 * distance
        )
    } else {
        let p = quote.bid;
        format!(
            "{symbol} SELL NOW SL {:.digits$} TP1 {:.digits$} TP2 {:.digits$}",
            p + distance,
            p - distance,
            p - 2.0 * distance
        )
    }
}

async fn free_address() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap()
}

/// The journal's last word on every cid: executed or not.
/// What the journal tells of the faults met on the way: evidence that they happened.
#[derive(Debug, Default)]
struct Story {
    /// Why outcomes became unknown.
    unknown: Vec<String>,
    /// Rejections: return code and message.
    rejected: Vec<(u32, String)>,
    /// Requests sent more than once (same cid).
    resent: usize,
    /// The cids the terminal refused.
    rejected_cids: Vec<String>,
}

fn journal_outcomes(journal_dir: &Path) -> (BTreeMap<String, bool>, Vec<Vec<String>>, Story) {
    let journal = Journal::open(journal_dir).unwrap();
    let mut executed = BTreeMap::new();
    let mut story = Story::default();
    for entry in journal.orders(1) {
        let entry = entry.unwrap();
        match entry.event {
            OrderEvent::Outcome {
                outcome: TradeOutcome::Done { .. },
            } => {
                executed.insert(entry.cid, true);
            }
            OrderEvent::Outcome {
                outcome: TradeOutcome::Rejected { retcode, message },
            } => {
                story.rejected.push((retcode, message));
                story.rejected_cids.push(entry.cid.clone());
                executed.insert(entry.cid, false);
            }
            OrderEvent::Resolved { found, .. } => {
                executed.insert(entry.cid, found);
            }
            OrderEvent::Intent { .. } => {
                if executed.contains_key(&entry.cid) {
                    story.resent += 1;
                }
                executed.entry(entry.cid).or_insert(false);
            }
            OrderEvent::Unknown { reason } => story.unknown.push(reason),
            _ => {}
        }
    }
    let mut sets = Vec::new();
    let later = journal.later_decisions().unwrap();
    for record in journal.signals(1).map(Result::unwrap) {
        let decision = later.get(&record.seq).cloned().unwrap_or(record.decision);
        match decision {
            Decision::Executed { cids, .. } => sets.push(cids),
            // A signal that came while the link was being re-established is refused, with why.
            Decision::Refused { reason } => assert!(
                reason.contains("broker") || reason.contains("reconciling"),
                "signal {} refused for another reason: {reason}",
                record.msg_id
            ),
            Decision::Ignored { reason } => panic!("signal {} ignored: {reason}", record.msg_id),
            Decision::Waiting { reason } => {
                panic!("signal {} still waiting: {reason}", record.msg_id)
            }
        }
    }
    (executed, sets, story)
}

/// Positions in the simulator's saved account: ticket → (cid, volume).
fn sim_positions(state_file: &Path) -> BTreeMap<u64, (String, f64)> {
    let text = std::fs::read_to_string(state_file).unwrap();
    let account: serde_json::Value = serde_json::from_str(&text).unwrap();
    account["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["ticket"].as_u64().unwrap(),
                (
                    p["cid"].as_str().unwrap().to_string(),
                    p["volume"].as_f64().unwrap(),
                ),
            )
        })
        .collect()
}

fn engine_positions(state: &State) -> BTreeMap<u64, (String, f64)> {
    state
        .positions
        .values()
        .map(|p| (p.ticket, (p.cid.clone(), p.volume)))
        .collect()
}

/// A leg's cid, whether the journal says it executed, and its opening deals in the trade log.
type LegFate<'a> = (&'a String, Option<&'a bool>, Option<&'a usize>);

/// The checks every scenario ends with.
async fn verify(files: &Files, mut engine: EngineSide, sim: SimSide, min_executed: usize) -> Story {
    engine.settled().await;
    sim.stop();
    let at_sim = sim_positions(&files.state);
    engine
        .until("the console's positions to equal the simulator's", |s| {
            engine_positions(s) == at_sim
        })
        .await;
    engine.stop().await;

    let deals = opening_deals(&files.trade_log);
    let (executed, sets, story) = journal_outcomes(&files.journal);
    let duplicated: Vec<_> = deals.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "executed twice: {duplicated:?}");
    let unknown: Vec<_> = deals
        .keys()
        .filter(|cid| !executed.contains_key(*cid))
        .collect();
    assert!(unknown.is_empty(), "executed but never sent: {unknown:?}");
    for (cid, done) in &executed {
        let in_log = deals.get(cid).copied().unwrap_or(0);
        if cid.contains("-s") {
            assert_eq!(
                in_log,
                usize::from(*done),
                "{cid}: the journal says executed={done}, the trade log has {in_log} opening deal(s)"
            );
        }
    }
    let complete = sets
        .iter()
        .filter(|cids| cids.iter().all(|c| deals.get(c) == Some(&1)))
        .count();
    let incomplete: Vec<Vec<LegFate<'_>>> = sets
        .iter()
        .filter(|cids| !cids.iter().all(|c| deals.get(c) == Some(&1)))
        .map(|cids| {
            cids.iter()
                .map(|c| (c, executed.get(c), deals.get(c)))
                .collect()
        })
        .collect();
    assert!(
        complete >= min_executed,
        "only {complete} of {} order sets fully executed; the others (cid, executed, deals): {incomplete:?}",
        sets.len()
    );
    story
}

/// Run [`SIGNALS`] signals against a simulator with these faults.
async fn scenario(faults: &[&str], min_executed: usize) -> Story {
    scenario_with(engine_config(), faults, min_executed).await
}

async fn scenario_with(rules: Rules, faults: &[&str], min_executed: usize) -> Story {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("signalos=info")
        .with_test_writer()
        .try_init();
    let files = Files::new();
    let address = free_address().await;
    let mut engine = EngineSide::start_with(&files.journal, address, rules).await;
    let sim = SimSide::start(address, &files, faults);
    engine.synced().await;
    for id in 1..=SIGNALS {
        engine.signal(id).await;
    }
    verify(&files, engine, sim, min_executed).await
}

fn any_unknown(story: &Story, because: &str) -> bool {
    story.unknown.iter().any(|r| r.contains(because))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_link_executes_every_signal_once() {
    let story = scenario(&[], SIGNALS as usize).await;
    assert!(
        story.unknown.is_empty() && story.rejected.is_empty(),
        "{story:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_lose_and_double_nothing() {
    let story = scenario(&["drop-after:150"], SIGNALS as usize).await;
    assert!(
        any_unknown(&story, "disconnected"),
        "no drop met: {story:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_answers_are_asked_about_not_resent() {
    let mut rules = engine_config();
    rules.engine.request_timeout_ms = 1000;
    let story = scenario_with(rules, &["delay:1500"], SIGNALS as usize).await;
    assert!(
        any_unknown(&story, "no answer within the timeout"),
        "{story:?}"
    );
    assert_eq!(story.resent, 0, "a late answer is waited for, never resent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_execution_whose_answer_is_lost_is_found_by_asking() {
    let story = scenario(&["execute-then-drop:25"], SIGNALS as usize).await;
    assert!(any_unknown(&story, "disconnected"), "{story:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_are_final_and_named() {
    let story = scenario(&["reject:10019:5"], 50).await;
    assert!(story.rejected.len() >= 30, "{story:?}");
    assert!(
        story
            .rejected
            .iter()
            .all(|(code, message)| *code == 10019 && message.starts_with("not enough money")),
        "{story:?}"
    );
    assert_eq!(story.resent, 0, "a rejection is final");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_events_change_nothing() {
    let story = scenario(&["duplicate"], SIGNALS as usize).await;
    assert!(story.unknown.is_empty(), "{story:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_lines_are_survived() {
    let story = scenario(&["garbage:25"], SIGNALS as usize).await;
    assert!(story.rejected.is_empty(), "{story:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_and_restarting_the_simulator_reconciles() {
    let files = Files::new();
    let address = free_address().await;
    let mut engine = EngineSide::start(&files.journal, address).await;
    let mut sim = SimSide::start(address, &files, &[]);
    engine.synced().await;
    for id in 1..=SIGNALS {
        if id % 25 == 0 {
            sim.kill();
            sim = SimSide::start(address, &files, &[]);
        }
        engine.signal(id).await;
    }
    let story = verify(&files, engine, sim, SIGNALS as usize).await;
    assert!(
        any_unknown(&story, "disconnected"),
        "no kill met: {story:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_and_restarting_the_engine_reconciles() {
    let files = Files::new();
    let address = free_address().await;
    let mut engine = EngineSide::start(&files.journal, address).await;
    let sim = SimSide::start(address, &files, &[]);
    engine.synced().await;
    let mut restarts = BTreeSet::new();
    for id in 1..=SIGNALS {
        if id % 25 == 0 {
            let before = engine_positions(&engine.replica.state);
            engine.crash().await;
            engine = EngineSide::start(&files.journal, address).await;
            engine.synced().await;
            engine.settled().await;
            // What the engine held before the crash is what the terminal reports after it
            // (requests were answered before it crashed: only adopted, never redone).
            let after = engine_positions(&engine.replica.state);
            assert!(
                before.keys().all(|t| after.contains_key(t)),
                "positions lost across the restart"
            );
            restarts.insert(id);
        }
        engine.signal(id).await;
    }
    assert_eq!(restarts.len(), 4);
    verify(&files, engine, sim, SIGNALS as usize).await;
}

/// `signalos run --headless` against the simulator process, both real processes: the engine is
/// killed with SIGKILL in the middle of a stream of signals and started again.
#[test]
fn killing_the_engine_process_and_starting_it_again_loses_and_doubles_nothing() {
    let files = Files::new();
    let home = files.journal.parent().unwrap().to_path_buf();
    let address = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let inbox = home.join("inbox.jsonl");
    std::fs::write(&inbox, "").unwrap();
    let config = home.join("engine.toml");
    std::fs::write(
        &config,
        format!(
            "[engine]\nrequest_timeout_ms = 5000\n\n[risk]\nlots = 0.02\nmax_legs = 2\n\n\
             [guards]\nduplicate_window_secs = 0\n\n\
             [broker]\nkind = \"mt5\"\nlisten = \"{address}\"\n\n\
             [[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"inbox.jsonl\"\npoll_ms = 20\n"
        ),
    )
    .unwrap();
    let engine_log = home.join("engine.log");
    let start_engine = || {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&engine_log)
            .unwrap();
        Command::new(env!("CARGO_BIN_EXE_signalos"))
            .args(["run", "--headless", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&files.journal)
            .env("SIGNALOS_BROKER_SECRET", SECRET)
            .env("HOME", &home)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap()
    };
    let append = |from: i64, to: i64| {
        for id in from..=to {
            let text = if id % 2 == 0 {
                "XAUUSD BUY NOW SL 4000 TP1 4300 TP2 4400"
            } else {
                "XAUUSD SELL NOW SL 4300 TP1 4000 TP2 3900"
            };
            let line = format!("{{\"chat\":\"vip\",\"id\":{id},\"text\":\"{text}\"}}\n");
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&inbox)
                .unwrap();
            std::io::Write::write_all(&mut f, line.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
    };
    let sim = SimSide::start(address, &files, &[]);
    let mut engine = start_engine();
    wait_for_log(&engine_log, "trading allowed", 1);
    append(1, 15);
    // Killed while signals are still coming: whatever was in flight is unknown to the next run.
    engine.kill().unwrap();
    engine.wait().unwrap();
    let mut engine = start_engine();
    wait_for_log(&engine_log, "trading allowed", 2);
    append(16, 30);
    std::thread::sleep(Duration::from_millis(1500));
    let _ = Command::new("kill")
        .args(["-TERM", &engine.id().to_string()])
        .status();
    engine.wait().unwrap();
    sim.stop();

    let deals = opening_deals(&files.trade_log);
    let (executed, sets, _) = journal_outcomes(&files.journal);
    assert!(deals.values().all(|n| *n == 1), "executed twice: {deals:?}");
    for (cid, n) in &deals {
        assert_eq!(executed.get(cid), Some(&true), "{cid} executed {n} time(s)");
    }
    for (cid, done) in &executed {
        assert_eq!(
            deals.get(cid).copied().unwrap_or(0),
            usize::from(*done),
            "{cid}: the journal says executed={done}"
        );
    }
    let journal = Journal::open(&files.journal).unwrap();
    let ids: BTreeSet<i64> = journal.signals(1).map(|r| r.unwrap().msg_id).collect();
    assert_eq!(ids, (1..=30).collect(), "every message is journaled once");
    assert_eq!(sets.len(), 30, "every signal executed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emergency_stop_flattens_even_while_the_terminal_rejects_and_drops() {
    use signalos::engine::{Action, Command, Origin, Reply};
    let files = Files::new();
    let address = free_address().await;
    let mut rules = engine_config();
    rules.engine.halt_retry_secs = 1;
    let mut engine = EngineSide::start_with(&files.journal, address, rules).await;
    // Every third new request is refused by the terminal, and the link drops now and then.
    let sim = SimSide::start(address, &files, &["reject:10006:3", "drop-after:400"]);
    engine.synced().await;
    for id in 1..=20 {
        engine.signal(id).await;
    }
    engine.settled().await;
    assert!(
        engine.replica.state.positions.len() >= 10,
        "{} positions open",
        engine.replica.state.positions.len()
    );
    let reply = engine
        .engine
        .command(Command {
            origin: Origin::console(),
            action: Action::EmergencyStop,
        })
        .await
        .unwrap();
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    engine
        .until("flat and HALTED", |s| {
            s.mode == signalos::model::Mode::Halted && s.positions.is_empty() && s.orders.is_empty()
        })
        .await;
    sim.stop();
    assert!(
        sim_positions(&files.state).is_empty(),
        "flat at the terminal too"
    );
    engine.stop().await;
    // Some of the emergency stop's closes were refused on the way, and retried under new cids
    // until nothing was left (the stop's cids carry its audit entry, "-c1-", or a retry, "-h").
    let (_, _, story) = journal_outcomes(&files.journal);
    assert!(
        story
            .rejected_cids
            .iter()
            .any(|cid| cid.contains("-c1-") || cid.contains("-h")),
        "{story:?}"
    );
}
