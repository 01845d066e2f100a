//! ClientHello construction (any version, suite list and extension set) and parsing.
//!
//! [`ClientHello::encode`] produces the bytes a probe writes to the socket: one or more
//! handshake records. [`probe_hello`] builds a sensible hello for one protocol version and
//! [`sslv2_client_hello`] the SSL 2.0 format one. [`ClientHello::parse`] reads a hello back (tests,
//! fuzzing, and the in-process servers of the integration tests use it).
//!
//! Code points are plain `u16`/`u8` values; naming them is the registry's job. This module does
//! not check that a hello makes sense (a probe must be able to send nonsense on purpose), does no
//! I/O and holds no private keys (see [`super::key_share`]).

use super::codec::{
    DecodeError, Reader, put_u8_prefixed, put_u16, put_u16_list_u8, put_u16_list_u16,
    put_u16_prefixed, put_u24,
};
use super::key_share::key_share_for;
use super::{content_type, extension_type as ext, handshake_type};

/// Largest plaintext record payload (2^14) a hello is split into.
pub const MAX_FRAGMENT: usize = 1 << 14;

/// A ClientHello, field by field, in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHello {
    /// Version in the record header, e.g. `0x0301` (kept apart from `legacy_version`).
    pub record_version: u16,
    /// The `client_version` field (`0x0303` for TLS 1.3, which negotiates via supported_versions).
    pub legacy_version: u16,
    /// `client_random`.
    pub random: [u8; 32],
    /// `legacy_session_id`, 0..=32 bytes.
    pub session_id: Vec<u8>,
    /// Offered cipher suites in order; any code point, including SCSVs and GREASE.
    pub cipher_suites: Vec<u16>,
    /// Offered compression methods (normally `[0]`).
    pub compression_methods: Vec<u8>,
    /// Extensions, encoded in this order; an empty list means no extensions block at all, which
    /// SSL 3.0 servers need.
    pub extensions: Vec<Extension>,
}

/// One ClientHello extension.
///
/// Each variant encodes to one fixed form; [`Extension::Raw`] carries anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extension {
    /// `server_name` (0) with one `host_name` entry.
    ServerName(String),
    /// `supported_groups` (10).
    SupportedGroups(Vec<u16>),
    /// `ec_point_formats` (11).
    EcPointFormats(Vec<u8>),
    /// `signature_algorithms` (13).
    SignatureAlgorithms(Vec<u16>),
    /// `signature_algorithms_cert` (50).
    SignatureAlgorithmsCert(Vec<u16>),
    /// `supported_versions` (43), client form.
    SupportedVersions(Vec<u16>),
    /// `key_share` (51): the groups to send a share for; the shares themselves come from
    /// [`super::key_share::key_share_for`], whose docs list which ones every server accepts.
    KeyShare(Vec<u16>),
    /// `psk_key_exchange_modes` (45).
    PskKeyExchangeModes(Vec<u8>),
    /// `application_layer_protocol_negotiation` (16).
    Alpn(Vec<Vec<u8>>),
    /// `status_request` (5): OCSP, no responder ids, no request extensions.
    StatusRequest,
    /// `renegotiation_info` (0xFF01) for an initial handshake (empty `renegotiated_connection`).
    RenegotiationInfo,
    /// `extended_master_secret` (23), empty.
    ExtendedMasterSecret,
    /// `encrypt_then_mac` (22), empty.
    EncryptThenMac,
    /// `session_ticket` (35), empty (no ticket to resume).
    SessionTicket,
    /// `padding` (21, RFC 7685). Written only when the handshake message without it would be
    /// 256..=511 bytes long (servers behind some F5 load balancers hang on those); it then pads
    /// the message to exactly 512 bytes, or as close above as its own 4-byte header allows.
    /// Only the first `Padding` in a list is used.
    Padding,
    /// Any other extension, written as given.
    Raw {
        /// Extension type.
        typ: u16,
        /// Extension body (without the type and length).
        data: Vec<u8>,
    },
}

impl Extension {
    /// The extension type code point.
    pub fn typ(&self) -> u16 {
        match self {
            Self::ServerName(_) => ext::SERVER_NAME,
            Self::SupportedGroups(_) => ext::SUPPORTED_GROUPS,
            Self::EcPointFormats(_) => ext::EC_POINT_FORMATS,
            Self::SignatureAlgorithms(_) => ext::SIGNATURE_ALGORITHMS,
            Self::SignatureAlgorithmsCert(_) => ext::SIGNATURE_ALGORITHMS_CERT,
            Self::SupportedVersions(_) => ext::SUPPORTED_VERSIONS,
            Self::KeyShare(_) => ext::KEY_SHARE,
            Self::PskKeyExchangeModes(_) => ext::PSK_KEY_EXCHANGE_MODES,
            Self::Alpn(_) => ext::ALPN,
            Self::StatusRequest => ext::STATUS_REQUEST,
            Self::RenegotiationInfo => ext::RENEGOTIATION_INFO,
            Self::ExtendedMasterSecret => ext::EXTENDED_MASTER_SECRET,
            Self::EncryptThenMac => ext::ENCRYPT_THEN_MAC,
            Self::SessionTicket => ext::SESSION_TICKET,
            Self::Padding => ext::PADDING,
            Self::Raw { typ, .. } => *typ,
        }
    }

    /// Writes the extension body (no type or length). Padding writes nothing here; its length
    /// depends on the whole message and is decided in [`ClientHello::encode_handshake`].
    fn encode_body(&self, out: &mut Vec<u8>) {
        match self {
            Self::ServerName(name) => put_u16_prefixed(out, |o| {
                o.push(0); // host_name
                put_u16_prefixed(o, |o| o.extend_from_slice(name.as_bytes()));
            }),
            Self::SupportedGroups(v)
            | Self::SignatureAlgorithms(v)
            | Self::SignatureAlgorithmsCert(v) => put_u16_list_u16(out, v),
            Self::EcPointFormats(v) | Self::PskKeyExchangeModes(v) => {
                put_u8_prefixed(out, |o| o.extend_from_slice(v));
            }
            Self::SupportedVersions(v) => put_u16_list_u8(out, v),
            Self::KeyShare(groups) => put_u16_prefixed(out, |o| {
                for &g in groups {
                    put_u16(o, g);
                    put_u16_prefixed(o, |o| o.extend_from_slice(&key_share_for(g)));
                }
            }),
            Self::Alpn(protocols) => put_u16_prefixed(out, |o| {
                for p in protocols {
                    put_u8_prefixed(o, |o| o.extend_from_slice(p));
                }
            }),
            Self::StatusRequest => out.extend_from_slice(&[1, 0, 0, 0, 0]),
            Self::RenegotiationInfo => out.push(0),
            Self::ExtendedMasterSecret
            | Self::EncryptThenMac
            | Self::SessionTicket
            | Self::Padding => {}
            Self::Raw { data, .. } => out.extend_from_slice(data),
        }
    }

    /// Writes type, length and body.
    fn encode(&self, out: &mut Vec<u8>) {
        put_u16(out, self.typ());
        put_u16_prefixed(out, |o| self.encode_body(o));
    }

    /// The extension for a received `(typ, data)` pair: a named variant when `data` is exactly
    /// what that variant encodes to, [`Extension::Raw`] otherwise (so nothing is lost).
    pub fn from_wire(typ: u16, data: &[u8]) -> Self {
        let named = Self::decode_named(typ, data);
        match named {
            Some(Self::Padding) => Self::Padding,
            Some(e) => {
                let mut again = Vec::with_capacity(data.len());
                e.encode_body(&mut again);
                if again == data {
                    e
                } else {
                    Self::raw(typ, data)
                }
            }
            None => Self::raw(typ, data),
        }
    }

    fn raw(typ: u16, data: &[u8]) -> Self {
        Self::Raw {
            typ,
            data: data.to_vec(),
        }
    }

    /// Best-effort decoding into a named variant; `from_wire` checks it re-encodes identically.
    fn decode_named(typ: u16, data: &[u8]) -> Option<Self> {
        let mut r = Reader::new(data);
        let e = match typ {
            ext::SERVER_NAME => {
                let mut list = r.sub_u16("server_name_list").ok()?;
                if list.u8("name_type").ok()? != 0 {
                    return None;
                }
                let name = list.sub_u16("host_name").ok()?.rest();
                Self::ServerName(String::from_utf8(name.to_vec()).ok()?)
            }
            ext::SUPPORTED_GROUPS => {
                Self::SupportedGroups(r.sub_u16("groups").ok()?.u16_list("groups").ok()?)
            }
            ext::SIGNATURE_ALGORITHMS => {
                Self::SignatureAlgorithms(r.sub_u16("sigalgs").ok()?.u16_list("sigalgs").ok()?)
            }
            ext::SIGNATURE_ALGORITHMS_CERT => {
                Self::SignatureAlgorithmsCert(r.sub_u16("sigalgs").ok()?.u16_list("sigalgs").ok()?)
            }
            ext::EC_POINT_FORMATS => {
                Self::EcPointFormats(r.sub_u8("formats").ok()?.rest().to_vec())
            }
            ext::PSK_KEY_EXCHANGE_MODES => {
                Self::PskKeyExchangeModes(r.sub_u8("modes").ok()?.rest().to_vec())
            }
            ext::SUPPORTED_VERSIONS => {
                Self::SupportedVersions(r.sub_u8("versions").ok()?.u16_list("versions").ok()?)
            }
            ext::KEY_SHARE => {
                let mut shares = r.sub_u16("client_shares").ok()?;
                let mut groups = Vec::new();
                while !shares.is_empty() {
                    groups.push(shares.u16("group").ok()?);
                    shares.sub_u16("key_exchange").ok()?;
                }
                Self::KeyShare(groups)
            }
            ext::ALPN => {
                let mut list = r.sub_u16("protocol_name_list").ok()?;
                let mut protocols = Vec::new();
                while !list.is_empty() {
                    protocols.push(list.sub_u8("protocol_name").ok()?.rest().to_vec());
                }
                Self::Alpn(protocols)
            }
            ext::STATUS_REQUEST => Self::StatusRequest,
            ext::RENEGOTIATION_INFO => Self::RenegotiationInfo,
            ext::EXTENDED_MASTER_SECRET => Self::ExtendedMasterSecret,
            ext::ENCRYPT_THEN_MAC => Self::EncryptThenMac,
            ext::SESSION_TICKET => Self::SessionTicket,
            ext::PADDING if data.iter().all(|&b| b == 0) => return Some(Self::Padding),
            _ => return None,
        };
        Some(e)
    }
}

impl ClientHello {
    /// The handshake message alone: type 1, 24-bit length, body.
    pub fn encode_handshake(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(512);
        put_u16(&mut body, self.legacy_version);
        body.extend_from_slice(&self.random);
        put_u8_prefixed(&mut body, |o| o.extend_from_slice(&self.session_id));
        put_u16_list_u16(&mut body, &self.cipher_suites);
        put_u8_prefixed(&mut body, |o| {
            o.extend_from_slice(&self.compression_methods)
        });

        if !self.extensions.is_empty() {
            let padding_at = self
                .extensions
                .iter()
                .position(|e| matches!(e, Extension::Padding));
            let mut before = Vec::new();
            let mut after = Vec::new();
            for (i, e) in self.extensions.iter().enumerate() {
                match padding_at {
                    Some(p) if i == p => {}
                    _ if matches!(e, Extension::Padding) => {}
                    Some(p) if i > p => e.encode(&mut after),
                    _ => e.encode(&mut before),
                }
            }
            // Message length without padding: header, body so far, block length, extensions.
            let unpadded = 4 + body.len() + 2 + before.len() + after.len();
            put_u16_prefixed(&mut body, |o| {
                o.extend_from_slice(&before);
                if padding_at.is_some() && (256..=511).contains(&unpadded) {
                    let fill = 512usize.saturating_sub(unpadded + 4);
                    put_u16(o, ext::PADDING);
                    put_u16_prefixed(o, |o| o.resize(o.len() + fill, 0));
                }
                o.extend_from_slice(&after);
            });
        }

        let mut msg = Vec::with_capacity(body.len() + 4);
        msg.push(handshake_type::CLIENT_HELLO);
        put_u24(&mut msg, body.len());
        msg.extend_from_slice(&body);
        msg
    }

    /// The full record-layer bytes: the handshake message split into records of at most 2^14
    /// bytes, each with `record_version` in its header.
    pub fn encode(&self) -> Vec<u8> {
        let msg = self.encode_handshake();
        let mut out = Vec::with_capacity(msg.len() + 5 * (msg.len() / MAX_FRAGMENT + 1));
        for chunk in msg.chunks(MAX_FRAGMENT) {
            out.push(content_type::HANDSHAKE);
            put_u16(&mut out, self.record_version);
            put_u16_prefixed(&mut out, |o| o.extend_from_slice(chunk));
        }
        out
    }

    /// Parses what [`ClientHello::encode`] writes: one or more handshake records holding exactly
    /// one ClientHello. `record_version` is taken from the first record.
    pub fn parse(records: &[u8]) -> Result<Self, DecodeError> {
        const MAX_HELLO: usize = 1 << 17;
        let mut r = Reader::new(records);
        let mut msg = Vec::new();
        let mut record_version = None;
        while !r.is_empty() {
            let offset = r.offset();
            if r.u8("record content type")? != content_type::HANDSHAKE {
                return Err(DecodeError::Invalid {
                    what: "record content type",
                    offset,
                    reason: "a ClientHello travels in handshake records",
                });
            }
            let v = r.u16("record version")?;
            record_version.get_or_insert(v);
            let fragment = r.sub_u16("record payload")?.rest();
            if msg.len() + fragment.len() > MAX_HELLO {
                return Err(DecodeError::TooLong {
                    what: "ClientHello",
                    offset,
                    len: msg.len() + fragment.len(),
                    max: MAX_HELLO,
                });
            }
            msg.extend_from_slice(fragment);
        }
        let record_version = record_version.ok_or(DecodeError::Truncated {
            what: "record header",
            offset: 0,
            needed: 5,
            left: 0,
        })?;
        // Offsets below count within the reassembled message.
        Self::parse_handshake(&msg, record_version)
    }

    /// Parses a ClientHello handshake message (type, length, body) received in records whose
    /// header carried `record_version`.
    pub fn parse_handshake(msg: &[u8], record_version: u16) -> Result<Self, DecodeError> {
        let mut r = Reader::new(msg);
        let offset = r.offset();
        if r.u8("handshake type")? != handshake_type::CLIENT_HELLO {
            return Err(DecodeError::Invalid {
                what: "handshake type",
                offset,
                reason: "not a ClientHello",
            });
        }
        let body = r.sub_u24("ClientHello")?;
        r.finish("ClientHello")?;
        Self::parse_body(body, record_version)
    }

    fn parse_body(mut r: Reader<'_>, record_version: u16) -> Result<Self, DecodeError> {
        let legacy_version = r.u16("client_version")?;
        let random = r.array::<32>("random")?;
        let sid = r.sub_u8("session_id")?;
        if sid.left() > 32 {
            return Err(DecodeError::TooLong {
                what: "session_id",
                offset: sid.offset() - 1,
                len: sid.left(),
                max: 32,
            });
        }
        let session_id = sid.clone().rest().to_vec();
        let cipher_suites = r.sub_u16("cipher_suites")?.u16_list("cipher_suites")?;
        let compression_methods = r.sub_u8("compression_methods")?.rest().to_vec();
        let mut extensions = Vec::new();
        if !r.is_empty() {
            let mut block = r.sub_u16("extensions")?;
            while !block.is_empty() {
                let typ = block.u16("extension type")?;
                let data = block.sub_u16("extension data")?.rest();
                extensions.push(Extension::from_wire(typ, data));
            }
        }
        r.finish("ClientHello")?;
        Ok(Self {
            record_version,
            legacy_version,
            random,
            session_id,
            cipher_suites,
            compression_methods,
            extensions,
        })
    }

    /// The offered versions: supported_versions if present, else `legacy_version`.
    pub fn offered_versions(&self) -> Vec<u16> {
        self.extensions
            .iter()
            .find_map(|e| match e {
                Extension::SupportedVersions(v) => Some(v.clone()),
                _ => None,
            })
            .unwrap_or_else(|| vec![self.legacy_version])
    }
}

/// Groups offered by [`probe_hello`] for TLS 1.3: x25519, secp256r1, secp384r1, secp521r1, x448,
/// ffdhe2048..8192.
pub const PROBE_GROUPS_TLS13: &[u16] = &[29, 23, 24, 25, 30, 256, 257, 258, 259, 260];
/// Groups offered by [`probe_hello`] for TLS 1.0–1.2 (ECDHE curves only).
pub const PROBE_GROUPS_LEGACY: &[u16] = &[29, 23, 24, 25, 30];
/// Groups [`probe_hello`] sends key shares for in TLS 1.3.
pub const PROBE_KEY_SHARES: &[u16] = &[29, 23];
/// Signature algorithms offered by [`probe_hello`]: ECDSA, EdDSA, RSA-PSS, RSA PKCS#1 (SHA-2 and
/// SHA-1) and DSA, so that old and new servers both find something.
pub const PROBE_SIGNATURE_ALGORITHMS: &[u16] = &[
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401,
    0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0203, 0x0201, 0x0202, 0x0402,
];

/// Fills `buf` from the system's random source; a fixed pattern if that is unavailable (the
/// values are not secrets: nothing derived from them is ever used). Probes use it for hello
/// randoms and SSLv2 challenges.
pub fn fill_random(buf: &mut [u8]) {
    use ring::rand::SecureRandom;
    if ring::rand::SystemRandom::new().fill(buf).is_err() {
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(151).wrapping_add(7);
        }
    }
}

/// A sensible ClientHello probing one version; `version` is the wire value 0x0300..=0x0304.
///
/// - `0x0304`: legacy_version 0x0303, a 32-byte session id (middlebox compatibility),
///   supported_versions `[0x0304]`, key shares for x25519 and secp256r1, psk_key_exchange_modes
///   (psk_dhe_ke), signature_algorithms, supported_groups, ec_point_formats, padding.
/// - `0x0303`: supported_groups, ec_point_formats, signature_algorithms, renegotiation_info,
///   extended_master_secret, padding; no supported_versions.
/// - `0x0301`/`0x0302`: supported_groups (ECDHE curves), ec_point_formats, renegotiation_info,
///   padding; no signature_algorithms.
/// - `0x0300` (and anything else below 0x0301): no extensions at all.
///
/// The record version is 0x0301, except 0x0300 for SSL 3.0. `sni` is sent as server_name when it
/// is `Some` and not an IP address literal (RFC 6066 forbids those). `random` and `session_id`
/// come from the system random source; overwrite them for reproducible bytes.
pub fn probe_hello(version: u16, suites: &[u16], sni: Option<&str>) -> ClientHello {
    let mut random = [0u8; 32];
    fill_random(&mut random);
    let mut hello = ClientHello {
        record_version: if version <= 0x0300 { 0x0300 } else { 0x0301 },
        legacy_version: version.min(0x0303),
        random,
        session_id: Vec::new(),
        cipher_suites: suites.to_vec(),
        compression_methods: vec![0],
        extensions: Vec::new(),
    };
    if version < 0x0301 {
        return hello;
    }
    let e = &mut hello.extensions;
    if let Some(name) = sni.filter(|n| n.parse::<std::net::IpAddr>().is_err() && !n.is_empty()) {
        e.push(Extension::ServerName(name.trim_end_matches('.').to_owned()));
    }
    match version {
        0x0301 | 0x0302 => {
            e.push(Extension::SupportedGroups(PROBE_GROUPS_LEGACY.to_vec()));
            e.push(Extension::EcPointFormats(vec![0]));
            e.push(Extension::RenegotiationInfo);
        }
        0x0303 => {
            e.push(Extension::SupportedGroups(PROBE_GROUPS_LEGACY.to_vec()));
            e.push(Extension::EcPointFormats(vec![0]));
            e.push(Extension::SignatureAlgorithms(
                PROBE_SIGNATURE_ALGORITHMS.to_vec(),
            ));
            e.push(Extension::RenegotiationInfo);
            e.push(Extension::ExtendedMasterSecret);
        }
        _ => {
            e.push(Extension::SupportedGroups(PROBE_GROUPS_TLS13.to_vec()));
            e.push(Extension::EcPointFormats(vec![0]));
            e.push(Extension::SignatureAlgorithms(
                PROBE_SIGNATURE_ALGORITHMS.to_vec(),
            ));
            e.push(Extension::SupportedVersions(vec![0x0304]));
            e.push(Extension::PskKeyExchangeModes(vec![1]));
            e.push(Extension::KeyShare(PROBE_KEY_SHARES.to_vec()));
            let mut sid = vec![0u8; 32];
            fill_random(&mut sid);
            hello.session_id = sid;
        }
    }
    hello.extensions.push(Extension::Padding);
    hello
}

/// An SSL 2.0 CLIENT-HELLO in an SSL 2.0 record (2-byte header), offering version 0x0002,
/// the 3-byte `cipher_kinds`, no session id and the given 16-byte challenge.
///
/// At most 10 000 cipher kinds are written (the record length field has 15 bits).
pub fn sslv2_client_hello(cipher_kinds: &[u32], challenge: [u8; 16]) -> Vec<u8> {
    const MAX_KINDS: usize = 10_000;
    let kinds = &cipher_kinds[..cipher_kinds.len().min(MAX_KINDS)];
    let mut msg = Vec::with_capacity(9 + 3 * kinds.len() + 16);
    msg.push(1); // CLIENT-HELLO
    put_u16(&mut msg, 0x0002);
    put_u16(&mut msg, (3 * kinds.len()) as u16);
    put_u16(&mut msg, 0); // session id length
    put_u16(&mut msg, challenge.len() as u16);
    for &k in kinds {
        msg.extend_from_slice(&k.to_be_bytes()[1..]);
    }
    msg.extend_from_slice(&challenge);
    let len = msg.len() as u16;
    let mut out = Vec::with_capacity(msg.len() + 2);
    put_u16(&mut out, 0x8000 | len);
    out.extend_from_slice(&msg);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(mut h: ClientHello) -> ClientHello {
        h.random = [0x11; 32];
        if !h.session_id.is_empty() {
            h.session_id = vec![0x22; 32];
        }
        h
    }

    #[test]
    fn probe_hellos_round_trip_through_parse() {
        let suites = [0x1301, 0x1302, 0xC02F, 0x009E, 0x002F, 0x00FF];
        for version in [0x0300, 0x0301, 0x0302, 0x0303, 0x0304] {
            for sni in [None, Some("example.test")] {
                let h = fixed(probe_hello(version, &suites, sni));
                let bytes = h.encode();
                let back = ClientHello::parse(&bytes).unwrap();
                assert_eq!(back.encode(), bytes, "version {version:#06x}");
                let mut expect = h.clone();
                // Padding only appears when it was needed; everything else is kept exactly.
                if !back.extensions.contains(&Extension::Padding) {
                    expect.extensions.retain(|e| *e != Extension::Padding);
                }
                assert_eq!(back, expect);
            }
        }
    }

    #[test]
    fn probe_hello_version_shapes() {
        let ssl3 = probe_hello(0x0300, &[0x000A], Some("a.test"));
        assert_eq!((ssl3.record_version, ssl3.legacy_version), (0x0300, 0x0300));
        assert!(ssl3.extensions.is_empty());
        // No extensions block at all: the body ends with the compression methods.
        let hs = ssl3.encode_handshake();
        assert_eq!(&hs[hs.len() - 2..], &[1, 0]);
        assert_eq!(hs.len(), 4 + 2 + 32 + 1 + 2 + 2 + 2);

        let t10 = probe_hello(0x0301, &[0x002F], Some("a.test"));
        assert_eq!((t10.record_version, t10.legacy_version), (0x0301, 0x0301));
        let types: Vec<u16> = t10.extensions.iter().map(Extension::typ).collect();
        assert_eq!(types, [0, 10, 11, 0xFF01, 21]);

        let t12 = probe_hello(0x0303, &[0xC02F], None);
        assert_eq!(t12.legacy_version, 0x0303);
        let types: Vec<u16> = t12.extensions.iter().map(Extension::typ).collect();
        assert_eq!(types, [10, 11, 13, 0xFF01, 23, 21]);

        let t13 = probe_hello(0x0304, &[0x1301], Some("192.0.2.1"));
        assert_eq!((t13.record_version, t13.legacy_version), (0x0301, 0x0303));
        assert_eq!(t13.session_id.len(), 32);
        assert!(
            t13.extensions
                .contains(&Extension::SupportedVersions(vec![0x0304]))
        );
        assert!(t13.extensions.contains(&Extension::KeyShare(vec![29, 23])));
        assert!(
            !t13.extensions.iter().any(|e| e.typ() == 0),
            "no SNI for an IP"
        );
        assert_eq!(t13.offered_versions(), [0x0304]);
    }

    #[test]
    fn padding_moves_the_message_out_of_256_to_511() {
        let base = ClientHello {
            record_version: 0x0301,
            legacy_version: 0x0303,
            random: [0; 32],
            session_id: Vec::new(),
            cipher_suites: Vec::new(),
            compression_methods: vec![0],
            extensions: vec![Extension::Padding],
        };
        for n in 0..400 {
            let mut h = base.clone();
            h.cipher_suites = (0..n).collect();
            let unpadded = {
                let mut u = h.clone();
                u.extensions = vec![Extension::Raw {
                    typ: 0xFFFE,
                    data: vec![],
                }];
                u.encode_handshake().len() - 4
            };
            let len = h.encode_handshake().len();
            if (256..=511).contains(&unpadded) {
                assert!(len >= 512, "n={n}: {unpadded} -> {len}");
                assert!(len <= 515, "n={n}: {len}");
                if unpadded <= 508 {
                    assert_eq!(len, 512, "n={n}");
                }
            } else {
                assert_eq!(len, unpadded, "n={n}: no padding needed");
            }
            assert!(!(256..=511).contains(&len), "n={n}: {len}");
            // And it still parses.
            ClientHello::parse(&h.encode()).unwrap();
        }
    }

    #[test]
    fn padding_stays_in_its_list_position() {
        let h = ClientHello {
            record_version: 0x0301,
            legacy_version: 0x0303,
            random: [0; 32],
            session_id: Vec::new(),
            cipher_suites: (0..110).collect(),
            compression_methods: vec![0],
            extensions: vec![
                Extension::ExtendedMasterSecret,
                Extension::Padding,
                Extension::SessionTicket,
            ],
        };
        let back = ClientHello::parse(&h.encode()).unwrap();
        assert_eq!(back.extensions, h.extensions);
        assert_eq!(h.encode_handshake().len(), 512);
    }

    #[test]
    fn large_hello_is_split_into_records() {
        let h = ClientHello {
            record_version: 0x0301,
            legacy_version: 0x0303,
            random: [7; 32],
            session_id: vec![1, 2, 3],
            cipher_suites: (0..12_000).collect(),
            compression_methods: vec![0],
            extensions: vec![Extension::Raw {
                typ: 0x7777,
                data: vec![0xAB; 9000],
            }],
        };
        let hs = h.encode_handshake();
        assert!(hs.len() > 2 * MAX_FRAGMENT);
        let rec = h.encode();
        assert_eq!(rec.len(), hs.len() + 5 * 3);
        // First record is full, headers in the right places.
        assert_eq!(&rec[..5], &[22, 3, 1, 0x40, 0x00]);
        let second = 5 + MAX_FRAGMENT;
        assert_eq!(&rec[second..second + 5], &[22, 3, 1, 0x40, 0x00]);
        let third = 2 * second;
        let rest = hs.len() - 2 * MAX_FRAGMENT;
        assert_eq!(
            &rec[third..third + 5],
            &[22, 3, 1, (rest >> 8) as u8, rest as u8]
        );
        assert_eq!(ClientHello::parse(&rec).unwrap(), h);
    }

    #[test]
    fn every_extension_variant_round_trips() {
        let h = ClientHello {
            record_version: 0x0301,
            legacy_version: 0x0303,
            random: [3; 32],
            session_id: vec![9; 32],
            cipher_suites: vec![0x0A0A, 0x1301, 0x00FF, 0x5600],
            compression_methods: vec![1, 0],
            extensions: vec![
                Extension::ServerName("host.example".into()),
                Extension::SupportedGroups(vec![0x1A1A, 29, 0x11EC]),
                Extension::EcPointFormats(vec![0, 1, 2]),
                Extension::SignatureAlgorithms(vec![0x0804]),
                Extension::SignatureAlgorithmsCert(vec![0x0401]),
                Extension::SupportedVersions(vec![0x0304, 0x0303]),
                Extension::KeyShare(vec![29, 23, 24, 25, 30, 256, 0x11EC, 0x2A2A]),
                Extension::PskKeyExchangeModes(vec![1]),
                Extension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
                Extension::StatusRequest,
                Extension::RenegotiationInfo,
                Extension::ExtendedMasterSecret,
                Extension::EncryptThenMac,
                Extension::SessionTicket,
                Extension::Raw {
                    typ: 0xFF01,
                    data: vec![3, 1, 2, 3],
                },
                Extension::Raw {
                    typ: 0x4A4A,
                    data: vec![],
                },
            ],
        };
        let back = ClientHello::parse(&h.encode()).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn key_share_wire_form() {
        let mut out = Vec::new();
        Extension::KeyShare(vec![29]).encode(&mut out);
        assert_eq!(&out[..8], &[0, 51, 0, 38, 0, 36, 0, 29]);
        assert_eq!(&out[8..10], &[0, 32]);
        assert_eq!(&out[10..], &crate::wire::key_share::X25519_PUBLIC);
    }

    #[test]
    fn parse_rejects_garbage_and_cut_hellos() {
        let h = fixed(probe_hello(0x0304, &[0x1301], Some("x.test")));
        let bytes = h.encode();
        for cut in 0..bytes.len() {
            assert!(ClientHello::parse(&bytes[..cut]).is_err(), "cut {cut}");
        }
        let mut bad = bytes.clone();
        bad[0] = 23;
        assert!(matches!(
            ClientHello::parse(&bad),
            Err(DecodeError::Invalid { offset: 0, .. })
        ));
    }

    #[test]
    fn sslv2_hello_layout() {
        let v2 = sslv2_client_hello(&[0x010080, 0x0700C0], [0xCC; 16]);
        assert_eq!(v2.len(), 2 + 9 + 6 + 16);
        assert_eq!(&v2[..2], &[0x80, (9 + 6 + 16) as u8]);
        assert_eq!(&v2[2..11], &[1, 0, 2, 0, 6, 0, 0, 0, 16]);
        assert_eq!(&v2[11..17], &[1, 0, 0x80, 7, 0, 0xC0]);
        assert_eq!(&v2[17..], &[0xCC; 16]);
        let big = sslv2_client_hello(&vec![0x010080; 20_000], [0; 16]);
        assert_eq!(big.len(), 2 + 9 + 30_000 + 16);
    }
}
