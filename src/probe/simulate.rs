//! The `simulate` strategy for one target: on every address, send exactly the hello of each
//! simulated client (the raw codec, the client's own extension order), read what the server
//! answers, and — when the client fails or gets less than TLS 1.2 — send the hello of the fixed
//! profile to the same address, so the fix is proven rather than assumed.
//!
//! This module only observes: the Windows view of each outcome and the finding come from
//! [`crate::diagnose`]; which profiles to simulate (and their fixes) is chosen above it.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::check::{RunContext, sni_for};
use super::driver::{self, Exchange, Limits, Route};
use super::versions::{kx_of, protocol_report};
use crate::clients::HelloSpec;
use crate::model::{
    EndpointReport, Offered, Outcome, ProtocolVersion, SimulationReport, TargetReport, TcpOutcome,
    TcpReport, Timing,
};
use crate::target::Target;

/// Hellos of one endpoint in flight at once (an all-clients matrix sends two dozen).
const PARALLEL_HELLOS: usize = 6;

/// One client to simulate, and the profile that fixes it (when a client change can).
#[derive(Debug, Clone)]
pub struct SimPlan {
    /// Profile name reported as `client`.
    pub client: String,
    /// Its offer.
    pub spec: HelloSpec,
    /// The fixed profile's name and offer.
    pub fix: Option<(String, HelloSpec)>,
}

/// What a simulation run asks of every target.
#[derive(Debug, Clone)]
pub struct SimRequest {
    /// The clients, in report order.
    pub plans: Vec<SimPlan>,
    /// One client (`simulation`) or a matrix (`simulations`).
    pub matrix: bool,
}

/// Simulates every planned client against every address of `target`.
pub async fn simulate_target(
    target: &Target,
    ctx: Arc<RunContext>,
    deadline: Option<tokio::time::Instant>,
    req: Arc<SimRequest>,
) -> TargetReport {
    let start = Instant::now();
    let sni = sni_for(target, &ctx.config.sni);
    let (routes, dns) = super::check::routes_for(target, &ctx, deadline, start).await;
    let limits = Limits {
        timeout: ctx.config.timeout,
        deadline,
    };
    let endpoints = super::check::probe_each(&routes, |route| {
        let route = route.clone();
        let sni = sni.clone();
        let req = req.clone();
        let dns_ms = dns.duration_ms;
        simulate_endpoint(route, sni, dns_ms, limits, req)
    })
    .await;
    super::check::target_report(target, &ctx, sni, dns, endpoints, start)
}

async fn simulate_endpoint(
    route: Route,
    sni: Option<String>,
    dns_ms: f64,
    limits: Limits,
    req: Arc<SimRequest>,
) -> EndpointReport {
    let sem = Arc::new(Semaphore::new(PARALLEL_HELLOS));
    let mut set = JoinSet::new();
    for (i, plan) in req.plans.iter().cloned().enumerate() {
        let route = route.clone();
        let sni = sni.clone();
        let sem = sem.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            (i, simulate_one(&route, &plan, sni.as_deref(), limits).await)
        });
    }
    let mut results: Vec<Option<(SimulationReport, Result<f64, TcpReport>)>> =
        vec![None; req.plans.len()];
    while let Some(joined) = set.join_next().await {
        if let Ok((i, r)) = joined
            && let Some(slot) = results.get_mut(i)
        {
            *slot = Some(r);
        }
    }
    let results: Vec<(SimulationReport, Result<f64, TcpReport>)> =
        results.into_iter().flatten().collect();
    let connect_ms = results
        .iter()
        .filter_map(|(_, c)| c.as_ref().ok().copied())
        .reduce(f64::min);
    let tcp = match connect_ms {
        Some(ms) => TcpReport {
            outcome: TcpOutcome::Connected,
            connect_ms: Some(ms),
            error: None,
        },
        None => results
            .iter()
            .find_map(|(_, c)| c.as_ref().err().cloned())
            .unwrap_or(TcpReport {
                outcome: TcpOutcome::Error,
                connect_ms: None,
                error: None,
            }),
    };
    let sims: Vec<SimulationReport> = results.into_iter().map(|(s, _)| s).collect();
    let server_hello_ms = sims
        .iter()
        .find(|s| s.outcome == Outcome::Accepted)
        .map(|s| s.duration_ms);
    let (simulation, simulations) = if req.matrix {
        (None, sims)
    } else {
        (sims.into_iter().next(), Vec::new())
    };
    EndpointReport {
        ip: match &route {
            Route::Direct(addr) => addr.ip().to_string(),
            Route::Proxy { host, .. } => host.clone(),
        },
        proxy: None,
        tcp: tcp.clone(),
        protocols: Vec::new(),
        highest_version: simulation
            .as_ref()
            .filter(|s| s.outcome == Outcome::Accepted)
            .and_then(|s| s.version),
        negotiated: None,
        certificate: None,
        client_certificate_requested: false,
        handshake_error: None,
        simulation,
        simulations,
        scan: None,
        downgrade: None,
        secure_renegotiation: None,
        plaintext: None,
        samples: Vec::new(),
        timing: Timing {
            dns_ms,
            connect_ms: tcp.connect_ms,
            server_hello_ms,
            tls_handshake_ms: None,
        },
    }
}

/// One client's hello, and its fix's when it fails or stays below TLS 1.2. Also returns the
/// connect time, or the TCP failure.
async fn simulate_one(
    route: &Route,
    plan: &SimPlan,
    sni: Option<&str>,
    limits: Limits,
) -> (SimulationReport, Result<f64, TcpReport>) {
    let ex = driver::run(route, &plan.spec.client_hello(sni).encode(), kx_of, limits).await;
    let tcp = match &ex.connect {
        Ok(ms) => Ok(*ms),
        Err(e) => Err(TcpReport {
            outcome: super::from_net::tcp_outcome(e),
            connect_ms: None,
            error: Some(super::from_net::error_info(e)),
        }),
    };
    let mut r = observe(&plan.client, &plan.spec, &ex);
    let refused_by_tls = matches!(
        r.outcome,
        Outcome::Alert
            | Outcome::Reset
            | Outcome::Closed
            | Outcome::WrongVersion
            | Outcome::Malformed
    ) || (r.outcome == Outcome::Accepted && !r.ok());
    if !r.ok() && tcp.is_ok() {
        if let Some((name, spec)) = &plan.fix {
            let fx = driver::run(route, &spec.client_hello(sni).encode(), kx_of, limits).await;
            let f = observe(name, spec, &fx);
            r.fix_client = Some(name.clone());
            r.fix_verified = Some(f.ok());
            r.fix_outcome = Some(f.outcome);
            r.fix_version = f.version;
            r.fix_cipher = f.cipher;
        }
    }
    r.server_change_needed = refused_by_tls && r.fix_verified != Some(true);
    (r, tcp)
}

/// What one hello of `spec` got.
fn observe(client: &str, spec: &HelloSpec, ex: &Exchange) -> SimulationReport {
    let server_hello = ex.flight.as_ref().and_then(|r| r.server_hello.as_ref());
    let answered = server_hello.and_then(|sh| ProtocolVersion::from_wire(sh.version()));
    let as_version = answered
        .filter(|v| spec.versions.contains(v))
        .or(spec.highest())
        .unwrap_or(ProtocolVersion::Tls10);
    let p = protocol_report(as_version, ex);
    let mut r = SimulationReport {
        client: client.to_string(),
        offered: Offered {
            versions: spec.versions.clone(),
            ciphers: spec.suite_names(),
            groups: spec.group_names(),
        },
        outcome: p.outcome,
        version: (p.outcome == Outcome::Accepted).then_some(p.version),
        cipher: p.cipher,
        cipher_openssl: p.cipher_openssl,
        group: p.group,
        alert: p.alert,
        alert_code: p.alert_code,
        os_error: p.os_error,
        windows_errors: Vec::new(),
        detail: p.detail,
        duration_ms: p.duration_ms,
        fix_client: None,
        fix_verified: None,
        fix_outcome: None,
        fix_version: None,
        fix_cipher: None,
        server_change_needed: false,
    };
    if r.outcome == Outcome::WrongVersion {
        r.detail = Some(format!(
            "offered {}; the server answered {}",
            spec.version_names().join(", "),
            p.answered_version.as_deref().unwrap_or("another version")
        ));
    }
    if let Some(sh) = server_hello.filter(|_| r.outcome == Outcome::Accepted)
        && !spec.suites.contains(&sh.cipher_suite)
    {
        r.outcome = Outcome::Malformed;
        r.version = None;
        r.detail = Some(format!(
            "the server chose {}, which this client did not offer: Schannel aborts the handshake",
            crate::registry::suite_name(sh.cipher_suite)
        ));
    }
    r
}
