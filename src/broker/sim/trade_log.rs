//! The trade log: every record the simulated server makes, as JSON lines appended to a file.
//! Tests read it as the ground truth of what was executed.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::TradeRecord;

pub(super) struct TradeLog {
    file: Option<(PathBuf, File)>,
}

impl TradeLog {
    /// Open (or create) the log for appending (`None` keeps no log), and write `pending`: the
    /// records a saved account had not seen written, minus those the file already holds
    /// (written just before the simulator was killed, before the account was saved again).
    pub fn open(path: Option<&Path>, pending: &[TradeRecord]) -> anyhow::Result<Self> {
        let Some(path) = path else {
            return Ok(Self { file: None });
        };
        let written_through = if pending.is_empty() {
            0
        } else {
            last_seq(path)?
        };
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open the trade log {}", path.display()))?;
        let mut log = Self {
            file: Some((path.to_path_buf(), file)),
        };
        let unwritten: Vec<TradeRecord> = pending
            .iter()
            .filter(|r| r.seq > written_through)
            .cloned()
            .collect();
        log.append(&unwritten);
        Ok(log)
    }

    /// Append these records, one line each, each written through to the file before the next.
    /// A failure is logged, not fatal: the account must keep answering the engine.
    pub fn append(&mut self, records: &[TradeRecord]) {
        let Some((path, file)) = &mut self.file else {
            return;
        };
        for record in records {
            let line = crate::broker::bridge::wire::encode(record);
            if let Err(e) = file.write_all(line.as_bytes()).and_then(|()| file.flush()) {
                tracing::warn!(file = %path.display(), error = %e, seq = record.seq, "trade record not written");
            }
        }
    }
}

/// The `seq` of the last record in the file (0 if there is none). Lines that are not records
/// (a line cut short by a crash) are skipped.
fn last_seq(path: &Path) -> anyhow::Result<u64> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read the trade log {}", path.display()));
        }
    };
    let mut last = 0;
    for line in BufReader::new(file).lines() {
        let line = line.with_context(|| format!("cannot read the trade log {}", path.display()))?;
        if let Ok(record) = serde_json::from_str::<TradeRecord>(&line) {
            last = last.max(record.seq);
        }
    }
    Ok(last)
}
