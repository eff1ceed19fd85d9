//! The engine's vocabulary, whoever speaks it (the console, the copilot, later remote viewers):
//! commands and who sent them, and the raw messages sources hand over. It depends on `model`
//! alone.

pub mod command;
pub mod message;

pub use command::{Action, Command, Origin, OriginKind, Reply, Role};
pub use message::RawMessage;
