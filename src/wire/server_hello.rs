//! ServerHello (every TLS version, including the TLS 1.3 HelloRetryRequest form) and the SSL 2.0
//! SERVER-HELLO.
//!
//! Extracts what a probe reports: chosen version, cipher suite, key-exchange group, ALPN and the
//! security extensions. Extensions are also kept raw. Does not check that the choice matches
//! what was offered (the probe compares), and does not parse certificates.

use super::codec::{DecodeError, Reader};
use super::extension_type as ext;

/// The `random` of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

/// First 7 bytes of the TLS 1.3 downgrade sentinel in the last 8 bytes of a ServerHello random
/// ("DOWNGRD"); the 8th byte is 1 for a TLS 1.2 answer, 0 for TLS 1.1 or below.
const DOWNGRADE_PREFIX: [u8; 7] = *b"DOWNGRD";

/// Most extensions accepted in one ServerHello.
const MAX_EXTENSIONS: usize = 64;

/// A parsed ServerHello or HelloRetryRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerHello {
    /// The `server_version` / `legacy_version` field.
    pub legacy_version: u16,
    /// `server_random`.
    pub random: [u8; 32],
    /// `session_id` / `legacy_session_id_echo` (0..=32 bytes).
    pub session_id: Vec<u8>,
    /// The chosen cipher suite.
    pub cipher_suite: u16,
    /// The chosen compression method.
    pub compression_method: u8,
    /// Every extension as `(type, data)`, in received order.
    pub extensions: Vec<(u16, Vec<u8>)>,
    /// True when `random` is the RFC 8446 HelloRetryRequest constant.
    pub is_hello_retry_request: bool,
    /// The version from supported_versions, if present.
    pub selected_version: Option<u16>,
    /// The group from key_share (the group the server wants, for a HelloRetryRequest).
    pub key_share_group: Option<u16>,
    /// The protocol chosen by ALPN.
    pub alpn: Option<Vec<u8>>,
    /// renegotiation_info was present (secure renegotiation supported).
    pub renegotiation_info: bool,
    /// extended_master_secret was present.
    pub extended_master_secret: bool,
    /// encrypt_then_mac was present.
    pub encrypt_then_mac: bool,
}

impl ServerHello {
    /// Parses a ServerHello body (after the 4-byte handshake header).
    ///
    /// Duplicate extensions, malformed known extensions and trailing bytes are errors.
    pub fn parse(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let legacy_version = r.u16("server_version")?;
        let random = r.array::<32>("random")?;
        let sid_offset = r.offset();
        let sid = r.sub_u8("session_id")?;
        if sid.left() > 32 {
            return Err(DecodeError::TooLong {
                what: "session_id",
                offset: sid_offset,
                len: sid.left(),
                max: 32,
            });
        }
        let session_id = sid.clone().rest().to_vec();
        let cipher_suite = r.u16("cipher_suite")?;
        let compression_method = r.u8("compression_method")?;
        let is_hello_retry_request = random == HELLO_RETRY_REQUEST_RANDOM;

        let mut hello = Self {
            legacy_version,
            random,
            session_id,
            cipher_suite,
            compression_method,
            extensions: Vec::new(),
            is_hello_retry_request,
            selected_version: None,
            key_share_group: None,
            alpn: None,
            renegotiation_info: false,
            extended_master_secret: false,
            encrypt_then_mac: false,
        };
        // SSL 3.0 and some TLS 1.0 servers send no extensions block at all.
        if !r.is_empty() {
            let mut block = r.sub_u16("extensions")?;
            while !block.is_empty() {
                let offset = block.offset();
                if hello.extensions.len() == MAX_EXTENSIONS {
                    return Err(DecodeError::TooLong {
                        what: "extension count",
                        offset,
                        len: MAX_EXTENSIONS + 1,
                        max: MAX_EXTENSIONS,
                    });
                }
                let typ = block.u16("extension type")?;
                if hello.extensions.iter().any(|(t, _)| *t == typ) {
                    return Err(DecodeError::Invalid {
                        what: "extension type",
                        offset,
                        reason: "duplicate extension",
                    });
                }
                let data = block.sub_u16("extension data")?;
                hello.read_extension(typ, data.clone())?;
                hello.extensions.push((typ, data.clone().rest().to_vec()));
            }
        }
        r.finish("ServerHello")?;
        Ok(hello)
    }

    /// Interprets the extensions a probe reports on.
    fn read_extension(&mut self, typ: u16, mut d: Reader<'_>) -> Result<(), DecodeError> {
        match typ {
            ext::SUPPORTED_VERSIONS => {
                self.selected_version = Some(d.u16("supported_versions")?);
                d.finish("supported_versions")
            }
            ext::KEY_SHARE => {
                self.key_share_group = Some(d.u16("key_share group")?);
                if !self.is_hello_retry_request {
                    let offset = d.offset();
                    let key = d.sub_u16("key_exchange")?;
                    if key.is_empty() {
                        return Err(DecodeError::Invalid {
                            what: "key_exchange",
                            offset,
                            reason: "empty key share",
                        });
                    }
                }
                d.finish("key_share")
            }
            ext::ALPN => {
                let mut list = d.sub_u16("protocol_name_list")?;
                let offset = list.offset();
                let name = list.sub_u8("protocol_name")?.rest();
                if name.is_empty() {
                    return Err(DecodeError::Invalid {
                        what: "protocol_name",
                        offset,
                        reason: "empty protocol name",
                    });
                }
                list.finish("protocol_name_list")?;
                d.finish("alpn")?;
                self.alpn = Some(name.to_vec());
                Ok(())
            }
            ext::RENEGOTIATION_INFO => {
                d.sub_u8("renegotiated_connection")?;
                d.finish("renegotiation_info")?;
                self.renegotiation_info = true;
                Ok(())
            }
            ext::EXTENDED_MASTER_SECRET => {
                self.extended_master_secret = true;
                Ok(())
            }
            ext::ENCRYPT_THEN_MAC => {
                self.encrypt_then_mac = true;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The negotiated version: `selected_version` if present, else `legacy_version`.
    pub fn version(&self) -> u16 {
        self.selected_version.unwrap_or(self.legacy_version)
    }

    /// The TLS 1.3 downgrade sentinel in the random, if present: `Some(0x0303)` when a
    /// TLS 1.3-capable server answered with TLS 1.2, `Some(0x0302)` for TLS 1.1 or below.
    pub fn downgrade_sentinel(&self) -> Option<u16> {
        let (head, last) = self.random[24..].split_at(7);
        if head != DOWNGRADE_PREFIX {
            return None;
        }
        match last {
            [1] => Some(0x0303),
            [0] => Some(0x0302),
            _ => None,
        }
    }

    /// The raw data of extension `typ`, if the server sent it.
    pub fn extension(&self, typ: u16) -> Option<&[u8]> {
        self.extensions
            .iter()
            .find(|(t, _)| *t == typ)
            .map(|(_, d)| d.as_slice())
    }
}

/// An SSL 2.0 SERVER-HELLO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SslV2ServerHello {
    /// `server_version` (0x0002 for SSL 2.0).
    pub version: u16,
    /// The server certificate (DER, as sent).
    pub certificate: Vec<u8>,
    /// The 3-byte cipher kinds the server supports.
    pub cipher_kinds: Vec<u32>,
    /// The connection id.
    pub connection_id: Vec<u8>,
}

/// SSL 2.0 message type SERVER-HELLO.
pub const SSLV2_SERVER_HELLO: u8 = 4;
/// SSL 2.0 message type ERROR.
pub const SSLV2_ERROR: u8 = 0;

impl SslV2ServerHello {
    /// Parses an SSL 2.0 SERVER-HELLO message (starting with the message type 4; the 2-byte
    /// record header already removed).
    pub fn parse(msg: &[u8]) -> Result<Self, DecodeError> {
        Self::parse_at(msg, 0)
    }

    /// As [`Self::parse`], with offsets in errors counted from `base`.
    pub(crate) fn parse_at(msg: &[u8], base: usize) -> Result<Self, DecodeError> {
        let mut r = Reader::with_base(msg, base);
        let offset = r.offset();
        if r.u8("msg_type")? != SSLV2_SERVER_HELLO {
            return Err(DecodeError::Invalid {
                what: "msg_type",
                offset,
                reason: "not an SSL 2.0 SERVER-HELLO",
            });
        }
        let _session_id_hit = r.u8("session_id_hit")?;
        let _certificate_type = r.u8("certificate_type")?;
        let version = r.u16("server_version")?;
        let cert_len = r.u16("certificate_length")?;
        let specs_offset = r.offset();
        let specs_len = r.u16("cipher_specs_length")?;
        let conn_len = r.u16("connection_id_length")?;
        if specs_len % 3 != 0 {
            return Err(DecodeError::Invalid {
                what: "cipher_specs_length",
                offset: specs_offset,
                reason: "not a multiple of 3",
            });
        }
        let certificate = r.take(usize::from(cert_len), "certificate")?.to_vec();
        let specs = r.take(usize::from(specs_len), "cipher_specs")?;
        let cipher_kinds = specs
            .chunks_exact(3)
            .map(|c| c.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)))
            .collect();
        let connection_id = r.take(usize::from(conn_len), "connection_id")?.to_vec();
        r.finish("SSL 2.0 SERVER-HELLO")?;
        Ok(Self {
            version,
            certificate,
            cipher_kinds,
            connection_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(random: [u8; 32], exts: &[(u16, &[u8])]) -> Vec<u8> {
        let mut b = vec![0x03, 0x03];
        b.extend_from_slice(&random);
        b.push(0);
        b.extend_from_slice(&[0x13, 0x01, 0]);
        let mut block = Vec::new();
        for (t, d) in exts {
            block.extend_from_slice(&t.to_be_bytes());
            block.extend_from_slice(&(d.len() as u16).to_be_bytes());
            block.extend_from_slice(d);
        }
        b.extend_from_slice(&(block.len() as u16).to_be_bytes());
        b.extend_from_slice(&block);
        b
    }

    #[test]
    fn tls13_server_hello_fields() {
        let mut share = vec![0, 29, 0, 32];
        share.extend_from_slice(&[5; 32]);
        let b = body(
            [1; 32],
            &[(43, &[3, 4]), (51, &share), (16, &[0, 3, 2, b'h', b'2'])],
        );
        let h = ServerHello::parse(&b).unwrap();
        assert_eq!(h.version(), 0x0304);
        assert_eq!(h.legacy_version, 0x0303);
        assert_eq!(h.key_share_group, Some(29));
        assert_eq!(h.alpn.as_deref(), Some(&b"h2"[..]));
        assert!(!h.is_hello_retry_request);
        assert_eq!(h.extension(43), Some(&[3u8, 4][..]));
        assert_eq!(h.downgrade_sentinel(), None);
    }

    #[test]
    fn hello_retry_request_key_share_is_a_bare_group() {
        let b = body(HELLO_RETRY_REQUEST_RANDOM, &[(43, &[3, 4]), (51, &[0, 24])]);
        let h = ServerHello::parse(&b).unwrap();
        assert!(h.is_hello_retry_request);
        assert_eq!(h.key_share_group, Some(24));
        // The same bare group in a normal ServerHello is truncated.
        let b = body([0; 32], &[(51, &[0, 24])]);
        assert!(matches!(
            ServerHello::parse(&b),
            Err(DecodeError::Truncated {
                what: "key_exchange",
                ..
            })
        ));
    }

    #[test]
    fn no_extensions_block_and_flags() {
        let mut b = body([0; 32], &[]);
        b.truncate(b.len() - 2);
        let h = ServerHello::parse(&b).unwrap();
        assert!(h.extensions.is_empty());
        assert_eq!(h.version(), 0x0303);

        let b = body([0; 32], &[(0xFF01, &[0]), (23, &[]), (22, &[])]);
        let h = ServerHello::parse(&b).unwrap();
        assert!(h.renegotiation_info && h.extended_master_secret && h.encrypt_then_mac);
    }

    #[test]
    fn downgrade_sentinels() {
        let mut random = [0; 32];
        random[24..].copy_from_slice(b"DOWNGRD\x01");
        let h = ServerHello::parse(&body(random, &[])).unwrap();
        assert_eq!(h.downgrade_sentinel(), Some(0x0303));
        random[31] = 0;
        let h = ServerHello::parse(&body(random, &[])).unwrap();
        assert_eq!(h.downgrade_sentinel(), Some(0x0302));
    }

    #[test]
    fn malformed_server_hellos() {
        assert!(matches!(
            ServerHello::parse(&body([0; 32], &[(43, &[3, 4]), (43, &[3, 4])])),
            Err(DecodeError::Invalid {
                reason: "duplicate extension",
                ..
            })
        ));
        assert!(matches!(
            ServerHello::parse(&body([0; 32], &[(43, &[3, 4, 0])])),
            Err(DecodeError::Trailing {
                what: "supported_versions",
                ..
            })
        ));
        let mut b = body([0; 32], &[]);
        b.push(0);
        assert!(ServerHello::parse(&b).is_err());
        let mut b = body([0; 32], &[]);
        b[34] = 33; // session id length
        assert!(matches!(
            ServerHello::parse(&b),
            Err(DecodeError::TooLong {
                what: "session_id",
                ..
            }) | Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn sslv2_server_hello() {
        let mut m = vec![4, 0, 1, 0, 2, 0, 3, 0, 6, 0, 16];
        m.extend_from_slice(b"DER");
        m.extend_from_slice(&[1, 0, 0x80, 7, 0, 0xC0]);
        m.extend_from_slice(&[0xAA; 16]);
        let h = SslV2ServerHello::parse(&m).unwrap();
        assert_eq!(h.version, 2);
        assert_eq!(h.certificate, b"DER");
        assert_eq!(h.cipher_kinds, [0x010080, 0x0700C0]);
        assert_eq!(h.connection_id, [0xAA; 16]);
        for cut in 0..m.len() {
            assert!(SslV2ServerHello::parse(&m[..cut]).is_err());
        }
        m[8] = 5;
        assert!(SslV2ServerHello::parse(&m).is_err());
    }
}
