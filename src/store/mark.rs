//! `journal.mark`, beside the journal: how much the journal had made durable at its last flush.
//! sled can come back from damaged or removed files with fewer entries and no error; without a
//! record kept outside sled, that journal would look new and every message its sources still hold
//! would be traded again. The mark is that record.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Millis, Mode};

/// The file's name in the data dir.
pub(super) const FILE: &str = "journal.mark";
const TEMP: &str = "journal.mark.tmp";

/// What the journal holds: the count of each append-only log (its entries are numbered from 1
/// with no gaps), the message index's size, and who the journal is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Held {
    /// `Meta::instance`: empty until the engine first gives the journal one.
    pub instance: String,
    pub mode: Mode,
    pub signals: u64,
    pub orders: u64,
    pub audit: u64,
    pub decisions: u64,
    /// Message versions in the index that keeps a message from being acted on twice.
    pub messages: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Mark {
    #[serde(flatten)]
    pub held: Held,
    pub written_at: Millis,
}

/// What the data dir has in place of a mark.
pub(super) enum Found {
    None,
    /// A mark that does not parse, with the reason.
    Unreadable(String),
    Mark(Mark),
}

pub(super) fn path(data: &Path) -> PathBuf {
    data.join(FILE)
}

pub(super) fn read(data: &Path) -> std::io::Result<Found> {
    let bytes = match std::fs::read(path(data)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::None),
        Err(e) => return Err(e),
    };
    Ok(match serde_json::from_slice(&bytes) {
        Ok(mark) => Found::Mark(mark),
        Err(e) => Found::Unreadable(e.to_string()),
    })
}

/// Replace the mark by renaming a complete new file over it, so a reader sees the old mark or the
/// new one, never a mix of both.
///
/// `durable` adds an fsync of the file before the rename and of the dir after it. The flush after
/// every journal write does without them: its figures are already durable in sled when the mark is
/// written, so whichever version of the mark survives a crash claims no more than the journal
/// holds. What a crash without the fsyncs can leave is an older mark (behind the journal:
/// harmless, rewritten at the next open) or, after a power loss on some file systems, an empty or
/// torn one, which `Journal::open` accepts beside a journal that holds entries. Each fsync costs
/// about as much as the journal's own flush on the order path, which is why it is not paid there.
pub(super) fn write(data: &Path, held: &Held, durable: bool) -> std::io::Result<()> {
    let mark = Mark {
        held: held.clone(),
        written_at: crate::model::now_millis(),
    };
    let bytes = serde_json::to_vec_pretty(&mark).map_err(std::io::Error::other)?;
    let temp = data.join(TEMP);
    let mut file = File::create(&temp)?;
    file.write_all(&bytes)?;
    if durable {
        file.sync_all()?;
    }
    drop(file);
    std::fs::rename(&temp, path(data))?;
    if durable {
        File::open(data)?.sync_all()?;
    }
    Ok(())
}

/// `2026-12-05 14:02:07 UTC`.
pub(super) fn when(at: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(at)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| format!("{at} ms after 1970"))
}

/// What `held` lacks of what `mark` says was written, one phrase per log, e.g. "12 of the 400
/// signals"; empty when nothing is missing.
pub(super) fn shortfall(mark: &Held, held: &Held) -> Vec<String> {
    [
        ("signals", mark.signals, held.signals),
        ("orders", mark.orders, held.orders),
        ("audit entries", mark.audit, held.audit),
        ("later decisions", mark.decisions, held.decisions),
        ("indexed messages", mark.messages, held.messages),
    ]
    .into_iter()
    .filter(|(_, written, has)| has < written)
    .map(|(what, written, has)| format!("{has} of the {written} {what}"))
    .collect()
}

/// "12 of the 400 signals and 3 of the 471 orders".
pub(super) fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_mark_reads_back_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()).unwrap(), Found::None));
        let mut held = Held {
            instance: "k3x9".into(),
            signals: 3,
            ..Held::default()
        };
        write(dir.path(), &held, true).unwrap();
        held.signals = 4;
        held.mode = Mode::Halted;
        write(dir.path(), &held, false).unwrap();
        match read(dir.path()).unwrap() {
            Found::Mark(mark) => assert_eq!(mark.held, held),
            _ => panic!("the mark is not read back"),
        }
        assert!(!dir.path().join(TEMP).exists(), "the temp file is renamed");
    }

    #[test]
    fn a_torn_mark_is_told_apart_from_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(path(dir.path()), b"{\"instance\": \"k3").unwrap();
        assert!(matches!(read(dir.path()).unwrap(), Found::Unreadable(_)));
    }

    #[test]
    fn the_shortfall_names_each_log_behind() {
        let mark = Held {
            signals: 400,
            orders: 471,
            audit: 2,
            ..Held::default()
        };
        let held = Held {
            signals: 12,
            orders: 471,
            audit: 0,
            ..Held::default()
        };
        let parts = shortfall(&mark, &held);
        assert_eq!(
            and_list(&parts),
            "12 of the 400 signals and 0 of the 2 audit entries"
        );
        assert!(shortfall(&held, &mark).is_empty(), "ahead is not behind");
    }
}
