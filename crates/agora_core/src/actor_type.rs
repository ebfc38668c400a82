//! The ActivityStreams types of actors, named once.

/// What kind of actor a document or a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorType {
    /// A person (citizens, media, businesses).
    Person,
    /// An organisation that speaks as one (associations, public bodies).
    Organization,
    /// A group anyone may follow: our initiatives, Lemmy communities, Mobilizon groups.
    Group,
    /// A server's own actor (ours signs fetches; Mastodon's sends reports).
    Application,
    /// A bot or a service.
    Service,
}

impl ActorType {
    /// Every type we take as an actor.
    pub const ALL: [ActorType; 5] = [
        ActorType::Person,
        ActorType::Organization,
        ActorType::Group,
        ActorType::Application,
        ActorType::Service,
    ];

    /// The ActivityStreams name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorType::Person => "Person",
            ActorType::Organization => "Organization",
            ActorType::Group => "Group",
            ActorType::Application => "Application",
            ActorType::Service => "Service",
        }
    }

    /// The type of an ActivityStreams name, if it is an actor's.
    pub fn parse(name: &str) -> Option<ActorType> {
        ActorType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Someone with an account kind (a person or an organisation), as opposed to a group or a
    /// server.
    pub fn is_account(self) -> bool {
        matches!(self, ActorType::Person | ActorType::Organization)
    }
}

impl std::fmt::Display for ActorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ActorType;

    #[test]
    fn names_round_trip() {
        for t in ActorType::ALL {
            assert_eq!(ActorType::parse(t.as_str()), Some(t));
        }
        assert_eq!(ActorType::parse("Note"), None);
        assert!(ActorType::Organization.is_account() && !ActorType::Group.is_account());
    }
}
