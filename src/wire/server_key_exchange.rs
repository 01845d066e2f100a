//! The TLS ≤ 1.2 ServerKeyExchange message, reduced to what a probe reports: the ECDHE group or
//! the size of the DHE prime.
//!
//! The signature that follows the parameters is not parsed or checked, and the public values are
//! not validated; the message layout depends on the negotiated key exchange, which the caller
//! passes in (it knows the chosen cipher suite).

use super::codec::{DecodeError, Reader};

/// Which key exchange the chosen cipher suite uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyExchangeKind {
    /// ECDHE_*: `ServerECDHParams`.
    Ecdhe,
    /// DHE_*: `ServerDHParams`.
    Dhe,
}

/// What the server's key exchange parameters say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKeyExchange {
    /// Named-curve ECDHE.
    Ecdhe {
        /// The group code point (e.g. 23 = secp256r1, 29 = x25519).
        named_group: u16,
        /// Length of the server's public point.
        public_len: usize,
    },
    /// Finite-field DHE.
    Dhe {
        /// Bit length of `dh_p`, leading zero bits not counted.
        prime_bits: u16,
        /// Length in bytes of `dh_g`.
        generator_len: usize,
        /// Length in bytes of `dh_Ys`.
        public_len: usize,
    },
}

/// `ECCurveType.named_curve`.
const NAMED_CURVE: u8 = 3;

/// Bit length of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> usize {
    match bytes.iter().position(|&b| b != 0) {
        Some(i) => {
            (bytes.len() - i - 1) * 8 + (8 - bytes.get(i).map_or(0, |b| b.leading_zeros()) as usize)
        }
        None => 0,
    }
}

/// Parses a ServerKeyExchange body (after the handshake header) for the given key exchange.
///
/// Bytes after the parameters (the signature) are accepted unread.
pub fn parse_server_key_exchange(
    body: &[u8],
    kind: KeyExchangeKind,
) -> Result<ServerKeyExchange, DecodeError> {
    let mut r = Reader::new(body);
    match kind {
        KeyExchangeKind::Ecdhe => {
            let offset = r.offset();
            let curve_type = r.u8("curve_type")?;
            if curve_type != NAMED_CURVE {
                return Err(DecodeError::Invalid {
                    what: "curve_type",
                    offset,
                    reason: "only named curves are supported",
                });
            }
            let named_group = r.u16("named_group")?;
            let offset = r.offset();
            let public = r.sub_u8("ECDH public")?;
            if public.is_empty() {
                return Err(DecodeError::Invalid {
                    what: "ECDH public",
                    offset,
                    reason: "empty public value",
                });
            }
            Ok(ServerKeyExchange::Ecdhe {
                named_group,
                public_len: public.left(),
            })
        }
        KeyExchangeKind::Dhe => {
            let offset = r.offset();
            let p = r.sub_u16("dh_p")?.rest();
            let bits = bit_length(p);
            if bits == 0 {
                return Err(DecodeError::Invalid {
                    what: "dh_p",
                    offset,
                    reason: "zero prime",
                });
            }
            let prime_bits = u16::try_from(bits).map_err(|_| DecodeError::TooLong {
                what: "dh_p bits",
                offset,
                len: bits,
                max: usize::from(u16::MAX),
            })?;
            let offset = r.offset();
            let g = r.sub_u16("dh_g")?;
            if g.is_empty() {
                return Err(DecodeError::Invalid {
                    what: "dh_g",
                    offset,
                    reason: "empty generator",
                });
            }
            let offset = r.offset();
            let ys = r.sub_u16("dh_Ys")?;
            if ys.is_empty() {
                return Err(DecodeError::Invalid {
                    what: "dh_Ys",
                    offset,
                    reason: "empty public value",
                });
            }
            Ok(ServerKeyExchange::Dhe {
                prime_bits,
                generator_len: g.left(),
                public_len: ys.left(),
            })
        }
    }
}

/// The TLS 1.2 `SignatureAndHashAlgorithm` that follows the parameters of a ServerKeyExchange
/// body: the signature scheme the server signed them with. TLS 1.0/1.1 bodies carry none (their
/// signature has no algorithm field), so call this only for TLS 1.2 answers.
pub fn ske_signature_scheme(body: &[u8], kind: KeyExchangeKind) -> Result<u16, DecodeError> {
    parse_server_key_exchange(body, kind)?;
    let mut r = Reader::new(body);
    match kind {
        KeyExchangeKind::Ecdhe => {
            r.take(3, "curve_type and named_group")?;
            r.sub_u8("ECDH public")?;
        }
        KeyExchangeKind::Dhe => {
            r.sub_u16("dh_p")?;
            r.sub_u16("dh_g")?;
            r.sub_u16("dh_Ys")?;
        }
    }
    let scheme = r.u16("signature algorithm")?;
    r.sub_u16("signature")?;
    r.finish("ServerKeyExchange")?;
    Ok(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_scheme_after_the_parameters() {
        let mut body = vec![3, 0, 29, 32];
        body.extend_from_slice(&[9; 32]);
        body.extend_from_slice(&[8, 4, 0, 2, 0xAB, 0xCD]);
        assert_eq!(
            ske_signature_scheme(&body, KeyExchangeKind::Ecdhe).ok(),
            Some(0x0804)
        );
        for cut in 0..body.len() {
            assert!(ske_signature_scheme(&body[..cut], KeyExchangeKind::Ecdhe).is_err());
        }
        let mut dhe = vec![0, 2, 0xFF, 0xFB, 0, 1, 2, 0, 1, 5];
        dhe.extend_from_slice(&[4, 1, 0, 1, 0]);
        assert_eq!(
            ske_signature_scheme(&dhe, KeyExchangeKind::Dhe).ok(),
            Some(0x0401)
        );
    }

    #[test]
    fn ecdhe_named_curve() {
        let mut body = vec![3, 0, 29, 32];
        body.extend_from_slice(&[9; 32]);
        body.extend_from_slice(&[8, 4, 0, 2, 0xAB, 0xCD]); // signature, not read
        assert_eq!(
            parse_server_key_exchange(&body, KeyExchangeKind::Ecdhe),
            Ok(ServerKeyExchange::Ecdhe {
                named_group: 29,
                public_len: 32
            })
        );
        assert!(matches!(
            parse_server_key_exchange(&[1, 0, 0], KeyExchangeKind::Ecdhe),
            Err(DecodeError::Invalid {
                what: "curve_type",
                ..
            })
        ));
        assert!(matches!(
            parse_server_key_exchange(&[3, 0, 23, 65, 4], KeyExchangeKind::Ecdhe),
            Err(DecodeError::Truncated {
                what: "ECDH public",
                offset: 4,
                needed: 65,
                left: 1
            })
        ));
    }

    #[test]
    fn dhe_prime_bits_ignore_leading_zeros() {
        let mut body = vec![0, 129, 0];
        body.extend_from_slice(&[0xFF; 128]);
        body.extend_from_slice(&[0, 1, 2, 0, 2, 1, 2]);
        assert_eq!(
            parse_server_key_exchange(&body, KeyExchangeKind::Dhe),
            Ok(ServerKeyExchange::Dhe {
                prime_bits: 1024,
                generator_len: 1,
                public_len: 2
            })
        );
        assert_eq!(bit_length(&[0, 0x01]), 1);
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert!(matches!(
            parse_server_key_exchange(&[0, 1, 0, 0, 1, 2, 0, 1, 5], KeyExchangeKind::Dhe),
            Err(DecodeError::Invalid { what: "dh_p", .. })
        ));
        assert!(matches!(
            parse_server_key_exchange(&[0, 1, 7, 0, 0, 0, 1, 5], KeyExchangeKind::Dhe),
            Err(DecodeError::Invalid { what: "dh_g", .. })
        ));
    }

    #[test]
    fn dhe_prime_longer_than_u16_bits() {
        let mut body = vec![0x20, 0x01, 0x01];
        body.extend_from_slice(&[0; 0x2000]);
        body.extend_from_slice(&[0, 1, 2, 0, 1, 2]);
        assert!(matches!(
            parse_server_key_exchange(&body, KeyExchangeKind::Dhe),
            Err(DecodeError::TooLong {
                what: "dh_p bits",
                len: 65537,
                ..
            })
        ));
    }
}
