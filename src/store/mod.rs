//! The journal: a sled database in the data dir. Signals, order intents and their outcomes, and
//! the audit log are append-only trees keyed by a consecutive sequence number; nothing is ever
//! deleted. `meta` holds the engine's mode and counters.

mod records;
mod story;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use records::{AuditEntry, Counters, DecisionEntry, Meta, OrderEntry, OrderEvent};
pub use story::Step;

use crate::model::{Decision, SignalRecord};

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
    meta: sled::Tree,
    read: Reader,
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
    /// Open (or create) the journal in `dir`.
    pub fn open(dir: &Path) -> Result<Journal, JournalError> {
        let open_err = |source: sled::Error| {
            let locked = matches!(&source, sled::Error::Io(e)
                if e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("lock"));
            if locked {
                JournalError::Locked {
                    dir: dir.to_path_buf(),
                }
            } else {
                JournalError::Open {
                    dir: dir.to_path_buf(),
                    source,
                }
            }
        };
        let db = Self::open_db(dir, open_err)?;
        let signals = Log::open(&db, "signals").map_err(open_err)?;
        let orders = Log::open(&db, "orders").map_err(open_err)?;
        let audit = Log::open(&db, "audit").map_err(open_err)?;
        let decisions = Log::open(&db, "decisions").map_err(open_err)?;
        let messages = db.open_tree("messages").map_err(open_err)?;
        let meta = db.open_tree("meta").map_err(open_err)?;
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
            meta,
        })
    }

    /// sled releases its file lock from a background thread some time after the last handle of
    /// the previous owner is dropped, so a prompt reopen (a restart, or a test reopening the same
    /// dir) briefly sees the lock held. Wait for it a little; a journal held by another running
    /// process stays locked past the grace period and is reported as such.
    fn open_db(
        dir: &Path,
        open_err: impl Fn(sled::Error) -> JournalError,
    ) -> Result<sled::Db, JournalError> {
        const GRACE: std::time::Duration = std::time::Duration::from_secs(3);
        let started = std::time::Instant::now();
        loop {
            match sled::Config::new().path(dir.join("journal")).open() {
                Ok(db) => return Ok(db),
                Err(e) => match open_err(e) {
                    JournalError::Locked { .. } if started.elapsed() < GRACE => {
                        std::thread::sleep(std::time::Duration::from_millis(25));
                    }
                    err => return Err(err),
                },
            }
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
        // Serialising our own records cannot fail: they hold no maps with non-string keys.
        let bytes = serde_json::to_vec(value).unwrap_or_default();
        log.tree
            .insert(seq.to_be_bytes(), bytes)
            .map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// The seq the next signal will get.
    pub fn next_signal_seq(&self) -> u64 {
        self.signals.next
    }

    /// Append a signal record (its `seq` must be [`Journal::next_signal_seq`]) and index its
    /// message key.
    pub fn append_signal(&mut self, record: &SignalRecord) -> Result<(), JournalError> {
        let seq = self.signals.next;
        self.append(&self.signals, seq, record)?;
        self.messages
            .insert(
                message_key(&record.source, &record.chat, record.msg_id, record.edit),
                &seq.to_be_bytes(),
            )
            .map_err(|e| self.write_err(e))?;
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
            // Serialising our own records cannot fail: they hold no maps with non-string keys.
            batch.insert(
                &seq.to_be_bytes(),
                serde_json::to_vec(&entry).unwrap_or_default(),
            );
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

    /// Append a later decision on signal `signal`; returns it with its seq.
    pub fn append_decision(
        &mut self,
        signal: u64,
        decision: Decision,
    ) -> Result<DecisionEntry, JournalError> {
        let entry = DecisionEntry {
            seq: self.decisions.next,
            at: crate::model::now_millis(),
            signal,
            decision,
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
        let bytes = serde_json::to_vec(meta).unwrap_or_default();
        self.meta
            .insert(META_KEY, bytes)
            .map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// Make everything written so far durable. Called before acting on any intent.
    pub async fn flush(&self) -> Result<(), JournalError> {
        self.db.flush_async().await.map_err(|e| self.write_err(e))?;
        Ok(())
    }

    /// The same, for callers outside an async context.
    pub fn flush_blocking(&self) -> Result<(), JournalError> {
        self.db.flush().map_err(|e| self.write_err(e))?;
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
