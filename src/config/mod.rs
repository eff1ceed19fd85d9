//! Typed, layered configuration: embedded defaults < user file < environment < command line.

mod error;

pub use error::{Problem, Problems, line_of};
