//! The `scan` strategy for one target: every cipher suite each accepted version takes, the
//! server's order, ChaCha20 priority, groups, signature schemes and DH size, with the fewest
//! handshakes, under a per-host connection cap and an optional delay between connections.
//!
//! # The plan
//! 1. **First wave** (in parallel): one hello per version — the first chunk of at most
//!    [`MAX_SUITES`] registry suites (SSL 2.0: its own hello, whose answer lists every cipher
//!    the server has) — and the full rustls handshake (certificate, negotiated suite; only the
//!    TLS 1.3 signature schemes wait for its certificate key). The fastest answer is the
//!    round-trip time that picks the path; how the answers spread tells whether the server
//!    takes simultaneous connections at once or one after another.
//! 2. **Fast path** (RTT under [`SLOW_RTT_MS`], `plan: sequential`): fewest connections.
//!    Each version's chunks are eliminated side by side, each in sequence (offer, remove the
//!    pick, offer again until refused: the picks are the server's order for free); one hello
//!    with the accepted suites reversed tells server from client order, picks of different
//!    chunks are merged by pairwise offers (binary insertion), one hello with ChaCha20 first
//!    tells ChaCha priority. Then TLS 1.3 groups by eliminating `supported_groups` with no key
//!    share (each HelloRetryRequest names the next), TLS 1.3 signature schemes one hello each
//!    for the certificate's key type (the RSA-PSS-PSS ones share one hello), and TLS 1.2 (or
//!    the highest of 1.0/1.1) groups and schemes together from the ServerKeyExchanges of the
//!    accepted ECDHE/DHE suites.
//! 3. **Slow path** (`plan: parallel`): nothing that can start waits. Right after wave 1,
//!    alongside the suite eliminations, TLS 1.3 groups and schemes start from wave 1's accepted
//!    suite and TLS 1.0–1.2 groups and schemes from the ECDHE/DHE suites wave 1 offered at the
//!    highest accepted version. Against a server taking connections at once: each likely group
//!    (x25519, x448, the NIST curves, in TLS 1.3 ffdhe) and each scheme of the certificate's
//!    family gets its own hello, all at once, the unlikely rest shares hellos split only when
//!    one is picked; TLS 1.3 suites one hello each; a suite run that yields a pick is halved
//!    and both halves go on at once. Order then costs one round for the preference (the list
//!    and its reverse, at once) and, with server order, rounds of suffix offers
//!    ([`elimination::Ranking`]). Against a server answering one connection at a time (openssl
//!    s_server) more hellos only queue: the fast path's few-connection algorithms run, started
//!    early, and each suite run is dealt into [`SERIAL_RUNS`] runs after its first pick so the
//!    server always has the next hello waiting. With an ECDSA certificate TLS 1.2 groups stay
//!    on the joint elimination (a hello must name the certificate's curve, RFC 8422).
//!
//! A hello never holds more than [`MAX_SUITES`] suites and the codec pads it out of the
//! 256–511-byte window; a server that fails on a large hello (reset, close or silence instead
//! of an alert) gets smaller ones through `check`'s ladder ([`super::intolerance`]); the size
//! that worked is reported as the version's `hello` and used for every later hello.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use super::check::{RunContext, routes_for, sni_for};
use super::driver::{self, Ending, Exchange, Limits, Route};
use super::elimination::{self, Answer, Insertion, MAX_SUITES, Run, candidate_tiers, is_chacha};
use super::handshake::{HandshakeOptions, HandshakeResult, full_handshake};
use super::hello::AnswerKind;
use super::hostcap::HostCap;
use super::intolerance;
use super::versions::{kx_of, negotiation_hello, protocol_report, version_hello};
use crate::model::{
    EndpointReport, Outcome, ProtocolReport, ProtocolVersion, ScanSummary, TargetReport, Timing,
};
use crate::registry::{self, Kx};
use crate::target::Target;
use crate::wire::{self, Extension, ServerKeyExchange};

/// Runs a version's first chunk is dealt into on the slow path against a server that
/// answers one connection at a time.
const SERIAL_RUNS: usize = 4;

/// Above this round-trip time (ms) the parallel plan is used.
pub const SLOW_RTT_MS: f64 = 30.0;

/// Politeness settings of a scan beyond the per-host cap (which is the run's
/// [`super::hostcap::HostLimiter`], `--max-conns-per-host`, shared with `check`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanOptions {
    /// Pause between the starts of two connections to one host.
    pub delay: Option<Duration>,
}

/// The spacing of connection starts to one host (`--delay`).
#[derive(Debug)]
struct Pace {
    delay: Option<Duration>,
    next_start: tokio::sync::Mutex<tokio::time::Instant>,
}

/// Every connection of one endpoint goes through its gate: the host's socket cap, the host's
/// pace, and the endpoint's connection count.
#[derive(Debug)]
pub struct Gate {
    cap: HostCap,
    pace: Arc<Pace>,
    opened: AtomicUsize,
}

impl Gate {
    /// Waits for a socket slot of the host (and for the delay since the host's previous
    /// connection), then runs `f` holding the slot.
    async fn run<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        let _slot = self.cap.acquire().await;
        if let Some(d) = self.pace.delay {
            let mut next = self.pace.next_start.lock().await;
            tokio::time::sleep_until(*next).await;
            *next = tokio::time::Instant::now() + d;
        }
        self.opened.fetch_add(1, Ordering::Relaxed);
        f.await
    }
}

/// Paces by host, shared by every target of a run.
#[derive(Debug, Default)]
struct Paces {
    delay: Option<Duration>,
    map: Mutex<HashMap<String, Arc<Pace>>>,
}

impl Paces {
    fn for_host(&self, host: &str) -> Arc<Pace> {
        let mut map = match self.map.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= 1024 {
            map.retain(|_, p| Arc::strong_count(p) > 1);
        }
        map.entry(host.trim_end_matches('.').to_ascii_lowercase())
            .or_insert_with(|| {
                Arc::new(Pace {
                    delay: self.delay,
                    next_start: tokio::sync::Mutex::new(tokio::time::Instant::now()),
                })
            })
            .clone()
    }
}

/// One endpoint being scanned: how to reach it, and its gate.
#[derive(Clone)]
struct Ep {
    route: Route,
    sni: Option<String>,
    limits: Limits,
    gate: Arc<Gate>,
    user_groups: Option<Arc<Vec<u16>>>,
}

/// What one hello's answer said, reduced to what the plans need.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    suite: Option<u16>,
    group: Option<u16>,
    dh_bits: Option<u16>,
    sig: Option<u16>,
}

/// The extensions a scan hello varies.
#[derive(Debug, Clone, Default)]
struct Shape {
    groups: Option<Vec<u16>>,
    key_shares: Option<Vec<u16>>,
    sigalgs: Option<Vec<u16>>,
}

impl Ep {
    async fn exchange(&self, hello: Vec<u8>) -> Exchange {
        self.gate
            .run(driver::run(&self.route, &hello, kx_of, self.limits))
            .await
    }

    fn hello(&self, v: ProtocolVersion, suites: &[u16], shape: &Shape) -> Vec<u8> {
        if v <= ProtocolVersion::Ssl3 {
            return version_hello(v, self.sni.as_deref(), suites);
        }
        let mut h = wire::probe_hello(v.wire(), suites, self.sni.as_deref());
        let groups = shape
            .groups
            .clone()
            .or_else(|| self.user_groups.as_deref().cloned());
        if let Some(g) = &groups {
            super::versions::apply_groups(&mut h, g);
        }
        for ext in &mut h.extensions {
            match ext {
                Extension::KeyShare(k) => {
                    if let Some(ks) = &shape.key_shares {
                        k.clone_from(ks);
                    }
                }
                Extension::SignatureAlgorithms(s) => {
                    if let Some(sa) = &shape.sigalgs {
                        s.clone_from(sa);
                    }
                }
                _ => {}
            }
        }
        h.encode()
    }

    /// One hello. A quiet failure (reset, close without an answer, silence) is asked once
    /// more before it counts as a refusal: a busy or rate-limiting server must not make an
    /// elimination stop early and miss what it accepts.
    async fn ask(&self, v: ProtocolVersion, suites: &[u16], shape: &Shape) -> (Seen, Exchange) {
        let hello = self.hello(v, suites, shape);
        let ex = self.exchange(hello.clone()).await;
        if failed_quietly(&ex) && !self.past_deadline() {
            let again = self.exchange(hello).await;
            return (seen(v, &again), again);
        }
        (seen(v, &ex), ex)
    }

    /// One hello, no second chance (the first wave reads quiet failures itself).
    async fn ask_once(
        &self,
        v: ProtocolVersion,
        suites: &[u16],
        shape: &Shape,
    ) -> (Seen, Exchange) {
        let ex = self.exchange(self.hello(v, suites, shape)).await;
        (seen(v, &ex), ex)
    }

    fn past_deadline(&self) -> bool {
        self.limits
            .deadline
            .is_some_and(|d| tokio::time::Instant::now() >= d)
    }
}

fn seen(v: ProtocolVersion, ex: &Exchange) -> Seen {
    let Some(reply) = &ex.flight else {
        return Seen::default();
    };
    let Some(sh) = reply
        .server_hello
        .as_ref()
        .filter(|_| reply.kind == AnswerKind::ServerHello)
    else {
        return Seen::default();
    };
    if sh.version() != v.wire() {
        return Seen::default();
    }
    let (group, dh_bits) = match reply.server_key_exchange {
        Some(ServerKeyExchange::Ecdhe { named_group, .. }) => (Some(named_group), None),
        Some(ServerKeyExchange::Dhe { prime_bits, .. }) => (None, Some(prime_bits)),
        None => (sh.key_share_group, None),
    };
    Seen {
        suite: Some(sh.cipher_suite),
        group,
        dh_bits,
        sig: reply.ske_signature_scheme,
    }
}

/// Whether the answer is the kind a fragile server gives a hello it cannot take (a reset, a
/// close or silence), as opposed to an alert or a ServerHello.
fn failed_quietly(ex: &Exchange) -> bool {
    if ex.connect.is_err() {
        return false;
    }
    match ex.flight.as_ref().map(|r| &r.kind) {
        Some(AnswerKind::Closed | AnswerKind::Truncated { .. }) | None => true,
        Some(_) => matches!(ex.ending, Ending::Timeout),
    }
}

/// The `scan` strategy.
pub struct Scan {
    paces: Paces,
}

impl Scan {
    /// A scan with these politeness settings.
    pub fn new(opts: ScanOptions) -> Scan {
        Scan {
            paces: Paces {
                delay: opts.delay,
                map: Mutex::new(HashMap::new()),
            },
        }
    }

    /// Scans one target: every address, every version.
    pub async fn scan_target(
        &self,
        target: &Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> TargetReport {
        let start = Instant::now();
        let sni = sni_for(target, &ctx.config.sni);
        let (routes, dns) = routes_for(target, &ctx, deadline, start).await;
        let host = target.host.to_string();
        let cap = ctx.hosts.cap(&host);
        let pace = self.paces.for_host(&host);
        let endpoints = super::check::probe_each(&routes, |route| {
            let ep = Ep {
                route: route.clone(),
                sni: sni.clone(),
                limits: Limits {
                    timeout: ctx.config.timeout,
                    deadline,
                },
                gate: Arc::new(Gate {
                    cap: cap.clone(),
                    pace: pace.clone(),
                    opened: AtomicUsize::new(0),
                }),
                user_groups: ctx.config.groups.clone().map(Arc::new),
            };
            let ctx = ctx.clone();
            let verify_name = sni.clone().unwrap_or_else(|| target.host.to_string());
            let dns_ms = dns.duration_ms;
            let cap = ctx.hosts.per_host();
            scan_endpoint(ep, verify_name, dns_ms, ctx, cap)
        })
        .await;
        super::check::target_report(target, &ctx, sni, dns, endpoints, start)
    }
}

/// What the first hello of one version found.
struct FirstAnswer {
    v: ProtocolVersion,
    /// The chunk size that got a TLS answer (smaller than [`MAX_SUITES`] after quiet failures).
    size: usize,
    /// The exchange the version's outcome is read from.
    ex: Exchange,
    seen: Seen,
    /// More chunks are worth offering (accepted, or "no shared cipher").
    go_on: bool,
    /// When a smaller hello worked: (its suites and bytes, the full-size hello's suites, bytes
    /// and outcome), as robust's [`intolerance::mark`] records it.
    hello: Option<SmallerHello>,
}

/// A smaller hello that worked (suites, bytes) and the full-size one that did not (suites,
/// bytes, outcome).
type SmallerHello = ((usize, usize), (usize, usize, Outcome));

async fn first_answer(ep: &Ep, v: ProtocolVersion, cands: &[u16]) -> FirstAnswer {
    if v == ProtocolVersion::Ssl2 {
        let ex = ep.exchange(version_hello(v, ep.sni.as_deref(), &[])).await;
        return FirstAnswer {
            v,
            size: 0,
            ex,
            seen: Seen::default(),
            go_on: false,
            hello: None,
        };
    }
    let mut offer: Vec<u16> = cands.iter().take(MAX_SUITES).copied().collect();
    elimination::arrange(&mut offer);
    let (s, ex) = ep.ask_once(v, &offer, &Shape::default()).await;
    let report = protocol_report(v, &ex);
    let full = intolerance::hello_size(v, ep.sni.as_deref(), &offer);
    // A reset, close or silence instead of an alert: robust's ladder of smaller hellos.
    if s.suite.is_none()
        && ep.user_groups.is_none()
        && intolerance::needs_ladder(&report, full, &[], false)
        && !ep.past_deadline()
        && let Some((ex2, suites, bytes)) =
            intolerance::ladder(v, ep.sni.as_deref(), &offer, |h| ep.exchange(h)).await
    {
        let scsv = usize::from(v == ProtocolVersion::Ssl3);
        return FirstAnswer {
            v,
            size: suites.saturating_sub(scsv).max(1),
            seen: seen(v, &ex2),
            ex: ex2,
            go_on: true,
            hello: Some(((suites, bytes), (full.0, full.1, report.outcome))),
        };
    }
    let go_on = s.suite.is_some() || super::versions::no_shared_suite(&report);
    FirstAnswer {
        v,
        size: MAX_SUITES,
        ex,
        seen: s,
        go_on,
        hello: None,
    }
}

/// Everything learned about one version's suites.
#[derive(Debug, Default)]
struct SuiteScan {
    /// Elimination runs, in chunk order.
    runs: Vec<Run>,
    /// Answers of every hello (for groups, DH sizes and signature schemes seen on the way).
    seen: Vec<Seen>,
    /// The first exchange that was accepted, if any.
    accepted: Option<Exchange>,
}

/// How an elimination run spreads once it has yielded a pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spread {
    /// Never (fast path: fewest connections, order for free).
    Never,
    /// Split in two after every pick while more than [`elimination::SPLIT_ABOVE`] remain (slow
    /// path, a server taking connections at once).
    Halve,
    /// Dealt once into [`SERIAL_RUNS`] runs (slow path, a server answering one connection at a
    /// time: a few runs keep it busy while each waits for its answer).
    DealOnce,
}

/// Eliminates `runs` in parallel; on the slow path a run that has yielded a pick spreads
/// into runs of their own ([`Spread`]; the order step orders their picks later).
async fn eliminate(
    ep: &Ep,
    v: ProtocolVersion,
    runs: Vec<Run>,
    spread: Spread,
    shape: Shape,
) -> SuiteScan {
    type Done = (usize, Run, Vec<Seen>, Option<Exchange>, Vec<Run>);
    fn spawn(
        set: &mut JoinSet<Done>,
        slot: usize,
        mut run: Run,
        ep: Ep,
        v: ProtocolVersion,
        spread: Spread,
        shape: Shape,
    ) {
        set.spawn(async move {
            let mut seen = Vec::new();
            let mut accepted = None;
            loop {
                if !run.picked.is_empty() {
                    match spread {
                        Spread::Halve => {
                            if let Some(other) = run.split() {
                                let first = Run::new(std::mem::take(&mut run.remaining));
                                run.finished = true;
                                return (slot, run, seen, accepted, vec![first, other]);
                            }
                        }
                        Spread::DealOnce if run.remaining.len() > 2 * SERIAL_RUNS => {
                            let rest = std::mem::take(&mut run.remaining);
                            run.finished = true;
                            let dealt = elimination::deal(&rest, SERIAL_RUNS);
                            let dealt = dealt.into_iter().map(Run::new).collect();
                            return (slot, run, seen, accepted, dealt);
                        }
                        _ => {}
                    }
                }
                let Some(offer) = run.offer() else { break };
                if ep.past_deadline() {
                    break;
                }
                let (s, ex) = ep.ask(v, &offer, &shape).await;
                seen.push(s);
                match s.suite {
                    Some(x) => {
                        run.on_answer(Answer::Picked(x));
                        if accepted.is_none() {
                            accepted = Some(ex);
                        }
                    }
                    None => run.on_answer(Answer::Refused),
                }
            }
            (slot, run, seen, accepted, Vec::new())
        });
    }
    let mut out = SuiteScan::default();
    let mut set: JoinSet<Done> = JoinSet::new();
    let mut slots: Vec<Option<Run>> = Vec::new();
    for run in runs {
        slots.push(None);
        spawn(
            &mut set,
            slots.len() - 1,
            run,
            ep.clone(),
            v,
            spread,
            shape.clone(),
        );
    }
    while let Some(joined) = set.join_next().await {
        let Ok((slot, run, seen, accepted, spawned)) = joined else {
            continue;
        };
        out.seen.extend(seen);
        if out.accepted.is_none() {
            out.accepted = accepted;
        }
        // The picks so far stay in this slot; the new runs go on from scratch.
        if let Some(s) = slots.get_mut(slot) {
            *s = Some(run);
        }
        let next = if spread == Spread::Halve {
            Spread::Halve
        } else {
            Spread::Never
        };
        for r in spawned {
            slots.push(None);
            spawn(
                &mut set,
                slots.len() - 1,
                r,
                ep.clone(),
                v,
                next,
                shape.clone(),
            );
        }
    }
    out.runs = slots.into_iter().flatten().collect();
    out
}

/// Asks the server which of two suites it prefers (`true` when `a`).
async fn prefers(ep: &Ep, v: ProtocolVersion, a: u16, b: u16) -> bool {
    let (s, _) = ep
        .ask(v, &elimination::pair_offer(a, b), &Shape::default())
        .await;
    s.suite != Some(b)
}

/// Merges the picks of several runs into the server's order.
async fn merge_runs(ep: &Ep, v: ProtocolVersion, runs: Vec<Vec<u16>>) -> Vec<u16> {
    let mut runs = runs.into_iter().filter(|r| !r.is_empty());
    let Some(mut merged) = runs.next() else {
        return Vec::new();
    };
    for run in runs {
        let (Some(&last), Some(&first)) = (merged.last(), run.first()) else {
            continue;
        };
        if prefers(ep, v, last, first).await {
            merged.extend(run);
            continue;
        }
        if let (Some(&rlast), Some(&mfirst)) = (run.last(), merged.first())
            && prefers(ep, v, rlast, mfirst).await
        {
            let mut r = run;
            r.extend(merged);
            merged = r;
            continue;
        }
        // Interleaved: place each suite of `run` by binary search, all at once.
        let base = Arc::new(merged.clone());
        let mut set = JoinSet::new();
        for &x in &run {
            let (ep, base) = (ep.clone(), base.clone());
            set.spawn(async move {
                let mut ins = Insertion::new(x, base.len());
                while let Some(i) = ins.probe() {
                    let other = base.get(i).copied().unwrap_or(x);
                    ins.on_compare(prefers(&ep, v, x, other).await);
                }
                (x, ins.position())
            });
        }
        let mut placed = Vec::new();
        while let Some(j) = set.join_next().await {
            if let Ok(p) = j {
                placed.push(p);
            }
        }
        // Keep the run's own order for suites landing in the same gap.
        placed.sort_by_key(|&(x, pos)| (pos, run.iter().position(|&r| r == x)));
        merged = elimination::merge_placed(&base, placed);
    }
    merged
}

/// The suites part of one accepted version: list, order, ChaCha priority.
struct OrderResult {
    ciphers: Vec<u16>,
    server_preference: Option<bool>,
    chacha20_priority: Option<bool>,
}

async fn order(ep: &Ep, v: ProtocolVersion, runs: &[Run]) -> OrderResult {
    let concat: Vec<u16> = runs.iter().flat_map(|r| r.picked.iter().copied()).collect();
    if concat.len() < 2 {
        return OrderResult {
            ciphers: concat,
            server_preference: None,
            chacha20_priority: None,
        };
    }
    let non_empty = runs.iter().filter(|r| !r.picked.is_empty()).count();
    // With one run, its first pick is what the server took from all of them, in this order.
    let forward = if non_empty == 1 {
        concat.first().copied()
    } else {
        let mut o = concat.clone();
        elimination::arrange(&mut o);
        ep.ask(v, &o, &Shape::default()).await.0.suite
    };
    let mut order_basis = concat.clone();
    if let Some(f) = forward
        && let Some(pos) = order_basis.iter().position(|&s| s == f)
    {
        let f = order_basis.remove(pos);
        order_basis.insert(0, f);
    }
    let reversed = elimination::reversed_offer(&order_basis);
    let pick = ep.ask(v, &reversed, &Shape::default()).await.0.suite;
    let pref = elimination::server_preference(&order_basis, &reversed, pick);
    if pref != Some(true) {
        return client_order(concat, pref);
    }
    let ciphers = if non_empty == 1 {
        concat
    } else {
        merge_runs(ep, v, runs.iter().map(|r| r.picked.clone()).collect()).await
    };
    let chacha = ciphers.iter().copied().find(|&s| is_chacha(s));
    let chacha20_priority = match (chacha, ciphers.first()) {
        (Some(c), Some(&top)) if !is_chacha(top) => {
            let offer = elimination::chacha_first_offer(&ciphers, c);
            Some(ep.ask(v, &offer, &Shape::default()).await.0.suite == Some(c))
        }
        _ => None,
    };
    OrderResult {
        ciphers,
        server_preference: Some(true),
        chacha20_priority,
    }
}

/// Groups this scan offers at `v` (the user's `--groups`, else the registry's).
fn group_candidates(ep: &Ep, v: ProtocolVersion) -> Vec<u16> {
    if let Some(g) = &ep.user_groups {
        return g.to_vec();
    }
    let mut g: Vec<&registry::GroupInfo> = registry::groups::GROUPS
        .iter()
        .filter(|g| g.kind != registry::GroupKind::Explicit)
        .filter(|g| {
            if v == ProtocolVersion::Tls13 {
                g.tls13
            } else {
                g.tls12
            }
        })
        .collect();
    g.sort_by_key(|g| std::cmp::Reverse(g.security));
    g.iter().map(|g| g.id).collect()
}

/// TLS 1.2 signature schemes offered (every registered one that TLS 1.2 can use).
fn sigalg_candidates() -> Vec<u16> {
    registry::sigalgs::SIGALGS
        .iter()
        .filter(|s| !s.name.ends_with("_legacy"))
        .map(|s| s.id)
        .collect()
}

/// TLS 1.3 signature schemes worth testing for a certificate key (`RSA 2048`, `EC P-256`…).
fn tls13_sigalgs_for(key: Option<&str>) -> Vec<u16> {
    let rsa = [0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b];
    match key {
        Some(k) if k.starts_with("RSA") => rsa.to_vec(),
        Some("EC P-256") => vec![0x0403],
        Some("EC P-384") => vec![0x0503],
        Some("EC P-521") => vec![0x0603],
        Some("Ed25519") => vec![0x0807],
        Some("Ed448") => vec![0x0808],
        _ => registry::sigalgs::SIGALGS
            .iter()
            .filter(|s| s.tls13 && !s.name.ends_with("_legacy"))
            .map(|s| s.id)
            .collect(),
    }
}

/// TLS 1.3 groups by HelloRetryRequest elimination: `supported_groups` without key shares.
/// One sequential run on both paths (a server accepts few groups, and one run gives their
/// order for free); it overlaps with the other versions' work.
async fn groups13(ep: &Ep, suites: &[u16]) -> (Vec<u16>, Option<bool>) {
    let v = ProtocolVersion::Tls13;
    let cands = group_candidates(ep, v);
    let runs = vec![cands.clone()];
    let mut set = JoinSet::new();
    for (i, c) in runs.into_iter().enumerate() {
        let (ep, suites) = (ep.clone(), suites.to_vec());
        set.spawn(async move {
            let mut run = Run::new(c);
            while let Some(offer) = run.offer() {
                if ep.past_deadline() {
                    break;
                }
                let shape = Shape {
                    groups: Some(offer),
                    key_shares: Some(Vec::new()),
                    sigalgs: None,
                };
                let (s, _) = ep.ask(v, &suites, &shape).await;
                run.on_answer(s.group.map_or(Answer::Refused, Answer::Picked));
            }
            (i, run.picked)
        });
    }
    let mut parts: Vec<(usize, Vec<u16>)> = Vec::new();
    while let Some(j) = set.join_next().await {
        if let Ok(p) = j {
            parts.push(p);
        }
    }
    parts.sort_by_key(|(i, _)| *i);
    let found: Vec<u16> = parts.into_iter().flat_map(|(_, g)| g).collect();
    if found.len() < 2 {
        return (found, None);
    }
    let reversed: Vec<u16> = found.iter().rev().copied().collect();
    let shape = Shape {
        groups: Some(reversed.clone()),
        key_shares: Some(Vec::new()),
        sigalgs: None,
    };
    let pick = ep.ask(v, suites, &shape).await.0.group;
    let pref = elimination::server_preference(&found, &reversed, pick);
    if pref == Some(true) {
        (found, pref)
    } else {
        let mut sorted = found;
        sorted.sort_unstable();
        (sorted, pref)
    }
}

/// TLS 1.0–1.2 groups and signature schemes from ServerKeyExchange: one elimination of both
/// lists at once (each answer names a group and, in TLS 1.2, a scheme).
async fn kx_params12(
    ep: &Ep,
    v: ProtocolVersion,
    ecdhe: &[u16],
    fs: &[u16],
) -> (Vec<u16>, Vec<u16>) {
    let with_sigs = v == ProtocolVersion::Tls12 && !fs.is_empty();
    let all_groups = group_candidates(ep, v);
    let all_sigs = sigalg_candidates();
    let mut groups = Run::new(if ecdhe.is_empty() {
        Vec::new()
    } else {
        all_groups.clone()
    });
    let mut sigs = Run::new(if with_sigs {
        all_sigs.clone()
    } else {
        Vec::new()
    });
    // After a refusal with both lists shrinking, the next hello keeps every scheme to learn
    // which list ran dry.
    let mut probing_groups = false;
    let mut rounds = 0;
    while !(groups.finished && sigs.finished) && rounds < 256 && !ep.past_deadline() {
        rounds += 1;
        let g_active = !groups.finished;
        let s_active = !sigs.finished && !probing_groups;
        let suites = if g_active { ecdhe } else { fs };
        let shape = Shape {
            groups: Some(if g_active {
                groups.remaining.clone()
            } else {
                all_groups.clone()
            }),
            key_shares: None,
            sigalgs: Some(if s_active {
                sigs.remaining.clone()
            } else {
                all_sigs.clone()
            }),
        };
        let (s, _) = ep.ask(v, suites, &shape).await;
        match s.suite {
            Some(_) => {
                if g_active && let Some(g) = s.group {
                    groups.on_answer(Answer::Picked(g));
                }
                if probing_groups {
                    // The refusal was about the schemes.
                    sigs.finished = true;
                    probing_groups = false;
                } else if s_active && let Some(x) = s.sig {
                    sigs.on_answer(Answer::Picked(x));
                }
                if s.group.is_none() && g_active {
                    groups.finished = true;
                }
                if s.sig.is_none() && s_active {
                    sigs.finished = true;
                }
            }
            None => {
                if g_active && s_active {
                    probing_groups = true;
                } else if g_active {
                    groups.finished = true;
                    probing_groups = false;
                } else {
                    sigs.finished = true;
                }
            }
        }
    }
    // Schemes in registry order on both plans (the slow path tests them one by one).
    let mut schemes = sigs.picked;
    schemes.sort_by_key(|x| all_sigs.iter().position(|c| c == x));
    (groups.picked, schemes)
}

/// TLS 1.3 signature schemes: one hello per candidate (the choice is encrypted, but a server
/// with no usable scheme refuses before its ServerHello). The RSA-PSS-PSS schemes (a
/// certificate with an RSASSA-PSS key, rare) share one hello first and are tested one by one
/// only when it is accepted.
async fn sigalgs13(ep: &Ep, suites: &[u16], group: Option<u16>, key: Option<&str>) -> Vec<u16> {
    let accepts = |offer: Vec<u16>| {
        let (ep, suites) = (ep.clone(), suites.to_vec());
        async move {
            let shape = Shape {
                groups: group.map(|g| vec![g]),
                key_shares: group.map(|g| vec![g]),
                sigalgs: Some(offer),
            };
            ep.ask(ProtocolVersion::Tls13, &suites, &shape)
                .await
                .0
                .suite
                .is_some()
        }
    };
    let cands = tls13_sigalgs_for(key);
    let pss: Vec<u16> = cands
        .iter()
        .copied()
        .filter(|&s| sigalg_family(s) == "rsa_pss")
        .collect();
    let grouped = pss.len() > 1;
    let mut set = JoinSet::new();
    for (i, s) in cands.iter().copied().enumerate() {
        if grouped && pss.contains(&s) {
            continue;
        }
        let f = accepts(vec![s]);
        set.spawn(async move { (vec![(i, s)], f.await) });
    }
    if grouped {
        let f = accepts(pss.clone());
        let idx: Vec<(usize, u16)> = cands
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, s)| pss.contains(s))
            .collect();
        set.spawn(async move { (idx, f.await) });
    }
    let mut ok = Vec::new();
    let mut one_by_one = Vec::new();
    while let Some(j) = set.join_next().await {
        match j {
            Ok((idx, true)) if idx.len() > 1 => one_by_one = idx,
            Ok((idx, true)) => ok.extend(idx),
            _ => {}
        }
    }
    for (i, s) in one_by_one {
        let f = accepts(vec![s]);
        set.spawn(async move { (vec![(i, s)], f.await) });
    }
    while let Some(j) = set.join_next().await {
        if let Ok((idx, true)) = j {
            ok.extend(idx);
        }
    }
    ok.sort_unstable();
    ok.into_iter().map(|(_, s)| s).collect()
}

/// One value-picking question put to the server: offer these values (suites, groups or
/// signature schemes, the rest of the hello fixed), get the one it picked.
type Oracle =
    Arc<dyn Fn(Vec<u16>) -> Pin<Box<dyn Future<Output = Option<u16>> + Send>> + Send + Sync>;

/// What an [`Oracle`] varies.
#[derive(Clone, Copy)]
enum Varies {
    /// The cipher suites (the pick is the suite).
    Suites,
    /// `supported_groups`, with no key share in TLS 1.3 (the pick: the HelloRetryRequest's or
    /// the ServerKeyExchange's group).
    Groups,
    /// `signature_algorithms` (the pick: the ServerKeyExchange's scheme).
    Sigalgs,
}

fn oracle(ep: &Ep, v: ProtocolVersion, suites: Vec<u16>, base: Shape, varies: Varies) -> Oracle {
    let (ep, suites) = (ep.clone(), Arc::new(suites));
    Arc::new(move |offer: Vec<u16>| {
        let (ep, suites, mut shape) = (ep.clone(), suites.clone(), base.clone());
        Box::pin(async move {
            let offered = match varies {
                Varies::Suites => offer,
                Varies::Groups => {
                    if v == ProtocolVersion::Tls13 {
                        shape.key_shares = Some(Vec::new());
                    }
                    shape.groups = Some(offer);
                    suites.to_vec()
                }
                Varies::Sigalgs => {
                    shape.sigalgs = Some(offer);
                    suites.to_vec()
                }
            };
            let (s, _) = ep.ask(v, &offered, &shape).await;
            match varies {
                Varies::Suites => s.suite,
                Varies::Groups => s.group,
                Varies::Sigalgs => s.suite.and(s.sig),
            }
        })
    })
}

/// Eliminates `runs` in parallel (within the host's cap), splitting a run that has yielded a
/// pick while more than `split_above` candidates remain. Returns every pick, in the order of
/// the runs and, within a run, of the picks.
async fn eliminate_all(runs: Vec<Run>, split_above: usize, ask: &Oracle, ep: &Ep) -> Vec<u16> {
    type Done = (usize, Run, Option<Run>);
    fn spawn(set: &mut JoinSet<Done>, slot: usize, mut run: Run, n: usize, ask: Oracle, ep: Ep) {
        set.spawn(async move {
            loop {
                if !run.picked.is_empty()
                    && let Some(other) = run.split_above(n)
                {
                    return (slot, run, Some(other));
                }
                let Some(offer) = run.offer() else { break };
                if ep.past_deadline() {
                    break;
                }
                run.on_answer(ask(offer).await.map_or(Answer::Refused, Answer::Picked));
            }
            (slot, run, None)
        });
    }
    let mut set = JoinSet::new();
    // Slots in offer order; a split run's halves take the slots just after it (by key).
    let mut slots: Vec<(Vec<usize>, Option<Run>)> = Vec::new();
    for run in runs {
        slots.push((vec![slots.len()], None));
        spawn(
            &mut set,
            slots.len() - 1,
            run,
            split_above,
            ask.clone(),
            ep.clone(),
        );
    }
    while let Some(joined) = set.join_next().await {
        let Ok((slot, run, split)) = joined else {
            continue;
        };
        let key = slots.get(slot).map(|s| s.0.clone()).unwrap_or_default();
        match split {
            Some(second) => {
                let first = Run::new(run.remaining.clone());
                if let Some(s) = slots.get_mut(slot) {
                    s.1 = Some(Run {
                        remaining: Vec::new(),
                        finished: true,
                        ..run
                    });
                }
                for (i, half) in [first, second].into_iter().enumerate() {
                    let mut k = key.clone();
                    k.push(i);
                    slots.push((k, None));
                    spawn(
                        &mut set,
                        slots.len() - 1,
                        half,
                        split_above,
                        ask.clone(),
                        ep.clone(),
                    );
                }
            }
            None => {
                if let Some(s) = slots.get_mut(slot) {
                    s.1 = Some(run);
                }
            }
        }
    }
    slots.sort_by(|a, b| a.0.cmp(&b.0));
    slots
        .into_iter()
        .filter_map(|(_, r)| r)
        .flat_map(|r| r.picked)
        .collect()
}

/// Whether the server imposes its own order among `found`, from two offers at once (the
/// list and its reverse): (preference, the server's favourite).
async fn preference(found: &[u16], ask: &Oracle) -> (Option<bool>, Option<u16>) {
    let mut forward = found.to_vec();
    elimination::arrange(&mut forward);
    let reversed = elimination::reversed_offer(&forward);
    let (f, r) = tokio::join!(ask(forward.clone()), ask(reversed.clone()));
    (elimination::preference_of(&forward, &reversed, (f, r)), f)
}

/// The server's order of `found` given its favourite `top`, in parallel rounds of at most
/// `budget` hellos ([`elimination::Ranking`]).
async fn rank(top: u16, found: &[u16], ask: &Oracle, budget: usize) -> Vec<u16> {
    let rest: Vec<u16> = found.iter().copied().filter(|&x| x != top).collect();
    let mut ranking = elimination::Ranking::new(top, rest);
    let mut rounds = 0;
    while !ranking.done() && rounds < 64 {
        rounds += 1;
        let mut set = JoinSet::new();
        for (i, q) in ranking.queries(budget).into_iter().enumerate() {
            let ask = ask.clone();
            set.spawn(async move { (i, ask(q).await) });
        }
        let mut picks: Vec<(usize, Option<u16>)> = Vec::new();
        while let Some(j) = set.join_next().await {
            if let Ok(p) = j {
                picks.push(p);
            }
        }
        picks.sort_unstable_by_key(|p| p.0);
        let picks: Vec<Option<u16>> = picks.into_iter().map(|p| p.1).collect();
        if !ranking.on_answers(&picks) {
            break;
        }
    }
    ranking.finish()
}

/// Membership, then order where the server imposes one (slow path): `(values in the
/// server's order or, without one, in `cands` order; preference)`.
async fn members_in_order(
    ep: &Ep,
    cands: &[u16],
    likely: impl Fn(u16) -> bool,
    ask: &Oracle,
    budget: usize,
    ordered: bool,
) -> (Vec<u16>, Option<bool>) {
    let (l, r): (Vec<u16>, Vec<u16>) = cands.iter().partition(|&&c| likely(c));
    let mut found =
        eliminate_all(elimination::membership_runs(&l, &r, MAX_SUITES), 1, ask, ep).await;
    found.sort_by_key(|x| cands.iter().position(|c| c == x));
    if !ordered || found.len() < 2 {
        return (found, None);
    }
    match preference(&found, ask).await {
        (Some(true), Some(top)) => {
            // The guess to confirm: the most common server order first (a wrong guess only
            // costs rounds).
            let mut guess = found.clone();
            guess.sort_by_key(|x| {
                COMMON_ORDER
                    .iter()
                    .position(|c| c == x)
                    .unwrap_or(usize::MAX)
            });
            (rank(top, &guess, ask, budget).await, Some(true))
        }
        (pref, _) => (found, pref),
    }
}

/// The group order OpenSSL (and so most servers) uses by default: the first guess when
/// ranking accepted groups (x25519, secp256r1, x448, secp521r1, secp384r1, ffdhe2048–8192).
const COMMON_ORDER: [u16; 10] = [29, 23, 30, 25, 24, 256, 257, 258, 259, 260];

/// Groups likely to be accepted, tested one hello each on the slow path: the classical
/// curves every stack ships and (TLS 1.3) the ffdhe groups; the others (hybrids, brainpool,
/// GOST, SM2, binary and small curves) share hellos, split only when one is picked.
fn likely_group(id: u16, v: ProtocolVersion) -> bool {
    registry::groups::GROUPS.iter().any(|g| {
        g.id == id
            && (matches!(
                g.name,
                "x25519" | "x448" | "secp256r1" | "secp384r1" | "secp521r1"
            ) || (v == ProtocolVersion::Tls13 && g.kind == registry::GroupKind::Ffdhe))
    })
}

/// The key family a signature scheme signs with (`rsa` covers PKCS#1 and PSS-with-RSAE).
fn sigalg_family(id: u16) -> &'static str {
    let name = registry::sigalg_name(id);
    if name.starts_with("rsa_pss_pss") {
        "rsa_pss"
    } else if name.starts_with("rsa_") {
        "rsa"
    } else if name.starts_with("ecdsa_") {
        "ecdsa"
    } else if name == "ed25519" || name == "ed448" {
        "eddsa"
    } else {
        "other"
    }
}

/// TLS 1.2 signature schemes likely to be accepted, tested one hello each: the family of
/// the certificate wave 1 saw (`seen`, a scheme), else RSA and ECDSA; MD5 never.
fn likely_sigalg(id: u16, seen: Option<u16>) -> bool {
    let family = sigalg_family(id);
    !registry::sigalg_name(id).contains("md5")
        && match seen {
            Some(s) => family == sigalg_family(s),
            None => matches!(family, "rsa" | "ecdsa"),
        }
}

/// TLS 1.3 groups on the slow path: every likely group in its own hello at once (the rest
/// in chunks), then the server's preference and order.
async fn groups13_parallel(ep: &Ep, suites: &[u16], budget: usize) -> (Vec<u16>, Option<bool>) {
    let v = ProtocolVersion::Tls13;
    let cands = group_candidates(ep, v);
    let ask = oracle(ep, v, suites.to_vec(), Shape::default(), Varies::Groups);
    let (mut found, pref) =
        members_in_order(ep, &cands, |g| likely_group(g, v), &ask, budget, true).await;
    if pref != Some(true) {
        found.sort_unstable();
    }
    (found, pref)
}

/// TLS 1.0–1.2 groups and signature schemes on the slow path, started as soon as one
/// version is known to be accepted: ECDHE (and DHE) suites of `offer` (what that version's
/// first hello offered) carry every hello; groups and schemes are each tested by membership
/// at once, and the groups ordered where the server imposes an order.
async fn kx_params12_parallel(
    ep: &Ep,
    v: ProtocolVersion,
    offer: &[u16],
    first: Seen,
    budget: usize,
) -> (Vec<u16>, Vec<u16>) {
    let pick = first.suite;
    let kx = |id: &u16, want: &[Kx]| registry::suite(*id).is_some_and(|s| want.contains(&s.kx));
    let lead = |mut l: Vec<u16>| {
        if let Some(p) = pick
            && let Some(i) = l.iter().position(|&x| x == p)
        {
            let p = l.remove(i);
            l.insert(0, p);
        }
        elimination::arrange(&mut l);
        l
    };
    let ecdhe = lead(
        offer
            .iter()
            .filter(|s| kx(s, &[Kx::Ecdhe]))
            .copied()
            .collect(),
    );
    let fs = lead(
        offer
            .iter()
            .filter(|s| kx(s, &[Kx::Ecdhe, Kx::Dhe]))
            .copied()
            .collect(),
    );
    let all_groups = group_candidates(ep, v);
    let all_sigs = sigalg_candidates();
    let groups = async {
        if ecdhe.is_empty() {
            return Vec::new();
        }
        let base = Shape {
            sigalgs: Some(all_sigs.clone()),
            ..Shape::default()
        };
        let ask = oracle(ep, v, ecdhe.clone(), base, Varies::Groups);
        members_in_order(ep, &all_groups, |g| likely_group(g, v), &ask, budget, true)
            .await
            .0
    };
    let sigs = async {
        if v != ProtocolVersion::Tls12 || fs.is_empty() {
            return Vec::new();
        }
        let base = Shape {
            groups: Some(all_groups.clone()),
            ..Shape::default()
        };
        let ask = oracle(ep, v, fs.clone(), base, Varies::Sigalgs);
        let likely = |id| likely_sigalg(id, first.sig);
        members_in_order(ep, &all_sigs, likely, &ask, budget, false)
            .await
            .0
    };
    tokio::join!(groups, sigs)
}

/// The result when the server does not impose its order (or it is undecidable): the accepted
/// suites by code point.
fn client_order(mut suites: Vec<u16>, server_preference: Option<bool>) -> OrderResult {
    suites.sort_unstable();
    OrderResult {
        ciphers: suites,
        server_preference,
        chacha20_priority: None,
    }
}

/// Suite order on the slow path (several runs): preference from two offers at once, then
/// the order by parallel rounds, the ChaCha20 check alongside.
async fn order_parallel(ep: &Ep, v: ProtocolVersion, runs: &[Run], budget: usize) -> OrderResult {
    let concat: Vec<u16> = runs.iter().flat_map(|r| r.picked.iter().copied()).collect();
    let non_empty = runs.iter().filter(|r| !r.picked.is_empty()).count();
    if concat.len() < 2 || non_empty == 1 || concat.len() > budget + 1 {
        return order(ep, v, runs).await;
    }
    let ask = oracle(ep, v, Vec::new(), Shape::default(), Varies::Suites);
    let (pref, top) = preference(&concat, &ask).await;
    let Some(top) = top.filter(|_| pref == Some(true)) else {
        return client_order(concat, pref);
    };
    let chacha = concat
        .iter()
        .copied()
        .find(|&s| is_chacha(s))
        .filter(|_| !is_chacha(top));
    let chacha_check = async {
        let c = chacha?;
        let mut basis = vec![top];
        basis.extend(concat.iter().copied().filter(|&s| s != top));
        Some(ask(elimination::chacha_first_offer(&basis, c)).await == Some(c))
    };
    let (ciphers, chacha20_priority) = tokio::join!(rank(top, &concat, &ask, budget), chacha_check);
    OrderResult {
        ciphers,
        server_preference: Some(true),
        chacha20_priority,
    }
}

fn names(ids: &[u16], f: fn(u16) -> String) -> Vec<String> {
    ids.iter().map(|&i| f(i)).collect()
}

/// Scans one endpoint.
async fn scan_endpoint(
    ep: Ep,
    verify_name: String,
    dns_ms: f64,
    ctx: Arc<RunContext>,
    cap: usize,
) -> EndpointReport {
    let versions = ctx.config.versions.clone();
    let user_suites = ctx.config.suites.clone();
    let cands_for = move |v: ProtocolVersion| -> Vec<Vec<u16>> {
        match &user_suites {
            Some(u) => vec![u.clone()],
            None => candidate_tiers(v),
        }
    };
    // Wave 1: the first hello of every version, and the full handshake (whose certificate
    // key the TLS 1.3 signature schemes need; nothing else waits for it).
    let (key_tx, key_rx) = tokio::sync::watch::channel::<Option<Option<String>>>(None);
    let handshake = {
        let ep = ep.clone();
        let ctx = ctx.clone();
        let verify_name = verify_name.clone();
        tokio::spawn(async move {
            let r = rustls_handshake(&ep, verify_name, &ctx).await;
            let key = r
                .as_ref()
                .and_then(|r| r.certificate.as_ref())
                .and_then(|c| c.chain.first())
                .map(|c| c.key.clone());
            let _ = key_tx.send(Some(key));
            r
        })
    };
    let cert_key = move || {
        let mut rx = key_rx.clone();
        async move {
            match rx.wait_for(Option::is_some).await {
                Ok(k) => k.clone().flatten(),
                Err(_) => None,
            }
        }
    };
    let mut set = JoinSet::new();
    for v in versions.iter().copied() {
        let (ep, cands) = (ep.clone(), cands_for(v));
        set.spawn(async move {
            let first: Vec<u16> = cands.first().cloned().unwrap_or_default();
            first_answer(&ep, v, &first).await
        });
    }
    let mut firsts: Vec<FirstAnswer> = Vec::new();
    while let Some(j) = set.join_next().await {
        if let Ok(f) = j {
            firsts.push(f);
        }
    }
    firsts.sort_by_key(|f| f.v);
    let rtt_ms = firsts
        .iter()
        .filter(|f| f.ex.flight.as_ref().is_some_and(|r| r.bytes > 0))
        .filter_map(|f| f.ex.answer_ms)
        .min_by(f64::total_cmp);
    let slow = rtt_ms.is_some_and(|r| r > SLOW_RTT_MS);
    // A server that answers wave 1's simultaneous hellos one after another (openssl
    // s_server, say) gains nothing from more parallel hellos, only from fewer: the slow path
    // then keeps the sequential plan's few connections and only starts everything early.
    let wide = slow && !serialises(&firsts);
    // Hellos one parallel round may send (slow path).
    let budget = (3 * cap).max(4);
    let first_offer = |f: &FirstAnswer| -> Vec<u16> {
        let mut o: Vec<u16> = cands_for(f.v)
            .first()
            .map(|c| c.iter().take(f.size.max(1)).copied().collect())
            .unwrap_or_default();
        elimination::arrange(&mut o);
        o
    };

    // Slow path: TLS 1.0-1.2 groups and schemes start now, from the highest version wave 1
    // found accepted.
    let early_kx = if slow {
        firsts
            .iter()
            .filter(|f| {
                f.seen.suite.is_some()
                    && matches!(
                        f.v,
                        ProtocolVersion::Tls10 | ProtocolVersion::Tls11 | ProtocolVersion::Tls12
                    )
            })
            .max_by_key(|f| f.v)
            .map(|f| {
                let (ep, v, offer, seen) = (ep.clone(), f.v, first_offer(f), f.seen);
                let pick = seen.suite;
                (
                    v,
                    tokio::spawn(async move {
                        // With an ECDSA certificate a hello must name its curve among the
                        // groups (RFC 8422), so groups cannot be tested one per hello.
                        let ecdsa = seen.sig.is_some_and(|s| sigalg_family(s) == "ecdsa");
                        if wide && !ecdsa {
                            kx_params12_parallel(&ep, v, &offer, seen, budget).await
                        } else {
                            let kx = |id: &u16, want: &[Kx]| {
                                registry::suite(*id).is_some_and(|s| want.contains(&s.kx))
                            };
                            let pick = pick.into_iter().filter(|p| kx(p, &[Kx::Ecdhe, Kx::Dhe]));
                            let mut fs: Vec<u16> = pick.collect();
                            for &s in &offer {
                                if kx(&s, &[Kx::Ecdhe, Kx::Dhe]) && !fs.contains(&s) {
                                    fs.push(s);
                                }
                            }
                            let ecdhe: Vec<u16> =
                                fs.iter().filter(|s| kx(s, &[Kx::Ecdhe])).copied().collect();
                            kx_params12(&ep, v, &ecdhe, &fs).await
                        }
                    }),
                )
            })
    } else {
        None
    };

    // Waves 2+: each version in play, concurrently.
    let mut set = JoinSet::new();
    for f in &firsts {
        if !f.go_on {
            continue;
        }
        let (ep, v, size, first_seen) = (ep.clone(), f.v, f.size, f.seen);
        let first_pick = first_seen.suite;
        let cands = cands_for(v);
        let cert_key = cert_key.clone();
        let wave1_offer = first_offer(f);
        set.spawn(async move {
            let mut chunk_list = elimination::tiered_chunks(&cands, size);
            let mut runs: Vec<Run> = Vec::new();
            if let Some(first) = chunk_list.first_mut() {
                let mut r = Run::new(std::mem::take(first));
                r.on_answer(first_pick.map_or(Answer::Refused, Answer::Picked));
                if wide && v == ProtocolVersion::Tls13 && !r.finished {
                    // A handful of candidates: one hello each, at once.
                    let rest = std::mem::take(&mut r.remaining);
                    r.finished = true;
                    runs.push(r);
                    runs.extend(rest.into_iter().map(|s| Run::new(vec![s])));
                } else {
                    runs.push(r);
                }
            }
            runs.extend(chunk_list.into_iter().skip(1).map(Run::new));
            // Slow path, TLS 1.3: groups and signature schemes need only the suite wave 1
            // got; they run alongside the elimination.
            let side13 = async {
                if !(slow && v == ProtocolVersion::Tls13) {
                    return None;
                }
                let pick = first_pick?;
                let groups = async {
                    if wide {
                        groups13_parallel(&ep, &wave1_offer, budget).await
                    } else {
                        groups13(&ep, &wave1_offer).await
                    }
                };
                let sigs = async {
                    let key = cert_key().await;
                    sigalgs13(&ep, &[pick], first_seen.group, key.as_deref()).await
                };
                Some(tokio::join!(groups, sigs))
            };
            let suites = async {
                let spread = match (slow, wide) {
                    (_, true) => Spread::Halve,
                    (true, false) => Spread::DealOnce,
                    _ => Spread::Never,
                };
                let mut scan = eliminate(&ep, v, runs, spread, Shape::default()).await;
                let ord = if wide {
                    order_parallel(&ep, v, &scan.runs, budget).await
                } else {
                    order(&ep, v, &scan.runs).await
                };
                (std::mem::take(&mut scan.runs), scan, ord)
            };
            let (side, (runs_done, mut scan, ord)) = tokio::join!(side13, suites);
            let mut unoffered: Vec<u16> = Vec::new();
            for &u in runs_done.iter().flat_map(|r| r.unoffered.iter()) {
                if !unoffered.contains(&u) {
                    unoffered.push(u);
                }
            }
            let mut seen = std::mem::take(&mut scan.seen);
            seen.push(first_seen);
            let dh_bits = seen.iter().filter_map(|s| s.dh_bits).max();
            let mut extra = Extra {
                ciphers: ord.ciphers.clone(),
                server_preference: ord.server_preference,
                chacha20_priority: ord.chacha20_priority,
                dh_bits,
                unoffered,
                accepted: scan.accepted,
                ..Extra::default()
            };
            if v == ProtocolVersion::Tls13 && !ord.ciphers.is_empty() {
                let ((groups, gpref), sigs) = match side {
                    Some(done) => done,
                    None => {
                        let (groups, gpref) = groups13(&ep, &ord.ciphers).await;
                        let key = cert_key().await;
                        let sigs =
                            sigalgs13(&ep, &ord.ciphers, groups.first().copied(), key.as_deref())
                                .await;
                        ((groups, gpref), sigs)
                    }
                };
                extra.groups = Some(groups);
                extra.groups_pref = gpref;
                extra.sigalgs = Some(sigs);
            }
            (v, extra)
        });
    }
    let mut extras: HashMap<ProtocolVersion, Extra> = HashMap::new();
    while let Some(j) = set.join_next().await {
        if let Ok((v, e)) = j {
            extras.insert(v, e);
        }
    }
    // TLS 1.2 (or the highest of 1.0/1.1 without it): groups and signature schemes.
    let kx_version = [
        ProtocolVersion::Tls12,
        ProtocolVersion::Tls11,
        ProtocolVersion::Tls10,
    ]
    .into_iter()
    .find(|v| extras.get(v).is_some_and(|e| !e.ciphers.is_empty()));
    let kx = |id: &u16, want: &[Kx]| registry::suite(*id).is_some_and(|s| want.contains(&s.kx));
    let mut early = None;
    if let Some((v, task)) = early_kx
        && let Ok(found) = task.await
    {
        early = Some((v, found));
    }
    match (kx_version, early) {
        (Some(v), Some((ev, (groups, sigs)))) if v == ev => {
            if let Some(e) = extras.get_mut(&v) {
                let fs = e.ciphers.iter().any(|s| kx(s, &[Kx::Ecdhe, Kx::Dhe]));
                e.groups = Some(groups);
                if v == ProtocolVersion::Tls12 && (fs || !sigs.is_empty()) {
                    e.sigalgs = Some(sigs);
                }
            }
        }
        (Some(v), _) => {
            if let Some(e) = extras.get_mut(&v) {
                let ecdhe: Vec<u16> = e
                    .ciphers
                    .iter()
                    .filter(|s| kx(s, &[Kx::Ecdhe]))
                    .copied()
                    .collect();
                let fs: Vec<u16> = e
                    .ciphers
                    .iter()
                    .filter(|s| kx(s, &[Kx::Ecdhe, Kx::Dhe]))
                    .copied()
                    .collect();
                let (groups, sigs) = kx_params12(&ep, v, &ecdhe, &fs).await;
                e.groups = Some(groups);
                if v == ProtocolVersion::Tls12 && !fs.is_empty() {
                    e.sigalgs = Some(sigs);
                }
            }
        }
        (None, _) => {}
    }
    let full = handshake.await.ok().flatten();

    // Reports.
    let mut protocols = Vec::new();
    let mut exchanges: Vec<(ProtocolVersion, Exchange)> = Vec::new();
    for f in firsts {
        let v = f.v;
        let extra = extras.remove(&v);
        let base_ex = match extra.as_ref().and_then(|e| e.accepted.as_ref()) {
            Some(_) if f.seen.suite.is_none() => None,
            _ => Some(&f.ex),
        };
        let mut p = match (base_ex, extra.as_ref().and_then(|e| e.accepted.as_ref())) {
            (Some(ex), _) | (None, Some(ex)) => protocol_report(v, ex),
            (None, None) => protocol_report(v, &f.ex),
        };
        if v == ProtocolVersion::Ssl2
            && p.supported
            && let Some(h) = f.ex.flight.as_ref().and_then(|r| r.ssl2.as_ref())
        {
            p.ciphers = Some(
                h.cipher_kinds
                    .iter()
                    .map(|&k| registry::ssl2::ssl2_cipher_name(k))
                    .collect(),
            );
        }
        if let Some((worked, refused)) = f.hello
            && p.supported
        {
            intolerance::mark(&mut p, "smaller_hello", worked, refused);
        }
        if let Some(e) = extra {
            fill(&mut p, &e);
            if let Some(ex) = e.accepted {
                exchanges.push((v, ex));
            }
        }
        exchanges.push((v, f.ex));
        protocols.push(p);
    }
    let negotiation = if full.as_ref().is_some_and(|r| r.negotiated.is_some()) {
        None
    } else if protocols.iter().any(|p| p.supported) {
        Some(ep.exchange(negotiation_hello(ep.sni.as_deref())).await)
    } else {
        None
    };
    let tcp = super::check::tcp_report(negotiation.as_ref(), &exchanges);
    let highest_version = protocols
        .iter()
        .filter(|p| p.supported)
        .map(|p| p.version)
        .max();
    let handshake_error =
        full.as_ref()
            .and_then(|r| r.error.as_ref())
            .map(|e| crate::model::ErrorInfo {
                message: e.to_string(),
                os_error: e.os_error(),
            });
    let client_cert_asked = full
        .as_ref()
        .is_some_and(|r| r.client_certificate_requested);
    let (negotiated, mut certificate, tls_handshake_ms) =
        super::check::negotiated_result(full, negotiation.as_ref());
    if certificate.is_none() {
        certificate = super::check::raw_certificate(
            &exchanges,
            negotiation.as_ref(),
            &verify_name,
            ep.sni.is_some(),
            &ctx,
            &ep.route,
        );
    }
    // Any TLS <= 1.2 ServerHello tells whether the server does RFC 5746 renegotiation.
    let legacy_hellos: Vec<bool> = exchanges
        .iter()
        .filter_map(|(_, ex)| ex.flight.as_ref()?.server_hello.as_ref())
        .filter(|sh| sh.version() <= 0x0303 && sh.version() >= 0x0301)
        .map(|sh| sh.renegotiation_info)
        .collect();
    let secure_renegotiation =
        (!legacy_hellos.is_empty()).then(|| legacy_hellos.iter().any(|&r| r));
    let server_hello_ms = exchanges
        .iter()
        .filter(|(_, ex)| ex.flight.as_ref().is_some_and(|r| r.server_hello.is_some()))
        .filter_map(|(_, ex)| ex.answer_ms)
        .min_by(f64::total_cmp);
    EndpointReport {
        ip: match &ep.route {
            Route::Direct(addr) => addr.ip().to_string(),
            Route::Proxy { host, .. } => host.clone(),
        },
        proxy: match &ep.route {
            Route::Direct(_) => None,
            Route::Proxy { proxy, .. } => Some(super::check::proxy_report(
                proxy,
                exchanges.first().map(|(_, e)| e),
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
        simulation: None,
        simulations: Vec::new(),
        client_certificate_requested: client_cert_asked
            || exchanges
                .iter()
                .filter_map(|(_, ex)| ex.flight.as_ref())
                .any(|r| r.certificate_request),
        plaintext: exchanges
            .iter()
            .map(|(_, ex)| ex)
            .chain(negotiation.as_ref())
            .filter_map(|ex| ex.flight.as_ref()?.greeting.as_ref())
            .next()
            .map(|(protocol, line)| crate::model::PlaintextService {
                protocol: (*protocol).to_string(),
                first_line: line.clone(),
            }),
        downgrade: None,
        secure_renegotiation,
        samples: Vec::new(),
        scan: Some(ScanSummary {
            plan: if slow { "parallel" } else { "sequential" },
            rtt_ms,
            connections: ep.gate.opened.load(Ordering::Relaxed),
            max_conns_per_host: cap,
        }),
    }
}

/// Whether the server answered wave 1's simultaneous hellos one after another: the last
/// answers spread over more than half the first one's time (a server taking them at once
/// answers them within a few milliseconds of each other).
fn serialises(firsts: &[FirstAnswer]) -> bool {
    let mut ms: Vec<f64> = firsts
        .iter()
        .filter(|f| f.ex.flight.as_ref().is_some_and(|r| r.bytes > 0))
        .filter_map(|f| f.ex.answer_ms)
        .collect();
    ms.sort_by(f64::total_cmp);
    match (ms.first(), ms.last()) {
        (Some(&lo), Some(&hi)) => ms.len() >= 4 && hi - lo > 0.5 * lo,
        _ => false,
    }
}

/// What the later waves found about one version.
#[derive(Debug, Default)]
struct Extra {
    ciphers: Vec<u16>,
    server_preference: Option<bool>,
    chacha20_priority: Option<bool>,
    groups: Option<Vec<u16>>,
    groups_pref: Option<bool>,
    sigalgs: Option<Vec<u16>>,
    dh_bits: Option<u16>,
    unoffered: Vec<u16>,
    accepted: Option<Exchange>,
}

fn fill(p: &mut ProtocolReport, e: &Extra) {
    if p.outcome != Outcome::Accepted {
        return;
    }
    p.ciphers = Some(names(&e.ciphers, registry::suite_name));
    p.server_preference = Some(e.server_preference);
    p.chacha20_priority = e.chacha20_priority;
    p.groups = e.groups.as_ref().map(|g| names(g, registry::group_name));
    p.groups_server_preference = e.groups_pref;
    p.signature_algorithms = e.sigalgs.as_ref().map(|s| names(s, registry::sigalg_name));
    p.dh_bits = e.dh_bits;
    p.unoffered_suites =
        (!e.unoffered.is_empty()).then(|| names(&e.unoffered, registry::suite_name));
}

/// The full rustls handshake under the gate, with the run's offers.
async fn rustls_handshake(
    ep: &Ep,
    verify_name: String,
    ctx: &RunContext,
) -> Option<HandshakeResult> {
    let mut opts = HandshakeOptions::new(verify_name);
    opts.versions.retain(|v| ctx.config.versions.contains(v));
    if opts.versions.is_empty() {
        return None;
    }
    opts.suites = ctx.config.suites.clone();
    opts.groups = ctx.config.groups.clone();
    opts.server_name = ep.sni.clone();
    opts.alpn = ctx.config.alpn.clone();
    opts.timeout = ep.limits.step_timeout();
    if !super::handshake::can_offer(&opts, &ctx.trust) {
        return None;
    }
    ep.gate
        .run(async {
            let (stream, _) = ep.route.open(ep.limits.step_timeout()).await.ok()?;
            Some(full_handshake(stream, &opts, &ctx.trust).await)
        })
        .await
}
