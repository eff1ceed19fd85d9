//! The engine: one task that owns all trading state.

mod core;
mod handle;
pub mod manage;
pub mod plan;
mod replica;

pub use crate::api::{Action, Command, Origin, OriginKind, Reply, Role};
pub use crate::api::{
    Change, DayStatus, Event, Intent, IntentStatus, Link, LinkState, Snapshot, State,
};
pub use core::{BROKER_LINK, Engine, spawn};
pub use handle::{Delivery, EngineGone, EngineHandle, Input, Subscription};
pub use plan::Rules;
pub use replica::{Replica, Step};
