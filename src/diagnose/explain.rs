//! `tlsprobe explain CODE`: looks a code up in the error table and the finding catalogue and
//! returns the answer as data ([`Explanation`]); `report::explain` writes it.
//!
//! Accepts every spelling a user may paste: decimal (`10054`), hex with or without `0x`
//! (`0x80072EFE`, `80072efe`), signed HRESULTs (`-2147012866`), symbolic names
//! (`WSAECONNRESET`, `ECONNRESET`, `SEC_E_ILLEGAL_MESSAGE`), alert names (`handshake_failure`)
//! and finding ids. A number that means several things (alert 110 and ETIMEDOUT 110) returns
//! every match. This module does not parse command lines, format output or choose exit codes.

use serde::Serialize;

use super::kb::{ErrorDef, FindingDef, Key, kb, norm_text};
use crate::model::Severity;

/// Everything known about one code.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// What the user typed.
    pub input: String,
    /// Every matching entry (more than one when the input is ambiguous).
    pub entries: Vec<Entry>,
}

/// One matching entry: an error code, an alert, an event or a finding.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Stable id of the entry (an error-table id or a finding id).
    pub id: String,
    /// `socket`, `resolver`, `winhttp`, `sspi`, `cert`, `schannel-event`, `http`, `tls-alert`
    /// or `finding`.
    pub kind: String,
    /// The kind in a few words for people, e.g. `socket error (Winsock / POSIX)` (not
    /// serialised).
    #[serde(skip)]
    pub kind_title: &'static str,
    /// Main name.
    pub name: String,
    /// A few words.
    pub title: String,
    /// Main number, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// HRESULT as `0x` + 8 hex digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hresult: Option<String>,
    /// POSIX errno / getaddrinfo name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posix: Option<String>,
    /// Linux errno value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errno: Option<i32>,
    /// Severity (findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Every spelling that finds this entry.
    pub spellings: Vec<String>,
    /// What it means.
    pub meaning: String,
    /// Causes, most likely first, each with how to tell it apart.
    pub causes: Vec<String>,
    /// What to do, in order.
    pub remediation: Vec<String>,
    /// Public documentation.
    pub references: Vec<String>,
    /// Related finding ids (for codes) or codes (for findings).
    pub see_also: Vec<String>,
}

/// The input matched nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code {input:?}")]
pub struct UnknownCode {
    /// What the user typed.
    pub input: String,
    /// Nearest known spellings, best first (may be empty).
    pub suggestions: Vec<String>,
}

/// Longest input considered; longer text cannot be a code.
const MAX_INPUT: usize = 100;

/// Looks up `code` in the error table and the finding catalogue.
pub fn explain(code: &str) -> Result<Explanation, UnknownCode> {
    let kb = kb();
    let input = code.trim();
    let unknown = || UnknownCode {
        input: code.to_string(),
        suggestions: suggest(input),
    };
    if input.is_empty() || input.len() > MAX_INPUT {
        return Err(UnknownCode {
            input: code.to_string(),
            suggestions: Vec::new(),
        });
    }

    let mut hits: Vec<usize> = Vec::new();
    for n in numeric_readings(input) {
        for &i in kb.lookup(&Key::Num(n)) {
            if !hits.contains(&i) {
                hits.push(i);
            }
        }
    }
    let text = norm_text(strip_alert_prefix(input));
    for &i in kb.lookup(&Key::Text(text.clone())) {
        if !hits.contains(&i) {
            hits.push(i);
        }
    }
    let mut entries: Vec<Entry> = hits
        .iter()
        .filter_map(|&i| kb.errors.get(i))
        .map(error_entry)
        .collect();
    entries.extend(
        kb.findings
            .iter()
            .filter(|f| norm_text(&f.id) == text)
            .map(finding_entry),
    );
    if entries.is_empty() {
        return Err(unknown());
    }
    Ok(Explanation {
        input: code.to_string(),
        entries,
    })
}

/// `alert 40`, `alert:40` → `40`.
fn strip_alert_prefix(s: &str) -> &str {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("alert") {
        let rest = s.get(5..).unwrap_or("");
        let rest = rest.trim_start_matches([' ', ':', '#']);
        if !rest.is_empty() {
            return rest;
        }
    }
    s
}

/// Every number the input may denote: decimal, negative decimal (a signed HRESULT), `0x` hex,
/// and bare hex when it has hex letters or is exactly 8 digits (an HRESULT without `0x`).
fn numeric_readings(input: &str) -> Vec<u64> {
    let s = strip_alert_prefix(input).trim();
    let mut out = Vec::new();
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if let Ok(v) = u64::from_str_radix(hex, 16) {
            out.push(v);
        }
        return out;
    }
    if let Some(neg) = s.strip_prefix('-') {
        if let Ok(v) = neg.parse::<u64>() {
            // -2147012866 → 0x80072EFE (two's complement of a 32-bit HRESULT).
            if v > 0 && v <= 1 << 31 {
                out.push((1u64 << 32) - v);
            }
        }
        return out;
    }
    let all_digits = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if all_digits {
        if let Ok(v) = s.parse::<u64>() {
            out.push(v);
        }
    }
    let all_hex = !s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if all_hex && (!all_digits || s.len() == 8) {
        if let Ok(v) = u64::from_str_radix(s, 16) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn error_entry(e: &ErrorDef) -> Entry {
    let kb = kb();
    let mut remediation = e.remediation.clone();
    let mut references = e.references.clone();
    for fix in &e.fixes {
        remediation.extend(kb.fix_steps(fix));
        for r in kb.fix_references(fix) {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
    }
    Entry {
        id: e.id.clone(),
        kind: e.kind.as_str().to_string(),
        kind_title: e.kind.describe(),
        name: e.name.clone(),
        title: e.title.clone(),
        code: e.code,
        hresult: e.hresult().map(|h| format!("0x{h:08X}")),
        posix: e.posix.clone(),
        errno: e.errno,
        severity: None,
        spellings: e.spellings(),
        meaning: e.meaning.clone(),
        causes: e.causes.clone(),
        remediation,
        references,
        see_also: e.findings.clone(),
    }
}

fn finding_entry(f: &FindingDef) -> Entry {
    let kb = kb();
    let mut causes = f.causes.clone();
    causes.extend(f.extra_causes.values().cloned());
    let mut remediation = f.remediation.clone();
    let mut references = f.references.clone();
    for fix in &f.fixes {
        remediation.extend(kb.fix_steps(fix));
        for r in kb.fix_references(fix) {
            if !references.contains(r) {
                references.push(r.clone());
            }
        }
    }
    Entry {
        id: f.id.clone(),
        kind: "finding".to_string(),
        kind_title: "tlsprobe finding",
        name: f.id.clone(),
        title: f.title.clone(),
        code: None,
        hresult: None,
        posix: None,
        errno: None,
        severity: Some(f.severity),
        spellings: vec![f.id.clone()],
        meaning: f.summary.clone(),
        causes,
        remediation,
        references,
        see_also: f.related.clone(),
    }
}

/// Nearest known spellings by edit distance (at most 5).
fn suggest(input: &str) -> Vec<String> {
    let q = norm_text(input);
    if q.is_empty() || q.len() > MAX_INPUT {
        return Vec::new();
    }
    let limit = (q.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, String)> = kb()
        .all_spellings()
        .into_iter()
        .filter_map(|s| {
            let d = levenshtein(&q, &norm_text(&s));
            (d <= limit).then_some((d, s))
        })
        .collect();
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, s) in scored {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            out.push(s);
        }
        if out.len() == 5 {
            break;
        }
    }
    out
}

/// Edit distance counting insertions, deletions, substitutions and swaps of two neighbours
/// (optimal string alignment), on chars. Inputs are bounded by [`MAX_INPUT`].
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j] = distance between a[..i] and b[..j]; three rolling rows.
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(code: &str) -> Vec<String> {
        explain(code)
            .map(|e| e.entries.into_iter().map(|x| x.id).collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_spelling_of_10054_is_the_same_entry() {
        for s in [
            "10054",
            "WSAECONNRESET",
            "wsaeconnreset",
            "ECONNRESET",
            " econnreset ",
            "0x80072746",
            "80072746",
            "-2147014842",
            "connection-reset",
            "0x2746",
            "Connection reset by peer",
        ] {
            assert_eq!(ids(s), vec!["connection-reset"], "{s}");
        }
    }

    #[test]
    fn winhttp_connection_error_spellings() {
        for s in [
            "0x80072EFE",
            "0x80072efe",
            "80072efe",
            "80072EFE",
            "-2147012866",
            "2147954430",
            "12030",
            "ERROR_WINHTTP_CONNECTION_ERROR",
            "ERROR_INTERNET_CONNECTION_ABORTED",
        ] {
            assert_eq!(ids(s), vec!["winhttp-connection-error"], "{s}");
        }
        let e = explain("12030").unwrap();
        assert_eq!(e.entries[0].hresult.as_deref(), Some("0x80072EFE"));
    }

    #[test]
    fn sspi_codes_all_digits_read_as_hex() {
        assert_eq!(ids("80090326"), vec!["sec-e-illegal-message"]);
        assert_eq!(ids("0x80090331"), vec!["sec-e-algorithm-mismatch"]);
        assert_eq!(
            ids("SEC_E_ALGORITHM_MISMATCH"),
            vec!["sec-e-algorithm-mismatch"]
        );
        assert_eq!(ids("-2146893007"), vec!["sec-e-algorithm-mismatch"]);
        assert_eq!(ids("0x80072F8F"), vec!["winhttp-secure-failure"]);
        assert_eq!(ids("12175"), vec!["winhttp-secure-failure"]);
    }

    #[test]
    fn alerts_by_number_and_name() {
        assert_eq!(ids("40"), vec!["alert-handshake-failure"]);
        assert_eq!(ids("handshake_failure"), vec!["alert-handshake-failure"]);
        assert_eq!(ids("handshake-failure"), vec!["alert-handshake-failure"]);
        assert_eq!(ids("alert 40"), vec!["alert-handshake-failure"]);
        assert_eq!(ids("protocol_version"), vec!["alert-protocol-version"]);
        assert_eq!(ids("70"), vec!["alert-protocol-version"]);
        assert_eq!(
            ids("decryption_failed_RESERVED"),
            vec!["alert-decryption-failed"]
        );
    }

    #[test]
    fn ambiguous_numbers_return_every_match() {
        // 110: alert unsupported_extension and Linux ETIMEDOUT.
        let got = ids("110");
        assert!(
            got.contains(&"alert-unsupported-extension".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"timed-out".to_string()), "{got:?}");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn events_http_and_findings() {
        assert_eq!(ids("36887"), vec!["schannel-event-36887"]);
        assert_eq!(ids("407"), vec!["http-407"]);
        assert_eq!(ids("legacy-tls-rejected"), vec!["legacy-tls-rejected"]);
        let e = explain("legacy-tls-rejected").unwrap();
        assert_eq!(e.entries[0].kind, "finding");
        assert_eq!(e.entries[0].severity, Some(Severity::Info));
        assert!(
            e.entries[0]
                .remediation
                .iter()
                .any(|r| r.contains("KB3140245"))
        );
        assert_eq!(ids("NXDOMAIN"), vec!["host-not-found"]);
        assert_eq!(ids("11001"), vec!["host-not-found"]);
        assert_eq!(ids("0x80072EE7"), vec!["winhttp-name-not-resolved"]);
    }

    #[test]
    fn unknown_codes_get_suggestions() {
        let u = explain("WSAECONNRESTE").unwrap_err();
        assert_eq!(u.input, "WSAECONNRESTE");
        assert_eq!(
            u.suggestions.first().map(String::as_str),
            Some("WSAECONNRESET")
        );
        let u = explain("handshake_failur").unwrap_err();
        assert!(
            u.suggestions.contains(&"handshake_failure".to_string()),
            "{:?}",
            u.suggestions
        );
        let u = explain("10045").unwrap_err();
        assert!(
            u.suggestions.contains(&"10054".to_string()),
            "{:?}",
            u.suggestions
        );
        let u = explain("").unwrap_err();
        assert!(u.suggestions.is_empty());
        let long = "x".repeat(10_000);
        assert!(explain(&long).is_err());
        assert!(
            explain("zzzzzzzzzzzzzzzzzzzzzzzz")
                .unwrap_err()
                .suggestions
                .is_empty()
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "-",
            "0x",
            "-0",
            "-99999999999999999999",
            "0xffffffffffffffffffff",
            "alert",
            "alert ",
            "ÿÿ",
            "1e5",
            "--",
            "\u{0}",
        ] {
            let _ = explain(s);
        }
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
        assert_eq!(levenshtein("10045", "10054"), 1);
        assert_eq!(levenshtein("abc", ""), 3);
    }
}
