//! Diagnosis: turns what the probes observed into findings (what is wrong, the documented
//! causes, the exact fix), and explains error codes (`tlsprobe explain`).
//!
//! The knowledge lives in data files embedded at build time and parsed once:
//! - `data/remediation.toml`: Windows versions and the KB that brings TLS 1.2, the SChannel,
//!   .NET and WinHTTP registry values, fix recipes, impacts and references ([`kb::Remediation`]);
//!   reusable by a `.reg` auditor and by client simulation.
//! - `data/errors.toml`: Winsock/POSIX, resolver, WinHTTP, SSPI, certificate, Schannel-event,
//!   HTTP and TLS-alert codes with every spelling, causes and remediation ([`kb::ErrorDef`]).
//! - `data/findings.toml`: the finding catalogue, documented in `docs/findings.md`.
//!
//! This module does no I/O, no probing and no report formatting beyond `explain`'s own output;
//! it reads a [`crate::model::TargetReport`] and returns [`crate::model::Finding`]s.

pub mod catalogue;
pub mod engine;
pub mod explain;
pub mod kb;
pub mod readiness;
pub mod robust;
pub mod suites;

pub use engine::{Context, DETAIL_SNI_REQUIRED, diagnose};
pub use explain::{
    Entry, Explanation, UnknownCode, explain, explanation_json, unknown_code_json,
    write_explanation_human,
};
pub use kb::{ErrorDef, Kb, kb, os_error_entry, windows_equivalent};
pub use suites::{SuiteSecurity, suite_security};

#[cfg(test)]
mod tests;
