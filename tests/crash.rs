//! Issue 11, "Keep proving it": the crash harness.
//!
//! The real binaries end to end: `signalos run --headless` following a JSON-lines file, and
//! `signalos sim-mt5` as a separate process playing the Expert Advisor. A writer thread appends
//! messages at a steady rate — market opens, follow-ups by reply (move SL, SL to breakeven, close
//! half, close all), edits of opens (a new SL), chatter — some lines in one write, some in two
//! writes a few ms apart. Meanwhile the engine is SIGKILLed at seeded random moments (some within
//! milliseconds of a write) and started again at once or after a pause, and the simulator is
//! killed and restarted too. Then the console, in tmux, PAUSEs the engine (P) and is SIGKILLed;
//! the engine is killed and restarted headless while more opens come: they must all be refused
//! as PAUSED. Then the console HALTs it (X X) and is SIGKILLed; more kills, more opens: still
//! HALTED, the account flat at the simulator, nothing new executed.
//!
//! Ground truth at the end: `signalos journal signals|orders|decisions|audit`, the simulator's
//! trade log (one `request` line per executed cid) and its saved account (positions with their SL
//! and volume). Checked: every line written is journaled exactly once; every accepted leg is
//! executed exactly once; the journal and the trade log agree on every cid; every follow-up and
//! edit took effect; nothing refused or ignored executed; PAUSED and HALTED held. Evidence that
//! the faults happened (kills with orders in flight, kills within 5 ms of a write) must be there
//! too, so the test cannot pass vacuously.
//!
//! Short form, as CI runs it: about 100 s in a debug build (80 s of writing), 32 engine kills (24
//! while ACTIVE, 4 PAUSED, 4 HALTED, the console's two among them), 4 simulator kills:
//!
//!     cargo test --test crash
//!
//! Long form (not in CI), e.g. 200 kills over 10 minutes of signals:
//!
//!     SIGNALOS_CRASH_KILLS=200 SIGNALOS_CRASH_SECS=600 cargo test --release --test crash -- --nocapture
//!
//! The seed is printed; `SIGNALOS_CRASH_SEED=N` replays a run's script and kill plan (timings
//! differ run to run). The summary (kills, messages, orders, duplicates, lost) is printed with
//! --nocapture, and always on failure, when the run's files are kept for reading. Without tmux
//! the PAUSED/HALTED phase is skipped with a visible note, except under CI (env CI), where it
//! must run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bin.rs"]
mod bin;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/wait.rs"]
mod wait;

#[path = "support/tmux.rs"]
mod tmux;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::de::DeserializeOwned;
use signalos::broker::BrokerRequest;
use signalos::broker::TradeOutcome;
use signalos::broker::sim::{DealReason, RETCODE_INVALID_STOPS, RecordEntry, TradeRecord};
use signalos::engine::{Action, Reply};
use signalos::model::{Decision, Position, SignalRecord, now_millis, signal_of_cid};
use signalos::store::{AuditEntry, DecisionEntry, OrderEntry, OrderEvent};

use bin::{BIN, journal, signalos, text};
use sim::{Files, SECRET, SimSide};
use tmux::{Tmux, positions, tmux_available};

/// The writer's steady rate: one line every `SLOT`.
const SLOT: Duration = Duration::from_millis(200);
const SOURCE: &str = "inbox";
const CHAT: &str = "vip";
/// What the writer trades: the simulator's start prices (src/broker/sim/market.rs) and digits.
/// Its stops and targets are 4–7 % away: prices wander well under 1 % in a long run, so only the
/// writer's own instructions (and a stop moved to breakeven) ever close a position.
const SYMBOLS: [(&str, f64, usize); 2] = [("EURUSD", 1.16, 5), ("XAUUSD", 4150.0, 2)];
/// Both symbols trade in steps of 0.01 lots, 0.01 at least.
const VOLUME_STEP: f64 = 0.01;
const CHATTER: [&str; 3] = [
    "Good morning traders",
    "TP1 hit +40 pips",
    "Market is choppy today, stay patient",
];
/// What the engine journals for an order it had sent when it was stopped.
const STOPPED_IN_FLIGHT: &str = "the engine stopped before the broker answered";
/// A kill this soon after a write counts as "within milliseconds of a write".
const NEAR_WRITE: Duration = Duration::from_millis(5);

// ---- the run's settings ---------------------------------------------------------------------

struct Settings {
    seed: u64,
    /// Engine kills while ACTIVE; the PAUSED and HALTED phases add their own.
    kills: usize,
    /// How long the writer writes while ACTIVE.
    secs: u64,
}

impl Settings {
    fn from_env() -> Settings {
        fn var<T: std::str::FromStr>(name: &str) -> Option<T>
        where
            T::Err: std::fmt::Display,
        {
            let value = std::env::var(name).ok()?;
            Some(
                value
                    .parse()
                    .unwrap_or_else(|e| panic!("{name}={value:?}: {e}")),
            )
        }
        Settings {
            seed: var("SIGNALOS_CRASH_SEED").unwrap_or_else(rand::random),
            kills: var("SIGNALOS_CRASH_KILLS").unwrap_or(24),
            secs: var("SIGNALOS_CRASH_SECS").unwrap_or(60),
        }
    }

    fn slots(secs: u64) -> usize {
        (Duration::from_secs(secs).as_millis() / SLOT.as_millis()) as usize
    }

    /// Writer slots of the ACTIVE, PAUSED and HALTED phases.
    fn phase_slots(&self) -> [usize; 3] {
        [
            Self::slots(self.secs),
            Self::slots((self.secs / 5).max(12)),
            Self::slots((self.secs / 8).max(8)),
        ]
    }

    /// Engine kills in the PAUSED and the HALTED phase each.
    fn mode_kills(&self) -> usize {
        (self.kills / 8).max(3)
    }
}

// ---- what the writer writes -----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Active,
    Paused,
    Halted,
}

/// A message's identity in the journal, besides its source and chat: (id, edit).
type Key = (i64, u32);

#[derive(Debug, Clone)]
struct Levels {
    symbol: &'static str,
    digits: usize,
    price: f64,
    buy: bool,
    sl: f64,
    tp1: f64,
    tp2: f64,
}

impl Levels {
    fn new(rng: &mut StdRng) -> Levels {
        let (symbol, price, digits) = SYMBOLS[rng.random_range(0..SYMBOLS.len())];
        let mut levels = Levels {
            symbol,
            digits,
            price,
            buy: rng.random_bool(0.5),
            sl: 0.0,
            tp1: 0.0,
            tp2: 0.0,
        };
        levels.sl = levels.stop(rng.random_range(0.04..0.06));
        let tp = rng.random_range(0.04..0.06);
        levels.tp1 = levels.away(tp);
        levels.tp2 = levels.away(tp + 0.01);
        levels
    }

    fn sign(&self) -> f64 {
        if self.buy { 1.0 } else { -1.0 }
    }

    /// A price `fraction` of the start price away, on the winning side.
    fn away(&self, fraction: f64) -> f64 {
        let scale = 10f64.powi(self.digits as i32);
        (self.price * (1.0 + self.sign() * fraction) * scale).round() / scale
    }

    /// A stop loss `fraction` of the start price away, on the losing side.
    fn stop(&self, fraction: f64) -> f64 {
        self.away(-fraction)
    }

    fn fmt(&self, price: f64) -> String {
        format!("{price:.*}", self.digits)
    }

    /// The open's text with this stop loss: an edit changes only that.
    fn text(&self, sl: f64) -> String {
        format!(
            "{} {} NOW SL {} TP1 {} TP2 {}",
            self.symbol,
            if self.buy { "BUY" } else { "SELL" },
            self.fmt(sl),
            self.fmt(self.tp1),
            self.fmt(self.tp2)
        )
    }

    /// Half a point: prices closer than this are the same price.
    fn tolerance(&self) -> f64 {
        0.5 * 10f64.powi(-(self.digits as i32))
    }
}

#[derive(Debug, Clone)]
enum Act {
    Open(Levels),
    /// An edit of the open `open` (same id, `edit` > 0) with a new stop loss.
    Edit {
        open: i64,
        sl: f64,
    },
    MoveSl {
        open: i64,
        sl: f64,
    },
    Breakeven {
        open: i64,
    },
    CloseHalf {
        open: i64,
    },
    CloseAll {
        open: i64,
    },
    Chatter,
}

impl Act {
    /// The open a follow-up or an edit is about.
    fn open(&self) -> Option<i64> {
        match *self {
            Act::Edit { open, .. }
            | Act::MoveSl { open, .. }
            | Act::Breakeven { open }
            | Act::CloseHalf { open }
            | Act::CloseAll { open } => Some(open),
            Act::Open(_) | Act::Chatter => None,
        }
    }
}

#[derive(Debug, Clone)]
struct Msg {
    id: i64,
    edit: u32,
    reply_to: Option<i64>,
    text: String,
    act: Act,
    phase: Phase,
    /// Written in two parts: where the line is cut (a fraction of its length), and the pause.
    split: Option<(f64, u64)>,
}

impl Msg {
    fn key(&self) -> Key {
        (self.id, self.edit)
    }

    fn line(&self) -> String {
        let mut line = serde_json::json!({ "chat": CHAT, "id": self.id, "text": self.text });
        if let Some(to) = self.reply_to {
            line["reply_to"] = to.into();
        }
        if self.edit > 0 {
            line["edit"] = self.edit.into();
        }
        format!("{line}\n")
    }

    fn describe(&self) -> String {
        let edit = if self.edit > 0 {
            format!(" edit {}", self.edit)
        } else {
            String::new()
        };
        let reply = self
            .reply_to
            .map_or_else(String::new, |to| format!(" replying to {to}"));
        format!(
            "message {}{edit}{reply} {:?} ({:?})",
            self.id, self.text, self.phase
        )
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Edit,
    MoveSl,
    Breakeven,
    CloseHalf,
    CloseAll,
}

/// What an open's channel will say about it later, in order.
fn plan(rng: &mut StdRng, phase: Phase) -> VecDeque<Step> {
    if phase != Phase::Active {
        // Follow-ups and edits of an open refused as PAUSED or HALTED: they must be refused too.
        let mut steps = VecDeque::new();
        if rng.random_bool(0.2) {
            steps.push_back(Step::Edit);
        }
        if rng.random_bool(0.4) {
            steps.push_back(
                [Step::CloseAll, Step::Breakeven, Step::CloseHalf][rng.random_range(0..3)],
            );
        }
        return steps;
    }
    let mut middle = Vec::new();
    let edits = match rng.random_range(0..20) {
        0..=10 => 0,
        11..=17 => 1,
        _ => 2,
    };
    middle.extend(std::iter::repeat_n(Step::Edit, edits));
    if rng.random_bool(0.3) {
        middle.push(Step::MoveSl);
    }
    if rng.random_bool(0.4) {
        middle.push(Step::CloseHalf);
    }
    middle.shuffle(rng);
    let mut steps: VecDeque<Step> = middle.into();
    // Breakeven comes last: once the stop is at the entry, the price may take the trade out.
    match rng.random_range(0..20) {
        0..=5 => steps.push_back(Step::Breakeven),
        6..=12 => steps.push_back(Step::CloseAll),
        _ => {}
    }
    steps
}

/// An open's next instruction, due at a slot.
struct Next {
    due: usize,
    /// Its instructions are written before this slot, or not at all.
    until: usize,
    open: i64,
    steps: VecDeque<Step>,
}

/// The whole run's messages, one per writer slot: ACTIVE, then PAUSED, then HALTED. Opens are
/// followed by their instructions a few slots later (sometimes the very next slot, while the
/// open's orders are still in flight); an ACTIVE open's instructions may come in the PAUSED phase,
/// none in the HALTED one.
fn script(rng: &mut StdRng, [active, paused, halted]: [usize; 3]) -> Vec<Msg> {
    let total = active + paused + halted;
    let phase_of = |slot: usize| {
        if slot < active {
            Phase::Active
        } else if slot < active + paused {
            Phase::Paused
        } else {
            Phase::Halted
        }
    };
    let mut out = Vec::with_capacity(total);
    let mut opens: BTreeMap<i64, (Levels, u32)> = BTreeMap::new();
    let mut queue: Vec<Next> = Vec::new();
    let mut next_id = 1;
    for slot in 0..total {
        let phase = phase_of(slot);
        queue.retain(|n| slot < n.until);
        let due = (0..queue.len())
            .filter(|&i| queue[i].due <= slot)
            .min_by_key(|&i| queue[i].due);
        if let Some(i) = due
            && rng.random_bool(0.75)
        {
            let open = queue[i].open;
            let step = queue[i].steps.pop_front().unwrap();
            queue[i].due = slot + rng.random_range(1..=15);
            if queue[i].steps.is_empty() {
                queue.swap_remove(i);
            }
            let (levels, edits) = opens.get_mut(&open).unwrap();
            let reply = |text: String, act: Act, next_id: &mut i64| {
                let id = *next_id;
                *next_id += 1;
                (id, 0, Some(open), text, act)
            };
            let (id, edit, reply_to, text, act) = match step {
                Step::Edit => {
                    *edits += 1;
                    let sl = levels.stop(rng.random_range(0.025..0.07));
                    (open, *edits, None, levels.text(sl), Act::Edit { open, sl })
                }
                Step::MoveSl => {
                    let sl = levels.stop(rng.random_range(0.025..0.07));
                    let text = format!("move SL to {}", levels.fmt(sl));
                    reply(text, Act::MoveSl { open, sl }, &mut next_id)
                }
                Step::Breakeven => reply(
                    "move SL to BE".into(),
                    Act::Breakeven { open },
                    &mut next_id,
                ),
                Step::CloseHalf => {
                    reply("close half".into(), Act::CloseHalf { open }, &mut next_id)
                }
                Step::CloseAll => reply("close all".into(), Act::CloseAll { open }, &mut next_id),
            };
            out.push(Msg {
                id,
                edit,
                reply_to,
                text,
                act,
                phase,
                split: None,
            });
            continue;
        }
        let id = next_id;
        next_id += 1;
        if rng.random_bool(0.12) {
            out.push(Msg {
                id,
                edit: 0,
                reply_to: None,
                text: CHATTER[rng.random_range(0..CHATTER.len())].into(),
                act: Act::Chatter,
                phase,
                split: None,
            });
            continue;
        }
        let levels = Levels::new(rng);
        let steps = plan(rng, phase);
        if !steps.is_empty() {
            queue.push(Next {
                due: slot + rng.random_range(1..=15),
                until: if phase == Phase::Halted {
                    total
                } else {
                    active + paused
                },
                open: id,
                steps,
            });
        }
        out.push(Msg {
            id,
            edit: 0,
            reply_to: None,
            text: levels.text(levels.sl),
            act: Act::Open(levels.clone()),
            phase,
            split: None,
        });
        opens.insert(id, (levels, 0));
    }
    for msg in &mut out {
        if rng.random_bool(0.15) {
            msg.split = Some((rng.random_range(0.05..0.95), rng.random_range(2..=15)));
        }
    }
    out
}

fn sleep_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}

/// Append `msgs` to the inbox, one every [`SLOT`] from `start`, and tell `written` after each.
fn writer(
    inbox: PathBuf,
    msgs: Vec<Msg>,
    start: Instant,
    written: mpsc::Sender<(Instant, Key)>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&inbox)
            .unwrap();
        for (i, msg) in msgs.iter().enumerate() {
            sleep_until(start + SLOT * i as u32);
            let line = msg.line();
            match msg.split {
                // As a real writer may: part of the line, a pause, the rest.
                Some((cut, pause)) => {
                    let at = ((line.len() as f64 * cut) as usize).clamp(1, line.len() - 1);
                    file.write_all(&line.as_bytes()[..at]).unwrap();
                    std::thread::sleep(Duration::from_millis(pause));
                    file.write_all(&line.as_bytes()[at..]).unwrap();
                }
                // One write(2) of the whole line: a kill never sees half of it.
                None => file.write_all(line.as_bytes()).unwrap(),
            }
            let _ = written.send((Instant::now(), msg.key()));
        }
    })
}

// ---- the processes --------------------------------------------------------------------------

/// One engine process: headless (its stderr in `log`) or the console (`log` is None).
struct Run {
    log: Option<PathBuf>,
    phase: Phase,
}

/// An engine stopped: SIGKILL (`kill`) or SIGTERM.
struct Stop {
    at: i64,
    kill: bool,
    phase: Phase,
    /// A kill right after a write: how long after, and the line written.
    after_write: Option<(Duration, Key)>,
}

#[derive(Clone, Copy)]
enum Event {
    KillEngine,
    StartEngine,
    KillSim,
    StartSim,
}

struct Harness {
    files: Files,
    home: PathBuf,
    config: PathBuf,
    inbox: PathBuf,
    address: SocketAddr,
    seed: u64,
    rng: StdRng,
    sim: Option<SimSide>,
    engine: Option<Child>,
    runs: Vec<Run>,
    stops: Vec<Stop>,
    sim_kills: usize,
    /// What went wrong with the processes themselves (an engine that exited by itself).
    trouble: Vec<String>,
}

impl Harness {
    fn new(seed: u64) -> Harness {
        let files = Files::new();
        let home = files.journal.parent().unwrap().to_path_buf();
        let address = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let inbox = home.join("inbox.jsonl");
        std::fs::write(&inbox, "").unwrap();
        let config = home.join("engine.toml");
        // Guards loose enough that every ACTIVE open is accepted; a signal waits for the broker
        // longer than any outage here; the demo source is replaced by the inbox.
        std::fs::write(
            &config,
            format!(
                "[engine]\nrequest_timeout_ms = 5000\nsignal_wait_secs = 1800\nhalt_retry_secs = 1\n\n\
                 [risk]\nmode = \"fixed\"\nlots = 0.04\nmax_legs = 2\n\n\
                 [guards]\nduplicate_window_secs = 0\nmax_signal_age_secs = 1800\n\n\
                 [management]\nbreakeven_after_tp = 0\n\n\
                 [broker]\nkind = \"mt5\"\nlisten = \"{address}\"\nsecret = \"{SECRET}\"\n\n\
                 [[sources]]\nkind = \"file\"\nname = \"{SOURCE}\"\npath = \"inbox.jsonl\"\npoll_ms = 20\n"
            ),
        )
        .unwrap();
        Harness {
            files,
            home,
            config,
            inbox,
            address,
            seed,
            rng: StdRng::seed_from_u64(seed ^ 0x6b69_6c6c),
            sim: None,
            engine: None,
            runs: Vec::new(),
            stops: Vec::new(),
            sim_kills: 0,
            trouble: Vec::new(),
        }
    }

    fn start_sim(&mut self) {
        if self.sim.is_none() {
            self.sim = Some(SimSide::start_seeded(
                self.address,
                &self.files,
                &[],
                self.seed,
            ));
        }
    }

    fn kill_sim(&mut self) {
        if let Some(sim) = self.sim.take() {
            sim.kill();
            self.sim_kills += 1;
        }
    }

    fn start_engine(&mut self, phase: Phase) {
        let log = self
            .home
            .join(format!("engine-{:03}.log", self.runs.len() + 1));
        let stderr = std::fs::File::create(&log).unwrap();
        let child = signalos(&self.home)
            .args(["run", "--headless", "--config"])
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.files.journal)
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap();
        self.runs.push(Run {
            log: Some(log),
            phase,
        });
        self.engine = Some(child);
    }

    fn last_log(&self) -> PathBuf {
        self.runs.last().unwrap().log.clone().unwrap()
    }

    /// The engine only ever stops when told: one that exited by itself is trouble.
    fn check_alive(&mut self) {
        if let Some(child) = &mut self.engine
            && let Ok(Some(status)) = child.try_wait()
        {
            let log = std::fs::read_to_string(self.last_log()).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(5).collect();
            self.trouble.push(format!(
                "engine run {} exited by itself ({status}); its log ends: {tail:?}",
                self.runs.len()
            ));
            self.engine = None;
        }
    }

    fn kill_engine(&mut self, phase: Phase, after_write: Option<(Instant, Key)>) {
        self.check_alive();
        let Some(mut child) = self.engine.take() else {
            return;
        };
        // SIGKILL; an engine that exited by itself since check_alive is found by wait.
        let _ = child.kill();
        let (killed, at) = (Instant::now(), now_millis());
        let status = child.wait().unwrap();
        if status.code().is_some() {
            self.trouble.push(format!(
                "engine run {} exited by itself ({status}) just before its kill",
                self.runs.len()
            ));
        }
        self.stops.push(Stop {
            at,
            kill: true,
            phase,
            after_write: after_write.map(|(w, key)| (killed - w, key)),
        });
    }

    /// SIGTERM, as an operator stops it.
    fn stop_engine(&mut self, phase: Phase) {
        self.check_alive();
        let Some(mut child) = self.engine.take() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                self.trouble.push(format!(
                    "engine run {} did not stop within 20 s of SIGTERM",
                    self.runs.len()
                ));
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.stops.push(Stop {
            at: now_millis(),
            kill: false,
            phase,
            after_write: None,
        });
    }

    /// Write `msgs` at the steady rate while killing the engine `kills` times and the simulator
    /// `sim_kills` times at seeded random moments.
    fn chaos(&mut self, phase: Phase, msgs: &[Msg], kills: usize, sim_kills: usize) {
        self.start_sim();
        self.check_alive();
        if self.engine.is_none() {
            self.start_engine(phase);
        }
        let (tx, written) = mpsc::channel();
        let start = Instant::now() + SLOT;
        let writer = writer(self.inbox.clone(), msgs.to_vec(), start, tx);
        let length = SLOT * msgs.len() as u32;
        let mut events: Vec<(Instant, Event)> = Vec::new();
        for k in 0..kills {
            let at = (k as f64 + 0.5 + self.rng.random_range(-0.45..0.45)) / kills as f64;
            events.push((start + length.mul_f64(at), Event::KillEngine));
        }
        for k in 0..sim_kills {
            let at = (k as f64 + 1.0 + self.rng.random_range(-0.3..0.3)) / (sim_kills + 1) as f64;
            events.push((start + length.mul_f64(at), Event::KillSim));
        }
        while let Some(i) = (0..events.len()).min_by_key(|&i| events[i].0) {
            let (at, event) = events.swap_remove(i);
            sleep_until(at);
            match event {
                Event::KillEngine => {
                    // Down already (a pause before its restart): started, and killed while it
                    // starts.
                    self.check_alive();
                    if self.engine.is_none() {
                        self.start_engine(phase);
                    }
                    let after_write = if self.rng.random_bool(0.4) {
                        while written.try_recv().is_ok() {}
                        let write = written.recv_timeout(SLOT * 3).ok();
                        let ms = self.rng.random_range(0..=3);
                        std::thread::sleep(Duration::from_millis(ms));
                        write
                    } else {
                        None
                    };
                    self.kill_engine(phase, after_write);
                    let pause = match self.rng.random_range(0..10) {
                        0..=4 => 0,
                        5..=7 => self.rng.random_range(50..500),
                        _ => self.rng.random_range(500..2000),
                    };
                    events.push((
                        Instant::now() + Duration::from_millis(pause),
                        Event::StartEngine,
                    ));
                }
                Event::StartEngine => {
                    self.check_alive();
                    if self.engine.is_none() {
                        self.start_engine(phase);
                    }
                }
                Event::KillSim => {
                    self.kill_sim();
                    let pause = self.rng.random_range(200..2000);
                    events.push((
                        Instant::now() + Duration::from_millis(pause),
                        Event::StartSim,
                    ));
                }
                Event::StartSim => self.start_sim(),
            }
        }
        writer.join().unwrap();
    }

    /// Until nothing changes for a while: the trade log, the inbox and the engine's log.
    fn wait_quiet(&self) {
        let log = self.last_log();
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let sizes = || (size(&self.files.trade_log), size(&log), size(&self.inbox));
        let deadline = Instant::now() + Duration::from_secs(30);
        let (mut last, mut since) = (sizes(), Instant::now());
        while Instant::now() < deadline && since.elapsed() < Duration::from_millis(1500) {
            std::thread::sleep(Duration::from_millis(100));
            let now = sizes();
            if now != last {
                (last, since) = (now, Instant::now());
            }
        }
    }

    /// Run the engine (stopped with SIGTERM to read its journal, started again if need be) until
    /// every line written is journaled, none waits for the broker and every order has an outcome.
    fn settle(&mut self, phase: Phase, written: &BTreeSet<Key>) -> JournalView {
        let deadline = Instant::now() + Duration::from_secs(240);
        loop {
            self.start_sim();
            self.check_alive();
            if self.engine.is_none() {
                self.start_engine(phase);
            }
            wait::file_until(&self.last_log(), "trading allowed", |log| {
                log.contains("trading allowed")
            });
            self.wait_quiet();
            self.stop_engine(phase);
            let view = self.read_journal();
            match view.unsettled(written) {
                None => return view,
                Some(why) if Instant::now() > deadline => {
                    self.trouble
                        .push(format!("still not settled after 4 minutes: {why}"));
                    return view;
                }
                Some(why) => eprintln!("not settled yet ({why}): once more"),
            }
        }
    }

    fn read<T: DeserializeOwned>(&self, kind: &str) -> Vec<T> {
        let out = journal(&self.home, &self.files.journal, kind);
        assert!(
            out.status.success(),
            "signalos journal {kind}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("journal {kind}: {e}: {l}")))
            .collect()
    }

    fn read_journal(&self) -> JournalView {
        let decisions: Vec<DecisionEntry> = self.read("decisions");
        let mut signals: Vec<SignalRecord> = self.read("signals");
        let first = signals.iter().map(|s| s.decision.clone()).collect();
        let mut decided_at: BTreeMap<u64, i64> = BTreeMap::new();
        for d in &decisions {
            if let Some(s) = signals.iter_mut().find(|s| s.seq == d.signal) {
                s.decision = d.decision.clone();
                decided_at.insert(d.signal, d.at);
            }
        }
        JournalView {
            signals,
            first,
            decided_at,
            orders: self.read("orders"),
            audit: self.read("audit"),
        }
    }

    /// The console in tmux, its pid written where the returned path says.
    fn console(&mut self, name: &str, phase: Phase) -> (Tmux, PathBuf) {
        let pid = self.home.join(format!("{name}.pid"));
        let tmux = Tmux::new(name);
        tmux.start(
            &self.home,
            &format!(
                "sh -c 'echo $$ > {}; exec {BIN} run --config {} --data-dir {}'",
                pid.display(),
                self.config.display(),
                self.files.journal.display()
            ),
        );
        self.runs.push(Run { log: None, phase });
        (tmux, pid)
    }

    fn kill_console(&mut self, tmux: &Tmux, pid: &Path, phase: Phase) {
        let pid = std::fs::read_to_string(pid).unwrap().trim().to_string();
        let killed = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
        assert!(killed.success(), "kill -KILL {pid}");
        self.stops.push(Stop {
            at: now_millis(),
            kill: true,
            phase,
            after_write: None,
        });
        let start = Instant::now();
        while tmux.alive() || Path::new(&format!("/proc/{pid}")).exists() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the console {pid} outlived SIGKILL"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// P in the console, then SIGKILL.
    fn pause_in_console(&mut self) {
        let (tmux, pid) = self.console(
            &format!("crash-pause-{}", std::process::id()),
            Phase::Paused,
        );
        tmux.wait_for("the console, ACTIVE and synced", |s| {
            s.contains("ACTIVE") && s.contains("SYNCED") && positions(s).is_some()
        });
        tmux.keys("P");
        tmux.wait_for("PAUSED", |s| s.contains("PAUSED"));
        self.kill_console(&tmux, &pid, Phase::Paused);
    }

    /// X X in the console, then SIGKILL once the screen says HALTED and flat.
    fn halt_in_console(&mut self) -> Halt {
        let (tmux, pid) =
            self.console(&format!("crash-halt-{}", std::process::id()), Phase::Halted);
        tmux.wait_for("the console, PAUSED and synced", |s| {
            s.contains("PAUSED") && s.contains("SYNCED") && positions(s).is_some()
        });
        tmux.keys("X");
        tmux.wait_for("the confirmation prompt", |s| s.contains("press X again"));
        let at = now_millis();
        tmux.keys("X");
        tmux.wait_for("HALTED and flat", |s| {
            s.contains("HALTED") && positions(s) == Some(0)
        });
        let flat_at = now_millis();
        self.kill_console(&tmux, &pid, Phase::Halted);
        Halt { at, flat_at }
    }

    /// The simulator stopped (SIGTERM: it saves), its files read.
    fn sim_files(&mut self) -> SimFiles {
        if let Some(sim) = self.sim.take() {
            sim.stop();
        }
        let state: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&self.files.state).unwrap()).unwrap();
        let trades = std::fs::read_to_string(&self.files.trade_log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("trade log: {e}: {l}")))
            .collect();
        SimFiles {
            positions: serde_json::from_value(state["positions"].clone()).unwrap(),
            orders: state["orders"].as_array().map_or(0, Vec::len),
            trades,
        }
    }
}

struct Halt {
    /// Just before the second X.
    at: i64,
    /// When the console showed HALTED and no position.
    flat_at: i64,
}

struct SimFiles {
    positions: Vec<Position>,
    orders: usize,
    trades: Vec<TradeRecord>,
}

// ---- the journal ----------------------------------------------------------------------------

struct JournalView {
    /// Every signal, with its latest decision.
    signals: Vec<SignalRecord>,
    /// The decision each was journaled with (waiting, for one that waited for the broker).
    first: Vec<Decision>,
    /// When a signal that waited was decided.
    decided_at: BTreeMap<u64, i64>,
    orders: Vec<OrderEntry>,
    audit: Vec<AuditEntry>,
}

/// What the journal says became of a cid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Sent (or about to be), no answer yet.
    Pending,
    Executed,
    NotExecuted,
}

impl JournalView {
    fn fates(&self) -> BTreeMap<&str, Fate> {
        let mut fates = BTreeMap::new();
        for o in &self.orders {
            let fate = match &o.event {
                OrderEvent::Intent { .. } | OrderEvent::Unknown { .. } => Fate::Pending,
                OrderEvent::Outcome {
                    outcome: TradeOutcome::Done { .. },
                } => Fate::Executed,
                OrderEvent::Outcome {
                    outcome: TradeOutcome::Rejected { .. },
                } => Fate::NotExecuted,
                OrderEvent::Resolved { found: true, .. } => Fate::Executed,
                OrderEvent::Resolved { found: false, .. } => Fate::NotExecuted,
                _ => continue,
            };
            fates.insert(o.cid.as_str(), fate);
        }
        fates
    }

    fn unsettled(&self, written: &BTreeSet<Key>) -> Option<String> {
        let journaled: BTreeSet<Key> = self.signals.iter().map(|s| (s.msg_id, s.edit)).collect();
        let missing = written.difference(&journaled).count();
        let waiting = self
            .signals
            .iter()
            .filter(|s| matches!(s.decision, Decision::Waiting { .. }))
            .count();
        let pending: Vec<&str> = self
            .fates()
            .into_iter()
            .filter(|(_, f)| *f == Fate::Pending)
            .map(|(c, _)| c)
            .collect();
        (missing + waiting + pending.len() > 0).then(|| {
            format!(
                "{missing} line(s) not journaled, {waiting} signal(s) waiting, orders without an outcome: {pending:?}"
            )
        })
    }

    /// The return code of the broker's last rejection of `cid`, if that is its outcome.
    fn rejection(&self, cid: &str) -> Option<u32> {
        self.orders
            .iter()
            .rev()
            .find(|o| o.cid == cid && matches!(o.event, OrderEvent::Outcome { .. }))
            .and_then(|o| match &o.event {
                OrderEvent::Outcome {
                    outcome: TradeOutcome::Rejected { retcode, .. },
                } => Some(*retcode),
                _ => None,
            })
    }

    /// A cid's story in the journal, times relative to `t0`.
    fn history(&self, cid: &str, t0: i64) -> String {
        let steps: Vec<String> = self
            .orders
            .iter()
            .filter(|o| o.cid == cid)
            .map(|o| {
                let what = match &o.event {
                    OrderEvent::Intent { summary, .. } => format!("intent {summary:?}"),
                    OrderEvent::Outcome { outcome } => format!("outcome {outcome:?}"),
                    OrderEvent::Unknown { reason, .. } => format!("unknown ({reason})"),
                    OrderEvent::Resolved { found, detail } => {
                        format!("resolved found={found} ({detail})")
                    }
                    other => format!("{other:?}"),
                };
                format!("{:+} ms {what}", o.at - t0)
            })
            .collect();
        format!("{cid}: [{}]", steps.join("; "))
    }
}

/// The orders a decision sent and its plan's summary, whatever became of them.
fn sent(d: &Decision) -> Option<(&[String], &str)> {
    match d {
        Decision::Executed { summary, cids }
        | Decision::PartlyExecuted { summary, cids, .. }
        | Decision::NotExecuted { summary, cids, .. } => Some((cids, summary)),
        _ => None,
    }
}

/// The decision says `cid` did not execute.
fn said_failed(d: &Decision, cid: &str) -> bool {
    !matches!(d, Decision::Executed { .. }) && d.detail().contains(cid)
}

fn decision_text(d: &Decision) -> String {
    match d {
        Decision::Executed { summary, cids } => format!("executed {summary:?} {cids:?}"),
        Decision::PartlyExecuted {
            summary, reason, ..
        } => {
            format!("partly executed {summary:?}: {reason}")
        }
        Decision::NotExecuted {
            summary, reason, ..
        } => {
            format!("not executed {summary:?}: {reason}")
        }
        Decision::Refused { reason } => format!("refused: {reason}"),
        Decision::Ignored { reason } => format!("ignored: {reason}"),
        Decision::Unread { reason } => format!("unread: {reason}"),
        Decision::Waiting { reason } => format!("waiting: {reason}"),
    }
}

/// A follow-up's stop at breakeven refused (for a leg, or for all) because the price is on the
/// wrong side of the entry, or too close to it: the broker would refuse it too. Correct, and
/// counted.
fn refused_on_price(reason: &str) -> bool {
    reason.contains("the stop loss")
        && (reason.contains("must be below the price")
            || reason.contains("must be above the price")
            || reason.contains("closer to the price"))
}

/// The volume "close `fraction`" closes of these legs (ticket → volume), as the engine plans it:
/// whole legs first, oldest first, then part of the next, in volume steps.
fn to_close(legs: &BTreeMap<u64, Leg>, fraction: f64) -> f64 {
    let open: Vec<f64> = legs
        .values()
        .map(|l| l.volume)
        .filter(|v| *v > 1e-9)
        .collect();
    let total: f64 = open.iter().sum();
    if fraction >= 1.0 {
        return total;
    }
    let (mut left, mut closed) = (total * fraction, 0.0);
    for volume in open {
        if left <= 1e-9 {
            break;
        }
        if volume <= left + 1e-9 {
            closed += volume;
            left -= volume;
            continue;
        }
        let part = ((left / VOLUME_STEP + 1e-9).floor() * VOLUME_STEP * 1e8).round() / 1e8;
        if part >= VOLUME_STEP {
            closed += part;
        }
        break;
    }
    closed
}

/// One leg of an open as the writer's instructions leave it.
#[derive(Debug, Clone)]
struct Leg {
    volume: f64,
    open_price: f64,
    sl: f64,
    /// The message that set `sl`.
    sl_from: String,
    /// A follow-up moved the stop: an edit of the open no longer does.
    moved: bool,
}

/// How the engine says an edit's stop was not applied over a stop moved since.
const STOP_MOVED: &str = "the stop was moved since";

// ---- the verdict ----------------------------------------------------------------------------

#[derive(Default)]
struct Verdict {
    failures: BTreeMap<&'static str, Vec<String>>,
    figures: Vec<String>,
}

impl Verdict {
    fn fail(&mut self, check: &'static str, what: String) {
        self.failures.entry(check).or_default().push(what);
    }

    fn count(&self) -> usize {
        self.failures.values().map(Vec::len).sum()
    }

    fn report(&self) -> String {
        let mut out = self.figures.join("\n");
        for (check, list) in &self.failures {
            out.push_str(&format!("\n\nFAILED — {check}: {}", list.len()));
            for what in list.iter().take(12) {
                out.push_str(&format!("\n  - {what}"));
            }
            if list.len() > 12 {
                out.push_str(&format!("\n  … and {} more", list.len() - 12));
            }
        }
        out
    }
}

const ONCE: &str = "every message journaled exactly once";
const DECIDED: &str = "every message decided as it should be";
const OPENS: &str = "every ACTIVE open executed";
const LEGS: &str = "every accepted leg executed exactly once";
const TWICE: &str = "nothing executed twice";
const AGREE: &str = "the journal and the trade log agree";
const REFUSED: &str = "nothing refused or ignored executed";
const FOLLOW_UPS: &str = "every follow-up applied";
const EDITS: &str = "every edit applied";
const PAUSED: &str = "PAUSED intact";
const HALTED: &str = "HALTED intact";
const FAULTS: &str = "the faults happened";

/// What the run left, indexed.
struct Facts<'a> {
    msgs: &'a [Msg],
    view: &'a JournalView,
    /// The signals journaled for each message written.
    by_key: BTreeMap<Key, Vec<&'a SignalRecord>>,
    by_seq: BTreeMap<u64, &'a SignalRecord>,
    fates: BTreeMap<&'a str, Fate>,
    /// Every cid journaled as an intent, with its request.
    requests: BTreeMap<&'a str, &'a BrokerRequest>,
    intents: usize,
    /// The trade log's `request` lines by cid (the whole log: the end of the run).
    lines: BTreeMap<&'a str, Vec<&'a TradeRecord>>,
    /// Positions the terminal closed by their own stop or target, or a stop out.
    closed_by_market: BTreeSet<u64>,
}

impl<'a> Facts<'a> {
    fn new(msgs: &'a [Msg], view: &'a JournalView, end: &'a SimFiles) -> Facts<'a> {
        let mut by_key: BTreeMap<Key, Vec<&SignalRecord>> = BTreeMap::new();
        for s in &view.signals {
            by_key.entry((s.msg_id, s.edit)).or_default().push(s);
        }
        let mut requests = BTreeMap::new();
        let mut intents = 0;
        for o in &view.orders {
            if let OrderEvent::Intent { request, .. } = &o.event {
                intents += 1;
                requests.entry(o.cid.as_str()).or_insert(request);
            }
        }
        let mut lines: BTreeMap<&str, Vec<&TradeRecord>> = BTreeMap::new();
        for t in end
            .trades
            .iter()
            .filter(|t| t.reason == DealReason::Request)
        {
            lines.entry(t.cid.as_str()).or_default().push(t);
        }
        let closed_by_market = end
            .trades
            .iter()
            .filter(|t| t.entry == RecordEntry::Out && t.reason != DealReason::Request)
            .map(|t| t.ticket)
            .collect();
        Facts {
            msgs,
            view,
            by_key,
            by_seq: view.signals.iter().map(|s| (s.seq, s)).collect(),
            fates: view.fates(),
            requests,
            intents,
            lines,
            closed_by_market,
        }
    }

    /// Every order of `d` that failed, failed because its position is gone, and the terminal
    /// closed that position by its own stop or target: a follow-up the market overtook (as when
    /// the engine is killed with it in flight and the stop it moved is hit before the restart).
    fn overtaken(&self, d: &Decision) -> bool {
        let Some((cids, _)) = sent(d) else {
            return false;
        };
        let failed: Vec<&String> = cids.iter().filter(|c| said_failed(d, c)).collect();
        !failed.is_empty()
            && d.detail().contains("no longer")
            && failed.iter().all(|c| {
                self.requests
                    .get(c.as_str())
                    .and_then(|r| r.ticket())
                    .is_some_and(|t| self.closed_by_market.contains(&t))
            })
    }

    fn record(&self, key: Key) -> Option<&'a SignalRecord> {
        self.by_key.get(&key).and_then(|v| v.first()).copied()
    }

    /// When a signal was decided: on arrival, or later once the broker was back.
    fn decided_at(&self, s: &SignalRecord) -> i64 {
        self.view
            .decided_at
            .get(&s.seq)
            .copied()
            .unwrap_or(s.received_at)
    }

    fn open_cids(&self, open: i64) -> &'a [String] {
        match self.record((open, 0)).map(|s| &s.decision) {
            Some(Decision::Executed { cids, .. } | Decision::PartlyExecuted { cids, .. }) => cids,
            _ => &[],
        }
    }

    /// The story of an open's legs, times relative to `at`.
    fn legs_story(&self, open: i64, at: i64) -> String {
        let legs: Vec<String> = self
            .open_cids(open)
            .iter()
            .map(|c| self.view.history(c, at))
            .collect();
        legs.join(" | ")
    }

    fn story(&self, cid: &str) -> String {
        let t0 = self
            .view
            .orders
            .iter()
            .find(|o| o.cid == cid)
            .map_or(0, |o| o.at);
        self.view.history(cid, t0)
    }
}

/// Every line written is journaled once, as (source, chat, id, edit); nothing else is.
fn journaled_once(f: &Facts<'_>, v: &mut Verdict) -> (usize, usize) {
    let (mut lost, mut doubled) = (0, 0);
    for msg in f.msgs {
        let found = f.by_key.get(&msg.key()).map_or(&[][..], Vec::as_slice);
        let ours = found
            .iter()
            .filter(|s| s.source == SOURCE && s.chat == CHAT)
            .count();
        match ours {
            1 => {}
            0 => {
                lost += 1;
                v.fail(ONCE, format!("{} never journaled", msg.describe()));
            }
            n => {
                doubled += 1;
                let seqs: Vec<u64> = found.iter().map(|s| s.seq).collect();
                v.fail(
                    ONCE,
                    format!("{} journaled {n} times: signals {seqs:?}", msg.describe()),
                );
            }
        }
    }
    let written: BTreeSet<Key> = f.msgs.iter().map(Msg::key).collect();
    for s in &f.view.signals {
        if s.source != SOURCE || s.chat != CHAT || !written.contains(&(s.msg_id, s.edit)) {
            v.fail(
                ONCE,
                format!(
                    "signal #{} ({}/{} message {} edit {}) never written",
                    s.seq, s.source, s.chat, s.msg_id, s.edit
                ),
            );
        }
    }
    (lost, doubled)
}

/// The journal and the trade log agree on every cid; every accepted leg executed exactly once;
/// nothing executed twice; nothing of a refused or ignored signal executed.
fn executed_once(f: &Facts<'_>, v: &mut Verdict, halted: bool) -> (usize, usize, usize) {
    let mut twice = 0;
    for (&cid, request) in &f.requests {
        let n = f.lines.get(cid).map_or(0, Vec::len);
        if matches!(request, BrokerRequest::Modify { .. }) {
            // A modify writes no line: its effect is checked on the account.
            if n > 0 {
                v.fail(AGREE, format!("{cid}, a modify, has {n} request line(s)"));
            }
            continue;
        }
        let fate = f.fates.get(cid).copied().unwrap_or(Fate::Pending);
        if n > 1 {
            twice += 1;
            v.fail(TWICE, format!("{cid} executed {n} times; {}", f.story(cid)));
        } else if fate == Fate::Pending || (fate == Fate::Executed) != (n == 1) {
            v.fail(
                AGREE,
                format!(
                    "the journal says {fate:?}, the trade log has {n} request line(s); {}",
                    f.story(cid)
                ),
            );
        }
    }
    for (cid, list) in &f.lines {
        if !f.requests.contains_key(cid) {
            v.fail(
                AGREE,
                format!("{cid} executed ({} line(s)), never journaled", list.len()),
            );
        }
    }
    let (mut accepted, mut lost) = (0, 0);
    for s in &f.view.signals {
        let Some((cids, _)) = sent(&s.decision) else {
            continue;
        };
        // A leg its signal says did not execute is not an accepted one: the decision is judged
        // in `decisions`, and its truth below.
        for cid in cids.iter().filter(|c| !said_failed(&s.decision, c)) {
            let request = f.requests.get(cid.as_str());
            if request.is_some_and(|r| !matches!(r, BrokerRequest::Place { .. })) {
                continue;
            }
            accepted += 1;
            if request.is_none() {
                lost += 1;
                v.fail(
                    LEGS,
                    format!(
                        "signal #{} {:?} reads executed with {cids:?}; {cid} was never journaled as an intent, so never sent",
                        s.seq, s.text
                    ),
                );
            } else if !f.lines.contains_key(cid.as_str()) {
                lost += 1;
                v.fail(
                    LEGS,
                    format!(
                        "signal #{} {:?} reads executed; this leg never executed: {}",
                        s.seq,
                        s.text,
                        f.view.history(cid, f.decided_at(s))
                    ),
                );
            }
        }
    }
    for (&cid, list) in &f.lines {
        let Some(seq) = signal_of_cid(cid) else {
            // Not a signal's: the emergency stop's closes ("-c<audit>-p<ticket>", "-h…").
            if !halted || list.iter().any(|t| t.entry != RecordEntry::Out) {
                v.fail(REFUSED, format!("{cid} executed, by no signal: {list:?}"));
            }
            continue;
        };
        if f.by_seq
            .get(&seq)
            .is_some_and(|s| said_failed(&s.decision, cid))
        {
            v.fail(
                REFUSED,
                format!("{cid} executed, but signal #{seq} says it did not: {list:?}"),
            );
        }
        let listed = f.by_seq.get(&seq).is_some_and(|s| {
            sent(&s.decision).is_some_and(|(cids, _)| cids.iter().any(|c| c == cid))
        });
        if !listed {
            let decision = f
                .by_seq
                .get(&seq)
                .map_or("not in the journal".into(), |s| decision_text(&s.decision));
            v.fail(
                REFUSED,
                format!("{cid} executed; signal #{seq}: {decision}"),
            );
        }
    }
    (twice, accepted, lost)
}

/// Every message decided as the writer meant it: ACTIVE opens executed, PAUSED and HALTED ones
/// refused as such, follow-ups and edits of executed opens applied (a stop at breakeven may be
/// refused on the price, and a follow-up overtaken by a leg's own stop or target finds it gone),
/// those of refused opens refused, chatter ignored.
fn decisions(f: &Facts<'_>, v: &mut Verdict) -> (usize, usize, usize, usize) {
    let (mut opens, mut applied, mut on_price, mut overtaken) = (0, 0, 0, 0);
    for msg in f.msgs {
        let Some(s) = f.record(msg.key()) else {
            continue;
        };
        let d = &s.decision;
        if let Decision::Waiting { reason } = d {
            v.fail(
                DECIDED,
                format!("{} still waiting: {reason}", msg.describe()),
            );
            continue;
        }
        match (&msg.act, msg.phase) {
            (Act::Open(_), Phase::Active) => {
                if matches!(d, Decision::Executed { .. }) {
                    opens += 1;
                } else {
                    v.fail(OPENS, format!("{}: {}", msg.describe(), decision_text(d)));
                }
            }
            (Act::Open(_), phase) => {
                let (check, word) = if phase == Phase::Paused {
                    (PAUSED, "PAUSED")
                } else {
                    (HALTED, "HALTED")
                };
                if !matches!(d, Decision::Refused { reason } if reason.starts_with(word)) {
                    v.fail(
                        check,
                        format!(
                            "{}: {} (expected refused as {word})",
                            msg.describe(),
                            decision_text(d)
                        ),
                    );
                }
            }
            (Act::Chatter, _) => {
                if !matches!(d, Decision::Ignored { .. }) {
                    v.fail(DECIDED, format!("{}: {}", msg.describe(), decision_text(d)));
                }
            }
            (act, _) => {
                let open = act.open().unwrap();
                if f.open_cids(open).is_empty() {
                    if sent(d).is_some() {
                        v.fail(
                            REFUSED,
                            format!(
                                "{}: {} although its open {open} executed nothing",
                                msg.describe(),
                                decision_text(d)
                            ),
                        );
                    }
                    continue;
                }
                match d {
                    Decision::Executed { .. } => applied += 1,
                    Decision::Refused { reason }
                        if matches!(act, Act::Breakeven { .. }) && refused_on_price(reason) =>
                    {
                        on_price += 1;
                    }
                    // Every leg the broker refused, it refused as invalid stops: the price moved
                    // between the engine's check and the broker's (judged leg by leg in
                    // `positions`).
                    Decision::PartlyExecuted { reason, .. } | Decision::NotExecuted { reason, .. }
                        if matches!(act, Act::Breakeven { .. })
                            && reason.matches("rejected ").count()
                                == reason
                                    .matches(&format!("rejected {RETCODE_INVALID_STOPS}:"))
                                    .count() =>
                    {
                        on_price += 1;
                    }
                    Decision::PartlyExecuted { .. } | Decision::NotExecuted { .. }
                        if f.overtaken(d) =>
                    {
                        overtaken += 1;
                    }
                    // An edit of the open does not move back a stop a later follow-up moved
                    // (judged against the model in `positions`).
                    Decision::Ignored { reason }
                        if matches!(act, Act::Edit { .. }) && reason.contains(STOP_MOVED) =>
                    {
                        applied += 1;
                    }
                    _ => v.fail(
                        if matches!(act, Act::Edit { .. }) {
                            EDITS
                        } else {
                            FOLLOW_UPS
                        },
                        format!(
                            "{} (signal #{}): {}; its open's legs, in ms from this message's arrival (or its later decision when it waited): {}",
                            msg.describe(),
                            s.seq,
                            decision_text(d),
                            f.legs_story(open, f.decided_at(s))
                        ),
                    ),
                }
            }
        }
    }
    (opens, applied, on_price, overtaken)
}

/// What each ACTIVE open's follow-ups and edits did at the simulator, message by message in the
/// order written: closes in its trade log (the volume "close half" or "close all" leaves to
/// close, by the follow-up's own cids), stop losses and volumes on its account before the
/// emergency stop. A refused follow-up is reported by [`decisions`] and changes nothing here.
fn effects(f: &Facts<'_>, v: &mut Verdict, before: &SimFiles) -> usize {
    let mut rejected_on_price = 0;
    for open in f.msgs.iter().filter(|m| m.phase == Phase::Active) {
        let Act::Open(levels) = &open.act else {
            continue;
        };
        let cids = f.open_cids(open.id);
        let mut legs: BTreeMap<u64, Leg> = BTreeMap::new();
        for cid in cids {
            if let Some(t) = f.lines.get(cid.as_str()).and_then(|l| l.first())
                && t.entry == RecordEntry::In
            {
                legs.insert(
                    t.ticket,
                    Leg {
                        volume: t.volume,
                        open_price: t.price,
                        sl: levels.sl,
                        sl_from: format!("open {}", open.id),
                        moved: false,
                    },
                );
            }
        }
        let mut own: BTreeSet<&str> = cids.iter().map(String::as_str).collect();
        let follow_ups = f
            .msgs
            .iter()
            .filter(|m| m.act.open() == Some(open.id) && m.phase != Phase::Halted);
        for m in follow_ups {
            let Some(s) = f.record(m.key()) else {
                continue;
            };
            let moved = legs.values().any(|l| l.volume > 1e-9 && l.moved);
            if matches!(m.act, Act::Edit { .. }) {
                let kept = s.decision.detail().contains(STOP_MOVED);
                if kept != moved {
                    v.fail(
                        EDITS,
                        format!(
                            "{}: {} although a follow-up {} the stop",
                            m.describe(),
                            decision_text(&s.decision),
                            if moved { "moved" } else { "never moved" }
                        ),
                    );
                }
            }
            let Some((cids, summary)) = sent(&s.decision) else {
                continue;
            };
            own.extend(cids.iter().map(String::as_str));
            match m.act {
                Act::Edit { .. } if moved => {}
                Act::Edit { sl, .. } | Act::MoveSl { sl, .. } => {
                    let by_follow_up = matches!(m.act, Act::MoveSl { .. });
                    for leg in legs.values_mut().filter(|l| l.volume > 1e-9) {
                        leg.sl = sl;
                        leg.sl_from = m.describe();
                        leg.moved |= by_follow_up;
                    }
                }
                Act::Breakeven { .. } => {
                    for (ticket, leg) in legs.iter_mut().filter(|(_, l)| l.volume > 1e-9) {
                        let modify = cids.iter().find(|c| {
                            matches!(
                                f.requests.get(c.as_str()),
                                Some(BrokerRequest::Modify { ticket: t, .. }) if t == ticket
                            )
                        });
                        let on_price = match modify {
                            // The price moved between the engine's check and the broker's: the
                            // broker refuses the stop as too close or on the wrong side.
                            Some(c) => f
                                .view
                                .rejection(c)
                                .is_some_and(|code| code == RETCODE_INVALID_STOPS),
                            // Not sent: "(skipped #T: the stop loss … must be below the price …)"
                            None => summary.contains(&format!("#{ticket}:")),
                        };
                        if on_price {
                            rejected_on_price += usize::from(modify.is_some());
                        } else {
                            leg.sl = leg.open_price;
                            leg.sl_from = m.describe();
                            leg.moved = true;
                        }
                    }
                }
                Act::CloseHalf { .. } | Act::CloseAll { .. } => {
                    let fraction = if matches!(m.act, Act::CloseAll { .. }) {
                        1.0
                    } else {
                        0.5
                    };
                    let expected = to_close(&legs, fraction);
                    let outs: Vec<&TradeRecord> = cids
                        .iter()
                        .filter_map(|c| f.lines.get(c.as_str()))
                        .flatten()
                        .filter(|t| t.entry == RecordEntry::Out)
                        .copied()
                        .collect();
                    let closed: f64 = outs.iter().map(|t| t.volume).sum();
                    if (closed - expected).abs() > 1e-6 {
                        let stories: Vec<String> = cids
                            .iter()
                            .map(|c| f.view.history(c, f.decided_at(s)))
                            .collect();
                        let volumes: Vec<(u64, f64)> =
                            legs.iter().map(|(t, l)| (*t, l.volume)).collect();
                        v.fail(
                            FOLLOW_UPS,
                            format!(
                                "{} closed {closed:.2} lots of open {}, expected {expected:.2} (its legs before: {volumes:?}); {}; the open's legs: {}",
                                m.describe(),
                                open.id,
                                stories.join(" | "),
                                f.legs_story(open.id, f.decided_at(s))
                            ),
                        );
                    }
                    for t in outs {
                        match legs.get_mut(&t.ticket) {
                            Some(leg) => leg.volume -= t.volume,
                            None => v.fail(
                                FOLLOW_UPS,
                                format!(
                                    "{} closed #{}, not a leg of its open",
                                    m.describe(),
                                    t.ticket
                                ),
                            ),
                        }
                    }
                }
                Act::Open(_) | Act::Chatter => {}
            }
        }
        // Anything else that closed a leg before the emergency stop: only its stop loss, once
        // moved to breakeven.
        let early = &before.trades;
        for t in early.iter().filter(|t| t.entry == RecordEntry::Out) {
            let Some(leg) = legs.get_mut(&t.ticket) else {
                continue;
            };
            if t.reason == DealReason::Request && own.contains(t.cid.as_str()) {
                continue;
            }
            let at_breakeven = (leg.sl - leg.open_price).abs() <= levels.tolerance();
            if !(t.reason == DealReason::StopLoss && at_breakeven) {
                v.fail(
                    FOLLOW_UPS,
                    format!(
                        "#{} of open {} closed by {:?} ({}), its SL at {} from {}",
                        t.ticket,
                        open.id,
                        t.reason,
                        t.cid,
                        levels.fmt(leg.sl),
                        leg.sl_from
                    ),
                );
            }
            leg.volume -= t.volume;
        }
        for (ticket, leg) in &legs {
            let at_sim = before.positions.iter().find(|p| p.ticket == *ticket);
            let what = format!("#{ticket} of open {}", open.id);
            match (leg.volume > 1e-9, at_sim) {
                (true, Some(p)) => {
                    if (p.volume - leg.volume).abs() > 1e-6 {
                        v.fail(
                            FOLLOW_UPS,
                            format!(
                                "{what}: {} lots at the simulator, {:.2} expected",
                                p.volume, leg.volume
                            ),
                        );
                    }
                    if p.sl
                        .is_none_or(|sl| (sl - leg.sl).abs() > levels.tolerance())
                    {
                        let by_edit = leg.sl_from.contains(" edit ");
                        v.fail(
                            if by_edit { EDITS } else { FOLLOW_UPS },
                            format!(
                                "{what}: SL {:?} at the simulator, {} expected from {}",
                                p.sl,
                                levels.fmt(leg.sl),
                                leg.sl_from
                            ),
                        );
                    }
                }
                (true, None) => v.fail(
                    FOLLOW_UPS,
                    format!(
                        "{what}: gone from the simulator, {:.2} lots expected open",
                        leg.volume
                    ),
                ),
                (false, Some(p)) => v.fail(
                    FOLLOW_UPS,
                    format!("{what}: {} lots still open, expected closed", p.volume),
                ),
                (false, None) => {}
            }
        }
    }
    rejected_on_price
}

/// PAUSED and HALTED held across kills and restarts: every run started in their phase came up
/// in that mode, the audit log has the console's pause and emergency stop and nothing else, and
/// after the emergency stop the account is flat and nothing traded.
fn modes(f: &Facts<'_>, v: &mut Verdict, end: &SimFiles, halt: &Halt, runs: &[Run]) {
    if !end.positions.is_empty() || end.orders > 0 {
        let left: Vec<(&String, f64)> = end.positions.iter().map(|p| (&p.cid, p.volume)).collect();
        v.fail(
            HALTED,
            format!(
                "not flat at the simulator: positions {left:?}, {} pending order(s)",
                end.orders
            ),
        );
    }
    for t in &end.trades {
        let entry = matches!(t.entry, RecordEntry::In | RecordEntry::OrderPlaced);
        if t.time >= halt.flat_at || (t.time >= halt.at && entry) {
            v.fail(HALTED, format!("traded after the emergency stop: {t:?}"));
        }
    }
    for (n, run) in runs.iter().enumerate() {
        let (check, expected) = match run.phase {
            Phase::Active => continue,
            Phase::Paused => (PAUSED, "mode=PAUSED"),
            Phase::Halted => (HALTED, "mode=HALTED"),
        };
        let Some(log) = &run.log else {
            continue;
        };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains("engine state rebuilt"))
            && !line.contains(expected)
        {
            v.fail(check, format!("engine run {} started with: {line}", n + 1));
        }
    }
    let actions: Vec<String> = f
        .view
        .audit
        .iter()
        .map(|a| match a.reply {
            Reply::Accepted { .. } => format!("{:?}", a.action),
            Reply::Refused { .. } => format!("{:?} (refused)", a.action),
        })
        .collect();
    let expected = [Action::Pause, Action::EmergencyStop].map(|a| format!("{a:?}"));
    if actions != expected {
        v.fail(
            HALTED,
            format!("the audit log has {actions:?}, expected exactly {expected:?}"),
        );
    }
}

/// The stops that came just before each of these moments (by time): what a restart found after
/// them.
fn stops_before(stops: &[Stop], moments: impl Iterator<Item = i64>) -> BTreeSet<i64> {
    moments
        .filter_map(|at| stops.iter().rev().find(|s| s.at <= at).map(|s| s.at))
        .collect()
}

/// Evidence that the faults happened: kills that found orders in flight or signals waiting (the
/// next run journaled them as unknown, or decided them), kills within milliseconds of a write.
fn evidence(f: &Facts<'_>, v: &mut Verdict, stops: &[Stop], planned: usize) {
    let kills: Vec<&Stop> = stops.iter().filter(|s| s.kill).collect();
    let in_flight = stops_before(
        stops,
        f.view.orders.iter().filter_map(|o| match &o.event {
            OrderEvent::Unknown { reason, .. } if reason == STOPPED_IN_FLIGHT => Some(o.at),
            _ => None,
        }),
    );
    let waited = f
        .view
        .signals
        .iter()
        .zip(&f.view.first)
        .filter(|(_, first)| matches!(first, Decision::Waiting { .. }))
        .filter_map(|(s, _)| f.view.decided_at.get(&s.seq).copied());
    let waiting = stops_before(stops, waited);
    let with_orders = kills.iter().filter(|k| in_flight.contains(&k.at)).count();
    let with_waiting = kills.iter().filter(|k| waiting.contains(&k.at)).count();
    let near: Vec<&&Stop> = kills
        .iter()
        .filter(|k| k.after_write.is_some_and(|(d, _)| d <= NEAR_WRITE))
        .collect();
    // The line written just before the kill was read by a later run.
    let unread = near
        .iter()
        .filter(|k| {
            let key = k.after_write.unwrap().1;
            f.record(key).is_some_and(|s| s.received_at > k.at)
        })
        .count();
    let phase = |p: Phase| kills.iter().filter(|k| k.phase == p).count();
    v.figures.push(format!(
        "engine kills: {} (ACTIVE {}, PAUSED {}, HALTED {}; 2 of them the console's); {} within {} ms after a write ({unread} of those before the engine read the line); {with_orders} with orders in flight; {with_waiting} with signals waiting for the broker; clean stops (SIGTERM): {}",
        kills.len(),
        phase(Phase::Active),
        phase(Phase::Paused),
        phase(Phase::Halted),
        near.len(),
        NEAR_WRITE.as_millis(),
        stops.len() - kills.len()
    ));
    if kills.len() < planned || with_orders == 0 || near.is_empty() {
        v.fail(
            FAULTS,
            format!(
                "{} kills ({planned} planned), {with_orders} with orders in flight, {} within {} ms after a write: the run proves nothing",
                kills.len(),
                near.len(),
                NEAR_WRITE.as_millis()
            ),
        );
    }
}

fn verify(input: &Inputs<'_>) -> Verdict {
    let mut v = Verdict::default();
    let f = Facts::new(input.msgs, input.view, input.end);
    evidence(&f, &mut v, input.stops, input.planned_kills);
    let (lost, doubled) = journaled_once(&f, &mut v);
    let (twice, accepted, legs_lost) = executed_once(&f, &mut v, input.halt.is_some());
    let (opens, applied, on_price, overtaken) = decisions(&f, &mut v);
    let rejected_on_price = effects(&f, &mut v, input.before_halt);
    if let Some(halt) = input.halt {
        modes(&f, &mut v, input.end, halt, input.runs);
    }
    let count = |p: fn(&Act) -> bool| f.msgs.iter().filter(|m| p(&m.act)).count();
    let executed = |p: fn(&BrokerRequest) -> bool| {
        f.requests
            .iter()
            .filter(|(c, r)| p(r) && f.fates.get(*c) == Some(&Fate::Executed))
            .count()
    };
    v.figures.extend([
        format!(
            "messages: {} written ({} opens, {} follow-ups, {} edits, {} chatter; {} in two writes); journaled once: {}, more than once: {doubled}, never: {lost}",
            f.msgs.len(),
            count(|a| matches!(a, Act::Open(_))),
            count(|a| {
                matches!(
                    a,
                    Act::MoveSl { .. }
                        | Act::Breakeven { .. }
                        | Act::CloseHalf { .. }
                        | Act::CloseAll { .. }
                )
            }),
            count(|a| matches!(a, Act::Edit { .. })),
            count(|a| matches!(a, Act::Chatter)),
            f.msgs.iter().filter(|m| m.split.is_some()).count(),
            f.msgs.len() - doubled - lost
        ),
        format!(
            "orders: {} intents for {} cids; executed: {} legs, {} closes, {} modifies; trade log: {} lines; executed twice: {twice}; accepted legs: {accepted}, never executed: {legs_lost}",
            f.intents,
            f.requests.len(),
            executed(|r| matches!(r, BrokerRequest::Place { .. })),
            executed(|r| matches!(r, BrokerRequest::Close { .. })),
            executed(|r| matches!(r, BrokerRequest::Modify { .. })),
            input.end.trades.len()
        ),
        format!(
            "ACTIVE opens executed: {opens}; follow-ups and edits of executed opens applied: {applied}; stops at breakeven refused on the price (rightly): {on_price} by the engine, {rejected_on_price} legs by the broker; overtaken by the leg's own stop or target: {overtaken}"
        ),
    ]);
    v
}

struct Inputs<'a> {
    msgs: &'a [Msg],
    view: &'a JournalView,
    /// The simulator's files before the emergency stop, positions still open.
    before_halt: &'a SimFiles,
    /// And at the end.
    end: &'a SimFiles,
    halt: Option<&'a Halt>,
    runs: &'a [Run],
    stops: &'a [Stop],
    /// Engine kills the plan made: the chaos phases' and the console's.
    planned_kills: usize,
}

// ---- the test -------------------------------------------------------------------------------

#[test]
fn killing_the_engine_and_the_simulator_at_random_loses_doubles_and_forgets_nothing() {
    let settings = Settings::from_env();
    let started = Instant::now();
    let modes = tmux_available();
    if !modes {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required under CI: the PAUSED/HALTED phase must run"
        );
        eprintln!(
            "\n*** crash harness: tmux is not installed: the PAUSED/HALTED phase is SKIPPED ***\n"
        );
    }
    let seed = settings.seed;
    eprintln!("crash harness: seed {seed} (SIGNALOS_CRASH_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let msgs = script(&mut rng, settings.phase_slots());
    let phase = |p: Phase| -> Vec<Msg> { msgs.iter().filter(|m| m.phase == p).cloned().collect() };
    let mut h = Harness::new(seed);
    let mut sent: Vec<Msg> = phase(Phase::Active);
    let mut written: BTreeSet<Key> = sent.iter().map(Msg::key).collect();

    h.start_sim();
    h.start_engine(Phase::Active);
    wait::file_until(&h.last_log(), "trading allowed", |log| {
        log.contains("trading allowed")
    });
    h.chaos(Phase::Active, &sent, settings.kills, 3);
    h.settle(Phase::Active, &written);
    let mut halt = None;
    if modes {
        h.pause_in_console();
        let paused = phase(Phase::Paused);
        h.chaos(Phase::Paused, &paused, settings.mode_kills(), 1);
        written.extend(paused.iter().map(Msg::key));
        sent.extend(paused);
        h.settle(Phase::Paused, &written);
    }
    let before_halt = h.sim_files();
    if modes {
        h.start_sim();
        halt = Some(h.halt_in_console());
        let halted = phase(Phase::Halted);
        h.chaos(Phase::Halted, &halted, settings.mode_kills(), 0);
        written.extend(halted.iter().map(Msg::key));
        sent.extend(halted);
        h.settle(Phase::Halted, &written);
    }
    let end = h.sim_files();
    let view = h.read_journal();

    let mut verdict = verify(&Inputs {
        msgs: &sent,
        view: &view,
        before_halt: &before_halt,
        end: &end,
        halt: halt.as_ref(),
        runs: &h.runs,
        stops: &h.stops,
        planned_kills: settings.kills
            + if modes {
                2 * settings.mode_kills() + 2
            } else {
                0
            },
    });
    for trouble in &h.trouble {
        verdict.fail("the processes behaved", trouble.clone());
    }
    verdict.figures.insert(
        0,
        format!(
            "crash harness, seed {seed}: {:.0} s; simulator kills: {}; engine runs: {}",
            started.elapsed().as_secs_f64(),
            h.sim_kills,
            h.runs.len()
        ),
    );
    let report = verdict.report();
    if verdict.count() == 0 {
        eprintln!("{report}");
    } else {
        let kept = h.home.clone();
        // The run's files stay for reading: journal, logs, inbox, trade log, account.
        std::mem::forget(h);
        panic!(
            "{} failure(s); seed {seed} (SIGNALOS_CRASH_SEED={seed}); files kept in {}\n{report}",
            verdict.count(),
            kept.display()
        );
    }
}
