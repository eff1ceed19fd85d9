//! Typed, layered configuration: embedded defaults < user file < environment < command line.

mod error;
pub mod keymap;
mod load;
mod named;
pub mod paths;
mod settings;
pub mod theme;

pub use error::{Problem, Problems, line_of};
pub use load::{
    BUILTIN, BUILTIN_LABEL, CONFIG_VAR, Loaded, MAX_FILE_BYTES, RELAY_TOKEN_VAR, env_overrides,
    load, load_without_secrets, user_file,
};
pub use named::{TerminalEnv, choose_theme, load_keymap, load_theme_with};
pub use settings::{
    BrokerConfig, BrokerKind, ChatRef, Config, DataConfig, DemoSourceConfig, EngineConfig,
    EntriesConfig, FileSourceConfig, GuardsConfig, LogConfig, ManagementConfig, NotifyKind,
    ParserConfig, ProfileConfig, ProfileParserConfig, RelayConfig, Secret, SizingConfig,
    SourceConfig, TelegramConfig, TelegramSourceConfig, Trailing, UiConfig, WordsConfig,
    ZoneOutside,
};
