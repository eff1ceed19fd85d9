use serde::{Deserialize, Serialize};

use super::{OrderType, Side};

/// What a channel message asks for. The names are those of `signalos parse` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SignalKind {
    Open,
    Modify,
    Close,
    #[default]
    None,
}

/// The entry of an open: one price, or a zone `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Price(f64),
    Zone([f64; 2]),
}

impl Entry {
    /// The price a market order is judged against: the middle of a zone.
    pub fn reference(&self) -> f64 {
        match *self {
            Entry::Price(p) => p,
            Entry::Zone([low, high]) => (low + high) / 2.0,
        }
    }
}

/// A stop loss: a price, the entry price ("breakeven"), or a distance in pips.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "StopLossRepr", into = "StopLossRepr")]
pub enum StopLoss {
    Price(f64),
    Breakeven,
    Pips { pips: f64 },
}

/// The wire form of [`StopLoss`]: `2340`, `"breakeven"` or `{"pips": 30}`.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StopLossRepr {
    Price(f64),
    Word(BreakevenWord),
    Pips { pips: f64 },
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum BreakevenWord {
    Breakeven,
}

impl From<StopLossRepr> for StopLoss {
    fn from(r: StopLossRepr) -> Self {
        match r {
            StopLossRepr::Price(p) => StopLoss::Price(p),
            StopLossRepr::Word(BreakevenWord::Breakeven) => StopLoss::Breakeven,
            StopLossRepr::Pips { pips } => StopLoss::Pips { pips },
        }
    }
}

impl From<StopLoss> for StopLossRepr {
    fn from(s: StopLoss) -> Self {
        match s {
            StopLoss::Price(p) => StopLossRepr::Price(p),
            StopLoss::Breakeven => StopLossRepr::Word(BreakevenWord::Breakeven),
            StopLoss::Pips { pips } => StopLossRepr::Pips { pips },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    Price(f64),
    Pips { pips: f64 },
}

/// A message read by the parser, in the schema of `signalos parse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Parsed {
    pub kind: SignalKind,
    pub symbol: Option<String>,
    pub side: Option<Side>,
    pub order: Option<OrderType>,
    pub entry: Option<Entry>,
    pub sl: Option<StopLoss>,
    #[serde(default)]
    pub tp: Vec<Target>,
    /// The part of the position to close: 1.0 all, 0.5 half.
    pub fraction: Option<f64>,
    pub confidence: f64,
    /// Which rule produced each field, in the order they fired.
    #[serde(default)]
    pub trace: Vec<String>,
    /// Read as none, yet it names a symbol or a trading word and a number: why it was not read
    /// and what it names, for the trader to act on by hand. Absent in journals written before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<String>,
}

/// What the engine did with a message, with the reason a trader reads in the console.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Orders were sent (or changes requested): their client order ids. Once every one is
    /// answered, a later decision says so if any did not execute.
    Executed { summary: String, cids: Vec<String> },
    /// Sent, and some of the orders executed, but not all: which did not, and why.
    PartlyExecuted {
        summary: String,
        cids: Vec<String>,
        reason: String,
    },
    /// Sent, and none of the orders executed: why.
    NotExecuted {
        summary: String,
        cids: Vec<String>,
        reason: String,
    },
    /// A trade instruction that the engine would not carry out.
    Refused { reason: String },
    /// Not a trade instruction (results, chatter) or already seen.
    Ignored { reason: String },
    /// Read as none, yet it names a symbol or a trading word and a number (see
    /// [`Parsed::unread`]): nothing was done, and the trader is told, to act by hand.
    Unread { reason: String },
    /// Held until the broker is connected and reconciled, then decided (see the decisions
    /// journal); refused if that takes longer than `engine.signal_wait_secs`.
    Waiting { reason: String },
}

impl Decision {
    pub fn word(&self) -> &'static str {
        match self {
            Decision::Executed { .. } => "executed",
            Decision::PartlyExecuted { .. } => "partly executed",
            Decision::NotExecuted { .. } => "not executed",
            Decision::Refused { .. } => "refused",
            Decision::Ignored { .. } => "ignored",
            Decision::Unread { .. } => "unread",
            Decision::Waiting { .. } => "waiting",
        }
    }

    /// The orders a decision sent, whatever became of them.
    pub fn cids(&self) -> &[String] {
        match self {
            Decision::Executed { cids, .. }
            | Decision::PartlyExecuted { cids, .. }
            | Decision::NotExecuted { cids, .. } => cids,
            _ => &[],
        }
    }

    /// Orders went out for it (whether or not each executed).
    pub fn sent(&self) -> bool {
        matches!(
            self,
            Decision::Executed { .. }
                | Decision::PartlyExecuted { .. }
                | Decision::NotExecuted { .. }
        )
    }

    pub fn detail(&self) -> &str {
        match self {
            Decision::Executed { summary, .. } => summary,
            Decision::PartlyExecuted { reason, .. }
            | Decision::NotExecuted { reason, .. }
            | Decision::Refused { reason }
            | Decision::Ignored { reason }
            | Decision::Unread { reason }
            | Decision::Waiting { reason } => reason,
        }
    }
}

/// One received message with its parse and decision: a line of the signals journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalRecord {
    /// Position in the signals journal, consecutive from 1.
    pub seq: u64,
    pub received_at: super::Millis,
    /// When the provider posted it, if the source says: what the signal's age is measured from.
    #[serde(default)]
    pub sent_at: Option<super::Millis>,
    pub source: String,
    pub chat: String,
    pub msg_id: i64,
    pub edit: u32,
    /// When the source says this version was made (Telegram's edit date).
    #[serde(default)]
    pub edited_at: Option<super::Millis>,
    pub reply_to: Option<i64>,
    pub text: String,
    pub parsed: Parsed,
    /// The earlier signal a follow-up acts on.
    pub linked: Option<u64>,
    pub decision: Decision,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A journal line written before readings could be unread still loads, and a reading that is
    /// not unread is written as it was.
    #[test]
    fn journals_from_before_unread_load_and_unread_is_written_only_when_set() {
        let old = r#"{"seq":3,"received_at":1765000000000,"source":"demo","chat":"vip","msg_id":7,
            "edit":0,"reply_to":null,"text":"hello","parsed":{"kind":"none","symbol":null,
            "side":null,"order":null,"entry":null,"sl":null,"tp":[],"fraction":null,
            "confidence":0.0,"trace":["kind: none — no symbol"]},"linked":null,
            "decision":{"decision":"ignored","reason":"kind: none — no symbol"}}"#;
        let record: SignalRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.parsed.unread, None);
        let written = serde_json::to_string(&record.parsed).unwrap();
        assert!(!written.contains("unread"), "{written}");

        let unread = Decision::Unread {
            reason: "names XAUUSD and 2350, read as none: no symbol".into(),
        };
        let json = serde_json::to_value(&unread).unwrap();
        assert_eq!(json["decision"], "unread");
        assert_eq!(serde_json::from_value::<Decision>(json).unwrap(), unread);
        assert_eq!(unread.word(), "unread");
        assert!(!unread.sent() && unread.cids().is_empty());
    }
}
