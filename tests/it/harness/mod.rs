//! Test harness: real TLS servers and small hostile servers on loopback, plus helpers to run the
//! `tlsprobe` binary with a hard timeout.
//!
//! What it does:
//! - [`certs`]: a throwaway PKI (CA, optional intermediate, leaf) made with rcgen, written as PEM
//!   files to a per-test temporary directory that is removed on drop.
//! - [`openssl`], [`gnutls`], [`nginx`], [`ssl3`]: builders that start real server programs on
//!   127.0.0.1 or \[::1\] on a free port, wait for readiness with a deadline and kill their child
//!   process on drop.
//! - [`rustls_server`]: an in-process rustls server on its own threads.
//! - [`hostile`]: small misbehaving servers (resets, silence, garbage, trickles, ...).
//! - [`hello`]: a canned ClientHello builder and a bounded ClientHello peek parser, for the
//!   hostile servers and for raw-socket assertions in tests.
//! - [`client`]: `openssl s_client` and rustls client helpers that report the negotiated
//!   version and cipher.
//!
//! What it does NOT do: it never talks to any address other than 127.0.0.1 and \[::1\], and it
//! does not install anything (`scripts/install-deps.sh` does). Servers that need a missing
//! program fail with an error that says so.

pub mod certs;
pub mod client;
pub mod gnutls;
pub mod hello;
pub mod hostile;
pub mod mitm;
pub mod nginx;
pub mod openssl;
pub mod process;
pub mod proxy;
pub mod relay;
pub mod report;
pub mod rustls_server;
pub mod socks;
pub mod ssl3;

use std::fmt;
use std::io::Read;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server gets to become ready before its start is reported as failed.
pub const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Default hard timeout for one `tlsprobe` run in [`run_tlsprobe`].
pub const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// How many times a server start is retried with a new port after a bind failure.
pub const START_ATTEMPTS: usize = 5;

/// Everything that can go wrong while setting up a test fixture.
#[derive(Debug)]
pub enum HarnessError {
    /// An I/O operation failed; `what` says which.
    Io {
        /// The operation that failed.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A program the fixture needs is not installed.
    MissingTool(&'static str),
    /// A server did not become ready; `log` holds what it printed.
    NotReady {
        /// The server program or fixture name.
        name: String,
        /// Why it was judged not ready.
        reason: String,
        /// The last output of the server, for the test failure message.
        log: String,
    },
    /// Certificate generation failed.
    Cert(String),
    /// rustls refused a configuration.
    Tls(String),
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { what, source } => write!(f, "{what}: {source}"),
            Self::MissingTool(tool) => write!(
                f,
                "`{tool}` is not installed; run scripts/install-deps.sh first"
            ),
            Self::NotReady { name, reason, log } => {
                write!(
                    f,
                    "{name} did not become ready: {reason}\n--- its output ---\n{log}"
                )
            }
            Self::Cert(msg) => write!(f, "certificate generation failed: {msg}"),
            Self::Tls(msg) => write!(f, "rustls configuration failed: {msg}"),
        }
    }
}

impl std::error::Error for HarnessError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Shorthand for results of harness operations.
pub type HarnessResult<T> = Result<T, HarnessError>;

/// Wraps an `io::Error` with a description of the failed operation.
pub fn io_err(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> HarnessError {
    let what = what.into();
    move |source| HarnessError::Io { what, source }
}

/// Which loopback address a server listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Loopback {
    /// 127.0.0.1
    #[default]
    V4,
    /// \[::1\]
    V6,
}

impl Loopback {
    /// The loopback address of this family.
    pub fn ip(self) -> std::net::IpAddr {
        match self {
            Self::V4 => Ipv4Addr::LOCALHOST.into(),
            Self::V6 => Ipv6Addr::LOCALHOST.into(),
        }
    }

    /// `ip:port` with brackets for IPv6, as `-accept` and `-connect` want it.
    pub fn host_port(self, port: u16) -> String {
        SocketAddr::new(self.ip(), port).to_string()
    }
}

/// A port that was free on `family`'s loopback address a moment ago (bound to port 0, then
/// released). Another process may take it before the caller binds it, so callers retry on a bind
/// failure (the server builders do).
pub fn free_port_on(family: Loopback) -> HarnessResult<u16> {
    let listener = TcpListener::bind(SocketAddr::new(family.ip(), 0))
        .map_err(io_err(format!("bind {}:0", family.ip())))?;
    let port = listener
        .local_addr()
        .map_err(io_err("local_addr of a fresh listener"))?
        .port();
    Ok(port)
}

/// A port that was free on 127.0.0.1 a moment ago; see [`free_port_on`].
pub fn free_port() -> HarnessResult<u16> {
    free_port_on(Loopback::V4)
}

/// Polls `addr` with TCP connects until one succeeds or `deadline` passes. Each connection is
/// closed at once. Returns whether the port accepted a connection.
pub fn wait_for_port(addr: SocketAddr, deadline: Instant) -> bool {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        let attempt = left.min(Duration::from_millis(500));
        if TcpStream::connect_timeout(&addr, attempt).is_ok() {
            return true;
        }
        thread::sleep(Duration::from_millis(25).min(left));
    }
}

/// Whether `program` is found on `PATH` (or is a path to an existing file).
pub fn have_tool(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// Fails with [`HarnessError::MissingTool`] unless `program` is on `PATH`.
pub fn require_tool(program: &'static str) -> HarnessResult<()> {
    if have_tool(program) {
        Ok(())
    } else {
        Err(HarnessError::MissingTool(program))
    }
}

/// Whether the host name resolves (through the system resolver, so /etc/hosts counts) to every
/// address in `want`. DNS tests call this and skip with a printed reason when it is false.
pub fn hosts_entry_present(name: &str, want: &[std::net::IpAddr]) -> bool {
    // Read /etc/hosts itself: asking the system resolver would send a DNS query off the
    // machine when the entry is missing.
    let Ok(text) = std::fs::read_to_string("/etc/hosts") else {
        return false;
    };
    let got: Vec<std::net::IpAddr> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let ip = words.next()?.parse().ok()?;
            words.any(|w| w.eq_ignore_ascii_case(name)).then_some(ip)
        })
        .collect();
    want.iter().all(|ip| got.contains(ip))
}

/// A directory under the system temp dir, unique to this process and call, removed on drop.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates a fresh directory whose name starts with `tlsprobe-it-{label}`.
    pub fn new(label: &str) -> HarnessResult<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "tlsprobe-it-{label}-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).map_err(io_err(format!("create {}", path.display())))?;
        Ok(Self { path })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `self.path().join(name)`.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Writes `contents` to `name` inside the directory and returns the file's path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> HarnessResult<PathBuf> {
        let path = self.join(name);
        std::fs::write(&path, contents).map_err(io_err(format!("write {}", path.display())))?;
        Ok(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// What a command run with [`run_with_timeout`] produced.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The exit code; `None` when the process was killed (by the timeout or a signal).
    pub code: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
    /// Whether the hard timeout fired and the process was killed.
    pub timed_out: bool,
}

/// Runs `cmd` with stdin closed, capturing stdout and stderr, and kills it if it is still running
/// after `timeout`.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> HarnessResult<RunOutput> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = format!("{:?}", cmd.get_program());
    let mut child = cmd.spawn().map_err(io_err(format!("spawn {program}")))?;
    let out_reader = child.stdout.take().map(spawn_collector);
    let err_reader = child.stderr.take().map(spawn_collector);
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        match child
            .try_wait()
            .map_err(io_err(format!("wait for {program}")))?
        {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().map_err(io_err(format!("reap {program}")))?;
            }
            None => thread::sleep(Duration::from_millis(10)),
        }
    };
    let collect = |h: Option<thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    };
    Ok(RunOutput {
        code: status.code(),
        stdout: collect(out_reader),
        stderr: collect(err_reader),
        timed_out,
    })
}

fn spawn_collector(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// Path of the `tlsprobe` binary cargo built for these tests.
pub fn tlsprobe_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tlsprobe"))
}

/// Runs `tlsprobe ARGS...` with [`RUN_TIMEOUT`], `NO_COLOR=1`, and returns (exit code, stdout,
/// stderr). The exit code is `None` if the run was killed. Panics if the binary cannot be
/// started, which is a broken build rather than a test outcome.
pub fn run_tlsprobe(args: &[&str]) -> (Option<i32>, String, String) {
    let out = run_tlsprobe_with(args, &[], RUN_TIMEOUT)
        .unwrap_or_else(|e| panic!("cannot run tlsprobe: {e}"));
    (out.code, out.stdout, out.stderr)
}

/// Runs `tlsprobe ARGS...` with extra environment variables and a hard timeout.
pub fn run_tlsprobe_with(
    args: &[&str],
    env: &[(&str, &str)],
    timeout: Duration,
) -> HarnessResult<RunOutput> {
    let mut cmd = Command::new(tlsprobe_bin());
    cmd.args(args).env("NO_COLOR", "1");
    // A proxy in the test environment must not reroute probes of loopback servers.
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, timeout)
}
