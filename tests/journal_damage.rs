//! A journal that lost history is refused, never taken for a new one: its files damaged or
//! removed in each way a disk, a person or a probe can, then opened through the API and through
//! the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use signalos::engine::{Action, Origin, Reply};
use signalos::model::{Decision, Mode, Parsed, SignalRecord};
use signalos::store::{AuditEntry, Journal, JournalError, OrderEntry, OrderEvent};

const BIN: &str = env!("CARGO_BIN_EXE_signalos");

/// Messages the test journals hold, as the file source of the binary tests would have read them.
const MESSAGES: u64 = 400;

fn message(id: u64) -> String {
    format!("XAUUSD BUY NOW SL {} TP {}", 4000 + id, 4300 + id)
}

fn record(seq: u64, id: u64) -> SignalRecord {
    SignalRecord {
        seq,
        received_at: 1_000 + id as i64,
        sent_at: None,
        source: "inbox".into(),
        chat: "vip".into(),
        msg_id: id as i64,
        edit: 0,
        reply_to: None,
        text: message(id),
        parsed: Parsed::default(),
        linked: None,
        decision: Decision::Ignored {
            reason: "journal damage test".into(),
        },
    }
}

/// What a test journal holds besides its signals. How sled lays out its log, and so what a
/// damage does to it, depends on it; the shapes below are those that showed sled 0.34.7's
/// different failures.
#[derive(Clone, Copy)]
struct Shape {
    name: &'static str,
    /// An order intent and its outcome for each message.
    orders: bool,
    /// Meta rewrites after each message (the day's equity book, the counters), each flushed:
    /// they move sled's log on, so it reuses its segments as a journal in use for a while does.
    metas: usize,
}

/// As the engine writes a journal.
const ENGINE: Shape = Shape {
    name: "engine",
    orders: true,
    metas: 2,
};
/// Without its snapshot, sled came back from this one empty, without an error, at each try.
const CHURNED: Shape = Shape {
    name: "churned",
    orders: false,
    metas: 2,
};
/// Cut short, this one made sled panic.
const HEAVY: Shape = Shape {
    name: "heavy",
    orders: false,
    metas: 20,
};

/// Append messages `ids` the way the engine does: the signal, an order intent and its outcome,
/// an audit entry now and then, the meta, and a flush after each message.
fn journal_messages(journal: &mut Journal, ids: std::ops::RangeInclusive<u64>) {
    journal_shaped(journal, ids, ENGINE);
}

fn journal_shaped(journal: &mut Journal, ids: std::ops::RangeInclusive<u64>, shape: Shape) {
    for id in ids {
        let seq = journal.next_signal_seq();
        journal.append_signal(&record(seq, id)).unwrap();
        let events = if shape.orders {
            vec![
                OrderEvent::Unknown {
                    reason: "sent".into(),
                    link_lost: false,
                },
                OrderEvent::Resolved {
                    found: true,
                    detail: format!("ticket {id}"),
                },
            ]
        } else {
            Vec::new()
        };
        for event in events {
            journal
                .append_order(OrderEntry {
                    seq: 0,
                    at: 2_000 + id as i64,
                    cid: format!("k3x9-s{seq}-1"),
                    signal: Some(seq),
                    command: None,
                    event,
                })
                .unwrap();
        }
        if id % 50 == 0 {
            audit(journal, Action::Pause);
        }
        for _ in 0..shape.metas {
            let mut meta = journal.meta().unwrap();
            meta.instance = "k3x9".into();
            meta.counters.messages += 1;
            meta.mode_reason = format!("message {id} {}", "·".repeat(150));
            journal.set_meta(&meta).unwrap();
            journal.flush_blocking().unwrap();
        }
    }
}

fn audit(journal: &mut Journal, action: Action) {
    journal
        .append_audit(AuditEntry {
            seq: 0,
            at: 3_000,
            origin: Origin::console(),
            action,
            reply: Reply::Accepted {
                detail: "test".into(),
            },
        })
        .unwrap();
}

/// A data dir whose journal holds `MESSAGES` messages, written over five runs (so that sled has
/// snapshots and has reused log segments, as a journal in use has), with its mark.
fn data_dir(root: &Path) -> PathBuf {
    shaped_data_dir(root, ENGINE)
}

fn shaped_data_dir(root: &Path, shape: Shape) -> PathBuf {
    let data = root.join(shape.name);
    for run in 0..5 {
        let mut journal = Journal::open(&data).unwrap();
        journal_shaped(&mut journal, run * 80 + 1..=run * 80 + 80, shape);
    }
    drop(Journal::open(&data).unwrap());
    data
}

/// A copy of the data dir `data` under `root`, to damage.
fn copy(data: &Path, root: &Path, name: &str) -> PathBuf {
    let to = root.join(name);
    let status = Command::new("cp")
        .arg("-a")
        .arg(data)
        .arg(&to)
        .status()
        .unwrap();
    assert!(status.success());
    to
}

fn db(data: &Path) -> PathBuf {
    data.join("journal").join("db")
}

fn snapshots(data: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(data.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .collect()
}

/// The newest record in `data`'s journal.mark, as a person reads it: each line is a checksum and
/// a JSON object; null when there is none.
fn mark_of(data: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(data.join("journal.mark")).unwrap_or_default();
    text.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line.split_once(' ')?.1).ok())
        .max_by_key(|mark| mark["seq"].as_u64())
        .unwrap_or_default()
}

/// Open the journal in `data`, turning a panic into a test failure that says so.
fn open(data: &Path) -> Result<Journal, JournalError> {
    std::panic::catch_unwind(|| Journal::open(data))
        .unwrap_or_else(|_| panic!("Journal::open panicked on {}", data.display()))
}

/// The refusal of the damaged journal in `data`, checked for what a user must read in it.
fn refused(data: &Path) -> String {
    let err = match open(data) {
        Ok(journal) => panic!(
            "{} opened with {} signals",
            data.display(),
            journal.next_signal_seq() - 1
        ),
        Err(e) => e,
    };
    assert!(matches!(err, JournalError::Damaged { .. }), "{err:?}");
    let shown = err.to_string();
    says_what_to_do(&shown, data);
    shown
}

fn says_what_to_do(shown: &str, data: &Path) {
    let dir = data.display().to_string();
    for words in [
        dir.as_str(),
        "SignalOS will not start on this journal",
        "trade again",
        "restore the data dir",
        &format!("`mv '{dir}' '{dir}.damaged'`"),
        "SignalOS has deleted nothing",
    ] {
        assert!(shown.contains(words), "{words:?} not in:\n{shown}");
    }
}

/// Whether `journal` has every message and order written (`orders`: 2 a message, or none),
/// each readable.
fn whole(journal: &Journal, orders: bool) -> bool {
    let signals: Vec<_> = journal.signals(1).collect::<Result<_, _>>().unwrap();
    let written = journal.orders(1).filter(|o| o.is_ok()).count() as u64;
    signals.len() as u64 == MESSAGES
        && signals.iter().zip(1..).all(|(s, id)| s.text == message(id))
        && written == if orders { 2 * MESSAGES } else { 0 }
}

/// Each damage either is refused with the message, returned, or left the journal whole: never
/// an open with less, never a panic.
fn refused_or_whole(data: &Path, shape: Shape, what: &str) -> Option<String> {
    match open(data) {
        Ok(journal) => {
            assert!(
                whole(&journal, shape.orders),
                "{what}: opened with less than was written"
            );
            None
        }
        Err(e) => {
            assert!(matches!(e, JournalError::Damaged { .. }), "{what}: {e:?}");
            let shown = e.to_string();
            says_what_to_do(&shown, data);
            Some(shown)
        }
    }
}

/// Whether sled comes back from a removed snapshot with everything depends on how its log
/// segments were reused; the journal of issue 11 came back empty, and so does `CHURNED`.
#[test]
fn a_journal_whose_snapshot_was_removed_is_refused_if_it_lost_anything() {
    let root = tempfile::tempdir().unwrap();
    for shape in [ENGINE, CHURNED] {
        let data = shaped_data_dir(root.path(), shape);
        let damaged = copy(&data, root.path(), &format!("{}-nosnap", shape.name));
        let snaps = snapshots(&damaged);
        assert!(!snaps.is_empty(), "sled wrote no snapshot to remove");
        for snap in snaps {
            std::fs::remove_file(snap).unwrap();
        }
        let what = format!("{}: snapshot removed", shape.name);
        let refusal = refused_or_whole(&damaged, shape, &what);
        if let Some(shown) = &refusal {
            assert!(shown.contains("of the 400 signals"), "{shown}");
        }
        if shape.name == CHURNED.name {
            assert!(
                refusal.is_some_and(|shown| shown.contains("holds only 0 of the 400 signals")),
                "sled no longer loses this journal without its snapshot: pick another shape"
            );
        }
    }
}

#[test]
fn a_missing_or_empty_db_is_refused_without_a_panic() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());

    let removed = copy(&data, root.path(), "removed");
    std::fs::remove_file(db(&removed)).unwrap();
    let shown = refused(&removed);
    assert!(shown.contains("db is missing"), "{shown}");
    assert!(
        shown.contains("it had written 400 signals, 800 orders and 8 audit entries by"),
        "{shown}"
    );
    assert!(!db(&removed).exists(), "nothing was created in its place");

    let emptied = copy(&data, root.path(), "emptied");
    std::fs::write(db(&emptied), b"").unwrap();
    let shown = refused(&emptied);
    assert!(shown.contains("db is empty"), "{shown}");

    // Without the mark too: sled would panic on it, or start an empty journal.
    std::fs::remove_file(emptied.join("journal.mark")).unwrap();
    let shown = refused(&emptied);
    assert!(shown.contains("db is empty"), "{shown}");
}

/// Cut where the journal's entries are, it has lost them; cut past them, it is whole. Most cuts
/// of `HEAVY` make sled panic: that is caught and refused like the rest.
#[test]
fn a_truncated_db_is_refused_wherever_it_was_cut() {
    let root = tempfile::tempdir().unwrap();
    for shape in [ENGINE, HEAVY] {
        let data = shaped_data_dir(root.path(), shape);
        let len = std::fs::metadata(db(&data)).unwrap().len();
        let mut refusals = Vec::new();
        // sled's log is made of 512 KiB segments: a cut at a segment's end leaves whole ones.
        let cuts = [1, 100, 4096, 20_000, 1 << 19, 2 << 19].into_iter();
        for cut in cuts
            .chain((1..8).map(|i| i * len / 8))
            .chain([len - 100, len - 1])
            .filter(|&cut| cut < len)
        {
            let damaged = copy(&data, root.path(), &format!("{}-cut-{cut}", shape.name));
            std::fs::OpenOptions::new()
                .write(true)
                .open(db(&damaged))
                .unwrap()
                .set_len(cut)
                .unwrap();
            let what = format!("{}: db cut at {cut} of {len} bytes", shape.name);
            refusals.extend(refused_or_whole(&damaged, shape, &what));
        }
        assert!(
            refusals.len() >= 6,
            "{}: only {} cuts refused",
            shape.name,
            refusals.len()
        );
        if shape.name == HEAVY.name {
            assert!(
                refusals.iter().any(|shown| shown.contains("sled stopped")),
                "sled no longer panics on this journal cut short: pick another shape"
            );
        }
    }
}

#[test]
fn flipped_bits_in_the_db_never_open_with_less() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let bytes = std::fs::read(db(&data)).unwrap();
    // Where a signal's text was written last (its live copy, most likely), and a spread of
    // offsets over the file.
    let last_copy = |id: u64| {
        let needle = message(id).into_bytes();
        bytes
            .windows(needle.len())
            .rposition(|w| w == needle)
            .unwrap()
    };
    let len = bytes.len();
    let mut offsets = vec![last_copy(1), last_copy(200), last_copy(MESSAGES)];
    offsets.extend((0..8).map(|i| i * len / 8 + 7));
    let mut refusals = 0;
    for offset in offsets {
        let damaged = copy(&data, root.path(), &format!("flip-{offset}"));
        let mut flipped = bytes.clone();
        flipped[offset] ^= 0x24;
        std::fs::write(db(&damaged), flipped).unwrap();
        let what = format!("bits flipped at {offset} of {len}");
        if refused_or_whole(&damaged, ENGINE, &what).is_some() {
            refusals += 1;
        }
    }
    assert!(refusals >= 1, "no flip hit the journal's entries");
}

#[test]
fn a_removed_journal_folder_is_refused_while_its_mark_stays() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    std::fs::remove_dir_all(data.join("journal")).unwrap();
    let shown = refused(&data);
    assert!(shown.contains("folder"), "{shown}");
    assert!(shown.contains("is missing"), "{shown}");
    assert!(!data.join("journal").exists(), "no new journal was made");
    assert!(
        Journal::exists(&data),
        "`signalos journal` must not say there is none"
    );
}

/// sled returning fewer entries without an error, as the probe of issue 11 saw: here the journal
/// folder is replaced by a copy taken 100 messages earlier.
#[test]
fn a_journal_that_quietly_holds_less_than_its_mark_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 1..=300);
    drop(journal);
    let older = copy(&data.join("journal"), root.path(), "older");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 301..=MESSAGES);
    drop(journal);
    std::fs::remove_dir_all(data.join("journal")).unwrap();
    std::fs::rename(&older, data.join("journal")).unwrap();

    let shown = refused(&data);
    assert!(
        shown.contains("holds only 300 of the 400 signals, 600 of the 800 orders"),
        "{shown}"
    );
    assert!(shown.contains("300 of the 400 indexed messages"), "{shown}");
    assert!(shown.contains("replaced by older ones"), "{shown}");
}

/// The emergency stop is in the meta, not in a log: a journal that came back from damage with
/// every log but an older meta would start ACTIVE.
#[test]
fn a_journal_that_lost_its_emergency_stop_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 1..=20);
    drop(journal);
    let before = copy(&data.join("journal"), root.path(), "before");
    let journal = Journal::open(&data).unwrap();
    let mut meta = journal.meta().unwrap();
    meta.mode = Mode::Halted;
    journal.set_meta(&meta).unwrap();
    journal.flush_blocking().unwrap();
    drop(journal);
    std::fs::remove_dir_all(data.join("journal")).unwrap();
    std::fs::rename(&before, data.join("journal")).unwrap();

    let shown = refused(&data);
    assert!(shown.contains("says ACTIVE, but it was HALTED"), "{shown}");
}

#[test]
fn a_resume_after_an_emergency_stop_is_no_false_alarm() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 1..=5);
    let mut meta = journal.meta().unwrap();
    meta.mode = Mode::Halted;
    journal.set_meta(&meta).unwrap();
    journal.flush_blocking().unwrap();
    // The resume's audit entry and the new mode, flushed by sled, but the process stopped
    // before the mark was written: the journal is ahead of its mark.
    let halted_mark = std::fs::read(data.join("journal.mark")).unwrap();
    audit(
        &mut journal,
        Action::Resume {
            reason: "test".into(),
        },
    );
    meta.mode = Mode::Active;
    journal.set_meta(&meta).unwrap();
    journal.flush_blocking().unwrap();
    drop(journal);
    std::fs::write(data.join("journal.mark"), halted_mark).unwrap();

    let journal = open(&data).unwrap();
    assert_eq!(journal.meta().unwrap().mode, Mode::Active);
}

#[test]
fn a_clean_restart_and_a_journal_ahead_of_its_mark_open() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    assert!(!Journal::exists(&data));
    let mut journal = Journal::open(&data).unwrap();
    assert!(
        data.join("journal.mark").exists(),
        "a new journal has a mark"
    );
    journal_messages(&mut journal, 1..=50);
    drop(journal);
    for _ in 0..3 {
        let journal = open(&data).unwrap();
        assert_eq!(journal.next_signal_seq(), 51);
    }

    // Flushed in sled, the mark not yet rewritten: a crash between the two.
    let behind = std::fs::read(data.join("journal.mark")).unwrap();
    let mut journal = open(&data).unwrap();
    journal_messages(&mut journal, 51..=60);
    drop(journal);
    std::fs::write(data.join("journal.mark"), &behind).unwrap();
    let journal = open(&data).unwrap();
    assert_eq!(journal.next_signal_seq(), 61);
    drop(journal);
    let mark = mark_of(&data);
    assert_eq!(mark["signals"], 60, "the mark is brought up to the journal");
    assert_eq!(mark["instance"], "k3x9");
}

#[test]
fn a_journal_from_before_the_mark_opens_and_gets_one() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 1..=30);
    drop(journal);
    std::fs::remove_file(data.join("journal.mark")).unwrap();

    let journal = open(&data).unwrap();
    assert_eq!(journal.next_signal_seq(), 31);
    drop(journal);
    let mark = mark_of(&data);
    assert_eq!(
        (&mark["signals"], &mark["orders"], &mark["messages"]),
        (&30.into(), &60.into(), &30.into())
    );
}

/// A power loss can leave the mark empty (it is not synced at every flush): beside a journal that
/// holds entries it is written anew; beside an empty one it is refused.
#[test]
fn a_torn_mark_is_rewritten_beside_a_whole_journal_only() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let mut journal = Journal::open(&data).unwrap();
    journal_messages(&mut journal, 1..=10);
    drop(journal);
    std::fs::write(data.join("journal.mark"), b"").unwrap();
    drop(open(&data).unwrap());
    let mark = mark_of(&data);
    assert_eq!(mark["signals"], 10);

    let fresh = root.path().join("fresh");
    drop(Journal::open(&fresh).unwrap());
    std::fs::write(fresh.join("journal.mark"), b"{\"sig").unwrap();
    assert!(refused(&fresh).contains("is unreadable"));
}

// ---- the binary ---------------------------------------------------------------------------

/// A command with a private HOME and no SIGNALOS_* variables, as tests/cli.rs runs it.
fn signalos(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("NO_COLOR");
    for (k, _) in std::env::vars() {
        if k.starts_with("SIGNALOS_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// A config with one file source following `inbox.jsonl` in `home`, holding messages `ids`.
fn inbox_config(home: &Path, ids: std::ops::RangeInclusive<u64>) -> PathBuf {
    let lines: String = ids
        .map(|id| {
            format!(
                "{}\n",
                serde_json::json!({"chat": "vip", "id": id, "text": message(id)})
            )
        })
        .collect();
    std::fs::write(home.join("inbox.jsonl"), lines).unwrap();
    let config = home.join("c.toml");
    std::fs::write(
        &config,
        "[broker]\ntick_ms = 50\n\n[[sources]]\nkind = \"file\"\nname = \"inbox\"\n\
         path = \"inbox.jsonl\"\npoll_ms = 50\n",
    )
    .unwrap();
    config
}

fn run_headless(home: &Path, config: &Path, data: &Path) -> std::process::Child {
    signalos(home)
        .args(["run", "--headless", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait for `child` to exit on its own, at most `limit`.
fn exited(mut child: std::process::Child, limit: Duration) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("still running after {limit:?}: {}", text(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn journal_signals(home: &Path, data: &Path) -> Output {
    signalos(home)
        .args(["journal", "signals", "--data-dir"])
        .arg(data)
        .output()
        .unwrap()
}

/// Refused by `run --headless` and by `journal signals`, with the message on stderr and a
/// non-zero exit, before anything starts.
fn binary_refuses(home: &Path, config: &Path, data: &Path, words: &str) {
    let account = std::fs::read(data.join("simulator.json")).ok();
    let out = exited(run_headless(home, config, data), Duration::from_secs(30));
    let err = text(&out.stderr);
    assert!(!out.status.success(), "run started: {err}");
    assert!(err.contains(words), "{words:?} not in:\n{err}");
    says_what_to_do(&err, data);
    assert!(
        !err.contains("engine state rebuilt") && !err.contains("started"),
        "the engine started: {err}"
    );
    assert_eq!(
        std::fs::read(data.join("simulator.json")).ok(),
        account,
        "the simulated account changed"
    );

    let out = journal_signals(home, data);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "journal signals succeeded");
    assert!(out.stdout.is_empty(), "journal signals printed a journal");
    assert!(err.contains(words), "{words:?} not in:\n{err}");
    says_what_to_do(&err, data);
}

/// Run headless until the engine has journaled and flushed `n` signals (its mark says so), then
/// stop it with SIGTERM.
fn run_until_journaled(home: &Path, config: &Path, data: &Path, n: u64) {
    let child = run_headless(home, config, data);
    let started = Instant::now();
    loop {
        let mark = mark_of(data);
        if mark["signals"] == n {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{n} messages were not journaled: {mark}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = exited(child, Duration::from_secs(10));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Put the data dir `whole` back in place of `data`.
fn put_back(whole: &Path, data: &Path) {
    std::fs::remove_dir_all(data).unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(whole)
        .arg(data)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The journal the binary wrote, damaged, is refused by the binary; the file source's messages
/// are never journaled (or traded) anew.
#[test]
fn the_binary_refuses_a_damaged_journal_and_trades_nothing() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let data = home.join("data");
    let config = inbox_config(home, 1..=5);
    run_until_journaled(home, &config, &data, 5);
    let older = copy(&data.join("journal"), home, "older-journal");
    // Restarts raise no alarm: the run goes on with the three new messages, and the journal
    // lists all eight.
    inbox_config(home, 1..=8);
    run_until_journaled(home, &config, &data, 8);
    let out = journal_signals(home, &data);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 8);
    let whole = copy(&data, home, "whole");

    // The journal quietly rolled back to its state after five messages.
    std::fs::remove_dir_all(data.join("journal")).unwrap();
    std::fs::rename(&older, data.join("journal")).unwrap();
    binary_refuses(home, &config, &data, "holds only 5 of the 8 signals");

    put_back(&whole, &data);
    std::fs::write(db(&data), b"").unwrap();
    binary_refuses(home, &config, &data, "db is empty");
    assert_eq!(
        std::fs::metadata(db(&data)).unwrap().len(),
        0,
        "nothing journaled"
    );

    // The folder removed: sled would have made a new, empty journal.
    put_back(&whole, &data);
    std::fs::remove_dir_all(data.join("journal")).unwrap();
    binary_refuses(home, &config, &data, "folder");
    assert!(!data.join("journal").exists());
}

/// The journal of issue 11: 400 messages, its snapshot removed (in the shape sled comes back
/// from empty), or its database file emptied; the file source still holds all 400 messages.
#[test]
fn the_binary_refuses_a_journal_that_lost_history_of_400_messages() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let data = shaped_data_dir(home, CHURNED);
    let config = inbox_config(home, 1..=MESSAGES);

    let nosnap = copy(&data, home, "nosnap");
    for snap in snapshots(&nosnap) {
        std::fs::remove_file(snap).unwrap();
    }
    binary_refuses(home, &config, &nosnap, "holds only 0 of the 400 signals");

    let emptied = copy(&data, home, "emptied");
    std::fs::write(db(&emptied), b"").unwrap();
    binary_refuses(home, &config, &emptied, "db is empty");
}
