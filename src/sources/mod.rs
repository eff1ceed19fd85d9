//! Where raw channel messages come from: the demo feed, a followed file, Telegram.

pub mod chats;
pub mod demo;
pub mod file;
pub mod telegram;

use serde::{Deserialize, Serialize};
use tracing::{info, warn};

use crate::engine::{EngineHandle, Input, Link, LinkState};
use crate::model::Millis;

/// One message as a source received it, before any parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawMessage {
    /// The configured name of the source that delivered it.
    pub source: String,
    /// The channel or chat it was posted in.
    pub chat: String,
    /// The message id within the chat.
    pub id: i64,
    pub text: String,
    /// The message this one replies to, for follow-ups.
    pub reply_to: Option<i64>,
    /// 0 for the original; 1, 2, … for each later edit of the same message.
    pub edit: u32,
    pub received_at: Millis,
    /// When the provider posted it, if the source says (Telegram's date, the file's `date`): the
    /// signal's age is measured from it, so a message read late is judged by when it was sent.
    pub sent_at: Option<Millis>,
    /// When this version was made, for a source that sees edits without counting them
    /// (Telegram's `edit_date`): the engine then numbers the version from the journal, and `edit`
    /// is not read. `None`: `edit` is the version.
    #[serde(default)]
    pub edited_at: Option<Millis>,
}

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
