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
