//! The relay against the real parts: a live engine trading the simulator, the relay on a
//! loopback port, and raw WebSocket clients speaking the protocol frame by frame.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use signalos::api::{Role, State};
use signalos::model::LinkState;
use signalos::relay::protocol::{Answer, ServerFrame};
use tokio_tungstenite::tungstenite::http::StatusCode;

#[path = "support/config.rs"]
mod config;
#[path = "support/live.rs"]
mod live;
#[path = "support/relay.rs"]
mod relay;
#[path = "support/wait.rs"]
mod wait;

use relay::{Auth, Client, OPERATOR, VIEWER};

fn synced(state: &State) -> bool {
    state
        .links
        .get("broker")
        .is_some_and(|l| l.state == LinkState::Synced)
}

#[tokio::test]
async fn a_subscriber_gets_hello_then_a_snapshot_then_consecutive_events() {
    let rig = relay::start(relay::settings()).await;
    let (mut client, hello) = Client::connect(rig.relay.address, VIEWER).await;
    assert_eq!(hello.protocol, 1);
    assert_eq!(hello.run, "run-1");
    assert_eq!(hello.role, Role::Viewer);
    assert_eq!(hello.name, "watcher");
    client.send(json!({"type": "subscribe"})).await;
    let (mut seq, mut state) = match client.frame().await {
        ServerFrame::Snapshot {
            seq,
            state,
            reason,
            run,
        } => {
            assert_eq!(run, "run-1");
            assert_eq!(reason, None);
            (seq, *state)
        }
        other => panic!("expected a snapshot, got {other:?}"),
    };
    while !synced(&state) {
        match client.frame().await {
            ServerFrame::Event(event) => {
                assert_eq!(
                    event.seq,
                    seq + 1,
                    "events follow the snapshot without a gap"
                );
                seq = event.seq;
                state.apply(&event.change);
            }
            ServerFrame::Log { .. } => {}
            other => panic!("expected events, got {other:?}"),
        }
    }
    // The replica built from the stream is the relay's own state at that seq.
    match client.request(1, json!({"request": "state"})).await {
        Answer::State { run, seq: at, .. } => {
            assert_eq!(run, "run-1");
            assert!(at >= seq);
        }
        other => panic!("expected the state, got {other:?}"),
    }
}

#[tokio::test]
async fn no_token_and_a_wrong_token_are_refused_before_any_frame() {
    let rig = relay::start(relay::settings()).await;
    let address = rig.relay.address;
    assert_eq!(
        relay::open(address, Auth::None, None).await.err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        relay::open(address, Auth::Bearer("not-the-token-0123456789"), None)
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
    assert_eq!(
        relay::open(address, Auth::Bearer(&OPERATOR[..OPERATOR.len() - 1]), None)
            .await
            .err(),
        Some(StatusCode::UNAUTHORIZED)
    );
}
