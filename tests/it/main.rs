//! tlsprobe's integration tests: one test binary (it links once), a module per area.
//!
//! `harness` holds the shared fixtures (real TLS servers, hostile servers, certificates, the
//! `tlsprobe` runner); each area adds its own `mod`. Tests only talk to servers they start on
//! 127.0.0.1 or [::1].

// Later areas use more of the harness than its self-tests do.
#[allow(dead_code)]
pub mod harness;

mod azure;
mod certs_check;
mod check;
mod cli_contract;
mod deploy;
mod dnsd;
mod findings;
mod handshake;
mod harness_selftest;
mod hostile_check;
mod offers;
mod proxy;
mod registry;
mod report_ux;
mod robust;
mod scan;
mod schema;
mod serve;
mod simulate;
mod watch;
