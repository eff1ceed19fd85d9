//! A relay in front of a live engine (support/live.rs), and a raw WebSocket client that speaks
//! the protocol frame by frame. Include it with `#[path = "support/relay.rs"] mod relay;` next to
//! live.rs, config.rs and wait.rs.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use signalos::api::Role;
use signalos::relay::protocol::ServerFrame;
use signalos::relay::server::tokens::{Token, Tokens};
use signalos::relay::server::{Relay, Settings};
use signalos::store::Journal;
use signalos::telemetry::LogBuffer;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header};
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::{config, live, wait};

pub const OPERATOR: &str = "operator-token-0123456789abcdef";
pub const VIEWER: &str = "viewer-token-0123456789abcdef";

/// The relay's settings in the tests: an operator "ops" and a viewer "watcher", the shipped
/// limits.
pub fn settings() -> Settings {
    Settings {
        tokens: Tokens::new(vec![
            Token {
                name: "ops".into(),
                role: Role::Operator,
                secret: OPERATOR.into(),
            },
            Token {
                name: "watcher".into(),
                role: Role::Viewer,
                secret: VIEWER.into(),
            },
        ]),
        allowed_origins: vec!["https://desk.example.com".into()],
        tls: None,
        queue: 512,
        idle: Duration::from_secs(60),
        stall: Duration::from_secs(60),
        max_connections: 100,
        resume_window: 4096,
    }
}

pub struct Rig {
    pub live: live::Live,
    /// The engine's journal, read as the relay reads it.
    pub reader: signalos::store::Reader,
    pub relay: Relay,
    pub logs: LogBuffer,
    pub dir: tempfile::TempDir,
}

/// An engine trading the simulator, and a relay with `settings` on a loopback port.
pub async fn start(settings: Settings) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    let reader = journal.reader();
    let live = live::start(journal, config::engine_config(), live::account(), None).await;
    let relay_reader = reader.clone();
    let logs = LogBuffer::new(1000);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let relay = Relay::start(
        listener,
        settings,
        live.engine.clone(),
        relay_reader,
        logs.clone(),
        "run-1".into(),
    )
    .await
    .unwrap();
    Rig {
        live,
        reader,
        relay,
        logs,
        dir,
    }
}

pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a test client authenticates.
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    /// A browser's way: `signalos.v1, bearer.<token>`.
    Subprotocol(&'a str),
}

/// Open a connection, with `origin` if given: the upgrade's response or its refusal's status.
pub async fn open(
    address: SocketAddr,
    auth: Auth<'_>,
    origin: Option<&str>,
) -> Result<
    (
        Ws,
        tokio_tungstenite::tungstenite::handshake::client::Response,
    ),
    StatusCode,
> {
    let mut request = format!("ws://{address}").into_client_request().unwrap();
    let headers = request.headers_mut();
    match auth {
        Auth::None => {}
        Auth::Bearer(token) => {
            headers.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
            );
        }
        Auth::Subprotocol(token) => {
            headers.insert(
                header::SEC_WEBSOCKET_PROTOCOL,
                HeaderValue::from_str(&format!("signalos.v1, bearer.{token}")).unwrap(),
            );
        }
    }
    if let Some(origin) = origin {
        headers.insert(header::ORIGIN, HeaderValue::from_str(origin).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(ok) => Ok(ok),
        Err(WsError::Http(response)) => Err(response.status()),
        Err(e) => panic!("connecting to the relay failed: {e}"),
    }
}

/// A client whose frames are read one at a time.
pub struct Client {
    pub ws: Ws,
}

impl Client {
    /// Connect with a bearer token and read the `hello`.
    pub async fn connect(
        address: SocketAddr,
        token: &str,
    ) -> (Client, signalos::relay::protocol::Hello) {
        let (ws, _) = open(address, Auth::Bearer(token), None).await.unwrap();
        let mut client = Client { ws };
        match client.frame().await {
            ServerFrame::Hello(hello) => (client, hello),
            other => panic!("expected hello first, got {other:?}"),
        }
    }

    pub async fn send(&mut self, frame: serde_json::Value) {
        self.ws
            .send(Message::text(frame.to_string()))
            .await
            .unwrap();
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws.send(Message::text(text)).await.unwrap();
    }

    /// The next message, whatever it is; `None` once the connection is closed.
    pub async fn message(&mut self) -> Option<Message> {
        match tokio::time::timeout(wait::DEADLINE, self.ws.next()).await {
            Ok(Some(Ok(m))) => Some(m),
            Ok(Some(Err(_)) | None) => None,
            Err(_) => panic!("no message from the relay within {:?}", wait::DEADLINE),
        }
    }

    /// The next frame; panics on anything else.
    pub async fn frame(&mut self) -> ServerFrame {
        loop {
            match self.message().await {
                Some(Message::Text(text)) => {
                    return serde_json::from_str(&text)
                        .unwrap_or_else(|e| panic!("not a server frame ({e}): {text}"));
                }
                Some(Message::Ping(_) | Message::Pong(_)) => continue,
                other => panic!("expected a frame, got {other:?}"),
            }
        }
    }

    /// Frames until one satisfies `pred`, which is returned.
    pub async fn until(
        &mut self,
        what: &str,
        mut pred: impl FnMut(&ServerFrame) -> bool,
    ) -> ServerFrame {
        let deadline = tokio::time::Instant::now() + wait::DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.frame()).await {
                Ok(frame) if pred(&frame) => return frame,
                Ok(_) => {}
                Err(_) => panic!("timed out waiting for {what}"),
            }
        }
    }

    /// Read until the server closes: its close frame, if it sent one.
    pub async fn closed(&mut self) -> Option<CloseFrame> {
        loop {
            match self.message().await {
                Some(Message::Close(frame)) => return frame,
                None => return None,
                Some(_) => {}
            }
        }
    }

    /// Send request `id` and wait for its reply, skipping anything streamed meanwhile.
    pub async fn request(
        &mut self,
        id: u64,
        request: serde_json::Value,
    ) -> signalos::relay::protocol::Answer {
        let frame = serde_json::json!({"type": "request", "id": id, "request": request});
        self.send(frame).await;
        match self
            .until(
                "the reply",
                |f| matches!(f, ServerFrame::Reply { id: i, .. } if *i == id),
            )
            .await
        {
            ServerFrame::Reply { answer, .. } => answer,
            _ => unreachable!(),
        }
    }
}

/// Open a connection from `source` (any 127.x.y.z is this machine): the refusal's status if
/// refused.
pub async fn open_from(
    address: SocketAddr,
    source: std::net::Ipv4Addr,
    token: &str,
) -> Result<Ws, StatusCode> {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    let tcp = socket.connect(address).await.unwrap();
    let mut request = format!("ws://{address}").into_client_request().unwrap();
    request.headers_mut().insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    match tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(tcp)).await {
        Ok((ws, _)) => Ok(ws),
        Err(WsError::Http(response)) => Err(response.status()),
        Err(e) => panic!("connecting to the relay failed: {e}"),
    }
}

/// A client with a receive buffer as small as the system allows, so that the relay's writes to
/// it block as soon as it stops reading; its `hello` is read.
pub async fn small_window(address: SocketAddr, token: &str) -> Client {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let tcp = socket.connect(address).await.unwrap();
    let mut request = format!("ws://{address}").into_client_request().unwrap();
    request.headers_mut().insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    let (ws, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(tcp))
        .await
        .unwrap();
    let mut client = Client { ws };
    assert!(matches!(client.frame().await, ServerFrame::Hello(_)));
    client
}

/// Make the engine emit `n` events quickly: link changes of a made-up source, each carrying
/// `size` bytes and the time since `epoch` it was sent at, in milliseconds.
pub async fn flood(
    engine: &signalos::engine::EngineHandle,
    n: usize,
    size: usize,
    epoch: std::time::Instant,
    pace: Duration,
) {
    for i in 0..n {
        let detail = format!("{} {i} {}", epoch.elapsed().as_millis(), "x".repeat(size));
        engine
            .send(signalos::engine::Input::Link {
                name: "source:flood".into(),
                link: signalos::api::Link {
                    state: signalos::api::LinkState::Up,
                    detail,
                },
            })
            .await
            .unwrap();
        if !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
}

/// The send time (ms since the flood's epoch) and index of a flood event.
pub fn flooded(frame: &ServerFrame) -> Option<(u128, usize)> {
    let ServerFrame::Event(event) = frame else {
        return None;
    };
    let signalos::api::Change::Link { name, link } = &event.change else {
        return None;
    };
    if name != "source:flood" {
        return None;
    }
    let mut words = link.detail.split(' ');
    Some((words.next()?.parse().ok()?, words.next()?.parse().ok()?))
}
