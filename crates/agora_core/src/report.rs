//! The values a report is made of: its category, what it is about, where it stands, and what
//! a moderator did about it.

named! {
    /// The DSA statement-of-reasons categories (the Transparency Database's list), lower case
    /// without their `STATEMENT_CATEGORY_` prefix.
    Category {
        /// Animal welfare.
        AnimalWelfare = "animal_welfare",
        /// Consumer information infringements.
        ConsumerInformation = "consumer_information",
        /// Cyber violence.
        CyberViolence = "cyber_violence",
        /// Cyber violence against women.
        CyberViolenceAgainstWomen = "cyber_violence_against_women",
        /// Data protection and privacy violations.
        DataProtection = "data_protection_and_privacy_violations",
        /// Illegal or harmful speech.
        IllegalOrHarmfulSpeech = "illegal_or_harmful_speech",
        /// Intellectual property infringements.
        IntellectualProperty = "intellectual_property_infringements",
        /// Negative effects on civic discourse or elections.
        CivicDiscourse = "negative_effects_on_civic_discourse_or_elections",
        /// Not specified (what a report without a category becomes).
        NotSpecified = "not_specified_notice",
        /// Violation of the terms and conditions.
        OtherViolationTc = "other_violation_tc",
        /// Protection of minors.
        ProtectionOfMinors = "protection_of_minors",
        /// Risk for public security.
        PublicSecurity = "risk_for_public_security",
        /// Scams and fraud.
        ScamsAndFraud = "scams_and_fraud",
        /// Self-harm.
        SelfHarm = "self_harm",
        /// Unsafe and prohibited products.
        UnsafeProducts = "unsafe_and_prohibited_products",
        /// Violence.
        Violence = "violence",
    }
}

named! {
    /// What a report is about.
    TargetKind {
        /// An account, local or remote.
        Account = "account",
        /// A post or an initiative's update.
        Post = "post",
        /// An initiative (its group actor).
        Initiative = "initiative",
        /// A petition.
        Petition = "petition",
    }
}

named! {
    /// Where a report stands.
    ReportStatus {
        /// Waiting for a moderator.
        Open = "open",
        /// A moderator decided.
        Decided = "decided",
        /// The reported account appealed; another moderator decides again.
        Appealed = "appealed",
    }
}

named! {
    /// What came of an appeal.
    AppealOutcome {
        /// The decision stands.
        Upheld = "upheld",
        /// The decision is undone.
        Reversed = "reversed",
    }
}

named! {
    /// What a moderator did about a report.
    Action {
        /// Nothing to do.
        Dismiss = "dismiss",
        /// A label on the content (`disputed`, `commercial`).
        Label = "label",
        /// Hidden from timelines and pages, kept.
        Hide = "hide",
        /// Deleted.
        Delete = "delete",
        /// A local account limited: its posts reach its followers only.
        Limit = "limit",
        /// A local account suspended.
        Suspend = "suspend",
        /// A remote actor blocked.
        BlockActor = "block_actor",
        /// A whole server blocked.
        BlockDomain = "block_domain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_categories_are_the_sixteen_of_the_dsa_list() {
        assert_eq!(Category::ALL.len(), 16);
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(*c));
            assert!(!c.as_str().starts_with("statement_category"));
        }
        assert_eq!(Category::parse("STATEMENT_CATEGORY_VIOLENCE"), None);
        assert_eq!(Category::parse(""), None);
    }

    #[test]
    fn every_identifier_reads_back() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
        }
        for k in TargetKind::ALL {
            assert_eq!(TargetKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ReportStatus::parse("decided"), Some(ReportStatus::Decided));
        assert_eq!(Action::parse("ban"), None);
    }
}
