//! `tlsprobe registry` on the fixtures of `fixtures/registry/` (UTF-16LE BOM exports as reg.exe
//! writes them, UTF-8 with and without BOM, REGEDIT4): the exact findings per file, the
//! effective versions per client, bad input naming file and line (exit 3, other files still
//! audited), `--write-fix` producing a file that audits clean, `--commands`.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::harness::{TempDir, run_tlsprobe_with};

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/registry")
        .join(name)
        .display()
        .to_string()
}

/// Runs `tlsprobe registry ARGS --format json`, validates it against the schema, returns
/// (exit code, the `registry` object).
fn audit(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["registry", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_tlsprobe_with(&all, &[], Duration::from_secs(60)).expect("run");
    let code = out.code.expect("killed");
    let doc: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr));
    assert_eq!(doc["command"], "registry");
    let dir = TempDir::new("registry-schema").expect("tmp");
    crate::schema::validate(&out.stdout, &dir);
    (code, doc["registry"].clone())
}

/// `(id, summary fragment)` of every finding, in report order.
fn findings(r: &Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn ids(r: &Value) -> Vec<String> {
    findings(r).into_iter().map(|(id, _)| id).collect()
}

fn effective(r: &Value) -> Vec<(String, String, bool)> {
    r["effective"]
        .as_array()
        .expect("effective")
        .iter()
        .map(|e| {
            (
                e["client"].as_str().unwrap().to_string(),
                e["view"].as_str().unwrap().to_string(),
                e["tls12"].as_bool().unwrap(),
            )
        })
        .collect()
}

const DOTNET2_RECOMMENDED: [&str; 4] = [
    "registry-value-recommended",
    "registry-value-recommended",
    "registry-value-recommended",
    "registry-value-recommended",
];

#[test]
fn server_2008_r2_without_the_values_is_critical_for_every_client() {
    let (code, r) = audit(&[&fixture("2008r2-defaults.reg"), "--os", "win2008r2"]);
    assert_eq!(code, 2);
    assert_eq!(r["files"][0]["encoding"], "UTF-16LE with BOM");
    assert!(effective(&r).iter().all(|(_, _, ok)| !ok), "{r:#}");
    let mut want = vec![
        "registry-tls12-not-usable",
        "registry-tls12-not-usable",
        "registry-tls12-not-usable",
        "registry-value-missing",
        "registry-value-missing",
        "registry-value-missing",
        "registry-value-missing",
        "registry-value-missing",
        "registry-wow64-not-usable",
        "registry-wow64-not-usable",
    ];
    want.extend(DOTNET2_RECOMMENDED);
    want.push("registry-update-unverifiable");
    assert_eq!(ids(&r), want);
    let f = findings(&r);
    assert!(f[0].1.starts_with("An SChannel application"), "{}", f[0].1);
    assert!(f[1].1.starts_with("A WinHTTP application"));
    assert!(f[2].1.contains(".NET Framework 4.x"));
    assert!(f[3].1.starts_with("DisabledByDefault is not set under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client"));
    assert!(f[4].1.starts_with(
        "SchUseStrongCrypto is not set under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319"
    ));
    assert!(
        f[5].1
            .starts_with("SchUseStrongCrypto is not set under HKLM\\SOFTWARE\\WOW6432Node")
    );
    assert!(
        f[6].1.starts_with(
            "DefaultSecureProtocols is not set under HKLM\\SOFTWARE\\Microsoft\\Windows"
        )
    );
    assert!(
        f[7].1
            .starts_with("DefaultSecureProtocols is not set under HKLM\\SOFTWARE\\Wow6432Node")
    );
    assert!(f[14].1.contains("KB3140245"));
    // On 2012 R2 the same export lacks only the .NET values.
    let (code, r) = audit(&[&fixture("2008r2-defaults.reg"), "--os", "win2012r2"]);
    assert_eq!(code, 2);
    let crit: Vec<String> = findings(&r)
        .into_iter()
        .filter(|(id, _)| id == "registry-tls12-not-usable")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(crit.len(), 1);
    assert!(crit[0].contains(".NET"));
}

#[test]
fn the_fixed_export_audits_clean() {
    let (code, r) = audit(&[&fixture("2008r2-fixed.reg"), "--os", "win2008r2"]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(ids(&r), vec!["registry-update-unverifiable"]);
    assert!(effective(&r).iter().all(|(_, _, ok)| *ok));
    let (code, r) = audit(&[&fixture("2008r2-fixed.reg")]);
    assert_eq!(code, 0);
    assert!(ids(&r).is_empty());
    assert_eq!(r["os_matrix"].as_array().unwrap().len(), 12);
}

#[test]
fn a_partly_fixed_export_warns_about_the_32_bit_view() {
    let (code, r) = audit(&[&fixture("2008r2-partial.utf8.reg"), "--os", "win2008r2"]);
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(r["files"][0]["encoding"], "UTF-8");
    let mut want = vec![
        "registry-value-missing",
        "registry-value-missing",
        "registry-wow64-not-usable",
    ];
    want.extend(DOTNET2_RECOMMENDED);
    want.push("registry-update-unverifiable");
    assert_eq!(ids(&r), want);
    let f = findings(&r);
    assert!(f[0].1.starts_with("SystemDefaultTlsVersions is not set under HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319"), "{}", f[0].1);
    assert!(
        f[1].1
            .starts_with("SchUseStrongCrypto is not set under HKLM\\SOFTWARE\\WOW6432Node")
    );
    assert_eq!(
        effective(&r),
        vec![
            ("schannel".into(), "64-bit".into(), true),
            ("winhttp".into(), "64-bit".into(), true),
            ("winhttp".into(), "32-bit (WOW6432Node)".into(), true),
            ("dotnet4".into(), "64-bit".into(), true),
            ("dotnet4".into(), "32-bit (WOW6432Node)".into(), false),
        ]
    );
}

#[test]
fn tls12_explicitly_disabled_is_critical_on_every_os() {
    let (code, r) = audit(&[&fixture("tls12-disabled.utf8bom.reg"), "--os", "win2019"]);
    assert_eq!(code, 2);
    assert_eq!(r["files"][0]["encoding"], "UTF-8 with BOM");
    let f = findings(&r);
    let wrong: Vec<&String> = f
        .iter()
        .filter(|(id, _)| id == "registry-value-wrong")
        .map(|(_, s)| s)
        .collect();
    assert_eq!(wrong.len(), 2);
    assert!(wrong[0].starts_with("Enabled under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client is 0"));
    assert!(wrong[0].contains("tls12-disabled.utf8bom.reg:4"));
    assert!(wrong[1].starts_with("DisabledByDefault under"));
    assert!(wrong[1].contains(":5)"));
    // Every client loses TLS 1.2 on 2019: SChannel by the switch, .NET because it follows the
    // system default, WinHTTP because it asks explicitly but Enabled = 0.
    assert_eq!(
        f.iter()
            .filter(|(id, _)| id == "registry-tls12-not-usable")
            .count(),
        3
    );
    let (code, r) = audit(&[&fixture("tls12-disabled.utf8bom.reg")]);
    assert_eq!(code, 2);
    assert!(ids(&r).contains(&"registry-tls12-not-usable".to_string()));
}

#[test]
fn deletions_continuations_and_regedit4() {
    let (code, r) = audit(&[&fixture("deletions-continuations.reg"), "--os", "win2012r2"]);
    assert_eq!(r["files"][0]["encoding"], "UTF-8");
    // The deleted TLS 1.2 key and the re-added values: TLS 1.2 on; the hex(4) continuation
    // read as SchUseStrongCrypto = 1; the suite policy (a continued string) lacks ECDHE.
    assert_eq!(code, 1, "{r:#}");
    let mut want = vec!["registry-suite-policy"];
    want.extend(DOTNET2_RECOMMENDED);
    assert_eq!(ids(&r), want);
    assert!(
        findings(&r)[0]
            .1
            .contains("deletions-continuations.reg:26, 4 suites")
    );
    assert!(effective(&r).iter().all(|(_, _, ok)| *ok));
}

#[test]
fn bad_input_names_file_and_line_and_the_other_files_are_still_audited() {
    let (code, r) = audit(&[
        &fixture("bad-header.reg"),
        &fixture("bad-line.reg"),
        &fixture("bad-type.reg"),
        &fixture("bad-truncated-utf16.reg"),
        &fixture("2008r2-fixed.reg"),
        "--os",
        "win2008r2",
    ]);
    assert_eq!(code, 3);
    assert_eq!(r["status"], "unknown");
    let errors: Vec<String> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["error"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(errors[0].ends_with("bad-header.reg:1: bad header \"Windows Registry Editor Version 4.00\": expected `Windows Registry Editor Version 5.00` or `REGEDIT4`"), "{}", errors[0]);
    assert!(
        errors[1].contains("bad-line.reg:5: malformed line"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].contains("bad-type.reg:4: Enabled under"),
        "{}",
        errors[2]
    );
    assert!(errors[2].contains("is REG_SZ, expected REG_DWORD"));
    assert!(
        errors[3].contains("bad-truncated-utf16.reg:4: UTF-16LE text with an odd number of bytes"),
        "{}",
        errors[3]
    );
    assert_eq!(errors[4], "");
    // The good file was audited.
    assert!(effective(&r).iter().all(|(_, _, ok)| *ok));
    let out = run_tlsprobe_with(
        &[
            "registry",
            &fixture("bad-line.reg"),
            "--format",
            "human",
            "--no-color",
        ],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3));
    assert!(out.stdout.contains("bad-line.reg:5:"), "{}", out.stdout);
    // A missing file and an unknown --os.
    let (code, r) = audit(&["/nonexistent/x.reg"]);
    assert_eq!(code, 3);
    assert!(
        r["files"][0]["error"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
    let out = run_tlsprobe_with(
        &["registry", &fixture("2008r2-fixed.reg"), "--os", "win95"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(3));
}

#[test]
fn write_fix_round_trip_audits_clean_as_utf16le() {
    let dir = TempDir::new("regfix").expect("tmp");
    let out_file = dir.join("fix.reg").display().to_string();
    let (code, r) = audit(&[
        &fixture("2008r2-defaults.reg"),
        "--os",
        "win2008r2",
        "--write-fix",
        &out_file,
    ]);
    assert_eq!(code, 2, "the audited export itself is still critical");
    assert_eq!(r["fix_file"], out_file.as_str());
    let bytes = std::fs::read(&out_file).expect("fix written");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let text = String::from_utf16(
        &bytes[2..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
    .expect("utf-16");
    assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    for os in ["win2008r2", "win2008sp2", "win2012", "win2012r2", "win2022"] {
        let (code, r) = audit(&[&out_file, "--os", os]);
        assert_eq!(code, 0, "{os}: {r:#}");
        assert!(
            findings(&r)
                .iter()
                .all(|(id, _)| id == "registry-update-unverifiable"),
            "{os}: {r:#}"
        );
    }
    // The export and the fix together: what the host has after `reg import`.
    let (code, _) = audit(&[
        &fixture("2008r2-defaults.reg"),
        &out_file,
        "--os",
        "win2008r2",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn commands_list_one_export_per_key() {
    let out = run_tlsprobe_with(
        &["registry", "--commands", "--format", "human"],
        &[],
        Duration::from_secs(30),
    )
    .expect("run");
    assert_eq!(out.code, Some(0));
    let cmds: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("reg export"))
        .collect();
    assert_eq!(cmds.len(), 8);
    assert!(cmds[0].starts_with(
        "reg export \"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\" schannel-protocols.reg /y"
    ));
    assert!(
        cmds.iter()
            .any(|c| c
                .contains("WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319\" dotnet4-32.reg"))
    );
    assert!(
        cmds.iter()
            .any(|c| c.contains("SSL\\00010002\" suite-order-policy.reg"))
    );
}
