//! The words a user teaches the parser, per meaning (`[parser.words]`, and a profile's own), laid
//! over the built-in lexicon.
//!
//! A user's word is spelled as the lexer reads messages (normalised, lower case, a phrase cut into
//! its words) and added to a copy of the lexicon ahead of the built-in rows, so it is matched
//! exactly like a built-in word and wins over one of the same spelling. The copy is made once, when
//! the words are read from the configuration: reading a message costs the same with words as
//! without.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::Side;

use super::lexicon::{self, Class, Lang, Lexicon, Phrase, Row};
use super::normalize::normalize;
use super::symbols::Aliases;
use super::tokens;

/// The most words and phrases one table (the global one, or a profile's) may add: a channel's
/// jargon is a handful of words, and a runaway list is more likely a mistake than a vocabulary.
pub const MAX_WORDS: usize = 200;

/// The most words in one phrase: the built-in table's longest has four.
pub const MAX_PHRASE_WORDS: usize = 6;

/// Each meaning as a configuration names it, and what it is to the parser.
const MEANINGS: &[(&str, Class)] = &[
    ("buy", Class::Side(Side::Buy)),
    ("sell", Class::Side(Side::Sell)),
    ("entry", Class::Entry),
    ("sl", Class::Sl),
    ("tp", Class::Tp),
    ("close", Class::Close),
    ("breakeven", Class::Breakeven),
    ("ignore", Class::Ignore),
    ("limit", Class::Limit),
    ("stop", Class::Stop),
    ("market", Class::Market),
    ("pips", Class::Pips),
    ("move", Class::Move),
    ("cancel", Class::Cancel),
    ("partial", Class::Partial),
    ("half", Class::Half),
    ("quarter", Class::Quarter),
    ("all", Class::All),
    ("runner", Class::Open),
    ("result", Class::Result),
    ("wait", Class::Hedge),
    ("invalid", Class::Invalid),
    ("not_ours", Class::Foreign),
    ("promo", Class::Promo),
    ("negation", Class::Negation),
    ("condition", Class::Condition),
    ("not_symbol", Class::NotTicker),
];

/// The meaning names a configuration may use, in the order the documentation gives them.
pub fn meanings() -> impl Iterator<Item = &'static str> {
    MEANINGS.iter().map(|(name, _)| *name)
}

fn class_of(meaning: &str) -> Option<Class> {
    MEANINGS
        .iter()
        .find(|(name, _)| *name == meaning)
        .map(|&(_, class)| class)
}

/// The built-in lexicon with a user's words laid over it.
#[derive(Clone, Default)]
pub struct Words {
    /// The user's words in the lexer's spelling, earlier ones winning: kept so that a profile's
    /// can be laid over them.
    rows: Vec<(Class, Vec<String>)>,
    /// The lexicon with `rows` laid over it; none without rows (the built-in one is used).
    lexicon: Option<Arc<Lexicon>>,
}

/// No words of the user's: the built-in lexicon alone.
static NONE: Words = Words {
    rows: Vec::new(),
    lexicon: None,
};

impl Words {
    /// The words of a table from meaning name to words and phrases, as `[parser.words]` gives
    /// them. What [`problems`] finds wrong is left out: the configuration refuses it before this.
    pub fn new(table: &BTreeMap<String, Vec<String>>) -> Words {
        let mut rows = Vec::new();
        for (meaning, list) in table {
            let Some(class) = class_of(meaning) else {
                continue;
            };
            for word in list {
                if let Ok(spelled) = spell(word) {
                    rows.push((class, spelled));
                }
            }
        }
        Words::of_rows(rows)
    }

    /// These words laid over `under`'s (a profile's over the global ones): a word both give means
    /// what these say.
    pub fn over(&self, under: &Words) -> Words {
        if self.is_empty() {
            return under.clone();
        }
        if under.is_empty() {
            return self.clone();
        }
        Words::of_rows(self.rows.iter().chain(&under.rows).cloned().collect())
    }

    fn of_rows(rows: Vec<(Class, Vec<String>)>) -> Words {
        if rows.is_empty() {
            return Words::default();
        }
        let lexicon = lexicon::with_rows(
            rows.iter()
                .map(|(class, words)| {
                    let words = words.iter().map(|w| Cow::Owned(w.clone())).collect();
                    (Lang::Words, *class, words)
                })
                .collect::<Vec<Row>>(),
        );
        Words {
            rows,
            lexicon: Some(Arc::new(lexicon)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn lexicon(&self) -> &Lexicon {
        self.lexicon
            .as_deref()
            .unwrap_or_else(|| lexicon::built_in())
    }

    /// [`lexicon::lookup`] in this vocabulary.
    pub(crate) fn lookup(
        &self,
        lower: &str,
        stretched: bool,
    ) -> (Option<(Class, Lang)>, &[Phrase]) {
        lexicon::lookup(self.lexicon(), lower, stretched)
    }

    /// [`lexicon::word`] in this vocabulary.
    pub(crate) fn word(&self, lower: &str) -> Option<(Class, Lang)> {
        lexicon::word(self.lexicon(), lower)
    }
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Words({})", self.rows.len())
    }
}

/// What a message is read with: the symbol aliases, and the words laid over the built-in lexicon.
/// An alias table alone reads with the built-in words.
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary<'a> {
    pub aliases: &'a Aliases,
    pub words: &'a Words,
}

impl<'a> From<&'a Aliases> for Vocabulary<'a> {
    fn from(aliases: &'a Aliases) -> Vocabulary<'a> {
        Vocabulary {
            aliases,
            words: &NONE,
        }
    }
}

/// A word or phrase as the lexer reads it in a message: its words, lower case, or what was
/// expected instead.
fn spell(word: &str) -> Result<Vec<String>, String> {
    let text = normalize(word);
    if text.trim().is_empty() {
        return Err("a word or a phrase, not an empty string".into());
    }
    if text.contains(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "a word without digits, not {word:?} (the numbers after a word are read as its levels)"
        ));
    }
    let tokens = tokens::spell(&text);
    if !tokens.iter().any(|(_, _, lower)| lower.is_some()) {
        return Err(format!("a word with letters, not {word:?}"));
    }
    // Anything the lexer leaves out of a message (emojis, `/`, `.`, `#`) or reads as no word
    // would make a word that never matches.
    let mut at = 0;
    let mut words = Vec::new();
    for (start, end, lower) in tokens {
        let gap = text.get(at..start).unwrap_or("");
        let apart = if words.is_empty() {
            gap.trim().is_empty()
        } else {
            gap.chars().all(|c| c == ' ' || c == '-')
        };
        match lower {
            Some(lower) if apart => words.push(lower),
            _ => return Err(letters_only(word)),
        }
        at = end;
    }
    if !text.get(at..).unwrap_or("").trim().is_empty() {
        return Err(letters_only(word));
    }
    if words.len() > MAX_PHRASE_WORDS {
        return Err(format!(
            "a phrase of at most {MAX_PHRASE_WORDS} words, not {} ({word:?})",
            words.len()
        ));
    }
    Ok(words)
}

fn letters_only(word: &str) -> String {
    format!(
        "letters, the words of a phrase apart by spaces or hyphens, not {word:?}: messages are read without emojis and signs such as / . #, so it would never match"
    )
}

/// Every problem with a table of words, as (the meaning it is about, what was expected). Too
/// many words are named at the meaning whose words go past the bound.
pub fn problems(table: &BTreeMap<String, Vec<String>>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<Vec<String>, &str> = BTreeMap::new();
    let total: usize = table.values().map(Vec::len).sum();
    let mut count = 0;
    for (meaning, list) in table {
        let mut problem = |expected: String| out.push((meaning.clone(), expected));
        if count <= MAX_WORDS && count + list.len() > MAX_WORDS {
            problem(format!(
                "at most {MAX_WORDS} words and phrases in one table, not {total}"
            ));
        }
        count += list.len();
        if class_of(meaning).is_none() {
            let known: Vec<&str> = meanings().collect();
            problem(format!("one of the meanings {}", known.join(", ")));
            continue;
        }
        for word in list {
            match spell(word) {
                Err(why) => problem(why),
                Ok(spelled) => match seen.get(&spelled) {
                    Some(&other) if other != meaning => problem(format!(
                        "{word:?} under one meaning only: it is also given as {other}"
                    )),
                    Some(_) => {}
                    None => {
                        seen.insert(spelled, meaning);
                    }
                },
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SignalKind;
    use crate::parse::parse_with;

    fn table(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(meaning, words)| {
                let words = words.iter().map(|w| w.to_string()).collect();
                (meaning.to_string(), words)
            })
            .collect()
    }

    fn read(text: &str, words: &Words) -> crate::model::Parsed {
        parse_with(
            text,
            Vocabulary {
                aliases: Aliases::built_in(),
                words,
            },
        )
    }

    #[test]
    fn a_users_word_changes_the_reading() {
        let text = "EURUSD pompujemy SL 1.0800 TP 1.0900";
        let without = read(text, &Words::default());
        assert_eq!(without.kind, SignalKind::None, "{without:?}");
        let words = Words::new(&table(&[("buy", &["pompujemy"])]));
        let with = read(text, &words);
        assert_eq!(with.kind, SignalKind::Open, "{with:?}");
        assert_eq!(with.side, Some(Side::Buy));
        assert!(
            with.trace
                .iter()
                .any(|l| l == "side: word pompujemy (Words)"),
            "the trace says whose word it was: {:?}",
            with.trace
        );
        // With an entry the side is read from the levels anyway; the word is then what says it.
        let text = "EURUSD pompujemy 1.0850 SL 1.0800 TP 1.0900";
        let side = |p: &crate::model::Parsed| {
            let line = p.trace.iter().find(|l| l.starts_with("side:"));
            line.cloned().unwrap_or_default()
        };
        assert!(side(&read(text, &Words::default())).contains("inferred from levels"));
        assert_eq!(side(&read(text, &words)), "side: word pompujemy (Words)");
    }

    #[test]
    fn users_words_are_matched_as_built_in_ones_are() {
        let words = Words::new(&table(&[
            ("buy", &["Kupuję"]),
            ("sl", &["stop straty"]),
            ("tp", &["ＣＥＬ"]),
        ]));
        // Case, phrases across a hyphen, full-width letters, digits glued to a label.
        let p = read(
            "EURUSD KUPUJĘ 1.0850 Stop-Straty 1.0800 cel1 1.0900 cel2 1.0950",
            &words,
        );
        assert_eq!(p.kind, SignalKind::Open, "{p:?}");
        assert_eq!(p.sl, Some(crate::model::StopLoss::Price(1.08)), "{p:?}");
        assert_eq!(p.tp.len(), 2, "{p:?}");
        assert_eq!(words.word("celll").map(|w| w.0), Some(Class::Tp));
    }

    #[test]
    fn users_words_win_over_built_in_ones_and_a_profiles_over_the_global_ones() {
        assert_eq!(
            Words::default().word("vip").map(|w| w.0),
            Some(Class::Promo)
        );
        let global = Words::new(&table(&[("ignore", &["vip"]), ("sell", &["sprzedaję"])]));
        assert_eq!(global.word("vip"), Some((Class::Ignore, Lang::Words)));
        let profile = Words::new(&table(&[("result", &["vip"])])).over(&global);
        assert_eq!(profile.word("vip").map(|w| w.0), Some(Class::Result));
        assert_eq!(
            profile.word("sprzedaję").map(|w| w.0),
            Some(Class::Side(Side::Sell)),
            "the global words stay under a profile's"
        );
        assert_eq!(
            profile.word("buy").map(|w| w.0),
            Some(Class::Side(Side::Buy))
        );
        assert_eq!(profile.rows.len(), 3);
    }

    #[test]
    fn every_meaning_has_a_class_of_its_own() {
        let names: Vec<&str> = meanings().collect();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "{name} twice");
            assert!(class_of(name).is_some());
        }
        for required in [
            "buy",
            "sell",
            "entry",
            "sl",
            "tp",
            "close",
            "breakeven",
            "ignore",
        ] {
            assert!(names.contains(&required), "{required}");
        }
    }

    #[test]
    fn words_that_could_never_match_are_refused() {
        let bad = table(&[
            ("buy", &["", "tp1", "!!", "s/l", "🚀 long", "a b c d e f g"]),
            ("sell", &["sprzedaj"]),
            ("tp", &["Sprzedaj"]),
            ("byu", &["x"]),
        ]);
        let found = problems(&bad);
        let about = |needle: &str| found.iter().filter(|(_, why)| why.contains(needle)).count();
        assert_eq!(about("not an empty string"), 1, "{found:?}");
        assert_eq!(about("without digits"), 1, "{found:?}");
        assert_eq!(about("with letters"), 1, "{found:?}");
        assert_eq!(about("apart by spaces"), 2, "{found:?}");
        assert_eq!(about("a phrase of at most"), 1, "{found:?}");
        assert_eq!(about("also given as sell"), 1, "{found:?}");
        assert_eq!(about("one of the meanings buy, sell"), 1, "{found:?}");
        assert_eq!(found.len(), 8, "{found:?}");
        // What is refused is left out of the words, the rest kept.
        assert_eq!(Words::new(&bad).rows.len(), 2);

        let many: Vec<String> = (0..=MAX_WORDS)
            .map(|i| format!("w{}", "a".repeat(i)))
            .collect();
        let found = problems(&BTreeMap::from([("ignore".to_string(), many)]));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "ignore");
    }
}
