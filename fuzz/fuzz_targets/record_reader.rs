//! MessageReader fed arbitrary bytes in arbitrary chunks: never panics, stays bounded, and gives
//! the same messages (and the same error) as when fed everything at once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::wire::{DecodeError, Message, MessageReader};

/// Drains the reader: the messages, then `None` (needs more) or the error.
fn drain(r: &mut MessageReader, out: &mut Vec<Message>) -> Option<DecodeError> {
    // Each message consumes input, so this is bounded by the input length.
    for _ in 0..100_000 {
        match r.next_message() {
            Ok(Some(m)) => out.push(m),
            Ok(None) => return None,
            Err(e) => return Some(e),
        }
    }
    panic!("reader does not settle");
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };

    let mut whole = MessageReader::new();
    whole.feed(stream);
    let mut expect = Vec::new();
    let expect_err = drain(&mut whole, &mut expect);

    // Chunk sizes 1..=16 cycling from the seed byte.
    let mut chunked = MessageReader::new();
    let mut got = Vec::new();
    let mut got_err = None;
    let mut rest = stream;
    let mut size = usize::from(seed % 16) + 1;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        chunked.feed(chunk);
        if let Some(e) = drain(&mut chunked, &mut got) {
            got_err = Some(e);
            break;
        }
        size = size % 16 + 1;
    }
    assert_eq!(got, expect);
    assert_eq!(got_err, expect_err);
});
