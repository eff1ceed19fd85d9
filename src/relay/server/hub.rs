//! The one subscriber to the engine that every connection shares: it keeps the current state and
//! the recent events (for resuming), encodes each event once, and fans the text out on a
//! broadcast channel. A connection that falls behind misses events on its own receiver and is
//! resynced; the engine and the other connections never wait for it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tracing::{debug, warn};

use super::frames;
use crate::api::{Event, Snapshot, State};
use crate::engine::EngineHandle;
use crate::relay::protocol::{Resume, ServerFrame, Topic};
use crate::telemetry::LogBuffer;

/// A set of topics, as bits: checked for every frame of every connection, so it must be cheap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topics(u8);

impl Topics {
    pub const ALL: Topics = Topics(0b11_1111);

    fn bit(topic: Topic) -> u8 {
        1 << (topic as u8)
    }

    /// What a subscriber asked for: nothing named means everything.
    pub fn of(topics: &[Topic]) -> Topics {
        if topics.is_empty() {
            return Topics::ALL;
        }
        Topics(topics.iter().fold(0, |bits, t| bits | Topics::bit(*t)))
    }

    pub fn overlaps(self, other: Topics) -> bool {
        self.0 & other.0 != 0
    }
}

/// One encoded frame on its way to every connection.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The event's seq; 0 for a frame outside the numbered stream (a log line).
    pub seq: u64,
    pub topics: Topics,
    pub text: Utf8Bytes,
}

/// What a subscriber is sent first, and the live frames after it.
pub struct Subscribed {
    pub live: broadcast::Receiver<Outgoing>,
    /// A snapshot, or the held events a resuming client missed, in order.
    pub first: Vec<Utf8Bytes>,
    /// The seq the client holds once it has applied `first`.
    pub seq: u64,
}

struct Shared {
    state: State,
    seq: u64,
    /// The most recent events, for clients that resume.
    ring: VecDeque<Outgoing>,
    /// The state encoded at a seq, shared by every snapshot taken before the next event.
    encoded: Option<(u64, Arc<str>)>,
}

pub struct Hub {
    run: String,
    shared: Mutex<Shared>,
    ring_len: usize,
    tx: broadcast::Sender<Outgoing>,
}

impl Hub {
    /// A hub holding `snapshot`, keeping `ring_len` events for resuming and letting each
    /// connection fall at most `queue` frames behind.
    pub fn new(run: String, snapshot: Snapshot, ring_len: usize, queue: usize) -> Hub {
        Hub {
            run,
            shared: Mutex::new(Shared {
                state: snapshot.state,
                seq: snapshot.seq,
                ring: VecDeque::with_capacity(ring_len.min(4096)),
                encoded: None,
            }),
            ring_len: ring_len.max(1),
            tx: broadcast::channel(queue.max(1)).0,
        }
    }

    pub fn run(&self) -> &str {
        &self.run
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A panic while holding it leaves a state that was whole between events: keep using it.
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn instance(&self) -> String {
        self.lock().state.instance.clone()
    }

    /// Apply and fan out one event from the engine.
    pub(super) fn publish(&self, event: &Event) {
        let outgoing = Outgoing {
            seq: event.seq,
            topics: Topics::of(Topic::of(&event.change)),
            text: frames::encode(&ServerFrame::Event(event.clone())),
        };
        let mut shared = self.lock();
        shared.state.apply(&event.change);
        shared.seq = event.seq;
        if shared.ring.len() == self.ring_len {
            shared.ring.pop_front();
        }
        shared.ring.push_back(outgoing.clone());
        // Sent under the lock, so that a subscriber taking the lock sees either the state
        // before this event and then the event, or the state after it and not the event.
        let _ = self.tx.send(outgoing);
    }

    /// Start again from a fresh snapshot, after the hub itself missed events. Connections see
    /// the gap in seqs and resync.
    fn reset(&self, snapshot: Snapshot) {
        let mut shared = self.lock();
        shared.state = snapshot.state;
        shared.seq = snapshot.seq;
        shared.ring.clear();
        shared.encoded = None;
    }

    fn log(&self, text: Utf8Bytes) {
        let _ = self.tx.send(Outgoing {
            seq: 0,
            topics: Topics::of(&[Topic::Log]),
            text,
        });
    }

    /// The state and its seq, encoded once per seq however many ask.
    fn encoded(shared: &mut Shared) -> Arc<str> {
        match &shared.encoded {
            Some((seq, text)) if *seq == shared.seq => text.clone(),
            _ => {
                let text: Arc<str> = frames::json(&shared.state).into();
                shared.encoded = Some((shared.seq, text.clone()));
                text
            }
        }
    }

    /// The state now, encoded, and its seq.
    pub fn state(&self) -> (u64, Arc<str>) {
        let mut shared = self.lock();
        (shared.seq, Hub::encoded(&mut shared))
    }

    /// Start a stream for a subscriber of `topics`: the events after `resume` if they are all
    /// still held, else a snapshot (with `reason`, or why the resume could not be honoured).
    pub fn subscribe(
        &self,
        topics: Topics,
        resume: Option<&Resume>,
        reason: Option<String>,
    ) -> Subscribed {
        let mut shared = self.lock();
        let live = self.tx.subscribe();
        let seq = shared.seq;
        let why = match resume {
            None => Err(reason),
            Some(r) if r.run != self.run => Err(Some(format!(
                "resume: the engine has started again since (run {} then, {} now)",
                r.run, self.run
            ))),
            Some(r) if r.seq > seq => Err(Some(format!(
                "resume: seq {} is ahead of this run's last event ({seq})",
                r.seq
            ))),
            Some(r) if r.seq == seq => Ok(Vec::new()),
            Some(r) => match shared.ring.front() {
                Some(oldest) if oldest.seq <= r.seq + 1 => Ok(shared
                    .ring
                    .iter()
                    .filter(|o| o.seq > r.seq && o.topics.overlaps(topics))
                    .map(|o| o.text.clone())
                    .collect()),
                _ => Err(Some(format!(
                    "resume: the events after seq {} are no longer held",
                    r.seq
                ))),
            },
        };
        match why {
            Ok(missed) => Subscribed {
                live,
                first: missed,
                seq,
            },
            Err(reason) => {
                let state = Hub::encoded(&mut shared);
                drop(shared);
                Subscribed {
                    live,
                    first: vec![frames::snapshot(&self.run, seq, &state, reason.as_deref())],
                    seq,
                }
            }
        }
    }
}

/// Keep the hub following the engine until `stop` is set, or the engine stops (then set it, so
/// that every connection closes). Log lines of the buffer are fanned out as `log` frames.
pub async fn follow(
    hub: Arc<Hub>,
    engine: EngineHandle,
    mut events: broadcast::Receiver<Arc<Event>>,
    logs: LogBuffer,
    stop: Arc<watch::Sender<bool>>,
) {
    let mut stopping = stop.subscribe();
    let mut log_version = logs.watch();
    let mut logged = *log_version.borrow_and_update();
    loop {
        tokio::select! {
            received = events.recv() => match received {
                Ok(event) => hub.publish(&event),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    warn!("the relay fell {missed} events behind the engine: taking a fresh snapshot");
                    match engine.subscribe().await {
                        Ok(sub) => {
                            hub.reset(sub.snapshot);
                            events = sub.events;
                        }
                        Err(_) => break,
                    }
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            changed = log_version.changed() => {
                if changed.is_err() {
                    continue;
                }
                for line in new_lines(&logs, &mut log_version, &mut logged) {
                    hub.log(frames::encode(&ServerFrame::Log { line }));
                }
            }
            () = super::stopping(&mut stopping) => return,
        }
    }
    debug!("the engine has stopped: closing the relay's connections");
    let _ = stop.send(true);
}

/// The lines pushed since `logged` lines had been seen. The buffer is read by count, so it is
/// read again if a line arrived in between (rare: a line is a few microseconds apart at most).
fn new_lines(
    logs: &LogBuffer,
    version: &mut watch::Receiver<u64>,
    logged: &mut u64,
) -> Vec<crate::api::LogLine> {
    for _ in 0..3 {
        let now = *version.borrow_and_update();
        let fresh = usize::try_from(now.saturating_sub(*logged)).unwrap_or(usize::MAX);
        let lines = logs.recent(fresh, tracing::Level::TRACE);
        if *version.borrow() == now {
            *logged = now;
            return lines;
        }
    }
    // Lines keep coming faster than they can be read by count: skip to now rather than repeat.
    *logged = *version.borrow_and_update();
    Vec::new()
}
