//! Follow-ups to an earlier signal: move the stop, change a target, close, cancel.

use std::sync::LazyLock;

use regex::Regex;

use super::numbers::read_numbers;
use super::symbols::SYMBOL_ALTS;

/// What a follow-up asks for, with the wording that matched (for the trace).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FollowUp {
    /// Move the stop to the entry price.
    Breakeven { wording: String },
    /// Move the stop to a price (or a distance in pips).
    StopTo {
        price: f64,
        pips: bool,
        wording: String,
    },
    /// A new (or changed) take profit.
    TargetTo { price: f64, wording: String },
    /// Close all or part (`None`: "partials" with no amount) of the position, or cancel a pending order.
    Close {
        fraction: Option<f64>,
        wording: String,
    },
}

const NUM: &str = r"(\d+(?:[.,]\d+)*)";
const SLW: &str = r"(?:sl|s/l|stop[ \t]*[/-]?[ \t]*loss(?:es)?|stoploss|stops?)";
const TPW: &str = r"(?:tp|t/p|take[ \t]*-?[ \t]*profit|targets?)(?:[ \t]*[1-9]\b)?";
const BEW: &str = r"(?:be\b|b/e\b|b\.e\b\.?|bep\b|break[ \t]*-?[ \t]*even\w*|entry\w*|entries|open[ \t]+price|cost\b)";
const VERB: &str = r"(?:move|moving|set|make|put|shift|trail|bring|place|adjust|change|update|modify|raise|tighten)";
const DET: &str = r"(?:(?:the|your|our|my|all|ur)[ \t]+)?";
const TO: &str = r"(?:to|at|@|on|=|->|→)";

fn re(pattern: &str) -> Option<Regex> {
    Regex::new(&format!("(?i){pattern}")).ok()
}

/// Reports of a stop at breakeven having been taken: results, not instructions.
static BE_RESULT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:be|b/e|break[ \t]*-?[ \t]*even)\b[ \t]*(?:was[ \t]+)?(?:hit|reached|triggered|touched|taken)\b|\b(?:hit|closed|stopped(?:[ \t]+out)?)[ \t]+(?:at[ \t]+)?(?:be\b|b/e\b|break[ \t]*-?[ \t]*even)",
    )
});

static BREAKEVEN: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "move SL to BE", "move your Stop-Loss to your Entry price", "trail SL to BE"
        format!(
            r"\b{VERB}[ \t]+{DET}(?:\w+[ \t]+)?{SLW}\b[ \t:]*{TO}?[ \t]*(?:the[ \t]+|your[ \t]+|our[ \t]+)?{BEW}"
        ),
        // "SL to breakeven", "SL to Entries!"
        format!(r"\b{SLW}\b[ \t:]*{TO}[ \t]*(?:the[ \t]+|your[ \t]+|our[ \t]+)?{BEW}"),
        // "Set Breakeven!", "move to BE", "breakeven now"
        r"\b(?:set|move|go|put|trade|trades|now)[ \t]+(?:to[ \t]+|at[ \t]+)?(?:be\b|b/e\b|break[ \t]*-?[ \t]*even\w*)".to_string(),
        r"\bbreak[ \t]*-?[ \t]*even\w*[ \t]+now\b".to_string(),
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

static STOP_TO: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "move SL to 2345", "Make SL 4155"
        format!(
            r"\b{VERB}[ \t]+{DET}(?:\w+[ \t]+)?{SLW}\b[ \t:]*{TO}?[ \t]*(?:now[ \t]+)?(?:to[ \t]+)?@?[ \t]*{NUM}"
        ),
        // "new SL 2345", "new SL: 2345"
        format!(r"\bnew[ \t]+{SLW}\b[ \t:]*(?:is|{TO})?[ \t]*@?[ \t]*{NUM}"),
        // "SL moved to 2345"
        format!(
            r"\b{SLW}\b[ \t]+(?:moved|changed|updated|adjusted|modified|now|is[ \t]+now)[ \t]*{TO}?[ \t]*@?[ \t]*{NUM}"
        ),
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

static TARGET_TO: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "new TP 2380", "new TP3: 2380"
        format!(r"\bnew[ \t]+{TPW}[ \t:]*(?:is|{TO})?[ \t]*@?[ \t]*{NUM}"),
        // "TP3 changed to 2380"
        format!(
            r"\b{TPW}[ \t]+(?:changed|moved|updated|adjusted|modified|extended|is[ \t]+now|now)[ \t]*{TO}?[ \t]*@?[ \t]*{NUM}"
        ),
        // "move TP to 2380", "change TP2 to 2380"
        format!(
            r"\b(?:move|change|set|update|adjust|modify|extend|shift)[ \t]+{DET}{TPW}[ \t:]*{TO}[ \t]*@?[ \t]*{NUM}"
        ),
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

/// "don't close", "do not cancel": the opposite of an instruction.
static NEGATED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(
        r"\b(?:don'?t|dont|do[ \t]+not|never|no[ \t]+need[ \t]+to|not[ \t]+to|won'?t|will[ \t]+not)[ \t]+(?:\w+[ \t]+)?(?:close|cancel|exit)",
    )
});

static CANCEL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"\b(?:cancel|cancell?ed|cancell?ing|delete|remove)\b[ \t]+(?:[\w/]+[ \t]+){0,3}?(?:limit|pending|orders?|signal|setup|entry|trade|buy|sell|stop)\b",
        r"^\W*cancel\b",
        r"\b(?:signal|order|trade|setup|limit)[ \t]+(?:is[ \t]+)?(?:cancell?ed|invalid)\b",
    ]
    .iter()
    .filter_map(|p| re(p))
    .collect()
});

static CLOSE_WORD: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\b(?:close|closing|exit)\b"));

/// What may follow "close" for it to be an instruction (within the same line).
static CLOSE_OBJECT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:all|now|everything|it|half|position|positions|trade|trades|partials?|early|manually|here|last|remaining|rest|them|asap|immediately|quarter)\b|\d{{1,3}}(?:[.,]\d+)?[ \t]*(?:%|percent)|{SYMBOL_ALTS}"
    ))
});

/// "close at 4150", "close above 4100", "daily close under": a condition or analysis, not an order.
static CLOSE_CONDITION: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^[ \t]*(?:at|when|if|on|above|below|under|over|candle|by|once|after)\b"));

static PERCENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"(\d{1,3}(?:[.,]\d+)?)[ \t]*(?:%|percent)"));
static HALF: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bhalf\b"));
static QUARTER: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bquarter\b"));
static PARTIAL: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bpartials?\b"));
static NOW: LazyLock<Option<Regex>> = LazyLock::new(|| re(r"\bnow\b"));
static PIPS_AFTER: LazyLock<Option<Regex>> =
    LazyLock::new(|| re(r"^[ \t]*(?:pips?|points?|pts)\b"));

fn is_match(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

/// A stop at breakeven reported as taken ("BE hit"): the wording, if any.
pub(crate) fn breakeven_result(text: &str) -> Option<String> {
    BE_RESULT
        .as_ref()?
        .find(text)
        .map(|m| m.as_str().to_string())
}

/// A negated instruction ("do not cancel"): the wording, if any.
pub(crate) fn negated(text: &str) -> Option<String> {
    NEGATED.as_ref()?.find(text).map(|m| m.as_str().to_string())
}

/// Every follow-up instruction in `text` (usually none or one).
pub(crate) fn find(text: &str) -> Vec<FollowUp> {
    let mut out = Vec::new();
    if let Some(m) = BREAKEVEN.iter().find_map(|r| r.find(text)) {
        out.push(FollowUp::Breakeven {
            wording: m.as_str().trim().to_string(),
        });
    } else if let Some((price, pips, wording)) = STOP_TO.iter().find_map(|r| level(r, text)) {
        out.push(FollowUp::StopTo {
            price,
            pips,
            wording,
        });
    }
    if let Some((price, pips, wording)) = TARGET_TO.iter().find_map(|r| level(r, text))
        && !pips
    {
        out.push(FollowUp::TargetTo { price, wording });
    }
    if let Some(close) = close(text) {
        out.push(close);
    }
    out
}

/// The price captured by a level pattern, whether it is a pip distance, and the wording.
fn level(re: &Regex, text: &str) -> Option<(f64, bool, String)> {
    let caps = re.captures(text)?;
    let whole = caps.get(0)?;
    let num = caps.get(1)?;
    let price = *read_numbers(num.as_str()).first()?;
    let pips = text
        .get(num.end()..)
        .is_some_and(|rest| is_match(&PIPS_AFTER, rest));
    Some((price, pips, whole.as_str().trim().to_string()))
}

fn close(text: &str) -> Option<FollowUp> {
    if let Some(m) = CANCEL.iter().find_map(|r| r.find(text)) {
        return Some(FollowUp::Close {
            fraction: Some(1.0),
            wording: m.as_str().trim().to_string(),
        });
    }
    let word_re = CLOSE_WORD.as_ref()?;
    for m in word_re.find_iter(text) {
        let rest = text.get(m.end()..).unwrap_or("");
        let line = rest.split('\n').next().unwrap_or("");
        let window: String = line.chars().take(48).collect();
        if is_match(&CLOSE_CONDITION, &window) && !is_match(&NOW, &window) {
            continue;
        }
        if !is_match(&CLOSE_OBJECT, &window) {
            continue;
        }
        let wording = format!("{}{}", m.as_str(), window.trim_end());
        let fraction = if let Some(p) = PERCENT.as_ref().and_then(|r| r.captures(&window)) {
            let pct = p
                .get(1)
                .and_then(|g| read_numbers(g.as_str()).first().copied())
                .unwrap_or(0.0);
            if pct <= 0.0 || pct > 100.0 {
                continue;
            }
            Some((pct / 100.0 * 1000.0).round() / 1000.0)
        } else if is_match(&HALF, &window) {
            Some(0.5)
        } else if is_match(&QUARTER, &window) {
            Some(0.25)
        } else if is_match(&PARTIAL, &window) {
            None
        } else {
            Some(1.0)
        };
        return Some(FollowUp::Close { fraction, wording });
    }
    None
}
