//! Federation load generator: a crowd of remote actors on 127.0.0.1 follow one initiative of a
//! running node (signed `Follow`s, each actor fetched by the node on first contact), then an
//! organizer posts an update and the crowd counts the announces it receives.
//!
//! Prints follows per second (inbox answers, and end to end until each `Accept` arrived) and
//! announce deliveries per second. `tests/bench/federation.sh` starts a node and runs it.
//!
//! A bench tool: it panics on anything unexpected, and that panic is the report.
#![allow(clippy::unwrap_used)]

use agora_peer::{peer::Peer, signing};
use clap::Parser;
use rsa::{
    RsaPrivateKey, RsaPublicKey,
    pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
};
use serde_json::json;
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

/// A body and the headers that sign it.
type SignedRequest = (Vec<u8>, Vec<(&'static str, String)>);

/// Command line.
#[derive(Parser)]
#[command(about = "Follows and announces per second of a running Agora node")]
struct Args {
    /// Base address of the node, e.g. http://localhost:18080.
    #[arg(long)]
    node: String,
    /// Handle of an initiative of that node.
    #[arg(long)]
    group: String,
    /// API token of one of its organizers.
    #[arg(long)]
    token: String,
    /// Remote followers to simulate (each with its own inbox).
    #[arg(long, default_value_t = 1000)]
    followers: usize,
    /// Follows in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("an RSA key");
    let private_pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let public_pem = RsaPublicKey::from(&key)
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let crowd = Peer::start_crowd(&public_pem).await;
    let group = format!("{}/initiatives/{}", args.node, args.group);
    let inbox = format!("{}/inbox", args.node);

    // Signing is the sender's cost, not the node's: everything is signed before the clock runs.
    let requests: Vec<SignedRequest> = (0..args.followers)
        .map(|i| {
            let actor = crowd.url(&format!("/users/u{i}"));
            let body = json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{actor}/follows/1"),
                "type": "Follow",
                "actor": actor,
                "object": group,
            })
            .to_string()
            .into_bytes();
            let signed = signing::Signed::new(&format!("{actor}#main-key"), &private_pem);
            let headers = signing::cavage_headers(&inbox, &body, &signed);
            (body, headers)
        })
        .collect();

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .unwrap();
    let queue = Arc::new(tokio::sync::Mutex::new(requests.into_iter()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..args.concurrency {
        let (queue, client, inbox) = (queue.clone(), client.clone(), inbox.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let next = queue.lock().await.next();
                let Some((body, headers)) = next else { break };
                let mut request = client.post(&inbox).body(body);
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                let sent = Instant::now();
                let status = request.send().await.map(|r| r.status().as_u16());
                latencies.push((sent.elapsed(), status.unwrap_or(0)));
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let answered = started.elapsed();
    let accepted = latencies.iter().filter(|(_, s)| *s == 202).count();
    let mut times: Vec<Duration> = latencies.iter().map(|(d, _)| *d).collect();
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "follows: {} sent, {accepted} answered 202 in {:.2} s = {:.0} follows/s (p50 {:?}, p99 {:?})",
        args.followers,
        answered.as_secs_f64(),
        accepted as f64 / answered.as_secs_f64(),
        pct(0.5),
        pct(0.99),
    );
    let accepts = wait_for(&crowd, "Accept", accepted, Duration::from_secs(300)).await;
    println!(
        "accepts: {} delivered, last {:.2} s after the first follow = {:.0} follows/s end to end",
        accepts.0,
        accepts.1.duration_since(started).as_secs_f64(),
        accepts.0 as f64 / accepts.1.duration_since(started).as_secs_f64(),
    );

    let posted = Instant::now();
    let response = client
        .post(format!(
            "{}/api/v1/initiatives/{}/updates",
            args.node, args.group
        ))
        .bearer_auth(&args.token)
        .json(&json!({"content": "Load test update"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201, "the update was refused");
    // Each follower's inbox gets Announce{Create{Note}} and Announce{Note}.
    let announces = wait_for(&crowd, "Announce", 2 * accepted, Duration::from_secs(300)).await;
    let took = announces.1.duration_since(posted).as_secs_f64();
    println!(
        "announces: {} delivered to {accepted} inboxes, last {took:.2} s after the update = {:.0} deliveries/s",
        announces.0,
        announces.0 as f64 / took,
    );
}

/// Waits until `n` activities of `kind` arrived (or the time is up); returns how many and when
/// the last one did.
async fn wait_for(crowd: &Peer, kind: &str, n: usize, limit: Duration) -> (usize, Instant) {
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
