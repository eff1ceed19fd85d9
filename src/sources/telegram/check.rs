//! `signalos check-config`, online: what Telegram says of the bot and of each chat.

use std::collections::BTreeMap;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::requests::Requester;

use super::errors::{Problem, classify, explain, redact, webhook_detail};
use super::{Api, ChatFound, check_chat, with_timeout};
use crate::config::{ChatRef, TelegramConfig, TelegramSourceConfig};
use crate::sources::chats::{Standing, shared_standings};

/// What `signalos check-config` found of the bot and its chats.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    Fine(String),
    /// Works, with something to fix.
    Warning(String),
    /// The configuration cannot work as it is: a token refused, a webhook set, a chat not found,
    /// not readable or configured twice.
    Problem(String),
    /// The check could not be made (no network): not the configuration's fault.
    Offline(String),
}

/// How long each request of the online check may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);

/// Check the bot online, as `run` will use it: its token, its webhook, each source's chats.
pub async fn check(cfg: &TelegramConfig, sources: &[TelegramSourceConfig]) -> Vec<Finding> {
    let bot = match with_timeout(cfg, CHECK_TIMEOUT) {
        Ok(bot) => bot,
        Err(e) => return vec![Finding::Problem(format!("{e:#}"))],
    };
    let api = Api::new(bot.clone(), cfg);
    let failed = |e: &RequestError, method: &str| {
        let problem = classify(e, &api.token);
        let (_, why) = explain(&problem, method, &api.host, &api.api_url);
        match problem {
            Problem::BadToken => Finding::Problem(why),
            _ => Finding::Offline(format!("the online check of Telegram could not run: {why}")),
        }
    };
    let me = match bot.get_me().await {
        Ok(me) => me,
        Err(e) => return vec![failed(&e, "getMe")],
    };
    let mut found = vec![Finding::Fine(format!(
        "bot @{} (id {}), group privacy mode {}",
        me.username(),
        me.id.0,
        if me.can_read_all_group_messages {
            "off"
        } else {
            "on (the bot reads a group only where it is an admin)"
        }
    ))];
    match bot.get_webhook_info().await {
        Ok(hook) => {
            if let Some(url) = hook.url {
                // `run` cannot read while it is set.
                found.push(Finding::Problem(format!(
                    "{} ({})",
                    webhook_detail(&api.api_url),
                    redact(url.as_str(), &api.token)
                )));
            }
        }
        Err(e) => {
            found.push(failed(&e, "getWebhookInfo"));
            return found;
        }
    }
    // Chat id → the configured chats that are it (source, chat), in config order.
    let mut ids: BTreeMap<i64, Vec<(String, ChatRef)>> = BTreeMap::new();
    for source in sources {
        for chat in &source.chats {
            match check_chat(&bot, &me, chat).await {
                Ok(ChatFound { id, standing }) => {
                    if let Some(id) = id {
                        ids.entry(id)
                            .or_default()
                            .push((source.name.clone(), chat.clone()));
                    }
                    found.push(match standing {
                        Standing::Readable(what) => Finding::Fine(format!(
                            "{chat} (source {}): {what}{}",
                            source.name,
                            id.map(|id| format!(", id {id}")).unwrap_or_default()
                        )),
                        Standing::Partly(why) => Finding::Warning(why),
                        Standing::Unreadable(why) => Finding::Problem(why),
                        // A check always ends with an answer: this is never so.
                        Standing::Unchecked => Finding::Offline(format!("{chat}: not checked")),
                    })
                }
                Err(e) => {
                    found.push(failed(&e, "getChat"));
                    return found;
                }
            }
        }
    }
    // Only one of them would be read.
    for (id, sharing) in &ids {
        if sharing.len() > 1
            && let Some(Standing::Partly(why)) = shared_standings(*id, sharing).first()
        {
            found.push(Finding::Problem(why.clone()));
        }
    }
    found
}
