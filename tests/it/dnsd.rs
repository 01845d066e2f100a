//! A tiny authoritative DNS responder on 127.0.0.1 for tests: answers A/AAAA from a fixed map,
//! NXDOMAIN for every other name, or nothing at all (to test timeouts). Tests pass its address
//! with `--dns-server`, so no query ever leaves the machine.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the responder answers names it does not know.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// NXDOMAIN.
    NxDomain,
    /// SERVFAIL.
    ServFail,
    /// Never answer.
    Silent,
}

/// A running responder, stopped on drop.
pub struct Dnsd {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Dnsd {
    /// Starts a responder that knows `names` (lowercase, no trailing dot).
    pub fn start(names: &[(&str, IpAddr)], mode: Mode) -> Dnsd {
        let sock = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
        sock.set_read_timeout(Some(Duration::from_millis(50)))
            .expect("timeout");
        let addr = sock.local_addr().expect("addr");
        let mut map: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for (n, ip) in names {
            map.entry(n.to_string()).or_default().push(*ip);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while !flag.load(Ordering::Relaxed) {
                let Ok((n, peer)) = sock.recv_from(&mut buf) else {
                    continue;
                };
                if mode == Mode::Silent {
                    continue;
                }
                if let Some(resp) = answer(&buf[..n], &map, mode) {
                    let _ = sock.send_to(&resp, peer);
                }
            }
        });
        Dnsd {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// `IP:PORT` for `--dns-server`.
    pub fn arg(&self) -> String {
        self.addr.to_string()
    }
}

impl Drop for Dnsd {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn answer(q: &[u8], map: &HashMap<String, Vec<IpAddr>>, mode: Mode) -> Option<Vec<u8>> {
    if q.len() < 12 {
        return None;
    }
    // Question name.
    let mut pos = 12;
    let mut labels = Vec::new();
    loop {
        let len = *q.get(pos)? as usize;
        pos += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(q.get(pos..pos + len)?).to_ascii_lowercase());
        pos += len;
    }
    let qtype = u16::from_be_bytes([*q.get(pos)?, *q.get(pos + 1)?]);
    let question_end = pos + 4;
    let name = labels.join(".");
    let (rcode, ips): (u8, Vec<IpAddr>) = match map.get(&name) {
        Some(ips) => (0, ips.clone()),
        None if mode == Mode::ServFail => (2, vec![]),
        None => (3, vec![]),
    };
    let wanted: Vec<&IpAddr> = ips
        .iter()
        .filter(|ip| (qtype == 1 && ip.is_ipv4()) || (qtype == 28 && ip.is_ipv6()))
        .collect();
    let mut r = Vec::new();
    r.extend_from_slice(&q[..2]);
    r.extend_from_slice(&[0x81, 0x80 | rcode]);
    r.extend_from_slice(&[0, 1]);
    r.extend_from_slice(&(wanted.len() as u16).to_be_bytes());
    r.extend_from_slice(&[0, 0, 0, 0]);
    r.extend_from_slice(q.get(12..question_end)?);
    for ip in wanted {
        r.extend_from_slice(&[0xC0, 0x0C]);
        let (t, data) = match ip {
            IpAddr::V4(v4) => (1u16, v4.octets().to_vec()),
            IpAddr::V6(v6) => (28u16, v6.octets().to_vec()),
        };
        r.extend_from_slice(&t.to_be_bytes());
        r.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
        r.extend_from_slice(&(data.len() as u16).to_be_bytes());
        r.extend_from_slice(&data);
    }
    Some(r)
}
