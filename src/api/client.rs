//! What every viewer of the engine is written against: the console in `signalos run` (through
//! the engine's own handle) and in `signalos view` (through the relay), `signalos ctl`, tests.

use std::future::Future;
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

use super::command::{Action, Reply, Role};
use super::log::LogLine;
use super::state::Link;
use super::state::{Event, Snapshot};
use super::story::Step;

/// The engine cannot be reached: it has stopped, or the link to it is gone for good.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Gone(pub String);

impl Gone {
    pub fn stopped() -> Gone {
        Gone("the engine has stopped".into())
    }
}

/// A snapshot and the live events after it (the first has seq `snapshot.seq + 1`).
#[derive(Debug)]
pub struct Feed {
    pub snapshot: Snapshot,
    pub events: Events,
}

/// What [`Events::recv`] hands over.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    Event(Arc<Event>),
    /// Events were missed (this subscriber fell behind, or the client's own copy was replaced
    /// by a fresh snapshot): subscribe again.
    Missed,
    /// No more events will come.
    Closed,
}

/// The live events of a [`Feed`].
#[derive(Debug)]
pub struct Events {
    events: broadcast::Receiver<Arc<Event>>,
    /// Bumped by a client whose copy of the state was replaced (a resync, a restarted engine):
    /// what this feed would deliver next no longer follows its snapshot.
    resets: Option<watch::Receiver<u64>>,
}

impl Events {
    pub fn new(events: broadcast::Receiver<Arc<Event>>) -> Events {
        Events {
            events,
            resets: None,
        }
    }

    /// Events that are invalidated whenever `resets` changes.
    pub fn with_resets(
        events: broadcast::Receiver<Arc<Event>>,
        mut resets: watch::Receiver<u64>,
    ) -> Events {
        resets.mark_unchanged();
        Events {
            events,
            resets: Some(resets),
        }
    }

    /// The next event. Cancel-safe, so it can sit in a `select!`.
    pub async fn recv(&mut self) -> Received {
        let events = &mut self.events;
        let received = match &mut self.resets {
            None => events.recv().await,
            Some(resets) => tokio::select! {
                biased;
                changed = resets.changed() => {
                    return match changed {
                        Ok(()) => Received::Missed,
                        Err(_) => Received::Closed,
                    };
                }
                received = events.recv() => received,
            },
        };
        match received {
            Ok(event) => Received::Event(event),
            Err(broadcast::error::RecvError::Lagged(_)) => Received::Missed,
            Err(broadcast::error::RecvError::Closed) => Received::Closed,
        }
    }
}

/// Whatever hands out the engine's state and events: the engine's own handle, any [`Client`].
pub trait Subscribe {
    /// The state now and every event after it.
    fn subscribe(&self) -> impl Future<Output = Result<Feed, Gone>> + Send;
}

/// A way to watch and steer an engine, wherever it runs.
pub trait Client: Subscribe + Clone + Send + Sync + 'static {
    /// Pass `action` through the engine's command gate, as whoever this client is, and wait for
    /// the gate's answer.
    fn command(&self, action: Action) -> impl Future<Output = Result<Reply, Gone>> + Send;

    /// Signal `signal`'s story from the journal: `Ok(None)` when there is no such signal, `Err`
    /// with the journal's error in words.
    fn story(
        &self,
        signal: u64,
    ) -> impl Future<Output = Result<Result<Option<Vec<Step>>, String>, Gone>> + Send;

    /// The most recent `lines` log lines, oldest first.
    fn log(&self, lines: usize) -> impl Future<Output = Result<Vec<LogLine>, Gone>> + Send;

    /// What this client may do: a viewer only looks.
    fn role(&self) -> Role;

    /// How this client reaches a remote engine (up with its lag, retrying, gone, with why);
    /// none when the engine is in this process.
    fn link(&self) -> Option<watch::Receiver<Link>> {
        None
    }
}
