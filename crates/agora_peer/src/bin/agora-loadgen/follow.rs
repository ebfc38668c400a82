//! `follow`: a crowd of remote actors follows one initiative (signed `Follow`s, each actor
//! fetched by the node on first contact), then an organizer posts an update and the crowd
//! counts the announces it receives.
//!
//! Prints follows per second (inbox answers, and end to end until each `Accept` arrived) and
//! announce deliveries per second. `tests/bench/federation.sh` starts a node and runs it.

use crate::drive;
use agora_peer::{mastodon, peer::Peer};
use serde_json::json;
use std::time::{Duration, Instant};

/// Options of the run.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: drive::NodeArgs,
    /// Handle of an initiative of that node.
    #[arg(long)]
    group: String,
    /// Remote followers to simulate (each with its own inbox).
    #[arg(long, default_value_t = 1000)]
    followers: usize,
    /// Follows in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
}

/// Runs it.
pub async fn run(args: Args) {
    let (private_pem, public_pem) = drive::key_pair();
    let crowd = Peer::start_crowd(&public_pem).await;
    let group = format!("{}/initiatives/{}", args.at.node, args.group);
    let inbox = format!("{}/inbox", args.at.node);
    let follows = (0..args.followers)
        .map(|i| {
            let actor = crowd.url(&format!("/users/u{i}"));
            let body = mastodon::follow(&format!("{actor}/follows/1"), &actor, &group);
            (
                inbox.clone(),
                format!("{actor}#main-key"),
                body.to_string().into_bytes(),
            )
        })
        .collect();
    let requests = drive::sign_all(&private_pem, follows);

    let client = drive::client(args.concurrency);
    let started = Instant::now();
    let sent = drive::send_all(&client, requests, args.concurrency).await;
    let accepted = sent.with_status(202);
    println!(
        "follows: {} sent, {accepted} answered 202 in {:.2} s = {:.0} follows/s (p50 {:?}, p99 {:?})",
        args.followers,
        sent.took.as_secs_f64(),
        accepted as f64 / sent.took.as_secs_f64(),
        sent.percentile(0.5),
        sent.percentile(0.99),
    );
    let accepts = drive::wait_for(&crowd, "Accept", accepted, Duration::from_secs(300)).await;
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
            args.at.node, args.group
        ))
        .bearer_auth(&args.at.token)
        .json(&json!({"content": "Load test update"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201, "the update was refused");
    // Each follower's inbox gets Announce{Create{Note}} and Announce{Note}.
    let announces =
        drive::wait_for(&crowd, "Announce", 2 * accepted, Duration::from_secs(300)).await;
    let took = announces.1.duration_since(posted).as_secs_f64();
    println!(
        "announces: {} delivered to {accepted} inboxes, last {took:.2} s after the update = {:.0} deliveries/s",
        announces.0,
        announces.0 as f64 / took,
    );
}
