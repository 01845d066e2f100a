//! Assertions on a `tlsprobe/v1` JSON document, shared by every test module that runs the binary
//! (`check`, `findings`, `hostile_check`, `certs_check`, `proxy`, ...): defined once here so the
//! same scenario reads the same way everywhere.
//!
//! It does not start servers or run `tlsprobe` (the other harness modules do).

use serde_json::Value;

/// Every probed version, in report order.
pub const V_ALL: [&str; 6] = ["SSL2.0", "SSL3.0", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"];

/// The first endpoint of the first target.
pub fn endpoint(doc: &Value) -> &Value {
    &doc["targets"][0]["endpoints"][0]
}

/// `version -> outcome` for an endpoint, in report order.
pub fn outcomes(ep: &Value) -> Vec<(String, String)> {
    ep["protocols"]
        .as_array()
        .expect("protocols")
        .iter()
        .map(|p| {
            (
                p["version"].as_str().unwrap_or("?").to_string(),
                p["outcome"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

/// The protocol entry for `version`.
pub fn proto<'a>(ep: &'a Value, version: &str) -> &'a Value {
    ep["protocols"]
        .as_array()
        .expect("protocols")
        .iter()
        .find(|p| p["version"] == version)
        .unwrap_or_else(|| panic!("no {version} in {ep}"))
}

/// One outcome per version of [`V_ALL`], as `(version, outcome)` pairs.
pub fn per_version(outcomes: [&'static str; 6]) -> Vec<(&'static str, &'static str)> {
    V_ALL.iter().copied().zip(outcomes).collect()
}

/// Asserts the exact `(version, outcome)` list, in report order, and `supported` iff accepted.
pub fn assert_outcomes(ep: &Value, want: &[(&str, &str)]) {
    let got = outcomes(ep);
    let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(got, want, "per-version outcomes; endpoint: {ep:#}");
    for p in ep["protocols"].as_array().expect("protocols") {
        assert_eq!(
            p["supported"].as_bool(),
            Some(p["outcome"] == "accepted"),
            "supported iff accepted: {p}"
        );
    }
}

/// [`assert_outcomes`] for all six versions of [`V_ALL`].
pub fn assert_all_outcomes(ep: &Value, want: [&'static str; 6]) {
    assert_outcomes(ep, &per_version(want));
}

/// `(id, severity)` of every finding of the first target, in report order.
pub fn finding_ids(doc: &Value) -> Vec<(String, String)> {
    doc["targets"][0]["findings"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    (
                        f["id"].as_str().unwrap_or("?").to_string(),
                        f["severity"].as_str().unwrap_or("?").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The finding `id` of the first target; panics with the finding list when it is missing.
pub fn finding<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["targets"][0]["findings"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id:?}; findings: {:?}", finding_ids(doc)))
}

/// Asserts that finding `id` is present with `severity` and carries a summary, causes,
/// remediation and references; returns it.
pub fn assert_finding<'a>(doc: &'a Value, id: &str, severity: &str) -> &'a Value {
    let f = finding(doc, id);
    assert_eq!(f["severity"], severity, "severity of {id}: {f:#}");
    assert!(
        f["summary"].as_str().is_some_and(|s| !s.is_empty()),
        "{id} has no summary: {f:#}"
    );
    for list in ["causes", "remediation", "references"] {
        assert!(
            f[list].as_array().is_some_and(|l| !l.is_empty()),
            "{id} has no {list}: {f:#}"
        );
    }
    f
}
