//! sniff() on arbitrary first bytes: never panics, and once it decides, more bytes do not make it
//! change its mind for the binary framings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{Sniffed, sniff};

fuzz_target!(|data: &[u8]| {
    let verdict = sniff(data);
    if data.is_empty() {
        assert_eq!(verdict, Sniffed::NeedMore);
    }
    if matches!(verdict, Sniffed::Tls | Sniffed::Http | Sniffed::Ssh) {
        for cut in 0..data.len() {
            let early = sniff(&data[..cut]);
            assert!(
                early == verdict || early == Sniffed::NeedMore,
                "{cut}: {early:?}"
            );
        }
    }
});
