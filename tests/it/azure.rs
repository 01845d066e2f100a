//! `tlsprobe azure-backup`: the built-in catalogue (`--list`, human and JSON, every cloud),
//! catalogue files and their errors, readiness of loopback servers listed in a test catalogue,
//! directly and through real proxies (tinyproxy, a SOCKS5 server, an intercepting proxy), and
//! the offline run against a silent local DNS port.

use std::time::Duration;

use serde_json::Value;

use crate::harness::certs::Pki;
use crate::harness::openssl::OpensslServer;
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
fn full_and_client_are_clear_usage_errors_until_scan_and_simulate_exist() {
    for extra in [&["--full"][..], &["--client", "win2012r2"][..]] {
        let mut args = vec!["azure-backup", "--dns-server", "127.0.0.1:9"];
        args.extend_from_slice(extra);
        let out = run_tlsprobe_with(&args, &[], Duration::from_secs(30)).expect("run");
        assert_eq!(out.code, Some(3), "{}", out.stderr);
        assert!(out.stderr.contains("not available"), "{}", out.stderr);
    }
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
