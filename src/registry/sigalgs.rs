//! The TLS SignatureScheme registry, plus the TLS 1.2 (hash, signature) pairs that never got a
//! TLS 1.3 name but still appear in `signature_algorithms` lists.
//!
//! Data only; nothing is signed or verified here.
//!
//! # Security rule
//! * **Insecure**: MD5.
//! * **Weak**: SHA-1, SHA-224, and every DSA scheme (DSA is gone from TLS 1.3).
//! * **Recommended**: ECDSA on the NIST curves, RSA-PSS, Ed25519, Ed448.
//! * **Secure**: the rest (RSA PKCS#1 v1.5 with SHA-2, brainpool, GOST, SM2, ML-DSA, ECCSI, ISO IBS).

use serde::Serialize;

use super::Security;
use super::cipher_suites::is_grease;

/// One signature scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SigAlgInfo {
    /// Wire value; serialised as `"0x0804"`.
    #[serde(serialize_with = "super::serialize_hex16")]
    pub id: u16,
    /// Registry name (`"rsa_pss_rsae_sha256"`); TLS 1.2-only pairs use the same style
    /// (`"dsa_sha256"`).
    pub name: &'static str,
    /// Usable to sign a TLS 1.3 handshake (CertificateVerify).
    pub tls13: bool,
    /// Rating under the rule in the module docs.
    pub security: Security,
}

macro_rules! sigalgs {
    ($($id:literal $name:ident $tls13:literal $sec:ident;)*) => {
        /// Every known signature scheme, sorted by `id`.
        pub static SIGALGS: &[SigAlgInfo] = &[$(
            SigAlgInfo { id: $id, name: stringify!($name), tls13: $tls13, security: Security::$sec },
        )*];
    };
}

sigalgs! {
    0x0101 rsa_pkcs1_md5 false Insecure;
    0x0102 dsa_md5 false Insecure;
    0x0103 ecdsa_md5 false Insecure;
    0x0201 rsa_pkcs1_sha1 false Weak;
    0x0202 dsa_sha1 false Weak;
    0x0203 ecdsa_sha1 false Weak;
    0x0301 rsa_pkcs1_sha224 false Weak;
    0x0302 dsa_sha224 false Weak;
    0x0303 ecdsa_sha224 false Weak;
    0x0401 rsa_pkcs1_sha256 false Secure;
    0x0402 dsa_sha256 false Weak;
    0x0403 ecdsa_secp256r1_sha256 true Recommended;
    0x0420 rsa_pkcs1_sha256_legacy true Secure;
    0x0501 rsa_pkcs1_sha384 false Secure;
    0x0502 dsa_sha384 false Weak;
    0x0503 ecdsa_secp384r1_sha384 true Recommended;
    0x0520 rsa_pkcs1_sha384_legacy true Secure;
    0x0601 rsa_pkcs1_sha512 false Secure;
    0x0602 dsa_sha512 false Weak;
    0x0603 ecdsa_secp521r1_sha512 true Recommended;
    0x0620 rsa_pkcs1_sha512_legacy true Secure;
    0x0704 eccsi_sha256 true Secure;
    0x0705 iso_ibs1 true Secure;
    0x0706 iso_ibs2 true Secure;
    0x0707 iso_chinese_ibs true Secure;
    0x0708 sm2sig_sm3 true Secure;
    0x0709 gostr34102012_256a true Secure;
    0x070A gostr34102012_256b true Secure;
    0x070B gostr34102012_256c true Secure;
    0x070C gostr34102012_256d true Secure;
    0x070D gostr34102012_512a true Secure;
    0x070E gostr34102012_512b true Secure;
    0x070F gostr34102012_512c true Secure;
    0x0804 rsa_pss_rsae_sha256 true Recommended;
    0x0805 rsa_pss_rsae_sha384 true Recommended;
    0x0806 rsa_pss_rsae_sha512 true Recommended;
    0x0807 ed25519 true Recommended;
    0x0808 ed448 true Recommended;
    0x0809 rsa_pss_pss_sha256 true Recommended;
    0x080A rsa_pss_pss_sha384 true Recommended;
    0x080B rsa_pss_pss_sha512 true Recommended;
    0x081A ecdsa_brainpoolP256r1tls13_sha256 true Secure;
    0x081B ecdsa_brainpoolP384r1tls13_sha384 true Secure;
    0x081C ecdsa_brainpoolP512r1tls13_sha512 true Secure;
    0x0904 mldsa44 true Secure;
    0x0905 mldsa65 true Secure;
    0x0906 mldsa87 true Secure;
}

/// The entry for a wire value (binary search).
pub fn sigalg(id: u16) -> Option<&'static SigAlgInfo> {
    SIGALGS
        .binary_search_by_key(&id, |s| s.id)
        .ok()
        .and_then(|i| SIGALGS.get(i))
}

/// Printable name of any value: the registry name, `"GREASE(0x0A0A)"`, or `"0x1234"`.
pub fn sigalg_name(id: u16) -> String {
    match sigalg(id) {
        Some(s) => s.name.to_string(),
        None if is_grease(id) => format!("GREASE(0x{id:04X})"),
        None => format!("0x{id:04X}"),
    }
}

/// Looks a scheme up by name, case-insensitively.
pub fn sigalg_by_name(name: &str) -> Option<&'static SigAlgInfo> {
    let name = name.trim();
    SIGALGS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_round_trip() {
        for w in SIGALGS.windows(2) {
            assert!(w[0].id < w[1].id, "{} !< {}", w[0].name, w[1].name);
        }
        for s in SIGALGS {
            assert_eq!(sigalg(s.id), Some(s));
            assert_eq!(sigalg_by_name(s.name), Some(s));
            assert_eq!(sigalg_name(s.id), s.name);
        }
    }

    #[test]
    fn well_known_values_and_rule() {
        assert_eq!(sigalg_name(0x0401), "rsa_pkcs1_sha256");
        assert_eq!(sigalg_name(0x0403), "ecdsa_secp256r1_sha256");
        assert_eq!(sigalg_name(0x0807), "ed25519");
        assert_eq!(sigalg_name(0x0808), "ed448");
        assert_eq!(sigalg_name(0x0A0A), "GREASE(0x0A0A)");
        assert_eq!(sigalg_name(0xFFFF), "0xFFFF");
        for s in SIGALGS {
            let expected = if s.name.contains("md5") {
                Security::Insecure
            } else if s.name.contains("sha1")
                || s.name.contains("sha224")
                || s.name.starts_with("dsa_")
            {
                Security::Weak
            } else if s.name.starts_with("rsa_pss_")
                || s.name.starts_with("ed")
                || (s.name.starts_with("ecdsa_secp"))
            {
                Security::Recommended
            } else {
                Security::Secure
            };
            assert_eq!(s.security, expected, "{}", s.name);
            // TLS 1.3 dropped PKCS#1 v1.5 (except the *_legacy client code points), SHA-1, DSA.
            let pkcs1_v15 = s.name.starts_with("rsa_pkcs1_") && !s.name.ends_with("_legacy");
            let old_pair = s.name.starts_with("dsa_") || matches!(s.id, 0x0101..=0x0303);
            assert_eq!(s.tls13, !(pkcs1_v15 || old_pair), "{}", s.name);
        }
        let v = serde_json::to_value(sigalg(0x0804).expect("pss")).unwrap();
        assert_eq!(v["id"], "0x0804");
        assert_eq!(v["name"], "rsa_pss_rsae_sha256");
    }
}
