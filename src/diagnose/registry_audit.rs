//! The `.reg` audit: turns the keys and values of `reg export` files into the registry state of
//! a Windows client ([`crate::clients::effective::RegState`]), computes which TLS versions an
//! SChannel, a WinHTTP and a .NET 4.x client get on a given OS (or on every OS), and names each
//! missing or wrong value with its key, the value wanted and why.
//!
//! What to read and which values are wanted is data (`data/registry-rules.toml`, the
//! `[[registry]]` entries of `data/remediation.toml`); parsing is [`crate::winreg`]. No I/O.

use std::sync::LazyLock;

use serde::Deserialize;

use super::kb::{RegistryValue, kb};
use crate::clients::OsRow;
use crate::clients::clients;
use crate::clients::effective::{
    ClientKind, DotNetValues, ProtocolValues, RegState, View, WINHTTP_FIX,
};
use crate::model::{Finding, ProtocolVersion, Severity};
use crate::winreg::{Registry, Value};

const RULES_TOML: &str = include_str!("../../data/registry-rules.toml");

/// One protocol subkey.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolKey {
    /// Version spelling (`TLS1.2`).
    pub version: String,
    /// Subkey name under the base (`TLS 1.2`).
    pub subkey: String,
}

/// The suite-order policy location.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuitePolicy {
    /// Key path.
    pub key: String,
    /// Value name.
    pub value: String,
}

/// One checked value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wanted {
    /// `data/remediation.toml` registry id.
    pub id: String,
    /// Severity of its absence where it matters (`warning`) or where only documentation sets
    /// it (`info`).
    pub missing: Severity,
}

/// One `reg export` command of `--commands`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    /// Key to export.
    pub key: String,
    /// File name to write.
    pub file: String,
}

/// `data/registry-rules.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// SChannel `Protocols` key.
    pub schannel_base: String,
    /// Its subkeys.
    pub protocols: Vec<ProtocolKey>,
    /// `.NETFramework\v4.0.30319`, native then WOW6432Node.
    pub dotnet4: Vec<String>,
    /// `.NETFramework\v2.0.50727`, native then WOW6432Node.
    pub dotnet2: Vec<String>,
    /// WinHTTP keys, native then WOW6432Node.
    pub winhttp: Vec<String>,
    /// The suite-order policy.
    pub suite_policy: SuitePolicy,
    /// Values checked, in order.
    pub wanted: Vec<Wanted>,
    /// `--commands`.
    pub export: Vec<Export>,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| match toml::from_str(RULES_TOML) {
    Ok(r) => r,
    // Compiled in and parsed by the unit tests.
    #[allow(clippy::panic)]
    Err(e) => panic!("data/registry-rules.toml is invalid: {e}"),
});

/// The audit rules.
pub fn rules() -> &'static Rules {
    &RULES
}

/// A value of the wrong registry type: bad input, reported with the line it was set on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {name} under {key} is {found}, expected REG_DWORD")]
pub struct TypeError {
    /// `FILE:LINE`.
    pub origin: String,
    /// Key path.
    pub key: String,
    /// Value name.
    pub name: String,
    /// The type found.
    pub found: String,
}

fn view_index(i: usize) -> View {
    if i == 0 { View::Native } else { View::Wow64 }
}

fn dword(reg: &Registry, key: &str, name: &str, errors: &mut Vec<TypeError>) -> Option<u32> {
    let e = reg.value(key, name)?;
    match &e.value {
        Value::Dword(v) => Some(*v),
        other => {
            errors.push(TypeError {
                origin: e.origin.clone(),
                key: key.to_string(),
                name: name.to_string(),
                found: other.type_name(),
            });
            None
        }
    }
}

/// The client state a registry view describes (the update assumed installed: an export cannot
/// show it), and the values of the wrong type.
pub fn state_of(reg: &Registry) -> (RegState, Vec<TypeError>) {
    let r = rules();
    let mut errors = Vec::new();
    let mut st = RegState {
        update_installed: true,
        ..RegState::default()
    };
    for p in &r.protocols {
        let Some(v) = ProtocolVersion::parse(&p.version) else {
            continue;
        };
        for (side, map) in [
            ("Client", &mut st.schannel_client),
            ("Server", &mut st.schannel_server),
        ] {
            let key = format!("{}\\{}\\{side}", r.schannel_base, p.subkey);
            let vals = ProtocolValues {
                enabled: dword(reg, &key, "Enabled", &mut errors),
                disabled_by_default: dword(reg, &key, "DisabledByDefault", &mut errors),
            };
            if vals != ProtocolValues::default() {
                map.insert(v, vals);
            }
        }
    }
    for (i, key) in r.winhttp.iter().enumerate().take(2) {
        st.set_winhttp(
            view_index(i),
            dword(reg, key, "DefaultSecureProtocols", &mut errors),
        );
    }
    for (i, key) in r.dotnet4.iter().enumerate().take(2) {
        *st.dotnet4_mut(view_index(i)) = DotNetValues {
            strong_crypto: dword(reg, key, "SchUseStrongCrypto", &mut errors),
            system_default: dword(reg, key, "SystemDefaultTlsVersions", &mut errors),
        };
    }
    for (i, key) in r.dotnet2.iter().enumerate().take(2) {
        *st.dotnet2_mut(view_index(i)) = DotNetValues {
            strong_crypto: dword(reg, key, "SchUseStrongCrypto", &mut errors),
            system_default: dword(reg, key, "SystemDefaultTlsVersions", &mut errors),
        };
    }
    if let Some(e) = reg.value(&r.suite_policy.key, &r.suite_policy.value) {
        let names: Vec<String> = match &e.value {
            Value::String(s) | Value::ExpandString(s) => {
                s.split(',').map(|x| x.trim().to_string()).collect()
            }
            Value::MultiString(v) => v.clone(),
            other => {
                errors.push(TypeError {
                    origin: e.origin.clone(),
                    key: r.suite_policy.key.clone(),
                    name: r.suite_policy.value.clone(),
                    found: format!("{} (expected REG_SZ)", other.type_name()),
                });
                Vec::new()
            }
        };
        let ids: Vec<u16> = names
            .iter()
            .filter_map(|n| crate::registry::by_name(n).map(|s| s.id))
            .collect();
        st.suite_order = Some(ids);
    }
    (st, errors)
}

/// What one kind of client gets on one OS.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Effective {
    /// `schannel`, `winhttp` or `dotnet4`.
    pub client: &'static str,
    /// `64-bit` or `32-bit (WOW6432Node)`.
    pub view: &'static str,
    /// Versions offered, highest first.
    pub versions: Vec<ProtocolVersion>,
    /// Whether TLS 1.2 is offered.
    pub tls12: bool,
}

/// What each client kind gets on `os` in `st`, both views.
pub fn effective(os: &OsRow, st: &RegState) -> Vec<Effective> {
    let mut out = Vec::new();
    for kind in ClientKind::ALL {
        let views: &[View] = match kind {
            ClientKind::Schannel => &[View::Native],
            _ => &View::BOTH,
        };
        for &view in views {
            let versions = os.versions_for(st, kind, view);
            out.push(Effective {
                client: kind.as_str(),
                view: view.label(),
                tls12: versions.contains(&ProtocolVersion::Tls12),
                versions,
            });
        }
    }
    out
}

fn finding(id: &str, vars: &[(&str, String)], evidence: Vec<String>) -> Option<Finding> {
    let def = kb().finding(id)?;
    let mut summary = def.summary.clone();
    for (k, v) in vars {
        summary = summary.replace(&format!("{{{k}}}"), v);
    }
    let mut remediation = def.remediation.clone();
    let mut references = def.references.clone();
    for fix in &def.fixes {
        remediation.extend(kb().fix_steps(fix));
        for r in kb().fix_references(fix) {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
    }
    Some(Finding {
        id: def.id.clone(),
        severity: def.severity,
        summary,
        causes: def.causes.clone(),
        remediation,
        references,
        endpoints: Vec::new(),
        evidence,
    })
}

fn versions_text(v: &[ProtocolVersion]) -> String {
    if v.is_empty() {
        "no TLS version".into()
    } else {
        v.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
    }
}

/// Finding ids of the audit (each in `data/findings.toml`, tested).
pub mod ids {
    #![allow(missing_docs)]
    pub const TLS12_NOT_USABLE: &str = "registry-tls12-not-usable";
    pub const WOW64_NOT_USABLE: &str = "registry-wow64-not-usable";
    pub const VALUE_MISSING: &str = "registry-value-missing";
    pub const VALUE_RECOMMENDED: &str = "registry-value-recommended";
    pub const VALUE_WRONG: &str = "registry-value-wrong";
    pub const UPDATE_UNVERIFIABLE: &str = "registry-update-unverifiable";
    pub const SUITE_POLICY: &str = "registry-suite-policy";
    /// Every id above.
    pub const ALL: &[&str] = &[
        TLS12_NOT_USABLE,
        WOW64_NOT_USABLE,
        VALUE_MISSING,
        VALUE_RECOMMENDED,
        VALUE_WRONG,
        UPDATE_UNVERIFIABLE,
        SUITE_POLICY,
    ];
}

/// The state with one wanted value set as the article says, at key index `view` of its keys.
fn with_value(st: &RegState, r: &RegistryValue, view: usize) -> RegState {
    let mut s = st.clone();
    let v = view_index(view);
    let set = |d: &mut DotNetValues, name: &str| {
        if name.eq_ignore_ascii_case("SchUseStrongCrypto") {
            d.strong_crypto = Some(r.data);
        } else {
            d.system_default = Some(r.data);
        }
    };
    match r.id.as_str() {
        "schannel-tls12-client-enabled" => {
            s.schannel_client
                .entry(ProtocolVersion::Tls12)
                .or_default()
                .enabled = Some(r.data);
        }
        "schannel-tls12-client-disabledbydefault" => {
            s.schannel_client
                .entry(ProtocolVersion::Tls12)
                .or_default()
                .disabled_by_default = Some(r.data);
        }
        "winhttp-defaultsecureprotocols" => s.set_winhttp(v, Some(WINHTTP_FIX)),
        id if id.starts_with("dotnet4") => set(s.dotnet4_mut(v), &r.name),
        id if id.starts_with("dotnet2") => set(s.dotnet2_mut(v), &r.name),
        _ => {}
    }
    s
}

/// Whether setting the value changes whether some client gets TLS 1.2 on `os`.
fn matters(os: &OsRow, st: &RegState, r: &RegistryValue, view: usize) -> bool {
    let before = effective(os, st);
    let after = effective(os, &with_value(st, r, view));
    before
        .iter()
        .zip(after.iter())
        .any(|(b, a)| b.tls12 != a.tls12)
}

/// The audit of one registry view: findings, worst first.
pub fn audit(reg: &Registry, st: &RegState, os: Option<&OsRow>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let all_os: Vec<&OsRow> = clients().os.iter().collect();
    for w in &rules().wanted {
        let Some(r) = kb().registry_value(&w.id) else {
            continue;
        };
        for (i, key) in r.keys.iter().enumerate() {
            match reg.value(key, &r.name) {
                Some(e) => {
                    let Value::Dword(d) = e.value else { continue };
                    if !r.accepts(d) {
                        let f = finding(
                            ids::VALUE_WRONG,
                            &[
                                ("name", r.name.clone()),
                                ("key", key.clone()),
                                ("data", format!("{d} (0x{d:X})")),
                                ("origin", e.origin.clone()),
                                ("want", r.data_text()),
                                ("why", r.purpose.clone()),
                            ],
                            vec![format!("{}: {}\\{} = dword:{d:08x}", e.origin, key, r.name)],
                        );
                        out.extend(f);
                    }
                }
                None => {
                    let (id, effect) = if w.missing == Severity::Info {
                        (
                            ids::VALUE_RECOMMENDED,
                            "recommended by Microsoft's .NET documentation".to_string(),
                        )
                    } else {
                        let hit: Vec<&str> = match os {
                            Some(o) => {
                                if matters(o, st, r, i) {
                                    vec![o.name.as_str()]
                                } else {
                                    Vec::new()
                                }
                            }
                            None => all_os
                                .iter()
                                .filter(|o| matters(o, st, r, i))
                                .map(|o| o.id.as_str())
                                .collect(),
                        };
                        if hit.is_empty() {
                            continue;
                        }
                        (
                            ids::VALUE_MISSING,
                            format!("without it TLS 1.2 is not used on {}", hit.join(", ")),
                        )
                    };
                    out.extend(finding(
                        id,
                        &[
                            ("name", r.name.clone()),
                            ("key", key.clone()),
                            ("want", r.data_text()),
                            ("effect", effect),
                            ("why", r.purpose.clone()),
                        ],
                        vec![format!("{key}\\{} absent", r.name)],
                    ));
                }
            }
        }
    }
    match os {
        Some(o) => {
            for e in effective(o, st) {
                if e.tls12 {
                    continue;
                }
                let id = if e.view.starts_with("64") {
                    ids::TLS12_NOT_USABLE
                } else {
                    ids::WOW64_NOT_USABLE
                };
                out.extend(finding(
                    id,
                    &[
                        ("client", client_name(e.client).to_string()),
                        ("os", o.name.clone()),
                        ("versions", versions_text(&e.versions)),
                    ],
                    vec![format!(
                        "{} ({}): {}",
                        e.client,
                        e.view,
                        versions_text(&e.versions)
                    )],
                ));
            }
            if let Some(u) = &o.update {
                out.extend(finding(
                    ids::UPDATE_UNVERIFIABLE,
                    &[("os", o.name.clone()), ("kb", u.clone())],
                    Vec::new(),
                ));
            }
        }
        None => {
            // Unusable on every Windows version: something switches TLS 1.2 off.
            for kind in ["schannel", "winhttp", "dotnet4"] {
                let never = all_os.iter().all(|o| {
                    effective(o, st)
                        .iter()
                        .filter(|e| e.client == kind && e.view.starts_with("64"))
                        .all(|e| !e.tls12)
                });
                if never {
                    out.extend(finding(
                        ids::TLS12_NOT_USABLE,
                        &[
                            ("client", client_name(kind).to_string()),
                            ("os", "any Windows version".into()),
                            ("versions", "no TLS 1.2".into()),
                        ],
                        Vec::new(),
                    ));
                }
            }
        }
    }
    if let Some(order) = &st.suite_order {
        let good = order.iter().any(|&id| {
            crate::registry::suite(id).is_some_and(|s| {
                s.valid_for(ProtocolVersion::Tls12)
                    && s.forward_secret()
                    && matches!(s.kx, crate::registry::Kx::Ecdhe)
            })
        });
        if !good {
            let origin = reg
                .value(&rules().suite_policy.key, &rules().suite_policy.value)
                .map(|e| e.origin.clone())
                .unwrap_or_default();
            out.extend(finding(
                ids::SUITE_POLICY,
                &[("origin", origin), ("count", order.len().to_string())],
                Vec::new(),
            ));
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

fn client_name(kind: &str) -> &'static str {
    match kind {
        "schannel" => "An SChannel application asking for the system default",
        "winhttp" => "A WinHTTP application",
        _ => "A .NET Framework 4.x application (like the MARS agent)",
    }
}

/// The `.reg` text (CRLF lines, `Windows Registry Editor Version 5.00`) that sets every wanted
/// value as the article says; the caller encodes it as UTF-16LE with a BOM.
pub fn fix_text() -> String {
    let mut keys: Vec<(String, Vec<(String, u32)>)> = Vec::new();
    for w in &rules().wanted {
        let Some(r) = kb().registry_value(&w.id) else {
            continue;
        };
        for k in &r.keys {
            let full = crate::winreg::canonical_key(k);
            match keys.iter_mut().find(|(p, _)| p.eq_ignore_ascii_case(&full)) {
                Some((_, vals)) => vals.push((r.name.clone(), r.data)),
                None => keys.push((full, vec![(r.name.clone(), r.data)])),
            }
        }
    }
    let mut s = String::from("Windows Registry Editor Version 5.00\r\n");
    for (k, vals) in keys {
        s.push_str("\r\n[");
        s.push_str(&k);
        s.push_str("]\r\n");
        for (n, d) in vals {
            s.push_str(&format!("\"{n}\"=dword:{d:08x}\r\n"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_point_at_knowledge_base_entries() {
        let r = rules();
        for w in &r.wanted {
            let v = kb()
                .registry_value(&w.id)
                .unwrap_or_else(|| panic!("{}", w.id));
            assert_eq!(v.value_type, "REG_DWORD", "{}", w.id);
        }
        for p in &r.protocols {
            assert!(
                ProtocolVersion::parse(&p.version).is_some(),
                "{}",
                p.version
            );
        }
        assert!(!r.export.is_empty());
        for id in ids::ALL {
            assert!(
                kb().finding(id).is_some(),
                "{id} missing from findings.toml"
            );
        }
    }

    #[test]
    fn the_fix_text_parses_and_sets_everything() {
        let text = fix_text();
        let f = crate::winreg::parse(text.as_bytes()).unwrap();
        let mut reg = Registry::default();
        reg.apply(&f, "fix.reg");
        let (st, errs) = state_of(&reg);
        assert!(errs.is_empty());
        for os in &clients().os {
            assert!(effective(os, &st).iter().all(|e| e.tls12), "{}", os.id);
            assert!(
                audit(&reg, &st, Some(os))
                    .iter()
                    .all(|f| f.severity == Severity::Info)
            );
        }
    }
}
