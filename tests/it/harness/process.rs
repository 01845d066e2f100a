//! A server child process owned by a test: its output is drained into a bounded log, a line
//! marker can signal readiness, and the process is killed and reaped on drop.
//!
//! It does not decide when a server is ready; the server builders do, using
//! [`ServerProcess::wait_ready`].

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::{HarnessError, HarnessResult, io_err, wait_for_port};

/// Largest amount of output kept per process (the oldest half is dropped beyond it).
const LOG_CAP: usize = 64 * 1024;

/// How readiness of a started server is detected.
#[derive(Clone, Debug)]
pub enum Readiness {
    /// A line of stdout or stderr contains this text (e.g. `ACCEPT` for `openssl s_server`).
    Line(&'static str),
    /// A TCP connect to this address succeeds. Use only where the program has no better signal:
    /// a connect may reach another process that holds the port.
    Connect(SocketAddr),
    /// This file exists and is not empty (nginx writes its pid file after binding).
    File(std::path::PathBuf),
}

/// A running child process, killed on drop.
#[derive(Debug)]
pub struct ServerProcess {
    name: String,
    child: Child,
    /// Held open so servers that stop on end-of-input (`openssl s_server`) keep running.
    _stdin: Option<ChildStdin>,
    log: Arc<Mutex<String>>,
    lines: Receiver<String>,
}

impl ServerProcess {
    /// Spawns `cmd` with piped stdin (kept open), stdout and stderr (drained into the log).
    pub fn spawn(name: &str, mut cmd: Command) -> HarnessResult<Self> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(io_err(format!("spawn {name}")))?;
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = mpsc::channel();
        if let Some(out) = child.stdout.take() {
            drain(out, Arc::clone(&log), tx.clone());
        }
        if let Some(err) = child.stderr.take() {
            drain(err, Arc::clone(&log), tx);
        }
        Ok(Self {
            name: name.to_string(),
            _stdin: child.stdin.take(),
            child,
            log,
            lines,
        })
    }

    /// Waits until `readiness` holds, the process exits, or `timeout` passes.
    pub fn wait_ready(&mut self, readiness: &Readiness, timeout: Duration) -> HarnessResult<()> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Give the drain threads a moment to collect the last words.
                thread::sleep(Duration::from_millis(50));
                return Err(self.not_ready(format!("exited early with {status}")));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.not_ready(format!("not ready after {timeout:?}")));
            }
            let slice = left.min(Duration::from_millis(50));
            match readiness {
                Readiness::Line(marker) => match self.lines.recv_timeout(slice) {
                    Ok(line) if line.contains(marker) => return Ok(()),
                    Ok(_) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => thread::sleep(slice),
                },
                Readiness::Connect(addr) => {
                    if wait_for_port(*addr, Instant::now() + slice) {
                        return Ok(());
                    }
                }
                Readiness::File(path) => {
                    if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
                        return Ok(());
                    }
                    thread::sleep(slice);
                }
            }
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Everything the process printed so far (bounded).
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn not_ready(&self, reason: String) -> HarnessError {
        HarnessError::NotReady {
            name: self.name.clone(),
            reason,
            log: self.log(),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads `pipe` line by line into `log` (bounded) and forwards each line to `tx`.
fn drain(pipe: impl Read + Send + 'static, log: Arc<Mutex<String>>, tx: mpsc::Sender<String>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut raw = Vec::new();
        loop {
            raw.clear();
            match reader.read_until(b'\n', &mut raw) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&raw).into_owned();
                    if let Ok(mut l) = log.lock() {
                        if l.len() + line.len() > LOG_CAP {
                            let cut = l.len() / 2;
                            let cut = (cut..l.len()).find(|&i| l.is_char_boundary(i)).unwrap_or(0);
                            l.replace_range(..cut, "");
                        }
                        l.push_str(&line);
                    }
                    let _ = tx.send(line);
                }
            }
        }
    });
}

/// Starts a server up to [`super::START_ATTEMPTS`] times: `attempt(port)` builds the command for
/// a freshly chosen port and the readiness check; a start that fails (typically "address in use"
/// because another test took the port) is retried with a new port.
pub fn start_with_retry(
    name: &str,
    family: super::Loopback,
    mut attempt: impl FnMut(u16) -> HarnessResult<(Command, Readiness)>,
) -> HarnessResult<(ServerProcess, u16)> {
    let mut last = None;
    for _ in 0..super::START_ATTEMPTS {
        let port = super::free_port_on(family)?;
        let (cmd, readiness) = attempt(port)?;
        let mut proc = ServerProcess::spawn(name, cmd)?;
        match proc.wait_ready(&readiness, super::READY_TIMEOUT) {
            Ok(()) => return Ok((proc, port)),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| HarnessError::NotReady {
        name: name.to_string(),
        reason: "no start attempt was made".into(),
        log: String::new(),
    }))
}
