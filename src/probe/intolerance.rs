//! Hello intolerance: servers and middleboxes that reset, close or ignore a ClientHello with
//! too many cipher suites (caps of 64 or 128 are common in old load balancers) or of a bad
//! length. When a version's full-size hello fails that way, the version is retried with
//! smaller hellos — the strongest 64, then 32 suites of the same list, all rungs at once so
//! the retry costs one round trip — before it is concluded unsupported.
//!
//! Reusable by any plan: [`needs_ladder`] says whether a failed probe deserves the retry,
//! [`ladder`] runs it through a caller-supplied `send` (so the caller keeps its own socket
//! cap, route and deadline), and [`mark`] records on the report which hello worked. The
//! padding rule of [`crate::wire::probe_hello`] (no hello of 256–511 bytes) holds for every
//! rung, since each is built by the same builder.

use std::future::Future;

use super::driver::Exchange;
use super::versions::{protocol_report, version_hello};
use crate::model::{HelloSize, Outcome, ProtocolReport, ProtocolVersion, RefusedHello};

/// Suite counts of the smaller hellos, largest first.
pub const RUNGS: [usize; 2] = [64, 32];

/// Whether an outcome is the kind an intolerant server produces (and not a clear refusal,
/// such as an alert, which a smaller hello would not change).
pub fn intolerance_symptom(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Reset | Outcome::Closed | Outcome::Timeout)
}

/// The size of the full-size hello a version probe sends first (`suites`, `bytes`).
pub fn hello_size(v: ProtocolVersion, sni: Option<&str>, batch: &[u16]) -> (usize, usize) {
    let bytes = version_hello(v, sni, batch).len();
    let scsv = usize::from(v == ProtocolVersion::Ssl3);
    (batch.len() + scsv, bytes)
}

/// Whether version `v`'s failed probe (`report`, sent as a hello of `size`) should be retried
/// with smaller hellos. `accepted` lists the hello sizes the same server accepted for other
/// versions: a server that took a hello at least as large and as long is not choking on size.
/// `server_speaks_tls` (some probe got a TLS answer) is required before retrying a timeout, so
/// that a silent host does not cost another timeout.
pub fn needs_ladder(
    report: &ProtocolReport,
    size: (usize, usize),
    accepted: &[(usize, usize)],
    server_speaks_tls: bool,
) -> bool {
    if report.version == ProtocolVersion::Ssl2 || !intolerance_symptom(report.outcome) {
        return false;
    }
    if report.outcome == Outcome::Timeout && !server_speaks_tls {
        return false;
    }
    if size.0 <= RUNGS[RUNGS.len() - 1] {
        return false;
    }
    !accepted.iter().any(|a| a.0 >= size.0 && a.1 >= size.1)
}

/// Retries `v` with the strongest [`RUNGS`] suites of `batch` (only rungs smaller than the
/// batch), concurrently through `send`; returns the largest rung the server accepted, with
/// its exchange and the rung's suite count, or `None` when every rung failed too.
pub async fn ladder<F, Fut>(
    v: ProtocolVersion,
    sni: Option<&str>,
    batch: &[u16],
    send: F,
) -> Option<(Exchange, usize, usize)>
where
    F: Fn(Vec<u8>) -> Fut,
    Fut: Future<Output = Exchange>,
{
    let rung = |n: usize| {
        (n < batch.len()).then(|| version_hello(v, sni, batch.get(..n).unwrap_or(batch)))
    };
    let (big, small) = (rung(RUNGS[0]), rung(RUNGS[1]));
    let sizes = [
        big.as_ref().map(Vec::len).unwrap_or(0),
        small.as_ref().map(Vec::len).unwrap_or(0),
    ];
    let try_rung = |h: Option<Vec<u8>>| {
        let fut = h.map(&send);
        async move {
            match fut {
                Some(f) => Some(f.await),
                None => None,
            }
        }
    };
    let (a, b) = tokio::join!(try_rung(big), try_rung(small));
    let scsv = usize::from(v == ProtocolVersion::Ssl3);
    for (i, ex) in [(0usize, a), (1, b)] {
        if let Some(ex) = ex
            && protocol_report(v, &ex).supported
        {
            return Some((ex, RUNGS[i] + scsv, sizes[i]));
        }
    }
    None
}

/// Records on an accepted report which hello worked and which one failed.
pub fn mark(
    report: &mut ProtocolReport,
    via: &'static str,
    worked: (usize, usize),
    refused: (usize, usize, Outcome),
) {
    report.hello = Some(HelloSize {
        suites: worked.0,
        bytes: worked.1,
        via,
        refused: RefusedHello {
            suites: refused.0,
            bytes: refused.1,
            outcome: refused.2,
        },
    });
    let first = format!(
        "the full-size hello ({} suites, {} bytes) got {}; ",
        refused.0,
        refused.1,
        refused.2.as_str()
    );
    let then = match via {
        "negotiation" => format!(
            "this version was reached by the negotiation hello / full handshake ({} suites, {} bytes)",
            worked.0, worked.1
        ),
        _ => format!(
            "accepted with a smaller hello ({} suites, {} bytes)",
            worked.0, worked.1
        ),
    };
    report.detail = Some(first + &then);
}

/// Notes on a report that stayed refused that smaller hellos were tried too.
pub fn note_tried(report: &mut ProtocolReport) {
    let tried = format!(
        "smaller hellos ({} and {} suites) got no ServerHello either",
        RUNGS[0], RUNGS[1]
    );
    report.detail = Some(match report.detail.take() {
        Some(d) => format!("{d}; {tried}"),
        None => tried,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_size_like_failures_are_retried() {
        let r = |o| ProtocolReport::new(ProtocolVersion::Tls12, o, 1.0);
        assert!(needs_ladder(&r(Outcome::Reset), (127, 600), &[], false));
        assert!(needs_ladder(&r(Outcome::Closed), (127, 600), &[], false));
        assert!(!needs_ladder(&r(Outcome::Timeout), (127, 600), &[], false));
        assert!(needs_ladder(&r(Outcome::Timeout), (127, 600), &[], true));
        assert!(!needs_ladder(&r(Outcome::Alert), (127, 600), &[], true));
        // A larger hello was accepted elsewhere: not a size problem.
        assert!(!needs_ladder(
            &r(Outcome::Reset),
            (100, 500),
            &[(127, 600)],
            true
        ));
        assert!(needs_ladder(
            &r(Outcome::Reset),
            (100, 500),
            &[(127, 400)],
            true
        ));
        // Too small to shrink.
        assert!(!needs_ladder(&r(Outcome::Reset), (20, 200), &[], true));
        let ssl2 = ProtocolReport::new(ProtocolVersion::Ssl2, Outcome::Reset, 1.0);
        assert!(!needs_ladder(&ssl2, (127, 600), &[], true));
    }

    #[test]
    fn rungs_keep_the_padding_rule() {
        let batch = super::super::versions::suite_batches(ProtocolVersion::Tls12)
            .into_iter()
            .next()
            .unwrap_or_default();
        for n in RUNGS {
            let h = version_hello(ProtocolVersion::Tls12, Some("example.test"), &batch[..n]);
            assert!(!(256..512).contains(&(h.len() - 5)), "{n}: {}", h.len());
        }
    }
}
