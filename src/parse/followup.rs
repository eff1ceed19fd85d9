//! Follow-ups to an earlier signal: move the stop, change a target, close, cancel — read from the
//! token stream, so every language of the lexicon is understood by the same few rules.

use super::lexicon::{Class, Lang};
use super::numbers::read_numbers;
use super::tokens::{Kind, Lexed, Token};
use crate::model::Side;

/// What a follow-up asks for, with the wording that matched (for the trace).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FollowUp {
    /// Move the stop to the entry price.
    Breakeven { wording: String },
    /// Move the stop to a price (or a distance in pips).
    StopTo {
        price: f64,
        pips: bool,
        wording: String,
    },
    /// A new (or changed) take profit.
    TargetTo { price: f64, wording: String },
    /// A new (or changed) take profit at a distance from the entry ("extend TP to +150 pips").
    TargetPips { pips: f64, wording: String },
    /// Close all or part (`None`: "partials" with no amount) of the position, or cancel a pending order.
    Close {
        fraction: Option<f64>,
        wording: String,
    },
}

impl FollowUp {
    pub(crate) fn wording(&self) -> &str {
        match self {
            FollowUp::Breakeven { wording }
            | FollowUp::StopTo { wording, .. }
            | FollowUp::TargetTo { wording, .. }
            | FollowUp::TargetPips { wording, .. }
            | FollowUp::Close { wording, .. } => wording,
        }
    }
}

/// The follow-ups of a message, and notes on those set aside.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub follow_ups: Vec<FollowUp>,
    pub notes: Vec<String>,
    /// An instruction not to act on as written (a close whose amount cannot be taken at face
    /// value, a negated or conditional one): why.
    pub doubt: Option<String>,
    /// A modification negated or on a condition: why, if no other instruction stands.
    set_aside: Option<String>,
}

struct View<'a> {
    text: &'a str,
    toks: &'a [Token],
    /// The message writes decimals with a comma (see [`Lexed::decimal_comma`]).
    decimal_comma: bool,
}

impl View<'_> {
    fn class(&self, i: usize) -> Option<Class> {
        self.toks.get(i).and_then(|t| t.class)
    }

    fn same_line(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) => x.line == y.line,
            _ => false,
        }
    }

    /// Tokens after `i` on its line, at most `n`.
    fn after(&self, i: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
        let line = self.toks.get(i).map(|t| t.line);
        (i + 1..self.toks.len())
            .take_while(move |&k| Some(self.toks[k].line) == line && self.toks[k].kind != Kind::Nl)
            .take(n)
    }

    /// Tokens before `i` on its line, nearest first; at most 16, so that a long line of
    /// keywords stays linear.
    fn before(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let line = self.toks.get(i).map(|t| t.line);
        (0..i)
            .rev()
            .take_while(move |&k| Some(self.toks[k].line) == line && self.toks[k].kind != Kind::Nl)
            .take(16)
    }

    fn raw(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The text from token `a` to token `b`, for the trace.
    fn span(&self, a: usize, b: usize) -> String {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) if x.start <= y.end => self
                .text
                .get(x.start..y.end)
                .unwrap_or("")
                .trim()
                .to_string(),
            _ => String::new(),
        }
    }

    /// Whether the token at `i` is one of `words` (lower case), ignoring its case; no copy made
    /// of an ASCII word.
    fn word_in(&self, i: usize, words: &[&str]) -> bool {
        super::text::one_of(self.raw(i), words)
    }

    /// Whether the token at `i` starts with one of `prefixes` (lower case), ignoring its case.
    fn word_starts(&self, i: usize, prefixes: &[&str]) -> bool {
        let raw = self.raw(i);
        if raw.is_ascii() {
            let first = raw.as_bytes().first().map(u8::to_ascii_lowercase);
            prefixes.iter().any(|p| {
                p.as_bytes().first().copied() == first
                    && raw
                        .get(..p.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
        } else {
            let first = raw.chars().next().map(lower_first);
            prefixes.iter().any(|p| {
                let mut lower = raw.chars().flat_map(char::to_lowercase);
                p.chars().next() == first && p.chars().all(|c| lower.next() == Some(c))
            })
        }
    }

    /// A token's lower case, copied only when it has capitals.
    fn lower(&self, i: usize) -> std::borrow::Cow<'_, str> {
        let raw = self.raw(i);
        if raw.chars().any(char::is_uppercase) {
            std::borrow::Cow::Owned(raw.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(raw)
        }
    }

    /// The token at `i` is written with a plus sign: a gain ("+42%", "at +20 pips").
    fn signed_up(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| self.text[..t.start].ends_with('+'))
    }

    /// The numbers a number token writes, read with the message's decimal mark.
    fn numbers(&self, i: usize) -> super::numbers::Numbers {
        super::numbers::read_numbers_with(self.raw(i), self.decimal_comma)
    }

    fn any(&self, class: Class) -> bool {
        self.toks.iter().any(|t| t.class == Some(class))
    }
}

/// A letter's lower case when it is one letter (the first of several otherwise, as
/// `to_lowercase` begins).
fn lower_first(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_stop(c: Option<Class>) -> bool {
    matches!(c, Some(Class::Sl | Class::Stop))
}

/// A stop at breakeven reported as taken ("BE hit", "closed at breakeven"): the wording.
pub(crate) fn breakeven_result(text: &str, lexed: &Lexed) -> Option<String> {
    let v = View {
        text,
        toks: &lexed.tokens,
        decimal_comma: lexed.decimal_comma,
    };
    // "🤖 STOP LOSS HIT … Profit: 0.0 pips (breakeven)": the stop reported hit, the breakeven
    // says where.
    // (Not "buy stop đã khớp": the order's type, filled.)
    let stop_hit = v.toks.windows(3).any(|w| {
        is_stop(w[1].class)
            && w[2].class == Some(Class::Result)
            && w[1].line == w[2].line
            && !matches!(w[0].class, Some(Class::Side(_)))
    }) || v.toks.first().is_some_and(|t| is_stop(t.class))
        && v.class(1) == Some(Class::Result);
    for (i, t) in v.toks.iter().enumerate() {
        if stop_hit && t.class == Some(Class::Breakeven) {
            return Some(v.raw(i).to_string());
        }
        // "Kena SL di BEP", "استاپ خورد روی نقطه ورود", "imegusa SL kwenye entry": the stop
        // hit at the entry is a breakeven too.
        // (Not "Move SL to entry ✅ profits secured": moved there, told with a tick.)
        let entry_hit = t.class == Some(Class::Entry)
            && v.before(i).take(3).any(|k| is_stop(v.class(k)))
            && !v.before(i).any(|k| v.class(k) == Some(Class::Move));
        if !matches!(t.class, Some(Class::Breakeven | Class::BeWeak)) && !entry_hit {
            continue;
        }
        // "we don't want to be filled into that": the English verb after "to".
        if t.class == Some(Class::BeWeak)
            && i.checked_sub(1).is_some_and(|p| {
                v.word_in(
                    p,
                    &[
                        "to",
                        "will",
                        "would",
                        "can",
                        "could",
                        "might",
                        "may",
                        "must",
                        "can't",
                        "cant",
                        "cannot",
                        "won't",
                        "wont",
                        "wouldn't",
                        "couldn't",
                        "shouldn't",
                        "should",
                    ],
                )
            })
        {
            continue;
        }
        // "… taken out at break even. / CLOSE ALL OPEN POSITIONS NOW": the report, then an
        // instruction on a line of its own.
        if v.toks
            .iter()
            .any(|n| n.line > t.line && n.class == Some(Class::Close))
        {
            continue;
        }
        // (Not "move SL to entry, TP1 done ✅": the target's result.)
        if let Some(k) = v.after(i, 2).find(|&k| {
            v.class(k) == Some(Class::Result) && !(i + 1..k).any(|n| v.class(n) == Some(Class::Tp))
        }) {
            return Some(v.span(i, k));
        }
        // Past the stop's word: "Kena SL di BEP" (not "filled, stops to break even": a move).
        let mut back = v
            .before(i)
            .take(2)
            .chain(v.before(i).skip(2).take(1).filter(|&k| {
                k + 3 == i
                    && v.before(i).take(2).any(|j| is_stop(v.class(j)))
                    // "ضربت الستوب على الدخول": hit at the entry ("filled stops to break even":
                    // moved to it).
                    && !(k + 1..i).any(|j| {
                        v.class(j) == Some(Class::To)
                            && !v.word_in(j, &["على", "عند", "on", "at", "روی", "در", "di", "em", "en"])
                    })
            }));
        // "TP1 hit ✅ risk free": the result is the target's; the breakeven is the instruction.
        // "usdjpy filled. sl be": a report, then the instruction in a sentence of its own.
        if let Some(k) = back.find(|&k| v.class(k) == Some(Class::Result))
            && !v.before(k).take(3).any(|j| v.class(j) == Some(Class::Tp))
            && !boundary_between(&v, k, i)
        {
            return Some(v.span(k, i));
        }
    }
    None
}

/// Negation words that negate an instruction by themselves.
const NEGATED_ALONE: &[&str] = &[
    // "Bu bir sinyal değildir": the object before its negation.
    "sinyal değildir",
    "sinyal degildir",
    "sinyal değil",
    "sinyal degil",
    "kopyalamayın",
    "kopyalamayin",
    "نشید",
    "نشوید",
    "alma",
    "almayın",
    "almayin",
    "satma",
    "satmayın",
    "satmayin",
    "girme",
    "girmeyin",
    "işleme girmeyin",
    "paper trade",
    "paper trading",
    "personal trade",
];

/// A negated instruction ("do not cancel", "this is not a buy signal"): the wording.
///
/// `advice[line]` marks the lines of commentary around a ticket: "don't chase" there is advice on
/// how to take the ticket ("if you missed the entry, don't chase"), not a refusal of it.
/// `pending`: the message is a ticket for a limit or stop order, whose "don't enter at market",
/// "do not enter before price comes" are how to take it, not a refusal of it.
pub(crate) fn negated(text: &str, lexed: &Lexed, advice: &[bool], pending: bool) -> Option<String> {
    let v = View {
        text,
        toks: &lexed.tokens,
        decimal_comma: lexed.decimal_comma,
    };
    // The ticket's side, from a line that is not commentary.
    let ticket_side = v
        .toks
        .iter()
        .find(|t| advice.get(t.line) == Some(&false) && matches!(t.class, Some(Class::Side(_))))
        .and_then(|t| t.class);
    if let Some(wording) = no_signal(&v) {
        return Some(wording);
    }
    for (i, t) in v.toks.iter().enumerate() {
        if t.class != Some(Class::Negation) {
            continue;
        }
        // "Main ne gold sell … close kar di": Hindi's "ne" after its subject marks who did it.
        if v.raw(i).eq_ignore_ascii_case("ne")
            && i.checked_sub(1)
                .is_some_and(|p| v.word_in(p, &["main", "hum", "maine", "humne", "usne", "unhone"]))
        {
            continue;
        }
        // Romanian "nu" negates a Romanian word; before another language's it is Dutch "nu"
        // (now): "Goud nu kopen!!".
        if v.raw(i).eq_ignore_ascii_case("nu")
            && v.toks
                .get(i + 1)
                .is_some_and(|n| n.lang.is_some_and(|l| l != Lang::Ro))
        {
            continue;
        }
        // "I'm not chasing longs up here" above a sell: the other side refused, in the
        // commentary, is the reason for the ticket.
        if advice.get(t.line) == Some(&true)
            && let Some(Class::Side(ours)) = ticket_side
            && v.after(i, 4)
                .take_while(|&k| !boundary_between(&v, i, k))
                .any(|k| matches!(v.class(k), Some(Class::Side(s)) if s != ours))
        {
            continue;
        }
        // Around a ticket, a lesson ("don't chase", "market gives to those who wait, not to
        // those who chase") refuses nothing; "do not take this trade" points at the ticket, and
        // so does a line with a hand pointing down at it ("👇 (already closed, DO NOT ENTER)").
        if advice.get(t.line) == Some(&true)
            && !super::levels::nth_line(text, t.line).contains('👇')
            && !v
                .after(i, 4)
                .take_while(|&k| !boundary_between(&v, i, k))
                .any(|k| {
                    v.word_in(k, &["this", "it", "that", "trade", "one"])
                        || v.word_in(k, SIGNAL_WORDS)
                        || matches!(v.class(k), Some(Class::Side(_)))
                        || matches!(v.toks[k].kind, Kind::Sym(_))
                })
        {
            continue;
        }
        // The side itself negated, with at most an article or the symbol between: "not a buy",
        // "no longs", "KEIN Gold kaufen".
        // "NO vamos a vender oro", "not going to buy": past the auxiliary too.
        let mut next = v.after(i, 3).skip_while(|&k| {
            v.word_in(
                k,
                &[
                    "a", "an", "the", "to", "un", "une", "vamos", "voy", "vou", "going", "gonna",
                ],
            ) || matches!(v.toks[k].kind, Kind::Sym(_))
        });
        // Words that are a negated instruction by themselves: Turkish "alma" (don't buy),
        // "paper trade" (not to be copied).
        if v.word_in(i, NEGATED_ALONE) {
            return Some(v.raw(i).to_string());
        }
        // The side, the entry, the signal or its timing negated: "not a buy", "do not enter",
        // "not a signal", "NOT YET", "not now".
        if let Some(k) = next.next()
            && !(pending && matches!(v.class(k), Some(Class::Entry | Class::Market)))
            // "market — no entry price because it's moving fast": the level left out, not the
            // entry refused.
            && !(v.class(k) == Some(Class::Entry)
                && v.after(k, 1).any(|n| v.word_in(n, ENTRY_LEVEL_WORDS)))
            && (matches!(
                v.class(k),
                Some(Class::Side(_) | Class::Entry | Class::Market | Class::OrderWord)
            ) || v.word_in(k, SIGNAL_WORDS)
                || v.word_in(k, &["yet", "trade"]))
            && k <= i + 3
            && !boundary_between(&v, i, k)
        {
            return Some(v.span(i, k));
        }
        // Verb-final negation: "buy mat karo", "buy nahi", "alış sinyali değil".
        if v.toks[i].lang.is_some_and(Lang::verb_final)
            && let Some(k) = v.before(i).take(2).find(|&k| {
                (matches!(v.class(k), Some(Class::Side(_))) || v.word_in(k, SIGNAL_WORDS))
                    && !boundary_between(&v, k, i)
            })
        {
            return Some(v.span(k, i));
        }
        // "extend TP3 to 4198 … dont close early": a close refused beside a move is advice on
        // holding the trade the move manages.
        let moves = || {
            v.toks
                .iter()
                .any(|t| matches!(t.class, Some(Class::Move | Class::New | Class::Breakeven)))
        };
        if let Some(k) = v
            .after(i, 2)
            .find(|&k| matches!(v.class(k), Some(Class::Close | Class::Cancel)))
            .filter(|&k| !boundary_between(&v, i, k))
            .filter(|&k| !(v.class(k) == Some(Class::Close) && moves()))
        {
            return Some(v.span(i, k));
        }
        // Taking the trade negated: "Do not take this", "We are NOT taking", "Nicht
        // einsteigen", "No entrar", "trade mat lena".
        if let Some(k) = v
            .after(i, 3)
            .find(|&k| v.word_in(k, ENTRY_VERBS))
            // "No dulling, enter now!!": another clause's verb.
            .filter(|&k| !pending && !boundary_between(&v, i, k))
            // "not taking the risk", "not taking chances": a reason, not a trade refused.
            .filter(|&k| {
                !v.after(k, 2)
                    .any(|n| v.word_in(n, &["risk", "chances", "chance", "any"]))
            })
            // "Cancel the sell stop. Price ran away, no chasing": the entry refused is the
            // reason for the close or cancel said apart from it, not a veto of it.
            .filter(|&k| {
                // ("Señal cancelada … No entren": a signal withdrawn is no instruction.)
                !v.toks.iter().enumerate().any(|(c, t)| {
                    matches!(t.class, Some(Class::Close | Class::Cancel))
                        && !v.word_in(c, WITHDRAWN)
                        && (c < i || c > k)
                        && boundary_between(&v, c.min(i), c.max(k))
                })
            })
        {
            return Some(v.span(i, k));
        }
        // The verb first: "Wir nehmen das nicht".
        if let Some(k) = v
            .before(i)
            .take(3)
            .find(|&k| v.word_in(k, ENTRY_VERBS) && !boundary_between(&v, k, i))
        {
            return Some(v.span(k, i));
        }
    }
    // "Ignore the previous signal", "Skip this one", "Avoid GOLD BUY …".
    for (i, t) in v.toks.iter().enumerate() {
        // Every word of the list starts with one of these letters: most words are not lowered.
        let first = v.raw(i).chars().next().unwrap_or(' ');
        if t.kind == Kind::Word
            && matches!(
                first,
                'i' | 'I' | 's' | 'S' | 'a' | 'A' | 'z' | 'Z' | 'и' | 'И'
            )
            && v.word_in(i, IGNORE)
            // Not "too clean to ignore", "can't ignore": no imperative.
            && !i
                .checked_sub(1)
                .is_some_and(|p| v.word_in(p, &["to", "not", "cannot", "can't", "cant"]))
            // "…TP 2345 — skip, too risky": the word alone, its clause ending with it.
            && (v.toks.get(i + 1).is_none_or(|n| n.line != t.line) || boundary_between(&v, i, i + 1)
                || v.after(i, 3).any(|k| {
                matches!(v.class(k), Some(Class::OrderWord | Class::Side(_)))
                    || matches!(v.toks[k].kind, Kind::Sym(_))
                    || v.word_in(
                        k,
                        &[
                            "signal", "previous", "this", "that", "last", "above", "trade", "them",
                            "it",
                        ],
                    )
            }))
        {
            return Some(v.span(i, v.after(i, 3).last().unwrap_or(i)));
        }
    }
    None
}

/// Verbs of taking a trade, which a negation before them withdraws.
const ENTRY_VERBS: &[&str] = &[
    "ambil",
    "masuk",
    "vào",
    "entrare",
    "entrate",
    "prendere",
    "instappen",
    "intrați",
    "luați",
    "ingia",
    "take",
    "taking",
    "chase",
    "chasing",
    "enter",
    "entering",
    "open",
    "opening",
    "einsteigen",
    "eingehen",
    "nehmen",
    "входите",
    "входить",
    "входим",
    "заходите",
    "заходить",
    "заходим",
    "брать",
    "берите",
    "entrar",
    "entre",
    "entren",
    "entrem",
    "entres",
    "tomar",
    "tomen",
    "prenez",
    "prendre",
    "entrez",
    "entrer",
    "wchodzić",
    "wchodzic",
    "wchodźcie",
    "wchodzimy",
    "brać",
    "lena",
    "lo",
    "lijiye",
    "تدخلوا",
    "تدخل",
    "ادخلوا",
    "تأخذوا",
    "girin",
    "girmek",
];

/// "Ignore", "skip", "avoid" in the languages: the signal it names is withdrawn.
const IGNORE: &[&str] = &[
    "avoid",
    "skip",
    "ignore",
    "ignorez",
    "ignorar",
    "ignoren",
    "ignorem",
    "ignorieren",
    "ignoriert",
    "игнорируйте",
    "игнорировать",
    "zignorujcie",
];

/// Words that withdraw a ticket posted with them.
const WITHDRAWN: &[&str] = &[
    "canceled",
    "cancelled",
    "cancelado",
    "cancelada",
    "anulada",
    "annulé",
    "annulée",
    "отменен",
    "отменён",
    "отмена",
    "storniert",
    "abgesagt",
    "anulowane",
    "anulowany",
    "iptal",
    "لغو",
    "ملغاة",
    "void",
    "expired",
    "fake",
];

/// A ticket marked withdrawn ("❌ CANCELLED ❌ XAUUSD BUY …", "… — cancelled, do not enter",
/// "not valid anymore"): the wording. Not one after a condition ("if it doesn't trigger I'll
/// cancel it").
pub(crate) fn withdrawn(text: &str, lexed: &Lexed) -> Option<String> {
    let v = View {
        text,
        toks: &lexed.tokens,
        decimal_comma: lexed.decimal_comma,
    };
    v.toks.iter().enumerate().find_map(|(i, t)| {
        let word = matches!(t.class, Some(Class::Invalid))
            || (matches!(t.class, Some(Class::Cancel | Class::Result)) && v.word_in(i, WITHDRAWN));
        let conditional = || v.before(i).any(|k| v.class(k) == Some(Class::Condition));
        (word && !conditional()).then(|| v.raw(i).to_string())
    })
}

/// Every follow-up instruction in the message (usually none or one).
pub(crate) fn find(text: &str, lexed: &Lexed, has_targets: bool) -> Found {
    let v = View {
        text,
        toks: &lexed.tokens,
        decimal_comma: lexed.decimal_comma,
    };
    let mut found = Found::default();
    let header = header_card(&v);
    // "Move SL to 4402, trade is risk free now": a price given in a clause of its own before the
    // breakeven is where the stop goes; the breakeven is what that makes of the trade.
    let stop = match breakeven(&v) {
        Some((be, at)) => match stop_to(&v, has_targets, header) {
            Some((price, label)) if label < at && boundary_between(&v, label, at) => {
                Some((price, label))
            }
            _ => Some((be, at)),
        },
        None => stop_to(&v, has_targets, header || targets_removed(&v)),
    };
    if let Some((f, at)) = stop {
        push_unless_conditional(&v, &mut found, f, at);
    }
    if let Some((targets, at)) = target_to(&v, header) {
        for f in targets {
            push_unless_conditional(&v, &mut found, f, at);
        }
    }
    match close(&v) {
        Some(Ok(c)) => found.follow_ups.push(c),
        // "moving my stop to breakeven now, the daily limit is too close to risk it": a close
        // word that is no verb leaves the move standing.
        // "Target 5 removed, we exit at target 4 latest. Remaining targets: …": the plan to
        // exit at a target leaves the new targets standing; "extend TP3 to 4198 … dont close
        // early": so does a close refused.
        Some(Err(why))
            if !found.follow_ups.is_empty()
                && (why.ends_with(NOT_A_VERB)
                    || why.ends_with(AT_TARGET)
                    || why.ends_with(NEGATED)) =>
        {
            found
                .notes
                .push(trace_fmt!("note: close word set aside — {why}"));
        }
        Some(Err(why)) => found.doubt = Some(why),
        None => {}
    }
    if found.follow_ups.is_empty() && found.doubt.is_none() {
        found.doubt = found.set_aside.take();
    }
    if found.follow_ups.is_empty()
        && found.doubt.is_none()
        && let Some(levels) = bare_level(&v)
    {
        found.follow_ups.extend(levels);
    }
    // "take the stop to entry, target stays 4175": beside a stop moved, the targets said to
    // stay are the trade's as they stand.
    if found
        .follow_ups
        .iter()
        .any(|f| matches!(f, FollowUp::StopTo { .. } | FollowUp::Breakeven { .. }))
        && !found
            .follow_ups
            .iter()
            .any(|f| matches!(f, FollowUp::TargetTo { .. }))
    {
        found.follow_ups.extend(kept_targets(&v));
    }
    found
}

/// The targets a message says stay where they are, with their prices ("target stays 4175",
/// "Next target 4200 remains", "TP remains 4215 / 4225").
fn kept_targets(v: &View) -> Vec<FollowUp> {
    let Some((i, k)) = v.toks.iter().enumerate().find_map(|(i, t)| {
        if t.class != Some(Class::Tp) || t.digits.is_some() {
            return None;
        }
        let k = v.after(i, 3).find(|&k| v.toks[k].kind == Kind::Num)?;
        let stays = (i + 1..k).any(|m| v.word_in(m, STAYS))
            || v.toks
                .get(k + 1)
                .is_some_and(|_| v.same_line(k, k + 1) && v.word_in(k + 1, STAYS));
        stays.then_some((i, k))
    }) else {
        return Vec::new();
    };
    let Some(&first) = v.numbers(k).first() else {
        return Vec::new();
    };
    let mut out = vec![FollowUp::TargetTo {
        price: first,
        wording: v.span(i, k),
    }];
    for (price, at) in listed_targets(v, first, k).unwrap_or_default() {
        out.push(FollowUp::TargetTo {
            price,
            wording: v.span(i, at),
        });
    }
    out
}

/// A bot card headed by its action, with no side: "[SigBridge] MODIFY #41872 / Symbol: XAUUSD /
/// SL: 4128.00": every level it gives is the new one.
fn header_card(v: &View) -> bool {
    let first_line = || v.toks.iter().take_while(|t| t.line == 0);
    let words = first_line().filter(|t| t.kind == Kind::Word).count();
    // "🤖 #4492 XAGUSD / Action: MODIFY / SL: 50.85": or its action field, under the heading;
    // "#XAUUSD SELL #1029 / ✏️ Modified by provider / SL: 4138.0": or its action, a short line
    // of its own under the trade's.
    let action = v.toks.iter().enumerate().any(|(k, t)| {
        t.line <= 2
            && (v.word_in(k, &["action", "acción", "ação", "aksi", "command"])
                && matches!(v.class(k + 1), Some(Class::Move | Class::Update))
                || t.line > 0
                    && matches!(t.class, Some(Class::Move | Class::Update))
                    && v.toks.iter().find(|o| o.line == t.line).map(|o| o.start) == Some(t.start)
                    && {
                        let line = || {
                            v.toks
                                .iter()
                                .filter(|o| o.line == t.line && o.kind != Kind::Nl)
                        };
                        line().count() <= 3
                            && line().all(|o| {
                                o.kind == Kind::Word
                                    && matches!(
                                        o.class,
                                        None | Some(Class::Move | Class::Update | Class::NotTicker)
                                    )
                            })
                    })
    });
    // The card's trade may be named with its side and ticket, never with an entry.
    let trade_named = || {
        v.toks.iter().all(|t| {
            !matches!(t.class, Some(Class::Side(_)))
                || action
                    && t.line <= 1
                    && !v.toks.iter().any(|n| {
                        n.line == t.line && n.kind == Kind::Num && !v.text[..n.start].ends_with('#')
                    })
        })
    };
    v.toks.last().is_some_and(|t| t.line > 1)
        && (words <= 4
            && first_line().any(|t| matches!(t.class, Some(Class::Move | Class::Update)))
            || action)
        && trade_named()
}

/// A short message that gives one new level and nothing else: "sl 4111", "Altın stop 4104",
/// "ETH TP 4300 kar do", "Stop im GER40 auf 23900 nachgezogen". A provider's follow-up to the
/// chat's trade, as a level posted alone after a bare call is (LABELS.md). Not a report (✅, a
/// gain), a question, a negation or a condition, not a ticket's piece (a side, an entry), not a
/// target by index ("TP2 4080": which one?), and not two or three digits alone ("sl 50": the last
/// digits of a price only the trade knows).
fn bare_level(v: &View) -> Option<Vec<FollowUp>> {
    let words = v.toks.iter().filter(|t| t.kind == Kind::Word).count();
    // A cross left unread as a label marks a stop hit ("SL ❌ -25 pips"); a tick, a hit or a
    // move done — done only where the label says where to ("EURUSD: stop a 1.1675 ✅").
    // "SL à 4296 ✅", "Stop 4341'e ✅", "SL 154.90 pe le aao ✅": the level the stop went to.
    let moved = v.toks.iter().enumerate().any(|(i, t)| {
        let level_to = |k: usize| {
            let Some(n) = v.toks.get(k).filter(|n| n.kind == Kind::Num) else {
                return false;
            };
            let mut rest = v.text[n.end..].chars();
            matches!(v.class(k + 1), Some(Class::To | Class::Move)) && v.same_line(k, k + 1)
                || matches!(rest.next(), Some('\'' | '’'))
                    && matches!(rest.next(), Some('e' | 'a' | 'y'))
        };
        matches!(t.class, Some(Class::Sl | Class::Stop))
            && (v.class(i + 1) == Some(Class::To)
                || v.word_in(i + 1, &["à", "a"])
                    && v.toks.get(i + 2).is_some_and(|n| n.kind == Kind::Num)
                || level_to(i + 1))
    });
    // "❌ 止蝕 -80點", "SL -25 pips": the stop's loss, reported.
    let loss = v.toks.iter().enumerate().any(|(i, t)| {
        is_stop(t.class)
            && v.after(i, 2)
                .find(|&k| v.toks[k].kind == Kind::Num)
                .is_some_and(|k| negative(v.text, v.toks[k].start))
    });
    if words > 8
        || loss
        || v.text.contains(['?', '💰', '+'])
        || reports_with(v, &['❌'])
        || !moved && reports_with(v, &['✅', '✔', '☑'])
    {
        return None;
    }
    // "SL for gold buy 4052", "Złoto sell – SL 4103": a side beside a stop alone names the
    // trades it moves; a ticket would give its target or "now".
    let side_names_trades = !v.any(Class::Market) && !v.any(Class::Tp);
    let excluded = v.toks.iter().enumerate().any(|(i, t)| {
        matches!(t.class, Some(Class::Side(_))) && !side_names_trades
            || matches!(
                t.class,
                Some(
                    Class::Entry
                        | Class::Condition
                        | Class::Hedge
                        | Class::Close
                        | Class::Cancel
                        | Class::Promo
                )
            )
            || t.class == Some(Class::Result) && !protected_profit(v.text, v.toks, i)
            // "… 🔒 تأمين ارباح": profit secured by the level, no breakeven.
            || t.class == Some(Class::Breakeven) && !v.word_in(i + 1, PROFIT_WORDS)
    });
    let mut labels: Vec<usize> = v
        .toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.class, Some(Class::Sl | Class::Stop | Class::Tp)))
        .map(|(i, _)| i)
        .collect();
    if excluded || labels.is_empty() {
        return None;
    }
    // "GOLD SL 4603 | الستوب إلى 4603": one stop said in two languages is one stop.
    let mut repeated = 0;
    let stop_levels: Vec<Option<(f64, bool, usize)>> = labels
        .iter()
        .filter(|&&i| is_stop(v.class(i)))
        .map(|&i| level_after(v, i))
        .collect();
    if let [Some((first, pips, _)), rest @ ..] = stop_levels.as_slice()
        && !rest.is_empty()
        && rest
            .iter()
            .all(|l| l.is_some_and(|(p, q, _)| p == *first && q == *pips))
    {
        let first_stop = labels.iter().position(|&i| is_stop(v.class(i)));
        let mut n = 0;
        labels.retain(|&i| {
            n += 1;
            !is_stop(v.class(i)) || Some(n - 1) == first_stop
        });
        repeated = rest.len();
    }
    // One stop, one target, or one of each ("📍 SL 4093 / 🎯 TP 4108 - 4115": the levels a
    // bare call was missing), each with its one level; a negation is the label's own ("don't
    // move the stop"), not another clause's ("DOGE stop a 0.2100, ya no perdemos").
    let stops = labels.iter().filter(|&&i| is_stop(v.class(i))).count();
    // "SL: 4034 / TP1: 4046 / TP2: 4051 / TP3: 4060" after a bare call: every target, numbered
    // from one, is the list the call was missing.
    let numbered: Vec<&str> = labels
        .iter()
        .filter(|&&i| v.class(i) == Some(Class::Tp))
        .filter_map(|&i| v.toks[i].digits.and_then(|(a, b)| v.text.get(a..b)))
        .collect();
    // Or each target under a label of its own, line after line ("SL 4041 / TP 4052 / TP 4056").
    let target_lines: Vec<usize> = labels
        .iter()
        .filter(|&&i| v.class(i) == Some(Class::Tp))
        .map(|&i| v.toks[i].line)
        .collect();
    let line_each = numbered.is_empty()
        && target_lines.len() >= 2
        && target_lines.windows(2).all(|w| w[0] < w[1]);
    let full_list = stops == 1
        && (numbered.len() >= 2
            && numbered.len() == labels.len() - stops
            && numbered
                .iter()
                .enumerate()
                .all(|(n, d)| d.parse::<usize>().is_ok_and(|d| d == n + 1))
            || line_each);
    if stops > 1 || labels.len() - stops > 1 && !full_list {
        return None;
    }
    // A stop and a target beside a symbol or an unknown word may be a ticket whose side word
    // is unknown ("EURUSD pompujemy SL 1.0800 TP 1.0900"): only the bare pair is levels, or a
    // card headed by its symbol alone ("#DOGE/USDT / Stop: 0,3050 / Alvos: 0,3220").
    // So does one headed by its symbol and a colon, or its symbol then the first label
    // ("BTC: SL 96200 | TP 98000 / 99500", "XRP 손절 2.31 / 익절 2.48").
    let headed = v.toks.first().is_some_and(|t| {
        matches!(t.kind, Kind::Sym(_))
            && (v.toks.get(1).is_some_and(|n| {
                n.kind == Kind::Nl || matches!(n.class, Some(Class::Sl | Class::Stop | Class::Tp))
            }) || v.text[t.end..].starts_with(':'))
    });
    // "SL 1.1640 e alvo final 1.1570 no EURUSD": the symbol after a preposition names the trade.
    const ON: &[&str] = &[
        "no", "na", "on", "for", "sul", "en", "em", "auf", "на", "по", "على", "در", "için",
    ];
    let named = |k: usize| k.checked_sub(1).is_some_and(|p| v.word_in(p, ON));
    if labels.len() == 2
        && v.toks.iter().enumerate().any(|(k, t)| {
            matches!(t.kind, Kind::Sym(_)) && !(headed && k == 0) && !named(k)
                // "SL 1.1730 et TP 1.1820": the "and" between the levels is known.
                || t.kind == Kind::Word
                    && t.class.is_none()
                    && !v.word_in(k, LIST_AND)
                    && !v.word_in(k, LEVEL_WORDS)
                    && !(v.word_in(k, ON) && named(k + 1))
        })
    {
        return None;
    }
    let mut out = Vec::new();
    let mut read = 0;
    for &i in &labels {
        let label = &v.toks[i];
        if negation_near(v, i, i).is_some()
            || is_stop(label.class) && stays(v, i)
            || label.class == Some(Class::Tp) && label.digits.is_some() && !full_list
        {
            return None;
        }
        let (price, pips, k) = level_after(v, i)?;
        if !pips && price.fract() == 0.0 && price < 100.0 {
            return None;
        }
        read += 1;
        let wording = v.span(i, k);
        if is_stop(label.class) {
            out.push(FollowUp::StopTo {
                price,
                pips,
                wording,
            });
        } else if pips {
            return None;
        } else {
            out.push(FollowUp::TargetTo { price, wording });
            // "Stop: 0,3050 / Alvos: 0,3220 / 0,3310": the targets' whole list (a numbered
            // list gives each under its own label).
            let more = if full_list {
                Vec::new()
            } else {
                listed_targets(v, price, k)?
            };
            for (next, at) in more {
                read += 1;
                out.push(FollowUp::TargetTo {
                    price: next,
                    wording: v.span(i, at),
                });
            }
        }
    }
    let numbers = v.toks.iter().filter(|t| t.kind == Kind::Num).count();
    (numbers == read + repeated).then_some(out)
}

/// "set breakeven if you wish to hold": a condition after a modification makes it advice.
fn push_unless_conditional(v: &View, found: &mut Found, f: FollowUp, at: usize) {
    // Where the instruction's words start: "Don't move SL to BE" negates "move", not "BE".
    let start = v
        .before(at)
        .take(4)
        .take_while(|&k| !boundary_between(v, k, at))
        .filter(|&k| {
            matches!(
                v.class(k),
                Some(Class::Move | Class::Sl | Class::Stop | Class::Tp | Class::New)
            )
        })
        .last()
        .unwrap_or(at);
    // "i moved my sl to 4180 on my own lol", "я себе в б/у поставил": a member's own stop.
    // "Moved my sl to be thx admin 🙏", "moved my SL to BE already, stress free": a stop of
    // one's own moved before, told with thanks or as done already.
    let own_stop = || {
        let clause = || {
            v.before(at)
                .take(4)
                .chain(v.after(at, 6).take_while(|&k| !boundary_between(v, at, k)))
        };
        let moved_mine = || {
            clause().any(|k| v.word_in(k, &["moved"]))
                && clause().any(|k| v.word_in(k, &["my"]))
                && (0..v.toks.len()).any(|k| v.word_in(k, THANKS) || v.word_in(k, &["already"]))
        };
        clause()
            .find(|&k| v.word_in(k, MY_OWN))
            .or_else(|| moved_mine().then_some(at))
            .filter(|_| !v.any(Class::Copy))
    };
    let why = match negation_near(v, start, at) {
        Some(k) => Some(trace_fmt!("'{}': negated", v.raw(k))),
        None if let Some(k) = own_stop() => Some(trace_fmt!(
            "'{}': someone's own stop, not an instruction",
            v.raw(k)
        )),
        None if let Some(k) = reported(v, start, at) => Some(trace_fmt!(
            "'{}': a report of the stop, not an instruction",
            v.raw(k)
        )),
        None => v
            .after(at, 12)
            // "MOVE STOP TO ENTRY NOW!!!! NO EXCUSES IF YOU GET STOPPED": another sentence's;
            // "moving my stop to breakeven now — …, there's NFP tomorrow": told now, and
            // another clause's day.
            .take_while(|&k| {
                !(sentence_between(v, at, k)
                    || boundary_between(v, at, k)
                        && (at + 1..k).any(|n| v.class(n) == Some(Class::Market)))
            })
            .find(|&k| {
                // "new TPs: 47720 / 47790 — momentum strong after open", "(extended, strong
                // after BoJ)": "after" in another clause says why, not when.
                let gap = &v.text[v.toks[at].end..v.toks[k].start];
                let after_here = v.word_in(k, &["after", "later"])
                    && !gap.contains(['—', '–', '('])
                    && !gap.contains(" - ");
                // ("Move your SL to entry if you haven't": the reader's own state.)
                (v.class(k) == Some(Class::Condition) || after_here)
                    && !done_after(v, k)
                    && !still_in(v, k)
                    || at_a_gain(v, k)
            })
            // Not another sentence's day ("… the sweep on Tuesday. Move your stop to 1.1642"),
            // nor one past ("the gold idea from Monday").
            .or_else(|| {
                condition_before(v, at).filter(|&k| {
                    !(v.word_in(k, LATER_DAYS)
                        && (sentence_between(v, k, at)
                            || k.checked_sub(1)
                                .is_some_and(|p| v.word_in(p, super::text::SINCE))))
                })
            })
            .map(|k| {
                trace_fmt!(
                    "'{}': {} for later or on a condition",
                    v.raw(k),
                    f.wording()
                )
            })
            // "Always SL to BE after TP1", "Ricordate: dopo TP1 sempre SL a BE": how to trade,
            // not a move now ("remember to move SL to BE now" is one).
            .or_else(|| {
                // Before the instruction: "SL should be 0.6735" is the level.
                let advice = v.toks[..start].iter().position(|t| t.is(Class::Advice))?;
                (!v.any(Class::Market) && !boundary_between(v, advice, start))
                    .then(|| trace_fmt!("'{}': advice, not an instruction", v.raw(advice)))
            }),
    };
    match why {
        // Said beside another instruction ("CLOSE our trade now and set breakeven if you wish"),
        // the other stands; alone, the message is an instruction not acted on.
        Some(why) => {
            found.notes.push(trace_fmt!("follow-up: set aside — {why}"));
            found.set_aside.get_or_insert(why);
        }
        None => found.follow_ups.push(f),
    }
}

/// The instruction running from token `start` to `at` is a report of the stop: its state ("SL
/// already at BE", "SL was at BE"), or its hit in the same clause ("Gold hit our new SL 2343",
/// "SL was moved to BE and hit"). Not a hit before a move ("TP1 hit ✅ move SL to entry").
fn reported(v: &View, start: usize, at: usize) -> Option<usize> {
    const HIT: &[&str] = &[
        "hit",
        "hits",
        "stopped",
        "touched",
        "taken",
        "pegou",
        "bateu",
        "tocó",
        "touché",
        "preso",
        "getroffen",
        "выбило",
        "сработал",
        "сработало",
        "ضرب",
    ];
    let clause = |a: usize, b: usize| !boundary_between(v, a, b);
    let state = v
        .after(start, 2)
        .take_while(|&k| k <= at)
        .find(|&k| v.word_in(k, &["already", "was", "were", "still"]))
        .filter(|&k| v.class(k + 1) != Some(Class::Move))
        // "Remaining position still open with SL at entry": the state said before it.
        .or_else(|| {
            v.before(start)
                .take(4)
                .take_while(|&k| !boundary_between(v, k, start))
                // A phrase's first word too ("still open").
                .find(|&k| v.word_starts(k, &["still", "already", "running"]))
        });
    let ticked = |k: usize| {
        v.text
            .get(v.toks[k].end..v.toks[start].start)
            .is_some_and(|gap| gap.contains(['✅', '✔', '☑']))
    };
    // "GER40 closed at our trailed SL 23,940": the trade closed there.
    let hit_before = v
        .before(start)
        .take(4)
        .take_while(|&k| !matches!(v.class(k), Some(Class::Move | Class::Breakeven)))
        .find(|&k| {
            (v.word_in(k, HIT) || v.word_in(k, &["closed"])) && clause(k, start) && !ticked(k)
        })
        .filter(|_| v.class(start) != Some(Class::Move));
    let hit_after = v.after(at, 6).find(|&k| v.word_in(k, HIT) && clause(at, k));
    state.or(hit_before).or(hit_after)
}

/// A negation in the instruction's own words, which run from token `start` to `at`: just before
/// them in the same clause ("Don't move SL to BE yet", "Nicht die Hälfte schließen"), or just
/// after them ("close mat karo", "SL ko BE pe mat rakhna").
fn negation_near(v: &View, start: usize, at: usize) -> Option<usize> {
    let negation = |k: usize| v.class(k) == Some(Class::Negation);
    // Before it, in the same clause: "Okay I don't like it anymore, close it" closes.
    let before = v
        .before(start)
        .take(3)
        .take_while(|&k| !boundary_between(v, k, start))
        .find(|&k| negation(k));
    // After it only where the language puts the negation after the verb ("close mat karo"):
    // elsewhere a "no" after is another clause ("close at entry, no momentum") or a
    // preposition ("no EURUSD").
    // "close karo ❌ koi risk nahi lena": not past the clause's end.
    let after = || {
        v.after(at, 3)
            .take_while(|&k| !boundary_between(v, at, k))
            .find(|&k| negation(k) && v.toks[k].lang == Some(Lang::Hi))
    };
    before.or_else(after)
}

/// A sentence ends between tokens `a` and `b` (a < b): a full stop, a mark, a line.
fn sentence_between(v: &View, a: usize, b: usize) -> bool {
    (a..b).any(|j| {
        v.toks.get(j + 1).is_some_and(|n| {
            v.text
                .get(v.toks[j].end..n.start)
                .is_some_and(|gap| gap.contains(['.', '!', '?', '\n', '。']))
        })
    })
}

/// A clause ends between tokens `a` and `b` (a < b): a comma, a full stop, a dash, a line.
fn boundary_between(v: &View, a: usize, b: usize) -> bool {
    split_between(v, a, b, true)
}

/// [`boundary_between`] by punctuation alone: "Half close ✅ done" is one report.
fn punctuation_between(v: &View, a: usize, b: usize) -> bool {
    split_between(v, a, b, false)
}

fn split_between(v: &View, a: usize, b: usize, pictographs: bool) -> bool {
    if a >= b || b >= v.toks.len() {
        return true;
    }
    // The gaps between the tokens, not the tokens: the point of "64.50" is no sentence's end.
    v.toks[a..=b].windows(2).any(|w| {
        let gap = v.text.get(w[0].end..w[1].start).unwrap_or("");
        // A mark between clauses ends one too: "not triggered ❌ delete the pending order".
        gap.contains([
            ',', '.', '…', '!', '‼', '⁉', ';', '\n', '—', '–', '。', '，', '、', '！', '؛', '،', '❌', '👉',
        ]) || gap.contains(" - ")
            // "not triggered -> delete it".
            || gap.contains("->")
            // A pictograph between words ends a clause too: "kapatın ✅ veri öncesi",
            // "mitnehmen 💰 Rest laufen lassen" (not an arrow: "SL: 4204 ➜ 4212").
            || pictographs
                && gap
                    .chars()
                    .any(|c| matches!(c as u32, 0x2600..=0x2793 | 0x1F300..=0x1FAFF))
    })
}

/// A condition earlier on the instruction's line ("When TP1 hits, move SL to entry", "Once we
/// get +30 pips, …"), or a target named after "at"/"on" before it ("At TP1 close 50%").
fn condition_before(v: &View, at: usize) -> Option<usize> {
    // An instruction for now is bound by its own sentence only: "… earnings tonight so I'm
    // out. Close everything on NAS now".
    // (Looked at once, and only where a sentence ends before it.)
    let mut now = None;
    let mut told_now = || {
        *now.get_or_insert_with(|| {
            v.after(at, 8)
                .take_while(|&k| !sentence_between(v, at, k))
                .any(|k| v.class(k) == Some(Class::Market))
        })
    };
    let mut crossed = false;
    let mut before = v.before(at).take_while(|&k| {
        crossed = crossed || sentence_between(v, k, k + 1);
        !(crossed && told_now())
    });
    before.find(|&k| {
        v.class(k) == Some(Class::Condition)
            // "BTC chạm TP1 ✅ … dời SL về entry": the target reached already.
            || v.class(k) == Some(Class::Tp)
                && !done_after(v, k)
                && (k
                    .checked_sub(1)
                    .is_some_and(|j| v.same_line(j, k) && v.word_in(j, AFTER_BEFORE))
                    // "TP1'den sonra", "TP1 ke baad": the word for "after" after it.
                    || (k + 1..at.min(k + 3))
                        .any(|j| v.same_line(k, j) && v.word_in(j, AFTER_AFTER)))
    })
}

/// "after TP1" in the languages that put the word before the target ("dopo TP1", "sau TP1")…
const AFTER_BEFORE: &[&str] = &[
    "at",
    "on",
    "after",
    "dopo",
    "después",
    "despues",
    "após",
    "apos",
    "depois",
    "nach",
    "après",
    "apres",
    "po",
    "после",
    "після",
    "sau",
    "setelah",
    "sesudah",
    "selepas",
    "بعد",
    "chạm",
];

/// … and in those that put it after ("TP1'den sonra", "TP1 ke baad", "TP1 후").
const AFTER_AFTER: &[&str] = &[
    "sonra",
    "sonrası",
    "sonrasi",
    "baad",
    "बाद",
    "後",
    "후",
    "หลัง",
];

/// "after TP1 ✅": the condition is met already (a check mark later on its line).
fn done_after(v: &View, k: usize) -> bool {
    let rest = v.text.get(v.toks[k].end..).unwrap_or("");
    rest.split('\n')
        .next()
        .is_some_and(|line| line.contains(['✅', '✔', '☑']))
}

/// "at +20 pips": a gain to wait for.
fn at_a_gain(v: &View, k: usize) -> bool {
    v.word_in(k, &["at"])
        && v.toks
            .get(k + 1)
            .is_some_and(|n| n.kind == Kind::Num && v.signed_up(k + 1))
}

fn breakeven(v: &View) -> Option<(FollowUp, usize)> {
    let words = v.toks.iter().filter(|t| t.kind == Kind::Word).count();
    // "Update #95: AUDUSD б/у": an id is no level.
    let numbers = v
        .toks
        .iter()
        .any(|t| t.kind == Kind::Num && !v.text[..t.start].ends_with(['#', '№']));
    let first_word = v.toks.iter().position(|t| t.kind == Kind::Word);
    for (i, t) in v.toks.iter().enumerate() {
        // "Chiudere a pareggio", "close at BE": where a close is done, not a move of the stop.
        let closed_at = i >= 2
            && v.class(i - 2) == Some(Class::Close)
            && (matches!(v.class(i - 1), Some(Class::To | Class::EntryWeak))
                || v.word_in(i - 1, &["at", "a", "al", "à", "bei", "по"]));
        // "US30 başa baş kapatın": the same, verb-final.
        let closes_at = v.class(i + 1) == Some(Class::Close) && !boundary_between(v, i, i + 1);
        // "16 TP ✅ | 5 SL ❌ | 1 BE", "STOP 4332 ➖ BE": a tally or a result's mark, not a move.
        let tally = matches!(t.class, Some(Class::Breakeven | Class::BeWeak))
            && (i.checked_sub(1).is_some_and(|p| {
                let n = &v.toks[p];
                n.kind == Kind::Num
                    && v.same_line(p, i)
                    && v.raw(p).len() <= 3
                    && v.raw(p).bytes().all(|b| b.is_ascii_digit())
                    && v.text[..n.start]
                        .trim_end()
                        .ends_with(['|', ',', '/', '\n', '❌', '✅'])
            }) || v.text[..t.start].trim_end().ends_with('➖'));
        // "رفع الستوب الى 4380 وتأمين 28 نقطة": the pips secured by the move, not a breakeven
        // ("BE +5 pips", signed, is one).
        // "رفع الستوب على الذهب الى 4188 🔒 تأمين ارباح": the profit secured by the move.
        let secured = t.class == Some(Class::Breakeven)
            && (v.toks.get(i + 1).is_some_and(|n| n.kind == Kind::Num)
                && !v.signed_up(i + 1)
                && v.class(i + 2) == Some(Class::Pips)
                || v.word_in(i + 1, PROFIT_WORDS)
                    && v.toks[..i].iter().any(|t| t.kind == Kind::Num));
        // "holding the last third with SL at entry": the trade as it stands, no move.
        let held_with = matches!(
            t.class,
            Some(Class::Breakeven | Class::BeWeak | Class::Entry)
        ) && v.before(i).take(3).any(|s| {
            is_stop(v.class(s))
                && s.checked_sub(1)
                    .is_some_and(|w| v.word_in(w, &["with", "con", "com", "mit", "avec"]))
        }) && !v.before(i).any(|k| v.class(k) == Some(Class::Move));
        if closed_at || closes_at || tally || secured || held_with {
            continue;
        }
        // "Về hòa vốn (BE) toàn bộ lệnh": after "to" only, still the first.
        let first_word = first_word == Some(i)
            || first_word.is_some_and(|f| (f..i).all(|k| v.class(k) == Some(Class::To)));
        let cue_before = || {
            v.before(i)
                .find(|&k| is_stop(v.class(k)) || v.class(k) == Some(Class::Move))
        };
        let now_next = || v.after(i, 1).any(|k| v.class(k) == Some(Class::Market));
        let hit = match t.class {
            Some(Class::Breakeven) => cue_before()
                .or(now_next().then_some(i))
                // Verb-final: "ریسک فری کنید", "BE kar do".
                // "Б/у по SOL ставим": past the trade named.
                .or(v.after(i, 3).find(|&k| v.class(k) == Some(Class::Move)))
                .or((words <= 3 && !numbers && !v.any(Class::Result)).then_some(i))
                // "تم تحقيق الهدف الأول ✅ ريسك فري": the message's last words, after a result.
                .or((i + 1 == v.toks.len() && v.any(Class::Result)).then_some(i))
                // "Breakeven on all open positions please": the message's first word, an order.
                .or((first_word
                    && !numbers
                    && !v.any(Class::Result)
                    // "Breakeven on all", "Risk-free the trade", "Break even sur l'or", "Risk
                    // free the US30 position", "ريسك فري يا شباب على صفقة الذهب" (past the
                    // readers called).
                    && v.after(i, 4).any(|k| {
                        matches!(v.class(k), Some(Class::To | Class::All | Class::Object))
                            || matches!(v.toks[k].kind, Kind::Sym(_))
                                && (v.word_in(k - 1, ON_SYMBOL) || v.word_in(k - 1, &["the"]))
                    }))
                .then_some(i)),
            // "The stop loss will be placed at 4,079": the verb after its auxiliary.
            Some(Class::BeWeak)
                if v.before(i).next().is_some_and(|p| {
                    v.word_in(
                        p,
                        &[
                            "will", "would", "should", "must", "can", "could", "may", "might",
                            "shall", "cannot", "won't", "wont",
                        ],
                    ) || v.raw(p).ends_with("'ll")
                }) =>
            {
                None
            }
            Some(Class::BeWeak) => {
                let prev = v.before(i).next();
                // "SL ko BE pe rakh do", "Ustaw SL na BE": a stop word just before, with at most
                // a small word between; "SL will be 4050" has its number after.
                let number_next = v.after(i, 2).any(|k| v.toks[k].kind == Kind::Num);
                // "Mettez le BE sur EURUSD": an article between the verb and the word.
                let prev = prev.map(|k| {
                    k.checked_sub(1)
                        .filter(|&p| {
                            v.word_in(k, &["le", "la", "el", "o", "the", "il", "der", "den"])
                                && matches!(v.class(p), Some(Class::Sl | Class::Stop | Class::Move))
                        })
                        .unwrap_or(k)
                });
                match prev.and_then(|k| v.class(k)) {
                    Some(Class::Sl | Class::Stop | Class::Move) => prev,
                    Some(Class::To | Class::EntryWeak) => cue_before(),
                    _ if !number_next => v
                        .before(i)
                        .take(3)
                        .find(|&k| is_stop(v.class(k)))
                        .or(now_next().then_some(i))
                        // "be", "gold be": the word alone, or after the trade's symbol.
                        .or((words == 1 && !numbers && i + 1 == v.toks.len()).then_some(i))
                        // "BE kar lo sab log": in capitals, its verb after it.
                        .or((v.raw(i) == "BE"
                            && v.after(i, 2).any(|k| v.class(k) == Some(Class::Move)))
                        .then_some(i))
                        // "BE usoil", "USOIL: BE on the rest ✅": in capitals, the message's
                        // instruction, naming only the trade it is for; "US30 TP1 ✅ +100
                        // points. BE the rest 🔒": or its last sentence, after a report.
                        .or((v.raw(i) == "BE"
                            && (!numbers
                                && !v.any(Class::Result)
                                && v.toks[..i].iter().all(|t| matches!(t.kind, Kind::Sym(_)))
                                || i > 0
                                    && sentence_between(v, i - 1, i)
                                    && !v.toks[i..].iter().any(|t| t.kind == Kind::Num))
                            && (i + 1..v.toks.len())
                                .filter(|&k| v.toks[k].kind == Kind::Word)
                                .all(|k| {
                                    v.word_in(k, ON_SYMBOL)
                                        || v.word_in(k, &["the", "rest", "remaining"])
                                        // ("BE on US30 now".)
                                        || matches!(
                                            v.class(k),
                                            Some(
                                                Class::Rest
                                                    | Class::All
                                                    | Class::Object
                                                    | Class::Market
                                            )
                                        )
                                }))
                        .then_some(i)),
                    _ => now_next().then_some(i),
                }
            }
            // "SL to entry", "حد ضرر را به نقطه ورود منتقل کنید": the entry price, named.
            Some(Class::Entry) => {
                // "SL moved to entry (1.16120)", "SL to entry 4050": the entry's price named
                // after it is still the entry.
                let entry_price = v.class(i.wrapping_sub(1)) == Some(Class::To)
                    && v.toks
                        .get(i + 1)
                        .is_some_and(|n| n.kind == Kind::Num && v.same_line(i, i + 1));
                // Not a note in brackets ("SL → Entry (0 risk)").
                let number_next = !entry_price
                    && v.after(i, 2).any(|k| {
                        v.toks[k].kind == Kind::Num && !v.text[..v.toks[k].start].ends_with('(')
                    });
                let stop = v.before(i).find(|&k| is_stop(v.class(k)));
                // "SL to entry", "SL at entry price", "Stop no ponto de entrada".
                // Darija's "f" ("Dirou SL f l entry").
                let at = i.checked_sub(1).is_some_and(|k| {
                    v.toks[k].kind == Kind::At
                        || v.word_in(
                            k,
                            &["at", "till", "no", "na", "ao", "al", "en", "f", "l", "ف"],
                        )
                });
                // "US30 stop → entry": the arrow says "to".
                let linked = at
                    || stop.is_some_and(|k| k + 1 == i && arrow_between(v, k, i))
                    || v.before(i).chain(v.after(i, 4)).any(|k| {
                        matches!(v.class(k), Some(Class::To | Class::Move | Class::Update))
                    });
                // "SL 10 pips below entry": an offset from the entry, not the entry.
                let offset = stop.is_some_and(|k| (k..i).any(|n| v.toks[n].kind == Kind::Num));
                // "損切りが連鎖。新規エントリーは様子見": the stop and the entry in two sentences.
                let apart = stop.is_some_and(|k| {
                    v.text
                        .get(v.toks[k].end..t.start)
                        .is_some_and(|gap| gap.contains(['.', '。', '!', '?', '\n']))
                });
                if number_next || offset || apart || !linked {
                    None
                } else {
                    stop
                }
            }
            _ => None,
        };
        if let Some(from) = hit {
            let wording = v.span(from.min(i), i.max(from));
            return Some((FollowUp::Breakeven { wording }, i));
        }
    }
    None
}

/// Politeness on the way to a level ("Stop bitte auf 31.20").
const POLITE: &[&str] = &[
    // "New TP for those still in gold sell: 4168": whom it is for, on the way.
    "those",
    "still",
    "please",
    "pls",
    "plz",
    "bitte",
    "lütfen",
    "lutfen",
    "пожалуйста",
    "плиз",
    "لطفا",
    "لطفاً",
];

/// The first number after a label on its line, skipping "to", "at", "now", "@", a move verb, and
/// at most two small words of a language the lexicon lacks ("na", "pe"). A distance in pips
/// gives way to a price written after it ("SL +15 pips to 4071": the price wins).
fn level_after(v: &View, i: usize) -> Option<(f64, bool, usize)> {
    // "Update Stop Targets:\n1) 5.900", "hedefleri güncelliyoruz:\n1,250 / 1,310": a label
    // that ends its line (but for its verb), its values listed below.
    // "New targets for #SOLUSDT:": the trade named before the list.
    let verbs = v
        .after(i, 4)
        .take_while(|&k| {
            matches!(
                v.class(k),
                Some(Class::Move | Class::Update | Class::New | Class::Side(_) | Class::Object)
            ) || matches!(v.toks[k].kind, Kind::Sym(_))
                || v.word_in(k, &["for", "on", "of"])
                // "利確目標を追加します": a particle of a script written unspaced.
                || v.class(k).is_none() && particle(v.raw(k))
                // "Nuevos objetivos en oro 🎯\nTP3: 4518".
                || v.word_in(k, ON_SYMBOL) && matches!(v.toks.get(k + 1).map(|n| n.kind), Some(Kind::Sym(_)))
        })
        .count();
    // Past blank lines too.
    let below = (i + 1 + verbs..v.toks.len())
        .find(|&k| v.toks[k].kind != Kind::Nl)
        .unwrap_or(v.toks.len());
    if v.toks
        .get(i + 1 + verbs)
        .is_some_and(|t| t.kind == Kind::Nl)
        && let Some(k) = listed_value(v, below)
    {
        // ("Action: MODIFY TP / TP2 24950 ➡️ 25020": the value after the arrow.)
        if let Some(to) = arrow_to(v, k) {
            return Some(to);
        }
        let price = *v.numbers(k).first()?;
        return Some((price, false, k));
    }
    let mut unknown = 0;
    let mut found: Option<(f64, bool, usize)> = None;
    for k in v.after(i, 8) {
        let t = &v.toks[k];
        match t.kind {
            // "стоп к 1 тейку (3585)", "Stop 1. hedefe (4072)": a target's index before its
            // word, on the way to the price.
            Kind::Num
                if found.is_none()
                    && is_stop(v.class(i))
                    && v.class(k + 1) == Some(Class::Tp)
                    && v.raw(k).len() == 1 => {}
            // "Stop → Target 1 (865.0)": the index after the target's word, its price after.
            Kind::Num
                if found.is_none()
                    && is_stop(v.class(i))
                    && v.class(k - 1) == Some(Class::Tp)
                    && v.raw(k).len() == 1
                    && v.after(k, 2).any(|m| v.toks[m].kind == Kind::Num) => {}
            // "тейк 2 меняем на 198.5": the target's index right after its label, its price
            // further on.
            Kind::Num
                if found.is_none()
                    && v.class(i) == Some(Class::Tp)
                    && k == i + 1
                    && v.raw(k).len() == 1
                    && v.after(k, 3).any(|m| v.toks[m].kind == Kind::Num) => {}
            // "SL -45 pips": the stop's loss, not a level ("adjust SL -20 pips to 1.3262"
            // moves it to the price).
            // "SL MODIFIED #4812": a card's number, not a level.
            Kind::Num if found.is_none() && v.text[..t.start].ends_with(['#', '№']) => {}
            // "Target 1 ✅": the target's index, ticked off — no level.
            Kind::Num
                if found.is_none()
                    && k == i + 1
                    && v.raw(k).len() == 1
                    && v.text[t.end..].trim_start().starts_with(['✅', '✔', '☑']) =>
            {
                return None;
            }
            Kind::Num
                if found.is_none()
                    && is_stop(v.class(i))
                    && negative(v.text, t.start)
                    && !v.after(k, 3).any(|m| v.class(m) == Some(Class::To)) =>
            {
                return None;
            }
            // "(moved SL, +3.5% secured)": a share of gain, no level; "I'll update SL in 10
            // min": a time.
            Kind::Num
                if found.is_none()
                    && (v.toks.get(k + 1).is_some_and(|n| n.kind == Kind::Pct)
                        || v.same_line(k, k + 1) && v.word_in(k + 1, TIME_UNITS)) =>
            {
                return None;
            }
            Kind::Num => {
                let price = *v.numbers(k).first()?;
                let pips = v
                    .toks
                    .get(k + 1)
                    .is_some_and(|n| n.class == Some(Class::Pips) && v.same_line(k, k + 1));
                // "SL moved to +15 (1.1652)", "+20 pips (4162)": the price in brackets wins.
                if found.is_none()
                    && (v.signed_up(k) || pips)
                    && let Some(b) = (k + 1..(k + 3).min(v.toks.len())).find(|&b| {
                        v.toks[b].kind == Kind::Num
                            && v.text[..v.toks[b].start].trim_end().ends_with('(')
                    })
                {
                    return Some((*v.numbers(b).first()?, false, b));
                }
                if !pips && let Some(to) = from_to(v, k).or_else(|| arrow_to(v, k)) {
                    return Some(to);
                }
                // "SL 10 pips below entry": an offset from a level, on a side the words give.
                if pips
                    && v.after(k + 1, 1)
                        .any(|n| v.word_in(n, &["below", "above", "under", "over"]))
                {
                    return None;
                }
                match found {
                    Some(_) if pips => return found,
                    Some(_) => return Some((price, false, k)),
                    None if pips => found = Some((price, true, k)),
                    None => return Some((price, false, k)),
                }
            }
            Kind::At => {}
            // "Stop bei Gold auf 4118", "New TP for gold: 4180": the trade's symbol named on
            // the way to its level.
            Kind::Sym(_) if found.is_none() => {}
            // "Novo alvo no ouro: 4122": a preposition before that symbol.
            Kind::Word
                if found.is_none()
                    && v.word_in(k, ON_SYMBOL)
                    && v.toks
                        .get(k + 1)
                        .is_some_and(|n| matches!(n.kind, Kind::Sym(_))) => {}
            Kind::Word if found.is_some() => {
                if !matches!(t.class, Some(Class::Pips | Class::To | Class::EntryWeak)) {
                    return found;
                }
            }
            Kind::Word
                if matches!(
                    t.class,
                    Some(
                        Class::To
                            | Class::EntryWeak
                            | Class::Market
                            | Class::Update
                            | Class::Move
                            | Class::New
                    )
                ) => {}
            // "Targets remaining: 1.3372 and 1.3395", "Objectifs restants :"; "SL na zbytek
            // posouvám na 4280": the stop of what is left.
            Kind::Word
                if found.is_none()
                    && t.class == Some(Class::Rest)
                    && (v.class(i) == Some(Class::Tp) || is_stop(v.class(i))) => {}
            // "stop on the short down to 46920": which trade, on the way to its level.
            Kind::Word if found.is_none() && matches!(t.class, Some(Class::Side(_))) => {}
            // "sl trail to 4331", "Stop in trailing a 44190": the move, on the way.
            Kind::Word
                if found.is_none()
                    && t.class == Some(Class::Open)
                    && v.lower(k).starts_with("trail") => {}
            // "SL move to TP1 2326", "نرفع الستوب إلى الهدف الأول 4070": the target whose
            // price follows.
            Kind::Word
                if found.is_none()
                    && t.class == Some(Class::Tp)
                    && (is_stop(v.class(i))
                        || k.checked_sub(1)
                            .is_some_and(|p| v.class(p) == Some(Class::To))) => {}
            // "Stop dinámico en XAUUSD: lo subimos a 4322": the kind of stop, right after it.
            Kind::Word if found.is_none() && k == i + 1 && v.word_in(k, STOP_KINDS) => {}
            // Small words the lexicon lacks, or knows only as no ticker ("for", "the").
            Kind::Word if v.word_in(k, POLITE) => {}
            // "the stop loss on the US30 position to 48,150", "SL kèo short BTC dời xuống 93k".
            Kind::Word
                if found.is_none()
                    && matches!(v.class(k), Some(Class::Object | Class::OrderWord)) => {}
            // "هدف جديد … TP4: 4280": the label again, with its index.
            Kind::Word
                if found.is_none()
                    && t.class == Some(Class::Tp)
                    && v.class(i) == Some(Class::Tp)
                    && t.digits.is_some() => {}
            // "SL should be 0.6735": the copula on the way.
            Kind::Word if found.is_none() && v.word_in(k, &["should", "be", "is", "will"]) => {}
            Kind::Word
                if matches!(t.class, None | Some(Class::NotTicker))
                    && v.raw(k).chars().count() <= 6
                    && unknown < 2 =>
            {
                unknown += 1;
            }
            _ => return found,
        }
    }
    found
}

/// A stop's kind, written after its word: a trailing one.
const STOP_KINDS: &[&str] = &[
    "dynamic",
    "dinámico",
    "dinamico",
    "dinâmico",
    "dynamique",
    "dynamisch",
    "móvil",
    "movil",
    "móvel",
    "movel",
    "mobile",
    "suiveur",
    "dinamik",
    "dinamis",
    "динамический",
    "скользящий",
    "плавающий",
];

/// "from 2340 to 2355", "de 1.0850 a 1.0870", "с 96500 на 96800", "SL 2340 to 2348", "SL 2340
/// se 2355 kar do", "SL 2340'tan 2355'e": the level the number at `k` moves from, and the one
/// after it that it moves to (`TO` holds the words written between the two, whichever way the
/// language marks them).
fn from_to(v: &View, k: usize) -> Option<(f64, bool, usize)> {
    const FROM: &[&str] = &[
        "from", "de", "desde", "von", "от", "с", "із", "از", "من", "z", "se",
    ];
    // ("SL módosítás: 4215 helyett 4209": the new one after "instead of".)
    const TO: &[&str] = &[
        "a", "à", "al", "para", "até", "до", "ila", "se", "tan", "ten", "dan", "den", "helyett",
    ];
    // "SL from 2340 to 2355", or the label itself before the old level ("Change TP 2380 to
    // 2370").
    let from = k.checked_sub(1).is_some_and(|j| {
        v.same_line(j, k)
            && (v.word_in(j, FROM)
                || matches!(v.class(j), Some(Class::Sl | Class::Stop | Class::Tp))
                // "SL módosítás: 4215 helyett 4209": the label's change named between.
                || v.class(j) == Some(Class::Update)
                    && j.checked_sub(1).is_some_and(|l| is_stop(v.class(l)) || v.class(l) == Some(Class::Tp)))
    });
    // Indonesian "dan" is "and" ("tambah TP: 4288 dan 4300"), not Turkish "from".
    let indonesian_and =
        || v.word_in(k + 1, &["dan"]) && v.toks.iter().any(|t| t.lang == Some(Lang::Id));
    // "TP3 4262 changed to 4255": the verb of the change before its "to".
    let changed = usize::from(
        v.same_line(k, k + 1) && matches!(v.class(k + 1), Some(Class::Move | Class::Update)),
    );
    let to_at = k + 1 + changed;
    let to = v.same_line(k, to_at)
        && (v.class(to_at) == Some(Class::To) || v.word_in(to_at, TO) && !indonesian_and());
    let at = to_at + 1;
    let then = v.toks.get(at).is_some_and(|t| t.kind == Kind::Num) && v.same_line(k, at);
    if !(from && to && then) {
        return None;
    }
    let price = *v.numbers(at).first()?;
    let pips = v
        .toks
        .get(at + 1)
        .is_some_and(|n| n.class == Some(Class::Pips) && v.same_line(k, at + 1));
    Some((price, pips, at))
}

/// An arrow written between two tokens: `→`, `➡️`, `->`, `=>`.
fn arrow_between(v: &View, a: usize, b: usize) -> bool {
    match (v.toks.get(a), v.toks.get(b)) {
        // Every arrow is written with a `>` or starts with the byte 0xE2 (U+2000..U+2FFF).
        (Some(x), Some(y)) if x.end <= y.start => v.text.get(x.end..y.start).is_some_and(|gap| {
            gap.bytes().any(|b| b == b'>' || b == 0xE2)
                && (gap.contains(['→', '➡', '⇒', '⟶', '➜', '➔', '➙', '➝', '➞', '➛', '⮕'])
                    || gap.contains("->")
                    || gap.contains("=>"))
        }),
        _ => false,
    }
}

/// "SL 4062 ➡️ 4071": the level the number at `k` moves from, and the one the arrow points to.
fn arrow_to(v: &View, k: usize) -> Option<(f64, bool, usize)> {
    let next = v.toks.get(k + 1)?;
    if next.kind != Kind::Num || !v.same_line(k, k + 1) || !arrow_between(v, k, k + 1) {
        return None;
    }
    // "SL 4270 → +100 pips", "→ 5$ ruchu": what the trade made or risks, not where its stop
    // went.
    if v.signed_up(k + 1)
        || v.class(k + 2) == Some(Class::Pips)
        || v.text[v.toks[k + 1].end..].starts_with(['$', '€', '£'])
    {
        return None;
    }
    let price = *v.numbers(k + 1).first()?;
    Some((price, false, k + 1))
}

/// A move verb or "new" before the label at `i` on its line, with no side word between: "New:
/// GOLD BUY 2350 … SL 2340" is a ticket, "Modify: XAUUSD SL 4098" and "please move the stop
/// loss for gold to" are not.
fn verb_before(v: &View, i: usize) -> bool {
    v.before(i)
        .take_while(|&k| !matches!(v.class(k), Some(Class::Side(_))))
        .any(|k| matches!(v.class(k), Some(Class::Move | Class::New)))
}

/// "Old SL 2340, new SL 2348": the label of the level being replaced.
fn old_level(v: &View, i: usize) -> bool {
    i.checked_sub(1).is_some_and(|j| {
        v.same_line(j, i)
            && v.word_in(
                j,
                &[
                    "old",
                    "previous",
                    "prev",
                    "former",
                    "старый",
                    "прежний",
                    "alter",
                    "alten",
                    "antiguo",
                    "anterior",
                    "ancien",
                    "eski",
                ],
            )
    })
}

fn stop_to(v: &View, has_targets: bool, header: bool) -> Option<(FollowUp, usize)> {
    // A bot's "TRAILING STOP ACTIVATED … SL: 4060" card: its stop is the new one.
    let trailing_card = v.toks.iter().enumerate().any(|(i, t)| {
        t.class == Some(Class::Open)
            && v.lower(i).starts_with("trail")
            && is_stop(v.class(i + 1))
            && v.same_line(i, i + 1)
    });
    let update_anywhere = (!has_targets && v.any(Class::Update)) || trailing_card || header;
    for (i, t) in v.toks.iter().enumerate() {
        if !is_stop(t.class) || old_level(v, i) || stays(v, i) {
            continue;
        }
        // "GBPUSD BUY STOP @ 1.33450": the order's type, not its stop-loss ("EU long: stop up
        // to" names the trade, then its stop).
        if t.class == Some(Class::Stop)
            && i.checked_sub(1).is_some_and(|p| {
                matches!(v.class(p), Some(Class::Side(_)))
                    && v.text
                        .get(v.toks[p].end..t.start)
                        .is_some_and(|gap| gap.chars().all(|c| c == ' '))
            })
        {
            continue;
        }
        // The verb may come on either side of the stop, as languages place it
        // ("Стоп переставляем на", "SL ko 4088 kar do").
        // "sl trail to 4331", "Stop in trailing a 44190": the trail is the move.
        let trailed = v
            .before(i)
            .take(2)
            .chain(v.after(i, 3))
            .any(|k| v.class(k) == Some(Class::Open) && v.lower(k).starts_with("trail"));
        let cue = verb_before(v, i)
            || trailed
            || v.after(i, 8).any(|k| {
                matches!(
                    v.class(k),
                    Some(Class::Update | Class::Market | Class::Move | Class::New)
                )
            })
            || update_anywhere
            // "Gold buy 2350: SL to 2345": "to" before a level is a move; a ticket writes the
            // level after its label.
            || v.class(i + 1) == Some(Class::To)
                // Not "chiuso dallo stop a 6835": closed by the stop, a report.
                && !v
                    .before(i)
                    .take_while(|&k| !boundary_between(v, k, i))
                    .any(|k| matches!(v.class(k), Some(Class::Close | Class::Result)))
                && (v.toks.get(i + 2).is_some_and(|n| n.kind == Kind::Num)
                    // "SL to TP1 1.0905", "الستوب إلى الهدف الأول 4339", "стоп на уровень
                    // первого тейка 4306": a target named, then its price.
                    || v.after(i + 1, 4).any(|k| v.class(k) == Some(Class::Tp))
                        && v.after(i + 1, 5)
                            .take_while(|&k| {
                                v.toks[k].kind != Kind::Num
                                    && matches!(v.class(k), None | Some(Class::Tp))
                            })
                            .count()
                            < 5
                        && v.after(i + 1, 5).any(|k| v.toks[k].kind == Kind::Num))
            // "stop up to 45400", "stop on the short down to 46920".
            || v.after(i, 4).any(|k| {
                v.word_in(k, &["up", "down"]) && v.class(k + 1) == Some(Class::To)
            })
            || arrow_between(v, i, i + 1)
            // "SL from 1.1612 to 1.1640".
            || v.word_in(i + 1, &["from", "de", "von", "от", "dari"])
                && v.toks.get(i + 2).is_some_and(|n| n.kind == Kind::Num)
                && v.class(i + 3) == Some(Class::To)
            || v.toks.get(i + 1).is_some_and(|n| n.kind == Kind::Num)
                && arrow_between(v, i + 1, i + 2)
                // "SL 4270 → +100 pips", "SL 2295 → 5$": what the trade made or risks, not
                // where the stop went.
                && !(v.signed_up(i + 2)
                    || v.class(i + 3) == Some(Class::Pips)
                    || v.toks.get(i + 2).is_some_and(|n| {
                        v.text[n.end..].starts_with(['$', '€', '£'])
                    }));
        // "NAS100 стоп ❌ -200 пунктов": the stop crossed out is hit.
        let crossed = v.text[t.end..]
            .trim_start_matches([' ', '\u{fe0f}'])
            .starts_with('❌');
        if !cue || crossed {
            continue;
        }
        if let Some((price, pips, k)) = level_after(v, i) {
            let wording = v.span(i, k);
            return Some((
                FollowUp::StopTo {
                    price,
                    pips,
                    wording,
                },
                i,
            ));
        }
        // "SL151.95 now": the level glued to its label (three digits or a decimal point: `SL1`
        // is no price).
        if let Some(glued) = t.digits.and_then(|(a, b)| v.text.get(a..b))
            && (glued.len() >= 3 || glued.contains(['.', ',']))
            && let Some(&price) = super::numbers::read_numbers_with(glued, v.decimal_comma).first()
        {
            return Some((
                FollowUp::StopTo {
                    price,
                    pips: false,
                    wording: v.raw(i).to_string(),
                },
                i,
            ));
        }
    }
    None
}

/// A target removed at token `k`, with another target label and a number after the last: the
/// targets that stay are listed ("✅ TP 4143 FINAL TARGET": or a later label with its level).
fn targets_kept(v: &View, k: usize) -> bool {
    let labels = v.toks.iter().filter(|t| t.class == Some(Class::Tp)).count();
    v.class(k) == Some(Class::Tp)
        && labels >= 2
        && (v
            .toks
            .iter()
            .rposition(|t| t.class == Some(Class::Tp))
            .is_some_and(|last| v.toks[last..].iter().any(|t| t.kind == Kind::Num))
            || (k + 1..v.toks.len()).any(|j| {
                v.class(j) == Some(Class::Tp)
                    && !v.same_line(j, k)
                    && v.toks.get(j + 1).is_some_and(|n| n.kind == Kind::Num)
            }))
}

/// The verb at `m` is of a language that puts it after its object ("TP 18720 kar do", "hedefi
/// 4110'a çekiyoruz").
fn verb_final(v: &View, m: usize) -> bool {
    v.toks[m].lang.is_some_and(Lang::verb_final)
}

/// The target label at `i` is the one removed: a cancel word just before or after it ("Remove
/// TP3", "TP3 cancelled", "تارگت سوم GBPUSD حذف شد").
fn removed(v: &View, i: usize) -> bool {
    let cancel =
        |k: usize| v.class(k) == Some(Class::Cancel) && !boundary_between(v, k.min(i), k.max(i));
    v.before(i).take(2).any(cancel) || v.after(i, 3).any(cancel) || dropped(v, i)
}

/// "drop TP3", "we're scrapping TP3": a verb of removing that is one only before the target's
/// label ("gold will drop to 4100" is a fall).
fn dropped(v: &View, i: usize) -> bool {
    v.class(i) == Some(Class::Tp)
        && i.checked_sub(1).is_some_and(|p| {
            v.word_in(
                p,
                &[
                    "drop",
                    "dropping",
                    "dropped",
                    "scrap",
                    "scrapping",
                    "ditch",
                    "ditching",
                ],
            )
        })
}

/// "Remove TP3, targets now 1.1642 and 1.1668": a target removed, the ones that stay listed —
/// every level the message gives is the new one.
fn targets_removed(v: &View) -> bool {
    (v.any(Class::Cancel) || (0..v.toks.len()).any(|k| dropped(v, k)))
        && v.toks
            .iter()
            .enumerate()
            .any(|(k, t)| t.class == Some(Class::Tp) && removed(v, k) && targets_kept(v, k))
}

/// "تارگت سوم حذف، فقط ۴۲۴۶ و ۴۲۵۷ بمونه", "Remove TP3, keep only 4249 and 4260": a target
/// removed, and in a clause after it the prices that stay, said as "only" or "the rest" — with
/// no label of their own.
fn kept_list(v: &View) -> Option<(Vec<FollowUp>, usize)> {
    // The last target removed ("EVENT: TP_REMOVE / TP3 99500 removed / remaining: …"): the kept
    // ones follow it.
    let (k, cancel) = v.toks.iter().enumerate().rev().find_map(|(k, t)| {
        if t.class != Some(Class::Tp) {
            return None;
        }
        // "TP3 removed", "the third target (1.3390) is withdrawn".
        // ("Третью цель убираем": a close word right beside the target takes it away.)
        let near = |c: usize| {
            (matches!(v.class(c), Some(Class::Cancel | Class::Invalid))
                || v.class(c) == Some(Class::Close) && k.abs_diff(c) == 1)
                && !boundary_between(v, k.min(c), k.max(c))
        };
        // "Убираем 3-ю цель": an ordinal between.
        v.before(k)
            .take(4)
            .chain(v.after(k, 3))
            .find(|&c| near(c))
            .or_else(|| dropped(v, k).then(|| k - 1))
            .map(|c| (k, c))
    })?;
    let from = k.max(cancel);
    // ("Remove target 4\nKeep: 0.78 - 0.82": or the next line.)
    // ("نلغي الهدف الثالث ونكتفي بـ 4235 و 4248": or the word that keeps the rest.)
    let start_after = |from: usize| {
        (from + 1..v.toks.len()).find(|&s| {
            v.toks[s].kind != Kind::Nl
                && (boundary_between(v, s - 1, s)
                    || v.toks[s - 1].kind == Kind::Nl
                    || v.word_in(s, ONLY))
        })
    };
    // To the sentence's end, and not into a stop's level.
    // "TP3 wylatuje, zostawiamy:\nTP1 203.40\nTP2 203.90", "Remove TP3\nTP1 4218\nTP2 4226":
    // the kept targets listed one a line under their labels, or after a colon alone.
    let sentence_from = |start: usize| {
        let mut listed = false;
        let end = (start + 1..v.toks.len())
            .find(|&m| {
                let gap = v.text.get(v.toks[m - 1].end..v.toks[m].start).unwrap_or("");
                let line_end = v.toks[m].kind == Kind::Nl;
                listed |= line_end && gap.starts_with(':');
                is_stop(v.class(m))
                    || gap.contains(['.', '!', ';', '。'])
                    // "Keep TP2 4205 and TP3 4190 only, the 4170 level is too far".
                    || gap.contains(',')
                        && v.word_in(m - 1, ONLY)
                        && (start..m).any(|x| v.toks[x].kind == Kind::Num)
                    || line_end
                        && v.class(m + 1) != Some(Class::Tp)
                        && !(listed && v.toks.get(m + 1).is_some_and(|n| n.kind == Kind::Num))
            })
            .unwrap_or(v.toks.len());
        start..end
    };
    let mut clause = sentence_from(start_after(from)?);
    // "Target 5 removed, we exit at target 4 latest. Remaining targets: …": a plan to close,
    // then the list kept.
    if clause.clone().any(|m| v.class(m) == Some(Class::Close)) {
        clause = sentence_from(start_after(clause.end.checked_sub(1)?)?);
        if clause.clone().any(|m| v.class(m) == Some(Class::Close)) {
            return None;
        }
    }
    let kept_word = clause.clone().any(|m| {
        v.class(m) == Some(Class::Rest) || v.word_in(m, ONLY) || v.class(m) == Some(Class::Tp)
    });
    let prices: Vec<(f64, usize)> = clause
        .filter(|&m| {
            v.toks[m].kind == Kind::Num
                && !matches!(v.toks.get(m + 1).map(|n| n.kind), Some(Kind::Pct))
                && v.class(m + 1) != Some(Class::Pips)
                // "alvo 1 4190 e alvo 2 4205": a target's index before its price.
                && !(v.class(m - 1) == Some(Class::Tp)
                    && v.raw(m).len() == 1
                    && v.toks.get(m + 1).is_some_and(|n| n.kind == Kind::Num))
        })
        .filter_map(|m| v.numbers(m).first().map(|&p| (p, m)))
        .collect();
    let (&(first, _), rest) = prices.split_first()?;
    let alike = first > 0.0
        && rest
            .iter()
            .all(|&(p, _)| p > 0.0 && (p - first).abs() / first < 0.25);
    if !kept_word || !alike {
        return None;
    }
    let targets = prices
        .iter()
        .map(|&(price, m)| FollowUp::TargetTo {
            price,
            wording: v.span(k, m),
        })
        .collect();
    Some((targets, k))
}

/// "Only", "just", "keep", in the languages: the targets that stay.
const ONLY: &[&str] = &[
    "cukup",
    "держим",
    "quedamos",
    "ficamos",
    "نكتفي",
    "ونكتفي",
    "نبقي",
    "kept",
    "kalan",
    "keep",
    "keeping",
    "fica",
    "mantemos",
    "behalten",
    "остаются",
    "tersisa",
    "dejamos",
    "dejo",
    "mantenemos",
    "kalıyor",
    "kaliyor",
    "μένουν",
    "zostają",
    "נשארים",
    "remaining",
    "left",
    "باقیمانده",
    "المتبقية",
    "الباقية",
    "leave",
    "оставляем",
    "оставляю",
    "zostaje",
    "restano",
    "quedan",
    "ficam",
    "bleiben",
    "restent",
    "kalsın",
    "zostawiamy",
    "rămân",
    "raman",
    "houden",
    "ostaju",
    "marad",
    "garde",
    "gardons",
    "restants",
    "restantes",
    "نكتفي",
    "ونكتفي",
    "เหลือแค่",
    "بمونه",
    "خلوا",
    "خليكم",
    "giữ",
    "rakhein",
    "rakho",
    "only",
    "just",
    "فقط",
    "بس",
    "faqat",
    "sirf",
    "sirif",
    "chỉ",
    "thôi",
    "lang",
    "saja",
    "aja",
    "sólo",
    "solo",
    "apenas",
    "só",
    "seulement",
    "uniquement",
    "nur",
    "только",
    "лише",
    "sadece",
    "yalnızca",
    "tylko",
    "doar",
    "pouze",
    "csak",
    "เท่านั้น",
    "শুধু",
    "केवल",
    "सिर्फ",
    "只",
];

fn target_to(v: &View, header: bool) -> Option<(Vec<FollowUp>, usize)> {
    if (v.any(Class::Cancel) || v.any(Class::Invalid) || (0..v.toks.len()).any(|k| dropped(v, k)))
        && let Some(list) = kept_list(v)
    {
        return Some(list);
    }
    let kept = targets_removed(v);
    // "XAUUSD / SL: 4176 ➜ 4199 / TP: 4238 / 4250": a card that shows its stop's change with an
    // arrow gives the targets on their own lines as they now stand.
    // ("GOLD / الستوب الجديد 4112 / الأهداف: 4135 - 4150": or names it new; "TP1 done ✅ / SL:
    // BE / TP2: 4150": or at breakeven, on a line of its own.)
    let stop_changed = (0..v.toks.len()).any(|k| {
        is_stop(v.class(k))
            && (v.toks.get(k + 1).is_some_and(|n| n.kind == Kind::Num)
                && arrow_between(v, k + 1, k + 2)
                || v.class(k + 1) == Some(Class::New)
                    && v.toks.get(k + 2).is_some_and(|n| n.kind == Kind::Num)
                || matches!(v.class(k + 1), Some(Class::Breakeven | Class::BeWeak))
                    && v.before(k).next().is_none()
                    && v.toks.get(k + 2).is_some_and(|n| n.kind == Kind::Nl))
    });
    for (i, t) in v.toks.iter().enumerate() {
        if kept && t.class == Some(Class::Tp) && removed(v, i) {
            continue;
        }
        // "SL move to TP1 2326", "стоп к 1 тейку (3585)": where the stop goes, not a new target.
        // (Not "SL to 113.90, TP to 112.60": the stop's own level between.)
        let index = |k: usize| v.toks[k].kind == Kind::Num && v.raw(k).len() == 1;
        let stop_goes_to = v.before(i).take(2).any(|k| v.class(k) == Some(Class::To))
            && v.before(i).take_while(|&k| v.class(k) == Some(Class::To) || index(k)).count() > 0
            && v.before(i).any(|k| is_stop(v.class(k)))
            // "Stop 1. hedefe (4072) taşınsın": the stop, the target's index, the target.
            || v.before(i)
                .take(2)
                .take_while(|&k| {
                    is_stop(v.class(k)) || v.toks[k].kind == Kind::Num && v.raw(k).len() == 1
                })
                .any(|k| is_stop(v.class(k)));
        // "✅ Target 2 reached (94100)", "цель 95000 почти взяли": a target hit, not a new one.
        let reached = v.after(i, 3).any(|k| v.class(k) == Some(Class::Result));
        if t.class != Some(Class::Tp) || old_level(v, i) || stop_goes_to || reached {
            continue;
        }
        // The verb near the label: "New: GOLD BUY 2350 … TP 2370" is a ticket, not a new target.
        // The verb after the label where the language puts it ("Das Ziel im US30 verschiebe
        // ich auf 46400", "EURUSD ka TP 1.1620 kar do").
        let verb_after = v
            .after(i, 4)
            .find(|&k| matches!(v.class(k), Some(Class::Move | Class::New)));
        let cue = verb_before(v, i)
            || kept
            // "targets now 25420 and 25480".
            || v.class(i + 1) == Some(Class::Market)
            || v.after(i, 3).any(|k| v.class(k) == Some(Class::Update))
            // "hedef güncellendi: TP 26.150": the report of the change heads its level.
            || v.before(i).take(2).any(|k| v.class(k) == Some(Class::Update))
            || verb_after.is_some()
            || arrow_between(v, i, i + 1)
            || stop_changed && v.before(i).next().is_none()
            // "SL to 113.90, TP to 112.60": "to" before its level is a move, as for a stop.
            // ("第一目標到 +150點 ✅": reached, with what it made.)
            || v.class(i + 1) == Some(Class::To)
                && v.toks.get(i + 2).is_some_and(|n| n.kind == Kind::Num)
                && !v.signed_up(i + 2)
            || header;
        if !cue {
            continue;
        }
        let level = level_after(v, i)
            // A verb after the label names the level after it ("Target 2 reached ✅ move stop
            // to entry": the 2 is no level the move gives).
            .filter(|&(_, _, k)| {
                verb_after.is_none_or(|m| k > m || verb_final(v, m) || bracketed_after(v, k, m))
                    || verb_before(v, i)
            });
        // "Extend TP to +150 pips", "TP update: / TP1: +40 pips / TP2: +90 pips": targets as
        // distances from the entry, each on its label (the sign is the way, not a gain: the
        // label and its verb say what the number is).
        // ("TP1 ✅ +50 pips smashed": the target ticked off, and what it made.)
        let ticked = |j: usize, k: usize| {
            v.text
                .get(v.toks[j].end..v.toks[k].start)
                .is_some_and(|gap| gap.contains(['✅', '✔', '☑']))
        };
        if let Some((pips, true, k)) = level.filter(|&(_, _, k)| !ticked(i, k)) {
            let mut targets = vec![FollowUp::TargetPips {
                pips,
                wording: v.span(i, k),
            }];
            for j in k + 1..v.toks.len() {
                if v.class(j) == Some(Class::Tp)
                    && let Some((more, true, at)) = level_after(v, j)
                    && !ticked(j, at)
                {
                    targets.push(FollowUp::TargetPips {
                        pips: more,
                        wording: v.span(j, at),
                    });
                }
            }
            return Some((targets, i));
        }
        // "full target 🎯 +120 pips": what it made, not a level.
        if let Some((price, false, k)) = level.filter(|&(_, _, k)| !v.signed_up(k)) {
            let mut targets = vec![FollowUp::TargetTo {
                price,
                wording: v.span(i, k),
            }];
            for (next, at) in listed_targets(v, price, k)? {
                targets.push(FollowUp::TargetTo {
                    price: next,
                    wording: v.span(i, at),
                });
            }
            return Some((targets, i));
        }
    }
    None
}

/// One of `marks` reports something: it is not just the decoration of the level label after it
/// ("❌ SL 4189", "✅ TP 4199" on a card's lines).
fn reports_with(v: &View, marks: &[char]) -> bool {
    v.text.match_indices(marks).any(|(at, mark)| {
        let after = at + mark.len();
        let label = v
            .toks
            .iter()
            .find(|t| t.start >= after)
            .filter(|t| matches!(t.class, Some(Class::Sl | Class::Stop | Class::Tp)));
        !label.is_some_and(|t| {
            v.text[after..t.start]
                .chars()
                .all(|c| c == ' ' || c == '\u{fe0f}')
        })
    })
}

/// Grammar between the words of a script written without spaces: one character alone ("を",
/// "了"), or a run of hiragana (Japanese particles and verb endings: "します").
fn particle(raw: &str) -> bool {
    let mut chars = raw.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    (rest.is_empty() && super::unspaced::is_unspaced(first))
        || raw.chars().all(|c| matches!(c as u32, 0x3041..=0x309F))
}

/// The preposition before the trade's symbol on the way from a label to its level ("Novo alvo
/// no ouro: 4122", "Nuevos objetivos en oro").
const ON_SYMBOL: &[&str] = &[
    "no", "na", "do", "da", "nel", "sul", "del", "on", "for", "en", "sur", "auf", "su", "di",
    "pada", "на", "em", "in", "op", "på", "στο", "στον", "pe",
];

/// The word at `m` is a remark in brackets right after the level at `k`: "TP 4260 (new)".
fn bracketed_after(v: &View, k: usize, m: usize) -> bool {
    m == k + 1
        && v.text
            .get(v.toks[k].end..v.toks[m].start)
            .is_some_and(|gap| gap.trim() == "(")
}

/// The levels listed after a new target's own, with the token each was read at: on its line,
/// joined by `/`, `-`, `,`, "and" ("new tps: 3380 / 3460 / 3550", "nouveaux objectifs 63,20 et
/// 62,50"), or on the next lines, each after a target label (a card's "TP1: … / TP2: …").
/// The targets listed after the one at token `k` (price `first`), going one way ("3380 / 3460
/// / 3550"); one written as its last digits ("TP: 4255 / 63") is completed beside the one before
/// it — on the list's way, or where it lies clearly nearest; none is guessed (`None`).
fn listed_targets(v: &View, first: f64, k: usize) -> Option<Vec<(f64, usize)>> {
    let mut out = Vec::new();
    let mut last = first;
    let mut rising = None;
    for (next, at) in more_targets(v, k) {
        let next = if next * 5.0 < last {
            let above = super::levels::expand_short(next, last, true, true);
            let below = super::levels::expand_short(next, last, false, true);
            let near = |c: Option<f64>| c.map_or(f64::MAX, |c| (c - last).abs());
            match (rising, above, below) {
                (Some(true), Some(a), _) => a,
                (Some(false), _, Some(b)) => b,
                (None, Some(a), _) if near(above) * 2.0 < near(below) => a,
                (None, _, Some(b)) if near(below) * 2.0 < near(above) => b,
                _ => return None,
            }
        } else {
            next
        };
        let up = next > last;
        if next == last || rising.is_some_and(|r| r != up) {
            break;
        }
        rising = Some(up);
        last = next;
        out.push((next, at));
    }
    Some(out)
}

fn more_targets(v: &View, mut k: usize) -> Vec<(f64, usize)> {
    let mut out = Vec::new();
    loop {
        let joined = |a: usize, b: usize| {
            v.same_line(a, b)
                && v.text
                    .get(v.toks[a].end..v.toks[b].start)
                    .is_some_and(|gap| {
                        gap.chars().all(|c| " /-,|&;、，".contains(c))
                            // "25.6 | 26.9": the bar became spaces.
                            && (!gap.trim().is_empty() || gap.len() >= 3)
                    })
        };
        // "tp 4104 4112": prices of one magnitude written one after another.
        let listed = |a: usize, b: usize| {
            v.same_line(a, b)
                && v.text
                    .get(v.toks[a].end..v.toks[b].start)
                    .is_some_and(|gap| gap == " ")
                && match (v.numbers(a).first(), v.numbers(b).first()) {
                    (Some(&x), Some(&y)) => x > 0.0 && (y - x).abs() / x < 0.1,
                    _ => false,
                }
        };
        let next = match v.toks.get(k + 1) {
            Some(t) if t.kind == Kind::Num && (joined(k, k + 1) || listed(k, k + 1)) => k + 1,
            Some(t)
                if t.kind == Kind::Word
                    && v.word_in(k + 1, LIST_AND)
                    && v.toks.get(k + 2).is_some_and(|n| n.kind == Kind::Num)
                    && v.same_line(k, k + 2) =>
            {
                k + 2
            }
            // "keep TP1 62.40 and TP2 61.90".
            Some(t)
                if t.kind == Kind::Word
                    && v.word_in(k + 1, LIST_AND)
                    && v.class(k + 2) == Some(Class::Tp)
                    && v.toks.get(k + 3).is_some_and(|n| n.kind == Kind::Num)
                    && v.same_line(k, k + 3) =>
            {
                k + 3
            }
            // The next line's label and price, past the label's index ("Take Profit 2: 0.657",
            // "الهدف الرابع 4270").
            Some(t)
                if t.kind == Kind::Nl
                    && v.class(k + 2) == Some(Class::Tp)
                    && v.toks
                        .get(k + 3)
                        .is_some_and(|n| n.kind == Kind::Num || v.word_in(k + 3, ORDINALS))
                    && v.same_line(k + 2, k + 3) =>
            {
                let indexed = (v.raw(k + 3).len() == 1 || v.word_in(k + 3, ORDINALS))
                    && v.toks
                        .get(k + 4)
                        .is_some_and(|n| n.kind == Kind::Num && v.same_line(k + 3, k + 4));
                if indexed {
                    k + 4
                } else if v.toks[k + 3].kind == Kind::Num {
                    k + 3
                } else {
                    break;
                }
            }
            // The next line's label moved the same way: "TP2 moved to 178.40\nTP3 moved to
            // 178.90".
            Some(t)
                if t.kind == Kind::Nl
                    && v.class(k + 2) == Some(Class::Tp)
                    && v.after(k + 2, 1).any(|n| {
                        matches!(v.class(n), Some(Class::Move | Class::Update | Class::To))
                    }) =>
            {
                match v
                    .after(k + 2, 4)
                    .find(|&n| !matches!(v.class(n), Some(Class::Move | Class::Update | Class::To)))
                {
                    Some(n) if v.toks[n].kind == Kind::Num => n,
                    _ => break,
                }
            }
            // The next label on the line: "T1 64.30 / T2 63.90", "TP1 resta 99000, TP2
            // portato a 100000".
            Some(t)
                if t.class == Some(Class::Tp)
                    && (joined(k, k + 1)
                        // "TP1 4391 TP2 4399": the next label, numbered, after a space.
                        || t.digits.is_some()
                            && v.same_line(k, k + 1)
                            && v.text.get(v.toks[k].end..t.start) == Some(" ")) =>
            {
                // "Take Profit 2: 0.65700": past the label's index too.
                let index = |n: usize| {
                    v.toks.get(n).is_some_and(|t| t.kind == Kind::Num)
                        && v.raw(n).len() == 1
                        && v.toks
                            .get(n + 1)
                            .is_some_and(|p| p.kind == Kind::Num && v.same_line(n, n + 1))
                };
                match (k + 2..k + 5).find(|&n| {
                    !matches!(v.class(n), Some(Class::Move | Class::Update | Class::To))
                        && !index(n)
                }) {
                    Some(n)
                        if v.toks.get(n).is_some_and(|t| t.kind == Kind::Num)
                            && v.same_line(k + 1, n) =>
                    {
                        n
                    }
                    _ => break,
                }
            }
            // A price alone on the next line: "naye TP 👇\n4412\n4430".
            Some(t)
                if t.kind == Kind::Nl
                    && v.toks.get(k + 2).is_some_and(|n| n.kind == Kind::Num)
                    && v.toks.get(k + 3).is_none_or(|n| n.kind == Kind::Nl)
                    && !is_list_index(v, k + 2) =>
            {
                k + 2
            }
            // The next item of a numbered list: "1) 3290\n2) 3330".
            Some(t) if t.kind == Kind::Nl && is_list_index(v, k + 2) => {
                match listed_value(v, k + 2) {
                    Some(n) => n,
                    None => break,
                }
            }
            _ => break,
        };
        let pips = v.toks.get(next + 1).is_some_and(|n| {
            v.same_line(next, next + 1) && (n.class == Some(Class::Pips) || n.kind == Kind::Pct)
        });
        let Some(&price) = v.numbers(next).first() else {
            break;
        };
        if pips {
            break;
        }
        out.push((price, next));
        k = next;
    }
    out
}

/// `1)` starting a line: the index of a numbered list.
fn is_list_index(v: &View, k: usize) -> bool {
    after_list_index(v, k).is_some()
}

/// The token after the index of a numbered list's line at `k`: `1) 5.900`, and an ordinal's
/// ending glued to it before a colon ("4차: 112,500", "3rd: 1.1712").
fn after_list_index(v: &View, k: usize) -> Option<usize> {
    let t = v.toks.get(k)?;
    if t.kind != Kind::Num
        || t.end - t.start != 1
        || k.checked_sub(1).is_some_and(|p| v.toks[p].kind != Kind::Nl)
    {
        return None;
    }
    if v.text.as_bytes().get(t.end) == Some(&b')') {
        return Some(k + 1);
    }
    let ending = v.toks.get(k + 1)?;
    (ending.kind == Kind::Word
        && ending.start == t.end
        && ending.class.is_none()
        && v.raw(k + 1).chars().count() <= 3
        && v.text[ending.end..].starts_with(':'))
    .then_some(k + 2)
}

/// The value a list line starting at token `k` gives: `1) 5.900`, or a number alone.
fn listed_value(v: &View, k: usize) -> Option<usize> {
    // "1) 5.900", or each under its own label ("TP1 151").
    let at = if let Some(at) = after_list_index(v, k) {
        at
    } else if v.class(k) == Some(Class::Tp) {
        // "الهدف الرابع 4270", "تارگت چهارم 4270": an ordinal after the label; "Target 4:
        // 0.9120": its index, then a colon.
        let indexed = v.toks.get(k + 1).is_some_and(|n| {
            n.kind == Kind::Num
                && v.raw(k + 1).len() == 1
                && v.text[n.end..].trim_start().starts_with(':')
        }) && v.toks.get(k + 2).is_some_and(|n| n.kind == Kind::Num);
        if v.word_in(k + 1, ORDINALS) || indexed {
            k + 2
        } else {
            k + 1
        }
    } else {
        k
    };
    v.toks
        .get(at)
        .is_some_and(|t| t.kind == Kind::Num && v.same_line(k, at))
        .then_some(at)
}

/// Ordinals written as words after a target's label.
const ORDINALS: &[&str] = &[
    "الأول",
    "الاول",
    "الثاني",
    "التاني",
    "الثالث",
    "التالت",
    "الرابع",
    "الخامس",
    "السادس",
    "اول",
    "دوم",
    "سوم",
    "چهارم",
    "پنجم",
    "ششم",
];

/// "Stop do US30 para 47.180, protegendo lucro": the profit word at `i` is what a stop
/// protects, no result reported.
pub(crate) fn protected_profit(text: &str, toks: &[Token], i: usize) -> bool {
    let word = |k: usize| {
        toks.get(k)
            .and_then(|t| text.get(t.start..t.end))
            .unwrap_or("")
    };
    let verb = match i.checked_sub(1) {
        Some(p) if super::text::one_of(word(p), PROFIT_ARTICLES) => p.checked_sub(1),
        p => p,
    };
    verb.is_some_and(|k| super::text::one_of(word(k), PROTECTING))
}

/// Verbs of a profit kept by the stop: "protegendo lucro", "protegiendo las ganancias".
const PROTECTING: &[&str] = &[
    "protect",
    "protecting",
    "protegendo",
    "proteger",
    "protegiendo",
    "protegemos",
    "garantindo",
    "garantir",
    "asegurando",
    "asegurar",
    "aseguramos",
    "sécuriser",
    "sécurisant",
    "protéger",
    "protégeant",
    "proteggere",
    "proteggendo",
    "assicurando",
    "sichern",
    "sichert",
    "lock",
    "locking",
    "secure",
    "securing",
    "защищаем",
    "защищая",
    "zabezpieczamy",
    "zabezpieczając",
];

/// Between such a verb and the profit: "protegendo o lucro", "securing our profit".
const PROFIT_ARTICLES: &[&str] = &[
    "o", "os", "a", "as", "el", "la", "los", "las", "le", "les", "the", "our", "il", "i",
    "nuestro", "nuestras", "nossos", "nosso", "den", "die",
];

/// After "entry", the level it names: "no entry price", "sin precio de entrada".
const ENTRY_LEVEL_WORDS: &[&str] = &["price", "level", "precio", "preço", "prix", "given"];

/// "No" before a signal word, in the languages: "no signal", "no hay señal", "kein Signal".
const NO_BEFORE_SIGNAL: &[&str] = &[
    "no", "not", "kein", "keine", "keinen", "pas", "sem", "nessun", "nessuna", "нет", "brak",
    "tidak", "không", "ningún", "ninguna", "nenhum", "nenhuma", "aucun", "aucune", "لا", "geen",
];

/// Between that "no" and the signal word: "no hay señal", "não há sinal", "pas de signal".
const THERE_IS: &[&str] = &["hay", "há", "tem", "any", "de", "ada", "có", "a"];

/// "No" after a signal word: "sinyal yok", "сигнала нет", "سیگنالی نیست", "signal nahi".
const NO_AFTER_SIGNAL: &[&str] = &[
    "yok",
    "нет",
    "نیست",
    "نداریم",
    "nahi",
    "nahin",
    "none",
    "ndio",
    "hakuna",
];

/// The message says there is no signal: "el precio se fue sin mí, no hay señal", "bu sefer sinyal
/// yok", "پس فعلا سیگنالی نیست" — whatever ticket it describes was never sent.
fn no_signal(v: &View) -> Option<String> {
    // Most messages have no "no" word: a byte test rules a word out before any lookup.
    (0..v.toks.len())
        .filter(|&k| v.toks[k].kind == Kind::Word && maybe_no(v.raw(k)))
        .find_map(|k| {
            let flags = no_signal_flags(v, k);
            let after = v
                .after(k, 3)
                .find(|&a| no_signal_flags(v, a) & THERE == 0)
                .filter(|&a| {
                    flags & NO_BEFORE != 0
                        && no_signal_flags(v, a) & SIGNAL != 0
                        && !boundary_between(v, k, a)
                });
            let before = v.before(k).next().filter(|&b| {
                flags & NO_AFTER != 0
                    && no_signal_flags(v, b) & SIGNAL != 0
                    && !boundary_between(v, b, k)
            });
            after
                .map(|a| v.span(k, a))
                .or_else(|| before.map(|b| v.span(b, k)))
        })
}

const NO_BEFORE: u8 = 1;
const NO_AFTER: u8 = 2;
const SIGNAL: u8 = 4;
const THERE: u8 = 8;

/// The lengths in bytes of the "no" words, by first byte (either case): a word whose first byte
/// and length match none is no "no" word.
const NO_SHAPES: [u32; 256] = {
    let mut shapes = [0u32; 256];
    let lists = [NO_BEFORE_SIGNAL, NO_AFTER_SIGNAL];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            let bytes = lists[l][i].as_bytes();
            let first = bytes[0];
            shapes[first as usize] |= 1 << bytes.len();
            if first.is_ascii_lowercase() {
                shapes[first.to_ascii_uppercase() as usize] |= 1 << bytes.len();
            }
            i += 1;
        }
        l += 1;
    }
    shapes
};

fn maybe_no(raw: &str) -> bool {
    raw.len() < 32
        && raw
            .as_bytes()
            .first()
            .is_some_and(|&b| NO_SHAPES[usize::from(b)] & 1 << raw.len() != 0)
}

/// What the word at `k` is to [`no_signal`]: a bit set of the lists it is in.
fn no_signal_flags(v: &View, k: usize) -> u8 {
    static TABLE: std::sync::LazyLock<super::text::FastMap<&'static str, u8>> =
        std::sync::LazyLock::new(|| {
            let mut table = super::text::FastMap::default();
            for (words, flag) in [
                (NO_BEFORE_SIGNAL, NO_BEFORE),
                (NO_AFTER_SIGNAL, NO_AFTER),
                (SIGNAL_WORDS, SIGNAL),
                (THERE_IS, THERE),
            ] {
                for &w in words {
                    *table.entry(w).or_insert(0) |= flag;
                }
            }
            table
        });
    if v.toks.get(k).is_none_or(|t| t.kind != Kind::Word) {
        return 0;
    }
    let raw = v.raw(k);
    let mut buf = [0u8; 16];
    let lower = match buf.get_mut(..raw.len()) {
        Some(b) if raw.is_ascii() => {
            b.copy_from_slice(raw.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).unwrap_or("")
        }
        _ if raw.is_ascii() => return 0,
        _ => return TABLE.get(v.lower(k).as_ref()).copied().unwrap_or(0),
    };
    TABLE.get(lower).copied().unwrap_or(0)
}

/// "signal", in the languages: "NO es una señal", "this is not a signal".
pub(crate) const SIGNAL_WORDS: &[&str] = &[
    "signal",
    "call",
    "señal",
    "sinal",
    "segnale",
    "sygnał",
    "signaal",
    "sinyal",
    "сигнал",
    "سیگنال",
    "توصية",
    "signals",
    "calls",
    "tip",
    "tips",
    "alert",
    "alerts",
    "sig",
    "recommendations",
    "reco",
    "recos",
    "pick",
    "picks",
    "señales",
    "senal",
    "senales",
    "alerta",
    "sinais",
    "dica",
    "dicas",
    "signaux",
    "alerte",
    "signale",
    "tipp",
    "tipps",
    "segnali",
    "dritta",
    "dritte",
    "сигналы",
    "сигнала",
    "сигналом",
    "колл",
    "сетап",
    "сигнали",
    "сигналу",
    "توصيات",
    "توصيه",
    "اشارة",
    "إشارة",
    "اشاره",
    "اشارات",
    "سيجنال",
    "سیگنالها",
    "سیگنالهای",
    "سیگنالی",
    "sinyali",
    "sinyaller",
    "sinyalleri",
    "sinyalimiz",
    "sygnal",
    "sygnały",
    "sygnaly",
    "sygnału",
    "sygnalu",
    "सिग्नल",
    "कॉल",
    "سگنل",
    "سگنلز",
    "کال",
    "sinyalnya",
    "signalen",
    "semnal",
    "semnale",
    "semnalul",
    "喊单",
    "喊單",
    "讯号",
    "訊號",
    "带单",
    "帶單",
    "指令",
    "シグナル",
    "サイン",
    "配信",
    "시그널",
    "신호",
    "리딩",
    "kèo",
    "ซิกแนล",
    "สัญญาน",
    "คอล",
    "senyales",
    "ishara",
    "signali",
    "σήμα",
    "σημα",
    "σήματα",
    "σηματα",
    "signál",
    "signály",
    "signaly",
    "signálu",
    "signalu",
    "сигналдар",
    "сигналды",
    "сигналымыз",
    "সিগন্যাল",
    "সিগনাল",
    "টিপস",
    "کالز",
    "ٹپس",
    "اشارہ",
];

/// "profits", in the languages: what "take" or "book" takes.
const PROFIT_WORDS: &[&str] = &[
    "profit",
    "profits",
    "gains",
    "beneficio",
    "beneficios",
    "ganancia",
    "ganancias",
    "lucro",
    "lucros",
    "profitto",
    "profitti",
    "gewinn",
    "gewinne",
    "bénéfices",
    "прибыль",
    "ربح",
    "أرباح",
    "ارباح",
    "الأرباح",
    "الارباح",
    "سود",
    "kâr",
    "kar",
    "zysk",
    "zysku",
    "zyski",
    "winst",
    "zisk",
    "zisku",
    "lời",
    "loi",
    "lãi",
    "faida",
    "untung",
    "منافع",
    "প্রফিট",
    "profitu",
];

/// "and" between two listed levels, in the languages.
const LIST_AND: &[&str] = &[
    "and",
    "et",
    "y",
    "e",
    "und",
    "и",
    "ve",
    "و",
    "i",
    "en",
    "și",
    "dan",
    "và",
    "และ",
    "aur",
    "और",
    "та",
    "na",
    "ثم",
];

/// Words after "close" that make it a condition or analysis ("close above 4100").
const CONDITION_AFTER: &[&str] = &[
    "to", "near", "at", "when", "if", "on", "above", "below", "under", "over", "candle", "by",
    "once", "after",
];

/// A bot's action card: "[CLOSE #1041] JP225 | closed 100% @ 49910", "[PARTIAL #1042] XAGUSD |
/// closed 50% @ 56.45": the close it made, which its copiers make too.
fn action_card(v: &View) -> Option<FollowUp> {
    // The action in capitals on the first line: "[CLOSE #1041]", "❌ CLOSE #8841", after the
    // bot's name ("[SignalCopier v3] CLOSE", "📡 TradeBridge | CLOSE #5521").
    let at = v
        .toks
        .iter()
        .take_while(|t| t.line == 0)
        .position(|t| matches!(t.class, Some(Class::Close | Class::Partial)))?;
    let first = &v.toks[at];
    let raw = v.raw(at);
    let before = v.text[..first.start].trim_end();
    let carded = v.text.trim_start().starts_with('[') && (at == 0 || before.ends_with(']'))
        || at > 0 && before.ends_with('|')
        || v.toks.get(at + 1).is_some_and(|n| {
            n.kind == Kind::Num && v.text[..n.start].ends_with('#') && n.line == 0
        })
        || v.toks
            .get(at + 1)
            .is_some_and(|n| v.class(at + 1) == Some(Class::Close) && n.line == 0)
            && v.toks
                .get(at + 2)
                .is_some_and(|n| v.text[..n.start].ends_with('#'));
    if !carded || raw.len() < 3 || !raw.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let share = v.toks.iter().enumerate().find_map(|(k, t)| {
        (t.kind == Kind::Num && v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct))
            .then(|| v.numbers(k).first().copied())
            .flatten()
            .filter(|&p| p > 0.0 && p <= 100.0)
    });
    let fraction = match (share, first.class) {
        (Some(p), _) => Some((p / 100.0 * 1000.0).round() / 1000.0),
        (None, Some(Class::Close)) => Some(1.0),
        _ => None,
    };
    Some(FollowUp::Close {
        fraction,
        wording: v.span(at, v.toks.len().min(at + 6) - 1),
    })
}

/// A copier's card of a trade closed by hand ("TRADE CLOSED / Closed by: Manual"): the provider
/// left the trade, and the subscriber's copy goes with it — closed by its target or stop, the
/// card only reports.
fn closed_by_hand(v: &View) -> Option<FollowUp> {
    // "❎ POSITION CLOSED (manual)", "❎ Closed manually by provider", "Closed by provider at
    // market": a card's heading line (a report's "2 closed manually" is a tally; "POSITION
    // CLOSED BY PROVIDER … Result: +74 pts", with no word of how, reports).
    let at_market = |k: usize| v.word_in(k, &["at"]) && v.class(k + 1) == Some(Class::Market);
    // "🛑 Closed by provider (100%)": the share the card closed, in brackets.
    let share = |k: usize| {
        v.toks.get(k).is_some_and(|t| t.kind == Kind::Num)
            && v.toks.get(k + 1).is_some_and(|t| t.kind == Kind::Pct)
            && v.text[..v.toks[k].start].trim_end().ends_with('(')
    };
    let by_whom = |k: usize| {
        if v.word_in(k + 1, &["manual", "manually"]) {
            Some(k + 1)
        } else {
            (v.word_in(k + 1, &["by"])
                && v.word_in(k + 2, &["provider", "admin", "trader"])
                && (at_market(k + 3) || share(k + 3)))
            .then_some(k + 2)
        }
    };
    if let Some((k, end)) = (0..v.toks.len()).find_map(|k| {
        if !v.word_in(k, &["closed"]) {
            return None;
        }
        let end = by_whom(k)?;
        // (Under the copier's name and the trade's: "📡 SignalMirror / #XAUUSD SELL #1029 /
        // 🛑 Closed by provider (100%)".)
        (v.same_line(k, end)
            && v.toks[k].line <= 2
            && v.before(k)
                .all(|p| v.word_in(p, &["position", "trade", "order"]))
            // The heading ends there or names who ("… by provider") or how ("at market"), not
            // where or what it made.
            && v.after(end, 1).all(|n| v.word_in(n, &["by"]) || at_market(n) || share(n)))
        .then_some((k, end))
    }) {
        let fraction = if share(end + 1) {
            v.numbers(end + 1)
                .first()
                .map(|p| p / 100.0)
                .filter(|f| *f > 0.0 && *f <= 1.0)
        } else {
            Some(1.0)
        };
        return Some(FollowUp::Close {
            fraction,
            wording: v.span(k, end),
        });
    }
    let by = v.toks.iter().enumerate().position(|(k, t)| {
        t.kind == Kind::Word
            && v.text[t.end..].trim_start().starts_with(':')
            && v.word_in(k, &["by", "reason", "via"])
            && k.checked_sub(1)
                .is_some_and(|p| v.class(p) == Some(Class::Close) || v.word_in(p, &["closed"]))
    })?;
    let hand = v.after(by, 2).next().is_some_and(|k| {
        v.word_in(
            k,
            &[
                "manual", "manually", "hand", "provider", "admin", "trader", "master",
            ],
        )
    });
    hand.then(|| FollowUp::Close {
        fraction: Some(1.0),
        wording: v.span(by - 1, by + 1),
    })
}

/// A bot card's action field in the languages: "Acción: CIERRE TOTAL", "Ação: FECHAMENTO PARCIAL
/// 50%", "İşlem: KISMİ KAPAMA %50", "Type: PARTIAL CLOSE / Volume closed: 0.50 / 1.00 lot",
/// "وضعیت: بسته شود" — the close the bot made, all of it unless a share is given or named
/// partial.
fn action_field(v: &View) -> Option<FollowUp> {
    const FIELDS: &[&str] = &[
        "action",
        "acción",
        "accion",
        "ação",
        "acao",
        "işlem",
        // "İşlem" lower-cases with a combining dot.
        "i\u{307}şlem",
        "islem",
        "aktion",
        "azione",
        "действие",
        "type",
        "status",
        "وضعیت",
        "عملیات",
        "الإجراء",
        "الاجراء",
        "aksi",
        "tindakan",
        "thao",
        "event",
        "command",
    ];
    const CLOSES: &[&str] = &[
        "cierre",
        "fechamento",
        "encerramento",
        "kapama",
        "kapanış",
        "kapat",
        "schliessung",
        "schließung",
        "teilschliessung",
        "teilschließung",
        "chiusura",
        "fermeture",
        "clôture",
        "закрытие",
        "بسته",
        "إغلاق",
        "اغلاق",
        "penutupan",
        "tutup",
        "đóng",
    ];
    const PARTIALS: &[&str] = &[
        "parcial",
        "kısmi",
        "kismi",
        "teilschliessung",
        "teilschließung",
        "partial",
        "parziale",
        "partielle",
        "частичное",
        "частичная",
        "جزئي",
        "جزئی",
        "بخشی",
        "sebagian",
        "part",
    ];
    // Cheapest first: a field is a word before a colon.
    let field = v.toks.iter().enumerate().position(|(k, t)| {
        t.kind == Kind::Word
            && v.text[t.end..].trim_start().starts_with(':')
            && v.word_in(k, FIELDS)
            && k.checked_sub(1)
                .is_none_or(|p| v.toks[p].kind == Kind::Nl || v.toks[p].line != t.line)
    })?;
    let line = v.toks[field].line;
    let value: Vec<usize> = (field + 1..v.toks.len())
        .take_while(|&k| v.toks[k].line == line)
        .collect();
    let closes = value
        .iter()
        .any(|&k| v.class(k) == Some(Class::Close) || v.word_in(k, CLOSES));
    if !closes {
        return None;
    }
    let partial = value
        .iter()
        .any(|&k| v.class(k) == Some(Class::Partial) || v.word_in(k, PARTIALS));
    // The share: a percentage on the action's line, or the lots closed out of the lots held
    // on a volume line ("Volume closed: 0.50 / 1.00 lot").
    let pct = value.iter().find_map(|&k| {
        let next_pct = v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct);
        let pct_before = k
            .checked_sub(1)
            .is_some_and(|p| v.toks[p].kind == Kind::Pct && v.toks[p].end == v.toks[k].start);
        (v.toks[k].kind == Kind::Num && (next_pct || pct_before))
            .then(|| v.numbers(k).first().copied())
            .flatten()
            .filter(|&p| p > 0.0 && p <= 100.0)
            .map(|p| p / 100.0)
    });
    // "Volume: 0.30 of 1.00 lots", "Closed: 0.30 / 1.00 lot": the lots closed of the lots held,
    // on a volume line.
    let out_of = || {
        v.toks.iter().enumerate().find_map(|(k, t)| {
            let d = k + 1;
            let on_field = || {
                v.toks
                    .iter()
                    .position(|f| f.line == t.line && f.kind == Kind::Word)
                    .is_some_and(|f| v.word_in(f, SHARE_FIELDS))
            };
            if t.kind != Kind::Num || !on_field() {
                return None;
            }
            let slashed = v.toks.get(d).is_some_and(|n| {
                n.kind == Kind::Num && v.text.get(t.end..n.start).is_some_and(|g| g.trim() == "/")
            });
            if !slashed {
                return part_of_whole(v, k).map(|(share, _)| share);
            }
            // ("Volume: 0.10 / 0.10 lots": all of it.)
            Some((*v.numbers(k).first()?, *v.numbers(d).first()?))
                .filter(|&(a, b)| a > 0.0 && a <= b)
                .map(|(a, b)| a / b)
        })
    };
    // A field of its own: "percent: 30", "Volume: 50%".
    let share_field = || {
        v.toks.iter().enumerate().find_map(|(k, t)| {
            let field = v.toks[..k]
                .iter()
                .rposition(|f| f.line == t.line && f.kind == Kind::Word)?;
            let named = v.word_in(field, &["percent", "pct", "percentage"]);
            let pct = v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct);
            (t.kind == Kind::Num
                && t.line != line
                && (named || pct && v.word_in(field, SHARE_FIELDS)))
            .then(|| v.numbers(k).first().copied())
            .flatten()
            .filter(|&p| p > 0.0 && p <= 100.0)
            .map(|p| p / 100.0)
        })
    };
    // "vol 3.00 ➜ 2.00": the size before and after; "CLOSE 0.20 of 0.40 lots": a part of the
    // whole on the action's line.
    let reduced = || (0..v.toks.len()).find_map(|k| reduced_to(v, k));
    // ("Action: Partial close 0.03 / 0.06 lot".)
    let part = || {
        value.iter().find_map(|&k| {
            part_of_whole(v, k)
                .map(|(share, _)| share)
                .or_else(|| fraction_at(v, k))
        })
    };
    let fraction = match pct
        .or_else(share_field)
        .or_else(out_of)
        .or_else(|| partial.then(reduced).flatten())
        .or_else(part)
    {
        Some(share) => Some((share * 1000.0).round() / 1000.0),
        None if partial => None,
        None => Some(1.0),
    };
    Some(FollowUp::Close {
        fraction,
        wording: v.span(field, value.last().copied().unwrap_or(field)),
    })
}

/// A close or cancel instruction, or why its amount cannot be taken as written.
fn close(v: &View) -> Option<Result<FollowUp, String>> {
    if let Some(copied) = copied_exit(v) {
        return Some(Ok(copied));
    }
    let first = close_from(v, 0);
    // "EURUSD partial close 👇 / those with 0.10 lot close 0.05", "GBPUSD take partial profits
    // now / 30% off the table": the share given by a later close, when the first names none.
    if let Some(Ok(FollowUp::Close { fraction: None, .. })) = first {
        let verb = v.toks.iter().position(|t| t.class == Some(Class::Close));
        let later = v
            .toks
            .iter()
            .enumerate()
            .filter(|&(k, t)| {
                Some(k) != verb && (t.class == Some(Class::Close) || v.word_in(k, &["off"]))
            })
            .find_map(|(k, _)| match close_from(v, k) {
                Some(Ok(
                    f @ FollowUp::Close {
                        fraction: Some(_), ..
                    },
                )) => Some(f),
                _ => None,
            });
        if let Some(f) = later {
            return Some(Ok(f));
        }
    }
    if matches!(first, Some(Err(_))) {
        // "Time to exit. Close everything that's still open": a later close word that is an
        // instruction stands, though an earlier one is not.
        let verbs = v
            .toks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.class == Some(Class::Close))
            .map(|(i, _)| i)
            .skip(1);
        for k in verbs {
            if let Some(Ok(f)) = close_from(v, k) {
                return Some(Ok(f));
            }
        }
    }
    first
}

/// "Io sono uscito dall'oro a 4163, fate lo stesso", "Main bahar hu, aap bhi exit karo": the
/// provider's own exit, and the word to copy it — all of the position, when no share is named.
fn copied_exit(v: &View) -> Option<FollowUp> {
    let copy = v.toks.iter().position(|t| t.is(Class::Copy))?;
    let exit = (0..v.toks.len())
        .find(|&k| v.class(k) == Some(Class::Close) || v.word_in(k, PAST_CLOSE))?;
    // "jump out with me if you like", "si quieren síganme": the reader's choice to copy, not
    // a condition on the exit.
    // "I closed my gold buy, if you want close with me": the wish named.
    // ("if you're still in, take it with me": the reader's state.)
    let choice = |k: usize| k > copy || k + 3 >= copy || readers_choice(v, k) || still_in(v, k);
    // "Feel free to do the same if you're still holding": the reader's words after the copy.
    // "بربح 60 نقطة", "+85 pips in the pocket": what the exit made, said beside it.
    // ("أغلقت صفقتي … عند ٦١.٢٠ بربح ممتاز": or right after the exit's price.)
    let gain = |k: usize| {
        v.class(k) == Some(Class::Result)
            && (v.after(k, 2).any(|n| v.toks[n].kind == Kind::Num)
                || k > exit
                    && !boundary_between(v, exit, k)
                    && v.before(k)
                        .next()
                        .is_some_and(|n| v.toks[n].kind == Kind::Num))
    };
    // "… you can close too if you're still in, I don't like this 4h candle": a negation in a
    // clause of its own is the reason.
    let near = |k: usize, at: usize| !boundary_between(v, k.min(at), k.max(at));
    // "I'm out. Closed the rest of the EURUSD short": the exit told twice.
    let told = |k: usize| k == exit || v.class(k) == Some(Class::Close) || v.word_in(k, PAST_CLOSE);
    let unsure = v.toks.iter().enumerate().any(|(k, t)| {
        !told(k)
            && (t.class == Some(Class::Move)
                || t.class == Some(Class::Negation) && (near(k, exit) || near(k, copy))
                || matches!(t.class, Some(Class::Condition | Class::Result))
                    && !choice(k)
                    && !gain(k))
    });
    if unsure || v.text.contains('?') {
        return None;
    }
    // The share closed, when one is named ("I closed half, do the same").
    let fraction =
        if v.any(Class::Half) {
            Some(0.5)
        } else if v.any(Class::Quarter) {
            Some(0.25)
        // "I've closed a third of my GBPUSD, do the same".
        } else if (exit + 1..v.toks.len()).any(|k| v.word_in(k, THIRD_WORDS)) {
            // ("Сократил позицию по BTCUSDT на треть": the trade named between.)
            let window: Vec<usize> = v
                .after(exit, 8)
                .take_while(|&k| !boundary_between(v, exit, k))
                .collect();
            match fraction_in(v, exit, &window)? {
                Ok(FollowUp::Close { fraction, .. }) => fraction,
                _ => return None,
            }
        // "+2.1%": what the trade made, not a share closed.
        } else if let Some(k) = v.toks.iter().enumerate().position(|(k, t)| {
            t.kind == Kind::Pct && !k.checked_sub(1).is_some_and(|n| v.signed_up(n))
        }) {
            let share = share_before(v, k + 1)
                .or_else(|| k.checked_sub(1).and_then(|n| share_after(v, n)))?;
            Some(share)
        } else if let Some((share, _)) = (exit + 1..v.toks.len())
            .take_while(|&k| !boundary_between(v, exit, k))
            .find_map(|k| part_of_whole(v, k))
        {
            // "Closed 1 lot of 3, do the same with your size".
            Some(share)
        // "… خبر الفيدرالي بعد شوي": "a bit" in another clause is when, not how much.
        } else if (exit + 1..v.toks.len())
            .take_while(|&k| !boundary_between(v, exit, k))
            .any(|k| v.class(k) == Some(Class::Partial))
        {
            None
        } else {
            Some(1.0)
        };
    Some(FollowUp::Close {
        fraction,
        wording: v.span(exit.min(copy), exit.max(copy)),
    })
}

/// Who a copy-trading card names as the trader copied.
const COPIED: &[&str] = &["trader", "provider", "master"];

/// The words a copy-trading card tells the copied trader's close with.
pub(crate) const COPY_CLOSED: &[&str] = &["closed", "reduced", "was"];

/// Whether the message is a copy-trading card of the trader copied closing (see
/// [`lead_trader_closed`]).
pub(crate) fn lead_trader_card(text: &str, lexed: &Lexed) -> bool {
    let v = View {
        text,
        toks: &lexed.tokens,
        decimal_comma: lexed.decimal_comma,
    };
    lead_trader_at(&v).is_some()
}

/// Where a copy-trading card says the trader copied closed: "trader closed", "provider
/// reduced", "trader partially closed", "closed by provider" ending its line.
fn lead_trader_at(v: &View) -> Option<usize> {
    (0..v.toks.len()).find(|&k| {
        v.toks[k].line <= 1
            && matches!(v.class(k), None | Some(Class::Result))
            && (v.word_in(k, &["closed", "reduced"])
                && k.checked_sub(1).is_some_and(|p| {
                    v.word_in(p, COPIED)
                        || v.word_in(p, &["partially"])
                            && p.checked_sub(1).is_some_and(|w| v.word_in(w, COPIED))
                })
                // "Position closed by provider", ending its line.
                || v.word_in(k, &["closed"])
                    && v.word_in(k + 1, &["by"])
                    && v.word_in(k + 2, COPIED)
                    && v.toks.get(k + 3).is_none_or(|n| n.kind == Kind::Nl))
    })
}

/// A copy-trading card of the trader copied leaving the trade ("Lead trader closed position /
/// ETHUSDT Perpetual | Short", "Lead trader partially closed … Closed 30%", "Lead trader reduced
/// position … Closed: 4 / 10 contracts", "Provider closed XRPUSDT (Short)", "⛔️ Position closed
/// by provider / Pair: SOLUSDT"): the copy follows, all of it unless a share is given or it is
/// named partial. Not with a result told ("Result: +12.4%"): a report.
fn lead_trader_closed(v: &View) -> Option<FollowUp> {
    let at = lead_trader_at(v)?;
    if (0..v.toks.len()).any(|k| v.class(k) == Some(Class::Result) && !v.word_in(k, COPY_CLOSED)) {
        return None;
    }
    let partial = v.word_in(at, &["reduced"])
        || at
            .checked_sub(1)
            .is_some_and(|p| v.word_in(p, &["partially"]));
    // The share: a percentage, or the amount closed of the amount held ("Closed: 4 / 10").
    let share = v.toks.iter().enumerate().skip(at + 1).find_map(|(k, t)| {
        if t.kind != Kind::Num {
            return None;
        }
        let a = *v.numbers(k).first()?;
        if v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct) {
            return Some(a / 100.0).filter(|f| *f > 0.0 && *f <= 1.0);
        }
        let slashed = v.toks.get(k + 1).is_some_and(|n| {
            n.kind == Kind::Num && v.text.get(t.end..n.start).is_some_and(|g| g.trim() == "/")
        });
        let b = *v.numbers(k + 1).first().filter(|_| slashed)?;
        (a > 0.0 && a <= b).then(|| a / b)
    });
    let fraction = match share {
        Some(f) => Some((f * 1000.0).round() / 1000.0),
        None if partial => None,
        None => Some(1.0),
    };
    Some(FollowUp::Close {
        fraction,
        wording: v.span(at.saturating_sub(1), at),
    })
}

/// The close read from token `from` on.
fn close_from(v: &View, from: usize) -> Option<Result<FollowUp, String>> {
    if let Some(card) = action_card(v)
        .or_else(|| action_field(v))
        .or_else(|| closed_by_hand(v))
        .or_else(|| lead_trader_closed(v))
    {
        return Some(Ok(card));
    }
    let advice = v.any(Class::Advice);
    for (i, t) in v.toks.iter().enumerate().skip(from) {
        if let Some(found) = share_off(v, i) {
            return Some(found);
        }
        match t.class {
            // "Remove 30% from the GBPJPY buy": a share taken off, not an order cancelled.
            Some(Class::Cancel) if share_after(v, i).is_some() => {
                return Some(Ok(FollowUp::Close {
                    fraction: share_after(v, i),
                    wording: v.span(i, i + 2),
                }));
            }
            Some(Class::Cancel) => {
                let object = |k: usize| {
                    matches!(
                        v.class(k),
                        Some(
                            Class::OrderWord
                                | Class::Limit
                                | Class::Stop
                                | Class::Side(_)
                                | Class::Entry
                                | Class::Object
                        )
                    ) || matches!(v.toks[k].kind, Kind::Sym(_))
                        || v.word_in(k, &["signal", "signals"])
                };
                // "Remove TP, let it run", "Remove SL": a level taken off, which no follow-up
                // here can say; not a close.
                // "Gold TP3 cancel, only keep TP1 4163 TP2 4170": the target before the word.
                // "TP3 sur l'or annulé, on garde seulement TP1 4356 et TP2 4345".
                if v.before(i).take(4).any(|k| {
                    v.class(k) == Some(Class::Tp) && (targets_kept(v, k) || kept_list(v).is_some())
                }) {
                    continue;
                }
                // "Cancelado o plano de compra …": a plan dropped before any order.
                if v.after(i, 2).any(|k| {
                    v.word_in(
                        k,
                        &[
                            "plan", "plano", "plan de", "idea", "ideia", "idée", "план", "идею",
                        ],
                    )
                }) {
                    continue;
                }
                // "Tanggal na po TP2", "tinanggal na natin ang TP2": particles between.
                if let Some(k) = v
                    .after(i, 4)
                    .enumerate()
                    .take_while(|&(n, k)| n < 2 || !boundary_between(v, i, k))
                    .map(|(_, k)| k)
                    .find(|&k| {
                        matches!(v.class(k), Some(Class::Sl | Class::Tp))
                        // "Cancel — entry targets not reached": the entries, not a level.
                        && v.class(k - 1) != Some(Class::Entry)
                    })
                {
                    // "Scrapping TP3 … Targets now 23880 and 23920": a target removed, the ones
                    // that stay listed — a new list of targets, read as one; "Alvos atualizados:
                    // TP1 4232 / TP2 4240 (tiramos o TP3)": the list updated, the removal noted.
                    if targets_kept(v, k)
                        || kept_list(v).is_some()
                        || v.any(Class::Update)
                        || v.any(Class::New)
                    {
                        continue;
                    }
                    return Some(Err(trace_fmt!(
                        "'{}': a level removed, not a close",
                        v.span(i, k)
                    )));
                }
                // "tirem um pouco da mesa": some of it taken off, no amount said.
                if v.after(i, 2).any(|k| v.class(k) == Some(Class::Partial)) {
                    return Some(Ok(FollowUp::Close {
                        fraction: None,
                        wording: v.span(i, i + 2),
                    }));
                }
                let first = !v.toks[..i].iter().any(|t| t.kind == Kind::Word);
                // "The order was cancelled automatically": a report.
                if v.before(i)
                    .take(2)
                    .take_while(|&k| !boundary_between(v, k, i))
                    .any(|k| v.word_in(k, PASSIVE))
                {
                    continue;
                }
                // "La orden limit no se activó, bórrenla": the pending order named earlier.
                // "USOIL sell stop didn't trigger … Delete it": a stop order, after its side.
                let order_named = v.toks[..i].iter().enumerate().any(|(k, t)| {
                    matches!(t.class, Some(Class::OrderWord | Class::Limit))
                        || t.class == Some(Class::Stop)
                            && k.checked_sub(1)
                                .is_some_and(|p| matches!(v.class(p), Some(Class::Side(_))))
                });
                if first
                    || order_named
                    || v.after(i, 4).any(object)
                    || v.before(i).take(3).any(object)
                {
                    // "agar na lage to cancel kar denge": a cancel on a condition, for later.
                    if let Some(k) = condition_before(v, i).filter(|&k| {
                        v.class(k) == Some(Class::Condition) && !boundary_between(v, k, i)
                    }) {
                        return Some(Err(trace_fmt!(
                            "'{}': a cancel for later or on a condition",
                            v.raw(k)
                        )));
                    }
                    return Some(Ok(FollowUp::Close {
                        fraction: Some(1.0),
                        wording: v.span(i, v.after(i, 3).last().unwrap_or(i)),
                    }));
                }
            }
            // "Take profit now on gold", "Take profit on the US30 long now, +160": the label as
            // a verb, with "now" in its clause (the trade named between) and no level.
            Some(Class::Tp)
                if v.word_starts(i, &["take ", "kar al", "kâr al"])
                    && v.after(i, 6)
                        .take_while(|&k| {
                            !boundary_between(v, i, k)
                                && (matches!(v.toks[k].kind, Kind::Sym(_))
                                    || matches!(v.class(k), Some(Class::Market | Class::Side(_)))
                                    || v.word_in(k, &["on", "the", "my", "our", "your", "for"]))
                        })
                        .any(|k| v.class(k) == Some(Class::Market))
                    && !v.after(i, 4).any(|k| v.toks[k].kind == Kind::Num) =>
            {
                return Some(Ok(FollowUp::Close {
                    fraction: Some(1.0),
                    wording: v.span(i, i + 1),
                }));
            }
            // "USDJPY %30 kar al", "Take profit half": the label as a verb, with the share to
            // take.
            Some(Class::Tp)
                if v.word_starts(i, &["take ", "kar al", "kâr al", "chốt lời", "止盈"])
                    && let Some(share) = share_before(v, i)
                        .or_else(|| share_after(v, i))
                        .or_else(|| (v.class(i + 1) == Some(Class::Half)).then_some(0.5)) =>
            {
                return Some(Ok(FollowUp::Close {
                    fraction: Some(share),
                    wording: v.span(i.saturating_sub(2), i),
                }));
            }
            // "Parcial de 30% no US30", "Partial 50% on gold", "Teilschließung 1/3 bei
            // NAS100": the partial named first, its share after it ("Realização parcial de
            // 30%": after its noun, or its verb).
            Some(Class::Partial)
                if v.before(i).next().is_none_or(|p| {
                    matches!(v.toks[p].kind, Kind::Sym(_) | Kind::Nl)
                        || boundary_between(v, p, i)
                        || v.toks[p].kind == Kind::Word
                            && matches!(v.class(p), None | Some(Class::Take))
                            && v.before(p).all(|q| {
                                matches!(v.toks[q].kind, Kind::Sym(_))
                                    || v.toks[q].kind == Kind::Word && v.class(q).is_none()
                            })
                }) && let Some(share) = v.after(i, 3).find_map(|k| {
                    if v.toks[k].kind == Kind::Num
                        && v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct)
                    {
                        share_before(v, k + 2)
                    } else {
                        fraction_at(v, k)
                    }
                }) =>
            {
                if let Some(k) = condition_before(v, i) {
                    return Some(Err(trace_fmt!(
                        "'{}': a close for later or on a condition",
                        v.raw(k)
                    )));
                }
                return Some(Ok(FollowUp::Close {
                    fraction: Some(share),
                    wording: v.span(i, (i + 3).min(v.toks.len() - 1)),
                }));
            }
            // "Parciais no ouro 💵", "Partials on gold", "Parcial aqui galera": the partial
            // heading a short message of its own, its trade or "here" after it — taken now, no
            // amount named.
            Some(Class::Partial)
                if v.before(i).next().is_none()
                    && v.toks[..i].iter().all(|t| t.kind == Kind::Nl)
                    && v.toks.len() <= i + 5
                    && !v.toks.iter().any(|t| {
                        matches!(t.kind, Kind::Num | Kind::Pct)
                            || matches!(
                                t.class,
                                Some(
                                    Class::Result | Class::Condition | Class::Negation | Class::Tp
                                )
                            )
                    })
                    && !v.text.contains('?')
                    && v.after(i, 2).any(|k| {
                        matches!(v.toks[k].kind, Kind::Sym(_))
                            || v.word_in(k, &["here", "aqui", "aquí", "ici", "hier"])
                    }) =>
            {
                return Some(Ok(FollowUp::Close {
                    fraction: None,
                    wording: v.span(i, (i + 2).min(v.toks.len() - 1)),
                }));
            }
            // "NAS100 partials now", "Partial profits on GBPUSD now": partials taken now, no
            // amount named.
            Some(Class::Partial)
                if v.before(i).next().is_none_or(|p| {
                    matches!(v.toks[p].kind, Kind::Sym(_) | Kind::Nl) || boundary_between(v, p, i)
                }) && v
                    .after(i, 4)
                    .take_while(|&k| !boundary_between(v, i, k))
                    .any(|k| v.class(k) == Some(Class::Market))
                    && !v.toks.iter().any(|t| t.kind == Kind::Pct)
                    && condition_before(v, i).is_none() =>
            {
                return Some(Ok(FollowUp::Close {
                    fraction: None,
                    wording: v.span(i, (i + 4).min(v.toks.len() - 1)),
                }));
            }
            // Not a target withdrawn ("the third target (1.3390) is withdrawn"), nor money
            // ("$2,340 withdrawn from Exness") or a count.
            // Nor an idea's invalidation level ("Below 1.1530 this idea is invalid").
            Some(Class::Invalid)
                if !v.any(Class::Condition)
                    && !v.before(i).take(5).any(|k| v.class(k) == Some(Class::Tp))
                    && !v
                        .before(i)
                        .any(|k| v.word_in(k, &["below", "above", "under", "over", "beneath"]))
                    // ("11 signaux … 1 expiré": a count of them.)
                    && !i.checked_sub(1).is_some_and(|p| {
                        v.toks[p].kind == Kind::Num && !v.text[..v.toks[p].start].ends_with('#')
                    }) =>
            {
                return Some(Ok(FollowUp::Close {
                    fraction: Some(1.0),
                    wording: trace_fmt!("{} (signal withdrawn)", v.raw(i)),
                }));
            }
            Some(Class::Close) => {
                if let Some(why) = not_an_instruction(v, i) {
                    return Some(Err(why));
                }
                // The close's own sentence: "Closing everything. Hit the 4% daily target" closes
                // all.
                let after: Vec<usize> = v
                    .after(i, 8)
                    .take_while(|&k| !sentence_between(v, i, k))
                    .collect();
                let first_after = after.first().map(|&k| v.lower(k));
                // "close at entry", "close at market": where, not a condition.
                // Not English "to": "we are close to breakeven" is near it.
                let preposition = after.first().is_some_and(|&k| {
                    matches!(v.class(k), Some(Class::To | Class::EntryWeak))
                        && !v.word_in(k, &["to"])
                        || v.word_in(k, &["at", "on", "by"])
                });
                // Not "Cerrar la mitad ahora" (Romanian "la" is "at"): an amount between them
                // is what is closed.
                let at_entry = preposition
                    && after
                        .iter()
                        .skip(1)
                        .take(2)
                        // Nor "close on US30 now": the trade named, then when.
                        .take_while(|&&k| {
                            !matches!(
                                v.class(k),
                                Some(Class::Half | Class::Quarter | Class::Partial)
                            ) && !matches!(v.toks[k].kind, Kind::Sym(_))
                        })
                        .any(|&k| {
                            matches!(
                                v.class(k),
                                Some(
                                    Class::Entry | Class::Market | Class::Breakeven | Class::BeWeak
                                )
                            )
                        });
                let now = after.iter().any(|&k| v.class(k) == Some(Class::Market));
                // "Partial close on GBPJPY": which trade, not when.
                let on_symbol = preposition
                    && after
                        .get(1)
                        .is_some_and(|&k| matches!(v.toks[k].kind, Kind::Sym(_)));
                // (English words after an English verb: Greeklish "kleiste to miso" is "close
                // the half".)
                let conditional = !at_entry
                    && !on_symbol
                    && (first_after
                        .as_deref()
                        .is_some_and(|w| CONDITION_AFTER.contains(&w))
                        && v.toks[i].lang != Some(Lang::El)
                        || after
                            .first()
                            .is_some_and(|&k| v.class(k) == Some(Class::Condition)))
                    && !after.first().is_some_and(|&k| still_in(v, k));
                if conditional && !now {
                    continue;
                }
                // What is closed and how much may come on either side of the verb ("Secure 40 %
                // by closing part", "همه معاملات را ببندید", "Je ferme 30%").
                // A verb at the end of its line has its object and amount before it ("Die
                // Hälfte der GER40-Position nehme ich hier raus").
                let told_if_still_in = after.first().is_some_and(|&k| still_in(v, k));
                // At the end of its clause too: "نیمی از حجم AUDUSD رو ببندید و بقیه رو نگه
                // دارید" (close half … and hold the rest).
                let verb_final = after
                    .first()
                    .is_none_or(|&k| v.word_in(k, LIST_AND) || boundary_between(v, i, k));
                let mut window: Vec<usize> =
                    v.before(i).take(if verb_final { 12 } else { 4 }).collect();
                window.reverse();
                window.extend(after);
                // A bot card's "PARTIAL CLOSE #41872 / Volume: 50%", "ACTION: CLOSE / Volume:
                // 100%": the share on a line of its own.
                if v.toks[i].line == 0
                    || i.checked_sub(1)
                        .is_some_and(|p| v.word_in(p, &["action", "aksi", "acción", "ação"]))
                {
                    const VOLUME: &[&str] = &[
                        "volume", "vol", "lots", "lot", "size", "qty", "quantity", "closed",
                        "cerrar", "cerrado", "fechar", "fechado", "chiudi", "chiuso", "percent",
                        "pct", "close",
                    ];
                    // "Lots closed: 0.50 / 1.00"; "✂️ 50% closed @ 4271.30": the share first,
                    // then the word.
                    let volume_line = |line: usize| {
                        v.toks.iter().position(|t| t.line == line).is_some_and(|f| {
                            v.word_in(f, VOLUME)
                                || v.toks[f].kind == Kind::Num
                                    && v.toks.get(f + 1).is_some_and(|p| p.kind == Kind::Pct)
                                    && v.word_in(f + 2, VOLUME)
                        })
                    };
                    // "0.50 / 1.00": the lots closed of the lots held, both read.
                    let slashed = |k: usize| {
                        let pair = |a: usize, b: usize| {
                            v.toks.get(a).is_some_and(|t| t.kind == Kind::Num)
                                && v.toks.get(b).is_some_and(|t| t.kind == Kind::Num)
                                && v.text
                                    .get(v.toks[a].end..v.toks[b].start)
                                    .is_some_and(|g| g.trim() == "/")
                        };
                        pair(k, k + 1) || k.checked_sub(1).is_some_and(|p| pair(p, k))
                    };
                    window.extend((i + 1..v.toks.len()).filter(|&k| {
                        v.toks[k].line > 0
                            && volume_line(v.toks[k].line)
                            && (v.toks[k].kind == Kind::Pct
                                || v.toks.get(k + 1).is_some_and(|p| p.kind == Kind::Pct)
                                // "percent: 30".
                                || v.word_in(k, PERCENT_WORDS)
                                || v.toks[k].kind == Kind::Num
                                    && v.word_in(k.wrapping_sub(1), PERCENT_WORDS)
                                // "Closed: 0.25 of 0.50 lots".
                                || part_of_whole(v, k).is_some()
                                || slashed(k))
                    }));
                    window.sort_unstable();
                    window.dedup();
                }
                if at_entry {
                    return Some(Ok(FollowUp::Close {
                        fraction: Some(1.0),
                        wording: v.span(i, i + 2),
                    }));
                }
                if let Some(f) = fraction_in(v, i, &window) {
                    return Some(f);
                }
                // A close verb that is the whole instruction: "Zamykamy", "closing"; or one
                // told to whoever still holds the trade ("Exit if you're still in").
                if lone_instruction(v) || told_if_still_in || lone_clause(v, i) {
                    return Some(Ok(FollowUp::Close {
                        fraction: Some(1.0),
                        wording: v.raw(i).to_string(),
                    }));
                }
            }
            // "Sell 50% of your bag here", "sell half of it": a holder's exit of a share.
            Some(Class::Side(Side::Sell)) if sells_a_share(v, i) => {
                let window: Vec<usize> = v.after(i, 4).collect();
                if let Some(f) = fraction_in(v, i, &window) {
                    return Some(f);
                }
            }
            Some(Class::Result) if own_exit(v, i) => {
                // "I've closed half of my position", "закрыл 0.5 позиции": the share he took.
                let window: Vec<usize> = v.after(i, 4).collect();
                let share = window.iter().any(|&k| {
                    matches!(
                        v.class(k),
                        Some(Class::Partial | Class::Half | Class::Quarter)
                    ) || v.toks[k].kind == Kind::Num
                        || v.word_in(k, THIRD_WORDS)
                });
                if share && let Some(f) = fraction_in(v, i, &window) {
                    return Some(f);
                }
                return Some(Ok(FollowUp::Close {
                    fraction: Some(1.0),
                    wording: v.span(i, v.after(i, 2).last().unwrap_or(i)),
                }));
            }
            // "move SL to 4,040 to secure profits": why, not a close.
            Some(Class::Take)
                if i.checked_sub(1)
                    .is_some_and(|p| v.word_in(p, &["to", "para", "pour", "um"])) => {}
            // "TP partial 50% dulu", "ADA 30% 익절", "半分利確": the target's word as the taking.
            Some(Class::Take | Class::Tp)
                if !advice && (t.class == Some(Class::Take) || takes_a_share(v, i)) =>
            {
                // Verb-final, the amount may be further back ("30 % vom DAX Short sichern"); or a
                // few words on ("Prendete un po' di profitto parziale").
                let after: Vec<usize> = v.after(i, 5).collect();
                // Verb-final, or followed only by its helper ("سیو کنید", "book kar lo").
                // (Or in a language that puts its verb last: "۵۰ درصد حجم طلا رو سیو سود کنید 💰
                // بقیه بمونه".)
                let last = after.len() <= 1
                    && after
                        .iter()
                        .all(|&k| matches!(v.class(k), None | Some(Class::Move)))
                    || verb_final(v, i);
                let mut window: Vec<usize> = v.before(i).take(if last { 12 } else { 3 }).collect();
                window.reverse();
                window.extend(after);
                let profits = window.iter().any(|&k| v.word_in(k, PROFIT_WORDS));
                let amount = window.iter().any(|&k| {
                    matches!(
                        v.class(k),
                        Some(Class::Partial | Class::Half | Class::Quarter)
                    )
                        // "taking it a bit earlier": how much sooner, not how much.
                        && !v.word_in(
                            k + 1,
                            &["earlier", "later", "sooner", "higher", "lower", "closer", "more", "less"],
                        )
                        || v.word_in(k, THIRD_WORDS)
                        || v.word_in(k, QUARTER_WORDS)
                        || v.toks[k].kind == Kind::Pct
                        // Not a gain: "Net +3.1% on the FX book".
                        && k.checked_sub(1).is_some_and(|n| !v.signed_up(n))
                        // "۳۰ درصد", "30 percent".
                        || v.toks[k].kind == Kind::Num && v.word_in(k + 1, PERCENT_WORDS)
                        // "book 2/3 now"
                        || v.toks[k].kind == Kind::Num
                            && v.toks.get(k + 1).is_some_and(|n| {
                                n.kind == Kind::Num && v.text.get(v.toks[k].end..n.start) == Some("/")
                            })
                });
                // "book kar lo abhi": taken now, all of it.
                let now = v
                    .after(i, 3)
                    .take_while(|&k| !boundary_between(v, i, k))
                    .any(|k| v.class(k) == Some(Class::Market));
                // "book karo sab": all of it.
                let all = v.after(i, 3).any(|k| v.class(k) == Some(Class::All));
                // "Stop nachziehen auf 24210, Gewinn sichern": profit secured by the stop moved,
                // no share of it taken.
                let by_the_stop = || {
                    v.toks.iter().any(|t| {
                        matches!(
                            t.class,
                            Some(Class::Move | Class::Breakeven | Class::Sl | Class::Stop)
                        )
                    })
                };
                // "Taking my US30 long off here at 47390": the trade, named between, taken off
                // whole.
                let trade_word = |k: usize| {
                    matches!(v.toks[k].kind, Kind::Sym(_))
                        || matches!(v.class(k), Some(Class::Side(_)))
                        || v.word_in(k, super::text::OURS)
                };
                let off = v
                    .after(i, 5)
                    .take_while(|&k| !boundary_between(v, i, k))
                    .find(|&k| v.word_in(k, &["off"]))
                    .filter(|&k| {
                        k > i + 1
                            && (i + 1..k).all(trade_word)
                            && (i + 1..k).any(|n| matches!(v.toks[n].kind, Kind::Sym(_)))
                    });
                if let Some(k) = off.filter(|_| !amount)
                    && condition_before(v, i).is_none()
                {
                    return Some(Ok(FollowUp::Close {
                        fraction: Some(1.0),
                        wording: v.span(i, k),
                    }));
                }
                // "quem fez parcial no alvo 1 tá sorrindo": what members did, the share its
                // object.
                let done = window.iter().any(|&k| {
                    k < i
                        && v.class(k) == Some(Class::Result)
                        && matches!(
                            v.class(k + 1),
                            Some(Class::Partial | Class::Half | Class::Quarter)
                        )
                });
                // "Thank you sir, half book kar liya 🙏": a member's take, with thanks.
                let done = done || thanked(v).is_some();
                if (amount || now || all || profits && !by_the_stop()) && !done {
                    // "If gold crosses 4140 then we will book partial".
                    if let Some(k) = condition_before(v, i) {
                        return Some(Err(trace_fmt!(
                            "'{}': a close for later or on a condition",
                            v.raw(k)
                        )));
                    }
                    if let Some(f) = fraction_in(v, i, &window) {
                        return Some(f);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// The target's word at `i`, unnumbered and with no price of its own, beside a share: the
/// profit taken on that share now.
fn takes_a_share(v: &View, i: usize) -> bool {
    // After "TP" a number is its price, or the mark "TP" stands for ("✅ 90% accuracy"); after
    // the words ("ambil untung 30%") the share taken.
    let numbered = || {
        v.raw(i).eq_ignore_ascii_case("tp")
            && v.toks
                .get(i + 1)
                .is_some_and(|n| n.kind == Kind::Num && v.same_line(i, i + 1))
    };
    // Cheapest first: a share among the two tokens on either side, in its clause.
    let share = || {
        v.before(i).take(2).chain(v.after(i, 2)).any(|k| {
            (matches!(
                v.class(k),
                Some(Class::Partial | Class::Half | Class::Quarter)
            ) || v.toks[k].kind == Kind::Pct && k.checked_sub(1).is_some_and(|n| !v.signed_up(n)))
                && !boundary_between(v, i.min(k), i.max(k))
        })
    };
    // "masih plus dari TP sebagian tadi": the share taken earlier, reported; "Тейки додам трохи
    // згодом": targets to add.
    let reported = || {
        v.after(i, 3).any(|k| {
            matches!(
                v.class(k),
                Some(Class::Earlier | Class::Result | Class::New | Class::Update)
            )
        })
    };
    v.toks[i].digits.is_none() && !numbered() && share() && !reported()
}

/// A sell word followed by a share "of" something, or taken here: `Sell 50% of`, `sell half
/// of`, "vendete il 50% qui".
fn sells_a_share(v: &View, i: usize) -> bool {
    // The share is taken of something, or here and now ("vendete il 50% qui, il resto …").
    let of = |k: usize| {
        v.word_in(k, &["of", "de", "от", "из", "del", "da", "do", "della"])
            || v.word_in(
                k,
                &[
                    "here", "qui", "aquí", "aqui", "ici", "hier", "now", "ora", "ahora", "agora",
                    "at", "ở", "à", "en", "em", "bei", "по",
                ],
            )
            || boundary_between(v, k - 1, k)
    };
    // "il 50%", "el 50%": an article first.
    let i = if v.word_in(i + 1, &["il", "el", "le", "o", "the", "lo"]) {
        i + 1
    } else {
        i
    };
    match (v.toks.get(i + 1), v.toks.get(i + 2)) {
        (Some(n), Some(p)) if n.kind == Kind::Num && p.kind == Kind::Pct => of(i + 3),
        // "Bán 1/3 $ONDO ở 0.68": a fraction written with a slash.
        (Some(n), Some(d))
            if n.kind == Kind::Num
                && d.kind == Kind::Num
                && v.text.get(n.end..d.start) == Some("/")
                && v.raw(i + 1).len() == 1
                && v.raw(i + 2).len() == 1 =>
        {
            true
        }
        (Some(n), _) if matches!(n.class, Some(Class::Half | Class::Quarter)) => of(i + 2),
        // "Sell all $WLD now", "$ONDO vendan todo ya": a coin marked `$` sold whole is the
        // holder's exit (a symbol named plainly stays unclear: "Sell all gold now").
        // (Not "$SOL short all targets done": a trade's side and its targets.)
        (Some(n), _) if n.class == Some(Class::All) => {
            !v.word_in(i, &["short", "shorts"])
                && v.class(i + 2) != Some(Class::Tp)
                && v.toks
                    .iter()
                    .any(|t| matches!(t.kind, Kind::Sym(_)) && v.text[..t.start].ends_with('$'))
        }
        _ => false,
    }
}

/// "Closed my gold at 4109, you can do the same", "I closed EURUSD here": the provider's own
/// whole exit, which the copy follows. Not a share ("closed half ✅": taken already, not to take
/// again), not a target's or stop's report ("TP2 hit, closed"), not a gain ("closed +40 pips"),
/// not on a condition.
/// "Closed", "exited", in the languages: a close done.
pub(crate) const PAST_CLOSE: &[&str] = &[
    "closed",
    "exited",
    "clôturé",
    "fermé",
    "cerré",
    "fechei",
    "قفلت",
    "lumabas",
    "comot",
    "zerei",
    "realizei",
    "encerrei",
    "geschlossen",
    "закрыл",
    "chiuso",
    "kapattım",
    "خرجت",
    "أغلقت",
    "اغلقت",
    "بستم",
    "wychodzę",
    "steig",
    "saliendo",
    "steige",
    "saindo",
    "выхожу",
    "вышел",
];

fn own_exit(v: &View, i: usize) -> bool {
    // Who closed: "I closed", "we have closed" — not "my broker closed it" (a member's).
    // "Manually closed BTC", "closed manually": the provider's own hand.
    const I: &[&str] = &[
        "i", "i've", "ive", "we", "we've", "j'ai", "yo", "eu", "ich", "я", "io", "ben", "manually",
    ];
    // Whose trade: "closed my gold" (`text::OURS`).
    // "Закрыл половину позиции по $WLD": Russian's past tense names the speaker without a
    // pronoun, first on its line (but for the trade's symbol).
    let speaker_implied = || {
        v.word_in(i, &["закрыл", "закрыла", "вышел", "вышла"])
            && v.before(i)
                .take_while(|&k| v.same_line(k, i))
                .all(|k| matches!(v.toks[k].kind, Kind::Sym(_)))
    };
    v.word_in(i, PAST_CLOSE)
        && (v.before(i).take(2).any(|k| v.word_in(k, I))
            || v.after(i, 1).any(|k| v.word_in(k, I) || v.word_in(k, super::text::OURS))
            || speaker_implied())
        && !v.toks.iter().enumerate().any(|(k, t)| {
            k != i && t.class == Some(Class::Result)
                // "We closed half of gold ✅": a share ticked off, taken already.
                || matches!(t.class, Some(Class::Partial | Class::Half | Class::Quarter))
                    && v.text.contains(['✅', '✔', '☑'])
                || matches!(
                    t.class,
                    Some(
                        Class::Tp
                            | Class::Sl
                            | Class::Stop
                            | Class::Pips
                            | Class::Condition
                            | Class::Negation
                    )
                )
        })
        && !v.text.contains('?')
        // "closed my US30 at +60, thanks sniper! 🙏": a member's gain, with thanks.
        && !(v.text.contains('+') && v.text.contains('🙏'))
        && thanked(v).is_none()
        // "bro i closed my gold at 4129 😂", "why we closed USDJPY early yesterday": a
        // member's chatter, or a close told as done before.
        && !v.any(Class::Earlier)
        && !v.text.contains(['😂', '🤣', '😅', '😄'])
        && !(0..v.toks.len()).any(|k| v.word_in(k, CHATTER))
}

/// Words of a member's chatter, or of a close done before, beside "I closed".
const CHATTER: &[&str] = &["lol", "xd", "bro", "lmao", "yesterday", "earlier"];

/// A gain with a word of thanks to the provider, and no word to copy: a member's message (a
/// provider's "🙏" alone thanks no one in particular).
fn thanked(v: &View) -> Option<usize> {
    // "Спасибо рынку", "merci le marché": the provider thanks the market.
    let thanks = (0..v.toks.len()).find(|&k| {
        v.word_in(k, THANKS)
            && !v.after(k, 2).any(|n| {
                v.word_in(
                    n,
                    &[
                        "market",
                        "рынку",
                        "рынок",
                        "marché",
                        "mercado",
                        "mercato",
                        "markt",
                        "piyasa",
                    ],
                )
            })
    })?;
    // What the member made, or a close told in the past ("Merci, j'ai fermé la moitié", "udah
    // close setengah").
    let done = || {
        (0..v.toks.len()).any(|k| {
            v.word_in(k, PAST_CLOSE)
                // "half book kar liya": Hindi's done.
                || v.word_in(k, &["liya", "liye", "diya"])
                || v.class(k) == Some(Class::Close)
                    && v.before(k)
                        .next()
                        .is_some_and(|p| v.word_in(p, &["udah", "sudah", "already", "déjà"]))
        })
    };
    ((v.text.contains('+') || done()) && !v.any(Class::Copy)).then_some(thanks)
}

/// Thanks, in the languages: a member's word to the provider.
const THANKS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "tq",
    "спасибо",
    "дякую",
    "merci",
    "gracias",
    "obrigado",
    "valeu",
    "danke",
    "grazie",
    "teşekkürler",
    "sağol",
    "sağolun",
    "sagolun",
    "teşekkür",
    "شكرا",
    "ممنون",
    "mersi",
    "terima",
    "asante",
    "makasih",
    "thankyou",
    "thnx",
];

/// "Exit if you're still in", "close it if still holding": the condition is the reader's own
/// position, which the copy holds; not a condition on the market.
fn still_in(v: &View, k: usize) -> bool {
    // "If you have 0.10 lot, close 0.05", "Если у вас 0.3 лота": the lots the reader holds.
    let lots = |n: usize| {
        v.toks[n].kind == Kind::Num
            && (v.word_in(n + 1, LOT_WORDS)
                || n.checked_sub(1).is_some_and(|p| v.word_in(p, LOT_WORDS)))
    };
    v.class(k) == Some(Class::Condition)
        && (v.after(k, 5).any(lots) || v.after(k, 3).any(|n| {
            // "Dacă mai sunteți în poziție", "si todavía están dentro".
            v.word_in(
                n,
                &[
                    "mai", "aún", "encore", "ещё", "еще", "masih", "siguen", "seguís", "continuam",
                    "dentro", "haven't", "havent", "hasn't", "hasnt",
                ],
            ) || v.word_in(n, STILL)
                // "if still open": a phrase of the lexicon that starts with it.
                || v.raw(n).split_once(' ').is_some_and(|(w, _)| {
                    STILL.iter().any(|s| s.eq_ignore_ascii_case(w))
                })
                // "Follow if you're in": the clause ends with it.
                || v.word_in(n, &["in"]) && v.toks.get(n + 1).is_none_or(|m| m.line != v.toks[n].line)
        }))
}

/// "On my own", "myself" beside a stop: a member's doing ("I'm moving my stop" is the
/// provider's).
const MY_OWN: &[&str] = &[
    "own", "myself", "себе", "mwenyewe", "selbst", "mismo", "mesmo",
];

/// "join me if you want to lock it", "si quieren": the condition is the reader's wish to copy,
/// not one on the market.
fn readers_choice(v: &View, k: usize) -> bool {
    v.class(k) == Some(Class::Condition)
        && v.after(k, 3).any(|n| {
            v.word_in(
                n,
                &[
                    "want",
                    "wanna",
                    "like",
                    "wish",
                    "prefer",
                    "quieren",
                    "quiere",
                    "queréis",
                    "quereis",
                    "querem",
                    "quiser",
                    "quiserem",
                    "voulez",
                    "veux",
                    "wollt",
                    "willst",
                    "istersen",
                    "isterseniz",
                    "mau",
                    "chahte",
                    "chaho",
                    "хотите",
                    "хочешь",
                    "خواستید",
                    "خواستین",
                    "حاب",
                    "يريد",
                ],
            )
        })
}

/// Words that keep some trades out of a close ("close all except EURUSD", "leave 25% running").
const EXCLUSIONS: &[&str] = &[
    "except",
    "but",
    "besides",
    "keep",
    "hold",
    "leave",
    "leaving",
    "stays",
    "remain",
    "остав",
    "кроме",
    "excepto",
    "menos",
    "außer",
    "sauf",
    "hariç",
    "oprócz",
    "جز",
    "باستثناء",
];

/// Why a close word is no instruction when it is a noun or an adjective.
const NOT_A_VERB: &str = "is not an instruction here";

/// Why a close said to be made at a target is none now: the target already makes it.
const AT_TARGET: &str = "a close for later, at a target";

/// Why a close refused is none: beside a move, it is advice on holding the trade moved.
const NEGATED: &str = "negated";

/// Words before "close" that make it a noun or an adjective ("markets close Friday", "that was
/// close", "daily close above").
const NOT_A_VERB_BEFORE: &[&str] = &[
    "is", "was", "that", "the", "a", "daily", "weekly", "candle", "market", "markets", "very",
    "so", "too", "be", "will", "to", "can", "could", "should", "want", "ready", "prepare",
    "futures", "price", "prices", "indices", "stocks", "equities",
    // "the Fed's rate cut": a central bank's cut ("a December cut" too: the months).
    "rate", "rates", "fed", "another", "small", "big", "fair",
    // "the session close", "the monthly close", "before the London close": a session's.
    "session", "monthly", "london", "ny", "york", "asia", "asian", "tokyo", "european",
];

/// Why the close word at `i` gives no instruction to act on now, if it does not: a condition or a
/// future on its line ("once TP1 is hit, close half", "we will close it later"), an exclusion
/// ("except EURUSD"), a report ("Half close ✅ done"), a noun ("close call").
fn not_an_instruction(v: &View, i: usize) -> Option<String> {
    if let Some(k) = negation_near(v, i, i) {
        return Some(trace_fmt!("'{}': {NEGATED}", v.raw(k)));
    }
    // "تم اغلاق الصفقة على ربح 120 نقطة": Arabic's "done" before the close word reports it
    // done.
    if i.checked_sub(1)
        .is_some_and(|p| v.same_line(p, i) && v.word_in(p, &["تم", "تمت", "وتم", "وتمت"]))
    {
        return Some(trace_fmt!(
            "'{} {}': closed already, a report",
            v.raw(i - 1),
            v.raw(i)
        ));
    }
    // "Flat trade.": a trade that ended level; "Risiko ist raus": the risk is off, nothing is
    // closed.
    // "gold opened flat": the market's day.
    if v.word_in(i, &["flat"])
        && (v.word_in(i + 1, &["trade"])
            || i.checked_sub(1).is_some_and(|p| {
                v.word_in(
                    p,
                    &[
                        "opened", "opens", "open", "trading", "looks", "stayed", "remains",
                    ],
                )
            }))
        || v.word_in(i, &["raus"]) && v.before(i).take(2).any(|k| v.word_in(k, &["risiko"]))
    {
        return Some(trace_fmt!("'{}' {NOT_A_VERB}", v.raw(i)));
    }
    // "We are killing it this week 🔥": doing well, not closing anything.
    if v.word_in(i, &["killing", "killed"]) && v.word_in(i + 1, &["it"]) {
        return Some(trace_fmt!("'{} it': said of doing well", v.raw(i)));
    }
    // "maine gold 4215 pe close kar liya +30 pips, thanks sir 🙏": a member's gain, with thanks.
    if let Some(k) = thanked(v) {
        return Some(trace_fmt!("'{}': a member's gain, with thanks", v.raw(k)));
    }
    // "Dacă mai sunteți în poziție, închideți": told to whoever still holds it.
    // ("I closed my gold buy, if you want close with me": the reader's wish.)
    if let Some(k) = condition_before(v, i).filter(|&k| !still_in(v, k) && !readers_choice(v, k)) {
        return Some(trace_fmt!(
            "'{}': a close for later or on a condition",
            v.raw(k)
        ));
    }
    // "by end of day", "EOD": a close for later.
    let rest = v.text.get(v.toks[i].end..).unwrap_or("");
    let rest = rest.split('\n').next().unwrap_or("").as_bytes();
    if [
        "end of day",
        "end of the day",
        "eod",
        "end of session",
        "before the close",
    ]
    .iter()
    .any(|w| {
        rest.windows(w.len())
            .any(|win| win.eq_ignore_ascii_case(w.as_bytes()))
    }) {
        return Some("a close for later (end of day)".to_string());
    }
    let line: Vec<usize> = v.before(i).chain([i]).chain(v.after(i, 16)).collect();
    let now = line.iter().any(|&k| v.class(k) == Some(Class::Market));
    // A "now" after the close ends its clause: "CLOSE our trade now and set breakeven if you
    // wish" closes now.
    let now_at = v
        .after(i, 16)
        .find(|&k| v.class(k) == Some(Class::Market))
        .unwrap_or(usize::MAX);
    if let Some(&k) = line.iter().find(|&&k| {
        k < now_at
            // "Close all positions. We go again Monday": another sentence's day; "as per the
            // plan. Close 0.10 now": an earlier sentence's plan.
            && !(k > i && sentence_between(v, i, k))
            && !(k < i && sentence_between(v, k, i))
            && (matches!(
                v.class(k),
                Some(Class::Condition | Class::Hedge | Class::Advice)
            ) || v.word_in(k, &["later", "plan", "strategy"])
                // "Amanhã antes do payroll vamos fechar tudo": the day, before the close.
                || k < i && v.word_in(k, LATER_DAYS))
            // "keep the rest with the same plan": the plan the trade had.
            && !v.before(k).take(1).any(|p| v.word_in(p, &["same"]))
            && !still_in(v, k)
            && !readers_choice(v, k)
            // "close all gold trades, we come back tomorrow": another clause's day; "close 50%
            // muna, may RBA minutes pa mamaya": another clause's hedge.
            && !(k > i
                && boundary_between(v, i, k)
                && (v.word_in(k, LATER_DAYS)
                    || v.word_in(k, &["later"])
                    || v.class(k) == Some(Class::Hedge)))
            // "not waiting for TP2", "nie czekamy na TP2", "pas la peine d'attendre": the wait
            // refused — it is now.
            && !v.before(k).take(3).any(|n| v.class(n) == Some(Class::Negation))
    }) {
        return Some(trace_fmt!(
            "'{}': a close for later or on a condition",
            v.raw(k)
        ));
    }
    // "Partial close, keep runners", "Taking 30% off … Rest stays open": what a partial close
    // leaves, not trades it spares.
    // ("For those with 0.20 lots: close 0.10 now, keep 0.10 running": sizes in lots, the word
    // once.)
    let lot_word = || {
        v.toks
            .iter()
            .enumerate()
            .any(|(k, _)| v.word_in(k, LOT_WORDS))
    };
    let lots = line
        .iter()
        .filter(|&&k| {
            v.toks[k].kind == Kind::Num
                && (v.word_in(k + 1, LOT_WORDS)
                    || v.raw(k).starts_with("0.") && v.raw(k).len() <= 4 && lot_word())
        })
        .count();
    // "Close 1 lot out of 3": a part of the whole.
    let part_of = line.iter().any(|&k| {
        v.toks[k].kind == Kind::Num
            && v.after(k, 4)
                .take_while(|&m| v.toks[m].kind != Kind::Num)
                .any(|m| v.word_in(m, WHOLE_OF))
            && v.after(k, 4).any(|m| v.toks[m].kind == Kind::Num)
    });
    let partial = lots >= 2
        || part_of
        || line.iter().any(|&k| {
            matches!(
                v.class(k),
                Some(Class::Partial | Class::Half | Class::Quarter)
            ) || v.word_in(k, &["third", "thirds"])
                || v.toks[k].kind == Kind::Pct
                    && k.checked_sub(1).is_some_and(|n| {
                        !v.signed_up(n) && v.numbers(n).first().is_some_and(|&p| p < 100.0)
                    })
        });
    let leaves_runners = |k: usize| {
        v.after(k, 3).chain(v.before(k).take(1)).any(|n| {
            v.class(n) == Some(Class::Open)
                || v.word_in(
                    n,
                    &[
                        "rest",
                        "remainder",
                        "remaining",
                        "runner",
                        "runners",
                        "running",
                        "moonbag",
                    ],
                )
        })
    };
    // An exclusion in a question of its own ("who still holds GBPUSD? Close it now") is not the
    // close's; one after a comma is ("close gold longs, hold the shorts").
    let asked_apart = |k: usize| {
        let (a, b) = (v.toks[k.min(i)].end, v.toks[k.max(i)].start);
        v.text.get(a..b).is_some_and(|gap| gap.contains('?'))
    };
    // A word that spares some trades from the close.
    let spares = |k: usize| {
        // "stop stays where it is": the stop, not trades; "we keep the profit we have": the
        // gain, not trades.
        if k.checked_sub(1).is_some_and(|p| is_stop(v.class(p)))
            || v.after(k, 2).any(|n| v.word_in(n, PROFIT_WORDS))
        {
            return false;
        }
        if asked_apart(k)
            || !v.word_starts(k, EXCLUSIONS)
            || v.word_in(k, &["remaining", "remainder"])
            // "close 1 lot, keep the rest running": what a close of part keeps.
            || v.after(k, 2).any(|n| v.class(n) == Some(Class::Rest))
            || partial && leaves_runners(k)
            // "Closing USDJPY now at 154.10. It's short of the target, but …": another
            // sentence's word.
            || sentence_between(v, k.min(i), k.max(i))
        {
            return false;
        }
        // "…, but I don't trust it", "TP2 almost there but news is coming — close gold now":
        // the conjunction, not "all but the gold".
        if v.word_in(k, &["but"])
            && (k < i || k.checked_sub(1).is_some_and(|p| boundary_between(v, p, k)))
        {
            return false;
        }
        let names_trades = v.after(k, 2).any(|n| {
            matches!(v.toks[n].kind, Kind::Sym(_)) || matches!(v.class(n), Some(Class::Side(_)))
        });
        // What a partial close keeps is the rest ("close 80% here, keep small lot for TP3");
        // "hold the sell", "hold gold" spare trades, "if you wish to hold" does not.
        names_trades || !partial && !v.word_starts(k, &["hold"])
    };
    if let Some(&k) = line.iter().find(|&&k| spares(k)) {
        return Some(trace_fmt!(
            "'{}': a close that keeps some trades — which ones is not acted on",
            v.raw(k)
        ));
    }
    // What it leaves is described, not reported: "leave the rest running".
    let left = line
        .iter()
        .copied()
        .find(|&k| partial && v.word_starts(k, EXCLUSIONS))
        .unwrap_or(usize::MAX);
    // A result before the verb is what prompts it ("TP2 hit 🎯 close all"); one after reports
    // the close itself ("Half close ✅ done").
    // Only a share reported taken is withheld: acting on it again would take another share
    // ("Half close ✅ done"). A whole close reported is what the copy does too ("exit all, closed
    // at 2.198 ✅"): a trade already closed is not closed twice.
    let share = partial || line.iter().any(|&k| v.class(k) == Some(Class::Quarter));
    if !now
        && share
        && line.iter().any(|&k| {
            k > i
                && k < left
                && v.class(k) == Some(Class::Result)
                // "Close half here, 60 pips running": the trade's state, in a clause of its own.
                && !punctuation_between(v, i, k)
                // "asegurar ganancias": what the take secures, not a report; "rest running":
                // what it leaves.
                && k.checked_sub(1).is_none_or(|j| {
                    v.class(j) != Some(Class::Take) && !v.word_in(j, &["rest", "remaining"])
                })
                // "close half 🤑 +120 pts secured": what the close makes, said after its gain.
                && !v.before(k).take(2).any(|j| v.toks[j].kind == Kind::Num && v.signed_up(j))
        })
    {
        return Some("a close reported done, not asked for".to_string());
    }
    // "Close half on TP1": when the target is reached.
    if let Some(k) = v.after(i, 4).find(|&k| {
        v.class(k) == Some(Class::Tp)
            && k.checked_sub(1).is_some_and(|j| {
                v.word_in(
                    j,
                    &[
                        "at", "on", "upon", "bei", "à", "au", "al", "en", "na", "no", "em", "на",
                        "по",
                    ],
                )
            })
    }) {
        return Some(trace_fmt!("'{}': {AT_TARGET}", v.span(k - 1, k)));
    }
    // "Close the first position": which one of several, which the trades do not say.
    if let Some(k) = v.after(i, 3).find(|&k| {
        v.word_in(
            k,
            &[
                "first", "second", "third", "1st", "2nd", "3rd", "oldest", "newest", "latest",
            ],
        ) && k
            .checked_sub(1)
            .is_some_and(|j| v.word_in(j, &["the", "our", "my", "your"]))
    }) {
        return Some(trace_fmt!(
            "'{}': which position is meant is not known",
            v.raw(k)
        ));
    }
    // Past an auxiliary: "market don close", "markets have closed".
    // Not across a sentence: "… from Tokyo. Close USDJPY now".
    let prev = v
        .before(i)
        .find(|&k| !v.word_in(k, &["don", "has", "have", "had"]))
        .filter(|&k| !sentence_between(v, k, i))
        .map(|k| v.lower(k));
    // "we advise members to close half": told to, not going to.
    let told_to = prev.as_deref() == Some("to")
        && v.before(i).take(4).any(|k| {
            v.word_starts(
                k,
                // "Feel free to close with me": an invitation.
                &[
                    "advis",
                    "recommend",
                    "urge",
                    "ask",
                    "suggest",
                    "instruct",
                    "free",
                ],
            )
        });
    // "We'll close the gold buys at TP2": a plan.
    if prev
        .as_deref()
        .is_some_and(|w| w.ends_with("'ll") || w.ends_with("’ll"))
    {
        return Some(trace_fmt!("'{}': a close for later", v.span(i - 1, i)));
    }
    // "comprei EURUSD 1.1610 e saí 1.1645", "دخل شراء ذهب 4055 وأغلق 4090": in at one price
    // and out at another — a trade told whole, not an instruction.
    // A price: not a share, pips or a signed gain.
    let price = |m: usize| {
        v.toks[m].kind == Kind::Num
            && !v.signed_up(m)
            && !v.toks.get(m + 1).is_some_and(|n| n.kind == Kind::Pct)
            && v.class(m + 1) != Some(Class::Pips)
    };
    let priced_side = v.before(i).take(8).any(|k| {
        (matches!(v.class(k), Some(Class::Side(_)))
            || v.word_in(
                k,
                &[
                    "comprei", "vendi", "compré", "vendí", "bought", "sold", "aldım", "sattım",
                ],
            ))
            && (k + 1..i).any(&price)
    });
    if priced_side && v.after(i, 3).any(price) {
        return Some(trace_fmt!(
            "'{}': a trade told whole, in and out at prices",
            v.raw(i)
        ));
    }
    // "Close gold at 17:30", "Xetra schließt um 17:30": at a time of day.
    if let Some(time) = time_of_day_after(v, i) {
        return Some(trace_fmt!("'{time}': a close at a time of day, for later"));
    }
    // "closing in on 4100", not "closing in full".
    // ("Market close $ETHUSDT short now": at market, the trade named and "now".)
    // ("$ETH market close. Done with this one": the trade named just before.)
    let at_market_now = prev.as_deref() == Some("market")
        && (v
            .after(i, 3)
            .any(|k| matches!(v.toks[k].kind, Kind::Sym(_)))
            && v.after(i, 5).any(|k| v.class(k) == Some(Class::Market))
            || i >= 2 && matches!(v.toks[i - 2].kind, Kind::Sym(_)));
    // (Hungarian "is" is "too": "NAS maradékát is zárjátok".)
    let hungarian_too = prev.as_deref() == Some("is") && v.toks[i].lang == Some(Lang::Hu);
    if prev.is_some_and(|w| {
        NOT_A_VERB_BEFORE.contains(&w.as_ref()) || super::text::one_of(w.as_ref(), super::text::MONTHS)
    }) && !told_to
        && !hungarian_too
        && !at_market_now
        || v.after(i, 1).any(|k| {
            v.word_in(k, &["call", "in", "price", "above", "below"])
                && v.class(k + 1) != Some(Class::All)
        })
        // "Gold close di week above 3580": the period's candle closing above a level.
        || v.after(i, 3).any(|k| v.word_in(k, &["week", "day", "month", "candle"]))
            && v.after(i, 4).any(|k| v.word_in(k, &["above", "below", "over", "under"]))
        // "Flat is a position": the word named, not said.
        || v.after(i, 1).any(|k| v.word_in(k, &["is", "was", "are"]))
    {
        return Some(trace_fmt!("'{}' {NOT_A_VERB}", v.raw(i)));
    }
    None
}

/// A time of day ("17:30", "8:30") in the close's sentence after the verb at `i`.
fn time_of_day_after<'t>(v: &View<'t>, i: usize) -> Option<&'t str> {
    let from = v.toks[i].end;
    let rest = &v.text[from..];
    let rest = &rest[..rest.find(['.', '!', '\n', '❗', '‼']).unwrap_or(rest.len())];
    // "Close all shorts now, CPI at 9:30": closed now, the time is the news' ("Close half of
    // the gold sell now, … news at 4:30pm").
    let now = v
        .after(i, 8)
        .any(|k| v.class(k) == Some(Class::Market) && v.toks[k].end <= from + rest.len());
    if now {
        return None;
    }
    let b = rest.as_bytes();
    rest.match_indices(':').find_map(|(at, _)| {
        let before = b[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let after = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let hour = rest[at - before..at].parse::<u32>().ok()?;
        ((1..=2).contains(&before) && after == 2 && hour < 24).then(|| &rest[at - before..at + 3])
    })
}

/// A word the lexicon does not know right beside the close verb at `i` (after it, past an
/// article; or before it, where the verb ends the line), other than a pronoun or a courtesy.
fn unknown_beside(v: &View, i: usize) -> Option<usize> {
    const ARTICLES: &[&str] = &[
        "a", "an", "the", "un", "une", "um", "uma", "una", "ein", "eine", "einen", "le", "la",
        "les", "el", "los", "las", "o", "os", "die", "der", "das", "den",
    ];
    const HARMLESS: &[&str] = &[
        // "close karanna" (Sinhala's "do"), "mere saath nikal lo" (with me), "cierren sus
        // ventas" (your sells).
        "karanna",
        "karamu",
        "wuna",
        // "zatvaram cijeli" (the whole of it), "a BoJ hírek miatt" (because of).
        "cijeli",
        "cijelu",
        "miatt",
        "saath",
        "sus",
        "tus",
        "vuestras",
        "vuestros",
        "it",
        "this",
        "that",
        "them",
        "these",
        "those",
        "here",
        "everything",
        "everyone",
        "guys",
        "bhi",
        "bhai",
        "bro",
        "yaar",
        "please",
        "pls",
        "plz",
        "asap",
        "my",
        "our",
        "your",
        "trade",
        "trades",
        "early",
        "manually",
        "fully",
        "completely",
        "out",
        "up",
        "off",
        "karo",
        "kar",
        "do",
        "lo",
        "hier",
        "ici",
        "aqui",
        "aquí",
        "tutaj",
        "qui",
        "solo",
        "sólo",
        "only",
        "just",
        "nur",
        "только",
        "tady",
        "aici",
        "burada",
        "ovde",
        "ovdje",
        "itt",
        "ya",
        "já",
        "jetzt",
        "ich",
        "wir",
        "nous",
        "yo",
        "now",
        "then",
        "too",
        "also",
        "komplett",
        "complete",
        "del",
        "dal",
        "aus",
        "von",
        "from",
        "of",
        "dari",
        "pode",
        "birini",
        // A card's field: "action: close".
        "action",
        // "Sortie au marché sur le USDJPY": on which trade; "zatvaram kod 1.1585": at what.
        "sur",
        "sobre",
        "kod",
        "код",
        // "Encerrem essa venda", "cerrad esta compra", "chiudete questa": which trade.
        "essa",
        "esse",
        "esta",
        "este",
        "isso",
        "esa",
        "ese",
        "eso",
        "questa",
        "questo",
        "cette",
        "diese",
        "diesen",
        "dieses",
        "total",
        // "fermez aussi", "ae đóng theo" (close along), "close karein", "recomiendo cerrar",
        // "Sakrou kol" (all of it), "Alles zu vor dem Wochenende" (before): a word around the
        // close, not an amount.
        "aussi",
        "theo",
        "karein",
        "karen",
        "recomiendo",
        "recomendo",
        "kol",
        "kolchi",
        "vor",
        "swing",
        // "sapa nak close boleh close jugak": Malay's "may", "too", "a bit".
        "boleh",
        "junto",
        "jugak",
        "juga",
        "sikit",
        // "fechando minha compra", "je ferme mon achat": whose trade.
        "mon",
        "ma",
        "mes",
        "minha",
        "meu",
        "minhas",
        "meus",
        "mis",
        "mein",
        "meine",
        "meinen",
        "mio",
        "mia",
        "miei",
        "moja",
        "moje",
        "swoje",
        "swój",
        "ręcznie",
        "recznie",
        "notre",
        "nos",
        "nuestra",
        "nuestro",
        "nossa",
        "nosso",
        "unsere",
        "unser",
        "nostra",
        "nostro",
        // "Fermez uniquement les ventes", "cerramos manual": how, not how much.
        "uniquement",
        "seulement",
        "apenas",
        "somente",
        "solamente",
        "manual",
        "manualmente",
        "manuellement",
    ];
    // Latin-script words of three letters or more: the small words of other scripts' grammar
    // ("را", "из") and pronouns are no amount.
    let unknown = |k: usize| {
        let t = &v.toks[k];
        let raw = v.raw(k);
        t.kind == Kind::Word
            && matches!(t.class, None | Some(Class::NotTicker))
            && raw.len() >= 3
            && raw.bytes().all(|b| b.is_ascii_alphabetic())
            // "Закрываю TON по текущим": a ticker in capitals, not an amount.
            && !raw.bytes().all(|b| b.is_ascii_uppercase())
            && !v.word_in(k, HARMLESS)
            // "Secure profits — close the trade": what is taken, no amount.
            && !v.word_in(k, PROFIT_WORDS)
            && !v.word_in(k, ARTICLES)
    };
    let after = v.after(i, 3).find(|&k| !v.word_in(k, ARTICLES));
    let verb_final = v.after(i, 1).next().is_none();
    let before = verb_final
        .then(|| v.before(i).next())
        .flatten()
        .filter(|&k| !boundary_between(v, k, i));
    after
        .filter(|&k| unknown(k) && !boundary_between(v, i, k))
        .or(before.filter(|&k| unknown(k)))
}

/// "SL stays at 4140", "SL bleibt bei 4146", "stop sin cambios": the level named as it is.
const STAYS: &[&str] = &[
    "stays",
    "stay",
    "remains",
    "unchanged",
    "bleibt",
    "reste",
    "resta",
    "queda",
    "permanece",
    "mantém",
    "mantem",
    "остается",
    "остаётся",
    "kalıyor",
    "kaliyor",
    "ibaki",
    "tetap",
    "يبقى",
    "ثابت",
    // "SL still at 25,300": where it is (and see STILL).
    "toujours",
    "ancora",
    "по-прежнему",
    "hâlâ",
];

/// "Still", in the languages: a stop still at a level stays there; a close told to whoever is
/// still in is for them.
const STILL: &[&str] = &["still", "todavía", "todavia", "ainda", "noch", "hala"];

/// The stop label at `i` says its level stays.
fn stays(v: &View, i: usize) -> bool {
    v.after(i, 2)
        .any(|k| v.word_in(k, STAYS) || v.word_in(k, STILL))
}

/// "Levels" heading the levels a bare call was missing ("Рівні: стоп 842, тейки 868 / 879"),
/// and "final" before the last target.
const LEVEL_WORDS: &[&str] = &[
    "final",
    "finale",
    "last",
    "levels",
    "level",
    "рівні",
    "уровни",
    "niveles",
    "níveis",
    "niveaux",
    "livelli",
    "seviyeler",
    "点位",
    "补充点位",
];

/// "of" / "from" between a part and its whole ("3 lots out of 5", "0.02 lot from 0.04").
const WHOLE_OF: &[&str] = &[
    "of", "from", "de", "von", "из", "di", "dari", "sur", "su", "z", "з", "із", "tổng", "trong",
    "أصل", "از", "van", "dos", "das", "del", "kati", "ya", "sa", "من", "daripada",
];

/// Days to come, in the languages.
const LATER_DAYS: &[&str] = &[
    "tomorrow",
    "tonight",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "sunday",
    "lundi",
    "vendredi",
    "viernes",
    "sexta",
    "mañana",
    "amanhã",
    "demain",
    "morgen",
    "domani",
    "завтра",
    "yarın",
    "besok",
    "bukas",
    "فردا",
    "امشب",
    "غدا",
    "jutro",
    "ngày mai",
];

/// The auxiliary of a passive ("was cancelled", "foi cancelada", "wurde gelöscht").
const PASSIVE: &[&str] = &[
    "was", "were", "been", "got", "foi", "foram", "fue", "fueron", "wurde", "wurden", "été",
    "stato", "stata", "была", "был", "было", "została", "został",
];

/// Lots, in the languages.
const LOT_WORDS: &[&str] = &[
    "lot",
    "lots",
    "lotti",
    "lotto",
    "lota",
    "lotu",
    "lotunu",
    "lotun",
    "loty",
    "lote",
    "lotes",
    "contratos",
    "kontrakty",
    "лот",
    "лота",
    "лотов",
    "лотом",
    "лотами",
    "contract",
    "contracts",
    "لوت",
    "لات",
    "लॉट",
];

/// The lots a message says are held, before the close verb at `i`: a number beside a lot word
/// ("0.10 lotti", "lot 0.10").
fn lots_held(v: &View, i: usize) -> Option<f64> {
    lots_held_at(v, i).map(|(lots, _)| lots)
}

/// The lots at token `k` as a share of the `held` ones, when they are a part of them.
fn share_of_held(v: &View, k: usize, held: f64) -> Option<f64> {
    share_of(*v.numbers(k).first()?, held)
}

/// A bot card's field that gives the share closed: "Volume: 50%", "Closed: 0.30 / 1.00 lot",
/// "Amount: 30%".
const SHARE_FIELDS: &[&str] = &[
    "volume", "vol", "size", "lots", "lot", "closed", "amount", "qty", "quantity",
];

/// `part` of `whole` as a share rounded to a thousandth, if it is one: more than nothing (a
/// price taken for the whole, "0.30 lot of 4286.50", rounds to 0) and less than all.
fn share_of(part: f64, whole: f64) -> Option<f64> {
    let share = ((part / whole) * 1000.0).round() / 1000.0;
    (part > 0.0 && part < whole && share > 0.0).then_some(share)
}

/// [`lots_held`], with the token the number is at.
fn lots_held_at(v: &View, i: usize) -> Option<(f64, usize)> {
    (0..i).find_map(|m| {
        let lot_beside = v.word_in(m + 1, LOT_WORDS)
            || m.checked_sub(1).is_some_and(|p| v.word_in(p, LOT_WORDS));
        (v.toks[m].kind == Kind::Num && lot_beside)
            .then(|| v.numbers(m).first().copied())
            .flatten()
            .filter(|&n| n > 0.0)
            .map(|n| (n, m))
    })
}

/// "half off", "third out", "50% out", "take 3/4 off", "scale out 25%", "reduce position by
/// half": a share of the position taken off, the share written beside "off", "out" or "reduce";
/// "Out of gold": all of it.
fn share_off(v: &View, i: usize) -> Option<Result<FollowUp, String>> {
    let t = &v.toks[i];
    // "50% OFF this weekend", "VIP … 40% off": a price cut, not a close.
    if t.kind != Kind::Word
        || t.class.is_some()
        || !v.word_in(i, &["off", "out", "reduce", "reducing", "bank", "banking"])
        || v.raw(i) == "OFF"
        || v.any(Class::Promo)
    {
        return None;
    }
    // "out" alone, or after the symbol: "out", "nas out".
    let words = v.toks.iter().filter(|t| t.kind == Kind::Word).count();
    if v.word_in(i, &["out"])
        && words == 1
        && !v.toks.iter().any(|t| t.kind == Kind::Num)
        && !v.text.contains('?')
    {
        return Some(Ok(FollowUp::Close {
            fraction: Some(1.0),
            wording: v.raw(i).to_string(),
        }));
    }
    // "Gold: out now at breakeven", "we're out now": an exit made now; not a headline ("Out
    // now: our new video").
    if v.word_in(i, &["out"])
        && v.class(i + 1) == Some(Class::Market)
        && !v.text.contains('?')
        && !v.text.contains("http")
        && !v
            .text
            .get(v.toks[i + 1].end..)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    {
        if let Some(why) = not_an_instruction(v, i) {
            return Some(Err(why));
        }
        return Some(Ok(FollowUp::Close {
            fraction: Some(1.0),
            wording: v.span(i, i + 1),
        }));
    }
    // "Gold out at 4301, good enough": the trade named, then its exit at a price; "GER40 out.
    // Cash open whipsaw", "CADJPY out, +35 pips": or its exit, a clause of its own.
    if i == 1
        && v.word_in(i, &["out"])
        && matches!(v.toks[0].kind, Kind::Sym(_))
        && ((v.toks.get(i + 1).is_some_and(|n| n.kind == Kind::At) || v.word_in(i + 1, &["at"]))
            && v.toks.get(i + 2).is_some_and(|n| n.kind == Kind::Num)
            || v.text[v.toks[i].end..]
                .trim_start_matches(' ')
                .starts_with(['.', ',', '!', '\n']))
        && !v.text.contains('?')
    {
        return Some(Ok(FollowUp::Close {
            fraction: Some(1.0),
            wording: v.span(0, i + 2),
        }));
    }
    // "Out of gold", "Out of the US30 long", "Out the rest of NAS100 here": a message that
    // starts with the exit from the trade it names.
    if i == 0
        && v.word_in(i, &["out"])
        && let Some(at) = (i + 1..v.toks.len().min(i + 5))
            .take_while(|&k| v.word_in(k, &["of", "the", "rest", "remainder", "my", "our"]))
            .last()
            .map(|k| k + 1)
        && v.toks
            .get(at)
            .is_some_and(|n| matches!(n.kind, Kind::Sym(_)))
    {
        return Some(Ok(FollowUp::Close {
            fraction: Some(1.0),
            wording: v.span(i, at),
        }));
    }
    // Within its clause: "Sydney session kicking off. Aussie looking a bit crook" shares nothing.
    let mut window: Vec<usize> = v
        .before(i)
        .take(3)
        .take_while(|&k| !boundary_between(v, k, i))
        .collect();
    window.reverse();
    // "reducing exposure by 25%": the share a few words on.
    window.extend(v.after(i, 5).take_while(|&k| !boundary_between(v, i, k)));
    // A share, or a part with no amount ("a little off"); never all of it. "Bank of Japan" is
    // no share, and so no instruction to refuse.
    match fraction_in(v, i, &window)? {
        Ok(FollowUp::Close { fraction, wording }) if fraction.is_none_or(|f| f < 1.0) => {
            if let Some(why) = not_an_instruction(v, i) {
                return Some(Err(why));
            }
            Some(Ok(FollowUp::Close { fraction, wording }))
        }
        _ => None,
    }
}

/// A percentage just after token `i` ("Chốt lời 30% lệnh mua vàng"), as a share.
fn share_after(v: &View, i: usize) -> Option<f64> {
    let (num, next) = (v.toks.get(i + 1)?, v.toks.get(i + 2)?);
    if num.kind != Kind::Num {
        return None;
    }
    // "Снимаем 1/3 по LINK": a share written as a fraction.
    if next.kind == Kind::Num && v.text.get(num.end..next.start) == Some("/") {
        let (a, b) = (*v.numbers(i + 1).first()?, *v.numbers(i + 2).first()?);
        return (a > 0.0 && a < b && b <= 10.0).then(|| ((a / b) * 1000.0).round() / 1000.0);
    }
    if next.kind != Kind::Pct {
        return None;
    }
    let share = *v.numbers(i + 1).first()?;
    (share > 0.0 && share < 100.0).then(|| (share / 100.0 * 1000.0).round() / 1000.0)
}

/// "1/3", "2/3": a share written as a fraction at token `k`; "0.50 / 1.00": the lots closed of
/// the lots held.
fn fraction_at(v: &View, k: usize) -> Option<f64> {
    let d = k + 1;
    let slash = v.toks.get(d).is_some_and(|n| n.kind == Kind::Num)
        && v.toks[k].kind == Kind::Num
        && v.text.get(v.toks[k].end..v.toks[d].start).map(str::trim) == Some("/");
    if !slash {
        return None;
    }
    let (&a, &b) = (v.numbers(k).first()?, v.numbers(d).first()?);
    (a > 0.0 && a < b && b <= 10.0).then(|| ((a / b) * 1000.0).round() / 1000.0)
}

/// "close 3 lots out of 5", "0.15 of 0.30", "0.02 lot close karo 0.06 mein se": the number at
/// token `k` as a part of the whole named after it — the share, and the whole's token.
fn part_of_whole(v: &View, k: usize) -> Option<(f64, usize)> {
    let whole = v
        .after(k, 5)
        .find(|&m| v.toks[m].kind == Kind::Num)
        .filter(|&m| {
            (k + 1..m).any(|w| v.word_in(w, WHOLE_OF))
                && (k + 1..m).all(|w| {
                    v.word_in(w, WHOLE_OF)
                        || v.word_in(w, LOT_WORDS)
                        || v.word_in(
                            w,
                            &[
                                "out", "the", "my", "our", "your", "los", "las", "des", "dos",
                                "das", "les", "من", "total", "trên", "sus", "every", "each",
                                "dulu", "cada", "setiap", "كل", "mis", "meus", "minhas", "mes",
                                "nuestros", "nossos",
                            ],
                        )
                })
        })
        .or_else(|| {
            // "0.02 lot close karo 0.06 mein se": Hindi names the whole last, "out of" after it.
            v.after(k, 5)
                .find(|&m| v.toks[m].kind == Kind::Num)
                .filter(|&m| {
                    v.word_in(m + 1, &["mein", "me", "में"])
                        && v.word_in(m + 2, &["se", "से"])
                        && v.same_line(k, m + 2)
                })
        })?;
    let (&a, &b) = (v.numbers(k).first()?, v.numbers(whole).first()?);
    share_of(a, b).map(|share| (share, whole))
}

/// The size at token `k` brought down to a smaller one by "to" or an arrow ("4 contracts to 1",
/// "0.40 ➜ 0.20", "0.20 ➜ 0.00"): the share closed.
fn reduced_to(v: &View, k: usize) -> Option<f64> {
    let lots = |m: usize| usize::from(v.word_in(m, LOT_WORDS));
    let connector = k + 1 + lots(k + 1);
    let to = v.toks.get(connector)?;
    let (after, arrow) = if to.kind == Kind::Num {
        (connector, true)
    } else {
        (connector + 1, false)
    };
    let linked = if arrow {
        arrow_between(v, k, after)
    } else {
        v.class(connector) == Some(Class::To) || v.word_in(connector, &["to"])
    };
    if !linked || !v.same_line(k, after) || v.toks.get(after)?.kind != Kind::Num {
        return None;
    }
    let before = *v.numbers(k).first()?;
    // Zero is no price and not in the numbers read: "0.00" is all of it gone.
    let remaining = if v
        .raw(after)
        .bytes()
        .all(|b| b == b'0' || b == b'.' || b == b',')
    {
        0.0
    } else {
        *v.numbers(after).first()?
    };
    share_of(before - remaining, before).or((remaining == 0.0).then_some(1.0))
}

/// A percentage just before token `i`, written either way (`%30`, `30%`), as a share.
fn share_before(v: &View, i: usize) -> Option<f64> {
    let (a, b) = (i.checked_sub(2)?, i - 1);
    let num = match (v.toks[a].kind, v.toks[b].kind) {
        (Kind::Pct, Kind::Num) => b,
        (Kind::Num, Kind::Pct) => a,
        _ => return None,
    };
    let pct = *read_numbers(v.raw(num)).first()?;
    (pct > 0.0 && pct <= 100.0).then(|| (pct / 100.0 * 1000.0).round() / 1000.0)
}

/// A message that is one instruction and nothing else: at most four words, no number, no
/// question, no negation or condition, and no other level label.
fn lone_instruction(v: &View) -> bool {
    let words = v
        .toks
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Sym(_)))
        .count();
    words <= 4
        && !v.text.contains('?')
        && !v.toks.iter().any(|t| {
            t.kind == Kind::Num
                || matches!(
                    t.class,
                    Some(
                        Class::Negation
                            | Class::Condition
                            | Class::Result
                            | Class::Hedge
                            | Class::Sl
                            | Class::Tp
                            | Class::Stop
                            | Class::Side(_)
                    )
                )
        })
}

/// "Cerramos aquí, no me gusta", "Zamykamy tutaj, nie czekamy": the close is a clause of its
/// own — at most five words, no number — and the rest of the message gives its reason: no
/// condition, report, hedge or question anywhere.
fn lone_clause(v: &View, i: usize) -> bool {
    let start = (0..i)
        .rev()
        .find(|&k| boundary_between(v, k, k + 1))
        .map_or(0, |k| k + 1);
    let end = (i..v.toks.len())
        .find(|&k| boundary_between(v, k, k + 1))
        .unwrap_or(v.toks.len() - 1);
    let words = v.toks[start..=end]
        .iter()
        .filter(|t| matches!(t.kind, Kind::Word | Kind::Sym(_)))
        .count();
    let unsure = |t: &super::tokens::Token| {
        matches!(
            t.class,
            Some(Class::Negation | Class::Condition | Class::Result | Class::Hedge | Class::Advice)
        )
    };
    // "al precio de entrada": where it closes, at the entry.
    let at_entry = |k: usize| {
        v.class(k) == Some(Class::Entry) && v.class(k.wrapping_sub(1)) == Some(Class::To)
    };
    // "nie czekamy": a wait refused.
    let refused = |k: usize| {
        v.before(k)
            .take(1)
            .any(|n| v.class(n) == Some(Class::Negation))
    };
    end + 1 < v.toks.len()
        && words <= 5
        && !v.text.contains('?')
        && !(start..=end).any(|k| {
            let t = &v.toks[k];
            t.kind == Kind::Num
                || unsure(t)
                || matches!(
                    t.class,
                    Some(Class::Sl | Class::Tp | Class::Stop | Class::Side(_) | Class::Entry)
                ) && !at_entry(k)
        })
        && !(0..v.toks.len()).any(|k| {
            matches!(
                v.class(k),
                Some(Class::Condition | Class::Result | Class::Hedge | Class::Advice)
            ) && !refused(k)
        })
}

/// What a close acts on, and how much: `30%`, half, a quarter, partials, or all; or why the
/// amount written is not one to act on.
fn fraction_in(v: &View, i: usize, window: &[usize]) -> Option<Result<FollowUp, String>> {
    let mut fraction = None;
    let mut partial = false;
    let mut object = false;
    // The whole a part was taken of ("3 lots out of 5"): read already.
    let mut whole_of = None;
    for (n, &k) in window.iter().enumerate() {
        let t = &v.toks[k];
        // "fechar 1 lote de 4, seguimos com 3": with the share read, a number in a later clause
        // is what stays.
        if fraction.is_some()
            && t.kind == Kind::Num
            && (boundary_between(v, i.min(k), i.max(k))
                || v.text
                    .get(v.toks[i.min(k)].end..v.toks[i.max(k)].start)
                    .is_some_and(|g| g.contains(',')))
        {
            continue;
        }
        let next = window.get(n + 1).map(|&p| &v.toks[p]);
        // `%50`: the sign before the number, as Turkish writes it.
        // "30 percent", "yüzde 30", "asilimia 30": the word on either side.
        let percent_word = window
            .get(n + 1)
            .is_some_and(|&p| v.word_in(p, PERCENT_WORDS))
            || n.checked_sub(1)
                .and_then(|p| window.get(p))
                .is_some_and(|&p| p + 1 == k && v.word_in(p, PERCENT_WORDS))
            || k.checked_sub(1).is_some_and(|p| {
                v.toks[p].kind == Kind::Pct && v.toks[p].end == t.start && window.contains(&p)
            });
        if t.kind == Kind::Num && !(next.is_some_and(|p| p.kind == Kind::Pct) || percent_word) {
            // "Reduce NAS100 long from 4 contracts to 1", "volume 0.40 ➜ 0.20": the size
            // before and after, the share closed between them.
            if let Some(share) = reduced_to(v, k) {
                fraction.get_or_insert(Some(share));
                object = true;
                continue;
            }
            // `1/3`, `1/2`: a share written as a fraction; "0.50 / 1.00": the lots closed of
            // the lots held.
            if window.get(n + 1) == Some(&(k + 1))
                && let Some(share) = fraction_at(v, k)
            {
                fraction.get_or_insert(Some(share));
                object = true;
                continue;
            }
            if whole_of == Some(k) {
                continue;
            }
            if let Some((share, whole)) = part_of_whole(v, k) {
                fraction.get_or_insert(Some(share));
                object = true;
                whole_of = Some(whole);
                continue;
            }
            if window.get(n.wrapping_sub(1)).is_some_and(|&p| {
                v.toks[p].kind == Kind::Num && v.text.get(v.toks[p].end..t.start) == Some("/")
            }) {
                continue;
            }
            // "Jinhone 0.06 lot liya hai woh 0.02 close karein", "3 lot girenler 1 lot
            // kapatsın": the lots held named first, the part closed just before the verb.
            // "۰.۰۱ لات رو ببندید": the object marker after the lots.
            let just_before = k + 1 == i
                || k + 2 == i && v.word_in(k + 1, LOT_WORDS)
                || k + 3 == i && v.word_in(k + 1, LOT_WORDS) && v.word_in(k + 2, &["رو", "را"]);
            if just_before
                && let Some((held, at)) = lots_held_at(v, k)
                && at < k
                && let Some(share) = share_of_held(v, k, held)
            {
                fraction.get_or_insert(Some(share));
                object = true;
                continue;
            }
            // Before the verb, a number is what came before ("AIXBT + 0.8R, close 25%", "TP1
            // 155.30 (close 50%)"); after it, with pips, the profit taken ("take partial 100
            // pips"); an id (`#41872`); or in a sentence of its own ("cut it. news in 5").
            if k < i
                || v.toks
                    .get(k + 1)
                    .is_some_and(|p| p.class == Some(Class::Pips))
                || v.text[..t.start].ends_with(['#', '№'])
                || boundary_between(v, i, k) && !v.text[v.toks[i].end..t.start].contains(',')
            {
                continue;
            }
            // The price the provider closes at ("closing half at 1.1598", "Cerramos EURUSD en
            // 1,1662", "@ 0.1850"), or when ("NFP in 20 min"): said beside the close, not its
            // amount.
            // "закрываю по текущим, 4060": after "at market", the price it was done at; "ya va
            // +1.200$": what it made; "kalan hedef 3'e": a target's.
            let after_market = (i + 1..k).any(|m| {
                v.class(m) == Some(Class::Market)
                    // "BTC сломал 108к": another symbol's clause.
                    || matches!(v.toks[m].kind, Kind::Sym(_))
            })
                // "+18% with 10x": the leverage.
                || v.text[t.end..].starts_with(['x', 'X'])
                // "BoE speaker in 10": when.
                || k.checked_sub(1).is_some_and(|p| v.word_in(p, &["in", "en", "em", "через"]))
                || v.signed_up(k)
                || v.text[t.end..].starts_with(['$', '€'])
                || k.checked_sub(1)
                    .is_some_and(|p| v.class(p) == Some(Class::Tp));
            if price_of_close(v, k)
                || after_market
                || v.toks
                    .get(k + 1)
                    .is_some_and(|_| v.word_in(k + 1, TIME_UNITS))
            {
                continue;
            }
            // "Chi ha 0.10 lotti chiuda 0.03", "Yang entry 0.04 lot, close 0.02 lot": the part
            // of the lots named as held before the close.
            if let Some(held) = lots_held(v, i)
                && let Some(share) = share_of_held(v, k, held)
            {
                fraction.get_or_insert(Some(share));
                object = true;
                continue;
            }
            // "close kar do 47290 pe", "ক্লোজ করুন 1.1552 তে", "4176": a number written to four
            // digits or more, with no lot word, is the price the close is made at (lots are
            // written short: "0.5", "2", "0.10").
            // ("96к", "106k": thousands in shorthand, a price too.)
            let thousands = v.text[t.end..].starts_with(['k', 'K', 'к', 'К']);
            let digits = if thousands {
                4
            } else {
                v.raw(k).bytes().filter(u8::is_ascii_digit).count()
            };
            // Not an id ("#SP-20417"), and beside the verb, in its sentence.
            let id = v.text[..t.start]
                .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '-')
                .ends_with('#');
            if digits >= 4
                && !id
                && k <= i + 5
                && !sentence_between(v, i.min(k), i.max(k))
                && !v.word_in(k + 1, LOT_WORDS)
                && !v.word_in(k + 1, PERCENT_WORDS)
            {
                continue;
            }
            // "BTC me 0.02 lot close karo, total 0.06 tha": the whole named after the close,
            // the lots closed before it.
            if k.checked_sub(1).is_some_and(|p| v.word_in(p, &["total"]))
                && let Some(part) = lots_held(v, i)
                && let Some(share) = share_of(part, *v.numbers(k).first()?)
            {
                fraction.get_or_insert(Some(share));
                object = true;
                continue;
            }
            // "Close 0.02 lot on GBPUSD": lots of the provider's own size, which says no share
            // of the copy's — a close of an amount not known, which is never guessed.
            if v.word_in(k + 1, LOT_WORDS) {
                return Some(Ok(FollowUp::Close {
                    fraction: None,
                    wording: v.span(i, k + 1),
                }));
            }
            // Any other number after a close is an amount that is not a share: closing
            // everything instead would be the one wrong reading to act on.
            return Some(Err(trace_fmt!(
                "'{}': an amount to close that is not a share of the position",
                v.span(k, window.get(n + 1).copied().unwrap_or(k))
            )));
        }
        if t.kind == Kind::Num {
            // "+42%", "scalp +0.7% ✅": what the trade made, not a share of it (right after the
            // verb, "close +50%" is the share).
            // "Шорт закрываем, +12%", "SUI бүгдийг нь хаа 🏁 +12%": after a comma or an
            // emoji, what it made again.
            if v.signed_up(k)
                && (k != i + 1
                    || v.text[v.toks[i].end..t.start].contains(|c: char| {
                        matches!(c, ',' | ';' | '!') || !c.is_ascii() && !c.is_alphanumeric()
                    }))
            {
                continue;
            }
            // "Закрываю $WLD по рынку, идея не отработала, -3%": after a comma, what it lost.
            let after_comma = k > i + 1
                && v.text
                    .get(v.toks[i].end..t.start)
                    .is_some_and(|gap| gap.contains(','));
            if negative(v.text, t.start) && after_comma {
                continue;
            }
            if negative(v.text, t.start) {
                return Some(Err(trace_fmt!(
                    "'-{}%': a negative amount to close",
                    v.raw(k)
                )));
            }
            let pct = read_numbers(v.raw(k)).first().copied().unwrap_or(0.0);
            if pct <= 0.0 || pct > 100.0 {
                return None;
            }
            // "Close the remaining 50%": the share left is all there is.
            let remaining = k.checked_sub(1).is_some_and(|p| {
                window.contains(&p)
                    && v.word_in(
                        p,
                        &[
                            "remaining",
                            "rest",
                            "restante",
                            "restantes",
                            "остаток",
                            "оставшиеся",
                        ],
                    )
            });
            let share = if remaining { 1.0 } else { pct / 100.0 };
            fraction.get_or_insert(Some((share * 1000.0).round() / 1000.0));
            object = true;
        }
        if matches!(t.class, Some(Class::Half | Class::Quarter)) && negative(v.text, t.start) {
            return Some(Err(trace_fmt!(
                "'-{}': a negative amount to close",
                v.raw(k)
            )));
        }
        match t.class {
            Some(Class::Half) => {
                fraction.get_or_insert(Some(0.5));
                object = true;
            }
            // "اغلاق ثلثي الصفقة": two thirds in one word.
            _ if v.word_in(k, &["ثلثي", "two-thirds"]) => {
                fraction.get_or_insert(Some(0.667));
                object = true;
            }
            _ if v.word_in(k, THIRD_WORDS) => {
                let two = times_before(
                    v,
                    k,
                    &[
                        "two", "deux", "zwei", "dos", "dois", "две", "iki", "dwie", "due", "twee",
                        "dua",
                    ],
                );
                fraction.get_or_insert(Some(if two { 0.667 } else { 0.333 }));
                object = true;
            }
            _ if v.word_in(k, QUARTER_WORDS) || t.class == Some(Class::Quarter) => {
                let three = times_before(
                    v,
                    k,
                    &["three", "trois", "drei", "tres", "três", "три", "üç"],
                );
                fraction.get_or_insert(Some(if three { 0.75 } else { 0.25 }));
                object = true;
            }
            Some(Class::Partial) => {
                partial = true;
                object = true;
            }
            // "Book profits on the rest of BNB": what is left, all of it.
            // Not after a comma: "take some profit, rest hold" keeps it.
            _ if v.word_in(
                k,
                &[
                    "rest",
                    "remaining",
                    "remainder",
                    "restante",
                    "resto",
                    "остаток",
                ],
            ) && !boundary_between(v, i.min(k), i.max(k)) =>
            {
                fraction.get_or_insert(Some(1.0));
                object = true;
            }
            // "close the sell", "close sells only": the side names the trades.
            Some(
                Class::All
                | Class::Market
                | Class::Object
                | Class::Rest
                | Class::OrderWord
                | Class::Side(_),
            ) => object = true,
            _ => {}
        }
        if matches!(t.kind, Kind::Sym(_)) || v.word_in(k, &["signal", "signals"]) {
            object = true;
        }
    }
    // "Close two …", "Yarım kapat", "Fermer un quart": a word beside the verb that may be an
    // amount the lexicon lacks; closing everything would be the guess.
    let all = window.iter().any(|&k| v.class(k) == Some(Class::All));
    if fraction.is_none()
        && !partial
        && !all
        && let Some(k) = unknown_beside(v, i)
    {
        return Some(Err(trace_fmt!(
            "'{}' beside '{}': how much to close is not understood",
            v.raw(k),
            v.raw(i)
        )));
    }
    if !object {
        return None;
    }
    let lo = window.iter().copied().chain([i]).min().unwrap_or(i);
    let hi = window.iter().copied().chain([i]).max().unwrap_or(i);
    if partial {
        fraction.get_or_insert(None);
    }
    Some(Ok(FollowUp::Close {
        fraction: fraction.unwrap_or(Some(1.0)),
        wording: v.span(lo, hi),
    }))
}

/// Words for "per cent" after a number ("close 50 percent").
/// A number said as where a close is done: after `@`, "at" and its like in the languages.
fn price_of_close(v: &View, k: usize) -> bool {
    k.checked_sub(1).is_some_and(|j| {
        v.same_line(j, k)
            && (v.toks[j].kind == Kind::At
                || v.class(j) == Some(Class::EntryWeak)
                || v.word_in(j, CLOSE_AT_WORDS))
    })
    // "$SUI close it here guys 1.66 ✅": where "here" is.
    || v.before(k).take(2).any(|j| v.word_in(j, &["here", "hier", "aqui", "aquí", "ici"]))
}

/// "at" in the languages whose word for it is no entry word elsewhere.
const CLOSE_AT_WORDS: &[&str] = &[
    "a", "la", "op", "na", "zu", "di", "pada", "kwa", "sa", "ở", "tại", "في", "در", "على", "на",
    "στα", "στο", "στη", "στην", "sto", "sta", "kod", "код", "në",
];

/// Units of time after a number: when, not how much ("in 20 min").
const TIME_UNITS: &[&str] = &[
    "min",
    "mins",
    "minute",
    "minutes",
    "m",
    "h",
    "hr",
    "hrs",
    "hour",
    "hours",
    "sec",
    "secs",
    "seconds",
    "minuten",
    "minutos",
    "minuti",
    "минут",
    "минуты",
    "dakika",
    "saat",
    "dakikaya",
    "menit",
    "jam",
    "phút",
    "minut",
    "minuty",
    "minutę",
    "godzin",
    "godziny",
    "hodin",
    "hodiny",
    "دقیقه",
    "دقيقة",
    "دقائق",
    "ساعت",
    "ساعة",
];

pub(crate) const PERCENT_WORDS: &[&str] = &[
    "percent",
    "per",
    "por",
    "pct",
    "procent",
    "prozent",
    "pourcent",
    "porciento",
    "процентов",
    "процента",
    "процент",
    "درصد",
    "درصدی",
    "yüzde",
    "persen",
    "peratus",
    "percento",
    "porsyento",
    "porsiyento",
    "asilimia",
    "procenta",
    "procento",
    "відсотків",
    "відсотки",
    "відсоток",
    "pratishat",
    "प्रतिशत",
    "फीसदी",
    "فیصد",
    "শতাংশ",
    "পার্সেন্ট",
    "퍼센트",
    "パーセント",
];

/// Words for a third of the position.
const THIRD_WORDS: &[&str] = &[
    "third",
    "üçte",
    "tercio",
    "terço",
    "треть",
    "drittel",
    "tiers",
    "trzecią",
    "trzecie",
    "thirds",
    "tercios",
    "terços",
    "трети",
    "ثلث",
    "سوم",
    "третину",
    "третью",
    "trzeciej",
    "terzo",
    "derde",
    "treime",
    "třetinu",
    "harmadát",
    "trećinu",
    "sepertiga",
    "tihai",
    "terzi",
    "tercera",
    "terceira",
];

/// Quarter in the languages the lexicon has no `Quarter` row for.
const QUARTER_WORDS: &[&str] = &[
    "четверть",
    "ربع",
    "quart",
    "quarts",
    "viertel",
    "cuarto",
    "cuartos",
    "quarto",
    "quartos",
    "çeyrek",
    "çeyreğini",
    "ćwierć",
];

/// "two thirds", "three quarters": how many of them.
fn times_before(v: &View, k: usize, words: &[&str]) -> bool {
    k.checked_sub(1).is_some_and(|j| v.word_in(j, words))
}

/// A minus sign written against the number at `start` (`-50%`), not a dash between two words or
/// numbers (`2350-2355`, `close - 50%`).
fn negative(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start).and_then(|t| t.strip_suffix('-')) else {
        return false;
    };
    !before.ends_with(|c: char| c.is_alphanumeric())
}
