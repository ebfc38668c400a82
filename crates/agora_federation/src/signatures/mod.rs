//! Verification of HTTP signatures on incoming requests (draft-cavage-http-signatures, the form
//! Mastodon, Lemmy, Pleroma and GoToSocial send), with the `Digest` of the body and a bounded
//! `Date` skew.
//!
//! The `activitypub_federation` crate verifies signatures inside its own inbox function, with a
//! fixed one-hour window and no way to tell a stale date from a bad key. We verify here instead
//! so that each refusal has its own status, log line and metric, and the skew is configurable
//! (Mastodon accepts dates twelve hours old). Signing stays with the crate.

use crate::error::{FederationError, Reason};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs8::DecodePublicKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub mod rfc9421;

/// A signature of either scheme, checked for shape, coverage, freshness and digest, waiting
/// for the signer's public key.
pub enum PendingSignature {
    /// draft-cavage: the rebuilt signing string and the signature bytes.
    Cavage {
        /// The key's id.
        key_id: String,
        /// What the sender signed.
        signing_string: String,
        /// The signature.
        signature: Vec<u8>,
    },
    /// RFC 9421 (boxed: its parsed base is large).
    Rfc9421(Box<rfc9421::MessageSignature>),
}

impl PendingSignature {
    /// Checks everything that needs no key: the header's shape, what it covers, its date and
    /// the body digest. RFC 9421 when `Signature-Input` is present, draft-cavage otherwise.
    /// `scheme` and `domain` are ours: the request must have been made (and signed) for us.
    pub fn check(
        req: &RequestParts,
        body: &[u8],
        scheme: &str,
        domain: &str,
        now: i64,
        max_skew_secs: i64,
    ) -> Result<PendingSignature, FederationError> {
        check_host(req, scheme, domain)?;
        if req.headers.contains_key("signature-input") {
            let sig = rfc9421::parse(req, scheme)?;
            sig.check_freshness(now, max_skew_secs)?;
            rfc9421::check_content_digest(req, body)?;
            return Ok(PendingSignature::Rfc9421(Box::new(sig)));
        }
        let header = req.headers.get("signature").ok_or_else(|| {
            FederationError::refused(Reason::SignatureMissing, "request is not signed")
        })?;
        let sig = parse_signature_header(header)?;
        check_coverage_and_freshness(&sig, req, now, max_skew_secs)?;
        check_digest(req, body)?;
        let signing_string = signing_string(&sig, req)?;
        Ok(PendingSignature::Cavage {
            key_id: sig.key_id,
            signing_string,
            signature: sig.signature,
        })
    }

    /// The scheme's name, as metrics label it: `cavage` or `rfc9421`.
    pub fn scheme(&self) -> &'static str {
        match self {
            PendingSignature::Cavage { .. } => "cavage",
            PendingSignature::Rfc9421(_) => "rfc9421",
        }
    }

    /// The signing key's id.
    pub fn key_id(&self) -> &str {
        match self {
            PendingSignature::Cavage { key_id, .. } => key_id,
            PendingSignature::Rfc9421(sig) => &sig.key_id,
        }
    }

    /// Verifies with the signer's public key (PEM).
    pub fn verify(&self, public_key_pem: &str) -> bool {
        match self {
            PendingSignature::Cavage {
                signing_string,
                signature,
                ..
            } => verify_rsa(public_key_pem, signing_string, signature),
            PendingSignature::Rfc9421(sig) => sig.verify(public_key_pem),
        }
    }
}

/// What the web layer hands over of a request: method, path with query, and headers with
/// lower-case names.
#[derive(Debug, Clone)]
pub struct RequestParts {
    /// `POST`, `GET`…
    pub method: String,
    /// Path and query string as received.
    pub path_and_query: String,
    /// Header values by lower-case name (repeated headers joined with `, `).
    pub headers: BTreeMap<String, String>,
}

/// A parsed `Signature` header.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureHeader {
    /// The key's id, usually `{actor}#main-key`.
    pub key_id: String,
    /// Stated algorithm, if any.
    pub algorithm: Option<String>,
    /// The signed headers, in order.
    pub headers: Vec<String>,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// `(created)` parameter.
    pub created: Option<i64>,
    /// `(expires)` parameter.
    pub expires: Option<i64>,
}

/// Checks that the request names this node in `Host`: both schemes sign the host (`host`,
/// `@authority`, `@target-uri`), and without this check a request signed for another server
/// could be replayed to us while its date is fresh. A default port (`:443` on https) is the
/// same host.
pub fn check_host(req: &RequestParts, scheme: &str, domain: &str) -> Result<(), FederationError> {
    let host = req
        .headers
        .get("host")
        .map(|h| h.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    if host.eq_ignore_ascii_case(domain) {
        Ok(())
    } else {
        Err(FederationError::refused(
            Reason::WrongHost,
            format!("request made for `{host}`, we are `{domain}`"),
        ))
    }
}

/// Parses a draft-cavage `Signature` header.
pub fn parse_signature_header(value: &str) -> Result<SignatureHeader, FederationError> {
    let mut params = BTreeMap::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once('=').ok_or_else(|| {
            FederationError::refused(
                Reason::SignatureMalformed,
                "Signature header: expected name=value pairs",
            )
        })?;
        let name = name
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (val, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').ok_or_else(|| {
                FederationError::refused(
                    Reason::SignatureMalformed,
                    "Signature header: unterminated quote",
                )
            })?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        params.insert(name, val.to_string());
        rest = remaining.trim_start().trim_start_matches(',').trim_start();
    }
    let key_id = params.remove("keyid").ok_or_else(|| {
        FederationError::refused(Reason::SignatureMalformed, "Signature header has no keyId")
    })?;
    let signature = params.remove("signature").ok_or_else(|| {
        FederationError::refused(
            Reason::SignatureMalformed,
            "Signature header has no signature",
        )
    })?;
    let signature = B64.decode(signature.as_bytes()).map_err(|_| {
        FederationError::refused(Reason::SignatureMalformed, "signature is not base64")
    })?;
    let headers = params
        .remove("headers")
        .unwrap_or_else(|| "date".into())
        .split_whitespace()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let number = |v: Option<String>| v.and_then(|s| s.parse::<f64>().ok()).map(|f| f as i64);
    Ok(SignatureHeader {
        key_id,
        algorithm: params.remove("algorithm"),
        headers,
        signature,
        created: number(params.remove("created")),
        expires: number(params.remove("expires")),
    })
}

/// Builds the string the sender signed.
pub fn signing_string(
    sig: &SignatureHeader,
    req: &RequestParts,
) -> Result<String, FederationError> {
    let mut lines = Vec::with_capacity(sig.headers.len());
    for name in &sig.headers {
        let line = match name.as_str() {
            "(request-target)" => format!(
                "(request-target): {} {}",
                req.method.to_ascii_lowercase(),
                req.path_and_query
            ),
            "(created)" => format!(
                "(created): {}",
                sig.created.ok_or_else(|| FederationError::refused(
                    Reason::SignatureMalformed,
                    "(created) signed but absent"
                ))?
            ),
            "(expires)" => format!(
                "(expires): {}",
                sig.expires.ok_or_else(|| FederationError::refused(
                    Reason::SignatureMalformed,
                    "(expires) signed but absent"
                ))?
            ),
            header => {
                let value = req.headers.get(header).ok_or_else(|| {
                    FederationError::refused(
                        Reason::SignatureMalformed,
                        format!("signed header `{header}` is missing"),
                    )
                })?;
                format!("{header}: {}", value.trim())
            }
        };
        lines.push(line);
    }
    Ok(lines.join("\n"))
}

/// Checks what must be signed and that the signature is fresh: `(request-target)`, `host`,
/// a date (`date` or `(created)`), and on POST the `digest`; the date within `max_skew_secs`.
pub fn check_coverage_and_freshness(
    sig: &SignatureHeader,
    req: &RequestParts,
    now: i64,
    max_skew_secs: i64,
) -> Result<(), FederationError> {
    if let Some(alg) = &sig.algorithm {
        let alg = alg.to_ascii_lowercase();
        if alg != "rsa-sha256" && alg != "hs2019" {
            return Err(FederationError::refused(
                Reason::SignatureAlgorithm,
                format!("unsupported signature algorithm `{alg}`; use rsa-sha256"),
            ));
        }
    }
    let signed = |h: &str| sig.headers.iter().any(|x| x == h);
    if !signed("(request-target)") {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature must cover (request-target)",
        ));
    }
    if !signed("host") {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature must cover host",
        ));
    }
    if req.method.eq_ignore_ascii_case("POST") && !signed("digest") {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature of a POST must cover digest",
        ));
    }
    let when = if signed("date") {
        let date = req
            .headers
            .get("date")
            .ok_or_else(|| FederationError::refused(Reason::DateMissing, "Date header missing"))?;
        chrono::DateTime::parse_from_rfc2822(date.trim())
            .map_err(|_| {
                FederationError::refused(Reason::DateMalformed, "Date header is not an HTTP date")
            })?
            .timestamp()
    } else if signed("(created)") {
        sig.created
            .ok_or_else(|| FederationError::refused(Reason::DateMissing, "(created) missing"))?
    } else {
        return Err(FederationError::refused(
            Reason::SignatureCoverage,
            "the signature must cover date or (created)",
        ));
    };
    let skew = now.abs_diff(when);
    if skew > max_skew_secs.unsigned_abs() {
        return Err(FederationError::refused(
            Reason::DateSkew,
            format!("Date is {skew}s away from our clock; at most {max_skew_secs}s accepted"),
        ));
    }
    if sig
        .expires
        .is_some_and(|expires| expires < now.saturating_sub(60))
    {
        return Err(FederationError::refused(
            Reason::SignatureExpired,
            "the signature has expired",
        ));
    }
    Ok(())
}

/// Checks the `Digest` header (`SHA-256=base64`) against the body.
pub fn check_digest(req: &RequestParts, body: &[u8]) -> Result<(), FederationError> {
    let header = req
        .headers
        .get("digest")
        .ok_or_else(|| FederationError::refused(Reason::DigestMissing, "Digest header missing"))?;
    let expected = B64.encode(Sha256::digest(body));
    let mut saw_sha256 = false;
    for part in header.split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            continue;
        };
        if alg.eq_ignore_ascii_case("sha-256") {
            saw_sha256 = true;
            if value.trim() != expected {
                return Err(FederationError::refused(
                    Reason::DigestMismatch,
                    "Digest does not match the body",
                ));
            }
        }
    }
    if !saw_sha256 {
        return Err(FederationError::refused(
            Reason::DigestMissing,
            "Digest header has no SHA-256 value",
        ));
    }
    Ok(())
}

/// Public keys parsed, by their PEM: parsing costs as much as verifying, and a server sends
/// many activities signed with each of its actors' keys. Keyed by the text itself, so a
/// rotated key is simply another entry.
static PARSED_KEYS: std::sync::LazyLock<moka::sync::Cache<String, std::sync::Arc<ParsedKey>>> =
    std::sync::LazyLock::new(|| moka::sync::Cache::new(20_000));

/// A public key ready to verify with.
enum ParsedKey {
    /// 2 048 bits or more: AWS-LC, several times faster than the `rsa` crate.
    Fast(aws_lc_rs::signature::ParsedPublicKey),
    /// Smaller keys, which AWS-LC refuses and some old servers still use.
    Small(RsaPublicKey),
}

fn parse_key(public_key_pem: &str) -> Option<ParsedKey> {
    use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
    let key = RsaPublicKey::from_public_key_pem(public_key_pem).ok()?;
    // AWS-LC parses a smaller key, then refuses every signature made with it.
    if rsa::traits::PublicKeyParts::size(&key) < 2048 / 8 {
        return Some(ParsedKey::Small(key));
    }
    let der = rsa::pkcs8::EncodePublicKey::to_public_key_der(&key).ok()?;
    Some(
        match ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der) {
            Ok(fast) => ParsedKey::Fast(fast),
            Err(_) => ParsedKey::Small(key),
        },
    )
}

/// Verifies the RSA-SHA256 signature of `signing_string` with a PEM public key.
pub fn verify_rsa(public_key_pem: &str, signing_string: &str, signature: &[u8]) -> bool {
    let key = match PARSED_KEYS.get(public_key_pem) {
        Some(key) => key,
        None => {
            let Some(parsed) = parse_key(public_key_pem) else {
                return false;
            };
            let parsed = std::sync::Arc::new(parsed);
            PARSED_KEYS.insert(public_key_pem.to_string(), parsed.clone());
            parsed
        }
    };
    match key.as_ref() {
        ParsedKey::Fast(key) => key.verify_sig(signing_string.as_bytes(), signature).is_ok(),
        ParsedKey::Small(key) => key
            .verify(
                Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(signing_string.as_bytes()),
                signature,
            )
            .is_ok(),
    }
}

/// The actor id a key id names: the key id without its fragment (`{actor}#main-key`).
pub fn key_owner(key_id: &str) -> Result<url::Url, FederationError> {
    let mut url = url::Url::parse(key_id)
        .map_err(|_| FederationError::refused(Reason::SignatureMalformed, "keyId is not a URL"))?;
    url.set_fragment(None);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_both_paths_verify_their_own_signatures_only() {
        use rsa::{
            RsaPrivateKey,
            pkcs8::{EncodePublicKey, LineEnding},
        };
        let text = "(request-target): post /inbox";
        let digest = Sha256::digest(text.as_bytes());
        // 1 024 bits go the `rsa` crate's way, 2 048 AWS-LC's.
        for bits in [1024, 2048] {
            let private = RsaPrivateKey::new(&mut rand::thread_rng(), bits).expect("key");
            let public = RsaPublicKey::from(&private)
                .to_public_key_pem(LineEnding::LF)
                .expect("pem");
            let signature = private
                .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
                .expect("signs");
            assert!(verify_rsa(&public, text, &signature), "{bits} bits");
            // Again, from the cache.
            assert!(verify_rsa(&public, text, &signature), "{bits} bits, cached");
            assert!(!verify_rsa(
                &public,
                "(request-target): post /other",
                &signature
            ));
            let mut bent = signature.clone();
            bent[10] ^= 1;
            assert!(!verify_rsa(&public, text, &bent), "{bits} bits, bent");
            assert!(!verify_rsa(&public, text, &[]), "{bits} bits, empty");
        }
        assert!(!verify_rsa("not a key", text, &[1, 2, 3]));
        assert!(!verify_rsa(
            "-----BEGIN PUBLIC KEY-----\n%%%\n-----END PUBLIC KEY-----",
            text,
            &[]
        ));
    }

    fn req(date: &str) -> RequestParts {
        let mut headers = BTreeMap::new();
        headers.insert("host".into(), "b.example".into());
        headers.insert("date".into(), date.into());
        headers.insert(
            "digest".into(),
            format!("SHA-256={}", B64.encode(Sha256::digest(b"{}"))),
        );
        RequestParts {
            method: "POST".into(),
            path_and_query: "/inbox".into(),
            headers,
        }
    }

    #[test]
    fn parses_mastodon_header() {
        let h = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="AAEC""#;
        let sig = parse_signature_header(h).expect("parse");
        assert_eq!(sig.key_id, "https://a.example/users/x#main-key");
        assert_eq!(sig.headers, ["(request-target)", "host", "date", "digest"]);
        assert_eq!(sig.signature, vec![0, 1, 2]);
        let s = signing_string(&sig, &req("Tue, 07 Jun 2022 20:51:35 GMT")).expect("string");
        assert!(
            s.starts_with("(request-target): post /inbox\nhost: b.example\ndate: "),
            "{s}"
        );
    }

    #[test]
    fn refuses_garbage_headers() {
        for bad in [
            "",
            "keyId",
            r#"keyId="x""#,
            r#"keyId="x",signature="%%%""#,
            r#"signature="AAEC""#,
            r#"keyId="unterminated"#,
        ] {
            assert!(parse_signature_header(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stale_and_future_dates_are_refused() {
        let sig = parse_signature_header(
            r#"keyId="k",headers="(request-target) host date digest",signature="AA==""#,
        )
        .expect("parse");
        let date = "Tue, 07 Jun 2022 20:51:35 GMT";
        let t = chrono::DateTime::parse_from_rfc2822(date)
            .expect("date")
            .timestamp();
        assert!(check_coverage_and_freshness(&sig, &req(date), t + 3600, 43200).is_ok());
        let err =
            check_coverage_and_freshness(&sig, &req(date), t + 43201, 43200).expect_err("stale");
        assert!(err.to_string().contains("date_skew"));
        assert!(check_coverage_and_freshness(&sig, &req(date), t - 43201, 43200).is_err());
    }

    #[test]
    fn absurd_created_values_do_not_overflow() {
        let sig = parse_signature_header(
            r#"keyId="k",headers="(request-target) host (created) digest",created=-1e300,signature="AA==""#,
        )
        .expect("parse");
        let err =
            check_coverage_and_freshness(&sig, &req("x"), i64::MAX, i64::MAX).expect_err("skew");
        assert_eq!(err.reason(), Some(Reason::DateSkew));
    }

    #[test]
    fn requests_for_another_host_are_refused() {
        let r = req("x");
        assert!(check_host(&r, "https", "b.example").is_ok());
        assert!(check_host(&r, "https", "B.EXAMPLE").is_ok());
        let err = check_host(&r, "https", "a.example").expect_err("other host");
        assert_eq!(err.reason(), Some(Reason::WrongHost));
        let mut with_port = r.clone();
        with_port
            .headers
            .insert("host".into(), "b.example:443".into());
        assert!(check_host(&with_port, "https", "b.example").is_ok());
        assert!(check_host(&with_port, "http", "b.example").is_err());
    }

    #[test]
    fn uncovered_digest_is_refused() {
        let sig = parse_signature_header(
            r#"keyId="k",headers="(request-target) host date",signature="AA==""#,
        )
        .expect("parse");
        let err = check_coverage_and_freshness(
            &sig,
            &req("Tue, 07 Jun 2022 20:51:35 GMT"),
            1654635095,
            43200,
        )
        .expect_err("coverage");
        assert!(err.to_string().contains("signature_coverage"));
    }

    #[test]
    fn digest_must_match() {
        let r = req("x");
        assert!(check_digest(&r, b"{}").is_ok());
        assert!(check_digest(&r, b"{ }").is_err());
        let mut r2 = r.clone();
        r2.headers.remove("digest");
        assert!(check_digest(&r2, b"{}").is_err());
    }
}
