//! A raw message: what a source hands the engine, before any parsing.

use serde::{Deserialize, Serialize};

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
