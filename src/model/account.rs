use serde::{Deserialize, Serialize};

/// The trading account as the terminal reports it, in the account currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub login: u64,
    pub server: String,
    pub currency: String,
    pub leverage: u32,
    /// `true` for a hedging account (several positions per symbol), `false` for netting.
    pub hedging: bool,
    pub balance: f64,
    pub equity: f64,
    pub margin: f64,
    pub free_margin: f64,
}

impl Account {
    /// Equity over margin in percent, as MT5 shows it; `None` with no margin in use.
    pub fn margin_level(&self) -> Option<f64> {
        (self.margin > 0.0).then(|| self.equity / self.margin * 100.0)
    }
}
