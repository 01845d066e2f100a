//! The TLS Supported Groups registry (named curves, finite-field groups, ML-KEM and hybrids).
//!
//! Used to name what a ClientHello offers and what a server picks in `key_share` /
//! ServerKeyExchange. Data only: no key exchange is performed here.
//!
//! # Security rule
//! * **Insecure**: curves under 224 bits, and the "arbitrary explicit" pseudo-groups (they let
//!   the peer choose unvalidated parameters).
//! * **Weak**: 224–239-bit curves, all binary (`sect*`) curves and secp256k1 (deprecated for TLS
//!   by RFC 8422).
//! * **Recommended**: x25519, x448, secp256r1, secp384r1, secp521r1 and the standard ML-KEM
//!   hybrids.
//! * **Secure**: the rest (brainpool, GOST, SM2, ffdhe*, pure ML-KEM, the pre-standard Kyber
//!   drafts).

use serde::Serialize;

use super::Security;
use super::cipher_suites::is_grease;

/// What family a group belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// Elliptic curve over a prime field (NIST, brainpool, GOST, SM2, X25519/X448).
    Ec,
    /// Elliptic curve over a binary field (`sect*`).
    EcBinary,
    /// Finite-field Diffie-Hellman group (RFC 7919).
    Ffdhe,
    /// Post-quantum KEM alone (ML-KEM).
    PostQuantum,
    /// Classical curve combined with a post-quantum KEM.
    Hybrid,
    /// Pseudo-group meaning "explicit curve parameters follow".
    Explicit,
}

impl GroupKind {
    /// Lower-case name: `"ec"`, `"ec_binary"`, `"ffdhe"`, `"post_quantum"`, `"hybrid"`, `"explicit"`.
    pub const fn name(self) -> &'static str {
        match self {
            GroupKind::Ec => "ec",
            GroupKind::EcBinary => "ec_binary",
            GroupKind::Ffdhe => "ffdhe",
            GroupKind::PostQuantum => "post_quantum",
            GroupKind::Hybrid => "hybrid",
            GroupKind::Explicit => "explicit",
        }
    }
}

named_enum_impls!(GroupKind);

/// One named group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GroupInfo {
    /// Wire value; serialised as `"0x001D"`.
    #[serde(serialize_with = "super::serialize_hex16")]
    pub id: u16,
    /// IANA name (`"x25519"`, `"secp256r1"`, `"X25519MLKEM768"`).
    pub name: &'static str,
    /// Family.
    pub kind: GroupKind,
    /// Size of the classical part in bits as OpenSSL reports it (curve order/field size,
    /// modulus size; x25519 = 253, x448 = 448; 0 for pure ML-KEM and explicit curves).
    pub bits: u16,
    /// Usable in TLS 1.2 and older (supported_groups / ServerKeyExchange).
    pub tls12: bool,
    /// Usable in TLS 1.3 key_share.
    pub tls13: bool,
    /// Rating under the rule in the module docs.
    pub security: Security,
}

macro_rules! groups {
    ($($id:literal $name:literal $kind:ident $bits:literal $tls12:literal $tls13:literal $sec:ident;)*) => {
        /// Every known group, sorted by `id`.
        pub static GROUPS: &[GroupInfo] = &[$(
            GroupInfo {
                id: $id,
                name: $name,
                kind: GroupKind::$kind,
                bits: $bits,
                tls12: $tls12,
                tls13: $tls13,
                security: Security::$sec,
            },
        )*];
    };
}

groups! {
    1 "sect163k1" EcBinary 163 true false Insecure;
    2 "sect163r1" EcBinary 163 true false Insecure;
    3 "sect163r2" EcBinary 163 true false Insecure;
    4 "sect193r1" EcBinary 193 true false Insecure;
    5 "sect193r2" EcBinary 193 true false Insecure;
    6 "sect233k1" EcBinary 233 true false Weak;
    7 "sect233r1" EcBinary 233 true false Weak;
    8 "sect239k1" EcBinary 239 true false Weak;
    9 "sect283k1" EcBinary 283 true false Weak;
    10 "sect283r1" EcBinary 283 true false Weak;
    11 "sect409k1" EcBinary 409 true false Weak;
    12 "sect409r1" EcBinary 409 true false Weak;
    13 "sect571k1" EcBinary 571 true false Weak;
    14 "sect571r1" EcBinary 571 true false Weak;
    15 "secp160k1" Ec 160 true false Insecure;
    16 "secp160r1" Ec 160 true false Insecure;
    17 "secp160r2" Ec 160 true false Insecure;
    18 "secp192k1" Ec 192 true false Insecure;
    19 "secp192r1" Ec 192 true false Insecure;
    20 "secp224k1" Ec 224 true false Weak;
    21 "secp224r1" Ec 224 true false Weak;
    22 "secp256k1" Ec 256 true false Weak;
    23 "secp256r1" Ec 256 true true Recommended;
    24 "secp384r1" Ec 384 true true Recommended;
    25 "secp521r1" Ec 521 true true Recommended;
    26 "brainpoolP256r1" Ec 256 true false Secure;
    27 "brainpoolP384r1" Ec 384 true false Secure;
    28 "brainpoolP512r1" Ec 512 true false Secure;
    29 "x25519" Ec 253 true true Recommended;
    30 "x448" Ec 448 true true Recommended;
    31 "brainpoolP256r1tls13" Ec 256 false true Secure;
    32 "brainpoolP384r1tls13" Ec 384 false true Secure;
    33 "brainpoolP512r1tls13" Ec 512 false true Secure;
    34 "GC256A" Ec 256 true true Secure;
    35 "GC256B" Ec 256 true true Secure;
    36 "GC256C" Ec 256 true true Secure;
    37 "GC256D" Ec 256 true true Secure;
    38 "GC512A" Ec 512 true true Secure;
    39 "GC512B" Ec 512 true true Secure;
    40 "GC512C" Ec 512 true true Secure;
    41 "curveSM2" Ec 256 false true Secure;
    256 "ffdhe2048" Ffdhe 2048 true true Secure;
    257 "ffdhe3072" Ffdhe 3072 true true Secure;
    258 "ffdhe4096" Ffdhe 4096 true true Secure;
    259 "ffdhe6144" Ffdhe 6144 true true Secure;
    260 "ffdhe8192" Ffdhe 8192 true true Secure;
    0x0200 "MLKEM512" PostQuantum 0 false true Secure;
    0x0201 "MLKEM768" PostQuantum 0 false true Secure;
    0x0202 "MLKEM1024" PostQuantum 0 false true Secure;
    0x11EB "SecP256r1MLKEM768" Hybrid 256 false true Recommended;
    0x11EC "X25519MLKEM768" Hybrid 253 false true Recommended;
    0x11ED "SecP384r1MLKEM1024" Hybrid 384 false true Recommended;
    0x6399 "X25519Kyber768Draft00" Hybrid 253 false true Secure;
    0x639A "SecP256r1Kyber768Draft00" Hybrid 256 false true Secure;
    0xFF01 "arbitrary_explicit_prime_curves" Explicit 0 true false Insecure;
    0xFF02 "arbitrary_explicit_char2_curves" Explicit 0 true false Insecure;
}

/// Other spellings people use for the common curves (OpenSSL, NIST, X9.62).
const ALIASES: &[(&str, u16)] = &[
    ("prime192v1", 19),
    ("P-192", 19),
    ("P-224", 21),
    ("prime256v1", 23),
    ("P-256", 23),
    ("P-384", 24),
    ("P-521", 25),
    ("X25519Kyber768", 0x6399),
];

/// The entry for a wire value (binary search).
pub fn group(id: u16) -> Option<&'static GroupInfo> {
    GROUPS
        .binary_search_by_key(&id, |g| g.id)
        .ok()
        .and_then(|i| GROUPS.get(i))
}

/// Printable name of any group value: the IANA name, `"GREASE(0x0A0A)"`, or `"0x1234"`.
pub fn group_name(id: u16) -> String {
    match group(id) {
        Some(g) => g.name.to_string(),
        None if is_grease(id) => format!("GREASE(0x{id:04X})"),
        None => format!("0x{id:04X}"),
    }
}

/// Looks a group up by IANA name or a common alias (`"P-256"`, `"prime256v1"`),
/// case-insensitively.
pub fn by_name(name: &str) -> Option<&'static GroupInfo> {
    let name = name.trim();
    GROUPS
        .iter()
        .find(|g| g.name.eq_ignore_ascii_case(name))
        .or_else(|| {
            ALIASES
                .iter()
                .find(|(alias, _)| alias.eq_ignore_ascii_case(name))
                .and_then(|&(_, id)| group(id))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn sorted_unique_round_trip() {
        for w in GROUPS.windows(2) {
            assert!(w[0].id < w[1].id, "{} !< {}", w[0].name, w[1].name);
        }
        let mut names = HashSet::new();
        for g in GROUPS {
            assert!(names.insert(g.name.to_ascii_lowercase()), "dup {}", g.name);
            assert_eq!(group(g.id), Some(g));
            assert_eq!(by_name(g.name), Some(g));
            assert_eq!(group_name(g.id), g.name);
            assert!(g.tls12 || g.tls13, "{} usable nowhere", g.name);
            assert!(!is_grease(g.id));
        }
        for (alias, id) in ALIASES {
            assert_eq!(by_name(alias).map(|g| g.id), Some(*id), "{alias}");
        }
    }

    #[test]
    fn well_known_values() {
        assert_eq!(group_name(29), "x25519");
        assert_eq!(group_name(23), "secp256r1");
        assert_eq!(group_name(0x11EC), "X25519MLKEM768");
        assert_eq!(group_name(0x0A0A), "GREASE(0x0A0A)");
        assert_eq!(group_name(0x1234), "0x1234");
        assert_eq!(by_name("p-256").map(|g| g.id), Some(23));
        assert_eq!(by_name("X25519").map(|g| g.id), Some(29));
        assert_eq!(by_name("nope"), None);
        let x = group(29).expect("x25519");
        assert_eq!(x.security, Security::Recommended);
        assert_eq!(group(1).map(|g| g.security), Some(Security::Insecure));
        assert_eq!(group(0x11EC).map(|g| g.kind), Some(GroupKind::Hybrid));
        assert_eq!(
            group(256).map(|g| (g.kind, g.bits)),
            Some((GroupKind::Ffdhe, 2048))
        );
        let v = serde_json::to_value(x).unwrap();
        assert_eq!(v["id"], "0x001D");
        assert_eq!(v["kind"], "ec");
    }

    #[test]
    fn security_follows_the_rule() {
        for g in GROUPS {
            let expected = match g.kind {
                GroupKind::Explicit => Security::Insecure,
                _ if g.kind != GroupKind::PostQuantum && g.bits < 224 => Security::Insecure,
                GroupKind::EcBinary => Security::Weak,
                _ if g.bits < 240 && g.kind == GroupKind::Ec => Security::Weak,
                _ if g.name == "secp256k1" => Security::Weak,
                _ if matches!(g.id, 23..=25 | 29 | 30 | 0x11EB..=0x11ED) => Security::Recommended,
                _ => Security::Secure,
            };
            assert_eq!(g.security, expected, "{}", g.name);
        }
    }
}
