//! tlsprobe: a live TLS handshake diagnostic probe.
//!
//! Layers (arrows point down; `docs/architecture.md` has the map): `cli` → `config` → `app`
//! (strategies and the scheduler) → `probe` → `diagnose` → `report`, with `wire` (sans-I/O TLS
//! codec), `registry` (IANA tables) and `net` (DNS, TCP, proxies) underneath. `model` holds the
//! plain data types that flow between the layers and are serialised as the `tlsprobe/v1` JSON.
//! `scripts/check-layers.sh` fails CI on an import against the arrows.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod azure;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod help;
pub mod model;
pub mod net;
pub mod offers;
pub mod probe;
pub mod regcmd;
pub mod registry;
pub mod report;
pub mod serve;
pub mod simulation;
pub mod target;
pub mod watch;
pub mod winreg;
pub mod wire;
