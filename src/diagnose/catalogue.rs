//! The Azure Backup endpoint catalogue: which hosts each Azure Backup component must reach, per
//! cloud, why, and which roots their chains lead to. The built-in catalogue is
//! `data/azure-backup.toml`; `--catalogue FILE` parses a user file of the same shape with
//! [`parse`].
//!
//! This module only parses and validates text (the caller reads the file); every error names
//! the line it is on. It does not probe and does not judge readiness ([`super::readiness`]).

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The built-in catalogue's text.
pub const BUILTIN_TOML: &str = include_str!("../../data/azure-backup.toml");

/// Most endpoints a catalogue may list.
pub const MAX_ENDPOINTS: usize = 4096;

/// Longest free-text field accepted (purpose, source, note, issuer name...).
const MAX_TEXT: usize = 1024;

/// An Azure cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// Azure public (global).
    Public,
    /// Azure US Government.
    Usgov,
    /// Azure China, operated by 21Vianet.
    China,
}

impl Cloud {
    /// Every cloud, in display order.
    pub const ALL: [Cloud; 3] = [Cloud::Public, Cloud::Usgov, Cloud::China];

    /// The spelling used in files, flags and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::Usgov => "usgov",
            Cloud::China => "china",
        }
    }

    /// A readable name.
    pub fn title(self) -> &'static str {
        match self {
            Cloud::Public => "Azure public",
            Cloud::Usgov => "Azure US Government",
            Cloud::China => "Azure China (21Vianet)",
        }
    }

    /// Parses `public`, `usgov` or `china` (case-insensitive).
    pub fn parse(s: &str) -> Option<Cloud> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An Azure Backup component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The Microsoft Azure Recovery Services (MARS) agent.
    Mars,
    /// Microsoft Azure Backup Server / System Center DPM (its Azure copy uses MARS).
    Mabs,
    /// The Azure VM backup extension.
    Vm,
    /// Workload backup in Azure VMs: SQL Server and SAP HANA.
    Workload,
}

impl Component {
    /// Every component.
    pub const ALL: [Component; 4] = [
        Component::Mars,
        Component::Mabs,
        Component::Vm,
        Component::Workload,
    ];

    /// The spelling used in files, flags and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Component::Mars => "mars",
            Component::Mabs => "mabs",
            Component::Vm => "vm",
            Component::Workload => "workload",
        }
    }

    /// Parses a component name (case-insensitive).
    pub fn parse(s: &str) -> Option<Component> {
        Component::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One endpoint of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Host probed: a name or an IP literal (no brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// What the components use it for (`identity`, `service`, `management`, `storage`, ...).
    pub purpose: String,
    /// Components that need it.
    pub components: Vec<Component>,
    /// The cloud it belongs to.
    pub cloud: Cloud,
    /// The documented wildcard this host stands in for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative_of: Option<String>,
    /// Root names the chain should lead to (empty = no expectation).
    pub expected_issuers: Vec<String>,
    /// Where the fact comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A caveat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The line of its `[[endpoints]]` header in the file.
    #[serde(skip)]
    pub line: usize,
}

impl Endpoint {
    /// `host:port`, with brackets around an IPv6 literal.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// Whether any of `components` uses this endpoint (an empty filter admits everything).
    pub fn used_by_any(&self, components: &[Component]) -> bool {
        components.is_empty() || self.components.iter().any(|c| components.contains(c))
    }
}

/// A parsed catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Every endpoint, in file order.
    pub endpoints: Vec<Endpoint>,
}

impl Catalogue {
    /// The endpoints of `cloud` (every cloud when `None`) used by any of `components`.
    pub fn select(&self, cloud: Option<Cloud>, components: &[Component]) -> Vec<&Endpoint> {
        self.endpoints
            .iter()
            .filter(|e| cloud.is_none_or(|c| e.cloud == c))
            .filter(|e| e.used_by_any(components))
            .collect()
    }
}

/// What is wrong with a catalogue, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CatalogueError {
    /// The line the problem is on.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    expected_issuers: Option<Spanned<Vec<Spanned<String>>>>,
    #[allow(dead_code)]
    expected_issuers_source: Option<String>,
    endpoints: Option<Spanned<Vec<Spanned<RawEndpoint>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEndpoint {
    host: Spanned<String>,
    port: Option<Spanned<i64>>,
    purpose: Spanned<String>,
    components: Spanned<Vec<Spanned<String>>>,
    cloud: Spanned<String>,
    expected_issuers: Option<Spanned<Vec<Spanned<String>>>>,
    representative_of: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
}

/// 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Parses and validates a catalogue (see `data/azure-backup.toml` for the format).
pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
    let err = |at: usize, message: String| CatalogueError {
        line: line_of(text, at),
        message,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        err(at, e.message().trim().to_string())
    })?;
    let defaults = match &raw.expected_issuers {
        Some(list) => issuers(list, &err)?,
        None => Vec::new(),
    };
    let Some(list) = raw.endpoints else {
        return Err(err(
            0,
            "no [[endpoints]] tables: a catalogue lists at least one endpoint".into(),
        ));
    };
    if list.get_ref().is_empty() {
        return Err(err(list.span().start, "`endpoints` is empty".into()));
    }
    if list.get_ref().len() > MAX_ENDPOINTS {
        return Err(err(
            list.span().start,
            format!("more than {MAX_ENDPOINTS} endpoints"),
        ));
    }
    let mut seen: HashMap<(Cloud, String, u16), usize> = HashMap::new();
    let mut endpoints = Vec::with_capacity(list.get_ref().len());
    for entry in list.into_inner() {
        let start = entry.span().start;
        // The span of an array-of-tables element is its `[[endpoints]]` header.
        let line = line_of(text, start);
        let e = entry.into_inner();
        let host = host(&e.host, &err)?;
        let port = match &e.port {
            None => 443,
            Some(p) => u16::try_from(*p.get_ref())
                .ok()
                .filter(|p| *p != 0)
                .ok_or_else(|| {
                    err(
                        p.span().start,
                        format!("port {} is not 1-65535", p.get_ref()),
                    )
                })?,
        };
        let purpose = text_field(&e.purpose, "purpose", &err)?;
        let cloud = Cloud::parse(e.cloud.get_ref()).ok_or_else(|| {
            err(
                e.cloud.span().start,
                format!(
                    "unknown cloud {:?}: expected public, usgov or china",
                    e.cloud.get_ref()
                ),
            )
        })?;
        if e.components.get_ref().is_empty() {
            return Err(err(
                e.components.span().start,
                "`components` is empty: name at least one of mars, mabs, vm, workload".into(),
            ));
        }
        let mut components = Vec::new();
        for c in e.components.get_ref() {
            let comp = Component::parse(c.get_ref()).ok_or_else(|| {
                err(
                    c.span().start,
                    format!(
                        "unknown component {:?}: expected mars, mabs, vm or workload",
                        c.get_ref()
                    ),
                )
            })?;
            if !components.contains(&comp) {
                components.push(comp);
            }
        }
        let expected_issuers = match &e.expected_issuers {
            Some(list) => issuers(list, &err)?,
            None => defaults.clone(),
        };
        let optional = |f: &Option<Spanned<String>>, name: &'static str| {
            f.as_ref().map(|v| text_field(v, name, &err)).transpose()
        };
        let representative_of = optional(&e.representative_of, "representative_of")?;
        let source = optional(&e.source, "source")?;
        let note = optional(&e.note, "note")?;
        if let Some(first) = seen.insert((cloud, host.to_ascii_lowercase(), port), line) {
            return Err(err(
                e.host.span().start,
                format!(
                    "{host}:{port} is listed twice for cloud {cloud} (first on line {first}); give one entry per endpoint"
                ),
            ));
        }
        endpoints.push(Endpoint {
            host,
            port,
            purpose,
            components,
            cloud,
            representative_of,
            expected_issuers,
            source,
            note,
            line,
        });
    }
    Ok(Catalogue { endpoints })
}

fn text_field(
    v: &Spanned<String>,
    name: &str,
    err: &impl Fn(usize, String) -> CatalogueError,
) -> Result<String, CatalogueError> {
    let s = v.get_ref().trim();
    if s.is_empty() {
        return Err(err(v.span().start, format!("`{name}` is empty")));
    }
    if s.len() > MAX_TEXT || s.chars().any(char::is_control) {
        return Err(err(
            v.span().start,
            format!("`{name}` must be one line of at most {MAX_TEXT} bytes"),
        ));
    }
    Ok(s.to_string())
}

fn issuers(
    list: &Spanned<Vec<Spanned<String>>>,
    err: &impl Fn(usize, String) -> CatalogueError,
) -> Result<Vec<String>, CatalogueError> {
    if list.get_ref().len() > 64 {
        return Err(err(
            list.span().start,
            "more than 64 expected issuers".into(),
        ));
    }
    list.get_ref()
        .iter()
        .map(|i| text_field(i, "expected_issuers", err))
        .collect()
}

fn host(
    v: &Spanned<String>,
    err: &impl Fn(usize, String) -> CatalogueError,
) -> Result<String, CatalogueError> {
    let raw = v.get_ref().trim();
    let bad = |reason: String| err(v.span().start, format!("bad host {raw:?}: {reason}"));
    if raw.contains('*') {
        return Err(bad(
            "wildcards cannot be probed: give a concrete host and put the wildcard in `representative_of`".into(),
        ));
    }
    let bare = raw.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Ok(bare.to_string());
    }
    if raw.contains([':', '/', '@', ' ']) {
        return Err(bad("give the host only; the port goes in `port`".into()));
    }
    match crate::target::Target::parse(raw) {
        Ok(t) => Ok(t.host.to_string()),
        Err(e) => Err(bad(e.reason.to_string())),
    }
}

static BUILTIN: LazyLock<Result<Catalogue, CatalogueError>> = LazyLock::new(|| parse(BUILTIN_TOML));

/// The built-in catalogue (`data/azure-backup.toml`, parsed once; a unit test keeps it valid).
pub fn builtin() -> Result<&'static Catalogue, &'static CatalogueError> {
    BUILTIN.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses_and_covers_every_cloud() {
        let c = builtin().expect("data/azure-backup.toml");
        for cloud in Cloud::ALL {
            let eps = c.select(Some(cloud), &[]);
            assert!(eps.len() >= 3, "{cloud}: {eps:?}");
            assert!(eps.iter().any(|e| e.purpose == "identity"), "{cloud}");
            for e in eps {
                assert_eq!(e.port, 443);
                assert!(e.expected_issuers.iter().any(|i| i.contains("DigiCert")));
                assert!(
                    e.source
                        .as_deref()
                        .is_some_and(|s| s.starts_with("https://"))
                );
                assert!(e.line > 1);
            }
        }
        assert!(!c.select(Some(Cloud::Public), &[Component::Vm]).is_empty());
    }

    #[test]
    fn defaults_and_optional_fields() {
        let text = "expected_issuers = [\"Root A\"]\n\
                    [[endpoints]]\nhost = \"a.example\"\npurpose = \"identity\"\ncomponents = [\"mars\", \"MARS\", \"vm\"]\ncloud = \"public\"\n\
                    [[endpoints]]\nhost = \"[::1]\"\nport = 8443\npurpose = \"storage\"\ncomponents = [\"workload\"]\ncloud = \"usgov\"\nexpected_issuers = []\nrepresentative_of = \"*.example\"\n";
        let c = parse(text).expect("valid");
        assert_eq!(c.endpoints.len(), 2);
        let a = &c.endpoints[0];
        assert_eq!((a.host.as_str(), a.port, a.line), ("a.example", 443, 2));
        assert_eq!(a.components, vec![Component::Mars, Component::Vm]);
        assert_eq!(a.expected_issuers, vec!["Root A".to_string()]);
        let b = &c.endpoints[1];
        assert_eq!((b.host.as_str(), b.port, b.line), ("::1", 8443, 7));
        assert_eq!(b.authority(), "[::1]:8443");
        assert!(b.expected_issuers.is_empty());
        assert_eq!(b.cloud, Cloud::Usgov);
    }

    #[test]
    fn errors_name_the_line() {
        let base = "[[endpoints]]\nhost = \"a.example\"\npurpose = \"identity\"\ncomponents = [\"mars\"]\ncloud = \"public\"\n";
        let cases: &[(&str, usize, &str)] = &[
            ("[[endpoints]]\nhost = \"a.example\"\n", 1, "missing field"),
            ("[[endpoints]\n", 1, ""),
            (&base.replace("\"public\"", "\"mars\""), 5, "unknown cloud"),
            (
                &base.replace("[\"mars\"]", "[\"mars\", \"dpm\"]"),
                4,
                "unknown component",
            ),
            (&base.replace("[\"mars\"]", "[]"), 4, "empty"),
            (&base.replace("a.example", "*.example"), 2, "wildcard"),
            (&base.replace("a.example", "a.example:443"), 2, "port"),
            (&format!("{base}port = 70000\n"), 6, "not 1-65535"),
            (&format!("{base}porte = 1\n"), 6, "unknown field"),
            (&format!("{base}{base}"), 7, "listed twice"),
            ("title = \"x\"\n", 1, "unknown field"),
            ("# nothing\n", 1, "no [[endpoints]]"),
        ];
        for (text, line, needle) in cases {
            let e = parse(text).expect_err(text);
            assert_eq!(e.line, *line, "{text}: {e}");
            assert!(e.message.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn never_panics_on_cut_input() {
        for cut in 0..=BUILTIN_TOML.len() {
            if BUILTIN_TOML.is_char_boundary(cut) {
                let _ = parse(&BUILTIN_TOML[..cut]);
            }
        }
    }
}
