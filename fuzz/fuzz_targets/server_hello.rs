//! ServerHello and SSL 2.0 SERVER-HELLO parsing of arbitrary bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{ServerHello, SslV2ServerHello};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = ServerHello::parse(data) {
        assert!(h.session_id.len() <= 32);
        let _ = (h.version(), h.downgrade_sentinel());
        if let Some(v) = h.selected_version {
            assert_eq!(h.version(), v);
        }
    }
    if let Ok(h) = SslV2ServerHello::parse(data) {
        assert!(
            h.certificate.len() + 3 * h.cipher_kinds.len() + h.connection_id.len() <= data.len()
        );
    }
});
