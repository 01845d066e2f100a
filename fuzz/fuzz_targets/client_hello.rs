//! ClientHello parsing of arbitrary records; whatever parses re-encodes to a hello that parses
//! back to the same value (padding aside, whose length is recomputed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{ClientHello, Extension};

fuzz_target!(|data: &[u8]| {
    let Ok(hello) = ClientHello::parse(data) else {
        return;
    };
    let again = ClientHello::parse(&hello.encode()).expect("re-encoded hello parses");
    let strip = |h: &ClientHello| {
        let mut h = h.clone();
        h.extensions.retain(|e| *e != Extension::Padding);
        h
    };
    assert_eq!(strip(&hello), strip(&again));
});
