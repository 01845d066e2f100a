//! tinyproxy, a real HTTP CONNECT proxy, on 127.0.0.1: optional Basic credentials and a list of
//! ports CONNECT may reach (others get 403). Killed on drop.

use std::net::SocketAddr;
use std::process::Command;

use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessResult, Loopback, TempDir, require_tool};

/// Configuration for a tinyproxy.
#[derive(Debug, Default)]
pub struct TinyproxyBuilder {
    credentials: Option<(String, String)>,
    connect_ports: Vec<u16>,
}

impl TinyproxyBuilder {
    /// Require these Basic credentials.
    pub fn basic_auth(mut self, user: &str, pass: &str) -> Self {
        self.credentials = Some((user.into(), pass.into()));
        self
    }

    /// Allow CONNECT only to these ports (default: any port).
    pub fn connect_ports(mut self, ports: &[u16]) -> Self {
        self.connect_ports = ports.to_vec();
        self
    }

    /// Starts it on a free 127.0.0.1 port.
    pub fn start(self) -> HarnessResult<Tinyproxy> {
        require_tool("tinyproxy")?;
        let dir = TempDir::new("tinyproxy")?;
        let (process, port) = start_with_retry("tinyproxy", Loopback::V4, |port| {
            let mut conf = format!(
                "Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 64\nAllow 127.0.0.1\n\
                 LogLevel Error\nPidFile \"{pid}\"\nLogFile \"{log}\"\n",
                pid = dir.join("tinyproxy.pid").display(),
                log = dir.join("tinyproxy.log").display(),
            );
            for p in &self.connect_ports {
                conf.push_str(&format!("ConnectPort {p}\n"));
            }
            if let Some((u, p)) = &self.credentials {
                conf.push_str(&format!("BasicAuth {u} {p}\n"));
            }
            let path = dir.write("tinyproxy.conf", conf)?;
            let mut cmd = Command::new("tinyproxy");
            cmd.arg("-d").arg("-c").arg(path);
            Ok((
                cmd,
                Readiness::Connect(SocketAddr::from(([127, 0, 0, 1], port))),
            ))
        })?;
        Ok(Tinyproxy {
            port,
            _process: process,
            _dir: dir,
        })
    }
}

/// A running tinyproxy, killed on drop.
#[derive(Debug)]
pub struct Tinyproxy {
    port: u16,
    _process: ServerProcess,
    _dir: TempDir,
}

impl Tinyproxy {
    /// A builder.
    pub fn builder() -> TinyproxyBuilder {
        TinyproxyBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, with `user:pass@` when given.
    pub fn url(&self, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((u, p)) => format!("http://{u}:{p}@127.0.0.1:{}", self.port),
            None => format!("http://127.0.0.1:{}", self.port),
        }
    }
}
