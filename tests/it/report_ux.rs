//! The reports as a user meets them: the human layout (answer first, grouped findings, a table
//! for many targets, wrapping, `-q`/`-v`), colour rules (`--color`, `NO_COLOR`), progress on a
//! real pseudo-terminal and not in pipes (`script` from util-linux), and the HTML report
//! rendered by headless Chromium.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::harness::certs::Pki;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::openssl::OpensslServer;
use crate::harness::{
    RunOutput, TempDir, free_port, run_tlsprobe_with, run_with_timeout, tlsprobe_bin,
};

const RUN: Duration = Duration::from_secs(90);
const STATUS: [&str; 4] = ["OK ", "WARNING ", "CRITICAL ", "UNKNOWN "];

/// The servers most tests share: a healthy one, a TLS 1.0-only one and the CA that signed both.
struct Fleet {
    pki: Pki,
    good: OpensslServer,
    legacy: OpensslServer,
    legacy2: OpensslServer,
}

impl Fleet {
    fn start() -> Fleet {
        let pki = Pki::localhost().expect("pki");
        let good = OpensslServer::builder()
            .pki(&pki)
            .start()
            .expect("s_server");
        let old = || {
            OpensslServer::builder()
                .pki(&pki)
                .tls1()
                .cipher("ALL:@SECLEVEL=0")
                .start()
                .expect("s_server -tls1")
        };
        let legacy = old();
        let legacy2 = old();
        Fleet {
            pki,
            good,
            legacy,
            legacy2,
        }
    }

    fn ca(&self) -> String {
        self.pki.ca_pem().to_string_lossy().into_owned()
    }
}

fn human(args: &[&str], env: &[(&str, &str)]) -> RunOutput {
    let mut all = vec!["check", "--format", "human"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, env, RUN).expect("run tlsprobe");
    assert!(out.code.is_some(), "killed: {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

fn is_status_line(l: &str) -> bool {
    STATUS.iter().any(|s| l.starts_with(s))
}

#[test]
fn one_target_answer_first_then_endpoint_details_and_first_fix() {
    let f = Fleet::start();
    let out = human(&["--ca-file", &f.ca(), &f.legacy.target()], &[]);
    assert_eq!(out.code, Some(2));
    let lines: Vec<&str> = out.stdout.lines().collect();
    // The first line is the answer: status, target, highest version, expiry, suite.
    let first = lines[0];
    assert!(first.starts_with("CRITICAL"), "{first}");
    assert!(first.contains(&f.legacy.target()), "{first}");
    assert!(first.contains("TLS1.0"), "{first}");
    assert!(first.contains(" days"), "{first}");
    assert!(first.contains("TLS_"), "negotiated suite: {first}");
    // Then the endpoint, its versions, certificate and the finding under it with one fix step.
    assert!(lines[1].trim() == "127.0.0.1", "{}", out.stdout);
    for needle in [
        "TLS1.0  accepted",
        "TLS1.3  alert",
        "certificate  CN=localhost",
        "trusted",
        "[tls12-not-supported]",
        "fix: ",
        "`tlsprobe explain tls12-not-supported`",
    ] {
        assert!(
            out.stdout.contains(needle),
            "lacks {needle:?}:\n{}",
            out.stdout
        );
    }
    assert_eq!(out.stdout.matches("fix: ").count(), 1, "{}", out.stdout);
    assert!(
        out.stdout
            .trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.starts_with("1 target, 1 critical"))
    );
    // -v: timing, every fix step, the references.
    let out = human(&["-v", "--ca-file", &f.ca(), &f.legacy.target()], &[]);
    for needle in [
        "timing ",
        "fix 1. ",
        "fix 2. ",
        "cause: ",
        "see https://",
        "tcp connected in",
    ] {
        assert!(
            out.stdout.contains(needle),
            "-v lacks {needle:?}:\n{}",
            out.stdout
        );
    }
}

#[test]
fn several_targets_print_a_shared_finding_once_with_its_targets() {
    let f = Fleet::start();
    let (a, b, c) = (f.good.target(), f.legacy.target(), f.legacy2.target());
    let out = human(&["--ca-file", &f.ca(), &a, &b, &c], &[]);
    assert_eq!(out.code, Some(2));
    let text = &out.stdout;
    // Each target's block opens with its status line, in input order.
    let status: Vec<&str> = text.lines().filter(|l| is_status_line(l)).collect();
    assert_eq!(status.len(), 3, "{text}");
    assert!(
        status[0].starts_with("OK") && status[0].contains(&a),
        "{text}"
    );
    assert!(status[1].starts_with("CRITICAL") && status[1].contains(&b));
    assert!(status[2].starts_with("CRITICAL") && status[2].contains(&c));
    // The shared finding: its fix once, in the closing section, with both targets named.
    let findings = text
        .split("\nFindings\n")
        .nth(1)
        .expect("a Findings section");
    assert_eq!(
        text.matches("`tlsprobe explain tls12-not-supported`")
            .count(),
        1,
        "{text}"
    );
    assert!(findings.contains(&format!("on: {b}, {c}")), "{findings}");
    assert_eq!(
        findings.matches("[tls12-not-supported]").count(),
        1,
        "{findings}"
    );
    // -q: the status lines and nothing else.
    let out = human(&["-q", "--ca-file", &f.ca(), &a, &b, &c], &[]);
    assert_eq!(out.code, Some(2));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    assert!(lines.iter().all(|l| is_status_line(l)), "{}", out.stdout);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn many_targets_are_a_table_one_line_each() {
    let f = Fleet::start();
    let closed = free_port().expect("port");
    let refused = format!("127.0.0.1:{closed}");
    let targets = [
        f.good.target(),
        f.legacy.target(),
        f.legacy2.target(),
        format!("localhost:{}", f.good.port()),
        refused.clone(),
        "name.invalid:443".to_string(),
    ];
    let mut args = vec!["--ca-file".to_string(), f.ca()];
    args.extend(targets.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = human(&args, &[("COLUMNS", "100")]);
    assert_eq!(out.code, Some(2));
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("STATUS") && lines[0].contains("TARGET"),
        "{}",
        out.stdout
    );
    assert!(
        lines[0].contains("HIGHEST")
            && lines[0].contains("CERT")
            && lines[0].contains("NEGOTIATED SUITE")
    );
    for (i, t) in targets.iter().enumerate() {
        let row = lines[i + 1];
        assert!(
            is_status_line(row) && row.contains(t.as_str()),
            "row {i}: {row}\n{}",
            out.stdout
        );
        assert!(row.chars().count() <= 100, "{row}");
    }
    assert!(
        lines[5].contains("unreachable") && lines[5].contains("10061"),
        "{}",
        lines[5]
    );
    assert!(lines[6].contains("dns"), "{}", lines[6]);
    let findings = out.stdout.split("\nFindings\n").nth(1).expect("Findings");
    assert_eq!(
        findings.matches("[tls12-not-supported]").count(),
        1,
        "{findings}"
    );
    assert!(findings.contains("[tcp-refused]") && findings.contains(&refused));
    assert!(findings.contains("[dns-no-such-host]"), "{findings}");
    assert!(out.stdout.trim_end().ends_with(" ms"), "{}", out.stdout);
    assert!(
        out.stdout.contains("6 targets, 1 ok, 5 critical"),
        "{}",
        out.stdout
    );
}

#[test]
fn text_wraps_at_the_terminal_width() {
    let f = Fleet::start();
    for width in [60usize, 80, 132] {
        let w = width.to_string();
        let out = human(
            &["--ca-file", &f.ca(), &f.legacy.target()],
            &[("COLUMNS", &w)],
        );
        for l in out.stdout.lines() {
            assert!(
                l.chars().count() <= width,
                "width {width}: {l:?}\n{}",
                out.stdout
            );
        }
        // Nothing lost: the summary words are all there.
        let words: String = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("clients that require TLS 1.2 cannot connect"),
            "{words}"
        );
    }
    // Without a terminal or COLUMNS, lines are not wrapped (one finding summary = one line).
    let out = human(&["--ca-file", &f.ca(), &f.legacy.target()], &[]);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.contains("Highest version accepted") && l.contains("[tls12-not-supported]")),
        "{}",
        out.stdout
    );
}

#[test]
fn colour_follows_color_flag_and_no_color() {
    let f = Fleet::start();
    let t = f.good.target();
    let ca = f.ca();
    // A pipe: no colour by default, with NO_COLOR or --no-color.
    for args in [
        &[][..],
        &["--color", "never"][..],
        &["--no-color"][..],
        &["--color", "auto"][..],
    ] {
        let mut all = vec!["--ca-file", &ca, &t];
        all.extend_from_slice(args);
        let out = human(&all, &[]);
        assert!(!out.stdout.contains('\x1b'), "{args:?}: {}", out.stdout);
    }
    // --color always wins over a pipe and over NO_COLOR (set by the harness).
    let out = human(&["--color", "always", "--ca-file", &f.ca(), &t], &[]);
    assert!(out.stdout.contains("\x1b[32mOK\x1b[0m"), "{:?}", out.stdout);
    assert!(out.stdout.contains("\x1b[32maccepted"), "{:?}", out.stdout);
    // --no-color is an alias of --color never and wins over --color always.
    let out = human(
        &["--color", "always", "--no-color", "--ca-file", &f.ca(), &t],
        &[],
    );
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    // JSON never carries colour.
    let out = run_tlsprobe_with(
        &["check", "--format", "json", "--color", "always", &t],
        &[],
        RUN,
    )
    .expect("run");
    assert!(!out.stdout.contains('\x1b'));
}

// ---------------------------------------------------------------------------------------------
// A real terminal

/// Runs `tlsprobe ARGS` on a pseudo-terminal of `cols` columns (util-linux `script`), with the
/// given extra environment; returns everything the terminal showed (stdout and stderr).
fn on_pty(args: &[String], cols: u16, env: &[(&str, &str)]) -> RunOutput {
    let quoted: Vec<String> = std::iter::once(tlsprobe_bin().display().to_string())
        .chain(args.iter().cloned())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let inner = format!("stty cols {cols} rows 40; exec {}", quoted.join(" "));
    let mut cmd = Command::new("script");
    cmd.args(["-q", "-e", "-f", "-c", &inner, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("TERM", "xterm-256color");
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run_with_timeout(cmd, RUN)
        .unwrap_or_else(|e| panic!("`script` (util-linux) is needed for the terminal tests: {e}"));
    assert!(out.code.is_some(), "killed on the pty: {}", out.stdout);
    out
}

#[test]
fn terminal_gets_colour_and_progress_pipes_get_neither() {
    let f = Fleet::start();
    // A silent server keeps the run going long enough for the progress display to draw.
    let silent = HostileServer::start(Scenario::Silent).expect("silent");
    let args: Vec<String> = [
        "check",
        "--timeout",
        "2s",
        "--ca-file",
        &f.ca(),
        &f.good.target(),
        &silent.addr().to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let tty = on_pty(&args, 100, &[]);
    assert_eq!(tty.code, Some(2), "{}", tty.stdout);
    let screen = &tty.stdout;
    // On a terminal the default format is human, in colour, with the progress display.
    assert!(
        screen.contains("\x1b[32mOK\x1b[0m"),
        "no colour on the terminal:\n{screen:?}"
    );
    assert!(screen.contains("\x1b[31mCRITICAL\x1b[0m"), "{screen:?}");
    assert!(
        screen.contains("/2 targets"),
        "no progress on the terminal:\n{screen:?}"
    );
    assert!(
        screen.contains("handshakes"),
        "the progress names the phase:\n{screen:?}"
    );
    assert!(
        !screen.contains("\"schema\""),
        "human, not JSON, on a terminal"
    );
    // Lines fit the terminal (progress redraws use carriage returns, so split on them too).
    let plain = strip_ansi(screen);
    for l in plain.split(['\n', '\r']) {
        assert!(l.chars().count() <= 100, "{l:?}");
    }
    // NO_COLOR on a terminal: no colour, still progress; -q: no progress, status lines only.
    let tty = on_pty(&args, 100, &[("NO_COLOR", "1")]);
    assert!(!tty.stdout.contains("\x1b[32m"), "{:?}", tty.stdout);
    assert!(tty.stdout.contains("/2 targets"), "{:?}", tty.stdout);
    let mut quiet = args.clone();
    quiet.push("-q".to_string());
    let tty = on_pty(&quiet, 100, &[]);
    assert!(!tty.stdout.contains("targets ["), "{:?}", tty.stdout);
    let lines: Vec<String> = strip_ansi(&tty.stdout)
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    // The same run in a pipe: JSON on stdout, nothing at all on stderr.
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let pipe = run_tlsprobe_with(&refs, &[("COLUMNS", "100")], RUN).expect("run");
    assert_eq!(pipe.code, Some(2));
    assert!(
        pipe.stderr.is_empty(),
        "stderr in a pipe: {:?}",
        pipe.stderr
    );
    assert!(!pipe.stdout.contains('\x1b'));
    let doc: serde_json::Value = serde_json::from_str(&pipe.stdout).expect("JSON in a pipe");
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(2));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ params final-byte
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if ('@'..='~').contains(&d) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// HTML in a real browser

/// Chromium's flags for a hermetic headless run as root: no sandbox (root), no GPU, no network
/// services of its own, a fresh profile.
fn chromium(profile: &Path, extra: &[&str], page: &Path) -> RunOutput {
    let mut cmd = Command::new("chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(extra)
    .arg(format!("file://{}", page.display()));
    let out = run_with_timeout(cmd, Duration::from_secs(120)).unwrap_or_else(|e| {
        panic!("chromium is needed (scripts/install-deps.sh installs it): {e}")
    });
    assert_eq!(out.code, Some(0), "chromium failed:\n{}", out.stderr);
    out
}

/// Console messages the page produced (Chromium logs them as `INFO:CONSOLE:LINE] "text"`, or
/// `CONSOLE(LINE)` in older builds).
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE:") || l.contains(":CONSOLE("))
        .collect()
}

#[test]
fn html_report_renders_in_chromium_without_console_errors() {
    let f = Fleet::start();
    let dir = TempDir::new("html").expect("tmp");
    let closed = free_port().expect("port");
    let targets = [
        f.good.target(),
        f.legacy.target(),
        format!("localhost:{}", f.good.port()),
        format!("127.0.0.1:{closed}"),
    ];
    let page = dir.join("report.html");
    let mut args = vec!["check", "--ca-file"];
    let ca = f.ca();
    args.push(&ca);
    let p = page.to_string_lossy().into_owned();
    args.extend(["-o", &p]);
    args.extend(targets.iter().map(String::as_str));
    args.push("not a target");
    let out = run_tlsprobe_with(&args, &[], RUN).expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    let html = std::fs::read_to_string(&page).expect("page written");
    // Self-contained: no external stylesheet, script or image.
    for bad in ["<link", " src=", "@import", "url("] {
        assert!(!html.contains(bad), "external asset {bad:?} in the page");
    }

    let profile = dir.join("chromium-profile");
    let dom = chromium(&profile, &["--dump-dom"], &page);
    let problems = console_messages(&dom.stderr);
    assert!(problems.is_empty(), "console messages: {problems:#?}");
    // The inline script ran to its end, and every target is on the page.
    assert!(
        dom.stdout.contains("data-ready=\"1\""),
        "the page script did not finish"
    );
    for t in &targets {
        assert!(dom.stdout.contains(t.as_str()), "{t} is not shown");
    }
    assert!(
        dom.stdout.contains("not a target"),
        "the skipped input is shown"
    );
    assert!(
        dom.stdout.contains("class=\"o-accepted legacy\""),
        "TLS 1.0 accepted is marked legacy"
    );
    assert!(dom.stdout.contains("tls12-not-supported") && dom.stdout.contains("tcp-refused"));
    assert!(dom.stdout.contains("CN=localhost"), "certificate summary");

    // A screenshot a person can look at (kept next to the page while the test runs).
    let shot = dir.join("report.png");
    let s = shot.to_string_lossy().into_owned();
    let _ = chromium(
        &profile,
        &["--window-size=1280,2000", &format!("--screenshot={s}")],
        &page,
    );
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    if let Ok(keep) = std::env::var("TLSPROBE_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&shot, keep);
    }

    // The check is real: a page whose script fails is caught.
    let broken = dir
        .write(
            "broken.html",
            "<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>",
        )
        .expect("write");
    let out = chromium(&profile, &["--dump-dom"], &broken);
    assert!(
        !console_messages(&out.stderr).is_empty(),
        "a failing script is not detected:\n{}",
        out.stderr
    );
}
