//! Rules for servers that break naive probes (issue 11): plaintext services on a TLS port,
//! hello intolerance, missing downgrade protection, and addresses or backends of one name that
//! answer differently. The words come from `data/findings.toml` and `data/plaintext.toml`.
//!
//! Like the rest of [`super`], this reads a [`TargetReport`] and returns findings; no I/O.

use std::sync::LazyLock;

use serde::Deserialize;

use super::engine::{ids, make};
use crate::model::{EndpointReport, Finding, TargetReport};

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

/// The per-endpoint rules of this module (called once per connected endpoint).
pub fn endpoint_rules(ep: &EndpointReport, out: &mut Vec<Finding>) {
    downgrade_rule(ep, out);
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
