//! One client: a reader that answers its frames and a writer that streams to it. They share only
//! a small queue of frames the reader hands the writer; the live stream reaches the writer on its
//! own broadcast receiver, so a client that does not read loses events (and is resynced, then
//! dropped), never holds anyone up.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::{Fuse, FusedFuture as _};
use futures_util::{FutureExt as _, Sink, SinkExt as _, Stream, StreamExt as _};
use tokio::sync::{Semaphore, broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::{Bytes, Error as WsError, Message, Utf8Bytes};
use tracing::debug;

use super::answer::answer;
use super::frames;
use super::hub::{Outgoing, Topics};
use super::tokens::Token;
use super::{Shared, stopping};
use crate::relay::protocol::{
    ClientFrame, ErrorCode, Hello, MAX_CLIENT_FRAME, PROTOCOL, Resume, ServerFrame,
};

/// Text frames are sent in fragments of this size: the socket's write buffer then never grows
/// past it, whatever the size of a snapshot.
pub const FRAGMENT: usize = 4 * 1024;
/// Frames the reader may hand the writer before it waits (replies, pongs, errors).
const OUT_QUEUE: usize = 16;
/// Requests of one client answered at once; more wait their turn.
const IN_FLIGHT: usize = 4;
/// Bad frames (malformed, binary) a client may send before it is disconnected.
const MAX_STRIKES: u32 = 5;
/// Queued frames written together before the socket is flushed.
const BATCH: usize = 64;
/// Times a client may fall behind within [`OVERFLOW_WINDOW`] before it is dropped.
const MAX_OVERFLOWS: usize = 3;
const OVERFLOW_WINDOW: Duration = Duration::from_secs(60);
/// How long a closing connection is given to say goodbye.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// What the reader asks of the writer.
enum Outbound {
    Text(Utf8Bytes),
    Subscribe {
        topics: Topics,
        resume: Option<Resume>,
    },
    Close(CloseCode, String),
}

/// Serve one authenticated client until it leaves, misbehaves, stops reading or the relay stops.
pub async fn serve<S>(ws: S, shared: Arc<Shared>, token: Token, stop: watch::Receiver<bool>)
where
    S: Stream<Item = Result<Message, WsError>>
        + Sink<Message, Error = WsError>
        + Send
        + Unpin
        + 'static,
{
    let (sink, stream) = ws.split();
    let (out_tx, out_rx) = mpsc::channel(OUT_QUEUE);
    let hello = frames::encode(&ServerFrame::Hello(Hello {
        protocol: PROTOCOL,
        version: env!("CARGO_PKG_VERSION").to_string(),
        run: shared.hub.run().to_string(),
        instance: shared.hub.instance(),
        role: token.role,
        name: token.name.clone(),
        idle_timeout_secs: shared.settings.idle.as_secs(),
    }));
    let name = token.name.clone();
    // A task of its own: polled when the client sends, not again with every frame written.
    let reader = tokio::spawn(read(stream, out_tx, shared.clone(), token));
    let abort = reader.abort_handle();
    let mut reader = reader.fuse();
    write(sink, out_rx, &shared, hello, stop, &mut reader).await;
    if !reader.is_terminated() {
        // Our close is sent: the client's answer ends the reader.
        if tokio::time::timeout(CLOSE_GRACE, &mut reader)
            .await
            .is_err()
        {
            abort.abort();
        }
    }
    debug!(%name, "relay connection closed");
}

/// The live stream of a subscribed client.
struct Live {
    rx: broadcast::Receiver<Outgoing>,
    topics: Topics,
    /// The last seq the client holds (sent or skipped by its topics).
    seq: u64,
}

/// What to do with a frame of the live stream.
enum Take {
    Send(Utf8Bytes),
    /// Already covered, or of a topic not asked for.
    Skip,
    /// Events were missed: the client needs a snapshot.
    Gap,
}

impl Live {
    fn take(&mut self, frame: Outgoing) -> Take {
        if frame.seq != 0 {
            if frame.seq <= self.seq {
                return Take::Skip;
            }
            if frame.seq != self.seq + 1 {
                return Take::Gap;
            }
            // Counted even when not sent: a topic filter skips seqs, it does not lose them.
            self.seq = frame.seq;
        }
        if frame.topics.overlaps(self.topics) {
            Take::Send(frame.text)
        } else {
            Take::Skip
        }
    }

    /// The next frame if one is already waiting.
    fn try_next(&mut self) -> Option<Result<Outgoing, broadcast::error::RecvError>> {
        use broadcast::error::{RecvError, TryRecvError};
        match self.rx.try_recv() {
            Ok(frame) => Some(Ok(frame)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Lagged(missed)) => Some(Err(RecvError::Lagged(missed))),
            Err(TryRecvError::Closed) => Some(Err(RecvError::Closed)),
        }
    }
}

async fn next_live(live: &mut Option<Live>) -> Result<Outgoing, broadcast::error::RecvError> {
    match live {
        Some(l) => l.rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Why the writer stopped writing.
enum Ended {
    /// The socket took nothing for too long, or failed: nothing more can be said.
    Gone,
    /// The reader is done (the client closed, or its connection failed): finish the close
    /// handshake if there is one to finish.
    Quiet,
    Close(CloseCode, String),
}

async fn write<S>(
    mut sink: S,
    mut out: mpsc::Receiver<Outbound>,
    shared: &Shared,
    hello: Utf8Bytes,
    mut stop: watch::Receiver<bool>,
    reader: &mut Fuse<JoinHandle<()>>,
) where
    S: Sink<Message, Error = WsError> + Unpin,
{
    let stall = shared.settings.stall;
    let ended = async {
        send(&mut sink, hello, stall).await?;
        let mut live: Option<Live> = None;
        let mut overflows: VecDeque<Instant> = VecDeque::new();
        // Made once: a new one each turn would add and remove a waiter on the one lock every
        // connection's stop signal shares, for every frame sent.
        let stopped = stopping(&mut stop);
        tokio::pin!(stopped);
        loop {
            tokio::select! {
                biased;
                () = &mut stopped => {
                    return Err(Ended::Close(CloseCode::Away, "engine stopping".into()));
                }
                next = out.recv() => match next {
                    None => return Err(Ended::Quiet),
                    Some(Outbound::Text(text)) => send(&mut sink, text, stall).await?,
                    Some(Outbound::Close(code, reason)) => return Err(Ended::Close(code, reason)),
                    Some(Outbound::Subscribe { topics, resume }) => {
                        live = Some(start(&mut sink, shared, topics, resume.as_ref(), None, stall).await?);
                    }
                },
                // After the queue: what the reader said before it ended (a close) comes first.
                _ = &mut *reader => return Err(Ended::Quiet),
                received = next_live(&mut live) => {
                    // What is already queued goes out in one write: with many clients, a burst of
                    // events costs each of them one system call, not one per event.
                    let mut received = Some(received);
                    let mut batched = 0;
                    while let Some(next) = received.take() {
                        let Some(current) = live.as_mut() else { break };
                        let resync = match next {
                            Ok(frame) => match current.take(frame) {
                                Take::Send(text) => {
                                    write_text(&mut sink, text, stall, false).await?;
                                    None
                                }
                                Take::Skip => None,
                                Take::Gap => Some("the relay missed events: a fresh snapshot".to_string()),
                            },
                            Err(broadcast::error::RecvError::Lagged(missed)) => {
                                let now = Instant::now();
                                overflows.retain(|at| now.duration_since(*at) < OVERFLOW_WINDOW);
                                overflows.push_back(now);
                                if overflows.len() >= MAX_OVERFLOWS {
                                    return Err(Ended::Close(
                                        CloseCode::Policy,
                                        format!("too slow: fell behind {MAX_OVERFLOWS} times within {} s", OVERFLOW_WINDOW.as_secs()),
                                    ));
                                }
                                Some(format!("fell behind: {missed} events missed"))
                            }
                            Err(broadcast::error::RecvError::Closed) => {
                                return Err(Ended::Close(CloseCode::Away, "engine stopping".into()));
                            }
                        };
                        if let Some(reason) = resync {
                            let topics = current.topics;
                            live = Some(start(&mut sink, shared, topics, None, Some(reason), stall).await?);
                            break;
                        }
                        batched += 1;
                        if batched < BATCH {
                            received = current.try_next();
                        }
                    }
                    flush(&mut sink, stall).await?;
                }
            }
        }
    };
    // The loop only ends with a reason.
    let ended: Result<std::convert::Infallible, Ended> = ended.await;
    match ended {
        Err(Ended::Close(code, reason)) => {
            let close = Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            }));
            let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(close)).await;
        }
        Err(Ended::Quiet) => {
            let _ = tokio::time::timeout(CLOSE_GRACE, sink.close()).await;
        }
        Err(Ended::Gone) => {}
        Ok(never) => match never {},
    }
}

/// Subscribe the client at the hub and send what comes before the live stream.
async fn start<S>(
    sink: &mut S,
    shared: &Shared,
    topics: Topics,
    resume: Option<&Resume>,
    reason: Option<String>,
    stall: Duration,
) -> Result<Live, Ended>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    let subscribed = shared.hub.subscribe(topics, resume, reason);
    for text in subscribed.first {
        send(sink, text, stall).await?;
    }
    Ok(Live {
        rx: subscribed.live,
        topics,
        seq: subscribed.seq,
    })
}

/// Send one text frame, in fragments if it is large; a socket that takes nothing for `stall`
/// is given up on.
async fn send<S>(sink: &mut S, text: Utf8Bytes, stall: Duration) -> Result<(), Ended>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    write_text(sink, text, stall, true).await
}

async fn flush<S>(sink: &mut S, stall: Duration) -> Result<(), Ended>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    match tokio::time::timeout(stall, sink.flush()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) | Err(_) => Err(Ended::Gone),
    }
}

/// Write one text frame, in fragments if it is large, and flush it if `flush`; otherwise it may
/// wait in the socket's write buffer (at most [`FRAGMENT`] bytes) for the next.
async fn write_text<S>(
    sink: &mut S,
    text: Utf8Bytes,
    stall: Duration,
    flush: bool,
) -> Result<(), Ended>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    if text.len() <= FRAGMENT {
        return put(sink, Message::Text(text), stall, flush).await;
    }
    let bytes = Bytes::from(text);
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + FRAGMENT).min(bytes.len());
        let opcode = if at == 0 {
            OpCode::Data(Data::Text)
        } else {
            OpCode::Data(Data::Continue)
        };
        let last = end == bytes.len();
        let frame = Frame::message(bytes.slice(at..end), opcode, last);
        // Each fragment is written as it is made: the write buffer never holds more than one.
        put(sink, Message::Frame(frame), stall, !last || flush).await?;
        at = end;
    }
    Ok(())
}

async fn put<S>(sink: &mut S, message: Message, stall: Duration, flush: bool) -> Result<(), Ended>
where
    S: Sink<Message, Error = WsError> + Unpin,
{
    super::take_turns();
    let written = if flush {
        tokio::time::timeout(stall, sink.send(message)).await
    } else {
        tokio::time::timeout(stall, sink.feed(message)).await
    };
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) | Err(_) => Err(Ended::Gone),
    }
}

fn error_frame(id: Option<u64>, code: ErrorCode, message: String) -> Utf8Bytes {
    frames::encode(&ServerFrame::Error { id, code, message })
}

async fn read<S>(mut stream: S, out: mpsc::Sender<Outbound>, shared: Arc<Shared>, token: Token)
where
    S: Stream<Item = Result<Message, WsError>> + Unpin,
{
    let idle = shared.settings.idle;
    let in_flight = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut strikes = 0;
    let close = |code, reason: String| {
        let out = out.clone();
        async move {
            let _ =
                tokio::time::timeout(CLOSE_GRACE, out.send(Outbound::Close(code, reason))).await;
        }
    };
    loop {
        let message = match tokio::time::timeout(idle, stream.next()).await {
            Err(_) => {
                let reason = format!("idle: no frame for {} s", idle.as_secs());
                return close(CloseCode::Normal, reason).await;
            }
            Ok(None) => return,
            Ok(Some(Err(WsError::Capacity(e)))) => {
                // The rest of the frame is still on the wire: the connection cannot go on.
                let message =
                    format!("a frame of at most {MAX_CLIENT_FRAME} bytes was expected ({e})");
                let _ = out
                    .send(Outbound::Text(error_frame(
                        None,
                        ErrorCode::TooLarge,
                        message,
                    )))
                    .await;
                return close(
                    CloseCode::Size,
                    format!("frame over {MAX_CLIENT_FRAME} bytes"),
                )
                .await;
            }
            Ok(Some(Err(e))) => {
                debug!(name = %token.name, "relay connection failed: {e}");
                return;
            }
            Ok(Some(Ok(message))) => message,
        };
        let (id, complaint) = match message {
            Message::Text(text) => match serde_json::from_str::<ClientFrame>(&text) {
                Ok(frame) => {
                    if handle(frame, &out, &shared, &token, &in_flight)
                        .await
                        .is_err()
                    {
                        return;
                    }
                    continue;
                }
                Err(e) => (
                    request_id(&text),
                    format!("a JSON frame of type subscribe, request or ping was expected: {e}"),
                ),
            },
            Message::Binary(_) => (
                None,
                "text frames of JSON were expected, not binary".to_string(),
            ),
            // Answered by the WebSocket layer; hearing from the client is all that matters.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            Message::Close(_) => return,
        };
        strikes += 1;
        let error = error_frame(id, ErrorCode::Malformed, complaint);
        if out.send(Outbound::Text(error)).await.is_err() {
            return;
        }
        if strikes >= MAX_STRIKES {
            let reason = format!("{MAX_STRIKES} malformed frames");
            return close(CloseCode::Policy, reason).await;
        }
    }
}

/// The id of a request that could not be read, if the id itself can be: the client can then
/// tell which of its requests failed.
fn request_id(text: &str) -> Option<u64> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    (value.get("type")? == "request")
        .then(|| value.get("id")?.as_u64())
        .flatten()
}

/// Act on one well-formed frame. `Err`: the writer is gone.
async fn handle(
    frame: ClientFrame,
    out: &mpsc::Sender<Outbound>,
    shared: &Arc<Shared>,
    token: &Token,
    in_flight: &Arc<Semaphore>,
) -> Result<(), ()> {
    match frame {
        ClientFrame::Ping { data } => out
            .send(Outbound::Text(frames::encode(&ServerFrame::Pong { data })))
            .await
            .map_err(drop),
        ClientFrame::Subscribe { topics, resume } => out
            .send(Outbound::Subscribe {
                topics: Topics::of(&topics),
                resume,
            })
            .await
            .map_err(drop),
        ClientFrame::Request { id, request } => {
            let permit = in_flight.clone().acquire_owned().await.map_err(drop)?;
            let out = out.clone();
            let shared = shared.clone();
            let token = token.clone();
            // On its own task: a command waiting on the gate must not stop pings being read.
            tokio::spawn(async move {
                let text = answer(&shared, &token, id, request).await;
                let _ = out.send(Outbound::Text(text)).await;
                drop(permit);
            });
            Ok(())
        }
    }
}
