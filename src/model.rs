//! Plain data that flows between the layers: what the probes observed, what diagnosis concluded,
//! and what the reports print. These types *are* the `tlsprobe/v1` JSON schema (see
//! `schema/tlsprobe-v1.json`); renaming a field is a breaking change.
//!
//! This module holds no logic beyond small constructors and accessors: probing lives in
//! [`crate::probe`], diagnosis in [`crate::diagnose`], formatting in [`crate::report`].

use serde::Serialize;

pub use crate::registry::ProtocolVersion;

/// Schema identifier written at the top of every JSON document. The document itself
/// (`schema`, `tool_version`, `command`, `started_at`, `targets`, `errors`, `duration_ms`) is
/// streamed target by target by [`crate::report::RunWriter`], so it has no type of its own.
pub const SCHEMA: &str = "tlsprobe/v1";

/// Everything learned about one target (one `host:port` of the command line).
#[derive(Debug, Clone, Serialize)]
pub struct TargetReport {
    /// What was asked for.
    pub target: TargetInfo,
    /// Name resolution.
    pub dns: DnsReport,
    /// One entry per IP address probed.
    pub endpoints: Vec<EndpointReport>,
    /// Diagnosis: what is wrong, why, and how to fix it.
    pub findings: Vec<Finding>,
    /// Worst severity among the findings (`ok` when there are none above info).
    pub status: Status,
    /// Wall time spent on this target in milliseconds.
    pub duration_ms: f64,
    /// Internal errors that cut this target's probe short (status `unknown`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProbeError>,
    /// `azure-backup` only: the catalogue entry and its readiness (flattened into the target).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub azure_backup: Option<AzureBackupTarget>,
}

/// An internal failure while probing a target: a bug, never something the server did.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeError {
    /// `panic` (a probe task panicked) or `internal`.
    pub kind: String,
    /// What failed, in words.
    pub message: String,
    /// The address being probed when it happened, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

/// What `azure-backup` adds to a target: its catalogue entry and its readiness.
#[derive(Debug, Clone, Serialize)]
pub struct AzureBackupTarget {
    /// `ready`, `at_risk` or `blocked`.
    pub readiness: Readiness,
    /// Why: the finding that decided, in words.
    pub readiness_reason: String,
    /// The finding ID that decided, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness_finding: Option<String>,
    /// The catalogue entry.
    pub catalogue: CatalogueInfo,
}

/// Whether Azure Backup can use an endpoint over this path.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// TLS 1.2 or later negotiates, the chain is trusted and not intercepted.
    Ready,
    /// Works, but a warning applies (legacy versions, expiring certificate, interception by a
    /// trusted device, ...).
    AtRisk,
    /// Unreachable, no TLS 1.2, or an untrusted chain.
    Blocked,
}

impl Readiness {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Readiness::Ready => "ready",
            Readiness::AtRisk => "at_risk",
            Readiness::Blocked => "blocked",
        }
    }
}

/// A target's catalogue entry, as written to JSON.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueInfo {
    /// What the components use the endpoint for.
    pub purpose: String,
    /// Components that need it (`mars`, `mabs`, `vm`, `workload`).
    pub components: Vec<String>,
    /// `public`, `usgov` or `china`.
    pub cloud: String,
    /// The documented wildcard the host stands in for.
    pub representative_of: Option<String>,
    /// Roots the chain is expected to lead to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expected_issuers: Vec<String>,
    /// Where the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The document-level readiness summary of an `azure-backup` run.
#[derive(Debug, Clone, Serialize)]
pub struct ReadinessSummary {
    /// Worst readiness of any endpoint.
    pub overall: Readiness,
    /// The cloud probed.
    pub cloud: String,
    /// `built-in` or the catalogue file given.
    pub catalogue: String,
    /// Components selected (empty = all).
    pub components: Vec<String>,
    /// Endpoints per readiness.
    pub ready: usize,
    /// Endpoints at risk.
    pub at_risk: usize,
    /// Endpoints blocked.
    pub blocked: usize,
    /// Per purpose, in catalogue order.
    pub purposes: Vec<PurposeSummary>,
    /// Notes on the run (e.g. a proxy that resolves names, so per-address results are missing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Readiness of one purpose: the worst of its endpoints.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeSummary {
    /// The purpose.
    pub purpose: String,
    /// Worst readiness of its endpoints.
    pub readiness: Readiness,
    /// Components that use it.
    pub components: Vec<String>,
    /// Its endpoints, each `host:port` with its readiness.
    pub endpoints: Vec<PurposeEndpoint>,
}

/// One endpoint line of a purpose summary.
#[derive(Debug, Clone, Serialize)]
pub struct PurposeEndpoint {
    /// `host:port`.
    pub endpoint: String,
    /// Its readiness.
    pub readiness: Readiness,
    /// Why.
    pub reason: String,
}

/// The target as given and as understood.
#[derive(Debug, Clone, Serialize)]
pub struct TargetInfo {
    /// The text the user gave (a line of a targets file, an argument, a URL).
    pub input: String,
    /// Host name or IP literal (without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Server name sent in the SNI extension; `null` when none is sent.
    pub sni: Option<String>,
    /// Address used instead of DNS (`--connect-to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_to: Option<String>,
}

/// Result of name resolution for one target.
#[derive(Debug, Clone, Serialize)]
pub struct DnsReport {
    /// Every address found (A and AAAA), as text; empty when a proxy resolves the name.
    pub addresses: Vec<String>,
    /// Time spent resolving, in milliseconds (0 for literals).
    pub duration_ms: f64,
    /// Where the addresses came from.
    pub source: DnsSource,
    /// Why resolution failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<DnsError>,
}

/// Where a target's addresses came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DnsSource {
    /// The target was an IP literal.
    Literal,
    /// `--connect-to` supplied the address.
    ConnectTo,
    /// The system resolver configuration (including /etc/hosts).
    Resolver,
    /// Not resolved here: the HTTP proxy resolves the name.
    Proxy,
}

/// A classified name-resolution failure.
#[derive(Debug, Clone, Serialize)]
pub struct DnsError {
    /// Stable kind.
    pub kind: DnsErrorKind,
    /// Human-readable detail.
    pub message: String,
}

/// Why a name did not resolve; serialised as `no_such_host`, `no_records`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DnsErrorKind {
    /// NXDOMAIN: the name does not exist.
    NoSuchHost,
    /// The name exists but has no A or AAAA record.
    NoRecords,
    /// The DNS server answered with an error code.
    ServerFailure,
    /// The DNS server refused the query.
    Refused,
    /// No answer in time (or the `--deadline` passed while resolving).
    Timeout,
    /// No DNS server is configured or reachable.
    NoResolver,
    /// An IP literal excluded by `-4`/`-6`.
    FamilyMismatch,
    /// An address is in a network on the `serve --deny` list: nothing was probed.
    Denied,
    /// Anything else the resolver reported.
    Other,
}

impl DnsErrorKind {
    /// The JSON spelling, e.g. `no_such_host`.
    pub fn as_str(self) -> &'static str {
        match self {
            DnsErrorKind::NoSuchHost => "no_such_host",
            DnsErrorKind::NoRecords => "no_records",
            DnsErrorKind::ServerFailure => "server_failure",
            DnsErrorKind::Refused => "refused",
            DnsErrorKind::Timeout => "timeout",
            DnsErrorKind::NoResolver => "no_resolver",
            DnsErrorKind::FamilyMismatch => "family_mismatch",
            DnsErrorKind::Denied => "denied",
            DnsErrorKind::Other => "other",
        }
    }
}

impl std::fmt::Display for DnsErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One IP address of a target and everything probed on it.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointReport {
    /// The address, without brackets or port (the host name when probed through a proxy).
    pub ip: String,
    /// The HTTP proxy the probes went through, and what it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyReport>,
    /// TCP reachability.
    pub tcp: TcpReport,
    /// One entry per protocol version probed, oldest first.
    pub protocols: Vec<ProtocolReport>,
    /// Highest version with outcome `accepted`.
    pub highest_version: Option<ProtocolVersion>,
    /// What a real client offering every version got.
    pub negotiated: Option<Negotiated>,
    /// The server's certificate chain and its verification.
    pub certificate: Option<CertificateReport>,
    /// Whether the server asked for a client certificate (seen in a TLS <= 1.2 flight).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub client_certificate_requested: bool,
    /// Why the full handshake (TLS 1.2/1.3, rustls) failed, when TCP connected but it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handshake_error: Option<ErrorInfo>,
    /// What the simulated client got (`simulate --client`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationReport>,
    /// What each simulated client got (`simulate --all-clients`), one per profile.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub simulations: Vec<SimulationReport>,
    /// How long each phase took.
    pub timing: Timing,
    /// How `scan` went about this endpoint (scan only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanSummary>,
    /// Downgrade protection (RFC 7507), tested when two or more versions are accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downgrade: Option<Downgrade>,
    /// Whether the server sent renegotiation_info (RFC 5746) in its TLS <= 1.2 ServerHello;
    /// `null` when no TLS <= 1.2 ServerHello was seen.
    pub secure_renegotiation: Option<bool>,
    /// A plaintext service (SMTP, FTP, POP3, IMAP, SSH) that spoke instead of TLS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaintext: Option<PlaintextService>,
    /// With `--repeat N` (N > 1): what each round saw, to spot backends that disagree.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
}

/// A service that greets in clear text where TLS was expected.
#[derive(Debug, Clone, Serialize)]
pub struct PlaintextService {
    /// `SMTP`, `FTP`, `POP3`, `IMAP` or `SSH`.
    pub protocol: String,
    /// Its first line, trimmed, non-printable bytes escaped, at most 160 characters.
    pub first_line: String,
}

/// The result of the TLS_FALLBACK_SCSV probe.
#[derive(Debug, Clone, Serialize)]
pub struct Downgrade {
    /// `true`: the server refused a fallback hello with `inappropriate_fallback` (86);
    /// `false`: it accepted the lower version; `null`: not testable (one version accepted, or
    /// no decisive answer).
    pub fallback_scsv: Option<bool>,
    /// The version the fallback hello offered as its maximum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered: Option<ProtocolVersion>,
    /// The accepted fallback's ServerHello carried the TLS 1.3 downgrade sentinel (RFC 8446
    /// §4.1.3), which protects TLS 1.3 clients that check it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tls13_sentinel: bool,
    /// What the server answered, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What one round of probes on one address saw: the fields compared across rounds
/// (`--repeat`) and across addresses (`addresses-inconsistent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    /// Versions accepted, oldest first.
    pub accepted: Vec<ProtocolVersion>,
    /// Highest accepted version.
    pub highest_version: Option<ProtocolVersion>,
    /// IANA name of the suite the negotiation chose.
    pub cipher: Option<String>,
    /// SHA-256 of the leaf certificate, lowercase hex.
    pub leaf_sha256: Option<String>,
}

impl Sample {
    /// What `ep` saw, in the compared fields.
    pub fn of(ep: &EndpointReport) -> Sample {
        let accepted: Vec<ProtocolVersion> = ep
            .protocols
            .iter()
            .filter(|p| p.supported)
            .map(|p| p.version)
            .collect();
        Sample {
            highest_version: ep.highest_version,
            accepted,
            cipher: ep.negotiated.as_ref().and_then(|n| n.cipher.clone()),
            leaf_sha256: ep
                .certificate
                .as_ref()
                .and_then(|c| c.chain.first())
                .map(|c| c.sha256.clone()),
        }
    }
}

/// The hello that got a version accepted after the full-size one failed (see the
/// `hello-intolerance` finding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HelloSize {
    /// Cipher suites offered (signalling values included).
    pub suites: usize,
    /// Bytes of the ClientHello record.
    pub bytes: usize,
    /// `smaller_hello` (a retry with fewer suites) or `negotiation` (only the negotiation
    /// hello or the full handshake reached this version).
    pub via: &'static str,
    /// The full-size hello that failed.
    pub refused: RefusedHello,
}

/// The full-size hello a version probe sent first, and how it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedHello {
    /// Cipher suites offered.
    pub suites: usize,
    /// Bytes of the ClientHello record.
    pub bytes: usize,
    /// `reset`, `closed` or `timeout`.
    pub outcome: Outcome,
}

/// The plan `scan` chose for one endpoint and what it cost.
#[derive(Debug, Clone, Serialize)]
pub struct ScanSummary {
    /// `sequential` (fast path: one elimination per registry chunk, fewest connections) or
    /// `parallel` (slow path, RTT above 30 ms: groups and signature schemes start right after
    /// the first wave, membership tested in parallel and suite runs split, under the per-host
    /// cap).
    pub plan: &'static str,
    /// Round-trip time measured on the first hellos, in milliseconds.
    pub rtt_ms: Option<f64>,
    /// TCP connections the scan of this endpoint opened.
    pub connections: usize,
    /// The per-host connection cap in force.
    pub max_conns_per_host: usize,
}

/// The proxy (HTTP CONNECT or SOCKS5) of an endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct ProxyReport {
    /// `http://host:port`, `socks5://host:port` or `socks5h://host:port` (credentials left out).
    pub url: String,
    /// `connected`, `auth_required` (407), `refused` (another non-2xx answer), `unreachable`,
    /// `timeout`, `error` (an answer that is not HTTP).
    pub outcome: String,
    /// HTTP status of the CONNECT answer when it was not 2xx.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// SOCKS5 reply code (RFC 1928) when a SOCKS proxy refused the CONNECT (255: a code the RFC
    /// does not assign).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub socks_reply: Option<u8>,
    /// What happened, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// TCP connection result for an endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct TcpReport {
    /// `connected`, `refused`, `timeout`, `reset`, `unreachable`, `error`.
    pub outcome: TcpOutcome,
    /// Time to establish the connection, in milliseconds.
    pub connect_ms: Option<f64>,
    /// The failure, when there was one.
    pub error: Option<ErrorInfo>,
}

/// Classified TCP connect result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TcpOutcome {
    /// The three-way handshake completed.
    Connected,
    /// The host answered with a RST (nothing listens on the port, or a firewall rejects).
    Refused,
    /// No answer within the timeout (a firewall dropping packets, or a dead host).
    Timeout,
    /// The connection was reset while being established.
    Reset,
    /// No route to the host or the network.
    Unreachable,
    /// Any other local or remote error.
    Error,
}

/// A failure with the raw OS error kept.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// Human-readable message.
    pub message: String,
    /// The operating-system error, when the failure came from a system call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_error: Option<OsError>,
}

/// An operating-system error code with its POSIX name and Windows (Winsock) equivalent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsError {
    /// Raw errno value on this system.
    pub code: i32,
    /// POSIX name, e.g. `ECONNRESET`.
    pub name: String,
    /// Winsock error a Windows client sees for the same condition, e.g. 10054.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_code: Option<u32>,
    /// Winsock name, e.g. `WSAECONNRESET`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows_name: Option<String>,
}

impl std::fmt::Display for OsError {
    /// A short text: `ECONNRESET (Windows: WSAECONNRESET 10054)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.windows_name, self.windows_code) {
            (Some(n), Some(c)) => write!(f, "{} (Windows: {} {})", self.name, n, c),
            _ => f.write_str(&self.name),
        }
    }
}

/// What one protocol-version probe saw.
#[derive(Debug, Clone, Serialize)]
pub struct ProtocolReport {
    /// The version offered (and only that one).
    pub version: ProtocolVersion,
    /// True exactly when `outcome` is `accepted`.
    pub supported: bool,
    /// How the server answered.
    pub outcome: Outcome,
    /// Alert description name when `outcome` is `alert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// Alert description number when `outcome` is `alert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_code: Option<u8>,
    /// IANA name of the suite the server chose from the default offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher: Option<String>,
    /// OpenSSL name of that suite, where OpenSSL has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher_openssl: Option<String>,
    /// Every suite accepted at this version, in the server's order when it has one (scan only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ciphers: Option<Vec<String>>,
    /// Whether the server imposes its own suite order (scan only; `null` when undecidable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_preference: Option<Option<bool>>,
    /// Key-exchange groups accepted at this version (scan only), in the server's order when
    /// `groups_server_preference` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
    /// Whether the server imposes its own group order (scan only; TLS 1.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups_server_preference: Option<bool>,
    /// Signature schemes the server accepted or used at this version (scan only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature_algorithms: Option<Vec<String>>,
    /// Whether the server prefers ChaCha20-Poly1305 when the client lists it first, over its
    /// own order (scan only; `null` when there was nothing to test).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chacha20_priority: Option<bool>,
    /// Size in bits of the finite-field DH prime of the DHE suites (scan only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dh_bits: Option<u16>,
    /// Suites the server picked that the hello did not offer (scan only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unoffered_suites: Option<Vec<String>>,
    /// Key-exchange group seen in this probe (TLS 1.3 key share, or the TLS 1.2 ECDHE curve).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The version the server answered with, when it differs from the one offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_version: Option<String>,
    /// What kind of non-TLS answer, or other detail worth showing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The OS error behind `reset`, `refused` or `timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_error: Option<OsError>,
    /// Time from sending the hello to the decisive answer, in milliseconds.
    pub duration_ms: f64,
    /// The hello this outcome came from, when the full-size hello failed and a smaller one
    /// was tried (hello intolerance); absent when the first hello decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hello: Option<HelloSize>,
    /// Set when the probe showed that this refusal is about the missing SNI: the same hello
    /// naming the host was answered (not serialised; `detail` says it in words).
    #[serde(skip)]
    pub sni_required: bool,
}

impl ProtocolReport {
    /// A report with only the outcome filled in.
    pub fn new(version: ProtocolVersion, outcome: Outcome, duration_ms: f64) -> Self {
        ProtocolReport {
            version,
            supported: outcome == Outcome::Accepted,
            outcome,
            alert: None,
            alert_code: None,
            cipher: None,
            cipher_openssl: None,
            ciphers: None,
            server_preference: None,
            groups: None,
            groups_server_preference: None,
            signature_algorithms: None,
            chacha20_priority: None,
            dh_bits: None,
            unoffered_suites: None,
            group: None,
            answered_version: None,
            detail: None,
            os_error: None,
            duration_ms,
            hello: None,
            sni_required: false,
        }
    }
}

/// Exactly one of these describes how a server answered a ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A ServerHello at the offered version.
    Accepted,
    /// A TLS alert (see `alert`).
    Alert,
    /// The connection was reset (ECONNRESET; Windows error 10054).
    Reset,
    /// An orderly close (FIN) without any answer.
    Closed,
    /// No decisive answer within the timeout.
    Timeout,
    /// An answer that is not TLS (HTTP, SSH, garbage, SSLv2 to a TLS hello...).
    Malformed,
    /// The TCP connection was refused.
    Refused,
    /// A ServerHello for a version other than the one offered.
    WrongVersion,
}

impl Outcome {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Alert => "alert",
            Outcome::Reset => "reset",
            Outcome::Closed => "closed",
            Outcome::Timeout => "timeout",
            Outcome::Malformed => "malformed",
            Outcome::Refused => "refused",
            Outcome::WrongVersion => "wrong_version",
        }
    }
}

/// What a client offering everything negotiated.
#[derive(Debug, Clone, Serialize)]
pub struct Negotiated {
    /// Version chosen by the server.
    pub version: Option<ProtocolVersion>,
    /// IANA name of the suite chosen.
    pub cipher: Option<String>,
    /// OpenSSL name of the suite chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher_openssl: Option<String>,
    /// Key-exchange group.
    pub group: Option<String>,
    /// ALPN protocol agreed.
    pub alpn: Option<String>,
    /// Time for the full handshake, in milliseconds (when one was completed).
    pub handshake_ms: Option<f64>,
    /// `rustls` when a full handshake completed, `raw` when read from a ServerHello only.
    pub source: &'static str,
}

/// Time spent in each phase for one endpoint, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timing {
    /// Name resolution (shared by the target's endpoints).
    pub dns_ms: f64,
    /// TCP three-way handshake.
    pub connect_ms: Option<f64>,
    /// From sending the ClientHello to receiving the ServerHello.
    pub server_hello_ms: Option<f64>,
    /// From sending the ClientHello to a completed handshake.
    pub tls_handshake_ms: Option<f64>,
}

/// The certificate chain an endpoint presented and what verification concluded.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateReport {
    /// Certificates as sent, leaf first.
    pub chain: Vec<CertInfo>,
    /// Whether the chain verifies against the trust store (`null` when not checked).
    pub trusted: Option<bool>,
    /// Stable code of the first trust problem: `expired`, `not_yet_valid`, `unknown_issuer`,
    /// `self_signed`, `name_mismatch`, `bad_signature`, `unsupported_algorithm`, `revoked`,
    /// `invalid_purpose`, `other`.
    pub trust_error: Option<String>,
    /// Verifier's own message for `trust_error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_detail: Option<String>,
    /// Whether the leaf is valid for the name that was asked for.
    pub hostname_match: Option<bool>,
    /// Whole days until the leaf expires (negative when expired).
    pub days_left: Option<i64>,
    /// Whole days until the first certificate of the chain expires.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_days_left: Option<i64>,
    /// Whether the server stapled an OCSP response.
    pub ocsp_stapled: bool,
    /// Whether a TLS-inspecting middlebox re-signed the chain (`null` when undecidable).
    pub intercepted: Option<bool>,
    /// Why `intercepted` has its value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interception_evidence: Vec<String>,
    /// `rustls` (full handshake) or `raw` (plaintext Certificate of a TLS ≤ 1.2 probe).
    pub source: &'static str,
    /// What the probe observed beyond the fields above: the input from which `diagnose` words
    /// `trust_detail` and judges `intercepted` (not serialised).
    #[serde(skip)]
    pub observed: ChainObservation,
}

/// What a certificate probe observed for `diagnose`: why verification failed, and where the
/// chain leads per set of trust anchors (validity times and the name ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainObservation {
    /// The name the chain was checked for: the SNI name, or the IP address without one.
    pub name: String,
    /// Whether that name was sent as SNI.
    pub sni_sent: bool,
    /// Names of the roots the run expected the chain to end in (substrings of an issuer name,
    /// matched without regard to case), e.g. a service catalogue's; empty without expectation.
    pub expected_roots: Vec<String>,
    /// Why the chain was not trusted, or not verified (`None` when it was trusted).
    pub problem: Option<TrustProblem>,
    /// Per certificate of `chain`: whether it could be decoded.
    pub decoded: Vec<bool>,
    /// Whether the chain leads to a public root (`webpki-roots`); `None` when not checked.
    pub public: Option<bool>,
    /// Whether it leads to a `--ca-file` root; `None` without `--ca-file`.
    pub ca_file: Option<bool>,
    /// Whether it leads to a root of the system CA bundle; `None` when none was loaded.
    pub system: Option<bool>,
}

/// Why a chain was not trusted or not verified, with the facts `trust_detail` is worded from.
/// Certificates are named by their index in `chain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustProblem {
    /// The server sent no certificate.
    NoCertificate,
    /// The name is neither a DNS name nor an IP address, so nothing was verified.
    UnverifiableName,
    /// These certificates were past their end of validity (`verifier`: the verifier's message).
    Expired {
        /// Indices of the expired certificates.
        certs: Vec<usize>,
        /// The verifier's own message, for when no certificate could be named.
        verifier: String,
    },
    /// These certificates were not valid yet.
    NotYetValid {
        /// Indices of the certificates not valid yet.
        certs: Vec<usize>,
        /// The verifier's own message, for when no certificate could be named.
        verifier: String,
    },
    /// The leaf signed itself and is not a trust anchor.
    SelfSignedLeaf,
    /// A self-signed CA certificate used as the server certificate.
    SelfSignedCaLeaf,
    /// The last certificate's issuer was not sent and is not trusted (or it is an untrusted root).
    UnknownIssuer,
    /// The leaf is not valid for the name.
    NameMismatch,
    /// A certificate uses a signature algorithm the verifier does not accept.
    UnsupportedAlgorithm,
    /// The certificate has an X.509 version the verifier does not accept.
    UnsupportedVersion,
    /// The leaf is a CA certificate.
    CaAsLeaf,
    /// A certificate without CA rights issued another one.
    EndEntityAsCa,
    /// Anything else: the verifier's own message.
    Verifier(String),
}

/// One certificate of a chain.
#[derive(Debug, Clone, Serialize)]
pub struct CertInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Subject alternative names (DNS names and IP addresses).
    pub sans: Vec<String>,
    /// Serial number, hex with colons.
    pub serial: String,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// Key type and size, e.g. `RSA 2048`, `EC P-256`, `Ed25519`.
    pub key: String,
    /// Key size in bits.
    pub key_bits: u32,
    /// Signature algorithm, e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// SHA-256 fingerprint of the DER, lowercase hex.
    pub sha256: String,
    /// Whether the certificate is a CA (basicConstraints).
    pub is_ca: bool,
    /// Whether subject equals issuer.
    pub self_issued: bool,
}

/// Severity of a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing, nothing to fix.
    Info,
    /// Works today, but should be fixed.
    Warning,
    /// Broken, or about to break.
    Critical,
}

/// Overall state of a target, from its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No warning or critical finding.
    Ok,
    /// At least one warning, no critical finding.
    Warning,
    /// At least one critical finding.
    Critical,
    /// The probe could not finish (an internal error; see `errors`): whatever was found is
    /// incomplete. Outranks every other status: a run with an unknown target exits 3.
    Unknown,
}

impl Status {
    /// Worst status implied by a set of findings.
    pub fn from_findings(findings: &[Finding]) -> Status {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Critical) => Status::Critical,
            Some(Severity::Warning) => Status::Warning,
            _ => Status::Ok,
        }
    }

    /// Monitoring-plugin exit code: 0 ok, 1 warning, 2 critical, 3 unknown.
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Ok => 0,
            Status::Warning => 1,
            Status::Critical => 2,
            Status::Unknown => 3,
        }
    }
}

/// A diagnosis: what is wrong, the documented causes and the exact fix.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable identifier (never renamed once released), e.g. `legacy-hello-reset`.
    pub id: String,
    /// How bad it is.
    pub severity: Severity,
    /// One line saying what was observed.
    pub summary: String,
    /// Possible causes, most likely first, with how to tell them apart.
    pub causes: Vec<String>,
    /// What to change, in order.
    pub remediation: Vec<String>,
    /// Public documentation.
    pub references: Vec<String>,
    /// The endpoint addresses this finding applies to (empty = the whole target).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// The observations that support it, e.g. `TLS1.0: reset (ECONNRESET / WSAECONNRESET 10054)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// What a client offered in a simulation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Offered {
    /// Versions offered, highest first.
    pub versions: Vec<ProtocolVersion>,
    /// Cipher suites (IANA names) in the client's order.
    pub ciphers: Vec<String>,
    /// supported_groups, in order.
    pub groups: Vec<String>,
}

/// What one simulated client got from one endpoint (`simulate`).
#[derive(Debug, Clone, Serialize)]
pub struct SimulationReport {
    /// Profile name (`win2008r2`, `win2012r2+dotnet`, or a registry export's profile).
    pub client: String,
    /// What its hello offered.
    pub offered: Offered,
    /// How the server answered, spelled like the protocol outcomes.
    pub outcome: Outcome,
    /// Negotiated version when `accepted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<ProtocolVersion>,
    /// Negotiated suite (IANA) when `accepted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher: Option<String>,
    /// OpenSSL name of that suite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cipher_openssl: Option<String>,
    /// Key-exchange group seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Alert name when `outcome` is `alert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// Alert number when `outcome` is `alert`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert_code: Option<u8>,
    /// The OS error behind `reset`, `refused` or `timeout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_error: Option<OsError>,
    /// What the Windows client reports for this outcome (Winsock, Schannel, WinHTTP, events).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub windows_errors: Vec<String>,
    /// More detail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// From the hello to the decisive answer, in ms.
    pub duration_ms: f64,
    /// The profile with the fix applied (null when no change on the client helps or none is
    /// needed).
    pub fix_client: Option<String>,
    /// Whether the fixed profile, simulated against the same endpoint, negotiated TLS 1.2 or
    /// later (null when no fix was simulated).
    pub fix_verified: Option<bool>,
    /// What the fixed profile got.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_outcome: Option<Outcome>,
    /// The fixed profile's negotiated version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_version: Option<ProtocolVersion>,
    /// The fixed profile's negotiated suite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_cipher: Option<String>,
    /// True when only a change on the server (or a newer client OS) can make this work.
    pub server_change_needed: bool,
}

impl SimulationReport {
    /// Whether the client got a usable connection at TLS 1.2 or later.
    pub fn ok(&self) -> bool {
        self.outcome == Outcome::Accepted
            && self.version.is_some_and(|v| v >= ProtocolVersion::Tls12)
    }
}

/// What `tlsprobe watch` reports when a target's result differs from its previous one (one JSON
/// line on stdout with `--format json|jsonl`, and the `--on-change` hook's stdin).
#[derive(Debug, Clone, Serialize)]
pub struct WatchChange {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// Always `change`.
    pub kind: &'static str,
    /// The target as given.
    pub target: String,
    /// When the new result was taken, RFC 3339 UTC.
    pub checked_at: String,
    /// When the previous result was taken (from this run or read back from the history).
    pub previous_checked_at: Option<String>,
    /// Round of this run that saw the change (1 = first).
    pub round: u64,
    /// Whether any item is a degradation.
    pub degraded: bool,
    /// The new status.
    pub status: Status,
    /// What changed.
    pub changes: Vec<ChangeItem>,
}

/// One difference between two results of a target.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeItem {
    /// `reachability`, `readiness` (catalogue watches), `highest_version`, `accepted_versions`,
    /// `cipher`, `certificate`,
    /// `interception`, `days_left`, `finding_appeared`, `finding_resolved`.
    pub what: &'static str,
    /// The old value (`null` when there was none).
    pub from: serde_json::Value,
    /// The new value.
    pub to: serde_json::Value,
    /// Whether this makes things worse.
    pub degraded: bool,
    /// The change in words.
    pub summary: String,
}
