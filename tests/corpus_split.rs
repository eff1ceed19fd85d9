//! The held-out split of `fixtures/signals-more.jsonl`: that `signals-more-dev.jsonl` and
//! `signals-more-holdout.jsonl` are exactly the split the rule in `fixtures/LABELS.md` ("Held-out
//! data") gives, that no source group is in both, and that LABELS.md's table of groups is the
//! one the rule gives.
//!
//! Messages from one channel or repository share a format and a labeller's habits, so a group cut
//! in two would leak its format into the held-out half: the split is by group, never by message.
//!
//! After a change to the corpus or the rule, `SIGNALOS_WRITE_SPLIT=1 cargo test --test
//! corpus_split` rewrites the two halves (never LABELS.md: its table is checked, not written).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> String {
    let path = fixture(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The source group of a row's `source`: the GitHub repository (`owner/name:path …` →
/// `owner/name`); for a repository the crawl could not name (`github:(repo unresolved;
/// search-index file id N, …`), the file id, or the id of the file it is said to be
/// "same repo as".
fn group_of(source: &str) -> Option<String> {
    if let Some(rest) = source.strip_prefix("github:(repo unresolved;") {
        let id_after = |marker: &str| {
            let at = rest.find(marker)? + marker.len();
            let digits: String = rest[at..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            (!digits.is_empty()).then_some(digits)
        };
        let id = id_after("same repo as ").or_else(|| id_after("file id "))?;
        return Some(format!("unresolved repo of file id {id}"));
    }
    let (repo, _path) = source.split_once(':')?;
    let (owner, name) = repo.split_once('/')?;
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (plain(owner) && plain(name)).then(|| repo.to_string())
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and every Rust release (std's is
/// neither), so the order of groups of equal size never changes.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Half {
    Dev,
    Holdout,
}

/// Groups from the largest down (equal sizes in the order of their names' FNV-1a hash), each to
/// the half with fewer messages so far, the development half on a tie: the halves come out as
/// even as whole groups allow.
fn assign(sizes: &BTreeMap<String, usize>) -> Vec<(String, usize, Half)> {
    let mut order: Vec<(&String, &usize)> = sizes.iter().collect();
    order.sort_by_key(|(name, size)| (std::cmp::Reverse(**size), fnv1a(name), (*name).clone()));
    let (mut dev, mut holdout) = (0, 0);
    order
        .into_iter()
        .map(|(name, &size)| {
            let half = if dev <= holdout {
                dev += size;
                Half::Dev
            } else {
                holdout += size;
                Half::Holdout
            };
            (name.clone(), size, half)
        })
        .collect()
}

struct Split {
    groups: Vec<(String, usize, Half)>,
    dev: String,
    holdout: String,
}

fn split(corpus: &str) -> Split {
    let rows: Vec<(&str, String)> = corpus
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("signals-more.jsonl:{}: {e}", i + 1));
            let source = v["source"].as_str().unwrap_or("");
            let group = group_of(source).unwrap_or_else(|| {
                panic!(
                    "signals-more.jsonl:{}: no group rule for source {source:?}",
                    i + 1
                )
            });
            (l, group)
        })
        .collect();
    let mut sizes = BTreeMap::new();
    for (_, group) in &rows {
        *sizes.entry(group.clone()).or_insert(0) += 1;
    }
    let groups = assign(&sizes);
    let half_of: BTreeMap<&str, Half> = groups.iter().map(|(g, _, h)| (g.as_str(), *h)).collect();
    let (mut dev, mut holdout) = (String::new(), String::new());
    for (line, group) in &rows {
        let out = match half_of[group.as_str()] {
            Half::Dev => &mut dev,
            Half::Holdout => &mut holdout,
        };
        out.push_str(line);
        out.push('\n');
    }
    Split {
        groups,
        dev,
        holdout,
    }
}

/// The table of LABELS.md's "Held-out data" section, as the rule gives it.
fn table(groups: &[(String, usize, Half)]) -> String {
    let mut out = String::from("| half | source group | messages |\n|---|---|---|\n");
    for want in [Half::Dev, Half::Holdout] {
        let name = match want {
            Half::Dev => "development",
            Half::Holdout => "held out",
        };
        let mut total = 0;
        for (group, size, _) in groups.iter().filter(|(_, _, h)| *h == want) {
            out.push_str(&format!("| {name} | `{group}` | {size} |\n"));
            total += size;
        }
        out.push_str(&format!("| **{name}** | **total** | **{total}** |\n"));
    }
    out
}

#[test]
fn the_two_halves_are_the_split_of_the_corpus_by_source_group() {
    let corpus = read("signals-more.jsonl");
    let s = split(&corpus);
    if std::env::var_os("SIGNALOS_WRITE_SPLIT").is_some() {
        std::fs::write(fixture("signals-more-dev.jsonl"), &s.dev).unwrap();
        std::fs::write(fixture("signals-more-holdout.jsonl"), &s.holdout).unwrap();
    }
    assert!(
        read("signals-more-dev.jsonl") == s.dev,
        "signals-more-dev.jsonl is not the development half of signals-more.jsonl"
    );
    assert!(
        read("signals-more-holdout.jsonl") == s.holdout,
        "signals-more-holdout.jsonl is not the held-out half of signals-more.jsonl"
    );
    let labels = read("LABELS.md");
    let want = table(&s.groups);
    assert!(
        labels.contains(&want),
        "LABELS.md's \"Held-out data\" table should read:\n{want}"
    );
}

#[test]
fn no_source_group_is_in_both_halves_and_every_message_is_in_one() {
    let groups_in = |name: &str| -> BTreeMap<String, usize> {
        let mut groups = BTreeMap::new();
        for line in read(name).lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            let group = group_of(v["source"].as_str().unwrap()).unwrap();
            *groups.entry(group).or_insert(0) += 1;
        }
        groups
    };
    let dev = groups_in("signals-more-dev.jsonl");
    let holdout = groups_in("signals-more-holdout.jsonl");
    let shared: Vec<&String> = dev.keys().filter(|g| holdout.contains_key(*g)).collect();
    assert!(shared.is_empty(), "in both halves: {shared:?}");
    let (d, h): (usize, usize) = (dev.values().sum(), holdout.values().sum());
    let all = read("signals-more.jsonl").lines().count();
    assert_eq!(d + h, all);
    // Roughly equal: no more apart than the largest group could make them.
    assert!(d.abs_diff(h) <= all / 10, "{d} against {h}");
}

#[test]
fn the_group_rule_reads_every_form_of_source() {
    assert_eq!(
        group_of("tartarixinc/TScopier:worker/src/x.test.ts").as_deref(),
        Some("tartarixinc/TScopier")
    );
    assert_eq!(
        group_of("chadyi-king/mission-control-workspace:agents/a.jsonl (CallistoFX, 2026)")
            .as_deref(),
        Some("chadyi-king/mission-control-workspace")
    );
    assert_eq!(
        group_of("github:(repo unresolved; search-index file id 2866845304, test_x.py)").as_deref(),
        Some("unresolved repo of file id 2866845304")
    );
    assert_eq!(
        group_of(
            "github:(repo unresolved; search-index file id 3399463134, same repo as 2866845304, x)"
        )
        .as_deref(),
        Some("unresolved repo of file id 2866845304")
    );
    assert_eq!(group_of("https://example.com/post"), None);
    assert_eq!(group_of("public GitHub test fixture"), None);
}

#[test]
fn groups_go_largest_first_to_the_smaller_half() {
    let sizes: BTreeMap<String, usize> = [("a", 5), ("b", 4), ("c", 3), ("d", 2)]
        .into_iter()
        .map(|(g, n)| (g.to_string(), n))
        .collect();
    let halves: Vec<(String, Half)> = assign(&sizes).into_iter().map(|(g, _, h)| (g, h)).collect();
    let want: Vec<(String, Half)> = [
        ("a", Half::Dev),
        ("b", Half::Holdout),
        ("c", Half::Holdout),
        ("d", Half::Dev),
    ]
    .into_iter()
    .map(|(g, h)| (g.to_string(), h))
    .collect();
    assert_eq!(halves, want);
}

/// The held-out half must be scorable when its time comes: every line a labelled message (checked
/// by reading the labels, not by scoring the half).
#[test]
fn both_halves_are_well_formed_labelled_files() {
    for name in ["signals-more-dev.jsonl", "signals-more-holdout.jsonl"] {
        let text = read(name);
        let corpus = signalos::parse::score::read_corpus(text.as_bytes()).unwrap();
        assert!(
            corpus.bad_lines.is_empty(),
            "{name}: {:?}",
            corpus.bad_lines
        );
        assert_eq!(corpus.messages.len(), text.lines().count(), "{name}");
    }
}
