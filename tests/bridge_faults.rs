//! The faults of the EA review, end to end: the engine and its bridge server, and the simulator
//! playing the EA (in this process, so that a test can restart it with its memory empty), over
//! TCP on 127.0.0.1 through a gate this test controls. The gate passes lines through, may rewrite
//! the engine's trades on the way (to send what a broken engine would), and may hold the EA off
//! between connections, so that a restart happens exactly where a test puts it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use signalos::broker::bridge::server::{BridgeConfig, serve};
use signalos::broker::sim::{self, SimAccount, SimConfig, ea};
use signalos::broker::{BrokerEvent, BrokerRequest};
use signalos::engine::{self, Action, EngineHandle, Input, IntentStatus, Replica, Reply, State};
use signalos::model::{Decision, Execution, Filling, LinkState, now_millis};
use signalos::parse::{Aliases, Words};
use signalos::store::{Journal, OrderEvent};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

#[path = "support/config.rs"]
mod config;
#[path = "support/message.rs"]
mod message;
#[path = "support/wait.rs"]
mod wait;

const SECRET: &str = "bridge faults secret";

/// What the gate does to a line from the engine: `None` passes it as it is.
type Rewrite = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Between the simulator and the bridge: one connection at a time, each passed through only while
/// the gate is open.
#[derive(Clone)]
struct Gate {
    address: SocketAddr,
    open: Arc<Mutex<bool>>,
    rewrite: Arc<Mutex<Option<Rewrite>>>,
}

impl Gate {
    async fn start(bridge: SocketAddr) -> Gate {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gate = Gate {
            address: listener.local_addr().unwrap(),
            open: Arc::new(Mutex::new(true)),
            rewrite: Arc::new(Mutex::new(None)),
        };
        let serving = gate.clone();
        tokio::spawn(async move {
            while let Ok((ea, _)) = listener.accept().await {
                if !*serving.open.lock().unwrap() {
                    // Held off: the EA sees the connection close and tries again later.
                    drop(ea);
                    continue;
                }
                let engine = TcpStream::connect(bridge).await.unwrap();
                serving.pass(ea, engine).await;
            }
        });
        gate
    }

    /// Pass one connection's lines both ways until either side ends it.
    async fn pass(&self, ea: TcpStream, engine: TcpStream) {
        let (ea_read, mut ea_write) = ea.into_split();
        let (engine_read, mut engine_write) = engine.into_split();
        let rewrite = self.rewrite.clone();
        let down = tokio::spawn(async move {
            let mut lines = BufReader::new(engine_read).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                let changed = rewrite.lock().unwrap().as_ref().and_then(|f| f(&line));
                let line = changed.unwrap_or(line) + "\n";
                if ea_write.write_all(line.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
        let up = tokio::spawn(async move {
            let _ = tokio::io::copy(&mut BufReader::new(ea_read), &mut engine_write).await;
        });
        tokio::select! {
            _ = down => {}
            _ = up => {}
        }
    }

    fn set_open(&self, open: bool) {
        *self.open.lock().unwrap() = open;
    }

    fn rewrite(&self, f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) {
        *self.rewrite.lock().unwrap() = Some(Arc::new(f));
    }
}

/// The simulated EA running in this process.
struct SimRun {
    stop: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

/// The engine, its bridge, the gate, and the simulator with its files.
struct Rig {
    dir: tempfile::TempDir,
    state_file: PathBuf,
    config: SimConfig,
    engine: EngineHandle,
    engine_task: JoinHandle<()>,
    replica: Replica,
    gate: Gate,
    sim: Option<SimRun>,
}

impl Rig {
    async fn start(sim: SimAccount, config: SimConfig, faults: &[&str]) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let journal_dir = dir.path().join("journal");
        let journal = Journal::open(&journal_dir).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let bridge = listener.local_addr().unwrap();
        let (commands_tx, commands_rx) = mpsc::channel(1024);
        let (events_tx, mut events_rx) = mpsc::channel::<BrokerEvent>(4096);
        let (engine, engine_task) = engine::spawn(
            config::engine_config(),
            Aliases::default(),
            Words::default(),
            journal,
            commands_tx,
        )
        .unwrap();
        tokio::spawn(serve(
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
        let forward = engine.clone();
        tokio::spawn(async move {
            while let Some(event) = events_rx.recv().await {
                if forward.send(Input::Broker(event)).await.is_err() {
                    return;
                }
            }
        });
        let replica = Replica::subscribe(&engine).await.unwrap();
        let mut rig = Rig {
            state_file: dir.path().join("sim.json"),
            dir,
            config,
            engine,
            engine_task,
            replica,
            gate: Gate::start(bridge).await,
            sim: None,
        };
        rig.run_sim(sim, faults);
        rig
    }

    fn run_sim(&mut self, sim: SimAccount, faults: &[&str]) {
        let (stop, stopped) = oneshot::channel();
        let options = ea::EaOptions {
            connect: self.gate.address.to_string(),
            secret: SECRET.into(),
            tick: Duration::from_millis(50),
            faults: faults.iter().map(|f| f.parse().unwrap()).collect(),
            trade_log: None,
            state_file: Some(self.state_file.clone()),
            seed: 1,
            backoff_cap: Duration::from_millis(200),
        };
        let task = tokio::spawn(ea::run_until(sim, options, async {
            let _ = stopped.await;
        }));
        self.sim = Some(SimRun { stop, task });
    }

    /// Stop the EA (it saves the account) and start it again from the saved account: a new EA
    /// process, its memory of answers empty, the server's book and history as they were.
    async fn restart_sim(&mut self, faults: &[&str]) {
        let run = self.sim.take().unwrap();
        let _ = run.stop.send(());
        run.task.await.unwrap().unwrap();
        let sim = sim::load_or_new(&self.config, &self.state_file, now_millis()).unwrap();
        self.run_sim(sim, faults);
    }

    async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        if !wait::state_until(&mut self.replica, &self.engine, pred).await {
            panic!(
                "timed out waiting for {what}: link {:?}, intents {:#?}, positions {:#?}, orders {:#?}",
                self.replica.state.links.get("broker"),
                self.replica.state.intents,
                self.replica.state.positions,
                self.replica.state.orders
            );
        }
    }

    /// Until the broker's link is in `state`.
    async fn link(&mut self, state: LinkState) {
        let what = format!("the link {state:?}");
        self.until(&what, |s| {
            s.links.get("broker").is_some_and(|l| l.state == state)
        })
        .await;
    }

    async fn synced(&mut self) {
        self.until("a synced broker", |s| {
            s.links
                .get("broker")
                .is_some_and(|l| l.state == LinkState::Synced)
                && s.quotes.contains_key("XAUUSD")
        })
        .await;
    }

    /// Signal `id`, and the cids of its orders once it has executed.
    async fn signal(&mut self, id: i64, text: &str) -> Vec<String> {
        self.engine
            .send(Input::Message(message::raw(id, text)))
            .await
            .unwrap();
        self.until("the signal executed", |s| {
            s.signals.iter().any(|r| {
                r.msg_id == id
                    && matches!(&r.decision, Decision::Executed { cids, .. }
                        if cids.iter().all(|c| s.intents.contains_key(c)))
            })
        })
        .await;
        let record = self.replica.state.signals.iter().find(|r| r.msg_id == id);
        match record.map(|r| &r.decision) {
            Some(Decision::Executed { cids, .. }) => cids.clone(),
            other => panic!("signal {id}: {other:?}"),
        }
    }

    async fn operator(&self, action: Action) -> Reply {
        self.engine
            .command(engine::Command {
                origin: engine::Origin::console(),
                action,
            })
            .await
            .unwrap()
    }

    /// Wait until the intent `cid` is settled, and return it.
    async fn settled(&mut self, cid: &str) -> engine::Intent {
        let wanted = cid.to_string();
        self.until("the intent settled", move |s| {
            s.intents
                .get(&wanted)
                .is_some_and(|i| !matches!(i.status, IntentStatus::Sent | IntentStatus::Unknown))
        })
        .await;
        self.replica.state.intents[cid].clone()
    }

    /// The cid of the intent whose summary starts with `what` ("cancel order", "close"…), once
    /// there is one.
    async fn intent_for(&mut self, what: &str) -> String {
        let what = what.to_string();
        let probe = what.clone();
        self.until("the intent listed", move |s| {
            s.intents.values().any(|i| i.summary.starts_with(&probe))
        })
        .await;
        let state = &self.replica.state;
        state
            .intents
            .values()
            .find(|i| i.summary.starts_with(&what))
            .map(|i| i.cid.clone())
            .unwrap()
    }

    /// Stop the simulator and the engine; the files stay until the returned directory is dropped.
    async fn stop(mut self) -> tempfile::TempDir {
        if let Some(run) = self.sim.take() {
            let _ = run.stop.send(());
            let _ = run.task.await;
        }
        self.engine.shutdown().await.unwrap();
        self.engine_task.await.unwrap();
        self.dir
    }
}

/// The kinds of the journal's order events for `cid`, in order (once the engine has stopped).
fn trail(dir: &tempfile::TempDir, cid: &str) -> Vec<String> {
    let journal = Journal::open(&dir.path().join("journal")).unwrap();
    journal
        .orders(1)
        .map(Result::unwrap)
        .filter(|e| e.cid == cid)
        .map(|e| match e.event {
            OrderEvent::Intent { .. } => "intent".to_string(),
            OrderEvent::Outcome { outcome } => format!("outcome {outcome:?}"),
            OrderEvent::Unknown { .. } => "unknown".to_string(),
            OrderEvent::Resolved { found, .. } => format!("resolved found={found}"),
            other => format!("{other:?}"),
        })
        .collect()
}

fn sim_config(hedging: bool) -> SimConfig {
    SimConfig {
        seed: 11,
        balance: 100_000.0,
        leverage: 100,
        hedging,
    }
}

fn new_sim(hedging: bool) -> (SimAccount, SimConfig) {
    let config = sim_config(hedging);
    (SimAccount::new(&config, now_millis()), config)
}

/// A gold buy far from its stop and target, so that only our requests change the book.
fn gold_buy(state: &State) -> String {
    let ask = state.quotes["XAUUSD"].ask;
    format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 300.0, ask + 300.0)
}

/// Fault 4: an engine's trade the EA cannot read (here, a modify whose `sl` and `cid` were lost
/// on the way) is answered by a `result` with its id: the engine records the request rejected,
/// with the field named, and the terminal executed nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_trade_is_rejected_by_id_and_the_engine_records_why() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &[]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    let cids = rig.signal(1, &text).await;
    let intent = rig.settled(&cids[0]).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    rig.until("the position on the book", |s| s.positions.len() == 1)
        .await;
    let (&ticket, position) = rig.replica.state.positions.iter().next().unwrap();
    let sl = position.sl;
    rig.gate.rewrite(|line| {
        let mut value: serde_json::Value = serde_json::from_str(line).ok()?;
        let request = value.get_mut("request")?.as_object_mut()?;
        if request.get("op")? != "modify" {
            return None;
        }
        request.remove("sl");
        request.remove("cid");
        Some(value.to_string())
    });
    let reply = rig
        .operator(Action::ModifyPosition {
            ticket,
            sl: None,
            tp: None,
        })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    let cid = rig.intent_for("modify").await;
    let intent = rig.settled(&cid).await;
    assert_eq!(intent.status, IntentStatus::Rejected, "{intent:?}");
    assert!(
        intent.detail.contains("10013") && intent.detail.contains("field sl is missing"),
        "{intent:?}"
    );
    // Not a removal of the stop: the position keeps it.
    assert_eq!(rig.replica.state.positions[&ticket].sl, sl);
    assert!(sl.is_some());
    rig.stop().await;
}

/// Fault 5: a cancel executed just before the EA restarted (the answer lost with the link) is
/// queried, found absent (a cancel leaves no trace), sent again under its cid, and the restarted
/// EA finds the order cancelled in the history: done, not "no such order".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_lost_in_an_ea_restart_is_resent_and_found_cancelled() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &["execute-then-drop:2"]).await;
    rig.synced().await;
    let ask = rig.replica.state.quotes["XAUUSD"].ask;
    let text = format!(
        "XAUUSD BUY LIMIT {:.2}\nSL {:.2}\nTP {:.2}",
        ask - 100.0,
        ask - 300.0,
        ask + 300.0
    );
    let cids = rig.signal(1, &text).await;
    let placed = rig.settled(&cids[0]).await;
    assert_eq!(placed.status, IntentStatus::Done, "{placed:?}");
    rig.until("the order on the book", |s| s.orders.len() == 1)
        .await;
    let order = *rig.replica.state.orders.keys().next().unwrap();
    // The connection the cancel drops is the last one until the EA has restarted.
    rig.gate.set_open(false);
    let reply = rig.operator(Action::CancelOrder { ticket: order }).await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    rig.link(LinkState::Down).await;
    let cid = rig.intent_for("cancel order").await;
    rig.restart_sim(&[]).await;
    rig.gate.set_open(true);
    let intent = rig.settled(&cid).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    assert!(rig.replica.state.orders.is_empty());
    let dir = rig.stop().await;
    let trail = trail(&dir, &cid);
    assert_eq!(
        trail.iter().filter(|e| *e == "intent").count(),
        2,
        "queried, found absent, sent again: {trail:?}"
    );
    assert!(
        trail.last().is_some_and(|e| e.starts_with("outcome Done")),
        "{trail:?}"
    );
}

/// Fault 3: a `close` whose `volume` was lost on the way is invalid, never a close of the whole
/// position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_without_its_volume_closes_nothing() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &[]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    rig.signal(1, &text).await;
    rig.until("the position on the book", |s| s.positions.len() == 1)
        .await;
    let ticket = *rig.replica.state.positions.keys().next().unwrap();
    rig.gate.rewrite(|line| {
        let mut value: serde_json::Value = serde_json::from_str(line).ok()?;
        let request = value.get_mut("request")?.as_object_mut()?;
        (request.get("op")? == "close").then_some(())?;
        request.remove("volume");
        Some(value.to_string())
    });
    let reply = rig.operator(Action::ClosePosition { ticket }).await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    let cid = rig.intent_for("close").await;
    let intent = rig.settled(&cid).await;
    assert_eq!(intent.status, IntentStatus::Rejected, "{intent:?}");
    assert!(
        intent.detail.contains("10013") && intent.detail.contains("close: field volume is missing"),
        "{intent:?}"
    );
    // The EA's own book, after a restart: the position is still open.
    rig.gate.set_open(false);
    rig.restart_sim(&[]).await;
    let saved = sim::load_or_new(&rig.config, &rig.state_file, now_millis()).unwrap();
    assert_eq!(
        saved
            .positions()
            .iter()
            .map(|p| p.ticket)
            .collect::<Vec<_>>(),
        [ticket]
    );
    rig.stop().await;
}

/// Fault 6: a pending order placed just before the link dropped (its answer lost), then
/// cancelled at the terminal while the EA was away, is found `cancelled` by the restarted EA:
/// the engine settles the place as executed (placed, then removed), and sends nothing again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_place_found_cancelled_is_settled_placed_then_removed_and_never_resent() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &["execute-then-drop:1"]).await;
    rig.synced().await;
    rig.gate.set_open(false);
    let ask = rig.replica.state.quotes["XAUUSD"].ask;
    let text = format!(
        "XAUUSD BUY LIMIT {:.2}\nSL {:.2}\nTP {:.2}",
        ask - 100.0,
        ask - 300.0,
        ask + 300.0
    );
    let cids = rig.signal(1, &text).await;
    rig.link(LinkState::Down).await;
    // Stop the EA, and cancel the order at the terminal as a trader would, by hand.
    let run = rig.sim.take().unwrap();
    let _ = run.stop.send(());
    run.task.await.unwrap().unwrap();
    let mut account = sim::load_or_new(&rig.config, &rig.state_file, now_millis()).unwrap();
    let order = account.orders()[0].ticket;
    let by_hand = BrokerRequest::Cancel {
        cid: String::new(),
        ticket: order,
    };
    account.handle(&by_hand, now_millis());
    assert!(account.orders().is_empty());
    rig.run_sim(account, &[]);
    rig.gate.set_open(true);
    let intent = rig.settled(&cids[0]).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    assert!(
        intent.detail.contains(&format!("#{order}"))
            && intent.detail.contains("left the book unfilled"),
        "{intent:?}"
    );
    assert!(rig.replica.state.orders.is_empty());
    let run = rig.sim.take().unwrap();
    let _ = run.stop.send(());
    run.task.await.unwrap().unwrap();
    let account = sim::load_or_new(&rig.config, &rig.state_file, now_millis()).unwrap();
    assert!(account.orders().is_empty() && account.positions().is_empty());
    let dir = rig.stop().await;
    let trail = trail(&dir, &cids[0]);
    assert_eq!(
        trail.iter().filter(|e| *e == "intent").count(),
        1,
        "never sent again: {trail:?}"
    );
}

/// Fault 3, in the journal: intents written before version 2 carry every field (with `null`s),
/// so they still read; a request missing a field does not, and says which.
#[test]
fn journal_intents_written_before_version_2_still_read() {
    let old = [
        r#"{"seq":7,"at":1763800000000,"cid":"k3x9-s12-1","signal":12,"command":null,"kind":"intent","request":{"op":"place","cid":"k3x9-s12-1","symbol":"XAUUSD","side":"buy","order_type":"market","volume":0.1,"price":null,"sl":2340.0,"tp":null},"summary":"BUY 0.10 XAUUSD"}"#,
        r#"{"seq":8,"at":1763800000001,"cid":"k3x9-c4-1234","signal":null,"command":3,"kind":"intent","request":{"op":"modify","cid":"k3x9-c4-1234","ticket":1234,"sl":null,"tp":2360.0},"summary":"modify #1234"}"#,
        r#"{"seq":9,"at":1763800000002,"cid":"k3x9-c5-1234","signal":null,"command":4,"kind":"intent","request":{"op":"close","cid":"k3x9-c5-1234","ticket":1234,"volume":null},"summary":"close #1234"}"#,
    ];
    for line in old {
        let entry: signalos::store::OrderEntry = serde_json::from_str(line).unwrap();
        let OrderEvent::Intent { request, .. } = &entry.event else {
            panic!("{entry:?}");
        };
        assert_eq!(request.cid(), entry.cid);
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            serde_json::from_str::<serde_json::Value>(line).unwrap(),
            "written back as it was"
        );
    }
    let parsed: signalos::store::OrderEntry = serde_json::from_str(old[1]).unwrap();
    assert!(matches!(
        parsed.event,
        OrderEvent::Intent {
            request: BrokerRequest::Modify {
                sl: None,
                tp: Some(_),
                ..
            },
            ..
        }
    ));
    for (line, field) in [
        (old[1].replace(r#""sl":null,"#, ""), "sl"),
        (old[2].replace(r#","volume":null"#, ""), "volume"),
        (old[0].replace(r#""price":null,"#, ""), "price"),
    ] {
        let error = serde_json::from_str::<signalos::store::OrderEntry>(&line).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&format!("missing field `{field}`")),
            "{line}: {error}"
        );
    }
}

/// Fault 7: the trader switches Algo Trading off for a while. Every `account` says so: the
/// engine marks the link degraded with why (nothing is sent meanwhile) and synced again once it
/// is back on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn algo_trading_switched_off_degrades_the_link_until_it_is_on_again() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &["algo-off:6000:3000"]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    rig.signal(1, &text).await;
    rig.until("the position on the book", |s| s.positions.len() == 1)
        .await;
    let ticket = *rig.replica.state.positions.keys().next().unwrap();
    rig.until("the link degraded for Algo Trading", |s| {
        s.links.get("broker").is_some_and(|l| {
            l.state == LinkState::Degraded && l.detail.contains("Algo Trading is off")
        })
    })
    .await;
    // Refused in the engine, with the reason, before it reaches a terminal that would refuse it.
    let reply = rig.operator(Action::ClosePosition { ticket }).await;
    assert!(
        matches!(&reply, Reply::Refused { reason } if reason.contains("Algo Trading is off")),
        "{reply:?}"
    );
    assert!(rig.replica.state.positions.contains_key(&ticket));
    rig.link(LinkState::Synced).await;
    rig.stop().await;
}

/// Fault 2: on a netting account a sell bigger than the open buy reverses the position: it keeps
/// its identifier but takes a new ticket. The result, the position message and the next snapshot
/// name the new ticket; the engine drops the old one and manages the position under the new
/// one: a close of it finds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_netting_reversal_is_managed_under_its_new_ticket() {
    let (sim, config) = new_sim(false);
    let mut rig = Rig::start(sim, config, &[]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    rig.signal(1, &text).await;
    rig.until("the buy on the book", |s| s.positions.len() == 1)
        .await;
    let bought = *rig.replica.state.positions.keys().next().unwrap();
    let reply = rig
        .operator(Action::ClosePart {
            ticket: bought,
            fraction: 0.5,
        })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    rig.until("half of the buy closed", |s| {
        s.positions.get(&bought).is_some_and(|p| p.volume < 0.1)
    })
    .await;
    let bid = rig.replica.state.quotes["XAUUSD"].bid;
    let text = format!(
        "XAUUSD SELL NOW SL {:.2} TP {:.2}",
        bid + 300.0,
        bid - 300.0
    );
    let cids = rig.signal(2, &text).await;
    let intent = rig.settled(&cids[0]).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    rig.until("only the reversed position on the book", |s| {
        s.positions.len() == 1 && s.positions.values().all(|p| p.ticket != bought)
    })
    .await;
    let (&reversed, position) = rig.replica.state.positions.iter().next().unwrap();
    assert_eq!(position.cid, cids[0]);
    assert!(
        intent.detail.contains(&format!("#{reversed}")),
        "the result names the new ticket: {intent:?}"
    );
    // A reconnect: the snapshot names the new ticket too.
    let reply = rig.operator(Action::Resync).await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    rig.until("the link down", |s| {
        s.links
            .get("broker")
            .is_none_or(|l| l.state != LinkState::Synced)
    })
    .await;
    rig.synced().await;
    assert_eq!(
        rig.replica.state.positions.keys().collect::<Vec<_>>(),
        [&reversed]
    );
    let reply = rig
        .operator(Action::ClosePosition { ticket: reversed })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    let cid = rig.intent_for(&format!("close #{reversed}")).await;
    let closed = rig.settled(&cid).await;
    assert_eq!(closed.status, IntentStatus::Done, "{closed:?}");
    rig.until("the book empty", |s| s.positions.is_empty())
        .await;
    rig.stop().await;
}

/// Fault 1, on the wire: `specs` reports the symbol's execution and the filling modes the EA
/// derives from it (market execution with only IOC allowed: `["ioc"]`), and a market order on it
/// executes the first time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn specs_report_the_execution_and_the_filling_modes_chosen_from_it() {
    let (mut sim, config) = new_sim(true);
    let ioc_only = sim::FillingFlags {
        fok: false,
        ioc: true,
    };
    sim.set_filling("XAUUSD", Execution::Market, ioc_only)
        .unwrap();
    let mut rig = Rig::start(sim, config, &[]).await;
    rig.synced().await;
    let spec = rig.replica.state.symbols["XAUUSD"].clone();
    assert_eq!(
        (spec.execution, spec.filling_modes),
        (Execution::Market, vec![Filling::Ioc])
    );
    let text = gold_buy(&rig.replica.state);
    let cids = rig.signal(1, &text).await;
    let intent = rig.settled(&cids[0]).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    rig.stop().await;
}

/// Fault 10, end to end: the broker's commission reaches the engine with the position, the
/// floating P/L the console and the day add up is net of it, and the close is journaled with
/// the position's whole net result (the commission of both its deals).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commission_and_swap_reach_the_engine_and_the_close_is_journaled_net() {
    let (mut sim, config) = new_sim(true);
    sim.set_costs(sim::Costs {
        commission_per_lot: -7.0,
        swap_per_lot: -2.5,
    });
    let mut rig = Rig::start(sim, config, &[]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    rig.signal(1, &text).await;
    rig.until("the position with its commission", |s| {
        s.positions
            .values()
            .any(|p| (p.commission + 0.7).abs() < 1e-9)
    })
    .await;
    let state = &rig.replica.state;
    let position = state.positions.values().next().unwrap().clone();
    let net: f64 = state.positions.values().map(|p| p.net_profit()).sum();
    assert!((state.floating_pnl() - net).abs() < 1e-9);
    assert!((net - (position.profit - 0.7)).abs() < 1e-9, "{position:?}");
    let reply = rig
        .operator(Action::ClosePosition {
            ticket: position.ticket,
        })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    rig.until("the book empty", |s| s.positions.is_empty())
        .await;
    let dir = rig.stop().await;
    let journal = Journal::open(&dir.path().join("journal")).unwrap();
    let (price, profit) = journal
        .orders(1)
        .map(Result::unwrap)
        .find_map(|e| match e.event {
            OrderEvent::Closed { price, profit, .. } => Some((price, profit)),
            _ => None,
        })
        .expect("the close journaled");
    let gross = ((price - position.open_price) * 10.0 * 100.0).round() / 100.0;
    assert!(
        (profit - (gross - 1.4)).abs() < 1e-6,
        "journaled {profit}, the price made {gross}, the commission in and out -0.70 each"
    );
}

/// Fault 7: the terminal loses its trade server for a while: the link is degraded with why, and
/// synced again when the terminal has it back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_without_its_trade_server_degrades_the_link_until_it_is_back() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &["offline:0:5000"]).await;
    rig.until("the link degraded for the trade server", |s| {
        s.links.get("broker").is_some_and(|l| {
            l.state == LinkState::Degraded && l.detail.contains("no connection to the trade server")
        })
    })
    .await;
    rig.synced().await;
    rig.stop().await;
}

/// Fault 5, for a modify: executed just before the EA restarted (the answer lost with the link),
/// found absent (a modify leaves no trace), sent again under its cid, and the restarted EA finds
/// the levels already as asked: done, not 10025.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modify_lost_in_an_ea_restart_is_resent_and_found_already_done() {
    let (sim, config) = new_sim(true);
    let mut rig = Rig::start(sim, config, &["execute-then-drop:2"]).await;
    rig.synced().await;
    let text = gold_buy(&rig.replica.state);
    rig.signal(1, &text).await;
    rig.until("the position on the book", |s| s.positions.len() == 1)
        .await;
    let position = rig.replica.state.positions.values().next().unwrap().clone();
    let sl = position.sl.map(|sl| sl - 10.0);
    rig.gate.set_open(false);
    let reply = rig
        .operator(Action::ModifyPosition {
            ticket: position.ticket,
            sl,
            tp: position.tp,
        })
        .await;
    assert!(matches!(reply, Reply::Accepted { .. }), "{reply:?}");
    rig.link(LinkState::Down).await;
    let cid = rig.intent_for("modify").await;
    rig.restart_sim(&[]).await;
    rig.gate.set_open(true);
    let intent = rig.settled(&cid).await;
    assert_eq!(intent.status, IntentStatus::Done, "{intent:?}");
    assert_eq!(rig.replica.state.positions[&position.ticket].sl, sl);
    let dir = rig.stop().await;
    let trail = trail(&dir, &cid);
    assert_eq!(
        trail.iter().filter(|e| *e == "intent").count(),
        2,
        "queried, found absent, sent again: {trail:?}"
    );
}
