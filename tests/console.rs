//! The console end to end, as a trader sees it: the real binary in tmux, keys sent, screen read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "support/wait.rs"]
mod wait;

use tmux::{Tmux, positions, skip, tmux_available};

const BIN: &str = env!("CARGO_BIN_EXE_signalos");

/// The log of the runs whose data dir is `data`: every daily file, oldest first.
fn engine_log(data: &Path) -> String {
    let Ok(dir) = std::fs::read_dir(data.join("logs")) else {
        return String::new();
    };
    let mut files: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect()
}

#[test]
fn the_console_opens_positions_halts_on_the_emergency_key_and_stays_halted() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        "[broker]\ntick_ms = 100\n\n[[sources]]\nkind = \"demo\"\nname = \"demo\"\nchat = \"demo\"\ninterval_secs = 0.5\nseed = 3\n",
    )
    .unwrap();
    let run = format!(
        "{BIN} run --config {} --data-dir {}",
        config.display(),
        home.path().join("data").display()
    );

    let tmux = Tmux::new("console");
    tmux.start(home.path(), &run);
    let screen = tmux.wait_for("open positions", |s| positions(s).is_some_and(|n| n > 0));
    assert!(screen.contains("ACTIVE"), "{screen}");

    tmux.keys("X");
    tmux.wait_for("the confirmation prompt", |s| s.contains("press X again"));
    tmux.keys("X");
    let screen = tmux.wait_for("HALTED and flat", |s| {
        s.contains("HALTED") && positions(s) == Some(0)
    });
    assert!(screen.contains("flat"), "{screen}");

    tmux.keys("q");
    let start = Instant::now();
    while tmux.alive() {
        assert!(
            start.elapsed() < wait::DEADLINE,
            "q did not quit:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // Started again on the same data: still HALTED, still flat, until an explicit resume.
    let data = home.path().join("data");
    let halted_refusals = || engine_log(&data).matches("refused: HALTED").count();
    let before = halted_refusals();
    tmux.start(home.path(), &run);
    let screen = tmux.wait_for("the console again", |s| {
        s.contains("broker") && positions(s).is_some()
    });
    assert!(
        screen.contains("HALTED"),
        "HALTED must survive a restart:\n{screen}"
    );
    // The demo goes on posting: once this run has refused an open for HALTED, nothing opened.
    wait::until("an open refused as HALTED after the restart", || {
        halted_refusals() > before
    });
    let screen = tmux.screen();
    assert_eq!(
        positions(&screen),
        Some(0),
        "no new entries while HALTED:\n{screen}"
    );
    tmux.keys("q");
}

/// SIGTERM and SIGHUP (a dropped SSH session) end the console with the terminal restored — the
/// shell's line discipline back in canonical mode — and the engine stopped cleanly.
#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join("data");
        let pid_file = home.path().join("pid");
        // The shell records the console's pid, waits for it, then shows the terminal's modes.
        let run = format!(
            "sh -c '{BIN} run --data-dir {} & echo $! > {}; wait; echo EXITED $?; stty -a; sleep 30'",
            data.display(),
            pid_file.display()
        );
        let tmux = Tmux::new(&format!("sig{signal}"));
        tmux.start(home.path(), &run);
        tmux.wait_for("the console", |s| s.contains("Positions ("));
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.trim())
            .status()
            .unwrap();
        assert!(sent.success());
        let screen = tmux.wait_for("the shell after the console", |s| s.contains("EXITED"));
        assert!(
            screen.contains("EXITED 0"),
            "SIG{signal}: a clean exit:\n{screen}"
        );
        assert!(
            screen.contains(" icanon") && screen.contains(" echo"),
            "SIG{signal}: the terminal is back in canonical mode with echo:\n{screen}"
        );
        assert!(
            !screen.contains("Positions ("),
            "SIG{signal}: the alternate screen is gone:\n{screen}"
        );
        let log = engine_log(&data);
        assert!(
            log.contains("journal flushed"),
            "SIG{signal}: the engine stopped cleanly:\n{log}"
        );
    }
}

/// A panic with the terminal taken: the hook gives it back before the message is printed, so the
/// message is readable and the shell works. Run on `examples/console_panic.rs`, which takes the
/// terminal through the console's own guard.
#[test]
fn a_panic_gives_the_terminal_back() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    // `cargo test` builds the examples next to the test binaries' own folder.
    let example = Path::new(BIN)
        .parent()
        .unwrap()
        .join("examples")
        .join("console_panic");
    assert!(example.exists(), "{} not built", example.display());
    let home = tempfile::tempdir().unwrap();
    let run = format!(
        "sh -c '{}; echo EXITED $?; stty -a; sleep 30'",
        example.display()
    );
    let tmux = Tmux::new("panic");
    tmux.start(home.path(), &run);
    // `stty -a` prints after the exit line: wait for its modes too, not only for the exit.
    let screen = tmux.wait_for("the shell after the panic", |s| {
        s.contains("EXITED") && s.contains("icanon")
    });
    assert!(screen.contains("EXITED 101"), "{screen}");
    assert!(
        screen.contains("a deliberate panic inside the console"),
        "the panic message is on the main screen:\n{screen}"
    );
    assert!(
        screen.contains(" icanon") && screen.contains(" echo"),
        "the terminal is back in canonical mode with echo:\n{screen}"
    );
    assert!(
        !screen.contains("about to panic"),
        "the alternate screen is gone:\n{screen}"
    );
}

/// A dropped SSH session: the terminal disappears and SIGHUP arrives. The console must not hang
/// on the dead terminal or die before the engine has stopped and flushed its journal.
#[test]
fn a_dropped_session_stops_the_engine_cleanly() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let tmux = Tmux::new("dropped");
    tmux.start(
        home.path(),
        &format!("{BIN} run --data-dir {}", data.display()),
    );
    tmux.wait_for("the console", |s| s.contains("Positions ("));
    let pids = Command::new("pgrep")
        .args(["-f", &format!("^{BIN} run --data-dir {}", data.display())])
        .output()
        .unwrap();
    let pid = String::from_utf8_lossy(&pids.stdout).trim().to_string();
    assert!(
        pid.parse::<u32>().is_ok(),
        "one console process, not {pid:?}"
    );
    tmux.cmd(&["kill-server"]);
    let gone = Instant::now();
    while Path::new(&format!("/proc/{pid}")).exists() {
        assert!(
            gone.elapsed() < wait::DEADLINE,
            "signalos {pid} outlived its terminal"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = engine_log(&data);
    assert!(
        log.contains("journal flushed"),
        "the engine stopped cleanly:\n{log}"
    );
}

/// A config with a fast demo feed, and lots every symbol can close half of.
fn busy_config(home: &Path) -> String {
    let config = home.join("c.toml");
    std::fs::write(
        &config,
        "[broker]\ntick_ms = 100\n\n[risk]\nlots = 1.0\n\n[[sources]]\nkind = \"demo\"\nname = \"demo\"\nchat = \"demo\"\ninterval_secs = 2\nseed = 3\n",
    )
    .unwrap();
    format!(
        "{BIN} run --config {} --data-dir {}",
        config.display(),
        home.join("data").display()
    )
}

#[test]
fn a_form_closes_part_of_a_trade_and_a_resize_keeps_the_console_whole() {
    if !tmux_available() {
        skip("tmux is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let tmux = Tmux::new("form");
    tmux.start(home.path(), &busy_config(home.path()));
    tmux.wait_for("open positions", |s| positions(s).is_some_and(|n| n > 0));
    // Stop new entries so the positions stay put while the form is used.
    tmux.keys("P");
    tmux.wait_for("PAUSED", |s| s.contains("PAUSED"));

    tmux.keys("p");
    let screen = tmux.wait_for("the close-part form", |s| s.contains("Close part of #"));
    assert!(
        screen.contains("realises"),
        "the form shows the money:\n{screen}"
    );
    assert!(
        screen.contains("stay open"),
        "and what stays at risk:\n{screen}"
    );
    tmux.keys("Enter");
    let screen = tmux.wait_for("the engine's answer", |s| {
        s.contains("close 50% of #") && (s.contains("accepted") || s.contains("REFUSED"))
    });
    assert!(screen.contains("accepted"), "{screen}");
    assert!(
        !screen.contains("Close part of #"),
        "the form closed:\n{screen}"
    );

    // From 120×40 to 80×24 and back: every line fits, the key hints and the panes are there.
    tmux.cmd(&["resize-window", "-t", "main", "-x", "80", "-y", "24"]);
    let screen = tmux.wait_for("the small layout", |s| {
        s.lines().count() <= 24 && s.contains("[signals]")
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    assert!(screen.contains("Positions ("), "{screen}");
    assert!(screen.contains("PAUSED"), "{screen}");
    // Every pane zooms at this size too.
    tmux.keys("z");
    tmux.wait_for("the zoomed positions", |s| s.contains("[zoomed]"));
    tmux.keys("z");
    tmux.cmd(&["resize-window", "-t", "main", "-x", "160", "-y", "48"]);
    tmux.wait_for("the wide layout", |s| {
        s.contains("Equity this session") && s.contains("Detail")
    });
}

/// GNU screen, driven as tmux is: detached, keys stuffed in, the window read back as a hardcopy.
#[test]
fn the_emergency_stop_works_in_gnu_screen() {
    let available = Command::new("screen")
        .arg("-v")
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if !available {
        skip("GNU screen is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let sockets = home.path().join("screens");
    std::fs::create_dir(&sockets).unwrap();
    std::fs::set_permissions(
        &sockets,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let name = format!("signalos-{}", std::process::id());
    let screen = |args: &[&str]| {
        Command::new("screen")
            .env("SCREENDIR", &sockets)
            .env("HOME", home.path())
            .args(args)
            .output()
            .unwrap()
    };
    let run = busy_config(home.path());
    let out = screen(&["-dmS", &name, "sh", "-c", &run]);
    assert!(out.status.success(), "{out:?}");
    // However the test ends, the session and the console in it go.
    let _quit = Quit(Box::new(|| {
        screen(&["-S", &name, "-X", "quit"]);
    }));
    let copy = home.path().join("hardcopy");
    let read = || {
        // screen writes the copy from its own process a moment after the command returns: the
        // old one is removed first, and the new one waited for.
        let _ = std::fs::remove_file(&copy);
        screen(&["-S", &name, "-X", "hardcopy", copy.to_str().unwrap()]);
        let asked = Instant::now();
        loop {
            match std::fs::read(&copy) {
                // Not UTF-8: screen writes the box drawing in its own charset.
                Ok(bytes) if !bytes.is_empty() => {
                    return String::from_utf8_lossy(&bytes).into_owned();
                }
                // No copy in time: an empty screen, and the caller's deadline tells.
                _ if asked.elapsed() > Duration::from_secs(5) => return String::new(),
                _ => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    };
    let wait_for = |what: &str, pred: &dyn Fn(&str) -> bool| {
        let start = Instant::now();
        loop {
            let s = read();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < wait::DEADLINE,
                "timed out waiting for {what}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait_for("open positions", &|s| positions(s).is_some_and(|n| n > 0));
    screen(&["-S", &name, "-X", "stuff", "X"]);
    wait_for("the confirmation prompt", &|s| s.contains("press X again"));
    screen(&["-S", &name, "-X", "stuff", "X"]);
    let seen = wait_for("HALTED and flat", &|s| {
        s.contains("HALTED") && positions(s) == Some(0)
    });
    assert!(seen.contains("emergency stop by console"), "{seen}");
}

/// Runs its closure when dropped, panicking or not.
struct Quit<'a>(Box<dyn Fn() + 'a>);

impl Drop for Quit<'_> {
    fn drop(&mut self) {
        (self.0)();
    }
}
