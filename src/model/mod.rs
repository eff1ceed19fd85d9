//! Plain trading data shared by every part of SignalOS. Depends on nothing of ours.

mod account;
mod cid;
mod link;
mod mode;
mod order;
mod signal;
mod symbol;
mod trade;

pub use account::Account;
pub use cid::{signal_cid, signal_of_cid};
pub use link::{Link, LinkState};
pub use mode::Mode;
pub use order::{OrderType, PendingOrder, Position, Side};
pub use signal::{Decision, Entry, Parsed, SignalKind, SignalRecord, StopLoss, Target};
pub use symbol::{Execution, Filling, Quote, SymbolSpec, TradeMode};
pub use trade::{BrokerRequest, BrokerSnapshot, CloseReason, TradeOutcome};

/// Milliseconds since the Unix epoch, UTC. Every timestamp in the journal and on the wire uses it.
pub type Millis = i64;

pub fn now_millis() -> Millis {
    chrono::Utc::now().timestamp_millis()
}
