//! `signalos parse`: the parser on the command line, for scripts (JSON lines) and for people.

use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::Value;

use crate::model::{Entry, Parsed, SignalKind, StopLoss, Target};
use crate::parse::score::{Scorecard, percent};
use crate::parse::{Vocabulary, parse_with};

/// One output line: the input's id, then the reading.
#[derive(Serialize)]
struct Reading<'a> {
    id: &'a Value,
    #[serde(flatten)]
    parsed: &'a Parsed,
}

#[derive(Serialize)]
struct Failure<'a> {
    id: &'a Value,
    error: String,
}

/// Read `{"id": …, "text": …}` lines and write exactly one JSON line for each, in order. A line
/// that cannot be read gets a line with an `error` field; nothing stops the stream.
pub fn json_lines(
    input: impl BufRead,
    mut out: impl Write,
    vocabulary: Vocabulary<'_>,
) -> std::io::Result<()> {
    let mut input = input;
    let mut line = Vec::new();
    let mut no = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        no += 1;
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t.trim_end_matches(['\n', '\r']),
            Err(e) => {
                write_line(
                    &mut out,
                    &failure(&Value::Null, no, format!("not UTF-8 ({e})")),
                )?;
                continue;
            }
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                write_line(
                    &mut out,
                    &failure(&Value::Null, no, format!("not JSON ({e})")),
                )?;
                continue;
            }
        };
        let id = value.get("id").unwrap_or(&Value::Null);
        match value.get("text").and_then(Value::as_str) {
            Some(message) => {
                let parsed = parse_with(message, vocabulary);
                write_line(
                    &mut out,
                    &Reading {
                        id,
                        parsed: &parsed,
                    },
                )?;
            }
            None => write_line(
                &mut out,
                &failure(id, no, "expected an object with a string \"text\"".into()),
            )?,
        }
    }
    out.flush()
}

fn failure(id: &Value, line: u64, what: String) -> Failure<'_> {
    Failure {
        id,
        error: format!("line {line}: {what}"),
    }
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// One reading laid out for a person, trace included.
pub fn human(text: &str, vocabulary: Vocabulary<'_>) -> String {
    let p = parse_with(text, vocabulary);
    let none = || "—".to_string();
    let num = |x: f64| format!("{x}");
    let entry = p.entry.map_or_else(none, |e| match e {
        Entry::Price(x) => num(x),
        Entry::Zone([lo, hi]) => format!("{} – {}", num(lo), num(hi)),
    });
    let sl = p.sl.map_or_else(none, |s| match s {
        StopLoss::Price(x) => num(x),
        StopLoss::Breakeven => "breakeven".into(),
        StopLoss::Pips { pips } => format!("{} pips", num(pips)),
    });
    let tp = if p.tp.is_empty() {
        none()
    } else {
        p.tp.iter()
            .map(|t| match t {
                Target::Price(x) => num(*x),
                Target::Pips { pips } => format!("{} pips", num(*pips)),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let word = |v: Option<String>| v.unwrap_or_else(none);
    let mut out = String::new();
    let kind = serde_json::to_value(p.kind).ok();
    let kind = kind.as_ref().and_then(Value::as_str).unwrap_or("none");
    out.push_str(&format!("kind:       {kind}\n"));
    out.push_str(&format!("symbol:     {}\n", word(p.symbol.clone())));
    out.push_str(&format!(
        "side:       {}\n",
        word(p.side.map(|s| s.to_string().to_lowercase()))
    ));
    out.push_str(&format!(
        "order:      {}\n",
        word(p.order.map(|o| o.to_string()))
    ));
    out.push_str(&format!("entry:      {entry}\n"));
    out.push_str(&format!("sl:         {sl}\n"));
    out.push_str(&format!("tp:         {tp}\n"));
    out.push_str(&format!("fraction:   {}\n", word(p.fraction.map(num))));
    out.push_str(&format!("confidence: {:.2}\n", p.confidence));
    if let Some(why) = &p.unread {
        out.push_str(&format!("unread:     {why}\n"));
    }
    out.push_str("trace:\n");
    for t in &p.trace {
        out.push_str(&format!("  - {t}\n"));
    }
    out
}

/// One file's score laid out for a person: the totals, then one line for each miss and each bad
/// line. `file` is the name the lines are reported under (`FILE:LINE`).
pub fn score_report(file: &str, card: &Scorecard) -> String {
    let share = |part: usize, whole: usize| {
        percent(part, whole).map_or_else(|| "—".to_string(), |p| format!("{p:.1} %"))
    };
    let ids = |ids: &[String]| {
        if ids.is_empty() {
            String::new()
        } else {
            format!("  ({})", ids.join(", "))
        }
    };
    let mut out = format!("{file}\n");
    out.push_str(&format!("  messages      {:>4}\n", card.messages));
    out.push_str(&format!(
        "  exact         {:>4}  {}\n",
        card.exact,
        share(card.exact, card.messages)
    ));
    for kind in [
        SignalKind::Open,
        SignalKind::Modify,
        SignalKind::Close,
        SignalKind::None,
    ] {
        let k = card.by_kind.of(kind);
        out.push_str(&format!(
            "    {:<9} {:>4} of {:<4} {}\n",
            kind_name(kind),
            k.exact,
            k.messages,
            share(k.exact, k.messages)
        ));
    }
    out.push_str(&format!(
        "  kind right    {:>4}  {}\n",
        card.kind_right,
        share(card.kind_right, card.messages)
    ));
    out.push_str(&format!(
        "  false opens   {:>4}{}\n",
        card.false_opens.len(),
        ids(&card.false_opens)
    ));
    out.push_str(&format!(
        "  missed opens  {:>4}{}\n",
        card.missed_opens.len(),
        ids(&card.missed_opens)
    ));
    out.push_str(&format!("  bad lines     {:>4}\n", card.bad_lines.len()));
    if !card.misses.is_empty() {
        out.push_str(&format!("  misses ({}):\n", card.misses.len()));
    }
    for miss in &card.misses {
        let fields: Vec<String> = miss
            .fields
            .iter()
            .map(|f| format!("{}: expected {}, read {}", f.field, f.expected, f.read))
            .collect();
        out.push_str(&format!(
            "    {} (line {}, {} read as {})  {}\n",
            miss.id,
            miss.line,
            kind_name(miss.expected),
            kind_name(miss.read.kind),
            fields.join("; ")
        ));
    }
    for bad in &card.bad_lines {
        out.push_str(&format!("  {file}:{}: {}\n", bad.line, bad.error));
    }
    out
}

fn kind_name(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::Open => "open",
        SignalKind::Modify => "modify",
        SignalKind::Close => "close",
        SignalKind::None => "none",
    }
}

/// One file's score as one JSON line, for scripts.
pub fn score_json(file: &str, card: &Scorecard) -> serde_json::Result<String> {
    #[derive(Serialize)]
    struct FileScore<'a> {
        file: &'a str,
        exact_percent: Option<f64>,
        #[serde(flatten)]
        card: &'a Scorecard,
    }
    serde_json::to_string(&FileScore {
        file,
        exact_percent: card.exact_percent(),
        card,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Aliases;

    fn run(input: &str) -> Vec<Value> {
        let mut out = Vec::new();
        json_lines(input.as_bytes(), &mut out, Aliases::built_in().into()).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn one_output_line_per_input_line_in_order_errors_included() {
        let input = concat!(
            "{\"id\": \"a\", \"text\": \"XAUUSD BUY NOW SL 4140 TP 4160\", \"chat\": \"ignored\"}\n",
            "this is not json\n",
            "{\"id\": 7, \"text\": \"close half\"}\n",
            "{\"id\": 8}\n",
            "\n",
            "{\"text\": \"Good morning\"}"
        );
        let out = run(input);
        assert_eq!(out.len(), 6);
        assert_eq!(out[0]["id"], "a");
        assert_eq!(out[0]["kind"], "open");
        assert_eq!(out[0]["symbol"], "XAUUSD");
        assert!(
            out[1]["error"]
                .as_str()
                .unwrap()
                .starts_with("line 2: not JSON")
        );
        assert_eq!(out[2]["id"], 7);
        assert_eq!(out[2]["kind"], "close");
        assert_eq!(out[2]["fraction"], 0.5);
        assert!(out[3]["error"].as_str().unwrap().contains("\"text\""));
        assert_eq!(out[3]["id"], 8);
        assert!(out[4]["error"].is_string(), "a blank line is not a message");
        assert_eq!(out[5]["id"], Value::Null);
        assert_eq!(out[5]["kind"], "none");
    }

    #[test]
    fn the_schema_has_every_field_in_order() {
        let out = run("{\"id\": 1, \"text\": \"hello\"}\n");
        let keys: Vec<&String> = out[0].as_object().unwrap().keys().collect();
        let mut want = vec![
            "id",
            "kind",
            "symbol",
            "side",
            "order",
            "entry",
            "sl",
            "tp",
            "fraction",
            "confidence",
            "trace",
        ];
        want.sort_unstable();
        let mut got: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, want);
    }

    #[test]
    fn invalid_utf8_gets_an_error_line() {
        let mut out = Vec::new();
        json_lines(
            &b"\xff\xfe\n{\"id\":2,\"text\":\"hi\"}\n"[..],
            &mut out,
            Aliases::built_in().into(),
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].contains("not UTF-8"));
    }

    #[test]
    fn the_human_form_shows_the_trace() {
        let shown = human("XAUUSD BUY NOW SL 4140 TP 4160", Aliases::built_in().into());
        assert!(shown.contains("kind:       open"), "{shown}");
        assert!(shown.contains("trace:\n  - "), "{shown}");
    }

    fn scored(jsonl: &str) -> Scorecard {
        let corpus = crate::parse::score::read_corpus(jsonl.as_bytes()).unwrap();
        crate::parse::score::score(&corpus, Aliases::built_in())
    }

    #[test]
    fn the_score_report_shows_totals_kinds_false_opens_misses_and_bad_lines() {
        let card = scored(concat!(
            "{\"id\": \"ok\", \"text\": \"XAUUSD BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"open\", \"sl\": 4140}}\n",
            "{\"id\": \"promo\", \"text\": \"XAUUSD BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"none\"}}\n",
            "{oops\n",
        ));
        let shown = score_report("f.jsonl", &card);
        assert!(shown.starts_with("f.jsonl\n"), "{shown}");
        assert!(shown.contains("  messages         2\n"), "{shown}");
        assert!(shown.contains("  exact            1  50.0 %\n"), "{shown}");
        assert!(shown.contains("  kind right       1  50.0 %\n"), "{shown}");
        assert!(
            shown.contains("    open         1 of 1    100.0 %\n"),
            "{shown}"
        );
        assert!(
            shown.contains("    none         0 of 1    0.0 %\n"),
            "{shown}"
        );
        assert!(shown.contains("    modify       0 of 0    —\n"), "{shown}");
        assert!(shown.contains("  false opens      1  (promo)\n"), "{shown}");
        assert!(shown.contains("  missed opens     0\n"), "{shown}");
        assert!(
            shown.contains(
                "    promo (line 2, none read as open)  kind: expected \"none\", read \"open\"\n"
            ),
            "{shown}"
        );
        assert!(shown.contains("  f.jsonl:3: not JSON"), "{shown}");
    }

    #[test]
    fn the_score_json_carries_the_same_figures() {
        let card = scored(
            "{\"id\": \"promo\", \"text\": \"XAUUSD BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"none\"}}\n",
        );
        let v: Value = serde_json::from_str(&score_json("f.jsonl", &card).unwrap()).unwrap();
        assert_eq!(v["file"], "f.jsonl");
        assert_eq!(v["messages"], 1);
        assert_eq!(v["exact"], 0);
        assert_eq!(v["exact_percent"], 0.0);
        assert_eq!(v["kind_right"], 0);
        assert_eq!(v["by_kind"]["none"]["messages"], 1);
        assert_eq!(v["false_opens"][0], "promo");
        assert_eq!(v["misses"][0]["fields"][0]["field"], "kind");
        assert_eq!(v["misses"][0]["read"]["kind"], "open");
    }
}
