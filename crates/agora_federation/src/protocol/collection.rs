//! Ordered collections and their pages (outbox, followers, following).

use serde::Serialize;

/// An `OrderedCollection` whose items are on pages.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollection {
    /// Collection id.
    pub id: String,
    /// `OrderedCollection`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Number of items.
    pub total_items: i64,
    /// First page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<String>,
}

/// One page of an ordered collection.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderedCollectionPage {
    /// Page id.
    pub id: String,
    /// `OrderedCollectionPage`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The collection.
    pub part_of: String,
    /// Next page, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Items: ids or objects.
    pub ordered_items: Vec<serde_json::Value>,
}
