//! Proving knowledge of the bridge's shared secret without sending it (docs/bridge-protocol.md,
//! "Authentication"): each side answers the other's fresh nonce with HMAC-SHA256 over it, so
//! whoever listens on the port or reads the wire learns nothing it can use.

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

/// Random bytes in a nonce; on the wire, twice as many lower-case hex digits.
const NONCE_BYTES: usize = 16;
/// Bytes of an HMAC-SHA256 tag; on the wire, twice as many lower-case hex digits.
const PROOF_BYTES: usize = 32;
/// One label per side, so that one side's proof is never valid as the other's.
const ENGINE_LABEL: &str = "signalos-bridge/2 engine";
const EA_LABEL: &str = "signalos-bridge/2 ea";

/// The shared secret, held only as an HMAC key: nothing can print or send it.
#[derive(Clone)]
pub struct Key(hmac::Key);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

impl Key {
    /// The key is the secret's UTF-8 bytes, as the EA takes them.
    pub fn new(secret: &str) -> Key {
        Key::from_bytes(secret.as_bytes())
    }

    fn from_bytes(bytes: &[u8]) -> Key {
        Key(hmac::Key::new(hmac::HMAC_SHA256, bytes))
    }

    /// The engine's `challenge` proof: over the EA's nonce, then the engine's.
    pub fn engine_proof(&self, ea_nonce: &str, engine_nonce: &str) -> String {
        self.tag_hex(message(ENGINE_LABEL, ea_nonce, engine_nonce).as_bytes())
    }

    /// The EA's `proof`: over the engine's nonce, then the EA's.
    pub fn ea_proof(&self, engine_nonce: &str, ea_nonce: &str) -> String {
        self.tag_hex(message(EA_LABEL, engine_nonce, ea_nonce).as_bytes())
    }

    /// Whether `proof` is the engine's for these nonces, compared in constant time.
    pub fn is_engine_proof(&self, ea_nonce: &str, engine_nonce: &str, proof: &str) -> bool {
        self.verify(
            message(ENGINE_LABEL, ea_nonce, engine_nonce).as_bytes(),
            proof,
        )
    }

    /// Whether `proof` is the EA's for these nonces, compared in constant time.
    pub fn is_ea_proof(&self, engine_nonce: &str, ea_nonce: &str, proof: &str) -> bool {
        self.verify(message(EA_LABEL, engine_nonce, ea_nonce).as_bytes(), proof)
    }

    fn tag_hex(&self, message: &[u8]) -> String {
        hex(hmac::sign(&self.0, message).as_ref())
    }

    fn verify(&self, message: &[u8], proof: &str) -> bool {
        // The format is public, so checking it first leaks nothing about the secret.
        match unhex::<PROOF_BYTES>(proof) {
            Some(tag) => hmac::verify(&self.0, message, &tag).is_ok(),
            None => false,
        }
    }
}

fn message(label: &str, first: &str, second: &str) -> String {
    format!("{label} {first} {second}")
}

/// The operating system's random source did not answer.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed")]
pub struct NoRandomness;

/// A fresh nonce from the operating system's CSPRNG, as 32 lower-case hex digits.
pub fn nonce() -> Result<String, NoRandomness> {
    let mut bytes = [0u8; NONCE_BYTES];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| NoRandomness)?;
    Ok(hex(&bytes))
}

/// Whether `text` is a nonce as the protocol writes one: 32 lower-case hex digits.
pub fn is_nonce(text: &str) -> bool {
    unhex::<NONCE_BYTES>(text).is_some()
}

/// Whether `text` is a proof as the protocol writes one: 64 lower-case hex digits.
pub fn is_proof(text: &str) -> bool {
    unhex::<PROOF_BYTES>(text).is_some()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    text
}

/// `N` bytes from exactly `2 * N` lower-case hex digits; anything else is not ours.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.len() != 2 * N {
        return None;
    }
    let value = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    };
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = value(pair[0])? << 4 | value(pair[1])?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// RFC 4231's HMAC-SHA256 vectors, cases 1, 2, 3 and 6: the ones the EA checks at start.
    #[test]
    fn hmac_sha256_gives_the_rfc_4231_vectors() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 4] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (n, (key, data, expected)) in cases.iter().enumerate() {
            let key = Key::from_bytes(key);
            assert_eq!(key.tag_hex(data), *expected, "case {n}");
            assert!(key.verify(data, expected), "case {n}");
        }
    }

    const EA_NONCE: &str = "000102030405060708090a0b0c0d0e0f";
    const ENGINE_NONCE: &str = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

    /// The proofs are HMACs of exactly the doc's strings (computed here independently, with
    /// Python's hmac module), so an EA written from the doc agrees with the engine.
    #[test]
    fn the_proofs_are_hmacs_of_the_documents_strings() {
        let key = Key::new("a good long secret");
        let engine = key.engine_proof(EA_NONCE, ENGINE_NONCE);
        assert_eq!(
            engine,
            "9fb92755841db3b2520d8f3165e8bdeedefb92db55a322dc7fdcb2308eb3abb5"
        );
        assert_eq!(
            engine,
            key.tag_hex(
                b"signalos-bridge/2 engine 000102030405060708090a0b0c0d0e0f f0e1d2c3b4a5968778695a4b3c2d1e0f"
            )
        );
        let ea = key.ea_proof(ENGINE_NONCE, EA_NONCE);
        assert_eq!(
            ea,
            "8f84417a1e914d766604da081ec9e1eb69aec2ffc2779c2fb44a75d9ba6f7b0b"
        );
        assert_eq!(
            ea,
            key.tag_hex(
                b"signalos-bridge/2 ea f0e1d2c3b4a5968778695a4b3c2d1e0f 000102030405060708090a0b0c0d0e0f"
            )
        );
        assert!(key.is_engine_proof(EA_NONCE, ENGINE_NONCE, &engine));
        assert!(key.is_ea_proof(ENGINE_NONCE, EA_NONCE, &ea));
    }

    #[test]
    fn a_proof_is_good_only_for_its_side_its_nonces_and_its_secret() {
        let key = Key::new("a good long secret");
        let engine = key.engine_proof(EA_NONCE, ENGINE_NONCE);
        let ea = key.ea_proof(ENGINE_NONCE, EA_NONCE);
        // The labels: the engine's proof is no EA proof, and the other way round.
        assert!(!key.is_ea_proof(ENGINE_NONCE, EA_NONCE, &engine));
        assert!(!key.is_engine_proof(EA_NONCE, ENGINE_NONCE, &ea));
        // Another nonce (a replay on a new connection), another secret.
        let fresh = nonce().unwrap();
        assert!(!key.is_ea_proof(&fresh, EA_NONCE, &ea));
        assert!(!Key::new("another long secret").is_ea_proof(ENGINE_NONCE, EA_NONCE, &ea));
        // Not 64 lower-case hex digits: never a proof.
        assert!(!key.is_ea_proof(ENGINE_NONCE, EA_NONCE, &ea.to_uppercase()));
        assert!(!key.is_ea_proof(ENGINE_NONCE, EA_NONCE, &ea[..62]));
        assert!(!key.is_ea_proof(ENGINE_NONCE, EA_NONCE, ""));
        assert!(!is_proof(&format!("{}zz", &ea[..62])));
        assert!(is_proof(&ea));
    }

    #[test]
    fn nonces_are_fresh_lower_case_hex() {
        let (a, b) = (nonce().unwrap(), nonce().unwrap());
        assert!(is_nonce(&a) && is_nonce(&b), "{a} {b}");
        assert_ne!(a, b);
        assert!(!is_nonce(&a.to_uppercase()) || a.chars().all(|c| c.is_ascii_digit()));
        assert!(!is_nonce("0123"));
        assert!(!is_nonce("g00102030405060708090a0b0c0d0e0f"));
        assert!(!is_nonce("00 102030405060708090a0b0c0d0e0f"));
    }

    #[test]
    fn the_key_never_prints_the_secret() {
        assert_eq!(
            format!("{:?}", Key::new("hunter2hunter2")),
            "Key(<redacted>)"
        );
    }
}
