//! Labels as pages show them: what the label says, who set it, why, and the fact-check.

use super::PostItem;
use crate::{error::HttpResult, state::WebState};
use agora_service::signage::{self, Shown};

/// A label on a page.
#[derive(Debug, Clone)]
pub struct LabelItem {
    /// Message key of the label (`label-disputed`).
    pub key: String,
    /// Message key of who set it (`label-by-detector`).
    pub by_key: String,
    /// Why.
    pub reason: String,
    /// A fact-check.
    pub link: Option<String>,
    /// A moderator confirmed the detector's label.
    pub confirmed: bool,
}

impl LabelItem {
    fn of(s: &Shown) -> LabelItem {
        LabelItem {
            key: format!("label-{}", s.label.as_str().replace('_', "-")),
            by_key: format!("label-by-{}", s.source.as_str().replace('_', "-")),
            reason: s.reason.clone(),
            link: s.link.clone(),
            confirmed: s.confirmed,
        }
    }
}

/// Puts on each post the labels in force on it (one query for all).
pub async fn attach(state: &WebState, items: &mut [PostItem]) -> HttpResult<()> {
    let things: Vec<(String, String)> = items
        .iter()
        .map(|i| (i.uri.clone(), i.author_kind.clone()))
        .collect();
    let mut found = signage::labels_on(&state.ctx, &things).await?;
    for item in items.iter_mut() {
        if let Some(labels) = found.remove(&item.uri) {
            item.labels = labels.iter().map(LabelItem::of).collect();
        }
    }
    Ok(())
}

/// The labels in force on one initiative or petition.
pub async fn on(state: &WebState, uri: &str, author_kind: &str) -> HttpResult<Vec<LabelItem>> {
    let things = [(uri.to_string(), author_kind.to_string())];
    let found = signage::labels_on(&state.ctx, &things).await?;
    Ok(found
        .get(uri)
        .map(|l| l.iter().map(LabelItem::of).collect())
        .unwrap_or_default())
}
