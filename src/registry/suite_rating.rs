//! The rating of a suite as a report names it: one lookup over both tables (TLS cipher suites by
//! IANA or OpenSSL name, SSL 2.0 cipher kinds by specification or OpenSSL name), so everything
//! that judges a suite uses the same [`Security`] as `tlsprobe ciphers` prints.

use super::Security;
use super::cipher_suites::{SuiteInfo, by_name};
use super::ssl2::SSL2_CIPHERS;

/// What the registry says about one named suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuiteRating {
    /// The registry's rating.
    pub security: Security,
    /// Whether a primitive of the suite is obsolete on its own: 3DES or IDEA (64-bit blocks) or
    /// an MD5 record MAC. Narrower than [`Security::Weak`], which also covers CBC with HMAC and
    /// suites without forward secrecy.
    pub obsolete_primitive: bool,
}

impl SuiteInfo {
    /// See [`SuiteRating::obsolete_primitive`].
    pub fn obsolete_primitive(&self) -> bool {
        self.enc.starts_with("3DES") || self.enc.starts_with("IDEA") || self.mac == "MD5"
    }
}

/// The rating of a suite named `name`; `None` for a name neither table knows (e.g. `0xC0FF`).
pub fn rate_suite(name: &str) -> Option<SuiteRating> {
    if let Some(s) = by_name(name) {
        return Some(SuiteRating {
            security: s.security,
            obsolete_primitive: s.obsolete_primitive(),
        });
    }
    let name = name.trim();
    SSL2_CIPHERS
        .iter()
        .find(|c| {
            c.name.eq_ignore_ascii_case(name)
                || c.openssl.is_some_and(|o| o.eq_ignore_ascii_case(name))
        })
        .map(|c| SuiteRating {
            security: c.security,
            obsolete_primitive: true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables() {
        let r = rate_suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA").unwrap();
        assert_eq!((r.security, r.obsolete_primitive), (Security::Weak, true));
        let r = rate_suite("ECDHE-RSA-AES128-SHA").unwrap();
        assert_eq!((r.security, r.obsolete_primitive), (Security::Weak, false));
        let r = rate_suite("SSL_CK_IDEA_128_CBC_WITH_MD5").unwrap();
        assert_eq!(r.security, Security::Insecure);
        assert_eq!(rate_suite("0xC0FF"), None);
    }
}
