//! The IANA TLS Cipher Suites registry, with OpenSSL names and a security rating per suite.
//!
//! [`SUITES`] holds every assigned code point (SSL 3.0 era, EXPORT, anonymous, NULL, Kerberos,
//! PSK, SRP, DHE/ECDHE, Camellia, ARIA, SEED, IDEA, CCM, ChaCha20-Poly1305, ECCPWD, GOST, SM4,
//! AEGIS, the TLS 1.3 suites and the two signalling values), plus a few code points that were
//! never registered but are deployed (the `EXPORT1024` drafts 0x0060–0x0066 and the CryptoPro
//! GOST suites 0x0080–0x0083; `registered` is `false` for them). Unknown values still round-trip
//! through [`CipherSuite`] and [`suite_name`]. SSL 2.0 cipher kinds live in [`super::ssl2`].
//!
//! This module is data only: it does not build or parse handshakes and does no I/O.
//!
//! # Version rule (`min_version` / `max_version`)
//! * TLS 1.3 suites (0x1301–0x1307, 0x00C6/0x00C7, 0xC0B4/0xC0B5, 0xC103–0xC106): TLS 1.3 only.
//! * AEAD suites (GCM, CCM, ChaCha20-Poly1305), the other RFC 9189 GOST suites, ECCPWD, and suites
//!   whose name ends in `_SHA256`/`_SHA384` (the TLS 1.2 PRF): TLS 1.2 only — except the PSK
//!   families (PSK, DHE_PSK, RSA_PSK, ECDHE_PSK) with a CBC cipher and an SHA-2 HMAC, which
//!   RFC 5487/5489 also allow from TLS 1.0.
//! * EXPORT suites: SSL 3.0 to TLS 1.0 (TLS 1.1 forbids negotiating them).
//! * ECC key exchange (ECDH, ECDHE, ECDHE_PSK) and the CryptoPro GOST suites: TLS 1.0 to 1.2.
//! * Everything else: SSL 3.0 to TLS 1.2.
//!
//! The minimum agrees with the protocol column `openssl ciphers -V` prints (a unit test checks
//! that for every suite the local OpenSSL knows).
//!
//! # Security rule (after ciphersuite.info's scheme)
//! * **Insecure**: no encryption (NULL, including the integrity-only TLS 1.3 suites), no
//!   authentication (`anon`), EXPORT, RC4, RC2, single DES, an MD5 MAC, or fewer than 112
//!   effective key bits.
//! * **Weak**: otherwise, if the key exchange has no forward secrecy (RSA, static DH/ECDH, plain
//!   PSK, RSA_PSK, KRB5, the TLS 1.2 GOST VKO exchange) or the record protection is not an AEAD
//!   (any CBC/CNT/CTR mode with an HMAC, which includes every 3DES, IDEA and SEED suite).
//! * **Recommended**: forward secret and AEAD, with ECDHE (or TLS 1.3), RSA/ECDSA (or TLS 1.3)
//!   authentication, and AES-GCM, AES-CCM with the full 16-byte tag, or ChaCha20-Poly1305.
//! * **Secure**: the remaining forward-secret AEAD suites — finite-field DHE (RFC 9325 advises
//!   against it in TLS 1.2), DSS, CCM_8, ARIA, Camellia, SM4, GOST MGM, AEGIS, ECCPWD and the
//!   (EC)DHE_PSK suites.
//!
//! The signalling values (`scsv == true`) carry no cryptography; they are rated `Secure` so that
//! offering them never counts against a client, and [`suites_for`] leaves them out.
//!
//! `bits` is the effective symmetric strength: 40 for EXPORT ciphers, 56 for DES, 112 for 3DES
//! (two-key strength of three-key EDE), 0 for NULL.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{ProtocolVersion, Security};

/// Key exchange method of a cipher suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kx {
    /// No key exchange (`TLS_NULL_WITH_NULL_NULL`, signalling values).
    Null,
    /// RSA key transport (no forward secrecy).
    Rsa,
    /// RSA key transport with an export-grade (≤ 1024-bit) temporary key.
    RsaExport,
    /// Static Diffie-Hellman from the certificate (no forward secrecy).
    Dh,
    /// Ephemeral Diffie-Hellman (also the anonymous `DH_anon` suites).
    Dhe,
    /// Static elliptic-curve Diffie-Hellman from the certificate (no forward secrecy).
    Ecdh,
    /// Ephemeral elliptic-curve Diffie-Hellman (also the anonymous `ECDH_anon` suites).
    Ecdhe,
    /// Pre-shared key only.
    Psk,
    /// Ephemeral DH combined with a pre-shared key.
    DhePsk,
    /// Ephemeral ECDH combined with a pre-shared key.
    EcdhePsk,
    /// RSA key transport combined with a pre-shared key.
    RsaPsk,
    /// Kerberos 5.
    Krb5,
    /// Secure Remote Password.
    Srp,
    /// GOST VKO key agreement (TLS 1.2 and older GOST suites).
    Gost,
    /// Elliptic-curve password authenticated key exchange (RFC 8492).
    Eccpwd,
    /// Not part of the suite: TLS 1.3 negotiates the key exchange separately.
    Any,
}

impl Kx {
    /// Short name as used in IANA suite names (`"ECDHE"`, `"DHE_PSK"`, …; `"any"` for TLS 1.3).
    pub const fn name(self) -> &'static str {
        match self {
            Kx::Null => "NULL",
            Kx::Rsa => "RSA",
            Kx::RsaExport => "RSA_EXPORT",
            Kx::Dh => "DH",
            Kx::Dhe => "DHE",
            Kx::Ecdh => "ECDH",
            Kx::Ecdhe => "ECDHE",
            Kx::Psk => "PSK",
            Kx::DhePsk => "DHE_PSK",
            Kx::EcdhePsk => "ECDHE_PSK",
            Kx::RsaPsk => "RSA_PSK",
            Kx::Krb5 => "KRB5",
            Kx::Srp => "SRP",
            Kx::Gost => "GOST",
            Kx::Eccpwd => "ECCPWD",
            Kx::Any => "any",
        }
    }

    /// Whether a recorded session stays confidential if the long-term key leaks later.
    pub const fn forward_secret(self) -> bool {
        matches!(
            self,
            Kx::Dhe | Kx::Ecdhe | Kx::DhePsk | Kx::EcdhePsk | Kx::Srp | Kx::Eccpwd | Kx::Any
        )
    }
}

/// How the server (and optionally the client) is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Auth {
    /// Nobody is authenticated (`anon` suites, `TLS_NULL_WITH_NULL_NULL`, signalling values).
    Null,
    /// RSA certificate.
    Rsa,
    /// DSA certificate.
    Dss,
    /// ECDSA certificate.
    Ecdsa,
    /// Pre-shared key.
    Psk,
    /// Kerberos 5 ticket.
    Krb5,
    /// SRP password verifier.
    Srp,
    /// GOST R 34.10 certificate.
    Gost,
    /// ECCPWD password.
    Eccpwd,
    /// Not part of the suite: TLS 1.3 negotiates the signature separately.
    Any,
}

impl Auth {
    /// Short name (`"RSA"`, `"ECDSA"`, `"anon"`, `"any"`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Auth::Null => "anon",
            Auth::Rsa => "RSA",
            Auth::Dss => "DSS",
            Auth::Ecdsa => "ECDSA",
            Auth::Psk => "PSK",
            Auth::Krb5 => "KRB5",
            Auth::Srp => "SRP",
            Auth::Gost => "GOST",
            Auth::Eccpwd => "ECCPWD",
            Auth::Any => "any",
        }
    }
}

named_enum_impls!(Kx, Auth);

/// A cipher suite code point as sent on the wire. Any `u16` is valid: unknown and GREASE values
/// survive, and `Debug`/`Display` print the IANA name when there is one, else the hex value.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CipherSuite(pub u16);

impl CipherSuite {
    /// The registry entry, if this code point is known.
    pub fn info(self) -> Option<&'static SuiteInfo> {
        suite(self.0)
    }
}

impl From<u16> for CipherSuite {
    fn from(v: u16) -> Self {
        CipherSuite(v)
    }
}

impl fmt::Debug for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match suite(self.0) {
            Some(info) => f.write_str(info.iana),
            None => write!(f, "CipherSuite({})", suite_name(self.0)),
        }
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&suite_name(self.0))
    }
}

impl Serialize for CipherSuite {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&suite_name(self.0))
    }
}

/// One row of the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SuiteInfo {
    /// Wire value; serialised as `"0xC02F"`.
    #[serde(serialize_with = "super::serialize_hex16")]
    pub id: u16,
    /// The IANA name, exactly as registered (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
    pub iana: &'static str,
    /// The OpenSSL name (`ECDHE-RSA-AES128-GCM-SHA256`), including names of suites that older
    /// OpenSSL releases had and 3.x dropped; `None` where OpenSSL never had the suite.
    pub openssl: Option<&'static str>,
    /// Key exchange.
    pub kx: Kx,
    /// Authentication.
    pub auth: Auth,
    /// Bulk cipher as spelled in the IANA name (`"AES_128_GCM"`, `"3DES_EDE_CBC"`, `"NULL"`).
    pub enc: &'static str,
    /// Effective symmetric key bits (0 for NULL; see the module docs).
    pub bits: u16,
    /// Record MAC: `"AEAD"`, `"SHA"` (HMAC-SHA1), `"SHA256"`, `"SHA384"`, `"MD5"`, `"IMIT"`,
    /// `"OMAC"`, `"GOSTR3411"`, or `"NULL"`.
    pub mac: &'static str,
    /// Authenticated encryption (GCM, CCM, ChaCha20-Poly1305, MGM, AEGIS, SM4).
    pub aead: bool,
    /// Export-grade (deliberately weakened) suite.
    pub export: bool,
    /// Oldest protocol version the suite can be negotiated in.
    pub min_version: ProtocolVersion,
    /// Newest protocol version the suite can be negotiated in.
    pub max_version: ProtocolVersion,
    /// A signalling value (`TLS_EMPTY_RENEGOTIATION_INFO_SCSV`, `TLS_FALLBACK_SCSV`), not a suite.
    pub scsv: bool,
    /// Whether IANA registered the code point (false for deployed draft code points).
    pub registered: bool,
    /// Rating under the rule in the module docs.
    pub security: Security,
}

impl SuiteInfo {
    /// Whether this suite can be negotiated at `v` (never true for signalling values).
    pub fn valid_for(&self, v: ProtocolVersion) -> bool {
        !self.scsv && self.min_version <= v && v <= self.max_version
    }

    /// Whether the key exchange gives forward secrecy.
    pub fn forward_secret(&self) -> bool {
        self.kx.forward_secret()
    }

    /// The wire value as a [`CipherSuite`].
    pub fn cipher_suite(&self) -> CipherSuite {
        CipherSuite(self.id)
    }
}

/// Per-row flags of the table macro.
#[derive(Clone, Copy)]
enum Flag {
    Export,
    Scsv,
    Unregistered,
}

const fn has_flag(flags: &[Flag], f: Flag) -> bool {
    let mut i = 0;
    while i < flags.len() {
        if flags[i] as u8 == f as u8 {
            return true;
        }
        i += 1;
    }
    false
}

const fn openssl_name(s: &'static str) -> Option<&'static str> {
    match s.as_bytes() {
        b"-" => None,
        _ => Some(s),
    }
}

const fn is_aead(mac: &str) -> bool {
    matches!(mac.as_bytes(), b"AEAD")
}

/// Builds [`SUITES`] and the [`CipherSuite`] constants from one table, so the two cannot drift.
/// Row: `id IANA_NAME "openssl-name"|"-" Kx Auth "ENC" bits "MAC" MinVersion MaxVersion [Flags] Security;`
macro_rules! cipher_suites {
    ($($id:literal $name:ident $openssl:literal $kx:ident $auth:ident $enc:literal $bits:literal
       $mac:literal $min:ident $max:ident [$($flag:ident)*] $sec:ident;)*) => {
        #[allow(non_upper_case_globals)]
        impl CipherSuite {
            $(
                #[doc = concat!("`", stringify!($name), "` (", stringify!($id), ").")]
                pub const $name: CipherSuite = CipherSuite($id);
            )*
        }

        /// Every known cipher suite, sorted by `id` (a test checks it).
        pub static SUITES: &[SuiteInfo] = &[$(
            SuiteInfo {
                id: $id,
                iana: stringify!($name),
                openssl: openssl_name($openssl),
                kx: Kx::$kx,
                auth: Auth::$auth,
                enc: $enc,
                bits: $bits,
                mac: $mac,
                aead: is_aead($mac),
                export: has_flag(&[$(Flag::$flag),*], Flag::Export),
                min_version: ProtocolVersion::$min,
                max_version: ProtocolVersion::$max,
                scsv: has_flag(&[$(Flag::$flag),*], Flag::Scsv),
                registered: !has_flag(&[$(Flag::$flag),*], Flag::Unregistered),
                security: Security::$sec,
            },
        )*];
    };
}

/// The registry entry for a wire value (binary search).
pub fn suite(id: u16) -> Option<&'static SuiteInfo> {
    SUITES
        .binary_search_by_key(&id, |s| s.id)
        .ok()
        .and_then(|i| SUITES.get(i))
}

/// Looks a suite up by IANA or OpenSSL name, case-insensitively. Also accepts the `SSL_` prefix
/// Java and old documents use (`SSL_RSA_WITH_RC4_128_MD5`) and the curve suffix older Windows
/// releases append (`TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA_P256`).
pub fn by_name(name: &str) -> Option<&'static SuiteInfo> {
    let name = name.trim();
    let exact = |n: &str| {
        SUITES.iter().find(|s| {
            s.iana.eq_ignore_ascii_case(n) || s.openssl.is_some_and(|o| o.eq_ignore_ascii_case(n))
        })
    };
    if let Some(s) = exact(name) {
        return Some(s);
    }
    let upper = name.to_ascii_uppercase();
    let tls = match upper.strip_prefix("SSL_") {
        Some(rest) => format!("TLS_{rest}"),
        None => upper,
    };
    let base = ["_P256", "_P384", "_P521"]
        .iter()
        .find_map(|sfx| tls.strip_suffix(sfx))
        .unwrap_or(&tls);
    exact(base)
}

/// Whether `v` is a GREASE value (RFC 8701: 0x0A0A, 0x1A1A, … 0xFAFA).
pub const fn is_grease(v: u16) -> bool {
    (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF)
}

/// Printable name of any code point: the IANA name, `"GREASE(0x0A0A)"`, or `"0xC0FF"`.
pub fn suite_name(id: u16) -> String {
    match suite(id) {
        Some(s) => s.iana.to_string(),
        None if is_grease(id) => format!("GREASE(0x{id:04X})"),
        None => format!("0x{id:04X}"),
    }
}

/// The suites that can be negotiated at `v`, in id order, without signalling values.
/// Empty for SSL 2.0, which has its own cipher kinds ([`super::ssl2::SSL2_CIPHERS`]).
pub fn suites_for(v: ProtocolVersion) -> impl Iterator<Item = &'static SuiteInfo> {
    SUITES.iter().filter(move |s| s.valid_for(v))
}

cipher_suites! {
    0x0000 TLS_NULL_WITH_NULL_NULL "-" Null Null "NULL" 0 "NULL" Ssl3 Tls12 [] Insecure;
    0x0001 TLS_RSA_WITH_NULL_MD5 "NULL-MD5" Rsa Rsa "NULL" 0 "MD5" Ssl3 Tls12 [] Insecure;
    0x0002 TLS_RSA_WITH_NULL_SHA "NULL-SHA" Rsa Rsa "NULL" 0 "SHA" Ssl3 Tls12 [] Insecure;
    0x0003 TLS_RSA_EXPORT_WITH_RC4_40_MD5 "EXP-RC4-MD5" RsaExport Rsa "RC4_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x0004 TLS_RSA_WITH_RC4_128_MD5 "RC4-MD5" Rsa Rsa "RC4_128" 128 "MD5" Ssl3 Tls12 [] Insecure;
    0x0005 TLS_RSA_WITH_RC4_128_SHA "RC4-SHA" Rsa Rsa "RC4_128" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x0006 TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 "EXP-RC2-CBC-MD5" RsaExport Rsa "RC2_CBC_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x0007 TLS_RSA_WITH_IDEA_CBC_SHA "IDEA-CBC-SHA" Rsa Rsa "IDEA_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0008 TLS_RSA_EXPORT_WITH_DES40_CBC_SHA "EXP-DES-CBC-SHA" RsaExport Rsa "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0009 TLS_RSA_WITH_DES_CBC_SHA "DES-CBC-SHA" Rsa Rsa "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x000A TLS_RSA_WITH_3DES_EDE_CBC_SHA "DES-CBC3-SHA" Rsa Rsa "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x000B TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA "EXP-DH-DSS-DES-CBC-SHA" Dh Dss "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x000C TLS_DH_DSS_WITH_DES_CBC_SHA "DH-DSS-DES-CBC-SHA" Dh Dss "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x000D TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA "DH-DSS-DES-CBC3-SHA" Dh Dss "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x000E TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA "EXP-DH-RSA-DES-CBC-SHA" Dh Rsa "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x000F TLS_DH_RSA_WITH_DES_CBC_SHA "DH-RSA-DES-CBC-SHA" Dh Rsa "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x0010 TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA "DH-RSA-DES-CBC3-SHA" Dh Rsa "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0011 TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA "EXP-EDH-DSS-DES-CBC-SHA" Dhe Dss "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0012 TLS_DHE_DSS_WITH_DES_CBC_SHA "EDH-DSS-DES-CBC-SHA" Dhe Dss "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x0013 TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA "DHE-DSS-DES-CBC3-SHA" Dhe Dss "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0014 TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA "EXP-EDH-RSA-DES-CBC-SHA" Dhe Rsa "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0015 TLS_DHE_RSA_WITH_DES_CBC_SHA "EDH-RSA-DES-CBC-SHA" Dhe Rsa "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x0016 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA "DHE-RSA-DES-CBC3-SHA" Dhe Rsa "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0017 TLS_DH_anon_EXPORT_WITH_RC4_40_MD5 "EXP-ADH-RC4-MD5" Dhe Null "RC4_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x0018 TLS_DH_anon_WITH_RC4_128_MD5 "ADH-RC4-MD5" Dhe Null "RC4_128" 128 "MD5" Ssl3 Tls12 [] Insecure;
    0x0019 TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA "EXP-ADH-DES-CBC-SHA" Dhe Null "DES40_CBC" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x001A TLS_DH_anon_WITH_DES_CBC_SHA "ADH-DES-CBC-SHA" Dhe Null "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x001B TLS_DH_anon_WITH_3DES_EDE_CBC_SHA "ADH-DES-CBC3-SHA" Dhe Null "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Insecure;
    0x001E TLS_KRB5_WITH_DES_CBC_SHA "KRB5-DES-CBC-SHA" Krb5 Krb5 "DES_CBC" 56 "SHA" Ssl3 Tls12 [] Insecure;
    0x001F TLS_KRB5_WITH_3DES_EDE_CBC_SHA "KRB5-DES-CBC3-SHA" Krb5 Krb5 "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0020 TLS_KRB5_WITH_RC4_128_SHA "KRB5-RC4-SHA" Krb5 Krb5 "RC4_128" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x0021 TLS_KRB5_WITH_IDEA_CBC_SHA "KRB5-IDEA-CBC-SHA" Krb5 Krb5 "IDEA_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0022 TLS_KRB5_WITH_DES_CBC_MD5 "KRB5-DES-CBC-MD5" Krb5 Krb5 "DES_CBC" 56 "MD5" Ssl3 Tls12 [] Insecure;
    0x0023 TLS_KRB5_WITH_3DES_EDE_CBC_MD5 "KRB5-DES-CBC3-MD5" Krb5 Krb5 "3DES_EDE_CBC" 112 "MD5" Ssl3 Tls12 [] Insecure;
    0x0024 TLS_KRB5_WITH_RC4_128_MD5 "KRB5-RC4-MD5" Krb5 Krb5 "RC4_128" 128 "MD5" Ssl3 Tls12 [] Insecure;
    0x0025 TLS_KRB5_WITH_IDEA_CBC_MD5 "KRB5-IDEA-CBC-MD5" Krb5 Krb5 "IDEA_CBC" 128 "MD5" Ssl3 Tls12 [] Insecure;
    0x0026 TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA "EXP-KRB5-DES-CBC-SHA" Krb5 Krb5 "DES_CBC_40" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0027 TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA "EXP-KRB5-RC2-CBC-SHA" Krb5 Krb5 "RC2_CBC_40" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0028 TLS_KRB5_EXPORT_WITH_RC4_40_SHA "EXP-KRB5-RC4-SHA" Krb5 Krb5 "RC4_40" 40 "SHA" Ssl3 Tls10 [Export] Insecure;
    0x0029 TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5 "EXP-KRB5-DES-CBC-MD5" Krb5 Krb5 "DES_CBC_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x002A TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5 "EXP-KRB5-RC2-CBC-MD5" Krb5 Krb5 "RC2_CBC_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x002B TLS_KRB5_EXPORT_WITH_RC4_40_MD5 "EXP-KRB5-RC4-MD5" Krb5 Krb5 "RC4_40" 40 "MD5" Ssl3 Tls10 [Export] Insecure;
    0x002C TLS_PSK_WITH_NULL_SHA "PSK-NULL-SHA" Psk Psk "NULL" 0 "SHA" Ssl3 Tls12 [] Insecure;
    0x002D TLS_DHE_PSK_WITH_NULL_SHA "DHE-PSK-NULL-SHA" DhePsk Psk "NULL" 0 "SHA" Ssl3 Tls12 [] Insecure;
    0x002E TLS_RSA_PSK_WITH_NULL_SHA "RSA-PSK-NULL-SHA" RsaPsk Rsa "NULL" 0 "SHA" Ssl3 Tls12 [] Insecure;
    0x002F TLS_RSA_WITH_AES_128_CBC_SHA "AES128-SHA" Rsa Rsa "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0030 TLS_DH_DSS_WITH_AES_128_CBC_SHA "DH-DSS-AES128-SHA" Dh Dss "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0031 TLS_DH_RSA_WITH_AES_128_CBC_SHA "DH-RSA-AES128-SHA" Dh Rsa "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0032 TLS_DHE_DSS_WITH_AES_128_CBC_SHA "DHE-DSS-AES128-SHA" Dhe Dss "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0033 TLS_DHE_RSA_WITH_AES_128_CBC_SHA "DHE-RSA-AES128-SHA" Dhe Rsa "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0034 TLS_DH_anon_WITH_AES_128_CBC_SHA "ADH-AES128-SHA" Dhe Null "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x0035 TLS_RSA_WITH_AES_256_CBC_SHA "AES256-SHA" Rsa Rsa "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0036 TLS_DH_DSS_WITH_AES_256_CBC_SHA "DH-DSS-AES256-SHA" Dh Dss "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0037 TLS_DH_RSA_WITH_AES_256_CBC_SHA "DH-RSA-AES256-SHA" Dh Rsa "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0038 TLS_DHE_DSS_WITH_AES_256_CBC_SHA "DHE-DSS-AES256-SHA" Dhe Dss "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0039 TLS_DHE_RSA_WITH_AES_256_CBC_SHA "DHE-RSA-AES256-SHA" Dhe Rsa "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x003A TLS_DH_anon_WITH_AES_256_CBC_SHA "ADH-AES256-SHA" Dhe Null "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Insecure;
    0x003B TLS_RSA_WITH_NULL_SHA256 "NULL-SHA256" Rsa Rsa "NULL" 0 "SHA256" Tls12 Tls12 [] Insecure;
    0x003C TLS_RSA_WITH_AES_128_CBC_SHA256 "AES128-SHA256" Rsa Rsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x003D TLS_RSA_WITH_AES_256_CBC_SHA256 "AES256-SHA256" Rsa Rsa "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x003E TLS_DH_DSS_WITH_AES_128_CBC_SHA256 "DH-DSS-AES128-SHA256" Dh Dss "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x003F TLS_DH_RSA_WITH_AES_128_CBC_SHA256 "DH-RSA-AES128-SHA256" Dh Rsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x0040 TLS_DHE_DSS_WITH_AES_128_CBC_SHA256 "DHE-DSS-AES128-SHA256" Dhe Dss "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x0041 TLS_RSA_WITH_CAMELLIA_128_CBC_SHA "CAMELLIA128-SHA" Rsa Rsa "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0042 TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA "DH-DSS-CAMELLIA128-SHA" Dh Dss "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0043 TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA "DH-RSA-CAMELLIA128-SHA" Dh Rsa "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0044 TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA "DHE-DSS-CAMELLIA128-SHA" Dhe Dss "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0045 TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA "DHE-RSA-CAMELLIA128-SHA" Dhe Rsa "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0046 TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA "ADH-CAMELLIA128-SHA" Dhe Null "CAMELLIA_128_CBC" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x0060 TLS_RSA_EXPORT1024_WITH_RC4_56_MD5 "EXP1024-RC4-MD5" RsaExport Rsa "RC4_56" 56 "MD5" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0061 TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5 "EXP1024-RC2-CBC-MD5" RsaExport Rsa "RC2_CBC_56" 56 "MD5" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0062 TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA "EXP1024-DES-CBC-SHA" RsaExport Rsa "DES_CBC" 56 "SHA" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0063 TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA "EXP1024-DHE-DSS-DES-CBC-SHA" Dhe Dss "DES_CBC" 56 "SHA" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0064 TLS_RSA_EXPORT1024_WITH_RC4_56_SHA "EXP1024-RC4-SHA" RsaExport Rsa "RC4_56" 56 "SHA" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0065 TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA "EXP1024-DHE-DSS-RC4-SHA" Dhe Dss "RC4_56" 56 "SHA" Ssl3 Tls10 [Export Unregistered] Insecure;
    0x0066 TLS_DHE_DSS_WITH_RC4_128_SHA "DHE-DSS-RC4-SHA" Dhe Dss "RC4_128" 128 "SHA" Ssl3 Tls12 [Unregistered] Insecure;
    0x0067 TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 "DHE-RSA-AES128-SHA256" Dhe Rsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x0068 TLS_DH_DSS_WITH_AES_256_CBC_SHA256 "DH-DSS-AES256-SHA256" Dh Dss "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x0069 TLS_DH_RSA_WITH_AES_256_CBC_SHA256 "DH-RSA-AES256-SHA256" Dh Rsa "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x006A TLS_DHE_DSS_WITH_AES_256_CBC_SHA256 "DHE-DSS-AES256-SHA256" Dhe Dss "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x006B TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 "DHE-RSA-AES256-SHA256" Dhe Rsa "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x006C TLS_DH_anon_WITH_AES_128_CBC_SHA256 "ADH-AES128-SHA256" Dhe Null "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Insecure;
    0x006D TLS_DH_anon_WITH_AES_256_CBC_SHA256 "ADH-AES256-SHA256" Dhe Null "AES_256_CBC" 256 "SHA256" Tls12 Tls12 [] Insecure;
    0x0080 TLS_GOSTR341094_WITH_28147_CNT_IMIT "GOST94-GOST89-GOST89" Gost Gost "28147_CNT" 256 "IMIT" Tls10 Tls12 [Unregistered] Weak;
    0x0081 TLS_GOSTR341001_WITH_28147_CNT_IMIT "GOST2001-GOST89-GOST89" Gost Gost "28147_CNT" 256 "IMIT" Tls10 Tls12 [Unregistered] Weak;
    0x0082 TLS_GOSTR341094_WITH_NULL_GOSTR3411 "GOST94-NULL-GOST94" Gost Gost "NULL" 0 "GOSTR3411" Tls10 Tls12 [Unregistered] Insecure;
    0x0083 TLS_GOSTR341001_WITH_NULL_GOSTR3411 "GOST2001-NULL-GOST94" Gost Gost "NULL" 0 "GOSTR3411" Tls10 Tls12 [Unregistered] Insecure;
    0x0084 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA "CAMELLIA256-SHA" Rsa Rsa "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0085 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA "DH-DSS-CAMELLIA256-SHA" Dh Dss "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0086 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA "DH-RSA-CAMELLIA256-SHA" Dh Rsa "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0087 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA "DHE-DSS-CAMELLIA256-SHA" Dhe Dss "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0088 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA "DHE-RSA-CAMELLIA256-SHA" Dhe Rsa "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0089 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA "ADH-CAMELLIA256-SHA" Dhe Null "CAMELLIA_256_CBC" 256 "SHA" Ssl3 Tls12 [] Insecure;
    0x008A TLS_PSK_WITH_RC4_128_SHA "PSK-RC4-SHA" Psk Psk "RC4_128" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x008B TLS_PSK_WITH_3DES_EDE_CBC_SHA "PSK-3DES-EDE-CBC-SHA" Psk Psk "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x008C TLS_PSK_WITH_AES_128_CBC_SHA "PSK-AES128-CBC-SHA" Psk Psk "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x008D TLS_PSK_WITH_AES_256_CBC_SHA "PSK-AES256-CBC-SHA" Psk Psk "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x008E TLS_DHE_PSK_WITH_RC4_128_SHA "DHE-PSK-RC4-SHA" DhePsk Psk "RC4_128" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x008F TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA "DHE-PSK-3DES-EDE-CBC-SHA" DhePsk Psk "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0090 TLS_DHE_PSK_WITH_AES_128_CBC_SHA "DHE-PSK-AES128-CBC-SHA" DhePsk Psk "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0091 TLS_DHE_PSK_WITH_AES_256_CBC_SHA "DHE-PSK-AES256-CBC-SHA" DhePsk Psk "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0092 TLS_RSA_PSK_WITH_RC4_128_SHA "RSA-PSK-RC4-SHA" RsaPsk Rsa "RC4_128" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x0093 TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA "RSA-PSK-3DES-EDE-CBC-SHA" RsaPsk Rsa "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0x0094 TLS_RSA_PSK_WITH_AES_128_CBC_SHA "RSA-PSK-AES128-CBC-SHA" RsaPsk Rsa "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0095 TLS_RSA_PSK_WITH_AES_256_CBC_SHA "RSA-PSK-AES256-CBC-SHA" RsaPsk Rsa "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0x0096 TLS_RSA_WITH_SEED_CBC_SHA "SEED-SHA" Rsa Rsa "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0097 TLS_DH_DSS_WITH_SEED_CBC_SHA "DH-DSS-SEED-SHA" Dh Dss "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0098 TLS_DH_RSA_WITH_SEED_CBC_SHA "DH-RSA-SEED-SHA" Dh Rsa "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x0099 TLS_DHE_DSS_WITH_SEED_CBC_SHA "DHE-DSS-SEED-SHA" Dhe Dss "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x009A TLS_DHE_RSA_WITH_SEED_CBC_SHA "DHE-RSA-SEED-SHA" Dhe Rsa "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0x009B TLS_DH_anon_WITH_SEED_CBC_SHA "ADH-SEED-SHA" Dhe Null "SEED_CBC" 128 "SHA" Ssl3 Tls12 [] Insecure;
    0x009C TLS_RSA_WITH_AES_128_GCM_SHA256 "AES128-GCM-SHA256" Rsa Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0x009D TLS_RSA_WITH_AES_256_GCM_SHA384 "AES256-GCM-SHA384" Rsa Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0x009E TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 "DHE-RSA-AES128-GCM-SHA256" Dhe Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0x009F TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 "DHE-RSA-AES256-GCM-SHA384" Dhe Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0x00A0 TLS_DH_RSA_WITH_AES_128_GCM_SHA256 "DH-RSA-AES128-GCM-SHA256" Dh Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0x00A1 TLS_DH_RSA_WITH_AES_256_GCM_SHA384 "DH-RSA-AES256-GCM-SHA384" Dh Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0x00A2 TLS_DHE_DSS_WITH_AES_128_GCM_SHA256 "DHE-DSS-AES128-GCM-SHA256" Dhe Dss "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0x00A3 TLS_DHE_DSS_WITH_AES_256_GCM_SHA384 "DHE-DSS-AES256-GCM-SHA384" Dhe Dss "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0x00A4 TLS_DH_DSS_WITH_AES_128_GCM_SHA256 "DH-DSS-AES128-GCM-SHA256" Dh Dss "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0x00A5 TLS_DH_DSS_WITH_AES_256_GCM_SHA384 "DH-DSS-AES256-GCM-SHA384" Dh Dss "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0x00A6 TLS_DH_anon_WITH_AES_128_GCM_SHA256 "ADH-AES128-GCM-SHA256" Dhe Null "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Insecure;
    0x00A7 TLS_DH_anon_WITH_AES_256_GCM_SHA384 "ADH-AES256-GCM-SHA384" Dhe Null "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Insecure;
    0x00A8 TLS_PSK_WITH_AES_128_GCM_SHA256 "PSK-AES128-GCM-SHA256" Psk Psk "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0x00A9 TLS_PSK_WITH_AES_256_GCM_SHA384 "PSK-AES256-GCM-SHA384" Psk Psk "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0x00AA TLS_DHE_PSK_WITH_AES_128_GCM_SHA256 "DHE-PSK-AES128-GCM-SHA256" DhePsk Psk "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0x00AB TLS_DHE_PSK_WITH_AES_256_GCM_SHA384 "DHE-PSK-AES256-GCM-SHA384" DhePsk Psk "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0x00AC TLS_RSA_PSK_WITH_AES_128_GCM_SHA256 "RSA-PSK-AES128-GCM-SHA256" RsaPsk Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0x00AD TLS_RSA_PSK_WITH_AES_256_GCM_SHA384 "RSA-PSK-AES256-GCM-SHA384" RsaPsk Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0x00AE TLS_PSK_WITH_AES_128_CBC_SHA256 "PSK-AES128-CBC-SHA256" Psk Psk "AES_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0x00AF TLS_PSK_WITH_AES_256_CBC_SHA384 "PSK-AES256-CBC-SHA384" Psk Psk "AES_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0x00B0 TLS_PSK_WITH_NULL_SHA256 "PSK-NULL-SHA256" Psk Psk "NULL" 0 "SHA256" Tls10 Tls12 [] Insecure;
    0x00B1 TLS_PSK_WITH_NULL_SHA384 "PSK-NULL-SHA384" Psk Psk "NULL" 0 "SHA384" Tls10 Tls12 [] Insecure;
    0x00B2 TLS_DHE_PSK_WITH_AES_128_CBC_SHA256 "DHE-PSK-AES128-CBC-SHA256" DhePsk Psk "AES_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0x00B3 TLS_DHE_PSK_WITH_AES_256_CBC_SHA384 "DHE-PSK-AES256-CBC-SHA384" DhePsk Psk "AES_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0x00B4 TLS_DHE_PSK_WITH_NULL_SHA256 "DHE-PSK-NULL-SHA256" DhePsk Psk "NULL" 0 "SHA256" Tls10 Tls12 [] Insecure;
    0x00B5 TLS_DHE_PSK_WITH_NULL_SHA384 "DHE-PSK-NULL-SHA384" DhePsk Psk "NULL" 0 "SHA384" Tls10 Tls12 [] Insecure;
    0x00B6 TLS_RSA_PSK_WITH_AES_128_CBC_SHA256 "RSA-PSK-AES128-CBC-SHA256" RsaPsk Rsa "AES_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0x00B7 TLS_RSA_PSK_WITH_AES_256_CBC_SHA384 "RSA-PSK-AES256-CBC-SHA384" RsaPsk Rsa "AES_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0x00B8 TLS_RSA_PSK_WITH_NULL_SHA256 "RSA-PSK-NULL-SHA256" RsaPsk Rsa "NULL" 0 "SHA256" Tls10 Tls12 [] Insecure;
    0x00B9 TLS_RSA_PSK_WITH_NULL_SHA384 "RSA-PSK-NULL-SHA384" RsaPsk Rsa "NULL" 0 "SHA384" Tls10 Tls12 [] Insecure;
    0x00BA TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256 "CAMELLIA128-SHA256" Rsa Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x00BB TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256 "DH-DSS-CAMELLIA128-SHA256" Dh Dss "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x00BC TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256 "DH-RSA-CAMELLIA128-SHA256" Dh Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x00BD TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256 "DHE-DSS-CAMELLIA128-SHA256" Dhe Dss "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x00BE TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 "DHE-RSA-CAMELLIA128-SHA256" Dhe Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0x00BF TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256 "ADH-CAMELLIA128-SHA256" Dhe Null "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Insecure;
    0x00C0 TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256 "CAMELLIA256-SHA256" Rsa Rsa "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x00C1 TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256 "DH-DSS-CAMELLIA256-SHA256" Dh Dss "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x00C2 TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256 "DH-RSA-CAMELLIA256-SHA256" Dh Rsa "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x00C3 TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256 "DHE-DSS-CAMELLIA256-SHA256" Dhe Dss "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x00C4 TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256 "DHE-RSA-CAMELLIA256-SHA256" Dhe Rsa "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Weak;
    0x00C5 TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256 "ADH-CAMELLIA256-SHA256" Dhe Null "CAMELLIA_256_CBC" 256 "SHA256" Tls12 Tls12 [] Insecure;
    0x00C6 TLS_SM4_GCM_SM3 "-" Any Any "SM4_GCM" 128 "AEAD" Tls13 Tls13 [] Secure;
    0x00C7 TLS_SM4_CCM_SM3 "-" Any Any "SM4_CCM" 128 "AEAD" Tls13 Tls13 [] Secure;
    0x00FF TLS_EMPTY_RENEGOTIATION_INFO_SCSV "-" Null Null "NULL" 0 "NULL" Ssl3 Tls12 [Scsv] Secure;
    0x1301 TLS_AES_128_GCM_SHA256 "TLS_AES_128_GCM_SHA256" Any Any "AES_128_GCM" 128 "AEAD" Tls13 Tls13 [] Recommended;
    0x1302 TLS_AES_256_GCM_SHA384 "TLS_AES_256_GCM_SHA384" Any Any "AES_256_GCM" 256 "AEAD" Tls13 Tls13 [] Recommended;
    0x1303 TLS_CHACHA20_POLY1305_SHA256 "TLS_CHACHA20_POLY1305_SHA256" Any Any "CHACHA20_POLY1305" 256 "AEAD" Tls13 Tls13 [] Recommended;
    0x1304 TLS_AES_128_CCM_SHA256 "TLS_AES_128_CCM_SHA256" Any Any "AES_128_CCM" 128 "AEAD" Tls13 Tls13 [] Recommended;
    0x1305 TLS_AES_128_CCM_8_SHA256 "TLS_AES_128_CCM_8_SHA256" Any Any "AES_128_CCM_8" 128 "AEAD" Tls13 Tls13 [] Secure;
    0x1306 TLS_AEGIS_256_SHA512 "-" Any Any "AEGIS_256" 256 "AEAD" Tls13 Tls13 [] Secure;
    0x1307 TLS_AEGIS_128L_SHA256 "-" Any Any "AEGIS_128L" 128 "AEAD" Tls13 Tls13 [] Secure;
    0x5600 TLS_FALLBACK_SCSV "-" Null Null "NULL" 0 "NULL" Ssl3 Tls13 [Scsv] Secure;
    0xC001 TLS_ECDH_ECDSA_WITH_NULL_SHA "ECDH-ECDSA-NULL-SHA" Ecdh Ecdsa "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC002 TLS_ECDH_ECDSA_WITH_RC4_128_SHA "ECDH-ECDSA-RC4-SHA" Ecdh Ecdsa "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC003 TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA "ECDH-ECDSA-DES-CBC3-SHA" Ecdh Ecdsa "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Weak;
    0xC004 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA "ECDH-ECDSA-AES128-SHA" Ecdh Ecdsa "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Weak;
    0xC005 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA "ECDH-ECDSA-AES256-SHA" Ecdh Ecdsa "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Weak;
    0xC006 TLS_ECDHE_ECDSA_WITH_NULL_SHA "ECDHE-ECDSA-NULL-SHA" Ecdhe Ecdsa "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC007 TLS_ECDHE_ECDSA_WITH_RC4_128_SHA "ECDHE-ECDSA-RC4-SHA" Ecdhe Ecdsa "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC008 TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA "ECDHE-ECDSA-DES-CBC3-SHA" Ecdhe Ecdsa "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Weak;
    0xC009 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA "ECDHE-ECDSA-AES128-SHA" Ecdhe Ecdsa "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Weak;
    0xC00A TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA "ECDHE-ECDSA-AES256-SHA" Ecdhe Ecdsa "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Weak;
    0xC00B TLS_ECDH_RSA_WITH_NULL_SHA "ECDH-RSA-NULL-SHA" Ecdh Rsa "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC00C TLS_ECDH_RSA_WITH_RC4_128_SHA "ECDH-RSA-RC4-SHA" Ecdh Rsa "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC00D TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA "ECDH-RSA-DES-CBC3-SHA" Ecdh Rsa "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Weak;
    0xC00E TLS_ECDH_RSA_WITH_AES_128_CBC_SHA "ECDH-RSA-AES128-SHA" Ecdh Rsa "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Weak;
    0xC00F TLS_ECDH_RSA_WITH_AES_256_CBC_SHA "ECDH-RSA-AES256-SHA" Ecdh Rsa "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Weak;
    0xC010 TLS_ECDHE_RSA_WITH_NULL_SHA "ECDHE-RSA-NULL-SHA" Ecdhe Rsa "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC011 TLS_ECDHE_RSA_WITH_RC4_128_SHA "ECDHE-RSA-RC4-SHA" Ecdhe Rsa "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC012 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA "ECDHE-RSA-DES-CBC3-SHA" Ecdhe Rsa "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Weak;
    0xC013 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA "ECDHE-RSA-AES128-SHA" Ecdhe Rsa "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Weak;
    0xC014 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA "ECDHE-RSA-AES256-SHA" Ecdhe Rsa "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Weak;
    0xC015 TLS_ECDH_anon_WITH_NULL_SHA "AECDH-NULL-SHA" Ecdhe Null "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC016 TLS_ECDH_anon_WITH_RC4_128_SHA "AECDH-RC4-SHA" Ecdhe Null "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC017 TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA "AECDH-DES-CBC3-SHA" Ecdhe Null "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Insecure;
    0xC018 TLS_ECDH_anon_WITH_AES_128_CBC_SHA "AECDH-AES128-SHA" Ecdhe Null "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC019 TLS_ECDH_anon_WITH_AES_256_CBC_SHA "AECDH-AES256-SHA" Ecdhe Null "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Insecure;
    0xC01A TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA "SRP-3DES-EDE-CBC-SHA" Srp Srp "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0xC01B TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA "SRP-RSA-3DES-EDE-CBC-SHA" Srp Rsa "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0xC01C TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA "SRP-DSS-3DES-EDE-CBC-SHA" Srp Dss "3DES_EDE_CBC" 112 "SHA" Ssl3 Tls12 [] Weak;
    0xC01D TLS_SRP_SHA_WITH_AES_128_CBC_SHA "SRP-AES-128-CBC-SHA" Srp Srp "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0xC01E TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA "SRP-RSA-AES-128-CBC-SHA" Srp Rsa "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0xC01F TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA "SRP-DSS-AES-128-CBC-SHA" Srp Dss "AES_128_CBC" 128 "SHA" Ssl3 Tls12 [] Weak;
    0xC020 TLS_SRP_SHA_WITH_AES_256_CBC_SHA "SRP-AES-256-CBC-SHA" Srp Srp "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0xC021 TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA "SRP-RSA-AES-256-CBC-SHA" Srp Rsa "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0xC022 TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA "SRP-DSS-AES-256-CBC-SHA" Srp Dss "AES_256_CBC" 256 "SHA" Ssl3 Tls12 [] Weak;
    0xC023 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 "ECDHE-ECDSA-AES128-SHA256" Ecdhe Ecdsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC024 TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 "ECDHE-ECDSA-AES256-SHA384" Ecdhe Ecdsa "AES_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC025 TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256 "ECDH-ECDSA-AES128-SHA256" Ecdh Ecdsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC026 TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384 "ECDH-ECDSA-AES256-SHA384" Ecdh Ecdsa "AES_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC027 TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 "ECDHE-RSA-AES128-SHA256" Ecdhe Rsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC028 TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 "ECDHE-RSA-AES256-SHA384" Ecdhe Rsa "AES_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC029 TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256 "ECDH-RSA-AES128-SHA256" Ecdh Rsa "AES_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC02A TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384 "ECDH-RSA-AES256-SHA384" Ecdh Rsa "AES_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC02B TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 "ECDHE-ECDSA-AES128-GCM-SHA256" Ecdhe Ecdsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Recommended;
    0xC02C TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 "ECDHE-ECDSA-AES256-GCM-SHA384" Ecdhe Ecdsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Recommended;
    0xC02D TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256 "ECDH-ECDSA-AES128-GCM-SHA256" Ecdh Ecdsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC02E TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384 "ECDH-ECDSA-AES256-GCM-SHA384" Ecdh Ecdsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC02F TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 "ECDHE-RSA-AES128-GCM-SHA256" Ecdhe Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Recommended;
    0xC030 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 "ECDHE-RSA-AES256-GCM-SHA384" Ecdhe Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Recommended;
    0xC031 TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256 "ECDH-RSA-AES128-GCM-SHA256" Ecdh Rsa "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC032 TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384 "ECDH-RSA-AES256-GCM-SHA384" Ecdh Rsa "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC033 TLS_ECDHE_PSK_WITH_RC4_128_SHA "ECDHE-PSK-RC4-SHA" EcdhePsk Psk "RC4_128" 128 "SHA" Tls10 Tls12 [] Insecure;
    0xC034 TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA "ECDHE-PSK-3DES-EDE-CBC-SHA" EcdhePsk Psk "3DES_EDE_CBC" 112 "SHA" Tls10 Tls12 [] Weak;
    0xC035 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA "ECDHE-PSK-AES128-CBC-SHA" EcdhePsk Psk "AES_128_CBC" 128 "SHA" Tls10 Tls12 [] Weak;
    0xC036 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA "ECDHE-PSK-AES256-CBC-SHA" EcdhePsk Psk "AES_256_CBC" 256 "SHA" Tls10 Tls12 [] Weak;
    0xC037 TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256 "ECDHE-PSK-AES128-CBC-SHA256" EcdhePsk Psk "AES_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC038 TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384 "ECDHE-PSK-AES256-CBC-SHA384" EcdhePsk Psk "AES_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC039 TLS_ECDHE_PSK_WITH_NULL_SHA "ECDHE-PSK-NULL-SHA" EcdhePsk Psk "NULL" 0 "SHA" Tls10 Tls12 [] Insecure;
    0xC03A TLS_ECDHE_PSK_WITH_NULL_SHA256 "ECDHE-PSK-NULL-SHA256" EcdhePsk Psk "NULL" 0 "SHA256" Tls10 Tls12 [] Insecure;
    0xC03B TLS_ECDHE_PSK_WITH_NULL_SHA384 "ECDHE-PSK-NULL-SHA384" EcdhePsk Psk "NULL" 0 "SHA384" Tls10 Tls12 [] Insecure;
    0xC03C TLS_RSA_WITH_ARIA_128_CBC_SHA256 "-" Rsa Rsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC03D TLS_RSA_WITH_ARIA_256_CBC_SHA384 "-" Rsa Rsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC03E TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256 "-" Dh Dss "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC03F TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384 "-" Dh Dss "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC040 TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256 "-" Dh Rsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC041 TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384 "-" Dh Rsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC042 TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256 "-" Dhe Dss "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC043 TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384 "-" Dhe Dss "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC044 TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256 "-" Dhe Rsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC045 TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384 "-" Dhe Rsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC046 TLS_DH_anon_WITH_ARIA_128_CBC_SHA256 "-" Dhe Null "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Insecure;
    0xC047 TLS_DH_anon_WITH_ARIA_256_CBC_SHA384 "-" Dhe Null "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Insecure;
    0xC048 TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256 "-" Ecdhe Ecdsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC049 TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384 "-" Ecdhe Ecdsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC04A TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256 "-" Ecdh Ecdsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC04B TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384 "-" Ecdh Ecdsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC04C TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256 "-" Ecdhe Rsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC04D TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384 "-" Ecdhe Rsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC04E TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256 "-" Ecdh Rsa "ARIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC04F TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384 "-" Ecdh Rsa "ARIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC050 TLS_RSA_WITH_ARIA_128_GCM_SHA256 "ARIA128-GCM-SHA256" Rsa Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC051 TLS_RSA_WITH_ARIA_256_GCM_SHA384 "ARIA256-GCM-SHA384" Rsa Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC052 TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256 "DHE-RSA-ARIA128-GCM-SHA256" Dhe Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC053 TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384 "DHE-RSA-ARIA256-GCM-SHA384" Dhe Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC054 TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256 "DH-RSA-ARIA128-GCM-SHA256" Dh Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC055 TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384 "DH-RSA-ARIA256-GCM-SHA384" Dh Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC056 TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256 "DHE-DSS-ARIA128-GCM-SHA256" Dhe Dss "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC057 TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384 "DHE-DSS-ARIA256-GCM-SHA384" Dhe Dss "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC058 TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256 "DH-DSS-ARIA128-GCM-SHA256" Dh Dss "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC059 TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384 "DH-DSS-ARIA256-GCM-SHA384" Dh Dss "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC05A TLS_DH_anon_WITH_ARIA_128_GCM_SHA256 "ADH-ARIA128-GCM-SHA256" Dhe Null "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Insecure;
    0xC05B TLS_DH_anon_WITH_ARIA_256_GCM_SHA384 "ADH-ARIA256-GCM-SHA384" Dhe Null "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Insecure;
    0xC05C TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256 "ECDHE-ECDSA-ARIA128-GCM-SHA256" Ecdhe Ecdsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC05D TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384 "ECDHE-ECDSA-ARIA256-GCM-SHA384" Ecdhe Ecdsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC05E TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256 "ECDH-ECDSA-ARIA128-GCM-SHA256" Ecdh Ecdsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC05F TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384 "ECDH-ECDSA-ARIA256-GCM-SHA384" Ecdh Ecdsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC060 TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256 "ECDHE-ARIA128-GCM-SHA256" Ecdhe Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC061 TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384 "ECDHE-ARIA256-GCM-SHA384" Ecdhe Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC062 TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256 "ECDH-ARIA128-GCM-SHA256" Ecdh Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC063 TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384 "ECDH-ARIA256-GCM-SHA384" Ecdh Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC064 TLS_PSK_WITH_ARIA_128_CBC_SHA256 "-" Psk Psk "ARIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC065 TLS_PSK_WITH_ARIA_256_CBC_SHA384 "-" Psk Psk "ARIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC066 TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256 "-" DhePsk Psk "ARIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC067 TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384 "-" DhePsk Psk "ARIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC068 TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256 "-" RsaPsk Rsa "ARIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC069 TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384 "-" RsaPsk Rsa "ARIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC06A TLS_PSK_WITH_ARIA_128_GCM_SHA256 "PSK-ARIA128-GCM-SHA256" Psk Psk "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC06B TLS_PSK_WITH_ARIA_256_GCM_SHA384 "PSK-ARIA256-GCM-SHA384" Psk Psk "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC06C TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256 "DHE-PSK-ARIA128-GCM-SHA256" DhePsk Psk "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC06D TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384 "DHE-PSK-ARIA256-GCM-SHA384" DhePsk Psk "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC06E TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256 "RSA-PSK-ARIA128-GCM-SHA256" RsaPsk Rsa "ARIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC06F TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384 "RSA-PSK-ARIA256-GCM-SHA384" RsaPsk Rsa "ARIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC070 TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256 "-" EcdhePsk Psk "ARIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC071 TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384 "-" EcdhePsk Psk "ARIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC072 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 "ECDHE-ECDSA-CAMELLIA128-SHA256" Ecdhe Ecdsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC073 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 "ECDHE-ECDSA-CAMELLIA256-SHA384" Ecdhe Ecdsa "CAMELLIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC074 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256 "ECDH-ECDSA-CAMELLIA128-SHA256" Ecdh Ecdsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC075 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384 "ECDH-ECDSA-CAMELLIA256-SHA384" Ecdh Ecdsa "CAMELLIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC076 TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256 "ECDHE-RSA-CAMELLIA128-SHA256" Ecdhe Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC077 TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384 "ECDHE-RSA-CAMELLIA256-SHA384" Ecdhe Rsa "CAMELLIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC078 TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256 "ECDH-RSA-CAMELLIA128-SHA256" Ecdh Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls12 Tls12 [] Weak;
    0xC079 TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384 "ECDH-RSA-CAMELLIA256-SHA384" Ecdh Rsa "CAMELLIA_256_CBC" 256 "SHA384" Tls12 Tls12 [] Weak;
    0xC07A TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Rsa Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC07B TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Rsa Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC07C TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Dhe Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC07D TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Dhe Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC07E TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Dh Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC07F TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Dh Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC080 TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256 "-" Dhe Dss "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC081 TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384 "-" Dhe Dss "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC082 TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256 "-" Dh Dss "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC083 TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384 "-" Dh Dss "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC084 TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256 "-" Dhe Null "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Insecure;
    0xC085 TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384 "-" Dhe Null "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Insecure;
    0xC086 TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Ecdhe Ecdsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC087 TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Ecdhe Ecdsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC088 TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Ecdh Ecdsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC089 TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Ecdh Ecdsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC08A TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Ecdhe Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC08B TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Ecdhe Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC08C TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256 "-" Ecdh Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC08D TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384 "-" Ecdh Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC08E TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256 "-" Psk Psk "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC08F TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384 "-" Psk Psk "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC090 TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256 "-" DhePsk Psk "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC091 TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384 "-" DhePsk Psk "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC092 TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256 "-" RsaPsk Rsa "CAMELLIA_128_GCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC093 TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384 "-" RsaPsk Rsa "CAMELLIA_256_GCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC094 TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256 "PSK-CAMELLIA128-SHA256" Psk Psk "CAMELLIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC095 TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384 "PSK-CAMELLIA256-SHA384" Psk Psk "CAMELLIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC096 TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 "DHE-PSK-CAMELLIA128-SHA256" DhePsk Psk "CAMELLIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC097 TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 "DHE-PSK-CAMELLIA256-SHA384" DhePsk Psk "CAMELLIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC098 TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256 "RSA-PSK-CAMELLIA128-SHA256" RsaPsk Rsa "CAMELLIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC099 TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384 "RSA-PSK-CAMELLIA256-SHA384" RsaPsk Rsa "CAMELLIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC09A TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256 "ECDHE-PSK-CAMELLIA128-SHA256" EcdhePsk Psk "CAMELLIA_128_CBC" 128 "SHA256" Tls10 Tls12 [] Weak;
    0xC09B TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384 "ECDHE-PSK-CAMELLIA256-SHA384" EcdhePsk Psk "CAMELLIA_256_CBC" 256 "SHA384" Tls10 Tls12 [] Weak;
    0xC09C TLS_RSA_WITH_AES_128_CCM "AES128-CCM" Rsa Rsa "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC09D TLS_RSA_WITH_AES_256_CCM "AES256-CCM" Rsa Rsa "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC09E TLS_DHE_RSA_WITH_AES_128_CCM "DHE-RSA-AES128-CCM" Dhe Rsa "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC09F TLS_DHE_RSA_WITH_AES_256_CCM "DHE-RSA-AES256-CCM" Dhe Rsa "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0A0 TLS_RSA_WITH_AES_128_CCM_8 "AES128-CCM8" Rsa Rsa "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC0A1 TLS_RSA_WITH_AES_256_CCM_8 "AES256-CCM8" Rsa Rsa "AES_256_CCM_8" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC0A2 TLS_DHE_RSA_WITH_AES_128_CCM_8 "DHE-RSA-AES128-CCM8" Dhe Rsa "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0A3 TLS_DHE_RSA_WITH_AES_256_CCM_8 "DHE-RSA-AES256-CCM8" Dhe Rsa "AES_256_CCM_8" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0A4 TLS_PSK_WITH_AES_128_CCM "PSK-AES128-CCM" Psk Psk "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC0A5 TLS_PSK_WITH_AES_256_CCM "PSK-AES256-CCM" Psk Psk "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC0A6 TLS_DHE_PSK_WITH_AES_128_CCM "DHE-PSK-AES128-CCM" DhePsk Psk "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0A7 TLS_DHE_PSK_WITH_AES_256_CCM "DHE-PSK-AES256-CCM" DhePsk Psk "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0A8 TLS_PSK_WITH_AES_128_CCM_8 "PSK-AES128-CCM8" Psk Psk "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Weak;
    0xC0A9 TLS_PSK_WITH_AES_256_CCM_8 "PSK-AES256-CCM8" Psk Psk "AES_256_CCM_8" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xC0AA TLS_PSK_DHE_WITH_AES_128_CCM_8 "DHE-PSK-AES128-CCM8" DhePsk Psk "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0AB TLS_PSK_DHE_WITH_AES_256_CCM_8 "DHE-PSK-AES256-CCM8" DhePsk Psk "AES_256_CCM_8" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0AC TLS_ECDHE_ECDSA_WITH_AES_128_CCM "ECDHE-ECDSA-AES128-CCM" Ecdhe Ecdsa "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Recommended;
    0xC0AD TLS_ECDHE_ECDSA_WITH_AES_256_CCM "ECDHE-ECDSA-AES256-CCM" Ecdhe Ecdsa "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Recommended;
    0xC0AE TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 "ECDHE-ECDSA-AES128-CCM8" Ecdhe Ecdsa "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0AF TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8 "ECDHE-ECDSA-AES256-CCM8" Ecdhe Ecdsa "AES_256_CCM_8" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0B0 TLS_ECCPWD_WITH_AES_128_GCM_SHA256 "-" Eccpwd Eccpwd "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0B1 TLS_ECCPWD_WITH_AES_256_GCM_SHA384 "-" Eccpwd Eccpwd "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0B2 TLS_ECCPWD_WITH_AES_128_CCM_SHA256 "-" Eccpwd Eccpwd "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xC0B3 TLS_ECCPWD_WITH_AES_256_CCM_SHA384 "-" Eccpwd Eccpwd "AES_256_CCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xC0B4 TLS_SHA256_SHA256 "TLS_SHA256_SHA256" Any Any "NULL" 0 "SHA256" Tls13 Tls13 [] Insecure;
    0xC0B5 TLS_SHA384_SHA384 "TLS_SHA384_SHA384" Any Any "NULL" 0 "SHA384" Tls13 Tls13 [] Insecure;
    0xC100 TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC "GOST2012-KUZNYECHIK-KUZNYECHIKOMAC" Gost Gost "KUZNYECHIK_CTR" 256 "OMAC" Tls12 Tls12 [] Weak;
    0xC101 TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC "GOST2012-MAGMA-MAGMAOMAC" Gost Gost "MAGMA_CTR" 256 "OMAC" Tls12 Tls12 [] Weak;
    0xC102 TLS_GOSTR341112_256_WITH_28147_CNT_IMIT "IANA-GOST2012-GOST8912-GOST8912" Gost Gost "28147_CNT" 256 "IMIT" Tls12 Tls12 [] Weak;
    0xC103 TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L "-" Any Any "KUZNYECHIK_MGM_L" 256 "AEAD" Tls13 Tls13 [] Secure;
    0xC104 TLS_GOSTR341112_256_WITH_MAGMA_MGM_L "-" Any Any "MAGMA_MGM_L" 256 "AEAD" Tls13 Tls13 [] Secure;
    0xC105 TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S "-" Any Any "KUZNYECHIK_MGM_S" 256 "AEAD" Tls13 Tls13 [] Secure;
    0xC106 TLS_GOSTR341112_256_WITH_MAGMA_MGM_S "-" Any Any "MAGMA_MGM_S" 256 "AEAD" Tls13 Tls13 [] Secure;
    0xCCA8 TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 "ECDHE-RSA-CHACHA20-POLY1305" Ecdhe Rsa "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Recommended;
    0xCCA9 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 "ECDHE-ECDSA-CHACHA20-POLY1305" Ecdhe Ecdsa "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Recommended;
    0xCCAA TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 "DHE-RSA-CHACHA20-POLY1305" Dhe Rsa "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xCCAB TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 "PSK-CHACHA20-POLY1305" Psk Psk "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xCCAC TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 "ECDHE-PSK-CHACHA20-POLY1305" EcdhePsk Psk "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xCCAD TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256 "DHE-PSK-CHACHA20-POLY1305" DhePsk Psk "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xCCAE TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256 "RSA-PSK-CHACHA20-POLY1305" RsaPsk Rsa "CHACHA20_POLY1305" 256 "AEAD" Tls12 Tls12 [] Weak;
    0xD001 TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 "-" EcdhePsk Psk "AES_128_GCM" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xD002 TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 "-" EcdhePsk Psk "AES_256_GCM" 256 "AEAD" Tls12 Tls12 [] Secure;
    0xD003 TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256 "-" EcdhePsk Psk "AES_128_CCM_8" 128 "AEAD" Tls12 Tls12 [] Secure;
    0xD005 TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256 "-" EcdhePsk Psk "AES_128_CCM" 128 "AEAD" Tls12 Tls12 [] Secure;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::process::Command;

    #[test]
    fn ids_sorted_unique_and_many() {
        assert!(SUITES.len() >= 330, "only {} suites", SUITES.len());
        for w in SUITES.windows(2) {
            assert!(w[0].id < w[1].id, "{:#06x} !< {:#06x}", w[0].id, w[1].id);
        }
        let registered = SUITES.iter().filter(|s| s.registered).count();
        assert!(registered >= 340, "only {registered} registered suites");
    }

    #[test]
    fn names_unique_and_round_trip() {
        let mut seen = HashSet::new();
        for s in SUITES {
            assert!(seen.insert(s.iana.to_ascii_lowercase()), "dup {}", s.iana);
            if let Some(o) = s.openssl {
                // OpenSSL reuses the IANA spelling for TLS 1.3 suites only.
                if o != s.iana {
                    assert!(seen.insert(o.to_ascii_lowercase()), "dup {o}");
                }
            }
        }
        for s in SUITES {
            assert_eq!(suite(s.id), Some(s));
            assert_eq!(by_name(s.iana), Some(s), "{}", s.iana);
            assert_eq!(by_name(&s.iana.to_ascii_lowercase()), Some(s));
            if let Some(o) = s.openssl {
                assert_eq!(by_name(o), Some(s), "{o}");
            }
            assert_eq!(suite_name(s.id), s.iana);
            assert_eq!(CipherSuite(s.id).info(), Some(s));
            assert!(s.iana.starts_with("TLS_"), "{}", s.iana);
        }
    }

    #[test]
    fn constants_match_the_table() {
        assert_eq!(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.0, 0xC02F);
        assert_eq!(CipherSuite::TLS_FALLBACK_SCSV.0, 0x5600);
        assert_eq!(CipherSuite::TLS_DH_anon_WITH_RC4_128_MD5.0, 0x0018);
        assert_eq!(
            format!("{:?}", CipherSuite::TLS_AES_128_GCM_SHA256),
            "TLS_AES_128_GCM_SHA256"
        );
        assert_eq!(format!("{:?}", CipherSuite(0xC0FF)), "CipherSuite(0xC0FF)");
        assert_eq!(CipherSuite(0x2A2A).to_string(), "GREASE(0x2A2A)");
        assert_eq!(
            serde_json::to_value(CipherSuite(0x1301)).unwrap(),
            serde_json::json!("TLS_AES_128_GCM_SHA256")
        );
    }

    #[test]
    fn lookup_aliases_and_unknowns() {
        let rc4 = by_name("SSL_RSA_WITH_RC4_128_MD5").map(|s| s.id);
        assert_eq!(rc4, Some(0x0004));
        let win = by_name("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384_P384").map(|s| s.id);
        assert_eq!(win, Some(0xC028));
        assert_eq!(
            by_name(" ecdhe-rsa-aes128-gcm-sha256 ").map(|s| s.id),
            Some(0xC02F)
        );
        assert_eq!(by_name("TLS_NOT_A_SUITE"), None);
        assert_eq!(by_name(""), None);
        assert_eq!(suite(0xC0FF), None);
        assert_eq!(suite_name(0xC0FF), "0xC0FF");
        assert_eq!(suite_name(0x0A0A), "GREASE(0x0A0A)");
        assert_eq!(suite_name(0xFAFA), "GREASE(0xFAFA)");
        assert_eq!(suite_name(0x1A2A), "0x1A2A");
    }

    #[test]
    fn grease_values() {
        let grease: Vec<u16> = (0..=u16::MAX).filter(|&v| is_grease(v)).collect();
        assert_eq!(grease.len(), 16);
        assert_eq!(grease.first(), Some(&0x0A0A));
        assert_eq!(grease.last(), Some(&0xFAFA));
        assert!(SUITES.iter().all(|s| !is_grease(s.id)));
    }

    fn rating(id: u16) -> Security {
        suite(id)
            .map(|s| s.security)
            .unwrap_or_else(|| panic!("{id:#06x} missing"))
    }

    #[test]
    fn security_spot_checks() {
        let by = |n: &str| by_name(n).unwrap_or_else(|| panic!("{n} missing")).security;
        assert_eq!(by("TLS_RSA_WITH_RC4_128_MD5"), Security::Insecure);
        assert_eq!(by("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), Security::Insecure);
        assert_eq!(
            by("TLS_DH_anon_WITH_AES_256_GCM_SHA384"),
            Security::Insecure
        );
        assert_eq!(by("TLS_RSA_WITH_NULL_SHA256"), Security::Insecure);
        assert_eq!(by("TLS_RSA_WITH_DES_CBC_SHA"), Security::Insecure);
        assert_eq!(by("TLS_SHA256_SHA256"), Security::Insecure);
        assert_eq!(by("TLS_RSA_WITH_AES_128_CBC_SHA"), Security::Weak);
        assert_eq!(by("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), Security::Weak);
        assert_eq!(by("TLS_RSA_WITH_AES_128_GCM_SHA256"), Security::Weak);
        assert_eq!(by("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), Security::Weak);
        assert_eq!(by("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), Security::Secure);
        assert_eq!(by("TLS_AES_128_CCM_8_SHA256"), Security::Secure);
        assert_eq!(
            by("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Security::Recommended
        );
        assert_eq!(
            by("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            Security::Recommended
        );
        assert_eq!(by("TLS_AES_256_GCM_SHA384"), Security::Recommended);
        assert_eq!(rating(0x1303), Security::Recommended);
    }

    /// The documented security rule, restated independently of the table.
    fn documented_rating(s: &SuiteInfo) -> Security {
        if s.scsv {
            return Security::Secure;
        }
        let broken_cipher = ["RC4", "RC2", "DES_", "DES40"]
            .iter()
            .any(|p| s.enc.starts_with(p));
        if s.enc == "NULL"
            || s.auth == Auth::Null
            || s.export
            || s.mac == "MD5"
            || s.bits < 112
            || broken_cipher
        {
            return Security::Insecure;
        }
        if !s.kx.forward_secret() || !s.aead {
            return Security::Weak;
        }
        let best_cipher = (s.enc.starts_with("AES_") && !s.enc.ends_with("CCM_8"))
            || s.enc == "CHACHA20_POLY1305";
        if matches!(s.kx, Kx::Ecdhe | Kx::Any)
            && matches!(s.auth, Auth::Rsa | Auth::Ecdsa | Auth::Any)
            && best_cipher
        {
            return Security::Recommended;
        }
        Security::Secure
    }

    /// The documented version rule, restated independently of the table.
    fn documented_versions(s: &SuiteInfo) -> (ProtocolVersion, ProtocolVersion) {
        use ProtocolVersion::*;
        let tls13_only =
            matches!(s.id, 0x1301..=0x13FF | 0x00C6 | 0x00C7 | 0xC0B4 | 0xC0B5 | 0xC103..=0xC106);
        let psk = matches!(s.kx, Kx::Psk | Kx::DhePsk | Kx::RsaPsk | Kx::EcdhePsk);
        let sha2 = s.iana.ends_with("_SHA256") || s.iana.ends_with("_SHA384");
        if s.id == 0x5600 {
            (Ssl3, Tls13)
        } else if s.scsv {
            (Ssl3, Tls12)
        } else if tls13_only {
            (Tls13, Tls13)
        } else if s.export {
            (Ssl3, Tls10)
        } else if s.aead || (sha2 && !psk) || matches!(s.id, 0xC100..=0xC102) || s.kx == Kx::Eccpwd
        {
            (Tls12, Tls12)
        } else if matches!(s.kx, Kx::Ecdh | Kx::Ecdhe | Kx::EcdhePsk | Kx::Gost) || sha2 {
            (Tls10, Tls12)
        } else {
            (Ssl3, Tls12)
        }
    }

    #[test]
    fn table_follows_the_documented_rules() {
        for s in SUITES {
            assert_eq!(s.security, documented_rating(s), "{}", s.iana);
            assert_eq!(
                (s.min_version, s.max_version),
                documented_versions(s),
                "{}",
                s.iana
            );
            assert_eq!(s.export, s.iana.contains("EXPORT"), "{}", s.iana);
            assert_eq!(s.scsv, s.iana.ends_with("_SCSV"), "{}", s.iana);
            assert_eq!(s.aead, s.mac == "AEAD", "{}", s.iana);
            assert_eq!(s.enc == "NULL", s.bits == 0, "{}", s.iana);
            assert!(s.min_version <= s.max_version, "{}", s.iana);
            assert!(s.min_version >= ProtocolVersion::Ssl3, "{}", s.iana);
        }
    }

    #[test]
    fn version_validity() {
        use ProtocolVersion::*;
        let v = |n: &str| {
            let s = by_name(n).unwrap_or_else(|| panic!("{n} missing"));
            ProtocolVersion::ALL
                .into_iter()
                .filter(|&v| s.valid_for(v))
                .collect::<Vec<_>>()
        };
        assert_eq!(v("TLS_AES_128_GCM_SHA256"), [Tls13]);
        assert_eq!(v("TLS_RSA_WITH_AES_128_GCM_SHA256"), [Tls12]);
        assert_eq!(v("TLS_RSA_WITH_AES_128_CBC_SHA256"), [Tls12]);
        assert_eq!(
            v("TLS_RSA_WITH_AES_128_CBC_SHA"),
            [Ssl3, Tls10, Tls11, Tls12]
        );
        assert_eq!(
            v("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            [Tls10, Tls11, Tls12]
        );
        assert_eq!(v("TLS_RSA_EXPORT_WITH_RC4_40_MD5"), [Ssl3, Tls10]);
        assert_eq!(v("TLS_PSK_WITH_AES_128_CBC_SHA256"), [Tls10, Tls11, Tls12]);
        assert!(v("TLS_FALLBACK_SCSV").is_empty());
        assert_eq!(suites_for(Ssl2).count(), 0);
        assert!(suites_for(Tls13).all(|s| s.kx == Kx::Any));
        assert!(suites_for(Tls12).all(|s| s.kx != Kx::Any && !s.export));
        assert!(suites_for(Tls12).count() > 300);
        assert!(suites_for(Ssl3).any(|s| s.id == 0x000A));
        assert!(
            ProtocolVersion::ALL
                .iter()
                .all(|&v| suites_for(v).all(|s| !s.scsv))
        );
    }

    #[test]
    fn serialises_id_as_hex_string() {
        let s = suite(0xC02F).expect("C02F");
        let v = serde_json::to_value(s).unwrap();
        assert_eq!(v["id"], "0xC02F");
        assert_eq!(v["iana"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assert_eq!(v["openssl"], "ECDHE-RSA-AES128-GCM-SHA256");
        assert_eq!(v["kx"], "ECDHE");
        assert_eq!(v["auth"], "RSA");
        assert_eq!(v["min_version"], "TLS1.2");
        assert_eq!(v["security"], "recommended");
        assert_eq!(v["aead"], true);
        let none = serde_json::to_value(suite(0x00FF).expect("00FF")).unwrap();
        assert_eq!(none["openssl"], serde_json::Value::Null);
        assert_eq!(none["id"], "0x00FF");
    }

    /// Runs `openssl` with `args`; `None` when it is not installed and the caller may skip.
    fn openssl(args: &[&str]) -> Option<String> {
        match Command::new("openssl").args(args).output() {
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "openssl {args:?} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                Some(String::from_utf8_lossy(&out.stdout).into_owned())
            }
            Err(e) if std::env::var("TLSPROBE_SKIP_OPENSSL").as_deref() == Ok("1") => {
                eprintln!("skipping: cannot run openssl ({e}) and TLSPROBE_SKIP_OPENSSL=1");
                None
            }
            Err(e) => panic!(
                "cannot run `openssl` ({e}); install OpenSSL or set TLSPROBE_SKIP_OPENSSL=1 to skip"
            ),
        }
    }

    /// Every suite the local OpenSSL prints must be in the table with the same IANA name,
    /// OpenSSL name and minimum version.
    #[test]
    fn agrees_with_local_openssl() {
        let all = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
        let tls13 = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:\
                     TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256";
        let runs = [
            vec!["ciphers", "-V", "-stdname", all],
            vec!["ciphers", "-V", "-stdname", "-ciphersuites", tls13, all],
        ];
        let mut checked = 0;
        for args in runs {
            let Some(text) = openssl(&args) else { return };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                // "0xC0,0x2F - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=…"
                let f: Vec<&str> = line.split_whitespace().collect();
                let [hex, _, std, _, name, ver, ..] = f.as_slice() else {
                    panic!("unexpected openssl line: {line:?}");
                };
                let id = u16::from_str_radix(&hex.replace("0x", "").replace(',', ""), 16)
                    .unwrap_or_else(|e| panic!("bad id in {line:?}: {e}"));
                let s = suite(id).unwrap_or_else(|| panic!("{hex} {std} missing from the table"));
                if *std != "(NONE)" {
                    assert_eq!(s.iana, *std, "IANA name of {hex}");
                }
                assert_eq!(s.openssl, Some(*name), "OpenSSL name of {hex} {std}");
                let min = match *ver {
                    "SSLv3" => ProtocolVersion::Ssl3,
                    "TLSv1" => ProtocolVersion::Tls10,
                    "TLSv1.1" => ProtocolVersion::Tls11,
                    "TLSv1.2" => ProtocolVersion::Tls12,
                    "TLSv1.3" => ProtocolVersion::Tls13,
                    other => panic!("unknown version {other:?} in {line:?}"),
                };
                assert_eq!(s.min_version, min, "min version of {std}");
                checked += 1;
            }
        }
        assert!(checked >= 60, "openssl listed only {checked} suites");
    }
}
