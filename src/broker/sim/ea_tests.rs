// Tests state their expectations by unwrapping: a panic here is a failed check.
#![allow(clippy::unwrap_used)]

//! The simulated EA against an engine played by hand on a loopback socket.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::task::JoinHandle;
use tokio::time::timeout;

use super::*;
use crate::broker::bridge::auth::{self, Key};
use crate::broker::sim::{RecordEntry, SimConfig, TradeRecord};
use crate::broker::{CidState, TradeOutcome};
use crate::model::{OrderType, Side};

/// Long enough for anything that should happen, on a loaded machine too; a test that waits this
/// long has failed.
const PATIENCE: Duration = Duration::from_secs(30);
/// The heartbeat the test engine asks for: the simulator leaves after three of silence, so a test
/// that pauses longer than that on a busy machine would lose its connection.
const HEARTBEAT_MS: u64 = 1000;
/// The secret the simulator is given.
const SECRET: &str = "s3cret";

fn sim(hedging: bool) -> SimAccount {
    let config = SimConfig {
        seed: 7,
        balance: 10_000.0,
        leverage: 100,
        hedging,
    };
    SimAccount::new(&config, now_millis())
}

/// The simulator, its engine-side listener and its files.
struct Rig {
    listener: TcpListener,
    task: JoinHandle<anyhow::Result<()>>,
    dir: tempfile::TempDir,
}

impl Rig {
    async fn start(faults: &[&str]) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        Rig::start_with(sim(true), faults, dir).await
    }

    async fn start_with(sim: SimAccount, faults: &[&str], dir: tempfile::TempDir) -> Rig {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let options = EaOptions {
            connect: listener.local_addr().unwrap().to_string(),
            secret: SECRET.to_string(),
            tick: Duration::from_millis(20),
            faults: faults.iter().map(|f| f.parse().unwrap()).collect(),
            trade_log: Some(dir.path().join("trades.jsonl")),
            state_file: Some(dir.path().join("state.json")),
            seed: 3,
            backoff_cap: Duration::from_secs(1),
        };
        let task = tokio::spawn(run(sim, options));
        Rig {
            listener,
            task,
            dir,
        }
    }

    async fn accept(&self) -> Engine {
        let (stream, _) = timeout(PATIENCE, self.listener.accept())
            .await
            .expect("the simulator did not connect")
            .unwrap();
        let (reader, writer) = stream.into_split();
        Engine {
            reader,
            writer,
            framer: LineFramer::default(),
            frames: VecDeque::new(),
            ea_nonce: String::new(),
        }
    }

    fn trade_log(&self) -> Vec<TradeRecord> {
        read_log(&self.dir.path().join("trades.jsonl"))
    }

    /// Stop the simulator as a kill would, and keep its files.
    fn kill(self) -> tempfile::TempDir {
        self.task.abort();
        self.dir
    }
}

fn read_log(path: &Path) -> Vec<TradeRecord> {
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn ins(log: &[TradeRecord], cid: &str) -> usize {
    log.iter()
        .filter(|r| r.cid == cid && r.entry == RecordEntry::In)
        .count()
}

/// The engine's end of one connection.
struct Engine {
    reader: OwnedReadHalf,
    writer: OwnedWriteHalf,
    framer: LineFramer,
    frames: VecDeque<Frame>,
    /// The nonce of the simulator's hello.
    ea_nonce: String,
}

impl Engine {
    /// The next line, or `None` when the simulator closed the connection.
    async fn frame(&mut self) -> Option<Frame> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if let Some(frame) = self.frames.pop_front() {
                return Some(frame);
            }
            let n = timeout(PATIENCE, self.reader.read(&mut buf))
                .await
                .expect("the simulator went quiet")
                .unwrap_or(0);
            if n == 0 {
                return None;
            }
            let mut out = Vec::new();
            self.framer.push(&buf[..n], &mut out);
            self.frames.extend(out);
        }
    }

    /// The next message, whatever it is.
    async fn any(&mut self) -> FromEa {
        let message = match self.frame().await.expect("the simulator hung up") {
            Frame::Line(line) => wire::decode(&line).unwrap(),
            other => panic!("expected a message, got {other:?}"),
        };
        if let FromEa::Hello { nonce, .. } = &message {
            self.ea_nonce = nonce.clone();
        }
        message
    }

    /// The next message that is not a tick, an account update or a ping.
    async fn next(&mut self) -> FromEa {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(
                Instant::now() < deadline,
                "only ticks and pings for {PATIENCE:?}"
            );
            match self.any().await {
                FromEa::Tick { .. } | FromEa::Account { .. } | FromEa::Ping { .. } => {}
                message => return message,
            }
        }
    }

    /// Messages up to the end of the connection.
    async fn until_closed(&mut self) -> Vec<FromEa> {
        let mut seen = Vec::new();
        while let Some(frame) = self.frame().await {
            if let Frame::Line(line) = frame {
                seen.push(wire::decode(&line).unwrap());
            }
        }
        seen
    }

    async fn send(&mut self, message: &FromEngine) {
        self.raw(wire::encode(message).as_bytes()).await;
    }

    async fn raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
    }

    /// The engine's half of the challenge-response, after the simulator's hello: a challenge
    /// with the right proof, the simulator's proof checked (bad lines of the garbage fault
    /// skipped), then welcome.
    /// Challenge, proof, welcome: what the simulator said it runs in, with its proof.
    async fn welcome(&mut self) -> (Terminal, crate::model::Account) {
        let nonce = auth::nonce().unwrap();
        let proof = Key::new(SECRET).engine_proof(&self.ea_nonce, &nonce);
        let challenge = FromEngine::Challenge {
            nonce: nonce.clone(),
            proof,
        };
        self.send(&challenge).await;
        let (proof, runs) = loop {
            let frame = self.frame().await.expect("the simulator hung up, no proof");
            let Frame::Line(line) = frame else { continue };
            match wire::decode::<FromEa>(&line) {
                Ok(FromEa::Proof {
                    proof,
                    terminal,
                    account,
                }) => break (proof, (terminal, account)),
                Ok(FromEa::Ping { .. }) | Err(_) => {}
                Ok(other) => panic!("expected proof, got {other:?}"),
            }
        };
        assert!(
            Key::new(SECRET).is_ea_proof(&nonce, &self.ea_nonce, &proof),
            "the simulator's proof"
        );
        let welcome = FromEngine::Welcome {
            protocol: PROTOCOL,
            magic: 20260,
            heartbeat_ms: HEARTBEAT_MS,
        };
        self.send(&welcome).await;
        runs
    }

    /// hello → welcome → symbols → subscribe → specs → snapshot; the snapshot's book.
    async fn handshake(
        &mut self,
    ) -> (Vec<crate::model::Position>, Vec<crate::model::PendingOrder>) {
        assert!(matches!(self.next().await, FromEa::Hello { .. }));
        self.welcome().await;
        assert!(matches!(self.next().await, FromEa::Symbols { .. }));
        self.subscribe(&["XAUUSD"]).await;
        assert!(matches!(self.next().await, FromEa::Specs { .. }));
        match self.next().await {
            FromEa::Snapshot {
                positions, orders, ..
            } => (positions, orders),
            other => panic!("expected the snapshot, got {other:?}"),
        }
    }

    async fn subscribe(&mut self, symbols: &[&str]) {
        let symbols = symbols.iter().map(ToString::to_string).collect();
        self.send(&FromEngine::Subscribe { symbols }).await;
    }

    async fn trade(&mut self, id: u64, request: BrokerRequest) {
        self.send(&FromEngine::Trade { id, request }).await;
    }

    async fn query(&mut self, id: u64, cid: &str) -> (CidState, Option<u64>) {
        let cid = cid.to_string();
        self.send(&FromEngine::Query {
            id,
            cid: cid.clone(),
        })
        .await;
        match self.next().await {
            FromEa::Found {
                id: got,
                cid: of,
                state,
                ticket,
                ..
            } => {
                assert_eq!((got, &of), (id, &cid));
                (state, ticket)
            }
            other => panic!("expected found, got {other:?}"),
        }
    }

    /// The result of trade `id`, skipping anything else.
    async fn result(&mut self, id: u64) -> TradeOutcome {
        let deadline = Instant::now() + PATIENCE;
        loop {
            assert!(Instant::now() < deadline, "no result {id} in {PATIENCE:?}");
            if let FromEa::Result {
                id: got, outcome, ..
            } = self.next().await
                && got == id
            {
                return outcome;
            }
        }
    }
}

fn buy(cid: &str) -> BrokerRequest {
    BrokerRequest::Place {
        cid: cid.to_string(),
        symbol: "XAUUSD".to_string(),
        side: Side::Buy,
        order_type: OrderType::Market,
        volume: 0.1,
        price: None,
        sl: None,
        tp: None,
    }
}

fn buy_limit(cid: &str, price: f64) -> BrokerRequest {
    let mut request = buy(cid);
    if let BrokerRequest::Place {
        order_type,
        price: at,
        ..
    } = &mut request
    {
        *order_type = OrderType::Limit;
        *at = Some(price);
    }
    request
}

fn done_ticket(outcome: &TradeOutcome) -> u64 {
    match outcome {
        TradeOutcome::Done { ticket, .. } => *ticket,
        other => panic!("expected done, got {other:?}"),
    }
}

#[tokio::test]
async fn the_handshake_goes_hello_challenge_proof_welcome_symbols_subscribe_specs_snapshot() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    match engine.any().await {
        FromEa::Hello {
            protocol,
            nonce,
            ea,
        } => {
            assert_eq!(protocol, PROTOCOL);
            assert!(auth::is_nonce(&nonce), "{nonce}");
            assert!(ea.starts_with("SignalOS simulator "), "{ea}");
        }
        other => panic!("expected hello first, got {other:?}"),
    }
    // The terminal and the account only go with the proof, to an engine that proved itself.
    let (terminal, account) = engine.welcome().await;
    assert_eq!(terminal.name, "SignalOS simulator");
    assert!(terminal.connected && terminal.trade_allowed);
    assert_eq!(account.balance, 10_000.0);
    match engine.next().await {
        FromEa::Symbols { names } => {
            assert!(names.contains(&"XAUUSD".to_string()));
            assert!(names.contains(&"EURUSD".to_string()));
        }
        other => panic!("expected symbols, got {other:?}"),
    }
    engine.subscribe(&["XAUUSD", "NOSUCH"]).await;
    match engine.next().await {
        FromEa::Specs { specs } => {
            let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["XAUUSD"]);
        }
        other => panic!("expected specs, got {other:?}"),
    }
    match engine.next().await {
        FromEa::Snapshot {
            positions,
            orders,
            quotes,
            ..
        } => {
            assert!(positions.is_empty() && orders.is_empty());
            let symbols: Vec<_> = quotes.iter().map(|q| q.symbol.as_str()).collect();
            assert_eq!(symbols, ["XAUUSD"]);
        }
        other => panic!("expected the snapshot, got {other:?}"),
    }
    // Ticks stream for the subscribed symbol only.
    for _ in 0..3 {
        match engine.any().await {
            FromEa::Tick { symbol, .. } => assert_eq!(symbol, "XAUUSD"),
            FromEa::Account { .. } | FromEa::Ping { .. } => {}
            other => panic!("expected streaming, got {other:?}"),
        }
    }
    rig.kill();
}

#[tokio::test]
async fn a_result_comes_before_its_position_and_a_repeated_cid_is_not_executed_again() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("k-1")).await;
    let FromEa::Result {
        id: 1,
        cid,
        outcome,
    } = engine.next().await
    else {
        panic!("expected the result first");
    };
    assert_eq!(cid, "k-1");
    let ticket = done_ticket(&outcome);
    match engine.next().await {
        FromEa::Position { position } => assert_eq!(position.ticket, ticket),
        other => panic!("expected the position after the result, got {other:?}"),
    }
    engine.trade(2, buy("k-1")).await;
    assert_eq!(engine.result(2).await, outcome);
    engine.trade(3, buy("k-2")).await;
    let second = done_ticket(&engine.result(3).await);
    assert_ne!(second, ticket);
    let log = rig.trade_log();
    assert_eq!(ins(&log, "k-1"), 1, "{log:?}");
    assert_eq!(ins(&log, "k-2"), 1, "{log:?}");
    rig.kill();
}

#[tokio::test]
async fn query_finds_positions_orders_deals_and_absences() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("open")).await;
    let open = done_ticket(&engine.result(1).await);
    engine.trade(2, buy_limit("limit", 3000.0)).await;
    let limit = done_ticket(&engine.result(2).await);
    engine.trade(3, buy("closed")).await;
    let closed = done_ticket(&engine.result(3).await);
    let close = BrokerRequest::Close {
        cid: "closer".to_string(),
        ticket: closed,
        volume: None,
    };
    engine.trade(4, close).await;
    done_ticket(&engine.result(4).await);
    let mut bad = buy("refused");
    if let BrokerRequest::Place { volume, .. } = &mut bad {
        *volume = 0.001;
    }
    engine.trade(5, bad).await;
    assert!(matches!(
        engine.result(5).await,
        TradeOutcome::Rejected { retcode: 10014, .. }
    ));

    assert_eq!(
        engine.query(6, "open").await,
        (CidState::Position, Some(open))
    );
    assert_eq!(
        engine.query(7, "limit").await,
        (CidState::Order, Some(limit))
    );
    assert_eq!(
        engine.query(8, "closed").await,
        (CidState::Deal, Some(closed))
    );
    assert_eq!(engine.query(9, "refused").await, (CidState::Absent, None));
    assert_eq!(engine.query(10, "never").await, (CidState::Absent, None));
    rig.kill();
}

/// Whatever listens must prove it knows the secret before the simulator proves it does: a
/// wrong proof, one that is not even hex, or a welcome with no challenge at all get no proof and
/// no symbols, and the connection is closed, with the reason in the log. Nothing the simulator
/// sends or logs holds the secret.
#[tokio::test]
async fn the_simulator_sends_no_proof_to_a_listener_that_cannot_prove_the_secret() {
    let (logs, _guard) = crate::telemetry::captured::capture();
    let rig = Rig::start(&[]).await;
    let mut nonces = Vec::new();
    for listener_does in ["another secret", "no hex", "no challenge"] {
        let mut listener = rig.accept().await;
        let FromEa::Hello { nonce, .. } = listener.next().await else {
            panic!("hello expected");
        };
        let its_nonce = "1".repeat(32);
        let answer = match listener_does {
            "another secret" => FromEngine::Challenge {
                proof: Key::new("not the secret").engine_proof(&nonce, &its_nonce),
                nonce: its_nonce,
            },
            "no hex" => FromEngine::Challenge {
                nonce: its_nonce,
                proof: "zz".repeat(32),
            },
            _ => FromEngine::Welcome {
                protocol: PROTOCOL,
                magic: 20260,
                heartbeat_ms: HEARTBEAT_MS,
            },
        };
        listener.send(&answer).await;
        listener
            .send(&FromEngine::Subscribe {
                symbols: vec!["XAUUSD".into()],
            })
            .await;
        let mut sent = Vec::new();
        while let Some(frame) = listener.frame().await {
            let Frame::Line(line) = frame else {
                panic!("{frame:?}")
            };
            sent.push(line);
        }
        for line in &sent {
            assert!(!line.contains(SECRET), "{line}");
            let message = wire::decode::<FromEa>(line).unwrap();
            assert!(
                matches!(message, FromEa::Ping { .. } | FromEa::Error { .. }),
                "sent to a listener that did not prove itself: {line}"
            );
        }
        nonces.push(nonce);
    }
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a fresh nonce for each connection");
    let logged = logs.text();
    assert_eq!(
        logged
            .matches(&format!(
                "the listener at {} could not prove it knows the secret: not SignalOS, or another secret",
                rig.listener.local_addr().unwrap()
            ))
            .count(),
        // Logged as a warning, and again as why the connection ended.
        6,
        "{logged}"
    );
    assert!(!logged.contains(SECRET), "{logged}");
    rig.kill();
}

#[tokio::test]
async fn a_refused_hello_is_retried_soon() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    assert!(matches!(engine.next().await, FromEa::Hello { .. }));
    let refused = FromEngine::Refused {
        reason: "wrong secret".to_string(),
    };
    engine.send(&refused).await;
    assert!(engine.until_closed().await.is_empty());
    let mut again = rig.accept().await;
    assert!(matches!(again.next().await, FromEa::Hello { .. }));
    rig.kill();
}

#[tokio::test]
async fn the_simulator_pings_when_quiet_and_leaves_a_silent_engine() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    assert!(matches!(engine.next().await, FromEa::Hello { .. }));
    engine.welcome().await;
    assert!(matches!(engine.next().await, FromEa::Symbols { .. }));
    // Nothing subscribed and no position: only pings keep the link alive.
    engine.subscribe(&[]).await;
    let started = Instant::now();
    let seen = engine.until_closed().await;
    let silent = started.elapsed();
    assert!(
        seen.iter().any(|m| matches!(m, FromEa::Ping { .. })),
        "{seen:?}"
    );
    let limit = Duration::from_millis(HEARTBEAT_MS * 3);
    assert!(
        // Not before the limit; how long after it depends on a busy machine's scheduling.
        silent >= limit - Duration::from_millis(50),
        "{silent:?}"
    );
    // And it comes back.
    let mut again = rig.accept().await;
    assert!(matches!(again.next().await, FromEa::Hello { .. }));
    rig.kill();
}

#[tokio::test]
async fn bad_lines_from_the_engine_are_answered_with_errors_and_survived() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.raw(b"not json\n").await;
    engine.raw(b"{\"type\":\"teleport\"}\n").await;
    engine.raw(&[0xff, 0xfe, b'\n']).await;
    let mut long = vec![b'x'; MAX_LINE + 10];
    long.push(b'\n');
    engine.raw(&long).await;
    let mut errors = Vec::new();
    let deadline = Instant::now() + PATIENCE;
    while errors.len() < 4 {
        assert!(Instant::now() < deadline, "errors so far: {errors:?}");
        if let FromEa::Error { reason } = engine.next().await {
            errors.push(reason);
        }
    }
    assert!(errors[3].contains("limit"), "{errors:?}");
    assert_eq!(engine.query(1, "nothing").await, (CidState::Absent, None));
    rig.kill();
}

#[tokio::test]
async fn drop_after_closes_the_connection_after_n_messages() {
    // Hello and proof are the first two.
    let rig = Rig::start(&["drop-after:4"]).await;
    let mut engine = rig.accept().await;
    assert!(matches!(engine.next().await, FromEa::Hello { .. }));
    engine.welcome().await;
    engine.subscribe(&["XAUUSD"]).await;
    let seen = engine.until_closed().await;
    assert!(
        matches!(
            seen.as_slice(),
            [FromEa::Symbols { .. }, FromEa::Specs { .. }]
        ),
        "{seen:?}"
    );
    // Counted anew on the next connection.
    let mut again = rig.accept().await;
    assert!(matches!(again.next().await, FromEa::Hello { .. }));
    rig.kill();
}

#[tokio::test]
async fn execute_then_drop_executes_and_hangs_up_without_the_result() {
    let rig = Rig::start(&["execute-then-drop:2"]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("first")).await;
    done_ticket(&engine.result(1).await);
    engine.trade(2, buy("second")).await;
    let seen = engine.until_closed().await;
    assert!(
        !seen.iter().any(|m| matches!(m, FromEa::Result { .. })),
        "{seen:?}"
    );
    assert_eq!(ins(&rig.trade_log(), "second"), 1);
    let mut again = rig.accept().await;
    let (positions, _) = again.handshake().await;
    assert_eq!(positions.len(), 2);
    let (state, _) = again.query(1, "second").await;
    assert_eq!(state, CidState::Position);
    rig.kill();
}

#[tokio::test]
async fn reject_refuses_without_executing_and_keeps_its_answer() {
    let rig = Rig::start(&["reject:10019:2"]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("ok")).await;
    done_ticket(&engine.result(1).await);
    engine.trade(2, buy("no-money")).await;
    let rejected = engine.result(2).await;
    assert_eq!(
        rejected,
        TradeOutcome::Rejected {
            retcode: 10019,
            message: "not enough money".to_string()
        }
    );
    // A repeat is not the next trade: it gets the same answer.
    engine.trade(3, buy("no-money")).await;
    assert_eq!(engine.result(3).await, rejected);
    assert_eq!(engine.query(4, "no-money").await, (CidState::Absent, None));
    engine.trade(5, buy("third")).await;
    done_ticket(&engine.result(5).await);
    let log = rig.trade_log();
    assert_eq!(ins(&log, "no-money"), 0, "{log:?}");
    assert_eq!(ins(&log, "ok") + ins(&log, "third"), 2, "{log:?}");
    rig.kill();
}

#[tokio::test]
async fn duplicate_sends_results_and_events_twice() {
    let rig = Rig::start(&["duplicate"]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("twice")).await;
    let first = engine.next().await;
    assert!(matches!(first, FromEa::Result { id: 1, .. }));
    assert_eq!(engine.next().await, first);
    let position = engine.next().await;
    assert!(matches!(position, FromEa::Position { .. }));
    assert_eq!(engine.next().await, position);
    assert_eq!(ins(&rig.trade_log(), "twice"), 1);
    rig.kill();
}

#[tokio::test]
async fn delay_holds_replies_back_while_events_flow() {
    let rig = Rig::start(&["delay:300"]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    let sent = Instant::now();
    engine.trade(1, buy("late")).await;
    assert!(matches!(engine.next().await, FromEa::Position { .. }));
    assert!(matches!(engine.next().await, FromEa::Result { id: 1, .. }));
    assert!(sent.elapsed() >= Duration::from_millis(300));
    let asked = Instant::now();
    assert_eq!(engine.query(2, "late").await.0, CidState::Position);
    assert!(asked.elapsed() >= Duration::from_millis(300));
    rig.kill();
}

#[tokio::test]
async fn garbage_sends_every_kind_of_bad_line() {
    let rig = Rig::start(&["garbage:1"]).await;
    let mut engine = rig.accept().await;
    assert!(matches!(engine.next().await, FromEa::Hello { .. }));
    engine.welcome().await;
    engine.subscribe(&["XAUUSD"]).await;
    let (mut invalid, mut unknown, mut not_utf8, mut too_long, mut good) = (0, 0, 0, 0, 0);
    let deadline = Instant::now() + PATIENCE;
    while too_long == 0 {
        assert!(
            Instant::now() < deadline,
            "no long garbage line in {PATIENCE:?}"
        );
        match engine.frame().await.expect("connection kept") {
            Frame::Line(line) => match wire::decode::<FromEa>(&line) {
                Ok(_) => good += 1,
                Err(_) if serde_json::from_str::<serde_json::Value>(&line).is_ok() => unknown += 1,
                Err(_) => invalid += 1,
            },
            Frame::NotUtf8 => not_utf8 += 1,
            Frame::TooLong(n) => {
                assert!(n > MAX_LINE);
                too_long += 1;
            }
        }
    }
    // Every message was followed by one garbage line, the one after hello skipped here while
    // waiting for the proof; the tenth (after hello, proof and eight more messages) was the long
    // one.
    assert_eq!((invalid, unknown, not_utf8, good), (2, 3, 3, 8));
    rig.kill();
}

#[tokio::test]
async fn a_restarted_simulator_keeps_its_book_and_its_answers() {
    let rig = Rig::start(&[]).await;
    let mut engine = rig.accept().await;
    engine.handshake().await;
    engine.trade(1, buy("kept")).await;
    let ticket = done_ticket(&engine.result(1).await);
    let dir = rig.kill();
    let state = dir.path().join("state.json");
    let config = SimConfig {
        seed: 7,
        balance: 10_000.0,
        leverage: 100,
        hedging: true,
    };
    let reloaded = super::super::load_or_new(&config, &state, now_millis()).unwrap();
    let rig = Rig::start_with(reloaded, &[], dir).await;
    let mut engine = rig.accept().await;
    let (positions, _) = engine.handshake().await;
    assert_eq!(
        positions.iter().map(|p| p.ticket).collect::<Vec<_>>(),
        [ticket]
    );
    engine.trade(2, buy("kept")).await;
    assert_eq!(done_ticket(&engine.result(2).await), ticket);
    assert_eq!(ins(&rig.trade_log(), "kept"), 1);
    rig.kill();
}

#[test]
fn the_backoff_is_quick_then_doubles_up_to_the_cap() {
    let mut backoff = Backoff {
        failures: 0,
        cap: Duration::from_secs(15),
    };
    let waits: Vec<u64> = (0..7).map(|_| backoff.next().as_millis() as u64).collect();
    assert_eq!(waits, [100, 1000, 2000, 4000, 8000, 15000, 15000]);
}

#[test]
fn a_record_written_before_a_crash_is_not_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("log.jsonl");
    let mut sim = sim(true);
    sim.handle(&buy("a"), now_millis());
    sim.handle(&buy("b"), now_millis());
    let records = sim.take_records();
    assert_eq!(records.len(), 2);
    // "a" reached the log, then the simulator died before saving the account again.
    let mut log = TradeLog::open(Some(&path), &[]).unwrap();
    log.append(&records[..1]);
    TradeLog::open(Some(&path), &records).unwrap();
    let written = read_log(&path);
    assert_eq!(written, records);
}

#[path = "ea_v2_tests.rs"]
mod v2;
