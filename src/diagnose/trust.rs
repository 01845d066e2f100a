//! The words of `trust_detail`: what the probe observed about a failed verification
//! ([`crate::model::TrustProblem`]) said as one sentence naming the certificates involved.
//!
//! This module does not verify anything (that is the probe, with webpki) and does not decide
//! severity (that is the rules in [`super::engine`]).

use crate::model::{CertificateReport, TrustProblem};

/// Signature algorithms the verifier accepts, as the certificate decoder names them.
const SUPPORTED_SIGNATURES: &[&str] = &[
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

/// The `trust_detail` sentence for a certificate report, `None` when nothing went wrong.
pub fn trust_detail(cert: &CertificateReport) -> Option<String> {
    let obs = &cert.observed;
    let chain = &cert.chain;
    let subject = |i: usize| chain.get(i).map_or("?", |c| c.subject.as_str());
    Some(match obs.problem.as_ref()? {
        TrustProblem::NoCertificate => "the server sent no certificate".into(),
        TrustProblem::UnverifiableName => format!(
            "not verified: {:?} is neither a DNS name nor an IP address",
            obs.name
        ),
        TrustProblem::Expired { certs, verifier } => {
            let which: Vec<String> = certs
                .iter()
                .filter_map(|&i| chain.get(i).map(|c| (i, c)))
                .map(|(i, c)| format!("#{i} {:?} expired {}", c.subject, c.not_after))
                .collect();
            list_or(&which, verifier)
        }
        TrustProblem::NotYetValid { certs, verifier } => {
            let which: Vec<String> = certs
                .iter()
                .filter_map(|&i| chain.get(i).map(|c| (i, c)))
                .map(|(i, c)| format!("#{i} {:?} valid from {}", c.subject, c.not_before))
                .collect();
            list_or(&which, verifier)
        }
        TrustProblem::SelfSignedLeaf => format!(
            "the leaf {:?} is signed by itself and is not a trust anchor",
            subject(0)
        ),
        TrustProblem::SelfSignedCaLeaf => format!(
            "the leaf {:?} is a self-signed CA certificate used as a server certificate",
            subject(0)
        ),
        TrustProblem::CaAsLeaf => format!("the leaf {:?} is a CA certificate", subject(0)),
        TrustProblem::EndEntityAsCa => "a certificate without CA rights issued another one".into(),
        TrustProblem::UnknownIssuer => match chain.last() {
            Some(c) if !c.self_issued => format!(
                "incomplete chain or unknown CA: the issuer {:?} of the last certificate sent \
                 (#{}) was not sent and is not in the trust store",
                c.issuer,
                chain.len() - 1
            ),
            Some(c) => format!(
                "the chain ends in root {:?}, which is not in the trust store",
                c.subject
            ),
            None => "the issuer of the chain is unknown".into(),
        },
        TrustProblem::NameMismatch => {
            let sans = chain.first().map(|c| c.sans.join(", ")).unwrap_or_default();
            let mut detail = format!(
                "the leaf is not valid for {:?}; it names [{sans}]",
                obs.name
            );
            if !obs.sni_sent {
                detail
                    .push_str("; no SNI was sent, so the server returned its default certificate");
            }
            detail
        }
        TrustProblem::UnsupportedAlgorithm => {
            let odd: Vec<String> = chain
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    obs.decoded.get(*i) == Some(&true)
                        && !SUPPORTED_SIGNATURES.contains(&c.signature_algorithm.as_str())
                })
                .map(|(_, c)| format!("{:?} is signed with {}", c.subject, c.signature_algorithm))
                .collect();
            if odd.is_empty() {
                "a certificate of the chain uses a signature algorithm the verifier does not accept"
                    .into()
            } else {
                format!("unsupported signature algorithm: {}", odd.join("; "))
            }
        }
        TrustProblem::UnsupportedVersion => "a certificate has an unsupported X.509 version".into(),
        TrustProblem::Verifier(message) => message.clone(),
    })
}

fn list_or(items: &[String], fallback: &str) -> String {
    if items.is_empty() {
        fallback.to_string()
    } else {
        items.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertInfo, ChainObservation};

    fn info(subject: &str, issuer: &str, self_issued: bool) -> CertInfo {
        CertInfo {
            subject: subject.into(),
            issuer: issuer.into(),
            sans: vec!["a.example".into(), "b.example".into()],
            serial: "01".into(),
            not_before: "2030-01-01T00:00:00Z".into(),
            not_after: "2001-01-01T00:00:00Z".into(),
            key: "RSA 2048".into(),
            key_bits: 2048,
            signature_algorithm: "sha1WithRSAEncryption".into(),
            sha256: "00".into(),
            is_ca: false,
            self_issued,
        }
    }

    fn report(chain: Vec<CertInfo>, problem: TrustProblem, sni_sent: bool) -> CertificateReport {
        CertificateReport {
            observed: ChainObservation {
                name: "c.example".into(),
                sni_sent,
                decoded: vec![true; chain.len()],
                problem: Some(problem),
                ..ChainObservation::default()
            },
            chain,
            trusted: Some(false),
            trust_error: None,
            trust_detail: None,
            hostname_match: None,
            days_left: None,
            chain_days_left: None,
            ocsp_stapled: false,
            intercepted: None,
            interception_evidence: vec![],
            source: "raw",
        }
    }

    fn detail(chain: Vec<CertInfo>, problem: TrustProblem, sni_sent: bool) -> String {
        trust_detail(&report(chain, problem, sni_sent)).unwrap_or_default()
    }

    #[test]
    fn sentences_name_the_certificates() {
        let leaf = || info("CN=leaf", "CN=Mid", false);
        let mid = || info("CN=Mid", "CN=Root", false);
        let exp = TrustProblem::Expired {
            certs: vec![1],
            verifier: "expired".into(),
        };
        assert_eq!(
            detail(vec![leaf(), mid()], exp, true),
            "#1 \"CN=Mid\" expired 2001-01-01T00:00:00Z"
        );
        let none = TrustProblem::NotYetValid {
            certs: vec![],
            verifier: "not valid yet".into(),
        };
        assert_eq!(detail(vec![leaf()], none, true), "not valid yet");
        assert_eq!(
            detail(vec![leaf(), mid()], TrustProblem::UnknownIssuer, true),
            "incomplete chain or unknown CA: the issuer \"CN=Root\" of the last certificate sent \
             (#1) was not sent and is not in the trust store"
        );
        let root = info("CN=Root", "CN=Root", true);
        assert!(
            detail(vec![leaf(), root], TrustProblem::UnknownIssuer, true).contains("ends in root")
        );
        assert_eq!(
            detail(vec![leaf()], TrustProblem::NameMismatch, false),
            "the leaf is not valid for \"c.example\"; it names [a.example, b.example]; no SNI was \
             sent, so the server returned its default certificate"
        );
        assert_eq!(
            detail(vec![leaf()], TrustProblem::UnsupportedAlgorithm, true),
            "unsupported signature algorithm: \"CN=leaf\" is signed with sha1WithRSAEncryption"
        );
        assert_eq!(
            detail(vec![], TrustProblem::UnverifiableName, true),
            "not verified: \"c.example\" is neither a DNS name nor an IP address"
        );
        assert_eq!(
            detail(vec![leaf()], TrustProblem::Verifier("x".into()), true),
            "x"
        );
    }

    #[test]
    fn trusted_chains_have_no_detail() {
        let mut r = report(vec![], TrustProblem::NoCertificate, true);
        r.observed.problem = None;
        assert_eq!(trust_detail(&r), None);
    }
}
