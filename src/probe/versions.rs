//! Per-version probes and the "real client" negotiation hello: which hello to send for each
//! version, and how each answer becomes a [`ProtocolReport`] outcome.

use crate::model::{Negotiated, Outcome, ProtocolReport, ProtocolVersion};
use crate::registry::{self, Kx, ProtocolVersion as V};
use crate::wire::{self, ClientHello, Extension, KeyExchangeKind, ServerKeyExchange};

use super::driver::{Ending, Exchange};
use super::hello::AnswerKind;

/// Most suites put in one hello: some servers and middleboxes fail on 128 or more.
pub const MAX_SUITES_PER_HELLO: usize = 127;

/// Whether a suite's key exchange is one a probe can complete without credentials.
fn offerable(kx: Kx) -> bool {
    !matches!(
        kx,
        Kx::Psk | Kx::DhePsk | Kx::EcdhePsk | Kx::RsaPsk | Kx::Krb5 | Kx::Srp | Kx::Eccpwd
    )
}

/// The cipher suites offered when probing one version: every suite valid at that version
/// whose key exchange needs no credentials, strongest first, in hellos of at most
/// [`MAX_SUITES_PER_HELLO`] suites. The first hello holds the suites real servers use; the
/// later ones (legacy, export, NULL, anonymous) are sent only when the server found no shared
/// suite in the earlier ones.
pub fn suite_batches(v: ProtocolVersion) -> Vec<Vec<u16>> {
    // Sorting the registry is most of a version probe's CPU: do it once per version.
    static BATCHES: std::sync::LazyLock<Vec<(ProtocolVersion, Vec<Vec<u16>>)>> =
        std::sync::LazyLock::new(|| {
            ProtocolVersion::ALL
                .iter()
                .map(|&v| (v, sorted_batches(v)))
                .collect()
        });
    BATCHES
        .iter()
        .find(|(w, _)| *w == v)
        .map_or_else(|| sorted_batches(v), |(_, b)| b.clone())
}

fn sorted_batches(v: ProtocolVersion) -> Vec<Vec<u16>> {
    let mut suites: Vec<&registry::SuiteInfo> = registry::suites_for(v)
        .filter(|s| offerable(s.kx))
        .collect();
    // Strongest first, then by key size; stable for equal ratings.
    suites.sort_by(|a, b| b.security.cmp(&a.security).then(b.bits.cmp(&a.bits)));
    let ids: Vec<u16> = suites.iter().map(|s| s.id).collect();
    ids.chunks(MAX_SUITES_PER_HELLO)
        .map(<[u16]>::to_vec)
        .collect()
}

/// [`suite_batches`], or the user's `--ciphers` (offered as given, in hellos of at most
/// [`MAX_SUITES_PER_HELLO`]) when there are some.
pub fn suite_batches_for(v: ProtocolVersion, user: Option<&[u16]>) -> Vec<Vec<u16>> {
    match user {
        Some(list) if v != V::Ssl2 => list
            .chunks(MAX_SUITES_PER_HELLO)
            .map(<[u16]>::to_vec)
            .collect(),
        _ => suite_batches(v),
    }
}

/// Replaces the groups a hello offers with the user's `--groups`: `supported_groups` gets
/// them all; in TLS 1.3 the key shares are the first two groups usable there (fewer if the
/// list has fewer), so the server may answer at once or ask for another with a
/// HelloRetryRequest.
pub fn apply_groups(hello: &mut ClientHello, groups: &[u16]) {
    let shares: Vec<u16> = groups
        .iter()
        .copied()
        .filter(|g| registry::group(*g).is_none_or(|i| i.tls13))
        .take(2)
        .collect();
    for ext in &mut hello.extensions {
        match ext {
            Extension::SupportedGroups(v) => *v = groups.to_vec(),
            Extension::KeyShare(v) => *v = shares.clone(),
            _ => {}
        }
    }
}

/// [`version_hello`] with the user's `--groups` applied (when given).
pub fn version_hello_with(
    v: ProtocolVersion,
    sni: Option<&str>,
    batch: &[u16],
    groups: Option<&[u16]>,
) -> Vec<u8> {
    if v == V::Ssl2 || v == V::Ssl3 {
        return version_hello(v, sni, batch);
    }
    let mut hello = wire::probe_hello(v.wire(), batch, sni);
    if let Some(g) = groups {
        apply_groups(&mut hello, g);
    }
    hello.encode()
}

/// Whether an answer says "no shared cipher suite" (so another batch of suites may help).
pub fn no_shared_suite(r: &ProtocolReport) -> bool {
    r.outcome == Outcome::Alert && matches!(r.alert_code, Some(40 | 71))
}

/// The hello bytes that probe one version and only that one, with batch `batch` of
/// [`suite_batches`].
pub fn version_hello(v: ProtocolVersion, sni: Option<&str>, batch: &[u16]) -> Vec<u8> {
    if v == V::Ssl2 {
        let kinds: Vec<u32> = registry::SSL2_CIPHERS.iter().map(|c| c.id).collect();
        return wire::sslv2_client_hello(&kinds, challenge());
    }
    let mut suites = batch.to_vec();
    if v == V::Ssl3 {
        // No extensions in SSL 3.0: signal secure renegotiation with the SCSV instead.
        suites.push(0x00FF);
    }
    wire::probe_hello(v.wire(), &suites, sni).encode()
}

/// The hello of a client that offers every version from SSL 3.0 to TLS 1.3 and a browser-like
/// suite list, with ALPN `h2`/`http/1.1`: the `modern` profile of `data/clients.toml`.
pub fn negotiation_hello(sni: Option<&str>) -> Vec<u8> {
    crate::clients::modern().client_hello(sni).encode()
}

/// The negotiation hello restricted to the user's offers: the `modern` profile with only
/// `versions` (SSL 3.0 to TLS 1.3; SSL 2.0 is ignored), `suites` instead of its suite list and
/// `groups` instead of its groups (TLS 1.3 key shares: the first two usable there).
pub fn negotiation_hello_with(
    sni: Option<&str>,
    versions: &[ProtocolVersion],
    suites: Option<&[u16]>,
    groups: Option<&[u16]>,
) -> Vec<u8> {
    let mut spec = crate::clients::modern().clone();
    let mut offered: Vec<ProtocolVersion> =
        versions.iter().copied().filter(|v| *v != V::Ssl2).collect();
    if offered.is_empty() {
        return negotiation_hello(sni);
    }
    offered.sort_unstable_by(|a, b| b.cmp(a));
    spec.versions = offered;
    if let Some(s) = suites {
        spec.suites = s.to_vec();
    }
    if let Some(g) = groups {
        spec.groups = g.to_vec();
        spec.key_shares = g
            .iter()
            .copied()
            .filter(|g| registry::group(*g).is_none_or(|i| i.tls13))
            .take(2)
            .collect();
    }
    spec.client_hello(sni).encode()
}

/// Which ServerKeyExchange format a suite uses.
pub fn kx_of(suite: u16) -> Option<KeyExchangeKind> {
    match registry::suite(suite).map(|s| s.kx) {
        Some(Kx::Ecdhe | Kx::EcdhePsk) => Some(KeyExchangeKind::Ecdhe),
        Some(Kx::Dhe | Kx::DhePsk) => Some(KeyExchangeKind::Dhe),
        _ => None,
    }
}

/// Turns one exchange into the report of the version it probed.
pub fn protocol_report(v: ProtocolVersion, ex: &Exchange) -> ProtocolReport {
    let ms = ex.answer_ms.unwrap_or(0.0);
    if let Err(e) = &ex.connect {
        let outcome = match e.kind {
            crate::net::ConnectFailure::Timeout => Outcome::Timeout,
            crate::net::ConnectFailure::Reset => Outcome::Reset,
            _ => Outcome::Refused,
        };
        let mut r = ProtocolReport::new(v, outcome, e.elapsed_ms);
        r.os_error = e.os_error().as_ref().map(super::from_net::os_error);
        r.detail = Some(format!("TCP connect failed: {}", e.message));
        return r;
    }
    let Some(flight) = &ex.flight else {
        return ProtocolReport::new(v, Outcome::Closed, ms);
    };
    match &flight.kind {
        AnswerKind::ServerHello => {
            let Some(sh) = &flight.server_hello else {
                return ProtocolReport::new(v, Outcome::Malformed, ms);
            };
            let answered = sh.version();
            let matches = answered == v.wire();
            let mut r = ProtocolReport::new(
                v,
                if matches {
                    Outcome::Accepted
                } else {
                    Outcome::WrongVersion
                },
                ms,
            );
            if matches {
                set_cipher(&mut r, sh.cipher_suite);
                r.group = group_of(sh.key_share_group, flight.server_key_exchange.as_ref());
                if sh.is_hello_retry_request {
                    r.detail = Some(format!(
                        "HelloRetryRequest: the server wants a key share for {}",
                        r.group.as_deref().unwrap_or("another group")
                    ));
                }
            } else {
                r.answered_version = Some(version_label(answered));
                r.detail = Some(format!(
                    "offered {} only; the server answered {}",
                    v.name(),
                    version_label(answered)
                ));
            }
            r
        }
        AnswerKind::Ssl2ServerHello => {
            if v == V::Ssl2 {
                let mut r = ProtocolReport::new(v, Outcome::Accepted, ms);
                if let Some(first) = flight.ssl2.as_ref().and_then(|h| h.cipher_kinds.first()) {
                    r.cipher = Some(
                        registry::ssl2_cipher(*first)
                            .map_or_else(|| format!("0x{first:06X}"), |c| c.name.to_string()),
                    );
                }
                r
            } else {
                let mut r = ProtocolReport::new(v, Outcome::Malformed, ms);
                r.detail = Some("the server answered with an SSL 2.0 server hello".into());
                r
            }
        }
        AnswerKind::Alert { level, description } => {
            let mut r = ProtocolReport::new(v, Outcome::Alert, ms);
            r.alert = Some(
                registry::alert_name(*description)
                    .map_or_else(|| format!("alert_{description}"), str::to_string),
            );
            r.alert_code = Some(*description);
            if *level == 1 {
                r.detail = Some("warning-level alert".into());
            }
            r
        }
        AnswerKind::NotTls(what) => {
            let mut r = ProtocolReport::new(v, Outcome::Malformed, ms);
            r.detail = Some(match &flight.greeting {
                Some((_, line)) => format!("the server answered with {what}: \"{line}\""),
                None => format!("the server answered with {what}"),
            });
            r
        }
        AnswerKind::Malformed(why) => {
            let mut r = ProtocolReport::new(v, Outcome::Malformed, ms);
            r.detail = Some(why.clone());
            r
        }
        AnswerKind::Closed | AnswerKind::Truncated { .. } => {
            let partial = match flight.kind {
                AnswerKind::Truncated { bytes } => Some(bytes),
                _ => None,
            };
            let mut r = match &ex.ending {
                Ending::Reset(os) => {
                    let mut r = ProtocolReport::new(v, Outcome::Reset, ms);
                    r.os_error = os.clone().or_else(reset_error);
                    r.detail = r
                        .os_error
                        .as_ref()
                        .map(|e| format!("connection reset by the server: {e}"));
                    r
                }
                Ending::Timeout => {
                    let mut r = ProtocolReport::new(v, Outcome::Timeout, ms);
                    r.os_error = Some(super::from_net::timed_out());
                    r.detail = Some("no answer before the timeout".into());
                    r
                }
                Ending::Io(msg, os) => {
                    let mut r = ProtocolReport::new(v, Outcome::Closed, ms);
                    r.os_error = os.clone();
                    r.detail = Some(msg.clone());
                    r
                }
                Ending::Normal => {
                    let mut r = ProtocolReport::new(v, Outcome::Closed, ms);
                    r.detail = Some("the server closed the connection without answering".into());
                    r
                }
            };
            if let Some(bytes) = partial {
                // Part of a record arrived: say so instead of "without answering".
                r.detail = Some(match r.outcome {
                    Outcome::Timeout => format!(
                        "no complete answer before the timeout: {bytes} bytes arrived, ending in the middle of a record"
                    ),
                    Outcome::Reset => format!(
                        "{} after {bytes} bytes, in the middle of a record",
                        r.detail.as_deref().unwrap_or("connection reset")
                    ),
                    _ => format!(
                        "the server closed the connection after {bytes} bytes, in the middle of a record"
                    ),
                });
            }
            r
        }
    }
}

/// What the negotiation hello got, when the server answered with a ServerHello.
pub fn negotiated_from(ex: &Exchange) -> Option<Negotiated> {
    let flight = ex.flight.as_ref()?;
    // A HelloRetryRequest only asks for another key share: nothing is negotiated yet.
    let sh = flight
        .server_hello
        .as_ref()
        .filter(|sh| !sh.is_hello_retry_request)?;
    let info = registry::suite(sh.cipher_suite);
    Some(Negotiated {
        version: V::from_wire(sh.version()),
        cipher: Some(registry::suite_name(sh.cipher_suite)),
        cipher_openssl: info.and_then(|s| s.openssl).map(str::to_string),
        group: group_of(sh.key_share_group, flight.server_key_exchange.as_ref()),
        alpn: sh
            .alpn
            .as_ref()
            .map(|a| String::from_utf8_lossy(a).into_owned()),
        handshake_ms: None,
        source: "raw",
    })
}

fn set_cipher(r: &mut ProtocolReport, suite: u16) {
    r.cipher = Some(registry::suite_name(suite));
    r.cipher_openssl = registry::suite(suite)
        .and_then(|s| s.openssl)
        .map(str::to_string);
}

fn group_of(key_share: Option<u16>, ske: Option<&ServerKeyExchange>) -> Option<String> {
    if let Some(g) = key_share {
        return Some(registry::group_name(g));
    }
    match ske? {
        ServerKeyExchange::Ecdhe { named_group, .. } => Some(registry::group_name(*named_group)),
        ServerKeyExchange::Dhe { prime_bits, .. } => Some(format!("DH {prime_bits} bits")),
    }
}

fn version_label(wire: u16) -> String {
    V::from_wire(wire).map_or_else(|| format!("0x{wire:04X}"), |v| v.name().to_string())
}

fn reset_error() -> Option<crate::model::OsError> {
    super::from_net::io_os_error(&std::io::Error::from(std::io::ErrorKind::ConnectionReset))
}

fn challenge() -> [u8; 16] {
    let mut c = [0u8; 16];
    wire::client_hello::fill_random(&mut c);
    c
}
