//! Small hostile servers on loopback: each [`Scenario`] is a misbehaviour a probe must survive and
//! classify (resets, silence, garbage, non-TLS protocols, alerts, trickles, oversized or endless
//! handshakes, SSL 2.0 answers, repeated HelloRetryRequests).
//!
//! A [`HostileServer`] is a std thread with a `TcpListener` on 127.0.0.1:0 (or \[::1\]:0) that
//! handles each connection on its own thread. Everything polls a shared stop flag with short
//! socket timeouts, so dropping the server stops and joins all its threads within a fraction of a
//! second. Every loop is also bounded by [`MAX_LIFETIME`] and by byte caps.
//!
//! It does not speak real TLS: answers are canned bytes (valid lengths, fixed randoms).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::hello::{
    self, TLS10, TLS11, TLS12, TLS13, parse_client_hello, put_u16, put_u24, read_client_hello,
    record,
};
use super::{HarnessResult, Loopback, io_err};

/// No hostile server thread runs longer than this, even if never dropped.
pub const MAX_LIFETIME: Duration = Duration::from_secs(600);

/// How long a handler waits for the client's hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// After answering and closing its side, how long a handler waits for the client to close
/// before dropping the socket.
const LINGER_FOR_PEER: Duration = Duration::from_secs(2);

/// Socket timeout slice between stop-flag checks.
const SLICE: Duration = Duration::from_millis(100);

/// Record length a conforming peer never sends: larger than 2^14 + 2048.
pub const OVERSIZED_RECORD_LEN: u16 = 16_384 + 2048 + 1;

/// The handshake length [`Scenario::HugeHandshake`] claims (2^24 - 1, about 16 MB).
pub const HUGE_HANDSHAKE_LEN: usize = 0xff_ffff;

/// Cap on bytes sent by the endless scenarios, per connection.
const ENDLESS_CAP: usize = 32 * 1024 * 1024;

/// RFC 8446's HelloRetryRequest random value.
pub const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// The SSH identification line [`Scenario::Ssh`] sends.
pub const SSH_BANNER: &[u8] = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";

/// The reply [`Scenario::Http`] sends.
pub const HTTP_400: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nBad Request\n";

/// Alert description: handshake_failure.
pub const ALERT_HANDSHAKE_FAILURE: u8 = 40;
/// Alert description: protocol_version.
pub const ALERT_PROTOCOL_VERSION: u8 = 70;

/// A hostile behaviour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Read the ClientHello, then reset the connection (SO_LINGER 0 and close: TCP RST).
    ResetAfterHello,
    /// Reset when the hello offers at most TLS 1.1 (as Azure front ends treat old clients) or
    /// cannot be parsed; otherwise relay the connection, hello included, to `backend`.
    ResetLegacy {
        /// The real TLS server to relay modern clients to.
        backend: SocketAddr,
    },
    /// Accept, read, never answer; hold the connection open.
    Silent,
    /// Answer the hello with 256 bytes that are not TLS, then close.
    Garbage,
    /// Answer with [`HTTP_400`], then close.
    Http,
    /// Send [`SSH_BANNER`] on accept; after the hello, a protocol-mismatch line, then close.
    Ssh,
    /// Answer with a fatal alert of this description, then close.
    Alert(u8),
    /// Answer with a fatal handshake_failure alert, then hold the connection open.
    AlertThenHold,
    /// Send a valid TLS 1.2 (or lower, as offered) ServerHello `bytes` bytes at a time, one
    /// chunk every `every`, then hold the connection open.
    Trickle {
        /// Bytes per write (at least 1).
        bytes: usize,
        /// Pause between writes.
        every: Duration,
    },
    /// Answer with a handshake record whose length field is [`OVERSIZED_RECORD_LEN`] (and that
    /// many bytes), then close.
    OversizedRecord,
    /// Answer with a handshake message header claiming [`HUGE_HANDSHAKE_LEN`] bytes, then
    /// trickle 256-byte continuation records every 10 ms until stopped.
    HugeHandshake,
    /// Answer with a ServerHello, then valid records of Certificate messages forever (one every
    /// 5 ms), never ServerHelloDone; bounded by the stop flag and a byte cap.
    EndlessHandshake,
    /// Send a record header announcing 100 bytes, only 10 of them, then close (FIN).
    CloseMidRecord,
    /// Answer with an SSL 2.0 SERVER-HELLO, then close.
    SslV2ServerHello,
    /// Answer a TLS 1.3 hello with a HelloRetryRequest (asking for secp256r1), and the second
    /// hello with another one; then hold until the client gives up. Hellos without TLS 1.3 get
    /// a protocol_version alert.
    HrrTwice,
    /// Accept and close at once (FIN), without reading or answering.
    CloseImmediately,
}

/// A running hostile server; stopped and joined on drop.
#[derive(Debug)]
pub struct HostileServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    accept_thread: Option<JoinHandle<()>>,
}

impl HostileServer {
    /// Starts `scenario` on 127.0.0.1 on a port chosen by the OS.
    pub fn start(scenario: Scenario) -> HarnessResult<Self> {
        Self::start_on(scenario, Loopback::V4)
    }

    /// Starts `scenario` on the given loopback address.
    pub fn start_on(scenario: Scenario, family: Loopback) -> HarnessResult<Self> {
        let listener = TcpListener::bind(SocketAddr::new(family.ip(), 0))
            .map_err(io_err("bind hostile server"))?;
        listener
            .set_nonblocking(true)
            .map_err(io_err("set_nonblocking on hostile listener"))?;
        let addr = listener
            .local_addr()
            .map_err(io_err("hostile local_addr"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let accept_thread = {
            let stop = Arc::clone(&stop);
            let accepted = Arc::clone(&accepted);
            thread::Builder::new()
                .name(format!("hostile-{addr}"))
                .spawn(move || accept_loop(listener, scenario, stop, accepted))
                .map_err(io_err("spawn hostile accept thread"))?
        };
        Ok(Self {
            addr,
            stop,
            accepted,
            accept_thread: Some(accept_thread),
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listening port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// How many connections were accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.accept_thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    scenario: Scenario,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
) {
    let started = Instant::now();
    let mut handlers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                accepted.fetch_add(1, Ordering::SeqCst);
                let scenario = scenario.clone();
                let stop = Arc::clone(&stop);
                let spawned = thread::Builder::new()
                    .name("hostile-conn".into())
                    .spawn(move || {
                        if let Ok(conn) = Conn::new(stream, stop, started) {
                            handle(conn, &scenario);
                        }
                    });
                if let Ok(h) = spawned {
                    handlers.push(h);
                }
                handlers.retain(|h| !h.is_finished());
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(5))
            }
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
    stop.store(true, Ordering::SeqCst);
    for h in handlers {
        let _ = h.join();
    }
}

/// One accepted connection with the stop flag.
struct Conn {
    stream: TcpStream,
    stop: Arc<AtomicBool>,
    started: Instant,
}

impl Conn {
    fn new(stream: TcpStream, stop: Arc<AtomicBool>, started: Instant) -> io::Result<Self> {
        stream.set_nonblocking(false)?;
        stream.set_nodelay(true)?;
        stream.set_write_timeout(Some(SLICE))?;
        Ok(Self {
            stream,
            stop,
            started,
        })
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.started.elapsed() >= MAX_LIFETIME
    }

    fn read_hello(&mut self) -> Vec<u8> {
        read_client_hello(&mut self.stream, HELLO_TIMEOUT).unwrap_or_default()
    }

    /// Writes all of `bytes`, retrying on timeouts until stopped. False if stopped or failed.
    fn send(&mut self, mut bytes: &[u8]) -> bool {
        while !bytes.is_empty() {
            if self.stopped() {
                return false;
            }
            match self.stream.write(bytes) {
                Ok(0) => return false,
                Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
                Err(e) if is_timeout(&e) => {}
                Err(_) => return false,
            }
        }
        true
    }

    /// Sleeps `d` in slices; false if stopped meanwhile.
    fn pause(&self, d: Duration) -> bool {
        let end = Instant::now() + d;
        while Instant::now() < end {
            if self.stopped() {
                return false;
            }
            thread::sleep(end.saturating_duration_since(Instant::now()).min(SLICE));
        }
        !self.stopped()
    }

    /// Reads and discards until the peer closes, an error, `limit`, or stop.
    fn drain(&mut self, limit: Duration) {
        let end = Instant::now() + limit;
        let mut buf = [0u8; 4096];
        if self.stream.set_read_timeout(Some(SLICE)).is_err() {
            return;
        }
        while !self.stopped() && Instant::now() < end {
            match self.stream.read(&mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if is_timeout(&e) => {}
                Err(_) => return,
            }
        }
    }

    /// Keeps the connection open, discarding input, until the peer closes or stop.
    fn hold(&mut self) {
        self.drain(MAX_LIFETIME);
    }

    /// Closes our side with a FIN, then waits a little for the peer to close (so unread input
    /// does not turn the close into a reset).
    fn finish(mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        self.drain(LINGER_FOR_PEER);
    }

    /// Resets the connection: SO_LINGER 0 then close sends a TCP RST.
    fn reset(self) {
        let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        drop(self.stream);
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn handle(mut conn: Conn, scenario: &Scenario) {
    match scenario {
        Scenario::CloseImmediately => conn.finish(),
        Scenario::Ssh => {
            if conn.send(SSH_BANNER) {
                conn.read_hello();
                conn.send(b"Invalid SSH identification string.\r\n");
            }
            conn.finish();
        }
        Scenario::ResetAfterHello => {
            conn.read_hello();
            conn.reset();
        }
        Scenario::ResetLegacy { backend } => {
            let raw = conn.read_hello();
            match parse_client_hello(&raw) {
                Some(info) if info.max_version() > TLS11 => splice(conn, &raw, *backend),
                _ => conn.reset(),
            }
        }
        Scenario::Silent => {
            conn.read_hello();
            conn.hold();
        }
        Scenario::Garbage => {
            conn.read_hello();
            conn.send(&garbage(256));
            conn.finish();
        }
        Scenario::Http => {
            conn.read_hello();
            conn.send(HTTP_400);
            conn.finish();
        }
        Scenario::Alert(code) => {
            let raw = conn.read_hello();
            conn.send(&alert(answer_version(&raw), *code));
            conn.finish();
        }
        Scenario::AlertThenHold => {
            let raw = conn.read_hello();
            if conn.send(&alert(answer_version(&raw), ALERT_HANDSHAKE_FAILURE)) {
                conn.hold();
            }
        }
        Scenario::Trickle { bytes, every } => {
            let raw = conn.read_hello();
            let sh = server_hello_for(&raw);
            for chunk in sh.chunks((*bytes).max(1)) {
                if !conn.send(chunk) || !conn.pause(*every) {
                    return;
                }
            }
            conn.hold();
        }
        Scenario::OversizedRecord => {
            let raw = conn.read_hello();
            conn.send(&oversized_record(answer_version(&raw)));
            conn.finish();
        }
        Scenario::HugeHandshake => {
            let raw = conn.read_hello();
            let v = answer_version(&raw);
            let mut first = vec![2];
            put_u24(&mut first, HUGE_HANDSHAKE_LEN);
            first.extend(v.to_be_bytes());
            first.extend([0x11; 60]);
            let mut sent = 0usize;
            if !conn.send(&record(0x16, v, &first)) {
                return;
            }
            let chunk = record(0x16, v, &[0x22; 256]);
            while sent < HUGE_HANDSHAKE_LEN && conn.pause(Duration::from_millis(10)) {
                if !conn.send(&chunk) {
                    return;
                }
                sent += 256;
            }
        }
        Scenario::EndlessHandshake => {
            let raw = conn.read_hello();
            let v = answer_version(&raw);
            if !conn.send(&server_hello_for(&raw)) {
                return;
            }
            let msg = certificate_record(v);
            let mut sent = 0usize;
            while sent < ENDLESS_CAP && conn.pause(Duration::from_millis(5)) {
                if !conn.send(&msg) {
                    return;
                }
                sent += msg.len();
            }
        }
        Scenario::CloseMidRecord => {
            let raw = conn.read_hello();
            let sh = server_hello_for(&raw);
            let mut partial = vec![0x16];
            partial.extend(answer_version(&raw).to_be_bytes());
            partial.extend(100u16.to_be_bytes());
            partial.extend(sh.get(5..15).unwrap_or_default());
            conn.send(&partial);
            conn.finish();
        }
        Scenario::SslV2ServerHello => {
            conn.read_hello();
            conn.send(&sslv2_server_hello());
            conn.finish();
        }
        Scenario::HrrTwice => {
            let raw = conn.read_hello();
            let Some(info) = parse_client_hello(&raw) else {
                conn.finish();
                return;
            };
            if info.max_version() < TLS13 {
                conn.send(&alert(answer_version(&raw), ALERT_PROTOCOL_VERSION));
                conn.finish();
                return;
            }
            let suite = info
                .cipher_suites
                .iter()
                .copied()
                .find(|s| (0x1301..=0x1305).contains(s))
                .unwrap_or(0x1301);
            let hrr = hello_retry_request(&info.session_id, suite);
            if !conn.send(&hrr) || !conn.send(&record(0x14, TLS12, &[1])) {
                return;
            }
            let second = conn.read_hello();
            let sid = parse_client_hello(&second)
                .map(|i| i.session_id)
                .unwrap_or(info.session_id);
            if conn.send(&hello_retry_request(&sid, suite)) {
                conn.hold();
            }
        }
    }
}

/// Relays the connection (after `hello`, which is forwarded first) to `backend` until either
/// side closes or stop.
fn splice(conn: Conn, hello: &[u8], backend: SocketAddr) {
    let Ok(mut up) = TcpStream::connect_timeout(&backend, Duration::from_secs(5)) else {
        conn.reset();
        return;
    };
    if up.write_all(hello).is_err() {
        conn.reset();
        return;
    }
    let Conn {
        stream: client,
        stop,
        started,
    } = conn;
    let _ = client.set_write_timeout(Some(Duration::from_secs(5)));
    let _ = up.set_write_timeout(Some(Duration::from_secs(5)));
    let (Ok(client_r), Ok(up_r)) = (client.try_clone(), up.try_clone()) else {
        return;
    };
    let upward_stop = Arc::clone(&stop);
    let upward = thread::spawn(move || pump(client_r, up, &upward_stop, started));
    pump(up_r, client, &stop, started);
    let _ = upward.join();
}

/// Copies `from` to `to` until EOF, an error or stop; then half-closes `to`.
fn pump(mut from: TcpStream, mut to: TcpStream, stop: &AtomicBool, started: Instant) {
    let _ = from.set_read_timeout(Some(SLICE));
    let mut buf = [0u8; 16 * 1024];
    while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if to.write_all(buf.get(..n).unwrap_or_default()).is_err() {
                    break;
                }
            }
            Err(e) if is_timeout(&e) => {}
            Err(_) => break,
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// The version to answer in: the client's offer capped at TLS 1.2 (1.3 hellos get 1.2-format
/// records), TLS 1.2 if the hello could not be parsed.
fn answer_version(raw: &[u8]) -> u16 {
    parse_client_hello(raw)
        .map(|i| i.max_version().min(TLS12))
        .filter(|v| *v >= hello::SSL3)
        .unwrap_or(TLS12)
}

/// A fatal alert record.
pub fn alert(version: u16, description: u8) -> Vec<u8> {
    record(0x15, version, &[2, description])
}

/// Deterministic non-TLS bytes; the first byte is not a TLS content type and has the high bit
/// clear, so it does not look like SSL 2.0 either.
pub fn garbage(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x1234_5678;
    let mut out: Vec<u8> = (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    if let Some(first) = out.first_mut() {
        *first = 0x2a;
    }
    out
}

/// A ServerHello record for `version` (SSL 3.0 .. TLS 1.2) choosing `suite`, with an empty
/// session id and no extensions.
pub fn server_hello(version: u16, suite: u16) -> Vec<u8> {
    let mut body = Vec::new();
    put_u16(&mut body, version);
    body.extend((0..32u8).map(|i| i.wrapping_mul(29).wrapping_add(3)));
    body.push(0); // session id
    put_u16(&mut body, suite);
    body.push(0); // compression
    let mut hs = vec![2];
    put_u24(&mut hs, body.len());
    hs.extend(body);
    record(0x16, version, &hs)
}

/// The ServerHello the canned scenarios answer `raw` with: the offered version capped at TLS
/// 1.2, the first offered suite usable below TLS 1.3 (else ECDHE-RSA-AES128-GCM-SHA256).
pub fn server_hello_for(raw: &[u8]) -> Vec<u8> {
    let info = parse_client_hello(raw);
    let version = answer_version(raw);
    let suite = info
        .and_then(|i| {
            i.cipher_suites.into_iter().find(|s| {
                !(0x1300..=0x13ff).contains(s)
                    && !hello::is_grease(*s)
                    && *s != 0x00ff
                    && *s != 0x5600
            })
        })
        .unwrap_or(0xc02f);
    server_hello(version, suite)
}

/// A HelloRetryRequest record echoing `session_id`, selecting `suite`, TLS 1.3 and secp256r1.
pub fn hello_retry_request(session_id: &[u8], suite: u16) -> Vec<u8> {
    let mut body = Vec::new();
    put_u16(&mut body, TLS12);
    body.extend(HRR_RANDOM);
    body.push(session_id.len().min(32) as u8);
    body.extend(session_id.iter().take(32));
    put_u16(&mut body, suite);
    body.push(0);
    let ext: [u8; 12] = [
        0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x17,
    ];
    put_u16(&mut body, ext.len() as u16);
    body.extend(ext);
    let mut hs = vec![2];
    put_u24(&mut hs, body.len());
    hs.extend(body);
    record(0x16, TLS12, &hs)
}

/// A record whose length field is [`OVERSIZED_RECORD_LEN`], followed by that many bytes (a
/// ServerHello header, then zeros).
pub fn oversized_record(version: u16) -> Vec<u8> {
    let len = usize::from(OVERSIZED_RECORD_LEN);
    let mut payload = vec![0u8; len];
    let sh = server_hello(version, 0xc02f);
    for (dst, src) in payload.iter_mut().zip(sh.iter().skip(5)) {
        *dst = *src;
    }
    let mut r = vec![0x16];
    r.extend(version.to_be_bytes());
    r.extend(OVERSIZED_RECORD_LEN.to_be_bytes());
    r.extend(payload);
    r
}

/// One record holding a Certificate handshake message with a single 1000-byte entry.
fn certificate_record(version: u16) -> Vec<u8> {
    let entry = vec![0x30u8; 1000];
    let mut list = Vec::new();
    put_u24(&mut list, entry.len());
    list.extend(entry);
    let mut body = Vec::new();
    put_u24(&mut body, list.len());
    body.extend(list);
    let mut hs = vec![11];
    put_u24(&mut hs, body.len());
    hs.extend(body);
    record(0x16, version, &hs)
}

/// An SSL 2.0 SERVER-HELLO: no session hit, X.509 certificate type, version 0x0002, a short
/// opaque certificate, two cipher specs and a 16-byte connection id.
pub fn sslv2_server_hello() -> Vec<u8> {
    let cert: &[u8] = &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02];
    let specs: &[u8] = &[0x01, 0x00, 0x80, 0x07, 0x00, 0xc0];
    let conn_id = [0x5cu8; 16];
    let mut body = vec![4, 0, 1, 0x00, 0x02];
    put_u16(&mut body, cert.len() as u16);
    put_u16(&mut body, specs.len() as u16);
    put_u16(&mut body, conn_id.len() as u16);
    body.extend(cert);
    body.extend(specs);
    body.extend(conn_id);
    let len = body.len() as u16;
    let mut out = vec![0x80 | (len >> 8) as u8, (len & 0xff) as u8];
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_messages_have_consistent_lengths() {
        let sh = server_hello(TLS12, 0xc02f);
        assert_eq!(
            usize::from(u16::from_be_bytes([sh[3], sh[4]])),
            sh.len() - 5
        );
        let hs_len = (usize::from(sh[6]) << 16) | (usize::from(sh[7]) << 8) | usize::from(sh[8]);
        assert_eq!(hs_len, sh.len() - 9);

        let hrr = hello_retry_request(&[7; 32], 0x1301);
        assert_eq!(
            usize::from(u16::from_be_bytes([hrr[3], hrr[4]])),
            hrr.len() - 5
        );
        assert_eq!(&hrr[11..43], &HRR_RANDOM);

        let v2 = sslv2_server_hello();
        let len = (usize::from(v2[0] & 0x7f) << 8) | usize::from(v2[1]);
        assert_eq!(len, v2.len() - 2);
        assert_eq!(v2[2], 4);

        let big = oversized_record(TLS12);
        assert_eq!(big.len(), 5 + usize::from(OVERSIZED_RECORD_LEN));
        assert!(usize::from(OVERSIZED_RECORD_LEN) > 16_384 + 2048);

        let g = garbage(64);
        assert!(g[0] & 0x80 == 0 && !(20..=24).contains(&g[0]));
        assert_eq!(TLS10, 0x0301);
    }
}
