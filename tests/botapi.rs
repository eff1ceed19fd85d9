//! The fake Bot API (support/botapi.rs) against the real teloxide client: every shape the fake
//! writes is read back through teloxide's own types, and every error it answers is matched to
//! the `RequestError` teloxide makes of it. A test built on the fake is only as good as this.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/botapi.rs"]
mod botapi;

use std::time::{Duration, Instant};

use botapi::{ChatKind, FakeBotApi, Person, Post};
use serde_json::Value;
use teloxide::dispatching::UpdateFilterExt;
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, ChatMemberKind, InlineKeyboardButton, InlineKeyboardMarkup,
    MessageEntityKind, MessageId, MessageOrigin, ParseMode, Recipient, ReplyParameters, UpdateKind,
    UserId,
};
use teloxide::{ApiError, RequestError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TOKEN: &str = "7000000042:AAEfakeTokenForSignalOSTests_0123456";
const BOT_ID: i64 = 7_000_000_042;
const CHANNEL: i64 = -1_001_234_567_890;
const GROUP: i64 = -1_009_876_543_210;
const OTHER_CHANNEL: i64 = -1_005_555_555_555;

/// How long a test waits for what it expects before it fails: long, since a loaded machine is
/// slow and a passing test never waits it out.
const WAIT: Duration = Duration::from_secs(30);

async fn fake() -> FakeBotApi {
    let fake = FakeBotApi::start(TOKEN).await;
    fake.add_chat(
        CHANNEL,
        ChatKind::Channel,
        Some("signals_vip"),
        "Signals VIP",
        "administrator",
    );
    fake.add_chat(GROUP, ChatKind::Supergroup, None, "Gold Traders", "member");
    fake.add_chat(
        OTHER_CHANNEL,
        ChatKind::Channel,
        Some("gold_calls"),
        "Gold Calls",
        "administrator",
    );
    fake
}

fn trader() -> Person {
    Person::new(501, "Ann").username("ann_trades")
}

fn message(update: &Update) -> &Message {
    match &update.kind {
        UpdateKind::Message(m)
        | UpdateKind::EditedMessage(m)
        | UpdateKind::ChannelPost(m)
        | UpdateKind::EditedChannelPost(m) => m,
        other => panic!("not a message update: {other:?}"),
    }
}

/// A request written by hand, for what teloxide never sends: broken bodies, forms, odd paths.
async fn raw(fake: &FakeBotApi, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(fake.addr()).await.unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response[9..12].parse().unwrap();
    let (_, body) = response.split_once("\r\n\r\n").unwrap();
    (status, serde_json::from_str(body).unwrap())
}

#[tokio::test]
async fn get_me_reads_the_bot_and_its_privacy_mode() {
    let fake = fake().await;
    let bot = fake.bot();

    let me = bot.get_me().await.unwrap();
    assert_eq!(me.id, UserId(7_000_000_042));
    assert!(me.is_bot);
    assert_eq!(me.username(), "signalos_test_bot");
    assert!(me.can_join_groups);
    assert!(me.can_read_all_group_messages);
    assert!(!me.supports_inline_queries);

    fake.set_privacy(true);
    assert!(!bot.get_me().await.unwrap().can_read_all_group_messages);

    let calls = fake.calls_to("getMe");
    assert_eq!(calls.len(), 2);
    assert!(calls.iter().all(|c| c.status == Some(200)));
    assert_eq!(fake.bot_id(), BOT_ID);
}

#[tokio::test]
async fn channel_posts_and_their_edits_are_channel_post_updates() {
    let fake = fake().await;
    let posted = fake.push(Post::channel(CHANNEL, 17, "BUY XAUUSD 2350").date(1_760_000_000));
    let edited = fake.edited_channel_post(CHANNEL, 17, "BUY XAUUSD 2351", 1_760_000_090);

    let updates = fake.bot().get_updates().await.unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0].id.0, posted);
    assert_eq!(updates[1].id.0, edited);

    let UpdateKind::ChannelPost(post) = &updates[0].kind else {
        panic!("not a channel post: {:?}", updates[0].kind);
    };
    assert_eq!(post.id, MessageId(17));
    assert_eq!(post.chat.id, ChatId(CHANNEL));
    assert!(post.chat.is_channel());
    assert_eq!(post.chat.username(), Some("signals_vip"));
    assert_eq!(post.chat.title(), Some("Signals VIP"));
    assert_eq!(post.text(), Some("BUY XAUUSD 2350"));
    assert_eq!(post.date.timestamp(), 1_760_000_000);
    assert_eq!(
        post.sender_chat.as_ref().map(|c| c.id),
        Some(ChatId(CHANNEL))
    );
    assert!(post.from.is_none());
    assert!(post.edit_date().is_none());

    let UpdateKind::EditedChannelPost(edit) = &updates[1].kind else {
        panic!("not an edited channel post: {:?}", updates[1].kind);
    };
    assert_eq!(edit.id, MessageId(17));
    assert_eq!(edit.text(), Some("BUY XAUUSD 2351"));
    assert_eq!(edit.edit_date().map(|d| d.timestamp()), Some(1_760_000_090));
}

#[tokio::test]
async fn group_and_private_messages_are_message_updates() {
    let fake = fake().await;
    let ann = trader();
    fake.group_message(GROUP, 40, &ann, "SELL EURUSD 1.0850");
    fake.edited_group_message(GROUP, 40, &ann, "SELL EURUSD 1.0855", 1_760_000_500);
    fake.private_message(777, "Operator", "/status now");

    let updates = fake.bot().get_updates().await.unwrap();
    assert_eq!(updates.len(), 3);

    let UpdateKind::Message(said) = &updates[0].kind else {
        panic!("not a message: {:?}", updates[0].kind);
    };
    assert!(said.chat.is_supergroup());
    assert_eq!(said.chat.id, ChatId(GROUP));
    let from = said.from.as_ref().unwrap();
    assert_eq!(from.id, UserId(501));
    assert!(!from.is_bot);
    assert_eq!(from.first_name, "Ann");
    assert_eq!(from.username.as_deref(), Some("ann_trades"));
    assert_eq!(said.text(), Some("SELL EURUSD 1.0850"));

    let UpdateKind::EditedMessage(edit) = &updates[1].kind else {
        panic!("not an edited message: {:?}", updates[1].kind);
    };
    assert_eq!(edit.id, MessageId(40));
    assert_eq!(edit.text(), Some("SELL EURUSD 1.0855"));
    assert_eq!(edit.edit_date().map(|d| d.timestamp()), Some(1_760_000_500));

    let UpdateKind::Message(private) = &updates[2].kind else {
        panic!("not a message: {:?}", updates[2].kind);
    };
    assert!(private.chat.is_private());
    assert_eq!(private.chat.id, ChatId(777));
    assert_eq!(private.from.as_ref().map(|u| u.id), Some(UserId(777)));
    assert_eq!(private.text(), Some("/status now"));
    let entities = private.entities().unwrap();
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].kind, MessageEntityKind::BotCommand);
    assert_eq!((entities[0].offset, entities[0].length), (0, 7));
}

#[tokio::test]
async fn captions_replies_and_forwards_read_as_teloxide_reads_them() {
    let fake = fake().await;
    fake.channel_post(CHANNEL, 30, "BUY GBPUSD 1.2700 SL 1.2650");
    fake.push(Post::channel(CHANNEL, 31, "chart: BUY GBPUSD").caption());
    fake.push(Post::channel(CHANNEL, 32, "move SL to entry").reply_to(30));
    fake.push(Post::channel(CHANNEL, 33, "SELL USDJPY 150.20").forwarded_from(OTHER_CHANNEL, 901));

    let updates = fake.bot().get_updates().await.unwrap();
    assert_eq!(updates.len(), 4);

    let photo = message(&updates[1]);
    assert_eq!(photo.text(), None);
    assert_eq!(photo.caption(), Some("chart: BUY GBPUSD"));
    assert_eq!(photo.photo().map(<[_]>::len), Some(2));

    let reply = message(&updates[2]);
    assert_eq!(reply.text(), Some("move SL to entry"));
    let original = reply.reply_to_message().unwrap();
    assert_eq!(original.id, MessageId(30));
    assert_eq!(original.text(), Some("BUY GBPUSD 1.2700 SL 1.2650"));
    assert!(original.reply_to_message().is_none());

    let forward = message(&updates[3]);
    assert_eq!(forward.text(), Some("SELL USDJPY 150.20"));
    match forward.forward_origin() {
        Some(MessageOrigin::Channel {
            chat, message_id, ..
        }) => {
            assert_eq!(chat.id, ChatId(OTHER_CHANNEL));
            assert_eq!(chat.username(), Some("gold_calls"));
            assert_eq!(*message_id, MessageId(901));
        }
        other => panic!("not forwarded from a channel: {other:?}"),
    }
}

#[tokio::test]
async fn an_offset_confirms_and_drops_the_updates_below_it() {
    let fake = fake().await;
    let bot = fake.bot();
    let first = fake.channel_post(CHANNEL, 1, "one");
    let second = fake.channel_post(CHANNEL, 2, "two");
    let third = fake.channel_post(CHANNEL, 3, "three");

    // Without an offset nothing is confirmed: the same updates come again.
    assert_eq!(bot.get_updates().await.unwrap().len(), 3);
    assert_eq!(bot.get_updates().limit(2).await.unwrap().len(), 2);
    assert_eq!(fake.pending(), 3);
    assert_eq!(fake.confirmed_offset(), 0);

    let rest = bot
        .get_updates()
        .offset(i32::try_from(second).unwrap())
        .await
        .unwrap();
    let ids: Vec<u32> = rest.iter().map(|u| u.id.0).collect();
    assert_eq!(ids, vec![second, third]);
    assert_eq!(fake.pending(), 2);
    assert_eq!(fake.confirmed_offset(), second);
    assert!(first < second);

    let none = bot
        .get_updates()
        .offset(rest.last().unwrap().id.as_offset())
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(fake.pending(), 0);
    fake.wait_confirmed(third + 1, WAIT).await;

    // A confirmed update never comes back, even to an offset from before it.
    assert!(
        bot.get_updates()
            .offset(i32::try_from(first).unwrap())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_long_poll_answers_as_soon_as_an_update_is_pushed() {
    let fake = fake().await;
    let bot = fake.bot();
    let poll = tokio::spawn(async move { bot.get_updates().timeout(10).await });

    fake.wait_calls("getUpdates", 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(!poll.is_finished(), "the poll answered before any update");

    let pushed = Instant::now();
    let id = fake.channel_post(CHANNEL, 5, "BUY XAUUSD");
    let updates = poll.await.unwrap().unwrap();
    assert!(
        pushed.elapsed() < Duration::from_millis(500),
        "the poll took {:?} to answer a push",
        pushed.elapsed()
    );
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].id.0, id);
    assert_eq!(fake.calls_to("getUpdates")[0].status, Some(200));
}

#[tokio::test]
async fn an_empty_long_poll_answers_an_empty_list_at_its_timeout() {
    let fake = fake().await;
    let started = Instant::now();
    let updates = fake.bot().get_updates().timeout(1).await.unwrap();
    assert!(updates.is_empty());
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(950) && took < Duration::from_millis(1_800),
        "an empty 1 s poll took {took:?}"
    );
}

#[tokio::test]
async fn a_second_poll_terminates_the_first_as_telegram_does() {
    let fake = fake().await;
    let bot = fake.bot();
    let first = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(10).await }
    });
    fake.wait_calls("getUpdates", 1, WAIT).await;

    assert!(bot.get_updates().await.unwrap().is_empty());
    match first.await.unwrap() {
        Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) => {}
        other => panic!("the first poll got {other:?}"),
    }
    let statuses: Vec<Option<u16>> = fake
        .calls_to("getupdates")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, vec![Some(409), Some(200)]);
}

#[tokio::test]
async fn too_many_requests_is_retry_after() {
    let fake = fake().await;
    let bot = fake.bot();
    fake.channel_post(CHANNEL, 1, "BUY XAUUSD");
    fake.fail_next(
        "getUpdates",
        429,
        "Too Many Requests: retry after 7",
        Some(7),
    );

    match bot.get_updates().await {
        Err(RequestError::RetryAfter(secs)) => assert_eq!(secs.seconds(), 7),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    // One failure queued, one failure given: the next call is served.
    assert_eq!(bot.get_updates().await.unwrap().len(), 1);
    let failed = &fake.calls_to("getupdates")[0];
    assert_eq!(failed.status, Some(429));
}

#[tokio::test]
async fn unauthorized_is_invalid_token() {
    let fake = fake().await;
    let stranger =
        teloxide::Bot::new("7000000042:AAEsomeoneElsesTokenAltogether_999").set_api_url(fake.url());
    match stranger.get_me().await {
        Err(RequestError::Api(ApiError::InvalidToken)) => {}
        other => panic!("a wrong token got {other:?}"),
    }
    assert_eq!(fake.calls_to("getme")[0].status, Some(401));

    fake.fail_next("getMe", 401, "Unauthorized", None);
    match fake.bot().get_me().await {
        Err(RequestError::Api(ApiError::InvalidToken)) => {}
        other => panic!("an injected 401 got {other:?}"),
    }
    // teloxide reads Telegram's 404 for an unknown method as a bad token too.
    let (status, body) = raw(
        &fake,
        &format!("/bot{TOKEN}/noSuchMethod"),
        "application/json",
        "{}",
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["description"], "Not Found");
}

#[tokio::test]
async fn a_conflict_is_terminated_by_other_get_updates() {
    let fake = fake().await;
    fake.fail_next(
        "getupdates",
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        None,
    );
    match fake.bot().get_updates().await {
        Err(RequestError::Api(ApiError::TerminatedByOtherGetUpdates)) => {}
        other => panic!("a 409 got {other:?}"),
    }
}

#[tokio::test]
async fn a_webhook_blocks_get_updates_until_deleted() {
    let fake = fake().await;
    let bot = fake.bot();
    fake.channel_post(CHANNEL, 1, "BUY XAUUSD");
    fake.set_webhook("https://hooks.example.org/bot");

    let info = bot.get_webhook_info().await.unwrap();
    assert_eq!(
        info.url.map(|u| u.to_string()).as_deref(),
        Some("https://hooks.example.org/bot")
    );
    assert_eq!(info.pending_update_count, 1);

    // teloxide's CantGetUpdates wants the text without "Conflict: " and without the advice
    // Telegram appends, so the real answer arrives as Unknown.
    match bot.get_updates().await {
        Err(RequestError::Api(ApiError::Unknown(text))) => {
            assert!(
                text.starts_with("Conflict: can't use getUpdates method while webhook is active"),
                "{text}"
            );
        }
        other => panic!("getUpdates under a webhook got {other:?}"),
    }
    assert_eq!(fake.calls_to("getUpdates")[0].status, Some(409));

    bot.delete_webhook().await.unwrap();
    assert_eq!(bot.get_webhook_info().await.unwrap().url, None);
    assert_eq!(bot.get_updates().await.unwrap().len(), 1);
}

#[tokio::test]
async fn get_chat_finds_a_chat_by_username_or_id() {
    let fake = fake().await;
    let bot = fake.bot();

    let chat = bot
        .get_chat(Recipient::ChannelUsername("@signals_vip".into()))
        .await
        .unwrap();
    assert_eq!(chat.id, ChatId(CHANNEL));
    assert!(chat.is_channel());
    assert_eq!(chat.title(), Some("Signals VIP"));
    assert_eq!(chat.username(), Some("signals_vip"));

    let group = bot.get_chat(ChatId(GROUP)).await.unwrap();
    assert!(group.is_supergroup());
    assert_eq!(group.title(), Some("Gold Traders"));

    match bot
        .get_chat(Recipient::ChannelUsername("@nobody_here".into()))
        .await
    {
        Err(RequestError::Api(ApiError::ChatNotFound)) => {}
        other => panic!("an unknown chat got {other:?}"),
    }
}

#[tokio::test]
async fn get_chat_member_says_what_the_bot_and_users_are() {
    let fake = fake().await;
    let bot = fake.bot();
    let ann = trader();
    fake.set_member(GROUP, &ann, "administrator");

    let me = bot
        .get_chat_member(ChatId(CHANNEL), UserId(7_000_000_042))
        .await
        .unwrap();
    assert!(me.user.is_bot);
    match &me.kind {
        ChatMemberKind::Administrator(rights) => {
            assert!(rights.can_post_messages);
            assert!(rights.can_edit_messages);
        }
        other => panic!("the bot is {other:?} in its channel"),
    }
    assert!(
        bot.get_chat_member(ChatId(GROUP), UserId(7_000_000_042))
            .await
            .unwrap()
            .is_member()
    );

    let admin = bot
        .get_chat_member(ChatId(GROUP), UserId(501))
        .await
        .unwrap();
    assert!(admin.is_administrator());
    assert_eq!(admin.user.first_name, "Ann");
    assert!(
        bot.get_chat_member(ChatId(GROUP), UserId(999))
            .await
            .unwrap()
            .is_left()
    );

    fake.set_bot_status(CHANNEL, "left");
    assert!(
        bot.get_chat_member(ChatId(CHANNEL), UserId(7_000_000_042))
            .await
            .unwrap()
            .is_left()
    );
}

#[tokio::test]
async fn send_message_is_recorded_and_answered_with_a_message() {
    let fake = fake().await;
    let bot = fake.bot();
    fake.private_message(777, "Operator", "/status");
    let keyboard =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Confirm", "confirm:1")]]);

    let sent = bot
        .send_message(ChatId(777), "<b>2 open</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard)
        .reply_parameters(ReplyParameters::new(MessageId(1)))
        .await
        .unwrap();
    assert_eq!(sent.id, MessageId(2), "the operator's message was 1");
    assert_eq!(sent.chat.id, ChatId(777));
    assert_eq!(sent.text(), Some("<b>2 open</b>"));
    assert_eq!(
        sent.from.as_ref().map(|u| u.id),
        Some(UserId(7_000_000_042))
    );
    assert_eq!(
        sent.reply_to_message().and_then(Message::text),
        Some("/status")
    );
    assert!(sent.reply_markup().is_some());

    let recorded = fake.wait_sent(|m| m.text.contains("open"), WAIT).await;
    assert_eq!(recorded.chat_id, 777);
    assert_eq!(recorded.message_id, 2);
    assert_eq!(recorded.parse_mode.as_deref(), Some("HTML"));
    assert_eq!(recorded.reply_to, Some(1));
    let markup = recorded.reply_markup.unwrap();
    assert_eq!(
        markup["inline_keyboard"][0][0]["callback_data"],
        "confirm:1"
    );

    // An operator's reply to what the bot sent carries the bot's message.
    fake.push(Post::private(&Person::new(777, "Operator"), "yes").reply_to(2));
    let updates = bot.get_updates().await.unwrap();
    let reply = message(updates.last().unwrap());
    assert_eq!(
        reply
            .reply_to_message()
            .and_then(|m| m.from.as_ref())
            .map(|u| u.id),
        Some(UserId(7_000_000_042))
    );
}

#[tokio::test]
async fn send_message_fails_where_telegram_refuses() {
    let fake = fake().await;
    let bot = fake.bot();
    fake.set_bot_status(OTHER_CHANNEL, "member");

    match bot.send_message(ChatId(-1_000_000_000_001), "hi").await {
        Err(RequestError::Api(ApiError::ChatNotFound)) => {}
        other => panic!("an unknown chat got {other:?}"),
    }
    match bot.send_message(ChatId(OTHER_CHANNEL), "hi").await {
        Err(RequestError::Api(ApiError::NotEnoughRightsToPostMessages)) => {}
        other => panic!("a channel without admin rights got {other:?}"),
    }
    fake.set_bot_status(GROUP, "kicked");
    match bot.send_message(ChatId(GROUP), "hi").await {
        Err(RequestError::Api(ApiError::BotKickedFromSupergroup)) => {}
        other => panic!("a supergroup the bot was kicked from got {other:?}"),
    }
    // A channel post goes out signed by the channel.
    let post = bot
        .send_message(Recipient::ChannelUsername("@signals_vip".into()), "ok")
        .await
        .unwrap();
    assert_eq!(post.sender_chat.map(|c| c.id), Some(ChatId(CHANNEL)));
    assert_eq!(fake.sent().len(), 1);
}

#[tokio::test]
async fn set_my_commands_is_recorded() {
    let fake = fake().await;
    let bot = fake.bot();
    bot.set_my_commands([
        BotCommand::new("status", "Show open trades"),
        BotCommand::new("pause", "Stop taking signals"),
    ])
    .await
    .unwrap();

    assert_eq!(
        fake.commands(),
        vec![
            ("status".to_owned(), "Show open trades".to_owned()),
            ("pause".to_owned(), "Stop taking signals".to_owned()),
        ]
    );
    let listed = bot.get_my_commands().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].command, "pause");

    bot.delete_my_commands().await.unwrap();
    assert!(fake.commands().is_empty());
}

#[tokio::test]
async fn privacy_mode_hides_plain_group_messages_from_a_non_admin_bot() {
    let fake = fake().await;
    let ann = trader();
    fake.set_privacy(true);
    fake.group_message(GROUP, 1, &ann, "BUY XAUUSD 2350");
    let command = fake.group_message(GROUP, 2, &ann, "/status");
    let mention = fake.group_message(GROUP, 3, &ann, "@signalos_test_bot status?");
    assert_eq!(fake.pending(), 2);

    let ids: Vec<u32> = fake
        .bot()
        .get_updates()
        .await
        .unwrap()
        .iter()
        .map(|u| u.id.0)
        .collect();
    assert_eq!(ids, vec![command, mention]);

    // An administrator reads everything, privacy or not.
    fake.set_bot_status(GROUP, "administrator");
    fake.group_message(GROUP, 4, &ann, "SELL XAUUSD 2360");
    assert_eq!(fake.pending(), 3);
}

#[tokio::test]
async fn allowed_updates_keep_out_the_kinds_not_asked_for() {
    let fake = fake().await;
    let bot = fake.bot();
    let polled = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::ChannelPost])
        .await
        .unwrap();
    assert!(polled.is_empty());
    assert_eq!(
        fake.allowed_updates(),
        Some(vec!["channel_post".to_owned()])
    );

    fake.channel_post(CHANNEL, 1, "BUY XAUUSD");
    fake.edited_channel_post(CHANNEL, 1, "BUY XAUUSD 2350", 1_760_000_000);
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.len(), 1);
    assert!(matches!(updates[0].kind, UpdateKind::ChannelPost(_)));
}

#[tokio::test]
async fn teloxides_dispatcher_polls_the_fake() {
    let fake = fake().await;
    let (posts, mut received) = tokio::sync::mpsc::unbounded_channel::<Message>();
    let handler = Update::filter_channel_post().endpoint(move |post: Message| {
        let posts = posts.clone();
        async move {
            posts.send(post).ok();
            respond(())
        }
    });
    fake.set_webhook("https://hooks.example.org/other-deployment");
    let mut dispatcher = Dispatcher::builder(fake.bot(), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    fake.wait_calls("getUpdates", 1, WAIT).await;
    let id = fake.channel_post(CHANNEL, 9, "BUY XAUUSD 2350");
    let post = tokio::time::timeout(WAIT, received.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post.text(), Some("BUY XAUUSD 2350"));
    fake.wait_confirmed(id + 1, WAIT).await;

    shutdown.shutdown().unwrap().await;
    running.await.unwrap();

    // The default polling looks for a webhook first, and deletes one it finds.
    let methods: Vec<String> = fake.calls().into_iter().map(|c| c.method).collect();
    assert_eq!(&methods[..3], ["getwebhookinfo", "deletewebhook", "getme"]);
    let polls = fake.calls_to("getupdates");
    // The dispatcher asks only for what its handlers take, and long-polls for 10 s.
    assert_eq!(
        polls[0].params["allowed_updates"],
        serde_json::json!(["channel_post"])
    );
    assert_eq!(polls[0].params["timeout"], 10);
}

#[tokio::test]
async fn going_away_refuses_connections_and_drops_a_waiting_poll() {
    let fake = fake().await;
    let bot = fake.bot();
    bot.get_me().await.unwrap();
    let poll = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().timeout(10).await }
    });
    fake.wait_calls("getUpdates", 1, WAIT).await;

    fake.go_away().await;
    assert!(matches!(poll.await.unwrap(), Err(RequestError::Network(_))));
    let started = Instant::now();
    assert!(matches!(bot.get_me().await, Err(RequestError::Network(_))));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "a refusal took {:?}",
        started.elapsed()
    );
    assert_eq!(fake.calls_to("getUpdates")[0].status, None);

    let id = fake.channel_post(CHANNEL, 1, "BUY XAUUSD");
    fake.resume().await;
    bot.get_me().await.unwrap();
    let updates = bot.get_updates().await.unwrap();
    assert_eq!(updates.iter().map(|u| u.id.0).collect::<Vec<_>>(), vec![id]);
}

#[tokio::test]
async fn a_paused_server_answers_bad_gateway() {
    let fake = fake().await;
    let path = format!("/bot{TOKEN}/getUpdates");
    let waiting = tokio::spawn({
        let path = path.clone();
        let fake_url = fake.addr();
        async move {
            let mut stream = tokio::net::TcpStream::connect(fake_url).await.unwrap();
            let body = r#"{"timeout":10}"#;
            let request = format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut response = String::new();
            stream.read_to_string(&mut response).await.unwrap();
            response
        }
    });
    fake.wait_calls("getUpdates", 1, WAIT).await;

    fake.pause();
    let held = waiting.await.unwrap();
    assert!(held.starts_with("HTTP/1.1 502"), "{held}");
    let (status, body) = raw(&fake, &format!("/bot{TOKEN}/getMe"), "application/json", "").await;
    assert_eq!(status, 502);
    assert_eq!(body["description"], "Bad Gateway");
    assert_eq!(body["error_code"], 502);

    // teloxide waits 10 s on any 5xx before it even reads the answer.
    let bot = fake.bot();
    let early = tokio::time::timeout(Duration::from_millis(700), bot.get_me().into_future()).await;
    assert!(early.is_err(), "teloxide answered a 502 at once: {early:?}");

    fake.resume().await;
    assert_eq!(bot.get_me().await.unwrap().id, UserId(7_000_000_042));
}

#[tokio::test]
async fn malformed_requests_are_answered_not_panicked_on() {
    let fake = fake().await;
    let method = |m: &str| format!("/bot{TOKEN}/{m}");

    let (status, body) = raw(
        &fake,
        &method("getUpdates"),
        "application/json",
        "{not json",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["ok"], false);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("Bad Request: can't parse JSON")
    );

    let (status, _) = raw(&fake, &method("getUpdates"), "application/json", "[1, 2]").await;
    assert_eq!(status, 400);
    let (status, body) = raw(
        &fake,
        &method("getUpdates"),
        "application/json",
        r#"{"offset":"soon"}"#,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["description"].as_str().unwrap().contains("offset"));
    let (status, _) = raw(
        &fake,
        &method("sendMessage"),
        "application/json",
        r#"{"chat_id":{"x":1},"text":"hi"}"#,
    )
    .await;
    assert_eq!(status, 400);
    let (status, body) = raw(
        &fake,
        &method("sendMessage"),
        "application/json",
        r#"{"chat_id":-1001234567890}"#,
    )
    .await;
    assert_eq!(
        (status, body["description"].as_str()),
        (400, Some("Bad Request: message text is empty"))
    );
    let (status, _) = raw(
        &fake,
        &method("setMyCommands"),
        "application/json",
        r#"{"commands":[{"command":1}]}"#,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = raw(
        &fake,
        &method("getChat"),
        "multipart/form-data; boundary=x",
        "--x--",
    )
    .await;
    assert_eq!(status, 400);
    let (status, body) = raw(&fake, "/favicon.ico", "text/plain", "").await;
    assert_eq!(
        (status, body["description"].as_str()),
        (404, Some("Not Found"))
    );
    let (status, body) = raw(&fake, "/botWRONG/getMe?x=1", "text/plain", "").await;
    assert_eq!((status, body["error_code"].as_i64()), (401, Some(401)));

    // Forms and query strings are read as Telegram reads them.
    let (status, body) = raw(
        &fake,
        &method("getChat"),
        "application/x-www-form-urlencoded",
        "chat_id=%40signals_vip",
    )
    .await;
    assert_eq!(
        (status, body["result"]["id"].as_i64()),
        (200, Some(CHANNEL))
    );
    let (status, body) = raw(
        &fake,
        &format!("{}?chat_id={GROUP}", method("GETCHAT")),
        "text/plain",
        "",
    )
    .await;
    assert_eq!(
        (status, body["result"]["type"].as_str()),
        (200, Some("supergroup"))
    );

    // The server still serves the real client after all that.
    assert_eq!(fake.bot().get_me().await.unwrap().id, UserId(7_000_000_042));
}
