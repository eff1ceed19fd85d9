//! An engine trading the simulated account in this process, over the real bridge protocol on a
//! loopback port, as `signalos run` starts them. Include it with
//! `#[path = "support/live.rs"] mod live;`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use signalos::broker::bridge::server::{BridgeConfig, serve};
use signalos::broker::{BrokerEvent, sim};
use signalos::engine::{self, EngineHandle, Rules};
use signalos::parse::{Aliases, Words};
use signalos::store::Journal;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

const SECRET: &str = "live test secret";

/// The running parts.
pub struct Live {
    pub engine: EngineHandle,
    pub engine_task: JoinHandle<()>,
    /// The bridge server and the forwarding of its events.
    pub tasks: Vec<JoinHandle<()>>,
    /// The simulator playing the Expert Advisor.
    pub ea: JoinHandle<()>,
    /// Where the bridge listens, for a simulator started again.
    pub bridge: std::net::SocketAddr,
}

/// Start the bridge, the simulator trading `account` (saved in `state_file`, if given) and the
/// engine on `journal` with `rules`.
pub async fn start(
    journal: Journal,
    rules: Rules,
    account: sim::SimAccount,
    state_file: Option<PathBuf>,
) -> Live {
    let (requests_tx, requests_rx) = mpsc::channel(64);
    let (events_tx, events_rx) = mpsc::channel::<BrokerEvent>(1024);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bridge = listener.local_addr().unwrap();
    let server = tokio::spawn(serve(
        listener,
        BridgeConfig {
            secret: SECRET.into(),
            magic: 771001,
            heartbeat: Duration::from_secs(2),
            overrides: Default::default(),
            aliases: Aliases::default(),
        },
        requests_rx,
        events_tx,
    ));
    let ea = start_ea(bridge, account, state_file);
    let (engine, engine_task) = engine::spawn(
        rules,
        Aliases::default(),
        Words::default(),
        journal,
        requests_tx,
    )
    .unwrap();
    let forward = engine.forward_broker_events(events_rx);
    Live {
        engine,
        engine_task,
        tasks: vec![server, forward],
        ea,
        bridge,
    }
}

/// The simulator trading `account`, connecting to the bridge at `bridge`.
pub fn start_ea(
    bridge: std::net::SocketAddr,
    account: sim::SimAccount,
    state_file: Option<PathBuf>,
) -> JoinHandle<()> {
    let options = sim::ea::EaOptions {
        connect: bridge.to_string(),
        secret: SECRET.into(),
        tick: Duration::from_millis(20),
        state_file,
        ..Default::default()
    };
    tokio::spawn(async move {
        sim::ea::run(account, options).await.unwrap();
    })
}

/// A new simulated hedging account of 10,000 USD.
pub fn account() -> sim::SimAccount {
    sim::SimAccount::new(&config(), signalos::model::now_millis())
}

/// The simulated account's settings: seed 11, 10,000 USD, 1:100, hedging.
pub fn config() -> sim::SimConfig {
    sim::SimConfig {
        seed: 11,
        balance: 10_000.0,
        leverage: 100,
        hedging: true,
    }
}
