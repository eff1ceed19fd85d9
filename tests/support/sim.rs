//! The simulator as a separate `signalos sim-mt5` process playing the Expert Advisor, the files it
//! keeps, and what its trade log says.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const SECRET: &str = "bridge test secret";
pub const WAIT: Duration = Duration::from_secs(30);

/// The simulator process and its files.
pub struct SimSide {
    pub child: Child,
}

pub struct Files {
    pub _dir: tempfile::TempDir,
    pub journal: PathBuf,
    pub trade_log: PathBuf,
    pub state: PathBuf,
    pub sim_log: PathBuf,
}

impl Files {
    pub fn new() -> Files {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        Files {
            journal: path.join("journal"),
            trade_log: path.join("trades.jsonl"),
            state: path.join("sim.json"),
            sim_log: path.join("sim.log"),
            _dir: dir,
        }
    }
}

impl SimSide {
    pub fn start(address: SocketAddr, files: &Files, faults: &[&str]) -> SimSide {
        Self::start_seeded(address, files, faults, 5)
    }

    /// As [`SimSide::start`], with the prices' seed.
    pub fn start_seeded(address: SocketAddr, files: &Files, faults: &[&str], seed: u64) -> SimSide {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&files.sim_log)
            .unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_signalos"));
        command
            .args(["sim-mt5", "--connect", &address.to_string()])
            .args(["--secret", SECRET, "--seed", &seed.to_string()])
            .args(["--balance", "1000000"])
            .args(["--tick-ms", "100", "--backoff-cap-ms", "300"])
            .arg("--trade-log")
            .arg(&files.trade_log)
            .arg("--state")
            .arg(&files.state)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log);
        for fault in faults {
            command.args(["--fault", fault]);
        }
        SimSide {
            child: command.spawn().expect("the signalos binary runs"),
        }
    }

    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM: the simulator saves its account and exits (the test fails if it does not).
    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = std::time::Instant::now() + WAIT;
        while !matches!(self.child.try_wait(), Ok(Some(_))) {
            assert!(
                std::time::Instant::now() < deadline,
                "the simulator did not exit on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The trade log's opening `request` lines per cid: the executions of our place requests.
pub fn request_lines(trade_log: &Path) -> BTreeMap<String, Vec<serde_json::Value>> {
    let text = std::fs::read_to_string(trade_log).unwrap_or_default();
    let mut lines: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for line in text.lines() {
        let deal: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("trade log line {line:?}: {e}"));
        if deal["entry"] == "in" && deal["reason"] == "request" {
            let cid = deal["cid"].as_str().unwrap().to_string();
            lines.entry(cid).or_default().push(deal);
        }
    }
    lines
}
