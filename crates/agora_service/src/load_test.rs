//! Accounts for load tests: many confirmed accounts at once, each with an API token, so a
//! benchmark can sign a petition from as many accounts as it needs. Making them one by one
//! would spend an Argon2id hash and an RSA key generation each (tens of milliseconds); these
//! share one key pair made for the batch and have no password, so they can only act through
//! their token. Meant for a node that exists to be measured, never for a real one.

use crate::{Context, ServiceError, ServiceResult, accounts, keys, secrets};
use agora_core::{actor_type::ActorType, handle};
use agora_db::load_accounts::{self, LoadAccount};
use chrono::Duration;

/// Accounts written per transaction.
const CHUNK: usize = 5_000;

/// A password hash no password matches (not a PHC string): log-in always fails.
const NO_PASSWORD: &str = "!load-test account: no password";

/// Opens `count` confirmed accounts `{prefix}{n}` (n from 1), each with an API token; gives
/// the tokens in order. `progress` hears how many are done after each chunk.
pub async fn seed_accounts(
    ctx: &Context,
    prefix: &str,
    count: usize,
    mut progress: impl FnMut(usize),
) -> ServiceResult<Vec<String>> {
    let last = format!("{prefix}{count}");
    handle::validate_handle(&last).map_err(|e| ServiceError::invalid("prefix", e))?;
    let pair = crate::secrets::hashing(keys::generate)
        .await
        .ok_or_else(|| ServiceError::internal("no hashing slot"))?
        .map_err(ServiceError::internal)?;
    let mut tokens = Vec::with_capacity(count);
    let mut start = 1;
    while start <= count {
        let end = (start + CHUNK - 1).min(count);
        let (batch, batch_tokens): (Vec<LoadAccount>, Vec<String>) = (start..=end)
            .map(|n| {
                let name = format!("{prefix}{n}");
                let actor = accounts::local_actor_form(
                    ctx,
                    ctx.urls.user(&name),
                    &name,
                    ActorType::Person,
                    "",
                    keys::KeyPair {
                        public_pem: pair.public_pem.clone(),
                        private_pem: pair.private_pem.clone(),
                    },
                );
                let token = secrets::new_token();
                let account = LoadAccount {
                    actor,
                    email: format!("{name}@load-test.invalid"),
                    token_hash: secrets::hash_token(&token),
                    csrf: secrets::new_token(),
                };
                (account, token)
            })
            .unzip();
        tokens.extend(batch_tokens);
        ctx.db
            .run(move |conn| {
                agora_db::write_transaction(conn, |conn| {
                    let shared = load_accounts::Shared {
                        password_hash: NO_PASSWORD,
                        role: accounts::Role::User.as_str(),
                        session_kind: "api",
                        expires_at: agora_db::now() + Duration::days(accounts::API_TOKEN_DAYS),
                    };
                    load_accounts::insert(conn, &batch, &shared)
                })
            })
            .await?;
        progress(end);
        start = end + 1;
    }
    Ok(tokens)
}

/// Writes `count` reports received over `year` against the instance actor, as a busy node's
/// year: the sixteen categories in turn, a fifth from other servers, four in five decided
/// within 0 to 71 hours with each action in turn. For the yearly report's benchmark.
pub async fn seed_reports(ctx: &Context, year: i32, count: usize) -> ServiceResult<()> {
    use agora_core::report::{Action, Category, ReportStatus};
    use agora_db::reports::{self, SeededReport};
    let target = accounts::instance_actor(ctx).await?;
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| ServiceError::invalid("year", "a calendar year"))?;
    let domain = ctx.config.instance.domain.clone();
    // Spread over the year's first 360 days, whatever the count.
    let step = Duration::seconds(360 * 86_400 / count.max(1) as i64);
    let rows: Vec<SeededReport> = (0..count)
        .map(|i| {
            let created_at = start + step * i as i32;
            let decided = i % 5 != 4;
            let action = Action::ALL[i % Action::ALL.len()];
            SeededReport {
                origin: if i % 5 == 0 {
                    format!("server{}.example", i % 7)
                } else {
                    domain.clone()
                },
                target_kind: "post".into(),
                target_ap_id: format!("{}/posts/load-{i}", ctx.urls.base()),
                target_actor_id: Some(target.id),
                category: Category::ALL[i % Category::ALL.len()].as_str().into(),
                snapshot: "{}".into(),
                status: if decided {
                    ReportStatus::Decided.as_str().into()
                } else {
                    ReportStatus::Open.as_str().into()
                },
                action: decided.then(|| action.as_str().to_string()),
                reason: decided.then(|| "load test".to_string()),
                decided_at: decided.then(|| created_at + Duration::hours((i % 72) as i64)),
                created_at,
            }
        })
        .collect();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| reports::insert_many(conn, &rows))
        })
        .await?;
    Ok(())
}

/// An account with `posts` posts and `signatures` signatures (one on each of as many open
/// petitions), for the archive's benchmark; gives its user id.
pub async fn seed_archive(
    ctx: &Context,
    prefix: &str,
    posts: usize,
    signatures: usize,
) -> ServiceResult<i64> {
    use agora_db::{
        petitions::{PetitionForm, SignatureForm},
        posts::PostForm,
    };
    seed_accounts(ctx, prefix, 1, |_| {}).await?;
    let handle = format!("{prefix}1");
    let base = ctx.urls.base().to_string();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<i64> {
                let (user, actor) = agora_db::users::by_username(conn, &handle)?
                    .ok_or_else(|| ServiceError::not_found("account"))?;
                let now = agora_db::now();
                let forms: Vec<PostForm> = (0..posts)
                    .map(|i| PostForm {
                        ap_id: format!("{base}/posts/load-{handle}-{i}"),
                        author_id: actor.id,
                        content: format!(
                            "<p>Message {i} : une ville plus verte, des bancs, de l'ombre.</p>"
                        ),
                        source: None,
                        spoiler_text: None,
                        in_reply_to: None,
                        url: None,
                        local: true,
                        published: now - Duration::minutes((posts - i) as i64),
                        updated: None,
                        group_id: None,
                    })
                    .collect();
                agora_db::posts::insert_many(conn, &forms)?;
                let petitions: Vec<PetitionForm> = (0..signatures)
                    .map(|i| PetitionForm {
                        ap_id: format!("{base}/petitions/load-{handle}-{i}"),
                        local: true,
                        author_id: actor.id,
                        created_by: None,
                        title: format!("Pétition {i}"),
                        text: "<p>Pour des arbres.</p>".into(),
                        target: "Mairie".into(),
                        target_actor_id: None,
                        deadline: now + Duration::days(30),
                        milestones: "[]".into(),
                        signature_policy: "local_verified".into(),
                        trusted_instances: "[]".into(),
                        public_names: false,
                        status: "open".into(),
                        option_name: "Sign".into(),
                        remote_count: 0,
                        transparency_log: None,
                        created_at: now,
                        updated_at: now,
                    })
                    .collect();
                let ids = agora_db::petitions::insert_many(conn, &petitions)?;
                let forms: Vec<SignatureForm> = ids
                    .iter()
                    .map(|&petition_id| {
                        let salt = secrets::new_token();
                        SignatureForm {
                            petition_id,
                            signer_id: actor.id,
                            origin: "local".into(),
                            vote_ap_id: None,
                            show_name: false,
                            commitment: secrets::hash_token(&salt),
                            salt,
                            leaf_index: Some(0),
                            signed_at: now,
                            client_addr: None,
                        }
                    })
                    .collect();
                agora_db::petitions::insert_signatures(conn, &forms)?;
                Ok(user.id)
            })
        })
        .await
}

/// A node's context for a benchmark: SQLite in a fresh temporary folder, or the (empty)
/// PostgreSQL database `AGORA_BENCH_DATABASE` names. Gives the folder too, to remove after.
pub fn bench_context(name: &str) -> ServiceResult<(Context, std::path::PathBuf)> {
    let dir = std::env::temp_dir().join(format!("agora-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(ServiceError::internal)?;
    let mut config = agora_core::Config {
        data_dir: dir.clone(),
        ..Default::default()
    };
    config.instance.domain = "bench.example".into();
    if let Ok(url) = std::env::var("AGORA_BENCH_DATABASE") {
        config.database.url = url;
    }
    Ok((Context::open(config)?, dir))
}
