//! Finding the keymap and theme that `ui.keymap` and `ui.theme` name.
//!
//! A value with a `/` or ending in `.toml` is a path (relative to the config file); anything else
//! is a name, looked up first in the user's `keymaps/` or `themes/` folder beside the platform
//! config file, then among the ones built into the binary.

use std::borrow::Cow;
use std::path::PathBuf;

use super::keymap::{Keymap, builtin_keymap};
use super::theme::{Theme, builtin_theme};
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
) -> Result<Named, Problem> {
    let read = |path: PathBuf| {
        std::fs::read_to_string(&path)
            .map(|text| Named {
                label: path.display().to_string(),
                text: Cow::Owned(text),
            })
            .map_err(|e| {
                loaded.problem(key, format!("a readable file at {} ({e})", path.display()))
            })
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
                format!("a built-in name (default), a file in {folder}/ beside the config file, or a path; {value:?} is none of them"),
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
    )
    .map_err(|p| Problems(vec![p]))?;
    Keymap::parse(&named.label, &named.text)
}

pub fn load_theme(loaded: &Loaded) -> Result<Theme, Problems> {
    let named = find(
        loaded,
        "ui.theme",
        "themes",
        &loaded.config.ui.theme,
        builtin_theme,
    )
    .map_err(|p| Problems(vec![p]))?;
    Theme::parse(&named.label, &named.text)
}
