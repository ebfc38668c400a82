//! Rules for handles (the pseudonym in `@handle@host`) and host names.

/// Longest handle accepted, as Mastodon.
pub const MAX_HANDLE_LEN: usize = 30;

/// Names no account may take: they would shadow the instance actor or well-known pages.
const RESERVED: &[&str] = &[
    "admin",
    "about",
    "api",
    "instance",
    "inbox",
    "login",
    "logout",
    "signup",
    "settings",
    "users",
    "posts",
    "initiatives",
    "petitions",
    "static",
    "well-known",
    "nodeinfo",
    "root",
    "moderator",
    "moderation",
    "support",
    "postmaster",
    "abuse",
    "webmaster",
    "hostmaster",
    "new",
    "search",
    "actor",
    "remote",
];

/// Why a handle was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    /// Empty or longer than [`MAX_HANDLE_LEN`].
    #[error("a handle has 1 to {MAX_HANDLE_LEN} characters")]
    Length,
    /// A character outside a–z, 0–9 and `_`.
    #[error("a handle uses only lower-case letters a–z, digits and _")]
    Characters,
    /// A reserved name.
    #[error("this handle is reserved")]
    Reserved,
}

/// Checks a local handle: lower-case ASCII letters, digits and `_`, 1–30 characters.
pub fn validate_handle(handle: &str) -> Result<(), HandleError> {
    if handle.is_empty() || handle.len() > MAX_HANDLE_LEN {
        return Err(HandleError::Length);
    }
    if !handle
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(HandleError::Characters);
    }
    if RESERVED.contains(&handle) {
        return Err(HandleError::Reserved);
    }
    Ok(())
}

/// Whether `domain` is a host name with an optional port, not an IP literal or URL.
pub fn is_valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    };
    if port.is_some_and(|port| port.parse::<u16>().map(|p| p == 0).unwrap_or(true)) {
        return false;
    }
    if host.is_empty() || host.len() > 253 || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return false;
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// Splits `@name@host`, `name@host` or `acct:name@host` into (name, host).
pub fn parse_acct(input: &str) -> Option<(&str, &str)> {
    let s = input.trim();
    let s = s.strip_prefix("acct:").unwrap_or(s);
    let s = s.strip_prefix('@').unwrap_or(s);
    let (name, host) = s.split_once('@')?;
    if name.is_empty() || host.is_empty() || host.contains('@') || host.contains('/') {
        return None;
    }
    Some((name, host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        assert_eq!(validate_handle("alice_92"), Ok(()));
        assert_eq!(validate_handle(""), Err(HandleError::Length));
        assert_eq!(validate_handle(&"a".repeat(31)), Err(HandleError::Length));
        assert_eq!(validate_handle("Alice"), Err(HandleError::Characters));
        assert_eq!(validate_handle("al ice"), Err(HandleError::Characters));
        assert_eq!(validate_handle("<script>"), Err(HandleError::Characters));
        assert_eq!(validate_handle("élodie"), Err(HandleError::Characters));
        assert_eq!(validate_handle("instance"), Err(HandleError::Reserved));
    }

    #[test]
    fn domains() {
        assert!(is_valid_domain("example.org"));
        assert!(is_valid_domain("localhost:8081"));
        assert!(!is_valid_domain("127.0.0.1:8081"));
        assert!(!is_valid_domain("https://example.org"));
        assert!(!is_valid_domain("example.org:0"));
        assert!(!is_valid_domain("exa mple.org"));
        assert!(!is_valid_domain(""));
    }

    #[test]
    fn accts() {
        assert_eq!(
            parse_acct("@bob@localhost:8082"),
            Some(("bob", "localhost:8082"))
        );
        assert_eq!(parse_acct("acct:bob@b.org"), Some(("bob", "b.org")));
        assert_eq!(parse_acct("bob"), None);
        assert_eq!(parse_acct("@bob@"), None);
        assert_eq!(parse_acct("a@b@c"), None);
    }
}
