//! Reading Telegram chats, whatever the transport (the Bot API today, a user session later): which
//! configured source reads a chat, how a poll's messages reach the journal before anything is
//! confirmed upstream, how each source's link is reported, and how long to wait after a failure.
//! The transport turns what it receives into [`Incoming`] and says what went wrong as a
//! [`Trouble`]; everything else is here.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use rand::Rng;
use tokio::sync::mpsc;
use tracing::{debug, info, warn};

use super::set_link;
use crate::api::RawMessage;
use crate::config::{ChatRef, TelegramSourceConfig};
use crate::engine::{EngineGone, EngineHandle, LinkState};
use crate::model::{Millis, now_millis};

/// A message someone wrote to the bot in a private chat: for the copilot.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivateMessage {
    pub chat_id: i64,
    pub user_id: i64,
    /// The user's name as Telegram shows it (first name, last name, @username).
    pub user_name: String,
    pub text: String,
    pub sent_at: Millis,
}

/// A message, or a new version of one, in a channel or group.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatPost {
    pub chat_id: i64,
    /// The chat's public @username, without the @, if it has one.
    pub username: Option<String>,
    pub id: i64,
    pub text: String,
    pub reply_to: Option<i64>,
    pub sent_at: Millis,
    /// When this version was made, for an edit.
    pub edited_at: Option<Millis>,
}

/// What one update of a poll is.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Post(ChatPost),
    Private(PrivateMessage),
    /// Nothing to read (a photo without a caption, a service message): why, for the debug log.
    Skip(String),
}

/// A configured chat: the source that reads it and how the config names it.
#[derive(Debug, Clone)]
struct Route {
    source: String,
    chat: ChatRef,
    /// Its id, once known (at once for a chat configured by id).
    id: Option<i64>,
}

/// Which source reads a chat: the allowlist. Messages of any other chat are counted, never read.
#[derive(Debug)]
pub struct Router {
    routes: Vec<Route>,
    /// Chat id → route, for chats configured by id and @usernames once resolved.
    by_id: BTreeMap<i64, usize>,
    /// Lower-case username → route: a message that names its chat's username is read even
    /// before (or without) a resolution, so a failed `getChat` loses nothing.
    by_username: BTreeMap<String, usize>,
    ignored: u64,
    /// Chats already named in the log as ignored: each is named once.
    named: HashSet<i64>,
}

impl Router {
    pub fn new(sources: &[TelegramSourceConfig]) -> Router {
        let mut router = Router {
            routes: Vec::new(),
            by_id: BTreeMap::new(),
            by_username: BTreeMap::new(),
            ignored: 0,
            named: HashSet::new(),
        };
        for source in sources {
            for chat in &source.chats {
                let i = router.routes.len();
                // A chat configured twice is read by the first: see [`Router::sharing`].
                let id = match chat {
                    ChatRef::Id(id) => {
                        router.by_id.entry(*id).or_insert(i);
                        Some(*id)
                    }
                    ChatRef::Username(name) => {
                        router.by_username.entry(bare(name)).or_insert(i);
                        None
                    }
                };
                router.routes.push(Route {
                    source: source.name.clone(),
                    chat: chat.clone(),
                    id,
                });
            }
        }
        router
    }

    /// Every configured chat, in config order.
    pub fn chats(&self) -> impl Iterator<Item = &ChatRef> {
        self.routes.iter().map(|r| &r.chat)
    }

    /// `chat` (as configured) is the chat with this id. A chat configured more than once is
    /// read by the first of them in config order.
    pub fn resolved(&mut self, chat: &ChatRef, id: i64) {
        for (i, route) in self.routes.iter_mut().enumerate() {
            if &route.chat == chat {
                route.id = Some(id);
                // A username once read before an id that is already routed: the id's route
                // stays, whichever came first in the config.
                let first = *self.by_id.entry(id).or_insert(i);
                if i < first {
                    self.by_id.insert(id, i);
                }
            }
        }
    }

    /// The configured chats (source, chat as configured) known to be chat `id`, in config order:
    /// more than one is a mistake, since only the first is read.
    pub fn sharing(&self, id: i64) -> Vec<(String, ChatRef)> {
        self.routes
            .iter()
            .filter(|r| r.id == Some(id))
            .map(|r| (r.source.clone(), r.chat.clone()))
            .collect()
    }

    /// The raw message `post` is for the source that reads its chat, or `None` (counted) when no
    /// source does.
    pub fn route(&mut self, post: ChatPost) -> Option<RawMessage> {
        let found = self.by_id.get(&post.chat_id).copied().or_else(|| {
            post.username
                .as_deref()
                .and_then(|u| self.by_username.get(&bare(u)).copied())
        });
        let Some(route) = found.and_then(|i| self.routes.get(i)) else {
            self.ignored += 1;
            if self.named.insert(post.chat_id) {
                info!(
                    "telegram: messages of chat {}{} are ignored: no source reads it (add it to a source's chats to read it)",
                    post.chat_id,
                    post.username
                        .as_deref()
                        .map(|u| format!(" (@{u})"))
                        .unwrap_or_default()
                );
            }
            return None;
        };
        Some(RawMessage {
            source: route.source.clone(),
            // As the config writes it, so that profiles' chats match what the user wrote.
            chat: route.chat.to_string(),
            id: post.id,
            text: post.text,
            reply_to: post.reply_to,
            // The engine numbers versions from the journal when `edited_at` is set.
            edit: 0,
            received_at: now_millis(),
            sent_at: Some(post.sent_at),
            edited_at: post.edited_at,
        })
    }

    /// Messages of chats no source reads, so far.
    pub fn ignored(&self) -> u64 {
        self.ignored
    }
}

/// A username without its @, in lower case: Telegram's usernames are case-insensitive.
fn bare(name: &str) -> String {
    name.trim_start_matches('@').to_ascii_lowercase()
}

/// What a check of a configured chat found.
#[derive(Debug, Clone, PartialEq)]
pub enum Standing {
    /// Not checked yet.
    Unchecked,
    /// Readable: what it is ("channel “Gold VIP”").
    Readable(String),
    /// Readable in part: what is missing and what to do.
    Partly(String),
    /// Not readable: why and what to do.
    Unreadable(String),
}

/// What to say of chat `id` configured as each of `sharing` (source, chat; more than one), for
/// each of them in turn: the first reads it, the others do not.
pub fn shared_standings(id: i64, sharing: &[(String, ChatRef)]) -> Vec<Standing> {
    let names: Vec<String> = sharing
        .iter()
        .map(|(source, chat)| format!("{chat} (source {source})"))
        .collect();
    let Some((reader, _)) = sharing.first() else {
        return Vec::new();
    };
    let why = format!(
        "{} are the same chat (id {id}): its messages go to source {reader} only; name it in one source, once",
        names.join(" and ")
    );
    (0..sharing.len())
        .map(|i| {
            if i == 0 {
                Standing::Partly(why.clone())
            } else {
                Standing::Unreadable(why.clone())
            }
        })
        .collect()
}

/// Something that stops the whole transport, and how long to wait before trying again.
#[derive(Debug, Clone, PartialEq)]
pub struct Trouble {
    pub state: LinkState,
    /// Why, what is done about it and, when the user must act, what to do.
    pub detail: String,
    pub wait: Duration,
}

/// One source's link and the standing of its chats.
#[derive(Debug)]
struct SourceLink {
    link: String,
    chats: Vec<(ChatRef, Standing)>,
    last: Option<(LinkState, String)>,
}

/// The links of all sources read through one transport.
#[derive(Debug)]
pub struct Health {
    sources: Vec<SourceLink>,
    /// What stops the transport as a whole, if anything.
    trouble: Option<(LinkState, String)>,
}

impl Health {
    pub fn new(sources: &[TelegramSourceConfig]) -> Health {
        Health {
            sources: sources
                .iter()
                .map(|s| SourceLink {
                    link: format!("source:{}", s.name),
                    chats: s
                        .chats
                        .iter()
                        .map(|c| (c.clone(), Standing::Unchecked))
                        .collect(),
                    last: None,
                })
                .collect(),
            trouble: None,
        }
    }

    /// What a check of `chat` found.
    pub fn chat(&mut self, chat: &ChatRef, standing: Standing) {
        for source in &mut self.sources {
            for (c, s) in &mut source.chats {
                if c == chat {
                    *s = standing.clone();
                }
            }
        }
    }

    /// What a check of `chat` as source `source` names it found.
    pub fn chat_of(&mut self, source: &str, chat: &ChatRef, standing: Standing) {
        let link = format!("source:{source}");
        for s in self.sources.iter_mut().filter(|s| s.link == link) {
            for (c, st) in &mut s.chats {
                if c == chat {
                    *st = standing.clone();
                }
            }
        }
    }

    /// The configured chats that are not fully readable: to be checked again.
    pub fn unreadable(&self) -> Vec<ChatRef> {
        self.sources
            .iter()
            .flat_map(|s| &s.chats)
            .filter(|(_, s)| !matches!(s, Standing::Readable(_)))
            .map(|(c, _)| c.clone())
            .collect()
    }

    /// The transport's trouble (`None`: it works).
    pub fn trouble(&mut self, trouble: Option<(LinkState, String)>) {
        self.trouble = trouble;
    }

    /// Each source's link, as the console shows it.
    fn links(&self, ignored: u64) -> Vec<(LinkState, String)> {
        self.sources
            .iter()
            .map(|source| link_of(source, self.trouble.as_ref(), ignored))
            .collect()
    }

    /// Tell the engine each link that changed. `Err` once the engine is gone.
    pub async fn publish(&mut self, engine: &EngineHandle, ignored: u64) -> Result<(), EngineGone> {
        let links = self.links(ignored);
        for (source, (state, detail)) in self.sources.iter_mut().zip(links) {
            if !set_link(engine, &source.link, &mut source.last, state, detail).await {
                return Err(EngineGone);
            }
        }
        Ok(())
    }
}

/// A source's link: the transport's trouble first, then its chats: up when all are read,
/// degraded (naming the chats at fault) when some are, down when none is.
fn link_of(
    source: &SourceLink,
    trouble: Option<&(LinkState, String)>,
    ignored: u64,
) -> (LinkState, String) {
    if let Some((state, detail)) = trouble {
        return (*state, detail.clone());
    }
    let mut problems = Vec::new();
    let mut reading = Vec::new();
    let mut unchecked = Vec::new();
    // Chats read at least in part, and chats not read at all.
    let (mut some_read, mut some_unread) = (false, false);
    for (chat, standing) in &source.chats {
        match standing {
            Standing::Unchecked => unchecked.push(chat.to_string()),
            Standing::Readable(what) => {
                some_read = true;
                reading.push(format!("{chat} ({what})"));
            }
            Standing::Partly(why) => {
                some_read = true;
                problems.push(why.clone());
            }
            Standing::Unreadable(why) => {
                some_unread = true;
                problems.push(why.clone());
            }
        }
    }
    let state = if problems.is_empty() {
        LinkState::Up
    } else if some_unread && !some_read && unchecked.is_empty() {
        LinkState::Down
    } else {
        LinkState::Degraded
    };
    if state == LinkState::Up && !unchecked.is_empty() {
        return (
            LinkState::Connecting,
            format!("checking {}", unchecked.join(", ")),
        );
    }
    let mut parts = problems;
    if !reading.is_empty() {
        parts.push(format!("reading {}", reading.join(", ")));
    }
    if !unchecked.is_empty() {
        parts.push(format!("checking {}", unchecked.join(", ")));
    }
    if ignored > 0 {
        parts.push(format!(
            "{ignored} message{} from other chats ignored",
            if ignored == 1 { "" } else { "s" }
        ));
    }
    (state, parts.join(" · "))
}

/// Waits after failures: exponential, capped, jittered (a random wait between half the
/// exponential bound and the bound, never under the first wait), so that many clients failing
/// together do not retry together, and a retry never comes absurdly soon.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(first: Duration, cap: Duration) -> Backoff {
        Backoff {
            first,
            cap,
            failures: 0,
        }
    }

    /// The bound of the next wait: `first` doubled per failure so far, at most `cap`.
    fn bound(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.failures.min(31));
        self.first.saturating_mul(factor).min(self.cap)
    }

    /// The wait before the next try, counting this failure.
    pub fn wait(&mut self) -> Duration {
        let bound = self.bound();
        self.failures = self.failures.saturating_add(1);
        let least = (bound / 2).max(self.first).min(bound);
        least + (bound - least).mul_f64(rand::rng().random_range(0.0..=1.0))
    }

    /// A success: the next failure waits little again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// A wait as a trader reads it: "0.4 s", "12 s".
pub fn seconds(wait: Duration) -> String {
    let secs = wait.as_secs_f64();
    if secs < 10.0 {
        format!("{secs:.1} s")
    } else {
        format!("{} s", wait.as_secs())
    }
}

/// The transport-neutral reader: takes a poll's updates to the engine and the copilot, and
/// reports the sources' links.
#[derive(Debug)]
pub struct Reader {
    pub engine: EngineHandle,
    pub router: Router,
    pub health: Health,
    private: mpsc::Sender<PrivateMessage>,
    /// How long to wait after the journal could not save a batch.
    journal_backoff: Backoff,
}

impl Reader {
    pub fn new(
        engine: EngineHandle,
        sources: &[TelegramSourceConfig],
        private: mpsc::Sender<PrivateMessage>,
    ) -> Reader {
        Reader {
            engine,
            router: Router::new(sources),
            health: Health::new(sources),
            private,
            journal_backoff: Backoff::new(Duration::from_millis(200), Duration::from_secs(10)),
        }
    }

    /// Report the links as they stand.
    pub async fn publish(&mut self) -> Result<(), EngineGone> {
        let ignored = self.router.ignored();
        self.health.publish(&self.engine, ignored).await
    }

    /// The transport cannot go on for now: say why on every source's link, then wait.
    pub async fn trouble(&mut self, trouble: Trouble) -> Result<(), EngineGone> {
        self.health.trouble(Some((trouble.state, trouble.detail)));
        self.publish().await?;
        tokio::time::sleep(trouble.wait).await;
        Ok(())
    }

    /// The transport works again.
    pub async fn working(&mut self) -> Result<(), EngineGone> {
        self.health.trouble(None);
        self.publish().await
    }

    /// One poll's updates, and where the transport stands after them (`cursor`: its key and
    /// value). The messages and the cursor are journaled together, retried until the journal
    /// has them; only then are private messages handed to the copilot (so a command is never
    /// acted on twice) and may the transport confirm the updates upstream.
    pub async fn take(
        &mut self,
        updates: Vec<Incoming>,
        cursor: (String, i64),
    ) -> Result<(), EngineGone> {
        let mut messages = Vec::new();
        let mut private = Vec::new();
        for update in updates {
            match update {
                Incoming::Post(post) => messages.extend(self.router.route(post)),
                Incoming::Private(message) => private.push(message),
                Incoming::Skip(why) => debug!("telegram: update skipped: {why}"),
            }
        }
        loop {
            match self
                .engine
                .deliver(messages.clone(), Some(cursor.clone()))
                .await?
            {
                Ok(()) => break,
                Err(e) => {
                    let wait = self.journal_backoff.wait();
                    self.trouble(Trouble {
                        state: LinkState::Retrying,
                        detail: format!(
                            "the journal could not save {} message{} ({e}): nothing is confirmed to Telegram; retrying in {}",
                            messages.len(),
                            if messages.len() == 1 { "" } else { "s" },
                            seconds(wait)
                        ),
                        wait,
                    })
                    .await?;
                }
            }
        }
        self.journal_backoff.reset();
        for message in private {
            match self.private.try_send(message) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(m)) => warn!(
                    "telegram: the copilot is not keeping up: {:?} from {} ({}) dropped",
                    m.text, m.user_name, m.user_id
                ),
                Err(mpsc::error::TrySendError::Closed(m)) => {
                    debug!(
                        "telegram: no copilot: {:?} from {} dropped",
                        m.text, m.user_id
                    );
                }
            }
        }
        // A batch of only other chats' messages changes the count in the links.
        self.working().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Vec<TelegramSourceConfig> {
        vec![
            TelegramSourceConfig {
                name: "gold".into(),
                chats: vec![ChatRef::Username("@GoldVIP".into()), ChatRef::Id(-1001)],
            },
            TelegramSourceConfig {
                name: "fx".into(),
                chats: vec![ChatRef::Id(-1002)],
            },
        ]
    }

    fn post(chat_id: i64, username: Option<&str>, id: i64) -> ChatPost {
        ChatPost {
            chat_id,
            username: username.map(String::from),
            id,
            text: format!("post {id}"),
            reply_to: None,
            sent_at: 1_000,
            edited_at: None,
        }
    }

    #[test]
    fn a_message_goes_to_the_source_of_its_chat_named_as_configured() {
        let mut router = Router::new(&sources());
        let m = router.route(post(-1001, None, 5)).unwrap();
        assert_eq!(
            (m.source.as_str(), m.chat.as_str(), m.id),
            ("gold", "-1001", 5)
        );
        assert_eq!((m.sent_at, m.edit, m.edited_at), (Some(1_000), 0, None));
        let m = router.route(post(-1002, Some("fxsignals"), 6)).unwrap();
        assert_eq!((m.source.as_str(), m.chat.as_str()), ("fx", "-1002"));
        // By its username before it is resolved (any case), by its id after.
        let m = router.route(post(-1003, Some("goldvip"), 7)).unwrap();
        assert_eq!((m.source.as_str(), m.chat.as_str()), ("gold", "@GoldVIP"));
        router.resolved(&ChatRef::Username("@GoldVIP".into()), -1003);
        let m = router.route(post(-1003, None, 8)).unwrap();
        assert_eq!(m.chat, "@GoldVIP");
        assert_eq!(router.ignored(), 0);
    }

    #[test]
    fn a_chat_configured_twice_is_read_by_the_first_and_said_on_both() {
        let mut twice = sources();
        twice[1].chats.push(ChatRef::Id(-1003));
        let mut router = Router::new(&twice);
        // @GoldVIP (gold) turns out to be -1003 (fx): gold, first in the config, reads it.
        router.resolved(&ChatRef::Username("@GoldVIP".into()), -1003);
        let m = router.route(post(-1003, None, 1)).unwrap();
        assert_eq!(m.source, "gold");
        let sharing = router.sharing(-1003);
        assert_eq!(
            sharing,
            vec![
                ("gold".to_string(), ChatRef::Username("@GoldVIP".into())),
                ("fx".to_string(), ChatRef::Id(-1003)),
            ]
        );
        assert_eq!(router.sharing(-1001).len(), 1);
        let mut health = Health::new(&twice);
        for ((source, chat), standing) in sharing.iter().zip(shared_standings(-1003, &sharing)) {
            health.chat_of(source, chat, standing);
        }
        health.chat(&ChatRef::Id(-1001), Standing::Readable("channel".into()));
        health.chat(&ChatRef::Id(-1002), Standing::Readable("channel".into()));
        let links = health.links(0);
        for (state, detail) in &links {
            assert_eq!(*state, LinkState::Degraded, "{links:?}");
            assert!(
                detail.starts_with("@GoldVIP (source gold) and -1003 (source fx) are the same chat (id -1003): its messages go to source gold only"),
                "{detail}"
            );
        }
    }

    #[test]
    fn other_chats_are_counted_and_never_read() {
        let mut router = Router::new(&sources());
        assert!(router.route(post(-999, Some("spam"), 1)).is_none());
        assert!(router.route(post(-999, Some("spam"), 2)).is_none());
        assert!(router.route(post(-998, None, 1)).is_none());
        assert_eq!(router.ignored(), 3);
        let health = Health::new(&sources());
        let mut health = health;
        for chat in [
            ChatRef::Username("@GoldVIP".into()),
            ChatRef::Id(-1001),
            ChatRef::Id(-1002),
        ] {
            health.chat(&chat, Standing::Readable("channel".into()));
        }
        let links = health.links(router.ignored());
        assert_eq!(links[0].0, LinkState::Up);
        assert!(
            links[0].1.ends_with("3 messages from other chats ignored"),
            "{links:?}"
        );
    }

    #[test]
    fn a_link_is_the_transports_trouble_then_the_worst_of_its_chats() {
        let mut health = Health::new(&sources());
        assert_eq!(
            health.links(0)[0],
            (LinkState::Connecting, "checking @GoldVIP, -1001".into())
        );
        health.chat(
            &ChatRef::Id(-1001),
            Standing::Readable("channel “A”".into()),
        );
        health.chat(
            &ChatRef::Username("@GoldVIP".into()),
            Standing::Partly("@GoldVIP: privacy".into()),
        );
        health.chat(
            &ChatRef::Id(-1002),
            Standing::Unreadable("-1002: not found".into()),
        );
        let links = health.links(0);
        assert_eq!(
            links[0],
            (
                LinkState::Degraded,
                "@GoldVIP: privacy · reading -1001 (channel “A”)".into()
            )
        );
        assert_eq!(links[1], (LinkState::Down, "-1002: not found".into()));
        // One chat of two unreadable: the source still reads the other, degraded, naming it.
        health.chat(
            &ChatRef::Username("@GoldVIP".into()),
            Standing::Unreadable("@GoldVIP: not found".into()),
        );
        assert_eq!(
            health.links(0)[0],
            (
                LinkState::Degraded,
                "@GoldVIP: not found · reading -1001 (channel “A”)".into()
            )
        );
        // None readable: down.
        health.chat(
            &ChatRef::Id(-1001),
            Standing::Unreadable("-1001: not an admin".into()),
        );
        assert_eq!(
            health.links(0)[0],
            (
                LinkState::Down,
                "@GoldVIP: not found · -1001: not an admin".into()
            )
        );
        assert_eq!(health.unreadable().len(), 3);
        health.trouble(Some((LinkState::Retrying, "cannot reach".into())));
        assert!(
            health
                .links(0)
                .iter()
                .all(|l| *l == (LinkState::Retrying, "cannot reach".into()))
        );
    }

    #[test]
    fn backoff_is_exponential_capped_and_jittered_below_its_bound() {
        let mut b = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let bounds: Vec<Duration> = (0..8)
            .map(|_| {
                let bound = b.bound();
                let wait = b.wait();
                // Never absurdly short: at least half the bound, and at least the first wait.
                assert!(wait <= bound && wait >= bound / 2, "{wait:?} of {bound:?}");
                assert!(wait >= Duration::from_millis(100), "{wait:?}");
                bound
            })
            .collect();
        assert_eq!(bounds[0], Duration::from_millis(100));
        assert_eq!(bounds[3], Duration::from_millis(800));
        assert_eq!(bounds[7], Duration::from_secs(2));
        // Jittered: not every wait is the bound.
        let waits: HashSet<Duration> = (0..20).map(|_| b.wait()).collect();
        assert!(waits.len() > 1, "{waits:?}");
        b.reset();
        assert_eq!(b.bound(), Duration::from_millis(100));
        // Many failures do not overflow.
        for _ in 0..100 {
            b.wait();
        }
        assert_eq!(b.bound(), Duration::from_secs(2));
    }

    #[test]
    fn waits_read_as_seconds() {
        assert_eq!(seconds(Duration::from_millis(420)), "0.4 s");
        assert_eq!(seconds(Duration::from_secs(60)), "60 s");
    }
}
