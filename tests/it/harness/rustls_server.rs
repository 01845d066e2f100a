//! An in-process rustls server (ring provider) on its own std threads: chosen versions, any
//! certificate chain from [`Pki`], ALPN and an OCSP staple.
//!
//! Each connection completes the handshake, writes one line, sends close_notify and closes.
//! Dropping the server stops the accept loop and joins every thread. It does not do client
//! authentication or session resumption on purpose.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection, SupportedProtocolVersion};

use super::certs::Pki;
use super::{HarnessError, HarnessResult, Loopback, io_err};

/// What the server writes after a completed handshake.
pub const GREETING: &[u8] = b"hello from rustls\n";

/// Per-connection socket timeout.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// Configuration for a [`RustlsServer`].
#[derive(Debug)]
pub struct RustlsBuilder {
    versions: Vec<&'static SupportedProtocolVersion>,
    alpn: Vec<Vec<u8>>,
    ocsp: Vec<u8>,
    family: Loopback,
    pki: Option<Pki>,
    chain_from: Option<(
        Vec<rustls::pki_types::CertificateDer<'static>>,
        rustls::pki_types::PrivateKeyDer<'static>,
    )>,
}

impl Default for RustlsBuilder {
    fn default() -> Self {
        Self {
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
            alpn: Vec::new(),
            ocsp: Vec::new(),
            family: Loopback::V4,
            pki: None,
            chain_from: None,
        }
    }
}

impl RustlsBuilder {
    /// Only TLS 1.2.
    pub fn tls12_only(mut self) -> Self {
        self.versions = vec![&rustls::version::TLS12];
        self
    }

    /// Only TLS 1.3.
    pub fn tls13_only(mut self) -> Self {
        self.versions = vec![&rustls::version::TLS13];
        self
    }

    /// ALPN protocols the server accepts, in its preference order.
    pub fn alpn(mut self, protocols: &[&str]) -> Self {
        self.alpn = protocols.iter().map(|p| p.as_bytes().to_vec()).collect();
        self
    }

    /// Staple this OCSP response (DER) to the certificate.
    pub fn ocsp(mut self, response: Vec<u8>) -> Self {
        self.ocsp = response;
        self
    }

    /// Listen on \[::1\] instead of 127.0.0.1.
    pub fn ipv6(mut self) -> Self {
        self.family = Loopback::V6;
        self
    }

    /// Serve this PKI's chain (the PKI's files are not needed: DER is copied).
    pub fn pki(mut self, pki: &Pki) -> Self {
        self.chain_from = Some((pki.chain_der(), pki.key_der()));
        self
    }

    /// Starts the server.
    pub fn start(mut self) -> HarnessResult<RustlsServer> {
        if self.chain_from.is_none() {
            let pki = Pki::localhost()?;
            self.chain_from = Some((pki.chain_der(), pki.key_der()));
            self.pki = Some(pki);
        }
        let Some((chain, key)) = self.chain_from.take() else {
            return Err(HarnessError::Tls("no certificate".into()));
        };
        let tls = |e: rustls::Error| HarnessError::Tls(e.to_string());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&self.versions)
            .map_err(tls)?
            .with_no_client_auth()
            .with_single_cert_with_ocsp(chain, key, self.ocsp.clone())
            .map_err(tls)?;
        config.alpn_protocols = self.alpn.clone();
        let config = Arc::new(config);

        let listener = TcpListener::bind(SocketAddr::new(self.family.ip(), 0))
            .map_err(io_err("bind rustls server"))?;
        listener
            .set_nonblocking(true)
            .map_err(io_err("set_nonblocking on rustls listener"))?;
        let addr = listener.local_addr().map_err(io_err("rustls local_addr"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let handshakes = Arc::new(AtomicUsize::new(0));
        let thread = {
            let stop = Arc::clone(&stop);
            let handshakes = Arc::clone(&handshakes);
            thread::Builder::new()
                .name(format!("rustls-{addr}"))
                .spawn(move || accept_loop(listener, config, stop, handshakes))
                .map_err(io_err("spawn rustls accept thread"))?
        };
        Ok(RustlsServer {
            addr,
            stop,
            handshakes,
            thread: Some(thread),
            _pki: self.pki,
        })
    }
}

/// A running in-process rustls server; stopped and joined on drop.
#[derive(Debug)]
pub struct RustlsServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    handshakes: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
    _pki: Option<Pki>,
}

impl RustlsServer {
    /// A builder: TLS 1.2 and 1.3, no ALPN, no staple, a fresh localhost certificate.
    pub fn builder() -> RustlsBuilder {
        RustlsBuilder::default()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// How many handshakes completed so far.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::SeqCst)
    }
}

impl Drop for RustlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    stop: Arc<AtomicBool>,
    handshakes: Arc<AtomicUsize>,
) {
    let started = Instant::now();
    let mut handlers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) && started.elapsed() < super::hostile::MAX_LIFETIME {
        match listener.accept() {
            Ok((sock, _)) => {
                let config = Arc::clone(&config);
                let handshakes = Arc::clone(&handshakes);
                let stop = Arc::clone(&stop);
                if let Ok(h) = thread::Builder::new()
                    .name("rustls-conn".into())
                    .spawn(move || {
                        if serve(sock, config, &stop).is_ok() {
                            handshakes.fetch_add(1, Ordering::SeqCst);
                        }
                    })
                {
                    handlers.push(h);
                }
                handlers.retain(|h| !h.is_finished());
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
    stop.store(true, Ordering::SeqCst);
    for h in handlers {
        let _ = h.join();
    }
}

fn serve(mut sock: TcpStream, config: Arc<ServerConfig>, stop: &AtomicBool) -> io::Result<()> {
    sock.set_nonblocking(false)?;
    sock.set_read_timeout(Some(Duration::from_millis(100)))?;
    sock.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut conn = ServerConnection::new(config).map_err(io::Error::other)?;
    let deadline = Instant::now() + IO_TIMEOUT;
    while conn.is_handshaking() {
        if stop.load(Ordering::SeqCst) || Instant::now() >= deadline {
            return Err(io::ErrorKind::TimedOut.into());
        }
        match conn.complete_io(&mut sock) {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
    conn.writer().write_all(GREETING)?;
    conn.send_close_notify();
    while conn.wants_write() {
        conn.write_tls(&mut sock)?;
    }
    let _ = sock.flush();
    // Give the client a moment to read and close first.
    let mut buf = [0u8; 1024];
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        match sock.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    Ok(())
}
