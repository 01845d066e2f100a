//! Full rustls handshakes against servers these tests start on 127.0.0.1: in-process tokio-rustls
//! servers with rcgen certificates, and `openssl s_server` for the OCSP staple. Self-contained:
//! every server is stopped when its handle drops, every wait has a deadline.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

use tlsprobe::model::{CertificateReport, ProtocolVersion};
use tlsprobe::probe::handshake::{
    HandshakeFailure, HandshakeOptions, HandshakeResult, full_handshake,
};
use tlsprobe::probe::trust::TrustStore;

const PUBLIC_NAME: &str = "login.microsoftonline.com";
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- PKI made by rcgen

struct Ca {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: String,
}

fn root_ca(cn: &str) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, cn);
    let cert = p.self_signed(&key).unwrap();
    Ca {
        issuer: Issuer::new(p, key),
        der: cert.der().clone(),
        pem: cert.pem(),
    }
}

fn intermediate_ca(cn: &str, parent: &Ca) -> Ca {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, cn);
    let cert = p.signed_by(&key, &parent.issuer).unwrap();
    Ca {
        issuer: Issuer::new(p, key),
        der: cert.der().clone(),
        pem: cert.pem(),
    }
}

struct Leaf {
    der: CertificateDer<'static>,
    key: KeyPair,
}

impl Leaf {
    fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.key.serialize_der()).into()
    }
}

fn leaf_with(names: &[&str], ca: &Ca, tweak: impl FnOnce(&mut CertificateParams)) -> Leaf {
    let key = KeyPair::generate().unwrap();
    let mut p =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    p.distinguished_name
        .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
    tweak(&mut p);
    let der = p.signed_by(&key, &ca.issuer).unwrap().der().clone();
    Leaf { der, key }
}

fn leaf(names: &[&str], ca: &Ca) -> Leaf {
    leaf_with(names, ca, |_| {})
}

// ---------------------------------------------------------------- temporary files

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("handshake-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn file(&self, name: &str, body: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, body).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Default roots plus `ca` as a `--ca-file`; the system bundle is left out so results do not
/// depend on the machine.
fn trust_with(ca: &Ca) -> TrustStore {
    let dir = TempDir::new();
    let path = dir.file("ca.pem", &ca.pem);
    TrustStore::with_system_store(&[path], false, None).unwrap()
}

fn default_trust() -> TrustStore {
    TrustStore::with_system_store(&[], false, None).unwrap()
}

// ---------------------------------------------------------------- in-process servers

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn versions(v: &[ProtocolVersion]) -> Vec<&'static rustls::SupportedProtocolVersion> {
    let mut out = Vec::new();
    if v.contains(&ProtocolVersion::Tls12) {
        out.push(&rustls::version::TLS12);
    }
    if v.contains(&ProtocolVersion::Tls13) {
        out.push(&rustls::version::TLS13);
    }
    out
}

struct ServerSpec {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    versions: Vec<ProtocolVersion>,
    alpn: Vec<Vec<u8>>,
}

impl ServerSpec {
    fn new(leaf: &Leaf) -> Self {
        ServerSpec {
            chain: vec![leaf.der.clone()],
            key: leaf.key_der(),
            versions: vec![ProtocolVersion::Tls12, ProtocolVersion::Tls13],
            alpn: Vec::new(),
        }
    }

    fn config(self) -> ServerConfig {
        let mut c = ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&versions(&self.versions))
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(self.chain, self.key)
            .unwrap();
        c.alpn_protocols = self.alpn;
        c
    }
}

/// A tokio-rustls server on 127.0.0.1; the accept loop is aborted on drop.
struct TlsServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn start(config: ServerConfig) -> TlsServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let task = tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(Ok(mut tls)) = timeout(WAIT, acceptor.accept(sock)).await {
                    // Wait for the client's close_notify (or EOF) before dropping.
                    let mut buf = [0u8; 256];
                    let _ = timeout(WAIT, tls.read(&mut buf)).await;
                }
            });
        }
    });
    TlsServer { addr, task }
}

async fn serve(spec: ServerSpec) -> TlsServer {
    start(spec.config()).await
}

async fn probe(addr: SocketAddr, opts: &HandshakeOptions, trust: &TrustStore) -> HandshakeResult {
    let tcp = timeout(WAIT, TcpStream::connect(addr))
        .await
        .unwrap()
        .unwrap();
    full_handshake(tcp, opts, trust).await
}

fn opts(name: &str) -> HandshakeOptions {
    let mut o = HandshakeOptions::new(name);
    o.timeout = WAIT;
    o
}

/// The probe's certificate report with what diagnose adds (`trust_detail`, the interception
/// verdict) filled in, as `check` reports it (`expected` as a catalogue run would name its roots).
fn judged(c: &CertificateReport, expected: &[&str]) -> CertificateReport {
    let mut c = c.clone();
    if !expected.is_empty() {
        c.observed.expected_roots = expected.iter().map(|e| e.to_string()).collect();
    }
    tlsprobe::diagnose::judge_certificate(&mut c);
    c
}

/// The completed handshake's certificate report, judged as `check` judges it.
fn completed(r: &HandshakeResult) -> CertificateReport {
    assert!(r.error.is_none(), "handshake failed: {:?}", r.error);
    let n = r.negotiated.as_ref().expect("negotiated");
    assert_eq!(n.source, "rustls");
    assert!(n.handshake_ms.is_some() && r.handshake_ms.is_some());
    let c = r.certificate.as_ref().expect("certificate");
    assert_eq!(c.source, "rustls");
    judged(c, &[])
}

// ---------------------------------------------------------------- trust verdicts

#[tokio::test]
async fn private_ca_is_trusted_only_with_ca_file() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&["server.test"], &root);
    let server = serve(ServerSpec::new(&l)).await;

    let r = probe(server.addr, &opts("server.test"), &default_trust()).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(false));
    assert_eq!(c.trust_error.as_deref(), Some("unknown_issuer"));
    assert_eq!(c.hostname_match, Some(true));
    assert!(!c.ocsp_stapled);

    let r = probe(server.addr, &opts("server.test"), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(true), "{:?}", c.trust_detail);
    assert_eq!(c.trust_error, None);
    assert_eq!(c.hostname_match, Some(true));
    assert_eq!(c.chain.len(), 1);
    assert_eq!(c.chain[0].sans, vec!["server.test".to_string()]);
    assert!(c.days_left.unwrap() > 365);
    // A private name under a private CA: nothing to conclude.
    assert_eq!(judged(&c, &[]).intercepted, None);
    let n = r.negotiated.as_ref().unwrap();
    assert_eq!(n.version, Some(ProtocolVersion::Tls13));
    assert!(n.group.is_some());
}

#[tokio::test]
async fn expired_leaf() {
    let root = root_ca("tlsprobe test root");
    let l = leaf_with(&["server.test"], &root, |p| {
        p.not_before = rcgen::date_time_ymd(2000, 1, 1);
        p.not_after = rcgen::date_time_ymd(2001, 1, 1);
    });
    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(false));
    assert_eq!(c.trust_error.as_deref(), Some("expired"));
    assert!(
        c.trust_detail.as_deref().unwrap().contains("2001-01-01"),
        "{:?}",
        c.trust_detail
    );
    assert!(c.days_left.unwrap() < -3650);
    assert_eq!(c.chain[0].not_after, "2001-01-01T00:00:00Z");
}

#[tokio::test]
async fn not_yet_valid_leaf() {
    let root = root_ca("tlsprobe test root");
    let l = leaf_with(&["server.test"], &root, |p| {
        p.not_before = rcgen::date_time_ymd(2090, 1, 1);
        p.not_after = rcgen::date_time_ymd(2091, 1, 1);
    });
    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.trust_error.as_deref(), Some("not_yet_valid"));
    assert!(c.days_left.unwrap() > 365);
}

#[tokio::test]
async fn wrong_host_leaf() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&["other.test"], &root);
    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(false));
    assert_eq!(c.trust_error.as_deref(), Some("name_mismatch"));
    assert_eq!(c.hostname_match, Some(false));
    assert!(c.trust_detail.as_deref().unwrap().contains("other.test"));
}

#[tokio::test]
async fn self_signed_leaf() {
    let ss = rcgen::generate_simple_self_signed(vec!["server.test".to_string()]).unwrap();
    let l = Leaf {
        der: ss.cert.der().clone(),
        key: ss.signing_key,
    };
    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &default_trust()).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(false));
    assert_eq!(c.trust_error.as_deref(), Some("self_signed"));
    assert!(c.chain[0].self_issued);
    assert_eq!(c.hostname_match, Some(true));
}

#[tokio::test]
async fn missing_intermediate_is_reported_as_incomplete_chain() {
    let root = root_ca("tlsprobe test root");
    let inter = intermediate_ca("tlsprobe test intermediate", &root);
    let l = leaf(&["server.test"], &inter);
    let trust = trust_with(&root);

    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &trust).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(false));
    assert_eq!(c.trust_error.as_deref(), Some("unknown_issuer"));
    let detail = c.trust_detail.as_deref().unwrap();
    assert!(detail.contains("incomplete chain"), "{detail}");
    assert!(detail.contains("tlsprobe test intermediate"), "{detail}");

    // The same leaf with its intermediate is fine.
    let mut spec = ServerSpec::new(&l);
    spec.chain.push(inter.der.clone());
    let server = serve(spec).await;
    let r = probe(server.addr, &opts("server.test"), &trust).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(true), "{:?}", c.trust_detail);
    assert_eq!(c.chain.len(), 2);
    assert!(c.chain[1].is_ca);
    assert!(inter.pem.contains("BEGIN CERTIFICATE"));
}

// ---------------------------------------------------------------- negotiation

#[tokio::test]
async fn alpn_h2_is_negotiated() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&["server.test"], &root);
    let mut spec = ServerSpec::new(&l);
    spec.alpn = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let server = serve(spec).await;
    let r = probe(server.addr, &opts("server.test"), &default_trust()).await;
    completed(&r);
    assert_eq!(r.negotiated.as_ref().unwrap().alpn.as_deref(), Some("h2"));

    let server = serve(ServerSpec::new(&l)).await;
    let r = probe(server.addr, &opts("server.test"), &default_trust()).await;
    completed(&r);
    assert_eq!(r.negotiated.as_ref().unwrap().alpn, None);
}

#[tokio::test]
async fn tls12_only_server() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&["server.test"], &root);
    let mut spec = ServerSpec::new(&l);
    spec.versions = vec![ProtocolVersion::Tls12];
    let server = serve(spec).await;

    let r = probe(server.addr, &opts("server.test"), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.trusted, Some(true));
    let n = r.negotiated.as_ref().unwrap();
    assert_eq!(n.version, Some(ProtocolVersion::Tls12));
    let cipher = n.cipher.as_deref().unwrap();
    assert!(cipher.starts_with("TLS_ECDHE_ECDSA_WITH_"), "{cipher}");
    assert!(n.group.is_some());

    // Offering TLS 1.3 alone to it ends in a protocol_version alert.
    let mut o = opts("server.test");
    o.versions = vec![ProtocolVersion::Tls13];
    let r = probe(server.addr, &o, &trust_with(&root)).await;
    assert!(r.negotiated.is_none());
    match r.error {
        Some(HandshakeFailure::Alert { code, ref name }) => {
            assert_eq!(code, 70);
            assert_eq!(name, "protocol_version");
        }
        ref other => panic!("expected an alert, got {other:?}"),
    }
}

#[tokio::test]
async fn tls13_only_server() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&["server.test"], &root);
    let mut spec = ServerSpec::new(&l);
    spec.versions = vec![ProtocolVersion::Tls13];
    let server = serve(spec).await;

    let r = probe(server.addr, &opts("server.test"), &default_trust()).await;
    completed(&r);
    let n = r.negotiated.as_ref().unwrap();
    assert_eq!(n.version, Some(ProtocolVersion::Tls13));
    let cipher = n.cipher.as_deref().unwrap();
    assert!(
        cipher.starts_with("TLS_AES_") || cipher.starts_with("TLS_CHACHA20_"),
        "{cipher}"
    );

    let mut o = opts("server.test");
    o.versions = vec![ProtocolVersion::Tls12];
    let r = probe(server.addr, &o, &default_trust()).await;
    assert!(
        matches!(r.error, Some(HandshakeFailure::Alert { code: 70, .. })),
        "{:?}",
        r.error
    );
}

// ---------------------------------------------------------------- SNI

/// Serves its certificate only to clients that send the expected SNI name.
#[derive(Debug)]
struct OnlyFor {
    name: &'static str,
    key: Arc<CertifiedKey>,
}

impl ResolvesServerCert for OnlyFor {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        (hello.server_name() == Some(self.name)).then(|| self.key.clone())
    }
}

#[tokio::test]
async fn sni_sent_versus_not_sent() {
    let root = root_ca("tlsprobe test root");
    let l = leaf(&[PUBLIC_NAME], &root);
    let key = CertifiedKey::from_der(vec![l.der.clone()], l.key_der(), &provider()).unwrap();
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(OnlyFor {
            name: PUBLIC_NAME,
            key: Arc::new(key),
        }));
    let server = start(config).await;

    let r = probe(server.addr, &opts(PUBLIC_NAME), &trust_with(&root)).await;
    let c = completed(&r);
    assert_eq!(c.hostname_match, Some(true));

    let mut o = opts(PUBLIC_NAME);
    o.server_name = None;
    let r = probe(server.addr, &o, &trust_with(&root)).await;
    assert!(r.negotiated.is_none());
    assert!(r.certificate.is_none());
    match r.error {
        Some(HandshakeFailure::Alert { code, ref name }) => {
            assert_eq!(code, 49);
            assert_eq!(name, "access_denied");
        }
        ref other => panic!("expected an alert, got {other:?}"),
    }
}

// ---------------------------------------------------------------- failures without TLS

#[tokio::test]
async fn silent_close_and_reset_are_told_apart() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        for i in 0..2 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let mut buf = [0u8; 512];
            let _ = timeout(WAIT, sock.read(&mut buf)).await;
            if i == 1 {
                let _ = sock.set_zero_linger();
            }
            drop(sock);
        }
    });
    let _guard = AbortOnDrop(task);

    let r = probe(addr, &opts("server.test"), &default_trust()).await;
    assert!(
        matches!(r.error, Some(HandshakeFailure::Closed)),
        "{:?}",
        r.error
    );
    let r = probe(addr, &opts("server.test"), &default_trust()).await;
    assert!(
        matches!(r.error, Some(HandshakeFailure::Reset(_))),
        "{:?}",
        r.error
    );
}

#[tokio::test]
async fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let Ok((sock, _)) = listener.accept().await else {
            return;
        };
        tokio::time::sleep(WAIT).await;
        drop(sock);
    });
    let _guard = AbortOnDrop(task);
    let mut o = opts("server.test");
    o.timeout = Duration::from_millis(300);
    let r = probe(addr, &o, &default_trust()).await;
    assert!(
        matches!(r.error, Some(HandshakeFailure::Timeout)),
        "{:?}",
        r.error
    );
}

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

// ---------------------------------------------------------------- interception

#[tokio::test]
async fn intercepting_proxy_is_detected() {
    // The "proxy" answers for the public name with a certificate from its own CA, which the user
    // trusts through --ca-file (as corporate machines trust their inspection CA).
    let inspection = root_ca("Example Corp TLS Inspection CA");
    let l = leaf(&[PUBLIC_NAME], &inspection);
    let proxy = serve(ServerSpec::new(&l)).await;

    let r = probe(proxy.addr, &opts(PUBLIC_NAME), &trust_with(&inspection)).await;
    let c = &judged(&completed(&r), &[]);
    assert_eq!(c.trusted, Some(true));
    assert_eq!(c.intercepted, Some(true), "{:?}", c.interception_evidence);
    assert!(
        c.interception_evidence
            .iter()
            .any(|e| e.contains("--ca-file")),
        "{:?}",
        c.interception_evidence
    );

    // Without --ca-file the chain leads nowhere; with the expected roots of the catalogue the
    // verdict is still reached.
    let r = probe(proxy.addr, &opts(PUBLIC_NAME), &default_trust()).await;
    assert_eq!(judged(&completed(&r), &[]).intercepted, None);
    let c = &judged(&completed(&r), &["DigiCert Global Root G2"]);
    assert_eq!(c.trust_error.as_deref(), Some("unknown_issuer"));
    assert_eq!(c.intercepted, Some(true), "{:?}", c.interception_evidence);

    // A product's CA is recognised by name even when nothing local trusts it.
    let zscaler = root_ca("Zscaler Root CA");
    let l = leaf(&[PUBLIC_NAME], &zscaler);
    let proxy = serve(ServerSpec::new(&l)).await;
    let r = probe(proxy.addr, &opts(PUBLIC_NAME), &default_trust()).await;
    let c = &judged(&completed(&r), &[]);
    assert_eq!(c.intercepted, Some(true));
    assert!(
        c.interception_evidence
            .iter()
            .any(|e| e.contains("Zscaler"))
    );
}

// ---------------------------------------------------------------- openssl s_server: OCSP staple

/// `openssl s_server` on 127.0.0.1 with an ephemeral port; killed on drop.
struct OpensslServer {
    child: Child,
    addr: SocketAddr,
    _dir: TempDir,
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn openssl(dir: &TempDir, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(&dir.0)
        .output()
        .expect("the openssl command is required for this test");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl_server(dir: TempDir, extra: &[&str]) -> OpensslServer {
    let mut child = Command::new("openssl")
        .args([
            "s_server",
            "-accept",
            "127.0.0.1:0",
            "-cert",
            "cert.pem",
            "-key",
            "key.pem",
        ])
        .args(extra)
        .current_dir(&dir.0)
        // s_server quits when stdin reaches EOF: keep a pipe open until the child is killed.
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the openssl command is required for this test");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().take(50) {
            let Ok(line) = line else { return };
            if let Some(rest) = line.strip_prefix("ACCEPT ") {
                let _ = tx.send(rest.to_string());
            }
        }
    });
    let mut server = OpensslServer {
        child,
        addr: "127.0.0.1:1".parse().unwrap(),
        _dir: dir,
    };
    let accept = rx
        .recv_timeout(WAIT)
        .expect("openssl s_server did not start");
    let port: u16 = accept.rsplit(':').next().unwrap().parse().unwrap();
    server.addr = SocketAddr::from(([127, 0, 0, 1], port));
    server
}

#[tokio::test]
async fn ocsp_staple_and_rsa_key_from_openssl() {
    let dir = TempDir::new();
    openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-subj",
            "/CN=ocsp.test",
            "-addext",
            "subjectAltName=DNS:ocsp.test",
            "-days",
            "30",
        ],
    );
    // The smallest valid OCSPResponse: responseStatus tryLater, no responseBytes. s_server staples
    // it as is; the probe only records that a staple arrived.
    dir.file("ocsp.der", [0x30, 0x03, 0x0a, 0x01, 0x03]);
    let server = openssl_server(dir, &["-status_file", "ocsp.der"]);

    let r = probe(server.addr, &opts("ocsp.test"), &default_trust()).await;
    let c = completed(&r);
    assert!(c.ocsp_stapled);
    assert_eq!(c.chain[0].key, "RSA 2048");
    assert_eq!(c.chain[0].key_bits, 2048);
    assert_eq!(c.chain[0].signature_algorithm, "sha256WithRSAEncryption");
    // `openssl req -x509` marks its certificate as a CA: still reported as self-signed.
    assert_eq!(
        c.trust_error.as_deref(),
        Some("self_signed"),
        "{:?}",
        c.trust_detail
    );
    assert!((29..=30).contains(&c.days_left.unwrap()));
}
