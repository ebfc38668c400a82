//! A minimal remote server speaking plain HTTP on 127.0.0.1, standing in for a Mastodon
//! instance or a Lemmy community: it serves one actor document and whatever objects the test
//! publishes, and records every POST to its inboxes, so a test can assert the exact JSON such
//! a server receives or send what such a server sends.

use serde_json::{Value, json};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// The running peer.
pub struct Peer {
    pub domain: String,
    /// Id of its one actor, `http://localhost:PORT/users/{name}`.
    pub actor: String,
    pub key_id: String,
    received: Arc<Mutex<Vec<Value>>>,
    documents: Arc<Mutex<HashMap<String, Value>>>,
}

impl Peer {
    /// Starts a peer whose `Person` `name` publishes `public_pem` as its key.
    pub async fn start(name: &str, public_pem: &str) -> Peer {
        Peer::start_as(name, "Person", public_pem).await
    }

    /// Starts a peer whose actor `name` is of type `kind` (`Person`, `Group`…).
    pub async fn start_as(name: &str, kind: &str, public_pem: &str) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let domain = format!("localhost:{port}");
        let actor = format!("http://{domain}/users/{name}");
        let document = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor,
            "type": kind,
            "preferredUsername": name,
            "name": name,
            "inbox": format!("{actor}/inbox"),
            "outbox": format!("{actor}/outbox"),
            "followers": format!("{actor}/followers"),
            "endpoints": {"sharedInbox": format!("http://{domain}/inbox")},
            "publicKey": {"id": format!("{actor}#main-key"), "owner": actor, "publicKeyPem": public_pem},
        });
        let received = Arc::new(Mutex::new(Vec::new()));
        let documents = Arc::new(Mutex::new(HashMap::from([(
            format!("/users/{name}"),
            document,
        )])));
        let (store, docs) = (received.clone(), documents.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, docs) = (store.clone(), docs.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, &docs, &store).await;
                });
            }
        });
        Peer {
            key_id: format!("{actor}#main-key"),
            domain,
            actor,
            received,
            documents,
        }
    }

    /// Serves `document` at `path` from now on.
    pub fn publish(&self, path: &str, document: Value) {
        self.documents
            .lock()
            .unwrap()
            .insert(path.to_string(), document);
    }

    /// The address of a path on this peer.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.domain)
    }

    /// Every activity POSTed to the peer so far.
    pub fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    documents: &Mutex<HashMap<String, Value>>,
    store: &Mutex<Vec<Value>>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default().to_string();
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = &buf[header_end..];
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let document = documents.lock().unwrap().get(path).cloned();
    let (status, content) = match (method, path, document) {
        ("GET", _, Some(document)) => ("200 OK", document.to_string()),
        ("POST", p, _) if p.ends_with("/inbox") => {
            if let Ok(activity) = serde_json::from_slice::<Value>(body) {
                store.lock().unwrap().push(activity);
            }
            ("202 Accepted", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/activity+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{content}",
        content.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
