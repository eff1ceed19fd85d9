//! Messages the parser could not read: read as none, yet naming a symbol or a trading word and a
//! number. A provider's new format, a typo or a language the lexicon lacks must not pass for
//! chatter, or a trade the provider made is silently missed; such a reading is marked *unread*
//! with why, so that the trader can act by hand.
//!
//! A none reading is unread unless the parser positively understood the message as no trade
//! instruction: a result report, a promotion or an explicit negation. Those come back as none
//! with their own reasons, which are the only ones that keep a message quiet.

use crate::model::{Parsed, SignalKind};

use super::lexicon::Class;
use super::tokens::{self, Kind, Lexed};
use super::{Buffers, MAX_MESSAGE_BYTES, Vocabulary};

/// How a none reading's reason starts in the trace.
const NONE_PREFIX: &str = "kind: none — ";

/// The reasons for a none reading that say the message was understood as no trade instruction
/// (the beginnings of the reasons `none(…)` gives in `mod.rs` and `classify.rs`). A heads-up
/// ("USDJPY looking bullish above 155.00, wait for my signal") is one: it has no ticket, and the
/// ticket it announces will be read when it comes.
const UNDERSTOOD: &[&str] = &[
    "result report",
    "promotion",
    "negated instruction",
    "heads-up or analysis",
    "a question",
    "conditional order",
    "another channel's signal",
];

/// The reasons for a none reading that name an instruction found and refused (the beginnings of
/// the reasons `mod.rs` gives).
const REFUSED: &[&str] = &[
    "instruction not acted on",
    "a follow-up naming two symbols",
    "two instructions at once",
];

/// The most digits a target's index has (`TP12`); glued digits beyond it are a level.
const MAX_INDEX_DIGITS: usize = 2;

/// The longest word quoted in the reason: a phrase or a stretched word stays readable.
const QUOTED_CHARS: usize = 24;

/// Mark `p` unread if it should be: `text` is the normalised message, `lexed` its tokens.
pub(super) fn mark(mut p: Parsed, text: &str, lexed: &Lexed) -> Parsed {
    p.unread = unread(&p, text, lexed);
    p
}

/// A message too long to be read at all: unread if its first [`MAX_MESSAGE_BYTES`] (as much as
/// any message is read) name a symbol or a trading word and a number.
pub(super) fn mark_long(
    p: Parsed,
    text: &str,
    vocabulary: Vocabulary<'_>,
    buffers: &mut Buffers,
) -> Parsed {
    let mut end = MAX_MESSAGE_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    buffers.lex(&text[..end], vocabulary);
    mark(p, &buffers.normalized, &buffers.lexed)
}

fn unread(p: &Parsed, text: &str, lexed: &Lexed) -> Option<String> {
    if p.kind != SignalKind::None {
        return None;
    }
    let reason = none_reason(p);
    if understood(reason) {
        return None;
    }
    let names = names(text, lexed)?;
    match first_number(text, lexed) {
        Some(number) => Some(format!(
            "names {names} and {number}, read as none: {reason}"
        )),
        // An instruction found and refused needs no number to be worth the trader's eyes:
        // "Close EURUSD now, keep GOLD running", "close half when TP1 hits".
        None if refused(reason) => Some(format!("names {names}, read as none: {reason}")),
        None => None,
    }
}

/// A follow-up instruction read and not acted on (not one the provider negated: that one says
/// to do nothing).
fn refused(reason: &str) -> bool {
    REFUSED.iter().any(|r| reason.starts_with(r)) && !reason.ends_with("': negated")
}

/// The reason the reading gives for none: the last one, as a doubtful number sets an earlier
/// reading aside with a reason of its own.
fn none_reason(p: &Parsed) -> &str {
    p.trace
        .iter()
        .rev()
        .find_map(|line| line.strip_prefix(NONE_PREFIX))
        .unwrap_or("no reading")
}

/// The parser read the message and found it is no trade instruction.
fn understood(reason: &str) -> bool {
    UNDERSTOOD.iter().any(|u| reason.starts_with(u))
}

/// The words that make a message look like a trade instruction: sides, the labels of entry,
/// stop loss and take profit, and the verbs of follow-ups.
fn trading(class: Class) -> bool {
    matches!(
        class,
        Class::Side(_)
            | Class::Entry
            | Class::Sl
            | Class::Stop
            | Class::Tp
            | Class::Close
            | Class::Cancel
            | Class::Breakeven
            | Class::Move
    )
}

/// What the message names: its first symbol and its first trading word, as written
/// (`XAUUSD, 'tp'`); `None` when it names neither. The symbol as written, because reading an
/// open takes the lexed symbols' canonical names away with it.
fn names(text: &str, lexed: &Lexed) -> Option<String> {
    let raw = |t: &tokens::Token| -> String {
        let raw = text.get(t.start..t.end).unwrap_or("");
        raw.chars().take(QUOTED_CHARS).collect()
    };
    let symbol = lexed
        .tokens
        .iter()
        .find(|t| matches!(t.kind, Kind::Sym(_)))
        .map(raw);
    let word = lexed
        .tokens
        .iter()
        .find(|t| t.class.is_some_and(trading))
        .map(|t| format!("'{}'", raw(t)));
    match (symbol, word) {
        (Some(s), Some(w)) => Some(format!("{s}, {w}")),
        (s, w) => s.or(w),
    }
}

/// The first number of the message, as written; failing one of its own, digits glued to a label
/// that are too long for the index of a target (`sl4140`, not the `4` of `TP4 ✅`).
fn first_number<'t>(text: &'t str, lexed: &Lexed) -> Option<&'t str> {
    let own = lexed
        .tokens
        .iter()
        .find(|t| t.kind == Kind::Num)
        .map(|t| (t.start, t.end));
    let glued = || {
        lexed
            .tokens
            .iter()
            .filter_map(|t| t.digits)
            .find(|(start, end)| end - start > MAX_INDEX_DIGITS)
    };
    // A number is quoted as far as a price goes: a run of thousands of digits would fill the
    // status line and the phone.
    own.or_else(glued).and_then(|(start, end)| {
        let end = end.min(start + QUOTED_CHARS);
        text.get(start..end)
    })
}

#[cfg(test)]
mod tests {
    use crate::model::SignalKind;
    use crate::parse::{MAX_MESSAGE_BYTES, parse};

    /// The reason the reading gives for none, to show that a test meets the category it names.
    fn reason(text: &str) -> String {
        let p = parse(text);
        assert_eq!(p.kind, SignalKind::None, "{text}: {p:?}");
        p.trace
            .iter()
            .rev()
            .find_map(|l| l.strip_prefix(super::NONE_PREFIX))
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn a_symbol_and_a_number_read_as_none_are_unread_with_what_was_found() {
        let p = parse("XAUUSD something 2350 weird");
        assert_eq!(p.kind, SignalKind::None);
        let why = p.unread.unwrap_or_default();
        assert_eq!(
            why,
            "names XAUUSD and 2350, read as none: no buy/sell/long/short, and the levels do not show one"
        );
    }

    #[test]
    fn a_trading_word_and_a_number_without_a_symbol_are_unread() {
        let p = parse("entry 2350 sl 2340 tp 2360");
        assert_eq!(p.kind, SignalKind::None);
        let why = p.unread.unwrap_or_default();
        assert!(why.contains("'entry'") && why.contains("2350"), "{why}");
        assert!(
            why.contains("no symbol"),
            "the parser's reason is kept: {why}"
        );
    }

    #[test]
    fn digits_glued_to_a_label_are_a_number_only_when_too_long_for_an_index() {
        assert_eq!(parse("TP4 ✅").unread, None);
        // (Alone, "sl4140 tp4160" are the levels a bare call was missing: a modify; with "or"
        // between them, two alternatives are no instruction.)
        let why = parse("sl4140 or tp4160").unread.unwrap_or_default();
        assert!(why.contains("'sl4140'") && why.contains(" 4140"), "{why}");
    }

    #[test]
    fn a_heads_up_is_understood_but_a_reason_that_is_no_reading_leaves_it_unread() {
        let text = "Watch gold, a buy near 2350 is possible";
        assert!(reason(text).starts_with("heads-up"), "{}", reason(text));
        assert_eq!(parse(text).unread, None);
        let text = "XAUUSD 2350 weird";
        assert!(reason(text).starts_with("no buy/sell"), "{}", reason(text));
        assert!(parse(text).unread.is_some());
    }

    #[test]
    fn a_result_report_is_not_unread() {
        for text in [
            "TP1 hit +50 pips",
            "XAUUSD TP2 smashed ✅ 2365",
            "XAUUSD closed at breakeven, 2 trades",
        ] {
            assert!(
                reason(text).starts_with("result report"),
                "{}",
                reason(text)
            );
            assert_eq!(parse(text).unread, None, "{text}");
        }
        // The stop at breakeven reported taken is its own reading, in `mod.rs`.
        assert!(
            reason("XAUUSD closed at breakeven, 2 trades").starts_with("result report (breakeven")
        );
    }

    #[test]
    fn a_promotion_is_not_unread() {
        for text in [
            "Gold buy signals with 90% accuracy: https://t.me/goldvip",
            "Join VIP for XAUUSD buy signals, 50% off today",
        ] {
            assert!(reason(text).starts_with("promotion"), "{}", reason(text));
            assert_eq!(parse(text).unread, None, "{text}");
        }
    }

    #[test]
    fn an_explicit_negation_is_not_unread() {
        let text = "Do not close XAUUSD at 2350 yet";
        assert!(
            reason(text).starts_with("negated instruction"),
            "{}",
            reason(text)
        );
        assert_eq!(parse(text).unread, None);
    }

    /// An instruction found and refused is the trader's to carry out: unread, number or not; one
    /// the provider negated says to do nothing and stays quiet.
    #[test]
    fn a_refused_instruction_is_unread_without_a_number() {
        for text in [
            "Close EURUSD now, keep GOLD running",
            "Close half on gold when TP1 hits",
            "Remove the SL on gold",
        ] {
            let why = parse(text).unread.unwrap_or_default();
            assert!(
                why.contains("read as none: instruction not acted on"),
                "{text}: {why:?}"
            );
        }
        let negated = parse("Don't move SL to BE on gold yet");
        assert!(
            reason("Don't move SL to BE on gold yet").ends_with("': negated"),
            "{:?}",
            negated.trace
        );
        assert_eq!(negated.unread, None);
    }

    #[test]
    fn chatter_and_empty_messages_are_not_unread() {
        for text in [
            "hello everyone",
            "",
            "   ",
            "Good morning, 3 sessions today",
            "EURUSD looks calm",
        ] {
            let p = parse(text);
            assert_eq!(p.kind, SignalKind::None, "{text}");
            assert_eq!(p.unread, None, "{text}");
        }
    }

    #[test]
    fn opens_and_follow_ups_are_not_unread() {
        for (text, kind) in [
            ("XAUUSD BUY 2350 SL 2340 TP 2360", SignalKind::Open),
            ("move SL to 2345", SignalKind::Modify),
            ("close half", SignalKind::Close),
        ] {
            let p = parse(text);
            assert_eq!(p.kind, kind, "{text}: {:?}", p.trace);
            assert_eq!(p.unread, None, "{text}");
        }
    }

    #[test]
    fn a_message_too_long_to_read_is_unread_when_it_names_a_trade() {
        let long = format!("XAUUSD BUY 2350 {}", "a".repeat(MAX_MESSAGE_BYTES));
        assert!(reason(&long).starts_with("message too long"));
        let why = parse(&long).unread.unwrap_or_default();
        assert!(why.contains("XAUUSD") && why.contains("2350"), "{why}");

        let chatter = "hello ".repeat(MAX_MESSAGE_BYTES / 4);
        assert_eq!(parse(&chatter).unread, None);
        // Cut inside a character: the head is still read.
        let wide = format!("XAUUSD 2350 {}", "é".repeat(MAX_MESSAGE_BYTES));
        assert!(parse(&wide).unread.is_some());
    }

    #[test]
    fn a_message_read_again_after_a_long_one_is_judged_on_its_own_words() {
        let long = format!("XAUUSD BUY 2350 {}", "a".repeat(MAX_MESSAGE_BYTES));
        assert!(parse(&long).unread.is_some());
        assert_eq!(parse("hello everyone").unread, None);
    }
}
