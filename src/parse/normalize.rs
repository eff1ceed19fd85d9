//! Folding a message into plain text before it is read.
//!
//! Channels write the same thing in many ways: Telegram markdown, non-breaking spaces, full-width
//! forms (`Ｘ`, `０`), "fancy font" letters (`𝐁𝐔𝐘`), superscript indices (`TP¹`), Arabic-Indic and
//! Persian digits, Arabic tatweel stretching (`بيــع`). Folding them here means every later rule
//! sees one spelling. This is the part of NFKC that matters for signals, written out so that no
//! Unicode tables are needed.

/// Plain text: one line-break style, no markdown, ASCII digits and punctuation where a fold exists.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`] into a buffer that is kept from one message to the next.
pub(crate) fn normalize_into(text: &str, out: &mut String) {
    if text.contains('|')
        && let Some(unrolled) = untable(text)
    {
        return normalize_into(&unrolled, out);
    }
    if text.contains('#')
        && let Some(words) = unhashtag(text)
    {
        return normalize_into(&words, out);
    }
    if text.starts_with('{')
        && let Some(fields) = unjson(text)
    {
        return normalize_into(&fields, out);
    }
    if let Some(line) = unstack(text) {
        return normalize_into(&line, out);
    }
    if text.contains("~~")
        && let Some(kept) = unstrike(text)
    {
        return normalize_into(&kept, out);
    }
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        // Most of a message folds to itself: copy it a run at a time.
        let run = bytes[i..]
            .iter()
            .position(|&b| !folds_to_itself(b))
            .map_or(bytes.len(), |n| i + n);
        out.push_str(&text[i..run]);
        i = run;
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match c {
            '\r' => {
                if bytes.get(i) != Some(&b'\n') {
                    out.push('\n');
                }
            }
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\t' => {
                out.push(' ')
            }
            // Invisible joiners, variation selectors, tatweel and markdown emphasis carry no meaning
            // and may split a number ("4**009").
            '\u{200b}'..='\u{200f}'
            | '\u{2060}'
            | '\u{feff}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{0640}'
            | '*'
            | '`' => {}
            '_' | '~' | '|' => out.push(' '),
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' => out.push('-'),
            '\u{2044}' | '\u{2215}' => out.push('/'),
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            // "S&P 500", "S&P": the index's usual name, as one word ("SPX500", "SPX").
            '&' if out.ends_with(['S', 's']) && text[i..].starts_with(['P', 'p']) => {
                let rest = &text[i + 1..];
                let digits = rest.trim_start_matches(' ');
                if digits.starts_with("500") {
                    out.push_str("PX500");
                    i = text.len() - digits.len() + 3;
                } else {
                    out.push_str("PX");
                    i += 1;
                }
            }
            '\u{061f}' => out.push('?'),
            '\u{060c}' => out.push(','),
            '\u{066b}' => out.push('.'),
            '\u{066a}' => out.push('%'),
            '\u{066c}' => out.push(','),
            // Uzbek writes its oʻ and gʻ with a turned comma.
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{02bb}' => out.push('\''),
            // Emoji that stand for a label when a price follows: a red mark for the stop, a
            // target or a blue/green mark for a take profit ("🔴 4079", "🎯 4096").
            '🔴' | '⛔' | '🛑' | '❌' | '🟥' if stands_for_label(out, &text[i..]) => {
                out.push_str(" SL ")
            }
            '🎯' | '🔵' | '🟢' | '🟩' | '💰' | '💵' | '✅' if stands_for_label(out, &text[i..]) => {
                out.push_str(" TP ")
            }
            // A target or a stop sign means its label wherever a price follows it ("SL 2379 🎯
            // 2391 🎯 2396", "🛑 ➡️ 61.00", "🛑 ➡️ BE"); the coloured marks only at a line's
            // start. A pin is the entry ("📍 47950").
            '🎯' if price_follows(&text[i..]) => out.push_str(" TP "),
            '⛔' | '🛑' if price_follows(&text[i..]) || breakeven_follows(&text[i..]) => {
                out.push_str(" SL ")
            }
            '📍' if price_follows(&text[i..]) => out.push_str(" Entry "),
            // List markers — circled digits (①, ❶, ➀, ➊) and a keycap's enclosing mark (1️⃣) —
            // stay an index: `① 940` is target 1 at 940, never 1,940 written with a space.
            '\u{2460}'..='\u{2468}'
            | '\u{2776}'..='\u{277e}'
            | '\u{2780}'..='\u{2788}'
            | '\u{278a}'..='\u{2792}' => {
                let first = match c {
                    '\u{2460}'..='\u{2468}' => 0x2460,
                    '\u{2776}'..='\u{277e}' => 0x2776,
                    '\u{2780}'..='\u{2788}' => 0x2780,
                    _ => 0x278a,
                };
                out.push(char::from_digit(c as u32 - first + 1, 10).unwrap_or('1'));
                out.push(')');
            }
            '\u{20e3}' => out.push(')'),
            // The Greek question mark.
            '\u{037e}' => out.push('?'),
            // "平仓三成，": tenths ("三成" is 30 %), where no other word goes on.
            '一' | '二' | '两' | '三' | '四' | '五' | '六' | '七' | '八' | '九'
                if text[i..].starts_with('成')
                    && !text[i + '成'.len_utf8()..].starts_with(|n: char| {
                        ('\u{4e00}'..='\u{9fff}').contains(&n) && n != '仓'
                    }) =>
            {
                let tenths = match c {
                    '一' => 1,
                    '二' | '两' => 2,
                    '三' => 3,
                    '四' => 4,
                    '五' => 5,
                    '六' => 6,
                    '七' => 7,
                    '八' => 8,
                    _ => 9,
                };
                out.push(' ');
                out.push_str(&(tenths * 10).to_string());
                out.push_str("% ");
                i += '成'.len_utf8();
            }
            c => match fold(c) {
                Some(f) => out.push(f),
                None => out.push(c),
            },
        }
    }
    if out.contains(';') {
        greek_questions(out);
    }
}

/// Greek writes its question mark as a semicolon ("αγορά ή πώληση;", "στα 4380; 🤔"): one
/// that ends a line with Greek words in it is `?`.
fn greek_questions(out: &mut String) {
    let greek = |c: char| matches!(c, '\u{0370}'..='\u{03ff}' | '\u{1f00}'..='\u{1fff}');
    let mut asked = Vec::new();
    let mut at = 0;
    for line in out.split('\n') {
        if let Some(k) = line.rfind(';')
            && !line[k + 1..].contains(char::is_alphanumeric)
            && line[..k].contains(greek)
        {
            asked.push(at + k);
        }
        at += line.len() + 1;
    }
    for k in asked {
        out.replace_range(k..k + 1, "?");
    }
}

/// A table written with `|` columns — a row of labels over rows of values ("| Pair | Side |
/// Entry | SL | TP1 |" / "| XAUUSD | BUY | 4058 | 4049 | 4070 |") — with each value beside its
/// label, a row to a line, as a one-line ticket is written. `None` when the text has no such
/// table.
fn untable(text: &str) -> Option<String> {
    fn cells(line: &str) -> Option<Vec<&str>> {
        let line = line.trim();
        if line.matches('|').count() < 2 {
            return None;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        (cells.len() >= 2).then_some(cells)
    }
    // A label is words, at most with an index ("TP1"); a rule row is dashes.
    let labels = |row: &[&str]| {
        row.iter().all(|c| {
            !c.is_empty()
                && c.chars().any(char::is_alphabetic)
                && c.chars().filter(char::is_ascii_digit).count() <= 1
        })
    };
    let rule = |row: &[&str]| {
        row.iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let head = lines
        .iter()
        .position(|l| cells(l).is_some_and(|row| labels(&row)))?;
    let header = cells(lines[head])?;
    let mut out = lines[..head].join("\n");
    let mut rows = 0;
    let mut at = head + 1;
    while let Some(row) = lines.get(at).and_then(|l| cells(l)) {
        at += 1;
        if rule(&row) {
            continue;
        }
        if row.len() != header.len() {
            return None;
        }
        out.push('\n');
        for (k, (label, value)) in header.iter().zip(&row).enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(label);
            out.push(' ');
            out.push_str(value);
        }
        rows += 1;
    }
    if rows == 0 {
        return None;
    }
    for line in &lines[at..] {
        out.push('\n');
        out.push_str(line);
    }
    Some(out)
}

/// An emoji at the start of a line, or of a field after a separator, with a price after it
/// ("🔴 4079", "Risk 4130 · 💰 4108"), not one beside a word ("BUY 🟢 2350": the colour of the
/// side).
fn stands_for_label(written: &str, rest: &str) -> bool {
    let line = written.rsplit('\n').next().unwrap_or("");
    let line = line.trim_end();
    (line.is_empty() || line.ends_with(['·', '•', '|', ';'])) && price_follows(rest)
}

/// The text goes on with a price: spaces, a colon, an arrow or a variation selector, then a
/// digit.
fn price_follows(rest: &str) -> bool {
    after_marks(rest).starts_with(|c: char| c.is_ascii_digit())
}

/// The text goes on with "BE" past spaces and an arrow ("🛑 ➡️ BE").
fn breakeven_follows(rest: &str) -> bool {
    let rest = after_marks(rest);
    rest.get(..2).is_some_and(|w| w.eq_ignore_ascii_case("be"))
        && !rest[2..].starts_with(|c: char| c.is_alphanumeric())
}

fn after_marks(rest: &str) -> &str {
    rest.trim_start_matches([' ', ':', '\u{fe0f}', '\u{a0}', '➡', '→', '='])
}

/// A byte of a character that `normalize` keeps as it is: ASCII but for the few it replaces, and
/// two-byte characters (Latin letters, Greek, Cyrillic, Hebrew, most Arabic) whose lead byte
/// rules out every character folded below U+0800 (those are in U+0080–00BF, U+0280–02BF,
/// U+0600–067F and U+06C0–06FF: leads C2, CA, D8, D9, DB). A continuation byte (80–BF) is only
/// reached after a lead byte that passed. A table, because this is asked of every byte.
static KEEPS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'\r' | b'\t' | b'*' | b'`' | b'_' | b'~' | b'|' | b'&' => false,
            0x00..=0xBF | 0xC3..=0xC9 | 0xCB..=0xD7 | 0xDA | 0xDC..=0xDF => true,
            _ => false,
        };
        b += 1;
    }
    t
};

/// A bot's JSON object (`{"sym":"ETHUSDT","sl":3220,"tp":[3420,3520]}`) as fields, one a line
/// (`sym: ETHUSDT` / `sl: 3220` / `tp: 3420 3520`): a comma in it parts values, never a decimal.
/// `None` unless the message is one object.
fn unjson(text: &str) -> Option<String> {
    let text = text.trim();
    if !text.ends_with('}') || !text.contains("\":") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut in_array = false;
    for c in text[1..text.len() - 1].chars() {
        match c {
            '"' => {}
            '[' => in_array = true,
            ']' => in_array = false,
            ',' if in_array => out.push(' '),
            ',' => out.push('\n'),
            ':' if !in_array => out.push_str(": "),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Struck-out values (`~~SL 1.3255~~ SL 1.3260`) left out: the value corrected is no longer
/// meant. `None` when no pair of marks strikes a number.
fn unstrike(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut struck = false;
    while let Some(open) = rest.find("~~") {
        let Some(close) = rest[open + 2..].find("~~") else {
            break;
        };
        out.push_str(&rest[..open]);
        // A struck label alone ("~~SL~~ 2360") is decoration: only a struck value goes.
        let inner = &rest[open + 2..open + 2 + close];
        if inner.bytes().any(|b| b.is_ascii_digit()) {
            struck = true;
        } else {
            out.push_str(inner);
        }
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    struck.then_some(out)
}

/// A message written a word a line ("GOLD / move / SL / to / BE", "XAUUSD / BUY / 4036 / SL /
/// 4026 / TP / 4045") as one line: each line alone is no sentence. Four lines or more, each
/// one word or number; `None` otherwise.
fn unstack(text: &str) -> Option<String> {
    if !text.contains('\n') {
        return None;
    }
    let mut lines = 0;
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.contains(' ') || line.chars().count() > 12 {
            return None;
        }
        lines += 1;
    }
    (lines >= 4).then(|| {
        text.split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Hashtags written as phrases ("#CloseNow", "#NewSL 1.1600", "#BuyAbove151.60") as their
/// words ("Close Now", "New SL 1.1600", "Buy Above 151.60"). A tag in one case (`#XAUUSD`,
/// `#TP1`, `#gold`) is a name and stays. `None` when no tag is a phrase.
fn unhashtag(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut last = 0;
    for (at, _) in text.match_indices('#') {
        let tag_start = at + 1;
        let len = text[tag_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '%'))
            .unwrap_or(text.len() - tag_start);
        let tag = &text[tag_start..tag_start + len];
        let b = tag.as_bytes();
        // Where one word ends and the next starts: a lower-case letter then a capital or a
        // digit ("CloseNow", "Close50%"), or capitals then two lower-case letters ("SLtoBE").
        let starts_word = |i: usize| {
            i > 0
                && (b[i - 1].is_ascii_lowercase()
                    && (b[i].is_ascii_uppercase() || b[i].is_ascii_digit())
                    || i > 1
                        && b[i - 2].is_ascii_uppercase()
                        && b[i - 1].is_ascii_uppercase()
                        && b[i].is_ascii_lowercase()
                        && b.get(i + 1).is_some_and(u8::is_ascii_lowercase))
        };
        if !(0..b.len()).any(starts_word) || at < last {
            continue;
        }
        out.push_str(&text[last..at]);
        for (i, &c) in b.iter().enumerate() {
            if starts_word(i) {
                out.push(' ');
            }
            out.push(char::from(c));
        }
        last = tag_start + len;
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn folds_to_itself(b: u8) -> bool {
    KEEPS[usize::from(b)]
}

/// The plain character a compatibility form stands for.
fn fold(c: char) -> Option<char> {
    let u = c as u32;
    let digit = |d: u32| char::from_digit(d, 10);
    match u {
        // Full-width ASCII: `Ｘ`, `０`, `：`, `＠`.
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0),
        // Arabic-Indic and Persian (extended) digits.
        0x0660..=0x0669 => digit(u - 0x0660),
        0x06F0..=0x06F9 => digit(u - 0x06F0),
        // Thai, Devanagari and Bengali digits.
        0x0E50..=0x0E59 => digit(u - 0x0E50),
        0x0966..=0x096F => digit(u - 0x0966),
        0x09E6..=0x09EF => digit(u - 0x09E6),
        // Lao, Khmer and Myanmar digits.
        0x0ED0..=0x0ED9 => digit(u - 0x0ED0),
        0x17E0..=0x17E9 => digit(u - 0x17E0),
        0x1040..=0x1049 => digit(u - 0x1040),
        // A check mark is the heavy one every rule looks for: "T1 58.90 ✓".
        0x2713 => Some('✔'),
        // Superscripts and subscripts: `TP¹`.
        0x00B9 => Some('1'),
        0x00B2 => Some('2'),
        0x00B3 => Some('3'),
        0x2070 => Some('0'),
        0x2074..=0x2079 => digit(u - 0x2070),
        0x2080..=0x2089 => digit(u - 0x2080),
        // Mathematical alphanumerics ("fancy fonts"): 13 styles of A–Z a–z, then 5 of 0–9.
        0x1D400..=0x1D6A3 => {
            let k = (u - 0x1D400) % 52;
            let base = if k < 26 { b'A' } else { b'a' };
            char::from_u32(u32::from(base) + k % 26)
        }
        0x1D7CE..=0x1D7FF => digit((u - 0x1D7CE) % 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_the_forms_channels_use() {
        assert_eq!(normalize("Ｘ ０１２"), "X 012");
        assert_eq!(normalize("٤٢٢٦-٤٢٣١"), "4226-4231");
        assert_eq!(normalize("۴۲۲۶"), "4226");
        assert_eq!(normalize("بيــع"), "بيع");
        assert_eq!(normalize("TP¹ TP²"), "TP1 TP2");
        assert_eq!(normalize("𝐁𝐔𝐘 𝐠𝐨𝐥𝐝 𝟒𝟏"), "BUY gold 41");
        assert_eq!(normalize("**4**009"), "4009");
        assert_eq!(normalize("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(normalize("4\u{a0}150\u{2013}4147"), "4 150-4147");
        assert_eq!(normalize("① 940 ❷ 965 ➂ 1,000"), "1) 940 2) 965 3) 1,000");
        assert_eq!(
            normalize("Signal\n| Pair | Side | SL |\n|---|---|---|\n| XAUUSD | BUY | 4049 |\nGL"),
            "Signal\nPair XAUUSD, Side BUY, SL 4049\nGL"
        );
        assert_eq!(normalize("TP 4100 | 4110 | 4120"), "TP 4100   4110   4120");
        assert_eq!(normalize("1\u{fe0f}\u{20e3} 940"), "1) 940");
    }
}
