//! Proxies: HTTP CONNECT (`--proxy http://[user:pass@]host:port`) and SOCKS5
//! (`socks5://`, `socks5h://`, see [`super::socks`]), or `HTTPS_PROXY` / `ALL_PROXY` from the
//! environment, with `NO_PROXY` exceptions. A tunnel is opened per connection; what goes through
//! it is the probe's business.
//!
//! This module does not speak TLS to the proxy (an `https://` proxy URL is rejected), does not
//! speak SOCKS4, and does not follow proxy auto-configuration (PAC/WPAD).

use std::fmt;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::tcp::{ConnectError, ConnectFailure, Phase, connect_failure, ms_since};

/// Most bytes of a proxy's CONNECT answer read before giving up on it.
const MAX_ANSWER: usize = 8 * 1024;

/// Which protocol a proxy speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    /// HTTP CONNECT; the proxy resolves the name.
    Http,
    /// SOCKS5 with the address resolved here (`socks5://`), one tunnel per address.
    Socks5,
    /// SOCKS5 with the name resolved by the proxy (`socks5h://`).
    Socks5h,
}

impl ProxyKind {
    /// The URL scheme.
    pub fn scheme(self) -> &'static str {
        match self {
            ProxyKind::Http => "http",
            ProxyKind::Socks5 => "socks5",
            ProxyKind::Socks5h => "socks5h",
        }
    }
}

/// A parsed proxy setting.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// The protocol.
    pub kind: ProxyKind,
    /// Proxy host name or IP literal (no brackets).
    pub host: String,
    /// Proxy port.
    pub port: u16,
    /// Basic credentials, when the URL has user info.
    pub credentials: Option<(String, String)>,
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the password.
        f.write_str(&self.display())
    }
}

impl Proxy {
    /// Parses `http://[user:pass@]host[:port]` (port 8080 by default; a bare `host:port` is
    /// taken as http), `socks5://` or `socks5h://` (port 1080 by default).
    pub fn parse(url: &str) -> Result<Proxy, String> {
        let url = url.trim();
        let (kind, rest) = match url.split_once("://") {
            Some((scheme, rest)) => {
                let kind = match scheme.to_ascii_lowercase().as_str() {
                    "http" => ProxyKind::Http,
                    "socks5" => ProxyKind::Socks5,
                    "socks5h" => ProxyKind::Socks5h,
                    _ => {
                        return Err(format!(
                            "proxy scheme {scheme:?} is not supported (http://, socks5:// or socks5h://)"
                        ));
                    }
                };
                (kind, rest)
            }
            None => (ProxyKind::Http, url),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let credentials = userinfo.map(|u| {
            let (user, pass) = u.split_once(':').unwrap_or((u, ""));
            (percent_decode(user), percent_decode(pass))
        });
        let target = crate::target::Target::parse(hostport)
            .map_err(|e| format!("bad proxy address {hostport:?}: {}", e.reason))?;
        let has_port = if hostport.starts_with('[') {
            hostport.contains("]:")
        } else {
            hostport.matches(':').count() == 1
        };
        let port = match (has_port, kind) {
            (true, _) => target.port,
            (false, ProxyKind::Http) => 8080,
            (false, _) => 1080,
        };
        if kind != ProxyKind::Http
            && let Some((user, pass)) = &credentials
            && (user.is_empty() || user.len() > 255 || pass.len() > 255)
        {
            return Err(
                "SOCKS5 credentials need a user name of 1-255 bytes and a password of at most 255 bytes (RFC 1929)"
                    .into(),
            );
        }
        Ok(Proxy {
            kind,
            host: target.host.to_string(),
            port,
            credentials,
        })
    }

    /// Whether the proxy resolves target names itself (then only one endpoint per target can
    /// be probed, with no per-address results).
    pub fn resolves_names(&self) -> bool {
        self.kind != ProxyKind::Socks5
    }

    /// `scheme://host:port`, credentials left out.
    pub fn display(&self) -> String {
        let scheme = self.kind.scheme();
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(h).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `NO_PROXY`: hosts that bypass the proxy.
#[derive(Debug, Clone, Default)]
pub struct NoProxy {
    entries: Vec<String>,
}

impl NoProxy {
    /// Parses a comma-separated list: `*`, host names (a leading dot or `*.` matches
    /// subdomains; a bare name matches itself and its subdomains), IP literals.
    pub fn parse(list: &str) -> NoProxy {
        NoProxy {
            entries: list
                .split(',')
                .map(|e| e.trim().trim_start_matches("*.").trim_start_matches('.'))
                .map(|e| {
                    e.trim_start_matches('[')
                        .trim_end_matches(']')
                        .to_ascii_lowercase()
                })
                .filter(|e| !e.is_empty())
                .collect(),
        }
    }

    /// Whether `host` is exempt from the proxy.
    pub fn bypasses(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.entries.iter().any(|e| {
            e == "*"
                || host == *e
                || (host.ends_with(e.as_str()) && host[..host.len() - e.len()].ends_with('.'))
        })
    }
}

/// The proxy to use when none is given on the command line: `HTTPS_PROXY`, `https_proxy`,
/// `ALL_PROXY`, `all_proxy`, in that order; with `NO_PROXY`/`no_proxy`.
pub fn from_env() -> (Option<Result<Proxy, String>>, NoProxy) {
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
    };
    let proxy =
        get(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]).map(|v| Proxy::parse(&v));
    let no_proxy = get(&["NO_PROXY", "no_proxy"])
        .map(|v| NoProxy::parse(&v))
        .unwrap_or_default();
    (proxy, no_proxy)
}

/// How a CONNECT through the proxy failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyFailure {
    /// The proxy itself could not be reached (see the connect outcome).
    Unreachable,
    /// The proxy answered with a non-2xx status.
    Status(u16),
    /// The proxy's answer was not HTTP, or it closed without answering.
    Protocol,
    /// No answer to CONNECT in time.
    Timeout,
    /// The SOCKS5 proxy wants (other) credentials: no acceptable method, or RFC 1929 refused.
    SocksAuth,
    /// The SOCKS5 proxy answered CONNECT with this reply code (RFC 1928; 0xFF = unassigned).
    SocksReply(u8),
}

/// Opens a tunnel to `host:port` through `proxy` (HTTP CONNECT or SOCKS5). On success returns
/// the stream (positioned after the proxy's answer) and the time to the tunnel in ms. Failures
/// come back as [`ConnectError`] with `proxy` set.
pub async fn connect_tunnel(
    proxy: &Proxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, f64), ConnectError> {
    match proxy.kind {
        ProxyKind::Http => http_connect(proxy, host, port, timeout).await,
        ProxyKind::Socks5 | ProxyKind::Socks5h => {
            super::socks::connect(proxy, host, port, timeout).await
        }
    }
}

/// The error of a tunnel attempt: reaching the proxy failed ([`ProxyFailure::Unreachable`],
/// phase `proxy_connect`), or the proxy refused or broke the tunnel (phase `proxy_tunnel`).
pub(super) fn proxy_error(
    start: Instant,
    kind: ConnectFailure,
    message: String,
    source: Option<std::io::Error>,
    why: ProxyFailure,
) -> ConnectError {
    ConnectError {
        addr: None,
        phase: if why == ProxyFailure::Unreachable {
            Phase::ProxyConnect
        } else {
            Phase::ProxyTunnel
        },
        kind,
        message,
        source,
        elapsed_ms: ms_since(start),
        proxy: Some(why),
    }
}

/// Opens the TCP connection to the proxy itself by `deadline` (`what` names it in errors:
/// "proxy", "SOCKS proxy").
pub(super) async fn open_to_proxy(
    proxy: &Proxy,
    what: &str,
    start: Instant,
    deadline: tokio::time::Instant,
) -> Result<TcpStream, ConnectError> {
    let target = (proxy.host.as_str(), proxy.port);
    let stream = match tokio::time::timeout_at(deadline, TcpStream::connect(target)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            return Err(proxy_error(
                start,
                connect_failure(&e),
                format!("cannot reach the {what} {}: {e}", proxy.display()),
                Some(e),
                ProxyFailure::Unreachable,
            ));
        }
        Err(_) => {
            return Err(proxy_error(
                start,
                ConnectFailure::Timeout,
                format!(
                    "the {what} {} did not accept the connection in time",
                    proxy.display()
                ),
                None,
                ProxyFailure::Unreachable,
            ));
        }
    };
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

async fn http_connect(
    proxy: &Proxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, f64), ConnectError> {
    let start = Instant::now();
    let fail = |kind, message: String, source: Option<std::io::Error>, why: ProxyFailure| {
        proxy_error(start, kind, message, source, why)
    };
    let deadline = tokio::time::Instant::now() + timeout;
    let mut stream = open_to_proxy(proxy, "proxy", start, deadline).await?;
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut req = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some((user, pass)) = &proxy.credentials {
        req.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64(format!("{user}:{pass}").as_bytes())
        ));
    }
    req.push_str("\r\n");
    let answer = async {
        stream.write_all(req.as_bytes()).await?;
        let mut buf = Vec::with_capacity(512);
        let mut byte = [0u8; 1];
        // Byte by byte so nothing of the tunnel is consumed past the header end.
        while !buf.ends_with(b"\r\n\r\n") && buf.len() < MAX_ANSWER {
            if stream.read(&mut byte).await? == 0 {
                break;
            }
            buf.push(byte[0]);
        }
        Ok::<Vec<u8>, std::io::Error>(buf)
    };
    let buf = match tokio::time::timeout_at(deadline, answer).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => {
            return Err(fail(
                connect_failure(&e),
                format!("the proxy {} dropped the CONNECT: {e}", proxy.display()),
                Some(e),
                ProxyFailure::Protocol,
            ));
        }
        Err(_) => {
            return Err(fail(
                ConnectFailure::Timeout,
                format!(
                    "the proxy {} did not answer CONNECT in time",
                    proxy.display()
                ),
                None,
                ProxyFailure::Timeout,
            ));
        }
    };
    let text = String::from_utf8_lossy(&buf);
    let status_line = text.lines().next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let (proto, code, reason) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
    let code = match (proto, code.and_then(|c| c.parse::<u16>().ok())) {
        (Some(p), Some(c)) if p.starts_with("HTTP/") && buf.ends_with(b"\r\n\r\n") => c,
        _ => {
            return Err(fail(
                ConnectFailure::Error,
                if buf.is_empty() {
                    format!(
                        "the proxy {} closed the connection without answering CONNECT",
                        proxy.display()
                    )
                } else {
                    format!(
                        "the proxy {} answered CONNECT with something that is not HTTP",
                        proxy.display()
                    )
                },
                None,
                ProxyFailure::Protocol,
            ));
        }
    };
    if (200..300).contains(&code) {
        return Ok((stream, ms_since(start)));
    }
    Err(fail(
        ConnectFailure::Refused,
        format!(
            "the proxy {} answered CONNECT {authority} with {code} {}",
            proxy.display(),
            reason.trim()
        ),
        None,
        ProxyFailure::Status(code),
    ))
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proxy_urls() {
        let p = Proxy::parse("http://user:p%40ss@proxy.corp:3128").expect("ok");
        assert_eq!((p.host.as_str(), p.port), ("proxy.corp", 3128));
        assert_eq!(p.credentials, Some(("user".into(), "p@ss".into())));
        assert_eq!(format!("{p:?}"), "http://proxy.corp:3128");
        let p = Proxy::parse("127.0.0.1:8888").expect("ok");
        assert_eq!((p.host.as_str(), p.port), ("127.0.0.1", 8888));
        let p = Proxy::parse("http://[::1]:3128/").expect("ok");
        assert_eq!((p.host.as_str(), p.port), ("::1", 3128));
        assert_eq!(Proxy::parse("http://proxy.corp").expect("ok").port, 8080);
        assert!(Proxy::parse("https://proxy.corp:443").is_err());
        assert!(Proxy::parse("socks4://proxy.corp:1080").is_err());
        let p = Proxy::parse("socks5://u:p@127.0.0.1").expect("ok");
        assert_eq!((p.kind, p.port), (ProxyKind::Socks5, 1080));
        assert!(!p.resolves_names());
        assert_eq!(format!("{p:?}"), "socks5://127.0.0.1:1080");
        let p = Proxy::parse("SOCKS5H://[::1]:9050").expect("ok");
        assert_eq!(
            (p.kind, p.host.as_str(), p.port),
            (ProxyKind::Socks5h, "::1", 9050)
        );
        assert!(p.resolves_names());
        assert!(Proxy::parse("socks5://:pw@127.0.0.1:1080").is_err());
        assert!(Proxy::parse("http://:80").is_err());
    }

    #[test]
    fn no_proxy_rules() {
        let n = NoProxy::parse("localhost, .corp.example,*.internal, 10.0.0.1,[::1]");
        assert!(n.bypasses("localhost"));
        assert!(n.bypasses("a.corp.example"));
        assert!(n.bypasses("corp.example"));
        assert!(n.bypasses("x.internal"));
        assert!(n.bypasses("10.0.0.1"));
        assert!(n.bypasses("::1"));
        assert!(!n.bypasses("login.microsoftonline.com"));
        assert!(!n.bypasses("notcorp.example"));
        assert!(NoProxy::parse("*").bypasses("anything"));
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
    }
}
