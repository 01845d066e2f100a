//! The offers a user chooses (`--tls-versions`, `--ciphers`, `--groups`), shared by `check`,
//! `scan` and later `simulate`: comma-separated names turned into wire values once, with the
//! closest known spellings when a name is unknown.
//!
//! This module only parses and looks names up in [`crate::registry`]; it builds no hello (that
//! is [`crate::wire`] and [`crate::probe`]) and touches no network.

use crate::error::Error;
use crate::registry::{self, ProtocolVersion};

/// What the user restricted the offers to; `None` everywhere means "the probe's defaults".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offers {
    /// Versions to probe and offer, oldest first, without duplicates.
    pub versions: Option<Vec<ProtocolVersion>>,
    /// Cipher suites to offer (wire values), in the order given, without duplicates.
    pub suites: Option<Vec<u16>>,
    /// Named groups to offer (wire values), in the order given, without duplicates.
    pub groups: Option<Vec<u16>>,
}

impl Offers {
    /// Parses the three flags; any unknown name is an [`Error::UnknownName`] (exit 3).
    pub fn parse(
        versions: Option<&str>,
        suites: Option<&str>,
        groups: Option<&str>,
    ) -> Result<Offers, Error> {
        Ok(Offers {
            versions: versions.map(parse_versions).transpose()?,
            suites: suites.map(parse_suites).transpose()?,
            groups: groups.map(parse_groups).transpose()?,
        })
    }
}

fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split([',', ':', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn push_unique<T: PartialEq>(out: &mut Vec<T>, v: T) {
    if !out.contains(&v) {
        out.push(v);
    }
}

fn empty(flag: &'static str, list: &str) -> Error {
    Error::BadFlag {
        flag,
        value: list.to_string(),
        reason: "the list names nothing".into(),
    }
}

/// `--tls-versions 1.2,1.3` (also `tls1.2`, `TLSv1.3`, `ssl3`, `ssl2`, `0x0303`).
pub fn parse_versions(list: &str) -> Result<Vec<ProtocolVersion>, Error> {
    let mut out = Vec::new();
    for item in items(list) {
        let v = ProtocolVersion::parse(item).ok_or_else(|| Error::UnknownName {
            flag: "--tls-versions",
            input: item.to_string(),
            suggestions: closest(item, ProtocolVersion::ALL.iter().map(|v| v.name())),
        })?;
        push_unique(&mut out, v);
    }
    if out.is_empty() {
        return Err(empty("--tls-versions", list));
    }
    out.sort();
    Ok(out)
}

/// `--ciphers`: IANA names, OpenSSL names or code points (`0xC02F`, `C02F`, `0xC0,0x2F` is not
/// accepted because `,` separates items).
pub fn parse_suites(list: &str) -> Result<Vec<u16>, Error> {
    let mut out = Vec::new();
    for item in items(list) {
        let id = hex_u16(item)
            .or_else(|| registry::by_name(item).map(|s| s.id))
            .ok_or_else(|| Error::UnknownName {
                flag: "--ciphers",
                input: item.to_string(),
                suggestions: closest(
                    item,
                    registry::SUITES
                        .iter()
                        .flat_map(|s| std::iter::once(s.iana).chain(s.openssl)),
                ),
            })?;
        push_unique(&mut out, id);
    }
    if out.is_empty() {
        return Err(empty("--ciphers", list));
    }
    Ok(out)
}

/// `--groups`: IANA group names or aliases (`x25519`, `P-256`, `X25519MLKEM768`) or code points.
pub fn parse_groups(list: &str) -> Result<Vec<u16>, Error> {
    let mut out = Vec::new();
    for item in items(list) {
        let id = hex_u16(item)
            .or_else(|| registry::groups::by_name(item).map(|g| g.id))
            .ok_or_else(|| Error::UnknownName {
                flag: "--groups",
                input: item.to_string(),
                suggestions: closest(item, registry::groups::GROUPS.iter().map(|g| g.name)),
            })?;
        push_unique(&mut out, id);
    }
    if out.is_empty() {
        return Err(empty("--groups", list));
    }
    Ok(out)
}

/// `0xC02F` (a `0x` prefix is required so that names like `DES` are never read as hex).
fn hex_u16(s: &str) -> Option<u16> {
    let h = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    if h.is_empty() || h.len() > 4 {
        return None;
    }
    u16::from_str_radix(h, 16).ok()
}

/// The five known names closest to `input` (case-insensitive Jaro-Winkler, with a bonus for
/// a substring match).
fn closest<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = input.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .map(|k| {
            let kl = k.to_ascii_lowercase();
            let mut s = strsim::jaro_winkler(&q, &kl);
            if kl.contains(&q) || q.contains(&kl) {
                s += 0.2;
            }
            (s, k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, k) in scored {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(k)) {
            out.push(k.to_string());
        }
        if out.len() == 5 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_in_any_spelling() {
        let v = parse_versions("1.3, tls1.2,TLSv1.2").unwrap();
        assert_eq!(v, [ProtocolVersion::Tls12, ProtocolVersion::Tls13]);
        assert_eq!(parse_versions("ssl3").unwrap(), [ProtocolVersion::Ssl3]);
        assert!(matches!(
            parse_versions("1.4"),
            Err(Error::UnknownName {
                flag: "--tls-versions",
                ..
            })
        ));
        assert!(parse_versions(" , ").is_err());
    }

    #[test]
    fn suites_by_iana_openssl_or_code_point() {
        let s = parse_suites(
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,ECDHE-RSA-AES128-GCM-SHA256,0x1301,0x1301",
        )
        .unwrap();
        assert_eq!(s, [0xC030, 0xC02F, 0x1301]);
        match parse_suites("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA348") {
            Err(Error::UnknownName { suggestions, .. }) => {
                assert_eq!(
                    suggestions.first().map(String::as_str),
                    Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(parse_suites("0x12345").is_err());
    }

    #[test]
    fn groups_by_name_alias_or_code_point() {
        let g = parse_groups("x25519,P-256,X25519MLKEM768,0x0100").unwrap();
        assert_eq!(g, [29, 23, 0x11EC, 256]);
        match parse_groups("x25518") {
            Err(Error::UnknownName { suggestions, .. }) => {
                assert!(suggestions.iter().any(|s| s == "x25519"), "{suggestions:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
