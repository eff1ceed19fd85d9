//! How numbers, times and signals read in the console. Signs are always written out, so profit and
//! loss read the same without colour.

use chrono::{DateTime, Utc};

use crate::model::{Decision, Entry, Millis, OrderType, Parsed, SignalKind, StopLoss, Target};

/// `1234.5` → `1,234.50`; the sign only when negative.
pub fn amount(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let cents = (rounded.abs() * 100.0).round() as u64;
    let whole = group_thousands(cents / 100);
    format!(
        "{}{whole}.{:02}",
        if negative { "-" } else { "" },
        cents % 100
    )
}

/// A profit or loss: always signed, `+1,234.50` or `-49.75`; zero has no sign.
pub fn pnl(value: f64) -> String {
    let text = amount(value);
    if text.starts_with('-') || text == "0.00" {
        text
    } else {
        format!("+{text}")
    }
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Cut `text` to `width` cells, marking the cut with `…`.
pub fn fit(text: &str, width: u16) -> String {
    let width = usize::from(width);
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}

/// A price at the symbol's digits, or trimmed when the symbol is not known yet.
pub fn price(value: f64, digits: Option<u32>) -> String {
    match digits {
        Some(d) => format!("{value:.*}", d as usize),
        None => trim(value),
    }
}

/// A parsed number as the channel wrote it: `4150`, `1.0850`.
fn trim(value: f64) -> String {
    let text = format!("{value:.5}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

pub fn pips(value: f64) -> String {
    if value.abs() < 0.05 {
        "0.0".into()
    } else {
        format!("{value:+.1}")
    }
}

pub fn lots(value: f64) -> String {
    // An empty float sum is -0.0, which would print as "-0.00".
    format!("{:.2}", value + 0.0)
}

/// How long ago, in the largest units that matter: `45s`, `12m`, `3h07`, `2d04`.
pub fn age(since: Millis, now: Millis) -> String {
    let secs = ((now - since).max(0) / 1000) as u64;
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}", s / 86_400, s % 86_400 / 3600),
    }
}

/// `HH:MM:SS` in UTC: the same on every machine, and what broker servers are compared against.
pub fn clock(at: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(at)
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_else(|| "--:--:--".into())
}

/// `14:03`, UTC.
pub fn minute(at: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(at)
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_else(|| "--:--".into())
}

/// One line a trader reads for a parse: `OPEN XAUUSD BUY 4150–4147 SL 4140 TP 4155/4160`.
pub fn signal_summary(parsed: &Parsed, text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    match parsed.kind {
        SignalKind::Open => {
            parts.push("OPEN".into());
            parts.extend(parsed.symbol.clone());
            parts.extend(parsed.side.map(|s| s.to_string()));
            match parsed.order {
                Some(OrderType::Limit) => parts.push("LIMIT".into()),
                Some(OrderType::Stop) => parts.push("STOP".into()),
                _ => {}
            }
            match parsed.entry {
                Some(Entry::Price(p)) => parts.push(trim(p)),
                Some(Entry::Zone([a, b])) => parts.push(format!("{}–{}", trim(a), trim(b))),
                None => {}
            }
            parts.extend(parsed.sl.map(|sl| format!("SL {}", stop_loss(sl))));
            if !parsed.tp.is_empty() {
                parts.push(format!("TP {}", targets(&parsed.tp)));
            }
        }
        SignalKind::Modify => {
            parts.push("MODIFY".into());
            parts.extend(parsed.symbol.clone());
            parts.extend(parsed.sl.map(|sl| format!("SL→{}", stop_loss(sl))));
            if !parsed.tp.is_empty() {
                parts.push(format!("TP→{}", targets(&parsed.tp)));
            }
        }
        SignalKind::Close => {
            parts.push("CLOSE".into());
            parts.extend(parsed.symbol.clone());
            match parsed.fraction {
                Some(f) if f < 0.999 => parts.push(format!("{:.0}%", f * 100.0)),
                _ => parts.push("ALL".into()),
            }
        }
        SignalKind::None => return first_words(text, 6),
    }
    parts.join(" ")
}

fn stop_loss(sl: StopLoss) -> String {
    match sl {
        StopLoss::Price(p) => trim(p),
        StopLoss::Breakeven => "BE".into(),
        StopLoss::Pips { pips } => format!("{}p", trim(pips)),
    }
}

fn targets(tp: &[Target]) -> String {
    tp.iter()
        .map(|t| match *t {
            Target::Price(p) => trim(p),
            Target::Pips { pips } => format!("{}p", trim(pips)),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The opening words of a message that is not a trade instruction, on one line.
fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = format!(
        "“{}",
        words.iter().take(n).copied().collect::<Vec<_>>().join(" ")
    );
    if words.len() > n {
        out.push('…');
    }
    out.push('”');
    out
}

/// The signal a trade's cid names, as "#N"; "orphan" for another journal's cid (its numbers
/// mean nothing here), "—" for a trade SignalOS did not send.
pub fn signal_of(cid: &str, instance: &str) -> String {
    match crate::model::signal_of_cid(cid) {
        Some(_) if !cid.starts_with(&format!("{instance}-")) => "orphan".into(),
        Some(seq) => format!("#{seq}"),
        None => "—".into(),
    }
}

/// The theme key of a decision's word.
pub fn decision_key(d: &Decision) -> &'static str {
    match d {
        Decision::Executed { .. } => "decision.executed",
        Decision::PartlyExecuted { .. } => "decision.partly_executed",
        Decision::NotExecuted { .. } => "decision.not_executed",
        Decision::Refused { .. } => "decision.refused",
        Decision::Ignored { .. } => "decision.ignored",
        Decision::Unread { .. } => "decision.unread",
        Decision::Waiting { .. } => "decision.waiting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trade_names_its_signal_only_for_this_journal() {
        assert_eq!(signal_of("k3x9-s12-1", "k3x9"), "#12");
        assert_eq!(signal_of("old1-s12-1", "k3x9"), "orphan");
        assert_eq!(signal_of("", "k3x9"), "—");
    }
    use crate::model::Side;

    #[test]
    fn money_is_grouped_and_signed() {
        assert_eq!(amount(10_000.0), "10,000.00");
        assert_eq!(amount(-1_234_567.891), "-1,234,567.89");
        assert_eq!(pnl(12.5), "+12.50");
        assert_eq!(pnl(-49.75), "-49.75");
        assert_eq!(pnl(-0.001), "0.00");
        assert_eq!(lots(std::iter::empty::<f64>().sum()), "0.00");
    }

    #[test]
    fn ages() {
        assert_eq!(age(0, 45_000), "45s");
        assert_eq!(age(0, 12 * 60_000 + 5), "12m");
        assert_eq!(age(0, (3 * 3600 + 7 * 60) * 1000), "3h07");
        assert_eq!(age(0, (2 * 86_400 + 4 * 3600) * 1000), "2d04");
    }

    #[test]
    fn summaries_read_like_the_signal() {
        let open = Parsed {
            kind: SignalKind::Open,
            symbol: Some("XAUUSD".into()),
            side: Some(Side::Buy),
            entry: Some(Entry::Zone([4150.0, 4147.0])),
            sl: Some(StopLoss::Price(4140.0)),
            tp: vec![Target::Price(4155.0), Target::Price(4160.0)],
            ..Parsed::default()
        };
        assert_eq!(
            signal_summary(&open, ""),
            "OPEN XAUUSD BUY 4150–4147 SL 4140 TP 4155/4160"
        );
        let modify = Parsed {
            kind: SignalKind::Modify,
            sl: Some(StopLoss::Breakeven),
            ..Parsed::default()
        };
        assert_eq!(signal_summary(&modify, ""), "MODIFY SL→BE");
        let close = Parsed {
            kind: SignalKind::Close,
            fraction: Some(0.5),
            ..Parsed::default()
        };
        assert_eq!(signal_summary(&close, ""), "CLOSE 50%");
        assert_eq!(
            signal_summary(
                &Parsed::default(),
                "What a week   team, +320 pips and counting"
            ),
            "“What a week team, +320 pips…”"
        );
    }
}
