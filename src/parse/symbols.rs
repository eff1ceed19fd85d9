//! Symbol names as channels write them, and their canonical broker names.

use std::sync::LazyLock;

use regex::Regex;

/// Every alias the parser knows, longest first where two share a start (leftmost-first alternation).
/// Spaces inside an alias are `[ \t]*`: never across a line break.
pub(crate) const SYMBOL_ALTS: &str = r"\b(?:xau[ \t]*[/-]?[ \t]*usd|gold|xau|xag[ \t]*[/-]?[ \t]*usd|silver|btc[ \t]*[/-]?[ \t]*usdt|btc[ \t]*[/-]?[ \t]*usd|bitcoin|btc|xbt[ \t]*[/-]?[ \t]*usd|eth[ \t]*[/-]?[ \t]*usdt|eth[ \t]*[/-]?[ \t]*usd|ethereum|us[ \t]*30|dj[ \t]*30|djia|dow(?:[ \t]+jones)?|wall[ \t]+street|us[ \t]*100|nas[ \t]*100|nasdaq(?:[ \t]*100)?|nas|ustec|us[ \t]*500|spx(?:[ \t]*500)?|sp[ \t]*500|ger[ \t]*40|de[ \t]*40|dax(?:[ \t]*40)?|ger[ \t]*30|(?:eur|gbp|usd|jpy|chf|aud|nzd|cad)[ \t]*[/-]?[ \t]*(?:eur|gbp|usd|jpy|chf|aud|nzd|cad))";

static SYMBOL_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!("(?i){SYMBOL_ALTS}")).ok());

/// The canonical name of an alias as matched by [`SYMBOL_ALTS`]; `None` for a non-pair like `USDUSD`.
pub(crate) fn canonical(raw: &str) -> Option<String> {
    let key: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let name = match key.as_str() {
        "GOLD" | "XAU" | "XAUUSD" => "XAUUSD",
        "SILVER" | "XAGUSD" => "XAGUSD",
        "BTC" | "BTCUSD" | "BITCOIN" | "XBTUSD" => "BTCUSD",
        "BTCUSDT" => "BTCUSDT",
        "ETHUSD" | "ETHEREUM" => "ETHUSD",
        "ETHUSDT" => "ETHUSDT",
        "US30" | "DJ30" | "DJIA" | "DOW" | "DOWJONES" | "WALLSTREET" => "US30",
        "US100" | "NAS100" | "NASDAQ" | "NASDAQ100" | "NAS" | "USTEC" => "NAS100",
        "US500" | "SPX" | "SPX500" | "SP500" => "US500",
        "GER40" | "DE40" | "DAX" | "DAX40" => "GER40",
        "GER30" => "GER30",
        pair if pair.len() == 6 && pair[..3] != pair[3..] => pair,
        _ => return None,
    };
    Some(name.to_string())
}

/// One symbol mention: its canonical name, the text as written, its byte span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SymbolHit {
    pub canonical: String,
    pub raw: String,
    pub start: usize,
    pub end: usize,
}

/// Whether a match ends where a word ends (`GOLD` in `GOLD:` but not in `GOLDMAN`).
pub(crate) fn ends_word(text: &str, end: usize) -> bool {
    text.get(end..)
        .and_then(|rest| rest.chars().next())
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Every symbol mentioned in `text`, in order.
pub(crate) fn find_symbols(text: &str) -> Vec<SymbolHit> {
    let Some(re) = SYMBOL_RE.as_ref() else {
        return Vec::new();
    };
    re.find_iter(text)
        .filter(|m| ends_word(text, m.end()))
        .filter_map(|m| {
            Some(SymbolHit {
                canonical: canonical(m.as_str())?,
                raw: m.as_str().to_string(),
                start: m.start(),
                end: m.end(),
            })
        })
        .collect()
}

/// The canonical name of the first symbol mentioned in `text` (`"gold"` → `XAUUSD`).
pub fn canonical_symbol(text: &str) -> Option<String> {
    find_symbols(text).into_iter().next().map(|h| h.canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<String> {
        find_symbols(text).into_iter().next().map(|h| h.canonical)
    }

    #[test]
    fn aliases_are_canonicalised() {
        for (text, want) in [
            ("GOLD", "XAUUSD"),
            ("xau", "XAUUSD"),
            ("XAU/USD", "XAUUSD"),
            ("#XAUUSD", "XAUUSD"),
            ("EUR/USD", "EURUSD"),
            ("gbp usd", "GBPUSD"),
            ("Usdjpy", "USDJPY"),
            ("DOW", "US30"),
            ("DJ30", "US30"),
            ("us30", "US30"),
            ("NASDAQ", "NAS100"),
            ("NAS", "NAS100"),
            ("US100", "NAS100"),
            ("nas100", "NAS100"),
            ("BTC", "BTCUSD"),
            ("BTC/USD", "BTCUSD"),
            ("Bitcoin", "BTCUSD"),
            ("BTC/USDT", "BTCUSDT"),
            ("$BTCUSD", "BTCUSD"),
        ] {
            assert_eq!(first(text).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn words_that_merely_start_like_a_symbol_are_not_symbols() {
        for text in ["Goldman", "nasty", "usd usd", "dowel", "eurusdx"] {
            assert_eq!(first(text), None, "{text}");
        }
    }
}
