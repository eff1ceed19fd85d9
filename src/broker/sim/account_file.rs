//! Keeping a [`SimAccount`] on disk between runs, so positions stay open "at the broker".

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use tokio::time::Instant;

use super::{SimAccount, SimConfig};
use crate::broker::BrokerEvent;
use crate::model::Millis;

/// Quotes alone change the account all the time; they are worth saving only this often.
const QUOTE_SAVE_INTERVAL: Duration = Duration::from_secs(5);

/// The saved account if there is one, else a new one. A file that cannot be read or understood
/// is an error naming it: silently starting afresh would forget open positions.
pub fn load_or_new(
    config: &SimConfig,
    state_file: &Path,
    now: Millis,
) -> anyhow::Result<SimAccount> {
    let text = match std::fs::read_to_string(state_file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(SimAccount::new(config, now));
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!(
                    "cannot read the simulator state file {}",
                    state_file.display()
                )
            });
        }
    };
    let sim: SimAccount = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the simulator state file {} is corrupt: {e}",
            state_file.display()
        )
    })?;
    sim.check_consistency().map_err(|why| {
        anyhow::anyhow!(
            "the simulator state file {} is inconsistent: {why}",
            state_file.display()
        )
    })?;
    if sim.account.hedging != config.hedging || sim.account.leverage != config.leverage.max(1) {
        tracing::warn!(
            file = %state_file.display(),
            "the saved simulator account keeps its own hedging and leverage; the configured ones apply to a new account"
        );
    }
    Ok(sim)
}

pub(super) fn changes_the_book(event: &BrokerEvent) -> bool {
    matches!(
        event,
        BrokerEvent::Position(_)
            | BrokerEvent::PositionClosed { .. }
            | BrokerEvent::Order(_)
            | BrokerEvent::OrderRemoved { .. }
    )
}

pub(super) struct StateStore {
    path: Option<PathBuf>,
    last_saved: Instant,
}

impl StateStore {
    pub(super) fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            last_saved: Instant::now(),
        }
    }

    /// Quotes alone changed the account and it was last saved a while ago.
    pub(super) fn is_due(&self) -> bool {
        self.last_saved.elapsed() >= QUOTE_SAVE_INTERVAL
    }

    /// Save on the calling thread: nothing is left running behind when the caller is cancelled,
    /// so two saves never write the same temporary file at once. A failed save is logged, not
    /// fatal: the account keeps trading in memory and the next save tries again.
    pub(super) fn save_now(&mut self, sim: &SimAccount) {
        if let Some((path, bytes)) = self.serialize(sim) {
            save_to(&path, &bytes);
        }
    }

    fn serialize(&mut self, sim: &SimAccount) -> Option<(PathBuf, Vec<u8>)> {
        let path = self.path.clone()?;
        self.last_saved = Instant::now();
        match serde_json::to_vec(sim) {
            Ok(bytes) => Some((path, bytes)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot serialize the simulator state");
                None
            }
        }
    }
}

fn save_to(path: &Path, bytes: &[u8]) {
    if let Err(e) = write_atomically(path, bytes)
        .with_context(|| format!("cannot save the simulator state to {}", path.display()))
    {
        tracing::warn!(error = format!("{e:#}"), "simulator state not saved");
    }
}

/// Write to `<file>.tmp`, flush it to disk, then rename over the file: a crash leaves either the
/// old state or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    // The rename itself is durable only once the directory is synced; not every platform can.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}
