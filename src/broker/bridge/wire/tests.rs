use super::*;
use crate::model::{OrderType, Side};

fn frames(chunks: &[&[u8]]) -> Vec<Frame> {
    let mut framer = LineFramer::default();
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk, &mut out);
    }
    out
}

fn line(s: &str) -> Frame {
    Frame::Line(s.to_string())
}

#[test]
fn lines_split_anywhere_come_out_whole() {
    assert_eq!(
        frames(&[b"{\"a\"", b":1}\n{\"b\":2}\r\n{\"c", b"\":3}\n"]),
        vec![line("{\"a\":1}"), line("{\"b\":2}"), line("{\"c\":3}")]
    );
    let mut framer = LineFramer::default();
    let mut out = Vec::new();
    framer.push(b"half a line", &mut out);
    assert!(out.is_empty());
    assert!(framer.is_mid_line());
}

#[test]
fn an_oversized_line_is_dropped_and_the_next_one_read() {
    let big = vec![b'x'; MAX_LINE + 10];
    // Delivered in pieces, as a socket would, with the good line after it.
    let (a, b) = big.split_at(MAX_LINE / 2);
    assert_eq!(
        frames(&[a, b, b"\n{\"ok\":1}\n"]),
        vec![Frame::TooLong(MAX_LINE + 10), line("{\"ok\":1}")]
    );
    // A line of exactly the limit is accepted.
    let exact = [vec![b'y'; MAX_LINE], b"\n".to_vec()].concat();
    assert_eq!(frames(&[&exact]), vec![line(&"y".repeat(MAX_LINE))]);
}

#[test]
fn a_line_that_is_not_utf8_is_reported_and_skipped() {
    assert_eq!(
        frames(&[b"\xff\xfe\n{\"ok\":1}\n"]),
        vec![Frame::NotUtf8, line("{\"ok\":1}")]
    );
}

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

fn position() -> Position {
    Position {
        ticket: 1234,
        symbol: "XAUUSD.m".into(),
        side: Side::Buy,
        volume: 0.1,
        open_price: 2350.4,
        open_time: 1_763_800_000_000,
        sl: Some(2340.0),
        tp: None,
        current_price: 2351.0,
        profit: 6.0,
        swap: -0.35,
        commission: -0.7,
        cid: "k3x9-s12-1".into(),
    }
}

#[test]
fn every_message_survives_a_round_trip() {
    let from_ea = vec![
        FromEa::Hello {
            protocol: PROTOCOL,
            nonce: "9f2c0a1b2c3d4e5f60718293a4b5c6d7".into(),
            ea: "SignalOSBridge 2.0 \"quoted\" ✓".into(),
        },
        FromEa::Proof {
            proof: "5b1e".repeat(16),
            terminal: Terminal {
                name: "MetaTrader 5".into(),
                company: "Some Broker Ltd".into(),
                build: 4410,
                connected: true,
                trade_allowed: false,
            },
            account: account(),
        },
        FromEa::Symbols {
            names: vec!["XAUUSD.m".into(), "GOLD#".into()],
        },
        FromEa::Snapshot {
            account: account(),
            positions: vec![position()],
            orders: vec![PendingOrder {
                ticket: 1240,
                symbol: "XAUUSD.m".into(),
                side: Side::Sell,
                order_type: OrderType::Limit,
                volume: 0.1,
                price: 2360.0,
                sl: None,
                tp: Some(2340.0),
                placed_at: 1_763_800_000_000,
                cid: "k3x9-s13-1".into(),
            }],
            quotes: vec![SymbolQuote {
                symbol: "XAUUSD.m".into(),
                bid: 2350.1,
                ask: 2350.4,
                time: 1,
            }],
        },
        FromEa::Tick {
            symbol: "EURUSD".into(),
            bid: 1.08512,
            ask: 1.08519,
            time: 2,
        },
        FromEa::Account {
            account: account(),
            trade_allowed: false,
            connected: true,
        },
        FromEa::Position {
            position: position(),
        },
        FromEa::PositionClosed {
            ticket: 1234,
            price: 2360.0,
            profit: 96.0,
            reason: CloseReason::TakeProfit,
            time: 3,
        },
        FromEa::OrderRemoved {
            ticket: 1240,
            reason: OrderRemoval::Filled,
        },
        FromEa::Result {
            id: 17,
            cid: "k3x9-s12-1".into(),
            outcome: TradeOutcome::Rejected {
                retcode: 10016,
                message: "invalid stops".into(),
            },
        },
        FromEa::Found {
            id: 20,
            cid: "k3x9-s12-4".into(),
            state: CidState::Absent,
            ticket: None,
            price: None,
            volume: None,
        },
        FromEa::Ping { time: 4 },
        FromEa::Error {
            reason: "bad line".into(),
        },
    ];
    for m in from_ea {
        let wire = encode(&m);
        assert!(wire.ends_with('\n') && !wire[..wire.len() - 1].contains('\n'));
        assert_eq!(decode::<FromEa>(wire.trim_end()), Ok(m));
    }
    let from_engine = vec![
        FromEngine::Challenge {
            nonce: "4d0a".repeat(8),
            proof: "c31f".repeat(16),
        },
        FromEngine::Welcome {
            protocol: PROTOCOL,
            magic: 20260,
            heartbeat_ms: 2000,
        },
        FromEngine::Refused {
            reason: "wrong secret".into(),
        },
        FromEngine::Subscribe {
            symbols: vec!["XAUUSD.m".into()],
        },
        FromEngine::Trade {
            id: 17,
            request: BrokerRequest::Close {
                cid: "k3x9-c5-1234".into(),
                ticket: 1234,
                volume: Some(0.05),
            },
        },
        FromEngine::Query {
            id: 19,
            cid: "k3x9-s12-3".into(),
        },
        FromEngine::Ping { time: 5 },
    ];
    for m in from_engine {
        assert_eq!(decode::<FromEngine>(encode(&m).trim_end()), Ok(m));
    }
}

/// Version 2 took the secret out of `hello`: it has no field for one, and a version 1 hello
/// (a secret, no nonce) is not a version 2 hello.
#[test]
fn hello_carries_a_nonce_and_no_secret() {
    let hello = FromEa::Hello {
        protocol: PROTOCOL,
        nonce: "00".repeat(16),
        ea: "SignalOSBridge 2.0".into(),
    };
    let line = encode(&hello);
    assert!(
        line.contains("\"nonce\":") && !line.contains("secret"),
        "{line}"
    );
    // Nothing of the account either: whatever listens has not proved itself yet.
    assert!(
        !line.contains("account") && !line.contains("terminal"),
        "{line}"
    );
    assert_eq!(PROTOCOL, 2);
    let version_1 = line.replacen("\"nonce\":", "\"secret\":", 1);
    assert!(decode::<FromEa>(version_1.trim_end()).is_err());
}

/// The examples in docs/bridge-protocol.md are the contract the EA is written against: every
/// complete one must read as a message of its direction.
#[test]
fn the_protocol_documents_examples_are_readable() {
    let doc = include_str!("../../../../docs/bridge-protocol.md");
    let mut checked = 0;
    let mut statement = String::new();
    for l in doc.lines() {
        let l = l.trim();
        if statement.is_empty() && !l.starts_with("{\"type\"") {
            continue;
        }
        statement.push_str(l);
        // Examples may run over two lines; one is complete when its braces balance.
        let open = statement.matches('{').count();
        if open != statement.matches('}').count() {
            continue;
        }
        let example = std::mem::take(&mut statement);
        // Placeholders stand for objects shown elsewhere in the document.
        if ["…", "{Position}", "{PendingOrder}"]
            .iter()
            .any(|p| example.contains(p))
        {
            continue;
        }
        let ea = decode::<FromEa>(&example);
        let engine = decode::<FromEngine>(&example);
        assert!(
            ea.is_ok() || engine.is_ok(),
            "{example}\n  as EA message: {ea:?}\n  as engine message: {engine:?}"
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} examples found");
}

#[test]
fn an_unreadable_line_is_quoted_in_the_error() {
    let err = decode::<FromEa>("{\"type\":\"tick\",\"symbol\":1}").unwrap_err();
    assert!(err.contains("unreadable message"), "{err}");
    assert!(err.contains("\"symbol\":1"), "{err}");
    let err = decode::<FromEngine>(&"z".repeat(500)).unwrap_err();
    assert!(err.ends_with('…') && err.len() < 300, "{err}");
}

#[test]
fn return_codes_read_as_words() {
    assert!(retcode_message(10027).unwrap().contains("Algo Trading"));
    assert_eq!(retcode_message(10019), Some("not enough money"));
    assert_eq!(retcode_message(1), None);
}
