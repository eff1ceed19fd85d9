//! One pass over the normalised text: numbers, words (with their lexicon meaning, phrases merged),
//! symbols, `@`, `%` and line breaks. Everything else (emojis, punctuation) is left out of the
//! stream; the rules that care about a separator look at the text between two tokens.

use super::lexicon::{self, Class, Lang};
use super::symbols::{Aliases, How, SymbolHit, known, known_pair};
use super::text::{Classes, classes, push_key, push_lower};

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

#[derive(Debug, Clone)]
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
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// The raw pass: spans of numbers, words, `@`, `%`, line breaks. It steps over bytes and decodes
/// a character only where the text is not ASCII.
fn scan(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let bytes = text.as_bytes();
    let cls = classes();
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
        if b == b'\n' {
            out.push(tok(Kind::Nl, i + 1));
            line += 1;
            i += 1;
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
            out.push(tok(Kind::Num, end));
            i = end;
        } else if b.is_ascii_alphabetic() {
            let end = word_end(text, i + 1, cls);
            out.push(tok(Kind::Word, end));
            i = end;
        } else if b == b'@' {
            out.push(tok(Kind::At, i + 1));
            i += 1;
        } else if b == b'%' {
            out.push(tok(Kind::Pct, i + 1));
            i += 1;
        } else if b.is_ascii() {
            i += 1;
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if cls.is_alphabetic(c) {
                let end = word_end(text, i + c.len_utf8(), cls);
                out.push(tok(Kind::Word, end));
                i = end;
            } else {
                i += c.len_utf8();
            }
        }
    }
    out
}

/// Where a word that continues at `end` stops: letters, digits, combining marks, and an
/// apostrophe followed by a letter (`don't`).
fn word_end(text: &str, mut end: usize, cls: &Classes) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(end) {
        if b.is_ascii_alphanumeric() {
            end += 1;
        } else if b == b'\'' {
            if !text[end + 1..].starts_with(|a: char| cls.is_alphabetic(a)) {
                break;
            }
            end += 1;
        } else if b.is_ascii() {
            break;
        } else {
            match text[end..].chars().next() {
                Some(d) if cls.is_alphanumeric(d) || is_mark(d) => end += d.len_utf8(),
                _ => break,
            }
        }
    }
    end
}

/// The meaning of a word, and the span of label digits glued to it (`TP1`, `هدف2`, `sl4140`).
type Span = (usize, usize);

fn classify_word(lower: &str) -> (Option<(Class, Lang)>, Option<Span>) {
    if let Some(hit) = lexicon::word(lower) {
        return (Some(hit), None);
    }
    let split = lower
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i);
    if let Some(at) = split
        && at > 0
        && lower[at..].bytes().all(|b| b.is_ascii_digit())
    {
        let prefix = &lower[..at];
        let hit = if prefix == "t" && lower.len() - at == 1 {
            Some((Class::Tp, Lang::En))
        } else {
            lexicon::word(prefix)
        };
        if let Some(hit @ (Class::Sl | Class::Tp | Class::Entry | Class::Stop, _)) = hit {
            return (Some(hit), Some((at, lower.len())));
        }
    }
    (None, None)
}

/// The text between two tokens is only spaces (and at most one of `allowed`).
fn gap_is(text: &str, from: usize, to: usize, allowed: &[char], max_spaces: usize) -> bool {
    let Some(gap) = text.get(from..to) else {
        return false;
    };
    let mut seps = 0;
    let mut spaces = 0;
    for c in gap.chars() {
        if c == ' ' {
            spaces += 1;
        } else if allowed.contains(&c) {
            seps += 1;
        } else {
            return false;
        }
    }
    seps <= 1 && spaces <= max_spaces
}

/// Lex a normalised message.
pub(crate) fn lex(text: &str, aliases: &Aliases) -> Lexed {
    let raw = scan(text);
    // Every word's lower case and alias key, made once and kept in one buffer: `lowers(k)` and
    // `keys(k)` are raw token k's.
    let mut forms = String::with_capacity(2 * text.len());
    let spans: Vec<[usize; 3]> = raw
        .iter()
        .map(|t| {
            let at = forms.len();
            if t.kind != Kind::Word {
                return [at; 3];
            }
            let word = &text[t.start..t.end];
            push_lower(&mut forms, word);
            let mid = forms.len();
            push_key(&mut forms, word);
            [at, mid, forms.len()]
        })
        .collect();
    let lowers = |k: usize| {
        spans
            .get(k)
            .and_then(|s| forms.get(s[0]..s[1]))
            .unwrap_or("")
    };
    let keys = |k: usize| {
        spans
            .get(k)
            .and_then(|s| forms.get(s[1]..s[2]))
            .unwrap_or("")
    };
    // For joining two keys or two words, reused by every word.
    let mut scratch = String::new();
    let mut out = Lexed {
        tokens: Vec::with_capacity(raw.len()),
        symbols: Vec::new(),
    };
    let mut i = 0;
    while i < raw.len() {
        let t = &raw[i];
        if t.kind != Kind::Word {
            out.tokens.push(t.clone());
            i += 1;
            continue;
        }
        let next_word = |k: usize| {
            raw.get(k)
                .filter(|n| n.kind == Kind::Word && n.line == t.line)
        };

        // Two words that are one symbol: `EUR/USD`, `CTK / USDT`, `Dow Jones`.
        if let Some(n) = next_word(i + 1)
            && gap_is(text, t.end, n.start, &['/', '-'], 3)
        {
            let slash = text[t.end..n.start].contains('/');
            if let Some((canonical, how)) =
                known_pair(aliases, keys(i), keys(i + 1), slash, &mut scratch)
            {
                push_symbol(&mut out, t, n.end, text, canonical, how);
                i += 2;
                continue;
            }
        }
        // Two words joined by `/`, `.` or `-` that are one label: `S/L`, `T.P`, `Stop-Loss`, `б/у`.
        if let Some(n) = next_word(i + 1)
            && gap_is(text, t.end, n.start, &['/', '.', '-'], 0)
            && n.start > t.end
        {
            scratch.clear();
            scratch.push_str(lowers(i));
            scratch.push_str(lowers(i + 1));
            if let (Some((class, lang)), digits) = classify_word(&scratch)
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
                    ..t.clone()
                });
                i += 2;
                continue;
            }
        }
        // Phrases: `stop loss`, `take profit`, `حد ضرر`, `wait for`.
        let mut matched = None;
        for (rest, class, lang) in lexicon::phrases(lowers(i)) {
            let mut k = i;
            let ok = rest.iter().all(|w| {
                let Some(n) = next_word(k + 1) else {
                    return false;
                };
                let ok = gap_is(text, raw[k].end, n.start, &['-'], 3)
                    && lexicon::phrase_word_matches(w, lowers(k + 1));
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
                ..t.clone()
            });
            i = last + 1;
            continue;
        }
        // One word: a lexicon word, else a symbol.
        let (hit, digits) = classify_word(lowers(i));
        if let Some((class, lang)) = hit {
            out.tokens.push(Token {
                class: Some(class),
                lang: Some(lang),
                digits: digits.map(|(a, b)| (t.start + a, t.start + b)),
                ..t.clone()
            });
        } else if let Some((canonical, how)) = known(aliases, keys(i)) {
            push_symbol(&mut out, t, t.end, text, canonical, how);
        } else {
            out.tokens.push(t.clone());
        }
        i += 1;
    }
    if out.symbols.is_empty() {
        find_tickers(text, &mut out);
    }
    resolve_bias(&mut out.tokens);
    out
}

fn push_symbol(out: &mut Lexed, t: &Token, end: usize, text: &str, canonical: String, how: How) {
    out.symbols.push(SymbolHit {
        canonical,
        raw: text[t.start..end].to_string(),
        how,
    });
    out.tokens.push(Token {
        kind: Kind::Sym(out.symbols.len() - 1),
        end,
        ..t.clone()
    });
}

/// Bare tickers, used only when no known symbol is named: `#xbt`, `$ONDO`, or a capitalised word
/// next to a side word (`Buy FET at`).
fn find_tickers(text: &str, out: &mut Lexed) {
    let n = out.tokens.len();
    for i in 0..n {
        let t = &out.tokens[i];
        if t.kind != Kind::Word || t.class.is_some() {
            continue;
        }
        let raw = &text[t.start..t.end];
        if !(2..=10).contains(&raw.len())
            || !raw.is_ascii()
            || !raw.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            continue;
        }
        let marked = text[..t.start].ends_with(['#', '$']);
        let capitals = raw.len() <= 6 && raw.bytes().all(|b| b.is_ascii_uppercase());
        let side_at = |k: Option<usize>| {
            k.and_then(|k| out.tokens.get(k))
                .is_some_and(|s| s.line == t.line && matches!(s.class, Some(Class::Side(_))))
        };
        let by_side = capitals && (side_at(i.checked_sub(1)) || side_at(Some(i + 1)));
        if marked || by_side {
            let raw = raw.to_ascii_uppercase();
            out.symbols.push(SymbolHit {
                canonical: raw.clone(),
                raw,
                how: How::Ticker,
            });
            out.tokens[i].kind = Kind::Sym(out.symbols.len() - 1);
            return;
        }
    }
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
