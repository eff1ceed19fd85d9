//! What the trader is told without asking: fills, closes, refused signals, follow-ups that found
//! no trade, messages the parser could not read, halts and daily-limit trips, lost and recovered
//! links. A subscriber of the engine like the console: it reads each event against the state
//! before it, and remembers what it said so that a fresh snapshot (after lagging behind) never
//! makes it say anything twice.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use tokio::time::Instant;
use tracing::{info, warn};

use super::outbox::Outbox;
use super::report;
use crate::api::Received;
use crate::config::NotifyKind;
use crate::engine::{Change, EngineHandle, Replica, State, Step};
use crate::model::{Decision, Link, PendingOrder, SignalKind, SignalRecord};

/// How many refused signals are remembered as said: far more than arrive between two events.
const SAID_SIGNALS: usize = 1000;

/// How many removed pending orders are kept to recognise the position a fill opens.
const REMOVED_ORDERS: usize = 64;

/// Follow the engine and queue what `kinds` asks for to every chat of `chats`, until the engine
/// stops. A link is said lost once it has stayed lost for `link_grace`.
pub async fn run(
    engine: EngineHandle,
    kinds: Vec<NotifyKind>,
    chats: Vec<i64>,
    outbox: Outbox,
    link_grace: Duration,
) {
    let Ok(mut replica) = Replica::subscribe(&engine).await else {
        return;
    };
    let mut notifier = Notifier::new(kinds, &replica.state).with_link_grace(link_grace);
    loop {
        // A link lost long enough is told when its time comes, whether or not an event does.
        let due = notifier.next_due();
        let received = tokio::select! {
            received = replica.recv() => received,
            () = sleep_until_some(due) => {
                for note in notifier.due(Instant::now()) {
                    queue(&outbox, &chats, note);
                }
                continue;
            }
        };
        let notes = match &received {
            Received::Event(event) if event.seq == replica.seq + 1 => {
                notifier.on_change(&replica.state, &event.change)
            }
            _ => Vec::new(),
        };
        match replica.handle(received) {
            Step::Applied | Step::Stale => {}
            Step::Resync => {
                let before = replica.state.clone();
                if replica.resubscribe(&engine).await.is_err() {
                    return;
                }
                warn!(
                    "notifications fell behind the engine; carrying on from a fresh snapshot at {}",
                    replica.seq
                );
                for note in notifier.on_resync(&before, &replica.state) {
                    queue(&outbox, &chats, note);
                }
            }
            Step::Closed => {
                // The trader's phone is where a stop is noticed when nobody watches the console.
                for note in notifier.wanted(vec![(
                    NotifyKind::Links,
                    "SignalOS stopped: positions and orders stay at the broker, and are not managed until it runs again".to_string(),
                )]) {
                    queue(&outbox, &chats, note);
                }
                return;
            }
        }
        for note in notes {
            queue(&outbox, &chats, note);
        }
    }
}

/// Sleep until `at`; forever without one.
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn queue(outbox: &Outbox, chats: &[i64], note: String) {
    info!("notify: {note}");
    for &chat in chats {
        outbox.send(chat, note.clone());
    }
}

/// What has been said, and what is wanted.
pub struct Notifier {
    kinds: BTreeSet<NotifyKind>,
    /// Per link, whether it is lost and whether that was said. A link is said lost once it has
    /// stayed lost for `link_grace`, once however it flaps, and back only if it was said lost.
    links: BTreeMap<String, LinkNews>,
    link_grace: Duration,
    /// Signals whose refusal (or failure) was said, or was already decided when notifications
    /// began (old news).
    said_signals: BTreeSet<u64>,
    /// Pending orders lately removed: the position a fill opens comes after its order is gone.
    removed_orders: VecDeque<PendingOrder>,
}

impl Notifier {
    pub fn new(kinds: Vec<NotifyKind>, state: &State) -> Notifier {
        Notifier {
            kinds: kinds.into_iter().collect(),
            links: state
                .links
                .iter()
                .filter_map(|(name, link)| {
                    let up = report::link_up(link.state)?;
                    // Found lost at the start is taken as said: its return is news.
                    let mut news = LinkNews::seen(up, link, Instant::now());
                    news.told = !up;
                    Some((name.clone(), news))
                })
                .collect(),
            link_grace: Duration::ZERO,
            // A signal still waiting, or sent and not yet answered, may yet be refused: that is news.
            said_signals: state
                .signals
                .iter()
                .filter(|s| told(s).is_some())
                .map(|s| s.seq)
                .collect(),
            removed_orders: VecDeque::new(),
        }
    }

    /// A link is said lost only once it has stayed lost this long (none by default).
    pub fn with_link_grace(mut self, grace: Duration) -> Notifier {
        self.link_grace = grace;
        self
    }

    /// What `change` is worth saying, read against the state `before` it.
    pub fn on_change(&mut self, before: &State, change: &Change) -> Vec<String> {
        self.on_change_at(before, change, Instant::now())
    }

    /// [`Notifier::on_change`] at `now`.
    pub fn on_change_at(&mut self, before: &State, change: &Change, now: Instant) -> Vec<String> {
        let mut notes = Vec::new();
        match change {
            Change::Mode { mode, reason } if *mode != before.mode => {
                notes.push((NotifyKind::Halts, format!("{mode} — {reason}")));
            }
            Change::Day(day)
                if day.tripped.is_some()
                    && before.day.as_ref().and_then(|d| d.tripped.as_ref())
                        != day.tripped.as_ref() =>
            {
                if let Some(tripped) = &day.tripped {
                    notes.push((NotifyKind::Halts, format!("DAILY LIMIT HIT: {tripped}")));
                }
            }
            Change::Position(p) if !before.positions.contains_key(&p.ticket) => {
                let order = before
                    .orders
                    .values()
                    .chain(&self.removed_orders)
                    .find(|o| !o.cid.is_empty() && o.cid == p.cid);
                let line = report::position(before, p);
                notes.push((
                    NotifyKind::Fills,
                    match order {
                        Some(o) => format!(
                            "FILLED pending order #{} ({} {}): {line}",
                            o.ticket,
                            o.side,
                            o.order_type.to_string().to_uppercase()
                        ),
                        None => format!("OPENED {line}"),
                    },
                ));
            }
            // Less volume than before: part of it closed (a "close half").
            Change::Position(p) => {
                if let Some(was) = before
                    .positions
                    .get(&p.ticket)
                    .filter(|was| p.volume < was.volume - 1e-9)
                {
                    notes.push((
                        NotifyKind::Closes,
                        format!(
                            "PARTLY CLOSED #{}: {} of {} lots {} {} closed, {} left open",
                            p.ticket,
                            crate::tui::format::lots(was.volume - p.volume),
                            crate::tui::format::lots(was.volume),
                            p.side,
                            p.symbol,
                            crate::tui::format::lots(p.volume),
                        ),
                    ));
                }
            }
            Change::Order(o) if !before.orders.contains_key(&o.ticket) => {
                notes.push((
                    NotifyKind::Fills,
                    format!("PENDING order placed: {}", report::order(before, o)),
                ));
            }
            Change::OrderRemoved { ticket } => {
                if let Some(o) = before.orders.get(ticket) {
                    self.removed_orders.push_back(o.clone());
                    if self.removed_orders.len() > REMOVED_ORDERS {
                        self.removed_orders.pop_front();
                    }
                }
            }
            Change::PositionClosed {
                ticket,
                price,
                profit,
                reason,
            } => {
                let text = match before.positions.get(ticket) {
                    Some(p) => report::closed(before, p, *price, *profit, *reason),
                    None => format!("CLOSED #{ticket}: {}", crate::tui::format::pnl(*profit)),
                };
                notes.push((NotifyKind::Closes, text));
            }
            // A picture after a reconnection (not the first): what changed while the link was
            // down is only seen here, as the engine only journals it.
            Change::Synced(snapshot) if before.account.is_some() => {
                for p in before
                    .positions
                    .values()
                    .filter(|p| !snapshot.positions.iter().any(|n| n.ticket == p.ticket))
                {
                    notes.push((
                        NotifyKind::Closes,
                        format!(
                            "CLOSED #{} {} {} {} while the broker link was down (its P&L is in the terminal's history)",
                            p.ticket,
                            p.side,
                            crate::tui::format::lots(p.volume),
                            p.symbol
                        ),
                    ));
                }
                for p in snapshot
                    .positions
                    .iter()
                    .filter(|p| !before.positions.contains_key(&p.ticket))
                {
                    notes.push((
                        NotifyKind::Fills,
                        format!(
                            "OPENED while the broker link was down: {}",
                            report::position(before, p)
                        ),
                    ));
                }
            }
            Change::Signal(record) => notes.extend(self.signal(record)),
            Change::Link { name, link } => notes.extend(self.link(name, link, now)),
            _ => {}
        }
        notes.extend(self.links_due(now));
        self.wanted(notes)
    }

    /// What changed between `before` and a fresh snapshot `now`, without what was said already.
    pub fn on_resync(&mut self, before: &State, now: &State) -> Vec<String> {
        self.on_resync_at(before, now, Instant::now())
    }

    /// [`Notifier::on_resync`] at `at`.
    pub fn on_resync_at(&mut self, before: &State, now: &State, at: Instant) -> Vec<String> {
        let mut notes = Vec::new();
        if now.mode != before.mode {
            notes.push((NotifyKind::Halts, report::mode(now)));
        }
        let tripped = |s: &State| s.day.as_ref().and_then(|d| d.tripped.clone());
        if let Some(hit) = tripped(now).filter(|t| tripped(before).as_ref() != Some(t)) {
            notes.push((NotifyKind::Halts, format!("DAILY LIMIT HIT: {hit}")));
        }
        for p in now.positions.values() {
            if !before.positions.contains_key(&p.ticket) {
                notes.push((
                    NotifyKind::Fills,
                    format!("OPENED {}", report::position(now, p)),
                ));
            }
        }
        let gone: Vec<String> = before
            .positions
            .keys()
            .filter(|t| !now.positions.contains_key(t))
            .map(|t| format!("#{t}"))
            .collect();
        if !gone.is_empty() {
            notes.push((
                NotifyKind::Closes,
                format!(
                    "CLOSED {}: together {} (each one's profit is in the journal)",
                    gone.join(", "),
                    crate::tui::format::pnl(now.session_realized - before.session_realized)
                ),
            ));
        }
        for record in &now.signals {
            notes.extend(self.signal(record));
        }
        for (name, link) in &now.links {
            notes.extend(self.link(name, link, at));
        }
        notes.extend(self.links_due(at));
        self.wanted(notes)
    }

    /// When a lost link is next due to be told, if one is.
    pub fn next_due(&self) -> Option<Instant> {
        self.links
            .values()
            .filter(|l| !l.told)
            .filter_map(|l| l.lost_since)
            .min()
            .map(|since| since + self.link_grace)
    }

    /// The links lost for `link_grace` by `now` and not yet said so.
    pub fn due(&mut self, now: Instant) -> Vec<String> {
        let notes = self.links_due(now);
        self.wanted(notes)
    }

    fn links_due(&mut self, now: Instant) -> Vec<(NotifyKind, String)> {
        let grace = self.link_grace;
        self.links
            .iter_mut()
            .filter(|(_, l)| !l.told && l.lost_since.is_some_and(|t| now >= t + grace))
            .map(|(name, l)| {
                l.told = true;
                (NotifyKind::Links, report::link_change(name, &l.last, false))
            })
            .collect()
    }

    fn wanted(&self, notes: Vec<(NotifyKind, String)>) -> Vec<String> {
        notes
            .into_iter()
            .filter(|(kind, _)| self.kinds.contains(kind))
            .map(|(_, text)| text)
            .collect()
    }

    /// A refused, unmatched, failed or unread signal, once.
    fn signal(&mut self, record: &SignalRecord) -> Option<(NotifyKind, String)> {
        if self.said_signals.contains(&record.seq) {
            return None;
        }
        let (kind, word) = told(record)?;
        self.said_signals.insert(record.seq);
        while self.said_signals.len() > SAID_SIGNALS {
            self.said_signals.pop_first();
        }
        Some((
            kind,
            format!(
                "{word} {}\n→ {}",
                report::signal_line(record),
                record.decision.detail()
            ),
        ))
    }

    /// A link seen: lost, it is remembered since when (and told by [`Notifier::links_due`]);
    /// back, it is told only if its loss was.
    fn link(&mut self, name: &str, link: &Link, now: Instant) -> Option<(NotifyKind, String)> {
        let up = report::link_up(link.state)?;
        let Some(news) = self.links.get_mut(name) else {
            // A link first seen coming up is no news; first seen lost, it is (once it stays so).
            self.links
                .insert(name.to_string(), LinkNews::seen(up, link, now));
            return None;
        };
        if up {
            let told = news.told;
            *news = LinkNews::seen(true, link, now);
            told.then(|| (NotifyKind::Links, report::link_change(name, link, true)))
        } else {
            news.lost_since.get_or_insert(now);
            news.last = link.clone();
            None
        }
    }
}

/// What is known and said of one link.
struct LinkNews {
    /// Since when it has been lost; `None` while it works.
    lost_since: Option<Instant>,
    /// Whether its loss was said (and so its return will be).
    told: bool,
    /// How it was last seen lost: what its loss is told as.
    last: Link,
}

impl LinkNews {
    fn seen(up: bool, link: &Link, now: Instant) -> LinkNews {
        LinkNews {
            lost_since: (!up).then_some(now),
            told: false,
            last: link.clone(),
        }
    }
}

/// Whether a signal's decision is told, as which kind and with which word.
fn told(record: &SignalRecord) -> Option<(NotifyKind, &'static str)> {
    Some(match &record.decision {
        Decision::Refused { .. } if unmatched(record) => {
            (NotifyKind::Unmatched, "NO TRADE FOR FOLLOW-UP")
        }
        Decision::Refused { .. } => (NotifyKind::Refusals, "REFUSED"),
        Decision::NotExecuted { .. } => (NotifyKind::Refusals, "NOT EXECUTED"),
        Decision::PartlyExecuted { .. } => (NotifyKind::Refusals, "PARTLY EXECUTED"),
        Decision::Unread { .. } => (NotifyKind::Unread, "UNREAD"),
        _ => return None,
    })
}

/// A follow-up (a modify or a close) that found no trade to act on: the engine refuses it
/// without linking it to a signal.
fn unmatched(record: &SignalRecord) -> bool {
    matches!(record.parsed.kind, SignalKind::Modify | SignalKind::Close) && record.linked.is_none()
}

#[cfg(test)]
mod tests;
