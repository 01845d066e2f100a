//! The four-step security rating shared by every registry table.
//!
//! The scale follows the one ciphersuite.info uses (insecure, weak, secure, recommended); each
//! table documents the rule it applies. This module only names the levels; it does not rate
//! anything itself.

/// How safe an algorithm is to use today, worst first (so `Ord` compares "better than").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Security {
    /// Broken or offering no protection: must not be used.
    Insecure,
    /// Not broken outright, but with known weaknesses (no forward secrecy, CBC, 64-bit blocks,
    /// SHA-1, …): to be phased out.
    Weak,
    /// Sound, but not the first choice (e.g. finite-field DHE, short AEAD tags, less common ciphers).
    Secure,
    /// The current best practice.
    Recommended,
}

impl Security {
    /// Lower-case name as printed and serialised: `"insecure"`, `"weak"`, `"secure"`, `"recommended"`.
    pub const fn name(self) -> &'static str {
        match self {
            Security::Insecure => "insecure",
            Security::Weak => "weak",
            Security::Secure => "secure",
            Security::Recommended => "recommended",
        }
    }
}

named_enum_impls!(Security);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_names() {
        assert!(Security::Insecure < Security::Weak);
        assert!(Security::Weak < Security::Secure);
        assert!(Security::Secure < Security::Recommended);
        assert_eq!(Security::Weak.to_string(), "weak");
        assert_eq!(
            serde_json::to_string(&Security::Recommended).unwrap(),
            "\"recommended\""
        );
    }
}
