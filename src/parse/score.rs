//! The parser's score over labelled messages: how many it reads exactly, by kind, and the errors
//! that cost money — an open read where there is none.
//!
//! A labelled line is `{"id", "text", "expect"}` (conventions in `tests/fixtures/LABELS.md`). A
//! field absent from `expect` is not checked; numbers agree within rounding; `tp: null` and
//! `tp: []` mean the same. `tests/parse_corpus.rs` and `signalos parse --score` both score with
//! this module, so the figures a test asserts and the figures a person reads cannot drift apart.

use std::collections::HashMap;
use std::io::BufRead;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Vocabulary, parse_with};
use crate::model::{Parsed, SignalKind};

/// The fields of a reading a label may give: a label naming any other field (a typo) would be a
/// miss that no parser could ever fix, so such a line is refused instead.
pub const FIELDS: [&str; 8] = [
    "kind", "symbol", "side", "order", "entry", "sl", "tp", "fraction",
];

/// One labelled message.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// The line's `id`, or `line N` when it has none.
    pub id: String,
    /// Where it is in its file, from 1.
    pub line: usize,
    pub text: String,
    pub kind: SignalKind,
    pub expect: Map<String, Value>,
}

/// A line that is not a labelled message, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadLine {
    pub line: usize,
    pub error: String,
}

/// The labelled messages of one file, and the lines that could not be taken as one.
#[derive(Debug, Default)]
pub struct Corpus {
    pub messages: Vec<Labelled>,
    pub bad_lines: Vec<BadLine>,
}

/// Read labelled JSON lines. Blank lines are skipped; a line that is not a labelled message is
/// recorded in `bad_lines` with its number and reading goes on. Only a failure to read the input
/// itself is an error.
pub fn read_corpus(mut input: impl BufRead) -> std::io::Result<Corpus> {
    let mut corpus = Corpus::default();
    // Two messages with one id would make a reported miss ambiguous.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut raw = Vec::new();
    let mut line = 0;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            return Ok(corpus);
        }
        line += 1;
        let read = match std::str::from_utf8(&raw) {
            Ok(text) if text.trim().is_empty() => continue,
            Ok(text) => labelled(text, line),
            Err(e) => Err(format!("not UTF-8 ({e})")),
        };
        match read {
            Ok(message) => match seen.get(&message.id) {
                Some(first) => corpus.bad_lines.push(BadLine {
                    line,
                    error: format!("id {:?} is already on line {first}", message.id),
                }),
                None => {
                    seen.insert(message.id.clone(), line);
                    corpus.messages.push(message);
                }
            },
            Err(error) => corpus.bad_lines.push(BadLine { line, error }),
        }
    }
}

fn labelled(text: &str, line: usize) -> Result<Labelled, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let id = match value.get("id") {
        None | Some(Value::Null) => format!("line {line}"),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let message = value
        .get("text")
        .and_then(Value::as_str)
        .ok_or("expected a string \"text\"")?;
    let expect = value
        .get("expect")
        .and_then(Value::as_object)
        .ok_or("expected an object \"expect\"")?;
    if let Some(field) = expect.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "expect.{field} is not a field of a reading (those are {})",
            FIELDS.join(", ")
        ));
    }
    let kind = expect
        .get("kind")
        .and_then(|k| serde_json::from_value::<SignalKind>(k.clone()).ok())
        .ok_or("expect.kind must be \"open\", \"modify\", \"close\" or \"none\"")?;
    Ok(Labelled {
        id,
        line,
        text: message.to_string(),
        kind,
        expect: expect.clone(),
    })
}

/// One labelled field the reading got wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldMiss {
    pub field: String,
    pub expected: Value,
    pub read: Value,
}

/// The labelled fields on which `reading` differs from `expect`, in the order of [`FIELDS`]: the
/// kind first, as a person reads a miss.
pub fn differences(expect: &Map<String, Value>, reading: &Parsed) -> Vec<FieldMiss> {
    // A reading is plain data and always serialises; were it ever not to, every labelled field
    // would show as a miss against null rather than be silently passed.
    let read = serde_json::to_value(reading).unwrap_or(Value::Null);
    let mut labelled: Vec<(&String, &Value)> = expect.iter().collect();
    labelled.sort_by_key(|(field, _)| {
        FIELDS
            .iter()
            .position(|f| f == field)
            .unwrap_or(FIELDS.len())
    });
    labelled
        .into_iter()
        .filter_map(|(field, want)| {
            let have = read.get(field).cloned().unwrap_or(Value::Null);
            // The labels give no side to a follow-up, and some writers no symbol either
            // (LABELS.md); a reading that names the trades it acts on ("close the gold shorts")
            // says more, not something else. A symbol other than the labelled one still misses.
            let follow_up = matches!(
                expect.get("kind").and_then(Value::as_str),
                Some("modify" | "close")
            );
            let narrows = matches!(field.as_str(), "side" | "symbol");
            let agree = if narrows && follow_up && want.is_null() {
                true
            } else if field == "symbol" {
                // One instrument has several names (SPX500, US500, SP500): a label written with
                // another of its built-in aliases names the same trade.
                same(want, &have)
                    || want
                        .as_str()
                        .and_then(super::canonical_symbol)
                        .is_some_and(|c| have.as_str() == Some(c.as_str()))
            } else if field == "fraction" {
                // A third is 0.33 to one writer and 0.333 to another.
                match (want.as_f64(), have.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() < 0.005,
                    _ => same(want, &have),
                }
            } else if field == "tp" {
                same(&no_targets_as_empty(want), &no_targets_as_empty(&have))
            } else {
                same(want, &have)
            };
            (!agree).then(|| FieldMiss {
                field: field.clone(),
                expected: want.clone(),
                read: have,
            })
        })
        .collect()
}

/// Two JSON values alike, numbers within rounding (a label's 0.1 + 0.2 is the parser's 0.3).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn no_targets_as_empty(tp: &Value) -> Value {
    if tp.is_null() {
        Value::Array(Vec::new())
    } else {
        tp.clone()
    }
}

/// Messages of one expected kind, and how many of them were read exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct KindScore {
    pub messages: usize,
    pub exact: usize,
}

/// The score of each expected kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByKind {
    pub open: KindScore,
    pub modify: KindScore,
    pub close: KindScore,
    pub none: KindScore,
}

impl ByKind {
    pub fn of(&self, kind: SignalKind) -> KindScore {
        match kind {
            SignalKind::Open => self.open,
            SignalKind::Modify => self.modify,
            SignalKind::Close => self.close,
            SignalKind::None => self.none,
        }
    }

    fn of_mut(&mut self, kind: SignalKind) -> &mut KindScore {
        match kind {
            SignalKind::Open => &mut self.open,
            SignalKind::Modify => &mut self.modify,
            SignalKind::Close => &mut self.close,
            SignalKind::None => &mut self.none,
        }
    }
}

/// A message not read exactly.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub id: String,
    pub line: usize,
    pub expected: SignalKind,
    pub fields: Vec<FieldMiss>,
    /// The whole reading, trace included: why it went wrong.
    pub read: Parsed,
}

/// The parser's score over one file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scorecard {
    /// Labelled messages scored (bad lines are not among them).
    pub messages: usize,
    /// Messages with every labelled field right.
    pub exact: usize,
    /// Messages read as the kind they are labelled, whatever their fields.
    pub kind_right: usize,
    pub by_kind: ByKind,
    /// Ids of messages read as an open while labelled otherwise: a trade nobody asked for.
    pub false_opens: Vec<String>,
    /// Ids of messages labelled open and read as something else: a trade not taken.
    pub missed_opens: Vec<String>,
    pub misses: Vec<Miss>,
    pub bad_lines: Vec<BadLine>,
}

impl Scorecard {
    /// Exact readings in percent of the messages scored; `None` when there were none.
    pub fn exact_percent(&self) -> Option<f64> {
        percent(self.exact, self.messages)
    }
}

pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Read every message of `corpus` with `vocabulary` and score the readings against the labels.
pub fn score<'v>(corpus: &Corpus, vocabulary: impl Into<Vocabulary<'v>>) -> Scorecard {
    let vocabulary = vocabulary.into();
    let mut card = Scorecard {
        messages: corpus.messages.len(),
        bad_lines: corpus.bad_lines.clone(),
        ..Scorecard::default()
    };
    for message in &corpus.messages {
        let read = parse_with(&message.text, vocabulary);
        let fields = differences(&message.expect, &read);
        let tally = card.by_kind.of_mut(message.kind);
        tally.messages += 1;
        match (message.kind, read.kind) {
            (SignalKind::Open, SignalKind::Open) => {}
            (_, SignalKind::Open) => card.false_opens.push(message.id.clone()),
            (SignalKind::Open, _) => card.missed_opens.push(message.id.clone()),
            _ => {}
        }
        if message.kind == read.kind {
            card.kind_right += 1;
        }
        if fields.is_empty() {
            tally.exact += 1;
            card.exact += 1;
        } else {
            card.misses.push(Miss {
                id: message.id.clone(),
                line: message.line,
                expected: message.kind,
                fields,
                read,
            });
        }
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Aliases;

    fn card(jsonl: &str) -> Scorecard {
        score(&read_corpus(jsonl.as_bytes()).unwrap(), Aliases::built_in())
    }

    const OPEN: &str = "XAUUSD BUY NOW SL 4140 TP 4160";

    fn line(id: &str, text: &str, expect: &str) -> String {
        let expect: Value = serde_json::from_str(expect).unwrap();
        format!(
            "{}\n",
            serde_json::json!({"id": id, "text": text, "expect": expect})
        )
    }

    #[test]
    fn an_open_labelled_as_none_is_a_false_open_and_a_miss() {
        let c = card(&line("promo", OPEN, r#"{"kind": "none"}"#));
        assert_eq!(c.messages, 1);
        assert_eq!(c.exact, 0);
        assert_eq!(c.false_opens, ["promo"]);
        assert!(c.missed_opens.is_empty());
        assert_eq!(
            c.by_kind.none,
            KindScore {
                messages: 1,
                exact: 0
            }
        );
        assert_eq!(c.misses.len(), 1);
        assert_eq!(
            c.misses[0].fields,
            [FieldMiss {
                field: "kind".into(),
                expected: "none".into(),
                read: "open".into(),
            }]
        );
        assert_eq!(c.misses[0].read.kind, SignalKind::Open);
    }

    #[test]
    fn an_open_read_as_nothing_is_a_missed_open() {
        let c = card(&line(
            "quiet",
            "Good morning traders",
            r#"{"entry": 4000, "kind": "open", "symbol": "XAUUSD"}"#,
        ));
        assert_eq!(c.missed_opens, ["quiet"]);
        assert_eq!(c.kind_right, 0);
        assert!(c.false_opens.is_empty());
        assert_eq!(
            c.by_kind.open,
            KindScore {
                messages: 1,
                exact: 0
            }
        );
        let fields: Vec<&str> = c.misses[0]
            .fields
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["kind", "symbol", "entry"], "the kind first");
    }

    #[test]
    fn only_labelled_fields_count_and_numbers_agree_within_rounding() {
        let text = [
            line("a", OPEN, r#"{"kind": "open", "sl": 4140.0000000001}"#),
            // The reading's entry is null here, and no label asks for it.
            line(
                "b",
                OPEN,
                r#"{"kind": "open", "symbol": "XAUUSD", "tp": [4160]}"#,
            ),
            line("c", "Good morning", r#"{"kind": "none", "tp": null}"#),
        ]
        .concat();
        let c = card(&text);
        assert_eq!((c.messages, c.exact), (3, 3), "{:?}", c.misses);
        assert_eq!(
            c.by_kind.open,
            KindScore {
                messages: 2,
                exact: 2
            }
        );
        assert_eq!(
            c.by_kind.none,
            KindScore {
                messages: 1,
                exact: 1
            }
        );
        assert_eq!(c.exact_percent(), Some(100.0));
    }

    #[test]
    fn a_wrong_level_is_a_miss_but_not_a_false_or_missed_open() {
        let c = card(&line(
            "w",
            OPEN,
            r#"{"kind": "open", "sl": 4141, "tp": [4160, 4170]}"#,
        ));
        assert_eq!(c.exact, 0);
        assert!(c.false_opens.is_empty() && c.missed_opens.is_empty());
        assert_eq!(c.kind_right, 1, "the kind is right, the levels are not");
        let fields: Vec<&str> = c.misses[0]
            .fields
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["sl", "tp"]);
        assert_eq!(c.misses[0].fields[0].read, serde_json::json!(4140.0));
    }

    #[test]
    fn bad_lines_are_counted_with_their_number_and_the_rest_is_scored() {
        let mut input = Vec::new();
        input.extend_from_slice(line("a", OPEN, r#"{"kind": "open"}"#).as_bytes());
        input.extend_from_slice(b"not json\n");
        input.extend_from_slice(b"\n");
        input.extend_from_slice(b"{\"id\": \"b\", \"expect\": {\"kind\": \"none\"}}\n");
        input.extend_from_slice(line("c", OPEN, r#"{"kind": "opne"}"#).as_bytes());
        input.extend_from_slice(line("d", OPEN, r#"{"kind": "open", "symbl": "X"}"#).as_bytes());
        input.extend_from_slice(b"\xff\xfe\n");
        input.extend_from_slice(line("a", OPEN, r#"{"kind": "open"}"#).as_bytes());
        input.extend_from_slice(b"{\"text\": \"hi\", \"expect\": []}\n");
        // The last line has no newline and no id.
        input.extend_from_slice(b"{\"text\": \"Good morning\", \"expect\": {\"kind\": \"none\"}}");
        let corpus = read_corpus(&input[..]).unwrap();
        let bad: Vec<(usize, &str)> = corpus
            .bad_lines
            .iter()
            .map(|b| (b.line, b.error.as_str()))
            .collect();
        assert_eq!(bad.len(), 7, "{bad:?}");
        assert!(bad[0].0 == 2 && bad[0].1.starts_with("not JSON"), "{bad:?}");
        assert!(bad[1].0 == 4 && bad[1].1.contains("\"text\""), "{bad:?}");
        assert!(bad[2].0 == 5 && bad[2].1.contains("expect.kind"), "{bad:?}");
        assert!(
            bad[3].0 == 6 && bad[3].1.contains("expect.symbl"),
            "{bad:?}"
        );
        assert!(
            bad[4].0 == 7 && bad[4].1.starts_with("not UTF-8"),
            "{bad:?}"
        );
        assert!(
            bad[5].0 == 8 && bad[5].1.contains("already on line 1"),
            "{bad:?}"
        );
        assert!(bad[6].0 == 9 && bad[6].1.contains("\"expect\""), "{bad:?}");
        let ids: Vec<&str> = corpus.messages.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a", "line 10"]);
        let c = score(&corpus, Aliases::built_in());
        assert_eq!((c.messages, c.exact, c.bad_lines.len()), (2, 2, 7));
    }

    #[test]
    fn a_follow_up_that_names_its_trades_agrees_with_a_label_that_does_not() {
        let none_named = r#"{"kind": "close", "symbol": null, "side": null, "fraction": 1.0}"#;
        let c = card(&line("named", "Close all EURUSD sells now", none_named));
        assert_eq!(c.exact, 1, "{:?}", c.misses);
        let other = r#"{"kind": "close", "symbol": "GBPUSD", "fraction": 1.0}"#;
        let c = card(&line("other", "Close all EURUSD sells now", other));
        assert_eq!(c.exact, 0, "another symbol than the label's is a miss");
        assert_eq!(c.misses[0].fields[0].field, "symbol");
    }

    #[test]
    fn a_symbol_labelled_by_another_of_its_names_agrees() {
        let read = crate::parse::parse("SPX500 BUY 5800 SL 5780 TP 5850");
        let label = |symbol: &str| {
            serde_json::json!({"kind": "open", "symbol": symbol})
                .as_object()
                .cloned()
                .unwrap()
        };
        assert!(differences(&label("SPX500"), &read).is_empty(), "{read:?}");
        assert_eq!(differences(&label("NAS100"), &read)[0].field, "symbol");
    }

    #[test]
    fn a_share_agrees_within_its_rounding() {
        let third = r#"{"kind": "close", "fraction": 0.33}"#;
        let c = card(&line("third", "Close 1/3 of gold", third));
        assert_eq!(c.exact, 1, "{:?}", c.misses);
        let other = r#"{"kind": "close", "fraction": 0.3}"#;
        let c = card(&line("other", "Close 1/3 of gold", other));
        assert_eq!(c.exact, 0, "0.3 is not a third");
    }

    #[test]
    fn an_empty_file_scores_nothing_and_has_no_percentage() {
        let c = card("");
        assert_eq!(c.messages, 0);
        assert_eq!(c.exact_percent(), None);
    }
}
