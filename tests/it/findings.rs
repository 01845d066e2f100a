//! Diagnosis end to end: `tlsprobe check` against real loopback servers must name the exact
//! finding (id and severity) and exit with the matching code (0 ok/info, 1 warning, 2 critical);
//! `tlsprobe explain` must give the same entry for every spelling of a code.
//!
//! Every server is started by the test on 127.0.0.1 and killed when it is dropped. Names are
//! resolved only through the test's own DNS responder ([`crate::dnsd`]).

use std::time::Duration;

use serde_json::Value;

use crate::check::check_json;
use crate::dnsd::{Dnsd, Mode};
use crate::harness::certs::{CertSpec, Pki};
use crate::harness::gnutls::GnutlsServer;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::openssl::OpensslServer;
use crate::harness::report::{assert_finding, endpoint, finding_ids, proto};
use crate::harness::{free_port, have_tool, run_tlsprobe_with};

/// Hard limit for one `tlsprobe` run.
const RUN: Duration = Duration::from_secs(60);

/// The finding's evidence lines joined by newlines.
fn evidence(f: &Value) -> String {
    f["evidence"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// Ids only, sorted, for exact-set comparisons.
fn id_set(doc: &Value) -> Vec<String> {
    let mut ids: Vec<String> = finding_ids(doc).into_iter().map(|(id, _)| id).collect();
    ids.sort();
    ids
}

/// The target status must agree with the exit code.
fn assert_status(doc: &Value, code: i32, want_code: i32) {
    let status = match want_code {
        0 => "ok",
        1 => "warning",
        _ => "critical",
    };
    assert_eq!(
        code,
        want_code,
        "exit code; findings: {:?}",
        finding_ids(doc)
    );
    assert_eq!(doc["targets"][0]["status"], status, "status");
}

// ---------------------------------------------------------------------------------------------
// Protocol versions

#[test]
fn reset_on_legacy_is_info_and_names_10054() {
    let pki = Pki::localhost().expect("pki");
    let backend = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let s = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let (code, doc) = check_json(&[&s.addr().to_string(), "--ca-file", &ca]);
    assert_eq!(
        endpoint(&doc)["certificate"]["trusted"],
        true,
        "{:#}",
        endpoint(&doc)
    );
    let f = assert_finding(&doc, "legacy-tls-rejected", "info");
    let ev = evidence(f);
    assert!(ev.contains("TLS1.0: reset"), "{ev}");
    assert!(ev.contains("10054"), "{ev}");
    assert!(ev.contains("WSAECONNRESET"), "{ev}");
    assert_eq!(
        id_set(&doc),
        ["legacy-tls-rejected"],
        "{:#}",
        doc["targets"][0]["findings"]
    );
    assert_status(&doc, code, 0);

    // The human report carries the Windows error, the finding and its first fix step, and says
    // where the rest is; an info finding does not print its whole recipe by default.
    let human = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--format",
            "human",
            &s.addr().to_string(),
            "--ca-file",
            &ca,
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
        args.extend(extra.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_tlsprobe_with(&args, &[], RUN).expect("run human");
        assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
        out.stdout
    };
    let text = human(&[]);
    assert!(text.starts_with("OK "), "status line first:\n{text}");
    for needle in [
        "10054",
        "WSAECONNRESET",
        "[legacy-tls-rejected]",
        "fix: Nothing to change on the endpoint",
        "`tlsprobe explain legacy-tls-rejected`",
    ] {
        assert!(
            text.contains(needle),
            "human output lacks {needle:?}:\n{text}"
        );
    }
    assert!(!text.contains("KB4019276"), "{text}");
    // -v: every cause and fix step.
    let text = human(&["-v"]);
    for needle in [
        "legacy-tls-rejected",
        "KB4019276",
        "KB3140245",
        "SchUseStrongCrypto",
        "SystemDefaultTlsVersions",
        "DisabledByDefault",
        "cause: Expected",
        "fix 11.",
    ] {
        assert!(
            text.contains(needle),
            "human -v output lacks {needle:?}:\n{text}"
        );
    }
}

#[test]
fn tls13_only_is_a_warning() {
    let pki = Pki::localhost().expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .tls1_3()
        .start()
        .expect("s_server");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    assert_eq!(proto(endpoint(&doc), "TLS1.2")["outcome"], "alert");
    let f = assert_finding(&doc, "tls13-only", "warning");
    assert!(
        evidence(f).contains("TLS1.2: alert protocol_version (70)"),
        "{f:#}"
    );
    // TLS 1.0/1.1 refused beside an accepted TLS 1.3: also the informational finding.
    assert_finding(&doc, "legacy-tls-rejected", "info");
    assert_eq!(id_set(&doc), ["legacy-tls-rejected", "tls13-only"]);
    assert_status(&doc, code, 1);
}

#[test]
fn no_shared_cipher_with_openssl() {
    // An ECDSA-only suite list in front of an RSA key: OpenSSL has nothing it can choose.
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .tls1_2()
        .cipher("ECDHE-ECDSA-AES128-GCM-SHA256")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    let v12 = proto(ep, "TLS1.2");
    assert_eq!(v12["outcome"], "alert", "{ep:#}");
    assert_eq!(v12["alert"], "handshake_failure");
    assert_eq!(ep["highest_version"], Value::Null);
    let f = assert_finding(&doc, "no-shared-cipher", "critical");
    assert!(evidence(f).contains("handshake_failure (40)"), "{f:#}");
    assert_eq!(id_set(&doc), ["no-shared-cipher"]);
    assert_status(&doc, code, 2);
}

#[test]
fn no_shared_cipher_with_gnutls() {
    if !have_tool("gnutls-serv") {
        panic!("gnutls-serv is required (scripts/install-deps.sh installs it)");
    }
    // Only RSA key exchange, in front of the default ECDSA key: GnuTLS can pick no suite.
    let s = GnutlsServer::builder()
        .priority("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA")
        .start()
        .expect("gnutls-serv");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "alert", "{ep:#}");
    assert_finding(&doc, "no-shared-cipher", "critical");
    assert_eq!(code, 2);
}

#[test]
fn tls10_only_means_tls12_not_supported() {
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let ca = rsa.ca_pem().to_string_lossy().into_owned();
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.0")["outcome"], "accepted", "{ep:#}");
    assert_eq!(ep["highest_version"], "TLS1.0");
    let f = assert_finding(&doc, "tls12-not-supported", "critical");
    assert!(evidence(f).contains("TLS1.0: accepted"), "{f:#}");
    assert_status(&doc, code, 2);
}

#[test]
fn tls10_beside_tls12_is_legacy_accepted() {
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let ca = rsa.ca_pem().to_string_lossy().into_owned();
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .versions("TLSv1", "TLSv1.2")
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.0")["outcome"], "accepted", "{ep:#}");
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted", "{ep:#}");
    assert_eq!(ep["certificate"]["trusted"], true, "{ep:#}");
    let f = assert_finding(&doc, "legacy-tls-accepted", "warning");
    let ev = evidence(f);
    assert!(ev.contains("TLS1.0: accepted"), "{ev}");
    assert!(
        !doc["targets"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["severity"] == "critical"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_status(&doc, code, 1);
}

// ---------------------------------------------------------------------------------------------
// Reachability

#[test]
fn closed_port_is_tcp_refused() {
    let port = free_port().expect("port");
    let (code, doc) = check_json(&[&format!("127.0.0.1:{port}")]);
    let f = assert_finding(&doc, "tcp-refused", "critical");
    assert_eq!(f["endpoints"], serde_json::json!(["127.0.0.1"]), "{f:#}");
    assert_eq!(id_set(&doc), ["tcp-refused"]);
    assert_status(&doc, code, 2);
}

#[test]
fn silent_port_is_all_versions_timeout() {
    let s = HostileServer::start(Scenario::Silent).expect("silent");
    let (code, doc) = check_json(&[&s.addr().to_string(), "--timeout", "1s"]);
    let f = assert_finding(&doc, "all-versions-timeout", "critical");
    let ev = evidence(f);
    assert!(ev.contains("TLS1.2: timeout"), "{ev}");
    assert!(ev.contains("10060"), "{ev}");
    assert_eq!(id_set(&doc), ["all-versions-timeout"]);
    assert_status(&doc, code, 2);
}

#[test]
fn http_on_the_tls_port_is_not_tls() {
    let s = HostileServer::start(Scenario::Http).expect("http");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let f = assert_finding(&doc, "not-tls", "critical");
    let summary = f["summary"].as_str().unwrap_or("");
    assert!(summary.contains("HTTP"), "{f:#}");
    assert_eq!(id_set(&doc), ["not-tls"]);
    assert_status(&doc, code, 2);
}

#[test]
fn nxdomain_is_dns_no_such_host() {
    let dns = Dnsd::start(&[], Mode::NxDomain);
    let (code, doc) = check_json(&["no-such-host.tlsprobe.test:443", "--dns-server", &dns.arg()]);
    let f = assert_finding(&doc, "dns-no-such-host", "critical");
    assert!(evidence(f).contains("no_such_host"), "{f:#}");
    assert_eq!(id_set(&doc), ["dns-no-such-host"]);
    assert_status(&doc, code, 2);
}

// ---------------------------------------------------------------------------------------------
// explain

/// Runs `tlsprobe explain --format json ARGS` and returns (exit code, document or Null, stderr).
fn explain_json(args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["explain", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, &[], RUN).expect("run tlsprobe explain");
    let code = out.code.expect("explain was killed");
    let doc = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (code, doc, out.stderr)
}

/// `(id, title)` of every entry.
fn entries(doc: &Value) -> Vec<(String, String)> {
    doc["entries"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| {
                    (
                        e["id"].as_str().unwrap_or("?").to_string(),
                        e["title"].as_str().unwrap_or("?").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every spelling must give exactly the same, non-empty entry list.
fn assert_same_entries(spellings: &[&str]) -> Vec<(String, String)> {
    let mut first: Option<Vec<(String, String)>> = None;
    for s in spellings {
        // `--` so a negative HRESULT is not taken for a flag.
        let (code, doc, stderr) = explain_json(&["--", s]);
        assert_eq!(code, 0, "explain {s}: {stderr}");
        assert_eq!(doc["schema"], "tlsprobe/v1", "explain {s}");
        let got = entries(&doc);
        assert!(!got.is_empty(), "explain {s}: no entries");
        match &first {
            None => first = Some(got),
            Some(want) => assert_eq!(&got, want, "explain {s} differs from {}", spellings[0]),
        }
    }
    first.unwrap_or_default()
}

#[test]
fn explain_10054_spellings_agree() {
    let e = assert_same_entries(&["10054", "WSAECONNRESET", "ECONNRESET", "wsaeconnreset"]);
    assert_eq!(e.len(), 1, "{e:?}");
    let (code, doc, _) = explain_json(&["10054"]);
    assert_eq!(code, 0);
    let entry = &doc["entries"][0];
    assert_eq!(entry["code"], 10054);
    assert_eq!(entry["posix"], "ECONNRESET");
    let see_also = entry["see_also"].to_string();
    assert!(see_also.contains("legacy-tls-rejected"), "{entry:#}");
    let fix = entry["remediation"].to_string();
    for needle in [
        "KB4019276",
        "KB3140245",
        "SchUseStrongCrypto",
        "SystemDefaultTlsVersions",
    ] {
        assert!(fix.contains(needle), "remediation lacks {needle}: {fix}");
    }
}

#[test]
fn explain_winhttp_12030_spellings_agree() {
    let e = assert_same_entries(&["0x80072EFE", "-2147012866", "12030", "80072efe"]);
    assert_eq!(e.len(), 1, "{e:?}");
    let (_, doc, _) = explain_json(&["12030"]);
    assert_eq!(doc["entries"][0]["hresult"], "0x80072EFE", "{doc:#}");
}

#[test]
fn explain_alert_40_spellings_agree() {
    let e = assert_same_entries(&["handshake_failure", "40", "HANDSHAKE_FAILURE"]);
    assert!(e.iter().any(|(id, _)| id.contains("handshake")), "{e:?}");
}

#[test]
fn explain_finding_id() {
    let (code, doc, stderr) = explain_json(&["legacy-tls-rejected"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(doc["entries"][0]["id"], "legacy-tls-rejected");
    assert_eq!(doc["entries"][0]["kind"], "finding");
    assert_eq!(doc["entries"][0]["severity"], "info");
}

#[test]
fn explain_unknown_code_exits_3_with_suggestions() {
    let (code, doc, stderr) = explain_json(&["WSAECONNRESTE"]);
    assert_eq!(code, 3, "{stderr}");
    let suggested = stderr.contains("WSAECONNRESET") || doc.to_string().contains("WSAECONNRESET");
    assert!(suggested, "no suggestion; stderr: {stderr}; stdout: {doc}");
    // Nothing near it: still exit 3, with a hint on stderr.
    let (code, _, stderr) = explain_json(&["zzqqxx-nothing"]);
    assert_eq!(code, 3);
    assert!(stderr.contains("unknown code"), "{stderr}");
}

#[test]
fn explain_negative_hresult_without_double_dash() {
    let out =
        run_tlsprobe_with(&["explain", "--format", "json", "-2147012866"], &[], RUN).expect("run");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(doc["entries"][0]["hresult"], "0x80072EFE", "{doc:#}");
}

// ---------------------------------------------------------------------------------------------
// More refusals

#[test]
fn reset_on_every_hello_is_all_versions_rejected() {
    let s = HostileServer::start(Scenario::ResetAfterHello).expect("reset");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let f = assert_finding(&doc, "all-versions-rejected", "critical");
    let ev = evidence(f);
    assert!(ev.contains("TLS1.2: reset"), "{ev}");
    assert!(ev.contains("10054"), "{ev}");
    assert_eq!(id_set(&doc), ["all-versions-rejected"]);
    assert_status(&doc, code, 2);
}

#[test]
fn close_without_answer_is_all_versions_rejected() {
    let s = HostileServer::start(Scenario::CloseImmediately).expect("close");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let f = assert_finding(&doc, "all-versions-rejected", "critical");
    assert!(evidence(f).contains("TLS1.2: closed"), "{f:#}");
    assert_status(&doc, code, 2);
}

#[test]
fn handshake_failure_alert_everywhere_is_no_shared_cipher() {
    let s = HostileServer::start(Scenario::Alert(40)).expect("alert");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    assert_finding(&doc, "no-shared-cipher", "critical");
    assert!(
        !id_set(&doc).iter().any(|i| i == "all-versions-rejected"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_status(&doc, code, 2);
}

#[test]
fn protocol_version_alert_everywhere_is_all_versions_rejected() {
    let s = HostileServer::start(Scenario::Alert(70)).expect("alert");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let f = assert_finding(&doc, "all-versions-rejected", "critical");
    assert!(evidence(f).contains("protocol_version (70)"), "{f:#}");
    assert_status(&doc, code, 2);
}

#[test]
fn unknown_sni_name_is_sni_unrecognized() {
    let pki = Pki::localhost().expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .sni("localhost", &pki)
        .arg("-servername_fatal")
        .start()
        .expect("s_server");
    let target = format!("other.tlsprobe.test:{}", s.port());
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1"]);
    assert_eq!(
        proto(endpoint(&doc), "TLS1.2")["alert"],
        "unrecognized_name"
    );
    let f = assert_finding(&doc, "sni-unrecognized", "critical");
    assert!(
        f["summary"]
            .as_str()
            .unwrap_or("")
            .contains("other.tlsprobe.test"),
        "{f:#}"
    );
    assert_status(&doc, code, 2);
    // The name the server knows is fine.
    let target = format!("localhost:{}", s.port());
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1", "--ca-file", &ca]);
    assert!(
        !id_set(&doc).iter().any(|i| i.starts_with("sni-")),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));
}

#[test]
fn ssl3_accepted_is_critical() {
    if !crate::harness::ssl3::tlslite_available() {
        panic!("tlslite-ng is required (scripts/install-deps.sh installs it)");
    }
    let s = crate::harness::ssl3::Ssl3Server::start().expect("ssl3 server");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let f = assert_finding(&doc, "ssl-accepted", "critical");
    assert!(evidence(f).contains("SSL3.0: accepted"), "{f:#}");
    assert_finding(&doc, "tls12-not-supported", "critical");
    assert_status(&doc, code, 2);
}

#[test]
fn null_cipher_only_server_is_insecure_cipher_suite() {
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .tls1_2()
        .cipher("NULL-SHA256:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted", "{ep:#}");
    assert_eq!(proto(ep, "TLS1.2")["cipher"], "TLS_RSA_WITH_NULL_SHA256");
    assert_finding(&doc, "insecure-cipher-suite", "critical");
    assert!(
        !id_set(&doc).iter().any(|i| i == "no-shared-cipher"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 2);
}
