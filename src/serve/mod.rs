//! `tlsprobe serve`: a Prometheus exporter in the blackbox_exporter style.
//!
//! `GET /probe?target=host:port[&module=check]` runs the `check` strategy on one target and
//! answers its metrics ([`crate::report::prometheus`]); `/metrics` exposes the exporter's own
//! counters; `/-/healthy` answers `Healthy`. HTTP is hyper's (HTTP/1.1 only), the exposition
//! prometheus-client's.
//!
//! The exporter faces the network, so every request is bounded: targets must match the
//! allowlist, no probe reaches a denied network (also after DNS), probes run at most
//! `max_probes` at once with `max_queue` requests waiting (beyond: 429; waiting past the scrape
//! deadline: 503), each probe ends by the deadline Prometheus announces in
//! `X-Prometheus-Scrape-Timeout-Seconds`, and request heads are limited in size, count and
//! read time. This module does no probing itself; it schedules [`crate::app::probe_diagnosed`].

pub mod config;
pub mod policy;

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, RETRY_AFTER, TRANSFER_ENCODING};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::app::{Check, probe_diagnosed, runtime};
use crate::cli::ServeArgs;
use crate::error::Error;
use crate::net::{Family as IpFamily, Resolver};
use crate::probe::ProbeConfig;
use crate::probe::check::RunContext;
use crate::report::prometheus::{CONTENT_TYPE as OPENMETRICS, encode_target, probe_succeeded};
use crate::target::Target;
pub use config::ServeConfig;
use policy::Refusal;

/// Longest request target (path and query) accepted.
const MAX_URI_BYTES: usize = 4096;
/// Most request header fields accepted.
const MAX_HEADERS: usize = 64;
/// hyper's read buffer, which bounds the request head.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Time a client has to send a complete request head.
const HEAD_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Subtracted from the scrape timeout Prometheus announces, so the answer arrives in time
/// (blackbox_exporter's `timeout_offset`).
const DEADLINE_OFFSET: Duration = Duration::from_millis(500);
/// Shortest and longest per-probe deadline.
const MIN_DEADLINE: Duration = Duration::from_millis(500);
const MAX_DEADLINE: Duration = Duration::from_secs(300);
/// Sockets one check may hold at once (the `--max-conns-per-host` default of `check`).
const PER_HOST_SOCKETS: usize = crate::probe::hostcap::DEFAULT_MAX_CONNS_PER_HOST;
const SOCKETS_PER_PROBE: u64 = PER_HOST_SOCKETS as u64;

type Labels = Vec<(String, String)>;

/// The exporter's own metrics (`/metrics`).
struct SelfMetrics {
    registry: Registry,
    probes: Family<Labels, Counter>,
    failures: Family<Labels, Counter>,
    rejected: Family<Labels, Counter>,
    in_flight: Gauge<i64, AtomicI64>,
    queued: Gauge<i64, AtomicI64>,
    duration: Histogram,
}

impl SelfMetrics {
    fn new(max_probes: usize) -> SelfMetrics {
        let mut registry = Registry::default();
        let probes = Family::<Labels, Counter>::default();
        let failures = Family::<Labels, Counter>::default();
        let rejected = Family::<Labels, Counter>::default();
        let in_flight = Gauge::<i64, AtomicI64>::default();
        let queued = Gauge::<i64, AtomicI64>::default();
        let limit = Gauge::<i64, AtomicI64>::default();
        limit.set(i64::try_from(max_probes).unwrap_or(i64::MAX));
        let duration = Histogram::new(exponential_buckets(0.005, 2.0, 14));
        registry.register("tlsprobe_probes", "Probes run, by module", probes.clone());
        registry.register(
            "tlsprobe_probe_failures",
            "Probes whose probe_success was 0, by module",
            failures.clone(),
        );
        registry.register(
            "tlsprobe_requests_rejected",
            "Probe requests refused before probing, by reason",
            rejected.clone(),
        );
        registry.register(
            "tlsprobe_probes_in_flight",
            "Probes running now",
            in_flight.clone(),
        );
        registry.register(
            "tlsprobe_probes_queued",
            "Probe requests waiting for a slot",
            queued.clone(),
        );
        registry.register("tlsprobe_probes_max", "The --max-probes bound", limit);
        registry.register(
            "tlsprobe_probe_duration_seconds",
            "Wall time of each probe",
            duration.clone(),
        );
        SelfMetrics {
            registry,
            probes,
            failures,
            rejected,
            in_flight,
            queued,
            duration,
        }
    }

    fn reject(&self, reason: &str) {
        self.rejected
            .get_or_create(&vec![("reason".to_string(), reason.to_string())])
            .inc();
    }
}

/// Shared by every request.
struct State {
    config: ServeConfig,
    /// `module=azure`: the catalogue strategy over every endpoint of the catalogue.
    azure: crate::azure::Catalogued<Check>,
    /// (lower-case host, port) → the catalogue authority the strategy knows it by.
    azure_index: std::collections::HashMap<(String, u16), String>,
    ctx: Arc<RunContext>,
    diag: crate::diagnose::Context,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    metrics: SelfMetrics,
}

type Resp = Response<Full<Bytes>>;

fn respond(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn text(status: StatusCode, body: impl Into<String>) -> Resp {
    let mut b = body.into();
    b.push('\n');
    respond(status, "text/plain; charset=utf-8", b)
}

/// Decrements a counter when dropped (also when a client hangs up mid-probe).
struct Held<'a, F: Fn()>(&'a F);
impl<F: Fn()> Drop for Held<'_, F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Runs the exporter until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs) -> Result<u8, Error> {
    let cfg = ServeConfig::from_args(args)?;
    let trust = crate::probe::trust::TrustStore::new(&cfg.ca_files, false)
        .map_err(|e| Error::Trust(e.to_string()))?;
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let probe_fds = cfg.max_probes as u64 * SOCKETS_PER_PROBE;
    if limit < probe_fds + 128 {
        return Err(Error::BadFlag {
            flag: "--max-probes",
            value: cfg.max_probes.to_string(),
            reason: format!(
                "needs about {} open files but the limit is {limit} (raise it with `ulimit -n`)",
                probe_fds + 128
            ),
        });
    }
    let (catalogue, origin) = crate::azure::load_catalogue(cfg.catalogue.as_deref())?;
    let entries: Vec<crate::diagnose::catalogue::Endpoint> =
        catalogue.select(None, &[]).into_iter().cloned().collect();
    let expected_roots: crate::probe::ExpectedRoots = Arc::new(
        entries
            .iter()
            .map(|e| {
                (
                    (e.host.to_ascii_lowercase(), e.port),
                    e.expected_issuers.clone(),
                )
            })
            .collect(),
    );
    let azure_index = entries
        .iter()
        .map(|e| ((e.host.to_ascii_lowercase(), e.port), e.authority()))
        .collect();
    let azure = crate::azure::Catalogued::new(
        Check,
        crate::azure::Plan {
            entries,
            cloud: crate::diagnose::catalogue::Cloud::Public,
            origin,
            components: Vec::new(),
            notes: Vec::new(),
        },
    );
    // What is left after the probes' sockets bounds the client connections.
    let max_conns = usize::try_from((limit - probe_fds - 64).min(4096)).unwrap_or(1024);
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(cfg.listen)
            .await
            .map_err(|e| Error::Internal(format!("cannot listen on {}: {e}", cfg.listen)))?;
        let addr = listener.local_addr().unwrap_or(cfg.listen);
        let _ = writeln!(
            std::io::stderr(),
            "tlsprobe serve: listening on http://{addr}/ (GET /probe?target=host:port, /metrics, /-/healthy)"
        );
        let ctx = Arc::new(RunContext {
            trust,
            resolver: Resolver::new(IpFamily::Any, cfg.timeout, cfg.dns_server),
            config: ProbeConfig {
                timeout: cfg.timeout,
                deny: cfg.policy.deny.clone(),
                expected_roots,
                plan: cfg.plan,
                proxy: cfg.proxy.clone(),
                ..ProbeConfig::default()
            },
            // Probes are bounded by --max-probes already; one host (many ports of one
            // address, as in a zone's exporter) may use every probe's socket budget.
            hosts: crate::probe::hostcap::HostLimiter::new(cfg.max_probes * PER_HOST_SOCKETS),
        });
        let state = Arc::new(State {
            diag: crate::diagnose::Context {
                warn_days: cfg.warn_days,
                ..crate::diagnose::Context::default()
            },
            slots: Arc::new(Semaphore::new(cfg.max_probes)),
            waiting: AtomicUsize::new(0),
            metrics: SelfMetrics::new(cfg.max_probes),
            azure,
            azure_index,
            config: cfg,
            ctx,
        });
        let conns = Arc::new(Semaphore::new(max_conns));
        let shutdown = shutdown_signal();
        tokio::pin!(shutdown);
        loop {
            let permit = tokio::select! {
                p = conns.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
                () = &mut shutdown => break,
            };
            let stream = tokio::select! {
                r = listener.accept() => match r {
                    Ok((s, _)) => s,
                    Err(e) => {
                        // Out of descriptors or a reset before accept: wait a little, go on.
                        let _ = writeln!(std::io::stderr(), "tlsprobe serve: accept: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let state = state.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, Infallible>(route(&state, req).await) }
                });
                let _ = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEAD_READ_TIMEOUT)
                    .max_buf_size(MAX_HEAD_BYTES)
                    .max_headers(MAX_HEADERS)
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
                drop(permit);
            });
        }
        let _ = writeln!(std::io::stderr(), "tlsprobe serve: shutting down");
        Ok::<(), Error>(())
    })?;
    Ok(0)
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}

async fn route(state: &State, req: Request<Incoming>) -> Resp {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return text(
            StatusCode::URI_TOO_LONG,
            format!("request target longer than {MAX_URI_BYTES} bytes"),
        );
    }
    let has_body = req.headers().contains_key(TRANSFER_ENCODING)
        || req
            .headers()
            .get(CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests to this exporter carry no body",
        );
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(hyper::header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match req.uri().path() {
        "/probe" => probe(state, &req).await,
        "/metrics" => {
            let mut out = String::new();
            let _ = prometheus_client::encoding::text::encode(&mut out, &state.metrics.registry);
            respond(StatusCode::OK, OPENMETRICS, out)
        }
        "/-/healthy" => text(StatusCode::OK, "Healthy"),
        "/" => text(
            StatusCode::OK,
            "tlsprobe exporter\n\n/probe?target=host:port[&module=check]  probe one target\n/metrics  the exporter's own metrics\n/-/healthy  liveness",
        ),
        _ => text(
            StatusCode::NOT_FOUND,
            "not found: try /probe?target=host:port",
        ),
    }
}

/// The modules `/probe` knows: `check`, `scan` (every accepted suite, order, groups: more
/// handshakes, so give it a longer scrape timeout), and `azure` (check plus the Azure Backup
/// catalogue entry and readiness of a catalogue endpoint).
const MODULES: &[&str] = &["check", "scan", "azure"];

fn scrape_deadline(state: &State, req: &Request<Incoming>) -> Duration {
    let announced = req
        .headers()
        .get("x-prometheus-scrape-timeout-seconds")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(MAX_DEADLINE.as_secs_f64())));
    match announced {
        Some(d) => d.saturating_sub(DEADLINE_OFFSET).max(MIN_DEADLINE),
        None => state.config.default_deadline,
    }
}

async fn probe(state: &State, req: &Request<Incoming>) -> Resp {
    let m = &state.metrics;
    let query = req.uri().query().unwrap_or("");
    let mut target: Option<String> = None;
    let mut module: Option<String> = None;
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match k.as_ref() {
            "target" => &mut target,
            "module" => &mut module,
            _ => continue,
        };
        if slot.is_some() {
            m.reject("bad_request");
            return text(
                StatusCode::BAD_REQUEST,
                format!("parameter {k:?} given more than once"),
            );
        }
        *slot = Some(v.into_owned());
    }
    let Some(target) = target.filter(|t| !t.trim().is_empty()) else {
        m.reject("bad_request");
        return text(
            StatusCode::BAD_REQUEST,
            "missing target: use /probe?target=host:port",
        );
    };
    let module = module.unwrap_or_else(|| "check".to_string());
    if !MODULES.contains(&module.as_str()) {
        m.reject("bad_module");
        let why = format!(
            "unknown module {module:?}; available: {}",
            MODULES.join(", ")
        );
        return text(StatusCode::BAD_REQUEST, why);
    }
    let mut target = match Target::parse(&target) {
        Ok(t) => t,
        Err(e) => {
            m.reject("bad_target");
            return text(StatusCode::BAD_REQUEST, e.to_string());
        }
    };
    // The scrape's budget starts now: resolving a name for the allowlist spends it too.
    let budget = scrape_deadline(state, req);
    let deadline = tokio::time::Instant::now() + budget;
    let mut verdict = state.config.policy.check(&target);
    if matches!(verdict, Err(Refusal::NotAllowed(_)))
        && state.config.policy.may_admit_by_address(&target)
    {
        // A CIDR rule may admit the name by where it points: resolve once, vet every address,
        // and pin them so that the probe goes exactly there.
        let name = target.host.to_string();
        let ips = match tokio::time::timeout_at(deadline, state.ctx.resolver.lookup(&name)).await {
            Ok((Ok(ips), _)) => ips,
            _ => Vec::new(),
        };
        verdict = state.config.policy.admit_addresses(&target, &ips);
        if verdict.is_ok() {
            target.pinned = Some(ips);
        }
    }
    if let Err(refusal) = verdict {
        m.reject(match refusal {
            Refusal::NotAllowed(_) => "not_allowed",
            Refusal::Denied { .. } => "denied",
        });
        return text(StatusCode::FORBIDDEN, refusal.to_string());
    }

    if module == "azure" {
        let key = (target.host.to_string().to_ascii_lowercase(), target.port);
        match state.azure_index.get(&key) {
            Some(authority) => target.input = authority.clone(),
            None => {
                m.reject("bad_target");
                return text(
                    StatusCode::BAD_REQUEST,
                    format!(
                        "{}:{} is not an endpoint of the Azure Backup catalogue (see `tlsprobe azure-backup --list`); use module=check",
                        target.host, target.port
                    ),
                );
            }
        }
    }
    let started = Instant::now();
    // A bounded number of requests may wait for a slot; the rest are told to come back.
    if state.waiting.fetch_add(1, Ordering::SeqCst) >= state.config.max_queue {
        state.waiting.fetch_sub(1, Ordering::SeqCst);
        m.reject("queue_full");
        let mut r = text(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "{} probes running and {} waiting: try again later",
                state.config.max_probes, state.config.max_queue
            ),
        );
        r.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    }
    m.queued.inc();
    let unqueue = || {
        state.waiting.fetch_sub(1, Ordering::SeqCst);
        m.queued.dec();
    };
    let queued = Held(&unqueue);
    let slot = tokio::time::timeout_at(deadline, state.slots.clone().acquire_owned()).await;
    drop(queued);
    let Ok(Ok(_slot)) = slot else {
        m.reject("busy");
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "all {} probe slots stayed busy for the whole scrape timeout ({:.1}s)",
                state.config.max_probes,
                budget.as_secs_f64()
            ),
        );
    };
    m.in_flight.inc();
    let done = || {
        m.in_flight.dec();
    };
    let _running = Held(&done);
    let report = if module == "azure" {
        probe_diagnosed(
            &state.azure,
            target,
            state.ctx.clone(),
            &state.diag,
            Some(deadline),
        )
        .await
    } else if module == "scan" {
        let scan = crate::app::Scan::new(crate::probe::scan::ScanOptions { delay: None });
        probe_diagnosed(
            &scan,
            target,
            state.ctx.clone(),
            &state.diag,
            Some(deadline),
        )
        .await
    } else {
        probe_diagnosed(
            &Check,
            target,
            state.ctx.clone(),
            &state.diag,
            Some(deadline),
        )
        .await
    };
    let labels = vec![("module".to_string(), module)];
    m.duration.observe(started.elapsed().as_secs_f64());
    if let Some(err) = report
        .dns
        .error
        .as_ref()
        .filter(|e| e.kind == crate::model::DnsErrorKind::Denied)
    {
        m.reject("denied");
        return text(StatusCode::FORBIDDEN, err.message.clone());
    }
    m.probes.get_or_create(&labels).inc();
    if !probe_succeeded(&report) {
        m.failures.get_or_create(&labels).inc();
    }
    respond(StatusCode::OK, OPENMETRICS, encode_target(&report))
}
