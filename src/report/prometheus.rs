//! Prometheus exposition of one diagnosed target, in the style of blackbox_exporter: the
//! metric names blackbox_exporter has (`probe_success`, `probe_duration_seconds`,
//! `probe_dns_lookup_time_seconds`, `probe_tls_version_info`, `probe_ssl_earliest_cert_expiry`,
//! `probe_ssl_last_chain_expiry_timestamp_seconds`, `probe_ssl_last_chain_info`,
//! `probe_ip_protocol`) keep their meaning, so existing dashboards and alerts work; the rest
//! (`probe_tls_*`) is what `check` learns beyond one handshake.
//!
//! Encoding is prometheus-client's (OpenMetrics text). This module only formats a
//! [`TargetReport`]; it does not probe, and it does not judge (findings come from diagnosis).
//!
//! A target may have several addresses. Gauges that summarise them take the worst case a client
//! could hit: a version counts as supported only when every endpoint that was probed accepts
//! it, `probe_tls_version_info` is the lowest negotiated version among the endpoints, the expiry
//! is the earliest one seen.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

use crate::model::{CertificateReport, ProtocolVersion, Status, TargetReport, TcpOutcome};

/// The `Content-Type` of [`encode_target`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

type Labels = Vec<(String, String)>;

/// A `version` label value, spelled as blackbox_exporter spells it (Go's `tls.VersionName`:
/// `TLS 1.2`, `SSLv3`), so that its alerts and dashboards match tlsprobe's series too.
pub fn version_label(v: ProtocolVersion) -> &'static str {
    match v {
        ProtocolVersion::Ssl2 => "SSLv2",
        ProtocolVersion::Ssl3 => "SSLv3",
        ProtocolVersion::Tls10 => "TLS 1.0",
        ProtocolVersion::Tls11 => "TLS 1.1",
        ProtocolVersion::Tls12 => "TLS 1.2",
        ProtocolVersion::Tls13 => "TLS 1.3",
    }
}
type G = Gauge<f64, AtomicU64>;
type F = Family<Labels, G>;

fn gauge(reg: &mut Registry, name: &str, help: &str, value: f64) {
    let g = G::default();
    g.set(value);
    reg.register(name, help, g);
}

fn family(reg: &mut Registry, name: &str, help: &str) -> F {
    let f = F::default();
    reg.register(name, help, f.clone());
    f
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// Unix time of an RFC 3339 timestamp.
fn unix(rfc3339: &str) -> Option<i64> {
    time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Earliest `not_after` of a chain, as Unix time.
fn chain_expiry(cert: &CertificateReport) -> Option<i64> {
    cert.chain.iter().filter_map(|c| unix(&c.not_after)).min()
}

/// Whether a target counts as a successful probe: it has at least one endpoint and on every
/// endpoint TCP connected and some TLS version was accepted.
pub fn probe_succeeded(r: &TargetReport) -> bool {
    !r.endpoints.is_empty()
        && r.endpoints.iter().all(|e| {
            e.tcp.outcome == TcpOutcome::Connected
                && (e.highest_version.is_some()
                    || e.negotiated.as_ref().is_some_and(|n| n.version.is_some()))
        })
}

/// Whether a client cannot be pushed to a lower version than the server's best (RFC 7507):
/// every address either refused the TLS_FALLBACK_SCSV retry (`downgrade.fallback_scsv`) or
/// accepts only one version. `None` when no address decided (no TLS, or no decisive answer to
/// the fallback hello). `0` matches the `downgrade-unprotected` finding.
pub fn downgrade_protected(r: &TargetReport) -> Option<bool> {
    let decided: Vec<bool> = r
        .endpoints
        .iter()
        .filter(|e| e.highest_version.is_some())
        .filter_map(
            |e| match e.downgrade.as_ref().and_then(|d| d.fallback_scsv) {
                Some(refused) => Some(refused),
                None if e.protocols.iter().filter(|p| p.supported).count() <= 1 => Some(true),
                None => None,
            },
        )
        .collect();
    if decided.is_empty() {
        return None;
    }
    Some(decided.into_iter().all(|p| p))
}

/// The registry holding every per-probe metric of `r`.
pub fn registry(r: &TargetReport) -> Registry {
    let mut reg = Registry::default();
    let success = probe_succeeded(r);
    gauge(
        &mut reg,
        "probe_success",
        "Whether every address of the target connected and accepted a TLS version",
        if success { 1.0 } else { 0.0 },
    );
    gauge(
        &mut reg,
        "probe_duration_seconds",
        "How long the probe took to complete in seconds",
        r.duration_ms / 1000.0,
    );
    gauge(
        &mut reg,
        "probe_dns_lookup_time_seconds",
        "Returns the time taken for probe dns lookup in seconds",
        r.dns.duration_ms / 1000.0,
    );
    if let Some(ip) = r
        .endpoints
        .first()
        .and_then(|e| e.ip.parse::<std::net::IpAddr>().ok())
    {
        gauge(
            &mut reg,
            "probe_ip_protocol",
            "Specifies whether probe ip protocol is IP4 or IP6",
            if ip.is_ipv4() { 4.0 } else { 6.0 },
        );
    }
    gauge(
        &mut reg,
        "probe_tls_endpoints",
        "Addresses of the target that were probed",
        r.endpoints.len() as f64,
    );
    let up = family(
        &mut reg,
        "probe_tls_endpoint_up",
        "Whether this address connected and accepted a TLS version",
    );
    for e in &r.endpoints {
        let ok = e.tcp.outcome == TcpOutcome::Connected && e.highest_version.is_some();
        up.get_or_create(&labels(&[("ip", &e.ip)]))
            .set(if ok { 1.0 } else { 0.0 });
    }

    // Versions: the lowest negotiated among the endpoints; supported = on every endpoint.
    let negotiated = r
        .endpoints
        .iter()
        .filter_map(|e| {
            e.negotiated
                .as_ref()
                .and_then(|n| n.version)
                .or(e.highest_version)
        })
        .min();
    let version_info = family(
        &mut reg,
        "probe_tls_version_info",
        "The TLS version a client offering every version negotiates (the lowest among the addresses)",
    );
    if let Some(v) = negotiated {
        version_info
            .get_or_create(&labels(&[("version", version_label(v))]))
            .set(1.0);
    }
    let mut supported: BTreeMap<ProtocolVersion, bool> = BTreeMap::new();
    let mut ciphers: BTreeSet<(ProtocolVersion, String)> = BTreeSet::new();
    for e in r
        .endpoints
        .iter()
        .filter(|e| e.tcp.outcome == TcpOutcome::Connected)
    {
        for p in &e.protocols {
            let all = supported.entry(p.version).or_insert(true);
            *all = *all && p.supported;
            if let (true, Some(c)) = (p.supported, &p.cipher) {
                ciphers.insert((p.version, c.clone()));
            }
        }
    }
    let version_supported = family(
        &mut reg,
        "probe_tls_version_supported",
        "Whether every address accepts this protocol version (1) or not (0)",
    );
    for (v, ok) in &supported {
        version_supported
            .get_or_create(&labels(&[("version", version_label(*v))]))
            .set(if *ok { 1.0 } else { 0.0 });
    }
    let cipher_info = family(
        &mut reg,
        "probe_tls_cipher_info",
        "The cipher suite the server chose at each accepted version (IANA name)",
    );
    for (v, c) in &ciphers {
        cipher_info
            .get_or_create(&labels(&[("version", version_label(*v)), ("cipher", c)]))
            .set(1.0);
    }
    if let Some(p) = downgrade_protected(r) {
        gauge(
            &mut reg,
            "probe_tls_downgrade_protected",
            "Whether every address refuses a TLS_FALLBACK_SCSV downgrade or accepts one version only (1) or not (0)",
            if p { 1.0 } else { 0.0 },
        );
    }

    // Certificates.
    let certs: Vec<&CertificateReport> = r
        .endpoints
        .iter()
        .filter_map(|e| e.certificate.as_ref())
        .collect();
    if let Some(earliest) = certs.iter().filter_map(|c| chain_expiry(c)).min() {
        gauge(
            &mut reg,
            "probe_ssl_earliest_cert_expiry",
            "Returns earliest SSL cert expiry in unixtime",
            earliest as f64,
        );
    }
    if let Some(last) = certs
        .iter()
        .filter(|c| c.trusted == Some(true))
        .filter_map(|c| chain_expiry(c))
        .min()
    {
        gauge(
            &mut reg,
            "probe_ssl_last_chain_expiry_timestamp_seconds",
            "Returns last SSL chain expiry in timestamp (verified chains only)",
            last as f64,
        );
    }
    let chain_info = family(
        &mut reg,
        "probe_ssl_last_chain_info",
        "Contains SSL leaf certificate information",
    );
    let trusted = family(
        &mut reg,
        "probe_tls_cert_trusted",
        "Whether the chain verifies against the trust store (1) or not (0)",
    );
    let intercepted = family(
        &mut reg,
        "probe_tls_intercepted",
        "Whether a TLS-inspecting middlebox re-signed the chain (1) or not (0)",
    );
    for (e, c) in r
        .endpoints
        .iter()
        .filter_map(|e| e.certificate.as_ref().map(|c| (e, c)))
    {
        if let Some(leaf) = c.chain.first() {
            chain_info
                .get_or_create(&labels(&[
                    ("fingerprint_sha256", &leaf.sha256),
                    ("subject", &leaf.subject),
                    ("issuer", &leaf.issuer),
                    ("subjectalternative", &leaf.sans.join(",")),
                    ("serialnumber", &leaf.serial),
                ]))
                .set(1.0);
        }
        if let Some(t) = c.trusted {
            trusted
                .get_or_create(&labels(&[("ip", &e.ip)]))
                .set(if t { 1.0 } else { 0.0 });
        }
        if let Some(i) = c.intercepted {
            intercepted
                .get_or_create(&labels(&[("ip", &e.ip)]))
                .set(if i { 1.0 } else { 0.0 });
        }
    }

    // Per-phase durations: the slowest address.
    let phases = family(
        &mut reg,
        "probe_tls_phase_duration_seconds",
        "Duration of each phase (resolve, connect, server_hello, handshake), slowest address",
    );
    let mut slowest: BTreeMap<&str, f64> = BTreeMap::new();
    slowest.insert("resolve", r.dns.duration_ms);
    for e in &r.endpoints {
        for (phase, ms) in [
            ("connect", e.timing.connect_ms),
            ("server_hello", e.timing.server_hello_ms),
            ("handshake", e.timing.tls_handshake_ms),
        ] {
            if let Some(ms) = ms {
                let s = slowest.entry(phase).or_insert(0.0);
                *s = s.max(ms);
            }
        }
    }
    for (phase, ms) in slowest {
        phases
            .get_or_create(&labels(&[("phase", phase)]))
            .set(ms / 1000.0);
    }

    // Diagnosis.
    gauge(
        &mut reg,
        "probe_tls_status",
        "Worst finding severity: 0 ok, 1 warning, 2 critical, 3 unknown (the probe could not finish)",
        match r.status {
            Status::Ok => 0.0,
            Status::Warning => 1.0,
            Status::Critical => 2.0,
            Status::Unknown => 3.0,
        },
    );
    let findings = family(
        &mut reg,
        "probe_tls_finding",
        "A finding of the diagnosis (see `tlsprobe explain ID`)",
    );
    for f in &r.findings {
        findings
            .get_or_create(&labels(&[
                ("id", &f.id),
                ("severity", severity(f.severity)),
            ]))
            .set(1.0);
    }
    if let Some(az) = &r.azure_backup {
        let readiness = family(
            &mut reg,
            "probe_azure_backup_readiness",
            "Azure Backup readiness of this catalogue endpoint: 0 ready, 1 at_risk, 2 blocked",
        );
        readiness
            .get_or_create(&labels(&[
                ("purpose", &az.catalogue.purpose),
                ("cloud", &az.catalogue.cloud),
                ("readiness", az.readiness.as_str()),
            ]))
            .set(match az.readiness {
                crate::model::Readiness::Ready => 0.0,
                crate::model::Readiness::AtRisk => 1.0,
                crate::model::Readiness::Blocked => 2.0,
            });
    }
    reg
}

fn severity(s: crate::model::Severity) -> &'static str {
    match s {
        crate::model::Severity::Info => "info",
        crate::model::Severity::Warning => "warning",
        crate::model::Severity::Critical => "critical",
    }
}

/// OpenMetrics text for one probed target (ends with `# EOF`).
pub fn encode_target(r: &TargetReport) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = encode(&mut out, &registry(r));
    out
}
