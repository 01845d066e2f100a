//! Name resolution with hickory-resolver from the system configuration (resolv.conf and
//! /etc/hosts), every A and AAAA address, failures classified into [`LookupErrorKind`]s.
//!
//! A missing or empty resolv.conf falls back to a resolver on 127.0.0.1, as glibc does. One
//! [`Resolver`] is built per run and shared: it caches answers.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{LookupIpStrategy, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as HDnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;

use super::tcp::ms_since;

/// Why a lookup failed (net's own kinds; `probe` maps them onto the report model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupErrorKind {
    /// NXDOMAIN: the name does not exist.
    NoSuchHost,
    /// The name exists but has no A or AAAA record.
    NoRecords,
    /// The DNS server answered with an error code.
    ServerFailure,
    /// The DNS server refused the query.
    Refused,
    /// No answer in time.
    Timeout,
    /// No DNS server is configured or reachable.
    NoResolver,
    /// Anything else the resolver reported.
    Other,
}

/// A name-resolution failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LookupError {
    /// What kind of failure.
    pub kind: LookupErrorKind,
    /// Human-readable detail.
    pub message: String,
}

/// Which address families to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    /// IPv4 and IPv6.
    #[default]
    Any,
    /// IPv4 only (`-4`).
    V4,
    /// IPv6 only (`-6`).
    V6,
}

impl Family {
    /// Whether `ip` belongs to this family.
    pub fn admits(self, ip: &IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => ip.is_ipv4(),
            Family::V6 => ip.is_ipv6(),
        }
    }
}

/// The run's resolver.
pub struct Resolver {
    inner: Result<TokioResolver, String>,
    timeout: Duration,
}

impl Resolver {
    /// Builds a resolver from the system configuration. Must be called inside the tokio runtime.
    /// Never fails: a resolver that cannot be built reports `no_resolver` on every lookup.
    pub fn from_system(family: Family, timeout: Duration) -> Resolver {
        Resolver::new(family, timeout, None)
    }

    /// Builds a resolver that asks `server` (`--dns-server`), or the system configuration when
    /// `None`. /etc/hosts is honoured either way.
    pub fn new(family: Family, timeout: Duration, server: Option<SocketAddr>) -> Resolver {
        let with_server = |addr: SocketAddr| {
            let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
            for c in &mut ns.connections {
                c.port = addr.port();
            }
            TokioResolver::builder_with_config(
                ResolverConfig::from_name_servers(vec![ns]),
                TokioRuntimeProvider::default(),
            )
        };
        let mut builder = match server {
            Some(addr) => with_server(addr),
            // Like glibc, fall back to a resolver on the local host when there is no
            // usable resolv.conf.
            None => TokioResolver::builder_tokio()
                .unwrap_or_else(|_| with_server(SocketAddr::from(([127, 0, 0, 1], 53)))),
        };
        let opts = builder.options_mut();
        opts.ip_strategy = match family {
            Family::Any => LookupIpStrategy::Ipv4AndIpv6,
            Family::V4 => LookupIpStrategy::Ipv4Only,
            Family::V6 => LookupIpStrategy::Ipv6Only,
        };
        // `--timeout` bounds the DNS step as a whole: hickory makes `attempts + 1` tries, so
        // each try gets half of it (one lost UDP datagram is retried within the bound).
        opts.timeout = (timeout / 2).max(Duration::from_millis(50));
        opts.attempts = 1;
        Resolver {
            inner: builder.build().map_err(|e| e.to_string()),
            timeout,
        }
    }

    /// Every address of `host`, in resolver order (A before AAAA), without duplicates, with the
    /// time taken in milliseconds.
    pub async fn lookup(&self, host: &str) -> (Result<Vec<IpAddr>, LookupError>, f64) {
        let start = Instant::now();
        let resolver = match &self.inner {
            Ok(r) => r,
            Err(e) => {
                return (
                    Err(LookupError {
                        kind: LookupErrorKind::NoResolver,
                        message: format!("no usable resolver configuration: {e}"),
                    }),
                    0.0,
                );
            }
        };
        // Bound the whole lookup, whatever hickory's retries and fallbacks add up to.
        let hard = self.timeout + Duration::from_millis(250);
        let result = match tokio::time::timeout(hard, resolver.lookup_ip(host)).await {
            Ok(Ok(lookup)) => {
                let mut ips: Vec<IpAddr> = Vec::new();
                for ip in lookup.iter() {
                    if !ips.contains(&ip) {
                        ips.push(ip);
                    }
                }
                if ips.is_empty() {
                    Err(LookupError {
                        kind: LookupErrorKind::NoRecords,
                        message: format!("{host} has no A or AAAA record"),
                    })
                } else {
                    Ok(ips)
                }
            }
            Ok(Err(e)) => Err(lookup_error(host, &e)),
            Err(_) => Err(LookupError {
                kind: LookupErrorKind::Timeout,
                message: format!(
                    "no answer for {host} within {}",
                    humantime::format_duration(hard)
                ),
            }),
        };
        (result, ms_since(start))
    }
}

fn lookup_error(host: &str, e: &NetError) -> LookupError {
    use LookupErrorKind as K;
    let (kind, message) = match e {
        NetError::Dns(HDnsError::NoRecordsFound(nr)) => match nr.response_code {
            ResponseCode::NXDomain => (K::NoSuchHost, format!("{host}: no such host (NXDOMAIN)")),
            _ => (K::NoRecords, format!("{host} has no A or AAAA record")),
        },
        NetError::Dns(HDnsError::ResponseCode(ResponseCode::Refused)) => (
            K::Refused,
            format!("the DNS server refused to resolve {host}"),
        ),
        NetError::Dns(HDnsError::ResponseCode(code)) => (
            K::ServerFailure,
            format!("the DNS server answered {code} for {host}"),
        ),
        NetError::Timeout => (K::Timeout, format!("no DNS answer for {host} in time")),
        NetError::Io(io) => (K::NoResolver, format!("cannot reach a DNS server: {io}")),
        NetError::NoConnections => (K::NoResolver, "no DNS server could be reached".to_string()),
        other => (K::Other, format!("{host}: {other}")),
    };
    LookupError { kind, message }
}
