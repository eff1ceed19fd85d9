#[test]
fn corpus_dump() {
    fn norm(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Number(n) => serde_json::json!(n.as_f64()),
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(norm).collect()),
            serde_json::Value::Object(o) => serde_json::Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect()),
            v => v.clone(),
        }
    }
    let data = std::fs::read_to_string("/work/shared/corpus/signals-dev.jsonl").unwrap();
    let (mut ok_n, mut n) = (0, 0);
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap();
        let p = super::parse(text);
        let e = norm(&v["expect"]);
        let got = norm(&serde_json::json!({"kind": p.kind, "symbol": p.symbol, "side": p.side, "order": p.order, "entry": p.entry, "sl": p.sl, "tp": p.tp, "fraction": p.fraction}));
        let mut ok = e["kind"] == got["kind"];
        if e["kind"] == "open" { for k in ["symbol", "side", "order", "entry", "sl", "tp"] { ok &= e[k] == got[k]; } }
        if e["kind"] == "close" { ok &= e["fraction"] == got["fraction"]; }
        if e["kind"] == "modify" { ok &= e["sl"] == got["sl"]; }
        n += 1; if ok { ok_n += 1; continue; }
        println!("{} {} {:?}\n   want {}\n   got  {} conf {}\n   {:?}", if e["kind"] == got["kind"] {"BAD"} else {"KIND"}, v["id"], text.chars().take(80).collect::<String>(), e, got, p.confidence, p.trace);
    }
    println!("{ok_n}/{n}");
}
#[test]
fn dbg_one() {
    let p = super::parse("📍 **Trailing Stop Tightened**\n📋 Strategy: **Bear Scalp Short**\n💱 BTCUSD @ 65334.41\n🔒 SL: 65394.14 ← 65412.8");
    println!("{p:?}");
}
#[test]
fn dbg_re() {
    for (name, r) in [("token", &super::TOKEN_RE), ("result", &super::RESULT_RE), ("pip", &super::PIP_GAIN_RE), ("promo", &super::PROMO_RE), ("hedge", &super::HEDGE_RE), ("update", &super::UPDATE_RE)] {
        println!("{name} {}", r.is_some());
    }
    println!("{:?}", regex::Regex::new(r"(?i)\b(?:tightened|trailing[ ]+stop|updated?|position:)"));
}
#[test]
fn dbg_two() {
    let t = super::normalize("📍 **Trailing Stop Tightened**\n📋 Strategy");
    println!("{t:?} {:?}", super::first_match(&super::UPDATE_RE, &t));
}
