//! What `watch` compares between two results of one target, and which differences are
//! degradations. Works on the JSON form of a target (what the history holds), so a result read
//! back after a restart compares exactly like one from this run. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::diagnose::{SuiteSecurity, suite_security};
use crate::model::{ChangeItem, ProtocolVersion};

/// The facts of one result that `watch` tracks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Every address connected and accepted some TLS version.
    pub reachable: bool,
    /// Lowest `highest_version` among the addresses.
    pub highest_version: Option<String>,
    /// Versions accepted by at least one address.
    pub accepted: BTreeSet<String>,
    /// Negotiated suite of the first address that negotiated one.
    pub cipher: Option<String>,
    /// SHA-256 fingerprints of the leaf certificates.
    pub fingerprints: BTreeSet<String>,
    /// Fewest days left on a leaf.
    pub days_left: Option<i64>,
    /// Some address's chain was re-signed by a middlebox.
    pub intercepted: bool,
    /// Finding id → severity.
    pub findings: BTreeMap<String, String>,
    /// `ok`, `warning`, `critical`.
    pub status: String,
    /// Azure Backup readiness (`ready`, `at_risk`, `blocked`), for catalogue watches.
    pub readiness: Option<String>,
}

fn version_rank(v: &str) -> Option<ProtocolVersion> {
    ProtocolVersion::parse(v)
}

impl Snapshot {
    /// Reads the tracked facts from a target object (`tlsprobe/v1`).
    pub fn from_json(t: &Value) -> Snapshot {
        let endpoints = t
            .get("endpoints")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let str_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let mut s = Snapshot {
            reachable: !endpoints.is_empty(),
            status: str_of(t, "status").unwrap_or_else(|| "ok".into()),
            ..Snapshot::default()
        };
        let mut highest: Option<(ProtocolVersion, String)> = None;
        for e in &endpoints {
            let connected = e.pointer("/tcp/outcome").and_then(Value::as_str) == Some("connected");
            let hv = str_of(e, "highest_version");
            if !connected || hv.is_none() {
                s.reachable = false;
            }
            if let Some(h) = hv
                && let Some(rank) = version_rank(&h)
                && highest.as_ref().is_none_or(|(r, _)| rank < *r)
            {
                highest = Some((rank, h));
            }
            for p in e
                .get("protocols")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if p.get("supported").and_then(Value::as_bool) == Some(true)
                    && let Some(v) = str_of(p, "version")
                {
                    s.accepted.insert(v);
                }
            }
            if s.cipher.is_none() {
                s.cipher = e
                    .pointer("/negotiated/cipher")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            if let Some(c) = e.get("certificate").filter(|c| c.is_object()) {
                if let Some(fp) = c.pointer("/chain/0/sha256").and_then(Value::as_str) {
                    s.fingerprints.insert(fp.to_string());
                }
                if let Some(d) = c.get("days_left").and_then(Value::as_i64) {
                    s.days_left = Some(s.days_left.map_or(d, |m| m.min(d)));
                }
                if c.get("intercepted").and_then(Value::as_bool) == Some(true) {
                    s.intercepted = true;
                }
            }
        }
        s.highest_version = highest.map(|(_, h)| h);
        s.readiness = str_of(t, "readiness");
        for f in t
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(id), Some(sev)) = (str_of(f, "id"), str_of(f, "severity")) {
                s.findings.insert(id, sev);
            }
        }
        s
    }
}

fn opt(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| json!(s))
}

fn item(what: &'static str, from: Value, to: Value, degraded: bool, summary: String) -> ChangeItem {
    ChangeItem {
        what,
        from,
        to,
        degraded,
        summary,
    }
}

fn security_rank(s: SuiteSecurity) -> u8 {
    match s {
        SuiteSecurity::Acceptable => 0,
        SuiteSecurity::Weak => 1,
        SuiteSecurity::Insecure => 2,
    }
}

/// Every difference between `old` and `new` that `watch` reports, with degradations marked.
pub fn diff(old: &Snapshot, new: &Snapshot, warn_days: i64) -> Vec<ChangeItem> {
    let mut out = Vec::new();
    if old.reachable != new.reachable {
        out.push(item(
            "reachability",
            json!(old.reachable),
            json!(new.reachable),
            !new.reachable,
            if new.reachable {
                "reachable again: every address accepts TLS".into()
            } else {
                "no longer reachable: an address does not connect or accepts no TLS version".into()
            },
        ));
    }
    if let (Some(o), Some(n)) = (&old.readiness, &new.readiness)
        && o != n
    {
        let rank = |r: &str| match r {
            "ready" => 0,
            "at_risk" => 1,
            _ => 2,
        };
        out.push(item(
            "readiness",
            json!(o),
            json!(n),
            rank(n) > rank(o),
            format!("Azure Backup readiness {o} -> {n}"),
        ));
    }
    // Versions, suites and certificates only mean something when both results saw TLS.
    if old.reachable && new.reachable {
        if old.highest_version != new.highest_version {
            let lower = match (&old.highest_version, &new.highest_version) {
                (Some(o), Some(n)) => version_rank(n) < version_rank(o),
                (Some(_), None) => true,
                _ => false,
            };
            out.push(item(
                "highest_version",
                opt(&old.highest_version),
                opt(&new.highest_version),
                lower,
                format!(
                    "highest version {} -> {}",
                    old.highest_version.as_deref().unwrap_or("none"),
                    new.highest_version.as_deref().unwrap_or("none")
                ),
            ));
        }
        if old.accepted != new.accepted {
            let added: Vec<&String> = new.accepted.difference(&old.accepted).collect();
            let removed: Vec<&String> = old.accepted.difference(&new.accepted).collect();
            let modern = |v: &&String| version_rank(v).is_some_and(|r| r >= ProtocolVersion::Tls12);
            // Worse: a legacy version starts being accepted, or a modern one stops.
            let degraded = added.iter().any(|v| !modern(v)) || removed.iter().any(modern);
            let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
            let mut words = Vec::new();
            if !added.is_empty() {
                words.push(format!("now accepts {}", list(&added)));
            }
            if !removed.is_empty() {
                words.push(format!("no longer accepts {}", list(&removed)));
            }
            out.push(item(
                "accepted_versions",
                json!(old.accepted),
                json!(new.accepted),
                degraded,
                words.join("; "),
            ));
        }
        if old.cipher != new.cipher {
            let rank = |c: &Option<String>| c.as_deref().map(|c| security_rank(suite_security(c)));
            let degraded = match (rank(&old.cipher), rank(&new.cipher)) {
                (Some(o), Some(n)) => n > o,
                _ => false,
            };
            out.push(item(
                "cipher",
                opt(&old.cipher),
                opt(&new.cipher),
                degraded,
                format!(
                    "negotiated suite {} -> {}",
                    old.cipher.as_deref().unwrap_or("none"),
                    new.cipher.as_deref().unwrap_or("none")
                ),
            ));
        }
        if old.fingerprints != new.fingerprints && !new.fingerprints.is_empty() {
            out.push(item(
                "certificate",
                json!(old.fingerprints),
                json!(new.fingerprints),
                false,
                format!(
                    "certificate changed (sha256 {})",
                    new.fingerprints
                        .iter()
                        .map(|f| f.get(..16).unwrap_or(f))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if old.intercepted != new.intercepted {
            out.push(item(
                "interception",
                json!(old.intercepted),
                json!(new.intercepted),
                new.intercepted,
                if new.intercepted {
                    "a TLS-inspecting middlebox now re-signs the certificate chain".into()
                } else {
                    "the certificate chain is no longer re-signed by a middlebox".into()
                },
            ));
        }
        if let (Some(o), Some(n)) = (old.days_left, new.days_left) {
            let crossed_down = o >= warn_days && n < warn_days;
            let crossed_up = o < warn_days && n >= warn_days;
            if crossed_down || crossed_up {
                out.push(item(
                    "days_left",
                    json!(o),
                    json!(n),
                    crossed_down,
                    if crossed_down {
                        format!("certificate expires in {n} days (under --warn-days {warn_days})")
                    } else {
                        format!("certificate renewed: {n} days left")
                    },
                ));
            }
        }
    }
    for (id, sev) in &new.findings {
        if !old.findings.contains_key(id) {
            out.push(item(
                "finding_appeared",
                Value::Null,
                json!({"id": id, "severity": sev}),
                sev != "info",
                format!("new finding {id} ({sev})"),
            ));
        }
    }
    for (id, sev) in &old.findings {
        if !new.findings.contains_key(id) {
            out.push(item(
                "finding_resolved",
                json!({"id": id, "severity": sev}),
                Value::Null,
                false,
                format!("finding {id} ({sev}) resolved"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap() -> Snapshot {
        Snapshot {
            reachable: true,
            highest_version: Some("TLS1.3".into()),
            accepted: ["TLS1.1", "TLS1.2", "TLS1.3"]
                .into_iter()
                .map(String::from)
                .collect(),
            cipher: Some("TLS_AES_128_GCM_SHA256".into()),
            fingerprints: ["aa".to_string()].into_iter().collect(),
            days_left: Some(40),
            intercepted: false,
            findings: BTreeMap::new(),
            status: "ok".into(),
            readiness: Some("ready".into()),
        }
    }

    #[test]
    fn readiness_getting_worse_degrades() {
        let mut n = snap();
        n.readiness = Some("at_risk".into());
        let d = diff(&snap(), &n, 30);
        assert_eq!((d[0].what, d[0].degraded), ("readiness", true));
        assert!(!diff(&n, &snap(), 30)[0].degraded);
    }

    #[test]
    fn same_is_quiet() {
        assert!(diff(&snap(), &snap(), 30).is_empty());
    }

    #[test]
    fn dropping_legacy_is_no_degradation_but_dropping_tls12_is() {
        let mut n = snap();
        n.accepted.remove("TLS1.1");
        let d = diff(&snap(), &n, 30);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].what, "accepted_versions");
        assert!(!d[0].degraded);
        n.accepted.remove("TLS1.2");
        assert!(diff(&snap(), &n, 30)[0].degraded);
    }

    #[test]
    fn lower_highest_and_expiry_crossing_degrade() {
        let mut n = snap();
        n.highest_version = Some("TLS1.2".into());
        n.accepted.remove("TLS1.3");
        n.days_left = Some(29);
        let d = diff(&snap(), &n, 30);
        let whats: Vec<_> = d.iter().map(|c| (c.what, c.degraded)).collect();
        assert!(whats.contains(&("highest_version", true)));
        assert!(whats.contains(&("days_left", true)));
        // 29 -> 28 is no new crossing.
        let mut m = n.clone();
        m.days_left = Some(28);
        assert!(diff(&n, &m, 30).is_empty());
    }

    #[test]
    fn unreachable_reports_only_reachability_and_findings() {
        let n = Snapshot {
            findings: [("tcp-refused".to_string(), "critical".to_string())]
                .into_iter()
                .collect(),
            ..Snapshot::default()
        };
        let d = diff(&snap(), &n, 30);
        let whats: Vec<_> = d.iter().map(|c| c.what).collect();
        assert_eq!(whats, ["reachability", "finding_appeared"]);
        assert!(d.iter().all(|c| c.degraded));
    }
}
