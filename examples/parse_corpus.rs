//! Parse the labelled corpus N times (default 200), for profiling the parser with a
//! deterministic instruction counter: `valgrind --tool=callgrind target/release/examples/parse_corpus 20`.

use std::hint::black_box;

use signalos::parse::parse;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() {
    let texts = corpus::texts();
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
