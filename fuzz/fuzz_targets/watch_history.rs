//! The `watch` history reader and the change comparison: any bytes give records and warnings
//! (each naming a line of the input), never a panic or an error; comparing any two records read
//! back never panics, and a record compared with itself shows no change.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::watch::diff::{Snapshot, diff};
use tlsprobe::watch::history::load_from;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = load_from(data, "fuzz.jsonl") else {
        panic!("reading from memory cannot fail");
    };
    let lines = data.split(|b| *b == b'\n').count();
    for w in &loaded.warnings {
        let n: usize = w
            .strip_prefix("fuzz.jsonl:")
            .and_then(|r| r.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(n >= 1 && n <= lines, "{w}");
    }
    let snaps: Vec<Snapshot> = loaded.last.values().map(Snapshot::from_json).collect();
    for a in &snaps {
        assert!(diff(a, a, 30).is_empty());
        for b in &snaps {
            let _ = diff(a, b, 30);
        }
    }
});
