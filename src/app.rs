//! Runs a parsed command: builds the runtime and the shared context, schedules targets with the
//! concurrency bound, passes each observation through diagnosis and streams it to the report.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use tokio::task::JoinSet;

use crate::cli::{Cli, Command};
use crate::config::{OutputConfig, ProbeRun};
use crate::error::Error;
use crate::model::{Finding, ProbeError, Status, TargetReport};
use crate::net::Resolver;
use crate::net::tcp::ms_since;
use crate::probe::check::RunContext;
use crate::probe::progress::{self, PhaseSink};
use crate::report::human::{HumanOptions, Summary};
use crate::report::progress::Progress;
use crate::report::sink::Sink;
use crate::report::{Format, RunWriter, WriterOptions};
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
        Command::Scan(args) => {
            let run = ProbeRun::from_args(&args.probe)?;
            let opts = crate::config::scan_options(&args)?;
            run_probe("scan", run, output, Arc::new(Scan::new(opts)))
        }
        Command::Explain(args) => crate::commands::explain(&args.code, output),
        Command::Ciphers(args) => crate::commands::ciphers(args.tls_version.as_deref(), output),
        Command::Simulate(args) => crate::simulation::run(*args, output),
        Command::Registry(args) => crate::regcmd::run(&args, output),
        Command::Watch(args) => crate::watch::run(&args, output),
        Command::Serve(args) => crate::serve::run(&args),
        Command::AzureBackup(args) => crate::azure::run(*args, output),
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

    /// Findings for one probed target (default: the knowledge base's rules).
    fn diagnose(&self, report: &TargetReport, ctx: &crate::diagnose::Context) -> Vec<Finding> {
        crate::diagnose::diagnose(report, ctx)
    }

    /// Called once per target after diagnosis, before it is written (catalogue runs add their
    /// metadata and readiness here). Default: nothing.
    fn annotate(&self, _report: &mut TargetReport) {}

    /// Whether one target takes long enough to deserve a progress display of its own (a scan);
    /// several targets always get one on a terminal.
    fn slow(&self) -> bool {
        false
    }

    /// Whether [`Strategy::summary`] gives a document-level summary; human output then prints it
    /// before the targets (default: no).
    fn summarises(&self) -> bool {
        false
    }

    /// The document-level readiness summary, once every target is written (catalogue runs).
    fn summary(&self) -> Option<crate::model::ReadinessSummary> {
        None
    }

    /// The exit code, given the worst status of the targets (default: its plugin code).
    fn exit_code(&self, worst: Status) -> u8 {
        worst.exit_code()
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

pub use crate::probe::scan::Scan;

impl Strategy for Scan {
    async fn probe(
        &self,
        target: Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> TargetReport {
        self.scan_target(&target, ctx, deadline).await
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

/// Probes one target with `strategy`, diagnoses and annotates it: the unit of work that `run_probe`,
/// `watch` and `serve` share (each owns its own scheduling around it).
pub async fn probe_diagnosed<S: Strategy>(
    strategy: &S,
    target: Target,
    ctx: Arc<RunContext>,
    diag_ctx: &crate::diagnose::Context,
    deadline: Option<tokio::time::Instant>,
) -> TargetReport {
    let mut report = strategy.probe(target, ctx, deadline).await;
    crate::diagnose::judge_report(&mut report);
    report.findings = strategy.diagnose(&report, diag_ctx);
    report.status = if report.errors.is_empty() {
        Status::from_findings(&report.findings)
    } else {
        Status::Unknown
    };
    strategy.annotate(&mut report);
    report
}

/// The multi-threaded runtime every command runs on.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
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

/// File descriptors kept for everything else (stdio, resolver, runtime).
const RESERVED_FDS: u64 = 64;

/// Raises the soft open-files limit to the hard limit and returns a concurrency that fits in
/// it, telling the user when the requested one had to be lowered. One target holds at most
/// `per_host` sockets at once (`--max-conns-per-host`: its addresses share one budget).
pub fn fit_concurrency(requested: usize, per_host: usize) -> usize {
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let per_target = (per_host as u64).max(1);
    let fits = (limit.saturating_sub(RESERVED_FDS) / per_target).max(1);
    if (requested as u64) <= fits {
        return requested;
    }
    let lowered = usize::try_from(fits).unwrap_or(requested);
    let _ = writeln!(
        std::io::stderr(),
        "tlsprobe: lowering --concurrency from {requested} to {lowered}: the open-files limit is {limit} and each target may hold {per_target} sockets (--max-conns-per-host; raise the limit with `ulimit -n`)"
    );
    lowered
}

/// Runs `strategy` on every target of `run` within the concurrency bound and streams each
/// diagnosed report to standard output, or to `--output FILE` (replaced atomically once the
/// report is complete); returns the exit code.
pub fn run_probe<S: Strategy>(
    command: &str,
    run: ProbeRun,
    output: OutputConfig,
    strategy: Arc<S>,
) -> Result<u8, Error> {
    let sink = Sink::open(output.output.as_deref())?;
    let (code, sink) = run_probe_inner(command, run, output, strategy, sink)?;
    sink.commit()?;
    Ok(code)
}

/// The report of a target whose probe task died: status `unknown`, the panic as an error.
fn died(target: &Target, message: String) -> TargetReport {
    TargetReport {
        target: crate::model::TargetInfo {
            input: target.input.clone(),
            host: target.host.to_string(),
            port: target.port,
            sni: None,
            connect_to: None,
        },
        dns: crate::model::DnsReport {
            addresses: Vec::new(),
            duration_ms: 0.0,
            source: crate::model::DnsSource::Resolver,
            error: None,
        },
        endpoints: Vec::new(),
        findings: Vec::new(),
        status: Status::Unknown,
        duration_ms: 0.0,
        errors: vec![ProbeError {
            kind: "panic".into(),
            message,
            endpoint: None,
        }],
        azure_backup: None,
    }
}

/// Like [`run_probe`], writing to `out`. Targets run as tasks of one `JoinSet`: a task that
/// panics becomes its target's `unknown` report (and exit 3), never a hang or a lost slot.
pub fn run_probe_to<S: Strategy, W: Write>(
    command: &str,
    run: ProbeRun,
    output: OutputConfig,
    strategy: Arc<S>,
    out: W,
) -> Result<u8, Error> {
    run_probe_inner(command, run, output, strategy, out).map(|(code, _)| code)
}

fn run_probe_inner<S: Strategy, W: Write>(
    command: &str,
    mut run: ProbeRun,
    output: OutputConfig,
    strategy: Arc<S>,
    out: W,
) -> Result<(u8, W), Error> {
    run.concurrency = fit_concurrency(run.concurrency, run.max_conns_per_host);
    let finisher = strategy.clone();
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
    let mut writer = RunWriter::start_with(out, output.format, &options, command, &started_at)?;
    if strategy.summarises() {
        writer.hold_human_targets();
    }
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
            hosts: crate::probe::hostcap::HostLimiter::new(run.max_conns_per_host),
        });
        let concurrency = run.concurrency.max(1);
        // Ordered output holds finished reports until the ones before them are written; this
        // window bounds how far ahead of the oldest unwritten target probing may run, so
        // memory stays flat however many targets there are.
        let window = if ordered {
            concurrency.saturating_mul(4)
        } else {
            usize::MAX
        };
        let deadline = run.deadline;
        let phases: Arc<dyn PhaseSink> = Arc::new(PhaseToProgress(progress.clone()));
        let mut queue = run.targets.iter().cloned().enumerate().peekable();
        let mut set: JoinSet<(usize, TargetReport)> = JoinSet::new();
        let mut running: HashMap<tokio::task::Id, (usize, Target)> = HashMap::new();
        let mut pending: BTreeMap<usize, TargetReport> = BTreeMap::new();
        let mut next = 0usize;
        loop {
            while set.len() < concurrency
                && let Some((i, target)) = queue.next_if(|(i, _)| *i < next.saturating_add(window))
            {
                let ctx = ctx.clone();
                let diag_ctx = diag_ctx.clone();
                let strategy = strategy.clone();
                let task_target = target.clone();
                let phases = phases.clone();
                let handle = set.spawn(async move {
                    let until = deadline.map(|d| tokio::time::Instant::now() + d);
                    let report = progress::scoped(
                        phases,
                        i,
                        probe_diagnosed(&*strategy, task_target, ctx, &diag_ctx, until),
                    )
                    .await;
                    (i, report)
                });
                running.insert(handle.id(), (i, target));
            }
            let Some(joined) = set.join_next_with_id().await else {
                break;
            };
            let (i, report) = match joined {
                Ok((id, done)) => {
                    running.remove(&id);
                    done
                }
                Err(e) => {
                    let Some((i, target)) = running.remove(&e.id()) else {
                        continue;
                    };
                    let message = if e.is_panic() {
                        format!(
                            "internal error: {}",
                            crate::probe::panic_message(&*e.into_panic())
                        )
                    } else {
                        "internal error: the probe task was cancelled".into()
                    };
                    (i, died(&target, message))
                }
            };
            progress.done(i);
            if ordered {
                pending.insert(i, report);
                while let Some(r) = pending.remove(&next) {
                    progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &r))?;
                    next += 1;
                }
            } else {
                progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &report))?;
                next += 1;
            }
        }
        for r in pending.into_values() {
            progress.suspend(|| emit(&mut writer, &mut summary, &mut worst, &r))?;
        }
        Ok::<(), Error>(())
    })?;
    summary.duration_ms = ms_since(start);
    if let Some(readiness) = finisher.summary() {
        writer.readiness(readiness);
    }
    progress.finish();
    let out = writer.finish(&run.bad_targets, summary.duration_ms, &summary)?;
    if !run.bad_targets.is_empty() {
        return Ok((EXIT_UNKNOWN, out));
    }
    Ok((finisher.exit_code(worst), out))
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// Panics on targets named `boom*`; answers the others at once, without the network.
    struct Flaky;

    impl Strategy for Flaky {
        async fn probe(
            &self,
            target: Target,
            _ctx: Arc<RunContext>,
            _deadline: Option<tokio::time::Instant>,
        ) -> TargetReport {
            if target.host.to_string().starts_with("boom") {
                panic!("injected failure for {}", target.host);
            }
            let mut r = died(&target, String::new());
            r.errors.clear();
            r
        }

        fn diagnose(&self, _: &TargetReport, _: &crate::diagnose::Context) -> Vec<Finding> {
            Vec::new()
        }
    }

    fn run_flaky(args: &[&str]) -> (u8, serde_json::Value) {
        let cli = Cli::parse_from(args);
        let Command::Check(a) = cli.command else {
            unreachable!("check")
        };
        let run = ProbeRun::from_args(&a).expect("valid flags");
        let output = OutputConfig {
            format: Format::Json,
            ..OutputConfig::new(None, true)
        };
        let mut out = Vec::new();
        let code = run_probe_to("check", run, output, Arc::new(Flaky), &mut out).expect("runs");
        (
            code,
            serde_json::from_slice(&out).expect("one JSON document"),
        )
    }

    #[test]
    fn a_panicking_target_is_unknown_not_ok() {
        let (code, doc) = run_flaky(&["tlsprobe", "check", "fine.test", "boom.test", "also.test"]);
        assert_eq!(code, EXIT_UNKNOWN);
        let t = doc["targets"].as_array().expect("targets");
        assert_eq!(t.len(), 3, "{doc:#}");
        assert_eq!(t[0]["status"], "ok");
        assert_eq!(t[1]["target"]["host"], "boom.test");
        assert_eq!(t[1]["status"], "unknown");
        assert_eq!(t[1]["errors"][0]["kind"], "panic");
        let msg = t[1]["errors"][0]["message"].as_str().expect("message");
        assert!(msg.contains("injected failure for boom.test"), "{msg}");
        assert_eq!(t[2]["status"], "ok");
    }

    #[test]
    fn dead_tasks_leak_no_slots() {
        // Far more targets than the concurrency and the ordering window: if a dead task kept
        // its slot, the run would stall instead of finishing.
        let mut args = vec!["tlsprobe", "check", "--concurrency", "1"];
        let names: Vec<String> = (0..50)
            .map(|i| {
                if i % 2 == 0 {
                    format!("boom{i}.test")
                } else {
                    format!("ok{i}.test")
                }
            })
            .collect();
        args.extend(names.iter().map(String::as_str));
        let (code, doc) = run_flaky(&args);
        assert_eq!(code, EXIT_UNKNOWN);
        let t = doc["targets"].as_array().expect("targets");
        assert_eq!(t.len(), 50);
        for (i, r) in t.iter().enumerate() {
            assert_eq!(r["target"]["host"], names[i].as_str(), "input order kept");
            let want = if i % 2 == 0 { "unknown" } else { "ok" };
            assert_eq!(r["status"], want);
        }
    }
}
