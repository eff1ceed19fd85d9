//! The relay against the real parts: a live engine trading the simulator, the relay on a
//! loopback port, and raw WebSocket clients speaking the protocol frame by frame.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use futures_util::SinkExt as _;
use serde_json::json;
use signalos::api::{Action, Change, Origin, OriginKind, Reply, Role, State};
use signalos::engine::Input;
use signalos::model::{LinkState, Mode};
use signalos::relay::protocol::{Answer, ErrorCode, MAX_CLIENT_FRAME, ServerFrame};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[path = "support/bin.rs"]
mod bin;
#[path = "support/config.rs"]
mod config;
#[path = "support/live.rs"]
mod live;
#[path = "support/message.rs"]
mod message;
#[path = "support/relay.rs"]
mod relay;
#[path = "support/wait.rs"]
mod wait;

use relay::{Auth, Client, OPERATOR, VIEWER};

fn synced(state: &State) -> bool {
    state
        .links
        .get("broker")
        .is_some_and(|l| l.state == LinkState::Synced)
}

#[tokio::test]
async fn a_subscriber_gets_hello_then_a_snapshot_then_consecutive_events() {
    let rig = relay::start(relay::settings()).await;
    let (mut client, hello) = Client::connect(rig.relay.address, VIEWER).await;
    assert_eq!(hello.protocol, 1);
    assert_eq!(hello.run, "run-1");
    assert_eq!(hello.role, Role::Viewer);
    assert_eq!(hello.name, "watcher");
    client.send(json!({"type": "subscribe"})).await;
    let (mut seq, mut state) = match client.frame().await {
        ServerFrame::Snapshot {
            seq,
            state,
            reason,
            run,
        } => {
            assert_eq!(run, "run-1");
            assert_eq!(reason, None);
            (seq, *state)
        }
        other => panic!("expected a snapshot, got {other:?}"),
    };
    while !synced(&state) {
        match client.frame().await {
            ServerFrame::Event(event) => {
                assert_eq!(
                    event.seq,
                    seq + 1,
                    "events follow the snapshot without a gap"
                );
                seq = event.seq;
                state.apply(&event.change);
            }
            ServerFrame::Log { .. } => {}
            other => panic!("expected events, got {other:?}"),
        }
    }
    // The replica built from the stream is the relay's own state at that seq.
    match client.request(1, json!({"request": "state"})).await {
        Answer::State { run, seq: at, .. } => {
            assert_eq!(run, "run-1");
            assert!(at >= seq);
        }
        other => panic!("expected the state, got {other:?}"),
    }
}

#[tokio::test]
async fn no_token_and_a_wrong_token_are_refused_before_any_frame() {
    let rig = relay::start(relay::settings()).await;
    let address = rig.relay.address;
    assert_eq!(
        relay::open(address, Auth::None, None).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        relay::open(address, Auth::Bearer("not-the-token-0123456789"), None)
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        relay::open(address, Auth::Bearer(&OPERATOR[..OPERATOR.len() - 1]), None)
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
}

#[tokio::test]
async fn a_browser_passes_its_token_as_a_subprotocol_and_gets_it_echoed() {
    let rig = relay::start(relay::settings()).await;
    let (ws, response) = relay::open(rig.relay.address, Auth::Subprotocol(OPERATOR), None)
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|v| v.to_str().unwrap()),
        Some("signalos.v1"),
        "the subprotocol is echoed, never the token"
    );
    let mut client = Client { ws };
    match client.frame().await {
        ServerFrame::Hello(hello) => {
            assert_eq!((hello.role, hello.name.as_str()), (Role::Operator, "ops"))
        }
        other => panic!("expected hello, got {other:?}"),
    }
    // A browser page from an allowed origin is let in; any other is refused.
    assert!(
        relay::open(
            rig.relay.address,
            Auth::Subprotocol(VIEWER),
            Some("https://desk.example.com")
        )
        .await
        .is_ok()
    );
    assert_eq!(
        relay::open(
            rig.relay.address,
            Auth::Subprotocol(VIEWER),
            Some("https://evil.example.net")
        )
        .await
        .err(),
        Some(StatusCode::FORBIDDEN)
    );
    assert_eq!(
        relay::open(
            rig.relay.address,
            Auth::Subprotocol("wrong-token-0123456789"),
            None
        )
        .await
        .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
}

#[tokio::test]
async fn an_address_that_keeps_guessing_is_refused_for_a_while_and_only_it() {
    let rig = relay::start(relay::settings()).await;
    let address = rig.relay.address;
    let guesser = std::net::Ipv4Addr::new(127, 0, 0, 2);
    for _ in 0..9 {
        assert_eq!(
            relay::open_from(address, guesser, "guess-0123456789abcdef")
                .await
                .err(),
            Some(StatusCode::UNAUTHORIZED)
        );
    }
    // The right token still works before the tenth failure…
    assert!(relay::open_from(address, guesser, VIEWER).await.is_ok());
    assert_eq!(
        relay::open_from(address, guesser, "guess-0123456789abcdef")
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    // … and not after it: the address is refused whatever it sends.
    assert_eq!(
        relay::open_from(address, guesser, VIEWER).await.err(),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    // Another address is not held up.
    let other = std::net::Ipv4Addr::new(127, 0, 0, 3);
    assert!(relay::open_from(address, other, VIEWER).await.is_ok());
}

#[tokio::test]
async fn past_max_connections_a_client_is_refused_with_503() {
    let mut settings = relay::settings();
    settings.max_connections = 2;
    let rig = relay::start(settings).await;
    let (_a, _) = Client::connect(rig.relay.address, VIEWER).await;
    let (_b, _) = Client::connect(rig.relay.address, VIEWER).await;
    assert_eq!(
        relay::open(rig.relay.address, Auth::Bearer(VIEWER), None)
            .await
            .err(),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
}

/// Subscribe `client` and wait until the broker link is synced: the state it streams after.
async fn subscribed_and_synced(client: &mut Client) -> (u64, State) {
    client.send(json!({"type": "subscribe"})).await;
    let (mut seq, mut state) = match client.frame().await {
        ServerFrame::Snapshot { seq, state, .. } => (seq, *state),
        other => panic!("expected a snapshot, got {other:?}"),
    };
    while !synced(&state) {
        if let ServerFrame::Event(event) = client.frame().await {
            assert_eq!(event.seq, seq + 1);
            seq = event.seq;
            state.apply(&event.change);
        }
    }
    (seq, state)
}

fn audit(rig: &relay::Rig) -> Vec<signalos::store::AuditEntry> {
    rig.reader.audit(1).map(Result::unwrap).collect()
}

#[tokio::test]
async fn a_viewers_command_is_refused_by_the_gate_and_audited_under_its_tokens_name() {
    let rig = relay::start(relay::settings()).await;
    let (mut viewer, _) = Client::connect(rig.relay.address, VIEWER).await;
    subscribed_and_synced(&mut viewer).await;
    let answer = viewer
        .request(
            7,
            json!({"request": "command", "action": {"action": "emergency_stop"}}),
        )
        .await;
    let Answer::Command {
        reply: Reply::Refused { reason },
    } = answer
    else {
        panic!("expected the gate's refusal, got {answer:?}");
    };
    assert!(reason.contains("read-only"), "{reason}");
    let [entry] = audit(&rig).try_into().unwrap_or_else(|a| panic!("{a:?}"));
    assert_eq!(
        entry.origin,
        Origin {
            kind: OriginKind::Relay,
            who: "watcher".into(),
            role: Role::Viewer,
        }
    );
    assert_eq!(entry.action, Action::EmergencyStop);
    assert!(matches!(entry.reply, Reply::Refused { .. }));
    // The same entry, read through the relay.
    match viewer
        .request(8, json!({"request": "journal", "kind": "audit"}))
        .await
    {
        Answer::Journal { entries, next } => {
            assert_eq!(next, None);
            let [e] = entries.as_slice() else {
                panic!("{entries:?}")
            };
            assert_eq!(
                e["origin"],
                json!({"kind": "relay", "who": "watcher", "role": "viewer"})
            );
        }
        other => panic!("expected journal entries, got {other:?}"),
    }
}

#[tokio::test]
async fn an_operators_emergency_stop_halts_the_engine_in_the_stream_and_the_audit() {
    let rig = relay::start(relay::settings()).await;
    let (mut operator, _) = Client::connect(rig.relay.address, OPERATOR).await;
    let (mut watcher, _) = Client::connect(rig.relay.address, VIEWER).await;
    subscribed_and_synced(&mut operator).await;
    let (_, mut state) = subscribed_and_synced(&mut watcher).await;
    let answer = operator
        .request(
            1,
            json!({"request": "command", "action": {"action": "emergency_stop"}}),
        )
        .await;
    assert!(
        matches!(
            answer,
            Answer::Command {
                reply: Reply::Accepted { .. }
            }
        ),
        "{answer:?}"
    );
    // Every subscriber sees HALTED, and why.
    while state.mode != Mode::Halted {
        if let ServerFrame::Event(event) = watcher.frame().await {
            state.apply(&event.change);
        }
    }
    assert!(
        state.mode_reason.contains("relay:ops"),
        "{}",
        state.mode_reason
    );
    let [entry] = audit(&rig).try_into().unwrap_or_else(|a| panic!("{a:?}"));
    assert_eq!(
        (entry.origin.kind, entry.origin.who.as_str()),
        (OriginKind::Relay, "ops")
    );
    assert!(matches!(entry.reply, Reply::Accepted { .. }));
    // A fresh snapshot says so too.
    match watcher.request(2, json!({"request": "state"})).await {
        Answer::State { state, .. } => assert_eq!(state.mode, Mode::Halted),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn malformed_frames_are_answered_with_errors_and_repeated_ones_close_the_connection() {
    let rig = relay::start(relay::settings()).await;
    let (mut client, _) = Client::connect(rig.relay.address, VIEWER).await;
    for bad in [
        "not json".to_string(),
        json!({"type": "subscribe", "topics": ["weather"]}).to_string(),
        json!({"type": "request", "id": 1, "request": {"request": "launch"}}).to_string(),
        json!({"type": "pong"}).to_string(),
    ] {
        client.send_text(bad.clone()).await;
        match client.frame().await {
            ServerFrame::Error { code, message, id } => {
                assert_eq!(code, ErrorCode::Malformed, "{bad}");
                // A request whose id can be read is named by it.
                assert_eq!(id, bad.contains("launch").then_some(1), "{bad}");
                assert!(message.contains("expected"), "{bad}: {message}");
            }
            other => panic!("{bad}: expected an error, got {other:?}"),
        }
    }
    // A good frame in between is still answered.
    client
        .send(json!({"type": "ping", "data": "still here"}))
        .await;
    assert_eq!(
        client.frame().await,
        ServerFrame::Pong {
            data: Some("still here".into())
        }
    );
    client.send_text("{".into()).await;
    assert!(matches!(client.frame().await, ServerFrame::Error { .. }));
    let close = client.closed().await.expect("a close frame with a reason");
    assert_eq!(close.code, CloseCode::Policy);
    assert!(close.reason.contains("malformed"), "{close}");
}

#[tokio::test]
async fn an_oversized_frame_is_refused_with_too_large_and_the_connection_closed() {
    let rig = relay::start(relay::settings()).await;
    let (mut client, _) = Client::connect(rig.relay.address, VIEWER).await;
    let big = format!(
        r#"{{"type":"ping","data":"{}"}}"#,
        "x".repeat(MAX_CLIENT_FRAME)
    );
    client.send_text(big).await;
    match client.frame().await {
        ServerFrame::Error { code, message, .. } => {
            assert_eq!(code, ErrorCode::TooLarge);
            assert!(message.contains("65536"), "{message}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    let close = client.closed().await.expect("a close frame with a reason");
    assert_eq!(close.code, CloseCode::Size);
}

#[tokio::test]
async fn a_silent_client_is_closed_after_the_idle_timeout_and_one_that_pings_is_not() {
    let mut settings = relay::settings();
    settings.idle = Duration::from_secs(1);
    let rig = relay::start(settings).await;
    let (mut silent, hello) = Client::connect(rig.relay.address, VIEWER).await;
    assert_eq!(hello.idle_timeout_secs, 1);
    let (mut pinging, _) = Client::connect(rig.relay.address, VIEWER).await;
    // Pings (a WebSocket ping or a ping frame) keep a client connected past the timeout.
    for i in 0..4 {
        if i % 2 == 0 {
            pinging
                .ws
                .send(Message::Ping(vec![1].into()))
                .await
                .unwrap();
        } else {
            pinging.send(json!({"type": "ping"})).await;
            assert_eq!(pinging.frame().await, ServerFrame::Pong { data: None });
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let close = silent.closed().await.expect("a close frame with a reason");
    assert!(close.reason.contains("idle"), "{close}");
    pinging.send(json!({"type": "ping", "data": "alive"})).await;
    assert_eq!(
        pinging.frame().await,
        ServerFrame::Pong {
            data: Some("alive".into())
        }
    );
}

#[tokio::test]
async fn stopping_the_relay_closes_every_connection_with_a_reason() {
    let rig = relay::start(relay::settings()).await;
    let (mut a, _) = Client::connect(rig.relay.address, VIEWER).await;
    let (mut b, _) = Client::connect(rig.relay.address, OPERATOR).await;
    b.send(json!({"type": "subscribe"})).await;
    wait::until_async("two viewers", || rig.relay.viewers() == 2).await;
    rig.relay.stop().await;
    for client in [&mut a, &mut b] {
        let close = client.closed().await.expect("a close frame");
        assert_eq!(close.code, CloseCode::Away);
        assert_eq!(close.reason.as_str(), "engine stopping");
    }
}

/// The events an in-process subscriber to the engine receives, by seq.
struct Witness {
    events: tokio::sync::broadcast::Receiver<std::sync::Arc<signalos::api::Event>>,
    seen: std::collections::BTreeMap<u64, signalos::api::Event>,
}

impl Witness {
    async fn new(engine: &signalos::engine::EngineHandle) -> Witness {
        Witness {
            events: engine.subscribe().await.unwrap().events,
            seen: Default::default(),
        }
    }

    /// Until it has seen seq `upto`.
    async fn upto(&mut self, upto: u64) {
        while self.seen.keys().next_back().is_none_or(|last| *last < upto) {
            let event = tokio::time::timeout(wait::DEADLINE, self.events.recv())
                .await
                .expect("events from the engine")
                .expect("an in-process subscriber keeps up");
            self.seen.insert(event.seq, (*event).clone());
        }
    }
}

/// Read events until seq `upto`, checking they are consecutive from `after`.
async fn events_until(client: &mut Client, after: u64, upto: u64) -> Vec<signalos::api::Event> {
    let mut out: Vec<signalos::api::Event> = Vec::new();
    let mut last = after;
    while last < upto {
        match client.frame().await {
            ServerFrame::Event(event) => {
                assert_eq!(event.seq, last + 1, "no event lost or repeated");
                last = event.seq;
                out.push(event);
            }
            ServerFrame::Log { .. } => {}
            other => panic!("expected events, got {other:?}"),
        }
    }
    out
}

#[tokio::test]
async fn a_viewer_dropped_mid_stream_resumes_with_no_event_lost_or_repeated() {
    let rig = relay::start(relay::settings()).await;
    let mut witness = Witness::new(&rig.live.engine).await;
    let (mut first, hello) = Client::connect(rig.relay.address, VIEWER).await;
    first.send(json!({"type": "subscribe"})).await;
    let start = match first.frame().await {
        ServerFrame::Snapshot { seq, .. } => seq,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    // Quotes stream all the time: take 20 events, then drop the connection without a word.
    let mut received = events_until(&mut first, start, start + 20).await;
    drop(first);
    // Twenty more happen while it is away.
    witness.upto(start + 40).await;
    let (mut second, _) = Client::connect(rig.relay.address, VIEWER).await;
    second
        .send(json!({"type": "subscribe", "resume": {"run": hello.run, "seq": start + 20}}))
        .await;
    received.extend(events_until(&mut second, start + 20, start + 60).await);
    witness.upto(start + 60).await;
    let expected: Vec<_> = witness
        .seen
        .range(start + 1..=start + 60)
        .map(|(_, e)| e.clone())
        .collect();
    assert_eq!(received.len(), 60);
    assert_eq!(received, expected);
}

#[tokio::test]
async fn a_resume_the_server_can_no_longer_honour_gets_a_snapshot_with_the_reason() {
    let mut settings = relay::settings();
    settings.resume_window = 16;
    let rig = relay::start(settings).await;
    let mut witness = Witness::new(&rig.live.engine).await;
    let (mut client, hello) = Client::connect(rig.relay.address, VIEWER).await;
    client.send(json!({"type": "subscribe"})).await;
    let start = match client.frame().await {
        ServerFrame::Snapshot { seq, .. } => seq,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    drop(client);
    witness.upto(start + 40).await;
    for (resume, why) in [
        (json!({"run": hello.run, "seq": start}), "no longer held"),
        (json!({"run": "another-run", "seq": start}), "started again"),
        (json!({"run": hello.run, "seq": start + 1_000_000}), "ahead"),
    ] {
        let (mut client, _) = Client::connect(rig.relay.address, VIEWER).await;
        client
            .send(json!({"type": "subscribe", "resume": resume}))
            .await;
        match client.frame().await {
            ServerFrame::Snapshot { seq, reason, .. } => {
                assert!(seq >= start + 40);
                let reason = reason.expect("a reason");
                assert!(reason.contains(why), "{reason}");
                // And the stream goes on from it.
                events_until(&mut client, seq, seq + 3).await;
            }
            other => panic!("expected a snapshot, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_subscriber_gets_only_the_topics_it_asked_for() {
    let rig = relay::start(relay::settings()).await;
    let (mut links, _) = Client::connect(rig.relay.address, VIEWER).await;
    links
        .send(json!({"type": "subscribe", "topics": ["links", "log"]}))
        .await;
    assert!(matches!(links.frame().await, ServerFrame::Snapshot { .. }));
    let epoch = Instant::now();
    relay::flood(&rig.live.engine, 3, 10, epoch, Duration::ZERO).await;
    rig.logs.push(signalos::api::LogLine {
        at: 0,
        level: tracing::Level::INFO,
        target: "test".into(),
        message: "a line for the log topic".into(),
    });
    let mut floods = 0;
    let mut logged = false;
    while floods < 3 || !logged {
        match links.frame().await {
            ServerFrame::Event(event) => {
                assert!(
                    matches!(event.change, Change::Link { .. }),
                    "only links: {event:?}"
                );
                floods += usize::from(relay::flooded(&ServerFrame::Event(event)).is_some());
            }
            ServerFrame::Log { line } => logged |= line.message == "a line for the log topic",
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn story_journal_and_log_requests_are_answered_while_the_engine_trades() {
    let rig = relay::start(relay::settings()).await;
    let (mut client, _) = Client::connect(rig.relay.address, VIEWER).await;
    let (_, state) = subscribed_and_synced(&mut client).await;
    let ask = state.quotes["XAUUSD"].ask;
    for id in 1..=3 {
        rig.live
            .engine
            .send(Input::Message(message::raw(
                id,
                &format!(
                    "XAUUSD BUY NOW\nSL {:.2}\nTP1 {:.2}",
                    ask - 10.0,
                    ask + 10.0
                ),
            )))
            .await
            .unwrap();
    }
    wait::until_async("three signals journaled", || {
        rig.reader.signals(1).count() == 3
    })
    .await;
    match client
        .request(1, json!({"request": "story", "signal": 1}))
        .await
    {
        Answer::Story { steps: Some(steps) } => {
            assert!(
                matches!(
                    steps.first(),
                    Some(signalos::api::Step::Message { signal: 1, .. })
                ),
                "{steps:?}"
            );
        }
        other => panic!("expected a story, got {other:?}"),
    }
    assert_eq!(
        client
            .request(2, json!({"request": "story", "signal": 999}))
            .await,
        Answer::Story { steps: None }
    );
    // Paged: two entries, then the rest from `next`.
    let Answer::Journal { entries, next } = client
        .request(
            3,
            json!({"request": "journal", "kind": "signals", "limit": 2}),
        )
        .await
    else {
        panic!("expected journal entries");
    };
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!((seqs, next), (vec![1, 2], Some(3)));
    let Answer::Journal { entries, next } = client
        .request(
            4,
            json!({"request": "journal", "kind": "signals", "since": 3, "limit": 2}),
        )
        .await
    else {
        panic!("expected journal entries");
    };
    assert_eq!((entries.len(), next), (1, None));
    rig.logs.push(signalos::api::LogLine {
        at: 0,
        level: tracing::Level::WARN,
        target: "test".into(),
        message: "the last line".into(),
    });
    match client
        .request(5, json!({"request": "log", "lines": 1}))
        .await
    {
        Answer::Log { lines } => assert_eq!(lines[0].message, "the last line"),
        other => panic!("expected log lines, got {other:?}"),
    }
}

/// A healthy viewer: subscribes, then reads until flood event `last`, checking the seqs are
/// consecutive; the longest a flood event took from the engine to it, in milliseconds, and the
/// client, still connected.
async fn healthy(address: std::net::SocketAddr, epoch: Instant, last: usize) -> (u128, Client) {
    let (mut client, _) = Client::connect(address, VIEWER).await;
    client.send(json!({"type": "subscribe"})).await;
    let mut seq = match client.frame().await {
        ServerFrame::Snapshot { seq, .. } => seq,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    let mut slowest = 0;
    loop {
        let frame = client.frame().await;
        match &frame {
            ServerFrame::Event(event) => {
                assert_eq!(event.seq, seq + 1, "a healthy viewer misses nothing");
                seq = event.seq;
            }
            ServerFrame::Log { .. } => continue,
            other => panic!("a healthy viewer is never resynced: {other:?}"),
        }
        if let Some((sent, i)) = relay::flooded(&frame) {
            slowest = slowest.max(epoch.elapsed().as_millis() - sent);
            if i == last {
                return (slowest, client);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_viewer_delays_no_one_and_is_dropped() {
    let mut settings = relay::settings();
    settings.queue = 64;
    settings.resume_window = 64;
    settings.stall = Duration::from_secs(2);
    let rig = relay::start(settings).await;
    let address = rig.relay.address;
    let mut stalled = relay::small_window(address, VIEWER).await;
    stalled.send(json!({"type": "subscribe"})).await;
    let epoch = Instant::now();
    const EVENTS: usize = 1500;
    let readers: Vec<_> = (0..2)
        .map(|_| tokio::spawn(healthy(address, epoch, EVENTS - 1)))
        .collect();
    wait::until_async("three viewers", || rig.relay.viewers() == 3).await;
    // 12 MB: far more than the stalled viewer's socket buffers hold.
    relay::flood(
        &rig.live.engine,
        EVENTS,
        8 * 1024,
        epoch,
        Duration::from_millis(2),
    )
    .await;
    let mut still_connected = Vec::new();
    for reader in readers {
        let (slowest, client) = reader.await.unwrap();
        assert!(
            slowest < 1500,
            "a healthy viewer waited {slowest} ms for an event"
        );
        still_connected.push(client);
    }
    wait::until_async("the stalled viewer dropped", || rig.relay.viewers() == 2).await;
    // What it is sent at last, once it reads again, ends before any close handshake: it was
    // dropped, not closed politely.
    while let Some(message) = stalled.message().await {
        assert!(!matches!(message, Message::Close(_)), "{message:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_that_falls_behind_is_resynced_and_dropped_when_it_keeps_doing_so() {
    let mut settings = relay::settings();
    settings.queue = 16;
    settings.resume_window = 16;
    let rig = relay::start(settings).await;
    let mut slow = relay::small_window(rig.relay.address, VIEWER).await;
    slow.send(json!({"type": "subscribe"})).await;
    assert!(matches!(slow.frame().await, ServerFrame::Snapshot { .. }));
    let epoch = Instant::now();
    for round in 1..=3 {
        // It does not read while 16 MB of events go by.
        relay::flood(&rig.live.engine, 1000, 16 * 1024, epoch, Duration::ZERO).await;
        if round == 3 {
            let close = slow.closed().await.expect("a close frame");
            assert_eq!(close.code, CloseCode::Policy);
            assert!(close.reason.contains("too slow"), "{close}");
            break;
        }
        let snapshot = slow
            .until("a fresh snapshot", |f| {
                matches!(f, ServerFrame::Snapshot { .. })
            })
            .await;
        let ServerFrame::Snapshot { reason, .. } = snapshot else {
            unreachable!()
        };
        let reason = reason.expect("a reason");
        assert!(reason.contains("fell behind"), "{reason}");
    }
    wait::until_async("the slow viewer dropped", || rig.relay.viewers() == 0).await;
}

#[tokio::test]
async fn with_a_certificate_the_relay_speaks_wss_and_a_bad_file_is_named() {
    use signalos::relay::server::tls;
    use tokio_rustls::rustls;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relay");
    let mut settings = relay::settings();
    settings.tls =
        Some(tls::acceptor(&fixtures.join("cert.pem"), &fixtures.join("key.pem")).unwrap());
    let rig = relay::start(settings).await;
    assert!(
        rig.relay.url.starts_with("wss://127.0.0.1:"),
        "{}",
        rig.relay.url
    );

    let mut roots = rustls::RootCertStore::empty();
    for cert in
        <rustls::pki_types::CertificateDer as rustls::pki_types::pem::PemObject>::pem_file_iter(
            fixtures.join("ca.pem"),
        )
        .unwrap()
    {
        roots.add(cert.unwrap()).unwrap();
    }
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let client = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "wss://localhost:{}",
            rig.relay.address.port()
        ))
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", format!("Bearer {VIEWER}").parse().unwrap());
    let (ws, _) = tokio_tungstenite::connect_async_tls_with_config(
        request,
        None,
        false,
        Some(tokio_tungstenite::Connector::Rustls(std::sync::Arc::new(
            client,
        ))),
    )
    .await
    .unwrap();
    let mut client = Client { ws };
    assert!(matches!(client.frame().await, ServerFrame::Hello(_)));
    // Plain WebSocket to a TLS port gets nowhere.
    assert!(
        tokio_tungstenite::connect_async(format!("ws://{}", rig.relay.address))
            .await
            .is_err()
    );

    let err = tls::acceptor(&fixtures.join("missing.pem"), &fixtures.join("key.pem"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("tls_cert") && err.contains("missing.pem"),
        "{err}"
    );
    let err = tls::acceptor(&fixtures.join("cert.pem"), &fixtures.join("cert.pem"))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("tls_key") && err.contains("cert.pem"), "{err}");
}

/// This process's resident memory, in KiB.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A viewer as cheap as a client can be: the upgrade and a `subscribe` written by hand on a bare
/// socket, which is then left alone, so that what the process holds for it is the relay's.
async fn bare_viewer(address: std::net::SocketAddr) -> tokio::net::TcpStream {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut tcp = tokio::net::TcpStream::connect(address).await.unwrap();
    let upgrade = format!(
        "GET / HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
         Authorization: Bearer {VIEWER}\r\n\r\n"
    );
    tcp.write_all(upgrade.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let mut buf = [0u8; 1024];
    while !response.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tcp.read(&mut buf).await.unwrap();
        assert!(n > 0, "the relay closed during the upgrade");
        response.extend_from_slice(&buf[..n]);
    }
    assert!(
        response.starts_with(b"HTTP/1.1 101"),
        "{}",
        String::from_utf8_lossy(&response)
    );
    // A masked text frame (with a zero mask, so the payload is as written).
    let subscribe = br#"{"type":"subscribe"}"#;
    let mut frame = vec![0x81, 0x80 | subscribe.len() as u8, 0, 0, 0, 0];
    frame.extend_from_slice(subscribe);
    tcp.write_all(&frame).await.unwrap();
    tcp
}

/// What an idle, subscribed viewer costs the relay, measured over many. Slow in a debug build:
/// `RELAY_VIEWERS=10000 cargo test --release --test relay -- --ignored --nocapture idle_viewers`
/// (the open-files limit must allow two sockets per viewer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn idle_viewers_cost_the_relay_little_memory() {
    let viewers: usize = std::env::var("RELAY_VIEWERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let mut settings = relay::settings();
    settings.max_connections = viewers + 20;
    let rig = relay::start(settings).await;
    let (mut witness, _) = Client::connect(rig.relay.address, VIEWER).await;
    subscribed_and_synced(&mut witness).await;
    let mut sockets = Vec::with_capacity(viewers);
    // A few first, so that lazily grown tables are counted in the baseline.
    for _ in 0..10 {
        sockets.push(bare_viewer(rig.relay.address).await);
    }
    wait::until_async("the first viewers", || rig.relay.viewers() == 11).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = resident_kib();
    let started = Instant::now();
    for _ in 0..viewers {
        sockets.push(bare_viewer(rig.relay.address).await);
    }
    wait::until_async("every viewer admitted", || {
        rig.relay.viewers() == viewers + 11
    })
    .await;
    let connected = started.elapsed();
    // Every one of them is sent the live stream: let some events go by.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = resident_kib();
    let per_viewer = (after.saturating_sub(before) * 1024) / viewers as u64;
    // The witness still gets every event while they all sit there.
    let (seq, _) = match witness.request(1, json!({"request": "state"})).await {
        Answer::State { seq, .. } => (seq, ()),
        other => panic!("{other:?}"),
    };
    eprintln!(
        "{viewers} idle viewers: connected in {connected:?}, {per_viewer} bytes each \
         (resident {before} KiB -> {after} KiB), stream at seq {seq}"
    );
    assert!(per_viewer < 32 * 1024, "{per_viewer} bytes per idle viewer");

    // Now all of them read: how long until the last of 200 events has reached every one?
    let (done_tx, mut done_rx) = tokio::sync::mpsc::channel::<()>(sockets.len());
    for tcp in sockets {
        let done = done_tx.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncReadExt as _;
            let mut tcp = tcp;
            let mut buf = vec![0u8; 16 * 1024];
            let marker = b"FLOOD-END";
            let mut tail: Vec<u8> = Vec::new();
            loop {
                let n = match tcp.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                tail.extend_from_slice(&buf[..n]);
                if tail.windows(marker.len()).any(|w| w == marker) {
                    let _ = done.send(()).await;
                    // Keep reading, so the relay never sees this one stall.
                    loop {
                        if matches!(tcp.read(&mut buf).await, Ok(0) | Err(_)) {
                            return;
                        }
                    }
                }
                let keep = tail.len().saturating_sub(marker.len());
                tail.drain(..keep);
            }
        });
    }
    let epoch = Instant::now();
    relay::flood(&rig.live.engine, 199, 200, epoch, Duration::from_millis(10)).await;
    let sent = Instant::now();
    rig.live
        .engine
        .send(Input::Link {
            name: "source:flood".into(),
            link: signalos::api::Link {
                state: LinkState::Up,
                detail: "FLOOD-END".into(),
            },
        })
        .await
        .unwrap();
    for _ in 0..viewers + 10 {
        tokio::time::timeout(wait::DEADLINE, done_rx.recv())
            .await
            .expect("every viewer gets the last event")
            .unwrap();
    }
    eprintln!(
        "{viewers} reading viewers: the last of 200 events (100 a second) reached all of them {:?} after it was sent",
        sent.elapsed()
    );
}

/// `signalos run --headless` with `[relay] enabled`: relay.json (owner only) leads a local
/// client in with the run's own token, the console's header learns how many watch, and a
/// SIGTERM closes the connections with the reason and removes the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_with_the_relay_enabled_leaves_relay_json_and_removes_it_on_stop() {
    use std::os::unix::fs::PermissionsExt as _;
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        "[broker]\ntick_ms = 50\n\n[relay]\nenabled = true\nlisten = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let stderr = home.path().join("stderr.log");
    let mut child = bin::signalos(home.path())
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .env("SIGNALOS_RELAY_VIEWER_TOKEN", VIEWER)
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let file = data.join(signalos::relay::local::FILE);
    wait::file_until(&file, "relay.json", |text| text.contains("token"));
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let local = signalos::relay::local::read(&data).unwrap();
    let address: std::net::SocketAddr = local.url.strip_prefix("ws://").unwrap().parse().unwrap();
    let (mut client, hello) = Client::connect(address, &local.token).await;
    assert_eq!((hello.name.as_str(), hello.role), ("local", Role::Operator));
    let (_viewer, hello) = Client::connect(address, VIEWER).await;
    assert_eq!((hello.name.as_str(), hello.role), ("viewer", Role::Viewer));
    client
        .send(json!({"type": "subscribe", "topics": ["links"]}))
        .await;
    let mut state = match client.frame().await {
        ServerFrame::Snapshot { state, .. } => *state,
        other => panic!("expected a snapshot, got {other:?}"),
    };
    while state
        .links
        .get("relay")
        .is_none_or(|l| l.detail != "2 viewers")
    {
        if let ServerFrame::Event(event) = client.frame().await {
            state.apply(&event.change);
        }
    }
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let close = client.closed().await.expect("a close frame");
    assert_eq!(close.reason.as_str(), "engine stopping");
    let mut stopped = None;
    wait::until_async("signalos to stop on SIGTERM", || {
        stopped = child.try_wait().unwrap();
        stopped.is_some()
    })
    .await;
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(stopped.unwrap().success(), "{log}");
    assert!(!file.exists(), "relay.json is removed on a clean stop");
    assert!(
        !log.contains(&local.token) && !log.contains(VIEWER),
        "a token in the log: {log}"
    );
}
