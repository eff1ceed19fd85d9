//! Drawing is a pure function of what the console knows, so tests render it without a terminal.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType};

use super::app::{App, Pane};
use super::panes;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::engine::State;
use crate::model::Millis;
use crate::telemetry::LogLine;

/// Everything one frame shows.
pub struct View<'a> {
    pub state: &'a State,
    pub app: &'a App,
    /// Recent log lines, oldest first.
    pub logs: &'a [LogLine],
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// Wall clock, for the clock and ages.
    pub now: Millis,
}

pub fn draw(frame: &mut Frame, view: &View) {
    let [header, body, status] = Layout::vertical([
        Constraint::Length(panes::header::HEIGHT),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    panes::header::draw(frame, header, view);
    let (positions, signals, log) = body_areas(body, view);
    panes::positions::draw(frame, positions, view);
    panes::signals::draw(frame, signals, view);
    panes::log::draw(frame, log, view);
    panes::status::draw(frame, status, view);
}

/// Positions get the rows they need (up to 45 %), signals and log share the rest. Every pane keeps
/// the full width: signal summaries and log lines are long.
fn body_areas(body: Rect, view: &View) -> (Rect, Rect, Rect) {
    // Borders, the header row and a spare line, so a new position does not reflow the screen.
    let wanted = (view.state.positions.len() + view.state.orders.len()) as u16 + 4;
    let most = (body.height * 45 / 100).max(5);
    let [positions, rest] = Layout::vertical([
        Constraint::Length(wanted.clamp(5, most)),
        Constraint::Fill(1),
    ])
    .areas(body);
    let [signals, log] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Fill(1)]).areas(rest);
    (positions, signals, log)
}

/// A pane's frame. The focused one is marked by a thick border and a `▶`, not by colour alone.
pub fn pane_block<'a>(view: &View, pane: Pane, title: String) -> Block<'a> {
    let focused = view.app.focus == pane;
    let (border, marker, kind) = if focused {
        (view.theme.style("border.focused"), "▶ ", BorderType::Thick)
    } else {
        (view.theme.style("border"), "", BorderType::Plain)
    };
    Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Line::styled(
            format!(" {marker}{title} "),
            view.theme.style("title"),
        ))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::Modifier;
    use tokio::sync::mpsc;
    use tracing::Level;

    use super::*;
    use crate::config::keymap::{UiAction, builtin_keymap};
    use crate::config::theme::builtin_theme;
    use crate::model::Mode;
    use crate::tui::fixture::{self, NOW};

    fn logs() -> Vec<LogLine> {
        let line = |secs: i64, level, target: &str, message: &str| LogLine {
            at: NOW - secs * 1000,
            level,
            target: target.into(),
            message: message.into(),
        };
        vec![
            line(
                200,
                Level::INFO,
                "signalos::broker",
                "connected to simulator",
            ),
            line(
                190,
                Level::INFO,
                "signalos::engine",
                "signal 12 executed: BUY 0.20 XAUUSD in 2 legs",
            ),
            line(
                40,
                Level::WARN,
                "signalos::engine",
                "signal 13 refused: no stop loss",
            ),
            line(
                20,
                Level::ERROR,
                "signalos::sources::file",
                "cannot open signals.jsonl: not found",
            ),
            line(
                9,
                Level::INFO,
                "signalos::engine",
                "signal 14 executed: SL→4148.50 on #1000101",
            ),
        ]
    }

    fn render(mode: Mode, width: u16, height: u16, arm: Option<UiAction>) -> Buffer {
        let state = fixture::state(mode);
        let (tx, _rx) = mpsc::unbounded_channel();
        let mut app = App::new(true, tx);
        app.follow(&state);
        if let Some(action) = arm {
            app.on_action(action, &state, 0, Instant::now());
        }
        let theme = Theme::parse("t", builtin_theme("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        let keymap = Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        let logs = logs();
        let view = View {
            state: &state,
            app: &app,
            logs: &logs,
            theme: &theme,
            keymap: &keymap,
            now: NOW,
        };
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"));
        terminal
            .draw(|frame| draw(frame, &view))
            .unwrap_or_else(|e| panic!("{e}"));
        terminal.backend().buffer().clone()
    }

    fn text(buffer: &Buffer) -> String {
        let area = buffer.area;
        let mut out = String::new();
        for y in area.top()..area.bottom() {
            let mut row = String::new();
            for x in area.left()..area.right() {
                row.push_str(buffer[(x, y)].symbol());
            }
            out.push_str(row.trim_end());
            out.push('\n');
        }
        out
    }

    fn row(buffer: &Buffer, y: u16) -> String {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect()
    }

    #[test]
    fn active_80x24() {
        insta::assert_snapshot!(text(&render(Mode::Active, 80, 24, None)));
    }

    #[test]
    fn halted_80x24() {
        insta::assert_snapshot!(text(&render(Mode::Halted, 80, 24, None)));
    }

    #[test]
    fn active_160x48() {
        insta::assert_snapshot!(text(&render(Mode::Active, 160, 48, None)));
    }

    #[test]
    fn halted_160x48() {
        insta::assert_snapshot!(text(&render(Mode::Halted, 160, 48, None)));
    }

    #[test]
    fn armed_emergency_stop_80x24() {
        insta::assert_snapshot!(text(&render(
            Mode::Active,
            80,
            24,
            Some(UiAction::EmergencyStop)
        )));
    }

    #[test]
    fn halted_is_in_the_header_as_a_word_and_reversed() {
        for (w, h) in [(80, 24), (160, 48)] {
            let buffer = render(Mode::Halted, w, h, None);
            let first = row(&buffer, 0);
            let at = first
                .find("HALTED")
                .unwrap_or_else(|| panic!("no HALTED in header: {first:?}"));
            let x = first[..at].chars().count() as u16;
            let cell = &buffer[(x, 0)];
            assert!(
                cell.modifier.contains(Modifier::REVERSED),
                "HALTED must not rely on colour: {cell:?}"
            );
        }
        let active = render(Mode::Active, 80, 24, None);
        assert!(row(&active, 0).contains("ACTIVE"));
        assert!(!text(&active).contains("HALTED"));
    }

    #[test]
    fn armed_confirmation_names_the_key() {
        let buffer = render(Mode::Active, 80, 24, Some(UiAction::EmergencyStop));
        let header: String = (0..3).map(|y| row(&buffer, y)).collect();
        assert!(
            header.contains("press X again to EMERGENCY STOP"),
            "{header}"
        );
    }

    #[test]
    fn profit_and_loss_carry_signs_and_sides_carry_words() {
        let t = text(&render(Mode::Active, 80, 24, None));
        assert!(t.contains("+38.00"), "{t}");
        assert!(t.contains("-55.00"), "{t}");
        assert!(t.contains("BUY") && t.contains("SELL"), "{t}");
    }
}
