//! TLS ExtensionType names, for printing what a ClientHello or ServerHello carried.
//!
//! The IANA registry plus three unregistered values that browsers and old servers send
//! (`next_protocol_negotiation` and the two `application_settings` code points; `registered`
//! is false for them). Names only: extension bodies are encoded and parsed in `wire`.

use serde::Serialize;

use super::cipher_suites::is_grease;

/// One extension type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ExtensionInfo {
    /// Wire value; serialised as `"0xFF01"`.
    #[serde(serialize_with = "super::serialize_hex16")]
    pub id: u16,
    /// Registry name (`"server_name"`, `"renegotiation_info"`).
    pub name: &'static str,
    /// Whether IANA registered the value.
    pub registered: bool,
}

macro_rules! extensions {
    ($($id:literal $name:ident $reg:literal;)*) => {
        /// Every known extension type, sorted by `id`.
        pub static EXTENSIONS: &[ExtensionInfo] = &[$(
            ExtensionInfo { id: $id, name: stringify!($name), registered: $reg },
        )*];
    };
}

extensions! {
    0 server_name true;
    1 max_fragment_length true;
    2 client_certificate_url true;
    3 trusted_ca_keys true;
    4 truncated_hmac true;
    5 status_request true;
    6 user_mapping true;
    7 client_authz true;
    8 server_authz true;
    9 cert_type true;
    10 supported_groups true;
    11 ec_point_formats true;
    12 srp true;
    13 signature_algorithms true;
    14 use_srtp true;
    15 heartbeat true;
    16 application_layer_protocol_negotiation true;
    17 status_request_v2 true;
    18 signed_certificate_timestamp true;
    19 client_certificate_type true;
    20 server_certificate_type true;
    21 padding true;
    22 encrypt_then_mac true;
    23 extended_master_secret true;
    24 token_binding true;
    25 cached_info true;
    26 tls_lts true;
    27 compress_certificate true;
    28 record_size_limit true;
    29 pwd_protect true;
    30 pwd_clear true;
    31 password_salt true;
    32 ticket_pinning true;
    33 tls_cert_with_extern_psk true;
    34 delegated_credential true;
    35 session_ticket true;
    36 TLMSP true;
    37 TLMSP_proxying true;
    38 TLMSP_delegate true;
    39 supported_ekt_ciphers true;
    41 pre_shared_key true;
    42 early_data true;
    43 supported_versions true;
    44 cookie true;
    45 psk_key_exchange_modes true;
    47 certificate_authorities true;
    48 oid_filters true;
    49 post_handshake_auth true;
    50 signature_algorithms_cert true;
    51 key_share true;
    52 transparency_info true;
    53 connection_id_deprecated true;
    54 connection_id true;
    55 external_id_hash true;
    56 external_session_id true;
    57 quic_transport_parameters true;
    58 ticket_request true;
    59 dnssec_chain true;
    60 sequence_number_encryption_algorithms true;
    61 rrc true;
    62 tls_flags true;
    0x3374 next_protocol_negotiation false;
    0x4469 application_settings_old false;
    0x44CD application_settings false;
    0xFD00 ech_outer_extensions true;
    0xFE0D encrypted_client_hello true;
    0xFF01 renegotiation_info true;
}

/// The entry for a wire value (binary search).
pub fn extension(id: u16) -> Option<&'static ExtensionInfo> {
    EXTENSIONS
        .binary_search_by_key(&id, |e| e.id)
        .ok()
        .and_then(|i| EXTENSIONS.get(i))
}

/// Printable name of any extension value: the registry name, `"GREASE(0x0A0A)"`, or `"0x1234"`.
pub fn extension_name(id: u16) -> String {
    match extension(id) {
        Some(e) => e.name.to_string(),
        None if is_grease(id) => format!("GREASE(0x{id:04X})"),
        None => format!("0x{id:04X}"),
    }
}

/// Looks an extension up by name, case-insensitively.
pub fn extension_by_name(name: &str) -> Option<&'static ExtensionInfo> {
    let name = name.trim();
    EXTENSIONS
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_round_trip() {
        for w in EXTENSIONS.windows(2) {
            assert!(w[0].id < w[1].id, "{} !< {}", w[0].name, w[1].name);
        }
        for e in EXTENSIONS {
            assert_eq!(extension(e.id), Some(e));
            assert_eq!(extension_by_name(e.name), Some(e));
            assert_eq!(extension_name(e.id), e.name);
            assert!(!is_grease(e.id));
        }
    }

    #[test]
    fn well_known_values() {
        assert_eq!(extension_name(0), "server_name");
        assert_eq!(extension_name(16), "application_layer_protocol_negotiation");
        assert_eq!(extension_name(43), "supported_versions");
        assert_eq!(extension_name(51), "key_share");
        assert_eq!(extension_name(0xFF01), "renegotiation_info");
        assert_eq!(extension_name(0xFE0D), "encrypted_client_hello");
        assert_eq!(extension_name(0x1A1A), "GREASE(0x1A1A)");
        assert_eq!(extension_name(0x7777), "0x7777");
        assert_eq!(extension(0x3374).map(|e| e.registered), Some(false));
    }
}
