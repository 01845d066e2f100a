//! OS error normalisation: every `io::Error` that came from a system call is named with its raw
//! code, its POSIX name and the Winsock error a Windows client sees for the same condition
//! (ECONNRESET ↔ WSAECONNRESET 10054, ETIMEDOUT ↔ 10060, ECONNREFUSED ↔ 10061, ...), looked up
//! in the registry's table ([`crate::registry::os_errors`]).
//!
//! The result is net's own [`OsCode`]; `probe` turns it into the report model.

use std::io;

use crate::registry::{OsErrorInfo, os_error_by_errno, os_error_by_kind};

/// An OS error code with its POSIX name and Windows (Winsock) equivalent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsCode {
    /// Raw errno value on this system.
    pub code: i32,
    /// POSIX name, e.g. `ECONNRESET` (`errno N` for a code the table does not know).
    pub name: String,
    /// Winsock error a Windows client sees for the same condition, e.g. 10054.
    pub windows_code: Option<u32>,
    /// Winsock name, e.g. `WSAECONNRESET`.
    pub windows_name: Option<&'static str>,
}

/// The [`OsCode`] for an `io::Error`, when one can be named.
///
/// Errors raised by the OS are looked up by their raw code; errors synthesised by the runtime
/// (a deadline of ours expiring, a peer closing mid-write) are named by their kind, with the code
/// the OS uses for that condition.
pub fn os_error(err: &io::Error) -> Option<OsCode> {
    #[cfg(target_os = "linux")]
    if let Some(code) = err.raw_os_error() {
        return Some(match os_error_by_errno(code) {
            Some(r) => named(r, code),
            None => OsCode {
                code,
                name: format!("errno {code}"),
                windows_code: None,
                windows_name: None,
            },
        });
    }
    os_error_by_kind(err.kind()).map(|r| named(r, raw_code(r, err)))
}

/// The [`OsCode`] of a deadline of ours expiring: what the OS reports for the same condition.
pub fn timed_out() -> OsCode {
    let err = io::Error::from(io::ErrorKind::TimedOut);
    os_error(&err).unwrap_or(OsCode {
        code: 0,
        name: "ETIMEDOUT".into(),
        windows_code: Some(10060),
        windows_name: Some("WSAETIMEDOUT"),
    })
}

fn raw_code(_row: &OsErrorInfo, err: &io::Error) -> i32 {
    #[cfg(target_os = "linux")]
    {
        err.raw_os_error().unwrap_or(_row.errno)
    }
    #[cfg(not(target_os = "linux"))]
    {
        err.raw_os_error().unwrap_or(0)
    }
}

fn named(r: &OsErrorInfo, code: i32) -> OsCode {
    OsCode {
        code,
        name: r.name.to_string(),
        windows_code: r.windows_code,
        windows_name: r.windows_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reset_maps_to_10054() {
        let e = io::Error::from(io::ErrorKind::ConnectionReset);
        let o = os_error(&e).expect("named");
        assert_eq!(o.name, "ECONNRESET");
        assert_eq!(o.windows_code, Some(10054));
        assert_eq!(o.windows_name, Some("WSAECONNRESET"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn raw_codes_are_kept() {
        let e = io::Error::from_raw_os_error(111);
        let o = os_error(&e).expect("named");
        assert_eq!(
            (o.code, o.name.as_str(), o.windows_code),
            (111, "ECONNREFUSED", Some(10061))
        );
        let e = io::Error::from_raw_os_error(9999);
        assert_eq!(os_error(&e).expect("named").name, "errno 9999");
    }

    #[test]
    fn timeout_is_10060() {
        let t = timed_out();
        assert_eq!(
            (t.name.as_str(), t.windows_code, t.windows_name),
            ("ETIMEDOUT", Some(10060), Some("WSAETIMEDOUT"))
        );
    }
}
