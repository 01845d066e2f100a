//! Interception: whether a TLS-inspecting middlebox re-signed the certificate chain a server
//! appeared to present. The probe observes where the chain leads
//! ([`crate::model::ChainObservation`]); the rules below turn that into the report's
//! `intercepted` verdict and its `interception_evidence`, with the product names and private
//! suffixes of `data/interception.toml` (parsed with the rest of the knowledge base, [`kb`]).
//!
//! In order:
//! 1. anchored in the public roots (`webpki-roots`) → `Some(false)`. A public CA does not issue
//!    certificates to inspection boxes, so this wins over every other clue;
//! 2. an issuer name (or the subject of the chain's last certificate) contains a pattern of a
//!    known inspection product → `Some(true)`;
//! 3. anchored only in a `--ca-file` root or a root of the system bundle, while the name looks
//!    public (not an IP address, and not `localhost` or under a private suffix) → `Some(true)`:
//!    something local vouches for a public name;
//! 4. the run named the roots it expects (e.g. those of a service catalogue,
//!    [`crate::model::ChainObservation::expected_roots`]) and no issuer of the chain is one of them → `Some(true)`;
//! 5. the run named expected roots, an issuer of the chain is one of them and the chain leads
//!    to a `--ca-file` or system root → `Some(false)`;
//! 6. otherwise `None`: e.g. a private name under a private CA, or a public name whose chain
//!    leads nowhere (a broken server and an unknown middlebox look the same).
//!
//! Every verdict comes with evidence saying which rule decided. This module does no I/O and
//! verifies nothing itself.

use serde::Deserialize;

use super::kb::kb;
use crate::model::{CertInfo, CertificateReport};

/// `data/interception.toml`: what reveals a TLS-inspection product.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interception {
    /// Names equal to or under one of these labels are private: a private CA is normal there.
    pub private_suffixes: Vec<String>,
    /// TLS-inspection products.
    #[serde(rename = "product")]
    pub products: Vec<Product>,
}

/// One TLS-inspection product and the issuer-name fragments it uses.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product name, as evidence shows it.
    pub name: String,
    /// Case-insensitive substrings of an issuer distinguished name.
    pub patterns: Vec<String>,
}

impl Interception {
    /// What the rules cannot work with: an empty pattern or suffix would match every name.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if let Some(s) = self.private_suffixes.iter().find(|s| s.trim().is_empty()) {
            return Err(format!("private_suffixes: empty entry {s:?}"));
        }
        for p in &self.products {
            if p.name.trim().is_empty() {
                return Err("[[product]] without a name".into());
            }
            if p.patterns.is_empty() || p.patterns.iter().any(|x| x.trim().is_empty()) {
                return Err(format!(
                    "product {:?}: empty pattern list or pattern",
                    p.name
                ));
            }
        }
        Ok(())
    }
}

/// Fills `intercepted` and `interception_evidence` of one certificate report.
pub fn judge_certificate(cert: &mut CertificateReport) {
    let (verdict, evidence) = judge(cert);
    cert.intercepted = verdict;
    cert.interception_evidence = evidence;
}

/// The verdict on one chain and the evidence for it (see the module docs).
pub fn judge(cert: &CertificateReport) -> (Option<bool>, Vec<String>) {
    let a = &cert.observed;
    let expected_roots = &a.expected_roots;
    let mut evidence = Vec::new();
    if cert.chain.is_empty() {
        evidence.push("no certificate to judge".into());
        return (None, evidence);
    }
    let decoded: Vec<(usize, &CertInfo)> = cert
        .chain
        .iter()
        .enumerate()
        .filter(|(i, _)| a.decoded.get(*i) == Some(&true))
        .collect();
    if decoded.is_empty() {
        evidence.push("no certificate of the chain could be decoded".into());
        return (None, evidence);
    }
    let top = decoded.last().map(|(_, c)| *c);
    let top_issuer = top.map_or("?", |c| c.issuer.as_str());
    let issuers: Vec<&str> = decoded.iter().map(|(_, c)| c.issuer.as_str()).collect();
    let expected_missing =
        !expected_roots.is_empty() && !issuers.iter().any(|i| names_expected(i, expected_roots));

    // Rule 1: a public root settles it.
    if a.public == Some(true) {
        evidence.push("the chain leads to a public root (webpki-roots)".into());
        if expected_missing {
            evidence.push(format!(
                "it ends in {top_issuer:?}, which is none of the expected roots [{}]",
                expected_roots.join(", ")
            ));
        }
        return (Some(false), evidence);
    }

    // Rule 2: an inspection product's name in an issuer.
    let mut names: Vec<(usize, &str)> = decoded
        .iter()
        .map(|(i, c)| (*i, c.issuer.as_str()))
        .collect();
    if let Some(c) = top {
        names.push((cert.chain.len().saturating_sub(1), c.subject.as_str()));
    }
    for product in &kb().interception.products {
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
    let local: Vec<&str> = [(a.ca_file, "--ca-file"), (a.system, "the system CA bundle")]
        .into_iter()
        .filter(|(anchored, _)| *anchored == Some(true))
        .map(|(_, what)| what)
        .collect();
    if !local.is_empty() && looks_public(&a.name) {
        evidence.push(format!(
            "the chain leads to a root from {} ({top_issuer:?}) but to no public root, for the public name {:?}",
            local.join(" and "),
            a.name
        ));
        return (Some(true), evidence);
    }

    // Rule 4: the caller's expected roots.
    if expected_missing {
        evidence.push(format!(
            "the chain ends in {top_issuer:?}, none of the expected roots [{}]",
            expected_roots.join(", ")
        ));
        return (Some(true), evidence);
    }

    // Rule 5: the chain names an expected root and leads to a root configured here.
    if !expected_roots.is_empty() && !local.is_empty() {
        evidence.push(format!(
            "the chain ends in {top_issuer:?}, one of the expected roots, and leads to a root from {}",
            local.join(" and ")
        ));
        return (Some(false), evidence);
    }

    // Rule 6: undecidable.
    evidence.push(if !local.is_empty() {
        format!(
            "the chain leads to a root from {}; {:?} is a private name, for which a private CA is normal",
            local.join(" and "),
            a.name
        )
    } else {
        "the chain leads to no known root: a misconfigured server and an unknown middlebox look alike"
            .into()
    });
    (None, evidence)
}

/// Whether a name looks like one on the public Internet: not an IP address, has a dot, and is
/// not under a private suffix of `data/interception.toml`.
pub fn looks_public(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return false;
    }
    let host = bare.strip_suffix('.').unwrap_or(bare).to_ascii_lowercase();
    if !host.contains('.') {
        return false;
    }
    !kb()
        .interception
        .private_suffixes
        .iter()
        .map(|s| s.to_ascii_lowercase())
        .any(|s| host == s || host.ends_with(&format!(".{s}")))
}

fn names_expected(issuer: &str, expected: &[String]) -> bool {
    let issuer = issuer.to_ascii_lowercase();
    expected
        .iter()
        .any(|e| !e.is_empty() && issuer.contains(&e.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ChainObservation;

    fn info(subject: &str, issuer: &str) -> CertInfo {
        CertInfo {
            subject: subject.into(),
            issuer: issuer.into(),
            sans: vec![],
            serial: "01".into(),
            not_before: "2025-01-01T00:00:00Z".into(),
            not_after: "2027-01-01T00:00:00Z".into(),
            key: "EC P-256".into(),
            key_bits: 256,
            signature_algorithm: "ecdsa-with-SHA256".into(),
            sha256: "00".into(),
            is_ca: false,
            self_issued: false,
        }
    }

    /// A one-certificate chain for `name` issued by `issuer`, anchored as given.
    fn cert(name: &str, issuer: &str, anchoring: [Option<bool>; 3]) -> CertificateReport {
        CertificateReport {
            chain: vec![info(&format!("CN={name}"), issuer)],
            trusted: None,
            trust_error: None,
            trust_detail: None,
            hostname_match: Some(true),
            days_left: Some(100),
            chain_days_left: None,
            ocsp_stapled: false,
            intercepted: None,
            interception_evidence: vec![],
            source: "rustls",
            observed: ChainObservation {
                name: name.into(),
                sni_sent: true,
                expected_roots: vec![],
                problem: None,
                decoded: vec![true],
                public: anchoring[0],
                ca_file: anchoring[1],
                system: anchoring[2],
            },
        }
    }

    fn with_expected(c: &CertificateReport, roots: &[&str]) -> CertificateReport {
        let mut c = c.clone();
        c.observed.expected_roots = roots.iter().map(|r| r.to_string()).collect();
        c
    }

    const PUBLIC: &str = "login.microsoftonline.com";

    #[test]
    fn data_file_names_products_and_private_suffixes() {
        let k = &kb().interception;
        assert!(k.products.len() >= 15);
        assert!(k.private_suffixes.iter().any(|s| s == "home.arpa"));
        assert!(k.validate().is_ok());
    }

    #[test]
    fn empty_patterns_are_rejected() {
        let bad: Interception = toml::from_str(
            "private_suffixes = [\"lan\"]\n[[product]]\nname = \"X\"\npatterns = [\"\"]\n",
        )
        .unwrap();
        assert!(bad.validate().unwrap_err().contains("\"X\""));
        let unknown = toml::from_str::<Interception>("private_suffixes = []\nproducts = []\n");
        assert!(unknown.is_err(), "unknown fields are errors");
    }

    #[test]
    fn public_names() {
        assert!(looks_public(PUBLIC));
        assert!(!looks_public("localhost"));
        assert!(!looks_public("intranet"));
        assert!(!looks_public("nas.home.arpa"));
        assert!(!looks_public("printer.LOCAL."));
        assert!(!looks_public("10.1.2.3"));
        assert!(!looks_public("[::1]"));
    }

    #[test]
    fn public_root_wins() {
        let c = cert(
            PUBLIC,
            "CN=Zscaler Intermediate",
            [Some(true), Some(true), None],
        );
        let (v, e) = judge(&c);
        assert_eq!(v, Some(false));
        assert_eq!(e, vec!["the chain leads to a public root (webpki-roots)"]);
        let (v, e) = judge(&with_expected(&c, &["DigiCert Global Root G2"]));
        assert_eq!(v, Some(false));
        assert!(e[1].contains("none of the expected roots"), "{e:?}");
    }

    #[test]
    fn product_names_reveal_interception() {
        let c = cert(PUBLIC, "CN=Zscaler Root CA", [Some(false), None, None]);
        let (v, e) = judge(&c);
        assert_eq!(v, Some(true));
        assert!(e[0].contains("Zscaler"), "{e:?}");
        assert!(e[0].starts_with("certificate #0 names"), "{e:?}");
    }

    #[test]
    fn ca_file_root_for_a_public_name_is_interception() {
        let c = cert(
            PUBLIC,
            "CN=Corp Inspection CA",
            [Some(false), Some(true), None],
        );
        let (v, e) = judge(&c);
        assert_eq!(v, Some(true), "{e:?}");
        assert!(e[0].contains("--ca-file"));
        // The same CA for a private name is normal.
        let c = cert(
            "server.internal",
            "CN=Corp Inspection CA",
            [Some(false), Some(true), None],
        );
        let (v, e) = judge(&c);
        assert_eq!(v, None);
        assert!(e[0].contains("private name"), "{e:?}");
    }

    #[test]
    fn system_store_root_counts_like_a_ca_file() {
        let c = cert(
            "management.azure.com",
            "CN=Corp Root",
            [Some(false), None, Some(true)],
        );
        let (v, e) = judge(&c);
        assert_eq!(v, Some(true));
        assert!(e[0].contains("system CA bundle"), "{e:?}");
    }

    #[test]
    fn expected_roots_decide_when_nothing_else_does() {
        let c = cert(PUBLIC, "CN=Unnamed Box CA", [Some(false), None, None]);
        assert_eq!(judge(&c).0, None);
        let expected = [
            "DigiCert Global Root G2",
            "Microsoft RSA Root Certificate Authority 2017",
        ];
        let (v, e) = judge(&with_expected(&c, &expected));
        assert_eq!(v, Some(true));
        assert!(e[0].contains("Unnamed Box CA"));
        assert_eq!(judge(&with_expected(&c, &["unnamed box"])).0, None);
    }

    #[test]
    fn nothing_to_judge() {
        let mut c = cert(PUBLIC, "CN=x", [None, None, None]);
        c.observed.decoded = vec![false];
        assert_eq!(
            judge(&c),
            (
                None,
                vec!["no certificate of the chain could be decoded".to_string()]
            )
        );
        c.chain.clear();
        assert_eq!(
            judge(&c),
            (None, vec!["no certificate to judge".to_string()])
        );
    }

    #[test]
    fn judge_report_fills_every_endpoint() {
        let mut c = cert(PUBLIC, "CN=Zscaler Root CA", [Some(false), None, None]);
        judge_certificate(&mut c);
        assert_eq!(c.intercepted, Some(true));
        assert!(!c.interception_evidence.is_empty());
    }
}
