//! A log line as the console's log pane shows it, in-process or from a relay.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tracing::Level;

use crate::model::Millis;

/// One log event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub at: Millis,
    /// "ERROR", "WARN", "INFO", "DEBUG" or "TRACE".
    #[serde(serialize_with = "level_out", deserialize_with = "level_in")]
    pub level: Level,
    pub target: String,
    pub message: String,
}

fn level_out<S: Serializer>(level: &Level, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(level.as_str())
}

fn level_in<'de, D: Deserializer<'de>>(d: D) -> Result<Level, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown log level {name:?}: expected ERROR, WARN, INFO, DEBUG or TRACE"
        ))
    })
}
