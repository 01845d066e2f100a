//! The TLS ≤ 1.2 Certificate handshake message: a list of DER certificates.
//!
//! Returns the DER bytes only; X.509 parsing and validation happen elsewhere. The TLS 1.3 form
//! (with a request context and per-certificate extensions) is always encrypted, so a probe never
//! sees it in clear and it is not parsed here.

use super::codec::{DecodeError, decode_all};

/// Most certificates accepted in one message (real chains have 1–5).
pub const MAX_CERTIFICATES: usize = 64;

/// Parses a Certificate message body (after the 4-byte handshake header) into DER certificates.
///
/// Every certificate must be non-empty and the list must fill the body exactly.
pub fn parse_certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, DecodeError> {
    decode_all(body, "Certificate", |r| {
        let mut list = r.sub_u24("certificate_list")?;
        let mut certs = Vec::new();
        while !list.is_empty() {
            let offset = list.offset();
            if certs.len() == MAX_CERTIFICATES {
                return Err(DecodeError::TooLong {
                    what: "certificate count",
                    offset,
                    len: certs.len() + 1,
                    max: MAX_CERTIFICATES,
                });
            }
            let cert = list.sub_u24("certificate")?.rest();
            if cert.is_empty() {
                return Err(DecodeError::Invalid {
                    what: "certificate",
                    offset,
                    reason: "empty certificate",
                });
            }
            certs.push(cert.to_vec());
        }
        Ok(certs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(certs: &[&[u8]]) -> Vec<u8> {
        let mut list = Vec::new();
        for c in certs {
            crate::wire::codec::put_u24(&mut list, c.len());
            list.extend_from_slice(c);
        }
        let mut out = Vec::new();
        crate::wire::codec::put_u24(&mut out, list.len());
        out.extend_from_slice(&list);
        out
    }

    #[test]
    fn parses_a_chain() {
        let body = message(&[b"\x30\x01\x00", b"\x30\x00"]);
        assert_eq!(
            parse_certificate(&body).unwrap(),
            vec![b"\x30\x01\x00".to_vec(), b"\x30\x00".to_vec()]
        );
        assert_eq!(
            parse_certificate(&[0, 0, 0]).unwrap(),
            Vec::<Vec<u8>>::new()
        );
    }

    #[test]
    fn rejects_bad_lists() {
        assert!(matches!(
            parse_certificate(&message(&[b""])),
            Err(DecodeError::Invalid { offset: 3, .. })
        ));
        let mut body = message(&[b"abc"]);
        body.push(0);
        assert!(matches!(
            parse_certificate(&body),
            Err(DecodeError::Trailing { .. })
        ));
        let too_many: Vec<&[u8]> = vec![b"x"; MAX_CERTIFICATES + 1];
        assert!(matches!(
            parse_certificate(&message(&too_many)),
            Err(DecodeError::TooLong {
                what: "certificate count",
                ..
            })
        ));
        // A certificate length beyond the list is a truncation, not an allocation.
        assert!(matches!(
            parse_certificate(&[0, 0, 4, 0xFF, 0xFF, 0xFF, 1]),
            Err(DecodeError::Truncated {
                what: "certificate",
                ..
            })
        ));
    }
}
