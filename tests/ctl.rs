//! `signalos ctl` as a user runs it: against a real `signalos run --headless` (engine, simulator,
//! a demo source, the relay on a loopback port), found through the relay.json it leaves in its
//! data dir, or given --url and --token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bin.rs"]
mod bin;
#[path = "support/wait.rs"]
mod wait;

use std::io::BufRead as _;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use bin::{json_lines, signalos, text};
use serde_json::Value;

const VIEWER: &str = "viewer-token-0123456789abcdef";

/// A headless run with the relay on, stopped (SIGTERM) when dropped.
struct Engine {
    home: tempfile::TempDir,
    data: PathBuf,
    child: Child,
}

impl Engine {
    fn start() -> Engine {
        Engine::start_with("")
    }

    /// With more `[relay]` settings.
    fn start_with(relay: &str) -> Engine {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let config = home.path().join("c.toml");
        std::fs::write(
            &config,
            format!(
                "[broker]\ntick_ms = 100\n\n[relay]\nenabled = true\nlisten = \"127.0.0.1:0\"\nviewer_token = \"{VIEWER}\"\n{relay}\n\n[[sources]]\nkind = \"demo\"\nname = \"demo\"\nchat = \"demo chat\"\ninterval_secs = 0.3\nseed = 5\n"
            ),
        )
        .unwrap();
        let child = signalos(home.path())
            .args(["run", "--headless", "--config"])
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(home.path().join("stderr.log")).unwrap())
            .spawn()
            .unwrap();
        let engine = Engine { home, data, child };
        wait::until("relay.json", || engine.data.join("relay.json").exists());
        engine
    }

    /// `signalos ctl --data-dir DATA ARGS…`: no --url, no --token.
    fn ctl(&self, args: &[&str]) -> Output {
        ctl_in(self.home.path(), &self.data, args)
    }

    /// `ctl status` once `pred` holds for it.
    fn status_until(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let mut last = Value::Null;
        wait::until(what, || {
            last = object(&self.ctl(&["status"]));
            pred(&last)
        });
        last
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn ctl_in(home: &Path, data: &Path, args: &[&str]) -> Output {
    signalos(home)
        .args(["ctl", "--data-dir"])
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// The one JSON object a successful command prints.
fn object(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let lines = json_lines(out);
    assert_eq!(lines.len(), 1, "one object: {}", text(&out.stdout));
    lines.into_iter().next().unwrap()
}

fn relay_json(data: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data.join("relay.json")).unwrap()).unwrap()
}

#[test]
fn ctl_reads_and_steers_a_running_engine_found_through_relay_json() {
    let engine = Engine::start();
    let status = engine.status_until("three signals, positions opened", |s| {
        s["counts"]["positions"].as_u64() > Some(0)
            && s["counts"]["recent_signals"].as_u64() >= Some(3)
    });
    assert_eq!(status["mode"], "ACTIVE");
    assert!(status["account"]["equity"].is_f64(), "{status}");
    assert!(status["day_pnl"].is_f64(), "{status}");
    assert_eq!(status["links"]["broker"]["state"], "synced", "{status}");
    assert!(status["seq"].as_u64() > Some(0));
    for key in ["orders", "open_intents", "recent_signals"] {
        assert!(status["counts"][key].is_u64(), "{key}: {status}");
    }

    let positions = object(&engine.ctl(&["positions"]));
    let positions = positions["positions"].as_array().unwrap();
    assert!(!positions.is_empty());
    let ticket = positions[0]["ticket"].as_u64().unwrap();
    for key in ["symbol", "side", "volume", "open_price", "sl", "profit"] {
        assert!(!positions[0][key].is_null(), "{key}: {}", positions[0]);
    }
    let orders = object(&engine.ctl(&["orders"]));
    assert!(orders["orders"].is_array() && orders["intents"].is_array());

    // Signals a page at a time: `next` is where the next page starts.
    let page = object(&engine.ctl(&["signals", "--limit", "2"]));
    let seqs: Vec<u64> = page["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, vec![1, 2]);
    assert_eq!(page["next"], 3);
    let next = object(&engine.ctl(&["signals", "--since", "3", "--limit", "1"]));
    assert_eq!(next["signals"][0]["seq"], 3);

    let story = object(&engine.ctl(&["story", "1"]));
    assert_eq!(story["signal"], 1);
    assert_eq!(story["steps"][0]["step"], "message");
    let missing = engine.ctl(&["story", "999999"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no signal #999999"));

    // A viewer may look, not act: refused by the gate, exit 1, and the reason said.
    let viewer = engine.ctl(&["--token", VIEWER, "pause"]);
    assert_eq!(viewer.status.code(), Some(1), "{viewer:?}");
    assert!(text(&viewer.stderr).contains("read-only"), "{viewer:?}");
    assert_eq!(
        object(&engine.ctl(&["--token", VIEWER, "status"]))["mode"],
        "ACTIVE"
    );

    let paused = object(&engine.ctl(&["pause"]));
    assert_eq!(paused["result"], "accepted");
    assert_eq!(object(&engine.ctl(&["status"]))["mode"], "PAUSED");

    let no_ticket = engine.ctl(&["close", "999999999"]);
    assert_eq!(no_ticket.status.code(), Some(1), "{no_ticket:?}");
    assert!(text(&no_ticket.stderr).contains("999999999"));
    // Moved to its entry, or refused with the reason (a position in loss cannot be): either
    // way the gate's reply is printed.
    let breakeven = engine.ctl(&["breakeven", &ticket.to_string()]);
    let reply = json_lines(&breakeven);
    match breakeven.status.code() {
        Some(0) => assert_eq!(reply[0]["result"], "accepted"),
        Some(1) => assert_eq!(reply[0]["result"], "refused"),
        other => panic!("{other:?}: {}", text(&breakeven.stderr)),
    }

    assert_eq!(
        object(&engine.ctl(&["emergency-stop"]))["result"],
        "accepted"
    );
    engine.status_until("HALTED and flat", |s| {
        s["mode"] == "HALTED" && s["counts"]["positions"] == 0 && s["counts"]["orders"] == 0
    });

    // History while the engine runs: `journal` names the ctl command that reads it.
    let audit = engine.ctl(&["journal", "audit"]);
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let audit = json_lines(&audit);
    let stop = audit
        .iter()
        .find(|a| a["action"]["action"] == "emergency_stop")
        .expect("the emergency stop is audited");
    assert_eq!(stop["origin"]["kind"], "relay");
    assert_eq!(stop["origin"]["who"], "local");
    assert!(
        audit
            .iter()
            .any(|a| a["origin"]["role"] == "viewer" && a["reply"]["result"] == "refused")
    );
    let locked = bin::journal(engine.home.path(), &engine.data, "audit");
    assert!(!locked.status.success());
    let hint = format!(
        "signalos ctl --data-dir {} journal audit",
        engine.data.display()
    );
    assert!(
        text(&locked.stderr).contains(&hint),
        "{}",
        text(&locked.stderr)
    );
    // Every page: as many signals as one long page holds.
    let signals = json_lines(&engine.ctl(&["journal", "signals"]));
    let seqs: Vec<u64> = signals.iter().map(|s| s["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());

    let resumed = object(&engine.ctl(&["resume", "--reason", "checked"]));
    assert_eq!(resumed["result"], "accepted");
    assert_eq!(object(&engine.ctl(&["status"]))["mode"], "ACTIVE");

    // A token the relay does not know: 4, and the token is not echoed.
    let wrong = engine.ctl(&["--token", "not-a-token", "status"]);
    assert_eq!(wrong.status.code(), Some(4), "{wrong:?}");
    assert!(text(&wrong.stderr).contains("did not accept the token"));
    assert!(!text(&wrong.stderr).contains("not-a-token"));
}

#[test]
fn ctl_with_url_and_token_and_watch_streams_events() {
    let engine = Engine::start();
    let local = relay_json(&engine.data);
    let url = local["url"].as_str().unwrap();
    let token = local["token"].as_str().unwrap();
    // Elsewhere, with the token from the environment.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = signalos(elsewhere.path())
        .args(["ctl", "--url", url, "status"])
        .env("SIGNALOS_RELAY_TOKEN", token)
        .output()
        .unwrap();
    assert_eq!(object(&out)["mode"], "ACTIVE");

    let mut watch = signalos(elsewhere.path())
        .args([
            "ctl",
            "--url",
            url,
            "--token",
            token,
            "watch",
            "--topics",
            "account,positions",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(watch.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&stdout.next().unwrap().unwrap()).unwrap();
    assert_eq!(
        first["type"], "snapshot",
        "a watch starts from the state: {first}"
    );
    assert!(first.get("reason").is_none(), "{first}");
    let mut seqs = Vec::new();
    for line in stdout.by_ref().take(5) {
        let frame: Value = serde_json::from_str(&line.unwrap()).unwrap();
        assert_eq!(frame["type"], "event", "{frame}");
        let change = frame["change"]["change"].as_str().unwrap();
        assert!(
            [
                "account",
                "quote",
                "position",
                "position_closed",
                "synced",
                "mode",
                "day",
                "stealth"
            ]
            .contains(&change),
            "only the topics asked: {frame}"
        );
        seqs.push(frame["seq"].as_u64().unwrap());
    }
    assert_eq!(seqs.len(), 5);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    // Read on to the end: a full pipe would hold `ctl` in a write, deaf to the interrupt.
    let drain = std::thread::spawn(move || stdout.count());
    let _ = Command::new("kill")
        .args(["-INT", &watch.id().to_string()])
        .status();
    let status = watch.wait().unwrap();
    assert_eq!(status.code(), Some(0), "interrupted is a clean end");
    drain.join().unwrap();
}

#[test]
fn ctl_without_an_engine_says_so_and_bad_usage_is_2() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    // The token from the environment, which is no config key: still no engine.
    let none = signalos(home.path())
        .args(["ctl", "--data-dir"])
        .arg(&data)
        .arg("status")
        .env("SIGNALOS_RELAY_TOKEN", "t")
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(3), "{none:?}");
    assert!(text(&none.stderr).contains("relay.json"), "{none:?}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{port}");
    let refused = signalos(home.path())
        .args(["ctl", "--url", &url, "--token", "t", "pause"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(3), "{refused:?}");
    assert!(text(&refused.stderr).contains(&url), "{refused:?}");

    for args in [
        vec!["ctl", "frobnicate"],
        vec!["ctl", "close", "not-a-ticket"],
        vec!["ctl", "watch", "--topics", "weather"],
        vec!["ctl", "--url", "ws://127.0.0.1:1", "status"],
        vec![
            "ctl",
            "--url",
            "http://127.0.0.1:1",
            "--token",
            "t",
            "status",
        ],
    ] {
        let out = signalos(home.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(!text(&out.stderr).is_empty());
    }
    let help = signalos(home.path())
        .args(["ctl", "--help"])
        .output()
        .unwrap();
    let help = text(&help.stdout);
    for code in [
        "0  ok",
        "1  refused",
        "2  bad usage",
        "3  unreachable",
        "4  unauthorised",
    ] {
        assert!(help.contains(code), "{code} not in:\n{help}");
    }
}

/// Forwards connections to `target`; `cut` shuts every one down at once, as a failing network
/// does.
struct Proxy {
    url: String,
    /// Every connection forwarded, open or cut.
    open: Arc<Mutex<Vec<TcpStream>>>,
    accepted: Arc<Mutex<usize>>,
}

impl Proxy {
    fn start(target: &str) -> Proxy {
        let target = target.trim_start_matches("ws://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let open = Arc::new(Mutex::new(Vec::new()));
        let accepted = Arc::new(Mutex::new(0));
        let (held, counted) = (open.clone(), accepted.clone());
        std::thread::spawn(move || {
            for inbound in listener.incoming() {
                *counted.lock().unwrap() += 1;
                let inbound = inbound.unwrap();
                let outbound = TcpStream::connect(&target).unwrap();
                let mut held = held.lock().unwrap();
                for (mut from, mut to) in [
                    (inbound.try_clone().unwrap(), outbound.try_clone().unwrap()),
                    (outbound.try_clone().unwrap(), inbound.try_clone().unwrap()),
                ] {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
                held.extend([inbound, outbound]);
            }
        });
        Proxy {
            url,
            open,
            accepted,
        }
    }

    fn cut(&self) {
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

#[test]
fn watch_resumes_through_a_cut_link_with_consecutive_events() {
    let engine = Engine::start();
    let local = relay_json(&engine.data);
    let proxy = Proxy::start(local["url"].as_str().unwrap());
    let mut watch = signalos(engine.home.path())
        .args(["ctl", "--url", &proxy.url, "--token"])
        .arg(local["token"].as_str().unwrap())
        .arg("watch")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(watch.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["type"], "snapshot", "{first}");
    let mut links = Vec::new();
    let mut seq = |lines: &mut std::io::Lines<_>| -> u64 {
        loop {
            let line: String = lines.next().unwrap().unwrap();
            let frame: Value = serde_json::from_str(&line).unwrap();
            if frame["type"] == "link" {
                links.push(frame["state"].as_str().unwrap().to_string());
                continue;
            }
            assert_eq!(
                frame["type"], "event",
                "no snapshot: resumed, not resynced: {frame}"
            );
            return frame["seq"].as_u64().unwrap();
        }
    };
    let mut seqs: Vec<u64> = (0..20).map(|_| seq(&mut lines)).collect();
    proxy.cut();
    seqs.extend((0..60).map(|_| seq(&mut lines)));
    let first = seqs[0];
    assert_eq!(seqs, (first..first + 80).collect::<Vec<_>>());
    assert!(
        links.first().is_some_and(|l| l != "up") && links.last().is_some_and(|l| l == "up"),
        "the cut and the return are told: {links:?}"
    );
    assert_eq!(
        *proxy.accepted.lock().unwrap(),
        2,
        "one connection, then one more"
    );
    // The events keep coming until it stops: read them to the end, or a full pipe would hold
    // `ctl` in a write and it would never see the interrupt.
    let drain = std::thread::spawn(move || lines.count());
    let _ = Command::new("kill")
        .args(["-INT", &watch.id().to_string()])
        .status();
    let status = watch.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    drain.join().unwrap();
}

/// With TLS, relay.json's wss://127.0.0.1 is reached from the engine's own machine with no
/// arguments: the certificate relay.json names is accepted, and only it (it is signed by a CA no
/// public root knows, so nothing else would accept it).
#[test]
fn ctl_reaches_a_tls_relay_on_its_own_machine_with_no_arguments() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relay");
    let engine = Engine::start_with(&format!(
        "tls_cert = \"{}\"\ntls_key = \"{}\"",
        fixtures.join("cert.pem").display(),
        fixtures.join("key.pem").display()
    ));
    let relay = relay_json(&engine.data);
    assert!(
        relay["url"].as_str().unwrap().starts_with("wss://"),
        "{relay}"
    );
    let status = engine.status_until("status over TLS", |s| s["mode"] == "ACTIVE");
    assert_eq!(status["mode"], "ACTIVE");
    // The same address with the public roots (an explicit token, so no pin): refused.
    let token = relay["token"].as_str().unwrap();
    let out = ctl_in(
        engine.home.path(),
        &engine.data,
        &[
            "--url",
            relay["url"].as_str().unwrap(),
            "--token",
            token,
            "status",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
}
