//! `tlsprobe azure-backup`: the built-in catalogue (`--list`, human and JSON, every cloud),
//! catalogue files and their errors, readiness of loopback servers listed in a test catalogue,
//! directly and through real proxies (tinyproxy, a SOCKS5 server, an intercepting proxy), and
//! the offline run against a silent local DNS port.

use std::time::Duration;

use serde_json::Value;

use crate::harness::certs::Pki;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::mitm::Mitmproxy;
use crate::harness::openssl::OpensslServer;
use crate::harness::proxy::Tinyproxy;
use crate::harness::socks::SocksServer;
use crate::harness::{RunOutput, TempDir, free_port, run_tlsprobe_with};

/// The organisation every harness CA puts in its name: the "expected issuer" of test servers.
pub const TEST_ISSUER: &str = "tlsprobe tests";

/// One `[[endpoints]]` table of a test catalogue.
pub struct Entry<'a> {
    pub host: &'a str,
    pub port: u16,
    pub purpose: &'a str,
    pub components: &'a [&'a str],
}

impl<'a> Entry<'a> {
    pub fn new(port: u16, purpose: &'a str) -> Self {
        Entry {
            host: "127.0.0.1",
            port,
            purpose,
            components: &["mars"],
        }
    }
}

/// Writes a catalogue of `entries` (cloud public, expected issuer [`TEST_ISSUER`]).
pub fn catalogue(dir: &TempDir, entries: &[Entry<'_>]) -> String {
    let mut text = format!("expected_issuers = [\"{TEST_ISSUER}\"]\n");
    for e in entries {
        let comps: Vec<String> = e.components.iter().map(|c| format!("\"{c}\"")).collect();
        text.push_str(&format!(
            "\n[[endpoints]]\nhost = \"{}\"\nport = {}\npurpose = \"{}\"\ncomponents = [{}]\ncloud = \"public\"\nrepresentative_of = \"*.test\"\nsource = \"tests/it/azure.rs\"\n",
            e.host,
            e.port,
            e.purpose,
            comps.join(", ")
        ));
    }
    dir.write("catalogue.toml", text)
        .expect("write catalogue")
        .display()
        .to_string()
}

/// Runs `tlsprobe azure-backup ARGS --format json`; returns the exit code and the document.
pub fn azure_json(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, Value, RunOutput) {
    let mut all = vec!["azure-backup", "--format", "json", "--timeout", "3s"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, env, Duration::from_secs(90)).expect("run tlsprobe");
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    (out.code, doc, out)
}

/// The target object probed for `port`.
pub fn target(doc: &Value, port: u16) -> &Value {
    doc["targets"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["target"]["port"] == port))
        .unwrap_or_else(|| panic!("no target on port {port}: {doc:#}"))
}

/// The finding IDs of a target.
pub fn ids(t: &Value) -> Vec<String> {
    t["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The readiness of a target.
pub fn readiness(t: &Value) -> &str {
    t["readiness"].as_str().unwrap_or("<none>")
}

#[test]
fn list_shows_every_cloud_in_human_and_json() {
    let out = run_tlsprobe_with(
        &["azure-backup", "--list", "--format", "human"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for needle in [
        "Azure public (public)",
        "Azure US Government (usgov)",
        "Azure China (21Vianet) (china)",
        "login.microsoftonline.com:443",
        "login.microsoftonline.us:443",
        "login.chinacloudapi.cn:443",
        "representative of *.microsoftonline.com",
        "DigiCert Global Root G2",
        "source: https://",
    ] {
        assert!(
            out.stdout.contains(needle),
            "{needle} missing:\n{}",
            out.stdout
        );
    }

    let out = run_tlsprobe_with(
        &["azure-backup", "--list", "--format", "json"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "tlsprobe/v1");
    let eps = doc["endpoints"].as_array().expect("endpoints");
    for cloud in ["public", "usgov", "china"] {
        let of: Vec<&Value> = eps.iter().filter(|e| e["cloud"] == cloud).collect();
        assert!(of.len() >= 3, "{cloud}: {of:?}");
        assert!(of.iter().any(|e| e["purpose"] == "identity"));
        for e in of {
            assert_eq!(e["port"], 443);
            assert!(e["host"].as_str().is_some_and(|h| !h.contains('*')));
            assert!(e["components"].as_array().is_some_and(|c| !c.is_empty()));
            assert!(
                e["source"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("https://"))
            );
            assert!(
                e["expected_issuers"]
                    .as_array()
                    .is_some_and(|i| i.iter().any(|i| i == "DigiCert Global Root G2"))
            );
        }
    }
    assert!(
        eps.iter()
            .any(|e| e["representative_of"] == "*.blob.core.windows.net")
    );

    // --cloud and --component filter the listing.
    let out = run_tlsprobe_with(
        &[
            "azure-backup",
            "--list",
            "--format",
            "json",
            "--cloud",
            "usgov",
            "--component",
            "workload",
        ],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    let eps = doc["endpoints"].as_array().expect("endpoints");
    assert!(!eps.is_empty());
    assert!(eps.iter().all(|e| {
        e["cloud"] == "usgov"
            && e["components"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "workload"))
    }));
}

#[test]
fn catalogue_errors_name_file_and_line_and_exit_3() {
    let dir = TempDir::new("azure-cat").expect("tmp");
    let good = "[[endpoints]]\nhost = \"127.0.0.1\"\npurpose = \"identity\"\ncomponents = [\"mars\"]\ncloud = \"public\"\n";
    let cases = [
        (good.replace("\"public\"", "\"moon\""), 5, "unknown cloud"),
        (
            good.replace("[\"mars\"]", "[\"mars\", \"dpm\"]"),
            4,
            "unknown component",
        ),
        (
            good.replace("127.0.0.1", "*.blob.core.windows.net"),
            2,
            "wildcard",
        ),
        (format!("{good}port = 0\n"), 6, "not 1-65535"),
        (
            format!("{good}\n[[endpoints]]\nhost = \"x.test\"\n"),
            7,
            "missing field",
        ),
        ("[[endpoints]\nhost = 1\n".to_string(), 1, ""),
        (format!("{good}colour = \"red\"\n"), 6, "unknown field"),
    ];
    for (i, (text, line, needle)) in cases.iter().enumerate() {
        let path = dir.write(&format!("bad{i}.toml"), text).expect("write");
        let path = path.display().to_string();
        for extra in [&["--list"][..], &[][..]] {
            let mut args = vec!["azure-backup", "--catalogue", &path];
            args.extend_from_slice(extra);
            let out = run_tlsprobe_with(&args, &[], Duration::from_secs(30)).expect("run");
            assert_eq!(out.code, Some(3), "{text}\n{}", out.stderr);
            assert!(out.stdout.is_empty(), "{}", out.stdout);
            let want = format!("{path}:{line}: ");
            assert!(
                out.stderr.contains(&want) && out.stderr.contains(needle),
                "want {want:?} and {needle:?} in: {}",
                out.stderr
            );
        }
    }
    // A missing file is an input error, exit 3 too.
    let out = run_tlsprobe_with(
        &["azure-backup", "--catalogue", "/nonexistent/cat.toml"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3));
    assert!(
        out.stderr.contains("/nonexistent/cat.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn usage_errors_exit_3() {
    for args in [
        &["azure-backup", "--cloud", "mars"][..],
        &["azure-backup", "--component", "dpm", "--list"][..],
        &["azure-backup", "login.microsoftonline.com"][..],
    ] {
        let out = run_tlsprobe_with(args, &[], Duration::from_secs(30)).expect("run");
        assert_eq!(out.code, Some(3), "{args:?}: {}", out.stderr);
    }
    // A catalogue with nothing for the chosen cloud says which clouds it has.
    let dir = TempDir::new("azure-cloud").expect("tmp");
    let path = catalogue(&dir, &[Entry::new(9, "identity")]);
    let out = run_tlsprobe_with(
        &["azure-backup", "--catalogue", &path, "--cloud", "china"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3));
    assert!(out.stderr.contains("public"), "{}", out.stderr);
}

#[test]
fn a_bad_client_profile_is_a_usage_error() {
    let out = run_tlsprobe_with(
        &[
            "azure-backup",
            "--dns-server",
            "127.0.0.1:9",
            "--client",
            "win1999",
        ],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn full_runs_the_scan_on_every_catalogue_endpoint() {
    use crate::harness::certs::CertSpec;
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("rsa pki");
    let server = OpensslServer::builder()
        .own_pki(rsa)
        .tls1_2()
        .cipher("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384")
        .start()
        .expect("s_server 1.2");
    let dir = TempDir::new("azure-full").expect("tmp");
    let path = catalogue(&dir, &[Entry::new(server.port(), "identity")]);
    let (code, doc, out) = azure_json(&["--catalogue", &path, "--full"], &[]);
    assert!(matches!(code, Some(0..=2)), "{}", out.stderr);
    crate::schema::validate(&out.stdout, &dir);
    let t = target(&doc, server.port());
    assert!(
        ["ready", "at_risk", "blocked"].contains(&readiness(t)),
        "{t:#}"
    );
    assert_eq!(t["catalogue"]["purpose"], "identity", "{t:#}");
    let ep = &t["endpoints"][0];
    assert!(ep["scan"]["connections"].as_u64().is_some(), "{ep:#}");
    let tls12 = ep["protocols"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["version"] == "TLS1.2"))
        .expect("TLS1.2 entry");
    let mut ciphers: Vec<&str> = tls12["ciphers"]
        .as_array()
        .expect("scan lists the suites")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    ciphers.sort_unstable();
    assert_eq!(
        ciphers,
        [
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        ],
        "{tls12:#}"
    );
}

#[test]
fn client_simulation_per_endpoint() {
    use crate::harness::certs::CertSpec;
    let modern = OpensslServer::builder()
        .tls1_2()
        .start()
        .expect("s_server 1.2");
    let tls13 = OpensslServer::builder()
        .tls1_3()
        .start()
        .expect("s_server 1.3");
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("rsa pki");
    let legacy = OpensslServer::builder()
        .own_pki(rsa)
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server 1.0");
    let dir = TempDir::new("azure-client").expect("tmp");
    let path = catalogue(
        &dir,
        &[
            Entry::new(modern.port(), "identity"),
            Entry::new(tls13.port(), "storage"),
        ],
    );
    // Windows Server 2012 R2 as installed: ECDHE_ECDSA GCM over TLS 1.2 works; TLS 1.3 only
    // does not (the simulation checks no certificate: the client's outcome decides).
    let (code, doc, out) = azure_json(&["--catalogue", &path, "--client", "win2012r2"], &[]);
    assert_eq!(code, Some(2), "{}", out.stderr);
    crate::schema::validate(&out.stdout, &dir);
    let t = target(&doc, modern.port());
    assert_eq!(t["endpoints"][0]["simulation"]["client"], "win2012r2");
    assert_eq!(readiness(t), "ready", "{t:#}");
    assert!(
        t["readiness_reason"]
            .as_str()
            .is_some_and(|r| r.contains("win2012r2 negotiates TLS1.2")),
        "{t:#}"
    );
    let t = target(&doc, tls13.port());
    assert_eq!(readiness(t), "blocked");
    assert_eq!(ids(t), ["client-no-shared-version"], "{t:#}");

    // Windows Server 2008 R2 as installed still gets TLS 1.0 from a legacy server: at risk.
    let path = catalogue(&dir, &[Entry::new(legacy.port(), "identity")]);
    let (code, doc, _) = azure_json(&["--catalogue", &path, "--client", "win2008r2"], &[]);
    assert_eq!(code, Some(1), "{doc:#}");
    let t = target(&doc, legacy.port());
    assert_eq!(ids(t), ["client-legacy-version"], "{t:#}");
    assert_eq!(readiness(t), "at_risk");
}

#[test]
fn readiness_of_loopback_servers() {
    let pki = Pki::localhost().expect("pki");
    let ready = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    // TLS 1.0 still accepted next to 1.2: it works, but the legacy versions are a warning.
    let legacy = OpensslServer::builder()
        .pki(&pki)
        .versions("TLSv1", "TLSv1.2")
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server legacy");
    // TLS 1.0 only: no TLS 1.2 at all.
    let old = OpensslServer::builder()
        .pki(&pki)
        .versions("TLSv1", "TLSv1")
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server 1.0");
    let closed = free_port().expect("port");
    let dir = TempDir::new("azure-ready").expect("tmp");
    let path = catalogue(
        &dir,
        &[
            Entry::new(ready.port(), "identity"),
            Entry::new(legacy.port(), "identity"),
            Entry::new(old.port(), "storage"),
            Entry {
                components: &["vm", "workload"],
                ..Entry::new(closed, "service")
            },
        ],
    );
    let ca = pki.ca_pem().display().to_string();
    let (code, doc, out) = azure_json(&["--catalogue", &path, "--ca-file", &ca], &[]);
    assert_eq!(code, Some(2), "{}", out.stderr);
    assert_eq!(doc["command"], "azure-backup");
    crate::schema::validate(&out.stdout, &dir);

    let t = target(&doc, ready.port());
    assert_eq!(readiness(t), "ready", "{t:#}");
    assert_eq!(t["catalogue"]["purpose"], "identity");
    assert_eq!(t["catalogue"]["cloud"], "public");
    assert_eq!(t["catalogue"]["components"], serde_json::json!(["mars"]));
    assert_eq!(t["catalogue"]["representative_of"], "*.test");
    assert!(
        t["readiness_reason"]
            .as_str()
            .is_some_and(|r| r.contains("TLS1.3"))
    );

    let t = target(&doc, legacy.port());
    assert_eq!(readiness(t), "at_risk", "{t:#}");
    assert!(
        ids(t).contains(&"legacy-tls-accepted".to_string()),
        "{:?}",
        ids(t)
    );
    assert_eq!(t["readiness_finding"], "legacy-tls-accepted");

    let t = target(&doc, old.port());
    assert_eq!(readiness(t), "blocked", "{t:#}");
    assert!(
        ids(t).contains(&"tls12-not-supported".to_string()),
        "{:?}",
        ids(t)
    );

    let t = target(&doc, closed);
    assert_eq!(readiness(t), "blocked");
    assert_eq!(ids(t), ["tcp-refused"]);
    assert_eq!(
        t["catalogue"]["components"],
        serde_json::json!(["vm", "workload"])
    );

    // The document's per-purpose summary: the worst endpoint decides.
    let s = &doc["readiness"];
    assert_eq!(s["overall"], "blocked", "{s:#}");
    assert_eq!(s["cloud"], "public");
    assert_eq!(
        (
            s["ready"].as_u64(),
            s["at_risk"].as_u64(),
            s["blocked"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    let purposes = s["purposes"].as_array().expect("purposes");
    let names: Vec<&str> = purposes
        .iter()
        .filter_map(|p| p["purpose"].as_str())
        .collect();
    assert_eq!(names, ["identity", "storage", "service"]);
    assert_eq!(purposes[0]["readiness"], "at_risk");
    assert_eq!(purposes[0]["endpoints"].as_array().map(Vec::len), Some(2));
    assert_eq!(purposes[1]["readiness"], "blocked");
    assert_eq!(purposes[2]["readiness"], "blocked");

    // Selecting components: only the closed port serves vm; it is blocked, so exit 2.
    let (code, doc, _) = azure_json(
        &["--catalogue", &path, "--ca-file", &ca, "--component", "vm"],
        &[],
    );
    assert_eq!(code, Some(2));
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(1));
    // Only the ready server: exit 0; at risk: exit 1.
    let path = catalogue(&dir, &[Entry::new(ready.port(), "identity")]);
    let (code, doc, _) = azure_json(&["--catalogue", &path, "--ca-file", &ca], &[]);
    assert_eq!(code, Some(0), "{doc:#}");
    assert_eq!(doc["readiness"]["overall"], "ready");
    let path = catalogue(&dir, &[Entry::new(legacy.port(), "identity")]);
    let (code, _, _) = azure_json(&["--catalogue", &path, "--ca-file", &ca], &[]);
    assert_eq!(code, Some(1));

    // Human output: the readiness line per target and the summary at the end.
    let path = catalogue(
        &dir,
        &[
            Entry::new(ready.port(), "identity"),
            Entry::new(closed, "storage"),
        ],
    );
    let out = run_tlsprobe_with(
        &[
            "azure-backup",
            "--format",
            "human",
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
        ],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for needle in [
        "azure-backup: READY  identity (mars; public, representative of *.test)",
        "azure-backup: BLOCKED  storage",
        "Azure Backup readiness  BLOCKED",
        "1 ready, 0 at risk, 1 blocked",
    ] {
        assert!(out.stdout.contains(needle), "{needle}:\n{}", out.stdout);
    }
    // The verdict comes first, then each endpoint's details and fixes.
    let summary_at = out.stdout.find("Azure Backup readiness");
    let details_at = out.stdout.find("azure-backup: READY");
    assert!(summary_at < details_at, "{}", out.stdout);
}

#[test]
fn offline_run_of_the_builtin_catalogue_ends_within_the_timeout() {
    // A bound UDP port that never answers: the resolver waits, like a machine without DNS.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp");
    let dns = silent.local_addr().expect("addr").to_string();
    for cloud in ["public", "usgov", "china"] {
        // A hang check, not a benchmark: the run is killed if it takes several times its
        // 2 s timeout (every endpoint is resolved concurrently, so one timeout is enough).
        let out = run_tlsprobe_with(
            &[
                "azure-backup",
                "--format",
                "json",
                "--cloud",
                cloud,
                "--dns-server",
                &dns,
                "--timeout",
                "2s",
            ],
            &[],
            Duration::from_secs(15),
        )
        .expect("run");
        assert!(!out.timed_out, "{cloud}: still running after 15 s");
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        let doc: Value = serde_json::from_str(&out.stdout).expect("json");
        let targets = doc["targets"].as_array().expect("targets");
        assert!(targets.len() >= 3);
        for t in targets {
            assert_eq!(readiness(t), "blocked", "{t:#}");
            assert_eq!(t["dns"]["error"]["kind"], "timeout", "{t:#}");
            assert_eq!(ids(t), ["dns-timeout"]);
            assert_eq!(t["catalogue"]["cloud"], cloud);
        }
        assert_eq!(doc["readiness"]["overall"], "blocked");
    }
}

/// A PKI shared by the servers of a test, and its CA file for --ca-file.
fn servers_pki() -> (Pki, String) {
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().display().to_string();
    (pki, ca)
}

fn proxy_of(t: &Value) -> &Value {
    &t["endpoints"][0]["proxy"]
}

fn summary_of(t: &Value, id: &str) -> String {
    t["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["id"] == id))
        .and_then(|f| f["summary"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn through_tinyproxy_with_and_without_basic_auth() {
    let (pki, ca) = servers_pki();
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let closed = free_port().expect("port");
    let dir = TempDir::new("azure-tinyproxy").expect("tmp");
    let path = catalogue(
        &dir,
        &[
            Entry::new(s.port(), "identity"),
            Entry::new(closed, "storage"),
        ],
    );

    let open = Tinyproxy::builder().start().expect("tinyproxy");
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--proxy",
            &open.url(None),
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{}", out.stderr);
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "ready", "{t:#}");
    assert_eq!(t["dns"]["source"], "proxy");
    assert_eq!(proxy_of(t)["outcome"], "connected");
    assert_eq!(t["endpoints"][0]["negotiated"]["source"], "rustls");
    // Behind the proxy the closed port is the proxy's failure to connect, not ours.
    let t = target(&doc, closed);
    assert_eq!(readiness(t), "blocked", "{t:#}");
    assert!(
        ids(t).iter().all(|i| i.starts_with("proxy-")),
        "{:?}",
        ids(t)
    );
    let notes = doc["readiness"]["notes"].to_string();
    assert!(
        notes.contains("per-address results are not possible"),
        "{notes}"
    );

    let auth = Tinyproxy::builder()
        .basic_auth("backup", "s3cret")
        .start()
        .expect("tinyproxy auth");
    let good = auth.url(Some(("backup", "s3cret")));
    let (_, doc, _) = azure_json(
        &["--catalogue", &path, "--ca-file", &ca, "--proxy", &good],
        &[],
    );
    assert_eq!(readiness(target(&doc, s.port())), "ready");
    assert!(
        !doc.to_string().contains("s3cret"),
        "credentials never appear in reports"
    );
    for url in [auth.url(Some(("backup", "wrong"))), auth.url(None)] {
        let (code, doc, _) = azure_json(
            &["--catalogue", &path, "--ca-file", &ca, "--proxy", &url],
            &[],
        );
        assert_eq!(code, Some(2));
        for port in [s.port(), closed] {
            let t = target(&doc, port);
            assert_eq!(readiness(t), "blocked");
            assert_eq!(ids(t), ["proxy-auth-required"], "{t:#}");
            assert_eq!(t["readiness_finding"], "proxy-auth-required");
        }
    }
}

#[test]
fn a_proxy_that_denies_the_destination_blocks_it() {
    let (pki, ca) = servers_pki();
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let dir = TempDir::new("azure-deny").expect("tmp");
    let path = catalogue(&dir, &[Entry::new(s.port(), "identity")]);
    // tinyproxy allows CONNECT to 443 only: 403 for the test port.
    let http = Tinyproxy::builder()
        .connect_ports(&[443])
        .start()
        .expect("tinyproxy");
    let (code, doc, _) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--proxy",
            &http.url(None),
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "blocked");
    assert_eq!(ids(t), ["proxy-refused"], "{t:#}");
    assert!(summary_of(t, "proxy-refused").contains("HTTP 403"), "{t:#}");

    // Dante's ruleset blocks the port: SOCKS5 reply 2.
    let socks = SocksServer::dante_blocking(&[s.port()]).expect("danted");
    for scheme in ["socks5", "socks5h"] {
        let (code, doc, out) = azure_json(
            &[
                "--catalogue",
                &path,
                "--ca-file",
                &ca,
                "--proxy",
                &socks.url(scheme, None),
            ],
            &[],
        );
        assert_eq!(code, Some(2), "{}", out.stderr);
        let t = target(&doc, s.port());
        assert_eq!(readiness(t), "blocked");
        assert_eq!(ids(t), ["proxy-refused"], "{t:#}");
        let p = proxy_of(t);
        assert_eq!(p["outcome"], "refused");
        assert_eq!(p["socks_reply"], 2);
        assert_eq!(p["url"], socks.url(scheme, None));
        assert!(
            summary_of(t, "proxy-refused")
                .contains("SOCKS5 reply 2: connection not allowed by ruleset"),
            "{t:#}"
        );
        // Every probe went through the proxy: none reached the server.
        let ep = &t["endpoints"][0];
        assert!(
            ep["protocols"]
                .as_array()
                .is_some_and(|ps| ps.iter().all(|p| p["outcome"] == "refused")),
            "{ep:#}"
        );
        assert!(ep["certificate"].is_null());
    }
}

#[test]
fn through_socks5_with_and_without_auth() {
    let (pki, ca) = servers_pki();
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let closed = free_port().expect("port");
    let dir = TempDir::new("azure-socks").expect("tmp");
    let by_ip = catalogue(
        &dir,
        &[
            Entry::new(s.port(), "identity"),
            Entry::new(closed, "storage"),
        ],
    );

    let open = SocksServer::microsocks(None).expect("microsocks");
    // socks5h: the proxy resolves (here: is handed) the name; one endpoint, no per-IP results.
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &by_ip,
            "--ca-file",
            &ca,
            "--proxy",
            &open.url("socks5h", None),
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{}", out.stderr);
    crate::schema::validate(&out.stdout, &dir);
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "ready", "{t:#}");
    assert_eq!(t["dns"]["source"], "proxy");
    assert_eq!(proxy_of(t)["outcome"], "connected");
    let ep = &t["endpoints"][0];
    assert_eq!(
        ep["negotiated"]["source"], "rustls",
        "the full handshake went through SOCKS"
    );
    assert_eq!(ep["certificate"]["trusted"], true);
    assert!(
        doc["readiness"]["notes"]
            .to_string()
            .contains("per-address results are not possible")
    );
    // The destination refused the proxy's connect: reply 5, reported with its code.
    let t = target(&doc, closed);
    assert_eq!(readiness(t), "blocked");
    assert_eq!(ids(t), ["proxy-error"], "{t:#}");
    assert_eq!(proxy_of(t)["socks_reply"], 5);
    assert!(
        summary_of(t, "proxy-error").contains("SOCKS5 reply 5: connection refused"),
        "{t:#}"
    );

    // socks5: this machine resolves the name (localhost, IPv4 only here) and tunnels per address.
    let nxdomain = crate::dnsd::Dnsd::start(&[], crate::dnsd::Mode::NxDomain);
    let by_name = dir
        .write(
            "by-name.toml",
            format!(
                "[[endpoints]]\nhost = \"localhost\"\nport = {}\npurpose = \"identity\"\ncomponents = [\"mars\"]\ncloud = \"public\"\nexpected_issuers = [\"{TEST_ISSUER}\"]\n",
                s.port()
            ),
        )
        .expect("write")
        .display()
        .to_string();
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &by_name,
            "--ca-file",
            &ca,
            "-4",
            "--proxy",
            &open.url("socks5", None),
            // localhost comes from /etc/hosts; any other name would only reach this responder.
            "--dns-server",
            &nxdomain.arg(),
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{}\n{doc:#}", out.stderr);
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "ready", "{t:#}");
    assert_eq!(t["dns"]["source"], "resolver");
    assert_eq!(t["endpoints"][0]["ip"], "127.0.0.1");
    assert_eq!(proxy_of(t)["url"], open.url("socks5", None));
    assert!(
        !doc["readiness"]["notes"]
            .to_string()
            .contains("not possible")
    );

    // RFC 1929 username/password.
    let auth = SocksServer::microsocks(Some(("backup", "s3cret"))).expect("microsocks auth");
    let (code, doc, _) = azure_json(
        &[
            "--catalogue",
            &by_ip,
            "--ca-file",
            &ca,
            "--proxy",
            &auth.url("socks5", Some(("backup", "s3cret"))),
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    assert_eq!(readiness(target(&doc, s.port())), "ready");
    assert!(!doc.to_string().contains("s3cret"));
    for creds in [Some(("backup", "wrong")), None] {
        let (code, doc, _) = azure_json(
            &[
                "--catalogue",
                &by_ip,
                "--ca-file",
                &ca,
                "--proxy",
                &auth.url("socks5", creds),
            ],
            &[],
        );
        assert_eq!(code, Some(2));
        let t = target(&doc, s.port());
        assert_eq!(readiness(t), "blocked");
        assert_eq!(ids(t), ["proxy-auth-required"], "{creds:?}: {t:#}");
        assert_eq!(proxy_of(t)["outcome"], "auth_required");
        assert!(summary_of(t, "proxy-auth-required").contains("SOCKS5 authentication refused"));
    }

    // ALL_PROXY, like curl.
    let (_, doc, _) = azure_json(
        &["--catalogue", &by_ip, "--ca-file", &ca],
        &[("ALL_PROXY", &open.url("socks5h", None))],
    );
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "ready");
    assert_eq!(proxy_of(t)["url"], open.url("socks5h", None));

    // Something that is not a SOCKS proxy at the proxy address, and one that never answers.
    let http = HostileServer::start(Scenario::Http).expect("http");
    let silent = HostileServer::start(Scenario::Silent).expect("silent");
    for (server, outcome) in [(&http, "error"), (&silent, "timeout")] {
        let (code, doc, _) = azure_json(
            &[
                "--catalogue",
                &by_ip,
                "--proxy",
                &format!("socks5://{}", server.addr()),
            ],
            &[],
        );
        assert_eq!(code, Some(2));
        let t = target(&doc, s.port());
        assert_eq!(proxy_of(t)["outcome"], outcome, "{t:#}");
        assert_eq!(ids(t), ["proxy-error"], "{t:#}");
        assert_eq!(readiness(t), "blocked");
    }

    // A SOCKS proxy that is not there.
    let dead = free_port().expect("port");
    let (_, doc, _) = azure_json(
        &[
            "--catalogue",
            &by_ip,
            "--proxy",
            &format!("socks5://127.0.0.1:{dead}"),
        ],
        &[],
    );
    let t = target(&doc, s.port());
    assert_eq!(ids(t), ["proxy-unreachable"], "{t:#}");
    assert_eq!(readiness(t), "blocked");
}

#[test]
fn an_intercepting_proxy_is_tls_interception_naming_its_issuer() {
    let (pki, ca) = servers_pki();
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let dir = TempDir::new("azure-mitm").expect("tmp");
    let path = catalogue(&dir, &[Entry::new(s.port(), "identity")]);

    // Directly, the chain leads to the expected issuer: ready, not intercepted.
    let (code, doc, _) = azure_json(&["--catalogue", &path, "--ca-file", &ca], &[]);
    assert_eq!(code, Some(0), "{doc:#}");
    let t = target(&doc, s.port());
    assert_eq!(readiness(t), "ready");
    assert_eq!(
        t["endpoints"][0]["certificate"]["intercepted"], false,
        "{t:#}"
    );

    // mitmproxy re-signing with a CA no product list knows: only the catalogue's expected
    // issuers reveal it.
    let mitm = Mitmproxy::start_with_ca("Contoso Egress Inspection CA").expect("mitmdump");
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--proxy",
            &mitm.url(),
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{}", out.stderr);
    crate::schema::validate(&out.stdout, &dir);
    let t = target(&doc, s.port());
    assert_eq!(proxy_of(t)["outcome"], "connected");
    let cert = &t["endpoints"][0]["certificate"];
    assert_eq!(cert["intercepted"], true, "{t:#}");
    assert_eq!(cert["trusted"], false);
    let evidence = cert["interception_evidence"].to_string();
    assert!(
        evidence.contains("Contoso Egress Inspection CA") && evidence.contains(TEST_ISSUER),
        "the evidence names the proxy's issuer and the expected ones: {evidence}"
    );
    assert!(
        ids(t).contains(&"tls-interception".to_string()),
        "{:?}",
        ids(t)
    );
    let summary = summary_of(t, "tls-interception");
    assert!(
        summary.contains("Contoso Egress Inspection CA"),
        "{summary}"
    );
    assert_eq!(readiness(t), "blocked");
    assert_eq!(t["readiness_finding"], "tls-interception");
    assert!(
        t["readiness_reason"]
            .as_str()
            .is_some_and(|r| r.contains("does not trust")),
        "{t:#}"
    );

    // With the inspection CA installed (as on managed machines): it works, but at risk.
    let mitm_ca = mitm.ca_pem().display().to_string();
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--ca-file",
            &mitm_ca,
            "--proxy",
            &mitm.url(),
        ],
        &[],
    );
    assert_eq!(code, Some(1), "{}\n{doc:#}", out.stderr);
    let t = target(&doc, s.port());
    let cert = &t["endpoints"][0]["certificate"];
    assert_eq!(cert["trusted"], true, "{t:#}");
    assert_eq!(cert["intercepted"], true);
    assert!(summary_of(t, "tls-interception").contains("Contoso Egress Inspection CA"));
    assert_eq!(readiness(t), "at_risk", "{t:#}");
    assert_eq!(doc["readiness"]["overall"], "at_risk");

    // The same interception behind mitmproxy's SOCKS5 mode: the rustls handshake went through
    // the SOCKS tunnel too.
    let socks =
        Mitmproxy::start_socks_with_ca("Contoso Egress Inspection CA").expect("mitmdump socks5");
    let (code, doc, out) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--proxy",
            &socks.url(),
        ],
        &[],
    );
    assert_eq!(code, Some(2), "{}", out.stderr);
    let t = target(&doc, s.port());
    assert_eq!(proxy_of(t)["url"], socks.url());
    assert_eq!(
        t["endpoints"][0]["certificate"]["source"], "rustls",
        "{t:#}"
    );
    assert!(
        summary_of(t, "tls-interception").contains("Contoso Egress Inspection CA"),
        "{t:#}"
    );
    assert_eq!(readiness(t), "blocked");

    // mitmproxy's own CA ("CN=mitmproxy") is also known by name.
    let stock = Mitmproxy::start().expect("mitmdump");
    let (code, doc, _) = azure_json(
        &[
            "--catalogue",
            &path,
            "--ca-file",
            &ca,
            "--proxy",
            &stock.url(),
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    let t = target(&doc, s.port());
    assert!(
        summary_of(t, "tls-interception").contains("mitmproxy"),
        "{t:#}"
    );
    assert_eq!(readiness(t), "blocked");
}

#[test]
fn offline_answers_are_a_dns_finding_per_endpoint() {
    use crate::dnsd::{Dnsd, Mode};
    for (mode, kind, id) in [
        (Mode::NxDomain, "no_such_host", "dns-no-such-host"),
        (Mode::ServFail, "server_failure", "dns-server-failure"),
    ] {
        let dns = Dnsd::start(&[], mode);
        let (code, doc, out) = azure_json(&["--dns-server", &dns.arg()], &[]);
        assert_eq!(code, Some(2), "{}", out.stderr);
        let targets = doc["targets"].as_array().expect("targets");
        assert!(targets.len() >= 3);
        for t in targets {
            assert_eq!(t["dns"]["error"]["kind"], kind, "{t:#}");
            assert_eq!(ids(t), [id]);
            assert_eq!(readiness(t), "blocked");
            assert_eq!(t["readiness_finding"], id);
        }
        let purposes = doc["readiness"]["purposes"].as_array().expect("purposes");
        assert!(purposes.iter().all(|p| p["readiness"] == "blocked"));
    }
    // Behind a proxy that is not there, nothing is resolved here: a proxy finding per endpoint.
    let dead = free_port().expect("port");
    let (code, doc, _) = azure_json(
        &[
            "--proxy",
            &format!("socks5h://127.0.0.1:{dead}"),
            "--cloud",
            "china",
        ],
        &[],
    );
    assert_eq!(code, Some(2));
    for t in doc["targets"].as_array().expect("targets") {
        assert_eq!(ids(t), ["proxy-unreachable"], "{t:#}");
        assert_eq!(readiness(t), "blocked");
    }
}
