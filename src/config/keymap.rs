//! Keys → named console actions, per context, loaded from a keymap file.
//!
//! Every intent is a named [`UiAction`] with a description, so help and hint text are generated
//! from the loaded keymap rather than written next to a `match` on key codes.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::{Problem, Problems, line_of};

/// Everything a console key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiAction {
    Quit,
    EmergencyStop,
    Pause,
    Resume,
    Stealth,
    Resync,
    FocusNext,
    FocusPrev,
    Zoom,
    Help,
    Palette,
    Filter,
    SelectPrev,
    SelectNext,
    SelectFirst,
    SelectLast,
    PageUp,
    PageDown,
    ClosePosition,
    ClosePart,
    Modify,
    Breakeven,
    Trail,
    CancelOrder,
    ShowDetail,
    LogLevel,
    Submit,
    Cancel,
    NextField,
    PrevField,
}

/// Where an action may be bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// `[global]` or any pane.
    Anywhere,
    /// Any table: moving through a list is also how the palette and help are read.
    Lists,
    /// Only the table of this pane.
    Pane(Context),
    /// Only `[prompt]`: the keys of forms, the filter, the palette and help.
    Prompt,
}

/// Each action's name in keymap files, where it may be bound, its hint label and its help line.
const ACTIONS: &[(UiAction, &str, Scope, &str, &str)] = &[
    (
        UiAction::Quit,
        "quit",
        Scope::Anywhere,
        "quit",
        "leave the console; the engine stops cleanly, positions stay open",
    ),
    (
        UiAction::EmergencyStop,
        "emergency_stop",
        Scope::Anywhere,
        "EMERGENCY STOP",
        "HALT: cancel every pending order and close every position; stays HALTED until resumed (press twice, or once with ui.confirm_emergency_stop = false)",
    ),
    (
        UiAction::Pause,
        "pause",
        Scope::Anywhere,
        "pause",
        "PAUSE new entries; open trades are still managed",
    ),
    (
        UiAction::Resume,
        "resume",
        Scope::Anywhere,
        "resume",
        "RESUME trading from PAUSED or HALTED (press twice)",
    ),
    (
        UiAction::Stealth,
        "stealth",
        Scope::Anywhere,
        "stealth",
        "turn stealth on or off: SignalOS holds stop losses and take profits, not the broker (press twice)",
    ),
    (
        UiAction::Resync,
        "resync",
        Scope::Anywhere,
        "resync",
        "ask the terminal for its whole picture again and reconcile (press twice)",
    ),
    (
        UiAction::FocusNext,
        "focus_next",
        Scope::Anywhere,
        "next pane",
        "focus the next pane",
    ),
    (
        UiAction::FocusPrev,
        "focus_prev",
        Scope::Anywhere,
        "prev pane",
        "focus the previous pane",
    ),
    (
        UiAction::Zoom,
        "zoom",
        Scope::Anywhere,
        "zoom",
        "zoom the focused pane to the whole screen, or back",
    ),
    (
        UiAction::Help,
        "help",
        Scope::Anywhere,
        "help",
        "show every key of the active keymap",
    ),
    (
        UiAction::Palette,
        "palette",
        Scope::Anywhere,
        "commands",
        "the command palette: every action by name",
    ),
    (
        UiAction::Filter,
        "filter",
        Scope::Anywhere,
        "filter",
        "filter the focused pane's rows by text (enter keeps it, cancel clears it)",
    ),
    (
        UiAction::SelectPrev,
        "select_prev",
        Scope::Lists,
        "up",
        "select the previous row",
    ),
    (
        UiAction::SelectNext,
        "select_next",
        Scope::Lists,
        "down",
        "select the next row",
    ),
    (
        UiAction::SelectFirst,
        "select_first",
        Scope::Lists,
        "first",
        "select the first row",
    ),
    (
        UiAction::SelectLast,
        "select_last",
        Scope::Lists,
        "last",
        "select the last row",
    ),
    (
        UiAction::PageUp,
        "page_up",
        Scope::Lists,
        "page up",
        "move a page up",
    ),
    (
        UiAction::PageDown,
        "page_down",
        Scope::Lists,
        "page down",
        "move a page down",
    ),
    (
        UiAction::ClosePosition,
        "close_position",
        Scope::Pane(Context::Positions),
        "close",
        "close the selected position, whole (press twice)",
    ),
    (
        UiAction::ClosePart,
        "close_part",
        Scope::Pane(Context::Positions),
        "close part",
        "close part of the selected position: a form shows what remains at risk",
    ),
    (
        UiAction::Modify,
        "modify",
        Scope::Pane(Context::Positions),
        "modify",
        "set the selected position's SL and TP: a form shows the risk and reward",
    ),
    (
        UiAction::Breakeven,
        "breakeven",
        Scope::Pane(Context::Positions),
        "breakeven",
        "move the selected position's SL to its entry (press twice)",
    ),
    (
        UiAction::Trail,
        "trail",
        Scope::Pane(Context::Positions),
        "trail",
        "trail the selected position's SL some pips behind the price: a form shows where",
    ),
    (
        UiAction::CancelOrder,
        "cancel_order",
        Scope::Pane(Context::Orders),
        "cancel",
        "cancel the selected pending order (press twice)",
    ),
    (
        UiAction::ShowDetail,
        "show_detail",
        Scope::Pane(Context::Signals),
        "detail",
        "the selected signal's story: raw text, reading, plan, orders, broker answers",
    ),
    (
        UiAction::LogLevel,
        "log_level",
        Scope::Pane(Context::Log),
        "level",
        "show fewer or more log lines: error, warn, info, debug",
    ),
    (
        UiAction::Submit,
        "submit",
        Scope::Prompt,
        "ok",
        "send the form, run the chosen command, keep the filter",
    ),
    (
        UiAction::Cancel,
        "cancel",
        Scope::Prompt,
        "cancel",
        "close the form, palette or help; clear the filter",
    ),
    (
        UiAction::NextField,
        "next_field",
        Scope::Prompt,
        "next field",
        "the form's next field",
    ),
    (
        UiAction::PrevField,
        "prev_field",
        Scope::Prompt,
        "prev field",
        "the form's previous field",
    ),
];

impl UiAction {
    pub fn all() -> impl Iterator<Item = UiAction> {
        ACTIONS.iter().map(|a| a.0)
    }

    fn entry(self) -> &'static (UiAction, &'static str, Scope, &'static str, &'static str) {
        // Every variant has its row: `every_action_has_one_row` checks it.
        ACTIONS.iter().find(|a| a.0 == self).unwrap_or(&ACTIONS[0])
    }

    /// The name used in keymap files and the command palette.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// A few words for the hint bar.
    pub fn label(self) -> &'static str {
        self.entry().3
    }

    /// One line for help text.
    pub fn description(self) -> &'static str {
        self.entry().4
    }

    /// Whether it may be bound in `context`.
    pub fn fits(self, context: Context) -> bool {
        match self.entry().2 {
            Scope::Anywhere => context != Context::Prompt,
            Scope::Lists => true,
            Scope::Pane(pane) => context == pane,
            Scope::Prompt => context == Context::Prompt,
        }
    }

    /// Where it may be bound, in words, for errors.
    fn scope_words(self) -> String {
        match self.entry().2 {
            Scope::Anywhere => "[global] or a pane's table".into(),
            Scope::Lists => "any table".into(),
            Scope::Pane(pane) => format!("[{}]", pane.name()),
            Scope::Prompt => "[prompt]".into(),
        }
    }

    /// Dangerous actions need a second press of the same key before anything is sent.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            UiAction::EmergencyStop
                | UiAction::Resume
                | UiAction::Stealth
                | UiAction::Resync
                | UiAction::ClosePosition
                | UiAction::Breakeven
                | UiAction::CancelOrder
        )
    }

    /// Whether it sends a command to the engine (and so needs an operator).
    pub fn acts(self) -> bool {
        matches!(
            self,
            UiAction::EmergencyStop
                | UiAction::Pause
                | UiAction::Resume
                | UiAction::Stealth
                | UiAction::Resync
                | UiAction::ClosePosition
                | UiAction::ClosePart
                | UiAction::Modify
                | UiAction::Breakeven
                | UiAction::Trail
                | UiAction::CancelOrder
        )
    }

    pub fn from_name(name: &str) -> Option<UiAction> {
        ACTIONS.iter().find(|a| a.1 == name).map(|a| a.0)
    }
}

impl fmt::Display for UiAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a binding applies: everywhere, while a pane has the focus, or while typing into a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Positions,
    Orders,
    Signals,
    Detail,
    Chart,
    Log,
    /// Forms, the filter, the command palette and help: printable keys type, so only the
    /// emergency stop of `[global]` and these bindings act.
    Prompt,
}

impl Context {
    pub const ALL: [Context; 8] = [
        Context::Global,
        Context::Positions,
        Context::Orders,
        Context::Signals,
        Context::Detail,
        Context::Chart,
        Context::Log,
        Context::Prompt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Positions => "positions",
            Context::Orders => "orders",
            Context::Signals => "signals",
            Context::Detail => "detail",
            Context::Chart => "chart",
            Context::Log => "log",
            Context::Prompt => "prompt",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A key as bound: a code and the modifiers that matter. Shift is folded into the character
/// (`X` is shift+x) because terminals disagree on whether they report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
];

impl Key {
    /// Parse `X`, `tab`, `f5`, `ctrl-c` (or `C-c`), `alt-x` (or `A-x`, `M-x`).
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            // A lone "C" or "A" is a character, not a modifier with nothing after it.
            if rest.chars().count() <= 2 {
                break;
            }
            if let Some(r) = strip_prefix_ci(rest, "ctrl-").or_else(|| rest.strip_prefix("C-")) {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-")
                .or_else(|| rest.strip_prefix("A-"))
                .or_else(|| rest.strip_prefix("M-"))
            {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let code = key_code(rest).ok_or_else(|| {
            format!(
                "a key: one character, a named key (tab, enter, up, pageup, space, f1 … f12, …) \
                 or ctrl-<key> / alt-<key>; {text:?} is none of these"
            )
        })?;
        Ok(Key::new(code, modifiers))
    }

    fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                modifiers.remove(KeyModifiers::SHIFT);
                // Terminals send ctrl-C and ctrl-c alike.
                if modifiers.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, modifiers }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// A printable character without ctrl or alt: what typing into a field sends.
    pub fn types_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }

    fn is_function_key(&self) -> bool {
        matches!(self.code, KeyCode::F(_))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn key_code(text: &str) -> Option<KeyCode> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = text.to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
        return Some(*code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyCode::F(n))
}

/// The loaded bindings: per context, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keymap {
    tables: [Vec<(Key, UiAction)>; 8],
}

impl Keymap {
    /// Read a keymap file, reporting every problem in it at once.
    pub fn parse(file: &str, text: &str) -> Result<Keymap, Problems> {
        let mut problems = Vec::new();
        let problem = |line: usize, key: String, expected: String| Problem {
            file: file.to_string(),
            line,
            key,
            expected,
        };
        let root = match DeTable::parse(text) {
            Ok(root) => root.into_inner(),
            Err(e) => {
                let line = e.span().map_or(0, |s| line_of(text, s.start));
                return Err(Problems(vec![problem(
                    line,
                    "(syntax)".into(),
                    format!("valid TOML: {}", e.message().trim()),
                )]));
            }
        };
        let mut keymap = Keymap::default();
        let mut global_line = 0;
        for (context_key, value) in sorted(&root) {
            let line = line_of(text, context_key.span().start);
            let Some(context) = Context::from_name(context_key.get_ref()) else {
                problems.push(problem(
                    line,
                    context_key.get_ref().to_string(),
                    format!(
                        "a context: one of {}",
                        Context::ALL.map(Context::name).join(", ")
                    ),
                ));
                continue;
            };
            if context == Context::Global {
                global_line = line;
            }
            let DeValue::Table(table) = value.get_ref() else {
                problems.push(problem(
                    line,
                    context.name().into(),
                    format!(
                        "a table of key = \"action\" bindings, not a {}",
                        value.get_ref().type_str()
                    ),
                ));
                continue;
            };
            // Where each key was first bound, to name it when another spelling repeats it.
            let mut seen: Vec<(Key, &str, usize)> = Vec::new();
            for (key_text, value) in sorted(table) {
                let line = line_of(text, key_text.span().start);
                let dotted = format!("{}.{}", context.name(), key_text.get_ref());
                let key = match Key::parse(key_text.get_ref()) {
                    Ok(key) => Some(key),
                    Err(expected) => {
                        problems.push(problem(line, dotted.clone(), expected));
                        None
                    }
                };
                let action = match value.get_ref() {
                    DeValue::String(name) => match UiAction::from_name(name) {
                        Some(action) => Some(action),
                        None => {
                            problems.push(problem(
                                line_of(text, value.span().start),
                                dotted.clone(),
                                format!("an action, one of: {}; not {name:?}", action_names()),
                            ));
                            None
                        }
                    },
                    other => {
                        problems.push(problem(
                            line_of(text, value.span().start),
                            dotted.clone(),
                            format!("an action name as a string, not a {}", other.type_str()),
                        ));
                        None
                    }
                };
                let Some(key) = key else { continue };
                if let Some((_, first, first_line)) = seen.iter().find(|(k, _, _)| *k == key) {
                    problems.push(problem(
                        line,
                        dotted,
                        format!(
                            "a key not bound twice in [{}]: it is the same key as {first:?} on line {first_line}",
                            context.name()
                        ),
                    ));
                    continue;
                }
                seen.push((key, key_text.get_ref(), line));
                let Some(action) = action else { continue };
                if !action.fits(context) {
                    problems.push(problem(
                        line,
                        dotted,
                        format!(
                            "an action of [{}]: {} belongs in {}",
                            context.name(),
                            action.name(),
                            action.scope_words()
                        ),
                    ));
                    continue;
                }
                if context == Context::Prompt && key.types_text() {
                    problems.push(problem(
                        line,
                        dotted,
                        format!(
                            "a key that does not type text: in [prompt], {key} is needed for typing into forms and filters"
                        ),
                    ));
                    continue;
                }
                keymap.tables[context.index()].push((key, action));
            }
        }
        for needed in [UiAction::Submit, UiAction::Cancel] {
            if keymap.key_for(Context::Prompt, needed).is_none() {
                let line = root
                    .get("prompt")
                    .map_or(0, |_| line_of(text, text.find("[prompt]").unwrap_or(0)));
                problems.push(problem(
                    line,
                    format!("prompt.{needed}"),
                    format!(
                        "a binding for {needed} in [prompt], e.g. {} = \"{needed}\": without it a form cannot be {}",
                        if needed == UiAction::Submit { "enter" } else { "esc" },
                        if needed == UiAction::Submit { "sent" } else { "left" },
                    ),
                ));
            }
        }
        check_emergency_stop(
            &keymap,
            text,
            &root,
            global_line,
            &mut |line, key, expected| problems.push(problem(line, key, expected)),
        );
        if problems.is_empty() {
            Ok(keymap)
        } else {
            problems.sort_by_key(|p| p.line);
            Err(Problems(problems))
        }
    }

    /// The action of a key press in a context: the pane's table first, then `global`.
    pub fn action(&self, context: Context, event: KeyEvent) -> Option<UiAction> {
        let key = Key::from_event(&event);
        self.lookup(context, key)
            .or_else(|| self.lookup(Context::Global, key))
    }

    /// The action of a key press in exactly this context's table.
    pub fn bound(&self, context: Context, event: KeyEvent) -> Option<UiAction> {
        self.lookup(context, Key::from_event(&event))
    }

    fn lookup(&self, context: Context, key: Key) -> Option<UiAction> {
        self.tables[context.index()]
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| *a)
    }

    /// The bindings of one context, in file order.
    pub fn bindings(&self, context: Context) -> &[(Key, UiAction)] {
        &self.tables[context.index()]
    }

    /// The first key that does `action` in `context` (pane table first, then global), for hints.
    pub fn key_for(&self, context: Context, action: UiAction) -> Option<Key> {
        let find = |c: Context| {
            self.tables[c.index()]
                .iter()
                .find(|(_, a)| *a == action)
                .map(|(k, _)| *k)
        };
        // A pane key shadowed by nothing, or a global key the pane does not override.
        find(context).or_else(|| {
            find(Context::Global)
                .filter(|k| context == Context::Global || self.lookup(context, *k).is_none())
        })
    }
}

fn action_names() -> String {
    UiAction::all()
        .map(UiAction::name)
        .collect::<Vec<_>>()
        .join(", ")
}

type Entry<'a, 'i> = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>);

/// Entries in the order they appear in the file, so problems and hints follow the file.
fn sorted<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// The kill switch must be reachable from every pane by a key that reaches through SSH and tmux.
fn check_emergency_stop(
    keymap: &Keymap,
    text: &str,
    root: &DeTable<'_>,
    global_line: usize,
    report: &mut dyn FnMut(usize, String, String),
) {
    let line_of_binding = |context: Context, key: Key| -> usize {
        root.get(context.name())
            .and_then(|t| t.get_ref().as_table())
            .and_then(|t| {
                t.iter()
                    .find(|(k, _)| Key::parse(k.get_ref()).ok() == Some(key))
                    .map(|(k, _)| line_of(text, k.span().start))
            })
            .unwrap_or(0)
    };
    let stops: Vec<Key> = keymap
        .bindings(Context::Global)
        .iter()
        .filter(|(_, a)| *a == UiAction::EmergencyStop)
        .map(|(k, _)| *k)
        .collect();
    for context in Context::ALL {
        for (key, action) in keymap.bindings(context) {
            if *action != UiAction::EmergencyStop {
                continue;
            }
            let line = line_of_binding(context, *key);
            let dotted = format!("{}.{key}", context.name());
            if context != Context::Global {
                report(
                    line,
                    dotted,
                    "emergency_stop only in [global], so it works whichever pane has the focus"
                        .into(),
                );
            } else if key.code == KeyCode::Esc || key.modifiers.contains(KeyModifiers::ALT) {
                report(
                    line,
                    dotted,
                    "a plain key for emergency_stop: Esc and Alt chords are delayed or eaten by \
                     tmux and some terminals"
                        .into(),
                );
            }
        }
    }
    let reachable: Vec<Key> = stops
        .iter()
        .copied()
        .filter(|k| k.code != KeyCode::Esc && !k.modifiers.contains(KeyModifiers::ALT))
        .collect();
    if reachable.is_empty() {
        report(
            global_line,
            "global.emergency_stop".into(),
            "a binding in [global] for emergency_stop, e.g. X = \"emergency_stop\": the kill \
             switch must always be reachable"
                .into(),
        );
    } else if reachable.iter().all(Key::is_function_key) {
        let line = line_of_binding(Context::Global, reachable[0]);
        report(
            line,
            format!("global.{}", reachable[0]),
            "a plain-key binding for emergency_stop too: function keys do not reach through \
             every terminal"
                .into(),
        );
    }
    for context in Context::ALL.into_iter().skip(1) {
        for (key, action) in keymap.bindings(context) {
            if *action != UiAction::EmergencyStop && stops.contains(key) {
                report(
                    line_of_binding(context, *key),
                    format!("{}.{key}", context.name()),
                    format!(
                        "another key: {key} is the emergency stop in [global] and must not be \
                         overridden by {action:?} here",
                        action = action.name()
                    ),
                );
            }
        }
    }
}

/// The text of a keymap shipped in the binary.
pub fn builtin_keymap(name: &str) -> Option<&'static str> {
    match name {
        "default" => Some(include_str!("../../keymaps/default.toml")),
        "vim" => Some(include_str!("../../keymaps/vim.toml")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        let mut event = KeyEvent::new(code, modifiers);
        event.kind = KeyEventKind::Press;
        event
    }

    /// The problems of `text`, with the `[prompt]` keys every keymap needs added at the end
    /// (lines above keep their numbers) unless the text has its own.
    fn problems(text: &str) -> Vec<Problem> {
        let text = if text.contains("[prompt]") {
            text.to_string()
        } else {
            format!("{text}\n[prompt]\nenter = \"submit\"\nesc = \"cancel\"\n")
        };
        match Keymap::parse("test.toml", &text) {
            Ok(_) => panic!("expected problems in:\n{text}"),
            Err(Problems(p)) => p,
        }
    }

    #[test]
    fn shipped_default_parses_without_problems() {
        let text = builtin_keymap("default").expect("default keymap is embedded");
        let keymap = Keymap::parse("keymaps/default.toml", text).unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(
            keymap.action(
                Context::Positions,
                press(KeyCode::Char('X'), KeyModifiers::SHIFT)
            ),
            Some(UiAction::EmergencyStop)
        );
        assert_eq!(
            keymap.action(Context::Log, press(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(UiAction::Quit)
        );
        assert_eq!(
            keymap.action(
                Context::Positions,
                press(KeyCode::Char('c'), KeyModifiers::NONE)
            ),
            Some(UiAction::ClosePosition)
        );
        // close_position is a positions key only
        assert_eq!(
            keymap.action(
                Context::Signals,
                press(KeyCode::Char('c'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(
            keymap.action(
                Context::Signals,
                press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(UiAction::Quit)
        );
        assert_eq!(
            keymap.action(
                Context::Global,
                press(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(UiAction::FocusPrev)
        );
        assert_eq!(builtin_keymap("nope"), None);
    }

    #[test]
    fn lowercase_x_is_not_the_emergency_stop() {
        let keymap = Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(
            keymap.action(
                Context::Global,
                press(KeyCode::Char('x'), KeyModifiers::NONE)
            ),
            None
        );
    }

    #[test]
    fn key_syntax() {
        assert_eq!(Key::parse("ctrl-c"), Key::parse("C-c"));
        assert_eq!(Key::parse("ctrl-C"), Key::parse("ctrl-c"));
        assert_eq!(Key::parse("space"), Key::parse(" "));
        assert_eq!(Key::parse("f12").map(|k| k.code), Ok(KeyCode::F(12)));
        assert!(Key::parse("f13").is_err());
        assert!(Key::parse("ctrl-").is_err());
        assert_eq!(Key::parse("C").map(|k| k.code), Ok(KeyCode::Char('C')));
        assert_eq!(
            Key::parse("alt-x").map(|k| k.to_string()),
            Ok("alt-x".to_string())
        );
    }

    const GLOBAL: &str = "[global]\nX = \"emergency_stop\"\n";

    #[test]
    fn unknown_context_is_reported_with_its_line() {
        let p = problems(&format!("{GLOBAL}[charts]\nj = \"select_next\"\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (3, "charts"));
    }

    #[test]
    fn unparsable_key_is_reported() {
        let p = problems(&format!("{GLOBAL}[log]\n\"shift+up\" = \"select_prev\"\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (4, "log.shift+up"));
    }

    #[test]
    fn unknown_action_lists_the_known_ones() {
        let p = problems(&format!("{GLOBAL}[positions]\nc = \"close_all\"\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (4, "positions.c"));
        assert!(
            p[0].expected.contains("close_position"),
            "{}",
            p[0].expected
        );
        assert!(
            p[0].expected.contains("emergency_stop"),
            "{}",
            p[0].expected
        );
    }

    #[test]
    fn non_string_value_is_reported() {
        let p = problems(&format!("{GLOBAL}q = 1\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (3, "global.q"));
        assert!(p[0].expected.contains("string"), "{}", p[0].expected);
    }

    #[test]
    fn two_spellings_of_one_key_conflict() {
        let p = problems(&format!(
            "{GLOBAL}ctrl-c = \"quit\"\n\"C-c\" = \"pause\"\nspace = \"pause\"\n\" \" = \"resume\"\n"
        ));
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (4, "global.C-c"));
        assert!(p[0].expected.contains("line 3"), "{}", p[0].expected);
        assert_eq!((p[1].line, p[1].key.as_str()), (6, "global. "));
    }

    #[test]
    fn missing_emergency_stop_is_an_error() {
        let p = problems("[global]\nq = \"quit\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (1, "global.emergency_stop"));
        let p = problems("[positions]\nj = \"select_next\"\n");
        assert_eq!((p[0].line, p[0].key.as_str()), (0, "global.emergency_stop"));
    }

    #[test]
    fn emergency_stop_on_esc_alt_or_function_key_alone_is_an_error() {
        let p = problems("[global]\nesc = \"emergency_stop\"\n");
        assert!(
            p.iter().any(|p| p.line == 2 && p.key == "global.esc"),
            "{p:?}"
        );
        assert!(p.iter().any(|p| p.key == "global.emergency_stop"), "{p:?}");
        let p = problems("[global]\nalt-x = \"emergency_stop\"\n");
        assert!(
            p.iter().any(|p| p.line == 2 && p.key == "global.alt-x"),
            "{p:?}"
        );
        let p = problems("[global]\nf12 = \"emergency_stop\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (2, "global.f12"));
        // a function key next to a plain key is fine
        assert!(
            Keymap::parse(
                "k",
                "[global]\nf12 = \"emergency_stop\"\nX = \"emergency_stop\"\n\
                 [prompt]\nenter = \"submit\"\nesc = \"cancel\"\n"
            )
            .is_ok()
        );
    }

    /// The README's table of default keys, as the keymap makes it: the docs cannot drift.
    fn keys_table(keymap: &Keymap) -> String {
        let mut out = String::from("| where | keys | action | what it does |\n|---|---|---|---|\n");
        for context in Context::ALL {
            let bindings = keymap.bindings(context);
            let mut seen: Vec<UiAction> = Vec::new();
            for (_, action) in bindings {
                if seen.contains(action) {
                    continue;
                }
                seen.push(*action);
                let keys: Vec<String> = bindings
                    .iter()
                    .filter(|(_, a)| a == action)
                    .map(|(k, _)| format!("`{}`", k.to_string().replace('|', "\\|")))
                    .collect();
                out.push_str(&format!(
                    "| {} | {} | `{}` | {} |\n",
                    context.name(),
                    keys.join(" "),
                    action.name(),
                    action.description()
                ));
            }
        }
        out
    }

    #[test]
    fn the_readme_lists_the_default_keys() {
        let keymap = Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        let table = keys_table(&keymap);
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&table),
            "README.md's keys table is not the default keymap's; replace it with:\n\n{table}"
        );
    }

    #[test]
    fn shipped_vim_parses_and_binds_like_vim() {
        let text = builtin_keymap("vim").expect("vim keymap is embedded");
        let keymap = Keymap::parse("keymaps/vim.toml", text).unwrap_or_else(|p| panic!("{p}"));
        let cases = [
            (
                Context::Positions,
                KeyCode::Char('j'),
                KeyModifiers::NONE,
                UiAction::SelectNext,
            ),
            (
                Context::Positions,
                KeyCode::Char('G'),
                KeyModifiers::SHIFT,
                UiAction::SelectLast,
            ),
            (
                Context::Positions,
                KeyCode::Char('d'),
                KeyModifiers::NONE,
                UiAction::ClosePosition,
            ),
            (
                Context::Signals,
                KeyCode::Char('l'),
                KeyModifiers::NONE,
                UiAction::ShowDetail,
            ),
            (
                Context::Log,
                KeyCode::Char('d'),
                KeyModifiers::CONTROL,
                UiAction::PageDown,
            ),
            (
                Context::Log,
                KeyCode::Char('X'),
                KeyModifiers::SHIFT,
                UiAction::EmergencyStop,
            ),
            (
                Context::Chart,
                KeyCode::Char('w'),
                KeyModifiers::CONTROL,
                UiAction::FocusNext,
            ),
        ];
        for (context, code, modifiers, action) in cases {
            assert_eq!(
                keymap.action(context, press(code, modifiers)),
                Some(action),
                "{context:?} {code:?}"
            );
        }
    }

    #[test]
    fn every_action_has_one_row_and_a_default_key() {
        let keymap = Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        for action in UiAction::all() {
            assert_eq!(UiAction::from_name(action.name()), Some(action));
            assert_eq!(ACTIONS.iter().filter(|a| a.0 == action).count(), 1);
            let bound = Context::ALL
                .iter()
                .any(|c| keymap.bindings(*c).iter().any(|(_, a)| *a == action));
            assert!(bound, "{action} has no key in default.toml");
        }
    }

    #[test]
    fn an_action_bound_where_it_does_nothing_is_an_error() {
        let p = problems(&format!("{GLOBAL}[signals]\nc = \"close_position\"\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (4, "signals.c"));
        assert!(
            p[0].expected.contains("belongs in [positions]"),
            "{}",
            p[0].expected
        );
        let p = problems("[global]\nX = \"emergency_stop\"\nenter = \"submit\"\n");
        assert!(
            p.iter().any(|p| p.expected.contains("belongs in [prompt]")),
            "{p:?}"
        );
    }

    #[test]
    fn prompt_keys_must_not_type_and_must_let_a_form_be_left() {
        let p = problems(&format!(
            "{GLOBAL}[prompt]\nenter = \"submit\"\nq = \"cancel\"\n"
        ));
        let mut found: Vec<&str> = p.iter().map(|p| p.key.as_str()).collect();
        found.sort_unstable();
        assert_eq!(found, ["prompt.cancel", "prompt.q"], "{p:?}");
        assert!(
            p.iter().any(|p| p.expected.contains("does not type text")),
            "{p:?}"
        );
    }

    #[test]
    fn a_pane_may_not_shadow_the_kill_switch() {
        let p = problems(&format!("{GLOBAL}[signals]\nX = \"select_next\"\n"));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (4, "signals.X"));
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let text = "\
[global]
q = \"quit\"
P = 3
[positions]
c = \"close_everything\"
\"shift+c\" = \"close_position\"
[charts]
x = \"select_next\"
";
        let p = problems(text);
        let found: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (1, "global.emergency_stop"),
                (3, "global.P"),
                (5, "positions.c"),
                (6, "positions.shift+c"),
                (7, "charts"),
            ]
        );
    }

    #[test]
    fn syntax_error_names_the_line() {
        let p = problems("[global]\nX = \"emergency_stop\"\nq = \n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].line, 3);
    }

    #[test]
    fn hints_come_from_the_keymap() {
        let keymap = Keymap::parse("k", builtin_keymap("default").unwrap_or_default())
            .unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(
            keymap
                .key_for(Context::Positions, UiAction::EmergencyStop)
                .map(|k| k.to_string()),
            Some("X".into())
        );
        assert_eq!(
            keymap
                .key_for(Context::Positions, UiAction::SelectNext)
                .map(|k| k.to_string()),
            Some("down".into())
        );
    }
}
