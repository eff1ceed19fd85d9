//! The bridge server against a hand-played EA on a loopback socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::handshake::PROOF_TIME;
use super::*;
use crate::broker::CidState;
use crate::broker::bridge::auth::{self, Key};
use crate::broker::bridge::wire::{SymbolQuote, Terminal};
use crate::model::{OrderType, Position, Side, SymbolSpec};

const SECRET: &str = "a good long secret";
/// Long enough for anything that should happen, on a loaded machine too.
const WAIT: Duration = Duration::from_secs(30);

struct Bridge {
    address: SocketAddr,
    commands: mpsc::Sender<BrokerCommand>,
    events: mpsc::Receiver<BrokerEvent>,
}

async fn start(heartbeat: Duration) -> Bridge {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (commands, commands_rx) = mpsc::channel(64);
    let (events_tx, events) = mpsc::channel(1024);
    let cfg = BridgeConfig {
        secret: SECRET.into(),
        magic: 771001,
        heartbeat,
        overrides: BTreeMap::new(),
        aliases: Aliases::default(),
    };
    tokio::spawn(serve(listener, cfg, commands_rx, events_tx));
    let mut bridge = Bridge {
        address,
        commands,
        events,
    };
    let first = bridge.event().await;
    assert!(
        matches!(&first, BrokerEvent::Link(l) if l.state == LinkState::Connecting),
        "{first:?}"
    );
    bridge
}

impl Bridge {
    async fn event(&mut self) -> BrokerEvent {
        tokio::time::timeout(WAIT, self.events.recv())
            .await
            .expect("an event in time")
            .expect("the bridge is running")
    }

    /// The next event that is not a quote.
    async fn event_not_quote(&mut self) -> BrokerEvent {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            assert!(
                tokio::time::Instant::now() < deadline,
                "only quotes for {WAIT:?}"
            );
            match self.event().await {
                BrokerEvent::Quote { .. } => {}
                other => return other,
            }
        }
    }
}

/// The EA side, played by hand.
struct Ea {
    stream: TcpStream,
    framer: LineFramer,
    frames: std::collections::VecDeque<Frame>,
    /// The nonce of its last hello.
    nonce: String,
}

impl Ea {
    /// Read what the engine sent next into the frames; false once it has hung up.
    async fn read_more(&mut self, expected: &str) -> bool {
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout(WAIT, self.stream.read(&mut buf))
            .await
            .expect(expected)
            .unwrap_or(0);
        let mut out = Vec::new();
        self.framer.push(&buf[..n], &mut out);
        self.frames.extend(out);
        n > 0
    }

    async fn connect(address: SocketAddr) -> Ea {
        Ea {
            stream: TcpStream::connect(address).await.unwrap(),
            framer: LineFramer::default(),
            frames: Default::default(),
            nonce: auth::nonce().unwrap(),
        }
    }

    async fn send(&mut self, message: &FromEa) {
        self.raw(wire::encode(message).as_bytes()).await;
    }

    async fn raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
    }

    /// The next message from the engine, pings skipped; `None` once the engine hung up.
    async fn next(&mut self) -> Option<FromEngine> {
        loop {
            while let Some(frame) = self.frames.pop_front() {
                let Frame::Line(line) = frame else {
                    panic!("the engine sent a bad frame: {frame:?}");
                };
                match wire::decode::<FromEngine>(&line).unwrap() {
                    FromEngine::Ping { .. } => {}
                    message => return Some(message),
                }
            }
            if !self.read_more("the engine answers in time").await {
                return None;
            }
        }
    }

    async fn hello(&mut self, protocol: u32) {
        self.send(&FromEa::Hello {
            protocol,
            nonce: self.nonce.clone(),
            ea: "SignalOSBridge 2.0".into(),
        })
        .await;
    }

    /// Read the engine's challenge, check its proof as the EA does, and answer with a proof made
    /// with `secret`; the engine's answer to that.
    async fn prove(&mut self, secret: &str) -> Option<FromEngine> {
        let Some(FromEngine::Challenge { nonce, proof }) = self.next().await else {
            panic!("a challenge expected");
        };
        assert!(auth::is_nonce(&nonce), "{nonce}");
        assert!(
            Key::new(SECRET).is_engine_proof(&self.nonce, &nonce, &proof),
            "the engine proved it knows the secret"
        );
        let proof = Key::new(secret).ea_proof(&nonce, &self.nonce);
        self.send(&proof_message(proof)).await;
        self.next().await
    }

    /// hello, challenge, proof: the engine's answer.
    async fn hello_and_prove(&mut self, secret: &str) -> Option<FromEngine> {
        self.hello(PROTOCOL).await;
        self.prove(secret).await
    }

    /// Everything the engine sends until it hangs up, pings included.
    async fn until_closed(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            while let Some(frame) = self.frames.pop_front() {
                let Frame::Line(line) = frame else {
                    panic!("the engine sent a bad frame: {frame:?}");
                };
                lines.push(line);
            }
            if !self.read_more("the engine hangs up in time").await {
                return lines;
            }
        }
    }

    /// The whole handshake of a terminal whose symbols carry a `.m` suffix.
    async fn handshake(&mut self, bridge: &mut Bridge, positions: Vec<Position>) {
        let welcome = self.hello_and_prove(SECRET).await.unwrap();
        assert_eq!(
            welcome,
            FromEngine::Welcome {
                protocol: PROTOCOL,
                magic: 771001,
                heartbeat_ms: HEARTBEAT.as_millis() as u64,
            }
        );
        let handshaking = bridge.event().await;
        assert!(
            matches!(&handshaking, BrokerEvent::Link(l) if l.state == LinkState::Handshaking && l.detail.contains("SignalOSBridge 2.0, Some Broker Ltd #5012345")),
            "{handshaking:?}"
        );
        self.send(&FromEa::Symbols {
            names: ["XAUUSD.m", "EURUSD.m", "GBPUSD.m", "USDJPY.m", "BTCUSD"]
                .map(String::from)
                .to_vec(),
        })
        .await;
        let Some(FromEngine::Subscribe { symbols }) = self.next().await else {
            panic!("subscribe expected");
        };
        assert!(symbols.contains(&"XAUUSD.m".to_string()), "{symbols:?}");
        assert!(symbols.contains(&"BTCUSD".to_string()), "{symbols:?}");
        self.send(&FromEa::Specs {
            specs: vec![spec("XAUUSD.m")],
        })
        .await;
        self.send(&FromEa::Snapshot {
            account: account(),
            positions,
            orders: vec![],
            quotes: vec![SymbolQuote {
                symbol: "XAUUSD.m".into(),
                bid: 4150.0,
                ask: 4150.3,
                time: 1,
            }],
        })
        .await;
    }
}

const HEARTBEAT: Duration = Duration::from_millis(2000);

fn account() -> Account {
    Account {
        login: 5012345,
        server: "SomeBroker-Demo".into(),
        currency: "USD".into(),
        leverage: 100,
        hedging: true,
        balance: 10_000.0,
        equity: 10_000.0,
        margin: 0.0,
        free_margin: 10_000.0,
    }
}

fn spec(name: &str) -> SymbolSpec {
    let mut spec = crate::broker::sim::default_symbols()
        .into_iter()
        .find(|s| s.name == "XAUUSD")
        .unwrap();
    spec.name = name.into();
    spec
}

fn position(symbol: &str, cid: &str) -> Position {
    Position {
        ticket: 1234,
        symbol: symbol.into(),
        side: Side::Buy,
        volume: 0.1,
        open_price: 4150.3,
        open_time: 1,
        sl: Some(4140.0),
        tp: None,
        current_price: 4150.0,
        profit: -3.0,
        swap: 0.0,
        commission: 0.0,
        cid: cid.into(),
    }
}

fn gold_buy(cid: &str) -> BrokerRequest {
    BrokerRequest::Place {
        cid: cid.into(),
        symbol: "XAUUSD".into(),
        side: Side::Buy,
        order_type: OrderType::Market,
        volume: 0.1,
        price: None,
        sl: Some(4140.0),
        tp: Some(4160.0),
    }
}

#[tokio::test]
async fn a_session_speaks_canonical_symbols_to_the_engine_and_broker_names_to_the_terminal() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    ea.handshake(&mut bridge, vec![position("XAUUSD.m", "k3x9-s1-1")])
        .await;
    let BrokerEvent::Synced(snapshot) = bridge.event().await else {
        panic!("the snapshot reaches the engine");
    };
    assert_eq!(snapshot.symbols[0].name, "XAUUSD");
    assert_eq!(snapshot.positions[0].symbol, "XAUUSD");
    assert_eq!(snapshot.quotes[0].0, "XAUUSD");

    bridge
        .commands
        .send(BrokerCommand::Trade(gold_buy("k3x9-s2-1")))
        .await
        .unwrap();
    let Some(FromEngine::Trade { id, request }) = ea.next().await else {
        panic!("the trade reaches the EA");
    };
    let BrokerRequest::Place { symbol, cid, .. } = &request else {
        panic!("{request:?}");
    };
    assert_eq!((symbol.as_str(), cid.as_str()), ("XAUUSD.m", "k3x9-s2-1"));
    ea.send(&FromEa::Result {
        id,
        cid: cid.clone(),
        outcome: TradeOutcome::Rejected {
            retcode: 10016,
            message: "Invalid stops".into(),
        },
    })
    .await;
    ea.send(&FromEa::Tick {
        symbol: "XAUUSD.m".into(),
        bid: 4151.0,
        ask: 4151.3,
        time: 2,
    })
    .await;
    let result = bridge.event().await;
    assert_eq!(
        result,
        BrokerEvent::Result {
            cid: "k3x9-s2-1".into(),
            outcome: TradeOutcome::Rejected {
                retcode: 10016,
                message: "invalid stops (SL/TP too close to the price or on the wrong side) (Invalid stops)".into(),
            },
        }
    );
    let tick = bridge.event().await;
    assert!(
        matches!(&tick, BrokerEvent::Quote { symbol, quote } if symbol == "XAUUSD" && quote.bid == 4151.0),
        "{tick:?}"
    );

    // A query and its answer pass through by cid.
    bridge
        .commands
        .send(BrokerCommand::Query {
            cid: "k3x9-s1-1".into(),
        })
        .await
        .unwrap();
    let Some(FromEngine::Query { id: query_id, cid }) = ea.next().await else {
        panic!("the query reaches the EA");
    };
    assert!(query_id > id, "ids are unique per connection");
    ea.send(&FromEa::Found {
        id: query_id,
        cid,
        state: CidState::Position,
        ticket: Some(1234),
        price: Some(4150.3),
        volume: Some(0.1),
    })
    .await;
    assert!(matches!(
        bridge.event().await,
        BrokerEvent::Found {
            state: CidState::Position,
            ticket: Some(1234),
            ..
        }
    ));

    // A symbol the terminal lacks is refused before it reaches the EA.
    let mut request = gold_buy("k3x9-s3-1");
    if let BrokerRequest::Place { symbol, .. } = &mut request {
        *symbol = "JP225".into();
    }
    bridge
        .commands
        .send(BrokerCommand::Trade(request))
        .await
        .unwrap();
    let refused = bridge.event_not_quote().await;
    assert!(
        matches!(&refused, BrokerEvent::Result { outcome: TradeOutcome::Rejected { retcode: RETCODE_NOT_SENT, message }, .. } if message.contains("no symbol for JP225")),
        "{refused:?}"
    );

    // The EA hangs up: the engine hears that the link is lost.
    drop(ea);
    let lost = bridge.event_not_quote().await;
    assert!(
        matches!(&lost, BrokerEvent::Disconnected { reason } if reason.contains("closed")),
        "{lost:?}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_refused_with_a_reason_the_console_shows() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    // An EA that ignores the engine's proof and answers with one of another secret.
    let Some(FromEngine::Refused { reason }) = ea.hello_and_prove("not the secret").await else {
        panic!("refused expected");
    };
    assert!(reason.starts_with("wrong secret"), "{reason}");
    assert_eq!(ea.next().await, None, "the connection is closed");
    let link = bridge.event().await;
    assert!(
        matches!(&link, BrokerEvent::Link(l) if l.state == LinkState::Connecting && l.detail.contains("refused the EA at 127.0.0.1:") && l.detail.contains("wrong secret")),
        "{link:?}"
    );
    // A proof that is not even the shape of one.
    let mut ea = Ea::connect(bridge.address).await;
    ea.hello(PROTOCOL).await;
    assert!(matches!(
        ea.next().await,
        Some(FromEngine::Challenge { .. })
    ));
    ea.send(&proof_message("not hex".into())).await;
    let Some(FromEngine::Refused { reason }) = ea.next().await else {
        panic!("refused expected");
    };
    assert!(reason.contains("64 lower-case hex digits"), "{reason}");
    assert!(matches!(bridge.event().await, BrokerEvent::Link(_)));
    // Still free for the right EA.
    let mut ea = Ea::connect(bridge.address).await;
    ea.handshake(&mut bridge, vec![]).await;
}

/// An EA may send its first lines right behind its proof, in the same write: they are read once
/// it is welcomed, not lost with the handshake's buffer.
#[tokio::test]
async fn lines_right_behind_the_proof_are_read_after_the_welcome() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    ea.hello(PROTOCOL).await;
    let Some(FromEngine::Challenge { nonce, .. }) = ea.next().await else {
        panic!("a challenge expected");
    };
    let proof = wire::encode(&proof_message(Key::new(SECRET).ea_proof(&nonce, &ea.nonce)));
    let symbols = wire::encode(&FromEa::Symbols {
        names: vec!["XAUUSD.m".into()],
    });
    ea.raw(format!("{proof}{symbols}{{\"type\":\"specs\"").as_bytes())
        .await;
    assert!(matches!(ea.next().await, Some(FromEngine::Welcome { .. })));
    assert!(matches!(bridge.event().await, BrokerEvent::Link(_)));
    let Some(FromEngine::Subscribe { symbols }) = ea.next().await else {
        panic!("subscribe expected");
    };
    assert_eq!(symbols, ["XAUUSD.m"]);
    // The end of a line begun in the same write as the proof.
    ea.raw(b",\"specs\":[]}\n").await;
    ea.send(&FromEa::Snapshot {
        account: account(),
        positions: vec![],
        orders: vec![],
        quotes: vec![],
    })
    .await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
}

/// What an EA with another secret does: it cannot check the engine's proof, and leaves without
/// sending its own. The console says what most likely happened.
#[tokio::test]
async fn an_ea_that_hangs_up_on_the_challenge_is_shown_as_a_likely_wrong_secret() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    ea.hello(PROTOCOL).await;
    assert!(matches!(
        ea.next().await,
        Some(FromEngine::Challenge { .. })
    ));
    drop(ea);
    let link = bridge.event().await;
    assert!(
        matches!(&link, BrokerEvent::Link(l) if l.state == LinkState::Connecting && l.detail.contains("hung up on the engine's proof: wrong secret?")),
        "{link:?}"
    );
}

/// A version 1 EA sends its secret in hello: it is refused with both versions named, and the
/// secret is never echoed back, logged or shown.
#[tokio::test]
async fn another_protocol_is_refused_naming_both_versions_and_a_version_1_secret_goes_nowhere() {
    let (logs, _guard) = crate::telemetry::captured::capture();
    let mut bridge = start(HEARTBEAT).await;
    let v1_secret = "v1-secret-sent-in-clear";
    let mut ea = Ea::connect(bridge.address).await;
    ea.raw(
        format!(
            "{{\"type\":\"hello\",\"protocol\":1,\"secret\":\"{v1_secret}\",\"ea\":\"SignalOSBridge 1.0\"}}\n"
        )
        .as_bytes(),
    )
    .await;
    let answer = ea.until_closed().await;
    let expected =
        "the EA speaks protocol 1, this SignalOS speaks 2: update the EA from bridge/mt5";
    assert_eq!(answer.len(), 1, "{answer:?}");
    let Ok(FromEngine::Refused { reason }) = wire::decode(&answer[0]) else {
        panic!("refused expected: {answer:?}");
    };
    assert_eq!(reason, expected);
    let link = bridge.event().await;
    assert!(
        matches!(&link, BrokerEvent::Link(l) if l.detail.contains(expected) && !l.detail.contains(v1_secret)),
        "{link:?}"
    );
    // A hello of a later version, and one without a version.
    let mut ea = Ea::connect(bridge.address).await;
    ea.hello(PROTOCOL + 1).await;
    let Some(FromEngine::Refused { reason }) = ea.next().await else {
        panic!("refused expected");
    };
    assert!(
        reason.contains("the EA speaks protocol 3, this SignalOS speaks 2"),
        "{reason}"
    );
    let mut ea = Ea::connect(bridge.address).await;
    ea.raw(format!("{{\"type\":\"hello\",\"secret\":\"{v1_secret}\"}}\n").as_bytes())
        .await;
    let Some(FromEngine::Refused { reason }) = ea.next().await else {
        panic!("refused expected");
    };
    assert!(reason.contains("field protocol is missing"), "{reason}");
    // Something that is not hello first is refused too.
    let mut ea = Ea::connect(bridge.address).await;
    ea.send(&FromEa::Ping { time: 1 }).await;
    let Some(FromEngine::Refused { reason }) = ea.next().await else {
        panic!("refused expected");
    };
    assert!(reason.contains("expected hello first"), "{reason}");
    for _ in 0..3 {
        bridge.event().await;
    }
    let logged = logs.text();
    assert!(logged.contains(expected), "{logged}");
    assert!(!logged.contains(v1_secret), "{logged}");
}

#[tokio::test]
async fn bad_lines_are_answered_with_an_error_and_the_session_survives() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    ea.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));

    ea.raw(b"{\"type\":\"tick\",\"symbol\":\n").await;
    let Some(FromEngine::Error { reason }) = ea.next().await else {
        panic!("an error for invalid JSON");
    };
    assert!(reason.contains("unreadable message"), "{reason}");
    ea.raw(b"{\"type\":\"teleport\"}\n").await;
    assert!(matches!(ea.next().await, Some(FromEngine::Error { .. })));
    ea.raw(b"\xff\xfe\xfd\n").await;
    let Some(FromEngine::Error { reason }) = ea.next().await else {
        panic!("an error for a line that is not UTF-8");
    };
    assert!(reason.contains("UTF-8"), "{reason}");
    let mut huge = vec![b'x'; MAX_LINE + 1];
    huge.push(b'\n');
    ea.raw(&huge).await;
    let Some(FromEngine::Error { reason }) = ea.next().await else {
        panic!("an error for an oversized line");
    };
    assert!(reason.contains("the limit is 1048576"), "{reason}");

    // Still alive: a good message after all that gets through.
    ea.send(&FromEa::Position {
        position: position("XAUUSD.m", "k3x9-s1-1"),
    })
    .await;
    let event = bridge.event_not_quote().await;
    assert!(
        matches!(&event, BrokerEvent::Position(p) if p.symbol == "XAUUSD"),
        "{event:?}"
    );
}

#[tokio::test]
async fn a_silent_ea_degrades_the_link_then_loses_it() {
    // Long enough that the handshake's pauses on a loaded machine are not taken for silence.
    let heartbeat = Duration::from_millis(1000);
    let mut bridge = start(heartbeat).await;
    let mut ea = Ea::connect(bridge.address).await;
    assert!(matches!(
        ea.hello_and_prove(SECRET).await,
        Some(FromEngine::Welcome {
            heartbeat_ms: 1000,
            ..
        })
    ));
    assert!(matches!(bridge.event().await, BrokerEvent::Link(_)));
    ea.send(&FromEa::Symbols {
        names: vec!["XAUUSD".into()],
    })
    .await;
    assert!(matches!(
        ea.next().await,
        Some(FromEngine::Subscribe { .. })
    ));
    ea.send(&FromEa::Specs {
        specs: vec![spec("XAUUSD")],
    })
    .await;
    ea.send(&FromEa::Snapshot {
        account: account(),
        positions: vec![],
        orders: vec![],
        quotes: vec![],
    })
    .await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
    let started = tokio::time::Instant::now();
    // The EA says nothing more (it does not even answer pings).
    let degraded = bridge.event().await;
    assert!(
        matches!(&degraded, BrokerEvent::Link(l) if l.state == LinkState::Degraded),
        "{degraded:?}"
    );
    let lost = bridge.event().await;
    assert!(
        matches!(&lost, BrokerEvent::Disconnected { reason } if reason.contains("no message from the EA")),
        "{lost:?}"
    );
    // Not before two heartbeats of silence; how long after depends on the machine's load.
    let waited = started.elapsed();
    assert!(waited >= heartbeat * 2, "lost after {waited:?}");
}

#[tokio::test]
async fn a_second_terminal_that_proves_itself_is_refused_while_one_is_connected() {
    let mut bridge = start(HEARTBEAT).await;
    let mut first = Ea::connect(bridge.address).await;
    let first_address = first.stream.local_addr().unwrap();
    first.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
    let mut second = Ea::connect(bridge.address).await;
    let Some(FromEngine::Refused { reason }) = second.hello_and_prove(SECRET).await else {
        panic!("the second EA is refused");
    };
    assert_eq!(
        reason,
        format!("another EA is already connected from {first_address}")
    );
    assert_eq!(second.next().await, None, "the connection is closed");
    // The first one carries on.
    bridge
        .commands
        .send(BrokerCommand::Query { cid: "x".into() })
        .await
        .unwrap();
    assert!(matches!(first.next().await, Some(FromEngine::Query { .. })));
}

/// A peer that has not proved itself learns nothing of the connected EA: not from the challenge,
/// not from its refusal, whichever it earns.
#[tokio::test(start_paused = true)]
async fn an_unproven_peers_refusal_names_nothing_about_the_connected_ea() {
    let _ticking = metronome();
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    let ea_address = ea.stream.local_addr().unwrap().to_string();
    ea.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));

    let mut wrong = Ea::connect(bridge.address).await;
    wrong.hello(PROTOCOL).await;
    let Some(FromEngine::Challenge { nonce, .. }) = wrong.next().await else {
        panic!("a challenge expected");
    };
    let proof = Key::new("not the secret").ea_proof(&nonce, &wrong.nonce);
    wrong.send(&proof_message(proof)).await;
    let mut told = wrong.until_closed().await;
    let mut silent = Ea::connect(bridge.address).await;
    // The EA keeps its link alive meanwhile, as a real one does.
    let keep_alive = async {
        for time in 0..4 {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            ea.send(&FromEa::Ping { time }).await;
        }
    };
    let (silent_told, ()) = tokio::join!(silent.until_closed(), keep_alive);
    told.extend(silent_told);
    let mut rude = Ea::connect(bridge.address).await;
    rude.send(&FromEa::Symbols { names: vec![] }).await;
    told.extend(rude.until_closed().await);

    let told = told.join("");
    for expected in [
        "wrong secret",
        "no hello within 5 s",
        "expected hello first",
    ] {
        assert!(told.contains(expected), "{told}");
    }
    for about_the_ea in [
        ea_address.as_str(),
        "another EA",
        "already connected",
        "Some Broker",
    ] {
        assert!(!told.contains(about_the_ea), "{about_the_ea}: {told}");
    }
    // Nor did any of them touch the link.
    bridge
        .commands
        .send(BrokerCommand::Query { cid: "x".into() })
        .await
        .unwrap();
    assert!(matches!(ea.next().await, Some(FromEngine::Query { .. })));
    while let Ok(event) = bridge.events.try_recv() {
        assert!(
            !matches!(&event, BrokerEvent::Link(l) if l.state != LinkState::Synced),
            "{event:?}"
        );
    }
}

/// The probe that found the door: a local client that never says hello and sends a blank or
/// garbage line every 2 s. It is closed 5 s after it connected, whatever it sends, and while
/// it is connected the simulator connects and is welcomed on its first attempt.
#[tokio::test(start_paused = true)]
async fn a_peer_sending_garbage_is_dropped_after_5_s_and_never_holds_the_slot() {
    let _ticking = metronome();
    let (logs, _guard) = crate::telemetry::captured::capture();
    let mut bridge = start(HEARTBEAT).await;
    let mut squatter = TcpStream::connect(bridge.address).await.unwrap();
    let connected = tokio::time::Instant::now();
    let lines: [&[u8]; 3] = [b"\n", b"garbage\n", b"   \n"];
    // Chatters until the engine hangs up: when, and what it was told.
    let chatter = async {
        let mut told = Vec::new();
        let mut buf = [0u8; 1024];
        let mut lines = lines.iter().cycle();
        let mut next_line = connected;
        loop {
            tokio::select! {
                read = squatter.read(&mut buf) => match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => told.extend_from_slice(&buf[..n]),
                },
                () = tokio::time::sleep_until(next_line) => {
                    let _ = squatter.write_all(lines.next().unwrap()).await;
                    next_line += Duration::from_secs(2);
                }
            }
        }
        (
            connected.elapsed(),
            String::from_utf8_lossy(&told).to_string(),
        )
    };
    let sim = async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let sim = crate::broker::sim::SimAccount::new(
            &crate::broker::sim::SimConfig {
                seed: 1,
                balance: 10_000.0,
                leverage: 100,
                hedging: true,
            },
            crate::model::now_millis(),
        );
        let options = crate::broker::sim::ea::EaOptions {
            connect: bridge.address.to_string(),
            secret: SECRET.into(),
            tick: Duration::from_millis(100),
            ..Default::default()
        };
        let task = tokio::spawn(crate::broker::sim::ea::run(sim, options));
        let synced = loop {
            match bridge.event().await {
                BrokerEvent::Synced(_) => break tokio::time::Instant::now(),
                BrokerEvent::Link(l) => assert_ne!(l.state, LinkState::Connecting, "{l:?}"),
                _ => {}
            }
        };
        (task, synced)
    };
    let ((dropped, told), (task, synced)) = tokio::join!(chatter, sim);
    assert!(
        synced < connected + PROOF_TIME,
        "synced only after the squatter left"
    );
    assert!(
        dropped >= PROOF_TIME && dropped < PROOF_TIME + Duration::from_millis(500),
        "dropped after {dropped:?}"
    );
    assert!(told.contains("no hello within 5 s"), "{told}");
    // Its garbage was answered, and did not buy it time.
    assert!(told.contains("expected hello"), "{told}");
    let logged = logs.text();
    assert_eq!(logged.matches("connected engine=").count(), 1, "{logged}");
    assert_eq!(
        logged.matches("welcomed by the engine").count(),
        1,
        "{logged}"
    );
    assert!(
        !logged.contains("connection to the engine ended"),
        "{logged}"
    );
    task.abort();
}

/// At most 8 peers are heard at once: a ninth is closed at once, not after 5 s; once the
/// eight are dropped there is room again.
#[tokio::test(start_paused = true)]
async fn more_than_8_unproven_connections_are_closed_at_once() {
    let _ticking = metronome();
    let bridge = start(HEARTBEAT).await;
    let mut waiting = Vec::new();
    for _ in 0..8 {
        waiting.push(Ea::connect(bridge.address).await);
    }
    // Let the bridge take the eight in before the ninth comes.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = tokio::time::Instant::now();
    let mut ninth = Ea::connect(bridge.address).await;
    let told = ninth.until_closed().await.join("");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "closed after {:?}",
        started.elapsed()
    );
    assert!(
        told.contains("8 connections are proving themselves"),
        "{told}"
    );
    for mut peer in waiting {
        let told = peer.until_closed().await.join("");
        assert!(told.contains("no hello within 5 s"), "{told}");
    }
    assert!(started.elapsed() >= PROOF_TIME - Duration::from_millis(200));
    // Room again: a tenth is heard (and challenged).
    let mut tenth = Ea::connect(bridge.address).await;
    tenth.hello(PROTOCOL).await;
    assert!(matches!(
        tenth.next().await,
        Some(FromEngine::Challenge { .. })
    ));
}

/// Timers every few milliseconds: with the clock paused, tokio jumps to the next timer whenever
/// the runtime idles, even while a loopback read is about to be ready, so without these a
/// handshake's round trips could be taken for seconds of silence.
fn metronome() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
}

#[tokio::test]
async fn a_trade_with_no_ea_connected_is_answered_as_not_sent() {
    let mut bridge = start(HEARTBEAT).await;
    bridge
        .commands
        .send(BrokerCommand::Trade(gold_buy("k3x9-s9-1")))
        .await
        .unwrap();
    let answer = bridge.event().await;
    assert!(
        matches!(&answer, BrokerEvent::Result { cid, outcome: TradeOutcome::Rejected { retcode: RETCODE_NOT_SENT, message } } if cid == "k3x9-s9-1" && message.contains("no EA")),
        "{answer:?}"
    );
}

#[tokio::test]
async fn a_resync_drops_the_link_so_the_terminal_reports_everything_again() {
    let mut bridge = start(HEARTBEAT).await;
    let mut ea = Ea::connect(bridge.address).await;
    ea.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
    bridge.commands.send(BrokerCommand::Resync).await.unwrap();
    assert_eq!(ea.next().await, None, "the connection is closed");
    let lost = bridge.event().await;
    assert!(
        matches!(&lost, BrokerEvent::Disconnected { reason } if reason.contains("resync")),
        "{lost:?}"
    );
    // The EA comes back and hands over its snapshot again.
    let mut ea = Ea::connect(bridge.address).await;
    ea.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
}

/// A proof with what a terminal says it runs in.
fn proof_message(proof: String) -> FromEa {
    FromEa::Proof {
        proof,
        terminal: Terminal {
            name: "MetaTrader 5".into(),
            company: "Some Broker Ltd".into(),
            build: 4410,
            connected: true,
            trade_allowed: true,
        },
        account: account(),
    }
}
