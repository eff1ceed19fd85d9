//! The engine: one task that owns all trading state.

pub mod command;
mod handle;
pub mod state;

pub use command::{Action, Command, Origin, OriginKind, Reply, Role};
pub use handle::{EngineGone, EngineHandle, Input, Subscription};
pub use state::{Change, Event, Intent, IntentStatus, Link, LinkState, Snapshot, State};
