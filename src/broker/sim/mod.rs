//! A simulated MT5 account that answers [`BrokerRequest`]s the way a MetaTrader 5 server would.
//!
//! The core, [`SimAccount`], is pure and synchronous: the same seed and the same calls give the
//! same events, which is what tests and scenario replays rely on. Two async wrappers serve it and
//! persist it, so that positions stay open "at the broker" across restarts: [`ea`] plays the MT5
//! Expert Advisor over the bridge protocol (`signalos sim-mt5`), [`run`] serves it over channels.

mod account_file;
mod deal;
pub mod ea;
pub mod fault;
mod market;
mod rng;
#[cfg(test)]
mod tests;
mod trade_log;

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::broker::{
    BrokerEvent, BrokerRequest, BrokerSnapshot, CidState, CloseReason, OrderRemoval, TradeOutcome,
};
use crate::model::{
    Account, Execution, Filling, Millis, OrderType, PendingOrder, Position, Quote, Side, SymbolSpec,
};
use deal::Cause;
use market::Market;
use rng::SplitMix64;

pub use account_file::load_or_new;
pub use deal::{DealReason, RecordEntry, TradeRecord};
pub use market::{FillingFlags, default_symbols};

/// MT5 trade server return codes the simulator answers with.
pub const RETCODE_INVALID: u32 = 10013;
pub const RETCODE_INVALID_VOLUME: u32 = 10014;
pub const RETCODE_INVALID_PRICE: u32 = 10015;
pub const RETCODE_INVALID_STOPS: u32 = 10016;
pub const RETCODE_NO_MONEY: u32 = 10019;
pub const RETCODE_ALGO_OFF: u32 = 10027;
pub const RETCODE_FROZEN: u32 = 10029;
pub const RETCODE_FILLING: u32 = 10030;
pub const RETCODE_OFFLINE: u32 = 10031;
pub const RETCODE_POSITION_CLOSED: u32 = 10036;
pub const RETCODE_HEDGE_PROHIBITED: u32 = 10046;

/// MT5's default stop-out level: below this margin level the server starts closing positions.
const STOP_OUT_LEVEL: f64 = 50.0;
/// How many answered cids are remembered for exactly-once answers.
const REMEMBERED_CIDS: usize = 10_000;
/// How many deal and order records the server's history keeps (MT5 keeps them all; the EA looks
/// back 7 days, which this bounds well beyond).
const HISTORY_RECORDS: usize = 20_000;
const FIRST_TICKET: u64 = 1_000_001;
const DAY: Millis = 86_400_000;
/// A price further than this multiple from the market is a typo or garbage, not an order.
const PRICE_SANITY_FACTOR: f64 = 100.0;
/// Volumes are compared to steps with this tolerance: 0.1 + 0.2 must count as 0.3 lots.
const VOLUME_EPSILON: f64 = 1e-7;

#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// Starting balance in USD.
    pub balance: f64,
    pub leverage: u32,
    pub hedging: bool,
}

/// The whole state of a simulated MT5 account: what its server knows, and the random generator,
/// so that a saved account reloads and continues exactly where it stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimAccount {
    account: Account,
    markets: Vec<Market>,
    positions: Vec<Position>,
    orders: Vec<PendingOrder>,
    next_ticket: u64,
    rng: SplitMix64,
    answered: CidMemory,
    /// Executions not yet taken by [`SimAccount::take_records`]. Saved with the account, so
    /// that a record made just before a crash still reaches the trade log after the restart.
    #[serde(default)]
    records: Vec<TradeRecord>,
    #[serde(default)]
    last_seq: u64,
    #[serde(default)]
    last_deal: u64,
    /// Every deal and order record, oldest first: the server's history, which outlives the EA's
    /// memory of answers.
    #[serde(default)]
    history: VecDeque<TradeRecord>,
    #[serde(default)]
    costs: Costs,
    /// The day (since the epoch, UTC) of the last rollover: swap is charged when it changes.
    #[serde(default)]
    rollover_day: i64,
    /// A hedging account whose broker forbids opposite positions on a symbol (FIFO rules).
    #[serde(default)]
    no_hedge: bool,
    /// What each open position's partial closes realised so far, net, by ticket: its
    /// `position_closed` reports the whole.
    #[serde(default)]
    realised: HashMap<u64, f64>,
}

/// What the broker charges, per lot, as MT5 books it: negative is a charge, positive a credit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Costs {
    /// Booked on every deal, in and out.
    pub commission_per_lot: f64,
    /// Booked on every open position at each rollover (00:00 UTC).
    pub swap_per_lot: f64,
}

/// Where a client order id is, as the EA answers a `query`.
#[derive(Debug, Clone, PartialEq)]
pub struct CidLookup {
    pub state: CidState,
    pub ticket: Option<u64>,
    pub price: Option<f64>,
    pub volume: Option<f64>,
}

/// A refusal, as MT5 words it: a return code and a reason.
#[derive(Debug, Clone, PartialEq)]
struct Reject {
    retcode: u32,
    message: String,
}

impl Reject {
    fn invalid(why: impl std::fmt::Display) -> Self {
        Self::new(RETCODE_INVALID, format!("invalid request: {why}"))
    }
    fn volume(why: impl std::fmt::Display) -> Self {
        Self::new(RETCODE_INVALID_VOLUME, format!("invalid volume: {why}"))
    }
    fn price(why: impl std::fmt::Display) -> Self {
        Self::new(RETCODE_INVALID_PRICE, format!("invalid price: {why}"))
    }
    fn stops(why: impl std::fmt::Display) -> Self {
        Self::new(RETCODE_INVALID_STOPS, format!("invalid stops: {why}"))
    }
    fn no_money(why: impl std::fmt::Display) -> Self {
        Self::new(RETCODE_NO_MONEY, format!("not enough money: {why}"))
    }
    /// The ticket was a position once: the table's words ("position already closed") come with
    /// the code, the message says what the ticket is now.
    fn position_closed(why: String) -> Self {
        Self::new(RETCODE_POSITION_CLOSED, why)
    }
    fn new(retcode: u32, message: String) -> Self {
        Self { retcode, message }
    }
}

/// A deal about to hit the book: a market order, or a pending order that triggered.
struct Fill {
    market: usize,
    side: Side,
    volume: f64,
    price: f64,
    sl: Option<f64>,
    tp: Option<f64>,
    cid: String,
    /// A request (market order) or a triggered pending order.
    reason: DealReason,
    /// The filling mode a market order was sent with.
    filling: Option<Filling>,
}

/// A deal as the trade log records it.
struct Deal {
    entry: RecordEntry,
    side: Side,
    volume: f64,
    price: f64,
}

/// What a deal does to the open position of a netting account.
enum Netting {
    Add { volume: f64, open_price: f64 },
    Reduce,
    Close,
    Reverse { volume: f64 },
}

impl SimAccount {
    pub fn new(config: &SimConfig, now: Millis) -> Self {
        let leverage = config.leverage.max(1);
        let balance = if config.balance.is_finite() && config.balance > 0.0 {
            round_cents(config.balance)
        } else {
            0.0
        };
        let account = Account {
            login: 10_000_000 + config.seed % 90_000_000,
            server: "SignalOS-Sim".to_string(),
            currency: "USD".to_string(),
            leverage,
            hedging: config.hedging,
            balance,
            equity: balance,
            margin: 0.0,
            free_margin: balance,
        };
        Self {
            account,
            markets: market::default_markets(leverage, now),
            positions: Vec::new(),
            orders: Vec::new(),
            next_ticket: FIRST_TICKET,
            rng: SplitMix64::new(config.seed),
            answered: CidMemory::default(),
            records: Vec::new(),
            last_seq: 0,
            last_deal: 0,
            history: VecDeque::new(),
            costs: Costs::default(),
            rollover_day: now.div_euclid(DAY),
            no_hedge: false,
            realised: HashMap::new(),
        }
    }

    /// Forbid (or allow again) a position opposite to an open one on the same symbol, as brokers
    /// under FIFO rules do: refused with 10046.
    pub fn forbid_hedging(&mut self, forbid: bool) {
        self.no_hedge = forbid;
    }

    /// Set the commission and swap the broker charges from now on.
    pub fn set_costs(&mut self, costs: Costs) {
        self.costs = costs;
    }

    /// The broker's rollover: every open position is booked its swap, and reported.
    pub fn rollover(&mut self, now: Millis) -> Vec<BrokerEvent> {
        self.rollover_day = now.div_euclid(DAY);
        let mut events = Vec::new();
        for i in 0..self.positions.len() {
            let position = &mut self.positions[i];
            let swap = round_cents(self.costs.swap_per_lot * position.volume);
            position.swap = round_cents(position.swap + swap);
            self.mark_and_report(i, &mut events);
        }
        self.refresh_account();
        events.push(BrokerEvent::Account(self.account.clone()));
        events
    }

    pub fn account(&self) -> &Account {
        &self.account
    }

    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    pub fn orders(&self) -> &[PendingOrder] {
        &self.orders
    }

    pub fn symbol(&self, name: &str) -> Option<&SymbolSpec> {
        self.market(name).map(|m| &m.spec)
    }

    pub fn quote(&self, symbol: &str) -> Option<Quote> {
        self.market(symbol).map(|m| m.quote)
    }

    /// What became of the request with this cid, if the server still remembers it.
    pub fn outcome_of(&self, cid: &str) -> Option<&TradeOutcome> {
        self.answered.get(cid)
    }

    /// Every symbol the server offers.
    pub fn symbol_names(&self) -> Vec<String> {
        self.markets.iter().map(|m| m.spec.name.clone()).collect()
    }

    /// The deals and order placements made since the last call, oldest first.
    pub fn take_records(&mut self) -> Vec<TradeRecord> {
        std::mem::take(&mut self.records)
    }

    /// Refuse a request without looking at it (a fault injected by the simulator), and remember
    /// the refusal like any other answer. A cid already answered keeps its answer.
    pub fn reject(&mut self, cid: &str, retcode: u32, message: &str) -> BrokerEvent {
        if let Some(outcome) = self.answered.get(cid) {
            return result(cid, outcome.clone());
        }
        let outcome = TradeOutcome::Rejected {
            retcode,
            message: message.to_string(),
        };
        self.answered.remember(cid, &outcome, false);
        result(cid, outcome)
    }

    /// The EA restarted: its memory of answers is gone; the server's book and history are not.
    pub fn forget_answers(&mut self) {
        self.answered = CidMemory::default();
    }

    /// Where the request with this cid is: its remembered answer first, then the open book, then
    /// the history (comparing the comment, as the EA does).
    pub fn find(&self, cid: &str) -> CidLookup {
        let absent = CidLookup {
            state: CidState::Absent,
            ticket: None,
            price: None,
            volume: None,
        };
        let lookup = |state, ticket, price, volume| CidLookup {
            state,
            ticket: Some(ticket),
            price,
            volume,
        };
        match self.answered.get(cid) {
            Some(TradeOutcome::Rejected { .. }) => absent,
            Some(&TradeOutcome::Done {
                ticket,
                price,
                volume,
            }) => {
                // Executed, and nothing of it is left in the book to point at.
                if self.answered.touched(cid) {
                    return lookup(CidState::Deal, ticket, price, volume);
                }
                if self.positions.iter().any(|p| p.ticket == ticket) {
                    lookup(CidState::Position, ticket, price, volume)
                } else if self.orders.iter().any(|o| o.ticket == ticket) {
                    lookup(CidState::Order, ticket, price, volume)
                } else {
                    self.in_history(cid)
                        .unwrap_or_else(|| lookup(CidState::Deal, ticket, price, volume))
                }
            }
            None if cid.is_empty() => absent,
            None => {
                if let Some(p) = self.positions.iter().find(|p| p.cid == cid) {
                    lookup(
                        CidState::Position,
                        p.ticket,
                        Some(p.open_price),
                        Some(p.volume),
                    )
                } else if let Some(o) = self.orders.iter().find(|o| o.cid == cid) {
                    lookup(CidState::Order, o.ticket, Some(o.price), Some(o.volume))
                } else {
                    self.in_history(cid).unwrap_or(absent)
                }
            }
        }
    }

    /// The latest record the cid left in the history: a deal into a position (open or since
    /// closed), a closing deal, or a pending order that left the book unfilled.
    fn in_history(&self, cid: &str) -> Option<CidLookup> {
        let record = self.history.iter().rev().find(|r| r.cid == cid)?;
        let state = match record.entry {
            RecordEntry::In if self.positions.iter().any(|p| p.ticket == record.ticket) => {
                CidState::Position
            }
            RecordEntry::In | RecordEntry::Out => CidState::Deal,
            RecordEntry::OrderCancelled => CidState::Cancelled,
            RecordEntry::OrderPlaced if self.orders.iter().any(|o| o.ticket == record.ticket) => {
                CidState::Order
            }
            // Placed, then neither filled nor cancelled, yet gone: the history is cut there.
            RecordEntry::OrderPlaced => return None,
        };
        Some(CidLookup {
            state,
            ticket: Some(record.ticket),
            price: Some(record.price),
            volume: Some(record.volume),
        })
    }

    /// What an EA that has forgotten its answers finds before it sends a request again: a place
    /// left its cid on the order and deals, a close on its deal. Modify and cancel leave nothing.
    fn already_done(&self, request: &BrokerRequest) -> Option<TradeOutcome> {
        let found = match request {
            BrokerRequest::Place { cid, .. } => self.find(cid),
            BrokerRequest::Close { cid, .. } => {
                self.in_history(cid).filter(|f| f.state == CidState::Deal)?
            }
            BrokerRequest::Modify { .. } | BrokerRequest::Cancel { .. } => return None,
        };
        Some(TradeOutcome::Done {
            ticket: found.ticket?,
            price: found.price,
            volume: found.volume,
        })
    }

    /// The whole truth at the server, as sent when the link comes up.
    pub fn synced(&self) -> BrokerEvent {
        BrokerEvent::Synced(BrokerSnapshot {
            account: self.account.clone(),
            symbols: self.markets.iter().map(|m| m.spec.clone()).collect(),
            quotes: self
                .markets
                .iter()
                .map(|m| (m.spec.name.clone(), m.quote))
                .collect(),
            positions: self.positions.clone(),
            orders: self.orders.clone(),
        })
    }

    /// Execute one request. Events come in the order MT5 reports them: the book changes, then
    /// the account, then the `Result` for the cid; a rejection changes nothing and is only the
    /// `Result`. A cid already answered gets the same answer again and nothing is executed: that
    /// is what makes resending after a timeout safe. Rejections are remembered too, so the answer
    /// to a cid never changes.
    pub fn handle(&mut self, request: &BrokerRequest, now: Millis) -> Vec<BrokerEvent> {
        let cid = request.cid();
        if let Some(outcome) = self.answered.get(cid) {
            return vec![result(cid, outcome.clone())];
        }
        let touch = !matches!(request, BrokerRequest::Place { .. });
        if let Some(outcome) = self.already_done(request) {
            self.answered.remember(cid, &outcome, touch);
            return vec![result(cid, outcome)];
        }
        let mut events = Vec::new();
        let outcome = match self.execute(request, now, &mut events) {
            Ok(outcome) => {
                self.refresh_account();
                events.push(BrokerEvent::Account(self.account.clone()));
                outcome
            }
            Err(reject) => {
                events.clear();
                TradeOutcome::Rejected {
                    retcode: reject.retcode,
                    message: reject.message,
                }
            }
        };
        self.answered.remember(cid, &outcome, touch);
        events.push(result(cid, outcome));
        events
    }

    /// Advance every price one tick, then let the server do what a tick makes it do: trigger
    /// pending orders, stops and targets, stop out, and report the account.
    pub fn step(&mut self, now: Millis) -> Vec<BrokerEvent> {
        let mut events = Vec::with_capacity(self.markets.len() + 1);
        if now.div_euclid(DAY) > self.rollover_day {
            events.extend(self.rollover(now));
        }
        for market in &mut self.markets {
            market.walk(&mut self.rng, now);
            events.push(quote_event(market));
        }
        self.settle(now, &mut events);
        events
    }

    /// Script a price: put this quote on `symbol` and process it like a tick (pending orders,
    /// stops, stop-out, account). For tests and scenarios.
    pub fn set_quote(
        &mut self,
        symbol: &str,
        bid: f64,
        ask: f64,
        now: Millis,
    ) -> anyhow::Result<Vec<BrokerEvent>> {
        let Some(index) = self.market_index(symbol) else {
            anyhow::bail!("the simulator has no symbol {symbol:?}");
        };
        let market = &mut self.markets[index];
        if market.set_quote(bid, ask, now).is_none() {
            anyhow::bail!("{symbol} cannot be quoted bid {bid} ask {ask}: need 0 < bid <= ask");
        }
        let mut events = vec![quote_event(market)];
        self.settle(now, &mut events);
        Ok(events)
    }

    fn execute(
        &mut self,
        request: &BrokerRequest,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        match request {
            BrokerRequest::Place {
                cid,
                symbol,
                side,
                order_type,
                volume,
                price,
                sl,
                tp,
            } => {
                let market = self
                    .market_index(symbol)
                    .ok_or_else(|| Reject::invalid(format!("unknown symbol {symbol:?}")))?;
                let volume = check_volume(&self.markets[market].spec, *volume)?;
                self.check_hedge(market, *side)?;
                let order = Fill {
                    market,
                    side: *side,
                    volume,
                    price: 0.0,
                    sl: *sl,
                    tp: *tp,
                    cid: cid.clone(),
                    reason: DealReason::Request,
                    filling: None,
                };
                match order_type {
                    OrderType::Market => self.place_market(order, now, events),
                    OrderType::Limit | OrderType::Stop => {
                        self.place_pending(order, *order_type, *price, now, events)
                    }
                }
            }
            BrokerRequest::Modify { ticket, sl, tp, .. } => self.modify(*ticket, *sl, *tp, events),
            BrokerRequest::Close {
                cid,
                ticket,
                volume,
            } => self.close(cid, *ticket, *volume, now, events),
            BrokerRequest::Cancel { ticket, .. } => self.cancel(*ticket, now, events),
        }
    }

    fn place_market(
        &mut self,
        mut order: Fill,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        let market = &self.markets[order.market];
        order.filling = Some(choose_filling(market)?);
        let quote = market.quote;
        order.price = order.side.open_price(&quote);
        let (sl, tp) = check_stops(
            &market.spec,
            order.side,
            position_reference(order.side, &quote),
            order.sl,
            order.tp,
        )?;
        order.sl = sl;
        order.tp = tp;
        self.check_margin(&order)?;
        let (price, volume) = (order.price, order.volume);
        let new_ticket = self.take_ticket();
        let ticket = self.apply_fill(order, new_ticket, now, events);
        Ok(TradeOutcome::Done {
            ticket,
            price: Some(price),
            volume: Some(volume),
        })
    }

    /// Pending orders reserve no margin at MT5; money is checked when they trigger.
    fn place_pending(
        &mut self,
        order: Fill,
        order_type: OrderType,
        price: Option<f64>,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        let market = &self.markets[order.market];
        let price = check_pending_price(market, order.side, order_type, price)?;
        let reference = Reference {
            price,
            what: "the order price",
        };
        let (sl, tp) = check_stops(&market.spec, order.side, reference, order.sl, order.tp)?;
        let pending = PendingOrder {
            ticket: self.take_ticket(),
            symbol: self.markets[order.market].spec.name.clone(),
            side: order.side,
            order_type,
            volume: order.volume,
            price,
            sl,
            tp,
            placed_at: now,
            cid: order.cid,
        };
        let outcome = TradeOutcome::Done {
            ticket: pending.ticket,
            price: Some(price),
            volume: Some(pending.volume),
        };
        // Pending orders always go with RETURN, whatever the execution mode.
        self.record_order(&pending, RecordEntry::OrderPlaced, DealReason::Request, now);
        events.push(BrokerEvent::Order(pending.clone()));
        self.orders.push(pending);
        Ok(outcome)
    }

    fn modify(
        &mut self,
        ticket: u64,
        sl: Option<f64>,
        tp: Option<f64>,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        if let Some(i) = self.positions.iter().position(|p| p.ticket == ticket) {
            let position = &self.positions[i];
            let market = self.existing_market(&position.symbol)?;
            let reference = position_reference(position.side, &market.quote);
            let (sl, tp) = check_stops(&market.spec, position.side, reference, sl, tp)?;
            // Already as asked (a resend the EA no longer remembers): nothing to send, done.
            if sl == position.sl && tp == position.tp {
                return Ok(modified(ticket));
            }
            check_freeze(market, &Frozen::position(position, &market.quote))?;
            let position = &mut self.positions[i];
            position.sl = sl;
            position.tp = tp;
            events.push(BrokerEvent::Position(position.clone()));
        } else if let Some(i) = self.orders.iter().position(|o| o.ticket == ticket) {
            let order = &self.orders[i];
            let market = self.existing_market(&order.symbol)?;
            let reference = Reference {
                price: order.price,
                what: "the order price",
            };
            let (sl, tp) = check_stops(&market.spec, order.side, reference, sl, tp)?;
            if sl == order.sl && tp == order.tp {
                return Ok(modified(ticket));
            }
            check_freeze(market, &Frozen::order(order, &market.quote))?;
            let order = &mut self.orders[i];
            order.sl = sl;
            order.tp = tp;
            events.push(BrokerEvent::Order(order.clone()));
        } else {
            return Err(self.not_open(ticket));
        }
        Ok(modified(ticket))
    }

    fn close(
        &mut self,
        cid: &str,
        ticket: u64,
        volume: Option<f64>,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        let Some(i) = self.positions.iter().position(|p| p.ticket == ticket) else {
            return Err(self.not_a_position(ticket));
        };
        let position = &self.positions[i];
        let market = self.existing_market(&position.symbol)?;
        let volume = match volume {
            None => position.volume,
            Some(volume) => check_partial_close(&market.spec, volume, position.volume)?,
        };
        let price = position.side.close_price(&market.quote);
        check_freeze(market, &Frozen::position(position, &market.quote))?;
        let filling = choose_filling(market)?;
        let cause = Cause::by(DealReason::Request, cid, Some(filling));
        self.close_volume(i, volume, price, &cause, now, events);
        Ok(TradeOutcome::Done {
            ticket,
            price: Some(price),
            volume: Some(volume),
        })
    }

    fn cancel(
        &mut self,
        ticket: u64,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> Result<TradeOutcome, Reject> {
        let Some(i) = self.orders.iter().position(|o| o.ticket == ticket) else {
            return self.cancelled_before(ticket);
        };
        let order = &self.orders[i];
        let market = self.existing_market(&order.symbol)?;
        check_freeze(market, &Frozen::order(order, &market.quote))?;
        let order = self.orders.remove(i);
        self.record_order(
            &order,
            RecordEntry::OrderCancelled,
            DealReason::Request,
            now,
        );
        events.push(BrokerEvent::OrderRemoved {
            ticket,
            reason: OrderRemoval::Cancelled,
        });
        Ok(TradeOutcome::Done {
            ticket,
            price: Some(order.price),
            volume: Some(order.volume),
        })
    }

    fn not_a_position(&self, ticket: u64) -> Reject {
        if self.orders.iter().any(|o| o.ticket == ticket) {
            Reject::invalid(format!(
                "ticket {ticket} is a pending order; cancel it instead"
            ))
        } else {
            self.not_open(ticket)
        }
    }

    /// A ticket neither open nor pending: closed, if the history shows it was a position.
    fn not_open(&self, ticket: u64) -> Reject {
        let was_position = self
            .history
            .iter()
            .any(|r| r.ticket == ticket && r.deal.is_some());
        if was_position {
            Reject::position_closed(format!("position {ticket} is no longer open"))
        } else {
            Reject::invalid(format!("no such position or order (ticket {ticket})"))
        }
    }

    /// A cancel of an order no longer pending, as the history tells it: cancelled already (a
    /// resend the EA no longer remembers) is done; filled is too late, naming the position.
    fn cancelled_before(&self, ticket: u64) -> Result<TradeOutcome, Reject> {
        let mut records = self.history.iter().rev();
        let Some(last) = records.find(|r| r.ticket == ticket && r.deal.is_none()) else {
            let why = if self.positions.iter().any(|p| p.ticket == ticket) {
                format!("ticket {ticket} is an open position; close it instead")
            } else {
                format!("no such pending order (ticket {ticket})")
            };
            return Err(Reject::invalid(why));
        };
        if last.entry == RecordEntry::OrderCancelled {
            return Ok(TradeOutcome::Done {
                ticket,
                price: Some(last.price),
                volume: Some(last.volume),
            });
        }
        let filled = self.history.iter().rev().find(|r| {
            r.cid == last.cid && r.entry == RecordEntry::In && r.reason == DealReason::Pending
        });
        let position = filled.map_or(ticket, |r| r.ticket);
        Err(Reject::position_closed(format!(
            "order {ticket} was filled: it is position {position}"
        )))
    }

    /// 10046 for an order that would open against an open position where hedging is forbidden.
    fn check_hedge(&self, market: usize, side: Side) -> Result<(), Reject> {
        if !self.no_hedge || !self.account.hedging {
            return Ok(());
        }
        let symbol = &self.markets[market].spec.name;
        match self
            .positions
            .iter()
            .find(|p| &p.symbol == symbol && p.side != side)
        {
            Some(p) => Err(Reject::new(
                RETCODE_HEDGE_PROHIBITED,
                format!(
                    "a {side} of {symbol} would hedge position {} ({}): the account forbids opposite positions",
                    p.ticket, p.side
                ),
            )),
            None => Ok(()),
        }
    }

    /// Free margin must cover what the deal adds to the margin; a deal that lowers it always goes.
    fn check_margin(&self, fill: &Fill) -> Result<(), Reject> {
        let required = self.margin_added(fill);
        let (equity, margin) = self.equity_and_margin();
        let free = equity - margin;
        if required <= 0.0 || required <= free + 1e-9 {
            return Ok(());
        }
        let market = &self.markets[fill.market];
        Err(Reject::no_money(format!(
            "{} lots of {} need {:.2} USD of margin, free margin is {:.2} USD",
            fill.volume, market.spec.name, required, free
        )))
    }

    fn margin_added(&self, fill: &Fill) -> f64 {
        let market = &self.markets[fill.market];
        let fresh = market.margin(fill.volume, fill.price);
        let Some(existing) = self.netted_position(fill.market) else {
            return fresh;
        };
        let before = market.margin(existing.volume, existing.open_price);
        let after = match net(existing, fill) {
            Netting::Add { volume, open_price } => market.margin(volume, open_price),
            Netting::Reduce => market.margin(existing.volume - fill.volume, existing.open_price),
            Netting::Close => 0.0,
            Netting::Reverse { volume } => market.margin(volume, fill.price),
        };
        after - before
    }

    /// On a netting account, the one position a deal on this symbol lands in.
    fn netted_position(&self, market: usize) -> Option<&Position> {
        if self.account.hedging {
            return None;
        }
        let symbol = &self.markets[market].spec.name;
        self.positions.iter().find(|p| &p.symbol == symbol)
    }

    /// Put a deal on the book; returns the ticket of the position it opened or changed. A new
    /// position takes `new_ticket` (MT5 gives a position the ticket of the order that opened it).
    fn apply_fill(
        &mut self,
        fill: Fill,
        new_ticket: u64,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> u64 {
        let existing = self
            .netted_position(fill.market)
            .map(|p| p.ticket)
            .and_then(|ticket| self.positions.iter().position(|p| p.ticket == ticket));
        let Some(i) = existing else {
            return self.open_position(fill, new_ticket, now, events);
        };
        let ticket = self.positions[i].ticket;
        let cause = Cause::by(fill.reason, &fill.cid, fill.filling);
        let deal = |entry, volume| Deal {
            entry,
            side: fill.side,
            volume,
            price: fill.price,
        };
        match net(&self.positions[i], &fill) {
            Netting::Add { volume, open_price } => {
                self.record_deal(i, deal(RecordEntry::In, fill.volume), &cause, now);
                self.charge_commission(i, fill.volume);
                let position = &mut self.positions[i];
                position.volume = volume;
                position.open_price = open_price;
                position.sl = fill.sl.or(position.sl);
                position.tp = fill.tp.or(position.tp);
                self.mark_and_report(i, events);
            }
            Netting::Reduce | Netting::Close => {
                self.close_volume(i, fill.volume, fill.price, &cause, now, events);
            }
            Netting::Reverse { volume } => {
                let closed = self.positions[i].volume;
                // MT5 books a reversal as one in/out deal; the log splits it so that volumes add up.
                self.record_deal(i, deal(RecordEntry::Out, closed), &cause, now);
                let profit = self.realise(i, closed, fill.price);
                // The position keeps its identifier but takes the deal's ticket: the old ticket
                // is gone for good, and every later message names the new one.
                events.push(BrokerEvent::PositionClosed {
                    ticket,
                    price: fill.price,
                    profit,
                    reason: cause.reason.close_reason(),
                    time: now,
                });
                let position = &mut self.positions[i];
                position.ticket = new_ticket;
                position.swap = 0.0;
                position.commission = 0.0;
                self.record_deal(i, deal(RecordEntry::In, volume), &cause, now);
                self.charge_commission(i, volume);
                let position = &mut self.positions[i];
                position.side = fill.side;
                position.volume = volume;
                position.open_price = fill.price;
                position.open_time = now;
                position.sl = fill.sl;
                position.tp = fill.tp;
                position.cid = fill.cid;
                self.mark_and_report(i, events);
                return new_ticket;
            }
        }
        ticket
    }

    fn open_position(
        &mut self,
        fill: Fill,
        ticket: u64,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) -> u64 {
        let cause = Cause::by(fill.reason, &fill.cid, fill.filling);
        let deal = Deal {
            entry: RecordEntry::In,
            side: fill.side,
            volume: fill.volume,
            price: fill.price,
        };
        self.positions.push(Position {
            ticket,
            symbol: self.markets[fill.market].spec.name.clone(),
            side: fill.side,
            volume: fill.volume,
            open_price: fill.price,
            open_time: now,
            sl: fill.sl,
            tp: fill.tp,
            current_price: fill.price,
            profit: 0.0,
            swap: 0.0,
            commission: 0.0,
            cid: fill.cid,
        });
        let i = self.positions.len() - 1;
        self.record_deal(i, deal, &cause, now);
        self.charge_commission(i, fill.volume);
        self.mark_and_report(i, events);
        ticket
    }

    fn mark_and_report(&mut self, i: usize, events: &mut Vec<BrokerEvent>) {
        self.mark(i);
        events.push(BrokerEvent::Position(self.positions[i].clone()));
    }

    /// Close `volume` lots of position `i` at `price`: the whole of it leaves the book with a
    /// `PositionClosed`; a part leaves the same ticket with the rest, reported as a `Position`.
    fn close_volume(
        &mut self,
        i: usize,
        volume: f64,
        price: f64,
        cause: &Cause,
        now: Millis,
        events: &mut Vec<BrokerEvent>,
    ) {
        let deal = Deal {
            entry: RecordEntry::Out,
            side: opposite(self.positions[i].side),
            volume,
            price,
        };
        self.record_deal(i, deal, cause, now);
        let reason = cause.reason.close_reason();
        let profit = self.realise(i, volume, price);
        let rest = round_volume(self.positions[i].volume - volume);
        if rest > VOLUME_EPSILON {
            self.positions[i].volume = rest;
            self.mark_and_report(i, events);
        } else {
            let position = self.positions.remove(i);
            events.push(BrokerEvent::PositionClosed {
                ticket: position.ticket,
                price,
                profit,
                reason,
                time: now,
            });
        }
    }

    /// Book `volume` lots of position `i` closed at `price` to the balance: the deal's profit,
    /// the closed part's share of the swap and the deal's commission. Returns what
    /// `position_closed` reports when this closes the whole rest: the position's realised
    /// result, net — every closing deal's, and the opening deals' commission
    /// (docs/bridge-protocol.md); for a partial close, this deal's net.
    fn realise(&mut self, i: usize, volume: f64, price: f64) -> f64 {
        let position = &self.positions[i];
        let profit = match self.market(&position.symbol) {
            Some(market) => round_cents(
                position.side.sign() * market.spec.profit(volume, position.open_price, price),
            ),
            None => 0.0,
        };
        let share = if volume >= position.volume - VOLUME_EPSILON {
            1.0
        } else {
            volume / position.volume
        };
        let swap = round_cents(position.swap * share);
        let commission = round_cents(self.costs.commission_per_lot * volume);
        let position = &mut self.positions[i];
        position.swap = round_cents(position.swap - swap);
        let (ticket, opening) = (position.ticket, position.commission);
        let net = round_cents(profit + swap + commission);
        self.account.balance = round_cents(self.account.balance + net);
        if share < 1.0 {
            let so_far = self.realised.entry(ticket).or_default();
            *so_far = round_cents(*so_far + net);
            return net;
        }
        let before = self.realised.remove(&ticket).unwrap_or_default();
        round_cents(net + before + opening)
    }

    /// Book the commission of a deal into position `i` (MT5 books it to the balance at once).
    fn charge_commission(&mut self, i: usize, volume: f64) {
        let commission = round_cents(self.costs.commission_per_lot * volume);
        let position = &mut self.positions[i];
        position.commission = round_cents(position.commission + commission);
        self.account.balance = round_cents(self.account.balance + commission);
    }

    fn settle(&mut self, now: Millis, events: &mut Vec<BrokerEvent>) {
        self.mark_all();
        self.trigger_orders(now, events);
        self.trigger_stops(now, events);
        self.stop_out(now, events);
        self.refresh_account();
        events.push(BrokerEvent::Account(self.account.clone()));
    }

    fn trigger_orders(&mut self, now: Millis, events: &mut Vec<BrokerEvent>) {
        let mut i = 0;
        while i < self.orders.len() {
            let order = &self.orders[i];
            let Some(m) = self.market_index(&order.symbol) else {
                i += 1;
                continue;
            };
            let market = &self.markets[m];
            let market_price = order.side.open_price(&market.quote);
            if !is_triggered(order, market_price) {
                i += 1;
                continue;
            }
            let price = if (market_price - order.price).abs() <= market.gap() {
                order.price
            } else {
                market_price
            };
            let order = self.orders.remove(i);
            let fill = Fill {
                market: m,
                side: order.side,
                volume: order.volume,
                price,
                sl: order.sl,
                tp: order.tp,
                cid: order.cid.clone(),
                reason: DealReason::Pending,
                filling: Some(Filling::Return),
            };
            if let Err(reject) = self.check_margin(&fill) {
                self.record_order(
                    &order,
                    RecordEntry::OrderCancelled,
                    DealReason::NoMoney,
                    now,
                );
                tracing::info!(ticket = order.ticket, reason = %reject.message, "pending order triggered without money; removed");
                events.push(BrokerEvent::OrderRemoved {
                    ticket: order.ticket,
                    reason: OrderRemoval::Cancelled,
                });
                continue;
            }
            events.push(BrokerEvent::OrderRemoved {
                ticket: order.ticket,
                reason: OrderRemoval::Filled,
            });
            self.apply_fill(fill, order.ticket, now, events);
        }
    }

    fn trigger_stops(&mut self, now: Millis, events: &mut Vec<BrokerEvent>) {
        let mut i = 0;
        while i < self.positions.len() {
            let position = &self.positions[i];
            let hit = self
                .market(&position.symbol)
                .and_then(|market| stop_hit(position, market));
            match hit {
                Some((reason, price)) => {
                    let volume = position.volume;
                    self.close_volume(i, volume, price, &Cause::server(reason), now, events);
                }
                None => i += 1,
            }
        }
    }

    /// Below the stop-out level the server closes the biggest loser, then looks again.
    fn stop_out(&mut self, now: Millis, events: &mut Vec<BrokerEvent>) {
        for _ in 0..self.positions.len() {
            self.refresh_account();
            match self.account.margin_level() {
                Some(level) if level < STOP_OUT_LEVEL => {}
                _ => return,
            }
            let worst = self
                .positions
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.profit.total_cmp(&b.1.profit))
                .map(|(i, _)| i);
            let Some(i) = worst else { return };
            let position = &self.positions[i];
            let Some(market) = self.market(&position.symbol) else {
                return;
            };
            let price = position.side.close_price(&market.quote);
            let volume = position.volume;
            tracing::info!(ticket = position.ticket, level = ?self.account.margin_level(), "stop out");
            let cause = Cause::server(CloseReason::StopOut);
            self.close_volume(i, volume, price, &cause, now, events);
        }
    }

    /// Record a deal on position `i`, while it is still on the book.
    fn record_deal(&mut self, i: usize, deal: Deal, cause: &Cause, now: Millis) {
        let position = &self.positions[i];
        self.last_deal += 1;
        let record = TradeRecord {
            seq: 0,
            time: now,
            deal: Some(self.last_deal),
            cid: cause.cid.clone().unwrap_or_else(|| position.cid.clone()),
            ticket: position.ticket,
            symbol: position.symbol.clone(),
            side: deal.side,
            volume: deal.volume,
            price: deal.price,
            entry: deal.entry,
            reason: cause.reason,
            filling: cause.filling,
        };
        self.push_record(record);
    }

    fn record_order(
        &mut self,
        order: &PendingOrder,
        entry: RecordEntry,
        reason: DealReason,
        now: Millis,
    ) {
        let record = TradeRecord {
            seq: 0,
            time: now,
            deal: None,
            cid: order.cid.clone(),
            ticket: order.ticket,
            symbol: order.symbol.clone(),
            side: order.side,
            volume: order.volume,
            price: order.price,
            entry,
            reason,
            filling: (entry == RecordEntry::OrderPlaced).then_some(Filling::Return),
        };
        self.push_record(record);
    }

    fn push_record(&mut self, mut record: TradeRecord) {
        self.last_seq += 1;
        record.seq = self.last_seq;
        if self.history.len() >= HISTORY_RECORDS {
            self.history.pop_front();
        }
        self.history.push_back(record.clone());
        self.records.push(record);
    }

    fn mark_all(&mut self) {
        for i in 0..self.positions.len() {
            self.mark(i);
        }
    }

    fn mark(&mut self, i: usize) {
        let position = &self.positions[i];
        if let Some(m) = self.market_index(&position.symbol) {
            let market = &self.markets[m];
            let position = &mut self.positions[i];
            position.mark(&market.quote, &market.spec);
            position.profit = round_cents(position.profit);
        }
    }

    /// The commission of open positions is in the balance already; their swap is not yet.
    fn equity_and_margin(&self) -> (f64, f64) {
        let floating: f64 = self.positions.iter().map(|p| p.profit + p.swap).sum();
        let margin: f64 = self
            .positions
            .iter()
            .filter_map(|p| Some(self.market(&p.symbol)?.margin(p.volume, p.open_price)))
            .sum();
        // An empty float sum is -0.0, which would reach the wire as "margin":-0.0.
        (self.account.balance + floating, margin + 0.0)
    }

    fn refresh_account(&mut self) {
        let (equity, margin) = self.equity_and_margin();
        self.account.equity = round_cents(equity);
        self.account.margin = round_cents(margin);
        self.account.free_margin = round_cents(equity - margin);
    }

    /// Set how the symbol's server executes market deals and which filling modes its flags
    /// allow; its spec then reports the modes the EA derives from them.
    pub fn set_filling(
        &mut self,
        symbol: &str,
        execution: Execution,
        flags: FillingFlags,
    ) -> anyhow::Result<()> {
        let Some(i) = self.market_index(symbol) else {
            anyhow::bail!("the simulator has no symbol {symbol:?}");
        };
        let market = &mut self.markets[i];
        market.spec.execution = execution;
        market.spec.filling_modes = execution.filling_modes(flags.fok, flags.ioc);
        market.params.filling = flags;
        Ok(())
    }

    /// Set the symbol's freeze level, in points.
    pub fn set_freeze_level(&mut self, symbol: &str, points: u32) -> anyhow::Result<()> {
        let Some(i) = self.market_index(symbol) else {
            anyhow::bail!("the simulator has no symbol {symbol:?}");
        };
        self.markets[i].spec.freeze_level = points;
        Ok(())
    }

    fn take_ticket(&mut self) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket = self.next_ticket.saturating_add(1);
        ticket
    }

    fn market_index(&self, symbol: &str) -> Option<usize> {
        self.markets.iter().position(|m| m.spec.name == symbol)
    }

    fn market(&self, symbol: &str) -> Option<&Market> {
        self.markets.iter().find(|m| m.spec.name == symbol)
    }

    fn existing_market(&self, symbol: &str) -> Result<&Market, Reject> {
        self.market(symbol)
            .ok_or_else(|| Reject::invalid(format!("unknown symbol {symbol:?}")))
    }

    /// Whether a reloaded account is one this code can run: every book entry on a known symbol,
    /// usable prices, tickets that will not collide.
    fn check_consistency(&self) -> Result<(), String> {
        if let Some(m) = self.markets.iter().find(|m| !m.is_sane()) {
            return Err(format!(
                "symbol {} has unusable prices or specs",
                m.spec.name
            ));
        }
        let symbols = self.positions.iter().map(|p| (&p.symbol, p.ticket));
        let orders = self.orders.iter().map(|o| (&o.symbol, o.ticket));
        for (symbol, ticket) in symbols.chain(orders) {
            if self.market(symbol).is_none() {
                return Err(format!("ticket {ticket} is on unknown symbol {symbol:?}"));
            }
            if ticket >= self.next_ticket {
                return Err(format!(
                    "ticket {ticket} is not below the next ticket {}",
                    self.next_ticket
                ));
            }
        }
        if self.next_ticket >= u64::MAX / 2 {
            return Err(format!(
                "the next ticket {} is out of range",
                self.next_ticket
            ));
        }
        if !self.account.balance.is_finite() {
            return Err("the balance is not a number".to_string());
        }
        Ok(())
    }
}

/// The filling mode for a market deal: the first the spec lists (chosen up front, as the EA
/// does); if the server names it unsupported (10030), once more with the next.
fn choose_filling(market: &Market) -> Result<Filling, Reject> {
    let modes = &market.spec.filling_modes;
    let tried = modes.iter().take(2);
    if let Some(&filling) = tried.clone().find(|&&f| market.accepts(f, false)) {
        return Ok(filling);
    }
    let tried: Vec<String> = tried.map(|f| format!("{f:?}").to_uppercase()).collect();
    Err(Reject::new(
        RETCODE_FILLING,
        format!(
            "{} refuses the filling mode {} ({:?} execution)",
            market.spec.name,
            tried.join(", then "),
            market.spec.execution
        ),
    ))
}

/// What may be frozen: a position's SL and TP against its closing price, or a pending order's
/// price against the price it would open at.
struct Frozen {
    what: String,
    levels: [(&'static str, Option<f64>); 2],
    market: Reference,
}

impl Frozen {
    fn position(position: &Position, quote: &Quote) -> Self {
        Self {
            what: format!("position {}", position.ticket),
            levels: [("SL", position.sl), ("TP", position.tp)],
            market: position_reference(position.side, quote),
        }
    }

    fn order(order: &PendingOrder, quote: &Quote) -> Self {
        let what = match order.side {
            Side::Buy => "the ask",
            Side::Sell => "the bid",
        };
        Self {
            what: format!("order {}", order.ticket),
            levels: [("price", Some(order.price)), ("", None)],
            market: Reference {
                price: order.side.open_price(quote),
                what,
            },
        }
    }
}

/// 10029: the server refuses to touch what is closer to the market than the freeze level.
fn check_freeze(market: &Market, frozen: &Frozen) -> Result<(), Reject> {
    let spec = &market.spec;
    let limit = f64::from(spec.freeze_level) * spec.point;
    for (name, level) in frozen.levels {
        let Some(level) = level else { continue };
        if (level - frozen.market.price).abs() < limit - spec.point / 2.0 {
            return Err(Reject::new(
                RETCODE_FROZEN,
                format!(
                    "the {name} {} of {} is within {} points of {} {} (the freeze level)",
                    fmt_price(spec, level),
                    frozen.what,
                    spec.freeze_level,
                    frozen.market.what,
                    fmt_price(spec, frozen.market.price)
                ),
            ));
        }
    }
    Ok(())
}

/// A modify's answer: done, on the ticket it touched.
fn modified(ticket: u64) -> TradeOutcome {
    TradeOutcome::Done {
        ticket,
        price: None,
        volume: None,
    }
}

fn result(cid: &str, outcome: TradeOutcome) -> BrokerEvent {
    BrokerEvent::Result {
        cid: cid.to_string(),
        outcome,
    }
}

fn quote_event(market: &Market) -> BrokerEvent {
    BrokerEvent::Quote {
        symbol: market.spec.name.clone(),
        quote: market.quote,
    }
}

/// The price stops are measured from, named for the trader.
#[derive(Clone, Copy)]
struct Reference {
    price: f64,
    what: &'static str,
}

/// MT5 measures a position's SL and TP from the price it would close at: the bid for a buy, the
/// ask for a sell.
fn position_reference(side: Side, quote: &Quote) -> Reference {
    match side {
        Side::Buy => Reference {
            price: quote.bid,
            what: "the bid",
        },
        Side::Sell => Reference {
            price: quote.ask,
            what: "the ask",
        },
    }
}

fn check_volume(spec: &SymbolSpec, volume: f64) -> Result<f64, Reject> {
    let range = || {
        format!(
            "{} trades {} to {} lots in steps of {}",
            spec.name, spec.volume_min, spec.volume_max, spec.volume_step
        )
    };
    if !volume.is_finite() || volume <= 0.0 {
        return Err(Reject::volume(format!(
            "{volume} is not a volume; {}",
            range()
        )));
    }
    let steps = volume / spec.volume_step;
    let on_step = (steps - steps.round()).abs() < VOLUME_EPSILON * steps.max(1.0);
    let in_range =
        volume >= spec.volume_min - VOLUME_EPSILON && volume <= spec.volume_max + VOLUME_EPSILON;
    if !on_step || !in_range {
        return Err(Reject::volume(format!("{volume} lots; {}", range())));
    }
    Ok(round_volume(steps.round() * spec.volume_step))
}

fn check_partial_close(spec: &SymbolSpec, volume: f64, open: f64) -> Result<f64, Reject> {
    if volume.is_finite() && volume > open + VOLUME_EPSILON {
        return Err(Reject::volume(format!(
            "cannot close {volume} lots of a {open}-lot position"
        )));
    }
    let volume = check_volume(spec, volume)?.min(open);
    let rest = round_volume(open - volume);
    if rest > VOLUME_EPSILON && rest < spec.volume_min - VOLUME_EPSILON {
        return Err(Reject::volume(format!(
            "closing {volume} of {open} lots would leave {rest}, below the minimum {}",
            spec.volume_min
        )));
    }
    Ok(volume)
}

/// A pending order's price: given, sane, on the right side of the market and at least
/// `stops_level` away from it (MT5 uses the ask for buys and the bid for sells).
fn check_pending_price(
    market: &Market,
    side: Side,
    order_type: OrderType,
    price: Option<f64>,
) -> Result<f64, Reject> {
    let spec = &market.spec;
    let Some(price) = price else {
        return Err(Reject::price(format!("a {order_type} order needs a price")));
    };
    let quote = market.quote;
    let against = side.open_price(&quote);
    if !is_sane_price(price, against) {
        return Err(Reject::price(format!(
            "{price} is not a price for {}",
            spec.name
        )));
    }
    let price = spec.round_price(price);
    let min_distance = min_stop_distance(spec);
    let (wanted_above, what) = match side {
        Side::Buy => (order_type == OrderType::Stop, "the ask"),
        Side::Sell => (order_type == OrderType::Limit, "the bid"),
    };
    let distance = if wanted_above {
        price - against
    } else {
        against - price
    };
    if distance < min_distance - spec.point / 2.0 {
        let direction = if wanted_above { "above" } else { "below" };
        return Err(Reject::price(format!(
            "a {side} {order_type} at {} must be {direction} {what} {} by at least {} points",
            fmt_price(spec, price),
            fmt_price(spec, against),
            spec.stops_level.max(1)
        )));
    }
    Ok(price)
}

/// SL below and TP above the reference for a buy (the reverse for a sell), each at least
/// `stops_level` points away. `None` and `0` both mean "no stop", as in MT5.
fn check_stops(
    spec: &SymbolSpec,
    side: Side,
    reference: Reference,
    sl: Option<f64>,
    tp: Option<f64>,
) -> Result<(Option<f64>, Option<f64>), Reject> {
    let sl = check_stop_level(spec, side, reference, sl, "SL", false)?;
    let tp = check_stop_level(spec, side, reference, tp, "TP", true)?;
    Ok((sl, tp))
}

fn check_stop_level(
    spec: &SymbolSpec,
    side: Side,
    reference: Reference,
    level: Option<f64>,
    name: &str,
    in_profit_direction: bool,
) -> Result<Option<f64>, Reject> {
    let Some(level) = level.filter(|&l| l != 0.0) else {
        return Ok(None);
    };
    if !is_sane_price(level, reference.price) {
        return Err(Reject::stops(format!(
            "{name} {level} is not a price for {}",
            spec.name
        )));
    }
    let level = spec.round_price(level);
    let wanted_above = (side == Side::Buy) == in_profit_direction;
    let distance = if wanted_above {
        level - reference.price
    } else {
        reference.price - level
    };
    if distance < min_stop_distance(spec) - spec.point / 2.0 {
        let direction = if wanted_above { "above" } else { "below" };
        return Err(Reject::stops(format!(
            "the {name} {} of a {side} must be {direction} {} {} by at least {} points",
            fmt_price(spec, level),
            reference.what,
            fmt_price(spec, reference.price),
            spec.stops_level.max(1)
        )));
    }
    Ok(Some(level))
}

/// The stops level, but never zero: a stop at the market price would trigger at once.
fn min_stop_distance(spec: &SymbolSpec) -> f64 {
    f64::from(spec.stops_level.max(1)) * spec.point
}

fn is_sane_price(price: f64, market: f64) -> bool {
    price.is_finite() && price > 0.0 && price <= market * PRICE_SANITY_FACTOR
}

fn is_triggered(order: &PendingOrder, market_price: f64) -> bool {
    match (order.side, order.order_type) {
        (Side::Buy, OrderType::Limit) | (Side::Sell, OrderType::Stop) => {
            market_price <= order.price
        }
        (Side::Buy, OrderType::Stop) | (Side::Sell, OrderType::Limit) => {
            market_price >= order.price
        }
        (_, OrderType::Market) => true,
    }
}

/// Whether the market reached the position's SL or TP, and at what price it closes: a stop
/// passed through fills at its level, a gapped one at the worse market price; a target fills at
/// its level. A buy is watched on the bid, a sell on the ask.
fn stop_hit(position: &Position, market: &Market) -> Option<(CloseReason, f64)> {
    let price = position.side.close_price(&market.quote);
    let sign = position.side.sign();
    if let Some(sl) = position.sl {
        let overshoot = sign * (sl - price);
        if overshoot >= 0.0 {
            let fill = if overshoot <= market.gap() { sl } else { price };
            return Some((CloseReason::StopLoss, fill));
        }
    }
    if let Some(tp) = position.tp
        && sign * (price - tp) >= 0.0
    {
        return Some((CloseReason::TakeProfit, tp));
    }
    None
}

fn net(position: &Position, fill: &Fill) -> Netting {
    if position.side == fill.side {
        let volume = round_volume(position.volume + fill.volume);
        let average = (position.open_price * position.volume + fill.price * fill.volume) / volume;
        // MT5 shows a netted average with a few more digits than the symbol quotes.
        let open_price = round_decimals(average, 8);
        Netting::Add { volume, open_price }
    } else if (fill.volume - position.volume).abs() < VOLUME_EPSILON {
        Netting::Close
    } else if fill.volume < position.volume {
        Netting::Reduce
    } else {
        Netting::Reverse {
            volume: round_volume(fill.volume - position.volume),
        }
    }
}

fn opposite(side: Side) -> Side {
    match side {
        Side::Buy => Side::Sell,
        Side::Sell => Side::Buy,
    }
}

fn fmt_price(spec: &SymbolSpec, price: f64) -> String {
    format!("{:.*}", spec.digits as usize, price)
}

fn round_cents(x: f64) -> f64 {
    round_decimals(x, 2)
}

/// Lot arithmetic in binary floats drifts (0.1 + 0.2); volumes are kept to 8 decimals.
fn round_volume(x: f64) -> f64 {
    round_decimals(x, 8)
}

/// The nearest `f64` to a decimal with this many places. Every number the account stores is kept
/// this short, because serde_json (without its `float_roundtrip` feature) may read a 17-digit
/// decimal back one ulp off, and a reloaded account must continue exactly as the saved one would.
pub(super) fn round_decimals(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The answers to the most recent cids, oldest first, so a resent request is answered, not redone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Vec<Answer>", into = "Vec<Answer>")]
struct CidMemory {
    order: VecDeque<String>,
    outcomes: HashMap<String, TradeOutcome>,
    /// The cids of modifies, closes and cancels: `query` finds them as deals, not as the
    /// position or order they touched.
    touches: HashSet<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Answer {
    cid: String,
    outcome: TradeOutcome,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    touch: bool,
}

impl CidMemory {
    fn get(&self, cid: &str) -> Option<&TradeOutcome> {
        self.outcomes.get(cid)
    }

    fn touched(&self, cid: &str) -> bool {
        self.touches.contains(cid)
    }

    /// An empty cid is a terminal-side request, not ours: nothing to deduplicate against.
    /// `touch`: the request modified, closed or cancelled something rather than placing it.
    fn remember(&mut self, cid: &str, outcome: &TradeOutcome, touch: bool) {
        if cid.is_empty() || self.outcomes.contains_key(cid) {
            return;
        }
        while self.order.len() >= REMEMBERED_CIDS {
            if let Some(oldest) = self.order.pop_front() {
                self.outcomes.remove(&oldest);
                self.touches.remove(&oldest);
            }
        }
        self.order.push_back(cid.to_string());
        self.outcomes.insert(cid.to_string(), outcome.clone());
        if touch {
            self.touches.insert(cid.to_string());
        }
    }
}

impl From<Vec<Answer>> for CidMemory {
    fn from(answers: Vec<Answer>) -> Self {
        let mut memory = CidMemory::default();
        for answer in answers {
            memory.remember(&answer.cid, &answer.outcome, answer.touch);
        }
        memory
    }
}

impl From<CidMemory> for Vec<Answer> {
    fn from(memory: CidMemory) -> Self {
        let CidMemory {
            order,
            mut outcomes,
            touches,
        } = memory;
        order
            .into_iter()
            .filter_map(|cid| {
                let outcome = outcomes.remove(&cid)?;
                let touch = touches.contains(&cid);
                Some(Answer {
                    cid,
                    outcome,
                    touch,
                })
            })
            .collect()
    }
}
