//! `fanout`: followers far away. One follower on each of many simulated servers, every one of
//! which answers a delivery only after a delay, follows the author of a petition; one
//! signature moves the count, and the run measures when the `Update{Question}` with the new
//! count reaches each server. `tests/bench/fanout.sh` starts a node and runs it.

use crate::drive;
use agora_peer::{mastodon, peer::Peer};
use serde_json::json;
use std::time::{Duration, Instant};

/// Options of the run.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: drive::NodeArgs,
    /// Servers, each with one follower and its own inbox.
    #[arg(long, default_value_t = 1000)]
    servers: usize,
    /// How long each server takes to answer a delivery, in milliseconds.
    #[arg(long, default_value_t = 100)]
    delay_ms: u64,
    /// Follows in flight at once while the followers gather.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

/// Runs it.
pub async fn run(args: Args) {
    let (private_pem, public_pem) = drive::key_pair();
    let delay = Duration::from_millis(args.delay_ms);
    let mut servers = Vec::with_capacity(args.servers);
    for _ in 0..args.servers {
        servers.push(Peer::start_far_crowd(&public_pem, delay).await);
    }
    let client = drive::client(args.concurrency);
    let title = "Followed from far away";
    let petition = drive::open_petition(&client, &args.at, title, json!({})).await;
    let author = petition["author"]["uri"].as_str().unwrap().to_string();

    let inbox = format!("{}/inbox", args.at.node);
    let follows = servers
        .iter()
        .map(|server| {
            let actor = server.url("/users/follower");
            let body = mastodon::follow(&format!("{actor}/follows/1"), &actor, &author);
            (
                inbox.clone(),
                format!("{actor}#main-key"),
                body.to_string().into_bytes(),
            )
        })
        .collect();
    let sent = drive::send_all(
        &client,
        drive::sign_all(&private_pem, follows),
        args.concurrency,
    )
    .await;
    assert_eq!(sent.with_status(202), args.servers, "a follow was refused");
    wait_all(&servers, "Accept", Duration::from_secs(300)).await;
    println!(
        "{} followers on {} servers answering after {delay:?} follow {author}",
        args.servers, args.servers
    );

    let signed = Instant::now();
    let id = petition["id"].as_i64().unwrap();
    let response = client
        .post(format!("{}/api/v1/petitions/{id}/signatures", args.at.node))
        .bearer_auth(&args.at.token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "the signature was refused");
    let arrivals = wait_all(&servers, "Update", Duration::from_secs(120)).await;
    let first = arrivals.iter().min().unwrap().duration_since(signed);
    let last = arrivals.iter().max().unwrap().duration_since(signed);
    println!(
        "Update{{Question}}: first server {:.2} s after the signature (the count gathers changes \
         for a few seconds), last {:.2} s after it: all {} servers reached {:.2} s after the \
         first",
        first.as_secs_f64(),
        last.as_secs_f64(),
        arrivals.len(),
        (last - first).as_secs_f64(),
    );
}

/// Waits until every server received an activity of `kind`; when each first did.
async fn wait_all(servers: &[Peer], kind: &str, limit: Duration) -> Vec<Instant> {
    let deadline = Instant::now() + limit;
    loop {
        let arrived: Vec<Instant> = servers.iter().filter_map(|s| s.first(kind)).collect();
        if arrived.len() == servers.len() {
            return arrived;
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {} servers received {kind} in {limit:?}",
            arrived.len(),
            servers.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
