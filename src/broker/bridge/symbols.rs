//! Which of the terminal's symbols a canonical name (`XAUUSD`) is traded as: brokers add prefixes
//! and suffixes (`XAUUSD.m`, `EURUSDm`, `GOLD#`) or use another name altogether (`GOLD`).
//!
//! Tried in order, each a rule the trace names: the config's override, the name itself (any case),
//! the name with a broker affix, an alias of it with or without an affix. When several symbols fit
//! equally, the affix most of the terminal's symbols carry decides; if that does not, the symbol is
//! refused with the candidates listed, so that the user can choose one in the config.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::parse::{Aliases, currency_pair_in, key_of as key};

/// The longest affix a broker adds (`.cash`, `-ecn`, `micro` stay within it once reduced to
/// letters and digits).
const MAX_AFFIX: usize = 5;

/// How a symbol was resolved, for the log and the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found { broker: String, rule: &'static str },
    Refused { reason: String },
}

/// A broker name and the letters and digits it adds to the key it was matched by.
struct Candidate<'a> {
    name: &'a str,
    affix: String,
}

/// Resolve `canonical` among the terminal's `names`.
pub fn resolve(
    canonical: &str,
    names: &[String],
    overrides: &BTreeMap<String, String>,
    aliases: &Aliases,
) -> Resolution {
    if let Some(configured) = overrides.get(canonical) {
        return match names.iter().find(|n| *n == configured) {
            Some(n) => Resolution::Found {
                broker: n.clone(),
                rule: "configured",
            },
            None => Resolution::Refused {
                reason: format!(
                    "[broker.symbols] maps {canonical} to {configured}, which the terminal does not offer"
                ),
            },
        };
    }
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(canonical)) {
        return Resolution::Found {
            broker: n.clone(),
            rule: "same name",
        };
    }
    let own = key(canonical);
    let by_affix = candidates(names, std::slice::from_ref(&own));
    if let Some(found) = choose(canonical, &by_affix, names, "name with the broker's affix") {
        return found;
    }
    let alias_keys: Vec<String> = aliases
        .keys_for(canonical)
        .filter(|k| **k != own)
        .cloned()
        .collect();
    let by_alias = candidates(names, &alias_keys);
    choose(canonical, &by_alias, names, "alias").unwrap_or_else(|| Resolution::Refused {
        reason: format!(
            "the terminal offers no symbol for {canonical}: map it under [broker.symbols]"
        ),
    })
}

/// The broker names that are one of `keys` with at most [`MAX_AFFIX`] characters around it.
fn candidates<'a>(names: &'a [String], keys: &[String]) -> Vec<Candidate<'a>> {
    let mut found = Vec::new();
    for name in names {
        let k = key(name);
        for want in keys {
            if let Some(at) = k.find(want.as_str())
                && k.len() - want.len() <= MAX_AFFIX
            {
                let affix = format!("{}|{}", &k[..at], &k[at + want.len()..]);
                found.push(Candidate { name, affix });
                break;
            }
        }
    }
    found
}

fn choose(
    canonical: &str,
    found: &[Candidate<'_>],
    names: &[String],
    rule: &'static str,
) -> Option<Resolution> {
    match found {
        [] => None,
        [one] => Some(Resolution::Found {
            broker: one.name.to_string(),
            rule,
        }),
        several => {
            let usual = usual_affix(names);
            let mut fitting = several.iter().filter(|c| Some(&c.affix) == usual.as_ref());
            match (fitting.next(), fitting.next()) {
                (Some(one), None) => Some(Resolution::Found {
                    broker: one.name.to_string(),
                    rule,
                }),
                _ => {
                    let listed: Vec<&str> = several.iter().map(|c| c.name).collect();
                    Some(Resolution::Refused {
                        reason: format!(
                            "{canonical} could be any of {}: choose one under [broker.symbols]",
                            listed.join(", ")
                        ),
                    })
                }
            }
        }
    }
}

/// The affix the terminal's currency pairs carry most often (`|m` for `EURUSDm`, `|` for none).
fn usual_affix(names: &[String]) -> Option<String> {
    const MAJORS: [&str; 7] = [
        "eurusd", "gbpusd", "usdjpy", "usdchf", "audusd", "usdcad", "nzdusd",
    ];
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in candidates(names, &MAJORS.map(String::from)) {
        *counts.entry(c.affix).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(affix, _)| affix)
}

/// The symbols SignalOS trades at this terminal: canonical name ↔ the broker's name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SymbolMap {
    to_broker: BTreeMap<String, String>,
    to_canonical: HashMap<String, String>,
}

/// A symbol that could not be mapped, and why (for the log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    pub canonical: String,
    pub reason: String,
    /// The user asked for it (`[broker.symbols]`): worth a warning, not just a debug line.
    pub configured: bool,
}

impl SymbolMap {
    /// Map every symbol a signal can name that the terminal plausibly offers: the alias table's
    /// symbols, the configured ones, and every currency pair among the terminal's names.
    pub fn build(
        names: &[String],
        overrides: &BTreeMap<String, String>,
        aliases: &Aliases,
    ) -> (SymbolMap, Vec<Unmapped>) {
        let mut wanted: BTreeSet<String> =
            aliases.symbols().into_iter().map(String::from).collect();
        wanted.extend(overrides.keys().cloned());
        wanted.extend(names.iter().filter_map(|n| currency_pair_in(&key(n))));
        let mut map = SymbolMap::default();
        let mut unmapped = Vec::new();
        for canonical in wanted {
            match resolve(&canonical, names, overrides, aliases) {
                Resolution::Found { broker, rule } => {
                    tracing::debug!(%canonical, %broker, rule, "symbol resolved");
                    map.insert(canonical, broker);
                }
                Resolution::Refused { reason } => unmapped.push(Unmapped {
                    configured: overrides.contains_key(&canonical),
                    canonical,
                    reason,
                }),
            }
        }
        (map, unmapped)
    }

    fn insert(&mut self, canonical: String, broker: String) {
        // Two canonical names for one broker symbol (a bare ticker `BTC` and the pair `BTCUSD`):
        // the one the broker's name spells names it on the way back, else the first mapping.
        let spelled = key(&broker).contains(&key(&canonical))
            && self
                .to_canonical
                .get(&broker)
                .is_none_or(|c| c.len() < canonical.len());
        if spelled {
            self.to_canonical.insert(broker.clone(), canonical.clone());
        } else {
            self.to_canonical
                .entry(broker.clone())
                .or_insert_with(|| canonical.clone());
        }
        self.to_broker.insert(canonical, broker);
    }

    /// The broker's name for a canonical symbol.
    pub fn broker<'a>(&'a self, canonical: &str) -> Option<&'a str> {
        self.to_broker.get(canonical).map(String::as_str)
    }

    /// The canonical name of a broker symbol; a symbol SignalOS does not trade keeps its name.
    pub fn canonical<'a>(&'a self, broker: &'a str) -> &'a str {
        self.to_canonical.get(broker).map_or(broker, String::as_str)
    }

    /// The broker names to subscribe to.
    pub fn broker_names(&self) -> Vec<String> {
        let unique: BTreeSet<&String> = self.to_broker.values().collect();
        unique.into_iter().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.to_broker.len()
    }

    pub fn is_empty(&self) -> bool {
        self.to_broker.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn found(canonical: &str, list: &[&str]) -> Resolution {
        resolve(
            canonical,
            &names(list),
            &BTreeMap::new(),
            Aliases::built_in(),
        )
    }

    fn broker(r: Resolution) -> String {
        match r {
            Resolution::Found { broker, .. } => broker,
            Resolution::Refused { reason } => panic!("refused: {reason}"),
        }
    }

    #[test]
    fn broker_affixes_are_found() {
        let cases = [
            (
                "XAUUSD",
                &["EURUSD.m", "XAUUSD.m", "XAGUSD.m"][..],
                "XAUUSD.m",
            ),
            ("EURUSD", &["EURUSDm", "GBPUSDm"][..], "EURUSDm"),
            ("XAUUSD", &["EURUSD", "GOLD#"][..], "GOLD#"),
            ("XAUUSD", &["EURUSD", "GOLD"][..], "GOLD"),
            ("US30", &["US30.cash", "EURUSD"][..], "US30.cash"),
            ("NAS100", &["USTEC", "EURUSD"][..], "USTEC"),
            ("xauusd", &["XAUUSD", "XAUUSD.m"][..], "XAUUSD"),
        ];
        for (canonical, list, want) in cases {
            assert_eq!(
                broker(found(canonical, list)),
                want,
                "{canonical} in {list:?}"
            );
        }
    }

    #[test]
    fn the_usual_affix_settles_a_tie() {
        let list = [
            "EURUSD.pro",
            "GBPUSD.pro",
            "USDJPY.pro",
            "EURUSD.m",
            "XAUUSD.m",
            "XAUUSD.pro",
        ];
        assert_eq!(broker(found("XAUUSD", &list)), "XAUUSD.pro");
    }

    #[test]
    fn an_unsettled_tie_or_nothing_is_refused_with_the_way_out() {
        match found("XAUUSD", &["XAUUSD.a", "XAUUSD.b"]) {
            Resolution::Refused { reason } => {
                assert!(reason.contains("XAUUSD.a, XAUUSD.b"), "{reason}");
                assert!(reason.contains("[broker.symbols]"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            found("XAUUSD", &["EURUSD", "XAUUSDT_PERPETUAL"]),
            Resolution::Refused { .. }
        ));
    }

    #[test]
    fn a_configured_name_wins_and_must_exist() {
        let overrides = BTreeMap::from([("XAUUSD".to_string(), "GOLDmicro".to_string())]);
        let list = names(&["XAUUSD", "GOLDmicro"]);
        assert_eq!(
            resolve("XAUUSD", &list, &overrides, Aliases::built_in()),
            Resolution::Found {
                broker: "GOLDmicro".into(),
                rule: "configured"
            }
        );
        let missing = resolve(
            "XAUUSD",
            &names(&["XAUUSD"]),
            &overrides,
            Aliases::built_in(),
        );
        assert!(
            matches!(&missing, Resolution::Refused { reason } if reason.contains("GOLDmicro")),
            "{missing:?}"
        );
    }
}

#[cfg(test)]
mod map_tests {
    use super::*;

    #[test]
    fn a_map_covers_aliases_pairs_and_overrides_both_ways() {
        let names: Vec<String> = [
            "XAUUSDm",
            "EURUSDm",
            "AUDNZDm",
            "GBPUSDm",
            "USDJPYm",
            "DE40.cash",
            "ZZZ",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let overrides = BTreeMap::from([("GER40".to_string(), "DE40.cash".to_string())]);
        let (map, unmapped) = SymbolMap::build(&names, &overrides, Aliases::built_in());
        assert_eq!(map.broker("XAUUSD"), Some("XAUUSDm"));
        // A pair no alias names is found because the terminal offers it.
        assert_eq!(map.broker("AUDNZD"), Some("AUDNZDm"));
        assert_eq!(map.broker("GER40"), Some("DE40.cash"));
        assert_eq!(map.canonical("EURUSDm"), "EURUSD");
        assert_eq!(map.canonical("ZZZ"), "ZZZ");
        assert!(map.broker_names().contains(&"USDJPYm".to_string()));
        // Symbols this broker lacks are listed, not configured, with the way out.
        let jp = unmapped.iter().find(|u| u.canonical == "JP225").unwrap();
        assert!(!jp.configured);
        assert!(jp.reason.contains("[broker.symbols]"), "{}", jp.reason);
    }

    #[test]
    fn a_configured_symbol_the_terminal_lacks_is_flagged() {
        let names = vec!["EURUSD".to_string()];
        let overrides = BTreeMap::from([("XAUUSD".to_string(), "GOLD.x".to_string())]);
        let (map, unmapped) = SymbolMap::build(&names, &overrides, Aliases::built_in());
        assert_eq!(map.broker("XAUUSD"), None);
        let gold = unmapped.iter().find(|u| u.canonical == "XAUUSD").unwrap();
        assert!(
            gold.configured && gold.reason.contains("GOLD.x"),
            "{gold:?}"
        );
    }
}
