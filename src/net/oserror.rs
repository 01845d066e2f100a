//! OS error normalisation: every `io::Error` that came from a system call is reported with its
//! raw code, its POSIX name and the Winsock error a Windows client sees for the same condition
//! (ECONNRESET ↔ WSAECONNRESET 10054, ETIMEDOUT ↔ 10060, ECONNREFUSED ↔ 10061, ...).

use std::io;

use crate::model::OsError;

/// One row of the errno ↔ Winsock table: (POSIX name, Winsock code, Winsock name, kind).
struct Row {
    name: &'static str,
    win_code: Option<u32>,
    win_name: Option<&'static str>,
    kind: Option<io::ErrorKind>,
    #[cfg(target_os = "linux")]
    errno: i32,
}

macro_rules! rows {
    ($($errno:literal $name:literal $win:expr, $winname:expr, $kind:expr;)*) => {
        static ROWS: &[Row] = &[$(Row {
            name: $name,
            win_code: $win,
            win_name: $winname,
            kind: $kind,
            #[cfg(target_os = "linux")]
            errno: $errno,
        },)*];
    };
}

// Linux errno values; the Winsock equivalents are those of winsock2.h.
rows! {
    104 "ECONNRESET" Some(10054), Some("WSAECONNRESET"), Some(io::ErrorKind::ConnectionReset);
    110 "ETIMEDOUT" Some(10060), Some("WSAETIMEDOUT"), Some(io::ErrorKind::TimedOut);
    111 "ECONNREFUSED" Some(10061), Some("WSAECONNREFUSED"), Some(io::ErrorKind::ConnectionRefused);
    113 "EHOSTUNREACH" Some(10065), Some("WSAEHOSTUNREACH"), Some(io::ErrorKind::HostUnreachable);
    101 "ENETUNREACH" Some(10051), Some("WSAENETUNREACH"), Some(io::ErrorKind::NetworkUnreachable);
    103 "ECONNABORTED" Some(10053), Some("WSAECONNABORTED"), Some(io::ErrorKind::ConnectionAborted);
    100 "ENETDOWN" Some(10050), Some("WSAENETDOWN"), Some(io::ErrorKind::NetworkDown);
    102 "ENETRESET" Some(10052), Some("WSAENETRESET"), None;
    112 "EHOSTDOWN" Some(10064), Some("WSAEHOSTDOWN"), None;
    32 "EPIPE" Some(10054), Some("WSAECONNRESET"), Some(io::ErrorKind::BrokenPipe);
    99 "EADDRNOTAVAIL" Some(10049), Some("WSAEADDRNOTAVAIL"), Some(io::ErrorKind::AddrNotAvailable);
    98 "EADDRINUSE" Some(10048), Some("WSAEADDRINUSE"), Some(io::ErrorKind::AddrInUse);
    97 "EAFNOSUPPORT" Some(10047), Some("WSAEAFNOSUPPORT"), None;
    24 "EMFILE" Some(10024), Some("WSAEMFILE"), None;
    105 "ENOBUFS" Some(10055), Some("WSAENOBUFS"), None;
    13 "EACCES" Some(10013), Some("WSAEACCES"), Some(io::ErrorKind::PermissionDenied);
    1 "EPERM" Some(10013), Some("WSAEACCES"), None;
    22 "EINVAL" Some(10022), Some("WSAEINVAL"), Some(io::ErrorKind::InvalidInput);
    107 "ENOTCONN" Some(10057), Some("WSAENOTCONN"), Some(io::ErrorKind::NotConnected);
    115 "EINPROGRESS" Some(10036), Some("WSAEINPROGRESS"), None;
    4 "EINTR" Some(10004), Some("WSAEINTR"), Some(io::ErrorKind::Interrupted);
}

/// The [`OsError`] for an `io::Error`, when one can be named.
///
/// Errors raised by the OS are looked up by their raw code; errors synthesised by the runtime
/// (a deadline of ours expiring, a peer closing mid-write) are named by their kind, with the code
/// the OS uses for that condition.
pub fn os_error(err: &io::Error) -> Option<OsError> {
    #[cfg(target_os = "linux")]
    if let Some(code) = err.raw_os_error() {
        let row = ROWS.iter().find(|r| r.errno == code);
        return Some(match row {
            Some(r) => to_model(r, code),
            None => OsError {
                code,
                name: format!("errno {code}"),
                windows_code: None,
                windows_name: None,
            },
        });
    }
    let kind = err.kind();
    ROWS.iter()
        .find(|r| r.kind == Some(kind))
        .map(|r| to_model(r, raw_code(r, err)))
}

/// Every OS error this module can name, with its Winsock twin (for cross-checks against the
/// knowledge base, which explains the same codes).
#[cfg(target_os = "linux")]
pub fn named_errors() -> Vec<OsError> {
    ROWS.iter().map(|r| to_model(r, r.errno)).collect()
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

fn raw_code(_row: &Row, err: &io::Error) -> i32 {
    #[cfg(target_os = "linux")]
    {
        err.raw_os_error().unwrap_or(_row.errno)
    }
    #[cfg(not(target_os = "linux"))]
    {
        err.raw_os_error().unwrap_or(0)
    }
}

fn to_model(r: &Row, code: i32) -> OsError {
    OsError {
        code,
        name: r.name.to_string(),
        windows_code: r.win_code,
        windows_name: r.win_name.map(str::to_string),
    }
}

/// A short human text for an OS error: `ECONNRESET (Windows: WSAECONNRESET 10054)`.
pub fn describe(e: &OsError) -> String {
    match (&e.windows_name, e.windows_code) {
        (Some(n), Some(c)) => format!("{} (Windows: {} {})", e.name, n, c),
        _ => e.name.clone(),
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
            describe(&timed_out()),
            "ETIMEDOUT (Windows: WSAETIMEDOUT 10060)"
        );
    }
}
