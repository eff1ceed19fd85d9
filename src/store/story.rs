//! A signal's whole story, read back from the journal: every version of its message, how it was
//! read, what was decided and why, each order attempt and the broker's answer, and the follow-ups
//! that acted on it with their own orders.

use serde::Serialize;

use super::{DecisionEntry, Journal, JournalError, OrderEntry, Reader};
use crate::model::{Decision, Millis, Parsed, SignalRecord};

/// One step of the story, in the order it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// A version of the message (edit 0 is the original).
    Message {
        signal: u64,
        at: Millis,
        source: String,
        chat: String,
        msg_id: i64,
        edit: u32,
        text: String,
    },
    /// How the message was read, with the trace of every rule that fired.
    Parse { signal: u64, parsed: Parsed },
    /// What was decided, and why.
    Decision {
        signal: u64,
        at: Millis,
        decision: Decision,
    },
    /// An order intent, outcome, unknown or settlement.
    Order(OrderEntry),
}

impl Journal {
    /// The story of signal `seq`, or `None` if there is no such signal.
    pub fn story(&self, seq: u64) -> Result<Option<Vec<Step>>, JournalError> {
        self.reader().story(seq)
    }
}

impl Reader {
    /// The story of signal `seq`, or `None` if there is no such signal.
    pub fn story(&self, seq: u64) -> Result<Option<Vec<Step>>, JournalError> {
        let mut signals: Vec<SignalRecord> = Vec::new();
        let mut root = None;
        for record in self.signals(1) {
            let record = record?;
            if record.seq == seq {
                root = Some(record.clone());
            }
            signals.push(record);
        }
        let Some(root) = root else {
            return Ok(None);
        };
        // Every version of the message, and every follow-up that acted on this signal.
        let told: Vec<&SignalRecord> = signals
            .iter()
            .filter(|r| {
                (r.source == root.source && r.chat == root.chat && r.msg_id == root.msg_id)
                    || r.linked == Some(seq)
            })
            .collect();
        let seqs: Vec<u64> = told.iter().map(|r| r.seq).collect();
        let later: Vec<DecisionEntry> = self
            .decisions(1)
            .filter(|d| d.as_ref().map_or(true, |d| seqs.contains(&d.signal)))
            .collect::<Result<_, _>>()?;
        let orders: Vec<OrderEntry> = self
            .orders(1)
            .filter(|o| {
                o.as_ref()
                    .map_or(true, |o| o.signal.is_some_and(|s| seqs.contains(&s)))
            })
            .collect::<Result<_, _>>()?;
        let mut steps = Vec::new();
        for r in told {
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
