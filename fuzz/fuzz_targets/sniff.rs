//! sniff() on arbitrary first bytes: never panics, decides by SNIFF_LINE_MAX bytes, and once it
//! decides, more bytes do not make it change its mind for the framings recognised by a prefix.
//! first_line() (the quoted greeting of plaintext-protocol) never panics, stays one bounded,
//! printable line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{SNIFF_LINE_MAX, Sniffed, first_line, sniff};

fuzz_target!(|data: &[u8]| {
    let verdict = sniff(data);
    if data.is_empty() {
        assert_eq!(verdict, Sniffed::NeedMore);
    }
    if data.len() >= SNIFF_LINE_MAX {
        assert_ne!(verdict, Sniffed::NeedMore);
    }
    if matches!(
        verdict,
        Sniffed::Tls | Sniffed::Http | Sniffed::Ssh | Sniffed::Pop3 | Sniffed::Imap
    ) {
        for cut in 0..data.len() {
            let early = sniff(&data[..cut]);
            assert!(
                early == verdict || early == Sniffed::NeedMore,
                "{cut}: {early:?}"
            );
        }
    }
    let line = first_line(data);
    assert!(line.chars().count() <= 161);
    assert!(!line.contains('\n') && !line.contains('\r'));
    assert!(line.chars().all(|c| c == '…' || (' '..='~').contains(&c)));
});
