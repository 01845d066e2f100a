//! The thin async half of a raw hello probe: connect, write the hello, feed what comes back to a
//! [`FlightReader`] until it is decided, the peer closes or resets, or the deadline passes.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::net::Proxy;

use super::from_net::{io_os_error, tcp_outcome};
use super::hello::{FlightReader, ServerFlight, Step};
use crate::model::{OsError, TcpOutcome};
use crate::net::tcp::{ConnectError, connect, ms_since};
use crate::wire::KeyExchangeKind;

/// How the conversation with the server ended, apart from what it said.
#[derive(Debug, Clone)]
pub enum Ending {
    /// The exchange decided (or the peer closed) normally.
    Normal,
    /// The connection was reset (ECONNRESET / EPIPE).
    Reset(Option<OsError>),
    /// No decisive answer before the deadline.
    Timeout,
    /// Another I/O error.
    Io(String, Option<OsError>),
}

/// Result of one raw hello exchange.
#[derive(Debug)]
pub struct Exchange {
    /// TCP connect result: connect time, or why it failed.
    pub connect: Result<f64, ConnectError>,
    /// What the server sent (absent when TCP failed).
    pub flight: Option<ServerFlight>,
    /// How the exchange ended.
    pub ending: Ending,
    /// From the hello written to the first decisive answer, in ms.
    pub answer_ms: Option<f64>,
}

/// Limits of one exchange.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bound on the TCP connect and, separately, on waiting for the answer.
    pub timeout: Duration,
    /// Bound on the whole target (`--deadline`): no step runs past it.
    pub deadline: Option<tokio::time::Instant>,
}

impl Limits {
    /// The instant a step started now must end by.
    pub fn step_end(&self) -> tokio::time::Instant {
        let end = tokio::time::Instant::now() + self.timeout;
        self.deadline.map_or(end, |d| d.min(end))
    }

    /// The time a step started now may take.
    pub fn step_timeout(&self) -> Duration {
        self.step_end()
            .saturating_duration_since(tokio::time::Instant::now())
            .max(Duration::from_millis(1))
    }
}

/// How a probe reaches the server: directly, or through an HTTP CONNECT proxy.
#[derive(Debug, Clone)]
pub enum Route {
    /// TCP straight to this address.
    Direct(SocketAddr),
    /// A CONNECT tunnel to `host:port` (the proxy resolves the name).
    Proxy {
        /// The proxy.
        proxy: Arc<Proxy>,
        /// Target host as given (name or IP literal).
        host: String,
        /// Target port.
        port: u16,
    },
}

impl Route {
    /// Opens a connection along the route: the stream and the time it took, in ms.
    pub async fn open(&self, timeout: Duration) -> Result<(TcpStream, f64), ConnectError> {
        match self {
            Route::Direct(addr) => connect(*addr, timeout).await,
            Route::Proxy { proxy, host, port } => {
                crate::net::proxy::connect_tunnel(proxy, host, *port, timeout).await
            }
        }
    }
}

/// Connects along `route`, sends `hello` and reads the answer.
pub async fn run(
    route: &Route,
    hello: &[u8],
    kx_of: fn(u16) -> Option<KeyExchangeKind>,
    limits: Limits,
) -> Exchange {
    let (mut stream, connect_ms) = match route.open(limits.step_timeout()).await {
        Ok(s) => s,
        Err(e) => {
            return Exchange {
                connect: Err(e),
                flight: None,
                ending: Ending::Normal,
                answer_ms: None,
            };
        }
    };
    let mut ex = FlightReader::new(kx_of);
    let sent = Instant::now();
    let deadline = limits.step_end();
    let ending = match tokio::time::timeout_at(deadline, stream.write_all(hello)).await {
        Err(_) => Ending::Timeout,
        Ok(Err(e)) => io_ending(&e),
        Ok(Ok(())) => read_answer(&mut stream, &mut ex, deadline).await,
    };
    let answer_ms = Some(ms_since(sent));
    // Not waiting for a graceful close: the probe is over. Closing with a reset (zero linger)
    // leaves no TIME_WAIT socket behind, which matters when an exporter opens thousands a
    // minute; the server has nothing more to learn from a probe that ends after its hello.
    let _ = stream.set_zero_linger();
    drop(stream);
    let flight = match &ending {
        Ending::Normal if !ex.decided() => ex.on_eof(),
        _ => ex.into_flight(),
    };
    Exchange {
        connect: Ok(connect_ms),
        flight: Some(flight),
        ending,
        answer_ms,
    }
}

async fn read_answer(
    stream: &mut TcpStream,
    ex: &mut FlightReader,
    deadline: tokio::time::Instant,
) -> Ending {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return Ending::Timeout,
            Ok(Ok(0)) => return Ending::Normal,
            Ok(Ok(n)) => {
                if ex.on_bytes(&buf[..n]) == Step::Done {
                    return Ending::Normal;
                }
            }
            Ok(Err(e)) => return io_ending(&e),
        }
    }
}

fn io_ending(e: &io::Error) -> Ending {
    match e.kind() {
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe => Ending::Reset(io_os_error(e)),
        io::ErrorKind::TimedOut => Ending::Timeout,
        _ => Ending::Io(e.to_string(), io_os_error(e)),
    }
}

impl Exchange {
    /// The TCP outcome of this exchange's connect.
    pub fn tcp_outcome(&self) -> TcpOutcome {
        match &self.connect {
            Ok(_) => TcpOutcome::Connected,
            Err(e) => tcp_outcome(e),
        }
    }
}
