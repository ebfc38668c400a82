//! HTTP signatures made by the simulated server itself (draft-cavage as Mastodon signs, RFC 9421
//! as Fedify and Mastodon ≥ 4.5 sign), valid or deliberately broken.

use base64::{Engine, engine::general_purpose::STANDARD as B64};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pkcs8::DecodePrivateKey};
use sha2::{Digest, Sha256};

/// What to put in (or leave out of) a signed request.
pub struct Signed {
    /// `keyId`: the actor's key URL.
    pub key_id: String,
    /// PKCS#8 PEM of the private key.
    pub private_pem: String,
    /// Date header value.
    pub date: String,
    /// Digest header value; `None` computes the right one.
    pub digest: Option<String>,
}

impl Signed {
    /// A request signed now with the right digest.
    pub fn new(key_id: &str, private_pem: &str) -> Signed {
        Signed {
            key_id: key_id.into(),
            private_pem: private_pem.into(),
            date: httpdate(chrono::Utc::now()),
            digest: None,
        }
    }
}

/// An HTTP date.
pub fn httpdate(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The headers of a request signed as Mastodon signs (draft-cavage, rsa-sha256 over
/// `(request-target) host date digest`). Signing is the costly part: the load generator signs
/// everything before it starts the clock.
pub fn cavage_headers(inbox_url: &str, body: &[u8], s: &Signed) -> Vec<(&'static str, String)> {
    let url = url::Url::parse(inbox_url).unwrap();
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap()),
        None => url.host_str().unwrap().to_string(),
    };
    let digest = s
        .digest
        .clone()
        .unwrap_or_else(|| format!("SHA-256={}", B64.encode(Sha256::digest(body))));
    let signing_string = format!(
        "(request-target): post {}\nhost: {host}\ndate: {}\ndigest: {digest}",
        url.path(),
        s.date
    );
    let key = RsaPrivateKey::from_pkcs8_pem(&s.private_pem).unwrap();
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .unwrap();
    let header = format!(
        r#"keyId="{}",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
        s.key_id,
        B64.encode(signature)
    );
    vec![
        ("content-type", "application/activity+json".to_string()),
        ("host", host),
        ("date", s.date.clone()),
        ("digest", digest),
        ("signature", header),
    ]
}

/// POSTs `body` to `inbox_url` signed as Mastodon signs; returns the status.
pub async fn post_signed(
    client: &reqwest::Client,
    inbox_url: &str,
    body: &[u8],
    s: &Signed,
) -> u16 {
    let mut request = client.post(inbox_url).body(body.to_vec());
    for (name, value) in cavage_headers(inbox_url, body, s) {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

/// POSTs `body` signed with RFC 9421 (`@method`, `@target-uri`, `content-digest`), as
/// Mastodon ≥ 4.5 and Fedify sign; `created_offset` shifts the signature's time.
pub async fn post_rfc9421(
    client: &reqwest::Client,
    inbox_url: &str,
    body: &[u8],
    key_id: &str,
    private_pem: &str,
    created_offset: i64,
) -> u16 {
    use httpsig::prelude::{
        AlgorithmName, HttpSignatureBase, HttpSignatureParams, SecretKey,
        message_component::HttpMessageComponent,
    };
    let digest = format!("sha-256=:{}:", B64.encode(Sha256::digest(body)));
    let lines: Vec<HttpMessageComponent> = [
        "\"@method\": POST".to_string(),
        format!("\"@target-uri\": {inbox_url}"),
        format!("\"content-digest\": {digest}"),
    ]
    .iter()
    .map(|l| HttpMessageComponent::try_from(l.as_str()).unwrap())
    .collect();
    let ids: Vec<_> = lines.iter().map(|c| c.id.clone()).collect();
    let mut params = HttpSignatureParams::try_new(&ids).unwrap();
    params.set_created((chrono::Utc::now().timestamp() + created_offset) as u64);
    params.set_keyid(key_id);
    params.set_alg(&AlgorithmName::RsaV1_5Sha256);
    let base = HttpSignatureBase::try_new(&lines, &params).unwrap();
    let key = SecretKey::from_pem(&AlgorithmName::RsaV1_5Sha256, private_pem).unwrap();
    let headers = base.build_signature_headers(&key, Some("sig1")).unwrap();
    client
        .post(inbox_url)
        .header("content-type", "application/activity+json")
        .header("content-digest", digest)
        .header("signature-input", headers.signature_input_header_value())
        .header("signature", headers.signature_header_value())
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
