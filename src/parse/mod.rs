//! Reading a channel message into a [`Parsed`] signal.
//!
//! The message is folded into plain text ([`normalize`]), cut into tokens once with the meaning of
//! every word taken from the vocabulary tables ([`lexicon`], eleven languages), then read: follow-up
//! rules ([`followup`]), the levels of an open ([`levels`]), and the gates that refuse what is not a
//! trade instruction ([`classify`]). It refuses rather than guesses: results, promotions, analysis
//! and anything unclear come back as [`SignalKind::None`] with the reason in `trace`, and an open
//! whose levels contradict each other gets a confidence below 0.5. A number that cannot be taken
//! at face value (an exponent, a negative amount to close, digits beyond what a price carries, NaN)
//! makes the whole reading [`SignalKind::None`], whatever it was: the engine gives follow-ups no
//! confidence check, and a reading built on such a number would silently be another one. Every
//! field's rule is named in `trace`.
//!
//! Never panics, whatever the input; linear in the message length; nothing is compiled per call.

/// A trace line, written into a string sized for a typical line: `format!` starts from a guess
/// that is usually too small and reallocates as the line grows.
macro_rules! trace_fmt {
    ($($arg:tt)*) => {
        $crate::parse::trace_line(format_args!($($arg)*))
    };
}

mod classify;
mod followup;
mod levels;
mod lexicon;
mod normalize;
mod numbers;
pub mod score;
mod symbols;
mod text;
mod tokens;
mod unread;
mod unspaced;
pub mod words;

use std::cell::RefCell;

use crate::model::{Parsed, SignalKind, StopLoss, Target};

pub use numbers::format_price;
pub use symbols::{Aliases, canonical_symbol, currency_pair_in, key_of, trading_symbol};
pub use words::{Vocabulary, Words};

use followup::FollowUp;
use levels::OpenReading;

/// Longer messages are not read at all (a signal is a few hundred bytes).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

/// Confidence at or above which an open is complete and self-consistent.
pub const CONFIDENT: f64 = 0.5;

/// Read one message with the built-in symbol aliases.
pub fn parse(text: &str) -> Parsed {
    parse_with(text, Aliases::built_in())
}

/// What a message is read into, kept per thread from one message to the next: reading then
/// allocates little more than the result it returns.
#[derive(Default)]
struct Buffers {
    normalized: String,
    scan: tokens::Scan,
    lexed: tokens::Lexed,
}

impl Buffers {
    /// Fold `text` and lex it into these buffers.
    fn lex(&mut self, text: &str, vocabulary: Vocabulary<'_>) {
        normalize::normalize_into(text, &mut self.normalized);
        tokens::lex(
            &self.normalized,
            vocabulary.aliases,
            vocabulary.words,
            &mut self.scan,
            &mut self.lexed,
        );
    }
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// Read one message with an alias table (the built-in one plus a config's, see [`Aliases`]) and
/// the words laid over the built-in lexicon (see [`Vocabulary`]).
pub fn parse_with<'v>(text: &str, vocabulary: impl Into<Vocabulary<'v>>) -> Parsed {
    let vocabulary = vocabulary.into();
    BUFFERS.with(|buffers| match buffers.try_borrow_mut() {
        Ok(mut buffers) => read(text, vocabulary, &mut buffers, Replies::Read),
        // Only if a reading were ever nested in another: it then gets buffers of its own.
        Err(_) => read(text, vocabulary, &mut Buffers::default(), Replies::Read),
    })
}

/// Whether a reply's quoted card is looked for: only in the message itself, not again in what is
/// said under a reply (a message of nested replies would otherwise be read as deep as it is
/// long).
#[derive(Clone, Copy, PartialEq)]
enum Replies {
    Read,
    Ignore,
}

fn read(text: &str, vocabulary: Vocabulary<'_>, buffers: &mut Buffers, replies: Replies) -> Parsed {
    // Room for the trace of a typical open, so that it is not regrown line by line.
    let mut p = Parsed {
        trace: Vec::with_capacity(12),
        ..Parsed::default()
    };
    if text.len() > MAX_MESSAGE_BYTES {
        p.trace.push(trace_fmt!(
            "kind: none — message too long ({} bytes > {MAX_MESSAGE_BYTES})",
            text.len()
        ));
        return unread::mark_long(p, text, vocabulary, buffers);
    }
    let Buffers {
        normalized,
        scan,
        lexed,
    } = buffers;
    normalize::normalize_into(text, normalized);
    let text = without_sender(normalized.as_str());
    if text.trim().is_empty() {
        p.trace.push("kind: none — empty message".to_string());
        return p;
    }
    // "↪️ Reply to: GBPUSD BUY 1.2680 | SL 1.2640 / For those still in, trail your stop up to
    // 1.2715": the message replied to is context; what is said under it is the message.
    if replies == Replies::Read
        && let Some((quoted, said)) = reply(text)
    {
        return read_reply(quoted, said, vocabulary);
    }
    tokens::lex(text, vocabulary.aliases, vocabulary.words, scan, lexed);
    let doubt = numbers::doubt_in(text, lexed);
    let mut p = read_lexed(p, text, lexed);
    // Whatever it was read as, an instruction built on a number that cannot be taken at face
    // value would silently be another one: refused, and the number named.
    let p = match doubt {
        Some(why) if p.kind != SignalKind::None => {
            set_aside(p, trace_fmt!("doubtful number {why}"))
        }
        Some(why) => {
            p.trace.push(trace_fmt!("note: doubtful number {why}"));
            p
        }
        None => p,
    };
    unread::mark(p, text, lexed)
}

/// "[Admin Christian] SL 4148 TP 4130": a group's tag naming who speaks, by role, is no part of
/// what is said ("[print]", "[나스닥 매수]", "[Ekran görüntüsü]" are).
fn without_sender(text: &str) -> &str {
    let Some(rest) = text.strip_prefix('[') else {
        return text;
    };
    match rest.split_once(']') {
        Some((name, said))
            if name.len() <= 40
                && !name.contains('\n')
                && name.split_whitespace().next().is_some_and(|role| {
                    text::one_of(role, &["admin", "mod", "moderator", "owner", "analyst"])
                }) =>
        {
            said.trim_start()
        }
        _ => text,
    }
}

/// "Reminder" heading a message, in the languages.
const REMINDERS: &[&str] = &[
    "reminder",
    "erinnerung",
    "rappel",
    "recordatorio",
    "lembrete",
    "lembrando",
    "recordando",
    "promemoria",
    "przypominam",
    "przypomnienie",
    "напоминание",
    "напоминаю",
    "нагадування",
    "hatırlatma",
    "hatirlatma",
    "تذكير",
    "یادآوری",
    "リマインド",
    "리마인드",
    "kumbusho",
    "pengingat",
    "herinnering",
    "reamintire",
    "reamintesc",
    "påminnelse",
    "påminner",
];

/// A first line that quotes the message replied to, and what is said under it.
fn reply(text: &str) -> Option<(&str, &str)> {
    // "> GOLD SELL 4088-4092 / > SL 4098 / … / Adjust stop to 4094": the card quoted with `>`
    // lines, then what is said of it.
    if text.starts_with('>') {
        let mut quoted_end = 0;
        for line in text.split_inclusive('\n') {
            if !line.trim_start().starts_with('>') {
                break;
            }
            quoted_end += line.len();
        }
        let (quoted, said) = text.split_at(quoted_end);
        return (!said.trim().is_empty()).then_some((quoted, said));
    }
    // "↩️ XAUUSD BUY 4371 / SL 4360 / TP 4385 / (blank) / أغلقوا هذه الصفقة الآن": the card
    // replied to under the reply arrow, up to the blank line; what follows is said of it.
    if text.starts_with(['↩', '↪']) {
        let (quoted, said) = text.split_once("\n\n").or_else(|| text.split_once('\n'))?;
        return (!said.trim().is_empty()).then_some((quoted, said));
    }
    let (first, said) = text.split_once('\n')?;
    if said.trim().is_empty() {
        return None;
    }
    let head = first.trim_start_matches(|c: char| !c.is_alphanumeric());
    // "Reply ➡️ GOLD SELL 4118-4122 SL 4130": the word, an arrow, the card.
    if head
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("reply"))
        && head[5..]
            .trim_start()
            .starts_with(['➡', '→', '↪', '↩', '>', '⤵'])
    {
        return Some((first, said));
    }
    // "Respondendo ➡️ XAUUSD VENDA 4355 | SL 4368", "Respondiendo a ➡️ #AVAX/USDT LONG …": a
    // header of the languages, then an arrow and the card.
    if let Some(arrow) = head.find(['➡', '→', '↪', '↩', '⤵']) {
        let name = head[..arrow].trim_end_matches(|c: char| !c.is_alphanumeric());
        // The header with its preposition or without it ("Respondendo", "Respondendo a").
        let named = |w: &&str| {
            name.eq_ignore_ascii_case(w)
                || w.rsplit_once(' ')
                    .is_some_and(|(verb, _)| name.eq_ignore_ascii_case(verb))
        };
        // Alone on its line ("Rispondendo a ↩️"), the card is under it: read below.
        let card_beside = head[arrow..].contains(|c: char| c.is_alphanumeric());
        if card_beside && !name.is_empty() && REPLY_HEADERS.iter().any(named) {
            return Some((first, said));
        }
    }
    // "Reply to GBPUSD BUY …" in English, with or without a colon.
    if head
        .get(..2)
        .is_some_and(|w| w.eq_ignore_ascii_case("re") || w.eq_ignore_ascii_case("in"))
    {
        let head = head.to_lowercase();
        if let Some(quoted) = ["reply to", "replying to", "in reply to", "re:"]
            .iter()
            .find_map(|w| head.strip_prefix(w))
        {
            // "Reply to:" alone on its line: the card under it, up to the blank line; the card
            // begun on the header's line may go on under it too ("Reply to: GOLD BUY NOW 4302 /
            // SL 4290 / TP 4310 …", then a blank line).
            let card = text
                .split_once("\n\n")
                .filter(|(_, said)| !said.trim().is_empty());
            if quoted.trim_start_matches([':', ' ']).trim().is_empty() {
                return card;
            }
            return card.or(Some((first, said)));
        }
    }
    // "En réponse à : 📉 VENTE GER40 …", "Balas ke: 🔴 SELL GOLD …": the header of a reply in
    // the languages, before a colon; or alone on its line, with or without one ("Respondiendo
    // a:", "Rispondendo a ↩️"), the card under it up to the blank line.
    let (name, quoted) = head.split_once(':').unwrap_or((head, ""));
    let alone = quoted.trim().is_empty();
    let name = name.trim_end_matches(|c: char| !c.is_alphanumeric());
    // No header is long or has a digit: most first lines are a ticket's ("XAUUSD BUY 4100").
    if name.len() > 40 || name.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    // The card may run over several lines, up to a blank line.
    let (first, said) = match text.split_once("\n\n") {
        Some((quoted, said)) if !said.trim().is_empty() => (quoted, said),
        _ if alone => return None,
        _ => (first, said),
    };
    // A bare "Reply:" (or "Answer:", the same word in some languages) heads a quoted card only
    // with a blank line under it ("Reply: yes, we close at 4100" is an answer).
    (text::one_of(name, REPLY_HEADERS)
        || text::one_of(
            name,
            &[
                "reply",
                "yanıt",
                "yanit",
                "válasz",
                "svar",
                "balas",
                "ответ",
                "resposta",
                "respuesta",
                "réponse",
                "risposta",
                "antwort",
                "cevap",
            ],
        ) && text.contains("\n\n"))
    .then_some((first, said))
}

/// The header a reply's quoted card stands under, in the languages (before its colon).
const REPLY_HEADERS: &[&str] = &[
    "en réponse à",
    "réponse à",
    "en reponse a",
    "respondiendo a",
    "en respuesta a",
    "respuesta a",
    "em resposta a",
    "respondendo a",
    "resposta a",
    "in risposta a",
    "risposta a",
    "rispondendo a",
    "antwort auf",
    "als antwort auf",
    "antwoord op",
    "reactie op",
    "odpowiedź na",
    "w odpowiedzi na",
    "odpowiedz na",
    "в ответ на",
    "ответ на",
    "у відповідь на",
    "відповідь на",
    "в отговор на",
    "отговор на",
    "yanıtla",
    "yanıt olarak",
    "balas ke",
    "membalas",
    "balasan untuk",
    "ردا على",
    "رداً على",
    "ردًا على",
    "رد على",
    "در پاسخ به",
    "پاسخ به",
    "ریپلای به",
    "válasz erre",
    "odgovor na",
    "respondendo",
    "ریپلای",
    "الرد على",
    "در جواب",
    "trả lời",
    "phản hồi",
    "जवाब",
    "回复",
    "回覆",
    "返信",
    "답장",
    "odpověď na",
    "ca răspuns la",
    "răspuns la",
    "responder a",
    "svar till",
    "svar på",
    "απάντηση σε",
    "απάντηση στο",
    "reageren op",
    "válaszul",
    "jibu kwa",
    "sumagot kay",
];

/// Why a message with no symbol is none; the reply reading looks for it to lend the replied one.
pub(crate) const NO_SYMBOL: &str = "no symbol";

/// Read what is said under a reply; a follow-up that names no symbol acts on the one replied to.
#[cold]
#[inline(never)]
fn read_reply(quoted: &str, said: &str, vocabulary: Vocabulary<'_>) -> Parsed {
    let mut buffers = Buffers::default();
    let mut said_p = read(said, vocabulary, &mut buffers, Replies::Ignore);
    if matches!(said_p.kind, SignalKind::Modify | SignalKind::Close)
        && let Some(symbol) = said_p.symbol.take_if(|_| {
            buffers.lex(said, vocabulary);
            all_aside(said, &buffers.lexed)
        })
    {
        said_p.trace.push(trace_fmt!(
            "symbol: {symbol} named aside under the reply — the market around the trade"
        ));
    }
    // The symbol of the card replied to, as it was posted (without the quote marks).
    let replied_symbol = || {
        let card: String = quoted
            .lines()
            .map(|l| l.trim_start().trim_start_matches('>'))
            .collect::<Vec<_>>()
            .join("\n");
        let mut buffers = Buffers::default();
        let replied = read(&card, vocabulary, &mut buffers, Replies::Ignore);
        // A card in words the parser does not know still names its symbol.
        replied.symbol.or_else(|| {
            buffers.lex(&card, vocabulary);
            let mut names = buffers.lexed.symbols.iter().map(|h| &h.canonical);
            let first = names.next()?;
            names.all(|n| n == first).then(|| first.clone())
        })
    };
    // "Take Profit 1: 1.3420 / Take Profit 2: 1.3460" under a card: levels refused only for
    // want of a symbol are the replied trade's, read as if they named it.
    if said_p.kind == SignalKind::None
        && said_p
            .trace
            .last()
            .is_some_and(|t| t.ends_with(&format!("— {NO_SYMBOL}")))
        && let Some(symbol) = replied_symbol()
    {
        let named = format!("{symbol} {said}");
        let again = read(&named, vocabulary, &mut buffers, Replies::Ignore);
        if matches!(again.kind, SignalKind::Modify | SignalKind::Close) {
            said_p = again;
            said_p.trace.push(trace_fmt!(
                "symbol: {symbol}, of the message replied to, for the levels under it"
            ));
        }
    } else if matches!(said_p.kind, SignalKind::Modify | SignalKind::Close)
        && said_p.symbol.is_none()
        && let Some(symbol) = replied_symbol()
    {
        said_p
            .trace
            .push(trace_fmt!("symbol: {symbol}, of the message replied to"));
        said_p.symbol = Some(symbol);
    }
    said_p.trace.push(trace_fmt!(
        "note: a reply — the message quoted above it is context"
    ));
    said_p
}

/// Read a lexed message.
fn read_lexed(mut p: Parsed, text: &str, lexed: &mut tokens::Lexed) -> Parsed {
    let open = levels::read_open(text, lexed);

    if let Some(wording) = followup::breakeven_result(text, lexed) {
        return none(p, trace_fmt!("result report (breakeven: '{wording}')"));
    }
    let advice: &[bool] = if open.is_ticket() {
        &open.commentary
    } else {
        &[]
    };
    // "Reminder: our gold sell from 4130 is still running, SL 4140": a trade recalled, no
    // instruction.
    if let Some(t) = lexed.tokens.iter().find(|t| t.kind == tokens::Kind::Word)
        && text
            .get(t.start..t.end)
            .is_some_and(|w| text::one_of(w, REMINDERS))
    {
        let wording = text.get(t.start..t.end).unwrap_or("");
        return none(p, trace_fmt!("a reminder ('{wording}'), no instruction"));
    }
    // "The sell limit never triggered, it expired — no position, nothing to do".
    if let Some(t) = lexed.tokens.iter().find(|t| t.is(lexicon::Class::Idle)) {
        let wording = text.get(t.start..t.end).unwrap_or("");
        return none(p, trace_fmt!("nothing to act on ('{wording}')"));
    }
    // "Delete the sell limit 4512 ❌ price ran away, no entry": beside a pending order, an
    // order cancelled or a signal withdrawn ("Not valid anymore, dont enter"), "no entry" says
    // why.
    let pending = open.is_ticket()
        && matches!(
            open.order,
            Some((
                crate::model::OrderType::Limit | crate::model::OrderType::Stop,
                _
            ))
        )
        || lexed.tokens.iter().any(|t| t.is(lexicon::Class::Cancel))
            && lexed.tokens.iter().any(|t| {
                t.is(lexicon::Class::Limit)
                    || t.is(lexicon::Class::OrderWord)
                        && !text::one_of(&text[t.start..t.end], followup::SIGNAL_WORDS)
            })
        // (Withdrawn at the top, not "above 4232 this idea is invalid. No entry yet".)
        || lexed
            .tokens
            .iter()
            .take_while(|t| t.line == 0 && t.kind != tokens::Kind::Num)
            .any(|t| t.is(lexicon::Class::Invalid));
    if let Some(wording) = followup::negated(text, lexed, advice, pending) {
        return none(p, trace_fmt!("negated instruction ('{wording}')"));
    }
    // "That's not ours", "Fwd from Gold King", "we do not follow this one": a signal quoted from
    // elsewhere, wherever it is said; a footer pointing to another channel ("join our other
    // channel @xyz") is an advert and says nothing of the ticket — unless the ticket is on its
    // line ("Fake channel se bacho … @ourchannel. Koi 'XAUUSD BUY 4150 SL 4140' bheje…").
    if let Some(t) = lexed.tokens.iter().find(|t| {
        // A forward's header heads the message ("Forwarded from Whale Futures VIP"): no footer.
        t.is(lexicon::Class::Foreign)
            && (t.line == 0 || !advert_line(lexed, t.line) || open.holds_levels(t.line))
    }) {
        let wording = text.get(t.start..t.end).unwrap_or("");
        return none(
            p,
            trace_fmt!("another channel's signal ('{wording}'), not ours to act on"),
        );
    }
    if quoted(text, &open) || open.has_levels() && quoted_order(text, lexed) {
        return none(
            p,
            "the levels are quoted ('>') — someone else's words, not an order".to_string(),
        );
    }
    if open.is_ticket() {
        // Which trade a withdrawal is of, and whether it was ever taken, the message does not
        // say: nothing is done, and the trader is told.
        if let Some(w) = followup::withdrawn(text, lexed) {
            return none(
                p,
                trace_fmt!("a ticket marked withdrawn ('{w}') — neither opened nor acted on"),
            );
        }
        // "BUY GOLD 2350 SL 2340 TP 2360 — good or bad?", "who took this?": asked about, not
        // given ("SL ??" is a placeholder, not a question).
        if asks(text, lexed, &open) {
            return none(p, "a ticket with a question — not acted on".to_string());
        }
    }
    // A ticket with no word of management ("move", "close", "BE", …) holds no follow-up: the
    // search, which most messages are, is skipped for it.
    // An arrow may be the only word of management: "SL ➝ 1.3318 / TP ➝ 1.3420".
    let arrows = || text.contains(['→', '➡', '➝', '➜', '➔', '⇒']);
    let found = if open.is_ticket() && !lexed.tokens.iter().any(|t| manages(t.class)) && !arrows() {
        followup::Found::default()
    } else {
        followup::find(text, lexed, !open.tps.is_empty())
    };
    p.trace.extend(found.notes);
    if let Some(why) = found.doubt {
        // "Valid until NY close", "if we close above 22,050 I'll reassess": on a ticket, a
        // close word that is no instruction is commentary.
        if !open.is_ticket() {
            return none(p, trace_fmt!("instruction not acted on — {why}"));
        }
        p.trace.push(trace_fmt!(
            "note: instruction on the ticket set aside — {why}"
        ));
    }
    let follow_ups = found.follow_ups;
    if !follow_ups.is_empty() {
        // A card that repeats the trade with its stop now at the entry ("SL (BE) : 5027" under
        // "Entrée : 5027"): no open has its stop at its entry; it reports the breakeven.
        let stop_at_entry = matches!(
            (open.sl, open.entry_reference()),
            (Some((StopLoss::Price(sl), _)), Some(e)) if sl == e
        ) && follow_ups
            .iter()
            .any(|f| matches!(f, FollowUp::Breakeven { .. }));
        if stop_at_entry {
            return read_follow_up(
                p,
                &open,
                follow_ups,
                headed(text, lexed, &open.symbols),
                lexed.dot_thousands,
            );
        }
        // "Crude long SL trail to 64.10 and new target 65.80": a ticket's levels given by moves,
        // with no entry and no "now", or with a stop already in profit ("Gold buy from 4104: SL
        // trail to 4116, TP 4150"), are the trade's new levels.
        if open.is_ticket()
            && (open.entries.is_empty() && open.market.is_none() || open.stop_in_profit())
            && restates(&open, &follow_ups)
        {
            let mut follow_ups = follow_ups;
            // Its targets are the trade's as they stand, when no move names them (not those
            // ticked as hit: "TP1 ✅ 4098").
            let hit = |line: usize| {
                levels::nth_line(text, line).contains(['✅', '✔'])
                    || lexed
                        .tokens
                        .iter()
                        .any(|t| t.line == line && t.is(lexicon::Class::Result))
            };
            if !follow_ups
                .iter()
                .any(|f| matches!(f, FollowUp::TargetTo { .. }))
            {
                follow_ups.extend(open.tps.iter().filter(|t| !hit(t.line)).filter_map(|t| {
                    match t.target {
                        Target::Price(price) => Some(FollowUp::TargetTo {
                            price,
                            wording: levels::nth_line(text, t.line).trim().to_string(),
                        }),
                        Target::Pips { .. } => None,
                    }
                }));
            }
            return read_follow_up(
                p,
                &open,
                follow_ups,
                headed(text, lexed, &open.symbols),
                lexed.dot_thousands,
            );
        }
        if open.is_ticket() && !restates(&open, &follow_ups) {
            // "TP1 155.30 (close 50%)", "BE once +15 pips": how the provider will manage the
            // trade, written on its ticket; the open is what the message is.
            for f in &follow_ups {
                p.trace.push(trace_fmt!(
                    "note: management plan on the ticket set aside ('{}')",
                    f.wording()
                ));
            }
        } else if !open.is_ticket() {
            let tells = |t: &tokens::Token| {
                matches!(
                    t.class,
                    Some(
                        lexicon::Class::Close
                            | lexicon::Class::Cancel
                            | lexicon::Class::Move
                            | lexicon::Class::Breakeven
                    )
                )
            };
            // "Close half?" asks; "Who still holds GBPUSD? Close it now" asks, then tells.
            let told_after = text
                .rfind('?')
                .is_some_and(|q| lexed.tokens.iter().any(|t| t.start > q && tells(t)));
            // "CLOSE GOLD NOW ‼️ +68 pips in the bag, who caught this one?": told in a sentence
            // of its own before the question.
            let told_before = text.find('?').is_some_and(|q| {
                lexed.tokens.iter().any(|t| {
                    t.end < q
                        && tells(t)
                        && (text[t.end..q].contains(['!', '\n', '‼'])
                            || text[t.end..q].contains(". "))
                })
            });
            // "ใครเลื่อน SL บังทุนไปแล้วบ้างครับ": asked by a particle, not a mark.
            // ("ปิดทุกไม้ตอนนี้เลย …": told now, whatever else is said).
            let asked_by_particle = || {
                !lexed.tokens.iter().any(|t| t.is(lexicon::Class::Market))
                    && classify::asked_by_particle(text, lexed)
            };
            if (asks_besides_tags(text) || asked_by_particle()) && !told_after && !told_before {
                return none(p, "a question, not an instruction".to_string());
            }
            // A caption's close is the picture's ("📸 … GOLD SELL 4092 → 4078 pe close, +140
            // pips"); one said under it is the provider's ("[screenshot: +212 pips]\nclosing
            // 1/3 of gold here").
            let captioned = lexed
                .tokens
                .iter()
                .filter(|t| manages(t.class))
                .all(|t| t.line == 0);
            if let Some(why) = classify::shown(text, lexed)
                .filter(|_| captioned)
                .or_else(|| classify::taught(text, false))
                .or_else(|| classify::golden_rule(text, lexed))
            {
                return none(p, why);
            }
            if let Some(wording) = recalled(text, lexed) {
                return none(
                    p,
                    trace_fmt!("an instruction recalled ('{wording}'), not given now"),
                );
            }
            if let Some(wording) = done_earlier(text, lexed) {
                return none(
                    p,
                    trace_fmt!(
                        "a report of what was done earlier ('{wording}'), not an instruction"
                    ),
                );
            }
            if quoted_instruction(text, lexed) {
                return none(
                    p,
                    "an instruction in quotation marks, recalled — not given now".to_string(),
                );
            }
            return read_follow_up(
                p,
                &open,
                follow_ups,
                headed(text, lexed, &open.symbols),
                lexed.dot_thousands,
            );
        }
    }
    // "GOLD SELL update: SL now 4098 / TP 4070 / 4062": an earlier trade's new levels, with no
    // entry to open on, are its modification.
    if let Some(follow_ups) = updated_levels(text, lexed, &open) {
        return read_follow_up(
            p,
            &open,
            follow_ups,
            headed(text, lexed, &open.symbols),
            lexed.dot_thousands,
        );
    }
    if let Some(reason) = classify::not_an_open(text, lexed, &open) {
        return none(p, reason);
    }
    levels::build_open(open, p, text)
}

/// The stop and targets of a message marked an update, without an entry, a condition or a
/// doubt about the stop: the earlier trade's new levels.
fn updated_levels(
    text: &str,
    lexed: &tokens::Lexed,
    open: &OpenReading<'_>,
) -> Option<Vec<FollowUp>> {
    use lexicon::Class as C;
    // "SL now 4098" dates the level; "BUY now" would be an order.
    let order_now = || {
        lexed.tokens.iter().enumerate().any(|(i, t)| {
            t.is(C::Market)
                && !i
                    .checked_sub(1)
                    .and_then(|p| lexed.tokens.get(p))
                    .is_some_and(|p| matches!(p.class, Some(C::Sl | C::Stop | C::Tp)))
        })
    };
    // The cheap refusals first: most messages have no level to update at all.
    if !open.entries.is_empty()
        || open.sl.is_none() && open.tps.is_empty()
        || open.sl_extra
        || open.sl_placeholder.is_some()
        || text.contains('?')
        || lexed
            .tokens
            .iter()
            .any(|t| matches!(t.class, Some(C::Condition | C::Negation)))
        || order_now()
        // "✅ Target 1 reached: 0.3460", "🛑 Stop loss hit at 40.10": a level reported reached
        // ("Put SL in profit at 2337" moves it).
        || !lexed.tokens.iter().any(|t| t.is(C::Move))
            && lexed.tokens.iter().enumerate().any(|(i, t)| {
            t.is(C::Result)
                && lexed.tokens[i.saturating_sub(2)..i]
                    .iter()
                    .any(|l| l.line == t.line && matches!(l.class, Some(C::Sl | C::Stop | C::Tp)))
        })
        // "GER40 closed at our trailed SL 23,940 ✅": the trade reported closed.
        || lexed.tokens.iter().any(|t| {
            text.get(t.start..t.end)
                .is_some_and(|w| followup::PAST_CLOSE.iter().any(|c| c.eq_ignore_ascii_case(w)))
        })
    {
        return None;
    }
    let word = |t: &tokens::Token| text.get(t.start..t.end).unwrap_or("");
    // "BTC short için stop 99400, hedefler 97600 / 96800", "SL for the gold buy 4052": the side
    // names the trade the levels are for.
    let for_the_trade = || {
        lexed.tokens.iter().enumerate().find_map(|(i, t)| {
            // "TPs for the US30 trade 👇", "Gold wale trade ke targets": the trade named by
            // its symbol, as its side would.
            let named_trade = t.is(C::Object)
                && lexed.tokens[i.saturating_sub(2)..i]
                    .iter()
                    .any(|p| p.line == t.line && matches!(p.kind, tokens::Kind::Sym(_)));
            if !matches!(t.class, Some(C::Side(_))) && !named_trade {
                return None;
            }
            let after = lexed.tokens.get(i + 1).is_some_and(|n| {
                ["için", "ke", "ka", "ki"]
                    .iter()
                    .any(|w| word(n).eq_ignore_ascii_case(w))
            });
            let before = lexed.tokens[..i].iter().rev().take(6).any(|p| {
                p.line == t.line
                    && [
                        "for", "für", "pour", "para", "per", "voor", "برای", "pentru", "по",
                        "buat", "untuk",
                    ]
                    .iter()
                    .any(|w| word(p).eq_ignore_ascii_case(w))
            });
            // "Gold longs: SL to 4158", "Gold Short:\nSL 4118\nTP 4098" with no entry and no
            // "now": the trade heading what is said of it — the levels a bare call was missing,
            // or new ones. (Applied to no trade, the engine refuses it and says so; opened, it
            // would be a second trade.)
            // "SPX500 short levels: SL 6852, TP 6790": the same, with "levels" before the colon.
            // "US30 sell\nTP1 47450\nTP2 47300", "Dow long PTs: 47,200 / 47,400": the side
            // ending the first line or followed by the targets, with no entry and no stop —
            // those of a bare call.
            // With a stop it may be a ticket at market; ticked, a report.
            let ends_first_line = t.line == 0
                && open.sl.is_none()
                && !text.contains(['✅', '✔', '☑', '❌', '+'])
                && lexed
                    .tokens
                    .get(i + 1)
                    .is_none_or(|n| n.kind == tokens::Kind::Nl || n.is(C::Tp));
            let heading = text[t.end..].starts_with(':')
                || ends_first_line
                || lexed.tokens.get(i + 1).is_some_and(|n| {
                    ["levels", "level"]
                        .iter()
                        .any(|w| word(n).eq_ignore_ascii_case(w))
                        && text[n.end..].starts_with(':')
                });
            // "Alvos da compra no ouro:", "Targets of the gold buy:": the levels of the trade.
            let levels_of =
                i >= 2
                    && lexed.tokens[..i].iter().rev().take(3).any(|p| {
                        p.line == t.line
                            && ["da", "do", "de", "del", "della", "of"]
                                .iter()
                                .any(|w| word(p).eq_ignore_ascii_case(w))
                    })
                    && lexed.tokens[..i].iter().rev().take(4).any(|p| {
                        p.line == t.line && matches!(p.class, Some(C::Tp | C::Sl | C::Stop))
                    });
            (after || before || heading || levels_of).then_some(t)
        })
    };
    // "Adjusting the gold short: SL 4172 / TP 4121 / 4108": a move heading the levels.
    let move_heading = || {
        lexed
            .tokens
            .iter()
            .find(|t| t.kind == tokens::Kind::Word)
            .filter(|t| t.is(C::Move))
    };
    // "SL 4198 / TP 4225 / (upar wala gold buy) 👆": the levels of the trade above.
    // With no symbol, the stop and the targets both: the levels a bare call was missing
    // (LABELS.md), "SL 4163 / TP 4173 / 4182 / 👆 към сигнала горе".
    let first_level = || {
        (open.sl.is_some() && !open.tps.is_empty() && open.symbols.is_empty())
            .then(|| {
                lexed
                    .tokens
                    .iter()
                    .find(|t| matches!(t.class, Some(C::Sl | C::Stop | C::Tp)))
            })
            .flatten()
    };
    let pointed_up = || {
        text.contains(['👆', '☝'])
            .then(|| {
                lexed
                    .tokens
                    .iter()
                    .find(|t| matches!(t.kind, tokens::Kind::Sym(_)))
                    .or_else(first_level)
            })
            .flatten()
    };
    // "USDCAD targets: / TP1 1.3975 / TP2 1.3940": the symbol and its levels, no other word
    // (the levels a bare call was missing, or new ones).
    let levels_only = || {
        let mut symbol = None;
        let mut other = 0;
        let toks = &lexed.tokens;
        for (i, t) in toks.iter().enumerate() {
            // "EURUSD pompujemy SL 1.0800": a word unknown between the symbol and its levels may
            // be a side the lexicon lacks.
            let in_side_slot = || {
                i.checked_sub(1)
                    .is_some_and(|p| matches!(toks[p].kind, tokens::Kind::Sym(_)))
                    && toks.get(i + 1).is_some_and(|n| {
                        n.line == t.line
                            && (n.kind == tokens::Kind::Num
                                || matches!(n.class, Some(C::Sl | C::Stop | C::Tp)))
                    })
            };
            match t.kind {
                tokens::Kind::Sym(_) if symbol.is_none() => symbol = Some(t),
                tokens::Kind::Sym(_) => return None,
                // "SL: 97.85 (was 97.20)": the old value's note is no other word.
                tokens::Kind::Word
                    if matches!(t.class, Some(C::Sl | C::Stop | C::Tp | C::Ignore)) => {}
                tokens::Kind::Word
                    if matches!(
                        t.class,
                        None | Some(C::New | C::Update | C::Object | C::EntryWeak | C::To)
                    ) && !(t.class.is_none() && in_side_slot()) =>
                {
                    other += 1;
                    if other > 5 {
                        return None;
                    }
                }
                tokens::Kind::Word => return None,
                // "JP225 損切りになりました。-250 ポイント": a figure with a minus is a result.
                tokens::Kind::Num
                    if text[..t.start]
                        .strip_suffix('-')
                        .is_some_and(|b| !b.ends_with(|c: char| c.is_alphanumeric())) =>
                {
                    return None;
                }
                _ => {}
            }
        }
        symbol
            .or_else(first_level)
            .filter(|_| !text.contains(['✅', '✔', '☑', '❌', '+']))
    };
    let cue = classify::update_word(text, lexed, open)
        .or_else(for_the_trade)
        .or_else(move_heading)
        .or_else(pointed_up)
        .or_else(levels_only)?;
    // "Gold longs: SL to 4158, TPs now 72 / 85": targets written as their last digits,
    // completed beside the stop on the side the trade's targets lie; with no side named
    // ("SL: 4098 / TP: 85 / 80 / 70") only the trade's entry could tell — not guessed here.
    let stop = match open.sl {
        Some((StopLoss::Price(stop), _)) => Some(stop),
        _ => None,
    };
    let above = match open.sides.as_slice() {
        [w] => Some(w.side == crate::model::Side::Buy),
        _ => None,
    };
    let target_price = |v: f64| match (stop, above) {
        (Some(stop), _) if v * 5.0 >= stop => Some(v),
        (None, _) => Some(v),
        (Some(stop), Some(above)) => levels::expand_short(v, stop, above, true),
        (Some(_), None) => None,
    };
    let mut targets = Vec::with_capacity(open.tps.len());
    for tp in &open.tps {
        let Target::Price(price) = tp.target else {
            return None;
        };
        targets.push(target_price(price)?);
    }
    let word = text.get(cue.start..cue.end)?;
    let mut follow_ups = Vec::with_capacity(1 + open.tps.len());
    match open.sl {
        Some((StopLoss::Price(price), _)) => follow_ups.push(FollowUp::StopTo {
            price,
            pips: false,
            wording: trace_fmt!("{word}: SL {price}"),
        }),
        Some((StopLoss::Breakeven, _)) => follow_ups.push(FollowUp::Breakeven {
            wording: trace_fmt!("{word}: SL at the entry"),
        }),
        Some((StopLoss::Pips { .. }, _)) => return None,
        None => {}
    }
    for price in targets {
        follow_ups.push(FollowUp::TargetTo {
            price,
            wording: trace_fmt!("{word}: TP {price}"),
        });
    }
    (!follow_ups.is_empty()).then_some(follow_ups)
}

/// A word that can start a follow-up on a ticket's lines ("BE once +15 pips", "TP1 155.30
/// (close 50%)", "SL (BE)").
fn manages(class: Option<lexicon::Class>) -> bool {
    use lexicon::Class as C;
    matches!(
        class,
        Some(
            C::Move
                | C::Breakeven
                | C::BeWeak
                | C::Close
                | C::Cancel
                | C::Update
                | C::New
                | C::Take
                | C::Invalid
                | C::Partial
                | C::Half
                | C::Quarter
                | C::Open
                | C::Result
        )
    )
}

/// The message's first line is its first symbol and nothing else ("#SUI/USDT").
/// Every symbol of the message stands aside after its instruction, in a clause of its own
/// ("закрываем, выход по текущим. BTC тянет вниз весь рынок"): under a reply, the market around
/// the trade replied to, not the trade.
fn all_aside(text: &str, lexed: &tokens::Lexed) -> bool {
    let toks = &lexed.tokens;
    // The instruction first, the symbols after it: a card's "Pair: XAUUSD" above its action
    // names the trade.
    let instruction = toks.iter().position(|t| {
        instructs(t.class)
            || matches!(
                t.class,
                Some(lexicon::Class::Sl | lexicon::Class::Stop | lexicon::Class::Tp)
            )
    });
    let mut named = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, tokens::Kind::Sym(_)))
        .peekable();
    named.peek().is_some()
        && named.all(|(k, _)| instruction.is_some_and(|i| i < k) && aside(text, lexed, k))
}

fn headed(text: &str, lexed: &tokens::Lexed, symbols: &[symbols::SymbolHit]) -> bool {
    let mut first_line = lexed.tokens.iter().take_while(|t| t.line == 0);
    matches!(first_line.next(), Some(t) if t.kind == tokens::Kind::Sym(0))
        && first_line.next().is_none_or(|t| t.kind == tokens::Kind::Nl)
        && lexed.tokens.iter().any(|t| t.line > 0)
        || others_aside(text, lexed, symbols)
}

/// "Close #SUI/USDT now at market, BTC dumping hard": every other symbol stands in a clause of
/// its own with no number and no instruction — the market around the trade, not a second one.
fn others_aside(text: &str, lexed: &tokens::Lexed, symbols: &[symbols::SymbolHit]) -> bool {
    let toks = &lexed.tokens;
    let Some(first) = symbols.first() else {
        return false;
    };
    let mut any = false;
    for (k, t) in toks.iter().enumerate() {
        let tokens::Kind::Sym(s) = t.kind else {
            continue;
        };
        let Some(name) = symbols.get(s).map(|h| &h.canonical) else {
            return false;
        };
        if name.starts_with(&first.canonical) || first.canonical.starts_with(name.as_str()) {
            continue;
        }
        any = true;
        // "Cut SOL entirely, BTC dominance spike killing alts", "BTC gãy 95k rồi": bitcoin
        // after a coin, in a clause of its own, is the market the coins move with.
        if first.how == symbols::How::Ticker
            && matches!(name.as_str(), "BTC" | "BTCUSD" | "BTCUSDT")
            && in_a_clause_of_its_own(text, lexed, k)
        {
            continue;
        }
        if !aside(text, lexed, k) {
            return false;
        }
    }
    any
}

/// The symbol at token `k` is not in the message's first clause, and no side or close is said
/// of it right after it.
fn in_a_clause_of_its_own(text: &str, lexed: &tokens::Lexed, k: usize) -> bool {
    use lexicon::Class as C;
    let toks = &lexed.tokens;
    let clause_before = toks[..k].iter().zip(&toks[1..=k]).any(|(a, b)| {
        a.kind == tokens::Kind::Nl
            || text
                .get(a.end..b.start)
                .is_some_and(|gap| gap.contains([',', '.', '!', ';', '—', '–']))
    });
    clause_before
        && !toks
            .get(k + 1)
            .is_some_and(|n| matches!(n.class, Some(C::Side(_) | C::Close)))
}

/// The symbol at token `k` stands in a clause of its own, not the message's first, with no
/// number, side or instruction in it.
fn aside(text: &str, lexed: &tokens::Lexed, k: usize) -> bool {
    use lexicon::Class as C;
    let toks = &lexed.tokens;
    // A clause ends at a comma, a stop, a dash, a line — or a pictograph ("now ⚠️ BTC
    // dominance spiking").
    let ends = |a: usize| {
        toks[a].kind == tokens::Kind::Nl
            || text
                .get(toks[a].end..toks.get(a + 1).map_or(text.len(), |n| n.start))
                .is_some_and(|gap| {
                    gap.contains([',', '.', '!', '?', ';', '\n', '—', '–', '，', '。'])
                        || gap
                            .chars()
                            .any(|c| matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF))
                })
    };
    let start = (0..k).rev().find(|&j| ends(j)).map_or(0, |j| j + 1);
    // A symbol in its line's first clause ("Pair USDJPY, Side SELL, Entry 155.40") stands for
    // the whole line.
    let heads_line = start > 0 && toks[start - 1].kind == tokens::Kind::Nl;
    // (To the end of its sentence: "Reason: crude spiking +3% on inventory data. No point
    // waiting for SL" is two.)
    let sentence_ends = |a: usize| {
        text.get(toks[a].end..toks.get(a + 1).map_or(text.len(), |n| n.start))
            .is_some_and(|gap| gap.contains(['.', '!', '?', '。']))
    };
    let end = (k..toks.len())
        .find(|&j| {
            if heads_line {
                toks.get(j + 1).is_none_or(|n| n.kind == tokens::Kind::Nl) || sentence_ends(j)
            } else {
                ends(j)
            }
        })
        .unwrap_or(toks.len() - 1);
    // A timeframe ("4H", "15m") is no level.
    let timeframe = |j: usize| {
        toks.get(j + 1).is_some_and(|u| {
            u.start == toks[j].end
                && text.get(u.start..u.end).is_some_and(|w| {
                    ["h", "m", "d", "w", "hr", "min"]
                        .iter()
                        .any(|t| t.eq_ignore_ascii_case(w))
                })
        })
    };
    // "crude spiking +3%": how the market moved, told in words, no level (not a tally's
    // "SOL +48%").
    let moved = |j: usize| {
        toks.get(j + 1).is_some_and(|p| p.kind == tokens::Kind::Pct)
            && text[..toks[j].start].ends_with(['+', '-'])
            && j > k + 1
            && toks[k + 1..j].iter().any(|w| w.kind == tokens::Kind::Word)
    };
    // "lower high on the 4h": a move word that moves no stop or target.
    let moves_nothing = |j: usize| {
        toks[j].class == Some(C::Move)
            && !toks[j + 1..]
                .iter()
                .take(3)
                .any(|n| matches!(n.class, Some(C::Sl | C::Stop | C::Tp)))
    };
    let busy = (start..=end).zip(&toks[start..=end]).any(|(j, n)| {
        n.kind == tokens::Kind::Num && !timeframe(j) && !moved(j)
            || n.kind == tokens::Kind::Pct && !(j > 0 && moved(j - 1))
            || instructs(n.class) && !moves_nothing(j)
            || matches!(
                n.class,
                Some(C::Quarter | C::All | C::Sl | C::Stop | C::Tp | C::New | C::Update)
            )
    });
    start > 0
        && !busy
        && !toks[start..=end]
            .iter()
            .any(|n| matches!(n.class, Some(C::Side(_))))
}

/// Every line the levels were read from starts with `>`, the mark of a quoted message. (Not
/// quotation marks: a provider's own voice note is posted as a quoted transcript.)
fn quoted(text: &str, open: &levels::OpenReading<'_>) -> bool {
    if !text.contains('>') || !open.has_levels() {
        return false;
    }
    let quote_line = |line: usize| levels::nth_line(text, line).trim_start().starts_with('>');
    open.entries.iter().all(|&(_, line)| quote_line(line))
        && open.sl.is_none_or(|(_, line)| quote_line(line))
        && open.tps.iter().all(|t| quote_line(t.line))
}

/// The order's side is only ever written inside quotation marks, with words of the channel's own
/// around it ("look at this from another 'VIP' channel 👇 \"GOLD BUY NOW 4340 SL 4200\" 🤡",
/// 「黄金多 4380 止损 4100」😂): a call repeated, not given.
fn quoted_order(text: &str, lexed: &tokens::Lexed) -> bool {
    // A quotation mark must open before the order's first word: only that prefix is searched
    // for one (a ticket's first word is usually its first).
    let first = lexed
        .tokens
        .iter()
        .find(|t| matches!(t.class, Some(lexicon::Class::Side(_))))
        .or_else(|| {
            lexed
                .tokens
                .iter()
                .find(|t| matches!(t.kind, tokens::Kind::Sym(_)))
        });
    if !first.is_some_and(|t| text[..t.start].contains(['"', '\'', '“', '„', '«', '「', '『', '‘']))
    {
        return false;
    }
    let spans = quoted_spans(text);
    let inside = |at: usize| spans.iter().find(|&&(a, b)| a <= at && at < b);
    // Its side, or its symbol when the side is read from the levels.
    let side = |t: &&tokens::Token| matches!(t.class, Some(lexicon::Class::Side(_)));
    let symbol = |t: &&tokens::Token| matches!(t.kind, tokens::Kind::Sym(_));
    let named: Vec<&tokens::Token> = if lexed.tokens.iter().any(|t| side(&t)) {
        lexed.tokens.iter().filter(side).collect()
    } else {
        lexed.tokens.iter().filter(symbol).collect()
    };
    if named.is_empty() {
        return false;
    }
    let all_quoted = named.iter().all(|t| {
        inside(t.start).is_some_and(|&(a, b)| {
            lexed
                .tokens
                .iter()
                .any(|n| n.kind == tokens::Kind::Num && a <= n.start && n.end <= b)
        })
    });
    // "Member @joe shared: 'Sold US30 at 47,500 …'": the quote's heading names whose words they
    // are.
    let first_quote = spans.iter().map(|&(a, _)| a).min().unwrap_or(0);
    let someone_elses = text[..first_quote]
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| text::one_of(w, QUOTED_FROM));
    all_quoted && (spoken_around(text, lexed, &spans) || someone_elses)
}

/// Words before a quotation naming someone else as its author.
const QUOTED_FROM: &[&str] = &[
    "member",
    "members",
    "client",
    "clients",
    "student",
    "students",
    "subscriber",
    "shared",
    "wrote",
    "writes",
];

/// The channel's own words around the quotes: enough letters outside them (counted in letters,
/// as a script without spaces writes a sentence as one run), and some after the last (a voice
/// note's transcript is quoted whole, under its heading).
fn spoken_around(text: &str, lexed: &tokens::Lexed, spans: &[(usize, usize)]) -> bool {
    let inside = |at: usize| spans.iter().any(|&(a, b)| a <= at && at < b);
    let own_letters = text
        .char_indices()
        .filter(|&(at, c)| c.is_alphabetic() && !inside(at))
        .count();
    let last_quote = spans.iter().map(|&(_, b)| b).max().unwrap_or(0);
    let said_after = lexed
        .tokens
        .iter()
        .any(|t| t.start > last_quote && t.kind == tokens::Kind::Word)
        || text
            .get(last_quote..)
            .is_some_and(|rest| rest.chars().filter(|c| c.is_alphabetic()).count() >= 4);
    own_letters >= 12 && said_after
}

/// "أمس قلنا انقلوا الوقف على الدخول", "Kal raat humne SL 4210 par shift karne ka kaha tha":
/// when it was said and that it was said, with nothing telling it again now — an instruction
/// recalled. The two words, for the trace.
fn recalled(text: &str, lexed: &tokens::Lexed) -> Option<String> {
    use lexicon::Class as C;
    let said = lexed.tokens.iter().position(|t| t.is(C::Said))?;
    let word = |t: &tokens::Token| text.get(t.start..t.end).unwrap_or("");
    // "Yesterday" is a report's word in the lexicon, and when it was said here.
    let earlier = lexed.tokens.iter().find(|t| {
        t.is(C::Earlier) || t.is(C::Result) && YESTERDAY.contains(&word(t).to_lowercase().as_str())
    })?;
    // "As we said yesterday: close half now" tells it again; "… whoever did is safe now" not.
    let instructs = |t: &tokens::Token| instructs(t.class);
    // "… کسایی که بستن الان راحتن", "… wer es gemacht hat": what those who followed it did.
    let members_deed = |k: usize| {
        lexed.tokens[k.saturating_sub(2)..k]
            .iter()
            .any(|t| WHO_DID.contains(&word(t).to_lowercase().as_str()))
    };
    let told_now = (said + 1..lexed.tokens.len()).any(|k| {
        lexed.tokens[k].is(C::Market)
            && (k.saturating_sub(2)..(k + 3).min(lexed.tokens.len()))
                .any(|j| instructs(&lexed.tokens[j]) && !members_deed(j))
    });
    if told_now {
        return None;
    }
    Some(format!("{} … {}", word(earlier), word(&lexed.tokens[said])))
}

/// A word that gives an instruction on a trade: close, cancel, move, breakeven, take, a share.
fn instructs(class: Option<lexicon::Class>) -> bool {
    use lexicon::Class as C;
    matches!(
        class,
        Some(
            C::Close
                | C::Cancel
                | C::Move
                | C::Breakeven
                | C::BeWeak
                | C::Take
                | C::Half
                | C::Partial
        )
    )
}

/// Who did what was said: "those who", "whoever", in the languages.
const WHO_DID: &[&str] = &[
    "who",
    "whoever",
    "those",
    "wer",
    "quem",
    "quien",
    "quienes",
    "qui",
    "chi",
    "кто",
    "те",
    "kim",
    "kimler",
    "jisne",
    "jinhone",
    "کسایی",
    "کسانی",
    "هرکی",
    "اللي",
    "من",
    "siapa",
    "yang",
    "ai",
    "nào",
];

/// "۳۰ درصد رو دیروز بستیم", "kemarin SL BTC udah kita geser ke BE", "que cancelamos ontem": an
/// instruction's word with the day it was done, and nothing told now — a report of the past.
/// Not the day a trade was opened ("close the buy from yesterday", "yesterday's trade").
fn done_earlier(text: &str, lexed: &tokens::Lexed) -> Option<String> {
    use lexicon::Class as C;
    let toks = &lexed.tokens;
    let word = |t: &tokens::Token| text.get(t.start..t.end).unwrap_or("");
    let when = toks.iter().position(|t| {
        matches!(t.class, Some(C::Result | C::Earlier))
            && YESTERDAY.contains(&word(t).to_lowercase().as_str())
    })?;
    let rest = &text[toks[when].end..];
    let dated = rest.starts_with(['\'', '’'])
        || when.checked_sub(1).is_some_and(|p| {
            [
                "from", "of", "since", "de", "do", "da", "d'", "von", "di", "с", "از",
            ]
            .contains(&word(&toks[p]).to_lowercase().as_str())
        });
    if dated {
        return None;
    }
    let done = toks.iter().enumerate().position(|(k, t)| {
        instructs(t.class)
            && t.line == toks[when].line
            && k.abs_diff(when) <= 6
            // "close the buy we took yesterday": the day is the trade's.
            && !toks[k.min(when)..k.max(when)]
                .iter()
                .any(|b| matches!(b.class, Some(C::Side(_) | C::Entry)))
            // "Yesterday's sell: close it now" tells it now.
            && !toks[k.saturating_sub(3)..(k + 4).min(toks.len())]
                .iter()
                .any(|b| b.is(C::Market))
    })?;
    Some(format!("{} … {}", word(&toks[when]), word(&toks[done])))
}

/// A question mark that asks; not one after a tag that only seeks agreement ("Cerrad el 30%
/// del GER40, vale?", "close half, ok?").
fn asks_besides_tags(text: &str) -> bool {
    const TAGS: &[&str] = &[
        "vale",
        "ok",
        "okay",
        "right",
        "yes",
        "sí",
        "si",
        "né",
        "ne",
        "ja",
        "tamam",
        "na",
        "ha",
        "daccord",
        "capito",
        "entendido",
        "entendeu",
        "ya",
        "да",
        "понятно",
        "ясно",
    ];
    text.match_indices('?').any(|(at, _)| {
        let before = text[..at].trim_end_matches(['?', '!', ' ']);
        let raw = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '\''))
            .next()
            .unwrap_or("");
        let word = raw.to_lowercase();
        // A tag after a comma: its sentence was told.
        let tagged = before[..before.len() - raw.len()].trim_end().ends_with(',');
        // "joining me?", "who's with me?": an invitation, asked.
        let invited = word == "me"
            && before[..before.len() - raw.len()]
                .trim_end()
                .rsplit(' ')
                .next()
                .is_some_and(|w| {
                    text::one_of(w, &["joining", "join", "with", "follow", "following"])
                });
        !(tagged && TAGS.contains(&word.as_str()) || invited)
    })
}

/// "Yesterday" in the languages whose word the lexicon files as a report's.
const YESTERDAY: &[&str] = &[
    "yesterday",
    "ayer",
    "ontem",
    "вчера",
    "dün",
    "dünkü",
    "kemarin",
    "semalam",
    "kelmarin",
    "دیروز",
    "أمس",
    "امس",
    "الأمس",
    "hôm qua",
    "včera",
    "gestern",
    "ieri",
    "wczoraj",
];

/// "Yesterday I said 'close half at TP1' — those who listened are smiling": every word of the
/// instruction is inside quotation marks, with the channel's own words around them — an
/// instruction recalled, not given now.
fn quoted_instruction(text: &str, lexed: &tokens::Lexed) -> bool {
    use lexicon::Class as C;
    if !text.contains(['"', '\'', '“', '„', '«', '「', '『', '‘']) {
        return false;
    }
    let spans = quoted_spans(text);
    let instructs = |t: &&tokens::Token| instructs(t.class) || t.is(C::Quarter);
    let mut words = lexed.tokens.iter().filter(instructs).peekable();
    words.peek().is_some()
        && words.all(|t| spans.iter().any(|&(a, b)| a <= t.start && t.end <= b))
        && spoken_around(text, lexed, &spans)
}

/// The byte spans between quotation marks. A straight quote opens only after a space or a
/// mark and closes only before one, so that an apostrophe ("don't") is no quotation.
fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut rest = text.char_indices().peekable();
    while let Some((at, c)) = rest.next() {
        let close = match c {
            '"' | '\'' => c,
            '“' => '”',
            '„' => '“',
            '«' => '»',
            '「' => '」',
            '『' => '』',
            '‘' => '’',
            _ => continue,
        };
        let straight = c == '"' || c == '\'';
        if straight
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
        {
            continue;
        }
        // "a signal card, text reads 'XAUUSD BUY 4078'", "a box marked 'BUY 1.3372'": what a
        // picture shows, described.
        let said_by = text[..at]
            .trim_end_matches([' ', ':'])
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(
            said_by.as_str(),
            "reads"
                | "marked"
                | "shows"
                | "showing"
                | "labels"
                | "labelled"
                | "labeled"
                | "written"
                | "caption"
        ) {
            continue;
        }
        let start = at + c.len_utf8();
        // Polish and German close "„" with "”" as often as with "“".
        let end = text[start..].char_indices().find(|&(i, d)| {
            (d == close || c == '„' && d == '”')
                && !(straight
                    && text[start + i + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric))
        });
        if let Some((i, d)) = end {
            spans.push((start, start + i));
            while rest.peek().is_some_and(|&(j, _)| j <= start + i) {
                rest.next();
            }
            let _ = d;
        }
    }
    spans
}

/// A line with an advert's words or an `@handle` ("join our other channel @xyz").
fn advert_line(lexed: &tokens::Lexed, line: usize) -> bool {
    lexed
        .tokens
        .iter()
        .any(|t| t.line == line && (t.kind == tokens::Kind::At || t.is(lexicon::Class::Promo)))
}

/// A question mark that is not a placeholder for a level (`SL ??`, `TP: ?`) nor in a line of
/// commentary ("remember what I told you yesterday?", "Pourquoi ? Rebond sur support H4").
fn asks(text: &str, lexed: &tokens::Lexed, open: &OpenReading<'_>) -> bool {
    let line_of = |at: usize| text[..at].bytes().filter(|&b| b == b'\n').count();
    // "i bought gold 4132 with sl 4120 tp 4150, good idea??": a line that holds the levels is
    // the ticket's, however long.
    let commentary_line = |line: usize| {
        open.commentary.get(line) == Some(&true)
            // "Want more? DM @admin": a footer's question is an advert's.
            || advert_line(lexed, line)
            || !lexed
                .tokens
                .iter()
                .any(|t| t.line == line && matches!(t.class, Some(lexicon::Class::Side(_))))
                && lexed
                    .tokens
                    .iter()
                    .filter(|t| t.line == line && t.kind == tokens::Kind::Word)
                    .count()
                    >= 6
                && !open.holds_levels(line)
    };
    // "Who's ready? 🙋 Gold sell 4124 SL 4133 TP 4110": a cry before the ticket starts, not a
    // question about it.
    let ticket_starts = lexed
        .tokens
        .iter()
        .find(|t| {
            matches!(t.kind, tokens::Kind::Sym(_))
                || matches!(t.class, Some(lexicon::Class::Side(_)))
        })
        .map_or(0, |t| t.start);
    if classify::asked_by_particle(text, lexed) {
        return true;
    }
    text.match_indices('?').any(|(at, _)| {
        if commentary_line(line_of(at)) || at < ticket_starts {
            return false;
        }
        let before = text[..at].trim_end_matches(['?', ' ', ':']);
        // "Qui me suit ?", "Kto ze mną?": the reader invited, not asked.
        let sentence_start = before.rfind(['.', '!', '\n']).map_or(0, |n| n + 1);
        if lexed
            .tokens
            .iter()
            .any(|t| t.start >= sentence_start && t.end <= at && t.is(lexicon::Class::Copy))
        {
            return false;
        }
        let word = before
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        // "Why? Oil dumping": the provider's own answer follows.
        !matches!(
            word.to_lowercase().as_str(),
            "sl" | "tp"
                | "stop"
                | "loss"
                | "target"
                | "tp1"
                | "tp2"
                | "tp3"
                | "entry"
                | "why"
                | "reason"
                | "pourquoi"
                | "warum"
                | "perché"
                | "почему"
                | "neden"
        )
    })
}

pub(crate) fn trace_line(args: std::fmt::Arguments<'_>) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(96);
    // Writing into a `String` cannot fail.
    let _ = s.write_fmt(args);
    s
}

/// A reading given up after it was begun: it keeps its trace, but the kind it started as is no
/// longer what it says.
pub(crate) fn set_aside(mut p: Parsed, reason: String) -> Parsed {
    for line in &mut p.trace {
        if let Some(rest) = line.strip_prefix("kind: ") {
            *line = trace_fmt!("set aside: {rest}");
        }
    }
    none(p, reason)
}

pub(crate) fn none(mut p: Parsed, reason: String) -> Parsed {
    p.kind = SignalKind::None;
    p.confidence = 0.0;
    p.trace.push(trace_fmt!("kind: none — {reason}"));
    p
}

/// Whether the "follow-ups" found only repeat this ticket's own levels ("Set SL 4140").
fn restates(open: &OpenReading<'_>, follow_ups: &[FollowUp]) -> bool {
    follow_ups.iter().all(|f| match f {
        FollowUp::StopTo { price, .. } => {
            matches!(open.sl, Some((StopLoss::Price(p), _)) if p == *price)
        }
        FollowUp::TargetTo { price, .. } => open
            .tps
            .iter()
            .any(|t| matches!(t.target, Target::Price(p) if p == *price)),
        _ => false,
    })
}

/// A new target read into `p`: a list of them replaces the old ones together.
fn new_target(p: &mut Parsed, target: Target, wording: &str) {
    if p.kind != SignalKind::Modify || p.tp.is_empty() {
        p.tp.clear();
    }
    p.kind = SignalKind::Modify;
    p.tp.push(target);
    p.trace
        .push(trace_fmt!("kind: modify — new tp ('{wording}')"));
}

fn read_follow_up(
    mut p: Parsed,
    open: &OpenReading<'_>,
    follow_ups: Vec<FollowUp>,
    headed: bool,
    dot_thousands: bool,
) -> Parsed {
    // "Close EURUSD fully, gold 50%": which amount goes with which symbol is not acted on. A
    // symbol heading the message on a line of its own ("#SUI/USDT / Close now, BTC pumping")
    // names the trade; the others are the market around it.
    if !headed
        && let Some(other) = open.symbols.iter().find(|h| {
            // "BTCUSDT … +1 200 $ po BTC": the coin and its pair are one trade.
            open.symbols.first().is_some_and(|f| {
                !f.canonical.starts_with(&h.canonical) && !h.canonical.starts_with(&f.canonical)
            })
        })
    {
        return none(
            p,
            trace_fmt!(
                "a follow-up naming two symbols ({} and {}) — not acted on",
                open.symbols.first().map_or("", |f| f.canonical.as_str()),
                other.canonical
            ),
        );
    }
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
    if let Some(first) = open.symbols.first() {
        // "بیت کوین BTCUSDT": the coin and its pair, the pair written out is the one.
        let hit = open
            .symbols
            .iter()
            .find(|h| {
                h.canonical.len() > first.canonical.len()
                    && h.canonical.starts_with(&first.canonical)
            })
            .unwrap_or(first);
        p.symbol = Some(hit.canonical.clone());
        p.trace.push(hit.trace());
        if let Some(other) = open.symbols.iter().find(|h| {
            !hit.canonical.starts_with(&h.canonical) && !h.canonical.starts_with(&hit.canonical)
        }) {
            p.trace.push(trace_fmt!(
                "symbol: {} named after the heading {} — the market around it",
                other.canonical,
                hit.canonical
            ));
        }
    }
    if let [word] = open.sides.as_slice() {
        // "Close the shorts": which of the chat's trades it acts on, not a new side.
        p.side = Some(word.side);
        p.trace
            .push(trace_fmt!("side: word {word} — the trades it acts on"));
    }
    // "DAX: Stopp auf 24.280": dot thousands, when the symbol's price needs them.
    let range = p.symbol.as_deref().and_then(symbols::price_range);
    // "ESP35: bajamos el stop a 16.000": a whole number of thousands too, in a language that
    // groups them with a dot.
    let fit = |v: f64, p: &mut Parsed| match range {
        Some((lo, hi))
            if !(lo..=hi).contains(&v)
                && (v.fract() != 0.0 || dot_thousands)
                && (lo..=hi).contains(&(v * 1000.0)) =>
        {
            let full = (v * 1000.0 * 1000.0).round() / 1000.0;
            p.trace.push(trace_fmt!(
                "level: {v} read as {full} (dot thousands; the symbol trades between {lo} and {hi})"
            ));
            full
        }
        // "Stopp nachziehen auf 24.420": no symbol to judge by, but a language that writes
        // thousands so.
        None if p.symbol.is_none() && dot_thousands && v.fract() != 0.0 => {
            let full = (v * 1000.0).round();
            p.trace.push(trace_fmt!(
                "level: {v} read as {full} (dot thousands, as the message's language writes them)"
            ));
            full
        }
        _ => v,
    };
    for f in follow_ups {
        let f = match f {
            FollowUp::StopTo {
                price,
                pips: false,
                wording,
            } => FollowUp::StopTo {
                price: fit(price, &mut p),
                pips: false,
                wording,
            },
            FollowUp::TargetTo { price, wording } => FollowUp::TargetTo {
                price: fit(price, &mut p),
                wording,
            },
            f => f,
        };
        match f {
            FollowUp::Breakeven { wording } => {
                p.kind = SignalKind::Modify;
                p.sl = Some(StopLoss::Breakeven);
                p.trace
                    .push(trace_fmt!("kind: modify — sl to breakeven ('{wording}')"));
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
                p.trace
                    .push(trace_fmt!("kind: modify — new sl ('{wording}')"));
            }
            FollowUp::TargetTo { price, wording } => {
                new_target(&mut p, Target::Price(price), &wording);
            }
            FollowUp::TargetPips { pips, wording } => {
                new_target(&mut p, Target::Pips { pips }, &wording);
            }
            // "0.30 lot of 4286.50": a price taken for the whole gives a share of nothing,
            // never a close to act on.
            FollowUp::Close {
                fraction: Some(f),
                wording,
            } if !(f > 0.0 && f <= 1.0) => {
                return none(
                    p,
                    trace_fmt!("a share to close that is no share ({f}: '{wording}')"),
                );
            }
            FollowUp::Close { fraction, wording } => {
                p.kind = SignalKind::Close;
                p.fraction = fraction;
                match fraction {
                    Some(f) => p
                        .trace
                        .push(trace_fmt!("kind: close — fraction {f} ('{wording}')")),
                    None => p.trace.push(trace_fmt!(
                        "kind: close — partial, no amount given ('{wording}')"
                    )),
                }
            }
        }
    }
    p.confidence = if p.symbol.is_some() { 0.95 } else { 0.9 };
    p
}

#[cfg(test)]
mod tests;
