//! Fuzzing of everything that reads bytes SignalOS does not control: the bridge's framing and
//! message decoder (what the Expert Advisor sends), the file source's line splitter and line
//! decoder, configuration loading (the loader `run` and `check-config` share, and the keymap and
//! theme readers), and the signal parser. Each must answer every input without a panic, hold a
//! bounded amount of memory, and give back what was written where a round trip means something.
//!
//! The default number of cases keeps this file well under 30 s in a debug build on a slow
//! two-core machine. For a longer hunt, give the properties more cases, in release (the
//! properties that push megabytes get a 32nd as many):
//!
//! ```text
//! PROPTEST_CASES=20000 cargo test --release --test fuzz
//! ```
//!
//! A failing case is shrunk and saved in tests/fuzz.proptest-regressions (kept in git), and tried
//! first on every later run.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mutate.rs"]
mod mutate;
#[path = "support/reading.rs"]
mod reading;

use mutate::apply;
use proptest::prelude::*;
use proptest::test_runner::Config;
use reading::check_reading;

use signalos::broker::bridge::wire::{self, Frame, FromEa, FromEngine, LineFramer};
use signalos::config::keymap::Keymap;
use signalos::config::theme::Theme;
use signalos::config::{self, BUILTIN};
use signalos::model::{Parsed, SignalKind};
use signalos::parse::CONFIDENT;
use signalos::sources::file::{self, Chunk, LineSplitter};

/// `default` cases; with PROPTEST_CASES=N, N for a property of the usual 256 and as many more
/// for the others, so that the megabyte ones stay in proportion.
fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| {
            (u64::from(n) * u64::from(default) / 256).max(1) as u32
        });
    Config {
        cases,
        ..Config::default()
    }
}

/// Bytes cut into chunks at the given places (taken modulo the length, in order).
fn chunked<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for cut in at.into_iter().chain([bytes.len()]) {
        out.push(&bytes[from..cut]);
        from = cut;
    }
    out
}

/// Bytes that look like JSON lines some of the time: braces, quotes, newlines, CRs, invalid
/// UTF-8, and anything else.
fn line_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"{\"chat\":\"vip\",\"id\":1,\"text\":\"close half\"}".to_vec()),
        Just(b"{\"type\":\"ping\",\"time\":1}".to_vec()),
        Just(vec![0xff, 0xfe]),
        Just("é€🔥".as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// The frames of `chunks` through one framer.
fn frames(chunks: &[&[u8]]) -> Vec<Frame> {
    let mut framer = LineFramer::default();
    let mut out = Vec::new();
    for chunk in chunks {
        framer.push(chunk, &mut out);
    }
    out
}

/// The chunks of `chunks` through one splitter, checking what it holds after each push.
fn split(chunks: &[&[u8]]) -> Vec<Chunk> {
    let mut splitter = LineSplitter::default();
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(splitter.push(chunk));
        assert!(
            splitter.held() <= file::MAX_LINE,
            "{} bytes held",
            splitter.held()
        );
    }
    out
}

/// A finite price, as a terminal reports one.
fn price() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.00001f64..1_000_000.0,
        Just(0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE)
    ]
}

/// Some of the messages an Expert Advisor sends, with arbitrary text and numbers in them.
fn from_ea() -> impl Strategy<Value = FromEa> {
    prop_oneof![
        (any::<String>(), price(), price(), any::<i64>()).prop_map(|(symbol, bid, ask, time)| {
            FromEa::Tick {
                symbol,
                bid,
                ask,
                time,
            }
        }),
        any::<i64>().prop_map(|time| FromEa::Ping { time }),
        any::<String>().prop_map(|reason| FromEa::Error { reason }),
        prop::collection::vec(any::<String>(), 0..5).prop_map(|names| FromEa::Symbols { names }),
        (any::<u64>(), price(), price(), any::<i64>()).prop_map(|(ticket, price, profit, time)| {
            FromEa::PositionClosed {
                ticket,
                price,
                profit: -profit,
                reason: signalos::broker::CloseReason::StopLoss,
                time,
            }
        }),
    ]
}

/// Whether the engine would act on a reading: an open it finds confident, or any follow-up.
fn executable(p: &Parsed) -> bool {
    match p.kind {
        SignalKind::Open => p.confidence >= CONFIDENT,
        SignalKind::Modify | SignalKind::Close => true,
        SignalKind::None => false,
    }
}

/// A mutation of a text: replace, insert or delete characters at a few places.
fn edit() -> impl Strategy<Value = mutate::Edit> {
    let tricky = prop_oneof![
        Just("=".to_string()),
        Just("\"".to_string()),
        Just("[".to_string()),
        Just("]]".to_string()),
        Just("\n".to_string()),
        Just("[[sources]]\n".to_string()),
        Just("'''".to_string()),
        Just("{".to_string()),
        Just(".".to_string()),
        "[a-z_]{1,10} = [0-9]{1,4}\n",
        any::<String>(),
    ];
    mutate::edit(tricky, 40)
}

/// Load `bytes` as the user's config file the way `run` and `check-config` do, with `env` laid
/// over it; every problem must name a file, and a line that file has.
fn load_bytes(bytes: &[u8], env: &[(String, String)]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, bytes).unwrap();
    if let Err(problems) = config::load(Some(&path), env) {
        assert!(!problems.0.is_empty());
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        for p in &problems.0 {
            if p.file == path.display().to_string() {
                assert!(p.line <= lines, "line {} of {lines}: {p}", p.line);
            } else {
                assert!(
                    p.file == config::BUILTIN_LABEL || p.file.starts_with("environment "),
                    "{p}"
                );
            }
            assert!(!p.key.is_empty() && !p.expected.is_empty(), "{p:?}");
        }
    }
}

/// Lines of a TOML-ish text: tables, keys of every section, values of every type, and junk.
fn tomlish() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "\\[(engine|risk|entries|guards|management|data|log|ui|broker|parser|sources|x)\\]",
        Just("[[sources]]".to_string()),
        Just("[[profiles]]".to_string()),
        Just("[parser.aliases]".to_string()),
        "(kind|name|path|level|dir|max_fps|lots|listen|secret|keymap|theme|poll_ms|chat) = (-?[0-9]{1,6}(\\.[0-9]{1,3})?|\"[^\"\\\\\n]{0,16}\"|true|false|\\[\\]|\\{\\})",
        "[a-z_.]{1,16} ?= ?[^\n]{0,20}",
        "#[^\n]{0,20}",
        any::<String>(),
    ];
    prop::collection::vec(line, 0..30).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(cases(256))]

    // --- the bridge: framing and decoding what the Expert Advisor sends

    #[test]
    fn bridge_frames_do_not_depend_on_how_the_bytes_arrive(
        bytes in line_bytes(),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let whole = frames(&[&bytes]);
        let cut = frames(&chunked(&bytes, &cuts));
        prop_assert_eq!(&whole, &cut);
        for frame in &whole {
            match frame {
                Frame::Line(line) => {
                    prop_assert!(line.len() <= wire::MAX_LINE);
                    // Any line at all is answered, as a message or as why it is none.
                    let _ = wire::decode::<FromEa>(line);
                    let _ = wire::decode::<FromEngine>(line);
                }
                Frame::TooLong(n) => prop_assert!(*n > wire::MAX_LINE),
                Frame::NotUtf8 => {}
            }
        }
    }

    #[test]
    fn any_text_decodes_to_a_message_or_a_reason(line in any::<String>()) {
        if let Err(why) = wire::decode::<FromEa>(&line) {
            prop_assert!(why.starts_with("unreadable message"));
            // The quote of the line in the reason is bounded, whatever the line.
            prop_assert!(why.chars().count() < 400 + line.chars().take(81).count());
        }
    }

    #[test]
    fn an_eas_message_survives_encoding_framing_and_decoding(
        messages in prop::collection::vec(from_ea(), 1..6),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let stream: String = messages.iter().map(wire::encode).collect();
        let decoded: Vec<FromEa> = frames(&chunked(stream.as_bytes(), &cuts))
            .into_iter()
            .map(|frame| match frame {
                Frame::Line(line) => wire::decode(&line).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        prop_assert_eq!(decoded, messages);
    }

    #[test]
    fn a_mutated_message_is_answered(
        message in from_ea(),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = wire::encode(&message).into_bytes();
        for (at, byte) in flips {
            let at = at % bytes.len();
            bytes[at] = byte;
        }
        for frame in frames(&[&bytes]) {
            if let Frame::Line(line) = frame {
                let _ = wire::decode::<FromEa>(&line);
            }
        }
    }

    // --- the file source: splitting a followed file into lines, and reading each line

    #[test]
    fn file_lines_do_not_depend_on_how_the_bytes_arrive(
        bytes in line_bytes(),
        cuts in prop::collection::vec(any::<usize>(), 0..8),
    ) {
        let whole = split(&[&bytes]);
        let cut = split(&chunked(&bytes, &cuts));
        prop_assert_eq!(&whole, &cut);
        let mut last = 0;
        for chunk in &whole {
            let no = match chunk {
                Chunk::Line { no, text } => {
                    prop_assert!(!text.contains('\n') && text.len() <= file::MAX_LINE);
                    let _ = file::parse_line("inbox", text);
                    *no
                }
                Chunk::Skipped { no, .. } => *no,
            };
            prop_assert!(no > last, "line numbers go up");
            last = no;
        }
    }

    #[test]
    fn a_written_message_is_read_back_as_written(
        messages in prop::collection::vec((any::<String>(), any::<i64>(), any::<String>()), 1..5),
        cuts in prop::collection::vec(any::<usize>(), 0..6),
    ) {
        let mut bytes = Vec::new();
        for (chat, id, text) in &messages {
            let line = serde_json::json!({"chat": chat, "id": id, "text": text});
            bytes.extend(line.to_string().into_bytes());
            bytes.extend(b"\r\n");
        }
        let read: Vec<(String, i64, String)> = split(&chunked(&bytes, &cuts))
            .into_iter()
            .map(|chunk| match chunk {
                Chunk::Line { text, .. } => {
                    let m = file::parse_line("inbox", &text).unwrap();
                    (m.chat, m.id, m.text)
                }
                other => panic!("{other:?}"),
            })
            .collect();
        prop_assert_eq!(read, messages);
    }

    // --- configuration: the loader run and check-config share, and the keymap and theme readers

    #[test]
    fn tomlish_text_loads_or_names_its_problems(
        text in tomlish(),
        env in prop::collection::vec(
            (
                prop_oneof![
                    Just("SIGNALOS_UI_MAX_FPS"),
                    Just("SIGNALOS_LOG_LEVEL"),
                    Just("SIGNALOS_BROKER_LISTEN"),
                    Just("SIGNALOS_RISK_LOTS"),
                    Just("SIGNALOS_X"),
                    Just("SIGNALOS_UI_"),
                ],
                any::<String>(),
            ),
            0..3,
        ),
    ) {
        let env: Vec<(String, String)> =
            env.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        load_bytes(text.as_bytes(), &env);
    }

    #[test]
    fn arbitrary_bytes_load_or_name_their_problems(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        load_bytes(&bytes, &[]);
    }

    #[test]
    fn the_shipped_config_mutated_loads_or_names_its_problems(
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        load_bytes(apply(BUILTIN, &edits).as_bytes(), &[]);
    }

    #[test]
    fn keymap_and_theme_texts_parse_or_name_their_problems(
        text in tomlish(),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        let keymap = apply(
            &format!("[global]\nX = \"emergency_stop\"\n{text}\n[prompt]\nenter = \"submit\"\nesc = \"cancel\"\n"),
            &edits,
        );
        if let Err(p) = Keymap::parse("k.toml", &keymap) {
            prop_assert!(!p.0.is_empty());
        }
        if let Err(p) = Theme::parse("t.toml", &apply(&text, &edits)) {
            prop_assert!(!p.0.is_empty());
        }
    }

    // --- the parser

    #[test]
    fn any_unicode_is_read_or_refused(text in any::<String>()) {
        check_reading(&text);
    }

    #[test]
    fn long_inputs_and_digit_runs_are_answered(
        unit in prop_oneof![
            "[0-9]{1,40}",
            "[0-9.,]{1,12}",
            Just("TP ".to_string()),
            Just("1e".to_string()),
            Just("-".to_string()),
            any::<String>(),
        ],
        repeat in 1usize..3000,
    ) {
        // From a few bytes to past the parser's limit (16 KiB).
        check_reading(&format!("XAUUSD BUY {} SL 2340 TP 2370", unit.repeat(repeat)));
    }

    #[test]
    fn a_number_with_an_exponent_is_never_acted_on(
        mantissa in "[0-9]{1,5}(\\.[0-9]{1,3})?",
        e in prop_oneof![Just("e"), Just("E"), Just("^")],
        sign in prop_oneof![Just(""), Just("+"), Just("-")],
        exponent in "[0-9]{1,4}",
        template in prop_oneof![
            Just("XAUUSD BUY {} SL 2340 TP 2370"),
            Just("XAUUSD BUY 2350 SL {} TP 2370"),
            Just("XAUUSD BUY 2350 SL 2340 TP {}"),
            Just("close {}%"),
            Just("move sl to {}"),
            Just("new tp {} on gold"),
        ],
    ) {
        let text = template.replace("{}", &format!("{mantissa}{e}{sign}{exponent}"));
        let p = check_reading(&text);
        prop_assert!(!executable(&p), "{:?} read as {:?}: {:?}", text, p.kind, p.trace);
    }

    /// Prices written plainly are read at face value: exactly the number written.
    #[test]
    fn plain_prices_are_read_at_face_value(
        cents in 100_000u64..500_000,
        distance in 200u64..2_000,
        buy in any::<bool>(),
    ) {
        let at = |c: u64| format!("{}.{:02}", c / 100, c % 100);
        let (entry, sl, tp) = if buy {
            (cents, cents - distance, cents + distance)
        } else {
            (cents, cents + distance, cents - distance)
        };
        let side = if buy { "BUY" } else { "SELL" };
        let text = format!("XAUUSD {side} {}\nSL {}\nTP {}", at(entry), at(sl), at(tp));
        let p = check_reading(&text);
        let value = |c: u64| at(c).parse::<f64>().unwrap();
        prop_assert_eq!(p.kind, SignalKind::Open, "{:?}", p.trace);
        prop_assert_eq!(p.entry, Some(signalos::model::Entry::Price(value(entry))));
        prop_assert_eq!(p.sl, Some(signalos::model::StopLoss::Price(value(sl))));
        prop_assert_eq!(p.tp, vec![signalos::model::Target::Price(value(tp))]);
    }
}

proptest! {
    // Each case pushes megabytes: a few are enough to cross the limit at many boundaries.
    #![proptest_config(cases(8))]

    #[test]
    fn a_splitter_never_holds_more_than_a_line_and_skips_the_same_lines(
        sizes in prop::collection::vec(
            prop_oneof![
                0usize..64,
                file::MAX_LINE - 2..file::MAX_LINE + 2,
                file::MAX_LINE..file::MAX_LINE * 2,
            ],
            1..4,
        ),
        cuts in prop::collection::vec(any::<usize>(), 0..12),
    ) {
        let mut bytes = Vec::new();
        for size in &sizes {
            bytes.extend(std::iter::repeat_n(b'x', *size));
            bytes.push(b'\n');
        }
        let whole = split(&[&bytes]);
        let cut = split(&chunked(&bytes, &cuts));
        prop_assert_eq!(&whole, &cut);
        let kept = sizes.iter().filter(|&&s| s > 0 && s <= file::MAX_LINE).count();
        let lines = whole.iter().filter(|c| matches!(c, Chunk::Line { .. })).count();
        prop_assert_eq!(lines, kept);
    }
}

/// A parse of a megabyte returns, refused for its length.
#[test]
fn a_megabyte_message_is_refused_for_its_length() {
    for unit in ["9", "XAUUSD BUY 2350 SL 2340 TP 2370\n", "🔥", "1e"] {
        let text = unit.repeat((1 << 20) / unit.len() + 1);
        let p = check_reading(&text);
        assert_eq!(p.kind, SignalKind::None);
        assert!(p.trace[0].contains("too long"), "{:?}", p.trace);
    }
}

/// A configuration of a megabyte and more, and files that never end, are refused unread.
#[test]
fn a_config_over_a_megabyte_is_refused() {
    let mut text = String::from("[ui]\nmax_fps = 5\n");
    while text.len() as u64 <= config::MAX_FILE_BYTES {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(&path, &text).unwrap();
    let problems = config::load(Some(&path), &[]).unwrap_err();
    assert!(problems.to_string().contains("at most"), "{problems}");
    let problems = config::load(Some(std::path::Path::new("/dev/urandom")), &[]).unwrap_err();
    assert!(problems.to_string().contains("a device"), "{problems}");
}
