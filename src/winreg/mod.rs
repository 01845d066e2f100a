//! Windows registry export files (`.reg`): decoding, parsing and the resulting key/value view.
//!
//! Reads what `reg export` and regedit write — UTF-16LE with a BOM, `Windows Registry Editor
//! Version 5.00` — and the other forms people hand around: UTF-8 with or without a BOM, the
//! older `REGEDIT4` (ANSI) format, `;` comments, indented lines and spaces around `=` (as the
//! Azure Backup article prints its snippets), `\` line continuations, key deletions `[-KEY]` and
//! value deletions `"Name"=-`. Every error names the line it is on; nothing here panics, and
//! input is bounded by the caller ([`MAX_FILE_BYTES`]).
//!
//! This module knows nothing about TLS or what the values mean (that is the audit in
//! [`crate::diagnose::registry_audit`]) and does no I/O.

mod parse;

pub use parse::{Encoding, Format, Op, ParseError, RegFile, Value, parse};

use std::collections::BTreeMap;

/// Largest export read (a full `HKLM\SYSTEM` export is far smaller).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The canonical spelling of a key path: the root spelled out (`HKLM` → `HKEY_LOCAL_MACHINE`),
/// separators as single backslashes, no trailing backslash.
pub fn canonical_key(path: &str) -> String {
    let trimmed = path.trim().trim_matches('\\');
    let (root, rest) = match trimmed.split_once('\\') {
        Some((r, rest)) => (r, Some(rest)),
        None => (trimmed, None),
    };
    let root = match root.to_ascii_uppercase().as_str() {
        "HKLM" | "HKEY_LOCAL_MACHINE" => "HKEY_LOCAL_MACHINE".to_string(),
        "HKCU" | "HKEY_CURRENT_USER" => "HKEY_CURRENT_USER".to_string(),
        "HKCR" | "HKEY_CLASSES_ROOT" => "HKEY_CLASSES_ROOT".to_string(),
        "HKU" | "HKEY_USERS" => "HKEY_USERS".to_string(),
        "HKCC" | "HKEY_CURRENT_CONFIG" => "HKEY_CURRENT_CONFIG".to_string(),
        _ => root.to_string(),
    };
    let mut out = root;
    if let Some(rest) = rest {
        for part in rest.split('\\').filter(|p| !p.is_empty()) {
            out.push('\\');
            out.push_str(part);
        }
    }
    out
}

/// One value as it ends up after every file's operations, and where it was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The value.
    pub value: Value,
    /// `FILE:LINE` of the line that set it.
    pub origin: String,
}

/// One key of the resulting registry view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Key {
    /// The key path as first written (canonical root).
    pub path: String,
    /// Values by lower-case name (`""` is the default value `@`).
    pub values: BTreeMap<String, (String, Entry)>,
}

/// Keys and values after applying export files in order (key names compare
/// case-insensitively, as in the registry).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    keys: BTreeMap<String, Key>,
}

impl Registry {
    /// Applies one parsed file's operations.
    pub fn apply(&mut self, file: &RegFile, name: &str) {
        for op in &file.ops {
            match op {
                Op::DeleteKey { key, .. } => {
                    let k = canonical_key(key).to_ascii_lowercase();
                    let prefix = format!("{k}\\");
                    self.keys
                        .retain(|path, _| path != &k && !path.starts_with(&prefix));
                }
                Op::AddKey { key, .. } => {
                    let c = canonical_key(key);
                    self.keys
                        .entry(c.to_ascii_lowercase())
                        .or_insert_with(|| Key {
                            path: c,
                            values: BTreeMap::new(),
                        });
                }
                Op::SetValue {
                    key,
                    name: value_name,
                    value,
                    line,
                } => {
                    let c = canonical_key(key);
                    let k = self
                        .keys
                        .entry(c.to_ascii_lowercase())
                        .or_insert_with(|| Key {
                            path: c,
                            values: BTreeMap::new(),
                        });
                    k.values.insert(
                        value_name.to_ascii_lowercase(),
                        (
                            value_name.clone(),
                            Entry {
                                value: value.clone(),
                                origin: format!("{name}:{line}"),
                            },
                        ),
                    );
                }
                Op::DeleteValue {
                    key,
                    name: value_name,
                    ..
                } => {
                    if let Some(k) = self.keys.get_mut(&canonical_key(key).to_ascii_lowercase()) {
                        k.values.remove(&value_name.to_ascii_lowercase());
                    }
                }
            }
        }
    }

    /// A key by path (any root spelling, any case).
    pub fn key(&self, path: &str) -> Option<&Key> {
        self.keys.get(&canonical_key(path).to_ascii_lowercase())
    }

    /// A value by key path and name.
    pub fn value(&self, path: &str, name: &str) -> Option<&Entry> {
        self.key(path)?
            .values
            .get(&name.to_ascii_lowercase())
            .map(|(_, e)| e)
    }

    /// Every key, sorted by path.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.keys.values()
    }

    /// Whether any key at or under `path` is present.
    pub fn has_subtree(&self, path: &str) -> bool {
        let k = canonical_key(path).to_ascii_lowercase();
        let prefix = format!("{k}\\");
        self.keys.keys().any(|p| p == &k || p.starts_with(&prefix))
    }
}

#[cfg(test)]
mod tests;
