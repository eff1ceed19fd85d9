//! Configuration layering and its errors, against real files in a temp dir.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use signalos::config::{self, BUILTIN_LABEL, Problems, SourceConfig};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn problems(file: Option<&std::path::Path>, env: &[(&str, &str)]) -> Problems {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    config::load(file, &env).expect_err("the configuration should be refused")
}

#[test]
fn builtin_defaults_load_with_a_demo_source() {
    let loaded = config::load(None, &[]).unwrap();
    assert_eq!(loaded.config.ui.max_fps, 20);
    assert!(matches!(
        loaded.config.sources.as_slice(),
        [SourceConfig::Demo(_)]
    ));
    assert!(loaded.file.is_none());
}

#[test]
fn user_file_overlays_only_the_keys_it_sets() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[ui]\nmax_fps = 5\n\n[risk]\nlots = 0.3\n");
    let loaded = config::load(Some(&path), &[]).unwrap();
    assert_eq!(loaded.config.ui.max_fps, 5);
    assert_eq!(loaded.config.ui.keymap, "default");
    assert_eq!(loaded.config.risk.lots, 0.3);
    assert_eq!(loaded.config.risk.max_legs, 3);
    assert_eq!(loaded.base_dir, dir.path());
}

#[test]
fn sources_in_the_user_file_replace_the_default_list() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"in.jsonl\"\npoll_ms = 100\n",
    );
    let loaded = config::load(Some(&path), &[]).unwrap();
    match loaded.config.sources.as_slice() {
        [SourceConfig::File(f)] => assert_eq!(loaded.resolve(&f.path), dir.path().join("in.jsonl")),
        other => panic!("expected one file source, got {other:?}"),
    }
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "# mine\n[ui]\nmax_fps = 5\nfps_max = 9\n");
    let p = problems(Some(&path), &[]);
    assert_eq!(p.0.len(), 1, "{p}");
    assert_eq!(p.0[0].file, path.display().to_string());
    assert_eq!(p.0[0].line, 4);
    assert_eq!(p.0[0].key, "ui.fps_max");
    assert!(p.0[0].expected.contains("no such key"), "{p}");
}

#[test]
fn wrong_type_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[risk]\n\nlots = \"lots\"\n");
    let p = problems(Some(&path), &[]);
    assert_eq!(p.0.len(), 1, "{p}");
    assert_eq!((p.0[0].line, p.0[0].key.as_str()), (3, "risk.lots"), "{p}");
    let shown = p.to_string();
    assert!(
        shown.starts_with(&format!("{}:3: risk.lots: ", path.display())),
        "{shown}"
    );
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[risk]\nlots = true\n\n[ui]\ncolour = \"red\"\n\n[broker]\nleverage = 0\n\n[nonsense]\nx = 1\n\n[[sources]]\nkind = \"carrier-pigeon\"\nname = \"p\"\n";
    let path = write(&dir, "c.toml", text);
    let p = problems(Some(&path), &[]);
    let keys: Vec<&str> = p.0.iter().map(|x| x.key.as_str()).collect();
    for expected in ["risk.lots", "ui.colour", "nonsense", "sources[0].kind"] {
        assert!(keys.contains(&expected), "{expected} missing from:\n{p}");
    }
    let lines: Vec<usize> = p.0.iter().map(|x| x.line).collect();
    assert!(
        lines.contains(&2) && lines.contains(&5) && lines.contains(&10),
        "{p}"
    );
}

#[test]
fn senseless_values_are_refused_after_types_check_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[broker]\nleverage = 0\n[ui]\nmax_fps = 0\n",
    );
    let p = problems(Some(&path), &[]);
    let found: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    assert!(found.contains(&(2, "broker.leverage")), "{p}");
    assert!(found.contains(&(4, "ui.max_fps")), "{p}");
}

#[test]
fn syntax_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[ui]\nmax_fps = = 3\n");
    let p = problems(Some(&path), &[]);
    assert_eq!(p.0[0].line, 2, "{p}");
    assert_eq!(p.0[0].file, path.display().to_string());
}

#[test]
fn a_missing_file_is_named() {
    let p = problems(
        Some(std::path::Path::new("/nonexistent/signalos.toml")),
        &[],
    );
    assert!(p.to_string().contains("/nonexistent/signalos.toml"), "{p}");
}

#[test]
fn environment_overrides_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[ui]\nmax_fps = 5\ntheme = \"default\"\n");
    let env = vec![
        ("SIGNALOS_UI_MAX_FPS".to_string(), "7".to_string()),
        ("SIGNALOS_DATA_DIR".to_string(), "/tmp/x y".to_string()),
    ];
    let loaded = config::load(Some(&path), &env).unwrap();
    assert_eq!(loaded.config.ui.max_fps, 7);
    assert_eq!(loaded.config.data.dir, PathBuf::from("/tmp/x y"));
}

#[test]
fn bad_environment_values_are_named() {
    let p = problems(
        None,
        &[("SIGNALOS_UI_MAX_FPS", "fast"), ("SIGNALOS_UI_NOPE", "1")],
    );
    let shown = p.to_string();
    assert!(shown.contains("environment SIGNALOS_UI_MAX_FPS"), "{shown}");
    assert!(shown.contains("environment SIGNALOS_UI_NOPE"), "{shown}");
}

#[test]
fn the_builtin_label_is_used_for_defaults() {
    // An mt5 terminal needs a secret, and none was set anywhere: the empty one at fault is the
    // built-in default, on its line of config.toml.
    let p = problems(None, &[("SIGNALOS_BROKER_KIND", "mt5")]);
    let secret =
        p.0.iter()
            .find(|x| x.key == "broker.secret")
            .unwrap_or_else(|| panic!("no broker.secret problem in:\n{p}"));
    assert_eq!(secret.file, BUILTIN_LABEL, "{p}");
    let line = config::BUILTIN
        .lines()
        .position(|l| l.starts_with("secret = "))
        .unwrap()
        + 1;
    assert_eq!(secret.line, line, "{p}");
}

/// The problem with `log.level = level` in a file, if any.
fn log_level_problem(level: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", &format!("\n[log]\nlevel = {level:?}\n"));
    match config::load(Some(&path), &[]) {
        Ok(_) => None,
        Err(p) => {
            assert_eq!(p.0.len(), 1, "{p}");
            assert_eq!((p.0[0].line, p.0[0].key.as_str()), (3, "log.level"), "{p}");
            Some(p.0[0].expected.clone())
        }
    }
}

#[test]
fn a_log_level_that_would_log_nothing_of_signalos_is_refused() {
    // A tracing filter reads a bare word as a target: each of these is a valid filter that
    // would silence SignalOS.
    for level in [
        "inf",
        "warning",
        "Info ,debgu",
        "signalos",
        "hyper=debug",
        "",
    ] {
        let why = log_level_problem(level).unwrap_or_else(|| panic!("{level:?} was accepted"));
        assert!(
            why.contains("trace, debug, info, warn, error, off") || why.contains("no level"),
            "{level:?}: {why}"
        );
    }
    assert!(log_level_problem("warning").unwrap().contains("\"warn\""));
    assert!(
        log_level_problem("signalos=inf")
            .unwrap()
            .contains("\"inf\"")
    );
    for level in [
        "info",
        "WARN",
        "off",
        "signalos=debug",
        "signalos::engine=debug,info",
        "debug,hyper=warn",
    ] {
        assert_eq!(log_level_problem(level), None, "{level:?}");
    }
}

#[test]
fn only_a_regular_file_of_at_most_1_mib_is_read_as_a_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(
        &dir,
        "big.toml",
        &format!("# {}\n", "x".repeat(config::MAX_FILE_BYTES as usize)),
    );
    let not_utf8 = dir.path().join("latin1.toml");
    std::fs::write(&not_utf8, b"# caf\xe9\n").unwrap();
    let cases = [
        (big, "at most 1048576 bytes"),
        (not_utf8, "UTF-8"),
        (dir.path().to_path_buf(), "a directory"),
        (PathBuf::from("/dev/zero"), "a device"),
    ];
    for (path, why) in cases {
        let p = problems(Some(&path), &[]);
        assert_eq!(p.0.len(), 1, "{p}");
        assert_eq!(p.0[0].file, path.display().to_string(), "{p}");
        assert_eq!(p.0[0].key, "(file)", "{p}");
        assert!(p.0[0].expected.contains(why), "{why} not in {p}");
    }
}

#[test]
fn a_duplicate_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[ui]\nmax_fps = 5\n\n[risk] # sizing\nlots = 0.1\nlots = 0.2\n",
    );
    let p = problems(Some(&path), &[]);
    assert_eq!(p.0.len(), 1, "{p}");
    assert_eq!((p.0[0].line, p.0[0].key.as_str()), (6, "risk.lots"), "{p}");
    assert!(p.0[0].expected.contains("duplicate key"), "{p}");
}

#[test]
fn a_line_with_no_key_is_named_by_its_line_not_an_empty_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[ui]\nmax_fps = 5\n.= 6\n");
    let p = problems(Some(&path), &[]);
    assert!(!p.0.is_empty());
    for problem in &p.0 {
        assert_eq!(problem.line, 3, "{p}");
        assert!(
            !problem.key.is_empty() && !problem.key.ends_with('.'),
            "a key with no name: {p}"
        );
    }
}

#[test]
fn a_terminal_listening_beyond_loopback_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let secret = [(
        "SIGNALOS_BROKER_SECRET".to_string(),
        "correct horse battery".to_string(),
    )];
    let path = write(
        &dir,
        "c.toml",
        &format!("[broker]\nkind = \"mt5\"\n\nlisten = \"0.0.0.0:7710\"\n{INBOX}"),
    );
    let loaded = config::load(Some(&path), &secret).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("{:?}", loaded.warnings);
    };
    assert_eq!(
        (warning.file.as_str(), warning.line, warning.key.as_str()),
        (path.display().to_string().as_str(), 4, "broker.listen")
    );
    assert!(
        warning.expected.contains("reachable from the network")
            && warning
                .expected
                .contains("broker.secret is its only protection"),
        "{warning}"
    );
    // Without a secret it is an error, as for any terminal.
    let p = problems(Some(&path), &[]);
    assert!(p.0.iter().any(|x| x.key == "broker.secret"), "{p}");
    // Loopback, or the simulator (which listens on a loopback port of its own): nothing to say.
    for text in [
        format!("[broker]\nkind = \"mt5\"\nlisten = \"127.0.0.1:7710\"\n{INBOX}"),
        format!("[broker]\nkind = \"mt5\"\nlisten = \"[::1]:7710\"\n{INBOX}"),
        "[broker]\nlisten = \"0.0.0.0:7710\"\n".to_string(),
    ] {
        let path = write(&dir, "d.toml", &text);
        let loaded = config::load(Some(&path), &secret).unwrap();
        assert!(loaded.warnings.is_empty(), "{text}: {:?}", loaded.warnings);
    }
}

#[test]
fn parser_aliases_merge_over_the_empty_default_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[parser.aliases]\nGOLDSPOT = \"XAUUSD\"\n");
    let loaded = config::load(Some(&path), &[]).unwrap();
    assert_eq!(loaded.config.parser.aliases["GOLDSPOT"], "XAUUSD");
    let path = write(
        &dir,
        "d.toml",
        "[parser]\naliases = { GOLDSPOT = \"XAU USD\" }\n",
    );
    let p = problems(Some(&path), &[]);
    assert_eq!(
        (p.0[0].line, p.0[0].key.as_str()),
        (2, "parser.aliases.GOLDSPOT"),
        "{p}"
    );
}

#[test]
fn a_terminal_needs_a_secret_and_it_may_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[broker]\nkind = \"mt5\"\nlisten = \"localhost-ish\"\n",
    );
    let p = problems(Some(&path), &[]);
    let found: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    assert!(found.contains(&(3, "broker.listen")), "{p}");
    let secret =
        p.0.iter()
            .find(|x| x.key == "broker.secret")
            .expect("no secret");
    assert!(secret.expected.contains("SIGNALOS_BROKER_SECRET"), "{p}");

    let path = write(
        &dir,
        "d.toml",
        &format!("[broker]\nkind = \"mt5\"\n{INBOX}"),
    );
    let env = [(
        "SIGNALOS_BROKER_SECRET".to_string(),
        "correct horse battery".to_string(),
    )];
    let loaded = signalos::config::load(Some(&path), &env).unwrap();
    assert_eq!(loaded.config.broker.secret.0, "correct horse battery");
    // The secret never shows in a debug print of the configuration.
    assert!(!format!("{:?}", loaded.config).contains("horse"));
}

/// A source of one's own, as a terminal needs (the demo never trades one).
const INBOX: &str =
    "\n[[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"in.jsonl\"\npoll_ms = 250\n";

#[test]
fn the_demo_feed_never_trades_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let env = [(
        "SIGNALOS_BROKER_SECRET".to_string(),
        "correct horse battery".to_string(),
    )];
    // A terminal and no sources of one's own: the built-in demo would copy its made-up signals
    // into the MT5 account.
    let path = write(&dir, "c.toml", "[broker]\nkind = \"mt5\"\n");
    let p = problems(
        Some(&path),
        &[("SIGNALOS_BROKER_SECRET", "correct horse battery")],
    );
    let demo =
        p.0.iter()
            .find(|x| x.key == "sources[0].kind")
            .unwrap_or_else(|| panic!("the demo on a terminal must be refused: {p}"));
    assert!(demo.expected.contains("demo"), "{p}");
    // The simulator with the demo is the built-in default, and fine.
    let path = write(&dir, "d.toml", "[broker]\nkind = \"simulator\"\n");
    assert!(signalos::config::load(Some(&path), &env).is_ok());
}

#[test]
fn a_secret_written_in_a_file_is_warned_of_and_a_file_source_polls_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        &format!("[broker]\nkind = \"mt5\"\nsecret = \"correct horse battery\"\n{INBOX}"),
    );
    let loaded = config::load(Some(&path), &[]).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("{:?}", loaded.warnings);
    };
    assert_eq!((warning.line, warning.key.as_str()), (3, "broker.secret"));
    assert!(
        warning.expected.contains("SIGNALOS_BROKER_SECRET"),
        "{warning}"
    );
    // From the environment: nothing to say.
    let path = write(
        &dir,
        "d.toml",
        "[broker]\nkind = \"mt5\"\n\n[[sources]]\nkind = \"file\"\nname = \"inbox\"\npath = \"in.jsonl\"\n",
    );
    let env = [(
        "SIGNALOS_BROKER_SECRET".to_string(),
        "correct horse battery".to_string(),
    )];
    let loaded = config::load(Some(&path), &env).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    match &loaded.config.sources[0] {
        signalos::config::SourceConfig::File(f) => assert_eq!(f.poll_ms, 250),
        other => panic!("{other:?}"),
    }
}

#[test]
fn risk_and_guard_values_that_make_no_sense_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[risk]\nlots = 0\n\n[guards]\ntrading_days = [\"funday\"]\ntrading_hours = [\"9-5\"]\n",
    );
    let p = problems(Some(&path), &[]);
    let found: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    assert!(found.contains(&(2, "risk.lots")), "{p}");
    assert!(found.contains(&(5, "guards.trading_days")), "{p}");
    assert!(found.contains(&(6, "guards.trading_hours")), "{p}");
}

#[test]
fn profiles_lay_their_keys_over_the_global_rules_and_may_only_tighten_them() {
    let dir = tempfile::tempdir().unwrap();
    let good = "[risk]\nlots = 0.3\n\n[[profiles]]\nname = \"small\"\nchats = [\"vip\"]\nrisk = { lots = 0.06 }\nguards = { block_symbols = [\"BTCUSD\"] }\n";
    let path = write(&dir, "good.toml", good);
    let loaded = config::load(Some(&path), &[]).unwrap();
    let profile = &loaded.config.profiles[0];
    assert_eq!(profile.name, "small");
    assert_eq!(profile.risk.lots, 0.06);
    // What the profile does not set comes from the global sections.
    assert_eq!(profile.risk.max_legs, loaded.config.risk.max_legs);
    assert!(profile.applies_to("any source", "vip"));
    assert!(!profile.applies_to("any source", "other"));

    let loose = format!(
        "{good}\n[[profiles]]\nname = \"greedy\"\nrisk = {{ lots = 1.0 }}\nguards = {{ max_level_distance_percent = 0 }}\n"
    );
    let path = write(&dir, "loose.toml", &loose);
    let p = problems(Some(&path), &[]);
    let keys: Vec<&str> = p.0.iter().map(|x| x.key.as_str()).collect();
    assert!(keys.contains(&"profiles[1].risk.lots"), "{p}");
    assert!(
        keys.contains(&"profiles[1].guards.max_level_distance_percent"),
        "turning a limit off loosens it: {p}"
    );
    assert!(p.to_string().contains("never loosen"), "{p}");
    let unknown = write(
        &dir,
        "unknown.toml",
        "[[profiles]]\nname = \"x\"\nrisky = 1\n",
    );
    let p = problems(Some(&unknown), &[]);
    assert_eq!(p.0[0].key, "profiles[0].risky", "{p}");
}

/// A token of the shape @BotFather gives (not a real one).
const TOKEN: &str = "123456789:AAEfakefakefakefakefakefakefakefake0";

fn telegram_source(chats: &str) -> String {
    format!("[[sources]]\nkind = \"telegram\"\nname = \"gold\"\nchats = {chats}\n")
}

#[test]
fn a_telegram_source_loads_with_chats_by_username_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        &telegram_source("[\"@goldvip\", -1001234567890]"),
    );
    let token = [("SIGNALOS_TELEGRAM_TOKEN".to_string(), TOKEN.to_string())];
    let loaded = config::load(Some(&path), &token).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    match loaded.config.sources.as_slice() {
        [SourceConfig::Telegram(t)] => {
            let chats: Vec<String> = t.chats.iter().map(ToString::to_string).collect();
            assert_eq!(chats, ["@goldvip", "-1001234567890"]);
        }
        other => panic!("expected one telegram source, got {other:?}"),
    }
    assert_eq!(loaded.config.telegram.token.0, TOKEN);
    // Never shown by Debug, so never logged by accident.
    assert!(!format!("{:?}", loaded.config).contains("AAEfake"));
}

#[test]
fn telegram_settings_that_cannot_work_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // A telegram source without a token.
    let path = write(&dir, "a.toml", &telegram_source("[\"@goldvip\"]"));
    let p = problems(Some(&path), &[]);
    let [only] = p.0.as_slice() else {
        panic!("{p}")
    };
    assert_eq!(only.key, "telegram.token", "{p}");
    assert!(only.expected.contains("@BotFather"), "{p}");
    let token = [("SIGNALOS_TELEGRAM_TOKEN", TOKEN)];
    for (chats, expected) in [
        ("[]", "the chats to read"),
        ("[\"goldvip\"]", "\"@username\" or a numeric chat id"),
        ("[\"https://t.me/goldvip\"]", "write \"@goldvip\""),
        ("[\"-100123\"]", "without quotes"),
        ("[\"@gv\"]", "4 to 32 letters"),
        ("[1001234567890]", "which is negative"),
        ("[\"@goldvip\", \"@GoldVIP\"]", "listed twice"),
        ("[1.5]", "sources[0]"),
    ] {
        let path = write(&dir, "b.toml", &telegram_source(chats));
        let p = problems(Some(&path), &token);
        assert!(
            p.0.iter().any(|x| x.to_string().contains(expected)),
            "{chats}: {p}"
        );
    }
    // One chat read by two sources: whose would its messages be?
    let two = format!(
        "{}[[sources]]\nkind = \"telegram\"\nname = \"copy\"\nchats = [\"@GoldVIP\"]\n",
        telegram_source("[\"@goldvip\"]")
    );
    let path = write(&dir, "c.toml", &two);
    let p = problems(Some(&path), &token);
    assert!(
        p.0.iter()
            .any(|x| x.key == "sources[1].chats" && x.expected.contains("sources[0] too")),
        "{p}"
    );
    for (text, key) in [
        (
            "[telegram]\napi_url = \"api.telegram.org\"\n",
            "telegram.api_url",
        ),
        (
            "[telegram]\npoll_timeout_secs = 60\n",
            "telegram.poll_timeout_secs",
        ),
        ("[telegram]\ntoken = \"not a token\"\n", "telegram.token"),
        (
            "[telegram]\nnotify = [\"fills\", \"gossip\"]\n",
            "telegram.notify",
        ),
        ("[telegram]\noperators = [123]\n", "telegram.token"),
        ("[telegram]\noperators = [-100123]\n", "telegram.operators"),
    ] {
        let path = write(&dir, "d.toml", text);
        let p = problems(Some(&path), &[]);
        assert!(p.0.iter().any(|x| x.key.starts_with(key)), "{text}: {p}");
        // A problem about the token never shows it.
        assert!(!p.to_string().contains("not a token"), "{p}");
    }
    for (token, hint) in [
        (format!("{TOKEN}\n"), "line break"),
        (format!("bot{TOKEN}"), "without the \"bot\""),
    ] {
        let p = problems(None, &[("SIGNALOS_TELEGRAM_TOKEN", &token)]);
        assert!(
            p.0.iter()
                .any(|x| x.key == "telegram.token" && x.expected.contains(hint)),
            "{p}"
        );
    }
}

#[test]
fn a_telegram_token_written_in_a_file_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        &format!(
            "[telegram]\ntoken = \"{TOKEN}\"\n\n{}",
            telegram_source("[-100123]")
        ),
    );
    let loaded = config::load(Some(&path), &[]).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("{:?}", loaded.warnings);
    };
    assert_eq!((warning.line, warning.key.as_str()), (2, "telegram.token"));
    assert!(
        warning.expected.contains("SIGNALOS_TELEGRAM_TOKEN"),
        "{warning}"
    );
    assert!(!warning.to_string().contains(TOKEN), "{warning}");
}

#[test]
fn the_secrets_of_a_run_are_not_needed_to_read_the_journal_or_parse() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        &format!(
            "[broker]\nkind = \"mt5\"\n\n{}",
            telegram_source("[\"@goldvip\"]")
        ),
    );
    let loaded = config::load_without_secrets(Some(&path), &[]).unwrap();
    assert_eq!(loaded.config.sources.len(), 1);
    // A run needs both, and says so.
    let p = problems(Some(&path), &[]);
    let keys: Vec<&str> = p.0.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["broker.secret", "telegram.token"], "{p}");
    // A secret given but too short is wrong whoever reads it.
    let short = [("SIGNALOS_BROKER_SECRET".to_string(), "short".to_string())];
    let p = config::load_without_secrets(Some(&path), &short).unwrap_err();
    assert!(p.0.iter().any(|x| x.key == "broker.secret"), "{p}");
}

const RELAY_OPERATOR: &str = "operator-token-0123456789";
const RELAY_VIEWER: &str = "viewer-token-0123456789";

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A tokens file with `text`, readable by its owner only (`mode` otherwise).
fn tokens_file(dir: &tempfile::TempDir, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = write(dir, "tokens", text);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn relay_tokens_come_from_the_environment_and_a_token_in_a_file_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "c.toml", "[relay]\nenabled = true\n");
    let loaded = config::load(
        Some(&path),
        &env(&[
            ("SIGNALOS_RELAY_OPERATOR_TOKEN", RELAY_OPERATOR),
            ("SIGNALOS_RELAY_VIEWER_TOKEN", RELAY_VIEWER),
        ]),
    )
    .unwrap();
    assert_eq!(loaded.config.relay.operator_token.0, RELAY_OPERATOR);
    assert_eq!(loaded.config.relay.viewer_token.0, RELAY_VIEWER);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    let path = write(
        &dir,
        "d.toml",
        &format!("[relay]\nenabled = true\noperator_token = \"{RELAY_OPERATOR}\"\n"),
    );
    let loaded = config::load(Some(&path), &[]).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("{:?}", loaded.warnings);
    };
    assert_eq!(
        (warning.line, warning.key.as_str()),
        (3, "relay.operator_token")
    );
    assert!(
        warning.expected.contains("SIGNALOS_RELAY_OPERATOR_TOKEN"),
        "{warning}"
    );
    assert!(!warning.to_string().contains(RELAY_OPERATOR), "{warning}");
}

#[test]
fn relay_values_that_cannot_work_are_named() {
    let dir = tempfile::tempdir().unwrap();
    for (text, key, hint) in [
        ("listen = \"localhost\"", "relay.listen", "address and port"),
        (
            "operator_token = \"short\"",
            "relay.operator_token",
            "at least 16",
        ),
        (
            "viewer_token = \"has spaces in it 0123456789\"",
            "relay.viewer_token",
            "HTTP header",
        ),
        (
            "operator_token = \"same-token-0123456789\"\nviewer_token = \"same-token-0123456789\"",
            "relay.viewer_token",
            "other than operator_token",
        ),
        ("queue = 8", "relay.queue", "at least 16"),
        (
            "idle_timeout_secs = 0",
            "relay.idle_timeout_secs",
            "at least 1",
        ),
        ("max_connections = 0", "relay.max_connections", "at least 1"),
        (
            "allowed_origins = [\"https://desk.example.com/app\"]",
            "relay.allowed_origins",
            "without a path",
        ),
        ("tls_cert = \"cert.pem\"", "relay.tls_cert", "both"),
        ("tls_key = \"key.pem\"", "relay.tls_key", "both"),
    ] {
        let path = write(&dir, "c.toml", &format!("[relay]\n{text}\n"));
        let p = problems(Some(&path), &[]);
        let [only] = p.0.as_slice() else {
            panic!("{text}: {p}");
        };
        assert_eq!(only.key, key, "{text}: {p}");
        // The last line written: the one the key is on.
        assert_eq!(only.line, text.lines().count() + 1, "{text}: {p}");
        assert!(only.expected.contains(hint), "{text}: {p}");
    }
    // A missing certificate matters only to a run of an enabled relay.
    let path = write(
        &dir,
        "c.toml",
        "[relay]\ntls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\n",
    );
    config::load(Some(&path), &[]).unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[relay]\nenabled = true\ntls_cert = \"cert.pem\"\ntls_key = \"key.pem\"\n",
    );
    let p = problems(Some(&path), &[]);
    let keys: Vec<&str> = p.0.iter().map(|x| x.key.as_str()).collect();
    assert_eq!(keys, ["relay.tls_cert", "relay.tls_key"], "{p}");
    assert!(p.0[0].expected.contains("cert.pem does not exist"), "{p}");
}

#[test]
fn a_relay_tokens_file_is_checked_line_by_line_and_must_be_private() {
    let dir = tempfile::tempdir().unwrap();
    let good = "# name role token\nalice operator alice-token-0123456789\nbob viewer bob-token-0123456789 # the desk\n\n";
    tokens_file(&dir, good, 0o600);
    let path = write(
        &dir,
        "c.toml",
        "[relay]\nenabled = true\ntokens_file = \"tokens\"\n",
    );
    config::load(Some(&path), &[]).unwrap();

    // Readable by others: refused, naming the file and the fix.
    let tokens = tokens_file(&dir, good, 0o644);
    let p = problems(Some(&path), &[]);
    let [only] = p.0.as_slice() else {
        panic!("{p}")
    };
    assert_eq!(only.file, tokens.display().to_string(), "{p}");
    assert_eq!(only.key, "relay.tokens_file", "{p}");
    assert!(only.expected.contains("chmod 600"), "{p}");

    // Each bad line named by its number, with what was expected there.
    tokens_file(
        &dir,
        "alice operator alice-token-0123456789\nbob boss bob-token-0123456789\ncarol viewer\ndave viewer short\nalice viewer other-token-0123456789\n",
        0o600,
    );
    let p = problems(Some(&path), &[]);
    let lines: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.expected.as_str())).collect();
    assert_eq!(lines.len(), 4, "{p}");
    assert!(
        lines[0].0 == 2 && lines[0].1.contains("operator or viewer"),
        "{p}"
    );
    assert!(
        lines[1].0 == 3 && lines[1].1.contains("NAME ROLE TOKEN"),
        "{p}"
    );
    assert!(lines[2].0 == 4 && lines[2].1.contains("at least 16"), "{p}");
    assert!(lines[3].0 == 5 && lines[3].1.contains("used once"), "{p}");
    assert!(
        p.to_string().contains(&format!("{}:2:", tokens.display())),
        "{p}"
    );

    // A missing file is named.
    std::fs::remove_file(&tokens).unwrap();
    let p = problems(Some(&path), &[]);
    assert!(
        p.0.iter()
            .any(|x| x.key == "relay.tokens_file" && x.expected.contains("readable")),
        "{p}"
    );
}

#[test]
fn a_relay_reachable_from_the_network_without_tls_is_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "c.toml",
        "[relay]\nenabled = true\nlisten = \"0.0.0.0:7720\"\n",
    );
    let loaded = config::load(Some(&path), &[]).unwrap();
    let [warning] = loaded.warnings.as_slice() else {
        panic!("{:?}", loaded.warnings);
    };
    assert_eq!((warning.line, warning.key.as_str()), (3, "relay.listen"));
    assert!(warning.expected.contains("without TLS"), "{warning}");
    // On loopback, or disabled: nothing to say.
    for text in [
        "[relay]\nenabled = true\nlisten = \"127.0.0.1:7720\"\n",
        "[relay]\nlisten = \"0.0.0.0:7720\"\n",
    ] {
        let path = write(&dir, "d.toml", text);
        let loaded = config::load(Some(&path), &[]).unwrap();
        assert!(loaded.warnings.is_empty(), "{text}: {:?}", loaded.warnings);
    }
}

#[test]
fn parser_words_load_globally_and_per_profile() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[parser.words]\nbuy = [\"kupuję\", \"лонгуем\"]\nsl = [\"stopka\"]\nignore = [\"vip\"]\n\n[[profiles]]\nname = \"pl\"\nsources = [\"pl\"]\nparser = { words = { tp = [\"cel\"], not_symbol = [\"gielda\"] } }\n";
    let path = write(&dir, "c.toml", text);
    let loaded = config::load(Some(&path), &[]).unwrap();
    let words = &loaded.config.parser.words;
    assert_eq!(words["buy"], ["kupuję", "лонгуем"]);
    assert_eq!(words["ignore"], ["vip"]);
    let profile = &loaded.config.profiles[0].parser.words;
    assert_eq!(profile["tp"], ["cel"]);
    assert!(
        !profile.contains_key("buy"),
        "a profile keeps its own words only"
    );
    // The shipped file has none.
    assert!(
        config::load(None, &[])
            .unwrap()
            .config
            .parser
            .words
            .is_empty()
    );
}

#[test]
fn parser_words_that_cannot_work_are_named_with_their_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[parser.words]\nbyu = [\"kupuję\"]\nbuy = [\"\"]\nsell = [\"tp1\"]\nsl = [\"!!\"]\ntp = [\"s/l\"]\nclose = [\"kupuj\"]\nignore = [\"Kupuj\"]\n";
    let path = write(&dir, "c.toml", text);
    let p = problems(Some(&path), &[]);
    let found: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    for expected in [
        (2, "parser.words.byu"),
        (3, "parser.words.buy"),
        (4, "parser.words.sell"),
        (5, "parser.words.sl"),
        (6, "parser.words.tp"),
        (8, "parser.words.ignore"),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {p}");
    }
    assert_eq!(found.len(), 6, "{p}");
    let said = p.to_string();
    for why in [
        "one of the meanings buy, sell, entry, sl, tp, close, breakeven, ignore",
        "not an empty string",
        "a word without digits, not \"tp1\"",
        "a word with letters, not \"!!\"",
        "not \"s/l\": messages are read without emojis and signs",
        "\"Kupuj\" under one meaning only: it is also given as close",
    ] {
        assert!(said.contains(why), "{why:?} in {said}");
    }

    let many: Vec<String> = (0..201)
        .map(|i| format!("\"w{}\"", "a".repeat(i)))
        .collect();
    let path = write(
        &dir,
        "many.toml",
        &format!("[parser]\nwords = {{ ignore = [{}] }}\n", many.join(", ")),
    );
    let p = problems(Some(&path), &[]);
    assert_eq!(
        (p.0[0].line, p.0[0].key.as_str()),
        (2, "parser.words.ignore"),
        "{p}"
    );
    assert!(p.0[0].expected.contains("at most 200"), "{p}");
}

#[test]
fn a_profiles_words_are_checked_as_the_global_ones_are() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[[profiles]]\nname = \"pl\"\nsources = [\"pl\"]\n\n[profiles.parser.words]\nbuy = [\"kupuję\"]\nsell = [\"kupuję\"]\nsidewise = [\"x\"]\n";
    let path = write(&dir, "c.toml", text);
    let p = problems(Some(&path), &[]);
    let found: Vec<(usize, &str)> = p.0.iter().map(|x| (x.line, x.key.as_str())).collect();
    assert_eq!(
        found,
        [
            (7, "profiles[0].parser.words.sell"),
            (8, "profiles[0].parser.words.sidewise")
        ],
        "{p}"
    );
    // A word the global table gives another meaning is no clash: the profile's wins.
    let text = "[parser.words]\nsell = [\"kupuję\"]\n\n[[profiles]]\nname = \"pl\"\nparser = { words = { buy = [\"kupuję\"] } }\n";
    let path = write(&dir, "d.toml", text);
    config::load(Some(&path), &[]).unwrap();
    let text = "[[profiles]]\nname = \"pl\"\nparser = { aliases = { GOLDSPOT = \"XAUUSD\" } }\n";
    let path = write(&dir, "e.toml", text);
    let p = problems(Some(&path), &[]);
    assert_eq!(p.0[0].key, "profiles[0].parser.aliases", "{p}");
}
