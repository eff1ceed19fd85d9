//! The copilot: the bot in a private chat, an operator's remote. Every message goes through the
//! engine's one gate with origin telegram and who sent it: an operator's command acts, anyone
//! else's is refused there (and audited) and told nothing more. A command that arrives late (a
//! backlog read after a restart) is never carried out, and an emergency stop waits for /confirm.

use std::collections::{HashMap, HashSet};

use teloxide::prelude::*;
use teloxide::types::BotCommand;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{info, warn};

use super::outbox::Outbox;
use super::{Timing, report};
use crate::engine::{Action, Command, EngineHandle, Origin, OriginKind, Replica, Reply, Role};
use crate::model::{Mode, now_millis};
use crate::sources::telegram::PrivateMessage;

/// Every command: the phone's menu (`setMyCommands`) and `/help` are both made from it.
pub const COMMANDS: &[(&str, &str)] = &[
    ("status", "Mode, account, day P&L, links"),
    ("positions", "Open positions"),
    ("orders", "Pending orders"),
    ("signals", "The last signals and what was decided"),
    ("pause", "No new entries; open trades still managed"),
    (
        "resume",
        "Back to ACTIVE: /resume [reason] (from HALTED, asks to /confirm)",
    ),
    (
        "stop",
        "Emergency stop: close everything, halt (asks to /confirm)",
    ),
    ("confirm", "Confirm the /stop or /resume that asked for it"),
    ("close", "Close a position: /close TICKET"),
    (
        "breakeven",
        "Move a position's stop loss to its entry: /breakeven TICKET",
    ),
    ("help", "These commands"),
];

/// Why a resume from the phone happened, when the operator gives none (the gate wants one).
const RESUME_REASON: &str = "resumed from Telegram";

/// What an operator asks.
#[derive(Debug, Clone, PartialEq)]
enum Ask {
    Start,
    Status,
    Positions,
    Orders,
    Signals,
    Help,
    Pause,
    Resume(String),
    Stop,
    Confirm,
    Close(u64),
    Breakeven(u64),
}

impl Ask {
    /// What the gate is asked; looks are reports, `/stop` too (it only asks for a confirmation).
    fn action(&self) -> Action {
        let report = |what: &str| Action::Report { what: what.into() };
        match self {
            Ask::Start => report("start"),
            Ask::Status => report("status"),
            Ask::Positions => report("positions"),
            Ask::Orders => report("orders"),
            Ask::Signals => report("signals"),
            Ask::Help => report("help"),
            Ask::Stop => report("emergency stop asked: waiting for /confirm"),
            Ask::Pause => Action::Pause,
            Ask::Resume(reason) => Action::Resume {
                reason: reason.clone(),
            },
            Ask::Confirm => Action::EmergencyStop,
            Ask::Close(ticket) => Action::ClosePosition { ticket: *ticket },
            Ask::Breakeven(ticket) => Action::Breakeven { ticket: *ticket },
        }
    }
}

/// Read a message as a command, or say what is wrong with it.
fn read(text: &str) -> Result<Ask, String> {
    let mut words = text.split_whitespace();
    let Some(first) = words.next().and_then(|w| w.strip_prefix('/')) else {
        return Err("I only take commands: /help lists them.".into());
    };
    // `/close@SignalOSBot 123`: the form a phone sends from a group, or from the menu.
    let name = first.split('@').next().unwrap_or_default().to_lowercase();
    let rest: Vec<&str> = words.collect();
    let ticket = |name: &str| {
        match rest.as_slice() {
        [one] => one.trim_start_matches('#').parse::<u64>().map_err(|_| {
            format!("/{name} needs a ticket number, such as /{name} 12345678 (/positions lists them); {one:?} is not one.")
        }),
        _ => Err(format!(
            "/{name} needs one ticket number, such as /{name} 12345678 (/positions lists them)."
        )),
    }
    };
    Ok(match name.as_str() {
        "start" => Ask::Start,
        "status" => Ask::Status,
        "positions" => Ask::Positions,
        "orders" => Ask::Orders,
        "signals" => Ask::Signals,
        "help" => Ask::Help,
        "pause" => Ask::Pause,
        "resume" if rest.is_empty() => Ask::Resume(RESUME_REASON.into()),
        "resume" => Ask::Resume(format!("{RESUME_REASON}: {}", rest.join(" "))),
        "stop" => Ask::Stop,
        "confirm" => Ask::Confirm,
        "close" => Ask::Close(ticket("close")?),
        "breakeven" | "be" => Ask::Breakeven(ticket("breakeven")?),
        _ => {
            return Err(format!(
                "Unknown command /{}: /help lists the commands.",
                clip(&name, 32)
            ));
        }
    })
}

/// Register the commands with Telegram, so the phone offers them.
pub async fn register(bot: Bot, outbox: Outbox) {
    let commands: Vec<BotCommand> = COMMANDS
        .iter()
        .map(|(name, about)| BotCommand::new(*name, *about))
        .collect();
    let done = outbox
        .call("setMyCommands", || {
            bot.set_my_commands(commands.clone()).send()
        })
        .await;
    if done.is_some() {
        info!("the copilot's {} commands are registered", COMMANDS.len());
    }
}

/// Answer every private message until the poller stops.
pub async fn run(
    engine: EngineHandle,
    operators: Vec<i64>,
    outbox: Outbox,
    mut private: mpsc::Receiver<PrivateMessage>,
    timing: Timing,
) {
    let mut copilot = Copilot {
        engine,
        operators: operators.into_iter().collect(),
        asked: HashMap::new(),
        timing,
    };
    while let Some(message) = private.recv().await {
        let answer = copilot.answer(&message).await;
        outbox.send(message.chat_id, answer);
    }
}

struct Copilot {
    engine: EngineHandle,
    operators: HashSet<i64>,
    /// Actions asked for and not yet confirmed, by user: what, and when asked.
    asked: HashMap<i64, (Confirmable, Instant)>,
    timing: Timing,
}

impl Copilot {
    async fn answer(&mut self, message: &PrivateMessage) -> String {
        let origin = Origin {
            kind: OriginKind::Telegram,
            who: who(message),
            role: if self.operators.contains(&message.user_id) {
                Role::Operator
            } else {
                Role::Stranger
            },
        };
        let ask = read(&message.text);
        if origin.role != Role::Operator {
            // The gate refuses and audits it; what was asked is in the audit, nothing is told.
            let action = ask.as_ref().map_or_else(
                |_| Action::Report {
                    what: format!("message {:?}", clip(&message.text, 64)),
                },
                Ask::action,
            );
            return match self.gate(origin, action).await {
                Err(gone) => gone,
                Ok(Reply::Refused { reason }) => format!("Refused: {reason}"),
                // Never for a stranger; and if it were, still nothing is shown.
                Ok(Reply::Accepted { .. }) => "Nothing to show.".into(),
            };
        }
        let late = now_millis() - message.sent_at;
        if late > self.timing.stale_after.as_millis() as i64 {
            warn!(origin = %origin, "not carried out, sent {} s ago: {:?}", late / 1000, message.text);
            return format!(
                "Too late: you sent “{}” {} s ago and it reached me only now, so it was not carried out. Send it again if you still want it.",
                clip(&message.text, 64),
                late / 1000
            );
        }
        let ask = match ask {
            Ok(ask) => ask,
            Err(help) => return help,
        };
        match ask {
            Ask::Confirm => self.confirm(origin, message.user_id).await,
            Ask::Stop => self.ask_stop(origin, message.user_id).await,
            Ask::Resume(reason) => self.resume(origin, message.user_id, reason).await,
            ask => self.act(origin, &ask).await,
        }
    }

    /// Pass `action` through the gate; `Err` with what to say when the engine is gone.
    async fn gate(&self, origin: Origin, action: Action) -> Result<Reply, String> {
        self.engine
            .command(Command { origin, action })
            .await
            .map_err(|_| "SignalOS is stopping: nothing was done.".to_string())
    }

    async fn act(&self, origin: Origin, ask: &Ask) -> String {
        let reply = match self.gate(origin, ask.action()).await {
            Ok(reply) => reply,
            Err(gone) => return gone,
        };
        let detail = match reply {
            Reply::Refused { reason } => return format!("Refused: {reason}"),
            Reply::Accepted { detail } => detail,
        };
        let show: fn(&crate::engine::State) -> String = match ask {
            Ask::Status => report::status,
            Ask::Positions => report::positions,
            Ask::Orders => report::orders,
            Ask::Signals => report::signals,
            Ask::Help => return help(),
            Ask::Start => {
                return format!("Hello: I am SignalOS's copilot. What I take:\n{}", help());
            }
            _ => return format!("Done: {detail}"),
        };
        match Replica::subscribe(&self.engine).await {
            Ok(replica) => show(&replica.state),
            Err(_) => "SignalOS is stopping.".into(),
        }
    }

    /// The first step of an emergency stop: say what it would do, and wait for /confirm.
    async fn ask_stop(&mut self, origin: Origin, user: i64) -> String {
        match self.gate(origin, Ask::Stop.action()).await {
            Err(gone) => return gone,
            Ok(Reply::Refused { reason }) => return format!("Refused: {reason}"),
            Ok(Reply::Accepted { .. }) => {}
        }
        let Ok(replica) = Replica::subscribe(&self.engine).await else {
            return "SignalOS is stopping.".into();
        };
        let state = &replica.state;
        self.asked.insert(user, (Confirmable::Stop, Instant::now()));
        let mut lines = vec![format!(
            "EMERGENCY STOP? It halts SignalOS (nothing new until /resume), closes {} position(s) and cancels {} pending order(s):",
            state.positions.len(),
            state.orders.len()
        )];
        lines.extend(state.positions.values().map(|p| report::position(state, p)));
        lines.extend(state.orders.values().map(|o| report::order(state, o)));
        lines.push(format!(
            "Send /confirm within {} s to do it; without it nothing happens.",
            self.timing.confirm_window.as_secs()
        ));
        lines.join("\n")
    }

    /// A resume: from HALTED (an emergency stop, a daily limit) it waits for /confirm, as the
    /// console asks twice; from PAUSED it acts at once.
    async fn resume(&mut self, origin: Origin, user: i64, reason: String) -> String {
        let Ok(replica) = Replica::subscribe(&self.engine).await else {
            return "SignalOS is stopping.".into();
        };
        if replica.state.mode != Mode::Halted {
            return self.act(origin, &Ask::Resume(reason)).await;
        }
        let what = Action::Report {
            what: "resume from HALTED asked: waiting for /confirm".into(),
        };
        match self.gate(origin, what).await {
            Err(gone) => return gone,
            Ok(Reply::Refused { reason }) => return format!("Refused: {reason}"),
            Ok(Reply::Accepted { .. }) => {}
        }
        self.asked
            .insert(user, (Confirmable::Resume(reason), Instant::now()));
        format!(
            "RESUME FROM HALTED? {}\nSignalOS would trade new signals again. Send /confirm within {} s to do it; without it nothing happens.",
            report::mode(&replica.state),
            self.timing.confirm_window.as_secs()
        )
    }

    async fn confirm(&mut self, origin: Origin, user: i64) -> String {
        let window = self.timing.confirm_window.as_secs();
        let what = match self.asked.remove(&user) {
            None => {
                return "Nothing to confirm: /stop, and /resume from HALTED, ask for /confirm."
                    .into();
            }
            Some((what, at)) if at.elapsed() > self.timing.confirm_window => {
                return format!(
                    "Your {} expired (it waits {window} s for /confirm), so nothing was done. Send {} again, then /confirm within {window} s.",
                    what.command(),
                    what.command()
                );
            }
            Some((what, _)) => what,
        };
        let (action, word) = match what {
            Confirmable::Stop => (Action::EmergencyStop, "EMERGENCY STOP"),
            Confirmable::Resume(reason) => (Action::Resume { reason }, "RESUMED"),
        };
        match self.gate(origin, action).await {
            Err(gone) => gone,
            Ok(Reply::Refused { reason }) => format!("Refused: {reason}"),
            Ok(Reply::Accepted { detail }) => format!("{word}: {detail}"),
        }
    }
}

/// What waits for /confirm.
#[derive(Debug, Clone, PartialEq)]
enum Confirmable {
    Stop,
    Resume(String),
}

impl Confirmable {
    fn command(&self) -> &'static str {
        match self {
            Confirmable::Stop => "/stop",
            Confirmable::Resume(_) => "/resume",
        }
    }
}

fn help() -> String {
    let mut lines: Vec<String> = COMMANDS
        .iter()
        .map(|(name, about)| format!("/{name} — {about}"))
        .collect();
    lines.push("Every command is in SignalOS's audit log, with your Telegram id.".into());
    lines.join("\n")
}

/// "123456789 (Anna @anna_fx)": the id, which is what counts, and the name to read it by.
fn who(message: &PrivateMessage) -> String {
    // The name is the sender's to choose: no line breaks or control characters in the audit.
    let name: String = message
        .user_name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let name = clip(name.trim(), 64);
    if name.is_empty() {
        message.user_id.to_string()
    } else {
        format!("{} ({name})", message.user_id)
    }
}

/// At most `n` characters of `text`, marked `…` when cut.
fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_with_or_without_the_bot_name() {
        assert_eq!(read("/status"), Ok(Ask::Status));
        assert_eq!(read("/Status@SignalOSBot"), Ok(Ask::Status));
        assert_eq!(read("  /close@SignalOSBot   #123 "), Ok(Ask::Close(123)));
        assert_eq!(read("/breakeven 77"), Ok(Ask::Breakeven(77)));
        assert_eq!(read("/resume"), Ok(Ask::Resume(RESUME_REASON.into())));
        assert_eq!(
            read("/resume news is out"),
            Ok(Ask::Resume(format!("{RESUME_REASON}: news is out")))
        );
    }

    #[test]
    fn a_bad_command_is_told_what_is_wrong() {
        let close = read("/close abc").unwrap_err();
        assert!(
            close.contains("ticket number") && close.contains("\"abc\""),
            "{close}"
        );
        assert!(read("/close").unwrap_err().contains("one ticket number"));
        assert!(
            read("/close 1 2")
                .unwrap_err()
                .contains("one ticket number")
        );
        assert!(read("/close -5").is_err(), "a ticket is never negative");
        assert!(read("/fly").unwrap_err().contains("Unknown command /fly"));
        assert!(read("hello").unwrap_err().contains("/help"));
        assert!(read("").is_err());
        assert!(read("/").unwrap_err().contains("Unknown command"));
    }

    #[test]
    fn every_command_is_in_the_help_and_a_valid_bot_command() {
        let help = help();
        for (name, about) in COMMANDS {
            assert!(help.contains(&format!("/{name} — {about}")));
            // Telegram's rules for setMyCommands: 1–32 lower-case letters, digits, underscores;
            // a description of 3–256 characters.
            assert!(
                (1..=32).contains(&name.len())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
            assert!((3..=256).contains(&about.chars().count()));
            assert!(read(&format!("/{name} 1")).is_ok() || read(&format!("/{name}")).is_ok());
        }
    }

    #[test]
    fn the_sender_is_named_by_id_and_a_clean_name() {
        let message = |name: &str| PrivateMessage {
            chat_id: 1,
            user_id: 123456789,
            user_name: name.into(),
            text: String::new(),
            sent_at: 0,
        };
        assert_eq!(who(&message("Anna @anna_fx")), "123456789 (Anna @anna_fx)");
        assert_eq!(who(&message("")), "123456789");
        assert_eq!(who(&message("Eve\nroot")), "123456789 (Eve root)");
    }
}
