//! The `check` strategy for one target: resolve every address, then on each endpoint run, all
//! at once, one raw hello per protocol version, the negotiation hello of a real client and a full
//! handshake, so that a check costs about one handshake of wall time.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use tokio::task::JoinSet;

use super::cert::{InspectOptions, inspect_chain};
use super::driver::{self, Exchange, Limits, Route};
use super::from_net;
use super::handshake::{HandshakeOptions, HandshakeResult, full_handshake};
use super::hostcap::HostCap;
use super::trust::TrustStore;
use super::versions::{
    kx_of, negotiated_from, negotiation_hello, protocol_report, version_hello_with,
};
use super::{ProbeConfig, SniChoice};
use crate::model::{
    DnsReport, DnsSource, EndpointReport, ProtocolReport, ProtocolVersion, Status, TargetInfo,
    TargetReport, TcpOutcome, TcpReport, Timing,
};
use crate::net::Resolver;
use crate::net::tcp::ms_since;
use crate::target::{Host, Target};

/// What every probe of a run shares.
pub struct RunContext {
    /// Probe settings.
    pub config: ProbeConfig,
    /// The run's resolver.
    pub resolver: Resolver,
    /// Roots the full handshake's chain is verified against.
    pub trust: TrustStore,
    /// The per-host socket cap (`--max-conns-per-host`): take a permit from
    /// `hosts.cap(host)` before opening each socket.
    pub hosts: super::hostcap::HostLimiter,
}

/// Which SNI name a target gets.
pub fn sni_for(target: &Target, choice: &SniChoice) -> Option<String> {
    match choice {
        SniChoice::Auto => target.default_sni(),
        SniChoice::Name(n) => Some(n.clone()),
        SniChoice::Off => None,
    }
}

/// Resolves a target's addresses.
pub async fn resolve(target: &Target, ctx: &RunContext) -> (Vec<IpAddr>, DnsReport) {
    let family = ctx.config.family;
    if let Some(ip) = ctx.config.connect_to {
        return (
            vec![ip],
            DnsReport {
                addresses: vec![ip.to_string()],
                duration_ms: 0.0,
                source: DnsSource::ConnectTo,
                error: None,
            },
        );
    }
    if let (Some(pinned), Host::Name(_)) = (&target.pinned, &target.host) {
        let ips: Vec<IpAddr> = pinned
            .iter()
            .copied()
            .filter(|ip| family.admits(ip))
            .collect();
        return (
            ips.clone(),
            DnsReport {
                addresses: ips.iter().map(ToString::to_string).collect(),
                duration_ms: 0.0,
                source: DnsSource::Resolver,
                error: None,
            },
        );
    }
    match &target.host {
        Host::Ip(ip) => {
            let ips = if family.admits(ip) { vec![*ip] } else { vec![] };
            let error = ips.is_empty().then(|| crate::model::DnsError {
                kind: crate::model::DnsErrorKind::FamilyMismatch,
                message: format!("{ip} is excluded by the -4/-6 restriction"),
            });
            (
                ips,
                DnsReport {
                    addresses: vec![ip.to_string()],
                    duration_ms: 0.0,
                    source: DnsSource::Literal,
                    error,
                },
            )
        }
        Host::Name(name) => {
            let (res, ms) = ctx.resolver.lookup(name).await;
            match res {
                Ok(all) => {
                    let ips: Vec<IpAddr> = all.into_iter().filter(|ip| family.admits(ip)).collect();
                    (
                        ips.clone(),
                        DnsReport {
                            addresses: ips.iter().map(ToString::to_string).collect(),
                            duration_ms: ms,
                            source: DnsSource::Resolver,
                            error: None,
                        },
                    )
                }
                Err(e) => (
                    Vec::new(),
                    DnsReport {
                        addresses: Vec::new(),
                        duration_ms: ms,
                        source: DnsSource::Resolver,
                        error: Some(from_net::dns_error(&e)),
                    },
                ),
            }
        }
    }
}

/// Probes one target: every address, every version. Findings are left empty for
/// [`crate::diagnose`] to fill in.
pub async fn check_target(target: &Target, ctx: Arc<RunContext>) -> TargetReport {
    check_until(target, ctx, None).await
}

/// Like [`check_target`], but no network step runs past `deadline` from now: probes still
/// running then end as timeouts, and everything already learned is kept.
pub async fn check_with_deadline(
    target: &Target,
    ctx: Arc<RunContext>,
    deadline: std::time::Duration,
) -> TargetReport {
    check_until(target, ctx, Some(tokio::time::Instant::now() + deadline)).await
}

async fn resolve_until(
    target: &Target,
    ctx: &RunContext,
    deadline: Option<tokio::time::Instant>,
    start: Instant,
) -> (Vec<IpAddr>, DnsReport) {
    let Some(d) = deadline else {
        return resolve(target, ctx).await;
    };
    match tokio::time::timeout_at(d, resolve(target, ctx)).await {
        Ok(r) => r,
        Err(_) => (
            Vec::new(),
            DnsReport {
                addresses: Vec::new(),
                duration_ms: ms_since(start),
                source: DnsSource::Resolver,
                error: Some(crate::model::DnsError {
                    kind: crate::model::DnsErrorKind::Timeout,
                    message: "the --deadline passed while resolving the name".into(),
                }),
            },
        ),
    }
}

/// How to reach each endpoint of a target, with the DNS report: through a proxy that resolves
/// names (HTTP, socks5h) one tunnel to host:port; otherwise one route per address resolved here
/// (direct, or a socks5:// tunnel per address).
pub async fn routes_for(
    target: &Target,
    ctx: &RunContext,
    deadline: Option<tokio::time::Instant>,
    start: Instant,
) -> (Vec<Route>, DnsReport) {
    let proxy = ctx
        .config
        .proxy
        .clone()
        .filter(|_| ctx.config.connect_to.is_none())
        .filter(|_| !ctx.config.no_proxy.bypasses(&target.host.to_string()));
    // Pinned addresses are what may be reached: the proxy is asked for them, not for the name.
    let proxy_resolves = target.pinned.is_none();
    if let Some(proxy) = proxy
        .clone()
        .filter(|p| proxy_resolves && p.resolves_names())
    {
        // The proxy resolves the name; with a deny list (serve), resolve it here as well and
        // refuse a name that points into a denied network. A name only the proxy can resolve
        // is left to the proxy's own policy.
        if !ctx.config.deny.is_empty()
            && let Host::Name(_) = &target.host
        {
            let (ips, mut dns) = resolve_until(target, ctx, deadline, start).await;
            if let Some((ip, net)) = first_denied(ctx, &ips) {
                dns.error = Some(denied_error(target, ip, net));
                return (Vec::new(), dns);
            }
        }
        return (
            vec![Route::Proxy {
                proxy,
                host: target.host.to_string(),
                port: target.port,
            }],
            DnsReport {
                addresses: Vec::new(),
                duration_ms: 0.0,
                source: DnsSource::Proxy,
                error: None,
            },
        );
    }
    super::progress::phase("resolving");
    let (mut ips, mut dns) = resolve_until(target, ctx, deadline, start).await;
    if let Some((ip, net)) = first_denied(ctx, &ips) {
        // Never connect anywhere when one address is denied: the name is not trusted.
        ips.clear();
        dns.error = Some(denied_error(target, ip, net));
    }
    let routes = ips
        .iter()
        .map(|ip| match &proxy {
            Some(p) => Route::Proxy {
                proxy: p.clone(),
                host: ip.to_string(),
                port: target.port,
            },
            None => Route::Direct(SocketAddr::new(*ip, target.port)),
        })
        .collect();
    (routes, dns)
}

/// The first of `ips` in a denied network, with that network.
fn first_denied(ctx: &RunContext, ips: &[IpAddr]) -> Option<(IpAddr, ipnet::IpNet)> {
    ips.iter()
        .find_map(|ip| ctx.config.denied(ip).map(|net| (*ip, *net)))
}

/// The DNS error of a target whose name resolves into a denied network.
fn denied_error(target: &Target, ip: IpAddr, net: ipnet::IpNet) -> crate::model::DnsError {
    crate::model::DnsError {
        kind: crate::model::DnsErrorKind::Denied,
        message: format!(
            "{} resolves to {ip}, which is in the denied network {net}",
            target.host
        ),
    }
}

/// Like [`check_target`], with an optional absolute deadline for every network step.
pub async fn check_until(
    target: &Target,
    ctx: Arc<RunContext>,
    deadline: Option<tokio::time::Instant>,
) -> TargetReport {
    let start = Instant::now();
    let sni = sni_for(target, &ctx.config.sni);
    let (routes, dns) = routes_for(target, &ctx, deadline, start).await;
    let cap = ctx.hosts.cap(&target.host.to_string());
    super::progress::phase(&match routes.len() {
        1 => "handshakes".to_string(),
        n => format!("handshakes on {n} addresses"),
    });
    let endpoints = probe_each(&routes, |route| {
        let route = route.clone();
        let ctx = ctx.clone();
        let sni = sni.clone();
        let cap = cap.clone();
        let dns_ms = dns.duration_ms;
        let verify_name = sni.clone().unwrap_or_else(|| target.host.to_string());
        async move { probe_rounds(route, sni, verify_name, dns_ms, &ctx, &cap, deadline).await }
    })
    .await;
    target_report(target, &ctx, sni, dns, endpoints, start)
}

/// Probes every route of a target at once, one task each, and collects the endpoints in route
/// order. A task that died (a panic, a cancellation) becomes an `errors` entry naming its
/// address, never a silently missing endpoint.
pub async fn probe_each<F, Fut>(
    routes: &[Route],
    mut probe: F,
) -> (Vec<EndpointReport>, Vec<crate::model::ProbeError>)
where
    F: FnMut(&Route) -> Fut,
    Fut: std::future::Future<Output = EndpointReport> + Send + 'static,
{
    let mut set = JoinSet::new();
    let mut ids = std::collections::HashMap::new();
    for (i, route) in routes.iter().enumerate() {
        let job = probe(route);
        let handle = set.spawn(async move { (i, job.await) });
        ids.insert(handle.id(), i);
    }
    let mut endpoints: Vec<Option<EndpointReport>> = vec![None; routes.len()];
    let mut errors = Vec::new();
    while let Some(joined) = set.join_next_with_id().await {
        match joined {
            Ok((_, (i, ep))) => {
                if let Some(slot) = endpoints.get_mut(i) {
                    *slot = Some(ep);
                }
            }
            Err(e) => {
                let endpoint = ids
                    .get(&e.id())
                    .and_then(|i| routes.get(*i))
                    .map(route_label);
                let message = if e.is_panic() {
                    super::panic_message(&*e.into_panic())
                } else {
                    "the probe task was cancelled".into()
                };
                errors.push(crate::model::ProbeError {
                    kind: "panic".into(),
                    message: format!("internal error while probing this address: {message}"),
                    endpoint,
                });
            }
        }
    }
    (endpoints.into_iter().flatten().collect(), errors)
}

/// The report of one target from its endpoints; findings are left for diagnosis.
pub fn target_report(
    target: &Target,
    ctx: &RunContext,
    sni: Option<String>,
    dns: DnsReport,
    (endpoints, errors): (Vec<EndpointReport>, Vec<crate::model::ProbeError>),
    start: Instant,
) -> TargetReport {
    TargetReport {
        target: TargetInfo {
            input: target.input.clone(),
            host: target.host.to_string(),
            port: target.port,
            sni,
            connect_to: ctx.config.connect_to.map(|ip| ip.to_string()),
        },
        dns,
        endpoints,
        findings: Vec::new(),
        status: Status::Ok,
        duration_ms: ms_since(start),
        errors,
        azure_backup: None,
    }
}

/// The address (or proxied host) a route reaches, as endpoints name it.
fn route_label(route: &Route) -> String {
    match route {
        Route::Direct(addr) => addr.ip().to_string(),
        Route::Proxy { host, .. } => host.clone(),
    }
}

/// Re-raises a probe task's panic in the task that awaits it, so that the endpoint's task
/// fails as a whole and its target reports the error instead of a silently missing probe.
fn reraise(e: tokio::task::JoinError) {
    if e.is_panic() {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// One raw hello exchange, holding a socket slot of the host's budget while it runs.
pub async fn run_capped(cap: &HostCap, route: &Route, hello: &[u8], limits: Limits) -> Exchange {
    let _slot = cap.acquire().await;
    driver::run(route, hello, kx_of, limits).await
}

/// `--repeat N`: probes the endpoint N times in a row (each round is a fresh set of
/// connections, so a load balancer may hand each to another backend). The first round's report
/// stands; with N > 1 every round's [`crate::model::Sample`] is kept for comparison. Rounds stop
/// early when the deadline passes.
pub async fn probe_rounds(
    route: Route,
    sni: Option<String>,
    verify_name: String,
    dns_ms: f64,
    ctx: &RunContext,
    cap: &HostCap,
    deadline: Option<tokio::time::Instant>,
) -> EndpointReport {
    let rounds = ctx.config.repeat.max(1);
    let mut first = probe_endpoint(
        route.clone(),
        sni.clone(),
        verify_name.clone(),
        dns_ms,
        ctx,
        cap,
        deadline,
    )
    .await;
    if rounds == 1 {
        return first;
    }
    let mut samples = vec![crate::model::Sample::of(&first)];
    for _ in 1..rounds {
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            break;
        }
        let ep = probe_endpoint(
            route.clone(),
            sni.clone(),
            verify_name.clone(),
            dns_ms,
            ctx,
            cap,
            deadline,
        )
        .await;
        samples.push(crate::model::Sample::of(&ep));
    }
    first.samples = samples;
    first
}

/// All probes of one endpoint, concurrently.
pub async fn probe_endpoint(
    route: Route,
    sni: Option<String>,
    verify_name: String,
    dns_ms: f64,
    ctx: &RunContext,
    cap: &HostCap,
    deadline: Option<tokio::time::Instant>,
) -> EndpointReport {
    let limits = Limits {
        timeout: ctx.config.timeout,
        deadline,
    };
    let lean = ctx.config.plan == super::CheckPlan::Lean;
    // On the lean plan the TLS 1.3 hello waits for the full handshake, which usually answers
    // for it; with the user's own offers it runs as usual (rustls's offer is not theirs).
    let defer_tls13 = lean && ctx.config.suites.is_none() && ctx.config.groups.is_none();
    let versions: Vec<ProtocolVersion> = ctx
        .config
        .versions
        .iter()
        .copied()
        .filter(|v| !(defer_tls13 && *v == ProtocolVersion::Tls13))
        .collect();
    let handshake = rustls_handshake(&route, sni.clone(), verify_name.clone(), ctx, cap, limits);
    let mut set: JoinSet<(Option<ProtocolVersion>, Exchange)> = JoinSet::new();
    if !lean {
        let hello = negotiation_hello_for(sni.as_deref(), &ctx.config);
        let route = route.clone();
        let cap = cap.clone();
        set.spawn(async move { (None, run_capped(&cap, &route, &hello, limits).await) });
    }
    for v in versions.iter().copied() {
        let sni = sni.clone();
        let route = route.clone();
        let cap = cap.clone();
        let suites = ctx.config.suites.clone();
        let groups = ctx.config.groups.clone();
        set.spawn(async move {
            let offer = VersionOffer {
                suites: suites.as_deref(),
                groups: groups.as_deref(),
            };
            (
                Some(v),
                probe_version(&route, v, sni, offer, &cap, limits).await,
            )
        });
    }
    let mut negotiation: Option<Exchange> = None;
    let mut per_version: Vec<(ProtocolVersion, Exchange)> = Vec::new();
    let collect = async {
        while let Some(joined) = set.join_next().await {
            match joined {
                Ok((None, ex)) => negotiation = Some(ex),
                Ok((Some(v), ex)) => per_version.push((v, ex)),
                Err(e) => reraise(e),
            }
        }
    };
    // The downgrade retry most servers need (TLS 1.2 + TLS_FALLBACK_SCSV), in parallel.
    let speculative = async {
        let hello = super::downgrade::fallback_hello(
            super::downgrade::SPECULATIVE_FALLBACK,
            sni.as_deref(),
            super::versions::MAX_SUITES_PER_HELLO,
        );
        run_capped(cap, &route, &hello, limits).await
    };
    let (full, (), speculative) = tokio::join!(handshake, collect, speculative);
    let mut tls13_from_handshake = None;
    if lean {
        let deferred = Deferred {
            route: &route,
            sni: sni.as_deref(),
            ctx,
            cap,
            limits,
        };
        let (n, t13, from_full) = deferred.run(full.as_ref(), defer_tls13).await;
        negotiation = n;
        per_version.extend(t13);
        tls13_from_handshake = from_full;
    }
    per_version.sort_by_key(|(v, _)| *v);
    let mut protocols: Vec<ProtocolReport> = per_version
        .iter()
        .map(|(v, ex)| protocol_report(*v, ex))
        .collect();
    retry_smaller_hellos(
        &route,
        sni.as_deref(),
        cap,
        limits,
        (negotiation.as_ref(), full.as_ref()),
        &mut per_version,
        &mut protocols,
    )
    .await;
    // Lean plan: TLS 1.3 as the full handshake reached it (the highest version, so last).
    protocols.extend(tls13_from_handshake);
    // Retry only when the server refused quickly (alert, close, reset): a silent server would
    // just cost another timeout.
    let refused_quickly = protocols.iter().any(|p| {
        p.version >= ProtocolVersion::Tls12
            && matches!(
                p.outcome,
                crate::model::Outcome::Alert
                    | crate::model::Outcome::Closed
                    | crate::model::Outcome::Reset
            )
    });
    if sni.is_none() && refused_quickly && !protocols.iter().any(|p| p.supported) {
        // Without SNI nothing was accepted. If the host has a name, ask once more naming it:
        // a ServerHello then means the server insists on SNI.
        if verify_name.parse::<std::net::IpAddr>().is_err() {
            let hello = negotiation_hello_for(Some(&verify_name), &ctx.config);
            let retry = run_capped(cap, &route, &hello, limits).await;
            if retry
                .flight
                .as_ref()
                .is_some_and(|r| r.server_hello.is_some())
            {
                mark_sni_required(&mut protocols, &verify_name);
            }
        }
    }
    let tcp = tcp_report(negotiation.as_ref(), &per_version);
    // What the negotiation hello or the full handshake reached must not be reported refused.
    let reached = full
        .as_ref()
        .and_then(|r| r.negotiated.clone())
        .or_else(|| negotiation.as_ref().and_then(negotiated_from));
    if let Some(n) = &reached {
        reconcile_with_negotiation(n, sni.as_deref(), &mut protocols);
    }
    let downgrade = if tcp.outcome == TcpOutcome::Connected {
        Some(match super::downgrade::fallback_offer(&protocols) {
            None => super::downgrade::untestable(&protocols),
            Some(v) => {
                let shrunk = protocols
                    .iter()
                    .find(|p| p.version == v)
                    .and_then(|p| p.hello.as_ref())
                    .map(|h| h.suites);
                match shrunk {
                    None if v == super::downgrade::SPECULATIVE_FALLBACK => {
                        super::downgrade::judge(v, &speculative)
                    }
                    _ => {
                        let max = shrunk.unwrap_or(super::versions::MAX_SUITES_PER_HELLO);
                        let hello = super::downgrade::fallback_hello(v, sni.as_deref(), max);
                        super::downgrade::judge(v, &run_capped(cap, &route, &hello, limits).await)
                    }
                }
            }
        })
    } else {
        None
    };
    let secure_renegotiation =
        super::downgrade::secure_renegotiation(per_version.iter().map(|(v, ex)| (*v, ex)));
    let highest_version = protocols
        .iter()
        .filter(|p| p.supported)
        .map(|p| p.version)
        .max();
    let answered = |ex: &&Exchange| ex.flight.as_ref().is_some_and(|r| r.server_hello.is_some());
    // The negotiation hello's answer time; on the lean plan, the fastest ServerHello of a
    // version probe (the same hello-to-answer interval, for another hello).
    let server_hello_ms = match negotiation.as_ref() {
        Some(n) => Some(n).filter(answered).and_then(|n| n.answer_ms),
        None => per_version
            .iter()
            .map(|(_, ex)| ex)
            .filter(answered)
            .filter_map(|ex| ex.answer_ms)
            .min_by(f64::total_cmp),
    };
    // A completed rustls handshake is what a real client gets; otherwise (TLS <= 1.1 only,
    // legacy suites only) the raw negotiation hello's ServerHello stands in.
    let client_cert_asked = full
        .as_ref()
        .is_some_and(|r| r.client_certificate_requested);
    let handshake_error =
        full.as_ref()
            .and_then(|r| r.error.as_ref())
            .map(|e| crate::model::ErrorInfo {
                message: e.to_string(),
                os_error: e.os_error(),
            });
    let (negotiated, mut certificate, tls_handshake_ms) =
        negotiated_result(full, negotiation.as_ref());
    if certificate.is_none() {
        certificate = raw_certificate(
            &per_version,
            negotiation.as_ref(),
            &verify_name,
            sni.is_some(),
            ctx,
            &route,
        );
    }
    EndpointReport {
        ip: route_label(&route),
        proxy: match &route {
            Route::Direct(_) => None,
            Route::Proxy { proxy, .. } => Some(proxy_report(
                proxy,
                negotiation
                    .as_ref()
                    .or_else(|| per_version.first().map(|(_, ex)| ex)),
            )),
        },
        timing: Timing {
            dns_ms,
            connect_ms: tcp.connect_ms,
            server_hello_ms,
            tls_handshake_ms,
        },
        tcp,
        protocols,
        highest_version,
        negotiated,
        certificate,
        handshake_error,
        scan: None,
        simulation: None,
        simulations: Vec::new(),
        client_certificate_requested: client_cert_asked
            || per_version
                .iter()
                .map(|(_, ex)| ex)
                .chain(negotiation.as_ref())
                .filter_map(|ex| ex.flight.as_ref())
                .any(|r| r.certificate_request),
        plaintext: negotiation
            .iter()
            .chain(per_version.iter().map(|(_, ex)| ex))
            .filter_map(|ex| ex.flight.as_ref()?.greeting.as_ref())
            .next()
            .map(|(protocol, line)| crate::model::PlaintextService {
                protocol: (*protocol).to_string(),
                first_line: line.clone(),
            }),
        downgrade,
        secure_renegotiation,
        samples: Vec::new(),
    }
}

/// The lean plan's second step, after the full handshake: the hellos it could not stand in
/// for.
struct Deferred<'a> {
    route: &'a Route,
    sni: Option<&'a str>,
    ctx: &'a RunContext,
    cap: &'a HostCap,
    limits: Limits,
}

impl Deferred<'_> {
    /// Runs the negotiation hello when the full handshake negotiated nothing, and the TLS 1.3
    /// hello (when it was deferred) unless the full handshake reached TLS 1.3 — then its
    /// report is built from the handshake. Returns the negotiation exchange, the TLS 1.3
    /// exchange, and the report standing in for it.
    async fn run(
        &self,
        full: Option<&HandshakeResult>,
        tls13_deferred: bool,
    ) -> (
        Option<Exchange>,
        Option<(ProtocolVersion, Exchange)>,
        Option<ProtocolReport>,
    ) {
        let negotiated = full.and_then(|r| r.negotiated.as_ref());
        let reached13 = negotiated.filter(|n| n.version == Some(ProtocolVersion::Tls13));
        let negotiation = async {
            if negotiated.is_some() {
                return None;
            }
            let hello = negotiation_hello_for(self.sni, &self.ctx.config);
            Some(run_capped(self.cap, self.route, &hello, self.limits).await)
        };
        let tls13 = async {
            if !tls13_deferred || reached13.is_some() {
                return None;
            }
            let offer = VersionOffer::default();
            let sni = self.sni.map(str::to_string);
            let ex = probe_version(
                self.route,
                ProtocolVersion::Tls13,
                sni,
                offer,
                self.cap,
                self.limits,
            )
            .await;
            Some((ProtocolVersion::Tls13, ex))
        };
        let (negotiation, tls13) = tokio::join!(negotiation, tls13);
        let stand_in = reached13
            .filter(|_| tls13_deferred)
            .map(tls13_from_handshake);
        (negotiation, tls13, stand_in)
    }
}

/// The TLS 1.3 report of the lean plan when the full handshake reached TLS 1.3: accepted,
/// with the handshake's suite and group (from rustls's offer, not the registry's).
fn tls13_from_handshake(n: &crate::model::Negotiated) -> ProtocolReport {
    let ms = n.handshake_ms.unwrap_or_default();
    let mut r = ProtocolReport::new(ProtocolVersion::Tls13, crate::model::Outcome::Accepted, ms);
    r.cipher = n.cipher.clone();
    r.cipher_openssl = n
        .cipher_openssl
        .clone()
        .or_else(|| openssl_name(n.cipher.as_deref()));
    r.group = n.group.clone();
    r.detail = Some(format!(
        "accepted by the full handshake ({}); the lean plan sends no separate TLS 1.3 hello",
        n.source
    ));
    r
}

/// The user's offers for one version probe (`--ciphers`, `--groups`).
#[derive(Debug, Clone, Copy, Default)]
pub struct VersionOffer<'a> {
    /// Suites to offer instead of the registry's.
    pub suites: Option<&'a [u16]>,
    /// Groups to offer instead of the defaults.
    pub groups: Option<&'a [u16]>,
}

/// The negotiation hello for this run's offers.
pub fn negotiation_hello_for(sni: Option<&str>, config: &ProbeConfig) -> Vec<u8> {
    if config.suites.is_none() && config.groups.is_none() && config.versions == ProtocolVersion::ALL
    {
        return negotiation_hello(sni);
    }
    super::versions::negotiation_hello_with(
        sni,
        &config.versions,
        config.suites.as_deref(),
        config.groups.as_deref(),
    )
}

/// One version's probe: the first batch of suites, and the next batches only while the server
/// answers "no shared cipher suite".
async fn probe_version(
    route: &Route,
    v: ProtocolVersion,
    sni: Option<String>,
    offer: VersionOffer<'_>,
    cap: &HostCap,
    limits: Limits,
) -> Exchange {
    let batches = super::versions::suite_batches_for(v, offer.suites);
    let mut first: Option<Exchange> = None;
    for batch in batches.iter().take(4) {
        let hello = version_hello_with(v, sni.as_deref(), batch, offer.groups);
        let ex = run_capped(cap, route, &hello, limits).await;
        let report = protocol_report(v, &ex);
        if report.supported {
            return ex;
        }
        let retry = v != ProtocolVersion::Ssl2
            && super::versions::no_shared_suite(&report)
            && limits
                .deadline
                .is_none_or(|d| tokio::time::Instant::now() < d);
        if !retry {
            // Nothing accepted: the first answer stands.
            return first.unwrap_or(ex);
        }
        first.get_or_insert(ex);
    }
    match first {
        Some(ex) => ex,
        None => {
            let hello = version_hello_with(v, sni.as_deref(), &[], offer.groups);
            run_capped(cap, route, &hello, limits).await
        }
    }
}

/// Hello intolerance: versions whose full-size hello was reset, closed or ignored are retried
/// with smaller hellos (see [`super::intolerance`]); an accepted rung replaces the probe's
/// result and records which hello worked.
async fn retry_smaller_hellos(
    route: &Route,
    sni: Option<&str>,
    cap: &HostCap,
    limits: Limits,
    (negotiation, full): (Option<&Exchange>, Option<&HandshakeResult>),
    per_version: &mut [(ProtocolVersion, Exchange)],
    protocols: &mut [ProtocolReport],
) {
    use super::intolerance::{hello_size, ladder, mark, needs_ladder, note_tried};
    let batches: Vec<Vec<u16>> = per_version
        .iter()
        .map(|(v, _)| {
            super::versions::suite_batches(*v)
                .into_iter()
                .next()
                .unwrap_or_default()
        })
        .collect();
    let sizes: Vec<(usize, usize)> = per_version
        .iter()
        .zip(&batches)
        .map(|((v, _), b)| hello_size(*v, sni, b))
        .collect();
    let accepted: Vec<(usize, usize)> = protocols
        .iter()
        .zip(&sizes)
        .filter(|(p, _)| p.supported)
        .map(|(_, s)| *s)
        .collect();
    let speaks_tls = protocols.iter().any(|p| {
        matches!(
            p.outcome,
            crate::model::Outcome::Accepted | crate::model::Outcome::Alert
        )
    }) || negotiation
        .and_then(|n| n.flight.as_ref())
        .is_some_and(|r| {
            r.server_hello.is_some() || matches!(r.kind, super::hello::AnswerKind::Alert { .. })
        })
        || full.is_some_and(|f| f.negotiated.is_some());
    type Rung = Option<(Exchange, usize, usize)>;
    let mut set: JoinSet<(usize, Rung)> = JoinSet::new();
    for (i, p) in protocols.iter().enumerate() {
        let (Some(size), Some(batch)) = (sizes.get(i), batches.get(i)) else {
            continue;
        };
        if !needs_ladder(p, *size, &accepted, speaks_tls) {
            continue;
        }
        let (v, batch, sni) = (p.version, batch.clone(), sni.map(str::to_string));
        let (route, cap) = (route.clone(), cap.clone());
        set.spawn(async move {
            let send = move |h: Vec<u8>| {
                let (route, cap) = (route.clone(), cap.clone());
                async move { run_capped(&cap, &route, &h, limits).await }
            };
            (i, ladder(v, sni.as_deref(), &batch, send).await)
        });
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((i, Some((ex, suites, bytes)))) => {
                let (Some(slot), Some(p), Some(size)) =
                    (per_version.get_mut(i), protocols.get_mut(i), sizes.get(i))
                else {
                    continue;
                };
                let mut r = protocol_report(slot.0, &ex);
                mark(
                    &mut r,
                    "smaller_hello",
                    (suites, bytes),
                    (size.0, size.1, p.outcome),
                );
                *p = r;
                slot.1 = ex;
            }
            Ok((i, None)) => {
                if let Some(p) = protocols.get_mut(i) {
                    note_tried(p);
                }
            }
            Err(e) => reraise(e),
        }
    }
}

/// A version the negotiation hello or the full handshake reached, yet whose own probe failed
/// even after smaller hellos: the version is accepted (a client just got it); the report says
/// that only the negotiation's hello got through.
fn reconcile_with_negotiation(
    n: &crate::model::Negotiated,
    sni: Option<&str>,
    protocols: &mut [ProtocolReport],
) {
    let Some(v) = n.version else {
        return;
    };
    let Some(p) = protocols.iter_mut().find(|p| p.version == v) else {
        return;
    };
    // Only a probe that got no answer at all (reset, close, silence) is contradicted; an alert
    // or another version's ServerHello is the server's own clear answer to that hello.
    if p.supported {
        return;
    }
    if !super::intolerance::intolerance_symptom(p.outcome) {
        let note = format!(
            "yet the negotiation hello / full handshake was answered at {} ({})",
            v.name(),
            n.source
        );
        p.detail = Some(match p.detail.take() {
            Some(d) => format!("{d}; {note}"),
            None => note,
        });
        return;
    }
    let batch = super::versions::suite_batches(v)
        .into_iter()
        .next()
        .unwrap_or_default();
    let refused = super::intolerance::hello_size(v, sni, &batch);
    let outcome = p.outcome;
    let mut r = ProtocolReport::new(v, crate::model::Outcome::Accepted, p.duration_ms);
    r.cipher = n.cipher.clone();
    r.cipher_openssl = n.cipher_openssl.clone();
    r.group = n.group.clone();
    let worked = (
        crate::clients::modern().suites.len(),
        negotiation_hello(sni).len(),
    );
    super::intolerance::mark(
        &mut r,
        "negotiation",
        worked,
        (refused.0, refused.1, outcome),
    );
    *p = r;
}

/// What the proxy did with the negotiation probe's CONNECT.
pub fn proxy_report(proxy: &crate::net::Proxy, ex: Option<&Exchange>) -> crate::model::ProxyReport {
    use crate::net::proxy::ProxyFailure;
    let mut socks_reply = None;
    let (outcome, status, message) = match ex.map(|e| &e.connect) {
        Some(Ok(_)) => ("connected", None, None),
        Some(Err(e)) => {
            let (o, st) = match &e.proxy {
                Some(ProxyFailure::Status(c @ (401 | 407))) => ("auth_required", Some(*c)),
                Some(ProxyFailure::Status(c)) => ("refused", Some(*c)),
                Some(ProxyFailure::SocksAuth) => ("auth_required", None),
                Some(ProxyFailure::SocksReply(code)) => {
                    socks_reply = Some(*code);
                    // "Connection not allowed by ruleset" is the proxy's policy; every other
                    // reply is a failure reported with its code.
                    (if *code == 2 { "refused" } else { "error" }, None)
                }
                Some(ProxyFailure::Unreachable) => ("unreachable", None),
                Some(ProxyFailure::Timeout) => ("timeout", None),
                Some(ProxyFailure::Protocol) | None => ("error", None),
            };
            (o, st, Some(e.message.clone()))
        }
        None => ("error", None, None),
    };
    crate::model::ProxyReport {
        url: proxy.display(),
        outcome: outcome.to_string(),
        status,
        socks_reply,
        message,
    }
}

/// Notes on every refused TLS version that the refusal is about the missing SNI.
pub fn mark_sni_required(protocols: &mut [ProtocolReport], name: &str) {
    for p in protocols.iter_mut() {
        if p.version >= ProtocolVersion::Tls10 && !p.supported {
            p.sni_required = true;
            p.detail = Some(format!(
                "SNI required: the server answers a hello that names {name}, not one without SNI"
            ));
        }
    }
}

/// The full rustls handshake (TLS 1.2 and 1.3), or `None` when TCP did not connect.
async fn rustls_handshake(
    route: &Route,
    sni: Option<String>,
    verify_name: String,
    ctx: &RunContext,
    cap: &HostCap,
    limits: Limits,
) -> Option<HandshakeResult> {
    let mut opts = HandshakeOptions::new(verify_name.clone());
    opts.versions.retain(|v| ctx.config.versions.contains(v));
    if opts.versions.is_empty() {
        return None;
    }
    opts.suites = ctx.config.suites.clone();
    opts.groups = ctx.config.groups.clone();
    opts.expected_roots = expected_roots(ctx, &verify_name, route);
    opts.server_name = sni;
    opts.alpn = ctx.config.alpn.clone();
    opts.timeout = limits.step_timeout();
    if !super::handshake::can_offer(&opts, &ctx.trust) {
        return None;
    }
    let _slot = cap.acquire().await;
    let (stream, _) = route.open(limits.step_timeout()).await.ok()?;
    Some(full_handshake(stream, &opts, &ctx.trust).await)
}

/// The chain from the plaintext Certificate message of a raw probe (TLS <= 1.2), for servers
/// rustls cannot complete a handshake with. The highest accepted version's chain is used.
pub fn raw_certificate(
    per_version: &[(ProtocolVersion, Exchange)],
    negotiation: Option<&Exchange>,
    verify_name: &str,
    sni_sent: bool,
    ctx: &RunContext,
    route: &Route,
) -> Option<crate::model::CertificateReport> {
    let chain = per_version
        .iter()
        .rev()
        .map(|(_, ex)| ex)
        .chain(negotiation)
        .filter_map(|ex| ex.flight.as_ref())
        .find(|r| !r.certificates.is_empty())
        .map(|r| r.certificates.clone())?;
    let mut opts = InspectOptions::new(verify_name, "raw");
    opts.sni_sent = sni_sent;
    let expected = expected_roots(ctx, verify_name, route);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    opts.expected_roots = &expected;
    Some(inspect_chain(&chain, &ctx.trust, &opts))
}

/// The roots the catalogue expects for `name` on the port of `route` (empty when none).
pub fn expected_roots(ctx: &RunContext, name: &str, route: &Route) -> Vec<String> {
    if ctx.config.expected_roots.is_empty() {
        return Vec::new();
    }
    let port = match route {
        Route::Direct(addr) => addr.port(),
        Route::Proxy { port, .. } => *port,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    ctx.config
        .expected_roots
        .get(&(name.to_ascii_lowercase(), port))
        .cloned()
        .unwrap_or_default()
}

/// The endpoint's TCP result: the fastest successful connect of its probes, or, when none
/// connected, the negotiation probe's failure.
pub fn tcp_report(
    negotiation: Option<&Exchange>,
    others: &[(ProtocolVersion, Exchange)],
) -> TcpReport {
    let all = negotiation.into_iter().chain(others.iter().map(|(_, e)| e));
    let mut best: Option<f64> = None;
    let mut first_err = None;
    for ex in all {
        match &ex.connect {
            Ok(ms) => best = Some(best.map_or(*ms, |b: f64| b.min(*ms))),
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(e);
                }
            }
        }
    }
    match (best, first_err) {
        (Some(ms), _) => TcpReport {
            outcome: TcpOutcome::Connected,
            connect_ms: Some(ms),
            error: None,
        },
        (None, Some(e)) => TcpReport {
            outcome: from_net::tcp_outcome(e),
            connect_ms: None,
            error: Some(from_net::error_info(e)),
        },
        (None, None) => TcpReport {
            outcome: TcpOutcome::Error,
            connect_ms: None,
            error: None,
        },
    }
}

/// The OpenSSL name of an IANA-named suite, where OpenSSL has one.
fn openssl_name(iana: Option<&str>) -> Option<String> {
    iana.and_then(crate::registry::by_name)
        .and_then(|s| s.openssl)
        .map(str::to_string)
}

/// What a real client got: the completed rustls handshake (its negotiated parameters, chain and
/// time), or, when rustls could not complete one (TLS <= 1.1 only, legacy suites only), the raw
/// negotiation hello's ServerHello with the handshake's chain if it saw one.
pub fn negotiated_result(
    full: Option<HandshakeResult>,
    negotiation: Option<&Exchange>,
) -> (
    Option<crate::model::Negotiated>,
    Option<crate::model::CertificateReport>,
    Option<f64>,
) {
    match full {
        Some(HandshakeResult {
            negotiated: Some(mut n),
            certificate,
            handshake_ms,
            ..
        }) => {
            if n.cipher_openssl.is_none() {
                n.cipher_openssl = openssl_name(n.cipher.as_deref());
            }
            (Some(n), certificate, handshake_ms)
        }
        other => (
            negotiation.and_then(negotiated_from),
            other.and_then(|r| r.certificate),
            None,
        ),
    }
}
