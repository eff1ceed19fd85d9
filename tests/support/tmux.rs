//! A private tmux server driving the real console: keys sent, screen read.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A private tmux server, killed when the test ends however it ends.
pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("signalos-{name}-{}", std::process::id()),
        }
    }

    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    pub fn start(&self, home: &Path, command: &str) {
        let mut tmux = Command::new("tmux");
        // The server, and so the command, inherits this environment: nothing of SignalOS's own.
        for (k, _) in std::env::vars() {
            if k.starts_with("SIGNALOS_") {
                tmux.env_remove(k);
            }
        }
        let out = tmux
            .arg("-L")
            .arg(&self.socket)
            .args([
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "main",
                "-x",
                "120",
                "-y",
                "40",
            ])
            .arg(command)
            .env("HOME", home)
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "main"]).stdout)
            .into_owned()
    }

    pub fn keys(&self, keys: &str) {
        self.cmd(&["send-keys", "-t", "main", keys]);
    }

    pub fn alive(&self) -> bool {
        self.cmd(&["has-session", "-t", "main"]).status.success()
    }

    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// A test that cannot run here says so where it is seen: straight to stderr, which the test
/// harness does not capture (it captures `eprintln!`), so the run shows a SKIPPED line and not
/// just "ok". Under CI (the `CI` variable set, as .ci/run sets it) nothing may be skipped: CI
/// installs tmux and screen, and a missing one fails the test.
pub fn skip(why: &str) {
    use std::io::Write as _;
    let test = std::thread::current()
        .name()
        .unwrap_or("a console test")
        .to_string();
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} cannot run under CI: {why} (.ci/run installs tmux and screen)"
    );
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The number in the positions pane's title, "Positions (N)".
pub fn positions(screen: &str) -> Option<usize> {
    let at = screen.find("Positions (")? + "Positions (".len();
    screen[at..].split(')').next()?.parse().ok()
}
