//! A signal's whole story, read back from the journal: every version of its message, how it was
//! read, what was decided and why, each order attempt and the broker's answer, and the follow-ups
//! that acted on it with their own orders.

use super::{DecisionEntry, Journal, JournalError, Reader, key_seq, message_prefix};
use crate::api::OrderEntry;
pub use crate::api::Step;
use crate::model::{Millis, SignalRecord};

impl Journal {
    /// The story of signal `seq`, or `None` if there is no such signal.
    pub fn story(&self, seq: u64) -> Result<Option<Vec<Step>>, JournalError> {
        self.reader().story(seq)
    }
}

/// How far back of a signal's arrival its orders are looked for: orders are journaled after their
/// signal, so only a wall clock stepped back by more than this could hide one.
const CLOCK_SLACK: Millis = 3_600_000;

impl Reader {
    /// The seq of the first order journaled at or after `at`, found by halving: orders are
    /// appended in time order, so a story reads only the orders of its own time.
    fn first_order_since(&self, at: Millis) -> Result<u64, JournalError> {
        let last = self.last_order_seq()?;
        let (mut lo, mut hi) = (1, last + 1);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.orders(mid).next().transpose()? {
                Some(o) if o.at < at => lo = o.seq + 1,
                _ => hi = mid,
            }
        }
        Ok(lo)
    }

    /// The story of signal `seq`, or `None` if there is no such signal.
    pub fn story(&self, seq: u64) -> Result<Option<Vec<Step>>, JournalError> {
        let Some(root) = self
            .signals(seq)
            .next()
            .transpose()?
            .filter(|r| r.seq == seq)
        else {
            return Ok(None);
        };
        // Every version of the message (the index names them, earlier ones included), and every
        // follow-up that acted on this signal (always journaled after it): read from the first
        // version on, not from the start of the journal.
        let versions: Vec<u64> = self
            .messages
            .scan_prefix(message_prefix(&root.source, &root.chat, root.msg_id))
            .filter_map(|kv| kv.ok().map(|(_, v)| key_seq(&v)))
            .collect();
        let first = versions.iter().copied().chain([seq]).min().unwrap_or(seq);
        let decisions: Vec<DecisionEntry> = self.decisions(1).collect::<Result<_, _>>()?;
        // A follow-up that waited for the broker was linked when it was decided, later.
        let linked_later: Vec<u64> = decisions
            .iter()
            .filter(|d| d.linked == Some(seq))
            .map(|d| d.signal)
            .collect();
        let told: Vec<SignalRecord> = self
            .signals(first)
            .filter(|r| {
                r.as_ref().map_or(true, |r| {
                    versions.contains(&r.seq)
                        || r.seq == seq
                        || r.linked == Some(seq)
                        || linked_later.contains(&r.seq)
                })
            })
            .collect::<Result<_, _>>()?;
        let seqs: Vec<u64> = told.iter().map(|r| r.seq).collect();
        let later: Vec<DecisionEntry> = decisions
            .into_iter()
            .filter(|d| seqs.contains(&d.signal))
            .collect();
        let since = told.first().map_or(root.received_at, |r| r.received_at);
        let orders: Vec<OrderEntry> = self
            .orders(self.first_order_since(since - CLOCK_SLACK)?)
            .filter(|o| {
                o.as_ref()
                    .map_or(true, |o| o.signal.is_some_and(|s| seqs.contains(&s)))
            })
            .collect::<Result<_, _>>()?;
        let mut steps = Vec::new();
        for r in &told {
            steps.push(Step::Message {
                signal: r.seq,
                at: r.received_at,
                source: r.source.clone(),
                chat: r.chat.clone(),
                msg_id: r.msg_id,
                edit: r.edit,
                text: r.text.clone(),
            });
            steps.push(Step::Parse {
                signal: r.seq,
                parsed: r.parsed.clone(),
            });
            steps.push(Step::Decision {
                signal: r.seq,
                at: r.received_at,
                decision: r.decision.clone(),
            });
            for d in later.iter().filter(|d| d.signal == r.seq) {
                steps.push(Step::Decision {
                    signal: r.seq,
                    at: d.at,
                    decision: d.decision.clone(),
                });
            }
            for o in orders.iter().filter(|o| o.signal == Some(r.seq)) {
                steps.push(Step::Order(o.clone()));
            }
        }
        Ok(Some(steps))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::TradeOutcome;
    use crate::model::{Decision, Parsed};
    use crate::store::OrderEvent;

    fn signal(
        journal: &mut Journal,
        at: Millis,
        msg_id: i64,
        edit: u32,
        linked: Option<u64>,
    ) -> u64 {
        let seq = journal.next_signal_seq();
        let record = SignalRecord {
            seq,
            received_at: at,
            sent_at: None,
            source: "demo".into(),
            chat: "Gold".into(),
            msg_id,
            edit,
            edited_at: None,
            reply_to: None,
            text: format!("message {msg_id} edit {edit}"),
            parsed: Parsed::default(),
            linked,
            decision: Decision::Ignored {
                reason: "test".into(),
            },
        };
        journal.append_signal(&record).unwrap();
        seq
    }

    fn order(journal: &mut Journal, at: Millis, signal: u64) {
        journal
            .append_order(OrderEntry {
                seq: 0,
                at,
                cid: format!("k3x9-s{signal}-1"),
                signal: Some(signal),
                command: None,
                event: OrderEvent::Outcome {
                    outcome: TradeOutcome::Done {
                        ticket: signal,
                        price: None,
                        volume: None,
                    },
                },
            })
            .unwrap();
    }

    fn told(steps: &[Step]) -> (Vec<u64>, Vec<u64>) {
        let mut messages = Vec::new();
        let mut orders = Vec::new();
        for step in steps {
            match step {
                Step::Message { signal, .. } => messages.push(*signal),
                Step::Order(o) => orders.extend(o.signal),
                _ => {}
            }
        }
        (messages, orders)
    }

    /// Versions before and after, a follow-up, and their orders among many others: the story
    /// reads from the first version on and finds exactly what belongs to it.
    #[test]
    fn a_story_finds_its_versions_follow_ups_and_orders_among_many() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path()).unwrap();
        let hour = 3_600_000;
        let mut at = 1_000 * hour;
        for i in 0..300 {
            let other = signal(&mut journal, at, 1_000 + i, 0, None);
            order(&mut journal, at, other);
            at += 60_000;
        }
        let original = signal(&mut journal, at, 7, 0, None);
        order(&mut journal, at + 10, original);
        let noise = signal(&mut journal, at + 20, 8, 0, None);
        order(&mut journal, at + 30, noise);
        let edit = signal(&mut journal, at + 40, 7, 1, None);
        let follow_up = signal(&mut journal, at + 50, 9, 0, Some(original));
        order(&mut journal, at + 60, follow_up);
        order(&mut journal, at + 70, noise);

        let (messages, orders) = told(&journal.story(original).unwrap().unwrap());
        assert_eq!(messages, [original, edit, follow_up]);
        assert_eq!(orders, [original, follow_up]);
        // Asked for the edit: both versions, from the first.
        let (messages, orders) = told(&journal.story(edit).unwrap().unwrap());
        assert_eq!(messages, [original, edit]);
        assert_eq!(orders, [original]);
        assert_eq!(journal.story(follow_up + 1).unwrap(), None);
    }

    #[test]
    fn the_first_order_since_a_time_is_found_by_halving() {
        let dir = tempfile::tempdir().unwrap();
        let mut journal = Journal::open(dir.path()).unwrap();
        let reader = journal.reader();
        assert_eq!(reader.first_order_since(0).unwrap(), 1, "no orders yet");
        for i in 0..100 {
            order(&mut journal, 1_000 + i * 10, 1);
        }
        let reader = journal.reader();
        assert_eq!(reader.first_order_since(0).unwrap(), 1);
        assert_eq!(reader.first_order_since(1_000).unwrap(), 1);
        assert_eq!(reader.first_order_since(1_001).unwrap(), 2);
        assert_eq!(reader.first_order_since(1_500).unwrap(), 51);
        assert_eq!(
            reader.first_order_since(99_999).unwrap(),
            101,
            "after the last"
        );
    }
}
