//! `check` through a real HTTP CONNECT proxy (tinyproxy): tunnels, credentials, policy refusals,
//! an unreachable proxy, a non-proxy at the proxy address, and the environment variables.

use std::time::Duration;

use serde_json::Value;

use crate::check::check_json;
use crate::harness::hostile::{HostileServer, Scenario};
use crate::harness::openssl::OpensslServer;
use crate::harness::proxy::Tinyproxy;
use crate::harness::report::{endpoint, proto};
use crate::harness::{free_port, run_tlsprobe_with};

fn ids(doc: &Value) -> Vec<String> {
    doc["targets"][0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn probes_go_through_the_tunnel() {
    let s = OpensslServer::builder().start().expect("s_server");
    let p = Tinyproxy::builder()
        .basic_auth("backup", "s3cret")
        .start()
        .expect("tinyproxy");
    let (_, doc) = check_json(&[&s.target(), "--proxy", &p.url(Some(("backup", "s3cret")))]);
    let t = &doc["targets"][0];
    assert_eq!(t["dns"]["source"], "proxy", "{t:#}");
    let ep = endpoint(&doc);
    assert_eq!(ep["proxy"]["outcome"], "connected", "{ep:#}");
    assert_eq!(
        ep["proxy"]["url"],
        p.url(None),
        "credentials never appear in reports"
    );
    assert_eq!(ep["tcp"]["outcome"], "connected");
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.3")["outcome"], "accepted");
    assert_eq!(proto(ep, "TLS1.0")["outcome"], "alert");
    assert_eq!(ep["negotiated"]["version"], "TLS1.3");
    assert_eq!(ep["negotiated"]["source"], "rustls");
    assert!(!ep["certificate"].is_null());
}

#[test]
fn wrong_credentials_are_proxy_auth_required() {
    let s = OpensslServer::builder().start().expect("s_server");
    let p = Tinyproxy::builder()
        .basic_auth("backup", "s3cret")
        .start()
        .expect("tinyproxy");
    let (code, doc) = check_json(&[&s.target(), "--proxy", &p.url(Some(("backup", "wrong")))]);
    let ep = endpoint(&doc);
    assert_eq!(ep["proxy"]["outcome"], "auth_required", "{ep:#}");
    // tinyproxy answers 401 where RFC 9110 says 407; both mean the same here.
    let status = ep["proxy"]["status"].as_u64().unwrap_or(0);
    assert!(status == 401 || status == 407, "{status}");
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "refused");
    assert_eq!(ids(&doc), ["proxy-auth-required"]);
    assert_eq!(code, 2);
    // No credentials at all: the same finding.
    let (_, doc) = check_json(&[&s.target(), "--proxy", &p.url(None)]);
    assert_eq!(ids(&doc), ["proxy-auth-required"]);
}

#[test]
fn proxy_policy_refusal_is_proxy_refused() {
    let s = OpensslServer::builder().start().expect("s_server");
    let p = Tinyproxy::builder()
        .connect_ports(&[443])
        .start()
        .expect("tinyproxy");
    let (code, doc) = check_json(&[&s.target(), "--proxy", &p.url(None)]);
    let ep = endpoint(&doc);
    assert_eq!(ep["proxy"]["outcome"], "refused", "{ep:#}");
    assert_eq!(ep["proxy"]["status"], 403);
    assert_eq!(ids(&doc), ["proxy-refused"]);
    assert_eq!(code, 2);
}

#[test]
fn unreachable_proxy() {
    let s = OpensslServer::builder().start().expect("s_server");
    let dead = free_port().expect("port");
    let (code, doc) = check_json(&[&s.target(), "--proxy", &format!("http://127.0.0.1:{dead}")]);
    let ep = endpoint(&doc);
    assert_eq!(ep["proxy"]["outcome"], "unreachable", "{ep:#}");
    assert_eq!(ep["tcp"]["error"]["os_error"]["name"], "ECONNREFUSED");
    assert_eq!(ids(&doc), ["proxy-unreachable"]);
    assert_eq!(code, 2);
}

#[test]
fn a_tls_server_at_the_proxy_address_is_proxy_error() {
    let s = OpensslServer::builder().start().expect("s_server");
    let not_proxy = HostileServer::start(Scenario::Garbage).expect("garbage");
    let (_, doc) = check_json(&[
        &s.target(),
        "--proxy",
        &format!("http://{}", not_proxy.addr()),
        "--timeout",
        "2s",
    ]);
    let ep = endpoint(&doc);
    assert_eq!(ep["proxy"]["outcome"], "error", "{ep:#}");
    assert_eq!(ids(&doc), ["proxy-error"]);
}

#[test]
fn environment_proxy_and_no_proxy() {
    let s = OpensslServer::builder().start().expect("s_server");
    let p = Tinyproxy::builder().start().expect("tinyproxy");
    let run = |env: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec!["check", "--format", "json"];
        let target = s.target();
        args.push(&target);
        args.extend_from_slice(extra);
        let out = run_tlsprobe_with(&args, env, Duration::from_secs(60)).expect("run");
        serde_json::from_str::<Value>(&out.stdout).expect("json")
    };
    let url = p.url(None);
    let doc = run(&[("HTTPS_PROXY", &url)], &[]);
    assert_eq!(endpoint(&doc)["proxy"]["outcome"], "connected");
    // NO_PROXY exempts the host: a direct probe, no proxy object.
    let doc = run(
        &[("HTTPS_PROXY", &url), ("NO_PROXY", "localhost,127.0.0.1")],
        &[],
    );
    assert!(endpoint(&doc)["proxy"].is_null());
    assert_eq!(doc["targets"][0]["dns"]["source"], "literal");
    // --no-proxy ignores the environment.
    let doc = run(&[("HTTPS_PROXY", &url)], &["--no-proxy"]);
    assert!(endpoint(&doc)["proxy"].is_null());
}

#[test]
fn legacy_resets_behind_a_proxy() {
    let backend = OpensslServer::builder().start().expect("s_server");
    let s = HostileServer::start(Scenario::ResetLegacy {
        backend: backend.addr(),
    })
    .expect("reset-legacy");
    let p = Tinyproxy::builder().start().expect("tinyproxy");
    let (_, doc) = check_json(&[&s.addr().to_string(), "--proxy", &p.url(None)]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.2")["outcome"], "accepted", "{ep:#}");
    // A proxy turns the server's RST into its own close of the tunnel: the client sees the
    // connection end without an answer, not 10054.
    let v10 = proto(ep, "TLS1.0")["outcome"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(v10 == "closed" || v10 == "reset", "{v10}");
    assert!(
        ids(&doc).contains(&"legacy-tls-rejected".to_string()),
        "{:?}",
        ids(&doc)
    );
}
