//! The bottom line: the engine's last answer, or hints generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::keymap::{Context, Key, Keymap, UiAction};
use crate::tui::app::{Prompt, StatusKind};
use crate::tui::view::View;

pub fn draw(frame: &mut Frame, area: Rect, view: &View) {
    let theme = view.theme;
    let line = match &view.app.status {
        _ if view.app.prompt == Some(Prompt::Filter) => Line::from(vec![
            Span::styled("/", theme.style("key")),
            Span::styled(
                format!("{}▏", view.app.filter(view.app.focus)),
                theme.style("input"),
            ),
            Span::styled(
                format!(
                    "  filtering {} (lower case; {} keeps it, {} clears it)",
                    view.app.focus.title().to_lowercase(),
                    prompt_key(view.keymap, UiAction::Submit),
                    prompt_key(view.keymap, UiAction::Cancel),
                ),
                theme.style("text.dim"),
            ),
        ]),
        Some(status) => {
            let style = match status.kind {
                StatusKind::Info => Default::default(),
                StatusKind::Accepted => theme.style("status.accepted"),
                StatusKind::Refused => theme.style("status.refused"),
                StatusKind::Unread => theme.style("decision.unread"),
            };
            Line::from(Span::styled(status.text.clone(), style))
        }
        None => {
            let mut spans = Vec::new();
            let read_only = view.app.read_only().is_some();
            if read_only {
                spans.push(Span::styled("READ-ONLY ", theme.style("warning")));
            }
            for (keys, action) in hints(view.keymap, view.app.focus.context())
                .into_iter()
                .filter(|(_, action)| !(read_only && action.acts()))
            {
                spans.push(Span::styled(keys, theme.style("key")));
                spans.push(Span::styled(
                    format!(" {}  ", action.label()),
                    theme.style("text.dim"),
                ));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn prompt_key(keymap: &Keymap, action: UiAction) -> String {
    keymap
        .key_for(Context::Prompt, action)
        .map_or_else(|| action.name().to_string(), |k| k.to_string())
}

/// What the keys do where the focus is: global actions first, then the pane's, keys of one action
/// joined (`up/k`).
pub fn hints(keymap: &Keymap, context: Context) -> Vec<(String, UiAction)> {
    let mut out: Vec<(Vec<Key>, UiAction)> = Vec::new();
    let live = |key: &Key, action: UiAction| {
        context == Context::Global
            || keymap
                .bindings(context)
                .iter()
                .all(|(k, a)| k != key || *a == action)
    };
    let global = keymap.bindings(Context::Global).iter();
    let pane = keymap
        .bindings(context)
        .iter()
        .filter(|_| context != Context::Global);
    for (key, action) in global.filter(|(k, a)| live(k, *a)).chain(pane) {
        match out.iter_mut().find(|(_, a)| a == action) {
            Some((keys, _)) => {
                if !keys.contains(key) {
                    keys.push(*key)
                }
            }
            None => out.push((vec![*key], *action)),
        }
    }
    out.into_iter()
        .map(|(keys, action)| {
            let keys: Vec<String> = keys.iter().map(Key::to_string).collect();
            (keys.join("/"), action)
        })
        .collect()
}
