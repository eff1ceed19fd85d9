//! Reading the numbers of a message: `2350`, `2350.50`, `4,150.25`, `1,0850`, `2355,2360`.

use super::levels::LineStart;
use super::lexicon::Lang;
use super::tokens::{Kind, Lexed};

/// The numbers one digit run stands for, as the number regex `\d+(?:[.,]\d+)*` cut it.
///
/// - `4,150` and `4,150.25`: comma thousands → one number.
/// - `1,0850`, `0,950`: a decimal comma (the integer part is short and the group is not three digits,
///   or the integer part is a lone zero) → one number.
/// - `1.234,56`: dot thousands with a decimal comma → one number.
/// - `2355,2360,2370`, `1.1620,1.1650`: a list written without spaces → several numbers.
/// - `2017.10.06` and other runs of several dots: not a price → nothing.
///
/// Only finite, strictly positive values come back. A run longer than 32 bytes, or a number with
/// more significant digits than an `f64` keeps, reads as nothing and says so in `doubt`: read, it
/// would be a different number from the one written.
pub(crate) fn read_numbers(run: &str) -> Numbers {
    read_numbers_with(run, false)
}

/// [`read_numbers`] in a message that writes decimals with a comma elsewhere (`0,97`, `1,01`):
/// there `1,105` is 1.105 too, not 1105.
pub(crate) fn read_numbers_with(run: &str, decimal_comma: bool) -> Numbers {
    let mut out = Numbers::default();
    if run.is_empty() {
        return out;
    }
    if run.len() > 32 {
        out.doubt = Some("a run of digits too long for a price");
        return out;
    }
    // `96 500`: thousands written with spaces (the lexer joins only groups of three digits).
    if run.contains(' ') {
        let joined: String = run.chars().filter(|&c| c != ' ').collect();
        return read_numbers(&joined);
    }
    // `91k2`, `93k`, `55.5k`: thousands written with a `k`.
    if let Some((int, frac)) = run.split_once(['k', 'K', 'к', 'К']) {
        let mut value = read_numbers(int);
        if let [v] = *value
            && frac.bytes().all(|b| b.is_ascii_digit())
            && (!int.contains('.') || frac.is_empty())
        {
            let frac_value = if frac.is_empty() {
                0.0
            } else {
                frac.parse::<f64>().unwrap_or(0.0) / 10f64.powi(frac.len() as i32)
            };
            return Numbers::one(((v + frac_value) * 1000.0 * 1e6).round() / 1e6);
        }
        value = Numbers::default();
        value.doubt = Some("a number in thousands that is not one");
        return value;
    }
    let dots = run.bytes().filter(|&b| b == b'.').count();
    let commas = run.bytes().filter(|&b| b == b',').count();
    match (dots, commas) {
        // The usual price: read without building a list.
        (0 | 1, 0) => out.read(run),
        (_, 0) => {}
        (0, 1) if decimal_comma => {
            if let Some((int, frac)) = run.split_once(',') {
                out.read(&format!("{int}.{frac}"));
            }
        }
        (0, _) => commas_only(run, &mut out),
        _ => mixed(run, &mut out),
    }
    out
}

/// The most significant digits an `f64` carries exactly through a decimal round trip.
const MAX_SIGNIFICANT: usize = 15;

/// The numbers of one run, held inline: a run of at most 32 bytes holds at most 16 numbers (each
/// at least one digit, with a separator between two), and reading a price should not allocate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Numbers {
    len: usize,
    values: [f64; 16],
    /// Why a number of the run could not be read as written, if one could not.
    pub doubt: Option<&'static str>,
}

impl Numbers {
    pub(crate) fn one(v: f64) -> Numbers {
        let mut n = Numbers::default();
        n.push(v);
        n
    }

    /// Keep `v` if it is finite and strictly positive.
    fn push(&mut self, v: f64) {
        if v.is_finite() && v > 0.0 && self.len < self.values.len() {
            self.values[self.len] = v;
            self.len += 1;
        }
    }

    /// Read one number written with a dot for decimals (`4150.25`), unless it is too precise
    /// to be read as written.
    fn read(&mut self, s: &str) {
        if s.is_empty() || s.starts_with('.') || s.ends_with('.') {
            return;
        }
        if let Some(v) = plain_decimal(s) {
            self.push(v);
            return;
        }
        if significant_digits(s) > MAX_SIGNIFICANT {
            self.doubt = Some("more significant digits than a price can carry");
            return;
        }
        if let Ok(v) = s.parse::<f64>() {
            self.push(v);
        }
    }
}

impl std::ops::Deref for Numbers {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.values[..self.len]
    }
}

/// `4150.25` read without the general parser: digits with at most one dot, fifteen digits at most.
/// The digits as an integer and the power of ten are both exact in an `f64`, so their quotient is
/// the correctly rounded value, the one `str::parse` gives.
fn plain_decimal(s: &str) -> Option<f64> {
    let mut digits: u64 = 0;
    let mut count = 0;
    let mut decimals: Option<i32> = None;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => {
                if count == MAX_SIGNIFICANT {
                    return None;
                }
                digits = digits * 10 + u64::from(b - b'0');
                count += 1;
                if let Some(d) = decimals.as_mut() {
                    *d += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    Some(digits as f64 / POWERS_OF_TEN[decimals.unwrap_or(0) as usize])
}

/// 10⁰ to 10²², every one exact in an `f64` (a decimal has at most `MAX_SIGNIFICANT` digits).
const POWERS_OF_TEN: [f64; 23] = {
    let mut t = [1.0; 23];
    let mut k = 1;
    while k < 23 {
        t[k] = t[k - 1] * 10.0;
        k += 1;
    }
    t
};

/// Digits of `4150.2500` that carry its value: no leading zeros, no trailing zeros of a fraction.
fn significant_digits(s: &str) -> usize {
    let s = if s.contains('.') {
        s.trim_end_matches('0')
    } else {
        s
    };
    s.bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count()
}

fn is_thousands(parts: &[&str]) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    !first.is_empty()
        && first.len() <= 3
        && !first.starts_with('0')
        && !rest.is_empty()
        && rest.iter().all(|p| p.len() == 3)
}

fn commas_only(run: &str, out: &mut Numbers) {
    let parts: Vec<&str> = run.split(',').collect();
    if is_thousands(&parts) {
        return out.read(&parts.concat());
    }
    // `3663,10`: two digits after the comma are cents, never a second price.
    if parts.len() == 2 && (parts[0].len() <= 3 || parts[1].len() <= 2) {
        // `1,0850`, `0,950`, `1,16`: a decimal comma.
        return out.read(&format!("{}.{}", parts[0], parts[1]));
    }
    // `2355,2360,2370`: a list.
    for part in parts {
        out.read(part);
    }
}

fn mixed(run: &str, out: &mut Numbers) {
    let (Some(last_dot), Some(last_comma)) = (run.rfind('.'), run.rfind(',')) else {
        return;
    };
    if last_dot > last_comma {
        // `4,150.25`: comma thousands, dot decimals.
        if let Some((int, frac)) = run.rsplit_once('.') {
            let parts: Vec<&str> = int.split(',').collect();
            if !int.contains('.') && is_thousands(&parts) {
                return out.read(&format!("{}.{frac}", parts.concat()));
            }
        }
    } else if let Some((int, frac)) = run.rsplit_once(',') {
        // `1.234,56`: dot thousands, comma decimals.
        let parts: Vec<&str> = int.split('.').collect();
        if !int.contains(',') && is_thousands(&parts) {
            return out.read(&format!("{}.{frac}", parts.concat()));
        }
    }
    // `1.1620,1.1650`: a list of decimals written without spaces.
    let parts: Vec<&str> = run.split(',').collect();
    if parts.iter().all(|p| p.matches('.').count() <= 1) {
        for part in parts {
            out.read(part);
        }
    }
}

/// Whether a run is written with an unmistakable decimal comma: `0,97`, `1,01`, `3663,10`,
/// `1,0850` (one comma, and not a group of three digits after it).
pub(crate) fn is_decimal_comma(run: &str) -> bool {
    match run.split_once(',') {
        Some((int, frac)) if !run.contains('.') && !frac.contains(',') => {
            !int.is_empty() && (frac.len() != 3 || int == "0")
        }
        _ => false,
    }
}

/// Why a number of the message cannot be taken at face value, if one cannot: an exponent
/// (`1e-308`, `10^3`) that the reading would drop, a digit run too long or too precise for a
/// price, a NaN or infinity. Any reading that used it would silently be a different one.
pub(crate) fn doubt_in(text: &str, lexed: &Lexed) -> Option<String> {
    for t in &lexed.tokens {
        let digits = match t.kind {
            Kind::Num => Some((t.start, t.end)),
            // `sl4140`: digits glued to a label are a level too.
            Kind::Word => t.digits,
            _ => None,
        };
        if let Some((start, end)) = digits {
            let run = text.get(start..end).unwrap_or("");
            // A short run without a `k` has too few digits to be doubted: not read twice.
            if run.len() <= MAX_SIGNIFICANT && !run.contains(['k', 'K', 'к', 'К']) {
                continue;
            }
            if let Some(why) = read_numbers(run).doubt {
                return Some(trace_fmt!("'{}': {why}", LineStart(run)));
            }
        }
        if matches!(t.kind, Kind::Word | Kind::Sym(_)) && matches!(t.end - t.start, 3 | 8) {
            let word = text.get(t.start..t.end).unwrap_or("");
            // (Haitian Creole's "nan" is "in": "monte stop la nan 155".)
            let creole_in = word.eq_ignore_ascii_case("nan") && lexed.speaks(Lang::Ht);
            if !creole_in
                && ["nan", "inf", "infinity"]
                    .iter()
                    .any(|w| word.eq_ignore_ascii_case(w))
            {
                return Some(trace_fmt!("'{word}': not a number"));
            }
        }
    }
    if let Some(written) = with_exponent(text) {
        return Some(trace_fmt!(
            "'{}': written with an exponent, which no price is",
            LineStart(written)
        ));
    }
    text.contains('∞').then(|| "'∞': not a number".to_string())
}

/// The first number written with an exponent, inside a word too (`sl2350e0` would otherwise
/// vanish as a word no rule reads).
fn with_exponent(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    // An id after a hash ("🆔 #D3E55") is a name, not a number.
    let in_tag = |i: usize| {
        let word = text[..i].trim_end_matches(|c: char| c.is_ascii_alphanumeric());
        word.ends_with('#')
    };
    // The exponent's mark first (rare), then the digit before it.
    let at = (1..bytes.len()).find(|&i| {
        matches!(bytes[i], b'e' | b'E' | b'^')
            && bytes[i - 1].is_ascii_digit()
            && exponent_len(text.get(i..).unwrap_or("")).is_some()
            && !in_tag(i)
    })? - 1;
    let start = text[..at]
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .map_or(0, |n| n + 1);
    let end = at + 1 + exponent_len(text.get(at + 1..).unwrap_or(""))?;
    text.get(start..end)
}

/// The length of an exponent that starts `rest` (`e-308`, `E+5`, `^3`), if one does.
fn exponent_len(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    if !matches!(b.first(), Some(b'e' | b'E' | b'^')) {
        return None;
    }
    let sign = usize::from(matches!(b.get(1), Some(b'+' | b'-')));
    let digits = b[1 + sign..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (digits > 0).then_some(1 + sign + digits)
}

/// A price as a trader writes it: `digits` decimals with trailing zeros trimmed, keeping at least
/// `min_decimals`.
pub fn format_price(price: f64, digits: u32, min_decimals: u32) -> String {
    let digits = digits.min(10) as usize;
    let mut s = format!("{price:.digits$}");
    if s.contains('.') {
        let keep = min_decimals.min(digits as u32) as usize;
        let dot = s.find('.').unwrap_or(s.len());
        while s.len() > dot + 1 + keep && s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short path gives what the general parser gives, for every way of writing up to
    /// fifteen digits with a dot tried here.
    #[test]
    fn plain_decimals_read_as_the_standard_parser_does() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = (seed % 15 + 1) as usize;
            let value = seed >> 8;
            let mut s: String = format!("{value:015}")[..digits].to_string();
            let dot = (seed >> 4) as usize % (digits + 1);
            if dot < digits {
                s.insert(dot, '.');
            }
            let expected = s.parse::<f64>().ok().filter(|_| !s.starts_with('.'));
            if s.ends_with('.') || s.starts_with('.') {
                continue;
            }
            assert_eq!(plain_decimal(&s), expected, "{s}");
        }
    }

    #[test]
    fn reads_the_usual_ways_of_writing_a_price() {
        assert_eq!(read_numbers("2350")[..], [2350.0]);
        assert_eq!(read_numbers("2350.50")[..], [2350.5]);
        assert_eq!(read_numbers("1.08500")[..], [1.085]);
        assert_eq!(read_numbers("4,150.25")[..], [4150.25]);
        assert_eq!(read_numbers("4,150")[..], [4150.0]);
        assert_eq!(read_numbers("47,480")[..], [47480.0]);
        assert_eq!(read_numbers("1,0850")[..], [1.085]);
        assert_eq!(read_numbers("0,950")[..], [0.95]);
        assert_eq!(read_numbers("1.234,56")[..], [1234.56]);
        assert_eq!(read_numbers("2355,2360,2370")[..], [2355.0, 2360.0, 2370.0]);
        assert_eq!(read_numbers("1.1620,1.1650")[..], [1.162, 1.165]);
        assert!(read_numbers("2017.10.06").is_empty());
        assert!(read_numbers("0").is_empty());
        assert!(read_numbers(&"9".repeat(400)).is_empty());
    }

    #[test]
    fn formats_with_the_symbol_digits() {
        assert_eq!(format_price(4150.0, 2, 0), "4150");
        assert_eq!(format_price(4151.2, 2, 0), "4151.2");
        assert_eq!(format_price(4151.25, 2, 0), "4151.25");
        assert_eq!(format_price(1.158, 5, 4), "1.1580");
        assert_eq!(format_price(1.15834, 5, 4), "1.15834");
        assert_eq!(format_price(155.2, 3, 2), "155.20");
    }
}
