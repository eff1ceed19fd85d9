//! The relay's WebSocket server: authenticates each client before the upgrade, then streams the
//! engine's state to it and answers its requests (docs/relay-protocol.md). One hub follows the
//! engine for everyone; each client costs one small task and a broadcast receiver.

mod answer;
mod auth;
mod connection;
mod frames;
mod hub;
pub mod tls;
pub mod tokens;

#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tracing::{debug, info, warn};

use crate::api::{Link, LinkState, Role};
use crate::config::RelayConfig;
use crate::engine::{EngineHandle, Input};
use crate::relay::protocol::MAX_CLIENT_FRAME;
use crate::store::Reader;
use crate::telemetry::LogBuffer;

use hub::Hub;
use tokens::{Token, Tokens};

/// The relay's name among the engine's links, as the console's header shows it.
pub const LINK: &str = "relay";
/// The name of the token the engine makes for each run (it goes in relay.json).
pub const LOCAL_NAME: &str = "local";
/// How long a client has to finish TLS and the upgrade.
const HANDSHAKE: Duration = Duration::from_secs(10);
/// Events held for clients that resume, unless the settings say otherwise.
pub const RESUME_WINDOW: usize = 4096;
/// Bytes the socket reads at a time: a client sends little, and a thousand idle clients should
/// not hold a thousand large buffers.
const READ_BUFFER: usize = 4 * 1024;

/// How the relay runs.
#[derive(Clone)]
pub struct Settings {
    pub tokens: Tokens,
    pub allowed_origins: Vec<String>,
    pub tls: Option<TlsAcceptor>,
    /// Frames one client may fall behind before it is resynced.
    pub queue: usize,
    /// No frame from a client for this long: it is disconnected.
    pub idle: Duration,
    /// A socket that takes nothing for this long while frames wait for it: the client is gone
    /// or not reading, and is dropped.
    pub stall: Duration,
    pub max_connections: usize,
    /// Events held for clients that resume.
    pub resume_window: usize,
}

impl Settings {
    /// The settings of `[relay]`, with the tokens file and the TLS files read (`resolve` turns a
    /// configured path into one to open), plus `local`: the operator token made for this run.
    pub fn of(
        cfg: &RelayConfig,
        resolve: impl Fn(&Path) -> std::path::PathBuf,
        local: Token,
    ) -> anyhow::Result<Settings> {
        let mut all = vec![local];
        for (name, role, secret) in [
            ("operator", Role::Operator, &cfg.operator_token.0),
            ("viewer", Role::Viewer, &cfg.viewer_token.0),
        ] {
            if !secret.is_empty() {
                all.push(Token {
                    name: name.into(),
                    role,
                    secret: secret.clone(),
                });
            }
        }
        if !cfg.tokens_file.as_os_str().is_empty() {
            let file = resolve(&cfg.tokens_file);
            let named = tokens::read(&file)
                .map_err(|problems| anyhow::anyhow!("{}", tokens::describe(&file, &problems)))?;
            all.extend(named);
        }
        let tls = match (
            cfg.tls_cert.as_os_str().is_empty(),
            cfg.tls_key.as_os_str().is_empty(),
        ) {
            (true, true) => None,
            (false, false) => Some(tls::acceptor(
                &resolve(&cfg.tls_cert),
                &resolve(&cfg.tls_key),
            )?),
            _ => anyhow::bail!("[relay] tls_cert and tls_key: expected both or neither"),
        };
        Ok(Settings {
            tokens: Tokens::new(all),
            allowed_origins: cfg.allowed_origins.clone(),
            tls,
            queue: cfg.queue,
            idle: Duration::from_secs(cfg.idle_timeout_secs.max(1)),
            // A client that takes nothing for as long as it may stay silent is as good as gone.
            stall: Duration::from_secs(cfg.idle_timeout_secs.max(1)),
            max_connections: cfg.max_connections,
            resume_window: RESUME_WINDOW,
        })
    }
}

/// The engine's own operator token, named `local`: the one relay.json gives `view` and `ctl`.
pub fn local_token(secret: String) -> Token {
    Token {
        name: LOCAL_NAME.into(),
        role: Role::Operator,
        secret,
    }
}

/// Counts something held (a socket, a viewer) and says so to whoever watches.
#[derive(Debug)]
struct Counter(watch::Sender<usize>);

struct Held<'a>(&'a Counter);

impl Counter {
    fn new() -> Counter {
        Counter(watch::channel(0).0)
    }

    fn enter(&self) -> Held<'_> {
        self.0.send_modify(|n| *n += 1);
        Held(self)
    }

    fn now(&self) -> usize {
        *self.0.borrow()
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.0.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// What every connection shares.
struct Shared {
    hub: Arc<Hub>,
    engine: EngineHandle,
    reader: Reader,
    logs: LogBuffer,
    settings: Settings,
    failures: auth::Failures,
    /// Sockets held, handshaking or not.
    open: Counter,
    /// Clients admitted.
    viewers: Counter,
    stop: Arc<watch::Sender<bool>>,
}

/// A running relay.
pub struct Relay {
    /// Where it listens.
    pub address: SocketAddr,
    /// How a client on this machine reaches it: ws:// or wss://, on a loopback address when
    /// it listens on all of them.
    pub url: String,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Relay {
    /// Serve `listener` for `engine`, journal reads from `reader`, log lines from `logs`, and
    /// this engine `run`.
    pub async fn start(
        listener: TcpListener,
        settings: Settings,
        engine: EngineHandle,
        reader: Reader,
        logs: LogBuffer,
        run: String,
    ) -> anyhow::Result<Relay> {
        let address = listener
            .local_addr()
            .context("cannot read the relay's listening address")?;
        let sub = engine
            .subscribe()
            .await
            .map_err(|_| anyhow::anyhow!("the engine stopped before the relay started"))?;
        let hub = Arc::new(Hub::new(
            run,
            sub.snapshot,
            settings.resume_window,
            settings.queue,
        ));
        let stop = Arc::new(watch::channel(false).0);
        let shared = Arc::new(Shared {
            hub: hub.clone(),
            engine: engine.clone(),
            reader,
            logs: logs.clone(),
            failures: auth::Failures::default(),
            open: Counter::new(),
            viewers: Counter::new(),
            stop: stop.clone(),
            settings,
        });
        let tasks = vec![
            tokio::spawn(hub::follow(
                hub,
                engine.clone(),
                sub.events,
                logs,
                stop.clone(),
            )),
            tokio::spawn(accept(listener, shared.clone())),
            tokio::spawn(report_viewers(
                engine,
                shared.viewers.0.subscribe(),
                stop.subscribe(),
            )),
        ];
        let scheme = if shared.settings.tls.is_some() {
            "wss"
        } else {
            "ws"
        };
        let host = match address.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::from(([127, 0, 0, 1], address.port()))
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, address.port()))
            }
            _ => address,
        };
        info!(%address, tls = shared.settings.tls.is_some(), "relay listening");
        Ok(Relay {
            address,
            url: format!("{scheme}://{host}"),
            shared,
            tasks,
        })
    }

    /// [`Relay::start`] on a thread of its own that gives way to the engine, as `signalos run`
    /// starts it: a thousand viewers' writers woken by every event would otherwise queue the
    /// engine's and the bridge's tasks behind them (signal→wire p99 0.75 → 14 ms in
    /// benches/relay.rs). The runtime returned runs the relay: shut it down
    /// (`shutdown_background`) after [`Relay::stop`].
    pub async fn start_on_own_thread(
        listener: TcpListener,
        settings: Settings,
        engine: EngineHandle,
        reader: Reader,
        logs: LogBuffer,
        run: String,
    ) -> anyhow::Result<(Relay, tokio::runtime::Runtime)> {
        // Registered again with the relay's own reactor, below.
        let listener = listener
            .into_std()
            .context("cannot hand the relay's port to its thread")?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("relay")
            .on_thread_start(give_way)
            .enable_all()
            .build()
            .context("cannot start the relay's thread")?;
        let started = runtime
            .spawn(async move {
                let listener = TcpListener::from_std(listener)?;
                Relay::start(listener, settings, engine, reader, logs, run).await
            })
            .await;
        match started {
            Ok(Ok(relay)) => Ok((relay, runtime)),
            failed => {
                // Not dropped here: a runtime may not be dropped inside another's task.
                runtime.shutdown_background();
                Err(match failed {
                    Ok(Err(e)) => e,
                    _ => anyhow::anyhow!("the relay's thread stopped as it started"),
                })
            }
        }
    }

    /// Clients connected now.
    pub fn viewers(&self) -> usize {
        self.shared.viewers.now()
    }

    /// Close every connection ("engine stopping") and stop listening.
    pub async fn stop(self) {
        let _ = self.shared.stop.send(true);
        let mut open = self.shared.open.0.subscribe();
        // Each connection is given its close grace; past that they are dropped with the runtime.
        let closed = open.wait_for(|n| *n == 0);
        if tokio::time::timeout(Duration::from_secs(3), closed)
            .await
            .is_err()
        {
            warn!("relay connections still open after 3 s: dropped");
        }
        for task in self.tasks {
            task.abort();
        }
        let _ = self
            .shared
            .engine
            .send(Input::Link {
                name: LINK.into(),
                link: Link {
                    state: LinkState::Down,
                    detail: "stopped".into(),
                },
            })
            .await;
    }
}

/// Until the relay stops. A dropped sender is a stop too: the relay is gone.
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut stop = shared.stop.subscribe();
    loop {
        tokio::select! {
            () = stopping(&mut stop) => return,
            accepted = listener.accept() => match accepted {
                Ok((tcp, peer)) => match shared.settings.tls.clone() {
                    None => {
                        tokio::spawn(plain(tcp, peer, shared.clone()));
                    }
                    Some(acceptor) => {
                        tokio::spawn(secure(tcp, peer, shared.clone(), acceptor));
                    }
                }
                Err(e) => {
                    // Out of file descriptors, most likely: wait for some to be given back rather
                    // than spin.
                    warn!("the relay cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

/// Admit a plain connection. Plain and TLS connections are tasks of their own types, so that a
/// plain one does not carry room for a TLS session.
async fn plain(tcp: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let _open = shared.open.enter();
    let full = shared.open.now() > shared.settings.max_connections;
    let _ = tcp.set_nodelay(true);
    upgrade(tcp, peer, full, &shared).await;
}

async fn secure(tcp: TcpStream, peer: SocketAddr, shared: Arc<Shared>, acceptor: TlsAcceptor) {
    let _open = shared.open.enter();
    let full = shared.open.now() > shared.settings.max_connections;
    let _ = tcp.set_nodelay(true);
    match tokio::time::timeout(HANDSHAKE, Box::pin(acceptor.accept(tcp))).await {
        Ok(Ok(stream)) => upgrade(stream, peer, full, &shared).await,
        Ok(Err(e)) => debug!(%peer, "relay TLS handshake failed: {e}"),
        Err(_) => debug!(%peer, "relay TLS handshake timed out"),
    }
}

fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(connection::FRAGMENT)
        .max_write_buffer_size(4 * connection::FRAGMENT)
        .max_message_size(Some(MAX_CLIENT_FRAME))
        .max_frame_size(Some(MAX_CLIENT_FRAME))
}

async fn upgrade<S>(stream: S, peer: SocketAddr, full: bool, shared: &Arc<Shared>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let ip = peer.ip();
    let mut admitted = None;
    let gate = |request: &Request, response: Response| -> Result<Response, ErrorResponse> {
        let now = Instant::now();
        match auth::admit(
            request,
            &shared.settings.tokens,
            &shared.settings.allowed_origins,
        ) {
            // A right token always gets in, whatever others sent from the same address (behind
            // an SSH tunnel or a proxy, everyone is one address): nobody can lock the operator
            // out of the emergency stop by guessing. Operators are few and always admitted;
            // viewers only while there is room.
            Ok(a) if full && a.token.role != Role::Operator => Err(auth::full().response()),
            Ok(a) => {
                let response = auth::accept(response, &a);
                admitted = Some(a);
                Ok(response)
            }
            Err(refusal)
                if refusal.status
                    == tokio_tungstenite::tungstenite::http::StatusCode::UNAUTHORIZED =>
            {
                if shared.failures.blocked(ip, now) {
                    return Err(auth::too_many().response());
                }
                warn!(%peer, "relay: a connection refused: {}", refusal.message);
                if shared.failures.failed(ip, now) {
                    warn!(
                        %ip,
                        "relay: {} wrong tokens from {ip} within {} s: its wrong tokens are answered 429 for {} s",
                        auth::MAX_FAILURES,
                        auth::FAILURE_WINDOW.as_secs(),
                        auth::BLOCKED_FOR.as_secs()
                    );
                }
                Err(refusal.response())
            }
            Err(refusal) => {
                debug!(%peer, status = %refusal.status, "relay connection refused: {}", refusal.message);
                Err(refusal.response())
            }
        }
    };
    // Boxed: the handshake's state is several times a connection's, and is freed once it is
    // done rather than carried in the task for the connection's whole life.
    let upgraded = tokio::time::timeout(
        HANDSHAKE,
        Box::pin(tokio_tungstenite::accept_hdr_async_with_config(
            stream,
            gate,
            Some(ws_config()),
        )),
    )
    .await;
    let ws = match upgraded {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => return debug!(%peer, "relay upgrade failed: {e}"),
        Err(_) => return debug!(%peer, "relay upgrade timed out"),
    };
    let Some(admitted) = admitted else {
        return;
    };
    let _viewer = shared.viewers.enter();
    info!(%peer, name = %admitted.token.name, role = ?admitted.token.role, "relay client connected");
    connection::serve(ws, shared.clone(), admitted.token, shared.stop.subscribe()).await;
}

/// Tell the engine how many are watching, so the console's header shows it: at most once a
/// second, and only when the count changed.
async fn report_viewers(
    engine: EngineHandle,
    mut viewers: watch::Receiver<usize>,
    mut stop: watch::Receiver<bool>,
) {
    let mut said = None;
    loop {
        let now = *viewers.borrow_and_update();
        if said != Some(now) {
            let link = Link {
                state: LinkState::Up,
                detail: format!("{now} connected"),
            };
            if engine
                .send(Input::Link {
                    name: LINK.into(),
                    link,
                })
                .await
                .is_err()
            {
                return;
            }
            said = Some(now);
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                () = stopping(&mut stop) => return,
            }
            continue;
        }
        tokio::select! {
            changed = viewers.changed() => if changed.is_err() { return },
            () = stopping(&mut stop) => return,
        }
    }
}

/// Put the calling thread in the idle scheduling class (SCHED_IDLE): it runs on what the engine
/// leaves, and a waking engine thread takes its CPU at once — a nice value only weighs the
/// share, so the engine's signal→wire p50 still tripled with a thousand viewers at nice 10
/// (BENCHMARKS.md). It is not starved: under a CPU saturated by other work it keeps a sliver,
/// enough to read an operator's command.
fn give_way() {
    use thread_priority::unix::{
        NormalThreadSchedulePolicy, ThreadSchedulePolicy, set_thread_priority_and_policy,
        thread_native_id,
    };
    let idle = ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle);
    if let Err(e) = set_thread_priority_and_policy(
        thread_native_id(),
        thread_priority::ThreadPriority::Min,
        idle,
    ) {
        debug!("the relay's thread keeps its priority: {e:?}");
    }
}

/// How long the relay's thread keeps the CPU, busy, before it offers it back.
const TURN: Duration = Duration::from_micros(200);

/// Offer the CPU back once the relay has held it for [`TURN`]. The idle class does not cover
/// one case: an engine thread preempted by a thread it woke (sled's IO threads do this on every
/// write) goes back on the run queue without a wake-up, so nothing preempts the relay for it
/// until the next scheduler tick — 4 ms of signal→wire here (`perf sched` in BENCHMARKS.md).
pub fn take_turns() {
    thread_local! {
        static HELD_SINCE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
    }
    HELD_SINCE.with(|since| {
        let now = Instant::now();
        match since.get() {
            Some(at) if now.duration_since(at) < TURN => {}
            Some(_) => {
                std::thread::yield_now();
                since.set(Some(Instant::now()));
            }
            None => since.set(Some(now)),
        }
    });
}
