//! Target syntax: one target, and a whole targets file. Any input must give a target or a
//! named error, never a panic; a parsed target must print back to something that parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::target::{Target, parse_targets_file};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = Target::parse(text) {
        assert!(t.port != 0);
        let again = match &t.host {
            tlsprobe::target::Host::Ip(ip) if ip.is_ipv6() => format!("[{ip}]:{}", t.port),
            h => format!("{h}:{}", t.port),
        };
        let back = Target::parse(&again).expect("a parsed target prints back to a valid one");
        assert_eq!(back.host, t.host);
        assert_eq!(back.port, t.port);
    }
    let (good, bad) = parse_targets_file(text);
    assert!(good.len() + bad.len() <= text.lines().count());
});
