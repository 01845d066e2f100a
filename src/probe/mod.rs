//! Probe strategies built from [`crate::wire`] and [`crate::net`]: raw per-version hellos, the
//! negotiation hello of a real client, and (in `handshake`) a full rustls handshake. Probes
//! return observations as [`crate::model`] values; they do not judge them (that is
//! [`crate::diagnose`]) and do not print (that is [`crate::report`]).
//!
//! Each probe is a sans-I/O state machine ([`hello`]) driven by a thin async driver
//! ([`driver`]) that owns the socket and the deadline.

pub mod cert;
pub mod check;
pub mod downgrade;
pub mod driver;
pub mod elimination;
pub mod from_net;
pub mod handshake;
pub mod hello;
pub mod hostcap;
pub mod intolerance;
pub mod progress;
pub mod scan;
pub mod simulate;
pub mod trust;
pub mod versions;

use std::net::IpAddr;
use std::time::Duration;

use crate::model::ProtocolVersion;
use crate::net::Family;

/// Which server name to send in SNI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SniChoice {
    /// The target's host name; none for IP literals.
    #[default]
    Auto,
    /// This name (`--sni`).
    Name(String),
    /// No SNI extension at all (`--no-sni`).
    Off,
}

/// Settings shared by every probe of a run.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// Bound on each network step (connect, waiting for an answer).
    pub timeout: Duration,
    /// SNI choice.
    pub sni: SniChoice,
    /// Address families to probe.
    pub family: Family,
    /// Connect here instead of resolving the name (`--connect-to`).
    pub connect_to: Option<IpAddr>,
    /// DNS server to use instead of the system configuration (`--dns-server`).
    pub dns_server: Option<std::net::SocketAddr>,
    /// HTTP CONNECT proxy (`--proxy`, or HTTPS_PROXY / ALL_PROXY).
    pub proxy: Option<std::sync::Arc<crate::net::Proxy>>,
    /// Hosts that bypass the proxy (NO_PROXY).
    pub no_proxy: crate::net::NoProxy,
    /// ALPN protocols offered in the full handshake.
    pub alpn: Vec<Vec<u8>>,
    /// Versions to probe one by one (`--tls-versions`; default all).
    pub versions: Vec<ProtocolVersion>,
    /// Cipher suites to offer instead of the defaults (`--ciphers`).
    pub suites: Option<Vec<u16>>,
    /// Named groups to offer instead of the defaults (`--groups`).
    pub groups: Option<Vec<u16>>,
    /// Networks no probe may connect to (`serve --deny`); a target resolving into one of them
    /// is not probed at all and its DNS result says `denied`.
    pub deny: Vec<ipnet::IpNet>,
    /// Rounds of probes per address (`--repeat`, at least 1).
    pub repeat: u32,
    /// How `check` spends connections on one endpoint.
    pub plan: CheckPlan,
    /// Roots the chain of a target (`host`, `port`) is expected to lead to (catalogue runs);
    /// a chain naming none of them is judged intercepted.
    pub expected_roots: ExpectedRoots,
}

impl ProbeConfig {
    /// The deny-list network containing `ip`, if any (IPv4-mapped IPv6 counts as IPv4).
    pub fn denied(&self, ip: &IpAddr) -> Option<&ipnet::IpNet> {
        let canonical = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(*ip),
            IpAddr::V4(_) => *ip,
        };
        self.deny
            .iter()
            .find(|net| net.contains(ip) || net.contains(&canonical))
    }
}
/// Expected root names per target, keyed by lower-case host and port.
pub type ExpectedRoots = std::sync::Arc<std::collections::HashMap<(String, u16), Vec<String>>>;

impl Default for ProbeConfig {
    fn default() -> Self {
        ProbeConfig {
            timeout: Duration::from_secs(5),
            sni: SniChoice::Auto,
            family: Family::Any,
            connect_to: None,
            dns_server: None,
            proxy: None,
            no_proxy: crate::net::NoProxy::default(),
            alpn: vec![b"h2".to_vec(), b"http/1.1".to_vec()],
            versions: ProtocolVersion::ALL.to_vec(),
            suites: None,
            groups: None,
            deny: Vec::new(),
            repeat: 1,
            expected_roots: ExpectedRoots::default(),
            plan: CheckPlan::default(),
        }
    }
}

/// How `check` spends connections on one endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CheckPlan {
    /// Every hello at once (one per version, the negotiation hello, the full handshake, the
    /// fallback retry): a check costs about one handshake of wall time.
    #[default]
    Parallel,
    /// The fewest connections: the full handshake stands in for the negotiation hello and,
    /// when it reached TLS 1.3, for the TLS 1.3 hello; those two run only when it did not, one
    /// round trip later. What an exporter scraped all day wants (`serve`).
    Lean,
}

/// The message of a panic payload (what `panic!` was given), for a task's error entry.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a probe task panicked".into())
}
