//! Character tests, case folding and table hashing on the lexer's hot path.
//!
//! Each function here gives exactly the answer of the standard library call it replaces; it only
//! avoids the per-character Unicode table searches and the allocation of a new `String` per word
//! that made reading a message cost thousands of instructions per word.

use std::sync::LazyLock;

/// FxHash (the `rustc-hash` crate): the tables are built from our vocabulary and a config's
/// aliases, never from message text, so SipHash's resistance to chosen keys buys nothing here, and
/// it was a large part of every word's lookup.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Code points below this are answered from a bitmap: Latin, Greek, Cyrillic, Hebrew, Arabic and
/// Persian letters, which is nearly all the non-ASCII text channels write.
const TABLE_END: u32 = 0x800;

const WORDS: usize = TABLE_END as usize / 64;

/// Not a character: the case mapping is several characters (`ß` → `SS`).
const SEVERAL: u32 = u32::MAX;

pub(crate) struct Classes {
    alphabetic: [u64; WORDS],
    alphanumeric: [u64; WORDS],
    uppercase: [u64; WORDS],
    /// Each code point's upper and lower case when it is one character, else `SEVERAL`.
    upper: [u32; TABLE_END as usize],
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
        uppercase: [0; WORDS],
        upper: [SEVERAL; TABLE_END as usize],
        lower: [SEVERAL; TABLE_END as usize],
    };
    for u in 0..TABLE_END {
        let Some(ch) = char::from_u32(u) else {
            continue;
        };
        c.upper[u as usize] = single(ch.to_uppercase());
        c.lower[u as usize] = single(ch.to_lowercase());
        let (word, bit) = ((u / 64) as usize, 1u64 << (u % 64));
        if ch.is_uppercase() {
            c.uppercase[word] |= bit;
        }
        if ch.is_alphabetic() {
            c.alphabetic[word] |= bit;
        }
        if ch.is_alphanumeric() {
            c.alphanumeric[word] |= bit;
        }
    }
    c
});

fn in_table(table: &[u64], u: u32) -> bool {
    table[(u / 64) as usize] & (1u64 << (u % 64)) != 0
}

/// The tables, for a loop over many characters to fetch once.
pub(crate) fn classes() -> &'static Classes {
    &CLASSES
}

impl Classes {
    /// `c.is_alphabetic()`.
    pub(crate) fn is_alphabetic(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            c.is_ascii_alphabetic()
        } else if u < TABLE_END {
            in_table(&self.alphabetic, u)
        } else {
            c.is_alphabetic()
        }
    }

    /// `c.is_alphanumeric()`.
    pub(crate) fn is_alphanumeric(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            c.is_ascii_alphanumeric()
        } else if u < TABLE_END {
            in_table(&self.alphanumeric, u)
        } else {
            c.is_alphanumeric()
        }
    }
}

/// Append the one-character mapping of `c` from `table`, or `several` when it has no single one
/// (or lies past the table).
#[inline]
fn push_mapped(
    table: &[u32; TABLE_END as usize],
    out: &mut String,
    c: char,
    several: impl FnOnce(char, &mut String),
) {
    let one = table.get(c as usize).copied().unwrap_or(SEVERAL);
    match char::from_u32(one) {
        Some(m) => out.push(m),
        None => several(c, out),
    }
}

impl Classes {
    /// `c.is_uppercase()`.
    fn is_uppercase(&self, c: char) -> bool {
        let u = c as u32;
        if u < 0x80 {
            c.is_ascii_uppercase()
        } else if u < TABLE_END {
            in_table(&self.uppercase, u)
        } else {
            c.is_uppercase()
        }
    }

    /// Append `c.to_uppercase()`.
    fn push_upper(&self, out: &mut String, c: char) {
        push_mapped(&self.upper, out, c, |c, out| out.extend(c.to_uppercase()));
    }

    /// Append `c.to_lowercase()`.
    fn push_lower(&self, out: &mut String, c: char) {
        push_mapped(&self.lower, out, c, |c, out| out.extend(c.to_lowercase()));
    }
}

/// Append what `lower()` of the lexer gives for a word: `s.to_lowercase()` when a letter of it is
/// upper case, else `s` unchanged (a title-case letter such as `ǅ` alone is left as written).
pub(crate) fn push_lower(out: &mut String, s: &str) {
    if s.is_ascii() {
        let at = out.len();
        out.push_str(s);
        out[at..].make_ascii_lowercase();
        return;
    }
    let cls = classes();
    if !s.chars().any(|c| cls.is_uppercase(c)) {
        out.push_str(s);
    } else if s.contains('Σ') {
        // A final sigma depends on its neighbours: leave it to the standard library.
        out.push_str(&s.to_lowercase());
    } else {
        for c in s.chars() {
            cls.push_lower(out, c);
        }
    }
}

/// Append the alias key of `raw`: its letters and digits, upper case (see `symbols::key_of`).
pub(crate) fn push_key(out: &mut String, raw: &str) {
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let at = out.len();
        out.push_str(raw);
        out[at..].make_ascii_uppercase();
    } else if raw.is_ascii() {
        out.extend(
            raw.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_uppercase())),
        );
    } else {
        let cls = classes();
        for c in raw.chars().filter(|&c| cls.is_alphanumeric(c)) {
            cls.push_upper(out, c);
        }
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
            assert_eq!(classes().is_uppercase(c), c.is_uppercase(), "{u:x}");
            let (mut up, mut low) = (String::new(), String::new());
            classes().push_upper(&mut up, c);
            classes().push_lower(&mut low, c);
            assert_eq!(up, c.to_uppercase().collect::<String>(), "{u:x}");
            assert_eq!(low, c.to_lowercase().collect::<String>(), "{u:x}");
        }
        for s in [
            "BUY",
            "Gold",
            "ЗОЛОТО",
            "ΣΑΣ",
            "ǅemal",
            "İstanbul",
            "STRAẞE",
            "وقف",
            "x'Y",
        ] {
            let mut out = String::new();
            push_lower(&mut out, s);
            let want = if s.chars().any(char::is_uppercase) {
                s.to_lowercase()
            } else {
                s.to_string()
            };
            assert_eq!(out, want, "{s}");
            let mut key = String::new();
            push_key(&mut key, s);
            let want: String = s
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect();
            assert_eq!(key, want, "{s}");
        }
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
