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

fn absolute(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}
