//! Recent log events, newest at the bottom, scrollable back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tracing::Level;

use crate::tui::app::Pane;
use crate::tui::view::{View, pane_block};
use crate::tui::{format, rows};

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let height = area.height.saturating_sub(2) as usize;
    let shown = rows::logs(view.logs, view.app.log_level, view.app.filter(Pane::Log));
    let scroll = view.app.log_scroll.min(shown.len().saturating_sub(1));
    let end = shown.len().saturating_sub(scroll);
    let start = end.saturating_sub(height);
    let lines: Vec<Line> = shown[start..end]
        .iter()
        .map(|l| {
            let (key, word) = match l.level {
                Level::ERROR => ("log.error", "ERROR"),
                Level::WARN => ("log.warn", "WARN "),
                Level::INFO => ("log.info", "INFO "),
                _ => ("log.debug", "DEBUG"),
            };
            let target = l.target.strip_prefix("signalos::").unwrap_or(&l.target);
            Line::from(vec![
                Span::styled(format!("{} ", format::clock(l.at)), theme.style("text.dim")),
                Span::styled(word, theme.style(key)),
                Span::styled(format!(" {target}: "), theme.style("text.dim")),
                Span::styled(l.message.clone(), theme.style(key)),
            ])
        })
        .collect();
    let level = view.app.log_level.as_str().to_lowercase();
    let title = if scroll > 0 {
        format!("Log ≥{level} (↑{scroll})")
    } else {
        format!("Log ≥{level}")
    };
    frame.render_widget(
        Paragraph::new(lines).block(pane_block(view, Pane::Log, title)),
        area,
    );
}
