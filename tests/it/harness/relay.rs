//! Programmable TCP fronts on loopback for the robustness tests (issue 11): each accepted
//! connection's ClientHello is read and handed to a [`Policy`], which decides to reset, close,
//! answer with bytes, or relay it (possibly rewritten) to a real TLS server behind.
//!
//! Built on it: an intolerant load balancer (resets hellos with too many suites or too many
//! bytes), a front that strips TLS_FALLBACK_SCSV, a pool that alternates between two backends,
//! one front per address of a name, and [`Greeter`]s that speak first (SMTP, FTP, POP3, IMAP,
//! SSH). Every front counts connections and the most it held open at once.
//!
//! Threads poll a stop flag; dropping a front stops and joins them. Nothing listens anywhere
//! but the loopback address it is given.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::hello::{HelloInfo, parse_client_hello, read_client_hello};
use super::{HarnessResult, io_err};

/// No front thread runs longer than this.
const MAX_LIFETIME: Duration = Duration::from_secs(300);
/// Poll slice between stop-flag checks.
const SLICE: Duration = Duration::from_millis(50);

/// What to do with one connection, given its ClientHello.
#[derive(Debug, Clone)]
pub enum Action {
    /// Relay to this backend, sending these bytes first (the hello, maybe rewritten).
    Forward(SocketAddr, Vec<u8>),
    /// TCP reset (SO_LINGER 0, close).
    Reset,
    /// Orderly close without answering.
    Close,
    /// Write these bytes, then close.
    Answer(Vec<u8>),
}

/// Decides each connection: `(raw hello, parsed hello, connection number from 0)`.
pub type Policy = Arc<dyn Fn(&[u8], Option<&HelloInfo>, usize) -> Action + Send + Sync>;

/// Counters shared with the front's threads.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections accepted.
    pub accepted: AtomicUsize,
    /// Connections accepted and not answered yet.
    pub open: AtomicUsize,
    /// Most connections accepted and not answered yet at once.
    pub max_open: AtomicUsize,
    /// (suites, bytes) of every hello read, in arrival order.
    pub hellos: Mutex<Vec<(usize, usize)>>,
}

/// A running front; stopped on drop.
pub struct Front {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
    thread: Option<JoinHandle<()>>,
}

impl Front {
    /// Listens on `ip:port` (port 0: any) and applies `policy` to every connection.
    pub fn start(ip: IpAddr, port: u16, policy: Policy) -> HarnessResult<Front> {
        Self::start_with(ip, port, policy, None, Arc::new(Stats::default()))
    }

    /// Like [`Front::start`], counting into `stats` (which several fronts may share), and
    /// holding every connection `hold` before deciding (to make concurrency visible in
    /// [`Stats::max_open`]).
    pub fn start_with(
        ip: IpAddr,
        port: u16,
        policy: Policy,
        hold: Option<Duration>,
        stats: Arc<Stats>,
    ) -> HarnessResult<Front> {
        let listener = TcpListener::bind(SocketAddr::new(ip, port))
            .map_err(io_err(format!("bind {ip}:{port}")))?;
        listener
            .set_nonblocking(true)
            .map_err(io_err("nonblocking listener"))?;
        let addr = listener.local_addr().map_err(io_err("local_addr"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, stats) = (stop.clone(), stats.clone());
            thread::Builder::new()
                .name(format!("front-{addr}"))
                .spawn(move || accept_loop(listener, policy, hold, stop, stats))
                .map_err(io_err("spawn front"))?
        };
        Ok(Front {
            addr,
            stop,
            stats,
            thread: Some(thread),
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Most connections held open at once so far.
    pub fn max_open(&self) -> usize {
        self.stats.max_open.load(Ordering::SeqCst)
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.stats.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for Front {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(
    listener: TcpListener,
    policy: Policy,
    hold: Option<Duration>,
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
) {
    let started = Instant::now();
    let mut handlers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                let n = stats.accepted.fetch_add(1, Ordering::SeqCst);
                let open = stats.open.fetch_add(1, Ordering::SeqCst) + 1;
                stats.max_open.fetch_max(open, Ordering::SeqCst);
                let (policy, stop, stats) = (policy.clone(), stop.clone(), stats.clone());
                if let Ok(h) = thread::Builder::new()
                    .name("front-conn".into())
                    .spawn(move || {
                        handle(stream, &policy, n, hold, &stop, &stats);
                    })
                {
                    handlers.push(h);
                }
                handlers.retain(|h| !h.is_finished());
            }
            Err(_) => thread::sleep(Duration::from_millis(2)),
        }
    }
    stop.store(true, Ordering::SeqCst);
    for h in handlers {
        let _ = h.join();
    }
}

fn handle(
    mut stream: TcpStream,
    policy: &Policy,
    n: usize,
    hold: Option<Duration>,
    stop: &AtomicBool,
    stats: &Stats,
) {
    if stream.set_nonblocking(false).is_err() {
        stats.open.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    let _ = stream.set_nodelay(true);
    let raw = read_client_hello(&mut stream, Duration::from_secs(10)).unwrap_or_default();
    let info = parse_client_hello(&raw);
    if let Ok(mut h) = stats.hellos.lock() {
        h.push((
            info.as_ref().map_or(0, |i| i.cipher_suites.len()),
            raw.len(),
        ));
    }
    if let Some(d) = hold {
        let end = Instant::now() + d;
        while Instant::now() < end && !stop.load(Ordering::SeqCst) {
            thread::sleep(SLICE.min(end.saturating_duration_since(Instant::now())));
        }
    }
    // Counted as open until the answer: the client still holds its socket then, so the count
    // never exceeds what the client had open.
    stats.open.fetch_sub(1, Ordering::SeqCst);
    match policy(&raw, info.as_ref(), n) {
        Action::Reset => reset(stream),
        Action::Close => finish(stream, stop),
        Action::Answer(bytes) => {
            let _ = stream.write_all(&bytes);
            finish(stream, stop);
        }
        Action::Forward(backend, first) => splice(stream, &first, backend, stop),
    }
}

/// SO_LINGER 0 then close: the peer sees a TCP RST.
fn reset(stream: TcpStream) {
    let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
    drop(stream);
}

/// FIN, then drain a little so unread input does not turn the close into a reset.
fn finish(mut stream: TcpStream, stop: &AtomicBool) {
    let _ = stream.shutdown(Shutdown::Write);
    drain(&mut stream, Duration::from_secs(2), stop);
}

fn drain(stream: &mut TcpStream, limit: Duration, stop: &AtomicBool) {
    let end = Instant::now() + limit;
    let _ = stream.set_read_timeout(Some(SLICE));
    let mut buf = [0u8; 4096];
    while Instant::now() < end && !stop.load(Ordering::SeqCst) {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {}
            Err(_) => return,
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

fn splice(client: TcpStream, first: &[u8], backend: SocketAddr, stop: &AtomicBool) {
    let Ok(mut up) = TcpStream::connect_timeout(&backend, Duration::from_secs(5)) else {
        reset(client);
        return;
    };
    let _ = up.set_nodelay(true);
    if up.write_all(first).is_err() {
        reset(client);
        return;
    }
    let (Ok(client_r), Ok(up_r)) = (client.try_clone(), up.try_clone()) else {
        return;
    };
    thread::scope(|s| {
        s.spawn(|| pump(client_r, up, stop));
        pump(up_r, client, stop);
    });
}

fn pump(mut from: TcpStream, mut to: TcpStream, stop: &AtomicBool) {
    let started = Instant::now();
    let _ = from.set_read_timeout(Some(SLICE));
    let _ = to.set_write_timeout(Some(Duration::from_secs(5)));
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

/// A relay to one backend that resets every hello offering more than `max_suites` cipher
/// suites or longer than `max_bytes` bytes (an old load balancer's limits).
pub fn intolerant(backend: SocketAddr, max_suites: usize, max_bytes: usize) -> Policy {
    Arc::new(move |raw, info, _| match info {
        Some(i) if i.cipher_suites.len() <= max_suites && raw.len() <= max_bytes => {
            Action::Forward(backend, raw.to_vec())
        }
        _ => Action::Reset,
    })
}

/// A relay that alternates between backends, connection by connection (a pool with a stale
/// node).
pub fn round_robin(backends: Vec<SocketAddr>) -> Policy {
    Arc::new(
        move |raw, _, n| match backends.get(n % backends.len().max(1)) {
            Some(b) => Action::Forward(*b, raw.to_vec()),
            None => Action::Reset,
        },
    )
}

/// A plain relay to one backend.
pub fn forward(backend: SocketAddr) -> Policy {
    Arc::new(move |raw, _, _| Action::Forward(backend, raw.to_vec()))
}

/// A relay that removes TLS_FALLBACK_SCSV (0x5600) from the hello before the backend sees it
/// (a middlebox that rewrites hellos, or a server without RFC 7507).
pub fn strip_fallback_scsv(backend: SocketAddr) -> Policy {
    Arc::new(move |raw, _, _| Action::Forward(backend, remove_suite(raw, 0x5600)))
}

/// `raw` (one TLS record holding one ClientHello) without cipher suite `suite`; lengths are
/// patched. Anything unparsable is returned unchanged.
pub fn remove_suite(raw: &[u8], suite: u16) -> Vec<u8> {
    fn inner(raw: &[u8], suite: u16) -> Option<Vec<u8>> {
        // record(5) handshake(4) version(2) random(32) session_id(1+n) suites(2+n)
        let sid_len = usize::from(*raw.get(5 + 4 + 2 + 32)?);
        let suites_at = 5 + 4 + 2 + 32 + 1 + sid_len;
        let len = usize::from(u16::from_be_bytes([
            *raw.get(suites_at)?,
            *raw.get(suites_at + 1)?,
        ]));
        let list = raw.get(suites_at + 2..suites_at + 2 + len)?;
        let kept: Vec<u8> = list
            .chunks(2)
            .filter(|c| *c != suite.to_be_bytes())
            .flatten()
            .copied()
            .collect();
        let removed = list.len() - kept.len();
        if removed == 0 {
            return Some(raw.to_vec());
        }
        let mut out = raw.get(..suites_at)?.to_vec();
        out.extend_from_slice(&u16::try_from(kept.len()).ok()?.to_be_bytes());
        out.extend_from_slice(&kept);
        out.extend_from_slice(raw.get(suites_at + 2 + len..)?);
        let rec = u16::from_be_bytes([out[3], out[4]]) as usize - removed;
        out[3..5].copy_from_slice(&u16::try_from(rec).ok()?.to_be_bytes());
        let hs =
            (usize::from(out[6]) << 16 | usize::from(out[7]) << 8 | usize::from(out[8])) - removed;
        out[6] = (hs >> 16) as u8;
        out[7] = (hs >> 8) as u8;
        out[8] = hs as u8;
        Some(out)
    }
    inner(raw, suite).unwrap_or_else(|| raw.to_vec())
}

/// A server that speaks first: sends `banner` on accept, then reads whatever comes and keeps
/// the connection open until the client leaves (as a mail or SSH server waits for a command).
pub struct Greeter {
    front: Front,
}

impl Greeter {
    /// Starts on 127.0.0.1 with `banner`.
    pub fn start(banner: &'static [u8]) -> HarnessResult<Greeter> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io_err("bind greeter"))?;
        listener
            .set_nonblocking(true)
            .map_err(io_err("nonblocking greeter"))?;
        let addr = listener.local_addr().map_err(io_err("greeter addr"))?;
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Stats::default());
        let thread = {
            let (stop, stats) = (stop.clone(), stats.clone());
            thread::spawn(move || greet_loop(listener, banner, stop, stats))
        };
        Ok(Greeter {
            front: Front {
                addr,
                stop,
                stats,
                thread: Some(thread),
            },
        })
    }

    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.front.addr()
    }
}

fn greet_loop(
    listener: TcpListener,
    banner: &'static [u8],
    stop: Arc<AtomicBool>,
    stats: Arc<Stats>,
) {
    let started = Instant::now();
    let mut handlers = Vec::new();
    while !stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match listener.accept() {
            Ok((mut stream, _)) => {
                stats.accepted.fetch_add(1, Ordering::SeqCst);
                let stop = stop.clone();
                handlers.push(thread::spawn(move || {
                    let _ = stream.set_nonblocking(false);
                    let _ = stream.write_all(banner);
                    // Hold the connection the way a real server waits for a command.
                    drain(&mut stream, Duration::from_secs(30), &stop);
                }));
                handlers.retain(|h: &JoinHandle<()>| !h.is_finished());
            }
            Err(_) => thread::sleep(Duration::from_millis(2)),
        }
    }
    stop.store(true, Ordering::SeqCst);
    for h in handlers {
        let _ = h.join();
    }
}
