//! Typed, layered configuration: embedded defaults < user file < environment < command line.

mod error;
mod load;
pub mod paths;
mod settings;

pub use error::{Problem, Problems, line_of};
pub use load::{BUILTIN, BUILTIN_LABEL, CONFIG_VAR, Loaded, env_overrides, load, user_file};
pub use settings::{
    BrokerConfig, BrokerKind, Config, DataConfig, DemoSourceConfig, EngineConfig, FileSourceConfig,
    LogConfig, SourceConfig, UiConfig,
};
