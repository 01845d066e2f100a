//! mitmproxy (`mitmdump`, from PyPI), a real TLS-intercepting HTTP proxy on 127.0.0.1: it
//! answers CONNECT, terminates the client's TLS with a certificate it mints from its own CA and
//! opens its own TLS connection upstream (not verified: the upstream is a test server). Killed
//! on drop.

use std::path::PathBuf;
use std::process::Command;

use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessError, HarnessResult, Loopback, TempDir, require_tool};

/// A running mitmdump.
#[derive(Debug)]
pub struct Mitmproxy {
    port: u16,
    mode: &'static str,
    dir: TempDir,
    _process: ServerProcess,
}

impl Mitmproxy {
    /// Starts mitmdump in regular (CONNECT) mode; it makes its own CA ("CN=mitmproxy").
    pub fn start() -> HarnessResult<Self> {
        Self::start_in(TempDir::new("mitmproxy")?, "regular")
    }

    /// Like [`Mitmproxy::start_with_ca`], as a SOCKS5 proxy (`--mode socks5`, no authentication).
    pub fn start_socks_with_ca(ca_name: &str) -> HarnessResult<Self> {
        Self::start_in(Self::ca_dir(ca_name)?, "socks5")
    }

    /// Like [`Mitmproxy::start`], re-signing with a fresh CA whose common name and
    /// organisation are `ca_name` (an inspection box no product list knows).
    pub fn start_with_ca(ca_name: &str) -> HarnessResult<Self> {
        Self::start_in(Self::ca_dir(ca_name)?, "regular")
    }

    /// A confdir holding a fresh CA named `ca_name` for mitmproxy to sign with.
    fn ca_dir(ca_name: &str) -> HarnessResult<TempDir> {
        let dir = TempDir::new("mitmproxy")?;
        let cert_err = |e: rcgen::Error| HarnessError::Cert(e.to_string());
        let key = rcgen::KeyPair::generate().map_err(cert_err)?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(cert_err)?;
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, ca_name);
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, ca_name);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let cert = params.self_signed(&key).map_err(cert_err)?;
        // mitmproxy reads its CA (key and certificate in one PEM) from the confdir.
        dir.write(
            "mitmproxy-ca.pem",
            format!("{}{}", key.serialize_pem(), cert.pem()),
        )?;
        dir.write("mitmproxy-ca-cert.pem", cert.pem())?;
        Ok(dir)
    }

    fn start_in(dir: TempDir, mode: &'static str) -> HarnessResult<Self> {
        require_tool("mitmdump")?;
        let confdir = dir.path().to_path_buf();
        let (process, port) = start_with_retry("mitmdump", Loopback::V4, |port| {
            let mut cmd = Command::new("mitmdump");
            cmd.arg("--mode")
                .arg(mode)
                .arg("--listen-host")
                .arg("127.0.0.1")
                .arg("--listen-port")
                .arg(port.to_string())
                .arg("--set")
                .arg(format!("confdir={}", confdir.display()))
                .arg("--ssl-insecure")
                .arg("--set")
                .arg("termlog_verbosity=info");
            Ok((cmd, Readiness::Line("listening at")))
        })?;
        let m = Mitmproxy {
            port,
            mode,
            dir,
            _process: process,
        };
        if !m.ca_pem().exists() {
            return Err(HarnessError::NotReady {
                name: "mitmdump".into(),
                reason: "no CA certificate written to its confdir".into(),
                log: String::new(),
            });
        }
        Ok(m)
    }

    /// `http://127.0.0.1:PORT`, or `socks5://127.0.0.1:PORT` in SOCKS5 mode.
    pub fn url(&self) -> String {
        let scheme = if self.mode == "socks5" {
            "socks5"
        } else {
            "http"
        };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The CA certificate mitmproxy signs with (PEM).
    pub fn ca_pem(&self) -> PathBuf {
        self.dir.join("mitmproxy-ca-cert.pem")
    }
}
