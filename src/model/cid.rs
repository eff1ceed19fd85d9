//! Client order ids: the name SignalOS gives each request, carried by MT5 as the order comment.
//!
//! A signal's legs are `{instance}-s{seq}-{leg}`, so a position can be traced back to the signal
//! that opened it from the broker's own data, even after a restart.

use std::fmt::Display;

/// The cid of leg `leg` of signal `seq`'s orders.
pub fn signal_cid(instance: &str, seq: u64, leg: impl Display) -> String {
    format!("{instance}-s{seq}-{leg}")
}

/// The signal a cid was made for by [`signal_cid`], if it is one.
pub fn signal_of_cid(cid: &str) -> Option<u64> {
    let mut parts = cid.split('-');
    let (_instance, signal, _leg) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    signal.strip_prefix('s')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_cid_names_its_signal() {
        assert_eq!(signal_of_cid(&signal_cid("k3x9", 41, 2)), Some(41));
        assert_eq!(signal_of_cid(&signal_cid("k3x9", 7, "t1")), Some(7));
    }

    #[test]
    fn other_cids_name_none() {
        for cid in [
            "",
            "k3x9-c12-1000001",
            "k3x9-m5-1000001",
            "k3x9-s-1",
            "k3x9-sx-1",
            "manual",
            "a-s1-2-3",
        ] {
            assert_eq!(signal_of_cid(cid), None, "{cid}");
        }
    }
}
