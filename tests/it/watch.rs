//! `tlsprobe watch` against an `openssl s_server` whose configuration the test changes between
//! rounds (restarted on the same port): every round is in the history, each change is reported
//! once (stdout and the --on-change hook), kill -9 leaves a valid history, and a restarted watch
//! compares with the history's last line.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::certs::Pki;
use crate::harness::process::{Readiness, ServerProcess};
use crate::harness::{TempDir, free_port, run_tlsprobe_with, tlsprobe_bin};

/// `openssl s_server` on 127.0.0.1:`port` accepting `min`..TLS 1.3 with `pki`'s certificate.
fn s_server(port: u16, pki: &Pki, min: &str) -> ServerProcess {
    let mut last = String::new();
    // The previous server's socket may take a moment to go away.
    for _ in 0..20 {
        let mut cmd = Command::new("openssl");
        cmd.arg("s_server")
            .arg("-accept")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(pki.chain_pem())
            .arg("-key")
            .arg(pki.key_pem())
            .args(["-min_protocol", min, "-cipher", "DEFAULT:@SECLEVEL=0"]);
        let mut p = ServerProcess::spawn("openssl s_server", cmd).expect("spawn s_server");
        match p.wait_ready(&Readiness::Line("ACCEPT"), Duration::from_secs(10)) {
            Ok(()) => return p,
            Err(e) => last = e.to_string(),
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("s_server did not start on port {port}: {last}");
}

/// A `tlsprobe watch` child with its stdout lines on a channel; killed on drop.
struct Watch {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(args: &[&str]) -> Watch {
        let mut child = Command::new(tlsprobe_bin())
            .arg("watch")
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn watch");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (bounded) for a stdout line containing `marker`.
    fn wait_line(&mut self, marker: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(l) = self.lines.recv_timeout(Duration::from_millis(100)) {
                let hit = l.contains(marker);
                self.seen.push(l);
                if hit {
                    return;
                }
            }
        }
        panic!("no line with {marker:?}; saw:\n{}", self.seen.join("\n"));
    }

    /// Waits (bounded) for the exit; returns the code and every stdout line.
    fn finish(mut self) -> (Option<i32>, Vec<String>) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let code = loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                break s.code();
            }
            assert!(Instant::now() < deadline, "watch did not exit");
            std::thread::sleep(Duration::from_millis(50));
        };
        while let Ok(l) = self.lines.recv_timeout(Duration::from_millis(500)) {
            self.seen.push(l);
        }
        (code, std::mem::take(&mut self.seen))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn json_lines(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

/// Validates each of `docs` against `#/$defs/NAME` of the published schema (python jsonschema).
fn validate_all(docs: &[Value], def: &str, dir: &TempDir) {
    let file = dir
        .write(
            &format!("{def}.json"),
            Value::Array(docs.to_vec()).to_string(),
        )
        .expect("write");
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/tlsprobe-v1.json");
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(
            "import json,sys,jsonschema\n\
             s=json.load(open(sys.argv[1])); docs=json.load(open(sys.argv[2]))\n\
             sub=dict(s); sub['$ref']='#/$defs/'+sys.argv[3]\n\
             [sub.pop(k,None) for k in ('type','required','properties')]\n\
             v=jsonschema.Draft202012Validator(sub)\n\
             errs=[e for d in docs for e in v.iter_errors(d)]\n\
             [print(list(e.absolute_path), e.message) for e in errs]\n\
             sys.exit(1 if errs else 0)",
        )
        .arg(&schema)
        .arg(&file)
        .arg(def);
    let out = crate::harness::run_with_timeout(cmd, Duration::from_secs(30)).expect("python3");
    assert_eq!(
        out.code,
        Some(0),
        "schema violations ({def}):\n{}{}",
        out.stdout,
        out.stderr
    );
}

fn whats(change: &Value) -> Vec<String> {
    change["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["what"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn watch_reports_each_change_once_and_keeps_every_round() {
    let port = free_port().expect("port");
    let first = Pki::localhost().expect("pki");
    let second = Pki::localhost().expect("pki");
    let dir = TempDir::new("watch").expect("tmp");
    let history = dir.join("history.jsonl");
    let hook = dir.join("hook.jsonl");
    let target = format!("127.0.0.1:{port}");
    let mut server = s_server(port, &first, "TLSv1.1");
    let hook_cmd = format!("cat >> '{}'", hook.display());
    let mut watch = Watch::start(&[
        "--format",
        "human",
        "--every",
        "1s",
        "--count",
        "3",
        "--timeout",
        "2s",
        "--history",
        history.to_str().expect("utf-8"),
        "--on-change",
        &hook_cmd,
        &target,
    ]);
    watch.wait_line("round 1:");
    // Round 2 sees the server without TLS 1.1.
    drop(server);
    server = s_server(port, &first, "TLSv1.2");
    watch.wait_line("round 2:");
    // Round 3 sees a new certificate.
    drop(server);
    let _server = s_server(port, &second, "TLSv1.2");
    let (code, stdout) = watch.finish();
    assert_eq!(
        code,
        Some(2),
        "self-signed chain is critical:\n{}",
        stdout.join("\n")
    );

    let lines = json_lines(&history);
    assert_eq!(lines.len(), 3, "{lines:?}");
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["round"], i as u64 + 1);
        assert_eq!(l["target"]["input"], target.as_str());
        assert!(l["checked_at"].is_string());
    }
    validate_all(&lines, "target", &dir);
    let changes = json_lines(&hook);
    assert_eq!(changes.len(), 2, "one hook call per change: {changes:?}");
    validate_all(&changes, "watch_change", &dir);
    let (r2, r3) = (&changes[0], &changes[1]);
    assert_eq!(r2["round"], 2);
    assert_eq!(r2["kind"], "change");
    assert_eq!(r2["previous_checked_at"], lines[0]["checked_at"]);
    let versions = r2["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["what"] == "accepted_versions"))
        .unwrap_or_else(|| panic!("no accepted_versions change: {r2}"));
    assert!(
        versions["from"]
            .as_array()
            .is_some_and(|v| v.iter().any(|v| v == "TLS1.1"))
    );
    assert!(
        versions["to"]
            .as_array()
            .is_some_and(|v| v.iter().all(|v| v != "TLS1.1"))
    );
    assert_eq!(
        versions["degraded"], false,
        "dropping TLS 1.1 is an improvement"
    );
    assert!(!whats(r2).contains(&"certificate".to_string()), "{r2}");
    assert_eq!(r3["round"], 3);
    assert!(whats(r3).contains(&"certificate".to_string()), "{r3}");
    assert!(
        !whats(r3).contains(&"accepted_versions".to_string()),
        "{r3}"
    );
    let fp = lines[2]["endpoints"][0]["certificate"]["chain"][0]["sha256"].clone();
    let cert = r3["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["what"] == "certificate"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(cert["to"][0], fp);
    // Stdout names each change once.
    let reported = stdout
        .iter()
        .filter(|l| l.contains("changed since"))
        .count();
    assert_eq!(reported, 2, "{}", stdout.join("\n"));
    assert_eq!(
        stdout
            .iter()
            .filter(|l| l.contains("no longer accepts TLS1.1"))
            .count(),
        1,
        "{}",
        stdout.join("\n")
    );
}

#[test]
fn kill_9_leaves_a_valid_history_and_a_restart_compares_with_its_last_line() {
    let port = free_port().expect("port");
    let pki = Pki::localhost().expect("pki");
    let dir = TempDir::new("watch-kill").expect("tmp");
    let history = dir.join("history.jsonl");
    let target = format!("127.0.0.1:{port}");
    let server = s_server(port, &pki, "TLSv1.2");
    let hist = history.to_str().expect("utf-8").to_string();
    let mut watch = Watch::start(&[
        "--format",
        "human",
        "--every",
        "1s",
        "--count",
        "100",
        "--timeout",
        "2s",
        "--history",
        &hist,
        &target,
    ]);
    watch.wait_line("round 2:");
    // SIGKILL: no chance to clean up.
    let _ = watch.child.kill();
    let _ = watch.child.wait();
    let text = std::fs::read_to_string(&history).expect("history");
    assert!(text.ends_with('\n'), "torn last line");
    let lines = json_lines(&history);
    assert!(lines.len() >= 2, "{lines:?}");
    let last_at = lines
        .last()
        .map(|l| l["checked_at"].clone())
        .unwrap_or_default();

    // Another tool left a torn line; the server now accepts TLS 1.1 again (a degradation).
    std::fs::write(&history, format!("{text}{{\"target\": {{\"inp")).expect("append");
    drop(server);
    let _server = s_server(port, &pki, "TLSv1.1");
    let out = run_tlsprobe_with(
        &[
            "watch",
            "--format",
            "jsonl",
            "--count",
            "5",
            "--every",
            "1s",
            "--timeout",
            "2s",
            "--exit-on-degrade",
            "--history",
            &hist,
            &target,
        ],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    assert_eq!(
        out.code,
        Some(2),
        "exit 2 on the first degradation:\n{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("history.jsonl:{}:", lines.len() + 1)),
        "the torn line is named: {}",
        out.stderr
    );
    let change: Value = serde_json::from_str(out.stdout.trim()).expect("one change line");
    assert_eq!(
        change["round"], 1,
        "the first round of the new run compares with the history"
    );
    assert_eq!(change["previous_checked_at"], last_at);
    assert_eq!(change["degraded"], true);
    assert!(
        whats(&change).contains(&"accepted_versions".to_string()),
        "{change}"
    );
    // The new run's line was appended on a fresh line after the torn one.
    let after = std::fs::read_to_string(&history).expect("history");
    let last = after.lines().last().unwrap_or_default();
    let v: Value = serde_json::from_str(last).expect("last line is whole");
    assert_eq!(v["round"], 1);
}

#[test]
fn watch_rejects_bad_flags() {
    for args in [
        &["watch", "--every", "soon", "127.0.0.1:1"][..],
        &["watch", "--count", "0", "127.0.0.1:1"][..],
        &["watch", "--every", "1s"][..],
    ] {
        let out = run_tlsprobe_with(args, &[], Duration::from_secs(20)).expect("run");
        assert_eq!(out.code, Some(3), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn sigterm_stops_watch_cleanly() {
    let port = free_port().expect("port");
    let pki = Pki::localhost().expect("pki");
    let dir = TempDir::new("watch-term").expect("tmp");
    let history = dir.join("history.jsonl");
    let target = format!("127.0.0.1:{port}");
    let _server = s_server(port, &pki, "TLSv1.2");
    let hist = history.to_str().expect("utf-8").to_string();
    let mut watch = Watch::start(&[
        "--format",
        "human",
        "--every",
        "30s",
        "--timeout",
        "2s",
        "--history",
        &hist,
        &target,
    ]);
    watch.wait_line("round 1:");
    let pid = watch.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(status.success());
    // It was sleeping until round 2: it stops at once with the last round's status (2: the
    // self-signed chain is critical), not killed by the signal.
    let (code, _) = watch.finish();
    assert_eq!(code, Some(2));
    assert_eq!(json_lines(&history).len(), 1);
}

#[test]
fn watch_azure_backup_records_readiness_per_catalogue_endpoint() {
    let port = free_port().expect("port");
    let pki = Pki::localhost().expect("pki");
    let dir = TempDir::new("watch-azure").expect("tmp");
    let history = dir.join("history.jsonl");
    let catalogue = dir
        .write(
            "catalogue.toml",
            format!(
                "[[endpoints]]\nhost = \"127.0.0.1\"\nport = {port}\npurpose = \"service\"\ncomponents = [\"mars\"]\ncloud = \"public\"\n"
            ),
        )
        .expect("write");
    let _server = s_server(port, &pki, "TLSv1.2");
    let out = run_tlsprobe_with(
        &[
            "watch",
            "--azure-backup",
            "--catalogue",
            catalogue.to_str().expect("utf-8"),
            "--count",
            "1",
            "--timeout",
            "2s",
            "--history",
            history.to_str().expect("utf-8"),
        ],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    let lines = json_lines(&history);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["target"]["input"], format!("127.0.0.1:{port}"));
    assert_eq!(lines[0]["readiness"], "blocked");
    assert_eq!(lines[0]["catalogue"]["purpose"], "service");
    // Targets and --azure-backup do not mix.
    let out = run_tlsprobe_with(
        &["watch", "--azure-backup", "--count", "1", "127.0.0.1:1"],
        &[],
        Duration::from_secs(20),
    )
    .expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
}
