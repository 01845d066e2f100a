//! `tlsprobe ciphers` output: the registry [`Listing`] as an aligned table (in the spirit of
//! `openssl ciphers -v`) or as a `tlsprobe/v1` JSON document. Formatting only; which rows are
//! listed is [`crate::registry::listing`].

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::model::SCHEMA;
use crate::registry::listing::Listing;
use crate::registry::{ProtocolVersion, SuiteInfo};

/// `"TLS1.2"` for one version, `"SSL3.0-TLS1.2"` for a range, `"scsv"` for signalling values.
fn version_span(s: &SuiteInfo) -> String {
    if s.scsv {
        "scsv".to_string()
    } else if s.min_version == s.max_version {
        s.min_version.name().to_string()
    } else {
        format!("{}-{}", s.min_version, s.max_version)
    }
}

/// Writes rows of cells left-aligned in columns (numbers right-aligned), two spaces apart.
fn write_table(out: &mut dyn Write, rows: &[Vec<String>], right: &[usize]) -> io::Result<()> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let w = widths.get(c).copied().unwrap_or(0);
            if c > 0 {
                line.push_str("  ");
            }
            if right.contains(&c) {
                line.push_str(&format!("{cell:>w$}"));
            } else {
                line.push_str(&format!("{cell:<w$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Writes the human-readable listing: one aligned row per suite with hex id, IANA name, OpenSSL
/// name (or `-`), key exchange, authentication, cipher, effective bits, MAC, versions and rating.
pub fn write_human(out: &mut dyn Write, list: &Listing) -> io::Result<()> {
    let suites = &list.suites;
    if !suites.is_empty() {
        let header = [
            "ID",
            "IANA NAME",
            "OPENSSL NAME",
            "KX",
            "AUTH",
            "ENC",
            "BITS",
            "MAC",
            "VERSIONS",
            "SECURITY",
        ];
        let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        rows.extend(suites.iter().map(|s| {
            vec![
                format!("0x{:04X}", s.id),
                s.iana.to_string(),
                s.openssl.unwrap_or("-").to_string(),
                s.kx.to_string(),
                s.auth.to_string(),
                s.enc.to_string(),
                s.bits.to_string(),
                s.mac.to_string(),
                version_span(s),
                if s.scsv {
                    "-".to_string()
                } else {
                    s.security.to_string()
                },
            ]
        }));
        write_table(out, &rows, &[6])?;
    }
    let ssl2 = list.ssl2;
    if !ssl2.is_empty() {
        if !suites.is_empty() {
            writeln!(out)?;
            writeln!(out, "SSL 2.0 cipher kinds:")?;
        }
        let header = ["ID", "NAME", "OPENSSL NAME", "BITS", "VERSIONS", "SECURITY"];
        let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        rows.extend(ssl2.iter().map(|c| {
            vec![
                format!("0x{:06X}", c.id),
                c.name.to_string(),
                c.openssl.unwrap_or("-").to_string(),
                c.bits.to_string(),
                ProtocolVersion::Ssl2.name().to_string(),
                c.security.to_string(),
            ]
        }));
        write_table(out, &rows, &[3])?;
    }
    Ok(())
}

/// The JSON listing: `{"schema":"tlsprobe/v1","tls_version":…,"cipher_suites":[…],
/// "ssl2_ciphers":[…]}`.
pub fn json(list: &Listing) -> Value {
    json!({
        "schema": SCHEMA,
        "tls_version": list.version,
        "cipher_suites": list.suites,
        "ssl2_ciphers": list.ssl2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::listing::listing;
    use crate::registry::{SSL2_CIPHERS, SUITES, suites_for};

    fn human(v: Option<ProtocolVersion>) -> String {
        let mut buf = Vec::new();
        write_human(&mut buf, &listing(v)).expect("write to Vec");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn human_table_is_aligned_and_complete() {
        let text = human(None);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ID"));
        assert!(lines[0].contains("IANA NAME") && lines[0].contains("SECURITY"));
        // One header plus one line per suite, then a blank line, a title, the SSL 2.0 table.
        assert_eq!(lines.len(), 1 + SUITES.len() + 2 + 1 + SSL2_CIPHERS.len());
        let row = lines
            .iter()
            .find(|l| l.starts_with("0xC02F"))
            .expect("C02F row");
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "0xC02F",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256",
                "ECDHE",
                "RSA",
                "AES_128_GCM",
                "128",
                "AEAD",
                "TLS1.2",
                "recommended"
            ]
        );
        // Columns line up: the OpenSSL name starts at the same offset in every TLS row.
        let col = lines[0].find("OPENSSL NAME").expect("header column");
        for l in &lines[1..=SUITES.len()] {
            assert_ne!(l.as_bytes().get(col - 1), None);
            assert_eq!(l.as_bytes()[col - 1], b' ', "{l}");
            assert_ne!(l.as_bytes()[col], b' ', "{l}");
        }
        let scsv = lines
            .iter()
            .find(|l| l.starts_with("0x5600"))
            .expect("scsv row");
        assert!(scsv.contains("scsv") && scsv.ends_with('-'), "{scsv}");
        assert!(text.contains("SSL_CK_RC4_128_WITH_MD5"));
    }

    #[test]
    fn human_filters_by_version() {
        let t13 = human(Some(ProtocolVersion::Tls13));
        assert!(t13.contains("TLS_AES_128_GCM_SHA256"));
        assert!(!t13.contains("TLS_RSA_WITH_AES_128_CBC_SHA "));
        assert!(!t13.contains("SSL_CK_"));
        assert!(!t13.contains("SCSV"));
        let ssl2 = human(Some(ProtocolVersion::Ssl2));
        assert!(ssl2.starts_with("ID"));
        assert!(ssl2.contains("SSL_CK_DES_192_EDE3_CBC_WITH_MD5"));
        assert!(!ssl2.contains("TLS_"));
    }

    #[test]
    fn json_listing() {
        let v = json(&listing(Some(ProtocolVersion::Tls12)));
        assert_eq!(v["schema"], "tlsprobe/v1");
        assert_eq!(v["tls_version"], "TLS1.2");
        let suites = v["cipher_suites"].as_array().expect("array");
        assert_eq!(suites.len(), suites_for(ProtocolVersion::Tls12).count());
        assert!(suites.iter().any(|s| s["id"] == "0xC02F"));
        assert!(suites.iter().all(|s| s["max_version"] != "TLS1.3"));
        assert_eq!(v["ssl2_ciphers"].as_array().map(Vec::len), Some(0));
        let all = json(&listing(None));
        assert_eq!(all["tls_version"], Value::Null);
        assert_eq!(
            all["cipher_suites"].as_array().map(Vec::len),
            Some(SUITES.len())
        );
        assert_eq!(
            all["ssl2_ciphers"].as_array().map(Vec::len),
            Some(SSL2_CIPHERS.len())
        );
    }
}
