use super::effective::{ClientKind, Modifiers, Profile, RegState, View};
use super::*;
use crate::registry::ProtocolVersion as V;
use crate::wire::Extension;

#[test]
fn embedded_file_loads_and_validates() {
    let c = Clients::parse().unwrap();
    assert!(c.fixed("modern").is_some());
    for id in [
        "win2008sp2",
        "win2008r2",
        "win2012",
        "win2012r2",
        "win2016",
        "win2019",
        "win2022",
        "win2025",
        "win7",
        "win8.1",
        "win10",
        "win11",
    ] {
        let os = c.os(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(!os.suites.is_empty() && !os.sources.is_empty(), "{id}");
        for v in &os.default_on {
            assert!(
                os.schannel.contains(v),
                "{id}: {v:?} on by default but not implemented"
            );
        }
    }
}

#[test]
fn bad_rows_are_rejected_with_their_name() {
    let text = CLIENTS_TOML.replacen(
        "\"TLS_RSA_WITH_AES_128_CBC_SHA\",",
        "\"TLS_NO_SUCH_SUITE\",",
        1,
    );
    let e = Clients::parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("TLS_NO_SUCH_SUITE"), "{e}");
    let text = CLIENTS_TOML.replacen("\"secp384r1\"", "\"secp999\"", 1);
    assert!(
        Clients::parse_str(&text)
            .unwrap_err()
            .to_string()
            .contains("secp999")
    );
    let text = CLIENTS_TOML.replacen("record = \"highest\"", "record = \"sideways\"", 1);
    assert!(Clients::parse_str(&text).is_err());
    let text = CLIENTS_TOML.replacen("extended_master_secret", "telepathy", 1);
    assert!(
        Clients::parse_str(&text)
            .unwrap_err()
            .to_string()
            .contains("telepathy")
    );
}

/// The negotiation hello `check` sent before profiles became data.
fn old_negotiation_hello(sni: Option<&str>) -> crate::wire::ClientHello {
    const BROWSER_SUITES: &[u16] = &[
        0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC024, 0xC028,
        0xC023, 0xC027, 0xC009, 0xC013, 0xC00A, 0xC014, 0x009E, 0x009F, 0x009C, 0x009D, 0x003C,
        0x003D, 0x002F, 0x0035, 0x000A,
    ];
    let mut hello = crate::wire::probe_hello(0x0304, BROWSER_SUITES, sni);
    for ext in &mut hello.extensions {
        if let Extension::SupportedVersions(v) = ext {
            *v = vec![0x0304, 0x0303, 0x0302, 0x0301, 0x0300];
        }
    }
    let at = hello.extensions.len().saturating_sub(1);
    hello.extensions.insert(
        at,
        Extension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
    );
    hello
}

#[test]
fn modern_profile_is_the_old_negotiation_hello() {
    for sni in [Some("example.com"), None, Some("192.0.2.1")] {
        let old = old_negotiation_hello(sni);
        let mut new = modern().client_hello(sni);
        assert_eq!(new.session_id.len(), 32);
        new.random = old.random;
        new.session_id = old.session_id.clone();
        assert_eq!(new, old, "sni {sni:?}");
        assert_eq!(new.encode(), old.encode());
    }
}

fn profile(name: &str) -> Profile {
    Profile::parse(name).unwrap()
}

#[test]
fn bare_2008r2_offers_tls10_only_and_no_tls12_suites() {
    let p = profile("win2008r2");
    assert_eq!(p.spec.versions, vec![V::Tls10]);
    let names = p.spec.suite_names();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("GCM") && !n.ends_with("SHA256") && !n.ends_with("SHA384"))
    );
    assert_eq!(names[0], "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
    let hello = p.spec.client_hello(Some("backup.example"));
    assert_eq!(hello.legacy_version, 0x0301);
    assert_eq!(hello.record_version, 0x0301);
    assert!(
        !hello
            .extensions
            .iter()
            .any(|e| matches!(e, Extension::SignatureAlgorithms(_)))
    );
}

#[test]
fn modifiers_follow_the_article() {
    assert_eq!(profile("win2008r2+kb").spec.versions, vec![V::Tls10]);
    assert_eq!(
        profile("win2008r2+tls12").spec.versions,
        vec![V::Tls12, V::Tls10]
    );
    let fixed = profile("win2008r2+fixed");
    assert_eq!(fixed.name, "win2008r2+kb+tls12");
    assert_eq!(fixed.spec.versions, vec![V::Tls12, V::Tls10]);
    // The Windows 7 capture's order, TLS 1.2 first suite ECDHE_RSA AES-256 CBC SHA-384.
    assert_eq!(
        fixed.spec.suite_names()[0],
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"
    );
    let hello = fixed.spec.client_hello(None);
    assert_eq!(
        (hello.record_version, hello.legacy_version),
        (0x0303, 0x0303)
    );
    // 2008 SP2: TLS 1.2 needs the update *and* the values.
    assert_eq!(profile("win2008sp2+tls12").spec.versions, vec![V::Tls10]);
    assert_eq!(
        profile("win2008sp2+kb+tls12").spec.versions,
        vec![V::Tls12, V::Tls10]
    );
    // 2008 SP2 has no SHA-2 or GCM suite even with TLS 1.2.
    assert!(
        profile("win2008sp2+fixed")
            .spec
            .suite_names()
            .iter()
            .all(|n| !n.contains("GCM") && !n.contains("SHA256"))
    );
    // .NET without the values: TLS 1.0 even on 2012 R2; strong crypto fixes it.
    assert_eq!(profile("win2012r2+dotnet").spec.versions, vec![V::Tls10]);
    assert_eq!(
        profile("win2012r2+dotnet+strongcrypto").spec.versions,
        vec![V::Tls12, V::Tls11, V::Tls10]
    );
    assert_eq!(profile("win2022").spec.highest(), Some(V::Tls13));
    assert_eq!(
        profile("win2022").spec.suite_names()[0],
        "TLS_AES_256_GCM_SHA384"
    );
}

#[test]
fn old_windows_has_no_ecdhe_rsa_gcm() {
    for os in ["win7", "win2008r2", "win2012", "win2012r2", "win8.1"] {
        let p = profile(&format!("{os}+fixed"));
        assert!(
            !p.spec
                .suite_names()
                .iter()
                .any(|n| n.starts_with("TLS_ECDHE_RSA") && n.contains("GCM")),
            "{os}"
        );
    }
    assert!(
        profile("win2016")
            .spec
            .suite_names()
            .contains(&"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".to_string())
    );
}

#[test]
fn fix_is_minimal_and_absent_when_nothing_changes() {
    assert_eq!(
        profile("win2008r2").fixed().unwrap().name,
        "win2008r2+kb+tls12"
    );
    assert_eq!(
        profile("win2012r2+dotnet").fixed().unwrap().name,
        "win2012r2+dotnet+strongcrypto"
    );
    assert!(profile("win2012r2").fixed().is_none());
    assert!(profile("modern").fixed().is_none());
    assert_eq!(
        profile("win2008sp2").fixed().unwrap().name,
        "win2008sp2+kb+tls12"
    );
}

#[test]
fn unknown_names_are_errors() {
    assert!(
        Profile::parse("win95")
            .unwrap_err()
            .reason
            .contains("win2012r2")
    );
    assert!(
        Profile::parse("win2012r2+magic")
            .unwrap_err()
            .reason
            .contains("+strongcrypto")
    );
    assert!(Profile::parse("modern+kb").is_err());
}

#[test]
fn winhttp_and_registry_views() {
    let os = clients().os("win2008r2").unwrap();
    let mut st = RegState::default();
    assert_eq!(
        os.versions_for(&st, ClientKind::WinHttp, View::Native),
        vec![V::Tls10]
    );
    st.set_winhttp(View::Native, Some(0xA00));
    // Without the update WinHTTP ignores the value.
    assert_eq!(
        os.versions_for(&st, ClientKind::WinHttp, View::Native),
        vec![V::Tls10]
    );
    st.update_installed = true;
    assert_eq!(
        os.versions_for(&st, ClientKind::WinHttp, View::Native),
        vec![V::Tls12, V::Tls11]
    );
    assert_eq!(
        os.versions_for(&st, ClientKind::WinHttp, View::Wow64),
        vec![V::Tls10]
    );
    // TLS 1.2 switched off wins over everything.
    st.schannel_client.insert(
        V::Tls12,
        effective::ProtocolValues {
            enabled: Some(0),
            disabled_by_default: Some(0),
        },
    );
    assert_eq!(
        os.versions_for(&st, ClientKind::WinHttp, View::Native),
        vec![V::Tls11]
    );
    let m = Modifiers {
        dotnet: true,
        strongcrypto: true,
        ..Modifiers::default()
    };
    assert_eq!(m.kind(), ClientKind::DotNet4);
}
