//! The bridge to MetaTrader 5: the wire protocol the Expert Advisor (bridge/mt5) and the
//! simulator speak with the engine. docs/bridge-protocol.md is the contract.

pub mod auth;
pub mod server;
pub mod symbols;
pub mod wire;
