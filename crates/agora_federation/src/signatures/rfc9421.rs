//! RFC 9421 HTTP Message Signatures, as Mastodon (since 4.5) and Fedify send them, verified
//! with the `httpsig` crate: `Signature-Input` and `Signature` headers, a signature base built
//! from the covered components, `rsa-v1_5-sha256`, and the body's `Content-Digest` (RFC 9530).

use super::RequestParts;
use crate::error::FederationError;
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use httpsig::prelude::{
    AlgorithmName, HttpSignatureBase, HttpSignatureHeaders, PublicKey,
    message_component::{DerivedComponentName, HttpMessageComponent, HttpMessageComponentName},
};
use sha2::{Digest, Sha256, Sha512};

fn refused(reason: &'static str, message: impl Into<String>) -> FederationError {
    FederationError::refused(401, reason, message)
}

/// A parsed RFC 9421 signature, its base rebuilt from the request, ready to verify.
pub struct MessageSignature {
    /// The key's id.
    pub key_id: String,
    /// `created`, if given.
    pub created: Option<i64>,
    headers: HttpSignatureHeaders,
    base: HttpSignatureBase,
}

/// Parses the first signature of a request and rebuilds its signature base. `scheme` is ours:
/// the sender signed the URL it posted to, which is on this node.
pub fn parse(req: &RequestParts, scheme: &str) -> Result<MessageSignature, FederationError> {
    let header = |name: &str| req.headers.get(name).map(String::as_str);
    let (Some(signature), Some(input)) = (header("signature"), header("signature-input")) else {
        return Err(refused(
            "signature_missing",
            "RFC 9421 needs both Signature and Signature-Input",
        ));
    };
    let map = HttpSignatureHeaders::try_parse(signature, input)
        .map_err(|e| refused("signature_malformed", format!("Signature-Input: {e}")))?;
    let (_, headers) = map
        .into_iter()
        .next()
        .ok_or_else(|| refused("signature_malformed", "no signature in Signature-Input"))?;
    let params = headers.signature_params().clone();
    let key_id = params
        .keyid
        .clone()
        .ok_or_else(|| refused("signature_malformed", "Signature-Input has no keyid"))?;
    if let Some(alg) = &params.alg
        && alg != "rsa-v1_5-sha256"
    {
        return Err(refused(
            "signature_algorithm",
            format!("unsupported algorithm `{alg}`; use rsa-v1_5-sha256"),
        ));
    }

    let authority = header("host").unwrap_or_default().to_ascii_lowercase();
    let (path, query) = match req.path_and_query.split_once('?') {
        Some((p, q)) => (p.to_string(), format!("?{q}")),
        None => (req.path_and_query.clone(), "?".to_string()),
    };
    let mut covered = Vec::new();
    let mut lines = Vec::with_capacity(params.covered_components.len());
    for id in &params.covered_components {
        let values: Vec<String> = match &id.name {
            HttpMessageComponentName::Derived(derived) => {
                covered.push(String::from(derived.clone()));
                vec![match derived {
                    DerivedComponentName::Method => req.method.clone(),
                    DerivedComponentName::TargetUri => {
                        format!("{scheme}://{authority}{}", req.path_and_query)
                    }
                    DerivedComponentName::Authority => authority.clone(),
                    DerivedComponentName::Scheme => scheme.to_string(),
                    DerivedComponentName::RequestTarget => req.path_and_query.clone(),
                    DerivedComponentName::Path => path.clone(),
                    DerivedComponentName::Query => query.clone(),
                    other => {
                        return Err(refused(
                            "signature_coverage",
                            format!("cannot verify component {}", String::from(other.clone())),
                        ));
                    }
                }]
            }
            HttpMessageComponentName::HttpField(name) => {
                let name = name.to_ascii_lowercase();
                covered.push(name.clone());
                let value = header(&name).ok_or_else(|| {
                    refused(
                        "signature_malformed",
                        format!("signed header `{name}` is missing"),
                    )
                })?;
                vec![value.to_string()]
            }
        };
        let line = HttpMessageComponent::try_from((id, values.as_slice()))
            .map_err(|e| refused("signature_malformed", format!("component {id}: {e}")))?;
        lines.push(line);
    }
    let has = |c: &str| covered.iter().any(|x| x == c);
    if !has("@method") || !(has("@target-uri") || has("@path") || has("@request-target")) {
        return Err(refused(
            "signature_coverage",
            "the signature must cover @method and @target-uri",
        ));
    }
    if req.method.eq_ignore_ascii_case("POST") && !has("content-digest") {
        return Err(refused(
            "signature_coverage",
            "the signature of a POST must cover content-digest",
        ));
    }
    let base = HttpSignatureBase::try_new(&lines, &params)
        .map_err(|e| refused("signature_malformed", e.to_string()))?;
    Ok(MessageSignature {
        key_id,
        created: params.created.map(|c| c as i64),
        headers,
        base,
    })
}

impl MessageSignature {
    /// Checks `created` against our clock and `expires`.
    pub fn check_freshness(&self, now: i64, max_skew_secs: i64) -> Result<(), FederationError> {
        let created = self
            .created
            .ok_or_else(|| refused("date_missing", "Signature-Input has no created"))?;
        if (now - created).abs() > max_skew_secs {
            return Err(refused(
                "date_skew",
                format!("created is {}s away from our clock", now - created),
            ));
        }
        if self.headers.signature_params().is_expired() {
            return Err(refused("signature_expired", "the signature has expired"));
        }
        Ok(())
    }

    /// Verifies the signature with an RSA public key (PEM).
    pub fn verify(&self, public_key_pem: &str) -> bool {
        let Ok(key) = PublicKey::from_pem(&AlgorithmName::RsaV1_5Sha256, public_key_pem) else {
            return false;
        };
        self.base
            .verify_signature_headers(&key, &self.headers)
            .is_ok()
    }
}

/// Checks `Content-Digest` (`sha-256=:…:` or `sha-512=:…:`) against the body.
pub fn check_content_digest(req: &RequestParts, body: &[u8]) -> Result<(), FederationError> {
    let header = req
        .headers
        .get("content-digest")
        .ok_or_else(|| refused("digest_missing", "Content-Digest header missing"))?;
    let mut checked = false;
    for part in header.split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches(':');
        let expected = match alg.trim().to_ascii_lowercase().as_str() {
            "sha-256" => B64.encode(Sha256::digest(body)),
            "sha-512" => B64.encode(Sha512::digest(body)),
            _ => continue,
        };
        if value != expected {
            return Err(refused(
                "digest_mismatch",
                "Content-Digest does not match the body",
            ));
        }
        checked = true;
    }
    if checked {
        Ok(())
    } else {
        Err(refused(
            "digest_missing",
            "Content-Digest has no sha-256 or sha-512 value",
        ))
    }
}
