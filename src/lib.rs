//! SignalOS: copies trading signals from channels into MetaTrader 5 trades, safely.

pub mod api;
pub mod app;
pub mod broker;
pub mod cli;
pub mod config;
pub mod ctl;
pub mod engine;
pub mod model;
pub mod notify;
pub mod parse;
pub mod parse_cli;
pub mod relay;
pub mod risk;
pub mod sources;
pub mod store;
pub mod telemetry;
pub mod tui;
