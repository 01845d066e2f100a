//! Sans-I/O TLS codec: the bytes a probe sends and the parsing of what a server answers.
//!
//! What it does:
//! - builds ClientHellos for any version, cipher suite list and extension set
//!   ([`ClientHello`], [`probe_hello`]) and the SSL 2.0 CLIENT-HELLO ([`sslv2_client_hello`]);
//! - splits a server's byte stream into records and messages with bounded buffers
//!   ([`MessageReader`]), and guesses what a non-TLS answer is ([`sniff`]);
//! - parses ServerHello / HelloRetryRequest, the SSL 2.0 SERVER-HELLO, Certificate (TLS ≤ 1.2),
//!   ServerKeyExchange and alerts.
//!
//! What it does not do: sockets, timeouts or async (the `probe` and `net` layers own those); any
//! cryptography (no handshake is ever completed, the key shares in [`key_share`] are fixed public
//! values); naming code points (the `registry` module maps the plain `u8`/`u16` values used here to
//! names); X.509 parsing (certificates are returned as DER bytes).
//!
//! Every parser is bounded in memory and time and returns a [`DecodeError`] naming the field and
//! the offset instead of panicking, whatever the input.

pub mod alert;
pub mod certificate;
pub mod client_hello;
pub mod codec;
pub mod key_share;
pub mod record;
pub mod server_hello;
pub mod server_key_exchange;

pub use alert::Alert;
pub use certificate::parse_certificate;
pub use client_hello::{ClientHello, Extension, probe_hello, sslv2_client_hello};
pub use codec::{DecodeError, Reader};
pub use record::{Message, MessageReader, SNIFF_LINE_MAX, Sniffed, first_line, sniff};
pub use server_hello::{ServerHello, SslV2ServerHello};
pub use server_key_exchange::{KeyExchangeKind, ServerKeyExchange, parse_server_key_exchange};

/// Handshake message types (RFC 8446 §4, RFC 5246 §7.4).
pub mod handshake_type {
    /// hello_request (TLS ≤ 1.2).
    pub const HELLO_REQUEST: u8 = 0;
    /// client_hello.
    pub const CLIENT_HELLO: u8 = 1;
    /// server_hello (also HelloRetryRequest in TLS 1.3).
    pub const SERVER_HELLO: u8 = 2;
    /// new_session_ticket.
    pub const NEW_SESSION_TICKET: u8 = 4;
    /// end_of_early_data.
    pub const END_OF_EARLY_DATA: u8 = 5;
    /// encrypted_extensions (TLS 1.3, always encrypted).
    pub const ENCRYPTED_EXTENSIONS: u8 = 8;
    /// certificate.
    pub const CERTIFICATE: u8 = 11;
    /// server_key_exchange (TLS ≤ 1.2).
    pub const SERVER_KEY_EXCHANGE: u8 = 12;
    /// certificate_request.
    pub const CERTIFICATE_REQUEST: u8 = 13;
    /// server_hello_done (TLS ≤ 1.2).
    pub const SERVER_HELLO_DONE: u8 = 14;
    /// certificate_verify.
    pub const CERTIFICATE_VERIFY: u8 = 15;
    /// client_key_exchange (TLS ≤ 1.2).
    pub const CLIENT_KEY_EXCHANGE: u8 = 16;
    /// finished.
    pub const FINISHED: u8 = 20;
    /// certificate_status (OCSP stapling, TLS ≤ 1.2).
    pub const CERTIFICATE_STATUS: u8 = 22;
    /// key_update (TLS 1.3).
    pub const KEY_UPDATE: u8 = 24;
    /// message_hash (TLS 1.3 transcript placeholder; never on the wire).
    pub const MESSAGE_HASH: u8 = 254;
}

/// Record-layer content types.
pub mod content_type {
    /// change_cipher_spec.
    pub const CHANGE_CIPHER_SPEC: u8 = 20;
    /// alert.
    pub const ALERT: u8 = 21;
    /// handshake.
    pub const HANDSHAKE: u8 = 22;
    /// application_data (also every encrypted TLS 1.3 record).
    pub const APPLICATION_DATA: u8 = 23;
    /// heartbeat (RFC 6520).
    pub const HEARTBEAT: u8 = 24;
}

/// Extension types used by this codec.
pub mod extension_type {
    /// server_name.
    pub const SERVER_NAME: u16 = 0;
    /// status_request.
    pub const STATUS_REQUEST: u16 = 5;
    /// supported_groups (formerly elliptic_curves).
    pub const SUPPORTED_GROUPS: u16 = 10;
    /// ec_point_formats.
    pub const EC_POINT_FORMATS: u16 = 11;
    /// signature_algorithms.
    pub const SIGNATURE_ALGORITHMS: u16 = 13;
    /// application_layer_protocol_negotiation.
    pub const ALPN: u16 = 16;
    /// padding.
    pub const PADDING: u16 = 21;
    /// encrypt_then_mac.
    pub const ENCRYPT_THEN_MAC: u16 = 22;
    /// extended_master_secret.
    pub const EXTENDED_MASTER_SECRET: u16 = 23;
    /// session_ticket.
    pub const SESSION_TICKET: u16 = 35;
    /// supported_versions.
    pub const SUPPORTED_VERSIONS: u16 = 43;
    /// cookie (HelloRetryRequest).
    pub const COOKIE: u16 = 44;
    /// psk_key_exchange_modes.
    pub const PSK_KEY_EXCHANGE_MODES: u16 = 45;
    /// signature_algorithms_cert.
    pub const SIGNATURE_ALGORITHMS_CERT: u16 = 50;
    /// key_share.
    pub const KEY_SHARE: u16 = 51;
    /// renegotiation_info.
    pub const RENEGOTIATION_INFO: u16 = 0xFF01;
}

#[cfg(test)]
mod capture;

#[cfg(test)]
mod fixtures;
