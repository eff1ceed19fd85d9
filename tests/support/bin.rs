//! The `signalos` binary as a user runs it: a private HOME, nothing of the machine's environment,
//! and the journal read back through `signalos journal`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_signalos");

/// A command with a private HOME and no SIGNALOS_* variables, so nothing of the machine leaks in.
pub fn signalos(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("NO_COLOR");
    for (k, _) in std::env::vars() {
        if k.starts_with("SIGNALOS_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

pub fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// `signalos journal KIND --data-dir DATA`.
pub fn journal(home: &Path, data: &Path, kind: &str) -> Output {
    signalos(home)
        .args(["journal", kind, "--data-dir"])
        .arg(data)
        .output()
        .unwrap()
}

pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
