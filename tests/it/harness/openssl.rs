//! `openssl s_server` on loopback, configured through a builder.
//!
//! Readiness is its `ACCEPT` line; a port lost to another test is retried with a new one. Its
//! stdin is held open (s_server quits on end of input) and the process is killed on drop.
//!
//! Keep in mind: s_server serves ONE connection at a time; a client that holds a connection open
//! blocks the next one. It does not serve SSL 3.0 (Debian's OpenSSL 3 lacks it; see
//! [`super::ssl3`]).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use super::certs::Pki;
use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessResult, Loopback, require_tool};

/// Configuration for an `openssl s_server`. Every method adds the matching s_server option.
#[derive(Debug, Default)]
pub struct OpensslBuilder {
    args: Vec<String>,
    family: Loopback,
    pki: Option<Pki>,
    cert: Option<(PathBuf, PathBuf)>,
    extra_chain: Option<PathBuf>,
}

impl OpensslBuilder {
    /// Only TLS 1.2 (`-tls1_2`).
    pub fn tls1_2(self) -> Self {
        self.arg("-tls1_2")
    }

    /// Only TLS 1.3 (`-tls1_3`).
    pub fn tls1_3(self) -> Self {
        self.arg("-tls1_3")
    }

    /// Only TLS 1.0 (`-tls1`); pair with `.cipher("ALL:@SECLEVEL=0")` on OpenSSL 3.
    pub fn tls1(self) -> Self {
        self.arg("-tls1")
    }

    /// Only TLS 1.1 (`-tls1_1`); pair with `.cipher("ALL:@SECLEVEL=0")` on OpenSSL 3.
    pub fn tls1_1(self) -> Self {
        self.arg("-tls1_1")
    }

    /// Disable TLS 1.3 (`-no_tls1_3`).
    pub fn no_tls1_3(self) -> Self {
        self.arg("-no_tls1_3")
    }

    /// Version range, e.g. `("TLSv1", "TLSv1.1")` (`-min_protocol`, `-max_protocol`).
    pub fn versions(self, min: &str, max: &str) -> Self {
        self.args(["-min_protocol", min, "-max_protocol", max])
    }

    /// TLS 1.2-and-below cipher list (`-cipher`), e.g. `"ALL:@SECLEVEL=0"`.
    pub fn cipher(self, list: &str) -> Self {
        self.args(["-cipher", list])
    }

    /// TLS 1.3 cipher suites (`-ciphersuites`).
    pub fn ciphersuites(self, list: &str) -> Self {
        self.args(["-ciphersuites", list])
    }

    /// Server cipher preference (`-serverpref`).
    pub fn server_pref(self) -> Self {
        self.arg("-serverpref")
    }

    /// Key exchange groups (`-groups`), e.g. `"P-256:X25519"`.
    pub fn groups(self, list: &str) -> Self {
        self.args(["-groups", list])
    }

    /// Staple this DER OCSP response (`-status_file`); see [`Pki::ocsp_response`].
    pub fn status_file(self, path: impl Into<PathBuf>) -> Self {
        let p: PathBuf = path.into();
        self.args(["-status_file", &p.to_string_lossy()])
    }

    /// ALPN protocols, comma separated (`-alpn`), e.g. `"h2,http/1.1"`.
    pub fn alpn(self, list: &str) -> Self {
        self.args(["-alpn", list])
    }

    /// SNI: clients naming `name` get `second`'s leaf and key (`-servername`, `-cert2`,
    /// `-key2`); others get the main certificate.
    pub fn sni(self, name: &str, second: &Pki) -> Self {
        let cert = second.leaf_pem().to_string_lossy().into_owned();
        let key = second.key_pem().to_string_lossy().into_owned();
        self.args(["-servername", name, "-cert2", &cert, "-key2", &key])
    }

    /// Serve the HTTP status page (`-www`) instead of the interactive echo mode.
    pub fn www(self) -> Self {
        self.arg("-www")
    }

    /// Listen on \[::1\] instead of 127.0.0.1.
    pub fn ipv6(mut self) -> Self {
        self.family = Loopback::V6;
        self
    }

    /// Use this PKI's leaf, key and intermediate (`-cert_chain`) (default: a fresh
    /// [`Pki::localhost`], owned by the server).
    pub fn pki(mut self, pki: &Pki) -> Self {
        self.cert = Some((pki.leaf_pem(), pki.key_pem()));
        self.extra_chain = pki.intermediate_pem();
        self
    }

    /// Use this PKI and keep it alive as long as the server.
    pub fn own_pki(mut self, pki: Pki) -> Self {
        self = self.pki(&pki);
        self.pki = Some(pki);
        self
    }

    /// Any other s_server option.
    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.to_string());
        self
    }

    /// Several other s_server options.
    pub fn args<'a>(mut self, a: impl IntoIterator<Item = &'a str>) -> Self {
        self.args.extend(a.into_iter().map(str::to_string));
        self
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start(mut self) -> HarnessResult<OpensslServer> {
        require_tool("openssl")?;
        if self.cert.is_none() {
            self = self.own_pki(Pki::localhost()?);
        }
        let (cert, key) = self.cert.clone().unwrap_or_default();
        let family = self.family;
        let (process, port) = start_with_retry("openssl s_server", family, |port| {
            let mut cmd = Command::new("openssl");
            cmd.arg("s_server")
                .arg("-accept")
                .arg(family.host_port(port))
                .arg("-cert")
                .arg(&cert)
                .arg("-key")
                .arg(&key)
                .args(&self.args);
            if let Some(chain) = &self.extra_chain {
                cmd.arg("-cert_chain").arg(chain);
            }
            Ok((cmd, Readiness::Line("ACCEPT")))
        })?;
        Ok(OpensslServer {
            addr: SocketAddr::new(family.ip(), port),
            process,
            _pki: self.pki,
        })
    }
}

/// A running `openssl s_server`, killed on drop.
#[derive(Debug)]
pub struct OpensslServer {
    addr: SocketAddr,
    process: ServerProcess,
    _pki: Option<Pki>,
}

impl OpensslServer {
    /// A builder with no options: TLS 1.2 and 1.3 with OpenSSL's defaults.
    pub fn builder() -> OpensslBuilder {
        OpensslBuilder::default()
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `127.0.0.1:PORT` or `[::1]:PORT`, as a tlsprobe target.
    pub fn target(&self) -> String {
        self.addr.to_string()
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        self.process.log()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.process.is_running()
    }
}
