//! The daily loss and drawdown limits: the engine stops itself, says why, records it in the audit
//! log, and the stop survives a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/scripted.rs"]
mod scripted;

use scripted::{Scripted, engine_config, start_with};
use signalos::broker::{BrokerCommand, BrokerEvent, BrokerRequest};
use signalos::engine::{Action, OriginKind, Rules};
use signalos::model::{Account, Mode};
use signalos::risk::daily::LimitAction;
use signalos::store::Journal;

fn rules(action: LimitAction) -> Rules {
    let mut rules = engine_config();
    rules.guards.daily_loss_limit_percent = 2.0;
    rules.guards.limit_action = action;
    rules
}

fn account(s: &Scripted, equity: f64) -> Account {
    Account {
        equity,
        ..s.sim.account().clone()
    }
}

#[tokio::test]
async fn a_daily_loss_pauses_trading_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules(LimitAction::Pause)).await;
    s.synced().await;
    // 1.9% down: nothing happens.
    s.broker(BrokerEvent::Account(account(&s, 9_810.0))).await;
    s.signal(1).await;
    let request = s.trade().await;
    assert!(matches!(request, BrokerRequest::Place { .. }));
    for event in s.sim.handle(&request, signalos::model::now_millis()) {
        s.broker(event).await;
    }
    // 2% down: PAUSED, with why.
    s.broker(BrokerEvent::Account(account(&s, 9_800.0))).await;
    s.until("paused", |st| st.mode == Mode::Paused).await;
    let reason = s.replica.state.mode_reason.clone();
    assert!(
        reason.contains("daily loss limit") && reason.contains("200.00 (2.00%)"),
        "{reason}"
    );
    // The console's header reads the day's book and limit from the state.
    s.until("the tripped day in the state", |st| {
        st.day.as_ref().is_some_and(|d| d.tripped.is_some())
    })
    .await;
    let day = s.replica.state.day.clone().unwrap();
    assert_eq!((day.start_equity, day.loss_limit_percent), (10_000.0, 2.0));
    s.stop().await;

    let journal = Journal::open(dir.path()).unwrap();
    let audit: Vec<_> = journal.audit(1).map(Result::unwrap).collect();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].origin.kind, OriginKind::Engine);
    assert_eq!(audit[0].action, Action::Pause);
    let meta = journal.meta().unwrap();
    assert!(meta.day.tripped.is_some());
    assert_eq!(meta.day.start_equity, 10_000.0);
    drop(journal);

    // After a restart: still PAUSED, and the day's book remembers the trip (it does not trip
    // again, nor start the day from the lower equity).
    let mut s = start_with(dir.path(), rules(LimitAction::Pause)).await;
    assert_eq!(s.replica.state.mode, Mode::Paused);
    assert!(
        s.replica
            .state
            .day
            .as_ref()
            .is_some_and(|d| d.tripped.is_some()),
        "the day's book is in the state from the start"
    );
    s.synced().await;
    s.broker(BrokerEvent::Account(account(&s, 9_700.0))).await;
    s.stop().await;
    let journal = Journal::open(dir.path()).unwrap();
    assert_eq!(journal.audit(1).count(), 1, "tripped once a day");
    assert_eq!(journal.meta().unwrap().day.start_equity, 10_000.0);
}

#[tokio::test]
async fn a_daily_loss_with_the_halt_action_flattens_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = start_with(dir.path(), rules(LimitAction::Halt)).await;
    s.synced().await;
    s.signal(1).await;
    let request = s.trade().await;
    for event in s.sim.handle(&request, signalos::model::now_millis()) {
        s.broker(event).await;
    }
    s.until("a position", |st| st.positions.len() == 1).await;
    s.broker(BrokerEvent::Account(account(&s, 9_750.0))).await;
    s.until("halted", |st| st.mode == Mode::Halted).await;
    assert!(
        s.replica.state.mode_reason.contains("daily loss limit"),
        "{}",
        s.replica.state.mode_reason
    );
    // The emergency stop closes the position.
    match s.command().await {
        BrokerCommand::Trade(BrokerRequest::Close { .. }) => {}
        other => panic!("a close expected, got {other:?}"),
    }
    s.stop().await;
}

#[tokio::test]
async fn a_profile_sizes_and_guards_the_signals_of_its_chat() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[risk]\nlots = 0.10\n\n[[profiles]]\nname = \"careful\"\nchats = [\"vip\"]\nrisk = { lots = 0.02 }\n";
    let file = dir.path().join("c.toml");
    std::fs::write(&file, text).unwrap();
    let config = signalos::config::load(Some(&file), &[]).unwrap().config;
    let mut rules = Rules::of(&config);
    rules.risk.max_legs = 1;
    rules.profiles[0].risk.max_legs = 1;
    let mut s = start_with(dir.path(), rules).await;
    s.synced().await;
    // The test's messages come from the chat "vip": the profile's 0.02 lots, not the global 0.10.
    s.signal(1).await;
    match s.trade().await {
        BrokerRequest::Place { volume, .. } => assert_eq!(volume, 0.02),
        other => panic!("{other:?}"),
    }
    s.until("decided", |st| st.signals.len() == 1).await;
    let decision = &s.replica.state.signals[0].decision;
    assert!(
        decision.detail().contains("(profile careful)"),
        "{decision:?}"
    );
    s.stop().await;
}
