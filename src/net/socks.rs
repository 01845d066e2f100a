//! SOCKS5 proxies (RFC 1928) with username/password authentication (RFC 1929), through the
//! `tokio-socks` crate: `socks5://` sends the address this machine resolved, `socks5h://` sends
//! the name for the proxy to resolve. The TCP connect to the proxy is ours (for the deadline and
//! the OS error); the SOCKS conversation is the crate's, and its errors are classified here into
//! [`ProxyFailure`]s with the reply code kept.
//!
//! This module does not speak SOCKS4 or GSSAPI authentication, and does not do UDP ASSOCIATE or
//! BIND.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio_socks::tcp::Socks5Stream;
use tokio_socks::{Error as SocksError, TargetAddr};

use super::proxy::{Proxy, ProxyFailure, open_to_proxy, proxy_error};
use super::tcp::{ConnectError, ConnectFailure, connect_failure, ms_since};
use crate::registry::socks::{UNASSIGNED_REPLY, reply_name};

/// Opens a SOCKS5 CONNECT to `host:port` through `proxy`. A name is sent as a name only when the
/// proxy resolves names (`socks5h://`); the caller passes an IP address otherwise.
pub async fn connect(
    proxy: &Proxy,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<(TcpStream, f64), ConnectError> {
    let start = Instant::now();
    let fail = |kind, message: String, source: Option<std::io::Error>, why: ProxyFailure| {
        proxy_error(start, kind, message, source, why)
    };
    let deadline = tokio::time::Instant::now() + timeout;
    let socket = open_to_proxy(proxy, "SOCKS proxy", start, deadline).await?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let target: TargetAddr<'_> = match bare.parse::<IpAddr>() {
        Ok(ip) => TargetAddr::Ip((ip, port).into()),
        Err(_) => TargetAddr::Domain(bare.into(), port),
    };
    let shown = if bare.contains(':') {
        format!("[{bare}]:{port}")
    } else {
        format!("{bare}:{port}")
    };
    let handshake = async {
        match &proxy.credentials {
            Some((user, pass)) => {
                Socks5Stream::connect_with_password_and_socket(socket, target, user, pass).await
            }
            None => Socks5Stream::connect_with_socket(socket, target).await,
        }
    };
    let result = match tokio::time::timeout_at(deadline, handshake).await {
        Ok(r) => r,
        Err(_) => {
            return Err(fail(
                ConnectFailure::Timeout,
                format!(
                    "the SOCKS proxy {} did not answer in time (CONNECT {shown})",
                    proxy.display()
                ),
                None,
                ProxyFailure::Timeout,
            ));
        }
    };
    match result {
        Ok(stream) => Ok((stream.into_inner(), ms_since(start))),
        Err(e) => {
            let (outcome, why, message, os) = classify(e);
            Err(fail(
                outcome,
                format!(
                    "the SOCKS proxy {} {message} (CONNECT {shown})",
                    proxy.display()
                ),
                os,
                why,
            ))
        }
    }
}

/// What a failed SOCKS conversation means: the connect failure, why, the words, the I/O error.
fn classify(e: SocksError) -> (ConnectFailure, ProxyFailure, String, Option<std::io::Error>) {
    let reply = |code: u8| {
        (
            ConnectFailure::Refused,
            ProxyFailure::SocksReply(code),
            format!("answered reply {code} ({})", reply_name(code)),
            None,
        )
    };
    let auth = |what: String| (ConnectFailure::Refused, ProxyFailure::SocksAuth, what, None);
    let protocol = |what: String| (ConnectFailure::Error, ProxyFailure::Protocol, what, None);
    match e {
        SocksError::GeneralSocksServerFailure => reply(1),
        SocksError::ConnectionNotAllowedByRuleset => reply(2),
        SocksError::NetworkUnreachable => reply(3),
        SocksError::HostUnreachable => reply(4),
        SocksError::ConnectionRefused => reply(5),
        SocksError::TtlExpired => reply(6),
        SocksError::CommandNotSupported => reply(7),
        SocksError::AddressTypeNotSupported => reply(8),
        SocksError::UnknownError => (
            ConnectFailure::Refused,
            ProxyFailure::SocksReply(UNASSIGNED_REPLY),
            "answered with a reply code RFC 1928 does not assign".into(),
            None,
        ),
        SocksError::NoAcceptableAuthMethods => auth(
            "accepts none of the offered authentication methods (no authentication, or username/password when credentials are given)".into(),
        ),
        SocksError::AuthorizationRequired => {
            auth("requires a username and password, and none were given".into())
        }
        SocksError::PasswordAuthFailure(status) => auth(format!(
            "rejected the username/password (RFC 1929 status {status})"
        )),
        SocksError::InvalidAuthValues(what) => {
            auth(format!("cannot take these credentials: {what}"))
        }
        SocksError::Io(io) => (
            connect_failure(&io),
            ProxyFailure::Protocol,
            format!("dropped the SOCKS handshake: {io}"),
            Some(io),
        ),
        SocksError::InvalidResponseVersion => {
            protocol("answered something that is not SOCKS5 (wrong version byte)".into())
        }
        SocksError::UnknownAuthMethod => {
            protocol("chose an authentication method that was not offered".into())
        }
        SocksError::InvalidReservedByte | SocksError::UnknownAddressType => {
            protocol("sent a malformed SOCKS5 reply".into())
        }
        other => protocol(format!("failed the SOCKS handshake: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_codes_are_named() {
        let (_, why, msg, _) = classify(SocksError::ConnectionNotAllowedByRuleset);
        assert_eq!(why, ProxyFailure::SocksReply(2));
        assert!(msg.contains("reply 2"));
        let (_, why, _, _) = classify(SocksError::PasswordAuthFailure(1));
        assert_eq!(why, ProxyFailure::SocksAuth);
    }
}
