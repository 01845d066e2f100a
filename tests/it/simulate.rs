//! `tlsprobe simulate` against real TLS stacks on loopback: the outcome and suite each Windows
//! profile gets, the Windows view of failures, the proven fix (`fix_verified`) and the
//! server-side change when no client change helps; the all-clients matrix against the
//! reset-on-legacy demo server; exit codes; the JSON against the schema.

use std::net::SocketAddr;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::harness::certs::{CertSpec, Pki};
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::process::{Readiness, ServerProcess, start_with_retry};
use crate::harness::{Loopback, TempDir, run_tlsprobe_with};

/// Runs `tlsprobe simulate ARGS --format json`, validates the document against the schema and
/// returns (exit code, document).
pub fn simulate_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["simulate", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, &[], Duration::from_secs(120)).expect("run tlsprobe");
    let code = out.code.expect("tlsprobe was killed (hang)");
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    let dir = TempDir::new("simulate-schema").expect("tempdir");
    crate::schema::validate(&out.stdout, &dir);
    (code, doc)
}

fn sim(doc: &Value) -> &Value {
    &doc["targets"][0]["endpoints"][0]["simulation"]
}

fn finding_ids(doc: &Value) -> Vec<String> {
    doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn finding<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}: {:#}", doc["targets"][0]["findings"]))
}

fn text(v: &Value) -> String {
    v.to_string()
}

/// An RSA PKI (the harness default is ECDSA; the ECDHE_RSA suite choices need RSA).
fn rsa() -> Pki {
    Pki::generate(&CertSpec::default().rsa()).expect("pki")
}

/// The reset-on-legacy demo front end (`scripts/servers/reset_legacy.py`) before a backend.
fn reset_legacy(backend: SocketAddr) -> (ServerProcess, u16) {
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/servers/reset_legacy.py");
    start_with_retry("reset_legacy.py", Loopback::V4, |port| {
        let mut cmd = Command::new("python3");
        cmd.arg(&script)
            .arg("127.0.0.1")
            .arg(port.to_string())
            .arg(backend.ip().to_string())
            .arg(backend.port().to_string());
        Ok((cmd, Readiness::Line("ACCEPT")))
    })
    .expect("reset_legacy.py starts")
}

#[test]
fn win2008r2_is_reset_by_a_legacy_refusing_front_end_and_the_kb_fix_is_verified() {
    let backend = OpensslServer::builder()
        .own_pki(rsa())
        .start()
        .expect("backend");
    let front = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let target = front.addr().to_string();
    let (code, doc) = simulate_json(&["--client", "win2008r2", &target]);
    assert_eq!(code, 2, "{doc:#}");
    let s = sim(&doc);
    assert_eq!(s["client"], "win2008r2");
    assert_eq!(s["offered"]["versions"], serde_json::json!(["TLS1.0"]));
    assert_eq!(s["outcome"], "reset", "{s:#}");
    let windows = text(&s["windows_errors"]);
    assert!(windows.contains("WSAECONNRESET (10054"), "{windows}");
    assert!(windows.contains("12030, 0x80072EFE"), "{windows}");
    assert_eq!(s["fix_client"], "win2008r2+kb+tls12");
    assert_eq!(s["fix_verified"], true, "{s:#}");
    assert_eq!(s["fix_version"], "TLS1.2");
    assert_eq!(s["fix_cipher"], "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
    assert_eq!(s["server_change_needed"], false);
    assert_eq!(finding_ids(&doc), vec!["client-reset"]);
    let f = finding(&doc, "client-reset");
    assert_eq!(f["severity"], "critical");
    let fix = text(&f["remediation"]);
    assert!(fix.contains("KB3140245"), "{fix}");
    assert!(fix.contains("TLS 1.2\\\\Client"), "{fix}");
    assert!(fix.contains("verified"), "{fix}");
    assert!(text(&f["summary"]).contains("10054"));
}

#[test]
fn win2012r2_against_ecdhe_rsa_gcm_only_needs_a_server_change() {
    let server = OpensslServer::builder()
        .own_pki(rsa())
        .tls1_2()
        .cipher("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384")
        .start()
        .expect("s_server");
    let target = server.addr().to_string();
    let (code, doc) = simulate_json(&["--client", "win2012r2", &target]);
    assert_eq!(code, 2);
    let s = sim(&doc);
    assert_eq!(s["outcome"], "alert", "{s:#}");
    assert_eq!(s["alert"], "handshake_failure");
    assert!(text(&s["windows_errors"]).contains("Schannel event 36887 with alert 40"));
    assert_eq!(
        s["fix_client"],
        Value::Null,
        "2012 R2 needs no registry change for TLS 1.2"
    );
    assert_eq!(s["fix_verified"], Value::Null);
    assert_eq!(s["server_change_needed"], true);
    assert!(!text(&s["offered"]["ciphers"]).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM"));
    let f = finding(&doc, "client-no-shared-cipher");
    let fix = text(&f["remediation"]);
    assert!(fix.contains("No change on win2012r2 helps"), "{fix}");
    assert!(
        fix.contains("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
        "{fix}"
    );
    // Windows Server 2016 has the GCM suites and, the server taking the client's order, gets
    // its first RSA one.
    let (code, doc) = simulate_json(&["--client", "win2016", &target]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(sim(&doc)["outcome"], "accepted");
    assert_eq!(sim(&doc)["version"], "TLS1.2");
    assert_eq!(sim(&doc)["cipher"], "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    assert!(finding_ids(&doc).is_empty());
}

#[test]
fn server_order_decides_the_suite() {
    let server = OpensslServer::builder()
        .own_pki(rsa())
        .tls1_2()
        .cipher("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA256")
        .server_pref()
        .start()
        .expect("s_server");
    let target = server.addr().to_string();
    let (_, doc) = simulate_json(&["--client", "win2019", &target]);
    assert_eq!(sim(&doc)["cipher"], "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    let (_, doc) = simulate_json(&["--client", "win2012r2", &target]);
    assert_eq!(sim(&doc)["cipher"], "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
}

#[test]
fn ecdsa_server_gives_2012r2_its_ecdsa_gcm_suite() {
    // Windows 8.1 / 2012 R2 do have AES-GCM, but only with ECDHE_ECDSA (and DHE_RSA).
    let server = OpensslServer::builder().tls1_2().start().expect("s_server");
    let (code, doc) = simulate_json(&["--client", "win2012r2", &server.addr().to_string()]);
    assert_eq!(code, 0);
    assert_eq!(
        sim(&doc)["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    );
}

#[test]
fn tls13_only_server_shares_no_version_with_2012r2() {
    let server = OpensslServer::builder().tls1_3().start().expect("s_server");
    let target = server.addr().to_string();
    let (code, doc) = simulate_json(&["--client", "win2012r2+fixed", &target]);
    assert_eq!(code, 2);
    let s = sim(&doc);
    assert_eq!(s["outcome"], "alert", "{s:#}");
    assert_eq!(s["alert"], "protocol_version");
    assert_eq!(s["server_change_needed"], true);
    let f = finding(&doc, "client-no-shared-version");
    let fix = text(&f["remediation"]);
    assert!(fix.contains("Windows Server 2022"), "{fix}");
    let (code, doc) = simulate_json(&["--client", "win2022", &target]);
    assert_eq!(code, 0);
    assert_eq!(sim(&doc)["version"], "TLS1.3");
    assert_eq!(sim(&doc)["cipher"], "TLS_AES_256_GCM_SHA384");
}

#[test]
fn legacy_tls10_server_works_today_with_a_warning() {
    let server = OpensslServer::builder()
        .own_pki(rsa())
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let target = server.addr().to_string();
    let (code, doc) = simulate_json(&["--client", "win2008r2", &target]);
    assert_eq!(code, 1, "{doc:#}");
    let s = sim(&doc);
    assert_eq!(s["outcome"], "accepted");
    assert_eq!(s["version"], "TLS1.0");
    assert_eq!(s["cipher"], "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
    // The fixed profile still gets TLS 1.0 from this server: not a verified fix.
    assert_eq!(s["fix_client"], "win2008r2+kb+tls12");
    assert_eq!(s["fix_verified"], false);
    assert_eq!(finding_ids(&doc), vec!["client-legacy-version"]);
}

#[test]
fn dotnet_client_on_2012r2_against_nginx_needs_strong_crypto() {
    let pki = rsa();
    let server = NginxServer::builder()
        .pki(&pki)
        .protocols("TLSv1.2 TLSv1.3")
        .start()
        .expect("nginx");
    let target = server.addr().to_string();
    let (code, doc) = simulate_json(&["--client", "win2012r2+dotnet", &target]);
    assert_eq!(code, 2, "{doc:#}");
    let s = sim(&doc);
    assert_eq!(s["offered"]["versions"], serde_json::json!(["TLS1.0"]));
    assert_eq!(s["outcome"], "alert", "{s:#}");
    assert_eq!(s["alert"], "protocol_version");
    assert_eq!(s["fix_client"], "win2012r2+dotnet+strongcrypto");
    assert_eq!(s["fix_verified"], true);
    assert_eq!(s["fix_version"], "TLS1.2");
    let f = finding(&doc, "client-no-shared-version");
    let fix = text(&f["remediation"]);
    assert!(fix.contains("SchUseStrongCrypto"), "{fix}");
    assert!(!fix.contains("KB3140245"), "2012 R2 needs no update: {fix}");
}

#[test]
fn all_clients_matrix_against_the_reset_on_legacy_demo_server() {
    let backend = OpensslServer::builder()
        .own_pki(rsa())
        .start()
        .expect("backend");
    let (_front, port) = reset_legacy(backend.addr());
    let target = format!("127.0.0.1:{port}");
    let (code, doc) = simulate_json(&["--all-clients", &target]);
    assert_eq!(code, 2);
    let ep = &doc["targets"][0]["endpoints"][0];
    assert!(ep["simulation"].is_null());
    let sims = ep["simulations"].as_array().expect("simulations");
    assert_eq!(
        sims.len(),
        24,
        "12 OS names, as installed and as .NET clients"
    );
    for s in sims {
        let client = s["client"].as_str().unwrap();
        let legacy_only = s["offered"]["versions"] == serde_json::json!(["TLS1.0"]);
        if legacy_only {
            assert_eq!(s["outcome"], "reset", "{client}");
            assert_eq!(s["fix_verified"], true, "{client}: {s:#}");
        } else {
            assert_eq!(s["outcome"], "accepted", "{client}");
            assert!(s["fix_client"].is_null(), "{client}");
        }
    }
    let by = |c: &str| sims.iter().find(|s| s["client"] == c).unwrap();
    assert_eq!(by("win2008r2")["fix_client"], "win2008r2+kb+tls12");
    assert_eq!(by("win2008sp2")["fix_client"], "win2008sp2+kb+tls12");
    assert_eq!(
        by("win2012r2")["cipher"],
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"
    );
    assert_eq!(
        by("win2016")["cipher"],
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    );
    assert_eq!(by("win2022")["version"], "TLS1.3");
    assert_eq!(
        by("win2012r2+dotnet")["fix_client"],
        "win2012r2+dotnet+strongcrypto"
    );
    // The human matrix: one line per profile, the fix for each failing one.
    let out = run_tlsprobe_with(
        &["simulate", "--all-clients", &target, "--format", "human"],
        &[],
        Duration::from_secs(120),
    )
    .expect("run");
    assert_eq!(out.code, Some(2));
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("FAIL") || l.trim_start().starts_with("ok"))
        .collect();
    assert_eq!(lines.len(), 24, "{}", out.stdout);
    let r2 = lines
        .iter()
        .find(|l| l.contains(" win2008r2 "))
        .expect("win2008r2 line");
    assert!(
        r2.contains("reset") && r2.contains("fix win2008r2+kb+tls12: verified: TLS1.2"),
        "{r2}"
    );
}

#[test]
fn list_names_every_os_and_modifier() {
    let out = run_tlsprobe_with(
        &["simulate", "--list", "--format", "human"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(0));
    for name in [
        "win2008sp2",
        "win2008r2",
        "win2012",
        "win2012r2",
        "win2016",
        "win2019",
        "win2022",
        "win2025",
        "win7",
        "win8.1",
        "win10",
        "win11",
        "+kb",
        "+tls12",
        "+dotnet",
        "+strongcrypto",
        "+fixed",
    ] {
        assert!(out.stdout.contains(name), "{name} missing:\n{}", out.stdout);
    }
    assert!(out.stdout.contains("win2008r2+kb+tls12"));
    let out = run_tlsprobe_with(
        &["simulate", "--list", "--format", "json"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    let r2 = doc["os"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "win2008r2")
        .unwrap();
    assert_eq!(r2["profiles"][0]["versions"], serde_json::json!(["TLS1.0"]));
}

#[test]
fn a_bad_profile_is_a_usage_error() {
    for bad in ["win95", "win2012r2+magic", "modern+kb"] {
        let out = run_tlsprobe_with(
            &["simulate", "--client", bad, "127.0.0.1:9"],
            &[],
            Duration::from_secs(30),
        )
        .expect("run");
        assert_eq!(out.code, Some(3), "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("--client"), "{}", out.stderr);
    }
    let out =
        run_tlsprobe_with(&["simulate", "127.0.0.1:9"], &[], Duration::from_secs(30)).expect("run");
    assert_eq!(out.code, Some(3));
}

#[test]
fn an_unreachable_endpoint_is_reported_per_client() {
    let port = crate::harness::free_port().expect("port");
    let target = format!("127.0.0.1:{port}");
    let (code, doc) = simulate_json(&["--client", "win2019", &target]);
    assert_eq!(code, 2);
    assert_eq!(sim(&doc)["outcome"], "refused");
    assert!(text(&sim(&doc)["windows_errors"]).contains("10061"));
    assert_eq!(finding_ids(&doc), vec!["client-unreachable"]);
}

fn reg_fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/registry")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn registry_derived_profiles_follow_the_export() {
    let backend = OpensslServer::builder()
        .own_pki(rsa())
        .start()
        .expect("backend");
    let front = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let target = front.addr().to_string();
    // 2008 R2 as installed: TLS 1.0 only, reset; the article's values are proven to fix it.
    let defaults = reg_fixture("2008r2-defaults.reg");
    let (code, doc) = simulate_json(&["--registry", &defaults, "--os", "win2008r2", &target]);
    assert_eq!(code, 2);
    let s = sim(&doc);
    assert!(
        s["client"]
            .as_str()
            .unwrap()
            .starts_with("win2008r2 (registry: ")
    );
    assert_eq!(s["offered"]["versions"], serde_json::json!(["TLS1.0"]));
    assert_eq!(s["outcome"], "reset");
    assert_eq!(s["fix_verified"], true, "{s:#}");
    assert_eq!(s["fix_version"], "TLS1.2");
    // The fixed export as a .NET client: TLS 1.2 straight away.
    let fixed = reg_fixture("2008r2-fixed.reg");
    let (code, doc) = simulate_json(&[
        "--registry",
        &fixed,
        "--os",
        "win2008r2",
        "--dotnet",
        &target,
    ]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(sim(&doc)["version"], "TLS1.2");
    // A cipher-suite order policy replaces Schannel's list: only its four RSA suites go out.
    let policy = reg_fixture("deletions-continuations.reg");
    let (_, doc) = simulate_json(&["--registry", &policy, "--os", "win2012r2", &target]);
    let s = sim(&doc);
    assert_eq!(
        s["offered"]["ciphers"].as_array().unwrap().len(),
        4,
        "{s:#}"
    );
    assert_eq!(s["cipher"], "TLS_RSA_WITH_AES_256_CBC_SHA256");
    // Bad input is a usage error naming file and line.
    let out = run_tlsprobe_with(
        &[
            "simulate",
            "--registry",
            &reg_fixture("bad-line.reg"),
            "--os",
            "win2008r2",
            &target,
        ],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("bad-line.reg:5:"), "{}", out.stderr);
}
