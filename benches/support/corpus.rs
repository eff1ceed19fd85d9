//! The labelled messages in tests/fixtures, for the parser's benchmark and profiling example.

pub fn texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut texts = Vec::new();
    for name in ["signals-dev.jsonl", "signals-formats.jsonl"] {
        let Ok(data) = std::fs::read_to_string(dir.join(name)) else {
            continue;
        };
        for line in data.lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(line)
                && let Some(t) = v["text"].as_str()
            {
                texts.push(t.to_string());
            }
        }
    }
    texts
}
