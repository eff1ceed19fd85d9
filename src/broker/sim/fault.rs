//! Faults the simulated EA can inject, to prove the engine copes with a bad link and a bad
//! broker: `--fault SPEC`, several of which combine.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::rng::SplitMix64;
use crate::broker::bridge::wire::MAX_LINE;

/// The kinds, as a user types them, for error messages.
const KINDS: &str = "drop-after:N, delay:MS, execute-then-drop:N, reject:RETCODE[:N], duplicate, garbage:N, algo-off:AFTER_MS:FOR_MS or offline:AFTER_MS:FOR_MS";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection after every N messages sent on it.
    DropAfter(u64),
    /// Hold every `result` and `found` back this long.
    Delay(Duration),
    /// On every Nth new trade, execute it, then drop the connection before its result.
    ExecuteThenDrop(u64),
    /// Refuse every Nth new trade with this return code, without executing it.
    Reject { retcode: u32, every: u64 },
    /// Send every streaming event and every result twice.
    Duplicate,
    /// Write a garbage line after every N messages.
    Garbage(u64),
    /// The trader switches Algo Trading off this long after the simulator starts, and on again
    /// after `for_`: trades are refused with 10027 meanwhile, and `account` says so.
    AlgoOff { after: Duration, for_: Duration },
    /// The terminal loses its trade server this long after the simulator starts, and has it
    /// back after `for_`: trades are refused with 10031 meanwhile, and `account` says so.
    Offline { after: Duration, for_: Duration },
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split(':');
        let kind = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        let bad = |why: String| format!("fault {spec:?}: {why}");
        let arity = |min: usize, max: usize, form: &str| {
            if args.len() < min || args.len() > max {
                Err(bad(format!("expected {form}")))
            } else {
                Ok(())
            }
        };
        let count = |i: usize, form: &str| -> Result<u64, String> {
            let text = args.get(i).copied().unwrap_or_default();
            match text.parse::<u64>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(bad(format!(
                    "{text:?} is not a whole number of at least 1; expected {form}"
                ))),
            }
        };
        match kind {
            "drop-after" => {
                let form = "drop-after:N, e.g. drop-after:20";
                arity(1, 1, form)?;
                Ok(Fault::DropAfter(count(0, form)?))
            }
            "delay" => {
                let form = "delay:MS (milliseconds), e.g. delay:500";
                arity(1, 1, form)?;
                let text = args.first().copied().unwrap_or_default();
                let ms = text.parse::<u64>().map_err(|_| {
                    bad(format!(
                        "{text:?} is not a whole number of milliseconds; expected {form}"
                    ))
                })?;
                Ok(Fault::Delay(Duration::from_millis(ms)))
            }
            "execute-then-drop" => {
                let form = "execute-then-drop:N, e.g. execute-then-drop:3";
                arity(1, 1, form)?;
                Ok(Fault::ExecuteThenDrop(count(0, form)?))
            }
            "reject" => {
                let form = "reject:RETCODE or reject:RETCODE:N, e.g. reject:10019:5";
                arity(1, 2, form)?;
                let text = args.first().copied().unwrap_or_default();
                let retcode = match text.parse::<u32>() {
                    Ok(code) if (10_000..=10_999).contains(&code) => code,
                    _ => {
                        return Err(bad(format!(
                            "{text:?} is not an MT5 return code (10004…10045); expected {form}"
                        )));
                    }
                };
                let every = if args.len() == 2 { count(1, form)? } else { 1 };
                Ok(Fault::Reject { retcode, every })
            }
            "duplicate" => {
                arity(0, 0, "duplicate, with nothing after it")?;
                Ok(Fault::Duplicate)
            }
            "algo-off" | "offline" => {
                let form = format!("{kind}:AFTER_MS:FOR_MS, e.g. {kind}:2000:3000");
                arity(2, 2, &form)?;
                let ms = |i: usize| -> Result<Duration, String> {
                    let text = args.get(i).copied().unwrap_or_default();
                    text.parse::<u64>().map(Duration::from_millis).map_err(|_| {
                        bad(format!(
                            "{text:?} is not a whole number of milliseconds; expected {form}"
                        ))
                    })
                };
                let (after, for_) = (ms(0)?, ms(1)?);
                Ok(if kind == "offline" {
                    Fault::Offline { after, for_ }
                } else {
                    Fault::AlgoOff { after, for_ }
                })
            }
            "garbage" => {
                let form = "garbage:N, e.g. garbage:10";
                arity(1, 1, form)?;
                Ok(Fault::Garbage(count(0, form)?))
            }
            _ => Err(bad(format!(
                "unknown kind {kind:?}; expected one of {KINDS}"
            ))),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::DropAfter(n) => write!(f, "drop-after:{n}"),
            Fault::Delay(d) => write!(f, "delay:{}", d.as_millis()),
            Fault::ExecuteThenDrop(n) => write!(f, "execute-then-drop:{n}"),
            Fault::Reject { retcode, every } => write!(f, "reject:{retcode}:{every}"),
            Fault::Duplicate => f.write_str("duplicate"),
            Fault::Garbage(n) => write!(f, "garbage:{n}"),
            Fault::AlgoOff { after, for_ } => {
                write!(f, "algo-off:{}:{}", after.as_millis(), for_.as_millis())
            }
            Fault::Offline { after, for_ } => {
                write!(f, "offline:{}:{}", after.as_millis(), for_.as_millis())
            }
        }
    }
}

/// What the faults given together make of the `n`th message or trade (counted from 1).
#[derive(Debug, Clone, Default)]
pub(super) struct Faults(Vec<Fault>);

impl Faults {
    pub fn new(faults: Vec<Fault>) -> Self {
        Self(faults)
    }

    /// The connection is closed after its `sent`th message.
    pub fn drop_after(&self, sent: u64) -> bool {
        self.0
            .iter()
            .any(|f| matches!(f, Fault::DropAfter(n) if sent % n == 0))
    }

    /// How long replies (`result`, `found`) are held back: the longest delay given.
    pub fn delay(&self) -> Duration {
        self.0
            .iter()
            .filter_map(|f| match f {
                Fault::Delay(d) => Some(*d),
                _ => None,
            })
            .max()
            .unwrap_or_default()
    }

    /// The `trade`th new trade is executed and then the connection dropped.
    pub fn execute_then_drop(&self, trade: u64) -> bool {
        self.0
            .iter()
            .any(|f| matches!(f, Fault::ExecuteThenDrop(n) if trade % n == 0))
    }

    /// The return code the `trade`th new trade is refused with, if any (the first matching).
    pub fn reject(&self, trade: u64) -> Option<u32> {
        self.0.iter().find_map(|f| match f {
            Fault::Reject { retcode, every } if trade % every == 0 => Some(*retcode),
            _ => None,
        })
    }

    /// Events and results go out twice.
    pub fn duplicate(&self) -> bool {
        self.0.contains(&Fault::Duplicate)
    }

    /// Whether Algo Trading is on, `running` after the simulator started.
    pub fn algo_trading(&self, running: Duration) -> bool {
        !self.0.iter().any(|f| match f {
            Fault::AlgoOff { after, for_ } => within(running, *after, *for_),
            _ => false,
        })
    }

    /// Whether the terminal has its trade server, `running` after the simulator started.
    pub fn connected(&self, running: Duration) -> bool {
        !self.0.iter().any(|f| match f {
            Fault::Offline { after, for_ } => within(running, *after, *for_),
            _ => false,
        })
    }

    /// How many garbage lines follow the `sent`th message.
    pub fn garbage(&self, sent: u64) -> usize {
        self.0
            .iter()
            .filter(|f| matches!(f, Fault::Garbage(n) if sent % n == 0))
            .count()
    }
}

fn within(running: Duration, after: Duration, for_: Duration) -> bool {
    running >= after && running < after + for_
}

/// The `k`th garbage line (counted from 1), newline included: in turn invalid JSON, JSON of an
/// unknown type and bytes that are not UTF-8; every tenth is a line over [`MAX_LINE`] instead.
pub(super) fn garbage_line(k: u64, rng: &mut SplitMix64) -> Vec<u8> {
    let noise = rng.next_u64();
    let mut line = if k % 10 == 0 {
        let mut line = br#"{"type":"tick","padding":""#.to_vec();
        line.resize(MAX_LINE + 16, b'x');
        line.extend_from_slice(br#""}"#);
        line
    } else {
        match k % 3 {
            1 => format!(r#"{{"type":"tick","symbol":"XAU{noise:x}","bid":"#).into_bytes(),
            2 => format!(r#"{{"type":"gossip_{noise:x}","n":{k}}}"#).into_bytes(),
            _ => {
                let mut bytes = vec![0xC3, 0x28, 0xFF, 0xFE];
                // Random bytes, but never a newline: the line must stay one line.
                bytes.extend(noise.to_le_bytes().iter().map(|&b| b.max(b'\n' + 1)));
                bytes
            }
        }
    };
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_and_prints_back() {
        let cases = [
            ("drop-after:20", Fault::DropAfter(20)),
            ("delay:0", Fault::Delay(Duration::ZERO)),
            ("delay:500", Fault::Delay(Duration::from_millis(500))),
            ("execute-then-drop:3", Fault::ExecuteThenDrop(3)),
            (
                "reject:10019",
                Fault::Reject {
                    retcode: 10019,
                    every: 1,
                },
            ),
            (
                "reject:10016:5",
                Fault::Reject {
                    retcode: 10016,
                    every: 5,
                },
            ),
            ("duplicate", Fault::Duplicate),
            ("garbage:10", Fault::Garbage(10)),
            (
                "algo-off:2000:3000",
                Fault::AlgoOff {
                    after: Duration::from_secs(2),
                    for_: Duration::from_secs(3),
                },
            ),
            (
                "offline:0:100",
                Fault::Offline {
                    after: Duration::ZERO,
                    for_: Duration::from_millis(100),
                },
            ),
        ];
        for (spec, fault) in cases {
            assert_eq!(spec.parse::<Fault>(), Ok(fault), "{spec}");
            assert_eq!(fault.to_string().parse::<Fault>(), Ok(fault), "{spec}");
        }
    }

    #[test]
    fn a_bad_spec_is_named_with_what_was_expected() {
        let cases = [
            ("explode", "unknown kind \"explode\""),
            ("", "expected one of drop-after:N"),
            ("drop-after", "expected drop-after:N"),
            ("drop-after:0", "\"0\" is not a whole number of at least 1"),
            ("drop-after:x", "expected drop-after:N"),
            ("drop-after:1:2", "expected drop-after:N"),
            ("delay:-5", "not a whole number of milliseconds"),
            ("execute-then-drop:", "expected execute-then-drop:N"),
            ("reject", "expected reject:RETCODE"),
            ("reject:42", "\"42\" is not an MT5 return code"),
            (
                "reject:10019:0",
                "expected reject:RETCODE or reject:RETCODE:N",
            ),
            ("duplicate:2", "expected duplicate, with nothing after it"),
            ("garbage:lots", "expected garbage:N"),
            ("algo-off:100", "expected algo-off:AFTER_MS:FOR_MS"),
            (
                "algo-off:1:soon",
                "\"soon\" is not a whole number of milliseconds",
            ),
        ];
        for (spec, expected) in cases {
            let error = spec.parse::<Fault>().unwrap_err();
            assert!(
                error.starts_with(&format!("fault {spec:?}: ")),
                "{spec}: {error}"
            );
            assert!(error.contains(expected), "{spec}: {error}");
        }
    }

    #[test]
    fn combined_faults_each_count_on_their_own() {
        let faults = Faults::new(vec![
            Fault::DropAfter(4),
            Fault::Garbage(2),
            Fault::Garbage(3),
            Fault::Reject {
                retcode: 10019,
                every: 2,
            },
            Fault::Reject {
                retcode: 10018,
                every: 3,
            },
            Fault::Delay(Duration::from_millis(10)),
            Fault::Delay(Duration::from_millis(30)),
        ]);
        let drops: Vec<u64> = (1..=9).filter(|&n| faults.drop_after(n)).collect();
        assert_eq!(drops, [4, 8]);
        let garbage: Vec<usize> = (1..=6).map(|n| faults.garbage(n)).collect();
        assert_eq!(garbage, [0, 1, 1, 1, 0, 2]);
        let rejects: Vec<Option<u32>> = (1..=6).map(|n| faults.reject(n)).collect();
        assert_eq!(
            rejects,
            [
                None,
                Some(10019),
                Some(10018),
                Some(10019),
                None,
                Some(10019)
            ]
        );
        assert_eq!(faults.delay(), Duration::from_millis(30));
        assert!(!faults.duplicate() && !faults.execute_then_drop(1));
    }

    #[test]
    fn garbage_lines_are_single_lines_of_every_kind() {
        let mut rng = SplitMix64::new(9);
        for k in 1..=20 {
            let line = garbage_line(k, &mut rng);
            assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1, "line {k}");
            assert_eq!(line.last(), Some(&b'\n'));
            let long = line.len() > MAX_LINE + 1;
            assert_eq!(long, k % 10 == 0, "line {k}");
            let text = std::str::from_utf8(&line);
            assert_eq!(text.is_err(), !long && k % 3 == 0, "line {k}");
        }
    }
}
