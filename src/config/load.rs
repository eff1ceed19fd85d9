//! Assembling the configuration: the embedded config.toml, then the user's file, then
//! `SIGNALOS_<SECTION>_<KEY>` variables, each laid over the one before.
//!
//! Every text is parsed into a tree that keeps byte spans. The user's tree is shifted past the
//! built-in text before merging, and each variable past that, so a span in the merged tree tells
//! which text — and so which file and line — a bad value came from.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize as _;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::error::{Problem, Problems, line_of};
use super::settings::{
    BrokerKind, Config, DemoSourceConfig, FileSourceConfig, ProfileConfig, ProfileParserConfig,
    RelayConfig, SourceConfig, TelegramSourceConfig,
};

/// The annotated defaults, built into the binary.
pub const BUILTIN: &str = include_str!("../../config.toml");
pub const BUILTIN_LABEL: &str = "config.toml (built in)";

/// The variable naming the user's config file.
pub const CONFIG_VAR: &str = "SIGNALOS_CONFIG";
/// The token `signalos view` and `signalos ctl` give a relay: theirs, none of the config's keys.
pub const RELAY_TOKEN_VAR: &str = "SIGNALOS_RELAY_TOKEN";
const ENV_PREFIX: &str = "SIGNALOS_";

const SECTIONS: &[&str] = &[
    "engine",
    "risk",
    "entries",
    "guards",
    "management",
    "data",
    "log",
    "ui",
    "broker",
    "parser",
    "telegram",
    "relay",
    "sources",
    "profiles",
];
const SOURCE_KINDS: &[&str] = &["demo", "file", "telegram"];
/// The shortest bridge secret accepted: long enough that guessing it over a socket is hopeless.
const MIN_SECRET: usize = 12;

/// A configuration ready to use, and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    /// The user file laid over the defaults, if there was one.
    pub file: Option<PathBuf>,
    /// Relative paths in the configuration are taken from here: the user file's folder, else the
    /// working directory.
    pub base_dir: PathBuf,
    /// Settings that work but deserve a word, each naming its file, line and key: `check-config`
    /// prints them and `run` logs them as it starts.
    pub warnings: Vec<Problem>,
    /// Where each key's value was set: dotted key → (file, line).
    origins: BTreeMap<String, (String, usize)>,
}

impl Loaded {
    /// A problem with the value of `key`, naming the file and line that set it.
    pub fn problem(&self, key: &str, expected: impl Into<String>) -> Problem {
        let (file, line) = self
            .origins
            .get(key)
            .cloned()
            .unwrap_or_else(|| (BUILTIN_LABEL.to_string(), 0));
        Problem {
            file,
            line,
            key: key.to_string(),
            expected: expected.into(),
        }
    }

    /// Resolve a path written in the configuration.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }
}

/// The largest configuration, keymap or theme file read. Real ones are a few kilobytes; the
/// bound keeps a device or a runaway file from being read into memory whole.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Read a configuration, keymap or theme file: a regular file of at most [`MAX_FILE_BYTES`] of
/// UTF-8, or why not. Anything but a regular file is refused before it is opened: opening a FIFO
/// waits for a writer, and a device such as /dev/zero never ends.
pub(crate) fn read_text(path: &Path) -> Result<String, String> {
    use std::io::Read as _;
    let too_big = |len: u64| {
        format!("a file of at most {MAX_FILE_BYTES} bytes (1 MiB), but this one has {len}")
    };
    let unreadable = |e: std::io::Error| format!("a readable file ({e})");
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(format!(
            "a regular file, but this is {}",
            file_kind(&meta.file_type())
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // A file that grows between the check and the read is still read no further than the bound.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "UTF-8 text, but byte {} is not UTF-8",
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// What a file that is not a regular file is, in words.
fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// One text the configuration is assembled from.
struct Text {
    label: String,
    text: String,
    /// Where this text's spans start in the merged tree.
    base: usize,
}

/// The user's config file: the one given, else `$SIGNALOS_CONFIG`, else the platform one if it
/// exists (`~/.config/signalos/config.toml` on Linux).
pub fn user_file(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os(CONFIG_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    super::paths::platform_config_file().filter(|p| p.is_file())
}

/// The `SIGNALOS_*` variables of this process that set configuration keys.
pub fn env_overrides() -> Vec<(String, String)> {
    std::env::vars()
        .filter(|(k, _)| k.starts_with(ENV_PREFIX) && k != CONFIG_VAR && k != RELAY_TOKEN_VAR)
        .collect()
}

/// Load the configuration: the built-in defaults, `file` over them, then `env` over that.
/// Every problem found is returned, each naming its file, line and key.
pub fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Loaded, Problems> {
    load_checked(file, env, Secrets::Required)
}

/// [`load`] for the commands that connect to nothing (`journal`, `parse`, `--version`): the
/// secrets a run needs (the bridge's, the bot's token) may be absent, since they are best kept in
/// the environment of the run alone.
pub fn load_without_secrets(
    file: Option<&Path>,
    env: &[(String, String)],
) -> Result<Loaded, Problems> {
    load_checked(file, env, Secrets::Optional)
}

/// Whether the secrets a run needs to connect must be given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Secrets {
    Required,
    Optional,
}

fn load_checked(
    file: Option<&Path>,
    env: &[(String, String)],
    secrets: Secrets,
) -> Result<Loaded, Problems> {
    let mut texts = vec![Text {
        label: BUILTIN_LABEL.to_string(),
        text: BUILTIN.to_string(),
        base: 0,
    }];
    let mut next_base = BUILTIN.len() + 1;
    if let Some(path) = file {
        let text = read_text(path).map_err(|why| {
            Problems(vec![Problem {
                file: path.display().to_string(),
                line: 0,
                key: "(file)".into(),
                expected: why,
            }])
        })?;
        texts.push(Text {
            label: path.display().to_string(),
            base: next_base,
            text,
        });
        next_base += texts[1].text.len() + 1;
    }
    let first_env = texts.len();
    for (name, value) in env {
        texts.push(Text {
            label: format!("environment {name}"),
            text: value.clone(),
            base: next_base,
        });
        next_base += value.len() + 1;
    }

    let merged = merge_texts(&texts, first_env, env)?;
    let config = deserialize(&merged, &texts)?;
    let base_dir = match file.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let mut origins = BTreeMap::new();
    record_origins(&merged, "", &texts, &mut origins);
    let loaded = Loaded {
        warnings: warnings(&config, &merged, &texts),
        config,
        file: file.map(Path::to_path_buf),
        base_dir,
        origins,
    };
    let mut problems = validate(&loaded.config, &merged, &texts, secrets);
    problems.extend(relay_problems(&loaded, &merged, &texts, secrets));
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Problems(problems))
    }
}

fn record_origins(
    table: &DeTable<'_>,
    prefix: &str,
    texts: &[Text],
    out: &mut BTreeMap<String, (String, usize)>,
) {
    for (k, v) in table.iter() {
        let key = format!("{prefix}{}", k.get_ref());
        match v.get_ref() {
            DeValue::Table(t) => record_origins(t, &format!("{key}."), texts, out),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let DeValue::Table(t) = item.get_ref() {
                        record_origins(t, &format!("{key}[{i}]."), texts, out);
                    }
                }
                out.insert(key, locate(texts, v.span().start));
            }
            _ => {
                out.insert(key, locate(texts, v.span().start));
            }
        }
    }
}

/// Parse the files and variables and lay them over one another.
fn merge_texts<'t>(
    texts: &'t [Text],
    first_env: usize,
    env: &[(String, String)],
) -> Result<DeTable<'t>, Problems> {
    let mut problems = Vec::new();
    let mut merged = DeTable::new();
    for text in &texts[..first_env] {
        let (table, errors) = DeTable::parse_recoverable(&text.text);
        for e in errors {
            let at = e.span().map_or(0, |s| s.start);
            problems.push(Problem {
                file: text.label.clone(),
                line: line_of(&text.text, at),
                // A key the parser could not read may be in its tree with no name.
                key: key_at(table.get_ref(), at)
                    .filter(|k| has_names(k))
                    .or_else(|| key_written_at(&text.text, at))
                    .unwrap_or_else(|| "(syntax)".into()),
                expected: format!("valid TOML: {}", e.message().trim()),
            });
        }
        let table = shift_table(table.into_inner(), text.base);
        merge_table(&mut merged, table);
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    for (text, (name, _)) in texts[first_env..].iter().zip(env) {
        if let Err(p) = apply_env(&mut merged, text, name) {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(Problems(problems))
    }
}

/// Set `SECTION.KEY` from `SIGNALOS_SECTION_KEY`. The key must exist already; a variable for a
/// string key is taken as written, otherwise as a TOML value (`10`, `true`, `0.5`).
fn apply_env<'t>(merged: &mut DeTable<'t>, text: &'t Text, name: &str) -> Result<(), Problem> {
    let lowered = name[ENV_PREFIX.len()..].to_ascii_lowercase();
    let problem = |expected: String| Problem {
        file: text.label.clone(),
        line: 0,
        key: lowered.replacen('_', ".", 1),
        expected,
    };
    let (section, key) = lowered.split_once('_').ok_or_else(|| {
        problem("a variable named SIGNALOS_<SECTION>_<KEY>, e.g. SIGNALOS_UI_MAX_FPS".into())
    })?;
    let table = match merged.get_mut(section).map(|v| v.get_mut()) {
        Some(DeValue::Table(t)) => t,
        _ => {
            return Err(problem(format!(
                "a section among engine, data, log, ui, broker (not {section:?})"
            )));
        }
    };
    if !table.contains_key(key) {
        let known: Vec<&str> = table.keys().map(|k| k.get_ref().as_ref()).collect();
        return Err(problem(format!(
            "one of the keys of [{section}]: {}",
            known.join(", ")
        )));
    }
    let Some(slot) = table.get_mut(key) else {
        return Ok(());
    };
    let span = text.base..text.base + text.text.len();
    let value = if matches!(slot.get_ref(), DeValue::String(_)) {
        DeValue::String(text.text.as_str().into())
    } else {
        let parsed = DeValue::parse(&text.text).map_err(|e| {
            problem(format!(
                "a TOML value of the same type as the default ({})",
                e.message().trim()
            ))
        })?;
        parsed.into_inner()
    };
    *slot = Spanned::new(span, value);
    Ok(())
}

fn shift_span(span: Range<usize>, by: usize) -> Range<usize> {
    span.start + by..span.end + by
}

fn shift_value(value: Spanned<DeValue<'_>>, by: usize) -> Spanned<DeValue<'_>> {
    let span = shift_span(value.span(), by);
    let inner = match value.into_inner() {
        DeValue::Table(t) => DeValue::Table(shift_table(t, by)),
        DeValue::Array(mut items) => {
            for item in items.iter_mut() {
                let taken = std::mem::replace(item, Spanned::new(0..0, DeValue::Boolean(false)));
                *item = shift_value(taken, by);
            }
            DeValue::Array(items)
        }
        other => other,
    };
    Spanned::new(span, inner)
}

fn shift_table(table: DeTable<'_>, by: usize) -> DeTable<'_> {
    let mut out = DeTable::new();
    for (k, v) in table {
        let key = Spanned::new(shift_span(k.span(), by), k.into_inner());
        out.insert(key, shift_value(v, by));
    }
    out
}

/// Lay `over` onto `base`: tables merge key by key, anything else (arrays too) replaces.
fn merge_table<'t>(base: &mut DeTable<'t>, over: DeTable<'t>) {
    for (k, v) in over {
        let both_tables = matches!(
            (
                base.get(k.get_ref().as_ref()).map(|b| b.get_ref()),
                v.get_ref()
            ),
            (Some(DeValue::Table(_)), DeValue::Table(_))
        );
        if both_tables {
            if let (Some(DeValue::Table(b)), DeValue::Table(o)) = (
                base.get_mut(k.get_ref().as_ref()).map(|b| b.get_mut()),
                v.into_inner(),
            ) {
                merge_table(b, o);
            }
        } else {
            // Remove first so the key keeps the span of the text that set it.
            base.remove(k.get_ref().as_ref());
            base.insert(k, v);
        }
    }
}

/// Where in the texts a merged-tree offset lies: (file label, line).
fn locate(texts: &[Text], at: usize) -> (String, usize) {
    let text = texts
        .iter()
        .rev()
        .find(|t| t.base <= at)
        .unwrap_or(&texts[0]);
    let line = if text.label.starts_with("environment ") {
        0
    } else {
        line_of(&text.text, at - text.base)
    };
    (text.label.clone(), line)
}

/// The dotted path of the deepest key whose key or value contains offset `at`. Merged tables
/// keep the span of the text that first defined them, so every branch is searched, not only the
/// one whose span contains `at`.
fn key_at(table: &DeTable<'_>, at: usize) -> Option<String> {
    for (k, v) in table.iter() {
        let name = k.get_ref().to_string();
        if k.span().contains(&at) {
            return Some(name);
        }
        let deeper =
            match v.get_ref() {
                DeValue::Table(t) => key_at(t, at).map(|d| format!("{name}.{d}")),
                DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| match item
                    .get_ref()
                {
                    DeValue::Table(t) => key_at(t, at)
                        .map(|d| format!("{name}[{i}].{d}"))
                        .or_else(|| item.span().contains(&at).then(|| format!("{name}[{i}]"))),
                    _ => item.span().contains(&at).then(|| format!("{name}[{i}]")),
                }),
                _ => None,
            };
        if deeper.is_some() {
            return deeper;
        }
        if v.span().contains(&at) || (v.span().is_empty() && v.span().start == at) {
            return Some(name);
        }
    }
    None
}

/// The dotted key written at byte `at` of `text`, read from the text itself: a key the parser
/// refused (a duplicate, say) is not in its tree. The table is the last `[header]` before it.
fn key_written_at(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let line = text.get(line_start..)?.lines().next()?;
    let key = line.split('=').next()?.trim();
    if key.starts_with(['[', '#']) || !has_names(key) {
        return None;
    }
    let header = text
        .get(..line_start)?
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .and_then(|l| l.trim_start_matches('[').split(']').next())
        .map(str::trim);
    Some(match header {
        Some(table) if !table.is_empty() => format!("{table}.{key}"),
        _ => key.to_string(),
    })
}

/// Every part of a dotted key has a name: a key the parser could not read may be in its tree
/// with an empty one.
fn has_names(key: &str) -> bool {
    key.split('.').all(|part| !part.trim().is_empty())
}

/// The span of the value at a dotted path such as `sources[0].interval_secs` or `ui.max_fps`.
fn span_of(table: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut current: Option<&Spanned<DeValue<'_>>> = None;
    let mut table = table;
    for part in path.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        let mut value = table.get(name)?;
        if let Some(i) = index {
            match value.get_ref() {
                DeValue::Array(items) => value = items.get(i)?,
                _ => return None,
            }
        }
        current = Some(value);
        if let DeValue::Table(t) = value.get_ref() {
            table = t;
        }
    }
    current.map(|v| v.span())
}

fn problem_at(texts: &[Text], merged: &DeTable<'_>, key: &str, expected: String) -> Problem {
    let (file, line) = span_of(merged, key).map_or_else(
        || (texts[0].label.clone(), 0),
        |span| locate(texts, span.start),
    );
    Problem {
        file,
        line,
        key: key.to_string(),
        expected,
    }
}

/// Turn a serde error into a problem, naming the key from the error's span.
fn de_problem(
    e: &toml::de::Error,
    texts: &[Text],
    merged: &DeTable<'_>,
    fallback: &str,
) -> Problem {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let (file, line) = locate(texts, span.start);
            Problem {
                file,
                line,
                key: key_at(merged, span.start).unwrap_or_else(|| fallback.to_string()),
                expected: expectation(&message),
            }
        }
        None => problem_at(texts, merged, fallback, expectation(&message)),
    }
}

/// Reword serde's messages as what was expected.
fn expectation(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return format!("no such key {rest}");
    }
    message.to_string()
}

fn section<T: DeserializeOwned>(
    merged: &DeTable<'_>,
    name: &str,
    texts: &[Text],
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let value = merged.get(name)?.clone();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(de_problem(&e, texts, merged, name));
            None
        }
    }
}

/// The sections a profile may lay over the global ones.
const PROFILE_SECTIONS: [&str; 4] = ["risk", "guards", "entries", "management"];

/// `[[profiles]]`: each profile's sections are the global ones with its own keys laid over them.
fn profiles(
    merged: &DeTable<'_>,
    texts: &[Text],
    problems: &mut Vec<Problem>,
) -> Vec<ProfileConfig> {
    let Some(value) = merged.get("profiles") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        problems.push(problem_at(
            texts,
            merged,
            "profiles",
            "an array of tables: [[profiles]]".into(),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = format!("profiles[{i}]");
        let DeValue::Table(table) = item.get_ref() else {
            problems.push(problem_at(texts, merged, &key, "a table".into()));
            continue;
        };
        let mut fields = table.clone();
        let mut names = |field: &str, problems: &mut Vec<Problem>| -> Vec<String> {
            match fields.remove(field).map(Spanned::into_inner) {
                None => Vec::new(),
                Some(DeValue::Array(values)) => values
                    .iter()
                    .filter_map(|v| v.get_ref().as_str().map(String::from))
                    .collect(),
                Some(_) => {
                    problems.push(problem_at(
                        texts,
                        merged,
                        &format!("{key}.{field}"),
                        "a list of names".into(),
                    ));
                    Vec::new()
                }
            }
        };
        let sources = names("sources", problems);
        let chats = names("chats", problems);
        let name = fields
            .remove("name")
            .and_then(|v| v.get_ref().as_str().map(String::from))
            .unwrap_or_default();
        if name.is_empty() {
            problems.push(problem_at(
                texts,
                merged,
                &key,
                "name = \"…\": a profile needs a name".into(),
            ));
        }
        // Each section: the global table, with the profile's own keys laid over it.
        let mut sections = Vec::new();
        for section in PROFILE_SECTIONS {
            let Some(DeValue::Table(global)) = merged.get(section).map(|v| v.get_ref()) else {
                continue;
            };
            let mut laid = global.clone();
            match fields.remove(section).map(Spanned::into_inner) {
                None => {}
                Some(DeValue::Table(own)) => laid.extend(own),
                Some(_) => problems.push(problem_at(
                    texts,
                    merged,
                    &format!("{key}.{section}"),
                    format!("a table of [{section}] keys"),
                )),
            }
            sections.push(Spanned::new(item.span(), DeValue::Table(laid)));
        }
        // The profile's own words alone: the global ones are laid under them when its
        // vocabulary is made, so they are not copied into every profile.
        let parser = match fields.remove("parser") {
            None => Some(ProfileParserConfig::default()),
            Some(own) => deserialize_in(own, texts, merged, &format!("{key}.parser"), problems),
        };
        for (k, _) in fields.iter() {
            problems.push(problem_at(
                texts,
                merged,
                &format!("{key}.{}", k.get_ref()),
                "one of name, sources, chats, risk, guards, entries, management, parser".into(),
            ));
        }
        let [risk, guards, entries, management] = match <[_; 4]>::try_from(sections) {
            Ok(s) => s,
            Err(_) => continue,
        };
        let risk = deserialize_in(risk, texts, merged, &format!("{key}.risk"), problems);
        let guards = deserialize_in(guards, texts, merged, &format!("{key}.guards"), problems);
        let entries = deserialize_in(entries, texts, merged, &format!("{key}.entries"), problems);
        let management = deserialize_in(
            management,
            texts,
            merged,
            &format!("{key}.management"),
            problems,
        );
        if let (Some(risk), Some(guards), Some(entries), Some(management), Some(parser)) =
            (risk, guards, entries, management, parser)
        {
            out.push(ProfileConfig {
                name,
                sources,
                chats,
                risk,
                guards,
                entries,
                management,
                parser,
            });
        }
    }
    out
}

fn deserialize_in<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    texts: &[Text],
    merged: &DeTable<'_>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(de_problem(&e, texts, merged, key));
            None
        }
    }
}

fn sources(merged: &DeTable<'_>, texts: &[Text], problems: &mut Vec<Problem>) -> Vec<SourceConfig> {
    let Some(value) = merged.get("sources") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        problems.push(problem_at(
            texts,
            merged,
            "sources",
            "an array of tables: [[sources]]".into(),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = format!("sources[{i}]");
        let DeValue::Table(table) = item.get_ref() else {
            problems.push(problem_at(texts, merged, &key, "a table".into()));
            continue;
        };
        let mut fields = table.clone();
        let kind = fields.remove("kind");
        let kind_name = kind.as_ref().and_then(|k| k.get_ref().as_str());
        let body = Spanned::new(item.span(), DeValue::Table(fields));
        let parsed = match kind_name {
            Some("demo") => {
                DemoSourceConfig::deserialize(ValueDeserializer::from(body)).map(SourceConfig::Demo)
            }
            Some("file") => {
                FileSourceConfig::deserialize(ValueDeserializer::from(body)).map(SourceConfig::File)
            }
            Some("telegram") => TelegramSourceConfig::deserialize(ValueDeserializer::from(body))
                .map(SourceConfig::Telegram),
            _ => {
                problems.push(problem_at(
                    texts,
                    merged,
                    &format!("{key}.kind"),
                    format!("kind = one of {}", SOURCE_KINDS.join(", ")),
                ));
                continue;
            }
        };
        match parsed {
            Ok(source) => out.push(source),
            Err(e) => problems.push(de_problem(&e, texts, merged, &key)),
        }
    }
    out
}

fn deserialize(merged: &DeTable<'_>, texts: &[Text]) -> Result<Config, Problems> {
    let mut problems = Vec::new();
    for (k, _) in merged.iter() {
        if !SECTIONS.contains(&k.get_ref().as_ref()) {
            let (file, line) = locate(texts, k.span().start);
            problems.push(Problem {
                file,
                line,
                key: k.get_ref().to_string(),
                expected: format!("a section among {}", SECTIONS.join(", ")),
            });
        }
    }
    let engine = section(merged, "engine", texts, &mut problems);
    let data = section(merged, "data", texts, &mut problems);
    let log = section(merged, "log", texts, &mut problems);
    let ui = section(merged, "ui", texts, &mut problems);
    let broker = section(merged, "broker", texts, &mut problems);
    let parser = section(merged, "parser", texts, &mut problems);
    let telegram = section(merged, "telegram", texts, &mut problems);
    let relay = section(merged, "relay", texts, &mut problems);
    let guards = section(merged, "guards", texts, &mut problems);
    let risk = section(merged, "risk", texts, &mut problems);
    let management = section(merged, "management", texts, &mut problems);
    let entries = section(merged, "entries", texts, &mut problems);
    let sources = sources(merged, texts, &mut problems);
    let profiles = profiles(merged, texts, &mut problems);
    match (
        engine, data, log, ui, broker, parser, guards, risk, management, entries, telegram, relay,
    ) {
        (
            Some(engine),
            Some(data),
            Some(log),
            Some(ui),
            Some(broker),
            Some(parser),
            Some(guards),
            Some(risk),
            Some(management),
            Some(entries),
            Some(telegram),
            Some(relay),
        ) if problems.is_empty() => Ok(Config {
            engine,
            risk,
            management,
            entries,
            guards,
            data,
            log,
            ui,
            broker,
            parser,
            telegram,
            relay,
            sources,
            profiles,
        }),
        _ => Err(Problems(problems)),
    }
}

/// Settings that are allowed but may not be what was meant.
fn warnings(config: &Config, merged: &DeTable<'_>, texts: &[Text]) -> Vec<Problem> {
    let b = &config.broker;
    let mut out = Vec::new();
    // The simulator listens on a loopback port of its own: only a terminal uses broker.listen.
    if b.kind == BrokerKind::Mt5
        && let Ok(address) = b.listen.parse::<std::net::SocketAddr>()
        && !address.ip().is_loopback()
    {
        out.push(problem_at(
            texts,
            merged,
            "broker.listen",
            format!(
                "{address} is reachable from the network: the Expert Advisor's port is open to \
                 other machines and broker.secret is its only protection. Keep it on 127.0.0.1 \
                 and reach a terminal elsewhere through an SSH tunnel (docs/bridge-protocol.md)"
            ),
        ));
    }
    if !b.secret.0.is_empty() {
        let at = problem_at(
            texts,
            merged,
            "broker.secret",
            "the secret is written in a file: whoever can read the file can trade the account \
             through the bridge. Set it in the environment (SIGNALOS_BROKER_SECRET) and remove \
             it here"
                .into(),
        );
        if !at.file.starts_with("environment ") {
            out.push(at);
        }
    }
    out.extend(relay_warnings(&config.relay, merged, texts));
    if !config.telegram.token.0.is_empty() {
        let at = problem_at(
            texts,
            merged,
            "telegram.token",
            "the bot's token is written in a file: whoever can read the file can read your \
             channels and command the bot. Set it in the environment (SIGNALOS_TELEGRAM_TOKEN) \
             and remove it here"
                .into(),
        );
        if !at.file.starts_with("environment ") {
            out.push(at);
        }
    }
    out
}

/// Whether `token` looks like a Bot API token: `<bot id>:<secret>`.
fn token_shaped(token: &str) -> bool {
    token.split_once(':').is_some_and(|(id, secret)| {
        !id.is_empty()
            && id.chars().all(|c| c.is_ascii_digit())
            && secret.len() >= 30
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// Checks of values that have the right type but make no sense.
fn validate(
    config: &Config,
    merged: &DeTable<'_>,
    texts: &[Text],
    secrets: Secrets,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut check = |ok: bool, key: &str, expected: &str| {
        if !ok {
            problems.push(problem_at(texts, merged, key, expected.to_string()));
        }
    };
    let e = &config.engine;
    check(
        e.halt_retry_secs >= 1,
        "engine.halt_retry_secs",
        "at least 1 second",
    );
    check(
        (100..=600_000).contains(&e.request_timeout_ms),
        "engine.request_timeout_ms",
        "from 100 to 600000 milliseconds",
    );
    if let Some(why) = config.log.level_problem() {
        check(false, "log.level", &why);
    }
    check(
        config.log.buffer_lines >= 10,
        "log.buffer_lines",
        "at least 10",
    );
    check(
        (1..=120).contains(&config.ui.max_fps),
        "ui.max_fps",
        "a frame rate from 1 to 120",
    );
    check(
        !config.ui.keymap.is_empty(),
        "ui.keymap",
        "a keymap name or path",
    );
    check(
        !config.ui.theme.is_empty(),
        "ui.theme",
        "a theme name or path",
    );
    let b = &config.broker;
    check(
        b.balance > 0.0 && b.balance.is_finite(),
        "broker.balance",
        "a balance above 0",
    );
    check(
        b.leverage >= 1,
        "broker.leverage",
        "a leverage of at least 1",
    );
    check(
        b.tick_ms >= 10,
        "broker.tick_ms",
        "at least 10 milliseconds",
    );
    check(
        b.listen.parse::<std::net::SocketAddr>().is_ok(),
        "broker.listen",
        "an address and port such as \"127.0.0.1:7710\"",
    );
    check(
        (500..=30_000).contains(&b.heartbeat_ms),
        "broker.heartbeat_ms",
        "from 500 to 30000 milliseconds",
    );
    check(
        b.kind != BrokerKind::Mt5
            || b.secret.0.chars().count() >= MIN_SECRET
            || (secrets == Secrets::Optional && b.secret.0.is_empty()),
        "broker.secret",
        "a secret of at least 12 characters when kind = \"mt5\" (best set as SIGNALOS_BROKER_SECRET), the same as the Expert Advisor's Secret input",
    );
    for (canonical, broker) in &b.symbols {
        check(
            !broker.trim().is_empty(),
            &format!("broker.symbols.{canonical}"),
            "the terminal's name for the symbol, as Market Watch shows it",
        );
    }
    if let Err(why) = config.risk.check() {
        // The reason starts with the key it is about ("risk.lots = 0: …").
        let key = why.split([' ', ':']).next().unwrap_or("risk").to_string();
        check(false, &key, &why);
    }
    for (i, profile) in config.profiles.iter().enumerate() {
        let prefix = format!("profiles[{i}]");
        if let Err(why) = profile.risk.check() {
            let key = why.split([' ', ':']).next().unwrap_or("risk").to_string();
            check(false, &format!("{prefix}.{key}"), &why);
        }
        for (key, expected) in profile
            .guards
            .problems()
            .into_iter()
            .chain(profile.management.problems())
            .chain(profile.loosens(config))
        {
            check(false, &format!("{prefix}.{key}"), &expected);
        }
    }
    for (key, expected) in config
        .guards
        .problems()
        .into_iter()
        .chain(config.management.problems())
    {
        check(false, &key, &expected);
    }
    let tables = std::iter::once(("parser.words".to_string(), &config.parser.words)).chain(
        config
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("profiles[{i}].parser.words"), &p.parser.words)),
    );
    for (table, words) in tables {
        for (meaning, expected) in crate::parse::words::problems(words) {
            check(false, &format!("{table}.{meaning}"), &expected);
        }
    }
    for (alias, symbol) in &config.parser.aliases {
        let key = format!("parser.aliases.{alias}");
        check(
            !alias.trim().is_empty(),
            &key,
            "an alias as channels write it",
        );
        check(
            !symbol.is_empty()
                && symbol
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.'),
            &key,
            "a symbol such as \"XAUUSD\" (letters, digits and dots)",
        );
    }
    let t = &config.telegram;
    if t.in_use(&config.sources) && secrets == Secrets::Required {
        check(
            !t.token.0.trim().is_empty(),
            "telegram.token",
            "the bot's token from @BotFather (best set as SIGNALOS_TELEGRAM_TOKEN): telegram sources, operators and notify_chats all need the bot",
        );
    }
    if !t.token.0.is_empty() && !token_shaped(&t.token.0) {
        let token = &t.token.0;
        let hint = if token.trim() != token {
            ": this one has spaces or a line break at an end — remove them"
        } else if token.starts_with("bot") && token_shaped(&token[3..]) {
            ": without the \"bot\" that the API's addresses put in front of it"
        } else {
            ""
        };
        check(
            false,
            "telegram.token",
            &format!(
                "a token as @BotFather gives it: the bot's number, a colon, then at least 30 letters, digits, - or _ (like 123456789:AAE…){hint}"
            ),
        );
    }
    for operator in &t.operators {
        check(
            *operator > 0,
            "telegram.operators",
            &format!(
                "Telegram user ids, which are positive (@userinfobot tells yours); {operator} is a group's or a channel's"
            ),
        );
    }
    check(
        url::Url::parse(&t.api_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")),
        "telegram.api_url",
        "an http or https address such as \"https://api.telegram.org\"",
    );
    check(
        (1..=50).contains(&t.poll_timeout_secs),
        "telegram.poll_timeout_secs",
        "from 1 to 50 seconds (Telegram holds a long poll at most 50 s)",
    );
    let mut read_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut names = std::collections::BTreeSet::new();
    for (i, source) in config.sources.iter().enumerate() {
        let key = |field: &str| format!("sources[{i}].{field}");
        check(!source.name().is_empty(), &key("name"), "a non-empty name");
        check(
            names.insert(source.name().to_string()),
            &key("name"),
            "a name no other source has",
        );
        match source {
            SourceConfig::Demo(d) => {
                check(
                    d.interval_secs >= 0.1 && d.interval_secs.is_finite(),
                    &key("interval_secs"),
                    "at least 0.1 seconds",
                );
                // The demo's made-up signals would trade the terminal's account.
                check(
                    config.broker.kind != BrokerKind::Mt5,
                    &key("kind"),
                    "a real source while [broker] kind = \"mt5\", not the demo feed, whose made-up signals would trade the MT5 account: give [[sources]] of your own (they replace the built-in demo)",
                );
            }
            SourceConfig::File(f) => {
                check(!f.path.as_os_str().is_empty(), &key("path"), "a file path");
                check(f.poll_ms >= 10, &key("poll_ms"), "at least 10 milliseconds");
            }
            SourceConfig::Telegram(tg) => {
                check(
                    !tg.chats.is_empty(),
                    &key("chats"),
                    "the chats to read, as \"@username\" or numeric id: chats = [\"@goldvip\", -1001234567890]",
                );
                for chat in &tg.chats {
                    if let Some(expected) = chat.problem() {
                        check(false, &key("chats"), &expected);
                    }
                    let label = chat.to_string().to_ascii_lowercase();
                    match read_by.insert(label, i) {
                        Some(other) if other == i => check(
                            false,
                            &key("chats"),
                            &format!("each chat once: {chat} is listed twice"),
                        ),
                        Some(other) => check(
                            false,
                            &key("chats"),
                            &format!(
                                "chats no other telegram source reads: {chat} is in sources[{other}] too (a message goes to one source)"
                            ),
                        ),
                        None => {}
                    }
                }
            }
        }
    }
    problems
}

/// `[relay]`'s warnings: a port open to the network without TLS, tokens written in a file.
fn relay_warnings(r: &RelayConfig, merged: &DeTable<'_>, texts: &[Text]) -> Vec<Problem> {
    let mut out = Vec::new();
    if !r.enabled {
        return out;
    }
    if let Ok(address) = r.listen.parse::<std::net::SocketAddr>()
        && !address.ip().is_loopback()
        && r.tls_cert.as_os_str().is_empty()
    {
        out.push(problem_at(
            texts,
            merged,
            "relay.listen",
            format!(
                "{address} is reachable from the network without TLS: tokens and trades cross it \
                 in clear text. Keep it on 127.0.0.1 and use an SSH tunnel, or set tls_cert and \
                 tls_key (docs/relay-protocol.md)"
            ),
        ));
    }
    for (key, var, token) in [
        (
            "relay.operator_token",
            "SIGNALOS_RELAY_OPERATOR_TOKEN",
            &r.operator_token.0,
        ),
        (
            "relay.viewer_token",
            "SIGNALOS_RELAY_VIEWER_TOKEN",
            &r.viewer_token.0,
        ),
    ] {
        if token.is_empty() {
            continue;
        }
        let at = problem_at(
            texts,
            merged,
            key,
            format!(
                "the token is written in a file: whoever can read the file can connect to the \
                 relay with it. Set it in the environment ({var}) and remove it here"
            ),
        );
        if !at.file.starts_with("environment ") {
            out.push(at);
        }
    }
    out
}

/// `[relay]`'s values, and when it is enabled for a run, the files it names.
fn relay_problems(
    loaded: &Loaded,
    merged: &DeTable<'_>,
    texts: &[Text],
    secrets: Secrets,
) -> Vec<Problem> {
    use crate::relay::server::tokens;
    let r = &loaded.config.relay;
    let mut problems = Vec::new();
    let mut check = |ok: bool, key: &str, expected: String| {
        if !ok {
            problems.push(problem_at(texts, merged, key, expected));
        }
    };
    check(
        r.listen.parse::<std::net::SocketAddr>().is_ok(),
        "relay.listen",
        "an address and port such as \"127.0.0.1:7720\"".into(),
    );
    for (key, token) in [
        ("relay.operator_token", &r.operator_token.0),
        ("relay.viewer_token", &r.viewer_token.0),
    ] {
        if let Some(why) = (!token.is_empty())
            .then(|| tokens::token_problem(token))
            .flatten()
        {
            check(false, key, why);
        }
    }
    check(
        r.operator_token.0.is_empty() || r.operator_token != r.viewer_token,
        "relay.viewer_token",
        "a token other than operator_token: one token cannot be both an operator's and a viewer's"
            .into(),
    );
    check(r.queue >= 16, "relay.queue", "at least 16 events".into());
    check(
        r.idle_timeout_secs >= 1,
        "relay.idle_timeout_secs",
        "at least 1 second".into(),
    );
    check(
        r.max_connections >= 1,
        "relay.max_connections",
        "at least 1 connection".into(),
    );
    for origin in &r.allowed_origins {
        check(
            origin_shaped(origin),
            "relay.allowed_origins",
            format!(
                "origins as a browser sends them, scheme://host[:port] without a path, such as \
                 \"https://desk.example.com\" (not {origin:?})"
            ),
        );
    }
    let (cert, key) = (
        r.tls_cert.as_os_str().is_empty(),
        r.tls_key.as_os_str().is_empty(),
    );
    check(
        cert == key,
        // Blamed on the one that was written, where the other belongs.
        if cert {
            "relay.tls_key"
        } else {
            "relay.tls_cert"
        },
        "tls_cert and tls_key both (PEM files, for wss://) or neither".into(),
    );
    if !(r.enabled && secrets == Secrets::Required) {
        return problems;
    }
    for (key, path) in [
        ("relay.tls_cert", &r.tls_cert),
        ("relay.tls_key", &r.tls_key),
    ] {
        if !path.as_os_str().is_empty() {
            let file = loaded.resolve(path);
            let found = if file.is_dir() {
                "is a folder"
            } else if file.exists() {
                "is not a file"
            } else {
                "does not exist"
            };
            check(
                file.is_file(),
                key,
                format!("a PEM file; {} {found}", file.display()),
            );
        }
    }
    if !r.tokens_file.as_os_str().is_empty() {
        let file = loaded.resolve(&r.tokens_file);
        match tokens::read(&file) {
            Ok(named) => {
                for (key, token) in [
                    ("relay.operator_token", &r.operator_token.0),
                    ("relay.viewer_token", &r.viewer_token.0),
                ] {
                    if let Some(t) = named
                        .iter()
                        .find(|t| !token.is_empty() && &t.secret == token)
                    {
                        check(
                            false,
                            key,
                            format!("a token of its own: {} in tokens_file has the same", t.name),
                        );
                    }
                }
            }
            Err(found) => {
                let shown = file.display().to_string();
                problems.extend(found.into_iter().map(|p| Problem {
                    file: shown.clone(),
                    line: p.line,
                    key: "relay.tokens_file".into(),
                    expected: p.expected,
                }));
            }
        }
    }
    problems
}

/// Whether `origin` is written as a browser's Origin header: scheme://host[:port], no path.
fn origin_shaped(origin: &str) -> bool {
    origin.matches('/').count() == 2
        && url::Url::parse(origin).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some()
                && u.username().is_empty()
                && u.query().is_none()
                && u.fragment().is_none()
        })
}
