//! The client against a scripted relay on loopback: one that can drop every connection, restart
//! as a new run, or hold a command and drop the link before answering it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{
    ErrorResponse, Request as Upgrade, Response,
};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header};

use super::*;
use crate::api::{Change, Event, Received, State};
use crate::model::Mode;
use crate::relay::protocol::{ClientFrame, Resume, Topic};

const TOKEN: &str = "operator-secret";

/// What the scripted relay holds and what it saw.
#[derive(Default)]
struct Script {
    run: String,
    protocol: u32,
    state: State,
    history: Vec<Event>,
    /// The resumes of every subscribe, in order.
    resumes: Vec<Option<Resume>>,
    /// Drop the link instead of answering a command.
    drop_on_command: bool,
    /// Commands received.
    commands: usize,
    /// Close frames received.
    closes: usize,
    /// Answer the upgrade with this status instead.
    refuse: Option<u16>,
    /// Say this instead of hello.
    garbage_hello: bool,
}

#[derive(Clone)]
struct Fake {
    url: String,
    script: Arc<Mutex<Script>>,
    events: broadcast::Sender<Event>,
    /// Every open connection drops when this fires.
    kill: broadcast::Sender<()>,
}

impl Fake {
    async fn start() -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = Fake {
            url: format!("ws://{}", listener.local_addr().unwrap()),
            script: Arc::new(Mutex::new(Script {
                run: "run-1".into(),
                protocol: PROTOCOL,
                // With positions and orders: their maps by ticket must survive the frames.
                state: crate::tui::fixture::state(Mode::Active),
                ..Script::default()
            })),
            events: broadcast::channel(1024).0,
            kill: broadcast::channel(4).0,
        };
        let serving = fake.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                tokio::spawn(serving.clone().connection(stream));
            }
        });
        fake
    }

    fn emit(&self, reason: &str) {
        let mut script = self.script.lock().unwrap();
        let change = Change::Mode {
            mode: Mode::Paused,
            reason: reason.into(),
        };
        script.state.apply(&change);
        let event = Event {
            seq: script.history.len() as u64 + 1,
            at: 0,
            change,
        };
        script.history.push(event.clone());
        let _ = self.events.send(event);
    }

    /// Drop every connection, as a relay that restarts does.
    fn kill(&self) {
        let _ = self.kill.send(());
    }

    async fn connection(self, stream: tokio::net::TcpStream) {
        let refuse = self.script.lock().unwrap().refuse;
        let check = move |request: &Upgrade, mut response: Response| {
            if let Some(status) = refuse {
                let mut error = ErrorResponse::new(Some("busy".into()));
                *error.status_mut() = StatusCode::from_u16(status).unwrap();
                return Err(error);
            }
            let auth = request.headers().get(header::AUTHORIZATION);
            if auth.and_then(|a| a.to_str().ok()) != Some(&format!("Bearer {TOKEN}")) {
                let mut error = ErrorResponse::new(None);
                *error.status_mut() = StatusCode::UNAUTHORIZED;
                return Err(error);
            }
            response.headers_mut().insert(
                header::SEC_WEBSOCKET_PROTOCOL,
                HeaderValue::from_static(SUBPROTOCOL),
            );
            Ok(response)
        };
        let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(stream, check).await else {
            return;
        };
        let mut kill = self.kill.subscribe();
        let hello = {
            let script = self.script.lock().unwrap();
            if script.garbage_hello {
                "{\"type\":\"welcome\"}".to_string()
            } else {
                serde_json::to_string(&ServerFrame::Hello(Hello {
                    protocol: script.protocol,
                    version: "test".into(),
                    run: script.run.clone(),
                    instance: "fake".into(),
                    role: Role::Operator,
                    name: "tester".into(),
                    idle_timeout_secs: 30,
                }))
                .unwrap()
            }
        };
        ws.send(Message::text(hello)).await.unwrap();
        let mut live: Option<broadcast::Receiver<Event>> = None;
        let mut sent = 0u64;
        loop {
            let frame = tokio::select! {
                _ = kill.recv() => return,
                event = async { live.as_mut().unwrap().recv().await }, if live.is_some() => {
                    let event = event.unwrap();
                    if event.seq > sent {
                        sent = event.seq;
                        let text = serde_json::to_string(&ServerFrame::Event(event)).unwrap();
                        if ws.send(Message::text(text)).await.is_err() {
                            return;
                        }
                    }
                    continue;
                }
                frame = ws.next() => match frame {
                    Some(Ok(Message::Text(text))) => serde_json::from_str::<ClientFrame>(&text).unwrap(),
                    Some(Ok(Message::Close(_))) => {
                        self.script.lock().unwrap().closes += 1;
                        continue;
                    }
                    Some(Ok(_)) => continue,
                    _ => return,
                },
            };
            let out: Vec<ServerFrame> = match frame {
                ClientFrame::Subscribe { resume, topics } => {
                    // Listening before reading the history: nothing falls between the two.
                    live = Some(self.events.subscribe());
                    let mut script = self.script.lock().unwrap();
                    script.resumes.push(resume.clone());
                    let seq = script.history.len() as u64;
                    let log = topics.contains(&Topic::Log).then(|| ServerFrame::Log {
                        line: LogLine {
                            at: 1,
                            level: tracing::Level::WARN,
                            target: "signalos::engine".into(),
                            message: "a line from the engine".into(),
                        },
                    });
                    let mut out: Vec<ServerFrame> = match resume {
                        Some(r) if r.run == script.run && r.seq <= seq => {
                            sent = seq;
                            script.history[r.seq as usize..]
                                .iter()
                                .cloned()
                                .map(ServerFrame::Event)
                                .collect()
                        }
                        _ => {
                            sent = seq;
                            vec![ServerFrame::Snapshot {
                                run: script.run.clone(),
                                seq,
                                state: Box::new(script.state.clone()),
                                reason: None,
                            }]
                        }
                    };
                    out.extend(log);
                    out
                }
                ClientFrame::Request { id, request } => {
                    if matches!(request, Request::Command { .. }) {
                        let mut script = self.script.lock().unwrap();
                        script.commands += 1;
                        if script.drop_on_command {
                            return;
                        }
                    }
                    vec![ServerFrame::Reply {
                        id,
                        answer: Answer::Command {
                            reply: Reply::Accepted {
                                detail: "done".into(),
                            },
                        },
                    }]
                }
                ClientFrame::Ping { data } => vec![ServerFrame::Pong { data }],
            };
            for frame in out {
                let text = serde_json::to_string(&frame).unwrap();
                if ws.send(Message::text(text)).await.is_err() {
                    return;
                }
            }
        }
    }
}

async fn next_event(events: &mut crate::api::Events) -> Received {
    tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .expect("no event within 10 s")
}

async fn wait_status(client: &RelayClient, want: impl Fn(&LinkStatus) -> bool) -> LinkStatus {
    let mut status = client.status();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let now = status.borrow_and_update().clone();
            if want(&now) {
                return now;
            }
            status.changed().await.unwrap();
        }
    })
    .await
    .expect("the status never came")
}

#[tokio::test]
async fn a_dropped_link_resumes_with_no_event_lost_or_repeated() {
    let fake = Fake::start().await;
    fake.emit("before");
    let client = RelayClient::connect(&fake.url, TOKEN).await.unwrap();
    let mut feed = client.subscribe().await.unwrap();
    assert_eq!(feed.snapshot.seq, 1);
    let mut seqs = Vec::new();
    for i in 0..5 {
        fake.emit(&format!("a{i}"));
    }
    while seqs.len() < 5 {
        match next_event(&mut feed.events).await {
            Received::Event(e) => seqs.push(e.seq),
            other => panic!("{other:?}"),
        }
    }
    fake.kill();
    wait_status(&client, |s| matches!(s, LinkStatus::Reconnecting { .. })).await;
    // Missed while the link is down: the resume must bring them.
    for i in 0..5 {
        fake.emit(&format!("b{i}"));
    }
    wait_status(&client, |s| matches!(s, LinkStatus::Connected { .. })).await;
    for i in 0..5 {
        fake.emit(&format!("c{i}"));
    }
    while seqs.len() < 15 {
        match next_event(&mut feed.events).await {
            Received::Event(e) => seqs.push(e.seq),
            other => panic!("after {seqs:?}: {other:?}"),
        }
    }
    assert_eq!(seqs, (2..=16).collect::<Vec<u64>>());
    let resumes = fake.script.lock().unwrap().resumes.clone();
    assert_eq!(
        resumes,
        vec![
            None,
            Some(Resume {
                run: "run-1".into(),
                seq: 6
            })
        ]
    );
    // The mirror holds exactly the relay's state.
    let again = client.subscribe().await.unwrap();
    assert_eq!(again.snapshot.seq, 16);
    assert_eq!(again.snapshot.state, fake.script.lock().unwrap().state);
}

#[tokio::test]
async fn a_new_run_replaces_the_mirror_and_feeds_resubscribe() {
    let fake = Fake::start().await;
    fake.emit("old run");
    let client = RelayClient::connect(&fake.url, TOKEN).await.unwrap();
    let mut feed = client.subscribe().await.unwrap();
    {
        let mut script = fake.script.lock().unwrap();
        *script = Script {
            run: "run-2".into(),
            protocol: PROTOCOL,
            resumes: std::mem::take(&mut script.resumes),
            ..Script::default()
        };
    }
    fake.kill();
    assert_eq!(next_event(&mut feed.events).await, Received::Missed);
    let fresh = client.subscribe().await.unwrap();
    assert_eq!(fresh.snapshot.seq, 0);
    assert_eq!(fresh.snapshot.state.mode, Mode::Active);
    assert_eq!(client.hello().run, "run-2");
    // A mirror of another run is no place to resume from.
    assert_eq!(fake.script.lock().unwrap().resumes, vec![None, None]);
}

#[tokio::test]
async fn a_command_in_flight_when_the_link_drops_has_an_unknown_outcome() {
    let fake = Fake::start().await;
    let client = RelayClient::connect(&fake.url, TOKEN).await.unwrap();
    assert_eq!(
        client.command(Action::Pause).await.unwrap(),
        Reply::Accepted {
            detail: "done".into()
        }
    );
    fake.script.lock().unwrap().drop_on_command = true;
    let err = client
        .request(Request::Command {
            action: Action::Pause,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::OutcomeUnknown(_)), "{err:?}");
    assert!(err.to_string().contains("outcome is unknown"), "{err}");
    assert!(err.to_string().contains("signalos ctl status"), "{err}");
    // Never sent again by the client: the relay saw one command per request.
    fake.script.lock().unwrap().drop_on_command = false;
    wait_status(&client, |s| matches!(s, LinkStatus::Connected { .. })).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.script.lock().unwrap().commands, 2);
}

#[tokio::test]
async fn log_lines_go_to_the_buffer_given() {
    let fake = Fake::start().await;
    let buffer = LogBuffer::new(10);
    let options = Options {
        log: Some(buffer.clone()),
        ..Options::default()
    };
    let client = RelayClient::connect_with(&fake.url, TOKEN, options)
        .await
        .unwrap();
    let mut lines = client.log_lines();
    let _feed = client.subscribe().await.unwrap();
    let line = tokio::time::timeout(Duration::from_secs(5), lines.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(line.message, "a line from the engine");
    assert_eq!(buffer.recent(10, tracing::Level::TRACE), vec![line]);
}

#[tokio::test]
async fn connect_errors_say_what_was_wrong() {
    let fake = Fake::start().await;
    match RelayClient::connect(&fake.url, "wrong").await {
        Err(ConnectError::Unauthorised { status: 401, .. }) => {}
        other => panic!("{other:?}"),
    }
    fake.script.lock().unwrap().refuse = Some(503);
    match RelayClient::connect(&fake.url, TOKEN).await {
        Err(e @ ConnectError::Refused { status: 503, .. }) => {
            assert!(e.to_string().contains("busy"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    fake.script.lock().unwrap().refuse = None;
    fake.script.lock().unwrap().protocol = PROTOCOL + 1;
    match RelayClient::connect(&fake.url, TOKEN).await {
        Err(e @ ConnectError::Protocol { .. }) => {
            assert!(e.to_string().contains("protocol 2"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    fake.script.lock().unwrap().garbage_hello = true;
    match RelayClient::connect(&fake.url, TOKEN).await {
        Err(e @ ConnectError::Protocol { .. }) => {
            assert!(e.to_string().contains("not a hello"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let port = {
        let spare = TcpListener::bind("127.0.0.1:0").await.unwrap();
        spare.local_addr().unwrap().port()
    };
    match RelayClient::connect(&format!("ws://127.0.0.1:{port}"), TOKEN).await {
        Err(e @ ConnectError::Unreachable { .. }) => {
            assert!(e.to_string().contains("refused"), "{e}");
            assert!(!e.to_string().contains(TOKEN));
        }
        other => panic!("{other:?}"),
    }
    // TLS offered to a server that speaks none: a TLS failure, with the reason.
    let tls = fake.url.replacen("ws://", "wss://", 1);
    match RelayClient::connect(&tls, TOKEN).await {
        Err(e @ ConnectError::Unreachable { .. }) => assert!(e.to_string().contains(&tls), "{e}"),
        other => panic!("{other:?}"),
    }
    match RelayClient::connect("http://127.0.0.1:1", TOKEN).await {
        Err(ConnectError::Usage(e)) => assert!(e.contains("ws://"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn pings_measure_the_lag() {
    let fake = Fake::start().await;
    let client = RelayClient::connect(&fake.url, TOKEN).await.unwrap();
    match wait_status(&client, |s| {
        matches!(s, LinkStatus::Connected { lag_ms: Some(_) })
    })
    .await
    {
        LinkStatus::Connected { lag_ms: Some(ms) } => assert!(ms < 5_000, "{ms}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_state_with_positions_reads_back_from_a_frame() {
    let state = crate::tui::fixture::state(Mode::Active);
    assert!(!state.positions.is_empty() && !state.orders.is_empty());
    for frame in [
        ServerFrame::Snapshot {
            run: "r".into(),
            seq: 3,
            state: Box::new(state.clone()),
            reason: None,
        },
        ServerFrame::Reply {
            id: 1,
            answer: Answer::State {
                run: "r".into(),
                seq: 3,
                state: Box::new(state.clone()),
            },
        },
    ] {
        let text = serde_json::to_string(&frame).unwrap();
        assert_eq!(serde_json::from_str::<ServerFrame>(&text).unwrap(), frame);
    }
}

#[tokio::test]
async fn closing_the_last_handle_tells_the_relay() {
    let fake = Fake::start().await;
    let client = RelayClient::connect(&fake.url, TOKEN).await.unwrap();
    let other = client.clone();
    // Another handle still uses the link: it stays open.
    client.close().await;
    assert_eq!(
        other.command(Action::Pause).await.unwrap(),
        Reply::Accepted {
            detail: "done".into()
        }
    );
    other.close().await;
    tokio::time::timeout(Duration::from_secs(5), async {
        while fake.script.lock().unwrap().closes == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("no close frame came");
}
