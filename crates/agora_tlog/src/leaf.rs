//! A leaf of a petition's log: what happened, when, and a commitment to whom.

use crate::LogError;
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use std::fmt;

/// What a leaf records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A signature counted.
    Sign,
    /// A signer withdrew it.
    Withdraw,
    /// A moderator invalidated it (fraud).
    Invalidate,
}

impl Event {
    /// The word in the leaf.
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Sign => "sign",
            Event::Withdraw => "withdraw",
            Event::Invalidate => "invalidate",
        }
    }

    /// The event a word names.
    pub fn parse(s: &str) -> Option<Event> {
        match s {
            "sign" => Some(Event::Sign),
            "withdraw" => Some(Event::Withdraw),
            "invalidate" => Some(Event::Invalidate),
            _ => None,
        }
    }
}

/// The signer's secret: 16 random bytes, given to them in their receipt.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Salt(pub [u8; 16]);

impl Salt {
    /// A fresh random salt.
    pub fn random() -> Salt {
        Salt(rand::random())
    }

    /// From its hex form, as a receipt carries it.
    pub fn from_hex(s: &str) -> Option<Salt> {
        let mut out = [0u8; 16];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(Salt(out))
    }

    /// Its hex form.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

// A salt is a secret: it never goes to a log line by accident.
impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Salt(…)")
    }
}

/// A hiding commitment to a signer: SHA-256 of a domain tag, the salt and the signer's
/// ActivityPub id. Without the salt, nobody can tell whose it is, even by trying every known
/// account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Commitment(pub [u8; 32]);

impl Commitment {
    /// The commitment to `signer` under `salt`.
    pub fn new(salt: Salt, signer: &str) -> Commitment {
        let mut h = Sha256::new();
        h.update(b"agora-signer/1\n");
        h.update(salt.0);
        h.update(signer.as_bytes());
        Commitment(h.finalize().into())
    }

    /// From its hex form.
    pub fn from_hex(s: &str) -> Option<Commitment> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(Commitment(out))
    }

    /// Its hex form.
    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

/// One entry of the log. Its bytes are one line: `sign 2026-11-29T20:31:00Z <commitment>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// What happened.
    pub event: Event,
    /// When, to the second.
    pub at: DateTime<Utc>,
    /// To whom, hidden.
    pub commitment: Commitment,
}

impl Leaf {
    /// The bytes that are hashed into the tree and served as the leaf.
    pub fn to_bytes(&self) -> Vec<u8> {
        format!(
            "{} {} {}\n",
            self.event.as_str(),
            self.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            self.commitment.to_hex()
        )
        .into_bytes()
    }

    /// Reads a leaf back from its bytes; anything else than the exact form is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Leaf, LogError> {
        let bad = |why: &str| LogError::MalformedLeaf(why.to_string());
        let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8"))?;
        let line = text
            .strip_suffix('\n')
            .ok_or_else(|| bad("no final newline"))?;
        let mut parts = line.split(' ');
        let (Some(event), Some(at), Some(commitment), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected three fields"));
        };
        let leaf = Leaf {
            event: Event::parse(event).ok_or_else(|| bad("unknown event"))?,
            at: DateTime::parse_from_rfc3339(at)
                .map_err(|_| bad("bad time"))?
                .with_timezone(&Utc),
            commitment: Commitment::from_hex(commitment).ok_or_else(|| bad("bad commitment"))?,
        };
        // One encoding per leaf: what we read must be what we would write.
        if leaf.to_bytes() != bytes {
            return Err(bad("not in canonical form"));
        }
        Ok(leaf)
    }

    /// The leaf's hash in the tree (RFC 6962: SHA-256 of 0x00 and the bytes).
    pub fn hash(&self) -> tlog_tiles::tlog::Hash {
        tlog_tiles::tlog::record_hash(&self.to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaf_reads_back_as_written_and_only_in_that_form() {
        let leaf = Leaf {
            event: Event::Withdraw,
            at: DateTime::parse_from_rfc3339("2026-11-29T20:31:07Z")
                .map(|t| t.with_timezone(&Utc))
                .expect("time"),
            commitment: Commitment::new(Salt([7; 16]), "https://a.example/users/ann"),
        };
        let bytes = leaf.to_bytes();
        assert!(bytes.starts_with(b"withdraw 2026-11-29T20:31:07Z "));
        assert_eq!(Leaf::from_bytes(&bytes).expect("parses"), leaf);
        let text = String::from_utf8(bytes).expect("utf-8");
        for bad in [
            text.replace("withdraw", "Withdraw"),
            text.replace('Z', "+00:00"),
            text.trim_end().to_string(),
            format!("{text}x"),
            text.replace(' ', "  "),
        ] {
            assert!(
                Leaf::from_bytes(bad.as_bytes()).is_err(),
                "{bad:?} was taken"
            );
        }
    }

    #[test]
    fn a_commitment_hides_the_signer_and_binds_the_salt() {
        let ann = "https://a.example/users/ann";
        let (s1, s2) = (Salt([1; 16]), Salt([2; 16]));
        assert_eq!(Commitment::new(s1, ann), Commitment::new(s1, ann));
        assert_ne!(Commitment::new(s1, ann), Commitment::new(s2, ann));
        assert_ne!(
            Commitment::new(s1, ann),
            Commitment::new(s1, "https://a.example/users/bob")
        );
        assert!(!Commitment::new(s1, ann).to_hex().contains("ann"));
        assert_eq!(Salt::from_hex(&s1.to_hex()), Some(s1));
        assert_eq!(format!("{s1:?}"), "Salt(…)");
    }
}
