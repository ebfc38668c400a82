//! RSA key pairs for the HTTP signatures of local actors.

use rsa::{
    RsaPrivateKey, RsaPublicKey,
    pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
};

/// A PEM-encoded key pair.
pub struct KeyPair {
    /// SPKI public key, as published on the actor.
    pub public_pem: String,
    /// PKCS#8 private key, kept in the database.
    pub private_pem: String,
}

/// Makes a 2048-bit RSA key pair, as Mastodon does. Slow (tens of milliseconds): call it from a
/// blocking context.
pub fn generate() -> Result<KeyPair, String> {
    let mut rng = rand::thread_rng();
    let private = RsaPrivateKey::new(&mut rng, 2048).map_err(|e| e.to_string())?;
    let public = RsaPublicKey::from(&private);
    Ok(KeyPair {
        public_pem: public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?,
        private_pem: private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?
            .to_string(),
    })
}
