//! Drawing is a pure function of what the console knows, so tests render it without a terminal.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::app::{App, Pane, Prompt};
use super::panes;
use crate::api::State;
use crate::config::keymap::Keymap;
use crate::config::theme::Theme;
use crate::model::Millis;
use crate::telemetry::LogLine;

/// Everything one frame shows.
pub struct View<'a> {
    pub state: &'a State,
    pub app: &'a App,
    /// Recent log lines at every level, oldest first; the log pane filters them.
    pub logs: &'a [LogLine],
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// Wall clock, for the clock and ages.
    pub now: Millis,
}

/// Below this size the panes that do not fit share one slot, and tab brings each into it.
const WIDE: (u16, u16) = (140, 40);

pub fn draw(frame: &mut Frame, view: &View) {
    let [header, body, status] = Layout::vertical([
        Constraint::Length(panes::header::HEIGHT),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    panes::header::draw(frame, header, view);
    if view.app.zoomed {
        draw_pane(frame, view.app.focus, body, view);
    } else if is_wide(frame.area()) {
        wide(frame, body, view);
    } else {
        compact(frame, body, view);
    }
    panes::status::draw(frame, status, view);
    panes::overlay::draw(frame, body, view);
}

fn is_wide(screen: Rect) -> bool {
    screen.width >= WIDE.0 && screen.height >= WIDE.1
}

/// Whether `pane` is on a screen of this size now: the console reads the journal for the detail
/// pane only while someone can see it.
pub fn shows(app: &App, screen: Rect, pane: Pane) -> bool {
    if app.zoomed {
        app.focus == pane
    } else {
        is_wide(screen) || matches!(pane, Pane::Positions | Pane::Orders) || app.slot == pane
    }
}

pub fn draw_pane(frame: &mut Frame, pane: Pane, area: Rect, view: &View) {
    match pane {
        Pane::Positions => panes::positions::draw(frame, area, view),
        Pane::Orders => panes::orders::draw(frame, area, view),
        Pane::Signals => panes::signals::draw(frame, area, view),
        Pane::Detail => panes::detail::draw(frame, area, view),
        Pane::Chart => panes::chart::draw(frame, area, view),
        Pane::Log => panes::log::draw(frame, area, view),
    }
}

/// Rows a table pane wants: borders, its header, its rows and a spare line, so one more row does
/// not reflow the screen.
fn wanted(rows: usize) -> u16 {
    u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(4)
}

/// Trading on the left (positions, orders, signals), the story on the right (equity, detail, log).
fn wide(frame: &mut Frame, body: Rect, view: &View) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Fill(1)]).areas(body);
    let positions = wanted(view.state.positions.len()).clamp(5, left.height * 45 / 100);
    let orders = wanted(view.state.orders.len()).clamp(4, left.height / 4);
    let [p, o, s] = Layout::vertical([
        Constraint::Length(positions),
        Constraint::Length(orders),
        Constraint::Fill(1),
    ])
    .areas(left);
    draw_pane(frame, Pane::Positions, p, view);
    draw_pane(frame, Pane::Orders, o, view);
    draw_pane(frame, Pane::Signals, s, view);
    let [c, d, l] = Layout::vertical([
        Constraint::Percentage(30),
        Constraint::Fill(1),
        Constraint::Percentage(35),
    ])
    .areas(right);
    draw_pane(frame, Pane::Chart, c, view);
    draw_pane(frame, Pane::Detail, d, view);
    draw_pane(frame, Pane::Log, l, view);
}

/// From 80×24: positions, orders when there are any, and one slot for signals, detail, equity or
/// log — whichever last had the focus — with the others named on its border.
fn compact(frame: &mut Frame, body: Rect, view: &View) {
    let positions = wanted(view.state.positions.len()).clamp(5, (body.height * 2 / 5).max(5));
    let orders = if view.state.orders.is_empty() && view.app.focus != Pane::Orders {
        0
    } else {
        wanted(view.state.orders.len()).clamp(4, 6)
    };
    let [p, o, slot] = Layout::vertical([
        Constraint::Length(positions),
        Constraint::Length(orders),
        Constraint::Fill(1),
    ])
    .areas(body);
    draw_pane(frame, Pane::Positions, p, view);
    if orders > 0 {
        draw_pane(frame, Pane::Orders, o, view);
    }
    draw_pane(frame, view.app.slot, slot, view);
    let mut spans = vec![Span::raw(" ")];
    for pane in [Pane::Signals, Pane::Detail, Pane::Chart, Pane::Log] {
        let name = pane.title().to_lowercase();
        if pane == view.app.slot {
            spans.push(Span::styled(format!("[{name}]"), view.theme.style("title")));
        } else {
            spans.push(Span::styled(name, view.theme.style("text.dim")));
        }
        spans.push(Span::raw(" "));
    }
    let line = Line::from(spans);
    let width = u16::try_from(line.width()).unwrap_or(u16::MAX);
    if slot.height > 2 && slot.width > width + 4 {
        let at = Rect {
            x: slot.right().saturating_sub(width + 2),
            y: slot.bottom().saturating_sub(1),
            width,
            height: 1,
        };
        frame.render_widget(line, at);
    }
}

/// A pane's frame. The focused one is marked by a thick border and a `▶`, not by colour alone; an
/// active filter and the zoom are written in the title.
pub fn pane_block<'a>(view: &View, pane: Pane, title: String) -> Block<'a> {
    let focused = view.app.focus == pane;
    let (border, marker, kind) = if focused {
        (view.theme.style("border.focused"), "▶ ", BorderType::Thick)
    } else {
        (view.theme.style("border"), "", BorderType::Plain)
    };
    let mut spans = vec![Span::styled(
        format!(" {marker}{title} "),
        view.theme.style("title"),
    )];
    let filter = view.app.filter(pane);
    let typing = focused && view.app.prompt == Some(Prompt::Filter);
    if !filter.is_empty() || typing {
        spans.push(Span::styled(
            format!("/{filter}{} ", if typing { "▏" } else { "" }),
            view.theme.style("filter"),
        ));
    }
    if view.app.zoomed && focused {
        spans.push(Span::styled("[zoomed] ", view.theme.style("text.dim")));
    }
    Block::bordered()
        .border_type(kind)
        .border_style(border)
        .title(Line::from(spans))
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
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::broker::{BrokerRequest, TradeOutcome};
    use crate::config::keymap::{UiAction, builtin_keymap};
    use crate::config::theme::builtin_theme;
    use crate::model::Parsed;
    use crate::model::{LinkState, Mode};
    use crate::store::{OrderEntry, OrderEvent, Step};
    use crate::tui::app::Story;
    use crate::tui::fixture::{self, NOW};

    /// The log of the fixture's session, in the engine's own words.
    fn logs() -> Vec<LogLine> {
        let line = |secs: i64, level, target: &str, message: &str| LogLine {
            at: NOW - secs * 1000,
            level,
            target: target.into(),
            message: message.into(),
        };
        vec![
            line(
                2_400,
                Level::WARN,
                "signalos::engine",
                "refused: no stop loss in the message, and engine.require_sl is on \
                 (guards.default_sl_pips is 0) signal=13 chat=FX Pro",
            ),
            line(
                720,
                Level::INFO,
                "signalos::engine",
                "executing: SELL EURUSD @ market: fixed 0.50 lots (EURUSD override) in 1 leg \
                 (0.50), 145.00 USD at SL over 29.0 pips signal=14 chat=FX Pro",
            ),
            line(
                540,
                Level::INFO,
                "signalos::engine",
                "executing: SL to breakeven signal=15 chat=Gold VIP",
            ),
            line(
                300,
                Level::INFO,
                "signalos::engine",
                "executing: BUY XAUUSD @ limit 4140.00: fixed 0.20 lots in 1 leg (0.20), \
                 200.00 USD at SL over 100.0 pips signal=16 chat=Gold VIP",
            ),
            line(
                20,
                Level::ERROR,
                "signalos::sources::file",
                "cannot open signals.jsonl: not found",
            ),
        ]
    }

    fn keymap() -> Keymap {
        Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"))
    }

    /// The journal's story of the fixture's signal 12, as the journal tells it: its message,
    /// reading and decision, its two legs sent (one filled, one refused by the broker), then the
    /// follow-up #15 that moved the filled leg's stop to its entry.
    fn story_of_12(state: &State) -> Story {
        let record = |seq: u64| {
            state
                .signals
                .iter()
                .find(|s| s.seq == seq)
                .unwrap_or_else(|| panic!("fixture has signal {seq}"))
        };
        let told = |r: &crate::model::SignalRecord, trace: &[&str]| {
            [
                Step::Message {
                    signal: r.seq,
                    at: r.received_at,
                    source: r.source.clone(),
                    chat: r.chat.clone(),
                    msg_id: r.msg_id,
                    edit: 0,
                    text: r.text.clone(),
                },
                Step::Parse {
                    signal: r.seq,
                    parsed: Parsed {
                        trace: trace.iter().map(ToString::to_string).collect(),
                        ..r.parsed.clone()
                    },
                },
                Step::Decision {
                    signal: r.seq,
                    at: r.received_at,
                    // As decided on arrival: what became of the orders is a later step.
                    decision: match &r.decision {
                        crate::model::Decision::PartlyExecuted { summary, cids, .. } => {
                            crate::model::Decision::Executed {
                                summary: summary.clone(),
                                cids: cids.clone(),
                            }
                        }
                        d => d.clone(),
                    },
                },
            ]
        };
        let order = |seq: u64, signal: u64, at: i64, cid: String, event: OrderEvent| {
            Step::Order(OrderEntry {
                seq,
                at,
                cid,
                signal: Some(signal),
                command: None,
                event,
            })
        };
        let place = |cid: String, tp: f64| BrokerRequest::Place {
            cid,
            symbol: "XAUUSD".into(),
            side: crate::model::Side::Buy,
            order_type: crate::model::OrderType::Market,
            volume: 0.1,
            price: None,
            sl: Some(4140.0),
            tp: Some(tp),
        };
        let (open, follow_up) = (record(12), record(15));
        let at = open.received_at;
        let mut steps = told(
            open,
            &[
                "symbol: alias 'xauusd' → XAUUSD",
                "side: word 'buy'",
                "entry: zone 4150-4147",
            ],
        )
        .to_vec();
        for (leg, tp, outcome) in [
            (
                1,
                4155.0,
                TradeOutcome::Done {
                    ticket: 1_000_101,
                    price: Some(4148.5),
                    volume: Some(0.1),
                },
            ),
            (
                2,
                4160.0,
                TradeOutcome::Rejected {
                    retcode: 10004,
                    message: "requote".into(),
                },
            ),
        ] {
            let cid = fixture::cid(12, leg);
            let request = place(cid.clone(), tp);
            let summary = crate::engine::plan::describe(&request, state.symbols.get("XAUUSD"));
            let n = leg as u64 * 2;
            steps.push(order(
                n - 1,
                12,
                at,
                cid.clone(),
                OrderEvent::Intent { request, summary },
            ));
            steps.push(order(n, 12, at, cid, OrderEvent::Outcome { outcome }));
        }
        steps.push(Step::Decision {
            signal: 12,
            at,
            decision: open.decision.clone(),
        });
        steps.extend(told(follow_up, &["stop loss: 'SL to entry' → breakeven"]));
        let cid = fixture::cid(15, 1);
        let request = BrokerRequest::Modify {
            cid: cid.clone(),
            ticket: 1_000_101,
            sl: Some(4148.5),
            tp: Some(4155.0),
        };
        let summary = crate::engine::plan::describe(&request, state.symbols.get("XAUUSD"));
        let at = follow_up.received_at;
        steps.push(order(
            5,
            15,
            at,
            cid.clone(),
            OrderEvent::Intent { request, summary },
        ));
        steps.push(order(
            6,
            15,
            at,
            cid,
            OrderEvent::Outcome {
                outcome: TradeOutcome::Done {
                    ticket: 1_000_101,
                    price: None,
                    volume: None,
                },
            },
        ));
        Story::Told(steps)
    }

    /// Render the fixture after `setup` has pressed keys or opened things.
    fn render_with(
        mode: Mode,
        width: u16,
        height: u16,
        setup: impl FnOnce(&mut App, &State, &Keymap),
    ) -> Buffer {
        render_in("default", fixture::state(mode), (width, height), setup)
    }

    /// Render `state` in a built-in theme.
    fn render_in(
        theme: &str,
        state: State,
        (width, height): (u16, u16),
        setup: impl FnOnce(&mut App, &State, &Keymap),
    ) -> Buffer {
        let (tx, _rx) = mpsc::unbounded_channel();
        let mut app = App::new(true, tx);
        // A session's curve: a dip and a recovery.
        for (i, equity) in [10_100.0, 10_080.0, 10_040.0, 10_020.0, 10_070.0, 10_062.5]
            .into_iter()
            .enumerate()
        {
            let mut s = state.clone();
            if let Some(a) = s.account.as_mut() {
                a.equity = equity;
            }
            app.follow(&s, NOW - (6 - i as i64) * 600_000);
        }
        app.on_story(12, story_of_12(&state));
        app.signal = Some(12);
        let keymap = keymap();
        setup(&mut app, &state, &keymap);
        let theme = Theme::parse(theme, builtin_theme(theme).unwrap_or_default())
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

    fn render(mode: Mode, width: u16, height: u16, arm: Option<UiAction>) -> Buffer {
        render_with(mode, width, height, |app, state, _| {
            if let Some(action) = arm {
                app.on_action(action, state, &[], Instant::now());
            }
        })
    }

    /// Press keys as the keymap binds them.
    fn press(app: &mut App, state: &State, keymap: &Keymap, keys: &str) {
        for c in keys.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                '\x08' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            app.on_key(
                keymap,
                KeyEvent::new(code, KeyModifiers::NONE),
                state,
                &[],
                Instant::now(),
            );
        }
    }

    /// Every pane zoomed, at both sizes: one snapshot each.
    #[test]
    fn every_pane_zoomed_at_80x24_and_160x48() {
        for pane in Pane::ALL {
            for (w, h) in [(80, 24), (160, 48)] {
                let buffer = render_with(Mode::Active, w, h, |app, _, _| {
                    app.focus = pane;
                    app.zoomed = true;
                });
                let name = format!("pane_{}_{w}x{h}", pane.title().to_lowercase());
                insta::assert_snapshot!(name, text(&buffer));
            }
        }
    }

    /// Each pane with the focus in the normal layout at 80×24, where the small panes share a slot.
    #[test]
    fn every_pane_focused_at_80x24() {
        for pane in Pane::ALL {
            let buffer = render_with(Mode::Active, 80, 24, |app, _, _| {
                while app.focus != pane {
                    app.on_action(
                        UiAction::FocusNext,
                        &fixture::state(Mode::Active),
                        &[],
                        Instant::now(),
                    );
                }
            });
            let t = text(&buffer);
            assert!(
                t.contains(&format!("▶ {}", pane.title())),
                "{pane:?} not focused:\n{t}"
            );
            insta::assert_snapshot!(format!("focus_{}_80x24", pane.title().to_lowercase()), t);
        }
    }

    #[test]
    fn help_palette_form_and_filter_80x24() {
        let help = render_with(Mode::Active, 80, 24, |app, state, keymap| {
            press(app, state, keymap, "?");
        });
        insta::assert_snapshot!("help_80x24", text(&help));
        let palette = render_with(Mode::Active, 80, 24, |app, state, keymap| {
            press(app, state, keymap, ":clos");
        });
        insta::assert_snapshot!("palette_80x24", text(&palette));
        let form = render_with(Mode::Active, 80, 24, |app, state, keymap| {
            press(app, state, keymap, "m");
        });
        insta::assert_snapshot!("modify_form_80x24", text(&form));
        let filter = render_with(Mode::Active, 80, 24, |app, state, keymap| {
            press(app, state, keymap, "/eur");
        });
        insta::assert_snapshot!("filter_80x24", text(&filter));
    }

    #[test]
    fn help_is_generated_from_the_active_keymap() {
        let t = text(&render_with(Mode::Active, 160, 48, |app, state, keymap| {
            press(app, state, keymap, "?");
        }));
        for (key, action) in [
            ("X", "emergency_stop"),
            ("c", "close_position"),
            ("enter", "submit"),
        ] {
            let line = t
                .lines()
                .find(|l| l.contains(action))
                .unwrap_or_else(|| panic!("{action} not in help:\n{t}"));
            assert!(line.contains(key), "{action} without its key {key}: {line}");
        }
    }

    #[test]
    fn a_filter_hides_what_does_not_match() {
        let t = text(&render_with(Mode::Active, 160, 48, |app, state, keymap| {
            press(app, state, keymap, "/eur\n");
        }));
        let positions: String = t.lines().take(9).collect::<Vec<_>>().join("\n");
        assert!(positions.contains("EURUSD"), "{positions}");
        assert!(positions.contains("/eur"), "{positions}");
        assert!(
            !positions.contains("1000101"),
            "the gold position is filtered out:\n{positions}"
        );
        // The title, the rows and the footer tell the same thing.
        assert!(positions.contains("Positions (1 of 2)"), "{positions}");
        assert!(
            positions.contains("Shown -55.00 · 1 position 0.50 lots"),
            "{positions}"
        );
    }

    #[test]
    fn the_form_shows_the_risk_before_sending() {
        // The euro sell: its stop is still at a loss (the gold buy's is at its entry).
        let t = text(&render_with(Mode::Active, 80, 24, |app, state, keymap| {
            press(app, state, keymap, "jp");
        }));
        assert!(t.contains("Close part of #1000102"), "{t}");
        assert!(t.contains("realises -27.50"), "{t}");
        assert!(
            t.contains("at the SL 1.08700: -72.50 (0.72% of equity)"),
            "{t}"
        );
    }

    #[test]
    fn the_relay_badge_counts_viewers_and_the_day_shows_its_limit() {
        let t = text(&render(Mode::Active, 160, 48, None));
        let header: String = t.lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(header.contains("relay ● 2 connected"), "{header}");
        assert!(header.contains("Day -87.50/-304.50"), "{header}");
        let mut state = fixture::state(Mode::Active);
        state.links.remove("relay");
        let t = text(&render_in("default", state, (160, 48), |_, _, _| {}));
        assert!(t.contains("relay ○ OFF"), "{t}");
    }

    #[test]
    fn the_detail_pane_is_on_screen_when_wide_in_its_slot_or_zoomed() {
        let (tx, _rx) = mpsc::unbounded_channel();
        let mut app = App::new(true, tx);
        let small = Rect::new(0, 0, 80, 24);
        let large = Rect::new(0, 0, 160, 48);
        assert!(!shows(&app, small, Pane::Detail));
        assert!(shows(&app, large, Pane::Detail));
        app.slot = Pane::Detail;
        assert!(shows(&app, small, Pane::Detail));
        app.zoomed = true;
        assert!(!shows(&app, large, Pane::Detail), "zoomed on positions");
        app.focus = Pane::Detail;
        assert!(shows(&app, small, Pane::Detail));
    }

    /// In every built-in theme the same words carry the meaning; in mono nothing has a colour and
    /// HALTED is still reversed.
    #[test]
    fn every_theme_says_it_in_words() {
        for theme in crate::config::theme::BUILTIN_THEMES {
            let buffer = render_in(theme, fixture::state(Mode::Halted), (160, 48), |_, _, _| {});
            let t = text(&buffer);
            for word in [
                "HALTED", "BUY", "SELL", "+38.00", "-55.00", "REFUSED", "EXECUTED",
            ] {
                assert!(t.contains(word), "{theme}: no {word}");
            }
            if *theme == "mono" {
                let coloured = buffer.content().iter().find(|c| {
                    c.fg != ratatui::style::Color::Reset || c.bg != ratatui::style::Color::Reset
                });
                assert_eq!(coloured, None, "mono draws a colour");
                let first = row(&buffer, 0);
                let at = first
                    .find("HALTED")
                    .unwrap_or_else(|| panic!("{theme}: no HALTED in the header: {first:?}"));
                let x = first[..at].chars().count() as u16;
                assert!(
                    buffer[(x, 0)].modifier.contains(Modifier::REVERSED),
                    "{theme}: HALTED is not reversed"
                );
            }
        }
    }

    /// The fixture with #18, a message the parser could not read, just arrived: the console
    /// has said so in its status line.
    fn render_unread(theme: &str, (width, height): (u16, u16), pane: Option<Pane>) -> Buffer {
        let mut state = fixture::state(Mode::Active);
        let unread = fixture::unread("XAUUSD something 2350 weird");
        let before = state.clone();
        state.apply(&crate::api::Change::Signal(Box::new(unread.clone())));
        render_in(theme, state, (width, height), |app, _, _| {
            app.on_signal(&before, &unread, Instant::now());
            app.signal = Some(unread.seq);
            if let Some(pane) = pane {
                app.focus = pane;
                app.zoomed = true;
            }
        })
    }

    /// Where `word` first starts on screen.
    fn find(buffer: &Buffer, word: &str) -> Option<(u16, u16)> {
        (0..buffer.area.height).find_map(|y| {
            let line = row(buffer, y);
            let at = line.find(word)?;
            Some((line[..at].chars().count() as u16, y))
        })
    }

    /// An unread message is marked UNREAD in the signals pane, in a style of its own in every
    /// theme, with its words undimmed; the status line says it arrived, and the detail says why.
    #[test]
    fn an_unread_message_is_marked_in_the_signals_pane_and_said_in_the_status_line() {
        let buffer = render_unread("default", (80, 24), Some(Pane::Signals));
        let t = text(&buffer);
        insta::assert_snapshot!("unread_signals_80x24", t);
        let status = t.lines().last().unwrap_or_default();
        assert!(
            status.starts_with("unread message from Gold VIP: names XAUUSD and 2350"),
            "{status}"
        );

        for theme in crate::config::theme::BUILTIN_THEMES {
            let styles = Theme::parse(theme, builtin_theme(theme).unwrap_or_default())
                .unwrap_or_else(|p| panic!("{p}"));
            let unread = styles.style("decision.unread");
            for other in ["decision.ignored", "decision.refused", "decision.waiting"] {
                assert_ne!(unread, styles.style(other), "{theme}: unread looks {other}");
            }
            let buffer = render_unread(theme, (160, 48), Some(Pane::Signals));
            let (x, y) = find(&buffer, "UNREAD")
                .unwrap_or_else(|| panic!("{theme}: no UNREAD in:\n{}", text(&buffer)));
            assert_eq!(buffer[(x, y)].style(), unread.patch(buffer[(x, y)].style()));
            assert!(
                row(&buffer, y).contains("“XAUUSD something 2350 weird”"),
                "{theme}: the row is the message's"
            );
            let (x, y) = find(&buffer, "“XAUUSD something").unwrap_or_default();
            let dim = styles.style("text.dim");
            let cell = &buffer[(x, y)];
            assert!(
                !cell.modifier.contains(Modifier::DIM) && dim.fg.is_none_or(|fg| cell.fg != fg),
                "{theme}: an unread message is not dimmed like chatter"
            );
            let last = buffer.area.height - 1;
            assert!(row(&buffer, last).starts_with("unread message from Gold VIP"));
            assert_eq!(
                buffer[(0, last)].style(),
                unread.patch(buffer[(0, last)].style())
            );
        }

        let detail = text(&render_unread("default", (160, 48), Some(Pane::Detail)));
        assert!(detail.contains("Detail: signal #18"), "{detail}");
        assert!(
            detail.contains("UNREAD names XAUUSD and 2350, read as none: no buy/sell/long/short"),
            "{detail}"
        );
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
    fn a_remote_viewer_shows_its_engine_link_and_which_keys_are_disabled() {
        let remote = |app: &mut App| {
            app.role = crate::api::Role::Viewer;
            app.engine_link = Some(crate::api::Link {
                state: LinkState::Up,
                detail: "lag 12 ms".into(),
            });
        };
        let screen = text(&render_with(Mode::Active, 160, 48, |app, _, _| remote(app)));
        assert!(screen.contains("engine ● UP lag 12 ms"), "{screen}");
        let status = screen.lines().last().unwrap_or_default();
        assert!(status.starts_with("READ-ONLY"), "{status}");
        assert!(!status.contains("EMERGENCY STOP"), "{status}");
        let pressed = text(&render_with(Mode::Active, 160, 48, |app, state, keymap| {
            remote(app);
            press(app, state, keymap, "XX");
        }));
        assert!(
            pressed.contains("EMERGENCY STOP: disabled — this console is a viewer"),
            "{pressed}"
        );
        assert!(!pressed.contains("press X again"), "a viewer arms nothing");
        let help = text(&render_with(Mode::Active, 160, 48, |app, state, keymap| {
            remote(app);
            press(app, state, keymap, "?");
        }));
        let stop = help
            .lines()
            .find(|l| l.contains("emergency_stop"))
            .unwrap_or_default();
        assert!(
            stop.contains("disabled — this console is a viewer"),
            "{stop}"
        );
        // An operator's remote console acts as the local one does.
        let operator = text(&render_with(Mode::Active, 160, 48, |app, state, keymap| {
            app.engine_link = Some(crate::api::Link {
                state: LinkState::Retrying,
                detail: "reconnecting (attempt 2): connection refused".into(),
            });
            press(app, state, keymap, "X");
        }));
        assert!(
            operator.contains("engine ◐ RETRYING reconnecting"),
            "{operator}"
        );
        assert!(operator.contains("press X again"), "{operator}");
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

    /// Fault 10: a position's P/L and the total are net of its swap and commission.
    #[test]
    fn positions_show_their_profit_net_of_swap_and_commission() {
        let mut state = fixture::state(Mode::Active);
        for p in state.positions.values_mut().filter(|p| p.profit == 38.0) {
            p.swap = -1.25;
            p.commission = -0.7;
        }
        let t = text(&render_in("default", state, (160, 48), |_, _, _| {}));
        assert!(t.contains("+36.05") && !t.contains("+38.00"), "{t}");
        assert!(t.contains("-18.95"), "the total: {t}");
    }

    #[test]
    fn profit_and_loss_carry_signs_and_sides_carry_words() {
        let t = text(&render(Mode::Active, 80, 24, None));
        assert!(t.contains("+38.00"), "{t}");
        assert!(t.contains("-55.00"), "{t}");
        assert!(t.contains("BUY") && t.contains("SELL"), "{t}");
    }
}
