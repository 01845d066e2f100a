//! Self-tests of the harness: each server kind starts and a real client completes the expected
//! handshake; each hostile scenario behaves as named when a raw socket sends a ClientHello.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use rustls::ProtocolVersion;

use crate::harness::certs::{CertSpec, Pki};
use crate::harness::client::{ClientOptions, rustls_connect, s_client};
use crate::harness::gnutls::GnutlsServer;
use crate::harness::hello::{self, SSL3, TLS10, TLS11, TLS12, TLS13, client_hello};
use crate::harness::hostile::{self, HostileServer, Scenario};
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::rustls_server::{GREETING, RustlsServer};
use crate::harness::ssl3::Ssl3Server;
use crate::harness::{self, Loopback, TempDir};

// ---------------------------------------------------------------------------------------------
// raw-socket helpers

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("read timeout");
    s
}

/// How a raw read sequence ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// The peer closed (FIN).
    Eof,
    /// A read failed with this error kind (e.g. ConnectionReset).
    Error(io::ErrorKind),
    /// `want` bytes arrived before anything else happened.
    Enough,
    /// Nothing more arrived within the time limit; the connection is still open.
    Quiet,
}

/// Reads until EOF, an error, `want` bytes, or `limit` of time.
fn read_some(s: &mut TcpStream, want: usize, limit: Duration) -> (Vec<u8>, End) {
    let deadline = Instant::now() + limit;
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    while Instant::now() < deadline {
        if out.len() >= want {
            return (out, End::Enough);
        }
        match s.read(&mut buf) {
            Ok(0) => return (out, End::Eof),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return (out, End::Error(e.kind())),
        }
    }
    if out.len() >= want {
        (out, End::Enough)
    } else {
        (out, End::Quiet)
    }
}

/// Sends `hello` and reads the reply until EOF/error/`want` bytes (10 s limit).
fn exchange(addr: SocketAddr, hello: &[u8], want: usize) -> (Vec<u8>, End) {
    let mut s = connect(addr);
    s.write_all(hello).expect("send hello");
    read_some(&mut s, want, Duration::from_secs(10))
}

/// The version field of a ServerHello record at the start of `reply`.
fn server_hello_version(reply: &[u8]) -> Option<u16> {
    if reply.len() < 11 || reply[0] != 0x16 || reply[5] != 2 {
        return None;
    }
    Some(u16::from_be_bytes([reply[9], reply[10]]))
}

fn root_opts(pki: &Pki) -> ClientOptions {
    ClientOptions::new("localhost", pki.ca_der())
}

// ---------------------------------------------------------------------------------------------
// helpers

#[test]
fn free_port_is_bindable_and_wait_for_port_sees_listeners() {
    let port = harness::free_port().expect("free port");
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the free port");
    let addr = listener.local_addr().expect("addr");
    assert!(harness::wait_for_port(
        addr,
        Instant::now() + Duration::from_secs(5)
    ));
    drop(listener);
    let closed = SocketAddr::from(([127, 0, 0, 1], harness::free_port().expect("port")));
    assert!(!harness::wait_for_port(
        closed,
        Instant::now() + Duration::from_millis(300)
    ));
}

#[test]
fn temp_dir_is_removed_on_drop() {
    let dir = TempDir::new("selftest").expect("temp dir");
    let file = dir.write("x.txt", "x").expect("write");
    let path = dir.path().to_path_buf();
    assert!(file.is_file());
    drop(dir);
    assert!(!path.exists());
}

#[test]
fn run_with_timeout_captures_output_and_exit_code() {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
    let out = harness::run_with_timeout(cmd, Duration::from_secs(20)).expect("run sh");
    assert_eq!(out.code, Some(3));
    assert_eq!(out.stdout, "out\n");
    assert_eq!(out.stderr, "err\n");
    assert!(!out.timed_out);
}

#[test]
fn run_with_timeout_kills_a_hanging_process() {
    let mut cmd = Command::new("sleep");
    cmd.arg("60");
    let out = harness::run_with_timeout(cmd, Duration::from_millis(300)).expect("run sleep");
    assert!(out.timed_out);
    assert_eq!(out.code, None);
}

#[test]
fn tlsprobe_binary_is_built_and_runs_to_completion() {
    assert!(harness::tlsprobe_bin().is_file());
    let out = harness::run_tlsprobe_with(&["--help"], &[], Duration::from_secs(30))
        .expect("run tlsprobe");
    assert!(!out.timed_out, "tlsprobe --help hung");
    assert!(out.code.is_some());
}

#[test]
fn dns_test_names_resolve_when_installed() {
    let v4: IpAddr = [127, 0, 0, 1].into();
    let v6: IpAddr = std::net::Ipv6Addr::LOCALHOST.into();
    if !harness::hosts_entry_present("dual.tlsprobe.test", &[v4, v6]) {
        eprintln!("SKIP: dual.tlsprobe.test not in /etc/hosts (run scripts/install-deps.sh)");
        return;
    }
    assert!(harness::hosts_entry_present("v6only.tlsprobe.test", &[v6]));
    assert!(!harness::hosts_entry_present("v6only.tlsprobe.test", &[v4]));
}

// ---------------------------------------------------------------------------------------------
// certificates

#[test]
fn pki_writes_parseable_files_with_expected_names() {
    let pki = Pki::localhost().expect("pki");
    for p in [pki.ca_pem(), pki.leaf_pem(), pki.chain_pem(), pki.key_pem()] {
        assert!(p.is_file(), "{} missing", p.display());
    }
    let (_, leaf) = x509_parser::parse_x509_certificate(pki.leaf_der()).expect("leaf parses");
    let san = leaf
        .subject_alternative_name()
        .expect("san ok")
        .expect("san present");
    let names = format!("{:?}", san.value.general_names);
    assert!(names.contains("localhost"), "{names}");
    assert!(leaf.validity().is_valid());
    assert_eq!(pki.chain_der().len(), 1);
    let dir = pki.dir().to_path_buf();
    drop(pki);
    assert!(!dir.exists());
}

#[test]
fn pki_variants_have_the_requested_properties() {
    let expired = Pki::generate(&CertSpec::default().expired()).expect("expired");
    let (_, c) = x509_parser::parse_x509_certificate(expired.leaf_der()).expect("parse");
    assert!(c.validity().not_after.timestamp() < time::OffsetDateTime::now_utc().unix_timestamp());

    let future = Pki::generate(&CertSpec::default().not_yet_valid()).expect("future");
    let (_, c) = x509_parser::parse_x509_certificate(future.leaf_der()).expect("parse");
    assert!(c.validity().not_before.timestamp() > time::OffsetDateTime::now_utc().unix_timestamp());

    let chained = Pki::generate(&CertSpec::default().with_intermediate()).expect("chain");
    assert_eq!(chained.chain_der().len(), 2);
    assert!(chained.intermediate_pem().is_some_and(|p| p.is_file()));

    let selfsigned = Pki::generate(&CertSpec::default().self_signed()).expect("self-signed");
    let (_, c) = x509_parser::parse_x509_certificate(selfsigned.leaf_der()).expect("parse");
    assert_eq!(c.subject(), c.issuer());

    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("rsa");
    let (_, c) = x509_parser::parse_x509_certificate(rsa.leaf_der()).expect("parse");
    assert!(matches!(
        c.public_key().parsed(),
        Ok(x509_parser::public_key::PublicKey::RSA(_))
    ));
}

#[test]
fn rustls_client_sees_each_certificate_problem() {
    use rustls::{CertificateError, Error};
    type Expect = fn(&Error) -> bool;
    let cases: [(CertSpec, Expect); 4] = [
        (CertSpec::default().expired(), |e| {
            matches!(
                e,
                Error::InvalidCertificate(CertificateError::ExpiredContext { .. })
            )
        }),
        (CertSpec::default().not_yet_valid(), |e| {
            matches!(
                e,
                Error::InvalidCertificate(CertificateError::NotValidYetContext { .. })
            )
        }),
        (CertSpec::default().wrong_host(), |e| {
            matches!(
                e,
                Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. })
            )
        }),
        (CertSpec::default().self_signed(), |e| {
            matches!(
                e,
                Error::InvalidCertificate(CertificateError::UnknownIssuer)
            )
        }),
    ];
    let other_root = Pki::localhost().expect("pki");
    for (spec, expected) in cases {
        let pki = Pki::generate(&spec).expect("pki");
        let server = RustlsServer::builder()
            .pki(&pki)
            .start()
            .expect("rustls server");
        let root = if spec.self_signed {
            other_root.ca_der()
        } else {
            pki.ca_der()
        };
        let got = rustls_connect(server.addr(), &ClientOptions::new("localhost", root))
            .expect("handshake completes despite the bad certificate");
        let err = got.trust.expect_err("trust must fail");
        assert!(expected(&err), "{spec:?}: unexpected verdict {err:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// real servers

#[test]
fn openssl_default_serves_tls13() {
    let server = OpensslServer::builder().start().expect("s_server");
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1.3"), "{}", r.output);
}

#[test]
fn openssl_tls12_only_and_rustls_trusts_its_chain() {
    let pki = Pki::generate(&CertSpec::default().with_intermediate()).expect("pki");
    let server = OpensslServer::builder()
        .tls1_2()
        .pki(&pki)
        .start()
        .expect("s_server");
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1.2"), "{}", r.output);
    let n = rustls_connect(server.addr(), &root_opts(&pki)).expect("rustls handshake");
    assert_eq!(n.version, ProtocolVersion::TLSv1_2);
    assert_eq!(n.chain_len, 2);
    assert_eq!(n.trust, Ok(()));
}

#[test]
fn openssl_tls10_legacy_server() {
    let server = OpensslServer::builder()
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let r = s_client(server.addr(), &["-tls1", "-cipher", "ALL:@SECLEVEL=0"]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1"), "{}", r.output);
    // A TLS 1.2 offer is answered with a TLS 1.0 ServerHello.
    let (reply, _) = exchange(server.addr(), &client_hello(TLS12, None), 11);
    assert_eq!(server_hello_version(&reply), Some(TLS10), "{reply:02x?}");
}

#[test]
fn openssl_version_range_and_ipv6() {
    let server = OpensslServer::builder()
        .versions("TLSv1.1", "TLSv1.2")
        .cipher("ALL:@SECLEVEL=0")
        .ipv6()
        .start()
        .expect("s_server on [::1]");
    assert!(server.addr().is_ipv6());
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1.2"), "{}", r.output);
    let (reply, _) = exchange(server.addr(), &client_hello(TLS11, None), 11);
    assert_eq!(server_hello_version(&reply), Some(TLS11));
}

#[test]
fn openssl_alpn_sni_and_ocsp_staple() {
    let main = Pki::localhost().expect("pki");
    let other = Pki::generate(&CertSpec::default().sans(["other.tlsprobe.test"])).expect("pki2");
    let ocsp = main.ocsp_response().expect("ocsp response");
    let server = OpensslServer::builder()
        .pki(&main)
        .alpn("h2,http/1.1")
        .sni("other.tlsprobe.test", &other)
        .status_file(&ocsp)
        .start()
        .expect("s_server");
    let r = s_client(server.addr(), &["-alpn", "h2", "-status"]).expect("s_client");
    assert_eq!(r.alpn.as_deref(), Some("h2"), "{}", r.output);
    assert!(r.ocsp_stapled, "{}", r.output);
    assert!(
        r.subject
            .as_deref()
            .is_some_and(|s| s.contains("localhost")),
        "{}",
        r.output
    );
    let r = s_client(server.addr(), &["-servername", "other.tlsprobe.test"]).expect("s_client");
    assert!(
        r.subject
            .as_deref()
            .is_some_and(|s| s.contains("other.tlsprobe.test")),
        "{}",
        r.output
    );
}

#[test]
fn gnutls_priority_string_limits_versions() {
    let server = GnutlsServer::builder()
        .priority("NORMAL:-VERS-ALL:+VERS-TLS1.2")
        .start()
        .expect("gnutls-serv");
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(
        r.version.as_deref(),
        Some("TLSv1.2"),
        "{}\n{}",
        r.output,
        server.log()
    );
}

#[test]
fn nginx_serves_v4_and_v6() {
    let pki = Pki::localhost().expect("pki");
    let server = NginxServer::builder()
        .pki(&pki)
        .ipv6()
        .start()
        .expect("nginx");
    let n = rustls_connect(server.addr(), &root_opts(&pki)).expect("rustls to nginx");
    assert_eq!(n.version, ProtocolVersion::TLSv1_3);
    assert_eq!(n.trust, Ok(()));
    let v6 = server.addr_v6().expect("v6 address");
    let r = s_client(v6, &[]).expect("s_client");
    assert_eq!(
        r.version.as_deref(),
        Some("TLSv1.3"),
        "{}\n{}",
        r.output,
        server.log()
    );
}

#[test]
fn nginx_legacy_protocols() {
    let server = NginxServer::builder()
        .protocols("TLSv1 TLSv1.1")
        .ciphers("ALL:@SECLEVEL=0")
        .start()
        .expect("nginx");
    let r = s_client(server.addr(), &["-cipher", "ALL:@SECLEVEL=0"]).expect("s_client");
    assert_eq!(
        r.version.as_deref(),
        Some("TLSv1.1"),
        "{}\n{}",
        r.output,
        server.log()
    );
}

#[test]
fn rustls_server_tls12_alpn_and_staple() {
    let pki = Pki::localhost().expect("pki");
    let staple = b"not really an OCSP response".to_vec();
    let server = RustlsServer::builder()
        .pki(&pki)
        .tls12_only()
        .alpn(&["h2"])
        .ocsp(staple.clone())
        .start()
        .expect("rustls server");
    let mut opts = root_opts(&pki);
    opts.alpn = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let n = rustls_connect(server.addr(), &opts).expect("handshake");
    assert_eq!(n.version, ProtocolVersion::TLSv1_2);
    assert_eq!(n.alpn.as_deref(), Some(&b"h2"[..]));
    assert_eq!(n.ocsp, staple);
    assert_eq!(n.data, GREETING);
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1.2"), "{}", r.output);
}

#[test]
fn rustls_server_tls13_on_ipv6() {
    let server = RustlsServer::builder()
        .tls13_only()
        .ipv6()
        .start()
        .expect("rustls server");
    assert!(server.addr().is_ipv6());
    let r = s_client(server.addr(), &[]).expect("s_client");
    assert_eq!(r.version.as_deref(), Some("TLSv1.3"), "{}", r.output);
}

#[test]
fn ssl3_server_answers_an_ssl3_hello_with_ssl3() {
    let server = Ssl3Server::start().expect("ssl3 server");
    let (reply, _) = exchange(server.addr(), &client_hello(SSL3, None), 11);
    assert_eq!(
        &reply[..3],
        &[0x16, 0x03, 0x00],
        "{reply:02x?}\n{}",
        server.log()
    );
    assert_eq!(server_hello_version(&reply), Some(SSL3));
    // It does not negotiate TLS 1.2: the answer is not a TLS 1.2 ServerHello.
    let (reply, _) = exchange(server.addr(), &client_hello(TLS12, None), 11);
    assert_ne!(server_hello_version(&reply), Some(TLS12), "{reply:02x?}");
}

// ---------------------------------------------------------------------------------------------
// hostile servers

fn hostile(scenario: Scenario) -> HostileServer {
    HostileServer::start(scenario).expect("hostile server")
}

#[test]
fn hostile_reset_after_hello_resets() {
    for family in [Loopback::V4, Loopback::V6] {
        let server = HostileServer::start_on(Scenario::ResetAfterHello, family).expect("start");
        let (data, end) = exchange(server.addr(), &client_hello(TLS12, None), 1);
        assert!(data.is_empty());
        assert_eq!(
            end,
            End::Error(io::ErrorKind::ConnectionReset),
            "{family:?}"
        );
    }
}

#[test]
fn hostile_reset_legacy_resets_old_clients_and_relays_new_ones() {
    let backend = OpensslServer::builder().start().expect("backend");
    let server = hostile(Scenario::ResetLegacy {
        backend: backend.addr(),
    });
    for v in [TLS10, TLS11] {
        let (_, end) = exchange(server.addr(), &client_hello(v, None), 1);
        assert_eq!(
            end,
            End::Error(io::ErrorKind::ConnectionReset),
            "version {v:04x}"
        );
    }
    let (reply, _) = exchange(server.addr(), &client_hello(TLS12, None), 11);
    assert_eq!(server_hello_version(&reply), Some(TLS12), "{reply:02x?}");
    let r = s_client(server.addr(), &[]).expect("s_client through the relay");
    assert_eq!(r.version.as_deref(), Some("TLSv1.3"), "{}", r.output);
}

#[test]
fn hostile_silent_never_answers() {
    let server = hostile(Scenario::Silent);
    let mut s = connect(server.addr());
    s.write_all(&client_hello(TLS12, None)).expect("send");
    let (data, end) = read_some(&mut s, 1, Duration::from_millis(800));
    assert!(data.is_empty());
    assert_eq!(end, End::Quiet);
}

#[test]
fn hostile_garbage_http_and_ssh() {
    let (data, end) = exchange(
        hostile(Scenario::Garbage).addr(),
        &client_hello(TLS12, None),
        1 << 20,
    );
    assert_eq!((data.len(), end), (256, End::Eof));
    assert_eq!(data[0], 0x2a);

    let (data, end) = exchange(
        hostile(Scenario::Http).addr(),
        &client_hello(TLS12, None),
        1 << 20,
    );
    assert!(data.starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
    assert_eq!(end, End::Eof);

    let (data, end) = exchange(
        hostile(Scenario::Ssh).addr(),
        &client_hello(TLS12, None),
        1 << 20,
    );
    assert!(data.starts_with(b"SSH-2.0-"), "{data:?}");
    assert_eq!(end, End::Eof);
}

#[test]
fn hostile_alert_then_close_and_alert_then_hold() {
    let (data, end) = exchange(
        hostile(Scenario::Alert(hostile::ALERT_PROTOCOL_VERSION)).addr(),
        &client_hello(TLS11, None),
        1 << 20,
    );
    assert_eq!(data, [0x15, 0x03, 0x02, 0x00, 0x02, 0x02, 70]);
    assert_eq!(end, End::Eof);

    let server = hostile(Scenario::AlertThenHold);
    let mut s = connect(server.addr());
    s.write_all(&client_hello(TLS12, None)).expect("send");
    let (data, end) = read_some(&mut s, 7, Duration::from_secs(10));
    assert_eq!(
        (data.as_slice(), end),
        (&[0x15, 3, 3, 0, 2, 2, 40][..], End::Enough)
    );
    let (more, end) = read_some(&mut s, 1, Duration::from_millis(500));
    assert!(more.is_empty());
    assert_eq!(end, End::Quiet, "the connection stays open");
}

#[test]
fn hostile_trickle_delivers_a_valid_server_hello_in_pieces() {
    let server = hostile(Scenario::Trickle {
        bytes: 1,
        every: Duration::from_millis(15),
    });
    let mut s = connect(server.addr());
    s.write_all(&client_hello(TLS12, None)).expect("send");
    let full = hostile::server_hello(TLS12, 0xc02b).len();
    let mut first = [0u8; 4096];
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut first_read = None;
    while got.len() < full && Instant::now() < deadline {
        match s.read(&mut first) {
            Ok(0) => break,
            Ok(n) => {
                first_read.get_or_insert(n);
                got.extend_from_slice(&first[..n]);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("read: {e}"),
        }
    }
    assert_eq!(got.len(), full);
    assert!(first_read.is_some_and(|n| n < full), "arrived in one piece");
    assert_eq!(server_hello_version(&got), Some(TLS12));
    assert_eq!(
        hello::hello_progress(&got),
        hello::HelloProgress::Invalid,
        "not a ClientHello"
    );
}

#[test]
fn hostile_oversized_record_and_huge_handshake() {
    let (data, end) = exchange(
        hostile(Scenario::OversizedRecord).addr(),
        &client_hello(TLS12, None),
        5,
    );
    assert_eq!(end, End::Enough);
    assert_eq!(
        u16::from_be_bytes([data[3], data[4]]),
        hostile::OVERSIZED_RECORD_LEN
    );

    let (data, end) = exchange(
        hostile(Scenario::HugeHandshake).addr(),
        &client_hello(TLS12, None),
        600,
    );
    assert_eq!(end, End::Enough, "continuation records keep coming");
    assert_eq!((data[0], data[5]), (0x16, 2));
    assert_eq!(&data[6..9], &[0xff, 0xff, 0xff]);
}

#[test]
fn hostile_endless_handshake_keeps_sending_certificate_messages() {
    let server = hostile(Scenario::EndlessHandshake);
    let mut s = connect(server.addr());
    s.write_all(&client_hello(TLS12, None)).expect("send");
    let sh_len = hostile::server_hello(TLS12, 0xc02b).len();
    let (data, end) = read_some(&mut s, sh_len + 21 * 1015, Duration::from_secs(20));
    assert_eq!(end, End::Enough);
    assert_eq!(server_hello_version(&data), Some(TLS12));
    let mut rest = &data[sh_len..];
    for _ in 0..20 {
        assert_eq!((rest[0], rest[5]), (0x16, 11), "a Certificate record");
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        rest = &rest[5 + len..];
    }
}

#[test]
fn hostile_close_mid_record_and_close_immediately() {
    let (data, end) = exchange(
        hostile(Scenario::CloseMidRecord).addr(),
        &client_hello(TLS12, None),
        1 << 20,
    );
    assert_eq!(end, End::Eof);
    assert_eq!(data.len(), 15);
    assert_eq!(u16::from_be_bytes([data[3], data[4]]), 100);

    let server = hostile(Scenario::CloseImmediately);
    let mut s = connect(server.addr());
    let (data, end) = read_some(&mut s, 1, Duration::from_secs(10));
    assert!(data.is_empty());
    assert_eq!(end, End::Eof);
}

#[test]
fn hostile_sslv2_server_hello() {
    let (data, end) = exchange(
        hostile(Scenario::SslV2ServerHello).addr(),
        &client_hello(TLS10, None),
        1 << 20,
    );
    assert_eq!(end, End::Eof);
    assert_eq!(data, hostile::sslv2_server_hello());
    assert!(data[0] & 0x80 != 0);
    assert_eq!((data[2], &data[5..7]), (4, &[0x00, 0x02][..]));
}

#[test]
fn hostile_hrr_twice() {
    let server = hostile(Scenario::HrrTwice);
    let mut s = connect(server.addr());
    let first_hello = client_hello(TLS13, None);
    s.write_all(&first_hello).expect("send");
    let sid = hello::parse_client_hello(&first_hello)
        .expect("parse")
        .session_id;
    let hrr = hostile::hello_retry_request(&sid, 0x1301);
    let ccs = hello::record(0x14, TLS12, &[1]);
    let (data, _) = read_some(&mut s, hrr.len() + ccs.len(), Duration::from_secs(10));
    assert_eq!(data, [hrr.clone(), ccs.clone()].concat());
    assert_eq!(&data[11..43], &hostile::HRR_RANDOM);
    s.write_all(&ccs).expect("send ccs");
    s.write_all(&client_hello(TLS13, None))
        .expect("send second hello");
    let (data, end) = read_some(&mut s, hrr.len(), Duration::from_secs(10));
    assert_eq!(end, End::Enough);
    assert_eq!(data, hrr, "a second HelloRetryRequest");

    // A hello without TLS 1.3 gets a protocol_version alert.
    let (data, _) = exchange(server.addr(), &client_hello(TLS12, None), 7);
    assert_eq!(data, [0x15, 3, 3, 0, 2, 2, 70]);
}

#[test]
fn hostile_servers_stop_on_drop() {
    let server = hostile(Scenario::Silent);
    let addr = server.addr();
    let _held = connect(addr);
    drop(server);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}

#[test]
fn demo_reset_legacy_script_resets_old_clients_and_relays_new_ones() {
    use crate::harness::process::{Readiness, start_with_retry};
    let backend = OpensslServer::builder().start().expect("backend");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/servers/reset_legacy.py");
    let (_front, port) = start_with_retry("reset_legacy.py", Loopback::V4, |port| {
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .arg("127.0.0.1")
            .arg(port.to_string())
            .arg("127.0.0.1")
            .arg(backend.port().to_string());
        Ok((cmd, Readiness::Line("ACCEPT")))
    })
    .expect("reset_legacy.py starts");
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    for v in [TLS10, TLS11] {
        let (_, end) = exchange(addr, &client_hello(v, None), 1);
        assert_eq!(
            end,
            End::Error(io::ErrorKind::ConnectionReset),
            "version {v:04x}"
        );
    }
    let (reply, _) = exchange(addr, &client_hello(TLS13, None), 11);
    assert_eq!(
        server_hello_version(&reply),
        Some(TLS12),
        "1.3 ServerHello has legacy 1.2"
    );
    let r = s_client(addr, &[]).expect("s_client through the relay");
    assert_eq!(r.version.as_deref(), Some("TLSv1.3"), "{}", r.output);
}
