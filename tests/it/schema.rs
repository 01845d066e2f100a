//! The JSON output validates against the published schema (schema/tlsprobe-v1.json), checked
//! with an independent validator (python's jsonschema, installed by scripts/install-deps.sh).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::openssl::OpensslServer;
use crate::harness::{TempDir, free_port, run_tlsprobe_with, run_with_timeout};

/// Validates `doc` against schema/tlsprobe-v1.json with python jsonschema; fails the test on any
/// violation.
pub fn validate(doc: &str, dir: &TempDir) {
    let file = dir.write("doc.json", doc).expect("write");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/tlsprobe-v1.json");
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(
            "import json,sys,jsonschema\n\
             schema=json.load(open(sys.argv[1])); doc=json.load(open(sys.argv[2]))\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             errs=sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)\n\
             [print(list(e.absolute_path), e.message) for e in errs]\n\
             sys.exit(1 if errs else 0)",
        )
        .arg(&schema)
        .arg(&file);
    let out = run_with_timeout(cmd, Duration::from_secs(30)).expect("python3");
    assert_eq!(
        out.code,
        Some(0),
        "schema violations (python jsonschema is required; scripts/install-deps.sh installs it):\n{}{}",
        out.stdout,
        out.stderr
    );
}

/// Panics unless `doc` validates against the schema.
pub fn assert_valid(doc: &serde_json::Value) {
    let dir = TempDir::new("schema").expect("tmp");
    validate(&doc.to_string(), &dir);
}

/// Validates `doc` against one definition of the schema (`#/$defs/NAME`), for the documents
/// that are not runs of targets (`explain`, `ciphers`, `azure-backup --list`).
pub fn validate_def(doc: &str, def: &str, dir: &TempDir) {
    let file = dir.write(&format!("{def}.json"), doc).expect("write");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/tlsprobe-v1.json");
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(
            "import json,sys,jsonschema\n\
             full=json.load(open(sys.argv[1])); doc=json.load(open(sys.argv[2]))\n\
             assert sys.argv[3] in full['$defs'], 'no definition ' + sys.argv[3]\n\
             schema={'$schema': full['$schema'], '$defs': full['$defs'], '$ref': '#/$defs/' + sys.argv[3]}\n\
             jsonschema.Draft202012Validator.check_schema(schema)\n\
             errs=sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)\n\
             [print(list(e.absolute_path), e.message) for e in errs]\n\
             sys.exit(1 if errs else 0)",
        )
        .arg(&schema)
        .arg(&file)
        .arg(def);
    let out = run_with_timeout(cmd, Duration::from_secs(30)).expect("python3");
    assert_eq!(
        out.code,
        Some(0),
        "{def}: schema violations:\n{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn explain_ciphers_and_catalogue_documents_match_the_schema() {
    let dir = TempDir::new("schema-docs").expect("tmp");
    let json = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = run_tlsprobe_with(&all, &[], Duration::from_secs(30)).expect("run");
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        out.stdout
    };
    for code in [
        "10054",
        "0x80072EFE",
        "handshake_failure",
        "legacy-tls-rejected",
    ] {
        validate_def(&json(&["explain", code]), "explain_document", &dir);
    }
    for args in [
        &["ciphers"][..],
        &["ciphers", "--tls-version", "ssl2"][..],
        &["ciphers", "--tls-version", "1.2"][..],
    ] {
        validate_def(&json(args), "ciphers_document", &dir);
    }
    for args in [
        &["azure-backup", "--list"][..],
        &["azure-backup", "--list", "--cloud", "usgov"][..],
    ] {
        validate_def(&json(args), "catalogue_document", &dir);
    }
    // The definitions are not vacuous: a run document is not an explain document.
    let file = dir
        .write(
            "not-explain.json",
            "{\"schema\":\"tlsprobe/v1\",\"input\":\"x\",\"entries\":[]}",
        )
        .expect("write");
    let doc = std::fs::read_to_string(&file).expect("read");
    let caught = std::panic::catch_unwind(|| validate_def(&doc, "explain_document", &dir));
    assert!(caught.is_err(), "an empty entries list must not validate");
}

#[test]
fn check_output_matches_the_schema() {
    let ok = OpensslServer::builder().start().expect("s_server");
    let reset = HostileServer::start(Scenario::ResetAfterHello).expect("reset");
    let http = HostileServer::start(Scenario::Http).expect("http");
    let closed = free_port().expect("port");
    let dir = TempDir::new("schema").expect("tmp");
    let args = [
        "check",
        "--format",
        "json",
        "--timeout",
        "2s",
        &ok.target(),
        &reset.addr().to_string(),
        &http.addr().to_string(),
        &format!("127.0.0.1:{closed}"),
        "not a target",
    ];
    let out = run_tlsprobe_with(&args, &[], Duration::from_secs(60)).expect("run");
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    validate(&out.stdout, &dir);
    // Every JSONL line is a valid target object: wrap each in a document to reuse the schema.
    let mut args = args.to_vec();
    args[2] = "jsonl";
    args.pop();
    let out = run_tlsprobe_with(&args, &[], Duration::from_secs(60)).expect("run");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4);
    let doc = format!(
        "{{\"schema\":\"tlsprobe/v1\",\"tool_version\":\"x\",\"command\":\"check\",\"started_at\":\"2026-01-01T00:00:00Z\",\"targets\":[{}]}}",
        lines.join(",")
    );
    validate(&doc, &dir);
    // Through a proxy (here one that is not there): the proxy object and its failure.
    let dead = free_port().expect("port");
    let out = run_tlsprobe_with(
        &[
            "check",
            "--format",
            "json",
            &ok.target(),
            "--proxy",
            &format!("http://127.0.0.1:{dead}"),
        ],
        &[],
        Duration::from_secs(60),
    )
    .expect("run");
    assert!(out.stdout.contains("\"proxy\""), "{}", out.stdout);
    validate(&out.stdout, &dir);
}

#[test]
fn the_reference_page_is_generated_from_the_schema() {
    let mut cmd = Command::new("python3");
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/json-reference.py"))
        .arg("--check");
    let out = run_with_timeout(cmd, Duration::from_secs(30)).expect("python3");
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
}
