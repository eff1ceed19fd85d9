//! Parse the labelled corpus N times (default 200), for profiling the parser with a
//! deterministic instruction counter: `valgrind --tool=callgrind target/release/examples/parse_corpus 20`.

use std::hint::black_box;

use signalos::parse::parse;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = Vec::new();
    for name in ["signals-dev.jsonl", "signals-formats.jsonl"] {
        let Ok(data) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                && let Some(t) = v["text"].as_str()
            {
                texts.push(t.to_string());
            }
        }
    }
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let start = std::time::Instant::now();
    for _ in 0..rounds {
        for t in &texts {
            black_box(parse(black_box(t)));
        }
    }
    let el = start.elapsed();
    let n = (rounds * texts.len()) as f64;
    println!(
        "{} messages × {rounds}: {:.0} messages/s",
        texts.len(),
        n / el.as_secs_f64()
    );
}
