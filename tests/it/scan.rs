//! `tlsprobe scan` against real TLS stacks on loopback, compared with the configured truth: the
//! suite list each server was given (as `openssl ciphers` / `gnutls-cli --list` expand it), its
//! order where the server enforces one, its groups; plus a suite-count-intolerant front, a
//! server answering with a suite nobody offered, and the SSL 3.0 server.

use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::harness::certs::{CertSpec, Pki};
use crate::harness::gnutls::GnutlsServer;
use crate::harness::hello::{parse_client_hello, read_client_hello};
use crate::harness::hostile::server_hello;
use crate::harness::nginx::NginxServer;
use crate::harness::openssl::OpensslServer;
use crate::harness::report::{endpoint, proto};
use crate::harness::run_tlsprobe_with;
use crate::harness::ssl3::Ssl3Server;

/// Runs `tlsprobe scan ARGS --format json` and returns (exit code, document).
pub fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, &[], Duration::from_secs(120)).expect("run tlsprobe");
    let code = out.code.expect("tlsprobe was killed (hang)");
    let doc: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    crate::schema::assert_valid(&doc);
    (code, doc)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn ciphers(ep: &Value, version: &str) -> Vec<String> {
    strings(&proto(ep, version)["ciphers"])
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Suites `openssl ciphers -V -stdname LIST` expands to, in OpenSSL's order, that a server
/// with a certificate of `auth` (`RSA`, `ECDSA`) can negotiate at `version` (`TLSv1`,
/// `TLSv1.1`, `TLSv1.2`, `TLSv1.3`, `SSLv3`): PSK and SRP suites need credentials and are left
/// out, anonymous ones stay.
fn openssl_truth(list: &str, version: &str, auth: &str, extra: &[&str]) -> Vec<String> {
    let rank = |v: &str| match v {
        "SSLv3" => 0,
        "TLSv1" => 1,
        "TLSv1.1" => 2,
        "TLSv1.2" => 3,
        "TLSv1.3" => 4,
        other => panic!("unknown version {other}"),
    };
    let mut cmd = Command::new("openssl");
    cmd.args(["ciphers", "-V", "-stdname"])
        .args(extra)
        .arg(list);
    let out = cmd.output().expect("openssl ciphers");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = rank(version);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (std, ver) = (f.get(2)?, f.get(5)?);
            let kx = f.iter().find_map(|x| x.strip_prefix("Kx="))?;
            let au = f.iter().find_map(|x| x.strip_prefix("Au="))?;
            let tls13 = *ver == "TLSv1.3";
            let ok_version = if want == 4 {
                tls13
            } else {
                !tls13 && rank(ver) <= want
            };
            let ok_auth = au == auth || au == "None" || au == "any";
            let needs_credentials = kx.contains("PSK") || kx == "SRP";
            (ok_version && ok_auth && !needs_credentials).then(|| std.to_string())
        })
        .collect()
}

/// Suites `gnutls-cli --priority P --list` prints, as IANA names via tlsprobe's registry
/// (through `tlsprobe ciphers --format json`), usable with a certificate of `auth` at TLS 1.2.
fn gnutls_truth(priority: &str, auth: &str) -> Vec<String> {
    let out = Command::new("gnutls-cli")
        .args(["--priority", priority, "--list"])
        .output()
        .expect("gnutls-cli");
    let text = String::from_utf8_lossy(&out.stdout);
    let (_, registry, _) = crate::harness::run_tlsprobe(&["ciphers", "--format", "json"]);
    let reg: Value = serde_json::from_str(&registry).expect("registry json");
    let by_id = |id: &str| -> Option<(String, String)> {
        reg["cipher_suites"]
            .as_array()?
            .iter()
            .find(|s| s["id"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(id)))
            .map(|s| {
                (
                    s["iana"].as_str().unwrap_or("").to_string(),
                    s["auth"].as_str().unwrap_or("").to_string(),
                )
            })
    };
    text.lines()
        .filter_map(|l| {
            let hex = l.split('\t').nth(1)?;
            let bytes: Vec<&str> = hex.split(',').map(str::trim).collect();
            let [a, b] = bytes.as_slice() else {
                return None;
            };
            let id = format!(
                "0x{}{}",
                a.trim_start_matches("0x").to_uppercase(),
                b.trim_start_matches("0x").to_uppercase()
            );
            let (iana, au) = by_id(&id)?;
            (au == auth || au == "NULL").then_some(iana)
        })
        .collect()
}

#[test]
fn tls12_server_order_is_recovered_exactly() {
    let list = "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
                ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:AECDH-AES128-SHA:\
                ECDHE-ECDSA-AES256-CCM8:@SECLEVEL=0";
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher(list)
        .server_pref()
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    let p = proto(ep, "TLS1.2");
    let truth = openssl_truth(list, "TLSv1.2", "ECDSA", &[]);
    assert_eq!(truth.len(), 7, "{truth:?}");
    assert_eq!(ciphers(ep, "TLS1.2"), truth, "server order");
    assert_eq!(p["server_preference"], true);
    // ChaCha20 is not first and the server does not prioritise it.
    assert_eq!(p["chacha20_priority"], false);
    for v in ["SSL2.0", "SSL3.0", "TLS1.0", "TLS1.1", "TLS1.3"] {
        assert_eq!(proto(ep, v)["supported"], false, "{v}");
    }
    // The anonymous suite is named by a finding.
    let findings = doc["targets"][0]["findings"].as_array().expect("findings");
    let insecure = findings
        .iter()
        .find(|f| f["id"] == "insecure-cipher-suite")
        .expect("insecure-cipher-suite");
    assert!(
        insecure["summary"]
            .as_str()
            .is_some_and(|s| s.contains("TLS_ECDH_anon_WITH_AES_128_CBC_SHA")),
        "{insecure}"
    );
    let scan = &ep["scan"];
    // (The plan depends on the measured round trip, which a loaded test machine stretches.)
    assert!(
        scan["plan"] == "sequential" || scan["plan"] == "parallel",
        "{scan}"
    );
    assert!(
        scan["connections"]
            .as_u64()
            .is_some_and(|n| n > 8 && n < 60),
        "{scan}"
    );
}

#[test]
fn tls12_client_order_is_reported_sorted() {
    let list = "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256";
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher(list)
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    assert_eq!(proto(ep, "TLS1.2")["server_preference"], false);
    let got = ciphers(ep, "TLS1.2");
    assert_eq!(
        got,
        [
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        ],
        "sorted by code point"
    );
    assert_eq!(
        sorted(got),
        sorted(openssl_truth(list, "TLSv1.2", "ECDSA", &[]))
    );
}

#[test]
fn chacha20_priority_is_detected_not_misread() {
    let list =
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305";
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher(list)
        .server_pref()
        .arg("-prioritize_chacha")
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    let p = proto(ep, "TLS1.2");
    assert_eq!(
        ciphers(ep, "TLS1.2"),
        openssl_truth(list, "TLSv1.2", "ECDSA", &[])
    );
    assert_eq!(p["server_preference"], true);
    assert_eq!(p["chacha20_priority"], true);
}

#[test]
fn tls13_chosen_ciphersuites() {
    let suites = "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_256_GCM_SHA384";
    let server = OpensslServer::builder()
        .tls1_3()
        .ciphersuites(suites)
        .server_pref()
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    let p = proto(ep, "TLS1.3");
    assert_eq!(
        ciphers(ep, "TLS1.3"),
        suites.split(':').collect::<Vec<_>>(),
        "server order"
    );
    assert_eq!(p["server_preference"], true);
    assert!(
        strings(&p["signature_algorithms"]).contains(&"ecdsa_secp256r1_sha256".to_string()),
        "{p}"
    );
    assert!(strings(&p["groups"]).contains(&"x25519".to_string()), "{p}");
    assert_eq!(proto(ep, "TLS1.2")["supported"], false);
}

#[test]
fn legacy_seclevel0_every_suite_per_version() {
    let pki = Pki::generate(&CertSpec::default().rsa()).expect("pki");
    let list = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
    // The legacy provider adds SEED (and whatever else this OpenSSL moved there) when it loads.
    let legacy = Command::new("openssl")
        .args(["list", "-providers", "-provider", "legacy"])
        .output()
        .is_ok_and(|o| o.status.success());
    let provider: &[&str] = if legacy {
        &["-provider", "legacy", "-provider", "default"]
    } else {
        &[]
    };
    let server = OpensslServer::builder()
        .own_pki(pki)
        .versions("TLSv1", "TLSv1.2")
        .cipher(list)
        .args(provider.iter().copied())
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    for (v, ov) in [
        ("TLS1.0", "TLSv1"),
        ("TLS1.1", "TLSv1.1"),
        ("TLS1.2", "TLSv1.2"),
    ] {
        let truth = sorted(openssl_truth(list, ov, "RSA", provider));
        assert!(truth.len() >= 20, "{v}: {truth:?}");
        assert_eq!(sorted(ciphers(ep, v)), truth, "{v}");
        assert_eq!(proto(ep, v)["server_preference"], false, "{v}");
    }
    if legacy {
        assert!(ciphers(ep, "TLS1.2").contains(&"TLS_RSA_WITH_SEED_CBC_SHA".to_string()));
    }
    // DHE suites: the prime's size is reported; ECDHE: the groups.
    assert!(
        proto(ep, "TLS1.2")["dh_bits"]
            .as_u64()
            .is_some_and(|b| b >= 1024)
    );
    assert!(!strings(&proto(ep, "TLS1.2")["groups"]).is_empty());
    let ids: Vec<&str> = doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"insecure-cipher-suite"), "{ids:?}");
}

#[test]
fn restricted_groups_are_found_in_server_order() {
    let server = OpensslServer::builder()
        .groups("secp384r1:X25519:ffdhe2048")
        .server_pref()
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[&server.target()]);
    let ep = endpoint(&doc);
    let p13 = proto(ep, "TLS1.3");
    assert_eq!(
        strings(&p13["groups"]),
        ["secp384r1", "x25519", "ffdhe2048"]
    );
    assert_eq!(p13["groups_server_preference"], true);
    // TLS 1.2 ECDHE curves: the ECDSA P-256 leaf needs secp256r1 in the client's list, so the
    // curves seen are those the server has; none other is invented.
    let g12 = strings(&proto(ep, "TLS1.2")["groups"]);
    assert!(!g12.is_empty());
    assert!(
        g12.iter().all(|g| g == "secp384r1" || g == "x25519"),
        "{g12:?}"
    );
}

#[test]
fn gnutls_priority_with_camellia() {
    let priority = "NORMAL:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+CAMELLIA-128-GCM:+CAMELLIA-256-GCM:\
                    -VERS-TLS1.3:%SERVER_PRECEDENCE";
    let server = GnutlsServer::builder()
        .priority(priority)
        .start()
        .expect("gnutls-serv");
    let (_, doc) = scan_json(&[&server.addr().to_string()]);
    let ep = endpoint(&doc);
    let truth = gnutls_truth(priority, "ECDSA");
    assert!(
        truth.iter().any(|s| s.contains("CAMELLIA")),
        "this GnuTLS offers Camellia: {truth:?}"
    );
    assert_eq!(ciphers(ep, "TLS1.2"), truth, "server order");
    assert_eq!(proto(ep, "TLS1.2")["server_preference"], true);
    let t10 = sorted(ciphers(ep, "TLS1.0"));
    let want10: Vec<String> = sorted(
        truth
            .iter()
            .filter(|s| s.ends_with("_SHA") && !s.contains("GCM") && !s.contains("CCM"))
            .cloned()
            .collect(),
    );
    assert_eq!(t10, want10);
}

#[test]
fn nginx_prefer_server_ciphers_on_and_off() {
    let list = "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384";
    for prefer in [true, false] {
        let mut b = NginxServer::builder()
            .protocols("TLSv1.2 TLSv1.3")
            .ciphers(list);
        if prefer {
            b = b.prefer_server_ciphers();
        }
        let server = b.start().expect("nginx");
        let (_, doc) = scan_json(&[&server.addr().to_string()]);
        let ep = endpoint(&doc);
        let truth = openssl_truth(list, "TLSv1.2", "ECDSA", &[]);
        let got = ciphers(ep, "TLS1.2");
        if prefer {
            assert_eq!(got, truth, "server order");
        } else {
            assert_eq!(got, sorted(truth.clone()), "sorted");
        }
        assert_eq!(proto(ep, "TLS1.2")["server_preference"], prefer);
        assert_eq!(
            sorted(ciphers(ep, "TLS1.3")),
            [
                "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256"
            ]
        );
    }
}

#[test]
fn ssl3_server_suites() {
    let server = Ssl3Server::start().expect("ssl3 server");
    let (_, doc) = scan_json(&[&server.addr().to_string(), "--tls-versions", "ssl3"]);
    let ep = endpoint(&doc);
    let p = proto(ep, "SSL3.0");
    assert_eq!(p["supported"], true, "{p}");
    let got = sorted(ciphers(ep, "SSL3.0"));
    // tlslite-ng with aes128, aes256 and 3des over RSA key transport (and its DHE/ECDHE
    // variants where SSL 3.0 allows them); every one is valid SSL 3.0 and none is invented.
    assert!(
        got.contains(&"TLS_RSA_WITH_AES_128_CBC_SHA".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"TLS_RSA_WITH_3DES_EDE_CBC_SHA".to_string()),
        "{got:?}"
    );
    for s in &got {
        assert!(
            s.contains("AES_128_CBC") || s.contains("AES_256_CBC") || s.contains("3DES"),
            "{s}"
        );
    }
}

/// A front that resets every hello offering more than `limit` suites and relays the others
/// to `backend`; counts the connections it accepted.
struct IntolerantFront {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    thread: Option<thread::JoinHandle<()>>,
}

impl IntolerantFront {
    fn start(backend: SocketAddr, limit: usize) -> IntolerantFront {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let (s, a) = (stop.clone(), accepted.clone());
        let thread = thread::spawn(move || {
            let until = std::time::Instant::now() + Duration::from_secs(120);
            while !s.load(Ordering::Relaxed) && std::time::Instant::now() < until {
                match listener.accept() {
                    Ok((c, _)) => {
                        a.fetch_add(1, Ordering::Relaxed);
                        thread::spawn(move || relay_or_reset(c, backend, limit));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        IntolerantFront {
            addr,
            stop,
            accepted,
            thread: Some(thread),
        }
    }
}

impl Drop for IntolerantFront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn relay_or_reset(mut client: TcpStream, backend: SocketAddr, limit: usize) {
    let _ = client.set_nonblocking(false);
    let Ok(hello) = read_client_hello(&mut client, Duration::from_secs(5)) else {
        return;
    };
    let too_many = parse_client_hello(&hello).is_none_or(|h| h.cipher_suites.len() > limit);
    if too_many {
        let _ = socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO));
        return;
    }
    let Ok(mut server) = TcpStream::connect_timeout(&backend, Duration::from_secs(5)) else {
        return;
    };
    if server.write_all(&hello).is_err() {
        return;
    }
    let (Ok(mut c2), Ok(mut s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let _ = c2.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = server.set_read_timeout(Some(Duration::from_secs(10)));
    let up = thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut s2);
        let _ = s2.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = up.join();
}

#[test]
fn suite_count_intolerant_front_gets_smaller_hellos() {
    let list = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA";
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher(list)
        .server_pref()
        .start()
        .expect("s_server");
    let front = IntolerantFront::start(server.addr(), 64);
    let (_, doc) = scan_json(&[&front.addr.to_string(), "--tls-versions", "1.2"]);
    let ep = endpoint(&doc);
    let p = proto(ep, "TLS1.2");
    assert_eq!(p["supported"], true, "{p}");
    assert_eq!(
        ciphers(ep, "TLS1.2"),
        openssl_truth(list, "TLSv1.2", "ECDSA", &[])
    );
    assert_eq!(p["hello"]["suites"], 64, "{p}");
    let opened = ep["scan"]["connections"].as_u64().expect("connections");
    assert_eq!(
        front.accepted.load(Ordering::Relaxed) as u64,
        opened,
        "every connection counted"
    );
}

#[test]
fn a_suite_nobody_offered_is_a_finding_not_a_crash() {
    // Answers every hello with TLS_RSA_WITH_AES_128_GCM_SHA256, whatever was offered.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    let t = thread::spawn(move || {
        let until = std::time::Instant::now() + Duration::from_secs(60);
        while !s.load(Ordering::Relaxed) && std::time::Instant::now() < until {
            match listener.accept() {
                Ok((mut c, _)) => {
                    let _ = c.set_nonblocking(false);
                    let _ = read_client_hello(&mut c, Duration::from_secs(5));
                    let _ = c.write_all(&server_hello(0x0303, 0x009C));
                    let _ = c.shutdown(Shutdown::Write);
                }
                Err(_) => thread::sleep(Duration::from_millis(2)),
            }
        }
    });
    let (code, doc) = scan_json(&[
        &addr.to_string(),
        "--tls-versions",
        "1.2",
        "--timeout",
        "2s",
    ]);
    stop.store(true, Ordering::Relaxed);
    let _ = t.join();
    let ep = endpoint(&doc);
    let p = proto(ep, "TLS1.2");
    assert_eq!(
        strings(&p["unoffered_suites"]),
        ["TLS_RSA_WITH_AES_128_GCM_SHA256"],
        "{p}"
    );
    assert_eq!(ciphers(ep, "TLS1.2"), ["TLS_RSA_WITH_AES_128_GCM_SHA256"]);
    let f = doc["targets"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["id"] == "server-picked-unoffered-suite")
        .cloned()
        .expect("server-picked-unoffered-suite");
    assert!(
        f["summary"]
            .as_str()
            .is_some_and(|s| s.contains("TLS_RSA_WITH_AES_128_GCM_SHA256"))
    );
    assert!(code >= 1);
}

#[test]
fn max_conns_per_host_and_delay_are_honoured() {
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384")
        .start()
        .expect("s_server");
    let (_, doc) = scan_json(&[
        &server.target(),
        "--max-conns-per-host",
        "1",
        "--delay",
        "20ms",
        "--tls-versions",
        "1.2,1.3",
    ]);
    let ep = endpoint(&doc);
    assert_eq!(ep["scan"]["max_conns_per_host"], 1);
    let n = ep["scan"]["connections"].as_u64().expect("connections");
    // Connections start at least 20 ms apart.
    let took = doc["targets"][0]["duration_ms"].as_f64().expect("duration");
    assert!(
        took >= 20.0 * (n as f64 - 1.0),
        "{n} connections in {took} ms"
    );
    assert_eq!(ciphers(ep, "TLS1.2").len(), 2);
    let (code, _, stderr) =
        crate::harness::run_tlsprobe(&["scan", "x", "--max-conns-per-host", "0"]);
    assert_eq!(code, Some(3), "{stderr}");
}

#[test]
fn human_output_lists_suites_with_ratings_order_and_groups() {
    let list = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA:AECDH-AES128-SHA:@SECLEVEL=0";
    let server = OpensslServer::builder()
        .tls1_2()
        .cipher(list)
        .server_pref()
        .start()
        .expect("s_server");
    let (code, out, err) =
        crate::harness::run_tlsprobe(&["scan", "--format", "human", &server.target()]);
    assert_eq!(code, Some(2), "{err}");
    let pos = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing:\n{out}"))
    };
    assert!(out.contains("server order"), "{out}");
    let first = pos("1. TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    let second = pos("2. TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    let third = pos("3. TLS_ECDH_anon_WITH_AES_128_CBC_SHA");
    assert!(first < second && second < third, "{out}");
    let line = |needle: &str| {
        out.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("1. TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ").ends_with("recommended"),
        "{out}"
    );
    assert!(
        line("2. TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA ").ends_with("weak"),
        "{out}"
    );
    assert!(
        line("3. TLS_ECDH_anon_WITH_AES_128_CBC_SHA ").ends_with("insecure"),
        "{out}"
    );
    assert!(
        line("1. TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ")
            .contains("ECDHE-ECDSA-AES256-GCM-SHA384")
    );
    assert!(
        out.contains("groups: x25519 (253 bits)") || out.contains("groups: secp256r1"),
        "{out}"
    );
    assert!(
        out.contains("signature schemes: ecdsa_secp256r1_sha256"),
        "{out}"
    );
    assert!(
        out.contains("scan: sequential plan") || out.contains("scan: parallel plan"),
        "{out}"
    );
    assert!(out.contains("[insecure-cipher-suite]"), "{out}");
}

/// `scripts/servers/counting_forwarder.py` in front of `backend`, adding `delay_ms` each way
/// (and to the connect), counting the connections it accepts; killed on drop.
struct LatencyForwarder {
    _proc: crate::harness::process::ServerProcess,
    port: u16,
    count: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl LatencyForwarder {
    fn start(backend: SocketAddr, delay_ms: u32) -> LatencyForwarder {
        let dir = tempfile::tempdir().expect("tempdir");
        let count = dir.path().join("count");
        let port = crate::harness::free_port().expect("port");
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/servers/counting_forwarder.py"
        );
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg(port.to_string())
            .arg(backend.ip().to_string())
            .arg(backend.port().to_string())
            .arg(delay_ms.to_string())
            .arg(&count);
        let mut proc = crate::harness::process::ServerProcess::spawn("counting_forwarder", cmd)
            .expect("spawn");
        proc.wait_ready(
            &crate::harness::process::Readiness::Line("READY"),
            Duration::from_secs(15),
        )
        .expect("forwarder ready");
        LatencyForwarder {
            _proc: proc,
            port,
            count,
            _dir: dir,
        }
    }

    fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn accepted(&self) -> u64 {
        std::fs::read_to_string(&self.count)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0)
    }
}

/// What a scan found per accepted version, without the plan or timings.
fn findings_per_version(ep: &Value) -> Vec<Value> {
    ep["protocols"]
        .as_array()
        .expect("protocols")
        .iter()
        .filter(|p| p["supported"] == true)
        .map(|p| {
            serde_json::json!([
                p["version"],
                p["ciphers"],
                p["server_preference"],
                p["chacha20_priority"],
                p["groups"],
                p["groups_server_preference"],
                p["signature_algorithms"],
                p["dh_bits"],
            ])
        })
        .collect()
}

/// The slow path (RTT above 30 ms, here a forwarder adding 25 ms each way) finds exactly
/// what the sequential plan finds on loopback: suites, server order, ChaCha20 priority,
/// groups and their order, signature schemes. nginx takes connections at once (the wide
/// membership plan); s_server answers them one at a time (the few-connections plan).
#[test]
fn parallel_plan_through_a_latency_forwarder_finds_what_sequential_finds() {
    let nginx = NginxServer::builder()
        .protocols("TLSv1.2 TLSv1.3")
        .ciphers(
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:\
             ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA",
        )
        .prefer_server_ciphers()
        .start()
        .expect("nginx");
    let s_server = OpensslServer::builder()
        .tls1_2()
        .cipher("ECDHE+AESGCM:DHE+AESGCM:AES128-SHA")
        .server_pref()
        .start()
        .expect("s_server");
    for (name, backend) in [("nginx", nginx.addr()), ("s_server", s_server.addr())] {
        let (_, direct) = scan_json(&[&backend.to_string()]);
        let direct_ep = endpoint(&direct);
        assert_eq!(direct_ep["scan"]["plan"], "sequential", "{name}");
        let fwd = LatencyForwarder::start(backend, 25);
        let (_, slow) = scan_json(&[&fwd.target()]);
        let slow_ep = endpoint(&slow);
        assert_eq!(
            slow_ep["scan"]["plan"], "parallel",
            "{name}: {}",
            slow_ep["scan"]
        );
        assert!(slow_ep["scan"]["rtt_ms"].as_f64().is_some_and(|r| r > 30.0));
        assert_eq!(
            findings_per_version(slow_ep),
            findings_per_version(direct_ep),
            "{name}: slow path vs sequential"
        );
        // Every connection scan counts is one the forwarder accepted, and the cap held.
        assert_eq!(
            slow_ep["scan"]["connections"].as_u64(),
            Some(fwd.accepted()),
            "{name}"
        );
        let order = ciphers(slow_ep, "TLS1.2");
        assert!(order.len() >= 2, "{name}: {order:?}");
        assert_eq!(
            proto(slow_ep, "TLS1.2")["server_preference"],
            true,
            "{name}"
        );
    }
}
