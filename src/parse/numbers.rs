//! Reading the numbers of a message: `2350`, `2350.50`, `4,150.25`, `1,0850`, `2355,2360`.

/// The numbers one digit run stands for, as the number regex `\d+(?:[.,]\d+)*` cut it.
///
/// - `4,150` and `4,150.25`: comma thousands → one number.
/// - `1,0850`, `0,950`: a decimal comma (the integer part is short and the group is not three digits,
///   or the integer part is a lone zero) → one number.
/// - `1.234,56`: dot thousands with a decimal comma → one number.
/// - `2355,2360,2370`, `1.1620,1.1650`: a list written without spaces → several numbers.
/// - `2017.10.06` and other runs of several dots: not a price → nothing.
///
/// Only finite, strictly positive values come back; anything longer than 32 bytes reads as nothing.
pub(crate) fn read_numbers(run: &str) -> Numbers {
    let mut out = Numbers::default();
    if run.is_empty() || run.len() > 32 {
        return out;
    }
    let dots = run.bytes().filter(|&b| b == b'.').count();
    let commas = run.bytes().filter(|&b| b == b',').count();
    let read = match (dots, commas) {
        // The usual price: read without building a list.
        (0 | 1, 0) => {
            if let Some(v) = one(run) {
                out.push(v);
            }
            return out;
        }
        (_, 0) => Vec::new(),
        (0, _) => commas_only(run),
        _ => mixed(run),
    };
    for v in read {
        out.push(v);
    }
    out
}

/// The numbers of one run, held inline: a run of at most 32 bytes holds at most 16 numbers (each
/// at least one digit, with a separator between two), and reading a price should not allocate.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Numbers {
    len: usize,
    values: [f64; 16],
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
}

impl std::ops::Deref for Numbers {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        &self.values[..self.len]
    }
}

fn one(s: &str) -> Option<f64> {
    if s.is_empty() || s.starts_with('.') || s.ends_with('.') {
        return None;
    }
    s.parse::<f64>().ok()
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

fn commas_only(run: &str) -> Vec<f64> {
    let parts: Vec<&str> = run.split(',').collect();
    if is_thousands(&parts) {
        return one(&parts.concat()).into_iter().collect();
    }
    if parts.len() == 2 && parts[0].len() <= 3 {
        // `1,0850`, `0,950`, `1,16`: a decimal comma.
        return one(&format!("{}.{}", parts[0], parts[1]))
            .into_iter()
            .collect();
    }
    // `2355,2360,2370`: a list.
    parts.iter().filter_map(|p| one(p)).collect()
}

fn mixed(run: &str) -> Vec<f64> {
    let (Some(last_dot), Some(last_comma)) = (run.rfind('.'), run.rfind(',')) else {
        return Vec::new();
    };
    if last_dot > last_comma {
        // `4,150.25`: comma thousands, dot decimals.
        if let Some((int, frac)) = run.rsplit_once('.') {
            let parts: Vec<&str> = int.split(',').collect();
            if !int.contains('.') && is_thousands(&parts) {
                return one(&format!("{}.{frac}", parts.concat()))
                    .into_iter()
                    .collect();
            }
        }
    } else if let Some((int, frac)) = run.rsplit_once(',') {
        // `1.234,56`: dot thousands, comma decimals.
        let parts: Vec<&str> = int.split('.').collect();
        if !int.contains(',') && is_thousands(&parts) {
            return one(&format!("{}.{frac}", parts.concat()))
                .into_iter()
                .collect();
        }
    }
    // `1.1620,1.1650`: a list of decimals written without spaces.
    let parts: Vec<&str> = run.split(',').collect();
    if parts.iter().all(|p| p.matches('.').count() <= 1) {
        return parts.iter().filter_map(|p| one(p)).collect();
    }
    Vec::new()
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
