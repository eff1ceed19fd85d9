//! The relay's client, used by `signalos view` and `signalos ctl`: one WebSocket to a running
//! engine's relay, kept open across drops.
//!
//! A background task owns the socket. It keeps a mirror of the engine's state (the snapshot, then
//! each event applied with [`State::apply`](crate::api::State::apply)) and hands it to
//! subscribers; it answers requests by id; it pings; and when the link drops it reconnects with a
//! jittered, growing backoff and resumes from the last seq it applied, so that no event is lost or
//! applied twice. A request in flight when the link drops is failed, never sent again: a command
//! may have been carried out.

mod link;
mod pin;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::protocol::{
    Answer, ErrorCode, Hello, JournalKind, PROTOCOL, Request, SUBPROTOCOL, ServerFrame, Topic,
};
use crate::api::{
    Action, Client, Feed, Gone, Link, LinkState, LogLine, Reply, Role, Step, Subscribe,
};
use crate::model::Millis;
use crate::telemetry::LogBuffer;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long opening a connection (TCP, TLS, the upgrade) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the server has to say `hello` once the connection is upgraded.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// How long closing may take before the program goes on without it.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a request waits for its reply. The gate answers at once (an emergency stop is
/// answered when it is persisted, not when the account is flat), so this is only reached when
/// something is wrong.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a connection could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectError {
    /// The address or the token cannot be used at all.
    #[error("{0}")]
    Usage(String),
    /// Nothing answered: refused, no such host, a timeout, a TLS failure.
    #[error("cannot reach the relay at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// The relay did not accept the token (HTTP 401 or 403).
    #[error(
        "the relay at {url} did not accept the token (HTTP {status}): check --token or SIGNALOS_RELAY_TOKEN"
    )]
    Unauthorised { url: String, status: u16 },
    /// The relay answered with another HTTP error (429 too many connections, 503 …).
    #[error("the relay at {url} refused the connection: HTTP {status}{detail}")]
    Refused {
        url: String,
        status: u16,
        /// The response's body, if any, with a leading ": ".
        detail: String,
    },
    /// Something answered, but not a SignalOS relay this version can talk to.
    #[error("the server at {url} is not a relay this signalos can talk to: {reason}")]
    Protocol { url: String, reason: String },
}

impl ConnectError {
    /// Whether trying again later may succeed: a token refused or a wrong protocol will not.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ConnectError::Unreachable { .. } | ConnectError::Refused { .. }
        )
    }
}

/// Why a request got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The link is down (reconnecting) or gone: the request was not sent.
    #[error("not connected to the relay ({0}): nothing was sent")]
    NotSent(String),
    /// The link dropped, or no answer came in time, after the request was sent: a command may
    /// have been carried out.
    #[error("{0}: the outcome is unknown, check with `signalos ctl status`")]
    OutcomeUnknown(String),
}

/// The link to the relay, as the console's header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkStatus {
    /// `lag_ms` is the round trip of the last ping (sent every few seconds, the first at once):
    /// a measure of the link alone, unlike the age of the last event, which also counts the
    /// quiet spells of the market and the two machines' clock difference. `None` until the first
    /// pong.
    Connected { lag_ms: Option<u64> },
    /// The link dropped `since` (wall clock); `attempt` counts the tries to open it again.
    Reconnecting {
        attempt: u32,
        reason: String,
        since: Millis,
    },
    /// The link will not be opened again: the token is no longer accepted, the relay now speaks
    /// another protocol, or every handle to this client was dropped.
    Gone { reason: String },
}

impl LinkStatus {
    /// The link as a console's header shows it.
    pub fn to_link(&self) -> Link {
        match self {
            LinkStatus::Connected { lag_ms } => Link {
                state: LinkState::Up,
                detail: lag_ms.map_or_else(String::new, |ms| format!("lag {ms} ms")),
            },
            LinkStatus::Reconnecting {
                attempt,
                reason,
                since,
            } => Link {
                state: LinkState::Retrying,
                detail: format!(
                    "lost for {} s, attempt {attempt}: {reason}",
                    (crate::model::now_millis() - since).max(0) / 1000
                ),
            },
            LinkStatus::Gone { reason } => Link {
                state: LinkState::Down,
                detail: reason.clone(),
            },
        }
    }
}

/// What a [`RelayClient`] subscribes to. Nothing streams until the first
/// [`subscribe`](Client::subscribe): a client that only sends requests (`ctl pause`) costs the
/// relay no stream.
#[derive(Debug, Clone)]
pub struct Options {
    /// The topics of the stream; a subset skips the seqs of other topics' events (the mirror is
    /// then the state of these topics only); none: every state topic. Log lines are added by
    /// `log`.
    pub topics: Vec<Topic>,
    /// Where received log lines go (the console's log pane); with it, the `log` topic is
    /// subscribed too.
    pub log: Option<LogBuffer>,
    /// For wss://: a PEM file of the certificates to trust (the relay's own CA, or its
    /// self-signed certificate) instead of the public web's roots.
    pub ca: Option<PathBuf>,
    /// For wss:// on the engine's own machine: accept exactly the certificate in this PEM file
    /// (the relay's own, named by relay.json), whatever name it is for.
    pub pin: Option<PathBuf>,
}

impl Default for Options {
    /// The whole state, no log lines.
    fn default() -> Self {
        Options {
            topics: Topic::ALL
                .into_iter()
                .filter(|t| *t != Topic::Log)
                .collect(),
            log: None,
            ca: None,
            pin: None,
        }
    }
}

/// What a handle asks of the task that owns the socket.
#[derive(Debug)]
enum Ask {
    Request {
        request: Request,
        answer: oneshot::Sender<Result<Answer, RequestError>>,
    },
    Subscribe {
        feed: oneshot::Sender<Feed>,
    },
}

#[derive(Debug)]
struct Shared {
    asks: mpsc::Sender<Ask>,
    status: watch::Receiver<LinkStatus>,
    /// The last connection's hello.
    hello: Arc<Mutex<Hello>>,
    logs: broadcast::Sender<LogLine>,
    /// The task that owns the socket, for [`RelayClient::close`] to wait on.
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// A connection to an engine's relay. Cheap to clone; the link closes when the last clone is
/// dropped.
#[derive(Debug, Clone)]
pub struct RelayClient {
    shared: Arc<Shared>,
}

impl RelayClient {
    /// Connect to the relay at `url` (`ws://` or `wss://`) with `token`, to watch the whole state.
    pub async fn connect(url: &str, token: &str) -> Result<RelayClient, ConnectError> {
        RelayClient::connect_with(url, token, Options::default()).await
    }

    /// Connect with `options`. Fails only if the first connection fails; later drops are
    /// reconnected in the background and shown by [`RelayClient::status`].
    pub async fn connect_with(
        url: &str,
        token: &str,
        options: Options,
    ) -> Result<RelayClient, ConnectError> {
        let tls = match (&options.pin, &options.ca) {
            (Some(pin), _) => Some(pin::connector(pin)?),
            (None, ca) => ca.as_deref().map(trusting).transpose()?,
        };
        let (socket, hello) = open(url, token, tls.clone()).await?;
        let (asks_tx, asks_rx) = mpsc::channel(64);
        let (status_tx, status_rx) = watch::channel(LinkStatus::Connected { lag_ms: None });
        let shared = Arc::new(Shared {
            asks: asks_tx,
            status: status_rx,
            hello: Arc::new(Mutex::new(hello)),
            logs: broadcast::channel(1024).0,
            task: Mutex::new(None),
        });
        let link = link::Link::new(
            link::Target {
                url: url.to_string(),
                token: token.to_string(),
                tls,
            },
            options,
            link::Outputs {
                status: status_tx,
                hello: shared.hello.clone(),
                logs: shared.logs.clone(),
            },
        );
        *lock(&shared.task) = Some(tokio::spawn(link.run(socket, asks_rx)));
        Ok(RelayClient { shared })
    }

    /// Close the link, telling the relay, if this is the last handle (a dropped last handle
    /// closes it too, but cannot wait for the close to be sent before a program exits).
    pub async fn close(self) {
        let Ok(shared) = Arc::try_unwrap(self.shared) else {
            return;
        };
        let task = lock(&shared.task).take();
        drop(shared);
        if let Some(task) = task {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, task).await;
        }
    }

    /// The link's status, for a console's header.
    pub fn status(&self) -> watch::Receiver<LinkStatus> {
        self.shared.status.clone()
    }

    /// What the relay said when the link was last opened: the engine's run, this token's role
    /// and name.
    pub fn hello(&self) -> Hello {
        lock(&self.shared.hello).clone()
    }

    /// Log lines as they arrive, once subscribed with the `log` topic ([`Options::log`], or
    /// [`Topic::Log`] among [`Options::topics`]).
    pub fn log_lines(&self) -> broadcast::Receiver<LogLine> {
        self.shared.logs.subscribe()
    }

    /// Send `request` and wait for its answer. A request is sent once, never again: if the link
    /// drops before the answer, the error says the outcome is unknown.
    pub async fn request(&self, request: Request) -> Result<Answer, RequestError> {
        let (answer, rx) = oneshot::channel();
        if self
            .shared
            .asks
            .send(Ask::Request { request, answer })
            .await
            .is_err()
        {
            return Err(RequestError::NotSent(self.gone_reason()));
        }
        match tokio::time::timeout(REQUEST_TIMEOUT, rx).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(RequestError::OutcomeUnknown(format!(
                "the link to the relay closed ({})",
                self.gone_reason()
            ))),
            Err(_) => Err(RequestError::OutcomeUnknown(format!(
                "no answer from the relay within {} s",
                REQUEST_TIMEOUT.as_secs()
            ))),
        }
    }

    /// A page of the journal of `kind` from seq `since`: its entries and the seq to ask from
    /// for more, if any.
    pub async fn journal(
        &self,
        kind: JournalKind,
        since: u64,
        limit: Option<usize>,
    ) -> Result<Result<(Vec<serde_json::Value>, Option<u64>), String>, RequestError> {
        let answer = self
            .request(Request::Journal { kind, since, limit })
            .await?;
        Ok(match answer {
            Answer::Journal { entries, next } => Ok((entries, next)),
            other => Err(unexpected(&other, "journal entries")),
        })
    }

    /// Why the link is gone, as the status says it.
    fn gone_reason(&self) -> String {
        match &*self.shared.status.borrow() {
            LinkStatus::Gone { reason } => reason.clone(),
            LinkStatus::Reconnecting { reason, .. } => format!("reconnecting: {reason}"),
            LinkStatus::Connected { .. } => "the link closed".into(),
        }
    }

    async fn request_or_gone(&self, request: Request) -> Result<Answer, Gone> {
        self.request(request).await.map_err(|e| Gone(e.to_string()))
    }
}

/// An answer of the wrong kind, or an error, in words.
fn unexpected(answer: &Answer, expected: &str) -> String {
    match answer {
        Answer::Error { code, message } => format!("the relay answered {code:?}: {message}"),
        other => format!(
            "the relay answered with {} where {expected} was expected",
            serde_json::to_value(other)
                .ok()
                .and_then(|v| v.get("answer")?.as_str().map(str::to_string))
                .unwrap_or_else(|| "something else".into())
        ),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Only plain data is behind these locks: a panic elsewhere leaves it usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Subscribe for RelayClient {
    async fn subscribe(&self) -> Result<Feed, Gone> {
        let (feed, rx) = oneshot::channel();
        if self
            .shared
            .asks
            .send(Ask::Subscribe { feed })
            .await
            .is_err()
        {
            return Err(Gone(self.gone_reason()));
        }
        rx.await.map_err(|_| Gone(self.gone_reason()))
    }
}

impl Client for RelayClient {
    async fn command(&self, action: Action) -> Result<Reply, Gone> {
        match self.request_or_gone(Request::Command { action }).await? {
            Answer::Command { reply } => Ok(reply),
            Answer::Error {
                code: ErrorCode::Unavailable,
                message,
            } => Err(Gone(message)),
            other => Ok(Reply::Refused {
                reason: unexpected(&other, "the gate's reply"),
            }),
        }
    }

    async fn story(&self, signal: u64) -> Result<Result<Option<Vec<Step>>, String>, Gone> {
        Ok(
            match self.request_or_gone(Request::Story { signal }).await? {
                Answer::Story { steps } => Ok(steps),
                other => Err(unexpected(&other, "a story")),
            },
        )
    }

    async fn log(&self, lines: usize) -> Result<Vec<LogLine>, Gone> {
        match self.request_or_gone(Request::Log { lines }).await? {
            Answer::Log { lines } => Ok(lines),
            other => Err(Gone(unexpected(&other, "log lines"))),
        }
    }

    fn role(&self) -> Role {
        lock(&self.shared.hello).role
    }

    fn link(&self) -> Option<watch::Receiver<Link>> {
        let mut status = self.status();
        let (tx, rx) = watch::channel(status.borrow_and_update().to_link());
        tokio::spawn(async move {
            while status.changed().await.is_ok() {
                let link = status.borrow_and_update().to_link();
                if tx.send(link).is_err() {
                    return;
                }
            }
        });
        Some(rx)
    }
}

/// A TLS connector that trusts the certificates in the PEM file `ca`, and only those.
fn trusting(ca: &Path) -> Result<Connector, ConnectError> {
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject as _;
    use tokio_rustls::rustls::{self, RootCertStore};
    let bad = |what: String| {
        ConnectError::Usage(format!(
            "{}: {what}: expected PEM certificates (-----BEGIN CERTIFICATE-----)",
            ca.display()
        ))
    };
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).map_err(|e| bad(e.to_string()))? {
        let cert = cert.map_err(|e| bad(e.to_string()))?;
        roots.add(cert).map_err(|e| bad(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("no certificate in it".into()));
    }
    // The provider named, not the process default: ring is the only one in the tree, and naming
    // it keeps this from depending on what else installed a default. Deprecated only for
    // lacking post-quantum key exchange, which the relay's server (also ring) lacks too.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Connector::Rustls(Arc::new(config)))
}

/// Open a connection and read the relay's hello. `tls`: whom to trust for wss://, if not the
/// public web's roots.
async fn open(
    url: &str,
    token: &str,
    tls: Option<Connector>,
) -> Result<(Socket, Hello), ConnectError> {
    let unreachable = |reason: String| ConnectError::Unreachable {
        url: url.to_string(),
        reason,
    };
    let protocol = |reason: String| ConnectError::Protocol {
        url: url.to_string(),
        reason,
    };
    if !(url.starts_with("ws://") || url.starts_with("wss://")) {
        return Err(ConnectError::Usage(format!(
            "{url:?} is not a relay address: expected ws://HOST:PORT or wss://HOST[:PORT]"
        )));
    }
    let mut request = url.into_client_request().map_err(|e| {
        ConnectError::Usage(format!(
            "{url:?} is not a relay address ({e}): expected ws://HOST:PORT or wss://HOST[:PORT]"
        ))
    })?;
    let mut bearer = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
        ConnectError::Usage(
            "the token holds characters an HTTP header cannot carry: expected printable ASCII"
                .into(),
        )
    })?;
    bearer.set_sensitive(true);
    let headers = request.headers_mut();
    headers.insert(header::AUTHORIZATION, bearer);
    headers.insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static(SUBPROTOCOL),
    );
    let connecting = tokio_tungstenite::connect_async_tls_with_config(request, None, true, tls);
    let (mut socket, _) = match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
        Err(_) => {
            return Err(unreachable(format!(
                "no answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            )));
        }
        Ok(Err(e)) => return Err(classify(url, e)),
        Ok(Ok(connected)) => connected,
    };
    let hello = match tokio::time::timeout(HELLO_TIMEOUT, first_text(&mut socket)).await {
        Err(_) => {
            return Err(protocol(format!(
                "no hello within {} s of connecting",
                HELLO_TIMEOUT.as_secs()
            )));
        }
        Ok(Err(reason)) => return Err(unreachable(reason)),
        Ok(Ok(text)) => match serde_json::from_str::<ServerFrame>(&text) {
            Ok(ServerFrame::Hello(hello)) => hello,
            Ok(_) => return Err(protocol("its first frame was not a hello".into())),
            Err(e) => return Err(protocol(format!("its first frame is not a hello: {e}"))),
        },
    };
    if hello.protocol != PROTOCOL {
        return Err(protocol(format!(
            "it speaks relay protocol {}, this signalos speaks {PROTOCOL} (version {}): run the same version on both ends",
            hello.protocol,
            env!("CARGO_PKG_VERSION")
        )));
    }
    Ok((socket, hello))
}

/// The first text frame, or why the connection ended before one.
async fn first_text(socket: &mut Socket) -> Result<String, String> {
    use futures_util::StreamExt as _;
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => return Ok(text.as_str().to_string()),
            Some(Ok(Message::Close(frame))) => {
                return Err(match frame {
                    Some(f) if !f.reason.is_empty() => {
                        format!("it closed the connection before its hello: {}", f.reason)
                    }
                    _ => "it closed the connection before its hello".into(),
                });
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(format!("the connection failed before its hello: {e}")),
            None => return Err("it closed the connection before its hello".into()),
        }
    }
}

/// Sort a failed upgrade into what a user can act on.
fn classify(url: &str, e: tungstenite::Error) -> ConnectError {
    use tungstenite::Error;
    let url = url.to_string();
    match e {
        Error::Http(response) => {
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                return ConnectError::Unauthorised {
                    url,
                    status: status.as_u16(),
                };
            }
            let body = response
                .body()
                .as_deref()
                .map(String::from_utf8_lossy)
                .map(|b| b.trim().chars().take(200).collect::<String>())
                .unwrap_or_default();
            ConnectError::Refused {
                url,
                status: status.as_u16(),
                detail: if body.is_empty() {
                    status
                        .canonical_reason()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                } else {
                    format!(": {body}")
                },
            }
        }
        Error::Io(e) => ConnectError::Unreachable {
            url,
            reason: e.to_string(),
        },
        Error::Tls(e) => ConnectError::Unreachable {
            url,
            reason: format!("TLS: {e}"),
        },
        Error::Url(e) => ConnectError::Usage(format!(
            "{url:?} is not a relay address ({e}): expected ws://HOST:PORT or wss://HOST[:PORT]"
        )),
        Error::Protocol(tungstenite::error::ProtocolError::SecWebSocketSubProtocolError(_)) => {
            ConnectError::Protocol {
                url,
                reason: format!("it did not accept the subprotocol {SUBPROTOCOL}"),
            }
        }
        other => ConnectError::Protocol {
            url,
            reason: format!("the WebSocket upgrade failed: {other}"),
        },
    }
}
