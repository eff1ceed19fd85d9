//! Connection states: the broker bridge and each source.

use serde::{Deserialize, Serialize};

/// A connection's state, shown as a badge in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Connecting,
    Handshaking,
    /// The broker's snapshot is reconciled: trading allowed.
    Synced,
    /// A source is connected.
    Up,
    Degraded,
    /// A source lost its connection and is trying again (the detail says when and why).
    Retrying,
    Down,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub state: LinkState,
    /// Why it is in that state, for a trader: "simulator", "reconnecting in 4 s", …
    pub detail: String,
}

impl std::fmt::Display for LinkState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LinkState::Connecting => "connecting",
            LinkState::Handshaking => "handshaking",
            LinkState::Synced => "synced",
            LinkState::Up => "up",
            LinkState::Degraded => "degraded",
            LinkState::Retrying => "retrying",
            LinkState::Down => "down",
        })
    }
}
