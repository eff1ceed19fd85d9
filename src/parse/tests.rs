use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;
use crate::model::{Entry, OrderType, Side, StopLoss};

/// What a table row expects; `None` fields are not checked.
#[derive(Default)]
struct Want {
    kind: Option<SignalKind>,
    symbol: Option<&'static str>,
    side: Option<Side>,
    order: Option<OrderType>,
    entry: Option<Option<Entry>>,
    sl: Option<Option<StopLoss>>,
    tp: Option<Vec<Target>>,
    fraction: Option<Option<f64>>,
}

fn open(symbol: &'static str, side: Side, order: OrderType) -> Want {
    Want {
        kind: Some(SignalKind::Open),
        symbol: Some(symbol),
        side: Some(side),
        order: Some(order),
        ..Want::default()
    }
}

impl Want {
    fn entry(mut self, e: Option<Entry>) -> Self {
        self.entry = Some(e);
        self
    }
    fn sl(mut self, s: Option<StopLoss>) -> Self {
        self.sl = Some(s);
        self
    }
    fn tp(mut self, t: &[f64]) -> Self {
        self.tp = Some(t.iter().map(|v| Target::Price(*v)).collect());
        self
    }
    fn symbol(mut self, s: &'static str) -> Self {
        self.symbol = Some(s);
        self
    }
}

fn kind(k: SignalKind) -> Want {
    Want {
        kind: Some(k),
        ..Want::default()
    }
}
fn modify_sl(sl: StopLoss) -> Want {
    kind(SignalKind::Modify).sl(Some(sl))
}
fn modify_tp(tp: f64) -> Want {
    kind(SignalKind::Modify).tp(&[tp])
}
fn close(fraction: Option<f64>) -> Want {
    Want {
        fraction: Some(fraction),
        ..kind(SignalKind::Close)
    }
}
fn none() -> Want {
    kind(SignalKind::None)
}

use OrderType::{Limit, Market, Stop};
use Side::{Buy, Sell};

fn price(v: f64) -> Option<Entry> {
    Some(Entry::Price(v))
}
fn zone(lo: f64, hi: f64) -> Option<Entry> {
    Some(Entry::Zone([lo, hi]))
}
fn sl(v: f64) -> Option<StopLoss> {
    Some(StopLoss::Price(v))
}

fn table() -> Vec<(&'static str, Want)> {
    vec![
        // --- the demo feed's formats
        (
            "XAUUSD BUY 4150-4147\nSL 4140\nTP 4155\nTP 4160\nTP 4170",
            open("XAUUSD", Buy, Market)
                .entry(zone(4147.0, 4150.0))
                .sl(sl(4140.0))
                .tp(&[4155.0, 4160.0, 4170.0]),
        ),
        (
            "🔥 GOLD SELL NOW @ 4151.20\n❌ SL: 4160\n✅ TP1: 4140\n✅ TP2: 4130",
            open("XAUUSD", Sell, Market)
                .entry(price(4151.2))
                .sl(sl(4160.0))
                .tp(&[4140.0, 4130.0]),
        ),
        (
            "EURUSD BUY LIMIT 1.1580\nStop loss 1.1550\nTake profit 1.1620 / 1.1650",
            open("EURUSD", Buy, Limit)
                .entry(price(1.158))
                .sl(sl(1.155))
                .tp(&[1.162, 1.165]),
        ),
        (
            "#BTCUSD LONG\nEntry: 95200\nSL: 94500\nTP: 96000, 97000",
            open("BTCUSD", Buy, Market)
                .entry(price(95200.0))
                .sl(sl(94500.0))
                .tp(&[96000.0, 97000.0]),
        ),
        (
            "US30 sell 47480 sl 47600 tp 47300",
            open("US30", Sell, Market)
                .entry(price(47480.0))
                .sl(sl(47600.0))
                .tp(&[47300.0]),
        ),
        (
            "SELL BTC/USD NOW\nSL 96030\nTP1 94000\nTP2 92900\nTP3 open",
            open("BTCUSD", Sell, Market)
                .entry(None)
                .sl(sl(96030.0))
                .tp(&[94000.0, 92900.0]),
        ),
        (
            "📈 NASDAQ BUY NOW 25001.5\n\n🎯 Take Profit 1: 25080\n🎯 Take Profit 2: 25160\n🛑 Stop Loss: 24920",
            open("NAS100", Buy, Market)
                .entry(price(25001.5))
                .sl(sl(24920.0))
                .tp(&[25080.0, 25160.0]),
        ),
        (
            "⏳ USD/JPY buy stop @ 155.19\nSL 155.04\nTP 155.34 / 155.50 / 155.62",
            open("USDJPY", Buy, Stop)
                .entry(price(155.19))
                .sl(sl(155.04))
                .tp(&[155.34, 155.5, 155.62]),
        ),
        // --- other common English formats
        (
            "**XAU/USD** SELL 2350-2347\r\nSL 2356\r\nTP 2340 / 2335 / 2330",
            open("XAUUSD", Sell, Market)
                .entry(zone(2347.0, 2350.0))
                .sl(sl(2356.0))
                .tp(&[2340.0, 2335.0, 2330.0]),
        ),
        (
            "Buy EUR/USD @ 1.0850\nSL 30 pips\nTP 1.0900",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(Some(StopLoss::Pips { pips: 30.0 }))
                .tp(&[1.09]),
        ),
        (
            "GBP/USD SELL CMP\nSL: 1.3250\nTP 1: 1.3150\nTP 2: 1.3100",
            open("GBPUSD", Sell, Market)
                .entry(None)
                .sl(sl(1.325))
                .tp(&[1.315, 1.31]),
        ),
        (
            "DOW buy 47,480.50\nSL 47,400\nTP 47,600",
            open("US30", Buy, Market)
                .entry(price(47480.5))
                .sl(sl(47400.0))
                .tp(&[47600.0]),
        ),
        (
            "Gold\u{a0}sell limit 4,160.25\nsl 4,168\ntp 4,150",
            open("XAUUSD", Sell, Limit)
                .entry(price(4160.25))
                .sl(sl(4168.0))
                .tp(&[4150.0]),
        ),
        (
            "EURUSD buy 1,0850 sl 1,0820 tp 1,0900",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.09]),
        ),
        (
            "Sell gold now",
            open("XAUUSD", Sell, Market).entry(None).sl(None).tp(&[]),
        ),
        (
            "BITCOIN SHORT market\nSL 96500\nTP 94000",
            open("BTCUSD", Sell, Market).sl(sl(96500.0)).tp(&[94000.0]),
        ),
        (
            "NAS buy 25000 sl 24900 tp 25100 tp 25200",
            open("NAS100", Buy, Market)
                .entry(price(25000.0))
                .sl(sl(24900.0))
                .tp(&[25100.0, 25200.0]),
        ),
        (
            "USDJPY SELL 155.20\nSL 155.50\nTP 154.90\nTP open",
            open("USDJPY", Sell, Market)
                .entry(price(155.2))
                .sl(sl(155.5))
                .tp(&[154.9]),
        ),
        // --- follow-ups
        ("Move SL to BE", modify_sl(StopLoss::Breakeven)),
        ("move sl to breakeven 🔒", modify_sl(StopLoss::Breakeven)),
        ("SL to breakeven ✅", modify_sl(StopLoss::Breakeven)),
        ("Move stop loss to entry", modify_sl(StopLoss::Breakeven)),
        ("SL to entry", modify_sl(StopLoss::Breakeven)),
        ("TP1 hit ✅ move SL to BE", modify_sl(StopLoss::Breakeven)),
        (
            "Move SL to breakeven on XAUUSD",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        ("move SL to 2345", modify_sl(StopLoss::Price(2345.0))),
        ("new SL 2345", modify_sl(StopLoss::Price(2345.0))),
        (
            "GOLD: move SL to 4142.5",
            modify_sl(StopLoss::Price(4142.5)).symbol("XAUUSD"),
        ),
        ("new TP 2380", modify_tp(2380.0)),
        ("TP3 changed to 2380", modify_tp(2380.0)),
        ("EURUSD new TP 1.1700", modify_tp(1.17).symbol("EURUSD")),
        ("close all", close(Some(1.0))),
        ("Close now 🏁", close(Some(1.0))),
        ("close XAUUSD", close(Some(1.0)).symbol("XAUUSD")),
        ("Close half now 💰", close(Some(0.5))),
        ("close 50%", close(Some(0.5))),
        ("Close 30% here", close(Some(0.3))),
        ("Cancel the limit order", close(Some(1.0))),
        ("cancel pending", close(Some(1.0))),
        (
            "Cancel the BTCUSD stop order ❌",
            close(Some(1.0)).symbol("BTCUSD"),
        ),
        // --- results, chatter, promotions, analysis
        ("TP1 hit ✅ +40 pips", none()),
        ("SL hit", none()),
        ("XAUUSD BUY TP2 hit 🎯 +80 pips", none()),
        ("BE hit on GOLD, no loss 👌", none()),
        ("Good morning traders ☀️", none()),
        (
            "Gold looking bullish above 4100, wait for my signal",
            none(),
        ),
        ("Get ready 👀 XAUUSD buy setup coming soon", none()),
        (
            "Join our VIP channel for more signals 🚀 t.me/example",
            none(),
        ),
        ("Another green week: +320 pips 💰", none()),
        ("Daily close above 4100 would confirm the trend", none()),
        ("Do not cancel, order remains valid", none()),
        ("Did you guys buy gold this morning?", none()),
        ("Gold buy", none()),
        ("BUY XAUUSD 4150 SELL 4160", none()),
        ("", none()),
        ("   \n\r\n  ", none()),
    ]
}

fn check(text: &str, want: &Want, p: &Parsed) {
    let ctx = || format!("{text:?} → {p:#?}");
    if let Some(k) = want.kind {
        assert_eq!(p.kind, k, "kind: {}", ctx());
    }
    if let Some(s) = want.symbol {
        assert_eq!(p.symbol.as_deref(), Some(s), "symbol: {}", ctx());
    }
    if let Some(s) = want.side {
        assert_eq!(p.side, Some(s), "side: {}", ctx());
    }
    if let Some(o) = want.order {
        assert_eq!(p.order, Some(o), "order: {}", ctx());
    }
    if let Some(e) = &want.entry {
        assert_eq!(&p.entry, e, "entry: {}", ctx());
    }
    if let Some(s) = &want.sl {
        assert_eq!(&p.sl, s, "sl: {}", ctx());
    }
    if let Some(t) = &want.tp {
        assert_eq!(&p.tp, t, "tp: {}", ctx());
    }
    if let Some(f) = want.fraction {
        assert_eq!(p.fraction, f, "fraction: {}", ctx());
    }
    assert!((0.0..=1.0).contains(&p.confidence), "confidence: {}", ctx());
    assert!(!p.trace.is_empty(), "trace: {}", ctx());
}

/// Hindi "aur" is "and", Romanian "aur" gold: the message's language decides.
#[test]
fn aur_is_gold_only_in_romanian() {
    let hindi = parse("SL 4090 pe rakho aur TP 4120 hi rehne do");
    assert_eq!(hindi.kind, SignalKind::Modify, "{:?}", hindi.trace);
    assert_eq!(hindi.symbol, None, "{:?}", hindi.trace);
    let romanian = parse("Mutăm stopul la intrare pe aur acum");
    assert_eq!(
        romanian.symbol.as_deref(),
        Some("XAUUSD"),
        "{:?}",
        romanian.trace
    );
}

#[test]
fn table_of_messages() {
    let rows = table();
    assert!(rows.len() >= 30);
    for (text, want) in &rows {
        check(text, want, &parse(text));
    }
}

#[test]
fn complete_opens_are_confident_and_traced() {
    let p = parse("XAUUSD BUY 4150-4147\nSL 4140\nTP 4155\nTP 4160\nTP 4170");
    assert_eq!(p.confidence, 1.0);
    assert!(
        p.trace.iter().any(|t| t == "symbol: word XAUUSD"),
        "{:?}",
        p.trace
    );
    assert!(
        p.trace.iter().any(|t| t == "side: word BUY"),
        "{:?}",
        p.trace
    );
    assert!(
        p.trace.iter().any(|t| t == "sl: line 'SL 4140'"),
        "{:?}",
        p.trace
    );
    let p = parse("GOLD SELL 4150\nSL 4160\nTP 4140");
    assert!(
        p.trace.iter().any(|t| t == "symbol: alias GOLD → XAUUSD"),
        "{:?}",
        p.trace
    );
    let p = parse("TP1 hit ✅ +40 pips");
    assert!(
        p.trace
            .iter()
            .any(|t| t.starts_with("kind: none — result report")),
        "{:?}",
        p.trace
    );
    // Missing levels lower the confidence, but it stays an open.
    let bare = parse("Sell gold now");
    assert!(bare.confidence < 1.0 && bare.confidence >= CONFIDENT);
}

#[test]
fn contradictory_levels_drop_confidence() {
    for text in [
        "XAUUSD BUY 4150\nSL 4160\nTP 4170",          // SL above a buy
        "XAUUSD SELL 4150\nSL 4160\nTP 4170",         // TP above a sell
        "XAUUSD BUY 4150\nSL 4140\nTP 4170\nTP 4160", // TPs out of order
        "EURUSD BUY LIMIT\nSL 1.1550\nTP 1.1650",     // a pending order without a price
        "XAUUSD BUY 4150\nSL 4140 4130\nTP 4160",     // two stops
    ] {
        let p = parse(text);
        assert_eq!(p.kind, SignalKind::Open, "{text}");
        assert!(
            p.confidence < CONFIDENT,
            "{text}: {} {:?}",
            p.confidence,
            p.trace
        );
    }
}

#[test]
fn replies_are_read_one_level_deep_on_a_small_stack() {
    // Thousands of nested reply arrows, read on a thread with a small stack: the quoted card is
    // looked for once, so the reading does not go as deep as the message is long.
    let mut text = String::new();
    while text.len() + 40 < MAX_MESSAGE_BYTES {
        text.push_str("↩️ GOLD BUY 4150\n");
    }
    text.push_str("close all now");
    let p = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse(&text))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(p.kind, SignalKind::Close, "{:?}", p.trace);
}

#[test]
fn messages_over_16_kib_are_refused() {
    let mut text = "XAUUSD BUY 4150\nSL 4140\nTP 4160\n".to_string();
    while text.len() <= MAX_MESSAGE_BYTES {
        text.push_str("lorem ipsum ");
    }
    let p = parse(&text);
    assert_eq!(p.kind, SignalKind::None);
    assert!(p.trace[0].contains("too long"), "{:?}", p.trace);
}

#[test]
fn results_and_chatter_are_never_opens() {
    let symbols = ["XAUUSD", "GOLD", "EURUSD", "BTC", "US30", "NAS100"];
    let templates = [
        "{s} TP1 hit ✅ +40 pips",
        "{s} buy TP2 hit 🎯",
        "SL hit on {s} ❌",
        "BE hit on {s}",
        "{s} sell closed in profit +55 pips",
        "{s} looking bullish above 4100, wait for my signal",
        "Get ready, {s} buy coming soon",
        "Join our VIP for {s} buy signals",
        "Did anyone buy {s} yesterday?",
        "{s} buy smashed all targets 🚀",
        "Might sell {s} if it breaks 4100",
    ];
    for s in symbols {
        for t in templates {
            let text = t.replace("{s}", s);
            assert_ne!(parse(&text).kind, SignalKind::Open, "{text}");
        }
    }
}

/// Random text, random unicode and mutated signals: no panic, confidence always in [0, 1], and an
/// open always carries a symbol and a side.
#[test]
fn fuzz_never_panics() {
    let seeds = [
        "XAUUSD BUY 4150-4147\nSL 4140\nTP 4155\nTP 4160\nTP 4170",
        "🔥 GOLD SELL NOW @ 4151.20\n❌ SL: 4160\n✅ TP1: 4140\n✅ TP2: 4130",
        "EURUSD BUY LIMIT 1.1580\nStop loss 1.1550\nTake profit 1.1620 / 1.1650",
        "#BTCUSD LONG\nEntry: 95200\nSL: 94500\nTP: 96000, 97000",
        "US30 sell 47480 sl 47600 tp 47300",
        "Move SL to BE",
        "Close 30% now",
        "TP3 changed to 2380",
    ];
    let alphabet: Vec<char> =
        "aAbsSlLtTpPeE0123456789.,-/@:%+ \n\r\t*_~`#$€£¥✅❌🔥🎯📈ΩЖжعربي中文\u{a0}\u{200d}\u{feff}\u{301}¹²³"
            .chars()
            .collect();
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let check = |text: &str| {
        let p = parse(text);
        assert!(
            (0.0..=1.0).contains(&p.confidence) && !p.confidence.is_nan(),
            "{text:?}: {}",
            p.confidence
        );
        if p.kind == SignalKind::Open {
            assert!(p.symbol.is_some() && p.side.is_some(), "{text:?}");
        }
    };
    for _ in 0..3000 {
        // Arbitrary unicode scalar values.
        let len = rng.random_range(0..80);
        let text: String = (0..len)
            .filter_map(|_| char::from_u32(rng.random_range(0..0x11_0000)))
            .collect();
        check(&text);
        // Text from a signal-ish alphabet.
        let len = rng.random_range(0..120);
        let text: String = (0..len)
            .map(|_| alphabet[rng.random_range(0..alphabet.len())])
            .collect();
        check(&text);
        // A real signal with random edits at char boundaries.
        let mut chars: Vec<char> = seeds[rng.random_range(0..seeds.len())].chars().collect();
        for _ in 0..rng.random_range(1..6) {
            let at = rng.random_range(0..=chars.len());
            match rng.random_range(0..3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 => chars.insert(at, alphabet[rng.random_range(0..alphabet.len())]),
                _ if at < chars.len() => chars[at] = alphabet[rng.random_range(0..alphabet.len())],
                _ => {}
            }
        }
        check(&chars.into_iter().collect::<String>());
    }
    // Pathological shapes.
    check(&"9".repeat(5000));
    check(&"1.".repeat(3000));
    check(&"TP ".repeat(3000));
    check(&"\n".repeat(10_000));
    check(&"🔥".repeat(4000));
    check(&"to be ".repeat(2700));
    check(&"SL entry ".repeat(1800));
    check(&"ال".repeat(4000));
    check(&"٤".repeat(5000));
}

/// Whether the engine would act on a reading: an open it finds confident, or any follow-up.
fn executable(p: &Parsed) -> bool {
    match p.kind {
        SignalKind::Open => p.confidence >= CONFIDENT,
        SignalKind::Modify | SignalKind::Close => true,
        SignalKind::None => false,
    }
}

#[test]
fn numbers_that_cannot_be_taken_at_face_value_are_refused_and_named() {
    let digits = "9".repeat(5000);
    let long_entry = format!("XAUUSD BUY {digits} SL 2300 TP 2400");
    let cases: [(&str, &str); 16] = [
        ("close -50%", "'-50%'"),
        ("Close \u{2212}25% now", "'-25%'"),
        ("close -half of XAUUSD", "'-half'"),
        ("XAUUSD BUY 1e-308 SL 2300 TP 2400", "'1e-308'"),
        ("XAUUSD BUY 2350 SL 2340 TP 2.37E+3", "'2.37E+3'"),
        ("GOLD BUY 2350 SL 2340 TP 10^4", "'10^4'"),
        (&long_entry, "too long"),
        (
            "XAUUSD BUY 2350.00000000000000001 SL 2340 TP 2370",
            "'2350.00000000000000001'",
        ),
        (
            "XAUUSD BUY 2350 sl23400000000000000000 TP 2370",
            "significant digits",
        ),
        ("XAUUSD BUY NaN SL 2300 TP 2400", "'NaN'"),
        ("EURUSD SELL 1.0850 SL inf TP 1.0800", "'inf'"),
        ("EURUSD SELL 1.0850 SL 1.0900 TP Infinity", "'Infinity'"),
        ("EURUSD SELL 1.0850 SL ∞ TP 1.0800", "'∞'"),
        ("move sl to 1e3", "'1e3'"),
        ("XAUUSD new tp 2.4e3", "'2.4e3'"),
        ("US30 sell 47480 sl 47600 tp 4.73e4", "'4.73e4'"),
    ];
    for (text, named) in cases {
        let p = parse(text);
        assert_eq!(p.kind, SignalKind::None, "{text:?}: {:?}", p.trace);
        assert!(p.confidence < CONFIDENT, "{text:?}");
        let kinds: Vec<&String> = p.trace.iter().filter(|t| t.starts_with("kind")).collect();
        assert_eq!(
            kinds.len(),
            1,
            "one reason for the engine to give: {:?}",
            p.trace
        );
        assert!(
            (kinds[0].contains("doubtful") || kinds[0].contains("not acted on"))
                && kinds[0].contains(named),
            "{text:?}: {:?}",
            p.trace
        );
    }
}

#[test]
fn numbers_written_plainly_next_to_those_are_still_read() {
    let cases = [
        ("close 50%", close(Some(0.5))),
        ("close +50%", close(Some(0.5))),
        ("close half", close(Some(0.5))),
        // A dash between words or numbers is no minus sign.
        ("close - 50%", close(Some(0.5))),
        (
            "XAUUSD BUY 2350-2355 SL 2340 TP 2370",
            open("XAUUSD", Buy, Market)
                .entry(zone(2350.0, 2355.0))
                .sl(sl(2340.0))
                .tp(&[2370.0]),
        ),
        // Trailing zeros carry no digits of the value.
        (
            "XAUUSD BUY 2350.50000000000000 SL 2340 TP 2370",
            open("XAUUSD", Buy, Market).entry(price(2350.5)),
        ),
        (
            "BTCUSD BUY 95123.456789 SL 94000 TP 97000",
            open("BTCUSD", Buy, Market).entry(price(95123.456789)),
        ),
        // An ordinal, not an exponent.
        (
            "Gold sell 2350 2e TP 2340 sl 2360",
            open("XAUUSD", Sell, Market),
        ),
    ];
    for (text, want) in cases {
        check(text, &want, &parse(text));
    }
    // Chatter with such a number stays chatter, and the number is noted.
    let p = parse("We made 1e6 pips this year");
    assert_eq!(p.kind, SignalKind::None);
    assert!(p.trace.iter().any(|t| t.contains("'1e6'")), "{:?}", p.trace);
}

/// Every way of writing a number that is not its face value, in every place a value is read:
/// never an open the engine would take, nor any close or modify.
#[test]
fn a_doubtful_number_never_yields_an_executable_reading() {
    let templates = [
        "XAUUSD BUY {} SL 2340 TP 2370",
        "XAUUSD BUY 2350 SL {} TP 2370",
        "XAUUSD BUY 2350 SL 2340 TP {}",
        "XAUUSD BUY 2350 SL 2340 TP 2370 TP {}",
        "XAUUSD sell limit {}\nsl 2360\ntp 2340",
        "BUY XAUUSD @ {}\nSL 2340\nTP 2370",
        "XAUUSD BUY 2350 sl{} TP 2370",
        "close {}%",
        "close {}% of XAUUSD now",
        "move sl to {}",
        "SL moved to {} on gold",
        "new tp {}",
    ];
    let long = "9".repeat(2000);
    let spellings = [
        "1e-308",
        "2350e0",
        "2.35E3",
        "235E+1",
        "23.5e+2",
        "50e0",
        "5E1",
        "10^3",
        "2^5",
        &long,
        "23500000000000000000",
        "2350.0000000000000001",
        "0.50000000000000001",
        "NaN",
        "nan",
        "inf",
        "INF",
        "Infinity",
        "∞",
    ];
    for template in templates {
        for spelling in spellings {
            // `slNaN` is one word no rule reads, like `slxyz`: no number is read there.
            if template.contains("sl{}") && spelling.starts_with(char::is_alphabetic) {
                continue;
            }
            let text = template.replace("{}", spelling);
            let p = parse(&text);
            assert!(
                !executable(&p),
                "{text:?} reads as an executable {:?}: {:?}",
                p.kind,
                p.trace
            );
        }
    }
    // A negative amount to close, every way a close is written.
    for text in [
        "close -50%",
        "Close -30% now",
        "close -25% of gold",
        "XAUUSD close -50%",
        "close -half",
        "close -quarter now",
    ] {
        let p = parse(text);
        assert!(!executable(&p), "{text:?}: {:?}", p.trace);
    }
}

/// One message per rule of the structural reading (issue 15): what the structure says wins over
/// the words around it, and each way of writing a level is read by a rule, not by an example.
fn structure_table() -> Vec<(&'static str, Want)> {
    vec![
        // A ticket wrapped in commentary, a disclaimer and a hedge is an open.
        (
            "Trade idea 💡 GBPUSD\nLooking for a push lower after the news, wait for execution.\nSELL GBPUSD 1.3310\nSL 1.3350\nTP 1.3260\nNot financial advice.",
            open("GBPUSD", Sell, Market)
                .entry(price(1.331))
                .sl(sl(1.335))
                .tp(&[1.326]),
        ),
        // The same words without a ticket are a heads-up.
        (
            "Trade idea: looking for sells on GBPUSD, wait for my signal",
            none(),
        ),
        // A result on its own line still says the ticket is history.
        (
            "GBPUSD SELL 1.3310 SL 1.3350 TP 1.3260\nTP hit ✅ +50 pips",
            none(),
        ),
        // A management plan written on the ticket leaves it an open.
        (
            "EURJPY BUY 162.40\nSL 161.90\nTP1 162.90 (close half)\nTP2 163.40",
            open("EURJPY", Buy, Market)
                .entry(price(162.4))
                .sl(sl(161.9))
                .tp(&[162.9, 163.4]),
        ),
        // A placeholder stop is no stop, and the next number is not one.
        (
            "USDCAD SELL 1.3720\nTP 1.3680\nSL: VIP only\nsupport 1.3650",
            open("USDCAD", Sell, Market)
                .entry(price(1.372))
                .sl(None)
                .tp(&[1.368]),
        ),
        // Thousands with spaces, and with a k.
        (
            "US30 BUY 44 120\nSL 43 980\nTP 44 400",
            open("US30", Buy, Market)
                .entry(price(44120.0))
                .sl(sl(43980.0))
                .tp(&[44400.0]),
        ),
        (
            "ETH long 3k45\nSL 3k3\nTP 3k7",
            open("ETH", Buy, Market)
                .entry(price(3450.0))
                .sl(sl(3300.0))
                .tp(&[3700.0]),
        ),
        // Labels glued to their prices.
        (
            "GBPUSD SELL1.3310 SL1.3350 TP1.3260",
            open("GBPUSD", Sell, Market)
                .entry(price(1.331))
                .sl(sl(1.335))
                .tp(&[1.326]),
        ),
        // Emoji standing for the labels at a line's start.
        (
            "XAGUSD BUY 48.20\n🛑 47.60\n🎯 48.90\n🎯 49.50",
            open("XAGUSD", Buy, Market)
                .entry(price(48.2))
                .sl(sl(47.6))
                .tp(&[48.9, 49.5]),
        ),
        // A bare crypto ticker, marked.
        (
            "$WIF long\nEntry 2.41\nSL 2.28\nTP 2.66",
            open("WIF", Buy, Market)
                .entry(price(2.41))
                .sl(sl(2.28))
                .tp(&[2.66]),
        ),
        // Decimal commas by the message's own convention.
        (
            "AXS SHORT 2,105\nsl 2,215\ntp1 1,95",
            open("AXS", Sell, Market)
                .entry(price(2.105))
                .sl(sl(2.215))
                .tp(&[1.95]),
        ),
        // Dot thousands, read because no other reading is a price of the symbol.
        (
            "BTCUSDT COMPRA 101.500\nSL 99.800\nTP 104.200",
            open("BTCUSDT", Buy, Market)
                .entry(price(101500.0))
                .sl(sl(99800.0))
                .tp(&[104200.0]),
        ),
        // An entry written as its last digits beside full stop and target; the market price
        // quoted before the entry label is not the entry.
        (
            "Gold at 4120 now\nSell limit entry 28\nSL 4140\nTP 4100",
            open("XAUUSD", Sell, Limit)
                .entry(price(4128.0))
                .sl(sl(4140.0))
                .tp(&[4100.0]),
        ),
        // Times, dates, ids and lot sizes are never levels.
        (
            "XAUUSD 14:30 BUY 4050 SL 4040 TP 4060 valid until 2026-12-08",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(sl(4040.0))
                .tp(&[4060.0]),
        ),
        (
            "GBPUSD ID: 7-11 SELL 1.3300 SL 1.3350 TP 1.3250",
            open("GBPUSD", Sell, Market)
                .entry(price(1.33))
                .sl(sl(1.335))
                .tp(&[1.325]),
        ),
        (
            "EURUSD #451 BUY 1.0850 SL 1.0800 TP 1.0900",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.08))
                .tp(&[1.09]),
        ),
        (
            "XAUUSD BUY 4050\n0.01 lot per 1000 usd\nSL 4040\nTP 4060 lot size 0.20",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(sl(4040.0))
                .tp(&[4060.0]),
        ),
        // A management note after the targets adds none.
        (
            "Gold buy now\nEntry 4050\nSL 4040\nTP1 4060 TP2 4070 TP3 open\nBE once +15 pips",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(sl(4040.0))
                .tp(&[4060.0, 4070.0]),
        ),
        // Commentary and context after the levels add none: a support, a promotion, a date, a
        // time ago; a target sign mid-line is a target.
        (
            "Sell gold 2410 sl 2418 tp 2400, support at 2380",
            open("XAUUSD", Sell, Market)
                .entry(price(2410.0))
                .sl(sl(2418.0))
                .tp(&[2400.0]),
        ),
        (
            "XAUUSD BUY 2384 SL 2377 TP 2392 vip 2500 - 12 Dec, posted 2 hours ago",
            open("XAUUSD", Buy, Market)
                .entry(price(2384.0))
                .sl(sl(2377.0))
                .tp(&[2392.0]),
        ),
        (
            "GOLD 🟢 BUY 🟢 2386 ➡️ SL 2379 🎯 2391 🎯 2396",
            open("XAUUSD", Buy, Market)
                .entry(price(2386.0))
                .sl(sl(2379.0))
                .tp(&[2391.0, 2396.0]),
        ),
        // A distance written before its label.
        (
            "Sell USDJPY at 155.20 with 30 pips SL and 60 pips TP",
            Want {
                sl: Some(Some(StopLoss::Pips { pips: 30.0 })),
                tp: Some(vec![Target::Pips { pips: 60.0 }]),
                ..open("USDJPY", Sell, Market).entry(price(155.2))
            },
        ),
        // Whole numbers no price of a currency pair are its pips.
        (
            "EURUSD BUY 1.0850 stop loss 30 take profit 60",
            Want {
                sl: Some(Some(StopLoss::Pips { pips: 30.0 })),
                tp: Some(vec![Target::Pips { pips: 60.0 }]),
                ..open("EURUSD", Buy, Market).entry(price(1.085))
            },
        ),
        // A follow-up names gold in the case its language puts it in.
        (
            "Закрываем половину по золоту",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("Zamykam połowę złota", close(Some(0.5)).symbol("XAUUSD")),
        // A ladder is no date.
        (
            "EURUSD BUY NOW 1.0815\nSL 1.0775\nTP 20-40-60 pips",
            Want {
                tp: Some(vec![
                    Target::Pips { pips: 20.0 },
                    Target::Pips { pips: 40.0 },
                    Target::Pips { pips: 60.0 },
                ]),
                ..open("EURUSD", Buy, Market)
            },
        ),
        // Negation of the side itself.
        ("This is not a sell signal on gold, just a view", none()),
        // Follow-ups with the verb on either side, in several languages.
        ("Ustaw SL na 1.0890", modify_sl(StopLoss::Price(1.089))),
        (
            "Стоп переставляем на 2 450",
            modify_sl(StopLoss::Price(2450.0)),
        ),
        ("SL ko BE pe rakh do", modify_sl(StopLoss::Breakeven)),
        ("close it at entry", close(Some(1.0))),
        ("Je ferme 50% ici", close(Some(0.5))),
        (
            "Adjust SL +15 pips to 4071",
            modify_sl(StopLoss::Price(4071.0)),
        ),
        // The share a close names, however it is written; an amount that is no share is refused.
        ("Close 1/3 of gold", close(Some(0.333)).symbol("XAUUSD")),
        ("close 50 percent gold", close(Some(0.5)).symbol("XAUUSD")),
        ("close a third of gold", close(Some(0.333)).symbol("XAUUSD")),
        (
            "Cerrar 30 por ciento EURUSD",
            close(Some(0.3)).symbol("EURUSD"),
        ),
        // Lots with no whole: a close of an amount not known, which the engine refuses.
        ("close 0.5 lot gold", close(None).symbol("XAUUSD")),
        // A ticket withdrawn or negated is no open.
        ("❌ CANCELLED ❌ XAUUSD BUY 2384 SL 2377 TP 2392", none()),
        (
            "XAUUSD BUY 2384 SL 2377 TP 2392 ❌ NOT YET, WAIT FOR CONFIRMATION",
            none(),
        ),
        ("Altın alma 4150 stop 4140 hedef 4170", none()),
        ("Gold buy mat karo abhi 4150 pe, SL 4140 TP 4170", none()),
        // A close that is no instruction now: an exclusion, a condition or a future, a report,
        // a noun; and a ticket withdrawn after its levels, asked about, or reminded of.
        ("Close all except EURUSD", none()),
        ("Gold is close to TP1, be patient", none()),
        ("Once TP1 is hit, close half", none()),
        ("We will close it later", none()),
        ("Half close ✅ done", none()),
        ("Nobody close the trade! TP2 coming", none()),
        ("XAUUSD BUY 2350 SL 2340 TP 2360 — CANCELLED", none()),
        (
            "Question: BUY GOLD 2350 SL 2340 TP 2360 — good or bad?",
            none(),
        ),
        ("Reminder: GOLD BUY 2350 SL 2340 TP 2360 is active", none()),
        ("Tomorrow: XAUUSD buy 2350 SL 2340 TP 2360", none()),
        (
            "Schließt alle Verkäufe",
            Want {
                side: Some(Sell),
                ..close(Some(1.0))
            },
        ),
        (
            "Let's CLOSE our trade now and set breakeven if you wish to hold",
            close(Some(1.0)),
        ),
        // An earlier trade's levels posted again, and a follow-up over two symbols.
        ("Update: GOLD BUY 2350 SL 2345 TP 2360", none()),
        ("GOLD BUY 2350 SL 2345 TP 2370 (updated levels)", none()),
        ("Close EURUSD fully, gold 50%", none()),
        ("Breakeven after TP1", none()),
        // A card repeating the trade with its stop at the entry reports the breakeven.
        (
            "TP1 done ✅ SL moved to breakeven\nBUY XAUUSD\nEntry: 4100\nSL (BE): 4100\nTP2: 4130",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // A stop written as money or a signed distance is no price and no price's last digits.
        (
            "XAUUSD BUY 4050\nSL: 10$\nTP 4070",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(None)
                .tp(&[4070.0]),
        ),
        (
            "XAUUSD SELL 4050\nSL -10\nTP 4030",
            open("XAUUSD", Sell, Market)
                .entry(price(4050.0))
                .sl(None)
                .tp(&[4030.0]),
        ),
        // Last digits of bitcoin's price are too small a span to be a shorthand: 66 may be 66k.
        (
            "BTCUSD BUY 65000\nSL 66\nTP 67000",
            open("BTCUSD", Buy, Market)
                .entry(price(65000.0))
                .sl(None)
                .tp(&[67000.0]),
        ),
        // On gold they are one.
        (
            "XAUUSD BUY 4050\nSL 40\nTP 70",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(sl(4040.0))
                .tp(&[4070.0]),
        ),
        // A move from one level to another: the level it moves to.
        (
            "Move SL from 2340 to 2355 on gold",
            modify_sl(StopLoss::Price(2355.0)).symbol("XAUUSD"),
        ),
        (
            "Стоп переставляем с 96500 на 96800",
            modify_sl(StopLoss::Price(96800.0)),
        ),
        // "Sell all": out of the buys, or a new sell? Refused.
        ("Sell all gold now", none()),
        // The symbol named between the label and its level; an arrow from the old level.
        (
            "Stop für Silber bitte auf 31.20 setzen",
            modify_sl(StopLoss::Price(31.2)).symbol("XAGUSD"),
        ),
        (
            "EURJPY SL 162.10 ➡️ 162.60",
            modify_sl(StopLoss::Price(162.6)).symbol("EURJPY"),
        ),
        ("TP → 1.2790", modify_tp(1.279)),
        // Breakeven said first, or as the stop at the entry.
        (
            "Breakeven on every trade from this morning",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "Protect it: stop at entry price",
            modify_sl(StopLoss::Breakeven),
        ),
        // What a partial close leaves running is no exclusion.
        (
            "Partial close on USDJPY, leave the rest running",
            close(None).symbol("USDJPY"),
        ),
        // A close word in a ticket's commentary is not an instruction.
        (
            "US30 BUY 44100\nSL 43950\nTP 44400\nOrder valid until the market close.",
            open("US30", Buy, Market)
                .entry(price(44100.0))
                .sl(sl(43950.0))
                .tp(&[44400.0]),
        ),
        // French gold; Turkish capitals; the other side's zone on a spot card.
        (
            "VENTE OR 4120\nSL 4128\nTP 4110",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4128.0))
                .tp(&[4110.0]),
        ),
        (
            "EURUSD SATIŞ LİMİT 1.1720\nSL 1.1750\nTP 1.1680",
            open("EURUSD", Sell, Limit)
                .entry(price(1.172))
                .sl(sl(1.175))
                .tp(&[1.168]),
        ),
        (
            "LINK/USDT\nBuy: 14.20 - 13.80\nSell: 15.10 - 16.00\nSL: 13.20",
            open("LINKUSDT", Buy, Market)
                .entry(zone(13.8, 14.2))
                .sl(sl(13.2))
                .tp(&[15.1, 16.0]),
        ),
        // Taking the trade negated, in the languages; a ticket named to be ignored, withdrawn or
        // reported on.
        (
            "Don't enter this one: USDJPY BUY 151.20 SL 150.80 TP 152.00",
            none(),
        ),
        (
            "Wir nehmen das nicht: EURUSD KAUFEN 1.0850 SL 1.0820 TP 1.0900",
            none(),
        ),
        (
            "Не заходите: EURUSD продажа 1.0850 стоп 1.0880 тейк 1.0800",
            none(),
        ),
        (
            "Please ignore the last signal, GBPUSD SELL 1.2700 SL 1.2740 TP 1.2650",
            none(),
        ),
        (
            "Fake signal going around: GOLD BUY 4050 SL 4040 TP 4070 — scam",
            none(),
        ),
        (
            "Сигнал устарел — EURUSD покупка 1.0850 стоп 1.0820 тейк 1.0900",
            none(),
        ),
        (
            "US30 SELL 44200\nSL 44300\nTP1 44100 ✅\nTP2 44000 ⏳",
            none(),
        ),
        (
            "Our GOLD BUY 4050 SL 4040 TP 4070 gave 200 pips today",
            none(),
        ),
        // A follow-up negated, for later, on a condition, or removing a level is not acted on.
        ("Please don't close the gold trade yet", none()),
        (
            "Breakeven nicht vergessen, aber noch nicht verschieben",
            none(),
        ),
        ("If TP1 is hit, set SL to entry", none()),
        ("On TP2 close the rest", none()),
        ("Close EURUSD before end of day", none()),
        ("Remove TP on gold and let it run", none()),
        ("Close gold longs, hold the shorts", none()),
        // Which level a move names: the new one.
        (
            "Adjust stop loss 4040 to 4052 on gold",
            modify_sl(StopLoss::Price(4052.0)).symbol("XAUUSD"),
        ),
        ("Old TP 4090, new TP 4075", modify_tp(4075.0)),
        // A result before a close is what prompts it.
        ("TP1 done ✅ now close half", close(Some(0.5))),
        ("Close remaining on gold", close(Some(1.0)).symbol("XAUUSD")),
        // Conditional entries and plans; another instrument's number after the targets.
        (
            "Sell EURUSD on a break of 1.0800, SL 1.0840, TP 1.0740",
            none(),
        ),
        ("Next week: GBPUSD BUY 1.2650 SL 1.2610 TP 1.2720", none()),
        (
            "NAS100 BUY 21000 SL 20900 TP 21200 DXY 104",
            open("NAS100", Buy, Market)
                .entry(price(21000.0))
                .sl(sl(20900.0))
                .tp(&[21200.0]),
        ),
        // Three digits beside a pair's price are its last digits, on the side the level needs.
        (
            "EURUSD BUY 1.0850\nSL 820\nTP 910",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.091]),
        ),
        // Skipped, avoided, proven, reported with its gain after the levels; a condition on the
        // order's line or heading one of its own; a management note stays a note.
        ("Skip this: USDCAD SELL 1.3720 SL 1.3760 TP 1.3650", none()),
        (
            "Avoid EURUSD BUY 1.0850 SL 1.0820 TP 1.0900 for now",
            none(),
        ),
        ("Proof ✔️ USDJPY BUY 151.20 SL 150.80 TP 152.00", none()),
        ("EURUSD SELL 1.0850 SL 1.0880 TP 1.0800 +50 pips 💰", none()),
        (
            "XAUUSD BUY 4050 SL 4040 TP 4070 only if H1 closes above 4045",
            none(),
        ),
        (
            "XAUUSD SELL 4080\nSL 4090\nTP 4060\nOnly after the daily close",
            none(),
        ),
        (
            "XAUUSD BUY 4050\nSL 4040\nTP 4070\nOnce TP1 hits, move SL to BE",
            open("XAUUSD", Buy, Market)
                .entry(price(4050.0))
                .sl(sl(4040.0))
                .tp(&[4070.0]),
        ),
        (
            "Take profit now on EURUSD",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        ("Close half on TP2", none()),
        ("Close the second position on gold", none()),
        // Three digits beside an index are no shorthand: points, or the last digits?
        (
            "NAS100 SELL 21250 SL 300 TP 21000",
            open("NAS100", Sell, Market)
                .entry(price(21250.0))
                .sl(None)
                .tp(&[21000.0]),
        ),
        // Follow-ups as the second unseen set's personas write them.
        ("sl 4126", modify_sl(StopLoss::Price(4126.0))),
        (
            "EURUSD stop 1.0865",
            modify_sl(StopLoss::Price(1.0865)).symbol("EURUSD"),
        ),
        (
            "GER40 Ziel auf 24100 verschieben",
            modify_tp(24100.0).symbol("GER40"),
        ),
        (
            "stop on the long up to 44980",
            modify_sl(StopLoss::Price(44980.0)),
        ),
        (
            "[Bot] MODIFY #77\nSymbol: EURUSD\nSL: 1.08500\nTP: unchanged",
            modify_sl(StopLoss::Price(1.085)).symbol("EURUSD"),
        ),
        (
            "[Bot] PARTIAL CLOSE #77\nSymbol: EURUSD\nVolume: 25%\nPrice: 1.0880",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        (
            "flat the gold long, not liking it",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("EURUSD %40 kar al", close(Some(0.4)).symbol("EURUSD")),
        (
            "Den Gold-Long habe ich bei 4120 glattgestellt.",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "XAU B 4102/05 sl 4096 tp 10 16",
            open("XAUUSD", Buy, Market)
                .entry(zone(4102.0, 4105.0))
                .sl(sl(4096.0))
                .tp(&[4110.0, 4116.0]),
        ),
        (
            "[Bot] NEW SIGNAL #78\nSymbol: EURUSD\nAction: BUY\nType: STOP\nEntry: 1.0900\nSL: 1.0860\nTP1: 1.0960",
            open("EURUSD", Buy, Stop)
                .entry(price(1.09))
                .sl(sl(1.086))
                .tp(&[1.096]),
        ),
        // From the fourth outside tester: shares however written, an unknown amount refused,
        // move wording on a ticket's line, tickets signed off or framed as examples.
        (
            "Close three quarters of the EURUSD",
            close(Some(0.75)).symbol("EURUSD"),
        ),
        (
            "Ein Viertel EURUSD schließen",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        ("Закройте треть позиции", close(Some(0.333))),
        ("Close several on EURUSD", none()),
        (
            "EURUSD sell 1.0850: SL to 1.0830",
            modify_sl(StopLoss::Price(1.083)).symbol("EURUSD"),
        ),
        ("USDJPY BUY 151.20 SL 150.80 TP 152.00 ✅", none()),
        ("Ejemplo: EURUSD COMPRA 1.0850 SL 1.0820 TP 1.0900", none()),
        (
            "EURUSD BUY 1.0850 SL 1.0820 TP 1.0900 — skip, news ahead",
            none(),
        ),
        (
            "Prepare: EURUSD SELL 1.0850 SL 1.0880 TP 1.0800, wait for my confirmation",
            none(),
        ),
        // From the third unseen set: a question in commentary, the S&P's names, dot thousands
        // on a follow-up, Turkish AL before its order, a correction.
        (
            "Remember last week's range? Price swept it.\nEURUSD SELL\nEntry: 1.0850\nSL: 1.0880\nTP: 1.0800",
            open("EURUSD", Sell, Market)
                .entry(price(1.085))
                .sl(sl(1.088))
                .tp(&[1.08]),
        ),
        (
            "S&P 500 SHORT 6850\nStop 6880\nTarget 6800",
            open("US500", Sell, Market)
                .entry(price(6850.0))
                .sl(sl(6880.0))
                .tp(&[6800.0]),
        ),
        (
            "DAX: Stopp auf 24.310 nachziehen.",
            modify_sl(StopLoss::Price(24310.0)).symbol("GER40"),
        ),
        (
            "#GBPUSD AL LİMİT\nGiriş: 1,3300\nStop: 1,3260\nHedef: 1,3360",
            open("GBPUSD", Buy, Limit)
                .entry(price(1.33))
                .sl(sl(1.326))
                .tp(&[1.336]),
        ),
        (
            "CORRECTION: EURUSD SL should be 1.0825, not 1.0815",
            modify_sl(StopLoss::Price(1.0825)).symbol("EURUSD"),
        ),
        // A major's nickname names it; a move written with a postposition takes the new level.
        ("close cable now", close(Some(1.0)).symbol("GBPUSD")),
        (
            "Aussie SL to 0.6610",
            modify_sl(StopLoss::Price(0.661)).symbol("AUDUSD"),
        ),
        ("SL 4040 se 4052 kar do", modify_sl(StopLoss::Price(4052.0))),
        // A share taken "off" or "out"; not a promotion's "50% OFF"; the side names the trades.
        ("take 3/4 off", close(Some(0.75))),
        ("half out on EURUSD", close(Some(0.5)).symbol("EURUSD")),
        ("scale out 25%", close(Some(0.25))),
        ("Out of gold", close(Some(1.0)).symbol("XAUUSD")),
        ("Signals course 50% OFF this week only, DM me", none()),
        ("Don't take half off yet", none()),
        (
            "close the sells on gold",
            Want {
                side: Some(Sell),
                ..close(Some(1.0)).symbol("XAUUSD")
            },
        ),
        // From the fourth unseen set: amended/revised targets, banking a share, a little off,
        // a question's "hold" is another clause, a ticker beside a close is no amount.
        (
            "USDCAD: take profit amended to 1.3650.",
            modify_tp(1.365).symbol("USDCAD"),
        ),
        (
            "Banking half of the EUR/USD long here.",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "Taking a little off AUD/USD here.",
            close(None).symbol("AUDUSD"),
        ),
        (
            "Who still holds GBPUSD? Close it now",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        // Pip targets each with its unit.
        (
            "GBPUSD SELL 1.3300\nSL 1.3340\nTP 30 pips and 60 pips",
            Want {
                tp: Some(vec![
                    Target::Pips { pips: 30.0 },
                    Target::Pips { pips: 60.0 },
                ]),
                ..open("GBPUSD", Sell, Market)
                    .entry(price(1.33))
                    .sl(sl(1.334))
            },
        ),
        // The price a close is done at, or when, is not its amount; a lot size still is.
        (
            "closing half at 1.1598 EURUSD",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "Cerramos EURUSD completo en 1,1662",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        ("Close the rest here guys, NFP in 20 min", close(Some(1.0))),
        (
            "Close 0.5 lots of gold at 4110",
            close(None).symbol("XAUUSD"),
        ),
        (
            "30 % vom DAX Short sichern",
            close(Some(0.3)).symbol("GER40"),
        ),
        // A list marker is an index, not a thousands group.
        (
            "Gold sell here 4120 SL 4130 TP 4100 ① 4090",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4130.0))
                .tp(&[4100.0, 4090.0]),
        ),
        // A price in a sentence before the side's describes the market.
        (
            "Gold range-bound between 4100 and 4120 today. Buy gold now 4105, SL 4095, TP 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        ("Plan: shorts on gold under 4080 later", none()),
        // Languages beyond the first twelve: Dutch, Romanian, Ukrainian, Indonesian,
        // Vietnamese, Swahili, Filipino.
        (
            "Goud koop 4105 SL 4095 TP 4120 TP 4135",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0, 4135.0]),
        ),
        (
            "Sluit de helft van de goud positie",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("Verplaats stop naar instap", modify_sl(StopLoss::Breakeven)),
        (
            "AUR cumpărare 4105, SL 4095, TP 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        (
            "Mutați stop loss la 4110",
            modify_sl(StopLoss::Price(4110.0)),
        ),
        ("Nu închideți încă, lăsăm să meargă", none()),
        (
            "Закриваємо половину по золоту",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "Переносимо стоп в беззбиток",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "Tutup setengah posisi emas sekarang",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("Pindahkan SL ke BEP", modify_sl(StopLoss::Breakeven)),
        ("Jangan tutup dulu, biarkan jalan", none()),
        (
            "Vàng mua 4105 SL 4095 TP 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        ("Chốt một nửa lệnh vàng", close(Some(0.5)).symbol("XAUUSD")),
        ("Dời SL về hòa vốn", modify_sl(StopLoss::Breakeven)),
        ("Không đóng lệnh, giữ nguyên", none()),
        (
            "Nunua dhahabu 4105 SL 4095 TP 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        ("Funga nusu ya biashara sasa", close(Some(0.5))),
        ("Isara na lahat ng gold", close(Some(1.0)).symbol("XAUUSD")),
        // Scripts written without spaces, cut into the vocabulary's words: Thai, Chinese,
        // Japanese; and Korean.
        (
            "ขาย ทองคำ 4120 เป้า 4105 คัทลอส 4135",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4135.0))
                .tp(&[4105.0]),
        ),
        ("ปิดครึ่งหนึ่งทองคำ", close(Some(0.5)).symbol("XAUUSD")),
        ("เลื่อน SL ไปที่ทุน", modify_sl(StopLoss::Breakeven)),
        ("อย่าเพิ่งปิดนะ", none()),
        ("ถ้าชน TP1 ให้เลื่อน SL ไปที่ทุน", none()),
        (
            "黄金卖出4120，止损4135，目标4105/4095",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4135.0))
                .tp(&[4105.0, 4095.0]),
        ),
        ("平仓一半", close(Some(0.5))),
        ("止损移动到保本", modify_sl(StopLoss::Breakeven)),
        ("不要平仓", none()),
        ("止盈已经达到", none()),
        (
            "ドル円 売り 155.20 損切り 155.60 利確 154.80",
            open("USDJPY", Sell, Market)
                .entry(price(155.2))
                .sl(sl(155.6))
                .tp(&[154.8]),
        ),
        ("損切りを建値に変更", modify_sl(StopLoss::Breakeven)),
        (
            "골드 매수 4105 손절 4095 목표 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        ("절반 청산", close(Some(0.5))),
        // Hindi and Urdu in their own scripts (a virama or vowel sign stays inside its word);
        // Arabic "securing" the trade is breakeven.
        (
            "गोल्ड बेचें 4120 एसएल 4130 टारगेट 4100",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4130.0))
                .tp(&[4100.0]),
        ),
        (
            "گولڈ خریدیں 4105 SL 4095 TP 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4105.0))
                .sl(sl(4095.0))
                .tp(&[4120.0]),
        ),
        ("आधा बंद करो", close(Some(0.5))),
        ("تأمين الصفقة على الدخول", modify_sl(StopLoss::Breakeven)),
        // New targets given as a list replace the old ones together.
        (
            "new targets for ETHUSDT: 3380 / 3460 / 3550",
            Want {
                tp: Some(vec![
                    Target::Price(3380.0),
                    Target::Price(3460.0),
                    Target::Price(3550.0),
                ]),
                ..kind(SignalKind::Modify).symbol("ETHUSDT")
            },
        ),
        (
            "MODIFY #77\nSymbol: XAUUSD\nTP1: 4150\nTP2: 4170",
            Want {
                tp: Some(vec![Target::Price(4150.0), Target::Price(4170.0)]),
                ..kind(SignalKind::Modify).symbol("XAUUSD")
            },
        ),
        (
            "US30 hedef güncellendi: TP 47.200",
            modify_tp(47200.0).symbol("US30"),
        ),
        // The provider's own whole exit is followed; a share reported taken is not taken again.
        (
            "Closed my EURUSD at 1.1650, you can do the same",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "exit all on XRPUSDT, closed at 2.198 ✅",
            close(Some(1.0)).symbol("XRPUSDT"),
        ),
        ("We closed half of gold ✅", none()),
        ("Exit if you're still in", close(Some(1.0))),
        ("If gold breaks 4140 we will book partial", none()),
        (
            "Book 2/3 of SOLUSDT now",
            close(Some(0.667)).symbol("SOLUSDT"),
        ),
        (
            "Cerrar la mitad de EURUSD y asegurar ganancias",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "PARTIAL CLOSE #9\nSymbol: EURUSD\nClose: 50%\nRemaining: 50%",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        // Pairs by traders' names: two capitals, in words, possessive.
        (
            "GJ: move SL to 207.60",
            modify_sl(StopLoss::Price(207.6)).symbol("GBPJPY"),
        ),
        (
            "gold's pushing, move your stop to break even",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "euro dollar sell limit 1.1735 stop loss 1.1760 take profit 1.1700",
            open("EURUSD", Sell, Limit)
                .entry(price(1.1735))
                .sl(sl(1.176))
                .tp(&[1.17]),
        ),
        // A numbered list under the stop is the targets; an order word apart from its side.
        (
            "ETH/USDT LONG\nEntry 3280\nSL 3190\n1️⃣ 3330\n2️⃣ 3380\n3️⃣ open",
            open("ETHUSDT", Buy, Market)
                .entry(price(3280.0))
                .sl(sl(3190.0))
                .tp(&[3330.0, 3380.0]),
        ),
        (
            "شراء ذهب ستوب 4162\nالستوب لوس 4155\nالأهداف 4168 - 4175",
            open("XAUUSD", Buy, Stop)
                .entry(price(4162.0))
                .sl(sl(4155.0))
                .tp(&[4168.0, 4175.0]),
        ),
        // A comma in a language that writes decimals so, when no number says otherwise.
        (
            "#FETUSDT 🟢 LONG\nGiriş: 1,184\nHedefler: 1,225 / 1,270\nStop: 1,128",
            open("FETUSDT", Buy, Market)
                .entry(price(1.184))
                .sl(sl(1.128))
                .tp(&[1.225, 1.27]),
        ),
        (
            "#OP/USDT nuevo SL: 1,560",
            modify_sl(StopLoss::Price(1.56)).symbol("OPUSDT"),
        ),
        // A ladder of entries is the zone it spans.
        (
            "#LINK LONG (DCA)\nEntry 1: 23.40\nEntry 2: 22.85\nEntry 3: 22.30\nSL: 21.70\nTP: 24.10 / 24.80",
            open("LINK", Buy, Market)
                .entry(zone(22.3, 23.4))
                .sl(sl(21.7))
                .tp(&[24.1, 24.8]),
        ),
        // A gain is no share; Turkish writes the sign first and a case ending after.
        (
            "Close BTC, taking the quick scalp +0.7% ✅",
            close(Some(1.0)).symbol("BTC"),
        ),
        (
            "ETHUSDT %50 kapatın, kalanı kalsın",
            close(Some(0.5)).symbol("ETHUSDT"),
        ),
        ("pozisyonun %50'sini kapatın", close(Some(0.5))),
        // A symbol heading the message names the trade; one in the commentary is the market.
        (
            "#SUI/USDT\nClose remaining position now, BTC pumping hard",
            close(Some(1.0)).symbol("SUIUSDT"),
        ),
        (
            "#INJ/USDT\nTaking 30% off the table here. Rest stays open.",
            close(Some(0.3)).symbol("INJUSDT"),
        ),
        (
            "#APT/USDT\nCancel — entry targets not reached. Remove the orders.",
            close(Some(1.0)).symbol("APTUSDT"),
        ),
        // A correction of a level just posted is its new value.
        (
            "Corrigindo ⚠️ o stop do ouro é 4091, não 4019",
            modify_sl(StopLoss::Price(4091.0)).symbol("XAUUSD"),
        ),
        (
            "Исправление ⚠️ стоп по GBPJPY 208.75, а не 207.85",
            modify_sl(StopLoss::Price(208.75)).symbol("GBPJPY"),
        ),
        (
            "Same setup again on US30 👇 US30 BUY 47350 SL 47210 TP 47500",
            open("US30", Buy, Market)
                .entry(price(47350.0))
                .sl(sl(47210.0))
                .tp(&[47500.0]),
        ),
        (
            "Novo alvo no ouro: 4122",
            modify_tp(4122.0).symbol("XAUUSD"),
        ),
        ("Adding TP4 4140 for those still holding", modify_tp(4140.0)),
        (
            "#SOL/USDT Alvo 1 atingido ✅ Stop no ponto de entrada agora",
            modify_sl(StopLoss::Breakeven).symbol("SOLUSDT"),
        ),
        // Cornix-style updates: the values listed under a label that ends its line.
        (
            "#TIA/USDT\nUpdate Stop Targets:\n1) 5.900",
            modify_sl(StopLoss::Price(5.9)).symbol("TIAUSDT"),
        ),
        (
            "#ETH/USDT\nChange Take-Profit Targets:\n1) 3290\n2) 3330",
            Want {
                tp: Some(vec![Target::Price(3290.0), Target::Price(3330.0)]),
                ..kind(SignalKind::Modify).symbol("ETHUSDT")
            },
        ),
        (
            "#DOGE/USDT\nStop: 0,3050\nAlvos: 0,3220 / 0,3310",
            modify_sl(StopLoss::Price(0.305))
                .tp(&[0.322, 0.331])
                .symbol("DOGEUSDT"),
        ),
        (
            "Sell 50% of your bag here, the rest we hold",
            close(Some(0.5)),
        ),
        // Another channel's signal, an example, an instruction for when a target is hit: none.
        (
            "Başka kanalın GBPJPY alım sinyali (AL 206.90 SL 206.30) bizimle ilgili değil.",
            none(),
        ),
        (
            "Someone posted a EURUSD buy from another channel (BUY 1.1655 SL 1.1630 TP 1.1700). That's not ours.",
            none(),
        ),
        (
            "Contoh sinyal: BUY XAUUSD 4100 SL 4090 TP 4120. Selalu pakai SL.",
            none(),
        ),
        // A footer pointing to another channel says nothing of the ticket above it.
        (
            "GOLD BUY 4100\nSL 4090\nTP 4120\n\nFor crypto signals join our other channel @xyz",
            open("XAUUSD", Buy, Market)
                .entry(price(4100.0))
                .sl(sl(4090.0))
                .tp(&[4120.0]),
        ),
        ("Cuando toque TP1 muevan el SL a la entrada.", none()),
        (
            "Когда BTC дойдёт до 91500 — переставлю стоп в безубыток.",
            none(),
        ),
        ("Sobald TP1 erreicht ist, SL auf Einstand.", none()),
        ("Jab TP1 hit ho jaye tab SL BE pe kar dena.", none()),
        ("عند تحقيق الهدف الأول انقلوا الوقف لنقطة الدخول.", none()),
        // A bot's action cards: the close it made.
        (
            "[CLOSE #1041] JP225 | closed 100% @ 49910",
            close(Some(1.0)).symbol("JP225"),
        ),
        (
            "[PARTIAL #1042] XAGUSD | closed 50% @ 56.45",
            close(Some(0.5)).symbol("XAGUSD"),
        ),
        (
            "#EURUSD close 30% here, rest running",
            close(Some(0.3)).symbol("EURUSD"),
        ),
        (
            "EURUSD: ahead of US CPI we are reducing exposure by 25%.",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        (
            "USDJPY: closing in full ahead of CPI.",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        ("Fechar SOL inteiro agora", close(Some(1.0)).symbol("SOL")),
        (
            "الفضة: نقل وقف الخسارة إلى 56.60",
            modify_sl(StopLoss::Price(56.6)).symbol("XAGUSD"),
        ),
        (
            "Or : SL au point d'entrée maintenant",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // Levels before the side; sides and names channels write tersely.
        (
            "47550 / 47480 buy zone dow\nsl 47400\ntp 47700 47850",
            open("US30", Buy, Market)
                .entry(zone(47480.0, 47550.0))
                .sl(sl(47400.0))
                .tp(&[47700.0, 47850.0]),
        ),
        (
            "XAUUSD AL ŞİMDİ\nSL 4021\nTP 4040",
            open("XAUUSD", Buy, Market).sl(sl(4021.0)).tp(&[4040.0]),
        ),
        (
            "🟢 COMPRA XAUUSD STOP 4062\nStop 4053\nAlvo 4075",
            open("XAUUSD", Buy, Stop)
                .entry(price(4062.0))
                .sl(sl(4053.0))
                .tp(&[4075.0]),
        ),
        (
            "US TECH SELL 26140 SL 26230 TP 25990",
            open("NAS100", Sell, Market)
                .entry(price(26140.0))
                .sl(sl(26230.0))
                .tp(&[25990.0]),
        ),
        (
            "₿ BITCOIN (#BTC/USDT)\nSHORT LIMIT\nEntrada: 97.500\nAlvos: 96.000 | 94.800\nStop: 98.600",
            open("BTCUSDT", Sell, Limit)
                .entry(price(97500.0))
                .sl(sl(98600.0))
                .tp(&[96000.0, 94800.0]),
        ),
        // A side beside a stop alone names the trades it moves; "now" or a target makes a
        // ticket.
        (
            "SL for gold buy 4052 🔒",
            modify_sl(StopLoss::Price(4052.0)).symbol("XAUUSD"),
        ),
        (
            "Złoto sell – SL 4103",
            modify_sl(StopLoss::Price(4103.0)).symbol("XAUUSD"),
        ),
        (
            "GOLD SELL NOW SL 4103",
            open("XAUUSD", Sell, Market).sl(sl(4103.0)),
        ),
        // Negation after the side, as Turkish writes it; a gain beside "book" is no share.
        (
            "Bu bir alış sinyali değil, sadece altın 4000 desteğini izliyoruz.",
            none(),
        ),
        ("Net +3.1% on the FX book this month", none()),
        (
            "از پوزیشن شورت طلا ۵۰٪ رو سیو سود کنید",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // A stop order's condition is its trigger; a check mark closing a management note.
        (
            "GOLD BUY STOP 4125\nSL 4117\nTP 4132 , 4140\nOnly if breaks Asia high",
            open("XAUUSD", Buy, Stop)
                .entry(price(4125.0))
                .sl(sl(4117.0))
                .tp(&[4132.0, 4140.0]),
        ),
        (
            "XAU/USD SELL 4088\nSL: 4094\nTP: 4084 - 4080\nBE once +15 pips ✔️",
            open("XAUUSD", Sell, Market)
                .entry(price(4088.0))
                .sl(sl(4094.0))
                .tp(&[4084.0, 4080.0]),
        ),
        (
            "Instrument: US30\nAction: BUY\nOrder: Limit\nEntry: 47 180\nStop Loss: 47 040\nTake Profit 1: 47 330",
            open("US30", Buy, Limit)
                .entry(price(47180.0))
                .sl(sl(47040.0))
                .tp(&[47330.0]),
        ),
        (
            "NOT лонг — набираю лимиткой 0,00168\nстоп 0,00152\nтейки 0,00185 / 0,00199",
            open("NOT", Buy, Limit)
                .entry(price(0.00168))
                .sl(sl(0.00152))
                .tp(&[0.00185, 0.00199]),
        ),
        // People's habits: tables, shorthand zones and pip ladders, emoji labels, one-word
        // follow-ups, formal prose, typos.
        (
            "| Pair | Side | Entry | SL | TP1 | TP2 |\n| XAUUSD | BUY | 4058 | 4049 | 4070 | 4082 |",
            open("XAUUSD", Buy, Market)
                .entry(price(4058.0))
                .sl(sl(4049.0))
                .tp(&[4070.0, 4082.0]),
        ),
        (
            "| Pair | Action | Level |\n| XAUUSD | Move SL | 4140 |",
            modify_sl(StopLoss::Price(4140.0)).symbol("XAUUSD"),
        ),
        (
            "GJ sell 208.40-60 sl 208.90 tp 208.10",
            open("GBPJPY", Sell, Market)
                .entry(zone(208.4, 208.6))
                .sl(sl(208.9))
                .tp(&[208.1]),
        ),
        (
            "gold buy 4100 sl 4092 tp 15/30/45 pips",
            Want {
                tp: Some(vec![
                    Target::Pips { pips: 15.0 },
                    Target::Pips { pips: 30.0 },
                    Target::Pips { pips: 45.0 },
                ]),
                ..open("XAUUSD", Buy, Market)
                    .entry(price(4100.0))
                    .sl(sl(4092.0))
            },
        ),
        (
            "🔴 US30 sell limit\n📍 47950\n🛑 48150\n🎯 47700",
            open("US30", Sell, Limit)
                .entry(price(47950.0))
                .sl(sl(48150.0))
                .tp(&[47700.0]),
        ),
        (
            "XAUUSD 🛑 ➡️ BE 🔒",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "USOIL 🛑 ➡️ 61.00",
            modify_sl(StopLoss::Price(61.0)).symbol("USOIL"),
        ),
        ("gold be", modify_sl(StopLoss::Breakeven).symbol("XAUUSD")),
        ("nas out", close(Some(1.0)).symbol("NAS100")),
        (
            "We are moving the stop loss on the silver position to 57.20.",
            modify_sl(StopLoss::Price(57.2)).symbol("XAGUSD"),
        ),
        (
            "Given the dollar's strength, we advise members to close half of the EUR/USD short.",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "In light of the statement from the Bank of Japan, we are closing the USD/JPY position in full.",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        ("clsoe half eurusd", close(Some(0.5)).symbol("EURUSD")),
        (
            "gold sell limt 4168 stoploss 4177 tp 4152",
            open("XAUUSD", Sell, Limit)
                .entry(price(4168.0))
                .sl(sl(4177.0))
                .tp(&[4152.0]),
        ),
        ("tp hitt on gold 🥳 140 pipd", none()),
        ("lose half", none()),
        // Templates: check marks for targets, "invalid above" for the stop, lettered
        // objectives, a stop written as the risk, "inv"/"tgts".
        (
            "🔻 SELL USDJPY 156.40\n❌ 156.90\n✅ 155.90\n✅ 155.40",
            open("USDJPY", Sell, Market)
                .entry(price(156.4))
                .sl(sl(156.9))
                .tp(&[155.9, 155.4]),
        ),
        (
            "GBPJPY — SHORT\nArea: 208.90 / 209.20\nInvalid above 209.75\nObjectives:\n (a) 208.20\n (b) 207.50",
            open("GBPJPY", Sell, Market)
                .entry(zone(208.9, 209.2))
                .sl(sl(209.75))
                .tp(&[208.2, 207.5]),
        ),
        (
            "GOLD ⬇️ Zone 4118-4122 · Risk 4130 · 💰 4108 · 💰 4095",
            open("XAUUSD", Sell, Market)
                .entry(zone(4118.0, 4122.0))
                .sl(sl(4130.0))
                .tp(&[4108.0, 4095.0]),
        ),
        (
            "$ETH long 3250 | inv 3140 | tgts 3400/3550",
            open("ETH", Buy, Market)
                .entry(price(3250.0))
                .sl(sl(3140.0))
                .tp(&[3400.0, 3550.0]),
        ),
        ("Hemen çıkın USDJPY'den!", close(Some(1.0)).symbol("USDJPY")),
        (
            "أغلقوا صفقات البيع على النفط",
            Want {
                side: Some(Sell),
                ..close(Some(1.0)).symbol("USOIL")
            },
        ),
        ("Две трети позиции фиксируем", close(Some(0.667))),
        (
            "SL 1.1730 et TP 1.1820",
            modify_sl(StopLoss::Price(1.173)).tp(&[1.182]),
        ),
        (
            "SL 1.1640 e alvo final 1.1570 no EURUSD",
            modify_sl(StopLoss::Price(1.164))
                .tp(&[1.157])
                .symbol("EURUSD"),
        ),
        ("EURUSD pompujemy SL 1.0800 TP 1.0900", none()),
        // Closes: a stop hit is no new stop; "we close at TP2" is for later; a provider's own
        // exit in French; Russian and Turkish exits.
        ("GBPUSD tocó el SL ❌ -25 pips, seguimos", none()),
        ("Position halten, wir schließen bei TP2", none()),
        (
            "J'ai clôturé mon achat sur l'or à 4098, faites pareil",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Всем срочно выйти из позиций!", close(Some(1.0))),
        ("NAS100'de biraz kâr alın", close(None).symbol("NAS100")),
        (
            "Gold abhi close karo bhai",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Elided articles before a name; breakeven heading its object; a take a few words on.
        (
            "Sortez maintenant de l'EURUSD",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "Annullate l'ordine limite sull'oro",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Risk-free the trade, lock it at entry 🔒",
            modify_sl(StopLoss::Breakeven),
        ),
        ("Prendete un po' di profitto parziale", close(None)),
        ("Jak wejdzie TP1 to przesunę SL na BE", none()),
        // An elided article before a word with a combining mark (a panic the fuzz test found).
        ("close l'e\u{301}e now", close(Some(1.0))),
        // The held sixth set's three false opens: a result, a trade running, a plan.
        (
            "gold sell 4112 tak pohanch gaya, 160 pips ✅✅ alhamdulillah",
            none(),
        ),
        ("gold sell 4112 done, 160 pips ✅✅", none()),
        ("ETH short đang lãi 80 giá, cứ giữ lệnh", none()),
        (
            "Altın 4100 üstünde kalırsa alış arayacağız, şimdilik bekle",
            none(),
        ),
        ("Altın 4100 altına düşerse satış", none()),
        // Urdu script, Greek (its final sigma), Czech, Korean, Vietnamese.
        (
            "گولڈ (XAUUSD) فروخت ابھی 4119\nایس ایل: 4127\nٹی پی 1: 4110",
            open("XAUUSD", Sell, Market)
                .entry(price(4119.0))
                .sl(sl(4127.0))
                .tp(&[4110.0]),
        ),
        (
            "گولڈ: آدھی پوزیشن بند کر دیں، باقی چلنے دیں",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "ΧΡΥΣΟΣ ΑΓΟΡΑ 4100\nSTOP 4090\nΣΤΟΧΟΣ 4120",
            open("XAUUSD", Buy, Market)
                .entry(price(4100.0))
                .sl(sl(4090.0))
                .tp(&[4120.0]),
        ),
        (
            "Χρυσός: νέος στόχος 4.100",
            modify_tp(4100.0).symbol("XAUUSD"),
        ),
        (
            "US30 zavřít polovinu pozice",
            close(Some(0.5)).symbol("US30"),
        ),
        (
            "BTC 손절가 본절로 이동하세요",
            modify_sl(StopLoss::Breakeven).symbol("BTC"),
        ),
        (
            "Chốt lời 30% lệnh mua vàng",
            close(Some(0.3)).symbol("XAUUSD"),
        ),
        // A bot's cards without brackets; arrows of every shape.
        (
            "🔄 MODIFY #8841\nSymbol: XAUUSD\nSL: 4096.50 ➜ 4111.00",
            modify_sl(StopLoss::Price(4111.0)).symbol("XAUUSD"),
        ),
        (
            "❌ CLOSE #8841\nSymbol: XAUUSD\nClosed: 100%\nReason: Manual",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "⚠️ PARTIAL CLOSE #8843\nSymbol: USDJPY\nClosed: 30%\nRemaining: 70%",
            close(Some(0.3)).symbol("USDJPY"),
        ),
        (
            "По нефти тейк переношу на 59.80",
            modify_tp(59.8).symbol("USOIL"),
        ),
        (
            "Gümüş stop maliyete ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAGUSD"),
        ),
        // A limit word on the entry's line; a thousand-fold contract's name.
        (
            "#AVAX/USDT LARGO\nOrden LIMIT en: 38,40\nObjetivos: 39,50 / 40,80\nSL: 37,10",
            open("AVAXUSDT", Buy, Limit)
                .entry(price(38.4))
                .sl(sl(37.1))
                .tp(&[39.5, 40.8]),
        ),
        (
            "币种：1000PEPE/USDT\n方向：做多\n入场：0.01412\n止盈：0.01460\n止损：0.01355",
            open("1000PEPEUSDT", Buy, Market)
                .entry(price(0.01412))
                .sl(sl(0.01355))
                .tp(&[0.0146]),
        ),
        (
            "$ETH лимитка на покупку 3180\nСтоп 3090\nЦели 3300",
            open("ETH", Buy, Limit)
                .entry(price(3180.0))
                .sl(sl(3090.0))
                .tp(&[3300.0]),
        ),
        // From the twenty-fourth set: a signal forwarded, disowned on a line of its own, quoted
        // with '>', reposted as old, shown in a promotion or a testimonial, or only watched.
        (
            "Fwd from Alpha Gold:\nXAUUSD SELL 4180 SL 4190 TP 4160\nnot our signal, for discussion only",
            none(),
        ),
        (
            "Forwarded from Pip Hunters\nEURUSD BUY 1.0850 SL 1.0820 TP 1.0900",
            none(),
        ),
        (
            "Look what someone sent me\n> BTC LONG 90000 SL 88000 TP 95000\nStay away.",
            none(),
        ),
        (
            "Old signal: GBPUSD SELL 1.2700 SL 1.2740 TP 1.2650, to show our format",
            none(),
        ),
        (
            "Free trial this week! You'd have caught GOLD BUY 4100 SL 4090 TP 4130 today",
            none(),
        ),
        (
            "Testimoni: profit dari sinyal EURUSD BUY 1.0840 TP 1.0880",
            none(),
        ),
        (
            "Watching EURUSD for a buy near 1.0840, my area of interest for today",
            none(),
        ),
        ("نراقب اليورو للشراء من 1.0840", none()),
        // Around a ticket: a promise of updates, advice not to chase, a note on a target, a
        // condition on a target, an advert's question.
        (
            "Morning all ☕\n\nEURUSD BUY 1.0850\nSL 1.0820\nTP 1.0900\n\nI'll update when TP1 hits.",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.09]),
        ),
        (
            "GBPUSD SELL 1.2700\nSL 1.2740\nTP 1.2650\n\nNews later today so size down. If you missed the entry, don't chase. Not financial advice.",
            open("GBPUSD", Sell, Market)
                .entry(price(1.27))
                .sl(sl(1.274))
                .tp(&[1.265]),
        ),
        (
            "EURUSD BUY 1.0850\nSL 1.0820\nTP 1.0880\nTP 1.0900\n\nBE after TP1 ✅",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.088, 1.09]),
        ),
        (
            "GBPUSD SELL 1.2700\nSL 1.2740\nTP 1.2650\n\nsetelah TP1 amankan posisi",
            open("GBPUSD", Sell, Market)
                .entry(price(1.27))
                .sl(sl(1.274))
                .tp(&[1.265]),
        ),
        (
            "AUDUSD BUY 0.6610\nSL 0.6580\nTP 0.6650\n\nWant more? DM @admin",
            open("AUDUSD", Buy, Market)
                .entry(price(0.661))
                .sl(sl(0.658))
                .tp(&[0.665]),
        ),
        // From the twenty-second set: a half with "now" after it, the share that remains, the
        // stop moved to a target's price, advice, a member's broker, a maybe, and the stop's
        // state or hit reported.
        ("Cierren la mitad ahora", close(Some(0.5))),
        ("Fermez la moitié maintenant", close(Some(0.5))),
        ("Close the remaining 40% here", close(Some(1.0))),
        ("Close it 50%", close(Some(0.5))),
        (
            "Stop loss to TP1 1.0905",
            modify_sl(StopLoss::Price(1.0905)),
        ),
        ("SL move to TP2 4066", modify_sl(StopLoss::Price(4066.0))),
        ("Immer den SL auf BE nach TP1!", none()),
        ("Always move the stop to entry after TP1 🔒", none()),
        (
            "Remember: move SL to entry now",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "CORRECTION: EURUSD SL should be 1.0835",
            modify_sl(StopLoss::Price(1.0835)).symbol("EURUSD"),
        ),
        ("my broker closed it at 4112, weird", none()),
        ("Volatile session, I may close early", none()),
        ("Waiting for TP3, stop already at BE", none()),
        ("Silver hit our new SL 31.20, +60 pips locked", none()),
        (
            "TP1 hit ✅ move SL to entry",
            modify_sl(StopLoss::Breakeven),
        ),
        // From the twenty-third set: three-digit targets in a list on an index, a crypto ladder
        // wider than a gold zone, a changed target in French and Polish, the stop in Polish,
        // targets listed under the trade they belong to.
        (
            "NAS100 BUY 21,380\nSL 21,320\nTP 420/450/480",
            open("NAS100", Buy, Market)
                .entry(price(21380.0))
                .sl(sl(21320.0))
                .tp(&[21420.0, 21450.0, 21480.0]),
        ),
        (
            "NAS100 BUY 21,380\nSL 300",
            open("NAS100", Buy, Market).entry(price(21380.0)).sl(None),
        ),
        (
            "#SOL/USDT long\nDCA entries: 180 / 172 / 165\nSL 158\nTargets 190, 200",
            open("SOLUSDT", Buy, Market)
                .entry(zone(165.0, 180.0))
                .sl(sl(158.0))
                .tp(&[190.0, 200.0]),
        ),
        ("Ajuster le TP3 à 2371", modify_tp(2371.0)),
        ("Zmiana TP3 na 2369", modify_tp(2369.0)),
        (
            "Przesuwamy stopę na wejście",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "New targets for #SOLUSDT:\nTP1 151\nTP2 156",
            kind(SignalKind::Modify)
                .tp(&[151.0, 156.0])
                .symbol("SOLUSDT"),
        ),
        // From the twenty-fourth and -fifth sets: a second entry's label keeps the side line's
        // price as the first; a check mark after a risk note is no result; a price given before
        // "risk free" is the stop; a stop glued to its level; profit locked at a price.
        (
            "GBPUSD BUY LIMIT 1.3240\nEntry limit 2: 1.3215\nSL 1.3185\nTP 1.3290",
            open("GBPUSD", Buy, Limit)
                .entry(zone(1.3215, 1.324))
                .sl(sl(1.3185))
                .tp(&[1.329]),
        ),
        (
            "EURUSD BUY 1.0850\nSL 1.0820\nTP 1.0940\nRR 1:3 ✅",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.094]),
        ),
        ("EURUSD BUY 1.0850 SL 1.0820 TP 1.0940 ✅", none()),
        (
            "Move the stop to 4402, trade is risk free now",
            modify_sl(StopLoss::Price(4402.0)),
        ),
        (
            "EURJPY: SL162.40 now",
            modify_sl(StopLoss::Price(162.4)).symbol("EURJPY"),
        ),
        (
            "lock profits at 2352 🔒",
            modify_sl(StopLoss::Price(2352.0)),
        ),
        // From the twenty-sixth set (scored once unseen, then worked on): a Persian half before
        // "and hold the rest", Russian thousands in `к`, Brazil's mini contracts and nil-nil
        // breakeven, a numbered target list after a bare call, a close at market's price, a
        // report in a sentence before the breakeven, "all" beside an unknown word.
        (
            "نیمی از حجم EURUSD رو ببندید و بقیه رو نگه دارید",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "Шорт BTC от 98.4к, стоп 99.6к, тейк 95к.",
            open("BTC", Sell, Market)
                .entry(price(98400.0))
                .sl(sl(99600.0))
                .tp(&[95000.0]),
        ),
        (
            "🟢 COMPRA WIN\n\nEntrada: 128.250\nStop: 127.850\nAlvo 1: 128.700",
            open("WIN", Buy, Market)
                .entry(price(128250.0))
                .sl(sl(127850.0))
                .tp(&[128700.0]),
        ),
        (
            "Sobe o stop pro 0x0 no WDO",
            modify_sl(StopLoss::Breakeven).symbol("WDO"),
        ),
        ("We won big today 🏆", none()),
        (
            "SL: 4034\nTP1: 4046\nTP2: 4051\nTP3: 4060",
            kind(SignalKind::Modify)
                .sl(sl(4034.0))
                .tp(&[4046.0, 4051.0, 4060.0]),
        ),
        (
            "ETH закрываю по текущим, 3050. Хватит.",
            close(Some(1.0)).symbol("ETH"),
        ),
        (
            "eurusd filled. sl be",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "Alles raus aus NAS100 vor den Zahlen.",
            close(Some(1.0)).symbol("NAS100"),
        ),
        // From the twenty-seventh set: a share that leaves a runner, risk cut to a new stop,
        // leaving the trade in French, a close at breakeven, "book all".
        ("Close 70% now and leave a small runner", close(Some(0.7))),
        (
            "Cut risk: SL 4279 instead of 4270",
            modify_sl(StopLoss::Price(4279.0)),
        ),
        (
            "On sort de l'or maintenant ✅",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Chiudere a pareggio", close(Some(1.0))),
        ("Gold book karo sab ✅", close(Some(1.0)).symbol("XAUUSD")),
        // From the twenty-eighth set: a placeholder stop in many languages with the target on
        // its line, a fake signal warned of, a hunch, a target reached on a bot card, gold in a
        // French call with "immédiat" between.
        (
            "NAS100 BUY NOW 21180 SL SOON TP 21300",
            open("NAS100", Buy, Market)
                .entry(price(21180.0))
                .sl(None)
                .tp(&[21300.0]),
        ),
        (
            "🔔 VENTE EURJPY @ 162.80\nSL : bientôt\nTP1 : 162.30",
            open("EURJPY", Sell, Market)
                .entry(price(162.8))
                .sl(None)
                .tp(&[162.3]),
        ),
        (
            "Cuidado! Sinal falso circulando: \"VENDA OURO 4100 STOP 4110\"",
            none(),
        ),
        (
            "eurusd looking heavy under 1.0850, prob sell rips, nothing yet",
            none(),
        ),
        (
            "🤖 SIGNAL UPDATE\nPair: ETH/USDT\n✅ Target 2 reached (3410)\nProfit: +12%",
            none(),
        ),
        (
            "🔔 ACHAT IMMÉDIAT OR\nZone : 4190 - 4186\nSL : 4180\nTP : 4196",
            open("XAUUSD", Buy, Market)
                .entry(zone(4186.0, 4190.0))
                .sl(sl(4180.0))
                .tp(&[4196.0]),
        ),
        // A cry before the ticket is no question about it; Turkish stop and breakeven forms and
        // case endings; a Persian share in percent words, the verb last.
        (
            "Who's ready? 🙋 Gold sell 4124 SL 4133 TP 4110",
            open("XAUUSD", Sell, Market)
                .entry(price(4124.0))
                .sl(sl(4133.0))
                .tp(&[4110.0]),
        ),
        ("Gold sell 4124 SL 4133 TP 4110 — who took this?", none()),
        (
            "Stopu girişe çekelim arkadaşlar",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "SL'yi giriş seviyesine çekin",
            modify_sl(StopLoss::Breakeven),
        ),
        ("US30 başa baş kapatın", close(Some(1.0)).symbol("US30")),
        ("۷۰ درصد سود رو سیو کنید", close(Some(0.7))),
        // Dot thousands in a follow-up with no symbol, in a language that writes them so; not
        // in Russian, whose crypto traders write a decimal point; never a price below one.
        (
            "Stopp nachziehen auf 24.420",
            modify_sl(StopLoss::Price(24420.0)),
        ),
        ("Nuovo target 26.050", modify_tp(26050.0)),
        (
            "Стоп лосс переносим на 1.553",
            modify_sl(StopLoss::Price(1.553)),
        ),
        ("Nuevo SL 0.215", modify_sl(StopLoss::Price(0.215))),
        // The provider's own exit by hand, and "close yours".
        (
            "EURUSD closed manually at 1.0861 — close yours too",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        ("closed manually at +40 pips ✅", none()),
        // From the thirtieth and thirty-first sets (scored once unseen, then worked on): Gulf
        // "now", Egyptian gold and closes, Argentine commands, a name glued to Chinese, Italian
        // "se", a stop hit in Portuguese, the indices of Spain, Italy and France, whole
        // thousands after a dot, targets joined in Vietnamese, Thai and Hindi, a gain beside a
        // close.
        (
            "🔴 بيع ذهب الحين 🔴\nSELL GOLD NOW @ 4231\nSL: 4240\nTP1: 4226",
            open("XAUUSD", Sell, Market)
                .entry(price(4231.0))
                .sl(sl(4240.0))
                .tp(&[4226.0]),
        ),
        (
            "شراء دهب ✅\nمن 4176 لحد 4172\nاستوب 4165\nتارجت 4182",
            open("XAUUSD", Buy, Market)
                .entry(zone(4172.0, 4176.0))
                .sl(sl(4165.0))
                .tp(&[4182.0]),
        ),
        ("سكروا الصفقة كاملة الحين 💰", close(Some(1.0))),
        (
            "Cerrá la mitad del GBPUSD 🤑",
            close(Some(0.5)).symbol("GBPUSD"),
        ),
        ("ETH空单先平一半💰", close(Some(0.5)).symbol("ETH")),
        (
            "Petrolio: se rompe 61,50 chiudiamo tutto, vi aggiorno.",
            none(),
        ),
        ("GER40 voltou e pegou o stop no 0x0. Sem prejuízo.", none()),
        (
            "🔴 VENTA ESP35\n\nPrecio: 15.980\nStop: 16.040\nObjetivo 1: 15.920",
            open("ESP35", Sell, Market)
                .entry(price(15980.0))
                .sl(sl(16040.0))
                .tp(&[15920.0]),
        ),
        (
            "ESP35: bajamos el stop a 16.000 📉",
            modify_sl(StopLoss::Price(16000.0)).symbol("ESP35"),
        ),
        (
            "TP mới cho lệnh sell: 4255 và 4242",
            kind(SignalKind::Modify).tp(&[4255.0, 4242.0]),
        ),
        (
            "Cerrad un 30% del BTCUSDT, ya va +1.200$ 💰",
            close(Some(0.3)).symbol("BTCUSDT"),
        ),
        // From the twenty-ninth set: a session "kicking off" shares nothing, "in 10" is when,
        // a lesson around a ticket refuses nothing.
        (
            "Sydney session kicking off. Aussie looking a bit crook after the CPI.",
            none(),
        ),
        (
            "That's me out of cable. Close the rest, BoE speaker in 10 😬",
            close(Some(1.0)),
        ),
        (
            "Dear traders, the market gives to those who wait, not to those who chase.\n\nGOLD SELL 4078\nSL 4086\nTP 4066",
            open("XAUUSD", Sell, Market)
                .entry(price(4078.0))
                .sl(sl(4086.0))
                .tp(&[4066.0]),
        ),
        (
            "GOLD SELL 4078\nSL 4086\nTP 4066\n\nIf you are new here, do not take this trade without a stop.",
            none(),
        ),
        // From the thirty-second to thirty-fourth sets (scored once unseen, then worked on):
        // fake channels warned of in Turkish, Arabic and Spanish, a target hit in Urdu, a
        // wait in Russian, a lesson, profits taken in other words, "the rest", "if you're in".
        (
            "Sahte kanallara dikkat! Bizim adımıza 'ALTIN ALIŞ 4120 SL 4110' paylaşanlar dolandırıcı",
            none(),
        ),
        (
            "احذروا من القنوات المزيفة التي تنشر: شراء ذهب 4120 ستوب 4110",
            none(),
        ),
        (
            "الحمدللہ گولڈ بائے 4109 کا ٹی پی 2 4124 ہٹ ✅ +150 پپس",
            none(),
        ),
        ("Жду вход в лонг WTI у 59,00 — сигнал дам отдельно", none()),
        (
            "Lesson: a 30 pip TP on GBPJPY with a 50 pip SL needs a 62% win rate to be profitable",
            none(),
        ),
        ("Book profits on the rest of BNB 🔥", close(Some(1.0))),
        (
            "Take some profit gold sell, rest hold 🙏",
            close(None).symbol("XAUUSD"),
        ),
        (
            "Kill the GER40 trade, not liking this candle",
            close(Some(1.0)).symbol("GER40"),
        ),
        (
            "Closing my USDJPY short manually, 45 pips in. Follow if you're in",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        (
            "سونا فروخت کریں ابھی 4131\nسٹاپ 4138\nہدف 4124",
            open("XAUUSD", Sell, Market)
                .entry(price(4131.0))
                .sl(sl(4138.0))
                .tp(&[4124.0]),
        ),
        // A coin heading a short follow-up; a template marking the stop ❌ and the targets ✅;
        // French gold after a limit word; a part of the whole in lots.
        ("SOL: take 20% profit here", close(Some(0.2)).symbol("SOL")),
        (
            "GOLD BUY LIMIT 🟢 4065 - 4062\n\nSL 4055 ❌\nTP 4070 ✅\nTP 4075 ✅",
            open("XAUUSD", Buy, Limit)
                .entry(zone(4062.0, 4065.0))
                .sl(sl(4055.0))
                .tp(&[4070.0, 4075.0]),
        ),
        (
            "ACHAT LIMITE OR 4 088\nSL 4 080\nTP 4 098",
            open("XAUUSD", Buy, Limit)
                .entry(price(4088.0))
                .sl(sl(4080.0))
                .tp(&[4098.0]),
        ),
        (
            "GBPUSD close 3 lots out of 5",
            close(Some(0.6)).symbol("GBPUSD"),
        ),
        ("close 2 of the 4 lots", close(Some(0.5))),
        ("close 5 of 3 lots", none()),
        // From the thirty-fifth to thirty-seventh sets (scored once unseen, then worked on): a
        // Chinese card's coin, a stop and targets each on a line after a bare call, an order
        // that may not fill, a purpose is no close, leverage and another coin's clause beside a
        // close, a review, an Italian breakeven, "you close too".
        (
            "【合约策略】SOL\n方向：做多\n入场：186\n止损：181\n止盈：191 / 196",
            open("SOL", Buy, Market)
                .entry(price(186.0))
                .sl(sl(181.0))
                .tp(&[191.0, 196.0]),
        ),
        (
            "🔥 MICRO CAP 🔥\n\n$MOG\nBuy zone: 0.00000142 - 0.00000151\nSL 0.00000130\nTargets: 0.00000168",
            open("MOG", Buy, Market)
                .entry(zone(0.00000142, 0.00000151))
                .sl(sl(0.0000013))
                .tp(&[0.00000168]),
        ),
        (
            "SL 4041\nTP 4052\nTP 4056\nTP 4062",
            kind(SignalKind::Modify)
                .sl(sl(4041.0))
                .tp(&[4052.0, 4056.0, 4062.0]),
        ),
        (
            "ETH/USDT шорт лимиткой\nВход 4120\nСтоп 4190\nЦели 4040, 3960\nЕсли не нальют — не страшно",
            open("ETHUSDT", Sell, Limit)
                .entry(price(4120.0))
                .sl(sl(4190.0))
                .tp(&[4040.0, 3960.0]),
        ),
        (
            "#ETHUSDT move SL to 4,040 to secure profits 🔒",
            modify_sl(StopLoss::Price(4040.0)).symbol("ETHUSDT"),
        ),
        (
            "#ARBUSDT close full position ✅ +18% with 10x",
            close(Some(1.0)).symbol("ARBUSDT"),
        ),
        (
            "Все лонги закрываю, BTC сломал 108к. Сижу в кэше",
            close(Some(1.0)),
        ),
        (
            "Обзор GER40: пробили 24300, следующая цель 24500. Пока выше 24200 — только покупки.",
            none(),
        ),
        (
            "US30 stop in pari",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        (
            "Ben çıktım arkadaşlar, +70 pip ile kapattım. Siz de kapatın 🏁",
            close(Some(1.0)),
        ),
        ("Close half here, 60 pips running", close(Some(0.5))),
        // From the thirty-eighth to fortieth sets: an example on a long line above the ticket,
        // a scam alert, Greek and Korean target hits, Korean take-profit labels.
        (
            "Ejemplo de cómo cargar la señal en MT4 👇\nBUY XAUUSD 4100 SL 4090 TP 4110\n(esto es solo un ejemplo, NO es una señal)",
            none(),
        ),
        (
            "⚠️ SCAM ALERT ⚠️\nAdmins will NEVER DM you first. Report fake accounts.",
            none(),
        ),
        ("Το BTC long έπιασε TP1 🎯 +1700 μονάδες", none()),
        ("골드 1차 익절 달성 ✅ +50핍", none()),
        (
            "ETH 숏 🔻\n진입 3320\n손절 3390\n익절 3240, 3180",
            open("ETH", Sell, Market)
                .entry(price(3320.0))
                .sl(sl(3390.0))
                .tp(&[3240.0, 3180.0]),
        ),
        ("SOL 일부 익절 챙기세요", close(None).symbol("SOL")),
        // Phone-typed channels: targets one after another with a space, a nickname in lower
        // case before its side, Turkish "al" with "now" on either side, getting out in Hinglish
        // and Arabic.
        (
            "sl 4090 tp 4104 4112",
            kind(SignalKind::Modify)
                .sl(sl(4090.0))
                .tp(&[4104.0, 4112.0]),
        ),
        (
            "gu buy 1.3280 sl 1.3250 tp 1.3310 1.3340",
            open("GBPUSD", Buy, Market)
                .entry(price(1.328))
                .sl(sl(1.325))
                .tp(&[1.331, 1.334]),
        ),
        ("eu comprei ouro ontem", none()),
        ("altın al şimdi", open("XAUUSD", Buy, Market)),
        ("ALTIN ŞİMDİ AL 🚀", open("XAUUSD", Buy, Market)),
        ("out ho jao bhai", close(Some(1.0))),
        ("اطلعوا من الصفقة الحين", close(Some(1.0))),
        // From the forty-first to forty-third sets: a recap of the last signals, "close to"
        // breakeven, the coin NOT after "по", Hindi "aur", a moonbag left, the rest in
        // Persian, a stop at breakeven triggered, targets updated for a side.
        (
            "Our last 3 sell signals on gold: 4100 ✅ 4088 ✅ 4075 ❌",
            none(),
        ),
        (
            "We are close to breakeven on the EURUSD, be patient",
            none(),
        ),
        (
            "Шорт по NOT закрываем полностью",
            close(Some(1.0)).symbol("NOT"),
        ),
        (
            "NAS100 ke targets change: 21560 aur 21650",
            kind(SignalKind::Modify)
                .tp(&[21560.0, 21650.0])
                .symbol("NAS100"),
        ),
        ("Close 80% and leave a moonbag 🌙", close(Some(0.8))),
        ("بقیه حجم رو هم ببندید ✅", close(Some(1.0))),
        ("Стоп в б/у сработал, вышли в ноль", none()),
        (
            "Targets updated for gold sell 📉\n\nTP1 4268\nTP2 4255\nTP3 4240",
            kind(SignalKind::Modify)
                .tp(&[4268.0, 4255.0, 4240.0])
                .symbol("XAUUSD"),
        ),
        // Gold in Greek, Bengali and Hindi scripts; targets changed in Greek, Swahili, Hindi;
        // a Turkish stop "done", Portuguese "raise", Turkish target levels updated.
        (
            "Κλείστε τη μισή θέση στον χρυσό",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "BTCUSDT: αλλαγή στόχων σε 104000 / 106000",
            kind(SignalKind::Modify)
                .tp(&[104000.0, 106000.0])
                .symbol("BTCUSDT"),
        ),
        (
            "BTCUSDT: TP mpya ni 105500 na 108000",
            kind(SignalKind::Modify)
                .tp(&[105500.0, 108000.0])
                .symbol("BTCUSDT"),
        ),
        (
            "#211 EURUSD stop 1.1650 yapıldı",
            modify_sl(StopLoss::Price(1.165)).symbol("EURUSD"),
        ),
        (
            "#083 ouro subindo forte, sobe o stop para 4102",
            modify_sl(StopLoss::Price(4102.0)).symbol("XAUUSD"),
        ),
        (
            "Kar al seviyeleri güncellendi: 1,2820 / 1,2860",
            kind(SignalKind::Modify).tp(&[1.282, 1.286]),
        ),
        // From the forty-fourth to forty-sixth sets (scored once unseen, then worked on): an
        // Urdu close with a side, a stop "lowered", a Malay target change, Bengali labels,
        // Thai "open" is not "close", Hindi breakeven and closes.
        (
            "گولڈ سیل ابھی کلوز کر دیں، پرافٹ لے لیں 💵",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "GJ sell: stop lowered to 204.10",
            modify_sl(StopLoss::Price(204.1)).symbol("GBPJPY"),
        ),
        (
            "Tukar TP GOLD buy kepada 4072 / 4080",
            kind(SignalKind::Modify)
                .tp(&[4072.0, 4080.0])
                .symbol("XAUUSD"),
        ),
        (
            "🔔 #BTCUSDT লং (LONG)\nএন্ট্রি: 103600 - 104000\nস্টপ লস: 102700\nটার্গেট ১: 104800",
            open("BTCUSDT", Buy, Market)
                .entry(zone(103600.0, 104000.0))
                .sl(sl(102700.0))
                .tp(&[104800.0]),
        ),
        ("สวัสดีตอนเช้าครับทุกคน 🙏 วันนี้ตลาดเปิดแล้ว", none()),
        ("रिस्क फ्री कर लें ✅", modify_sl(StopLoss::Breakeven)),
        ("सारे ट्रेड बंद कर दें", close(Some(1.0))),
        // Closes and moves in Japanese, Korean, Indonesian, Swahili, Filipino and Bengali.
        (
            "ゴールド 半分利確しておきましょう",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("#SOL 물량 50% 정리하세요", close(Some(0.5)).symbol("SOL")),
        (
            "USDJPY ifunge sasa, habari mbaya inakuja",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        (
            "US30 SL turunin ke 47300",
            modify_sl(StopLoss::Price(47300.0)).symbol("US30"),
        ),
        (
            "$XRP SL taas natin sa 2.36",
            modify_sl(StopLoss::Price(2.36)).symbol("XRP"),
        ),
        (
            "#DOGEUSDT 50% প্রফিট বুক করুন",
            close(Some(0.5)).symbol("DOGEUSDT"),
        ),
        // A side and a stop with nothing to open on is no ticket.
        ("ETHUSDT long — SL 3 050 ✅", none()),
        // An update card of a running trade, without an entry, is its new levels.
        (
            "GOLD SELL update:\nSL now 4098\nTP 4070 / 4062 / 4050",
            kind(SignalKind::Modify)
                .sl(sl(4098.0))
                .tp(&[4070.0, 4062.0, 4050.0])
                .symbol("XAUUSD"),
        ),
        ("Update: GOLD BUY now SL 4045 TP 4080", none()),
        ("Update: if gold breaks 4100, SL 4090 TP 4120", none()),
        // Exits made now; a headline is none.
        (
            "Gold: out now at breakeven, don't risk it",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Out now: our new video on gold", none()),
        ("not out now, holding", none()),
        (
            "Secure profits — close the trade manually now +48 pips",
            close(Some(1.0)),
        ),
        // New target lists under labels of their own, a stop said twice, a stop moved and ticked.
        (
            "USOIL short: new targets T1 64.30 / T2 63.90. Stop unchanged.",
            kind(SignalKind::Modify).tp(&[64.3, 63.9]).symbol("USOIL"),
        ),
        (
            "Aggiornamento BTCUSDT: TP1 resta 99000, TP2 portato a 100000",
            kind(SignalKind::Modify)
                .tp(&[99000.0, 100000.0])
                .symbol("BTCUSDT"),
        ),
        (
            "ORO nuevos objetivos 👇\nTP1 4560\nTP2 4575",
            kind(SignalKind::Modify)
                .tp(&[4560.0, 4575.0])
                .symbol("XAUUSD"),
        ),
        (
            "GOLD SL 4603 | الستوب إلى 4603",
            modify_sl(StopLoss::Price(4603.0)).symbol("XAUUSD"),
        ),
        ("GOLD SL 4603 | SL 4610", none()),
        (
            "EURUSD: stop a 1.1675 ✅",
            modify_sl(StopLoss::Price(1.1675)).symbol("EURUSD"),
        ),
        ("EURUSD SL 1.1675 ✅", none()),
        // A stop moved to a target, the target named in words or by its index.
        (
            "Подтягиваем стоп к 1 тейку (3585)",
            modify_sl(StopLoss::Price(3585.0)),
        ),
        (
            "نرفع الستوب إلى الهدف الأول 4070",
            modify_sl(StopLoss::Price(4070.0)),
        ),
        (
            "Stop 1. hedefe (4072) taşınsın",
            modify_sl(StopLoss::Price(4072.0)),
        ),
        (
            "Amankan profit, SL naik ke TP1 4070",
            modify_sl(StopLoss::Price(4070.0)),
        ),
        // Percent words on either side of the number.
        (
            "BTCUSDT funga asilimia 30 ya position",
            close(Some(0.3)).symbol("BTCUSDT"),
        ),
        ("GOLD yüzde 30 kapatın", close(Some(0.3)).symbol("XAUUSD")),
        // Reminders, negated calls, quotes of other channels, samples and snapshots in the
        // languages: never opens.
        (
            "Przypominam: short XRP od 2.38 nadal otwarty, nie dokładajcie.",
            none(),
        ),
        (
            "یادآوری: خرید طلا از 4183 هنوز بازه، ورود جدید نداریم.",
            none(),
        ),
        (
            "ممنوع الشراء على الذهب عند 4275 ❌ منطقة مقاومة قوية",
            none(),
        ),
        ("Altında 4150'den alım YAPMAYIN ❌ trend aşağı.", none()),
        (
            "Bitte KEINEN Long im NAS100 bei 25600 – das ist Widerstand.",
            none(),
        ),
        (
            "I personally added a BTC long at 101,400 for my own bag. Not a call, I'm just transparent with you.",
            none(),
        ),
        (
            "Z innego kanału: \"LONG DOGE 0.20 x50\" 🤦 nigdy nie grajcie na 50x.",
            none(),
        ),
        (
            "Print de outro grupo: \"VENDA OURO 4150 SEM STOP\" 😂 nunca operem sem stop",
            none(),
        ),
        (
            "هذه عينة مجانية من توصيات VIP أمس: بيع الذهب 4270 ستوب 4280 هدف 4250 ✅",
            none(),
        ),
        (
            "LONG BTC/USDT od 99500 ✅ TP2 103000 zaliczony +3.5%",
            none(),
        ),
        (
            "🪞 MirrorTrade | Open positions snapshot\nXAUUSD SELL 0.40 @ 4079.50 → floating +$62.30",
            none(),
        ),
        // A bot's new card states its trade live; lots before the entry; a rhetorical why.
        (
            "🟢 NEW SIGNAL | ID #SP-20417\nPair: EURUSD\nAction: BUY\nEntry: 1.16120\nStop Loss: 1.15820\nTP1: 1.16420\nStatus: ACTIVE ✅\nRisk: 1%",
            open("EURUSD", Buy, Market)
                .entry(price(1.1612))
                .sl(sl(1.1582))
                .tp(&[1.1642]),
        ),
        (
            "Signal update\nPair: EURUSD\nAction: BUY\nEntry: 1.16120\nStop Loss: 1.15820\nTP1: 1.16420\nStatus: ACTIVE ✅",
            none(),
        ),
        (
            "SELL GBPUSD 1.50 lots @ 1.33185\nSL 1.33485 | TP 1.32900",
            open("GBPUSD", Sell, Market)
                .entry(price(1.33185))
                .sl(sl(1.33485))
                .tp(&[1.329]),
        ),
        (
            "USDCAD long at market 1.4012, stop 1.3985 — target 1.4065. Why? Oil dumping + weekly support.",
            open("USDCAD", Buy, Market)
                .entry(price(1.4012))
                .sl(sl(1.3985))
                .tp(&[1.4065]),
        ),
        (
            "🛢 USOIL SELL NOW\nEntry: 61.35\nSL: 61.95\nTP1: 60.70\nEIA build was bearish",
            open("USOIL", Sell, Market)
                .entry(price(61.35))
                .sl(sl(61.95))
                .tp(&[60.7]),
        ),
        // Kazakh, and the side forms of Polish and Brazilian Portuguese.
        (
            "Алтын сату қазір 4185\nстоп 4193\nтейк 4172",
            open("XAUUSD", Sell, Market)
                .entry(price(4185.0))
                .sl(sl(4193.0))
                .tp(&[4172.0]),
        ),
        (
            "Алтын: тейкті 4160-қа жылжытамыз",
            kind(SignalKind::Modify).tp(&[4160.0]).symbol("XAUUSD"),
        ),
        (
            "Алтын бойынша стопты безубытокқа ауыстырамыз ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "US30 лимитті алып тастаңыздар, өзекті емес ❌",
            close(Some(1.0)).symbol("US30"),
        ),
        (
            "Wchodzę teraz w shorta na XRP 2.38, stop 2.47, cel 2.25.",
            open("XRP", Sell, Market)
                .entry(price(2.38))
                .sl(sl(2.47))
                .tp(&[2.25]),
        ),
        (
            "Entrando vendido no GBPJPY 201.90\nStop 202.40\nAlvo 200.90",
            open("GBPJPY", Sell, Market)
                .entry(price(201.9))
                .sl(sl(202.4))
                .tp(&[200.9]),
        ),
        (
            "Se fosse pra operar hoje eu compraria ETH em 3400, mas o mercado tá muito volátil, fiquem de fora.",
            none(),
        ),
        (
            "Taking a small short on GBPJPY now around 201.60. SL 202.20, TP 200.80. Copy if you like, half risk.",
            open("GBPJPY", Sell, Market)
                .entry(price(201.6))
                .sl(sl(202.2))
                .tp(&[200.8]),
        ),
        // The stop to the entry, the entry's price named after it.
        (
            "Pair: EURUSD\nUpdate: SL moved to entry (1.16120)",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "Update: SL 4040, entry 4050",
            modify_sl(StopLoss::Price(4040.0)),
        ),
        // Update cards in more languages are the trade's new levels; a stop to a target's price.
        (
            "XAUUSD sell – modifica\nSL 4186\nTP 4150 - 4138",
            kind(SignalKind::Modify)
                .sl(sl(4186.0))
                .tp(&[4150.0, 4138.0])
                .symbol("XAUUSD"),
        ),
        (
            "XAGUSD 空单修改\n止损 52.60\n止盈 51.80 - 51.40",
            kind(SignalKind::Modify)
                .sl(sl(52.6))
                .tp(&[51.8, 51.4])
                .symbol("XAGUSD"),
        ),
        (
            "SL naar TP2 (4236) 🔐 rest laten lopen",
            modify_sl(StopLoss::Price(4236.0)),
        ),
        (
            "SL στο TP1 (4188) 🔐 αφήνουμε τα υπόλοιπα να τρέξουν",
            modify_sl(StopLoss::Price(4188.0)),
        ),
        // A call quoted between the channel's own words is repeated, not given; a voice note's
        // transcript and a picture's described text are the channel's own.
        (
            "LOL look at this from another 'VIP' channel 👇\n\"GOLD BUY NOW 4340 SL 4200 TP 4800\"\n140$ stop on gold 🤡 please don't follow these guys.",
            none(),
        ),
        (
            "有群友转发其他群的单子：「黄金多 4380 止损 4100 止盈 4800 稳赚」😂 止损2800点，大家别跟这种群。",
            none(),
        ),
        (
            "🎙 Voice message 0:41 — transcript:\n\"Okay guys, I'm selling gold right now at around 4114. Stop loss at 4122. First target 4105.\"",
            open("XAUUSD", Sell, Market)
                .entry(price(4114.0))
                .sl(sl(4122.0))
                .tp(&[4105.0]),
        ),
        (
            "[image] Screenshot of a signal card, text reads 'XAUUSD BUY 4078 | SL 4070 | TP 4090' — posted by the admin",
            open("XAUUSD", Buy, Market)
                .entry(price(4078.0))
                .sl(sl(4070.0))
                .tp(&[4090.0]),
        ),
        (
            "GOLD \"BUY\" 4150 SL 4140 TP 4170 don't miss it",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4170.0]),
        ),
        // The share of the lots said to be held.
        ("Kto ma 1 lota, zamknijcie 0.25 teraz", close(Some(0.25))),
        (
            "Yang entry 0.04 lot, close 0.02 lot sekarang",
            close(Some(0.5)),
        ),
        ("Close 0.5 lot now", close(None)),
        // A later close word that is an instruction stands.
        (
            "Time to exit. Close everything that's still open, NFP in 20 minutes and I don't want exposure.",
            close(Some(1.0)),
        ),
        // Nothing to do is no instruction; the reason for a close stays a reason.
        (
            "L'ordre Sell Limit GBPJPY à 201.40 n'a jamais été déclenché, il a expiré vendredi. Rien à faire de votre côté.",
            none(),
        ),
        (
            "#LINK/USDT fechar o resto, fim de semana sem posição 🏖️",
            close(Some(1.0)).symbol("LINKUSDT"),
        ),
        (
            "#EURJPY ❌ Limit not triggered — delete the pending order 🗑️",
            close(Some(1.0)).symbol("EURJPY"),
        ),
        (
            "🗞 速報：日銀が追加利上げ。ドル円は151.20まで急落、買いポジションの損切りが連鎖。新規エントリーは様子見。",
            none(),
        ),
        // A reply: the card quoted above is context, its symbol the one acted on.
        (
            "↪️ Reply to: GBPUSD BUY 1.2680 | SL 1.2640 | TP 1.2760\n\nFor those still in, trail your stop up to 1.2715.",
            modify_sl(StopLoss::Price(1.2715)).symbol("GBPUSD"),
        ),
        // A line marked as a target before the stop, between it and the labelled targets:
        // the entry.
        (
            "🟢 GBPUSD BUY NOW 🟢\n\n💵 1.3350\n\n⛔ SL 1.3320\n\n🎯 TP 1.3370\n🎯 TP 1.3395",
            open("GBPUSD", Buy, Market)
                .entry(price(1.3350))
                .sl(sl(1.3320))
                .tp(&[1.3370, 1.3395]),
        ),
        // A target removed, with a price in between and the kept ones named after a word.
        (
            "USOIL short: TP3 61.20 removed, keep TP1 62.40 and TP2 61.90",
            kind(SignalKind::Modify).symbol("USOIL").tp(&[62.40, 61.90]),
        ),
        (
            "EURJPY : on retire le TP2. Objectifs restants : 171.20",
            kind(SignalKind::Modify).symbol("EURJPY").tp(&[171.20]),
        ),
        (
            "US30 long: TP3 47,600 is off the table. Hold TP1 47,350 / TP2 47,420",
            kind(SignalKind::Modify)
                .symbol("US30")
                .tp(&[47350.0, 47420.0]),
        ),
        // An instruction recalled in quotation marks, the channel's words around it.
        (
            "Last week I told you 'move SL to entry on gold' and look, price came back to it. Discipline pays 🙏",
            none(),
        ),
        (
            "Ayer dije «cierren la mitad en el TP1» — los que hicieron caso hoy están tranquilos",
            none(),
        ),
        // Told now, the instruction quoted for emphasis only: acted on.
        (
            "Gold: \"close half\" now",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // Lots held and lots closed, however ordered.
        (
            "Close 0.03 lot from 0.09 lot, keep the rest running",
            close(Some(0.333)),
        ),
        (
            "Jinke paas 0.10 lot hai woh 0.05 close kar do",
            close(Some(0.5)),
        ),
        ("4 lot açanlar 1 lot kapatsın", close(Some(0.25))),
        ("اللي فاتح 0.10 لوت يقفل 0.05", close(Some(0.5))),
        (
            "Trimming a third of USDCAD here at 1.3850. Rest stays on.",
            close(Some(0.333)).symbol("USDCAD"),
        ),
        // New targets named with the trade, their values listed below; "(new)" after a level.
        (
            "Nouveaux objectifs sur l'or 🎯\nTP3 : 4233\nTP4 : 4248",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4233.0, 4248.0]),
        ),
        (
            "Silver update:\nSL 32.10\nTP 33.60 (new)",
            kind(SignalKind::Modify)
                .symbol("XAGUSD")
                .sl(sl(32.10))
                .tp(&[33.60]),
        ),
        (
            "EURUSD tambah TP 1.1720",
            modify_tp(1.1720).symbol("EURUSD"),
        ),
        // The levels a bare call was missing, each label decorated with its mark.
        (
            "❌ SL 1.0790\n\n✅ TP 1.0840\n✅ TP 1.0865",
            kind(SignalKind::Modify)
                .sl(sl(1.0790))
                .tp(&[1.0840, 1.0865]),
        ),
        // A cross that reports the stop hit is no level to move to.
        ("SL 1.0790 ❌", none()),
        // A mark ends a clause: the negation before it is not the instruction's after it.
        (
            "Buy stop not triggered ❌ cancel the pending order",
            close(Some(1.0)),
        ),
        (
            "EURUSD işlemini piyasadan kapatıyoruz",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "🔴 LIVE — Short GER40 at 24,180\nStop 24,230 / Target 24,080\nSize for your own account, not mine.",
            open("GER40", Sell, Market)
                .entry(price(24180.0))
                .sl(sl(24230.0))
                .tp(&[24080.0]),
        ),
        // The card replied to names its symbol in words the parser does not know.
        (
            "↩️ NAS100 – ELADÁS Belépő: 25 400 SL: 25 480\n\nnew SL 25 430",
            modify_sl(StopLoss::Price(25430.0)).symbol("NAS100"),
        ),
        // An exit that starts the message, naming its trade; the indices by their names.
        (
            "Out of the GBPUSD short now. Not loving the close into London",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        (
            "Out the rest of ASX200 here, good week",
            close(Some(1.0)).symbol("AUS200"),
        ),
        (
            "HSI SELL 17850 SL 17950 TP 17650",
            open("HK50", Sell, Market)
                .entry(price(17850.0))
                .sl(sl(17950.0))
                .tp(&[17650.0]),
        ),
        // A close word named, or the market's close, is no instruction.
        (
            "CPI at 8:30. No new trades before it. Flat is a position too",
            none(),
        ),
        (
            "Market don close for the week, enjoy your weekend family",
            none(),
        ),
        (
            "I don close my GBPUSD here +40 pips, follow me",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        // Bulgarian, Uzbek, Hungarian, Serbo-Croatian, Georgian, Slovak, Azerbaijani.
        (
            "🔔 СИГНАЛ\nИнструмент: GBPUSD\nПосока: ПРОДАЖБА\nВход: 1.3350\nСтоп: 1.3390\nЦел 1: 1.3300",
            open("GBPUSD", Sell, Market)
                .entry(price(1.3350))
                .sl(sl(1.3390))
                .tp(&[1.3300]),
        ),
        (
            "GBPUSD – затваряме цялата позиция сега",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        ("OLTIN SOTIB OLAMIZ HOZIR", open("XAUUSD", Buy, Market)),
        ("EZÜST ELADÁS MOST", open("XAGUSD", Sell, Market)),
        (
            "EURUSD – zárjuk a pozíció felét",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        ("ZLATO PRODAJA ODMAH", open("XAUUSD", Sell, Market)),
        (
            "ETHUSDT – zatvaramo sve po trenutnoj ceni, +150 $ po ETH",
            close(Some(1.0)).symbol("ETHUSDT"),
        ),
        // Romanian "aur" in lower case in a Romanian message; Hindi "aur" is "and".
        (
            "Închidem jumătate din poziția pe aur acum",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // A target removed, the ones that stay said as "only" in the clause after it.
        (
            "Remove TP3, keep only 1.0890 and 1.0925",
            kind(SignalKind::Modify).tp(&[1.0890, 1.0925]),
        ),
        (
            "Hapus TP3, TP1 4245 dan TP2 4256 saja",
            kind(SignalKind::Modify).tp(&[4245.0, 4256.0]),
        ),
        // The stop in the next sentence is not a kept target.
        (
            "Gold: TP3 streichen, letztes Ziel 4098. SL 4121",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .sl(sl(4121.0))
                .tp(&[4098.0]),
        ),
        // Every target ticked and the gain reported: a result.
        (
            "GBPUSD BUY 1.3300\nSL 1.3270\nTP1 1.3330 ✅\nTP2 1.3360 ✅\n\n+60 pips banked, nice one",
            none(),
        ),
        // The provider's own entry, the reader invited: "if you fancy it" is no condition.
        (
            "Buying EURUSD here at 1.0850, stop 1.0820, target 1.0910. Hop in if you're keen",
            open("EURUSD", Buy, Market)
                .entry(price(1.0850))
                .sl(sl(1.0820))
                .tp(&[1.0910]),
        ),
        // "SL 4270 → +100 pips" is what the trade made.
        (
            "Last month: XAUUSD SELL 4262 SL 4270 → +100 pips in 2 hours",
            none(),
        ),
        // A target to come, in Vietnamese: the order stands with its stop.
        (
            "EURUSD SELL LIMIT 1.0900\nSL 1.0930\nTP: cập nhật sau",
            open("EURUSD", Sell, OrderType::Limit)
                .entry(price(1.0900))
                .sl(sl(1.0930)),
        ),
        // Catalan.
        (
            "🔴 VENDA $SOLUSDT\nEntrada: 140,50\nStop: 146,00\nObjectius: 135 - 130",
            open("SOLUSDT", Sell, Market)
                .entry(price(140.5))
                .sl(sl(146.0))
                .tp(&[135.0, 130.0]),
        ),
        (
            "Tanquem la meitat del BTC aquí",
            close(Some(0.5)).symbol("BTC"),
        ),
        // The targets "of the buy", no entry: the trade's new targets.
        (
            "Targets of the gold buy:\n🎯 4342\n🎯 4350",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4342.0, 4350.0]),
        ),
        // A bot's id after a hash is no number written with an exponent.
        (
            "NEW SIGNAL\nPair: GER40\nDirection: SELL\nEntry: 24180\nSL: 24260\nTP1: 24080\n🆔 #D3E55",
            open("GER40", Sell, Market)
                .entry(price(24180.0))
                .sl(sl(24260.0))
                .tp(&[24080.0]),
        ),
        // A B3 mini contract with its expiry, thousands written with a dot.
        (
            "🟢 COMPRA WINZ25\nEntrada: 158.350\nStop: 158.100\nAlvo: 158.600",
            open("WINZ25", Buy, Market)
                .entry(price(158350.0))
                .sl(sl(158100.0))
                .tp(&[158600.0]),
        ),
        // An instruction recalled: when and that it was said, nothing telling it again now.
        (
            "Yesterday we said move SL to entry on gold, whoever did is safe now",
            none(),
        ),
        (
            "Kal raat maine bola tha SL 4210 pe shift karo, jinhone kiya wo safe hain",
            none(),
        ),
        // Said before and told again now: acted on.
        ("As we said yesterday: close half now", close(Some(0.5))),
        // Tamil, Bengali, Malay follow-ups.
        (
            "Gold sell ellam ippove close pannunga",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Bhai, gold er sob trade ekhon close koren",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A bare "Reply:" over a card that runs to a blank line.
        (
            "Reply: BTC/USDT LONG 96000\nSL 94500\nTP 98000\n\nMove SL to 96500",
            modify_sl(StopLoss::Price(96500.0)).symbol("BTCUSDT"),
        ),
        // Levels pointed up at the trade above.
        (
            "SL 1.0790\nTP 1.0840\n\n(the EURUSD buy above) 👆",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .sl(sl(1.0790))
                .tp(&[1.0840]),
        ),
        // The coin and its pair in a follow-up: the pair.
        (
            "Bitcoin BTCUSDT stop to 97200",
            modify_sl(StopLoss::Price(97200.0)).symbol("BTCUSDT"),
        ),
        // A pending order expired, nothing to do.
        (
            "Gold buy limit 4160 expire ho gaya, kuch nahi karna",
            none(),
        ),
        // A tag question asks nothing.
        (
            "Cerrad el 50% del NAS100, vale?",
            close(Some(0.5)).symbol("NAS100"),
        ),
        ("Close half of gold now?", none()),
        // A close card's share in its field; a demonstrative names the trade.
        (
            "✂️ PARTIAL CLOSE\nSymbol: GBPUSD\nClosed: 25% (0.05 lots) @ 1.3320",
            close(Some(0.25)).symbol("GBPUSD"),
        ),
        (
            "Encerrem essa compra no ouro agora",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A wait refused is no condition.
        (
            "Close gold here, not waiting for TP2",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A close in a clause of its own, its reason after it.
        ("Cerramos aquí, no me gusta", close(Some(1.0))),
        ("Zamykamy tutaj, nie czekamy na TP2", close(Some(1.0))),
        (
            "Respuesta a: ORO VENTA 4136-4139\nSL 4146\nTP 4125\n\nCerramos aquí al precio de entrada, no me gusta",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Закрийте третину позиції по золоту",
            close(Some(0.333)).symbol("XAUUSD"),
        ),
        // A close clause beside a report is no instruction.
        ("Closed here, +40 pips", none()),
        // A close planned, or at a time of day, is for later.
        ("We'll close the euro buys at TP2, not before", none()),
        ("Close gold at 17:30 before the bell", none()),
        ("Die Börse schließt um 22:00, bis dann", none()),
        // The provider's own exit, the reader free to copy it.
        (
            "Yo estoy saliendo del EURUSD en 1.0860, si quieren síganme",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "Ich steige beim Silber bei 33.40 aus – wer mag, macht mit",
            close(Some(1.0)).symbol("XAGUSD"),
        ),
        // A bot's JSON: commas part its values.
        (
            "{\"cmd\":\"OPEN\",\"sym\":\"XAUUSD\",\"dir\":\"SELL\",\"price\":4126,\"sl\":4134,\"tp\":[4116,4104]}",
            open("XAUUSD", Sell, Market)
                .entry(price(4126.0))
                .sl(sl(4134.0))
                .tp(&[4116.0, 4104.0]),
        ),
        (
            "{\"action\":\"close\",\"symbol\":\"EURUSD\",\"percent\":40}",
            close(Some(0.4)).symbol("EURUSD"),
        ),
        // A word a line.
        (
            "EURUSD\nmove\nSL\nto\nBE",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "GBP\nUSD\nBUY\n1.3300\nstop\n1.3270\ntarget\n1.3350",
            open("GBPUSD", Buy, Market)
                .entry(price(1.3300))
                .sl(sl(1.3270))
                .tp(&[1.3350]),
        ),
        // Prose around a complete ticket: its past tense is no report.
        (
            "Yesterday was a rough day and a few of you got stopped on the pound, it happens to everyone. Today I am selling gold here at 4128, stop 4136, target 4115.",
            open("XAUUSD", Sell, Market)
                .entry(price(4128.0))
                .sl(sl(4136.0))
                .tp(&[4115.0]),
        ),
        // A broker's suffix on the symbol; a bot's action after its name.
        (
            "⚙️ MT5 Copier ➜ Order placed\nEURUSDm BUY LIMIT 1.0850\nSL 1.0820 TP 1.0900",
            open("EURUSD", Buy, OrderType::Limit)
                .entry(price(1.0850))
                .sl(sl(1.0820))
                .tp(&[1.0900]),
        ),
        (
            "[TradeCopier v2] CLOSE\nsymbol=GBPUSD volume=25%",
            close(Some(0.25)).symbol("GBPUSD"),
        ),
        (
            "📡 BridgeBot | CLOSE #4411\nUSDJPY · 100% · at market",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        // Darija; Arabic's "and" on a label.
        ("USDJPY: sakro 50% dorka", close(Some(0.5)).symbol("USDJPY")),
        (
            "أنا داخل بيع فضة هسا من 33.40، ستوب 33.80 وهدف 32.90",
            open("XAGUSD", Sell, Market)
                .entry(price(33.40))
                .sl(sl(33.80))
                .tp(&[32.90]),
        ),
        // A struck value is corrected; a condition in the next sentence is not the move's.
        (
            "EURUSD Buy Limit 1.0850\n~~SL 1.0815~~ SL 1.0820\nTP 1.0900",
            open("EURUSD", Buy, OrderType::Limit)
                .entry(price(1.0850))
                .sl(sl(1.0820))
                .tp(&[1.0900]),
        ),
        (
            "MOVE SL TO ENTRY ON GOLD NOW!!! NO EXCUSES IF YOU GET STOPPED",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // A part of the whole however said; the stop staying is no trade spared.
        (
            "Close 1 lot out of 4 on gold, rest keep",
            close(Some(0.25)).symbol("XAUUSD"),
        ),
        (
            "Silver: closing 0.10 of my 0.40 lots here",
            close(Some(0.25)).symbol("XAGUSD"),
        ),
        (
            "GBPUSD: partialling out 50% at 1.3320, stop stays where it is",
            close(Some(0.5)).symbol("GBPUSD"),
        ),
        // A short covered; a stop "from … to …"; "will be" is no breakeven.
        (
            "USOIL short – covering 40% here at 58.35",
            close(Some(0.4)).symbol("USOIL"),
        ),
        (
            "GBPUSD: SL from 1.3290 to 1.3320",
            modify_sl(StopLoss::Price(1.3320)).symbol("GBPUSD"),
        ),
        (
            "GBPUSD long still open, moving my stop to breakeven now, the daily limit is too close to risk it",
            modify_sl(StopLoss::Breakeven).symbol("GBPUSD"),
        ),
        (
            "USOIL long, stop to breakeven. Inventories in 20 min, not taking the risk.",
            modify_sl(StopLoss::Breakeven).symbol("USOIL"),
        ),
        // Swedish and Norwegian; an inviting question asks nothing.
        (
            "GULD KÖP 🟢\nEntry: 4140 - 4136\nSL: 4128\nTP1: 4145",
            open("XAUUSD", Buy, Market)
                .entry(Some(Entry::Zone([4136.0, 4140.0])))
                .sl(sl(4128.0))
                .tp(&[4145.0]),
        ),
        (
            "Jeg gikk akkurat short i gull på 4164, SL 4172, TP 4150. Bli med hvis dere vil",
            open("XAUUSD", Sell, Market)
                .entry(price(4164.0))
                .sl(sl(4172.0))
                .tp(&[4150.0]),
        ),
        (
            "Je viens de vendre l'or à 4178, SL 4186, TP 4165. Qui me suit ?",
            open("XAUUSD", Sell, Market)
                .entry(price(4178.0))
                .sl(sl(4186.0))
                .tp(&[4165.0]),
        ),
        // A lesson's example; a risk in money after the arrow.
        (
            "Exempel: KÖP EURUSD 1.1000, TP 1.1050 = 50 pips. SL 1.0980 = 20 pips risk.",
            none(),
        ),
        (
            "Example: BUY XAUUSD 2300, SL 2295 → 5$ of movement = 0.02 lot",
            none(),
        ),
        // Another symbol in a clause of its own, with no number or instruction: context.
        (
            "Close #AVAX/USDT now at market, BTC dumping hard",
            close(Some(1.0)).symbol("AVAXUSDT"),
        ),
        // Two trades each with its amount: not acted on.
        ("Close EURUSD fully, gold 50%", none()),
        // A stop's loss reported; the trade named, then its exit at a price.
        ("❌ SL -45 pips, market took us out. Next one.", none()),
        (
            "Silver out at 33.40, good enough before CPI",
            close(Some(1.0)).symbol("XAGUSD"),
        ),
        // A target placeholder in a sentence on the label's line.
        (
            "NAS100 BUY NOW 25120\nSL 25020\nTP akan update nanti",
            open("NAS100", Buy, Market)
                .entry(price(25120.0))
                .sl(sl(25020.0)),
        ),
        // Targets added, updated, removed in the European languages.
        (
            "Aggiungo TP4 a 1.0990 su EURUSD",
            modify_tp(1.0990).symbol("EURUSD"),
        ),
        ("Nytt TP4 på guld: 4190", modify_tp(4190.0).symbol("XAUUSD")),
        (
            "Rimuovo il TP3, troppo lontano.\nRestano TP1 1.1655 e TP2 1.1680 su EURUSD",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .tp(&[1.1655, 1.1680]),
        ),
        // Swedish words read in a Swedish message: "till" is "to", "om" is "if".
        (
            "Flytta SL till entry på ETHUSDT",
            modify_sl(StopLoss::Breakeven).symbol("ETHUSDT"),
        ),
        ("Om TP1 nås flyttar vi SL till BE.", none()),
        ("Hold gold till TP2, no changes", none()),
        // The provider's own exit in Dutch, the reader invited.
        (
            "Ik stap hier uit met mijn EURUSD short op 1.0830, wie wil, doe mee",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "Cerramos 0.05 lotes de los 0.10 en oro",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // The price a close is made at, written after the verb in any language; a lot amount
        // is still refused.
        (
            "Gold abhi close kar do 4139 pe, profit secure",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "NAS100 kalanını kapatın 25 230 civarı",
            close(Some(1.0)).symbol("NAS100"),
        ),
        ("Close 0.5 on gold", none()),
        // Targets named by their index, ticked: a result.
        (
            "#BNB/USDT LONG 🟢\nTarget 1 ✅\nTarget 2 ✅\nProfit: 30% (10x)",
            none(),
        ),
        // A picture of a member's gain, described; a chart's caption that is a signal stays one.
        (
            "[Screenshot] a member's MT5: GBPUSD buy 1.00 1.3300 → 1.3350 +500 $",
            none(),
        ),
        (
            "🖼 chart.png\ncaption: USDJPY buy now 153.85 sl 153.40 tp 154.40",
            open("USDJPY", Buy, Market)
                .entry(price(153.85))
                .sl(sl(153.40))
                .tp(&[154.40]),
        ),
        // "Reply to:" alone on its line, the card under it.
        (
            "Reply to:\n🟢 EURUSD BUY NOW 1.0850\nSL 1.0820\nTP 1.0900\n\nSet SL 1.0865 guys",
            modify_sl(StopLoss::Price(1.0865)).symbol("EURUSD"),
        ),
        (
            "Another free signal doing the rounds:\nBUY BTCUSDT 90000 SL 70000 TP 91000",
            none(),
        ),
        // The targets kept said with "keep"; targets added; the provider's exit with a gain.
        (
            "SOL убираем третью цель, оставляем 152 и 158",
            kind(SignalKind::Modify).symbol("SOL").tp(&[152.0, 158.0]),
        ),
        (
            "Zusätzliche Ziele GER40:\nTP3 24450\nTP4 24600",
            kind(SignalKind::Modify)
                .symbol("GER40")
                .tp(&[24450.0, 24600.0]),
        ),
        (
            "Wychodzę z longa na ETH tutaj +3.4%, kto chce niech zamyka ze mną",
            close(Some(1.0)).symbol("ETH"),
        ),
        (
            "Cierren solo las ventas en plata",
            close(Some(1.0)).symbol("XAGUSD"),
        ),
        // The close's own sentence: a percentage in the next is no share.
        (
            "Closing everything on gold. Hit the 4% daily target, no more risk today.",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Premarket: futures flat, earnings after the bell. NAS100 levels 25,200 and 24,950.",
            none(),
        ),
        (
            "Break even sur l'or les amis",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // The entry refused is the reason for a cancel said apart from it.
        (
            "Cancel the EURUSD buy limit.\nPrice ran away without us, no chasing",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // A signal withdrawn with "don't enter" stays none.
        (
            "Señal cancelada ❌ La compra en 1.0850 no la vamos a tomar. No entren.",
            none(),
        ),
        // A bot card's action field and its volume.
        (
            "🤖 COPIER\n━━━━━━\nACTION: CLOSE\nSymbol: US30\nVolume: 100%",
            close(Some(1.0)).symbol("US30"),
        ),
        // A reply header alone on its line (colon or arrow), the card under it to the blank line.
        (
            "Respondiendo a:\n🔴 EURUSD VENTA 1.0850\nSL 1.0880\nTP 1.0800\n\nStop a break even ya",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "Rispondendo a ↩️\nSELL GOLD 4200\nSL 4210\n\nchiudete tutto adesso",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Gold's names that are another language's words, in the language that means gold.
        (
            "Ons pozisyonunu kapatıyoruz arkadaşlar",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Volg ons voor meer signalen, we kopen goud", none()),
        (
            "استاپ انس رو بیارید روی ۴۱۶۰",
            modify_sl(StopLoss::Price(4160.0)).symbol("XAUUSD"),
        ),
        // Arabic's "for the" on the first word of a two-word name.
        (
            "الهدف الجديد للباوند دولار 1.3450",
            kind(SignalKind::Modify).symbol("GBPUSD").tp(&[1.345]),
        ),
        // "After TP1" in the languages, before or after the target: a rule, not a move now.
        ("Dopo TP1 sempre SL a pareggio, regola d'oro", none()),
        ("TP2'den sonra stopu girişe çekin", none()),
        ("TP1 ke baad SL entry pe shift karna hai", none()),
        // Instructions recalled with the day they were given.
        (
            "Gestern hatte ich gesagt, bei 4150 alles zu schließen — wer es gemacht hat, freut sich jetzt",
            none(),
        ),
        (
            "Kal bola tha TP1 pe half book karo, aaj sab khush hai",
            none(),
        ),
        // A removed target and the kept ones with their indices.
        (
            "Tirem o alvo 3, fica só alvo 1 4190 e alvo 2 4205",
            kind(SignalKind::Modify).tp(&[4190.0, 4205.0]),
        ),
        (
            "Bỏ TP3, giữ TP1 1.0920 và TP2 1.0950",
            kind(SignalKind::Modify).tp(&[1.092, 1.095]),
        ),
        // The provider's exit and the reader's choice to copy it; lots with a case ending; some
        // of it taken off with no amount.
        (
            "Zerei a operação de US30 agora, quem quiser faz o mesmo",
            close(Some(1.0)).symbol("US30"),
        ),
        ("2 lot girenler 0.50 lotunu kapatsın", close(Some(0.25))),
        (
            "Parcial no ouro, tirem um pouco",
            close(None).symbol("XAUUSD"),
        ),
        // A pending order named earlier in the message, cancelled at its end; the reflexive "se"
        // after a negation is no "if".
        (
            "La orden sell limit de ayer no se activó, la borramos",
            close(Some(1.0)),
        ),
        (
            "Лимитку по золоту отменяю, не исполнилась",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A cancel in the passive is a report.
        (
            "The buy limit on EURUSD was cancelled automatically, price never got there",
            none(),
        ),
        // An instruction's word with the day it was done: a report of the past; the day a trade
        // was opened is not.
        (
            "Kemarin kita sudah tutup setengah posisi gold, sekarang santai",
            none(),
        ),
        ("Ayer cerramos la mitad del oro en 4150", none()),
        (
            "Close the gold buy from yesterday now",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A central bank's cut is no close.
        (
            "Markets now price a December cut, the dollar stays soft",
            none(),
        ),
        // What a partial close keeps is the rest; an exclusion word in another sentence is not
        // the close's; "short of the target" is no side.
        (
            "Close 70% of gold here, keep a small lot for the last target",
            close(Some(0.7)).symbol("XAUUSD"),
        ),
        (
            "Closing EURUSD now at 1.0950. It's short of the target, but I don't want to wait for it.",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // A side after "is", "still": a state, not the order.
        (
            "GBPUSD. Selling at 1.2650, the BoE is dovish and positioning is still long sterling. Stop 1.2700, target 1.2550.",
            open("GBPUSD", Sell, Market)
                .entry(price(1.265))
                .sl(sl(1.27))
                .tp(&[1.255]),
        ),
        // A condition in a sentence of the author's reasoning after the order; "only if" stays a
        // condition on it.
        (
            "Short USDJPY at 156.40. If the MoF steps in, this drops fast. Stop 157.60, target 153.80.",
            open("USDJPY", Sell, Market)
                .entry(price(156.4))
                .sl(sl(157.6))
                .tp(&[153.8]),
        ),
        ("GOLD BUY. Only if it breaks 4100. SL 4080 TP 4150", none()),
        // Positions held, named in the plural.
        ("Gold at 4100, we keep our longs, no panic", none()),
        // Particles or an ordinal between a removal and its target.
        (
            "Tinanggal na natin ang TP3, TP1 1.0850 na lang",
            kind(SignalKind::Modify).tp(&[1.085]),
        ),
        (
            "Убираем 3-ю цель, оставляем 1.0850 - 1.0880",
            kind(SignalKind::Modify).tp(&[1.085, 1.088]),
        ),
        // "stop" after a comma is the stop's label, not a buy stop.
        (
            "EURUSD 1.0850'den alıyorum, stop 1.0820, hedef 1.0900",
            open("EURUSD", Buy, Market)
                .entry(price(1.085))
                .sl(sl(1.082))
                .tp(&[1.09]),
        ),
        (
            "EURUSD alış limit emri tetiklenmedi, süresi doldu. Yapacak bir şey yok",
            none(),
        ),
        // Whose trade and how, beside the close verb: no amount.
        (
            "Tô fechando minha venda no EURUSD em 1.0850, quem quiser fecha junto",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "Je ferme mon achat sur l'or ici, suivez-moi",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Shares in words and lots out of lots, in the languages.
        (
            "Chiudete due terzi su EURUSD",
            close(Some(0.667)).symbol("EURUSD"),
        ),
        (
            "Fermez 0,5 lot sur les 2 lots de l'or",
            close(Some(0.25)).symbol("XAUUSD"),
        ),
        ("Chốt lời một phần EURUSD", close(None).symbol("EURUSD")),
        // A bot card's action field in the languages, and its share.
        (
            "Action: CIERRE PARCIAL 30%\nActivo: US30",
            close(Some(0.3)).symbol("US30"),
        ),
        (
            "Type: PARTIAL CLOSE\nSymbol: EURUSD\nVolume closed: 0.25 / 1.00 lot",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        // Told in a sentence of its own before a question; asked when the question is its own.
        (
            "CLOSE EURUSD NOW!! +40 pips banked. Who was with us?",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        ("Close gold now at 4100.50?", none()),
        // Under a reply, a symbol said aside is the market around the trade replied to.
        (
            "↩️ Reply to:\nETHUSDT LONG 3200 SL 3100 TP 3400\n\nclosing it now. BTC is dragging the whole market down",
            close(Some(1.0)).symbol("ETHUSDT"),
        ),
        // The arrow for "to" in a move to the entry.
        (
            "EURUSD stop → entry",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        // Lots out of lots with a possessive between; the plan the trade had kept.
        (
            "Close 0.02 lot out of your 0.08 for GBPUSD now",
            close(Some(0.25)).symbol("GBPUSD"),
        ),
        (
            "Close 50% from the EURUSD sell and keep the rest with the same plan",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        // The provider's exit, the reader's choice after it.
        (
            "Closed the rest of the GBPUSD long at 1.2710. Feel free to do the same if you're still holding.",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        // "ADMIN:" names who writes, not a coin; a stop trailed to a price.
        (
            "ADMIN: new TP 1.0990 on EURUSD",
            kind(SignalKind::Modify).symbol("EURUSD").tp(&[1.099]),
        ),
        (
            "ADMIN: SL for the EURUSD buy trailed to 1.0870",
            modify_sl(StopLoss::Price(1.087)).symbol("EURUSD"),
        ),
        // A lesson's example trade; a hypothetical ("say you buy …").
        (
            "📚 Reading a signal card:\nPair: ETHUSDT\nDirection: LONG\nEntry: 3200\nSL: 3100\nThat's why you always use a stop.",
            none(),
        ),
        (
            "Lesson 3\nSay you buy EURUSD at 1.0850 with SL 1.0820 and TP 1.0910. Your risk is 30 pips.",
            none(),
        ),
        // A symbol and its levels, no other word: the levels of the chat's trade.
        (
            "GBPUSD targets:\nTP1 1.2750\nTP2 1.2790",
            kind(SignalKind::Modify)
                .symbol("GBPUSD")
                .tp(&[1.275, 1.279]),
        ),
        // Another clause's day does not make a close for later.
        (
            "Close all EURUSD trades now, we come back tomorrow",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // A coin before a card's title written unspaced; the label as a verb with a half.
        (
            "DOGE 合约策略\n方向：多单\n入场：0.35\n止损：0.32\n目标：0.40",
            open("DOGE", Buy, Market)
                .entry(price(0.35))
                .sl(sl(0.32))
                .tp(&[0.4]),
        ),
        ("ETH多单先止盈一半", close(Some(0.5)).symbol("ETH")),
        // A call with its targets ticked and no stop: their hits reported.
        ("GBPUSD SELL 1.2700\nTP 1.2670 ✅\nTP 1.2640 ✅", none()),
        // A plan posted ahead, not live; a trade that would have been taken.
        (
            "Plan for tomorrow 📅\nEURUSD BUY 1.0850\nSL 1.0820\nTP 1.0900\n\nnot live yet, I will confirm",
            none(),
        ),
        ("Yo hubiera comprado el oro en 4100 con SL 4090", none()),
        // The provider's own entry, the reader invited with a question mark.
        (
            "Je vends l'EURUSD ici à 1.0850, qui me suit ?\nSL 1.0880\nTP 1.0800",
            open("EURUSD", Sell, Market)
                .entry(price(1.085))
                .sl(sl(1.088))
                .tp(&[1.08]),
        ),
        // A caption's close is the picture's; one said under it is the provider's.
        (
            "📸 Screenshot de un alumno: EURUSD BUY 1.0850 → 1.0900 close, +50 pips",
            none(),
        ),
        (
            "[screenshot: +80 pips]\nclosing half of EURUSD here",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        // A lesson's rule.
        (
            "Dagens lärdom 📚 flytta aldrig SL till entry för tidigt",
            none(),
        ),
        // The kept targets listed one a line after a colon.
        (
            "EURUSD\nTP3 usuwamy, zostawiamy:\nTP1 1.0880\nTP2 1.0910",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .tp(&[1.088, 1.091]),
        ),
        // The stop and targets a bare call was missing, pointed to; last digits completed only
        // with the side named.
        (
            "SL 1.0820\nTP 1.0880 / 1.0910\n👆 for the signal above",
            modify_sl(StopLoss::Price(1.082)).tp(&[1.088, 1.091]),
        ),
        ("SL: 4098\nTP: 85 / 80 / 70", none()),
        (
            "Gold longs: SL to 4158, TPs now 72 / 85",
            modify_sl(StopLoss::Price(4158.0))
                .symbol("XAUUSD")
                .tp(&[4172.0, 4185.0]),
        ),
        // A holder's share sold here: a partial close.
        (
            "$ONDO vendete il 50% qui, il resto lo teniamo per il target 3",
            close(Some(0.5)).symbol("ONDO"),
        ),
        // An elided article before the word ("all'entrata").
        (
            "#BTC/USDT spostate lo stop all'entrata 🔒",
            modify_sl(StopLoss::Breakeven).symbol("BTCUSDT"),
        ),
        // "Not worth waiting" refuses the wait.
        (
            "EUR/USD : je clôture tout, l'objectif est presque atteint, pas la peine d'attendre.",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // The profit secured is why the share is closed.
        ("Cierren el 30% y aseguren ganancias 💰", close(Some(0.3))),
        // A target written as its last digits in a list, completed beside the one before it;
        // a gain after a target is no level.
        (
            "SL: 4241\nTP: 4255 / 63",
            modify_sl(StopLoss::Price(4241.0)).tp(&[4255.0, 4263.0]),
        ),
        (
            "🤖 SIGNAL UPDATE\n📊 #XAUUSD\nTP3 reached — full target 🎯\n💰 +120 pips\n🏁 Signal closed",
            none(),
        ),
        // The provider's own entry with the reader invited: no hedge, no question.
        (
            "Yo estoy cerrando mis ventas de oro aquí en 4103 🏁 quien quiera que me siga 👇",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Lots in the Russian instrumental case.
        (
            "XAUUSD\nкто заходил 0.10 лотом — закрываем 0.05, остальное держим 💰",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // A pending order deleted, in Thai.
        (
            "ลบออเดอร์ buy limit 1.0850 EURUSD ออกครับ ❌",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // A lesson's heading word; a target's index ticked on a call with no stop.
        (
            "Урок: как ставить стоп. Пример: вход BTC 90000, стоп 89000.",
            none(),
        ),
        ("#ETH/USDT ЛОНГ от 3100 — тейк 1 ✅ +6%", none()),
        // A pictograph ends a clause: what follows is no amount.
        (
            "Kalan satışları da kapatın ✅ veri öncesi risk almıyoruz",
            close(Some(1.0)),
        ),
        // A target cancelled with the kept ones said after it is one modification.
        (
            "TP3 sur l'or annulé, on garde seulement TP1 4356 et TP2 4365",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4356.0, 4365.0]),
        ),
        (
            "Close 0.05 lot dari total 0.10 lot di XAUUSD ya",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // The provider a buyer now, the reader invited.
        (
            "Şu an altında 4168'den alıcıyım, benimle girmek isteyen gelsin\nStop 4160\nHedef 4180",
            open("XAUUSD", Buy, Market)
                .entry(price(4168.0))
                .sl(sl(4160.0))
                .tp(&[4180.0]),
        ),
        // Darija: close, put, now, fully.
        ("Sdou l vente kamla daba", close(Some(1.0))),
        ("Dirou SL f l entry daba", modify_sl(StopLoss::Breakeven)),
        // "to be filled" is the English verb, not a breakeven hit.
        (
            "Cancel the AUDUSD buy limit at 0.6520. NFP is in 2 hours and we don't want to be filled into that.",
            close(Some(1.0)).symbol("AUDUSD"),
        ),
        // The stop's state reported beside a hit is no instruction.
        (
            "TP2 smashed ✅✅ +85 pips. Remaining position still open with SL at entry.",
            none(),
        ),
        (
            "Cierren 1 de sus 2 lotes en USDJPY",
            close(Some(0.5)).symbol("USDJPY"),
        ),
        // A target reached already ("chạm TP1 ✅") is no condition on the move after it.
        (
            "BTC chạm TP1 ✅ +17%. AE dời SL về entry nha",
            modify_sl(StopLoss::Breakeven).symbol("BTC"),
        ),
        // A PnL card; a move done the day before.
        (
            "Скрин с Bybit: шорт ARB x10, вход 0.2165, ROI +61% 📸",
            none(),
        ),
        (
            "Those who moved SL to BE yesterday — you're safe, gold came back to entry",
            none(),
        ),
        // A stop order named by its side, deleted after it.
        (
            "USOIL sell stop didn't trigger before the weekend. Delete it.",
            close(Some(1.0)).symbol("USOIL"),
        ),
        // A subscription's "cancel anytime" is a promotion.
        (
            "Leopard Pro is open for the January intake. £39/month, cancel anytime. Link in bio.",
            none(),
        ),
        ("Fechem 0.02 dos 0.04 lotes", close(Some(0.5))),
        // Bare reply headers in more languages.
        (
            "Respondendo: XAUUSD SELL 4205 SL 4215 TP 4190\n\nStop no 0x0 ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // A screenshot's caption word first; a fraction with a slash sold.
        (
            "Screenshot von Kevin 📸 [Bild: MT5 – GER40 Kauf 24030 → 24180, +1.500 €]. Stark!",
            none(),
        ),
        (
            "Bán 1/3 $ONDO ở 0.68 chốt lãi, phần còn lại giữ dài hạn",
            close(Some(0.333)).symbol("ONDO"),
        ),
        // The provider's own order on a long line with the reader invited: its price is read.
        (
            "I'm buying gold here at 4296 myself, join me if you want\nSL 4289\nTP 4310",
            open("XAUUSD", Buy, Market)
                .entry(price(4296.0))
                .sl(sl(4289.0))
                .tp(&[4310.0]),
        ),
        // A member asking whether he may still take it: a question, whatever words it uses.
        (
            "Bhai ye EURUSD sell abhi bhi le sakte hai kya 1.1588 pe? Main late aaya",
            none(),
        ),
        // "Expired, nothing to do" in Spanish and Turkish.
        (
            "Orden pendiente de US30 expirada, no hay que hacer nada",
            none(),
        ),
        (
            "GER40 limit emrinin süresi doldu, bir şey yapmanıza gerek yok",
            none(),
        ),
        // Turkish "AL" in capitals with its price after it, targets in pips.
        (
            "GBPJPY AL 202.80\nSL 202.30\nTP 40 pip / 80 pip",
            open("GBPJPY", Buy, Market)
                .entry(price(202.8))
                .sl(sl(202.3)),
        ),
        // The provider's own entry with the reader invited, in Turkish.
        (
            "Ben de buradan altın aldım 4008'den, gelmek isteyen gelsin\nSL 4000\nTP 4020",
            open("XAUUSD", Buy, Market)
                .entry(price(4008.0))
                .sl(sl(4000.0))
                .tp(&[4020.0]),
        ),
        // A coin alone on its line in a card.
        (
            "Spot buy 🟢\n\nLINK\nBuy: 14.20 - 13.60\nTarget: 15.50 / 17.00\nSL: 12.80",
            open("LINK", Buy, Market)
                .entry(zone(13.6, 14.2))
                .sl(sl(12.8))
                .tp(&[15.5, 17.0]),
        ),
        // A reward-to-risk ratio written with a colon or a slash is no target.
        (
            "EURUSD | SELL | @1.16540 | SL 1.16840 | TP 1.16240 | R:R 1:1",
            open("EURUSD", Sell, Market)
                .entry(price(1.1654))
                .sl(sl(1.1684))
                .tp(&[1.1624]),
        ),
        // What the trade made, after a comma beside the close, is no share of it.
        (
            "Шорт по #DOGE/USDT закрываем, +12% 🔥",
            close(Some(1.0)).symbol("DOGEUSDT"),
        ),
        // Lots out of lots in Swahili and Tagalog; a share of the provider's own exit.
        (
            "Gold: fungeni lot 0.02 kati ya 0.04 mlizonazo",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "Close 0.05 sa 0.10 lot niyo sa gold, secure muna",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "Closed 1 lot of 3 on USDCAD @ 1.4015, the other 2 keep running\nDo the same with your size",
            close(Some(0.333)).symbol("USDCAD"),
        ),
        // Targets added, in more languages; an ordinal's ending glued to the index of a list;
        // the grammar between the words of Japanese.
        (
            "ユーロドル買い🎯 利確目標を追加します\nTP3: 1.1712\nTP4: 1.1748",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .tp(&[1.1712, 1.1748]),
        ),
        (
            "BTC 롱 목표가 추가합니다 🎯\n4차: 112,500\n거래량 붙어서 조금 더 끌고 갑니다",
            kind(SignalKind::Modify).symbol("BTC").tp(&[112500.0]),
        ),
        (
            "EURUSD में नए टारगेट 🎯\nTP2 – 1.1695\nTP3 – 1.1730",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .tp(&[1.1695, 1.173]),
        ),
        (
            "GER40 Long 🎯 Ziele erweitert:\nTP3: 24.350\nTP4: 24.480",
            kind(SignalKind::Modify)
                .symbol("GER40")
                .tp(&[24350.0, 24480.0]),
        ),
        (
            "Ongeza TP gold: TP4 4166 🎯",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4166.0]),
        ),
        // A target taken off, and the ones that stay, in Swahili.
        (
            "TANGAZO 📢\nTP3 tumeiondoa. Zimebaki TP1 4104 na TP2 4117 tu",
            kind(SignalKind::Modify).tp(&[4104.0, 4117.0]),
        ),
        // A change promised on a condition, and a note on managing the trade, under a ticket.
        (
            "XAU/USD 🔻SELL🔻\nEntry zone 4305-4310\nSL 4318\nTP 4295 – 4285\n\nTP will be adjusted if we get momentum",
            open("XAUUSD", Sell, Market)
                .entry(zone(4305.0, 4310.0))
                .sl(sl(4318.0))
                .tp(&[4295.0, 4285.0]),
        ),
        (
            "👉 XAUUSD MUA 4176 - 4172\n⛔ Cắt lỗ 4165\n🎯 Chốt lời 4184 / 4192\n\nĐạt TP1 anh em tự dời SL về entry nhé",
            open("XAUUSD", Buy, Market)
                .entry(zone(4172.0, 4176.0))
                .sl(sl(4165.0))
                .tp(&[4184.0, 4192.0]),
        ),
        // Members asking the admin in Thai and Vietnamese, with no question mark.
        (
            "แอดครับ ผมเข้าซื้อทอง 4200 ไปแล้ว ไม่ได้ตั้ง SL ควรทำยังไงดีครับ 😥",
            none(),
        ),
        (
            "Ad ơi em vừa vào mua vàng 4190 sl 4180 có ổn không ạ 😢",
            none(),
        ),
        // Last week's calls shown as proof, and a ticket's line ticked off target by target.
        (
            "Word lid van onze premium groep 💼\nVorige week in premium: GER40 KOPEN 23.810-23.840 SL 23.760 TP 23.900/23.960/24.050 ✅✅✅\nNu €39 per maand, link in bio.",
            none(),
        ),
        (
            "PROMO VIP 50% 🔥🔥\nXAUUSD SELL NOW 4218-4222 SL 4228 TP 4213/4208/4200 ✅✅✅\nDaftar sekarang, slot terbatas!",
            none(),
        ),
        // The provider's exit and the word to copy it, in Tagalog and Swahili.
        (
            "Ako, lalabas na ako sa gold sell ko dito 4058, sabay na kayo mga idol 🤝",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Mimi natoka kwenye gold buy yangu hapa 4119, anayetaka tufunge pamoja karibu 🤝",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Korean endings glued to the word: an instruction, a passive report, a negated side.
        (
            "BTC 숏 포지션 전부 종료하세요",
            close(Some(1.0)).symbol("BTC"),
        ),
        ("SOL 본절 터치로 종료됐습니다, 손실 없음 👍", none()),
        (
            "골드 4050 근처 숏은 절대 하지 마세요. 강한 지지선입니다.",
            none(),
        ),
        // The target's word as the taking of a share.
        ("ADA 30% 익절", close(Some(0.3)).symbol("ADA")),
        (
            "ドル円、半分利確お願いします💰",
            close(Some(0.5)).symbol("USDJPY"),
        ),
        (
            "TP partial 50% dulu di gold, sisanya biarin jalan 💰",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("✅ 90% accuracy\n✅ 24/7 support", none()),
        // "BE" in capitals as the whole instruction, naming only its trade.
        ("BE usoil", modify_sl(StopLoss::Breakeven).symbol("USOIL")),
        (
            "USOIL: BE on the rest ✅",
            modify_sl(StopLoss::Breakeven).symbol("USOIL"),
        ),
        ("BE is the key level for me", none()),
        // Taking a share, and not how much sooner.
        (
            "Taking 30% profit on $FET here 💰",
            close(Some(0.3)).symbol("FET"),
        ),
        (
            "UK100 long - new TP 9790, taking it a bit earlier",
            modify_tp(9790.0).symbol("UK100"),
        ),
        // Copier cards: lots out of lots on the card's line; a trade closed by hand.
        (
            "🟠 PARTIAL CLOSE\n📊 Symbol: US30.cash\n📉 Type: SELL\n📦 Closed: 0.25 of 0.50 lots\n💰 Price: 47773.5",
            close(Some(0.5)).symbol("US30"),
        ),
        (
            "🔴 TRADE CLOSED\n📊 Symbol: EURUSDm\n📈 Type: BUY 0.50\n✋ Closed by: Manual\n💰 Close price: 1.16610\n💵 Profit: +$95.00",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "🔴 TRADE CLOSED\n📊 Symbol: EURUSDm\n📈 Type: BUY 0.50\n✋ Closed by: TP\n💰 Close price: 1.16610",
            none(),
        ),
        // A pending order that never filled; the earlier one's fate beside a new ticket.
        (
            "Gold buy limit never trigger o, price no reach 4285 😩",
            none(),
        ),
        (
            "Previous buy limit didn't trigger, no worries.\n\nNew setup 👇\nGOLD BUY LIMIT 2296\nSL 2289\nTP 2304",
            open("XAUUSD", Buy, Limit)
                .entry(price(2296.0))
                .sl(sl(2289.0))
                .tp(&[2304.0]),
        ),
        // Gold and crude in Turkish and Spanish cases.
        (
            "Muevan SL a entrada en el crudo",
            modify_sl(StopLoss::Breakeven).symbol("USOIL"),
        ),
        // The ticket's symbol before one named in the commentary above it.
        (
            "Namaste traders 🙏\nKal raat BTC ne 88.5k ka support perfectly defend kiya aur aaj subah se higher lows ban rahe hain, fresh longs aa rahe hain.\n\n📌 #LINK/USDT LONG\nEntry: 12.85\nSL: 12.30\nTargets: 13.40 / 13.95 / 14.70",
            open("LINKUSDT", Buy, Market)
                .entry(price(12.85))
                .sl(sl(12.3))
                .tp(&[13.4, 13.95, 14.7]),
        ),
        // When a close is made, in Polish and Czech: no amount.
        (
            "Zamykam resztę na 4209, NFP za 10 minut, nie ryzykujemy 🙏",
            close(Some(1.0)),
        ),
        // The stop of what is left, in Czech.
        (
            "SL na zbytek posouvám na 4280",
            modify_sl(StopLoss::Price(4280.0)),
        ),
        // Targets added or changed in Turkish and Russian; ordinals after the label in Arabic.
        (
            "Altın alışta hedef ekliyoruz 🎯 TP4: 4266 / TP5: 4284\nStop yerinde kalsın",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4266.0, 4284.0]),
        ),
        (
            "Тейки по лимитке меняю:\nTP 4236\nTP 4244",
            kind(SignalKind::Modify).tp(&[4236.0, 4244.0]),
        ),
        (
            "أهداف جديدة لصفقة شراء الذهب 🎯\nالهدف الرابع 4270\nالهدف الخامس 4290",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4270.0, 4290.0]),
        ),
        // A target's index between its label and its price.
        (
            "🔄 UPDATE #4825\nAUDUSD\nTake Profit 1: 0.65210\nTake Profit 2: 0.65700 (changed)",
            kind(SignalKind::Modify)
                .symbol("AUDUSD")
                .tp(&[0.6521, 0.657]),
        ),
        ("SOL — тейк 2 меняем на 198.5", modify_tp(198.5)),
        // The provider's entry with the reader invited, in Spanish.
        (
            "Estoy comprando oro aquí 4279, si quieren acompañarme 🙌 SL 4271 TP 4290 / 4300",
            open("XAUUSD", Buy, Market)
                .entry(price(4279.0))
                .sl(sl(4271.0))
                .tp(&[4290.0, 4300.0]),
        ),
        // A coin, its market, its side; a Turkish side in capitals ending the symbol's line.
        (
            "LTC спот покупка 86-88, стоп 79, цели 95 / 104",
            open("LTC", Buy, Market)
                .entry(zone(86.0, 88.0))
                .sl(sl(79.0))
                .tp(&[95.0, 104.0]),
        ),
        (
            "USDJPY AL\nGiriş piyasa fiyatı 155.40\nSL 154.90\nTP 155.90",
            open("USDJPY", Buy, Market)
                .entry(price(155.4))
                .sl(sl(154.9))
                .tp(&[155.9]),
        ),
        // After the stop's value, what the provider looks for is his targets.
        (
            "Just opened a long on $WLD at 1.92 with my own money 🫡 stop under 1.78, looking for 2.20 and 2.45. Join if you like the setup.",
            open("WLD", Buy, Market)
                .entry(price(1.92))
                .sl(sl(1.78))
                .tp(&[2.2, 2.45]),
        ),
        (
            "Estoy comprando oro aquí en 4058, stop 4049, buscando 4075. El que quiera que entre conmigo 🤝",
            open("XAUUSD", Buy, Market)
                .entry(price(4058.0))
                .sl(sl(4049.0))
                .tp(&[4075.0]),
        ),
        // Tallies and result marks beside "BE" are no move.
        (
            "Month end result 📊\n22 calls | 16 profit ✅ | 5 SL ❌ | 1 BE\nधन्यवाद दोस्तों 🙏",
            none(),
        ),
        (
            "Thu GOLD BUY STOP 4332 ➖ BE\nFri GOLD SELL 4366 ❌ -80",
            none(),
        ),
        (
            "تارگت اول خورد ✅ ریسک فری کنید",
            modify_sl(StopLoss::Breakeven),
        ),
        // Both sides written as one word: a disclaimer's, not the ticket's.
        (
            "🚀 LONG $BTCUSDT\n\nEntry: 93.450 - 92.800\nTP: 94.600 / 95.800\nSL: 91.900\n\nDYOR, bukan ajakan beli/jual",
            open("BTCUSDT", Buy, Market)
                .entry(zone(92800.0, 93450.0))
                .sl(sl(91900.0))
                .tp(&[94600.0, 95800.0]),
        ),
        // A lesson's heading word first in a short heading.
        (
            "Lesson of the day 📖: moving your stop to breakeven too early is one of the most common ways beginners get shaken out.",
            none(),
        ),
        // The provider's exit with the reader invited, in French.
        (
            "Je viens de sortir de mon short sur l'EURJPY à 177.40, ceux qui veulent peuvent sortir avec moi",
            close(Some(1.0)).symbol("EURJPY"),
        ),
        ("GER40 sorti au point d'entrée, 0 perte 👌", none()),
        // A coin marked with `$` heading its instruction, before the market named around it.
        (
            "$TIA close now. BTC dumping, don't want to be in alts rn",
            close(Some(1.0)).symbol("TIA"),
        ),
        (
            "ARB short close karo abhi, BTC ne reversal de diya 🚨",
            close(Some(1.0)).symbol("ARB"),
        ),
        // Now, whatever time the news is; another clause's hedge.
        (
            "Close all ETH shorts now ❗ CPI mamayang 9:30PM PH time. Ingat mga lods",
            close(Some(1.0)),
        ),
        (
            "AUDUSD +22 pips 🟢 close 50% muna, may RBA minutes pa mamaya",
            close(Some(0.5)).symbol("AUDUSD"),
        ),
        (
            "多单止损离场 -60点，市场有风险，继续等待下一次机会。",
            none(),
        ),
        // The reader invited by a question.
        (
            "I'm long NAS100 here at 25,340. Joining? SL 25,210, TP 25,600.",
            open("NAS100", Buy, Market)
                .entry(price(25340.0))
                .sl(sl(25210.0))
                .tp(&[25600.0]),
        ),
        // An entry's index before a remark in brackets.
        (
            "NZDUSD BUY\nEntry 1: 0.5710\nEntry 2 (recovery): 0.5690\nSL 0.5665\nTP 0.5750 / 0.5790",
            open("NZDUSD", Buy, Market)
                .entry(zone(0.569, 0.571))
                .sl(sl(0.5665))
                .tp(&[0.575, 0.579]),
        ),
        // A greeting is not tomorrow; a course's first lesson.
        (
            "Guten Morgen zusammen ☕\n\nDer DAX hat gestern die 24.000 verteidigt.\n\n📈 GER40 KAUF\nEinstieg: 24080\nSL: 23990\nTP: 24180 / 24260",
            open("GER40", Buy, Market)
                .entry(price(24080.0))
                .sl(sl(23990.0))
                .tp(&[24180.0, 24260.0]),
        ),
        (
            "Indices 101: on US30 one point is $1 per 0.01 lot on most brokers. So a 120 pt stop on 0.10 lots = $120 risk.",
            none(),
        ),
        // The side, the symbol, "from", the price: the ticket's line, however long.
        (
            "دخلت شراء ذهب من ٤١٢٦ الحين، اللي حاب يدخل معي يتفضل 🤝\nالستوب ٤١١٨\nالهدف ٤١٣٨ ثم ٤١٥٠",
            open("XAUUSD", Buy, Market)
                .entry(price(4126.0))
                .sl(sl(4118.0))
                .tp(&[4138.0, 4150.0]),
        ),
        (
            "NO vamos a vender oro en 4400, aunque muchos lo pidan. La tendencia es alcista y no operamos contra tendencia.",
            none(),
        ),
        // The stop hit at the entry, reported, in Indonesian and Persian.
        ("Kena SL di BEP, aman gak rugi 👍", none()),
        ("استاپ خورد روی نقطه ورود، ضرری نداشتیم 🙏", none()),
        (
            "[voice note] euro dollar filled stops to break even",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        // Levantine trading words.
        (
            "الدولار ين USDJPY 🔴 سيل ليميت 156.20\nستوب 156.80\nتارغيت 155.50 / 154.90",
            open("USDJPY", Sell, Limit)
                .entry(price(156.2))
                .sl(sl(156.8))
                .tp(&[155.5, 154.9]),
        ),
        (
            "نزّلوا الستوب عالدخول، هلأ الصفقة ببلاش 👌",
            modify_sl(StopLoss::Breakeven),
        ),
        // A result table: each symbol's row is busy with its numbers.
        (
            "CLOSED TRADES 📋\n| Pair | Side | Entry | Exit | Result |\n|---|---|---|---|---|\n| EURUSD | BUY | 1.1602 | 1.1660 | +58 |\n| USDJPY | SELL | 155.40 | 155.90 | -50 |",
            none(),
        ),
        // Pips secured by a move are no breakeven; lots out of every lots; French taking.
        (
            "الذهب\nرفع الستوب الى 4380 وتأمين 28 نقطة ✅",
            modify_sl(StopLoss::Price(4380.0)).symbol("XAUUSD"),
        ),
        (
            "XAUUSD BUY 🔔\nClose 0.02 lot out of every 0.04 (half) and let the rest run to TP2",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "Gold close 0.02 lot dulu dari 0.04 lot, sisanya hold",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "On prend 50% sur le GER40 et on laisse courir le reste",
            close(Some(0.5)).symbol("GER40"),
        ),
        (
            "US30 : on allège d'un tiers ici",
            close(Some(0.333)).symbol("US30"),
        ),
        // The provider's exit in Turkish and Arabic, the gain said beside it.
        (
            "Ben altından çıktım 4398'den, isteyen benimle kapatabilir 🤝",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("GBP/USD stop oldu ama +15 pip kârla çıktık 😎", none()),
        (
            "أنا خرجت من صفقة الذهب هنا عند 4391 بربح 60 نقطة\nاللي حابب يقفل معي يقفل 🤝",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("صفقة اليورو خرجت على الدخول بدون خسارة 🤝", none()),
        // A target ticked after its value; each target ticked on one line, recalled.
        ("BTC TP2 88k ✅✅ short mantap 🔥 +3.500 poin", none()),
        (
            "Relembrando o sinal de ontem que pagou tudo 👇\n\nVENDA OURO 4270 - 4274\nSTOP LOSS 4282\nTAKE 4262 ✅ / 4255 ✅ / 4240 ✅",
            none(),
        ),
        // English asks with the verb first.
        ("should i sell my $TRUMP or hold to 2026 lol", none()),
        // A move's verb typed with two letters swapped; the old value in brackets; arrows as
        // the moves of a ticket with no entry.
        (
            "tigthen SL for gold buy to 4172 (was 4160) 🔐 structure shifted on M15",
            modify_sl(StopLoss::Price(4172.0)).symbol("XAUUSD"),
        ),
        (
            "GBPUSD long\nSL ➝ 1.3318\nTP ➝ 1.3420 (was 1.3395)",
            kind(SignalKind::Modify)
                .symbol("GBPUSD")
                .sl(Some(StopLoss::Price(1.3318)))
                .tp(&[1.342]),
        ),
        // The entry in Spanish after "en"; the Nasdaq in Arabic.
        (
            "↪️ Respuesta a: ORO VENTA 4255 SL 4263 TP 4245/4238\n\nStop en entrada ya 🛡️",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "ناسداك بيع 25180\nوقف 25290\nهدف 25050\nهدف 24920",
            open("NAS100", Sell, Market)
                .entry(price(25180.0))
                .sl(sl(25290.0))
                .tp(&[25050.0, 24920.0]),
        ),
        // A trade told whole, in and out at prices; a share beside the side is no price.
        (
            "Minha operação pessoal de hoje cedo (já encerrada): comprei EURUSD 1.1610 e saí 1.1645. Não foi sinal, só compartilhando.",
            none(),
        ),
        (
            "هذه نتيجة أحد المشتركين 👇 (صورة)\nدخل شراء ذهب 4055 وأغلق 4090 ربح 700$ 💰",
            none(),
        ),
        (
            "Dow Short: 50% raus bei 46.760 ✂️",
            close(Some(0.5)).symbol("US30"),
        ),
        (
            "Maine apna gold sell 4148 pe close kar diya 🙏 +70 pips. Jo abhi bhi andar hain wo bhi mere saath close kar lo",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Taking profit in Malay; booking; cutting the trade; eliminating an order in Italian.
        (
            "USOIL ambil untung 30% kat 59.35",
            close(Some(0.3)).symbol("USOIL"),
        ),
        (
            "Gold me 30% booking karo yahan 4239 pe",
            close(Some(0.3)).symbol("XAUUSD"),
        ),
        (
            "cutting the eurusd long. not liking this price action at all. -0.3% is better than -1% 🤷",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "nas new tp 25600 cutting it short before the open",
            modify_tp(25600.0).symbol("NAS100"),
        ),
        (
            "Eliminate l'ordine buy limit su oro a 4162, non è più valido ❌",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Lots out of every lots in Arabic; yesterday's instruction recalled in Egyptian.
        (
            "اقفلوا 0.03 لوت من كل 0.06 في الدهب",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "امبارح قلتلكم حركوا الاستوب على الدخول في اليورو، اللي محركش خد ستوب 🤦‍♂️",
            none(),
        ),
        // The reader invited in Hinglish.
        (
            "Bhai log maine khud gold sell kiya hai 4284 pe, join karna hai toh karo 💪\nSL 4292\nTP 4272",
            open("XAUUSD", Sell, Market)
                .entry(price(4284.0))
                .sl(sl(4292.0))
                .tp(&[4272.0]),
        ),
        // A target removed (or withdrawn) and the ones remaining, however far apart.
        (
            "#TIA/USDT\nTarget 4 removed. Remaining: 1.12 / 1.18 / 1.25",
            kind(SignalKind::Modify)
                .symbol("TIAUSDT")
                .tp(&[1.12, 1.18, 1.25]),
        ),
        (
            "GBPUSD long — the third target (1.3390) is withdrawn. Remaining targets: 1.3320 and 1.3355.",
            kind(SignalKind::Modify)
                .symbol("GBPUSD")
                .tp(&[1.332, 1.3355]),
        ),
        (
            "Ouro: retirei o TP3. Alvos que ficam: 4203 e 4195",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4203.0, 4195.0]),
        ),
        // A signal card's live status is no result.
        (
            "🤖 AUTO SIGNAL #4471\nSymbol: USDCAD\nAction: BUY\nPrice: 1.38920\nSL: 1.38620 (30 pips)\nTP: 1.39220 (30 pips)\nStatus: ACTIVE 🟢",
            open("USDCAD", Buy, Market)
                .entry(price(1.3892))
                .sl(sl(1.3862))
                .tp(&[1.3922]),
        ),
        // Targets ticked at their heads under a plain entry line, no stop: a results card.
        (
            "#BTC/USDT LONG 🟢\nEntry: 94200 - 93600\n\n✅ Target 1 - 94800\n✅ Target 2 - 95500\nProfit: 187.4% (20x) 🚀🚀",
            none(),
        ),
        (
            "🔴 VENTE XAUUSD 4078 - 4082\n⛔ SL 4090\n✅ TP 4070\n✅ TP 4060",
            open("XAUUSD", Sell, Market)
                .entry(zone(4078.0, 4082.0))
                .sl(sl(4090.0))
                .tp(&[4070.0, 4060.0]),
        ),
        // Raising the stop in Portuguese; a sell in Turkish's dative.
        (
            "Subindo o stop do ouro para 4236, garantindo 150 pips 🔒",
            modify_sl(StopLoss::Price(4236.0)).symbol("XAUUSD"),
        ),
        (
            "Altın satışına girdim 4168'den, isteyen benimle girsin 🤝\nStop 4176\nHedef 4155 sonra 4145",
            open("XAUUSD", Sell, Market)
                .entry(price(4168.0))
                .sl(sl(4176.0))
                .tp(&[4155.0, 4145.0]),
        ),
        // The trade's word on the way to its stop; the target's label again with its index.
        (
            "SL kèo short BTC dời xuống 93k nha ae",
            modify_sl(StopLoss::Price(93000.0)).symbol("BTC"),
        ),
        (
            "هدف جديد لصفقة شراء الدهب 🎯 TP4: ٤٢٨٠",
            modify_tp(4280.0).symbol("XAUUSD"),
        ),
        // A reply's word and an arrow before the card.
        (
            "Reply ➡️ GOLD SELL 4118-4122 SL 4130 TP 4105\n\nSL sa entry na, risk free ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // How to read the channel's signals: a lesson, ticket and all.
        (
            "Как читать наши сигналы:\nЛонг SOL 140, стоп 135, тейк 150\n— Лонг = покупка\n— 140 = вход",
            none(),
        ),
        // From the entry to a target, ticked: done.
        (
            "Приватка открыта 🔐\nВ приватке на этой неделе: LTC спот 87 → 104 ✅, SUI лонг 3.42 → 3.90 ✅\nПишите @kit_admin",
            none(),
        ),
        // Gold as French writes it: "OR" in capitals, "l'or" behind its article.
        (
            "Nouveaux objectifs OR :\nTP1 4165\nTP2 4180\nTP3 4200",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4165.0, 4180.0, 4200.0]),
        ),
        (
            "Passez le stop à 4127 sur l'or, on garde les mêmes objectifs",
            modify_sl(StopLoss::Price(4127.0)).symbol("XAUUSD"),
        ),
        // Flat in German, the reader invited; targets extended in Turkish and added in Russian.
        (
            "Ich stell meinen GER40 Long hier glatt bei 24310, wer mag, macht mit 🤝",
            close(Some(1.0)).symbol("GER40"),
        ),
        (
            "ALTIN hedef uzatıldı 🎯 TP4: 4205",
            modify_tp(4205.0).symbol("XAUUSD"),
        ),
        (
            "#OPUSDT\nдобавил тейк 4 — 0.92",
            modify_tp(0.92).symbol("OPUSDT"),
        ),
        (
            "سفارش پندینگ یورو دلار فعال نشد ❌ پاکش کنید",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // A time with a dot, named one by its zone or "jam"; no stop read from it.
        (
            "Struktur H1 masih higher low, jadi kita coba ikut buy dengan SL ketat. Jangan lupa hari ini ada pidato Powell jam 22.00 WIB.\n\nXAUUSD BUY 4118\nSL 4109\nTP 4126 / 4135",
            open("XAUUSD", Buy, Market)
                .entry(price(4118.0))
                .sl(sl(4109.0))
                .tp(&[4126.0, 4135.0]),
        ),
        // A ticket introduced as one of an earlier day; "hier" is "here" in German.
        (
            "Для новеньких: вот как выглядел сигнал по DOGE неделю назад 👇\nSHORT 0.1720, стоп 0.1790, цели 0.1660/0.1610/0.1540 — все цели ✅",
            none(),
        ),
        (
            "They said it was impossible 😂 Posted 2 days ago:\n\n🔴 SHORT #AVAXUSDT\nEntry: 21.35\nSL: 22.10\nTP1: 20.80\nTP2: 20.10",
            none(),
        ),
        (
            "Die US-Futures sind auch schwach. Ich gehe hier short:\n\nGER40 VERKAUF 24190\nSL 24290\nTP 24050 / 23950",
            open("GER40", Sell, Market)
                .entry(price(24190.0))
                .sl(sl(24290.0))
                .tp(&[24050.0, 23950.0]),
        ),
        // The provider's past buy with the reader invited; a pullback is no cancel.
        (
            "I just bought gold at 4198 myself, join me if you're in front of the screen 👇\nSL 4189\nTP 4210 / 4225",
            open("XAUUSD", Buy, Market)
                .entry(price(4198.0))
                .sl(sl(4189.0))
                .tp(&[4210.0, 4225.0]),
        ),
        (
            "DAX setting up nicely 👀 GER40 pulling back into 25100 zone, I'll share if it confirms",
            none(),
        ),
        // A cancel on a condition, for later.
        (
            "USDCAD limit abhi tak activate nahi hua, kal tak valid hai, agar na lage to cancel kar denge",
            none(),
        ),
        // A target list updated, its removal noted in brackets.
        (
            "Alvos do ouro atualizados:\nTP1 4232\nTP2 4240\n(tiramos o TP3)",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4232.0, 4240.0]),
        ),
        (
            "الأهداف الجديدة للذهب:\nالهدف الأول 4262\nالهدف الثاني 4270\n(تم حذف الهدف الثالث)",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4262.0, 4270.0]),
        ),
        // A ticket introduced as an earlier day's, or as for reference only.
        (
            "Para los nuevos: así quedó la señal del martes 👇\nORO VENTA 4061 SL 4069\n✅ TP1 ✅ TP2 ✅ TP3",
            none(),
        ),
        (
            "EURUSD setup from Monday's lesson, for reference only:\nBUY 1.1540\nSL 1.1505\nTP 1.1610\nIt ran +70 pips.",
            none(),
        ),
        (
            "Лонг по BTC от 91400 закрылся по второму тейку, +3.4% без плеча 🔥",
            none(),
        ),
        // A copier's card of a trade closed by hand; a report's tally of them.
        (
            "❎ POSITION CLOSED (manual)\nSymbol: XAUUSD\nTicket: #58230017\nClose price: 4084.10\nProfit: +$240.00",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "November results: 31 calls, 24 hit at least TP1, 5 stopped, 2 closed manually.",
            none(),
        ),
        // An earlier sentence's plan is no condition on the close.
        (
            "We entered EURJPY with 0.20 lots each as per the plan. Close 0.10 now, +35 pips.",
            close(Some(0.5)).symbol("EURJPY"),
        ),
        // Targets to add later under an open: no partial close.
        (
            "XAUUSD ПРОДАЖ 4212-4216\nSL 4224\nТейки додам трохи згодом",
            open("XAUUSD", Sell, Market)
                .entry(zone(4212.0, 4216.0))
                .sl(sl(4224.0)),
        ),
        // The Persian invitation after its condition; closes in French and Persian.
        (
            "من الان طلا رو فروختم روی ۴۰۵۲، اگه خواستید همراه شید 🙂\nاستاپ ۴۰۶۰\nتارگت ۴۰۴۰",
            open("XAUUSD", Sell, Market)
                .entry(price(4052.0))
                .sl(sl(4060.0))
                .tp(&[4040.0]),
        ),
        (
            "Allégez un tiers sur le NAS100 👌",
            close(Some(0.333)).symbol("NAS100"),
        ),
        (
            "معاملات فروش طلا همه بسته بشن ⚠️",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A rate cut in an abbreviated month; a discount code's percentage.
        (
            "DXY thoughts. Dec cut pricing has swung from 70% to under 40% and back.",
            none(),
        ),
        (
            "For the prop firm guys asking: I trade on FundedNext. Code ROOM10 gets you 10% off the challenge 🤝",
            none(),
        ),
        // A forward's header is no footer; a promotion beside every target ticked is proof.
        (
            "Forwarded from Whale Futures VIP\n#SOL/USDT LONG\nEntry: 142.50\nSL: 135.60\nTP: 145.00",
            none(),
        ),
        (
            "🔥 This is what VIP got today 🔥\n\nXAUUSD SELL 4235-4240\nSL 4248\nTP 4230 ✅ 4225 ✅ 4210 ✅\n\nVIP slots open 👉 DM @goldpips_admin",
            none(),
        ),
        // Targets listed with spaces, or an index before each, are not one number in thousands.
        (
            "SOL long 148\nsl 141\ntp 153 158 166",
            open("SOL", Buy, Market)
                .entry(price(148.0))
                .sl(sl(141.0))
                .tp(&[153.0, 158.0, 166.0]),
        ),
        (
            "GBPJPY COMPRA 191.40\nStop 190.90\nAlvo 1 191.90\nAlvo 2 192.40",
            open("GBPJPY", Buy, Market)
                .entry(price(191.4))
                .sl(sl(190.9))
                .tp(&[191.9, 192.4]),
        ),
        // A bot's card of a level reached is a report, not the trade's new level.
        (
            "🤖 UPDATE #88\nETHUSDT SHORT\n✅ Target 2 reached: 3810\nProfit +31% (10x)",
            none(),
        ),
        ("📣 GBPJPY LONG\n🛑 Stop loss hit at 190.90", none()),
        ("ETHUSDT шорт от 3 950 — все цели выполнены ✅", none()),
        // A member's own trade, an earlier call recalled, a member's screenshot: no orders.
        (
            "I took GBPUSD buy at 1.2710 myself last night, sl 1.2680",
            none(),
        ),
        (
            "Told you 📈 we called #ETH long at 3320 and look at it now, 3490",
            none(),
        ),
        (
            "📸 Captură de la un membru: GBPUSD BUY 1.2710 → 1.2760, 1 lot = +500 $",
            none(),
        ),
        // A card's number after '#' is no level.
        (
            "🤖 SL MODIFIED #5120\nGBPUSD\nNew SL: 1.27150",
            modify_sl(StopLoss::Price(1.2715)).symbol("GBPUSD"),
        ),
        // Targets promised on a call now, or a note that they may change: still the open.
        (
            "GER40 SELL NOW\nSL 24,310\nTP will be updated soon",
            open("GER40", Sell, Market).sl(sl(24310.0)).tp(&[]),
        ),
        (
            "🤖 NEW SIGNAL\nSymbol: EURUSD\nAction: BUY\nEntry: 1.1610\nStop Loss: 1.1580\nTake Profit 1: 1.1650\nNote: targets may be updated",
            open("EURUSD", Buy, Market)
                .entry(price(1.161))
                .sl(sl(1.158))
                .tp(&[1.165]),
        ),
        // The provider's own entry in a sentence that invites the reader: its price is the entry.
        (
            "Estoy entrando en compra en oro ahora en 4120, el que quiera que me acompañe\nSL 4112\nTP 4130",
            open("XAUUSD", Buy, Market)
                .entry(price(4120.0))
                .sl(sl(4112.0))
                .tp(&[4130.0]),
        ),
        (
            "Je suis vendeur sur l'or à 4120 maintenant, rejoignez-moi 🙌\nSL 4128\nTP 4110",
            open("XAUUSD", Sell, Market)
                .entry(price(4120.0))
                .sl(sl(4128.0))
                .tp(&[4110.0]),
        ),
        // The provider's own exit of a share; a member's gain, with thanks, is no exit.
        (
            "Закрыл половину позиции по $ARB 🟢 +12%",
            close(Some(0.5)).symbol("ARB"),
        ),
        (
            "I've closed a third of my GBPUSD here, do the same",
            close(Some(0.333)).symbol("GBPUSD"),
        ),
        ("closed my NAS100 at +90, thank you boss 🙏", none()),
        // Lots of the provider's size are no share of the copy's: a close of an amount unknown.
        ("Close 0.05 lot on EURUSD now", close(None).symbol("EURUSD")),
        ("Закрываю 0.3 лота з 0.6 по євро", close(Some(0.5))),
        // A size brought down from one to another: the share closed between them.
        (
            "Reduce US30 short from 3 contracts to 1 here",
            close(Some(0.667)).symbol("US30"),
        ),
        (
            "== COPIER ==\nTICKET #5531 · EURUSD\nEVENT: PARTIAL CLOSE\nvolume 1.00 ➜ 0.75",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        (
            "== COPIER ==\nTICKET #5532 · USDJPY\nEVENT: CLOSE\nvolume 0.30 ➜ 0.00",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        (
            "SL 1.0840 now, reduce the risk",
            modify_sl(StopLoss::Price(1.084)),
        ),
        // A trade the channel holds, named by whose it is: no new call.
        (
            "📷 [pic] NAS100 H1 — our short from 25,410 with the target marked. Textbook.",
            none(),
        ),
        // The provider's invitation in Gulf Arabic, Persian and Russian: his entry is read.
        (
            "أنا داخل بيع ذهب الحين من 4150 اللي يبي يدخل معاي\nالستوب 4160\nالهدف 4135",
            open("XAUUSD", Sell, Market)
                .entry(price(4150.0))
                .sl(sl(4160.0))
                .tp(&[4135.0]),
        ),
        (
            "طلا رو خریدم روی 4150، همراهم بیاید\nاستاپ 4140\nتی پی 4165",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4165.0]),
        ),
        (
            "همه پوزیشن‌های خرید طلا بسته شود",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Targets of a bare call under its side, with no entry and no stop: its levels.
        (
            "GER40 buy\nTP1 24350\nTP2 24420",
            kind(SignalKind::Modify)
                .symbol("GER40")
                .tp(&[24350.0, 24420.0]),
        ),
        // An index before the label's colon, with no price: no target.
        (
            "NEW SIGNAL\nPair: GBPUSD\nType: BUY\nEntry: 1.2710\nStop Loss: 1.2680\nTake Profit 1: 1.2750\nTake Profit 2: -",
            open("GBPUSD", Buy, Market)
                .entry(price(1.271))
                .sl(sl(1.268))
                .tp(&[1.275]),
        ),
        // Told to whoever still holds it; told now beside another clause's day; a plan.
        (
            "Am închis EURUSD la 1.1650. Dacă mai sunteți în poziție, închideți și voi",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "Moving my stop on gold to breakeven now, do the same, FOMC tomorrow",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "I'm closing my GBPUSD here and you should too",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        (
            "Thinking about closing $SOL around 190, will update",
            none(),
        ),
        ("Kasia pisze: „zamknęłam EURUSD na 1.1650, dzięki!”", none()),
        (
            "Nasdaq short PTs: 25,100 / 24,950",
            kind(SignalKind::Modify)
                .symbol("NAS100")
                .tp(&[25100.0, 24950.0]),
        ),
        // A pending order's status is no call; a lesson heading in Swahili; a Thai "who has …?".
        (
            "GBPUSD buy stop still pending, price hovering 1.2705. Patience.",
            none(),
        ),
        (
            "Somo la leo: usihamishe SL kwenye entry mapema sana",
            none(),
        ),
        ("ใครย้าย SL ทองไปบังทุนแล้วบ้างครับ", none()),
        // The provider's invitation in Ukrainian and Vietnamese: his entry is read.
        (
            "Золото купую звідси 4150, хто зі мною? 🟢\nСтоп 4140\nТейк 4165",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4165.0]),
        ),
        (
            "Em đang MUA vàng ở 4150, ai muốn theo thì vào cùng em\nSL 4140\nTP 4165",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4165.0]),
        ),
        (
            "#ETH/USDT – SL przestawiam na 3390",
            modify_sl(StopLoss::Price(3390.0)).symbol("ETHUSDT"),
        ),
        // A coin heading a short message of levels, before its colon or its targets, or before
        // its order's type and side.
        (
            "ARB: тейки обновил — 0.41 / 0.45",
            kind(SignalKind::Modify).symbol("ARB").tp(&[0.41, 0.45]),
        ),
        (
            "NOT: стоп переносим на 0.0021",
            modify_sl(StopLoss::Price(0.0021)).symbol("NOT"),
        ),
        (
            "INJ тейки меняю: 24.5 - 26",
            kind(SignalKind::Modify).symbol("INJ").tp(&[24.5, 26.0]),
        ),
        (
            "AVAX LIMIT LONG 24.10\nSL 22.90\nTP 26",
            open("AVAX", Buy, Limit)
                .entry(price(24.1))
                .sl(sl(22.9))
                .tp(&[26.0]),
        ),
        // A negation in another clause; an old value after "instead of"; Indonesian "and".
        (
            "Bhai log EURUSD abhi close karo ❌ koi risk nahi lena",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "تعديل الأهداف على الذهب: الهدف الثالث ٤٢٩٠ بدلاً من ٤٣٠٠",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4290.0]),
        ),
        (
            "Gold sell tambah TP: 4150 dan 4140",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4150.0, 4140.0]),
        ),
        // Hebrew, Afrikaans, isiZulu/isiXhosa and chiShona follow-ups and tickets.
        (
            "EURUSD – סוגרים חצי מהפוזיציה",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "GBPUSD סטופ חדש 1.2690",
            modify_sl(StopLoss::Price(1.269)).symbol("GBPUSD"),
        ),
        (
            "📈 KOOP EURUSD\nInskrywing: 1.1620\nStop Verlies: 1.1590\nWins Teiken 1: 1.1660",
            open("EURUSD", Buy, Market)
                .entry(price(1.162))
                .sl(sl(1.159))
                .tp(&[1.166]),
        ),
        (
            "Goud stop verlies nou op 4131",
            modify_sl(StopLoss::Price(4131.0)).symbol("XAUUSD"),
        ),
        // A member's ticket with a question on its own line; a partial named first.
        (
            "guys i sold EURUSD 1.1650 with sl 1.1680 tp 1.1600, good idea??",
            none(),
        ),
        (
            "Parcial de 40% no ouro e deixa correr",
            close(Some(0.4)).symbol("XAUUSD"),
        ),
        (
            "Partial close on NAS100 now, 25% off",
            close(Some(0.25)).symbol("NAS100"),
        ),
        // A reply header of the languages, then an arrow and the card: what is said is about it.
        (
            "Respondendo ➡️ XAUUSD VENDA 4180 | SL 4192 | TP 4165\n\nStop pra 4176 galera",
            modify_sl(StopLoss::Price(4176.0)).symbol("XAUUSD"),
        ),
        // Turkish: "this is not a signal, for education only".
        (
            "Bu bir sinyal değildir, sadece eğitim amaçlı: AL EURUSD 1.1600 SL 1.1570 TP 1.1660",
            none(),
        ),
        // "can't be bothered": the verb, not a breakeven; Tamil's gold.
        (
            "Out of the Aussie long at 0.6540, can't be bothered holding through RBA",
            close(Some(1.0)).symbol("AUDUSD"),
        ),
        (
            "தங்கம் BUY 🟢\nEntry: 4120\nSL: 4110\nTP: 4130",
            open("XAUUSD", Buy, Market)
                .entry(price(4120.0))
                .sl(sl(4110.0))
                .tp(&[4130.0]),
        ),
        // A member's own stop; the reader's wish to copy is no condition on the close.
        (
            "moved my sl to 1.2650 on my own haha, fingers crossed",
            none(),
        ),
        ("Ребят, я себе стоп в б/у поставил по BTC", none()),
        (
            "I'm closing my EURUSD longs here at 1.1690, join me if you want to lock it",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // Nigerian Pidgin, Hausa and Amharic words.
        (
            "EURUSD make una comot now",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "GBPUSD SL go entry sharp sharp",
            modify_sl(StopLoss::Breakeven).symbol("GBPUSD"),
        ),
        ("XAUUSD: rufe rabi yanzu", close(Some(0.5)).symbol("XAUUSD")),
        (
            "ወርቅ ግዛ 4150 SL 4140 TP 4165",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4165.0]),
        ),
        // Indonesian "dan" stays "and".
        (
            "Sinyal GBPJPY SELL STOP 205.40 kemarin tidak terpicu dan sudah expired, tidak perlu ngapa-ngapain",
            none(),
        ),
        // The provider's invitation in Spanish, English and Turkish; a member's past trade.
        (
            "Estoy vendiendo oro aquí en 4150, ¿quién se suma?\nSL 4160\nTP 4135",
            open("XAUUSD", Sell, Market)
                .entry(price(4150.0))
                .sl(sl(4160.0))
                .tp(&[4135.0]),
        ),
        (
            "Altında şu an 4150'den alımdayım, isteyen katılabilir\nStop 4140\nHedef 4165",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4165.0]),
        ),
        (
            "Member trade: \"went short GER40 at 24,300 before your call, out at 24,150\"",
            none(),
        ),
        // Italian's reflexive "si" is no "if"; a cancel with its pronoun.
        (
            "Chiudo tutto su EURUSD a 1.1650, non mi piace come si muove. Chiudete anche voi",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "La buy limit su GBPUSD di ieri non è stata attivata, cancellatela",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        // "BUY STOP" is the order's type; a day in another sentence or in the past is no "later".
        (
            "🤖 SIGNAL #512 UPDATE\nEURUSD SELL STOP @ 1.16150\n🟢 Order activated",
            none(),
        ),
        (
            "GBPUSD update: we swept the lows on Monday. I don't want to give it back, so move your stop to 1.2705.",
            modify_sl(StopLoss::Price(1.2705)).symbol("GBPUSD"),
        ),
        (
            "XAUUSD (for those in the gold idea from Monday): stop now 4118.",
            modify_sl(StopLoss::Price(4118.0)).symbol("XAUUSD"),
        ),
        // A member's trade told whole, in French; a Persian breakeven reported.
        (
            "merci Karim j'ai pris l'achat EURUSD à 1.1620 et sorti à 1.1650",
            none(),
        ),
        ("سر به سر شد معامله خرید یورو، نه سود نه ضرر", none()),
        // Commentary around a ticket: the other side refused, a side word of the news, a coin
        // named in the paragraph before the marked one the ticket is on.
        (
            "Dow gapped up but can't hold. I'm not chasing longs up here.\n\nUS30 SELL 47560\nSL 47700\nTP 47400",
            open("US30", Sell, Market)
                .entry(price(47560.0))
                .sl(sl(47700.0))
                .tp(&[47400.0]),
        ),
        (
            "El oro respeta el soporte de 4090 que marcamos. El dólar flojo tras el dato de ventas minoristas. Entramos:\n\nXAUUSD BUY 4096\nSL 4087\nTP 4110",
            open("XAUUSD", Buy, Market)
                .entry(price(4096.0))
                .sl(sl(4087.0))
                .tp(&[4110.0]),
        ),
        (
            "Доброе утро.\nСегодня биток зажат в треугольнике, объёмы низкие, ждём.\n\nБеру лонг по $SUI\nВход: 1.85\nСтоп: 1.75\nТейки: 1.95",
            open("SUI", Buy, Market)
                .entry(price(1.85))
                .sl(sl(1.75))
                .tp(&[1.95]),
        ),
        // The ticket written twice in two languages; "->" ends a clause; a bot's "AutoSignal"
        // card states it is live; a member's gain with thanks.
        (
            "الذهب بيع الآن ٤١٥٠\nوقف الخسارة ٤١٦٠\nالهدف ٤١٤٠ - ٤١٣٠\n\nGOLD SELL NOW 4150\nSL 4160\nTP 4140 - 4130",
            open("XAUUSD", Sell, Market)
                .entry(price(4150.0))
                .sl(sl(4160.0))
                .tp(&[4140.0, 4130.0]),
        ),
        (
            "AUDUSD buy stop 0.6580 not triggered -> delete it.",
            close(Some(1.0)).symbol("AUDUSD"),
        ),
        (
            "🤖 AutoSignal #77\nSymbol: ETHUSDT\nAction: SELL\nPrice: MARKET\nStop Loss: 3480\nTake Profit: 3300\nStatus: ACTIVE",
            open("ETHUSDT", Sell, Market).sl(sl(3480.0)).tp(&[3300.0]),
        ),
        (
            "Bhai maine EURUSD 1.1650 pe close kar liya +30 pips, thanks sir",
            none(),
        ),
        ("أغلقوا 50% من الصفقة على 4180", close(Some(0.5))),
        // "drop TP3", the ones kept listed.
        (
            "AUDUSD — we drop TP3. Keep TP1 0.6620 and TP2 0.6650.",
            kind(SignalKind::Modify)
                .symbol("AUDUSD")
                .tp(&[0.662, 0.665]),
        ),
        // Marathi, Gujarati and Malayalam.
        (
            "ગોલ્ડ સેલ હમણાં જ બંધ કરો 4166 પર",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A how-to's example, a member's trade sent in, money gained: no opens. A Persian
        // provider's close in the present.
        (
            "How to set a short on Bybit:\n1. Pick the pair e.g. ETHUSDT\n2. Limit order at entry, e.g. 3,400\n3. SL e.g. 3,480 — ALWAYS",
            none(),
        ),
        (
            "Подписчик прислал свою сделку: лонг SOL 180, стоп 172 — спрашивает, норм ли",
            none(),
        ),
        ("+$640 en la compra de oro de ayer 🔥", none()),
        (
            "من خرید طلا رو اینجا می‌بندم ۴۱۵۰، هرکی دوست داره با من ببنده",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // What the provider looks for after his stop, in Spanish; a Persian "my stop"; an extra
        // target; a target withdrawn in French with the kept ones; Spanish cancels and takes.
        (
            "Acabo de entrar en compra en el oro a 4150, mi SL en 4142 y busco 4165. Si quieren acompañarme, lote pequeño",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4142.0))
                .tp(&[4165.0]),
        ),
        (
            "من خودم الان خرید طلا گرفتم روی ۴۱۵۰، استاپم ۴۱۴۲، تارگت ۴۱۶۵. هر کی خواست همراهم بیاد",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4142.0))
                .tp(&[4165.0]),
        ),
        (
            "#ETH/USDT\nExtra target added: 3650",
            kind(SignalKind::Modify).symbol("ETHUSDT").tp(&[3650.0]),
        ),
        (
            "GER40 — TP3 retiré, on garde TP1 24 300 et TP2 24 450",
            kind(SignalKind::Modify)
                .symbol("GER40")
                .tp(&[24300.0, 24450.0]),
        ),
        (
            "La orden limit del EURUSD no se activó, elimínenla",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "#SOL/USDT asegurando el 30% de la posición aquí",
            close(Some(0.3)).symbol("SOLUSDT"),
        ),
        // A member's trade, a training's example, "stay flat": no orders; a day gone by is no
        // condition; a bot's action with a part of the whole.
        (
            "Member trade 👀 @kid opened LONG SOL 20x at 182 with no stop 💀",
            none(),
        ),
        (
            "Formation gratuite ce soir 🎓 comment placer un ordre ACHAT LIMIT (ex. GBPUSD 1.2700 SL 1.2670 TP 1.2760)",
            none(),
        ),
        (
            "No trades today — NFP. Stay flat, protect your capital.",
            none(),
        ),
        (
            "Bulls defending the trendline from last Tuesday.\n\nXAUUSD BUY 4156\nSL 4146\nTP 4170",
            open("XAUUSD", Buy, Market)
                .entry(price(4156.0))
                .sl(sl(4146.0))
                .tp(&[4170.0]),
        ),
        (
            "🔔 SIGNAL UPDATE\nSymbol: EURUSD\nAction: CLOSE 0.30 of 0.60 lots",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "Стоп по биткоину переставляю на 95 900",
            modify_sl(StopLoss::Price(95900.0)).symbol("BTCUSD"),
        ),
        (
            "الذهب 🟡\nتحريك الستوب لنقطة الدخول ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // A symbol and its new stop with the old one noted: the modification.
        (
            "CADJPY\nSL: 108.40 (was 107.90)",
            modify_sl(StopLoss::Price(108.4)).symbol("CADJPY"),
        ),
        // "SL till entry", and the entry's note in brackets after an arrow.
        (
            "BNBUSDT SL till entry 🔐",
            modify_sl(StopLoss::Breakeven).symbol("BNBUSDT"),
        ),
        (
            "⚠️ #DOT/USDT\nSL → Entry (0 risk) 🛡",
            modify_sl(StopLoss::Breakeven).symbol("DOTUSDT"),
        ),
        // The trade named by its symbol before the levels, as its side would.
        (
            "Targets for the NAS100 trade:\nTP1 25,200\nTP2 25,350",
            kind(SignalKind::Modify)
                .symbol("NAS100")
                .tp(&[25200.0, 25350.0]),
        ),
        // "out at market now", a Russian shift of a target, a Hinglish condition.
        ("GER40 out at market now", close(Some(1.0)).symbol("GER40")),
        (
            "$ETHUSDT тейк сдвигаю на 3650",
            kind(SignalKind::Modify).symbol("ETHUSDT").tp(&[3650.0]),
        ),
        ("TP1 aaye to SL entry pe kar dena, abhi nahi", none()),
        // Plans for next week, a member's mistake reviewed, subscribers' profits: no opens.
        (
            "Наступного тижня шукаю покупки золота від 4100, деталі — в понеділок",
            none(),
        ),
        (
            "Разбор ошибки подписчика: зашел в шорт ETH по 3300 без стопа и словил -30% депо",
            none(),
        ),
        (
            "أرباح المشتركين اليوم 💸\nشراء الذهب من 4120 إلى 4150 ✅",
            none(),
        ),
        (
            "XAGUSD ліміт не активувався, знімаю ❌",
            close(Some(1.0)).symbol("XAGUSD"),
        ),
        // Uzbek follow-ups; an Arabic repost and a Turkish member's screenshot are no opens.
        (
            "$TON stopni 1.60 ga ko'taring 🔒",
            modify_sl(StopLoss::Price(1.6)).symbol("TON"),
        ),
        (
            "NAS100 yopdim +70 punkt, siz ham yopinglar 👍",
            close(Some(1.0)).symbol("NAS100"),
        ),
        (
            "إعادة نشر للتوصية للأعضاء الجدد 👇\nبيع الذهب الآن 4138\nوقف الخسارة 4146\nالهدف الأول 4132 ✅",
            none(),
        ),
        (
            "Bir üyemizin ekran görüntüsü 👇 [görsel: 1 lot altın alış 4110 → 4125, +1.500$]",
            none(),
        ),
        // A target's index ticked off on an update card is no level.
        (
            "⚡️ Signal Update ⚡️\n#AVAX/USDT\nTarget 1 ✅\nStop moved to entry 🔒",
            modify_sl(StopLoss::Breakeven).symbol("AVAXUSDT").tp(&[]),
        ),
        // A member's call quoted from the chat, a Hinglish plan, a paid group's proof: no opens.
        (
            "From the chat 💬 @joe: \"longed ETH 3.3k with 20x, SL 3.2k, TP 3.6k 🤞\"",
            none(),
        ),
        (
            "Kal London session mein gold buy dekhenge 4100 ke paas, ready rehna",
            none(),
        ),
        (
            "Paid group join karo sirf ₹999 mein 🔥 Kal ka signal: GOLD SELL 4148 ✅✅✅",
            none(),
        ),
        (
            "закрыть NOT по рынку, не нравится объём",
            close(Some(1.0)).symbol("NOT"),
        ),
        // A target removed, the one kept said with "dejamos".
        (
            "Quiten el TP2 de 1.1690, dejamos nada más el 1.1675",
            kind(SignalKind::Modify).tp(&[1.1675]),
        ),
        // A price taken for the whole of a part gives a share of nothing: never a close.
        ("Close 0.30 lot of 4286.50 now", close(None)),
        (
            "📸 صورة من أحد الأعضاء 0.30 لوت من 4286.50 وإغلاق عن +69",
            none(),
        ),
        // A symbol's levels with a few words around them and no side: the levels of its trade;
        // a figure with a minus beside them is a result.
        (
            "Silver levels 👇\nSL 29.80\nTP 31.20 / 31.90\n\ntrade safe everyone",
            kind(SignalKind::Modify)
                .sl(sl(29.8))
                .tp(&[31.2, 31.9])
                .symbol("XAGUSD"),
        ),
        (
            "Новые тейки по ETH/USDT:\nтейк 3950\nтейк 4100",
            kind(SignalKind::Modify)
                .tp(&[3950.0, 4100.0])
                .symbol("ETHUSDT"),
        ),
        ("US30 stop loss got taken -180 points", none()),
        // A currency named alone in Persian is its pair with the dollar; "لمس شد" (touched) and
        // "نگه میدارم" (I'm holding) report.
        ("پوند رو ۵۰ درصد ببندید", close(Some(0.5)).symbol("GBPUSD")),
        (
            "داوجونز: استاپ به ۴۶۸۲۰",
            modify_sl(StopLoss::Price(46820.0)).symbol("US30"),
        ),
        (
            "تارگت اول فروش طلا لمس شد ✅ بقیه رو نگه میدارم، تارگت دوم ۴۲۱۰",
            none(),
        ),
        // Beside an order cancelled, "no entry" is why.
        (
            "Cancel the buy limit 1.0850 on EURUSD, price never came back, no entry",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // Profit secured by the stop moved is the move's reason, not a close; Russian past
        // moves with an invitation.
        (
            "DAX: Stop nachziehen auf 24150, Gewinne sichern",
            modify_sl(StopLoss::Price(24150.0)).symbol("GER40"),
        ),
        (
            "Передвинул стоп по золоту на 4180, сделайте так же ✅",
            modify_sl(StopLoss::Price(4180.0)).symbol("XAUUSD"),
        ),
        // A member's trade shared in Spanish; a clause ended by '‼️'; a stop ticked where it
        // went; a stop crossed out or hit at the entry is a report.
        (
            "Un miembro comparte su operación: venta EURUSD 1.0850 con lotaje 0.10 🙌 ¡Bien hecho!",
            none(),
        ),
        (
            "Gold abhi close karo ‼️ news aa rahi hai 5 min mein",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("SL à 4296 ✅", modify_sl(StopLoss::Price(4296.0))),
        ("Stop 4341'e ✅", modify_sl(StopLoss::Price(4341.0))),
        ("SL 4296 ✅", none()),
        ("US30 стоп ❌ -150 пунктов", none()),
        ("SL oldu 😔 altın alış 4150", none()),
        ("صفقة الشراء ضربت الستوب على الدخول، بدون خسارة", none()),
        // Brazil's "0 a 0" breakeven; Turkish "stop girişe" (the dative is the "to"), reported
        // in the past it is none; a limit order named on the symbol's line; the speaker's own
        // position with no stop and no invitation; a stop "still at" a level stays.
        (
            "GBPUSD stop no 0 a 0 ✅",
            modify_sl(StopLoss::Breakeven).symbol("GBPUSD"),
        ),
        (
            "Altında stop girişe ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "EURUSD'de stopu girişe çektim ama fiyat geri geldi, kapandı",
            none(),
        ),
        (
            "#ADA/USDT limit order 📌\nlong\nentry: 0.4480\ntarget: 0.4650 - 0.4800\nstop: 0.4300",
            open("ADAUSDT", Buy, Limit)
                .entry(price(0.448))
                .sl(sl(0.43))
                .tp(&[0.465, 0.48]),
        ),
        (
            "lads im short ETH at 3120 with 20x 😅 no sl, wish me luck",
            none(),
        ),
        ("Remaining US30 hold, SL still at 46,900", none()),
        (
            "من پوزیشن طلای خودم رو روی ۴۳۸۳ میبندم، هرکی میخواد با من ببنده",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Money withdrawn is no signal withdrawn; keeping the profit keeps no trade; a target
        // dropped with the kept ones listed; vocabulary of the last sets.
        (
            "Another member payout 💸 $1,200 withdrawn from the broker this week",
            none(),
        ),
        (
            "👉 Close the sells now, we keep the profit we have",
            Want {
                side: Some(Sell),
                ..close(Some(1.0))
            },
        ),
        (
            "$SOL: drop TP3, keep 188 and 196",
            kind(SignalKind::Modify).tp(&[188.0, 196.0]).symbol("SOL"),
        ),
        (
            "Stopu takip ediyoruz: 4207",
            modify_sl(StopLoss::Price(4207.0)),
        ),
        (
            "$ATOM спот, набираю позицию 4.10-4.30, стоп 3.80, цели 4.90 / 5.60",
            open("ATOM", Buy, Market)
                .entry(zone(4.1, 4.3))
                .sl(sl(3.8))
                .tp(&[4.9, 5.6]),
        ),
        (
            "Lernbeispiel: Verkauf GBPUSD 1.3500, SL 1.3530, TP 1.3440 → CRV 1:2",
            none(),
        ),
        // Targets promised in five words; "Sell targets" of a spot buy; "tonight" in Persian is
        // later; a stop reported hit with its breakeven; profit secured by a stop's new price.
        (
            "AUDUSD 🔵 BUY\nEntrée : 0.6520\nSL : 0.6490\nTP : sera mis à jour bientôt ⏳",
            open("AUDUSD", Buy, Market)
                .entry(price(0.652))
                .sl(sl(0.649))
                .tp(&[]),
        ),
        (
            "#DOGE/USDT Long (Spot)\n\nBuy: 0.150 - 0.145\nSell targets: 0.160 / 0.175\nStop: 0.138",
            open("DOGEUSDT", Buy, Market)
                .entry(zone(0.145, 0.15))
                .sl(sl(0.138))
                .tp(&[0.16, 0.175]),
        ),
        (
            "امشب دنبال خرید طلا از ۴۱۵۰ هستیم، صبر کنید تا سیگنال بدم",
            none(),
        ),
        (
            "🤖 STOP LOSS HIT\nSymbol: EURUSD\nTicket #4418391\nProfit: 0.0 pips (breakeven)",
            none(),
        ),
        (
            "رفع الستوب على الذهب الى 4201 🔒 تأمين ارباح",
            modify_sl(StopLoss::Price(4201.0)).symbol("XAUUSD"),
        ),
        (
            "Я свою позицию по BTC закрыл по рынку, рекомендую сделать то же самое.",
            close(Some(1.0)).symbol("BTC"),
        ),
        // Targets moved to a distance in pips from the entry; ticked, what a target made.
        (
            "Extend gold TP to 150 pips 🚀",
            Want {
                tp: Some(vec![Target::Pips { pips: 150.0 }]),
                ..kind(SignalKind::Modify).symbol("XAUUSD")
            },
        ),
        (
            "USDCAD TP update:\nTP1: +40 pips\nTP2: +90 pips",
            Want {
                tp: Some(vec![
                    Target::Pips { pips: 40.0 },
                    Target::Pips { pips: 90.0 },
                ]),
                ..kind(SignalKind::Modify).symbol("USDCAD")
            },
        ),
        ("TP2 ✅ +80 pips, what a move", none()),
        // Words no instruction needs ("close karanna", "cierren sus ventas"); "after" in a
        // clause of its own says why; members' trades and beginners' lessons; Darija's "don't
        // enter before I write".
        (
            "$ETH scalp eka close karanna dan ✅",
            close(Some(1.0)).symbol("ETH"),
        ),
        (
            "Oro 📉 cierren sus compras ya",
            Want {
                side: Some(Buy),
                ..close(Some(1.0)).symbol("XAUUSD")
            },
        ),
        (
            "NAS100 new TPs: 25720 / 25790 — momentum strong after open 💪",
            kind(SignalKind::Modify)
                .tp(&[25720.0, 25790.0])
                .symbol("NAS100"),
        ),
        ("Move SL to BE after NFP", none()),
        (
            "Un suscriptor nos comparte su operación: venta oro en 4088 con 1 lote",
            none(),
        ),
        (
            "Member @fx_kid shared his trade: short $DOGE 50x from 0.21",
            none(),
        ),
        (
            "Pour les débutants : un ordre VENTE LIMITE se place au-dessus du prix. Ex : GBPUSD à 1.3400, vente limite 1.3430 avec SL 1.3460.",
            none(),
        ),
        ("bro I shorted ETH at 3120 with 50x lol, no sl 💀", none()),
        // A share of gain is no stop; the price in brackets wins over the distance; "…" ends a
        // clause; a count of expired signals is a tally; the target's own result is not the
        // breakeven's; an article between the verb and "BE".
        (
            "#SOLUSDT Stop target hit ⛔ (moved SL, +2.5% secured)",
            none(),
        ),
        (
            "GBPUSD: SL moved to +15 (1.3415)",
            modify_sl(StopLoss::Price(1.3415)).symbol("GBPUSD"),
        ),
        (
            "Gold sell limit 4180 not triggered… delete it, market left without us",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Résumé de février\n12 signaux • 9 gagnants • 2 perdants • 1 expiré",
            none(),
        ),
        (
            "$ETH move SL to entry, TP1 done ✅",
            modify_sl(StopLoss::Breakeven).symbol("ETH"),
        ),
        (
            "Mettez le BE sur GBPUSD",
            modify_sl(StopLoss::Breakeven).symbol("GBPUSD"),
        ),
        (
            "Je viens de vendre l'or à 4141 perso, si vous voulez me suivre 🤝 SL 4149 TP 4125",
            open("XAUUSD", Sell, Market)
                .entry(price(4141.0))
                .sl(sl(4149.0))
                .tp(&[4125.0]),
        ),
        (
            "Ajustem o stop do ouro para 4202 🔐 protejam o lucro",
            modify_sl(StopLoss::Price(4202.0)).symbol("XAUUSD"),
        ),
        // A session's close is a noun; partials taken now with no amount; Serbo-Croatian
        // "the whole of it".
        (
            "EURUSD update: move stop loss to breakeven (entry 1.1618). We protect capital before the London close.",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "NAS100 partials now, lock some in 💰",
            close(None).symbol("NAS100"),
        ),
        (
            "Partial close on GER40 now ✅ 30% off",
            close(Some(0.3)).symbol("GER40"),
        ),
        (
            "BTC short zatvaram cijeli na 96.800 💰",
            Want {
                side: Some(Sell),
                ..close(Some(1.0)).symbol("BTC")
            },
        ),
        // A month's close-out is a report; a thread is no call; "wait for my confirmation" in
        // Spanish; Turkish targets removed; Hinglish "with me"; German "no loss"; "aiming"; a
        // breakeven's verb past the trade named.
        ("📊 CIERRE DE MES\n\n$SOL +31% ✅\n$PEPE -6% ❌", none()),
        (
            "Hilo 🧵: por qué el oro sube\n\n1/ Bancos centrales comprando como nunca",
            none(),
        ),
        (
            "Buscando ventas en oro cerca de 4180, esperen mi confirmación ⏳",
            none(),
        ),
        (
            "Altın TP4 kaldırıldı.\nKalan hedefler: 4148 / 4156",
            kind(SignalKind::Modify)
                .tp(&[4148.0, 4156.0])
                .symbol("XAUUSD"),
        ),
        ("GER40 bei Einstand raus, kein Verlust", none()),
        (
            "I'm short US30 from 47080 right now, stop 47200. Aiming 46850. Come along if you like the setup 🤝",
            open("US30", Sell, Market)
                .entry(price(47080.0))
                .sl(sl(47200.0))
                .tp(&[46850.0]),
        ),
        (
            "Б/у по ETH ставим, пусть летит 🚀",
            modify_sl(StopLoss::Breakeven).symbol("ETH"),
        ),
        // An exercise set on a ticket; a lesson's heading past its decoration; Turkish "take
        // 30 % of the profit"; Arabic "closing all buys"; a reader's or a gambler's own trade.
        (
            "Homework 📝 Work out the lot size for this one:\n\nGBPUSD SELL 1.3400\nSL 1.3430\nTP 1.3340",
            none(),
        ),
        (
            "📚 Lernbeispiel: so liest du unsere Signale\nDAX LONG\nEinstieg: 24.000\nSL: 23.920\nTP: 24.100",
            none(),
        ),
        (
            "Altında kârın %40'ını alın",
            close(Some(0.4)).symbol("XAUUSD"),
        ),
        (
            "اقفال جميع صفقات البيع على الذهب فوراً 🚨",
            Want {
                side: Some(Sell),
                ..close(Some(1.0)).symbol("XAUUSD")
            },
        ),
        (
            "bro i shorted btc at 101000 with 50x lol, sl 102000 tp 98000, pray for me 🙏",
            none(),
        ),
        (
            "A reader sent me his trade: long US30 at 47,400 with a 300-point stop. Please don't.",
            none(),
        ),
        // The message says there is no signal, whatever ticket it describes.
        (
            "Was going to post SELL gold 4150 SL 4158 but price ran without me. No signal this time.",
            none(),
        ),
        (
            "Iba a mandar COMPRA oro 4120 con SL 4112, el precio no llegó: no hay señal hoy.",
            none(),
        ),
        (
            "XAUUSD SATIŞ 4150 SL 4158 düşünüyordum, bu sefer sinyal yok.",
            none(),
        ),
        (
            "Хотел дать BTC лонг от 98000, стоп 96500, но сигнала нет — цена ушла.",
            none(),
        ),
        ("قرار بود خرید طلا از ۴۱۲۰ بدیم ولی سیگنالی نیست", none()),
        (
            "Signal no. 12\nXAUUSD BUY 4120\nSL 4112\nTP 4130",
            open("XAUUSD", Buy, Market)
                .entry(price(4120.0))
                .sl(sl(4112.0))
                .tp(&[4130.0]),
        ),
        // The profit a stop protects is the move's reason, no result.
        (
            "Stop en oro a 4180, protegiendo ganancias",
            kind(SignalKind::Modify).symbol("XAUUSD").sl(sl(4180.0)),
        ),
        (
            "Stop do US30 para 47.180, protegendo lucro",
            kind(SignalKind::Modify).symbol("US30").sl(sl(47180.0)),
        ),
        // "No entry price": the level left out of a market order, not the entry refused.
        (
            "NAS100 long, market — no entry price, it's moving fast. SL 24650, TP 24900",
            open("NAS100", Buy, Market).sl(sl(24650.0)).tp(&[24900.0]),
        ),
        // Turkish "if it does not come": the cancel is on a condition.
        (
            "XAUUSD BUY LIMIT 4010 SL 4001 TP 4018. Gelmezse akşam iptal ederiz.",
            open("XAUUSD", Buy, Limit)
                .entry(price(4010.0))
                .sl(sl(4001.0))
                .tp(&[4018.0]),
        ),
        // The coin right after the close, before the market named around it.
        (
            "Closing SOL at market. BTC dominance rising, alts bleeding.",
            close(Some(1.0)).symbol("SOL"),
        ),
        (
            "Закрываю по текущим SOL.\nРынок не нравится, доминация BTC растёт.",
            close(Some(1.0)).symbol("SOL"),
        ),
        (
            "CIERREN EL ORO A MERCADO YA ❗❗",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // Every target ticked off on a line of its own under the ticket: a result, repeated.
        (
            "💎 VIP OFFER 💎\nYesterday's signal in the VIP:\nXAUUSD SELL 4254 SL 4262 TP 4246/4238/4225\nAll TP ✅\nJoin us 👉 @x",
            none(),
        ),
        (
            "XAUUSD VENTE 4254 SL 4262 TP 4246/4238/4225\nTous les TP ✅",
            none(),
        ),
        // The coin NOT heading its instruction, or after a capitalised "По".
        (
            "NOT закрываю полностью по рынку",
            close(Some(1.0)).symbol("NOT"),
        ),
        (
            "По NOT стоп переносим на 0.00190",
            kind(SignalKind::Modify).symbol("NOT").sl(sl(0.0019)),
        ),
        ("NOT closing yet, hold", none()),
        // Armenian, in its script and in Latin letters.
        (
            "🟢 GBPUSD — ԳՆՈՒՄ LIMIT\n\nՄուտք՝ 1.3195\nՍտոպ՝ 1.3160\nԹեյք 1՝ 1.3230\nԹեյք 2՝ 1.3265",
            open("GBPUSD", Buy, Limit)
                .entry(price(1.3195))
                .sl(sl(1.316))
                .tp(&[1.323, 1.3265]),
        ),
        (
            "XAUUSD — ստոպը տեղափոխում ենք մուտքի կետ ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "Ոսկու վաճառքից փակում ենք կեսը 💰",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "BTC pakum enq kes@, mnacac@ toxnum enq",
            close(Some(0.5)).symbol("BTC"),
        ),
        // The provider's own exit, the reader invited "if you want".
        (
            "I closed my gold buy at 4139, if you want close with me",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // A member's thanks for a close told in the past.
        ("Makasih bang, udah close setengah 🙏", none()),
        (
            "Merci, j'ai fermé la moitié comme tu l'avais dit 🙏",
            none(),
        ),
        ("closed my SOL at BE lol, thanks whales 🙏🐳", none()),
        // Every target ticked off on its line, no values: a result.
        (
            "Шорт по золоту 🔻 4172-4176\nSL 4183\nTP1 ✅ TP2 ✅ TP3 ✅\n\n+300 пунктов 🔥",
            none(),
        ),
        // A stop knocked out, in Russian; a lesson headed "education".
        ("Лонг BTC от 94500 — стоп выбит ❌ -1.3%. Бывает.", none()),
        (
            "Eğitim: Sell Stop emri, fiyat seviyenin altına düşerse açılır. Örnek: XAUUSD Sell Stop 4000, SL 4010, TP 3980.",
            none(),
        ),
        // The target held back, not the order.
        (
            "Золото шорт от 4235, стоп 4244, тейк пока не даю — обновлю позже",
            open("XAUUSD", Sell, Market)
                .entry(price(4235.0))
                .sl(sl(4244.0)),
        ),
        // A bare "Balas:" over a quoted card and a blank line: the reply under it.
        (
            "Balas: GOLD SELL 4093 SL 4101 TP 4083/4075\n\nSL turunin ke 4091",
            kind(SignalKind::Modify).symbol("XAUUSD").sl(sl(4091.0)),
        ),
        // "TP UPDATE" heading a card of targets given: no placeholder, an update.
        (
            "✏️ TP UPDATE\nUS30 BUY\nTP1: 47300\nTP2: 47420 (was 47480)",
            kind(SignalKind::Modify)
                .symbol("US30")
                .tp(&[47300.0, 47420.0]),
        ),
        (
            "🔻 SHORT DOGE\nEntry: 0.1795\nTP: 0.1760 - 0.1720\nSL: 0.1835\n(TP sẽ update thêm)",
            open("DOGE", Sell, Market)
                .entry(price(0.1795))
                .sl(sl(0.1835))
                .tp(&[0.176, 0.172]),
        ),
        // The market's update heading commentary, then a ticket of its own: an open.
        (
            "Crude update 🛢\n\nEIA showed another draw and the OPEC+ headlines were less hawkish than feared. Price swept Friday's low and reclaimed 59.50 on the hourly. I like the long from here.\n\nUSOIL BUY 59.70\nSL 59.10\nTP 60.40\nTP 61.00",
            open("USOIL", Buy, Market)
                .entry(price(59.7))
                .sl(sl(59.1))
                .tp(&[60.4, 61.0]),
        ),
        // A target removed, the kept ones listed: on the next lines, after the word that keeps
        // them, or after the last removal.
        (
            "#OP/USDT\nRemove target 4\nKeep: 0.78 - 0.82 - 0.86",
            kind(SignalKind::Modify)
                .symbol("OPUSDT")
                .tp(&[0.78, 0.82, 0.86]),
        ),
        (
            "Oro: quitamos el TP3, nos quedamos con 4212 y 4205",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4212.0, 4205.0]),
        ),
        (
            "الذهب: نلغي الهدف الثالث ونكتفي بـ 4235 و 4248",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4235.0, 4248.0]),
        ),
        (
            "Gold: remove TP4.\nWe keep TP1 4192 / TP2 4200 / TP3 4215 only\n\nliquidity above 4230 is too far for today",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4192.0, 4200.0, 4215.0]),
        ),
        (
            "BTCUSDT\nEVENT: TP_REMOVE\nTP3 99500 removed\nremaining: TP1 96200 · TP2 97800",
            kind(SignalKind::Modify)
                .symbol("BTCUSDT")
                .tp(&[96200.0, 97800.0]),
        ),
        // Turkish negative imperatives by their ending.
        (
            "Altında satış düşünmeyin şimdi ❗ trend yukarı, acele etmeyin.",
            none(),
        ),
        // A camera heading a caption that names a member's gain.
        (
            "📸 سود یکی از اعضا: فروش XAUUSD از ۴۲۶۸ تا ۴۲۳۵ = +۱۶۵۰ دلار 🔥",
            none(),
        ),
        (
            "📸 XAUUSD — taking 30% off at 4128",
            close(Some(0.3)).symbol("XAUUSD"),
        ),
        // Nepali in Latin letters ("garnu" after the instruction's word); Turkish "yarısını".
        ("BE garnu sabai le 🙏", modify_sl(StopLoss::Breakeven)),
        (
            "BTC long close garnu, weekend ma risk nalinu 🙏",
            close(Some(1.0)).symbol("BTC"),
        ),
        ("Yarısını kapatıp kârı alın 💰", close(Some(0.5))),
        // Levels under a reply, refused only for want of a symbol: the replied trade's.
        (
            "↩️ Reply to: Signal #417 | GBPUSD BUY\n\nTake Profit 1: 1.3420\nTake Profit 2: 1.3460",
            kind(SignalKind::Modify)
                .symbol("GBPUSD")
                .tp(&[1.342, 1.346]),
        ),
        ("↩️ Reply to: GBPUSD BUY 1.3380\n\nBUY 1.3400", none()),
        // A member's trade told whole in Turkish, with thanks; the reader's own state.
        (
            "Üyemizden: 'EURUSD'de 1.1585'ten aldım 1.1650'de kapattım, teşekkürler hocam 🙏'",
            none(),
        ),
        ("Ben kapattım hocam sağolun 🙏", none()),
        (
            "Gold at TP2 ✅✅ +120 pips 🔥\n\nMove your SL to entry if you haven't",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // The provider's own exit with an invitation, a reason or gain said beside it.
        (
            "Closed my $WLD long manually at 0.92 (+18% with 10x). You can close too if you're still in, I don't like this 4h candle",
            close(Some(1.0)).symbol("WLD"),
        ),
        (
            "أنا أغلقت صفقتي على النفط USOIL عند ٦١.٢٠ بربح ممتاز 👌 واللي حاب يغلق معي يتفضل",
            close(Some(1.0)).symbol("USOIL"),
        ),
        (
            "Fechei 0,10 dos 0,20 lotes no ouro, realizem também",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "November results: 31 calls, 24 hit at least TP1, 5 stopped, 2 closed manually. See you in December 🎄",
            none(),
        ),
        // The card begun on the "Reply to:" line goes on under it, up to the blank line: its
        // stop is not the new one.
        (
            "Reply to: GOLD BUY NOW 4302 - 4298\nSL 4290\nTP 4310/4320/4335\n\nTrail SL to 4312 guys 📈📈",
            kind(SignalKind::Modify).symbol("XAUUSD").sl(sl(4312.0)),
        ),
        // Kurdish: Sorani in the Arabic script, Kurmanji in Latin letters.
        (
            "🪙 $LINK\n\n🟢 کڕین لیمیت: 12.40\n🎯 ئامانج: 13.50 / 14.80\n🛑 ستۆپ: 11.60",
            open("LINK", Buy, Limit)
                .entry(price(12.4))
                .sl(sl(11.6))
                .tp(&[13.5, 14.8]),
        ),
        (
            "EURUSD ستۆپ بگوازنەوە بۆ سەر ئینتری 🔐",
            modify_sl(StopLoss::Breakeven).symbol("EURUSD"),
        ),
        (
            "USDJPY ئێستا هەمووی دابخەن ✅",
            close(Some(1.0)).symbol("USDJPY"),
        ),
        ("Nîvê lotan bigirin 💰", close(Some(0.5))),
        // How to read the channel's signals, however the heading says it.
        (
            "Zur Erinnerung, so lest ihr unsere Signale:\nGER40 Long 18000\nSL 17950\nTP 18100",
            none(),
        ),
        (
            "Aula rápida 📚: como ler o sinal\nXAUUSD COMPRA 2300\nSL 2290\nTP 2320",
            none(),
        ),
        // A close planned for later; the speaker's close told in chatter or as done before.
        (
            "Nanti malam jam 8 saya close semua posisi sebelum NFP",
            none(),
        ),
        ("Планирую закрыть все позиции перед ФРС в среду", none()),
        ("bro i closed my gold at 4129 😂 scared of the news", none()),
        (
            "I closed my gold position already at 4151, you can close na din",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        // The speaker's trade, named between, taken off whole; lessons and reviews.
        (
            "Taking my US30 long off here at 47390. Join me if you're still in 👋",
            close(Some(1.0)).symbol("US30"),
        ),
        (
            "Leverage 101 🧠 Long SOL at 180 with 20x → liquidation around 171. That's why our SL is ALWAYS above liq.",
            none(),
        ),
        (
            "Разбор ученика: он зашёл в шорт ETH по 3 300 без стопа и словил ликвидацию. Никогда так не делайте ❗️",
            none(),
        ),
        (
            "Targets now 64.70 / 64.00 only — taking 63.20 off the table, too far to hold",
            kind(SignalKind::Modify).tp(&[64.7, 64.0]),
        ),
        // Korean names of the instruments; warnings and a liquidation reported.
        (
            "[나스닥 매수] 🟥\n\n진입: 25,610\n손절: 25,560\n익절: 25,700 / 25,760",
            open("NAS100", Buy, Market)
                .entry(price(25610.0))
                .sl(sl(25560.0))
                .tp(&[25700.0, 25760.0]),
        ),
        (
            "리플 손절가 2,870으로 올려주세요",
            kind(SignalKind::Modify).symbol("XRP").sl(sl(2870.0)),
        ),
        (
            "비트 도미넌스 상승중이라 알트 롱은 조심하세요. 104000 지지 확인 필요합니다.",
            none(),
        ),
        ("청산 당했습니다... 4천만원 날림", none()),
        // The stop moved to a target named by its index, its price in brackets: the price,
        // never the index.
        (
            "#BNB/USDT\nStop → Target 1 (865.0)",
            kind(SignalKind::Modify).symbol("BNBUSDT").sl(sl(865.0)),
        ),
        (
            "#BNB/USDT\nStop moved to Target 1 (865.0)",
            kind(SignalKind::Modify).symbol("BNBUSDT").sl(sl(865.0)),
        ),
        // Lots closed of the speaker's total, in Spanish and Portuguese.
        (
            "Cierro 2 de mis 4 lotes en oro, el resto sigue abierto. Hagan lo mismo si quieren",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // A bot card's share on a field of its own, as a percentage or lots of the total.
        (
            "📢 SIGNAL UPDATE\nSymbol: EURUSD\nStatus: PARTIAL CLOSE\nClosed: 50%\nPrice: 1.16520",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "🔔 TRADE UPDATE #4836\nPair: GBPUSD\nAction: CLOSE\nVolume: 0.40 / 0.80 lots",
            close(Some(0.5)).symbol("GBPUSD"),
        ),
        // Tajik (Cyrillic).
        (
            "🇹🇯 XAUUSD — ФУРӮШ (SELL) 🔴\n\nВуруд: 2358\nСтоп: 2365\n\nҲадаф 1: 2352\nҲадаф 2: 2345",
            open("XAUUSD", Sell, Market)
                .entry(price(2358.0))
                .sl(sl(2365.0))
                .tp(&[2352.0, 2345.0]),
        ),
        (
            "XAUUSD 🔴 Нисфи савдоро пӯшед (50%) ✅ +80 пункт",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        // A level changed from one price to another under a word of change: an earlier trade's.
        (
            "🤖 ORDER MODIFIED\nTicket: #48377719\nXAUUSD SELL 2419.60\nTP: 2405.00 → 2395.00",
            none(),
        ),
        (
            "EURUSD\nSell from 1.1660 to 1.1675\nSL 1.1700\nTP 1.1625 → 1.1590",
            open("EURUSD", Sell, Market)
                .entry(zone(1.166, 1.1675))
                .sl(sl(1.17))
                .tp(&[1.1625, 1.159]),
        ),
        // A share taken off, in Spanish and Russian (a fraction after "снимаем", not the whole).
        (
            "Saquen 50% del oro aquí 💰",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("Снимаем 1/3 по LINK 📤", close(Some(0.333)).symbol("LINK")),
        // A card's volume line gives the share: the lots closed of the lots held, or the
        // share before its word.
        (
            "📣 SIGNAL UPDATE\nPair: US30\nAction: PARTIAL CLOSE\nVolume: 0.50 of 2.00 lots",
            close(Some(0.25)).symbol("US30"),
        ),
        (
            "🟠 PARTIAL CLOSE\nSymbol: NAS100\nLots closed: 0.30 / 0.60\nRemaining: 0.30",
            close(Some(0.5)).symbol("NAS100"),
        ),
        (
            "📌 EURUSD #2210 | PARTIAL CLOSE\n✂️ 30% closed @ 1.1650",
            close(Some(0.3)).symbol("EURUSD"),
        ),
        // A move told with a tick is the move, not the stop hit at the entry.
        (
            "$ADA update\nMove SL to entry ✅ risk off",
            modify_sl(StopLoss::Breakeven).symbol("ADA"),
        ),
        // The stop as the trade stands ("with SL at entry") is no move.
        ("GBPUSD TP1 ✅ running the rest with SL at entry", none()),
        // The kind of stop after its word.
        (
            "Stop dinámico en EURUSD: lo subimos a 1.1720",
            modify_sl(StopLoss::Price(1.172)).symbol("EURUSD"),
        ),
        // Arabic "done" before the close reports it; "killing it" boasts.
        ("تم إغلاق صفقة اليورو على ربح 40 نقطة", none()),
        (
            "Killing the GBPJPY pending, not interested",
            close(Some(1.0)).symbol("GBPJPY"),
        ),
        ("We're killing it this month 🔥 +500 pips", none()),
        // French waiting; a Q/A lesson; the Greek question mark.
        (
            "J'attends un retour sur l'EURUSD vers 1.1600 pour acheter",
            none(),
        ),
        (
            "Q: what is a trailing stop?\nA: a stop that follows price, e.g. move SL to BE at +20",
            none(),
        ),
        ("Να πουλήσω χρυσό στα 4380;", none()),
        // Greek in capitals (no accents) and in Latin letters.
        ("ΠΟΥΛΑΩ ΧΡΥΣΟ ΤΩΡΑ", open("XAUUSD", Sell, Market)),
        (
            "EURUSD kleiste to miso twra",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        // Selling one's own bag is an exit.
        (
            "$TIA: selling my whole bag here, consider doing the same",
            close(Some(1.0)).symbol("TIA"),
        ),
        // A signed percent beside a call with no stop is what it made.
        ("ETH long from 3k2 now +85% 🚀", none()),
        // A signal withdrawn at the top explains its "don't enter".
        (
            "#ARB/USDT ❌ Not valid anymore, don't enter",
            close(Some(1.0)).symbol("ARBUSDT"),
        ),
        // A stop's value before its word.
        (
            "Long NAS100 at 25,100 with a 24,980 stop",
            open("NAS100", Buy, Market)
                .entry(price(25100.0))
                .sl(sl(24980.0)),
        ),
        // A ticker in Latin capitals on a line of another script.
        (
            "Покупаю WIF здесь по 2.10 со мной кто хочет",
            open("WIF", Buy, Market).entry(price(2.1)),
        ),
        // The plan to exit at a target leaves the kept targets standing.
        (
            "#DOT/USDT\nTarget 4 removed, we exit at target 3 latest.\nRemaining targets: 7.10 / 7.40",
            kind(SignalKind::Modify).symbol("DOTUSDT").tp(&[7.1, 7.4]),
        ),
        // Chinese tenths; Mongolian closes.
        (
            "黄金多单平仓四成，剩余继续持有",
            close(Some(0.4)).symbol("XAUUSD"),
        ),
        (
            "EURUSD-аа хаачихаарай одоо",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        // What a close of part keeps; what the trade lost, after a comma.
        (
            "NAS100: close 2 lots, keep the rest running",
            close(None).symbol("NAS100"),
        ),
        (
            "Закрываю $ARB по рынку, не пошло, -4%",
            close(Some(1.0)).symbol("ARB"),
        ),
        // A German lesson's heading.
        (
            "Schulung: So liest du ein Signal → EURUSD KAUF 1.1600 SL 1.1570 TP 1.1650",
            none(),
        ),
        // A symbol of a later sentence that only tells how its market moved is context.
        (
            "Close GBPUSD now.\n\nReason: gold ripping +2% on the Fed headlines. No point waiting for the stop.",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        // Croatian and Serbian words; "si" as a pronoun; "kod" before the close's price.
        (
            "ETH stop pomičem na 3400, da si ne pokvarimo trejd",
            modify_sl(StopLoss::Price(3400.0)).symbol("ETH"),
        ),
        (
            "gbpusd zatvaram kod 1.3150 prije vijesti",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        (
            "Prodajem $WIF cijelu poziciju, gotovo",
            close(Some(1.0)).symbol("WIF"),
        ),
        // A loss marked with a cross beside no stop label is a result.
        (
            "Stop na compra do ouro 4105 ❌ -12 pontos. Faz parte.",
            none(),
        ),
        // A day before the close makes it later; "lembrando" recalls.
        ("Amanhã antes do CPI vamos fechar tudo", none()),
        (
            "Lembrando: quem seguiu a dica de ontem de fechar metade já lucrou",
            none(),
        ),
        // A target's index before its colon under a heading.
        (
            "➕ #DOT/USDT targets updated\nTarget 3: 7.20\nTarget 4: 7.60",
            kind(SignalKind::Modify).symbol("DOTUSDT").tp(&[7.2, 7.6]),
        ),
        // A partial first, its share as a fraction; a Persian percentage word.
        (
            "Parcial de 1/3 no EURUSD",
            close(Some(0.333)).symbol("EURUSD"),
        ),
        ("خروج ۴۰ درصدی از طلا", close(Some(0.4)).symbol("XAUUSD")),
        // The kept list ends at "only,"; an invitation asked; a close word beside a target.
        (
            "Gold: remove TP3.\nKeep TP1 4150 and TP2 4165 only, the 4190 level is too far",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .tp(&[4150.0, 4165.0]),
        ),
        (
            "I'm out of my $SOL long here at 182, joining me?",
            close(Some(1.0)).symbol("SOL"),
        ),
        (
            "$ARB\nВторую цель убираем, держим до 0.52",
            kind(SignalKind::Modify).symbol("ARB").tp(&[0.52]),
        ),
        // Shekel pairs; Hebrew's first person and invitation.
        (
            "Стоп по лонгу USDILS в безубыток",
            modify_sl(StopLoss::Breakeven).symbol("USDILS"),
        ),
        (
            "קונה $ETH ספוט כאן ב-3,200 מי שרוצה להצטרף איתי\nסטופ 3,050\nיעד 3,600",
            open("ETH", Buy, Market)
                .entry(price(3200.0))
                .sl(sl(3050.0))
                .tp(&[3600.0]),
        ),
        // A part closed, read past the trade named; an invitation in Spanish; a golden rule.
        (
            "Сократил позицию по ETHUSDT на треть, кто со мной",
            close(Some(0.333)).symbol("ETHUSDT"),
        ),
        (
            "Acabo de vender el oro en 4210, me acompañan 😉 SL 4220, TP 4195",
            open("XAUUSD", Sell, Market)
                .entry(price(4210.0))
                .sl(sl(4220.0))
                .tp(&[4195.0]),
        ),
        ("Pessoal: bateu alvo 1, stop no 0x0. Regra de ouro!", none()),
        // Each target ticked where it stands.
        (
            "Старый сигнал:\n#ETH/USDT ЛОНГ\nВход: 3100\nСтоп: 3000\nЦели: 3200 ✅ / 3300 ✅",
            none(),
        ),
        // The share on an action card's line; a stop and a target moved in one breath.
        (
            "🔔 SIGNAL UPDATE\n📊 Pair: EURUSD\n⚙️ Action: Partial close 0.02 / 0.08 lot",
            close(Some(0.25)).symbol("EURUSD"),
        ),
        (
            "AUDJPY SL to 101.20, TP to 99.80",
            kind(SignalKind::Modify)
                .symbol("AUDJPY")
                .sl(sl(101.2))
                .tp(&[99.8]),
        ),
        // Haitian Creole: a close, a cancel, a move to the entry; "nan" is "in".
        (
            "Fèmen trade vann lò a kounye a ❌",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Lòd limit EURUSD la pa janm aktive, efase l",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "#ETH/USDT: monte stop la nan 3050 kounye a",
            modify_sl(StopLoss::Price(3050.0)).symbol("ETHUSDT"),
        ),
        (
            "BE sou ETH ✅ rès pozisyon an fèmen sou pri antre. Nou te deja pran +4%.",
            none(),
        ),
        // A bot's card of a target hit, by its fields; tips; a slipped letter; "$X market close".
        (
            "🔔 #SOL/USDT (Long)\n✅ Take-Profit target 2\nProfit: 12.1% 📈\nPeriod: 9 Hours",
            none(),
        ),
        ("Tip: partials at TP1 and SL to BE, always", none()),
        (
            "Set SL to breakeaven on the gold buys",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "$LINK market close. Done with this one",
            close(Some(1.0)).symbol("LINK"),
        ),
        // Levels for a trade named in Indonesian.
        (
            "SL : 1.1520\nTP1 : 1.1580\n(buat EURUSD buy tadi)",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .sl(sl(1.152))
                .tp(&[1.158]),
        ),
        // A trade that ended level, and the risk taken off, close nothing; the move stands.
        ("NAS100 stopped out at entry. Flat trade.", none()),
        (
            "US30 Long\nSL auf Einstand ✅\nRisiko ist raus",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        // An idea's invalidation level is no withdrawal; a bot's card of targets hit.
        (
            "GBPUSD idea: holding 1.3400. Below 1.3350 this idea is invalid.",
            none(),
        ),
        (
            "#OP/USDT LONG\n✅ Target 1\n✅ Target 2\nProfit: 84% 🚀 (20x)",
            none(),
        ),
        // A bot card's action field heads its levels; the value after the arrow.
        (
            "🤖 #5120 XAGUSD\nAction: MODIFY\nSL: 51.20\nTP: 53.10",
            kind(SignalKind::Modify)
                .symbol("XAGUSD")
                .sl(sl(51.2))
                .tp(&[53.1]),
        ),
        (
            "🤖 #5121 US30\nAction: MODIFY TP\nTP2 47500 ➡️ 47620",
            kind(SignalKind::Modify).symbol("US30").tp(&[47620.0]),
        ),
        // Chichewa; a stop told as jumped after a ticket's words.
        (
            "Tsekani NAS100 yonse tsopano 🚨",
            close(Some(1.0)).symbol("NAS100"),
        ),
        (
            "Sunthani SL ku 4,210 pa golide 🔐",
            modify_sl(StopLoss::Price(4210.0)).symbol("XAUUSD"),
        ),
        (
            "ORO COMPRA STOP 4120 ❌ saltó el SL, -80 pips. Seguimos",
            none(),
        ),
        // A coin marked `$` sold whole is the holder's exit; a trade's side before its targets
        // is no sale.
        (
            "Sell all $ARB now, unlock next week",
            close(Some(1.0)).symbol("ARB"),
        ),
        ("$SOL short all targets done 🎯 +120%", none()),
        // Khmer digits; "wait for SL TP" is the levels awaited, not a heads-up; Khmer's move.
        (
            "Buy Gold ៤០៤២\nSL ៤០៣៤\nTP ៤០៥២ / ៤០៦៥",
            open("XAUUSD", Buy, Market)
                .entry(price(4042.0))
                .sl(sl(4034.0))
                .tp(&[4052.0, 4065.0]),
        ),
        (
            "GOLD SELL NOW 🔴\n\nចាំ SL TP បន្តិច ⏳",
            open("XAUUSD", Sell, Market),
        ),
        (
            "EURJPY: SL ផ្លាស់មក 179.45 📌",
            kind(SignalKind::Modify).symbol("EURJPY").sl(sl(179.45)),
        ),
        // A code in brackets after a name is the broker's; an index's number apart from its name.
        (
            "NATGAS (XNGUSD) BUY\nEntry: 4.420\nStop: 4.290\nTargets: 4.550 / 4.680",
            open("XNGUSD", Buy, Market)
                .entry(price(4.42))
                .sl(sl(4.29))
                .tp(&[4.55, 4.68]),
        ),
        (
            "XNGUSD (Nat Gas) BUY\nEntry: 3.420\nSL: 3.280\nTP: 3.650",
            open("XNGUSD", Buy, Market)
                .entry(price(3.42))
                .sl(sl(3.28))
                .tp(&[3.65]),
        ),
        (
            "NASDAQ 100 🟢 BUY NOW\nSL 24880\nTP 25020\nTP 25100",
            open("NAS100", Buy, Market)
                .sl(sl(24880.0))
                .tp(&[25020.0, 25100.0]),
        ),
        (
            "US 30 sell now SL 47100 TP 46800",
            open("US30", Sell, Market).sl(sl(47100.0)).tp(&[46800.0]),
        ),
        // Chat English in an invitation; a hand pointing at a ticket it says not to enter.
        (
            "Im taking US30 long here 47010 myself, join if u like, tight SL 46940, TP 47150",
            open("US30", Buy, Market)
                .entry(price(47010.0))
                .sl(sl(46940.0))
                .tp(&[47150.0]),
        ),
        (
            "Copy of today's signal for those who asked 👇 (already closed in profit, DO NOT ENTER)\n\nGBPUSD SELL 1.3320/1.3345 SL 1.3375 TP 1.3290-1.3250",
            none(),
        ),
        // A change told with its verb before "to"; a card showing its stop's change with an
        // arrow gives its targets as they stand.
        (
            "TP3 4262 changed to 4255 ✏️ gold slowing down",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4255.0]),
        ),
        (
            "XAUUSD\nSL: 4176 ➜ 4199\nTP: 4238 / 4250",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .sl(sl(4199.0))
                .tp(&[4238.0, 4250.0]),
        ),
        // Hindi names the whole last ("out of" after it); a coin that is a little word, alone
        // heading its card.
        ("0.02 lot close karo 0.06 mein se", close(Some(0.333))),
        (
            "NOT\nЛонг: 0.00185-0.00178\nСтоп: 0.00165\nЦели: 0.00200, 0.00215",
            open("NOT", Buy, Market)
                .entry(zone(0.00178, 0.00185))
                .sl(sl(0.00165))
                .tp(&[0.002, 0.00215]),
        ),
        // The trade named, then "out" ending its clause; a partial after its noun or verb.
        (
            "GER40 out. Cash open whipsaw, not worth it",
            close(Some(1.0)).symbol("GER40"),
        ),
        (
            "CADJPY out, +35 pips, not loving the price action",
            close(Some(1.0)).symbol("CADJPY"),
        ),
        ("Gold out? still holding here", none()),
        (
            "Realização parcial de 30% no US30",
            close(Some(0.3)).symbol("US30"),
        ),
        // The provider's exit told twice, and the reader invited to copy it.
        (
            "Right, I'm out. Closed the rest of the EURUSD short at 1.1562, happy with that. Feel free to do the same if you're still holding",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "I just closed my SPX500 position, follow if you're still in",
            close(Some(1.0)).symbol("US500"),
        ),
        (
            "Quick note on EURGBP: we like buying dips towards 0.8760, invalidation below 0.8730. Ticket to follow if we get there.",
            none(),
        ),
        // "now" in the close's clause, the time the news'; an earlier sentence's evening.
        (
            "Close half of the gold sell now, secure profit 💰 news at 4:30pm",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "NAS100 TP2 ✅ +300 points\n\nNvidia earnings tonight so I'm out. Close everything on NAS now ✂️",
            close(Some(1.0)).symbol("NAS100"),
        ),
        // "if still open" is the reader's state; a bot's close by the provider at market.
        (
            "Gold sell closed manually at 4071 ✅ +55 pips secured\nclose yours too if still open 👇",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "📤 #TON/USDT\nClosed by provider at market (+6.1%)",
            close(Some(1.0)).symbol("TONUSDT"),
        ),
        (
            "✅ POSITION CLOSED BY PROVIDER\n📊 NAS100\nResult: +74 pts",
            none(),
        ),
        // A plain tick, a stop that stays, an earlier day in Malay.
        ("USOIL T1 58.90 ✓. T2 working.", none()),
        ("BNB: SL stays at 840, nothing changes. Relax 😌", none()),
        (
            "Semalam admin suruh close gold kat 4120, hari ni naik lagi 200 pips",
            none(),
        ),
        // Risk free as the order, in English and German.
        (
            "Risk free the US30 position guys",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        (
            "US30 risikofrei stellen 🔒",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        // A close refused beside a move is advice on holding it.
        (
            "extend TP3 to 4198 on gold 🚀 market is flying dont close early",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4198.0]),
        ),
        // A member's trade quoted; a legend of levels; a "target" no price of gold could be.
        (
            "Member @daytrader_joe shared: 'Sold US30 at 47,500 sl 47,600 tp 47,300 following your analysis 🙌'",
            none(),
        ),
        (
            "Cómo leer nuestras señales:\nVENTA XAUUSD 4100 = precio de entrada\nSL 4110 = stop loss\nTP 4090 = objetivo",
            none(),
        ),
        (
            "Gold sell came back to BE after TP1, that's trading 🤷 +70 on the first part",
            none(),
        ),
        // A target removed with the one kept under it.
        (
            "REMOVE LAST TP 4160 on gold ❌ market is slowing\n\n✅ TP 4143 FINAL TARGET",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4143.0]),
        ),
        (
            "Desk note: we are long NAS100 from 25,110 right now — join us if you like the setup. Stop 25,010, first target 25,250",
            open("NAS100", Buy, Market)
                .entry(price(25110.0))
                .sl(sl(25010.0))
                .tp(&[25250.0]),
        ),
        // The lots the reader holds, named in a condition, a total or by what is kept.
        (
            "If you have 0.10 lot, close 0.05 now on gold",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "Если у вас 0.3 лота по золоту — закройте 0.1 сейчас, остальное держим",
            close(Some(0.333)).symbol("XAUUSD"),
        ),
        (
            "For those with 0.20 lots on EURUSD: close 0.10 now, keep 0.10 running",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "BTC me 0.02 lot close karo, total 0.06 tha",
            close(Some(0.333)).symbol("BTC"),
        ),
        // A gain said after the close is what it makes ("Half close ✅ done" reports one).
        (
            "NAS100 close half 🤑🤑 +120 pts secured",
            close(Some(0.5)).symbol("NAS100"),
        ),
        ("Half close ✅ done", none()),
        // Words around a close that are no amount of it.
        (
            "J'ai fermé l'or ici à +80 pips, fermez aussi la famille 👋",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Mình đã đóng lệnh US30, ae đóng theo",
            close(Some(1.0)).symbol("US30"),
        ),
        (
            "Gold sell abhi close karein 4419 pe, DXY reverse ho raha hai ⚠️",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Alles zu vor dem Wochenende. Schönes WE!", close(Some(1.0))),
        // Albanian: gold named "ari", "shit" a sale where the message speaks it.
        (
            "ARI 🔴 SHIT 4431/4434\nsl 4440\ntp 4426-4420-4410",
            open("XAUUSD", Sell, Market)
                .entry(zone(4431.0, 4434.0))
                .sl(sl(4440.0))
                .tp(&[4426.0, 4420.0, 4410.0]),
        ),
        ("Ari blej tani", open("XAUUSD", Buy, Market)),
        ("oh shit gold 4100 broke", none()),
        (
            "#SOL/USDT mbyllni gjysmën e pozicionit 💰",
            close(Some(0.5)).symbol("SOLUSDT"),
        ),
        (
            "$DOGE stopi në hyrje tani 🛡",
            modify_sl(StopLoss::Breakeven).symbol("DOGE"),
        ),
        (
            "USOIL: mbyllni 50% të pozicionit këtu në 58.90 ✅",
            close(Some(0.5)).symbol("USOIL"),
        ),
        (
            "BE on US30 now",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        // The trades of a side in Spanish; the share given by a later close; the reader's state.
        (
            "Cierren los cortos en el ORO ya! 🔴",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "EURUSD partial close 👇\nthose with 0.10 lot close 0.05\nthose with 1 lot close 0.50\nrest running 👌",
            close(Some(0.5)).symbol("EURUSD"),
        ),
        (
            "I've closed my US30 short at 47080 for +120 points 💵 if you're still in, take it with me",
            close(Some(1.0)).symbol("US30"),
        ),
        // A course's module with its example ticket is an advert.
        (
            "Curso de Price Action com 50% OFF 🔥\nNo módulo 3 você aprende a montar uma entrada como esta: COMPRA EURUSD 1.1585 / SL 1.1560 / TP 1.1650.\nLink na bio 👆",
            none(),
        ),
        // The word for percent after a number; a verb-final take reaches back for its share.
        (
            "۵۰ درصد حجم طلا رو سیو سود کنید 💰 بقیه بمونه",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        (
            "ريسك فري يا شباب على صفقة الذهب 👌",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        // A candle's close above a level; "take profit" with the trade named before "now".
        (
            "Gold close di week above 3580, dat a STRONG. Mi a look fi buys pon dips",
            none(),
        ),
        (
            "Take profit on the US30 long now, +160. Not holding into Powell.",
            close(Some(1.0)).symbol("US30"),
        ),
        // What members did with a share; the share on a later line; "stellen".
        (
            "Alvo 2 atingido no US30 ✅✅ quem fez parcial no alvo 1 tá sorrindo 😁",
            none(),
        ),
        (
            "GBPUSD take partial profits now\n30% off the table 💵",
            close(Some(0.3)).symbol("GBPUSD"),
        ),
        (
            "Alle offenen Positionen auf Break-even stellen ✅",
            modify_sl(StopLoss::Breakeven),
        ),
        (
            "I just aped into $FET spot at 0.54 🧠 join me if you like the setup\nSL 0.49\nTargets 0.62 / 0.70",
            open("FET", Buy, Market)
                .entry(price(0.54))
                .sl(sl(0.49))
                .tp(&[0.62, 0.7]),
        ),
        // Lingala; a sender's tag by role before a reply or a bare level.
        ("BUY GOLD SIKOYO 🟢🟢", open("XAUUSD", Buy, Market)),
        (
            "Bobima na EURUSD sikoyo, ezali kokende malamu te ❌",
            close(Some(1.0)).symbol("EURUSD"),
        ),
        (
            "[Admin Christian] ↩️ Reply to: Gold buy now 🟢 SL 4028 TP 4045 / 4060\nFermez tout ✅ +25 pips",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "[print] Minha conta hoje: +$1.240 no XAUUSD 🥇 entrei 4055 saí 4072",
            none(),
        ),
        // "BE the rest" after a report; a lesson's word later in its heading; the stop crossed.
        (
            "US30 TP1 ✅ +100 points. BE the rest 🔒",
            modify_sl(StopLoss::Breakeven).symbol("US30"),
        ),
        (
            "Petit rappel pédagogique : sécuriser un trade, ce n'est pas le clôturer. C'est mettre le SL à l'entrée.",
            none(),
        ),
        ("Gold Short 4276 → SL ❌ -90 Pips. Weiter geht's.", none()),
        (
            "Petróleo: USOIL venta desde 61.40 llegó a 59.90 ✅ todos los TP",
            none(),
        ),
        // The reader advised to copy an exit; a member's take with thanks; a coin after its order.
        (
            "WLD шорт закрыл руками на 0.71, рекомендую тоже выходить",
            close(Some(1.0)).symbol("WLD"),
        ),
        ("Thank you sir, half book kar liya 🙏🙏", none()),
        (
            "Лимитку на SOL по 142 снимаем, не дошло",
            close(Some(1.0)).symbol("SOL"),
        ),
        // A stop named new gives the targets under it as they stand; French "or" before a level.
        (
            "GOLD 🟡\nالستوب الجديد 4112\nالأهداف: 4135 - 4150",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .sl(sl(4112.0))
                .tp(&[4135.0, 4150.0]),
        ),
        (
            "Nouvel objectif or : 4200 🎯",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4200.0]),
        ),
        // Hungarian: a case ending on a number, the first person, "is" (too), "helyett".
        (
            "Arany SL-t feljebb húzom 4066-ra, nem akarom hogy visszajöjjön",
            kind(SignalKind::Modify).symbol("XAUUSD").sl(sl(4066.0)),
        ),
        (
            "NAS maradékát is zárjátok, nem tetszik ez a visszapattanás",
            close(Some(1.0)).symbol("NAS100"),
        ),
        (
            "SL módosítás: 4215 helyett 4209 📝",
            kind(SignalKind::Modify).sl(sl(4209.0)),
        ),
        (
            "NAS100 eladás 25 180-ról, SL 25 260, TP 25 020 és 24 900. Szerintem az Nvidia után jön a korrekció",
            open("NAS100", Sell, Market)
                .entry(price(25180.0))
                .sl(sl(25260.0))
                .tp(&[25020.0, 24900.0]),
        ),
        // A plan dropped; a close's price after "here"; French "étend" with a pip target.
        (
            "Cancelado o plano de compra no ouro que comentei na live, o cenário mudou. Não mandei sinal e não vou mandar hoje.",
            none(),
        ),
        (
            "$SUI close it here guys 1.66 ✅ not greedy",
            close(Some(1.0)).symbol("SUI"),
        ),
        (
            "OR : on étend le TP3 à +80 pips 🎯 le momentum est là",
            Want {
                tp: Some(vec![Target::Pips { pips: 80.0 }]),
                ..kind(SignalKind::Modify).symbol("XAUUSD")
            },
        ),
        // Nothing open; a trade not taken; the levels named as awaited; a price ticked as a target.
        (
            "For those asking about the Dow: I'm flat. Covered my US30 short from 47560 yesterday at +160, nothing open now.",
            none(),
        ),
        (
            "Got a lot of DMs asking why I didn't take the gold short at 4190 — simple, no confirmation on the 15m.",
            none(),
        ),
        (
            "#ETH/USDT SHORT NOW 🔴🔴 details soon",
            open("ETHUSDT", Sell, Market),
        ),
        (
            "ETH batendo 3350 ✅ primeiro alvo da compra de 3180-3220. Próximo 3500 🚀",
            none(),
        ),
        // "Ari" is gold in capitals or in an Albanian message, a name elsewhere.
        ("Thanks Ari, close half", close(Some(0.5))),
        // A partial heading a short message of its own, its trade or "here" after it.
        ("Parciais no ouro 💵", close(None).symbol("XAUUSD")),
        ("Parcial aqui galera 🤑", close(None)),
        ("Partial TP hit on gold ✅", none()),
        // A trade's stop already in profit is trailed, not opened; a copier card's action on a
        // line of its own under the trade it names; an opinion asked with no mark; a verb after
        // its object in the Turkic languages.
        (
            "Gold buy from 4104: SL trail to 4116, TP 4150 / 4165 open",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .sl(sl(4116.0))
                .tp(&[4150.0, 4165.0]),
        ),
        (
            "📡 SignalMirror\n#XAUUSD SELL #1029\n✏️ Modified by provider\nSL: 4138.0\nTP: 4092.0, 4075.0",
            kind(SignalKind::Modify)
                .symbol("XAUUSD")
                .sl(sl(4138.0))
                .tp(&[4092.0, 4075.0]),
        ),
        (
            "my setup for today: eurjpy sell 179.60 sl 180.10 tp 178.80, what do u guys think",
            none(),
        ),
        (
            "Qızıl alışı üçün TP3-ü 4075-ə qaldırırıq 📈",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4075.0]),
        ),
        // Phone shorthand for close and half; lots closed "daripada" (of) the lots held; a
        // number before a unit of time is no level; a copier's close by the provider with its
        // share in brackets, and its command field; the targets said to stay beside a stop
        // moved; a stop at breakeven on a line of its own gives the targets under it.
        ("cls half 👆", close(Some(0.5))),
        ("close hlf gold 🥇", close(Some(0.5)).symbol("XAUUSD")),
        ("Tutup 0.02 lot daripada 0.10", close(Some(0.2))),
        ("I'll update SL in 10 min", none()),
        (
            "📡 SignalMirror\n#XAUUSD SELL #1029\n🛑 Closed by provider (100%)",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "⚙️ PipCopier v2\nSymbol: GBPUSD\nCommand: CLOSE\nVolume: 0.10 / 0.10 lots",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        (
            "⚙️ PipCopier v2\nSymbol: EURUSD\nCommand: MODIFY\nStopLoss: 1.1598\nTakeProfit: 1.1652",
            kind(SignalKind::Modify)
                .symbol("EURUSD")
                .sl(sl(1.1598))
                .tp(&[1.1652]),
        ),
        (
            "Gold: take the stop to entry, target stays 4175.",
            modify_sl(StopLoss::Breakeven)
                .symbol("XAUUSD")
                .tp(&[4175.0]),
        ),
        (
            "Kindly trail SL to 4145 to protect profits. Next target 4200 remains.",
            kind(SignalKind::Modify).sl(sl(4145.0)).tp(&[4200.0]),
        ),
        (
            "GOLD BUY 🟢\nTP1 done ✅\nSL: BE\nTP2: 4150\nTP3: 4170",
            modify_sl(StopLoss::Breakeven)
                .symbol("XAUUSD")
                .tp(&[4150.0, 4170.0]),
        ),
        // A stop of one's own moved before, with thanks or "already"; "to ignore" is no
        // imperative; a market that opened flat closes nothing; long and short in one Chinese
        // character.
        ("moved my SL to BE already, stress free 😎", none()),
        ("Moved my sl to be thx admin 🙏", none()),
        (
            "The structure is too clean to ignore. Taking it now.\n\nEURUSD sell 1.1668, stop 1.1712, targets 1.1610 and 1.1560.",
            open("EURUSD", Sell, Market)
                .entry(price(1.1668))
                .sl(sl(1.1712))
                .tp(&[1.161, 1.156]),
        ),
        (
            "Good morning fam ☀️ gold opened flat, waiting for London. Signals soon.",
            none(),
        ),
        (
            "以太坊 ETHUSDT 空 3340-3360\n止损 3420\n目标 3250 3180",
            open("ETHUSDT", Sell, Market)
                .entry(zone(3340.0, 3360.0))
                .sl(sl(3420.0))
                .tp(&[3250.0, 3180.0]),
        ),
        // The coins most traded, named bare (in capitals where the name is also a word);
        // bitcoin after a coin, in a clause of its own, is the market; a share sold is a close;
        // a student's trade sent for review is someone else's; "to ignore" is no imperative.
        (
            "guys move sl to 0.1545 on doge rn",
            kind(SignalKind::Modify).symbol("DOGE").sl(sl(0.1545)),
        ),
        (
            "Close 1/3 of the LINK position",
            close(Some(0.333)).symbol("LINK"),
        ),
        (
            "Exit the ADA trade. BTC dumping.",
            close(Some(1.0)).symbol("ADA"),
        ),
        ("Please link your account before the webinar", none()),
        (
            "Ein Schüler hat mir seinen Trade zur Besprechung geschickt:\nGER40 Short 23990, SL 24060, TP 23800\nWas meint ihr?",
            none(),
        ),
        (
            "Un élève m'a envoyé son trade : vente NAS100 à 24550, SL 24640, TP 24250.",
            none(),
        ),
        // Lithuanian, a language the parser did not have.
        (
            "Auksas +80 pips 🔥 Perkeliam SL į įėjimą",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "US30 uždarom pusę pozicijos 🟢",
            close(Some(0.5)).symbol("US30"),
        ),
        (
            "Auksas parduoti 4118-4122\nSL 4131\nTP 4110 / 4100 / 4085",
            open("XAUUSD", Sell, Market)
                .entry(zone(4118.0, 4122.0))
                .sl(sl(4131.0))
                .tp(&[4110.0, 4100.0, 4085.0]),
        ),
        // The last target in one word, after one removed; a member's own close, laughed off.
        (
            "TP3 beim Gold gestrichen. Endziel ist jetzt 4172.",
            kind(SignalKind::Modify).symbol("XAUUSD").tp(&[4172.0]),
        ),
        ("I closed everything before news 😅 better safe", none()),
        // A coin's name with a Turkish case ending; an amount is no price; a copy-trading card
        // of the trader copied closing, with its share.
        ("SOL'da kısmi kâr alın", close(None).symbol("SOL")),
        ("ETHUSDT Perpetual | Short | Qty 2.5 ETH", none()),
        (
            "OKX Copy Alerts 🔔\nLead trader reduced position\nBTC-USDT-SWAP  Long\nClosed: 4 / 10 contracts",
            close(Some(0.4)).symbol("BTCUSDT"),
        ),
        (
            "⚠️ Copier\nProvider closed XRPUSDT (Short)\nYour position was closed at 2.1840",
            close(Some(1.0)).symbol("XRPUSDT"),
        ),
        (
            "🏁 Closed by provider\n#ADA/USDT LONG\nResult: +12.4% (10x)",
            none(),
        ),
        // The reply header in the languages.
        (
            "En réponse à : 🟢 ACHAT EURUSD 1.0850 SL 1.0820 TP 1.0900\n\nRemontez le stop à 1.0865",
            modify_sl(StopLoss::Price(1.0865)).symbol("EURUSD"),
        ),
        (
            "Balas ke: 🟢 BUY GOLD 4100 SL 4090 TP 4115\n\nSL naikkan ke 4104",
            modify_sl(StopLoss::Price(4104.0)).symbol("XAUUSD"),
        ),
        (
            "В ответ на: BTCUSDT LONG 96000 SL 94500 TP 98000\n\nСтоп переносим на 96500",
            modify_sl(StopLoss::Price(96500.0)).symbol("BTCUSDT"),
        ),
        // A header-like first line that is not a reply's: the card under it is read.
        (
            "Respuesta a la pregunta de ayer: sí\nORO VENTA 4100 SL 4110 TP 4090",
            open("XAUUSD", Sell, Market)
                .entry(price(4100.0))
                .sl(sl(4110.0))
                .tp(&[4090.0]),
        ),
        (
            "Hedefleri güncelliyoruz: TP1 4391 TP2 4399",
            kind(SignalKind::Modify).tp(&[4391.0, 4399.0]),
        ),
        // Footers and reminders in the languages written without spaces.
        (
            "黄金 做多 4350 止损 4340 止盈 4370\n不构成买卖建议",
            open("XAUUSD", Buy, Market)
                .entry(price(4350.0))
                .sl(sl(4340.0))
                .tp(&[4370.0]),
        ),
        (
            "ドル円の売り（152.90）はまだ保有中です。損切り153.30のまま、触らずにいきましょう。",
            none(),
        ),
        (
            "Lệnh sell GBPJPY từ 202.10 vẫn đang chạy, SL vẫn 202.65. Ae cứ giữ, chưa cần làm gì.",
            none(),
        ),
        ("DOGE 现价平仓，离场观望", close(Some(1.0)).symbol("DOGE")),
        // A target removed with the ones that stay listed is the new list.
        (
            "EURUSD: TP3 cancelled. Targets are now 1.1642 and 1.1668 only",
            kind(SignalKind::Modify)
                .tp(&[1.1642, 1.1668])
                .symbol("EURUSD"),
        ),
        (
            "Scrapping TP3 on the GER40 long, too ambitious. Targets now 23880 and 23920 only.",
            kind(SignalKind::Modify)
                .tp(&[23880.0, 23920.0])
                .symbol("GER40"),
        ),
        ("Remove TP, let it run", none()),
        ("Did everyone catch the SOL entry? Drop a 👍", none()),
        // Hashtags written as phrases; US-style price targets; trimming.
        (
            "#EURUSD #Update #NewSL 1.1600 #ProtectProfits",
            modify_sl(StopLoss::Price(1.16)).symbol("EURUSD"),
        ),
        (
            "#XAUUSD #Update #SLtoBE #RiskFree ✅",
            modify_sl(StopLoss::Breakeven).symbol("XAUUSD"),
        ),
        (
            "#GBPJPY #CloseNow #Exit ❌ #forex",
            close(Some(1.0)).symbol("GBPJPY"),
        ),
        (
            "Shorting EUR/USD here 1.1632\nSL 1.1655\nPT 1.1600 / 1.1575",
            open("EURUSD", Sell, Market)
                .entry(price(1.1632))
                .sl(sl(1.1655))
                .tp(&[1.16, 1.1575]),
        ),
        (
            "Trim 1/2 on gold here 💰",
            close(Some(0.5)).symbol("XAUUSD"),
        ),
        ("Abhi gold sell na karein, support pe hai", none()),
        // The provider's own exit with the word to copy it, in the languages.
        (
            "Io sono uscito dall'oro a 4163, fate lo stesso 👋",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("Main bahar hu, aap bhi exit karo", close(Some(1.0))),
        ("من خارج شدم، شما هم ببندید", close(Some(1.0))),
        (
            "Nimetoka GBPUSD kwa 1.3338, fanyeni hivyo hivyo 👋",
            close(Some(1.0)).symbol("GBPUSD"),
        ),
        ("I closed half, do the same", close(Some(0.5))),
        ("If it breaks 4100 I'm out, do the same", none()),
        // A trailing stop, however it is said, is the stop's move.
        (
            "XAUUSD sl trail to 4331 guys, protect profit",
            modify_sl(StopLoss::Price(4331.0)).symbol("XAUUSD"),
        ),
        (
            "İz süren stop: US30 stop 44160'a",
            modify_sl(StopLoss::Price(44160.0)).symbol("US30"),
        ),
        (
            "ستوب متحرك: الستوب على الذهب إلى ٤٣١٥",
            modify_sl(StopLoss::Price(4315.0)).symbol("XAUUSD"),
        ),
        // An order with its stop, the targets to come.
        (
            "GOLD BUY LIMIT 4150\nSL 4142\nTP will update soon",
            open("XAUUSD", Buy, OrderType::Limit)
                .entry(price(4150.0))
                .sl(sl(4142.0)),
        ),
        (
            "NAS100 abhi sell karo 25120, SL 25230, TP open rakho 🔥",
            open("NAS100", Sell, Market)
                .entry(price(25120.0))
                .sl(sl(25230.0)),
        ),
        (
            "🤖 TRAILING STOP ACTIVATED\nSymbol: XAUUSD\nSide: BUY\nEntry: 4040\nSL: 4060",
            modify_sl(StopLoss::Price(4060.0)).symbol("XAUUSD"),
        ),
        // A call now whose levels are promised; the coin before "now" and its side.
        (
            "BTC LONG NOW 🚀\nIsolated 25x\nSL & TPs in a few mins, get in",
            open("BTC", Buy, Market),
        ),
        (
            "XRP 지금 롱 들어갑니다. 손절/익절은 곧 공지",
            open("XRP", Buy, Market),
        ),
        ("COMPREN ORO YA 🟢🟢", open("XAUUSD", Buy, Market)),
        (
            "Gold bounced nicely, longs are in profit now, be patient and let them run today",
            none(),
        ),
        (
            "WLD: tomad beneficios ya, todo fuera",
            close(Some(1.0)).symbol("WLD"),
        ),
        // The levels a bare call was missing, headed by the symbol; levels for a named trade.
        (
            "BTC: SL 96200 | TP 98000 / 99500",
            kind(SignalKind::Modify)
                .sl(sl(96200.0))
                .tp(&[98000.0, 99500.0])
                .symbol("BTC"),
        ),
        (
            "Рівні: стоп 842, тейки 868 / 879",
            kind(SignalKind::Modify).sl(sl(842.0)).tp(&[868.0, 879.0]),
        ),
        (
            "BTC short için stop 99400, hedefler 97600 / 96800",
            kind(SignalKind::Modify)
                .sl(sl(99400.0))
                .tp(&[97600.0, 96800.0])
                .symbol("BTC"),
        ),
        (
            "SOL: первый тейк забрали, стоп на 178.2",
            modify_sl(StopLoss::Price(178.2)),
        ),
        (
            "SPX500 chiuso dallo stop a 6835, comunque +15 punti 👍",
            none(),
        ),
        (
            "Günaydın 🌅 Altın 4350 destek üstünde, gün içi alış fırsatı kollayacağız",
            none(),
        ),
        // A card quoted with '>' and what is said under it; reminders; stops that stay.
        (
            "> GOLD SELL 4088-4092\n> SL 4098\n> TP 4080 / 4072\n\nAdjust stop to 4094 please, tighter risk on this",
            modify_sl(StopLoss::Price(4094.0)).symbol("XAUUSD"),
        ),
        (
            "> XAUUSD SELL 4200\n> SL 4210\n> TP 4190 / 4180\n\nTP2 ✅ +200 Pips 🎯",
            none(),
        ),
        ("> GOLD BUY 4150\n> SL 4140\n> TP 4170", none()),
        (
            "Reminder: our GOLD sell from 4130 is still running, SL stays at 4140. No new entries please.",
            none(),
        ),
        (
            "SL stays at 4140, TP moved to 4100",
            kind(SignalKind::Modify).tp(&[4100.0]),
        ),
        ("روی طلا زیر ۴۰۵۰ فروش نزنید! حمایت قوی است.", none()),
        ("สมาชิกถาม: ยังซื้อ EURUSD ที่ 1.1600 ได้ไหมครับ", none()),
        (
            "Encaminhada de Trader Lobo VIP: COMPRA XAUUSD 4090 SL 4080 TP 4110 — não é sinal nosso!",
            none(),
        ),
        // A stop moved to a target named in words, the trade named after; a stop named with no
        // level of its own beside a target is no order.
        (
            "رفع الستوب إلى الهدف الأول 4339 في شراء الذهب",
            modify_sl(StopLoss::Price(4339.0)).symbol("XAUUSD"),
        ),
        (
            "استاپ روی تارگت اول 4311 (فروش طلا)",
            modify_sl(StopLoss::Price(4311.0)).symbol("XAUUSD"),
        ),
        (
            "Стоп на уровень первого тейка 4306 (шорт по золоту)",
            none(),
        ),
        (
            "USDCAD: I'm tightening the stop on the short to 1.4020. We're 60 pips in and I don't want to give that back into the NFP.",
            modify_sl(StopLoss::Price(1.402)).symbol("USDCAD"),
        ),
        // Some profit taken, in Polish, Romanian and Czech.
        ("zbierzcie trochę zysku tutaj 🤑", close(None)),
        ("Luați niște profit aici 🤑", close(None)),
        (
            "Zavřete 60 % pozice na zlatě",
            close(Some(0.6)).symbol("XAUUSD"),
        ),
        // A card under the reply arrow; Hinglish verbs after their levels; new targets.
        (
            "↩️ XAUUSD BUY 4371\nSL 4360\nTP 4385\n\nأغلقوا هذه الصفقة الآن",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "NAS100 update: SL 18540 aur TP 18720 kar do",
            kind(SignalKind::Modify)
                .sl(sl(18540.0))
                .tp(&[18720.0])
                .symbol("NAS100"),
        ),
        ("BE kar lo sab log, jaldi", modify_sl(StopLoss::Breakeven)),
        (
            "Gold buy ke naye TP 👇\n4412\n4430",
            kind(SignalKind::Modify)
                .tp(&[4412.0, 4430.0])
                .symbol("XAUUSD"),
        ),
        ("we will be moving SL soon", none()),
        // The provider's own entry offered; a hypothetical; placeholders are no hedge.
        (
            "Guys I just entered GOLD sell at 4232, you can join me. SL 4240, TP 4220 and 4208.",
            open("XAUUSD", Sell, Market)
                .entry(price(4232.0))
                .sl(sl(4240.0))
                .tp(&[4220.0, 4208.0]),
        ),
        (
            "JOIN VIP NOW — get signals like GOLD BUY 2350 SL 2340 TP 2380 every day! DM @admin",
            none(),
        ),
        (
            "Ben olsam GBPUSD'de 1.3410'dan satış düşünürdüm, SL 1.3450, ama bugün işlem yok — veri var.",
            none(),
        ),
        (
            "US30 compra ya\nSL pronto\nTP pronto",
            open("US30", Buy, Market),
        ),
        // Management in Russian, Ukrainian, Hindi, Urdu, Bengali, Persian, French.
        (
            "Скидываем 25% по BTC/USDT",
            close(Some(0.25)).symbol("BTCUSDT"),
        ),
        (
            "Я вийшов із золота на 4397, раджу зробити те саме",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        ("SL को एंट्री पर शिफ्ट करो", modify_sl(StopLoss::Breakeven)),
        ("بریک ایون کر لیں سب 👍", modify_sl(StopLoss::Breakeven)),
        ("ট্রেইলিং স্টপ 4373 এ তুলুন", modify_sl(StopLoss::Price(4373.0))),
        (
            "On sécurise : stop à l'entrée",
            modify_sl(StopLoss::Breakeven),
        ),
        // Traditional Chinese; a target removed with the stop given too.
        (
            "黃金多單 停損上移到 4145",
            modify_sl(StopLoss::Price(4145.0)).symbol("XAUUSD"),
        ),
        (
            "恒指 HK50 沽 26250-26300\n止蝕 26420\n目標 26100 / 25950",
            open("HK50", Sell, Market)
                .entry(zone(26250.0, 26300.0))
                .sl(sl(26420.0))
                .tp(&[26100.0, 25950.0]),
        ),
        (
            "Gold: TP3 streichen, letztes Ziel 4098. SL 4121",
            kind(SignalKind::Modify)
                .sl(sl(4121.0))
                .tp(&[4098.0])
                .symbol("XAUUSD"),
        ),
        (
            "Gold TP3 cancel, only keep TP1 4163 TP2 4170",
            kind(SignalKind::Modify)
                .tp(&[4163.0, 4170.0])
                .symbol("XAUUSD"),
        ),
        // A move or the trades, plural, heading the levels: a modify, not a new trade.
        (
            "Adjusting the gold short:\nSL 4172\nTP 4121 / 4108",
            kind(SignalKind::Modify)
                .sl(sl(4172.0))
                .tp(&[4121.0, 4108.0])
                .symbol("XAUUSD"),
        ),
        (
            "Gold longs: SL to 4158, TPs now 4172 / 4185",
            kind(SignalKind::Modify)
                .sl(sl(4158.0))
                .tp(&[4172.0, 4185.0])
                .symbol("XAUUSD"),
        ),
        // A personal trade "not a signal", a negation before the symbol and its side, a Turkish
        // stop hit; Hindi's "ne" is no negation.
        (
            "Kişisel işlemim: NAS100'de 24950'den long taşıyorum, sinyal değil, kopyalamayın.",
            none(),
        ),
        (
            "Bitte jetzt KEIN Gold kaufen bei 4310, viel zu überkauft.",
            none(),
        ),
        (
            "GBPUSD SATIŞ 1.3310 ❌ stop oldu 1.3345. Yarın devam.",
            none(),
        ),
        (
            "Main ne gold sell 4148 pe close kar di hai, aap bhi nikal jayen",
            close(Some(1.0)).symbol("XAUUSD"),
        ),
        (
            "Gold Short:\nSL 4118\nTP 4098\nTP 4085",
            kind(SignalKind::Modify)
                .sl(sl(4118.0))
                .tp(&[4098.0, 4085.0])
                .symbol("XAUUSD"),
        ),
        (
            "Gold Short: 4125\nSL 4138\nTP 4098",
            open("XAUUSD", Sell, Market)
                .entry(price(4125.0))
                .sl(sl(4138.0))
                .tp(&[4098.0]),
        ),
        // A forward in Russian, a Polish negation in capitals, a Czech personal trade, a Korean
        // stop hit.
        (
            "Пересылаю из канала «Crypto Bulls»: SOL/USDT лонг 180, стоп 172. Я это не беру, для информации.",
            none(),
        ),
        ("NIE kupujemy srebra na 50,50. Za wysoko.", none()),
        (
            "Můj osobní short na NAS100 z 21700, není to signál.",
            none(),
        ),
        ("USDJPY 매도 152.40 손절 152.90 맞음 ❌", none()),
        // A pending order's "don't enter at market" is how to take it; another clause's or
        // another sentence's words are not the instruction's.
        (
            "GOLD BUY LIMIT 3326\nSL 3318\nTP 3332 / 3338\nDon't enter before price comes, wait for the limit only",
            open("XAUUSD", Buy, OrderType::Limit)
                .entry(price(3326.0))
                .sl(sl(3318.0))
                .tp(&[3332.0, 3338.0]),
        ),
        ("GOLD BUY 3326 SL 3318 TP 3338 — don't enter now", none()),
        (
            "🔥 GOLD SELL NOW 🔥\nEntry: 3377 - 3380\nSL: 3386\nTP1: 3372\nNo dulling, enter now!!",
            open("XAUUSD", Sell, Market)
                .entry(zone(3377.0, 3380.0))
                .sl(sl(3386.0))
                .tp(&[3372.0]),
        ),
        (
            "Close all positions. We go again Monday 💪",
            close(Some(1.0)),
        ),
        ("Close all positions on Monday", none()),
        (
            "Remove 30% from the GBPJPY buy",
            close(Some(0.3)).symbol("GBPJPY"),
        ),
        ("Dump half the US30 here", close(Some(0.5)).symbol("US30")),
        (
            "Amend TP on EURGBP to 0.8655, it's struggling at the highs",
            kind(SignalKind::Modify).tp(&[0.8655]).symbol("EURGBP"),
        ),
        // A ticket's levels given by moves with no entry; whom a new target is for.
        (
            "Crude long SL trail to 64.10 and new target 65.80",
            kind(SignalKind::Modify)
                .sl(sl(64.1))
                .tp(&[65.8])
                .symbol("USOIL"),
        ),
        (
            "New TP for those still in gold sell: 4168",
            kind(SignalKind::Modify).tp(&[4168.0]).symbol("XAUUSD"),
        ),
        ("Prenez quelques profits 💶", close(None)),
        ("Keluar dari BTC sekarang", close(Some(1.0)).symbol("BTC")),
        // After a colon, "stop" is the stop's label, not the order's type.
        (
            "EURUSD satış: stop 1.0895, hedef 1.0840",
            kind(SignalKind::Modify)
                .sl(sl(1.0895))
                .tp(&[1.084])
                .symbol("EURUSD"),
        ),
        (
            "EURUSD SELL STOP 1.0895 SL 1.0930 TP 1.0840",
            open("EURUSD", Sell, OrderType::Stop)
                .entry(price(1.0895))
                .sl(sl(1.093))
                .tp(&[1.084]),
        ),
        // The trade and "levels:" heading its levels; lessons, personal positions, expiries.
        (
            "SPX500 short levels: SL 6852, TP 6790 | 6760",
            kind(SignalKind::Modify)
                .sl(sl(6852.0))
                .tp(&[6790.0, 6760.0])
                .symbol("US500"),
        ),
        (
            "Leçon : acheter l'or à 4300 avec un SL à 4290 et un TP à 4330 = ratio 1:3.",
            none(),
        ),
        ("أنا شخصياً عندي شراء على BTC من 62000، ليست توصية.", none()),
        (
            "أمر شراء ليمت على EURUSD عند 1.1520 انتهى بدون تفعيل.",
            none(),
        ),
        ("أغلقوا الباقي، الزخم انتهى", close(Some(1.0))),
        // Samples in adverts and tickets warned of are never opens.
        (
            "Promo 🔥 VIP me aise calls milte hai:\nETH/USDT LONG 3,800 SL 3,700 TP 4,200\nJoin ₹999/month 👉 DM @admin",
            none(),
        ),
        (
            "Promo: 7-day VIP trial 🔥 sample:\nGER40 SELL 24,200 SL 24,280 TP 24,050\n👉 link in bio",
            none(),
        ),
        (
            "Fake channel se bacho ⚠️ hamara sirf ek hi channel hai @ourhub. Koi 'XAUUSD BUY 4150 SL 4140' bhej ke paise maange to block karo",
            none(),
        ),
        (
            "FREE SIGNAL 🔥:\nGOLD BUY 4150\nSL 4140\nTP 4170",
            open("XAUUSD", Buy, Market)
                .entry(price(4150.0))
                .sl(sl(4140.0))
                .tp(&[4170.0]),
        ),
    ]
}

#[test]
fn structure_outweighs_the_words_around_it() {
    for (text, want) in &structure_table() {
        check(text, want, &parse(text));
    }
}
