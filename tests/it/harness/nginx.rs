//! nginx on loopback from a generated `nginx.conf` in a temporary prefix directory.
//!
//! It runs as one foreground process (`master_process off`, `-g 'daemon off;'`), so killing the
//! child on drop leaves no workers behind. Pid file, error log and temp paths live in the prefix.
//! Readiness is the pid file, which nginx writes after binding its sockets. Every request is
//! answered `200 ok`.

use std::net::SocketAddr;
use std::process::Command;

use super::certs::Pki;
use super::process::{Readiness, ServerProcess, start_with_retry};
use super::{HarnessResult, Loopback, TempDir, require_tool};

/// Configuration for an nginx TLS server.
#[derive(Debug)]
pub struct NginxBuilder {
    protocols: String,
    ciphers: Option<String>,
    prefer_server_ciphers: bool,
    ipv6: bool,
    pki: Option<Pki>,
    cert: Option<(String, String)>,
    extra_server: Vec<String>,
    require_sni: Option<String>,
}

impl Default for NginxBuilder {
    fn default() -> Self {
        Self {
            protocols: "TLSv1.2 TLSv1.3".into(),
            ciphers: None,
            prefer_server_ciphers: false,
            ipv6: false,
            pki: None,
            cert: None,
            extra_server: Vec::new(),
            require_sni: None,
        }
    }
}

impl NginxBuilder {
    /// `ssl_protocols`, e.g. `"TLSv1 TLSv1.1"` (default `"TLSv1.2 TLSv1.3"`).
    pub fn protocols(mut self, p: &str) -> Self {
        self.protocols = p.to_string();
        self
    }

    /// `ssl_ciphers`, e.g. `"ALL:@SECLEVEL=0"` (needed for TLS 1.0/1.1 on OpenSSL 3).
    pub fn ciphers(mut self, c: &str) -> Self {
        self.ciphers = Some(c.to_string());
        self
    }

    /// `ssl_prefer_server_ciphers on`.
    pub fn prefer_server_ciphers(mut self) -> Self {
        self.prefer_server_ciphers = true;
        self
    }

    /// Also listen on \[::1\] (same port).
    pub fn ipv6(mut self) -> Self {
        self.ipv6 = true;
        self
    }

    /// Use this PKI's chain and key (default: a fresh [`Pki::localhost`]).
    pub fn pki(mut self, pki: &Pki) -> Self {
        self.cert = Some((
            pki.chain_pem().to_string_lossy().into_owned(),
            pki.key_pem().to_string_lossy().into_owned(),
        ));
        self
    }

    /// A raw directive added to the `server` block, e.g. `"ssl_ecdh_curve prime256v1;"`.
    pub fn server_directive(mut self, d: &str) -> Self {
        self.extra_server.push(d.to_string());
        self
    }

    /// Writes the configuration and starts nginx.
    pub fn start(mut self) -> HarnessResult<NginxServer> {
        require_tool("nginx")?;
        if self.cert.is_none() {
            let pki = Pki::localhost()?;
            self = self.pki(&pki);
            self.pki = Some(pki);
        }
        let dir = TempDir::new("nginx")?;
        let (process, port) = start_with_retry("nginx", Loopback::V4, |port| {
            let _ = std::fs::remove_file(dir.join("nginx.pid"));
            let conf = self.render(&dir, port);
            let conf_path = dir.write("nginx.conf", conf)?;
            let mut cmd = Command::new("nginx");
            cmd.arg("-p")
                .arg(dir.path())
                .arg("-e")
                .arg(dir.join("error.log"))
                .arg("-c")
                .arg(&conf_path)
                .arg("-g")
                .arg("daemon off;");
            Ok((cmd, Readiness::File(dir.join("nginx.pid"))))
        })?;
        Ok(NginxServer {
            port,
            ipv6: self.ipv6,
            process,
            dir,
            _pki: self.pki,
        })
    }

    /// Serve only hellos whose SNI names `name`: a default server rejects every other
    /// handshake (`ssl_reject_handshake`, answered with alert unrecognized_name).
    pub fn require_sni(mut self, name: &str) -> Self {
        self.require_sni = Some(name.to_string());
        self
    }

    fn render(&self, dir: &TempDir, port: u16) -> String {
        let d = dir.path().display();
        let (cert, key) = self.cert.clone().unwrap_or_default();
        let mut listen = format!("        listen 127.0.0.1:{port} ssl;\n");
        if self.ipv6 {
            listen.push_str(&format!("        listen [::1]:{port} ssl;\n"));
        }
        let ciphers = self
            .ciphers
            .as_ref()
            .map(|c| format!("        ssl_ciphers {c};\n"))
            .unwrap_or_default();
        let prefer = if self.prefer_server_ciphers {
            "on"
        } else {
            "off"
        };
        let mut extra: String = self
            .extra_server
            .iter()
            .map(|l| format!("        {l}\n"))
            .collect();
        let mut reject = String::new();
        if let Some(name) = &self.require_sni {
            extra.push_str(&format!("        server_name {name};\n"));
            reject = format!(
                "    server {{\n        listen 127.0.0.1:{port} ssl default_server;\n        ssl_protocols {protocols};\n        ssl_reject_handshake on;\n    }}\n",
                protocols = self.protocols
            );
        }
        format!(
            "master_process off;\n\
             worker_processes 1;\n\
             pid {d}/nginx.pid;\n\
             error_log {d}/error.log info;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n\
             \x20   access_log off;\n\
             \x20   client_body_temp_path {d}/client_body;\n\
             \x20   proxy_temp_path {d}/proxy;\n\
             \x20   fastcgi_temp_path {d}/fastcgi;\n\
             \x20   uwsgi_temp_path {d}/uwsgi;\n\
             \x20   scgi_temp_path {d}/scgi;\n\
             {reject}\
             \x20   server {{\n\
             {listen}\
             \x20       ssl_certificate {cert};\n\
             \x20       ssl_certificate_key {key};\n\
             \x20       ssl_protocols {protocols};\n\
             {ciphers}\
             \x20       ssl_prefer_server_ciphers {prefer};\n\
             {extra}\
             \x20       location / {{ return 200 \"ok\\n\"; }}\n\
             \x20   }}\n\
             }}\n",
            protocols = self.protocols,
        )
    }
}

/// A running nginx, killed on drop (its prefix directory is removed too).
#[derive(Debug)]
pub struct NginxServer {
    port: u16,
    ipv6: bool,
    process: ServerProcess,
    dir: TempDir,
    _pki: Option<Pki>,
}

impl NginxServer {
    /// A builder: TLS 1.2 and 1.3, 127.0.0.1 only, a fresh localhost certificate.
    pub fn builder() -> NginxBuilder {
        NginxBuilder::default()
    }

    /// 127.0.0.1:PORT.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(Loopback::V4.ip(), self.port)
    }

    /// \[::1\]:PORT, if the server was asked to listen there.
    pub fn addr_v6(&self) -> Option<SocketAddr> {
        self.ipv6
            .then(|| SocketAddr::new(Loopback::V6.ip(), self.port))
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The error log so far plus anything printed on stdout/stderr.
    pub fn log(&self) -> String {
        let file = std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
        format!("{file}{}", self.process.log())
    }
}
