//! How many bytes the console writes to the terminal, and what it costs while nothing happens.
//!
//! `cargo bench --bench console` renders through the real path — `tui::draw` into a
//! `ratatui::Terminal<CrosstermBackend<_>>` by `tui::terminal::paint` — with a writer that counts
//! the bytes and drops them, in virtual time, driven the way the console's loop drives it: a frame
//! when something changed, at most `ui.max_fps` a second, and the 1 s clock tick that re-renders.
//!
//! 1. steady state: 20 open positions over the simulator's 7 symbols, every symbol quoting at
//!    10 Hz (a seeded random walk applied as `Change::Quote`), for 60 s, at 160×48 and 80×24;
//!    once with quotes only, once with the account reported after every round of quotes, as
//!    the simulator does;
//! 2. idle: 60 s of clock ticks and nothing else — a flat account, then 20 positions with frozen
//!    quotes — and a flat account fed what the simulator sends while nothing trades (quotes and
//!    an unchanged account every 250 ms);
//! 3. the real release binary (`cargo build --release` first) idle in a detached tmux pane:
//!    CPU from /proc over 30 s and the bytes the pane received.
//!
//! Each frame's render time is given twice: the wall time of `paint`, and the thread's CPU time
//! in it (`CLOCK_THREAD_CPUTIME_ID`), which a busy neighbour on a shared machine inflates far
//! less.
//!
//! Figures are recorded in BENCHMARKS.md.

use std::cell::Cell;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use rustix::time::{ClockId, clock_gettime};
use signalos::broker::sim::default_symbols;
use signalos::config::keymap::{Keymap, builtin_keymap};
use signalos::config::theme::{Theme, builtin_theme};
use signalos::engine::{Change, DayStatus, Link, LinkState, State};
use signalos::model::{
    Account, Decision, Entry, Millis, Mode, OrderType, Parsed, PendingOrder, Position, Quote, Side,
    SignalKind, SignalRecord, StopLoss, Target,
};
use signalos::telemetry::LogLine;
use signalos::tui::terminal::paint;
use signalos::tui::{App, View, draw};
use tracing::Level;

/// 2026-11-22 14:03:07 UTC: a 60 s run from here crosses one minute boundary, as most do.
const START: Millis = 1_795_356_187_000;
const RUN: Millis = 60_000;
const POSITIONS: usize = 20;
const SIGNALS: u64 = 50;
const SIZES: [(u16, u16); 2] = [(160, 48), (80, 24)];
const SEED: u64 = 7;

/// The simulator's markets: start price, typical spread, typical move per tick (as in
/// `broker::sim::market`).
const MARKETS: [(&str, f64, f64, f64); 7] = [
    ("XAUUSD", 4150.0, 0.25, 0.25),
    ("EURUSD", 1.16, 0.0001, 0.00003),
    ("GBPUSD", 1.32, 0.00013, 0.00004),
    ("USDJPY", 155.0, 0.012, 0.004),
    ("US30", 47_500.0, 2.0, 1.2),
    ("NAS100", 25_000.0, 1.5, 0.8),
    ("BTCUSD", 95_000.0, 15.0, 5.0),
];

fn main() {
    // `cargo bench` passes `--bench`; nothing else is understood.
    let keymap = Keymap::parse(
        "keymaps/default.toml",
        builtin_keymap("default").expect("the default keymap is embedded"),
    )
    .expect("the default keymap parses");
    let theme = Theme::parse(
        "themes/default.toml",
        builtin_theme("default").expect("the default theme is embedded"),
    )
    .expect("the default theme parses");
    let config = signalos::config::load(None, &[]).expect("the built-in config loads");
    let max_fps = config.config.ui.max_fps;
    let kit = Kit {
        keymap: &keymap,
        theme: &theme,
        logs: log_lines(),
        frame_every_us: 1_000_000 / i64::from(max_fps.clamp(1, 240)),
    };
    println!(
        "console output: ui.max_fps {max_fps}, {} s of virtual time per run, bytes counted at the \
         CrosstermBackend's writer\n",
        RUN / 1000
    );

    println!("## steady state: {POSITIONS} positions, 7 symbols quoting at 10 Hz each");
    println!(
        "{:<26} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "run",
        "size",
        "first B",
        "B/s",
        "B/frame",
        "p99 B/fr",
        "frames/s",
        "cells/fr",
        "paint",
        "p99 paint",
        "cpu",
        "p99 cpu"
    );
    for account in [false, true] {
        for (w, h) in SIZES {
            let run = simulate(
                &kit,
                busy_state(),
                (w, h),
                Feed {
                    symbols: MARKETS.len(),
                    period_ms: 100,
                    staggered: true,
                    account,
                },
            );
            let name = if account {
                "quotes + account"
            } else {
                "quotes"
            };
            print_steady(name, (w, h), &run);
        }
    }

    println!("\n## idle: nothing arrives, the 1 s clock tick re-renders");
    let idle = [
        ("flat, nothing arrives", flat_state(), None),
        ("20 positions, frozen quotes", busy_state(), None),
        (
            "flat, simulator feed",
            flat_state(),
            Some(Feed {
                symbols: MARKETS.len(),
                period_ms: 250,
                staggered: false,
                account: true,
            }),
        ),
    ];
    for (name, state, feed) in idle {
        for (w, h) in SIZES {
            let run = match &feed {
                Some(feed) => simulate(&kit, state.clone(), (w, h), feed.clone()),
                None => simulate(&kit, state.clone(), (w, h), Feed::none()),
            };
            print_idle(name, (w, h), &run);
        }
    }

    println!("\n## the real binary, idle in tmux");
    // 120x40 lays the console out compact; from 140x40 it is wide, with the equity chart.
    for size in [(120, 40), (160, 48)] {
        real_binary_idle(size);
    }
}

/// What every run draws with.
struct Kit<'a> {
    keymap: &'a Keymap,
    theme: &'a Theme,
    logs: Vec<LogLine>,
    frame_every_us: i64,
}

/// What arrives from the engine while a run lasts.
#[derive(Clone)]
struct Feed {
    /// How many of `MARKETS` quote.
    symbols: usize,
    period_ms: i64,
    /// Each symbol at its own phase within the period (a live feed), or all at once (the
    /// simulator steps every market in one tick).
    staggered: bool,
    /// The account reported after every round of quotes, with the equity the quotes make.
    account: bool,
}

impl Feed {
    fn none() -> Feed {
        Feed {
            symbols: 0,
            period_ms: 1000,
            staggered: false,
            account: false,
        }
    }
}

/// A byte counter standing in for the terminal.
#[derive(Clone, Default)]
struct Counter(Rc<Cell<u64>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One painted frame.
struct Painted {
    at: Millis,
    bytes: u64,
    wall: Duration,
    /// The thread's CPU time in `paint`: what the wall time is on a quiet machine.
    cpu: Duration,
    /// Cells that differ from the last frame written (0 when nothing was written).
    cells: usize,
    /// What changed, row by row: (row, column, new text).
    changes: Vec<(u16, u16, String)>,
}

struct Run {
    frames: Vec<Painted>,
}

impl Run {
    fn first(&self) -> &Painted {
        &self.frames[0]
    }

    /// The frames after the first, which draws the whole screen.
    fn after_first(&self) -> &[Painted] {
        &self.frames[1..]
    }

    fn written(&self) -> Vec<&Painted> {
        self.after_first().iter().filter(|f| f.bytes > 0).collect()
    }

    fn bytes_after_first(&self) -> u64 {
        self.after_first().iter().map(|f| f.bytes).sum()
    }
}

/// The console's loop in virtual time: events set `dirty`; a frame is drawn once dirty and a frame
/// interval after the last one (first when both are due, as the loop's `biased` select does); the
/// clock ticks every second and marks the screen dirty.
fn simulate(kit: &Kit, mut state: State, (w, h): (u16, u16), feed: Feed) -> Run {
    let counter = Counter::default();
    let backend = CrosstermBackend::new(counter.clone());
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )
    .expect("a terminal on a counting writer");
    let (outbox, _commands) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(true, outbox);
    app.follow(&state, START);
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut mids: Vec<f64> = MARKETS.iter().map(|m| m.1).collect();
    let balance = state.account.as_ref().map_or(0.0, |a| a.balance);

    let us = |ms: Millis| ms * 1000;
    let start = us(START);
    let end = start + us(RUN);
    let period = us(feed.period_ms);
    let phase = |i: usize| {
        if feed.staggered {
            period * i as i64 / feed.symbols.max(1) as i64
        } else {
            0
        }
    };
    // Virtual microseconds of the next quote of each symbol, and of the clock.
    let mut next_quote: Vec<i64> = (0..feed.symbols)
        .map(|i| start + phase(i) + period)
        .collect();
    let mut next_clock = start + 1_000_000;
    let mut dirty = true;
    let mut dirty_since = start;
    let mut last_draw = start - kit.frame_every_us;
    let mut shown: Option<Buffer> = None;
    let mut frames = Vec::new();

    loop {
        let draw_at = dirty.then(|| (last_draw + kit.frame_every_us).max(dirty_since));
        let quote_at = next_quote
            .iter()
            .enumerate()
            .min_by_key(|(_, t)| **t)
            .map(|(i, t)| (i, *t));
        let mut next = next_clock;
        if let Some((_, t)) = quote_at {
            next = next.min(t);
        }
        if let Some(t) = draw_at {
            next = next.min(t);
        }
        if next > end {
            break;
        }
        let now = next / 1000;
        if draw_at == Some(next) {
            let before_bytes = counter.0.get();
            let before = shown.clone();
            let view = View {
                state: &state,
                app: &app,
                logs: &kit.logs,
                theme: kit.theme,
                keymap: kit.keymap,
                now,
            };
            let cpu_before = thread_cpu();
            let began = Instant::now();
            let wrote = paint(&mut terminal, &mut shown, |frame| draw(frame, &view))
                .expect("painting to a counting writer");
            let wall = began.elapsed();
            let cpu = thread_cpu().saturating_sub(cpu_before);
            let bytes = counter.0.get() - before_bytes;
            let (cells, changes) = match (wrote, &before, &shown) {
                (true, Some(before), Some(after)) => describe(before, after),
                _ => (0, Vec::new()),
            };
            frames.push(Painted {
                at: now,
                bytes,
                wall,
                cpu,
                cells,
                changes,
            });
            dirty = false;
            last_draw = next;
        } else if next == next_clock {
            // `Console::tick`: the clock and the ages move every second.
            next_clock += 1_000_000;
            if !dirty {
                dirty_since = next;
            }
            dirty = true;
        } else if let Some((i, _)) = quote_at {
            let (name, _, spread, volatility) = MARKETS[i];
            mids[i] += volatility * (rng.random::<f64>() * 2.0 - 1.0) * 1.7;
            let digits = state.symbols.get(name).map_or(2, |s| s.digits);
            let quote = Quote {
                bid: round(mids[i] - spread / 2.0, digits),
                ask: round(mids[i] + spread / 2.0, digits),
                time: now,
            };
            state.apply(&Change::Quote {
                symbol: name.to_string(),
                quote,
            });
            next_quote[i] += period;
            // The account after a round of quotes: the last symbol of the round has quoted.
            if feed.account && i + 1 == feed.symbols {
                let mut account = state.account.clone().expect("the state has an account");
                account.equity = balance + state.floating_pnl();
                account.free_margin = account.equity - account.margin;
                state.apply(&Change::Account(account));
            }
            app.follow(&state, now);
            if !dirty {
                dirty_since = next;
            }
            dirty = true;
        }
    }
    Run { frames }
}

/// The cells `after` changes from `before`, as ratatui's diff finds them (what the backend
/// writes), grouped into runs on a row.
fn describe(before: &Buffer, after: &Buffer) -> (usize, Vec<(u16, u16, String)>) {
    let diff = before.diff(after);
    let mut runs: Vec<(u16, u16, u16, String)> = Vec::new();
    for (x, y, cell) in &diff {
        match runs.last_mut() {
            // Close cells on one row read as one change.
            Some((row, _, end, text)) if *row == *y && *x <= *end + 3 => {
                for gap in *end + 1..*x {
                    text.push_str(after[(gap, *y)].symbol());
                }
                text.push_str(cell.symbol());
                *end = *x;
            }
            _ => runs.push((*y, *x, *x, cell.symbol().to_string())),
        }
    }
    let changes = runs
        .into_iter()
        .map(|(row, col, _, text)| (row, col, text))
        .collect();
    (diff.len(), changes)
}

fn print_steady(name: &str, (w, h): (u16, u16), run: &Run) {
    let written = run.written();
    let mut bytes: Vec<u64> = written.iter().map(|f| f.bytes).collect();
    let mut cells: Vec<u64> = written.iter().map(|f| f.cells as u64).collect();
    let mut walls: Vec<Duration> = run.after_first().iter().map(|f| f.wall).collect();
    let mut cpus: Vec<Duration> = run.after_first().iter().map(|f| f.cpu).collect();
    bytes.sort_unstable();
    cells.sort_unstable();
    walls.sort_unstable();
    cpus.sort_unstable();
    let secs = RUN as f64 / 1000.0;
    println!(
        "{:<26} {:>8} {:>10} {:>9.0} {:>9} {:>9} {:>9.1} {:>9} {:>9} {:>9} {:>9} {:>9}",
        name,
        format!("{w}x{h}"),
        run.first().bytes,
        run.bytes_after_first() as f64 / secs,
        quantile(&bytes, 0.5),
        quantile(&bytes, 0.99),
        written.len() as f64 / secs,
        quantile(&cells, 0.5),
        format!("{:.1?}", quantile(&walls, 0.5)),
        format!("{:.1?}", quantile(&walls, 0.99)),
        format!("{:.1?}", quantile(&cpus, 0.5)),
        format!("{:.1?}", quantile(&cpus, 0.99)),
    );
}

fn print_idle(name: &str, (w, h): (u16, u16), run: &Run) {
    let written = run.written();
    let mut walls: Vec<Duration> = run.after_first().iter().map(|f| f.wall).collect();
    let mut cpus: Vec<Duration> = run.after_first().iter().map(|f| f.cpu).collect();
    walls.sort_unstable();
    cpus.sort_unstable();
    println!(
        "{name} {w}x{h}: {} frames rendered after the first, {} written, {} bytes after the \
         first frame ({} B); paint median {:.1?} (cpu {:.1?})",
        run.after_first().len(),
        written.len(),
        run.bytes_after_first(),
        run.first().bytes,
        quantile(&walls, 0.5),
        quantile(&cpus, 0.5),
    );
    for frame in written.iter().take(6) {
        let shown: Vec<String> = frame
            .changes
            .iter()
            .take(4)
            .map(|(row, col, text)| format!("({col},{row}) {:?}", text.trim()))
            .collect();
        println!(
            "    +{:>2}s {:>4} B {:>3} cells: {}{}",
            (frame.at - START) / 1000,
            frame.bytes,
            frame.cells,
            shown.join("  "),
            if frame.changes.len() > 4 { "  …" } else { "" }
        );
    }
    if written.len() > 6 {
        println!("    … {} more", written.len() - 6);
    }
}

fn quantile<T: Copy + Default>(sorted: &[T], q: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// The CPU time this thread has run (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu() -> Duration {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(
        u64::try_from(t.tv_sec).unwrap_or(0),
        u32::try_from(t.tv_nsec).unwrap_or(0),
    )
}

fn round(price: f64, digits: u32) -> f64 {
    let scale = 10f64.powi(digits as i32);
    (price * scale).round() / scale
}

// ---------------------------------------------------------------------------------------------
// The state.

fn account() -> Account {
    Account {
        login: 5_012_345,
        server: "Demo-Server".into(),
        currency: "USD".into(),
        leverage: 100,
        hedging: true,
        balance: 10_000.0,
        equity: 10_000.0,
        margin: 0.0,
        free_margin: 10_000.0,
    }
}

/// An account with symbols, quotes, signals, links and the day's book, and nothing open.
fn flat_state() -> State {
    let mut state = State {
        mode: Mode::Active,
        account: Some(account()),
        session_start_equity: Some(10_000.0),
        ..State::default()
    };
    for spec in default_symbols() {
        state.symbols.insert(spec.name.clone(), spec);
    }
    for (name, mid, spread, _) in MARKETS {
        let digits = state.symbols.get(name).map_or(2, |s| s.digits);
        state.quotes.insert(
            name.to_string(),
            Quote {
                bid: round(mid - spread / 2.0, digits),
                ask: round(mid + spread / 2.0, digits),
                time: START,
            },
        );
    }
    state.signals.extend((1..=SIGNALS).map(signal));
    for (name, link_state, detail) in [
        (
            "broker",
            LinkState::Synced,
            "synced: 20 position(s), 4 order(s)",
        ),
        ("source:vip", LinkState::Up, ""),
        ("source:inbox", LinkState::Up, ""),
        ("relay", LinkState::Up, "1 viewer"),
    ] {
        state.links.insert(
            name.into(),
            Link {
                state: link_state,
                detail: detail.into(),
            },
        );
    }
    state.day = Some(DayStatus {
        day: "2026-11-22".into(),
        start_equity: 10_000.0,
        high_equity: 10_050.0,
        loss_limit_percent: 3.0,
        drawdown_limit_percent: 0.0,
        tripped: None,
    });
    state
}

/// When signal `seq` arrived: the 50 signals span the last five hours, a few seconds apart
/// within their minutes.
fn received(seq: u64) -> Millis {
    START - (SIGNALS - seq + 1) as Millis * 6 * 60_000 + (seq as Millis * 7 % 60) * 1000
}

/// The signal a position opened from.
fn position_signal(n: usize) -> u64 {
    10 + 2 * n as u64
}

fn signal(seq: u64) -> SignalRecord {
    let (name, mid, _, _) = MARKETS[seq as usize % MARKETS.len()];
    let side = if seq % 3 == 0 { Side::Sell } else { Side::Buy };
    let executed = seq >= position_signal(0) && seq % 2 == 0;
    let open = Parsed {
        kind: SignalKind::Open,
        symbol: Some(name.into()),
        side: Some(side),
        entry: Some(Entry::Price(mid)),
        sl: Some(StopLoss::Price(mid * 0.995)),
        tp: vec![Target::Price(mid * 1.005), Target::Price(mid * 1.01)],
        confidence: 0.95,
        ..Parsed::default()
    };
    let (text, parsed, decision) = match seq % 5 {
        _ if executed => (
            format!(
                "{name} {side} now {mid} SL {:.2} TP {:.2}",
                mid * 0.995,
                mid * 1.005
            ),
            open,
            Decision::Executed {
                summary: format!("{side} 0.10 {name} in 1 leg"),
                cids: vec![format!("k3x9-s{seq}-1")],
            },
        ),
        1 => (
            format!("{name} {side} now {mid}"),
            Parsed {
                sl: None,
                tp: Vec::new(),
                ..open
            },
            Decision::Refused {
                reason: "no stop loss (engine.require_sl)".into(),
            },
        ),
        3 => (
            "Move SL to entry on all gold".into(),
            Parsed {
                kind: SignalKind::Modify,
                sl: Some(StopLoss::Breakeven),
                confidence: 0.9,
                ..Parsed::default()
            },
            Decision::Refused {
                reason: "no open trade of this signal".into(),
            },
        ),
        _ => (
            "What a week team, +320 pips banked and counting".into(),
            Parsed::default(),
            Decision::Ignored {
                reason: "not a trade instruction".into(),
            },
        ),
    };
    SignalRecord {
        seq,
        received_at: received(seq),
        sent_at: None,
        source: if seq % 4 == 0 { "inbox" } else { "vip" }.into(),
        chat: if seq % 4 == 0 {
            "FX Pro"
        } else {
            "Gold Signals VIP"
        }
        .into(),
        msg_id: seq as i64 + 1000,
        edit: 0,
        edited_at: None,
        reply_to: None,
        text,
        parsed,
        linked: None,
        decision,
    }
}

/// The flat state with 20 open positions over the 7 symbols, with stops and targets, and 4
/// pending orders; positions marked at the start quotes.
fn busy_state() -> State {
    let mut state = flat_state();
    for n in 0..POSITIONS {
        let (name, mid, _, _) = MARKETS[n % MARKETS.len()];
        let spec = state.symbols.get(name).expect("a simulator symbol").clone();
        let side = if n % 3 == 1 { Side::Sell } else { Side::Buy };
        let seq = position_signal(n);
        // Entries within half a percent of the market, stops 0.6 % away, targets 1 %.
        let open = round(mid * (1.0 + ((n as f64 * 0.37).sin() * 0.005)), spec.digits);
        let sign = if side == Side::Buy { 1.0 } else { -1.0 };
        let ticket = 1_000_101 + n as u64;
        state.positions.insert(
            ticket,
            Position {
                ticket,
                symbol: name.into(),
                side,
                volume: spec.volume_min * (1 + n % 3) as f64,
                open_price: open,
                open_time: received(seq) + 2_000,
                sl: Some(round(open - sign * mid * 0.006, spec.digits)),
                tp: (n % 4 != 3).then(|| round(open + sign * mid * 0.01, spec.digits)),
                current_price: open,
                profit: 0.0,
                swap: 0.0,
                commission: 0.0,
                cid: format!("k3x9-s{seq}-1"),
            },
        );
    }
    for (n, (name, order_type)) in [
        ("XAUUSD", OrderType::Limit),
        ("EURUSD", OrderType::Stop),
        ("NAS100", OrderType::Limit),
        ("BTCUSD", OrderType::Limit),
    ]
    .into_iter()
    .enumerate()
    {
        let (_, mid, _, _) = MARKETS
            .iter()
            .find(|m| m.0 == name)
            .copied()
            .expect("a simulator symbol");
        let digits = state.symbols.get(name).map_or(2, |s| s.digits);
        let ticket = 1_000_201 + n as u64;
        let price = round(mid * 0.996, digits);
        state.orders.insert(
            ticket,
            PendingOrder {
                ticket,
                symbol: name.into(),
                side: Side::Buy,
                order_type,
                volume: 0.10,
                price,
                sl: Some(round(price * 0.994, digits)),
                tp: Some(round(price * 1.01, digits)),
                placed_at: START - (25 + 17 * n as Millis) * 60_000 - 13_000,
                cid: format!("k3x9-s{}-2", 41 + n),
            },
        );
    }
    // Mark every position at the start quotes, as the first quotes after a sync do.
    let quotes: Vec<(String, Quote)> = state.quotes.iter().map(|(s, q)| (s.clone(), *q)).collect();
    for (symbol, quote) in quotes {
        state.apply(&Change::Quote { symbol, quote });
    }
    let floating = state.floating_pnl();
    let mut account = account();
    account.equity = account.balance + floating;
    account.margin = 2_350.0;
    account.free_margin = account.equity - account.margin;
    state.apply(&Change::Account(account));
    state
}

fn log_lines() -> Vec<LogLine> {
    (0..40)
        .map(|i| LogLine {
            at: START - (40 - i) * 45_000,
            level: if i % 9 == 0 { Level::WARN } else { Level::INFO },
            target: "signalos::engine".into(),
            message: format!("signal #{} decided: executed, 1 order sent", 10 + i),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The real binary.

/// The release binary next to this bench's own (target/release/deps/console-…).
fn release_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let release = exe.parent()?.parent()?;
    let binary = release.join("signalos");
    binary.is_file().then_some(binary)
}

/// tmux on its own server, whose socket is `socket` (in the run's temp dir, gone with it).
fn tmux(socket: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .env_remove("TMUX")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

/// The signalos process in the pane: the pane's own process, or its child when a shell runs it.
fn signalos_pid(pane_pid: u32) -> Option<u32> {
    let comm = |pid: u32| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok();
    if comm(pane_pid)?.trim() == "signalos" {
        return Some(pane_pid);
    }
    let children =
        std::fs::read_to_string(format!("/proc/{pane_pid}/task/{pane_pid}/children")).ok()?;
    children
        .split_whitespace()
        .filter_map(|c| c.parse().ok())
        .find(|c| comm(*c).is_some_and(|n| n.trim() == "signalos"))
}

fn real_binary_idle((w, h): (u16, u16)) {
    let Some(binary) = release_binary() else {
        println!("skipped: target/release/signalos is missing (run `cargo build --release` first)");
        return;
    };
    let has_tmux = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tmux {
        println!("skipped: tmux is not available");
        return;
    }
    let dir = tempfile::tempdir().expect("a temp dir");
    let home = dir.path().join("home");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&home).expect("a home dir");
    std::fs::create_dir_all(&data).expect("a data dir");
    let inbox = dir.path().join("inbox.jsonl");
    std::fs::write(&inbox, "").expect("an empty inbox");
    let config = dir.path().join("config.toml");
    // The simulator (the default broker) on a new account: flat. One file source on an empty file:
    // no signal ever arrives. The theme is fixed so that the result does not depend on COLORTERM.
    std::fs::write(
        &config,
        format!(
            "[ui]\ntheme = \"default\"\n\n[[sources]]\nkind = \"file\"\nname = \"inbox\"\n\
             path = {:?}\npoll_ms = 250\n",
            inbox.display().to_string()
        ),
    )
    .expect("a config file");
    let output = dir.path().join("pane.out");
    let socket = dir.path().join("tmux.sock");
    let command = format!(
        "exec env -u COLORTERM -u NO_COLOR HOME={} {} --config {} --data-dir {}",
        quote(&home),
        quote(&binary),
        quote(&config),
        quote(&data),
    );
    let started = tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "bench",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            &command,
        ],
    );
    if started.is_none() {
        println!("skipped: tmux could not start a session");
        return;
    }
    let measured = measure_pane(&socket, &output);
    let _ = tmux(&socket, &["kill-server"]);
    match measured {
        Some(m) => {
            println!(
                "{} at {w}x{h}, flat simulator account, one empty file source; after {} s, over \
                 {} s:",
                binary.display(),
                SETTLE.as_secs(),
                WINDOW.as_secs()
            );
            println!(
                "  CPU {:.2} % of one core ({} clock ticks of {} per second)",
                m.ticks as f64 / m.tps as f64 / WINDOW.as_secs_f64() * 100.0,
                m.ticks,
                m.tps
            );
            println!(
                "  the pane received {} bytes ({:.1} B/s)",
                m.bytes,
                m.bytes as f64 / WINDOW.as_secs_f64()
            );
            println!("  the screen then:");
            for line in m.screen.lines().take(3) {
                println!("    | {}", line.trim_end());
            }
        }
        None => println!("failed: the pane's process could not be measured (did signalos start?)"),
    }
}

const SETTLE: Duration = Duration::from_secs(5);
const WINDOW: Duration = Duration::from_secs(30);

struct Measured {
    ticks: u64,
    tps: u64,
    bytes: u64,
    screen: String,
}

fn measure_pane(socket: &Path, output: &Path) -> Option<Measured> {
    std::thread::sleep(SETTLE);
    let pane = tmux(socket, &["list-panes", "-t", "bench", "-F", "#{pane_pid}"])?;
    let pid = signalos_pid(pane.trim().parse().ok()?)?;
    let pipe = format!("cat >> {}", quote(output));
    tmux(socket, &["pipe-pane", "-o", "-t", "bench", &pipe])?;
    let before = cpu_ticks(pid)?;
    std::thread::sleep(WINDOW);
    let after = cpu_ticks(pid)?;
    tmux(socket, &["pipe-pane", "-t", "bench"])?;
    // Let `cat` write what it still holds.
    std::thread::sleep(Duration::from_millis(200));
    let screen = tmux(socket, &["capture-pane", "-p", "-t", "bench"]).unwrap_or_default();
    Some(Measured {
        ticks: after - before,
        tps: clock_ticks_per_second(),
        bytes: std::fs::metadata(output).map_or(0, |m| m.len()),
        screen,
    })
}

/// A path for `sh`, in single quotes.
fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
