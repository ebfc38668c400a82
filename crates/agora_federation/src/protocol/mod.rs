//! The wire shapes of what we send and accept: serde structs and nothing else.

pub mod activities;
pub mod actor;
pub mod collection;
pub mod context;
pub mod note;
pub mod question;

use serde::{Deserialize, Deserializer};

/// The media type of ActivityStreams documents, as we send them and as servers expect.
pub const CONTENT_TYPE: &str = "application/activity+json";

/// Reads a field that may be one value or a list (`to`, `cc`, `attributedTo`), as a list.
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        Many(Vec<T>),
        One(T),
    }
    Ok(match Option::<OneOrMany<T>>::deserialize(d)? {
        Some(OneOrMany::Many(v)) => v,
        Some(OneOrMany::One(v)) => vec![v],
        None => Vec::new(),
    })
}

/// Writes a one-element list as its element, as most servers expect for `attributedTo`.
pub fn single_if_one<S, T>(items: &[T], s: S) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    T: serde::Serialize,
{
    use serde::Serialize;
    match items {
        [one] => one.serialize(s),
        many => many.serialize(s),
    }
}

/// Reads an object that may be given inline or by its id, keeping only the id.
pub fn id_of(value: &serde_json::Value) -> Option<&str> {
    match value {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Object(map) => map.get("id").and_then(|v| v.as_str()),
        _ => None,
    }
}
