//! Semantic styles ("pnl.loss", "mode.halted") loaded from a theme file.
//!
//! Widgets ask for a meaning, never a colour, so a mono or light theme is a file, not a code change.

use std::collections::HashMap;

use ratatui::style::{Color, Modifier, Style};
use toml::de::{DeTable, DeValue};

use super::{Problem, Problems, line_of};

/// Every key a theme may set.
pub const KEYS: &[&str] = &[
    "mode.active",
    "mode.paused",
    "mode.halted",
    "pnl.profit",
    "pnl.loss",
    "side.buy",
    "side.sell",
    "decision.executed",
    "decision.partly_executed",
    "decision.not_executed",
    "decision.refused",
    "decision.ignored",
    "decision.unread",
    "decision.waiting",
    "link.up",
    "link.degraded",
    "link.down",
    "link.connecting",
    "link.off",
    "header",
    "border",
    "border.focused",
    "selection",
    "title",
    "text.dim",
    "confirm",
    "warning",
    "key",
    "filter",
    "overlay",
    "overlay.border",
    "input",
    "input.error",
    "chart.line",
    "chart.axis",
    "status.accepted",
    "status.refused",
    "log.error",
    "log.warn",
    "log.info",
    "log.debug",
];

const ATTRIBUTES: &[&str] = &[
    "fg",
    "bg",
    "bold",
    "reversed",
    "dim",
    "italic",
    "underlined",
];

const COLOURS: &[(&str, Color)] = &[
    ("reset", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("grey", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("dark_grey", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
];

/// The loaded styles by semantic key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Theme {
    styles: HashMap<&'static str, Style>,
}

impl Theme {
    /// Read a theme file, reporting every problem in it at once.
    pub fn parse(file: &str, text: &str) -> Result<Theme, Problems> {
        let mut reader = Reader {
            file,
            text,
            theme: Theme::default(),
            problems: Vec::new(),
        };
        match DeTable::parse(text) {
            Ok(root) => reader.table("", root.get_ref()),
            Err(e) => {
                let line = e.span().map_or(0, |s| line_of(text, s.start));
                reader.problem(
                    line,
                    "(syntax)".into(),
                    format!("valid TOML: {}", e.message().trim()),
                );
            }
        }
        if reader.problems.is_empty() {
            Ok(reader.theme)
        } else {
            reader.problems.sort_by_key(|p| p.line);
            Err(Problems(reader.problems))
        }
    }

    /// The style of a semantic key; a key the theme leaves out draws in the terminal's default.
    pub fn style(&self, key: &str) -> Style {
        self.styles.get(key).copied().unwrap_or_default()
    }

    /// The style of a profit or loss figure: `pnl.profit`, `pnl.loss`, or plain at zero.
    pub fn pnl(&self, value: f64) -> Style {
        if value < 0.0 {
            self.style("pnl.loss")
        } else if value > 0.0 {
            self.style("pnl.profit")
        } else {
            Style::default()
        }
    }
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    theme: Theme,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn problem(&mut self, line: usize, key: String, expected: String) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            line,
            key,
            expected,
        });
    }

    /// A table is a namespace (`[pnl]`) unless its path is a key and it holds style attributes.
    fn table(&mut self, prefix: &str, table: &DeTable<'_>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            let line = line_of(self.text, key.span().start);
            let known = KEYS.iter().find(|k| **k == path).copied();
            let is_namespace = KEYS.iter().any(|k| k.starts_with(&format!("{path}.")));
            match value.get_ref() {
                DeValue::String(name) => match known {
                    Some(known) => {
                        let value_line = line_of(self.text, value.span().start);
                        if let Some(colour) = self.colour(value_line, &path, name) {
                            self.theme.styles.insert(known, Style::default().fg(colour));
                        }
                    }
                    None => self.unknown_key(line, path),
                },
                DeValue::Table(inner) => {
                    let holds_attributes = inner
                        .iter()
                        .all(|(k, _)| ATTRIBUTES.contains(&k.get_ref().as_ref()));
                    match known {
                        Some(known) if !is_namespace || holds_attributes => {
                            if let Some(style) = self.style_table(&path, inner) {
                                self.theme.styles.insert(known, style);
                            }
                        }
                        _ if is_namespace => self.table(&path, inner),
                        _ => self.unknown_key(line, path),
                    }
                }
                other => {
                    let line = line_of(self.text, value.span().start);
                    self.problem(
                        line,
                        path,
                        format!(
                            "a colour name, \"#rrggbb\" or a style table {{ fg, bg, bold, … }}, \
                             not a {}",
                            other.type_str()
                        ),
                    );
                }
            }
        }
    }

    fn unknown_key(&mut self, line: usize, path: String) {
        self.problem(
            line,
            path,
            format!("a theme key, one of: {}", KEYS.join(", ")),
        );
    }

    fn style_table(&mut self, path: &str, table: &DeTable<'_>) -> Option<Style> {
        let mut style = Style::default();
        let mut ok = true;
        for (key, value) in table {
            let attribute = key.get_ref().as_ref();
            let dotted = format!("{path}.{attribute}");
            let line = line_of(self.text, value.span().start);
            match (attribute, value.get_ref()) {
                ("fg" | "bg", DeValue::String(name)) => match self.colour(line, &dotted, name) {
                    Some(c) if attribute == "fg" => style = style.fg(c),
                    Some(c) => style = style.bg(c),
                    None => ok = false,
                },
                ("fg" | "bg", other) => {
                    ok = false;
                    self.problem(
                        line,
                        dotted,
                        format!("a colour name or \"#rrggbb\", not a {}", other.type_str()),
                    );
                }
                ("bold" | "reversed" | "dim" | "italic" | "underlined", DeValue::Boolean(on)) => {
                    let modifier = match attribute {
                        "bold" => Modifier::BOLD,
                        "reversed" => Modifier::REVERSED,
                        "dim" => Modifier::DIM,
                        "italic" => Modifier::ITALIC,
                        _ => Modifier::UNDERLINED,
                    };
                    style = if *on {
                        style.add_modifier(modifier)
                    } else {
                        style.remove_modifier(modifier)
                    };
                }
                ("bold" | "reversed" | "dim" | "italic" | "underlined", other) => {
                    ok = false;
                    self.problem(
                        line,
                        dotted,
                        format!("true or false, not a {}", other.type_str()),
                    );
                }
                _ => {
                    ok = false;
                    let line = line_of(self.text, key.span().start);
                    self.problem(
                        line,
                        dotted,
                        format!("a style attribute, one of: {}", ATTRIBUTES.join(", ")),
                    );
                }
            }
        }
        ok.then_some(style)
    }

    fn colour(&mut self, line: usize, path: &str, name: &str) -> Option<Color> {
        let found = parse_colour(name);
        if found.is_none() {
            let names: Vec<&str> = COLOURS.iter().map(|(n, _)| *n).collect();
            self.problem(
                line,
                path.to_string(),
                format!(
                    "a colour: one of {}, or \"#rrggbb\"; not {name:?}",
                    names.join(", ")
                ),
            );
        }
        found
    }
}

fn parse_colour(name: &str) -> Option<Color> {
    if let Some(hex) = name.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return Some(Color::Rgb(byte(0)?, byte(2)?, byte(4)?));
    }
    COLOURS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, c)| *c)
}

/// The names of the themes shipped in the binary.
pub const BUILTIN_THEMES: &[&str] = &["default", "mono", "light", "truecolor"];

/// The text of a theme shipped in the binary.
pub fn builtin_theme(name: &str) -> Option<&'static str> {
    match name {
        "default" => Some(include_str!("../../themes/default.toml")),
        "mono" => Some(include_str!("../../themes/mono.toml")),
        "light" => Some(include_str!("../../themes/light.toml")),
        "truecolor" => Some(include_str!("../../themes/truecolor.toml")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<Problem> {
        match Theme::parse("theme.toml", text) {
            Ok(_) => panic!("expected problems in:\n{text}"),
            Err(Problems(p)) => p,
        }
    }

    fn builtin(name: &str) -> Theme {
        let text = builtin_theme(name).unwrap_or_else(|| panic!("{name} is not embedded"));
        Theme::parse(&format!("themes/{name}.toml"), text).unwrap_or_else(|p| panic!("{p}"))
    }

    /// Every colour a theme sets, foreground and background, by key.
    fn colours(theme: &Theme) -> Vec<(&'static str, Color)> {
        theme
            .styles
            .iter()
            .flat_map(|(key, style)| style.fg.into_iter().chain(style.bg).map(|c| (*key, c)))
            .collect()
    }

    #[test]
    fn shipped_themes_parse_and_set_every_key() {
        for name in BUILTIN_THEMES {
            let theme = builtin(name);
            for key in KEYS {
                assert!(
                    theme.styles.contains_key(key),
                    "{name} theme leaves out {key}"
                );
            }
        }
        for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/themes"))
            .expect("themes/ is readable")
        {
            let path = file.expect("themes/ is listable").path();
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            assert!(
                BUILTIN_THEMES.contains(&name),
                "{} is shipped but not built in",
                path.display()
            );
        }
        assert_eq!(builtin_theme("nope"), None);
    }

    #[test]
    fn default_theme_keeps_its_colours() {
        let theme = builtin("default");
        assert_eq!(theme.style("pnl.loss").fg, Some(Color::LightRed));
        assert!(
            theme
                .style("mode.halted")
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert_eq!(theme.style("border.focused").fg, Some(Color::Cyan));
        assert_eq!(theme.style("border").fg, Some(Color::DarkGray));
    }

    #[test]
    fn mono_theme_has_no_colour_and_marks_alarms_by_reversal() {
        let theme = builtin("mono");
        assert_eq!(colours(&theme), vec![]);
        let halted = theme.style("mode.halted").add_modifier;
        assert!(halted.contains(Modifier::REVERSED | Modifier::BOLD));
        assert!(
            theme
                .style("selection")
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }

    #[test]
    fn light_theme_writes_only_dark_ansi_colours_on_the_terminal_background() {
        let theme = builtin("light");
        let readable = [
            Color::Reset,
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Blue,
            Color::Magenta,
            Color::DarkGray,
        ];
        for (key, style) in &theme.styles {
            if style.bg.is_none() {
                let fg = style.fg.unwrap_or(Color::Reset);
                assert!(readable.contains(&fg), "light: {key} is {fg:?} on white");
            }
        }
        for (key, colour) in colours(&theme) {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "light: {key} is {colour:?}, not one of the 16 ANSI colours"
            );
        }
    }

    #[test]
    fn truecolor_theme_uses_only_rgb() {
        let theme = builtin("truecolor");
        let found = colours(&theme);
        assert!(!found.is_empty());
        for (key, colour) in found {
            assert!(
                matches!(colour, Color::Rgb(..)),
                "truecolor: {key} is {colour:?}"
            );
        }
    }

    #[test]
    fn every_spelling_of_a_key_works() {
        let theme = Theme::parse(
            "t",
            "pnl.loss = \"red\"\n\"side.buy\" = \"#00ff80\"\n[link]\nup = { fg = \"green\", bold = true }\n",
        )
        .unwrap_or_else(|p| panic!("{p}"));
        assert_eq!(theme.style("pnl.loss").fg, Some(Color::Red));
        assert_eq!(theme.style("side.buy").fg, Some(Color::Rgb(0, 255, 128)));
        assert!(theme.style("link.up").add_modifier.contains(Modifier::BOLD));
        assert_eq!(theme.style("link.down"), Style::default());
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let p = problems("side.buy = \"red\"\n[pnl]\ngain = \"green\"\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (3, "pnl.gain"));
        let p = problems("\n\nsparkle = \"red\"\n");
        assert_eq!((p[0].line, p[0].key.as_str()), (3, "sparkle"));
    }

    #[test]
    fn unknown_colour_names_line_and_key() {
        let p = problems("header = \"blue\"\n\"border.focused\" = { fg = \"teal\" }\n");
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].line, p[0].key.as_str()), (2, "border.focused.fg"));
        assert!(p[0].expected.contains("light_red"), "{}", p[0].expected);
        let p = problems("title = \"#12345\"\n");
        assert_eq!((p[0].line, p[0].key.as_str()), (1, "title"));
    }

    #[test]
    fn wrong_type_and_unknown_attribute_are_reported_together() {
        let text = "\
header = 7
[mode]
halted = { fg = \"red\", blink = true }
paused = { bold = \"yes\" }
";
        let p = problems(text);
        let found: Vec<(usize, &str)> = p.iter().map(|p| (p.line, p.key.as_str())).collect();
        assert_eq!(
            found,
            vec![
                (1, "header"),
                (3, "mode.halted.blink"),
                (4, "mode.paused.bold")
            ]
        );
    }
}
