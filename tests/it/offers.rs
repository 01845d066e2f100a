//! The offers a user chooses (`--tls-versions`, `--ciphers`, `--groups`) against real servers:
//! only what was asked is offered, the server's answer to it is what is reported, and an
//! unknown name is a usage error naming the closest known ones.

use crate::check::check_json;
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::report::{endpoint, outcomes, proto};
use crate::harness::run_tlsprobe;

#[test]
fn ciphers_flag_gets_the_asked_suite_from_a_server_preferring_another() {
    let server = NginxServer::builder()
        .protocols("TLSv1.2")
        .ciphers("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384")
        .prefer_server_ciphers()
        .start()
        .expect("nginx");
    let target = server.addr().to_string();
    // Without the flag the server's favourite wins.
    let (_, doc) = check_json(&[&target]);
    assert_eq!(
        endpoint(&doc)["negotiated"]["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
    );
    // With it, only the AES-256 suite is offered, by the raw probe and by rustls.
    let (_, doc) = check_json(&[
        &target,
        "--ciphers",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    ]);
    let ep = endpoint(&doc);
    assert_eq!(
        ep["negotiated"]["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    );
    assert_eq!(
        proto(ep, "TLS1.2")["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    );
    // OpenSSL names and code points say the same.
    let (_, doc) = check_json(&[&target, "--ciphers", "0xC02C", "--tls-versions", "1.2"]);
    assert_eq!(
        proto(endpoint(&doc), "TLS1.2")["cipher"],
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
    );
}

#[test]
fn only_suites_the_server_lacks_give_its_alert() {
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher("ECDHE-ECDSA-AES128-GCM-SHA256")
        .start()
        .expect("s_server");
    let (code, doc) = check_json(&[
        &server.target(),
        "--tls-versions",
        "1.2",
        "--ciphers",
        "AES256-SHA,DES-CBC3-SHA",
    ]);
    let ep = endpoint(&doc);
    assert_eq!(outcomes(ep), [("TLS1.2".to_string(), "alert".to_string())]);
    assert_eq!(proto(ep, "TLS1.2")["alert"], "handshake_failure");
    assert_eq!(code, 2, "nothing accepted is critical");
}

#[test]
fn tls_versions_limits_the_probes() {
    let server = OpensslServer::builder().start().expect("s_server");
    let (_, doc) = check_json(&[&server.target(), "--tls-versions", "1.3,tls1.2"]);
    let ep = endpoint(&doc);
    assert_eq!(
        outcomes(ep),
        [
            ("TLS1.2".to_string(), "accepted".to_string()),
            ("TLS1.3".to_string(), "accepted".to_string())
        ]
    );
    let (_, doc) = check_json(&[&server.target(), "--tls-versions", "1.2"]);
    assert_eq!(endpoint(&doc)["negotiated"]["version"], "TLS1.2");
}

#[test]
fn groups_flag_offers_only_those_groups() {
    let server = OpensslServer::builder()
        .groups("P-384:X25519")
        .start()
        .expect("s_server");
    // (The leaf is ECDSA P-256: a TLS 1.2 client must list that curve too.)
    let (_, doc) = check_json(&[&server.target(), "--groups", "secp384r1,secp256r1"]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.3")["group"], "secp384r1");
    assert_eq!(proto(ep, "TLS1.2")["group"], "secp384r1");
    assert_eq!(ep["negotiated"]["group"], "secp384r1");
    // A group the server lacks: TLS 1.3 and ECDHE cannot be agreed.
    let (_, doc) = check_json(&[
        &server.target(),
        "--groups",
        "secp521r1",
        "--tls-versions",
        "1.3",
    ]);
    assert_eq!(proto(endpoint(&doc), "TLS1.3")["outcome"], "alert");
}

#[test]
fn unknown_names_are_usage_errors_with_the_closest_names() {
    for (flag, bad, near) in [
        (
            "--ciphers",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA265",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ),
        (
            "--ciphers",
            "ECDHE-RSA-AES128-GCM-SHA265",
            "ECDHE-RSA-AES128-GCM-SHA256",
        ),
        ("--groups", "x25518", "x25519"),
        ("--tls-versions", "1.4", "TLS1.2"),
    ] {
        let (code, stdout, stderr) = run_tlsprobe(&["check", "127.0.0.1:1", flag, bad]);
        assert_eq!(code, Some(3), "{flag} {bad}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(bad) && stderr.contains(flag), "{stderr}");
        assert!(stderr.contains(near), "{flag} {bad}: {stderr}");
    }
}
