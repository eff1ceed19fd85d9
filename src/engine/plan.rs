//! Turning a parsed message into broker requests, or into a refusal a trader can read.
//!
//! Pure functions of the engine's state: they decide, the engine journals and acts.

use crate::broker::BrokerRequest;
use crate::config::{
    Config, EngineConfig, EntriesConfig, GuardsConfig, ManagementConfig, ProfileConfig, ZoneOutside,
};
use crate::model::{
    Entry, Millis, Mode, OrderType, Parsed, PendingOrder, Position, Side, SignalKind, SignalRecord,
    StopLoss, SymbolSpec, Target,
};
use crate::risk::sizing::{self, SizingConfig};

/// Everything that decides how a signal is traded.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub engine: EngineConfig,
    pub risk: SizingConfig,
    pub guards: GuardsConfig,
    pub management: ManagementConfig,
    pub entries: EntriesConfig,
    /// Rules for some sources or chats, laid over these (checked to only tighten them).
    pub profiles: Vec<ProfileConfig>,
}

impl Rules {
    /// The rules for a signal from `source` and `chat`: the first profile that applies, else
    /// the global ones; with the profile's name, if any.
    pub fn for_signal(
        &self,
        source: &str,
        chat: &str,
    ) -> (std::borrow::Cow<'_, Rules>, Option<&str>) {
        match self.profiles.iter().find(|p| p.applies_to(source, chat)) {
            None => (std::borrow::Cow::Borrowed(self), None),
            Some(p) => (
                std::borrow::Cow::Owned(Rules {
                    engine: self.engine.clone(),
                    risk: p.risk.clone(),
                    guards: p.guards.clone(),
                    management: p.management.clone(),
                    entries: p.entries.clone(),
                    profiles: Vec::new(),
                }),
                Some(&p.name),
            ),
        }
    }

    pub fn of(config: &Config) -> Rules {
        Rules {
            engine: config.engine.clone(),
            risk: config.risk.clone(),
            guards: config.guards.clone(),
            management: config.management.clone(),
            entries: config.entries.clone(),
            profiles: config.profiles.clone(),
        }
    }
}

use crate::api::State;

/// A request the engine is about to journal and send, with a line for the trader.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub request: BrokerRequest,
    pub summary: String,
}

/// A decision to act: the requests, and one line that sums them up.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub summary: String,
    pub orders: Vec<Planned>,
}

pub type Refusal = String;

fn fmt_price(spec: &SymbolSpec, price: f64) -> String {
    format!("{:.*}", spec.digits as usize, price)
}

/// Describe a request for the journal and the console.
pub fn describe(request: &BrokerRequest, spec: Option<&SymbolSpec>) -> String {
    let price = |p: f64| spec.map_or_else(|| p.to_string(), |s| fmt_price(s, p));
    let levels = |sl: &Option<f64>, tp: &Option<f64>| {
        let mut s = String::new();
        if let Some(sl) = sl {
            s.push_str(&format!(" SL {}", price(*sl)));
        }
        if let Some(tp) = tp {
            s.push_str(&format!(" TP {}", price(*tp)));
        }
        s
    };
    match request {
        BrokerRequest::Place {
            symbol,
            side,
            order_type,
            volume,
            price: at,
            sl,
            tp,
            ..
        } => {
            let at = match (order_type, at) {
                (OrderType::Market, _) | (_, None) => "market".to_string(),
                (t, Some(p)) => format!("{t} {}", price(*p)),
            };
            format!("{side} {volume:.2} {symbol} @ {at}{}", levels(sl, tp))
        }
        BrokerRequest::Modify { ticket, sl, tp, .. } => {
            format!("modify #{ticket}{}", levels(sl, tp))
        }
        BrokerRequest::Close {
            ticket,
            volume: None,
            ..
        } => format!("close #{ticket}"),
        BrokerRequest::Close {
            ticket,
            volume: Some(v),
            ..
        } => format!("close {v:.2} of #{ticket}"),
        BrokerRequest::Cancel { ticket, .. } => format!("cancel order #{ticket}"),
    }
}

/// Plan an open: one order per copied take-profit leg, once every guard has passed.
/// `cid(leg)` names each leg's order.
pub fn open(
    signal: &SignalRecord,
    state: &State,
    broker_blocked: Option<&str>,
    rules: &Rules,
    now: Millis,
    cid: impl Fn(usize) -> String,
) -> Result<Plan, Refusal> {
    let parsed = &signal.parsed;
    let (cfg, guards, risk) = (&rules.engine, &rules.guards, &rules.risk);
    match state.mode {
        Mode::Halted => {
            return Err("HALTED (emergency stop): new entries are refused until resumed".into());
        }
        Mode::Paused => return Err("PAUSED: new entries are refused until resumed".into()),
        Mode::Active => {}
    }
    if let Some(why) = broker_blocked {
        return Err(format!("no new entries: {why}"));
    }
    confident(parsed)?;
    let symbol = parsed.symbol.as_deref().ok_or("no symbol in the message")?;
    let side = parsed.side.ok_or("no side (buy or sell) in the message")?;
    let spec = state
        .symbols
        .get(symbol)
        .ok_or_else(|| format!("{symbol} is not offered by the broker"))?;
    let quote = state
        .quotes
        .get(symbol)
        .ok_or_else(|| format!("no price for {symbol} yet"))?;
    let market = side.open_price(quote);
    let order_type = match (parsed.order.unwrap_or_default(), parsed.entry) {
        // A zone for a market entry: at the market inside the zone, or better than it; outside
        // it as `entries.zone_outside` says.
        (OrderType::Market, Some(Entry::Zone([low, high]))) => {
            let worse = match side {
                Side::Buy => market > high,
                Side::Sell => market < low,
            };
            match (worse, rules.entries.zone_outside) {
                (false, _) | (true, ZoneOutside::Market) => OrderType::Market,
                (true, ZoneOutside::Limit) => OrderType::Limit,
                (true, ZoneOutside::Refuse) => {
                    return Err(format!(
                        "the price {} is outside the zone {}-{} (entries.zone_outside = \"refuse\")",
                        fmt_price(spec, market),
                        fmt_price(spec, low),
                        fmt_price(spec, high)
                    ));
                }
            }
        }
        (order_type, _) => order_type,
    };
    guards.duplicate(signal, now, state.signals.iter())?;
    guards.symbol_allowed(symbol)?;
    guards.trading_time(now)?;
    guards.signal_age(signal.sent_at.unwrap_or(signal.received_at), now)?;
    guards.spread(symbol, spec, quote)?;
    match parsed.entry {
        Some(Entry::Price(p)) => guards.level_sane("entry", p, market, spec)?,
        Some(Entry::Zone([low, high])) => {
            guards.level_sane("entry", low, market, spec)?;
            guards.level_sane("entry", high, market, spec)?;
        }
        None => {}
    }
    if order_type == OrderType::Market {
        match parsed.entry {
            Some(Entry::Price(p)) => guards.entry_distance(symbol, (p, p), market, spec)?,
            Some(Entry::Zone([low, high])) => {
                guards.entry_distance(symbol, (low, high), market, spec)?
            }
            None => {}
        }
    }
    let price = match (order_type, parsed.entry) {
        (OrderType::Market, _) => market,
        (_, None) => return Err(format!("a {order_type} order needs an entry price")),
        // A pending order on a zone waits at the edge nearest the market.
        (_, Some(Entry::Price(p))) => p,
        (_, Some(Entry::Zone([low, high]))) => match side {
            Side::Buy => high.min(market).max(low),
            Side::Sell => low.max(market).min(high),
        },
    };
    let price = spec.round_price(price);
    if order_type != OrderType::Market {
        pending_side_ok(side, order_type, price, market, spec)?;
    }
    let sl = match parsed.sl {
        None if guards.default_sl_pips > 0.0 => {
            Some(price - side.sign() * guards.default_sl_pips * spec.pip())
        }
        None if cfg.require_sl => {
            return Err("no stop loss in the message, and engine.require_sl is on (guards.default_sl_pips is 0)".into());
        }
        None => None,
        Some(StopLoss::Price(p)) => Some(p),
        Some(StopLoss::Pips { pips }) => Some(price - side.sign() * pips * spec.pip()),
        Some(StopLoss::Breakeven) => {
            return Err("a stop loss at breakeven makes no sense on an open".into());
        }
    }
    .map(|p| spec.round_price(p));
    if let Some(sl) = sl {
        guards.level_sane("stop loss", sl, market, spec)?;
        level_side_ok("stop loss", "entry", side, -1.0, sl, price, spec)?;
    }
    let mut tps = Vec::new();
    for target in &parsed.tp {
        let tp = target_price(*target, price, side, spec);
        guards.level_sane("take profit", tp, market, spec)?;
        level_side_ok("take profit", "entry", side, 1.0, tp, price, spec)?;
        tps.push(Some(tp));
    }
    let chosen = risk.copied_tps(tps.len());
    let mut tps: Vec<Option<f64>> = chosen.iter().map(|&i| tps[i]).collect();
    if tps.is_empty() {
        tps.push(None);
    }
    let account = state
        .account
        .as_ref()
        .ok_or("no account information from the broker yet")?;
    let sized = sizing::size(risk, spec, account, price, sl, &risk.weights(tps.len()))?;
    let legs: Vec<(Option<f64>, f64)> = sized
        .kept
        .iter()
        .zip(&sized.legs)
        .map(|(&i, &volume)| (tps[i], volume))
        .collect();
    let positions: Vec<&Position> = state.positions.values().collect();
    let orders: Vec<&PendingOrder> = state.orders.values().collect();
    guards.open_trades(symbol, legs.len(), &positions, &orders)?;
    let orders: Vec<Planned> = legs
        .iter()
        .enumerate()
        .map(|(i, &(tp, volume))| {
            let request = BrokerRequest::Place {
                cid: cid(i + 1),
                symbol: symbol.to_string(),
                side,
                order_type,
                volume,
                price: (order_type != OrderType::Market).then_some(price),
                sl,
                tp,
            };
            Planned {
                summary: describe(&request, Some(spec)),
                request,
            }
        })
        .collect();
    let at = if order_type == OrderType::Market {
        "market".to_string()
    } else {
        format!("{order_type} {}", fmt_price(spec, price))
    };
    Ok(Plan {
        summary: format!("{side} {symbol} @ {at}: {}", sized.why),
        orders,
    })
}

/// New levels for an open position, checked against its price as the broker checks them; a level
/// left as it is is not checked again (the price may have come close to it since).
pub fn position_levels_ok(
    p: &Position,
    sl: Option<f64>,
    tp: Option<f64>,
    spec: &SymbolSpec,
) -> Result<(), Refusal> {
    if let Some(sl) = sl.filter(|s| Some(*s) != p.sl) {
        level_side_ok(
            "stop loss",
            "price",
            p.side,
            -1.0,
            sl,
            p.current_price,
            spec,
        )?;
    }
    if let Some(tp) = tp.filter(|t| Some(*t) != p.tp) {
        level_side_ok(
            "take profit",
            "price",
            p.side,
            1.0,
            tp,
            p.current_price,
            spec,
        )?;
    }
    Ok(())
}

/// A level must be on its side of the price and at least the stops level away.
/// `direction` is -1 for a stop loss (below a buy) and +1 for a take profit (above a buy).
/// `from` names the price measured from: the entry of an open, the price of an open trade.
pub(super) fn level_side_ok(
    what: &str,
    from: &str,
    side: Side,
    direction: f64,
    level: f64,
    price: f64,
    spec: &SymbolSpec,
) -> Result<(), Refusal> {
    let distance = (level - price) * side.sign() * direction;
    let min = spec.stops_level as f64 * spec.point;
    if distance <= 0.0 {
        let place = if direction * side.sign() < 0.0 {
            "below"
        } else {
            "above"
        };
        return Err(format!(
            "the {what} {} of this {side} must be {place} the {from} {}",
            fmt_price(spec, level),
            fmt_price(spec, price)
        ));
    }
    if distance < min {
        return Err(format!(
            "the {what} {} is closer to the {from} {} than the broker's stops level ({} points)",
            fmt_price(spec, level),
            fmt_price(spec, price),
            spec.stops_level
        ));
    }
    Ok(())
}

fn pending_side_ok(
    side: Side,
    order_type: OrderType,
    price: f64,
    market: f64,
    spec: &SymbolSpec,
) -> Result<(), Refusal> {
    // A buy limit waits below the market, a buy stop above; a sell the other way round.
    let below = matches!(
        (side, order_type),
        (Side::Buy, OrderType::Limit) | (Side::Sell, OrderType::Stop)
    );
    let ok = if below {
        price < market
    } else {
        price > market
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a {side} {order_type} at {} must be {} the market {}",
            fmt_price(spec, price),
            if below { "below" } else { "above" },
            fmt_price(spec, market)
        ))
    }
}

/// The trades of one signal that are still at the broker.
pub struct Legs<'a> {
    pub positions: Vec<&'a Position>,
    pub orders: Vec<&'a PendingOrder>,
}

impl<'a> Legs<'a> {
    pub fn of(state: &'a State, cids: &[String]) -> Self {
        Legs {
            positions: state
                .positions
                .values()
                .filter(|p| cids.contains(&p.cid))
                .collect(),
            orders: state
                .orders
                .values()
                .filter(|o| cids.contains(&o.cid))
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.positions.is_empty() && self.orders.is_empty()
    }
}

/// A reading the parser doubts (contradictory levels, say) is acted on by no one.
fn confident(parsed: &Parsed) -> Result<(), Refusal> {
    if parsed.confidence < crate::parse::CONFIDENT {
        return Err(format!(
            "the reading is doubtful (confidence {:.2}, below {:.2}): see the parse trace",
            parsed.confidence,
            crate::parse::CONFIDENT
        ));
    }
    Ok(())
}

/// Plan a follow-up (modify or close) on the legs of the signal it links to. An edit's changes
/// come here too, with the edited reading's confidence.
pub fn follow_up(
    parsed: &Parsed,
    legs: &Legs<'_>,
    state: &State,
    guards: &GuardsConfig,
    broker_blocked: Option<&str>,
    mut cid: impl FnMut() -> String,
) -> Result<Plan, Refusal> {
    if let Some(why) = broker_blocked {
        return Err(format!("not sent: {why}"));
    }
    confident(parsed)?;
    if legs.is_empty() {
        return Err("none of the linked signal's trades is open any more".into());
    }
    let mut orders = Vec::new();
    let mut push = |request: BrokerRequest, spec: Option<&SymbolSpec>| {
        orders.push(Planned {
            summary: describe(&request, spec),
            request,
        });
    };
    match parsed.kind {
        SignalKind::Close => {
            // "Take partials" names no amount: guessing one could close far more than meant.
            let fraction = parsed
                .fraction
                .ok_or("a partial close that says no amount: nothing closed")?
                .clamp(0.0, 1.0);
            for o in &legs.orders {
                push(
                    BrokerRequest::Cancel {
                        cid: cid(),
                        ticket: o.ticket,
                    },
                    None,
                );
            }
            for (ticket, volume) in close_volumes(&legs.positions, fraction, state) {
                push(
                    BrokerRequest::Close {
                        cid: cid(),
                        ticket,
                        volume,
                    },
                    None,
                );
            }
            if orders.is_empty() {
                return Err(format!(
                    "closing {:.0} % would be less than the smallest volume",
                    fraction * 100.0
                ));
            }
            let summary = if fraction >= 1.0 {
                "close all".to_string()
            } else {
                format!("close {:.0} %", fraction * 100.0)
            };
            Ok(Plan { summary, orders })
        }
        SignalKind::Modify => {
            let mut refusals = Vec::new();
            let tps = new_take_profits(parsed, legs.positions.len() + legs.orders.len());
            for (i, p) in legs.positions.iter().enumerate() {
                let Some(spec) = state.symbols.get(&p.symbol) else {
                    refusals.push(format!(
                        "#{}: {} is not offered by the broker",
                        p.ticket, p.symbol
                    ));
                    continue;
                };
                let sl = match parsed.sl {
                    Some(StopLoss::Breakeven) => Some(p.open_price),
                    Some(StopLoss::Price(x)) => Some(spec.round_price(x)),
                    Some(StopLoss::Pips { pips }) => {
                        Some(spec.round_price(p.open_price - p.side.sign() * pips * spec.pip()))
                    }
                    None => p.sl,
                };
                let tp = tps
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|t| target_price(t, p.open_price, p.side, spec))
                    .or(p.tp);
                if sl == p.sl && tp == p.tp {
                    continue;
                }
                // "Move SL to 55" on gold at 2350: a level that far from the price is a typo
                // or a shorthand, as it would be on an open.
                let sane = [
                    ("stop loss", sl.filter(|s| Some(*s) != p.sl)),
                    ("take profit", tp.filter(|t| Some(*t) != p.tp)),
                ]
                .into_iter()
                .filter_map(|(what, level)| level.map(|l| (what, l)))
                .try_for_each(|(what, level)| {
                    guards.level_sane(what, level, p.current_price, spec)
                });
                if let Err(r) = sane.and_then(|()| position_levels_ok(p, sl, tp, spec)) {
                    refusals.push(format!("#{}: {r}", p.ticket));
                    continue;
                }
                push(
                    BrokerRequest::Modify {
                        cid: cid(),
                        ticket: p.ticket,
                        sl,
                        tp,
                    },
                    Some(spec),
                );
            }
            // Legs still pending take the new levels too, measured from their entry price; a
            // stop at breakeven waits until a leg has an open price.
            for (i, o) in legs.orders.iter().enumerate() {
                let Some(spec) = state.symbols.get(&o.symbol) else {
                    refusals.push(format!(
                        "#{}: {} is not offered by the broker",
                        o.ticket, o.symbol
                    ));
                    continue;
                };
                let sl = match parsed.sl {
                    Some(StopLoss::Breakeven) => {
                        refusals.push(format!(
                            "#{} is still pending: breakeven applies once it fills",
                            o.ticket
                        ));
                        continue;
                    }
                    Some(StopLoss::Price(x)) => Some(spec.round_price(x)),
                    Some(StopLoss::Pips { pips }) => {
                        Some(spec.round_price(o.price - o.side.sign() * pips * spec.pip()))
                    }
                    None => o.sl,
                };
                let tp = tps
                    .get(legs.positions.len() + i)
                    .copied()
                    .flatten()
                    .map(|t| target_price(t, o.price, o.side, spec))
                    .or(o.tp);
                if sl == o.sl && tp == o.tp {
                    continue;
                }
                let levels = [("stop loss", -1.0, sl), ("take profit", 1.0, tp)];
                let bad = levels.iter().find_map(|&(what, direction, level)| {
                    let level = level?;
                    level_side_ok(what, "entry", o.side, direction, level, o.price, spec).err()
                });
                if let Some(r) = bad {
                    refusals.push(format!("#{}: {r}", o.ticket));
                    continue;
                }
                push(
                    BrokerRequest::Modify {
                        cid: cid(),
                        ticket: o.ticket,
                        sl,
                        tp,
                    },
                    Some(spec),
                );
            }
            if orders.is_empty() {
                return Err(if refusals.is_empty() {
                    "nothing to change: the levels are already set".into()
                } else {
                    refusals.join("; ")
                });
            }
            let what = match parsed.sl {
                Some(StopLoss::Breakeven) => "SL to breakeven".to_string(),
                Some(_) => "move SL".to_string(),
                None => "new TP".to_string(),
            };
            let summary = if refusals.is_empty() {
                what
            } else {
                format!("{what} (skipped {})", refusals.join("; "))
            };
            Ok(Plan { summary, orders })
        }
        SignalKind::Open | SignalKind::None => Err("not a follow-up".into()),
    }
}

/// New take profits for the legs: one target goes to the last leg (the runner), several are
/// matched to legs in order.
fn new_take_profits(parsed: &Parsed, legs: usize) -> Vec<Option<Target>> {
    match parsed.tp.as_slice() {
        [] => Vec::new(),
        [one] => {
            let mut v = vec![None; legs];
            if let Some(last) = v.last_mut() {
                *last = Some(*one);
            }
            v
        }
        many => many.iter().map(|t| Some(*t)).collect(),
    }
}

/// A target's price for a leg entered at `entry`: as written, or its distance in pips from the
/// entry on the side the trade profits ("extend TP to +150 pips"), on the symbol's tick.
fn target_price(target: Target, entry: f64, side: Side, spec: &SymbolSpec) -> f64 {
    spec.round_price(match target {
        Target::Price(p) => p,
        Target::Pips { pips } => entry + side.sign() * pips * spec.pip(),
    })
}

/// Which positions to close, and how much of each, to close `fraction` of the signal's volume:
/// whole legs first (oldest first), then part of the next one. `None` closes a position whole.
fn close_volumes(positions: &[&Position], fraction: f64, state: &State) -> Vec<(u64, Option<f64>)> {
    let mut sorted: Vec<&&Position> = positions.iter().collect();
    sorted.sort_by_key(|p| p.ticket);
    if fraction >= 1.0 {
        return sorted.iter().map(|p| (p.ticket, None)).collect();
    }
    let total: f64 = sorted.iter().map(|p| p.volume).sum();
    let mut left = total * fraction;
    let mut out = Vec::new();
    for p in sorted {
        if left <= 1e-9 {
            break;
        }
        if p.volume <= left + 1e-9 {
            out.push((p.ticket, None));
            left -= p.volume;
            continue;
        }
        if let Some(spec) = state.symbols.get(&p.symbol) {
            let steps = (left / spec.volume_step + 1e-9).floor();
            let part = (steps * spec.volume_step * 1e8).round() / 1e8;
            if part >= spec.volume_min {
                out.push((p.ticket, Some(part)));
            }
        }
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::sim::default_symbols;
    use crate::model::{Account, Quote};

    /// The built-in defaults, with 0.30 lots over at most three legs.
    fn rules() -> Rules {
        let mut rules = Rules::of(&crate::config::load(None, &[]).unwrap().config);
        rules.risk.lots = 0.30;
        rules.risk.max_legs = 3;
        rules
    }

    /// A signal received a moment ago.
    fn signal(parsed: &Parsed) -> SignalRecord {
        SignalRecord {
            seq: 1,
            received_at: NOW - 1_000,
            sent_at: None,
            source: "test".into(),
            chat: "vip".into(),
            msg_id: 1,
            edit: 0,
            edited_at: None,
            reply_to: None,
            text: format!("{parsed:?}"),
            parsed: parsed.clone(),
            linked: None,
            decision: crate::model::Decision::Waiting {
                reason: String::new(),
            },
        }
    }

    const NOW: Millis = 1_800_000_000_000;

    fn open_with(
        parsed: &Parsed,
        state: &State,
        blocked: Option<&str>,
        rules: &Rules,
    ) -> Result<Plan, Refusal> {
        super::open(&signal(parsed), state, blocked, rules, NOW, |leg| {
            format!("x-s1-{leg}")
        })
    }

    /// A state with the simulator's symbols and gold at 4150.00 / 4150.30.
    fn state() -> State {
        let mut state = State::default();
        for spec in default_symbols() {
            state.symbols.insert(spec.name.clone(), spec);
        }
        state.quotes.insert(
            "XAUUSD".into(),
            Quote {
                bid: 4150.0,
                ask: 4150.3,
                time: 0,
            },
        );
        state.account = Some(Account {
            login: 1,
            server: "test".into(),
            currency: "USD".into(),
            leverage: 100,
            hedging: true,
            balance: 10_000.0,
            equity: 10_000.0,
            margin: 0.0,
            free_margin: 10_000.0,
        });
        state
    }

    fn gold(side: Side, sl: Option<f64>, tps: &[f64]) -> Parsed {
        Parsed {
            kind: SignalKind::Open,
            symbol: Some("XAUUSD".into()),
            side: Some(side),
            order: Some(OrderType::Market),
            sl: sl.map(StopLoss::Price),
            tp: tps.iter().map(|t| Target::Price(*t)).collect(),
            confidence: 1.0,
            ..Parsed::default()
        }
    }

    fn open(parsed: &Parsed, state: &State) -> Result<Plan, Refusal> {
        open_with(parsed, state, None, &rules())
    }

    #[test]
    fn the_plan_sizes_by_risk_and_says_what_is_at_stake() {
        let mut r = rules();
        r.risk.mode = crate::risk::sizing::SizingMode::RiskPercent;
        r.risk.risk_percent = 1.0;
        // Entry at the ask 4150.30, SL 4140.30: 10.00 = 1,000 ticks of 1 USD a lot, so 1% of
        // 10,000 (100 USD) buys 0.10 lots: 0.03 + 0.03 + 0.03 after rounding each leg down.
        let plan = open_with(
            &gold(Side::Buy, Some(4140.3), &[4160.0, 4170.0, 4180.0]),
            &state(),
            None,
            &r,
        )
        .unwrap();
        let volumes: Vec<f64> = plan
            .orders
            .iter()
            .map(|o| match o.request {
                BrokerRequest::Place { volume, .. } => volume,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(volumes, [0.03, 0.03, 0.03]);
        assert!(
            plan.summary.contains("1.00% of balance 10,000.00 USD"),
            "{}",
            plan.summary
        );
        assert!(plan.summary.contains("90.00 USD at SL"), "{}", plan.summary);
    }

    #[test]
    fn guards_run_before_anything_is_planned() {
        let mut r = rules();
        // A stop loss written 414.0 for 4140.0.
        let why =
            open_with(&gold(Side::Buy, Some(414.0), &[4160.0]), &state(), None, &r).unwrap_err();
        assert!(why.contains("a typo?"), "{why}");
        r.guards.block_symbols = vec!["XAUUSD".into()];
        let why = open_with(
            &gold(Side::Buy, Some(4140.0), &[4160.0]),
            &state(),
            None,
            &r,
        )
        .unwrap_err();
        assert!(why.contains("guards.block_symbols"), "{why}");
    }

    #[test]
    fn a_missing_stop_loss_gets_the_default_distance() {
        let mut r = rules();
        r.guards.default_sl_pips = 50.0;
        let plan = open_with(&gold(Side::Buy, None, &[4160.0]), &state(), None, &r).unwrap();
        // 50 pips of gold (0.1 each) below the ask 4150.30.
        match plan.orders[0].request {
            BrokerRequest::Place { sl, .. } => assert_eq!(sl, Some(4145.3)),
            _ => unreachable!(),
        }
    }

    /// A gold buy at the market on the zone `low`-`high`; the ask is 4150.30.
    fn zone_buy(low: f64, high: f64) -> Parsed {
        Parsed {
            entry: Some(Entry::Zone([low, high])),
            ..gold(Side::Buy, Some(low - 10.0), &[high + 10.0])
        }
    }

    fn placed(plan: &Plan) -> (OrderType, Option<f64>) {
        match plan.orders[0].request {
            BrokerRequest::Place {
                order_type, price, ..
            } => (order_type, price),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_zone_is_entered_at_the_market_inside_it_and_waited_for_outside_it() {
        // Inside the zone, or below it (a better price for a buy): at the market.
        let plan = open(&zone_buy(4148.0, 4152.0), &state()).unwrap();
        assert_eq!(placed(&plan), (OrderType::Market, None));
        let plan = open(&zone_buy(4155.0, 4158.0), &state()).unwrap();
        assert_eq!(placed(&plan), (OrderType::Market, None));
        // Above it: a buy limit waits at the near edge.
        let plan = open(&zone_buy(4140.0, 4145.0), &state()).unwrap();
        assert_eq!(placed(&plan), (OrderType::Limit, Some(4145.0)));
        let mut r = rules();
        r.entries.zone_outside = ZoneOutside::Refuse;
        let why = open_with(&zone_buy(4140.0, 4145.0), &state(), None, &r).unwrap_err();
        assert!(why.contains("outside the zone 4140.00-4145.00"), "{why}");
        r.entries.zone_outside = ZoneOutside::Market;
        let plan = open_with(&zone_buy(4140.0, 4145.0), &state(), None, &r).unwrap();
        assert_eq!(placed(&plan), (OrderType::Market, None));
    }

    #[test]
    fn an_open_splits_the_lots_over_its_take_profits() {
        let plan = open(
            &gold(Side::Buy, Some(4140.0), &[4160.0, 4170.0, 4180.0]),
            &state(),
        )
        .unwrap();
        assert_eq!(plan.orders.len(), 3);
        for (i, o) in plan.orders.iter().enumerate() {
            match &o.request {
                BrokerRequest::Place {
                    cid,
                    volume,
                    sl,
                    tp,
                    price,
                    ..
                } => {
                    assert_eq!(cid, &format!("x-s1-{}", i + 1));
                    assert!((volume - 0.10).abs() < 1e-9);
                    assert_eq!(*sl, Some(4140.0));
                    assert_eq!(*tp, Some([4160.0, 4170.0, 4180.0][i]));
                    assert_eq!(*price, None, "a market order carries no price");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn more_take_profits_than_max_legs_copy_the_first_ones() {
        let plan = open(
            &gold(Side::Sell, Some(4160.0), &[4140.0, 4130.0, 4120.0, 4110.0]),
            &state(),
        )
        .unwrap();
        assert_eq!(plan.orders.len(), 3);
    }

    #[test]
    fn too_few_lots_for_every_leg_means_fewer_legs() {
        let mut r = rules();
        r.risk.lots = 0.02;
        let plan = open_with(
            &gold(Side::Buy, Some(4140.0), &[4160.0, 4170.0, 4180.0]),
            &state(),
            None,
            &r,
        )
        .unwrap();
        assert_eq!(
            plan.orders.len(),
            2,
            "0.02 lots make two legs of the 0.01 minimum"
        );
    }

    #[test]
    fn refusals_say_why() {
        let s = state();
        let cases: Vec<(Parsed, &str)> = vec![
            (gold(Side::Buy, None, &[4160.0]), "no stop loss"),
            (gold(Side::Buy, Some(4155.0), &[4160.0]), "must be below"),
            (gold(Side::Sell, Some(4140.0), &[4130.0]), "must be above"),
            (gold(Side::Buy, Some(4140.0), &[4145.0]), "take profit"),
            (
                Parsed {
                    symbol: Some("DOGEUSD".into()),
                    ..gold(Side::Buy, Some(1.0), &[])
                },
                "not offered",
            ),
            (
                Parsed {
                    side: None,
                    ..gold(Side::Buy, Some(4140.0), &[])
                },
                "no side",
            ),
        ];
        for (parsed, why) in cases {
            let reason = open(&parsed, &s).unwrap_err();
            assert!(reason.contains(why), "expected {why:?} in {reason:?}");
        }
    }

    #[test]
    fn a_doubtful_reading_is_refused() {
        let mut parsed = gold(Side::Buy, Some(4140.0), &[4160.0]);
        parsed.confidence = 0.4;
        let reason = open(&parsed, &state()).unwrap_err();
        assert!(reason.contains("doubtful"), "{reason}");
    }

    #[test]
    fn mode_and_link_come_before_everything_else() {
        let mut s = state();
        let parsed = gold(Side::Buy, Some(4140.0), &[4160.0]);
        s.mode = Mode::Halted;
        assert!(open(&parsed, &s).unwrap_err().starts_with("HALTED"));
        s.mode = Mode::Paused;
        assert!(open(&parsed, &s).unwrap_err().starts_with("PAUSED"));
        s.mode = Mode::Active;
        let down = open_with(&parsed, &s, Some("the broker is down"), &rules()).unwrap_err();
        assert_eq!(down, "no new entries: the broker is down");
    }

    #[test]
    fn stops_in_pips_are_measured_from_the_entry() {
        let mut parsed = gold(Side::Buy, None, &[]);
        parsed.sl = Some(StopLoss::Pips { pips: 50.0 });
        parsed.tp = vec![Target::Pips { pips: 100.0 }];
        let plan = open(&parsed, &state()).unwrap();
        match &plan.orders[0].request {
            BrokerRequest::Place { sl, tp, .. } => {
                // Gold pips are 0.10: 50 pips is 5.00 below the ask of 4150.30.
                assert_eq!(*sl, Some(4145.3));
                assert_eq!(*tp, Some(4160.3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_buy_limit_waits_below_the_market_and_not_above() {
        let mut parsed = gold(Side::Buy, Some(4130.0), &[4160.0]);
        parsed.order = Some(OrderType::Limit);
        parsed.entry = Some(Entry::Price(4140.0));
        let plan = open(&parsed, &state()).unwrap();
        assert!(
            matches!(plan.orders[0].request, BrokerRequest::Place { price: Some(p), .. } if p == 4140.0)
        );
        parsed.entry = Some(Entry::Price(4155.0));
        parsed.sl = Some(StopLoss::Price(4145.0));
        parsed.tp = vec![Target::Price(4170.0)];
        assert!(
            open(&parsed, &state())
                .unwrap_err()
                .contains("below the market")
        );
    }

    fn position(ticket: u64, volume: f64, cid: &str) -> Position {
        Position {
            ticket,
            symbol: "XAUUSD".into(),
            side: Side::Buy,
            volume,
            open_price: 4140.0,
            open_time: 0,
            sl: Some(4130.0),
            tp: Some(4160.0),
            current_price: 4150.0,
            profit: 0.0,
            swap: 0.0,
            commission: 0.0,
            cid: cid.into(),
        }
    }

    fn follow(parsed: &Parsed, s: &State, cids: &[&str]) -> Result<Plan, Refusal> {
        let cids: Vec<String> = cids.iter().map(|c| c.to_string()).collect();
        let mut n = 0;
        super::follow_up(
            parsed,
            &Legs::of(s, &cids),
            s,
            &rules().guards,
            None,
            || {
                n += 1;
                format!("f{n}")
            },
        )
    }

    #[test]
    fn close_half_closes_whole_legs_first_then_part_of_the_next() {
        let mut s = state();
        for (t, cid) in [(1, "a"), (2, "b"), (3, "c")] {
            s.positions.insert(t, position(t, 0.10, cid));
        }
        let half = Parsed {
            kind: SignalKind::Close,
            fraction: Some(0.5),
            confidence: 1.0,
            ..Parsed::default()
        };
        let plan = follow(&half, &s, &["a", "b", "c"]).unwrap();
        let closes: Vec<(u64, Option<f64>)> = plan
            .orders
            .iter()
            .map(|o| match o.request {
                BrokerRequest::Close { ticket, volume, .. } => (ticket, volume),
                ref other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(closes, vec![(1, None), (2, Some(0.05))]);
    }

    #[test]
    fn breakeven_moves_every_leg_to_its_open_price_and_refuses_when_price_is_below() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        let be = Parsed {
            kind: SignalKind::Modify,
            sl: Some(StopLoss::Breakeven),
            confidence: 1.0,
            ..Parsed::default()
        };
        let plan = follow(&be, &s, &["a"]).unwrap();
        assert!(
            matches!(plan.orders[0].request, BrokerRequest::Modify { sl: Some(sl), tp: Some(tp), .. } if sl == 4140.0 && tp == 4160.0)
        );
        // Price under the entry: a stop at the entry would be above the market.
        s.positions.get_mut(&1).unwrap().current_price = 4135.0;
        let reason = follow(&be, &s, &["a"]).unwrap_err();
        assert!(
            reason.contains("#1") && reason.contains("below"),
            "{reason}"
        );
    }

    #[test]
    fn a_target_in_pips_is_measured_from_each_legs_own_entry() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        s.orders.insert(
            2,
            PendingOrder {
                ticket: 2,
                symbol: "XAUUSD".into(),
                side: Side::Buy,
                order_type: OrderType::Limit,
                volume: 0.10,
                price: 4145.0,
                sl: Some(4130.0),
                tp: Some(4170.0),
                placed_at: 0,
                cid: "b".into(),
            },
        );
        let spec = &s.symbols["XAUUSD"];
        let extend = Parsed {
            kind: SignalKind::Modify,
            tp: vec![Target::Pips { pips: 300.0 }, Target::Pips { pips: 400.0 }],
            confidence: 1.0,
            ..Parsed::default()
        };
        let plan = follow(&extend, &s, &["a", "b"]).unwrap();
        let targets: Vec<(u64, Option<f64>)> = plan
            .orders
            .iter()
            .map(|o| match o.request {
                BrokerRequest::Modify { ticket, tp, .. } => (ticket, tp),
                ref other => panic!("{other:?}"),
            })
            .collect();
        // The open leg from its fill at 4140, the pending one from its price at 4145.
        assert_eq!(
            targets,
            vec![
                (1, Some(spec.round_price(4140.0 + 300.0 * spec.pip()))),
                (2, Some(spec.round_price(4145.0 + 400.0 * spec.pip()))),
            ]
        );
    }

    #[test]
    fn a_new_stop_moves_pending_legs_too_but_breakeven_waits_for_a_fill() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        s.orders.insert(
            2,
            PendingOrder {
                ticket: 2,
                symbol: "XAUUSD".into(),
                side: Side::Buy,
                order_type: OrderType::Limit,
                volume: 0.10,
                price: 4145.0,
                sl: Some(4130.0),
                tp: Some(4170.0),
                placed_at: 0,
                cid: "b".into(),
            },
        );
        let sl = |sl| Parsed {
            kind: SignalKind::Modify,
            sl: Some(sl),
            confidence: 1.0,
            ..Parsed::default()
        };
        let plan = follow(&sl(StopLoss::Price(4135.0)), &s, &["a", "b"]).unwrap();
        let moved: Vec<(u64, Option<f64>)> = plan
            .orders
            .iter()
            .map(|o| match o.request {
                BrokerRequest::Modify { ticket, sl, .. } => (ticket, sl),
                ref other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(moved, vec![(1, Some(4135.0)), (2, Some(4135.0))]);
        // A stop above the pending entry is refused for that leg, with why.
        let reason = follow(&sl(StopLoss::Price(4148.0)), &s, &["b"]).unwrap_err();
        assert!(
            reason.contains("#2") && reason.contains("entry"),
            "{reason}"
        );
        // Breakeven moves the filled leg and says why the pending one waits.
        let plan = follow(&sl(StopLoss::Breakeven), &s, &["a", "b"]).unwrap();
        assert_eq!(plan.orders.len(), 1);
        assert!(
            plan.summary.contains("#2 is still pending"),
            "{}",
            plan.summary
        );
    }

    #[test]
    fn a_doubtful_follow_up_changes_nothing() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        let doubtful = Parsed {
            kind: SignalKind::Modify,
            sl: Some(StopLoss::Price(4135.0)),
            confidence: 0.4,
            ..Parsed::default()
        };
        let reason = follow(&doubtful, &s, &["a"]).unwrap_err();
        assert!(reason.contains("doubtful"), "{reason}");
    }

    /// "Move SL to 55" on a gold trade near 4150: a level as far from the price as no open
    /// would be allowed is refused, with the guard that says so; a near one is sent.
    #[test]
    fn a_new_stop_far_from_the_price_is_refused_like_an_opens() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        let modify = |sl: f64| Parsed {
            kind: SignalKind::Modify,
            sl: Some(StopLoss::Price(sl)),
            confidence: 1.0,
            ..Parsed::default()
        };
        let reason = follow(&modify(55.0), &s, &["a"]).unwrap_err();
        assert!(reason.contains("max_level_distance_percent"), "{reason}");
        let plan = follow(&modify(4135.0), &s, &["a"]).unwrap();
        assert_eq!(plan.orders.len(), 1, "{}", plan.summary);
    }

    #[test]
    fn take_partials_without_an_amount_closes_nothing() {
        let mut s = state();
        s.positions.insert(1, position(1, 0.10, "a"));
        let partials = Parsed {
            kind: SignalKind::Close,
            fraction: None,
            confidence: 1.0,
            ..Parsed::default()
        };
        let reason = follow(&partials, &s, &["a"]).unwrap_err();
        assert!(reason.contains("no amount"), "{reason}");
    }

    #[test]
    fn a_follow_up_on_closed_trades_is_refused() {
        let close = Parsed {
            kind: SignalKind::Close,
            fraction: Some(1.0),
            confidence: 1.0,
            ..Parsed::default()
        };
        let reason = follow(&close, &state(), &["gone"]).unwrap_err();
        assert!(
            reason.contains("none of the linked signal's trades"),
            "{reason}"
        );
    }
}
