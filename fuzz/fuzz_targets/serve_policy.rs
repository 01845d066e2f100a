//! The exporter's allowlist and deny-list syntax (`--allow`, `--deny`, `allow`/`deny` in the
//! config file) and its host globs: any patterns parse or give an error, never a panic; checking
//! any target against any policy never panics; a glob always matches itself when it has no
//! wildcard, and `*` matches everything.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsprobe::serve::policy::{Policy, glob_match};
use tlsprobe::target::Target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\n');
    let allow: Vec<String> = parts
        .next()
        .unwrap_or("")
        .split(' ')
        .map(String::from)
        .collect();
    let deny: Vec<String> = parts
        .next()
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let rest: Vec<&str> = parts.collect();
    if let Ok(policy) = Policy::new(&allow, &deny) {
        for t in &rest {
            if let Ok(target) = Target::parse(t) {
                let _ = policy.check(&target);
            }
        }
    }
    if let [g, t, ..] = rest.as_slice() {
        let _ = glob_match(g, t);
        assert!(glob_match("*", t));
        if !g.contains(['*', '?']) {
            assert!(glob_match(g, g));
        }
    }
});
