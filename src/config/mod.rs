//! Typed, layered configuration: embedded defaults < user file < environment < command line.

mod error;
pub mod keymap;
mod settings;
pub mod theme;

pub use error::{Problem, Problems, line_of};
pub use settings::{
    BrokerConfig, BrokerKind, Config, DataConfig, DemoSourceConfig, EngineConfig, FileSourceConfig,
    LogConfig, SourceConfig, UiConfig,
};
