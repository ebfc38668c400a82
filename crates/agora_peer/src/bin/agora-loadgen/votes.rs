//! `votes`: the fediverse signs. A crowd of remote actors votes on petitions of a running node
//! as Mastodon votes on a poll (`Create{Note}` with the option's `name`, to the author's inbox,
//! signed draft-cavage), every request signed before the clock runs.
//!
//! First each actor signs a warm-up petition (the node fetches each actor once, as it would on
//! first contact); then the measured run: every actor signs each of the other petitions, one
//! petition after the other, as a wave of votes hits one viral petition at a time. The run ends
//! when the petitions count every acknowledged vote, read back from the API.
//! `tests/bench/votes.sh` starts a node and runs it.

use crate::drive;
use agora_peer::{mastodon, peer::Peer};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Options of the run.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: drive::NodeArgs,
    /// Remote actors voting.
    #[arg(long, default_value_t = 1000)]
    actors: usize,
    /// Petitions each actor signs in the measured run.
    #[arg(long, default_value_t = 15)]
    petitions: usize,
    /// Votes in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
}

/// A petition of the node, as the votes name it.
struct Petition {
    id: i64,
    uri: String,
    author: String,
}

/// Runs it.
pub async fn run(args: Args) {
    let (private_pem, public_pem) = drive::key_pair();
    let crowd = Peer::start_crowd(&public_pem).await;
    let client = drive::client(args.concurrency);
    let mut petitions = Vec::new();
    for n in 0..=args.petitions {
        petitions.push(open_petition(&client, &args, n).await);
    }
    let actors: Vec<String> = (0..args.actors)
        .map(|i| crowd.url(&format!("/users/u{i}")))
        .collect();

    let warm_up = drive::sign_all(&private_pem, votes(&actors, &petitions[..1]));
    let sent = drive::send_all(&client, warm_up, args.concurrency).await;
    println!(
        "warm-up: {} first votes (each actor fetched once) in {:.2} s = {:.0}/s, {} answered 202",
        args.actors,
        sent.took.as_secs_f64(),
        args.actors as f64 / sent.took.as_secs_f64(),
        sent.with_status(202),
    );

    let measured = &petitions[1..];
    let started = Instant::now();
    let requests = drive::sign_all(&private_pem, votes(&actors, measured));
    println!(
        "signed {} votes ahead in {:.1} s",
        requests.len(),
        started.elapsed().as_secs_f64()
    );
    let total = requests.len();
    let sent = drive::send_all(&client, requests, args.concurrency).await;
    let acked = sent.with_status(202);
    println!(
        "votes: {total} sent, {acked} answered 202 in {:.2} s = {:.0} votes/s (p50 {:?}, p99 {:?}); other answers {:?}",
        sent.took.as_secs_f64(),
        acked as f64 / sent.took.as_secs_f64(),
        sent.percentile(0.5),
        sent.percentile(0.99),
        sent.others(202),
    );
    // A 202 comes after the vote is counted; read the counts back to be sure of it.
    let mut counted = 0;
    for p in measured {
        counted += count_of(&client, &args.at.node, p.id).await;
    }
    println!(
        "counted: {counted} signatures on {} petitions = {:.0} verified and counted votes/s",
        measured.len(),
        counted as f64 / sent.took.as_secs_f64(),
    );
    assert_eq!(
        counted, acked,
        "every acknowledged vote, and only those, must count"
    );
}

/// Mastodon's vote of each actor on each petition, petition after petition.
fn votes(actors: &[String], petitions: &[Petition]) -> Vec<(String, String, Vec<u8>)> {
    petitions
        .iter()
        .flat_map(|p| {
            actors.iter().map(move |actor| {
                let body = mastodon::vote(actor, p.id, &p.uri, &p.author, "Sign");
                let inbox = format!("{}/inbox", p.author);
                (
                    inbox,
                    format!("{actor}#main-key"),
                    body.to_string().into_bytes(),
                )
            })
        })
        .collect()
}

async fn open_petition(client: &reqwest::Client, args: &Args, n: usize) -> Petition {
    let title = format!("Signed from everywhere {n}");
    let policy = json!({"signature_policy": "fediverse"});
    let created = drive::open_petition(client, &args.at, &title, policy).await;
    Petition {
        id: created["id"].as_i64().unwrap(),
        uri: created["uri"].as_str().unwrap().to_string(),
        author: created["author"]["uri"].as_str().unwrap().to_string(),
    }
}

async fn count_of(client: &reqwest::Client, node: &str, id: i64) -> usize {
    let petition: Value = client
        .get(format!("{node}/api/v1/petitions/{id}"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    petition["signatures"]["verified"].as_u64().unwrap() as usize
}
