//! The words a user teaches the parser, through the real engine: a profile's words read the
//! messages of its source, and only those.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use scripted::{engine_config, raw, start_reading};
use signalos::api::RawMessage;
use signalos::model::{Side, SignalKind};
use signalos::parse::Words;

/// No side without the profile's word, and no entry to infer one from.
const TEXT: &str = "EURUSD pompujemy stopka 1.0800 TP 1.0900";

#[tokio::test]
async fn a_profiles_words_read_the_messages_of_its_source_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.toml");
    std::fs::write(
        &file,
        "[parser.words]\nsl = [\"stopka\"]\n\n[[profiles]]\nname = \"pl\"\nsources = [\"pl\"]\nparser = { words = { buy = [\"pompujemy\"] } }\n",
    )
    .unwrap();
    let config = signalos::config::load(Some(&file), &[]).unwrap().config;
    let mut rules = engine_config();
    rules.profiles = config.profiles.clone();
    let journal = dir.path().join("journal");
    let mut s = start_reading(&journal, rules, Words::new(&config.parser.words)).await;

    s.send(RawMessage {
        source: "pl".into(),
        ..raw(1, TEXT)
    })
    .await;
    s.send(raw(2, TEXT)).await;
    s.until("both messages read", |st| st.signals.len() == 2)
        .await;
    let read = |id: i64| {
        let record = s.replica.state.signals.iter().find(|r| r.msg_id == id);
        record.map(|r| r.parsed.clone()).unwrap()
    };
    let pl = read(1);
    assert_eq!(
        (pl.kind, pl.side),
        (SignalKind::Open, Some(Side::Buy)),
        "{pl:?}"
    );
    assert_eq!(
        pl.sl,
        Some(signalos::model::StopLoss::Price(1.08)),
        "the global words too: {pl:?}"
    );
    let other = read(2);
    assert_eq!(
        other.kind,
        SignalKind::None,
        "the profile's word is not another source's: {other:?}"
    );
}
