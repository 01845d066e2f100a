//! TLS alert messages (two bytes: level, description).
//!
//! Only the wire form; the registry names the descriptions. Does not track connection state.

use super::codec::{DecodeError, decode_all};

/// Alert level `warning`.
pub const LEVEL_WARNING: u8 = 1;
/// Alert level `fatal`.
pub const LEVEL_FATAL: u8 = 2;

/// An alert as sent on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Alert {
    /// 1 = warning, 2 = fatal (other values are kept as received).
    pub level: u8,
    /// Alert description code point, e.g. 70 = protocol_version.
    pub description: u8,
}

impl Alert {
    /// Parses exactly two bytes.
    pub fn parse(body: &[u8]) -> Result<Self, DecodeError> {
        decode_all(body, "alert", |r| {
            Ok(Self {
                level: r.u8("alert level")?,
                description: r.u8("alert description")?,
            })
        })
    }

    /// The two wire bytes.
    pub fn encode(&self) -> [u8; 2] {
        [self.level, self.description]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_exactly_two_bytes() {
        assert_eq!(
            Alert::parse(&[2, 70]),
            Ok(Alert {
                level: 2,
                description: 70
            })
        );
        assert!(matches!(
            Alert::parse(&[2]),
            Err(DecodeError::Truncated {
                what: "alert description",
                offset: 1,
                ..
            })
        ));
        assert!(matches!(
            Alert::parse(&[2, 40, 0]),
            Err(DecodeError::Trailing { offset: 2, .. })
        ));
        assert_eq!(Alert::parse(&[1, 0]).unwrap().encode(), [1, 0]);
    }
}
