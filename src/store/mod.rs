//! The journal: a sled database in the data dir. Signals, order intents and their outcomes, and
//! the audit log are append-only trees keyed by a consecutive sequence number; nothing is ever
//! deleted. `meta` holds the engine's mode and counters. `journal.mark` beside it (see `mark`)
//! records how much of it was durable, so that a journal that lost history is refused, not taken
//! for a new one.

mod damage;
mod mark;
mod records;
mod story;

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

pub use records::{AuditEntry, Counters, DecisionEntry, Meta, OrderEntry, OrderEvent};
pub use story::Step;

use mark::{Found, Held, Mark};
use tracing::{error, info, warn};

use crate::model::{Decision, Mode, SignalRecord};

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(
        "the journal in {dir} is in use by another running signalos (stop it, or pass another --data-dir)"
    )]
    Locked { dir: PathBuf },
    #[error("cannot open the journal in {dir}: {source}")]
    Open { dir: PathBuf, source: sled::Error },
    #[error("journal write failed in {dir}: {source}")]
    Write { dir: PathBuf, source: sled::Error },
    /// History the journal had made durable is gone, or sled cannot read its files.
    #[error("{what}.\n{}", damage::advice(.dir))]
    Damaged { dir: PathBuf, what: String },
    #[error("cannot {action} {path}: {source} (check the data dir's permissions and free space)")]
    Mark {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    #[error("journal entry {tree}#{seq} in {dir} is unreadable: {source}")]
    Corrupt {
        dir: PathBuf,
        tree: &'static str,
        seq: u64,
        source: serde_json::Error,
    },
}

/// One append-only tree and the next sequence number to give out.
struct Log {
    name: &'static str,
    tree: sled::Tree,
    next: u64,
}

impl Log {
    fn open(db: &sled::Db, name: &'static str) -> sled::Result<Log> {
        let tree = db.open_tree(name)?;
        let next = match tree.last()? {
            Some((k, _)) => key_seq(&k) + 1,
            None => 1,
        };
        Ok(Log { name, tree, next })
    }
}

/// Entries in `tree`, or only those keyed 1..=`upto`.
fn count(tree: &sled::Tree, upto: Option<u64>) -> sled::Result<u64> {
    let entries = match upto {
        Some(last) => tree.range(..=last.to_be_bytes()),
        None => tree.iter(),
    };
    let mut n = 0;
    for entry in entries {
        entry?;
        n += 1;
    }
    Ok(n)
}

fn mark_err(path: PathBuf, action: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
    move |source| JournalError::Mark {
        path,
        action,
        source,
    }
}

/// sled reports a journal held by another process as an I/O error about its lock.
fn is_locked(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io)
        if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock"))
}

fn key_seq(key: &[u8]) -> u64 {
    key.try_into().map(u64::from_be_bytes).unwrap_or(0)
}

pub struct Journal {
    dir: PathBuf,
    db: sled::Db,
    signals: Log,
    orders: Log,
    audit: Log,
    decisions: Log,
    /// (source, chat, message id, edit) → signal seq: a message seen once is never acted on twice.
    messages: sled::Tree,
    /// Keys in `messages`: counted at open, then as they are added.
    indexed: u64,
    meta: sled::Tree,
    read: Reader,
    mark: Mutex<MarkState>,
}

/// What the next `journal.mark` says of the journal's meta, and what the last one said.
struct MarkState {
    instance: String,
    mode: Mode,
    /// The mark file, open from the end of `Journal::open` on.
    writer: Option<mark::Writer>,
    written: Option<Held>,
    /// The last write failed: said once, not at every flush.
    failing: bool,
}

/// A read-only handle on the journal's logs: cheap to clone, and read on another thread while the
/// engine writes (sled trees are shared handles), so a long read never holds up trading.
#[derive(Clone)]
pub struct Reader {
    dir: PathBuf,
    signals: (&'static str, sled::Tree),
    orders: (&'static str, sled::Tree),
    audit: (&'static str, sled::Tree),
    decisions: (&'static str, sled::Tree),
    /// Message versions → signal seq, as `Journal::seen` reads it.
    messages: sled::Tree,
}

impl Reader {
    pub fn signals(&self, since: u64) -> Entries<'_, SignalRecord> {
        self.entries(&self.signals, since)
    }

    pub fn orders(&self, since: u64) -> Entries<'_, OrderEntry> {
        self.entries(&self.orders, since)
    }

    pub fn audit(&self, since: u64) -> Entries<'_, AuditEntry> {
        self.entries(&self.audit, since)
    }

    pub fn decisions(&self, since: u64) -> Entries<'_, DecisionEntry> {
        self.entries(&self.decisions, since)
    }

    /// The seq of the newest order entry, 0 when there is none.
    pub(super) fn last_order_seq(&self) -> Result<u64, JournalError> {
        let last = self.orders.1.last().map_err(|source| JournalError::Write {
            dir: self.dir.clone(),
            source,
        })?;
        Ok(last.map_or(0, |(k, _)| key_seq(&k)))
    }

    fn entries<'a, T: DeserializeOwned>(
        &'a self,
        (name, tree): &'a (&'static str, sled::Tree),
        since: u64,
    ) -> Entries<'a, T> {
        Entries {
            dir: &self.dir,
            name,
            iter: tree.range(since.max(1).to_be_bytes()..),
            _t: std::marker::PhantomData,
        }
    }
}

const META_KEY: &[u8] = b"meta";

impl Journal {
    /// Whether the data dir `dir` has a journal, whole or not.
    pub fn exists(dir: &Path) -> bool {
        dir.join("journal").exists() || mark::path(dir).exists()
    }

    /// Open (or create) the journal in the data dir `dir`. A journal that holds less than its
    /// `journal.mark` says it had made durable, or whose files sled cannot read, is refused with
    /// `JournalError::Damaged`: taken for a new journal, it would trade every message again.
    pub fn open(dir: &Path) -> Result<Journal, JournalError> {
        let found = mark::read(dir).map_err(mark_err(mark::path(dir), "read"))?;
        let files = dir.join("journal");
        let existed = files.exists();
        if let Some(what) = damage::missing_files(&files, !matches!(found, Found::None)) {
            return Err(damage::damaged(dir, what, &found));
        }
        let sled_err = |source: sled::Error| match source {
            source if is_locked(&source) => JournalError::Locked {
                dir: dir.to_path_buf(),
            },
            // sled's own text for this names an offset and an empty backtrace: nothing a user
            // can act on.
            sled::Error::Corruption { .. } => damage::damaged(
                dir,
                format!(
                    "sled found corrupted data in the journal's files in {}",
                    files.display()
                ),
                &found,
            ),
            sled::Error::ReportableBug(bug) => damage::damaged(
                dir,
                format!(
                    "sled cannot read the journal's files in {} ({bug})",
                    files.display()
                ),
                &found,
            ),
            source => JournalError::Open {
                dir: dir.to_path_buf(),
                source,
            },
        };
        let panicked = |panic: String| {
            damage::damaged(
                dir,
                format!(
                    "sled stopped on the journal's files in {} ({panic})",
                    files.display()
                ),
                &found,
            )
        };
        let journal = damage::contain(|| Self::open_trees(dir))
            .map_err(panicked)?
            .map_err(sled_err)?;
        let meta = journal.meta()?;
        let held = journal.held(meta.instance.clone(), meta.mode);
        match &found {
            Found::Mark(m) => {
                let present = damage::contain(|| journal.present(&m.held))
                    .map_err(panicked)?
                    .map_err(sled_err)?;
                journal.check(m, &present, &held)?;
            }
            Found::Unreadable(why) if held == Held::default() => {
                return Err(damage::damaged(
                    dir,
                    format!(
                        "{} is unreadable ({why}) and the journal in {} is empty",
                        mark::path(dir).display(),
                        files.display()
                    ),
                    &found,
                ));
            }
            Found::Unreadable(why) => warn!(
                "{} was unreadable ({why}), as a power loss can leave it; the journal in {} holds \
                 entries, so it is written anew",
                mark::path(dir).display(),
                files.display()
            ),
            Found::None if existed => warn!(
                "the journal in {} had no {}: written now; from now on a journal that loses \
                 history is refused",
                files.display(),
                mark::FILE
            ),
            Found::None => {}
        }
        let writer = match &found {
            Found::Mark(m) if m.held == held => {
                mark::Writer::reopen(dir, m.seq).map_err(mark_err(mark::path(dir), "open"))?
            }
            Found::Mark(m) => journal.mark_durably(&held, m.seq)?,
            Found::Unreadable(_) | Found::None => journal.mark_durably(&held, 0)?,
        };
        {
            let mut state = journal.lock_mark();
            state.instance = meta.instance;
            state.mode = meta.mode;
            state.writer = Some(writer);
            state.written = Some(held);
        }
        Ok(journal)
    }

    fn open_trees(dir: &Path) -> sled::Result<Journal> {
        let db = Self::open_db(dir)?;
        let signals = Log::open(&db, "signals")?;
        let orders = Log::open(&db, "orders")?;
        let audit = Log::open(&db, "audit")?;
        let decisions = Log::open(&db, "decisions")?;
        let messages = db.open_tree("messages")?;
        let indexed = count(&messages, None)?;
        let meta = db.open_tree("meta")?;
        let read = Reader {
            dir: dir.to_path_buf(),
            signals: (signals.name, signals.tree.clone()),
            orders: (orders.name, orders.tree.clone()),
            audit: (audit.name, audit.tree.clone()),
            decisions: (decisions.name, decisions.tree.clone()),
            messages: messages.clone(),
        };
        Ok(Journal {
            read,
            dir: dir.to_path_buf(),
            db,
            signals,
            orders,
            audit,
            decisions,
            messages,
            indexed,
            meta,
            mark: Mutex::new(MarkState {
                instance: String::new(),
                mode: Mode::default(),
                writer: None,
                written: None,
                failing: false,
            }),
        })
    }

    /// sled releases its file lock from a background thread some time after the last handle of
    /// the previous owner is dropped, so a prompt reopen (a restart, or a test reopening the same
    /// dir) briefly sees the lock held. Wait for it a little; a journal held by another running
    /// process stays locked past the grace period and is reported as such.
    fn open_db(dir: &Path) -> sled::Result<sled::Db> {
        const GRACE: std::time::Duration = std::time::Duration::from_secs(3);
        let started = std::time::Instant::now();
        loop {
            match sled::Config::new().path(dir.join("journal")).open() {
                Err(e) if is_locked(&e) && started.elapsed() < GRACE => {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                opened => return opened,
            }
        }
    }

    /// What the journal holds now, with the meta given.
    fn held(&self, instance: String, mode: Mode) -> Held {
        Held {
            instance,
            mode,
            signals: self.signals.next - 1,
            orders: self.orders.next - 1,
            audit: self.audit.next - 1,
            decisions: self.decisions.next - 1,
            messages: self.indexed,
        }
    }

    /// How many of the entries `mark` counts each log still has: a log's last entry can survive
    /// the loss of earlier ones, so its entries are counted, not read off its last seq.
    fn present(&self, mark: &Held) -> sled::Result<Held> {
        Ok(Held {
            signals: count(&self.signals.tree, Some(mark.signals))?,
            orders: count(&self.orders.tree, Some(mark.orders))?,
            audit: count(&self.audit.tree, Some(mark.audit))?,
            decisions: count(&self.decisions.tree, Some(mark.decisions))?,
            messages: self.indexed,
            ..Held::default()
        })
    }

    /// Refuse a journal that lacks what its mark says it had made durable. One ahead of its mark
    /// (the process stopped between sled's flush and the mark's write) is whole.
    fn check(&self, mark: &Mark, present: &Held, held: &Held) -> Result<(), JournalError> {
        let files = self.dir.join("journal");
        let written = &mark.held;
        let when = mark::when(mark.written_at);
        let recorded = format!("(as {} records)", mark::path(&self.dir).display());
        let mut problems = Vec::new();
        let short = mark::shortfall(written, present);
        if !short.is_empty() {
            problems.push(format!(
                "the journal in {} holds only {} it had written by {when}{} {recorded}: its files \
                 were damaged, removed or replaced by older ones",
                files.display(),
                mark::and_list(&short),
                damage::halted_then(written.mode)
            ));
        }
        if !written.instance.is_empty() && held.instance != written.instance {
            let now = if held.instance.is_empty() {
                "has lost its id".to_string()
            } else {
                format!("is journal {:?}", held.instance)
            };
            problems.push(format!(
                "the journal in {} {now}, but it was journal {:?} on {when} {recorded}: its \
                 settings were lost or another journal was put in its place",
                files.display(),
                written.instance
            ));
        }
        // Only an operator's resume leaves HALTED, and it is journaled in the audit log in the
        // same flush as the new mode: a mode other than HALTED with no audit entry after the
        // mark's is a lost emergency stop.
        if written.mode == Mode::Halted && held.mode != Mode::Halted && held.audit <= written.audit
        {
            problems.push(format!(
                "the journal in {} says {}, but it was HALTED on {when} {recorded} and no \
                 operator command has resumed it since: its settings were damaged",
                files.display(),
                held.mode
            ));
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(JournalError::Damaged {
            dir: self.dir.clone(),
            what: problems.join(";\n"),
        })
    }

    /// Write the mark at open, durably: what it claims was read back from disk, which after a
    /// crash of the process alone may still sit in the page cache, so sled's file is synced first.
    /// `seq` numbers the newest mark found.
    fn mark_durably(&self, held: &Held, seq: u64) -> Result<mark::Writer, JournalError> {
        self.db.flush().map_err(|e| self.write_err(e))?;
        let db = self.dir.join("journal").join("db");
        std::fs::File::open(&db)
            .and_then(|f| f.sync_all())
            .map_err(mark_err(db, "sync"))?;
        mark::Writer::create(&self.dir, held, seq).map_err(mark_err(mark::path(&self.dir), "write"))
    }

    fn lock_mark(&self) -> std::sync::MutexGuard<'_, MarkState> {
        // The state is plain data, whole after any panic.
        self.mark
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the journal holds now, for the mark after the next flush.
    fn held_now(&self) -> Held {
        let state = self.lock_mark();
        self.held(state.instance.clone(), state.mode)
    }

    /// After a successful flush: record `held` (taken before it) in the mark. A mark that cannot
    /// be written is said once and does not fail the flush: the journal itself is durable, and a
    /// mark left behind is only a weaker check at the next open.
    fn mark(&self, held: Held) {
        let mut state = self.lock_mark();
        if state.written.as_ref() == Some(&held) {
            return;
        }
        let Some(writer) = state.writer.as_mut() else {
            return;
        };
        match writer.write(&held) {
            Ok(()) => {
                if std::mem::take(&mut state.failing) {
                    info!("{} written again", mark::path(&self.dir).display());
                }
                state.written = Some(held);
            }
            Err(e) if !state.failing => {
                state.failing = true;
                error!(
                    "cannot write {}: {e}; the journal is durable, but until this is fixed a \
                     journal that loses history may not be noticed at the next start",
                    mark::path(&self.dir).display()
                );
            }
            Err(_) => {}
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn write_err(&self, source: sled::Error) -> JournalError {
        JournalError::Write {
            dir: self.dir.clone(),
            source,
        }
    }

    fn append<T: Serialize>(&self, log: &Log, seq: u64, value: &T) -> Result<(), JournalError> {
        log.tree
            .insert(seq.to_be_bytes(), encode(value))
            .map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// The seq the next signal will get.
    pub fn next_signal_seq(&self) -> u64 {
        self.signals.next
    }

    /// Append a signal record (its `seq` must be [`Journal::next_signal_seq`]) and index its
    /// message key, in one transaction: a crash keeps both or neither. A record kept without its
    /// key would let the message, read again after a restart, be journaled a second time.
    pub fn append_signal(&mut self, record: &SignalRecord) -> Result<(), JournalError> {
        let seq = self.signals.next;
        let bytes = encode(record);
        let key = message_key(&record.source, &record.chat, record.msg_id, record.edit);
        let earlier = (&self.signals.tree, &self.messages)
            .transaction(|(signals, messages)| {
                signals.insert(&seq.to_be_bytes(), bytes.as_slice())?;
                Ok::<_, ConflictableTransactionError<Infallible>>(
                    messages.insert(key.as_slice(), &seq.to_be_bytes())?,
                )
            })
            .map_err(|e| match e {
                TransactionError::Storage(e) => self.write_err(e),
                TransactionError::Abort(never) => match never {},
            })?;
        if earlier.is_none() {
            self.indexed += 1;
        }
        self.signals.next += 1;
        Ok(())
    }

    /// The signal that recorded this exact message (and edit), if any.
    pub fn seen(&self, source: &str, chat: &str, id: i64, edit: u32) -> Option<u64> {
        self.messages
            .get(message_key(source, chat, id, edit))
            .ok()
            .flatten()
            .map(|v| key_seq(&v))
    }

    /// The signals that recorded a version of this message, by edit number.
    pub fn versions(&self, source: &str, chat: &str, id: i64) -> Vec<(u32, u64)> {
        let prefix = message_prefix(source, chat, id);
        let mut out: Vec<(u32, u64)> = self
            .messages
            .scan_prefix(&prefix)
            .filter_map(Result::ok)
            .filter_map(|(key, seq)| {
                let edit = std::str::from_utf8(&key[prefix.len()..])
                    .ok()?
                    .parse()
                    .ok()?;
                Some((edit, key_seq(&seq)))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Append an order journal entry; returns its seq.
    pub fn append_order(&mut self, entry: OrderEntry) -> Result<OrderEntry, JournalError> {
        let entry = OrderEntry {
            seq: self.orders.next,
            ..entry
        };
        self.append(&self.orders, entry.seq, &entry)?;
        self.orders.next += 1;
        Ok(entry)
    }

    /// Append order entries in one atomic write: after a crash the journal holds all of them or
    /// none (a signal's legs are journaled together, so a restart never finds half a decision).
    pub fn append_orders(&mut self, entries: Vec<OrderEntry>) -> Result<(), JournalError> {
        let mut batch = sled::Batch::default();
        let mut seq = self.orders.next;
        for entry in entries {
            let entry = OrderEntry { seq, ..entry };
            batch.insert(&seq.to_be_bytes(), encode(&entry));
            seq += 1;
        }
        self.orders
            .tree
            .apply_batch(batch)
            .map_err(|e| self.write_err(e))?;
        self.orders.next = seq;
        Ok(())
    }

    /// Append an audit entry; returns it with its seq.
    pub fn append_audit(&mut self, entry: AuditEntry) -> Result<AuditEntry, JournalError> {
        let entry = AuditEntry {
            seq: self.audit.next,
            ..entry
        };
        self.append(&self.audit, entry.seq, &entry)?;
        self.audit.next += 1;
        Ok(entry)
    }

    /// Append a later decision on signal `signal` (a follow-up's with the signal it acts on);
    /// returns it with its seq.
    pub fn append_decision(
        &mut self,
        signal: u64,
        decision: Decision,
        linked: Option<u64>,
    ) -> Result<DecisionEntry, JournalError> {
        let entry = DecisionEntry {
            seq: self.decisions.next,
            at: crate::model::now_millis(),
            signal,
            decision,
            linked,
        };
        self.append(&self.decisions, entry.seq, &entry)?;
        self.decisions.next += 1;
        Ok(entry)
    }

    pub fn meta(&self) -> Result<Meta, JournalError> {
        match self.meta.get(META_KEY) {
            Ok(Some(bytes)) => {
                serde_json::from_slice(&bytes).map_err(|source| JournalError::Corrupt {
                    dir: self.dir.clone(),
                    tree: "meta",
                    seq: 0,
                    source,
                })
            }
            Ok(None) => Ok(Meta::default()),
            Err(e) => Err(self.write_err(e)),
        }
    }

    pub fn set_meta(&self, meta: &Meta) -> Result<(), JournalError> {
        self.meta
            .insert(META_KEY, encode(meta))
            .map_err(|e| self.write_err(e))?;
        let mut state = self.lock_mark();
        state.instance.clone_from(&meta.instance);
        state.mode = meta.mode;
        Ok(())
    }

    /// Make everything written so far durable. Called before acting on any intent.
    pub async fn flush(&self) -> Result<(), JournalError> {
        let held = self.held_now();
        self.db.flush_async().await.map_err(|e| self.write_err(e))?;
        self.mark(held);
        Ok(())
    }

    /// The same, for callers outside an async context.
    pub fn flush_blocking(&self) -> Result<(), JournalError> {
        let held = self.held_now();
        self.db.flush().map_err(|e| self.write_err(e))?;
        self.mark(held);
        Ok(())
    }

    /// A handle for reading the logs away from the engine's task.
    pub fn reader(&self) -> Reader {
        self.read.clone()
    }

    pub fn signals(&self, since: u64) -> Entries<'_, SignalRecord> {
        self.read.signals(since)
    }

    pub fn orders(&self, since: u64) -> Entries<'_, OrderEntry> {
        self.read.orders(since)
    }

    pub fn audit(&self, since: u64) -> Entries<'_, AuditEntry> {
        self.read.audit(since)
    }

    pub fn decisions(&self, since: u64) -> Entries<'_, DecisionEntry> {
        self.read.decisions(since)
    }

    /// Each signal decided later, with its latest decision.
    pub fn later_decisions(&self) -> Result<HashMap<u64, Decision>, JournalError> {
        let mut latest = HashMap::new();
        for entry in self.decisions(1) {
            let entry = entry?;
            latest.insert(entry.signal, entry.decision);
        }
        Ok(latest)
    }

    /// The last `n` signals, oldest first.
    pub fn recent_signals(&self, n: usize) -> Result<Vec<SignalRecord>, JournalError> {
        let since = self.signals.next.saturating_sub(n as u64).max(1);
        self.signals(since).collect()
    }
}

/// A record as the journal stores it. Serialising our own records cannot fail: they hold no maps
/// with non-string keys.
fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn message_key(source: &str, chat: &str, id: i64, edit: u32) -> Vec<u8> {
    let mut key = message_prefix(source, chat, id);
    key.extend_from_slice(edit.to_string().as_bytes());
    key
}

/// The start of the keys of every version of one message.
fn message_prefix(source: &str, chat: &str, id: i64) -> Vec<u8> {
    // The unit separator cannot appear in a source or chat name typed by a person.
    format!("{source}\u{1f}{chat}\u{1f}{id}\u{1f}").into_bytes()
}

/// Entries of one journal tree in seq order.
pub struct Entries<'a, T> {
    dir: &'a Path,
    name: &'static str,
    iter: sled::Iter,
    _t: std::marker::PhantomData<T>,
}

impl<T: DeserializeOwned> Iterator for Entries<'_, T> {
    type Item = Result<T, JournalError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (k, v) = match self.iter.next()? {
            Ok(kv) => kv,
            Err(source) => {
                return Some(Err(JournalError::Write {
                    dir: self.dir.to_path_buf(),
                    source,
                }));
            }
        };
        Some(
            serde_json::from_slice(&v).map_err(|source| JournalError::Corrupt {
                dir: self.dir.to_path_buf(),
                tree: self.name,
                seq: key_seq(&k),
                source,
            }),
        )
    }
}
