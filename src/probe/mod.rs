//! TODO
pub mod cert;
pub mod handshake;
pub mod trust;
