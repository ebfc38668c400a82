//! Languages: French and English through Fluent. The user's choice (account setting or the
//! `agora_lang` cookie) wins over `Accept-Language`, which wins over the node's default.

use actix_web::HttpRequest;
use fluent_templates::{Loader, static_loader};
use std::{borrow::Cow, collections::HashMap};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The message key of an error kind (`error-not-found`).
pub fn error_key(kind: agora_core::ErrorKind) -> String {
    format!("error-{}", kind.code().replace('_', "-"))
}

/// The message key of a refusal of another server's request (`refusal-signature-invalid`).
pub fn refusal_key(reason: agora_federation::error::Reason) -> String {
    format!("refusal-{}", reason.code().replace('_', "-"))
}

/// The message key of an initiative's status (`initiative-status-open`).
pub fn status_key(status: &str) -> String {
    format!("initiative-status-{status}")
}

/// Cookie holding an anonymous visitor's language choice.
pub const LANG_COOKIE: &str = "agora_lang";

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Parses `en`, `fr`, `fr-FR`, `en_GB`…
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The language tag.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    fn id(self) -> fluent_templates::LanguageIdentifier {
        match self {
            Lang::En => fluent_templates::langid!("en"),
            Lang::Fr => fluent_templates::langid!("fr"),
        }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id(), key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        let mut args: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
            HashMap::new();
        args.insert(Cow::Borrowed(name), value.to_string().into());
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }

    /// Picks the language of a request: explicit choice, then `Accept-Language`, then default.
    pub fn negotiate(req: &HttpRequest, user_choice: Option<&str>, default: &str) -> Lang {
        if let Some(lang) = user_choice.and_then(Lang::parse) {
            return lang;
        }
        if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        if let Some(header) = req
            .headers()
            .get("accept-language")
            .and_then(|h| h.to_str().ok())
        {
            let mut ranked: Vec<(f32, Lang)> = header
                .split(',')
                .filter_map(|part| {
                    let mut pieces = part.split(';');
                    let lang = Lang::parse(pieces.next()?)?;
                    let q = pieces
                        .find_map(|p| {
                            p.trim()
                                .strip_prefix("q=")
                                .and_then(|q| q.parse::<f32>().ok())
                        })
                        .unwrap_or(1.0);
                    Some((q, lang))
                })
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
            if let Some((_, lang)) = ranked.first() {
                return *lang;
            }
        }
        Lang::parse(default).unwrap_or(Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn accept_language_ranks_by_quality() {
        let req = TestRequest::default()
            .insert_header(("accept-language", "de;q=1.0, en;q=0.5, fr;q=0.8"))
            .to_http_request();
        assert_eq!(Lang::negotiate(&req, None, "en"), Lang::Fr);
        assert_eq!(Lang::negotiate(&req, Some("en"), "en"), Lang::En);
        let req = TestRequest::default().to_http_request();
        assert_eq!(Lang::negotiate(&req, None, "fr"), Lang::Fr);
    }

    #[test]
    fn every_refusal_reason_is_translated() {
        for reason in agora_federation::error::Reason::ALL {
            let key = refusal_key(reason);
            for lang in [Lang::En, Lang::Fr] {
                let text = lang.t(&key);
                assert!(
                    !text.is_empty() && text != key && !text.contains("Unknown"),
                    "{key} in {}: {text}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn both_languages_have_every_message() {
        let keys = |lang: &str| -> Vec<String> {
            std::fs::read_to_string(format!(
                "{}/locales/{lang}/main.ftl",
                env!("CARGO_MANIFEST_DIR")
            ))
            .expect("ftl")
            .lines()
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' '))
            .collect()
        };
        let (mut en, mut fr) = (keys("en"), keys("fr"));
        en.sort();
        fr.sort();
        assert_eq!(en, fr);
        assert_eq!(Lang::Fr.t("nav-home"), "Accueil");
        assert!(
            !Lang::En
                .t1("profile-followers", "count", 3)
                .contains('\u{2068}')
        );
    }
}
