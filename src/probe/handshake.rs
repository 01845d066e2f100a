//! A full TLS handshake with rustls over a stream the caller already connected, recording what a
//! real client negotiates and the certificate chain the server presents.
//!
//! The handshake never fails on trust: a recording verifier accepts any chain (so the chain is
//! always captured, together with a stapled OCSP response) while still checking the handshake
//! signatures, which prove the server holds the leaf's private key. The captured chain is then
//! judged by [`crate::probe::cert::inspect_chain`] against the run's [`TrustStore`].
//!
//! This module does not connect (TCP, proxies and `--connect-to` are the caller's), does not
//! retry, and only reaches TLS 1.2 and 1.3 with rustls's ring suites: older versions and legacy
//! suites are the raw prober's job.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{AlertDescription, ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_rustls::TlsConnector;

use crate::model::{CertificateReport, Negotiated, ProtocolVersion};
use crate::probe::cert::{InspectOptions, inspect_chain};
use crate::probe::trust::TrustStore;

/// Longest wait for the server to take our close_notify before the stream is dropped.
const CLOSE_WAIT: Duration = Duration::from_millis(500);

/// What to offer and what to verify in a [`full_handshake`].
#[derive(Debug, Clone)]
pub struct HandshakeOptions {
    /// Name sent as SNI; `None` sends no SNI.
    pub server_name: Option<String>,
    /// Name the certificate is verified against: the SNI name, or the IP address.
    pub verify_name: String,
    /// ALPN protocols offered, most preferred first (empty offers no ALPN).
    pub alpn: Vec<Vec<u8>>,
    /// Limit for the whole handshake.
    pub timeout: Duration,
    /// Versions offered: any of TLS 1.2 and TLS 1.3; others are ignored.
    pub versions: Vec<ProtocolVersion>,
    /// Roots the chain is expected to end in (names, see [`InspectOptions::expected_roots`]).
    pub expected_roots: Vec<String>,
    /// Only these cipher suites (wire values) of the ones rustls implements (`--ciphers`).
    pub suites: Option<Vec<u16>>,
    /// Only these key-exchange groups of the ones rustls implements (`--groups`).
    pub groups: Option<Vec<u16>>,
}

impl HandshakeOptions {
    /// Defaults: SNI = `verify_name` unless it is an IP address, ALPN `h2` and `http/1.1`,
    /// 10 s timeout, TLS 1.2 and 1.3, no expected roots.
    pub fn new(verify_name: impl Into<String>) -> Self {
        let verify_name = verify_name.into();
        let bare = verify_name.trim_start_matches('[').trim_end_matches(']');
        let server_name = bare
            .parse::<std::net::IpAddr>()
            .is_err()
            .then(|| verify_name.clone());
        HandshakeOptions {
            server_name,
            verify_name,
            alpn: vec![b"h2".to_vec(), b"http/1.1".to_vec()],
            timeout: Duration::from_secs(10),
            versions: vec![ProtocolVersion::Tls12, ProtocolVersion::Tls13],
            expected_roots: Vec::new(),
            suites: None,
            groups: None,
        }
    }
}

/// Everything one full handshake produced. A failed handshake may still carry the certificate
/// (when the failure came after the server's Certificate message).
#[derive(Debug)]
pub struct HandshakeResult {
    /// What was negotiated, when the handshake completed.
    pub negotiated: Option<Negotiated>,
    /// The chain and its verification, when the server sent one.
    pub certificate: Option<CertificateReport>,
    /// Why the handshake did not complete.
    pub error: Option<HandshakeFailure>,
    /// ClientHello to completed handshake, in milliseconds.
    pub handshake_ms: Option<f64>,
    /// Whether the server sent a CertificateRequest (we never present a certificate).
    pub client_certificate_requested: bool,
}

/// Records that the server asked for a client certificate, and offers none.
#[derive(Debug, Default)]
struct ClientCertRequest(std::sync::atomic::AtomicBool);

impl rustls::client::ResolvesClientCert for ClientCertRequest {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        _sigschemes: &[rustls::SignatureScheme],
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        None
    }

    fn has_certs(&self) -> bool {
        // Claim to have some so rustls asks (and we learn the server wanted one).
        true
    }
}

/// How a handshake failed.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeFailure {
    /// The server sent a fatal alert.
    #[error("server sent alert {name} ({code})")]
    Alert {
        /// Alert description number.
        code: u8,
        /// Alert description name, IANA style (`protocol_version`).
        name: String,
    },
    /// The connection was reset (or aborted, or the pipe broke) during the handshake.
    #[error("connection reset during the handshake: {0}")]
    Reset(#[source] io::Error),
    /// The server closed the connection without an alert.
    #[error("connection closed by the server during the handshake")]
    Closed,
    /// The handshake did not finish within the timeout.
    #[error("handshake timed out")]
    Timeout,
    /// The peers could not agree, or the server broke the protocol.
    #[error("TLS protocol failure: {0}")]
    Protocol(String),
    /// Anything else (local configuration, unexpected I/O).
    #[error("{0}")]
    Other(String),
}

impl HandshakeFailure {
    /// The operating-system error behind the failure, as reports carry it: the reset's errno,
    /// or ETIMEDOUT for a handshake that ran out of time; `None` for the others.
    pub fn os_error(&self) -> Option<crate::model::OsError> {
        match self {
            HandshakeFailure::Reset(io) => super::from_net::io_os_error(io),
            HandshakeFailure::Timeout => Some(super::from_net::timed_out()),
            _ => None,
        }
    }
}

/// Runs a full rustls handshake over `stream`, sends close_notify, and drops the connection.
pub async fn full_handshake<S>(
    stream: S,
    opts: &HandshakeOptions,
    trust: &TrustStore,
) -> HandshakeResult
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut result = HandshakeResult {
        negotiated: None,
        certificate: None,
        error: None,
        handshake_ms: None,
        client_certificate_requested: false,
    };
    let asked = Arc::new(ClientCertRequest::default());
    let recorder = Arc::new(Recorder::new(trust.provider().clone()));
    let (config, name) = match client_config(opts, trust, recorder.clone(), asked.clone()) {
        Ok(v) => v,
        Err(e) => {
            result.error = Some(e);
            return result;
        }
    };

    let start = Instant::now();
    let connect = TlsConnector::from(Arc::new(config)).connect(name, stream);
    let outcome = tokio::time::timeout(opts.timeout, connect).await;
    let elapsed_ms = start.elapsed().as_secs_f64() * 1000.0;

    match outcome {
        Ok(Ok(mut tls)) => {
            result.handshake_ms = Some(elapsed_ms);
            result.negotiated = Some(negotiated(tls.get_ref().1, elapsed_ms));
            let tls13 =
                tls.get_ref().1.protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3);
            if asked.0.load(std::sync::atomic::Ordering::Relaxed) && tls13 {
                // In TLS 1.3 the client finishes before the server judges the (empty)
                // certificate: its verdict arrives as the first record after the handshake.
                // (In TLS 1.2 the server's Finished came after it judged it: nothing to wait
                // for, and a server that sends nothing more would cost the whole wait.)
                let mut buf = [0u8; 512];
                if let Ok(Err(e)) =
                    tokio::time::timeout(CLOSE_WAIT.min(opts.timeout), tls.read(&mut buf)).await
                {
                    result.error = Some(map_io_error(e));
                }
            }
            let _ = tokio::time::timeout(CLOSE_WAIT.min(opts.timeout), tls.shutdown()).await;
        }
        Ok(Err(e)) => result.error = Some(map_io_error(e)),
        Err(_) => result.error = Some(HandshakeFailure::Timeout),
    }

    result.client_certificate_requested = asked.0.load(std::sync::atomic::Ordering::Relaxed);
    if let Some(seen) = recorder.take() {
        let expected: Vec<&str> = opts.expected_roots.iter().map(String::as_str).collect();
        let inspect = InspectOptions {
            host: &opts.verify_name,
            sni_sent: opts.server_name.is_some(),
            ocsp: Some(&seen.ocsp),
            source: "rustls",
            now: SystemTime::now(),
            expected_roots: &expected,
        };
        result.certificate = Some(inspect_chain(&seen.chain, trust, &inspect));
    }
    result
}

/// Whether rustls has anything to offer under `opts`: a version with at least one suite left
/// by `--ciphers`, and a group left by `--groups`. When it has not, the full handshake is
/// skipped rather than reported as a failure of the server.
pub fn can_offer(opts: &HandshakeOptions, trust: &TrustStore) -> bool {
    let p = trust.provider();
    let suite_ok = |s: &rustls::SupportedCipherSuite| {
        opts.suites
            .as_ref()
            .is_none_or(|w| w.contains(&u16::from(s.suite())))
    };
    let version_ok = |s: &rustls::SupportedCipherSuite| match s {
        rustls::SupportedCipherSuite::Tls12(_) => opts.versions.contains(&ProtocolVersion::Tls12),
        rustls::SupportedCipherSuite::Tls13(_) => opts.versions.contains(&ProtocolVersion::Tls13),
    };
    let groups_ok = opts
        .groups
        .as_ref()
        .is_none_or(|w| p.kx_groups.iter().any(|g| w.contains(&u16::from(g.name()))));
    groups_ok && p.cipher_suites.iter().any(|s| suite_ok(s) && version_ok(s))
}

fn client_config(
    opts: &HandshakeOptions,
    trust: &TrustStore,
    recorder: Arc<Recorder>,
    asked: Arc<ClientCertRequest>,
) -> Result<(ClientConfig, ServerName<'static>), HandshakeFailure> {
    let mut versions: Vec<&'static rustls::SupportedProtocolVersion> = Vec::new();
    if opts.versions.contains(&ProtocolVersion::Tls12) {
        versions.push(&rustls::version::TLS12);
    }
    if opts.versions.contains(&ProtocolVersion::Tls13) {
        versions.push(&rustls::version::TLS13);
    }
    if versions.is_empty() {
        return Err(HandshakeFailure::Protocol(
            "no version rustls can offer (only TLS 1.2 and TLS 1.3)".into(),
        ));
    }
    let provider = if opts.suites.is_none() && opts.groups.is_none() {
        trust.provider().clone()
    } else {
        Arc::new(restricted_provider(opts, trust)?)
    };
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| HandshakeFailure::Protocol(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(recorder)
        .with_client_cert_resolver(asked);
    config.alpn_protocols = opts.alpn.clone();
    config.enable_sni = opts.server_name.is_some();
    // Every probe is a fresh full handshake: no session to resume, so no cache to fill.
    config.resumption = rustls::client::Resumption::disabled();

    // rustls sends SNI from the connect name; without SNI that name still must parse.
    let wanted = opts.server_name.as_deref().unwrap_or(&opts.verify_name);
    let bare = wanted.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(bare.to_string())
        .map_err(|e| HandshakeFailure::Other(format!("invalid server name {wanted:?}: {e}")))?;
    Ok((config, name))
}

/// The crypto provider with only the user's `--ciphers` / `--groups` that rustls implements.
fn restricted_provider(
    opts: &HandshakeOptions,
    trust: &TrustStore,
) -> Result<rustls::crypto::CryptoProvider, HandshakeFailure> {
    let mut provider = (**trust.provider()).clone();
    if let Some(want) = &opts.suites {
        provider
            .cipher_suites
            .retain(|s| want.contains(&u16::from(s.suite())));
        if provider.cipher_suites.is_empty() {
            return Err(HandshakeFailure::Protocol(
                "none of the suites given with --ciphers is one the full handshake (rustls) implements".into(),
            ));
        }
    }
    if let Some(want) = &opts.groups {
        provider
            .kx_groups
            .retain(|g| want.contains(&u16::from(g.name())));
        if provider.kx_groups.is_empty() {
            return Err(HandshakeFailure::Protocol(
                "none of the groups given with --groups is one the full handshake (rustls) implements".into(),
            ));
        }
    }
    Ok(provider)
}

fn negotiated(conn: &rustls::ClientConnection, handshake_ms: f64) -> Negotiated {
    Negotiated {
        version: conn.protocol_version().and_then(|v| match v {
            rustls::ProtocolVersion::TLSv1_2 => Some(ProtocolVersion::Tls12),
            rustls::ProtocolVersion::TLSv1_3 => Some(ProtocolVersion::Tls13),
            _ => None,
        }),
        cipher: conn
            .negotiated_cipher_suite()
            .map(|s| crate::registry::suite_name(u16::from(s.suite()))),
        cipher_openssl: None,
        group: conn
            .negotiated_key_exchange_group()
            .map(|g| crate::registry::group_name(u16::from(g.name()))),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        handshake_ms: Some(handshake_ms),
        source: "rustls",
    }
}

/// The IANA name of an alert, from the registry.
pub(crate) fn alert_name(alert: AlertDescription) -> String {
    let code = u8::from(alert);
    crate::registry::alert_name(code).map_or_else(|| format!("unknown_{code}"), str::to_string)
}

fn map_io_error(e: io::Error) -> HandshakeFailure {
    if let Some(tls) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return map_tls_error(tls);
    }
    match e.kind() {
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => HandshakeFailure::Reset(e),
        io::ErrorKind::UnexpectedEof => HandshakeFailure::Closed,
        io::ErrorKind::TimedOut => HandshakeFailure::Timeout,
        _ => HandshakeFailure::Other(e.to_string()),
    }
}

fn map_tls_error(e: &rustls::Error) -> HandshakeFailure {
    use rustls::Error as E;
    match e {
        E::AlertReceived(alert) => HandshakeFailure::Alert {
            code: u8::from(*alert),
            name: alert_name(*alert),
        },
        E::InappropriateMessage { .. }
        | E::InappropriateHandshakeMessage { .. }
        | E::InvalidMessage(_)
        | E::PeerIncompatible(_)
        | E::PeerMisbehaved(_)
        | E::NoApplicationProtocol
        | E::DecryptError
        | E::General(_) => HandshakeFailure::Protocol(e.to_string()),
        _ => HandshakeFailure::Other(e.to_string()),
    }
}

/// The chain and OCSP response the server presented.
#[derive(Debug)]
struct Seen {
    chain: Vec<Vec<u8>>,
    ocsp: Vec<u8>,
}

/// A verifier that accepts every chain, remembering it, and checks handshake signatures.
#[derive(Debug)]
struct Recorder {
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<Seen>>,
}

impl Recorder {
    fn new(provider: Arc<CryptoProvider>) -> Self {
        Recorder {
            provider,
            seen: Mutex::new(None),
        }
    }

    fn take(&self) -> Option<Seen> {
        let mut guard = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        guard.take()
    }
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.as_ref().to_vec())
            .collect();
        let mut guard = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard = Some(Seen {
            chain,
            ocsp: ocsp_response.to_vec(),
        });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_follow_iana() {
        assert_eq!(
            alert_name(AlertDescription::ProtocolVersion),
            "protocol_version"
        );
        assert_eq!(
            alert_name(AlertDescription::HandshakeFailure),
            "handshake_failure"
        );
        assert_eq!(alert_name(AlertDescription::UnknownCA), "unknown_ca");
        assert_eq!(
            alert_name(AlertDescription::UnknownPSKIdentity),
            "unknown_psk_identity"
        );
        assert_eq!(
            alert_name(AlertDescription::UnrecognisedName),
            "unrecognized_name"
        );
        assert_eq!(alert_name(AlertDescription::AccessDenied), "access_denied");
        assert_eq!(alert_name(AlertDescription::Unknown(200)), "unknown_200");
    }

    #[test]
    fn every_rustls_suite_and_group_has_its_registry_name() {
        let provider = rustls::crypto::ring::default_provider();
        for s in &provider.cipher_suites {
            let name = crate::registry::suite_name(u16::from(s.suite()));
            // rustls spells TLS 1.3 suites `TLS13_…`; the registry has the IANA `TLS_…`.
            let debug = format!("{:?}", s.suite()).replace("TLS13_", "TLS_");
            assert_eq!(name, debug);
        }
        for g in &provider.kx_groups {
            let name = crate::registry::group_name(u16::from(g.name()));
            assert!(
                !name.starts_with("0x"),
                "{:?} missing from the registry",
                g.name()
            );
            assert!(
                name.eq_ignore_ascii_case(&format!("{:?}", g.name())),
                "{name} vs {:?}",
                g.name()
            );
        }
        assert_eq!(
            crate::registry::group_name(u16::from(rustls::NamedGroup::X25519)),
            "x25519"
        );
        assert_eq!(
            crate::registry::group_name(u16::from(rustls::NamedGroup::X25519MLKEM768)),
            "X25519MLKEM768"
        );
    }

    #[test]
    fn io_errors_are_classified() {
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(matches!(map_io_error(reset), HandshakeFailure::Reset(_)));
        assert!(matches!(
            map_io_error(io::Error::from(io::ErrorKind::UnexpectedEof)),
            HandshakeFailure::Closed
        ));
        let alert = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::AlertReceived(AlertDescription::ProtocolVersion),
        );
        match map_io_error(alert) {
            HandshakeFailure::Alert { code, name } => {
                assert_eq!(code, 70);
                assert_eq!(name, "protocol_version");
            }
            other => panic!("unexpected {other:?}"),
        }
        let general = io::Error::new(
            io::ErrorKind::InvalidData,
            rustls::Error::General("no usable cipher suites configured".into()),
        );
        assert!(matches!(
            map_io_error(general),
            HandshakeFailure::Protocol(_)
        ));
    }

    #[test]
    fn default_options_skip_sni_for_ip_addresses() {
        assert_eq!(
            HandshakeOptions::new("example.test").server_name.as_deref(),
            Some("example.test")
        );
        assert_eq!(HandshakeOptions::new("127.0.0.1").server_name, None);
        assert_eq!(HandshakeOptions::new("[::1]").server_name, None);
    }
}
