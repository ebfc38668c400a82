//! Configuration, error kinds, metrics and the domain rules of an Agora node that need no I/O.
//!
//! Every other crate depends on this one; it depends on none of them.

/// Names one of a fixed list of identifiers, both ways.
macro_rules! named {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $id:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The identifier in the API, the database and the federated documents.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)+
                }
            }

            /// The value an identifier names.
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }
    };
}

pub mod actor_type;
pub mod client_addr;
pub mod config;
pub mod energy;
pub mod error;
pub mod federation_policy;
pub mod handle;
pub mod kinds;
pub mod metrics;
pub mod petition;
pub mod report;
pub mod signage;
pub mod text;
pub mod urls;

pub use config::Config;
pub use error::ErrorKind;
