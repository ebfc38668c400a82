//! What the API returns: snake_case JSON views of rows (never the rows themselves, so nothing
//! private leaks by accident).

use agora_service::model::{Actor, Follow, Post};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A time as the API writes it: RFC 3339 in UTC, to the second.
pub fn rfc3339(t: chrono::NaiveDateTime) -> String {
    t.and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A string schema whose values are `names` (the API's closed lists, named once in
/// `agora_core`).
pub fn names_schema(
    names: impl Iterator<Item = &'static str>,
    description: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(names))
        .description(Some(description))
        .into()
}

/// The error shape of every API failure.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code, e.g. `invalid_field`.
    pub error: String,
    /// Human-readable message in the request's language.
    pub message: String,
}

/// An account kind as the API writes and filters it.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum AccountKindName {
    /// A person speaking for themselves.
    Citizen,
    /// A non-profit association (verified by an administrator).
    Association,
    /// A public body (verified by an administrator).
    PublicBody,
    /// A media outlet (verified by an administrator).
    Media,
    /// A business.
    Business,
    /// A remote actor that does not say.
    Unknown,
}

/// The state of a follow.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum FollowState {
    /// Waiting for the followed actor's answer.
    Pending,
    /// Accepted.
    Accepted,
}

/// A public view of an account or actor, local or remote.
#[derive(Serialize, ToSchema)]
pub struct AccountView {
    /// Row id on this node.
    pub id: i64,
    /// `@name@host`.
    pub acct: String,
    /// Handle.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// ActivityPub id.
    pub uri: String,
    /// Profile page.
    pub url: Option<String>,
    /// `Person`, `Group`, `Organization`…
    pub actor_type: String,
    /// `citizen`, `association`, `public_body`, `media`, `business` or `unknown`.
    #[schema(value_type = AccountKindName)]
    pub account_kind: String,
    /// Whether an administrator of this node verified the kind (association, public body, media).
    pub kind_verified: bool,
    /// Biography (sanitised HTML).
    pub summary: String,
    /// Whether this node hosts it.
    pub local: bool,
    /// Whether follows wait for approval.
    pub manually_approves_followers: bool,
    /// The ids of its other accounts, which may move to it (`alsoKnownAs`).
    pub also_known_as: Vec<String>,
    /// The id of the account it moved to (`movedTo`), if it moved.
    pub moved_to: Option<String>,
}

impl From<&Actor> for AccountView {
    fn from(a: &Actor) -> Self {
        AccountView {
            id: a.id,
            acct: a.acct(),
            username: a.username.clone(),
            display_name: a.shown_name().to_string(),
            uri: a.ap_id.clone(),
            url: a.url.clone(),
            actor_type: a.actor_type.clone(),
            account_kind: a.account_kind.clone(),
            kind_verified: a.kind_verified_at.is_some(),
            summary: a.summary.clone(),
            local: a.local,
            manually_approves_followers: a.manually_approves_followers,
            also_known_as: a.aliases(),
            moved_to: a.moved_to.clone(),
        }
    }
}

/// A post.
#[derive(Serialize, ToSchema)]
pub struct PostView {
    /// Row id on this node (for PATCH/DELETE of local posts).
    pub id: i64,
    /// ActivityPub id.
    pub uri: String,
    /// Page URL.
    pub url: Option<String>,
    /// Sanitised HTML.
    pub content: String,
    /// Content warning.
    pub spoiler_text: Option<String>,
    /// Parent post id.
    pub in_reply_to: Option<String>,
    /// `@name@host` of the author.
    pub author: String,
    /// The author.
    pub account: AccountView,
    /// Publication time (UTC, RFC 3339).
    pub created_at: String,
    /// Last edit.
    pub edited_at: Option<String>,
    /// Written on this node.
    pub local: bool,
    /// What carrying it cost, under the model `/about/energy` publishes.
    pub energy: EnergyView,
    /// The labels in force on it, each saying who set it and why.
    pub labels: Vec<LabelOnPost>,
    /// Restored from an archive: its id where it was first published (it was not delivered
    /// again from here).
    pub imported_from: Option<String>,
}

/// A label on a post.
#[derive(Serialize, ToSchema)]
pub struct LabelOnPost {
    /// `disputed`, `commercial` or `artificial_virality`.
    pub label: String,
    /// `moderator`, `detector` or `account_kind` (a business account's posts).
    pub source: String,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// A moderator confirmed the detector's label.
    pub confirmed: bool,
}

/// Puts on each post the labels in force on it (one query for all).
pub async fn with_labels(
    ctx: &agora_service::Context,
    views: &mut [PostView],
) -> crate::error::HttpResult<()> {
    let things: Vec<(String, String)> = views
        .iter()
        .map(|v| (v.uri.clone(), v.account.account_kind.clone()))
        .collect();
    let mut found = agora_service::signage::labels_on(ctx, &things).await?;
    for view in views.iter_mut() {
        view.labels = found
            .remove(&view.uri)
            .unwrap_or_default()
            .into_iter()
            .map(|l| LabelOnPost {
                label: l.label.as_str().into(),
                source: l.source.as_str().into(),
                reason: l.reason,
                link: l.link,
                confirmed: l.confirmed,
            })
            .collect();
    }
    Ok(())
}

/// A post's energy label and the estimate behind it.
#[derive(Serialize, ToSchema)]
pub struct EnergyView {
    /// `A` to `G`.
    pub label: String,
    /// The estimate, in Wh.
    pub wh: f64,
    /// In gCO₂e.
    pub g_co2: f64,
    /// Bytes sent: the activity's size times the inboxes.
    pub bytes_moved: i64,
    /// Bytes stored for a year, here and at each receiver.
    pub bytes_stored: i64,
    /// The inboxes it was delivered to.
    pub inboxes: i64,
}

impl PostView {
    /// Builds the view of a post and its author, its energy under `model`.
    pub fn new(post: &Post, author: &Actor, model: &agora_core::energy::EnergyConfig) -> PostView {
        let e = model.estimate(
            post.payload_bytes,
            post.delivered_inboxes,
            post.content.len() as i64,
        );
        PostView {
            id: post.id,
            uri: post.ap_id.clone(),
            url: post.url.clone(),
            content: post.content.clone(),
            spoiler_text: post.spoiler_text.clone(),
            in_reply_to: post.in_reply_to.clone(),
            author: author.acct(),
            account: AccountView::from(author),
            created_at: post.published.and_utc().to_rfc3339(),
            edited_at: post.updated.map(|u| u.and_utc().to_rfc3339()),
            local: post.local,
            energy: EnergyView {
                label: e.label.to_string(),
                wh: e.wh,
                g_co2: e.g_co2,
                bytes_moved: e.bytes_moved,
                bytes_stored: e.bytes_stored,
                inboxes: post.delivered_inboxes,
            },
            labels: Vec::new(),
            imported_from: post.imported_from.clone(),
        }
    }
}

/// A follow.
#[derive(Serialize, ToSchema)]
pub struct FollowView {
    /// Row id (for DELETE).
    pub id: i64,
    /// `pending` or `accepted`.
    #[schema(value_type = FollowState)]
    pub state: String,
    /// The followed actor.
    pub target: AccountView,
}

impl FollowView {
    /// Builds the view.
    pub fn new(follow: &Follow, target: &Actor) -> FollowView {
        FollowView {
            id: follow.id,
            state: follow.state.clone(),
            target: AccountView::from(target),
        }
    }
}

/// An account's address: `@name@host`, `name@host` or its http(s) id.
#[derive(Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(
    pattern = r"^(https?://([A-Za-z0-9!$&'()*+,;=_~-]+\.)*[A-Za-z][A-Za-z0-9!$&'()*+,;=_~-]*([/?#\\][\s\S]*)?|@?[^@\s\x85]+@[^@/\s\x85]+)$"
)]
pub struct ActorAddress(pub String);
