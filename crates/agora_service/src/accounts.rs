//! Accounts: sign-up, log-in, sessions and tokens, passwords, e-mail confirmation, roles, and
//! the instance actor.

use crate::{
    Context, ServiceError, ServiceResult, keys,
    mail::{self, Mail},
    secrets,
};
use agora_core::{
    ErrorKind,
    config::RegistrationMode,
    handle,
    kinds::{AccountKind, KindSetter},
    urls::INSTANCE_ACTOR,
};
use agora_db::{
    actors::{self, Actor, ActorForm},
    rate_limits,
    sessions::{self, Session},
    users::{self, User, UserForm},
};
use chrono::Duration;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 8;
/// Longest password accepted (hashing cost is bounded).
pub const MAX_PASSWORD: usize = 256;
/// Web sessions last this long.
pub const WEB_SESSION_DAYS: i64 = 30;
/// API tokens last this long.
pub const API_TOKEN_DAYS: i64 = 90;

/// A role an account can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An ordinary member.
    User,
    /// Handles reports.
    Moderator,
    /// Runs the node.
    Admin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "user" => Some(Role::User),
            "moderator" => Some(Role::Moderator),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// What a sign-up asks for. No field asks for a legal name: the handle is a pseudonym.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// The pseudonym, `@handle@host`.
    pub handle: String,
    /// Address used only to log in and confirm; never shown or federated.
    pub email: Option<String>,
    /// Password.
    pub password: String,
    /// Display name; the handle when empty.
    pub display_name: Option<String>,
}

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// Its actor.
    pub actor: Actor,
    /// The session or token used.
    pub session: Session,
}

impl SignedIn {
    /// Whether the account is an administrator.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin.as_str()
    }

    /// The strongest staff capacity of the account when it changes someone's kind.
    pub fn kind_setter(&self) -> Option<KindSetter> {
        match Role::parse(&self.user.role) {
            Some(Role::Admin) => Some(KindSetter::Admin),
            Some(Role::Moderator) => Some(KindSetter::Moderator),
            _ => None,
        }
    }
}

fn validate_password(password: &str) -> ServiceResult<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(ServiceError::invalid(
            "password",
            format!("at least {MIN_PASSWORD} characters"),
        ));
    }
    if n > MAX_PASSWORD {
        return Err(ServiceError::invalid(
            "password",
            format!("at most {MAX_PASSWORD} characters"),
        ));
    }
    Ok(())
}

fn validate_email(email: &str) -> ServiceResult<String> {
    let email = email.trim().to_string();
    if email.len() > 254 || email.parse::<lettre::Address>().is_err() {
        return Err(ServiceError::invalid("email", "not a valid e-mail address"));
    }
    Ok(email)
}

fn validate_display_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "display_name",
            "at most 100 characters, no control characters",
        ));
    }
    Ok(name.to_string())
}

/// The actor row of a new local actor whose id is `id`; its collections hang below the id.
pub(crate) fn local_actor_form(
    ctx: &Context,
    id: String,
    handle: &str,
    actor_type: &str,
    display_name: &str,
    keys: keys::KeyPair,
) -> ActorForm {
    ActorForm {
        inbox: format!("{id}/inbox"),
        outbox: Some(format!("{id}/outbox")),
        followers_url: Some(format!("{id}/followers")),
        following_url: Some(format!("{id}/following")),
        url: Some(id.clone()),
        ap_id: id,
        actor_type: actor_type.into(),
        username: handle.into(),
        domain: ctx.config.instance.domain.clone(),
        display_name: display_name.into(),
        summary: String::new(),
        shared_inbox: Some(ctx.urls.shared_inbox()),
        public_key_pem: keys.public_pem,
        private_key_pem: Some(keys.private_pem),
        local: true,
        account_kind: "citizen".into(),
        manually_approves_followers: false,
        also_known_as: "[]".into(),
        moved_to: None,
        last_refreshed_at: agora_db::now(),
        icon_url: None,
        image_url: None,
    }
}

/// Creates an account and its `Person` actor. Validates every field; `approved` false leaves it
/// waiting for an administrator. Returns the account, its actor and, when an e-mail was given,
/// queues the confirmation message.
pub async fn create_account(
    ctx: &Context,
    signup: SignUp,
    role: Role,
    approved: bool,
) -> ServiceResult<(User, Actor)> {
    handle::validate_handle(&signup.handle).map_err(|e| ServiceError::invalid("handle", e))?;
    validate_password(&signup.password)?;
    let email = signup
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(validate_email)
        .transpose()?;
    let display_name = validate_display_name(signup.display_name.as_deref().unwrap_or(""))?;
    let password = signup.password.clone();
    let (hash, keys) =
        tokio::task::spawn_blocking(move || (secrets::hash_password(&password), keys::generate()))
            .await
            .map_err(ServiceError::internal)?;
    let hash = hash.map_err(ServiceError::internal)?;
    let keys = keys.map_err(ServiceError::internal)?;
    let form = local_actor_form(
        ctx,
        ctx.urls.user(&signup.handle),
        &signup.handle,
        "Person",
        &display_name,
        keys,
    );
    let confirm_token = secrets::new_token();
    let confirm_hash = secrets::hash_token(&confirm_token);
    let confirm_link = format!("{}/confirm-email?token={confirm_token}", ctx.urls.base());
    let node_name = ctx.config.instance.name.clone();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                if actors::local_name_taken(conn, &form.username)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "handle: already taken",
                    ));
                }
                if let Some(email) = &email
                    && users::email_taken(conn, email)?
                {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "email: already in use",
                    ));
                }
                let actor = actors::insert(conn, &form)?;
                let user = users::insert(
                    conn,
                    &UserForm {
                        actor_id: actor.id,
                        // The address is stored unconfirmed; `email_confirmed_at` marks it proven.
                        email: email.clone(),
                        password_hash: hash,
                        role: role.as_str().into(),
                        approved,
                        created_at: agora_db::now(),
                    },
                )?;
                if let Some(email) = email {
                    sessions::insert_email_token(
                        conn,
                        user.id,
                        &confirm_hash,
                        &email,
                        agora_db::now() + Duration::days(2),
                    )?;
                    mail::queue(
                        conn,
                        &confirmation_mail(&node_name, &email, &actor.username, &confirm_link),
                    )?;
                }
                Ok((user, actor))
            })
        })
        .await
}

fn confirmation_mail(node: &str, to: &str, handle: &str, link: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: format!("{node}: confirm your e-mail address / confirmez votre adresse"),
        body: format!(
            "Hello @{handle},\n\nTo confirm this address, open:\n{link}\n\n\
             Bonjour @{handle},\n\nPour confirmer cette adresse, ouvrez :\n{link}\n\n\
             If you did not sign up, ignore this message. / Si vous ne vous êtes pas inscrit·e, ignorez ce message.\n"
        ),
    }
}

/// Signs up through the web or API, as the registration mode allows. `client` is the caller's
/// address, for the sign-up rate limit.
pub async fn register(ctx: &Context, signup: SignUp, client: &str) -> ServiceResult<(User, Actor)> {
    let approved = match ctx.config.instance.registration {
        RegistrationMode::Closed => {
            return Err(ServiceError::new(
                ErrorKind::RegistrationsClosed,
                "this node does not accept new accounts",
            ));
        }
        RegistrationMode::Approval => false,
        RegistrationMode::Open => true,
    };
    if signup.email.as_deref().is_none_or(|e| e.trim().is_empty()) {
        return Err(ServiceError::invalid("email", "required to sign up"));
    }
    let key = format!("signup:{client}");
    let limit = ctx.config.limits.signups_per_hour;
    let allowed = ctx
        .db
        .run(move |conn| rate_limits::hit(conn, &key, Duration::hours(1), limit))
        .await?;
    if !allowed {
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            "too many sign-ups from this address; try again in an hour",
        ));
    }
    create_account(ctx, signup, Role::User, approved).await
}

/// Checks a user name and password, with a per-address limit on failures.
pub async fn authenticate(
    ctx: &Context,
    username: &str,
    password: &str,
    client: &str,
) -> ServiceResult<(User, Actor)> {
    let key = format!("login:{client}");
    let limit = ctx.config.limits.login_failures_per_15min;
    let window = Duration::minutes(15);
    let (key2, name) = (
        key.clone(),
        username.trim().trim_start_matches('@').to_ascii_lowercase(),
    );
    let (blocked, found) = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            Ok((
                rate_limits::exceeded(conn, &key2, window, limit)?,
                users::by_username(conn, &name)?,
            ))
        })
        .await?;
    if blocked {
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            "too many failed log-ins; try again in 15 minutes",
        ));
    }
    let password = password.to_string();
    let candidate = found.clone();
    let ok = tokio::task::spawn_blocking(move || match &candidate {
        Some((user, _)) if password.len() <= MAX_PASSWORD * 4 => {
            secrets::verify_password(&password, &user.password_hash)
        }
        // Hash anyway so a missing account takes as long as a wrong password.
        _ => {
            let _ = secrets::hash_password("timing-equaliser");
            false
        }
    })
    .await
    .map_err(ServiceError::internal)?;
    match found {
        Some((user, actor)) if ok => {
            if !user.approved {
                return Err(ServiceError::new(
                    ErrorKind::AccountPendingApproval,
                    "an administrator has not approved this account yet",
                ));
            }
            Ok((user, actor))
        }
        _ => {
            ctx.db
                .run(move |conn| rate_limits::hit(conn, &key, window, i32::MAX))
                .await?;
            Err(ServiceError::new(
                ErrorKind::InvalidCredentials,
                "wrong user name or password",
            ))
        }
    }
}

/// Kind of session: a browser cookie or an API bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Cookie session with a CSRF token.
    Web,
    /// Bearer token.
    Api,
}

/// Opens a session; returns the secret for the client (only its hash is stored).
pub async fn open_session(
    ctx: &Context,
    user_id: i64,
    kind: SessionKind,
) -> ServiceResult<(String, Session)> {
    let token = secrets::new_token();
    let hash = secrets::hash_token(&token);
    let csrf = secrets::new_token();
    let (kind_name, days) = match kind {
        SessionKind::Web => ("web", WEB_SESSION_DAYS),
        SessionKind::Api => ("api", API_TOKEN_DAYS),
    };
    let session = ctx
        .db
        .run(move |conn| {
            sessions::insert(
                conn,
                user_id,
                &hash,
                kind_name,
                &csrf,
                agora_db::now() + Duration::days(days),
            )
        })
        .await?;
    Ok((token, session))
}

/// The account behind a session secret, if the session is valid.
pub async fn session(
    ctx: &Context,
    token: &str,
    kind: SessionKind,
) -> ServiceResult<Option<SignedIn>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let hash = secrets::hash_token(token);
    let want = match kind {
        SessionKind::Web => "web",
        SessionKind::Api => "api",
    };
    ctx.db
        .run(move |conn| -> ServiceResult<_> {
            let Some(session) = sessions::valid_by_hash(conn, &hash)? else {
                return Ok(None);
            };
            if session.kind != want {
                return Ok(None);
            }
            let user = users::by_id(conn, session.user_id)?;
            let actor = actors::by_id(conn, user.actor_id)?;
            if actor.deleted_at.is_some() || !user.approved {
                return Ok(None);
            }
            Ok(Some(SignedIn {
                user,
                actor,
                session,
            }))
        })
        .await
}

/// Ends a session.
pub async fn logout(ctx: &Context, token: &str) -> ServiceResult<()> {
    let hash = secrets::hash_token(token);
    Ok(ctx
        .db
        .run(move |conn| sessions::delete_by_hash(conn, &hash))
        .await?)
}

/// Changes a password after checking the current one; ends every other session.
pub async fn change_password(
    ctx: &Context,
    who: &SignedIn,
    current: &str,
    new: &str,
) -> ServiceResult<()> {
    validate_password(new)?;
    let (current, new, phc) = (
        current.to_string(),
        new.to_string(),
        who.user.password_hash.clone(),
    );
    let hash = tokio::task::spawn_blocking(move || {
        if secrets::verify_password(&current, &phc) {
            Some(secrets::hash_password(&new))
        } else {
            None
        }
    })
    .await
    .map_err(ServiceError::internal)?;
    let Some(hash) = hash else {
        return Err(ServiceError::new(
            ErrorKind::InvalidCredentials,
            "current password is wrong",
        ));
    };
    let hash = hash.map_err(ServiceError::internal)?;
    let (user_id, keep) = (who.user.id, who.session.token_hash.clone());
    ctx.db
        .run(move |conn| {
            users::set_password_hash(conn, user_id, &hash)?;
            sessions::delete_others(conn, user_id, &keep)
        })
        .await?;
    Ok(())
}

/// Confirms an e-mail address from the link sent to it.
pub async fn confirm_email(ctx: &Context, token: &str) -> ServiceResult<()> {
    if token.is_empty() || token.len() > 128 {
        return Err(ServiceError::invalid("token", "malformed"));
    }
    let hash = secrets::hash_token(token);
    let found = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let Some((user_id, email)) = sessions::take_email_token(conn, &hash)? else {
                return Ok(false);
            };
            users::confirm_email(conn, user_id, &email)?;
            Ok(true)
        })
        .await?;
    if found {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "token",
            "unknown or expired; ask for a new link",
        ))
    }
}

/// Sets the role of a local account by handle.
pub async fn set_role(ctx: &Context, handle: &str, role: Role) -> ServiceResult<()> {
    let handle = handle.trim_start_matches('@').to_string();
    ctx.db
        .run(move |conn| {
            let Some((user, _)) = users::by_username(conn, &handle)? else {
                return Err(agora_db::DbError::NotFound);
            };
            users::set_role(conn, user.id, role.as_str())
        })
        .await
        .map_err(|e| match e {
            agora_db::DbError::NotFound => ServiceError::not_found("account"),
            other => other.into(),
        })
}

/// The instance actor (`Application`), created on first use: it signs fetches and reports.
pub async fn instance_actor(ctx: &Context) -> ServiceResult<Actor> {
    if let Some(actor) = ctx
        .db
        .run(|conn| actors::local_by_username(conn, INSTANCE_ACTOR))
        .await?
    {
        return Ok(actor);
    }
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(ServiceError::internal)?
        .map_err(ServiceError::internal)?;
    let mut form = local_actor_form(
        ctx,
        ctx.urls.instance_actor(),
        INSTANCE_ACTOR,
        "Application",
        &ctx.config.instance.name,
        keys,
    );
    form.manually_approves_followers = true;
    let inserted = ctx.db.run(move |conn| actors::insert(conn, &form)).await;
    match inserted {
        Ok(actor) => Ok(actor),
        // Another worker made it first.
        Err(agora_db::DbError::UniqueViolation) => ctx
            .db
            .run(|conn| actors::local_by_username(conn, INSTANCE_ACTOR))
            .await?
            .ok_or_else(|| ServiceError::internal("instance actor vanished")),
        Err(e) => Err(e.into()),
    }
}

/// Approves an account that waits for approval.
pub async fn approve(ctx: &Context, handle: &str) -> ServiceResult<()> {
    let handle = handle.trim_start_matches('@').to_string();
    ctx.db
        .run(move |conn| -> ServiceResult<()> {
            let (user, _) = users::by_username(conn, &handle)?
                .ok_or_else(|| ServiceError::not_found("account"))?;
            Ok(users::approve(conn, user.id)?)
        })
        .await
}

/// Profile fields a user may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileEdit {
    /// Display name (empty shows the handle).
    pub display_name: Option<String>,
    /// Biography, plain text.
    pub summary: Option<String>,
    /// Whether follows wait for approval.
    pub manually_approves_followers: Option<bool>,
}

/// Longest biography accepted, in characters.
pub const MAX_SUMMARY: usize = 2000;

/// Changes a profile and queues its `Update` for followers on other servers.
pub async fn update_profile(
    ctx: &Context,
    who: &SignedIn,
    edit: ProfileEdit,
) -> ServiceResult<Actor> {
    let actor = &who.actor;
    // Nothing to change: no write, and no `Update` sent to every follower's server.
    if edit.display_name.is_none()
        && edit.summary.is_none()
        && edit.manually_approves_followers.is_none()
    {
        return Ok(actor.clone());
    }
    let display_name = match &edit.display_name {
        Some(name) => validate_display_name(name)?,
        None => actor.display_name.clone(),
    };
    let summary = match &edit.summary {
        Some(text) if text.chars().count() > MAX_SUMMARY => {
            return Err(ServiceError::invalid(
                "summary",
                format!("at most {MAX_SUMMARY} characters"),
            ));
        }
        Some(text) => agora_core::text::plain_text_to_html(text),
        None => actor.summary.clone(),
    };
    let manual = edit
        .manually_approves_followers
        .unwrap_or(actor.manually_approves_followers);
    let id = actor.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let updated = actors::update_profile(conn, id, &display_name, &summary, manual)?;
                crate::events::actor_changed(conn, id)?;
                Ok(updated)
            })
        })
        .await
}

/// Changes the kind of a local account. `by` is who asks and `by_user` their account (none for
/// the command line); the rules are [`AccountKind::may_change`]. Verified kinds record the date
/// and the administrator; the actor type follows the kind; followers hear an `Update`.
pub async fn set_kind(
    ctx: &Context,
    target: &Actor,
    kind: AccountKind,
    by: KindSetter,
    by_user: Option<i64>,
) -> ServiceResult<Actor> {
    if !target.local || target.actor_type == "Application" {
        return Err(ServiceError::not_found("account"));
    }
    let current = AccountKind::parse(&target.account_kind).unwrap_or(AccountKind::Citizen);
    current
        .may_change(kind, by, target.kind_set_by.is_some())
        .map_err(|why| ServiceError::new(ErrorKind::Forbidden, format!("account_kind: {why}")))?;
    let verified_at = kind.needs_verification().then(agora_db::now);
    let set_by = if by == KindSetter::Owner {
        None
    } else {
        by_user
    };
    let id = target.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let actor = actors::set_kind(
                    conn,
                    id,
                    kind.as_str(),
                    kind.actor_type(),
                    verified_at,
                    set_by,
                )?;
                crate::events::actor_changed(conn, id)?;
                Ok(actor)
            })
        })
        .await
}

/// Sets the kind of the account with this handle, as a moderator or administrator.
pub async fn set_kind_of(
    ctx: &Context,
    handle: &str,
    kind: AccountKind,
    by: KindSetter,
    by_user: Option<i64>,
) -> ServiceResult<Actor> {
    let handle = handle.trim_start_matches('@').to_string();
    let target = ctx
        .db
        .run(move |conn| users::by_username(conn, &handle))
        .await?
        .map(|(_, actor)| actor)
        .ok_or_else(|| ServiceError::not_found("account"))?;
    set_kind(ctx, &target, kind, by, by_user).await
}
