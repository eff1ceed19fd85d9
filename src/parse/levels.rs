//! The levels of an open: a small state machine over the token stream (a label sets the context,
//! the numbers after it are its values), then the checks that make a reading plausible.

use crate::model::{Entry, OrderType, Parsed, Side, SignalKind, StopLoss, Target};

use super::lexicon::{Class, Lang};
use super::numbers::{Numbers, read_numbers, read_numbers_with};
use super::symbols::{How, SymbolHit};
use super::tokens::{Kind, Lexed, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Nothing,
    Entry,
    Sl,
    Tp,
    Ignore,
}

/// A take-profit as read, with the reading of `TP 3.4408` as "TP3 4408" kept aside.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tp {
    pub target: Target,
    pub line: usize,
    pub alt: Option<f64>,
    /// A number the lexer joined across spaces (`154 160 168`, `2 150.40`): its byte span, for
    /// reading its groups apart when the joined value does not fit the trade.
    pub spaced: Option<(usize, usize)>,
}

/// A side word as written, for the trace: `SELL`, `продажа (Ru)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SideWord<'a> {
    pub side: Side,
    pub raw: &'a str,
    pub lang: Option<Lang>,
}

impl std::fmt::Display for SideWord<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.lang {
            Some(lang) if lang != Lang::En => write!(f, "{} ({lang:?})", self.raw),
            _ => f.write_str(self.raw),
        }
    }
}

/// What the token stream says about an open; its words are borrowed from the message.
#[derive(Debug, Default)]
pub(crate) struct OpenReading<'a> {
    pub symbols: Vec<SymbolHit>,
    pub sides: Vec<SideWord<'a>>,
    /// Side words inside sentences: used only when no other line names a side.
    pub prose_sides: Vec<SideWord<'a>>,
    pub order: Option<(OrderType, String)>,
    pub market: Option<&'a str>,
    pub entries: Vec<(f64, usize)>,
    /// Per entry number: read after an entry label ("Entry 52"), not only after the symbol or
    /// side ("Gold trading 4061 right now").
    pub entry_labelled: Vec<bool>,
    pub sl: Option<(StopLoss, usize)>,
    pub tps: Vec<Tp>,
    /// More than one SL number: which one is meant is unclear.
    pub sl_extra: bool,
    /// Per line: commentary, whose numbers are context (see [`commentary_lines`]).
    pub commentary: Vec<bool>,
    /// A stop written as a placeholder (`SL ??`, `SL: members`, `SL soon`): no stop, and the
    /// numbers after it are not one. The placeholder's words, for the trace.
    pub sl_placeholder: Option<String>,
    /// Targets written as a placeholder or a runner with no price (`TP will update soon`, `TP
    /// open`): no target yet, and the order stands with its stop. The words, for the trace.
    pub tp_placeholder: Option<String>,
    /// `+40 pips`: a gain report unless the message is a ticket.
    pub pip_gain: Option<String>,
    /// The gain is written after the levels, as what the trade made ("GOLD BUY 2350 SL 2340 TP
    /// 2370 +200 pips"): a result even on a ticket.
    pub pip_gain_made: bool,
    /// Stop and target numbers written as money or a signed distance (`SL: 10$`, `SL -10`): a
    /// price if they are one, never a price's last digits.
    pub loose: Vec<f64>,
    pub notes: Vec<String>,
}

impl OpenReading<'_> {
    pub(crate) fn distinct_sides(&self) -> usize {
        let buy = self.sides.iter().any(|w| w.side == Side::Buy);
        let sell = self.sides.iter().any(|w| w.side == Side::Sell);
        usize::from(buy) + usize::from(sell)
    }

    /// Symbol, a stop and a target (and at most one side): a full ticket.
    pub(crate) fn is_complete(&self) -> bool {
        !self.symbols.is_empty()
            && self.distinct_sides() <= 1
            && (self.distinct_sides() == 1 || !self.entries.is_empty())
            && self.sl.is_some()
            && !self.tps.is_empty()
    }

    /// A full ticket, or one whose stop is a placeholder ("SL soon", "SL: members"): its
    /// structure is an open whatever words surround it.
    pub(crate) fn is_ticket(&self) -> bool {
        if self.is_complete() {
            return true;
        }
        let named = || {
            !self.symbols.is_empty()
                && self.distinct_sides() <= 1
                && (self.distinct_sides() == 1 || !self.entries.is_empty())
        };
        self.sl_placeholder.is_some() && !self.tps.is_empty() && named()
            // "GOLD BUY LIMIT 4150 / SL 4142 / TP will update soon", "US30 BUY NOW / SL 46,200 / TP
        // will be updated soon".
            || self.tp_placeholder.is_some()
                && self.tps.is_empty()
                && self.sl.is_some()
                && (!self.entries.is_empty() || self.market.is_some())
                && named()
    }

    /// An entry, the stop or a target was read on `line`.
    pub(crate) fn holds_levels(&self, line: usize) -> bool {
        self.entries.iter().any(|&(_, l)| l == line)
            || self.sl.is_some_and(|(_, l)| l == line)
            || self.tps.iter().any(|t| t.line == line)
    }

    /// The middle of the entry numbers read (before any check).
    pub(crate) fn entry_reference(&self) -> Option<f64> {
        match self.entries.as_slice() {
            [] => None,
            [(a, _)] => Some(*a),
            [(a, _), (b, _), ..] => Some((a + b) / 2.0),
        }
    }

    /// The stop is past the entry on the trade's profit side (a buy's above it): a trade in
    /// profit whose stop was trailed, never a new one's ("Gold buy from 4104: SL trail to 4116").
    pub(crate) fn stop_in_profit(&self) -> bool {
        let side = match self.sides.as_slice() {
            [w, ..] if self.distinct_sides() == 1 => w.side,
            _ => return false,
        };
        let (Some((StopLoss::Price(sl), _)), Some(entry)) = (&self.sl, self.entry_reference())
        else {
            return false;
        };
        side.sign() * (sl - entry) > 0.0
    }

    /// Any level at all.
    pub(crate) fn has_levels(&self) -> bool {
        !self.entries.is_empty() || self.sl.is_some() || !self.tps.is_empty()
    }
}

fn word_text<'a>(text: &'a str, t: &Token) -> &'a str {
    text.get(t.start..t.end).unwrap_or("")
}

/// Read the levels of a lexed message; the reading takes over its symbols.
pub(crate) fn read_open<'a>(text: &'a str, lexed: &mut Lexed) -> OpenReading<'a> {
    ticket_symbol_first(lexed);
    let mut r = OpenReading {
        symbols: std::mem::take(&mut lexed.symbols),
        ..OpenReading::default()
    };
    let toks = &lexed.tokens;
    let mut ctx = Ctx::Nothing;
    // Values read since the last label: a pip distance only counts right after its label.
    let mut since_label = 0usize;
    let mut prev_nl = false;
    // A stop word read as the order's type ("شراء ذهب ستوب 4162"), not the stop loss.
    let mut order_word_at = None;
    // A price after "risk": the stop when no stop is labelled (value, line).
    let mut risk_price: Option<(f64, usize)> = None;
    // The last entry number's token, for shorthand (`4562/68`).
    let mut last_entry_tok: Option<usize> = None;
    // Numbers that start a line before any word ("47550 / 47480 buy zone dow"): the entry, if
    // the side comes next on that line.
    let mut leading: Vec<(f64, usize)> = Vec::new();

    let next_on_line =
        |i: usize| -> Option<&Token> { toks.get(i + 1).filter(|t| t.kind != Kind::Nl) };
    let prev_tok = |i: usize| -> Option<&Token> { i.checked_sub(1).and_then(|j| toks.get(j)) };
    // The token at `i` is the value of a card's "Type:" field.
    let after_type = |i: usize| {
        prev_tok(i).is_some_and(|p| {
            p.line == toks[i].line
                && [
                    "type",
                    "tipo",
                    "typ",
                    "тип",
                    "نوع",
                    "order",
                    "orden",
                    "ordem",
                    "ordre",
                    "ордер",
                ]
                .iter()
                .any(|w| word_text(text, p).eq_ignore_ascii_case(w))
        })
    };

    let prose = prose_lines(lexed);
    let commentary = commentary_lines(lexed);
    // "I'm buying gold here at 4296 myself, join me if you want": the provider's own order, with
    // the reader invited, on a line long enough to pass for commentary — its numbers are read.
    let invited = |line: usize| {
        let on_line = || toks.iter().filter(move |t| t.line == line);
        on_line().any(|t| t.is(Class::Copy))
            && on_line().any(|t| matches!(t.class, Some(Class::Side(_))))
    };
    // The rest of a line whose stop is a placeholder ("SL soon (support at 1.3170)").
    let mut skip_line = None;
    // The entry context was opened by an entry label, not by a symbol or a side word.
    let mut labelled_entry = false;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        // The rest of a placeholder's line, up to the next level's label ("SL soon TP 47300").
        if skip_line == Some(t.line) && matches!(t.class, Some(Class::Tp | Class::Entry)) {
            skip_line = None;
        }
        let skipped = skip_line == Some(t.line) && t.kind != Kind::Nl;
        if skipped
            || commentary.get(t.line) == Some(&true)
                && matches!(t.kind, Kind::Num | Kind::Sym(_))
                && !invited(t.line)
        {
            // "Price rejected the 1.0940 supply twice on H4": context, not a level.
            i += 1;
            prev_nl = false;
            continue;
        }
        match t.kind {
            Kind::Nl => {
                if ctx == Ctx::Ignore {
                    ctx = Ctx::Nothing;
                }
                // A blank line after a label's values ends that label ("TP 4170\n\nGood luck").
                // A numbered list goes on after a blank line ("1)0,539\n\n2)0,56").
                let list_item_next = toks[i + 1..]
                    .iter()
                    .find(|n| n.kind != Kind::Nl)
                    .is_some_and(|n| {
                        n.kind == Kind::Num
                            && n.end - n.start == 1
                            && text.as_bytes().get(n.end) == Some(&b')')
                    });
                if prev_nl
                    && since_label > 0
                    && matches!(ctx, Ctx::Tp | Ctx::Sl | Ctx::Entry)
                    && !list_item_next
                {
                    ctx = Ctx::Nothing;
                }
                // A line that starts with a sentence ("Po +15 pipsach ustaw SL na BE") after a
                // stop's or targets' values is no more of them.
                // "(a) 208.20": a lettered list goes on.
                let lettered =
                    |n: &Token| n.end - n.start == 1 && text.as_bytes().get(n.end) == Some(&b')');
                let sentence_next = toks.get(i + 1).is_some_and(|n| {
                    n.kind == Kind::Word
                        && !lettered(n)
                        && matches!(
                            n.class,
                            None | Some(
                                Class::Condition
                                    | Class::Move
                                    | Class::Breakeven
                                    | Class::BeWeak
                                    | Class::Close
                                    | Class::Promo
                                    | Class::Hedge
                                    | Class::Advice
                                    // "sellers very strong near 4200": the market's side.
                                    | Class::Bias(_)
                            )
                        )
                });
                // "(gold abhi 4051 pe hai)": a remark in brackets on a line of its own.
                let bracketed_next = || {
                    toks.get(i + 1).is_some_and(|n| {
                        let head = &text[..n.start];
                        !lettered(n)
                            && head[head.rfind('\n').map_or(0, |at| at + 1)..]
                                .trim_start()
                                .starts_with('(')
                    })
                };
                if since_label > 0
                    && matches!(ctx, Ctx::Tp | Ctx::Sl)
                    && (sentence_next || bracketed_next())
                {
                    ctx = Ctx::Nothing;
                }
                // "SL 3.190\n1️⃣ 3.330\n2️⃣ 3.380": a numbered list under the stop, with no
                // label of its own, is the targets.
                let numbered_next = toks.get(i + 1).is_some_and(|n| {
                    n.kind == Kind::Num
                        && n.end - n.start == 1
                        && text.as_bytes().get(n.end) == Some(&b')')
                        && toks
                            .get(i + 2)
                            .is_some_and(|p| p.kind == Kind::Num && p.line == n.line)
                });
                if ctx == Ctx::Sl && since_label > 0 && numbered_next {
                    r.notes
                        .push("tp: a numbered list under the stop, the targets".to_string());
                    set_label(&mut ctx, Ctx::Tp, &mut since_label);
                }
                prev_nl = true;
                i += 1;
                continue;
            }
            Kind::Pct => {}
            Kind::Sym(k) => {
                let other = r
                    .symbols
                    .get(k)
                    .zip(r.symbols.first())
                    .is_some_and(|(this, first)| this.canonical != first.canonical);
                if other {
                    // "…, GBPUSD at 1.3200": another symbol's numbers are its own.
                    set_label(&mut ctx, Ctx::Ignore, &mut since_label);
                } else if matches!(ctx, Ctx::Nothing | Ctx::Ignore) {
                    set_label(&mut ctx, Ctx::Entry, &mut since_label);
                }
            }
            Kind::At => {
                if matches!(ctx, Ctx::Nothing | Ctx::Entry) {
                    set_label(&mut ctx, Ctx::Entry, &mut since_label);
                }
            }
            Kind::Word => {
                let raw = word_text(text, t);
                // "TP 5270 VIX 13": another instrument's name ends the targets.
                if matches!(t.class, None | Some(Class::NotTicker))
                    && ctx == Ctx::Tp
                    && since_label > 0
                    && raw.len() >= 3
                    && raw.bytes().all(|b| b.is_ascii_uppercase())
                {
                    set_label(&mut ctx, Ctx::Ignore, &mut since_label);
                }
                match t.class {
                    // A spot card's "Buy: 0.7250 - 0.7050 / Sell: 0.7600 - 0.8000": after the
                    // buy zone, the other side's label gives the targets.
                    Some(Class::Side(side))
                        if r.sides.iter().any(|w| w.side != side)
                            && !r.entries.is_empty()
                            && r.tps.is_empty()
                            && prev_tok(i).is_none_or(|p| p.kind == Kind::Nl)
                            && text[t.end..].starts_with(':') =>
                    {
                        r.notes.push(trace_fmt!(
                            "tp: '{raw}:' on line {} — the other side's zone, the targets",
                            t.line + 1
                        ));
                        set_label(&mut ctx, Ctx::Tp, &mut since_label);
                    }
                    // "DYOR, bukan ajakan beli/jual", "not buy/sell advice": both sides written
                    // as one word name no order.
                    Some(Class::Side(side))
                        if [i.checked_sub(1), Some(i + 1)]
                            .into_iter()
                            .flatten()
                            .any(|k| {
                                toks.get(k).is_some_and(|n| {
                                    matches!(n.class, Some(Class::Side(o)) if o != side)
                                        && text
                                            .get(n.end.min(t.end)..n.start.max(t.start))
                                            .is_some_and(|gap| gap.trim() == "/")
                                })
                            }) => {}
                    Some(Class::Side(side)) => {
                        let order_word = |n: Option<&Token>| {
                            n.and_then(|n| match n.class {
                                Some(c @ (Class::Limit | Class::Stop)) if n.kind == Kind::Word => {
                                    Some((c, word_text(text, n).to_string()))
                                }
                                _ => None,
                            })
                        };
                        // "LONG orden límite": the word "order" between side and type.
                        // "EURUSD sell: stop 1.0895": after a colon the stop is the label.
                        let next = next_on_line(i)
                            .filter(|n| n.is(Class::OrderWord))
                            .and_then(|_| toks.get(i + 2).filter(|n| n.line == t.line))
                            .or(next_on_line(i))
                            // "…'tan alıyorum, stop 151.10": after a comma it is the label too.
                            .filter(|n| !text[t.end..n.start].contains([':', ',']));
                        if let Some((c, nraw)) = order_word(next) {
                            r.order = Some((order_of(c), format!("{raw} {nraw}")));
                            i += 1;
                        } else if let Some((c, praw)) = order_word(prev_tok(i)).or_else(|| {
                            // "лимитка на покупку": the order, "to", the side.
                            prev_tok(i)
                                .filter(|p| p.is(Class::To) && p.line == t.line)
                                .and_then(|_| {
                                    order_word(i.checked_sub(2).and_then(|k| toks.get(k)))
                                })
                        }) {
                            r.order = Some((order_of(c), format!("{praw} {raw}")));
                        } else if next_on_line(i).is_some_and(|n| matches!(n.kind, Kind::Sym(_)))
                            && let Some((c, lraw)) =
                                order_word(toks.get(i + 2).filter(|n| n.line == t.line))
                            // "شراء ذهب ستوب 4162 / الستوب لوس 4155": a stop word there is the
                            // order when the stop loss has its own label.
                            && (c == Class::Limit
                                || toks[i + 3..].iter().any(|n| {
                                    n.is(Class::Sl) || n.is(Class::Stop) && n.line > t.line
                                }))
                        {
                            // "شراء الذهب ليمت 4062": the symbol between the side and its order.
                            r.order = Some((order_of(c), format!("{raw} … {lraw}")));
                            order_word_at = Some(i + 2);
                        }
                        // "Gold heavy under 4180 after that rejection. I'm taking a sell here
                        // 4176": a price in a sentence before the side's is the market it
                        // describes, not the entry.
                        if let Some(prev) = last_entry_tok.and_then(|k| toks.get(k))
                            && r.sl.is_none()
                            && r.tps.is_empty()
                            && !r.entry_labelled.contains(&true)
                            && text
                                .get(prev.end..t.start)
                                .is_some_and(|gap| gap.contains(['.', '!', '?']))
                        {
                            let set: Vec<String> =
                                r.entries.iter().map(|(v, _)| v.to_string()).collect();
                            r.notes.push(trace_fmt!(
                                "entry: {} set aside — a sentence before the side's",
                                set.join(", ")
                            ));
                            r.entries.clear();
                            r.entry_labelled.clear();
                            last_entry_tok = None;
                        }
                        if r.entries.is_empty()
                            && !leading.is_empty()
                            && leading.iter().all(|&(_, line)| line == t.line)
                        {
                            let written: Vec<String> =
                                leading.iter().map(|(v, _)| v.to_string()).collect();
                            r.notes.push(trace_fmt!(
                                "entry: {} written before the side on line {}",
                                written.join(", "),
                                t.line + 1
                            ));
                            r.entries.append(&mut leading);
                        }
                        let word = SideWord {
                            side,
                            raw,
                            lang: t.lang,
                        };
                        // "positioning is still short euro": a state, not the order — read only
                        // when the message has no other side.
                        let state = prev_tok(i).is_some_and(|p| {
                            p.kind == Kind::Word && p.line == t.line && {
                                let w = word_text(text, p);
                                STATE_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w))
                            }
                        });
                        // "El dólar flojo tras el dato de ventas minoristas" above the ticket:
                        // a paragraph of commentary's word.
                        if state
                            || prose.contains(&t.line)
                            || commentary.get(t.line) == Some(&true) && !invited(t.line)
                        {
                            r.prose_sides.push(word);
                        } else {
                            r.sides.push(word);
                        }
                        set_label(&mut ctx, Ctx::Entry, &mut since_label);
                    }
                    // A bot card's "Type: STOP": the order, not the stop loss.
                    Some(Class::Stop) if order_word_at == Some(i) => {}
                    Some(Class::Stop) if after_type(i) => {
                        r.order = Some((OrderType::Stop, trace_fmt!("type {raw}")));
                    }
                    Some(Class::Stop) => {
                        let next_is_side =
                            matches!(next_on_line(i).and_then(|n| n.class), Some(Class::Side(_)));
                        // "TP: Trailing STOP or 1.4910": the trailing stop is the target's note.
                        let after_open = prev_tok(i).is_some_and(|p| p.is(Class::Open));
                        if !next_is_side && !after_open {
                            set_label(&mut ctx, Ctx::Sl, &mut since_label);
                            if let Some(w) = placeholder_after(text, t) {
                                r.sl_placeholder = Some(w);
                                ctx = Ctx::Ignore;
                                skip_line = Some(t.line);
                            }
                        }
                    }
                    Some(Class::Sl) => {
                        set_label(&mut ctx, Ctx::Sl, &mut since_label);
                        if let Some(w) = placeholder_after(text, t) {
                            r.sl_placeholder = Some(w);
                            ctx = Ctx::Ignore;
                            skip_line = Some(t.line);
                        }
                    }
                    Some(Class::Tp) => {
                        // "Entry Target @4235": the target of the entry, not a take profit.
                        let after_entry = prev_tok(i).is_some_and(|p| p.is(Class::Entry));
                        if !after_entry {
                            set_label(&mut ctx, Ctx::Tp, &mut since_label);
                            if let Some(w) = placeholder_after(text, t) {
                                r.tp_placeholder = Some(w);
                                ctx = Ctx::Ignore;
                                skip_line = Some(t.line);
                            }
                        }
                    }
                    Some(Class::Entry) => {
                        set_label(&mut ctx, Ctx::Entry, &mut since_label);
                        labelled_entry = true;
                    }
                    // "stop 4140, looking for 4170 then 4185", "stop 4049, buscando 4075": after
                    // the stop's value, what the provider looks for is his targets.
                    _ if ctx == Ctx::Sl
                        && since_label > 0
                        && next_on_line(i).is_some_and(|n| n.kind == Kind::Num)
                        && super::text::one_of(raw, LOOKING_FOR) =>
                    {
                        set_label(&mut ctx, Ctx::Tp, &mut since_label)
                    }
                    // "Take 4169 / 4160": the take profit without its second word.
                    Some(Class::Take)
                        if next_on_line(i).is_some_and(|n| n.kind == Kind::Num)
                            && !r.symbols.is_empty() =>
                    {
                        set_label(&mut ctx, Ctx::Tp, &mut since_label)
                    }
                    Some(Class::EntryWeak) => {
                        if matches!(ctx, Ctx::Nothing | Ctx::Entry) {
                            set_label(&mut ctx, Ctx::Entry, &mut since_label);
                        }
                    }
                    Some(Class::Market) => {
                        r.market.get_or_insert(raw);
                        if matches!(ctx, Ctx::Nothing | Ctx::Ignore | Ctx::Entry) {
                            set_label(&mut ctx, Ctx::Entry, &mut since_label);
                        }
                    }
                    // "SELL GBPUSD 1.50 lots @ 1.33185": a unit after its number names that
                    // number, not the next.
                    Some(Class::Ignore | Class::Object)
                        if prev_tok(i).is_some_and(|p| p.kind == Kind::Num && p.line == t.line)
                            && (raw.eq_ignore_ascii_case("lot")
                                || raw.eq_ignore_ascii_case("lots")
                                || raw.starts_with("лот"))
                            && next_on_line(i)
                                .is_some_and(|n| n.kind == Kind::At || n.is(Class::EntryWeak)) => {}
                    Some(Class::Ignore | Class::Object) => {
                        set_label(&mut ctx, Ctx::Ignore, &mut since_label)
                    }
                    // "if it breaks 4050", "vip 2500": a condition or a promotion, whose numbers
                    // are not the ticket's levels.
                    Some(Class::Condition | Class::Promo) => {
                        set_label(&mut ctx, Ctx::Ignore, &mut since_label)
                    }
                    // "BE once +15 pips", "close half at 4060" after the stop or the targets: a
                    // management note (not the order's own words: "BUY LIMIT SET AT @").
                    Some(Class::Breakeven | Class::Move | Class::Close)
                        if matches!(ctx, Ctx::Tp | Ctx::Sl) =>
                    {
                        set_label(&mut ctx, Ctx::Ignore, &mut since_label)
                    }
                    // "TP will be 4070" is the verb.
                    Some(Class::BeWeak)
                        if matches!(ctx, Ctx::Tp | Ctx::Sl)
                            && !next_on_line(i).is_some_and(|n| n.kind == Kind::Num) =>
                    {
                        set_label(&mut ctx, Ctx::Ignore, &mut since_label)
                    }
                    Some(Class::Open) if ctx == Ctx::Tp && since_label == 0 => {
                        r.notes.push(trace_fmt!("tp: '{raw}' skipped (no price)"));
                        r.tp_placeholder.get_or_insert_with(|| raw.to_string());
                    }
                    _ => {}
                }
                // Digits glued to a label: `TP1` is an index, `sl4140` a price.
                if let Some((a, b)) = t.digits
                    && b - a > 1
                {
                    let run = text.get(a..b).unwrap_or("");
                    // `TP1.4120` on gold: the index and the price, kept aside as for `TP 1.4120`.
                    let alt = (ctx == Ctx::Tp).then(|| index_dot_price(run)).flatten();
                    assign(
                        &mut r,
                        ctx,
                        &read_numbers_with(run, lexed.decimal_comma),
                        t.line,
                        &mut since_label,
                        alt,
                    );
                }
            }
            Kind::Num => {
                let run = word_text(text, t);
                let next = next_on_line(i);
                let glued_word = next
                    .filter(|n| n.start == t.end && n.kind == Kind::Word)
                    .map(|n| n.class);
                let spaced_unit = next.and_then(|n| match (n.kind, n.class) {
                    (Kind::Word, Some(Class::Pips)) => Some(true),
                    (Kind::Pct, _) => Some(false),
                    _ => None,
                });
                let mut values = read_numbers_with(run, lexed.decimal_comma);
                // `#451`, `№ 12`: an id; `0.01 lot`, `2 risk`: the number a context word names.
                let id = text[..t.start].ends_with(['#', '№']);
                // "+$870 en la venta de oro": money gained, never a level.
                let gain = text[..t.start]
                    .strip_suffix(['$', '€', '£'])
                    .is_some_and(|b| b.ends_with(['+', '-']));
                let context_next = next.is_some_and(|n| {
                    let w = word_text(text, n);
                    n.kind == Kind::Word
                        && (UNITS_AFTER
                            .iter()
                            .any(|u| u.len() == w.len() && u.eq_ignore_ascii_case(w) || *u == w)
                            || super::text::one_of(w, super::text::MONTHS))
                });
                // A label's own first value stays its value ("tp 0.9865 lot size 0.20").
                let labels_value = since_label == 0 && matches!(ctx, Ctx::Sl | Ctx::Tp);
                // "Zone 4118-4122 · Risk 4130 · 💰 4108": a price after "risk" may be the stop
                // (decided once the entry is known).
                if ctx == Ctx::Ignore
                    && risk_price.is_none()
                    && spaced_unit.is_none()
                    && prev_tok(i).is_some_and(|p| {
                        p.line == t.line
                            && RISK_WORDS
                                .iter()
                                .any(|w| word_text(text, p).eq_ignore_ascii_case(w))
                    })
                    && let Some(&v) = values.first()
                {
                    risk_price = Some((v, t.line));
                }
                if aside(text, t) || id || gain || (context_next && !labels_value) {
                    // "3663,10 ( use small risk 1-2% )", "0,519(1/3)", "0,539(RR1-1)": a note in
                    // brackets after a value.
                    prev_nl = false;
                    i += 1;
                    continue;
                }
                // Not a target written in pips ("Tp1 +30 pips") nor a management note ("BE once
                // +15 pips"): what the trade made.
                // "❌ -10 pontos" beside no stop's or target's label: what it lost, a result too.
                let lost = text[..t.start].trim_end().ends_with('-')
                    && !matches!(ctx, Ctx::Sl | Ctx::Tp)
                    && text[..t.start]
                        .trim_end_matches(['-', ' '])
                        .ends_with(['❌', '🔴', '⛔']);
                let signed =
                    (text[..t.start].trim_end().ends_with('+') || lost) && r.pip_gain.is_none();
                let made = || {
                    (ctx != Ctx::Tp || since_label != 0)
                        && !toks.iter().any(|x| {
                            x.line == t.line
                                && matches!(
                                    x.class,
                                    Some(
                                        Class::Breakeven
                                            | Class::BeWeak
                                            | Class::Move
                                            | Class::Condition
                                            | Class::Close
                                    )
                                )
                        })
                };
                let gained = || {
                    let end = next.map_or(t.end, |n| n.end);
                    let sign = if lost { '-' } else { '+' };
                    Some(format!("{sign}{}", text.get(t.start..end).unwrap_or("")))
                };
                match (glued_word, spaced_unit) {
                    (Some(Some(Class::Pips)), _) | (None, Some(true)) => {
                        if signed {
                            r.pip_gain = gained();
                            r.pip_gain_made = made();
                        }
                        // "with 30 pips SL and 60 pips TP": a distance written before its label,
                        // when the label being read already has its value (or is none).
                        let label_after =
                            toks.get(i + 2).filter(|n| n.line == t.line).and_then(|n| {
                                match n.class {
                                    Some(Class::Sl | Class::Stop) => Some(Ctx::Sl),
                                    Some(Class::Tp) => Some(Ctx::Tp),
                                    _ => None,
                                }
                            });
                        match label_after {
                            Some(label)
                                if since_label > 0
                                    || !matches!(ctx, Ctx::Sl | Ctx::Tp)
                                    || (ctx == Ctx::Sl && r.sl.is_some()) =>
                            {
                                pips(&mut r, label, &values, t.line, 0);
                            }
                            _ => pips(&mut r, ctx, &values, t.line, since_label),
                        }
                        since_label += 1;
                        i += 2;
                        prev_nl = false;
                        continue;
                    }
                    (None, Some(false)) => {
                        // "BTC long from 106k8 now +120%": what the trade made, in percent
                        // (under a target's label, "Alvos: +8% (0,92) | +15%", how far each is).
                        if signed && ctx != Ctx::Tp && made() {
                            r.pip_gain = gained();
                            r.pip_gain_made = true;
                        }
                        // A percentage: position sizing or a partial, never a level. In a range
                        // ("100-300% profit") the first number is one too.
                        if let Some(last) = r.tps.last()
                            && since_label > 0
                            && last.line == t.line
                            && text.get(..t.start).is_some_and(|b| {
                                b.strip_suffix('-')
                                    .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()))
                            })
                        {
                            r.tps.pop();
                            since_label -= 1;
                        }
                        i += 2;
                        prev_nl = false;
                        continue;
                    }
                    (Some(_), _) => {
                        // `15M`, `1st`, `4H`: a unit or an ordinal, not a price.
                    }
                    (None, None) => {
                        let lone_digit = run.len() == 1 && run != "0";
                        // "TP 4: Open": the index of a target written without its price;
                        // "Entry 2 (recovery): 0.5690": an entry's.
                        let after_label = prev_tok(i).is_some_and(|p| {
                            (p.is(Class::Tp) || p.is(Class::Entry))
                                && p.digits.is_none()
                                && p.line == t.line
                        });
                        // "Trigger: Target (1)": an index in brackets.
                        let bracketed =
                            text[..t.start].ends_with('(') && text[t.end..].starts_with(')');
                        // "Take Profit 3: -": the index before the label's colon.
                        // "Target 1 ✅": a target's index ticked off.
                        let ticked = || text[t.end..].trim_start().starts_with(['✅', '✔', '☑']);
                        let index_like = lone_digit
                            && (after_label
                                && (next.is_some() || text[t.end..].starts_with(':') || ticked())
                                || bracketed)
                            || lone_digit
                                && next.is_some_and(|n| {
                                    matches!(n.kind, Kind::Num | Kind::At | Kind::Sym(_))
                                        || matches!(
                                            n.class,
                                            Some(
                                                Class::Side(_)
                                                    | Class::Sl
                                                    | Class::Tp
                                                    | Class::Entry
                                                    | Class::Stop
                                                    | Class::Open
                                            )
                                        )
                                });
                        if !index_like {
                            if ctx == Ctx::Entry
                                && let Some(prev) = last_entry_tok.and_then(|k| toks.get(k))
                                && let Some(v) = shorthand(text, prev, t)
                            {
                                r.notes.push(trace_fmt!(
                                    "entry: shorthand '{}' → {v} on line {}",
                                    text.get(prev.start..t.end).unwrap_or(""),
                                    t.line + 1
                                ));
                                values = Numbers::one(v);
                            }
                            // `TP 3.4408`: the index and the price joined by a dot.
                            let alt = (ctx == Ctx::Tp && since_label == 0)
                                .then(|| index_dot_price(run))
                                .flatten();
                            let line_start = toks[..i]
                                .iter()
                                .rev()
                                .take_while(|p| p.line == t.line)
                                .all(|p| p.kind == Kind::Num);
                            if ctx == Ctx::Nothing && line_start && r.sides.is_empty() {
                                leading.extend(values.iter().map(|&v| (v, t.line)));
                            }
                            // "at 49,050 w/ a 48,960 stop": a stop's value before its word.
                            let stop_after = r.sl.is_none()
                                && next.is_some_and(|n| {
                                    matches!(n.class, Some(Class::Sl | Class::Stop))
                                        && text[t.end..n.start].trim().is_empty()
                                        && !toks.get(i + 2).is_some_and(|m| {
                                            m.line == t.line && m.kind == Kind::Num
                                        })
                                })
                                && prev_tok(i).is_some_and(|p| {
                                    p.line == t.line
                                        && super::text::one_of(
                                            word_text(text, p),
                                            &["a", "an", "with", "w"],
                                        )
                                });
                            let ctx = if stop_after { Ctx::Sl } else { ctx };
                            assign(&mut r, ctx, &values, t.line, &mut since_label, alt);
                            if ctx == Ctx::Tp
                                && run.contains(' ')
                                && let Some(last) = r.tps.last_mut()
                            {
                                last.spaced = Some((t.start, t.end));
                            }
                            if matches!(ctx, Ctx::Sl | Ctx::Tp) && money_or_signed(text, t) {
                                r.loose.extend_from_slice(&values);
                            }
                            if ctx == Ctx::Entry {
                                last_entry_tok = Some(i);
                            }
                        }
                    }
                }
            }
        }
        prev_nl = false;
        i += 1;
        // Which entry numbers this token added came after an entry label.
        if ctx != Ctx::Entry {
            labelled_entry = false;
        }
        r.entry_labelled.resize(r.entries.len(), labelled_entry);
    }
    // "Risk 4130" where no stop is labelled: the stop, if it sits beside the entry like one (a
    // risk in money or percent never does).
    if r.sl.is_none()
        && let Some((v, line)) = risk_price
        && let Some(e) = r.entry_reference()
        && v != e
        && (v - e).abs() / e < 0.05
    {
        r.notes.push(trace_fmt!(
            "sl: {v} after 'risk' on line {} — a price beside the entry, the stop",
            line + 1
        ));
        r.sl = Some((StopLoss::Price(v), line));
    }
    // An entry label's numbers are the entry: numbers the symbol or side line implied elsewhere
    // ("Gold trading 4061 right now … Buy limit entry 52") are the market's price, not it.
    // "XAUUSD BUY 2318 / Entry 2 (recovery): 2311": a second entry's label says the side line's
    // price is the first.
    let second_entry = toks.iter().enumerate().any(|(k, t)| {
        t.is(Class::Entry)
            && toks[k + 1..]
                .iter()
                .take_while(|n| n.line == t.line)
                .find(|n| !matches!(n.class, Some(Class::Limit | Class::Stop | Class::OrderWord)))
                .is_some_and(|n| {
                    n.kind == Kind::Num && matches!(text.get(n.start..n.end), Some("2" | "3"))
                })
    });
    if r.entry_labelled.contains(&true) && r.entry_labelled.contains(&false) && !second_entry {
        let dropped: Vec<String> = r
            .entries
            .iter()
            .zip(&r.entry_labelled)
            .filter(|(_, l)| !**l)
            .map(|((v, _), _)| v.to_string())
            .collect();
        r.notes.push(trace_fmt!(
            "entry: {} set aside — not after the entry label",
            dropped.join(", ")
        ));
        let mut keep = r.entry_labelled.iter();
        r.entries.retain(|_| keep.next().copied().unwrap_or(true));
        r.entry_labelled.retain(|l| *l);
    }
    // "Вход лимиткой", "Entry limit 0.0167", "Шорт (вход лимиткой)": the order type written
    // beside the entry instead of the side; an "Entry market" beside it keeps the order at market.
    if r.order.is_none() {
        let beside_entry = |class: Class| {
            toks.iter().enumerate().find(|(k, t)| {
                t.is(class)
                    && [k.checked_sub(1), Some(k + 1)].iter().any(|n| {
                        n.and_then(|n| toks.get(n))
                            .is_some_and(|n| n.line == t.line && n.is(Class::Entry))
                    })
            })
        };
        // A bot card's "type: LIMIT" field.
        let typed = toks
            .iter()
            .enumerate()
            .find(|&(k, t)| t.is(Class::Limit) && after_type(k));
        // "Orden LIMIT en: 38,40", "أمر ليمت عند: 172.80", "挂单限价：176.50": a limit word on
        // the line that gives the entry.
        let on_entry_line = toks.iter().find(|t| {
            t.is(Class::Limit)
                && r.entries.iter().any(|&(_, line)| line == t.line)
                && !toks.iter().any(|m| m.line == t.line && m.is(Class::Market))
        });
        // "#DOGE/USDT limit order 📌 / long / entry: 0.148": the order named as one.
        let named = toks.iter().enumerate().find(|&(k, t)| {
            t.is(Class::Limit)
                && [k.checked_sub(1), Some(k + 1)].iter().any(|n| {
                    n.and_then(|n| toks.get(n))
                        .is_some_and(|n| n.line == t.line && n.is(Class::OrderWord))
                })
        });
        let market_entry = beside_entry(Class::Market).is_some();
        if let Some((_, t)) = beside_entry(Class::Limit)
            && beside_entry(Class::Market).is_none()
        {
            r.order = Some((OrderType::Limit, trace_fmt!("entry {}", word_text(text, t))));
        } else if let Some((_, t)) = typed {
            r.order = Some((OrderType::Limit, trace_fmt!("type {}", word_text(text, t))));
        } else if let Some(t) = on_entry_line.filter(|_| !market_entry) {
            r.order = Some((
                OrderType::Limit,
                trace_fmt!("'{}' on the entry's line", word_text(text, t)),
            ));
        } else if let Some((_, t)) = named.filter(|_| !toks.iter().any(|m| m.is(Class::Market))) {
            r.order = Some((
                OrderType::Limit,
                trace_fmt!("a '{}' order", word_text(text, t)),
            ));
        }
    }
    // A side word inside a sentence ("перекрыл Лонг имб") only counts when no other line names one.
    if r.sides.is_empty() {
        r.sides = std::mem::take(&mut r.prose_sides);
    } else if !r.prose_sides.is_empty() {
        let skipped: Vec<String> = r.prose_sides.iter().map(|w| format!("'{w}'")).collect();
        r.notes.push(trace_fmt!(
            "side: {} inside a sentence ignored",
            skipped.join(", ")
        ));
    }
    r.commentary = commentary;
    r
}

/// Sides in the plural: the positions held ("longs", "лонги"), not an order's side.
pub(crate) const PLURAL_SIDES: &[&str] = &[
    "longs",
    "shorts",
    "buys",
    "sells",
    "лонги",
    "шорты",
    "лонгов",
    "шортов",
    "лонгам",
    "шортам",
    "cortos",
    "largos",
];

/// Words before a side that make it a state ("is still short", "we are long"), not an order.
const STATE_WORDS: &[&str] = &[
    "is", "are", "was", "were", "still", "been", "stay", "stays", "remain", "remains",
];

/// Context words written after their number: a lot size, a date's month, a time ago ("0.01
/// lot", "12 Dec", "2 hours ago").
const UNITS_AFTER: &[&str] = &[
    // "Altın 4350 destek üstünde": a level named as support or resistance, no entry.
    "support",
    "resistance",
    "destek",
    "direnç",
    "soporte",
    "resistencia",
    "suporte",
    "resistência",
    "поддержка",
    "сопротивление",
    "lot",
    "lots",
    "lote",
    "lotes",
    "лот",
    "лота",
    "лотов",
    // (The months, written out or short, are `text::MONTHS`, read beside this list.)
    "hour",
    "hours",
    "min",
    "mins",
    "minutes",
    "day",
    "days",
    "week",
    "weeks",
    "ago",
    "янв",
    "января",
    "фев",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
    "часа",
    "часов",
    "минут",
    "дней",
    "ene",
    "enero",
    "dic",
    "diciembre",
    "janvier",
    "décembre",
    "dez",
    "dezember",
    "januar",
    "ocak",
    "aralık",
    "stycznia",
    "grudnia",
];

/// Words that stand in for a stop not given: "SL ??", "SL: members", "Stop: for members only",
/// "SL soon". The numbers after them are something else ("resistance near 1.0990").
const PLACEHOLDERS: &[&str] = &[
    "members",
    "member",
    "vip",
    "premium",
    "soon",
    "later",
    "tbd",
    "tba",
    "coming",
    "manual",
    "mental",
    "private",
    "hidden",
    "none",
    "pending",
    "update",
    "updated",
    "wait",
    "after",
    "скоро",
    "позже",
    "потом",
    "нет",
    "بعدا",
    "بعداً",
    "soon…",
    "pronto",
    "bientôt",
    "bientot",
    "chờ",
    "รอแจ้ง",
    "รอประกาศ",
    "รอ",
    "depois",
    "luego",
    "później",
    "sonra",
    "später",
    "plus",
    "tard",
    "breve",
    "presto",
    "dopo",
    "baad",
    "sau",
    "cập",
    "nanti",
    "mamaya",
    "لاحقا",
    "لاحقاً",
    "بعدين",
    "pore",
    "apram",
    "birazdan",
    "güncellenecek",
    "শীঘ্রই",
    "jald",
    "згодом",
    "позже",
    "जल्द",
    "جلد",
    "shpejti",
];

/// Looking for a price, in the languages: after a stop, the targets.
const LOOKING_FOR: &[&str] = &[
    "looking for",
    "eyeing",
    "targeting",
    "aiming",
    "buscando",
    "cercando",
    "procurando",
    "visando",
    "ищу",
    "смотрю на",
    "busco",
    "buscamos",
    "procuro",
    "cerco",
    "je vise",
    "vise",
];

/// The placeholder right after a stop label, if its place holds one instead of a price.
fn placeholder_after(text: &str, t: &Token) -> Option<String> {
    let rest = text.get(t.end..)?;
    let rest = rest.trim_start_matches([' ', ':', '-', '=']);
    // The usual case, a level right after its label.
    if rest.starts_with(|c: char| c.is_ascii_digit() || c == '\n') {
        return None;
    }
    let rest = rest.split('\n').next().unwrap_or("");
    if rest.starts_with('?') {
        return Some("?".to_string());
    }
    // Up to five words before any digit: "for members only", "y TP en breve", "sera mis à jour
    // bientôt".
    for word in rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
    {
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let placeholder = if word.is_ascii() {
            PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(word))
        } else {
            PLACEHOLDERS.contains(&word.to_lowercase().as_str())
        };
        if placeholder {
            return Some(word.to_string());
        }
    }
    None
}

/// `10$`, `$10`, `10 usd`, `-10`, `+15`: an amount of money or a signed distance.
fn money_or_signed(text: &str, t: &Token) -> bool {
    let before = &text[..t.start];
    let after = &text[t.end..];
    let signed = before
        .strip_suffix(['-', '+'])
        .is_some_and(|b| b.is_empty() || b.ends_with(|c: char| c.is_whitespace() || c == ':'));
    let money_after = after.trim_start_matches(' ').starts_with(['$', '€', '£'])
        || after
            .trim_start_matches(' ')
            .split(|c: char| !c.is_alphabetic())
            .next()
            .is_some_and(|w| {
                ["usd", "dollars", "dollar", "eur"]
                    .iter()
                    .any(|u| w.eq_ignore_ascii_case(u))
            });
    signed || money_after || before.trim_end_matches(' ').ends_with(['$', '€', '£'])
}

/// A number in brackets that follow a number on the same line: a note on that value.
fn aside(text: &str, t: &Token) -> bool {
    // A note sits close to its value: looking back a short way keeps a long line linear.
    let mut from = t.start.saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let window = &text[from..t.start];
    let bytes = window.as_bytes();
    // Bytes, not characters: `\n` and `(` are ASCII, and no other character contains them.
    let line = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let before = &window[line..];
    let Some(open) = before.as_bytes().iter().rposition(|&b| b == b'(') else {
        return false;
    };
    // A value, not an index ("TARGET 1 ( 4602)"): more than one digit.
    let value_before = before[..open]
        .split(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')
        .any(|run| run.bytes().filter(u8::is_ascii_digit).count() > 1);
    !before[open..].contains(')') && value_before
}

/// Lines that are commentary: six words or more, and no level label or side word (a paragraph of
/// analysis, a disclaimer), by line number. Their numbers are context, never levels.
pub(crate) fn commentary_lines(lexed: &Lexed) -> Vec<bool> {
    #[derive(Clone, Copy, Default)]
    struct Line {
        words: usize,
        labelled: bool,
        paired: bool,
    }
    let toks = &lexed.tokens;
    let mut lines = vec![Line::default(); toks.last().map_or(0, |t| t.line + 1)];
    for (i, t) in toks.iter().enumerate() {
        let line = &mut lines[t.line];
        if matches!(t.kind, Kind::Word | Kind::Sym(_)) {
            line.words += 1;
        }
        if matches!(
            t.class,
            Some(Class::Sl | Class::Stop | Class::Tp | Class::Entry | Class::Side(_))
        ) {
            line.labelled = true;
            // A label with its value ("SL 4050", "BUY 2350", "شراء ذهب من 4126") makes the line
            // part of the ticket.
            line.paired |= t.digits.is_some()
                || toks[i + 1..]
                    .iter()
                    .take(2)
                    .any(|n| n.line == t.line && n.kind == Kind::Num)
                || toks[i + 1..]
                    .iter()
                    .take_while(|n| {
                        n.line == t.line
                            && (matches!(n.kind, Kind::Sym(_)) || n.is(Class::EntryWeak))
                    })
                    .count()
                    == 2
                    && toks
                        .get(i + 3)
                        .is_some_and(|n| n.line == t.line && n.kind == Kind::Num);
        }
    }
    lines
        .iter()
        .map(|l| l.words >= 6 && !l.paired && (!l.labelled || l.words >= 10))
        .collect()
}

/// "Kal raat BTC ne 88.5k ka support defend kiya … 📌 #LINK/USDT LONG / Entry: 12.85": when the
/// first symbol named stands on a line with no level label and no side (or in a paragraph), and
/// another stands beside a side word, the ticket's symbol is the one read first.
fn ticket_symbol_first(lexed: &mut Lexed) {
    let toks = &lexed.tokens;
    let on_line =
        |line: usize, f: &dyn Fn(&Token) -> bool| toks.iter().any(|t| t.line == line && f(t));
    let sided = |line: usize| on_line(line, &|t| matches!(t.class, Some(Class::Side(_))));
    let Some((first, line)) = toks.iter().find_map(|t| match t.kind {
        Kind::Sym(s) => Some((s, t.line)),
        _ => None,
    }) else {
        return;
    };
    let labelled = on_line(line, &|t| {
        matches!(
            t.class,
            Some(Class::Entry | Class::Sl | Class::Stop | Class::Tp)
        )
    });
    // A side word in a paragraph of commentary ("fresh longs aa rahe hain") is no ticket's.
    let prose = toks
        .iter()
        .filter(|t| t.line == line && t.kind == Kind::Word)
        .count()
        > 8;
    if labelled || sided(line) && !prose {
        return;
    }
    let Some(ticket) = toks.iter().find_map(|t| match t.kind {
        Kind::Sym(s)
            if s != first
                && t.line != line
                && sided(t.line)
                && lexed.symbols.get(s).map(|h| &h.canonical)
                    != lexed.symbols.get(first).map(|h| &h.canonical) =>
        {
            Some(s)
        }
        _ => None,
    }) else {
        return;
    };
    // Already the first read (a marked ticker after its side, put first by the lexer).
    if ticket == 0 {
        return;
    }
    lexed.symbols.swap(first, ticket);
    for t in &mut lexed.tokens {
        match t.kind {
            Kind::Sym(s) if s == first => t.kind = Kind::Sym(ticket),
            Kind::Sym(s) if s == ticket => t.kind = Kind::Sym(first),
            _ => {}
        }
    }
}

/// Lines that read as sentences: more than eight words and no number.
fn prose_lines(lexed: &Lexed) -> Vec<usize> {
    let mut out = Vec::new();
    let mut words = 0;
    let mut numbers = false;
    let mut line = 0;
    for t in lexed.tokens.iter() {
        if t.line != line {
            if words > 8 && !numbers {
                out.push(line);
            }
            (words, numbers, line) = (0, false, t.line);
        }
        match t.kind {
            Kind::Word | Kind::Sym(_) => words += 1,
            Kind::Num => numbers = true,
            _ => {}
        }
    }
    if words > 8 && !numbers {
        out.push(line);
    }
    out
}

/// "Risk" in the languages, where a channel writes its stop as the risk.
const RISK_WORDS: &[&str] = &[
    "risk", "riesgo", "risco", "risque", "rischio", "risiko", "ryzyko", "риск", "ریسک",
];

/// `4562/68` → 4568, `1.0850/70` → 1.0870: the second number repeats the first's last digits.
fn shorthand(text: &str, prev: &Token, cur: &Token) -> Option<f64> {
    let gap = text.get(prev.end..cur.start)?.trim();
    if gap != "/" && gap != "-" {
        return None;
    }
    let a = text.get(prev.start..prev.end)?;
    let b = text.get(cur.start..cur.end)?;
    if !b.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let last_group = a.rsplit(['.', ',']).next()?;
    // `4562/68`, `1.0850/70`; and `151.20/25`, `208.40-60`, the decimals written again in full.
    let decimals = a.contains('.') && b.len() == last_group.len();
    if !decimals && (b.len() >= last_group.len() || last_group.len() < 3) || b.len() > 3 {
        return None;
    }
    let joined = format!("{}{b}", a.get(..a.len() - b.len())?);
    read_numbers(&joined).first().copied()
}

/// `3.4408` right after a TP label may be "TP3 4408".
fn index_dot_price(run: &str) -> Option<f64> {
    let (index, price) = run.split_once('.')?;
    if index.len() == 1 && index != "0" && price.len() >= 3 && !price.contains(['.', ',']) {
        read_numbers(price).first().copied()
    } else {
        None
    }
}

/// The targets a number joined across spaces stands for when joined it is no price of the trade:
/// each group a target that fits ("154 160 168" on SOL at 148.5), or, after a lone index digit,
/// the price that follows it ("2 150.40" on USDJPY).
fn spaced_targets(run: &str, far: &impl Fn(f64) -> bool) -> Option<Vec<f64>> {
    let groups: Vec<&str> = run.split(' ').filter(|g| !g.is_empty()).collect();
    let fits = |gs: &[&str]| {
        let values: Option<Vec<f64>> = gs
            .iter()
            .map(|g| read_numbers(g).first().copied().filter(|&v| !far(v)))
            .collect();
        values.filter(|v| !v.is_empty())
    };
    match groups.as_slice() {
        [index, rest @ ..] if index.len() == 1 && rest.len() == 1 => fits(rest),
        _ => fits(&groups),
    }
}

fn set_label(ctx: &mut Ctx, to: Ctx, since_label: &mut usize) {
    *ctx = to;
    *since_label = 0;
}

fn order_of(c: Class) -> OrderType {
    if c == Class::Limit {
        OrderType::Limit
    } else {
        OrderType::Stop
    }
}

fn assign(
    r: &mut OpenReading<'_>,
    ctx: Ctx,
    values: &[f64],
    line: usize,
    since_label: &mut usize,
    alt: Option<f64>,
) {
    for &v in values {
        match ctx {
            Ctx::Entry => r.entries.push((v, line)),
            Ctx::Sl => {
                if r.sl.is_none() {
                    r.sl = Some((StopLoss::Price(v), line));
                } else {
                    r.notes.push(trace_fmt!(
                        "sl: extra number {v} ignored (line {})",
                        line + 1
                    ));
                    r.sl_extra = true;
                }
            }
            Ctx::Tp => r.tps.push(Tp {
                target: Target::Price(v),
                line,
                alt,
                spaced: None,
            }),
            Ctx::Nothing | Ctx::Ignore => continue,
        }
        *since_label += 1;
    }
}

fn pips(r: &mut OpenReading<'_>, ctx: Ctx, values: &[f64], line: usize, since_label: usize) {
    let Some(&v) = values.first() else { return };
    if since_label > 0 {
        // "TP 30-60-90 pips", "TP: 20 / 40 / 80 pips": the unit of the whole ladder; "50 pips &
        // 100 pips": each with its own.
        let ladder = ctx == Ctx::Tp
            && r.tps.len() >= since_label
            && r.tps[r.tps.len() - since_label..].iter().all(|t| {
                t.line == line
                    && match t.target {
                        Target::Price(p) => p.fract() == 0.0 && p < 1000.0,
                        Target::Pips { .. } => true,
                    }
            });
        if !ladder {
            return; // "TP1: 4368 (+100 pips)": a note on the price before it.
        }
        let from = r.tps.len() - since_label;
        for t in &mut r.tps[from..] {
            if let Target::Price(p) = t.target {
                t.target = Target::Pips { pips: p };
                t.alt = None;
            }
        }
        r.tps.push(Tp {
            target: Target::Pips { pips: v },
            line,
            alt: None,
            spaced: None,
        });
        return;
    }
    match ctx {
        Ctx::Sl if r.sl.is_none() => r.sl = Some((StopLoss::Pips { pips: v }, line)),
        Ctx::Tp => r.tps.push(Tp {
            target: Target::Pips { pips: v },
            line,
            alt: None,
            spaced: None,
        }),
        _ => {}
    }
}

/// The most pips a bare whole number is read as on a currency pair ("SL 30"); from here up it
/// is the last digits of a price ("SL 820" beside 1.0850) or nothing.
const MAX_BARE_PIPS: f64 = 200.0;

/// A three-digit whole number beside a currency pair's price `reference`, read as that price's
/// last three digits (`820` beside 1.0850 is 1.0820, `700` beside 151.20 is 151.700), if the
/// price so read lies within 1 % of it on the side asked for (`above` the reference or below).
fn pair_shorthand(v: f64, reference: f64, above: bool) -> Option<f64> {
    if v.fract() != 0.0 || !(MAX_BARE_PIPS..1000.0).contains(&v) || reference <= 0.0 {
        return None;
    }
    // The digits written are pips (1.0820) on most pairs; on a yen pair the third decimal
    // (151.700), as the pips alone (two decimals) would span whole yen.
    let scale = if reference > 20.0 { 1e3 } else { 1e4 };
    let r = (reference * scale).round();
    let base = r - r % 1000.0 + v;
    [base - 1000.0, base, base + 1000.0]
        .into_iter()
        .map(|c| c / scale)
        .filter(|&c| (c > reference) == above && (c - reference).abs() / reference < 0.01)
        .min_by(|a, b| (a - reference).abs().total_cmp(&(b - reference).abs()))
}

/// Last digits that span at least 1 % of the price: gold's `69` for 4069 (100 in 4055), not
/// `66` on bitcoin at 65000, where 66k is as likely as 65066.
fn shorthand_scale(m: f64, reference: f64) -> bool {
    m >= reference * 0.01
}

/// A number written as its last digits (`Tp 69` after 4055): the full price nearest the reference
/// on the `above` side, if within 5 %.
///
/// Three digits and more may as well be a distance ("NAS100 SELL 18250 SL 300": 300 points, or
/// 18300?): only two are read as a price's last digits, unless `in_a_list` — targets written
/// one after another ("TP 420/450/480" beside 21,380), which no one writes as distances without
/// saying so.
pub(crate) fn expand_short(v: f64, reference: f64, above: bool, in_a_list: bool) -> Option<f64> {
    if v.fract() != 0.0 || v < 10.0 || reference < 100.0 || v * 5.0 > reference {
        return None;
    }
    let digits = (v as u64).to_string().len() as u32;
    let m = 10f64.powi(digits as i32);
    if digits > if in_a_list { 3 } else { 2 } || !shorthand_scale(m, reference) {
        return None;
    }
    let r = reference.trunc();
    // "SL 50" beside 2350: the entry's own last digits are no other level.
    if r % m == v {
        return None;
    }
    let mut cand = r - r % m + v;
    if above && cand <= reference {
        cand += m;
    }
    if !above && cand >= reference {
        cand -= m;
    }
    ((cand - reference).abs() / reference < 0.05).then_some(cand)
}

/// Build the open from a reading already judged to be one. Returns the parsed open.
pub(crate) fn build_open(mut r: OpenReading<'_>, mut p: Parsed, text: &str) -> Parsed {
    // A line for the trace: quoted a few times per open, so the lines are cut once.
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |i: usize| LineStart(lines.get(i).copied().unwrap_or("").trim());
    let mut flagged = false;
    let mut confidence: f64 = 0.6;

    p.kind = SignalKind::Open;
    p.trace
        .push("kind: open — symbol, side and levels".to_string());
    let Some(first) = r.symbols.first() else {
        return super::set_aside(p, super::NO_SYMBOL.to_string());
    };
    // "₿ BITCOIN (#BTC/USDT)": the same coin named twice, the pair written out is the one.
    let hit = r
        .symbols
        .iter()
        .find(|h| {
            h.canonical.len() > first.canonical.len() && h.canonical.starts_with(&first.canonical)
        })
        .unwrap_or(first);
    p.symbol = Some(hit.canonical.clone());
    let hit_symbol = hit.canonical.clone();
    // How wide an entry zone may be: crypto ladders ("DCA 2.45 / 2.38 / 2.30") span more of the
    // price than a forex or gold zone does.
    let widest_zone = if matches!(hit.how, How::Crypto | How::Ticker) {
        0.15
    } else {
        0.05
    };
    p.trace.push(hit.trace());
    if let Some(other) = r
        .symbols
        .iter()
        .find(|h| h.canonical != hit.canonical && !hit.canonical.starts_with(&h.canonical))
    {
        p.trace.push(trace_fmt!(
            "symbol: also mentions {} — which one is unclear",
            other.canonical
        ));
        flagged = true;
    }

    if let Some(range) = super::symbols::price_range(&hit.canonical) {
        let symbol = hit.canonical.clone();
        fit_to_range(&mut r, range, &symbol, &mut p);
    }

    let order = match &r.order {
        Some((o, raw)) => {
            p.trace.push(trace_fmt!("order: words '{raw}' → {o}"));
            *o
        }
        None => {
            match &r.market {
                Some(w) => p.trace.push(trace_fmt!("order: market (word '{w}')")),
                None => p
                    .trace
                    .push("order: market (no limit/stop word)".to_string()),
            }
            OrderType::Market
        }
    };
    p.order = Some(order);

    target_line_before_stop_as_entry(&mut r, &mut p);
    // Entry: one price or a zone.
    let mut entries: Vec<f64> = r.entries.iter().map(|(v, _)| *v).collect();
    // "Entry 1: 23.40 / Entry 2: 22.85 / Entry 3: 22.30", a Cornix card's "Entry Targets": a
    // ladder of entries is the zone it spans.
    let (lo, hi) = entries
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), &e| (lo.min(e), hi.max(e)));
    if entries.len() > 2 && lo > 0.0 && (hi - lo) / hi <= widest_zone {
        p.trace.push(trace_fmt!(
            "entry: {} levels, a ladder — the zone {lo}-{hi}",
            entries.len()
        ));
        entries = vec![lo, hi];
    }
    if entries.len() > 2 {
        p.trace.push(trace_fmt!(
            "entry: {} numbers where one or two were expected — using the first two",
            entries.len()
        ));
        entries.truncate(2);
        flagged = true;
    }
    let entry_line = r.entries.first().map(|(_, l)| *l).unwrap_or(0);
    p.entry = match entries.as_slice() {
        [] => {
            if order == OrderType::Market {
                p.trace
                    .push("entry: none — market at the current price".to_string());
            } else {
                p.trace
                    .push(trace_fmt!("entry: missing for a {order} order"));
                flagged = true;
            }
            None
        }
        [a] => {
            p.trace.push(trace_fmt!(
                "entry: price {a} on line {} '{}'",
                entry_line + 1,
                line_of(entry_line)
            ));
            Some(Entry::Price(*a))
        }
        [a, b, ..] => {
            let (lo, hi) = if a <= b { (*a, *b) } else { (*b, *a) };
            if lo == hi {
                p.trace.push(trace_fmt!(
                    "entry: degenerate zone {a}-{b} on line {} → one price",
                    entry_line + 1
                ));
                Some(Entry::Price(lo))
            } else {
                p.trace.push(trace_fmt!(
                    "entry: zone {a}-{b} on line {} '{}'",
                    entry_line + 1,
                    line_of(entry_line)
                ));
                if (hi - lo) / hi > widest_zone {
                    p.trace.push(trace_fmt!(
                        "entry: zone wider than {}% — implausible",
                        widest_zone * 100.0
                    ));
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
        .or(match r.sl {
            Some((StopLoss::Price(v), _)) => Some(v),
            _ => None,
        })
        .or(r.tps.iter().find_map(|t| match t.target {
            Target::Price(v) => Some(v),
            Target::Pips { .. } => None,
        }));
    // Far enough to be a shorthand or a slip of a digit, not a wide crypto target.
    let far = |v: f64| reference.is_some_and(|r| v / r > 4.0 || v / r < 0.25);

    // The side: a word, or what the levels say.
    let side = match r.sides.first() {
        Some(word) => {
            p.trace.push(trace_fmt!("side: word {word}"));
            word.side
        }
        None => match infer_side(&r, p.entry.map(|e| e.reference())) {
            Some((side, why)) => {
                p.trace
                    .push(trace_fmt!("side: inferred from levels ({why}) → {side}"));
                confidence -= 0.05;
                side
            }
            // The levels that showed the side did not survive the checks: no side, no open.
            None => {
                return super::set_aside(
                    p,
                    "no buy/sell/long/short, and the levels left do not show one".to_string(),
                );
            }
        },
    };
    p.side = Some(side);

    // On a currency pair a whole number far below any price is a distance in pips ("stop loss
    // 30 take profit 60" on EURUSD); on gold or an index it could as well be dollars or points.
    let pair = super::symbols::is_currency_pair(&hit_symbol);
    let as_pips = |v: f64| {
        pair && v.fract() == 0.0
            && (5.0..MAX_BARE_PIPS).contains(&v)
            && reference.is_some_and(|r| v > r * 4.0)
    };
    // "SL 820" beside EURUSD 1.0850: the last three digits of 1.0820, not 820 pips.
    let pair_short = |v: f64, above: bool| {
        reference
            .filter(|&r| pair && (v - r).abs() / r > 0.2)
            .and_then(|r| pair_shorthand(v, r, above))
    };
    let mut sl = r.sl;
    if let Some((StopLoss::Price(v), line)) = sl
        && let Some(full) = pair_short(v, side == Side::Sell)
    {
        p.trace.push(trace_fmt!(
            "sl: '{v}' on line {} read as {full} (the last digits of a price near {})",
            line + 1,
            reference.unwrap_or_default()
        ));
        sl = Some((StopLoss::Price(full), line));
    } else if let Some((StopLoss::Price(v), line)) = sl
        && far(v)
        && as_pips(v)
    {
        p.trace.push(trace_fmt!(
            "sl: '{v}' on line {} read as {v} pips (no price of {hit_symbol})",
            line + 1
        ));
        sl = Some((StopLoss::Pips { pips: v }, line));
    } else if let Some((StopLoss::Price(v), line)) = sl
        && far(v)
    {
        // Money or a signed distance (`SL: 10$`, `SL -10`) is never a price's last digits.
        let loose = r.loose.contains(&v);
        match reference
            .filter(|_| !loose)
            .and_then(|rf| expand_short(v, rf, side == Side::Sell, false))
        {
            Some(full) => {
                p.trace.push(trace_fmt!(
                    "sl: shorthand '{v}' after {} → {full}",
                    reference.unwrap_or_default()
                ));
                sl = Some((StopLoss::Price(full), line));
            }
            None => {
                let why = if loose {
                    "an amount or a distance, not a price"
                } else {
                    "far from the entry"
                };
                p.trace.push(trace_fmt!(
                    "sl: dropped {v} on line {} '{}' — {why}",
                    line + 1,
                    line_of(line)
                ));
                sl = None;
                flagged = true;
            }
        }
    } else if let Some((s, line)) = sl {
        p.trace.push(match s {
            StopLoss::Pips { pips } => {
                trace_fmt!("sl: {pips} pips on line {} '{}'", line + 1, line_of(line))
            }
            _ => trace_fmt!("sl: line '{}'", line_of(line)),
        });
    }
    match sl {
        Some((s, _)) => p.sl = Some(s),
        None => match &r.sl_placeholder {
            Some(w) => p.trace.push(trace_fmt!(
                "sl: none — a placeholder ('{w}') stands in its place"
            )),
            None => p.trace.push("sl: none given".to_string()),
        },
    }

    // Targets that share a line with another ("TP 420/450/480").
    let listed = |line: usize| r.tps.iter().filter(|t| t.line == line).count() > 1;
    let listed: Vec<bool> = r.tps.iter().map(|t| listed(t.line)).collect();
    let mut last_line = None;
    for (t, listed) in r.tps.into_iter().zip(listed) {
        let mut target = t.target;
        if let Target::Price(v) = target
            && let Some(full) = pair_short(v, side == Side::Buy)
        {
            p.trace.push(trace_fmt!(
                "tp: '{v}' on line {} read as {full} (the last digits of a price near {})",
                t.line + 1,
                reference.unwrap_or_default()
            ));
            target = Target::Price(full);
        } else if let Target::Price(v) = target
            && far(v)
        {
            if as_pips(v) {
                p.trace.push(trace_fmt!(
                    "tp: '{v}' on line {} read as {v} pips (no price of {hit_symbol})",
                    t.line + 1
                ));
                target = Target::Pips { pips: v };
            } else if let Some(alt) = t.alt.filter(|a| !far(*a)) {
                p.trace.push(trace_fmt!(
                    "tp: '{v}' read as an index and {alt} on line {}",
                    t.line + 1
                ));
                target = Target::Price(alt);
            } else if let Some(groups) = t
                .spaced
                .and_then(|(a, b)| spaced_targets(text.get(a..b)?, &far))
            {
                // "tp 154 160 168", "Alvo 2 150.40": targets listed with spaces, or an index
                // before the price, not one number in thousands.
                p.trace.push(trace_fmt!(
                    "tp: '{v}' read as {groups:?} on line {} (groups written apart)",
                    t.line + 1
                ));
                if last_line != Some(t.line) {
                    p.trace.push(trace_fmt!("tp: line '{}'", line_of(t.line)));
                    last_line = Some(t.line);
                }
                p.tp.extend(groups.iter().map(|&g| Target::Price(g)));
                continue;
            } else if let Some(full) = reference
                .filter(|_| !r.loose.contains(&v))
                .and_then(|rf| expand_short(v, rf, side == Side::Buy, listed))
            {
                p.trace.push(trace_fmt!(
                    "tp: shorthand '{v}' after {} → {full}",
                    reference.unwrap_or_default()
                ));
                target = Target::Price(full);
            } else {
                p.trace.push(trace_fmt!(
                    "tp: dropped {v} on line {} '{}' — far from the entry",
                    t.line + 1,
                    line_of(t.line)
                ));
                flagged = true;
                continue;
            }
        }
        if last_line != Some(t.line) {
            p.trace.push(trace_fmt!("tp: line '{}'", line_of(t.line)));
            last_line = Some(t.line);
        }
        p.tp.push(target);
    }
    for n in r.notes {
        p.trace.push(n);
    }
    flagged |= r.sl_extra;
    flagged |= check_levels(&mut p, side);

    if p.sl.is_some() {
        confidence += 0.2;
    }
    if !p.tp.is_empty() {
        confidence += 0.15;
    }
    if p.entry.is_some() || r.market.is_some() {
        confidence += 0.05;
    }
    if flagged {
        confidence = confidence.min(0.4);
    }
    p.confidence = confidence.clamp(0.0, 1.0);
    p
}

/// Levels read against the symbol's plausible prices: `99.500` on BTC is 99500 (dot thousands),
/// `entry 52` beside a stop at 4044 on gold is 4052 (the last digits of a price); a number that no
/// reading brings into range is left for the distance checks to drop.
fn fit_to_range(r: &mut OpenReading<'_>, (lo, hi): (f64, f64), symbol: &str, p: &mut Parsed) {
    let inside = |v: f64| (lo..=hi).contains(&v);
    let sl_price = match r.sl {
        Some((StopLoss::Price(v), _)) => Some(v),
        _ => None,
    };
    // The message writes thousands with a dot ("99.500 - 100.200"): some number with decimals is
    // no price until read so; then `102.000` is 102000 too.
    let dot_thousands = r
        .entries
        .iter()
        .map(|e| e.0)
        .chain(sl_price)
        .chain(r.tps.iter().filter_map(|t| match t.target {
            Target::Price(v) => Some(v),
            Target::Pips { .. } => None,
        }))
        .any(|v| v.fract() != 0.0 && !inside(v) && inside(v * 1000.0));
    let fit = |v: f64, what: &str, p: &mut Parsed| -> f64 {
        if inside(v) {
            return v;
        }
        // `128.7` is 128700 exactly, not the float product's 128699.99999999999.
        let thousands = (v * 1000.0).round();
        if dot_thousands && inside(thousands) && (v * 1000.0 - thousands).abs() < 1e-6 {
            p.trace.push(trace_fmt!(
                "{what}: {v} read as {thousands} (dot thousands; {symbol} trades between {lo} and {hi})"
            ));
            return thousands;
        }
        v
    };
    for e in &mut r.entries {
        e.0 = fit(e.0, "entry", p);
    }
    if let Some((StopLoss::Price(v), line)) = r.sl {
        r.sl = Some((StopLoss::Price(fit(v, "sl", p)), line));
    }
    for t in &mut r.tps {
        if let Target::Price(v) = t.target {
            t.target = Target::Price(fit(v, "tp", p));
        }
    }
    // An entry out of range, none in range, beside levels in range: the last digits of a price
    // near them ("entry 52" beside a stop at 4044).
    let (sum, count) =
        r.sl.iter()
            .filter_map(|(s, _)| match s {
                StopLoss::Price(v) => Some(*v),
                _ => None,
            })
            .chain(r.tps.iter().filter_map(|t| match t.target {
                Target::Price(v) => Some(v),
                Target::Pips { .. } => None,
            }))
            .filter(|v| inside(*v))
            .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if count > 0 && !r.entries.iter().any(|e| inside(e.0)) {
        let reference = sum / count as f64;
        for e in &mut r.entries {
            if e.0.fract() != 0.0 || e.0 < 1.0 {
                continue;
            }
            let digits = (e.0 as u64).to_string().len() as i32;
            let m = 10f64.powi(digits);
            if !shorthand_scale(m, reference) {
                continue;
            }
            let base = reference.trunc() - reference.trunc() % m + e.0;
            let nearest = [base - m, base, base + m]
                .into_iter()
                .min_by(|a, b| (a - reference).abs().total_cmp(&(b - reference).abs()));
            if let Some(full) =
                nearest.filter(|f| inside(*f) && (f - reference).abs() / reference < 0.05)
            {
                p.trace.push(trace_fmt!(
                    "entry: shorthand '{}' beside levels near {reference} → {full}",
                    e.0
                ));
                e.0 = full;
            }
        }
    }
    // What no reading brings into range is no price of the symbol: a time, an id, a lot size.
    r.entries.retain(|&(v, line)| {
        let keep = inside(v);
        if !keep {
            p.trace.push(trace_fmt!(
                "entry: {v} on line {} dropped — no price of {symbol} ({lo} to {hi})",
                line + 1
            ));
        }
        keep
    });
}

/// Line `n` (from 0) of `text`, without its line break; empty past the last.
pub(crate) fn nth_line(text: &str, n: usize) -> &str {
    let bytes = text.as_bytes();
    let mut start = 0;
    for _ in 0..n {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(at) => start += at + 1,
            None => return "",
        }
    }
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |at| start + at);
    &text[start..end]
}

/// A line as the trace quotes it: its first 60 characters, then `…` if there is more. Written
/// straight into the trace line rather than into a string of its own.
pub(crate) struct LineStart<'a>(pub &'a str);

impl std::fmt::Display for LineStart<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No more bytes than characters to show: nothing to count.
        if self.0.len() <= 60 {
            return f.write_str(self.0);
        }
        match self.0.char_indices().nth(60) {
            Some((cut, _)) => {
                f.write_str(&self.0[..cut])?;
                f.write_str("…")
            }
            None => f.write_str(self.0),
        }
    }
}

/// With no side word: SL below the entry and TPs above is a buy, the mirror a sell.
pub(crate) fn infer_side(r: &OpenReading<'_>, entry: Option<f64>) -> Option<(Side, &'static str)> {
    let e = entry?;
    let Some((StopLoss::Price(sl), _)) = r.sl else {
        return None;
    };
    let tps: Vec<f64> = r
        .tps
        .iter()
        .filter_map(|t| match t.target {
            Target::Price(v) => Some(v),
            Target::Pips { .. } => None,
        })
        .collect();
    if tps.is_empty() {
        return None;
    }
    if sl < e && tps.iter().all(|&t| t > e) {
        Some((Side::Buy, "SL below the entry, TPs above"))
    } else if sl > e && tps.iter().all(|&t| t < e) {
        Some((Side::Sell, "SL above the entry, TPs below"))
    } else {
        None
    }
}

/// "GOLD SELL NOW / 💰 4238 - 4242 / ❌ SL 4247 / ✅ TP 4235 / ✅ TP 4232": a line marked as a
/// target above the stop, with no entry read and the labelled targets below the stop. Read as
/// the first target it would put the targets out of order; read as the entry, every level is on
/// its side — the consistent reading is taken.
fn target_line_before_stop_as_entry(r: &mut OpenReading<'_>, p: &mut Parsed) {
    let Some((StopLoss::Price(sl), sl_line)) = r.sl else {
        return;
    };
    let Some(first_line) = r.tps.first().map(|t| t.line) else {
        return;
    };
    if !r.entries.is_empty() || first_line >= sl_line {
        return;
    }
    let price = |t: &Tp| match t.target {
        Target::Price(v) => Some(v),
        Target::Pips { .. } => None,
    };
    let (head, rest): (Vec<&Tp>, Vec<&Tp>) = r.tps.iter().partition(|t| t.line == first_line);
    let Some(head) = head.iter().map(|t| price(t)).collect::<Option<Vec<f64>>>() else {
        return;
    };
    let Some(rest) = rest
        .iter()
        .filter(|t| t.line > sl_line)
        .map(|t| price(t))
        .collect::<Option<Vec<f64>>>()
    else {
        return;
    };
    if head.len() > 2 || rest.is_empty() || rest.len() + head.len() != r.tps.len() {
        return;
    }
    // The side the stop and the labelled targets give; the line's prices between them.
    let s = if rest.iter().all(|&t| t > sl) {
        1.0
    } else {
        -1.0
    };
    let between = |v: f64| s * (v - sl) > 0.0 && rest.iter().all(|&t| s * (t - v) > 0.0);
    if !rest.iter().all(|&t| s * (t - sl) > 0.0) || !head.iter().all(|&v| between(v)) {
        return;
    }
    r.entries = head.iter().map(|&v| (v, first_line)).collect();
    r.tps.retain(|t| t.line != first_line);
    p.trace.push(trace_fmt!(
        "entry: line {} is marked as a target but sits between the stop and the targets — the entry",
        first_line + 1
    ));
}

/// SL and TPs on the right side of the entry, TPs in order, no level 10× off. Returns whether
/// anything was wrong (each problem is named in the trace).
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
        p.trace.push(trace_fmt!(
            "sl: {sl} is on the wrong side of the entry for a {side} — implausible"
        ));
        wrong = true;
    }
    // "الهدف ٤١٩٨ - ٤٢٠٥ … / TP 4198 - 4205 …": the ticket written twice, in two languages.
    let half = p.tp.len() / 2;
    if half > 0 && p.tp.len() % 2 == 0 && p.tp[..half] == p.tp[half..] {
        p.tp.truncate(half);
        p.trace
            .push("tp: the same targets written twice — read once".to_string());
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
            p.trace.push(trace_fmt!(
                "tp: {tp} is on the wrong side of the entry for a {side} — implausible"
            ));
            wrong = true;
        }
        if let Some(sl) = sl_price
            && s * (tp - sl) <= 0.0
        {
            p.trace.push(trace_fmt!(
                "tp: {tp} is beyond the stop loss {sl} for a {side} — implausible"
            ));
            wrong = true;
        }
    }
    if prices.windows(2).any(|w| s * (w[1] - w[0]) <= 0.0) {
        p.trace
            .push("tp: targets out of order — implausible".to_string());
        wrong = true;
    }
    if let Some(StopLoss::Pips { pips }) = p.sl
        && !(pips > 0.0 && pips < 10_000.0)
    {
        p.trace.push(trace_fmt!("sl: {pips} pips is implausible"));
        wrong = true;
    }
    wrong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_expand_towards_the_right_side() {
        assert_eq!(expand_short(69.0, 4055.0, true, false), Some(4069.0));
        assert_eq!(expand_short(40.0, 4055.0, false, false), Some(4040.0));
        assert_eq!(expand_short(10.0, 4055.0, true, false), Some(4110.0));
        assert_eq!(expand_short(69.5, 4055.0, true, false), None);
        assert_eq!(expand_short(4.0, 4055.0, true, false), None);
        // Three digits only in a list of targets, and only near the price.
        assert_eq!(expand_short(420.0, 21380.0, true, false), None);
        assert_eq!(expand_short(420.0, 21380.0, true, true), Some(21420.0));
        assert_eq!(expand_short(420.0, 4055.0, true, true), None);
        assert_eq!(index_dot_price("3.4408"), Some(4408.0));
        assert_eq!(index_dot_price("1.0850"), Some(850.0));
    }
}
