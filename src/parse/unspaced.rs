//! Scripts written without spaces between words — Thai, Chinese, Japanese, Lao, Khmer, Myanmar.
//!
//! "ปิดครึ่งทองคำ" is "close half gold" with nothing between the words, so a run of these
//! letters is cut into the vocabulary's words (the lexicon's and the built-in symbol names) by
//! longest match, left to right; the letters between two known words stay one unknown word.
//! Every later rule then sees the same words it sees in a spaced language.

use std::sync::LazyLock;

use super::text::FastMap;

/// A letter of a script that writes no spaces between words.
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E01..=0x0E4F // Thai (its digits fold to ASCII before this)
        | 0x0E81..=0x0ECF // Lao
        | 0x1000..=0x103F // Myanmar
        | 0x1780..=0x17DD // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
    )
}

/// The known words of these scripts, by first letter, longest first.
struct Dictionary(FastMap<char, Vec<&'static str>>);

static DICTIONARY: LazyLock<Dictionary> = LazyLock::new(|| {
    let mut by_first: FastMap<char, Vec<&'static str>> = FastMap::default();
    let words = super::lexicon::table_words().chain(super::symbols::built_in_names());
    for w in words {
        if let Some(first) = w.chars().next()
            && is_unspaced(first)
            && w.chars().all(is_unspaced)
        {
            by_first.entry(first).or_default().push(w);
        }
    }
    for list in by_first.values_mut() {
        list.sort_unstable_by_key(|w| std::cmp::Reverse(w.len()));
        list.dedup();
    }
    Dictionary(by_first)
});

impl Dictionary {
    /// The longest known word at the start of `rest`.
    fn longest(&self, rest: &str) -> Option<usize> {
        let first = rest.chars().next()?;
        self.0
            .get(&first)?
            .iter()
            .find(|w| rest.starts_with(*w))
            .map(|w| w.len())
    }
}

/// Where the run of unspaced letters that starts at `start` ends.
pub(crate) fn run_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|&(_, c)| !is_unspaced(c))
        .map_or(text.len(), |(k, _)| start + k)
}

/// Cut `run` into words: each known word alone, and the letters between two known words as one
/// unknown word. Spans are byte offsets into `run`.
pub(crate) fn cut(run: &str, mut word: impl FnMut(usize, usize)) {
    let dictionary = &*DICTIONARY;
    let mut unknown_from = None;
    let mut at = 0;
    while at < run.len() {
        if let Some(len) = dictionary.longest(&run[at..]) {
            if let Some(from) = unknown_from.take() {
                word(from, at);
            }
            word(at, at + len);
            at += len;
        } else {
            unknown_from.get_or_insert(at);
            at += run[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if let Some(from) = unknown_from {
        word(from, run.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(run: &str) -> Vec<&str> {
        let mut out = Vec::new();
        cut(run, |a, b| out.push(&run[a..b]));
        out
    }

    #[test]
    fn a_run_is_cut_into_known_words_longest_first() {
        assert_eq!(words("ปิดครึ่งทองคำ"), ["ปิด", "ครึ่ง", "ทองคำ"]);
        assert_eq!(words("黄金买入"), ["黄金", "买入"]);
        assert_eq!(words("ゴールド買い"), ["ゴールド", "買い"]);
    }

    #[test]
    fn letters_between_known_words_stay_one_word() {
        assert_eq!(words("สวัสดีปิดครึ่ง"), ["สวัสดี", "ปิด", "ครึ่ง"]);
        assert_eq!(words("今天天气"), ["今天天气"]);
        assert_eq!(words(""), Vec::<&str>::new());
    }
}
