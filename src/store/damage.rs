//! Telling a damaged journal from a new one, and what the user reads when it is refused.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Once;

use super::JournalError;
use super::mark::{self, Found, Held};
use crate::model::Mode;

/// The problem with the files of the journal in `journal` (the sled dir), found without opening
/// it, when it is certain: sled creates its `db` file with the dir and never empties it, and the
/// mark is written only once the dir exists, so a missing or empty `db` beside files sled left,
/// or beside a mark, is damage. Opening it would make sled panic or start an empty journal.
pub(super) fn missing_files(journal: &Path, marked: bool) -> Option<String> {
    let shown = journal.display();
    let dir = match std::fs::metadata(journal) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && marked => {
            return Some(format!("the journal's folder {shown} is missing"));
        }
        // No journal yet, or something sled will name when it tries to open it.
        Err(_) => return None,
    };
    if !dir.is_dir() {
        return None;
    }
    let left =
        marked || std::fs::read_dir(journal).is_ok_and(|mut entries| entries.next().is_some());
    let db = journal.join("db");
    match std::fs::metadata(&db) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && left => Some(format!(
            "the journal's database file {} is missing",
            db.display()
        )),
        Ok(m) if m.len() == 0 && left => Some(format!(
            "the journal's database file {} is empty",
            db.display()
        )),
        _ => None,
    }
}

/// A refusal of the journal in the data dir `data`: `what` happened to it, and what the mark says
/// it had written when one was read.
pub(super) fn damaged(data: &Path, what: String, found: &Found) -> JournalError {
    let what = match found {
        Found::Mark(m) => format!(
            "{what}; it had written {} (as {} records)",
            written(&m.held, &mark::when(m.written_at)),
            mark::path(data).display()
        ),
        Found::Unreadable(_) | Found::None => what,
    };
    JournalError::Damaged {
        dir: data.to_path_buf(),
        what,
    }
}

/// "400 signals, 471 orders and 3 audit entries by 2026-12-05 14:02:07 UTC".
pub(super) fn written(held: &Held, when: &str) -> String {
    let logs: Vec<String> = [
        (held.signals, "signals"),
        (held.orders, "orders"),
        (held.audit, "audit entries"),
        (held.decisions, "later decisions"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let logs = if logs.is_empty() {
        "no entries yet".to_string()
    } else {
        mark::and_list(&logs)
    };
    format!("{logs} by {when}{}", halted_then(held.mode))
}

/// Said after the time of a mark written while the journal was HALTED.
pub(super) fn halted_then(mode: Mode) -> &'static str {
    if mode == Mode::Halted {
        ", when it was HALTED"
    } else {
        ""
    }
}

/// What the user can do about a refused journal in the data dir `data`. SignalOS itself never
/// deletes or repairs anything: which history to trust is the user's call.
pub(super) fn advice(data: &Path) -> String {
    let here = quoted(data);
    let aside = quoted(&data.with_file_name(format!(
        "{}.damaged",
        data.file_name()
            .map_or_else(|| "data".into(), |n| n.to_string_lossy())
    )));
    format!(
        "SignalOS will not start on this journal: it no longer knows every message it has acted \
         on, and would trade again each one its sources still hold. SignalOS has deleted nothing, \
         but sled may have rewritten what it could not read while opening it: copy the data dir \
         aside before you try anything else on it.\n\
         To go on, either:\n\
         \x20 - restore the data dir {here} from a backup taken while SignalOS was stopped (the \
         journal folder and journal.mark together), then start again: what your sources posted \
         after the backup is read again, and the trades made since it are held as orphans (no \
         new entries, PAUSED) until you have checked them at the broker; or\n\
         \x20 - accept the loss of that history: move the data dir aside with `mv {here} {aside}` \
         and start again with a new, empty journal. Before that, empty or move aside the files \
         your file sources follow (a new journal takes every message in them for new), and check \
         the positions open at the broker: the new journal does not know them."
    )
}

/// A path as one shell word.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

thread_local! {
    /// Set while `contain` runs on this thread: its panics are reported as errors, not printed.
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f`, returning a panic as the text it carried. sled 0.34 panics on some damaged files (a
/// missing or empty `db` beside a snapshot, some truncations) instead of returning an error. The
/// panic hook is process-wide, so it is wrapped once: it stays silent for a panic raised inside
/// `contain` on the same thread and passes every other panic on unchanged.
pub(super) fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINED.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contained_panic_comes_back_as_its_message() {
        assert_eq!(contain(|| 7), Ok(7));
        let caught = contain(|| -> u8 { panic!("segment {} is torn", 3) });
        assert_eq!(caught, Err("segment 3 is torn".into()));
        assert!(!CONTAINED.with(Cell::get), "the flag is cleared after");
    }

    #[test]
    fn the_way_out_names_the_exact_command() {
        let shown = advice(Path::new("/srv/it's data"));
        assert!(
            shown.contains(r"`mv '/srv/it'\''s data' '/srv/it'\''s data.damaged'`"),
            "{shown}"
        );
    }

    #[test]
    fn files_missing_beside_a_mark_or_a_used_folder_are_damage() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal");
        assert_eq!(missing_files(&journal, false), None, "a new data dir");
        assert!(missing_files(&journal, true).is_some_and(|w| w.contains("folder")));
        std::fs::create_dir(&journal).unwrap();
        assert_eq!(missing_files(&journal, false), None, "an empty folder");
        std::fs::write(journal.join("conf"), "segment_size: 524288").unwrap();
        assert!(missing_files(&journal, false).is_some_and(|w| w.contains("db is missing")));
        std::fs::write(journal.join("db"), "").unwrap();
        assert!(missing_files(&journal, false).is_some_and(|w| w.contains("db is empty")));
        std::fs::write(journal.join("db"), "x").unwrap();
        assert_eq!(missing_files(&journal, true), None);
    }
}
