//! The task that owns the relay's socket: the mirror of the state, requests by id, pings, and
//! reconnecting.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use rand::Rng as _;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::Connector;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tracing::{debug, info, warn};

use super::{Ask, LinkStatus, Options, RequestError, Socket, lock, open};
use crate::api::{Event, Events, Feed, LogLine, Snapshot, State};
use crate::model::now_millis;
use crate::relay::protocol::{Answer, ClientFrame, ErrorCode, Hello, Resume, ServerFrame, Topic};
use crate::telemetry::LogBuffer;

/// The first wait before reconnecting; it doubles with each failed attempt, up to the cap, and
/// each wait is drawn between half and all of that, so that many clients of a restarted relay
/// do not all come back in the same instant.
const BACKOFF_FIRST: Duration = Duration::from_millis(500);
const BACKOFF_CAP: Duration = Duration::from_secs(10);
/// Pings at most this far apart (more often when the relay's idle timeout is short).
const PING_EVERY: Duration = Duration::from_secs(5);
/// Live events held for a subscriber that is slow to read them; past that it resubscribes.
const EVENTS_HELD: usize = 4096;

/// Where to reconnect.
pub(super) struct Target {
    pub url: String,
    pub token: String,
    pub tls: Option<Connector>,
}

/// What the task tells the handles.
pub(super) struct Outputs {
    pub status: watch::Sender<LinkStatus>,
    pub hello: Arc<Mutex<Hello>>,
    pub logs: broadcast::Sender<LogLine>,
}

/// The engine's state as this client holds it.
struct Mirror {
    run: String,
    seq: u64,
    state: State,
}

/// How a connection ended.
enum End {
    /// Reconnect.
    Lost(String),
    /// Do not: trying again would fail the same way.
    Gone(String),
    /// Every handle was dropped: nobody is listening.
    Dropped,
}

pub(super) struct Link {
    target: Target,
    /// The topics subscribed, the log's included when it is wanted.
    topics: Vec<Topic>,
    /// Whether every state topic is subscribed: only then do seqs follow one another.
    complete: bool,
    log: Option<LogBuffer>,
    out: Outputs,
    /// The run of the connection now open (or last open).
    run: String,
    mirror: Option<Mirror>,
    events: broadcast::Sender<Arc<Event>>,
    /// Bumped when the mirror is replaced, so that feeds handed out before resubscribe.
    resets: watch::Sender<u64>,
    /// Whether anyone subscribed: from then on every connection subscribes.
    subscribed: bool,
    /// Subscribers waiting for the first snapshot.
    waiters: Vec<oneshot::Sender<Feed>>,
    pending: HashMap<u64, oneshot::Sender<Result<Answer, RequestError>>>,
    next_id: u64,
}

impl Link {
    pub(super) fn new(target: Target, options: Options, out: Outputs) -> Link {
        let mut topics = options.topics;
        // None is everything to the relay, the log included: say which everything is meant.
        if topics.is_empty() {
            topics = Options::default().topics;
        }
        if options.log.is_some() {
            topics.push(Topic::Log);
        }
        topics.sort();
        topics.dedup();
        let complete = Topic::ALL
            .iter()
            .filter(|t| **t != Topic::Log)
            .all(|t| topics.contains(t));
        let run = lock(&out.hello).run.clone();
        Link {
            target,
            topics,
            complete,
            log: options.log,
            out,
            run,
            mirror: None,
            events: broadcast::channel(EVENTS_HELD).0,
            resets: watch::channel(0).0,
            subscribed: false,
            waiters: Vec::new(),
            pending: HashMap::new(),
            next_id: 1,
        }
    }

    /// Serve `socket`, then every socket after it, until the link is gone or nobody listens.
    pub(super) async fn run(mut self, mut socket: Socket, mut asks: mpsc::Receiver<Ask>) {
        loop {
            let end = self.serve(&mut socket, &mut asks).await;
            let reason = match end {
                End::Lost(reason) => reason,
                End::Gone(reason) => return self.gone(reason),
                End::Dropped => return,
            };
            info!(relay = %self.target.url, "link to the relay lost: {reason}");
            // Never sent again: a command may have been carried out before the link dropped.
            for (_, answer) in self.pending.drain() {
                let _ = answer.send(Err(RequestError::OutcomeUnknown(format!(
                    "the link to the relay dropped before the answer ({reason})"
                ))));
            }
            match self.reconnect(reason, &mut asks).await {
                Some(next) => socket = next,
                None => return,
            }
        }
    }

    /// Until the connection ends: frames in, asks out, pings.
    async fn serve(&mut self, socket: &mut Socket, asks: &mut mpsc::Receiver<Ask>) -> End {
        let idle = Duration::from_secs(lock(&self.out.hello).idle_timeout_secs.max(1));
        let every = (idle / 3).min(PING_EVERY);
        // Pongs answer pings, so this much silence means the link is dead even if TCP has not
        // noticed yet.
        let silence = every * 3 + Duration::from_secs(2);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut heard = Instant::now();
        let mut pinged: Option<(u64, Instant)> = None;
        let mut pings = 0u64;
        if self.subscribed
            && let Err(end) = self.send_subscribe(socket).await
        {
            return end;
        }
        loop {
            tokio::select! {
                frame = socket.next() => {
                    heard = Instant::now();
                    let text = match frame {
                        Some(Ok(Message::Text(text))) => text,
                        Some(Ok(Message::Close(frame))) => return End::Lost(closed(frame)),
                        Some(Ok(_)) => continue,
                        Some(Err(e)) => return End::Lost(format!("the link failed: {e}")),
                        None => return End::Lost("the relay closed the link".into()),
                    };
                    if let Err(end) = self.on_frame(text.as_str(), &mut pinged) {
                        return end;
                    }
                }
                ask = asks.recv() => match ask {
                    None => {
                        let _ = socket.close(None).await;
                        return End::Dropped;
                    }
                    Some(Ask::Request { request, answer }) => {
                        let id = self.next_id;
                        self.next_id += 1;
                        self.pending.insert(id, answer);
                        if let Err(end) = send(socket, &ClientFrame::Request { id, request }).await {
                            return end;
                        }
                    }
                    Some(Ask::Subscribe { feed }) => {
                        self.hand_out(feed);
                        if !self.subscribed {
                            self.subscribed = true;
                            if let Err(end) = self.send_subscribe(socket).await {
                                return end;
                            }
                        }
                    }
                },
                _ = ticker.tick() => {
                    if heard.elapsed() > silence {
                        return End::Lost(format!(
                            "no word from the relay for {} s",
                            heard.elapsed().as_secs()
                        ));
                    }
                    // Requests whose caller gave up waiting.
                    self.pending.retain(|_, answer| !answer.is_closed());
                    pings += 1;
                    pinged = Some((pings, Instant::now()));
                    let ping = ClientFrame::Ping { data: Some(pings.to_string()) };
                    if let Err(end) = send(socket, &ping).await {
                        return end;
                    }
                }
            }
        }
    }

    /// Subscribe, resuming from the mirror when it belongs to this run.
    async fn send_subscribe(&self, socket: &mut Socket) -> Result<(), End> {
        let resume = self
            .mirror
            .as_ref()
            .filter(|m| m.run == self.run)
            .map(|m| Resume {
                run: m.run.clone(),
                seq: m.seq,
            });
        let frame = ClientFrame::Subscribe {
            topics: self.topics.clone(),
            resume,
        };
        send(socket, &frame).await
    }

    fn on_frame(&mut self, text: &str, pinged: &mut Option<(u64, Instant)>) -> Result<(), End> {
        let frame: ServerFrame = serde_json::from_str(text).map_err(|e| {
            End::Gone(format!(
                "the relay sent a frame this signalos {} does not understand ({e}): is the engine a newer version?",
                env!("CARGO_PKG_VERSION")
            ))
        })?;
        match frame {
            ServerFrame::Hello(_) => {
                return Err(End::Lost("the relay said hello a second time".into()));
            }
            ServerFrame::Snapshot {
                run,
                seq,
                state,
                reason,
            } => {
                if let Some(reason) = reason {
                    debug!("fresh snapshot at {seq}: {reason}");
                }
                self.replace(run, seq, *state);
            }
            ServerFrame::Event(event) => self.apply(event)?,
            ServerFrame::Log { line } => {
                if let Some(buffer) = &self.log {
                    buffer.push(line.clone());
                }
                let _ = self.out.logs.send(line);
            }
            ServerFrame::Reply { id, answer } => self.answer(id, answer),
            ServerFrame::Error {
                id: Some(id),
                code,
                message,
            } => self.answer(id, Answer::Error { code, message }),
            ServerFrame::Error {
                id: None,
                code: ErrorCode::Unavailable,
                message,
            } => return Err(End::Lost(message)),
            // Something this client sent was refused: sending it again would be refused again.
            ServerFrame::Error {
                id: None,
                code,
                message,
            } => {
                return Err(End::Gone(format!(
                    "the relay refused what this client sent ({code:?}): {message}"
                )));
            }
            ServerFrame::Pong { data } => {
                if let Some((n, at)) = *pinged
                    && data.as_deref() == Some(n.to_string().as_str())
                {
                    *pinged = None;
                    let lag_ms = u64::try_from(at.elapsed().as_millis()).unwrap_or(u64::MAX);
                    self.out.status.send_replace(LinkStatus::Connected {
                        lag_ms: Some(lag_ms),
                    });
                }
            }
        }
        Ok(())
    }

    fn answer(&mut self, id: u64, answer: Answer) {
        match self.pending.remove(&id) {
            Some(waiting) => {
                let _ = waiting.send(Ok(answer));
            }
            None => debug!("a reply to request {id}, which nobody waits for"),
        }
    }

    /// A fresh snapshot replaces the mirror; feeds handed out before no longer follow it.
    fn replace(&mut self, run: String, seq: u64, state: State) {
        let same = self
            .mirror
            .as_ref()
            .is_some_and(|m| m.run == run && m.seq == seq);
        self.mirror = Some(Mirror { run, seq, state });
        if !same {
            self.resets.send_modify(|n| *n += 1);
        }
        for feed in std::mem::take(&mut self.waiters) {
            self.hand_out(feed);
        }
    }

    fn apply(&mut self, event: Event) -> Result<(), End> {
        let Some(mirror) = &mut self.mirror else {
            return Err(End::Lost(format!(
                "event {} came before any snapshot",
                event.seq
            )));
        };
        // Already applied: the relay resumed from before it.
        if event.seq <= mirror.seq {
            return Ok(());
        }
        if self.complete && event.seq != mirror.seq + 1 {
            // Reconnecting resumes from the last applied seq: the relay sends what was missed,
            // or a fresh snapshot.
            return Err(End::Lost(format!(
                "event {} came after {}: events were missed",
                event.seq, mirror.seq
            )));
        }
        mirror.state.apply(&event.change);
        mirror.seq = event.seq;
        let _ = self.events.send(Arc::new(event));
        Ok(())
    }

    /// The mirror and the events after it, or a wait for the first snapshot.
    fn hand_out(&mut self, feed: oneshot::Sender<Feed>) {
        match &self.mirror {
            Some(m) => {
                let _ = feed.send(Feed {
                    snapshot: Snapshot {
                        seq: m.seq,
                        state: m.state.clone(),
                    },
                    events: Events::with_resets(self.events.subscribe(), self.resets.subscribe()),
                });
            }
            None => self.waiters.push(feed),
        }
    }

    /// Open the link again, with a growing wait between attempts. `None`: it is gone for good,
    /// or nobody listens any more.
    async fn reconnect(
        &mut self,
        mut reason: String,
        asks: &mut mpsc::Receiver<Ask>,
    ) -> Option<Socket> {
        let since = now_millis();
        let Target { url, token, tls } = &self.target;
        let (url, token, tls) = (url.clone(), token.clone(), tls.clone());
        for attempt in 1u32.. {
            self.out.status.send_replace(LinkStatus::Reconnecting {
                attempt,
                reason: reason.clone(),
                since,
            });
            self.down(tokio::time::sleep(backoff(attempt)), asks, &reason)
                .await?;
            match self
                .down(open(&url, &token, tls.clone()), asks, &reason)
                .await?
            {
                Ok((socket, hello)) => {
                    info!(relay = %url, run = %hello.run, "link to the relay open again");
                    self.run.clone_from(&hello.run);
                    *lock(&self.out.hello) = hello;
                    self.out
                        .status
                        .send_replace(LinkStatus::Connected { lag_ms: None });
                    return Some(socket);
                }
                Err(e) if e.is_transient() => reason = e.to_string(),
                Err(e) => {
                    self.gone(e.to_string());
                    return None;
                }
            }
        }
        None
    }

    /// Wait for `until` while the link is down: requests are refused unsent, subscribers get
    /// the mirror as it was. `None`: every handle was dropped.
    async fn down<F: Future>(
        &mut self,
        until: F,
        asks: &mut mpsc::Receiver<Ask>,
        reason: &str,
    ) -> Option<F::Output> {
        tokio::pin!(until);
        loop {
            tokio::select! {
                out = &mut until => return Some(out),
                ask = asks.recv() => match ask? {
                    Ask::Request { answer, .. } => {
                        let _ = answer.send(Err(RequestError::NotSent(format!(
                            "reconnecting: {reason}"
                        ))));
                    }
                    Ask::Subscribe { feed } => {
                        self.subscribed = true;
                        self.hand_out(feed);
                    }
                },
            }
        }
    }

    /// The link will not be opened again. The status says why before the handles' waits end.
    fn gone(&self, reason: String) {
        warn!(relay = %self.target.url, "link to the relay gone: {reason}");
        self.out.status.send_replace(LinkStatus::Gone { reason });
    }
}

async fn send(socket: &mut Socket, frame: &ClientFrame) -> Result<(), End> {
    let text = serde_json::to_string(frame)
        .map_err(|e| End::Gone(format!("cannot write a frame for the relay: {e}")))?;
    socket
        .send(Message::text(text))
        .await
        .map_err(|e| End::Lost(format!("cannot send to the relay: {e}")))
}

fn closed(frame: Option<CloseFrame>) -> String {
    match frame {
        Some(f) if !f.reason.is_empty() => format!("the relay closed the link: {}", f.reason),
        _ => "the relay closed the link".into(),
    }
}

/// The wait before attempt `attempt` (from 1).
fn backoff(attempt: u32) -> Duration {
    let full = BACKOFF_FIRST
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(BACKOFF_CAP);
    full.mul_f64(rand::rng().random_range(0.5..=1.0))
}
