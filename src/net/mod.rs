//! Network access: name resolution, TCP connects with deadlines, and the normalisation of OS
//! errors into [`crate::model::OsError`] (errno name plus the Winsock code a Windows client
//! would see).
//!
//! This module does not speak TLS and does not decide what an error *means* for the user; it
//! only reports what happened. [`crate::probe`] builds on it, [`crate::diagnose`] interprets it.

pub mod dns;
pub mod oserror;
pub mod proxy;
pub mod socks;
pub mod tcp;

pub use dns::{Family, Resolver};
pub use oserror::os_error;
pub use proxy::{NoProxy, Proxy, ProxyKind};
pub use tcp::{ConnectError, connect};
