//! Parser speed over the labelled corpus: messages per second on one core (criterion), and the
//! distribution of the time one message takes (p50 / p99 / max), printed after criterion's report.
//!
//! `cargo bench --bench parse` — figures are recorded in BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use signalos::parse::parse;

#[path = "support/corpus.rs"]
mod corpus;

fn throughput(c: &mut Criterion, texts: &[String]) {
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for t in texts {
                black_box(parse(black_box(t)));
            }
        })
    });
    group.finish();
}

/// Time every message on its own, many rounds, and report the percentiles.
fn latency(texts: &[String]) {
    const ROUNDS: usize = 500;
    for t in texts {
        black_box(parse(t));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(texts.len() * ROUNDS);
    for _ in 0..ROUNDS {
        for t in texts {
            let start = Instant::now();
            black_box(parse(black_box(t)));
            times.push(start.elapsed());
        }
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "parse/latency: {} messages × {ROUNDS} rounds: p50 {:?}  p99 {:?}  max {:?}",
        texts.len(),
        at(0.50),
        at(0.99),
        times[times.len() - 1]
    );
}

fn main() {
    let texts = corpus::texts();
    assert!(!texts.is_empty(), "no corpus in tests/fixtures");
    let mut c = Criterion::default().configure_from_args();
    throughput(&mut c, &texts);
    c.final_summary();
    latency(&texts);
}
