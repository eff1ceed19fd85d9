//! What the simulated server records when it really executes something: the ground truth the
//! trade log is written from, so that tests can prove no request ran twice and none was lost.

use serde::{Deserialize, Serialize};

use crate::broker::CloseReason;
use crate::model::{Filling, Millis, Side};

/// One line of the trade log: a deal, or a pending order placed or cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeRecord {
    /// Numbers every record of the account, 1, 2, 3…: a restarted simulator uses it to skip
    /// records it wrote before it was killed.
    pub seq: u64,
    pub time: Millis,
    /// The deal's number; absent on order lines, which are not deals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<u64>,
    /// The request that caused it; for a stop loss, take profit or stop out, the position's own.
    pub cid: String,
    /// The position the deal opened or changed, or the pending order.
    pub ticket: u64,
    pub symbol: String,
    /// The deal's direction, as MT5 records it: closing a buy is a sell.
    pub side: Side,
    pub volume: f64,
    pub price: f64,
    pub entry: RecordEntry,
    pub reason: DealReason,
    /// The filling mode the request was sent with; none for what the server did by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filling: Option<Filling>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordEntry {
    /// Opened or added to a position.
    In,
    /// Closed all or part of a position.
    Out,
    OrderPlaced,
    OrderCancelled,
}

/// Why it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealReason {
    Request,
    StopLoss,
    TakeProfit,
    StopOut,
    /// A pending order triggered.
    Pending,
    /// A triggered pending order found no free margin and was removed.
    NoMoney,
}

impl DealReason {
    /// How the close of a position it causes is reported on the wire.
    pub(super) fn close_reason(self) -> CloseReason {
        match self {
            DealReason::StopLoss => CloseReason::StopLoss,
            DealReason::TakeProfit => CloseReason::TakeProfit,
            DealReason::StopOut => CloseReason::StopOut,
            DealReason::Request | DealReason::Pending | DealReason::NoMoney => CloseReason::Request,
        }
    }
}

impl From<CloseReason> for DealReason {
    fn from(reason: CloseReason) -> Self {
        match reason {
            CloseReason::StopLoss => DealReason::StopLoss,
            CloseReason::TakeProfit => DealReason::TakeProfit,
            CloseReason::StopOut => DealReason::StopOut,
            CloseReason::Request => DealReason::Request,
        }
    }
}

/// Who made a deal: a request or a triggered order, with its cid, or the server itself (stops,
/// stop out), in which case the position's own cid is recorded.
#[derive(Debug, Clone)]
pub(super) struct Cause {
    pub reason: DealReason,
    pub cid: Option<String>,
    pub filling: Option<Filling>,
}

impl Cause {
    pub fn by(reason: DealReason, cid: &str, filling: Option<Filling>) -> Self {
        Self {
            reason,
            cid: Some(cid.to_string()),
            filling,
        }
    }

    pub fn server(reason: CloseReason) -> Self {
        Self {
            reason: reason.into(),
            cid: None,
            filling: None,
        }
    }
}
