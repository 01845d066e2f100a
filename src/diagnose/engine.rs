//! Observations → findings. Each rule reads a [`TargetReport`], picks a finding from the
//! catalogue (`data/findings.toml`), fills its summary and quotes the observations as evidence.
//!
//! The rules decide *which* finding applies; the words (causes, fixes, references) come from
//! the knowledge base. This module does no I/O and does not format output.

use super::kb::{FindingDef, kb, os_error_entry};
use super::suites::{SuiteSecurity, suite_security};
use crate::model::{
    CertificateReport, EndpointReport, Finding, OsError, Outcome, ProtocolReport, ProtocolVersion,
    TargetReport, TcpOutcome,
};

/// Tuning for the rules.
#[derive(Debug, Clone)]
pub struct Context {
    /// A certificate expiring in fewer days than this is a warning.
    pub warn_days: i64,
    /// RSA keys shorter than this are a warning.
    pub min_rsa_bits: u32,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            warn_days: 30,
            min_rsa_bits: 2048,
        }
    }
}

/// Finding ids used by the rules. Each must exist in `data/findings.toml` (tested).
pub mod ids {
    #![allow(missing_docs)]
    pub const LEGACY_TLS_REJECTED: &str = "legacy-tls-rejected";
    pub const TLS13_ONLY: &str = "tls13-only";
    pub const TLS12_NOT_SUPPORTED: &str = "tls12-not-supported";
    pub const ALL_VERSIONS_REJECTED: &str = "all-versions-rejected";
    pub const ALL_VERSIONS_TIMEOUT: &str = "all-versions-timeout";
    pub const NO_SHARED_CIPHER: &str = "no-shared-cipher";
    pub const LEGACY_TLS_ACCEPTED: &str = "legacy-tls-accepted";
    pub const SSL_ACCEPTED: &str = "ssl-accepted";
    pub const INSECURE_CIPHER_SUITE: &str = "insecure-cipher-suite";
    pub const WEAK_CIPHER_SUITE: &str = "weak-cipher-suite";
    pub const SERVER_PICKED_UNOFFERED_SUITE: &str = "server-picked-unoffered-suite";
    pub const DNS_NO_SUCH_HOST: &str = "dns-no-such-host";
    pub const DNS_NO_RECORDS: &str = "dns-no-records";
    pub const DNS_TIMEOUT: &str = "dns-timeout";
    pub const DNS_SERVER_FAILURE: &str = "dns-server-failure";
    pub const DNS_NO_RESOLVER: &str = "dns-no-resolver";
    pub const DNS_FAILURE: &str = "dns-failure";
    pub const TCP_REFUSED: &str = "tcp-refused";
    pub const TCP_TIMEOUT: &str = "tcp-timeout";
    pub const TCP_UNREACHABLE: &str = "tcp-unreachable";
    pub const TCP_RESET: &str = "tcp-reset";
    pub const TCP_ERROR: &str = "tcp-error";
    pub const NOT_TLS: &str = "not-tls";
    pub const SNI_REQUIRED: &str = "sni-required";
    pub const SNI_UNRECOGNIZED: &str = "sni-unrecognized";
    pub const CERT_EXPIRED: &str = "cert-expired";
    pub const CERT_NOT_YET_VALID: &str = "cert-not-yet-valid";
    pub const CERT_EXPIRES_SOON: &str = "cert-expires-soon";
    pub const CERT_UNTRUSTED: &str = "cert-untrusted";
    pub const CERT_SELF_SIGNED: &str = "cert-self-signed";
    pub const CERT_NAME_MISMATCH: &str = "cert-name-mismatch";
    pub const CERT_REVOKED: &str = "cert-revoked";
    pub const CERT_INVALID: &str = "cert-invalid";
    pub const CERT_SHA1_SIGNATURE: &str = "cert-sha1-signature";
    pub const CERT_WEAK_KEY: &str = "cert-weak-key";
    pub const TLS_INTERCEPTION: &str = "tls-interception";
    pub const HANDSHAKE_FAILED: &str = "handshake-failed";
    pub const PROXY_AUTH_REQUIRED: &str = "proxy-auth-required";
    pub const PROXY_REFUSED: &str = "proxy-refused";
    pub const PROXY_UNREACHABLE: &str = "proxy-unreachable";
    pub const PROXY_ERROR: &str = "proxy-error";
    pub const CLIENT_CERTIFICATE_REQUIRED: &str = "client-certificate-required";
    pub const PLAINTEXT_PROTOCOL: &str = "plaintext-protocol";
    pub const DOWNGRADE_UNPROTECTED: &str = "downgrade-unprotected";
    pub const HELLO_INTOLERANCE: &str = "hello-intolerance";
    pub const ADDRESSES_INCONSISTENT: &str = "addresses-inconsistent";

    /// Every id above.
    pub const ALL: &[&str] = &[
        SERVER_PICKED_UNOFFERED_SUITE,
        LEGACY_TLS_REJECTED,
        TLS13_ONLY,
        TLS12_NOT_SUPPORTED,
        ALL_VERSIONS_REJECTED,
        ALL_VERSIONS_TIMEOUT,
        NO_SHARED_CIPHER,
        LEGACY_TLS_ACCEPTED,
        SSL_ACCEPTED,
        INSECURE_CIPHER_SUITE,
        WEAK_CIPHER_SUITE,
        DNS_NO_SUCH_HOST,
        DNS_NO_RECORDS,
        DNS_TIMEOUT,
        DNS_SERVER_FAILURE,
        DNS_NO_RESOLVER,
        DNS_FAILURE,
        TCP_REFUSED,
        TCP_TIMEOUT,
        TCP_UNREACHABLE,
        TCP_RESET,
        TCP_ERROR,
        NOT_TLS,
        SNI_REQUIRED,
        SNI_UNRECOGNIZED,
        CERT_EXPIRED,
        CERT_NOT_YET_VALID,
        CERT_EXPIRES_SOON,
        CERT_UNTRUSTED,
        CERT_SELF_SIGNED,
        CERT_NAME_MISMATCH,
        CERT_REVOKED,
        CERT_INVALID,
        CERT_SHA1_SIGNATURE,
        CERT_WEAK_KEY,
        TLS_INTERCEPTION,
        HANDSHAKE_FAILED,
        PROXY_AUTH_REQUIRED,
        PROXY_REFUSED,
        PROXY_UNREACHABLE,
        PROXY_ERROR,
        CLIENT_CERTIFICATE_REQUIRED,
        PLAINTEXT_PROTOCOL,
        DOWNGRADE_UNPROTECTED,
        HELLO_INTOLERANCE,
        ADDRESSES_INCONSISTENT,
    ];
}

/// Alert numbers the rules look at.
const ALERT_HANDSHAKE_FAILURE: u8 = 40;
const ALERT_INSUFFICIENT_SECURITY: u8 = 71;
const ALERT_UNRECOGNIZED_NAME: u8 = 112;

/// Diagnoses one target: every finding the observations support, worst first, merged across
/// endpoints when identical. `report.findings` is ignored.
pub fn diagnose(report: &TargetReport, ctx: &Context) -> Vec<Finding> {
    let mut target_level: Vec<Finding> = Vec::new();
    dns_rules(report, &mut target_level);
    super::robust::target_rules(report, &mut target_level);
    let mut groups: Vec<Group> = Vec::new();
    for ep in &report.endpoints {
        let mut found = Vec::new();
        endpoint_rules(report, ep, ctx, &mut found);
        for f in found {
            let same = groups.iter_mut().find(|g| {
                g.finding.id == f.id
                    && g.finding.summary == f.summary
                    && g.finding.severity == f.severity
            });
            match same {
                Some(g) => g.seen.push((ep.ip.clone(), f.evidence)),
                None => groups.push(Group {
                    seen: vec![(ep.ip.clone(), f.evidence.clone())],
                    finding: f,
                }),
            }
        }
    }
    let mut out = target_level;
    out.extend(groups.into_iter().map(Group::finish));
    // Worst first; stable, so rule order is kept within a severity.
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// One finding seen on one or more endpoints, with what each endpoint showed.
struct Group {
    finding: Finding,
    seen: Vec<(String, Vec<String>)>,
}

impl Group {
    /// Lists the endpoints; evidence stays as is when every endpoint showed the same, else each
    /// distinct set of lines is prefixed with the endpoints that showed it.
    fn finish(self) -> Finding {
        let mut f = self.finding;
        f.endpoints = self.seen.iter().map(|(ip, _)| ip.clone()).collect();
        f.endpoints.dedup();
        let mut distinct: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for (ip, ev) in self.seen {
            match distinct.iter_mut().find(|(e, _)| *e == ev) {
                Some((_, ips)) => ips.push(ip),
                None => distinct.push((ev, vec![ip])),
            }
        }
        f.evidence = if distinct.len() <= 1 {
            distinct
                .into_iter()
                .next()
                .map(|(e, _)| e)
                .unwrap_or_default()
        } else {
            distinct
                .into_iter()
                .flat_map(|(ev, ips)| {
                    let who = ips.join(", ");
                    ev.into_iter().map(move |e| format!("{who}: {e}"))
                })
                .collect()
        };
        f
    }
}

/// Builds a finding from the catalogue, filling `{var}` placeholders.
pub(super) fn make(
    id: &str,
    vars: &[(&str, String)],
    evidence: Vec<String>,
    no_sni: bool,
) -> Option<Finding> {
    let kb = kb();
    let def: &FindingDef = kb.finding(id)?;
    let mut summary = def.summary.clone();
    for (k, v) in vars {
        summary = summary.replace(&format!("{{{k}}}"), v);
    }
    let mut causes = Vec::new();
    if no_sni {
        if let Some(c) = def.extra_causes.get("no_sni") {
            causes.push(c.clone());
        }
    }
    causes.extend(def.causes.iter().cloned());
    let mut remediation = def.remediation.clone();
    let mut references = def.references.clone();
    for fix in &def.fixes {
        remediation.extend(kb.fix_steps(fix));
        for r in kb.fix_references(fix) {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
    }
    Some(Finding {
        id: def.id.clone(),
        severity: def.severity,
        summary,
        causes,
        remediation,
        references,
        endpoints: Vec::new(),
        evidence,
    })
}

fn push(out: &mut Vec<Finding>, f: Option<Finding>) {
    if let Some(f) = f {
        out.push(f);
    }
}

// ---------------------------------------------------------------------------------------------
// DNS

fn dns_rules(report: &TargetReport, out: &mut Vec<Finding>) {
    let host = report.target.host.clone();
    let (id, kind, message) = match &report.dns.error {
        Some(err) => {
            use crate::model::DnsErrorKind as K;
            let id = match err.kind {
                K::NoSuchHost => ids::DNS_NO_SUCH_HOST,
                K::NoRecords => ids::DNS_NO_RECORDS,
                K::Timeout => ids::DNS_TIMEOUT,
                K::ServerFailure | K::Refused => ids::DNS_SERVER_FAILURE,
                K::NoResolver => ids::DNS_NO_RESOLVER,
                K::FamilyMismatch | K::Denied | K::Other => ids::DNS_FAILURE,
            };
            (id, err.kind.to_string(), err.message.clone())
        }
        None if report.dns.addresses.is_empty() && report.endpoints.is_empty() => (
            ids::DNS_NO_RECORDS,
            "no_records".to_string(),
            "no addresses".to_string(),
        ),
        None => return,
    };
    let evidence = vec![format!("DNS: {kind}: {message}")];
    push(
        out,
        make(
            id,
            &[("host", host), ("kind", kind), ("message", message)],
            evidence,
            false,
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Versions

/// Position of a version, oldest first, from its JSON spelling (the contract), so the rules do
/// not depend on how the registry names its enum variants.
fn version_label(v: ProtocolVersion) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{v:?}"))
}

const ORDER: [&str; 6] = ["SSL2.0", "SSL3.0", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"];
const TLS12: usize = 4;
const TLS13: usize = 5;
const TLS10: usize = 2;

struct Probe<'a> {
    label: String,
    rank: usize,
    p: &'a ProtocolReport,
}

impl Probe<'_> {
    fn accepted(&self) -> bool {
        self.p.outcome == Outcome::Accepted
    }
    fn alert_is(&self, code: u8) -> bool {
        self.p.outcome == Outcome::Alert && self.p.alert_code == Some(code)
    }
}

fn probes(ep: &EndpointReport) -> Vec<Probe<'_>> {
    ep.protocols
        .iter()
        .filter_map(|p| {
            let label = version_label(p.version);
            let rank = ORDER.iter().position(|o| *o == label)?;
            Some(Probe { label, rank, p })
        })
        .collect()
}

fn labels(ps: &[&Probe<'_>]) -> String {
    ps.iter()
        .map(|p| p.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ECONNRESET, Windows 10054 WSAECONNRESET`.
fn os_error_text(e: &OsError) -> String {
    let win = match (e.windows_code, &e.windows_name) {
        (Some(c), Some(n)) => Some((c, n.clone())),
        _ => os_error_entry(&e.name).and_then(|d| Some((d.code?, d.name.clone()))),
    };
    match win {
        Some((c, n)) => format!("{}, Windows {c} {n}", e.name),
        None => e.name.clone(),
    }
}

/// The Windows view of an outcome when the probe kept no OS error (`reset` → 10054).
fn default_os_text(outcome: Outcome) -> Option<String> {
    let posix = match outcome {
        Outcome::Reset => "ECONNRESET",
        Outcome::Refused => "ECONNREFUSED",
        Outcome::Timeout => "ETIMEDOUT",
        _ => return None,
    };
    let d = os_error_entry(posix)?;
    Some(format!("{posix}, Windows {} {}", d.code?, d.name))
}

/// One evidence line: `TLS1.0: reset (ECONNRESET, Windows 10054 WSAECONNRESET)`.
fn evidence_line(pr: &Probe<'_>) -> String {
    let p = pr.p;
    let mut s = format!("{}: {}", pr.label, p.outcome.as_str());
    let mut paren: Vec<String> = Vec::new();
    match p.outcome {
        Outcome::Accepted => {
            if let Some(c) = &p.cipher {
                paren.push(c.clone());
            }
        }
        Outcome::Alert => {
            let name = p.alert.clone().unwrap_or_else(|| "unknown".to_string());
            match p.alert_code {
                Some(c) => s.push_str(&format!(" {name} ({c})")),
                None => s.push_str(&format!(" {name}")),
            }
        }
        Outcome::Timeout => paren.push(format!("no answer after {:.0} ms", p.duration_ms)),
        Outcome::WrongVersion => {
            if let Some(v) = &p.answered_version {
                paren.push(format!("server answered {v}"));
            }
        }
        _ => {}
    }
    match &p.os_error {
        Some(e) => paren.push(os_error_text(e)),
        None => paren.extend(default_os_text(p.outcome)),
    }
    if let Some(d) = &p.detail {
        paren.push(d.clone());
    }
    if !paren.is_empty() {
        s.push_str(&format!(" ({})", paren.join("; ")));
    }
    s
}

/// How the server refused: `TCP reset`, `alert protocol_version (70)`, ... unique, joined.
fn how(ps: &[&Probe<'_>]) -> String {
    let mut v: Vec<String> = Vec::new();
    for p in ps {
        let h = match p.p.outcome {
            Outcome::Reset => "TCP reset".to_string(),
            Outcome::Alert => match (&p.p.alert, p.p.alert_code) {
                (Some(n), Some(c)) => format!("alert {n} ({c})"),
                (Some(n), None) => format!("alert {n}"),
                (None, Some(c)) => format!("alert {c}"),
                (None, None) => "alert".to_string(),
            },
            Outcome::Closed => "connection closed without an answer".to_string(),
            Outcome::Timeout => "no answer".to_string(),
            Outcome::Malformed => "a non-TLS answer".to_string(),
            Outcome::Refused => "connection refused".to_string(),
            Outcome::WrongVersion => "a ServerHello for another version".to_string(),
            Outcome::Accepted => continue,
        };
        if !v.contains(&h) {
            v.push(h);
        }
    }
    v.join(" / ")
}

/// What a Windows client sees for these refusals, from `[symptoms]`.
fn symptom(ps: &[&Probe<'_>]) -> String {
    let kb = kb();
    let mut v: Vec<String> = Vec::new();
    for p in ps {
        if let Some(s) = kb.symptoms.get(p.p.outcome.as_str()) {
            if !v.contains(s) {
                v.push(s.clone());
            }
        }
    }
    v.join("; or ")
}

fn endpoint_rules(
    report: &TargetReport,
    ep: &EndpointReport,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    let no_sni = report.target.sni.is_none();
    if ep.tcp.outcome != TcpOutcome::Connected {
        tcp_rule(report, ep, out);
        return;
    }
    let all = probes(ep);
    let tls_probes: Vec<&Probe<'_>> = all.iter().filter(|p| p.rank >= TLS10).collect();
    let accepted: Vec<&Probe<'_>> = all.iter().filter(|p| p.accepted()).collect();
    let refused: Vec<&Probe<'_>> = all.iter().filter(|p| !p.accepted()).collect();
    let evidence_all = || all.iter().map(evidence_line).collect::<Vec<_>>();

    // SNI.
    let sni_alerts: Vec<&Probe<'_>> = all
        .iter()
        .filter(|p| p.alert_is(ALERT_UNRECOGNIZED_NAME))
        .collect();
    let sni_detail: Vec<&Probe<'_>> = all
        .iter()
        .filter(|p| !p.accepted() && p.p.sni_required)
        .collect();
    let mut sni_explains = false;
    if !sni_alerts.is_empty() {
        let ev = sni_alerts.iter().map(|p| evidence_line(p)).collect();
        match &report.target.sni {
            Some(sni) => push(
                out,
                make(ids::SNI_UNRECOGNIZED, &[("sni", sni.clone())], ev, false),
            ),
            None => push(
                out,
                make(ids::SNI_REQUIRED, &[("how", how(&sni_alerts))], ev, true),
            ),
        }
        sni_explains = true;
    } else if !sni_detail.is_empty() {
        let ev = sni_detail.iter().map(|p| evidence_line(p)).collect();
        push(
            out,
            make(ids::SNI_REQUIRED, &[("how", how(&sni_detail))], ev, true),
        );
        sni_explains = true;
    }

    if !all.is_empty() && accepted.is_empty() {
        // Nothing accepted: say why, once.
        let malformed: Vec<&Probe<'_>> = all
            .iter()
            .filter(|p| p.p.outcome == Outcome::Malformed)
            .collect();
        if super::robust::plaintext_rule(report, ep, evidence_all(), out) {
            // A mail, FTP or SSH server spoke first: said by plaintext-protocol.
        } else if let Some(first) = malformed.first() {
            let detail = first
                .p
                .detail
                .clone()
                .unwrap_or_else(|| "unrecognised bytes".to_string());
            push(
                out,
                make(
                    ids::NOT_TLS,
                    &[("port", report.target.port.to_string()), ("detail", detail)],
                    evidence_all(),
                    no_sni,
                ),
            );
        } else if !tls_probes.is_empty()
            && tls_probes.iter().all(|p| p.p.outcome == Outcome::Timeout)
        {
            // SSL 2.0/3.0 probes are ignored here: servers often close those at once even when
            // they then sit silent on every TLS hello.
            push(
                out,
                make(
                    ids::ALL_VERSIONS_TIMEOUT,
                    &[
                        ("versions", labels(&tls_probes)),
                        ("symptom", symptom(&tls_probes)),
                    ],
                    evidence_all(),
                    no_sni,
                ),
            );
        } else if !sni_explains {
            let cipher_alerts: Vec<&Probe<'_>> = all
                .iter()
                .filter(|p| {
                    p.rank >= TLS12
                        && (p.alert_is(ALERT_HANDSHAKE_FAILURE)
                            || p.alert_is(ALERT_INSUFFICIENT_SECURITY))
                })
                .collect();
            if !cipher_alerts.is_empty() {
                push(
                    out,
                    make(
                        ids::NO_SHARED_CIPHER,
                        &[
                            ("versions", labels(&cipher_alerts)),
                            ("alert", how(&cipher_alerts).replace("alert ", "")),
                        ],
                        evidence_all(),
                        no_sni,
                    ),
                );
            } else {
                push(
                    out,
                    make(
                        ids::ALL_VERSIONS_REJECTED,
                        &[("how", how(&refused)), ("symptom", symptom(&refused))],
                        evidence_all(),
                        no_sni,
                    ),
                );
            }
        }
    } else if !accepted.is_empty() {
        version_rules(&all, &accepted, out);
        // A ServerHello is not a connection: when neither the full handshake nor the raw
        // negotiation completed, no client gets through whatever the version probes say.
        if ep.negotiated.is_none()
            && let Some(err) = &ep.handshake_error
        {
            let mut ev: Vec<String> = accepted.iter().map(|p| evidence_line(p)).collect();
            ev.push(format!("full handshake: {}", err.message));
            push(
                out,
                make(
                    ids::HANDSHAKE_FAILED,
                    &[("error", err.message.clone())],
                    ev,
                    false,
                ),
            );
        }
    }

    if let Some(err) = &ep.handshake_error
        && (ep.client_certificate_requested || err.message.contains("certificate_required"))
    {
        push(
            out,
            make(
                ids::CLIENT_CERTIFICATE_REQUIRED,
                &[("error", err.message.clone())],
                vec![
                    "the server sent a CertificateRequest (or alert certificate_required)".into(),
                    format!(
                        "full handshake without a client certificate: {}",
                        err.message
                    ),
                ],
                false,
            ),
        );
    }

    cipher_rules(ep, &all, out);
    unoffered_rule(ep, out);
    super::robust::endpoint_rules(ep, out);
    if let Some(cert) = &ep.certificate {
        cert_rules(report, cert, ctx, out);
    }
}

fn version_rules(all: &[Probe<'_>], accepted: &[&Probe<'_>], out: &mut Vec<Finding>) {
    let modern: Vec<&Probe<'_>> = accepted
        .iter()
        .copied()
        .filter(|p| p.rank >= TLS12)
        .collect();
    let legacy_tls = |p: &&Probe<'_>| p.rank >= TLS10 && p.rank < TLS12;
    if !modern.is_empty() {
        let legacy_refused: Vec<&Probe<'_>> = all
            .iter()
            .filter(legacy_tls)
            .filter(|p| !p.accepted())
            .collect();
        if !legacy_refused.is_empty() {
            let ev = all
                .iter()
                .filter(|p| legacy_tls(p) || p.rank >= TLS12)
                .map(evidence_line)
                .collect();
            push(
                out,
                make(
                    ids::LEGACY_TLS_REJECTED,
                    &[
                        ("accepted", labels(&modern)),
                        ("rejected", labels(&legacy_refused)),
                        ("how", how(&legacy_refused)),
                        ("symptom", symptom(&legacy_refused)),
                    ],
                    ev,
                    false,
                ),
            );
        }
        let tls12_refused: Vec<&Probe<'_>> = all
            .iter()
            .filter(|p| p.rank == TLS12 && !p.accepted())
            .collect();
        if modern.iter().all(|p| p.rank == TLS13) && !tls12_refused.is_empty() {
            let refused: Vec<&Probe<'_>> = all.iter().filter(|p| !p.accepted()).collect();
            let ev = all
                .iter()
                .filter(|p| p.rank >= TLS12)
                .map(evidence_line)
                .collect();
            push(
                out,
                make(
                    ids::TLS13_ONLY,
                    &[("rejected", labels(&refused)), ("how", how(&tls12_refused))],
                    ev,
                    false,
                ),
            );
        }
        let legacy_accepted: Vec<&Probe<'_>> =
            accepted.iter().copied().filter(legacy_tls).collect();
        if !legacy_accepted.is_empty() {
            let ev = legacy_accepted.iter().map(|p| evidence_line(p)).collect();
            push(
                out,
                make(
                    ids::LEGACY_TLS_ACCEPTED,
                    &[
                        ("versions", labels(&legacy_accepted)),
                        ("modern", labels(&modern)),
                    ],
                    ev,
                    false,
                ),
            );
        }
    } else {
        let modern_refused: Vec<&Probe<'_>> = all.iter().filter(|p| p.rank >= TLS12).collect();
        if modern_refused.iter().any(|p| p.rank == TLS12) {
            let highest = accepted
                .iter()
                .max_by_key(|p| p.rank)
                .map(|p| p.label.clone())
                .unwrap_or_default();
            let ev = all.iter().map(evidence_line).collect();
            push(
                out,
                make(
                    ids::TLS12_NOT_SUPPORTED,
                    &[("highest", highest), ("how", how(&modern_refused))],
                    ev,
                    false,
                ),
            );
        }
    }
    let ssl: Vec<&Probe<'_>> = accepted
        .iter()
        .copied()
        .filter(|p| p.rank < TLS10)
        .collect();
    if !ssl.is_empty() {
        let ev = ssl.iter().map(|p| evidence_line(p)).collect();
        push(
            out,
            make(ids::SSL_ACCEPTED, &[("versions", labels(&ssl))], ev, false),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Cipher suites

/// A server that answered with a suite the hello did not offer (seen by `scan`'s elimination).
fn unoffered_rule(ep: &EndpointReport, out: &mut Vec<Finding>) {
    let mut suites: Vec<&str> = Vec::new();
    let mut ev = Vec::new();
    for p in &ep.protocols {
        for s in p.unoffered_suites.iter().flatten() {
            ev.push(format!(
                "{}: picked {s}, which the hello did not offer",
                p.version
            ));
            if !suites.contains(&s.as_str()) {
                suites.push(s);
            }
        }
    }
    if !suites.is_empty() {
        push(
            out,
            make(
                ids::SERVER_PICKED_UNOFFERED_SUITE,
                &[("suites", suites.join(", "))],
                ev,
                false,
            ),
        );
    }
}

fn cipher_rules(ep: &EndpointReport, all: &[Probe<'_>], out: &mut Vec<Finding>) {
    // (suite, where it was seen), in observation order.
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut add = |suite: &str, place: String| {
        if !seen.iter().any(|(s, p)| s == suite && *p == place) {
            seen.push((suite.to_string(), place));
        }
    };
    for p in all.iter().filter(|p| p.accepted()) {
        if let Some(c) = &p.p.cipher {
            add(c, format!("{} chosen", p.label));
        }
        for c in p.p.ciphers.iter().flatten() {
            add(c, format!("{} accepted", p.label));
        }
    }
    if let Some(c) = ep.negotiated.as_ref().and_then(|n| n.cipher.as_ref()) {
        add(c, "negotiated".to_string());
    }
    for (level, id) in [
        (SuiteSecurity::Insecure, ids::INSECURE_CIPHER_SUITE),
        (SuiteSecurity::Weak, ids::WEAK_CIPHER_SUITE),
    ] {
        let hits: Vec<&(String, String)> = seen
            .iter()
            .filter(|(s, _)| suite_security(s) == level)
            .collect();
        if hits.is_empty() {
            continue;
        }
        let mut suites: Vec<&str> = Vec::new();
        for (s, _) in &hits {
            if !suites.contains(&s.as_str()) {
                suites.push(s);
            }
        }
        let ev = hits.iter().map(|(s, p)| format!("{p}: {s}")).collect();
        push(out, make(id, &[("suites", suites.join(", "))], ev, false));
    }
}

// ---------------------------------------------------------------------------------------------
// TCP

/// A CONNECT that the proxy did not grant: the proxy's answer is the finding, not TCP.
fn proxy_rule(ep: &EndpointReport, out: &mut Vec<Finding>) -> bool {
    let Some(p) = &ep.proxy else {
        return false;
    };
    let id = match (p.outcome.as_str(), p.status) {
        ("connected", _) => return false,
        (_, Some(401 | 407)) | ("auth_required", _) => ids::PROXY_AUTH_REQUIRED,
        ("refused", _) => ids::PROXY_REFUSED,
        ("unreachable", _) => ids::PROXY_UNREACHABLE,
        _ => ids::PROXY_ERROR,
    };
    let mut ev = vec![format!("proxy {}: {}", p.url, p.outcome)];
    if let Some(m) = &p.message {
        ev.push(m.clone());
    }
    let status = match (p.status, p.socks_reply) {
        (Some(s), _) => format!("HTTP {s}"),
        (None, Some(code)) => format!(
            "SOCKS5 reply {code}: {}",
            crate::registry::socks::reply_name(code)
        ),
        (None, None) if p.url.starts_with("socks") && id == ids::PROXY_AUTH_REQUIRED => {
            "SOCKS5 authentication refused".to_string()
        }
        (None, None) if p.url.starts_with("socks") => "no valid SOCKS5 answer".to_string(),
        (None, None) => "no valid HTTP answer".to_string(),
    };
    push(
        out,
        make(
            id,
            &[
                ("proxy", p.url.clone()),
                ("status", status),
                ("host", ep.ip.clone()),
            ],
            ev,
            false,
        ),
    );
    true
}

fn tcp_rule(report: &TargetReport, ep: &EndpointReport, out: &mut Vec<Finding>) {
    if proxy_rule(ep, out) {
        return;
    }
    let id = match ep.tcp.outcome {
        TcpOutcome::Connected => return,
        TcpOutcome::Refused => ids::TCP_REFUSED,
        TcpOutcome::Timeout => ids::TCP_TIMEOUT,
        TcpOutcome::Unreachable => ids::TCP_UNREACHABLE,
        TcpOutcome::Reset => ids::TCP_RESET,
        TcpOutcome::Error => ids::TCP_ERROR,
    };
    let os = ep.tcp.error.as_ref().and_then(|e| e.os_error.as_ref());
    let os_text = match os {
        Some(e) => os_error_text(e),
        None => {
            let posix = match ep.tcp.outcome {
                TcpOutcome::Refused => Some("ECONNREFUSED"),
                TcpOutcome::Timeout => Some("ETIMEDOUT"),
                TcpOutcome::Reset => Some("ECONNRESET"),
                TcpOutcome::Unreachable => Some("EHOSTUNREACH"),
                _ => None,
            };
            posix
                .and_then(|p| {
                    os_error_entry(p)
                        .and_then(|d| Some(format!("{p}, Windows {} {}", d.code?, d.name)))
                })
                .unwrap_or_else(|| "no OS error recorded".to_string())
        }
    };
    let outcome = serde_json::to_value(ep.tcp.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut ev = vec![format!(
        "TCP {}:{}: {outcome} ({os_text})",
        ep.ip, report.target.port
    )];
    if let Some(e) = &ep.tcp.error {
        ev.push(format!("error: {}", e.message));
    }
    push(
        out,
        make(
            id,
            &[
                ("port", report.target.port.to_string()),
                ("os_error", os_text),
            ],
            ev,
            false,
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Certificates

fn cert_rules(
    report: &TargetReport,
    cert: &CertificateReport,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    let leaf = cert.chain.first();
    let issuer = leaf.map(|c| c.issuer.clone()).unwrap_or_default();
    let subject = leaf.map(|c| c.subject.clone()).unwrap_or_default();
    let not_after = leaf.map(|c| c.not_after.clone()).unwrap_or_default();
    let not_before = leaf.map(|c| c.not_before.clone()).unwrap_or_default();
    let mut base_ev = vec![format!("leaf: {subject}; issuer: {issuer}")];
    if let Some(t) = cert.trusted {
        let mut s = format!("trusted: {t}");
        if let Some(e) = &cert.trust_error {
            s.push_str(&format!(" ({e}"));
            if let Some(d) = &cert.trust_detail {
                s.push_str(&format!(": {d}"));
            }
            s.push(')');
        }
        base_ev.push(s);
    }

    let intercepted = cert.intercepted == Some(true);
    if intercepted {
        let mut ev = base_ev.clone();
        ev.extend(cert.interception_evidence.iter().cloned());
        push(
            out,
            make(
                ids::TLS_INTERCEPTION,
                &[("issuer", issuer.clone())],
                ev,
                false,
            ),
        );
    }

    let mut expired_done = false;
    let mut name_done = false;
    if cert.trusted == Some(false) {
        match cert.trust_error.as_deref().unwrap_or("other") {
            "expired" => {
                // The leaf may be fine and an intermediate expired: name the one that ran out
                // first (RFC 3339 UTC strings sort by time).
                let first_out = cert
                    .chain
                    .iter()
                    .filter(|c| !c.not_after.is_empty())
                    .min_by(|a, b| a.not_after.cmp(&b.not_after));
                let (who, when) = first_out
                    .map(|c| (c.subject.clone(), c.not_after.clone()))
                    .unwrap_or_else(|| (subject.clone(), not_after.clone()));
                let days = cert
                    .chain_days_left
                    .or(cert.days_left)
                    .map(|d| (-d).max(0))
                    .unwrap_or(0);
                let mut ev = base_ev.clone();
                ev.push(format!("expired: {who}, not after {when}"));
                push(
                    out,
                    make(
                        ids::CERT_EXPIRED,
                        &[
                            ("subject", who),
                            ("days", days.to_string()),
                            ("not_after", when),
                        ],
                        ev,
                        false,
                    ),
                );
                expired_done = true;
            }
            "not_yet_valid" => {
                let mut ev = base_ev.clone();
                ev.push(format!("not before: {not_before}"));
                push(
                    out,
                    make(
                        ids::CERT_NOT_YET_VALID,
                        &[("not_before", not_before.clone())],
                        ev,
                        false,
                    ),
                );
            }
            "unknown_issuer" if !intercepted => {
                push(
                    out,
                    make(
                        ids::CERT_UNTRUSTED,
                        &[
                            ("trust_error", "unknown_issuer".into()),
                            ("issuer", issuer.clone()),
                        ],
                        base_ev.clone(),
                        false,
                    ),
                );
            }
            "unknown_issuer" => {}
            "self_signed" if !intercepted => {
                push(
                    out,
                    make(
                        ids::CERT_SELF_SIGNED,
                        &[("subject", subject.clone())],
                        base_ev.clone(),
                        false,
                    ),
                );
            }
            "self_signed" => {}
            "name_mismatch" => {
                push(out, name_mismatch(report, cert, base_ev.clone()));
                name_done = true;
            }
            "revoked" => push(out, make(ids::CERT_REVOKED, &[], base_ev.clone(), false)),
            other => {
                let detail = cert
                    .trust_detail
                    .clone()
                    .unwrap_or_else(|| "no detail".to_string());
                push(
                    out,
                    make(
                        ids::CERT_INVALID,
                        &[("trust_error", other.to_string()), ("detail", detail)],
                        base_ev.clone(),
                        false,
                    ),
                );
            }
        }
    }
    if !name_done && cert.hostname_match == Some(false) {
        push(out, name_mismatch(report, cert, base_ev.clone()));
    }
    if let Some(days) = cert.days_left {
        if days < 0 && !expired_done {
            let mut ev = base_ev.clone();
            ev.push(format!("days left: {days}"));
            push(
                out,
                make(
                    ids::CERT_EXPIRED,
                    &[
                        ("subject", subject.clone()),
                        ("days", (-days).to_string()),
                        ("not_after", not_after.clone()),
                    ],
                    ev,
                    false,
                ),
            );
        } else if days >= 0 && days < ctx.warn_days {
            let ev = vec![
                format!("leaf: {subject}"),
                format!("not after: {not_after} ({days} days left)"),
            ];
            push(
                out,
                make(
                    ids::CERT_EXPIRES_SOON,
                    &[("days", days.to_string()), ("not_after", not_after.clone())],
                    ev,
                    false,
                ),
            );
        }
    }
    for c in &cert.chain {
        let root = c.is_ca && c.self_issued;
        if root {
            // Roots are trusted by presence in the store; their own signature does not matter.
            continue;
        }
        if c.signature_algorithm.to_ascii_lowercase().contains("sha1") {
            let ev = vec![format!("{}: {}", c.subject, c.signature_algorithm)];
            push(
                out,
                make(
                    ids::CERT_SHA1_SIGNATURE,
                    &[
                        ("subject", c.subject.clone()),
                        ("algorithm", c.signature_algorithm.clone()),
                    ],
                    ev,
                    false,
                ),
            );
        }
        if c.key.to_ascii_uppercase().starts_with("RSA")
            && c.key_bits > 0
            && c.key_bits < ctx.min_rsa_bits
        {
            let ev = vec![format!("{}: {} ({} bits)", c.subject, c.key, c.key_bits)];
            push(
                out,
                make(
                    ids::CERT_WEAK_KEY,
                    &[
                        ("subject", c.subject.clone()),
                        ("key", c.key.clone()),
                        ("min_bits", ctx.min_rsa_bits.to_string()),
                    ],
                    ev,
                    false,
                ),
            );
        }
    }
}

fn name_mismatch(
    report: &TargetReport,
    cert: &CertificateReport,
    ev: Vec<String>,
) -> Option<Finding> {
    let name = report
        .target
        .sni
        .clone()
        .unwrap_or_else(|| report.target.host.clone());
    let sans = cert
        .chain
        .first()
        .map(|c| c.sans.join(", "))
        .unwrap_or_default();
    let sans = if sans.is_empty() {
        "no subject alternative names".to_string()
    } else {
        sans
    };
    make(
        ids::CERT_NAME_MISMATCH,
        &[("name", name), ("sans", sans)],
        ev,
        report.target.sni.is_none(),
    )
}
