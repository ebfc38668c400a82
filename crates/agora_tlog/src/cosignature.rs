//! Witness cosignatures (C2SP `tlog-cosignature`, version 1): a witness that checked a
//! checkpoint is consistent with the last one it saw signs it, with the time, as
//! `— name base64(keyID ‖ timestamp ‖ signature)`. The signed message is
//! `cosignature/v1\ntime <t>\n` followed by the checkpoint's text. A node's witness key is its
//! checkpoint key (Ed25519); the key ID differs by its algorithm byte (0x04).

use crate::{LogError, LogKey};
use base64::{Engine, engine::general_purpose::STANDARD};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The algorithm byte of cosignature/v1 keys.
const ALG_COSIGNATURE_V1: u8 = 0x04;
/// The algorithm byte of signed-note Ed25519 keys.
const ALG_ED25519: u8 = 0x01;

fn key_id(name: &str, public: &[u8; 32]) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ALG_COSIGNATURE_V1]);
    h.update(public);
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

fn message(checkpoint: &str, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{checkpoint}").into_bytes()
}

/// The 32 key bytes after the algorithm byte of a signed-note key's last field, which is
/// field `fields - 1` (base64 may itself hold `+`, names and ids never do).
fn key_bytes(encoded: &str, fields: usize) -> Result<[u8; 32], LogError> {
    let bad = || LogError::MalformedKey("not an Ed25519 signed-note key".into());
    let b64 = encoded
        .splitn(fields, '+')
        .nth(fields - 1)
        .ok_or_else(bad)?;
    let raw = STANDARD.decode(b64).map_err(|_| bad())?;
    match raw.split_first() {
        Some((&ALG_ED25519, rest)) => rest.try_into().map_err(|_| bad()),
        _ => Err(bad()),
    }
}

fn name_of(encoded: &str, skip: usize) -> Result<&str, LogError> {
    encoded
        .split('+')
        .nth(skip)
        .ok_or_else(|| LogError::MalformedKey("no key name".into()))
}

impl LogKey {
    /// This node's cosignature of a checkpoint's text at `time` (seconds since the epoch):
    /// one signature line, to append to the note.
    pub fn cosign(&self, checkpoint: &str, time: u64) -> Result<String, LogError> {
        let name = name_of(&self.secret, 2)?;
        let signing = SigningKey::from_bytes(&key_bytes(&self.secret, 5)?);
        let public = signing.verifying_key().to_bytes();
        let signature = signing.sign(&message(checkpoint, time));
        let mut blob = Vec::with_capacity(4 + 8 + 64);
        blob.extend_from_slice(&key_id(name, &public));
        blob.extend_from_slice(&time.to_be_bytes());
        blob.extend_from_slice(&signature.to_bytes());
        Ok(format!("\u{2014} {name} {}\n", STANDARD.encode(blob)))
    }
}

/// Checks a cosignature line on a checkpoint's text against a witness's published key (its
/// signed-note verifier key, `name+id+base64`); gives the time it was made.
pub fn verify_cosignature(
    line: &str,
    checkpoint: &str,
    witness_key: &str,
) -> Result<u64, LogError> {
    let bad = |why: &str| LogError::BadSignature(why.to_string());
    let name = name_of(witness_key, 0)?;
    let public = key_bytes(witness_key, 3)?;
    let rest = line
        .trim_end_matches('\n')
        .strip_prefix("\u{2014} ")
        .ok_or_else(|| bad("not a signature line"))?;
    let (line_name, b64) = rest
        .split_once(' ')
        .ok_or_else(|| bad("not a signature line"))?;
    if line_name != name {
        return Err(bad("signed by another name"));
    }
    let blob = STANDARD.decode(b64).map_err(|_| bad("not base64"))?;
    if blob.len() != 4 + 8 + 64 || blob[..4] != key_id(name, &public) {
        return Err(bad("not a cosignature/v1 of this key"));
    }
    let time = u64::from_be_bytes(blob[4..12].try_into().map_err(|_| bad("time"))?);
    let signature = Signature::from_slice(&blob[12..]).map_err(|_| bad("signature"))?;
    VerifyingKey::from_bytes(&public)
        .map_err(|_| bad("key"))?
        .verify(&message(checkpoint, time), &signature)
        .map_err(|_| bad("the cosignature does not verify"))?;
    Ok(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_whose_base64_holds_a_plus_sign_still_work() {
        // Base64 uses `+`: a key field split on every `+` would break one key in two.
        for _ in 0..64 {
            let key = LogKey::generate("witness.example").expect("key");
            let line = key.cosign("o\n1\nAA==\n", 7).expect("cosigns");
            assert_eq!(
                verify_cosignature(&line, "o\n1\nAA==\n", &key.public).expect("verifies"),
                7
            );
        }
    }

    #[test]
    fn a_cosignature_verifies_with_the_witness_key_only_and_for_that_checkpoint_only() {
        let witness = LogKey::generate("witness.example").expect("key");
        let other = LogKey::generate("witness.example").expect("key");
        let checkpoint =
            "origin.example/petitions/1/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
        let line = witness.cosign(checkpoint, 1_790_000_000).expect("cosigns");
        assert!(line.starts_with("\u{2014} witness.example "), "{line}");
        assert_eq!(
            verify_cosignature(&line, checkpoint, &witness.public).expect("verifies"),
            1_790_000_000
        );
        assert!(verify_cosignature(&line, checkpoint, &other.public).is_err());
        let changed = checkpoint.replace("\n3\n", "\n4\n");
        assert!(verify_cosignature(&line, &changed, &witness.public).is_err());
        // The node's checkpoint signature is not a cosignature (another key ID, no time).
        let signed = witness
            .sign("origin.example/petitions/1/log", 3, crate::Hash([0; 32]))
            .expect("signs");
        let note_line = signed
            .text()
            .lines()
            .last()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        assert!(verify_cosignature(&note_line, checkpoint, &witness.public).is_err());
    }
}
