//! Checkpoints of a log as C2SP signed notes: `origin`, `size` and `root` (base64) on three
//! lines, then a blank line and one signature line per signer (`— name base64(keyid‖sig)`).
//! Go's `sumdb/note` and every tool of the transparency-log ecosystem read them.

use crate::{Hash, LogError};
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};
use tlog_tiles::checkpoint::Checkpoint;

/// The origin line of a log served at `log_url`: the URL without its scheme, as C2SP asks.
pub fn origin_of(log_url: &str) -> &str {
    log_url.split_once("://").map_or(log_url, |(_, rest)| rest)
}

/// A node's Ed25519 key for signing checkpoints, in the signed-note encodings.
#[derive(Clone)]
pub struct LogKey {
    /// `PRIVATE+KEY+name+id+base64`: kept in the database, never served.
    pub secret: String,
    /// `name+id+base64`: published in NodeInfo and on `/about/transparency`.
    pub public: String,
}

// The secret never goes to a log line.
impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogKey")
            .field("public", &self.public)
            .finish()
    }
}

impl LogKey {
    /// A fresh key named after the node (its host name, which signatures carry).
    pub fn generate(name: &str) -> Result<LogKey, LogError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(LogError::MalformedKey(format!(
                "{name:?} cannot name a key"
            )));
        }
        let (secret, public) = signed_note::generate_key(&mut rand::rngs::OsRng, name);
        Ok(LogKey { secret, public })
    }

    /// Signs a checkpoint of the log `origin`: `size` leaves whose root is `root`.
    pub fn sign(&self, origin: &str, size: u64, root: Hash) -> Result<SignedCheckpoint, LogError> {
        let checkpoint = Checkpoint::new(origin, size, root, "")
            .map_err(|e| LogError::MalformedCheckpoint(e.to_string()))?;
        let signer =
            StandardSigner::new(&self.secret).map_err(|e| LogError::MalformedKey(e.to_string()))?;
        let mut note = Note::new(&checkpoint.to_bytes(), &[])
            .map_err(|e| LogError::MalformedCheckpoint(e.to_string()))?;
        note.add_sigs(&[&signer])
            .map_err(|e| LogError::BadSignature(e.to_string()))?;
        Ok(SignedCheckpoint {
            origin: origin.to_string(),
            size,
            root,
            note: note.to_bytes(),
        })
    }
}

/// A checkpoint with its signatures, as served and as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedCheckpoint {
    /// Which log.
    pub origin: String,
    /// How many leaves.
    pub size: u64,
    /// The root of those leaves.
    pub root: Hash,
    /// The signed note, byte for byte.
    pub note: Vec<u8>,
}

impl SignedCheckpoint {
    /// Reads a signed note and checks it is signed by `public_key` (a signed-note verifier
    /// key); other signatures on it (witnesses' cosignatures) are allowed and left aside.
    pub fn verify(note: &[u8], public_key: &str) -> Result<SignedCheckpoint, LogError> {
        let verifier =
            StandardVerifier::new(public_key).map_err(|e| LogError::MalformedKey(e.to_string()))?;
        let parsed =
            Note::from_bytes(note).map_err(|e| LogError::MalformedCheckpoint(e.to_string()))?;
        parsed
            .verify(&VerifierList::new(vec![Box::new(verifier)]))
            .map_err(|e| LogError::BadSignature(e.to_string()))?;
        let checkpoint = Checkpoint::from_bytes(parsed.text())
            .map_err(|e| LogError::MalformedCheckpoint(e.to_string()))?;
        Ok(SignedCheckpoint {
            origin: checkpoint.origin().to_string(),
            size: checkpoint.size(),
            root: *checkpoint.hash(),
            note: note.to_vec(),
        })
    }

    /// The note as text (it is UTF-8 by construction).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.note).into_owned()
    }

    /// The checkpoint itself, without signatures: what signatures and cosignatures sign.
    pub fn body(&self) -> String {
        let text = self.text();
        match text.split_once("\n\n") {
            Some((body, _)) => format!("{body}\n"),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryTree;

    #[test]
    fn a_checkpoint_is_a_c2sp_note_its_key_verifies() {
        let key = LogKey::generate("agora.example").expect("key");
        let mut tree = MemoryTree::new();
        tree.append(b"sign 2026-11-29T20:00:00Z 00\n")
            .expect("append");
        let root = tree.root(1).expect("root");
        let signed = key
            .sign("agora.example/petitions/1/log", 1, root)
            .expect("signs");
        let text = signed.text();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("agora.example/petitions/1/log"));
        assert_eq!(lines.next(), Some("1"));
        assert_eq!(lines.next().map(str::len), Some(44), "base64 of 32 bytes");
        assert_eq!(lines.next(), Some(""));
        assert!(
            lines
                .next()
                .is_some_and(|l| l.starts_with("\u{2014} agora.example "))
        );
        let read = SignedCheckpoint::verify(&signed.note, &key.public).expect("verifies");
        assert_eq!(read, signed);
        assert!(!format!("{key:?}").contains("PRIVATE"));
    }

    #[test]
    fn another_key_or_a_changed_size_does_not_verify() {
        let key = LogKey::generate("agora.example").expect("key");
        let other = LogKey::generate("agora.example").expect("key");
        let signed = key
            .sign("agora.example/petitions/1/log", 3, crate::Hash([9; 32]))
            .expect("signs");
        assert!(SignedCheckpoint::verify(&signed.note, &other.public).is_err());
        let forged = signed.text().replacen("\n3\n", "\n4\n", 1);
        assert!(SignedCheckpoint::verify(forged.as_bytes(), &key.public).is_err());
        assert!(SignedCheckpoint::verify(b"not a note", &key.public).is_err());
        assert!(LogKey::generate("two words").is_err());
    }
}
