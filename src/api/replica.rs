//! A subscriber's copy of the engine state: a snapshot at seq N, then events N+1, N+2, … applied
//! with the engine's own `State::apply`. Any doubt (a gap, a lag) is settled by a fresh snapshot.

use std::sync::Arc;

use super::client::{Events, Feed, Gone, Received, Subscribe};
use super::state::{Event, State};

/// What one received event did to the replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Applied,
    /// Already covered by the snapshot.
    Stale,
    /// Events were missed: subscribe again.
    Resync,
    /// The engine is gone.
    Closed,
}

#[derive(Debug)]
pub struct Replica {
    pub seq: u64,
    pub state: State,
    events: Events,
    /// How many fresh snapshots were needed after the first, for the curious.
    pub resyncs: u64,
}

impl Replica {
    pub async fn subscribe(engine: &impl Subscribe) -> Result<Replica, Gone> {
        let Feed { snapshot, events } = engine.subscribe().await?;
        Ok(Replica {
            seq: snapshot.seq,
            state: snapshot.state,
            events,
            resyncs: 0,
        })
    }

    /// The next event from the engine. Cancel-safe, so it can sit in a `select!`.
    pub async fn recv(&mut self) -> Received {
        self.events.recv().await
    }

    pub fn handle(&mut self, received: Received) -> Step {
        match received {
            Received::Event(event) => self.apply(&event),
            Received::Missed => Step::Resync,
            Received::Closed => Step::Closed,
        }
    }

    fn apply(&mut self, event: &Arc<Event>) -> Step {
        if event.seq <= self.seq {
            Step::Stale
        } else if event.seq == self.seq + 1 {
            self.state.apply(&event.change);
            self.seq = event.seq;
            Step::Applied
        } else {
            Step::Resync
        }
    }

    pub async fn resubscribe(&mut self, engine: &impl Subscribe) -> Result<(), Gone> {
        let resyncs = self.resyncs + 1;
        *self = Replica::subscribe(engine).await?;
        self.resyncs = resyncs;
        Ok(())
    }

    /// Wait until the state has changed (an event applied, or a fresh snapshot taken).
    pub async fn changed(&mut self, engine: &impl Subscribe) -> Result<(), Gone> {
        loop {
            match self.step(engine).await? {
                Step::Applied | Step::Resync => return Ok(()),
                Step::Stale => {}
                Step::Closed => return Err(Gone::stopped()),
            }
        }
    }

    /// Receive and apply one event, resubscribing if it shows that something was missed.
    pub async fn step(&mut self, engine: &impl Subscribe) -> Result<Step, Gone> {
        let received = self.recv().await;
        let step = self.handle(received);
        if step == Step::Resync {
            self.resubscribe(engine).await?;
        }
        Ok(step)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use std::future::Future;

    use tokio::sync::broadcast;

    use super::*;
    use crate::api::{Change, Link, LinkState, Snapshot};
    use crate::model::Mode;

    /// Plays the engine: answers subscriptions from its own state.
    struct FakeEngine {
        truth: Arc<Mutex<(u64, State)>>,
        events: broadcast::Sender<Arc<Event>>,
        subscriptions: Arc<Mutex<u64>>,
    }

    impl Subscribe for FakeEngine {
        fn subscribe(&self) -> impl Future<Output = Result<Feed, Gone>> + Send {
            let (seq, state) = self.truth();
            *self.subscriptions.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            let events = Events::new(self.events.subscribe());
            async move {
                Ok(Feed {
                    snapshot: Snapshot { seq, state },
                    events,
                })
            }
        }
    }

    impl FakeEngine {
        fn start(capacity: usize) -> FakeEngine {
            FakeEngine {
                truth: Arc::new(Mutex::new((0u64, State::default()))),
                events: broadcast::channel(capacity).0,
                subscriptions: Arc::new(Mutex::new(0u64)),
            }
        }

        /// Change the truth; publish the event only when `publish`.
        fn change(&self, change: Change, publish: bool) {
            let mut truth = self.truth.lock().unwrap_or_else(|p| p.into_inner());
            truth.0 += 1;
            truth.1.apply(&change);
            if publish {
                let _ = self.events.send(Arc::new(Event {
                    seq: truth.0,
                    at: 0,
                    change,
                }));
            }
        }

        fn truth(&self) -> (u64, State) {
            self.truth.lock().map(|g| g.clone()).unwrap_or_default()
        }

        fn subscriptions(&self) -> u64 {
            *self.subscriptions.lock().unwrap_or_else(|p| p.into_inner())
        }
    }

    fn mode(mode: Mode) -> Change {
        Change::Mode {
            mode,
            reason: format!("{mode} by test"),
        }
    }

    #[tokio::test]
    async fn consecutive_events_are_applied() {
        let engine = FakeEngine::start(16);
        let mut replica = Replica::subscribe(&engine).await.expect("subscribe");
        engine.change(mode(Mode::Paused), true);
        engine.change(
            Change::Link {
                name: "broker".into(),
                link: Link {
                    state: LinkState::Up,
                    detail: String::new(),
                },
            },
            true,
        );
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Applied));
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Applied));
        assert_eq!((replica.seq, &replica.state), (2, &engine.truth().1));
        assert_eq!(engine.subscriptions(), 1);
    }

    #[tokio::test]
    async fn a_gap_triggers_a_fresh_snapshot() {
        let engine = FakeEngine::start(16);
        let mut replica = Replica::subscribe(&engine).await.expect("subscribe");
        engine.change(mode(Mode::Paused), true);
        engine.change(mode(Mode::Halted), false); // seq 2 never reaches this subscriber
        engine.change(
            Change::Link {
                name: "broker".into(),
                link: Link {
                    state: LinkState::Down,
                    detail: "lost".into(),
                },
            },
            true,
        );
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Applied));
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Resync));
        assert_eq!(engine.subscriptions(), 2);
        assert_eq!(replica.resyncs, 1);
        let (seq, truth) = engine.truth();
        assert_eq!((replica.seq, &replica.state), (seq, &truth));
        assert_eq!(
            replica.state.mode,
            Mode::Halted,
            "the missed change is in the snapshot"
        );
        // and the stream carries on from the new snapshot
        engine.change(mode(Mode::Active), true);
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Applied));
        assert_eq!(replica.state, engine.truth().1);
    }

    #[tokio::test]
    async fn lagging_behind_triggers_a_fresh_snapshot() {
        let engine = FakeEngine::start(2);
        let mut replica = Replica::subscribe(&engine).await.expect("subscribe");
        for m in [
            Mode::Paused,
            Mode::Halted,
            Mode::Active,
            Mode::Paused,
            Mode::Halted,
        ] {
            engine.change(mode(m), true);
        }
        assert_eq!(replica.step(&engine).await.ok(), Some(Step::Resync));
        assert_eq!(engine.subscriptions(), 2);
        assert_eq!((replica.seq, replica.state.mode), (5, Mode::Halted));
    }

    #[tokio::test]
    async fn events_before_the_snapshot_are_skipped() {
        let engine = FakeEngine::start(16);
        let mut replica = Replica::subscribe(&engine).await.expect("subscribe");
        let stale = Arc::new(Event {
            seq: 0,
            at: 0,
            change: mode(Mode::Halted),
        });
        assert_eq!(replica.handle(Received::Event(stale)), Step::Stale);
        assert_eq!(replica.state.mode, Mode::Active);
    }

    #[tokio::test]
    async fn a_closed_stream_means_the_engine_is_gone() {
        let (tx, rx) = broadcast::channel::<Arc<Event>>(4);
        let mut replica = Replica {
            seq: 0,
            state: State::default(),
            events: Events::new(rx),
            resyncs: 0,
        };
        drop(tx);
        let received = replica.recv().await;
        assert_eq!(replica.handle(received), Step::Closed);
    }
}
