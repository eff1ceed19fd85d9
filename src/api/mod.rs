//! The engine's vocabulary, whoever speaks it (the console, the copilot, relay viewers, scripts):
//! the state and the numbered events that change it, commands and who sent them, a signal's story,
//! log lines, the raw messages sources hand over, and the [`Client`] trait every viewer is written
//! against. It depends on `model` alone, and all of it is serde both ways.

pub mod client;
pub mod command;
pub mod log;
pub mod message;
pub mod replica;
pub mod state;
pub mod story;

pub use client::{Client, Events, Feed, Gone, Received, Subscribe};
pub use command::{Action, Command, Origin, OriginKind, Reply, Role};
pub use log::LogLine;
pub use message::RawMessage;
pub use replica::{Replica, Step as ReplicaStep};
pub use state::{
    Change, DayStatus, Event, Intent, IntentStatus, Link, LinkState, RECENT_SIGNALS, Snapshot,
    State,
};
pub use story::{OrderEntry, OrderEvent, Step};
