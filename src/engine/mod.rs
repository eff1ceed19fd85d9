//! The engine: one task that owns all trading state.

mod core;
mod handle;
mod local;
pub mod manage;
pub mod plan;

pub use crate::api::replica::{Replica, Step};
pub use crate::api::{Action, Command, Origin, OriginKind, Reply, Role};
pub use crate::api::{
    Change, DayStatus, Event, Intent, IntentStatus, Link, LinkState, Snapshot, State,
};
pub use core::{BROKER_LINK, Engine, spawn};
pub use handle::{Delivery, EngineGone, EngineHandle, Input, Subscription};
pub use local::Local;
pub use plan::Rules;
