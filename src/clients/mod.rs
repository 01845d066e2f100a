//! Client profiles as data: what a client puts in its ClientHello, loaded from
//! `data/clients.toml` (embedded at build time, parsed and validated once).
//!
//! A [`HelloSpec`] is one concrete offer — versions, suites in the client's order, groups, key
//! shares, signature algorithms, extension order — and [`HelloSpec::client_hello`] turns it into
//! the bytes a probe sends, through the raw codec. The fixed clients (`modern`, the negotiation
//! hello of `check`) are rows of `[[client]]`; Windows versions are rows of `[[os]]`, evaluated
//! against a registry state by [`effective`]. This module does no I/O and names no operating
//! system in code.

pub mod effective;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::registry::{self, ProtocolVersion};
use crate::wire::{ClientHello, Extension};

const CLIENTS_TOML: &str = include_str!("../../data/clients.toml");

/// A problem in `data/clients.toml` (only possible if the file is edited badly; the tests load
/// it).
#[derive(Debug, thiserror::Error)]
pub enum ClientsError {
    /// The TOML does not parse or does not fit the schema.
    #[error("data/clients.toml: {0}")]
    Toml(#[from] toml::de::Error),
    /// A name in a row is not in the registry, or a reference points nowhere.
    #[error("data/clients.toml: {row}: {problem}")]
    Invalid {
        /// The row (`os win2012r2`, `suite list win7`).
        row: String,
        /// What is wrong.
        problem: String,
    },
}

/// One fact and where it was read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The fact.
    pub fact: String,
    /// Public URL it comes from.
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SuiteListRaw {
    source: String,
    suites: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientRaw {
    id: String,
    name: String,
    versions: Vec<String>,
    suites: String,
    groups: Vec<String>,
    key_shares: Vec<String>,
    sigalgs: Vec<String>,
    extensions: Vec<String>,
    #[serde(default)]
    alpn: Vec<String>,
    record: String,
    sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OsRaw {
    id: String,
    name: String,
    #[serde(default)]
    kb_os: Option<String>,
    #[serde(default)]
    update: Option<String>,
    update_adds: Vec<String>,
    update_winhttp: bool,
    schannel: Vec<String>,
    default_on: Vec<String>,
    winhttp_default: Vec<String>,
    dotnet_legacy: Vec<String>,
    suites: String,
    groups: Vec<String>,
    key_shares: Vec<String>,
    sigalgs: Vec<String>,
    extensions: Vec<String>,
    record: String,
    sources: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRaw {
    modifiers: BTreeMap<String, String>,
    modifier_values: BTreeMap<String, Vec<String>>,
    windows_view: BTreeMap<String, Vec<String>>,
    client: Vec<ClientRaw>,
    suite_lists: BTreeMap<String, SuiteListRaw>,
    os: Vec<OsRaw>,
    server_fix: ServerFix,
}

/// What `simulate` says when no change on the client helps; `{client}`, `{offered}` and
/// `{suites}` are filled in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerFix {
    /// The endpoint refuses every version the client can offer.
    pub version: String,
    /// The endpoint has none of the client's suites.
    pub cipher: String,
    /// Any other refusal.
    pub other: String,
}

/// An extension a profile can send, in the profile's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ext {
    /// server_name (when the target has a name).
    ServerName,
    /// status_request (OCSP).
    StatusRequest,
    /// supported_groups.
    SupportedGroups,
    /// ec_point_formats (uncompressed).
    EcPointFormats,
    /// signature_algorithms (only when TLS 1.2 or later is offered).
    SignatureAlgorithms,
    /// session_ticket (empty).
    SessionTicket,
    /// ALPN with the profile's protocols.
    Alpn,
    /// extended_master_secret.
    ExtendedMasterSecret,
    /// renegotiation_info.
    RenegotiationInfo,
    /// encrypt_then_mac.
    EncryptThenMac,
    /// supported_versions (only when TLS 1.3 is offered).
    SupportedVersions,
    /// psk_key_exchange_modes (only when TLS 1.3 is offered).
    PskKeyExchangeModes,
    /// key_share (only when TLS 1.3 is offered).
    KeyShare,
    /// RFC 7685 padding (only when the hello would fall in the 256–511 byte window).
    Padding,
}

impl Ext {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "server_name" => Self::ServerName,
            "status_request" => Self::StatusRequest,
            "supported_groups" => Self::SupportedGroups,
            "ec_point_formats" => Self::EcPointFormats,
            "signature_algorithms" => Self::SignatureAlgorithms,
            "session_ticket" => Self::SessionTicket,
            "alpn" => Self::Alpn,
            "extended_master_secret" => Self::ExtendedMasterSecret,
            "renegotiation_info" => Self::RenegotiationInfo,
            "encrypt_then_mac" => Self::EncryptThenMac,
            "supported_versions" => Self::SupportedVersions,
            "psk_key_exchange_modes" => Self::PskKeyExchangeModes,
            "key_share" => Self::KeyShare,
            "padding" => Self::Padding,
            _ => return None,
        })
    }
}

/// The record-layer version a hello is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordVersion {
    /// The highest offered version, capped at TLS 1.2 (what Schannel writes).
    Highest,
    /// Always this wire value.
    Fixed(u16),
}

/// Everything a client puts in one hello except the per-connection random values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelloSpec {
    /// Versions offered, highest first.
    pub versions: Vec<ProtocolVersion>,
    /// Cipher suites (code points) in the client's order, already limited to what the offered
    /// versions can use.
    pub suites: Vec<u16>,
    /// supported_groups, in order.
    pub groups: Vec<u16>,
    /// Groups sent a TLS 1.3 key share.
    pub key_shares: Vec<u16>,
    /// signature_algorithms, in order.
    pub sigalgs: Vec<u16>,
    /// Extension order.
    pub extensions: Vec<Ext>,
    /// ALPN protocols (used only when `extensions` has [`Ext::Alpn`]).
    pub alpn: Vec<String>,
    /// Record-layer version.
    pub record: RecordVersion,
}

impl HelloSpec {
    /// The highest version offered.
    pub fn highest(&self) -> Option<ProtocolVersion> {
        self.versions.iter().copied().max()
    }

    /// The ClientHello of this offer for one connection (fresh random and, for TLS 1.3, a fresh
    /// 32-byte session id). `sni` is sent when it is a name, never an IP literal.
    pub fn client_hello(&self, sni: Option<&str>) -> ClientHello {
        let highest = self.highest().unwrap_or(ProtocolVersion::Tls10);
        let tls13 = self.versions.contains(&ProtocolVersion::Tls13);
        let tls12 = highest >= ProtocolVersion::Tls12;
        let legacy = highest.wire().min(0x0303);
        let mut random = [0u8; 32];
        crate::wire::client_hello::fill_random(&mut random);
        let session_id = if tls13 {
            let mut sid = vec![0u8; 32];
            crate::wire::client_hello::fill_random(&mut sid);
            sid
        } else {
            Vec::new()
        };
        let record_version = match self.record {
            RecordVersion::Highest => legacy,
            RecordVersion::Fixed(v) => v,
        };
        let mut extensions = Vec::new();
        if highest >= ProtocolVersion::Tls10 {
            for e in &self.extensions {
                let ext = match e {
                    Ext::ServerName => {
                        match sni
                            .filter(|n| !n.is_empty() && n.parse::<std::net::IpAddr>().is_err())
                        {
                            Some(n) => Extension::ServerName(n.trim_end_matches('.').to_owned()),
                            None => continue,
                        }
                    }
                    Ext::StatusRequest => Extension::StatusRequest,
                    Ext::SupportedGroups => Extension::SupportedGroups(self.groups.clone()),
                    Ext::EcPointFormats => Extension::EcPointFormats(vec![0]),
                    Ext::SignatureAlgorithms if tls12 => {
                        Extension::SignatureAlgorithms(self.sigalgs.clone())
                    }
                    Ext::SessionTicket => Extension::SessionTicket,
                    Ext::Alpn if !self.alpn.is_empty() => {
                        Extension::Alpn(self.alpn.iter().map(|p| p.as_bytes().to_vec()).collect())
                    }
                    Ext::ExtendedMasterSecret => Extension::ExtendedMasterSecret,
                    Ext::RenegotiationInfo => Extension::RenegotiationInfo,
                    Ext::EncryptThenMac => Extension::EncryptThenMac,
                    Ext::SupportedVersions if tls13 => Extension::SupportedVersions(
                        self.versions.iter().map(|v| v.wire()).collect(),
                    ),
                    Ext::PskKeyExchangeModes if tls13 => Extension::PskKeyExchangeModes(vec![1]),
                    Ext::KeyShare if tls13 => Extension::KeyShare(self.key_shares.clone()),
                    Ext::Padding => Extension::Padding,
                    _ => continue,
                };
                extensions.push(ext);
            }
        }
        let mut suites = self.suites.clone();
        if highest == ProtocolVersion::Ssl3 {
            suites.push(0x00FF);
        }
        ClientHello {
            record_version,
            legacy_version: legacy,
            random,
            session_id,
            cipher_suites: suites,
            compression_methods: vec![0],
            extensions,
        }
    }

    /// IANA names of the offered suites.
    pub fn suite_names(&self) -> Vec<String> {
        self.suites
            .iter()
            .map(|&s| registry::suite_name(s))
            .collect()
    }

    /// Names of the offered groups.
    pub fn group_names(&self) -> Vec<String> {
        self.groups
            .iter()
            .map(|&g| registry::group_name(g))
            .collect()
    }

    /// Output spellings of the offered versions, highest first.
    pub fn version_names(&self) -> Vec<String> {
        self.versions.iter().map(|v| v.name().to_string()).collect()
    }
}

/// A fixed client (`[[client]]`).
#[derive(Debug, Clone)]
pub struct FixedClient {
    /// Profile name.
    pub id: String,
    /// What it is.
    pub name: String,
    /// Its offer.
    pub spec: HelloSpec,
    /// Where its facts come from.
    pub sources: Vec<Source>,
}

/// One Windows version (`[[os]]`): what its Schannel can do and what its hello carries.
#[derive(Debug, Clone)]
pub struct OsRow {
    /// Profile name (`win2012r2`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The matching OS id of `data/remediation.toml`, when it has one.
    pub kb_os: Option<String>,
    /// The article's update for this OS (what `+kb` installs).
    pub update: Option<String>,
    /// Versions the update adds to Schannel.
    pub update_adds: Vec<ProtocolVersion>,
    /// Whether the update is what lets WinHTTP read `DefaultSecureProtocols`.
    pub update_winhttp: bool,
    /// Versions Schannel implements for clients without the update.
    pub schannel: Vec<ProtocolVersion>,
    /// Versions on by default for applications that ask for the system default.
    pub default_on: Vec<ProtocolVersion>,
    /// Versions WinHTTP offers when `DefaultSecureProtocols` is not in effect.
    pub winhttp_default: Vec<ProtocolVersion>,
    /// Versions a .NET 4.x application built for 4.5.x asks for without the .NET values.
    pub dotnet_legacy: Vec<ProtocolVersion>,
    /// Cipher suites in Schannel's order for this OS (all versions).
    pub suites: Vec<u16>,
    /// Where the suite list comes from.
    pub suites_source: String,
    /// supported_groups.
    pub groups: Vec<u16>,
    /// TLS 1.3 key shares.
    pub key_shares: Vec<u16>,
    /// signature_algorithms.
    pub sigalgs: Vec<u16>,
    /// Extension order.
    pub extensions: Vec<Ext>,
    /// Record-layer version rule.
    pub record: RecordVersion,
    /// Where each fact comes from.
    pub sources: Vec<Source>,
}

impl OsRow {
    /// The offer of this OS for a client limited to `versions` (any order), with `suites` in
    /// place of the OS's own list when a cipher-suite order policy replaces it.
    pub fn spec(&self, versions: &[ProtocolVersion], suites: Option<&[u16]>) -> HelloSpec {
        let mut v: Vec<ProtocolVersion> = versions.to_vec();
        v.sort_by(|a, b| b.cmp(a));
        v.dedup();
        let suites = suites
            .unwrap_or(&self.suites)
            .iter()
            .copied()
            .filter(|&s| usable(s, &v))
            .collect();
        HelloSpec {
            versions: v,
            suites,
            groups: self.groups.clone(),
            key_shares: self.key_shares.clone(),
            sigalgs: self.sigalgs.clone(),
            extensions: self.extensions.clone(),
            alpn: Vec::new(),
            record: self.record,
        }
    }
}

/// Whether a suite can be negotiated at one of the offered versions (a GCM or SHA-2 suite is
/// no use to a TLS 1.0 client, a TLS 1.3 suite needs TLS 1.3 offered).
fn usable(id: u16, offered: &[ProtocolVersion]) -> bool {
    registry::suite(id).is_some_and(|info| offered.iter().any(|&v| info.valid_for(v)))
}

/// The parsed `data/clients.toml`.
#[derive(Debug)]
pub struct Clients {
    /// What each `+modifier` means.
    pub modifiers: BTreeMap<String, String>,
    /// Modifier → the `data/remediation.toml` registry value ids it sets.
    pub modifier_values: BTreeMap<String, Vec<String>>,
    /// Outcome → `data/errors.toml` ids of what a Windows client reports.
    pub windows_view: BTreeMap<String, Vec<String>>,
    /// Fixed clients.
    pub fixed: Vec<FixedClient>,
    /// Windows versions, in file order.
    pub os: Vec<OsRow>,
    /// Server-side remediation texts.
    pub server_fix: ServerFix,
}

impl Clients {
    /// Parses and validates the embedded file.
    pub fn parse() -> Result<Clients, ClientsError> {
        Self::parse_str(CLIENTS_TOML)
    }

    /// Parses and validates a clients file.
    pub fn parse_str(text: &str) -> Result<Clients, ClientsError> {
        let raw: FileRaw = toml::from_str(text)?;
        let mut lists: BTreeMap<String, (Vec<u16>, String)> = BTreeMap::new();
        for (name, l) in &raw.suite_lists {
            let row = format!("suite list {name}");
            let suites = l
                .suites
                .iter()
                .map(|s| {
                    resolve_suite(s).ok_or_else(|| invalid(&row, format!("unknown suite {s:?}")))
                })
                .collect::<Result<Vec<u16>, _>>()?;
            if l.source.trim().is_empty() {
                return Err(invalid(&row, "no source".into()));
            }
            lists.insert(name.clone(), (suites, l.source.clone()));
        }
        let list = |row: &str, name: &str| {
            lists
                .get(name)
                .cloned()
                .ok_or_else(|| invalid(row, format!("no [suite_lists.{name}]")))
        };
        let mut fixed = Vec::new();
        for c in &raw.client {
            let row = format!("client {}", c.id);
            let versions = versions(&row, &c.versions)?;
            let (suites, _) = list(&row, &c.suites)?;
            sources_ok(&row, &c.sources)?;
            fixed.push(FixedClient {
                id: c.id.clone(),
                name: c.name.clone(),
                spec: HelloSpec {
                    versions,
                    suites,
                    groups: groups(&row, &c.groups)?,
                    key_shares: groups(&row, &c.key_shares)?,
                    sigalgs: sigalgs(&row, &c.sigalgs)?,
                    extensions: extensions(&row, &c.extensions)?,
                    alpn: c.alpn.clone(),
                    record: record(&row, &c.record)?,
                },
                sources: c.sources.clone(),
            });
        }
        let mut os = Vec::new();
        for o in &raw.os {
            let row = format!("os {}", o.id);
            let (suites, suites_source) = list(&row, &o.suites)?;
            sources_ok(&row, &o.sources)?;
            if o.id.contains('+') || o.id.is_empty() {
                return Err(invalid(
                    &row,
                    "an OS id may not be empty or contain '+'".into(),
                ));
            }
            os.push(OsRow {
                id: o.id.clone(),
                name: o.name.clone(),
                kb_os: o.kb_os.clone(),
                update: o.update.clone(),
                update_adds: versions(&row, &o.update_adds)?,
                update_winhttp: o.update_winhttp,
                schannel: versions(&row, &o.schannel)?,
                default_on: versions(&row, &o.default_on)?,
                winhttp_default: versions(&row, &o.winhttp_default)?,
                dotnet_legacy: versions(&row, &o.dotnet_legacy)?,
                suites,
                suites_source,
                groups: groups(&row, &o.groups)?,
                key_shares: groups(&row, &o.key_shares)?,
                sigalgs: sigalgs(&row, &o.sigalgs)?,
                extensions: extensions(&row, &o.extensions)?,
                record: record(&row, &o.record)?,
                sources: o.sources.clone(),
            });
        }
        let mut seen = std::collections::BTreeSet::new();
        for id in fixed.iter().map(|c| &c.id).chain(os.iter().map(|o| &o.id)) {
            if !seen.insert(id.clone()) {
                return Err(invalid(id, "duplicate profile id".into()));
            }
        }
        for m in effective::MODIFIERS {
            if !raw.modifiers.contains_key(*m) {
                return Err(invalid(
                    "modifiers",
                    format!("modifier {m:?} is not described"),
                ));
            }
        }
        Ok(Clients {
            modifiers: raw.modifiers,
            modifier_values: raw.modifier_values,
            windows_view: raw.windows_view,
            fixed,
            os,
            server_fix: raw.server_fix,
        })
    }

    /// A fixed client by id.
    pub fn fixed(&self, id: &str) -> Option<&FixedClient> {
        self.fixed.iter().find(|c| c.id == id)
    }

    /// A Windows row by id (case-insensitive).
    pub fn os(&self, id: &str) -> Option<&OsRow> {
        self.os.iter().find(|o| o.id.eq_ignore_ascii_case(id))
    }
}

fn invalid(row: &str, problem: String) -> ClientsError {
    ClientsError::Invalid {
        row: row.to_string(),
        problem,
    }
}

fn sources_ok(row: &str, sources: &[Source]) -> Result<(), ClientsError> {
    if sources.is_empty() {
        return Err(invalid(row, "no sources".into()));
    }
    for s in sources {
        if !s.url.starts_with("https://") {
            return Err(invalid(row, format!("source URL {:?} is not https", s.url)));
        }
    }
    Ok(())
}

fn resolve_suite(s: &str) -> Option<u16> {
    match s.strip_prefix("0x") {
        Some(hex) => u16::from_str_radix(hex, 16).ok(),
        None => registry::by_name(s).map(|i| i.id),
    }
}

fn versions(row: &str, names: &[String]) -> Result<Vec<ProtocolVersion>, ClientsError> {
    names
        .iter()
        .map(|n| {
            ProtocolVersion::parse(n).ok_or_else(|| invalid(row, format!("unknown version {n:?}")))
        })
        .collect()
}

fn groups(row: &str, names: &[String]) -> Result<Vec<u16>, ClientsError> {
    names
        .iter()
        .map(|n| {
            registry::groups::by_name(n)
                .map(|g| g.id)
                .ok_or_else(|| invalid(row, format!("unknown group {n:?}")))
        })
        .collect()
}

fn sigalgs(row: &str, names: &[String]) -> Result<Vec<u16>, ClientsError> {
    names
        .iter()
        .map(|n| {
            let id = match n.strip_prefix("0x") {
                Some(hex) => u16::from_str_radix(hex, 16).ok(),
                None => registry::sigalgs::sigalg_by_name(n).map(|s| s.id),
            };
            id.filter(|&id| registry::sigalg(id).is_some())
                .ok_or_else(|| invalid(row, format!("unknown signature algorithm {n:?}")))
        })
        .collect()
}

fn extensions(row: &str, names: &[String]) -> Result<Vec<Ext>, ClientsError> {
    names
        .iter()
        .map(|n| Ext::parse(n).ok_or_else(|| invalid(row, format!("unknown extension {n:?}"))))
        .collect()
}

fn record(row: &str, s: &str) -> Result<RecordVersion, ClientsError> {
    if s == "highest" {
        return Ok(RecordVersion::Highest);
    }
    ProtocolVersion::parse(s)
        .map(|v| RecordVersion::Fixed(v.wire()))
        .ok_or_else(|| {
            invalid(
                row,
                format!("record {s:?} is neither \"highest\" nor a version"),
            )
        })
}

static CLIENTS: LazyLock<Clients> = LazyLock::new(|| match Clients::parse() {
    Ok(c) => c,
    // Compiled in and loaded by the unit tests, so a build that passed them cannot fail here.
    #[allow(clippy::panic)]
    Err(e) => panic!("embedded client profiles are invalid: {e}"),
});

/// The client profiles, parsed on first use.
pub fn clients() -> &'static Clients {
    &CLIENTS
}

/// The offer of the negotiation hello of `check` (the `modern` client).
pub fn modern() -> &'static HelloSpec {
    static EMPTY: LazyLock<HelloSpec> = LazyLock::new(|| HelloSpec {
        versions: vec![ProtocolVersion::Tls12],
        suites: Vec::new(),
        groups: Vec::new(),
        key_shares: Vec::new(),
        sigalgs: Vec::new(),
        extensions: Vec::new(),
        alpn: Vec::new(),
        record: RecordVersion::Highest,
    });
    clients().fixed("modern").map_or(&EMPTY, |c| &c.spec)
}

#[cfg(test)]
mod tests;
