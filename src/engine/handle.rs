//! How the rest of the program talks to the engine task: one input channel, one event stream.

use std::sync::Arc;

use tokio::sync::{broadcast, mpsc, oneshot};

use crate::api::{Command, Events, Feed, Gone, RawMessage, Reply, Subscribe};
use crate::api::{Event, Link, Snapshot};
use crate::broker::BrokerEvent;
use crate::store::Step;

/// Everything the engine hears, on its one channel.
#[derive(Debug)]
pub enum Input {
    Message(RawMessage),
    /// Messages whose source confirms them upstream only once they are journaled.
    Delivery(Delivery),
    /// A source's saved place (`None`: none saved yet).
    Cursor(String, oneshot::Sender<Option<i64>>),
    Broker(BrokerEvent),
    Command(Command, oneshot::Sender<Reply>),
    /// A source's connection changed.
    Link {
        name: String,
        link: Link,
    },
    Subscribe(oneshot::Sender<Subscription>),
    /// One signal's whole story from the journal (`None`: no such signal).
    Story(u64, oneshot::Sender<Result<Option<Vec<Step>>, String>>),
    /// Stop after finishing what is in hand; answered once the journal is flushed.
    Shutdown(oneshot::Sender<()>),
}

/// A batch of messages, and where the source will be once they are journaled: the engine
/// journals the messages, saves the cursor with them, flushes, and only then answers `done`.
#[derive(Debug)]
pub struct Delivery {
    pub messages: Vec<RawMessage>,
    /// The source's place after these messages, as (key, value): a Telegram update offset.
    pub cursor: Option<(String, i64)>,
    /// `Err`: what could not be written; nothing may be confirmed upstream.
    pub done: oneshot::Sender<Result<(), String>>,
}

/// A snapshot and the live events that follow it (the first has seq `snapshot.seq + 1`).
#[derive(Debug)]
pub struct Subscription {
    pub snapshot: Snapshot,
    pub events: broadcast::Receiver<Arc<Event>>,
}

#[derive(Debug, thiserror::Error)]
#[error("the engine has stopped")]
pub struct EngineGone;

impl From<EngineGone> for Gone {
    fn from(_: EngineGone) -> Gone {
        Gone::stopped()
    }
}

/// A cheap, cloneable way to reach the engine.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    tx: mpsc::Sender<Input>,
}

impl Subscribe for EngineHandle {
    async fn subscribe(&self) -> Result<Feed, Gone> {
        let Subscription { snapshot, events } = EngineHandle::subscribe(self).await?;
        Ok(Feed {
            snapshot,
            events: Events::new(events),
        })
    }
}

impl EngineHandle {
    pub fn new(tx: mpsc::Sender<Input>) -> Self {
        EngineHandle { tx }
    }

    pub async fn send(&self, input: Input) -> Result<(), EngineGone> {
        self.tx.send(input).await.map_err(|_| EngineGone)
    }

    /// A snapshot of the state now and every event after it. A subscriber that lags behind the
    /// stream gets `RecvError::Lagged` and must subscribe again.
    pub async fn subscribe(&self) -> Result<Subscription, EngineGone> {
        let (tx, rx) = oneshot::channel();
        self.send(Input::Subscribe(tx)).await?;
        rx.await.map_err(|_| EngineGone)
    }

    /// Journal `messages` and save `cursor` with them; `Ok(Ok(()))` once both are durable.
    pub async fn deliver(
        &self,
        messages: Vec<RawMessage>,
        cursor: Option<(String, i64)>,
    ) -> Result<Result<(), String>, EngineGone> {
        let (done, rx) = oneshot::channel();
        self.send(Input::Delivery(Delivery {
            messages,
            cursor,
            done,
        }))
        .await?;
        rx.await.map_err(|_| EngineGone)
    }

    /// The cursor a source saved with its last delivery.
    pub async fn cursor(&self, key: &str) -> Result<Option<i64>, EngineGone> {
        let (tx, rx) = oneshot::channel();
        self.send(Input::Cursor(key.to_string(), tx)).await?;
        rx.await.map_err(|_| EngineGone)
    }

    /// Pass a command through the engine's gate and wait for its answer.
    pub async fn command(&self, command: Command) -> Result<Reply, EngineGone> {
        let (tx, rx) = oneshot::channel();
        self.send(Input::Command(command, tx)).await?;
        rx.await.map_err(|_| EngineGone)
    }

    /// Signal `seq`'s story as `journal story` tells it: `Ok(None)` when there is no such signal,
    /// `Err` with the journal's error in words.
    pub async fn story(&self, seq: u64) -> Result<Result<Option<Vec<Step>>, String>, EngineGone> {
        let (tx, rx) = oneshot::channel();
        self.send(Input::Story(seq, tx)).await?;
        rx.await.map_err(|_| EngineGone)
    }

    /// Hand every broker event to the engine, in order, until either side stops.
    pub fn forward_broker_events(
        &self,
        mut events: tokio::sync::mpsc::Receiver<BrokerEvent>,
    ) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if engine.send(Input::Broker(event)).await.is_err() {
                    return;
                }
            }
        })
    }

    /// Ask the engine to stop and wait until its journal is flushed. Positions stay at the broker.
    pub async fn shutdown(&self) -> Result<(), EngineGone> {
        let (tx, rx) = oneshot::channel();
        self.send(Input::Shutdown(tx)).await?;
        rx.await.map_err(|_| EngineGone)
    }
}
