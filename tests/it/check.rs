//! `tlsprobe check` against real TLS stacks and hostile servers on loopback: exact per-version
//! outcomes, highest version, negotiated suite, exit codes.

use std::net::IpAddr;
use std::time::Duration;

use serde_json::Value;

use crate::dnsd::{Dnsd, Mode};
use crate::harness::certs::{CertSpec, Pki};
use crate::harness::gnutls::GnutlsServer;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::report::{V_ALL, assert_outcomes, endpoint, per_version, proto};
use crate::harness::ssl3::{Ssl3Server, tlslite_available};
use crate::harness::{Loopback, free_port, have_tool, run_tlsprobe_with};

/// Runs `tlsprobe check ARGS --format json` and returns (exit code, document).
pub fn check_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, &[], Duration::from_secs(60)).expect("run tlsprobe");
    let code = out.code.expect("tlsprobe was killed (hang)");
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    assert_eq!(doc["schema"], "tlsprobe/v1");
    (code, doc)
}

#[test]
fn openssl_tls12_only_server_preference() {
    let pki = Pki::localhost().expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .tls1_2()
        .cipher("ECDHE+AESGCM")
        .server_pref()
        .start()
        .expect("s_server");
    let ca = pki.ca_pem();
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca.to_string_lossy()]);
    let ep = endpoint(&doc);
    assert_outcomes(
        ep,
        &per_version(["alert", "alert", "alert", "alert", "accepted", "alert"]),
    );
    assert_eq!(ep["certificate"]["trusted"], true, "{ep:#}");
    assert_eq!(proto(ep, "TLS1.0")["alert"], "protocol_version");
    assert_eq!(proto(ep, "TLS1.3")["alert"], "protocol_version");
    assert_eq!(ep["highest_version"], "TLS1.2");
    // The server imposes its own order (AES-256 first) over ours (AES-128 first) for its
    // ECDSA key.
    assert_eq!(
        ep["negotiated"]["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    );
    assert_eq!(ep["negotiated"]["version"], "TLS1.2");
    assert_eq!(
        proto(ep, "TLS1.2")["cipher_openssl"],
        "ECDHE-ECDSA-AES256-GCM-SHA384"
    );
    // Healthy: legacy versions refused is information, not a warning.
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn openssl_tls13_only() {
    let s = OpensslServer::builder()
        .tls1_3()
        .ciphersuites("TLS_CHACHA20_POLY1305_SHA256")
        .start()
        .expect("s_server");
    let (_, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    let tls12 = proto(ep, "TLS1.2");
    assert_eq!(tls12["outcome"], "alert");
    assert_eq!(tls12["alert"], "protocol_version");
    let tls13 = proto(ep, "TLS1.3");
    assert_eq!(tls13["outcome"], "accepted");
    assert_eq!(tls13["cipher"], "TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(tls13["group"], "x25519");
    assert_eq!(ep["highest_version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["cipher"], "TLS_CHACHA20_POLY1305_SHA256");
}

#[test]
fn openssl_legacy_tls10_tls11_cbc() {
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .versions("TLSv1", "TLSv1.1")
        .cipher("AES128-SHA:AES256-SHA:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    let v10 = proto(ep, "TLS1.0");
    assert_eq!(v10["outcome"], "accepted");
    assert_eq!(v10["cipher"], "TLS_RSA_WITH_AES_256_CBC_SHA");
    assert_eq!(proto(ep, "TLS1.1")["outcome"], "accepted");
    // Offered TLS 1.2 only, the server answers with its own highest version.
    let v12 = proto(ep, "TLS1.2");
    assert_eq!(v12["outcome"], "wrong_version");
    assert_eq!(v12["answered_version"], "TLS1.1");
    assert_eq!(proto(ep, "TLS1.3")["supported"], false);
    assert_eq!(ep["highest_version"], "TLS1.1");
    assert_eq!(ep["negotiated"]["version"], "TLS1.1");
    assert_eq!(ep["negotiated"]["cipher"], "TLS_RSA_WITH_AES_128_CBC_SHA");
    // Only legacy versions: critical.
    assert_eq!(code, 2, "{doc:#}");
}

#[test]
fn openssl_tls12_and_tls13() {
    let s = OpensslServer::builder().start().expect("s_server");
    let (_, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.3")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.3")["cipher"], "TLS_AES_256_GCM_SHA384");
    assert_eq!(ep["highest_version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["cipher"], "TLS_AES_256_GCM_SHA384");
    assert_eq!(ep["negotiated"]["source"], "rustls");
    assert_eq!(ep["tcp"]["outcome"], "connected");
}

#[test]
fn gnutls_priority_string() {
    if !have_tool("gnutls-serv") {
        panic!("gnutls-serv is required (scripts/install-deps.sh installs it)");
    }
    let pki = Pki::localhost().expect("pki");
    let s = GnutlsServer::builder()
        .priority(
            "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.1:-CIPHER-ALL:+AES-128-GCM:+AES-128-CBC",
        )
        .pki(&pki)
        .start()
        .expect("gnutls-serv");
    let (_, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.0")["supported"], false);
    assert_eq!(proto(ep, "TLS1.1")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.3")["supported"], false);
    assert_eq!(ep["highest_version"], "TLS1.2");
    let cipher = ep["negotiated"]["cipher"].as_str().unwrap_or("");
    assert!(cipher.contains("AES_128_GCM"), "{cipher}");
}

#[test]
fn nginx_tls12_tls13() {
    let pki = Pki::localhost().expect("pki");
    let s = NginxServer::builder()
        .protocols("TLSv1.2 TLSv1.3")
        .pki(&pki)
        .start()
        .expect("nginx");
    let (_, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    assert_outcomes(
        ep,
        &per_version(["alert", "alert", "alert", "alert", "accepted", "accepted"]),
    );
    assert_eq!(ep["highest_version"], "TLS1.3");
}

#[test]
fn resets_legacy_hellos_like_azure_front_ends() {
    let backend = OpensslServer::builder().start().expect("s_server");
    let s = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let (_, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    for v in ["SSL3.0", "TLS1.0", "TLS1.1"] {
        let p = proto(ep, v);
        assert_eq!(p["outcome"], "reset", "{v}: {p}");
        assert_eq!(p["os_error"]["name"], "ECONNRESET", "{v}: {p}");
        assert_eq!(p["os_error"]["windows_code"], 10054, "{v}: {p}");
        assert_eq!(p["os_error"]["windows_name"], "WSAECONNRESET", "{v}: {p}");
    }
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.3")["outcome"], "accepted");
    assert_eq!(ep["highest_version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["cipher"], "TLS_AES_256_GCM_SHA384");
    assert_eq!(ep["negotiated"]["source"], "rustls");
}

#[test]
fn human_output_names_10054() {
    let backend = OpensslServer::builder().tls1_2().start().expect("s_server");
    let s = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let out = run_tlsprobe_with(
        &["check", "--format", "human", &s.addr().to_string()],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    assert!(out.stdout.contains("TLS1.0  reset"), "{}", out.stdout);
    assert!(out.stdout.contains("WSAECONNRESET 10054"), "{}", out.stdout);
    assert!(out.stdout.contains("TLS1.2  accepted"), "{}", out.stdout);
}

fn every(outcome: &str) -> Vec<(&'static str, &str)> {
    V_ALL.iter().map(|v| (*v, outcome)).collect()
}

#[test]
fn silent_server_times_out() {
    let s = HostileServer::start(Scenario::Silent).expect("silent");
    let (code, doc) = check_json(&[&s.addr().to_string(), "--timeout", "1s"]);
    let ep = endpoint(&doc);
    assert_outcomes(ep, &every("timeout"));
    assert_eq!(proto(ep, "TLS1.2")["os_error"]["windows_code"], 10060);
    assert_eq!(code, 2);
}

#[test]
fn garbage_is_malformed() {
    let s = HostileServer::start(Scenario::Garbage).expect("garbage");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    assert_outcomes(ep, &every("malformed"));
    assert_eq!(code, 2);
}

#[test]
fn http_on_the_tls_port_is_malformed_http() {
    let s = HostileServer::start(Scenario::Http).expect("http");
    let (_, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    assert_outcomes(ep, &every("malformed"));
    let detail = proto(ep, "TLS1.2")["detail"].as_str().unwrap_or("");
    assert!(detail.contains("HTTP"), "{detail}");
}

#[test]
fn alert_answer_is_named() {
    let s = HostileServer::start(Scenario::Alert(40)).expect("alert");
    let (_, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    for v in ["SSL3.0", "TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3"] {
        let p = proto(ep, v);
        assert_eq!(p["outcome"], "alert", "{v}");
        assert_eq!(p["alert"], "handshake_failure", "{v}");
        assert_eq!(p["alert_code"], 40, "{v}");
    }
}

#[test]
fn closed_port_is_refused() {
    let port = free_port().expect("port");
    let (code, doc) = check_json(&[&format!("127.0.0.1:{port}")]);
    let ep = endpoint(&doc);
    assert_eq!(ep["tcp"]["outcome"], "refused");
    assert_eq!(ep["tcp"]["error"]["os_error"]["name"], "ECONNREFUSED");
    assert_eq!(ep["tcp"]["error"]["os_error"]["windows_code"], 10061);
    assert_outcomes(ep, &every("refused"));
    assert_eq!(code, 2);
}

#[test]
fn unknown_host_is_a_dns_failure() {
    let dns = Dnsd::start(&[], Mode::NxDomain);
    let (code, doc) = check_json(&["no-such-host.tlsprobe.test", "--dns-server", &dns.arg()]);
    let t = &doc["targets"][0];
    assert_eq!(t["dns"]["error"]["kind"], "no_such_host", "{t:#}");
    assert_eq!(t["endpoints"].as_array().map(Vec::len), Some(0));
    assert_eq!(code, 2);
}

#[test]
fn dns_server_failure_and_timeout_are_classified() {
    let fail = Dnsd::start(&[], Mode::ServFail);
    let (_, doc) = check_json(&["broken.tlsprobe.test", "--dns-server", &fail.arg()]);
    assert_eq!(doc["targets"][0]["dns"]["error"]["kind"], "server_failure");
    let silent = Dnsd::start(&[], Mode::Silent);
    let (_, doc) = check_json(&[
        "slow.tlsprobe.test",
        "--dns-server",
        &silent.arg(),
        "--timeout",
        "1s",
    ]);
    assert_eq!(doc["targets"][0]["dns"]["error"]["kind"], "timeout");
}

#[test]
fn every_address_of_a_name_is_probed() {
    let v4 = OpensslServer::builder().start().expect("v4");
    let port = v4.addr().port();
    // The same port on [::1], served by another stack.
    let pki = Pki::localhost().expect("pki");
    let v6 = match NginxServer::builder().ipv6().pki(&pki).start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: no IPv6 loopback here ({e})");
            return;
        }
    };
    let Some(v6addr) = v6.addr_v6() else {
        eprintln!("skipped: nginx did not listen on [::1]");
        return;
    };
    // Two addresses with different ports cannot share one target; check both through one name
    // each in a resolver of ours.
    let dns = Dnsd::start(
        &[
            ("dual.tlsprobe.test", IpAddr::from([127, 0, 0, 1])),
            ("dual.tlsprobe.test", "::1".parse().expect("v6")),
        ],
        Mode::NxDomain,
    );
    let (_, doc) = check_json(&[
        &format!("dual.tlsprobe.test:{}", v6addr.port()),
        "--dns-server",
        &dns.arg(),
    ]);
    let t = &doc["targets"][0];
    let ips: Vec<&str> = t["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .filter_map(|e| e["ip"].as_str())
        .collect();
    assert_eq!(ips, ["127.0.0.1", "::1"], "{t:#}");
    // nginx listens on both families at that port; the 127.0.0.1 one is nginx too.
    for ep in t["endpoints"].as_array().expect("endpoints") {
        assert_eq!(ep["highest_version"], "TLS1.3", "{ep:#}");
    }
    assert_eq!(t["target"]["sni"], "dual.tlsprobe.test");
    let _ = port;
    // -6 restricts to the IPv6 address.
    let (_, doc) = check_json(&[
        &format!("dual.tlsprobe.test:{}", v6addr.port()),
        "--dns-server",
        &dns.arg(),
        "-6",
    ]);
    assert_eq!(
        doc["targets"][0]["dns"]["addresses"],
        serde_json::json!(["::1"])
    );
}

#[test]
fn ipv6_literal_target() {
    let s = match OpensslServer::builder().ipv6().start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: no IPv6 loopback here ({e})");
            return;
        }
    };
    let (_, doc) = check_json(&[&format!("[::1]:{}", s.addr().port())]);
    let ep = endpoint(&doc);
    assert_eq!(ep["ip"], "::1");
    assert_eq!(ep["highest_version"], "TLS1.3");
}

#[test]
fn ssl3_accepted_by_an_ssl3_stack() {
    if !tlslite_available() {
        panic!("tlslite-ng is required (scripts/install-deps.sh installs it)");
    }
    let s = Ssl3Server::start().expect("ssl3 server");
    let (code, doc) = check_json(&[&s.addr().to_string()]);
    let ep = endpoint(&doc);
    let p = proto(ep, "SSL3.0");
    assert_eq!(p["outcome"], "accepted", "{p}");
    assert_eq!(ep["highest_version"], "SSL3.0");
    assert_eq!(code, 2);
}

#[test]
fn bad_target_is_reported_and_the_others_still_run() {
    let s = OpensslServer::builder().start().expect("s_server");
    let (code, doc) = check_json(&["bad host name", &s.target()]);
    assert_eq!(code, 3);
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["errors"][0]["input"], "bad host name");
}

#[test]
fn jsonl_streams_one_target_per_line() {
    let a = OpensslServer::builder().start().expect("a");
    let b = HostileServer::start(Scenario::CloseImmediately).expect("b");
    let out = run_tlsprobe_with(
        &[
            "check",
            "--format",
            "jsonl",
            &a.target(),
            &b.addr().to_string(),
        ],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl line"))
        .collect();
    assert_eq!(lines.len(), 2);
    let closed = lines
        .iter()
        .find(|l| l["target"]["port"] == b.addr().port())
        .expect("b");
    assert_outcomes(&closed["endpoints"][0], &every("closed"));
}

#[test]
fn targets_file_with_comments_and_stdin() {
    let s = OpensslServer::builder().start().expect("s_server");
    let dir = crate::harness::TempDir::new("targets").expect("tmp");
    let file = dir
        .write("t.txt", format!("# servers\n{}  # the one\n\n", s.target()))
        .expect("write");
    let (code, doc) = check_json(&["--targets-file", &file.to_string_lossy()]);
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(1));
    assert!(code < 3);
    let _ = Loopback::V4;
}

#[test]
fn server_requiring_sni_is_recognised() {
    let pki = Pki::generate(&CertSpec::default().sans(["sni.tlsprobe.test"])).expect("pki");
    let s = NginxServer::builder()
        .pki(&pki)
        .require_sni("sni.tlsprobe.test")
        .start()
        .expect("nginx");
    let target = format!("sni.tlsprobe.test:{}", s.port());
    let ca = pki.ca_pem();
    let ca = ca.to_string_lossy();
    // With SNI (the default for a name): served.
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1", "--ca-file", &ca]);
    let ep = endpoint(&doc);
    assert_eq!(ep["highest_version"], "TLS1.3", "{ep:#}");
    assert_eq!(code, 0, "{doc:#}");
    // Without SNI: every version refused, recognised as the missing SNI.
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1", "--no-sni"]);
    let ep = endpoint(&doc);
    let tls12 = proto(ep, "TLS1.2");
    assert_eq!(tls12["outcome"], "alert", "{tls12}");
    assert_eq!(tls12["alert"], "unrecognized_name", "{tls12}");
    let detail = tls12["detail"].as_str().unwrap_or("");
    assert!(detail.starts_with("SNI required"), "{detail}");
    let ids: Vec<&str> = doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"sni-required"), "{ids:?}");
    assert!(code >= 1);
    // A wrong name: unrecognized_name for the name that was sent.
    let (_, doc) = check_json(&[
        &target,
        "--connect-to",
        "127.0.0.1",
        "--sni",
        "other.tlsprobe.test",
    ]);
    let ids: Vec<&str> = doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"sni-unrecognized"), "{ids:?}");
}

#[test]
fn hosts_file_name_with_both_families() {
    let v4: IpAddr = [127, 0, 0, 1].into();
    let v6: IpAddr = "::1".parse().expect("v6");
    if !crate::harness::hosts_entry_present("dual.tlsprobe.test", &[v4, v6]) {
        eprintln!("skipped: /etc/hosts lacks dual.tlsprobe.test (scripts/install-deps.sh adds it)");
        return;
    }
    let pki = Pki::localhost().expect("pki");
    let s = match NginxServer::builder().ipv6().pki(&pki).start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: no IPv6 loopback here ({e})");
            return;
        }
    };
    // The resolver must answer from /etc/hosts; the DNS server given here knows nothing (and
    // keeps any query on this machine).
    let dns = Dnsd::start(&[], Mode::NxDomain);
    let (_, doc) = check_json(&[
        &format!("dual.tlsprobe.test:{}", s.port()),
        "--dns-server",
        &dns.arg(),
    ]);
    let t = &doc["targets"][0];
    let mut ips: Vec<&str> = t["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .filter_map(|e| e["ip"].as_str())
        .collect();
    ips.sort_unstable();
    assert_eq!(ips, ["127.0.0.1", "::1"], "{t:#}");
    for ep in t["endpoints"].as_array().expect("endpoints") {
        assert_eq!(ep["highest_version"], "TLS1.3", "{ep:#}");
    }
}

#[test]
fn default_format_is_json_when_piped() {
    let s = OpensslServer::builder().start().expect("s_server");
    let out =
        run_tlsprobe_with(&["check", &s.target()], &[], Duration::from_secs(60)).expect("run");
    let doc: Value = serde_json::from_str(&out.stdout).expect("piped default output is JSON");
    assert_eq!(doc["schema"], "tlsprobe/v1");
    // `explain` and `ciphers` follow the same rule.
    let out = run_tlsprobe_with(&["explain", "10054"], &[], Duration::from_secs(60)).expect("run");
    let doc: Value = serde_json::from_str(&out.stdout).expect("explain JSON");
    assert_eq!(doc["schema"], "tlsprobe/v1");
}

#[test]
fn server_requiring_a_client_certificate() {
    let pki = Pki::localhost().expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .args(["-Verify", "1"])
        .start()
        .expect("s_server");
    let ca = pki.ca_pem();
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca.to_string_lossy()]);
    let ep = endpoint(&doc);
    // The raw probes see the ServerHello (and, in TLS 1.2, the CertificateRequest).
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted");
    assert_eq!(ep["client_certificate_requested"], true, "{ep:#}");
    assert!(!ep["handshake_error"].is_null(), "{ep:#}");
    let ids: Vec<&str> = doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"client-certificate-required"), "{ids:?}");
    assert_eq!(code, 2);
}

/// `--plan lean`: the same verdict per version as the default plan, with 7 connections to a
/// TLS 1.2 + 1.3 server instead of 9; against a TLS 1.0-only server the full handshake fails,
/// so the deferred negotiation and TLS 1.3 hellos run (9 either way) and the verdict is the same.
#[test]
fn the_lean_plan_gives_the_same_verdict_with_fewer_connections() {
    use crate::harness::relay::{Front, forward};
    let modern = NginxServer::builder().start().expect("nginx");
    let legacy = OpensslServer::builder()
        .own_pki(Pki::generate(&CertSpec::default().rsa()).expect("pki"))
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server TLS 1.0");
    let verdict = |doc: &Value| -> Vec<(String, String)> {
        endpoint(doc)["protocols"]
            .as_array()
            .expect("protocols")
            .iter()
            .map(|p| {
                (
                    p["version"].as_str().unwrap_or_default().to_string(),
                    p["outcome"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    // (server, connections of the lean plan, of the default plan)
    for (backend, lean_conns, parallel_expected) in [(modern.addr(), 7, 9), (legacy.addr(), 9, 9)] {
        let front = Front::start(IpAddr::from([127, 0, 0, 1]), 0, forward(backend)).expect("front");
        let target = front.addr().to_string();
        let (code_p, parallel) = check_json(&[&target]);
        let parallel_conns = front.accepted();
        let (code_l, lean) = check_json(&[&target, "--plan", "lean"]);
        let lean_seen = front.accepted() - parallel_conns;
        assert_eq!(code_p, code_l, "{lean:#}");
        assert_eq!(verdict(&parallel), verdict(&lean), "{lean:#}");
        let ep = endpoint(&lean);
        assert_eq!(
            ep["highest_version"],
            endpoint(&parallel)["highest_version"],
            "{ep:#}"
        );
        assert_eq!(
            ep["downgrade"]["protected"],
            endpoint(&parallel)["downgrade"]["protected"],
            "{ep:#}"
        );
        assert_eq!(lean_seen, lean_conns, "{ep:#}");
        assert_eq!(parallel_conns, parallel_expected, "{ep:#}");
    }
}
