//! Terminal input on a thread of its own: crossterm's `read` blocks, and the async `EventStream`
//! needs a crossterm feature that ratatui's re-export does not enable.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc;

/// How often the thread looks up from waiting to see whether the console has gone.
const POLL: Duration = Duration::from_millis(100);

pub struct InputThread {
    pub events: mpsc::Receiver<io::Result<Event>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl InputThread {
    pub fn spawn() -> io::Result<InputThread> {
        let (tx, events) = mpsc::channel(64);
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("console-input".into())
            .spawn(move || read_loop(&tx, &flag))?;
        Ok(InputThread {
            events,
            stop,
            thread: Some(thread),
        })
    }
}

fn read_loop(tx: &mpsc::Sender<io::Result<Event>>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) && !tx.is_closed() {
        let next = match event::poll(POLL) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(e) => Err(e),
        };
        let failed = next.is_err();
        if tx.blocking_send(next).is_err() || failed {
            return;
        }
    }
}

/// How long to wait for the reader to notice it should stop.
const STOP_WAIT: Duration = Duration::from_millis(500);

impl Drop for InputThread {
    /// Wait for the thread, so that it does not swallow keys meant for the shell once the terminal
    /// is given back; it looks up at least every `POLL`. But when the terminal has gone (a dropped
    /// SSH session) the reader can spin inside crossterm on a dead tty and never look up: then it
    /// is left behind, to end with the process, rather than holding the shutdown hostage.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.events.close();
        if let Some(thread) = self.thread.take() {
            let deadline = std::time::Instant::now() + STOP_WAIT;
            while !thread.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if thread.is_finished() {
                let _ = thread.join();
            }
        }
    }
}
