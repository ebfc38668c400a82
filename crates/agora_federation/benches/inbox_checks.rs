//! What every inbox POST costs in CPU before touching the database: parsing the signature,
//! checking the digest, verifying RSA (draft-cavage and RFC 9421), sanitising the HTML.
//! `cargo bench -p agora_federation`; results in docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used)]

use agora_federation::signatures::{self, PendingSignature, RequestParts};
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use criterion::{Criterion, criterion_group, criterion_main};
use rsa::{
    Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey,
    pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
};
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, hint::black_box};

const NOTE: &str = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/activities/1","type":"Create","actor":"https://remote.example/users/bob","object":{"id":"https://remote.example/posts/1","type":"Note","attributedTo":"https://remote.example/users/bob","content":"<p>Meeting at the <a href=\"https://remote.example/tags/townhall\">#townhall</a> at 6 pm. <script>alert(1)</script>Bring your ideas!</p>","to":["https://www.w3.org/ns/activitystreams#Public"]}}"#;

fn keys() -> (String, String, RsaPrivateKey) {
    let private = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let public = RsaPublicKey::from(&private)
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let pem = private.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    (public, pem, private)
}

fn cavage_request(private: &RsaPrivateKey) -> RequestParts {
    let digest = format!("SHA-256={}", B64.encode(Sha256::digest(NOTE.as_bytes())));
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let signing = format!(
        "(request-target): post /inbox\nhost: agora.example\ndate: {date}\ndigest: {digest}"
    );
    let sig = private
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing.as_bytes()),
        )
        .unwrap();
    let mut headers = BTreeMap::new();
    headers.insert("host".into(), "agora.example".into());
    headers.insert("date".into(), date);
    headers.insert("digest".into(), digest);
    headers.insert(
        "signature".into(),
        format!(
            r#"keyId="https://remote.example/users/bob#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="{}""#,
            B64.encode(sig)
        ),
    );
    RequestParts {
        method: "POST".into(),
        path_and_query: "/inbox".into(),
        headers,
    }
}

/// A request signed as Fedify signs its first try.
fn rfc9421_request(private_pem: &str) -> RequestParts {
    let headers = agora_peer::signing::rfc9421_headers(
        "https://agora.example/inbox",
        NOTE.as_bytes(),
        "https://remote.example/users/bob#main-key",
        private_pem,
        0,
    );
    RequestParts {
        method: "POST".into(),
        path_and_query: "/inbox".into(),
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    }
}

fn inbox_checks(c: &mut Criterion) {
    let (public, private_pem, private) = keys();
    let now = chrono::Utc::now().timestamp();
    let cavage = cavage_request(&private);
    let rfc = rfc9421_request(&private_pem);
    let body = NOTE.as_bytes();

    c.bench_function("cavage: parse, cover, digest", |b| {
        b.iter(|| {
            PendingSignature::check(
                black_box(&cavage),
                body,
                "https",
                "agora.example",
                now,
                43200,
            )
            .unwrap()
        })
    });
    let pending =
        PendingSignature::check(&cavage, body, "https", "agora.example", now, 43200).unwrap();
    assert!(pending.verify(&public));
    c.bench_function("cavage: verify rsa-sha256 (2048)", |b| {
        b.iter(|| assert!(black_box(&pending).verify(&public)))
    });

    c.bench_function("rfc9421: parse, cover, digest", |b| {
        b.iter(|| {
            PendingSignature::check(black_box(&rfc), body, "https", "agora.example", now, 43200)
                .unwrap()
        })
    });
    let pending =
        PendingSignature::check(&rfc, body, "https", "agora.example", now, 43200).unwrap();
    assert!(pending.verify(&public));
    c.bench_function("rfc9421: verify rsa-v1_5-sha256 (2048)", |b| {
        b.iter(|| assert!(black_box(&pending).verify(&public)))
    });

    c.bench_function("digest of a 1 KiB note", |b| {
        b.iter(|| signatures::check_digest(black_box(&cavage), body).unwrap())
    });
    c.bench_function("parse activity JSON", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).unwrap())
    });
    let html = serde_json::from_str::<serde_json::Value>(NOTE).unwrap()["object"]["content"]
        .as_str()
        .unwrap()
        .to_string();
    c.bench_function("sanitise note HTML (ammonia)", |b| {
        b.iter(|| agora_core::text::sanitize_html(black_box(&html)))
    });
}

criterion_group!(benches, inbox_checks);
criterion_main!(benches);
