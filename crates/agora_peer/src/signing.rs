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

/// The headers of a request signed with RFC 9421 exactly as Fedify 2.3 signs its first try:
/// `("@method" "@target-uri" "@authority" "host" "date" "content-digest")`, then `alg`, `keyid`
/// and `created` in that order; `created_offset` shifts the signature's time.
pub fn rfc9421_headers(
    inbox_url: &str,
    body: &[u8],
    key_id: &str,
    private_pem: &str,
    created_offset: i64,
) -> Vec<(&'static str, String)> {
    let url = url::Url::parse(inbox_url).unwrap();
    let authority = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap()),
        None => url.host_str().unwrap().to_string(),
    };
    let now = chrono::Utc::now();
    let date = httpdate(now);
    let digest = format!("sha-256=:{}:", B64.encode(Sha256::digest(body)));
    let params = format!(
        r#"("@method" "@target-uri" "@authority" "host" "date" "content-digest");alg="rsa-v1_5-sha256";keyid="{key_id}";created={}"#,
        now.timestamp() + created_offset
    );
    let base = format!(
        "\"@method\": POST\n\"@target-uri\": {inbox_url}\n\"@authority\": {authority}\n\"host\": {authority}\n\"date\": {date}\n\"content-digest\": {digest}\n\"@signature-params\": {params}"
    );
    let key = RsaPrivateKey::from_pkcs8_pem(private_pem).unwrap();
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(base.as_bytes()),
        )
        .unwrap();
    vec![
        ("content-type", "application/activity+json".to_string()),
        ("host", authority),
        ("date", date),
        ("content-digest", digest),
        ("signature-input", format!("sig1={params}")),
        ("signature", format!("sig1=:{}:", B64.encode(signature))),
    ]
}

/// POSTs `body` signed with RFC 9421 as Fedify signs (see [`rfc9421_headers`]); returns the
/// status.
pub async fn post_rfc9421(
    client: &reqwest::Client,
    inbox_url: &str,
    body: &[u8],
    key_id: &str,
    private_pem: &str,
    created_offset: i64,
) -> u16 {
    let mut request = client.post(inbox_url).body(body.to_vec());
    for (name, value) in rfc9421_headers(inbox_url, body, key_id, private_pem, created_offset) {
        request = request.header(name, value);
    }
    request.send().await.unwrap().status().as_u16()
}
