//! Certificate message parsing of arbitrary bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::certificate::{MAX_CERTIFICATES, parse_certificate};

fuzz_target!(|data: &[u8]| {
    if let Ok(certs) = parse_certificate(data) {
        assert!(certs.len() <= MAX_CERTIFICATES);
        let total: usize = certs.iter().map(|c| c.len() + 3).sum();
        assert_eq!(total + 3, data.len());
        assert!(certs.iter().all(|c| !c.is_empty()));
    }
});
