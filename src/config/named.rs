//! Finding the keymap and theme that `ui.keymap` and `ui.theme` name.
//!
//! A value with a `/` or ending in `.toml` is a path (relative to the config file); anything else
//! is a name, looked up first in the user's `keymaps/` or `themes/` folder beside the platform
//! config file, then among the ones built into the binary.
//!
//! `ui.theme = "auto"` picks a built-in theme from what the terminal advertises, and a named
//! `truecolor` falls back to `default` where RGB would not show: see [`choose_theme`].

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::PathBuf;

use super::keymap::{Keymap, builtin_keymap};
use super::load::read_text;
use super::theme::{BUILTIN_THEMES, Theme, builtin_theme};
use super::{Loaded, Problem, Problems, paths};

/// A keymap or theme file's label (for errors) and text.
struct Named {
    label: String,
    text: Cow<'static, str>,
}

fn find(
    loaded: &Loaded,
    key: &str,
    folder: &str,
    value: &str,
    builtin: fn(&str) -> Option<&'static str>,
    builtin_names: &str,
) -> Result<Named, Problem> {
    let read = |path: PathBuf| {
        read_text(&path)
            .map(|text| Named {
                label: path.display().to_string(),
                text: Cow::Owned(text),
            })
            .map_err(|why| loaded.problem(key, format!("{}: {why}", path.display())))
    };
    if value.contains('/') || value.ends_with(".toml") {
        return read(loaded.resolve(std::path::Path::new(value)));
    }
    if let Some(path) = paths::platform_config_dir()
        .map(|d| d.join(folder).join(format!("{value}.toml")))
        .filter(|p| p.is_file())
    {
        return read(path);
    }
    builtin(value)
        .map(|text| Named {
            label: format!("{folder}/{value}.toml (built in)"),
            text: Cow::Borrowed(text),
        })
        .ok_or_else(|| {
            loaded.problem(
                key,
                format!("a built-in name ({builtin_names}), a file in {folder}/ beside the config file, or a path; {value:?} is none of them"),
            )
        })
}

pub fn load_keymap(loaded: &Loaded) -> Result<Keymap, Problems> {
    let named = find(
        loaded,
        "ui.keymap",
        "keymaps",
        &loaded.config.ui.keymap,
        builtin_keymap,
        "default",
    )
    .map_err(|p| Problems(vec![p]))?;
    Keymap::parse(&named.label, &named.text)
}

/// What the terminal says about colour, from its environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TerminalEnv {
    /// `NO_COLOR` is set to something (https://no-color.org: an empty value counts as unset).
    pub no_color: bool,
    /// `COLORTERM` is `truecolor` or `24bit`.
    pub truecolor: bool,
}

impl TerminalEnv {
    pub fn from_env() -> TerminalEnv {
        TerminalEnv::from_vars(
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("COLORTERM").as_deref(),
        )
    }

    fn from_vars(no_color: Option<&OsStr>, colorterm: Option<&OsStr>) -> TerminalEnv {
        TerminalEnv {
            no_color: no_color.is_some_and(|v| !v.is_empty()),
            truecolor: colorterm.is_some_and(|v| v == "truecolor" || v == "24bit"),
        }
    }
}

/// The theme name or path to load for a `ui.theme` value, and a note when the value could not be
/// honoured as written.
///
/// A name the user wrote wins over `NO_COLOR`, as no-color.org allows; only `truecolor` is
/// overridden, because ratatui sends RGB as is and a terminal without it shows wrong colours.
pub fn choose_theme<'a>(value: &'a str, env: &TerminalEnv) -> (&'a str, Option<String>) {
    match value {
        "auto" if env.no_color => ("mono", None),
        "auto" if env.truecolor => ("truecolor", None),
        "auto" => ("default", None),
        "truecolor" if !env.truecolor => (
            "default",
            Some(
                "ui.theme is \"truecolor\" but the terminal does not advertise it \
                 (COLORTERM is not truecolor or 24bit): using the default theme"
                    .to_string(),
            ),
        ),
        _ => (value, None),
    }
}

/// The theme `ui.theme` chooses in a terminal like `env`, and why it is not the one named, if not.
pub fn load_theme_with(
    loaded: &Loaded,
    env: &TerminalEnv,
) -> Result<(Theme, Option<String>), Problems> {
    let (value, note) = choose_theme(&loaded.config.ui.theme, env);
    let named = find(
        loaded,
        "ui.theme",
        "themes",
        value,
        builtin_theme,
        &format!("auto, {}", BUILTIN_THEMES.join(", ")),
    )
    .map_err(|p| Problems(vec![p]))?;
    Ok((Theme::parse(&named.label, &named.text)?, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_env_follows_no_color_and_colorterm_conventions() {
        let os = |v: &'static str| Some(OsStr::new(v));
        let cases = [
            (None, None, TerminalEnv::default()),
            (os(""), None, TerminalEnv::default()),
            (
                os("1"),
                None,
                TerminalEnv {
                    no_color: true,
                    truecolor: false,
                },
            ),
            (
                None,
                os("truecolor"),
                TerminalEnv {
                    no_color: false,
                    truecolor: true,
                },
            ),
            (
                None,
                os("24bit"),
                TerminalEnv {
                    no_color: false,
                    truecolor: true,
                },
            ),
            (None, os("yes"), TerminalEnv::default()),
            (None, os(""), TerminalEnv::default()),
        ];
        for (no_color, colorterm, expected) in cases {
            assert_eq!(
                TerminalEnv::from_vars(no_color, colorterm),
                expected,
                "NO_COLOR={no_color:?} COLORTERM={colorterm:?}"
            );
        }
    }

    #[test]
    fn choose_theme_rules() {
        let plain = TerminalEnv::default();
        let no_color = TerminalEnv {
            no_color: true,
            truecolor: false,
        };
        let truecolor = TerminalEnv {
            no_color: false,
            truecolor: true,
        };
        let both = TerminalEnv {
            no_color: true,
            truecolor: true,
        };
        let cases = [
            ("auto", plain, "default", false),
            ("auto", no_color, "mono", false),
            ("auto", both, "mono", false),
            ("auto", truecolor, "truecolor", false),
            ("truecolor", truecolor, "truecolor", false),
            ("truecolor", plain, "default", true),
            ("truecolor", no_color, "default", true),
            ("default", no_color, "default", false),
            ("light", both, "light", false),
            ("mono", truecolor, "mono", false),
            ("sunset", plain, "sunset", false),
            (
                "themes/truecolor.toml",
                plain,
                "themes/truecolor.toml",
                false,
            ),
            ("auto.toml", no_color, "auto.toml", false),
        ];
        for (value, env, chosen, noted) in cases {
            let (name, note) = choose_theme(value, &env);
            assert_eq!(
                (name, note.is_some()),
                (chosen, noted),
                "{value} in {env:?}"
            );
        }
        let (_, note) = choose_theme("truecolor", &plain);
        assert!(note.is_some_and(|n| n.contains("COLORTERM")));
    }
}
