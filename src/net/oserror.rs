//! OS error normalisation: every `io::Error` that came from a system call is reported with its
//! raw code, its POSIX name and the Winsock error a Windows client sees for the same condition
//! (ECONNRESET ↔ WSAECONNRESET 10054, ETIMEDOUT ↔ 10060, ECONNREFUSED ↔ 10061, ...), looked up
//! in the registry's table ([`crate::registry::os_errors`]).

use std::io;

use crate::model::OsError;
use crate::registry::{OsErrorInfo, os_error_by_errno, os_error_by_kind};

/// The [`OsError`] for an `io::Error`, when one can be named.
///
/// Errors raised by the OS are looked up by their raw code; errors synthesised by the runtime
/// (a deadline of ours expiring, a peer closing mid-write) are named by their kind, with the code
/// the OS uses for that condition.
pub fn os_error(err: &io::Error) -> Option<OsError> {
    #[cfg(target_os = "linux")]
    if let Some(code) = err.raw_os_error() {
        return Some(match os_error_by_errno(code) {
            Some(r) => to_model(r, code),
            None => OsError {
                code,
                name: format!("errno {code}"),
                windows_code: None,
                windows_name: None,
            },
        });
    }
    os_error_by_kind(err.kind()).map(|r| to_model(r, raw_code(r, err)))
}

/// The [`OsError`] of a deadline of ours expiring: what the OS reports for the same condition.
pub fn timed_out() -> OsError {
    let err = io::Error::from(io::ErrorKind::TimedOut);
    os_error(&err).unwrap_or(OsError {
        code: 0,
        name: "ETIMEDOUT".into(),
        windows_code: Some(10060),
        windows_name: Some("WSAETIMEDOUT".into()),
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

fn to_model(r: &OsErrorInfo, code: i32) -> OsError {
    OsError {
        code,
        name: r.name.to_string(),
        windows_code: r.windows_code,
        windows_name: r.windows_name.map(str::to_string),
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
        assert_eq!(o.windows_name.as_deref(), Some("WSAECONNRESET"));
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
        assert_eq!(timed_out().windows_code, Some(10060));
        assert_eq!(
            timed_out().to_string(),
            "ETIMEDOUT (Windows: WSAETIMEDOUT 10060)"
        );
    }
}
