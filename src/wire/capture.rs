//! The ClientHellos that `scripts/capture-fixtures.sh` sends to real servers.
//!
//! They are built with this crate's own encoder, so every capture also checks that real servers
//! accept our hellos (and our fixed key shares). Test-only; not part of the library.

use super::client_hello::{ClientHello, probe_hello};

/// Name of each hello (the file the capture script reads) and the hello itself.
pub(crate) fn capture_hellos() -> Vec<(&'static str, ClientHello)> {
    let sni = Some("localhost");
    let cbc = [0xC013, 0xC014, 0x0039, 0x0033, 0x002F, 0x0035, 0x000A];
    vec![
        ("tls10", probe_hello(0x0301, &cbc, sni)),
        ("tls11", probe_hello(0x0302, &cbc, sni)),
        (
            "tls12_ecdhe",
            probe_hello(0x0303, &[0xC02F, 0xC030, 0xC013, 0xC014], sni),
        ),
        (
            "tls12_dhe",
            probe_hello(0x0303, &[0x009E, 0x009F, 0x0033, 0x0039], sni),
        ),
        // RC4 only: a modern server shares none of these.
        ("tls12_rc4", probe_hello(0x0303, &[0x0005, 0x0004], sni)),
        ("tls13", probe_hello(0x0304, &[0x1301, 0x1302, 0x1303], sni)),
        (
            "ssl3",
            probe_hello(0x0300, &[0x002F, 0x000A, 0x0005, 0x00FF], None),
        ),
    ]
}

#[test]
#[ignore = "run by scripts/capture-fixtures.sh: writes ClientHello hex files"]
fn write_capture_hellos() {
    let dir = std::env::var_os("TLSPROBE_HELLO_DIR").expect("TLSPROBE_HELLO_DIR must be set");
    let dir = std::path::PathBuf::from(dir);
    for (name, hello) in capture_hellos() {
        let hex: String = hello.encode().iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(dir.join(format!("{name}.hex")), hex + "\n").expect("write hello");
    }
}

#[test]
fn capture_hellos_parse_back() {
    for (name, hello) in capture_hellos() {
        let back = ClientHello::parse(&hello.encode()).expect(name);
        assert_eq!(back.cipher_suites, hello.cipher_suites, "{name}");
    }
}
