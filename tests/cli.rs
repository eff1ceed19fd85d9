//! The `signalos` binary as a user runs it: check-config, a headless run, the journal, --version.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bin.rs"]
mod bin;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "support/wait.rs"]
mod wait;

use bin::{journal, json_lines, signalos, text};

/// How many signals the log shows decided: the distinct `signal=N` of its decision lines.
fn decided(log: &str) -> usize {
    log.lines()
        .filter(|l| {
            ["executing:", "refused:", "ignored:"]
                .iter()
                .any(|w| l.contains(w))
        })
        .filter_map(|l| l.split(" signal=").nth(1)?.split(' ').next())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn check_config(home: &Path, file: &Path) -> Output {
    signalos(home)
        .arg("check-config")
        .arg(file)
        .output()
        .unwrap()
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn check_config_lists_every_problem_as_file_line_key() {
    let home = tempfile::tempdir().unwrap();
    let path = write(
        home.path(),
        "bad.toml",
        "[risk]\nlots = \"many\"\n\n[ui]\nmax_fps = 20\nfps = 3\n",
    );
    let out = check_config(home.path(), &path);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    let shown = path.display();
    assert!(err.contains(&format!("{shown}:2: risk.lots: ")), "{err}");
    assert!(err.contains(&format!("{shown}:6: ui.fps: ")), "{err}");
    assert!(err.contains("2 problems"), "{err}");
}

#[test]
fn check_config_passes_every_shipped_file() {
    let home = tempfile::tempdir().unwrap();
    let out = signalos(home.path())
        .arg("check-config")
        .arg(repo("config.toml"))
        .output()
        .unwrap();
    assert!(out.status.success(), "config.toml: {}", text(&out.stderr));
    for (key, folder) in [("keymap", "keymaps"), ("theme", "themes")] {
        let mut checked = 0;
        for entry in std::fs::read_dir(repo(folder)).unwrap() {
            let file = entry.unwrap().path();
            let config = write(
                home.path(),
                "c.toml",
                &format!("[ui]\n{key} = {:?}\n", file.display().to_string()),
            );
            let out = check_config(home.path(), &config);
            assert!(
                out.status.success(),
                "{}: {}",
                file.display(),
                text(&out.stderr)
            );
            checked += 1;
        }
        assert!(checked > 0, "nothing shipped in {folder}/");
    }
}

#[test]
fn check_config_names_the_line_of_a_bad_keymap() {
    let home = tempfile::tempdir().unwrap();
    let keymap = write(
        home.path(),
        "mine.toml",
        "[global]\nq = \"quit\"\nX = \"emergency_stop\"\nz = \"launch_rockets\"\n\
         ctrl-x = \"pause\"\n\"C-x\" = \"resume\"\n[signals]\nc = \"close_position\"\n",
    );
    let config = write(home.path(), "c.toml", "[ui]\nkeymap = \"mine.toml\"\n");
    let out = check_config(home.path(), &config);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    let file = keymap.display();
    // An unknown action, one key bound twice, an action where it does nothing, and the prompt
    // keys every keymap needs.
    for expected in [
        format!("{file}:4: global.z: "),
        format!("{file}:6: global.C-x: "),
        format!("{file}:8: signals.c: "),
        "prompt.submit".to_string(),
        "prompt.cancel".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected} not in:\n{err}");
    }
}

#[test]
fn check_config_names_an_unknown_theme() {
    let home = tempfile::tempdir().unwrap();
    let config = write(home.path(), "c.toml", "\n[ui]\ntheme = \"sunset\"\n");
    let out = check_config(home.path(), &config);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("{}:3: ui.theme: ", config.display())),
        "{err}"
    );
}

/// The output of `cmd`, which must finish within `secs` seconds: a hang is killed and fails.
fn finished_within(cmd: &mut Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{cmd:?} still running after {secs} s: {}",
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// check-config and a headless run both refuse `config`, with the same words; they are returned.
fn both_refuse(home: &Path, config: &Path) -> String {
    let checked = finished_within(signalos(home).arg("check-config").arg(config), 30);
    assert_eq!(checked.status.code(), Some(2), "{checked:?}");
    let run = finished_within(
        signalos(home)
            .args(["run", "--headless", "--config"])
            .arg(config),
        30,
    );
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert_eq!(text(&checked.stderr), text(&run.stderr));
    text(&run.stderr)
}

#[test]
fn check_config_and_run_refuse_folders_that_cannot_be_written_and_create_nothing() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "afile", "not a folder");
    let config = write(
        home.path(),
        "c.toml",
        "[data]\ndir = \"afile/data\"\n\n[log]\ndir = \"afile/logs\"\n",
    );
    let err = both_refuse(home.path(), &config);
    let file = home.path().join("afile");
    for expected in [
        format!("{}:2: data.dir: ", config.display()),
        format!("{}:5: log.dir: ", config.display()),
        format!("{} is a file", file.display()),
    ] {
        assert!(err.contains(&expected), "{expected} not in:\n{err}");
    }
    // Only the log folder is wrong: run would fail opening its log, so both refuse it.
    let config = write(home.path(), "d.toml", "[log]\ndir = \"afile\"\n");
    let err = both_refuse(home.path(), &config);
    assert!(
        err.contains(&format!("{}:2: log.dir: ", config.display())),
        "{err}"
    );
    // Folders that do not exist yet are fine, said so, and not created by the check.
    let config = write(home.path(), "e.toml", "[data]\ndir = \"new/data\"\n");
    let out = check_config(home.path(), &config);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let new = home.path().join("new");
    assert!(
        shown.contains(&format!(
            "data {} (to be created in {})",
            new.join("data").display(),
            home.path().display()
        )),
        "{shown}"
    );
    assert!(!new.exists(), "check-config created {}", new.display());
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left.len(),
        4,
        "check-config left something behind: {left:?}"
    );
}

#[test]
fn a_headless_run_refuses_a_missing_keymap_or_theme_as_check_config_does() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        "c.toml",
        "[ui]\nkeymap = \"mine.toml\"\ntheme = \"sunset\"\n",
    );
    let err = both_refuse(home.path(), &config);
    for expected in [
        format!("{}:2: ui.keymap: ", config.display()),
        format!("{}:3: ui.theme: ", config.display()),
    ] {
        assert!(err.contains(&expected), "{expected} not in:\n{err}");
    }
}

#[test]
fn a_log_level_that_would_silence_logging_is_refused_by_both() {
    let home = tempfile::tempdir().unwrap();
    let config = write(home.path(), "c.toml", "[log]\nlevel = \"warning\"\n");
    let err = both_refuse(home.path(), &config);
    assert!(
        err.contains(&format!("{}:2: log.level: ", config.display())),
        "{err}"
    );
    assert!(
        err.contains("trace, debug, info, warn, error, off"),
        "{err}"
    );
}

#[test]
fn a_config_that_is_not_a_regular_file_is_refused_at_once() {
    let home = tempfile::tempdir().unwrap();
    let fifo = home.path().join("config.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Reading a FIFO would wait for a writer forever; /dev/zero would fill the memory.
    for (path, what) in [
        (fifo.as_path(), "a FIFO"),
        (Path::new("/dev/zero"), "a device"),
    ] {
        let err = both_refuse(home.path(), path);
        assert!(
            err.contains(&format!("{}: (file): a regular file", path.display()))
                && err.contains(what),
            "{err}"
        );
    }
}

/// Lines of `child`'s stderr, read as they come.
fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)) {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

#[test]
fn a_listen_address_beyond_loopback_is_warned_of_by_check_config_and_at_run_start() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        "c.toml",
        "[broker]\nkind = \"mt5\"\nlisten = \"0.0.0.0:0\"\n\n\
         [[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"in.jsonl\"\npoll_ms = 250\n",
    );
    let warning = format!(
        "{}:3: broker.listen: 0.0.0.0:0 is reachable from the network",
        config.display()
    );
    let out = signalos(home.path())
        .env("SIGNALOS_BROKER_SECRET", "correct horse battery")
        .arg("check-config")
        .arg(&config)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = text(&out.stderr);
    assert!(err.contains(&format!("warning: {warning}")), "{err}");
    assert!(
        err.contains("broker.secret is its only protection"),
        "{err}"
    );

    let mut child = signalos(home.path())
        .env("SIGNALOS_BROKER_SECRET", "correct horse battery")
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let mut seen = Vec::new();
    let found = loop {
        match lines.recv_timeout(Duration::from_secs(30)) {
            Ok(line) if line.contains(&warning) => break true,
            Ok(line) => seen.push(line),
            Err(_) => break false,
        }
    };
    // How it stops is another test's business: the warning was all this one waited for.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(found, "no warning at run start in:\n{}", seen.join("\n"));
}

#[test]
fn version_prints_the_paths_in_use() {
    let home = tempfile::tempdir().unwrap();
    let out = signalos(home.path())
        .args(["--version", "--data-dir", "/srv/signalos"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = text(&out.stdout);
    assert!(shown.starts_with("signalos "), "{shown}");
    assert!(shown.contains("config: built-in defaults"), "{shown}");
    assert!(shown.contains("data:   /srv/signalos"), "{shown}");
    assert!(shown.contains("logs:   /srv/signalos/logs"), "{shown}");
}

fn journal_story(home: &Path, data: &Path, seq: &str) -> Output {
    signalos(home)
        .args(["journal", "story", seq, "--data-dir"])
        .arg(data)
        .output()
        .unwrap()
}

/// `run --headless` with a fast demo and a followed file; stopped with SIGTERM. Every message
/// received is in the journal, in order, each with its decision.
#[test]
fn a_headless_run_journals_every_message_in_order() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let inbox = home.path().join("inbox.jsonl");
    std::fs::write(
        &inbox,
        "{\"chat\":\"vip\",\"id\":1,\"text\":\"Good morning traders\"}\nnot json at all\n",
    )
    .unwrap();
    // Debug lines, so that every decision and every broker answer is seen in the log.
    let config = write(
        home.path(),
        "c.toml",
        "[log]\nlevel = \"signalos=debug\"\n\n[broker]\ntick_ms = 50\n\n[[sources]]\nkind = \"demo\"\nname = \"demo\"\nchat = \"demo chat\"\ninterval_secs = 0.2\nseed = 5\n\n[[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"inbox.jsonl\"\npoll_ms = 50\n",
    );
    let stderr = home.path().join("stderr.log");
    let mut child = signalos(home.path())
        .args(["run", "--headless", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    // Once the file has been read (its bad line reported), a line appended while running is
    // picked up: an open without a stop loss, refused, in the log with its chat.
    wait::file_until(&stderr, "the inbox read", |log| {
        log.contains("inbox.jsonl:2: line skipped")
    });
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&inbox)
        .unwrap();
    std::io::Write::write_all(
        &mut f,
        b"{\"chat\":\"vip\",\"id\":2,\"text\":\"XAUUSD BUY NOW TP 9999\"}\n",
    )
    .unwrap();
    wait::file_until(
        &stderr,
        "the appended message decided, ten signals, a broker answer",
        |log| {
            // The appended message may first wait for the broker's handshake; it counts once
            // decided, not when it is queued.
            let vip_decided = log.lines().any(|l| {
                l.contains("chat=vip")
                    && ["executing:", "refused:", "ignored:"]
                        .iter()
                        .any(|w| l.contains(w))
            });
            vip_decided && decided(log) >= 10 && log.contains("done: #")
        },
    );

    // While it runs, the journal is locked, and the error says by whom and where.
    let locked = journal(home.path(), &data, "signals");
    assert!(!locked.status.success());
    let err = text(&locked.stderr);
    assert!(
        err.contains("in use") && err.contains(&data.display().to_string()),
        "{err}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut stopped = None;
    wait::until("signalos to stop on SIGTERM", || {
        stopped = child.try_wait().unwrap();
        stopped.is_some()
    });
    let status = stopped.unwrap();
    let out = child.wait_with_output().unwrap();
    let log = std::fs::read_to_string(&stderr).unwrap();
    assert!(status.success(), "exit {status:?}: {log}");
    assert!(
        log.contains("SIGTERM"),
        "headless logs go to stderr too: {log}"
    );
    assert!(
        log.contains("inbox.jsonl:2: line skipped"),
        "the malformed line is reported: {log}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout");
    // Stopping stops the sources first: nothing is traded once it has begun.
    let after_term = &log[log.find("SIGTERM: stopping").unwrap()..];
    assert!(
        !after_term.contains("executing:"),
        "an order after SIGTERM: {after_term}"
    );

    let signals = json_lines(&journal(home.path(), &data, "signals"));
    assert!(signals.len() >= 10, "only {} signals", signals.len());
    // A signal that waited for the broker has its decision in the later decisions; one still
    // waiting when the run stopped is journaled as such and was never traded.
    let later: std::collections::HashMap<u64, String> =
        json_lines(&journal(home.path(), &data, "decisions"))
            .iter()
            .map(|d| {
                let decision = d["decision"]["decision"].as_str().unwrap().to_string();
                (d["signal"].as_u64().unwrap(), decision)
            })
            .collect();
    for (i, s) in signals.iter().enumerate() {
        assert_eq!(s["seq"], i as u64 + 1, "consecutive seqs");
        let first = s["decision"]["decision"].as_str().unwrap();
        let seq = s["seq"].as_u64().unwrap();
        let decision = match first {
            "waiting" => later.get(&seq).map_or("waiting", String::as_str),
            _ => first,
        };
        assert!(
            ["executed", "refused", "ignored", "unread", "waiting"].contains(&decision),
            "{s}"
        );
        if s["chat"] == "vip" && s["msg_id"] == 2 {
            assert_ne!(decision, "waiting", "the appended message was decided: {s}");
        }
    }
    let from_file: Vec<i64> = signals
        .iter()
        .filter(|s| s["source"] == "inbox")
        .map(|s| s["msg_id"].as_i64().unwrap())
        .collect();
    assert_eq!(from_file, vec![1, 2]);
    assert!(
        signals
            .iter()
            .any(|s| s["decision"]["decision"] == "executed"),
        "the demo's opens are executed"
    );
    let orders = json_lines(&journal(home.path(), &data, "orders"));
    assert!(orders.iter().any(|o| o["kind"] == "intent"));
    assert!(orders.iter().any(|o| o["kind"] == "outcome"));

    // One signal's story; a signal that is not there is named.
    let story = json_lines(&journal_story(home.path(), &data, "1"));
    assert_eq!(story[0]["step"], "message");
    assert_eq!(story[0]["text"], "Good morning traders");
    let missing = journal_story(home.path(), &data, "99999");
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("no signal #99999"),
        "{missing:?}"
    );

    // --since starts where asked.
    let tail = signalos(home.path())
        .args(["journal", "signals", "--since", "3", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(json_lines(&tail)[0]["seq"], 3);
}

#[test]
fn journal_without_a_journal_says_so() {
    let home = tempfile::tempdir().unwrap();
    let out = journal(home.path(), &home.path().join("empty"), "audit");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no journal"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unreadable_journal_names_the_data_dir() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // A file where the database's folder should be.
    std::fs::write(data.join("journal"), "not a database").unwrap();
    let out = signalos(home.path())
        .args(["run", "--headless", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&data.display().to_string()), "{err}");
    assert!(err.contains("cannot open the journal"), "{err}");
}

#[test]
fn parse_reads_json_lines_with_the_configured_aliases() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        "c.toml",
        "[parser.aliases]\nYELLOWMETAL = \"XAUUSD\"\n",
    );
    let mut child = signalos(home.path())
        .args(["parse", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input = "{\"id\": 1, \"text\": \"YELLOWMETAL BUY NOW SL 4140 TP 4160\"}\n{oops\n{\"id\": 3, \"text\": \"close half\"}\n";
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["symbol"], "XAUUSD", "{}", lines[0]);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], 3);
    assert_eq!(lines[2]["fraction"], 0.5);
}

#[test]
fn parse_text_explains_the_reading() {
    let home = tempfile::tempdir().unwrap();
    let out = signalos(home.path())
        .args(["parse", "--text", "GOLD SELL 4150-4153\nSL 4160\nTP 4140"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let shown = text(&out.stdout);
    assert!(shown.contains("symbol:     XAUUSD"), "{shown}");
    assert!(shown.contains("entry:      4150 – 4153"), "{shown}");
    assert!(shown.contains("GOLD"), "the trace names the alias: {shown}");
}

#[test]
fn parse_reads_with_the_configured_words_and_a_profiles_for_its_source() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        "c.toml",
        "[parser.words]\nsl = [\"stopka\"]\n\n[[profiles]]\nname = \"pl\"\nsources = [\"pl\"]\nparser = { words = { buy = [\"pompujemy\"] } }\n",
    );
    let read = |extra: &[&str]| {
        let out = signalos(home.path())
            .args(["parse", "--config"])
            .arg(&config)
            .args(extra)
            .args(["--text", "EURUSD pompujemy stopka 1.0800 TP 1.0900"])
            .output()
            .unwrap();
        assert!(out.status.success());
        text(&out.stdout)
    };
    let global = read(&[]);
    assert!(global.contains("kind:       none"), "{global}");
    let pl = read(&["--source", "pl"]);
    assert!(pl.contains("kind:       open"), "{pl}");
    assert!(pl.contains("side: word pompujemy (Words)"), "{pl}");
    assert!(
        pl.contains("sl:         1.08"),
        "the global words too: {pl}"
    );
}

/// A small labelled file: one exact open, one promo read as an open, one bad line.
const LABELLED: &str = concat!(
    "{\"id\": \"ok\", \"text\": \"XAUUSD BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"open\", \"symbol\": \"XAUUSD\", \"sl\": 4140}}\n",
    "not json\n",
    "{\"id\": \"promo\", \"text\": \"GOLD BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"none\"}}\n",
);

#[test]
fn parse_score_reports_exact_readings_false_opens_and_bad_lines_and_exits_0() {
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "labelled.jsonl", LABELLED);
    let out = signalos(home.path())
        .args(["parse", "--score"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let name = file.display().to_string();
    assert!(shown.starts_with(&format!("{name}\n")), "{shown}");
    assert!(shown.contains("  messages         2\n"), "{shown}");
    assert!(shown.contains("  exact            1  50.0 %\n"), "{shown}");
    assert!(shown.contains("  false opens      1  (promo)\n"), "{shown}");
    assert!(
        shown.contains("promo (line 3, none read as open)"),
        "{shown}"
    );
    assert!(shown.contains(&format!("{name}:2: not JSON")), "{shown}");
}

#[test]
fn parse_score_json_gives_one_object_per_file() {
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "labelled.jsonl", LABELLED);
    let other = write(home.path(), "empty.jsonl", "");
    let out = signalos(home.path())
        .args(["parse", "--json", "--score"])
        .arg(&file)
        .arg(&other)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["messages"], 2);
    assert_eq!(lines[0]["false_opens"], serde_json::json!(["promo"]));
    assert_eq!(lines[0]["bad_lines"][0]["line"], 2);
    assert_eq!(lines[1]["messages"], 0);
    assert_eq!(lines[1]["exact_percent"], serde_json::Value::Null);
}

#[test]
fn parse_score_names_a_file_it_cannot_read_and_scores_the_others() {
    let home = tempfile::tempdir().unwrap();
    let file = write(home.path(), "labelled.jsonl", LABELLED);
    let missing = home.path().join("missing.jsonl");
    let out = signalos(home.path())
        .args(["parse", "--score"])
        .arg(&missing)
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(text(&out.stdout).contains("  false opens      1"));
}

#[test]
fn parse_score_measures_the_built_in_aliases_unless_a_config_is_given() {
    let home = tempfile::tempdir().unwrap();
    let config = write(
        home.path(),
        "c.toml",
        "[parser.aliases]\nYELLOWMETAL = \"XAUUSD\"\n",
    );
    let file = write(
        home.path(),
        "labelled.jsonl",
        "{\"id\": 1, \"text\": \"YELLOWMETAL BUY NOW SL 4140 TP 4160\", \"expect\": {\"kind\": \"open\", \"symbol\": \"XAUUSD\"}}\n",
    );
    let exact = |with_config: bool| {
        let mut cmd = signalos(home.path());
        cmd.env("SIGNALOS_CONFIG", &config)
            .args(["parse", "--json", "--score"])
            .arg(&file);
        if with_config {
            cmd.arg("--config").arg(&config);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        json_lines(&out)[0]["exact"].clone()
    };
    assert_eq!(exact(true), 1);
    assert_eq!(exact(false), 0, "the config of the environment is not used");
}

/// `signalos journal signals | head -1`: the reader stops early, and that is no error.
#[test]
fn a_journal_read_into_a_reader_that_stops_early_is_no_error() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    {
        let mut j = signalos::store::Journal::open(&data).unwrap();
        for id in 1..=5_000 {
            let record = signalos::model::SignalRecord {
                seq: j.next_signal_seq(),
                received_at: 0,
                sent_at: None,
                source: "test".into(),
                chat: "vip".into(),
                msg_id: id,
                edit: 0,
                edited_at: None,
                reply_to: None,
                text: "good morning, traders: a long day ahead of us".into(),
                parsed: Default::default(),
                linked: None,
                decision: signalos::model::Decision::Ignored {
                    reason: "chatter".into(),
                },
            };
            j.append_signal(&record).unwrap();
        }
        j.flush_blocking().unwrap();
    }
    let mut child = signalos(home.path())
        .args(["journal", "signals", "--data-dir"])
        .arg(&data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("Broken pipe"),
        "{}",
        text(&out.stderr)
    );
}
