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
use crate::probe::progress::{self, PhaseSink};
use crate::report::human::{HumanOptions, Summary};
use crate::report::progress::Progress;
use crate::report::sink::Sink;
use crate::report::{RunWriter, WriterOptions};
use crate::target::Target;

/// Exit code for bad usage, bad input or an internal error.
pub const EXIT_UNKNOWN: u8 = 3;

/// Runs the command line; returns the process exit code (0 ok, 1 warning, 2 critical, 3 unknown).
pub fn run(cli: Cli) -> Result<u8, Error> {
    let output = OutputConfig::from_cli(&cli);
    match cli.command {
        Command::Check(args) => {
            let run = ProbeRun::from_args(&args)?;
            run_probe("check", run, output, Arc::new(Check))
        }
        Command::Explain(args) => crate::commands::explain(&args.code, output),
        Command::Ciphers(args) => crate::commands::ciphers(args.tls_version.as_deref(), output),
        Command::Schema => crate::commands::schema(output),
        Command::Completions(args) => crate::commands::completions(args.shell, output),
        Command::Man(args) => {
            crate::commands::man(args.command.as_deref(), args.dir.as_deref(), output)
        }
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

    /// Whether one target takes long enough to deserve a progress display of its own (a scan);
    /// several targets always get one on a terminal.
    fn slow(&self) -> bool {
        false
    }

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
    let mut err = std::io::stderr();
    for bad in &run.bad_targets {
        let _ = writeln!(err, "tlsprobe: {bad} (skipped)");
    }
    let labels: Vec<String> = run.targets.iter().map(target_label).collect();
    let progress = Arc::new(Progress::new(
        output.progress && (labels.len() > 1 || strategy.slow()),
        labels.clone(),
    ));
    let sink = Sink::open(output.output.as_deref())?;
    let options = WriterOptions {
        human: HumanOptions {
            color: output.color,
            verbose: output.verbose,
            quiet: output.quiet,
            width: output.width,
            targets: run.targets.len(),
        },
        labels,
    };
    let mut writer = RunWriter::start_with(sink, output.format, &options, command, &started_at)?;
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
        let phases: Arc<dyn PhaseSink> = Arc::new(PhaseToProgress(progress.clone()));
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
                let phases = phases.clone();
                tokio::spawn(async move {
                    let until = deadline.map(|d| tokio::time::Instant::now() + d);
                    let mut report =
                        progress::scoped(phases, i, strategy.probe(target, ctx, until)).await;
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
            progress.done(i);
            if ordered {
                pending.insert(i, report);
                while let Some(r) = pending.remove(&next) {
                    progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &r))?;
                    window.add_permits(1);
                    next += 1;
                }
            } else {
                progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &report))?;
                window.add_permits(1);
            }
        }
        for r in pending.into_values() {
            progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &r))?;
        }
        let _ = producer.await;
        Ok::<(), Error>(())
    })?;
    summary.duration_ms = ms_since(start);
    progress.finish();
    writer
        .finish(&run.bad_targets, summary.duration_ms, &summary)?
        .commit()?;
    if !run.bad_targets.is_empty() {
        return Ok(EXIT_UNKNOWN);
    }
    Ok(worst.exit_code())
}

/// `host:port` as the reports show it, with brackets around IPv6 literals.
pub fn target_label(t: &Target) -> String {
    let host = t.host.to_string();
    if host.contains(':') {
        format!("[{host}]:{}", t.port)
    } else {
        format!("{host}:{}", t.port)
    }
}

/// Forwards the probes' phase reports to the progress display.
struct PhaseToProgress(Arc<Progress>);

impl PhaseSink for PhaseToProgress {
    fn phase(&self, target: usize, phase: &str) {
        self.0.phase(target, phase);
    }
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
