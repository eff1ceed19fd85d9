//! Waiting on an event with a deadline, for the tests that drive whole processes: a test waits
//! for what it expects, never for a fixed time, and fails with what it saw if it does not come.
//! Include it with `#[path = "support/wait.rs"] mod wait;`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// How long an event may take before the test fails: long, since a loaded machine is slow and a
/// passing test never waits it out.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Wait until `pred` holds; panic naming `what` after [`DEADLINE`].
pub fn until(what: &str, mut pred: impl FnMut() -> bool) {
    let start = Instant::now();
    while !pred() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Wait until the text of `file` (empty while it does not exist) satisfies `pred`, and return
/// that text; panic with it after [`DEADLINE`].
pub fn file_until(file: &Path, what: &str, pred: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if pred(&text) {
            return text;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what} in {}:\n{text}",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Wait until the engine's state, as `replica` follows it, satisfies `pred`: `false` after
/// [`DEADLINE`], for the caller to fail with what it needs to show.
pub async fn state_until(
    replica: &mut signalos::engine::Replica,
    engine: &signalos::engine::EngineHandle,
    pred: impl Fn(&signalos::engine::State) -> bool,
) -> bool {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !pred(&replica.state) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, replica.changed(engine)).await {
            Ok(r) => r.unwrap(),
            Err(_) => return false,
        }
    }
    true
}

/// [`until`] inside a test on the tokio runtime: waits without blocking its thread.
pub async fn until_async(what: &str, mut pred: impl FnMut() -> bool) {
    let start = Instant::now();
    while !pred() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
