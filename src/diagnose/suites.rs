//! The one place where diagnosis decides whether a cipher suite is acceptable.
//!
//! It classifies by IANA name patterns only; it does not know code points, key sizes or
//! which versions a suite belongs to (that is the IANA registry in `crate::registry`).

/// How acceptable a cipher suite is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SuiteSecurity {
    /// Nothing known against it.
    Acceptable,
    /// Works but should go (3DES, IDEA, MD5 MACs).
    Weak,
    /// Broken: no encryption, no authentication, export-grade, RC4 or single DES.
    Insecure,
}

/// Classifies a suite by its IANA name, e.g. `TLS_RSA_WITH_RC4_128_SHA` → insecure.
///
/// The registry's rating decides what is insecure; "weak" here is narrower than the registry's
/// (which calls every CBC or non-forward-secret suite weak): only suites with a broken
/// primitive (3DES, IDEA, MD5) are worth a finding on their own. Names the registry does not
/// know are classified by their tokens.
pub fn suite_security(iana_name: &str) -> SuiteSecurity {
    if crate::registry::by_name(iana_name)
        .is_some_and(|s| s.security == crate::registry::Security::Insecure)
    {
        return SuiteSecurity::Insecure;
    }
    let upper = iana_name.to_ascii_uppercase();
    let tokens: Vec<&str> = upper.split('_').collect();
    let has = |t: &str| tokens.contains(&t);
    // TLS_NULL_WITH_NULL_NULL, *_WITH_NULL_SHA, DH_anon / ECDH_anon, *_EXPORT*_*, RC4, RC2,
    // single DES (DES_CBC, DES40_CBC); "3DES" is a different token.
    let insecure = has("NULL")
        || has("ANON")
        || tokens.iter().any(|t| t.starts_with("EXPORT"))
        || has("RC4")
        || has("RC2")
        || has("DES")
        || has("DES40");
    if insecure {
        return SuiteSecurity::Insecure;
    }
    if has("3DES") || has("IDEA") || has("MD5") {
        return SuiteSecurity::Weak;
    }
    SuiteSecurity::Acceptable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name() {
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
            ("TLS_RSA_WITH_3DES_EDE_CBC_SHA", Weak),
            ("TLS_RSA_WITH_IDEA_CBC_SHA", Weak),
            ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", Acceptable),
            ("TLS_AES_128_GCM_SHA256", Acceptable),
            ("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", Acceptable),
            ("TLS_CHACHA20_POLY1305_SHA256", Acceptable),
        ] {
            assert_eq!(suite_security(name), want, "{name}");
        }
    }
}
