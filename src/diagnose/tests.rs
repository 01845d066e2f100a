//! Engine tests: `TargetReport`s built by hand as the probe would produce them, and the exact
//! finding ids and severities expected.

use super::engine::ids;
use super::*;
use crate::model::*;

fn target(host: &str, sni: Option<&str>) -> TargetInfo {
    TargetInfo {
        input: host.to_string(),
        host: host.to_string(),
        port: 443,
        sni: sni.map(str::to_string),
        connect_to: None,
    }
}

fn dns_ok(addrs: &[&str]) -> DnsReport {
    DnsReport {
        addresses: addrs.iter().map(|s| s.to_string()).collect(),
        duration_ms: 1.0,
        source: DnsSource::Resolver,
        error: None,
    }
}

fn connected() -> TcpReport {
    TcpReport {
        outcome: TcpOutcome::Connected,
        connect_ms: Some(1.0),
        error: None,
    }
}

fn econnreset() -> OsError {
    OsError {
        code: 104,
        name: "ECONNRESET".into(),
        windows_code: Some(10054),
        windows_name: Some("WSAECONNRESET".into()),
    }
}

fn accepted(v: ProtocolVersion, cipher: &str) -> ProtocolReport {
    let mut p = ProtocolReport::new(v, Outcome::Accepted, 5.0);
    p.cipher = Some(cipher.to_string());
    p
}

fn reset(v: ProtocolVersion) -> ProtocolReport {
    let mut p = ProtocolReport::new(v, Outcome::Reset, 5.0);
    p.os_error = Some(econnreset());
    p
}

fn alert(v: ProtocolVersion, name: &str, code: u8) -> ProtocolReport {
    let mut p = ProtocolReport::new(v, Outcome::Alert, 5.0);
    p.alert = Some(name.to_string());
    p.alert_code = Some(code);
    p
}

fn outcome(v: ProtocolVersion, o: Outcome) -> ProtocolReport {
    ProtocolReport::new(v, o, 5000.0)
}

fn endpoint(ip: &str, protocols: Vec<ProtocolReport>) -> EndpointReport {
    EndpointReport {
        ip: ip.to_string(),
        proxy: None,
        tcp: connected(),
        protocols,
        highest_version: None,
        negotiated: None,
        certificate: None,
        handshake_error: None,
        client_certificate_requested: false,
        simulation: None,
        simulations: Vec::new(),
        timing: Timing::default(),
        scan: None,
        plaintext: None,
        downgrade: None,
        secure_renegotiation: None,
        samples: Vec::new(),
    }
}

/// Builds the report the probe would hand to diagnosis for one target.
struct Build(TargetReport);

/// A report for `host`, with SNI set to the host unless it is an IP literal; no addresses and no
/// endpoints until they are given.
fn on(host: &str) -> Build {
    let sni = host.parse::<std::net::IpAddr>().is_err().then_some(host);
    Build(TargetReport {
        target: target(host, sni),
        dns: dns_ok(&[]),
        endpoints: Vec::new(),
        findings: Vec::new(),
        status: Status::Ok,
        duration_ms: 10.0,
        errors: Vec::new(),
        azure_backup: None,
    })
}

impl Build {
    /// No SNI was sent (`--no-sni`).
    fn no_sni(mut self) -> Self {
        self.0.target.sni = None;
        self
    }

    /// The resolver answered these addresses.
    fn resolving(mut self, addrs: &[&str]) -> Self {
        self.0.dns = dns_ok(addrs);
        self
    }

    /// Name resolution as given.
    fn dns(mut self, dns: DnsReport) -> Self {
        self.0.dns = dns;
        self
    }

    /// The endpoints probed.
    fn endpoints(mut self, endpoints: Vec<EndpointReport>) -> Self {
        self.0.endpoints = endpoints;
        self
    }

    fn build(self) -> TargetReport {
        self.0
    }

    /// The findings diagnosis makes of the report.
    fn run(self) -> Vec<Finding> {
        run(&self.0)
    }
}

fn cert(subject: &str, issuer: &str) -> CertInfo {
    CertInfo {
        subject: subject.to_string(),
        issuer: issuer.to_string(),
        sans: vec!["example.test".to_string()],
        serial: "01".to_string(),
        not_before: "2025-01-01T00:00:00Z".to_string(),
        not_after: "2026-01-01T00:00:00Z".to_string(),
        key: "EC P-256".to_string(),
        key_bits: 256,
        signature_algorithm: "ecdsa-with-SHA256".to_string(),
        sha256: "00".repeat(32),
        is_ca: false,
        self_issued: false,
    }
}

fn good_cert() -> CertificateReport {
    CertificateReport {
        chain: vec![cert("CN=example.test", "CN=Test CA")],
        trusted: Some(true),
        trust_error: None,
        trust_detail: None,
        hostname_match: Some(true),
        days_left: Some(200),
        chain_days_left: None,
        ocsp_stapled: false,
        intercepted: Some(false),
        interception_evidence: Vec::new(),
        source: "rustls",
        observed: ChainObservation::default(),
    }
}

use ProtocolVersion::*;

const GCM: &str = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
const AES13: &str = "TLS_AES_256_GCM_SHA384";

fn run(r: &TargetReport) -> Vec<Finding> {
    let f = diagnose(r, &Context::default());
    for x in &f {
        assert!(
            !x.summary.contains('{'),
            "unfilled placeholder in {}: {}",
            x.id,
            x.summary
        );
        assert!(
            !x.causes.is_empty() && !x.remediation.is_empty() && !x.references.is_empty(),
            "{}",
            x.id
        );
    }
    f
}

fn ids_sev(f: &[Finding]) -> Vec<(&str, Severity)> {
    f.iter().map(|x| (x.id.as_str(), x.severity)).collect()
}

fn azure_like(ip: &str) -> EndpointReport {
    endpoint(
        ip,
        vec![
            outcome(Ssl3, Outcome::Closed),
            reset(Tls10),
            reset(Tls11),
            accepted(Tls12, GCM),
            accepted(Tls13, AES13),
        ],
    )
}

#[test]
fn rst_on_legacy_is_info_with_the_article_fix() {
    let mut ep = azure_like("20.0.0.1");
    ep.certificate = Some(good_cert());
    let r = on("login.example.test")
        .resolving(&["20.0.0.1"])
        .endpoints(vec![ep])
        .build();
    let f = run(&r);
    assert_eq!(
        ids_sev(&f),
        vec![(ids::LEGACY_TLS_REJECTED, Severity::Info)]
    );
    let x = &f[0];
    assert_eq!(x.endpoints, vec!["20.0.0.1"]);
    assert!(
        x.summary.starts_with("Accepts TLS1.2, TLS1.3; "),
        "{}",
        x.summary
    );
    assert!(
        x.summary.contains("refuses TLS1.0, TLS1.1 (TCP reset)"),
        "{}",
        x.summary
    );
    assert!(x.summary.contains("10054"), "{}", x.summary);
    assert!(
        x.evidence
            .contains(&"TLS1.0: reset (ECONNRESET, Windows 10054 WSAECONNRESET)".to_string()),
        "{:?}",
        x.evidence
    );
    let fix = x.remediation.join("\n");
    for needle in [
        "KB4019276",
        "KB3140245",
        "SchUseStrongCrypto",
        "SystemDefaultTlsVersions",
        "DisabledByDefault",
        "TLS 1.2\\Client",
    ] {
        assert!(fix.contains(needle), "remediation lacks {needle}");
    }
    assert!(
        x.references
            .iter()
            .any(|u| u == "https://learn.microsoft.com/azure/backup/transport-layer-security")
    );
    // Status stays ok: info only.
    assert_eq!(Status::from_findings(&f), Status::Ok);
}

#[test]
fn reset_without_os_error_still_names_10054() {
    let ep = endpoint(
        "20.0.0.1",
        vec![outcome(Tls10, Outcome::Reset), accepted(Tls12, GCM)],
    );
    let r = on("h.test")
        .resolving(&["20.0.0.1"])
        .endpoints(vec![ep])
        .build();
    let f = run(&r);
    assert_eq!(
        f[0].evidence[0],
        "TLS1.0: reset (ECONNRESET, Windows 10054 WSAECONNRESET)"
    );
}

#[test]
fn identical_endpoints_merge() {
    let r = on("h.test")
        .resolving(&["20.0.0.1", "20.0.0.2"])
        .endpoints(vec![azure_like("20.0.0.1"), azure_like("20.0.0.2")])
        .build();
    let f = run(&r);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].endpoints, vec!["20.0.0.1", "20.0.0.2"]);
    assert!(
        f[0].evidence.iter().all(|e| e.starts_with("TLS")),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn differing_evidence_is_attributed_when_merged() {
    let mut b = azure_like("20.0.0.2");
    b.protocols[1] = alert(Tls10, "protocol_version", 70);
    b.protocols[2] = alert(Tls11, "protocol_version", 70);
    let a = endpoint(
        "20.0.0.1",
        vec![
            alert(Tls10, "protocol_version", 70),
            alert(Tls11, "protocol_version", 70),
            accepted(Tls12, GCM),
            accepted(Tls13, AES13),
        ],
    );
    let mut a2 = a.clone();
    a2.ip = "20.0.0.3".into();
    a2.protocols[2].cipher = Some("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into());
    let r = on("h.test")
        .resolving(&[])
        .endpoints(vec![a, b, a2])
        .build();
    let f = run(&r);
    assert_eq!(f.len(), 1, "{:?}", ids_sev(&f));
    assert_eq!(f[0].endpoints.len(), 3);
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.starts_with("20.0.0.1, 20.0.0.2: "))
            || f[0].evidence.iter().any(|e| e.starts_with("20.0.0.1: "))
    );
    assert!(
        f[0].evidence.iter().any(|e| e.starts_with("20.0.0.3: ")),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn tls13_only_is_a_warning() {
    let ep = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls10, "protocol_version", 70),
            alert(Tls11, "protocol_version", 70),
            alert(Tls12, "protocol_version", 70),
            accepted(Tls13, AES13),
        ],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::TLS13_ONLY, Severity::Warning),
            (ids::LEGACY_TLS_REJECTED, Severity::Info)
        ]
    );
    assert!(
        f[0].summary.contains("alert protocol_version (70)"),
        "{}",
        f[0].summary
    );
}

#[test]
fn only_legacy_versions_is_critical() {
    let ep = endpoint(
        "10.0.0.1",
        vec![
            accepted(Tls10, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            accepted(Tls11, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            alert(Tls12, "protocol_version", 70),
            alert(Tls13, "protocol_version", 70),
        ],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![(ids::TLS12_NOT_SUPPORTED, Severity::Critical)]
    );
    assert!(f[0].summary.contains("Highest version accepted is TLS1.1"));
}

#[test]
fn no_shared_cipher() {
    let ep = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls10, "protocol_version", 70),
            alert(Tls11, "protocol_version", 70),
            alert(Tls12, "handshake_failure", 40),
            alert(Tls13, "handshake_failure", 40),
        ],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![(ids::NO_SHARED_CIPHER, Severity::Critical)]
    );
    assert!(
        f[0].summary
            .contains("TLS1.2, TLS1.3 ended with alert handshake_failure (40)"),
        "{}",
        f[0].summary
    );
    // SNI was sent, so the SNI cause is not claimed.
    assert!(
        !f[0].causes.iter().any(|c| c.contains("--sni")),
        "{:?}",
        f[0].causes
    );
}

#[test]
fn no_shared_cipher_without_sni_mentions_sni_first() {
    let ep = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls12, "handshake_failure", 40),
            alert(Tls13, "handshake_failure", 40),
        ],
    );
    let f = on("10.0.0.1")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(f[0].id, ids::NO_SHARED_CIPHER);
    assert!(f[0].causes[0].contains("SNI"), "{:?}", f[0].causes);
}

#[test]
fn everything_reset_is_critical() {
    let ep = endpoint(
        "10.0.0.1",
        vec![reset(Tls10), reset(Tls11), reset(Tls12), reset(Tls13)],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![(ids::ALL_VERSIONS_REJECTED, Severity::Critical)]
    );
    assert!(f[0].summary.contains("TCP reset"));
    assert!(f[0].summary.contains("10054"));
    assert_eq!(f[0].evidence.len(), 4);
}

#[test]
fn closed_port() {
    let mut ep = endpoint("10.0.0.1", vec![]);
    ep.tcp = TcpReport {
        outcome: TcpOutcome::Refused,
        connect_ms: None,
        error: Some(ErrorInfo {
            message: "Connection refused (os error 111)".into(),
            os_error: Some(OsError {
                code: 111,
                name: "ECONNREFUSED".into(),
                windows_code: None,
                windows_name: None,
            }),
        }),
    };
    let f = on("127.0.0.1")
        .resolving(&["127.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(ids_sev(&f), vec![(ids::TCP_REFUSED, Severity::Critical)]);
    assert!(
        f[0].summary
            .contains("ECONNREFUSED, Windows 10061 WSAECONNREFUSED"),
        "{}",
        f[0].summary
    );
    assert_eq!(Status::from_findings(&f), Status::Critical);
}

#[test]
fn filtered_and_unreachable_ports() {
    for (o, id, win) in [
        (TcpOutcome::Timeout, ids::TCP_TIMEOUT, "10060"),
        (TcpOutcome::Unreachable, ids::TCP_UNREACHABLE, "10065"),
        (TcpOutcome::Reset, ids::TCP_RESET, "10054"),
    ] {
        let mut ep = endpoint("10.0.0.1", vec![]);
        ep.tcp = TcpReport {
            outcome: o,
            connect_ms: None,
            error: None,
        };
        let f = on("h.test")
            .no_sni()
            .resolving(&["10.0.0.1"])
            .endpoints(vec![ep])
            .run();
        assert_eq!(ids_sev(&f), vec![(id, Severity::Critical)]);
        assert!(f[0].summary.contains(win), "{}", f[0].summary);
    }
}

#[test]
fn silent_port() {
    let ep = endpoint(
        "127.0.0.1",
        vec![
            outcome(Tls10, Outcome::Timeout),
            outcome(Tls11, Outcome::Timeout),
            outcome(Tls12, Outcome::Timeout),
            outcome(Tls13, Outcome::Timeout),
        ],
    );
    let f = on("127.0.0.1")
        .resolving(&["127.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![(ids::ALL_VERSIONS_TIMEOUT, Severity::Critical)]
    );
    assert!(
        f[0].evidence[0].starts_with("TLS1.0: timeout (no answer after 5000 ms"),
        "{:?}",
        f[0].evidence
    );
}

#[test]
fn http_on_the_tls_port() {
    let mk = |v| {
        let mut p = outcome(v, Outcome::Malformed);
        p.detail = Some("HTTP/1.1 400 Bad Request".into());
        p
    };
    let ep = endpoint("127.0.0.1", vec![mk(Tls10), mk(Tls12), mk(Tls13)]);
    let f = on("127.0.0.1")
        .resolving(&["127.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(ids_sev(&f), vec![(ids::NOT_TLS, Severity::Critical)]);
    assert!(f[0].summary.contains("HTTP/1.1 400"), "{}", f[0].summary);
}

#[test]
fn sni_required_by_alert_or_detail() {
    // No SNI sent, unrecognized_name at every version.
    let ep = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls12, "unrecognized_name", 112),
            alert(Tls13, "unrecognized_name", 112),
        ],
    );
    let f = on("10.0.0.1")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(ids_sev(&f), vec![(ids::SNI_REQUIRED, Severity::Warning)]);

    // SNI sent and the server does not know it.
    let ep = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls12, "unrecognized_name", 112),
            alert(Tls13, "unrecognized_name", 112),
        ],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![(ids::SNI_UNRECOGNIZED, Severity::Critical)]
    );
    assert!(f[0].summary.contains("h.test"));

    // handshake_failure only without SNI, as the probe marks it.
    let mut p = alert(Tls12, "handshake_failure", 40);
    p.sni_required = true;
    p.detail = Some("SNI required: accepted with SNI h.test".into());
    let ep = endpoint("10.0.0.1", vec![p, alert(Tls13, "handshake_failure", 40)]);
    let f = on("10.0.0.1")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(ids_sev(&f), vec![(ids::SNI_REQUIRED, Severity::Warning)]);

    // The words alone are not the contract: only the probe's mark is.
    let mut p = alert(Tls12, "handshake_failure", 40);
    p.detail = Some("SNI required (the server's own words)".into());
    let ep = endpoint("10.0.0.1", vec![p]);
    let f = on("10.0.0.1")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert!(
        !ids_sev(&f).iter().any(|(id, _)| *id == ids::SNI_REQUIRED),
        "{f:?}"
    );
}

#[test]
fn expired_certificate() {
    let mut ep = azure_like("10.0.0.1");
    let mut c = good_cert();
    c.trusted = Some(false);
    c.trust_error = Some("expired".into());
    c.days_left = Some(-3);
    ep.certificate = Some(c);
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::CERT_EXPIRED, Severity::Critical),
            (ids::LEGACY_TLS_REJECTED, Severity::Info)
        ]
    );
    assert!(
        f[0].summary.contains("expired 3 days ago"),
        "{}",
        f[0].summary
    );
}

#[test]
fn certificate_warnings() {
    let mut ep = endpoint(
        "10.0.0.1",
        vec![accepted(Tls12, GCM), accepted(Tls13, AES13)],
    );
    let mut c = good_cert();
    c.days_left = Some(10);
    c.chain[0].key = "RSA 1024".into();
    c.chain[0].key_bits = 1024;
    c.chain[0].signature_algorithm = "sha1WithRSAEncryption".into();
    let mut root = cert("CN=Root", "CN=Root");
    root.is_ca = true;
    root.self_issued = true;
    root.signature_algorithm = "sha1WithRSAEncryption".into();
    c.chain.push(root);
    ep.certificate = Some(c);
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::CERT_EXPIRES_SOON, Severity::Warning),
            (ids::CERT_SHA1_SIGNATURE, Severity::Warning),
            (ids::CERT_WEAK_KEY, Severity::Warning),
        ]
    );
}

#[test]
fn untrusted_self_signed_and_mismatched() {
    for (err, id) in [
        ("unknown_issuer", ids::CERT_UNTRUSTED),
        ("self_signed", ids::CERT_SELF_SIGNED),
        ("name_mismatch", ids::CERT_NAME_MISMATCH),
        ("revoked", ids::CERT_REVOKED),
        ("bad_signature", ids::CERT_INVALID),
        ("not_yet_valid", ids::CERT_NOT_YET_VALID),
    ] {
        let mut ep = endpoint("10.0.0.1", vec![accepted(Tls12, GCM)]);
        let mut c = good_cert();
        c.trusted = Some(false);
        c.trust_error = Some(err.into());
        if err == "name_mismatch" {
            c.hostname_match = Some(false);
        }
        ep.certificate = Some(c);
        let f = on("h.test")
            .resolving(&["10.0.0.1"])
            .endpoints(vec![ep])
            .run();
        assert_eq!(ids_sev(&f), vec![(id, Severity::Critical)], "{err}");
    }
}

#[test]
fn intercepted() {
    let mut ep = azure_like("10.0.0.1");
    let mut c = good_cert();
    c.chain[0].issuer = "CN=Corp Inspection CA".into();
    c.trusted = Some(false);
    c.trust_error = Some("unknown_issuer".into());
    c.intercepted = Some(true);
    c.interception_evidence = vec!["issuer CN=Corp Inspection CA is not an Azure root".into()];
    ep.certificate = Some(c);
    let f = on("login.microsoftonline.com")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::TLS_INTERCEPTION, Severity::Critical),
            (ids::LEGACY_TLS_REJECTED, Severity::Info)
        ]
    );
    assert!(f[0].summary.contains("Corp Inspection CA"));
    assert!(
        f[0].remediation
            .iter()
            .any(|r| r.contains("Bypass TLS inspection"))
    );
    assert!(
        f[0].evidence
            .iter()
            .any(|e| e.contains("not an Azure root"))
    );
}

#[test]
fn dns_failures() {
    for (kind, id) in [
        (DnsErrorKind::NoSuchHost, ids::DNS_NO_SUCH_HOST),
        (DnsErrorKind::Timeout, ids::DNS_TIMEOUT),
        (DnsErrorKind::ServerFailure, ids::DNS_SERVER_FAILURE),
        (DnsErrorKind::Refused, ids::DNS_SERVER_FAILURE),
        (DnsErrorKind::NoResolver, ids::DNS_NO_RESOLVER),
        (DnsErrorKind::NoRecords, ids::DNS_NO_RECORDS),
        (DnsErrorKind::FamilyMismatch, ids::DNS_FAILURE),
        (DnsErrorKind::Other, ids::DNS_FAILURE),
    ] {
        let dns = DnsReport {
            addresses: vec![],
            duration_ms: 3.0,
            source: DnsSource::Resolver,
            error: Some(DnsError {
                kind,
                message: "NXDOMAIN from 10.0.0.53".into(),
            }),
        };
        let f = on("nope.example.test").no_sni().dns(dns).run();
        assert_eq!(ids_sev(&f), vec![(id, Severity::Critical)], "{kind}");
        assert!(f[0].endpoints.is_empty());
        assert!(f[0].summary.contains("nope.example.test"));
    }
}

#[test]
fn legacy_and_ssl_accepted() {
    let ep = endpoint(
        "10.0.0.1",
        vec![
            accepted(Ssl3, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            accepted(Tls10, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            accepted(Tls11, "TLS_RSA_WITH_AES_128_CBC_SHA"),
            accepted(Tls12, GCM),
            alert(Tls13, "protocol_version", 70),
        ],
    );
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::SSL_ACCEPTED, Severity::Critical),
            (ids::LEGACY_TLS_ACCEPTED, Severity::Warning)
        ]
    );
    assert!(
        f[1].summary
            .starts_with("TLS1.0, TLS1.1 still accepted beside TLS1.2"),
        "{}",
        f[1].summary
    );
}

#[test]
fn weak_and_insecure_suites() {
    let mut p12 = accepted(Tls12, GCM);
    p12.ciphers = Some(vec![
        GCM.into(),
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA".into(),
        "TLS_RSA_WITH_RC4_128_SHA".into(),
    ]);
    let mut ep = endpoint("10.0.0.1", vec![p12]);
    ep.negotiated = Some(Negotiated {
        version: Some(Tls12),
        cipher: Some("TLS_RSA_WITH_RC4_128_SHA".into()),
        cipher_openssl: None,
        group: None,
        alpn: None,
        handshake_ms: None,
        source: "raw",
    });
    let f = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .run();
    assert_eq!(
        ids_sev(&f),
        vec![
            (ids::INSECURE_CIPHER_SUITE, Severity::Critical),
            (ids::WEAK_CIPHER_SUITE, Severity::Warning)
        ]
    );
    assert_eq!(
        f[0].summary,
        "Insecure cipher suites accepted: TLS_RSA_WITH_RC4_128_SHA"
    );
    assert!(
        f[0].evidence
            .contains(&"negotiated: TLS_RSA_WITH_RC4_128_SHA".to_string())
    );
}

#[test]
fn every_rule_id_is_in_the_catalogue() {
    for id in ids::ALL {
        assert!(
            kb().finding(id).is_some(),
            "{id} missing from data/findings.toml"
        );
    }
    // And the catalogue has nothing the rules never produce.
    for f in &kb().findings {
        assert!(
            ids::ALL.contains(&f.id.as_str())
                || crate::diagnose::simulate::ids::ALL.contains(&f.id.as_str())
                || crate::diagnose::registry_audit::ids::ALL.contains(&f.id.as_str()),
            "{} is in findings.toml but no rule emits it",
            f.id
        );
    }
}

#[test]
fn findings_are_documented() {
    let doc = include_str!("../../docs/findings.md");
    for f in &kb().findings {
        assert!(
            doc.contains(&format!("`{}`", f.id)),
            "{} missing from docs/findings.md",
            f.id
        );
    }
}

#[test]
fn empty_report_has_no_findings() {
    let r = on("h.test")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![endpoint("10.0.0.1", vec![])])
        .build();
    assert!(run(&r).is_empty());
}

#[test]
#[ignore = "prints sample output; run with --ignored --nocapture"]
fn print_samples() {
    for code in ["10054", "40", "0x80072EFE", "legacy-tls-rejected"] {
        let e = explain(code).unwrap();
        println!("{}\n-----", serde_json::to_string_pretty(&e).unwrap());
    }
    let f = on("h.test")
        .resolving(&["20.0.0.1"])
        .endpoints(vec![azure_like("20.0.0.1")])
        .run();
    println!("{}", serde_json::to_string_pretty(&f).unwrap());
}

// ---------------------------------------------------------------------------------------------
// Readiness (azure-backup) and SOCKS proxy answers

fn judged(mut ep: EndpointReport, cert: Option<CertificateReport>) -> readiness::Verdict {
    ep.highest_version = ep
        .protocols
        .iter()
        .filter(|p| p.supported)
        .map(|p| p.version)
        .max();
    ep.certificate = cert;
    let mut r = on("login.microsoftonline.com")
        .resolving(&["10.0.0.1"])
        .endpoints(vec![ep])
        .build();
    r.findings = run(&r);
    readiness::judge(&r)
}

#[test]
fn readiness_rules() {
    use crate::model::Readiness::*;
    let v = judged(azure_like("10.0.0.1"), Some(good_cert()));
    assert_eq!((v.readiness, v.finding), (Ready, None), "{}", v.reason);
    assert!(v.reason.contains("TLS1.3"));

    // Legacy versions accepted: a warning, at risk.
    let legacy = endpoint("10.0.0.1", vec![accepted(Tls10, GCM), accepted(Tls12, GCM)]);
    let v = judged(legacy, Some(good_cert()));
    assert_eq!(v.readiness, AtRisk, "{v:?}");

    // Interception: at risk when the re-signing CA is trusted here, blocked when it is not.
    let mut c = good_cert();
    c.chain[0].issuer = "CN=Corp Inspection CA".into();
    c.intercepted = Some(true);
    let v = judged(azure_like("10.0.0.1"), Some(c.clone()));
    assert_eq!(
        (v.readiness, v.finding.as_deref()),
        (AtRisk, Some("tls-interception"))
    );
    c.trusted = Some(false);
    c.trust_error = Some("unknown_issuer".into());
    let v = judged(azure_like("10.0.0.1"), Some(c));
    assert_eq!(v.readiness, Blocked);
    assert!(v.reason.contains("does not trust"), "{}", v.reason);

    // The hard requirements hold whatever the findings say.
    let v = judged(azure_like("10.0.0.1"), None);
    assert_eq!(v.readiness, Blocked, "no chain checked: {v:?}");
    let no12 = endpoint(
        "10.0.0.1",
        vec![
            alert(Tls10, "protocol_version", 70),
            alert(Tls12, "protocol_version", 70),
            accepted(Tls13, AES13),
        ],
    );
    let v = judged(no12, Some(good_cert()));
    assert_eq!(v.readiness, AtRisk, "TLS 1.3 only is at risk: {v:?}");
}

#[test]
fn socks_replies_are_named_in_proxy_findings() {
    for (outcome, reply, id, words) in [
        (
            "refused",
            Some(2),
            ids::PROXY_REFUSED,
            "SOCKS5 reply 2: connection not allowed by ruleset",
        ),
        (
            "error",
            Some(5),
            ids::PROXY_ERROR,
            "SOCKS5 reply 5: connection refused",
        ),
        (
            "auth_required",
            None,
            ids::PROXY_AUTH_REQUIRED,
            "SOCKS5 authentication refused",
        ),
    ] {
        let mut ep = endpoint("10.0.0.1", vec![outcome_refused(Tls12)]);
        ep.tcp = TcpReport {
            outcome: TcpOutcome::Refused,
            connect_ms: None,
            error: None,
        };
        ep.proxy = Some(ProxyReport {
            url: "socks5://127.0.0.1:1080".into(),
            outcome: outcome.into(),
            status: None,
            socks_reply: reply,
            message: None,
        });
        let f = on("h.test")
            .resolving(&["10.0.0.1"])
            .endpoints(vec![ep])
            .run();
        assert_eq!(ids_sev(&f), vec![(id, Severity::Critical)]);
        assert!(f[0].summary.contains(words), "{}", f[0].summary);
    }
}

fn outcome_refused(v: ProtocolVersion) -> ProtocolReport {
    outcome(v, Outcome::Refused)
}
