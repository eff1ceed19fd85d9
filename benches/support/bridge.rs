//! An engine and its bridge on a loopback port, with an EA played by hand: what the bridge and
//! relay benchmarks time a signal's way to the wire with. Include it with
//! `#[path = "support/bridge.rs"] mod bridge;`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use signalos::api::RawMessage;
use signalos::broker::bridge::auth;
use signalos::broker::bridge::server::{BridgeConfig, serve};
use signalos::broker::bridge::wire::{
    self, Frame, FromEa, FromEngine, LineFramer, SymbolQuote, Terminal,
};
use signalos::broker::sim::{self, SimAccount, SimConfig};
use signalos::broker::{BrokerEvent, TradeOutcome};
use signalos::engine::{self, EngineHandle, Input, Replica};
use signalos::model::{LinkState, now_millis};
use signalos::parse::{Aliases, Words};
use signalos::store::Journal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

/// The bridge's secret: the hand-played EA proves it, and the bridge bench's simulator too.
pub const SECRET: &str = "benchmark secret";

/// p50, p99 and max of a set of timings.
pub struct Summary {
    pub n: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Summary {
    pub fn of(mut times: Vec<Duration>) -> Summary {
        times.sort_unstable();
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        Summary {
            n: times.len(),
            p50: at(0.50),
            p99: at(0.99),
            max: times[times.len() - 1],
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "n={} p50 {:?}  p99 {:?}  max {:?}",
            self.n, self.p50, self.p99, self.max
        )
    }
}

pub fn engine_config() -> signalos::engine::Rules {
    let config = signalos::config::load(None, &[]).expect("defaults").config;
    let mut rules = signalos::engine::Rules::of(&config);
    rules.risk.lots = 0.01;
    rules.risk.max_legs = 1;
    // The same signal, over and over.
    rules.guards.duplicate_window_secs = 0;
    rules
}

/// An engine on `journal` and its bridge on a loopback port.
pub async fn engine_on(
    journal: Journal,
) -> (EngineHandle, std::net::SocketAddr, Vec<JoinHandle<()>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let address = listener.local_addr().expect("an address");
    let (commands_tx, commands_rx) = mpsc::channel(1024);
    let (events_tx, events_rx) = mpsc::channel::<BrokerEvent>(4096);
    let (engine, engine_task) = engine::spawn(
        engine_config(),
        Aliases::default(),
        Words::default(),
        journal,
        commands_tx,
    )
    .expect("an engine");
    let bridge = tokio::spawn(serve(
        listener,
        BridgeConfig {
            secret: SECRET.into(),
            magic: 1,
            heartbeat: Duration::from_secs(2),
            overrides: BTreeMap::new(),
            aliases: Aliases::default(),
        },
        commands_rx,
        events_tx,
    ));
    let forwarder = engine.forward_broker_events(events_rx);
    (engine, address, vec![engine_task, bridge, forwarder])
}

/// Signal number `id`: buy gold now, around `ask`.
pub fn message(id: i64, ask: f64) -> Input {
    Input::Message(RawMessage {
        source: "bench".into(),
        chat: "vip".into(),
        id,
        text: format!("XAUUSD BUY NOW SL {:.2} TP {:.2}", ask - 20.0, ask + 20.0),
        reply_to: None,
        edit: 0,
        received_at: now_millis(),
        sent_at: None,
        edited_at: None,
    })
}

pub async fn wait_synced(engine: &EngineHandle) -> Replica {
    let mut replica = Replica::subscribe(engine).await.expect("subscribed");
    while !replica
        .state
        .links
        .get("broker")
        .is_some_and(|l| l.state == LinkState::Synced)
    {
        replica.changed(engine).await.expect("the engine runs");
    }
    replica
}

/// A hand-played EA, connected and handshaken with the simulator's symbols: it reads `trade`
/// lines and answers each "no money", so that the book stays empty.
pub struct HandPlayedEa {
    reader: OwnedReadHalf,
    /// Shared with the ticker, if any, so that lines never interleave.
    writer: Arc<Mutex<OwnedWriteHalf>>,
    framer: LineFramer,
    frames: Vec<Frame>,
    buf: Vec<u8>,
    /// Gold's ask in the snapshot it sent.
    pub ask: f64,
    ticker: Option<JoinHandle<()>>,
}

impl HandPlayedEa {
    /// Connect to the bridge at `address`; with `ticks`, it also sends that many quotes a second
    /// (round robin over the symbols, each a hair off its opening price, so each one is a change).
    pub async fn connect(
        engine: &EngineHandle,
        address: std::net::SocketAddr,
        ticks: Option<u32>,
    ) -> HandPlayedEa {
        let sim = SimAccount::new(
            &SimConfig {
                seed: 1,
                balance: 10_000.0,
                leverage: 100,
                hedging: true,
            },
            now_millis(),
        );
        let ask = sim.quote("XAUUSD").expect("gold").ask;
        let ea = TcpStream::connect(address).await.expect("connected");
        ea.set_nodelay(true).expect("nodelay");
        let send = |m: FromEa| wire::encode(&m);
        let (mut reader, mut writer) = ea.into_split();
        let nonce = auth::nonce().expect("a nonce");
        let hello = send(FromEa::Hello {
            protocol: wire::PROTOCOL,
            nonce: nonce.clone(),
            ea: "bench".into(),
        });
        writer
            .write_all(hello.as_bytes())
            .await
            .expect("hello sent");
        let mut framer = LineFramer::default();
        let mut frames = Vec::new();
        let mut buf = vec![0u8; 64 * 1024];
        let engine_nonce = 'challenge: loop {
            let n = reader.read(&mut buf).await.expect("read");
            assert!(n > 0, "the engine hung up before its challenge");
            framer.push(&buf[..n], &mut frames);
            for frame in frames.drain(..) {
                if let Frame::Line(line) = frame
                    && let Ok(FromEngine::Challenge { nonce, .. }) = wire::decode(&line)
                {
                    break 'challenge nonce;
                }
            }
        };
        // The rest of the handshake in one write: the engine reads it once it has welcomed.
        let mut out = send(FromEa::Proof {
            proof: auth::Key::new(SECRET).ea_proof(&engine_nonce, &nonce),
            terminal: Terminal {
                name: "bench".into(),
                company: "bench".into(),
                build: 1,
                connected: true,
                trade_allowed: true,
            },
            account: sim.account().clone(),
        });
        out += &send(FromEa::Symbols {
            names: sim::default_symbols().into_iter().map(|s| s.name).collect(),
        });
        out += &send(FromEa::Specs {
            specs: sim::default_symbols(),
        });
        let quotes: Vec<SymbolQuote> = sim::default_symbols()
            .into_iter()
            .filter_map(|s| {
                let q = sim.quote(&s.name)?;
                Some(SymbolQuote {
                    symbol: s.name,
                    bid: q.bid,
                    ask: q.ask,
                    time: q.time,
                })
            })
            .collect();
        out += &send(FromEa::Snapshot {
            account: sim.account().clone(),
            positions: vec![],
            orders: vec![],
            quotes: quotes.clone(),
        });
        writer
            .write_all(out.as_bytes())
            .await
            .expect("handshake sent");
        let _replica = wait_synced(engine).await;
        let writer = Arc::new(Mutex::new(writer));
        let ticker = ticks.map(|per_second| tokio::spawn(tick(writer.clone(), quotes, per_second)));
        HandPlayedEa {
            reader,
            writer,
            framer,
            frames,
            buf,
            ask,
            ticker,
        }
    }

    /// The next `trade` line: when it was read, and its cid. It is answered after the stamp.
    pub async fn next_trade(&mut self) -> (Instant, String) {
        let (at, id, cid) = 'read: loop {
            let n = self.reader.read(&mut self.buf).await.expect("read");
            assert!(n > 0, "the engine hung up");
            let at = Instant::now();
            self.framer.push(&self.buf[..n], &mut self.frames);
            for frame in self.frames.drain(..) {
                if let Frame::Line(line) = frame
                    && let Ok(FromEngine::Trade { id, request }) = wire::decode(&line)
                {
                    break 'read (at, id, request.cid().to_string());
                }
            }
        };
        self.frames.clear();
        let answer = wire::encode(&FromEa::Result {
            id,
            cid: cid.clone(),
            outcome: TradeOutcome::Rejected {
                retcode: 10019,
                message: String::new(),
            },
        });
        self.writer
            .lock()
            .await
            .write_all(answer.as_bytes())
            .await
            .expect("answered");
        (at, cid)
    }
}

impl Drop for HandPlayedEa {
    fn drop(&mut self) {
        if let Some(ticker) = &self.ticker {
            ticker.abort();
        }
    }
}

/// `per_second` quotes a second, one symbol at a time, each moved a basis point up or down from its
/// opening price in turn: small enough that a signal priced on the opening ask stays valid.
async fn tick(writer: Arc<Mutex<OwnedWriteHalf>>, quotes: Vec<SymbolQuote>, per_second: u32) {
    let mut clock = tokio::time::interval(Duration::from_secs(1) / per_second.max(1));
    clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for n in 0usize.. {
        clock.tick().await;
        let q = &quotes[n % quotes.len()];
        let point = q.ask
            * 1e-4
            * if (n / quotes.len()) % 2 == 0 {
                1.0
            } else {
                -1.0
            };
        let line = wire::encode(&FromEa::Tick {
            symbol: q.symbol.clone(),
            bid: q.bid + point,
            ask: q.ask + point,
            time: now_millis(),
        });
        if writer
            .lock()
            .await
            .write_all(line.as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

pub async fn stop(engine: EngineHandle, tasks: Vec<JoinHandle<()>>) {
    let _ = engine.shutdown().await;
    for task in tasks {
        task.abort();
    }
}
