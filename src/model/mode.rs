use serde::{Deserialize, Serialize};
use std::fmt;

/// What the engine lets through. The console shows these words; the journal stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Mode {
    /// New entries and management both run.
    #[default]
    Active,
    /// No new entries; open trades are still managed.
    Paused,
    /// The emergency stop: everything flattened, nothing new until an explicit resume.
    Halted,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Active => "ACTIVE",
            Mode::Paused => "PAUSED",
            Mode::Halted => "HALTED",
        })
    }
}
