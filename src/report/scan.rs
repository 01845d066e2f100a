//! The human lines `scan` adds under each accepted version: every suite with its OpenSSL name,
//! key size and rating, the order marker, ChaCha20 priority, groups, DH size and signature
//! schemes; and one line on the plan the scan chose. Formatting only: the ratings are the
//! registry's, the data the probe's.

use std::io::{self, Write};

use super::style::{DIM, GREEN, RED, YELLOW, dim_line, paint};
use crate::model::{EndpointReport, ProtocolReport};
use crate::registry::{self, Security};

fn rating(color: bool, s: Option<Security>) -> String {
    match s {
        Some(Security::Insecure) => paint(color, RED, "insecure"),
        Some(Security::Weak) => paint(color, YELLOW, "weak"),
        Some(Security::Secure) => "secure".to_string(),
        Some(Security::Recommended) => paint(color, GREEN, "recommended"),
        None => paint(color, DIM, "unrated"),
    }
}

/// The suite list and parameters of one accepted version (nothing when the version was not
/// enumerated).
pub fn write_protocol_scan(out: &mut dyn Write, p: &ProtocolReport, color: bool) -> io::Result<()> {
    let Some(ciphers) = &p.ciphers else {
        return Ok(());
    };
    let order = match p.server_preference {
        Some(Some(true)) => "server order (the server picks its own favourite)".to_string(),
        Some(Some(false)) => {
            "client order (the server takes the client's first): by code point".to_string()
        }
        _ => "order undecidable (fewer than two suites, or inconsistent answers)".to_string(),
    };
    let chacha = match p.chacha20_priority {
        Some(true) => "; ChaCha20 first when the client lists it first",
        Some(false) => "; no ChaCha20 priority",
        None => "",
    };
    dim_line(out, "            ", color, &format!("{order}{chacha}"))?;
    let width = ciphers.iter().map(String::len).max().unwrap_or(0);
    let numbered = matches!(p.server_preference, Some(Some(true)));
    for (i, name) in ciphers.iter().enumerate() {
        let info = registry::by_name(name);
        let ossl = info.and_then(|s| s.openssl).unwrap_or("-");
        let bits = info.map_or_else(String::new, |s| format!("{:>3} bits", s.bits));
        let mark = if numbered {
            format!("{:>3}.", i + 1)
        } else {
            "   -".to_string()
        };
        writeln!(
            out,
            "          {mark} {name:<width$}  {ossl:<40} {bits}  {}",
            rating(color, info.map(|s| s.security))
        )?;
    }
    if let Some(groups) = &p.groups {
        let pref = match p.groups_server_preference {
            Some(true) => " (server order)",
            Some(false) => " (client order)",
            None => "",
        };
        let list = if groups.is_empty() {
            "none found".to_string()
        } else {
            groups
                .iter()
                .map(|g| match registry::groups::by_name(g) {
                    Some(info) if info.bits > 0 => format!("{g} ({} bits)", info.bits),
                    _ => g.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(out, "            groups: {list}{pref}")?;
    }
    if let Some(bits) = p.dh_bits {
        let note = if bits < 2048 {
            paint(color, YELLOW, " (below 2048 bits)")
        } else {
            String::new()
        };
        writeln!(out, "            DHE prime: {bits} bits{note}")?;
    }
    if let Some(sigs) = &p.signature_algorithms {
        let list = if sigs.is_empty() {
            "none found".to_string()
        } else {
            sigs.join(", ")
        };
        writeln!(out, "            signature schemes: {list}")?;
    }
    if let Some(u) = &p.unoffered_suites {
        writeln!(
            out,
            "            {}",
            paint(
                color,
                RED,
                &format!("picked without being offered: {}", u.join(", "))
            )
        )?;
    }
    Ok(())
}

/// One line on how the endpoint was scanned.
pub fn write_plan(out: &mut dyn Write, ep: &EndpointReport, color: bool) -> io::Result<()> {
    let Some(s) = &ep.scan else {
        return Ok(());
    };
    let rtt = s.rtt_ms.map_or_else(
        || "no answer to time".to_string(),
        |r| format!("rtt {r:.1} ms"),
    );
    dim_line(
        out,
        "    ",
        color,
        &format!(
            "scan: {} plan ({rtt}), {} connections, at most {} at once per host",
            s.plan, s.connections, s.max_conns_per_host
        ),
    )
}
