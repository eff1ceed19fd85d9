//! The boundary between the engine and a broker.
//!
//! The engine speaks [`BrokerRequest`]s and hears [`BrokerEvent`]s, nothing else. Both are plain
//! serde data so that the bridge can carry them as JSON lines to the MT5 Expert Advisor; the
//! simulator answers the same messages, so the default path is the real path.

pub mod sim;

use serde::{Deserialize, Serialize};

use crate::model::{
    Account, Link, Millis, OrderType, PendingOrder, Position, Quote, Side, SymbolSpec,
};

/// The return code of a request SignalOS refused before it reached the terminal (no EA connected,
/// a symbol the terminal does not offer): certainly not executed. MT5's own codes start at 10004.
pub const RETCODE_NOT_SENT: u32 = 0;

/// A trade request. Every request carries the client order id (`cid`) that the broker writes into
/// the order comment: the key for exactly-once execution and for asking what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BrokerRequest {
    /// Open a market order or place a pending one (`price` is required for limit and stop).
    Place {
        cid: String,
        symbol: String,
        side: Side,
        order_type: OrderType,
        volume: f64,
        price: Option<f64>,
        sl: Option<f64>,
        tp: Option<f64>,
    },
    /// Set the stop loss and take profit of a position, or of a pending order. Both are set as
    /// given: `None` removes a level, as 0 does in MT5, so pass the current one to keep it.
    Modify {
        cid: String,
        ticket: u64,
        sl: Option<f64>,
        tp: Option<f64>,
    },
    /// Close a position, whole (`volume: None`) or in part.
    Close {
        cid: String,
        ticket: u64,
        volume: Option<f64>,
    },
    /// Delete a pending order.
    Cancel { cid: String, ticket: u64 },
}

impl BrokerRequest {
    /// The position or order a modify, close or cancel touches; none for a place.
    pub fn ticket(&self) -> Option<u64> {
        match self {
            BrokerRequest::Place { .. } => None,
            BrokerRequest::Modify { ticket, .. }
            | BrokerRequest::Close { ticket, .. }
            | BrokerRequest::Cancel { ticket, .. } => Some(*ticket),
        }
    }

    pub fn cid(&self) -> &str {
        match self {
            BrokerRequest::Place { cid, .. }
            | BrokerRequest::Modify { cid, .. }
            | BrokerRequest::Close { cid, .. }
            | BrokerRequest::Cancel { cid, .. } => cid,
        }
    }
}

/// What the engine asks of the broker.
#[derive(Debug, Clone, PartialEq)]
pub enum BrokerCommand {
    /// Execute this request (once: the cid makes a repeat harmless).
    Trade(BrokerRequest),
    /// What became of the request with this cid? Asked when its outcome is unknown, before
    /// anything is resent; answered by [`BrokerEvent::Found`].
    Query { cid: String },
    /// Drop the link so that the terminal reconnects and sends its whole picture again.
    Resync,
}

/// Where the terminal found a client order id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CidState {
    Position,
    Order,
    /// Executed and since closed: in the deal history.
    Deal,
    /// Never executed.
    Absent,
}

/// The broker's answer to one request, matched by cid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TradeOutcome {
    /// Executed. `ticket` is the position (market) or order (pending) it created or touched.
    Done {
        ticket: u64,
        price: Option<f64>,
        volume: Option<f64>,
    },
    /// Refused by the broker, with its MT5 return code and a message a trader can read.
    Rejected { retcode: u32, message: String },
}

/// Why a position left the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    StopLoss,
    TakeProfit,
    /// Closed by a request of ours (cid known) or from the terminal.
    Request,
    StopOut,
}

/// Why a pending order left the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderRemoval {
    /// Triggered and became a position.
    Filled,
    Cancelled,
    Expired,
}

/// Everything the broker holds, as it reports it when the link comes up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrokerSnapshot {
    pub account: Account,
    pub symbols: Vec<SymbolSpec>,
    pub quotes: Vec<(String, Quote)>,
    pub positions: Vec<Position>,
    pub orders: Vec<PendingOrder>,
}

/// Something the broker tells the engine. Sent in order; the engine is the only reader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BrokerEvent {
    /// The link is up and this is the whole truth at the broker: the engine reconciles against it.
    Synced(BrokerSnapshot),
    /// The link is gone; requests in flight have an unknown outcome.
    Disconnected {
        reason: String,
    },
    /// The link's state changed without losing it: handshaking, degraded, synced again, or
    /// still waiting for an EA (with why, e.g. the last one was refused).
    Link(Link),
    /// The answer to a [`BrokerCommand::Query`].
    Found {
        cid: String,
        state: CidState,
        ticket: Option<u64>,
        price: Option<f64>,
        volume: Option<f64>,
    },
    /// The answer to the request with this cid.
    Result {
        cid: String,
        outcome: TradeOutcome,
    },
    Quote {
        symbol: String,
        quote: Quote,
    },
    Account(Account),
    /// A position was opened or changed (new SL/TP, partial close leaves the rest here).
    Position(Position),
    PositionClosed {
        ticket: u64,
        price: f64,
        profit: f64,
        reason: CloseReason,
        time: Millis,
    },
    /// A pending order was placed or changed.
    Order(PendingOrder),
    OrderRemoved {
        ticket: u64,
        reason: OrderRemoval,
    },
}
