//! How the relay holds up under many viewers, and whether they slow the engine down.
//!
//! `cargo bench --bench relay` starts, in this process, an engine on a tmpfs journal, its bridge
//! with a hand-played EA quoting [`RATE`] times a second (so the engine publishes a steady stream
//! of changes), and the relay on a loopback port with the shipped `[relay]` settings. Viewers
//! come from this same binary run again as a second process (`SIGNALOS_BENCH_ROLE=viewers`): one
//! thread holding N WebSocket connections, each subscribed to everything; it times every event
//! from the engine's stamp (`at`, wall clock, whole milliseconds) to its receipt, and keeps only a
//! histogram. Two processes because 10,000 connections need 20,000 descriptors on loopback and a
//! process may hold 20,000 here; and so that the server's CPU and memory are its own.
//!
//! For 1, 100, 1,000, then more viewers until p99 reaches 100 ms or connections fail: after a
//! warm-up, a window of [`WINDOW`] in which it measures event → viewer latency, the server's CPU
//! (this process: engine, bridge, EA and relay) and the generator's, and the server's resident
//! memory above what it held before any viewer, per viewer. Also signal → wire (as
//! benches/bridge.rs times it), paced, with no viewer and with 1,000.
//!
//! Knobs, for exploring: `SIGNALOS_BENCH_RATE` (quotes a second), `SIGNALOS_BENCH_STEPS`
//! (viewer counts, comma-separated), `SIGNALOS_BENCH_WINDOW` (seconds),
//! `SIGNALOS_BENCH_GENERATOR_NICE` (the viewers' process's nice value) and
//! `SIGNALOS_BENCH_GENERATOR_IDLE=1` (the viewers' process in the idle scheduling class: a
//! stand-in for viewers on other machines). The relay runs as `signalos run` starts it: on a
//! thread of its own in the idle class. Figures are recorded in BENCHMARKS.md.

use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt as _, StreamExt as _};
use serde::Deserialize;
use serde::de::IgnoredAny;
use signalos::config::Secret;
use signalos::engine::EngineHandle;
use signalos::relay::server::{Relay, Settings, local_token, take_turns};
use signalos::store::Journal;
use signalos::telemetry::LogBuffer;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::{HeaderValue, header};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Bytes, Message};

use bridge::{HandPlayedEa, Summary, engine_on, message, stop};

#[path = "support/bridge.rs"]
mod bridge;

const ROLE: &str = "SIGNALOS_BENCH_ROLE";
const VIEWER_TOKEN: &str = "bench-viewer-token-0123456789";
/// Quotes a second: twice the issue's floor of 10 changes a second.
const RATE: u32 = 20;
const STEPS: &[usize] = &[1, 100, 1000, 2000, 5000, 7500, 10_000, 15_000];
const WARM_UP: Duration = Duration::from_secs(3);
const WINDOW: Duration = Duration::from_secs(10);
/// Signals timed to the wire, one every [`SIGNAL_GAP`]: far more than any channel posts, yet
/// paced, so that what the viewers are sent stays a stream (about 3.4 events a signal).
const SIGNALS: usize = 200;
const SIGNAL_GAP: Duration = Duration::from_millis(100);
/// The step at which the engine's own latency is compared with no viewer.
const COMPARED: usize = 1000;
/// Past this p99, more viewers are not tried.
const LIMIT: Duration = Duration::from_millis(100);

fn main() {
    raise_open_files();
    if std::env::var(ROLE).as_deref() == Ok("viewers") {
        viewers::run();
    } else {
        serve();
    }
}

/// Each side holds one descriptor per connection: as many as the hard limit allows.
fn raise_open_files() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current != limit.maximum {
        limit.current = limit.maximum;
        setrlimit(Resource::Nofile, limit).expect("the open-files limit raised to its maximum");
    }
}

fn knob<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// CPU time this process has used, all threads.
fn cpu_time() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_micros() as u64
}

/// One row of the table.
struct Row {
    viewers: usize,
    /// Viewers connected and subscribed, and connections refused or failed.
    connected: usize,
    failed: usize,
    events_per_sec: f64,
    report: viewers::Report,
    server_cpu: f64,
    /// The server's CPU time per frame a viewer received.
    cpu_per_frame: Duration,
    rss_per_viewer_kib: f64,
    wire: Option<Summary>,
}

impl Row {
    fn passed(&self) -> bool {
        self.failed == 0
            && self.connected == self.viewers
            && self.report.closed == 0
            && self.report.p99 < LIMIT
    }
}

fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let rate = knob("SIGNALOS_BENCH_RATE").unwrap_or(RATE);
        let window = knob("SIGNALOS_BENCH_WINDOW").map_or(WINDOW, Duration::from_secs);
        let steps: Vec<usize> = std::env::var("SIGNALOS_BENCH_STEPS").map_or_else(
            |_| STEPS.to_vec(),
            |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        );
        // The engine's own path, without the disk's flush: what the viewers could slow down.
        let dir = if Path::new("/dev/shm").is_dir() {
            tempfile::tempdir_in("/dev/shm").expect("a tmpfs dir")
        } else {
            tempfile::tempdir().expect("a temp dir")
        };
        let journal = Journal::open(dir.path()).expect("a journal");
        let reader = journal.reader();
        let (engine, address, tasks) = engine_on(journal).await;
        let mut ea = HandPlayedEa::connect(&engine, address, Some(rate)).await;
        let mut config = signalos::config::load(None, &[]).expect("defaults").config;
        config.relay.viewer_token = Secret(VIEWER_TOKEN.into());
        let settings =
            Settings::of(&config.relay, Path::to_path_buf, local_token("bench-own-token-0123456789abcdefgh".into())).expect("settings");
        // As `signalos run` starts it: on a thread of its own, in the idle class.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let (relay, own) = Relay::start_on_own_thread(
            listener,
            settings,
            engine.clone(),
            reader,
            LogBuffer::new(1000),
            "bench".into(),
        )
        .await
        .expect("the relay");
        let published = count_events(&engine).await;
        println!(
            "relay on {} (its own thread in the idle class, as signalos run starts it); {rate} quotes/s; window {window:?}; steps {steps:?}",
            relay.url,
        );
        tokio::time::sleep(WARM_UP).await;
        let alone = signals_to_wire(&engine, &mut ea).await;
        println!("signal→wire, no viewer: {alone}");
        let before = rss_kib();
        let mut rows = Vec::new();
        let mut most = None;
        for &n in &steps {
            let row = step(n, &relay, &published, window, before, None).await;
            print_row(&row);
            let passed = row.passed();
            rows.push(row);
            if n == COMPARED {
                let row = step(n, &relay, &published, window, before, Some((&engine, &mut ea))).await;
                print_row(&row);
                rows.push(row);
            }
            if !passed {
                break;
            }
            most = Some(n);
        }
        println!();
        println!(
            "| viewers | events/s | p50 | p99 | max | events received | resyncs | closed | failed | server CPU | server CPU/frame | generator CPU | RSS/viewer | signal→wire p50 / p99 |"
        );
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        println!(
            "| 0 | — | — | — | — | — | — | — | — | — | — | — | — | {} / {} |",
            micros(alone.p50),
            micros(alone.p99)
        );
        for row in &rows {
            println!("{}", table_row(row));
        }
        match most {
            Some(n) => println!("\nmost viewers with p99 under {LIMIT:?}: {n} (of those tried)"),
            None => println!("\nno step held p99 under {LIMIT:?}"),
        }
        relay.stop().await;
        own.shutdown_background();
        drop(ea);
        stop(engine, tasks).await;
    });
}

/// Events the engine publishes, counted as they come.
async fn count_events(engine: &EngineHandle) -> Arc<AtomicU64> {
    let count = Arc::new(AtomicU64::new(0));
    let mut events = engine.subscribe().await.expect("subscribed").events;
    let counted = count.clone();
    tokio::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match events.recv().await {
                Ok(_) => counted.fetch_add(1, Ordering::Relaxed),
                Err(RecvError::Lagged(n)) => counted.fetch_add(n, Ordering::Relaxed),
                Err(RecvError::Closed) => return,
            };
        }
    });
    count
}

/// [`SIGNALS`] signals, one every [`SIGNAL_GAP`], each timed from the engine's input to its
/// `trade` line read by the EA.
async fn signals_to_wire(engine: &EngineHandle, ea: &mut HandPlayedEa) -> Summary {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let mut clock = tokio::time::interval(SIGNAL_GAP);
    let mut times = Vec::with_capacity(SIGNALS);
    for _ in 0..SIGNALS {
        clock.tick().await;
        let id = NEXT.fetch_add(1, Ordering::Relaxed) as i64;
        let start = Instant::now();
        engine.send(message(id, ea.ask)).await.expect("sent");
        let (at, _) = ea.next_trade().await;
        times.push(at - start);
    }
    Summary::of(times)
}

/// `n` viewers in a second process: connected, warmed up, then measured over `window` (or over
/// the signals, when `signals` names the engine and EA to send them to).
async fn step(
    n: usize,
    relay: &Relay,
    published: &AtomicU64,
    window: Duration,
    before_kib: u64,
    signals: Option<(&EngineHandle, &mut HandPlayedEa)>,
) -> Row {
    let mut generator = Generator::spawn(&relay.url, n);
    let ready = generator.line().await;
    let (connected, failed) = viewers::parse_ready(&ready);
    // The server counts a viewer once its upgrade is done; the generator once its snapshot came.
    let deadline = Instant::now() + Duration::from_secs(10);
    while relay.viewers() < connected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(WARM_UP).await;
    let rss = rss_kib();
    let events = published.load(Ordering::Relaxed);
    let cpu = cpu_time();
    let started = Instant::now();
    generator.say("go").await;
    let wire = match signals {
        Some((engine, ea)) => Some(signals_to_wire(engine, ea).await),
        None => {
            tokio::time::sleep(window).await;
            None
        }
    };
    generator.say("stop").await;
    let elapsed = started.elapsed();
    let server_cpu = cpu_time() - cpu;
    let events = published.load(Ordering::Relaxed) - events;
    let report = viewers::Report::parse(&generator.line().await);
    let cpu_per_frame = server_cpu.div_f64(report.received.max(1) as f64);
    generator.finish().await;
    // Gone before the next step starts, so that each step holds only its own.
    let deadline = Instant::now() + Duration::from_secs(30);
    while relay.viewers() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Row {
        viewers: n,
        connected,
        failed,
        events_per_sec: events as f64 / elapsed.as_secs_f64(),
        report,
        server_cpu: server_cpu.as_secs_f64() / elapsed.as_secs_f64(),
        cpu_per_frame,
        rss_per_viewer_kib: rss.saturating_sub(before_kib) as f64 / n.max(1) as f64,
        wire,
    }
}

fn micros(d: Duration) -> String {
    format!("{} µs", d.as_micros())
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn print_row(row: &Row) {
    println!(
        "{} viewers{}: connected {} failed {}; {:.1} events/s; event→viewer p50 {} p99 {} max {} over {} events; resyncs {} gaps {} closed {}; server CPU {:.0} % ({:.1} µs a frame), generator {:.0} %; RSS {:.1} KiB/viewer{}",
        row.viewers,
        if row.wire.is_some() { " + signals" } else { "" },
        row.connected,
        row.failed,
        row.events_per_sec,
        millis(row.report.p50),
        millis(row.report.p99),
        millis(row.report.max),
        row.report.received,
        row.report.resyncs,
        row.report.gaps,
        row.report.closed,
        row.server_cpu * 100.0,
        row.cpu_per_frame.as_secs_f64() * 1e6,
        row.report.cpu * 100.0,
        row.rss_per_viewer_kib,
        row.wire
            .as_ref()
            .map_or_else(String::new, |w| format!("; signal→wire {w}")),
    );
}

fn table_row(row: &Row) -> String {
    format!(
        "| {}{} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {:.0} % | {:.1} µs | {:.0} % | {:.1} KiB | {} |",
        row.viewers,
        if row.wire.is_some() { " + signals" } else { "" },
        row.events_per_sec,
        millis(row.report.p50),
        millis(row.report.p99),
        millis(row.report.max),
        row.report.received,
        row.report.resyncs,
        row.report.closed,
        row.failed,
        row.server_cpu * 100.0,
        row.cpu_per_frame.as_secs_f64() * 1e6,
        row.report.cpu * 100.0,
        row.rss_per_viewer_kib,
        row.wire.as_ref().map_or_else(
            || "—".to_string(),
            |w| format!("{} / {}", micros(w.p50), micros(w.p99))
        ),
    )
}

/// The viewers' process, as seen from the server's: lines both ways.
struct Generator {
    child: Child,
    stdin: ChildStdin,
    stdout: tokio::io::Lines<BufReader<ChildStdout>>,
}

impl Generator {
    fn spawn(url: &str, n: usize) -> Generator {
        let mut child = tokio::process::Command::new(std::env::current_exe().expect("this binary"))
            .env(ROLE, "viewers")
            .env("SIGNALOS_BENCH_URL", url)
            .env("SIGNALOS_BENCH_TOKEN", VIEWER_TOKEN)
            .env("SIGNALOS_BENCH_VIEWERS", n.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the viewers' process");
        let stdin = child.stdin.take().expect("its stdin");
        let stdout = BufReader::new(child.stdout.take().expect("its stdout")).lines();
        Generator {
            child,
            stdin,
            stdout,
        }
    }

    async fn line(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(180), self.stdout.next_line())
            .await
            .expect("the viewers' process answers within 3 minutes")
            .expect("its stdout")
            .expect("a line before it ended")
    }

    async fn say(&mut self, what: &str) {
        self.stdin
            .write_all(format!("{what}\n").as_bytes())
            .await
            .expect("told the viewers' process");
    }

    async fn finish(mut self) {
        drop(self.stdin);
        let _ = tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await;
    }
}

/// The viewers' process: one thread, N connections.
mod viewers {
    use super::*;

    /// Latencies are counted in buckets of this width, up to [`BUCKETS`] of them.
    const BUCKET_MICROS: u64 = 10;
    const BUCKETS: usize = 200_000;
    /// Connections being opened at once: enough to connect 10,000 in seconds, few enough not to
    /// overflow the server's accept queue.
    const OPENING: usize = 128;
    /// The server closes a connection that says nothing for its idle timeout (60 s shipped).
    const PING: Duration = Duration::from_secs(20);

    /// What the viewers saw over the window, as the server's process reads it.
    pub struct Report {
        pub received: u64,
        pub p50: Duration,
        pub p99: Duration,
        pub max: Duration,
        /// Snapshots after the first: the server resynced a viewer that fell behind.
        pub resyncs: u64,
        /// Events whose seq did not follow the one before.
        pub gaps: u64,
        /// Connections the server closed.
        pub closed: u64,
        /// The generator's CPU, as a share of one core.
        pub cpu: f64,
    }

    impl Report {
        fn line(&self) -> String {
            format!(
                "done {} {} {} {} {} {} {} {}",
                self.received,
                self.p50.as_micros(),
                self.p99.as_micros(),
                self.max.as_micros(),
                self.resyncs,
                self.gaps,
                self.closed,
                self.cpu
            )
        }

        pub fn parse(line: &str) -> Report {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert!(f.len() == 9 && f[0] == "done", "a report, not {line:?}");
            let n = |i: usize| -> u64 { f[i].parse().expect("a number in the report") };
            Report {
                received: n(1),
                p50: Duration::from_micros(n(2)),
                p99: Duration::from_micros(n(3)),
                max: Duration::from_micros(n(4)),
                resyncs: n(5),
                gaps: n(6),
                closed: n(7),
                cpu: f[8].parse().expect("a share of a core"),
            }
        }
    }

    pub fn parse_ready(line: &str) -> (usize, usize) {
        let f: Vec<&str> = line.split_whitespace().collect();
        assert!(f.len() == 3 && f[0] == "ready", "ready, not {line:?}");
        (
            f[1].parse().expect("connected"),
            f[2].parse().expect("failed"),
        )
    }

    #[derive(Default)]
    struct Stats {
        measuring: AtomicBool,
        buckets: Vec<AtomicU64>,
        max: AtomicU64,
        received: AtomicU64,
        resyncs: AtomicU64,
        gaps: AtomicU64,
        closed: AtomicU64,
        subscribed: AtomicU64,
        failed: AtomicU64,
    }

    impl Stats {
        fn record(&self, micros: u64) {
            if !self.measuring.load(Ordering::Relaxed) {
                return;
            }
            let bucket = ((micros / BUCKET_MICROS) as usize).min(BUCKETS - 1);
            self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
            self.max.fetch_max(micros, Ordering::Relaxed);
            self.received.fetch_add(1, Ordering::Relaxed);
        }

        fn count(&self, what: &AtomicU64) {
            if self.measuring.load(Ordering::Relaxed) {
                what.fetch_add(1, Ordering::Relaxed);
            }
        }

        /// The upper edge of the bucket that holds quantile `q`.
        fn quantile(&self, q: f64) -> Duration {
            let total = self.received.load(Ordering::Relaxed);
            let rank = ((total as f64) * q).ceil().max(1.0) as u64;
            let mut seen = 0;
            for (i, b) in self.buckets.iter().enumerate() {
                seen += b.load(Ordering::Relaxed);
                if seen >= rank {
                    return Duration::from_micros((i as u64 + 1) * BUCKET_MICROS);
                }
            }
            Duration::ZERO
        }
    }

    /// Just what is needed of a frame: the rest is skipped unread.
    #[derive(Deserialize)]
    struct Head<'a> {
        #[serde(rename = "type", borrow)]
        kind: &'a str,
        #[serde(default)]
        seq: u64,
        #[serde(default)]
        at: u64,
        #[serde(default)]
        reason: Option<IgnoredAny>,
    }

    pub fn run() {
        // Niced, the generator stands in for viewers on other machines: it then takes from the
        // server only the CPU the server leaves idle.
        if let Some(nice) = knob::<i32>("SIGNALOS_BENCH_GENERATOR_NICE") {
            // Before the runtime starts: its threads inherit it.
            rustix::process::setpriority_process(None, nice).expect("the generator niced");
        }
        // Closer still: the idle scheduling class, as the relay's own thread runs.
        if knob::<u8>("SIGNALOS_BENCH_GENERATOR_IDLE") == Some(1) {
            use thread_priority::unix::{
                NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
                thread_native_id,
            };
            let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
            set_thread_priority_and_policy(
                thread_native_id(),
                thread_priority::ThreadPriority::Min,
                idle,
            )
            .expect("the generator in the idle class");
        }
        let url: String = knob("SIGNALOS_BENCH_URL").expect("SIGNALOS_BENCH_URL");
        let token: String = knob("SIGNALOS_BENCH_TOKEN").expect("SIGNALOS_BENCH_TOKEN");
        let n: usize = knob("SIGNALOS_BENCH_VIEWERS").expect("SIGNALOS_BENCH_VIEWERS");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let stats = Arc::new(Stats {
                buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
                ..Stats::default()
            });
            let opening = Arc::new(Semaphore::new(OPENING));
            for _ in 0..n {
                tokio::spawn(watch(
                    url.clone(),
                    token.clone(),
                    stats.clone(),
                    opening.clone(),
                ));
            }
            let settled = |s: &Stats| {
                s.subscribed.load(Ordering::Relaxed) + s.failed.load(Ordering::Relaxed) >= n as u64
            };
            let deadline = Instant::now() + Duration::from_secs(120);
            while !settled(&stats) && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let subscribed = stats.subscribed.load(Ordering::Relaxed) as usize;
            println!("ready {subscribed} {}", n - subscribed);
            let mut stdin = BufReader::new(tokio::io::stdin()).lines();
            assert_eq!(said(&mut stdin).await, "go");
            let cpu = cpu_time();
            let started = Instant::now();
            stats.measuring.store(true, Ordering::Relaxed);
            assert_eq!(said(&mut stdin).await, "stop");
            stats.measuring.store(false, Ordering::Relaxed);
            let report = Report {
                received: stats.received.load(Ordering::Relaxed),
                p50: stats.quantile(0.50),
                p99: stats.quantile(0.99),
                max: Duration::from_micros(stats.max.load(Ordering::Relaxed)),
                resyncs: stats.resyncs.load(Ordering::Relaxed),
                gaps: stats.gaps.load(Ordering::Relaxed),
                closed: stats.closed.load(Ordering::Relaxed),
                cpu: (cpu_time() - cpu).as_secs_f64() / started.elapsed().as_secs_f64(),
            };
            println!("{}", report.line());
        });
        // Ten thousand connections need not be closed one by one: the server sees them go.
        std::process::exit(0);
    }

    /// The server's process's next word; nothing once it is gone.
    async fn said(stdin: &mut tokio::io::Lines<BufReader<tokio::io::Stdin>>) -> String {
        stdin.next_line().await.ok().flatten().unwrap_or_default()
    }

    /// One viewer: connect, subscribe, then time every event until the connection ends.
    async fn watch(url: String, token: String, stats: Arc<Stats>, opening: Arc<Semaphore>) {
        let permit = opening
            .acquire_owned()
            .await
            .expect("the semaphore stays open");
        let mut request = url.into_client_request().expect("a ws:// URL");
        request.headers_mut().insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).expect("a header-safe token"),
        );
        // Tungstenite's default read buffer is 128 KiB: ten thousand of them would be the
        // generator's whole memory.
        let config = WebSocketConfig::default().read_buffer_size(4096);
        let connected = tokio::time::timeout(
            Duration::from_secs(30),
            tokio_tungstenite::connect_async_with_config(request, Some(config), true),
        )
        .await;
        let Ok(Ok((mut ws, _))) = connected else {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            return;
        };
        if ws
            .send(Message::text(r#"{"type":"subscribe"}"#))
            .await
            .is_err()
        {
            stats.failed.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut ping = tokio::time::interval(PING);
        ping.tick().await;
        // The seq held: none until the first snapshot.
        let mut seq: Option<u64> = None;
        let mut permit = Some(permit);
        loop {
            let message = tokio::select! {
                m = ws.next() => m,
                _ = ping.tick() => {
                    if ws.send(Message::Ping(Bytes::new())).await.is_err() {
                        break;
                    }
                    continue;
                }
            };
            let Some(Ok(Message::Text(text))) = message else {
                match message {
                    Some(Ok(_)) => continue,
                    _ => break,
                }
            };
            let received = now_micros();
            // As the relay does: its turns on the CPU are short.
            take_turns();
            let Ok(head) = serde_json::from_str::<Head>(&text) else {
                continue;
            };
            match (head.kind, seq) {
                ("event", Some(held)) => {
                    if head.seq != held + 1 {
                        stats.count(&stats.gaps);
                    }
                    seq = Some(head.seq);
                    stats.record(received.saturating_sub(head.at * 1000));
                }
                ("snapshot", None) => {
                    seq = Some(head.seq);
                    stats.subscribed.fetch_add(1, Ordering::Relaxed);
                    // Subscribed: the next connection may open.
                    permit = None;
                }
                ("snapshot", Some(_)) => {
                    seq = Some(head.seq);
                    if head.reason.is_some() {
                        stats.count(&stats.resyncs);
                    }
                }
                _ => {}
            }
        }
        drop(permit);
        if seq.is_none() {
            stats.failed.fetch_add(1, Ordering::Relaxed);
        } else {
            stats.count(&stats.closed);
        }
    }
}
