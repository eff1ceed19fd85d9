//! Reading a channel message into a [`Parsed`] signal.
//!
//! A minimal but careful English parser: it reads the demo feed's formats and the common ways
//! signal channels write an open (symbol, side, entry or zone, SL, TPs) and its follow-ups (move
//! the stop, new target, close, cancel). It refuses rather than guesses: results, promotions,
//! analysis and anything that is not clearly a trade instruction come back as
//! [`SignalKind::None`], and an open with levels that contradict each other gets a confidence
//! below 0.5. Every field's rule is named in `trace`.
//!
//! Never panics, whatever the input; regexes are compiled once.

mod followup;
mod numbers;
mod symbols;

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Entry, OrderType, Parsed, Side, SignalKind, StopLoss, Target};

pub use numbers::format_price;
pub use symbols::canonical_symbol;

use followup::FollowUp;
use numbers::read_numbers;
use symbols::{SYMBOL_ALTS, SymbolHit, canonical, ends_word};

/// Longer messages are not read at all (a signal is a few hundred bytes).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Confidence at or above which an open is complete and self-consistent.
pub const CONFIDENT: f64 = 0.5;

/// Read one message.
pub fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    if text.len() > MAX_MESSAGE_BYTES {
        p.trace.push(format!(
            "kind: none — message too long ({} bytes > {MAX_MESSAGE_BYTES})",
            text.len()
        ));
        return p;
    }
    let text = normalize(text);
    if text.trim().is_empty() {
        p.trace.push("kind: none — empty message".to_string());
        return p;
    }
    let open = read_open(&text);

    if let Some(wording) = followup::breakeven_result(&text) {
        return none(p, format!("result report (breakeven: '{wording}')"));
    }
    if let Some(wording) = followup::negated(&text) {
        return none(p, format!("negated instruction ('{wording}')"));
    }
    let follow_ups = followup::find(&text);
    if !follow_ups.is_empty() {
        if open.is_complete() && !open.restates(&follow_ups) {
            return none(
                p,
                "ambiguous — a complete open ticket that also gives a management instruction"
                    .to_string(),
            );
        }
        if !open.is_complete() {
            return read_follow_up(p, &open, follow_ups);
        }
    }
    open.into_parsed(p, &text)
}

fn none(mut p: Parsed, reason: String) -> Parsed {
    p.kind = SignalKind::None;
    p.confidence = 0.0;
    p.trace.push(format!("kind: none — {reason}"));
    p
}

/// Plain text: one line break style, no Telegram markdown, no exotic spaces or dashes.
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '*' | '`' => {}
            '_' | '~' | '|' => out.push(' '),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{ff20}' => out.push('@'),
            '\u{ff08}' => out.push('('),
            '\u{ff09}' => out.push(')'),
            '\u{ff1a}' => out.push(':'),
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Follow-ups

fn read_follow_up(mut p: Parsed, open: &OpenReading, follow_ups: Vec<FollowUp>) -> Parsed {
    let closes = follow_ups
        .iter()
        .filter(|f| matches!(f, FollowUp::Close { .. }))
        .count();
    if closes > 0 && closes < follow_ups.len() {
        return none(
            p,
            "two instructions at once (close and modify) — not acted on".to_string(),
        );
    }
    if let Some(hit) = open.symbols.first() {
        p.symbol = Some(hit.canonical.clone());
        p.trace.push(symbol_trace(hit));
    }
    if let [(side, raw)] = open.sides.as_slice() {
        p.side = Some(*side);
        p.trace.push(format!("side: word {raw}"));
    }
    for f in follow_ups {
        match f {
            FollowUp::Breakeven { wording } => {
                p.kind = SignalKind::Modify;
                p.sl = Some(StopLoss::Breakeven);
                p.trace
                    .push(format!("kind: modify — sl to breakeven ('{wording}')"));
            }
            FollowUp::StopTo {
                price,
                pips,
                wording,
            } => {
                p.kind = SignalKind::Modify;
                p.sl = Some(if pips {
                    StopLoss::Pips { pips: price }
                } else {
                    StopLoss::Price(price)
                });
                p.trace.push(format!("kind: modify — new sl ('{wording}')"));
            }
            FollowUp::TargetTo { price, wording } => {
                p.kind = SignalKind::Modify;
                p.tp = vec![Target::Price(price)];
                p.trace.push(format!("kind: modify — new tp ('{wording}')"));
            }
            FollowUp::Close { fraction, wording } => {
                p.kind = SignalKind::Close;
                p.fraction = fraction;
                match fraction {
                    Some(f) => p
                        .trace
                        .push(format!("kind: close — fraction {f} ('{wording}')")),
                    None => p.trace.push(format!(
                        "kind: close — partial, no amount given ('{wording}')"
                    )),
                }
            }
        }
    }
    p.confidence = if p.symbol.is_some() { 0.95 } else { 0.9 };
    p
}

// ---------------------------------------------------------------------------------------------
// Opens: a token stream read by a small state machine.

static TOKEN_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<nl>\n)|(?P<num>\d+(?:[.,]\d+)*)|(?P<sym>{SYMBOL_ALTS})|(?P<term>\b(?:long|short)[ -]*term\b)|(?P<sl>\bstop[ ]*[/-]?[ ]*loss(?:es)?\b|\bs[ ]*/[ ]*l\b|\bs\.[ ]*l\.?)|(?P<tp>\btake[ ]*-?[ ]*profits?\b|\bt[ ]*/[ ]*p\b|\bt\.[ ]*p\.?)|(?P<at>@)|(?P<pct>%)|(?P<word>\p{{L}}[\p{{L}}\p{{N}}'’]*)"
    ))
    .ok()
});

/// Results: a trade that already happened.
static RESULT_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:hit|hits|smashed|reached|done|booked|secured|banked|triggered|activated|filled|closed|running|recap|results?|congrats?|congratulations)\b|\bstopped[ ]+out\b|\bin[ ]+profit\b|\bpips?[ ]+(?:profit|gained|banked|secured|running|done)\b").ok()
});

/// "+40 pips": a result unless the message is a full ticket (some write pip distances next to TPs).
static PIP_GAIN_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\+[ ]*\d+(?:[.,]\d+)?[ ]*(?:pips?|points?|pts)\b").ok());

static PROMO_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:join|vip|subscribe|subscription|membership|premium|discount|offer|promo\w*|dm|inbox|whatsapp|contact)\b|t\.me/|https?://").ok()
});

/// Reports about a trade already running ("Trailing Stop Tightened").
static UPDATE_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:tightened|trailing[ ]+stop|updated?|position:)").ok());

/// Heads-ups, analysis and conditions: not an order to trade now.
static HEDGE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:wait(?:ing)?[ ]+for|looking[ ]+(?:for|to|at)|look[ ]+for|get[ ]+ready|be[ ]+ready|stay[ ]+tuned|coming[ ]+soon|soon|watch(?:ing)?|might|maybe|possibl[ey]|could|analysis|outlook|heads[ -]+up|prepare|if[ ]+(?:price|we|it|the|gold|market)|expect(?:ing|ed)?|bias|idea|setup[ ]+forming)\b").ok()
});

fn first_match(re: &LazyLock<Option<Regex>>, text: &str) -> Option<String> {
    re.as_ref()?.find(text).map(|m| m.as_str().to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Nothing,
    Entry,
    Sl,
    Tp,
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Side(Side),
    Limit,
    Stop,
    Sl,
    Tp,
    /// `entry`, `enter`: always starts the entry.
    Entry,
    /// `at`, `from`, `zone`, `price`: an entry only when no SL/TP is being read.
    EntryWeak,
    Market,
    Pips,
    Ignore,
    Open,
    Other,
}

fn classify(lower: &str) -> Word {
    match lower {
        "buy" => Word::Side(Side::Buy),
        "long" => Word::Side(Side::Buy),
        "sell" | "short" => Word::Side(Side::Sell),
        "limit" => Word::Limit,
        "stop" => Word::Stop,
        "sl" | "stoploss" | "stops" => Word::Sl,
        "tp" | "tps" | "target" | "targets" | "tgt" | "takeprofit" => Word::Tp,
        "entry" | "entries" | "enter" => Word::Entry,
        "at" | "from" | "zone" | "price" => Word::EntryWeak,
        "now" | "cmp" | "market" | "instant" | "immediately" => Word::Market,
        "pip" | "pips" | "point" | "points" | "pts" | "p" => Word::Pips,
        "lot" | "lots" | "lotsize" | "risk" | "leverage" | "rr" | "ratio" | "signal"
        | "timeframe" | "time" | "expiry" | "date" | "balance" | "volume" | "tf" | "no"
        | "account" | "capital" | "hour" | "hours" | "min" | "mins" | "minutes" | "day"
        | "days" | "week" | "member" | "members" | "trade" | "trades" => Word::Ignore,
        "open" | "hold" | "runner" | "trailing" | "trail" => Word::Open,
        _ => Word::Other,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Nl,
    Num(String),
    Sym(SymbolHit),
    Sl,
    Tp,
    At,
    Pct,
    Term,
    /// A word, its class, and digits glued to its end (`TP1`, `sl4140`).
    Word(Word, String, Option<String>),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
    start: usize,
    end: usize,
}

fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (i, c) in text.get(start..).unwrap_or("").char_indices() {
        if c.is_alphanumeric() {
            end = start + i + c.len_utf8();
        } else {
            break;
        }
    }
    end.max(start + 1).min(text.len())
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let Some(re) = TOKEN_RE.as_ref() else {
        return out;
    };
    let mut pos = 0;
    let mut line = 0;
    while pos < text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let Some(m) = caps.get(0) else { break };
        let (start, mut end) = (m.start(), m.end());
        let tok = if caps.name("nl").is_some() {
            Tok::Nl
        } else if caps.name("num").is_some() {
            Tok::Num(m.as_str().to_string())
        } else if caps.name("sym").is_some() {
            match canonical(m.as_str()) {
                Some(c) if ends_word(text, end) => Tok::Sym(SymbolHit {
                    canonical: c,
                    raw: m.as_str().to_string(),
                    start,
                    end,
                }),
                _ => {
                    end = word_end(text, start);
                    let w = text.get(start..end).unwrap_or("");
                    word_token(w)
                }
            }
        } else if caps.name("term").is_some() {
            Tok::Term
        } else if caps.name("sl").is_some() {
            Tok::Sl
        } else if caps.name("tp").is_some() {
            Tok::Tp
        } else if caps.name("at").is_some() {
            Tok::At
        } else if caps.name("pct").is_some() {
            Tok::Pct
        } else {
            word_token(m.as_str())
        };
        if end <= pos {
            // An empty match cannot happen with these patterns; never loop forever anyway.
            end = pos
                + text
                    .get(pos..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8);
        }
        let is_nl = tok == Tok::Nl;
        out.push(Token {
            tok,
            line,
            start,
            end,
        });
        if is_nl {
            line += 1;
        }
        pos = end;
    }
    out
}

fn word_token(w: &str) -> Tok {
    let lower = w.to_lowercase();
    let split = lower
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(lower.len(), |(i, _)| i);
    let (prefix, digits) = lower.split_at(split);
    if digits.is_empty() {
        return Tok::Word(classify(prefix), w.to_string(), None);
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        let class = classify(prefix);
        if matches!(class, Word::Sl | Word::Tp | Word::Entry) {
            return Tok::Word(class, w.to_string(), Some(digits.to_string()));
        }
    }
    Tok::Word(Word::Other, w.to_string(), None)
}

/// What the token stream says about an open.
#[derive(Debug, Default)]
struct OpenReading {
    symbols: Vec<SymbolHit>,
    sides: Vec<(Side, String)>,
    order: Option<(OrderType, String)>,
    market: Option<String>,
    entries: Vec<(f64, usize)>,
    sl: Option<(StopLoss, usize)>,
    tps: Vec<(Target, usize)>,
    /// More than one SL number: which one is meant is unclear.
    sl_extra: bool,
    notes: Vec<String>,
}

impl OpenReading {
    fn distinct_sides(&self) -> usize {
        let buy = self.sides.iter().any(|(s, _)| *s == Side::Buy);
        let sell = self.sides.iter().any(|(s, _)| *s == Side::Sell);
        usize::from(buy) + usize::from(sell)
    }

    /// Symbol, one side, a stop and a target: a full ticket.
    fn is_complete(&self) -> bool {
        !self.symbols.is_empty()
            && self.distinct_sides() == 1
            && self.sl.is_some()
            && !self.tps.is_empty()
    }

    /// Whether the "follow-ups" found only repeat this ticket's own levels ("Set SL 4140").
    fn restates(&self, follow_ups: &[FollowUp]) -> bool {
        follow_ups.iter().all(|f| match f {
            FollowUp::StopTo { price, .. } => {
                matches!(self.sl, Some((StopLoss::Price(p), _)) if p == *price)
            }
            FollowUp::TargetTo { price, .. } => self
                .tps
                .iter()
                .any(|(t, _)| matches!(t, Target::Price(p) if p == price)),
            _ => false,
        })
    }

    fn into_parsed(self, mut p: Parsed, text: &str) -> Parsed {
        if let Some(w) = first_match(&RESULT_RE, text) {
            return none(p, format!("result report ('{w}')"));
        }
        if self.sl.is_none()
            && let Some(w) = first_match(&PIP_GAIN_RE, text)
        {
            return none(p, format!("result report ('{w}')"));
        }
        if !self.is_complete()
            && let Some(w) = first_match(&PROMO_RE, text)
        {
            return none(p, format!("promotion ('{w}')"));
        }
        if let Some(w) = first_match(&HEDGE_RE, text) {
            return none(p, format!("heads-up or analysis ('{w}'), not an order"));
        }
        if !self.is_complete()
            && let Some(w) = first_match(&UPDATE_RE, text)
        {
            return none(
                p,
                format!("update to an earlier trade ('{w}'), not an open"),
            );
        }
        if !self.is_complete() && text.contains('?') {
            return none(p, "a question, not an order".to_string());
        }
        let Some(hit) = self.symbols.first() else {
            return none(p, "no symbol".to_string());
        };
        if self.sides.is_empty() {
            return none(p, "no buy/sell/long/short".to_string());
        }
        if self.distinct_sides() > 1 {
            return none(p, "both buy and sell mentioned".to_string());
        }
        let bare = self.entries.is_empty() && self.sl.is_none() && self.tps.is_empty();
        if bare && self.market.is_none() {
            return none(p, "a direction without levels or 'now'".to_string());
        }
        if bare && text.split_whitespace().count() > 8 {
            return none(
                p,
                "a direction without levels inside a longer text — not a call".to_string(),
            );
        }

        let lines: Vec<&str> = text.split('\n').collect();
        let line_of = |i: usize| -> String {
            let l = lines.get(i).copied().unwrap_or("").trim();
            let short: String = l.chars().take(60).collect();
            if short.len() < l.len() {
                format!("{short}…")
            } else {
                short
            }
        };

        p.kind = SignalKind::Open;
        p.trace
            .push("kind: open — symbol, side and levels".to_string());
        p.symbol = Some(hit.canonical.clone());
        p.trace.push(symbol_trace(hit));
        let mut flagged = false;
        if let Some(other) = self.symbols.iter().find(|h| h.canonical != hit.canonical) {
            p.trace.push(format!(
                "symbol: also mentions {} — which one is unclear",
                other.canonical
            ));
            flagged = true;
        }
        let (side, side_raw) = &self.sides[0];
        let side = *side;
        p.side = Some(side);
        p.trace.push(format!("side: word {side_raw}"));

        let order = match &self.order {
            Some((o, raw)) => {
                p.trace.push(format!("order: words '{raw}' → {o}"));
                *o
            }
            None => {
                match &self.market {
                    Some(w) => p.trace.push(format!("order: market (word '{w}')")),
                    None => p
                        .trace
                        .push("order: market (no limit/stop word)".to_string()),
                }
                OrderType::Market
            }
        };
        p.order = Some(order);

        // Entry: one price or a zone.
        let mut entries: Vec<f64> = self.entries.iter().map(|(v, _)| *v).collect();
        if entries.len() > 2 {
            p.trace.push(format!(
                "entry: {} numbers where one or two were expected — using the first two",
                entries.len()
            ));
            entries.truncate(2);
            flagged = true;
        }
        let entry_line = self.entries.first().map(|(_, l)| line_of(*l));
        p.entry = match entries.as_slice() {
            [] => {
                if order == OrderType::Market {
                    p.trace
                        .push("entry: none — market at the current price".to_string());
                } else {
                    p.trace.push(format!("entry: missing for a {order} order"));
                    flagged = true;
                }
                None
            }
            [a] => {
                p.trace.push(format!(
                    "entry: price in line '{}'",
                    entry_line.unwrap_or_default()
                ));
                Some(Entry::Price(*a))
            }
            [a, b, ..] => {
                let (lo, hi) = if a <= b { (*a, *b) } else { (*b, *a) };
                if lo == hi {
                    p.trace.push(format!(
                        "entry: degenerate zone in line '{}' → one price",
                        entry_line.unwrap_or_default()
                    ));
                    Some(Entry::Price(lo))
                } else {
                    p.trace.push(format!(
                        "entry: zone in line '{}'",
                        entry_line.unwrap_or_default()
                    ));
                    if (hi - lo) / hi > 0.05 {
                        p.trace
                            .push("entry: zone wider than 5% — implausible".to_string());
                        flagged = true;
                    }
                    Some(Entry::Zone([lo, hi]))
                }
            }
        };

        // A reference price to judge the other levels by.
        let reference = p
            .entry
            .map(|e| e.reference())
            .or(match self.sl {
                Some((StopLoss::Price(v), _)) => Some(v),
                _ => None,
            })
            .or(self.tps.iter().find_map(|(t, _)| match t {
                Target::Price(v) => Some(*v),
                Target::Pips { .. } => None,
            }));
        let far = |v: f64| reference.is_some_and(|r| v / r > 2.0 || v / r < 0.5);

        let mut sl = self.sl;
        if let Some((StopLoss::Price(v), line)) = sl
            && far(v)
        {
            p.trace.push(format!(
                "sl: dropped {v} in line '{}' — far from the entry",
                line_of(line)
            ));
            sl = None;
            flagged = true;
        }
        if let Some((s, line)) = sl {
            p.trace.push(match s {
                StopLoss::Pips { pips } => format!("sl: {pips} pips in line '{}'", line_of(line)),
                _ => format!("sl: line '{}'", line_of(line)),
            });
            p.sl = Some(s);
        } else {
            p.trace.push("sl: none given".to_string());
        }

        let mut last_line = None;
        for (t, line) in self.tps {
            if let Target::Price(v) = t
                && far(v)
            {
                p.trace.push(format!(
                    "tp: dropped {v} in line '{}' — far from the entry",
                    line_of(line)
                ));
                continue;
            }
            if last_line != Some(line) {
                p.trace.push(format!("tp: line '{}'", line_of(line)));
                last_line = Some(line);
            }
            p.tp.push(t);
        }
        for n in self.notes {
            p.trace.push(n);
        }
        flagged |= self.sl_extra;

        flagged |= check_levels(&mut p, side);

        let mut confidence: f64 = 0.6;
        if p.sl.is_some() {
            confidence += 0.2;
        }
        if !p.tp.is_empty() {
            confidence += 0.15;
        }
        if p.entry.is_some() || self.market.is_some() {
            confidence += 0.05;
        }
        if flagged {
            confidence = confidence.min(0.4);
        }
        p.confidence = confidence.clamp(0.0, 1.0);
        p
    }
}

fn symbol_trace(hit: &SymbolHit) -> String {
    let raw_key: String = hit
        .raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    if raw_key == hit.canonical {
        format!("symbol: word {}", hit.raw)
    } else {
        format!("symbol: alias {} → {}", hit.raw, hit.canonical)
    }
}

/// SL and TPs on the right side of the entry, TPs in order. Returns whether anything was wrong.
fn check_levels(p: &mut Parsed, side: Side) -> bool {
    let s = side.sign();
    let (lo, hi) = match p.entry {
        Some(Entry::Price(v)) => (Some(v), Some(v)),
        Some(Entry::Zone([a, b])) => (Some(a), Some(b)),
        None => (None, None),
    };
    // The entry edge a level is measured from: for a buy the SL sits below the low, TPs above the high.
    let (sl_edge, tp_edge) = match side {
        Side::Buy => (lo, hi),
        Side::Sell => (hi, lo),
    };
    let mut wrong = false;
    let sl_price = match p.sl {
        Some(StopLoss::Price(v)) => Some(v),
        _ => None,
    };
    if let (Some(sl), Some(edge)) = (sl_price, sl_edge)
        && s * (edge - sl) <= 0.0
    {
        p.trace.push(format!(
            "sl: {sl} is on the wrong side of the entry for a {side}"
        ));
        wrong = true;
    }
    let prices: Vec<f64> =
        p.tp.iter()
            .filter_map(|t| match t {
                Target::Price(v) => Some(*v),
                Target::Pips { .. } => None,
            })
            .collect();
    for &tp in &prices {
        if let Some(edge) = tp_edge
            && s * (tp - edge) <= 0.0
        {
            p.trace.push(format!(
                "tp: {tp} is on the wrong side of the entry for a {side}"
            ));
            wrong = true;
        }
        if let Some(sl) = sl_price
            && s * (tp - sl) <= 0.0
        {
            p.trace.push(format!(
                "tp: {tp} is beyond the stop loss {sl} for a {side}"
            ));
            wrong = true;
        }
    }
    if prices.windows(2).any(|w| s * (w[1] - w[0]) <= 0.0) {
        p.trace.push("tp: targets out of order".to_string());
        wrong = true;
    }
    if let Some(StopLoss::Pips { pips }) = p.sl
        && !(pips > 0.0 && pips < 10_000.0)
    {
        p.trace.push(format!("sl: {pips} pips is implausible"));
        wrong = true;
    }
    wrong
}

fn read_open(text: &str) -> OpenReading {
    let toks = tokenize(text);
    let mut r = OpenReading::default();
    let mut ctx = Ctx::Nothing;
    // Values read since the last label: a pip distance only counts right after its label.
    let mut since_label = 0usize;
    let mut prev_nl = false;

    let next_on_line =
        |i: usize| -> Option<&Token> { toks.get(i + 1).filter(|t| t.tok != Tok::Nl) };

    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match &t.tok {
            Tok::Nl => {
                if ctx == Ctx::Ignore {
                    ctx = Ctx::Nothing;
                }
                // A blank line after a label's values ends that label ("TP 4170\n\nGood luck").
                if prev_nl && since_label > 0 && matches!(ctx, Ctx::Tp | Ctx::Sl | Ctx::Entry) {
                    ctx = Ctx::Nothing;
                }
                prev_nl = true;
                i += 1;
                continue;
            }
            Tok::Term | Tok::Pct => {}
            Tok::Sym(hit) => {
                r.symbols.push(hit.clone());
                if matches!(ctx, Ctx::Nothing | Ctx::Ignore) {
                    set_label(&mut ctx, Ctx::Entry, &mut since_label);
                }
            }
            Tok::Sl => set_label(&mut ctx, Ctx::Sl, &mut since_label),
            Tok::Tp => set_label(&mut ctx, Ctx::Tp, &mut since_label),
            Tok::At => {
                if matches!(ctx, Ctx::Nothing | Ctx::Ignore | Ctx::Entry) {
                    set_label(&mut ctx, Ctx::Entry, &mut since_label);
                }
            }
            Tok::Word(word, raw, digits) => {
                match word {
                    Word::Side(side) => {
                        let next = next_on_line(i);
                        let prev = i.checked_sub(1).and_then(|j| toks.get(j));
                        let next_word = match next.map(|n| &n.tok) {
                            Some(Tok::Word(w @ (Word::Limit | Word::Stop), nraw, _)) => {
                                Some((*w, nraw.clone()))
                            }
                            _ => None,
                        };
                        let prev_word = match prev.map(|n| &n.tok) {
                            Some(Tok::Word(w @ (Word::Limit | Word::Stop), praw, _)) => {
                                Some((*w, praw.clone()))
                            }
                            _ => None,
                        };
                        if let Some((w, nraw)) = next_word {
                            r.order = Some((order_of(w), format!("{raw} {nraw}")));
                            i += 1;
                        } else if let Some((w, praw)) = prev_word {
                            r.order = Some((order_of(w), format!("{praw} {raw}")));
                        }
                        r.sides.push((*side, raw.clone()));
                        set_label(&mut ctx, Ctx::Entry, &mut since_label);
                    }
                    Word::Stop => {
                        let next_is_side = matches!(
                            next_on_line(i).map(|n| &n.tok),
                            Some(Tok::Word(Word::Side(_), _, _))
                        );
                        if !next_is_side {
                            set_label(&mut ctx, Ctx::Sl, &mut since_label);
                        }
                    }
                    Word::Limit => {}
                    Word::Sl => set_label(&mut ctx, Ctx::Sl, &mut since_label),
                    Word::Tp => {
                        // "Entry Target @4235": the target of the entry, not a take profit.
                        let after_entry = i
                            .checked_sub(1)
                            .and_then(|j| toks.get(j))
                            .is_some_and(|p| matches!(p.tok, Tok::Word(Word::Entry, _, _)));
                        if !after_entry {
                            set_label(&mut ctx, Ctx::Tp, &mut since_label);
                        }
                    }
                    Word::Entry => set_label(&mut ctx, Ctx::Entry, &mut since_label),
                    Word::EntryWeak => {
                        if matches!(ctx, Ctx::Nothing | Ctx::Ignore | Ctx::Entry) {
                            set_label(&mut ctx, Ctx::Entry, &mut since_label);
                        }
                    }
                    Word::Market => {
                        r.market.get_or_insert_with(|| raw.clone());
                        if matches!(ctx, Ctx::Nothing | Ctx::Ignore | Ctx::Entry) {
                            set_label(&mut ctx, Ctx::Entry, &mut since_label);
                        }
                    }
                    Word::Ignore => set_label(&mut ctx, Ctx::Ignore, &mut since_label),
                    Word::Open => {
                        if ctx == Ctx::Tp && since_label == 0 {
                            r.notes.push(format!("tp: '{raw}' skipped (no price)"));
                        }
                    }
                    Word::Pips | Word::Other => {}
                }
                // Digits glued to a label: `TP1` is an index, `sl4140` a price.
                if let Some(d) = digits
                    && d.len() > 1
                {
                    assign(&mut r, ctx, &read_numbers(d), t.line, &mut since_label);
                }
            }
            Tok::Num(run) => {
                let next = next_on_line(i);
                let glued_word = next
                    .filter(|n| n.start == t.end)
                    .and_then(|n| match &n.tok {
                        Tok::Word(w, _, _) => Some(*w),
                        _ => None,
                    });
                let spaced_unit = next.and_then(|n| match &n.tok {
                    Tok::Word(Word::Pips, _, _) => Some(true),
                    Tok::Pct => Some(false),
                    _ => None,
                });
                let values = read_numbers(run);
                match (glued_word, spaced_unit) {
                    (Some(Word::Pips), _) | (None, Some(true)) => {
                        pips(&mut r, ctx, &values, t.line, since_label);
                        since_label += 1;
                        i += 2;
                        prev_nl = false;
                        continue;
                    }
                    (None, Some(false)) => {
                        // A percentage: position sizing or a partial, never a level.
                        i += 2;
                        prev_nl = false;
                        continue;
                    }
                    (Some(_), _) => {
                        // `15M`, `1st`, `4H`: a unit or an ordinal, not a price.
                    }
                    (None, None) => {
                        let lone_digit = run.len() == 1 && run != "0";
                        let index_like = lone_digit
                            && next.is_some_and(|n| {
                                matches!(
                                    n.tok,
                                    Tok::Num(_)
                                        | Tok::Sl
                                        | Tok::Tp
                                        | Tok::At
                                        | Tok::Sym(_)
                                        | Tok::Word(
                                            Word::Side(_)
                                                | Word::Sl
                                                | Word::Tp
                                                | Word::Entry
                                                | Word::Stop,
                                            _,
                                            _
                                        )
                                )
                            });
                        if !index_like {
                            assign(&mut r, ctx, &values, t.line, &mut since_label);
                        }
                    }
                }
            }
        }
        prev_nl = false;
        i += 1;
    }
    r
}

fn set_label(ctx: &mut Ctx, to: Ctx, since_label: &mut usize) {
    *ctx = to;
    *since_label = 0;
}

fn order_of(w: Word) -> OrderType {
    if w == Word::Limit {
        OrderType::Limit
    } else {
        OrderType::Stop
    }
}

fn assign(r: &mut OpenReading, ctx: Ctx, values: &[f64], line: usize, since_label: &mut usize) {
    for &v in values {
        match ctx {
            Ctx::Entry => r.entries.push((v, line)),
            Ctx::Sl => {
                if r.sl.is_none() {
                    r.sl = Some((StopLoss::Price(v), line));
                } else {
                    r.notes
                        .push(format!("sl: extra number {v} ignored (line {})", line + 1));
                    r.sl_extra = true;
                }
            }
            Ctx::Tp => r.tps.push((Target::Price(v), line)),
            Ctx::Nothing | Ctx::Ignore => continue,
        }
        *since_label += 1;
    }
}

fn pips(r: &mut OpenReading, ctx: Ctx, values: &[f64], line: usize, since_label: usize) {
    let Some(&v) = values.first() else { return };
    if since_label > 0 {
        return; // "TP1: 4368 (+100 pips)": a note on the price before it.
    }
    match ctx {
        Ctx::Sl if r.sl.is_none() => r.sl = Some((StopLoss::Pips { pips: v }, line)),
        Ctx::Tp => r.tps.push((Target::Pips { pips: v }, line)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
