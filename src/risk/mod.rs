//! How much to trade: pure functions of the configuration, the symbol and the account.

pub mod sizing;
