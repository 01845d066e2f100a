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
