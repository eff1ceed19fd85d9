//! The bridge server against a hand-played EA on a loopback socket.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::*;
use crate::broker::CidState;
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
}

impl Ea {
    async fn connect(address: SocketAddr) -> Ea {
        Ea {
            stream: TcpStream::connect(address).await.unwrap(),
            framer: LineFramer::default(),
            frames: Default::default(),
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
            let mut buf = [0u8; 4096];
            let n = tokio::time::timeout(WAIT, self.stream.read(&mut buf))
                .await
                .expect("the engine answers in time")
                .unwrap_or(0);
            if n == 0 {
                return None;
            }
            let mut out = Vec::new();
            self.framer.push(&buf[..n], &mut out);
            self.frames.extend(out);
        }
    }

    async fn hello(&mut self, protocol: u32, secret: &str) {
        self.send(&FromEa::Hello {
            protocol,
            secret: secret.into(),
            ea: "SignalOSBridge 1.0".into(),
            terminal: Terminal {
                name: "MetaTrader 5".into(),
                company: "Some Broker Ltd".into(),
                build: 4410,
                connected: true,
                trade_allowed: true,
            },
            account: account(),
        })
        .await;
    }

    /// The whole handshake of a terminal whose symbols carry a `.m` suffix.
    async fn handshake(&mut self, bridge: &mut Bridge, positions: Vec<Position>) {
        self.hello(PROTOCOL, SECRET).await;
        let welcome = self.next().await.unwrap();
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
            matches!(&handshaking, BrokerEvent::Link(l) if l.state == LinkState::Handshaking && l.detail.contains("Some Broker Ltd #5012345")),
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
async fn a_wrong_secret_or_protocol_is_refused_with_a_reason_the_console_shows() {
    let mut bridge = start(HEARTBEAT).await;
    for (protocol, secret, expected) in [
        (PROTOCOL, "not the secret", "wrong secret"),
        (
            PROTOCOL + 1,
            SECRET,
            "the EA speaks protocol 2, this SignalOS speaks 1",
        ),
    ] {
        let mut ea = Ea::connect(bridge.address).await;
        ea.hello(protocol, secret).await;
        let Some(FromEngine::Refused { reason }) = ea.next().await else {
            panic!("refused expected");
        };
        assert!(reason.contains(expected), "{reason}");
        assert_eq!(ea.next().await, None, "the connection is closed");
        let link = bridge.event().await;
        assert!(
            matches!(&link, BrokerEvent::Link(l) if l.state == LinkState::Connecting && l.detail.contains(expected)),
            "{link:?}"
        );
    }
    // Something that is not hello first is refused too.
    let mut ea = Ea::connect(bridge.address).await;
    ea.send(&FromEa::Ping { time: 1 }).await;
    let Some(FromEngine::Refused { reason }) = ea.next().await else {
        panic!("refused expected");
    };
    assert!(reason.contains("expected hello first"), "{reason}");
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
    ea.hello(PROTOCOL, SECRET).await;
    assert!(matches!(
        ea.next().await,
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
async fn a_second_terminal_is_refused_while_one_is_connected() {
    let mut bridge = start(HEARTBEAT).await;
    let mut first = Ea::connect(bridge.address).await;
    first.handshake(&mut bridge, vec![]).await;
    assert!(matches!(bridge.event().await, BrokerEvent::Synced(_)));
    let mut second = Ea::connect(bridge.address).await;
    let Some(FromEngine::Refused { reason }) = second.next().await else {
        panic!("the second EA is refused");
    };
    assert!(
        reason.contains("another EA is already connected"),
        "{reason}"
    );
    // The first one carries on.
    bridge
        .commands
        .send(BrokerCommand::Query { cid: "x".into() })
        .await
        .unwrap();
    assert!(matches!(first.next().await, Some(FromEngine::Query { .. })));
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
