//! The relay client against the real relay in front of a live engine: a link cut in the middle
//! of the stream (by a TCP proxy between the two) is resumed with no event lost or repeated, and
//! the client's mirror is the engine's state; wss:// is verified against the certificates given.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use signalos::api::{Client as _, Events, Received, Role, State, Subscribe as _};
use signalos::relay::client::{ConnectError, LinkStatus, Options, RelayClient};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

#[path = "support/config.rs"]
mod config;
#[path = "support/live.rs"]
mod live;
#[path = "support/relay.rs"]
mod relay;
#[path = "support/wait.rs"]
mod wait;

/// Forwards connections to the relay; `cut` drops every one of them at once, as a network
/// that fails does (the relay sees no close frame either).
struct Proxy {
    url: String,
    links: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let links = Arc::new(Mutex::new(Vec::new()));
        let held = links.clone();
        tokio::spawn(async move {
            loop {
                let (mut inbound, _) = listener.accept().await.unwrap();
                let link = tokio::spawn(async move {
                    let mut outbound = TcpStream::connect(target).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
                held.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy { url, links }
    }

    fn cut(&self) {
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }
}

async fn status(client: &RelayClient, want: impl Fn(&LinkStatus) -> bool) {
    let mut status = client.status();
    tokio::time::timeout(wait::DEADLINE, status.wait_for(want))
        .await
        .expect("the link's status never came")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_link_resumes_with_no_event_lost_or_repeated_and_the_mirror_is_the_engines_state() {
    let rig = relay::start(relay::settings()).await;
    let proxy = Proxy::start(rig.relay.address).await;
    let client = RelayClient::connect(&proxy.url, relay::OPERATOR)
        .await
        .unwrap();
    let mut feed = client.subscribe().await.unwrap();
    let first = feed.snapshot.seq;
    let mut seqs = Vec::new();
    while seqs.len() < 20 {
        seqs.push(next(&mut feed.events).await);
    }
    proxy.cut();
    status(&client, |s| matches!(s, LinkStatus::Reconnecting { .. })).await;
    status(&client, |s| matches!(s, LinkStatus::Connected { .. })).await;
    while seqs.len() < 100 {
        seqs.push(next(&mut feed.events).await);
    }
    let expected: Vec<u64> = (first + 1..=first + 100).collect();
    assert_eq!(seqs, expected, "consecutive: nothing lost, nothing twice");

    // The mirror is the engine's own state: both brought to the same seq and compared. The
    // engine's is taken first, so the mirror, which trails it, catches up rather than overtakes.
    let own = rig.live.engine.subscribe().await.unwrap();
    let (mut state, mut seq, mut own_events): (State, u64, _) =
        (own.snapshot.state, own.snapshot.seq, own.events);
    let mut mirror = client.subscribe().await.unwrap();
    while mirror.snapshot.seq < seq {
        let event = match tokio::time::timeout(wait::DEADLINE, mirror.events.recv())
            .await
            .unwrap()
        {
            Received::Event(event) => event,
            other => panic!("{other:?}"),
        };
        mirror.snapshot.state.apply(&event.change);
        mirror.snapshot.seq = event.seq;
    }
    while seq < mirror.snapshot.seq {
        let event = own_events.recv().await.unwrap();
        state.apply(&event.change);
        seq = event.seq;
    }
    assert_eq!(mirror.snapshot.state, state);
}

async fn next(events: &mut Events) -> u64 {
    match tokio::time::timeout(wait::DEADLINE, events.recv())
        .await
        .unwrap()
    {
        Received::Event(event) => event.seq,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wss_is_verified_against_the_ca_given_and_refused_without_it() {
    use signalos::relay::server::tls;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/relay");
    let mut settings = relay::settings();
    settings.tls =
        Some(tls::acceptor(&fixtures.join("cert.pem"), &fixtures.join("key.pem")).unwrap());
    let rig = relay::start(settings).await;
    let url = format!("wss://localhost:{}", rig.relay.address.port());
    // The public web's roots do not know the tests' CA.
    match RelayClient::connect(&url, relay::VIEWER).await {
        Err(e @ ConnectError::Unreachable { .. }) => {
            assert!(e.to_string().contains("certificate"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let with = |ca: &str| Options {
        ca: Some(fixtures.join(ca)),
        ..Options::default()
    };
    let client = RelayClient::connect_with(&url, relay::VIEWER, with("ca.pem"))
        .await
        .unwrap();
    assert_eq!(client.role(), Role::Viewer);
    let feed = client.subscribe().await.unwrap();
    assert!(!feed.snapshot.state.instance.is_empty());
    match RelayClient::connect_with(&url, relay::VIEWER, with("missing.pem")).await {
        Err(ConnectError::Usage(e)) => assert!(e.contains("missing.pem"), "{e}"),
        other => panic!("{other:?}"),
    }
}
