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
}

pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Write `relay` to the data dir: into a temporary file created with mode 0600, then renamed over
/// relay.json, so that the token is never readable by others, not even for a moment, and a
/// reader never sees half a file.
pub fn write(data_dir: &Path, relay: &LocalRelay) -> anyhow::Result<()> {
    let target = path(data_dir);
    let temp = data_dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let text = serde_json::to_vec_pretty(relay).context("cannot encode relay.json")?;
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
            file.write_all(&text)?;
            file.write_all(b"\n")?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temp, &target));
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
