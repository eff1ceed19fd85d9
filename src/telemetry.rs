//! Logging: a daily-rolling file under the data dir, stderr when headless, and a bounded buffer of
//! recent events for the console's log pane. Nothing goes to the terminal while the TUI owns it.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use crate::api::LogLine;
use crate::model::now_millis;

/// The most recent log events, shared between the tracing layer and the console.
#[derive(Debug, Clone)]
pub struct LogBuffer {
    lines: Arc<Mutex<VecDeque<LogLine>>>,
    capacity: usize,
    /// Bumped on every new line so a viewer can redraw only when something arrived.
    version: watch::Sender<u64>,
}

impl LogBuffer {
    pub fn new(capacity: usize) -> Self {
        LogBuffer {
            lines: Arc::new(Mutex::new(VecDeque::with_capacity(capacity))),
            capacity: capacity.max(1),
            version: watch::channel(0).0,
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<LogLine>> {
        // A panic while holding this lock leaves only log lines behind: keep using them.
        self.lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn push(&self, line: LogLine) {
        {
            let mut lines = self.lock();
            if lines.len() == self.capacity {
                lines.pop_front();
            }
            lines.push_back(line);
        }
        self.version.send_modify(|v| *v += 1);
    }

    /// The last `n` lines at `min_level` or more severe, oldest first.
    pub fn recent(&self, n: usize, min_level: Level) -> Vec<LogLine> {
        let lines = self.lock();
        let mut out: Vec<LogLine> = lines
            .iter()
            .rev()
            .filter(|l| l.level <= min_level)
            .take(n)
            .cloned()
            .collect();
        out.reverse();
        out
    }

    /// Changes whenever a line is pushed.
    pub fn watch(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }
}

struct BufferLayer(LogBuffer);

#[derive(Default)]
struct MessageVisitor(String);

impl Visit for MessageVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

impl<S: Subscriber> Layer<S> for BufferLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);
        self.0.push(LogLine {
            at: now_millis(),
            level: *event.metadata().level(),
            target: event.metadata().target().to_string(),
            message: visitor.0.trim_start().to_string(),
        });
    }
}

/// Keeps the file writer alive; dropping it flushes what is queued.
pub struct LogGuard {
    _file: WorkerGuard,
}

/// Install the global subscriber: the rolling file in `dir`, the buffer, and stderr if asked.
/// `filter` is an `EnvFilter` directive such as `info` or `signalos=debug`.
/// For `signalos view`: this process's own lines (the link to the relay) go to the console's
/// log pane only, beside the engine's, and to no file: the engine's log is the engine's.
pub fn init_console_only(filter: &str, buffer: LogBuffer) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(format!("{filter},signalos=debug"))
        .map_err(|e| anyhow::anyhow!("log.level: {filter:?} is not a valid filter: {e}"))?;
    tracing_subscriber::registry()
        .with(BufferLayer(buffer).with_filter(filter))
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))
}

pub fn init(dir: &Path, filter: &str, stderr: bool, buffer: LogBuffer) -> anyhow::Result<LogGuard> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create the log directory {}: {e}", dir.display()))?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("signalos")
        .filename_suffix("log")
        .max_log_files(14)
        .build(dir)
        .map_err(|e| anyhow::anyhow!("cannot open a log file in {}: {e}", dir.display()))?;
    let (file, guard) = tracing_appender::non_blocking(appender);
    let parse = |directives: &str| {
        EnvFilter::try_new(directives)
            .map_err(|e| anyhow::anyhow!("log.level: {filter:?} is not a valid filter: {e}"))
    };
    let file_filter = parse(filter)?;
    // The console's log pane has its own level filter, so its buffer also keeps SignalOS's own
    // debug lines, whatever the file records.
    let buffer_filter = parse(&format!("{filter},signalos=debug"))?;
    let stderr_layer = if stderr {
        // Colour codes only for a person at a terminal, not into a file or a service's journal.
        Some(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::stderr().is_terminal())
                .with_target(false)
                .with_filter(parse(filter)?),
        )
    } else {
        None
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(file)
                .with_ansi(false)
                .with_filter(file_filter),
        )
        .with(BufferLayer(buffer).with_filter(buffer_filter))
        .with(stderr_layer)
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot install the logger: {e}"))?;
    Ok(LogGuard { _file: guard })
}

/// What tracing writes on this thread, captured for tests that check what was — or was never —
/// logged (a secret, a proof, a token).
#[cfg(test)]
pub(crate) mod captured {
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    pub(crate) struct Logs(Arc<Mutex<Vec<u8>>>);

    impl Logs {
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).to_string()
        }
    }

    impl std::io::Write for Logs {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Everything logged on this thread, at every level, until the guard is dropped.
    pub(crate) fn capture() -> (Logs, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }
}
