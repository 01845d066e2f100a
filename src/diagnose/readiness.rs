//! Readiness of one catalogue endpoint (`ready` / `at_risk` / `blocked`) from its findings and
//! two hard requirements, following the rules of `data/readiness.toml`.
//!
//! This module only judges an already diagnosed [`TargetReport`]; it does not probe and does
//! not format.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::{Readiness, Severity, TargetReport};

const READINESS_TOML: &str = include_str!("../../data/readiness.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    severity: BySeverity,
    #[serde(default, rename = "rule")]
    rules: Vec<Rule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BySeverity {
    critical: Readiness,
    warning: Readiness,
    info: Readiness,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    finding: String,
    #[serde(default)]
    when: Option<Condition>,
    readiness: Readiness,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Condition {
    ChainTrusted,
    ChainUntrusted,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    // Embedded and parsed by a unit test; the fallback only keeps a bad edit from panicking.
    toml::from_str(READINESS_TOML).unwrap_or(Rules {
        severity: BySeverity {
            critical: Readiness::Blocked,
            warning: Readiness::AtRisk,
            info: Readiness::Ready,
        },
        rules: Vec::new(),
    })
});

/// The verdict on one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Ready, at risk or blocked.
    pub readiness: Readiness,
    /// Why, in words.
    pub reason: String,
    /// The finding that decided, when one did.
    pub finding: Option<String>,
}

fn chain_trusted(report: &TargetReport) -> bool {
    !report.endpoints.is_empty()
        && report.endpoints.iter().all(|e| {
            e.certificate
                .as_ref()
                .is_some_and(|c| c.trusted == Some(true))
        })
}

/// Judges a diagnosed target (see the module docs and `data/readiness.toml`).
pub fn judge(report: &TargetReport) -> Verdict {
    let rules = &*RULES;
    let trusted = chain_trusted(report);
    let mut best: Option<Verdict> = None;
    for f in &report.findings {
        let rule = rules.rules.iter().find(|r| {
            r.finding == f.id
                && match r.when {
                    None => true,
                    Some(Condition::ChainTrusted) => trusted,
                    Some(Condition::ChainUntrusted) => !trusted,
                }
        });
        let (readiness, reason) = match rule {
            Some(r) => (
                r.readiness,
                r.reason
                    .as_ref()
                    .map_or_else(|| f.summary.clone(), |why| format!("{why}: {}", f.summary)),
            ),
            None => (
                match f.severity {
                    Severity::Critical => rules.severity.critical,
                    Severity::Warning => rules.severity.warning,
                    Severity::Info => rules.severity.info,
                },
                f.summary.clone(),
            ),
        };
        if readiness > Readiness::Ready && best.as_ref().is_none_or(|b| readiness > b.readiness) {
            best = Some(Verdict {
                readiness,
                reason,
                finding: Some(f.id.clone()),
            });
        }
    }
    if best
        .as_ref()
        .is_some_and(|b| b.readiness == Readiness::Blocked)
    {
        return best.unwrap_or_else(|| ready_verdict(report));
    }
    // A client simulation sends the client's own hello and checks no certificate: its
    // client-* findings decide (a client that still gets only TLS 1.0/1.1 works today: at risk).
    let simulated = report
        .endpoints
        .iter()
        .any(|e| e.simulation.is_some() || !e.simulations.is_empty());
    if simulated {
        return best.unwrap_or_else(|| ready_verdict(report));
    }
    // The hard requirements, whatever the findings said.
    let tls12 = report.endpoints.iter().any(|e| {
        e.highest_version
            .is_some_and(|v| v >= crate::model::ProtocolVersion::Tls12)
    });
    if !tls12 {
        return Verdict {
            readiness: Readiness::Blocked,
            reason: if report.endpoints.is_empty() {
                "no address to probe".into()
            } else {
                "no address negotiated TLS 1.2 or later".into()
            },
            finding: None,
        };
    }
    if !trusted {
        return Verdict {
            readiness: Readiness::Blocked,
            reason: "the certificate chain did not verify against the trust store".into(),
            finding: None,
        };
    }
    best.unwrap_or_else(|| ready_verdict(report))
}

fn ready_verdict(report: &TargetReport) -> Verdict {
    if let Some(sim) = report.endpoints.iter().find_map(|e| e.simulation.as_ref()) {
        return Verdict {
            readiness: Readiness::Ready,
            reason: format!(
                "{} negotiates {} {}",
                sim.client,
                sim.version
                    .map_or_else(|| "?".to_string(), |v| v.to_string()),
                sim.cipher.as_deref().unwrap_or("?")
            ),
            finding: None,
        };
    }
    let version = report
        .endpoints
        .iter()
        .filter_map(|e| e.highest_version)
        .max()
        .map_or_else(|| "TLS".to_string(), |v| v.to_string());
    Verdict {
        readiness: Readiness::Ready,
        reason: format!("{version} negotiates; the chain is trusted and not intercepted"),
        finding: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_name_known_findings() {
        let rules: Rules = toml::from_str(READINESS_TOML).expect("data/readiness.toml");
        assert_eq!(rules.severity.critical, Readiness::Blocked);
        let kb = crate::diagnose::kb();
        for r in &rules.rules {
            assert!(
                kb.finding(&r.finding).is_some(),
                "unknown finding {}",
                r.finding
            );
        }
    }
}
