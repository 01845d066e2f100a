//! Human-report lines for the robustness observations (issue 11): downgrade protection,
//! secure renegotiation, the hello sizes that got answers, and `--repeat` rounds. Formatting
//! only.

use std::io::{self, Write};

use super::style::{DIM, GREEN, RED, YELLOW, dim_line, paint};
use crate::model::{EndpointReport, ProtocolReport};

/// Under a version line: which hello got it accepted when the full-size one failed, or that
/// smaller hellos were tried in vain.
pub fn write_protocol_extras(
    out: &mut dyn Write,
    p: &ProtocolReport,
    color: bool,
) -> io::Result<()> {
    if p.hello.is_some()
        || (!p.supported
            && p.detail
                .as_deref()
                .is_some_and(|d| d.contains("smaller hellos")))
    {
        if let Some(d) = &p.detail {
            writeln!(out, "            {}", paint(color, YELLOW, d))?;
        }
    }
    Ok(())
}

/// Writes the endpoint's downgrade / renegotiation line and its repeat rounds, when known.
pub fn write_endpoint_extras(
    out: &mut dyn Write,
    ep: &EndpointReport,
    color: bool,
) -> io::Result<()> {
    let mut parts = Vec::new();
    if let Some(d) = &ep.downgrade {
        let offered = d
            .offered
            .map(|v| format!(" ({} retry)", v.name()))
            .unwrap_or_default();
        parts.push(match d.fallback_scsv {
            Some(true) => paint(
                color,
                GREEN,
                &format!("downgrade: protected, TLS_FALLBACK_SCSV honoured{offered}"),
            ),
            Some(false) => paint(
                color,
                YELLOW,
                &format!("downgrade: NOT protected, TLS_FALLBACK_SCSV ignored{offered}"),
            ),
            None => paint(
                color,
                DIM,
                &format!("downgrade: {}", d.detail.as_deref().unwrap_or("not tested")),
            ),
        });
    }
    match ep.secure_renegotiation {
        Some(true) => parts.push("secure renegotiation: yes".to_string()),
        Some(false) => parts.push(paint(
            color,
            RED,
            "secure renegotiation: no (RFC 5746 missing)",
        )),
        None => {}
    }
    if !parts.is_empty() {
        writeln!(out, "    {}", parts.join("   "))?;
    }
    if ep.samples.len() > 1 {
        for (i, s) in ep.samples.iter().enumerate() {
            let accepted: Vec<&str> = s.accepted.iter().map(|v| v.name()).collect();
            let leaf = s
                .leaf_sha256
                .as_deref()
                .map(|h| &h[..h.len().min(16)])
                .unwrap_or("-");
            dim_line(
                out,
                "    ",
                color,
                &format!(
                    "round {}: highest {}  accepts {}  cipher {}  leaf {leaf}",
                    i + 1,
                    s.highest_version.map_or("none", |v| v.name()),
                    if accepted.is_empty() {
                        "none".to_string()
                    } else {
                        accepted.join(",")
                    },
                    s.cipher.as_deref().unwrap_or("-"),
                ),
            )?;
        }
    }
    Ok(())
}
