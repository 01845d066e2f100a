//! TLS alert descriptions: code, RFC name and a one-line plain meaning.
//!
//! Includes the codes that only older versions send (SSL 3.0's `no_certificate`, TLS 1.0's
//! `decryption_failed` and `export_restriction`) because legacy peers still send them. The
//! meanings say what the alert literally reports; the diagnosis of *why* a peer sent it (and the
//! fix) lives in the `diagnose` knowledge base, not here. No parsing happens in this module.

use serde::Serialize;

/// One alert description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AlertInfo {
    /// Description byte.
    pub code: u8,
    /// RFC name in snake_case (`"handshake_failure"`).
    pub name: &'static str,
    /// What the sender is saying, in one line.
    pub meaning: &'static str,
}

macro_rules! alerts {
    ($($code:literal $name:ident $meaning:literal;)*) => {
        /// Every known alert description, sorted by code.
        pub static ALERTS: &[AlertInfo] = &[$(
            AlertInfo { code: $code, name: stringify!($name), meaning: $meaning },
        )*];
    };
}

alerts! {
    0 close_notify "The sender is ending the connection cleanly and will send nothing more.";
    10 unexpected_message "A message arrived that does not fit the handshake or record state.";
    20 bad_record_mac "A record failed its integrity check or could not be decrypted.";
    21 decryption_failed "Old (TLS 1.0) code for a record that did not decrypt correctly.";
    22 record_overflow "A record was longer than the protocol allows.";
    30 decompression_failure "Compressed data could not be expanded (compression is obsolete).";
    40 handshake_failure "No acceptable set of security parameters could be agreed.";
    41 no_certificate "SSL 3.0 only: the client has no suitable certificate to send.";
    42 bad_certificate "A certificate was corrupt, badly signed or otherwise unusable.";
    43 unsupported_certificate "The certificate type or key is not one the receiver supports.";
    44 certificate_revoked "The certificate was revoked by its issuer.";
    45 certificate_expired "The certificate is outside its validity period.";
    46 certificate_unknown "The certificate was rejected for a reason not covered by other alerts.";
    47 illegal_parameter "A handshake field was out of range or inconsistent with others.";
    48 unknown_ca "The certificate chain does not lead to a CA the receiver trusts.";
    49 access_denied "The peer was authenticated but is not allowed to continue.";
    50 decode_error "A message could not be parsed: wrong length or malformed field.";
    51 decrypt_error "A signature, key exchange or Finished check failed.";
    52 too_many_cids_requested "DTLS: more connection IDs were requested than the sender will keep.";
    60 export_restriction "Old (TLS 1.0) code: a parameter broke export rules.";
    70 protocol_version "The offered protocol version is recognised but not accepted.";
    71 insufficient_security "The server requires stronger cipher suites than the client offered.";
    80 internal_error "The sender hit a local failure unrelated to the peer's messages.";
    86 inappropriate_fallback "A downgraded retry (TLS_FALLBACK_SCSV) was detected and refused.";
    90 user_canceled "The handshake is being abandoned on purpose, not because of an error.";
    100 no_renegotiation "A request to renegotiate the session was refused.";
    109 missing_extension "A required extension was absent from the handshake.";
    110 unsupported_extension "An extension was present that the receiver did not offer or allow.";
    111 certificate_unobtainable "A certificate could not be fetched from the URL given.";
    112 unrecognized_name "The server has no site for the requested server name (SNI).";
    113 bad_certificate_status_response "The stapled OCSP response was invalid or unacceptable.";
    114 bad_certificate_hash_value "A certificate did not match the hash the peer announced.";
    115 unknown_psk_identity "The offered pre-shared key identity is not known.";
    116 certificate_required "The server requires a client certificate and none was sent.";
    117 general_error "An error occurred that no more specific alert describes.";
    120 no_application_protocol "None of the offered ALPN protocols is supported by the server.";
    121 ech_required "The server requires Encrypted Client Hello and it was not used.";
}

/// The entry for a description byte.
pub fn alert(code: u8) -> Option<&'static AlertInfo> {
    ALERTS
        .binary_search_by_key(&code, |a| a.code)
        .ok()
        .and_then(|i| ALERTS.get(i))
}

/// The RFC name for a description byte (`40` → `"handshake_failure"`).
pub fn alert_name(code: u8) -> Option<&'static str> {
    alert(code).map(|a| a.name)
}

/// The one-line meaning for a description byte.
pub fn alert_meaning(code: u8) -> Option<&'static str> {
    alert(code).map(|a| a.meaning)
}

/// The description byte for an RFC name, case-insensitively; also accepts spaces or hyphens
/// for underscores (`"Handshake Failure"`).
pub fn alert_by_name(name: &str) -> Option<u8> {
    let norm: String = name
        .trim()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect();
    ALERTS.iter().find(|a| a.name == norm).map(|a| a.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_round_trip() {
        for w in ALERTS.windows(2) {
            assert!(w[0].code < w[1].code, "{} !< {}", w[0].name, w[1].name);
        }
        for a in ALERTS {
            assert_eq!(alert_name(a.code), Some(a.name));
            assert_eq!(alert_by_name(a.name), Some(a.code));
            assert!(
                a.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                a.name
            );
            assert!(
                a.meaning.ends_with('.') && a.meaning.len() < 100,
                "{}",
                a.name
            );
        }
        assert_eq!(ALERTS.len(), 37);
    }

    #[test]
    fn well_known_codes() {
        assert_eq!(alert_name(0), Some("close_notify"));
        assert_eq!(alert_name(40), Some("handshake_failure"));
        assert_eq!(alert_name(70), Some("protocol_version"));
        assert_eq!(alert_name(21), Some("decryption_failed"));
        assert_eq!(alert_name(41), Some("no_certificate"));
        assert_eq!(alert_name(60), Some("export_restriction"));
        assert_eq!(alert_name(100), Some("no_renegotiation"));
        assert_eq!(alert_name(112), Some("unrecognized_name"));
        assert_eq!(alert_name(120), Some("no_application_protocol"));
        assert_eq!(alert_name(121), Some("ech_required"));
        assert_eq!(alert_name(255), None);
        assert_eq!(alert_name(1), None);
        assert_eq!(alert_by_name("Handshake Failure"), Some(40));
        assert_eq!(alert_by_name("PROTOCOL-VERSION"), Some(70));
        assert_eq!(alert_by_name("nope"), None);
        assert!(alert_meaning(71).is_some_and(|m| m.contains("stronger")));
    }
}
