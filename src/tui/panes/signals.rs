//! The signals feed, newest on top: what was read and what the engine did with it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};

use crate::model::SignalKind;
use crate::tui::app::Pane;
use crate::tui::view::{View, pane_block};
use crate::tui::{format, rows};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let signals = rows::signals(view.state, view.app.filter(Pane::Signals));
    let focused = view.app.focus == Pane::Signals;
    let chat = if area.width >= 100 { 16 } else { 9 };
    // Widths worked out here rather than by the layout, so cut text gets a visible `…` instead of
    // ending mid-number ("SL 414" for "SL 4140").
    let marker = if focused { 2 } else { 0 };
    let free = area.width.saturating_sub(2 + marker + 8 + chat + 4 + 4);
    let parse_width = free * 3 / 5;
    let decision_width = free - parse_width;
    let rows: Vec<Row> = signals
        .iter()
        .map(|s| {
            // An unread message is no chatter: its words are what the trader must read.
            let summary_style = if s.parsed.kind == SignalKind::None && s.parsed.unread.is_none() {
                theme.style("text.dim")
            } else {
                Default::default()
            };
            let decision_key = format::decision_key(&s.decision);
            let confidence = if s.parsed.kind == SignalKind::None {
                "—".to_string()
            } else {
                format!("{:.0}%", s.parsed.confidence * 100.0)
            };
            Row::new(vec![
                Cell::from(format::clock(s.received_at)),
                Cell::from(format::fit(&s.chat, chat)),
                Cell::from(Span::styled(
                    format::fit(&format::signal_summary(&s.parsed, &s.text), parse_width),
                    summary_style,
                )),
                Cell::from(Line::from(confidence).right_aligned()),
                Cell::from(Line::from(vec![
                    Span::styled(s.decision.word().to_uppercase(), theme.style(decision_key)),
                    Span::raw(format::fit(
                        &format!(" {}", s.decision.detail()),
                        decision_width.saturating_sub(s.decision.word().len() as u16),
                    )),
                ])),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(8),
        Constraint::Length(chat),
        Constraint::Length(parse_width),
        Constraint::Length(4),
        Constraint::Length(decision_width),
    ];
    let header = Row::new(vec![
        Line::from("Time"),
        Line::from("Chat"),
        Line::from("Parse"),
        Line::from("Conf").right_aligned(),
        Line::from("Decision"),
    ])
    .style(theme.style("title"));
    let selected = view
        .app
        .selected_signal(view.state)
        .and_then(|seq| signals.iter().position(|s| s.seq == seq))
        .filter(|_| focused);
    let mut table_state = TableState::default().with_selected(selected);
    let table = Table::new(rows, widths)
        .header(header)
        .block(pane_block(
            view,
            Pane::Signals,
            format!("Signals ({})", signals.len()),
        ))
        .column_spacing(1)
        .row_highlight_style(theme.style("selection"))
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::WhenSelected);
    frame.render_stateful_widget(table, area, &mut table_state);
}
