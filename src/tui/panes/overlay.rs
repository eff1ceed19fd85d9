//! What opens over the panes: help generated from the active keymap, the command palette, and the
//! forms for one trade with their validation and risk.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::config::keymap::{Context, Key, Keymap, UiAction};
use crate::tui::app::{Prompt, palette_matches};
use crate::tui::form::Form;
use crate::tui::format;
use crate::tui::view::View;

pub fn draw(frame: &mut Frame, body: Rect, view: &View) {
    match &view.app.prompt {
        Some(Prompt::Help { scroll }) => help(frame, body, view, *scroll),
        Some(Prompt::Palette { query, selected }) => palette(frame, body, view, query, *selected),
        Some(Prompt::Form(form)) => form_popup(frame, body, view, form),
        Some(Prompt::Filter) | None => {}
    }
}

fn popup(body: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(body.height))])
        .flex(Flex::Center)
        .areas(body);
    let [area] = Layout::horizontal([Constraint::Length(width.min(body.width))])
        .flex(Flex::Center)
        .areas(row);
    area
}

fn frame_block<'a>(view: &View, title: String, keys: Line<'a>) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Double)
        .border_style(view.theme.style("overlay.border"))
        .title(Line::styled(
            format!(" {title} "),
            view.theme.style("title"),
        ))
        .title_bottom(keys)
        .style(view.theme.style("overlay"))
}

/// The keys of an action in one table, joined: `up/k`.
fn keys_of(keymap: &Keymap, context: Context, action: UiAction) -> String {
    let keys: Vec<String> = keymap
        .bindings(context)
        .iter()
        .filter(|(_, a)| *a == action)
        .map(|(k, _)| k.to_string())
        .collect();
    keys.join("/")
}

/// `enter send  esc cancel`, from `[prompt]`, each with what it does here.
fn prompt_keys(view: &View, actions: &[(UiAction, &str)]) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (action, word) in actions {
        let keys = keys_of(view.keymap, Context::Prompt, *action);
        if keys.is_empty() {
            continue;
        }
        spans.push(Span::styled(keys, view.theme.style("key")));
        spans.push(Span::raw(format!(" {word}  ")));
    }
    Line::from(spans)
}

/// Every binding of `[global]`, the focused pane and `[prompt]`, with what it does.
pub fn help_lines(keymap: &Keymap, pane: Context, view: &View) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for context in [Context::Global, pane, Context::Prompt] {
        let bindings = keymap.bindings(context);
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            format!("[{}]", context.name()),
            view.theme.style("title"),
        ));
        let mut seen: Vec<UiAction> = Vec::new();
        for (_, action) in bindings {
            if seen.contains(action) {
                continue;
            }
            seen.push(*action);
            let keys: Vec<&Key> = bindings
                .iter()
                .filter(|(_, a)| a == action)
                .map(|(k, _)| k)
                .collect();
            let keys = keys
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            let what = match view.app.read_only() {
                Some(why) if action.acts() => Span::styled(
                    format!("disabled — {why}"),
                    view.theme.style("status.refused"),
                ),
                // A remote console leaves the engine running: its quit says so.
                _ if *action == UiAction::Quit && view.app.engine_link.is_some() => Span::styled(
                    "leave this view; the engine keeps running",
                    view.theme.style("text.dim"),
                ),
                _ => Span::styled(action.description(), view.theme.style("text.dim")),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), view.theme.style("key")),
                Span::raw(format!(" {:<15} ", action.name())),
                what,
            ]));
        }
    }
    lines
}

fn help(frame: &mut Frame, body: Rect, view: &View, scroll: usize) {
    let lines = help_lines(view.keymap, view.app.focus.context(), view);
    let area = popup(body, body.width.saturating_sub(4).min(110), body.height);
    let scroll = scroll.min(
        lines
            .len()
            .saturating_sub(usize::from(area.height.saturating_sub(2))),
    );
    let block = frame_block(
        view,
        format!("Keys — {} pane", view.app.focus.title()),
        prompt_keys(
            view,
            &[
                (UiAction::Cancel, "close"),
                (UiAction::SelectNext, "scroll down"),
                (UiAction::SelectPrev, "scroll up"),
            ],
        ),
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
}

fn palette(frame: &mut Frame, body: Rect, view: &View, query: &str, selected: usize) {
    let found = palette_matches(query);
    let area = popup(body, body.width.saturating_sub(4).min(100), body.height);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(": ", view.theme.style("key")),
            Span::styled(format!("{query}▏"), view.theme.style("input")),
        ]),
        Line::default(),
    ];
    let room = usize::from(area.height.saturating_sub(4));
    // Keep the selected row in sight.
    let first = selected.saturating_sub(room.saturating_sub(1));
    for (i, action) in found.iter().enumerate().skip(first).take(room) {
        let key = view
            .keymap
            .key_for(view.app.focus.context(), *action)
            .map(|k| k.to_string())
            .unwrap_or_default();
        let style = if i == selected {
            view.theme.style("selection")
        } else {
            Default::default()
        };
        let marker = if i == selected { "▶ " } else { "  " };
        lines.push(
            Line::from(vec![
                Span::raw(format!("{marker}{:<15} ", action.name())),
                Span::styled(format!("{key:<7} "), view.theme.style("key")),
                Span::styled(action.description(), view.theme.style("text.dim")),
            ])
            .style(style),
        );
    }
    if found.is_empty() {
        lines.push(Line::styled(
            "no action matches",
            view.theme.style("text.dim"),
        ));
    }
    let block = frame_block(
        view,
        "Commands".into(),
        prompt_keys(
            view,
            &[
                (UiAction::Submit, "run"),
                (UiAction::Cancel, "close"),
                (UiAction::SelectNext, "next"),
                (UiAction::SelectPrev, "previous"),
            ],
        ),
    );
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn form_popup(frame: &mut Frame, body: Rect, view: &View, form: &Form) {
    let theme = view.theme;
    let mut lines = Vec::new();
    if let Some(p) = view.state.positions.get(&form.ticket) {
        let d = view.state.symbols.get(&p.symbol).map(|s| s.digits);
        lines.push(Line::from(format!(
            "{} {} {} lots, open {} now {}, SL {} TP {}",
            p.symbol,
            p.side,
            format::lots(p.volume),
            format::price(p.open_price, d),
            format::price(p.current_price, d),
            p.sl.map_or_else(|| "—".into(), |v| format::price(v, d)),
            p.tp.map_or_else(|| "—".into(), |v| format::price(v, d)),
        )));
        lines.push(Line::default());
    }
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let cursor = if focused { "▏" } else { "" };
        let marker = if focused { "▶ " } else { "  " };
        lines.push(Line::from(vec![
            Span::raw(format!("{marker}{:<8} ", field.label)),
            Span::styled(
                format!("{}{cursor}", field.text),
                if focused {
                    theme.style("input")
                } else {
                    Default::default()
                },
            ),
            Span::styled(format!("   {}", field.hint), theme.style("text.dim")),
        ]));
    }
    lines.push(Line::default());
    match form.evaluate(view.state) {
        Ok(preview) => {
            for line in preview.lines {
                lines.push(Line::from(format!("  {line}")));
            }
        }
        Err(why) => lines.push(Line::styled(
            format!("  ✗ {why}"),
            theme.style("input.error"),
        )),
    }
    let height = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2);
    let area = popup(body, body.width.saturating_sub(4).min(96), height);
    let block = frame_block(
        view,
        form.title(),
        prompt_keys(
            view,
            &[
                (UiAction::Submit, "send"),
                (UiAction::Cancel, "cancel"),
                (UiAction::NextField, "next field"),
            ],
        ),
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
