//! A minimal remote server speaking plain HTTP on 127.0.0.1, standing in for a Mastodon
//! instance, a Lemmy community or a crowd of servers: it serves actor documents and whatever
//! objects the caller publishes, and records every POST to its inboxes, so a test can assert
//! the exact JSON such a server receives or send what such a server sends.

use serde_json::{Value, json};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// The running peer.
pub struct Peer {
    /// `localhost:PORT`.
    pub domain: String,
    /// Id of its main actor, `http://localhost:PORT/users/{name}`.
    pub actor: String,
    /// Key id of the main actor.
    pub key_id: String,
    state: Arc<State>,
}

struct State {
    origin: String,
    documents: Mutex<HashMap<String, Value>>,
    received: Mutex<Vec<(Instant, Value)>>,
    fetches: Mutex<HashMap<String, usize>>,
    /// Paths (without their query) answered with a redirect to another address.
    redirects: Mutex<HashMap<String, String>>,
    /// When set, inbox POSTs are answered with this status and body (and still recorded).
    refusal: Mutex<Option<(u16, String)>>,
    /// When set, every `/users/{name}` is an actor with this public key and its own inbox
    /// (no shared inbox), so each counts as a separate follower.
    crowd_key: Option<String>,
    /// How long an inbox POST waits before its answer, as a server far away or busy.
    answer_delay: Duration,
}

impl Peer {
    /// Starts a peer whose `Person` `name` publishes `public_pem` as its key.
    pub async fn start(name: &str, public_pem: &str) -> Peer {
        Peer::start_as(name, "Person", public_pem).await
    }

    /// Starts a peer whose actor `name` is of type `kind` (`Person`, `Group`…).
    pub async fn start_as(name: &str, kind: &str, public_pem: &str) -> Peer {
        Peer::launch(name, kind, public_pem, None, Duration::ZERO).await
    }

    /// Starts a peer on which every `/users/{name}` is a `Person` with `public_pem` and its own
    /// inbox: a crowd of followers for load runs.
    pub async fn start_crowd(public_pem: &str) -> Peer {
        Peer::start_far_crowd(public_pem, Duration::ZERO).await
    }

    /// A crowd whose inboxes answer each POST only after `answer_delay`.
    pub async fn start_far_crowd(public_pem: &str, answer_delay: Duration) -> Peer {
        let crowd_key = Some(public_pem.to_string());
        Peer::launch("crowd", "Person", public_pem, crowd_key, answer_delay).await
    }

    async fn launch(
        name: &str,
        kind: &str,
        public_pem: &str,
        crowd_key: Option<String>,
        answer_delay: Duration,
    ) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let domain = format!("localhost:{port}");
        let origin = format!("http://{domain}");
        let actor = format!("{origin}/users/{name}");
        let mut document = actor_document(&origin, name, public_pem, true);
        document["type"] = json!(kind);
        let state = Arc::new(State {
            origin,
            documents: Mutex::new(HashMap::from([(format!("/users/{name}"), document)])),
            received: Mutex::new(Vec::new()),
            fetches: Mutex::new(HashMap::new()),
            redirects: Mutex::new(HashMap::new()),
            refusal: Mutex::new(None),
            crowd_key,
            answer_delay,
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &state).await;
                });
            }
        });
        Peer {
            key_id: format!("{actor}#main-key"),
            domain,
            actor,
            state,
        }
    }

    /// Serves `document` at `path` from now on.
    pub fn publish(&self, path: &str, document: Value) {
        self.state
            .documents
            .lock()
            .unwrap()
            .insert(path.to_string(), document);
    }

    /// From now on, answers GETs of `path` (whatever their query) with a 301 to `location`, as
    /// a server's short domain sends WebFinger to the one that serves it.
    pub fn redirect(&self, path: &str, location: &str) {
        self.state
            .redirects
            .lock()
            .unwrap()
            .insert(path.to_string(), location.to_string());
    }

    /// The address of a path on this peer.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.domain)
    }

    /// Every activity POSTed to the peer so far.
    pub fn received(&self) -> Vec<Value> {
        self.state
            .received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// From now on, answers inbox POSTs with `status` and `body`, as a server that will not
    /// take what it is sent (Lemmy's 400 to shapes it does not know).
    pub fn refuse(&self, status: u16, body: &str) {
        *self.state.refusal.lock().unwrap() = Some((status, body.to_string()));
    }

    /// How many GET requests `path` has had.
    pub fn fetches(&self, path: &str) -> usize {
        self.state
            .fetches
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// When the first activity of a type arrived, if one did.
    pub fn first(&self, kind: &str) -> Option<Instant> {
        let received = self.state.received.lock().unwrap();
        received
            .iter()
            .find(|(_, v)| v["type"] == kind)
            .map(|(at, _)| *at)
    }

    /// How many activities of a type arrived, and when the last of them did.
    pub fn count(&self, kind: &str) -> (usize, Option<Instant>) {
        let received = self.state.received.lock().unwrap();
        let mut matching = received.iter().filter(|(_, v)| v["type"] == kind);
        let n = matching.clone().count();
        (n, matching.next_back().map(|(at, _)| *at))
    }
}

fn actor_document(origin: &str, name: &str, public_pem: &str, shared_inbox: bool) -> Value {
    let actor = format!("{origin}/users/{name}");
    let mut document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor,
        "type": "Person",
        "preferredUsername": name,
        "name": name,
        "inbox": format!("{actor}/inbox"),
        "outbox": format!("{actor}/outbox"),
        "followers": format!("{actor}/followers"),
        "publicKey": {"id": format!("{actor}#main-key"), "owner": actor, "publicKeyPem": public_pem},
    });
    if shared_inbox {
        document["endpoints"] = json!({"sharedInbox": format!("{origin}/inbox")});
    }
    document
}

async fn serve(mut stream: TcpStream, state: &State) -> std::io::Result<()> {
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
    if method == "GET" {
        *state
            .fetches
            .lock()
            .unwrap()
            .entry(path.to_string())
            .or_default() += 1;
    }
    let document = state
        .documents
        .lock()
        .unwrap()
        .get(path)
        .cloned()
        .or_else(|| {
            let name = path.strip_prefix("/users/")?;
            let key = state.crowd_key.as_deref()?;
            (!name.contains('/')).then(|| {
                let mut doc = actor_document(&state.origin, name, key, false);
                // A crowd member named `new…` opened its account yesterday; the others, years
                // ago (what the virality detector reads).
                let published = if name.starts_with("new") {
                    chrono::Utc::now() - chrono::Duration::days(1)
                } else {
                    chrono::Utc::now() - chrono::Duration::days(3 * 365)
                };
                doc["published"] = json!(published.to_rfc3339());
                doc
            })
        });
    let redirect = state
        .redirects
        .lock()
        .unwrap()
        .get(path.split('?').next().unwrap_or(path))
        .cloned();
    if let (true, Some(location)) = (method == "GET", redirect) {
        let response = format!(
            "HTTP/1.1 301 Moved Permanently\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        stream.write_all(response.as_bytes()).await?;
        return stream.shutdown().await;
    }
    let (status, content) = match (method, path, document) {
        ("GET", _, Some(document)) => ("200 OK", document.to_string()),
        ("POST", p, _) if p.ends_with("/inbox") => {
            if let Ok(activity) = serde_json::from_slice::<Value>(body) {
                state
                    .received
                    .lock()
                    .unwrap()
                    .push((Instant::now(), activity));
            }
            if !state.answer_delay.is_zero() {
                tokio::time::sleep(state.answer_delay).await;
            }
            match state.refusal.lock().unwrap().clone() {
                Some((status, body)) => (status_line(status), body),
                None => ("202 Accepted", String::new()),
            }
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

fn status_line(status: u16) -> &'static str {
    match status {
        400 => "400 Bad Request",
        401 => "401 Unauthorized",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        410 => "410 Gone",
        422 => "422 Unprocessable Entity",
        429 => "429 Too Many Requests",
        _ => "500 Internal Server Error",
    }
}
