use serde::{Deserialize, Serialize};

use super::Millis;

/// A symbol's trading specification, with the fields MT5's `SymbolInfo*` reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SymbolSpec {
    pub name: String,
    pub description: String,
    pub digits: u32,
    /// The smallest price change that can be quoted: 10^-digits.
    pub point: f64,
    /// The smallest price change that can be traded.
    pub tick_size: f64,
    /// Profit or loss in the account currency of one lot moving by one `tick_size`.
    pub tick_value: f64,
    pub contract_size: f64,
    pub volume_min: f64,
    pub volume_step: f64,
    pub volume_max: f64,
    /// Minimum distance, in points, between the market price and a stop loss or take profit.
    pub stops_level: u32,
    /// Fraction of the notional value held as margin (1 / leverage for FX).
    pub margin_rate: f64,
}

impl SymbolSpec {
    /// A pip: ten points on 3- and 5-digit quotes, one point elsewhere — how traders count.
    pub fn pip(&self) -> f64 {
        if self.digits == 3 || self.digits == 5 {
            self.point * 10.0
        } else {
            self.point
        }
    }

    /// Round a price to the nearest tradable tick.
    pub fn round_price(&self, price: f64) -> f64 {
        let ticks = (price / self.tick_size).round();
        let rounded = ticks * self.tick_size;
        let scale = 10f64.powi(self.digits as i32);
        (rounded * scale).round() / scale
    }

    /// Round a volume down to the volume step, clamped to the allowed range.
    pub fn normalize_volume(&self, volume: f64) -> f64 {
        let steps = (volume / self.volume_step + 1e-9).floor();
        let v = steps * self.volume_step;
        let v = (v * 1e8).round() / 1e8;
        v.clamp(self.volume_min, self.volume_max)
    }

    /// Profit in the account currency of `volume` lots moving from `open` to `close` on a buy.
    pub fn profit(&self, volume: f64, open: f64, close: f64) -> f64 {
        (close - open) / self.tick_size * self.tick_value * volume
    }
}

/// The current bid and ask of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub bid: f64,
    pub ask: f64,
    pub time: Millis,
}
