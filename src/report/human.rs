//! Human-readable report, the answer first: one status line per target (OK / WARNING /
//! CRITICAL, highest version, days to certificate expiry, negotiated suite), then — for a few
//! targets — per endpoint the version table, the negotiated result, the certificate and the
//! findings that concern it, each as its summary plus the first fix step. Endpoints that saw
//! the same thing are shown once. With several targets a finding is printed once, with the
//! targets it concerns; with many targets each target is one table row. `-v` adds timing,
//! evidence, every cause and fix step; `-q` leaves the status lines only. Text wraps at the
//! terminal width.
//!
//! This module formats only; it never probes or judges.

use std::collections::HashMap;
use std::io::{self, Write};

use super::style::{BOLD, CYAN, DIM, GREEN, RED, YELLOW};
use super::text::{Line, write_wrapped};
use crate::model::{
    CertificateReport, EndpointReport, Finding, OsError, Outcome, ProtocolReport, Severity, Status,
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

/// How the human report is laid out.
#[derive(Debug, Clone, Default)]
pub struct HumanOptions {
    /// ANSI colours.
    pub color: bool,
    /// `-v` count.
    pub verbose: u8,
    /// `-q`: status lines only.
    pub quiet: bool,
    /// Wrap column (`None` = never wrap).
    pub width: Option<usize>,
    /// Targets in the run (decides between detail blocks and a table).
    pub targets: usize,
}

/// More targets than this get one table row each instead of a detail block (unless `-v`).
pub const TABLE_ABOVE: usize = 4;
/// Widest target column of the status lines.
const TARGET_COLUMN_MAX: usize = 36;
/// Width of the status column.
const STATUS_COLUMN: usize = 10;
/// Width of the readiness column (azure-backup runs).
const READINESS_COLUMN: usize = 10;
/// Indent of a finding's text under its severity word.
const FINDING_HANG: usize = 14;

/// A finding seen on one or more targets, printed once at the end of a multi-target run.
struct Group {
    finding: Finding,
    targets: Vec<String>,
}

/// The state of one human run: layout decisions and the findings collected so far.
pub struct HumanRun {
    opts: HumanOptions,
    table: bool,
    target_width: usize,
    header_written: bool,
    groups: Vec<Group>,
    index: HashMap<(String, String), usize>,
}

impl HumanRun {
    /// Starts a run over targets whose labels are `labels` (they size the target column).
    pub fn new(opts: HumanOptions, labels: &[String]) -> HumanRun {
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        HumanRun {
            table: opts.targets > TABLE_ABOVE && opts.verbose == 0,
            target_width: longest.clamp(8, TARGET_COLUMN_MAX),
            header_written: false,
            groups: Vec::new(),
            index: HashMap::new(),
            opts,
        }
    }

    /// Whether `-q` asked for status lines only.
    pub fn quiet(&self) -> bool {
        self.opts.quiet
    }

    /// Whether colour is on.
    pub fn color(&self) -> bool {
        self.opts.color
    }

    fn several(&self) -> bool {
        self.opts.targets > 1
    }

    /// Writes one finished target.
    pub fn target(&mut self, out: &mut dyn Write, t: &TargetReport) -> io::Result<()> {
        let label = target_label(t);
        let several = self.several();
        for f in t.findings.iter().filter(|_| several) {
            // Name the addresses only when the finding concerns some of the target's, not all.
            let on = if !f.endpoints.is_empty() && f.endpoints.len() < t.endpoints.len() {
                format!("{label} ({})", f.endpoints.join(", "))
            } else {
                label.clone()
            };
            let key = (f.id.clone(), f.summary.clone());
            match self.index.get(&key) {
                Some(&i) => {
                    if let Some(g) = self.groups.get_mut(i) {
                        g.targets.push(on);
                    }
                }
                None => {
                    self.index.insert(key, self.groups.len());
                    self.groups.push(Group {
                        finding: f.clone(),
                        targets: vec![on],
                    });
                }
            }
        }
        if self.table || self.opts.quiet {
            if self.table && !self.opts.quiet && !self.header_written {
                self.header_written = true;
                let mut h = Line::new();
                h.padded("STATUS", STATUS_COLUMN, BOLD);
                if t.azure_backup.is_some() {
                    h.padded("READINESS", READINESS_COLUMN, BOLD);
                }
                h.padded("TARGET", self.target_width + 2, BOLD)
                    .padded("HIGHEST", 9, BOLD)
                    .padded("CERT", 11, BOLD)
                    .push("NEGOTIATED SUITE", BOLD);
                self.row(out, &h)?;
            }
            let line = status_line(t, &label, self.target_width, self.table);
            return self.row(out, &line);
        }
        let line = status_line(t, &label, self.target_width, false);
        write_wrapped(
            out,
            0,
            STATUS_COLUMN,
            &line,
            self.opts.width,
            self.opts.color,
        )?;
        self.detail(out, t)?;
        writeln!(out)
    }

    fn row(&self, out: &mut dyn Write, line: &Line) -> io::Result<()> {
        let line = match self.opts.width {
            Some(w) => line.truncated(w),
            None => line.clone(),
        };
        writeln!(out, "{}", line.render(self.opts.color).trim_end())
    }

    fn detail(&self, out: &mut dyn Write, t: &TargetReport) -> io::Result<()> {
        let (color, width, v) = (self.opts.color, self.opts.width, self.opts.verbose);
        if let Some(ab) = &t.azure_backup {
            super::readiness::write_target_line(out, ab, color)?;
        }
        for e in &t.errors {
            let mut l = Line::new();
            l.push("error", RED);
            if let Some(ip) = &e.endpoint {
                l.text(format!(" ({ip})"));
            }
            l.text(format!(": {}", e.message));
            write_wrapped(out, 2, 6, &l, width, color)?;
        }
        if v > 0 {
            write_wrapped(out, 2, 6, &dns_line(t), width, color)?;
        }
        let groups = endpoint_groups(&t.endpoints, v > 0);
        let mut placed = vec![false; t.findings.len()];
        for members in &groups {
            let Some(first) = members.first().and_then(|&i| t.endpoints.get(i)) else {
                continue;
            };
            let ips: Vec<&str> = members
                .iter()
                .filter_map(|&i| t.endpoints.get(i))
                .map(|e| e.ip.as_str())
                .collect();
            self.endpoint(out, first, &ips)?;
            for (n, f) in t.findings.iter().enumerate() {
                let mine = !f.endpoints.is_empty()
                    && f.endpoints.iter().all(|e| ips.contains(&e.as_str()));
                if mine && !placed[n] {
                    placed[n] = true;
                    self.finding(out, 4, f, None)?;
                }
            }
        }
        for (n, f) in t.findings.iter().enumerate() {
            if !placed[n] {
                let on = (!f.endpoints.is_empty()).then(|| f.endpoints.join(", "));
                self.finding(out, 2, f, on.as_deref())?;
            }
        }
        Ok(())
    }

    fn endpoint(&self, out: &mut dyn Write, ep: &EndpointReport, ips: &[&str]) -> io::Result<()> {
        let (color, width, v) = (self.opts.color, self.opts.width, self.opts.verbose);
        let mut head = Line::new();
        head.push(ips.join(", "), CYAN);
        if ep.tcp.outcome != TcpOutcome::Connected {
            let mut what = format!("tcp {}", tcp_word(ep.tcp.outcome));
            if let Some(e) = &ep.tcp.error {
                what.push_str(&format!(": {}", e.message));
                if let Some(os) = &e.os_error {
                    what.push_str(&format!(" — {}", describe(os)));
                }
            }
            head.text("  ").push(what, RED);
        } else if v > 0 {
            head.text(format!("  tcp connected in {}", ms(ep.tcp.connect_ms)));
        }
        if let Some(p) = &ep.proxy {
            let style = if p.outcome == "connected" { DIM } else { RED };
            head.text("  ")
                .push(format!("via proxy {} ({})", p.url, p.outcome), style);
            if let Some(m) = &p.message {
                head.push(format!(": {m}"), style);
            }
        }
        write_wrapped(out, 2, 6, &head, width, color)?;
        for p in &ep.protocols {
            write_wrapped(out, 4, 21, &protocol_line(p, v > 0), width, color)?;
            wrapped(out, width, |w| {
                super::robust::write_protocol_extras(w, p, color)
            })?;
            wrapped(out, width, |w| {
                super::scan::write_protocol_scan(w, p, color)
            })?;
        }
        if super::simulation::has_simulations(ep) {
            wrapped(out, width, |w| {
                super::simulation::write_simulations(w, ep, color)
            })?;
        }
        if let Some(n) = &ep.negotiated {
            let mut l = Line::new();
            l.padded("negotiated", 13, DIM)
                .text(n.version.map_or("?", |v| v.name()))
                .text(" ")
                .push(n.cipher.as_deref().unwrap_or("?"), BOLD);
            if let Some(g) = &n.group {
                l.text(format!(" {g}"));
            }
            if let Some(a) = &n.alpn {
                l.text(format!(", alpn {a}"));
            }
            write_wrapped(out, 4, 17, &l, width, color)?;
        }
        if ep.client_certificate_requested {
            let mut l = Line::new();
            l.padded("client cert", 13, DIM)
                .text("the server asks for a client certificate (mutual TLS)");
            write_wrapped(out, 4, 17, &l, width, color)?;
        }
        if let Some(e) = &ep.handshake_error {
            let mut l = Line::new();
            l.padded("handshake", 13, DIM)
                .push(format!("full handshake failed: {}", e.message), YELLOW);
            write_wrapped(out, 4, 17, &l, width, color)?;
        }
        if let Some(c) = &ep.certificate {
            for l in certificate_lines(c, v) {
                write_wrapped(out, 4, 17, &l, width, color)?;
            }
        }
        // One line: downgrade protection and secure renegotiation (and --repeat rounds).
        wrapped(out, width, |w| {
            super::robust::write_endpoint_extras(w, ep, color)
        })?;
        wrapped(out, width, |w| super::scan::write_plan(w, ep, color))?;
        if v > 0 {
            let mut l = Line::new();
            l.padded("timing", 13, DIM).push(
                format!(
                    "dns {:.1} ms · connect {} · server hello {} · handshake {}",
                    ep.timing.dns_ms,
                    ms(ep.timing.connect_ms),
                    ms(ep.timing.server_hello_ms),
                    ms(ep.timing.tls_handshake_ms)
                ),
                DIM,
            );
            write_wrapped(out, 4, 17, &l, width, color)?;
        }
        Ok(())
    }

    /// A finding at `indent`: severity and summary; in a single-target run (or in the closing
    /// section) also the first fix step, and with `-v` everything.
    fn finding(
        &self,
        out: &mut dyn Write,
        indent: usize,
        f: &Finding,
        on: Option<&str>,
    ) -> io::Result<()> {
        let (color, width) = (self.opts.color, self.opts.width);
        let hang = indent + FINDING_HANG - 4;
        let mut l = Line::new();
        l.padded(
            severity_word(f.severity),
            FINDING_HANG - 4,
            severity_style(f.severity),
        )
        .text(&f.summary)
        .text(" ")
        .push(format!("[{}]", f.id), DIM);
        write_wrapped(out, indent, hang, &l, width, color)?;
        if let Some(on) = on {
            let mut l = Line::new();
            l.push(format!("on: {on}"), DIM);
            write_wrapped(out, hang, hang + 3, &l, width, color)?;
        }
        if self.several() {
            // The fix is printed once, in the closing section.
            return Ok(());
        }
        self.finding_body(out, hang, f)
    }

    fn finding_body(&self, out: &mut dyn Write, hang: usize, f: &Finding) -> io::Result<()> {
        let (color, width) = (self.opts.color, self.opts.width);
        if self.opts.verbose == 0 {
            if let Some(first) = f.remediation.first() {
                let mut l = Line::new();
                l.push("fix: ", GREEN).text(first);
                write_wrapped(out, hang, hang + 5, &l, width, color)?;
            }
            let more = f.remediation.len().saturating_sub(1);
            let mut parts = Vec::new();
            if more > 0 {
                parts.push(format!(
                    "{more} more step{}",
                    if more == 1 { "" } else { "s" }
                ));
            }
            if !f.causes.is_empty() {
                parts.push(format!(
                    "{} cause{}",
                    f.causes.len(),
                    if f.causes.len() == 1 { "" } else { "s" }
                ));
            }
            if !parts.is_empty() {
                let mut l = Line::new();
                l.push(
                    format!(
                        "{}: -v, or `tlsprobe explain {}`",
                        parts.join(" and "),
                        f.id
                    ),
                    DIM,
                );
                write_wrapped(out, hang, hang, &l, width, color)?;
            }
            return Ok(());
        }
        for e in &f.evidence {
            let mut l = Line::new();
            l.push("seen: ", DIM).text(e);
            write_wrapped(out, hang, hang + 6, &l, width, color)?;
        }
        for c in &f.causes {
            let mut l = Line::new();
            l.push("cause: ", YELLOW).text(c);
            write_wrapped(out, hang, hang + 7, &l, width, color)?;
        }
        for (i, r) in f.remediation.iter().enumerate() {
            let mut l = Line::new();
            let n = format!("fix {}. ", i + 1);
            let w = n.len();
            l.push(n, GREEN).text(r);
            write_wrapped(out, hang, hang + w, &l, width, color)?;
        }
        for r in &f.references {
            let mut l = Line::new();
            l.push(format!("see {r}"), DIM);
            write_wrapped(out, hang, hang + 4, &l, width, color)?;
        }
        Ok(())
    }

    /// Ends the run: the findings of a multi-target run (each once, with its targets), the
    /// rejected inputs and the totals.
    pub fn finish(
        &mut self,
        out: &mut dyn Write,
        summary: &Summary,
        bad: &[(String, String)],
        readiness: Option<&crate::model::ReadinessSummary>,
    ) -> io::Result<()> {
        if self.opts.quiet {
            return Ok(());
        }
        let (color, width) = (self.opts.color, self.opts.width);
        if self.table && !self.groups.is_empty() {
            writeln!(out)?;
        }
        if !self.groups.is_empty() {
            let mut order: Vec<usize> = (0..self.groups.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(self.groups[i].finding.severity));
            let mut h = Line::new();
            h.push("Findings", BOLD);
            write_wrapped(out, 0, 0, &h, width, color)?;
            for i in order {
                let g = &self.groups[i];
                let f = &g.finding;
                let hang = 2 + FINDING_HANG - 4;
                let mut l = Line::new();
                l.padded(
                    severity_word(f.severity),
                    FINDING_HANG - 4,
                    severity_style(f.severity),
                )
                .text(&f.summary)
                .text(" ")
                .push(format!("[{}]", f.id), DIM);
                write_wrapped(out, 2, hang, &l, width, color)?;
                let mut l = Line::new();
                l.push(format!("on: {}", g.targets.join(", ")), CYAN);
                write_wrapped(out, hang, hang + 3, &l, width, color)?;
                self.finding_body(out, hang, f)?;
            }
            writeln!(out)?;
        }
        for (input, reason) in bad {
            let mut l = Line::new();
            l.padded("INVALID", STATUS_COLUMN, RED)
                .text(format!("{input}: {reason} (skipped)"));
            write_wrapped(out, 0, STATUS_COLUMN, &l, width, color)?;
        }
        if let Some(r) = readiness {
            super::readiness::write_summary(out, r, color)?;
        }
        write_summary(out, summary, color)
    }
}

/// Writes one target on its own, as a one-target run would (detail block, first fix steps).
pub fn write_target(out: &mut dyn Write, t: &TargetReport, color: bool) -> io::Result<()> {
    let opts = HumanOptions {
        color,
        targets: 1,
        ..HumanOptions::default()
    };
    let label = target_label(t);
    HumanRun::new(opts, &[label]).target(out, t)
}

/// Runs a line writer of another module through the word wrapper when a width is set.
fn wrapped(
    out: &mut dyn Write,
    width: Option<usize>,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match width {
        Some(w) => {
            let mut wrap = super::text::WrapWriter::new(&mut *out, w);
            f(&mut wrap)?;
            wrap.into_inner().map(|_| ())
        }
        None => f(out),
    }
}

/// `host:port`, with brackets around IPv6 literals.
pub fn target_label(t: &TargetReport) -> String {
    if t.target.host.contains(':') {
        format!("[{}]:{}", t.target.host, t.target.port)
    } else {
        format!("{}:{}", t.target.host, t.target.port)
    }
}

fn status_word(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Ok => ("OK", GREEN),
        Status::Warning => ("WARNING", YELLOW),
        Status::Critical => ("CRITICAL", RED),
        Status::Unknown => ("UNKNOWN", RED),
    }
}

fn readiness_word(r: crate::model::Readiness) -> (&'static str, &'static str) {
    match r {
        crate::model::Readiness::Ready => ("ready", GREEN),
        crate::model::Readiness::AtRisk => ("at risk", YELLOW),
        crate::model::Readiness::Blocked => ("blocked", RED),
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn severity_style(s: Severity) -> &'static str {
    match s {
        Severity::Critical => RED,
        Severity::Warning => YELLOW,
        Severity::Info => CYAN,
    }
}

/// Distinct values in first-seen order, joined by `/`.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("/")
}

/// Why nothing could be probed at all, when that is so.
fn unreachable_reason(t: &TargetReport) -> Option<String> {
    if let Some(e) = &t.dns.error {
        return Some(format!("dns {}: {}", e.kind, e.message));
    }
    if t.endpoints.is_empty() {
        return Some("no address to probe".into());
    }
    if t.endpoints
        .iter()
        .all(|e| e.tcp.outcome != TcpOutcome::Connected)
    {
        let ep = &t.endpoints[0];
        if let Some(p) = ep.proxy.as_ref().filter(|p| p.outcome != "connected") {
            return Some(format!("proxy {}: {}", p.outcome, p.url));
        }
        let os = ep
            .tcp
            .error
            .as_ref()
            .and_then(|e| e.os_error.as_ref())
            .map(|o| format!(", {}", describe(o)))
            .unwrap_or_default();
        return Some(format!("unreachable: tcp {}{os}", tcp_word(ep.tcp.outcome)));
    }
    None
}

/// The status line (or table row) of a target.
fn status_line(t: &TargetReport, label: &str, target_width: usize, table: bool) -> Line {
    let (word, style) = status_word(t.status);
    let mut l = Line::new();
    l.padded(word, STATUS_COLUMN, style);
    // azure-backup: the endpoint's readiness is the second answer, next to the status.
    if let Some(ab) = &t.azure_backup {
        let (word, style) = readiness_word(ab.readiness);
        l.padded(word, READINESS_COLUMN, style);
    }
    let shown = if label.chars().count() > target_width && table {
        let cut: String = label.chars().take(target_width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        label.to_string()
    };
    l.padded(&shown, target_width + 2, BOLD);
    if let Some(e) = t.errors.first() {
        l.push(format!("error: {}", e.message), RED);
        return l;
    }
    if let Some(reason) = unreachable_reason(t) {
        l.push(reason, RED);
        return l;
    }
    // simulate: the answer is what the simulated clients got, not what a full offer got.
    let sims: Vec<&crate::model::SimulationReport> = t
        .endpoints
        .iter()
        .flat_map(|e| e.simulation.iter().chain(e.simulations.iter()))
        .collect();
    if !sims.is_empty() {
        let ok = sims.iter().filter(|s| s.ok()).count();
        if let [one] = sims.as_slice() {
            let got = match (one.outcome, one.version) {
                (Outcome::Accepted, Some(v)) => {
                    format!("{} {}", v.name(), one.cipher.as_deref().unwrap_or(""))
                }
                (o, _) => o.as_str().to_string(),
            };
            l.push(
                format!("{}: {got}", one.client),
                if ok == 1 { GREEN } else { RED },
            );
            if let (Some(fix), false) = (&one.fix_client, one.ok()) {
                let verdict = match one.fix_verified {
                    Some(true) => "fix verified",
                    _ => "fix not verified",
                };
                l.text(format!("  → {fix} ({verdict})"));
            }
        } else {
            let style = if ok == sims.len() { GREEN } else { YELLOW };
            l.push(
                format!(
                    "{ok} of {} simulated clients get TLS 1.2 or later",
                    sims.len()
                ),
                style,
            );
        }
        if !table {
            l.text("  ").push(format!("{:.0} ms", t.duration_ms), DIM);
        }
        return l;
    }
    let highest = distinct(
        t.endpoints
            .iter()
            .map(|e| e.highest_version.map_or("none", |v| v.name())),
    );
    let highest_style = if t.endpoints.iter().all(|e| e.highest_version.is_some()) {
        ""
    } else {
        RED
    };
    l.padded(&highest, 9, highest_style);
    let days = t
        .endpoints
        .iter()
        .filter_map(|e| e.certificate.as_ref())
        .filter_map(|c| c.days_left)
        .min();
    let (cert, cert_style) = match days {
        Some(d) if d < 0 => ("expired".to_string(), RED),
        Some(d) if d <= 30 => (format!("{d} days"), YELLOW),
        Some(d) => (format!("{d} days"), ""),
        None => ("no cert".to_string(), DIM),
    };
    l.padded(&cert, 11, cert_style);
    let suite = distinct(
        t.endpoints
            .iter()
            .filter_map(|e| e.negotiated.as_ref())
            .filter_map(|n| n.cipher.as_deref()),
    );
    if suite.is_empty() {
        l.push("no handshake completed", DIM);
    } else {
        l.text(suite);
    }

    if !table {
        l.text("  ").push(format!("{:.0} ms", t.duration_ms), DIM);
    }
    l
}

fn dns_line(t: &TargetReport) -> Line {
    let mut l = Line::new();
    l.padded("dns", 4, DIM);
    match &t.dns.error {
        Some(e) => {
            l.push(format!("{} ({})", e.message, e.kind), RED);
        }
        None if t.dns.source == crate::model::DnsSource::Proxy => {
            l.push(
                "resolved by the proxy (no per-address results through it)",
                DIM,
            );
        }
        None => {
            l.text(t.dns.addresses.join(", ")).push(
                format!(
                    "  ({}, {:.1} ms)",
                    format!("{:?}", t.dns.source).to_lowercase(),
                    t.dns.duration_ms
                ),
                DIM,
            );
        }
    }
    if let Some(sni) = &t.target.sni {
        l.push(format!("  sni {sni}"), DIM);
    } else {
        l.push("  no sni", DIM);
    }
    l
}

/// Endpoints that saw the same thing, as groups of indexes (each endpoint alone with `-v`).
fn endpoint_groups(eps: &[EndpointReport], each: bool) -> Vec<Vec<usize>> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, ep) in eps.iter().enumerate() {
        let key = if each { i.to_string() } else { signature(ep) };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    groups.into_iter().map(|(_, m)| m).collect()
}

/// What a reader would compare between two endpoints: outcomes, suites, certificate, failures.
fn signature(ep: &EndpointReport) -> String {
    let mut s = format!(
        "{:?}|{:?}|{:?}",
        ep.tcp.outcome,
        ep.proxy.as_ref().map(|p| &p.outcome),
        ep.highest_version
    );
    for p in &ep.protocols {
        s.push_str(&format!(
            "|{:?} {:?} {:?} {:?} {:?} {:?}",
            p.version, p.outcome, p.alert, p.cipher, p.group, p.ciphers
        ));
    }
    if let Some(n) = &ep.negotiated {
        s.push_str(&format!(
            "|{:?} {:?} {:?} {:?}",
            n.version, n.cipher, n.group, n.alpn
        ));
    }
    if let Some(c) = &ep.certificate {
        s.push_str(&format!(
            "|{:?} {:?} {:?} {:?} {:?}",
            c.chain.first().map(|l| &l.sha256),
            c.trusted,
            c.trust_error,
            c.hostname_match,
            c.intercepted
        ));
    }
    s.push_str(&serde_json::to_string(&ep.simulation).unwrap_or_default());
    s.push_str(&serde_json::to_string(&ep.simulations).unwrap_or_default());
    s.push_str(&format!(
        "|{:?}|{}|{:?}|{:?}",
        ep.handshake_error.as_ref().map(|e| &e.message),
        ep.client_certificate_requested,
        ep.secure_renegotiation,
        ep.downgrade.as_ref().map(|d| d.fallback_scsv)
    ));
    s
}

fn outcome_style(o: Outcome) -> &'static str {
    match o {
        Outcome::Accepted => GREEN,
        Outcome::Alert | Outcome::WrongVersion | Outcome::Closed => YELLOW,
        Outcome::Reset | Outcome::Timeout | Outcome::Refused | Outcome::Malformed => RED,
    }
}

fn protocol_line(p: &ProtocolReport, verbose: bool) -> Line {
    let mut l = Line::new();
    l.padded(p.version.name(), 8, "")
        .padded(p.outcome.as_str(), 15, outcome_style(p.outcome));
    match p.outcome {
        Outcome::Accepted => {
            l.text(p.cipher.clone().unwrap_or_default());
            if let Some(g) = &p.group {
                l.text(format!("  {g}"));
            }
            if let Some(d) = &p.detail {
                l.push(format!("  {d}"), DIM);
            }
        }
        Outcome::Alert => {
            let name = p.alert.as_deref().unwrap_or("?");
            match p.alert_code {
                Some(c) => l.text(format!("{name} ({c})")),
                None => l.text(name),
            };
            if let Some(d) = &p.detail {
                l.push(format!("  {d}"), DIM);
            }
        }
        Outcome::WrongVersion => {
            l.text(format!(
                "answered {}",
                p.answered_version.as_deref().unwrap_or("another version")
            ));
        }
        Outcome::Reset | Outcome::Timeout | Outcome::Refused => {
            let d = p
                .os_error
                .as_ref()
                .map(describe)
                .or_else(|| p.detail.clone())
                .unwrap_or_default();
            l.text(d);
        }
        _ => {
            l.text(p.detail.clone().unwrap_or_default());
        }
    }
    if verbose {
        l.push(format!("  {:.1} ms", p.duration_ms), DIM);
    }
    l
}

fn certificate_lines(c: &CertificateReport, verbose: u8) -> Vec<Line> {
    let mut lines = Vec::new();
    let Some(leaf) = c.chain.first() else {
        let mut l = Line::new();
        l.padded("certificate", 13, DIM).text("none received");
        lines.push(l);
        return lines;
    };
    let mut l = Line::new();
    l.padded("certificate", 13, DIM)
        .push(&leaf.subject, BOLD)
        .text(format!(" · {} · ", leaf.key));
    match (c.trusted, &c.trust_error) {
        (Some(true), _) => l.push("trusted", GREEN),
        (Some(false), Some(e)) => l.push(format!("NOT trusted ({e})"), RED),
        (Some(false), None) => l.push("NOT trusted", RED),
        (None, _) => l.push("trust not checked", DIM),
    };
    let date = leaf.not_after.get(..10).unwrap_or(&leaf.not_after);
    match c.days_left {
        Some(d) if d < 0 => l
            .text(" · ")
            .push(format!("expired {date} ({d} days)"), RED),
        Some(d) if d <= 30 => l
            .text(" · ")
            .push(format!("expires {date} ({d} days)"), YELLOW),
        Some(d) => l.text(format!(" · expires {date} ({d} days)")),
        None => l.text(format!(" · expires {date}")),
    };
    if c.intercepted == Some(true) {
        l.text(" · ").push("INTERCEPTED", RED);
    }
    lines.push(l);
    let mut l = Line::new();
    l.padded("", 13, "").push(
        format!(
            "issuer {} · chain of {} · name {} · {}",
            leaf.issuer,
            c.chain.len(),
            match c.hostname_match {
                Some(true) => "matches",
                Some(false) => "does NOT match",
                None => "not checked",
            },
            if c.ocsp_stapled {
                "OCSP stapled"
            } else {
                "no OCSP staple"
            }
        ),
        DIM,
    );
    lines.push(l);
    if verbose > 0 {
        if let Some(d) = &c.trust_detail {
            let mut l = Line::new();
            l.padded("", 13, "").push(format!("verifier: {d}"), DIM);
            lines.push(l);
        }
        for (i, cert) in c.chain.iter().enumerate() {
            let mut l = Line::new();
            l.padded("", 13, "").push(
                format!(
                    "#{i} {} · {} · {} · until {} · sha256 {}",
                    cert.subject,
                    cert.key,
                    cert.signature_algorithm,
                    cert.not_after,
                    cert.sha256.get(..16).unwrap_or(&cert.sha256)
                ),
                DIM,
            );
            lines.push(l);
        }
        for e in &c.interception_evidence {
            let mut l = Line::new();
            l.padded("", 13, "").push(format!("interception: {e}"), DIM);
            lines.push(l);
        }
    }
    lines
}

fn tcp_word(o: TcpOutcome) -> &'static str {
    match o {
        TcpOutcome::Connected => "connected",
        TcpOutcome::Refused => "refused",
        TcpOutcome::Timeout => "timeout",
        TcpOutcome::Reset => "reset",
        TcpOutcome::Unreachable => "unreachable",
        TcpOutcome::Error => "error",
    }
}

/// `ECONNRESET (Windows: WSAECONNRESET 10054)`.
fn describe(e: &OsError) -> String {
    e.to_string()
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1} ms"))
}

/// Writes the end-of-run totals.
pub fn write_summary(out: &mut dyn Write, s: &Summary, color: bool) -> io::Result<()> {
    let mut l = Line::new();
    l.text(format!(
        "{} target{}",
        s.targets,
        if s.targets == 1 { "" } else { "s" }
    ));
    let counts = [
        (s.ok, "ok", GREEN),
        (s.warning, "warning", YELLOW),
        (s.critical, "critical", RED),
        (s.unknown, "unknown", RED),
        (s.bad_input, "invalid", RED),
    ];
    for (n, word, style) in counts {
        if n > 0 {
            l.text(", ").push(format!("{n} {word}"), style);
        }
    }
    l.push(format!(" · {:.0} ms", s.duration_ms), DIM);
    writeln!(out, "{}", l.render(color))
}
