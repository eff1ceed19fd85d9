//! One pass over the normalised text: numbers, words (with their lexicon meaning, phrases merged),
//! symbols, `@`, `%` and line breaks. Everything else (emojis, punctuation) is left out of the
//! stream; the rules that care about a separator look at the text between two tokens.

use super::lexicon::{self, Class, Lang};
use super::symbols::{Aliases, How, SymbolHit, known, known_pair};
use super::text::{Classes, classes};
use super::unspaced;
use super::words::Words;
use crate::model::Side;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Nl,
    Num,
    Word,
    /// A symbol: index into [`Lexed::symbols`].
    Sym(usize),
    At,
    Pct,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: Kind,
    /// A word's meaning, if the lexicon knows it.
    pub class: Option<Class>,
    pub lang: Option<Lang>,
    /// Byte span in the normalised text (a phrase spans all its words).
    pub start: usize,
    pub end: usize,
    pub line: usize,
    /// Digits glued to a label word: `TP1` → `1`, `sl4140` → `4140` (byte span).
    pub digits: Option<(usize, usize)>,
}

impl Token {
    pub(crate) fn is(&self, class: Class) -> bool {
        self.class == Some(class)
    }
}

/// A lexed message.
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub symbols: Vec<SymbolHit>,
    /// The message writes decimals with a comma somewhere (`0,97`): `1,105` is then 1.105.
    pub decimal_comma: bool,
    /// The message writes thousands with a dot ("Stopp nachziehen auf 24.420"): see
    /// [`dot_thousands`].
    pub dot_thousands: bool,
    /// The languages of the message's words (see [`Lexed::speaks`]).
    langs: Langs,
}

/// A set of languages, one bit each: room for 128, so a new language is one more variant.
#[derive(Debug, Default, Clone, Copy)]
struct Langs(u128);

// `Words` is the last language: the build fails before the set runs out of bits.
const _: () = assert!((Lang::Words as u32) < u128::BITS);

impl Langs {
    fn has(self, lang: Lang) -> bool {
        self.0 & 1 << lang as u32 != 0
    }

    fn with(self, lang: Lang) -> Self {
        Self(self.0 | 1 << lang as u32)
    }
}

impl Lexed {
    /// Some word of the message is in `lang`.
    pub(crate) fn speaks(&self, lang: Lang) -> bool {
        self.langs.has(lang)
    }

    pub(crate) fn speaks_any(&self, langs: &[Lang]) -> bool {
        langs.iter().any(|&l| self.speaks(l))
    }

    /// How many of the message's words are in one of `langs`.
    fn words_in(&self, langs: &[Lang]) -> usize {
        self.tokens
            .iter()
            .filter(|t| t.lang.is_some_and(|l| langs.contains(&l)))
            .count()
    }
}

/// A combining mark inside a word: Latin accents, Arabic vowel signs, and the vowel signs and
/// viramas of the Indic scripts ("स्टॉप" is one word, not three); their danda ends a sentence.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
        || (0x0900..=0x0DFF).contains(&(c as u32)) && !matches!(c, '\u{0964}' | '\u{0965}')
}

/// A word's forms, made while it is scanned: byte spans into [`Scan::forms`].
#[derive(Debug, Clone, Copy, Default)]
struct Forms {
    lower: (usize, usize),
    /// The alias key (letters and digits only): the lower case itself unless the word has an
    /// apostrophe or a combining mark.
    key: (usize, usize),
    /// Where label digits glued to letters start in the lower case (`tp1` → 2).
    digits_at: Option<usize>,
    /// Three of the same letter in a row ("breakevennnn").
    stretched: bool,
}

/// The raw pass: spans of numbers, words, `@`, `%`, line breaks, and every word's forms. Kept
/// from one message to the next so that its buffers are allocated once.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    tokens: Vec<Token>,
    /// One per token; words only have non-empty ones.
    forms: Vec<Forms>,
    /// Every word's lower case and key, one after another.
    text: String,
}

impl Scan {
    fn lower(&self, k: usize) -> &str {
        self.form(k, |f| f.lower)
    }

    fn key(&self, k: usize) -> &str {
        self.form(k, |f| f.key)
    }

    fn form(&self, k: usize, span: impl Fn(&Forms) -> (usize, usize)) -> &str {
        self.forms
            .get(k)
            .map(span)
            .and_then(|(a, b)| self.text.get(a..b))
            .unwrap_or("")
    }
}

/// ASCII bytes that are no token and start none: all but letters, digits, `@`, `%` and
/// the line break.
static SKIPPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = !(c.is_ascii_alphanumeric() || matches!(c, b'@' | b'%' | b'\n'));
        b += 1;
    }
    t
};

/// One pass over the text: it steps over bytes, decodes a character only where the text is not
/// ASCII, and lower-cases each word as it goes.
fn scan(text: &str, cls: &Classes, out: &mut Scan) {
    out.tokens.clear();
    out.forms.clear();
    out.text.clear();
    let bytes = text.as_bytes();
    let mut line = 0;
    let mut i = 0;
    while i < bytes.len() {
        let tok = |kind, end| Token {
            kind,
            class: None,
            lang: None,
            start: i,
            end,
            line,
            digits: None,
        };
        let b = bytes[i];
        // Spaces and ASCII punctuation between tokens: stepped over a run at a time.
        if SKIPPED[usize::from(b)] {
            i += bytes[i..]
                .iter()
                .position(|&c| !SKIPPED[usize::from(c)])
                .unwrap_or(bytes.len() - i);
            continue;
        }
        let (token, forms) = if b == b'\n' {
            (tok(Kind::Nl, i + 1), Forms::default())
        } else if b.is_ascii_digit() {
            // `\d+(?:[.,]\d+)*`
            let mut end = i + 1;
            loop {
                while end < bytes.len() && bytes[end].is_ascii_digit() {
                    end += 1;
                }
                if end + 1 < bytes.len()
                    && (bytes[end] == b'.' || bytes[end] == b',')
                    && bytes[end + 1].is_ascii_digit()
                {
                    end += 1;
                } else {
                    break;
                }
            }
            // "Stop no 0x0", "stop no 0 a 0": Brazilian traders' breakeven, a score of nil to
            // nil, read as `BE`.
            let score = [&b"x0"[..], b" x 0", b" a 0"]
                .iter()
                .find(|s| bytes.get(end..end + s.len()) == Some(s))
                .map(|s| s.len());
            if end == i + 1
                && b == b'0'
                && let Some(score) = score
                && !bytes
                    .get(end + score)
                    .is_some_and(u8::is_ascii_alphanumeric)
                && !(i > 0 && bytes[i - 1].is_ascii_alphanumeric())
            {
                let at = out.text.len();
                out.text.push_str("be");
                out.tokens.push(tok(Kind::Word, end + score));
                out.forms.push(Forms {
                    lower: (at, at + 2),
                    key: (at, at + 2),
                    digits_at: None,
                    stretched: false,
                });
                i = end + score;
                continue;
            }
            if let Some(end) = time_or_date_end(bytes, i, end) {
                // `14:30`, `12/11/2026`, `2026-11-18`: when, never a price.
                i = end;
                continue;
            }
            let end = grouped_end(bytes, i, end);
            // "%50'sini", "4100'den": a Turkish case ending on a number is part of it.
            if bytes.get(end) == Some(&b'\'') {
                let suffix = text[end + 1..]
                    .char_indices()
                    .find(|&(_, c)| !c.is_alphabetic())
                    .map_or(text.len() - end - 1, |(k, _)| k);
                if suffix > 0 {
                    out.tokens.push(tok(Kind::Num, end));
                    out.forms.push(Forms::default());
                    i = end + 1 + suffix;
                    continue;
                }
            }
            (tok(Kind::Num, end), Forms::default())
        } else if b == b'@' {
            (tok(Kind::At, i + 1), Forms::default())
        } else if b == b'%' {
            (tok(Kind::Pct, i + 1), Forms::default())
        } else if !b.is_ascii() && text[i..].starts_with(unspaced::is_unspaced) {
            // Thai, Chinese, Japanese: the run's words, cut by the vocabulary.
            let end = unspaced::run_end(text, i);
            unspaced::cut(&text[i..end], |a, b| {
                let word = &text[i + a..i + b];
                let at = out.text.len();
                out.text.push_str(word);
                let lower = (at, out.text.len());
                out.text
                    .extend(word.chars().filter(|&c| cls.is_alphanumeric(c)));
                out.tokens.push(Token {
                    kind: Kind::Word,
                    class: None,
                    lang: None,
                    start: i + a,
                    end: i + b,
                    line,
                    digits: None,
                });
                out.forms.push(Forms {
                    lower,
                    key: (lower.1, out.text.len()),
                    digits_at: None,
                    stretched: false,
                });
            });
            i = end;
            continue;
        } else if b.is_ascii_alphabetic()
            || (!b.is_ascii() && text[i..].starts_with(|c: char| cls.is_alphabetic(c)))
        {
            let (end, forms) = scan_word(text, i, cls, &mut out.text);
            (tok(Kind::Word, end), forms)
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        i = token.end;
        if token.kind == Kind::Nl {
            line += 1;
        }
        out.tokens.push(token);
        out.forms.push(forms);
    }
}

/// Where a time (`14:30`, `9:05:30`) or a date (`12/11/2026`, `2026-11-18`, `18.11.26`) that starts
/// at `start` ends, if one does; `end` is where the digit pattern stopped.
fn time_or_date_end(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let digits_from = |k: usize| (k..).take_while(|&j| digit(j)).count();
    let first = end - start;
    // "jam 22.00 WIB", "14.30 GMT": a time written with a dot, named one by its zone or by the
    // word for "o'clock" before it (not "at": "at 12.45" is a price).
    if first == 5 && bytes[start + 2] == b'.' {
        let hour = (bytes[start] - b'0') * 10 + bytes[start + 1] - b'0';
        let minute = (bytes[start + 3] - b'0') * 10 + bytes[start + 4] - b'0';
        let rest = &bytes[end..];
        let rest = &rest[rest.iter().take_while(|&&b| b == b' ').count()..];
        let zone = [
            "WIB", "WITA", "WIT", "GMT", "UTC", "EST", "EDT", "CET", "CEST", "MSK", "IST", "SGT",
            "PHT", "WAT", "SAST",
        ]
        .iter()
        .any(|z| {
            rest.starts_with(z.as_bytes())
                && !rest.get(z.len()).is_some_and(u8::is_ascii_alphabetic)
        });
        let head = bytes[..start].trim_ascii_end();
        let word = ["jam", "pukul", "lúc"].iter().any(|w| {
            head.len() >= w.len()
                && head[head.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
                && (head.len() == w.len() || !head[head.len() - w.len() - 1].is_ascii_alphabetic())
        });
        if hour < 24 && minute < 60 && (zone || word) {
            return Some(end);
        }
    }
    // A time: one or two digits, then `:` and exactly two digits, once or twice.
    if (1..=2).contains(&first) && bytes.get(end) == Some(&b':') && digits_from(end + 1) == 2 {
        let mut at = end + 3;
        if bytes.get(at) == Some(&b':') && digits_from(at + 1) == 2 {
            at += 3;
        }
        return (!digit(at)).then_some(at);
    }
    // A date: three groups joined by one separator, the middle one or two digits, a year of four
    // digits first or last (or two last, after two groups of one or two).
    let run = &bytes[start..];
    let sep = *run.get(digits_from(start))?;
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let mut groups = [0usize; 3];
    let mut at = 0;
    for (k, g) in groups.iter_mut().enumerate() {
        let n = digits_from(start + at);
        if n == 0 {
            return None;
        }
        *g = n;
        at += n;
        if k < 2 {
            if run.get(at) != Some(&sep) {
                return None;
            }
            at += 1;
        }
    }
    // No group of a date or a year is longer than four digits ("0.4300000000.0" is none).
    if groups.iter().any(|&g| g > 4) {
        return None;
    }
    let [a, b, c] = groups;
    let value = |from: usize, n: usize| {
        bytes[from..from + n]
            .iter()
            .fold(0u32, |v, d| v * 10 + u32::from(d - b'0'))
    };
    let (x, y, z) = (
        value(start, a),
        value(start + a + 1, b),
        value(start + a + b + 2, c),
    );
    let sep = bytes[start + a];
    // Year first (2026-11-18), or day and month first with a year of four digits, or of two
    // after `.` or `/` (`18.11.26`; `20-40-60` is a ladder).
    let date = (1..=2).contains(&b)
        && ((a == 4 && (1..=12).contains(&y) && (1..=31).contains(&z) && (1..=2).contains(&c))
            || ((1..=2).contains(&a)
                && (1..=31).contains(&x)
                && (1..=31).contains(&y)
                // One of day and month is a month ("15/30/45" is a pip ladder).
                && (x <= 12 || y <= 12)
                && (c == 4 || (c == 2 && sep != b'-'))));
    let len = a + b + c + 2;
    (date && !digit(start + len)).then_some(start + len)
}

/// Where a number that the digit pattern ended at `end` really ends: `96 500` (thousands written
/// with a space, each group three digits) and `91k2`, `93k` (thousands written with a `k`) are
/// one number each.
fn grouped_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let digits_from = |k: usize| (k..).take_while(|&j| digit(j)).count();
    let plain = (start..end).all(digit) && !(start > 0 && matches!(bytes[start - 1], b'.' | b','));
    // `91k2`, `68k8`, `93k`, `55.5k`: a `k`, at most three digits, and the number ends there;
    // Russian writes the Cyrillic `к` (`112.4к`, two bytes).
    let k_len = match bytes.get(end) {
        Some(b'k' | b'K') => 1,
        Some(0xD0) if matches!(bytes.get(end + 1), Some(0xBA | 0x9A)) => 2,
        _ => 0,
    };
    if k_len > 0 {
        let tail = digits_from(end + k_len);
        let after = end + k_len + tail;
        // Not a word glued on ("5км"): a letter, Latin or Cyrillic, after the `k`.
        let ends = bytes.get(after).is_none_or(|b| {
            !(b.is_ascii_alphanumeric()
                || matches!(b, 0xD0 | 0xD1)
                || matches!(b, b'.' | b',') && digit(after + 1))
        });
        if tail <= 3 && ends && (tail > 0 || !bytes[start..end].contains(&b',')) {
            return after;
        }
    }
    if !plain || end - start > 3 {
        return end;
    }
    // `96 500`, `1 250 000`: groups of exactly three digits after one space each.
    let mut at = end;
    while bytes.get(at) == Some(&b' ') && digits_from(at + 1) == 3 {
        let group_end = at + 4;
        let next = bytes.get(group_end);
        if next.is_some_and(|b| b.is_ascii_alphabetic()) {
            break;
        }
        at = group_end;
        if matches!(next, Some(b'.' | b',')) && digit(group_end + 1) {
            return group_end + 1 + digits_from(group_end + 1);
        }
    }
    at
}

/// Each token of a normalised text, as its span and, for a word, its lower case: how the lexer
/// sees a word a user adds to the vocabulary.
pub(crate) fn spell(text: &str) -> Vec<(usize, usize, Option<String>)> {
    let mut out = Scan::default();
    scan(text, classes(), &mut out);
    let words = out.tokens.iter().enumerate().map(|(k, t)| {
        let lower = (t.kind == Kind::Word).then(|| out.lower(k).to_string());
        (t.start, t.end, lower)
    });
    words.collect()
}

/// Scan the word that starts at `start` (a letter): letters, digits, combining marks, and an
/// apostrophe followed by a letter (`don't`). Its lower case, and its key when that differs, go
/// to `forms`.
fn scan_word(text: &str, start: usize, cls: &Classes, forms: &mut String) -> (usize, Forms) {
    let bytes = text.as_bytes();
    let at = forms.len();
    // Most words are ASCII letters and digits ending at ASCII punctuation or a space: copied and
    // lower-cased in one go.
    let run_end = bytes[start..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .map_or(bytes.len(), |n| start + n);
    if bytes
        .get(run_end)
        .is_none_or(|&b| b.is_ascii() && b != b'\'')
    {
        forms.push_str(&text[start..run_end]);
        forms[at..].make_ascii_lowercase();
        // One pass over the lowered word: where its digits start if only digits follow, and
        // whether a letter comes three times in a row.
        let (mut first_digit, mut digits_only_since, mut stretched) = (None, false, false);
        let (mut prev, mut run) = (0u8, 0);
        for (k, &b) in forms.as_bytes()[at..].iter().enumerate() {
            if b.is_ascii_digit() {
                if first_digit.is_none() {
                    first_digit = Some(k);
                    digits_only_since = true;
                }
            } else {
                digits_only_since = false;
            }
            run = if b == prev { run + 1 } else { 0 };
            stretched |= run >= 2;
            prev = b;
        }
        let lower = (at, forms.len());
        let forms = Forms {
            lower,
            key: lower,
            digits_at: first_digit.filter(|&d| d > 0 && digits_only_since),
            stretched,
        };
        return (run_end, forms);
    }
    let mut end = start;
    let mut plain = true;
    let mut first_digit = None;
    let mut digits_only_since = false;
    let (mut prev, mut run, mut stretched) = ('\0', 0, false);
    while let Some(&b) = bytes.get(end) {
        let lowered = if b.is_ascii_alphanumeric() {
            let l = char::from(b.to_ascii_lowercase());
            forms.push(l);
            end += 1;
            l
        } else if b == b'\'' {
            if !text[end + 1..].starts_with(|a: char| cls.is_alphabetic(a)) {
                break;
            }
            forms.push('\'');
            plain = false;
            end += 1;
            '\''
        } else if b.is_ascii() {
            break;
        } else {
            let Some(d) = char_at(text, end) else {
                break;
            };
            // "ETH空单先平一半": a name glued to Chinese, Japanese or Thai ends where they begin,
            // which are cut into words of their own.
            if end > start && unspaced::is_unspaced(d) {
                break;
            }
            end += d.len_utf8();
            if cls.is_alphanumeric(d) {
                cls.push_lower(forms, d)
            } else if is_mark(d) {
                forms.push(d);
                plain = false;
                d
            } else {
                end -= d.len_utf8();
                break;
            }
        };
        if lowered.is_ascii_digit() {
            if first_digit.is_none() {
                first_digit = Some(forms.len() - 1 - at);
                digits_only_since = true;
            }
        } else {
            digits_only_since = false;
        }
        if lowered == prev {
            run += 1;
            stretched |= run >= 2;
        } else {
            run = 0;
            prev = lowered;
        }
    }
    // "Tейк": Latin letters that look Cyrillic, typed inside a Cyrillic word.
    let word = forms.get(at..).unwrap_or("");
    if word.bytes().any(|b| b.is_ascii_alphabetic())
        && word.chars().any(|c| ('\u{0400}'..='\u{04ff}').contains(&c))
    {
        let folded: String = word.chars().map(cyrillic_lookalike).collect();
        forms.truncate(at);
        forms.push_str(&folded);
        first_digit = folded.find(|c: char| c.is_ascii_digit());
        plain = false;
    }
    let lower = (at, forms.len());
    let key = if plain {
        lower
    } else {
        let word = forms.get(at..).unwrap_or("").to_string();
        let from = forms.len();
        forms.extend(word.chars().filter(|&c| cls.is_alphanumeric(c)));
        (from, forms.len())
    };
    let forms = Forms {
        lower,
        key,
        digits_at: first_digit.filter(|&d| d > 0 && digits_only_since),
        stretched,
    };
    (end, forms)
}

/// The character that starts at byte `at`. Two-byte characters (accented Latin, Greek, Cyrillic,
/// Hebrew, Arabic: nearly all the non-ASCII letters channels write) are decoded in place, without
/// the general decoder's checks; a lead byte in `C2..=DF` of valid UTF-8 always has its
/// continuation byte after it.
#[inline]
fn char_at(text: &str, at: usize) -> Option<char> {
    let bytes = text.as_bytes();
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(&b @ 0xC2..=0xDF), Some(&n)) => {
            char::from_u32(u32::from(b & 0x1F) << 6 | u32::from(n & 0x3F))
        }
        _ => text.get(at..)?.chars().next(),
    }
}

/// The Cyrillic letter a lower-case Latin one stands for in a Cyrillic word.
fn cyrillic_lookalike(c: char) -> char {
    match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'k' => 'к',
        'm' => 'м',
        'o' => 'о',
        'p' => 'р',
        't' => 'т',
        'x' => 'х',
        'y' => 'у',
        c => c,
    }
}

/// The meaning of a word, and the span of label digits glued to it (`TP1`, `هدف2`, `sl4140`).
type Span = (usize, usize);

/// A word's meaning alone (`hit`, from [`lexicon::lookup`]); failing that, a label with digits
/// glued to it, split at `digits_at`.
fn label_with_digits(
    words: &Words,
    lower: &str,
    hit: Option<(Class, Lang)>,
    digits_at: Option<usize>,
) -> (Option<(Class, Lang)>, Option<Span>) {
    if hit.is_some() {
        return (hit, None);
    }
    let Some(at) = digits_at else {
        return (None, None);
    };
    let prefix = lower.get(..at).unwrap_or("");
    let hit = if prefix == "t" && lower.len() - at == 1 {
        Some((Class::Tp, Lang::En))
    } else {
        words.word(prefix)
    };
    match hit {
        Some(hit @ (Class::Sl | Class::Tp | Class::Entry | Class::Stop | Class::Side(_), _)) => {
            (Some(hit), Some((at, lower.len())))
        }
        _ => (None, None),
    }
}

/// Where ASCII digits that end a word begin, if letters come first (`sl4140` → 2).
fn digits_at(word: &str) -> Option<usize> {
    let at = word.find(|c: char| c.is_ascii_digit())?;
    (at > 0 && word[at..].bytes().all(|b| b.is_ascii_digit())).then_some(at)
}

/// The text between two tokens is only spaces (and at most one of `allowed`).
fn gap_is(text: &str, from: usize, to: usize, allowed: &[u8], max_spaces: usize) -> bool {
    let Some(gap) = text.as_bytes().get(from..to) else {
        return false;
    };
    // At most one separator and `max_spaces` spaces: a longer gap is none.
    if gap.len() > max_spaces + 1 {
        return false;
    }
    let mut seps = 0;
    let mut spaces = 0;
    for &b in gap {
        if b == b' ' {
            spaces += 1;
        } else if allowed.contains(&b) {
            seps += 1;
        } else {
            return false;
        }
    }
    seps <= 1 && spaces <= max_spaces
}

/// Lex a normalised message into `out`, with `scan` for the raw pass (both reusable).
pub(crate) fn lex(text: &str, aliases: &Aliases, words: &Words, scan: &mut Scan, out: &mut Lexed) {
    let cls = classes();
    self::scan(text, cls, scan);
    let scan = &*scan;
    let raw = &scan.tokens;
    // For joining two keys or two words, reused by every word.
    let mut scratch = String::new();
    out.tokens.clear();
    out.symbols.clear();
    let mut i = 0;
    while i < raw.len() {
        let t = &raw[i];
        if t.kind != Kind::Word {
            out.tokens.push(*t);
            i += 1;
            continue;
        }
        let next_word = |k: usize| {
            raw.get(k)
                .filter(|n| n.kind == Kind::Word && n.line == t.line)
        };

        // An index named with its number apart: "NASDAQ 100", "US 30", "GER-40" (a little word
        // in lower case is no index: "Parcial de 40%"). Indices carry few numbers: most words
        // before a number are labels of a level ("SL 4090"), looked at no further.
        if let Some(n) = raw.get(i + 1).filter(|n| {
            n.kind == Kind::Num
                && n.line == t.line
                && matches!(
                    &text[n.start..n.end],
                    "30" | "35" | "40" | "50" | "100" | "200" | "225" | "500" | "2000"
                )
                && gap_is(text, t.end, n.start, b"-", 1)
                && text[t.start..t.end].starts_with(|c: char| c.is_ascii_uppercase())
                && !text[n.end..].starts_with('%')
        }) {
            scratch.clear();
            scratch.push_str(scan.key(i));
            scratch.push_str(&text[n.start..n.end]);
            if let Some((canonical, how @ How::Alias)) = known(aliases, &scratch) {
                push_symbol(out, t, n.end, text, canonical, how);
                i += 2;
                continue;
            }
        }
        // Two words that are one symbol: `EUR/USD`, `CTK / USDT`, `Dow Jones`.
        if let Some(n) = next_word(i + 1)
            && gap_is(text, t.end, n.start, b"/-", 3)
        {
            let slash = text[t.end..n.start].contains('/');
            // "للباوند دولار": Arabic's "for the" written onto the first word.
            if let Some((canonical, how)) =
                known_pair(aliases, scan.key(i), scan.key(i + 1), slash, &mut scratch).or_else(
                    || {
                        let stem = arabic_stem(scan.key(i))?;
                        known_pair(aliases, stem, scan.key(i + 1), slash, &mut scratch)
                    },
                )
            {
                push_symbol(out, t, n.end, text, canonical, how);
                i += 2;
                continue;
            }
        }
        // Two words joined by `/`, `.` or `-` that are one label: `S/L`, `T.P`, `Stop-Loss`, `б/у`.
        if let Some(n) = next_word(i + 1)
            && gap_is(text, t.end, n.start, b"/.-", 0)
            && n.start > t.end
        {
            scratch.clear();
            scratch.push_str(scan.lower(i));
            scratch.push_str(scan.lower(i + 1));
            let at = digits_at(&scratch);
            if let (Some((class, lang)), digits) =
                label_with_digits(words, &scratch, words.word(&scratch), at)
                && matches!(
                    class,
                    Class::Sl | Class::Tp | Class::Breakeven | Class::BeWeak | Class::Term
                )
            {
                let class = if class == Class::BeWeak {
                    Class::Breakeven
                } else {
                    class
                };
                // Glued digits were found in the joined word; they end the second word.
                let digits = digits.map(|(a, b)| (n.end - (b - a), n.end));
                out.tokens.push(Token {
                    class: Some(class),
                    lang: Some(lang),
                    end: n.end,
                    digits,
                    ..*t
                });
                i += 2;
                continue;
            }
        }
        let forms = scan.forms.get(i).copied().unwrap_or_default();
        let (mut hit, phrases) = words.lookup(scan.lower(i), forms.stretched);
        // Label digits found in a stem rather than at the word's end.
        let mut glued = None;
        // "all'entrata", "dell'ingresso", "l'entrée": an elided article before the word.
        // Most words have no apostrophe: a byte loop over a short word rules it out cheapest.
        let apostrophe = scan.lower(i).bytes().any(|b| b == b'\'');
        let elided = apostrophe
            .then(|| scan.lower(i).split_once('\''))
            .flatten()
            .filter(|(head, stem)| ELISIONS.contains(head) && stem.chars().count() >= 3);
        if hit.is_none()
            && phrases.is_empty()
            && let Some((_, stem)) = elided
        {
            hit = words.word(stem);
        }
        // "SL'yi", "TP'ye", "TP1'den": a Turkish case ending after an apostrophe.
        if hit.is_none()
            && phrases.is_empty()
            && forms.key != forms.lower
            && elided.is_none()
            && apostrophe
            && let Some((stem, _)) = scan.lower(i).split_once('\'')
        {
            hit = words.word(stem);
            if hit.is_none() {
                (hit, glued) = label_with_digits(words, stem, None, digits_at(stem));
            }
        }
        // "وهدف 4215", "والستوب": Arabic's "and" written onto the label.
        if hit.is_none()
            && phrases.is_empty()
            && let Some(stem) = scan.lower(i).strip_prefix('و')
            && stem.chars().count() >= 3
        {
            hit = words.word(stem);
        }
        // "clsoe", "cloe", "limt", "hitt": a word of the vocabulary typed with one slip.
        if hit.is_none() && phrases.is_empty() && forms.digits_at.is_none() {
            hit = typo(scan.lower(i)).and_then(|w| words.word(w));
        }
        // Phrases: `stop loss`, `take profit`, `حد ضرر`, `wait for`.
        let mut matched = None;
        for (rest, class, lang) in phrases {
            let mut k = i;
            let ok = rest.iter().all(|w| {
                let Some(n) = next_word(k + 1) else {
                    return false;
                };
                // "R:R", "R/R": letters standing for words are joined by more marks.
                let marks: &[u8] = if raw[k].end - raw[k].start == 1 {
                    b"-:/"
                } else {
                    b"-"
                };
                let ok = gap_is(text, raw[k].end, n.start, marks, 3)
                    && lexicon::phrase_word_matches(w, scan.lower(k + 1));
                k += 1;
                ok
            });
            if ok {
                matched = Some((k, *class, *lang));
                break;
            }
        }
        if let Some((last, class, lang)) = matched {
            out.tokens.push(Token {
                class: Some(class),
                lang: Some(lang),
                end: raw[last].end,
                ..*t
            });
            i = last + 1;
            continue;
        }
        // "Dow long PTs: 47,200 / 47,400": price targets, in capitals; "pts" is points.
        if &text[t.start..t.end] == "PTs" {
            hit = Some((Class::Tp, Lang::En));
        }
        // One word: a lexicon word, else a symbol.
        let (hit, digits) = match glued {
            Some(digits) => (hit, Some(digits)),
            None => label_with_digits(words, scan.lower(i), hit, forms.digits_at),
        };
        if let Some((class, lang)) = hit {
            let mut digits = digits.map(|(a, b)| (t.start + a, t.start + b));
            let mut end = t.end;
            // `SL151.20`, `TP1.0871`: the glued number goes on past its decimal point.
            if let Some((a, _)) = digits
                && let Some(n) = raw.get(i + 1)
                && n.kind == Kind::Num
                && n.start == t.end + 1
                && matches!(text.as_bytes().get(t.end), Some(b'.' | b','))
            {
                digits = Some((a, n.end));
                end = n.end;
                i += 1;
            }
            out.tokens.push(Token {
                class: Some(class),
                lang: Some(lang),
                digits,
                end,
                ..*t
            });
        } else if let Some((canonical, how)) = known(aliases, scan.key(i))
            // Romanian "AUR" is gold; Hindi "aur", in lower case, is "and". Albanian "ARI" is
            // gold in capitals; "Ari" is a name but in Albanian (see `GATED_GOLD`).
            .filter(|_| scan.lower(i) != "aur" || &text[t.start..t.end] != "aur")
            .filter(|_| {
                !ALBANIAN_GOLD.contains(&scan.lower(i))
                    || text[t.start..t.end].bytes().all(|b| b.is_ascii_uppercase())
            })
            .or_else(|| possessive(scan.lower(i), scan.key(i)).and_then(|k| known(aliases, k)))
            .or_else(|| {
                broker_suffixed(scan.key(i), &text[t.start..t.end]).and_then(|k| known(aliases, k))
            })
            .or_else(|| arabic_stem(scan.key(i)).and_then(|k| known(aliases, k)))
            .or_else(|| nickname(&text[t.start..t.end]))
            .or_else(|| coin_in_capitals(&text[t.start..t.end]))
            // "SOL'da kısmi kâr alın", "XRP'de": a Turkish case ending after the coin's name.
            .or_else(|| {
                let (stem, _) = text[t.start..t.end].split_once('\'')?;
                coin_in_capitals(stem).or_else(|| known(aliases, &stem.to_ascii_lowercase()))
            })
        {
            push_symbol(out, t, t.end, text, canonical, how);
        } else {
            out.tokens.push(*t);
        }
        i += 1;
    }
    out.langs = languages(out);
    if out.symbols.is_empty() {
        french_gold(text, out);
    }
    if out.symbols.is_empty() {
        gated_gold(text, out);
    }
    if out.symbols.is_empty() {
        b3_contracts(text, out);
    }
    if out.symbols.is_empty() {
        nickname_before_side(text, out);
    }
    match out
        .tokens
        .iter()
        .position(|t| matches!(t.kind, Kind::Sym(_)))
    {
        None => find_tickers(text, out, None),
        // "$TIA close now. BTC dumping": a ticker marked or heading its instruction, before the
        // known symbol named as the market around it, is the trade's.
        Some(first) => {
            let known = out.symbols.len();
            find_tickers(text, out, Some(first));
            if out.symbols.len() > known {
                out.symbols.rotate_right(1);
                for t in &mut out.tokens {
                    if let Kind::Sym(s) = t.kind {
                        t.kind = Kind::Sym(if s == known { 0 } else { s + 1 });
                    }
                }
            }
        }
    }
    terse_sides(text, out);
    se_outside_portuguese(text, out);
    si_outside_spanish(text, out);
    no_in_portuguese(text, out);
    turkish_endings(text, out);
    gated_words(text, out);
    old_values(text, out);
    bought_with_invitation(text, out);
    sold_holdings(text, out);
    // The passes above take some words' language away ("se" outside Portuguese).
    out.langs = languages(out);
    out.decimal_comma = decimal_comma(text, out);
    out.dot_thousands = dot_thousands(text, out);
    resolve_bias(&mut out.tokens);
    sell_targets(&mut out.tokens);
    percent_words(text, out);
    hungarian_endings(text, out);
}

/// "4066-ra", "0,6525-re", "TP2-ig": Hungarian writes a case ending onto a number after a
/// hyphen; it is no word of the message.
fn hungarian_endings(text: &str, out: &mut Lexed) {
    const ENDINGS: &[&str] = &[
        "ra", "re", "ról", "ről", "rol", "rel", "ig", "nál", "nél", "tól", "től", "hoz", "hez",
        "höz", "ba", "be", "ban", "ben", "on", "en", "ön", "n",
    ];
    if !out.speaks(Lang::Hu) {
        return;
    }
    let mut k = 1;
    while k < out.tokens.len() {
        let (prev, t) = (&out.tokens[k - 1], &out.tokens[k]);
        if t.kind == Kind::Word
            && prev.kind == Kind::Num
            && text.get(prev.end..t.start) == Some("-")
            && text
                .get(t.start..t.end)
                .is_some_and(|w| ENDINGS.contains(&w))
        {
            out.tokens.remove(k);
        } else {
            k += 1;
        }
    }
}

/// "۵۰ درصد", "30 prozent": the word for percent after a number is its `%`.
fn percent_words(text: &str, out: &mut Lexed) {
    for i in 1..out.tokens.len() {
        let (prev, t) = (&out.tokens[i - 1], &out.tokens[i]);
        if t.kind == Kind::Word
            && t.class.is_none()
            && prev.kind == Kind::Num
            && prev.line == t.line
            && text.get(t.start..t.end).is_some_and(|w| {
                // ("per", "por": "50 por ciento" has its own word; "yüzde 50", "asilimia 50"
                // put theirs first.)
                !super::text::one_of(w, &["per", "por", "yüzde", "asilimia"])
                    && super::text::one_of(w, super::followup::PERCENT_WORDS)
            })
        {
            out.tokens[i].kind = Kind::Pct;
        }
    }
}

/// "#PEPE/USDT Long (Spot) … Sell targets: 0.0000105 / …": a spot buy's targets are where it is
/// sold; the sell word labels them, it is no second side.
fn sell_targets(tokens: &mut [Token]) {
    let labels = |w: &[Token]| {
        w[1].is(Class::Tp) && w[0].class == Some(Class::Side(Side::Sell)) && w[0].line == w[1].line
    };
    if !tokens.windows(2).any(labels)
        || !tokens
            .iter()
            .any(|t| t.class == Some(Class::Side(Side::Buy)))
    {
        return;
    }
    for i in 1..tokens.len() {
        if labels(&tokens[i - 1..=i]) {
            tokens[i - 1].class = None;
        }
    }
}

/// "I just bought gold at 4198 myself, join me": the provider's past buy or sell is his order
/// when the reader is invited to copy it (alone, "bought at 4100, sold at 4150" is a report).
/// "I sold my whole bag at 0.96", "selling all my ONDO here": a sale of what is held is an
/// exit, not a short.
fn sold_holdings(text: &str, out: &mut Lexed) {
    const OWNED: &[&str] = &["my", "our", "whole", "entire", "cijelu", "celu"];
    const BETWEEN: &[&str] = &["all", "the", "of"];
    const HOLDINGS: &[&str] = &[
        "bag", "bags", "holdings", "stack", "coins", "tokens", "spot", "position", "poziciju",
    ];
    let word = |t: &Token| text.get(t.start..t.end).unwrap_or("");
    for i in 0..out.tokens.len() {
        if out.tokens[i].class != Some(Class::Side(Side::Sell)) {
            continue;
        }
        // "Prodajem 30% TAO ovdje na 401": a share of what is held, sold.
        if out.tokens.get(i + 1).is_some_and(|n| n.kind == Kind::Num)
            && out.tokens.get(i + 2).is_some_and(|p| p.kind == Kind::Pct)
            && out
                .tokens
                .get(i + 3)
                .is_some_and(|s| matches!(s.kind, Kind::Sym(_)))
        {
            out.tokens[i].class = Some(Class::Close);
            continue;
        }
        let line = out.tokens[i].line;
        let mut k = i + 1;
        let mut owned = false;
        while let Some(t) = out.tokens.get(k).filter(|t| t.line == line) {
            if t.kind == Kind::Word && super::text::one_of(word(t), OWNED) {
                owned = true;
            } else if !(matches!(t.kind, Kind::Sym(_))
                || t.kind == Kind::Word && super::text::one_of(word(t), BETWEEN))
            {
                break;
            }
            k += 1;
        }
        let held = out
            .tokens
            .get(k)
            .filter(|t| t.line == line && t.kind == Kind::Word)
            .is_some_and(|t| super::text::one_of(word(t), HOLDINGS));
        let symbol_held = k > i + 1 && matches!(out.tokens[k - 1].kind, Kind::Sym(_));
        if owned && (held || symbol_held) {
            out.tokens[i].class = Some(Class::Close);
        }
    }
}

fn bought_with_invitation(text: &str, out: &mut Lexed) {
    if !out.tokens.iter().any(|t| t.is(Class::Copy)) {
        return;
    }
    for t in &mut out.tokens {
        if !matches!(t.class, None | Some(Class::Result)) || t.kind != Kind::Word {
            continue;
        }
        // "I just shorted GER40 at 24310 — who's joining?": the provider's entry, offered.
        let side = match text[t.start..t.end].to_ascii_lowercase().as_str() {
            "bought" | "longed" | "aped" | "kupio" | "kupila" => Side::Buy,
            "sold" | "shorted" | "prodao" | "prodala" => Side::Sell,
            _ => continue,
        };
        t.class = Some(Class::Side(side));
        t.lang = Some(Lang::En);
    }
}

/// "TP ➝ 1.3420 (was 1.3395)": the old value in brackets after a level is a note on it, not a
/// result reported.
fn old_values(text: &str, out: &mut Lexed) {
    for i in 1..out.tokens.len() {
        let t = &out.tokens[i];
        if t.class == Some(Class::Result)
            && out.tokens[i - 1].kind == Kind::Num
            && text[..t.start].trim_end().ends_with('(')
            && text[t.start..t.end].eq_ignore_ascii_case("was")
        {
            out.tokens[i].class = Some(Class::Ignore);
        }
    }
}

/// Articles and prepositions elided onto the next word in French and Italian.
const ELISIONS: &[&str] = &[
    "l", "d", "all", "dell", "nell", "sull", "dall", "un", "qu", "j", "n", "s", "c",
];

fn languages(out: &Lexed) -> Langs {
    out.tokens
        .iter()
        .filter_map(|t| t.lang)
        .fold(Langs::default(), Langs::with)
}

/// Whether the message writes decimals with a comma: a number that can only be one (`0,97`,
/// `1,0850`); or, when every comma is ambiguous (`1,184`), a message in a language that writes
/// decimals so ("Giriş: 1,184", "nuevo SL: 1,560") and no number with a decimal point. A price
/// read a thousand times too small is put right by the symbol's price range where it has one.
fn decimal_comma(text: &str, out: &Lexed) -> bool {
    // One look at each number: most have neither a comma nor a dot.
    let (mut grouped, mut dotted) = (false, false);
    for t in out.tokens.iter().filter(|t| t.kind == Kind::Num) {
        let run = &text.as_bytes()[t.start..t.end];
        let commas = run.iter().filter(|&&b| b == b',').count();
        dotted |= run.contains(&b'.');
        if commas == 0 {
            continue;
        }
        if super::numbers::is_decimal_comma(&text[t.start..t.end]) {
            return true;
        }
        grouped |= commas == 1;
    }
    grouped && !dotted && comma_language(out)
}

/// Whether the message writes thousands with a dot: in a language that writes decimals with a
/// comma, every dotted number is one dot and three digits after it ("auf 24.420", "a 25.700"),
/// and no number has a comma. Where the message names no symbol whose prices would show it,
/// `24.420` is then 24420.
fn dot_thousands(text: &str, out: &Lexed) -> bool {
    let mut dotted = false;
    for t in out.tokens.iter().filter(|t| t.kind == Kind::Num) {
        let run = &text.as_bytes()[t.start..t.end];
        if run.contains(&b',') {
            return false;
        }
        match run.iter().position(|&b| b == b'.') {
            None => {}
            // Not `0.215`: a price below one is written so in every language.
            Some(dot) if run.len() - dot == 4 && (1..=3).contains(&dot) && run[0] != b'0' => {
                dotted = true
            }
            Some(_) => return false,
        }
    }
    // The languages that group thousands with a dot (French, Polish, Russian, Czech group them
    // with a space, and Russian crypto traders write a decimal point: "на 1.553").
    dotted
        && out.speaks_any(&[
            Lang::Tr,
            Lang::Es,
            Lang::Pt,
            Lang::De,
            Lang::It,
            Lang::Nl,
            Lang::Ro,
            Lang::Id,
            Lang::Vi,
            Lang::El,
        ])
}

/// Some word of the message is in a language that writes decimals with a comma.
fn comma_language(out: &Lexed) -> bool {
    out.speaks_any(&[
        Lang::Tr,
        Lang::Es,
        Lang::Pt,
        Lang::Fr,
        Lang::De,
        Lang::It,
        Lang::Pl,
        Lang::Ru,
        Lang::Uk,
        Lang::Nl,
        Lang::Ro,
        Lang::Id,
        Lang::Vi,
        Lang::Cs,
        Lang::El,
        Lang::Kk,
        Lang::Bg,
        Lang::Uz,
        Lang::Hu,
        Lang::Sh,
        Lang::Ka,
        Lang::Sk,
        Lang::Az,
        Lang::Ca,
        Lang::Sv,
        Lang::No,
    ])
}

/// The words traders mistype most, and the ones they are typed for: a slip is a letter left
/// out, two letters swapped or one doubled. Only these words, and only a word the vocabulary
/// does not know, so that no real word is taken for another.
const TYPED_FOR: &[&str] = &[
    "close",
    "closing",
    "limit",
    "target",
    "targets",
    "breakeven",
    "profit",
    "entry",
    "stop",
    "hit",
    "partial",
    "cancel",
    "move",
    "tighten",
    "trail",
    "update",
    "secure",
];

fn typo(word: &str) -> Option<&'static str> {
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let w = word.as_bytes();
    TYPED_FOR.iter().copied().find(|t| {
        let t = t.as_bytes();
        if t[0] != w[0] {
            return false;
        }
        // One letter left out ("cloe", "limt"), or one doubled ("hitt").
        let dropped = |long: &[u8], short: &[u8]| {
            long.len() == short.len() + 1
                && (0..long.len()).any(|k| long[..k] == short[..k] && long[k + 1..] == short[k..])
        };
        let doubled = w.len() == t.len() + 1 && dropped(w, t) && w.windows(2).any(|p| p[0] == p[1]);
        // Two neighbours swapped ("clsoe").
        let swapped = w.len() == t.len()
            && (0..w.len() - 1).any(|k| {
                w[k] == t[k + 1] && w[k + 1] == t[k] && w[..k] == t[..k] && w[k + 2..] == t[k + 2..]
            });
        // A letter slipped in, in a long word ("breakeaven").
        let inserted = t.len() >= 8 && dropped(w, t);
        (t.len() >= 4 && dropped(t, w)) || doubled || inserted || swapped
    })
}

/// "gold's", "EURGBP's", "USDJPY'den": the name before the possessive or a Turkish case ending;
/// "l'EURUSD", "sull'oro": the name after a French or Italian elided article.
/// A broker's suffix on a symbol in capitals ("XAUUSDm", "EURUSDc", "GBPUSDpro"): the key
/// without it.
fn broker_suffixed<'k>(key: &'k str, raw: &str) -> Option<&'k str> {
    let cut = raw
        .bytes()
        .position(|b| b.is_ascii_lowercase())
        .filter(|&at| at >= 6)?;
    let (name, suffix) = raw.split_at(cut);
    (name
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && (1..=3).contains(&suffix.len())
        && suffix.bytes().all(|b| b.is_ascii_lowercase())
        && key.len() == raw.len())
    .then(|| key.get(..cut))
    .flatten()
}

fn possessive<'k>(lower: &str, key: &'k str) -> Option<&'k str> {
    let (name, ending) = lower.split_once('\'')?;
    if (1..=4).contains(&name.chars().count())
        && ending.chars().count() >= 2
        && ending.chars().all(char::is_alphanumeric)
    {
        // The key is the word's letters and digits: it ends with the ending as written.
        return key
            .len()
            .checked_sub(ending.len())
            .and_then(|at| key.get(at..));
    }
    let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).count();
    (!ending.is_empty() && !ending.contains('\''))
        .then(|| key.get(..key.len() - letters(ending)))
        .flatten()
        .filter(|k| letters(name) == k.chars().count())
}

/// An Arabic name behind the article or a proclitic: "الفضة", "للذهب" (for the gold), "والذهب".
fn arabic_stem(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("لل").or_else(|| {
        ["وال", "فال", "بال", "كال", "ال"]
            .iter()
            .find_map(|p| key.strip_prefix(p))
    })?;
    (rest.chars().count() >= 2).then_some(rest)
}

/// Traders' two-letter names for the majors, only in capitals ("GJ", "UJ", "EU"): in lower case
/// they are words of other languages.
fn nickname(raw: &str) -> Option<(String, How)> {
    let pair = match raw {
        "GU" => "GBPUSD",
        "EU" => "EURUSD",
        "UJ" => "USDJPY",
        "GJ" => "GBPJPY",
        "EJ" => "EURJPY",
        "AJ" => "AUDJPY",
        "CJ" => "CADJPY",
        "NJ" => "NZDJPY",
        "UCAD" => "USDCAD",
        "UCHF" => "USDCHF",
        _ => return None,
    };
    Some((pair.to_string(), How::Alias))
}

/// The coins most traded on the futures exchanges whose name is also a word somewhere ("near",
/// "link", "sol", "ada", "sui"): a coin only in capitals ("Close 1/3 of the LINK position"). The
/// others are in the alias table ([`super::symbols`]), in any case.
const COINS_IN_CAPITALS: &[&str] = &[
    "SOL", "ADA", "DOT", "LINK", "NEAR", "SUI", "APT", "TON", "TIA", "SEI", "ATOM", "FIL", "UNI",
    "TAO",
];

fn coin_in_capitals(raw: &str) -> Option<(String, How)> {
    COINS_IN_CAPITALS
        .contains(&raw)
        .then(|| (raw.to_string(), How::Ticker))
}

/// "gu buy 1.3280 sl 1.3250": a pair's nickname typed in lower case, right before an English
/// side word (in capitals it is read anywhere; "eu" alone is Portuguese "I").
fn nickname_before_side(text: &str, out: &mut Lexed) {
    let found = (0..out.tokens.len()).find_map(|i| {
        let t = &out.tokens[i];
        let side_next = out.tokens.get(i + 1).is_some_and(|n| {
            n.line == t.line && matches!(n.class, Some(Class::Side(_))) && n.lang == Some(Lang::En)
        });
        if t.kind != Kind::Word || t.class.is_some() || !side_next {
            return None;
        }
        nickname(&text.get(t.start..t.end)?.to_ascii_uppercase()).map(|(c, _)| (i, c))
    });
    if let Some((i, canonical)) = found {
        mark_symbol(text, out, i, canonical, How::Alias);
    }
}

/// Make token `i`, a word, the message's symbol `canonical`.
fn mark_symbol(text: &str, out: &mut Lexed, i: usize, canonical: String, how: How) {
    let raw = text[out.tokens[i].start..out.tokens[i].end].to_string();
    out.symbols.push(SymbolHit {
        canonical,
        raw,
        how,
    });
    out.tokens[i].kind = Kind::Sym(out.symbols.len() - 1);
    out.tokens[i].class = None;
}

fn push_symbol(out: &mut Lexed, t: &Token, end: usize, text: &str, canonical: String, how: How) {
    let mut start = t.start;
    let mut canonical = canonical;
    // `#1000PEPEUSDT`, `1000PEPE/USDT`: the digits the lexer cut off are part of the name (a
    // marked ticker's, or an exchange's thousand-fold contract).
    if let Some(prev) = out.tokens.last()
        && prev.kind == Kind::Num
        && prev.end == t.start
        && (text[..prev.start].ends_with(['#', '$'])
            || matches!(&text[prev.start..prev.end], "1000" | "10000" | "1000000"))
    {
        start = prev.start;
        canonical.insert_str(0, &text[prev.start..prev.end]);
        out.tokens.pop();
    }
    // "NATGAS (XNGUSD)": a code in brackets after a name is the same instrument, named as the
    // broker lists it ("XNGUSD (Nat Gas)" keeps its code).
    if let Some(&Token {
        kind: Kind::Sym(named),
        end: named_end,
        line,
        ..
    }) = out.tokens.last()
        && line == t.line
        && text[named_end..start].trim() == "("
        && text[end..].starts_with(')')
        && text[start..end] == canonical
        && let Some(hit) = out.symbols.get_mut(named)
    {
        hit.canonical = canonical;
        out.tokens.push(Token {
            kind: Kind::Sym(named),
            start,
            end,
            ..*t
        });
        return;
    }
    out.symbols.push(SymbolHit {
        canonical,
        raw: text[start..end].to_string(),
        how,
    });
    out.tokens.push(Token {
        kind: Kind::Sym(out.symbols.len() - 1),
        start,
        end,
        ..*t
    });
}

/// Words that introduce the traded instrument on a card ("Coin: ABC", "Moeda: XAU-USD").
const SYMBOL_LABELS: &[&str] = &[
    "coin",
    "symbol",
    "pair",
    "asset",
    "token",
    "ticker",
    "instrument",
    "moeda",
    "ativo",
    "par",
    "монета",
    "монеты",
    "тикер",
    "ارز",
    "رمزارز",
    "نماد",
    "عملة",
    "sembol",
    "coinul",
    "币种",
    "币对",
    "交易对",
    "品种",
];

/// Bare tickers, used only when no known symbol is named: a marked one (`#xbt`, `$ONDO`, `$F`),
/// one a card labels ("Coin: ABC"), a capitalised word beside a side word (`Buy FET`, `Short NOT
/// at`, `Buy limit EIGEN`), or one that opens an instruction about itself ("ONDO move sl",
/// "TIA close", "scrt short").
///
/// With a known symbol at token `known_at`, only a ticker ahead of it that is marked or heads
/// its instruction is taken.
fn find_tickers(text: &str, out: &mut Lexed, known_at: Option<usize>) {
    let n = out.tokens.len();
    let first_known = known_at.unwrap_or(n);
    let short = short_instruction(out);
    // "WLD: тейки обновил — 0.78 / 0.83": a short message of levels.
    let short_levels = || {
        short
            || out.tokens.iter().filter(|t| t.kind == Kind::Word).count() <= 12
                && out.tokens.iter().any(|t| {
                    matches!(
                        t.class,
                        Some(Class::Sl | Class::Stop | Class::Tp | Class::Update | Class::New)
                    )
                })
    };
    // "NOT: стоп …", "WLD — SL …": a coin heading the message, then its colon or dash.
    let heads = |t: &Token| {
        text[..t.start].trim().is_empty()
            && ([":", " —", " –", " -"].iter()).any(|m| text[t.end..].starts_with(m))
    };
    let side_at = |k: Option<usize>, line: usize| {
        k.and_then(|k| out.tokens.get(k))
            .is_some_and(|s| s.line == line && matches!(s.class, Some(Class::Side(_))))
    };
    // "Αγοράζω κι εγώ PEPE εδώ στο spot": the one word in Latin capitals on a line of a side
    // written in another script.
    let foreign_line = |t: &Token| {
        let words = || {
            out.tokens
                .iter()
                .filter(|w| w.line == t.line && w.kind == Kind::Word)
        };
        let (mut all, mut other_script, mut capitals) = (0, 0, 0);
        for w in words() {
            let raw = &text[w.start..w.end];
            all += 1;
            if !raw.is_ascii() {
                other_script += 1;
            } else if raw.len() >= 2 && raw.bytes().all(|b| b.is_ascii_uppercase()) {
                capitals += 1;
            }
        }
        capitals == 1
            && other_script * 3 >= all * 2
            && words().any(|w| matches!(w.class, Some(Class::Side(_))))
    };
    for i in 0..n {
        let t = &out.tokens[i];
        // Past the known symbol only a `$`-marked coin is looked at.
        if t.kind != Kind::Word || i > first_known && !text[..t.start].ends_with('$') {
            continue;
        }
        let raw = &text[t.start..t.end];
        if raw.len() > 12 || !raw.is_ascii() {
            continue;
        }
        let before = text[..t.start].trim_end_matches(' ');
        // `#ONDO`, `$F`: a mark that starts the word ("Trader#d" is a name).
        let marked = text[..t.start].ends_with(['#', '$'])
            && !text[..t.start - 1].ends_with(|c: char| c.is_alphanumeric());
        let capitals = raw.len() >= 2
            && raw
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && raw.starts_with(|c: char| c.is_ascii_uppercase());
        let known_word = t.class.is_some();
        if known_word && matches!(t.class, Some(Class::NotTicker)) {
            continue;
        }
        let prev = i.checked_sub(1);
        // "LTC спот покупка 86-88": the market the coin trades on, between it and its side.
        let side_after = |k: usize| {
            side_at(Some(k), t.line)
                || out.tokens.get(k).is_some_and(|n| {
                    n.line == t.line
                        && ["spot", "спот", "futures", "perp", "perps", "фьючерс"]
                            .iter()
                            .any(|w| text[n.start..n.end].eq_ignore_ascii_case(w))
                }) && side_at(Some(k + 1), t.line)
        };
        // "w shorta na XRP", "long on SUI": the side, then the preposition naming its coin.
        // "SOL LIMIT LONG 182.4": the order's type between the coin and its side.
        let typed_side = || {
            out.tokens.get(i + 1).is_some_and(|n| {
                n.line == t.line && matches!(n.class, Some(Class::Limit | Class::Stop))
            }) && side_at(Some(i + 2), t.line)
        };
        let after_side = side_at(prev, t.line)
            || (prev.and_then(|p| out.tokens.get(p)).is_some_and(|p| {
                p.line == t.line
                    && (matches!(p.class, Some(Class::Limit | Class::Stop))
                        || ["na", "on", "en", "em", "sur", "auf", "по", "على", "در"]
                            .iter()
                            .any(|w| text[p.start..p.end].eq_ignore_ascii_case(w)))
            }) && side_at(i.checked_sub(2), t.line));
        let first_on_line = prev
            .and_then(|p| out.tokens.get(p))
            .is_none_or(|p| p.kind == Kind::Nl);
        let labelled = || {
            !known_word
                && prev.and_then(|p| out.tokens.get(p)).is_some_and(|p| {
                    let label = text[p.start..p.end].to_lowercase();
                    p.line == t.line
                        && p.kind == Kind::Word
                        && (SYMBOL_LABELS.contains(&label.as_str())
                            // "Лимитку по SOL снимаем": "on" a ticker in capitals.
                            || capitals && label == "по"
                            // "Лимитку на SOL по 142": or "at" one, after the order.
                            || capitals
                                && label == "на"
                                && i.checked_sub(2).and_then(|o| out.tokens.get(o)).is_some_and(
                                    |o| {
                                        matches!(
                                            o.class,
                                            Some(
                                                Class::Limit
                                                    | Class::OrderWord
                                                    | Class::Side(_)
                                            )
                                        )
                                    },
                                ))
                })
        };
        // "ADA 30% 익절": a share between the coin and its instruction.
        let share_next = out
            .tokens
            .get(i + 1)
            .zip(out.tokens.get(i + 2))
            .is_some_and(|(n, p)| n.kind == Kind::Num && p.kind == Kind::Pct);
        let next = out.tokens.get(i + 1).filter(|x| x.line == t.line);
        let instruction = out
            .tokens
            .get(if share_next { i + 3 } else { i + 1 })
            .filter(|x| x.line == t.line);
        let instruction_next = instruction.is_some_and(|x| {
            matches!(
                x.class,
                Some(
                    Class::Move
                        | Class::Update
                        | Class::New
                        | Class::Close
                        | Class::Sl
                        | Class::Stop
                        | Class::Cancel
                )
            ) || matches!(x.class, Some(Class::Side(_)))
                || share_next && matches!(x.class, Some(Class::Tp | Class::Take))
        });
        // "Fechar SOL inteiro agora", "Закрываю по текущим SOL": right after a close, past the
        // words for "at market".
        let after_close = || {
            let mut k = prev;
            while let Some(p) = k
                .and_then(|p| out.tokens.get(p))
                .filter(|p| p.line == t.line)
            {
                if p.is(Class::Close) {
                    return true;
                }
                if !(p.is(Class::Market) || text[p.start..p.end].eq_ignore_ascii_case("по")) {
                    return false;
                }
                k = k.and_then(|k| k.checked_sub(1));
            }
            false
        };
        let found = if known_at.is_some() {
            // Letters only (`#A0215` is a signal's number): marked with `$` and an instruction
            // of management right after it, or in capitals heading its line, its side and the
            // instruction ("ARB short close karo").
            let letters = raw.len() >= 2 && raw.bytes().all(|b| b.is_ascii_alphabetic());
            let manages = |k: usize| {
                out.tokens.get(k).is_some_and(|x| {
                    x.line == t.line
                        && matches!(
                            x.class,
                            Some(
                                Class::Close
                                    | Class::Move
                                    | Class::Sl
                                    | Class::Stop
                                    | Class::Cancel
                            )
                        )
                })
            };
            let sided = side_at(Some(i + 1), t.line) && manages(i + 2);
            // "Беру лонг по $ADA" under a paragraph that names BTC: marked after its side,
            // wherever it stands.
            let dollar = text[..t.start].ends_with('$') && marked;
            // ("$ADA" even where "ada" is a word: the mark makes it a coin.)
            (!known_word || dollar && i > first_known)
                && letters
                && (i > first_known
                    && dollar
                    && after_side
                    && !out.tokens[first_known..i]
                        .iter()
                        .any(|x| x.line == t.line && matches!(x.kind, Kind::Sym(_)))
                    || i < first_known
                        && (dollar && (manages(i + 1) || sided)
                            || capitals && first_on_line && sided
                            // "Closing SOL at market. BTC dominance rising": the coin closed,
                            // before the market named around it.
                            // ("CIERREN EL ORO": an article before the known symbol; "CIERRE
                            // TOTAL / FULL CLOSE": a title said twice.)
                            || capitals
                                && raw.len() <= 10
                                && i + 1 != first_known
                                && after_close()
                                && !out.tokens[i + 1..]
                                    .iter()
                                    .take_while(|x| x.line == t.line)
                                    .any(|x| x.is(Class::Close))))
        } else if known_word {
            // A word of the vocabulary is a ticker only when marked, or when it is a coin's name
            // that is also a little word ("Short NOT at entry", "NOT short"), in capitals beside
            // its side: `SELL ALL`, `BUY NOW`, `BUY ZONE` keep their meaning.
            (marked && raw.len() >= 2)
                || (capitals
                    && matches!(t.class, Some(Class::Negation))
                    // Only the coin of that name: "NIE kupujemy" is Polish for "we don't buy".
                    && raw == "NOT"
                    && (after_side
                        || heads(t) && short_levels()
                        // "закрыть NOT по рынку": right after the close.
                        || prev.and_then(|p| out.tokens.get(p)).is_some_and(|p| {
                            p.line == t.line && p.is(Class::Close)
                        })
                        || lone_pair(out, i)
                        || side_at(Some(i + 1), t.line)
                        // "NOT / Лонг: 0.00185-0.00178 / Стоп: 0.00165": alone heading a card.
                        || before.is_empty()
                            && next.is_none_or(|x| x.kind == Kind::Nl)
                            && out.tokens.iter().any(|x| matches!(x.class, Some(Class::Side(_))))
                            && out
                                .tokens
                                .iter()
                                .any(|x| matches!(x.class, Some(Class::Sl | Class::Stop)))
                        // "Шорт по NOT закрываем", "По NOT третий тейк убираем": "on" the coin.
                        || prev.and_then(|p| out.tokens.get(p)).is_some_and(|p| {
                            p.line == t.line && matches!(&text[p.start..p.end], "по" | "По" | "ПО")
                        })
                        // "NOT закрываю полностью": heading the message, its instruction next
                        // in another language than English ("NOT closing yet" negates).
                        || before.is_empty()
                            && instruction_next
                            && instruction.is_some_and(|x| x.lang != Some(Lang::En))))
        } else {
            let shaped = raw.starts_with(|c: char| c.is_ascii_alphanumeric())
                && raw.bytes().any(|b| b.is_ascii_alphabetic());
            shaped
                && (marked
                    || labelled()
                    || (capitals
                        && raw.len() <= 10
                        && (after_side
                            || side_after(i + 1)
                            || typed_side()
                            // "XRP 지금 롱", "SOL 现在市价开多": the coin, "now", its side.
                            || out.tokens.get(i + 1).is_some_and(|n| {
                                n.line == t.line && n.is(Class::Market)
                            }) && side_at(Some(i + 2), t.line)))
                    || (first_on_line
                        && instruction_next
                        && (capitals || (raw.len() >= 3 && lone_pair(out, i))))
                    || (capitals && first_on_line && before.is_empty() && instruction_next)
                    || (capitals && raw.len() <= 10 && after_close())
                    // "cancel the TAO limit": a ticker in capitals naming its pending order.
                    || (capitals
                        && raw.len() <= 10
                        && next.is_some_and(|x| x.is(Class::Limit))
                        && out.tokens[..i].iter().any(|x| x.is(Class::Cancel)))
                    || (capitals && raw.len() <= 10 && short && at_either_end(out, i))
                    // "【合约策略】SOL / 方向：做多 / 入场：186": the coin ending a card's title line;
                    // "Spot buy 🟢 / LINK / Buy: 14.20 - 13.60": or alone on a line of the card.
                    || (capitals
                        && raw.len() <= 10
                        && (t.line == 0 || first_on_line)
                        // "SOL 合约策略": or before the title in a script written unspaced.
                        && next.is_none_or(|x| {
                            x.kind == Kind::Nl
                                || t.line == 0 && !text.as_bytes()[x.start].is_ascii()
                        })
                        // A coin marked `$MOG` further down is the one ("🔥 MICRO CAP 🔥").
                        && !text.contains(['$', '#'])
                        && out.tokens.iter().any(|x| matches!(x.class, Some(Class::Side(_))))
                        && out.tokens.iter().any(|x| x.is(Class::Sl)))
                    || (capitals && (3..=10).contains(&raw.len()) && foreign_line(t))
                    // "SOL: take 20% profit here": the coin heading a short follow-up;
                    // "SOL тейки меняю: 142 - 148": or its targets.
                    || (capitals
                        && raw.len() <= 10
                        && first_on_line
                        && before.is_empty()
                        && (heads(t) && short_levels()
                            || next.is_some_and(|x| x.is(Class::Tp)) && short_levels())))
        };
        if found {
            let canonical = raw.to_ascii_uppercase();
            mark_symbol(text, out, i, canonical, How::Ticker);
            return;
        }
    }
}

/// A scalper's terse ticket: "XAU S 4138/41", "XAU B now 4091": a capital B or S right after the
/// symbol is the side; so is Turkish "SAT" before an order type.
fn terse_sides(text: &str, out: &mut Lexed) {
    for i in 1..out.tokens.len() {
        let (prev, t) = (&out.tokens[i - 1], &out.tokens[i]);
        // The symbol just before, or before "now" ("ALTIN ŞİMDİ AL").
        let now_before = prev.class == Some(Class::Market)
            && i >= 2
            && matches!(out.tokens[i - 2].kind, Kind::Sym(_))
            && out.tokens[i - 2].line == t.line;
        if t.kind != Kind::Word
            || !(matches!(prev.kind, Kind::Sym(_)) || now_before)
            || prev.line != t.line
        {
            continue;
        }
        let side = match text.get(t.start..t.end) {
            Some("B") => Side::Buy,
            Some("S") => Side::Sell,
            // Turkish "GBPUSD SAT LIMIT", "AL STOP", "altın al şimdi", "ALTIN ŞİMDİ AL": sell
            // and buy, with their order or "now" on either side.
            // "GBPJPY AL 202.80": in capitals, its price after it.
            // "USDJPY AL\nGiriş 155.40": in capitals, ending the symbol's line.
            Some(w @ ("SAT" | "Sat" | "sat" | "AL" | "Al" | "al"))
                if now_before
                    || out.tokens.get(i + 1).is_some_and(|n| {
                        matches!(n.class, Some(Class::Limit | Class::Stop | Class::Market))
                            || n.kind == Kind::Num
                                && n.line == t.line
                                && w.bytes().all(|b| b.is_ascii_uppercase())
                    })
                    || w.bytes().all(|b| b.is_ascii_uppercase())
                        && out.tokens.get(i + 1).is_none_or(|n| n.kind == Kind::Nl) =>
            {
                if text[t.start..t.end].eq_ignore_ascii_case("al") {
                    Side::Buy
                } else {
                    Side::Sell
                }
            }
            // "ETHUSDT 空 3340-3360 / 止损 3420", "GBPUSD 多": long and short in one character,
            // in a Chinese message, their price or the line's end after them.
            Some(w @ ("多" | "空"))
                if out.speaks(Lang::Zh)
                    && out
                        .tokens
                        .get(i + 1)
                        .is_none_or(|n| n.kind == Kind::Nl || n.kind == Kind::Num) =>
            {
                if w == "多" { Side::Buy } else { Side::Sell }
            }
            _ => continue,
        };
        out.tokens[i].class = Some(Class::Side(side));
        out.tokens[i].lang = Some(Lang::En);
    }
}

/// Turkish verbs by their endings: "gelirse", "gelmezse" (if it comes, if it does not) are
/// conditions; "düşünmeyin", "acele etmeyin" (do not think of it, do not hurry) negate.
fn turkish_endings(text: &str, out: &mut Lexed) {
    if !out.speaks(Lang::Tr) {
        return;
    }
    const ENDINGS: &[(&str, Class)] = &[
        ("arsa", Class::Condition),
        ("ırsa", Class::Condition),
        ("ursa", Class::Condition),
        ("orsa", Class::Condition),
        ("irse", Class::Condition),
        ("ürse", Class::Condition),
        ("erse", Class::Condition),
        ("örse", Class::Condition),
        ("mezse", Class::Condition),
        ("mazsa", Class::Condition),
        ("meyin", Class::Negation),
        ("mayın", Class::Negation),
        ("mayin", Class::Negation),
        ("meyiniz", Class::Negation),
        ("mayınız", Class::Negation),
    ];
    for t in &mut out.tokens {
        let word = &text[t.start..t.end];
        if t.kind != Kind::Word || t.class.is_some() || word.chars().count() < 6 {
            continue;
        }
        let lower = word.to_lowercase();
        if let Some(&(_, class)) = ENDINGS.iter().find(|(e, _)| lower.ends_with(e)) {
            t.class = Some(class);
            t.lang = Some(Lang::Tr);
        }
    }
}

/// Portuguese "no" is "in the" ("Stop no ponto de entrada", "Novo alvo no ouro"): in a
/// Portuguese message it negates nothing.
fn no_in_portuguese(text: &str, out: &mut Lexed) {
    let no = |t: &Token| {
        t.class == Some(Class::Negation)
            && text
                .get(t.start..t.end)
                .is_some_and(|w| w.eq_ignore_ascii_case("no"))
    };
    if !out.speaks(Lang::Pt) {
        return;
    }
    for t in &mut out.tokens {
        if no(t) {
            t.class = None;
            t.lang = None;
        }
    }
}

/// "se" is the Portuguese "if" only in Portuguese: Hinglish "from" ("1.1688 se 1.1695 ke
/// beech"), Spanish "cómo se ve".
/// Italian's reflexive "si" ("come si muove"), the Croatian, Czech and Slovak pronoun ("da si ne
/// pokvarimo") and Romanian's "si" written without its comma ("TP1 si TP2") are no "if":
/// Spanish's and French's "si" is, in a message that speaks them less.
fn si_outside_spanish(text: &str, out: &mut Lexed) {
    // (The "si" itself is no Spanish word to count.)
    let is_si = |t: &Token| {
        text.get(t.start..t.end)
            .is_some_and(|w| w.eq_ignore_ascii_case("si"))
    };
    let spanish = out
        .tokens
        .iter()
        .filter(|t| matches!(t.lang, Some(Lang::Es | Lang::Fr)) && !is_si(t))
        .count();
    if out.words_in(&[Lang::It, Lang::Ro, Lang::Sh, Lang::Cs, Lang::Sk]) <= spanish {
        return;
    }
    for t in &mut out.tokens {
        if t.class == Some(Class::Condition) && is_si(t) {
            t.class = None;
            t.lang = None;
        }
    }
}

fn se_outside_portuguese(text: &str, out: &mut Lexed) {
    // After a negation it is the reflexive "se", in every language that has it: "no se activó",
    // "não se preocupem".
    let may_hold = out.speaks(Lang::Pt) || out.speaks(Lang::It);
    for i in (1..out.tokens.len()).filter(|_| may_hold) {
        if out.tokens[i - 1].class == Some(Class::Negation)
            && out.tokens[i].class == Some(Class::Condition)
            && text.get(out.tokens[i].start..out.tokens[i].end) == Some("se")
        {
            out.tokens[i].class = None;
            out.tokens[i].lang = None;
        }
    }
    // Italian's "se" is "if" too ("se rompe 61,50 chiudiamo tutto").
    if out.tokens.iter().any(|t| {
        matches!(t.lang, Some(Lang::Pt | Lang::It)) && text.get(t.start..t.end) != Some("se")
    }) {
        return;
    }
    for t in &mut out.tokens {
        if t.class == Some(Class::Condition) && text.get(t.start..t.end) == Some("se") {
            t.class = None;
            t.lang = None;
        }
    }
}

/// French "OR" (gold) beside a French side word: "OR ACHAT LIMITE", "VENTE OR". Anywhere else
/// "or" is the English conjunction.
fn french_gold(text: &str, out: &mut Lexed) {
    let french_side = |t: Option<&Token>| {
        t.is_some_and(|t| matches!(t.class, Some(Class::Side(_))) && t.lang == Some(Lang::Fr))
    };
    let found = (0..out.tokens.len()).find(|&i| {
        let t = &out.tokens[i];
        text.get(t.start..t.end)
            .is_some_and(|w| w.eq_ignore_ascii_case("or"))
            && (french_side(out.tokens.get(i + 1))
                || french_side(i.checked_sub(1).and_then(|j| out.tokens.get(j)))
                // "ACHAT IMMÉDIAT OR", "ACHAT LIMITE OR": the side, then when or how.
                || i.checked_sub(1)
                    .and_then(|j| out.tokens.get(j))
                    .is_some_and(|p| matches!(p.class, Some(Class::Market | Class::Limit | Class::Stop)))
                    && french_side(i.checked_sub(2).and_then(|j| out.tokens.get(j)))
                // "Or : SL au point d'entrée": the name heading a French message.
                || i == 0
                    && text[t.end..].trim_start().starts_with(':')
                    && out.tokens.iter().any(|t| t.lang == Some(Lang::Fr))
                // "Nouvel objectif or : 4200", "Stop suiveur or à 4115": after a French word of
                // a level, before the level.
                || i.checked_sub(1)
                    .and_then(|j| out.tokens.get(j))
                    .is_some_and(|p| p.lang == Some(Lang::Fr) && p.class.is_some())
                    && out.tokens.get(i + 1).is_some_and(|n| n.kind == Kind::Num)
                    && text[t.end..]
                        .trim_start()
                        .starts_with(|c: char| matches!(c, ':' | 'à' | '@') || c.is_ascii_digit())
                // "Nouveaux objectifs OR", "OR 🟡 Mettez le SL": in capitals in a French
                // message; "sur l'or": behind the article.
                || (&text[t.start..t.end] == "OR" || text[..t.start].ends_with(['\'', '’']))
                    && out.tokens.iter().any(|t| t.lang == Some(Lang::Fr)))
    });
    if let Some(i) = found {
        mark_symbol(text, out, i, "XAUUSD".to_string(), How::Alias);
    }
}

/// Names of gold that are another word in a neighbouring language, read as gold in a message
/// that speaks their language more than the rival one: Romanian "aur" (Hindi "and", so only in
/// lower case: "Mutăm SL la intrare pe aur"), Turkish "ons" (the ounce; Dutch "us": "Ben ons
/// pozisyonumu kapatıyorum"), Persian "انس" (the ounce; Arabic "forget": "تارگت جدید انس").
const GATED_GOLD: &[(Lang, &str, Lang)] = &[
    (Lang::Ro, "aur", Lang::Hi),
    (Lang::Tr, "ons", Lang::Nl),
    (Lang::Tr, "ONS", Lang::Nl),
    (Lang::Tr, "Ons", Lang::Nl),
    (Lang::Fa, "انس", Lang::Ar),
    (Lang::Sq, "ari", Lang::Ja),
    (Lang::Sq, "Ari", Lang::Ja),
    (Lang::Sq, "arit", Lang::Ja),
    (Lang::Sq, "Arit", Lang::Ja),
    (Lang::Sq, "arin", Lang::Ja),
];

fn gated_gold(text: &str, out: &mut Lexed) {
    let found = GATED_GOLD.iter().find_map(|&(lang, name, rival)| {
        if !out.speaks(lang) || out.words_in(&[lang]) <= out.words_in(&[rival]) {
            return None;
        }
        out.tokens.iter().position(|t| {
            t.kind == Kind::Word && t.class.is_none() && text.get(t.start..t.end) == Some(name)
        })
    });
    if let Some(i) = found {
        mark_symbol(text, out, i, "XAUUSD".to_string(), How::Alias);
    }
}

/// Words that mean one thing in a language and another (or nothing) elsewhere, read in that
/// language's sense when the message speaks it: Hungarian "most" (now; English "most"),
/// Swedish "till" (to; English "until"), "om" (if), "nu" (now; Romanian "not").
const GATED: &[(Lang, &str, Class)] = &[
    (Lang::Hu, "most", Class::Market),
    (Lang::Sv, "till", Class::To),
    (Lang::Sv, "om", Class::Condition),
    (Lang::Sv, "nu", Class::Market),
    (Lang::No, "nå", Class::Market),
    (Lang::No, "til", Class::To),
    // Azerbaijani "indi" (now; Tagalog "not").
    (Lang::Az, "indi", Class::Market),
    // Albanian "shit" (sell; English "shit"), "shes" (I sell; "she's").
    (Lang::Sq, "shit", Class::Side(Side::Sell)),
    (Lang::Sq, "shes", Class::Side(Side::Sell)),
];

/// Gold named in Albanian ("ARI 🔴 SHIT 4431"): the message speaks it, whatever else it says.
const ALBANIAN_GOLD: &[&str] = &["ari", "arit", "arin"];

fn gated_words(text: &str, out: &mut Lexed) {
    let mut langs = out.langs;
    if out
        .symbols
        .iter()
        .any(|s| super::text::one_of(&s.raw, ALBANIAN_GOLD))
    {
        langs = langs.with(Lang::Sq);
    }
    // Most messages speak none of these languages: nothing to look at.
    if !GATED.iter().any(|&(lang, _, _)| langs.has(lang)) {
        return;
    }
    for t in &mut out.tokens {
        if t.kind != Kind::Word || !matches!(t.class, None | Some(Class::Partial | Class::Negation))
        {
            continue;
        }
        let Some(word) = text.get(t.start..t.end) else {
            continue;
        };
        if let Some(&(lang, _, class)) = GATED
            .iter()
            .find(|&&(lang, w, _)| langs.has(lang) && w.eq_ignore_ascii_case(word))
        {
            t.class = Some(class);
            t.lang = Some(lang);
        }
    }
}

/// The Brazilian exchange's mini contracts — `WIN` (Ibovespa), `WDO` (dollar), with or without
/// their expiry (`WINZ25`) — written in capitals in a Portuguese message ("COMPRA WIN", "Zera o
/// WDO"): "win" is otherwise an English word.
fn b3_contracts(text: &str, out: &mut Lexed) {
    if !out.speaks(Lang::Pt) {
        return;
    }
    let contract = |w: &str| {
        let b = w.as_bytes();
        (b.starts_with(b"WIN") || b.starts_with(b"WDO"))
            && (b.len() == 3
                || b.len() == 6
                    && b[3].is_ascii_uppercase()
                    && b[4..].iter().all(u8::is_ascii_digit))
    };
    let found = out
        .tokens
        .iter()
        .position(|t| t.kind == Kind::Word && text.get(t.start..t.end).is_some_and(contract));
    if let Some(i) = found {
        let canonical = text[out.tokens[i].start..out.tokens[i].end].to_string();
        mark_symbol(text, out, i, canonical, How::Ticker);
    }
}

/// A short follow-up ("move sl to entry ARKM", "TIA + 86.1% profit - move sl to entry"): at most
/// twelve words, one of them a move, close or stop word.
fn short_instruction(out: &Lexed) -> bool {
    let words = out.tokens.iter().filter(|t| t.kind == Kind::Word).count();
    words <= 12
        && out.tokens.iter().any(|t| {
            matches!(
                t.class,
                Some(Class::Move | Class::Close | Class::Cancel | Class::Breakeven | Class::Take)
            )
        })
}

/// The token at `i` is the message's first or last word ("TIA close at entry", "move sl to
/// entry ARKM"): where a short follow-up names its coin.
fn at_either_end(out: &Lexed, i: usize) -> bool {
    let word = |t: &Token| t.kind == Kind::Word;
    out.tokens.iter().position(word) == Some(i) || out.tokens.iter().rposition(word) == Some(i)
}

/// The word at `i` and a side word are the whole line ("scrt short").
fn lone_pair(out: &Lexed, i: usize) -> bool {
    let line = out.tokens[i].line;
    let edge = |k: Option<usize>| {
        k.and_then(|k| out.tokens.get(k))
            .is_none_or(|t| t.kind == Kind::Nl || t.line != line)
    };
    edge(i.checked_sub(1))
        && edge(Some(i + 2))
        && out
            .tokens
            .get(i + 1)
            .is_some_and(|x| x.line == line && matches!(x.class, Some(Class::Side(_))))
}

/// `bullish`/`bearish` are a side only on a line that says `Direction`.
fn resolve_bias(tokens: &mut [Token]) {
    let mut direction_line = None;
    for t in tokens.iter_mut() {
        if t.is(Class::Direction) {
            direction_line = Some(t.line);
        }
        if let Some(Class::Bias(side)) = t.class {
            t.class = if direction_line == Some(t.line) {
                Some(Class::Side(side))
            } else {
                None
            };
        }
    }
}
