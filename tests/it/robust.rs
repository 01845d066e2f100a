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
use crate::harness::report::proto;
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
fn check_human(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "--format", "human"];
    all.extend_from_slice(args);
    let (code, out, err) = run_tlsprobe(&all);
    (code, format!("{out}{err}"))
}

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

/// IDs of the warning and critical findings.
fn problem_ids(t: &Value) -> Vec<String> {
    t["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["severity"] != "info")
                .filter_map(|f| f["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

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

// ---------------------------------------------------------------------------------------------
// 4. Services that speak first

/// Each greeting server sends its banner on accept and then waits for a command, as real
/// mail, FTP and SSH servers do. A probe that waited for more bytes would sit until the
/// 60-second --timeout; the hard 30-second run limit turns that into a failure.
#[test]
fn greetings_are_recognised_on_the_first_line() {
    use crate::harness::relay::Greeter;
    let cases: [(&'static [u8], &str, &str, &str); 6] = [
        (
            b"220 mx.example.test ESMTP Postfix (Debian/GNU)\r\n",
            "SMTP",
            "an SMTP greeting",
            "220 mx.example.test ESMTP Postfix (Debian/GNU)",
        ),
        (
            b"220 srv.example.test service ready\r\n",
            "SMTP",
            "an SMTP greeting",
            "220 srv.example.test service ready",
        ),
        (
            b"220 (vsFTPd 3.0.3)\r\n",
            "FTP",
            "an FTP greeting",
            "220 (vsFTPd 3.0.3)",
        ),
        (
            b"+OK Dovecot ready.\r\n",
            "POP3",
            "a POP3 greeting",
            "+OK Dovecot ready.",
        ),
        (
            b"* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n",
            "IMAP",
            "an IMAP greeting",
            "* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.",
        ),
        (
            b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
            "SSH",
            "an SSH banner",
            "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
        ),
    ];
    for (banner, protocol, what, line) in cases {
        let g = Greeter::start(banner).expect("greeter");
        let target = g.addr().to_string();
        let out = run_tlsprobe_with(
            &["check", &target, "--format", "json", "--timeout", "60s"],
            &[],
            Duration::from_secs(30),
        )
        .expect("run");
        assert!(
            !out.timed_out,
            "{protocol}: the probe waited for the timeout"
        );
        assert_eq!(out.code, Some(2), "{protocol}: {}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).expect("json");
        validate(&doc);
        let t = &doc["targets"][0];
        let ep = &t["endpoints"][0];
        assert_eq!(ep["plaintext"]["protocol"], protocol, "{ep:#}");
        assert_eq!(ep["plaintext"]["first_line"], line, "{ep:#}");
        for p in ep["protocols"].as_array().expect("protocols") {
            assert_eq!(p["outcome"], "malformed", "{protocol}: {p}");
            let detail = p["detail"].as_str().unwrap_or_default();
            assert_eq!(
                detail,
                format!("the server answered with {what}: \"{line}\""),
                "{protocol}"
            );
        }
        assert_eq!(finding_ids(t), ["plaintext-protocol"], "{protocol}: {t:#}");
        let f = finding(t, "plaintext-protocol");
        assert_eq!(f["severity"], "critical");
        let summary = f["summary"].as_str().expect("summary");
        assert!(
            summary.contains(protocol) && summary.contains(line),
            "{summary}"
        );
        let port_hint = match protocol {
            "SMTP" => "465",
            "FTP" => "990",
            "POP3" => "995",
            "IMAP" => "993",
            _ => "not TLS",
        };
        assert!(summary.contains(port_hint), "{protocol}: {summary}");
        assert!(!f["causes"].as_array().expect("causes").is_empty());
        assert!(!f["remediation"].as_array().expect("fixes").is_empty());

        let (code, text) = check_human(&[&target, "--timeout", "60s"]);
        assert_eq!(code, Some(2));
        assert!(text.contains("[plaintext-protocol]"), "{text}");
        assert!(text.contains(&format!("{what}: \"{line}\"")), "{text}");
    }
}

/// Control characters in a greeting are escaped in the quote, not passed to the terminal.
#[test]
fn greeting_lines_are_escaped() {
    use crate::harness::relay::Greeter;
    let g = Greeter::start(b"220 evil\x1b[2J\x07 ESMTP\r\n").expect("greeter");
    let (_, doc) = check_json(&[&g.addr().to_string(), "--timeout", "60s"]);
    let ep = &doc["targets"][0]["endpoints"][0];
    assert_eq!(
        ep["plaintext"]["first_line"], "220 evil\\x1b[2J\\x07 ESMTP",
        "{ep:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Downgrade protection

/// A trusted openssl s_server (localhost PKI); returns the server and the `--ca-file` value.
fn openssl_with(
    f: impl FnOnce(crate::harness::openssl::OpensslBuilder) -> crate::harness::openssl::OpensslBuilder,
) -> (
    crate::harness::openssl::OpensslServer,
    crate::harness::certs::Pki,
) {
    let pki = crate::harness::certs::Pki::localhost().expect("pki");
    let s = f(crate::harness::openssl::OpensslServer::builder().pki(&pki))
        .start()
        .expect("s_server");
    (s, pki)
}

fn ca(pki: &crate::harness::certs::Pki) -> String {
    pki.ca_pem().to_string_lossy().into_owned()
}

#[test]
fn openssl_honours_fallback_scsv_and_a_stripping_front_does_not() {
    use crate::harness::relay::strip_fallback_scsv;
    let (s, pki) = openssl_with(|b| b);
    let ca = ca(&pki);
    // openssl itself: TLS 1.3 and 1.2; the TLS 1.2 retry with the SCSV is refused.
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    validate(&doc);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(0), "{t:#}");
    assert_eq!(ep["downgrade"]["fallback_scsv"], true, "{ep:#}");
    assert_eq!(ep["downgrade"]["offered"], "TLS1.2");
    assert_eq!(ep["secure_renegotiation"], true);
    assert!(!finding_ids(t).contains(&"downgrade-unprotected".to_string()));

    // The same server behind a front that removes TLS_FALLBACK_SCSV from every hello.
    let front = Front::start(
        IpAddr::from([127, 0, 0, 1]),
        0,
        strip_fallback_scsv(s.addr()),
    )
    .expect("front");
    let (code, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca]);
    validate(&doc);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(1), "{t:#}");
    assert_eq!(ep["downgrade"]["fallback_scsv"], false, "{ep:#}");
    assert_eq!(ep["downgrade"]["offered"], "TLS1.2");
    assert_eq!(
        ep["downgrade"]["tls13_sentinel"], true,
        "openssl 3 sets the RFC 8446 sentinel"
    );
    let detail = ep["downgrade"]["detail"].as_str().expect("detail");
    assert!(
        detail.contains("accepted") && detail.contains("downgrade sentinel"),
        "{detail}"
    );
    assert_eq!(problem_ids(t), ["downgrade-unprotected"], "{t:#}");
    let f = finding(t, "downgrade-unprotected");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["endpoints"], serde_json::json!(["127.0.0.1"]));
    let summary = f["summary"].as_str().expect("summary");
    assert!(
        summary.contains("TLS1.2") && summary.contains("TLS1.3"),
        "{summary}"
    );
    assert!(
        f["references"]
            .as_array()
            .expect("refs")
            .iter()
            .any(|r| r == "https://www.rfc-editor.org/rfc/rfc7507")
    );

    let (code, text) = check_human(&[&front.addr().to_string(), "--ca-file", &ca]);
    assert_eq!(code, Some(1));
    assert!(
        text.contains("downgrade: NOT protected, TLS_FALLBACK_SCSV ignored (TLS1.2 retry)"),
        "{text}"
    );
    assert!(text.contains("[downgrade-unprotected]"), "{text}");
    let (_, text) = check_human(&[&s.target(), "--ca-file", &ca]);
    assert!(
        text.contains("downgrade: protected, TLS_FALLBACK_SCSV honoured (TLS1.2 retry)"),
        "{text}"
    );
    assert!(text.contains("secure renegotiation: yes"), "{text}");
}

/// A TLS 1.1 + 1.2 server needs a TLS 1.1 retry (not the speculative TLS 1.2 one).
#[test]
fn legacy_pair_is_tested_with_a_tls11_retry() {
    use crate::harness::relay::strip_fallback_scsv;
    let (s, pki) = openssl_with(|b| b.versions("TLSv1.1", "TLSv1.2").cipher("ALL:@SECLEVEL=0"));
    let ca = ca(&pki);
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(ep["highest_version"], "TLS1.2", "{ep:#}");
    assert_eq!(ep["downgrade"]["fallback_scsv"], true, "{ep:#}");
    assert_eq!(ep["downgrade"]["offered"], "TLS1.1");
    let front = Front::start(
        IpAddr::from([127, 0, 0, 1]),
        0,
        strip_fallback_scsv(s.addr()),
    )
    .expect("front");
    let (_, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca]);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(ep["downgrade"]["fallback_scsv"], false, "{ep:#}");
    assert_eq!(ep["downgrade"]["offered"], "TLS1.1");
    assert!(
        finding_ids(t).contains(&"downgrade-unprotected".to_string()),
        "{t:#}"
    );
}

#[test]
fn one_version_cannot_be_downgraded() {
    let (s, pki) = openssl_with(|b| b.tls1_3());
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca(&pki)]);
    validate(&doc);
    let ep = &doc["targets"][0]["endpoints"][0];
    assert!(ep["downgrade"]["fallback_scsv"].is_null(), "{ep:#}");
    assert!(
        ep["downgrade"]["detail"]
            .as_str()
            .expect("detail")
            .contains("only one TLS version")
    );
    // No TLS <= 1.2 ServerHello: renegotiation does not apply.
    assert!(ep["secure_renegotiation"].is_null(), "{ep:#}");
}

#[test]
fn a_server_without_renegotiation_info_is_reported() {
    let pki = crate::harness::certs::Pki::localhost().expect("pki");
    let s = crate::harness::gnutls::GnutlsServer::builder()
        .pki(&pki)
        .priority("NORMAL:-VERS-TLS1.3:%DISABLE_SAFE_RENEGOTIATION")
        .start()
        .expect("gnutls-serv");
    let (_, doc) = check_json(&[&s.addr().to_string(), "--ca-file", &ca(&pki)]);
    validate(&doc);
    let ep = &doc["targets"][0]["endpoints"][0];
    assert_eq!(ep["highest_version"], "TLS1.2", "{ep:#}");
    assert_eq!(ep["secure_renegotiation"], false, "{ep:#}");
    let (_, text) = check_human(&[&s.addr().to_string(), "--ca-file", &ca(&pki)]);
    assert!(
        text.contains("secure renegotiation: no (RFC 5746 missing)"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Hello intolerance

/// An openssl s_server (TLS 1.3 + 1.2 unless `tls12_only`) behind a front that resets every
/// hello with more than `max_suites` suites or `max_bytes` bytes.
fn intolerant_front(
    max_suites: usize,
    max_bytes: usize,
    tls12_only: bool,
) -> (
    Front,
    crate::harness::openssl::OpensslServer,
    crate::harness::certs::Pki,
) {
    let (s, pki) = openssl_with(|b| if tls12_only { b.tls1_2() } else { b });
    let front = Front::start(
        IpAddr::from([127, 0, 0, 1]),
        0,
        crate::harness::relay::intolerant(s.addr(), max_suites, max_bytes),
    )
    .expect("front");
    (front, s, pki)
}

#[test]
fn a_suite_cap_of_64_is_survived_and_reported() {
    let (front, _s, pki) = intolerant_front(64, usize::MAX, false);
    let ca = ca(&pki);
    let target = front.addr().to_string();
    let (code, doc) = check_json(&[&target, "--ca-file", &ca]);
    validate(&doc);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(1), "{t:#}");
    let p12 = proto(ep, "TLS1.2");
    assert_eq!(p12["outcome"], "accepted", "{p12:#}");
    assert_eq!(p12["hello"]["suites"], 64, "{p12:#}");
    assert_eq!(p12["hello"]["via"], "smaller_hello");
    assert_eq!(p12["hello"]["refused"]["outcome"], "reset");
    assert!(p12["hello"]["refused"]["suites"].as_u64().expect("n") > 64);
    let bytes = p12["hello"]["bytes"].as_u64().expect("bytes");
    assert!(!(261..517).contains(&bytes), "padding rule kept: {bytes}");
    // TLS 1.3's hello is small: no retry needed, no hello object.
    let p13 = proto(ep, "TLS1.3");
    assert_eq!(p13["outcome"], "accepted");
    assert!(p13["hello"].is_null(), "{p13:#}");
    assert_eq!(ep["highest_version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["version"], "TLS1.3");
    assert_eq!(problem_ids(t), ["hello-intolerance"], "{t:#}");
    let f = finding(t, "hello-intolerance");
    assert_eq!(f["severity"], "warning");
    let summary = f["summary"].as_str().expect("summary");
    assert!(
        summary.contains("TLS1.2") && summary.contains("64 suites"),
        "{summary}"
    );
    assert!(
        summary.contains("got reset") && summary.contains("10054"),
        "{summary}"
    );
    // The downgrade probe used the smaller hello too, and openssl honours the SCSV.
    assert_eq!(ep["downgrade"]["fallback_scsv"], true, "{ep:#}");

    let (code, text) = check_human(&[&target, "--ca-file", &ca]);
    assert_eq!(code, Some(1));
    assert!(text.contains("[hello-intolerance]"), "{text}");
    assert!(
        text.contains("accepted with a smaller hello (64 suites"),
        "{text}"
    );
}

#[test]
fn a_suite_cap_of_32_needs_the_last_rung() {
    let (front, _s, pki) = intolerant_front(32, usize::MAX, true);
    let ca = ca(&pki);
    let (code, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca]);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(1), "{t:#}");
    assert_eq!(proto(ep, "TLS1.2")["hello"]["suites"], 32, "{ep:#}");
    assert_eq!(ep["highest_version"], "TLS1.2");
    assert_eq!(problem_ids(t), ["hello-intolerance"], "{t:#}");
}

/// Only the negotiation hello (27 suites) and the full handshake pass a cap of 30: TLS 1.2 is
/// still reported accepted, with the explanation, never "all versions rejected".
#[test]
fn what_the_negotiation_reached_is_never_reported_refused() {
    let (front, _s, pki) = intolerant_front(30, usize::MAX, true);
    let ca = ca(&pki);
    let (code, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca]);
    validate(&doc);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(1), "{t:#}");
    let p12 = proto(ep, "TLS1.2");
    assert_eq!(p12["outcome"], "accepted", "{p12:#}");
    assert_eq!(p12["supported"], true);
    assert_eq!(p12["hello"]["via"], "negotiation", "{p12:#}");
    assert_eq!(ep["highest_version"], "TLS1.2");
    assert_eq!(ep["negotiated"]["version"], "TLS1.2");
    let ids = finding_ids(t);
    assert!(ids.contains(&"hello-intolerance".to_string()), "{ids:?}");
    assert!(
        !ids.contains(&"all-versions-rejected".to_string()),
        "{ids:?}"
    );
    let f = finding(t, "hello-intolerance");
    let summary = f["summary"].as_str().expect("summary");
    assert!(summary.contains("only the negotiation hello"), "{summary}");
    let (_, text) = check_human(&[&front.addr().to_string(), "--ca-file", &ca]);
    assert!(text.contains("reached by the negotiation hello"), "{text}");
}

/// A length cap (every hello over 400 bytes reset): the 64-suite rung passes.
#[test]
fn a_length_cap_is_survived() {
    let (front, _s, pki) = intolerant_front(usize::MAX, 400, true);
    let ca = ca(&pki);
    let (_, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca]);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    let p12 = proto(ep, "TLS1.2");
    assert_eq!(p12["outcome"], "accepted", "{ep:#}");
    assert!(
        p12["hello"]["bytes"].as_u64().expect("bytes") <= 400,
        "{p12:#}"
    );
    assert!(
        p12["hello"]["refused"]["bytes"].as_u64().expect("bytes") > 400,
        "{p12:#}"
    );
    assert!(
        finding_ids(t).contains(&"hello-intolerance".to_string()),
        "{t:#}"
    );
}

/// A server that refuses TLS 1.0 with resets because of its policy (as Azure front ends do)
/// gets no hello-intolerance: its larger TLS 1.2 hello was accepted.
#[test]
fn policy_resets_are_not_intolerance() {
    use crate::harness::hostile::{HostileServer, Scenario};
    let (s, pki) = openssl_with(|b| b);
    let front = HostileServer::start(Scenario::ResetLegacy { backend: s.addr() }).expect("front");
    let (_, doc) = check_json(&[&front.addr().to_string(), "--ca-file", &ca(&pki)]);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(proto(ep, "TLS1.0")["outcome"], "reset", "{ep:#}");
    assert!(proto(ep, "TLS1.0")["hello"].is_null());
    assert!(
        !finding_ids(t).contains(&"hello-intolerance".to_string()),
        "{t:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. One name, addresses that disagree

/// Two differently configured openssl servers (own PKIs): A speaks TLS 1.3 + 1.2, B only
/// TLS 1.2 with another certificate. Returns them with a CA bundle argument for each.
fn two_backends() -> (
    (
        crate::harness::openssl::OpensslServer,
        crate::harness::certs::Pki,
    ),
    (
        crate::harness::openssl::OpensslServer,
        crate::harness::certs::Pki,
    ),
) {
    (openssl_with(|b| b), openssl_with(|b| b.tls1_2()))
}

fn assert_inconsistent(t: &Value, ips: &[&str]) -> String {
    assert!(
        problem_ids(t).contains(&"addresses-inconsistent".to_string()),
        "{t:#}"
    );
    let f = finding(t, "addresses-inconsistent");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["endpoints"], serde_json::json!(ips), "{f:#}");
    let summary = f["summary"].as_str().expect("summary").to_string();
    for ip in ips {
        assert!(summary.contains(ip), "{summary}");
    }
    summary
}

#[test]
fn two_ipv4_addresses_served_differently() {
    let ((a, pki_a), (b, pki_b)) = two_backends();
    let ip2 = IpAddr::from([127, 0, 0, 2]);
    let ip3 = IpAddr::from([127, 0, 0, 3]);
    let fa = Front::start(ip2, 0, crate::harness::relay::forward(a.addr())).expect("front a");
    let port = fa.addr().port();
    let fb = Front::start(ip3, port, crate::harness::relay::forward(b.addr())).expect("front b");
    let dns = Dnsd::start(
        &[("pair.tlsprobe.test", ip2), ("pair.tlsprobe.test", ip3)],
        Mode::NxDomain,
    );
    let target = format!("pair.tlsprobe.test:{port}");
    let dns_arg = dns.arg();
    let (ca_a, ca_b) = (ca(&pki_a), ca(&pki_b));
    let args = [
        target.as_str(),
        "--dns-server",
        &dns_arg,
        "--ca-file",
        &ca_a,
        "--ca-file",
        &ca_b,
        "--sni",
        "localhost",
    ];
    let (code, doc) = check_json(&args);
    validate(&doc);
    let t = &doc["targets"][0];
    assert_eq!(code, Some(1), "{t:#}");
    let summary = assert_inconsistent(t, &["127.0.0.2", "127.0.0.3"]);
    assert!(
        summary.starts_with("The addresses of pair.tlsprobe.test"),
        "{summary}"
    );
    assert!(
        summary.contains("highest version (127.0.0.2: TLS1.3; 127.0.0.3: TLS1.2)"),
        "{summary}"
    );
    assert!(summary.contains("accepted versions ("), "{summary}");
    assert!(summary.contains("certificate (leaf SHA-256)"), "{summary}");
    let (code, text) = check_human(&args);
    assert_eq!(code, Some(1));
    assert!(text.contains("[addresses-inconsistent]"), "{text}");
    assert!(text.contains("on: 127.0.0.2, 127.0.0.3"), "{text}");
    drop((fa, fb));
}

#[test]
fn agreeing_addresses_are_not_flagged() {
    let (a, pki) = openssl_with(|b| b);
    let ip2 = IpAddr::from([127, 0, 0, 2]);
    let ip3 = IpAddr::from([127, 0, 0, 3]);
    let fa = Front::start(ip2, 0, crate::harness::relay::forward(a.addr())).expect("front a");
    let port = fa.addr().port();
    let fb = Front::start(ip3, port, crate::harness::relay::forward(a.addr())).expect("front b");
    let dns = Dnsd::start(
        &[("same.tlsprobe.test", ip2), ("same.tlsprobe.test", ip3)],
        Mode::NxDomain,
    );
    let (code, doc) = check_json(&[
        &format!("same.tlsprobe.test:{port}"),
        "--dns-server",
        &dns.arg(),
        "--ca-file",
        &ca(&pki),
        "--sni",
        "localhost",
    ]);
    let t = &doc["targets"][0];
    assert_eq!(t["endpoints"].as_array().map(Vec::len), Some(2));
    assert!(
        !finding_ids(t).contains(&"addresses-inconsistent".to_string()),
        "{t:#}"
    );
    assert_eq!(code, Some(0), "{t:#}");
    drop((fa, fb));
}

/// The /etc/hosts name with an IPv4 and an IPv6 address (scripts/install-deps.sh adds it),
/// each served by another server: the case of "it works from one machine only".
#[test]
fn ipv4_and_ipv6_addresses_served_differently() {
    let v4 = IpAddr::from([127, 0, 0, 1]);
    let v6: IpAddr = "::1".parse().expect("v6");
    assert!(
        crate::harness::hosts_entry_present("dual.tlsprobe.test", &[v4, v6]),
        "/etc/hosts must map dual.tlsprobe.test to 127.0.0.1 and ::1 (run scripts/install-deps.sh)"
    );
    let ((a, pki_a), (b, pki_b)) = two_backends();
    let fa = Front::start(v4, 0, crate::harness::relay::forward(a.addr())).expect("front v4");
    let port = fa.addr().port();
    let fb = Front::start(v6, port, crate::harness::relay::forward(b.addr()))
        .expect("IPv6 loopback ([::1]) is required (scripts/install-deps.sh enables it)");
    let (code, doc) = check_json(&[
        &format!("dual.tlsprobe.test:{port}"),
        "--ca-file",
        &ca(&pki_a),
        "--ca-file",
        &ca(&pki_b),
        "--sni",
        "localhost",
    ]);
    let t = &doc["targets"][0];
    assert_eq!(code, Some(1), "{t:#}");
    let summary = assert_inconsistent(t, &["127.0.0.1", "::1"]);
    assert!(
        summary.contains("127.0.0.1: TLS1.3; ::1: TLS1.2"),
        "{summary}"
    );
    drop((fa, fb));
}

/// A pool behind one address whose full handshakes alternate between two backends with
/// different certificates (version probes all reach the first): one check round looks fine,
/// `--repeat 3` shows the stale node.
#[test]
fn repeat_catches_a_pool_with_a_stale_backend() {
    use crate::harness::relay::Policy;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (a, pki_a) = openssl_with(|b| b);
    let (b, pki_b) = openssl_with(|b| b);
    let handshakes = Arc::new(AtomicUsize::new(0));
    let (aa, ba) = (a.addr(), b.addr());
    let policy: Policy = Arc::new(move |raw, info, _| {
        // rustls offers exactly TLS 1.3 and 1.2 in supported_versions; tlsprobe's raw probes
        // never do.
        let full = info.is_some_and(|i| i.supported_versions == [0x0304, 0x0303]);
        let backend = if full && handshakes.fetch_add(1, Ordering::SeqCst) % 2 == 1 {
            ba
        } else {
            aa
        };
        Action::Forward(backend, raw.to_vec())
    });
    let front = Front::start(IpAddr::from([127, 0, 0, 1]), 0, policy).expect("front");
    let target = front.addr().to_string();
    let (ca_a, ca_b) = (ca(&pki_a), ca(&pki_b));
    let base = [target.as_str(), "--ca-file", &ca_a, "--ca-file", &ca_b];
    let (code, doc) = check_json(&base);
    let t = &doc["targets"][0];
    assert_eq!(code, Some(0), "one round sees one backend: {t:#}");
    assert!(
        t["endpoints"][0]["samples"].is_null(),
        "no samples without --repeat"
    );

    let mut args = base.to_vec();
    args.extend(["--repeat", "3"]);
    let (code, doc) = check_json(&args);
    validate(&doc);
    let t = &doc["targets"][0];
    let ep = &t["endpoints"][0];
    assert_eq!(code, Some(1), "{t:#}");
    let samples = ep["samples"].as_array().expect("samples");
    assert_eq!(samples.len(), 3, "{ep:#}");
    assert_ne!(samples[0]["leaf_sha256"], samples[1]["leaf_sha256"]);
    assert_eq!(samples[0]["leaf_sha256"], samples[2]["leaf_sha256"]);
    let summary = assert_inconsistent(t, &["127.0.0.1"]);
    assert!(
        summary.starts_with("The backends behind 127.0.0.1 (3 rounds"),
        "{summary}"
    );
    assert!(
        summary.contains("certificate (leaf SHA-256) (127.0.0.1 round 1:"),
        "{summary}"
    );
    let (_, text) = check_human(&args);
    assert!(text.contains("round 2: highest TLS1.3"), "{text}");
    assert!(text.contains("[addresses-inconsistent]"), "{text}");
}
