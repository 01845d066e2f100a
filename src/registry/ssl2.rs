//! SSL 2.0 cipher kinds: the three-byte codes an SSLv2 CLIENT-HELLO offers and a SERVER-HELLO
//! lists.
//!
//! The seven kinds of the Netscape specification plus the ones OpenSSL added. Every one of them
//! is [`Security::Insecure`]: SSL 2.0 itself is broken (RFC 6176), whatever the cipher. This
//! module does not parse SSLv2 records.

use serde::Serialize;

use super::Security;

/// One SSL 2.0 cipher kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Ssl2CipherInfo {
    /// Three-byte code (`0x010080`); serialised as `"0x010080"`.
    #[serde(serialize_with = "super::serialize_hex24")]
    pub id: u32,
    /// Specification name (`"SSL_CK_RC4_128_WITH_MD5"`).
    pub name: &'static str,
    /// OpenSSL 1.0 name (`"RC4-MD5"`), if OpenSSL had the kind.
    pub openssl: Option<&'static str>,
    /// Effective symmetric key bits (40 for the export kinds, 0 for NULL).
    pub bits: u16,
    /// Export-grade kind.
    pub export: bool,
    /// Always [`Security::Insecure`].
    pub security: Security,
}

macro_rules! ssl2_ciphers {
    ($($id:literal $name:ident $openssl:literal $bits:literal $export:literal;)*) => {
        /// Every known SSL 2.0 cipher kind, sorted by `id`.
        pub static SSL2_CIPHERS: &[Ssl2CipherInfo] = &[$(
            Ssl2CipherInfo {
                id: $id,
                name: stringify!($name),
                openssl: match $openssl.as_bytes() { b"-" => None, _ => Some($openssl) },
                bits: $bits,
                export: $export,
                security: Security::Insecure,
            },
        )*];
    };
}

ssl2_ciphers! {
    0x000000 SSL_CK_NULL_WITH_MD5 "NULL-MD5" 0 false;
    0x010080 SSL_CK_RC4_128_WITH_MD5 "RC4-MD5" 128 false;
    0x020080 SSL_CK_RC4_128_EXPORT40_WITH_MD5 "EXP-RC4-MD5" 40 true;
    0x030080 SSL_CK_RC2_128_CBC_WITH_MD5 "RC2-CBC-MD5" 128 false;
    0x040080 SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5 "EXP-RC2-CBC-MD5" 40 true;
    0x050080 SSL_CK_IDEA_128_CBC_WITH_MD5 "IDEA-CBC-MD5" 128 false;
    0x060040 SSL_CK_DES_64_CBC_WITH_MD5 "DES-CBC-MD5" 56 false;
    0x060140 SSL_CK_DES_64_CBC_WITH_SHA "DES-CBC-SHA" 56 false;
    0x0700C0 SSL_CK_DES_192_EDE3_CBC_WITH_MD5 "DES-CBC3-MD5" 112 false;
    0x0701C0 SSL_CK_DES_192_EDE3_CBC_WITH_SHA "DES-CBC3-SHA" 112 false;
    0x080080 SSL_CK_RC4_64_WITH_MD5 "RC4-64-MD5" 64 false;
    0xFF0800 SSL_CK_DES_64_CFB64_WITH_MD5_1 "DES-CFB-M1" 56 false;
    0xFF0810 SSL_CK_NULL "NULL" 0 false;
}

/// The entry for a three-byte cipher kind (binary search).
pub fn ssl2_cipher(id: u32) -> Option<&'static Ssl2CipherInfo> {
    SSL2_CIPHERS
        .binary_search_by_key(&id, |c| c.id)
        .ok()
        .and_then(|i| SSL2_CIPHERS.get(i))
}

/// Printable name of any cipher kind: the specification name, else `"0x0A0B0C"`.
pub fn ssl2_cipher_name(id: u32) -> String {
    match ssl2_cipher(id) {
        Some(c) => c.name.to_string(),
        None => format!("0x{id:06X}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_all_insecure() {
        for w in SSL2_CIPHERS.windows(2) {
            assert!(w[0].id < w[1].id);
        }
        assert!(
            SSL2_CIPHERS
                .iter()
                .all(|c| c.security == Security::Insecure)
        );
        assert!(SSL2_CIPHERS.iter().all(|c| c.id <= 0xFF_FFFF));
        for c in SSL2_CIPHERS {
            assert_eq!(ssl2_cipher(c.id), Some(c));
            assert_eq!(ssl2_cipher_name(c.id), c.name);
            assert_eq!(c.export, c.name.contains("EXPORT"));
        }
    }

    #[test]
    fn lookups() {
        let rc4 = ssl2_cipher(0x010080).expect("rc4");
        assert_eq!(rc4.name, "SSL_CK_RC4_128_WITH_MD5");
        assert_eq!(rc4.openssl, Some("RC4-MD5"));
        assert_eq!(ssl2_cipher(0x0700C0).map(|c| c.bits), Some(112));
        assert_eq!(ssl2_cipher(0x123456), None);
        assert_eq!(ssl2_cipher_name(0x123456), "0x123456");
        let v = serde_json::to_value(rc4).unwrap();
        assert_eq!(v["id"], "0x010080");
        assert_eq!(v["security"], "insecure");
    }
}
