//! Tests over real server answers captured by `scripts/capture-fixtures.sh` into `fixtures/`.
//!
//! Each fixture is the raw byte stream one server sent back to one of the ClientHellos in
//! `capture.rs`; the tests assert the exact fields a probe reports, and that every prefix of every
//! fixture either parses to a prefix of the same messages or asks for more bytes, never panicking.

use super::alert::Alert;
use super::certificate::parse_certificate;
use super::handshake_type as hs;
use super::record::{Message, MessageReader, Sniffed, sniff};
use super::server_hello::ServerHello;
use super::server_key_exchange::{KeyExchangeKind, ServerKeyExchange, parse_server_key_exchange};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../fixtures/", $name, ".bin")).as_slice(),
        )
    };
}

const ALL: &[(&str, &[u8])] = &[
    fixture!("openssl_tls10_ecdhe_rsa"),
    fixture!("openssl_tls11_ecdhe_rsa"),
    fixture!("openssl_tls12_ecdhe_rsa"),
    fixture!("openssl_tls12_dhe_rsa_1024"),
    fixture!("openssl_tls13_x25519"),
    fixture!("openssl_tls13_p256"),
    fixture!("openssl_tls13_hrr_p384"),
    fixture!("openssl_alert_protocol_version"),
    fixture!("openssl_tls13_hello_to_tls12_only"),
    fixture!("openssl_ssl3_hello_to_modern"),
    fixture!("openssl_alert_handshake_failure"),
    fixture!("gnutls_tls12_ecdhe_rsa"),
];

fn bytes(name: &str) -> &'static [u8] {
    ALL.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// Every message in `data`, and the reader (for its record version).
fn messages(data: &[u8]) -> (Vec<Message>, MessageReader) {
    let mut r = MessageReader::new();
    r.feed(data);
    let mut out = Vec::new();
    for _ in 0..1000 {
        match r.next_message() {
            Ok(Some(m)) => out.push(m),
            Ok(None) => return (out, r),
            Err(e) => panic!("fixture does not parse: {e}"),
        }
    }
    panic!("too many messages");
}

fn handshake(msgs: &[Message], typ: u8) -> &[u8] {
    msgs.iter()
        .find_map(|m| match m {
            Message::Handshake { typ: t, body } if *t == typ => Some(body.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no handshake message {typ}"))
}

fn handshake_types(msgs: &[Message]) -> Vec<u8> {
    msgs.iter()
        .filter_map(|m| match m {
            Message::Handshake { typ, .. } => Some(*typ),
            _ => None,
        })
        .collect()
}

/// The messages of a TLS ≤ 1.2 full flight without client authentication.
const FLIGHT: &[u8] = &[
    hs::SERVER_HELLO,
    hs::CERTIFICATE,
    hs::SERVER_KEY_EXCHANGE,
    hs::SERVER_HELLO_DONE,
];

/// A TLS ≤ 1.2 full flight with exactly the handshake messages `types`.
type Flight = (ServerHello, Vec<Vec<u8>>, ServerKeyExchange, u16);
fn tls12_flight(name: &str, kind: KeyExchangeKind, types: &[u8]) -> Flight {
    let (msgs, reader) = messages(bytes(name));
    assert_eq!(handshake_types(&msgs), types, "{name}");
    assert_eq!(
        msgs.len(),
        types.len(),
        "{name}: nothing but handshake messages"
    );
    let sh = ServerHello::parse(handshake(&msgs, hs::SERVER_HELLO)).unwrap();
    let certs = parse_certificate(handshake(&msgs, hs::CERTIFICATE)).unwrap();
    let ske = parse_server_key_exchange(handshake(&msgs, hs::SERVER_KEY_EXCHANGE), kind).unwrap();
    assert!(handshake(&msgs, hs::SERVER_HELLO_DONE).is_empty());
    (sh, certs, ske, reader.record_version().unwrap())
}

fn assert_der_chain(certs: &[Vec<u8>]) {
    assert_eq!(certs.len(), 2, "leaf and CA");
    for c in certs {
        // DER SEQUENCE with a two-byte long-form length covering the rest.
        assert_eq!(&c[..2], &[0x30, 0x82]);
        assert_eq!(usize::from(u16::from_be_bytes([c[2], c[3]])), c.len() - 4);
    }
}

#[test]
fn openssl_tls10_and_tls11_ecdhe_rsa() {
    for (name, version) in [
        ("openssl_tls10_ecdhe_rsa", 0x0301),
        ("openssl_tls11_ecdhe_rsa", 0x0302),
    ] {
        let (sh, certs, ske, record_version) = tls12_flight(name, KeyExchangeKind::Ecdhe, FLIGHT);
        assert_eq!(record_version, version, "{name}");
        assert_eq!(sh.version(), version);
        assert_eq!(sh.selected_version, None);
        assert_eq!(sh.cipher_suite, 0xC013, "ECDHE-RSA-AES128-SHA");
        assert_eq!(sh.compression_method, 0);
        assert!(sh.renegotiation_info);
        assert!(
            !sh.extended_master_secret,
            "not offered in the TLS 1.0/1.1 hello"
        );
        assert!(!sh.is_hello_retry_request);
        assert_der_chain(&certs);
        assert_eq!(
            ske,
            ServerKeyExchange::Ecdhe {
                named_group: 29,
                public_len: 32
            }
        );
    }
}

#[test]
fn openssl_tls12_ecdhe_rsa() {
    let (sh, certs, ske, record_version) =
        tls12_flight("openssl_tls12_ecdhe_rsa", KeyExchangeKind::Ecdhe, FLIGHT);
    assert_eq!(record_version, 0x0303);
    assert_eq!(sh.version(), 0x0303);
    assert_eq!(sh.cipher_suite, 0xC02F, "ECDHE-RSA-AES128-GCM-SHA256");
    assert!(sh.renegotiation_info && sh.extended_master_secret);
    assert_eq!(sh.key_share_group, None);
    assert_der_chain(&certs);
    assert_eq!(
        ske,
        ServerKeyExchange::Ecdhe {
            named_group: 29,
            public_len: 32
        }
    );
}

#[test]
fn openssl_tls12_dhe_rsa_1024() {
    let (sh, certs, ske, _) =
        tls12_flight("openssl_tls12_dhe_rsa_1024", KeyExchangeKind::Dhe, FLIGHT);
    assert_eq!(sh.version(), 0x0303);
    assert_eq!(sh.cipher_suite, 0x009E, "DHE-RSA-AES128-GCM-SHA256");
    assert_der_chain(&certs);
    match ske {
        ServerKeyExchange::Dhe {
            prime_bits,
            generator_len,
            public_len,
        } => {
            assert_eq!(prime_bits, 1024);
            assert_eq!(generator_len, 1);
            assert!((120..=128).contains(&public_len), "{public_len}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn gnutls_tls12_ecdhe_rsa() {
    // gnutls-serv asks for an (optional) client certificate by default.
    let types = [
        hs::SERVER_HELLO,
        hs::CERTIFICATE,
        hs::SERVER_KEY_EXCHANGE,
        hs::CERTIFICATE_REQUEST,
        hs::SERVER_HELLO_DONE,
    ];
    let (sh, certs, ske, record_version) =
        tls12_flight("gnutls_tls12_ecdhe_rsa", KeyExchangeKind::Ecdhe, &types);
    assert_eq!(record_version, 0x0303);
    assert_eq!(sh.version(), 0x0303);
    assert_eq!(sh.cipher_suite, 0xC02F);
    assert!(sh.renegotiation_info && sh.extended_master_secret);
    assert_der_chain(&certs);
    assert_eq!(
        ske,
        ServerKeyExchange::Ecdhe {
            named_group: 29,
            public_len: 32
        }
    );
}

#[test]
fn openssl_tls13_server_hello_then_encrypted_records() {
    for (name, group) in [("openssl_tls13_x25519", 29), ("openssl_tls13_p256", 23)] {
        let (msgs, reader) = messages(bytes(name));
        assert_eq!(reader.record_version(), Some(0x0303));
        assert_eq!(handshake_types(&msgs), [hs::SERVER_HELLO], "{name}");
        let sh = ServerHello::parse(handshake(&msgs, hs::SERVER_HELLO)).unwrap();
        assert_eq!(sh.legacy_version, 0x0303);
        assert_eq!(sh.selected_version, Some(0x0304));
        assert_eq!(sh.version(), 0x0304);
        assert_eq!(sh.cipher_suite, 0x1301, "TLS_AES_128_GCM_SHA256");
        assert_eq!(sh.key_share_group, Some(group), "{name}");
        assert_eq!(
            sh.session_id.len(),
            32,
            "echo of the middlebox-compat session id"
        );
        assert!(!sh.is_hello_retry_request);
        assert_eq!(sh.downgrade_sentinel(), None);
        assert_eq!(msgs[1], Message::ChangeCipherSpec);
        // EncryptedExtensions, Certificate, CertificateVerify, Finished: encrypted, unparsed.
        assert!(msgs.len() >= 3);
        for m in &msgs[2..] {
            assert!(
                matches!(m, Message::ApplicationData { len } if *len > 16),
                "{m:?}"
            );
        }
        assert!(!reader.is_encrypted(), "TLS 1.3: the CCS is a no-op");
    }
}

#[test]
fn openssl_hello_retry_request() {
    let (msgs, _) = messages(bytes("openssl_tls13_hrr_p384"));
    let sh = ServerHello::parse(handshake(&msgs, hs::SERVER_HELLO)).unwrap();
    assert!(sh.is_hello_retry_request);
    assert_eq!(sh.key_share_group, Some(24), "secp384r1 requested");
    assert_eq!(sh.version(), 0x0304);
    assert_eq!(sh.cipher_suite, 0x1301);
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[1], Message::ChangeCipherSpec);
}

#[test]
fn alerts() {
    let cases = [
        ("openssl_alert_protocol_version", 0x0301, 70),
        ("openssl_tls13_hello_to_tls12_only", 0x0303, 70),
        ("openssl_ssl3_hello_to_modern", 0x0300, 40),
        ("openssl_alert_handshake_failure", 0x0303, 40),
    ];
    for (name, record_version, description) in cases {
        let data = bytes(name);
        let (msgs, reader) = messages(data);
        assert_eq!(
            msgs,
            [Message::Alert {
                level: 2,
                description
            }],
            "{name}"
        );
        assert_eq!(reader.record_version(), Some(record_version), "{name}");
        assert_eq!(
            Alert::parse(&data[5..]),
            Ok(Alert {
                level: 2,
                description
            })
        );
    }
}

#[test]
fn every_fixture_sniffs_as_tls() {
    for (name, data) in ALL {
        assert_eq!(sniff(data), Sniffed::Tls, "{name}");
        assert_eq!(sniff(&data[..2]), Sniffed::NeedMore, "{name}");
    }
}

/// Every prefix of every fixture yields a prefix of the full message list and then asks for
/// more; no error, no panic, no invented message.
#[test]
fn every_cut_of_every_fixture_needs_more() {
    for (name, data) in ALL {
        let (full, _) = messages(data);
        for cut in 0..data.len() {
            let mut r = MessageReader::new();
            r.feed(&data[..cut]);
            let mut got = Vec::new();
            loop {
                match r.next_message() {
                    Ok(Some(m)) => got.push(m),
                    Ok(None) => break,
                    Err(e) => panic!("{name} cut at {cut}: {e}"),
                }
                assert!(got.len() <= full.len());
            }
            assert!(
                got.len() < full.len() || cut == data.len(),
                "{name} cut {cut}"
            );
            assert_eq!(got[..], full[..got.len()], "{name} cut {cut}");
        }
    }
}

/// Feeding in small pieces of every size gives the same messages as feeding at once.
#[test]
fn chunked_feeding_matches() {
    for (name, data) in ALL {
        let (full, _) = messages(data);
        for size in 1..=9 {
            let mut r = MessageReader::new();
            let mut got = Vec::new();
            for chunk in data.chunks(size) {
                r.feed(chunk);
                while let Some(m) = r.next_message().unwrap() {
                    got.push(m);
                }
            }
            assert_eq!(got, full, "{name} chunk {size}");
        }
    }
}

/// Truncated message bodies are errors for every parser (except where a prefix is itself a valid
/// message, noted below), and never panic.
#[test]
fn every_cut_of_every_body_is_an_error() {
    for (name, data) in ALL {
        let (msgs, _) = messages(data);
        for m in &msgs {
            let Message::Handshake { typ, body } = m else {
                continue;
            };
            for cut in 0..body.len() {
                let part = &body[..cut];
                match *typ {
                    hs::SERVER_HELLO => {
                        // A ServerHello cut right before its extensions block is a valid
                        // extension-less ServerHello.
                        let no_ext_len = 2 + 32 + 1 + usize::from(body[34]) + 3;
                        assert_eq!(
                            ServerHello::parse(part).is_ok(),
                            cut == no_ext_len,
                            "{name} cut {cut}"
                        );
                    }
                    hs::CERTIFICATE => {
                        assert!(parse_certificate(part).is_err(), "{name} cut {cut}");
                    }
                    hs::SERVER_KEY_EXCHANGE => {
                        // Parameters are parsed, the signature after them is not.
                        let kind = if name.contains("dhe_rsa_1024") {
                            KeyExchangeKind::Dhe
                        } else {
                            KeyExchangeKind::Ecdhe
                        };
                        let full = parse_server_key_exchange(body, kind).unwrap();
                        let params_len = match full {
                            ServerKeyExchange::Ecdhe { public_len, .. } => 4 + public_len,
                            ServerKeyExchange::Dhe {
                                prime_bits,
                                generator_len,
                                public_len,
                            } => {
                                6 + usize::from(prime_bits).div_ceil(8) + generator_len + public_len
                            }
                        };
                        assert_eq!(
                            parse_server_key_exchange(part, kind).is_ok(),
                            cut >= params_len,
                            "{name} cut {cut}"
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A corrupted byte anywhere in a fixture gives messages or a typed error, never a panic.
#[test]
fn every_single_byte_corruption_is_handled() {
    for (name, data) in ALL {
        for i in 0..data.len().min(600) {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bad = data.to_vec();
                bad[i] ^= flip;
                let mut r = MessageReader::new();
                r.feed(&bad);
                for _ in 0..100 {
                    match r.next_message() {
                        Ok(Some(Message::Handshake { typ, body })) => {
                            let _ = match typ {
                                hs::SERVER_HELLO => ServerHello::parse(&body).map(|_| ()),
                                hs::CERTIFICATE => parse_certificate(&body).map(|_| ()),
                                hs::SERVER_KEY_EXCHANGE => {
                                    parse_server_key_exchange(&body, KeyExchangeKind::Ecdhe)
                                        .map(|_| ())
                                }
                                _ => Ok(()),
                            };
                        }
                        Ok(Some(_)) => {}
                        Ok(None) | Err(_) => break,
                    }
                }
                let _ = (name, i);
            }
        }
    }
}

/// The hellos the capture sent (also the client_hello fuzz seeds) parse back to their offers.
#[test]
fn captured_client_hellos_parse() {
    use super::client_hello::{ClientHello, Extension};
    let tls13 =
        ClientHello::parse(include_bytes!("../../fixtures/client_hello_tls13.bin")).unwrap();
    assert_eq!(tls13.record_version, 0x0301);
    assert_eq!(tls13.legacy_version, 0x0303);
    assert_eq!(tls13.cipher_suites, [0x1301, 0x1302, 0x1303]);
    assert!(
        tls13
            .extensions
            .contains(&Extension::KeyShare(vec![29, 23]))
    );
    assert!(
        tls13
            .extensions
            .contains(&Extension::ServerName("localhost".into()))
    );

    let ssl3 = ClientHello::parse(include_bytes!("../../fixtures/client_hello_ssl3.bin")).unwrap();
    assert_eq!((ssl3.record_version, ssl3.legacy_version), (0x0300, 0x0300));
    assert!(ssl3.extensions.is_empty());

    let tls10 =
        ClientHello::parse(include_bytes!("../../fixtures/client_hello_tls10.bin")).unwrap();
    assert_eq!(tls10.legacy_version, 0x0301);
    assert_eq!(tls10.offered_versions(), [0x0301]);
}
