//! TEMPORARY stub, replaced by the registry branch.
use serde::Serialize;
/// Protocol versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ProtocolVersion {
    /// SSL 2.0
    #[serde(rename = "SSL2.0")]
    Ssl2,
    /// SSL 3.0
    #[serde(rename = "SSL3.0")]
    Ssl3,
    /// TLS 1.0
    #[serde(rename = "TLS1.0")]
    Tls10,
    /// TLS 1.1
    #[serde(rename = "TLS1.1")]
    Tls11,
    /// TLS 1.2
    #[serde(rename = "TLS1.2")]
    Tls12,
    /// TLS 1.3
    #[serde(rename = "TLS1.3")]
    Tls13,
}
