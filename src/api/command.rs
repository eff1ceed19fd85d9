//! Operator commands and who sent them. Every command passes through the engine's one gate.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    Console,
    Relay,
    Telegram,
    Ctl,
    /// The engine itself (a limit breached, say).
    Engine,
}

/// What the origin may do. Viewers read; only operators act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Someone who reached a door but may do nothing there (a Telegram user not among the
    /// operators): every command refused, and the refusal audited.
    Stranger,
    Viewer,
    Operator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub kind: OriginKind,
    /// Who, as far as the origin knows: a local user name, a Telegram user id, a token's name.
    pub who: String,
    pub role: Role,
}

impl Origin {
    /// The console of `signalos run`: the local user at the keyboard, an operator.
    pub fn console() -> Self {
        Origin {
            kind: OriginKind::Console,
            who: std::env::var("USER").unwrap_or_else(|_| "local".into()),
            role: Role::Operator,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            OriginKind::Console => "console",
            OriginKind::Relay => "relay",
            OriginKind::Telegram => "telegram",
            OriginKind::Ctl => "ctl",
            OriginKind::Engine => "engine",
        };
        write!(f, "{kind}:{}", self.who)
    }
}

/// What an operator asks the engine to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// HALTED: persisted first, then cancel every pending order and close every position.
    EmergencyStop,
    /// PAUSED: no new entries; management continues.
    Pause,
    /// Back to ACTIVE from PAUSED or HALTED.
    Resume { reason: String },
    /// Close one position, whole.
    ClosePosition { ticket: u64 },
    /// Close this fraction (0 to 1) of a position, rounded down to the volume step.
    ClosePart { ticket: u64, fraction: f64 },
    /// Set a position's stop loss and take profit (`None` removes a level).
    ModifyPosition {
        ticket: u64,
        sl: Option<f64>,
        tp: Option<f64>,
    },
    /// Move a position's stop loss to its entry (plus `management.breakeven_offset_pips`).
    Breakeven { ticket: u64 },
    /// Ask the terminal for its whole picture again: the link is re-established and reconciled.
    Resync,
    /// Hold stop losses and take profits in SignalOS instead of at the broker, or stop doing so.
    Stealth { on: bool },
    /// Trail one position's stop this many pips behind the price (0: back to its signal's rules).
    Trail { ticket: u64, pips: f64 },
    /// Cancel one pending order.
    CancelOrder { ticket: u64 },
    /// Look at the state (a copilot's /status, /positions …): nothing changes, but who looked,
    /// and who was refused, is in the audit.
    Report { what: String },
}

impl Action {
    /// Whether `role` may do it. A viewer may only look: read-only fails closed.
    pub fn allowed_for(&self, role: Role) -> bool {
        match role {
            Role::Operator => true,
            Role::Viewer => matches!(self, Action::Report { .. }),
            Role::Stranger => false,
        }
    }
}

/// The words a person reads for a command: the console's status line, the log.
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = |l: &Option<f64>| l.map_or_else(|| "none".to_string(), |v| v.to_string());
        match self {
            Action::EmergencyStop => f.write_str("EMERGENCY STOP"),
            Action::Pause => f.write_str("pause"),
            Action::Resume { reason } => write!(f, "resume ({reason})"),
            Action::ClosePosition { ticket } => write!(f, "close #{ticket}"),
            Action::ClosePart { ticket, fraction } => {
                write!(f, "close {:.0}% of #{ticket}", fraction * 100.0)
            }
            Action::ModifyPosition { ticket, sl, tp } => {
                write!(f, "modify #{ticket}: SL {}, TP {}", level(sl), level(tp))
            }
            Action::Breakeven { ticket } => write!(f, "breakeven #{ticket}"),
            Action::Resync => f.write_str("resync"),
            Action::Stealth { on } => write!(f, "stealth {}", if *on { "on" } else { "off" }),
            Action::Trail { ticket, pips } => write!(f, "trail #{ticket} by {pips} pips"),
            Action::CancelOrder { ticket } => write!(f, "cancel #{ticket}"),
            Action::Report { what } => write!(f, "look at {what}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    pub origin: Origin,
    pub action: Action,
}

/// The gate's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Reply {
    Accepted { detail: String },
    Refused { reason: String },
}
