//! One module per thing on screen.

pub mod header;
pub mod log;
pub mod positions;
pub mod signals;
pub mod status;
