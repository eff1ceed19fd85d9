//! Where raw channel messages come from: the demo feed, a followed file, Telegram.

pub mod chats;
pub mod demo;
pub mod file;
pub mod telegram;

use tracing::{info, warn};

use crate::engine::{EngineHandle, Input, Link, LinkState};

/// Whether a link in `state` is trouble (logged at WARN): starting up and working are not.
fn is_trouble(state: LinkState) -> bool {
    !matches!(state, LinkState::Up | LinkState::Connecting)
}

/// Tell the engine that link `name` is now `state` because of `detail`, and log it; quiet when
/// that is what `last` already says, so that a source retrying for the same reason says it once.
/// `false` once the engine is gone.
pub(crate) async fn set_link(
    engine: &EngineHandle,
    name: &str,
    last: &mut Option<(LinkState, String)>,
    state: LinkState,
    detail: String,
) -> bool {
    if last.as_ref() == Some(&(state, detail.clone())) {
        return true;
    }
    if is_trouble(state) {
        warn!("{name}: {detail}");
    } else {
        info!("{name}: {detail}");
    }
    *last = Some((state, detail.clone()));
    engine
        .send(Input::Link {
            name: name.to_string(),
            link: Link { state, detail },
        })
        .await
        .is_ok()
}

#[cfg(test)]
mod link_log_tests {
    use super::*;

    #[test]
    fn only_trouble_is_a_warning() {
        assert!(!is_trouble(LinkState::Up));
        assert!(!is_trouble(LinkState::Connecting));
        assert!(is_trouble(LinkState::Retrying));
        assert!(is_trouble(LinkState::Degraded));
        assert!(is_trouble(LinkState::Down));
    }
}
