//! Risk: what an open must pass before anything is sent.

pub mod guards;
