//! TCP connects with a deadline; failures keep the `io::Error` and are classified into
//! [`ConnectFailure`]s.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::oserror::{OsCode, os_error, timed_out};

/// How a connect failed (net's own classification; `probe` maps it onto the report model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectFailure {
    /// The host answered with a RST, or a proxy refused the tunnel.
    Refused,
    /// No answer within the timeout.
    Timeout,
    /// The connection was reset while being established.
    Reset,
    /// No route to the host or the network.
    Unreachable,
    /// Any other local or remote error.
    Error,
}

/// The step a connection failed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// TCP to the target itself.
    Connect,
    /// TCP to the HTTP proxy.
    ProxyConnect,
    /// The CONNECT request and the proxy's answer.
    ProxyTunnel,
}

/// A TCP connect (direct or through a proxy) that did not succeed.
#[derive(Debug, thiserror::Error)]
#[error("connect failed: {message}")]
pub struct ConnectError {
    /// Where we tried to connect (`None` through a proxy).
    pub addr: Option<SocketAddr>,
    /// The step that failed.
    pub phase: Phase,
    /// What kind of failure.
    pub kind: ConnectFailure,
    /// Human-readable detail.
    pub message: String,
    /// The I/O error behind it (`None` for our own deadline or a proxy's answer).
    #[source]
    pub source: Option<io::Error>,
    /// Time until the failure, in milliseconds.
    pub elapsed_ms: f64,
    /// Set when the failure happened at or behind an HTTP proxy.
    pub proxy: Option<super::proxy::ProxyFailure>,
}

impl ConnectError {
    /// The OS error behind the failure: the errno and its Winsock twin; for a timeout of ours,
    /// what the OS reports for the same condition.
    pub fn os_error(&self) -> Option<OsCode> {
        match &self.source {
            Some(e) => os_error(e),
            None if self.kind == ConnectFailure::Timeout => Some(timed_out()),
            None => None,
        }
    }
}

/// Connects to `addr`, giving up after `timeout`. On success also returns the connect time in ms.
pub async fn connect(
    addr: SocketAddr,
    timeout: Duration,
) -> Result<(TcpStream, f64), ConnectError> {
    let start = Instant::now();
    match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => {
            // Probes write one small hello and wait: no reason to delay it.
            let _ = stream.set_nodelay(true);
            Ok((stream, ms_since(start)))
        }
        Ok(Err(e)) => Err(ConnectError {
            addr: Some(addr),
            phase: Phase::Connect,
            kind: connect_failure(&e),
            message: e.to_string(),
            source: Some(e),
            elapsed_ms: ms_since(start),
            proxy: None,
        }),
        Err(_) => Err(ConnectError {
            addr: Some(addr),
            phase: Phase::Connect,
            kind: ConnectFailure::Timeout,
            message: format!("no answer within {}", humantime::format_duration(timeout)),
            source: None,
            elapsed_ms: ms_since(start),
            proxy: None,
        }),
    }
}

/// The kind of failure an I/O error during a connect is.
pub fn connect_failure(e: &io::Error) -> ConnectFailure {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => ConnectFailure::Refused,
        K::TimedOut => ConnectFailure::Timeout,
        K::ConnectionReset | K::ConnectionAborted => ConnectFailure::Reset,
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown | K::AddrNotAvailable => {
            ConnectFailure::Unreachable
        }
        _ => ConnectFailure::Error,
    }
}

/// Milliseconds since `start`, with microsecond resolution.
pub fn ms_since(start: Instant) -> f64 {
    (start.elapsed().as_micros() as f64) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn closed_port_is_refused() {
        // Bind then drop to find a port nobody listens on.
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = l.local_addr().expect("addr");
        drop(l);
        let err = connect(addr, Duration::from_secs(2))
            .await
            .expect_err("refused");
        assert_eq!(
            (err.kind, err.phase),
            (ConnectFailure::Refused, Phase::Connect)
        );
        assert!(err.source.is_some());
        assert_eq!(err.os_error().expect("os error").windows_code, Some(10061));
    }

    #[tokio::test]
    async fn open_port_connects() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = l.local_addr().expect("addr");
        let (s, ms) = connect(addr, Duration::from_secs(2))
            .await
            .expect("connect");
        assert!(ms >= 0.0);
        drop(s);
    }
}
