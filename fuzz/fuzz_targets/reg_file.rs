//! The `.reg` parser (`tlsprobe registry FILE.reg`, `simulate --registry`): any bytes give a
//! parsed file or an error naming a line inside the input, never a panic; a parsed file's
//! operations can always be applied.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::winreg::{Registry, parse};

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(f) => {
            let mut reg = Registry::default();
            reg.apply(&f, "fuzz.reg");
            for k in reg.keys() {
                assert!(!k.path.is_empty());
            }
        }
        Err(e) => {
            // Lines are counted on the decoded text: at most one per input byte, plus one.
            assert!(e.line >= 1 && e.line <= data.len() + 1, "{e}");
        }
    }
});
