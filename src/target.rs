//! Target syntax: `host`, `host:port`, `[v6]:port`, bare IP literals and `https://` URLs, and
//! targets files (one a line, `#` comments).
//!
//! Parsing only: no name is resolved here.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// Port used when a target names none.
pub const DEFAULT_PORT: u16 = 443;

/// What to connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The text as the user gave it (trimmed).
    pub input: String,
    /// The host.
    pub host: Host,
    /// TCP port.
    pub port: u16,
    /// Addresses already resolved and vetted by the caller (`serve` admitting a name by the
    /// CIDRs it resolves into): probed as the name's addresses instead of resolving it again,
    /// so that a second DNS answer cannot send the probe elsewhere.
    pub pinned: Option<Vec<std::net::IpAddr>>,
}

/// A host name or an address literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A DNS name, lowercased, without a trailing dot.
    Name(String),
    /// An IP literal.
    Ip(IpAddr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl Target {
    /// The SNI name sent by default: the host name, none for IP literals (RFC 6066 forbids them).
    pub fn default_sni(&self) -> Option<String> {
        match &self.host {
            Host::Name(n) => Some(n.clone()),
            Host::Ip(_) => None,
        }
    }
}

/// Why a target could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target {input:?}: {reason}")]
pub struct TargetError {
    /// The offending text.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Target {
    /// Parses one target.
    pub fn parse(input: &str) -> Result<Target, TargetError> {
        let text = input.trim();
        let err = |reason| TargetError {
            input: text.to_string(),
            reason,
        };
        if text.is_empty() {
            return Err(err("empty target"));
        }
        if text.len() > 2048 {
            return Err(err("longer than 2048 characters"));
        }
        let authority = match text.split_once("://") {
            Some((scheme, rest)) => {
                if !scheme.eq_ignore_ascii_case("https") {
                    return Err(err("only https:// URLs are probed"));
                }
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let auth = &rest[..end];
                // Drop user info (`user:pass@host`).
                auth.rsplit_once('@').map_or(auth, |(_, h)| h)
            }
            None => text,
        };
        let (host, port) = split_host_port(authority).map_err(err)?;
        let port = match port {
            None => DEFAULT_PORT,
            Some(p) => match p.parse::<u16>() {
                Ok(0) | Err(_) => return Err(err("port must be a number from 1 to 65535")),
                Ok(p) => p,
            },
        };
        let host = parse_host(host).map_err(err)?;
        Ok(Target {
            input: text.to_string(),
            host,
            port,
            pinned: None,
        })
    }
}

/// Splits `host[:port]`, `[v6][:port]` or a bare IPv6 literal.
fn split_host_port(s: &str) -> Result<(&str, Option<&str>), &'static str> {
    if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or("missing ']' after IPv6 address")?;
        return match after {
            "" => Ok((inside, None)),
            a => match a.strip_prefix(':') {
                Some(p) => Ok((inside, Some(p))),
                None => Err("unexpected text after ']'"),
            },
        };
    }
    match s.matches(':').count() {
        0 => Ok((s, None)),
        1 => {
            let (h, p) = s.split_once(':').ok_or("bad host:port")?;
            Ok((h, Some(p)))
        }
        // Two or more colons without brackets: only a bare IPv6 literal makes sense.
        _ if s.parse::<Ipv6Addr>().is_ok() => Ok((s, None)),
        _ => Err("an IPv6 address with a port must be written [addr]:port"),
    }
}

fn parse_host(h: &str) -> Result<Host, &'static str> {
    if h.is_empty() {
        return Err("missing host");
    }
    if let Ok(ip) = h.parse::<IpAddr>() {
        return Ok(Host::Ip(ip));
    }
    // Zone identifiers (fe80::1%eth0) are not supported by the resolver path.
    if h.contains('%') {
        return Err("IPv6 zone identifiers are not supported");
    }
    let name = h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return Err("host name must be 1 to 253 characters");
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err("each label of a host name must be 1 to 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err("host names may contain only letters, digits, '-', '_' and '.'");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a host name label cannot start or end with '-'");
        }
    }
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err("not a valid IPv4 address");
    }
    Ok(Host::Name(name))
}

/// One line of a targets file that did not parse, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// The parse error.
    pub error: TargetError,
}

/// Parses a targets file: one target a line; blank lines and `#` comments (whole-line or
/// trailing) are ignored. Returns the good targets and the bad lines separately, so that one bad
/// line does not stop the others.
pub fn parse_targets_file(text: &str) -> (Vec<Target>, Vec<BadLine>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split_once('#').map_or(raw, |(before, _)| before).trim();
        if line.is_empty() {
            continue;
        }
        match Target::parse(line) {
            Ok(t) => good.push(t),
            Err(error) => bad.push(BadLine { line: i + 1, error }),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> (String, u16) {
        let t = Target::parse(s).expect(s);
        (t.host.to_string(), t.port)
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(ok("example.com"), ("example.com".into(), 443));
        assert_eq!(ok("Example.COM.:8443"), ("example.com".into(), 8443));
        assert_eq!(ok("127.0.0.1"), ("127.0.0.1".into(), 443));
        assert_eq!(ok("127.0.0.1:10443"), ("127.0.0.1".into(), 10443));
        assert_eq!(ok("[::1]:8443"), ("::1".into(), 8443));
        assert_eq!(ok("[::1]"), ("::1".into(), 443));
        assert_eq!(ok("::1"), ("::1".into(), 443));
        assert_eq!(
            ok("https://login.microsoftonline.com/common/x?y"),
            ("login.microsoftonline.com".into(), 443)
        );
        assert_eq!(
            ok("https://u:p@host.test:9443/"),
            ("host.test".into(), 9443)
        );
        assert_eq!(ok("HTTPS://[::1]:444"), ("::1".into(), 444));
        assert_eq!(ok("_srv.example.com"), ("_srv.example.com".into(), 443));
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "host:0",
            "host:70000",
            "host:abc",
            "http://host",
            "[::1",
            "[::1]x",
            "fe80::1:443x",
            "-bad.com",
            "a..b",
            "exa mple.com",
            "1.2.3.4.5",
            "[::1]:",
            "https://",
            ":443",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn sni_defaults() {
        assert_eq!(
            Target::parse("a.test")
                .expect("ok")
                .default_sni()
                .as_deref(),
            Some("a.test")
        );
        assert_eq!(Target::parse("10.0.0.1").expect("ok").default_sni(), None);
    }

    #[test]
    fn targets_file() {
        let (good, bad) =
            parse_targets_file("# comment\n\na.test:1 # trailing\nbad host\n[::1]:2\n");
        assert_eq!(good.len(), 2);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 4);
    }
}
