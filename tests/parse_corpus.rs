//! The parser over labelled channel messages: every field of every message is checked.
//!
//! `fixtures/signals-dev.jsonl` holds real channel messages with their correct reading (labelling
//! conventions in `fixtures/LABELS.md`); `fixtures/signals-formats.jsonl` holds one or more
//! messages for every format the parser supports. The comparison is `signalos::parse::score`, the
//! one `signalos parse --score` prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use signalos::parse::score::{Corpus, Scorecard, read_corpus, score};
use signalos::parse::{Aliases, parse};

fn load(name: &str) -> Corpus {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus = read_corpus(std::io::BufReader::new(file))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        corpus.bad_lines.is_empty(),
        "{}: {:?}",
        path.display(),
        corpus.bad_lines
    );
    corpus
}

/// Every miss with its message and its trace, for the failure message.
fn report(corpus: &Corpus, card: &Scorecard) -> String {
    let mut out = String::new();
    for miss in &card.misses {
        let text = corpus
            .messages
            .iter()
            .find(|m| m.id == miss.id)
            .map_or("", |m| m.text.as_str());
        let fields: Vec<String> = miss
            .fields
            .iter()
            .map(|f| format!("{}: expected {}, got {}", f.field, f.expected, f.read))
            .collect();
        out.push_str(&format!(
            "\n{} {:?}\n    {}\n    ({} trace lines: {:?})",
            miss.id,
            text.chars().take(100).collect::<String>(),
            fields.join("\n    "),
            miss.read.trace.len(),
            miss.read.trace
        ));
    }
    out
}

#[test]
fn dev_corpus_reads_at_least_97_percent_of_messages_exactly() {
    let corpus = load("signals-dev.jsonl");
    assert!(
        corpus.messages.len() >= 100,
        "the dev corpus is missing messages"
    );
    let card = score(&corpus, Aliases::built_in());
    let rate = card.exact as f64 / card.messages as f64;
    let report = report(&corpus, &card);
    println!(
        "dev corpus: {}/{} = {:.1} % exact{report}",
        card.exact,
        card.messages,
        rate * 100.0,
    );
    assert!(
        card.false_opens.is_empty(),
        "messages that are not opens parsed as opens: {:?}",
        card.false_opens
    );
    assert!(rate >= 0.97, "only {:.1} % exact:{report}", rate * 100.0);
}

#[test]
fn every_supported_format_reads_exactly() {
    let corpus = load("signals-formats.jsonl");
    let card = score(&corpus, Aliases::built_in());
    assert!(
        card.false_opens.is_empty(),
        "unwanted opens: {:?}",
        card.false_opens
    );
    assert_eq!(
        card.exact,
        card.messages,
        "{}/{} exact:{}",
        card.exact,
        card.messages,
        report(&corpus, &card)
    );
}

#[test]
fn every_result_carries_a_confidence_and_a_trace() {
    let dev = load("signals-dev.jsonl");
    let formats = load("signals-formats.jsonl");
    for message in dev.messages.iter().chain(&formats.messages) {
        let parsed = parse(&message.text);
        assert!(
            (0.0..=1.0).contains(&parsed.confidence),
            "{}: {}",
            message.id,
            parsed.confidence
        );
        assert!(!parsed.trace.is_empty(), "{}: no trace", message.id);
    }
}
