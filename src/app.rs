//! Runs a parsed command: builds the runtime and the shared context, schedules targets with the
//! concurrency bound, passes each observation through diagnosis and streams it to the report.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{Semaphore, mpsc};

use crate::cli::{Cli, Command, Format};
use crate::config::{OutputConfig, ProbeRun};
use crate::error::Error;
use crate::model::{Finding, Status, TargetReport};
use crate::net::Resolver;
use crate::net::tcp::ms_since;
use crate::probe::check::RunContext;
use crate::report::RunWriter;
use crate::report::human::Summary;
use crate::target::Target;

/// Exit code for bad usage, bad input or an internal error.
pub const EXIT_UNKNOWN: u8 = 3;

/// Runs the command line; returns the process exit code (0 ok, 1 warning, 2 critical, 3 unknown).
pub fn run(cli: Cli) -> Result<u8, Error> {
    let output = OutputConfig::new(cli.format, cli.no_color);
    match cli.command {
        Command::Check(args) => {
            let run = ProbeRun::from_args(&args)?;
            run_probe("check", run, output, Arc::new(Check))
        }
        Command::Explain(args) => crate::commands::explain(&args.code, output),
        Command::Ciphers(args) => crate::commands::ciphers(args.tls_version.as_deref(), output),
        Command::Simulate(args) => crate::simulation::run(*args, output),
    }
}

/// How one command probes one target: the seam where `check`, `scan`, `simulate` and catalogue
/// runs differ. Everything else — DNS sharing, the concurrency bound, deadlines, ordering and
/// output — is the scheduler's ([`run_probe`]).
pub trait Strategy: Send + Sync + 'static {
    /// Probes one target, every address; findings are left empty for [`Strategy::diagnose`].
    /// No network step may run past `deadline`.
    fn probe(
        &self,
        target: Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> impl std::future::Future<Output = TargetReport> + Send;

    /// Findings for one probed target (default: the knowledge base's rules).
    fn diagnose(&self, report: &TargetReport, ctx: &crate::diagnose::Context) -> Vec<Finding> {
        crate::diagnose::diagnose(report, ctx)
    }
}

/// `tlsprobe check`: per-version raw hellos, the negotiation hello and a full handshake.
pub struct Check;

impl Strategy for Check {
    async fn probe(
        &self,
        target: Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> TargetReport {
        crate::probe::check::check_until(&target, ctx, deadline).await
    }
}

/// `tlsprobe simulate`: exactly the hellos of the chosen client profiles, and their fixes.
pub struct Simulate(pub Arc<crate::probe::simulate::SimRequest>);

impl Strategy for Simulate {
    async fn probe(
        &self,
        target: Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> TargetReport {
        let mut report =
            crate::probe::simulate::simulate_target(&target, ctx, deadline, self.0.clone()).await;
        crate::diagnose::simulate::annotate(&mut report);
        report
    }

    fn diagnose(&self, report: &TargetReport, _ctx: &crate::diagnose::Context) -> Vec<Finding> {
        crate::diagnose::simulate::findings(report)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))
}

/// RFC 3339 UTC timestamp of now.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Sockets one target may hold open at once: per address, one per version probe, the
/// negotiation hello and the full handshake; two addresses (A and AAAA) are typical.
const SOCKETS_PER_TARGET: u64 = 2 * 8;
/// File descriptors kept for everything else (stdio, resolver, runtime).
const RESERVED_FDS: u64 = 64;

/// Raises the soft open-files limit to the hard limit and returns a concurrency that fits in
/// it, telling the user when the requested one had to be lowered.
fn fit_concurrency(requested: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let fits = (limit.saturating_sub(RESERVED_FDS) / SOCKETS_PER_TARGET).max(1);
    if (requested as u64) <= fits {
        return requested;
    }
    let lowered = usize::try_from(fits).unwrap_or(requested);
    let _ = writeln!(
        std::io::stderr(),
        "tlsprobe: lowering --concurrency from {requested} to {lowered}: the open-files limit is {limit} (raise it with `ulimit -n`)"
    );
    lowered
}

/// Runs `strategy` on every target of `run` within the concurrency bound and streams each
/// diagnosed report to the output; returns the exit code.
pub fn run_probe<S: Strategy>(
    command: &str,
    mut run: ProbeRun,
    output: OutputConfig,
    strategy: Arc<S>,
) -> Result<u8, Error> {
    run.concurrency = fit_concurrency(run.concurrency);
    let trust = crate::probe::trust::TrustStore::new(&run.ca_files, run.no_default_roots)
        .map_err(|e| Error::Trust(e.to_string()))?;
    let rt = runtime()?;
    let started_at = now_rfc3339();
    let start = Instant::now();
    let stdout = std::io::stdout();
    let mut err = std::io::stderr();
    for bad in &run.bad_targets {
        let _ = writeln!(err, "tlsprobe: {bad} (skipped)");
    }
    let mut writer = RunWriter::start(
        stdout.lock(),
        output.format,
        output.color,
        command,
        &started_at,
    )?;
    let mut summary = Summary {
        bad_input: run.bad_targets.len(),
        ..Summary::default()
    };
    let mut worst = Status::Ok;
    let ordered = output.format != Format::Jsonl;
    let diag_ctx = crate::diagnose::Context {
        warn_days: run.warn_days,
        ..crate::diagnose::Context::default()
    };
    rt.block_on(async {
        let ctx = Arc::new(RunContext {
            trust,
            resolver: Resolver::new(run.probe.family, run.probe.timeout, run.probe.dns_server),
            config: run.probe.clone(),
        });
        let (tx, mut rx) = mpsc::channel::<(usize, TargetReport)>(run.concurrency.max(1) * 2);
        let sem = Arc::new(Semaphore::new(run.concurrency));
        // Ordered output holds finished reports until the ones before them are written; this
        // window bounds how far ahead of the oldest unwritten target probing may run, so
        // memory stays flat however many targets there are.
        let window = Arc::new(Semaphore::new(run.concurrency.saturating_mul(4)));
        let producer_window = window.clone();
        let targets = run.targets.clone();
        let deadline = run.deadline;
        let producer = tokio::spawn(async move {
            for (i, target) in targets.into_iter().enumerate() {
                match producer_window.acquire().await {
                    Ok(p) => p.forget(),
                    Err(_) => break,
                }
                let Ok(permit) = sem.clone().acquire_owned().await else {
                    break;
                };
                let tx = tx.clone();
                let ctx = ctx.clone();
                let diag_ctx = diag_ctx.clone();
                let strategy = strategy.clone();
                tokio::spawn(async move {
                    let until = deadline.map(|d| tokio::time::Instant::now() + d);
                    let mut report = strategy.probe(target, ctx, until).await;
                    report.findings = strategy.diagnose(&report, &diag_ctx);
                    report.status = Status::from_findings(&report.findings);
                    drop(permit);
                    let _ = tx.send((i, report)).await;
                });
            }
        });
        let mut pending: BTreeMap<usize, TargetReport> = BTreeMap::new();
        let mut next = 0usize;
        while let Some((i, report)) = rx.recv().await {
            if ordered {
                pending.insert(i, report);
                while let Some(r) = pending.remove(&next) {
                    emit(&mut writer, &mut summary, &mut worst, &r)?;
                    window.add_permits(1);
                    next += 1;
                }
            } else {
                emit(&mut writer, &mut summary, &mut worst, &report)?;
                window.add_permits(1);
            }
        }
        for r in pending.into_values() {
            emit(&mut writer, &mut summary, &mut worst, &r)?;
        }
        let _ = producer.await;
        Ok::<(), Error>(())
    })?;
    summary.duration_ms = ms_since(start);
    writer.finish(&run.bad_targets, summary.duration_ms, &summary)?;
    if !run.bad_targets.is_empty() {
        return Ok(EXIT_UNKNOWN);
    }
    Ok(worst.exit_code())
}

fn emit<W: Write>(
    writer: &mut RunWriter<W>,
    summary: &mut Summary,
    worst: &mut Status,
    r: &TargetReport,
) -> Result<(), Error> {
    summary.add(r);
    *worst = (*worst).max(r.status);
    writer.target(r)?;
    Ok(())
}
