//! What is asked of a broker and what it answers, as plain data: the engine journals it, the
//! bridge carries it, the console shows it.

use serde::{Deserialize, Deserializer, Serialize};

use super::{Account, OrderType, PendingOrder, Position, Quote, Side, SymbolSpec};

/// A trade request. Every request carries the client order id (`cid`) that the broker writes into
/// the order comment: the key for exactly-once execution and for asking what became of it.
///
/// The optional levels and volumes are required fields that may be `null` (docs/bridge-protocol.md):
/// a `modify` that lost its `sl` on the way must never read as "remove the stop", nor a `close`
/// without `volume` as "close everything". `deserialize_with` without `default` makes serde
/// refuse a missing field even though it is an `Option`.
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
        #[serde(deserialize_with = "nullable")]
        price: Option<f64>,
        #[serde(deserialize_with = "nullable")]
        sl: Option<f64>,
        #[serde(deserialize_with = "nullable")]
        tp: Option<f64>,
    },
    /// Set the stop loss and take profit of a position, or of a pending order. Both are set as
    /// given: `None` removes a level, as 0 does in MT5, so pass the current one to keep it.
    Modify {
        cid: String,
        ticket: u64,
        #[serde(deserialize_with = "nullable")]
        sl: Option<f64>,
        #[serde(deserialize_with = "nullable")]
        tp: Option<f64>,
    },
    /// Close a position, whole (`volume: None`) or in part.
    Close {
        cid: String,
        ticket: u64,
        #[serde(deserialize_with = "nullable")]
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

/// A field that must be present but may be `null`.
fn nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Option::<f64>::deserialize(deserializer)
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

/// Everything the broker holds, as it reports it when the link comes up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrokerSnapshot {
    pub account: Account,
    pub symbols: Vec<SymbolSpec>,
    pub quotes: Vec<(String, Quote)>,
    pub positions: Vec<Position>,
    pub orders: Vec<PendingOrder>,
}
