//! The Azure Backup catalogue parser (`azure-backup --catalogue FILE`): any text gives a
//! catalogue or an error naming a line inside the input, never a panic; every parsed endpoint
//! is concrete (no wildcard), has a port and at least one component.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::diagnose::catalogue::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse(text) {
        Ok(c) => {
            assert!(!c.endpoints.is_empty());
            for e in &c.endpoints {
                assert!(e.port != 0);
                assert!(!e.host.contains('*'));
                assert!(!e.components.is_empty());
                assert!(e.line >= 1 && e.line <= text.lines().count().max(1));
            }
        }
        Err(e) => assert!(e.line >= 1 && e.line <= text.lines().count() + 1, "{e}"),
    }
});
