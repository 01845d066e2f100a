//! Human output of `azure-backup`: the readiness line of each target, the per-purpose summary
//! at the end of a run, and the catalogue listing (`--list`, human and JSON).

use std::io::{self, Write};

use serde::Serialize;

use super::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::diagnose::catalogue::{Cloud, Endpoint};
use crate::model::{AzureBackupTarget, Readiness, ReadinessSummary};

/// `READY`, `AT RISK` or `BLOCKED`, coloured.
pub fn label(r: Readiness, color: bool) -> String {
    match r {
        Readiness::Ready => paint(color, GREEN, "READY"),
        Readiness::AtRisk => paint(color, YELLOW, "AT RISK"),
        Readiness::Blocked => paint(color, RED, "BLOCKED"),
    }
}

/// The line under a target's header: readiness, purpose, components, what it stands in for.
pub fn write_target_line(
    out: &mut dyn Write,
    t: &AzureBackupTarget,
    color: bool,
) -> io::Result<()> {
    let c = &t.catalogue;
    let rep = c
        .representative_of
        .as_ref()
        .map(|r| format!(", representative of {r}"))
        .unwrap_or_default();
    writeln!(
        out,
        "  azure-backup: {}  {} ({}; {}{rep})",
        label(t.readiness, color),
        c.purpose,
        c.components.join(", "),
        c.cloud
    )?;
    writeln!(out, "    {}", paint(color, DIM, &t.readiness_reason))
}

/// The readiness summary: overall, per purpose, per endpoint.
pub fn write_summary(out: &mut dyn Write, s: &ReadinessSummary, color: bool) -> io::Result<()> {
    let comps = if s.components.is_empty() {
        "all components".to_string()
    } else {
        s.components.join(", ")
    };
    writeln!(
        out,
        "{}  {}  (cloud {}, {comps}, catalogue {})",
        paint(color, BOLD, "Azure Backup readiness"),
        label(s.overall, color),
        s.cloud,
        s.catalogue
    )?;
    for p in &s.purposes {
        writeln!(
            out,
            "  {:<12} {:<9} {}",
            p.purpose,
            label(p.readiness, color),
            paint(color, DIM, &format!("({})", p.components.join(", ")))
        )?;
        for e in &p.endpoints {
            writeln!(
                out,
                "    {:<44} {:<9} {}",
                e.endpoint,
                label(e.readiness, color),
                e.reason
            )?;
        }
    }
    for n in &s.notes {
        writeln!(out, "  note: {n}")?;
    }
    writeln!(
        out,
        "  {} ready, {} at risk, {} blocked",
        s.ready, s.at_risk, s.blocked
    )?;
    writeln!(out)
}

/// `--list`: the catalogue, per cloud.
pub fn write_list_human(
    out: &mut dyn Write,
    origin: &str,
    endpoints: &[&Endpoint],
    color: bool,
) -> io::Result<()> {
    writeln!(out, "Azure Backup endpoint catalogue ({origin})")?;
    for cloud in Cloud::ALL {
        let of_cloud: Vec<&&Endpoint> = endpoints.iter().filter(|e| e.cloud == cloud).collect();
        if of_cloud.is_empty() {
            continue;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} ({})",
            paint(color, BOLD, cloud.title()),
            cloud.as_str()
        )?;
        for e in of_cloud {
            let comps: Vec<&str> = e.components.iter().map(|c| c.as_str()).collect();
            writeln!(
                out,
                "  {:<46} {:<11} {}",
                e.authority(),
                e.purpose,
                comps.join(",")
            )?;
            if let Some(r) = &e.representative_of {
                writeln!(out, "      representative of {r}")?;
            }
            if let Some(n) = &e.note {
                writeln!(out, "      {}", paint(color, DIM, n))?;
            }
            if let Some(src) = &e.source {
                writeln!(
                    out,
                    "      {}",
                    paint(color, DIM, &format!("source: {src}"))
                )?;
            }
        }
    }
    if let Some(first) = endpoints.first() {
        if !first.expected_issuers.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "Expected issuers (a chain naming none of them is reported as tls-interception):"
            )?;
            for i in &first.expected_issuers {
                writeln!(out, "  {i}")?;
            }
        }
    }
    Ok(())
}

/// The JSON document of `--list`.
#[derive(Debug, Serialize)]
pub struct ListDocument<'a> {
    /// Always `tlsprobe/v1`.
    pub schema: &'static str,
    /// The tool's version.
    pub tool_version: &'static str,
    /// `azure-backup`.
    pub command: &'static str,
    /// `built-in` or the catalogue file.
    pub catalogue: &'a str,
    /// The endpoints listed.
    pub endpoints: Vec<ListEntry<'a>>,
}

/// One endpoint of `--list --format json`.
#[derive(Debug, Serialize)]
pub struct ListEntry<'a> {
    /// `host:port`.
    pub endpoint: String,
    /// The entry itself.
    #[serde(flatten)]
    pub entry: &'a Endpoint,
}

/// Writes the `--list` JSON document.
pub fn write_list_json(
    out: &mut dyn Write,
    origin: &str,
    endpoints: &[&Endpoint],
) -> io::Result<()> {
    let doc = ListDocument {
        schema: crate::model::SCHEMA,
        tool_version: env!("CARGO_PKG_VERSION"),
        command: "azure-backup",
        catalogue: origin,
        endpoints: endpoints
            .iter()
            .map(|e| ListEntry {
                endpoint: e.authority(),
                entry: e,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
