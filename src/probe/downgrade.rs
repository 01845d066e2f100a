//! Downgrade protection (RFC 7507) and secure renegotiation (RFC 5746), read from raw hellos.
//!
//! A client that retries with a lower maximum version after a failed handshake adds
//! TLS_FALLBACK_SCSV (0x5600) to the retry; a server that supports a higher version than the
//! retry offers must then refuse it with `inappropriate_fallback` (86). The probe sends that
//! retry once per endpoint — speculatively at TLS 1.2 alongside the version probes, or at the
//! second-highest accepted version afterwards when that is lower — and judges the answer.
//!
//! This module builds hellos and judges answers; the driver in [`super::check`] sends them.

use super::driver::Exchange;
use super::hello::AnswerKind;
use super::versions::{MAX_SUITES_PER_HELLO, protocol_report, suite_batches};
use crate::model::{Downgrade, Outcome, ProtocolReport, ProtocolVersion};
use crate::wire;

/// TLS_FALLBACK_SCSV (RFC 7507).
pub const TLS_FALLBACK_SCSV: u16 = 0x5600;

/// Alert inappropriate_fallback (86).
pub const ALERT_INAPPROPRIATE_FALLBACK: u8 = 86;

/// The version the speculative fallback hello offers: right for every server whose highest
/// version is TLS 1.3 (the common case), sent in parallel with the version probes.
pub const SPECULATIVE_FALLBACK: ProtocolVersion = ProtocolVersion::Tls12;

/// A hello offering at most `v` with TLS_FALLBACK_SCSV, as a client's downgraded retry: the
/// strongest suites of `v` (one slot left for the SCSV, so the hello stays within
/// [`MAX_SUITES_PER_HELLO`]).
///
/// `max_suites` (SCSV included) shrinks the hello for servers that only accepted a smaller
/// one (see [`super::intolerance`]); pass [`MAX_SUITES_PER_HELLO`] otherwise.
pub fn fallback_hello(v: ProtocolVersion, sni: Option<&str>, max_suites: usize) -> Vec<u8> {
    let mut suites: Vec<u16> = suite_batches(v)
        .into_iter()
        .next()
        .unwrap_or_default()
        .into_iter()
        .take(max_suites.clamp(2, MAX_SUITES_PER_HELLO) - 1)
        .collect();
    suites.push(TLS_FALLBACK_SCSV);
    wire::probe_hello(v.wire(), &suites, sni).encode()
}

/// The version a fallback hello must offer to test this endpoint: the highest accepted
/// version below the highest one (TLS 1.0 and up), or `None` when fewer than two are accepted.
pub fn fallback_offer(protocols: &[ProtocolReport]) -> Option<ProtocolVersion> {
    let mut accepted: Vec<ProtocolVersion> = protocols
        .iter()
        .filter(|p| p.supported && p.version >= ProtocolVersion::Tls10)
        .map(|p| p.version)
        .collect();
    accepted.sort();
    accepted.dedup();
    let n = accepted.len();
    (n >= 2).then(|| accepted[n - 2])
}

/// Why the endpoint could not be tested.
pub fn untestable(protocols: &[ProtocolReport]) -> Downgrade {
    let n = protocols
        .iter()
        .filter(|p| p.supported && p.version >= ProtocolVersion::Tls10)
        .count();
    Downgrade {
        fallback_scsv: None,
        offered: None,
        tls13_sentinel: false,
        detail: Some(if n == 0 {
            "not tested: no TLS version is accepted".into()
        } else {
            "not tested: only one TLS version is accepted, so there is nothing to fall back to"
                .into()
        }),
    }
}

/// Judges the answer to a fallback hello that offered at most `offered`.
pub fn judge(offered: ProtocolVersion, ex: &Exchange) -> Downgrade {
    let report = protocol_report(offered, ex);
    let mut d = Downgrade {
        fallback_scsv: None,
        offered: Some(offered),
        tls13_sentinel: false,
        detail: None,
    };
    match report.outcome {
        Outcome::Alert if report.alert_code == Some(ALERT_INAPPROPRIATE_FALLBACK) => {
            d.fallback_scsv = Some(true);
            d.detail = Some(format!(
                "a {} hello with TLS_FALLBACK_SCSV was refused with inappropriate_fallback (86)",
                offered.name()
            ));
        }
        Outcome::Accepted => {
            d.fallback_scsv = Some(false);
            let sentinel = ex
                .flight
                .as_ref()
                .and_then(|r| r.server_hello.as_ref())
                .is_some_and(|sh| sh.downgrade_sentinel().is_some());
            let mut text = format!(
                "a {} hello with TLS_FALLBACK_SCSV was accepted ({})",
                offered.name(),
                report.cipher.as_deref().unwrap_or("a ServerHello")
            );
            d.tls13_sentinel = sentinel;
            if sentinel {
                text.push_str(
                    "; its ServerHello carries the TLS 1.3 downgrade sentinel (RFC 8446), which protects TLS 1.3 clients only",
                );
            }
            d.detail = Some(text);
        }
        other => {
            let how = match (other, &report.alert) {
                (Outcome::Alert, Some(a)) => format!("alert {a}"),
                _ => other.as_str().to_string(),
            };
            d.detail = Some(format!(
                "undecided: the {} fallback hello got {how}",
                offered.name()
            ));
        }
    }
    d
}

/// Whether the highest TLS <= 1.2 ServerHello seen carried renegotiation_info (RFC 5746);
/// `None` when no such ServerHello was seen (e.g. a TLS 1.3-only server, where renegotiation
/// does not exist).
pub fn secure_renegotiation<'a>(
    per_version: impl DoubleEndedIterator<Item = (ProtocolVersion, &'a Exchange)>,
) -> Option<bool> {
    per_version
        .rev()
        .filter(|(v, _)| (ProtocolVersion::Ssl3..=ProtocolVersion::Tls12).contains(v))
        .filter_map(|(v, ex)| {
            let r = ex.flight.as_ref()?;
            let sh = r.server_hello.as_ref()?;
            (r.kind == AnswerKind::ServerHello && sh.version() == v.wire())
                .then_some(sh.renegotiation_info)
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(v: ProtocolVersion) -> ProtocolReport {
        ProtocolReport::new(v, Outcome::Accepted, 1.0)
    }

    #[test]
    fn offer_is_the_second_highest_tls_version() {
        use ProtocolVersion::*;
        let refused = |v| ProtocolReport::new(v, Outcome::Alert, 1.0);
        assert_eq!(
            fallback_offer(&[accepted(Tls12), accepted(Tls13)]),
            Some(Tls12)
        );
        assert_eq!(
            fallback_offer(&[
                accepted(Tls10),
                accepted(Tls11),
                refused(Tls12),
                refused(Tls13)
            ]),
            Some(Tls10)
        );
        assert_eq!(
            fallback_offer(&[accepted(Tls11), accepted(Tls13)]),
            Some(Tls11)
        );
        assert_eq!(fallback_offer(&[accepted(Tls13)]), None);
        assert_eq!(fallback_offer(&[accepted(Ssl3), accepted(Tls12)]), None);
    }

    #[test]
    fn fallback_hello_ends_with_the_scsv_and_stays_under_128_suites() {
        let h = fallback_hello(ProtocolVersion::Tls12, Some("a.test"), MAX_SUITES_PER_HELLO);
        let sid = usize::from(h[43]);
        let at = 44 + sid;
        let n = usize::from(u16::from_be_bytes([h[at], h[at + 1]])) / 2;
        assert!(n <= MAX_SUITES_PER_HELLO, "{n}");
        let last = u16::from_be_bytes([h[at + 2 * n], h[at + 2 * n + 1]]);
        assert_eq!(last, TLS_FALLBACK_SCSV);
    }
}
