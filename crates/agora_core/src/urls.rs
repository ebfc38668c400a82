//! The URLs of local ActivityPub objects: named once here, used by every layer.

/// Builds local ids from the node's base URL (`scheme://domain`).
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

/// The username of the instance actor (`Application`); reserved for accounts.
pub const INSTANCE_ACTOR: &str = "instance";

/// The username of the moderation actor (`Service`), which sends forwarded reports and
/// decisions; reserved for accounts.
pub const MODERATION_ACTOR: &str = "moderation";

impl Urls {
    /// From `scheme://domain`, without a trailing slash.
    pub fn new(base: impl Into<String>) -> Urls {
        Urls {
            base: base.into().trim_end_matches('/').to_string(),
        }
    }

    /// `scheme://domain`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The id of a local person (and their profile page).
    pub fn user(&self, name: &str) -> String {
        format!("{}/users/{name}", self.base)
    }

    /// The id (and page) of a local initiative, a `Group` actor.
    pub fn initiative(&self, handle: &str) -> String {
        format!("{}/initiatives/{handle}", self.base)
    }

    /// The node's shared inbox.
    pub fn shared_inbox(&self) -> String {
        format!("{}/inbox", self.base)
    }

    /// An uploaded file: `/media/{file}`.
    pub fn media(&self, file: &str) -> String {
        format!("{}/media/{file}", self.base)
    }

    /// The instance actor.
    pub fn instance_actor(&self) -> String {
        format!("{}/actor", self.base)
    }

    /// The moderation actor.
    pub fn moderation_actor(&self) -> String {
        format!("{}/actor/moderation", self.base)
    }

    /// A local post.
    pub fn post(&self, id: i64) -> String {
        format!("{}/posts/{id}", self.base)
    }

    /// A local petition (its `Question`).
    pub fn petition(&self, id: i64) -> String {
        format!("{}/petitions/{id}", self.base)
    }

    /// A local petition's transparency log (`transparencyLog`); its checkpoint, proofs and
    /// leaves are below it.
    pub fn petition_log(&self, id: i64) -> String {
        format!("{}/petitions/{id}/log", self.base)
    }

    /// A fresh id for an outgoing activity.
    pub fn activity(&self, kind: &str, unique: &str) -> String {
        format!(
            "{}/activities/{}/{unique}",
            self.base,
            kind.to_ascii_lowercase()
        )
    }

    /// Whether an id belongs to this node.
    pub fn is_local(&self, id: &str) -> bool {
        id.strip_prefix(&self.base)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// The authority (host, plus `:port` when explicit) of a URL, lower-cased: how remote servers
/// are keyed, so two test nodes on one host stay apart.
pub fn authority(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_ids() {
        let urls = Urls::new("http://localhost:8081/");
        assert_eq!(urls.user("alice"), "http://localhost:8081/users/alice");
        assert!(urls.is_local("http://localhost:8081/posts/3"));
        assert!(!urls.is_local("http://localhost:80812/posts/3"));
        assert!(!urls.is_local("http://localhost:8082/posts/3"));
    }

    #[test]
    fn authorities_keep_ports() {
        let u = url::Url::parse("http://LocalHost:8082/users/bob").expect("url");
        assert_eq!(authority(&u).as_deref(), Some("localhost:8082"));
        let u = url::Url::parse("https://example.org/users/bob").expect("url");
        assert_eq!(authority(&u).as_deref(), Some("example.org"));
    }
}
