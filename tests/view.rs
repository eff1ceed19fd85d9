//! `signalos view` end to end: a headless engine with its relay on, and consoles in tmux fed by
//! the relay — one with the operator token (found on its own in the engine's data dir), one with
//! a viewer token — as a trader on a laptop would watch and stop a VPS.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bin.rs"]
mod bin;
#[path = "support/tmux.rs"]
mod tmux;
#[path = "support/wait.rs"]
mod wait;

use std::path::Path;
use std::process::{Child, Stdio};

use tmux::{Tmux, positions, skip, tmux_available};

const VIEWER_TOKEN: &str = "viewer-token-for-the-test-0123";

/// The headless engine, stopped (SIGTERM, then waited for) however the test ends.
struct Engine(Child);

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

fn headless(home: &Path, data: &Path, listen: &str) -> Engine {
    let config = home.join("c.toml");
    std::fs::write(
        &config,
        format!(
            "[broker]\ntick_ms = 100\n\n[relay]\nenabled = true\nlisten = \"{listen}\"\n\
             viewer_token = \"{VIEWER_TOKEN}\"\n\n[[sources]]\nkind = \"demo\"\nname = \"demo\"\n\
             chat = \"demo\"\ninterval_secs = 0.5\nseed = 3\n"
        ),
    )
    .unwrap();
    let child = bin::signalos(home)
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    Engine(child)
}

/// `signalos ctl status` against the engine on this machine, as JSON.
fn ctl_status(home: &Path, data: &Path) -> serde_json::Value {
    let out = bin::signalos(home)
        .args(["ctl", "--data-dir"])
        .arg(data)
        .arg("status")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ctl status: {}",
        bin::text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn an_operator_view_stops_a_headless_engine_and_a_viewer_sees_it_but_cannot_act() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let engine = headless(home.path(), &data, "127.0.0.1:0");
    let relay_file = data.join("relay.json");
    wait::until("the engine's relay.json", || relay_file.exists());
    let relay: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&relay_file).unwrap()).unwrap();
    let url = relay["url"].as_str().unwrap().to_string();

    // The operator: no URL, no token — the engine on this machine is found in its data dir.
    let operator = Tmux::new("view-operator");
    operator.start(
        home.path(),
        &format!("{} view --data-dir {}", bin::BIN, data.display()),
    );
    let screen = operator.wait_for("positions through the relay", |s| {
        positions(s).is_some_and(|n| n > 0)
    });
    assert!(screen.contains("ACTIVE"), "{screen}");
    assert!(screen.contains("engine ● UP"), "{screen}");

    // The viewer, by URL and token.
    let viewer = Tmux::new("view-viewer");
    viewer.start(
        home.path(),
        &format!("{} view {url} --token {VIEWER_TOKEN}", bin::BIN),
    );
    let screen = viewer.wait_for("the viewer's console", |s| {
        positions(s).is_some_and(|n| n > 0)
    });
    assert!(screen.contains("READ-ONLY"), "{screen}");
    viewer.keys("X");
    viewer.wait_for("the stop refused to a viewer", |s| {
        s.contains("disabled") && s.contains("viewer")
    });
    viewer.keys("X");
    assert_eq!(ctl_status(home.path(), &data)["mode"], "ACTIVE");

    operator.keys("X");
    operator.wait_for("the confirmation prompt", |s| s.contains("press X again"));
    operator.keys("X");
    operator.wait_for("HALTED and flat in the operator's view", |s| {
        s.contains("HALTED") && positions(s) == Some(0)
    });
    viewer.wait_for("HALTED in the viewer's view", |s| s.contains("HALTED"));
    let status = ctl_status(home.path(), &data);
    assert_eq!(status["mode"], "HALTED", "{status}");

    // Who stopped it is in the audit, read while the engine runs.
    let audit = bin::signalos(home.path())
        .args(["ctl", "--data-dir"])
        .arg(&data)
        .args(["journal", "audit"])
        .output()
        .unwrap();
    assert!(audit.status.success(), "{}", bin::text(&audit.stderr));
    let stops: Vec<serde_json::Value> = bin::json_lines(&audit)
        .into_iter()
        .filter(|e| e["action"]["action"] == "emergency_stop")
        .collect();
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert_eq!(stops[0]["origin"]["kind"], "relay", "{stops:?}");
    assert_eq!(stops[0]["reply"]["result"], "accepted", "{stops:?}");

    // The engine stops: the views say so and keep what they last knew; quitting one leaves.
    drop(engine);
    operator.wait_for("the lost engine in the header", |s| {
        s.contains("engine ◐ RETRYING") && s.contains("NOT LIVE")
    });
    // Started again on the same port: the views find it again with the same token, still HALTED.
    let listen = url.trim_start_matches("ws://").to_string();
    let _engine = headless(home.path(), &data, &listen);
    operator.wait_for("the engine back in the operator's view", |s| {
        s.contains("engine ● UP") && s.contains("HALTED") && !s.contains("NOT LIVE")
    });
    viewer.wait_for("the engine back in the viewer's view", |s| {
        s.contains("engine ● UP") && s.contains("HALTED")
    });
    operator.keys("q");
    wait::until("the operator's view to quit", || !operator.alive());
}
