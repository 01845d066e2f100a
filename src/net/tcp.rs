//! TCP connects with a deadline, classified into [`TcpOutcome`]s.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

use super::oserror::{os_error, timed_out};
use crate::model::{ErrorInfo, OsError, TcpOutcome};

/// A TCP connect that did not succeed.
#[derive(Debug, thiserror::Error)]
#[error("connect failed: {message}")]
pub struct ConnectError {
    /// Where we tried to connect (`None` through a proxy).
    pub addr: Option<SocketAddr>,
    /// What kind of failure.
    pub outcome: TcpOutcome,
    /// Human-readable detail.
    pub message: String,
    /// The OS error behind it.
    pub os_error: Option<OsError>,
    /// Time until the failure, in milliseconds.
    pub elapsed_ms: f64,
    /// Set when the failure happened at or behind an HTTP proxy.
    pub proxy: Option<super::proxy::ProxyFailure>,
}

impl ConnectError {
    /// The failure as report data.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            message: self.message.clone(),
            os_error: self.os_error.clone(),
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
            outcome: classify_connect(&e),
            message: e.to_string(),
            os_error: os_error(&e),
            elapsed_ms: ms_since(start),
            proxy: None,
        }),
        Err(_) => Err(ConnectError {
            addr: Some(addr),
            outcome: TcpOutcome::Timeout,
            message: format!("no answer within {}", humantime::format_duration(timeout)),
            os_error: Some(timed_out()),
            elapsed_ms: ms_since(start),
            proxy: None,
        }),
    }
}

/// Classifies a connect error.
pub fn classify_connect(e: &io::Error) -> TcpOutcome {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => TcpOutcome::Refused,
        K::TimedOut => TcpOutcome::Timeout,
        K::ConnectionReset | K::ConnectionAborted => TcpOutcome::Reset,
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown | K::AddrNotAvailable => {
            TcpOutcome::Unreachable
        }
        _ => TcpOutcome::Error,
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
        assert_eq!(err.outcome, TcpOutcome::Refused);
        assert_eq!(err.os_error.expect("os error").windows_code, Some(10061));
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
