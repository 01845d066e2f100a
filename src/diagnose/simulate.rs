//! Simulations → findings: what the simulated Windows client sees for each outcome (from
//! `data/clients.toml` `[windows_view]` and `data/errors.toml`), which finding applies, and the
//! remediation — the proven client fix first, or, when no change on the client helps, the
//! change the server needs.

use super::kb::{FindingDef, kb};
use crate::clients::clients;
use crate::model::{Finding, Outcome, ProtocolVersion, SimulationReport, TargetReport};

/// Finding ids of the simulation rules (each is in `data/findings.toml`, tested).
pub mod ids {
    #![allow(missing_docs)]
    pub const CLIENT_RESET: &str = "client-reset";
    pub const CLIENT_NO_SHARED_VERSION: &str = "client-no-shared-version";
    pub const CLIENT_NO_SHARED_CIPHER: &str = "client-no-shared-cipher";
    pub const CLIENT_HANDSHAKE_FAILED: &str = "client-handshake-failed";
    pub const CLIENT_TIMEOUT: &str = "client-timeout";
    pub const CLIENT_UNREACHABLE: &str = "client-unreachable";
    pub const CLIENT_LEGACY_VERSION: &str = "client-legacy-version";
    /// Every id above.
    pub const ALL: &[&str] = &[
        CLIENT_RESET,
        CLIENT_NO_SHARED_VERSION,
        CLIENT_NO_SHARED_CIPHER,
        CLIENT_HANDSHAKE_FAILED,
        CLIENT_TIMEOUT,
        CLIENT_UNREACHABLE,
        CLIENT_LEGACY_VERSION,
    ];
}

/// What a Windows client reports for one simulation's outcome, e.g.
/// `WSAECONNRESET (10054)`, `ERROR_WINHTTP_CONNECTION_ERROR (12030, 0x80072EFE)`.
pub fn windows_errors(s: &SimulationReport) -> Vec<String> {
    let key = if s.outcome == Outcome::Malformed
        && s.detail
            .as_deref()
            .is_some_and(|d| d.contains("did not offer"))
    {
        "unoffered"
    } else {
        s.outcome.as_str()
    };
    let Some(ids) = clients().windows_view.get(key) else {
        return Vec::new();
    };
    ids.iter()
        .filter_map(|id| kb().error(id))
        .map(|e| {
            let mut nums: Vec<String> = Vec::new();
            if let Some(c) = e.code
                && !e.name.contains(&c.to_string())
            {
                nums.push(c.to_string());
            }
            if let Some(h) = e.hresult() {
                nums.push(format!("0x{h:08X}"));
            }
            let mut text = if nums.is_empty() {
                e.name.clone()
            } else {
                format!("{} ({})", e.name, nums.join(", "))
            };
            if e.id == "schannel-event-36887"
                && let Some(a) = s.alert_code
            {
                text.push_str(&format!(" with alert {a}"));
            }
            text
        })
        .collect()
}

/// Fills in the Windows view of every simulation of a probed target.
pub fn annotate(report: &mut TargetReport) {
    for ep in &mut report.endpoints {
        for s in ep.simulation.iter_mut().chain(ep.simulations.iter_mut()) {
            s.windows_errors = windows_errors(s);
        }
    }
}

/// Findings for a simulated target: DNS failures as `check` reports them, then one finding per
/// failing (or legacy-only) client, listing the endpoints it concerns.
pub fn findings(report: &TargetReport) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    if report.dns.error.is_some() || report.endpoints.is_empty() {
        out.extend(super::diagnose(report, &super::Context::default()));
    }
    for ep in &report.endpoints {
        for s in ep.simulation.iter().chain(ep.simulations.iter()) {
            let Some(f) = finding_for(s) else { continue };
            match out
                .iter_mut()
                .find(|o| o.id == f.id && o.summary == f.summary && o.remediation == f.remediation)
            {
                Some(o) => {
                    if !o.endpoints.contains(&ep.ip) {
                        o.endpoints.push(ep.ip.clone());
                    }
                }
                None => {
                    let mut f = f;
                    f.endpoints.push(ep.ip.clone());
                    out.push(f);
                }
            }
        }
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

fn versions_text(vs: &[ProtocolVersion]) -> String {
    if vs.is_empty() {
        return "no protocol version".into();
    }
    vs.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
}

fn how(s: &SimulationReport) -> String {
    match (s.outcome, &s.alert, s.alert_code) {
        (Outcome::Alert, Some(a), Some(c)) => format!("alert {a} ({c})"),
        _ => match &s.detail {
            Some(d) => format!("{}: {d}", s.outcome.as_str()),
            None => s.outcome.as_str().to_string(),
        },
    }
}

/// The finding of one simulation, or `None` when the client is fine.
pub fn finding_for(s: &SimulationReport) -> Option<Finding> {
    if s.ok() {
        return None;
    }
    let windows = if s.windows_errors.is_empty() {
        windows_errors(s).join(", ")
    } else {
        s.windows_errors.join(", ")
    };
    let offered = versions_text(&s.offered.versions);
    let id = match (s.outcome, s.alert_code) {
        (Outcome::Accepted, _) => ids::CLIENT_LEGACY_VERSION,
        (Outcome::Reset, _) => ids::CLIENT_RESET,
        (Outcome::Alert, Some(70)) | (Outcome::WrongVersion, _) => ids::CLIENT_NO_SHARED_VERSION,
        (Outcome::Alert, Some(40 | 71)) => ids::CLIENT_NO_SHARED_CIPHER,
        (Outcome::Timeout, _) => ids::CLIENT_TIMEOUT,
        (Outcome::Refused, _) => ids::CLIENT_UNREACHABLE,
        _ => ids::CLIENT_HANDSHAKE_FAILED,
    };
    let vars: Vec<(&str, String)> = vec![
        ("client", s.client.clone()),
        ("offered", offered.clone()),
        ("windows", windows),
        ("how", how(s)),
        ("version", s.version.map_or("?", |v| v.name()).to_string()),
        ("cipher", s.cipher.clone().unwrap_or_default()),
    ];
    let def: &FindingDef = kb().finding(id)?;
    let mut summary = def.summary.clone();
    for (k, v) in &vars {
        summary = summary.replace(&format!("{{{k}}}"), v);
    }
    let mut remediation = Vec::new();
    let mut references = def.references.clone();
    let mut evidence = vec![format!("{}: {}", s.client, how(s))];
    if matches!(s.outcome, Outcome::Timeout | Outcome::Refused) {
        remediation.extend(def.remediation.iter().cloned());
    } else if s.fix_verified == Some(true) {
        let fix = s.fix_client.clone().unwrap_or_default();
        remediation.push(format!(
            "Apply {fix} ({}): verified — the fixed profile got {} with {} from this endpoint.",
            describe_fix(&s.client, &fix),
            s.fix_version.map_or("?", |v| v.name()),
            s.fix_cipher.as_deref().unwrap_or("?")
        ));
        let added = added_modifiers(&s.client, &fix);
        if added.contains(&"kb")
            && let Some(u) = update_of(&s.client).and_then(|u| kb().update(u))
        {
            remediation.push(format!("Install {}: {} {}", u.id, u.summary, u.url));
            if !references.contains(&u.url) {
                references.push(u.url.clone());
            }
        }
        for m in &added {
            for id in clients().modifier_values.get(*m).into_iter().flatten() {
                if let Some(r) = kb().registry_value(id) {
                    remediation.push(registry_step(r));
                }
            }
        }
        for r in kb().fix_references("windows-client-tls12") {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
        remediation.extend(def.remediation.iter().cloned());
        evidence.push(format!(
            "{fix}: {} {}",
            s.fix_version.map_or("?", |v| v.name()),
            s.fix_cipher.as_deref().unwrap_or("")
        ));
    } else {
        if let (Some(fix), Some(o)) = (&s.fix_client, s.fix_outcome) {
            evidence.push(format!("{fix}: {} as well", o.as_str()));
            remediation.push(format!(
                "The article's fix ({fix}) does not help here: the fixed profile got {} too.",
                o.as_str()
            ));
        }
        remediation.push(server_side(s, id));
        remediation.extend(def.remediation.iter().cloned());
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

/// The change the server needs when none on the client helps.
fn server_side(s: &SimulationReport, id: &str) -> String {
    let t = &clients().server_fix;
    let template = match id {
        ids::CLIENT_NO_SHARED_VERSION => &t.version,
        ids::CLIENT_NO_SHARED_CIPHER => &t.cipher,
        _ if s.alert_code == Some(70) => &t.version,
        _ if s.alert_code == Some(40) => &t.cipher,
        _ => &t.other,
    };
    let suites: Vec<&str> = s
        .offered
        .ciphers
        .iter()
        .filter(|n| crate::registry::by_name(n).is_some_and(|i| i.forward_secret() || i.aead))
        .take(4)
        .map(String::as_str)
        .collect();
    template
        .replace("{client}", &s.client)
        .replace("{offered}", &versions_text(&s.offered.versions))
        .replace("{suites}", &suites.join(", "))
}

/// The OS id at the start of a profile name (`win2008r2+kb` → `win2008r2`).
fn os_of(client: &str) -> &str {
    client.split(['+', ' ']).next().unwrap_or(client)
}

fn update_of(client: &str) -> Option<&'static str> {
    clients().os(os_of(client))?.update.as_deref()
}

/// The modifiers the fixed profile adds; every one for a profile from a registry export.
fn added_modifiers<'a>(client: &str, fix: &'a str) -> Vec<&'a str> {
    if client.contains(' ') || fix.contains(' ') {
        return vec!["kb", "tls12", "strongcrypto"];
    }
    let had: Vec<&str> = client.split('+').skip(1).collect();
    fix.split('+')
        .skip(1)
        .filter(|m| !had.contains(m) && *m != "dotnet")
        .collect()
}

/// One registry value as a fix step.
fn registry_step(r: &super::kb::RegistryValue) -> String {
    format!(
        "Set {} = {} ({}) under {}: {}",
        r.name,
        r.data_text(),
        r.value_type,
        r.keys.join(" and "),
        r.purpose
    )
}

/// What the fixed profile changes, from the modifier descriptions of `data/clients.toml`.
fn describe_fix(client: &str, fix: &str) -> String {
    let added: Vec<String> = added_modifiers(client, fix)
        .into_iter()
        .filter_map(|m| match (m, update_of(client)) {
            ("kb", Some(u)) => Some(format!(
                "install {u} and set WinHTTP DefaultSecureProtocols = 0xA00"
            )),
            _ => clients().modifiers.get(m).cloned(),
        })
        .collect();
    if added.is_empty() {
        "the article's registry values and update".to_string()
    } else {
        added.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::effective::WINHTTP_BITS;
    use crate::registry::ProtocolVersion as V;

    #[test]
    fn client_data_points_at_knowledge_base_entries() {
        let c = clients();
        for (outcome, ids) in &c.windows_view {
            for id in ids {
                assert!(kb().error(id).is_some(), "windows_view.{outcome}: {id}");
            }
        }
        for ids in c.modifier_values.values() {
            for id in ids {
                assert!(kb().registry_value(id).is_some(), "{id}");
            }
        }
        for os in &c.os {
            if let Some(k) = &os.kb_os {
                assert!(kb().os(k).is_some(), "{}: kb_os {k}", os.id);
            }
            if let Some(u) = &os.update {
                assert!(kb().update(u).is_some(), "{}: update {u}", os.id);
            }
        }
    }

    #[test]
    fn winhttp_bits_agree_with_the_knowledge_base() {
        for b in &kb().remediation.winhttp.bits {
            let v = V::parse(&b.version).unwrap();
            assert!(WINHTTP_BITS.contains(&(v, b.bit)), "{}", b.version);
        }
    }

    fn sim(outcome: Outcome, alert: Option<u8>) -> SimulationReport {
        SimulationReport {
            client: "win2012r2".into(),
            offered: crate::model::Offered {
                versions: vec![V::Tls12, V::Tls11, V::Tls10],
                ciphers: vec!["TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384".into()],
                groups: vec!["secp256r1".into()],
            },
            outcome,
            version: None,
            cipher: None,
            cipher_openssl: None,
            group: None,
            alert: alert
                .and_then(crate::registry::alert_name)
                .map(str::to_string),
            alert_code: alert,
            os_error: None,
            windows_errors: Vec::new(),
            detail: None,
            duration_ms: 1.0,
            fix_client: None,
            fix_verified: None,
            fix_outcome: None,
            fix_version: None,
            fix_cipher: None,
            server_change_needed: true,
        }
    }

    #[test]
    fn outcomes_map_to_findings_and_windows_errors() {
        let cases = [
            (
                Outcome::Reset,
                None,
                ids::CLIENT_RESET,
                "WSAECONNRESET (10054",
            ),
            (
                Outcome::Alert,
                Some(70),
                ids::CLIENT_NO_SHARED_VERSION,
                "36887 with alert 70",
            ),
            (
                Outcome::Alert,
                Some(40),
                ids::CLIENT_NO_SHARED_CIPHER,
                "SEC_E_ILLEGAL_MESSAGE",
            ),
            (Outcome::Timeout, None, ids::CLIENT_TIMEOUT, "WSAETIMEDOUT"),
            (Outcome::Refused, None, ids::CLIENT_UNREACHABLE, "10061"),
            (Outcome::Closed, None, ids::CLIENT_HANDSHAKE_FAILED, "12030"),
        ];
        for (o, a, id, win) in cases {
            let s = sim(o, a);
            let f = finding_for(&s).unwrap();
            assert_eq!(f.id, id, "{o:?}");
            assert!(f.summary.contains(win), "{o:?}: {}", f.summary);
        }
        let mut ok = sim(Outcome::Accepted, None);
        ok.version = Some(V::Tls12);
        assert!(finding_for(&ok).is_none());
        ok.version = Some(V::Tls10);
        assert_eq!(finding_for(&ok).unwrap().id, ids::CLIENT_LEGACY_VERSION);
    }

    #[test]
    fn a_verified_fix_comes_first_else_the_server_side_change() {
        let mut s = sim(Outcome::Reset, None);
        s.client = "win2008r2".into();
        s.fix_client = Some("win2008r2+kb+tls12".into());
        s.fix_verified = Some(true);
        s.fix_version = Some(V::Tls12);
        s.fix_cipher = Some("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384".into());
        let f = finding_for(&s).unwrap();
        assert!(
            f.remediation[0].starts_with("Apply win2008r2+kb+tls12"),
            "{:?}",
            f.remediation
        );
        assert!(f.remediation.iter().any(|r| r.contains("KB3140245")));
        assert!(
            f.remediation
                .iter()
                .any(|r| r.contains("DisabledByDefault = 0"))
        );
        let s = sim(Outcome::Alert, Some(40));
        let f = finding_for(&s).unwrap();
        assert!(
            f.remediation[0].starts_with("No change on win2012r2 helps"),
            "{:?}",
            f.remediation
        );
        assert!(f.remediation[0].contains("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"));
    }
}
