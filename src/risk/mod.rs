//! Risk: how much an open trades, and what it must pass before anything is sent.

pub mod daily;
pub mod guards;
pub mod sizing;
