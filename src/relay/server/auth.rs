//! Who may open a connection, decided from the upgrade request before any frame is sent: the
//! token (an `Authorization: Bearer` header, or a browser's `bearer.<token>` subprotocol), the
//! page it came from (`Origin`), and how often its address has been wrong lately.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header};

use super::tokens::{Token, Tokens};
use crate::relay::protocol::{BEARER_PREFIX, SUBPROTOCOL};

/// Wrong tokens from one address within [`FAILURE_WINDOW`] before it is refused for a while.
pub const MAX_FAILURES: u32 = 10;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// How long an address that kept guessing is refused (429), whatever it sends.
pub const BLOCKED_FOR: Duration = Duration::from_secs(60);
/// Addresses remembered at most: a flood from many addresses cannot grow the table without bound.
const MAX_TRACKED: usize = 65_536;

/// Why an upgrade was refused: the HTTP status and a sentence for whoever reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: StatusCode,
    pub message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            message: message.into(),
        }
    }

    pub fn response(&self) -> ErrorResponse {
        let mut response = ErrorResponse::new(Some(format!("{}\n", self.message)));
        *response.status_mut() = self.status;
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"signalos\""),
            );
        }
        response
    }
}

/// Who the upgrade request speaks for, and whether it asked for the subprotocol.
#[derive(Debug, Clone)]
pub struct Admitted {
    pub token: Token,
    /// The client offered `signalos.v1`: the response must name it.
    pub subprotocol: bool,
}

/// The checks of an upgrade request that depend on nothing but the request.
pub fn admit(
    request: &Request,
    tokens: &Tokens,
    allowed_origins: &[String],
) -> Result<Admitted, Refusal> {
    if let Some(origin) = request.headers().get(header::ORIGIN) {
        // No Origin: not a browser, so no page can be riding on someone's credentials.
        let origin = origin
            .to_str()
            .unwrap_or_default()
            .trim()
            .trim_end_matches('/');
        if !allowed_origins
            .iter()
            .any(|a| a.trim().trim_end_matches('/').eq_ignore_ascii_case(origin))
        {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "this page's origin is not in [relay] allowed_origins",
            ));
        }
    }
    let offered = offered_subprotocols(request);
    let subprotocol = offered.iter().any(|p| p == SUBPROTOCOL);
    if !offered.is_empty() && !subprotocol {
        return Err(Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("offer the subprotocol {SUBPROTOCOL} (Sec-WebSocket-Protocol)"),
        ));
    }
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let from_subprotocol = offered.iter().find_map(|p| p.strip_prefix(BEARER_PREFIX));
    let Some(offered_token) = bearer.or(from_subprotocol) else {
        return Err(Refusal::new(
            StatusCode::UNAUTHORIZED,
            format!(
                "a token is needed: Authorization: Bearer <token>, or the subprotocols {SUBPROTOCOL}, {BEARER_PREFIX}<token>"
            ),
        ));
    };
    match tokens.holder(offered_token) {
        Some(token) => Ok(Admitted {
            token: token.clone(),
            subprotocol,
        }),
        None => Err(Refusal::new(StatusCode::UNAUTHORIZED, "wrong token")),
    }
}

fn offered_subprotocols(request: &Request) -> Vec<String> {
    request
        .headers()
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The response to an admitted request: `signalos.v1` echoed when it was offered, as browsers
/// require.
pub fn accept(mut response: Response, admitted: &Admitted) -> Response {
    if admitted.subprotocol {
        response.headers_mut().insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static(SUBPROTOCOL),
        );
    }
    response
}

#[derive(Debug, Clone, Copy)]
struct Record {
    window_start: Instant,
    failures: u32,
    blocked_until: Option<Instant>,
}

/// Wrong tokens by address: an address that keeps guessing is refused for a while, and only it.
#[derive(Debug, Default)]
pub struct Failures {
    by_ip: Mutex<HashMap<IpAddr, Record>>,
}

impl Failures {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Record>> {
        // A panic while holding it leaves only counts behind: keep using them.
        self.by_ip.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `ip` is refused now.
    pub fn blocked(&self, ip: IpAddr, now: Instant) -> bool {
        self.lock()
            .get(&ip)
            .and_then(|r| r.blocked_until)
            .is_some_and(|until| now < until)
    }

    /// Count a wrong token from `ip`; true when this one blocks it.
    pub fn failed(&self, ip: IpAddr, now: Instant) -> bool {
        let mut by_ip = self.lock();
        if by_ip.len() >= MAX_TRACKED {
            by_ip.retain(|_, r| {
                now.duration_since(r.window_start) < FAILURE_WINDOW
                    || r.blocked_until.is_some_and(|u| now < u)
            });
        }
        if by_ip.len() >= MAX_TRACKED && !by_ip.contains_key(&ip) {
            // Still full of live records: the newest guesser is not remembered, which the
            // per-connection cost of a handshake bounds anyway.
            return false;
        }
        let record = by_ip.entry(ip).or_insert(Record {
            window_start: now,
            failures: 0,
            blocked_until: None,
        });
        if now.duration_since(record.window_start) >= FAILURE_WINDOW {
            record.window_start = now;
            record.failures = 0;
        }
        record.failures += 1;
        if record.failures >= MAX_FAILURES {
            record.blocked_until = Some(now + BLOCKED_FOR);
            record.failures = 0;
            record.window_start = now;
            return true;
        }
        false
    }
}

/// The refusal of an address that kept guessing.
pub fn too_many() -> Refusal {
    Refusal::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "too many wrong tokens from this address: try again in {} s",
            BLOCKED_FOR.as_secs()
        ),
    )
}

/// The refusal past `[relay] max_connections`.
pub fn full() -> Refusal {
    Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "the relay holds as many connections as it is allowed ([relay] max_connections)",
    )
}
