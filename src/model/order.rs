use serde::{Deserialize, Serialize};
use std::fmt;

use super::{Millis, Quote, SymbolSpec};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    /// +1 for a buy, -1 for a sell: multiplies a price move into a profit direction.
    pub fn sign(self) -> f64 {
        match self {
            Side::Buy => 1.0,
            Side::Sell => -1.0,
        }
    }

    /// The price this side opens at.
    pub fn open_price(self, quote: &Quote) -> f64 {
        match self {
            Side::Buy => quote.ask,
            Side::Sell => quote.bid,
        }
    }

    /// The price this side closes at.
    pub fn close_price(self, quote: &Quote) -> f64 {
        match self {
            Side::Buy => quote.bid,
            Side::Sell => quote.ask,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Buy => "BUY",
            Side::Sell => "SELL",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OrderType {
    #[default]
    Market,
    Limit,
    Stop,
}

impl fmt::Display for OrderType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OrderType::Market => "market",
            OrderType::Limit => "limit",
            OrderType::Stop => "stop",
        })
    }
}

/// An open position at the broker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub ticket: u64,
    pub symbol: String,
    pub side: Side,
    pub volume: f64,
    pub open_price: f64,
    pub open_time: Millis,
    pub sl: Option<f64>,
    pub tp: Option<f64>,
    /// The price the position would close at now.
    pub current_price: f64,
    /// Floating profit in the account currency, before swap and commission (`POSITION_PROFIT`).
    pub profit: f64,
    /// Swap charged so far (`POSITION_SWAP`); 0 in journals written before it was reported.
    #[serde(default)]
    pub swap: f64,
    /// Commission and fees of the deals that opened it; 0 in journals written before it was
    /// reported.
    #[serde(default)]
    pub commission: f64,
    /// The client order id that opened it (the MT5 order comment); empty if not ours.
    pub cid: String,
}

impl Position {
    /// Re-price the position from a quote.
    pub fn mark(&mut self, quote: &Quote, spec: &SymbolSpec) {
        self.current_price = self.side.close_price(quote);
        self.profit =
            self.side.sign() * spec.profit(self.volume, self.open_price, self.current_price);
    }

    /// What the position makes or loses with its costs: profit, swap and commission together.
    /// Everything that shows or adds up a position's P/L uses this.
    pub fn net_profit(&self) -> f64 {
        self.profit + self.swap + self.commission
    }

    /// Distance from the open price in pips, positive when in profit.
    pub fn pips(&self, spec: &SymbolSpec) -> f64 {
        self.side.sign() * (self.current_price - self.open_price) / spec.pip()
    }
}

/// A pending (limit or stop) order at the broker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingOrder {
    pub ticket: u64,
    pub symbol: String,
    pub side: Side,
    pub order_type: OrderType,
    pub volume: f64,
    pub price: f64,
    pub sl: Option<f64>,
    pub tp: Option<f64>,
    pub placed_at: Millis,
    pub cid: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_journaled_before_swap_and_commission_reads_with_none_and_nets_them() {
        let old = r#"{"ticket":1234,"symbol":"XAUUSD","side":"buy","volume":0.1,"open_price":2350.4,
            "open_time":1763800000000,"sl":2340.0,"tp":null,"current_price":2351.0,"profit":6.0,
            "cid":"k3x9-s12-1"}"#;
        let mut position: Position = serde_json::from_str(old).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((position.swap, position.commission), (0.0, 0.0));
        assert_eq!(position.net_profit(), 6.0);
        position.swap = -0.35;
        position.commission = -0.7;
        assert!((position.net_profit() - 4.95).abs() < 1e-9);
    }
}
