//! A fake Telegram Bot API on 127.0.0.1, for tests that drive the real teloxide client (or
//! anything built on it) without the network: the test states the world (chats, the bot's rights
//! in them, posts and edits), the client sees Telegram's JSON shapes and errors, and the test reads
//! back every call. tests/botapi.rs proves that teloxide reads what this server writes.
//! Include it with `#[path = "support/botapi.rs"] mod botapi;`.
//!
//! Where Telegram itself would not deliver an update (privacy mode in a group, a chat the bot
//! left, a kind outside `allowed_updates`), neither does this server: a client that forgets to ask
//! for edits or runs a bot in privacy mode fails here as it would in production.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::{Map, Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch};

/// A long poll is held at most this long, whatever `timeout` asks for: an absurd timeout must
/// not overflow an `Instant`.
const MAX_POLL: Duration = Duration::from_secs(50);

/// Telegram's own words, kept exact: teloxide reads the first as `TerminatedByOtherGetUpdates`,
/// and the second as `Unknown` (its `CantGetUpdates` expects a shorter text Telegram no longer
/// sends), which a client must be ready for.
const TERMINATED: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/// Telegram's update ids do not start at 1; starting high catches a client that assumes they do.
const FIRST_UPDATE_ID: u32 = 500_000_001;

/// Whose chat this is, as Telegram's `Chat.type` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatKind {
    Channel,
    Supergroup,
    Group,
    Private,
}

impl ChatKind {
    fn wire(self) -> &'static str {
        match self {
            ChatKind::Channel => "channel",
            ChatKind::Supergroup => "supergroup",
            ChatKind::Group => "group",
            ChatKind::Private => "private",
        }
    }
}

/// A Telegram user who writes in a group or to the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
}

impl Person {
    pub fn new(id: i64, first_name: &str) -> Person {
        Person {
            id,
            first_name: first_name.to_owned(),
            username: None,
        }
    }

    pub fn username(mut self, username: &str) -> Person {
        self.username = Some(username.to_owned());
        self
    }

    fn json(&self) -> Value {
        let mut user = json!({"id": self.id, "is_bot": false, "first_name": self.first_name});
        if let Some(name) = &self.username {
            user["username"] = json!(name);
        }
        user
    }
}

/// One request the server answered (or is still answering), in order of arrival.
#[derive(Clone, Debug)]
pub struct Call {
    /// The method name lowercased: `getupdates`, `sendmessage`.
    pub method: String,
    /// The query string and body merged; form values stay strings, as they came.
    pub params: Value,
    /// The HTTP status answered; `None` while a long poll waits, or when the client went away
    /// before its answer.
    pub status: Option<u16>,
    pub at: Instant,
    /// When the answer was handed to the server to send (a long poll's: when it woke).
    pub answered: Option<Instant>,
}

/// One message the bot sent with `sendMessage`.
#[derive(Clone, Debug)]
pub struct Sent {
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
    pub parse_mode: Option<String>,
    pub reply_markup: Option<Value>,
    /// `reply_parameters.message_id`, or the older `reply_to_message_id`.
    pub reply_to: Option<i64>,
    pub at: Instant,
}

/// A post, a group message or a private message, to be pushed as an update. The text is the
/// message's `text`, or a photo's `caption` after [`Post::caption`].
#[derive(Clone, Debug)]
pub struct Post {
    chat_id: i64,
    message_id: Option<i64>,
    text: String,
    from: Option<Person>,
    date: Option<i64>,
    edit_date: Option<i64>,
    reply_to: Option<i64>,
    caption: bool,
    forwarded_from: Option<(i64, i64)>,
}

impl Post {
    /// A post in a channel: `channel_post`, signed by the channel (`sender_chat`), no `from`.
    pub fn channel(chat_id: i64, message_id: i64, text: &str) -> Post {
        Post::new(chat_id, Some(message_id), None, text)
    }

    /// A message in a group or supergroup from `from`: a `message` update.
    pub fn group(chat_id: i64, message_id: i64, from: &Person, text: &str) -> Post {
        Post::new(chat_id, Some(message_id), Some(from.clone()), text)
    }

    /// A message to the bot from `from`, whose private chat has the user's id. The message id is
    /// the chat's next.
    pub fn private(from: &Person, text: &str) -> Post {
        Post::new(from.id, None, Some(from.clone()), text)
    }

    fn new(chat_id: i64, message_id: Option<i64>, from: Option<Person>, text: &str) -> Post {
        Post {
            chat_id,
            message_id,
            text: text.to_owned(),
            from,
            date: None,
            edit_date: None,
            reply_to: None,
            caption: false,
            forwarded_from: None,
        }
    }

    /// The edit of the message: `edited_channel_post` or `edited_message`, with `edit_date`.
    pub fn edited(mut self, edit_date: i64) -> Post {
        self.edit_date = Some(edit_date);
        self
    }

    /// When it was sent, in unix seconds (now unless given).
    pub fn date(mut self, unix_secs: i64) -> Post {
        self.date = Some(unix_secs);
        self
    }

    /// A reply to an earlier message of the same chat, which must have been pushed or sent
    /// before: Telegram carries the replied-to message whole.
    pub fn reply_to(mut self, message_id: i64) -> Post {
        self.reply_to = Some(message_id);
        self
    }

    /// A photo with the text as its caption, instead of a text message.
    pub fn caption(mut self) -> Post {
        self.caption = true;
        self
    }

    /// Forwarded from a channel's message (`forward_origin` of type `channel`); the text stays.
    pub fn forwarded_from(mut self, channel_id: i64, message_id: i64) -> Post {
        self.forwarded_from = Some((channel_id, message_id));
        self
    }
}

/// A fake Telegram Bot API server, serving until dropped.
pub struct FakeBotApi {
    shared: Arc<Shared>,
    addr: SocketAddr,
    token: String,
    control: mpsc::UnboundedSender<(Control, oneshot::Sender<Result<(), String>>)>,
}

impl FakeBotApi {
    /// Serve on a free port of 127.0.0.1, answering only to `token`. The bot's id is the token's
    /// number before the colon, as with Telegram (7000000001 if there is none).
    pub async fn start(token: &str) -> FakeBotApi {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let bot_id = token
            .split_once(':')
            .and_then(|(id, _)| id.parse::<i64>().ok())
            .unwrap_or(7_000_000_001);
        let (changed, _) = watch::channel(0);
        let shared = Arc::new(Shared {
            state: Mutex::new(BotState::new(token, bot_id)),
            changed,
        });
        let router = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let (control, orders) = mpsc::unbounded_channel();
        tokio::spawn(accept_loop(listener, addr, router, orders));
        FakeBotApi {
            shared,
            addr,
            token: token.to_owned(),
            control,
        }
    }

    /// The base URL for `Bot::set_api_url`.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&self.api_url()).unwrap()
    }

    /// The base URL as text, for a config file.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// A real teloxide client pointed at this server.
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new(&self.token).set_api_url(self.url())
    }

    pub fn bot_id(&self) -> i64 {
        self.shared.read(|s| s.bot_id)
    }

    pub fn bot_username(&self) -> String {
        self.shared.read(|s| s.bot_username.clone())
    }

    /// A chat the bot knows, with the bot's status in it: `creator`, `administrator`, `member`,
    /// `restricted`, `left` or `kicked`. A private chat's id is its user's, its title the user's
    /// first name.
    pub fn add_chat(
        &self,
        id: i64,
        kind: ChatKind,
        username: Option<&str>,
        title: &str,
        bot_status: &str,
    ) {
        check_status(bot_status);
        let chat = ChatEntry {
            id,
            kind,
            username: username.map(|u| u.trim_start_matches('@').to_owned()),
            title: title.to_owned(),
            bot_status: bot_status.to_owned(),
            members: HashMap::new(),
        };
        self.shared.write(|s| {
            s.chats.insert(id, chat);
        });
    }

    /// The bot's status in a chat changes (demoted, removed).
    pub fn set_bot_status(&self, chat_id: i64, status: &str) {
        check_status(status);
        self.shared
            .write(|s| s.chat_mut(chat_id).bot_status = status.to_owned());
    }

    /// A user's status in a chat, for `getChatMember` (`left` unless set).
    pub fn set_member(&self, chat_id: i64, user: &Person, status: &str) {
        check_status(status);
        self.shared.write(|s| {
            s.users.insert(user.id, user.json());
            s.chat_mut(chat_id)
                .members
                .insert(user.id, status.to_owned());
        });
    }

    /// A webhook is set: `getWebhookInfo` shows it and `getUpdates` answers 409 until a
    /// `deleteWebhook`.
    pub fn set_webhook(&self, url: &str) {
        self.shared.write(|s| s.webhook = Some(url.to_owned()));
    }

    /// Privacy mode (off unless set): `getMe` says the bot cannot read all group messages, and a
    /// group where it is not an administrator delivers only commands, mentions of the bot and
    /// replies to its messages.
    pub fn set_privacy(&self, on: bool) {
        self.shared.write(|s| s.privacy = on);
    }

    /// Push an update and return its id. An update Telegram would not deliver (see the module
    /// doc) takes an id but is never returned by `getUpdates`.
    pub fn push(&self, post: Post) -> u32 {
        self.shared.write(|s| s.push(post))
    }

    pub fn channel_post(&self, chat_id: i64, message_id: i64, text: &str) -> u32 {
        self.push(Post::channel(chat_id, message_id, text))
    }

    pub fn edited_channel_post(
        &self,
        chat_id: i64,
        message_id: i64,
        text: &str,
        edit_date: i64,
    ) -> u32 {
        self.push(Post::channel(chat_id, message_id, text).edited(edit_date))
    }

    pub fn group_message(&self, chat_id: i64, message_id: i64, from: &Person, text: &str) -> u32 {
        self.push(Post::group(chat_id, message_id, from, text))
    }

    pub fn edited_group_message(
        &self,
        chat_id: i64,
        message_id: i64,
        from: &Person,
        text: &str,
        edit_date: i64,
    ) -> u32 {
        self.push(Post::group(chat_id, message_id, from, text).edited(edit_date))
    }

    /// A user writes to the bot; their private chat (id = user id) is added if new.
    pub fn private_message(&self, user_id: i64, first_name: &str, text: &str) -> u32 {
        self.push(Post::private(&Person::new(user_id, first_name), text))
    }

    /// The next call of `method` (any case) fails with `status` and Telegram's error shape; with
    /// `retry_after`, `parameters.retry_after` too. Failures queue, one per call.
    pub fn fail_next(
        &self,
        method: &str,
        status: u16,
        description: &str,
        retry_after: Option<u32>,
    ) {
        let failure = Failure {
            status,
            description: description.to_owned(),
            retry_after,
        };
        self.shared.write(|s| {
            s.failures
                .entry(method.to_ascii_lowercase())
                .or_default()
                .push_back(failure);
        });
    }

    /// Every request, waiting long polls included, answers 502 Bad Gateway until [`resume`].
    /// teloxide sleeps 10 s on any 5xx before it reads the body, so a teloxide call against a
    /// paused server takes 10 s; [`go_away`] fails fast.
    ///
    /// [`resume`]: FakeBotApi::resume
    /// [`go_away`]: FakeBotApi::go_away
    pub fn pause(&self) {
        self.shared.write(|s| s.paused = true);
    }

    /// The server goes away: the port refuses connections and every open connection is dropped
    /// mid-request, until [`resume`](FakeBotApi::resume). Nothing queued is lost.
    pub async fn go_away(&self) {
        self.order(Control::Down).await;
    }

    /// Back from [`pause`](FakeBotApi::pause) or [`go_away`](FakeBotApi::go_away), on the same
    /// port.
    pub async fn resume(&self) {
        self.shared.write(|s| s.paused = false);
        self.order(Control::Up).await;
    }

    async fn order(&self, order: Control) {
        let (done, answer) = oneshot::channel();
        self.control.send((order, done)).unwrap();
        if let Err(e) = answer.await.unwrap() {
            panic!("fake Bot API: {e}");
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.shared.read(|s| s.calls.clone())
    }

    /// The calls of one method (any case).
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.shared.read(|s| {
            s.calls
                .iter()
                .filter(|c| c.method == method)
                .cloned()
                .collect()
        })
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.shared.read(|s| s.sent.clone())
    }

    /// The last `setMyCommands` list as (command, description); empty after `deleteMyCommands`.
    pub fn commands(&self) -> Vec<(String, String)> {
        self.shared.read(|s| s.commands.clone())
    }

    /// Updates queued and not yet confirmed by an offset past them.
    pub fn pending(&self) -> usize {
        self.shared.read(|s| s.updates.len())
    }

    /// The highest offset a `getUpdates` confirmed (0 before any).
    pub fn confirmed_offset(&self) -> u32 {
        self.shared.read(|s| s.confirmed)
    }

    /// The `allowed_updates` the last `getUpdates` that gave one asked for.
    pub fn allowed_updates(&self) -> Option<Vec<String>> {
        self.shared.read(|s| s.allowed.clone())
    }

    /// Wait for a sent message that `pred` accepts; panic with all that was sent after `timeout`.
    pub async fn wait_sent(&self, pred: impl Fn(&Sent) -> bool, timeout: Duration) -> Sent {
        let found = self
            .wait(timeout, |s| s.sent.iter().find(|m| pred(m)).cloned())
            .await;
        found.unwrap_or_else(|| {
            panic!(
                "fake Bot API: no matching sendMessage within {timeout:?}; sent: {:#?}",
                self.sent()
            )
        })
    }

    /// Wait until `method` (any case) was called at least `n` times, and return those calls;
    /// panic with every call seen after `timeout`.
    pub async fn wait_calls(&self, method: &str, n: usize, timeout: Duration) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        let found = self
            .wait(timeout, |s| {
                let calls: Vec<Call> = s
                    .calls
                    .iter()
                    .filter(|c| c.method == method)
                    .cloned()
                    .collect();
                (calls.len() >= n).then_some(calls)
            })
            .await;
        found.unwrap_or_else(|| {
            let seen: Vec<(String, Option<u16>)> = self
                .calls()
                .into_iter()
                .map(|c| (c.method, c.status))
                .collect();
            panic!(
                "fake Bot API: {method} not called {n} times within {timeout:?}; calls: {seen:?}"
            )
        })
    }

    /// Wait until the client confirmed every update below `offset`; panic after `timeout`.
    pub async fn wait_confirmed(&self, offset: u32, timeout: Duration) {
        let found = self
            .wait(timeout, |s| (s.confirmed >= offset).then_some(()))
            .await;
        if found.is_none() {
            panic!(
                "fake Bot API: offset {offset} not confirmed within {timeout:?}; confirmed {}, {} pending",
                self.confirmed_offset(),
                self.pending()
            );
        }
    }

    async fn wait<T>(
        &self,
        timeout: Duration,
        check: impl Fn(&BotState) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Subscribed before the check, so that a change between the two still wakes us.
            let mut changes = self.shared.changed.subscribe();
            if let Some(found) = self.shared.read(&check) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, changes.changed())
                .await
                .is_err()
            {
                return self.shared.read(&check);
            }
        }
    }
}

struct Shared {
    state: Mutex<BotState>,
    /// Bumped on every change, to wake long polls and the test's waiters.
    changed: watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, BotState> {
        // A panicking test thread must not turn every later request into a panic too.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn read<R>(&self, f: impl FnOnce(&BotState) -> R) -> R {
        f(&self.lock())
    }

    fn write<R>(&self, f: impl FnOnce(&mut BotState) -> R) -> R {
        let result = f(&mut self.lock());
        self.changed.send_modify(|n| *n += 1);
        result
    }
}

struct ChatEntry {
    id: i64,
    kind: ChatKind,
    username: Option<String>,
    title: String,
    bot_status: String,
    members: HashMap<i64, String>,
}

impl ChatEntry {
    /// Telegram's small `Chat`, as in a message.
    fn json(&self) -> Value {
        let mut chat = json!({"id": self.id, "type": self.kind.wire()});
        if self.kind == ChatKind::Private {
            chat["first_name"] = json!(self.title);
        } else {
            chat["title"] = json!(self.title);
        }
        if let Some(name) = &self.username {
            chat["username"] = json!(name);
        }
        chat
    }

    /// `ChatFullInfo`, as `getChat` answers.
    fn full_json(&self) -> Value {
        let mut chat = self.json();
        chat["accent_color_id"] = json!(0);
        chat["max_reaction_count"] = json!(11);
        chat["accepted_gift_types"] = json!({
            "unlimited_gifts": false,
            "limited_gifts": false,
            "unique_gifts": false,
            "premium_subscription": false
        });
        chat
    }

    fn is_member(status: &str) -> bool {
        !matches!(status, "left" | "kicked")
    }

    fn bot_is_admin(&self) -> bool {
        matches!(self.bot_status.as_str(), "administrator" | "creator")
    }
}

struct Failure {
    status: u16,
    description: String,
    retry_after: Option<u32>,
}

impl Failure {
    fn new(status: u16, description: impl Into<String>) -> Failure {
        Failure {
            status,
            description: description.into(),
            retry_after: None,
        }
    }

    fn bad_request(why: impl std::fmt::Display) -> Failure {
        Failure::new(400, format!("Bad Request: {why}"))
    }
}

struct BotState {
    token: String,
    bot_id: i64,
    bot_username: String,
    privacy: bool,
    chats: BTreeMap<i64, ChatEntry>,
    users: HashMap<i64, Value>,
    /// The latest version of every message, for the `reply_to_message` of a later one.
    messages: HashMap<(i64, i64), Value>,
    next_message_id: HashMap<i64, i64>,
    updates: VecDeque<(u32, Value)>,
    next_update_id: u32,
    confirmed: u32,
    allowed: Option<Vec<String>>,
    /// Bumped by every `getUpdates`, so that an older one still waiting answers 409 as
    /// Telegram's does.
    poll_generation: u64,
    webhook: Option<String>,
    failures: HashMap<String, VecDeque<Failure>>,
    paused: bool,
    calls: Vec<Call>,
    sent: Vec<Sent>,
    commands: Vec<(String, String)>,
}

impl BotState {
    fn new(token: &str, bot_id: i64) -> BotState {
        BotState {
            token: token.to_owned(),
            bot_id,
            bot_username: "signalos_test_bot".to_owned(),
            privacy: false,
            chats: BTreeMap::new(),
            users: HashMap::new(),
            messages: HashMap::new(),
            next_message_id: HashMap::new(),
            updates: VecDeque::new(),
            next_update_id: FIRST_UPDATE_ID,
            confirmed: 0,
            allowed: None,
            poll_generation: 0,
            webhook: None,
            failures: HashMap::new(),
            paused: false,
            calls: Vec::new(),
            sent: Vec::new(),
            commands: Vec::new(),
        }
    }

    fn chat_mut(&mut self, id: i64) -> &mut ChatEntry {
        self.chats
            .get_mut(&id)
            .unwrap_or_else(|| panic!("fake Bot API: chat {id} was never added (add_chat)"))
    }

    fn bot_user(&self) -> Value {
        json!({
            "id": self.bot_id,
            "is_bot": true,
            "first_name": "SignalOS Test",
            "username": self.bot_username
        })
    }

    fn me(&self) -> Value {
        let mut me = self.bot_user();
        me["can_join_groups"] = json!(true);
        me["can_read_all_group_messages"] = json!(!self.privacy);
        me["supports_inline_queries"] = json!(false);
        me["can_connect_to_business"] = json!(false);
        me["has_main_web_app"] = json!(false);
        me
    }

    fn find_chat(&self, chat: &ChatRef) -> Option<&ChatEntry> {
        match chat {
            ChatRef::Id(id) => self.chats.get(id),
            ChatRef::Username(name) => self.chats.values().find(|c| {
                c.username
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(name))
            }),
        }
    }

    fn take_message_id(&mut self, chat_id: i64, given: Option<i64>) -> i64 {
        let next = self.next_message_id.entry(chat_id).or_insert(1);
        let id = given.unwrap_or(*next);
        *next = (*next).max(id + 1);
        id
    }

    /// The replied-to message as Telegram nests it: whole, but never with a reply of its own.
    fn replied(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        let mut message = self.messages.get(&(chat_id, message_id))?.clone();
        if let Some(fields) = message.as_object_mut() {
            fields.remove("reply_to_message");
        }
        Some(message)
    }

    fn push(&mut self, post: Post) -> u32 {
        if !self.chats.contains_key(&post.chat_id) {
            match (&post.from, post.chat_id > 0) {
                (Some(from), true) if from.id == post.chat_id => {
                    let chat = ChatEntry {
                        id: from.id,
                        kind: ChatKind::Private,
                        username: from.username.clone(),
                        title: from.first_name.clone(),
                        bot_status: "member".to_owned(),
                        members: HashMap::new(),
                    };
                    self.chats.insert(from.id, chat);
                }
                _ => panic!(
                    "fake Bot API: chat {} was never added (add_chat)",
                    post.chat_id
                ),
            }
        }
        let message_id = self.take_message_id(post.chat_id, post.message_id);
        let message = self.message_json(&post, message_id);
        self.messages
            .insert((post.chat_id, message_id), message.clone());
        if let Some(from) = &post.from {
            self.users.insert(from.id, from.json());
        }

        let chat = &self.chats[&post.chat_id];
        let key = match (chat.kind, post.edit_date.is_some()) {
            (ChatKind::Channel, false) => "channel_post",
            (ChatKind::Channel, true) => "edited_channel_post",
            (_, false) => "message",
            (_, true) => "edited_message",
        };
        let id = self.next_update_id;
        self.next_update_id += 1;
        if self.delivered(&post, key) {
            self.updates
                .push_back((id, json!({"update_id": id, key: message})));
        }
        id
    }

    /// Whether Telegram would deliver this update to the bot at all.
    fn delivered(&self, post: &Post, key: &str) -> bool {
        let chat = &self.chats[&post.chat_id];
        if chat.kind != ChatKind::Private && !ChatEntry::is_member(&chat.bot_status) {
            return false;
        }
        if let Some(allowed) = &self.allowed
            && !allowed.is_empty()
            && !allowed.iter().any(|a| a == key)
        {
            return false;
        }
        let in_group = matches!(chat.kind, ChatKind::Group | ChatKind::Supergroup);
        if in_group && self.privacy && !chat.bot_is_admin() {
            let mention = format!("@{}", self.bot_username);
            let to_bot = post.text.starts_with('/')
                || post.text.contains(&mention)
                || post.reply_to.is_some_and(|r| {
                    self.messages
                        .get(&(post.chat_id, r))
                        .is_some_and(|m| m["from"]["id"] == json!(self.bot_id))
                });
            return to_bot;
        }
        true
    }

    fn message_json(&self, post: &Post, message_id: i64) -> Value {
        let chat = &self.chats[&post.chat_id];
        let date = post.date.unwrap_or_else(now_unix);
        let mut message = json!({"message_id": message_id, "date": date, "chat": chat.json()});
        match &post.from {
            Some(from) => message["from"] = from.json(),
            None => message["sender_chat"] = chat.json(),
        }
        if let Some(edit_date) = post.edit_date {
            message["edit_date"] = json!(edit_date);
        }
        if let Some(reply_to) = post.reply_to {
            let replied = self.replied(post.chat_id, reply_to).unwrap_or_else(|| {
                panic!(
                    "fake Bot API: a reply to message {reply_to}, which chat {} never had",
                    post.chat_id
                )
            });
            message["reply_to_message"] = replied;
        }
        if let Some((channel_id, original_id)) = post.forwarded_from {
            let channel = self.chats.get(&channel_id).map_or_else(
                || {
                    let title = format!("channel {channel_id}");
                    json!({"id": channel_id, "type": "channel", "title": title})
                },
                ChatEntry::json,
            );
            message["forward_origin"] = json!({
                "type": "channel",
                "chat": channel,
                "message_id": original_id,
                "date": date
            });
        }
        if post.caption {
            message["photo"] = photo(post.chat_id, message_id);
            message["caption"] = json!(post.text);
            if let Some(entities) = command_entities(&post.text) {
                message["caption_entities"] = entities;
            }
        } else {
            message["text"] = json!(post.text);
            if let Some(entities) = command_entities(&post.text) {
                message["entities"] = entities;
            }
        }
        message
    }

    fn record(&mut self, method: &str, params: Value) -> usize {
        self.calls.push(Call {
            method: method.to_owned(),
            params,
            status: None,
            at: Instant::now(),
            answered: None,
        });
        self.calls.len() - 1
    }
}

fn check_status(status: &str) {
    assert!(
        matches!(
            status,
            "creator" | "administrator" | "member" | "restricted" | "left" | "kicked"
        ),
        "fake Bot API: {status:?} is not a ChatMember status"
    );
}

fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Telegram marks a leading `/command` as a `bot_command` entity, in UTF-16 units.
fn command_entities(text: &str) -> Option<Value> {
    let command = text.strip_prefix('/')?.split_whitespace().next()?;
    let length = 1 + command.encode_utf16().count();
    Some(json!([{"type": "bot_command", "offset": 0, "length": length}]))
}

/// Two sizes of one picture, as Telegram sends every photo.
fn photo(chat_id: i64, message_id: i64) -> Value {
    let id = format!("photo-{chat_id}-{message_id}");
    let size = |suffix: &str, bytes: u32, width: u32, height: u32| {
        json!({
            "file_id": format!("{id}-{suffix}"),
            "file_unique_id": format!("{id}-{suffix}"),
            "file_size": bytes,
            "width": width,
            "height": height
        })
    };
    json!([size("s", 1_204, 90, 60), size("m", 40_961, 800, 533)])
}

fn member_json(user: Value, status: &str, kind: ChatKind) -> Value {
    let mut member = json!({"user": user, "status": status});
    let extra = match status {
        "creator" => json!({"is_anonymous": false}),
        "administrator" => {
            let mut rights = json!({
                "can_be_edited": false,
                "is_anonymous": false,
                "can_manage_chat": true,
                "can_delete_messages": true,
                "can_manage_video_chats": true,
                "can_restrict_members": true,
                "can_promote_members": false,
                "can_change_info": true,
                "can_invite_users": true,
                "can_post_stories": false,
                "can_edit_stories": false,
                "can_delete_stories": false
            });
            if kind == ChatKind::Channel {
                rights["can_post_messages"] = json!(true);
                rights["can_edit_messages"] = json!(true);
            } else {
                rights["can_pin_messages"] = json!(true);
            }
            rights
        }
        "restricted" => {
            let mut rights = json!({"until_date": 0, "is_member": true});
            for right in [
                "can_send_messages",
                "can_send_audios",
                "can_send_documents",
                "can_send_photos",
                "can_send_videos",
                "can_send_video_notes",
                "can_send_voice_notes",
                "can_send_polls",
                "can_send_other_messages",
                "can_add_web_page_previews",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
                "can_manage_topics",
            ] {
                rights[right] = json!(false);
            }
            rights
        }
        "kicked" => json!({"until_date": 0}),
        _ => json!({}),
    };
    if let (Some(member), Some(extra)) = (member.as_object_mut(), extra.as_object()) {
        member.extend(extra.clone());
    }
    member
}

enum ChatRef {
    Id(i64),
    Username(String),
}

/// The request's parameters: the query string, then a JSON or form body over it. Telegram reads
/// all three; teloxide sends JSON.
struct Params(Map<String, Value>);

impl Params {
    fn read(uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Result<Params, Failure> {
        let mut params = Map::new();
        if let Some(query) = uri.query() {
            for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
                params.insert(k.into_owned(), json!(v));
            }
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params(params));
        }
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            for (k, v) in url::form_urlencoded::parse(body) {
                params.insert(k.into_owned(), json!(v));
            }
        } else if content_type.starts_with("multipart/") {
            return Err(Failure::bad_request(
                "this fake Bot API reads JSON and form bodies, not multipart",
            ));
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(fields)) => params.extend(fields),
                Ok(_) => return Err(Failure::bad_request("the body is not a JSON object")),
                Err(e) => return Err(Failure::bad_request(format!("can't parse JSON: {e}"))),
            }
        }
        Ok(Params(params))
    }

    fn int(&self, key: &str) -> Result<Option<i64>, Failure> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
            Some(Value::String(s)) if s.trim().parse::<i64>().is_ok() => Ok(s.trim().parse().ok()),
            Some(other) => Err(Failure::bad_request(format!(
                "field \"{key}\" must be an integer, not {other}"
            ))),
        }
    }

    fn flag(&self, key: &str) -> Result<bool, Failure> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) if s == "true" || s == "false" => Ok(s == "true"),
            Some(other) => Err(Failure::bad_request(format!(
                "field \"{key}\" must be a Boolean, not {other}"
            ))),
        }
    }

    fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// An object or array, sent as JSON or, in a form, as JSON-serialized text.
    fn structured(&self, key: &str) -> Result<Option<Value>, Failure> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => serde_json::from_str(s).map(Some).map_err(|e| {
                Failure::bad_request(format!("can't parse field \"{key}\" as JSON: {e}"))
            }),
            Some(value) => Ok(Some(value.clone())),
        }
    }

    fn chat(&self, key: &str) -> Result<ChatRef, Failure> {
        match self.0.get(key) {
            Some(Value::String(s)) if s.starts_with('@') => {
                Ok(ChatRef::Username(s[1..].to_owned()))
            }
            None | Some(Value::Null) => Err(Failure::bad_request(format!("{key} is empty"))),
            _ => self
                .int(key)?
                .map(ChatRef::Id)
                .ok_or_else(|| Failure::bad_request(format!("{key} is empty"))),
        }
    }
}

fn answer(result: Result<Value, Failure>) -> (u16, Value) {
    match result {
        Ok(result) => (200, json!({"ok": true, "result": result})),
        Err(failure) => {
            let mut body = json!({
                "ok": false,
                "error_code": failure.status,
                "description": failure.description
            });
            if let Some(secs) = failure.retry_after {
                body["parameters"] = json!({"retry_after": secs});
            }
            (failure.status, body)
        }
    }
}

fn respond((status, body): (u16, Value)) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

/// Every request: `/bot<token>/<method>`, any HTTP verb, as Telegram takes them.
async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let segments: Vec<&str> = uri.path().split('/').filter(|s| !s.is_empty()).collect();
    let (token, method) = match segments.as_slice() {
        [bot, method] if bot.starts_with("bot") => (&bot[3..], method.to_ascii_lowercase()),
        _ => return respond(answer(Err(Failure::new(404, "Not Found")))),
    };
    let params = Params::read(&uri, &headers, &body);
    let recorded = params
        .as_ref()
        .map_or(Value::Null, |p| Value::Object(p.0.clone()));
    let index = shared.write(|s| s.record(&method, recorded));

    let reply = if shared.read(|s| s.paused) {
        answer(Err(Failure::new(502, "Bad Gateway")))
    } else if shared.read(|s| s.token != token) {
        answer(Err(Failure::new(401, "Unauthorized")))
    } else if let Some(failure) =
        shared.write(|s| s.failures.get_mut(&method).and_then(VecDeque::pop_front))
    {
        answer(Err(failure))
    } else {
        match params {
            Err(failure) => answer(Err(failure)),
            Ok(params) => answer(call(&shared, &method, &params).await),
        }
    };
    shared.write(|s| {
        s.calls[index].status = Some(reply.0);
        s.calls[index].answered = Some(Instant::now());
    });
    respond(reply)
}

async fn call(shared: &Shared, method: &str, params: &Params) -> Result<Value, Failure> {
    match method {
        "getme" => Ok(shared.read(BotState::me)),
        "getwebhookinfo" => Ok(shared.read(|s| {
            json!({
                "url": s.webhook.clone().unwrap_or_default(),
                "has_custom_certificate": false,
                "pending_update_count": s.updates.len()
            })
        })),
        "deletewebhook" => {
            let drop_pending = params.flag("drop_pending_updates")?;
            shared.write(|s| {
                s.webhook = None;
                if drop_pending {
                    s.updates.clear();
                }
            });
            Ok(json!(true))
        }
        "getupdates" => get_updates(shared, params).await,
        "getchat" => {
            let chat = params.chat("chat_id")?;
            shared.read(|s| {
                s.find_chat(&chat)
                    .map(ChatEntry::full_json)
                    .ok_or_else(|| Failure::bad_request("chat not found"))
            })
        }
        "getchatmember" => {
            let chat = params.chat("chat_id")?;
            let user_id = params
                .int("user_id")?
                .ok_or_else(|| Failure::bad_request("user_id is empty"))?;
            shared.read(|s| {
                let chat = s
                    .find_chat(&chat)
                    .ok_or_else(|| Failure::bad_request("chat not found"))?;
                let (user, status) = if user_id == s.bot_id {
                    (s.bot_user(), chat.bot_status.as_str())
                } else {
                    let user = s.users.get(&user_id).cloned().unwrap_or_else(|| {
                        let name = format!("user {user_id}");
                        json!({"id": user_id, "is_bot": false, "first_name": name})
                    });
                    let status = chat.members.get(&user_id).map_or("left", String::as_str);
                    (user, status)
                };
                Ok(member_json(user, status, chat.kind))
            })
        }
        "sendmessage" => send_message(shared, params),
        "setmycommands" => {
            let commands = params
                .structured("commands")?
                .ok_or_else(|| Failure::bad_request("parameter \"commands\" is required"))?;
            let list = commands
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|c| {
                            Some((
                                c["command"].as_str()?.to_owned(),
                                c["description"].as_str()?.to_owned(),
                            ))
                        })
                        .collect::<Option<Vec<_>>>()
                })
                .unwrap_or(None)
                .ok_or_else(|| Failure::bad_request("can't parse BotCommand array"))?;
            shared.write(|s| s.commands = list);
            Ok(json!(true))
        }
        "deletemycommands" => {
            shared.write(|s| s.commands.clear());
            Ok(json!(true))
        }
        "getmycommands" => Ok(shared.read(|s| {
            s.commands
                .iter()
                .map(|(command, about)| json!({"command": command, "description": about}))
                .collect()
        })),
        _ => Err(Failure::new(404, "Not Found")),
    }
}

async fn get_updates(shared: &Shared, params: &Params) -> Result<Value, Failure> {
    let offset = params.int("offset")?.unwrap_or(0);
    let limit = match params.int("limit")?.unwrap_or(100) {
        n if n <= 0 => 100,
        n => usize::try_from(n.min(100)).unwrap_or(100),
    };
    let timeout = params.int("timeout")?.unwrap_or(0).max(0);
    let timeout = Duration::from_secs(u64::try_from(timeout).unwrap_or(0)).min(MAX_POLL);
    let allowed = match params.structured("allowed_updates")? {
        None => None,
        Some(Value::Array(kinds)) => Some(
            kinds
                .iter()
                .map(|k| k.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| Failure::bad_request("can't parse allowed_updates"))?,
        ),
        Some(_) => return Err(Failure::bad_request("can't parse allowed_updates")),
    };

    let generation = shared.write(|s| {
        if s.webhook.is_some() {
            return Err(webhook_conflict());
        }
        if let Some(allowed) = allowed {
            s.allowed = Some(allowed);
        }
        confirm(s, offset);
        s.poll_generation += 1;
        Ok(s.poll_generation)
    })?;

    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let mut changes = shared.changed.subscribe();
        let ready = shared.read(|s| {
            if s.paused {
                return Some(Err(Failure::new(502, "Bad Gateway")));
            }
            if s.poll_generation != generation {
                return Some(Err(Failure::new(409, TERMINATED)));
            }
            if s.webhook.is_some() {
                return Some(Err(webhook_conflict()));
            }
            let batch: Vec<Value> = s
                .updates
                .iter()
                .take(limit)
                .map(|(_, update)| update.clone())
                .collect();
            (!batch.is_empty()).then_some(Ok(Value::Array(batch)))
        });
        if let Some(ready) = ready {
            return ready;
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_err()
        {
            return Ok(json!([]));
        }
    }
}

/// Updates below a positive offset are gone for good; a negative one keeps only that many of
/// the newest.
fn confirm(s: &mut BotState, offset: i64) {
    if offset > 0 {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        s.updates.retain(|(id, _)| *id >= offset);
        s.confirmed = s.confirmed.max(offset);
    } else if offset < 0 {
        let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
        while s.updates.len() > keep {
            s.updates.pop_front();
        }
        let first = s.updates.front().map_or(s.next_update_id, |(id, _)| *id);
        s.confirmed = s.confirmed.max(first);
    }
}

fn webhook_conflict() -> Failure {
    Failure::new(409, WEBHOOK_ACTIVE)
}

fn send_message(shared: &Shared, params: &Params) -> Result<Value, Failure> {
    let arrived = Instant::now();
    let chat = params.chat("chat_id")?;
    let text = params.text("text").unwrap_or_default();
    if text.trim().is_empty() {
        return Err(Failure::bad_request("message text is empty"));
    }
    let parse_mode = params.text("parse_mode");
    let reply_markup = params.structured("reply_markup")?;
    let reply_to = match params.structured("reply_parameters")? {
        Some(reply) => Some(reply["message_id"].as_i64().ok_or_else(|| {
            Failure::bad_request("can't parse reply parameters: message_id is missing")
        })?),
        None => params.int("reply_to_message_id")?,
    };
    shared.write(|s| {
        let chat = s
            .find_chat(&chat)
            .ok_or_else(|| Failure::bad_request("chat not found"))?;
        refuse_to_send(chat)?;
        let chat_id = chat.id;
        let chat_json = chat.json();
        let channel = chat.kind == ChatKind::Channel;
        let replied = match reply_to {
            Some(id) => Some(
                s.replied(chat_id, id)
                    .ok_or_else(|| Failure::bad_request("message to be replied not found"))?,
            ),
            None => None,
        };
        let message_id = s.take_message_id(chat_id, None);
        let mut message = json!({
            "message_id": message_id,
            "date": now_unix(),
            "chat": chat_json,
            "text": text
        });
        if channel {
            message["sender_chat"] = message["chat"].clone();
        } else {
            message["from"] = s.bot_user();
        }
        if let Some(replied) = replied {
            message["reply_to_message"] = replied;
        }
        if let Some(markup) = reply_markup
            .as_ref()
            .filter(|m| m.get("inline_keyboard").is_some())
        {
            message["reply_markup"] = markup.clone();
        }
        s.messages.insert((chat_id, message_id), message.clone());
        s.sent.push(Sent {
            chat_id,
            message_id,
            text,
            parse_mode,
            reply_markup,
            reply_to,
            at: arrived,
        });
        Ok(message)
    })
}

/// What Telegram answers a bot that may not write in the chat.
fn refuse_to_send(chat: &ChatEntry) -> Result<(), Failure> {
    let place = match chat.kind {
        ChatKind::Channel => "channel chat",
        ChatKind::Supergroup => "supergroup chat",
        ChatKind::Group => "group chat",
        ChatKind::Private if chat.bot_status == "kicked" => {
            return Err(Failure::new(403, "Forbidden: bot was blocked by the user"));
        }
        ChatKind::Private => return Ok(()),
    };
    match chat.bot_status.as_str() {
        "left" => Err(Failure::new(
            403,
            format!("Forbidden: bot is not a member of the {place}"),
        )),
        "kicked" => Err(Failure::new(
            403,
            format!("Forbidden: bot was kicked from the {place}"),
        )),
        _ if chat.kind == ChatKind::Channel && !chat.bot_is_admin() => Err(Failure::bad_request(
            "need administrator rights in the channel chat",
        )),
        _ => Ok(()),
    }
}

enum Control {
    Down,
    Up,
}

/// hyper's accept loop rather than `axum::serve`, which cannot close its port and drop its open
/// connections on demand; an outage test needs both.
async fn accept_loop(
    first: TcpListener,
    addr: SocketAddr,
    router: Router,
    mut orders: mpsc::UnboundedReceiver<(Control, oneshot::Sender<Result<(), String>>)>,
) {
    let (generation, _) = watch::channel(0u64);
    let mut listener = Some(first);
    loop {
        let accepted = async {
            match &listener {
                Some(l) => l.accept().await.ok(),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            stream = accepted => {
                if let Some((stream, _)) = stream {
                    serve_connection(stream, router.clone(), generation.subscribe());
                }
            }
            order = orders.recv() => {
                let Some((order, done)) = order else { return };
                let outcome = match order {
                    Control::Down => {
                        listener = None;
                        generation.send_modify(|g| *g += 1);
                        Ok(())
                    }
                    Control::Up if listener.is_some() => Ok(()),
                    Control::Up => match TcpListener::bind(addr).await {
                        Ok(l) => {
                            listener = Some(l);
                            Ok(())
                        }
                        Err(e) => Err(format!("could not listen on {addr} again: {e}")),
                    },
                };
                // The test may have stopped waiting; nothing to tell it then.
                let _ = done.send(outcome);
            }
        }
    }
}

fn serve_connection(stream: TcpStream, router: Router, mut generation: watch::Receiver<u64>) {
    let born = *generation.borrow_and_update();
    tokio::spawn(async move {
        let service = TowerToHyperService::new(router);
        let connection = hyper::server::conn::http1::Builder::new()
            .serve_connection(TokioIo::new(stream), service);
        tokio::select! {
            // A connection that breaks is the client's business; the server has nothing to add.
            _ = connection => {}
            _ = generation.wait_for(|g| *g != born) => {}
        }
    });
}
