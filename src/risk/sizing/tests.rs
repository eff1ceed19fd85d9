//! Every row is computed by hand in the comment above it, from the specification built here:
//! ticks = |entry − SL| / tick size; a lot risks ticks × tick value; lots = budget / that,
//! split by weight and each leg rounded down to the step.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::{Filling, TradeMode};

#[allow(clippy::too_many_arguments)]
fn spec(
    name: &str,
    digits: u32,
    tick_size: f64,
    tick_value: f64,
    contract_size: f64,
    volume_min: f64,
    volume_step: f64,
    volume_max: f64,
) -> SymbolSpec {
    SymbolSpec {
        name: name.into(),
        description: String::new(),
        digits,
        point: 10f64.powi(-(digits as i32)),
        tick_size,
        tick_value,
        contract_size,
        volume_min,
        volume_step,
        volume_max,
        stops_level: 0,
        freeze_level: 0,
        execution: crate::model::Execution::Market,
        filling_modes: vec![Filling::Fok, Filling::Ioc],
        trade_mode: TradeMode::Full,
        margin_rate: 0.01,
    }
}

/// A quote currency of USD on a USD account: 0.00001 × 100,000 = 1.00 USD a tick.
fn eurusd() -> SymbolSpec {
    spec("EURUSD", 5, 0.00001, 1.0, 100_000.0, 0.01, 0.01, 100.0)
}

fn gbpusd() -> SymbolSpec {
    spec("GBPUSD", 5, 0.00001, 1.0, 100_000.0, 0.01, 0.01, 100.0)
}

/// USDJPY at 150.00: a tick is 0.001 × 100,000 = 100 JPY, which is 100 / 150 = 0.666667 USD.
fn usdjpy() -> SymbolSpec {
    spec(
        "USDJPY",
        3,
        0.001,
        100.0 / 150.0,
        100_000.0,
        0.01,
        0.01,
        100.0,
    )
}

/// A cross: EURJPY's profit is in yen, converted at USDJPY (150.00), not at EURJPY's own price,
/// so its tick is worth the same 0.666667 USD as USDJPY's.
fn eurjpy() -> SymbolSpec {
    spec(
        "EURJPY",
        3,
        0.001,
        100.0 / 150.0,
        100_000.0,
        0.01,
        0.01,
        100.0,
    )
}

/// 0.01 × 100 oz = 1.00 USD a tick.
fn xauusd() -> SymbolSpec {
    spec("XAUUSD", 2, 0.01, 1.0, 100.0, 0.01, 0.01, 100.0)
}

/// As the simulator has them: 0.01 × 1 = 0.01 USD a tick, volumes in tenths of a lot.
fn us30() -> SymbolSpec {
    spec("US30", 2, 0.01, 0.01, 1.0, 0.1, 0.1, 100.0)
}

fn nas100() -> SymbolSpec {
    spec("NAS100", 2, 0.01, 0.01, 1.0, 0.1, 0.1, 100.0)
}

/// A broker that quotes US30 to 0.1 but trades it in whole points worth 1.00 USD a lot.
fn us30_whole_points() -> SymbolSpec {
    spec("US30", 1, 1.0, 1.0, 1.0, 0.01, 0.01, 100.0)
}

/// 0.01 × 1 BTC = 0.01 USD a tick; at most 10 lots an order.
fn btcusd() -> SymbolSpec {
    spec("BTCUSD", 2, 0.01, 0.01, 1.0, 0.01, 0.01, 10.0)
}

fn account(currency: &str, balance: f64, equity: f64) -> Account {
    Account {
        login: 1,
        server: "test".into(),
        currency: currency.into(),
        leverage: 100,
        hedging: true,
        balance,
        equity,
        margin: 0.0,
        free_margin: equity,
    }
}

fn usd(balance: f64) -> Account {
    account("USD", balance, balance)
}

fn fixed(lots: f64) -> SizingConfig {
    SizingConfig {
        mode: SizingMode::Fixed,
        lots,
        risk_percent: 1.0,
        risk_base: RiskBase::Balance,
        symbols: BTreeMap::new(),
        max_legs: 3,
        split: vec![],
        copy_tps: vec![],
    }
}

fn risk(percent: f64, base: RiskBase) -> SizingConfig {
    SizingConfig {
        mode: SizingMode::RiskPercent,
        lots: 0.10,
        risk_percent: percent,
        risk_base: base,
        symbols: BTreeMap::new(),
        max_legs: 3,
        split: vec![],
        copy_tps: vec![],
    }
}

fn with(mut cfg: SizingConfig, symbol: &str, o: SymbolSizing) -> SizingConfig {
    cfg.symbols.insert(symbol.into(), o);
    cfg
}

const THIRDS: &[f64] = &[1.0, 1.0, 1.0];
const HALVES: &[f64] = &[1.0, 1.0];
const ONE: &[f64] = &[1.0];

struct Row {
    what: &'static str,
    cfg: SizingConfig,
    spec: SymbolSpec,
    account: Account,
    entry: f64,
    sl: Option<f64>,
    weights: &'static [f64],
    /// One volume per weight; 0.0 marks a dropped leg.
    legs: &'static [f64],
    risk: Option<f64>,
}

#[allow(clippy::too_many_arguments)]
fn row(
    what: &'static str,
    cfg: SizingConfig,
    spec: SymbolSpec,
    account: Account,
    entry: f64,
    sl: Option<f64>,
    weights: &'static [f64],
    legs: &'static [f64],
    risk: Option<f64>,
) -> Row {
    Row {
        what,
        cfg,
        spec,
        account,
        entry,
        sl,
        weights,
        legs,
        risk,
    }
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    use RiskBase::{Balance, Equity};
    let xau_lots = SymbolSizing {
        lots: Some(0.06),
        risk_percent: None,
    };
    let xau_half_percent = SymbolSizing {
        lots: None,
        risk_percent: Some(0.5),
    };
    vec![
        // ---- fixed lots ----
        // 0.30 / 3 = 0.10 each. SL 40 pips: 0.00400 / 0.00001 = 400 ticks × 1.00 = 400 USD a lot;
        // 0.30 × 400 = 120.00.
        row("EURUSD fixed, equal thirds", fixed(0.30), eurusd(), usd(10_000.0),
            1.16000, Some(1.15600), THIRDS, &[0.10, 0.10, 0.10], Some(120.0)),
        // 1.00 × 0.5 / 0.3 / 0.2. SL 10.00: 10.00 / 0.01 = 1,000 ticks × 1.00 = 1,000 USD a lot;
        // 1.00 × 1,000 = 1,000.00.
        row("XAUUSD fixed, by weights", fixed(1.00), xauusd(), usd(10_000.0),
            4150.00, Some(4140.00), &[0.5, 0.3, 0.2], &[0.50, 0.30, 0.20], Some(1000.0)),
        // The XAUUSD override of 0.06: 0.02 each; 0.06 × 1,000 = 60.00.
        row("XAUUSD fixed, per-symbol lots", with(fixed(0.30), "XAUUSD", xau_lots.clone()),
            xauusd(), usd(10_000.0), 4150.00, Some(4140.00), THIRDS, &[0.02, 0.02, 0.02],
            Some(60.0)),
        // The XAUUSD override leaves EURUSD at 0.30: 0.10 each, 120.00 as above.
        row("EURUSD fixed, another symbol's override", with(fixed(0.30), "XAUUSD", xau_lots),
            eurusd(), usd(10_000.0), 1.16000, Some(1.15600), THIRDS, &[0.10, 0.10, 0.10],
            Some(120.0)),
        // No stop loss: 0.10 in one leg, no risk to report.
        row("GBPUSD fixed, no stop loss", fixed(0.10), gbpusd(), usd(10_000.0),
            1.32000, None, ONE, &[0.10], None),
        // 0.05 × 0.5 = 0.025 → 0.02; × 0.3 = 0.015 → 0.01; × 0.2 = 0.01. SL 20 pips = 200 USD a
        // lot; 0.04 × 200 = 8.00.
        row("EURUSD fixed, rounded down to the step", fixed(0.05), eurusd(), usd(10_000.0),
            1.16000, Some(1.15800), &[0.5, 0.3, 0.2], &[0.02, 0.01, 0.01], Some(8.0)),
        // 0.02 / 3 = 0.0067 < 0.01: the last leg goes, 0.02 / 2 = 0.01 each; 0.02 × 1,000 = 20.00.
        row("XAUUSD fixed, too few lots for three legs", fixed(0.02), xauusd(), usd(10_000.0),
            4150.00, Some(4140.00), THIRDS, &[0.01, 0.01, 0.0], Some(20.0)),
        // 0.05 × 0.2 = 0.01, × 0.1 = 0.005 (under 0.01), × 0.7 = 0.035. The smallest leg goes;
        // 0.05 over 0.9: × 0.2/0.9 = 0.0111 → 0.01, × 0.7/0.9 = 0.0389 → 0.03; 0.04 × 1,000 = 40.00.
        row("XAUUSD fixed, the small middle leg dropped", fixed(0.05), xauusd(), usd(10_000.0),
            4150.00, Some(4140.00), &[0.2, 0.1, 0.7], &[0.01, 0.0, 0.03], Some(40.0)),
        // ---- risk percent ----
        // 1% of 10,000 = 100 USD; 400 USD a lot (40 pips) → 0.25 lots; / 3 = 0.0833 → 0.08 each;
        // 0.24 × 400 = 96.00.
        row("EURUSD 1% of balance", risk(1.0, Balance), eurusd(), usd(10_000.0),
            1.16000, Some(1.15600), THIRDS, &[0.08, 0.08, 0.08], Some(96.0)),
        // 1% of 10,000 = 100; SL 30 pips = 300 USD a lot → 0.3333 → 0.33; 0.33 × 300 = 99.00.
        row("EURUSD 1%, one leg rounded down", risk(1.0, Balance), eurusd(), usd(10_000.0),
            1.16000, Some(1.15700), ONE, &[0.33], Some(99.0)),
        // A sell: 2% of 5,000 = 100; SL 25 pips above = 250 ticks × 1.00 = 250 USD a lot → 0.40;
        // halves 0.20 each; 0.40 × 250 = 100.00, the whole budget.
        row("GBPUSD 2%, a sell", risk(2.0, Balance), gbpusd(), usd(5_000.0),
            1.32000, Some(1.32250), HALVES, &[0.20, 0.20], Some(100.0)),
        // 1% of 10,000 = 100; SL 0.500 = 500 ticks × 0.666667 = 333.33 USD a lot → 0.30;
        // / 3 = 0.10 each; 0.30 × 333.33 = 100.00.
        row("USDJPY 1%", risk(1.0, Balance), usdjpy(), usd(10_000.0),
            150.000, Some(149.500), THIRDS, &[0.10, 0.10, 0.10], Some(100.0)),
        // A sell: 0.5% of 10,000 = 50; SL 0.600 = 600 ticks × 0.666667 = 400.00 USD a lot → 0.125;
        // halves 0.0625 → 0.06 each; 0.12 × 400 = 48.00. (100,000 × 0.600 = 60,000 is yen: taken
        // as dollars it would allow 0.0008 lots.)
        row("EURJPY cross 0.5%", risk(0.5, Balance), eurjpy(), usd(10_000.0),
            175.000, Some(175.600), HALVES, &[0.06, 0.06], Some(48.0)),
        // 1% of equity 8,000 = 80 (not of the balance of 10,000); SL 8.00 = 800 ticks × 1.00 = 800
        // USD a lot → 0.10; / 3 = 0.0333 → 0.03 each; 0.09 × 800 = 72.00.
        row("XAUUSD 1% of equity", risk(1.0, Equity), xauusd(), account("USD", 10_000.0, 8_000.0),
            4150.00, Some(4142.00), THIRDS, &[0.03, 0.03, 0.03], Some(72.0)),
        // The same of the balance: 1% of 10,000 = 100 → 0.125 → 0.0417 → 0.04 each; 0.12 × 800 = 96.
        row("XAUUSD 1% of balance", risk(1.0, Balance), xauusd(),
            account("USD", 10_000.0, 8_000.0), 4150.00, Some(4142.00), THIRDS,
            &[0.04, 0.04, 0.04], Some(96.0)),
        // The XAUUSD override of 0.5%: 50 USD; SL 10.00 = 1,000 USD a lot → 0.05; 0.05 × 1,000 = 50.
        row("XAUUSD per-symbol 0.5%", with(risk(1.0, Balance), "XAUUSD", xau_half_percent),
            xauusd(), usd(10_000.0), 4150.00, Some(4140.00), ONE, &[0.05], Some(50.0)),
        // 1% of 10,000 = 100; SL 50.00 = 5,000 ticks × 0.01 = 50 USD a lot → 2.0; / 3 = 0.667 →
        // 0.6 each (step 0.1); 1.8 × 50 = 90.00.
        row("US30 1%", risk(1.0, Balance), us30(), usd(10_000.0),
            47_500.00, Some(47_450.00), THIRDS, &[0.6, 0.6, 0.6], Some(90.0)),
        // A sell: 0.5% of 10,000 = 50; SL 80.00 = 8,000 ticks × 0.01 = 80 USD a lot → 0.625;
        // × 0.6 = 0.375 → 0.3, × 0.4 = 0.25 → 0.2; 0.5 × 80 = 40.00.
        row("NAS100 0.5%, a sell", risk(0.5, Balance), nas100(), usd(10_000.0),
            25_000.00, Some(25_080.00), &[0.6, 0.4], &[0.3, 0.2], Some(40.0)),
        // 1% of 10,000 = 100; SL 50.0 = 50 ticks of 1.0 (not 500 points of 0.1) × 1.00 = 50 USD a
        // lot → 2.00; 2.00 × 50 = 100.00.
        row("US30 traded in whole points", risk(1.0, Balance), us30_whole_points(), usd(10_000.0),
            47_500.0, Some(47_450.0), ONE, &[2.00], Some(100.0)),
        // 1% of 10,000 = 100; SL 1,000.00 = 100,000 ticks × 0.01 = 1,000 USD a lot → 0.10;
        // / 3 = 0.0333 → 0.03 each; 0.09 × 1,000 = 90.00.
        row("BTCUSD 1%", risk(1.0, Balance), btcusd(), usd(10_000.0),
            95_000.00, Some(94_000.00), THIRDS, &[0.03, 0.03, 0.03], Some(90.0)),
        // 2% of 1,000,000 = 20,000; SL 500.00 = 50,000 ticks × 0.01 = 500 USD a lot → 40 lots;
        // / 3 = 13.33 each, capped at 10; 30 × 500 = 15,000.00.
        row("BTCUSD 2%, capped at the maximum", risk(2.0, Balance), btcusd(), usd(1_000_000.0),
            95_000.00, Some(94_500.00), THIRDS, &[10.0, 10.0, 10.0], Some(15_000.0)),
        // 0.5% of 1,000 = 5; SL 20 pips = 200 USD a lot → 0.025; / 3 = 0.0083 < 0.01: the last leg
        // goes; / 2 = 0.0125 → 0.01 each; 0.02 × 200 = 4.00.
        row("EURUSD 0.5% of a small account", risk(0.5, Balance), eurusd(), usd(1_000.0),
            1.16000, Some(1.15800), THIRDS, &[0.01, 0.01, 0.0], Some(4.0)),
        // A EUR account: a GBPUSD tick of 1.00 USD is 1 / 1.16 = 0.862069 EUR (EURUSD 1.16).
        // 1% of 10,000 EUR = 100 EUR; SL 50 pips = 500 ticks × 0.862069 = 431.03 EUR a lot →
        // 0.232 → 0.23; 0.23 × 431.03 = 99.14 EUR.
        row("GBPUSD 1% on a EUR account", risk(1.0, Balance),
            spec("GBPUSD", 5, 0.00001, 1.0 / 1.16, 100_000.0, 0.01, 0.01, 100.0),
            account("EUR", 10_000.0, 10_000.0), 1.32000, Some(1.31500), ONE, &[0.23],
            Some(99.14)),
    ]
}

#[test]
fn the_table_sizes_as_computed_by_hand() {
    for r in rows() {
        let got = size(&r.cfg, &r.spec, &r.account, r.entry, r.sl, r.weights)
            .unwrap_or_else(|e| panic!("{}: refused: {e}", r.what));
        let mut aligned = vec![0.0; r.weights.len()];
        for (i, v) in got.kept.iter().zip(&got.legs) {
            aligned[*i] = *v;
        }
        assert_eq!(aligned, r.legs, "{}: legs ({})", r.what, got.why);
        let total: f64 = r.legs.iter().sum();
        assert!(
            (got.total - total).abs() < 1e-9,
            "{}: total {}",
            r.what,
            got.total
        );
        match (got.risk, r.risk) {
            (Some(a), Some(b)) => assert!((a - b).abs() < 0.005, "{}: risk {a}, not {b}", r.what),
            (a, b) => assert_eq!(a, b, "{}: risk", r.what),
        }
        assert!(
            got.legs.iter().all(|v| *v > 0.0),
            "{}: {:?}",
            r.what,
            got.legs
        );
    }
}

/// (what, cfg, spec, account, entry, sl, weights, expected in the reason)
type Refused = (
    &'static str,
    SizingConfig,
    SymbolSpec,
    Account,
    f64,
    Option<f64>,
    &'static [f64],
    &'static str,
);

#[test]
#[rustfmt::skip]
fn refusals_give_the_reason_and_the_numbers() {
    let gold = xauusd();
    let acct = usd(10_000.0);
    let one_percent = risk(1.0, RiskBase::Balance);
    let cases: Vec<Refused> = vec![
        // 1% of 1,000 = 10 USD; SL 52.30 = 5,230 ticks × 1.00: the smallest 0.01 lots risk 52.30.
        ("budget too small", one_percent.clone(), gold.clone(), usd(1_000.0), 4150.00,
            Some(4097.70), THIRDS,
            "0.01 lots risk 52.30 USD at SL, more than the 1.00% budget of 10.00 USD"),
        // 0.5% of 1,000 = 5 USD; SL 60.00 = 6,000 ticks × 0.01 = 60 USD a lot: 0.10 lots risk 6.00.
        ("budget too small, index", risk(0.5, RiskBase::Balance), us30(), usd(1_000.0), 47_500.00,
            Some(47_440.00), ONE,
            "0.10 lots risk 6.00 USD at SL, more than the 0.50% budget of 5.00 USD"),
        ("no stop loss", one_percent.clone(), gold.clone(), acct.clone(), 4150.0, None, ONE,
            "risk.mode"),
        ("fixed below the minimum", fixed(0.005), gold.clone(), acct.clone(), 4150.0, None, ONE,
            "risk.lots = 0.005 is below XAUUSD's minimum volume of 0.01 lots"),
        ("override below the minimum", with(fixed(0.30), "XAUUSD", SymbolSizing {
            lots: Some(0.001), risk_percent: None }), gold.clone(), acct.clone(), 4150.0, None,
            ONE, "risk.symbols.XAUUSD.lots = 0.001"),
        ("negative lots", fixed(-1.0), gold.clone(), acct.clone(), 4150.0, None, ONE,
            "risk.lots = -1"),
        ("zero percent", risk(0.0, RiskBase::Balance), gold.clone(), acct.clone(), 4150.0,
            Some(4140.0), ONE, "risk.risk_percent = 0"),
        ("absurd percent", risk(150.0, RiskBase::Balance), gold.clone(), acct.clone(), 4150.0,
            Some(4140.0), ONE, "at most 100"),
        ("NaN override", with(one_percent.clone(), "XAUUSD", SymbolSizing {
            lots: None, risk_percent: Some(f64::NAN) }), gold.clone(), acct.clone(), 4150.0,
            Some(4140.0), ONE, "risk.symbols.XAUUSD.risk_percent = NaN"),
        ("NaN entry", one_percent.clone(), gold.clone(), acct.clone(), f64::NAN, Some(4140.0), ONE,
            "entry price NaN"),
        ("zero entry", fixed(0.1), gold.clone(), acct.clone(), 0.0, None, ONE, "entry price 0"),
        ("infinite stop", one_percent.clone(), gold.clone(), acct.clone(), 4150.0,
            Some(f64::INFINITY), ONE, "stop loss inf"),
        ("stop at the entry", one_percent.clone(), gold.clone(), acct.clone(), 4150.0,
            Some(4150.0), ONE, "less than one tick"),
        ("no weights", fixed(0.1), gold.clone(), acct.clone(), 4150.0, None, &[], "no legs"),
        ("zero weight", fixed(0.1), gold.clone(), acct.clone(), 4150.0, None, &[1.0, 0.0],
            "leg 2's weight 0"),
        ("negative weight", fixed(0.1), gold.clone(), acct.clone(), 4150.0, None, &[-1.0],
            "leg 1's weight -1"),
        ("NaN weight", fixed(0.1), gold.clone(), acct.clone(), 4150.0, None, &[1.0, f64::NAN],
            "leg 2's weight NaN"),
        ("zero balance", one_percent.clone(), gold.clone(), usd(0.0), 4150.0, Some(4140.0), ONE,
            "balance 0"),
        ("NaN equity", risk(1.0, RiskBase::Equity), gold.clone(),
            account("USD", 10_000.0, f64::NAN), 4150.0, Some(4140.0), ONE, "equity NaN"),
        ("no conversion rate", one_percent.clone(),
            SymbolSpec { tick_value: 0.0, ..gold.clone() }, acct.clone(), 4150.0, Some(4140.0),
            ONE, "tick value is 0"),
        ("zero step", fixed(0.1), SymbolSpec { volume_step: 0.0, ..gold.clone() }, acct.clone(),
            4150.0, None, ONE, "volume step is 0"),
    ];
    for (what, cfg, spec, account, entry, sl, weights, expected) in cases {
        let reason = size(&cfg, &spec, &account, entry, sl, weights)
            .err()
            .unwrap_or_else(|| panic!("{what}: sized instead of refused"));
        assert!(reason.contains(expected), "{what}: {reason:?} lacks {expected:?}");
    }
}

#[test]
fn the_why_line_reads_as_a_trader_would_check_it() {
    let acct = usd(10_000.0);
    let cases = [
        (
            size(
                &risk(1.0, RiskBase::Balance),
                &eurusd(),
                &acct,
                1.16,
                Some(1.156),
                THIRDS,
            ),
            "1.00% of balance 10,000.00 USD = 100.00 USD at risk over 40.0 pips → 0.25 lots \
             in 3 legs (0.08 + 0.08 + 0.08 = 0.24), 96.00 USD at SL",
        ),
        (
            size(&fixed(0.02), &xauusd(), &acct, 4150.0, Some(4140.0), THIRDS),
            "fixed 0.02 lots in 2 legs (0.01 + 0.01 = 0.02), 20.00 USD at SL over 100.0 pips; \
             1 of 3 legs dropped (under the 0.01 lot minimum)",
        ),
        (
            size(
                &with(
                    fixed(0.3),
                    "XAUUSD",
                    SymbolSizing {
                        lots: Some(0.06),
                        risk_percent: None,
                    },
                ),
                &xauusd(),
                &acct,
                4150.0,
                None,
                ONE,
            ),
            "fixed 0.06 lots (XAUUSD override) in 1 leg (0.06), no stop loss",
        ),
        (
            size(
                &risk(2.0, RiskBase::Equity),
                &btcusd(),
                &usd(1_000_000.0),
                95_000.0,
                Some(94_500.0),
                THIRDS,
            ),
            "2.00% of equity 1,000,000.00 USD = 20,000.00 USD at risk over 500.0 pips → 40.00 \
             lots in 3 legs (10.00 + 10.00 + 10.00 = 30.00), 15,000.00 USD at SL; legs capped \
             at the 10.00 lot maximum",
        ),
        (
            size(
                &risk(1.0, RiskBase::Balance),
                &us30(),
                &acct,
                47_500.0,
                Some(47_450.0),
                THIRDS,
            ),
            "1.00% of balance 10,000.00 USD = 100.00 USD at risk over 50.0 pips → 2.00 lots \
             in 3 legs (0.60 + 0.60 + 0.60 = 1.80), 90.00 USD at SL",
        ),
        (
            size(
                &with(
                    risk(1.0, RiskBase::Balance),
                    "GBPUSD",
                    SymbolSizing {
                        lots: None,
                        risk_percent: Some(0.5),
                    },
                ),
                &spec(
                    "GBPUSD",
                    5,
                    0.00001,
                    1.0 / 1.16,
                    100_000.0,
                    0.01,
                    0.01,
                    100.0,
                ),
                &account("EUR", 12_345.67, 12_000.0),
                1.32,
                Some(1.315),
                ONE,
            ),
            // 0.5% of 12,345.67 = 61.73 EUR; 500 ticks × 0.862069 = 431.03 EUR a lot → 0.1432
            // → 0.14; 0.14 × 431.03 = 60.34 EUR.
            "0.50% (GBPUSD override) of balance 12,345.67 EUR = 61.73 EUR at risk over 50.0 pips \
             → 0.14 lots in 1 leg (0.14), 60.34 EUR at SL",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got.unwrap().why, want);
    }
}

#[test]
fn a_fixed_size_without_a_tick_value_still_trades_but_says_the_risk_is_unknown() {
    let spec = SymbolSpec {
        tick_value: 0.0,
        ..xauusd()
    };
    let got = size(
        &fixed(0.1),
        &spec,
        &usd(10_000.0),
        4150.0,
        Some(4140.0),
        ONE,
    )
    .unwrap();
    assert_eq!(got.legs, vec![0.1]);
    assert_eq!(got.risk, None);
    assert!(got.why.contains("risk at SL unknown"), "{}", got.why);
}

#[test]
fn money_at_risk_is_the_loss_the_broker_books() {
    // The simulator books profit with the same tick arithmetic: a stop-out loses what was risked.
    for (spec, entry, sl) in [
        (eurusd(), 1.16, 1.156),
        (usdjpy(), 150.0, 149.5),
        (xauusd(), 4150.0, 4140.0),
        (btcusd(), 95_000.0, 94_000.0),
    ] {
        let risked = money_at_risk(&spec, 0.37, entry, sl);
        let booked = spec.profit(0.37, entry, sl);
        assert!(
            (risked + booked).abs() < 1e-9,
            "{}: {risked} vs {booked}",
            spec.name
        );
    }
    // USDJPY by hand: 0.500 / 0.001 = 500 ticks × 0.666667 × 0.30 lots = 100.00 USD, where
    // contract × distance would say 100,000 × 0.500 × 0.30 = 15,000 (yen).
    assert!((money_at_risk(&usdjpy(), 0.30, 150.0, 149.5) - 100.0).abs() < 1e-9);
}

#[test]
fn the_hand_specs_are_the_simulators() {
    let sim = crate::broker::sim::default_symbols();
    for mine in [eurusd(), gbpusd(), xauusd(), us30(), nas100(), btcusd()] {
        let theirs = sim.iter().find(|s| s.name == mine.name).unwrap();
        let fields = |s: &SymbolSpec| {
            (
                s.digits,
                s.tick_size,
                s.tick_value,
                s.contract_size,
                s.volume_min,
                s.volume_step,
                s.volume_max,
            )
        };
        assert_eq!(fields(&mine), fields(theirs), "{}", mine.name);
    }
    // The simulator's USDJPY starts at 155.00, so its tick is worth 100 / 155 rather than 100 / 150.
    let jpy = sim.iter().find(|s| s.name == "USDJPY").unwrap();
    assert!((jpy.tick_value - 100.0 / 155.0).abs() < 1e-9);
}

#[test]
fn the_config_reads_from_toml_and_rejects_unknown_keys() {
    let cfg: SizingConfig = toml::from_str(
        r#"
        mode = "risk_percent"
        lots = 0.10
        risk_percent = 1.0
        risk_base = "equity"
        max_legs = 3
        split = [0.5, 0.3, 0.2]
        copy_tps = []
        [symbols.XAUUSD]
        risk_percent = 0.5
        [symbols.BTCUSD]
        lots = 0.01
        "#,
    )
    .unwrap();
    assert_eq!(cfg.mode, SizingMode::RiskPercent);
    assert_eq!(cfg.risk_base, RiskBase::Equity);
    assert_eq!(
        cfg.symbols["XAUUSD"],
        SymbolSizing {
            lots: None,
            risk_percent: Some(0.5)
        }
    );
    assert_eq!(cfg.symbols["BTCUSD"].lots, Some(0.01));
    cfg.check().unwrap();

    let typo = toml::from_str::<SizingConfig>(
        "mode = \"fixed\"\nlots = 0.1\nrisk_percent = 1.0\nrisk_base = \"balance\"\nsymbols = {}\n\
         max_legs = 3\nsplit = []\ncopy_tps = []\nrisk_pct = 2.0\n",
    );
    assert!(typo.unwrap_err().to_string().contains("risk_pct"));
    let bad_mode = toml::from_str::<SizingConfig>(
        "mode = \"percent\"\nlots = 0.1\nrisk_percent = 1.0\nrisk_base = \"balance\"\nsymbols = {}\n",
    );
    assert!(bad_mode.is_err());
    let bad_override = toml::from_str::<SymbolSizing>("lot = 0.1\n");
    assert!(bad_override.is_err());

    let mut cfg = cfg;
    cfg.symbols.insert(
        "EURUSD".into(),
        SymbolSizing {
            lots: Some(0.0),
            risk_percent: None,
        },
    );
    assert!(
        cfg.check()
            .unwrap_err()
            .contains("risk.symbols.EURUSD.lots = 0")
    );
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever the account, stop and weights: valid volumes only, and never more risk than
        /// the budget.
        #[test]
        fn risk_never_exceeds_the_budget(
            balance in 10.0f64..10_000_000.0,
            percent in 0.01f64..10.0,
            ticks in 1u32..200_000,
            weights in proptest::collection::vec(0.01f64..10.0, 1..6),
            which in 0usize..5,
        ) {
            let spec = [eurusd(), usdjpy(), xauusd(), us30(), btcusd()][which].clone();
            let entry = 200_000.0 * spec.tick_size + 1.0;
            let sl = entry - f64::from(ticks) * spec.tick_size;
            let budget = balance * percent / 100.0;
            let cfg = risk(percent, RiskBase::Balance);
            if let Ok(got) = size(&cfg, &spec, &usd(balance), entry, Some(sl), &weights) {
                prop_assert!(got.risk.unwrap() <= budget * (1.0 + 1e-9));
                prop_assert_eq!(got.legs.len(), got.kept.len());
                for v in &got.legs {
                    prop_assert!(*v >= spec.volume_min - 1e-9 && *v <= spec.volume_max);
                    let steps = v / spec.volume_step;
                    prop_assert!((steps - steps.round()).abs() < 1e-6);
                }
            } else {
                // Refused only when the smallest volume is over the budget.
                prop_assert!(money_at_risk(&spec, spec.volume_min, entry, sl) > budget);
            }
        }
    }
}

#[test]
fn legs_are_chosen_and_weighted_as_configured() {
    let mut cfg = fixed(0.30);
    assert_eq!(cfg.copied_tps(5), [0, 1, 2]);
    assert_eq!(cfg.weights(3), [1.0, 1.0, 1.0]);
    cfg.copy_tps = vec![1, 3, 9];
    // The ninth take profit does not exist in a signal with five.
    assert_eq!(cfg.copied_tps(5), [0, 2]);
    cfg.max_legs = 1;
    assert_eq!(cfg.copied_tps(5), [0]);
    cfg.split = vec![0.5, 0.3];
    // A leg beyond the list takes its last weight.
    assert_eq!(cfg.weights(3), [0.5, 0.3, 0.3]);
    cfg.split = vec![0.5, 0.0];
    assert!(cfg.check().unwrap_err().contains("risk.split has 0"));
    cfg.split = vec![];
    cfg.copy_tps = vec![0];
    assert!(cfg.check().unwrap_err().contains("counted from 1"));
    cfg.copy_tps = vec![];
    cfg.max_legs = 0;
    assert!(cfg.check().unwrap_err().contains("risk.max_legs = 0"));
}
