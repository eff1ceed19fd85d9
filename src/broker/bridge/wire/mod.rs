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
    Account {
        account: Account,
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
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
