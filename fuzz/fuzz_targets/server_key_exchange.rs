//! ServerKeyExchange parsing of arbitrary bodies, as ECDHE and as DHE.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{
    KeyExchangeKind, ServerKeyExchange, parse_server_key_exchange, ske_signature_scheme,
};

fuzz_target!(|data: &[u8]| {
    for kind in [KeyExchangeKind::Ecdhe, KeyExchangeKind::Dhe] {
        if ske_signature_scheme(data, kind).is_ok() {
            assert!(parse_server_key_exchange(data, kind).is_ok());
        }
    }
    if let Ok(ServerKeyExchange::Ecdhe { public_len, .. }) =
        parse_server_key_exchange(data, KeyExchangeKind::Ecdhe)
    {
        assert!(public_len > 0 && public_len + 4 <= data.len());
    }
    if let Ok(ServerKeyExchange::Dhe {
        prime_bits,
        generator_len,
        public_len,
    }) = parse_server_key_exchange(data, KeyExchangeKind::Dhe)
    {
        assert!(prime_bits > 0 && generator_len > 0 && public_len > 0);
        assert!(usize::from(prime_bits).div_ceil(8) + generator_len + public_len + 6 <= data.len());
    }
});
