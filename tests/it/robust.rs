//! Regression tests for issue 11: `check` on servers that break other probes — hello
//! intolerance, addresses that disagree, downgrade protection, services that speak first, and
//! no silent failure (panics, overflowing flags, the per-host socket cap).
//!
//! Every server is real and started here on loopback: openssl s_server behind programmable
//! fronts (`harness::relay`), greeting servers, and a test DNS responder for names with many
//! addresses.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::dnsd::{Dnsd, Mode};
use crate::harness::hostile::alert;
use crate::harness::relay::{Action, Front, Stats};
use crate::harness::{TempDir, run_tlsprobe, run_tlsprobe_with};

/// Runs `tlsprobe check ARGS --format json`; returns (exit code, document).
fn check_json(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run_tlsprobe(&all);
    let doc: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {out}\nstderr: {err}"));
    (code, doc)
}

/// Runs `tlsprobe check ARGS --format human`; returns (exit code, text).
#[allow(dead_code)] // used by the later sections
fn check_human(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "--format", "human"];
    all.extend_from_slice(args);
    let (code, out, err) = run_tlsprobe(&all);
    (code, format!("{out}{err}"))
}

#[allow(dead_code)] // used by the later sections
fn finding_ids(t: &Value) -> Vec<String> {
    t["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[allow(dead_code)] // used by the later sections
fn finding<'a>(t: &'a Value, id: &str) -> &'a Value {
    t["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["id"] == id))
        .unwrap_or_else(|| panic!("no finding {id}: {t:#}"))
}

fn validate(doc: &Value) {
    let dir = TempDir::new("robust-schema").expect("tmp");
    crate::schema::validate(&doc.to_string(), &dir);
}

// ---------------------------------------------------------------------------------------------
// 5. No silent failure

#[test]
fn overflowing_durations_are_rejected_not_panics() {
    for (flag, value) in [
        ("--timeout", "500000000000y"),
        ("--timeout", "18446744073709551616s"),
        ("--timeout", "86401"),
        ("--timeout", "24h 1s"),
        ("--deadline", "500000000000y"),
        ("--deadline", "1e300"),
        ("--deadline", "99999999999999999999ms"),
    ] {
        let out = run_tlsprobe_with(
            &["check", "127.0.0.1:1", flag, value, "--format", "json"],
            &[],
            Duration::from_secs(20),
        )
        .expect("run");
        assert_eq!(out.code, Some(3), "{flag} {value}: {}", out.stderr);
        assert!(
            out.stdout.is_empty(),
            "{flag} {value}: no report: {}",
            out.stdout
        );
        assert!(
            out.stderr.contains(flag) && out.stderr.contains(value),
            "{flag} {value}: the message names the flag and value: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
    // The limit itself is accepted (port 1 refuses at once, so the run is quick).
    let out = run_tlsprobe_with(
        &[
            "check",
            "127.0.0.1:1",
            "--timeout",
            "24h",
            "--deadline",
            "86400s",
            "--format",
            "json",
        ],
        &[],
        Duration::from_secs(20),
    )
    .expect("run");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        doc["targets"][0]["endpoints"][0]["tcp"]["outcome"],
        "refused"
    );
    // Counts out of range.
    for (flag, value) in [
        ("--max-conns-per-host", "0"),
        ("--max-conns-per-host", "100000"),
        ("--repeat", "0"),
        ("--repeat", "1000"),
        ("--repeat", "99999999999999999999"),
    ] {
        let (code, _, err) = run_tlsprobe(&["check", "127.0.0.1:1", flag, value]);
        assert_eq!(code, Some(3), "{flag} {value}: {err}");
        assert!(err.contains(flag), "{err}");
    }
}

/// A name with twenty addresses, each a front that holds every connection a moment and then
/// answers handshake_failure: the most sockets open at once across all of them is the cap.
#[test]
fn twenty_addresses_share_the_per_host_cap() {
    let stats = Arc::new(Stats::default());
    let policy: crate::harness::relay::Policy =
        Arc::new(|_, _, _| Action::Answer(alert(0x0303, 40)));
    let ips: Vec<IpAddr> = (10..30u8).map(|i| IpAddr::from([127, 0, 0, i])).collect();
    let first = Front::start_with(
        ips[0],
        0,
        policy.clone(),
        Some(Duration::from_millis(40)),
        stats.clone(),
    )
    .expect("front");
    let port = first.addr().port();
    let mut fronts = vec![first];
    for ip in &ips[1..] {
        fronts.push(
            Front::start_with(
                *ip,
                port,
                policy.clone(),
                Some(Duration::from_millis(40)),
                stats.clone(),
            )
            .expect("front on the same port of another loopback address"),
        );
    }
    let names: Vec<(&str, IpAddr)> = ips.iter().map(|ip| ("many.tlsprobe.test", *ip)).collect();
    let dns = Dnsd::start(&names, Mode::NxDomain);
    let target = format!("many.tlsprobe.test:{port}");
    let dns_arg = dns.arg();
    for (cap, limit) in [(Some("4"), 4usize), (None, 16)] {
        stats.max_open.store(0, std::sync::atomic::Ordering::SeqCst);
        let mut args = vec![target.as_str(), "--dns-server", &dns_arg, "--timeout", "5s"];
        if let Some(c) = cap {
            args.extend(["--max-conns-per-host", c]);
        }
        let (code, doc) = check_json(&args);
        validate(&doc);
        let t = &doc["targets"][0];
        assert_eq!(code, Some(2), "{t:#}");
        assert_eq!(t["endpoints"].as_array().map(Vec::len), Some(20), "{t:#}");
        for ep in t["endpoints"].as_array().expect("endpoints") {
            assert_eq!(ep["protocols"][4]["outcome"], "alert", "{ep:#}");
        }
        let max = stats.max_open.load(std::sync::atomic::Ordering::SeqCst);
        assert!(max <= limit, "{max} sockets open at once; cap {limit}");
        assert!(max >= 2, "probes still run in parallel ({max})");
    }
}
