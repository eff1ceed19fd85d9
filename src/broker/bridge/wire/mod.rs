//! The bridge protocol's messages and framing (docs/bridge-protocol.md is the contract).
//!
//! Both directions are one JSON object per line. [`LineFramer`] cuts a byte stream into lines and
//! never fails on what a peer sends: a line over [`MAX_LINE`], or one that is not UTF-8, comes out
//! as a [`Frame`] saying so, and reading goes on with the next line.

use serde::{Deserialize, Serialize};

pub use crate::broker::CidState;
use crate::broker::{BrokerRequest, CloseReason, OrderRemoval, TradeOutcome};
use crate::model::{Account, Millis, PendingOrder, Position, SymbolSpec};

/// The protocol version this build speaks.
pub const PROTOCOL: u32 = 2;

/// The longest line either side accepts, newline excluded.
pub const MAX_LINE: usize = 1024 * 1024;

/// The terminal the EA runs in, as it introduces itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Terminal {
    pub name: String,
    pub company: String,
    pub build: u32,
    /// Connected to the broker's trade server.
    pub connected: bool,
    /// Algo trading allowed for the terminal and this EA: orders fail with 10027 otherwise.
    pub trade_allowed: bool,
}

/// A symbol's latest prices, in a snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymbolQuote {
    pub symbol: String,
    pub bid: f64,
    pub ask: f64,
    pub time: Millis,
}

/// A message from the Expert Advisor (or the simulator playing it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromEa {
    /// The first message. It carries no secret, and nothing of the terminal or the account:
    /// the listener has not proved itself yet.
    Hello {
        protocol: u32,
        /// 32 lower-case hex digits, never used before.
        nonce: String,
        ea: String,
    },
    /// The EA's HMAC over the engine's nonce, sent only once the engine's own proof checked,
    /// with what the EA runs in.
    Proof {
        proof: String,
        terminal: Terminal,
        account: Account,
    },
    Symbols {
        names: Vec<String>,
    },
    Specs {
        specs: Vec<SymbolSpec>,
    },
    Snapshot {
        account: Account,
        positions: Vec<Position>,
        orders: Vec<PendingOrder>,
        quotes: Vec<SymbolQuote>,
    },
    Tick {
        symbol: String,
        bid: f64,
        ask: f64,
        time: Millis,
    },
    /// With the terminal's state as in `proof`: the trader can switch Algo Trading off, or the
    /// terminal lose its trade server, at any time.
    Account {
        account: Account,
        trade_allowed: bool,
        connected: bool,
    },
    Position {
        position: Position,
    },
    PositionClosed {
        ticket: u64,
        price: f64,
        profit: f64,
        reason: CloseReason,
        time: Millis,
    },
    Order {
        order: PendingOrder,
    },
    OrderRemoved {
        ticket: u64,
        reason: OrderRemoval,
    },
    Result {
        id: u64,
        cid: String,
        outcome: TradeOutcome,
    },
    Found {
        id: u64,
        cid: String,
        state: CidState,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ticket: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        price: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        volume: Option<f64>,
    },
    Ping {
        time: Millis,
    },
    Error {
        reason: String,
    },
}

/// A message from the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromEngine {
    /// The answer to `hello`: the engine's nonce, and its HMAC over the EA's.
    Challenge {
        nonce: String,
        proof: String,
    },
    Welcome {
        protocol: u32,
        magic: u64,
        heartbeat_ms: u64,
    },
    Refused {
        reason: String,
    },
    Subscribe {
        symbols: Vec<String>,
    },
    Trade {
        id: u64,
        request: BrokerRequest,
    },
    Query {
        id: u64,
        cid: String,
    },
    Ping {
        time: Millis,
    },
    Error {
        reason: String,
    },
}

/// One line of a peer's stream, as the framer found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Line(String),
    /// A line longer than [`MAX_LINE`] bytes (this many), discarded.
    TooLong(usize),
    /// A line that is not UTF-8, discarded.
    NotUtf8,
}

/// Cuts bytes into lines, holding at most [`MAX_LINE`] bytes of an unfinished line.
#[derive(Debug, Default)]
pub struct LineFramer {
    buf: Vec<u8>,
    /// Bytes of an over-long line dropped so far: the rest is dropped up to its newline.
    dropping: Option<usize>,
}

impl LineFramer {
    /// Feed bytes read from the socket; the complete lines among them come out in order.
    pub fn push(&mut self, mut bytes: &[u8], out: &mut Vec<Frame>) {
        while !bytes.is_empty() {
            let newline = bytes.iter().position(|&b| b == b'\n');
            let (part, rest, ended) = match newline {
                Some(at) => (&bytes[..at], &bytes[at + 1..], true),
                None => (bytes, &[][..], false),
            };
            bytes = rest;
            if let Some(dropped) = &mut self.dropping {
                *dropped += part.len();
                if ended {
                    out.push(Frame::TooLong(*dropped));
                    self.dropping = None;
                }
                continue;
            }
            if self.buf.len() + part.len() > MAX_LINE {
                let dropped = self.buf.len() + part.len();
                self.buf.clear();
                if ended {
                    out.push(Frame::TooLong(dropped));
                } else {
                    self.dropping = Some(dropped);
                }
                continue;
            }
            self.buf.extend_from_slice(part);
            if ended {
                let line = std::mem::take(&mut self.buf);
                out.push(match String::from_utf8(line) {
                    Ok(mut text) => {
                        if text.ends_with('\r') {
                            text.pop();
                        }
                        Frame::Line(text)
                    }
                    Err(_) => Frame::NotUtf8,
                });
            }
        }
    }

    /// An unfinished line is waiting for its end.
    pub fn is_mid_line(&self) -> bool {
        !self.buf.is_empty() || self.dropping.is_some()
    }
}

/// One message as a line, newline included.
pub fn encode<T: Serialize>(message: &T) -> String {
    // Our messages are plain data with string keys: serialising them cannot fail.
    let mut line = serde_json::to_string(message).unwrap_or_default();
    line.push('\n');
    line
}

/// Read a message from a line, or say what is wrong with it in words a log reader can act on.
pub fn decode<T: for<'de> Deserialize<'de>>(line: &str) -> Result<T, String> {
    serde_json::from_str(line).map_err(|e| {
        let shown: String = line.chars().take(80).collect();
        let more = if line.chars().nth(80).is_some() {
            "…"
        } else {
            ""
        };
        format!("unreadable message ({e}): {shown}{more}")
    })
}

/// A `trade` whose request cannot be read: answered by a rejected `result` with its id (and cid,
/// if readable), never executed and never an `error`, so that the engine learns the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct BadTrade {
    pub id: u64,
    /// Empty when the request's cid cannot be read either.
    pub cid: String,
    /// The field at fault and what was expected, e.g. "modify: field sl is missing (…)".
    pub reason: String,
}

/// A line that did not decode, read again as far as it goes: `Some` if it is a `trade` whose `id`
/// can be read. Any other bad line gets an `error`.
pub fn bad_trade(line: &str) -> Option<BadTrade> {
    use serde_json::Value;
    let value: Value = serde_json::from_str(line).ok()?;
    if value.get("type").and_then(Value::as_str) != Some("trade") {
        return None;
    }
    let id = value.get("id")?.as_u64()?;
    let request = value.get("request");
    let cid = request
        .and_then(|r| r.get("cid"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let reason = match request {
        None => "trade: field request is missing (an object with op and its fields)".to_string(),
        Some(request) if !request.is_object() => {
            "trade: field request is not an object (an object with op and its fields)".to_string()
        }
        Some(request) => request_fault(request),
    };
    Some(BadTrade { id, cid, reason })
}

/// What a request's fields lack, in the order the protocol lists them.
fn request_fault(request: &serde_json::Value) -> String {
    const OPS: &str = "place, modify, close or cancel";
    let Some(op) = request.get("op") else {
        return format!("request: field op is missing ({OPS})");
    };
    let fields: &[(&str, Kind, &str)] = match op.as_str() {
        Some("place") => &[
            ("cid", Kind::Text, "text, the client order id"),
            ("symbol", Kind::Text, "text, the terminal's symbol"),
            ("side", Kind::Text, "buy or sell"),
            ("order_type", Kind::Text, "market, limit or stop"),
            ("volume", Kind::Number, "a volume in lots"),
            (
                "price",
                Kind::NumberOrNull,
                "a price, or null for a market order",
            ),
            (
                "sl",
                Kind::NumberOrNull,
                "a price, or null for no stop loss",
            ),
            (
                "tp",
                Kind::NumberOrNull,
                "a price, or null for no take profit",
            ),
        ],
        Some("modify") => &[
            ("cid", Kind::Text, "text, the client order id"),
            ("ticket", Kind::Whole, "a ticket number"),
            (
                "sl",
                Kind::NumberOrNull,
                "a price, or null to remove the stop",
            ),
            (
                "tp",
                Kind::NumberOrNull,
                "a price, or null to remove the target",
            ),
        ],
        Some("close") => &[
            ("cid", Kind::Text, "text, the client order id"),
            ("ticket", Kind::Whole, "a ticket number"),
            (
                "volume",
                Kind::NumberOrNull,
                "a volume, or null to close the whole position",
            ),
        ],
        Some("cancel") => &[
            ("cid", Kind::Text, "text, the client order id"),
            ("ticket", Kind::Whole, "a ticket number"),
        ],
        _ => return format!("request: op {op} is unknown ({OPS})"),
    };
    let op = op.as_str().unwrap_or_default();
    let faults: Vec<String> = fields
        .iter()
        .filter_map(|(name, kind, expected)| {
            let Some(value) = request.get(*name) else {
                return Some(format!("field {name} is missing ({expected})"));
            };
            let fits = match kind {
                Kind::Text => value.is_string(),
                Kind::Number => value.is_number(),
                Kind::Whole => value.is_u64(),
                Kind::NumberOrNull => value.is_number() || value.is_null(),
            };
            let shown = || value.to_string().chars().take(40).collect::<String>();
            (!fits).then(|| format!("field {name} is {} ({expected})", shown()))
        })
        .collect();
    if !faults.is_empty() {
        return format!("{op}: {}", faults.join("; "));
    }
    match serde_json::from_value::<BrokerRequest>(request.clone()) {
        Err(e) => format!("{op}: {e}"),
        Ok(_) => format!("{op}: the request reads, but not as part of this trade line"),
    }
}

/// The kind of JSON value a request field takes.
enum Kind {
    Text,
    Number,
    Whole,
    NumberOrNull,
}

/// What MT5's trade return code means, for the order's refusal reason; `None` for a code this
/// build does not know.
pub fn retcode_message(retcode: u32) -> Option<&'static str> {
    Some(match retcode {
        10004 => "requote",
        10006 => "request rejected",
        10007 => "request canceled by trader",
        10008 => "order placed",
        10009 => "request completed",
        10010 => "only part of the request was completed",
        10011 => "request processing error",
        10012 => "request canceled by timeout",
        10013 => "invalid request",
        10014 => "invalid volume",
        10015 => "invalid price",
        10016 => "invalid stops (SL/TP too close to the price or on the wrong side)",
        10017 => "trading disabled for this account or symbol",
        10018 => "market closed",
        10019 => "not enough money",
        10020 => "prices changed",
        10021 => "no quotes to process the request",
        10022 => "invalid order expiration",
        10023 => "order state changed",
        10024 => "too many requests",
        10025 => "no changes in request",
        10026 => "autotrading disabled by the server",
        10027 => "autotrading disabled in the terminal (press Algo Trading)",
        10028 => "request locked for processing",
        10029 => "order or position frozen (too close to the price: freeze level)",
        10030 => "unsupported filling mode",
        10031 => "no connection with the trade server",
        10032 => "allowed for live accounts only",
        10033 => "pending orders limit reached",
        10034 => "volume limit for the symbol reached",
        10035 => "invalid or prohibited order type",
        10036 => "position already closed",
        10038 => "close volume exceeds the position's volume",
        10039 => "a close order already exists for this position",
        10040 => "positions limit reached",
        10041 => "pending order activation rejected, order canceled",
        10042 => "only long positions allowed",
        10043 => "only short positions allowed",
        10044 => "only position closing allowed",
        10045 => "position closing allowed only by FIFO rule",
        10046 => "opening an opposite position is prohibited (hedging prohibited)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
