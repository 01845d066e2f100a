//! Unit tests of the sans-I/O [`FlightReader`], fed the server answers captured in `fixtures/`
//! (see `fixtures/README.md`) the way the wire parsers are tested: whole, byte by byte, and cut
//! at every length.

use super::*;
use crate::probe::versions::kx_of;

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../fixtures/", $name, ".bin")).as_slice(),
        )
    };
}

/// Every captured server answer.
const ANSWERS: &[(&str, &[u8])] = &[
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

/// The captured ClientHellos: TLS, but not an answer a server gives.
const CLIENT_HELLOS: &[(&str, &[u8])] = &[
    fixture!("client_hello_ssl3"),
    fixture!("client_hello_tls10"),
    fixture!("client_hello_tls11"),
    fixture!("client_hello_tls12_dhe"),
    fixture!("client_hello_tls12_ecdhe"),
    fixture!("client_hello_tls12_rc4"),
    fixture!("client_hello_tls13"),
];

fn answer(name: &str) -> &'static [u8] {
    ANSWERS
        .iter()
        .chain(CLIENT_HELLOS)
        .find(|(n, _)| *n == name)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// Feeds `bytes` in chunks of `chunk` until the reader is done, then ends it as a peer closing
/// the connection would.
fn read(bytes: &[u8], chunk: usize) -> (ServerFlight, bool) {
    let mut r = FlightReader::new(kx_of);
    let mut done = false;
    for c in bytes.chunks(chunk.max(1)) {
        if r.on_bytes(c) == Step::Done {
            done = true;
            break;
        }
    }
    let flight = if r.decided() {
        r.into_flight()
    } else {
        r.on_eof()
    };
    (flight, done)
}

fn whole(name: &str) -> ServerFlight {
    read(answer(name), usize::MAX).0
}

fn hello(f: &ServerFlight) -> &wire::ServerHello {
    f.server_hello.as_ref().expect("a ServerHello")
}

#[test]
fn tls12_flights_are_read_to_server_hello_done() {
    for (name, version, suite) in [
        ("openssl_tls10_ecdhe_rsa", 0x0301, 0xC013),
        ("openssl_tls11_ecdhe_rsa", 0x0302, 0xC013),
        ("openssl_tls12_ecdhe_rsa", 0x0303, 0xC02F),
        ("gnutls_tls12_ecdhe_rsa", 0x0303, 0xC02F),
    ] {
        let f = whole(name);
        assert_eq!(f.kind, AnswerKind::ServerHello, "{name}");
        let sh = hello(&f);
        assert_eq!((sh.version(), sh.cipher_suite), (version, suite), "{name}");
        assert!(f.flight_complete, "{name}");
        assert!(!f.certificates.is_empty(), "{name}");
        assert!(
            matches!(
                f.server_key_exchange,
                Some(wire::ServerKeyExchange::Ecdhe { .. })
            ),
            "{name}: {:?}",
            f.server_key_exchange
        );
        assert_eq!(f.bytes, answer(name).len(), "{name}");
        assert_eq!(f.greeting, None);
    }
    assert!(whole("gnutls_tls12_ecdhe_rsa").certificate_request);
    assert!(!whole("openssl_tls12_ecdhe_rsa").certificate_request);
}

#[test]
fn dhe_parameters_are_read() {
    let f = whole("openssl_tls12_dhe_rsa_1024");
    assert_eq!(hello(&f).cipher_suite, 0x009E);
    match f.server_key_exchange {
        Some(wire::ServerKeyExchange::Dhe { prime_bits, .. }) => assert_eq!(prime_bits, 1024),
        other => panic!("expected DHE parameters, got {other:?}"),
    }
}

#[test]
fn tls13_stops_at_the_server_hello() {
    for (name, group) in [
        ("openssl_tls13_x25519", 0x001D),
        ("openssl_tls13_p256", 0x0017),
    ] {
        let f = whole(name);
        assert_eq!(f.kind, AnswerKind::ServerHello, "{name}");
        let sh = hello(&f);
        assert_eq!(sh.version(), 0x0304, "{name}");
        assert!(!sh.is_hello_retry_request, "{name}");
        assert_eq!(sh.key_share_group, Some(group), "{name}");
        // The rest of the flight is encrypted: no certificate can be read.
        assert!(f.certificates.is_empty(), "{name}");
    }
    let hrr = whole("openssl_tls13_hrr_p384");
    assert_eq!(hrr.kind, AnswerKind::ServerHello);
    assert!(hello(&hrr).is_hello_retry_request);
    assert_eq!(hello(&hrr).key_share_group, Some(0x0018));
}

#[test]
fn alerts_are_decided_answers() {
    for (name, description) in [
        ("openssl_alert_protocol_version", 70),
        ("openssl_tls13_hello_to_tls12_only", 70),
        ("openssl_ssl3_hello_to_modern", 40),
        ("openssl_alert_handshake_failure", 40),
    ] {
        let (f, done) = read(answer(name), usize::MAX);
        assert!(done, "{name}: an alert decides");
        assert_eq!(
            f.kind,
            AnswerKind::Alert {
                level: 2,
                description
            },
            "{name}"
        );
        assert!(f.server_hello.is_none(), "{name}");
    }
}

#[test]
fn byte_by_byte_reads_the_same_flight() {
    for (name, bytes) in ANSWERS {
        let a = read(bytes, usize::MAX).0;
        let b = read(bytes, 1).0;
        assert_eq!(a.kind, b.kind, "{name}");
        assert_eq!(
            a.server_hello
                .as_ref()
                .map(|s| (s.version(), s.cipher_suite)),
            b.server_hello
                .as_ref()
                .map(|s| (s.version(), s.cipher_suite)),
            "{name}"
        );
        assert_eq!(a.certificates, b.certificates, "{name}");
        assert_eq!(a.server_key_exchange, b.server_key_exchange, "{name}");
        assert_eq!(a.flight_complete, b.flight_complete, "{name}");
        assert_eq!(a.certificate_request, b.certificate_request, "{name}");
    }
}

#[test]
fn every_cut_ends_without_panic_and_never_invents_an_answer() {
    for (name, bytes) in ANSWERS.iter().chain(CLIENT_HELLOS) {
        let full = read(bytes, usize::MAX).0;
        for n in 0..bytes.len() {
            let (f, _) = read(&bytes[..n], usize::MAX);
            match &f.kind {
                AnswerKind::Closed => assert_eq!(n, 0, "{name} cut at {n}"),
                // A cut flight is truncated, or already decided the way the whole one is.
                AnswerKind::Truncated { bytes } => assert_eq!(*bytes, n, "{name} cut at {n}"),
                AnswerKind::NotTls(_) => assert!(n < 5, "{name} cut at {n}: {:?}", f.kind),
                kind => assert_eq!(*kind, full.kind, "{name} cut at {n}"),
            }
            assert!(
                f.certificates.len() <= full.certificates.len(),
                "{name} cut at {n}"
            );
            if f.flight_complete {
                assert!(full.flight_complete, "{name} cut at {n}");
            }
        }
    }
}

#[test]
fn a_client_hello_is_not_a_server_answer() {
    for (name, bytes) in CLIENT_HELLOS {
        let f = read(bytes, usize::MAX).0;
        assert!(f.server_hello.is_none(), "{name}: {:?}", f.kind);
        assert!(
            matches!(f.kind, AnswerKind::Malformed(_)),
            "{name}: {:?}",
            f.kind
        );
    }
}

#[test]
fn non_tls_answers_are_named() {
    let (f, done) = read(b"HTTP/1.1 400 Bad Request\r\n\r\n", usize::MAX);
    assert!(done);
    assert_eq!(f.kind, AnswerKind::NotTls("an HTTP response"));
    let (f, _) = read(b"220 mail.example ESMTP ready\r\n", usize::MAX);
    assert_eq!(f.kind, AnswerKind::NotTls("an SMTP greeting"));
    assert_eq!(f.greeting.as_ref().map(|g| g.0), Some("SMTP"));
    assert_eq!(read(b"", usize::MAX).0.kind, AnswerKind::Closed);
}

#[test]
fn garbage_after_a_decided_hello_changes_nothing() {
    let mut bytes = answer("openssl_tls13_x25519").to_vec();
    bytes.extend_from_slice(&[0xFF; 64]);
    let f = read(&bytes, 7).0;
    assert_eq!(f.kind, AnswerKind::ServerHello);
    assert_eq!(hello(&f).key_share_group, Some(0x001D));
}
