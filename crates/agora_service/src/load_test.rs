//! Accounts for load tests: many confirmed accounts at once, each with an API token, so a
//! benchmark can sign a petition from as many accounts as it needs. Making them one by one
//! would spend an Argon2id hash and an RSA key generation each (tens of milliseconds); these
//! share one key pair made for the batch and have no password, so they can only act through
//! their token. Meant for a node that exists to be measured, never for a real one.

use crate::{Context, ServiceError, ServiceResult, accounts, keys, secrets};
use agora_core::{actor_type::ActorType, handle};
use agora_db::{actors, sessions, users};
use chrono::Duration;

/// Accounts written per transaction.
const CHUNK: usize = 2_000;

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
        let batch: Vec<(actors::ActorForm, String, String)> = (start..=end)
            .map(|n| {
                let name = format!("{prefix}{n}");
                let form = accounts::local_actor_form(
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
                let email = format!("{name}@load-test.invalid");
                (form, email, secrets::new_token())
            })
            .collect();
        tokens.extend(batch.iter().map(|(_, _, t)| t.clone()));
        ctx.db
            .run(move |conn| {
                agora_db::write_transaction(conn, |conn| -> ServiceResult<()> {
                    let now = agora_db::now();
                    for (form, email, token) in &batch {
                        let actor = actors::insert(conn, form)?;
                        let user = users::insert(
                            conn,
                            &users::UserForm {
                                actor_id: actor.id,
                                unconfirmed_email: Some(email.clone()),
                                password_hash: NO_PASSWORD.into(),
                                role: accounts::Role::User.as_str().into(),
                                approved: true,
                                created_at: now,
                            },
                        )?;
                        users::confirm_email(conn, user.id, email)?;
                        sessions::insert(
                            conn,
                            user.id,
                            &secrets::hash_token(token),
                            "api",
                            &secrets::new_token(),
                            now + Duration::days(accounts::API_TOKEN_DAYS),
                        )?;
                    }
                    Ok(())
                })
            })
            .await?;
        progress(end);
        start = end + 1;
    }
    Ok(tokens)
}
