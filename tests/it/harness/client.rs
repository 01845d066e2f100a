//! Reference clients for checking the fixtures: `openssl s_client` and a synchronous rustls
//! client, each reporting what was negotiated.
//!
//! These are oracles for the harness's self-tests and for cross-checking tlsprobe's answers; they
//! are not the product's prober.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore, SignatureScheme,
    SupportedProtocolVersion,
};

use super::{HarnessResult, require_tool, run_with_timeout};

/// Hard limit for one `openssl s_client` run.
pub const S_CLIENT_TIMEOUT: Duration = Duration::from_secs(20);

/// What `openssl s_client` reported.
#[derive(Clone, Debug, Default)]
pub struct SClientResult {
    /// Negotiated protocol as OpenSSL names it (`TLSv1.3`, `TLSv1.2`, `TLSv1.1`, `TLSv1`),
    /// `None` if no handshake.
    pub version: Option<String>,
    /// Negotiated cipher, OpenSSL name, `None` if no handshake.
    pub cipher: Option<String>,
    /// Negotiated ALPN protocol.
    pub alpn: Option<String>,
    /// Whether an OCSP response was stapled (needs `-status` in the extra args).
    pub ocsp_stapled: bool,
    /// Subject line of the leaf certificate (`subject=...`), if printed.
    pub subject: Option<String>,
    /// Everything printed, stdout then stderr.
    pub output: String,
}

/// Runs `openssl s_client -connect ADDR` with stdin closed and `extra` options, and parses the
/// negotiated version, cipher, ALPN and staple from its output.
pub fn s_client(addr: SocketAddr, extra: &[&str]) -> HarnessResult<SClientResult> {
    require_tool("openssl")?;
    let mut cmd = Command::new("openssl");
    cmd.arg("s_client")
        .arg("-connect")
        .arg(addr.to_string())
        .args(extra);
    let out = run_with_timeout(cmd, S_CLIENT_TIMEOUT)?;
    let output = format!("{}{}", out.stdout, out.stderr);
    let mut r = SClientResult::default();
    for line in output.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("New, ") {
            // "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"
            let mut parts = rest.splitn(2, ", Cipher is ");
            let v = parts.next().unwrap_or("").trim();
            let c = parts.next().unwrap_or("").trim();
            if v != "(NONE)" && !v.is_empty() {
                r.version = Some(v.to_string());
            }
            if c != "(NONE)" && !c.is_empty() {
                r.cipher = Some(c.to_string());
            }
        } else if let Some(p) = line.strip_prefix("ALPN protocol: ") {
            r.alpn = Some(p.to_string());
        } else if line.starts_with("OCSP Response Status: successful") {
            r.ocsp_stapled = true;
        } else if line.starts_with("subject=") && r.subject.is_none() {
            r.subject = Some(line.to_string());
        }
    }
    // The "New," line names the cipher's minimum version (TLSv1.0 for a CBC suite even on a
    // TLS 1.1 session); the session block's "Protocol  :" line names the negotiated one.
    if r.cipher.is_some() {
        if let Some(p) = output
            .lines()
            .find_map(|l| l.trim().strip_prefix("Protocol  : "))
        {
            r.version = Some(p.trim().to_string());
        }
    }
    r.output = output;
    Ok(r)
}

/// What the rustls client negotiated.
#[derive(Clone, Debug)]
pub struct Negotiated {
    /// Protocol version.
    pub version: rustls::ProtocolVersion,
    /// Cipher suite.
    pub suite: rustls::CipherSuite,
    /// ALPN protocol, if any.
    pub alpn: Option<Vec<u8>>,
    /// Number of certificates the server sent.
    pub chain_len: usize,
    /// The stapled OCSP response (empty if none).
    pub ocsp: Vec<u8>,
    /// The verifier's verdict on the chain (the handshake itself never fails on trust).
    pub trust: Result<(), rustls::Error>,
    /// Application data read after the handshake (bounded).
    pub data: Vec<u8>,
}

/// Options for [`rustls_connect`].
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Server name to verify and send as SNI (an IP literal sends no SNI).
    pub server_name: String,
    /// Versions to offer.
    pub versions: Vec<&'static SupportedProtocolVersion>,
    /// ALPN protocols to offer.
    pub alpn: Vec<Vec<u8>>,
    /// Trust anchors (DER).
    pub roots: Vec<CertificateDer<'static>>,
    /// Overall time limit.
    pub timeout: Duration,
}

impl ClientOptions {
    /// TLS 1.2 and 1.3, no ALPN, trusting `root`, verifying `server_name`.
    pub fn new(server_name: &str, root: CertificateDer<'static>) -> Self {
        Self {
            server_name: server_name.to_string(),
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
            alpn: Vec::new(),
            roots: vec![root],
            timeout: Duration::from_secs(10),
        }
    }
}

/// What the recording verifier saw: the trust verdict and the stapled OCSP response.
type Seen = (Option<Result<(), rustls::Error>>, Vec<u8>);

/// Records the verdict and the OCSP response instead of failing on them.
#[derive(Debug)]
struct Recorder {
    inner: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
    seen: Mutex<Seen>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, &[], now)
            .map(|_| ());
        if let Ok(mut seen) = self.seen.lock() {
            *seen = (Some(verdict), ocsp.to_vec());
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Connects to `addr` with rustls (ring provider), completes the handshake and reads whatever
/// the server sends until close or a short pause. Trust problems are recorded in
/// [`Negotiated::trust`], not raised; handshake failures are `Err`.
pub fn rustls_connect(addr: SocketAddr, opts: &ClientOptions) -> Result<Negotiated, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    for r in &opts.roots {
        roots.add(r.clone()).map_err(|e| format!("bad root: {e}"))?;
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
        .build()
        .map_err(|e| format!("verifier: {e}"))?;
    let recorder = Arc::new(Recorder {
        inner,
        provider: Arc::clone(&provider),
        seen: Mutex::new((None, Vec::new())),
    });
    let mut config = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&opts.versions)
        .map_err(|e| format!("versions: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    config.alpn_protocols = opts.alpn.clone();
    let name = ServerName::try_from(opts.server_name.clone()).map_err(|e| format!("name: {e}"))?;
    let mut conn = ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut sock =
        TcpStream::connect_timeout(&addr, opts.timeout).map_err(|e| format!("connect: {e}"))?;
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .map_err(|e| e.to_string())?;
    let deadline = Instant::now() + opts.timeout;
    while conn.is_handshaking() {
        if Instant::now() >= deadline {
            return Err("handshake timed out".into());
        }
        match conn.complete_io(&mut sock) {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(format!("handshake: {e}")),
        }
    }
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let read_until = Instant::now() + Duration::from_secs(2).min(opts.timeout);
    while Instant::now() < read_until && data.len() < 64 * 1024 {
        match conn.complete_io(&mut sock) {
            Ok((0, 0)) => {}
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
        match conn.reader().read(&mut buf) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(_) => break,
        }
    }
    conn.send_close_notify();
    let _ = conn.write_tls(&mut sock);
    let _ = sock.flush();
    let (verdict, ocsp) = recorder
        .seen
        .lock()
        .map(|s| s.clone())
        .unwrap_or((None, Vec::new()));
    Ok(Negotiated {
        version: conn.protocol_version().ok_or("no version")?,
        suite: conn
            .negotiated_cipher_suite()
            .map(|s| s.suite())
            .ok_or("no suite")?,
        alpn: conn.alpn_protocol().map(<[u8]>::to_vec),
        chain_len: conn.peer_certificates().map_or(0, <[_]>::len),
        ocsp,
        trust: verdict.unwrap_or(Err(rustls::Error::General("no verdict recorded".into()))),
        data,
    })
}
