//! The relay's parts on their own: the frames assembled around an encoded state, tokens and the
//! tokens file, the limit on guessing, the handshake's decisions, and the protocol document.

#![allow(clippy::unwrap_used)]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use tokio_tungstenite::tungstenite::http::{Request, StatusCode};

use super::auth::{self, Failures};
use super::frames;
use super::hub::Topics;
use super::tokens::{self, Token, Tokens};
use crate::api::{Change, Role, Snapshot, State};
use crate::model::Mode;
use crate::relay::protocol::{Answer, ClientFrame, ServerFrame, Topic};

fn state() -> State {
    State {
        instance: "a1b2c3".into(),
        mode: Mode::Paused,
        mode_reason: "paused by \"ops\"\n".into(),
        ..State::default()
    }
}

#[test]
fn frames_assembled_around_an_encoded_state_read_as_the_typed_ones() {
    let state = state();
    let encoded = frames::json(&state);
    for reason in [None, Some("fell behind: \"3\" events")] {
        let text = frames::snapshot("run\"1", 7, &encoded, reason);
        assert_eq!(
            serde_json::from_str::<ServerFrame>(&text).unwrap(),
            ServerFrame::Snapshot {
                run: "run\"1".into(),
                seq: 7,
                state: Box::new(state.clone()),
                reason: reason.map(String::from),
            }
        );
    }
    let text = frames::state_reply(9, "r", 7, &encoded);
    assert_eq!(
        serde_json::from_str::<ServerFrame>(&text).unwrap(),
        ServerFrame::Reply {
            id: 9,
            answer: Answer::State {
                run: "r".into(),
                seq: 7,
                state: Box::new(state),
            }
        }
    );
}

#[test]
fn topics_of_a_change_match_a_subscription_to_any_of_them() {
    let mode = Topics::of(Topic::of(&Change::Mode {
        mode: Mode::Halted,
        reason: String::new(),
    }));
    assert!(mode.overlaps(Topics::of(&[Topic::Orders, Topic::Account])));
    assert!(!mode.overlaps(Topics::of(&[Topic::Links, Topic::Log])));
    assert!(Topics::of(&[]).overlaps(Topics::of(&[Topic::Log])));
    assert_eq!(Topics::of(&Topic::ALL), Topics::ALL);
}

#[test]
fn a_tokens_file_reads_names_roles_and_tokens_and_names_each_bad_line() {
    let text = "# who role token\n\nalice operator alice-token-0123456789  # the desk\nbob viewer bob-token-0123456789\n";
    let read = tokens::parse(text).unwrap();
    assert_eq!(
        read,
        vec![
            Token {
                name: "alice".into(),
                role: Role::Operator,
                secret: "alice-token-0123456789".into()
            },
            Token {
                name: "bob".into(),
                role: Role::Viewer,
                secret: "bob-token-0123456789".into()
            },
        ]
    );
    let bad = "alice operator alice-token-0123456789\nbob admin bob-token-0123456789\ncarol viewer short\ndave viewer bob-token-01234567:89\neve viewer alice-token-0123456789\nfrank\nal!ce viewer frank-token-0123456789\nlocal operator local-token-0123456789\n";
    let problems = tokens::parse(bad).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
    assert!(
        problems[6].expected.contains("engine's own token"),
        "{problems:?}"
    );
    let said = tokens::describe(std::path::Path::new("/etc/tokens"), &problems);
    assert!(
        said.starts_with("/etc/tokens:2: the role operator or viewer"),
        "{said}"
    );
    assert!(
        said.contains("/etc/tokens:4: dave: a token of letters"),
        "{said}"
    );
    // A token is never repeated back in an error.
    assert!(!said.contains("alice-token"), "{said}");
}

#[test]
fn a_token_is_found_by_its_secret_and_nothing_else() {
    let tokens = Tokens::new(vec![
        Token {
            name: "a".into(),
            role: Role::Operator,
            secret: "first-token-0123456789".into(),
        },
        Token {
            name: "b".into(),
            role: Role::Viewer,
            secret: "second-token-0123456789".into(),
        },
    ]);
    assert_eq!(tokens.holder("second-token-0123456789").unwrap().name, "b");
    assert!(tokens.holder("second-token-012345678").is_none());
    assert!(tokens.holder("second-token-0123456789x").is_none());
    assert!(tokens.holder("").is_none());
    // Debug never shows the secret.
    assert!(!format!("{tokens:?}").contains("first-token"));
}

#[test]
fn ten_wrong_tokens_in_a_minute_block_that_address_for_a_minute() {
    let failures = Failures::default();
    let (ip, other): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
    let t0 = Instant::now();
    for i in 0..9 {
        assert!(!failures.failed(ip, t0 + Duration::from_secs(i)));
    }
    assert!(!failures.blocked(ip, t0 + Duration::from_secs(9)));
    assert!(failures.failed(ip, t0 + Duration::from_secs(10)));
    assert!(failures.blocked(ip, t0 + Duration::from_secs(69)));
    assert!(!failures.blocked(other, t0 + Duration::from_secs(11)));
    assert!(!failures.blocked(ip, t0 + Duration::from_secs(71)));
    // Failures spread out over more than a minute never add up to a block.
    let slow = Failures::default();
    for i in 0..30 {
        assert!(!slow.failed(ip, t0 + Duration::from_secs(i * 7)));
    }
}

fn upgrade(headers: &[(&str, &str)]) -> Request<()> {
    let mut request = Request::builder().uri("/");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.body(()).unwrap()
}

#[test]
fn the_handshake_admits_a_known_token_from_the_header_or_a_subprotocol() {
    let tokens = Tokens::new(vec![Token {
        name: "desk".into(),
        role: Role::Viewer,
        secret: "desk-token-0123456789".into(),
    }]);
    let origins = vec!["https://desk.example.com".to_string()];
    let admit = |headers: &[(&str, &str)]| auth::admit(&upgrade(headers), &tokens, &origins);
    let by_header = admit(&[("authorization", "bearer desk-token-0123456789")]).unwrap();
    assert_eq!(
        (by_header.token.name.as_str(), by_header.subprotocol),
        ("desk", false)
    );
    let by_protocol = admit(&[
        (
            "sec-websocket-protocol",
            "signalos.v1, bearer.desk-token-0123456789",
        ),
        ("origin", "https://DESK.example.com/"),
    ])
    .unwrap();
    assert!(by_protocol.subprotocol);
    for (headers, status) in [
        (vec![], StatusCode::UNAUTHORIZED),
        (
            vec![("authorization", "Basic ZGVzaw==")],
            StatusCode::UNAUTHORIZED,
        ),
        (
            vec![("authorization", "Bearer desk-token-012345678")],
            StatusCode::UNAUTHORIZED,
        ),
        (
            vec![("sec-websocket-protocol", "bearer.desk-token-0123456789")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![
                ("authorization", "Bearer desk-token-0123456789"),
                ("origin", "https://evil.example.net"),
            ],
            StatusCode::FORBIDDEN,
        ),
    ] {
        assert_eq!(admit(&headers).unwrap_err().status, status, "{headers:?}");
    }
}

/// The examples in docs/relay-protocol.md are the contract clients are written against: every
/// one must read as a frame of one side.
#[test]
fn the_protocol_documents_examples_are_frames() {
    let doc = include_str!("../../../docs/relay-protocol.md");
    let mut checked = 0;
    let mut block: Option<String> = None;
    for line in doc.lines() {
        match (&mut block, line.trim()) {
            (None, "```json") => block = Some(String::new()),
            (Some(_), "```") => {
                let example = block.take().unwrap();
                let client = serde_json::from_str::<ClientFrame>(&example);
                let server = serde_json::from_str::<ServerFrame>(&example);
                assert!(
                    client.is_ok() || server.is_ok(),
                    "{example}\n  as a client frame: {client:?}\n  as a server frame: {server:?}"
                );
                checked += 1;
            }
            (Some(text), l) => text.push_str(l),
            (None, _) => {}
        }
    }
    assert!(checked >= 20, "only {checked} examples found");
}

#[test]
fn relay_json_is_private_from_the_start_and_read_back() {
    use crate::relay::local::{self, LocalRelay};
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let err = local::read(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("relay.json") && err.contains("enabled = true"),
        "{err}"
    );
    let relay = LocalRelay {
        url: "ws://127.0.0.1:7720".into(),
        token: "t".repeat(32),
    };
    local::write(dir.path(), &relay).unwrap();
    let mode = std::fs::metadata(dir.path().join(local::FILE))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(local::read(dir.path()).unwrap(), relay);
    // Written again over the old one; no temporary file left behind.
    local::write(dir.path(), &relay).unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    local::remove(dir.path()).unwrap();
    assert!(local::read(dir.path()).is_err());
    std::fs::write(dir.path().join(local::FILE), "{").unwrap();
    let err = local::read(dir.path()).unwrap_err().to_string();
    assert!(err.contains("relay.json"), "{err}");
}

#[test]
fn a_hub_replays_held_events_to_a_resume_and_snapshots_otherwise() {
    use super::hub::Hub;
    use crate::relay::protocol::Resume;
    let hub = Hub::new(
        "r".into(),
        Snapshot {
            seq: 10,
            state: state(),
        },
        4,
        16,
    );
    let resume = |seq| Resume {
        run: "r".into(),
        seq,
    };
    let up_to_date = hub.subscribe(Topics::ALL, Some(&resume(10)), None);
    assert!(up_to_date.first.is_empty());
    assert_eq!(up_to_date.seq, 10);
    let fresh = hub.subscribe(Topics::ALL, None, None);
    assert!(matches!(
        serde_json::from_str::<ServerFrame>(&fresh.first[0]).unwrap(),
        ServerFrame::Snapshot {
            seq: 10,
            reason: None,
            ..
        }
    ));
    let mut live = hub.subscribe(Topics::ALL, None, None).live;
    let event = |seq, change| crate::api::Event { seq, at: 0, change };
    let link = |seq| {
        event(
            seq,
            Change::Link {
                name: "x".into(),
                link: crate::api::Link {
                    state: crate::api::LinkState::Up,
                    detail: seq.to_string(),
                },
            },
        )
    };
    hub.publish(&link(11));
    hub.publish(&event(
        12,
        Change::Mode {
            mode: Mode::Halted,
            reason: "stop".into(),
        },
    ));
    hub.publish(&link(13));
    assert_eq!(live.try_recv().unwrap().seq, 11);
    // The held events after the resume's seq, of the topics asked for.
    let replayed = hub.subscribe(Topics::of(&[Topic::Links]), Some(&resume(10)), None);
    let seqs: Vec<u64> = replayed
        .first
        .iter()
        .map(|t| match serde_json::from_str::<ServerFrame>(t).unwrap() {
            ServerFrame::Event(e) => e.seq,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!((seqs, replayed.seq), (vec![11, 13], 13));
    // The state moved with the events.
    let (seq, encoded) = hub.state();
    let held: State = serde_json::from_str(&encoded).unwrap();
    assert_eq!((seq, held.mode), (13, Mode::Halted));
    // Four are held: from seq 10 they are all still there, from 9 one is missing.
    hub.publish(&link(14));
    assert_eq!(
        hub.subscribe(Topics::ALL, Some(&resume(10)), None)
            .first
            .len(),
        4
    );
    hub.publish(&link(15));
    let late = hub.subscribe(Topics::ALL, Some(&resume(10)), None);
    match serde_json::from_str::<ServerFrame>(&late.first[0]).unwrap() {
        ServerFrame::Snapshot {
            seq: 15,
            reason: Some(reason),
            ..
        } => {
            assert!(reason.contains("no longer held"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}
