//! Human-readable report: per target, per endpoint, a version × outcome table, the negotiated
//! result, certificate summary, timing and the findings with their fixes.

use std::io::{self, Write};

use super::style::{BOLD, CYAN, DIM, GREEN, RED, YELLOW, paint};
use crate::model::{
    CertificateReport, EndpointReport, Finding, Outcome, ProtocolReport, Severity, Status,
    TargetReport, TcpOutcome,
};

/// Totals printed at the end of a human run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Targets probed.
    pub targets: usize,
    /// Targets per status.
    pub ok: usize,
    /// Targets with warnings only.
    pub warning: usize,
    /// Targets with a critical finding.
    pub critical: usize,
    /// Targets that could not be parsed.
    pub bad_input: usize,
    /// Targets whose probe hit an internal error.
    pub unknown: usize,
    /// Wall time of the run.
    pub duration_ms: f64,
}

impl Summary {
    /// Counts one finished target.
    pub fn add(&mut self, t: &TargetReport) {
        self.targets += 1;
        match t.status {
            Status::Ok => self.ok += 1,
            Status::Warning => self.warning += 1,
            Status::Critical => self.critical += 1,
            Status::Unknown => self.unknown += 1,
        }
    }
}

fn status_label(s: Status, color: bool) -> String {
    match s {
        Status::Ok => paint(color, GREEN, "OK"),
        Status::Warning => paint(color, YELLOW, "WARNING"),
        Status::Critical => paint(color, RED, "CRITICAL"),
        Status::Unknown => paint(color, RED, "UNKNOWN"),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1} ms"))
}

/// Writes one target.
pub fn write_target(out: &mut dyn Write, t: &TargetReport, color: bool) -> io::Result<()> {
    let host = if t.target.host.contains(':') {
        format!("[{}]:{}", t.target.host, t.target.port)
    } else {
        format!("{}:{}", t.target.host, t.target.port)
    };
    writeln!(
        out,
        "{}  {}  sni: {}  ({:.0} ms)",
        paint(color, BOLD, &host),
        status_label(t.status, color),
        t.target.sni.as_deref().unwrap_or("none"),
        t.duration_ms
    )?;
    if let Some(ab) = &t.azure_backup {
        super::readiness::write_target_line(out, ab, color)?;
    }
    match &t.dns.error {
        None if t.dns.source == crate::model::DnsSource::Proxy => writeln!(
            out,
            "  dns: {}",
            paint(
                color,
                DIM,
                "resolved by the proxy (no per-address results through it)"
            )
        )?,
        Some(e) => writeln!(out, "  dns: {} ({})", paint(color, RED, &e.message), e.kind)?,
        None => writeln!(
            out,
            "  dns: {}  {}",
            t.dns.addresses.join(", "),
            paint(
                color,
                DIM,
                &format!("({:?}, {:.1} ms)", t.dns.source, t.dns.duration_ms).to_lowercase()
            )
        )?,
    }
    for e in &t.errors {
        let at = e
            .endpoint
            .as_deref()
            .map(|ip| format!(" ({ip})"))
            .unwrap_or_default();
        writeln!(out, "  {}{at}: {}", paint(color, RED, "error"), e.message)?;
    }
    for ep in &t.endpoints {
        write_endpoint(out, ep, color)?;
    }
    if !t.findings.is_empty() {
        writeln!(out, "  findings:")?;
        for f in &t.findings {
            write_finding(out, f, color)?;
        }
    }
    writeln!(out)
}

fn write_endpoint(out: &mut dyn Write, ep: &EndpointReport, color: bool) -> io::Result<()> {
    let tcp = match ep.tcp.outcome {
        TcpOutcome::Connected => format!("tcp connected in {}", ms(ep.tcp.connect_ms)),
        other => {
            let detail = ep
                .tcp
                .error
                .as_ref()
                .map(|e| match &e.os_error {
                    Some(os) => format!("{} — {os}", e.message),
                    None => e.message.clone(),
                })
                .unwrap_or_default();
            paint(
                color,
                RED,
                &format!("tcp {}: {detail}", format!("{other:?}").to_lowercase()),
            )
        }
    };
    let via = ep
        .proxy
        .as_ref()
        .map(|p| format!("  via proxy {} ({})", p.url, p.outcome))
        .unwrap_or_default();
    writeln!(out, "  {}  {tcp}{via}", paint(color, CYAN, &ep.ip))?;
    for p in &ep.protocols {
        write_protocol(out, p, color)?;
    }
    if super::simulation::has_simulations(ep) {
        return super::simulation::write_simulations(out, ep, color);
    }
    let highest = ep.highest_version.map_or("none", |v| v.name());
    let mut line = format!("    highest: {highest}");
    if let Some(n) = &ep.negotiated {
        line.push_str(&format!(
            "   negotiated: {} {}",
            n.version.map_or("?", |v| v.name()),
            n.cipher.as_deref().unwrap_or("?")
        ));
        if let Some(g) = &n.group {
            line.push_str(&format!(" {g}"));
        }
        if let Some(a) = &n.alpn {
            line.push_str(&format!(" alpn {a}"));
        }
    }
    writeln!(out, "{line}")?;
    if let Some(e) = &ep.handshake_error {
        writeln!(
            out,
            "    {}",
            paint(
                color,
                DIM,
                &format!("full handshake (TLS 1.2/1.3): {}", e.message)
            )
        )?;
    }
    if let Some(c) = &ep.certificate {
        write_certificate(out, c, color)?;
    }
    super::robust::write_endpoint_extras(out, ep, color)?;
    writeln!(
        out,
        "    {}",
        paint(
            color,
            DIM,
            &format!(
                "timing: dns {:.1} ms · connect {} · server hello {} · handshake {}",
                ep.timing.dns_ms,
                ms(ep.timing.connect_ms),
                ms(ep.timing.server_hello_ms),
                ms(ep.timing.tls_handshake_ms)
            )
        )
    )
}

fn write_protocol(out: &mut dyn Write, p: &ProtocolReport, color: bool) -> io::Result<()> {
    let (code, word) = match p.outcome {
        Outcome::Accepted => (GREEN, "accepted"),
        Outcome::Alert => (YELLOW, "alert"),
        Outcome::Reset => (RED, "reset"),
        Outcome::Timeout => (RED, "timeout"),
        Outcome::Refused => (RED, "refused"),
        Outcome::Malformed => (RED, "malformed"),
        Outcome::WrongVersion => (YELLOW, "wrong_version"),
        Outcome::Closed => (YELLOW, "closed"),
    };
    let detail = match p.outcome {
        Outcome::Accepted => {
            let mut s = p.cipher.clone().unwrap_or_default();
            if let Some(g) = &p.group {
                s.push_str(&format!("  {g}"));
            }
            if let Some(ciphers) = &p.ciphers {
                s.push_str(&format!("  ({} suites)", ciphers.len()));
            }
            s
        }
        Outcome::Alert => format!(
            "{} ({})",
            p.alert.as_deref().unwrap_or("?"),
            p.alert_code.map_or_else(String::new, |c| c.to_string())
        ),
        Outcome::Reset | Outcome::Timeout | Outcome::Refused => p
            .os_error
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| p.detail.clone())
            .unwrap_or_default(),
        _ => p.detail.clone().unwrap_or_default(),
    };
    writeln!(
        out,
        "    {:<7} {}  {}",
        p.version.name(),
        paint(color, code, &format!("{word:<13}")),
        detail
    )?;
    super::robust::write_protocol_extras(out, p, color)
}

fn write_certificate(out: &mut dyn Write, c: &CertificateReport, color: bool) -> io::Result<()> {
    let Some(leaf) = c.chain.first() else {
        return writeln!(out, "    certificate: none received");
    };
    let trust = match (c.trusted, &c.trust_error) {
        (Some(true), _) => paint(color, GREEN, "trusted"),
        (Some(false), Some(e)) => paint(color, RED, &format!("NOT trusted ({e})")),
        (Some(false), None) => paint(color, RED, "NOT trusted"),
        (None, _) => "trust not checked".to_string(),
    };
    writeln!(
        out,
        "    certificate: {}  {}  expires {} ({} days)  {}",
        leaf.subject,
        leaf.key,
        leaf.not_after,
        c.days_left
            .map_or_else(|| "?".to_string(), |d| d.to_string()),
        trust
    )?;
    writeln!(
        out,
        "      issuer: {}  chain: {} cert(s)  hostname match: {}  ocsp staple: {}{}",
        leaf.issuer,
        c.chain.len(),
        c.hostname_match
            .map_or("?", |m| if m { "yes" } else { "no" }),
        if c.ocsp_stapled { "yes" } else { "no" },
        match c.intercepted {
            Some(true) => format!("  {}", paint(color, RED, "INTERCEPTED")),
            _ => String::new(),
        }
    )
}

fn write_finding(out: &mut dyn Write, f: &Finding, color: bool) -> io::Result<()> {
    let sev = match f.severity {
        Severity::Critical => paint(color, RED, "CRITICAL"),
        Severity::Warning => paint(color, YELLOW, "WARNING "),
        Severity::Info => paint(color, CYAN, "INFO    "),
    };
    writeln!(
        out,
        "    {sev} {} {}",
        paint(color, BOLD, &f.summary),
        paint(color, DIM, &format!("[{}]", f.id))
    )?;
    if !f.endpoints.is_empty() {
        writeln!(out, "      on: {}", f.endpoints.join(", "))?;
    }
    for e in &f.evidence {
        writeln!(out, "      seen: {e}")?;
    }
    for (i, c) in f.causes.iter().enumerate() {
        writeln!(
            out,
            "      {} {c}",
            if i == 0 { "cause:" } else { "      " }
        )?;
    }
    for (i, r) in f.remediation.iter().enumerate() {
        writeln!(out, "      fix {}. {r}", i + 1)?;
    }
    for r in &f.references {
        writeln!(out, "      {}", paint(color, DIM, &format!("see {r}")))?;
    }
    Ok(())
}

/// Writes the end-of-run totals.
pub fn write_summary(out: &mut dyn Write, s: &Summary, color: bool) -> io::Result<()> {
    let mut parts = vec![format!("{} target(s)", s.targets)];
    if s.ok > 0 {
        parts.push(paint(color, GREEN, &format!("{} ok", s.ok)));
    }
    if s.warning > 0 {
        parts.push(paint(color, YELLOW, &format!("{} warning", s.warning)));
    }
    if s.critical > 0 {
        parts.push(paint(color, RED, &format!("{} critical", s.critical)));
    }
    if s.unknown > 0 {
        parts.push(paint(color, RED, &format!("{} unknown", s.unknown)));
    }
    if s.bad_input > 0 {
        parts.push(paint(color, RED, &format!("{} invalid", s.bad_input)));
    }
    writeln!(out, "{} in {:.0} ms", parts.join(", "), s.duration_ms)
}
