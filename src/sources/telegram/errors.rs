//! What a failed Bot API request means, what to do about it, and how to say so without the
//! token.

use std::time::Duration;

use teloxide::{ApiError, RequestError};

use super::SLOW_RETRY;
use crate::engine::LinkState;
use crate::sources::chats::{Backoff, Trouble, seconds};

/// What went wrong with a request, as far as what to do about it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No answer: the network, DNS, a timeout. The cause, redacted.
    Unreachable(String),
    /// Too many requests: wait this long (Telegram's `retry_after`).
    Flood(Duration),
    /// 401: the token is not a bot's.
    BadToken,
    /// 409: another program polls this bot.
    OtherPoller,
    /// A webhook is set: Telegram keeps the updates for it.
    Webhook,
    /// Any other refusal or unreadable answer, redacted.
    Refused(String),
}

/// What `e` means, with any token taken out of its words.
pub fn classify(e: &RequestError, token: &str) -> Problem {
    match e {
        RequestError::RetryAfter(wait) => Problem::Flood(wait.duration()),
        RequestError::Api(ApiError::InvalidToken) => Problem::BadToken,
        RequestError::Api(api) => {
            // Telegram's own words: teloxide wraps those it does not know in "Unknown error".
            let text = match api {
                ApiError::Unknown(text) => text.clone(),
                known => known.to_string(),
            };
            let lower = text.to_ascii_lowercase();
            if matches!(api, ApiError::TerminatedByOtherGetUpdates)
                || lower.contains("terminated by other getupdates")
            {
                Problem::OtherPoller
            } else if matches!(api, ApiError::CantGetUpdates) || lower.contains("webhook") {
                Problem::Webhook
            } else {
                Problem::Refused(redact(&text, token))
            }
        }
        RequestError::Network(e) => Problem::Unreachable(redact(&chain(e.as_ref()), token)),
        RequestError::Io(e) => Problem::Unreachable(redact(&chain(e.as_ref()), token)),
        RequestError::InvalidJson { source, .. } => Problem::Refused(redact(
            &format!("its answer could not be read ({source})"),
            token,
        )),
        RequestError::MigrateToChatId(to) => Problem::Refused(format!(
            "the group became supergroup {to}: write that id in the source's chats"
        )),
    }
}

/// An error and its causes, as one line: reqwest says the cause (refused, timed out) only there.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// `text` with the bot token taken out: the configured one anywhere, and any `bot<id>:<secret>`
/// of a request's address (reqwest puts the address, token and all, in its errors).
pub fn redact(text: &str, token: &str) -> String {
    let text = if token.is_empty() {
        text.to_string()
    } else {
        text.replace(token, "<redacted>")
    };
    // teloxide hides the token of an address in its errors as `/token:redacted/`, dropping the
    // `bot` that makes it read as the Bot API's.
    let text = text.replace("/token:redacted/", "/bot<redacted>/");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("bot") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after = &from[3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let secret = after[digits..].strip_prefix(':').map_or(0, |s| {
            s.bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .count()
        });
        if digits > 0 && secret > 0 {
            out.push_str("bot<redacted>");
            rest = &after[digits + 1 + secret..];
        } else {
            out.push_str("bot");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What to do about a webhook left set on the bot.
pub(super) fn webhook_detail(api_url: &str) -> String {
    format!(
        "a webhook is set on this bot, so Telegram holds its messages for that address and long polling cannot read them: if nothing else needs it, remove it with the deleteWebhook call (curl \"{}/bot<TOKEN>/deleteWebhook\" with your token)",
        api_url.trim_end_matches('/')
    )
}

/// What the links say about `problem`, and how long to wait before trying again.
pub(super) fn trouble_of(
    problem: Problem,
    method: &str,
    host: &str,
    api_url: &str,
    backoff: &mut Backoff,
) -> Trouble {
    let wait = match &problem {
        Problem::Flood(wait) => *wait,
        Problem::BadToken | Problem::Webhook => SLOW_RETRY,
        Problem::Unreachable(_) | Problem::OtherPoller | Problem::Refused(_) => backoff.wait(),
    };
    let (state, why) = explain(&problem, method, host, api_url);
    Trouble {
        state,
        detail: format!("{why}; retrying in {}", seconds(wait)),
        wait,
    }
}

/// What `problem` does to the links, and what it means for a trader.
pub(super) fn explain(
    problem: &Problem,
    method: &str,
    host: &str,
    api_url: &str,
) -> (LinkState, String) {
    match problem {
        Problem::Unreachable(cause) => (LinkState::Retrying, format!("cannot reach {host}: {cause}")),
        Problem::Flood(_) => (
            LinkState::Retrying,
            "Telegram asks to slow down (too many requests)".to_string(),
        ),
        Problem::BadToken => (
            LinkState::Down,
            "the bot token was refused: check telegram.token / SIGNALOS_TELEGRAM_TOKEN with @BotFather (/token)".to_string(),
        ),
        Problem::OtherPoller => (
            LinkState::Down,
            "another program is polling this bot: one bot, one poller — stop the other (a second SignalOS, a bot framework)".to_string(),
        ),
        Problem::Webhook => (LinkState::Down, webhook_detail(api_url)),
        Problem::Refused(why) => (LinkState::Retrying, format!("Telegram refused {method}: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TelegramConfig;
    use teloxide::requests::Requester;
    use teloxide::types::Seconds;

    const TOKEN: &str = "123456789:AAEhBP0av28Sk-x_yyGdPCJyPZqVzCOmlc4";

    #[test]
    fn the_token_is_taken_out_of_any_text() {
        let e = format!(
            "error sending request for url (http://127.0.0.1:9/bot{TOKEN}/GetUpdates): connection refused"
        );
        let out = redact(&e, TOKEN);
        assert_eq!(
            out,
            "error sending request for url (http://127.0.0.1:9/bot<redacted>/GetUpdates): connection refused"
        );
        // Another bot's token in an address, without knowing it.
        assert_eq!(
            redact("https://api.telegram.org/bot42:abc-DEF_1/getMe", ""),
            "https://api.telegram.org/bot<redacted>/getMe"
        );
        // The token anywhere else, too; words with "bot" in them are left alone.
        assert_eq!(
            redact(
                &format!("webhook https://x/{TOKEN} for @goldbot bot 7:"),
                TOKEN
            ),
            "webhook https://x/<redacted> for @goldbot bot 7:"
        );
        assert_eq!(redact("robots bot", TOKEN), "robots bot");
    }

    #[test]
    fn errors_say_what_to_do() {
        let mut b = Backoff::new(Duration::from_millis(500), Duration::from_secs(30));
        let api = |e: ApiError| RequestError::Api(e);
        let t = |p: Problem, b: &mut Backoff| {
            trouble_of(
                p,
                "getUpdates",
                "api.telegram.org",
                "https://api.telegram.org",
                b,
            )
        };

        assert_eq!(
            classify(&api(ApiError::InvalidToken), TOKEN),
            Problem::BadToken
        );
        let bad = t(Problem::BadToken, &mut b);
        assert_eq!((bad.state, bad.wait), (LinkState::Down, SLOW_RETRY));
        assert!(
            bad.detail.contains("SIGNALOS_TELEGRAM_TOKEN") && bad.detail.contains("@BotFather")
        );

        let flood = RequestError::RetryAfter(Seconds::from_seconds(7));
        assert_eq!(
            classify(&flood, TOKEN),
            Problem::Flood(Duration::from_secs(7))
        );
        let slow = t(Problem::Flood(Duration::from_secs(7)), &mut b);
        assert_eq!(
            (slow.state, slow.wait),
            (LinkState::Retrying, Duration::from_secs(7))
        );
        assert!(
            slow.detail.ends_with("retrying in 7.0 s"),
            "{}",
            slow.detail
        );

        assert_eq!(
            classify(&api(ApiError::TerminatedByOtherGetUpdates), TOKEN),
            Problem::OtherPoller
        );
        let other = t(Problem::OtherPoller, &mut b);
        assert_eq!(other.state, LinkState::Down);
        assert!(
            other.detail.contains("one bot, one poller"),
            "{}",
            other.detail
        );

        // Telegram's words for getUpdates while a webhook is set.
        let hook = api(ApiError::Unknown(
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first".into(),
        ));
        assert_eq!(classify(&hook, TOKEN), Problem::Webhook);
        assert!(t(Problem::Webhook, &mut b).detail.contains("deleteWebhook"));

        let other = api(ApiError::Unknown(format!("Bad Request: odd bot{TOKEN}")));
        assert_eq!(
            classify(&other, TOKEN),
            Problem::Refused("Bad Request: odd bot<redacted>".into())
        );
        let unreachable = t(Problem::Unreachable("connection refused".into()), &mut b);
        assert_eq!(unreachable.state, LinkState::Retrying);
        assert!(
            unreachable
                .detail
                .starts_with("cannot reach api.telegram.org: connection refused; retrying in"),
            "{}",
            unreachable.detail
        );
    }

    #[tokio::test]
    async fn an_unreachable_server_is_named_without_the_token() {
        // A port nobody listens on: bound, then closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cfg = TelegramConfig {
            token: crate::config::Secret(TOKEN.into()),
            api_url: format!("http://127.0.0.1:{port}"),
            operators: vec![],
            notify_chats: vec![],
            notify: vec![],
            poll_timeout_secs: 1,
        };
        let e = super::super::bot(&cfg).unwrap().get_me().await.unwrap_err();
        let Problem::Unreachable(why) = classify(&e, TOKEN) else {
            panic!("unreachable expected: {e}")
        };
        assert!(!why.contains(TOKEN) && !why.contains("AAEh"), "{why}");
        assert!(why.to_lowercase().contains("refused"), "{why}");
        // The address still reads as the Bot API's, its token hidden.
        assert!(why.contains("/bot<redacted>/GetMe"), "{why}");
        assert!(!why.contains("token:redacted"), "{why}");
    }
}
