//! Parse the labelled corpus N times (default 200), for profiling the parser with a
//! deterministic instruction counter: `valgrind --tool=callgrind target/release/examples/parse_corpus 20`.
//!
//! `parse_corpus N --slowest K` also lists the K messages with the highest median time, the ones
//! that set the p99; `--only TEXT` reads only the messages that contain TEXT (to profile one).

use std::hint::black_box;
use std::time::{Duration, Instant};

use signalos::parse::parse;

// The allocator the `signalos` binary runs with (src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let texts: Vec<String> = corpus::texts()
        .into_iter()
        .filter(|t| only.is_none_or(|o| t.contains(o.as_str())))
        .collect();
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let slowest: Option<usize> = args
        .iter()
        .position(|a| a == "--slowest")
        .and_then(|i| args.get(i + 1))
        .and_then(|a| a.parse().ok());
    let mut times = vec![Vec::with_capacity(rounds); texts.len()];
    let start = Instant::now();
    for _ in 0..rounds {
        for (t, times) in texts.iter().zip(&mut times) {
            let one = Instant::now();
            black_box(parse(black_box(t)));
            times.push(one.elapsed());
        }
    }
    let el = start.elapsed();
    let n = (rounds * texts.len()) as f64;
    println!(
        "{} messages × {rounds}: {:.0} messages/s",
        texts.len(),
        n / el.as_secs_f64()
    );
    if let Some(k) = slowest {
        let mut medians: Vec<(Duration, &String)> = times
            .iter_mut()
            .zip(&texts)
            .map(|(t, text)| {
                t.sort_unstable();
                (t[t.len() / 2], text)
            })
            .collect();
        medians.sort_unstable_by_key(|m| std::cmp::Reverse(m.0));
        for (median, text) in medians.iter().take(k) {
            let shown: String = text.chars().take(70).collect();
            println!(
                "{median:>10.1?}  {:>5} bytes  {}",
                text.len(),
                shown.replace('\n', "⏎")
            );
        }
    }
}
