//! Account kinds: who speaks — a citizen, an association, a public body, a media outlet or a
//! business — and who may say so.

use crate::actor_type::ActorType;
use serde::{Deserialize, Serialize};

/// The kind of an account, published on its actor as `accountKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person speaking for themselves (the default).
    Citizen,
    /// A non-profit association; granted by an administrator.
    Association,
    /// A public body (town hall, school, agency); granted by an administrator.
    PublicBody,
    /// A media outlet; granted by an administrator.
    Media,
    /// A business; self-declared or set by a moderator.
    Business,
    /// A remote actor that does not say.
    Unknown,
}

/// Who asks to change a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindSetter {
    /// The account itself.
    Owner,
    /// A moderator.
    Moderator,
    /// An administrator (or the command line, run by one).
    Admin,
}

impl AccountKind {
    /// Every kind a local account can have.
    pub const LOCAL: [AccountKind; 5] = [
        AccountKind::Citizen,
        AccountKind::Association,
        AccountKind::PublicBody,
        AccountKind::Media,
        AccountKind::Business,
    ];

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<AccountKind> {
        Some(match s {
            "citizen" => AccountKind::Citizen,
            "association" => AccountKind::Association,
            "public_body" => AccountKind::PublicBody,
            "media" => AccountKind::Media,
            "business" => AccountKind::Business,
            "unknown" => AccountKind::Unknown,
            _ => return None,
        })
    }

    /// The snake_case name, as stored and federated.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Citizen => "citizen",
            AccountKind::Association => "association",
            AccountKind::PublicBody => "public_body",
            AccountKind::Media => "media",
            AccountKind::Business => "business",
            AccountKind::Unknown => "unknown",
        }
    }

    /// Kinds that only an administrator grants, after checking who is behind the account.
    pub fn needs_verification(self) -> bool {
        matches!(
            self,
            AccountKind::Association | AccountKind::PublicBody | AccountKind::Media
        )
    }

    /// The ActivityStreams actor type of a person of this kind: organisations that act as one
    /// are `Organization`, as Mastodon shows them.
    pub fn actor_type(self) -> ActorType {
        match self {
            AccountKind::Association | AccountKind::PublicBody => ActorType::Organization,
            _ => ActorType::Person,
        }
    }

    /// Whether `setter` may change an account from `self` to `new`.
    /// - association, public body, media: administrators only;
    /// - business: the owner declares it, a moderator or administrator imposes it;
    /// - back to citizen: the owner from a self-declared business only (not from a kind a
    ///   moderator or administrator set), moderators and administrators from anything but
    ///   a verified kind, administrators always.
    pub fn may_change(
        self,
        new: AccountKind,
        setter: KindSetter,
        set_by_staff: bool,
    ) -> Result<(), &'static str> {
        if new == AccountKind::Unknown {
            return Err("unknown is only for remote actors");
        }
        match (setter, new) {
            (KindSetter::Admin, _) => Ok(()),
            (_, k) if k.needs_verification() => Err("only an administrator grants this kind"),
            (_, _) if self.needs_verification() => {
                Err("only an administrator changes a verified kind")
            }
            (KindSetter::Moderator, _) => Ok(()),
            (KindSetter::Owner, AccountKind::Business) => Ok(()),
            (KindSetter::Owner, AccountKind::Citizen)
                if self == AccountKind::Business && set_by_staff =>
            {
                Err("a moderator set this account as a business")
            }
            (KindSetter::Owner, AccountKind::Citizen) => Ok(()),
            (KindSetter::Owner, _) => Err("not a kind you can choose"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{AccountKind::*, KindSetter::*};
    use crate::actor_type::ActorType;

    #[test]
    fn who_may_set_what() {
        assert!(Citizen.may_change(Business, Owner, false).is_ok());
        assert!(Business.may_change(Citizen, Owner, false).is_ok());
        assert!(
            Business.may_change(Citizen, Owner, true).is_err(),
            "a moderator's decision stands"
        );
        assert!(Citizen.may_change(Association, Owner, false).is_err());
        assert!(Citizen.may_change(Media, Moderator, false).is_err());
        assert!(Citizen.may_change(PublicBody, Admin, false).is_ok());
        assert!(Association.may_change(Business, Owner, true).is_err());
        assert!(Association.may_change(Business, Moderator, true).is_err());
        assert!(Citizen.may_change(Business, Moderator, false).is_ok());
        assert!(Business.may_change(Citizen, Moderator, true).is_ok());
        assert!(Citizen.may_change(Unknown, Admin, false).is_err());
    }

    #[test]
    fn names_round_trip() {
        for kind in super::AccountKind::LOCAL {
            assert_eq!(super::AccountKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(super::AccountKind::parse("Business"), None);
        assert_eq!(Association.actor_type(), ActorType::Organization);
        assert_eq!(Media.actor_type(), ActorType::Person);
    }
}
