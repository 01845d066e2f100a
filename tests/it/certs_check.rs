//! Certificate inspection through `tlsprobe check --format json`: trust with and without
//! `--ca-file`, expiry, not-yet-valid, wrong name, self-signed, an incomplete chain, OCSP
//! stapling, ALPN, a TLS 1.0-only server whose chain comes from the raw probe, per-phase timing
//! fields, and a TLS-inspecting middlebox re-signing a public name.
//!
//! Servers are `openssl s_server` and the harness's in-process rustls server, on 127.0.0.1 with
//! throwaway PKIs. No name goes through the system resolver: targets are IP literals, or a name
//! with `--connect-to 127.0.0.1` (which skips DNS entirely, see `probe::check::resolve`).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use serde_json::Value;
use time::OffsetDateTime;

use crate::check::check_json;
use crate::harness::certs::{CertSpec, Pki, WRONG_HOST};
use crate::harness::openssl::OpensslServer;
use crate::harness::report::{assert_finding, endpoint, finding, finding_ids};
use crate::harness::rustls_server::RustlsServer;
use crate::harness::{TempDir, run_with_timeout};

/// `--ca-file PATH` for this PKI's root.
fn ca_arg(pki: &Pki) -> String {
    pki.ca_pem().to_string_lossy().into_owned()
}

/// The certificate object of the first endpoint; panics (showing the endpoint) when absent.
fn cert(doc: &Value) -> &Value {
    let c = &endpoint(doc)["certificate"];
    assert!(c.is_object(), "no certificate: {:#}", endpoint(doc));
    c
}

/// Whether the first target has a finding `id`.
fn has_finding(doc: &Value, id: &str) -> bool {
    finding_ids(doc).iter().any(|(i, _)| i == id)
}

/// Starts an `openssl s_server` (TLS 1.2 and 1.3) serving `spec`'s chain; returns it with its
/// PKI.
fn serve(spec: &CertSpec) -> (OpensslServer, Pki) {
    let pki = Pki::generate(spec).expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    (s, pki)
}

#[test]
fn private_ca_is_trusted_only_with_ca_file() {
    let (s, pki) = serve(&CertSpec::default());
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(c["trust_error"], Value::Null, "{c:#}");
    assert_eq!(c["hostname_match"], true, "{c:#}");
    assert_eq!(c["source"], "rustls");
    assert_eq!(c["ocsp_stapled"], false);
    let leaf = &c["chain"][0];
    assert!(
        leaf["subject"].as_str().unwrap_or("").contains("localhost"),
        "{leaf:#}"
    );
    assert_eq!(leaf["key"], "EC P-256");
    assert_eq!(leaf["sha256"].as_str().map(str::len), Some(64));
    let days = c["days_left"].as_i64().expect("days_left");
    assert!((88..=90).contains(&days), "days_left {days}");
    assert!(
        !has_finding(&doc, "cert-untrusted"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));

    let (code, doc) = check_json(&[&s.target()]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "unknown_issuer", "{c:#}");
    // A private name (an IP) under an unknown CA says nothing about interception.
    assert_eq!(c["intercepted"], Value::Null, "{c:#}");
    assert_finding(&doc, "cert-untrusted", "critical");
    assert_eq!(code, 2);
}

#[test]
fn expired_leaf() {
    let (s, pki) = serve(&CertSpec::default().expired());
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "expired", "{c:#}");
    assert!(c["days_left"].as_i64().is_some_and(|d| d < 0), "{c:#}");
    // The handshake itself still completes: trust is judged apart from it.
    assert_eq!(endpoint(&doc)["negotiated"]["source"], "rustls");
    assert_finding(&doc, "cert-expired", "critical");
    assert_eq!(code, 2);
}

#[test]
fn not_yet_valid_leaf() {
    let (s, pki) = serve(&CertSpec::default().not_yet_valid());
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "not_yet_valid", "{c:#}");
    let detail = c["trust_detail"].as_str().unwrap_or("");
    assert!(detail.contains("valid from"), "{detail}");
    assert_finding(&doc, "cert-not-yet-valid", "critical");
    assert!(
        !has_finding(&doc, "cert-expired"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 2);
}

#[test]
fn wrong_host_name() {
    let (s, pki) = serve(&CertSpec::default().wrong_host());
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "name_mismatch", "{c:#}");
    assert_eq!(c["hostname_match"], false, "{c:#}");
    assert_eq!(c["chain"][0]["sans"], serde_json::json!([WRONG_HOST]));
    let detail = c["trust_detail"].as_str().unwrap_or("");
    assert!(detail.contains(WRONG_HOST), "{detail}");
    assert_finding(&doc, "cert-name-mismatch", "critical");
    assert_eq!(code, 2);
}

#[test]
fn self_signed_leaf() {
    let (s, _pki) = serve(&CertSpec::default().self_signed());
    let (code, doc) = check_json(&[&s.target()]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "self_signed", "{c:#}");
    assert_eq!(c["chain"].as_array().map(Vec::len), Some(1));
    assert_eq!(c["chain"][0]["self_issued"], true);
    assert_finding(&doc, "cert-self-signed", "critical");
    assert!(
        !has_finding(&doc, "cert-untrusted"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 2);
}

#[test]
fn intermediate_sent_is_trusted() {
    let (s, pki) = serve(&CertSpec::default().with_intermediate());
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(c["chain"].as_array().map(Vec::len), Some(2), "{c:#}");
    assert_eq!(c["chain"][1]["is_ca"], true);
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));
}

#[test]
fn missing_intermediate_is_an_incomplete_chain() {
    let pki = Pki::generate(&CertSpec::default().with_intermediate()).expect("pki");
    // The builder's own certificate is replaced by the bare leaf: later -cert/-key options win,
    // and no -cert_chain is given, so the intermediate is never sent.
    let leaf = pki.leaf_pem().to_string_lossy().into_owned();
    let key = pki.key_pem().to_string_lossy().into_owned();
    let s = OpensslServer::builder()
        .args(["-cert", &leaf, "-key", &key])
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["chain"].as_array().map(Vec::len), Some(1), "{c:#}");
    assert!(
        c["chain"][0]["issuer"]
            .as_str()
            .unwrap_or("")
            .contains("intermediate"),
        "{c:#}"
    );
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "unknown_issuer", "{c:#}");
    let detail = c["trust_detail"].as_str().unwrap_or("");
    assert!(detail.contains("incomplete chain"), "{detail}");
    assert_finding(&doc, "cert-untrusted", "critical");
    assert_eq!(code, 2);
}

#[test]
fn ocsp_staple_is_seen() {
    let pki = Pki::localhost().expect("pki");
    let ocsp = pki.ocsp_response().expect("ocsp response");
    let s = OpensslServer::builder()
        .pki(&pki)
        .status_file(&ocsp)
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(c["ocsp_stapled"], true, "{c:#}");
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));

    // The same server without a staple.
    let plain = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let (_, doc) = check_json(&[&plain.target(), "--ca-file", &ca_arg(&pki)]);
    assert_eq!(cert(&doc)["ocsp_stapled"], false);
}

#[test]
fn alpn_h2_is_negotiated() {
    let pki = Pki::localhost().expect("pki");
    let s = RustlsServer::builder()
        .pki(&pki)
        .alpn(&["h2"])
        .start()
        .expect("rustls server");
    let (code, doc) = check_json(&[&s.addr().to_string(), "--ca-file", &ca_arg(&pki)]);
    let n = &endpoint(&doc)["negotiated"];
    assert_eq!(n["alpn"], "h2", "{n:#}");
    assert_eq!(n["source"], "rustls");
    assert_eq!(cert(&doc)["trusted"], true);
    // rustls does not implement TLS_FALLBACK_SCSV (RFC 7507): the one warning (issue 11).
    assert_eq!(code, 1, "{:?}", finding_ids(&doc));
    assert!(
        finding_ids(&doc)
            .iter()
            .any(|(id, _)| id == "downgrade-unprotected")
    );
    assert_eq!(endpoint(&doc)["downgrade"]["tls13_sentinel"], true);

    // Without ALPN on the server side, none is agreed.
    let none = RustlsServer::builder()
        .pki(&pki)
        .start()
        .expect("rustls server");
    let (_, doc) = check_json(&[&none.addr().to_string(), "--ca-file", &ca_arg(&pki)]);
    assert_eq!(endpoint(&doc)["negotiated"]["alpn"], Value::Null);
}

#[test]
fn tls10_only_server_certificate_comes_from_the_raw_probe() {
    let rsa = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let ca = ca_arg(&rsa);
    let s = OpensslServer::builder()
        .own_pki(rsa)
        .tls1()
        .cipher("ALL:@SECLEVEL=0")
        .start()
        .expect("s_server");
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let ep = endpoint(&doc);
    assert_eq!(ep["highest_version"], "TLS1.0", "{ep:#}");
    let c = cert(&doc);
    assert_eq!(c["source"], "raw", "{c:#}");
    let leaf = &c["chain"][0];
    assert_eq!(leaf["key"], "RSA 2048", "{leaf:#}");
    assert_eq!(leaf["key_bits"], 2048);
    let sans = leaf["sans"].to_string();
    assert!(
        sans.contains("localhost") && sans.contains("127.0.0.1"),
        "{sans}"
    );
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(c["hostname_match"], true, "{c:#}");
    // rustls cannot speak TLS 1.0: the negotiated result is the raw ServerHello's.
    assert_eq!(ep["negotiated"]["source"], "raw", "{ep:#}");
    assert_eq!(ep["negotiated"]["version"], "TLS1.0");
}

#[test]
fn timing_fields_for_a_tls13_server() {
    let s = OpensslServer::builder().tls1_3().start().expect("s_server");
    let (_, doc) = check_json(&[&s.target()]);
    let ep = endpoint(&doc);
    assert_eq!(ep["highest_version"], "TLS1.3", "{ep:#}");
    let t = &ep["timing"];
    for field in [
        "dns_ms",
        "connect_ms",
        "server_hello_ms",
        "tls_handshake_ms",
    ] {
        assert!(
            t[field].is_number(),
            "timing.{field} is not a number: {t:#}"
        );
    }
    assert!(ep["tcp"]["connect_ms"].is_number(), "{ep:#}");
    assert!(ep["negotiated"]["handshake_ms"].is_number(), "{ep:#}");
}

#[test]
fn inspection_ca_for_a_public_name_is_interception() {
    // A middlebox's own CA re-signs login.microsoftonline.com; the machine trusts that CA.
    let pki = Pki::generate(&CertSpec::default().sans(["login.microsoftonline.com"])).expect("pki");
    let s = OpensslServer::builder()
        .pki(&pki)
        .start()
        .expect("s_server");
    let target = format!("login.microsoftonline.com:{}", s.port());
    let (code, doc) = check_json(&[
        &target,
        "--connect-to",
        "127.0.0.1",
        "--ca-file",
        &ca_arg(&pki),
    ]);
    let t = &doc["targets"][0];
    assert_eq!(t["dns"]["source"], "connect_to", "{:#}", t["dns"]);
    assert_eq!(t["dns"]["addresses"], serde_json::json!(["127.0.0.1"]));
    assert_eq!(t["target"]["sni"], "login.microsoftonline.com");
    let c = cert(&doc);
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(c["hostname_match"], true, "{c:#}");
    assert_eq!(c["intercepted"], true, "{c:#}");
    let why = c["interception_evidence"].to_string();
    assert!(why.contains("--ca-file"), "{why}");
    assert_finding(&doc, "tls-interception", "critical");
    assert_eq!(code, 2);

    // Without the inspection CA, the chain leads nowhere: untrusted, interception undecided.
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1"]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "unknown_issuer", "{c:#}");
    assert_eq!(c["intercepted"], Value::Null, "{c:#}");
    assert!(
        !has_finding(&doc, "tls-interception"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 2);
}

// ---------------------------------------------------------------------------------------------
// Chains the harness PKI cannot make: SHA-1 signatures (openssl) and an expired intermediate
// (rcgen directly).

/// Runs `openssl ARGS` in `dir`; panics with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let mut cmd = Command::new("openssl");
    cmd.current_dir(dir).args(args);
    let out = run_with_timeout(cmd, Duration::from_secs(60)).expect("run openssl");
    assert_eq!(
        out.code,
        Some(0),
        "openssl {args:?} failed:\n{}\n{}",
        out.stdout,
        out.stderr
    );
}

/// A root CA (`ca.pem`, `ca.key`; RSA 2048 when `rsa`, else P-256) and a P-256 leaf for
/// localhost / 127.0.0.1 (`leaf.pem`, `leaf.key`) that the root signs with SHA-1.
fn sha1_chain(rsa: bool) -> TempDir {
    openssl_chain(
        rsa,
        "/CN=tlsprobe sha1 test root/O=tlsprobe tests",
        "DNS:localhost,IP:127.0.0.1",
        "-sha1",
    )
}

/// A root CA with subject `root_subject` (`ca.pem`, `ca.key`; RSA 2048 when `rsa`, else P-256)
/// and a P-256 leaf (`leaf.pem`, `leaf.key`) with subjectAltName `san`, signed with `digest`
/// (`-sha1`, `-sha256`), made with the openssl command.
fn openssl_chain(rsa: bool, root_subject: &str, san: &str, digest: &str) -> TempDir {
    let dir = TempDir::new("openssl-pki").expect("tmp");
    let p = dir.path();
    let root_key: &[&str] = if rsa {
        &["-newkey", "rsa:2048"]
    } else {
        &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    };
    let mut root = vec![
        "req", "-x509", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
    ];
    root.extend_from_slice(root_key);
    root.extend_from_slice(&[
        "-subj",
        root_subject,
        "-days",
        "30",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(p, &root);
    openssl(
        p,
        &[
            "req",
            "-new",
            "-nodes",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    dir.write(
        "leaf.ext",
        format!("subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
    )
    .expect("ext");
    openssl(
        p,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "4660",
            "-days",
            "30",
            digest,
            "-extfile",
            "leaf.ext",
            "-out",
            "leaf.pem",
        ],
    );
    dir
}

/// `openssl s_server` with the leaf of [`openssl_chain`] (security level 0, or OpenSSL refuses
/// to load a SHA-1 certificate).
fn serve_openssl_chain(dir: &TempDir) -> OpensslServer {
    let leaf = dir.join("leaf.pem").to_string_lossy().into_owned();
    let key = dir.join("leaf.key").to_string_lossy().into_owned();
    OpensslServer::builder()
        .args([
            "-cert",
            &leaf,
            "-key",
            &key,
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
        ])
        .start()
        .expect("s_server")
}

#[test]
fn sha1_rsa_signature_is_flagged() {
    let dir = sha1_chain(true);
    let s = serve_openssl_chain(&dir);
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let c = cert(&doc);
    assert_eq!(
        c["chain"][0]["signature_algorithm"],
        "sha1WithRSAEncryption"
    );
    // webpki does not accept SHA-1 signatures at all.
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "unsupported_algorithm", "{c:#}");
    assert_finding(&doc, "cert-invalid", "critical");
    let f = assert_finding(&doc, "cert-sha1-signature", "warning");
    assert!(
        f["summary"]
            .as_str()
            .unwrap_or("")
            .contains("sha1WithRSAEncryption"),
        "{f:#}"
    );
    assert_eq!(code, 2);
}

#[test]
fn sha1_ecdsa_signature_is_flagged() {
    let dir = sha1_chain(false);
    let s = serve_openssl_chain(&dir);
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let c = cert(&doc);
    assert_eq!(c["trust_error"], "unsupported_algorithm", "{c:#}");
    assert_eq!(
        c["chain"][0]["signature_algorithm"], "ecdsa-with-SHA1",
        "{c:#}"
    );
    assert_finding(&doc, "cert-sha1-signature", "warning");
}

#[test]
fn unsupported_algorithm_detail_is_readable() {
    let dir = sha1_chain(true);
    let s = serve_openssl_chain(&dir);
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let c = cert(&doc);
    assert_eq!(c["trust_error"], "unsupported_algorithm", "{c:#}");
    let detail = c["trust_detail"].as_str().unwrap_or("");
    assert!(detail.contains("sha1WithRSAEncryption"), "{detail}");
    assert!(!detail.contains("supported_algorithms"), "{detail}");
    let summary = finding(&doc, "cert-invalid")["summary"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(!summary.contains("supported_algorithms"), "{summary}");
}

/// Root (valid) → intermediate (expired yesterday) → leaf for localhost / 127.0.0.1 (valid),
/// made with rcgen, in a directory with `ca.pem`, `leaf.pem`, `intermediate.pem` and `key.pem`.
fn chain_with_expired_intermediate() -> TempDir {
    let dir = TempDir::new("expired-inter").expect("tmp");
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);
    let ca_params = |cn: &str, from: OffsetDateTime, to: OffsetDateTime| {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, cn);
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        p.not_before = from;
        p.not_after = to;
        p
    };
    let root_key = KeyPair::generate().expect("key");
    let root_params = ca_params("tlsprobe test root CA", now - day * 400, now + day * 400);
    let root = root_params.self_signed(&root_key).expect("root");
    let root_issuer = Issuer::new(root_params, root_key);
    let inter_key = KeyPair::generate().expect("key");
    let inter_params = ca_params("tlsprobe expired intermediate", now - day * 300, now - day);
    let inter = inter_params
        .signed_by(&inter_key, &root_issuer)
        .expect("intermediate");
    let inter_issuer = Issuer::new(inter_params, inter_key);
    let leaf_key = KeyPair::generate().expect("key");
    let mut leaf_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("params");
    leaf_params.distinguished_name = DistinguishedName::new();
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    leaf_params.not_before = now - day;
    leaf_params.not_after = now + day * 90;
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = leaf_params
        .signed_by(&leaf_key, &inter_issuer)
        .expect("leaf");
    dir.write("ca.pem", root.pem()).expect("write");
    dir.write("leaf.pem", leaf.pem()).expect("write");
    dir.write("intermediate.pem", inter.pem()).expect("write");
    dir.write("key.pem", leaf_key.serialize_pem())
        .expect("write");
    dir
}

/// `openssl s_server` sending the leaf and the expired intermediate of
/// [`chain_with_expired_intermediate`].
fn serve_expired_intermediate(dir: &TempDir) -> OpensslServer {
    let arg = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (leaf, key, inter) = (arg("leaf.pem"), arg("key.pem"), arg("intermediate.pem"));
    OpensslServer::builder()
        .args(["-cert", &leaf, "-key", &key, "-cert_chain", &inter])
        .start()
        .expect("s_server")
}

#[test]
fn expired_intermediate_is_named() {
    let dir = chain_with_expired_intermediate();
    let s = serve_expired_intermediate(&dir);
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let c = cert(&doc);
    assert_eq!(c["chain"].as_array().map(Vec::len), Some(2), "{c:#}");
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "expired", "{c:#}");
    let detail = c["trust_detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("#1") && detail.contains("intermediate"),
        "{detail}"
    );
    // The leaf itself is fine; the chain is not.
    assert!(c["days_left"].as_i64().is_some_and(|d| d > 80), "{c:#}");
    assert!(
        c["chain_days_left"].as_i64().is_some_and(|d| d < 0),
        "{c:#}"
    );
    assert_finding(&doc, "cert-expired", "critical");
    assert_eq!(code, 2);
}

#[test]
fn expired_intermediate_summary_names_the_expired_certificate() {
    let dir = chain_with_expired_intermediate();
    let s = serve_expired_intermediate(&dir);
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca]);
    let c = cert(&doc);
    let inter_not_after = c["chain"][1]["not_after"]
        .as_str()
        .unwrap_or("?")
        .to_string();
    let leaf_not_after = c["chain"][0]["not_after"]
        .as_str()
        .unwrap_or("?")
        .to_string();
    let f = assert_finding(&doc, "cert-expired", "critical");
    let summary = f["summary"].as_str().unwrap_or("");
    assert!(summary.contains(&inter_not_after), "{summary}");
    assert!(!summary.contains(&leaf_not_after), "{summary}");
    assert!(!summary.contains("expired 0 days ago"), "{summary}");
}

#[test]
fn inspection_product_issuer_is_interception_without_ca_file() {
    // An issuer name of a known inspection product, for a public name, not trusted here.
    let dir = openssl_chain(
        false,
        "/CN=Zscaler Root CA/O=Zscaler Inc.",
        "DNS:login.microsoftonline.com",
        "-sha256",
    );
    let s = serve_openssl_chain(&dir);
    let target = format!("login.microsoftonline.com:{}", s.port());
    let (code, doc) = check_json(&[&target, "--connect-to", "127.0.0.1"]);
    let c = cert(&doc);
    assert_eq!(c["trusted"], false, "{c:#}");
    assert_eq!(c["trust_error"], "unknown_issuer", "{c:#}");
    assert_eq!(c["intercepted"], true, "{c:#}");
    assert!(
        c["interception_evidence"].to_string().contains("Zscaler"),
        "{c:#}"
    );
    let f = assert_finding(&doc, "tls-interception", "critical");
    assert!(
        f["summary"].as_str().unwrap_or("").contains("Zscaler"),
        "{f:#}"
    );
    // Interception explains the unknown issuer: no separate cert-untrusted.
    assert!(
        !has_finding(&doc, "cert-untrusted"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 2);
}

#[test]
fn ocsp_staple_over_tls12() {
    let pki = Pki::localhost().expect("pki");
    let ocsp = pki.ocsp_response().expect("ocsp response");
    let s = OpensslServer::builder()
        .pki(&pki)
        .tls1_2()
        .status_file(&ocsp)
        .start()
        .expect("s_server");
    let (_, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    assert_eq!(endpoint(&doc)["negotiated"]["version"], "TLS1.2");
    assert_eq!(cert(&doc)["ocsp_stapled"], true, "{:#}", cert(&doc));
}

#[test]
fn expiry_warning_follows_warn_days() {
    let (s, pki) = serve(&CertSpec::default());
    let ca = ca_arg(&pki);
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca, "--warn-days", "200"]);
    let f = assert_finding(&doc, "cert-expires-soon", "warning");
    let days = cert(&doc)["days_left"].as_i64().expect("days_left");
    assert!(
        f["summary"]
            .as_str()
            .unwrap_or("")
            .contains(&days.to_string()),
        "{f:#}"
    );
    assert_eq!(code, 1);
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca, "--warn-days", "10"]);
    assert!(
        !has_finding(&doc, "cert-expires-soon"),
        "{:?}",
        finding_ids(&doc)
    );
    assert_eq!(code, 0);
}

#[test]
fn ipv6_literal_matches_an_ip_san() {
    let pki = Pki::localhost().expect("pki");
    let s = match OpensslServer::builder().pki(&pki).ipv6().start() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skipped: no IPv6 loopback here ({e})");
            return;
        }
    };
    let (code, doc) = check_json(&[&s.target(), "--ca-file", &ca_arg(&pki)]);
    let c = cert(&doc);
    assert_eq!(endpoint(&doc)["ip"], "::1");
    assert_eq!(c["hostname_match"], true, "{c:#}");
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));
}

#[test]
fn sni_name_selects_and_verifies_the_certificate() {
    // The server's default certificate names only WRONG_HOST; for the SNI name "localhost" it
    // presents the localhost one.
    let default = Pki::generate(&CertSpec::default().wrong_host()).expect("pki");
    let named = Pki::localhost().expect("pki");
    let s = OpensslServer::builder()
        .pki(&default)
        .sni("localhost", &named)
        .start()
        .expect("s_server");
    let target = format!("localhost:{}", s.port());
    let (code, doc) = check_json(&[
        &target,
        "--connect-to",
        "127.0.0.1",
        "--ca-file",
        &ca_arg(&named),
    ]);
    assert_eq!(doc["targets"][0]["target"]["sni"], "localhost");
    let c = cert(&doc);
    assert_eq!(c["hostname_match"], true, "{c:#}");
    assert_eq!(c["trusted"], true, "{c:#}");
    assert_eq!(code, 0, "{:?}", finding_ids(&doc));
    // Without SNI the default certificate comes back, and the name check says why.
    let (code, doc) = check_json(&[
        &target,
        "--connect-to",
        "127.0.0.1",
        "--no-sni",
        "--ca-file",
        &ca_arg(&named),
    ]);
    let c = cert(&doc);
    assert_eq!(
        c["chain"][0]["sans"],
        serde_json::json!([WRONG_HOST]),
        "{c:#}"
    );
    assert_eq!(c["hostname_match"], false, "{c:#}");
    assert_finding(&doc, "cert-name-mismatch", "critical");
    assert_eq!(code, 2);
}
