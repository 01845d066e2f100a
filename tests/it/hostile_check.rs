//! `tlsprobe check` against every hostile-server [`Scenario`]: each run must finish (a hang is a
//! failure), print a JSON document, and classify every probed version (SSL 2.0 … TLS 1.3) with
//! the exact outcome and the detail, alert or OS error a network engineer needs to read.
//!
//! Every run gets `--timeout 2s` and a hard process limit of [`RUN_LIMIT`]; the child is killed
//! on drop. While it runs, its peak resident set size (`VmHWM` in `/proc/PID/status`) is sampled
//! and printed, and bounded loosely ([`RSS_LIMIT_KIB`]) for the scenarios that send huge or
//! endless data. There are no timing assertions.
//!
//! It does not test the hostile servers themselves (`harness_selftest` does) nor the real TLS
//! stacks (`check`).

use std::io::Read;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::hostile::{
    ALERT_HANDSHAKE_FAILURE, ALERT_PROTOCOL_VERSION, HUGE_HANDSHAKE_LEN, HostileServer,
    OVERSIZED_RECORD_LEN, Scenario,
};
use crate::harness::report::{V_ALL, assert_all_outcomes, assert_finding, endpoint, proto};
use crate::harness::tlsprobe_bin;

/// Hard limit on one `tlsprobe` process; reaching it fails the test as a hang.
const RUN_LIMIT: Duration = Duration::from_secs(20);

/// Peak RSS allowed for the scenarios that send large or endless data: a loose guard (about six
/// times the ~11 MB a one-target check takes) against a probe that buffers what it is sent. Within
/// a 2 s timeout these servers send well under a megabyte per connection, so this is no stress
/// test; the reader's byte bounds are unit-tested in `wire::record`.
const RSS_LIMIT_KIB: u64 = 64 * 1024;

/// The per-step timeout every run uses.
const TIMEOUT: &str = "2s";

/// Exit code for a critical finding or an unreachable target.
const CRITICAL: i32 = 2;

/// A finished `tlsprobe` run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// Largest `VmHWM` seen while the process ran, when `/proc` reports it.
    peak_rss_kib: Option<u64>,
}

impl Run {
    /// The JSON document on stdout; panics with both streams when it does not parse.
    fn json(&self) -> Value {
        let doc: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        });
        assert_eq!(doc["schema"], "tlsprobe/v1", "{doc:#}");
        doc
    }
}

/// A child process killed and reaped on drop.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn collect(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// `VmHWM` (peak RSS, KiB) of a running process, if `/proc` has it.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `tlsprobe ARGS` with `NO_COLOR=1`, sampling its peak RSS; fails the test if it is still
/// running after [`RUN_LIMIT`] or was killed by a signal.
fn run(args: &[&str]) -> Run {
    let mut cmd = Command::new(tlsprobe_bin());
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = KillOnDrop(cmd.spawn().expect("spawn tlsprobe"));
    let out = child.0.stdout.take().map(collect);
    let err = child.0.stderr.take().map(collect);
    let pid = child.0.id();
    let end = Instant::now() + RUN_LIMIT;
    let mut peak = None;
    let status = loop {
        if let Some(kib) = peak_rss_kib(pid) {
            peak = Some(peak.map_or(kib, |p: u64| p.max(kib)));
        }
        match child.0.try_wait().expect("wait for tlsprobe") {
            Some(status) => break status,
            None if Instant::now() >= end => {
                drop(child);
                panic!("tlsprobe {args:?} still running after {RUN_LIMIT:?}: a hang");
            }
            None => thread::sleep(Duration::from_millis(5)),
        }
    };
    let text = |h: Option<JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    let (stdout, stderr) = (text(out), text(err));
    let code = status
        .code()
        .unwrap_or_else(|| panic!("tlsprobe {args:?} died from a signal ({status}):\n{stderr}"));
    eprintln!("tlsprobe {args:?}: exit {code}, peak RSS {peak:?} KiB");
    Run {
        code,
        stdout,
        stderr,
        peak_rss_kib: peak,
    }
}

/// `tlsprobe check ADDR --format json --timeout 2s EXTRA...`.
fn check(addr: SocketAddr, extra: &[&str]) -> (Run, Value) {
    let addr = addr.to_string();
    let mut args = vec!["check", &addr, "--format", "json", "--timeout", TIMEOUT];
    args.extend_from_slice(extra);
    let r = run(&args);
    let doc = r.json();
    (r, doc)
}

/// Starts `scenario` and checks it; returns the run, the document and the first endpoint.
fn check_scenario(scenario: Scenario) -> (Run, Value) {
    let server = HostileServer::start(scenario.clone()).expect("hostile server");
    let (r, doc) = check(server.addr(), &[]);
    assert!(
        server.accepted() > 0,
        "{scenario:?}: the server saw no connection"
    );
    (r, doc)
}

/// Asserts that TCP connected (the misbehaviour is above TCP).
fn assert_connected(ep: &Value) {
    assert_eq!(ep["tcp"]["outcome"], "connected", "{ep:#}");
    assert!(ep["tcp"]["error"].is_null(), "{ep:#}");
}

/// The `detail` of `version`, or "" when absent.
fn detail<'a>(ep: &'a Value, version: &str) -> &'a str {
    proto(ep, version)["detail"].as_str().unwrap_or("")
}

/// Asserts that every version's detail contains every one of `words`.
fn assert_details(ep: &Value, versions: &[&str], words: &[&str]) {
    for v in versions {
        let d = detail(ep, v);
        for w in words {
            assert!(d.contains(w), "{v}: detail {d:?} lacks {w:?}; {ep:#}");
        }
    }
}

/// Asserts the run's exit code, printing the document on failure.
fn assert_exit(r: &Run, doc: &Value, want: i32) {
    assert_eq!(r.code, want, "exit code; stderr: {}\n{doc:#}", r.stderr);
}

/// Asserts the peak RSS bound when it could be measured.
fn assert_bounded_memory(r: &Run) {
    if let Some(kib) = r.peak_rss_kib {
        assert!(
            kib < RSS_LIMIT_KIB,
            "peak RSS {kib} KiB >= {RSS_LIMIT_KIB} KiB"
        );
    }
}

/// Asserts that no version is accepted and nothing was negotiated.
fn assert_nothing_negotiated(ep: &Value) {
    assert!(ep["highest_version"].is_null(), "{ep:#}");
    assert!(ep["negotiated"].is_null(), "{ep:#}");
}

#[test]
fn reset_after_hello_is_reset_with_econnreset_10054() {
    let (r, doc) = check_scenario(Scenario::ResetAfterHello);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["reset"; 6]);
    for v in V_ALL {
        let os = &proto(ep, v)["os_error"];
        assert_eq!(os["name"], "ECONNRESET", "{v}: {ep:#}");
        assert_eq!(os["windows_code"], 10054, "{v}");
        assert_eq!(os["windows_name"], "WSAECONNRESET", "{v}");
    }
    assert_details(ep, &V_ALL, &["reset"]);
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-rejected", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn silent_server_is_timeout_with_etimedout_10060() {
    let (r, doc) = check_scenario(Scenario::Silent);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["timeout"; 6]);
    for v in V_ALL {
        let os = &proto(ep, v)["os_error"];
        assert_eq!(os["name"], "ETIMEDOUT", "{v}: {ep:#}");
        assert_eq!(os["windows_code"], 10060, "{v}");
    }
    assert_details(ep, &V_ALL, &["no answer before the timeout"]);
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-timeout", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn garbage_is_malformed_not_tls() {
    let (r, doc) = check_scenario(Scenario::Garbage);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["malformed"; 6]);
    assert_details(ep, &V_ALL, &["not TLS"]);
    for v in V_ALL {
        assert!(proto(ep, v)["alert"].is_null(), "{v}");
        assert!(proto(ep, v)["os_error"].is_null(), "{v}");
    }
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "not-tls", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn http_answer_is_malformed_and_named_http() {
    let (r, doc) = check_scenario(Scenario::Http);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["malformed"; 6]);
    assert_details(ep, &V_ALL, &["HTTP response"]);
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "not-tls", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn ssh_banner_is_malformed_and_named_ssh() {
    let (r, doc) = check_scenario(Scenario::Ssh);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["malformed"; 6]);
    assert_details(ep, &V_ALL, &["SSH banner"]);
    assert_nothing_negotiated(ep);
    // Issue 11: a service that speaks first is named, not just "not TLS".
    assert_finding(&doc, "plaintext-protocol", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn protocol_version_alert_is_named_for_every_version() {
    let (r, doc) = check_scenario(Scenario::Alert(ALERT_PROTOCOL_VERSION));
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["alert"; 6]);
    for v in V_ALL {
        let p = proto(ep, v);
        assert_eq!(p["alert"], "protocol_version", "{v}: {p}");
        assert_eq!(p["alert_code"], 70, "{v}: {p}");
        // A fatal alert needs no explanation beyond its name.
        assert!(p["detail"].is_null(), "{v}: {p}");
        assert!(p["os_error"].is_null(), "{v}: {p}");
    }
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-rejected", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn unregistered_alert_code_keeps_its_number() {
    let (_, doc) = check_scenario(Scenario::Alert(199));
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["alert"; 6]);
    for v in V_ALL {
        let p = proto(ep, v);
        assert_eq!(p["alert"], "alert_199", "{v}: {p}");
        assert_eq!(p["alert_code"], 199, "{v}: {p}");
    }
}

#[test]
fn alert_then_hold_is_an_alert_not_a_timeout() {
    let (r, doc) = check_scenario(Scenario::AlertThenHold);
    let ep = endpoint(&doc);
    assert_connected(ep);
    // The alert decides the answer: the probe does not wait for the close that never comes.
    assert_all_outcomes(ep, ["alert"; 6]);
    for v in V_ALL {
        let p = proto(ep, v);
        assert_eq!(p["alert"], "handshake_failure", "{v}: {p}");
        assert_eq!(p["alert_code"], ALERT_HANDSHAKE_FAILURE, "{v}: {p}");
    }
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "no-shared-cipher", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn trickle_slower_than_the_timeout_is_timeout_mid_record() {
    // A valid ServerHello of about 50 bytes at one byte every 500 ms takes some 25 s; with a
    // 2 s timeout only its first few bytes arrive.
    let (r, doc) = check_scenario(Scenario::Trickle {
        bytes: 1,
        every: Duration::from_millis(500),
    });
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["timeout"; 6]);
    for v in V_ALL {
        assert_eq!(proto(ep, v)["os_error"]["windows_code"], 10060, "{v}");
    }
    // Partial TLS is a timeout that got somewhere, and says so.
    assert_details(ep, &V_ALL, &["timeout", "middle of a record"]);
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-timeout", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn oversized_record_is_malformed_naming_the_length() {
    let (r, doc) = check_scenario(Scenario::OversizedRecord);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["malformed"; 6]);
    let len = OVERSIZED_RECORD_LEN.to_string();
    assert_details(ep, &V_ALL, &["record", &len, "18432"]);
    assert_nothing_negotiated(ep);
    assert_bounded_memory(&r);
    assert_finding(&doc, "not-tls", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn huge_handshake_is_malformed_naming_the_claimed_length() {
    let (r, doc) = check_scenario(Scenario::HugeHandshake);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["malformed"; 6]);
    let len = HUGE_HANDSHAKE_LEN.to_string();
    assert_details(ep, &V_ALL, &["handshake message", &len]);
    assert_nothing_negotiated(ep);
    assert_bounded_memory(&r);
    assert_finding(&doc, "not-tls", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn endless_handshake_keeps_the_version_answer_and_stops_reading() {
    let (r, doc) = check_scenario(Scenario::EndlessHandshake);
    let ep = endpoint(&doc);
    assert_connected(ep);
    // The ServerHello answers each probe (the server picks the offered version, at most TLS
    // 1.2); the endless Certificate messages after it are read up to a cap, then ignored.
    assert_all_outcomes(
        ep,
        [
            "wrong_version",
            "accepted",
            "accepted",
            "accepted",
            "accepted",
            "wrong_version",
        ],
    );
    assert_eq!(proto(ep, "TLS1.3")["answered_version"], "TLS1.2", "{ep:#}");
    assert_eq!(proto(ep, "SSL2.0")["answered_version"], "TLS1.2", "{ep:#}");
    assert_eq!(ep["highest_version"], "TLS1.2", "{ep:#}");
    assert_bounded_memory(&r);
    // SSL 3.0 accepted is critical.
    assert_finding(&doc, "ssl-accepted", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn close_mid_record_is_closed_mid_record() {
    let (r, doc) = check_scenario(Scenario::CloseMidRecord);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["closed"; 6]);
    // 5 header bytes and 10 of the 100 announced.
    assert_details(
        ep,
        &V_ALL,
        &["closed", "after 15 bytes", "middle of a record"],
    );
    for v in V_ALL {
        assert!(proto(ep, v)["os_error"].is_null(), "{v}");
    }
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-rejected", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn sslv2_server_hello_is_ssl2_accepted_and_malformed_for_tls() {
    let (r, doc) = check_scenario(Scenario::SslV2ServerHello);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(
        ep,
        [
            "accepted",
            "malformed",
            "malformed",
            "malformed",
            "malformed",
            "malformed",
        ],
    );
    // The first cipher kind the server lists, 0x010080.
    assert_eq!(
        proto(ep, "SSL2.0")["cipher"],
        "SSL_CK_RC4_128_WITH_MD5",
        "{ep:#}"
    );
    assert_details(ep, &V_ALL[1..], &["SSL 2.0 server hello"]);
    assert_eq!(ep["highest_version"], "SSL2.0", "{ep:#}");
    assert_exit(&r, &doc, CRITICAL);
    let findings = doc["targets"][0]["findings"].as_array().expect("findings");
    let ssl = findings
        .iter()
        .find(|f| f["id"] == "ssl-accepted")
        .unwrap_or_else(|| panic!("no ssl-accepted finding: {findings:#?}"));
    assert_eq!(ssl["severity"], "critical", "{ssl}");
    assert!(
        ssl["summary"]
            .as_str()
            .is_some_and(|s| s.contains("SSL2.0")),
        "{ssl}"
    );
}

#[test]
fn hrr_twice_is_tls13_accepted_with_an_hrr_detail() {
    let (_, doc) = check_scenario(Scenario::HrrTwice);
    let ep = endpoint(&doc);
    assert_connected(ep);
    // A server that sends a HelloRetryRequest has chosen TLS 1.3; hellos without TLS 1.3 get a
    // protocol_version alert.
    assert_all_outcomes(
        ep,
        ["alert", "alert", "alert", "alert", "alert", "accepted"],
    );
    for v in &V_ALL[..5] {
        assert_eq!(proto(ep, v)["alert"], "protocol_version", "{v}: {ep:#}");
    }
    let tls13 = proto(ep, "TLS1.3");
    assert_eq!(tls13["group"], "secp256r1", "{tls13}");
    // The server picks the first TLS 1.3 suite offered; the probe offers AES-256 first.
    assert_eq!(tls13["cipher"], "TLS_AES_256_GCM_SHA384", "{tls13}");
    assert_details(ep, &["TLS1.3"], &["HelloRetryRequest", "secp256r1"]);
    assert_eq!(ep["highest_version"], "TLS1.3", "{ep:#}");
}

#[test]
fn hrr_twice_means_no_client_completes_a_handshake() {
    let (r, doc) = check_scenario(Scenario::HrrTwice);
    let ep = endpoint(&doc);
    // A second HelloRetryRequest must make every client abort (RFC 8446, 4.1.4): nothing is
    // negotiated, and a TLS endpoint no client can connect to is critical.
    assert!(
        ep["negotiated"].is_null(),
        "a HelloRetryRequest is not a negotiated connection: {:#}",
        ep["negotiated"]
    );
    assert_finding(&doc, "handshake-failed", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn close_immediately_is_closed_without_answer() {
    let (r, doc) = check_scenario(Scenario::CloseImmediately);
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["closed"; 6]);
    assert_details(ep, &V_ALL, &["closed the connection without answering"]);
    for v in V_ALL {
        assert!(proto(ep, v)["os_error"].is_null(), "{v}");
        assert!(
            !detail(ep, v).contains("middle of a record"),
            "{v}: nothing was sent"
        );
    }
    assert_nothing_negotiated(ep);
    assert_finding(&doc, "all-versions-rejected", "critical");
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn deadline_bounds_a_silent_target_despite_a_long_timeout() {
    let server = HostileServer::start(Scenario::Silent).expect("silent");
    let addr = server.addr().to_string();
    // Without --deadline this run would wait 10 s per step; RUN_LIMIT (20 s) would still pass,
    // so the outcome is what is checked here, and the hard limit catches a hang.
    let r = run(&[
        "check",
        &addr,
        "--format",
        "json",
        "--timeout",
        "10s",
        "--deadline",
        "1s",
    ]);
    let doc = r.json();
    let ep = endpoint(&doc);
    assert_connected(ep);
    assert_all_outcomes(ep, ["timeout"; 6]);
    for v in V_ALL {
        assert_eq!(proto(ep, v)["os_error"]["name"], "ETIMEDOUT", "{v}");
        let ms = proto(ep, v)["duration_ms"].as_f64();
        // Not a timing assertion: the recorded wait is the deadline's, not the timeout's.
        assert!(ms.is_some_and(|ms| ms < 10_000.0), "{v}: {ms:?}");
    }
    assert_exit(&r, &doc, CRITICAL);
}

#[test]
fn human_output_for_hostile_servers_names_what_happened() {
    let cases: [(Scenario, &[&str]); 4] = [
        (Scenario::ResetAfterHello, &["reset", "10054"]),
        (Scenario::Http, &["malformed", "HTTP"]),
        (Scenario::OversizedRecord, &["malformed", "record"]),
        (Scenario::SslV2ServerHello, &["SSL2.0", "accepted"]),
    ];
    for (scenario, words) in cases {
        let server = HostileServer::start(scenario.clone()).expect("hostile server");
        let addr = server.addr().to_string();
        let r = run(&["check", &addr, "--format", "human", "--timeout", TIMEOUT]);
        assert_eq!(r.code, CRITICAL, "{scenario:?}: {}\n{}", r.stdout, r.stderr);
        assert!(!r.stderr.contains("panicked"), "{scenario:?}: {}", r.stderr);
        for w in words {
            assert!(
                r.stdout.contains(w),
                "{scenario:?}: human output lacks {w:?}:\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains(&addr) || r.stdout.contains("127.0.0.1"),
            "{scenario:?}: the target is named:\n{}",
            r.stdout
        );
    }
}
