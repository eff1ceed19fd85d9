//! The selected signal's whole story, as `signalos journal story` tells it: every version of the
//! message, how it was read and why, what was decided with its numbers, every order sent for it
//! and the broker's answers, and the follow-ups that acted on it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::broker::TradeOutcome;
use crate::config::theme::Theme;
use crate::model::{Decision, Parsed, SignalKind, SignalRecord};
use crate::store::{OrderEvent, Step};
use crate::tui::app::{Pane, Story};
use crate::tui::format;
use crate::tui::view::{View, pane_block};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let seq = view.app.selected_signal(view.state);
    let record = seq.and_then(|seq| view.state.signals.iter().find(|s| s.seq == seq));
    let story = view
        .app
        .story
        .as_ref()
        .filter(|(shown, _)| Some(*shown) == seq)
        .map(|(_, story)| story);
    let lines = match (seq, story, record) {
        (None, _, _) => vec![Line::styled(
            "no signal yet: the story of the signal selected in Signals shows here",
            view.theme.style("text.dim"),
        )],
        (Some(seq), Some(Story::Told(steps)), _) => told(seq, steps, view.theme),
        (Some(_), Some(Story::Missing(why)), record) => {
            let mut lines = vec![Line::styled(
                format!("the journal could not tell this story: {why}"),
                view.theme.style("status.refused"),
            )];
            lines.extend(
                record
                    .map(|r| from_record(r, view.theme))
                    .unwrap_or_default(),
            );
            lines
        }
        // While the journal answers, what the replica knows.
        (Some(_), _, record) => {
            let mut lines = record
                .map(|r| from_record(r, view.theme))
                .unwrap_or_default();
            lines.push(Line::styled(
                "reading the orders from the journal…",
                view.theme.style("text.dim"),
            ));
            lines
        }
    };
    let title = match seq {
        Some(seq) => format!("Detail: signal #{seq}"),
        None => "Detail".into(),
    };
    let inner_height = area.height.saturating_sub(2);
    let scroll = view
        .app
        .detail_scroll
        .min(lines.len().saturating_sub(usize::from(inner_height)));
    let paragraph = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .block(pane_block(view, Pane::Detail, title));
    frame.render_widget(paragraph, area);
}

fn heading(text: String, theme: &Theme) -> Line<'static> {
    Line::styled(text, theme.style("title"))
}

/// How much later than its posting a message must be read for both times to be shown.
const LATE_MS: i64 = 5_000;

fn message(r: &SignalRecord, theme: &Theme) -> Vec<Line<'static>> {
    let edit = if r.edit > 0 {
        format!(" (edit {})", r.edit)
    } else {
        String::new()
    };
    // A message read late (a backlog, a restart) is judged by when it was posted: show both.
    let posted = match r.sent_at {
        Some(sent) if r.received_at - sent >= LATE_MS => {
            format!(" (posted {})", format::clock(sent))
        }
        _ => String::new(),
    };
    let mut lines = vec![heading(
        format!(
            "#{} {}{posted} {} · {}{edit}",
            r.seq,
            format::clock(r.received_at),
            r.chat,
            r.source
        ),
        theme,
    )];
    lines.extend(r.text.lines().map(|l| Line::from(format!("  │ {l}"))));
    lines
}

fn reading(parsed: &Parsed, text: &str, theme: &Theme) -> Vec<Line<'static>> {
    let confidence = if parsed.kind == SignalKind::None {
        String::new()
    } else {
        format!(" · confidence {:.0}%", parsed.confidence * 100.0)
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("  read ", theme.style("text.dim")),
        Span::raw(format!(
            "{}{confidence}",
            format::signal_summary(parsed, text)
        )),
    ])];
    lines.extend(
        parsed
            .trace
            .iter()
            .map(|t| Line::styled(format!("    · {t}"), theme.style("text.dim"))),
    );
    lines
}

fn decision(d: &Decision, at: Option<i64>, theme: &Theme) -> Line<'static> {
    let key = format::decision_key(d);
    let when = at
        .map(|at| format!("{} ", format::clock(at)))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(format!("  {when}"), theme.style("text.dim")),
        Span::styled(d.word().to_uppercase(), theme.style(key)),
        Span::raw(format!(" {}", d.detail())),
    ])
}

fn from_record(r: &SignalRecord, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = message(r, theme);
    lines.extend(reading(&r.parsed, &r.text, theme));
    lines.push(decision(&r.decision, None, theme));
    lines
}

fn told(root: u64, steps: &[Step], theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Message {
                signal,
                at,
                source,
                chat,
                edit,
                text: body,
                ..
            } => {
                if !lines.is_empty() {
                    lines.push(Line::default());
                }
                let what = if *signal == root {
                    "message"
                } else {
                    "follow-up"
                };
                let edit = if *edit > 0 {
                    format!(" (edit {edit})")
                } else {
                    String::new()
                };
                lines.push(heading(
                    format!(
                        "{what} #{signal} {} {chat} · {source}{edit}",
                        format::clock(*at)
                    ),
                    theme,
                ));
                lines.extend(body.lines().map(|l| Line::from(format!("  │ {l}"))));
                text.clone_from(body);
            }
            Step::Parse { parsed, .. } => lines.extend(reading(parsed, &text, theme)),
            Step::Decision {
                at, decision: d, ..
            } => lines.push(decision(d, Some(*at), theme)),
            Step::Order(o) => {
                let (style, what) = match &o.event {
                    OrderEvent::Intent { summary, .. } => ("text.dim", format!("sent {summary}")),
                    OrderEvent::Outcome {
                        outcome:
                            TradeOutcome::Done {
                                ticket,
                                price,
                                volume,
                            },
                    } => (
                        "decision.executed",
                        format!(
                            "done: #{ticket}{}{}",
                            volume
                                .map(|v| format!(" {} lots", format::lots(v)))
                                .unwrap_or_default(),
                            price
                                .map(|p| format!(" @ {}", format::price(p, None)))
                                .unwrap_or_default()
                        ),
                    ),
                    OrderEvent::Outcome {
                        outcome: TradeOutcome::Rejected { retcode, message },
                    } => (
                        "decision.refused",
                        format!("REJECTED by the broker ({retcode}): {message}"),
                    ),
                    OrderEvent::Unknown { reason, .. } => {
                        ("decision.waiting", format!("UNKNOWN: {reason}"))
                    }
                    OrderEvent::Resolved { found, detail } => (
                        "decision.waiting",
                        format!(
                            "asked the terminal: {} — {detail}",
                            if *found { "found" } else { "absent" }
                        ),
                    ),
                    OrderEvent::Orphan { ticket, detail } => {
                        ("decision.refused", format!("orphan #{ticket}: {detail}"))
                    }
                    OrderEvent::ClosedUnseen { ticket, detail } => (
                        "decision.waiting",
                        format!("#{ticket} closed while the link was down: {detail}"),
                    ),
                    OrderEvent::Closed {
                        ticket,
                        price,
                        profit,
                        by,
                    } => (
                        "text.dim",
                        format!(
                            "#{ticket} closed @ {} profit {profit:+.2}, by {by}",
                            format::price(*price, None)
                        ),
                    ),
                    OrderEvent::Hidden { sl, tp } => (
                        "text.dim",
                        format!(
                            "levels held by SignalOS (stealth): SL {} TP {}",
                            sl.map_or_else(|| "—".into(), |p| format::price(p, None)),
                            tp.map_or_else(|| "—".into(), |p| format::price(p, None))
                        ),
                    ),
                };
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("    {} {} ", format::clock(o.at), o.cid),
                        theme.style("text.dim"),
                    ),
                    Span::styled(what, theme.style(style)),
                ]));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::theme::builtin_theme;
    use crate::model::Mode;
    use crate::tui::fixture;

    fn heading_of(r: &SignalRecord) -> String {
        let text = builtin_theme("default").unwrap();
        let theme = Theme::parse("default", text).unwrap();
        message(r, &theme)[0].to_string()
    }

    #[test]
    fn a_message_read_late_shows_when_it_was_posted() {
        let mut r = fixture::state(Mode::Active).signals[0].clone();
        r.received_at = 1_765_013_400_000; // 09:30:00 UTC
        r.sent_at = Some(r.received_at - 600_000);
        let heading = heading_of(&r);
        assert!(heading.contains("09:30:00 (posted 09:20:00)"), "{heading}");
        // Read as it was posted: one time is enough.
        r.sent_at = Some(r.received_at - 1_000);
        assert!(!heading_of(&r).contains("posted"), "{}", heading_of(&r));
    }
}
