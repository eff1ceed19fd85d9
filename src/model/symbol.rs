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
    /// Distance, in points, from the market price within which an order or position is frozen.
    #[serde(default)]
    pub freeze_level: u32,
    /// How the broker executes market orders; an old journal's spec, written before this was
    /// reported, reads as market execution.
    #[serde(default)]
    pub execution: Execution,
    /// The filling modes a market deal may use, the EA's choice first (see
    /// [`Execution::filling_modes`]).
    #[serde(default)]
    pub filling_modes: Vec<Filling>,
    #[serde(default)]
    pub trade_mode: TradeMode,
    /// Fraction of the notional value held as margin (1 / leverage for FX).
    pub margin_rate: f64,
}

/// How a market order may be filled (MT5's `ORDER_FILLING_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filling {
    /// Fill or kill: the whole volume or nothing.
    Fok,
    /// Immediate or cancel: what can be filled now, the rest cancelled.
    Ioc,
    /// The rest stays as an order.
    Return,
}

/// How the broker executes a symbol's market orders (MT5's `SYMBOL_TRADE_EXEMODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Execution {
    Instant,
    Request,
    #[default]
    Market,
    Exchange,
}

impl Execution {
    /// The filling modes a market deal may use, in the order the EA prefers them, from the
    /// symbol's `SYMBOL_FILLING_MODE` flags (FOK, IOC), as the MQL5 reference's table has it
    /// (docs/bridge-protocol.md, "Filling mode"): instant and request execution take FOK and IOC
    /// whatever the flags say; market execution what the flags allow, never RETURN; exchange
    /// execution what the flags allow, then RETURN. A symbol whose flags allow nothing the table
    /// accepts gets FOK (RETURN on an exchange).
    pub fn filling_modes(self, fok: bool, ioc: bool) -> Vec<Filling> {
        match self {
            Execution::Instant | Execution::Request => vec![Filling::Fok, Filling::Ioc],
            Execution::Market | Execution::Exchange => {
                let mut modes: Vec<Filling> = [(fok, Filling::Fok), (ioc, Filling::Ioc)]
                    .into_iter()
                    .filter_map(|(allowed, mode)| allowed.then_some(mode))
                    .collect();
                if self == Execution::Exchange {
                    modes.push(Filling::Return);
                } else if modes.is_empty() {
                    modes.push(Filling::Fok);
                }
                modes
            }
        }
    }
}

/// What the broker allows on a symbol (MT5's `SYMBOL_TRADE_MODE_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeMode {
    #[default]
    Full,
    LongOnly,
    ShortOnly,
    CloseOnly,
    Disabled,
}

impl SymbolSpec {
    /// A pip as traders count it: the fourth decimal of an FX pair (the second of a JPY pair),
    /// 0.10 on gold, 0.01 on silver, and one whole point of price on indices and crypto.
    pub fn pip(&self) -> f64 {
        let name = self.name.to_ascii_uppercase();
        if name.starts_with("XAU") {
            0.1
        } else if name.starts_with("XAG") {
            0.01
        } else if self.digits == 3 || self.digits == 5 {
            self.point * 10.0
        } else if self.digits == 4 || (self.digits == 2 && name.contains("JPY")) {
            self.point
        } else {
            1.0
        }
    }

    /// Round a price to the nearest tradable tick.
    pub fn round_price(&self, price: f64) -> f64 {
        let ticks = (price / self.tick_size).round();
        let rounded = ticks * self.tick_size;
        let scale = 10f64.powi(self.digits as i32);
        (rounded * scale).round() / scale
    }

    /// Round a volume down to the volume step, without clamping: what a partial close can take.
    pub fn volume_down(&self, volume: f64) -> f64 {
        let steps = (volume / self.volume_step + 1e-9).floor();
        (steps * self.volume_step * 1e8).round() / 1e8
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, digits: u32) -> SymbolSpec {
        let point = 10f64.powi(-(digits as i32));
        SymbolSpec {
            name: name.into(),
            description: String::new(),
            digits,
            point,
            tick_size: point,
            tick_value: 1.0,
            contract_size: 100_000.0,
            volume_min: 0.01,
            volume_step: 0.01,
            volume_max: 100.0,
            stops_level: 0,
            freeze_level: 0,
            execution: Execution::Market,
            filling_modes: vec![Filling::Fok, Filling::Ioc],
            trade_mode: TradeMode::Full,
            margin_rate: 0.01,
        }
    }

    #[test]
    fn filling_modes_follow_the_execution_and_the_flags_as_the_table_says() {
        use Execution::*;
        use Filling::*;
        let cases = [
            (Instant, false, false, vec![Fok, Ioc]),
            (Request, false, true, vec![Fok, Ioc]),
            (Market, true, true, vec![Fok, Ioc]),
            (Market, false, true, vec![Ioc]),
            (Market, false, false, vec![Fok]),
            (Exchange, true, false, vec![Fok, Return]),
            (Exchange, false, false, vec![Return]),
        ];
        for (execution, fok, ioc, modes) in cases {
            assert_eq!(
                execution.filling_modes(fok, ioc),
                modes,
                "{execution:?} fok {fok} ioc {ioc}"
            );
        }
    }

    #[test]
    fn a_spec_written_before_execution_was_reported_reads_as_market_execution() {
        let mut old = serde_json::to_value(spec("XAUUSD", 2)).unwrap();
        old.as_object_mut().unwrap().remove("execution");
        let read: SymbolSpec = serde_json::from_value(old).unwrap();
        assert_eq!(read.execution, Execution::Market);
    }

    #[test]
    fn pips_are_counted_the_way_traders_count_them() {
        let cases = [
            ("EURUSD", 5, 0.0001),
            ("USDJPY", 3, 0.01),
            ("EURUSD", 4, 0.0001),
            ("USDJPY", 2, 0.01),
            ("XAUUSD", 2, 0.1),
            ("XAUUSD.m", 3, 0.1),
            ("XAGUSD", 3, 0.01),
            ("US30", 2, 1.0),
            ("NAS100", 1, 1.0),
            ("BTCUSD", 2, 1.0),
        ];
        for (name, digits, pip) in cases {
            let got = spec(name, digits).pip();
            assert!(
                (got - pip).abs() < 1e-12,
                "{name} digits {digits}: pip {got}, expected {pip}"
            );
        }
    }

    #[test]
    fn volumes_round_down_to_the_step_within_the_limits() {
        let s = spec("EURUSD", 5);
        assert_eq!(s.normalize_volume(0.129), 0.12);
        assert_eq!(s.normalize_volume(0.001), 0.01);
        assert_eq!(s.normalize_volume(250.0), 100.0);
        assert_eq!(s.normalize_volume(0.1 / 3.0), 0.03);
    }

    #[test]
    fn prices_round_to_the_tick() {
        let mut s = spec("US30", 2);
        s.tick_size = 0.5;
        assert_eq!(s.round_price(47_480.26), 47_480.5);
        assert_eq!(s.round_price(47_480.24), 47_480.0);
    }
}
