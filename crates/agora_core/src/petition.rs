//! The values a petition is made of: who may sign it and where it stands.

/// Whose signatures a petition counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignaturePolicy {
    /// Accounts of this node whose e-mail is confirmed (the default).
    LocalVerified,
    /// Those, and any fediverse actor whose HTTP signature verified.
    Fediverse,
    /// Those, and actors of the servers the petition lists.
    TrustedInstances,
}

impl SignaturePolicy {
    /// Every policy, in the order forms list them.
    pub const ALL: [SignaturePolicy; 3] = [
        SignaturePolicy::LocalVerified,
        SignaturePolicy::Fediverse,
        SignaturePolicy::TrustedInstances,
    ];

    /// The identifier in the API, the database and the `signaturePolicy` field.
    pub fn as_str(self) -> &'static str {
        match self {
            SignaturePolicy::LocalVerified => "local_verified",
            SignaturePolicy::Fediverse => "fediverse",
            SignaturePolicy::TrustedInstances => "trusted_instances",
        }
    }

    /// The policy an identifier names.
    pub fn parse(s: &str) -> Option<SignaturePolicy> {
        SignaturePolicy::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Where a petition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PetitionStatus {
    /// Written, not yet published: only its authors see it.
    Draft,
    /// Taking signatures.
    Open,
    /// Past its deadline, or closed by its organizers: the count is final.
    Closed,
    /// Its target published an official response.
    Answered,
    /// Its initiative moved to another node, where it goes on: it takes no signature here.
    Moved,
}

impl PetitionStatus {
    /// The identifier in the API, the database and the `status` field.
    pub fn as_str(self) -> &'static str {
        match self {
            PetitionStatus::Draft => "draft",
            PetitionStatus::Open => "open",
            PetitionStatus::Closed => "closed",
            PetitionStatus::Answered => "answered",
            PetitionStatus::Moved => "moved",
        }
    }

    /// The status an identifier names.
    pub fn parse(s: &str) -> Option<PetitionStatus> {
        [
            PetitionStatus::Draft,
            PetitionStatus::Open,
            PetitionStatus::Closed,
            PetitionStatus::Answered,
            PetitionStatus::Moved,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_read_back() {
        for p in SignaturePolicy::ALL {
            assert_eq!(SignaturePolicy::parse(p.as_str()), Some(p));
        }
        assert_eq!(SignaturePolicy::parse("Fediverse"), None);
        for s in ["draft", "open", "closed", "answered", "moved"] {
            assert_eq!(
                PetitionStatus::parse(s).map(PetitionStatus::as_str),
                Some(s)
            );
        }
    }
}
