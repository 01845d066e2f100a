//! Which targets the exporter may probe: an allowlist of host globs and CIDRs (each with an
//! optional port) and a deny list of networks that no probe may reach, whatever the allowlist
//! says (the deny list is also enforced on resolved addresses by the probe itself, see
//! [`crate::probe::ProbeConfig::denied`]).
//!
//! Pure: no name is resolved here (`serve` resolves a name a CIDR may admit and hands the
//! addresses to [`Policy::admit_addresses`]).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::target::{Host, Target};

/// Networks denied by default: IPv4 and IPv6 link-local, where cloud metadata services
/// (169.254.169.254, fe80::a9fe:a9fe) live.
pub const DEFAULT_DENY: &[&str] = &["169.254.0.0/16", "fe80::/10"];

/// One allowlist entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowRule {
    /// A host-name glob (`*` matches any run of characters, `?` one character), case-insensitive;
    /// `*` alone also matches IP literals.
    Host {
        /// The glob, lowercased.
        glob: String,
        /// Only this port, when given.
        port: Option<u16>,
    },
    /// IP-literal targets inside this network, and names whose every address is inside one
    /// (see [`Policy::admit_addresses`]).
    Net {
        /// The network.
        net: IpNet,
        /// Only this port, when given.
        port: Option<u16>,
    },
}

fn parse_port(p: &str, pattern: &str) -> Result<u16, String> {
    p.parse::<u16>()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| format!("{pattern:?}: port {p:?} must be a number from 1 to 65535"))
}

/// An IP address or a CIDR, as a network.
fn parse_net(s: &str) -> Option<IpNet> {
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}

impl AllowRule {
    /// Parses `*.example.com`, `host:443`, `10.0.0.0/8`, `10.1.2.3:8443`, `[::1]:443`,
    /// `[2001:db8::/32]:443`, `2001:db8::/32`.
    pub fn parse(pattern: &str) -> Result<AllowRule, String> {
        let s = pattern.trim();
        if s.is_empty() {
            return Err("an empty --allow pattern matches nothing".into());
        }
        let (body, port) = if let Some(rest) = s.strip_prefix('[') {
            let (inner, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("{pattern:?}: missing ']'"))?;
            let port = match after {
                "" => None,
                p => Some(parse_port(
                    p.strip_prefix(':')
                        .ok_or_else(|| format!("{pattern:?}: expected ':PORT' after ']'"))?,
                    pattern,
                )?),
            };
            (inner, port)
        } else if s.matches(':').count() == 1 {
            let (b, p) = s.split_once(':').unwrap_or((s, ""));
            (b, Some(parse_port(p, pattern)?))
        } else {
            (s, None)
        };
        if let Some(net) = parse_net(body) {
            return Ok(AllowRule::Net {
                net: net.trunc(),
                port,
            });
        }
        if body.contains('/') || body.contains(':') {
            return Err(format!("{pattern:?}: not a valid CIDR or IP address"));
        }
        let ok = body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '*' | '?'));
        if !ok {
            return Err(format!(
                "{pattern:?}: a host glob may hold letters, digits, '-', '.', '_', '*' and '?'"
            ));
        }
        Ok(AllowRule::Host {
            glob: body.trim_end_matches('.').to_ascii_lowercase(),
            port,
        })
    }

    fn port_ok(port: Option<u16>, target: u16) -> bool {
        port.is_none_or(|p| p == target)
    }

    /// Whether the rule admits the target.
    pub fn admits(&self, target: &Target) -> bool {
        match (self, &target.host) {
            (AllowRule::Host { glob, port }, Host::Name(name)) => {
                Self::port_ok(*port, target.port) && glob_match(glob, name)
            }
            (AllowRule::Host { glob, port }, Host::Ip(_)) => {
                glob == "*" && Self::port_ok(*port, target.port)
            }
            (AllowRule::Net { net, port }, Host::Ip(ip)) => {
                Self::port_ok(*port, target.port) && net.contains(ip)
            }
            (AllowRule::Net { .. }, Host::Name(_)) => false,
        }
    }
}

/// Glob match, `*` any run (also empty), `?` one character; iterative, no backtracking blow-up.
pub fn glob_match(glob: &str, text: &str) -> bool {
    let g = glob.as_bytes();
    let t = text.as_bytes();
    let (mut gi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match g.get(gi) {
            Some(b'*') => {
                star = Some((gi, ti));
                gi += 1;
            }
            Some(&c) if c == b'?' || c == t[ti] => {
                gi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sg, st)) => {
                    gi = sg + 1;
                    ti = st + 1;
                    star = Some((sg, st + 1));
                }
                None => return false,
            },
        }
    }
    g[gi.min(g.len())..].iter().all(|&c| c == b'*')
}

/// The allowlist and the deny list.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Allowed targets; at least one rule.
    pub allow: Vec<AllowRule>,
    /// Networks never probed.
    pub deny: Vec<IpNet>,
}

/// Why a target is refused (answered with 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No allowlist rule admits the target.
    #[error("target {0} is not on the allowlist (--allow)")]
    NotAllowed(String),
    /// The target's address is in a denied network.
    #[error("target address {ip} is in the denied network {net} (--deny)")]
    Denied {
        /// The address.
        ip: IpAddr,
        /// The network that denies it.
        net: IpNet,
    },
}

impl Policy {
    /// Builds a policy; the default deny networks are always included.
    pub fn new(allow: &[String], deny: &[String]) -> Result<Policy, String> {
        let allow = allow
            .iter()
            .map(|p| AllowRule::parse(p))
            .collect::<Result<Vec<_>, _>>()?;
        let mut nets = Vec::new();
        for d in DEFAULT_DENY
            .iter()
            .copied()
            .chain(deny.iter().map(String::as_str))
        {
            let net = parse_net(d.trim())
                .ok_or_else(|| format!("{d:?}: --deny takes a CIDR or an IP address"))?;
            if !nets.contains(&net.trunc()) {
                nets.push(net.trunc());
            }
        }
        Ok(Policy { allow, deny: nets })
    }

    /// Whether a name that no glob admits could still be admitted by the addresses it resolves
    /// to: some CIDR rule takes its port.
    pub fn may_admit_by_address(&self, target: &Target) -> bool {
        matches!(target.host, Host::Name(_)) && self.nets_for(target.port).next().is_some()
    }

    /// The networks of the CIDR rules that take `port`.
    fn nets_for(&self, port: u16) -> impl Iterator<Item = &IpNet> {
        self.allow.iter().filter_map(move |r| match r {
            AllowRule::Net { net, port: p } if AllowRule::port_ok(*p, port) => Some(net),
            _ => None,
        })
    }

    /// Admits a name by its resolved addresses: every one must lie in a CIDR rule that takes
    /// the port (one outside is named in the refusal). The deny list is checked by the probe.
    pub fn admit_addresses(&self, target: &Target, ips: &[IpAddr]) -> Result<(), Refusal> {
        let inside = |ip: &IpAddr| self.nets_for(target.port).any(|net| net.contains(ip));
        if ips.is_empty() {
            return Err(Refusal::NotAllowed(format!(
                "{}:{} (no glob matches it and it resolves to no address to match the CIDRs)",
                target.host, target.port
            )));
        }
        match ips.iter().find(|ip| !inside(ip)) {
            Some(ip) => Err(Refusal::NotAllowed(format!(
                "{}:{} (it resolves to {ip}, outside every allowed CIDR)",
                target.host, target.port
            ))),
            None => Ok(()),
        }
    }

    /// Checks a target before any network step: the allowlist, and the deny list for IP
    /// literals (names are checked after resolution by the probe).
    pub fn check(&self, target: &Target) -> Result<(), Refusal> {
        if !self.allow.iter().any(|r| r.admits(target)) {
            return Err(Refusal::NotAllowed(format!(
                "{}:{}",
                target.host, target.port
            )));
        }
        if let Host::Ip(ip) = &target.host {
            let probe = crate::probe::ProbeConfig {
                deny: self.deny.clone(),
                ..crate::probe::ProbeConfig::default()
            };
            if let Some(net) = probe.denied(ip) {
                return Err(Refusal::Denied { ip: *ip, net: *net });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Target {
        Target::parse(s).unwrap()
    }

    #[test]
    fn globs() {
        assert!(glob_match("*.example.com", "a.example.com"));
        assert!(glob_match("*.example.com", "a.b.example.com"));
        assert!(!glob_match("*.example.com", "example.com"));
        assert!(glob_match("host?.x", "host1.x"));
        assert!(glob_match("*", "anything"));
        assert!(!glob_match("a*b", "ac"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match(&"*a".repeat(30), &"a".repeat(29)));
    }

    #[test]
    fn rules() {
        let p = Policy::new(
            &[
                "*.backup.example:443".into(),
                "127.0.0.0/8".into(),
                "[::1]:8443".into(),
                "localhost".into(),
            ],
            &["10.0.0.0/8".into()],
        )
        .unwrap();
        assert!(p.check(&t("x.backup.example")).is_ok());
        assert!(p.check(&t("x.backup.example:8443")).is_err());
        assert!(p.check(&t("127.0.0.1:1234")).is_ok());
        assert!(p.check(&t("[::1]:8443")).is_ok());
        assert!(p.check(&t("[::1]:443")).is_err());
        assert!(p.check(&t("LOCALHOST:9")).is_ok());
        assert!(matches!(
            p.check(&t("evil.example")),
            Err(Refusal::NotAllowed(_))
        ));
        let all = Policy::new(&["*".into()], &[]).unwrap();
        assert!(matches!(
            all.check(&t("169.254.169.254:80")),
            Err(Refusal::Denied { .. })
        ));
        assert!(matches!(
            all.check(&t("[fe80::1]:443")),
            Err(Refusal::Denied { .. })
        ));
        assert!(matches!(
            all.check(&t("[::ffff:169.254.169.254]:443")),
            Err(Refusal::Denied { .. })
        ));
        assert!(AllowRule::parse("a b").is_err());
        assert!(AllowRule::parse("10.0.0.0/33").is_err());
        assert!(AllowRule::parse("host:0").is_err());
        assert!(Policy::new(&[], &["nonsense".into()]).is_err());
    }
}
