//! Federation load generator: simulated remote servers on 127.0.0.1 drive a running node
//! through its inbox and count what it sends back.
//!
//! - `follow`: a crowd follows an initiative, then the crowd counts the announces of an update.
//! - `votes`: a crowd of actors signs petitions with Mastodon's poll votes, signed ahead.
//! - `fanout`: followers on many slow servers wait for a petition's new count.
//!
//! The scripts in `tests/bench/` start a node and run these. A bench tool: it panics on
//! anything unexpected, and that panic is the report.
#![allow(clippy::unwrap_used)]

mod drive;
mod fanout;
mod follow;
mod votes;

use clap::{Parser, Subcommand};

/// Command line.
#[derive(Parser)]
#[command(about = "Federation load on a running Agora node")]
struct Args {
    #[command(subcommand)]
    run: Run,
}

/// The runs.
#[derive(Subcommand)]
enum Run {
    /// Follows per second, then announce deliveries per second.
    Follow(follow::Args),
    /// Signed remote votes verified and counted per second.
    Votes(votes::Args),
    /// How long a petition's count takes to reach followers on slow servers.
    Fanout(fanout::Args),
}

#[tokio::main]
async fn main() {
    match Args::parse().run {
        Run::Follow(args) => follow::run(args).await,
        Run::Votes(args) => votes::run(args).await,
        Run::Fanout(args) => fanout::run(args).await,
    }
}
