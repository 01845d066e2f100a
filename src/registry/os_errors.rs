//! The OS socket errors a probe can meet, with their POSIX name, the Linux errno value and the
//! Winsock error a Windows client sees for the same condition (ECONNRESET ↔ WSAECONNRESET 10054,
//! ETIMEDOUT ↔ 10060, ECONNREFUSED ↔ 10061, ...).
//!
//! Plain data: `net` looks `io::Error`s up here, the knowledge base is cross-checked against it.
//! This module does not explain errors (that is `diagnose`'s `data/errors.toml`).

use std::io;

/// One row of the errno ↔ Winsock table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OsErrorInfo {
    /// POSIX name, e.g. `ECONNRESET`.
    pub name: &'static str,
    /// The Linux errno value.
    pub errno: i32,
    /// The Winsock code for the same condition, e.g. 10054.
    pub windows_code: Option<u32>,
    /// The Winsock name, e.g. `WSAECONNRESET`.
    pub windows_name: Option<&'static str>,
    /// The `io::ErrorKind` std gives this error, when it has a specific one.
    pub kind: Option<io::ErrorKind>,
}

macro_rules! rows {
    ($($errno:literal $name:literal $win:expr, $winname:expr, $kind:expr;)*) => {
        /// Every OS error the table names.
        pub static OS_ERRORS: &[OsErrorInfo] = &[$(OsErrorInfo {
            name: $name,
            errno: $errno,
            windows_code: $win,
            windows_name: $winname,
            kind: $kind,
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

/// The row of a Linux errno value.
pub fn os_error_by_errno(errno: i32) -> Option<&'static OsErrorInfo> {
    OS_ERRORS.iter().find(|r| r.errno == errno)
}

/// The first row std reports with this `io::ErrorKind`.
pub fn os_error_by_kind(kind: io::ErrorKind) -> Option<&'static OsErrorInfo> {
    OS_ERRORS.iter().find(|r| r.kind == Some(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(
            os_error_by_errno(104).map(|r| r.windows_code),
            Some(Some(10054))
        );
        assert_eq!(
            os_error_by_kind(io::ErrorKind::TimedOut).map(|r| r.name),
            Some("ETIMEDOUT")
        );
        assert_eq!(os_error_by_errno(9999), None);
    }

    #[test]
    fn names_and_errnos_are_unique() {
        for (i, a) in OS_ERRORS.iter().enumerate() {
            for b in &OS_ERRORS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.errno, b.errno);
            }
        }
    }
}
