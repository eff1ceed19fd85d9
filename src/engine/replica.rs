//! A subscriber's copy of the engine state: a snapshot, then every event applied in order.

use std::sync::Arc;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tracing::debug;

use super::handle::{EngineGone, EngineHandle, Subscription};
use super::state::{Event, State};

pub struct Replica {
    engine: EngineHandle,
    events: broadcast::Receiver<Arc<Event>>,
    seq: u64,
    pub state: State,
}

impl Replica {
    pub async fn new(engine: EngineHandle) -> Result<Replica, EngineGone> {
        let Subscription { snapshot, events } = engine.subscribe().await?;
        Ok(Replica {
            engine,
            events,
            seq: snapshot.seq,
            state: snapshot.state,
        })
    }

    /// The seq of the last event applied.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    async fn resync(&mut self) -> Result<(), EngineGone> {
        let Subscription { snapshot, events } = self.engine.subscribe().await?;
        debug!(
            from = self.seq,
            to = snapshot.seq,
            "replica resynced from a fresh snapshot"
        );
        self.events = events;
        self.seq = snapshot.seq;
        self.state = snapshot.state;
        Ok(())
    }

    /// Apply one event; a gap means events were missed, so start again from a snapshot.
    async fn apply(&mut self, event: &Event) -> Result<(), EngineGone> {
        if event.seq <= self.seq {
            return Ok(());
        }
        if event.seq != self.seq + 1 {
            return self.resync().await;
        }
        self.state.apply(&event.change);
        self.seq = event.seq;
        Ok(())
    }

    /// Wait until the state changes, then apply everything already queued.
    pub async fn changed(&mut self) -> Result<(), EngineGone> {
        match self.events.recv().await {
            Ok(event) => self.apply(&event).await?,
            Err(RecvError::Lagged(_)) => self.resync().await?,
            Err(RecvError::Closed) => return Err(EngineGone),
        }
        self.drain().await
    }

    /// Apply every event already queued, without waiting.
    pub async fn drain(&mut self) -> Result<(), EngineGone> {
        loop {
            match self.events.try_recv() {
                Ok(event) => self.apply(&event).await?,
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::Lagged(_)) => self.resync().await?,
                Err(TryRecvError::Closed) => return Err(EngineGone),
            }
        }
    }
}
