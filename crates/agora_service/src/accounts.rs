//! Accounts: sign-up, log-in, sessions and tokens, passwords, e-mail confirmation, roles, and
//! the instance actor.

use crate::{
    Context, ServiceError, ServiceResult, keys,
    mail::{self, Mail},
    secrets,
    session_desk::SessionLookup,
};
use agora_core::{
    ErrorKind,
    actor_type::ActorType,
    config::RegistrationMode,
    handle,
    kinds::{AccountKind, KindSetter},
    urls::{INSTANCE_ACTOR, MODERATION_ACTOR, Urls},
};
use agora_db::{
    DbConn,
    actors::{self, Actor, ActorForm},
    connection::Backend,
    error::DbResult,
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
    actor_type: ActorType,
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
        actor_type: actor_type.as_str().into(),
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
        published_at: None,
    }
}

/// Who opens an account: someone signing up, who must learn nothing of other accounts, or
/// an administrator, who is told plainly what is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// Web or API sign-up.
    SignUp,
    /// `agora admin create-user`.
    Admin,
    /// `agora admin create-user --confirmed`: the administrator vouches for the address, as
    /// Mastodon's `tootctl accounts create --confirmed` does; no confirmation mail is sent.
    AdminConfirmed,
}

/// Creates an account and its `Person` actor. Validates every field; `approved` false leaves it
/// waiting for an administrator. Returns the account, its actor and, when an e-mail was given,
/// queues the confirmation message. On sign-up, an address another account has confirmed gets
/// the same answer as a new one, and its holder a mail saying someone tried it; the new
/// account keeps it unconfirmed and can never confirm it.
pub async fn create_account(
    ctx: &Context,
    signup: SignUp,
    role: Role,
    approved: bool,
    opening: Opening,
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
        secrets::hashing(move || (secrets::hash_password(&password), keys::generate()))
            .await
            .ok_or_else(busy)?;
    let hash = hash.map_err(ServiceError::internal)?;
    let keys = keys.map_err(ServiceError::internal)?;
    let form = local_actor_form(
        ctx,
        ctx.urls.user(&signup.handle),
        &signup.handle,
        ActorType::Person,
        &display_name,
        keys,
    );
    let confirm_token = secrets::new_token();
    let confirm_hash = secrets::hash_token(&confirm_token);
    let confirm_link = format!("{}/confirm-email?token={confirm_token}", ctx.urls.base());
    let node_name = ctx.config.instance.name.clone();
    let login_link = format!("{}/login", ctx.urls.base());
    let terms_accepted = crate::policies::terms_version(ctx);
    let urls = ctx.urls.clone();
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                if handle_taken(conn, &urls, &form.username)? {
                    return Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "handle: already taken",
                    ));
                }
                let held = match &email {
                    Some(email) if opening != Opening::SignUp => {
                        if users::email_claimed(conn, email)? {
                            return Err(ServiceError::new(
                                ErrorKind::Conflict,
                                "email: already used by another account",
                            ));
                        }
                        false
                    }
                    Some(email) => users::email_taken(conn, email)?,
                    None => false,
                };
                let actor = actors::insert(conn, &form)?;
                let user = users::insert(
                    conn,
                    &UserForm {
                        actor_id: actor.id,
                        // `users.email` is set when the address is proven.
                        unconfirmed_email: email.clone(),
                        password_hash: hash,
                        role: role.as_str().into(),
                        approved,
                        created_at: agora_db::now(),
                        // Signing up accepts the terms in effect, which the form links to.
                        terms_accepted,
                    },
                )?;
                match email {
                    Some(email) if opening == Opening::AdminConfirmed => {
                        users::confirm_email(conn, user.id, &email)?;
                    }
                    Some(email) if held => mail::queue(
                        conn,
                        &address_in_use_mail(&node_name, &email, &actor.username, &login_link),
                    )?,
                    Some(email) => {
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
                    None => {}
                }
                Ok((user, actor))
            })
        })
        .await
}

/// Told to the holder of an address someone else signed up with.
fn address_in_use_mail(node: &str, to: &str, new_handle: &str, login: &str) -> Mail {
    Mail {
        to: to.into(),
        subject: format!(
            "{node}: someone signed up with your address / inscription avec votre adresse"
        ),
        body: format!(
            "Hello,\n\nSomeone opened the account @{new_handle} on {node} with this address, which \
             an account of yours already uses. It was not linked to your address. If it was you, \
             log in to your account instead: {login}\n\n\
             Bonjour,\n\nQuelqu'un a ouvert le compte @{new_handle} sur {node} avec cette adresse, \
             déjà utilisée par l'un de vos comptes. Il n'a pas été lié à votre adresse. Si c'était \
             vous, connectez-vous plutôt à votre compte : {login}\n"
        ),
    }
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
    create_account(ctx, signup, Role::User, approved, Opening::SignUp).await
}

/// How long an address from which an account logged in stays known to it: failures on the
/// account from elsewhere do not slow its owner down from there.
const KNOWN_ADDRESS_DAYS: i64 = 90;

/// Checks a user name and password. Two limits, counted in the database:
/// - per client address: every attempt counts before its password is hashed (a success is
///   given back), so a burst from one address costs at most `login_failures_per_15min` hashes;
/// - per account: past `login_failures_per_account_15min` failures, the account takes
///   attempts only from addresses it logged in from before, so guessing one password from
///   many addresses slows down while its owner, at home, still gets in.
pub async fn authenticate(
    ctx: &Context,
    username: &str,
    password: &str,
    client: &str,
) -> ServiceResult<(User, Actor)> {
    let window = Duration::minutes(15);
    let limits = ctx.config.limits.clone();
    let client_key = format!("login:{client}");
    let name = username.trim().trim_start_matches('@').to_ascii_lowercase();
    let client = client.to_string();
    let (key, who) = (client_key.clone(), client.clone());
    let (allowed, found, account_closed) = ctx
        .db
        .run(move |conn| -> ServiceResult<_> {
            let allowed = rate_limits::hit(conn, &key, window, limits.login_failures_per_15min)?;
            let found = users::by_username(conn, &name)?;
            let account_closed = match &found {
                Some((user, _)) if allowed => {
                    rate_limits::exceeded(
                        conn,
                        &account_failures_key(user.id),
                        window,
                        limits.login_failures_per_account_15min,
                    )? && !rate_limits::exceeded(
                        conn,
                        &known_address_key(user.id, &who),
                        Duration::days(KNOWN_ADDRESS_DAYS),
                        1,
                    )?
                }
                _ => false,
            };
            Ok((allowed, found, account_closed))
        })
        .await?;
    if !allowed {
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            "too many log-in attempts from this address; try again in 15 minutes",
        ));
    }
    if account_closed {
        return Err(ServiceError::new(
            ErrorKind::RateLimited,
            "too many failed log-ins on this account; try again in 15 minutes, or from a \
             device that logged in before",
        ));
    }
    let password = password.to_string();
    let candidate = found.as_ref().map(|(user, _)| user.password_hash.clone());
    let ok = secrets::hashing(move || match &candidate {
        Some(phc) if password.len() <= MAX_PASSWORD * 4 => secrets::verify_password(&password, phc),
        // Hash anyway so a missing account takes as long as a wrong password.
        _ => {
            let _ = secrets::hash_password("timing-equaliser");
            false
        }
    })
    .await
    .ok_or_else(|| {
        ServiceError::new(
            ErrorKind::RateLimited,
            "the node is busy checking passwords; try again in a moment",
        )
    })?;
    match found {
        Some((user, actor)) if ok => {
            let id = user.id;
            ctx.db
                .run(move |conn| -> ServiceResult<_> {
                    rate_limits::refund(conn, &client_key)?;
                    rate_limits::hit(
                        conn,
                        &known_address_key(id, &client),
                        Duration::days(KNOWN_ADDRESS_DAYS),
                        i32::MAX,
                    )?;
                    Ok(())
                })
                .await?;
            if !user.approved {
                return Err(ServiceError::new(
                    ErrorKind::AccountPendingApproval,
                    "an administrator has not approved this account yet",
                ));
            }
            if actor.suspended_at.is_some() {
                return Err(ServiceError::new(
                    ErrorKind::AccountSuspended,
                    "the link in the moderators' message opens the appeal form",
                ));
            }
            Ok((user, actor))
        }
        found => {
            if let Some((user, _)) = found {
                let key = account_failures_key(user.id);
                ctx.db
                    .run(move |conn| rate_limits::hit(conn, &key, window, i32::MAX))
                    .await?;
            }
            Err(ServiceError::new(
                ErrorKind::InvalidCredentials,
                "wrong user name or password",
            ))
        }
    }
}

fn account_failures_key(user_id: i64) -> String {
    format!("login-account:{user_id}")
}

fn known_address_key(user_id: i64, client: &str) -> String {
    format!("login-known:{user_id}:{client}")
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
    let found = match ctx.db.backend() {
        Backend::Postgres => ctx.sessions.run(SessionLookup(hash)).await?,
        Backend::Sqlite => {
            ctx.db
                .run_quick(move |conn| sessions::valid_with_account(conn, &hash))
                .await?
        }
    };
    let Some((session, user, actor)) = found else {
        return Ok(None);
    };
    if session.kind != want
        || actor.deleted_at.is_some()
        || actor.suspended_at.is_some()
        || !user.approved
    {
        return Ok(None);
    }
    Ok(Some(SignedIn {
        user,
        actor,
        session,
    }))
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
    confirm_password(who, current).await?;
    let new = new.to_string();
    let hash = secrets::hashing(move || secrets::hash_password(&new))
        .await
        .ok_or_else(busy)?
        .map_err(ServiceError::internal)?;
    let (user_id, keep) = (who.user.id, who.session.token_hash.clone());
    ctx.db
        .run(move |conn| {
            users::set_password_hash(conn, user_id, &hash)?;
            sessions::delete_others(conn, user_id, &keep)
        })
        .await?;
    Ok(())
}

/// Checks the signed-in user's password again, before a change that cannot be undone by
/// whoever merely holds the session.
pub(crate) async fn confirm_password(who: &SignedIn, password: &str) -> ServiceResult<()> {
    let (password, phc) = (password.to_string(), who.user.password_hash.clone());
    let ok = secrets::hashing(move || {
        password.len() <= MAX_PASSWORD * 4 && secrets::verify_password(&password, &phc)
    })
    .await
    .ok_or_else(busy)?;
    if ok {
        Ok(())
    } else {
        Err(ServiceError::new(
            ErrorKind::InvalidCredentials,
            "current password is wrong",
        ))
    }
}

fn busy() -> ServiceError {
    ServiceError::new(ErrorKind::RateLimited, "busy; try again in a moment")
}

/// Whether a handle is held: by an account or initiative here, or by a deleted account (a
/// handle is never given to someone else, who would inherit its old followers' trust).
pub(crate) fn handle_taken(conn: &mut DbConn, urls: &Urls, username: &str) -> DbResult<bool> {
    Ok(actors::local_name_taken(conn, username)?
        || crate::tombstones::find(conn, &urls.user(username))?.is_some())
}

/// The prefixes of the rate-limit counters kept for an account.
pub(crate) fn limit_prefixes(user_id: i64) -> Vec<String> {
    vec![
        account_failures_key(user_id),
        format!("login-known:{user_id}:"),
    ]
}

/// Confirms an e-mail address from the link sent to it.
pub async fn confirm_email(ctx: &Context, token: &str) -> ServiceResult<()> {
    if token.is_empty() || token.len() > 128 {
        return Err(ServiceError::invalid("token", "malformed"));
    }
    let hash = secrets::hash_token(token);
    let found = ctx
        .db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let Some((user_id, email)) = sessions::take_email_token(conn, &hash)? else {
                    return Ok(false);
                };
                match users::confirm_email(conn, user_id, &email) {
                    Err(agora_db::DbError::UniqueViolation) => Err(ServiceError::new(
                        ErrorKind::Conflict,
                        "another account confirmed this address first",
                    )),
                    Err(e) => Err(e.into()),
                    Ok(()) => {
                        // Signatures made before the confirmation count from now on.
                        let user = users::by_id(conn, user_id)?;
                        crate::petitions::count_confirmed(conn, user.actor_id)?;
                        Ok(true)
                    }
                }
            })
        })
        .await?;
    if found {
        ctx.petition_views.changed_all();
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

/// The instance actor (`Application`), created on first use: it signs fetches.
pub async fn instance_actor(ctx: &Context) -> ServiceResult<Actor> {
    server_actor(
        ctx,
        INSTANCE_ACTOR,
        ctx.urls.instance_actor(),
        ActorType::Application,
        ctx.config.instance.name.clone(),
    )
    .await
}

/// The moderation actor (`Service`), created on first use: it sends the reports this node
/// forwards and the decisions it sends back. Lemmy takes a `Flag` only from a `Person`, a
/// `Service` or an `Organization`, Mastodon from any actor: a `Service` suits both, and
/// names no one of this node.
pub async fn moderation_actor(ctx: &Context) -> ServiceResult<Actor> {
    server_actor(
        ctx,
        MODERATION_ACTOR,
        ctx.urls.moderation_actor(),
        ActorType::Service,
        format!("{} moderation", ctx.config.instance.name),
    )
    .await
}

/// An actor of the node itself, created on first use.
async fn server_actor(
    ctx: &Context,
    username: &'static str,
    id: String,
    actor_type: ActorType,
    name: String,
) -> ServiceResult<Actor> {
    if let Some(actor) = ctx
        .db
        .run(move |conn| actors::local_by_username(conn, username))
        .await?
    {
        return Ok(actor);
    }
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(ServiceError::internal)?
        .map_err(ServiceError::internal)?;
    let mut form = local_actor_form(ctx, id, username, actor_type, &name, keys);
    form.manually_approves_followers = true;
    let inserted = ctx.db.run(move |conn| actors::insert(conn, &form)).await;
    match inserted {
        Ok(actor) => Ok(actor),
        // Another worker made it first.
        Err(agora_db::DbError::UniqueViolation) => ctx
            .db
            .run(move |conn| actors::local_by_username(conn, username))
            .await?
            .ok_or_else(|| ServiceError::internal("server actor vanished")),
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
    if !target.local || target.is_application() {
        return Err(ServiceError::not_found("account"));
    }
    let current = AccountKind::parse(&target.account_kind).unwrap_or(AccountKind::Citizen);
    current
        .may_change(kind, by, target.kind_set_by.is_some())
        .map_err(|why| ServiceError::new(ErrorKind::Forbidden, format!("account_kind: {why}")))?;
    let verified_at = kind.needs_verification().then(agora_db::now);
    let set_by = staff_mark(current, kind, by, by_user, target.kind_set_by);
    let id = target.id;
    ctx.db
        .run(move |conn| {
            agora_db::write_transaction(conn, |conn| -> ServiceResult<_> {
                let actor = actors::set_kind(
                    conn,
                    id,
                    kind.as_str(),
                    kind.actor_type().as_str(),
                    verified_at,
                    set_by,
                )?;
                crate::events::actor_changed(conn, id)?;
                Ok(actor)
            })
        })
        .await
}

/// Who set the kind after a change, which decides whether its owner may undo it. The owner
/// declaring again the kind a moderator imposed changes nothing, so the moderator's mark
/// stays; otherwise an owner's change clears it and staff's change records who.
fn staff_mark(
    current: AccountKind,
    new: AccountKind,
    by: KindSetter,
    by_user: Option<i64>,
    previous: Option<i64>,
) -> Option<i64> {
    match by {
        KindSetter::Owner if new == current => previous,
        KindSetter::Owner => None,
        KindSetter::Moderator | KindSetter::Admin => by_user,
    }
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

/// Records the interface language an account chose (`en`, `fr`).
pub async fn set_locale(ctx: &Context, user: &User, code: &'static str) -> ServiceResult<()> {
    let id = user.id;
    Ok(ctx
        .db
        .run(move |conn| users::set_locale(conn, id, Some(code)))
        .await?)
}

#[cfg(test)]
mod kind_tests {
    use super::*;

    #[test]
    fn an_owner_cannot_clear_a_business_kind_a_moderator_imposed() {
        let moderator = Some(7);
        let mark = staff_mark(
            AccountKind::Citizen,
            AccountKind::Business,
            KindSetter::Moderator,
            moderator,
            None,
        );
        assert_eq!(mark, moderator);
        // The owner declares `business` again: the moderator's mark stays…
        let mark = staff_mark(
            AccountKind::Business,
            AccountKind::Business,
            KindSetter::Owner,
            Some(1),
            mark,
        );
        assert_eq!(mark, moderator);
        // …so going back to `citizen` is still refused.
        assert!(
            AccountKind::Business
                .may_change(AccountKind::Citizen, KindSetter::Owner, mark.is_some())
                .is_err()
        );
    }

    #[test]
    fn an_owner_may_undo_their_own_declaration() {
        let mark = staff_mark(
            AccountKind::Citizen,
            AccountKind::Business,
            KindSetter::Owner,
            Some(1),
            None,
        );
        assert_eq!(mark, None);
        assert!(
            AccountKind::Business
                .may_change(AccountKind::Citizen, KindSetter::Owner, false)
                .is_ok()
        );
    }
}
