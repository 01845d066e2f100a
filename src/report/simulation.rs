//! Human lines for `simulate`: one line per simulated client with its outcome as that client
//! sees it, and the fix that was proven (or that only the server can help).

use std::io::{self, Write};

use super::style::{DIM, GREEN, RED, YELLOW, dim_line, paint};
use crate::model::{EndpointReport, Outcome, SimulationReport};

/// Whether an endpoint carries simulation results.
pub fn has_simulations(ep: &EndpointReport) -> bool {
    ep.simulation.is_some() || !ep.simulations.is_empty()
}

/// Writes the simulation lines of one endpoint.
pub fn write_simulations(out: &mut dyn Write, ep: &EndpointReport, color: bool) -> io::Result<()> {
    let all: Vec<&SimulationReport> = ep.simulation.iter().chain(ep.simulations.iter()).collect();
    let width = all
        .iter()
        .map(|s| s.client.len())
        .max()
        .unwrap_or(0)
        .max(10);
    for s in &all {
        write_one(out, s, width, color, ep.simulation.is_some())?;
    }
    Ok(())
}

fn result_text(s: &SimulationReport) -> String {
    match s.outcome {
        Outcome::Accepted => format!(
            "{} {}",
            s.version.map_or("?", |v| v.name()),
            s.cipher.as_deref().unwrap_or("?")
        ),
        Outcome::Alert => format!(
            "alert {} ({})",
            s.alert.as_deref().unwrap_or("?"),
            s.alert_code.map(|c| c.to_string()).unwrap_or_default()
        ),
        other => other.as_str().to_string(),
    }
}

fn write_one(
    out: &mut dyn Write,
    s: &SimulationReport,
    width: usize,
    color: bool,
    detailed: bool,
) -> io::Result<()> {
    let (code, mark) = if s.ok() {
        (GREEN, "ok  ")
    } else if s.outcome == Outcome::Accepted {
        (YELLOW, "warn")
    } else {
        (RED, "FAIL")
    };
    let mut line = format!(
        "    {} {:<width$}  {}",
        paint(color, code, mark),
        s.client,
        result_text(s)
    );
    if let Some(first) = s.windows_errors.first().filter(|_| !s.ok()) {
        line.push_str(&format!("  [{first}]"));
    }
    if let Some(fix) = &s.fix_client {
        let verdict = match s.fix_verified {
            Some(true) => paint(
                color,
                GREEN,
                &format!(
                    "verified: {} {}",
                    s.fix_version.map_or("?", |v| v.name()),
                    s.fix_cipher.as_deref().unwrap_or("")
                ),
            ),
            _ => paint(
                color,
                RED,
                &format!(
                    "does not help ({})",
                    s.fix_outcome.map_or("?", |o| o.as_str())
                ),
            ),
        };
        line.push_str(&format!("  → fix {fix}: {verdict}"));
    }
    if s.server_change_needed {
        line.push_str(&format!(
            "  → {}",
            paint(color, YELLOW, "server-side change needed")
        ));
    }
    writeln!(out, "{line}")?;
    if detailed {
        dim_line(
            out,
            "      ",
            color,
            &format!(
                "offered {} · {} suites · groups {}",
                s.offered
                    .versions
                    .iter()
                    .map(|v| v.name())
                    .collect::<Vec<_>>()
                    .join(" "),
                s.offered.ciphers.len(),
                s.offered.groups.join(" ")
            ),
        )?;
        if !s.ok() && s.windows_errors.len() > 1 {
            dim_line(
                out,
                "      ",
                color,
                &format!("Windows sees: {}", s.windows_errors.join("; ")),
            )?;
        }
        if let Some(d) = &s.detail {
            writeln!(out, "      {}", paint(color, DIM, d))?;
        }
    }
    Ok(())
}
