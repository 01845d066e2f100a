use super::*;

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

const SAMPLE: &str = "Windows Registry Editor Version 5.00\r\n\r\n\
[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client]\r\n\
\"Enabled\"=dword:00000001\r\n\
\"DisabledByDefault\"=dword:00000000\r\n\r\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002]\r\n\
\"Functions\"=\"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256\"\r\n\
\"Blob\"=hex:01,02,\\\r\n  03,04\r\n\
@=\"default \\\"quoted\\\" \\\\ path\"\r\n";

#[test]
fn utf16le_bom_export_parses() {
    let f = parse(&utf16(SAMPLE)).unwrap();
    assert_eq!(f.encoding, Encoding::Utf16LeBom);
    assert_eq!(f.format, Format::Regedit5);
    let mut reg = Registry::default();
    reg.apply(&f, "a.reg");
    let tls12 = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client";
    assert_eq!(reg.value(tls12, "enabled").unwrap().value, Value::Dword(1));
    assert_eq!(
        reg.value(tls12, "DisabledByDefault").unwrap().origin,
        "a.reg:5"
    );
    let pol = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002";
    assert_eq!(
        reg.value(pol, "Blob").unwrap().value,
        Value::Binary {
            kind: 3,
            bytes: vec![1, 2, 3, 4]
        }
    );
    assert_eq!(
        reg.value(pol, "").unwrap().value,
        Value::String("default \"quoted\" \\ path".into())
    );
}

#[test]
fn utf8_with_and_without_bom_and_regedit4() {
    let f = parse(SAMPLE.as_bytes()).unwrap();
    assert_eq!(f.encoding, Encoding::Utf8);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(SAMPLE.as_bytes());
    assert_eq!(parse(&bom).unwrap().encoding, Encoding::Utf8Bom);
    let v4 = "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"A\"=dword:1\n\"Caf\u{e9}\"=\"x\"\n";
    let latin1: Vec<u8> = v4.chars().map(|c| c as u8).collect();
    let f = parse(&latin1).unwrap();
    assert_eq!((f.format, f.encoding), (Format::Regedit4, Encoding::Ansi));
}

#[test]
fn deletions_comments_and_article_style_lines() {
    let text = "Windows Registry Editor Version 5.00\n\
; a comment\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319]\n\
    \"SchUseStrongCrypto\" = dword:00000001\n\
\"SystemDefaultTlsVersions\"=dword:00000001\n\
\"SystemDefaultTlsVersions\"=-\n\
[HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone\\Sub]\n\
\"X\"=dword:1\n\
[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone]\n";
    let f = parse(text.as_bytes()).unwrap();
    let mut reg = Registry::default();
    reg.apply(&f, "f");
    let net = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
    assert_eq!(
        reg.value(net, "SchUseStrongCrypto").unwrap().value,
        Value::Dword(1)
    );
    assert!(reg.value(net, "SystemDefaultTlsVersions").is_none());
    assert!(!reg.has_subtree("HKLM\\SOFTWARE\\Gone"));
}

#[test]
fn typed_hex_values() {
    let text = "Windows Registry Editor Version 5.00\n[HKLM\\S]\n\
\"Q\"=hex(b):01,00,00,00,00,00,00,00\n\
\"D\"=hex(4):ff,00,00,00\n\
\"E\"=hex(2):25,00,41,00,00,00\n\
\"M\"=hex(7):61,00,00,00,62,00,00,00,00,00\n";
    let f = parse(text.as_bytes()).unwrap();
    let vals: Vec<&Value> = f
        .ops
        .iter()
        .filter_map(|o| match o {
            Op::SetValue { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    assert_eq!(vals[0], &Value::Qword(1));
    assert_eq!(vals[1], &Value::Dword(255));
    assert_eq!(vals[2], &Value::ExpandString("%A".into()));
    assert_eq!(vals[3], &Value::MultiString(vec!["a".into(), "b".into()]));
}

fn line_err(text: &[u8]) -> (usize, String) {
    let e = parse(text).unwrap_err();
    (e.line, e.message)
}

#[test]
fn errors_name_the_line() {
    let h = "Windows Registry Editor Version 5.00\n";
    assert_eq!(line_err(b"Windows Registry Editor 4\n").0, 1);
    assert_eq!(line_err(b"").0, 1);
    let (l, m) = line_err(format!("{h}[HKLM\\A]\n\"X\"=dword:zz\n").as_bytes());
    assert_eq!(l, 3, "{m}");
    let (l, m) = line_err(format!("{h}[HKLM\\A]\n\n\"X\"=qword:1\n").as_bytes());
    assert_eq!(l, 4);
    assert!(m.contains("unexpected value type"), "{m}");
    let (l, _) = line_err(format!("{h}\"X\"=dword:1\n").as_bytes());
    assert_eq!(l, 2);
    let (l, _) = line_err(format!("{h}[HKLM\\A\n").as_bytes());
    assert_eq!(l, 2);
    let (l, _) = line_err(format!("{h}[HKLM\\A]\nnonsense\n").as_bytes());
    assert_eq!(l, 3);
    let (l, _) = line_err(format!("{h}[HKLM\\A]\n\"X\"=hex:01,\\\n").as_bytes());
    assert_eq!(l, 3);
    let (l, _) = line_err(format!("{h}[Software\\A]\n").as_bytes());
    assert_eq!(l, 2);
    let (l, _) = line_err(format!("{h}[HKLM\\A]\n\"X\"=hex(4):01,02\n").as_bytes());
    assert_eq!(l, 3);
    // UTF-16: odd length, no BOM, big-endian.
    let mut odd = utf16(&format!("{h}[HKLM\\A]\n"));
    odd.push(0x41);
    assert_eq!(line_err(&odd).0, 3);
    let no_bom: Vec<u8> = h.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(line_err(&no_bom).1.contains("byte-order mark"));
    assert!(line_err(&[0xFE, 0xFF, 0, 0x57]).1.contains("big-endian"));
    let (l, _) = line_err(b"Windows Registry Editor Version 5.00\n[HKLM\\A]\n\xff\xfe\xfd\n");
    assert_eq!(l, 3);
}

#[test]
fn every_prefix_of_a_file_parses_or_errs_without_panicking() {
    let bytes = utf16(SAMPLE);
    for n in 0..bytes.len() {
        let _ = parse(&bytes[..n]);
    }
    for n in 0..SAMPLE.len() {
        let _ = parse(&SAMPLE.as_bytes()[..n]);
    }
}

#[test]
fn canonical_keys() {
    assert_eq!(canonical_key("hklm\\A\\\\B\\"), "HKEY_LOCAL_MACHINE\\A\\B");
    assert_eq!(canonical_key("HKEY_CURRENT_USER"), "HKEY_CURRENT_USER");
}
