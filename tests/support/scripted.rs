//! An engine whose broker is the test: events are sent by hand, requests read by hand, so that
//! every path of the engine's broker logic is taken on purpose.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::time::Duration;

use signalos::api::RawMessage;
use signalos::broker::{BrokerCommand, BrokerEvent, BrokerRequest, CidState, sim};
use signalos::engine::{self, EngineHandle, Input, Replica, Rules, State};
use signalos::model::{Decision, LinkState, now_millis};
use signalos::parse::{Aliases, Words};
use signalos::store::Journal;
use tokio::sync::mpsc;

#[path = "config.rs"]
mod config;
#[path = "message.rs"]
mod message;
#[path = "wait.rs"]
mod wait;
pub use config::engine_config;
pub use message::raw;

/// How long a test waits for what it expects before it fails: long, since a loaded machine is
/// slow and a passing test never waits it out.
pub const WAIT: Duration = Duration::from_secs(30);

/// An engine whose broker is this test.
pub struct Scripted {
    pub engine: EngineHandle,
    pub task: tokio::task::JoinHandle<()>,
    pub replica: Replica,
    pub commands: mpsc::Receiver<BrokerCommand>,
    pub sim: sim::SimAccount,
}

pub async fn start(dir: &std::path::Path) -> Scripted {
    start_with(dir, engine_config()).await
}

pub async fn start_with(dir: &std::path::Path, rules: Rules) -> Scripted {
    start_reading(dir, rules, Words::default()).await
}

/// An engine whose messages are read with `words` laid over the built-in vocabulary (and each
/// profile's of `rules` over those).
pub async fn start_reading(dir: &std::path::Path, rules: Rules, words: Words) -> Scripted {
    let journal = Journal::open(dir).unwrap();
    let (tx, commands) = mpsc::channel(64);
    let (engine, task) = engine::spawn(rules, Aliases::default(), words, journal, tx).unwrap();
    let replica = Replica::subscribe(&engine).await.unwrap();
    let sim = sim::SimAccount::new(
        &sim::SimConfig {
            seed: 3,
            balance: 10_000.0,
            leverage: 100,
            hedging: true,
        },
        now_millis(),
    );
    Scripted {
        engine,
        task,
        replica,
        commands,
        sim,
    }
}

impl Scripted {
    pub async fn broker(&self, event: BrokerEvent) {
        self.engine.send(Input::Broker(event)).await.unwrap();
    }

    pub async fn until(&mut self, what: &str, pred: impl Fn(&State) -> bool) {
        if !wait::state_until(&mut self.replica, &self.engine, pred).await {
            panic!("timed out waiting for {what}: {:#?}", self.replica.state);
        }
    }

    pub async fn command(&mut self) -> BrokerCommand {
        tokio::time::timeout(WAIT, self.commands.recv())
            .await
            .expect("a command in time")
            .expect("the engine is running")
    }

    /// Nothing reaches the broker for a while.
    pub async fn quiet(&mut self, for_: Duration) {
        if let Ok(Some(command)) = tokio::time::timeout(for_, self.commands.recv()).await {
            panic!("nothing should be sent, got {command:?}");
        }
    }

    pub async fn signal(&self, id: i64) {
        let ask = self.sim.quote("XAUUSD").unwrap().ask;
        let text = format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 10.0, ask + 10.0);
        self.message(id, &text).await;
    }

    /// An operator's command from the console, through the engine's gate.
    pub async fn operator(&self, action: signalos::engine::Action) -> signalos::engine::Reply {
        self.engine
            .command(signalos::engine::Command {
                origin: signalos::engine::Origin::console(),
                action,
            })
            .await
            .unwrap()
    }

    pub async fn message(&self, id: i64, text: &str) {
        self.edited(id, 0, text).await;
    }

    /// Version `edit` of message `id` (0 is the original).
    pub async fn edited(&self, id: i64, edit: u32, text: &str) {
        self.send(RawMessage {
            edit,
            ..raw(id, text)
        })
        .await;
    }

    /// Message `id`, a reply to message `to`.
    pub async fn reply(&self, id: i64, to: i64, text: &str) {
        self.send(RawMessage {
            reply_to: Some(to),
            ..raw(id, text)
        })
        .await;
    }

    pub async fn send(&self, message: RawMessage) {
        self.engine.send(Input::Message(message)).await.unwrap();
    }

    /// Let the simulator answer a request, and tell the engine everything it reports.
    pub async fn execute(&mut self, request: &BrokerRequest) {
        for event in self.sim.handle(request, now_millis()) {
            self.broker(event).await;
        }
    }

    /// Move gold's price in the simulator, and tell the engine what that does.
    pub async fn gold_at(&mut self, bid: f64) {
        let events = self
            .sim
            .set_quote("XAUUSD", bid, bid + 0.3, now_millis())
            .unwrap();
        for event in events {
            self.broker(event).await;
        }
    }

    pub async fn synced(&mut self) {
        self.broker(self.sim.synced()).await;
        self.until("synced", |s| {
            s.links
                .get("broker")
                .is_some_and(|l| l.state == LinkState::Synced)
        })
        .await;
    }

    pub async fn trade(&mut self) -> BrokerRequest {
        match self.command().await {
            BrokerCommand::Trade(request) => request,
            other => panic!("a trade expected, got {other:?}"),
        }
    }

    pub async fn stop(self) {
        self.engine.shutdown().await.unwrap();
        self.task.await.unwrap();
    }
}

/// The terminal's answer about `cid`.
pub fn found(cid: &str, state: CidState, ticket: Option<u64>) -> BrokerEvent {
    BrokerEvent::Found {
        cid: cid.to_string(),
        state,
        ticket,
        price: None,
        volume: None,
    }
}

pub fn decision(state: &State, msg_id: i64) -> Decision {
    state
        .signals
        .iter()
        .find(|s| s.msg_id == msg_id)
        .map(|s| s.decision.clone())
        .expect("the signal is listed")
}
