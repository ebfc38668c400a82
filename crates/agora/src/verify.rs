//! `agora petition verify URL`: checks a petition from anywhere, trusting nothing its node
//! says without proof. The checkpoint must be signed by the node's published key; every leaf
//! is fetched, parsed strictly and hashed again, and must give the checkpoint's root; the
//! count the leaves prove must be the count the petition shows; and, given an earlier
//! checkpoint, the log must extend it (nothing removed or rewritten since).

use agora_tlog::{Leaf, MemoryTree, SignedCheckpoint, check_consistency, count_of, hash_from_hex};
use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use std::{path::PathBuf, time::Duration};

/// What to check, from the command line.
pub struct Verify {
    /// The petition's URI.
    pub url: String,
    /// A checkpoint saved earlier (`--save`), which the log must extend.
    pub since: Option<PathBuf>,
    /// The node's checkpoint key, when known from elsewhere; NodeInfo's otherwise.
    pub key: Option<String>,
    /// Where to save the checkpoint verified, for a later `--since`.
    pub save: Option<PathBuf>,
}

const ACTIVITY_JSON: &str = "application/activity+json";
/// Leaves asked for per request (the node serves at most this many).
const PAGE: usize = 1000;

fn client() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("agora-verify/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

async fn get_json(http: &reqwest::Client, url: &str, accept: &str) -> Result<Value> {
    let r = http
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .with_context(|| format!("fetching {url}"))?;
    ensure!(r.status().is_success(), "{url} answered {}", r.status());
    r.json().await.with_context(|| format!("reading {url}"))
}

/// The checkpoint key a node publishes in its NodeInfo. Both the NodeInfo document and the
/// key's name must be the petition's server's: a node pointing at another server's NodeInfo,
/// or publishing a key named for another server, would have its checkpoints read as that
/// server's.
async fn published_key(http: &reqwest::Client, petition: &url::Url) -> Result<String> {
    let index = get_json(
        http,
        petition.join("/.well-known/nodeinfo")?.as_str(),
        "application/json",
    )
    .await?;
    let href = index["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["href"].as_str())
        .find(|h| h.ends_with("/2.1"))
        .context("the node's NodeInfo has no 2.1 document")?
        .to_string();
    let href_url = url::Url::parse(&href).context("the NodeInfo link is not a URL")?;
    ensure!(
        href_url.origin() == petition.origin(),
        "the node's NodeInfo link points to another server ({href})"
    );
    let nodeinfo = get_json(http, &href, "application/json").await?;
    let key = nodeinfo["metadata"]["transparencyLogKey"]
        .as_str()
        .context("the node's NodeInfo publishes no transparencyLogKey")?;
    let server = agora_core::urls::authority(petition).context("the petition's URL has no host")?;
    let name = key.split('+').next().unwrap_or_default();
    ensure!(
        name == server,
        "the node's checkpoint key is named for {name:?}, not for the petition's server {server:?}"
    );
    Ok(key.to_string())
}

/// One pass over the petition: its checkpoint, all its leaves, the count it shows.
struct Snapshot {
    checkpoint: SignedCheckpoint,
    tree: MemoryTree,
    proved: u64,
    shown: i64,
}

async fn snapshot(http: &reqwest::Client, url: &str, log: &str, key: &str) -> Result<Snapshot> {
    let note = http
        .get(format!("{log}/checkpoint"))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let checkpoint = SignedCheckpoint::verify(&note, key)
        .context("the checkpoint is not signed by the node's key")?;
    let origin = agora_tlog::origin_of(log);
    ensure!(
        checkpoint.origin == origin,
        "the checkpoint is for {:?}, not for this petition's log {origin:?}",
        checkpoint.origin
    );
    let mut leaves = Vec::new();
    while (leaves.len() as u64) < checkpoint.size {
        let page = get_json(
            http,
            &format!("{log}/leaves?start={}&limit={PAGE}", leaves.len()),
            "application/json",
        )
        .await?;
        let batch = page["leaves"]
            .as_array()
            .context("no leaves in the answer")?;
        if batch.is_empty() {
            bail!(
                "the log serves {} leaves but its checkpoint counts {}",
                leaves.len(),
                checkpoint.size
            );
        }
        for text in batch {
            let index = leaves.len();
            let bytes = text.as_str().context("a leaf is not text")?.as_bytes();
            leaves.push(Leaf::from_bytes(bytes).with_context(|| format!("leaf {index}"))?);
        }
    }
    leaves.truncate(checkpoint.size as usize);
    let mut tree = MemoryTree::new();
    for leaf in &leaves {
        tree.append(&leaf.to_bytes())?;
    }
    let root = tree.root(checkpoint.size)?;
    ensure!(
        root == checkpoint.root,
        "the leaves served do not hash to the checkpoint's root: the log was altered"
    );
    let proved = count_of(&leaves).context("the history in the log is not valid")?;
    let question = get_json(http, url, ACTIVITY_JSON).await?;
    let shown = question["votersCount"]
        .as_i64()
        .context("the petition shows no votersCount")?;
    Ok(Snapshot {
        checkpoint,
        tree,
        proved,
        shown,
    })
}

/// Runs the checks; any failure is an error (a non-zero exit).
pub async fn run(v: Verify) -> Result<()> {
    let http = client()?;
    let url = url::Url::parse(&v.url).context("the petition's URL")?;
    let question = get_json(&http, url.as_str(), ACTIVITY_JSON).await?;
    ensure!(
        question["type"] == "Question",
        "{url} is not a petition (no Question)"
    );
    let log = question["transparencyLog"]
        .as_str()
        .context("the petition has no transparencyLog")?
        .to_string();
    let log_url = url::Url::parse(&log).context("transparencyLog is not a URL")?;
    ensure!(
        log_url.origin() == url.origin(),
        "the log is not on the petition's server"
    );
    let key = match v.key {
        Some(k) => k,
        None => published_key(&http, &url).await?,
    };
    // A signature may land between reading the log and the petition: one more pass then.
    let mut snap = snapshot(&http, url.as_str(), &log, &key).await?;
    if snap.proved as i64 != snap.shown {
        snap = snapshot(&http, url.as_str(), &log, &key).await?;
    }
    ensure!(
        snap.proved as i64 == snap.shown,
        "the petition shows {} signatures but its log proves {}",
        snap.shown,
        snap.proved
    );
    println!(
        "checkpoint signed by {}",
        key.split('+').next().unwrap_or(&key)
    );
    println!(
        "{} leaves hash to the root {}",
        snap.checkpoint.size,
        agora_tlog::hash_to_hex(&snap.checkpoint.root)
    );
    println!("{} signatures proved, as shown", snap.proved);
    if let Some(path) = v.since {
        let old_note =
            std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let old = SignedCheckpoint::verify(&old_note, &key)
            .context("the earlier checkpoint is not signed by the node's key")?;
        ensure!(
            old.origin == snap.checkpoint.origin,
            "the earlier checkpoint is of another log"
        );
        ensure!(
            old.size <= snap.checkpoint.size,
            "the log shrank from {} to {} leaves",
            old.size,
            snap.checkpoint.size
        );
        ensure!(
            snap.tree.root(old.size)? == old.root,
            "the log was rewritten: its first {} leaves are not those of the earlier checkpoint",
            old.size
        );
        // The node's own consistency proof must hold too.
        if old.size > 0 {
            let proof = get_json(
                &http,
                &format!(
                    "{log}/consistency?from={}&to={}",
                    old.size, snap.checkpoint.size
                ),
                "application/json",
            )
            .await?;
            let hashes = proof["proof"]
                .as_array()
                .context("no proof in the answer")?
                .iter()
                .map(|h| h.as_str().and_then(hash_from_hex).context("a proof hash"))
                .collect::<Result<Vec<_>>>()?;
            check_consistency(
                &hashes,
                snap.checkpoint.size,
                snap.checkpoint.root,
                old.size,
                old.root,
            )
            .context("the node's consistency proof does not hold")?;
        }
        println!("consistent with the checkpoint of {} leaves", old.size);
    }
    if let Some(path) = v.save {
        std::fs::write(&path, &snap.checkpoint.note)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
