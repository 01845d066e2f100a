//! The knowledge base: typed views of `data/remediation.toml`, `data/errors.toml` and
//! `data/findings.toml`, embedded at build time and parsed once.
//!
//! This module only loads, indexes and renders the data; it does not look at observations
//! (that is [`super::engine`]) and does not format explanations (that is [`super::explain`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::Severity;

const REMEDIATION_TOML: &str = include_str!("../../data/remediation.toml");
const ERRORS_TOML: &str = include_str!("../../data/errors.toml");
const FINDINGS_TOML: &str = include_str!("../../data/findings.toml");
const INTERCEPTION_TOML: &str = include_str!("../../data/interception.toml");

/// A data file that failed to parse (only possible if a data file is edited badly; the tests
/// parse every file).
#[derive(Debug, thiserror::Error)]
#[error("data/{file}: {source}")]
pub struct KbError {
    /// The file name under `data/`.
    pub file: &'static str,
    /// The TOML or schema error, with its position.
    #[source]
    pub source: toml::de::Error,
}

// ---------------------------------------------------------------------------------------------
// remediation.toml

/// `data/remediation.toml`: what a Windows client needs to offer TLS 1.2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    /// The source article.
    pub article: Article,
    /// Windows versions and whether TLS 1.2 needs an update.
    pub os: Vec<OsEntry>,
    /// KB articles.
    pub update: Vec<Update>,
    /// Registry values, each with every key it belongs under.
    pub registry: Vec<RegistryValue>,
    /// WinHTTP `DefaultSecureProtocols` bits.
    pub winhttp: WinHttp,
    /// Remediation recipes.
    pub fix: Vec<Fix>,
    /// Impacts of missing TLS 1.2 and the reasons behind Azure's policy.
    pub without_tls12: WithoutTls12,
    /// Public documentation.
    pub reference: Vec<Reference>,
}

/// The source article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Its title.
    pub title: String,
    /// Its public URL.
    pub url: String,
    /// One line on what it is about.
    pub summary: String,
}

/// Whether an OS can offer TLS 1.2 as shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tls12Support {
    /// TLS 1.2 needs an update plus registry values.
    NeedsUpdate,
    /// TLS 1.2 is on by default.
    Default,
}

/// One Windows version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsEntry {
    /// Stable id, e.g. `windows-server-2008-sp2`.
    pub id: String,
    /// Display name, e.g. `Windows Server 2008 SP2`.
    pub name: String,
    /// TLS 1.2 availability.
    pub tls12: Tls12Support,
    /// Whether Schannel can negotiate TLS 1.3.
    pub tls13: bool,
    /// KB ids ([`Update::id`]) to install for TLS 1.2.
    pub updates: Vec<String>,
    /// Further detail.
    pub note: String,
}

/// One KB article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    /// `KB` + number.
    pub id: String,
    /// Public URL.
    pub url: String,
    /// [`OsEntry::id`]s it applies to (empty when not OS-specific).
    pub applies_to: Vec<String>,
    /// What it does.
    pub summary: String,
}

/// Who documents a registry value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// The Azure Backup TLS article sets it.
    Article,
    /// Only the linked Microsoft documentation sets it.
    Docs,
}

/// One registry value and every key it must be set under.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryValue {
    /// Stable id, e.g. `dotnet4-schusestrongcrypto`.
    pub id: String,
    /// Full key paths (`HKLM\...`), 64-bit view first.
    pub keys: Vec<String>,
    /// Value name, e.g. `SchUseStrongCrypto`.
    pub name: String,
    /// Registry type, e.g. `REG_DWORD`.
    #[serde(rename = "type")]
    pub value_type: String,
    /// The data to set.
    pub data: u32,
    /// Other data that is equally fine.
    #[serde(default)]
    pub also_ok: Vec<u32>,
    /// Whether any non-zero data counts as `data` (an on/off flag).
    pub accept_nonzero: bool,
    /// Who documents it.
    pub source: ValueSource,
    /// First OS ([`OsEntry::id`]) on which the value is the built-in default.
    #[serde(default)]
    pub default_from: Option<String>,
    /// KB ([`Update::id`]) that must be installed for the value to have any effect.
    #[serde(default)]
    pub requires_update: Option<String>,
    /// What it does.
    pub purpose: String,
}

impl RegistryValue {
    /// Whether `data` read from a registry satisfies this entry.
    pub fn accepts(&self, data: u32) -> bool {
        data == self.data || self.also_ok.contains(&data) || (self.accept_nonzero && data != 0)
    }

    /// The data as written in documentation: decimal below 256, else `0x` hex.
    pub fn data_text(&self) -> String {
        let one = |v: u32| {
            if v < 256 {
                v.to_string()
            } else {
                format!("0x{v:X}")
            }
        };
        let mut s = one(self.data);
        for v in &self.also_ok {
            s.push_str(" (or ");
            s.push_str(&one(*v));
            s.push(')');
        }
        s
    }
}

/// WinHTTP `DefaultSecureProtocols` bits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinHttp {
    /// One bit per protocol version.
    pub bits: Vec<WinHttpBit>,
}

/// One `DefaultSecureProtocols` bit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinHttpBit {
    /// Version as spelled in the JSON report (`TLS1.2`).
    pub version: String,
    /// The bit value.
    pub bit: u32,
}

/// A remediation recipe.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    /// Stable id.
    pub id: String,
    /// What it achieves.
    pub title: String,
    /// Whether to list the OS updates.
    pub os_updates: bool,
    /// Steps before the updates.
    pub before: Vec<String>,
    /// [`RegistryValue::id`]s to set.
    pub registry: Vec<String>,
    /// Steps after the registry values.
    pub after: Vec<String>,
    /// Public documentation.
    pub references: Vec<String>,
}

/// What happens without TLS 1.2, and why.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithoutTls12 {
    /// Failures a client without TLS 1.2 sees.
    pub impacts: Vec<String>,
    /// Why Azure requires TLS 1.2.
    pub reasons: Vec<String>,
}

/// A public document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// https URL.
    pub url: String,
}

// ---------------------------------------------------------------------------------------------
// findings.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsFile {
    symptoms: BTreeMap<String, String>,
    finding: Vec<FindingDef>,
}

/// One entry of the finding catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingDef {
    /// Stable kebab-case id.
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// Short name.
    pub title: String,
    /// Summary template with `{var}` placeholders.
    pub summary: String,
    /// Placeholders the summary uses.
    pub vars: Vec<String>,
    /// Possible causes, most likely first.
    pub causes: Vec<String>,
    /// Causes that apply only under a named condition (`no_sni`).
    #[serde(default)]
    pub extra_causes: BTreeMap<String, String>,
    /// Remediation steps.
    pub remediation: Vec<String>,
    /// [`Fix::id`]s appended to the remediation.
    pub fixes: Vec<String>,
    /// Public documentation.
    pub references: Vec<String>,
    /// Error spellings to look at with `explain`.
    pub related: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// errors.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorsFile {
    error: Vec<ErrorDef>,
}

/// Which family an error code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// Winsock error with its POSIX errno.
    Socket,
    /// Name-resolution error (Winsock 11xxx / getaddrinfo EAI_*).
    Resolver,
    /// WinHTTP / WinINet error.
    Winhttp,
    /// Schannel / SSPI status (SEC_E_*).
    Sspi,
    /// Certificate chain status (CERT_E_*, CRYPT_E_*).
    Cert,
    /// Schannel event in the Windows System log.
    SchannelEvent,
    /// HTTP status.
    Http,
    /// TLS alert description.
    TlsAlert,
}

impl ErrorKind {
    /// The data-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Socket => "socket",
            ErrorKind::Resolver => "resolver",
            ErrorKind::Winhttp => "winhttp",
            ErrorKind::Sspi => "sspi",
            ErrorKind::Cert => "cert",
            ErrorKind::SchannelEvent => "schannel-event",
            ErrorKind::Http => "http",
            ErrorKind::TlsAlert => "tls-alert",
        }
    }

    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            ErrorKind::Socket => "socket error (Winsock / POSIX)",
            ErrorKind::Resolver => "name-resolution error",
            ErrorKind::Winhttp => "WinHTTP / WinINet error",
            ErrorKind::Sspi => "Schannel (SSPI) status",
            ErrorKind::Cert => "certificate chain status",
            ErrorKind::SchannelEvent => "Schannel event (System log)",
            ErrorKind::Http => "HTTP status",
            ErrorKind::TlsAlert => "TLS alert",
        }
    }

    /// Whether the HRESULT is `HRESULT_FROM_WIN32(code)`.
    fn win32_code(self) -> bool {
        matches!(
            self,
            ErrorKind::Socket | ErrorKind::Resolver | ErrorKind::Winhttp
        )
    }
}

/// One entry of the error table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// Stable id.
    pub id: String,
    /// Family.
    pub kind: ErrorKind,
    /// Main symbolic name.
    pub name: String,
    /// Main number (Winsock/WinHTTP code, event id, HTTP status, alert number).
    #[serde(default)]
    pub code: Option<u32>,
    /// HRESULT as given in the file (see [`ErrorDef::hresult`] for the derived one).
    #[serde(default, rename = "hresult")]
    hresult_given: Option<u32>,
    /// POSIX errno or getaddrinfo name.
    #[serde(default)]
    pub posix: Option<String>,
    /// Linux x86-64 errno value.
    #[serde(default)]
    pub errno: Option<i32>,
    /// Further spellings.
    pub aliases: Vec<String>,
    /// A few words.
    pub title: String,
    /// One or two sentences.
    pub meaning: String,
    /// Causes, most likely first.
    pub causes: Vec<String>,
    /// Remediation steps.
    pub remediation: Vec<String>,
    /// [`Fix::id`]s appended to the remediation.
    pub fixes: Vec<String>,
    /// Public documentation.
    pub references: Vec<String>,
    /// Related finding ids.
    pub findings: Vec<String>,
}

impl ErrorDef {
    /// The HRESULT Windows reports for this error, given or derived (`0x80070000 | code` for
    /// Win32 codes).
    pub fn hresult(&self) -> Option<u32> {
        self.hresult_given.or_else(|| match self.code {
            Some(c) if self.kind.win32_code() && c <= 0xFFFF => Some(0x8007_0000 | c),
            _ => None,
        })
    }

    /// Every spelling a user may type for this entry, the main ones first.
    pub fn spellings(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |s: String| {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
                out.push(s);
            }
        };
        if let Some(c) = self.code {
            push(c.to_string());
        }
        push(self.name.clone());
        if let Some(p) = &self.posix {
            push(p.clone());
        }
        if let Some(h) = self.hresult() {
            push(format!("0x{h:08X}"));
            push(format!("{h:08x}"));
            push((h as i32).to_string());
            push(h.to_string());
        }
        if let Some(e) = self.errno {
            push(e.to_string());
        }
        for a in &self.aliases {
            push(a.clone());
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The whole base

/// A lookup key of the spelling index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// A number (code, HRESULT as unsigned, errno).
    Num(u64),
    /// A normalised name.
    Text(String),
}

/// Normalises a textual spelling: trimmed, lowercase, `-` and spaces as `_`.
pub(crate) fn norm_text(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The parsed knowledge base.
#[derive(Debug)]
pub struct Kb {
    /// `remediation.toml`.
    pub remediation: Remediation,
    /// `errors.toml` entries.
    pub errors: Vec<ErrorDef>,
    /// `findings.toml` entries.
    pub findings: Vec<FindingDef>,
    /// `findings.toml` `[symptoms]`: outcome name → what a Windows client sees.
    pub symptoms: BTreeMap<String, String>,
    /// `interception.toml`: TLS-inspection products and private name suffixes.
    pub interception: super::interception::Interception,
    index: HashMap<Key, Vec<usize>>,
}

static KB: LazyLock<Kb> = LazyLock::new(|| match Kb::parse() {
    Ok(kb) => kb,
    // The files are compiled in and parsed by the tests, so this cannot happen in a build
    // that passed them.
    #[allow(clippy::panic)]
    Err(e) => panic!("embedded knowledge base is invalid: {e}"),
});

/// The knowledge base, parsed on first use.
pub fn kb() -> &'static Kb {
    &KB
}

impl Kb {
    /// Parses the embedded data files.
    pub fn parse() -> Result<Kb, KbError> {
        let remediation: Remediation =
            toml::from_str(REMEDIATION_TOML).map_err(|source| KbError {
                file: "remediation.toml",
                source,
            })?;
        let errors: ErrorsFile = toml::from_str(ERRORS_TOML).map_err(|source| KbError {
            file: "errors.toml",
            source,
        })?;
        let findings: FindingsFile = toml::from_str(FINDINGS_TOML).map_err(|source| KbError {
            file: "findings.toml",
            source,
        })?;
        let interception: super::interception::Interception = toml::from_str(INTERCEPTION_TOML)
            .map_err(|source| KbError {
                file: "interception.toml",
                source,
            })?;
        interception.validate().map_err(|msg| KbError {
            file: "interception.toml",
            source: serde::de::Error::custom(msg),
        })?;
        let mut kb = Kb {
            remediation,
            errors: errors.error,
            findings: findings.finding,
            symptoms: findings.symptoms,
            interception,
            index: HashMap::new(),
        };
        kb.build_index();
        Ok(kb)
    }

    fn build_index(&mut self) {
        let mut index: HashMap<Key, Vec<usize>> = HashMap::new();
        let mut add = |k: Key, i: usize| {
            let v = index.entry(k).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        };
        for (i, e) in self.errors.iter().enumerate() {
            if let Some(c) = e.code {
                add(Key::Num(u64::from(c)), i);
            }
            if let Some(h) = e.hresult() {
                add(Key::Num(u64::from(h)), i);
            }
            if let Some(n) = e.errno.and_then(|n| u64::try_from(n).ok()) {
                add(Key::Num(n), i);
            }
            add(Key::Text(norm_text(&e.id)), i);
            add(Key::Text(norm_text(&e.name)), i);
            if let Some(p) = &e.posix {
                add(Key::Text(norm_text(p)), i);
            }
            for a in &e.aliases {
                add(Key::Text(norm_text(a)), i);
            }
        }
        self.index = index;
    }

    /// Error entries for one key, in file order.
    pub(crate) fn lookup(&self, key: &Key) -> &[usize] {
        self.index.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every textual and numeric spelling known, for suggestions.
    pub(crate) fn all_spellings(&self) -> Vec<String> {
        let mut v: Vec<String> = self.errors.iter().flat_map(ErrorDef::spellings).collect();
        v.extend(self.findings.iter().map(|f| f.id.clone()));
        v
    }

    /// A finding definition by id.
    pub fn finding(&self, id: &str) -> Option<&FindingDef> {
        self.findings.iter().find(|f| f.id == id)
    }

    /// An error entry by its id.
    pub fn error(&self, id: &str) -> Option<&ErrorDef> {
        self.errors.iter().find(|e| e.id == id)
    }

    /// A registry value by id.
    pub fn registry_value(&self, id: &str) -> Option<&RegistryValue> {
        self.remediation.registry.iter().find(|r| r.id == id)
    }

    /// An OS entry by id.
    pub fn os(&self, id: &str) -> Option<&OsEntry> {
        self.remediation.os.iter().find(|o| o.id == id)
    }

    /// A KB update by id (`KB4019276`).
    pub fn update(&self, id: &str) -> Option<&Update> {
        self.remediation.update.iter().find(|u| u.id == id)
    }

    /// A fix recipe by id.
    pub fn fix(&self, id: &str) -> Option<&Fix> {
        self.remediation.fix.iter().find(|f| f.id == id)
    }

    /// The steps of a fix recipe as text, in order (empty for an unknown id).
    pub fn fix_steps(&self, id: &str) -> Vec<String> {
        let Some(fix) = self.fix(id) else {
            return Vec::new();
        };
        let mut steps = fix.before.clone();
        if fix.os_updates {
            // Group the OSes that need each update, in file order.
            let mut by_update: Vec<(&str, Vec<&str>)> = Vec::new();
            for os in &self.remediation.os {
                if os.tls12 != Tls12Support::NeedsUpdate {
                    continue;
                }
                for u in &os.updates {
                    match by_update.iter_mut().find(|(id, _)| id == u) {
                        Some((_, names)) => names.push(&os.name),
                        None => by_update.push((u, vec![&os.name])),
                    }
                }
            }
            for (u, names) in by_update {
                let (url, summary) = self
                    .update(u)
                    .map(|x| (x.url.as_str(), x.summary.as_str()))
                    .unwrap_or(("", ""));
                steps.push(format!(
                    "{}: install {u} ({url}). {summary}",
                    names.join(", ")
                ));
            }
        }
        for rid in &fix.registry {
            let Some(r) = self.registry_value(rid) else {
                continue;
            };
            let mut s = format!(
                "Set {} = {} ({}) under {}",
                r.name,
                r.data_text(),
                r.value_type,
                r.keys.join(" and ")
            );
            if let Some(os) = r.default_from.as_deref().and_then(|o| self.os(o)) {
                s.push_str(&format!(" (already the default from {} on)", os.name));
            }
            if let Some(u) = &r.requires_update {
                s.push_str(&format!(" (takes effect after {u})"));
            }
            s.push_str(": ");
            s.push_str(&r.purpose);
            steps.push(s);
        }
        steps.extend(fix.after.iter().cloned());
        steps
    }

    /// The references of a fix recipe.
    pub fn fix_references(&self, id: &str) -> &[String] {
        self.fix(id).map(|f| f.references.as_slice()).unwrap_or(&[])
    }
}

/// The error entry for an OS error name, POSIX (`ECONNRESET`) or Winsock (`WSAECONNRESET`),
/// case-insensitive. Lets a report name the Windows equivalent of what the probe saw.
pub fn os_error_entry(name: &str) -> Option<&'static ErrorDef> {
    let kb = kb();
    let key = norm_text(name);
    kb.errors.iter().find(|e| {
        matches!(e.kind, ErrorKind::Socket | ErrorKind::Resolver)
            && (norm_text(&e.name) == key || e.posix.as_deref().map(norm_text) == Some(key.clone()))
    })
}

/// The Winsock code and name a Windows client sees for a POSIX errno name, e.g.
/// `ECONNRESET` → `(10054, "WSAECONNRESET")`.
pub fn windows_equivalent(posix_name: &str) -> Option<(u32, &'static str)> {
    let e = os_error_entry(posix_name)?;
    Some((e.code?, e.name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `net` names errors with the registry's errno table (it sits below diagnosis); both must
    /// agree on the Winsock twin wherever the knowledge base explains the error.
    #[test]
    fn os_error_names_agree_with_the_knowledge_base() {
        let mut checked = 0;
        for e in crate::registry::OS_ERRORS {
            if let (Some(kb), Some(code)) = (windows_equivalent(e.name), e.windows_code) {
                // EPIPE is reported as the reset Windows would show; the KB explains EPIPE itself.
                if e.name != "EPIPE" {
                    assert_eq!(kb.0, code, "{}", e.name);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5, "only {checked} errors cross-checked");
    }

    #[test]
    fn data_files_parse() {
        let kb = Kb::parse().unwrap();
        assert!(kb.errors.len() > 90);
        assert!(kb.findings.len() > 30);
        assert!(!kb.remediation.registry.is_empty());
    }

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let kb = kb();
        let kebab = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !s.starts_with('-')
                && !s.ends_with('-')
                && !s.contains("--")
        };
        let mut seen = std::collections::HashSet::new();
        for f in &kb.findings {
            assert!(kebab(&f.id), "finding id {:?} is not kebab-case", f.id);
            assert!(
                seen.insert(format!("f:{}", f.id)),
                "duplicate finding {}",
                f.id
            );
        }
        for e in &kb.errors {
            assert!(kebab(&e.id), "error id {:?} is not kebab-case", e.id);
            assert!(
                seen.insert(format!("e:{}", e.id)),
                "duplicate error {}",
                e.id
            );
        }
        for r in &kb.remediation.registry {
            assert!(
                seen.insert(format!("r:{}", r.id)),
                "duplicate registry {}",
                r.id
            );
        }
    }

    #[test]
    fn every_reference_is_https() {
        let kb = kb();
        let mut urls: Vec<&str> = Vec::new();
        urls.push(&kb.remediation.article.url);
        urls.extend(kb.remediation.update.iter().map(|u| u.url.as_str()));
        urls.extend(kb.remediation.reference.iter().map(|u| u.url.as_str()));
        for f in &kb.remediation.fix {
            urls.extend(f.references.iter().map(String::as_str));
        }
        for f in &kb.findings {
            assert!(
                !f.references.is_empty(),
                "finding {} has no reference",
                f.id
            );
            urls.extend(f.references.iter().map(String::as_str));
        }
        for e in &kb.errors {
            assert!(!e.references.is_empty(), "error {} has no reference", e.id);
            urls.extend(e.references.iter().map(String::as_str));
        }
        for u in urls {
            assert!(
                u.starts_with("https://") && !u.contains(' ') && u.len() > 12,
                "not an https URL: {u:?}"
            );
        }
    }

    #[test]
    fn cross_references_resolve() {
        let kb = kb();
        for f in &kb.findings {
            for fix in &f.fixes {
                assert!(
                    kb.fix(fix).is_some(),
                    "finding {} names unknown fix {fix}",
                    f.id
                );
            }
            for r in &f.related {
                assert!(
                    !super::super::explain::explain(r)
                        .map(|e| e.entries)
                        .unwrap_or_default()
                        .is_empty(),
                    "finding {} relates to unknown code {r}",
                    f.id
                );
            }
            for k in f.extra_causes.keys() {
                assert_eq!(k, "no_sni", "finding {}: unknown condition {k}", f.id);
            }
            assert!(
                !f.causes.is_empty() && !f.remediation.is_empty(),
                "finding {} is empty",
                f.id
            );
        }
        for e in &kb.errors {
            for fid in &e.findings {
                assert!(
                    kb.finding(fid).is_some(),
                    "error {} names unknown finding {fid}",
                    e.id
                );
            }
            for fix in &e.fixes {
                assert!(
                    kb.fix(fix).is_some(),
                    "error {} names unknown fix {fix}",
                    e.id
                );
            }
            assert!(
                !e.causes.is_empty() && !e.remediation.is_empty(),
                "error {} is empty",
                e.id
            );
        }
        for fix in &kb.remediation.fix {
            for r in &fix.registry {
                assert!(
                    kb.registry_value(r).is_some(),
                    "fix {} names unknown value {r}",
                    fix.id
                );
            }
        }
        for os in &kb.remediation.os {
            for u in &os.updates {
                assert!(
                    kb.update(u).is_some(),
                    "os {} names unknown update {u}",
                    os.id
                );
            }
        }
        for u in &kb.remediation.update {
            for o in &u.applies_to {
                assert!(kb.os(o).is_some(), "update {} names unknown os {o}", u.id);
            }
        }
        for r in &kb.remediation.registry {
            if let Some(o) = &r.default_from {
                assert!(kb.os(o).is_some(), "value {} names unknown os {o}", r.id);
            }
            if let Some(u) = &r.requires_update {
                assert!(
                    kb.update(u).is_some(),
                    "value {} names unknown update {u}",
                    r.id
                );
            }
            assert!(!r.keys.is_empty());
            for k in &r.keys {
                assert!(
                    k.starts_with("HKLM\\"),
                    "key {k:?} of {} is not under HKLM",
                    r.id
                );
            }
        }
    }

    #[test]
    fn summary_placeholders_match_vars() {
        for f in &kb().findings {
            let mut used = Vec::new();
            let mut rest = f.summary.as_str();
            while let Some(start) = rest.find('{') {
                let after = &rest[start + 1..];
                let end = after.find('}').expect("unclosed placeholder");
                used.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            used.sort();
            used.dedup();
            let mut vars = f.vars.clone();
            vars.sort();
            assert_eq!(used, vars, "finding {}: placeholders vs vars", f.id);
        }
    }

    #[test]
    fn win32_hresults_are_consistent() {
        for e in &kb().errors {
            if let (Some(given), Some(code)) = (e.hresult_given, e.code) {
                if e.kind.win32_code() {
                    assert_eq!(given, 0x8007_0000 | code, "{}", e.id);
                }
            }
            if matches!(e.kind, ErrorKind::Sspi | ErrorKind::Cert) {
                assert!(e.hresult().is_some(), "{} has no HRESULT", e.id);
            }
        }
    }

    #[test]
    fn every_tls_alert_is_present() {
        // The IANA TLS Alerts registry, 0..=120.
        let alerts: &[(u32, &str)] = &[
            (0, "close_notify"),
            (10, "unexpected_message"),
            (20, "bad_record_mac"),
            (21, "decryption_failed"),
            (22, "record_overflow"),
            (30, "decompression_failure"),
            (40, "handshake_failure"),
            (41, "no_certificate"),
            (42, "bad_certificate"),
            (43, "unsupported_certificate"),
            (44, "certificate_revoked"),
            (45, "certificate_expired"),
            (46, "certificate_unknown"),
            (47, "illegal_parameter"),
            (48, "unknown_ca"),
            (49, "access_denied"),
            (50, "decode_error"),
            (51, "decrypt_error"),
            (52, "too_many_cids_requested"),
            (60, "export_restriction"),
            (70, "protocol_version"),
            (71, "insufficient_security"),
            (80, "internal_error"),
            (86, "inappropriate_fallback"),
            (90, "user_canceled"),
            (100, "no_renegotiation"),
            (109, "missing_extension"),
            (110, "unsupported_extension"),
            (111, "certificate_unobtainable"),
            (112, "unrecognized_name"),
            (113, "bad_certificate_status_response"),
            (114, "bad_certificate_hash_value"),
            (115, "unknown_psk_identity"),
            (116, "certificate_required"),
            (120, "no_application_protocol"),
        ];
        let kb = kb();
        for (code, name) in alerts {
            let e = kb
                .errors
                .iter()
                .find(|e| e.kind == ErrorKind::TlsAlert && e.code == Some(*code))
                .unwrap_or_else(|| panic!("alert {code} missing"));
            assert_eq!(e.name, *name);
        }
        let n = kb
            .errors
            .iter()
            .filter(|e| e.kind == ErrorKind::TlsAlert)
            .count();
        assert_eq!(n, alerts.len());
    }

    /// Every fact of the source article ("Transport Layer Security in Azure Backup").
    #[test]
    fn article_facts_are_present() {
        let kb = kb();
        let r = &kb.remediation;
        assert_eq!(
            r.article.url,
            "https://learn.microsoft.com/azure/backup/transport-layer-security"
        );

        // OS -> KB pairs.
        let needs = |os: &str, kbid: &str| {
            let o = kb.os(os).unwrap_or_else(|| panic!("{os} missing"));
            assert_eq!(o.tls12, Tls12Support::NeedsUpdate, "{os}");
            assert!(o.updates.iter().any(|u| u == kbid), "{os} -> {kbid}");
            let u = kb.update(kbid).unwrap();
            assert!(
                u.applies_to.iter().any(|a| a == os),
                "{kbid} applies to {os}"
            );
            assert_eq!(
                u.url,
                format!("https://support.microsoft.com/help/{}", &kbid[2..])
            );
        };
        needs("windows-server-2008-sp2", "KB4019276");
        needs("windows-server-2008-r2", "KB3140245");
        needs("windows-7", "KB3140245");
        needs("windows-server-2012", "KB3140245");
        assert_eq!(
            kb.os("windows-server-2008-sp2").unwrap().name,
            "Windows Server 2008 SP2"
        );
        // 2012 R2 and later: TLS 1.2 on by default, registry values already the defaults.
        for os in [
            "windows-server-2012-r2",
            "windows-server-2016",
            "windows-server-2019",
            "windows-server-2022",
        ] {
            assert_eq!(kb.os(os).unwrap().tls12, Tls12Support::Default, "{os}");
        }

        // SChannel values.
        let schannel = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client";
        let v = kb.registry_value("schannel-tls12-client-enabled").unwrap();
        assert_eq!(
            (v.keys.as_slice(), v.name.as_str(), v.data),
            (&[schannel.to_string()][..], "Enabled", 1)
        );
        assert_eq!(v.source, ValueSource::Article);
        assert_eq!(v.default_from.as_deref(), Some("windows-server-2012-r2"));
        let v = kb
            .registry_value("schannel-tls12-client-disabledbydefault")
            .unwrap();
        assert_eq!(
            (v.keys.as_slice(), v.name.as_str(), v.data),
            (&[schannel.to_string()][..], "DisabledByDefault", 0)
        );
        assert!(v.accepts(0) && !v.accepts(1));

        // .NET values, both registry views.
        let net = [
            r"HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319".to_string(),
            r"HKLM\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319".to_string(),
        ];
        for (id, name) in [
            (
                "dotnet4-systemdefaulttlsversions",
                "SystemDefaultTlsVersions",
            ),
            ("dotnet4-schusestrongcrypto", "SchUseStrongCrypto"),
        ] {
            let v = kb.registry_value(id).unwrap();
            assert_eq!(v.keys, net);
            assert_eq!(
                (v.name.as_str(), v.data, v.value_type.as_str()),
                (name, 1, "REG_DWORD")
            );
            assert_eq!(v.source, ValueSource::Article);
        }
        for id in [
            "dotnet2-systemdefaulttlsversions",
            "dotnet2-schusestrongcrypto",
        ] {
            let v = kb.registry_value(id).unwrap();
            assert!(v.keys.iter().all(|k| k.ends_with("v2.0.50727")), "{id}");
            assert_eq!(v.data, 1);
        }
        let w = kb.registry_value("winhttp-defaultsecureprotocols").unwrap();
        assert_eq!((w.name.as_str(), w.data), ("DefaultSecureProtocols", 0xA00));
        assert!(w.accepts(0xA80) && !w.accepts(0x80));
        assert_eq!(w.requires_update.as_deref(), Some("KB3140245"));
        let bits: u32 = r
            .winhttp
            .bits
            .iter()
            .filter(|b| b.version == "TLS1.1" || b.version == "TLS1.2")
            .map(|b| b.bit)
            .sum();
        assert_eq!(bits, 0xA00);
        assert!(kb.update("KB4022913").is_some());

        // Impacts and reasons.
        let impacts = r.without_tls12.impacts.join("\n");
        assert!(impacts.contains("Backup and restore"));
        assert!(impacts.contains("10054"));
        assert!(impacts.contains("forcibly closed"));
        assert!(impacts.contains("do not stop or start"));
        let reasons = r.without_tls12.reasons.join("\n");
        assert!(reasons.contains("older than 1.2"));
        assert!(reasons.contains("downgrade"));
        assert!(reasons.contains("highest protocol version both"));

        // The fix recipe names every one of these.
        let steps = kb.fix_steps("windows-client-tls12").join("\n");
        for needle in [
            "KB4019276",
            "KB3140245",
            "Windows Server 2008 SP2",
            "Windows 7",
            "Windows Server 2012",
            "SchUseStrongCrypto = 1",
            "SystemDefaultTlsVersions = 1",
            "Enabled = 1",
            "DisabledByDefault = 0",
            schannel,
            &net[0],
            &net[1],
            "0xA00",
            "obengine",
        ] {
            assert!(
                steps.contains(needle),
                "fix steps lack {needle:?}:\n{steps}"
            );
        }

        // The article's error and the references it links.
        let e = kb.error("connection-reset").unwrap();
        assert_eq!(
            (e.code, e.name.as_str(), e.posix.as_deref()),
            (Some(10054), "WSAECONNRESET", Some("ECONNRESET"))
        );
        assert!(e.meaning.contains("forcibly closed"));
        for url in [
            "https://learn.microsoft.com/windows/win32/secauthn/transport-layer-security-protocol",
            "https://learn.microsoft.com/security/engineering/solving-tls1-problem",
            "https://learn.microsoft.com/dotnet/framework/network-programming/tls",
            "https://learn.microsoft.com/windows/win32/secauthn/tls-handshake-protocol",
        ] {
            assert!(r.reference.iter().any(|x| x.url == url), "{url}");
        }
    }

    #[test]
    fn os_error_names_map_to_windows() {
        assert_eq!(
            windows_equivalent("ECONNRESET"),
            Some((10054, "WSAECONNRESET"))
        );
        assert_eq!(
            windows_equivalent("ETIMEDOUT"),
            Some((10060, "WSAETIMEDOUT"))
        );
        assert_eq!(
            windows_equivalent("econnrefused"),
            Some((10061, "WSAECONNREFUSED"))
        );
        assert_eq!(
            windows_equivalent("EHOSTUNREACH"),
            Some((10065, "WSAEHOSTUNREACH"))
        );
        assert_eq!(
            windows_equivalent("ENETUNREACH"),
            Some((10051, "WSAENETUNREACH"))
        );
        assert_eq!(
            windows_equivalent("ECONNABORTED"),
            Some((10053, "WSAECONNABORTED"))
        );
        assert_eq!(
            windows_equivalent("EAI_NONAME"),
            Some((11001, "WSAHOST_NOT_FOUND"))
        );
        assert_eq!(windows_equivalent("EPIPE"), None);
        assert_eq!(windows_equivalent("ENOSUCH"), None);
        assert_eq!(
            os_error_entry("WSAECONNRESET").map(|e| e.id.as_str()),
            Some("connection-reset")
        );
    }
}
