//! The command-line contract of every command: exit codes 0/1/2/3 (monitoring-plugin
//! convention), `tlsprobe schema`, shell completions, man pages, `--help` examples, and
//! `--output FILE` written atomically in every format.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::harness::certs::Pki;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::openssl::OpensslServer;
use crate::harness::{RunOutput, TempDir, free_port, run_tlsprobe_with, run_with_timeout};
use crate::schema::validate;

const RUN: Duration = Duration::from_secs(60);

/// Every subcommand.
const COMMANDS: [&str; 11] = [
    "check",
    "explain",
    "ciphers",
    "simulate",
    "registry",
    "azure-backup",
    "watch",
    "serve",
    "schema",
    "completions",
    "man",
];

fn run(args: &[&str]) -> RunOutput {
    run_tlsprobe_with(args, &[], RUN).expect("run tlsprobe")
}

/// Asserts a usage / input error: exit 3, one `tlsprobe: error:` message naming `needle` on
/// stderr, nothing on stdout.
fn assert_usage_error(args: &[&str], needle: &str) {
    let out = run(args);
    assert_eq!(
        out.code,
        Some(3),
        "{args:?}: exit code\nstdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stderr.contains(needle),
        "{args:?}: stderr should name {needle:?}:\n{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{args:?}: stdout:\n{}", out.stdout);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Exit codes, per command

#[test]
fn check_exit_codes_follow_the_monitoring_convention() {
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let healthy = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let tls13_only = OpensslServer::builder()
        .pki(&pki)
        .tls1_3()
        .start()
        .expect("s_server -tls1_3");
    let legacy = OpensslServer::builder()
        .pki(&pki)
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server -tls1");
    let closed = free_port().expect("port");
    let cases: [(&str, String, i32); 4] = [
        ("healthy", healthy.target(), 0),
        ("TLS 1.3 only (warning)", tls13_only.target(), 1),
        ("TLS 1.0 only (critical)", legacy.target(), 2),
        ("nothing listening", format!("127.0.0.1:{closed}"), 2),
    ];
    for (what, target, want) in &cases {
        for format in ["json", "human", "jsonl", "html"] {
            let out = run(&["check", "--format", format, "--ca-file", &ca, target]);
            assert_eq!(
                out.code,
                Some(*want),
                "{what} ({format}):\n{}\n{}",
                out.stdout,
                out.stderr
            );
            // Nothing but errors on stderr when it is not a terminal.
            assert!(out.stderr.is_empty(), "{what} ({format}): {}", out.stderr);
        }
    }
    // The worst target decides; an invalid target among good ones makes the run unknown (3),
    // and the good ones are still reported.
    let out = run(&[
        "check",
        "--format",
        "json",
        "--ca-file",
        &ca,
        &healthy.target(),
        &tls13_only.target(),
    ]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let out = run(&[
        "check",
        "--format",
        "json",
        "--ca-file",
        &ca,
        &healthy.target(),
        "bad target:99999",
    ]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(1));
    assert_eq!(doc["errors"][0]["input"], "bad target:99999");
}

#[test]
fn check_bad_input_exits_3_naming_what_is_wrong() {
    let dir = TempDir::new("exit3").expect("tmp");
    let missing = dir.join("no-such-ca.pem");
    let missing = missing.to_string_lossy();
    assert_usage_error(
        &["check", "127.0.0.1:1", "--ca-file", &missing],
        "no-such-ca.pem",
    );
    let not_pem = dir.write("not.pem", "hello\n").expect("write");
    assert_usage_error(
        &[
            "check",
            "127.0.0.1:1",
            "--ca-file",
            &not_pem.to_string_lossy(),
        ],
        "not.pem",
    );
    let no_file = dir.join("no-such-targets.txt");
    assert_usage_error(
        &["check", "--targets-file", &no_file.to_string_lossy()],
        "no-such-targets.txt",
    );
    // A directory cannot be read as a targets file (root can read any file, not a directory).
    assert_usage_error(
        &["check", "--targets-file", &dir.path().to_string_lossy()],
        &dir.path().to_string_lossy(),
    );
    let binary = dir
        .write("bin.txt", [0xffu8, 0xfe, 0x00, 0x80])
        .expect("write");
    assert_usage_error(
        &["check", "--targets-file", &binary.to_string_lossy()],
        "not UTF-8",
    );
    assert_usage_error(&["check", "127.0.0.1:1", "--timeout", "soon"], "--timeout");
    assert_usage_error(&["check", "127.0.0.1:1", "--deadline", "0s"], "--deadline");
    assert_usage_error(
        &["check", "127.0.0.1:1", "--concurrency", "0"],
        "--concurrency",
    );
    assert_usage_error(
        &["check", "127.0.0.1:1", "--concurrency", "many"],
        "--concurrency",
    );
    assert_usage_error(
        &["check", "127.0.0.1:1", "--connect-to", "nowhere"],
        "--connect-to",
    );
    assert_usage_error(&["check", "127.0.0.1:1", "--proxy", "ftp://x:1"], "--proxy");
    assert_usage_error(&["check", "127.0.0.1:1", "--format", "xml"], "--format");
    assert_usage_error(&["check", "127.0.0.1:1", "--color", "sometimes"], "--color");
    assert_usage_error(&["check", "127.0.0.1:1", "--bogus"], "--bogus");
    assert_usage_error(&["check"], "no targets");
    assert_usage_error(&["check", "-v", "-q", "127.0.0.1:1"], "--quiet");
    // Only invalid targets: reported, nothing probed, exit 3.
    let out = run(&["check", "--format", "json", "not a target"]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("not a target"), "{}", out.stderr);
}

#[test]
fn explain_and_ciphers_exit_codes() {
    for (args, want) in [
        (&["explain", "10054"][..], 0),
        (&["explain", "--format", "human", "ECONNRESET"][..], 0),
        (&["explain", "legacy-tls-rejected"][..], 0),
        (&["ciphers"][..], 0),
        (
            &["ciphers", "--tls-version", "1.2", "--format", "human"][..],
            0,
        ),
        (&["ciphers", "--format", "html"][..], 0),
        (&["explain", "--format", "html", "10060"][..], 0),
    ] {
        let out = run(args);
        assert_eq!(out.code, Some(want), "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}: {}", out.stderr);
    }
    assert_usage_error(&["explain", "no-such-code-at-all"], "no-such-code-at-all");
    assert_usage_error(&["explain"], "CODE");
    assert_usage_error(&["explain", "10054", "--format", "yaml"], "--format");
    assert_usage_error(&["ciphers", "--tls-version", "4.0"], "--tls-version");
    assert_usage_error(&["ciphers", "--bogus"], "--bogus");
    assert_usage_error(&["no-such-command"], "no-such-command");
}

#[test]
fn schema_completions_and_man_exit_codes() {
    for args in [
        &["schema"][..],
        &["completions", "bash"][..],
        &["man"][..],
        &["man", "check"][..],
    ] {
        let out = run(args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
    assert_usage_error(&["completions", "tcsh"], "tcsh");
    assert_usage_error(&["completions"], "SHELL");
    assert_usage_error(&["man", "no-such-command"], "no-such-command");
    let out = run(&["--help"]);
    assert_eq!(out.code, Some(0));
    let out = run(&["--version"]);
    assert_eq!(out.code, Some(0));
    assert!(
        out.stdout.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        out.stdout
    );
}

#[test]
fn azure_backup_exit_codes_follow_readiness() {
    use crate::azure::{Entry, catalogue};
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let ready = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let legacy_too = OpensslServer::builder()
        .pki(&pki)
        .versions("TLSv1", "TLSv1.2")
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server legacy");
    let closed = free_port().expect("port");
    let dir = TempDir::new("azure-exit").expect("tmp");
    for (what, port, want) in [
        ("ready", ready.port(), 0),
        ("at risk", legacy_too.port(), 1),
        ("blocked", closed, 2),
    ] {
        let sub = TempDir::new("azure-exit-one").expect("tmp");
        let cat = catalogue(&sub, &[Entry::new(port, "identity")]);
        for format in ["json", "human", "html"] {
            let out = run(&[
                "azure-backup",
                "--catalogue",
                &cat,
                "--ca-file",
                &ca,
                "--timeout",
                "3s",
                "--format",
                format,
            ]);
            assert_eq!(
                out.code,
                Some(want),
                "{what} ({format}):\n{}\n{}",
                out.stdout,
                out.stderr
            );
            if format == "json" {
                validate(&out.stdout, &dir);
            }
        }
    }
    let bad = dir
        .write("bad.toml", "[[endpoints]]\nhost = 1\n")
        .expect("write");
    assert_usage_error(
        &["azure-backup", "--catalogue", &bad.to_string_lossy()],
        "bad.toml:",
    );
    let missing = dir.join("missing.toml");
    assert_usage_error(
        &["azure-backup", "--catalogue", &missing.to_string_lossy()],
        "missing.toml",
    );
    assert_usage_error(&["azure-backup", "--cloud", "mars"], "--cloud");
    assert_usage_error(
        &["azure-backup", "--component", "toaster", "--list"],
        "--component",
    );
    assert_usage_error(&["azure-backup", "example.com"], "TARGET");
    assert_eq!(run(&["azure-backup", "--list"]).code, Some(0));
}

#[test]
fn simulate_exit_codes_and_its_json_matches_the_schema() {
    use crate::harness::hostile::{HostileServer, Scenario};
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let modern = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    // Resets hellos offering at most TLS 1.1, as Azure front ends do; relays the others.
    let azure_like = HostileServer::start(Scenario::ResetLegacy {
        backend: modern.addr(),
    })
    .expect("reset-legacy");
    let dir = TempDir::new("simulate-exit").expect("tmp");
    let front = azure_like.addr().to_string();
    for (client, want) in [("win2022", 0), ("win2012r2", 0), ("win2008r2", 2)] {
        for format in ["json", "human", "html"] {
            let out = run(&[
                "simulate",
                "--client",
                client,
                "--ca-file",
                &ca,
                "--format",
                format,
                &front,
            ]);
            assert_eq!(
                out.code,
                Some(want),
                "{client} ({format}):\n{}\n{}",
                out.stdout,
                out.stderr
            );
            if format == "json" {
                validate(&out.stdout, &dir);
            }
            if format == "human" {
                let first = out.stdout.lines().next().unwrap_or_default();
                assert!(
                    first.contains(&format!("{client}: ")),
                    "status line names the client: {first}"
                );
            }
        }
    }
    let out = run(&[
        "simulate",
        "--all-clients",
        "--ca-file",
        &ca,
        "--format",
        "json",
        &front,
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    validate(&out.stdout, &dir);
    assert_usage_error(&["simulate", "--client", "win95", &front], "--client");
    assert_usage_error(&["simulate", &front], "--client");
    assert_usage_error(&["simulate", "--client", "win2022"], "no targets");
}

#[test]
fn registry_exit_codes_and_output() {
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/registry");
    let f = |name: &str| fx.join(name).to_string_lossy().into_owned();
    let dir = TempDir::new("registry-exit").expect("tmp");
    for (file, want) in [
        ("2008r2-fixed.reg", 0),
        ("2008r2-defaults.reg", 2),
        ("bad-line.reg", 3),
    ] {
        for format in ["json", "human", "html"] {
            let out = run(&[
                "registry",
                &f(file),
                "--os",
                "win2008r2",
                "--format",
                format,
            ]);
            assert_eq!(
                out.code,
                Some(want),
                "{file} ({format}):\n{}\n{}",
                out.stdout,
                out.stderr
            );
            if format == "json" {
                validate(&out.stdout, &dir);
            }
        }
    }
    // --output and --write-fix write whole files.
    let report = dir.join("audit.html");
    let fix = dir.join("fix.reg");
    let out = run(&[
        "registry",
        &f("2008r2-defaults.reg"),
        "--os",
        "win2008r2",
        "-o",
        &report.to_string_lossy(),
        "--write-fix",
        &fix.to_string_lossy(),
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("registry"));
    assert!(
        std::fs::read(&fix).expect("fix").starts_with(&[0xFF, 0xFE]),
        "UTF-16LE BOM"
    );
    assert_usage_error(&["registry"], "FILE.reg");
    assert_usage_error(
        &["registry", &f("2008r2-fixed.reg"), "--os", "win95"],
        "--os",
    );
    assert_eq!(run(&["registry", "--commands"]).code, Some(0));
}

#[test]
fn watch_and_serve_exit_codes() {
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let healthy = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let legacy = OpensslServer::builder()
        .pki(&pki)
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server -tls1");
    for (target, want) in [(healthy.target(), 0), (legacy.target(), 2)] {
        let out = run(&[
            "watch",
            "--count",
            "1",
            "--every",
            "1s",
            "--ca-file",
            &ca,
            &target,
        ]);
        assert_eq!(
            out.code,
            Some(want),
            "{target}: {}\n{}",
            out.stdout,
            out.stderr
        );
    }
    let t = healthy.target();
    assert_usage_error(
        &["watch", "--count", "1", "--every", "often", &t],
        "--every",
    );
    assert_usage_error(&["watch", "--count", "0", &t], "--count");
    assert_usage_error(&["watch", "--count", "1", "-o", "w.json", &t], "--output");
    assert_usage_error(
        &["watch", "--count", "1", "--format", "html", &t],
        "--format",
    );
    assert_usage_error(&["watch", "--count", "1"], "no targets");
    assert_usage_error(&["serve", "--listen", "not an address"], "--listen");
    assert_usage_error(&["serve"], "--allow");
    assert_usage_error(
        &["serve", "--allow", "*", "--deny", "10.0.0.0/99"],
        "--deny",
    );
    let dir = TempDir::new("serve-exit").expect("tmp");
    let missing = dir.join("no-serve.toml");
    assert_usage_error(
        &["serve", "--config", &missing.to_string_lossy()],
        "no-serve.toml",
    );
}

// ---------------------------------------------------------------------------------------------
// schema

#[test]
fn schema_prints_the_published_schema() {
    let out = run(&["schema"]);
    let published = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/tlsprobe-v1.json"),
    )
    .expect("schema file");
    assert_eq!(out.stdout.trim_end(), published.trim_end());
    let schema: Value = serde_json::from_str(&out.stdout).expect("schema is JSON");
    assert!(
        schema["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("2020-12"))
    );
    // `--format` does not turn the schema into something else; -o writes it.
    let dir = TempDir::new("schema-cmd").expect("tmp");
    let file = dir.join("s.json");
    let out = run(&["schema", "--format", "human", "-o", &file.to_string_lossy()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&file).expect("written").trim_end(),
        published.trim_end()
    );
}

// ---------------------------------------------------------------------------------------------
// completions and man pages

fn shell_check(shell: &str, args: &[&str], script: &Path) {
    let mut cmd = Command::new(shell);
    cmd.args(args).arg(script);
    let out = run_with_timeout(cmd, RUN).unwrap_or_else(|e| {
        panic!("{shell} is needed to check its completions (scripts/install-deps.sh): {e}")
    });
    assert_eq!(
        out.code,
        Some(0),
        "{shell} rejects the completion script:\n{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn completions_for_every_shell_are_valid_scripts() {
    let dir = TempDir::new("completions").expect("tmp");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, Some(0), "{shell}: {}", out.stderr);
        for word in ["check", "explain", "ca-file", "targets-file", "color"] {
            assert!(out.stdout.contains(word), "{shell} completions lack {word}");
        }
        let file = dir
            .write(&format!("tlsprobe.{shell}"), &out.stdout)
            .expect("write");
        match shell {
            "bash" => {
                shell_check("bash", &["-n"], &file);
                // Sourcing it registers a completion function for tlsprobe.
                let mut cmd = Command::new("bash");
                cmd.arg("-c")
                    .arg(format!("source {} && complete -p tlsprobe", file.display()));
                let out = run_with_timeout(cmd, RUN).expect("bash");
                assert_eq!(out.code, Some(0), "{}", out.stderr);
                assert!(out.stdout.contains("tlsprobe"), "{}", out.stdout);
            }
            "zsh" => shell_check("zsh", &["-n"], &file),
            "fish" => shell_check("fish", &["--no-execute"], &file),
            "powershell" => assert!(out.stdout.contains("Register-ArgumentCompleter")),
            _ => assert!(out.stdout.contains("edit:completion:arg-completer")),
        }
    }
}

/// Renders a man page with groff, as `man` would, to plain text.
fn render_man(page: &Path) -> String {
    let mut cmd = Command::new("groff");
    // Words hyphenated at a line end are joined and whitespace collapsed below, so words can be
    // searched in the text.
    cmd.args(["-man", "-Tutf8", "-P", "-cbou", "-ww"]).arg(page);
    let out = run_with_timeout(cmd, RUN)
        .unwrap_or_else(|e| panic!("groff is needed (scripts/install-deps.sh): {e}"));
    assert_eq!(out.code, Some(0), "groff: {}", out.stderr);
    assert!(
        !out.stderr.contains("warning"),
        "groff warns: {}",
        out.stderr
    );
    let mut joined = String::new();
    let mut rest = out.stdout.as_str();
    while let Some(i) = rest.find("\u{2010}\n") {
        joined.push_str(&rest[..i]);
        rest = rest[i + "\u{2010}\n".len()..].trim_start();
    }
    joined.push_str(rest);
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn man_pages_render() {
    let dir = TempDir::new("man").expect("tmp");
    let out = run(&["man"]);
    assert!(out.stdout.contains(".TH tlsprobe 1"), "{}", out.stdout);
    let page = dir.write("tlsprobe.1", &out.stdout).expect("write");
    let text = render_man(&page);
    for word in [
        "tlsprobe",
        "check",
        "explain",
        "completions",
        "Examples",
        "Exit codes",
    ] {
        assert!(text.contains(word), "man page lacks {word:?}:\n{text}");
    }
    // One page per command with --dir.
    let pages = dir.join("man1");
    let out = run(&["man", "--dir", &pages.to_string_lossy()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for cmd in COMMANDS {
        let p = pages.join(format!("tlsprobe-{cmd}.1"));
        assert!(p.is_file(), "{} missing", p.display());
        let text = render_man(&p);
        assert!(text.contains(&format!("tlsprobe-{cmd}")), "{text}");
    }
    let text = render_man(&pages.join("tlsprobe-check.1"));
    for word in ["--ca-file", "--targets-file", "--timeout", "Examples"] {
        assert!(
            text.contains(word),
            "tlsprobe-check(1) lacks {word:?}:\n{text}"
        );
    }
}

#[test]
fn every_command_help_shows_real_examples() {
    for cmd in COMMANDS {
        let out = run(&[cmd, "--help"]);
        assert_eq!(out.code, Some(0), "{cmd}: {}", out.stderr);
        assert!(
            out.stdout.contains("Examples:"),
            "{cmd} --help:\n{}",
            out.stdout
        );
        let examples = out
            .stdout
            .lines()
            .filter(|l| l.trim_start().starts_with(&format!("tlsprobe {cmd}")))
            .count();
        assert!(
            (2..=4).contains(&examples),
            "{cmd} --help shows {examples} examples:\n{}",
            out.stdout
        );
    }
    // The local examples run as written.
    for args in [
        &["explain", "0x80072EFE"][..],
        &["explain", "legacy-tls-rejected", "-v"][..],
        &["ciphers", "--tls-version", "1.2"][..],
    ] {
        assert_eq!(run(args).code, Some(0), "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// --output FILE

fn leftovers(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn output_file_is_written_atomically_in_every_format() {
    let pki = Pki::localhost().expect("pki");
    let ca = pki.ca_pem().to_string_lossy().into_owned();
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let dir = TempDir::new("output").expect("tmp");
    let target = s.target();
    for (name, format) in [
        ("r.json", "json"),
        ("r.jsonl", "jsonl"),
        ("r.txt", "human"),
        ("r.html", "html"),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, "previous report").expect("seed");
        // A run that fails before it starts leaves the previous file alone.
        let out = run(&[
            "check",
            &target,
            "--timeout",
            "never",
            "-o",
            &file.to_string_lossy(),
        ]);
        assert_eq!(out.code, Some(3));
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            "previous report"
        );
        // The format follows the extension when --format is not given.
        let out = run(&[
            "check",
            &target,
            "--ca-file",
            &ca,
            "-o",
            &file.to_string_lossy(),
        ]);
        assert_eq!(out.code, Some(0), "{format}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{format}: stdout {}", out.stdout);
        let text = std::fs::read_to_string(&file).expect("read");
        match format {
            "json" => validate(&text, &dir),
            "jsonl" => {
                let line: Value = serde_json::from_str(text.trim_end()).expect("one JSON line");
                assert_eq!(line["target"]["port"], s.port());
            }
            "human" => {
                assert!(text.starts_with("OK "), "{text}");
                assert!(!text.contains('\x1b'), "no colour in a file: {text}");
            }
            _ => {
                assert!(text.starts_with("<!DOCTYPE html>"), "{text}");
                assert!(text.trim_end().ends_with("</html>"));
                assert!(text.contains(&target));
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o644, "{name}: mode {mode:o} kept");
        }
    }
    assert!(
        leftovers(
            dir.path(),
            &["r.json", "r.jsonl", "r.txt", "r.html", "doc.json"]
        )
        .is_empty()
    );
    // --format wins over the extension; `-o -` is stdout.
    let file = dir.join("x.html");
    let out = run(&[
        "check",
        &target,
        "--ca-file",
        &ca,
        "--format",
        "json",
        "-o",
        &file.to_string_lossy(),
    ]);
    assert_eq!(out.code, Some(0));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    assert_eq!(doc["schema"], "tlsprobe/v1");
    let out = run(&[
        "check",
        &target,
        "--ca-file",
        &ca,
        "--format",
        "jsonl",
        "-o",
        "-",
    ]);
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout.lines().count(), 1);
    // Other commands write files the same way.
    for (args, name) in [
        (&["explain", "10054"][..], "e.json"),
        (&["ciphers", "--format", "human"][..], "c.txt"),
        (&["schema"][..], "s.json"),
        (&["completions", "fish"][..], "t.fish"),
        (&["man"][..], "tlsprobe.1"),
    ] {
        let file = dir.join(name);
        let mut all = args.to_vec();
        let f = file.to_string_lossy().into_owned();
        all.extend(["-o", &f]);
        let out = run(&all);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(std::fs::metadata(&file).expect("written").len() > 0);
    }
    // A directory that does not exist: exit 3, named.
    let bad = dir.join("no/such/dir/r.json");
    assert_usage_error(&["check", &target, "-o", &bad.to_string_lossy()], "r.json");
}

#[test]
fn output_file_does_not_exist_until_the_report_is_complete() {
    // A silent server keeps the run going for the whole --timeout.
    let silent = HostileServer::start(Scenario::Silent).expect("silent");
    let dir = TempDir::new("output-late").expect("tmp");
    let file = dir.join("late.json");
    let mut cmd = Command::new(crate::harness::tlsprobe_bin());
    cmd.args(["check", "--timeout", "3s", "-o"])
        .arg(&file)
        .arg(silent.addr().to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().expect("spawn");
    std::thread::sleep(Duration::from_millis(1000));
    let during = file.exists();
    let give_up = std::time::Instant::now() + RUN;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if std::time::Instant::now() > give_up {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tlsprobe did not finish within {RUN:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(!during, "the report file appeared before the run finished");
    assert_eq!(status.code(), Some(2));
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    assert_eq!(doc["targets"][0]["status"], "critical");
}
