//! Rules for servers that break naive probes (issue 11): plaintext services on a TLS port,
//! hello intolerance, missing downgrade protection, and addresses or backends of one name that
//! answer differently. The words come from `data/findings.toml` and `data/plaintext.toml`.
//!
//! Like the rest of [`super`], this reads a [`TargetReport`] and returns findings; no I/O.

use std::sync::LazyLock;

use serde::Deserialize;

use super::engine::{ids, make};
use crate::model::{EndpointReport, Finding, Sample, TargetReport};

const PLAINTEXT_TOML: &str = include_str!("../../data/plaintext.toml");

/// One plaintext protocol of `data/plaintext.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaintextProtocol {
    /// As reported in `plaintext.protocol`.
    pub name: String,
    /// Ports of the same service with TLS from the first byte.
    pub tls_ports: Vec<u16>,
    /// How a client upgrades the plaintext port to TLS (empty: it cannot).
    pub upgrade: String,
    /// The sentence quoted in the finding's summary.
    pub advice: String,
    /// The defining standard.
    pub reference: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaintextFile {
    protocol: Vec<PlaintextProtocol>,
}

/// Parses `data/plaintext.toml`.
pub fn parse_plaintext() -> Result<Vec<PlaintextProtocol>, super::kb::KbError> {
    toml::from_str::<PlaintextFile>(PLAINTEXT_TOML)
        .map(|f| f.protocol)
        .map_err(|source| super::kb::KbError {
            file: "plaintext.toml",
            source,
        })
}

// The file is compiled in and parsed by the tests; a broken edit degrades to generic advice.
static PLAINTEXT: LazyLock<Vec<PlaintextProtocol>> =
    LazyLock::new(|| parse_plaintext().unwrap_or_default());

/// The knowledge about one plaintext protocol, by name.
pub fn plaintext_protocol(name: &str) -> Option<&'static PlaintextProtocol> {
    PLAINTEXT.iter().find(|p| p.name.eq_ignore_ascii_case(name))
}

/// `plaintext-protocol`: the endpoint greeted in clear text. Returns whether it fired (the
/// generic `not-tls` is then left out).
pub fn plaintext_rule(
    report: &TargetReport,
    ep: &EndpointReport,
    evidence: Vec<String>,
    out: &mut Vec<Finding>,
) -> bool {
    let Some(svc) = &ep.plaintext else {
        return false;
    };
    let known = plaintext_protocol(&svc.protocol);
    let advice = known.map_or_else(
        || "TLS is on another port or needs an upgrade command first".to_string(),
        |p| p.advice.clone(),
    );
    let mut ev = vec![format!("{} greeting: \"{}\"", svc.protocol, svc.first_line)];
    ev.extend(evidence);
    let Some(mut f) = make(
        ids::PLAINTEXT_PROTOCOL,
        &[
            ("port", report.target.port.to_string()),
            ("protocol", svc.protocol.clone()),
            ("line", svc.first_line.clone()),
            ("advice", advice),
        ],
        ev,
        false,
    ) else {
        return false;
    };
    if let Some(p) = known {
        if !p.upgrade.is_empty() {
            f.remediation
                .insert(0, format!("{}: use {}.", p.name, p.upgrade));
        }
        if !f.references.contains(&p.reference) {
            f.references.insert(0, p.reference.clone());
        }
    }
    out.push(f);
    true
}

/// The target-level rules of this module: addresses, or backends behind one address, that
/// answer differently (`addresses-inconsistent`).
pub fn target_rules(report: &TargetReport, out: &mut Vec<Finding>) {
    let connected: Vec<&EndpointReport> = report
        .endpoints
        .iter()
        .filter(|e| e.tcp.outcome == crate::model::TcpOutcome::Connected)
        .collect();
    // Across addresses (the first round of each).
    if connected.len() >= 2 {
        let seen: Vec<(String, Sample)> = connected
            .iter()
            .map(|e| (e.ip.clone(), Sample::of(e)))
            .collect();
        if let Some(what) = differences(&seen) {
            let ips: Vec<String> = seen.iter().map(|(ip, _)| ip.clone()).collect();
            push_inconsistent(
                format!(
                    "The addresses of {} ({})",
                    report.target.host,
                    ips.join(", ")
                ),
                what,
                &seen,
                ips,
                out,
            );
        }
    }
    // Across rounds on one address (--repeat).
    for e in &connected {
        if e.samples.len() < 2 {
            continue;
        }
        let seen: Vec<(String, Sample)> = e
            .samples
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{} round {}", e.ip, i + 1), s.clone()))
            .collect();
        if let Some(what) = differences(&seen) {
            push_inconsistent(
                format!(
                    "The backends behind {} ({} rounds with --repeat)",
                    e.ip,
                    e.samples.len()
                ),
                what,
                &seen,
                vec![e.ip.clone()],
                out,
            );
        }
    }
}

fn push_inconsistent(
    subject: String,
    what: String,
    seen: &[(String, Sample)],
    endpoints: Vec<String>,
    out: &mut Vec<Finding>,
) {
    let evidence = seen
        .iter()
        .map(|(who, s)| format!("{who}: {}", describe(s)))
        .collect();
    if let Some(mut f) = make(
        ids::ADDRESSES_INCONSISTENT,
        &[("subject", subject), ("what", what)],
        evidence,
        false,
    ) {
        f.endpoints = endpoints;
        out.push(f);
    }
}

fn versions(s: &Sample) -> String {
    if s.accepted.is_empty() {
        return "none".into();
    }
    s.accepted
        .iter()
        .map(|v| v.name())
        .collect::<Vec<_>>()
        .join(",")
}

fn short_hash(h: &Option<String>) -> String {
    h.as_deref().map_or_else(
        || "none".to_string(),
        |h| h.get(..16).unwrap_or(h).to_string(),
    )
}

fn describe(s: &Sample) -> String {
    format!(
        "accepts {}; highest {}; cipher {}; leaf sha256 {}",
        versions(s),
        s.highest_version.map_or("none", |v| v.name()),
        s.cipher.as_deref().unwrap_or("none"),
        short_hash(&s.leaf_sha256)
    )
}

/// What differs among the samples, with every value per source; `None` when they agree.
fn differences(seen: &[(String, Sample)]) -> Option<String> {
    type Field = (&'static str, fn(&Sample) -> String);
    let fields: [Field; 4] = [
        ("accepted versions", versions),
        ("highest version", |s| {
            s.highest_version.map_or("none", |v| v.name()).to_string()
        }),
        ("negotiated cipher", |s| {
            s.cipher.clone().unwrap_or_else(|| "none".into())
        }),
        ("certificate (leaf SHA-256)", |s| short_hash(&s.leaf_sha256)),
    ];
    let parts: Vec<String> = fields
        .iter()
        .filter_map(|(name, get)| {
            let values: Vec<String> = seen.iter().map(|(_, s)| get(s)).collect();
            if values.windows(2).all(|w| w[0] == w[1]) {
                return None;
            }
            let per: Vec<String> = seen
                .iter()
                .zip(&values)
                .map(|((who, _), v)| format!("{who}: {v}"))
                .collect();
            Some(format!("{name} ({})", per.join("; ")))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The per-endpoint rules of this module (called once per connected endpoint).
pub fn endpoint_rules(ep: &EndpointReport, out: &mut Vec<Finding>) {
    intolerance_rule(ep, out);
    downgrade_rule(ep, out);
}

/// `hello-intolerance`: a version accepted only with a smaller hello than the full-size one.
fn intolerance_rule(ep: &EndpointReport, out: &mut Vec<Finding>) {
    let shrunk: Vec<_> = ep
        .protocols
        .iter()
        .filter(|p| p.supported)
        .filter_map(|p| p.hello.as_ref().map(|h| (p.version, h)))
        .collect();
    if shrunk.is_empty() {
        return;
    }
    let versions: Vec<&str> = shrunk.iter().map(|(v, _)| v.name()).collect();
    let what: Vec<String> = shrunk
        .iter()
        .map(|(v, h)| {
            let worked = match h.via {
                "negotiation" => format!(
                    "only the negotiation hello ({} suites, {} bytes) got through",
                    h.suites, h.bytes
                ),
                _ => format!("{} suites ({} bytes) were accepted", h.suites, h.bytes),
            };
            format!(
                "{}: a {}-suite, {}-byte hello got {}, {worked}",
                v.name(),
                h.refused.suites,
                h.refused.bytes,
                h.refused.outcome.as_str()
            )
        })
        .collect();
    let outcome = shrunk
        .first()
        .map_or("reset", |(_, h)| h.refused.outcome.as_str());
    let symptom = super::kb::kb()
        .symptoms
        .get(outcome)
        .cloned()
        .unwrap_or_else(|| "a failed handshake".into());
    let evidence = shrunk
        .iter()
        .filter_map(|(v, _)| {
            let p = ep.protocols.iter().find(|p| p.version == *v)?;
            Some(format!(
                "{}: {}",
                v.name(),
                p.detail.as_deref().unwrap_or("accepted")
            ))
        })
        .collect();
    if let Some(f) = make(
        ids::HELLO_INTOLERANCE,
        &[
            ("versions", versions.join(", ")),
            ("what", what.join("; ")),
            ("symptom", symptom),
        ],
        evidence,
        false,
    ) {
        out.push(f);
    }
}

/// `downgrade-unprotected`: the server accepted a lower-version retry carrying
/// TLS_FALLBACK_SCSV.
fn downgrade_rule(ep: &EndpointReport, out: &mut Vec<Finding>) {
    let Some(d) = ep
        .downgrade
        .as_ref()
        .filter(|d| d.fallback_scsv == Some(false))
    else {
        return;
    };
    let offered = d
        .offered
        .map_or("a lower version", |v| v.name())
        .to_string();
    let highest = ep
        .highest_version
        .map_or("a higher version", |v| v.name())
        .to_string();
    let mut ev = vec![format!(
        "fallback hello: {}",
        d.detail.as_deref().unwrap_or("accepted")
    )];
    ev.push(format!("highest version accepted: {highest}"));
    let note = if d.tls13_sentinel {
        " (its ServerHello carries the RFC 8446 downgrade sentinel, so TLS 1.3 clients that check it stay protected; older clients do not)".to_string()
    } else {
        String::new()
    };
    if let Some(f) = make(
        ids::DOWNGRADE_UNPROTECTED,
        &[("offered", offered), ("highest", highest), ("note", note)],
        ev,
        false,
    ) {
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_table_parses_and_covers_the_sniffer() {
        let all = parse_plaintext().expect("data/plaintext.toml parses");
        for name in ["SMTP", "FTP", "POP3", "IMAP", "SSH"] {
            let p = all.iter().find(|p| p.name == name).expect(name);
            assert!(p.reference.starts_with("https://"), "{name}");
            assert!(!p.advice.is_empty(), "{name}");
        }
    }
}
