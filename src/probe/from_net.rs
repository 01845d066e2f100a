//! Conversions from `net`'s own types into the report model: `net` sits below the model and
//! never names it, so the probes translate what it returns here, in one place.

use crate::model::{DnsError, DnsErrorKind, ErrorInfo, OsError, TcpOutcome};
use crate::net::{ConnectError, ConnectFailure, LookupError, LookupErrorKind, OsCode};

/// The report's [`OsError`] for a named OS error.
pub fn os_error(c: &OsCode) -> OsError {
    OsError {
        code: c.code,
        name: c.name.clone(),
        windows_code: c.windows_code,
        windows_name: c.windows_name.map(str::to_string),
    }
}

/// The [`OsError`] an `io::Error` carries, when it can be named.
pub fn io_os_error(e: &std::io::Error) -> Option<OsError> {
    crate::net::os_error(e).as_ref().map(os_error)
}

/// The [`OsError`] of a deadline of ours expiring.
pub fn timed_out() -> OsError {
    os_error(&crate::net::timed_out())
}

/// The report's [`TcpOutcome`] for a failed connect.
pub fn tcp_outcome(e: &ConnectError) -> TcpOutcome {
    match e.kind {
        ConnectFailure::Refused => TcpOutcome::Refused,
        ConnectFailure::Timeout => TcpOutcome::Timeout,
        ConnectFailure::Reset => TcpOutcome::Reset,
        ConnectFailure::Unreachable => TcpOutcome::Unreachable,
        ConnectFailure::Error => TcpOutcome::Error,
    }
}

/// A failed connect as report data: the message and the OS error behind it.
pub fn error_info(e: &ConnectError) -> ErrorInfo {
    ErrorInfo {
        message: e.message.clone(),
        os_error: e.os_error().as_ref().map(os_error),
    }
}

/// A failed lookup as report data.
pub fn dns_error(e: &LookupError) -> DnsError {
    DnsError {
        kind: match e.kind {
            LookupErrorKind::NoSuchHost => DnsErrorKind::NoSuchHost,
            LookupErrorKind::NoRecords => DnsErrorKind::NoRecords,
            LookupErrorKind::ServerFailure => DnsErrorKind::ServerFailure,
            LookupErrorKind::Refused => DnsErrorKind::Refused,
            LookupErrorKind::Timeout => DnsErrorKind::Timeout,
            LookupErrorKind::NoResolver => DnsErrorKind::NoResolver,
            LookupErrorKind::Other => DnsErrorKind::Other,
        },
        message: e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lookup_kind_keeps_its_json_spelling() {
        for (kind, json) in [
            (LookupErrorKind::NoSuchHost, "no_such_host"),
            (LookupErrorKind::NoRecords, "no_records"),
            (LookupErrorKind::ServerFailure, "server_failure"),
            (LookupErrorKind::Refused, "refused"),
            (LookupErrorKind::Timeout, "timeout"),
            (LookupErrorKind::NoResolver, "no_resolver"),
            (LookupErrorKind::Other, "other"),
        ] {
            let e = dns_error(&LookupError {
                kind,
                message: String::new(),
            });
            assert_eq!(serde_json::to_value(e.kind).ok(), Some(json.into()));
            assert_eq!(e.kind.to_string(), json);
        }
        let fm = DnsErrorKind::FamilyMismatch;
        assert_eq!(serde_json::to_value(fm).ok(), Some(fm.as_str().into()));
    }

    #[test]
    fn os_codes_carry_over() {
        let o = timed_out();
        assert_eq!(o.to_string(), "ETIMEDOUT (Windows: WSAETIMEDOUT 10060)");
        let reset = io_os_error(&std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert_eq!(reset.and_then(|o| o.windows_code), Some(10054));
    }
}
