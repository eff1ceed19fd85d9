//! One module per thing on screen.

pub mod chart;
pub mod detail;
pub mod header;
pub mod log;
pub mod orders;
pub mod overlay;
pub mod positions;
pub mod signals;
pub mod status;
