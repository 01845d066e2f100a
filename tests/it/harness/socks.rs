//! Real SOCKS5 servers on 127.0.0.1, killed on drop: microsocks (optional RFC 1929
//! username/password) and Dante's `danted` (rules that block some destination ports with
//! "connection not allowed by ruleset").

use std::net::SocketAddr;
use std::process::Command;

use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessResult, Loopback, TempDir, require_tool};

/// A running SOCKS5 server.
#[derive(Debug)]
pub struct SocksServer {
    port: u16,
    _process: ServerProcess,
    _dir: Option<TempDir>,
}

impl SocksServer {
    /// microsocks on a free port; with `credentials`, only that user/password is accepted.
    pub fn microsocks(credentials: Option<(&str, &str)>) -> HarnessResult<Self> {
        require_tool("microsocks")?;
        let (process, port) = start_with_retry("microsocks", Loopback::V4, |port| {
            let mut cmd = Command::new("microsocks");
            cmd.arg("-i")
                .arg("127.0.0.1")
                .arg("-p")
                .arg(port.to_string());
            if let Some((u, p)) = credentials {
                cmd.arg("-u").arg(u).arg("-P").arg(p);
            }
            Ok((
                cmd,
                Readiness::Connect(SocketAddr::from(([127, 0, 0, 1], port))),
            ))
        })?;
        Ok(SocksServer {
            port,
            _process: process,
            _dir: None,
        })
    }

    /// danted without authentication that refuses CONNECT to 127.0.0.1 on `blocked` ports
    /// (reply 2, "connection not allowed by ruleset") and passes everything else.
    pub fn dante_blocking(blocked: &[u16]) -> HarnessResult<Self> {
        require_tool("danted")?;
        let dir = TempDir::new("danted")?;
        let (process, port) = start_with_retry("danted", Loopback::V4, |port| {
            let mut conf = format!(
                "logoutput: stderr {log}\ninternal: 127.0.0.1 port = {port}\nexternal: 127.0.0.1\n\
                 socksmethod: none\nclientmethod: none\nuser.unprivileged: nobody\n\
                 client pass {{ from: 127.0.0.0/8 to: 0.0.0.0/0 }}\n",
                log = dir.join("danted.log").display(),
            );
            for b in blocked {
                conf.push_str(&format!(
                    "socks block {{ from: 0.0.0.0/0 to: 127.0.0.1/32 port = {b} log: error connect }}\n"
                ));
            }
            conf.push_str("socks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }\n");
            let path = dir.write("danted.conf", conf)?;
            let mut cmd = Command::new("danted");
            cmd.arg("-f")
                .arg(path)
                .arg("-p")
                .arg(dir.join("danted.pid"))
                .arg("-N")
                .arg("1");
            Ok((cmd, Readiness::Line("running")))
        })?;
        Ok(SocksServer {
            port,
            _process: process,
            _dir: Some(dir),
        })
    }

    /// The proxy's port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `SCHEME://[user:pass@]127.0.0.1:PORT`.
    pub fn url(&self, scheme: &str, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((u, p)) => format!("{scheme}://{u}:{p}@127.0.0.1:{}", self.port),
            None => format!("{scheme}://127.0.0.1:{}", self.port),
        }
    }
}
