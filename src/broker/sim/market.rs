//! The symbols the simulator trades, their MT5-like specifications, and how their prices move.

use serde::{Deserialize, Serialize};

use super::rng::SplitMix64;
use super::round_decimals;
use crate::model::{Execution, Filling, Millis, Quote, SymbolSpec, TradeMode};

/// How often a tick is a jump (news, a liquidity hole) and how many ordinary moves it is worth.
const JUMP_PROBABILITY: f64 = 0.002;
const JUMP_SCALE: f64 = 8.0;
/// A level overshot by no more than this many ordinary tick moves was passed through between two
/// quotes, so a stop there fills at its level; beyond that the market gapped over it.
const GAP_MOVES: f64 = 3.0;
/// A walking price is held this many ticks above zero: real quotes never reach zero.
const FLOOR_TICKS: f64 = 100.0;
/// The hidden mid keeps a few digits beyond the quote so that moves smaller than a tick add up.
const MID_EXTRA_DIGITS: i32 = 4;
/// MT5 reports a derived tick value to about this many decimals.
const TICK_VALUE_DECIMALS: i32 = 10;

/// The currency a symbol's profit is counted in, and so how it becomes USD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum ProfitCurrency {
    /// Quoted in USD (EURUSD, XAUUSD, indices, BTCUSD): a tick is worth a fixed amount.
    Usd,
    /// USD is the base (USDJPY): profit is in the quote currency and converted at the symbol's own
    /// price, so the tick value moves with the price, as MT5 reports it.
    UsdBase,
}

/// Whether the account leverage sets the margin or the broker fixes it for the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum MarginMode {
    Leveraged,
    /// Brokers cap CFD leverage; the account leverage can only make it stricter.
    Fixed,
}

/// What the simulator needs beyond the [`SymbolSpec`] the terminal would report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct MarketParams {
    /// Typical spread, in price units.
    pub spread: f64,
    pub start_price: f64,
    /// Typical size of one tick's move at the start price; moves scale with the price.
    pub volatility: f64,
    pub profit_currency: ProfitCurrency,
    pub margin_mode: MarginMode,
    /// The symbol's `SYMBOL_FILLING_MODE` flags: what its trade server accepts.
    #[serde(default)]
    pub filling: FillingFlags,
}

/// MT5's `SYMBOL_FILLING_FOK` and `SYMBOL_FILLING_IOC` flags of a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FillingFlags {
    pub fok: bool,
    pub ioc: bool,
}

/// An account saved before the flags were kept allowed both, as its specs said.
impl Default for FillingFlags {
    fn default() -> Self {
        Self {
            fok: true,
            ioc: true,
        }
    }
}

/// One symbol as the simulated server sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Market {
    pub spec: SymbolSpec,
    pub params: MarketParams,
    /// The unrounded middle price the random walk moves; quotes are rounded from it so that
    /// rounding does not bias the walk.
    pub mid: f64,
    pub quote: Quote,
}

struct Row {
    name: &'static str,
    description: &'static str,
    digits: u32,
    contract_size: f64,
    volume_min: f64,
    volume_step: f64,
    volume_max: f64,
    stops_level: u32,
    /// The margin rate at the reference leverage of 1:100.
    margin_rate: f64,
    margin_mode: MarginMode,
    profit_currency: ProfitCurrency,
    start_price: f64,
    spread: f64,
    volatility: f64,
}

const ROWS: [Row; 7] = [
    Row {
        name: "XAUUSD",
        description: "Gold vs US Dollar",
        digits: 2,
        contract_size: 100.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 20,
        margin_rate: 0.01,
        margin_mode: MarginMode::Leveraged,
        profit_currency: ProfitCurrency::Usd,
        start_price: 4150.0,
        spread: 0.25,
        volatility: 0.25,
    },
    Row {
        name: "EURUSD",
        description: "Euro vs US Dollar",
        digits: 5,
        contract_size: 100_000.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 10,
        margin_rate: 0.01,
        margin_mode: MarginMode::Leveraged,
        profit_currency: ProfitCurrency::Usd,
        start_price: 1.16,
        spread: 0.0001,
        volatility: 0.00003,
    },
    Row {
        name: "GBPUSD",
        description: "Great Britain Pound vs US Dollar",
        digits: 5,
        contract_size: 100_000.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 10,
        margin_rate: 0.01,
        margin_mode: MarginMode::Leveraged,
        profit_currency: ProfitCurrency::Usd,
        start_price: 1.32,
        spread: 0.00013,
        volatility: 0.00004,
    },
    Row {
        name: "USDJPY",
        description: "US Dollar vs Japanese Yen",
        digits: 3,
        contract_size: 100_000.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 100.0,
        stops_level: 10,
        margin_rate: 0.01,
        margin_mode: MarginMode::Leveraged,
        profit_currency: ProfitCurrency::UsdBase,
        start_price: 155.0,
        spread: 0.012,
        volatility: 0.004,
    },
    Row {
        name: "US30",
        description: "Dow Jones Industrial Average",
        digits: 2,
        contract_size: 1.0,
        volume_min: 0.1,
        volume_step: 0.1,
        volume_max: 100.0,
        stops_level: 100,
        margin_rate: 0.05,
        margin_mode: MarginMode::Fixed,
        profit_currency: ProfitCurrency::Usd,
        start_price: 47_500.0,
        spread: 2.0,
        volatility: 1.2,
    },
    Row {
        name: "NAS100",
        description: "Nasdaq 100 Index",
        digits: 2,
        contract_size: 1.0,
        volume_min: 0.1,
        volume_step: 0.1,
        volume_max: 100.0,
        stops_level: 100,
        margin_rate: 0.05,
        margin_mode: MarginMode::Fixed,
        profit_currency: ProfitCurrency::Usd,
        start_price: 25_000.0,
        spread: 1.5,
        volatility: 0.8,
    },
    Row {
        name: "BTCUSD",
        description: "Bitcoin vs US Dollar",
        digits: 2,
        contract_size: 1.0,
        volume_min: 0.01,
        volume_step: 0.01,
        volume_max: 10.0,
        stops_level: 1000,
        margin_rate: 0.2,
        margin_mode: MarginMode::Fixed,
        profit_currency: ProfitCurrency::Usd,
        start_price: 95_000.0,
        spread: 15.0,
        volatility: 5.0,
    },
];

/// The simulated server's symbols as MT5 would report them on a 1:100 USD account, priced at the
/// simulator's start prices.
pub fn default_symbols() -> Vec<SymbolSpec> {
    ROWS.iter().map(Row::spec).collect()
}

/// The markets of a new simulated account with this leverage.
pub(super) fn default_markets(leverage: u32, now: Millis) -> Vec<Market> {
    ROWS.iter()
        .map(|row| Market::open(row, leverage, now))
        .collect()
}

impl Row {
    fn spec(&self) -> SymbolSpec {
        let point = 10f64.powi(-(self.digits as i32));
        SymbolSpec {
            name: self.name.to_string(),
            description: self.description.to_string(),
            digits: self.digits,
            point,
            tick_size: point,
            tick_value: tick_value(
                self.profit_currency,
                point,
                self.contract_size,
                self.start_price,
            ),
            contract_size: self.contract_size,
            volume_min: self.volume_min,
            volume_step: self.volume_step,
            volume_max: self.volume_max,
            stops_level: self.stops_level,
            // Brokers freeze orders and positions closer to the market than their stops level.
            freeze_level: self.stops_level / 2,
            execution: Execution::Market,
            filling_modes: Execution::Market.filling_modes(true, true),
            trade_mode: TradeMode::Full,
            margin_rate: self.margin_rate,
        }
    }

    fn params(&self) -> MarketParams {
        MarketParams {
            spread: self.spread,
            start_price: self.start_price,
            volatility: self.volatility,
            profit_currency: self.profit_currency,
            margin_mode: self.margin_mode,
            filling: FillingFlags::default(),
        }
    }
}

/// USD per lot per tick.
fn tick_value(currency: ProfitCurrency, tick_size: f64, contract_size: f64, price: f64) -> f64 {
    match currency {
        ProfitCurrency::Usd => tick_size * contract_size,
        ProfitCurrency::UsdBase => {
            round_decimals(tick_size * contract_size / price, TICK_VALUE_DECIMALS)
        }
    }
}

fn margin_rate(mode: MarginMode, rate_at_100: f64, leverage: u32) -> f64 {
    let by_leverage = 1.0 / f64::from(leverage.max(1));
    match mode {
        MarginMode::Leveraged => by_leverage,
        MarginMode::Fixed => rate_at_100.max(by_leverage),
    }
}

impl Market {
    fn open(row: &Row, leverage: u32, now: Millis) -> Self {
        let mut spec = row.spec();
        spec.margin_rate = margin_rate(row.margin_mode, row.margin_rate, leverage);
        let mut market = Market {
            spec,
            params: row.params(),
            mid: row.start_price,
            quote: Quote {
                bid: row.start_price,
                ask: row.start_price,
                time: now,
            },
        };
        market.quote_around_mid(row.spread, now);
        market
    }

    /// Whether the symbol's trade server takes this filling mode: RETURN for a pending order
    /// always; for a market deal what its execution and flags allow (10030 otherwise).
    pub(super) fn accepts(&self, filling: Filling, pending: bool) -> bool {
        let flags = self.params.filling;
        match (filling, self.spec.execution) {
            (Filling::Return, _) => pending || self.spec.execution == Execution::Exchange,
            (_, Execution::Instant | Execution::Request) => true,
            (Filling::Fok, _) => flags.fok,
            (Filling::Ioc, _) => flags.ioc,
        }
    }

    /// One tick of a geometric random walk: moves scale with the price, so it stays positive, and
    /// now and then a jump (with a wider spread, as around news) tests stops and gaps.
    pub(super) fn walk(&mut self, rng: &mut SplitMix64, now: Millis) {
        let relative = self.params.volatility / self.params.start_price;
        let jump = rng.unit() < JUMP_PROBABILITY;
        let shock = rng.normal() * if jump { JUMP_SCALE } else { 1.0 };
        let widening = 1.0 + 0.3 * rng.unit() + if jump { 1.0 } else { 0.0 };
        let moved = self.mid * (relative * shock).exp();
        let floored = moved.max(self.spec.tick_size * FLOOR_TICKS);
        self.mid = round_decimals(floored, self.spec.digits as i32 + MID_EXTRA_DIGITS);
        self.quote_around_mid(self.params.spread * widening, now);
    }

    /// Put a scripted quote on the market, rounded to ticks; `None` if it is not a usable quote.
    pub(super) fn set_quote(&mut self, bid: f64, ask: f64, now: Millis) -> Option<Quote> {
        let bid = self.spec.round_price(bid);
        let ask = self.spec.round_price(ask);
        let usable = bid.is_finite() && ask.is_finite() && bid > 0.0 && ask >= bid;
        if !usable {
            return None;
        }
        self.mid = round_decimals(
            (bid + ask) / 2.0,
            self.spec.digits as i32 + MID_EXTRA_DIGITS,
        );
        self.quote = Quote {
            bid,
            ask,
            time: now,
        };
        self.refresh_tick_value();
        Some(self.quote)
    }

    fn quote_around_mid(&mut self, spread: f64, now: Millis) {
        let tick = self.spec.tick_size;
        let spread = self.spec.round_price(spread).max(tick);
        let bid = self.spec.round_price(self.mid - spread / 2.0).max(tick);
        let ask = self.spec.round_price(bid + spread);
        self.quote = Quote {
            bid,
            ask,
            time: now,
        };
        self.refresh_tick_value();
    }

    /// MT5 re-derives the tick value of a symbol not quoted in the account currency on every quote.
    fn refresh_tick_value(&mut self) {
        let price = (self.quote.bid + self.quote.ask) / 2.0;
        self.spec.tick_value = tick_value(
            self.params.profit_currency,
            self.spec.tick_size,
            self.spec.contract_size,
            price,
        );
    }

    /// Margin in USD for `volume` lots opened at `price`.
    pub(super) fn margin(&self, volume: f64, price: f64) -> f64 {
        let lots_of_contract = volume * self.spec.contract_size;
        let notional_usd = match self.params.profit_currency {
            ProfitCurrency::Usd => lots_of_contract * price,
            ProfitCurrency::UsdBase => lots_of_contract,
        };
        notional_usd * self.spec.margin_rate
    }

    /// How far past a level the price may be and still count as having passed through it.
    pub(super) fn gap(&self) -> f64 {
        let ordinary_move = self.params.volatility / self.params.start_price * self.mid;
        (GAP_MOVES * ordinary_move).max(self.spec.tick_size)
    }

    /// Whether the saved parameters can drive a market without producing nonsense prices.
    pub(super) fn is_sane(&self) -> bool {
        let positive = |x: f64| x.is_finite() && x > 0.0;
        let spec = &self.spec;
        positive(spec.tick_size)
            && positive(spec.tick_value)
            && positive(spec.contract_size)
            && positive(spec.volume_min)
            && positive(spec.volume_step)
            && spec.volume_max >= spec.volume_min
            && spec.margin_rate.is_finite()
            && spec.margin_rate >= 0.0
            && positive(self.params.spread)
            && positive(self.params.start_price)
            && self.params.volatility.is_finite()
            && self.params.volatility >= 0.0
            && positive(self.mid)
            && positive(self.quote.bid)
            && self.quote.ask >= self.quote.bid
    }
}
