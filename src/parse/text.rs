//! Character tests, case folding and table hashing on the lexer's hot path.
//!
//! Each function here gives exactly the answer of the standard library call it replaces; it only
//! avoids the per-character Unicode table searches that made reading a message cost thousands of
//! instructions per word.

use std::sync::LazyLock;

/// FxHash (the `rustc-hash` crate): the tables are built from our vocabulary and a config's
/// aliases, never from message text, so SipHash's resistance to chosen keys buys nothing here, and
/// it was a large part of every word's lookup.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Code points below this are answered from a bitmap: Latin, Greek, Cyrillic, Hebrew, Arabic and
/// Persian letters, which is nearly all the non-ASCII text channels write.
const TABLE_END: u32 = 0x800;

/// The other things channels write a lot of: punctuation, arrows, symbols, box drawing, dingbats
/// and pictographs (but the dingbat digits ❶–➓). None of these holds a letter or a digit.
const NOT_LETTERS: [std::ops::RangeInclusive<u32>; 5] = [
    0x2000..=0x206F,
    0x2190..=0x245F,
    0x2500..=0x2775,
    0x2794..=0x2BFF,
    0x1F300..=0x1FAFF,
];

fn not_letter(u: u32) -> bool {
    NOT_LETTERS.iter().any(|r| r.contains(&u))
}

const WORDS: usize = TABLE_END as usize / 64;

/// Not a character: the lower case is several characters (`İ` → `i̇`).
const SEVERAL: u32 = u32::MAX;

pub(crate) struct Classes {
    alphabetic: [u64; WORDS],
    alphanumeric: [u64; WORDS],
    /// Each code point's lower case when it is one character, else `SEVERAL`.
    lower: [u32; TABLE_END as usize],
}

fn single(mut mapped: impl Iterator<Item = char>) -> u32 {
    match (mapped.next(), mapped.next()) {
        (Some(c), None) => c as u32,
        _ => SEVERAL,
    }
}

/// Built from the standard library's own answers, so the bitmap cannot disagree with it.
static CLASSES: LazyLock<Classes> = LazyLock::new(|| {
    let mut c = Classes {
        alphabetic: [0; WORDS],
        alphanumeric: [0; WORDS],
        lower: [SEVERAL; TABLE_END as usize],
    };
    for u in 0..TABLE_END {
        let Some(ch) = char::from_u32(u) else {
            continue;
        };
        // Turkish `İ` and `ı` are `i`: "LİMİT" is "limit", and "ALIŞ" (which case-folds to
        // "aliş") is "alış". The standard library gives `i̇` for `İ`, two characters that match
        // no word.
        c.lower[u as usize] = if ch == 'İ' || ch == 'ı' {
            'i' as u32
        } else if ch == 'ς' {
            // Greek's word-final sigma: "ΣΤΟΧΟΣ" and "στόχος" are one word.
            'σ' as u32
        } else if let Some(plain) = greek_plain(ch) {
            // Greek capitals drop the accent: "ΠΟΥΛΑΩ" is "πουλάω".
            plain as u32
        } else {
            single(ch.to_lowercase())
        };
        let (word, bit) = ((u / 64) as usize, 1u64 << (u % 64));
        if ch.is_alphabetic() {
            c.alphabetic[word] |= bit;
        }
        if ch.is_alphanumeric() {
            c.alphanumeric[word] |= bit;
        }
    }
    c
});

/// A Greek vowel with an accent or a diaeresis, as the plain lower-case vowel.
pub(crate) fn greek_plain(c: char) -> Option<char> {
    Some(match c {
        'ά' | 'Ά' => 'α',
        'έ' | 'Έ' => 'ε',
        'ή' | 'Ή' => 'η',
        'ί' | 'Ί' | 'ΐ' | 'ϊ' | 'Ϊ' => 'ι',
        'ό' | 'Ό' => 'ο',
        'ύ' | 'Ύ' | 'ΰ' | 'ϋ' | 'Ϋ' => 'υ',
        'ώ' | 'Ώ' => 'ω',
        _ => return None,
    })
}

/// A one-bit summary of every key of a table: its first two bytes, its last byte and its length.
/// A word whose summary is not set is not in the table, which a bit test tells faster than
/// hashing the word; most words of a message are in neither the vocabulary nor the aliases.
#[derive(Clone)]
pub(crate) struct Heads(Box<[u64; 1024]>);

impl Heads {
    pub(crate) fn new<'a>(keys: impl IntoIterator<Item = &'a str>) -> Heads {
        let mut heads = Heads(Box::new([0; 1024]));
        for key in keys {
            let at = summary(key.as_bytes(), &[]);
            heads.0[at / 64] |= 1 << (at % 64);
        }
        heads
    }

    fn has(&self, at: usize) -> bool {
        self.0[at / 64] & (1 << (at % 64)) != 0
    }

    /// Whether `key` may be in the table.
    pub(crate) fn may_hold(&self, key: &str) -> bool {
        self.has(summary(key.as_bytes(), &[]))
    }

    /// Whether `a` and `b` written together may be in the table.
    pub(crate) fn may_hold_joined(&self, a: &str, b: &str) -> bool {
        self.has(summary(a.as_bytes(), b.as_bytes()))
    }
}

/// The summary of `a` followed by `b`, a bit index below 65,536.
fn summary(a: &[u8], b: &[u8]) -> usize {
    let at = |i: usize| a.get(i).or_else(|| b.get(i.wrapping_sub(a.len()))).copied();
    let len = a.len() + b.len();
    let last = len.checked_sub(1).and_then(at).unwrap_or(0);
    let (first, second) = (at(0).unwrap_or(0), at(1).unwrap_or(0));
    let mixed = (usize::from(first) << 8 | usize::from(second))
        .wrapping_mul(0x9E37)
        .wrapping_add(usize::from(last).wrapping_mul(0x85EB))
        .wrapping_add(len.wrapping_mul(0xC2B3));
    mixed & 0xFFFF
}

impl std::fmt::Debug for Heads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        write!(f, "Heads({n})")
    }
}

fn in_table(table: &[u64], u: u32) -> bool {
    table[(u / 64) as usize] & (1u64 << (u % 64)) != 0
}

/// The tables, for a loop over many characters to fetch once.
pub(crate) fn classes() -> &'static Classes {
    &CLASSES
}

impl Classes {
    /// `c.is_alphabetic()`.
    #[inline]
    pub(crate) fn is_alphabetic(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            c.is_ascii_alphabetic()
        } else if u < TABLE_END {
            in_table(&self.alphabetic, u)
        } else {
            !not_letter(u) && c.is_alphabetic()
        }
    }

    /// `c.is_alphanumeric()`.
    #[inline]
    pub(crate) fn is_alphanumeric(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            c.is_ascii_alphanumeric()
        } else if u < TABLE_END {
            in_table(&self.alphanumeric, u)
        } else {
            !not_letter(u) && c.is_alphanumeric()
        }
    }

    /// Append `c`'s lower case, and return the one character it is: the lexer compares letters
    /// by it. That is `c.to_lowercase()`, except Turkish `İ` and `ı`, which are `i`, Greek
    /// final `ς`, which is `σ`, and Greek accented vowels, which are plain.
    #[inline]
    pub(crate) fn push_lower(&self, out: &mut String, c: char) -> char {
        let one = self.lower.get(c as usize).copied().unwrap_or(SEVERAL);
        match char::from_u32(one) {
            Some(l) => {
                out.push(l);
                l
            }
            None => {
                out.extend(c.to_lowercase());
                c
            }
        }
    }
}

/// The months' names in English, and their abbreviations.
/// "My", "our" in the languages: whose the trade or position named after it is.
pub(crate) const OURS: &[&str] = &[
    "my", "our", "mon", "ma", "mi", "meu", "minha", "mein", "meine", "meinen", "unser", "unseren",
    "мой", "мою", "моя", "наш", "наша", "mio", "nostro", "benim", "nuestro", "nuestra", "nosso",
    "nossa", "notre",
];

/// Words before a day that put it in the past ("from last Tuesday", "depuis lundi").
pub(crate) const SINCE: &[&str] = &["from", "since", "last", "past", "desde", "depuis", "seit"];

pub(crate) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    // The abbreviations ("a Dec cut"), not "mar" and "may" (words of their own).
    "jan",
    "feb",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Whether `raw`, lower-cased, is one of `words` (written in lower case) — with no copy of it:
/// most words differ at the first letter.
pub(crate) fn one_of(raw: &str, words: &[&str]) -> bool {
    if raw.is_ascii() {
        words
            .iter()
            .any(|w| w.len() == raw.len() && raw.eq_ignore_ascii_case(w))
    } else {
        let first = raw
            .chars()
            .next()
            .map(|c| c.to_lowercase().next().unwrap_or(c));
        words.iter().any(|w| {
            w.chars().next() == first && raw.chars().flat_map(char::to_lowercase).eq(w.chars())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_the_standard_library_does() {
        for u in 0..0x3_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            assert_eq!(classes().is_alphabetic(c), c.is_alphabetic(), "{u:x}");
            assert_eq!(classes().is_alphanumeric(c), c.is_alphanumeric(), "{u:x}");
            let mut low = String::new();
            classes().push_lower(&mut low, c);
            let expected = if c == 'İ' || c == 'ı' {
                "i".to_string()
            } else if c == 'ς' {
                "σ".to_string()
            } else if let Some(plain) = greek_plain(c) {
                plain.to_string()
            } else {
                c.to_lowercase().collect::<String>()
            };
            assert_eq!(low, expected, "{u:x}");
        }
    }

    #[test]
    fn heads_never_turn_away_a_key_of_the_table() {
        let heads = Heads::new(["gold", "xauusd", "a", "ذهب"]);
        for key in ["gold", "xauusd", "a", "ذهب"] {
            assert!(heads.may_hold(key), "{key}");
        }
        assert!(heads.may_hold_joined("g", "old"));
        assert!(heads.may_hold_joined("xau", "usd"));
        assert!(heads.may_hold_joined("", "gold"));
        assert!(heads.may_hold_joined("xauus", "d"));
        for other in ["buy", "golf", "golds", "xauusd1", "ذه", ""] {
            assert!(!heads.may_hold(other), "{other}");
        }
        assert!(!heads.may_hold_joined("b", "uy"));
    }

    #[test]
    fn hashes_tell_keys_apart() {
        let mut m: FastMap<&str, usize> = FastMap::default();
        for (i, k) in ["", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh\0"]
            .iter()
            .enumerate()
        {
            m.insert(k, i);
        }
        assert_eq!(m.get("abcdefghi"), Some(&4));
        assert_eq!(m.get("abcdefgh"), Some(&3));
        assert_eq!(m.len(), 6);
    }
}
