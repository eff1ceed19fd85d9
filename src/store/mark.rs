//! `journal.mark`, beside the journal: how much the journal had made durable at its last flush.
//! sled can come back from damaged or removed files with fewer entries and no error; without a
//! record kept outside sled, that journal would look new and every message its sources still hold
//! would be traded again. The mark is that record.
//!
//! It is rewritten after every flush, on the path of every order, so it is cheap: two fixed slots
//! overwritten in turn in place (about a microsecond), each one line of a CRC-32 and the JSON it
//! covers. Renaming a new file over the old one costs ~70 µs on ext4, as much as the journal's
//! own flush, and an fsync as much again. Neither is needed for the one rule that matters, that
//! the mark never claims more than the journal holds: its figures are durable in sled before they
//! are written. A crash can then leave the last slot written torn (its checksum fails and the
//! other slot, one flush older, is read) or, after a power loss, older slots than were written:
//! a mark behind the journal, which is harmless and brought up to date at the next open.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{Millis, Mode};

/// The file's name in the data dir.
pub(super) const FILE: &str = "journal.mark";
/// The bytes of one slot: the checksum in hex, a space, the JSON, spaces, a newline.
const SLOT: usize = 512;
const SLOTS: u64 = 2;

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
    /// Counts the marks written, so the newer slot is known whatever the clock did.
    pub seq: u64,
}

/// What the data dir has in place of a mark.
pub(super) enum Found {
    None,
    /// A mark without one whole slot, with the reason.
    Unreadable(String),
    Mark(Mark),
}

pub(super) fn path(data: &Path) -> PathBuf {
    data.join(FILE)
}

/// The newest whole slot of the mark in the data dir `data`.
pub(super) fn read(data: &Path) -> std::io::Result<Found> {
    let bytes = match std::fs::read(path(data)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::None),
        Err(e) => return Err(e),
    };
    let newest = bytes
        .chunks(SLOT)
        .filter_map(slot_mark)
        .max_by_key(|m| m.seq);
    Ok(match newest {
        Some(mark) => Found::Mark(mark),
        None if bytes.is_empty() => Found::Unreadable("it is empty".into()),
        None => Found::Unreadable("no part of it has a valid checksum".into()),
    })
}

fn slot_mark(slot: &[u8]) -> Option<Mark> {
    let line = std::str::from_utf8(slot).ok()?.trim_end();
    let (crc, json) = line.split_once(' ')?;
    let crc = u32::from_str_radix(crc, 16).ok()?;
    (crc32fast::hash(json.as_bytes()) == crc)
        .then(|| serde_json::from_str(json).ok())
        .flatten()
}

fn slot_bytes(mark: &Mark) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_string(mark).map_err(std::io::Error::other)?;
    let mut line = format!("{:08x} {json}", crc32fast::hash(json.as_bytes())).into_bytes();
    if line.len() >= SLOT {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a mark of {} bytes does not fit in {SLOT}", line.len()),
        ));
    }
    line.resize(SLOT - 1, b' ');
    line.push(b'\n');
    Ok(line)
}

/// The open mark file, written after each flush.
pub(super) struct Writer {
    file: File,
    seq: u64,
}

impl Writer {
    /// Write `held` to both slots of the mark in `data`, making it durable (file and folder
    /// synced): done at open, where the figures were read back from disk, so that a mark that
    /// follows the newest one found (`seq`) never rests on an unsynced file.
    pub fn create(data: &Path, held: &Held, seq: u64) -> std::io::Result<Writer> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path(data))?;
        let mut writer = Writer { file, seq };
        for _ in 0..SLOTS {
            writer.write(held)?;
        }
        file = writer.file;
        file.set_len(SLOT as u64 * SLOTS)?;
        file.sync_all()?;
        File::open(data)?.sync_all()?;
        Ok(Writer {
            file,
            seq: writer.seq,
        })
    }

    /// Reuse the mark in `data` as it is, its newest slot numbered `seq`.
    pub fn reopen(data: &Path, seq: u64) -> std::io::Result<Writer> {
        let file = OpenOptions::new().write(true).open(path(data))?;
        Ok(Writer { file, seq })
    }

    /// Overwrite the older slot with `held`.
    pub fn write(&mut self, held: &Held) -> std::io::Result<()> {
        let seq = self.seq + 1;
        let bytes = slot_bytes(&Mark {
            held: held.clone(),
            written_at: crate::model::now_millis(),
            seq,
        })?;
        self.file
            .seek(SeekFrom::Start((seq % SLOTS) * SLOT as u64))?;
        self.file.write_all(&bytes)?;
        self.seq = seq;
        Ok(())
    }
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

    fn read_held(dir: &Path) -> Held {
        match read(dir).unwrap() {
            Found::Mark(mark) => mark.held,
            _ => panic!("no mark read back"),
        }
    }

    #[test]
    fn the_newest_slot_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path()).unwrap(), Found::None));
        let mut held = Held {
            instance: "k3x9".into(),
            signals: 3,
            ..Held::default()
        };
        let mut writer = Writer::create(dir.path(), &held, 0).unwrap();
        assert_eq!(read_held(dir.path()), held);
        for signals in 4..7 {
            held.signals = signals;
            held.mode = Mode::Halted;
            writer.write(&held).unwrap();
            assert_eq!(read_held(dir.path()), held);
        }
        let size = std::fs::metadata(path(dir.path())).unwrap().len();
        assert_eq!(size, 1024, "two slots, whatever was written");
    }

    /// A write torn by a crash spoils one slot: the other, one flush older, is read.
    #[test]
    fn a_torn_slot_leaves_the_one_before() {
        let dir = tempfile::tempdir().unwrap();
        let mut held = Held {
            signals: 10,
            ..Held::default()
        };
        let mut writer = Writer::create(dir.path(), &held, 0).unwrap();
        held.signals = 11;
        writer.write(&held).unwrap();
        let mut bytes = std::fs::read(path(dir.path())).unwrap();
        let newest = (writer.seq % SLOTS) as usize * SLOT;
        // "signals":11 → "signals":91: a mix of two writes that would claim more.
        let at = newest
            + String::from_utf8_lossy(&bytes[newest..])
                .find("\"signals\":1")
                .unwrap();
        bytes[at + 10] = b'9';
        std::fs::write(path(dir.path()), &bytes).unwrap();
        assert_eq!(read_held(dir.path()).signals, 10);

        bytes[SLOT * (1 - newest / SLOT) + 3] ^= 1;
        std::fs::write(path(dir.path()), &bytes).unwrap();
        assert!(matches!(read(dir.path()).unwrap(), Found::Unreadable(_)));
        std::fs::write(path(dir.path()), b"").unwrap();
        assert!(matches!(read(dir.path()).unwrap(), Found::Unreadable(_)));
    }

    #[test]
    fn a_mark_too_long_for_its_slot_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let held = Held {
            instance: "x".repeat(600),
            ..Held::default()
        };
        assert!(Writer::create(dir.path(), &held, 0).is_err());
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
