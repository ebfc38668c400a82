//! RFC 9421 HTTP Message Signatures, as Mastodon (since 4.5) and Fedify send them, verified
//! with the `httpsig` crate: `Signature-Input` and `Signature` headers, a signature base built
//! from the covered components, `rsa-v1_5-sha256`, and the body's `Content-Digest` (RFC 9530).
//!
//! The last line of the signature base, `"@signature-params"`, is the `Signature-Input` member
//! exactly as the sender wrote it (RFC 9421 §2.3). `httpsig` rebuilds it from the parsed
//! parameters in an order of its own (`created` first), which differs from Fedify's
//! (`alg`, `keyid`, `created`): we take the line as sent, so any order verifies.

use super::RequestParts;
use crate::error::{FederationError, Reason};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use httpsig::prelude::{
    HttpSignatureHeaders,
    message_component::{DerivedComponentName, HttpMessageComponent, HttpMessageComponentName},
};
use sha2::{Digest, Sha256, Sha512};

/// A parsed RFC 9421 signature, its base rebuilt from the request, ready to verify.
pub struct MessageSignature {
    /// The key's id.
    pub key_id: String,
    /// `created`, if given.
    pub created: Option<u64>,
    /// `expires`, if given.
    pub expires: Option<u64>,
    /// The signature base: what the sender signed.
    base: String,
    /// The signature bytes.
    signature: Vec<u8>,
}

/// Parses the first signature of a request and rebuilds its signature base. `scheme` is ours:
/// the sender signed the URL it posted to, which is on this node.
pub fn parse(req: &RequestParts, scheme: &str) -> Result<MessageSignature, FederationError> {
    let header = |name: &str| req.headers.get(name).map(String::as_str);
    let (Some(signature), Some(input)) = (header("signature"), header("signature-input")) else {
        return Err(FederationError::refused(
            Reason::SignatureMissing,
            "RFC 9421 needs both Signature and Signature-Input",
        ));
    };
    let map = HttpSignatureHeaders::try_parse(signature, input).map_err(|e| {
        FederationError::refused(Reason::SignatureMalformed, format!("Signature-Input: {e}"))
    })?;
    let (label, headers) = map.into_iter().next().ok_or_else(|| {
        FederationError::refused(
            Reason::SignatureMalformed,
            "no signature in Signature-Input",
        )
    })?;
    let params = headers.signature_params().clone();
    let key_id = params.keyid.clone().ok_or_else(|| {
        FederationError::refused(Reason::SignatureMalformed, "Signature-Input has no keyid")
    })?;
    if let Some(alg) = &params.alg
        && alg != "rsa-v1_5-sha256"
    {
        return Err(FederationError::refused(
            Reason::SignatureAlgorithm,
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
                        return Err(FederationError::refused(
                            Reason::SignatureCoverage,
                            format!("cannot verify component {}", String::from(other.clone())),
                        ));
                    }
                }]
            }
            HttpMessageComponentName::HttpField(name) => {
                let name = name.to_ascii_lowercase();
                covered.push(name.clone());
                let value = header(&name).ok_or_else(|| {
                    FederationError::refused(
                        Reason::SignatureMalformed,
                        format!("signed header `{name}` is missing"),
                    )
                })?;
                vec![value.to_string()]
            }
        };
        let line = HttpMessageComponent::try_from((id, values.as_slice())).map_err(|e| {
            FederationError::refused(Reason::SignatureMalformed, format!("component {id}: {e}"))
        })?;
        lines.push(line);
    }
    let has = |c: &str| covered.iter().any(|x| x == c);
    if !has("@method") || !(has("@target-uri") || has("@path") || has("@request-target")) {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature must cover @method and @target-uri",
        ));
    }
    if req.method.eq_ignore_ascii_case("POST") && !has("content-digest") {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature of a POST must cover content-digest",
        ));
    }
    let params_line = member(input, &label).ok_or_else(|| {
        FederationError::refused(
            Reason::SignatureMalformed,
            format!("Signature-Input has no member `{label}`"),
        )
    })?;
    let mut base = String::new();
    for line in &lines {
        base.push_str(&line.to_string());
        base.push('\n');
    }
    base.push_str("\"@signature-params\": ");
    base.push_str(params_line);
    let signature = B64.decode(headers.signature().to_string()).map_err(|_| {
        FederationError::refused(Reason::SignatureMalformed, "signature is not base64")
    })?;
    Ok(MessageSignature {
        key_id,
        created: params.created,
        expires: params.expires,
        base,
        signature,
    })
}

/// The value of the dictionary member `label` in a `Signature-Input` header, exactly as sent:
/// members are split at commas outside quotes and parentheses.
fn member<'a>(header: &'a str, label: &str) -> Option<&'a str> {
    let mut depth = 0u32;
    let mut quoted = false;
    let mut escaped = false;
    let mut start = 0;
    let mut members = Vec::new();
    for (i, c) in header.char_indices() {
        if quoted {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                members.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    members.push(&header[start..]);
    members.into_iter().find_map(|m| {
        let (name, value) = m.split_once('=')?;
        (name.trim() == label).then(|| value.trim())
    })
}

impl MessageSignature {
    /// Checks `created` against our clock and `expires`.
    pub fn check_freshness(&self, now: i64, max_skew_secs: i64) -> Result<(), FederationError> {
        let created = self.created.ok_or_else(|| {
            FederationError::refused(Reason::DateMissing, "Signature-Input has no created")
        })?;
        let now = u64::try_from(now).unwrap_or(0);
        let skew = now.abs_diff(created);
        if skew > max_skew_secs.unsigned_abs() {
            return Err(FederationError::refused(
                Reason::DateSkew,
                format!("created is {skew}s away from our clock"),
            ));
        }
        if self.expires.is_some_and(|e| e < now.saturating_sub(60)) {
            return Err(FederationError::refused(
                Reason::SignatureExpired,
                "the signature has expired",
            ));
        }
        Ok(())
    }

    /// Verifies the signature with an RSA public key (PEM).
    pub fn verify(&self, public_key_pem: &str) -> bool {
        super::verify_rsa(public_key_pem, &self.base, &self.signature)
    }
}

/// Checks `Content-Digest` (`sha-256=:…:` or `sha-512=:…:`) against the body.
pub fn check_content_digest(req: &RequestParts, body: &[u8]) -> Result<(), FederationError> {
    let header = req.headers.get("content-digest").ok_or_else(|| {
        FederationError::refused(Reason::DigestMissing, "Content-Digest header missing")
    })?;
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
            return Err(FederationError::refused(
                Reason::DigestMismatch,
                "Content-Digest does not match the body",
            ));
        }
        checked = true;
    }
    if checked {
        Ok(())
    } else {
        Err(FederationError::refused(
            Reason::DigestMissing,
            "Content-Digest has no sha-256 or sha-512 value",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signatures::{PendingSignature, RequestParts};
    use rsa::{
        RsaPrivateKey, RsaPublicKey,
        pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
    };

    const BODY: &[u8] = br#"{"type":"Follow"}"#;

    fn keys() -> (String, String) {
        let private = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).expect("key");
        let public = RsaPublicKey::from(&private)
            .to_public_key_pem(LineEnding::LF)
            .expect("public pem");
        let private = private
            .to_pkcs8_pem(LineEnding::LF)
            .expect("pem")
            .to_string();
        (public, private)
    }

    /// A request as Fedify 2.3 signs its first try (parameters `alg`, `keyid`, `created`).
    fn fedify_request(private: &str, created_offset: i64) -> RequestParts {
        let headers = agora_peer::signing::rfc9421_headers(
            "https://agora.example/users/alice/inbox",
            BODY,
            "https://fedify.example/users/bob#main-key",
            private,
            created_offset,
        );
        RequestParts {
            method: "POST".into(),
            path_and_query: "/users/alice/inbox".into(),
            headers: headers.into_iter().map(|(k, v)| (k.into(), v)).collect(),
        }
    }

    fn check(req: &RequestParts) -> Result<PendingSignature, FederationError> {
        let now = chrono::Utc::now().timestamp();
        PendingSignature::check(req, BODY, "https", "agora.example", now, 43200)
    }

    #[test]
    fn a_fedify_first_knock_verifies() {
        let (public, private) = keys();
        let req = fedify_request(&private, 0);
        assert!(
            req.headers["signature-input"].contains(r#";alg="rsa-v1_5-sha256";keyid="#),
            "the parameters are in Fedify's order"
        );
        let pending = check(&req).expect("shape, coverage, freshness, digest");
        assert!(pending.verify(&public));
        let (other, _) = keys();
        assert!(!pending.verify(&other), "another key must not verify");
    }

    #[test]
    fn a_changed_component_does_not_verify() {
        let (public, private) = keys();
        let mut req = fedify_request(&private, 0);
        req.path_and_query = "/users/mallory/inbox".into();
        assert!(!check(&req).expect("shape").verify(&public));
    }

    #[test]
    fn a_request_signed_for_another_server_is_refused() {
        let (_, private) = keys();
        let mut req = fedify_request(&private, 0);
        req.headers
            .insert("host".into(), "elsewhere.example".into());
        let err = check(&req).err().expect("replayed from another server");
        assert_eq!(err.reason(), Some(Reason::WrongHost));
    }

    #[test]
    fn absurd_created_values_are_refused_without_overflow() {
        let (_, private) = keys();
        for created in [
            "-1e300",
            "18446744073709551615",
            "-9223372036854775808",
            "0",
        ] {
            let mut req = fedify_request(&private, 0);
            let input = req.headers["signature-input"].clone();
            let (head, _) = input.rsplit_once("created=").expect("created");
            req.headers
                .insert("signature-input".into(), format!("{head}created={created}"));
            let err = check(&req).err().expect(created);
            assert!(
                matches!(
                    err.reason(),
                    Some(Reason::DateSkew | Reason::SignatureMalformed | Reason::DateMissing)
                ),
                "{created}: {err}"
            );
        }
    }

    #[test]
    fn members_are_split_outside_quotes_and_lists() {
        let header = r#"a=("x" "y,z");keyid="k,1", sig1=("@method");created=1"#;
        assert_eq!(member(header, "a"), Some(r#"("x" "y,z");keyid="k,1""#));
        assert_eq!(member(header, "sig1"), Some(r#"("@method");created=1"#));
        assert_eq!(member(header, "nope"), None);
    }
}
