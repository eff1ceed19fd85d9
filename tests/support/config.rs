//! The engine's rules for the tests: one definition, used by every test that runs an engine.
//! Include it with `#[path = "support/config.rs"] mod config;` (support/scripted.rs includes it
//! and re-exports [`engine_config`]).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use signalos::engine::Rules;

/// The built-in defaults (what `signalos run` uses with no config file, timeouts included: a
/// loaded machine is not taken for a lost answer), with one leg of 0.10 lots, and the same words
/// allowed again at once: the tests send the same signal text on purpose. A test states what it
/// needs beyond this (lots, legs, a short request timeout) where it uses it.
pub fn engine_config() -> Rules {
    let mut rules = Rules::of(&signalos::config::load(None, &[]).unwrap().config);
    rules.risk.lots = 0.10;
    rules.risk.max_legs = 1;
    rules.guards.duplicate_window_secs = 0;
    rules
}

/// [`engine_config`] with `lots` split over at most `max_legs` legs.
pub fn with_legs(lots: f64, max_legs: usize) -> Rules {
    let mut rules = engine_config();
    rules.risk.lots = lots;
    rules.risk.max_legs = max_legs;
    rules
}
