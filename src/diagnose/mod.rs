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
//! - `data/interception.toml`: TLS-inspection products and private name suffixes, for the
//!   interception verdict ([`interception`]) that fills `intercepted` before the rules run.
//!
//! This module does no I/O, no probing and no formatting (`report` writes what it returns);
//! it reads a [`crate::model::TargetReport`] and returns [`crate::model::Finding`]s.

pub mod catalogue;
pub mod engine;
pub mod explain;
pub mod interception;
pub mod kb;
pub mod readiness;
pub mod registry_audit;
pub mod robust;
pub mod simulate;
pub mod suites;
pub mod trust;

pub use engine::{Context, diagnose};
pub use explain::{Entry, Explanation, UnknownCode, explain};
pub use kb::{ErrorDef, Kb, kb, os_error_entry, windows_equivalent};
pub use suites::{SuiteSecurity, suite_security};

/// What diagnosis adds to a probed report before the rules run: each certificate's
/// `trust_detail` sentence and its interception verdict.
pub fn judge_report(report: &mut crate::model::TargetReport) {
    for ep in &mut report.endpoints {
        if let Some(cert) = ep.certificate.as_mut() {
            judge_certificate(cert);
        }
    }
}

/// [`judge_report`] for one certificate report.
pub fn judge_certificate(cert: &mut crate::model::CertificateReport) {
    cert.trust_detail = trust::trust_detail(cert);
    interception::judge_certificate(cert);
}

#[cfg(test)]
mod tests;
