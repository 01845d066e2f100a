//! IANA registries in one place: protocol versions, cipher suites (and SSL 2.0 cipher kinds),
//! named groups, signature schemes, alert descriptions, extension types and the errno ↔ Winsock
//! table of OS socket errors, each with its wire value, its registered name and, where it
//! matters, a [`Security`] rating.
//!
//! Every lookup accepts any wire value: unknown and GREASE code points get a printable name
//! (`"0xC0FF"`, `"GREASE(0x0A0A)"`) instead of an error, so a peer's unusual choice is still
//! reported. `listing` selects the rows `tlsprobe ciphers` lists (`report::ciphers` writes them).
//!
//! This module is plain data and pure functions. It does not encode or parse messages (that is
//! `wire`), does no I/O and never imports tokio.

/// Implements `Display` and `Serialize` (as a string) for enums that have a `name()` method.
macro_rules! named_enum_impls {
    ($($t:ty),* $(,)?) => {$(
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    )*};
}

pub mod alerts;
pub mod cipher_suites;
pub mod extensions;
pub mod groups;
pub mod listing;
pub mod os_errors;
pub mod rating;
pub mod sigalgs;
pub mod socks;
pub mod ssl2;
pub mod suite_rating;
pub mod versions;

pub use alerts::{AlertInfo, alert_by_name, alert_meaning, alert_name};
pub use cipher_suites::{
    Auth, CipherSuite, Kx, SUITES, SuiteInfo, by_name, is_grease, suite, suite_name, suites_for,
};
pub use extensions::{ExtensionInfo, extension, extension_name};
pub use groups::{GroupInfo, GroupKind, group, group_name};
pub use listing::{Listing, listing};
pub use os_errors::{OS_ERRORS, OsErrorInfo, os_error_by_errno, os_error_by_kind};
pub use rating::Security;
pub use sigalgs::{SigAlgInfo, sigalg, sigalg_name};
pub use ssl2::{SSL2_CIPHERS, Ssl2CipherInfo, ssl2_cipher};
pub use suite_rating::{SuiteRating, rate_suite};
pub use versions::ProtocolVersion;

/// Serialises a 16-bit code point as `"0xC02F"`.
pub(crate) fn serialize_hex16<S: serde::Serializer>(v: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("0x{v:04X}"))
}

/// Serialises a 24-bit SSL 2.0 cipher kind as `"0x0700C0"`.
pub(crate) fn serialize_hex24<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("0x{v:06X}"))
}
