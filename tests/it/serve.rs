//! `tlsprobe serve`: a real Prometheus (Debian's `prometheus`) scrapes /probe for loopback TLS
//! servers; the allowlist and the deny list (also after DNS, via the in-test DNS server) answer
//! 403; 500 concurrent probe requests are all answered with bounded memory and no descriptor
//! leak.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::dnsd::{Dnsd, Mode};
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::process::{Readiness, ServerProcess, start_with_retry};
use crate::harness::{Loopback, TempDir, require_tool, tlsprobe_bin};

/// A running `tlsprobe serve`, killed on drop.
pub struct Serve {
    pub addr: SocketAddr,
    pub process: ServerProcess,
}

/// Starts `tlsprobe serve --listen 127.0.0.1:PORT ARGS...` and waits for its banner.
pub fn start_serve(args: &[&str]) -> Serve {
    let (process, port) = start_with_retry("tlsprobe serve", Loopback::V4, |port| {
        let mut cmd = Command::new(tlsprobe_bin());
        cmd.arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(args);
        Ok((cmd, Readiness::Line("listening on")))
    })
    .expect("tlsprobe serve starts");
    Serve {
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        process,
    }
}

/// One HTTP/1.1 GET with `Connection: close`: (status, body).
pub fn http_get(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, timeout)?;
    s.set_read_timeout(Some(timeout))?;
    s.set_write_timeout(Some(timeout))?;
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    let mut buf = Vec::new();
    s.take(8 * 1024 * 1024).read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn fd_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The value of `metric{labels}` in OpenMetrics text, when present.
fn sample(body: &str, series: &str) -> Option<f64> {
    body.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[test]
fn probe_answers_blackbox_style_metrics_and_refuses_what_it_must() {
    let tls12 = OpensslServer::builder().tls1_2().start().expect("s_server");
    let dns = Dnsd::start(
        &[
            ("meta.tlsprobe.test", IpAddr::from([169, 254, 169, 254])),
            ("ok.tlsprobe.test", IpAddr::from([127, 0, 0, 1])),
        ],
        Mode::NxDomain,
    );
    let serve = start_serve(&[
        "--allow",
        "127.0.0.0/8",
        "--allow",
        "*.tlsprobe.test",
        "--dns-server",
        &dns.arg(),
        "--timeout",
        "2s",
    ]);
    let t = Duration::from_secs(20);
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}", tls12.target()),
        &[("X-Prometheus-Scrape-Timeout-Seconds", "10")],
        t,
    )
    .expect("probe");
    assert_eq!(code, 200, "{body}");
    assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");
    assert_eq!(
        sample(&body, "probe_tls_version_info{version=\"TLS 1.2\"}"),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "probe_tls_version_supported{version=\"TLS 1.3\"}"),
        Some(0.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "probe_tls_downgrade_protected"),
        Some(1.0),
        "{body}"
    );
    assert!(
        sample(&body, "probe_ssl_earliest_cert_expiry").is_some_and(|v| v > 1.7e9),
        "{body}"
    );
    assert!(
        body.contains("probe_tls_cipher_info{version=\"TLS 1.2\",cipher=\"TLS_"),
        "{body}"
    );
    assert!(body.contains("probe_tls_finding{id="), "{body}");
    assert!(
        body.contains("probe_tls_phase_duration_seconds{phase=\"connect\"}"),
        "{body}"
    );
    assert!(body.trim_end().ends_with("# EOF"), "{body}");

    // A name on the allowlist probes like an address.
    let port = tls12.port();
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target=ok.tlsprobe.test:{port}"),
        &[],
        t,
    )
    .expect("probe by name");
    assert_eq!(code, 200, "{body}");
    assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");

    // Off the allowlist.
    let (code, body) = http_get(serve.addr, "/probe?target=10.9.8.7:443", &[], t).expect("403");
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("not on the allowlist"), "{body}");
    let (code, body) = http_get(serve.addr, "/probe?target=evil.example:443", &[], t).expect("403");
    assert_eq!(code, 403, "{body}");
    // Allowed name, denied address: DNS cannot send a probe to the metadata service.
    let (code, body) =
        http_get(serve.addr, "/probe?target=meta.tlsprobe.test:80", &[], t).expect("403");
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("169.254.169.254"), "{body}");
    assert!(body.contains("169.254.0.0/16"), "{body}");
    // No probe without a target; module=scan enumerates the suites; unknown modules and
    // paths are refused.
    let (code, body) = http_get(serve.addr, "/probe", &[], t).expect("400");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("missing target"), "{body}");
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}&module=scan", tls12.target()),
        &[],
        t,
    )
    .expect("scan");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("probe_success 1"), "{body}");
    assert!(body.contains("probe_tls_cipher_info{"), "{body}");
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}&module=nope", tls12.target()),
        &[],
        t,
    )
    .expect("400");
    assert_eq!(code, 400, "{body}");
    assert!(body.contains("unknown module"), "{body}");
    let (code, _) = http_get(serve.addr, "/nothing", &[], t).expect("404");
    assert_eq!(code, 404);
    let long = format!("/probe?target={}", "a".repeat(5000));
    let (code, _) = http_get(serve.addr, &long, &[], t).expect("414");
    assert!(code == 414 || code == 431, "{code}");
    let (code, body) = http_get(serve.addr, "/-/healthy", &[], t).expect("healthy");
    assert_eq!((code, body.trim()), (200, "Healthy"));
    let (code, body) = http_get(serve.addr, "/metrics", &[], t).expect("metrics");
    assert_eq!(code, 200);
    assert_eq!(
        sample(&body, "tlsprobe_probes_total{module=\"check\"}"),
        Some(2.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "tlsprobe_requests_rejected_total{reason=\"denied\"}"),
        Some(1.0),
        "{body}"
    );
    assert!(
        body.contains("tlsprobe_probe_duration_seconds_bucket"),
        "{body}"
    );
}

#[test]
fn serve_refuses_to_start_without_an_allowlist() {
    let out =
        crate::harness::run_tlsprobe_with(&["serve"], &[], Duration::from_secs(20)).expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("--allow"), "{}", out.stderr);
    let out = crate::harness::run_tlsprobe_with(
        &["serve", "--allow", "*", "--listen", "nonsense"],
        &[],
        Duration::from_secs(20),
    )
    .expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
}

#[test]
fn config_file_errors_name_the_line() {
    let dir = TempDir::new("serve-config").expect("tmp");
    let cfg = dir
        .write("serve.toml", "allow = [\"*\"]\nmax_probes = \"many\"\n")
        .expect("write");
    let out = crate::harness::run_tlsprobe_with(
        &["serve", "--config", cfg.to_str().expect("utf-8")],
        &[],
        Duration::from_secs(20),
    )
    .expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("serve.toml"), "{}", out.stderr);
    assert!(out.stderr.contains("line 2"), "{}", out.stderr);
}

#[test]
fn five_hundred_concurrent_probes_are_all_answered_without_leaks() {
    let nginx = NginxServer::builder().start().expect("nginx");
    let serve = start_serve(&[
        "--allow",
        "127.0.0.1",
        "--max-probes",
        "8",
        "--max-queue",
        "64",
        "--timeout",
        "3s",
    ]);
    let pid = serve.process.pid();
    let target = format!("/probe?target={}", nginx.addr());
    let t = Duration::from_secs(60);
    // Warm up (resolver, trust store, runtime threads), then measure.
    let (code, body) = http_get(serve.addr, &target, &[], t).expect("warm-up");
    assert_eq!(code, 200, "{body}");
    std::thread::sleep(Duration::from_millis(300));
    let fds_before = fd_count(pid);
    assert!(fds_before > 0, "cannot read /proc/{pid}/fd");

    let n = 500;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let barrier = barrier.clone();
            let target = target.clone();
            let addr = serve.addr;
            std::thread::spawn(move || {
                barrier.wait();
                http_get(
                    addr,
                    &target,
                    &[("X-Prometheus-Scrape-Timeout-Seconds", "20")],
                    t,
                )
            })
        })
        .collect();
    let mut codes = std::collections::BTreeMap::<u16, usize>::new();
    for h in handles {
        let (code, body) = h
            .join()
            .expect("thread")
            .expect("every request is answered");
        if code == 200 {
            assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");
        }
        *codes.entry(code).or_default() += 1;
    }
    // By design: up to 8 probes run, 64 wait, the rest are told 429 at once; a waiting request
    // whose scrape deadline passes gets 503. Nothing else, and nothing unanswered.
    assert_eq!(codes.values().sum::<usize>(), n, "{codes:?}");
    assert!(
        codes.keys().all(|c| [200, 429, 503].contains(c)),
        "{codes:?}"
    );
    assert!(codes.get(&200).copied().unwrap_or(0) > 8, "{codes:?}");
    assert!(codes.get(&429).copied().unwrap_or(0) >= 1, "{codes:?}");

    // Descriptors come back (sockets of finished probes and connections are closed).
    let settle = Instant::now() + Duration::from_secs(15);
    let mut fds_after = fd_count(pid);
    while fds_after > fds_before + 2 && Instant::now() < settle {
        std::thread::sleep(Duration::from_millis(200));
        fds_after = fd_count(pid);
    }
    assert!(
        fds_after <= fds_before + 2,
        "fd leak: {fds_before} before, {fds_after} after"
    );
    // Peak resident memory stays bounded (the queue and the probe slots bound it).
    let hwm = status_kib(pid, "VmHWM:");
    assert!(hwm > 0 && hwm < 256 * 1024, "peak RSS {hwm} KiB");
    let (code, body) = http_get(serve.addr, "/metrics", &[], t).expect("metrics");
    assert_eq!(code, 200);
    assert_eq!(
        sample(&body, "tlsprobe_probes_in_flight"),
        Some(0.0),
        "{body}"
    );
    assert_eq!(sample(&body, "tlsprobe_probes_queued"), Some(0.0), "{body}");
}

/// Prometheus' instant-query API: the samples of `query` as (labels, value).
fn prom_query(prom: SocketAddr, query: &str) -> Vec<(Value, f64)> {
    let q: String = query
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let Ok((200, body)) = http_get(
        prom,
        &format!("/api/v1/query?query={q}"),
        &[],
        Duration::from_secs(10),
    ) else {
        return Vec::new();
    };
    let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    v.pointer("/data/result")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let val = r.pointer("/value/1")?.as_str()?.parse().ok()?;
            Some((r.get("metric")?.clone(), val))
        })
        .collect()
}

#[test]
fn a_real_prometheus_ingests_probe_metrics() {
    require_tool("prometheus").expect("Debian's prometheus (scripts/install-deps.sh)");
    let tls12 = OpensslServer::builder()
        .tls1_2()
        .start()
        .expect("s_server 1.2");
    let tls13 = OpensslServer::builder().start().expect("s_server 1.3");
    let serve = start_serve(&["--allow", "127.0.0.1", "--timeout", "2s"]);
    let dir = TempDir::new("prometheus").expect("tmp");
    let config = format!(
        r#"global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: tlsprobe
    metrics_path: /probe
    params:
      module: [check]
    static_configs:
      - targets: ["{a}", "{b}"]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: "{serve}"
  - job_name: tlsprobe-exporter
    static_configs:
      - targets: ["{serve}"]
"#,
        a = tls12.target(),
        b = tls13.target(),
        serve = serve.addr
    );
    let cfg = dir.write("prometheus.yml", config).expect("config");
    let data = dir.join("data");
    let (_prom, prom_port) = start_with_retry("prometheus", Loopback::V4, |port| {
        let mut cmd = Command::new("prometheus");
        cmd.arg(format!("--config.file={}", cfg.display()))
            .arg(format!("--storage.tsdb.path={}", data.display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"));
        Ok((
            cmd,
            Readiness::Line("Server is ready to receive web requests"),
        ))
    })
    .expect("prometheus starts");
    let prom = SocketAddr::from(([127, 0, 0, 1], prom_port));

    // Wait (bounded) until both targets were scraped.
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut success = Vec::new();
    while Instant::now() < deadline {
        success = prom_query(prom, "probe_success{job=\"tlsprobe\"}");
        if success.len() == 2 {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    assert_eq!(success.len(), 2, "probe_success not ingested: {success:?}");
    for (labels, v) in &success {
        assert_eq!(*v, 1.0, "{labels}");
    }
    let versions = prom_query(prom, "probe_tls_version_info{job=\"tlsprobe\"}");
    let by_instance = |inst: &str| -> Vec<String> {
        versions
            .iter()
            .filter(|(l, v)| l["instance"] == inst && *v == 1.0)
            .filter_map(|(l, _)| l["version"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(by_instance(&tls12.target()), ["TLS 1.2"], "{versions:?}");
    assert_eq!(by_instance(&tls13.target()), ["TLS 1.3"], "{versions:?}");
    let supported = prom_query(
        prom,
        &format!(
            "probe_tls_version_supported{{instance=\"{}\",version=\"TLS 1.3\"}}",
            tls12.target()
        ),
    );
    assert_eq!(supported.len(), 1, "{supported:?}");
    assert_eq!(supported[0].1, 0.0);
    // The exporter's own metrics are scraped too.
    let mut probes = Vec::new();
    while Instant::now() < deadline {
        probes = prom_query(prom, "tlsprobe_probes_total{job=\"tlsprobe-exporter\"}");
        if probes.iter().any(|(_, v)| *v >= 2.0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    assert!(
        probes.iter().any(|(_, v)| *v >= 2.0),
        "self-metrics: {probes:?}"
    );
}

#[test]
fn azure_module_adds_catalogue_readiness() {
    let server = OpensslServer::builder().start().expect("s_server");
    let dir = TempDir::new("serve-azure").expect("tmp");
    let catalogue = dir
        .write(
            "catalogue.toml",
            format!(
                "[[endpoints]]\nhost = \"127.0.0.1\"\nport = {}\npurpose = \"identity\"\ncomponents = [\"mars\"]\ncloud = \"public\"\n",
                server.port()
            ),
        )
        .expect("write");
    let serve = start_serve(&[
        "--allow",
        "127.0.0.1",
        "--catalogue",
        catalogue.to_str().expect("utf-8"),
    ]);
    let t = Duration::from_secs(20);
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}&module=azure", server.target()),
        &[],
        t,
    )
    .expect("probe");
    assert_eq!(code, 200, "{body}");
    // A self-signed test chain is untrusted: the endpoint is blocked for Azure Backup.
    assert_eq!(
        sample(
            &body,
            "probe_azure_backup_readiness{purpose=\"identity\",cloud=\"public\",readiness=\"blocked\"}"
        ),
        Some(2.0),
        "{body}"
    );
    assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");
    // Not a catalogue endpoint: module=azure refuses, module=check does not add readiness.
    let (code, body) =
        http_get(serve.addr, "/probe?target=127.0.0.1:1&module=azure", &[], t).expect("400");
    assert_eq!(code, 400, "{body}");
    assert!(
        body.contains("not an endpoint of the Azure Backup catalogue"),
        "{body}"
    );
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}", server.target()),
        &[],
        t,
    )
    .expect("200");
    assert_eq!(code, 200);
    assert!(!body.contains("probe_azure_backup_readiness"), "{body}");
}

/// The series of one scrape that say what the endpoint accepts: versions, downgrade
/// protection, certificate expiry, findings (names and labels, values kept).
fn verdict(body: &str) -> Vec<String> {
    let keep = [
        "probe_success",
        "probe_tls_version_info",
        "probe_tls_version_supported",
        "probe_tls_downgrade_protected",
        "probe_ssl_earliest_cert_expiry",
        "probe_tls_finding",
        "probe_tls_cipher_info{version=\"TLS 1.2\"",
    ];
    let mut lines: Vec<String> = body
        .lines()
        .filter(|l| keep.iter().any(|k| l.starts_with(k)))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_lean_plan_answers_like_the_parallel_one_with_fewer_connections() {
    use crate::harness::relay::{Front, forward};
    let nginx = NginxServer::builder().start().expect("nginx");
    let tls12 = OpensslServer::builder().tls1_2().start().expect("s_server");
    let lean = start_serve(&["--allow", "127.0.0.0/8", "--timeout", "3s"]);
    let parallel = start_serve(&[
        "--allow",
        "127.0.0.0/8",
        "--timeout",
        "3s",
        "--plan",
        "parallel",
    ]);
    let t = Duration::from_secs(20);
    // (server, connections of the lean plan): a TLS 1.3 server is answered by the full
    // handshake; a TLS 1.2-only one needs the TLS 1.3 hello one round trip later.
    for (backend, lean_conns) in [(nginx.addr(), 7), (tls12.addr(), 8)] {
        let front = Front::start(IpAddr::from([127, 0, 0, 1]), 0, forward(backend)).expect("front");
        let path = format!("/probe?target={}", front.addr());
        let (code, lean_body) = http_get(lean.addr, &path, &[], t).expect("lean probe");
        assert_eq!(code, 200, "{lean_body}");
        let lean_seen = front.accepted();
        let (code, parallel_body) = http_get(parallel.addr, &path, &[], t).expect("probe");
        assert_eq!(code, 200, "{parallel_body}");
        let parallel_seen = front.accepted() - lean_seen;
        assert_eq!(
            sample(&lean_body, "probe_success"),
            Some(1.0),
            "{lean_body}"
        );
        let (mut a, mut b) = (verdict(&lean_body), verdict(&parallel_body));
        // Expiry is the same certificate either way; drop sub-second float noise.
        for v in [&mut a, &mut b] {
            v.retain(|l| !l.starts_with("probe_ssl_earliest_cert_expiry"));
        }
        assert_eq!(a, b, "lean:\n{lean_body}\nparallel:\n{parallel_body}");
        assert_eq!(
            sample(&lean_body, "probe_ssl_earliest_cert_expiry"),
            sample(&parallel_body, "probe_ssl_earliest_cert_expiry")
        );
        assert_eq!(lean_seen, lean_conns, "lean plan connections to {backend}");
        assert_eq!(parallel_seen, 9, "parallel plan connections to {backend}");
    }
}

#[test]
fn probes_go_through_the_zones_proxy_and_the_deny_list_still_holds() {
    use crate::harness::proxy::Tinyproxy;
    let nginx = NginxServer::builder().start().expect("nginx");
    let proxy = Tinyproxy::builder()
        .basic_auth("zone", "s3cret")
        .start()
        .expect("tinyproxy");
    let dns = Dnsd::start(
        &[("meta.tlsprobe.test", IpAddr::from([169, 254, 169, 254]))],
        Mode::NxDomain,
    );
    let url = proxy.url(Some(("zone", "s3cret")));
    let serve = start_serve(&[
        "--allow",
        "127.0.0.0/8",
        "--allow",
        "*.tlsprobe.test",
        "--proxy",
        &url,
        "--dns-server",
        &dns.arg(),
        "--timeout",
        "3s",
    ]);
    let t = Duration::from_secs(20);
    // Every version through the proxy (tinyproxy resolves names with the system resolver, so
    // the target is an address here).
    let (code, body) = http_get(
        serve.addr,
        &format!("/probe?target={}", nginx.addr()),
        &[],
        t,
    )
    .expect("probe through the proxy");
    assert_eq!(code, 200, "{body}");
    assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");
    assert_eq!(
        sample(&body, "probe_tls_version_info{version=\"TLS 1.3\"}"),
        Some(1.0),
        "{body}"
    );
    assert_eq!(
        sample(&body, "probe_tls_version_supported{version=\"TLS 1.1\"}"),
        Some(0.0),
        "{body}"
    );
    // The deny list is checked on the name's addresses before the proxy is asked.
    let (code, body) = http_get(serve.addr, "/probe?target=meta.tlsprobe.test:80", &[], t)
        .expect("403 through the proxy");
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("169.254.169.254"), "{body}");
    // A proxy that refuses the credentials fails the probe instead of going around it.
    let bad = start_serve(&[
        "--allow",
        "127.0.0.0/8",
        "--proxy",
        &proxy.url(Some(("zone", "wrong"))),
        "--timeout",
        "3s",
    ]);
    let (code, body) = http_get(bad.addr, &format!("/probe?target={}", nginx.addr()), &[], t)
        .expect("probe with bad credentials");
    assert_eq!(code, 200, "{body}");
    assert_eq!(sample(&body, "probe_success"), Some(0.0), "{body}");
}

#[test]
fn a_cidr_rule_admits_a_name_by_every_address_it_resolves_to() {
    let tls12 = OpensslServer::builder().tls1_2().start().expect("s_server");
    let dns = Dnsd::start(
        &[
            ("inside.tlsprobe.test", IpAddr::from([127, 0, 0, 1])),
            ("outside.tlsprobe.test", IpAddr::from([10, 9, 8, 7])),
        ],
        Mode::NxDomain,
    );
    let port = tls12.port();
    let serve = start_serve(&[
        "--allow",
        &format!("127.0.0.0/8:{port}"),
        "--dns-server",
        &dns.arg(),
        "--timeout",
        "2s",
    ]);
    let t = Duration::from_secs(20);
    let get = |target: &str| {
        http_get(serve.addr, &format!("/probe?target={target}"), &[], t).expect("request")
    };
    let (code, body) = get(&format!("inside.tlsprobe.test:{port}"));
    assert_eq!(code, 200, "{body}");
    assert_eq!(sample(&body, "probe_success"), Some(1.0), "{body}");
    // Outside the CIDR: refused, naming the address; no probe was sent anywhere.
    let (code, body) = get(&format!("outside.tlsprobe.test:{port}"));
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("10.9.8.7"), "{body}");
    // A name that does not resolve cannot be shown to be inside.
    let (code, body) = get(&format!("nowhere.tlsprobe.test:{port}"));
    assert_eq!(code, 403, "{body}");
    // The rule's port still applies.
    let (code, body) = get("inside.tlsprobe.test:1");
    assert_eq!(code, 403, "{body}");
}
