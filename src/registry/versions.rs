//! Protocol versions: SSL 2.0 through TLS 1.3, their wire values and their names.
//!
//! The names (`"SSL2.0"` … `"TLS1.3"`) are the spelling used everywhere in tlsprobe's output and
//! JSON. This module does not know about DTLS or the TLS 1.3 draft versions (`0x7fxx`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An SSL/TLS protocol version, ordered from oldest to newest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolVersion {
    /// SSL 2.0 (wire value 0x0002, SSLv2 record format).
    Ssl2,
    /// SSL 3.0 (0x0300).
    Ssl3,
    /// TLS 1.0 (0x0301).
    Tls10,
    /// TLS 1.1 (0x0302).
    Tls11,
    /// TLS 1.2 (0x0303).
    Tls12,
    /// TLS 1.3 (0x0304).
    Tls13,
}

impl ProtocolVersion {
    /// Every version, oldest first.
    pub const ALL: [ProtocolVersion; 6] = [
        ProtocolVersion::Ssl2,
        ProtocolVersion::Ssl3,
        ProtocolVersion::Tls10,
        ProtocolVersion::Tls11,
        ProtocolVersion::Tls12,
        ProtocolVersion::Tls13,
    ];

    /// The two-byte value sent on the wire (`0x0002` for SSL 2.0, `0x0300` … `0x0304`).
    pub const fn wire(self) -> u16 {
        match self {
            ProtocolVersion::Ssl2 => 0x0002,
            ProtocolVersion::Ssl3 => 0x0300,
            ProtocolVersion::Tls10 => 0x0301,
            ProtocolVersion::Tls11 => 0x0302,
            ProtocolVersion::Tls12 => 0x0303,
            ProtocolVersion::Tls13 => 0x0304,
        }
    }

    /// The version with this wire value, if it is one of the six above.
    pub const fn from_wire(v: u16) -> Option<Self> {
        match v {
            0x0002 => Some(ProtocolVersion::Ssl2),
            0x0300 => Some(ProtocolVersion::Ssl3),
            0x0301 => Some(ProtocolVersion::Tls10),
            0x0302 => Some(ProtocolVersion::Tls11),
            0x0303 => Some(ProtocolVersion::Tls12),
            0x0304 => Some(ProtocolVersion::Tls13),
            _ => None,
        }
    }

    /// The output spelling: `"SSL2.0"`, `"SSL3.0"`, `"TLS1.0"`, `"TLS1.1"`, `"TLS1.2"`, `"TLS1.3"`.
    pub const fn name(self) -> &'static str {
        match self {
            ProtocolVersion::Ssl2 => "SSL2.0",
            ProtocolVersion::Ssl3 => "SSL3.0",
            ProtocolVersion::Tls10 => "TLS1.0",
            ProtocolVersion::Tls11 => "TLS1.1",
            ProtocolVersion::Tls12 => "TLS1.2",
            ProtocolVersion::Tls13 => "TLS1.3",
        }
    }

    /// Parses the spellings people type, case-insensitively: `"1.2"`, `"tls1.2"`, `"TLSv1.2"`,
    /// `"TLS1.2"`, `"tls12"`, `"TLS_1_2"`, `"ssl3"`, `"SSLv3"`, `"SSL3.0"`, `"ssl2"`, and a wire
    /// value in hex (`"0x0303"`). A bare `"2"`/`"3"` (or `"2.0"`/`"3.0"`) means SSL; a bare `"1"`,
    /// `"1.0"` … `"1.3"` means TLS.
    pub fn parse(s: &str) -> Option<Self> {
        let lower = s.trim().to_ascii_lowercase();
        if let Some(hex) = lower.strip_prefix("0x") {
            return u16::from_str_radix(hex, 16).ok().and_then(Self::from_wire);
        }
        let (family, rest) = if let Some(r) = lower.strip_prefix("tls") {
            (Some(false), r)
        } else if let Some(r) = lower.strip_prefix("ssl") {
            (Some(true), r)
        } else {
            (None, lower.as_str())
        };
        let rest = rest.strip_prefix('v').unwrap_or(rest);
        let digits: String = rest
            .chars()
            .filter(|c| !matches!(c, '.' | '_' | '-' | ' '))
            .collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let ssl = |d: &str| match d {
            "2" | "20" => Some(ProtocolVersion::Ssl2),
            "3" | "30" => Some(ProtocolVersion::Ssl3),
            _ => None,
        };
        let tls = |d: &str| match d {
            "1" | "10" => Some(ProtocolVersion::Tls10),
            "11" => Some(ProtocolVersion::Tls11),
            "12" => Some(ProtocolVersion::Tls12),
            "13" => Some(ProtocolVersion::Tls13),
            _ => None,
        };
        match family {
            Some(true) => ssl(&digits),
            Some(false) => tls(&digits),
            None => tls(&digits).or_else(|| ssl(&digits)),
        }
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for ProtocolVersion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ProtocolVersion {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProtocolVersion::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown protocol version {s:?} (expected SSL2.0, SSL3.0, TLS1.0, TLS1.1, TLS1.2 or TLS1.3)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_round_trips_and_is_ordered() {
        for w in ProtocolVersion::ALL.windows(2) {
            assert!(w[0] < w[1]);
            assert!(w[0].wire() < w[1].wire());
        }
        for v in ProtocolVersion::ALL {
            assert_eq!(ProtocolVersion::from_wire(v.wire()), Some(v));
            assert_eq!(ProtocolVersion::parse(v.name()), Some(v));
            assert_eq!(v.to_string(), v.name());
        }
        assert_eq!(ProtocolVersion::from_wire(0x0305), None);
        assert_eq!(ProtocolVersion::from_wire(0x7f1c), None);
    }

    #[test]
    fn parse_accepts_common_spellings() {
        use ProtocolVersion::*;
        let cases = [
            ("1.2", Tls12),
            ("tls1.2", Tls12),
            ("TLSv1.2", Tls12),
            ("TLS1.2", Tls12),
            ("tls12", Tls12),
            ("TLS_1_2", Tls12),
            ("tlsv1", Tls10),
            ("TLS1.0", Tls10),
            ("1.0", Tls10),
            ("1.1", Tls11),
            ("1.3", Tls13),
            ("TLSV1.3", Tls13),
            ("ssl3", Ssl3),
            ("SSLv3", Ssl3),
            ("SSL3.0", Ssl3),
            ("sslv3.0", Ssl3),
            ("ssl2", Ssl2),
            ("SSLv2", Ssl2),
            ("SSL2.0", Ssl2),
            ("3.0", Ssl3),
            ("0x0303", Tls12),
            ("0x0002", Ssl2),
        ];
        for (s, v) in cases {
            assert_eq!(ProtocolVersion::parse(s), Some(v), "{s}");
        }
        for bad in [
            "", "tls", "tls1.4", "ssl1", "ssl4", "1.4", "v", "tls1.2x", "0xzz", "0x0305", "tls-",
        ] {
            assert_eq!(ProtocolVersion::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn serde_uses_the_output_names() {
        let json = serde_json::to_string(&ProtocolVersion::Tls12).unwrap();
        assert_eq!(json, "\"TLS1.2\"");
        let back: ProtocolVersion = serde_json::from_str("\"SSL2.0\"").unwrap();
        assert_eq!(back, ProtocolVersion::Ssl2);
        assert!(serde_json::from_str::<ProtocolVersion>("\"TLS9\"").is_err());
    }
}
