//! Where SignalOS keeps its files when the configuration does not say.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

use super::Config;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "signalos")
}

/// `~/.config/signalos/config.toml` on Linux.
pub fn platform_config_file() -> Option<PathBuf> {
    project().map(|p| p.config_dir().join("config.toml"))
}

/// The folder that holds the user's own keymaps/ and themes/: beside the config file in use.
pub fn platform_config_dir() -> Option<PathBuf> {
    project().map(|p| p.config_dir().to_path_buf())
}

/// The data directory: `--data-dir`, else `data.dir`, else `~/.local/share/signalos`.
pub fn data_dir(config: &Config, base_dir: &Path, cli: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(dir) = cli {
        return Ok(dir.to_path_buf());
    }
    if !config.data.dir.as_os_str().is_empty() {
        return Ok(absolute(base_dir, &config.data.dir));
    }
    project()
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| anyhow::anyhow!("no home directory to keep data in: pass --data-dir DIR"))
}

/// The log directory: `log.dir`, else `<data dir>/logs`.
pub fn log_dir(config: &Config, base_dir: &Path, data_dir: &Path) -> PathBuf {
    if config.log.dir.as_os_str().is_empty() {
        data_dir.join("logs")
    } else {
        absolute(base_dir, &config.log.dir)
    }
}

/// Whether `run` could create `dir` and write in it, checked without leaving anything behind:
/// what was found, or why it cannot.
pub fn check_writable_dir(dir: &Path) -> Result<String, String> {
    // The nearest part of the path that exists: run creates the rest.
    let mut existing = dir;
    loop {
        match std::fs::metadata(existing) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(format!("a directory, but {} is a file", existing.display()));
            }
            // Not there, or under a file: the part above says which.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) && existing != Path::new(".") =>
            {
                existing = match existing.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                };
            }
            Err(e) => return Err(format!("a directory ({}: {e})", existing.display())),
        }
    }
    // Permission bits cannot tell (root, ACLs, read-only mounts): trying is the only sure test.
    let probe = existing.join(format!(".signalos-check-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
        }
        Err(e) => {
            return Err(format!(
                "a directory SignalOS can write in, but {} is not writable ({e})",
                existing.display()
            ));
        }
    }
    Ok(if existing == dir {
        format!("{} (writable)", dir.display())
    } else {
        format!(
            "{} (to be created in {})",
            dir.display(),
            existing.display()
        )
    })
}

fn absolute(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}
