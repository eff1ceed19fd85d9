//! The parser over labelled channel messages: every field of every message is checked.
//!
//! `fixtures/signals-dev.jsonl` holds real channel messages with their correct reading (labelling
//! conventions in `fixtures/LABELS.md`); `fixtures/signals-formats.jsonl` holds one or more
//! messages for every format the parser supports. A field absent from `expect` is not checked;
//! `tp: null` and `tp: []` mean the same.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use signalos::parse::parse;

struct Case {
    id: String,
    text: String,
    expect: Value,
}

fn load(name: &str) -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1));
            Case {
                id: v["id"]
                    .as_str()
                    .map_or_else(|| format!("line {}", i + 1), str::to_string),
                text: v["text"].as_str().unwrap().to_string(),
                expect: v["expect"].clone(),
            }
        })
        .collect()
}

fn same_number(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        _ => false,
    }
}

/// Compare two JSON values, numbers within rounding.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => same_number(a, b),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn normalise_tp(v: &Value) -> Value {
    if v.is_null() {
        Value::Array(vec![])
    } else {
        v.clone()
    }
}

/// The fields that differ, as "field: expected X, got Y".
fn mismatches(case: &Case) -> (Vec<String>, Value) {
    let got = serde_json::to_value(parse(&case.text)).unwrap();
    let mut out = Vec::new();
    for (field, want) in case.expect.as_object().unwrap() {
        let have = got.get(field).cloned().unwrap_or(Value::Null);
        let (want_n, have_n) = if field == "tp" {
            (normalise_tp(want), normalise_tp(&have))
        } else {
            (want.clone(), have.clone())
        };
        if !same(&want_n, &have_n) {
            out.push(format!("{field}: expected {want}, got {have}"));
        }
    }
    (out, got)
}

struct Score {
    matched: usize,
    total: usize,
    unwanted_opens: Vec<String>,
    report: String,
}

fn score(cases: &[Case]) -> Score {
    let mut s = Score {
        matched: 0,
        total: cases.len(),
        unwanted_opens: Vec::new(),
        report: String::new(),
    };
    for case in cases {
        let (diff, got) = mismatches(case);
        if got["kind"] == "open" && case.expect["kind"] != "open" {
            s.unwanted_opens.push(case.id.clone());
        }
        if diff.is_empty() {
            s.matched += 1;
        } else {
            let trace = got["trace"].as_array().map(|t| t.len()).unwrap_or(0);
            s.report.push_str(&format!(
                "\n{} {:?}\n    {}\n    ({} trace lines: {})",
                case.id,
                case.text.chars().take(100).collect::<String>(),
                diff.join("\n    "),
                trace,
                got["trace"]
            ));
        }
    }
    s
}

#[test]
fn dev_corpus_reads_at_least_97_percent_of_messages_exactly() {
    let cases = load("signals-dev.jsonl");
    assert!(cases.len() >= 100, "the dev corpus is missing messages");
    let s = score(&cases);
    let rate = s.matched as f64 / s.total as f64;
    println!(
        "dev corpus: {}/{} = {:.1} % exact{}",
        s.matched,
        s.total,
        rate * 100.0,
        s.report
    );
    assert!(
        s.unwanted_opens.is_empty(),
        "messages that are not opens parsed as opens: {:?}",
        s.unwanted_opens
    );
    assert!(
        rate >= 0.97,
        "only {:.1} % exact:{}",
        rate * 100.0,
        s.report
    );
}

#[test]
fn every_supported_format_reads_exactly() {
    let cases = load("signals-formats.jsonl");
    let s = score(&cases);
    assert!(
        s.unwanted_opens.is_empty(),
        "unwanted opens: {:?}",
        s.unwanted_opens
    );
    assert_eq!(
        s.matched, s.total,
        "{}/{} exact:{}",
        s.matched, s.total, s.report
    );
}

#[test]
fn every_result_carries_a_confidence_and_a_trace() {
    for case in load("signals-dev.jsonl")
        .iter()
        .chain(&load("signals-formats.jsonl"))
    {
        let parsed = parse(&case.text);
        assert!(
            (0.0..=1.0).contains(&parsed.confidence),
            "{}: {}",
            case.id,
            parsed.confidence
        );
        assert!(!parsed.trace.is_empty(), "{}: no trace", case.id);
    }
}
