//! What every reading of the parser must be, whatever the text: the properties the property
//! tests hold it to. Include it with `#[path = "support/reading.rs"] mod reading;`.

#![allow(dead_code)]

use signalos::model::{Parsed, SignalKind};
use signalos::parse::parse;

/// Parse `text` and check the reading holds together; the reading.
pub fn check_reading(text: &str) -> Parsed {
    let p = parse(text);
    assert!(
        (0.0..=1.0).contains(&p.confidence),
        "confidence {} for {text:?}",
        p.confidence
    );
    assert!(!p.trace.is_empty(), "no trace for {text:?}");
    if p.kind == SignalKind::Open {
        assert!(
            p.symbol.is_some() && p.side.is_some(),
            "an open without symbol or side: {text:?}"
        );
    }
    if let Some(f) = p.fraction {
        assert!(f > 0.0 && f <= 1.0, "fraction {f} for {text:?}");
    }
    p
}
