//! Certificate chain inspection: what each certificate says, whether the chain is trusted (and if
//! not, why, as a stable code and a [`TrustProblem`]), whether it is valid for the name asked
//! for, when it expires, and where it leads. These are observations; the sentences of
//! `trust_detail` and the interception verdict (`intercepted`) are `diagnose`'s, made from
//! [`CertificateReport::observed`].
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
//! # Anchoring (input of the interception judgment)
//! A chain is *anchored* in an anchor set when webpki finds a path from it to one of that set's
//! roots; validity times and the name are ignored for this question (the chain is checked both
//! now and in the middle of the leaf's validity, and a name mismatch still counts as anchored).
//! The answer per set (public roots, `--ca-file`, system bundle) goes into
//! [`ChainObservation`]; whether that means a middlebox re-signed the chain is decided by
//! `diagnose` (its interception rules and `data/interception.toml`), not here.
//!
//! This module does no I/O and does not fetch anything (no AIA chasing, no OCSP or CRL queries):
//! an incomplete chain is reported as such.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::time::OffsetDateTime;
use ::time::format_description::well_known::Rfc3339;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, Error as TlsError};
use x509_parser::objects::{oid_registry, oid2sn};
use x509_parser::oid_registry::{
    OID_EC_P256, OID_NIST_EC_P384, OID_NIST_EC_P521, OID_SIG_ED448, OID_SIG_ED25519,
};
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use crate::model::{CertInfo, CertificateReport, ChainObservation, TrustProblem};
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
    /// Names of the roots the run expects the chain to end in (e.g. a service catalogue's),
    /// copied into [`ChainObservation::expected_roots`]; empty when there is no expectation.
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
        observed: ChainObservation {
            name: opts.host.to_string(),
            sni_sent: opts.sni_sent,
            expected_roots: opts.expected_roots.iter().map(|r| r.to_string()).collect(),
            ..ChainObservation::default()
        },
    };

    let Some(leaf) = parsed.first() else {
        report.trusted = Some(false);
        report.trust_error = Some("other".into());
        report.observed.problem = Some(TrustProblem::NoCertificate);
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
                let (code, problem) = trust_problem(&e, &parsed, now);
                report.trusted = Some(false);
                report.trust_error = Some(code.into());
                report.observed.problem = Some(problem);
            }
            None => {}
        },
        None => report.observed.problem = Some(TrustProblem::UnverifiableName),
    }

    report.observed.decoded = parsed.iter().map(|p| p.decoded).collect();
    report.observed.public = anchored(trust, Anchors::Public, &ders, &parsed, now);
    report.observed.ca_file = anchored(trust, Anchors::CaFile, &ders, &parsed, now);
    report.observed.system = anchored(trust, Anchors::System, &ders, &parsed, now);
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

/// Maps a webpki verdict to a stable `trust_error` code and the facts behind it (worded into
/// `trust_detail` by `diagnose`).
fn trust_problem(err: &TlsError, parsed: &[Parsed], now: i64) -> (&'static str, TrustProblem) {
    let leaf_self_signed = parsed.first().is_some_and(|p| p.info.self_issued);
    let raw = err.to_string();
    let TlsError::InvalidCertificate(ce) = err else {
        return ("other", TrustProblem::Verifier(raw));
    };
    let indices = |f: &dyn Fn(&Parsed) -> bool| -> Vec<usize> {
        parsed
            .iter()
            .enumerate()
            .filter(|(_, p)| f(p))
            .map(|(i, _)| i)
            .collect()
    };
    #[allow(deprecated)]
    match ce {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
            "expired",
            TrustProblem::Expired {
                certs: indices(&|p| p.not_after.is_some_and(|t| t < now)),
                verifier: raw,
            },
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
            "not_yet_valid",
            TrustProblem::NotYetValid {
                certs: indices(&|p| p.not_before.is_some_and(|t| t > now)),
                verifier: raw,
            },
        ),
        CertificateError::UnknownIssuer if leaf_self_signed => {
            ("self_signed", TrustProblem::SelfSignedLeaf)
        }
        CertificateError::UnknownIssuer => ("unknown_issuer", TrustProblem::UnknownIssuer),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            ("name_mismatch", TrustProblem::NameMismatch)
        }
        CertificateError::BadSignature => ("bad_signature", TrustProblem::Verifier(raw)),
        CertificateError::UnsupportedSignatureAlgorithm
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            ("unsupported_algorithm", TrustProblem::UnsupportedAlgorithm)
        }
        CertificateError::Revoked => ("revoked", TrustProblem::Verifier(raw)),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            ("invalid_purpose", TrustProblem::Verifier(raw))
        }
        CertificateError::Other(other) => {
            // webpki errors without a rustls equivalent arrive here; their Debug is the variant.
            let inner = format!("{:?}", other.0);
            if inner.contains("CaUsedAsEndEntity") {
                if leaf_self_signed {
                    ("self_signed", TrustProblem::SelfSignedCaLeaf)
                } else {
                    ("invalid_purpose", TrustProblem::CaAsLeaf)
                }
            } else if inner.contains("EndEntityUsedAsCa") {
                ("invalid_purpose", TrustProblem::EndEntityAsCa)
            } else if inner.contains("UnsupportedSignatureAlgorithm") {
                ("unsupported_algorithm", TrustProblem::UnsupportedAlgorithm)
            } else if inner.contains("UnsupportedCertVersion") {
                ("unsupported_algorithm", TrustProblem::UnsupportedVersion)
            } else {
                ("other", TrustProblem::Verifier(inner))
            }
        }
        _ => ("other", TrustProblem::Verifier(raw)),
    }
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
    fn ca_file_root_is_seen_as_the_anchor() {
        let inspect = ca("Corp Inspection CA");
        let chain = vec![leaf(&inspect, &["login.microsoftonline.com"])];
        let trust = store_with(&inspect, "icpt");
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("login.microsoftonline.com", "rustls"),
        );
        assert_eq!(r.trusted, Some(true));
        assert_eq!(
            r.observed,
            ChainObservation {
                name: "login.microsoftonline.com".into(),
                sni_sent: true,
                expected_roots: vec![],
                problem: None,
                decoded: vec![true],
                public: Some(false),
                ca_file: Some(true),
                system: None,
            }
        );
        // Probes do not judge: the verdict is diagnose's.
        assert_eq!(r.intercepted, None);
        assert!(r.interception_evidence.is_empty());
    }

    #[test]
    fn unknown_root_leads_nowhere() {
        let z = ca("Zscaler Root CA");
        let chain = vec![leaf(&z, &["login.microsoftonline.com"]), b"junk".to_vec()];
        let trust = TrustStore::with_system_store(&[], false, None).unwrap();
        let r = inspect_chain(
            &chain,
            &trust,
            &InspectOptions::new("login.microsoftonline.com", "rustls"),
        );
        assert_eq!(r.observed.decoded, vec![true, false]);
        let r = inspect_chain(
            &chain[..1],
            &trust,
            &InspectOptions::new("login.microsoftonline.com", "rustls"),
        );
        assert_eq!(r.trust_error.as_deref(), Some("unknown_issuer"));
        assert_eq!(r.observed.problem, Some(TrustProblem::UnknownIssuer));
        assert_eq!(r.trust_detail, None, "worded by diagnose");
        assert_eq!(
            (r.observed.public, r.observed.ca_file, r.observed.system),
            (Some(false), None, None)
        );
        let none = inspect_chain(&[], &trust, &InspectOptions::new("a.example", "raw"));
        assert_eq!(none.observed.name, "a.example");
        assert_eq!(none.observed.problem, Some(TrustProblem::NoCertificate));
        assert!(none.observed.decoded.is_empty());
    }

    #[test]
    fn system_store_root_is_seen_as_the_anchor() {
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
        assert_eq!(r.observed.system, Some(true));
        assert_eq!(r.observed.public, Some(false));
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
