//! Parser speed over the labelled corpus: messages per second on one core (criterion), and the
//! distribution of the time one message takes (p50 / p99 / max), printed after criterion's report.
//!
//! `cargo bench --bench parse` — figures are recorded in BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use signalos::parse::{Aliases, Vocabulary, Words, parse, parse_with};

// The allocator the `signalos` binary runs with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // A channel's jargon laid over the built-in vocabulary: reading must cost the same.
    let words = twenty_words();
    let vocabulary = Vocabulary {
        aliases: Aliases::built_in(),
        words: &words,
    };
    group.bench_function("corpus with 20 words", |b| {
        b.iter(|| {
            for t in texts {
                black_box(parse_with(black_box(t), vocabulary));
            }
        })
    });
    group.finish();
}

/// Twenty words and phrases of the kind a user adds, a few of them built-in words given another
/// meaning.
fn twenty_words() -> Words {
    let table = [
        ("buy", &["kupuję", "лонгуем", "compro ya", "kup teraz"][..]),
        ("sell", &["sprzedaję", "шортим", "vendo ya"]),
        ("sl", &["stopka", "stop straty", "zlecenie obronne"]),
        ("tp", &["cel", "cele", "take zysk"]),
        ("ignore", &["vip", "ryzyko", "dźwignia"]),
        ("result", &["zamknięte na plus", "zysk"]),
        ("breakeven", &["bez straty", "na zero"]),
    ];
    let table = table
        .iter()
        .map(|(meaning, words)| {
            let words = words.iter().map(|w| w.to_string()).collect();
            (meaning.to_string(), words)
        })
        .collect();
    Words::new(&table)
}

/// Time every message on its own, many rounds, and report the percentiles: over every timing
/// (which a neighbour's burst on a shared machine inflates), and over the messages of each one's
/// median time (what reading a message costs, with the bursts left out).
fn latency(texts: &[String]) {
    const ROUNDS: usize = 500;
    for t in texts {
        black_box(parse(t));
    }
    let mut per_message: Vec<Vec<Duration>> = vec![Vec::with_capacity(ROUNDS); texts.len()];
    for _ in 0..ROUNDS {
        for (t, times) in texts.iter().zip(&mut per_message) {
            let start = Instant::now();
            black_box(parse(black_box(t)));
            times.push(start.elapsed());
        }
    }
    let mut medians: Vec<Duration> = per_message
        .iter_mut()
        .map(|times| {
            times.sort_unstable();
            times[times.len() / 2]
        })
        .collect();
    let mut all: Vec<Duration> = per_message.into_iter().flatten().collect();
    all.sort_unstable();
    medians.sort_unstable();
    let at = |v: &[Duration], q: f64| v[((v.len() - 1) as f64 * q) as usize];
    println!(
        "parse/latency: {} messages × {ROUNDS} rounds: p50 {:?}  p99 {:?}  max {:?}",
        texts.len(),
        at(&all, 0.50),
        at(&all, 0.99),
        all[all.len() - 1]
    );
    println!(
        "parse/latency per message (median of its rounds): p50 {:?}  p99 {:?}  max {:?}",
        at(&medians, 0.50),
        at(&medians, 0.99),
        medians[medians.len() - 1]
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
