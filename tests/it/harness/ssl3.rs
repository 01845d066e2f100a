//! An SSL 3.0-only server: `tests/servers/ssl3_server.py` (python3 + tlslite-ng), since Debian's
//! OpenSSL 3 cannot serve SSL 3.0.
//!
//! It uses an RSA leaf (RSA key exchange, CBC suites) and prints `ACCEPT` when listening. It
//! serves one connection at a time. Killed on drop. It does not serve TLS 1.0 or later.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use super::certs::{CertSpec, Pki};
use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessError, HarnessResult, Loopback, require_tool, run_with_timeout};

/// Path of the server script.
pub fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/servers/ssl3_server.py")
}

/// Whether python3 can import tlslite-ng.
pub fn tlslite_available() -> bool {
    let mut cmd = Command::new("python3");
    cmd.args(["-c", "import tlslite"]);
    run_with_timeout(cmd, std::time::Duration::from_secs(30))
        .map(|o| o.code == Some(0))
        .unwrap_or(false)
}

/// A running SSL 3.0 server, killed on drop.
#[derive(Debug)]
pub struct Ssl3Server {
    addr: SocketAddr,
    process: ServerProcess,
    _pki: Pki,
}

impl Ssl3Server {
    /// Starts the server on 127.0.0.1 with a fresh RSA localhost certificate.
    pub fn start() -> HarnessResult<Self> {
        require_tool("python3")?;
        if !tlslite_available() {
            return Err(HarnessError::MissingTool(
                "tlslite-ng (python3 module tlslite)",
            ));
        }
        let pki = Pki::generate(&CertSpec::default().rsa())?;
        let (process, port) = start_with_retry("ssl3_server.py", Loopback::V4, |port| {
            let mut cmd = Command::new("python3");
            cmd.arg(script())
                .arg("127.0.0.1")
                .arg(port.to_string())
                .arg(pki.chain_pem())
                .arg(pki.key_pem());
            Ok((cmd, Readiness::Line("ACCEPT")))
        })?;
        Ok(Self {
            addr: SocketAddr::new(Loopback::V4.ip(), port),
            process,
            _pki: pki,
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        self.process.log()
    }
}
