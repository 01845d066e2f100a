//! `gnutls-serv` on loopback with a GnuTLS priority string.
//!
//! gnutls-serv has no option to choose its listening address: it listens on the wildcard
//! addresses (IPv4 and IPv6) of the chosen port. Tests still only connect to 127.0.0.1 or
//! \[::1\]. Readiness is its "listening on IPv4" line. Unlike `openssl s_server` it serves several
//! connections at once. Killed on drop.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use super::certs::Pki;
use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessResult, Loopback, require_tool};

/// The priority string used when none is given.
pub const DEFAULT_PRIORITY: &str = "NORMAL";

/// Configuration for `gnutls-serv`.
#[derive(Debug, Default)]
pub struct GnutlsBuilder {
    priority: Option<String>,
    pki: Option<Pki>,
    cert: Option<(PathBuf, PathBuf)>,
    extra: Vec<String>,
}

impl GnutlsBuilder {
    /// The GnuTLS priority string (`--priority`), e.g. `"NORMAL:-VERS-ALL:+VERS-TLS1.2"`.
    pub fn priority(mut self, p: &str) -> Self {
        self.priority = Some(p.to_string());
        self
    }

    /// Use this PKI's chain and key (default: a fresh [`Pki::localhost`]).
    pub fn pki(mut self, pki: &Pki) -> Self {
        self.cert = Some((pki.chain_pem(), pki.key_pem()));
        self
    }

    /// Any other gnutls-serv option.
    pub fn arg(mut self, a: &str) -> Self {
        self.extra.push(a.to_string());
        self
    }

    /// Starts the server and waits until it listens.
    pub fn start(mut self) -> HarnessResult<GnutlsServer> {
        require_tool("gnutls-serv")?;
        if self.cert.is_none() {
            let pki = Pki::localhost()?;
            self.cert = Some((pki.chain_pem(), pki.key_pem()));
            self.pki = Some(pki);
        }
        let (cert, key) = self.cert.clone().unwrap_or_default();
        let priority = self
            .priority
            .clone()
            .unwrap_or_else(|| DEFAULT_PRIORITY.to_string());
        let (process, port) = start_with_retry("gnutls-serv", Loopback::V4, |port| {
            let mut cmd = Command::new("gnutls-serv");
            cmd.arg("--port")
                .arg(port.to_string())
                .arg("--x509certfile")
                .arg(&cert)
                .arg("--x509keyfile")
                .arg(&key)
                .arg("--priority")
                .arg(&priority)
                .args(["--echo", "--disable-client-cert", "--nodb", "--noticket"])
                .args(&self.extra);
            Ok((cmd, Readiness::Line("listening on IPv4")))
        })?;
        Ok(GnutlsServer {
            port,
            process,
            _pki: self.pki,
        })
    }
}

/// A running `gnutls-serv`, killed on drop.
#[derive(Debug)]
pub struct GnutlsServer {
    port: u16,
    process: ServerProcess,
    _pki: Option<Pki>,
}

impl GnutlsServer {
    /// A builder with the `NORMAL` priority and a fresh localhost certificate.
    pub fn builder() -> GnutlsBuilder {
        GnutlsBuilder::default()
    }

    /// 127.0.0.1:PORT.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(Loopback::V4.ip(), self.port)
    }

    /// \[::1\]:PORT (the server listens on both families).
    pub fn addr_v6(&self) -> SocketAddr {
        SocketAddr::new(Loopback::V6.ip(), self.port)
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        self.process.log()
    }
}
