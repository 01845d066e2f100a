//! Certificate chain inspection: what each certificate says, whether the chain is trusted (and if
//! not, the precise reason), whether it is valid for the name asked for, when it expires, and
//! whether a TLS-inspecting middlebox re-signed it.
//!
//! [`inspect_chain`] works on DER certificates, leaf first, however they were obtained: from a
//! full rustls handshake (`source = "rustls"`) or from the plaintext Certificate message of a raw
//! TLS ≤ 1.2 probe (`source = "raw"`, for servers rustls cannot reach). It never panics on what a
//! server sends: a certificate that does not decode is listed as `<unparseable: reason>`.
//!
//! # Trust
//! `trusted` and `trust_error` come from webpki against the *configured* anchors of the
//! [`TrustStore`] (default roots and/or `--ca-file`). webpki reports one error; it is mapped to a
//! stable code, and an `unknown_issuer` whose leaf signed itself becomes `self_signed`.
//! `hostname_match` is computed separately (RFC 6125, see [`hostname_matches`]) so it is known
//! even when the chain is not trusted.
//!
//! # Interception heuristics (`intercepted`)
//! A chain is *anchored* in an anchor set when webpki finds a path from it to one of that set's
//! roots; validity times and the name are ignored for this question (the chain is checked both
//! now and in the middle of the leaf's validity, and a name mismatch still counts as anchored).
//! In order:
//! 1. anchored in the public roots (`webpki-roots`) → `Some(false)`. A public CA does not issue
//!    certificates to inspection boxes, so this wins over every other clue;
//! 2. an issuer name (or the subject of the chain's last certificate) contains a pattern of a
//!    known inspection product listed in `data/interception.toml` → `Some(true)`;
//! 3. anchored only in a `--ca-file` root or a root of the system bundle, while the name looks
//!    public (not an IP address, and not `localhost` or under a private suffix listed in the same
//!    data file) → `Some(true)`: something local vouches for a public name;
//! 4. the caller named the roots it expects (e.g. those of a service catalogue) and no issuer of
//!    the chain is one of them → `Some(true)`;
//! 5. the caller named expected roots, an issuer of the chain is one of them and the chain
//!    leads to a `--ca-file` or system root → `Some(false)`;
//! 6. otherwise `None`: e.g. a private name under a private CA, or a public name whose chain
//!    leads nowhere (a broken server and an unknown middlebox look the same).
//!
//! Every verdict comes with `interception_evidence` saying which rule decided.
//!
//! This module does no I/O and does not fetch anything (no AIA chasing, no OCSP or CRL queries):
//! an incomplete chain is reported as such.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::time::OffsetDateTime;
use ::time::format_description::well_known::Rfc3339;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, Error as TlsError};
use serde::Deserialize;
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_NIST_EC_P384, OID_NIST_EC_P521, OID_SIG_ED448, OID_SIG_ED25519,
};
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use crate::model::{CertInfo, CertificateReport};
use crate::probe::trust::{Anchors, TrustStore};

/// Most certificates of one chain inspected; servers send 2-4, anything past this is ignored.
const MAX_CHAIN: usize = 16;

/// Seconds in a day, for `days_left`.
const DAY: i64 = 86_400;

/// What [`inspect_chain`] needs to know besides the chain itself.
#[derive(Debug, Clone, Copy)]
pub struct InspectOptions<'a> {
    /// The name the certificate must be valid for: the SNI name, or the IP address when no name
    /// was given.
    pub host: &'a str,
    /// Whether the name was sent as SNI (without it, servers return their default certificate).
    pub sni_sent: bool,
    /// The stapled OCSP response, if the server sent one (an empty slice counts as none).
    pub ocsp: Option<&'a [u8]>,
    /// `rustls` or `raw`, copied to the report.
    pub source: &'static str,
    /// The time to judge validity at (normally `SystemTime::now()`).
    pub now: SystemTime,
    /// Names of the roots the chain should end in (substrings of an issuer name, matched without
    /// regard to case); empty when the caller has no expectation.
    pub expected_roots: &'a [&'a str],
}

impl<'a> InspectOptions<'a> {
    /// Options for `host` at the current time with SNI sent, no OCSP and no expected roots.
    pub fn new(host: &'a str, source: &'static str) -> Self {
        InspectOptions {
            host,
            sni_sent: true,
            ocsp: None,
            source,
            now: SystemTime::now(),
            expected_roots: &[],
        }
    }
}

/// Inspects a chain (DER, leaf first) and verifies it against `trust`; see the module docs.
pub fn inspect_chain(
    chain: &[Vec<u8>],
    trust: &TrustStore,
    opts: &InspectOptions<'_>,
) -> CertificateReport {
    let chain = &chain[..chain.len().min(MAX_CHAIN)];
    let parsed: Vec<Parsed> = chain.iter().map(|der| Parsed::new(der)).collect();
    let ders: Vec<CertificateDer<'_>> = chain
        .iter()
        .map(|d| CertificateDer::from(d.as_slice()))
        .collect();
    let now = unix_seconds(opts.now);

    let mut report = CertificateReport {
        chain: parsed.iter().map(|p| p.info.clone()).collect(),
        trusted: None,
        trust_error: None,
        trust_detail: None,
        hostname_match: None,
        days_left: None,
        chain_days_left: None,
        ocsp_stapled: opts.ocsp.is_some_and(|o| !o.is_empty()),
        intercepted: None,
        interception_evidence: Vec::new(),
        source: opts.source,
    };

    let Some(leaf) = parsed.first() else {
        report.trusted = Some(false);
        report.trust_error = Some("other".into());
        report.trust_detail = Some("the server sent no certificate".into());
        report.interception_evidence = vec!["no certificate to judge".into()];
        return report;
    };

    report.hostname_match = leaf
        .decoded
        .then(|| hostname_matches(opts.host, &leaf.names));
    report.days_left = leaf.not_after.map(|t| (t - now).div_euclid(DAY));
    report.chain_days_left = parsed
        .iter()
        .filter_map(|p| p.not_after)
        .min()
        .map(|t| (t - now).div_euclid(DAY));

    match server_name(opts.host) {
        Some(name) => match trust.verify(Anchors::Configured, &ders, &name, to_unix_time(now)) {
            Some(Ok(())) => report.trusted = Some(true),
            Some(Err(e)) => {
                let (code, detail) = classify(&e, &parsed, now, opts);
                report.trusted = Some(false);
                report.trust_error = Some(code.into());
                report.trust_detail = Some(detail);
            }
            None => {}
        },
        None => {
            report.trust_detail = Some(format!(
                "not verified: {:?} is neither a DNS name nor an IP address",
                opts.host
            ));
        }
    }

    let (intercepted, evidence) = judge_interception(&ders, &parsed, trust, opts, now);
    report.intercepted = intercepted;
    report.interception_evidence = evidence;
    report
}

/// What could be read from one certificate, beyond its [`CertInfo`].
struct Parsed {
    info: CertInfo,
    decoded: bool,
    not_before: Option<i64>,
    not_after: Option<i64>,
    names: Names,
}

/// The identities a certificate presents, for hostname matching.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// dNSName entries of subjectAltName.
    pub dns: Vec<String>,
    /// iPAddress entries of subjectAltName.
    pub ips: Vec<IpAddr>,
    /// Whether a subjectAltName extension with at least one entry exists.
    pub has_san: bool,
    /// Common names of the subject (only consulted when there is no subjectAltName).
    pub common_names: Vec<String>,
}

impl Parsed {
    fn new(der: &[u8]) -> Parsed {
        let sha256 = hex(
            ring::digest::digest(&ring::digest::SHA256, der).as_ref(),
            "",
        );
        match X509Certificate::from_der(der) {
            Ok((_, cert)) => Parsed::from_cert(&cert, sha256),
            Err(e) => Parsed {
                info: CertInfo {
                    subject: format!("<unparseable: {e}>"),
                    issuer: String::new(),
                    sans: Vec::new(),
                    serial: String::new(),
                    not_before: String::new(),
                    not_after: String::new(),
                    key: String::new(),
                    key_bits: 0,
                    signature_algorithm: String::new(),
                    sha256,
                    is_ca: false,
                    self_issued: false,
                },
                decoded: false,
                not_before: None,
                not_after: None,
                names: Names::default(),
            },
        }
    }

    fn from_cert(cert: &X509Certificate<'_>, sha256: String) -> Parsed {
        let mut names = Names::default();
        let mut sans = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for gn in &san.value.general_names {
                match gn {
                    GeneralName::DNSName(d) => {
                        names.dns.push((*d).to_string());
                        sans.push((*d).to_string());
                    }
                    GeneralName::IPAddress(bytes) => match ip_from_bytes(bytes) {
                        Some(ip) => {
                            names.ips.push(ip);
                            sans.push(ip.to_string());
                        }
                        None => sans.push(format!("<bad IP {}>", hex(bytes, ""))),
                    },
                    _ => {}
                }
                names.has_san = true;
            }
        }
        names.common_names = cert
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok())
            .map(str::to_string)
            .collect();

        let validity = cert.validity();
        let (key, key_bits) = describe_key(cert);
        let info = CertInfo {
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            sans,
            serial: cert.raw_serial_as_string(),
            not_before: rfc3339(validity.not_before.to_datetime()),
            not_after: rfc3339(validity.not_after.to_datetime()),
            key,
            key_bits,
            signature_algorithm: oid_name(&cert.signature_algorithm.algorithm),
            sha256,
            is_ca: cert.is_ca(),
            self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
        };
        Parsed {
            info,
            decoded: true,
            not_before: Some(validity.not_before.timestamp()),
            not_after: Some(validity.not_after.timestamp()),
            names,
        }
    }
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(b) {
        return Some(IpAddr::V4(Ipv4Addr::from(v4)));
    }
    <[u8; 16]>::try_from(b)
        .ok()
        .map(|v6| IpAddr::V6(Ipv6Addr::from(v6)))
}

/// Key type and size, e.g. `("RSA 2048", 2048)`, `("EC P-256", 256)`, `("Ed25519", 256)`.
fn describe_key(cert: &X509Certificate<'_>) -> (String, u32) {
    let spki = cert.public_key();
    let alg = &spki.algorithm.algorithm;
    match spki.parsed() {
        Ok(PublicKey::RSA(k)) => {
            let bits = rsa_modulus_bits(k.modulus);
            (format!("RSA {bits}"), bits)
        }
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok());
            let (name, bits) = match curve {
                Some(c) if c == OID_EC_P256 => ("P-256".to_string(), 256),
                Some(c) if c == OID_NIST_EC_P384 => ("P-384".to_string(), 384),
                Some(c) if c == OID_NIST_EC_P521 => ("P-521".to_string(), 521),
                Some(c) => (oid_name(&c), u32::try_from(point.key_size()).unwrap_or(0)),
                None => (
                    "unknown curve".to_string(),
                    u32::try_from(point.key_size()).unwrap_or(0),
                ),
            };
            (format!("EC {name}"), bits)
        }
        Ok(PublicKey::DSA(y)) => {
            let bits = rsa_modulus_bits(y);
            (format!("DSA {bits}"), bits)
        }
        _ if *alg == OID_SIG_ED25519 => ("Ed25519".into(), 256),
        _ if *alg == OID_SIG_ED448 => ("Ed448".into(), 456),
        _ => (oid_name(alg), 0),
    }
}

/// Bits of a big-endian unsigned integer (an RSA modulus): leading zero bytes and leading zero
/// bits of the first non-zero byte do not count. x509-parser's own `key_size` drops the first
/// byte blindly, which under-counts a modulus sent without its 0x00 pad.
pub(crate) fn rsa_modulus_bits(modulus: &[u8]) -> u32 {
    let Some(start) = modulus.iter().position(|&b| b != 0) else {
        return 0;
    };
    let significant = &modulus[start..];
    let len = u32::try_from(significant.len()).unwrap_or(u32::MAX / 16);
    let first = significant.first().copied().unwrap_or(0);
    len.saturating_mul(8).saturating_sub(first.leading_zeros())
}

/// Names the certificates whose signature algorithm the verifier rejected, instead of the
/// verifier's list of every algorithm it supports.
fn unsupported_detail(parsed: &[Parsed]) -> String {
    const SUPPORTED: &[&str] = &[
        "sha256WithRSAEncryption",
        "sha384WithRSAEncryption",
        "sha512WithRSAEncryption",
        "rsassaPss",
        "ecdsa-with-SHA256",
        "ecdsa-with-SHA384",
        "ecdsa-with-SHA512",
        "ED25519",
        "Ed25519",
    ];
    let odd: Vec<String> = parsed
        .iter()
        .filter(|p| p.decoded && !SUPPORTED.contains(&p.info.signature_algorithm.as_str()))
        .map(|p| {
            format!(
                "{:?} is signed with {}",
                p.info.subject, p.info.signature_algorithm
            )
        })
        .collect();
    if odd.is_empty() {
        "a certificate of the chain uses a signature algorithm the verifier does not accept".into()
    } else {
        format!("unsupported signature algorithm: {}", odd.join("; "))
    }
}

/// Signature algorithms the OID registry of x509-parser has no short name for.
const EXTRA_SIG_OIDS: &[(&str, &str)] = &[
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.1", "ecdsa-with-SHA224"),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption"),
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption"),
    ("1.2.840.10040.4.3", "dsa-with-SHA1"),
    ("1.3.14.3.2.29", "sha1WithRSA"),
];

fn oid_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    let dotted = oid.to_id_string();
    if let Some((_, name)) = EXTRA_SIG_OIDS.iter().find(|(o, _)| *o == dotted) {
        return (*name).to_string();
    }
    oid2sn(oid, oid_registry())
        .map(str::to_string)
        .unwrap_or(dotted)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

fn hex(bytes: &[u8], sep: &str) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(sep)
}

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn to_unix_time(secs: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}

fn server_name(host: &str) -> Option<ServerName<'static>> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_string()).ok()
}

/// RFC 6125 matching of `host` against a certificate's identities.
///
/// * An IP address matches only iPAddress SANs (never a DNS SAN or the CN).
/// * A DNS name matches a dNSName SAN exactly (ASCII case-insensitively, ignoring one trailing
///   dot) or through a wildcard that is the whole left-most label (`*.example.com` matches
///   `a.example.com`, not `example.com` nor `a.b.example.com`; it needs two labels after it).
/// * The subject CN is consulted only when the certificate has no subjectAltName at all.
pub fn hostname_matches(host: &str, names: &Names) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return names.ips.contains(&ip);
    }
    let host = normalise(host);
    if host.is_empty() || host.contains('*') {
        return false;
    }
    let candidates = if names.has_san {
        &names.dns
    } else {
        &names.common_names
    };
    candidates.iter().any(|p| dns_pattern_matches(p, &host))
}

fn normalise(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn dns_pattern_matches(pattern: &str, host: &str) -> bool {
    let pattern = normalise(pattern);
    if pattern == host {
        return true;
    }
    let Some(rest) = pattern.strip_prefix("*.") else {
        return false;
    };
    if rest.contains('*') || !rest.contains('.') {
        return false;
    }
    match host.split_once('.') {
        Some((first, tail)) => !first.is_empty() && tail == rest,
        None => false,
    }
}

/// Maps a webpki verdict to a stable `trust_error` code and a message for `trust_detail`.
fn classify(
    err: &TlsError,
    parsed: &[Parsed],
    now: i64,
    opts: &InspectOptions<'_>,
) -> (&'static str, String) {
    let leaf_self_signed = parsed.first().is_some_and(|p| p.info.self_issued);
    let subject = |i: usize| {
        parsed
            .get(i)
            .map(|p| p.info.subject.as_str())
            .unwrap_or("?")
    };
    let raw = err.to_string();
    let TlsError::InvalidCertificate(ce) = err else {
        return ("other", raw);
    };
    #[allow(deprecated)]
    match ce {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            let which: Vec<String> = parsed
                .iter()
                .enumerate()
                .filter(|(_, p)| p.not_after.is_some_and(|t| t < now))
                .map(|(i, p)| format!("#{i} {:?} expired {}", p.info.subject, p.info.not_after))
                .collect();
            ("expired", detail_list(&which, &raw))
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            let which: Vec<String> = parsed
                .iter()
                .enumerate()
                .filter(|(_, p)| p.not_before.is_some_and(|t| t > now))
                .map(|(i, p)| format!("#{i} {:?} valid from {}", p.info.subject, p.info.not_before))
                .collect();
            ("not_yet_valid", detail_list(&which, &raw))
        }
        CertificateError::UnknownIssuer if leaf_self_signed => (
            "self_signed",
            format!(
                "the leaf {:?} is signed by itself and is not a trust anchor",
                subject(0)
            ),
        ),
        CertificateError::UnknownIssuer => {
            let last = parsed.last().map(|p| &p.info);
            let detail = match last {
                Some(c) if !c.self_issued => format!(
                    "incomplete chain or unknown CA: the issuer {:?} of the last certificate sent \
                     (#{}) was not sent and is not in the trust store",
                    c.issuer,
                    parsed.len() - 1
                ),
                Some(c) => format!(
                    "the chain ends in root {:?}, which is not in the trust store",
                    c.subject
                ),
                None => raw,
            };
            ("unknown_issuer", detail)
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            let sans = parsed
                .first()
                .map(|p| p.info.sans.join(", "))
                .unwrap_or_default();
            let mut detail = format!(
                "the leaf is not valid for {:?}; it names [{sans}]",
                opts.host
            );
            if !opts.sni_sent {
                detail
                    .push_str("; no SNI was sent, so the server returned its default certificate");
            }
            ("name_mismatch", detail)
        }
        CertificateError::BadSignature => ("bad_signature", raw),
        CertificateError::UnsupportedSignatureAlgorithm
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            ("unsupported_algorithm", unsupported_detail(parsed))
        }
        CertificateError::Revoked => ("revoked", raw),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            ("invalid_purpose", raw)
        }
        CertificateError::Other(other) => {
            // webpki errors without a rustls equivalent arrive here; their Debug is the variant.
            let inner = format!("{:?}", other.0);
            if inner.contains("CaUsedAsEndEntity") {
                if leaf_self_signed {
                    (
                        "self_signed",
                        format!(
                            "the leaf {:?} is a self-signed CA certificate used as a server certificate",
                            subject(0)
                        ),
                    )
                } else {
                    (
                        "invalid_purpose",
                        format!("the leaf {:?} is a CA certificate", subject(0)),
                    )
                }
            } else if inner.contains("EndEntityUsedAsCa") {
                (
                    "invalid_purpose",
                    "a certificate without CA rights issued another one".into(),
                )
            } else if inner.contains("UnsupportedSignatureAlgorithm") {
                ("unsupported_algorithm", unsupported_detail(parsed))
            } else if inner.contains("UnsupportedCertVersion") {
                (
                    "unsupported_algorithm",
                    "a certificate has an unsupported X.509 version".into(),
                )
            } else {
                ("other", inner)
            }
        }
        _ => ("other", raw),
    }
}

fn detail_list(items: &[String], fallback: &str) -> String {
    if items.is_empty() {
        fallback.to_string()
    } else {
        items.join("; ")
    }
}

/// The interception knowledge of `data/interception.toml`.
#[derive(Debug, Default, Deserialize)]
struct Knowledge {
    private_suffixes: Vec<String>,
    #[serde(rename = "product")]
    products: Vec<Product>,
}

/// One TLS-inspection product and the issuer-name fragments it uses.
#[derive(Debug, Deserialize)]
struct Product {
    name: String,
    patterns: Vec<String>,
}

const KNOWLEDGE_TOML: &str = include_str!("../../data/interception.toml");

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    // The file ships with the binary and a unit test parses it, so the fallback is unreachable
    // in a tested build; it keeps a broken edit from turning into a panic.
    K.get_or_init(|| toml::from_str(KNOWLEDGE_TOML).unwrap_or_default())
}

/// Whether a name looks like one on the public Internet (see the module docs).
pub fn looks_public(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return false;
    }
    let host = normalise(bare);
    if !host.contains('.') {
        return false;
    }
    !knowledge()
        .private_suffixes
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .any(|s| host == s || host.ends_with(&format!(".{s}")))
}

/// Whether `ders` leads to a root of `anchors`, ignoring validity times and the name.
fn anchored(
    trust: &TrustStore,
    anchors: Anchors,
    ders: &[CertificateDer<'_>],
    parsed: &[Parsed],
    now: i64,
) -> Option<bool> {
    if !trust.has(anchors) {
        return None;
    }
    let placeholder = ServerName::try_from("anchor-check.invalid").ok()?;
    let mut times = vec![now];
    if let Some((Some(nb), Some(na))) = parsed.first().map(|p| (p.not_before, p.not_after)) {
        if nb <= na {
            times.push(nb + (na - nb) / 2);
        }
    }
    let reached = times.into_iter().any(|t| {
        matches!(
            trust.verify(anchors, ders, &placeholder, to_unix_time(t)),
            Some(Ok(()))
                | Some(Err(TlsError::InvalidCertificate(
                    CertificateError::NotValidForName
                        | CertificateError::NotValidForNameContext { .. }
                )))
        )
    });
    Some(reached)
}

fn judge_interception(
    ders: &[CertificateDer<'_>],
    parsed: &[Parsed],
    trust: &TrustStore,
    opts: &InspectOptions<'_>,
    now: i64,
) -> (Option<bool>, Vec<String>) {
    let mut evidence = Vec::new();
    if parsed.iter().all(|p| !p.decoded) {
        evidence.push("no certificate of the chain could be decoded".into());
        return (None, evidence);
    }
    let top = parsed.iter().rev().find(|p| p.decoded).map(|p| &p.info);
    let issuers: Vec<&str> = parsed
        .iter()
        .filter(|p| p.decoded)
        .map(|p| p.info.issuer.as_str())
        .collect();

    // Rule 1: a public root settles it.
    if anchored(trust, Anchors::Public, ders, parsed, now) == Some(true) {
        evidence.push("the chain leads to a public root (webpki-roots)".into());
        if !opts.expected_roots.is_empty()
            && !issuers
                .iter()
                .any(|i| names_expected(i, opts.expected_roots))
        {
            evidence.push(format!(
                "it ends in {:?}, which is none of the expected roots [{}]",
                top.map(|c| c.issuer.as_str()).unwrap_or("?"),
                opts.expected_roots.join(", ")
            ));
        }
        return (Some(false), evidence);
    }

    // Rule 2: an inspection product's name in an issuer.
    let mut names: Vec<(usize, &str)> = parsed
        .iter()
        .enumerate()
        .filter(|(_, p)| p.decoded)
        .map(|(i, p)| (i, p.info.issuer.as_str()))
        .collect();
    if let Some(c) = top {
        names.push((parsed.len().saturating_sub(1), c.subject.as_str()));
    }
    for product in &knowledge().products {
        let hit = names.iter().find(|(_, n)| {
            let n = n.to_ascii_lowercase();
            product
                .patterns
                .iter()
                .any(|p| n.contains(&p.to_ascii_lowercase()))
        });
        if let Some((i, n)) = hit {
            evidence.push(format!(
                "certificate #{i} names {n:?}, a certificate of the TLS-inspection product {}",
                product.name
            ));
        }
    }
    if !evidence.is_empty() {
        return (Some(true), evidence);
    }

    // Rule 3: a locally added root vouches for a public name.
    let public_name = looks_public(opts.host);
    let local: Vec<&str> = [
        (Anchors::CaFile, "--ca-file"),
        (Anchors::System, "the system CA bundle"),
    ]
    .into_iter()
    .filter(|(a, _)| anchored(trust, *a, ders, parsed, now) == Some(true))
    .map(|(_, what)| what)
    .collect();
    if !local.is_empty() && public_name {
        evidence.push(format!(
            "the chain leads to a root from {} ({:?}) but to no public root, for the public name {:?}",
            local.join(" and "),
            top.map(|c| c.issuer.as_str()).unwrap_or("?"),
            opts.host
        ));
        return (Some(true), evidence);
    }

    // Rule 4: the caller's expected roots.
    if !opts.expected_roots.is_empty()
        && !issuers
            .iter()
            .any(|i| names_expected(i, opts.expected_roots))
    {
        evidence.push(format!(
            "the chain ends in {:?}, none of the expected roots [{}]",
            top.map(|c| c.issuer.as_str()).unwrap_or("?"),
            opts.expected_roots.join(", ")
        ));
        return (Some(true), evidence);
    }

    // Rule 5: the chain names an expected root and leads to a root configured here.
    if !opts.expected_roots.is_empty() && !local.is_empty() {
        evidence.push(format!(
            "the chain ends in {:?}, one of the expected roots, and leads to a root from {}",
            top.map(|c| c.issuer.as_str()).unwrap_or("?"),
            local.join(" and ")
        ));
        return (Some(false), evidence);
    }

    // Rule 6: undecidable.
    evidence.push(if !local.is_empty() {
        format!(
            "the chain leads to a root from {}; {:?} is a private name, for which a private CA is normal",
            local.join(" and "),
            opts.host
        )
    } else {
        "the chain leads to no known root: a misconfigured server and an unknown middlebox look alike"
            .into()
    });
    (None, evidence)
}

fn names_expected(issuer: &str, expected: &[&str]) -> bool {
    let issuer = issuer.to_ascii_lowercase();
    expected
        .iter()
        .any(|e| !e.is_empty() && issuer.contains(&e.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

    fn names(dns: &[&str], ips: &[&str], cns: &[&str]) -> Names {
        Names {
            dns: dns.iter().map(|s| s.to_string()).collect(),
            ips: ips.iter().map(|s| s.parse().unwrap()).collect(),
            has_san: !dns.is_empty() || !ips.is_empty(),
            common_names: cns.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn exact_and_case_insensitive_names_match() {
        let n = names(&["Login.MicrosoftOnline.com"], &[], &[]);
        assert!(hostname_matches("login.microsoftonline.com", &n));
        assert!(hostname_matches("login.microsoftonline.com.", &n));
        assert!(!hostname_matches("microsoftonline.com", &n));
    }

    #[test]
    fn wildcard_only_covers_one_leftmost_label() {
        let n = names(&["*.blob.core.windows.net"], &[], &[]);
        assert!(hostname_matches("acct.blob.core.windows.net", &n));
        assert!(!hostname_matches("blob.core.windows.net", &n));
        assert!(!hostname_matches("a.b.blob.core.windows.net", &n));
        assert!(!hostname_matches(".blob.core.windows.net", &n));
        // Partial-label and non-leftmost wildcards never match; nor does a bare `*.com`.
        assert!(!hostname_matches(
            "abc.example.com",
            &names(&["a*.example.com"], &[], &[])
        ));
        assert!(!hostname_matches(
            "a.b.example.com",
            &names(&["a.*.example.com"], &[], &[])
        ));
        assert!(!hostname_matches(
            "example.com",
            &names(&["*.com"], &[], &[])
        ));
    }

    #[test]
    fn ip_addresses_match_only_ip_sans() {
        let n = names(&["127.0.0.1"], &["::1"], &["127.0.0.1"]);
        assert!(!hostname_matches("127.0.0.1", &n));
        assert!(hostname_matches("::1", &n));
        assert!(hostname_matches("[::1]", &n));
        assert!(hostname_matches(
            "127.0.0.1",
            &names(&[], &["127.0.0.1"], &[])
        ));
    }

    #[test]
    fn common_name_only_without_sans() {
        assert!(hostname_matches(
            "legacy.test",
            &names(&[], &[], &["legacy.test"])
        ));
        assert!(!hostname_matches(
            "legacy.test",
            &names(&["other.test"], &[], &["legacy.test"])
        ));
        // An IP SAN alone also switches the CN off.
        assert!(!hostname_matches(
            "legacy.test",
            &names(&[], &["10.0.0.1"], &["legacy.test"])
        ));
    }

    #[test]
    fn rsa_bits_are_counted_from_the_first_set_bit() {
        let mut padded = vec![0x00, 0x80];
        padded.extend(std::iter::repeat_n(0xff, 255));
        assert_eq!(rsa_modulus_bits(&padded), 2048);
        // The same modulus without its pad byte (x509-parser would say 0 here).
        assert_eq!(rsa_modulus_bits(&padded[1..]), 2048);
        let mut odd = vec![0x01];
        odd.extend(std::iter::repeat_n(0xff, 255));
        assert_eq!(rsa_modulus_bits(&odd), 2041);
        assert_eq!(rsa_modulus_bits(&[]), 0);
        assert_eq!(rsa_modulus_bits(&[0, 0, 0]), 0);
        assert_eq!(rsa_modulus_bits(&[0, 0, 0x7f]), 7);
    }

    #[test]
    fn knowledge_file_parses_and_names_products() {
        let k: Knowledge = toml::from_str(KNOWLEDGE_TOML).unwrap();
        assert!(k.products.len() >= 15);
        assert!(k.products.iter().all(|p| !p.patterns.is_empty()));
        assert!(k.private_suffixes.iter().any(|s| s == "home.arpa"));
    }

    #[test]
    fn public_names() {
        assert!(looks_public("login.microsoftonline.com"));
        assert!(!looks_public("localhost"));
        assert!(!looks_public("intranet"));
        assert!(!looks_public("nas.home.arpa"));
        assert!(!looks_public("printer.LOCAL."));
        assert!(!looks_public("10.1.2.3"));
        assert!(!looks_public("[::1]"));
    }

    struct Ca {
        issuer: Issuer<'static, KeyPair>,
        der: Vec<u8>,
        pem: String,
    }

    fn ca(cn: &str) -> Ca {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(DnType::CommonName, cn);
        let cert = p.self_signed(&key).unwrap();
        Ca {
            issuer: Issuer::new(p, key),
            der: cert.der().to_vec(),
            pem: cert.pem(),
        }
    }

    fn leaf(ca: &Ca, names: &[&str]) -> Vec<u8> {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap();
        p.distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        p.signed_by(&key, &ca.issuer).unwrap().der().to_vec()
    }

    fn store_with(ca: &Ca, tag: &str) -> TrustStore {
        let path =
            std::env::temp_dir().join(format!("tlsprobe-cert-{tag}-{}.pem", std::process::id()));
        std::fs::write(&path, &ca.pem).unwrap();
        let t = TrustStore::with_system_store(std::slice::from_ref(&path), false, None).unwrap();
        let _ = std::fs::remove_file(&path);
        t
    }

    #[test]
    fn ec_leaf_is_described() {
        let root = ca("tlsprobe unit CA");
        let chain = vec![leaf(&root, &["server.test", "127.0.0.1"]), root.der.clone()];
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let r = inspect_chain(&chain, &trust, &InspectOptions::new("server.test", "raw"));
        let c = &r.chain[0];
        assert_eq!(c.key, "EC P-256");
        assert_eq!(c.key_bits, 256);
        assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
        assert_eq!(
            c.sans,
            vec!["server.test".to_string(), "127.0.0.1".to_string()]
        );
        assert_eq!(c.sha256.len(), 64);
        assert!(c.not_after.starts_with("4096-01-01T"), "{}", c.not_after);
        assert!(!c.is_ca && !c.self_issued);
        assert!(r.chain[1].is_ca && r.chain[1].self_issued);
        assert_eq!(r.hostname_match, Some(true));
        assert_eq!(r.trusted, Some(false));
        assert_eq!(r.trust_error.as_deref(), Some("unknown_issuer"));
        assert_eq!(r.source, "raw");
        // A private name under an unknown CA: undecidable.
        assert_eq!(r.intercepted, None);
    }

    #[test]
    fn garbage_is_reported_not_panicked_on() {
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let root = ca("tlsprobe unit CA");
        let good = leaf(&root, &["server.test"]);
        let mut cut = good.clone();
        cut.truncate(good.len() / 2);
        let chain = vec![cut, vec![0x30, 0x03, 0x02, 0x01], Vec::new()];
        let r = inspect_chain(&chain, &trust, &InspectOptions::new("server.test", "raw"));
        assert_eq!(r.chain.len(), 3);
        assert!(
            r.chain
                .iter()
                .all(|c| c.subject.starts_with("<unparseable: "))
        );
        assert_eq!(r.trusted, Some(false));
        assert_eq!(r.hostname_match, None);
        assert_eq!(r.days_left, None);
        assert_eq!(r.intercepted, None);
        // Every prefix of a real certificate, too.
        for n in 0..good.len() {
            let r = inspect_chain(
                &[good[..n].to_vec()],
                &trust,
                &InspectOptions::new("server.test", "raw"),
            );
            assert_eq!(r.chain.len(), 1);
        }
        let r = inspect_chain(&[], &trust, &InspectOptions::new("server.test", "raw"));
        assert_eq!(r.trusted, Some(false));
        assert!(r.chain.is_empty());
    }

    #[test]
    fn days_left_is_floored() {
        let root = ca("tlsprobe unit CA");
        let chain = vec![leaf(&root, &["server.test"])];
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let mut o = InspectOptions::new("server.test", "raw");
        // rcgen's default not_after is 4096-01-01T00:00:00Z: judge an hour before and after it.
        let end = OffsetDateTime::new_utc(
            ::time::Date::from_calendar_date(4096, ::time::Month::January, 1).unwrap(),
            ::time::Time::MIDNIGHT,
        )
        .unix_timestamp();
        o.now = UNIX_EPOCH + Duration::from_secs(u64::try_from(end - 3600).unwrap());
        assert_eq!(inspect_chain(&chain, &trust, &o).days_left, Some(0));
        o.now = UNIX_EPOCH + Duration::from_secs(u64::try_from(end + 3600).unwrap());
        let r = inspect_chain(&chain, &trust, &o);
        assert_eq!(r.days_left, Some(-1));
        assert_eq!(r.chain_days_left, Some(-1));
    }

    #[test]
    fn ca_file_root_for_a_public_name_is_interception() {
        let inspect = ca("Corp Inspection CA");
        let chain = vec![leaf(&inspect, &["login.microsoftonline.com"])];
        let trust = store_with(&inspect, "icpt");
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("login.microsoftonline.com", "rustls"),
        );
        assert_eq!(r.trusted, Some(true));
        assert_eq!(r.intercepted, Some(true), "{:?}", r.interception_evidence);
        assert!(r.interception_evidence[0].contains("--ca-file"));
        // The same CA for a private name is normal.
        let chain = vec![leaf(&inspect, &["server.internal"])];
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("server.internal", "rustls"),
        );
        assert_eq!(r.trusted, Some(true));
        assert_eq!(r.intercepted, None);
    }

    #[test]
    fn product_names_and_expected_roots_reveal_interception() {
        let z = ca("Zscaler Root CA");
        let chain = vec![leaf(&z, &["login.microsoftonline.com"])];
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("login.microsoftonline.com", "rustls"),
        );
        assert_eq!(r.intercepted, Some(true));
        assert!(
            r.interception_evidence[0].contains("Zscaler"),
            "{:?}",
            r.interception_evidence
        );

        let other = ca("Unnamed Box CA");
        let chain = vec![leaf(&other, &["login.microsoftonline.com"])];
        let mut o = InspectOptions::new("login.microsoftonline.com", "rustls");
        let r = inspect_chain(&chain, &trust, &o);
        assert_eq!(r.intercepted, None);
        let expected = [
            "DigiCert Global Root G2",
            "Microsoft RSA Root Certificate Authority 2017",
        ];
        o.expected_roots = &expected;
        let r = inspect_chain(&chain, &trust, &o);
        assert_eq!(r.intercepted, Some(true));
        assert!(r.interception_evidence[0].contains("Unnamed Box CA"));
        let fine = ["unnamed box"];
        o.expected_roots = &fine;
        assert_eq!(inspect_chain(&chain, &trust, &o).intercepted, None);
    }

    #[test]
    fn system_store_root_counts_like_a_ca_file() {
        let corp = ca("Corp Root");
        let path =
            std::env::temp_dir().join(format!("tlsprobe-cert-sys-{}.pem", std::process::id()));
        std::fs::write(&path, &corp.pem).unwrap();
        let trust = TrustStore::with_system_store(&[], false, Some(&path)).unwrap();
        let _ = std::fs::remove_file(&path);
        let chain = vec![leaf(&corp, &["management.azure.com"])];
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("management.azure.com", "rustls"),
        );
        // The system bundle does not make it trusted, but it does reveal the local root.
        assert_eq!(r.trusted, Some(false));
        assert_eq!(r.intercepted, Some(true));
        assert!(r.interception_evidence[0].contains("system CA bundle"));
    }

    #[test]
    fn leaf_ca_and_self_signed_are_told_apart() {
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let ss = rcgen::generate_simple_self_signed(vec!["self.test".to_string()]).unwrap();
        let r = inspect_chain(
            &[ss.cert.der().to_vec()],
            &trust,
            &InspectOptions::new("self.test", "raw"),
        );
        assert_eq!(r.trust_error.as_deref(), Some("self_signed"));
        // A self-signed CA certificate used as the server certificate (as `openssl req -x509` makes).
        let root = ca("root.test");
        let r = inspect_chain(
            std::slice::from_ref(&root.der),
            &trust,
            &InspectOptions::new("root.test", "raw"),
        );
        assert_eq!(
            r.trust_error.as_deref(),
            Some("self_signed"),
            "{:?}",
            r.trust_detail
        );
    }
}
