//! What every run shares: a key for the simulated actors, requests signed ahead of the clock,
//! a pool of connections that sends them, and waiting for what the node sends back.

use agora_peer::{peer::Peer, signing};
use rsa::{
    RsaPrivateKey, RsaPublicKey,
    pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

/// The node a run drives, and the user it acts as.
#[derive(clap::Args)]
pub struct NodeArgs {
    /// Base address of the node, e.g. http://localhost:18080.
    #[arg(long)]
    pub node: String,
    /// API token of a user of that node (an organizer of the initiative, for `follow`).
    #[arg(long)]
    pub token: String,
}

/// A body and the headers that sign it.
pub type SignedRequest = (Vec<u8>, Vec<(&'static str, String)>);

/// One RSA key pair (PKCS#8 private PEM, SPKI public PEM) shared by the simulated actors:
/// generating a thousand 2 048-bit keys would take minutes, and the node verifies each
/// signature in full whichever key it is (only the parsing of a key is cached).
pub fn key_pair() -> (String, String) {
    let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("an RSA key");
    let private_pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let public_pem = RsaPublicKey::from(&key)
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    (private_pem, public_pem)
}

/// Signs `(inbox, key id, body)` triples as Mastodon signs, on every core: signing is the
/// sender's cost, not the node's, so it all happens before the clock runs.
pub fn sign_all(
    private_pem: &str,
    requests: Vec<(String, String, Vec<u8>)>,
) -> Vec<(String, SignedRequest)> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = requests.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = requests
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(inbox, key_id, body)| {
                            let signed = signing::Signed::new(key_id, private_pem);
                            let headers = signing::cavage_headers(inbox, body, &signed);
                            (inbox.clone(), (body.clone(), headers))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

/// What sending a batch took: each request's latency and status, and the whole time.
pub struct Sent {
    /// Latency and status (0 when no answer) of each request.
    pub answers: Vec<(Duration, u16)>,
    /// From the first request to the last answer.
    pub took: Duration,
}

impl Sent {
    /// How many answered `status`.
    pub fn with_status(&self, status: u16) -> usize {
        self.answers.iter().filter(|(_, s)| *s == status).count()
    }

    /// The latency below which `p` of the requests answered.
    pub fn percentile(&self, p: f64) -> Duration {
        let mut times: Vec<Duration> = self.answers.iter().map(|(d, _)| *d).collect();
        times.sort();
        times
            .get(((times.len() as f64 * p) as usize).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }

    /// Statuses other than `expected`, with their counts, for the report.
    pub fn others(&self, expected: u16) -> Vec<(u16, usize)> {
        let mut counts = std::collections::BTreeMap::new();
        for (_, s) in self.answers.iter().filter(|(_, s)| *s != expected) {
            *counts.entry(*s).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }
}

/// POSTs every request, `concurrency` in flight at once.
pub async fn send_all(
    client: &reqwest::Client,
    requests: Vec<(String, SignedRequest)>,
    concurrency: usize,
) -> Sent {
    let queue = Arc::new(std::sync::Mutex::new(requests.into_iter()));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (queue, client) = (queue.clone(), client.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((inbox, (body, headers))) = next else {
                        break;
                    };
                    let mut request = client.post(&inbox).body(body);
                    for (name, value) in headers {
                        request = request.header(name, value);
                    }
                    let sent = Instant::now();
                    let status = request.send().await.map(|r| r.status().as_u16());
                    answers.push((sent.elapsed(), status.unwrap_or(0)));
                }
                answers
            })
        })
        .collect();
    let mut answers = Vec::new();
    for worker in workers {
        answers.extend(worker.await.unwrap());
    }
    Sent {
        answers,
        took: started.elapsed(),
    }
}

/// A client keeping up to `connections` idle connections to the node.
pub fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// Waits until `n` activities of `kind` arrived (or the time is up); returns how many and when
/// the last one did.
pub async fn wait_for(crowd: &Peer, kind: &str, n: usize, limit: Duration) -> (usize, Instant) {
    let deadline = Instant::now() + limit;
    loop {
        let (count, last) = crowd.count(kind);
        if count >= n || Instant::now() > deadline {
            if count < n {
                eprintln!("only {count} of {n} {kind} arrived in {limit:?}");
            }
            return (count, last.unwrap_or_else(Instant::now));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Opens a petition on the node as its user: `fields` are added to a title, a text, a target
/// and a deadline 30 days away. The API's answer.
pub async fn open_petition(
    client: &reqwest::Client,
    at: &NodeArgs,
    title: &str,
    fields: serde_json::Value,
) -> serde_json::Value {
    let deadline = chrono::Utc::now() + chrono::Duration::days(30);
    let mut body = serde_json::json!({
        "title": title,
        "text": "A petition of the load generator.",
        "target": "Everyone",
        "deadline": deadline.to_rfc3339(),
    });
    if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
        body.extend(fields.clone());
    }
    client
        .post(format!("{}/api/v1/petitions", at.node))
        .bearer_auth(&at.token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}
