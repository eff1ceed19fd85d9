//! relay.json: where a running engine's relay listens and a token for it, left in the data dir
//! so that `signalos view` and `signalos ctl` on the same machine need no arguments. The token
//! is an operator's: the file is created readable by its owner only, and removed on a clean stop.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

pub const FILE: &str = "relay.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalRelay {
    /// ws://host:port or wss://host:port.
    pub url: String,
    pub token: String,
    /// With wss://, the relay's certificate: `view` and `ctl` on this machine accept exactly it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<PathBuf>,
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Write `relay` to the data dir.
pub fn write(data_dir: &Path, relay: &LocalRelay) -> anyhow::Result<()> {
    let mut text = serde_json::to_vec_pretty(relay).context("cannot encode relay.json")?;
    text.push(b'\n');
    write_private(&path(data_dir), &text)
}

/// The file that keeps the operator token the engine makes for itself, across runs, so that a
/// `view` or `ctl watch` holding it carries on after a restart.
pub const TOKEN_FILE: &str = "relay-token";

/// The engine's own operator token: the one kept in the data dir, else a new one, kept there.
pub fn own_token(data_dir: &Path) -> anyhow::Result<String> {
    let file = data_dir.join(TOKEN_FILE);
    if let Ok(text) = std::fs::read_to_string(&file) {
        let token = text.trim();
        // Made by us: 32 letters and digits. Anything else was not, and is replaced.
        if token.len() >= 32 && token.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(token.to_string());
        }
    }
    use rand::Rng as _;
    let token: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    write_private(&file, format!("{token}\n").as_bytes())?;
    Ok(token)
}

/// Write `text` to `target`: into a temporary file created with mode 0600, then renamed over it,
/// so that a token is never readable by others, not even for a moment, and a reader never sees
/// half a file.
fn write_private(target: &Path, text: &[u8]) -> anyhow::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    // A temporary file left by a crash of this same process id is stale: start again.
    let _ = std::fs::remove_file(&temp);
    let written = options
        .open(&temp)
        .and_then(|mut file| {
            file.write_all(text)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, target));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", target.display()));
    }
    Ok(())
}

/// Read relay.json from the data dir.
pub fn read(data_dir: &Path) -> anyhow::Result<LocalRelay> {
    let file = path(data_dir);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "{} does not exist: the engine is not running with [relay] enabled = true (start \
             `signalos run` with it, or give the relay's address and a token)",
            file.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not what a running engine writes ({{\"url\": …, \"token\": …}})",
            file.display()
        )
    })
}

/// Remove relay.json, as a clean stop does: nothing is listening any more.
pub fn remove(data_dir: &Path) -> anyhow::Result<()> {
    let file = path(data_dir);
    match std::fs::remove_file(&file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", file.display())),
    }
}
