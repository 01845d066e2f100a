//! Network access: name resolution, TCP connects with deadlines (direct or through an HTTP
//! proxy), and the naming of OS errors ([`OsCode`]: errno name plus the Winsock code a Windows
//! client would see).
//!
//! This module returns its own types ([`ConnectError`], [`LookupError`], [`OsCode`]) and never
//! imports the report model: [`crate::probe`] converts them. It does not speak TLS and does not
//! decide what an error *means* for the user ([`crate::diagnose`] does).

pub mod dns;
pub mod oserror;
pub mod proxy;
pub mod socks;
pub mod tcp;

pub use dns::{Family, LookupError, LookupErrorKind, Resolver};
pub use oserror::{OsCode, os_error, timed_out};
pub use proxy::{NoProxy, Proxy, ProxyKind};
pub use tcp::{ConnectError, ConnectFailure, Phase, connect};
