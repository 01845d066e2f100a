//! Which cipher suites are worth a finding, from the registry's one rating
//! ([`crate::registry::rate_suite`]).
//!
//! This module rates nothing itself: it maps the registry's verdict onto the two findings.
//! `insecure-cipher-suite` is the registry's `insecure`; `weak-cipher-suite` is narrower than the
//! registry's `weak` (which also covers every CBC and non-forward-secret suite): only a suite with
//! an obsolete primitive of its own (3DES, IDEA, an MD5 MAC) is worth a finding.

use crate::registry::{Security, rate_suite};

/// The finding tier of a cipher suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SuiteSecurity {
    /// Nothing worth a finding (or a name the registry does not know).
    Acceptable,
    /// Works but should go (3DES, IDEA, MD5 MACs).
    Weak,
    /// Broken: no encryption, no authentication, export-grade, RC4, single DES, SSL 2.0.
    Insecure,
}

/// The tier of a suite named in a report (IANA, OpenSSL or SSL 2.0 name), e.g.
/// `TLS_RSA_WITH_RC4_128_SHA` → insecure.
pub fn suite_security(name: &str) -> SuiteSecurity {
    match rate_suite(name) {
        Some(r) if r.security == Security::Insecure => SuiteSecurity::Insecure,
        Some(r) if r.obsolete_primitive => SuiteSecurity::Weak,
        _ => SuiteSecurity::Acceptable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_follow_the_registry() {
        use SuiteSecurity::*;
        for (name, want) in [
            ("TLS_NULL_WITH_NULL_NULL", Insecure),
            ("TLS_RSA_WITH_NULL_SHA256", Insecure),
            ("TLS_DH_anon_WITH_AES_128_CBC_SHA", Insecure),
            ("TLS_ECDH_anon_WITH_AES_256_CBC_SHA", Insecure),
            ("TLS_RSA_EXPORT_WITH_RC4_40_MD5", Insecure),
            ("TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA", Insecure),
            ("TLS_RSA_WITH_RC4_128_SHA", Insecure),
            ("TLS_RSA_WITH_RC4_128_MD5", Insecure),
            ("TLS_RSA_WITH_DES_CBC_SHA", Insecure),
            ("TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", Insecure),
            ("SSL_CK_RC4_128_WITH_MD5", Insecure),
            ("SSL_CK_DES_192_EDE3_CBC_WITH_MD5", Insecure),
            ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", Weak),
            ("DES-CBC3-SHA", Weak),
            ("TLS_RSA_WITH_IDEA_CBC_SHA", Weak),
            ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Acceptable),
            ("TLS_AES_128_GCM_SHA256", Acceptable),
            ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Acceptable),
            ("TLS_CHACHA20_POLY1305_SHA256", Acceptable),
            ("0xC0FF", Acceptable),
        ] {
            assert_eq!(suite_security(name), want, "{name}");
        }
    }
}
