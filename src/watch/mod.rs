//! `tlsprobe watch`: runs `check` on every target each `--every`, appends each result to a
//! JSONL history, compares it with the target's previous result (read back from the history
//! after a restart) and reports what changed: on stdout, to an `--on-change` hook (the change as
//! JSON on stdin, killed after `--hook-timeout`), and with `--exit-on-degrade` as exit code 2.
//!
//! Probing is [`crate::app::probe_diagnosed`] with the [`crate::app::Check`] strategy; this
//! module only schedules rounds, keeps the history ([`history`]) and compares ([`diff`]).
//! SIGINT/SIGTERM abandon the round in flight (its lines are written only when it completes,
//! each whole and fsync'd), so the history stays valid.

pub mod diff;
pub mod history;

use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::app::{
    Check, EXIT_UNKNOWN, Strategy, fit_concurrency, now_rfc3339, probe_diagnosed, runtime,
};
use crate::cli::WatchArgs;
use crate::config::{OutputConfig, ProbeRun, parse_duration};
use crate::error::Error;
use crate::model::{SCHEMA, Status, TargetReport, WatchChange};
use crate::net::Resolver;
use crate::probe::check::RunContext;
use crate::report::Format;
use diff::{Snapshot, diff};

/// What is remembered of a target between rounds.
struct Previous {
    snapshot: Snapshot,
    checked_at: Option<String>,
}

/// The validated `watch` settings.
struct Settings {
    every: Duration,
    count: Option<u64>,
    hook: Option<String>,
    hook_timeout: Duration,
    exit_on_degrade: bool,
}

/// Runs rounds until `--count` is reached, a degradation with `--exit-on-degrade`, or a signal.
/// Returns the exit code: 2 on a degradation with `--exit-on-degrade`, else that of the last
/// completed round (0/1/2 from findings), 3 when some target did not parse.
pub fn run(args: &WatchArgs, output: OutputConfig) -> Result<u8, Error> {
    let settings = Settings {
        every: parse_duration("--every", &args.every)?,
        count: args.count,
        hook: args.on_change.clone().filter(|c| !c.trim().is_empty()),
        hook_timeout: parse_duration("--hook-timeout", &args.hook_timeout)?,
        exit_on_degrade: args.exit_on_degrade,
    };
    if output.output.is_some() {
        return Err(Error::BadFlag {
            flag: "--output",
            value: output
                .output
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            reason: "watch streams its changes to stdout; keep every result with --history FILE"
                .into(),
        });
    }
    if output.format == Format::Html {
        return Err(Error::BadFlag {
            flag: "--format",
            value: "html".into(),
            reason: "watch streams changes as human lines or JSON lines; make a page of one round with `tlsprobe check -o report.html`".into(),
        });
    }
    if settings.count == Some(0) {
        return Err(Error::BadFlag {
            flag: "--count",
            value: "0".into(),
            reason: "must be at least 1".into(),
        });
    }
    if args.azure_backup {
        if !args.probe.targets.is_empty() || args.probe.targets_file.is_some() {
            return Err(Error::BadFlag {
                flag: "TARGET",
                value: args.probe.targets.join(" "),
                reason: "watch --azure-backup watches the catalogue; add your own endpoints with --catalogue FILE".into(),
            });
        }
        let (catalogue, origin) = crate::azure::load_catalogue(args.catalogue.as_deref())?;
        let cloud = args.cloud.map_or(
            crate::diagnose::catalogue::Cloud::Public,
            crate::azure::cloud,
        );
        let components: Vec<_> = args
            .component
            .iter()
            .map(|c| crate::azure::component(*c))
            .collect();
        let (entries, expected) = crate::azure::select(&catalogue, &origin, cloud, &components)?;
        let mut probe_args = args.probe.clone();
        probe_args.targets = entries.iter().map(|e| e.authority()).collect();
        let mut run = ProbeRun::from_args(&probe_args)?;
        run.probe.expected_roots = expected;
        let plan = crate::azure::Plan {
            entries,
            cloud,
            origin,
            components: components.iter().map(|c| c.as_str().to_string()).collect(),
            notes: Vec::new(),
        };
        let strategy = Arc::new(crate::azure::Catalogued::new(Check, plan));
        return watch(args, settings, run, output, strategy);
    }
    let run = ProbeRun::from_args(&args.probe)?;
    watch(args, settings, run, output, Arc::new(Check))
}

fn watch<S: Strategy>(
    args: &WatchArgs,
    settings: Settings,
    mut run: ProbeRun,
    output: OutputConfig,
    strategy: Arc<S>,
) -> Result<u8, Error> {
    run.concurrency = fit_concurrency(run.concurrency, run.max_conns_per_host);
    let mut err = std::io::stderr();
    for bad in &run.bad_targets {
        let _ = writeln!(err, "tlsprobe: {bad} (skipped)");
    }
    let mut previous: HashMap<String, Previous> = HashMap::new();
    let mut appender = None;
    if let Some(path) = &args.history {
        let loaded = history::load(path)?;
        for w in &loaded.warnings {
            let _ = writeln!(err, "tlsprobe: warning: {w}");
        }
        for (input, v) in loaded.last {
            previous.insert(
                input,
                Previous {
                    snapshot: Snapshot::from_json(&v),
                    checked_at: v
                        .get("checked_at")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                },
            );
        }
        appender = Some(history::Appender::open(path)?);
    }
    let trust = crate::probe::trust::TrustStore::new(&run.ca_files, run.no_default_roots)
        .map_err(|e| Error::Trust(e.to_string()))?;
    let diag = crate::diagnose::Context {
        warn_days: run.warn_days,
        ..crate::diagnose::Context::default()
    };
    let rt = runtime()?;
    let code = rt.block_on(async {
        let ctx = Arc::new(RunContext {
            trust,
            resolver: Resolver::new(run.probe.family, run.probe.timeout, run.probe.dns_server),
            config: run.probe.clone(),
            hosts: crate::probe::hostcap::HostLimiter::new(run.max_conns_per_host),
        });
        let shutdown = crate::serve::shutdown_signal();
        tokio::pin!(shutdown);
        let mut code = 0u8;
        let mut round = 0u64;
        loop {
            round += 1;
            let started = tokio::time::Instant::now();
            let checked_at = now_rfc3339();
            let reports = tokio::select! {
                r = probe_round(&run, ctx.clone(), &diag, strategy.clone()) => r,
                () = &mut shutdown => {
                    let _ = writeln!(std::io::stderr(), "tlsprobe watch: stopping; round {round} abandoned");
                    break;
                }
            };
            let mut worst = Status::Ok;
            let mut changed = 0usize;
            let mut degraded = false;
            for report in &reports {
                worst = worst.max(report.status);
                let record = record(report, &checked_at, round)?;
                if let Some(a) = appender.as_mut() {
                    a.append(&record)?;
                }
                let snapshot = Snapshot::from_json(&record);
                let input = report.target.input.clone();
                match previous.get(&input) {
                    Some(prev) => {
                        let items = diff(&prev.snapshot, &snapshot, run.warn_days);
                        if !items.is_empty() {
                            let change = WatchChange {
                                schema: SCHEMA,
                                kind: "change",
                                target: input.clone(),
                                checked_at: checked_at.clone(),
                                previous_checked_at: prev.checked_at.clone(),
                                round,
                                degraded: items.iter().any(|c| c.degraded),
                                status: report.status,
                                changes: items,
                            };
                            changed += 1;
                            degraded |= change.degraded;
                            emit_change(&output, &change)?;
                            if let Some(cmd) = &settings.hook {
                                run_hook(cmd, &change, settings.hook_timeout).await;
                            }
                        }
                    }
                    None => emit_baseline(&output, report, &checked_at)?,
                }
                previous.insert(
                    input,
                    Previous {
                        snapshot,
                        checked_at: Some(checked_at.clone()),
                    },
                );
            }
            if output.format == Format::Human {
                let mut out = std::io::stdout().lock();
                writeln!(
                    out,
                    "{checked_at} round {round}: {} target(s), {changed} changed{}",
                    reports.len(),
                    if degraded { ", DEGRADED" } else { "" }
                )?;
                out.flush()?;
            }
            code = worst.exit_code();
            if degraded && settings.exit_on_degrade {
                return Ok(2);
            }
            if settings.count.is_some_and(|n| round >= n) {
                break;
            }
            tokio::select! {
                () = tokio::time::sleep_until(started + settings.every) => {}
                () = &mut shutdown => break,
            }
        }
        Ok::<u8, Error>(code)
    })?;
    if !run.bad_targets.is_empty() {
        return Ok(EXIT_UNKNOWN);
    }
    Ok(code)
}

/// One round: every target, within the concurrency bound, in input order.
async fn probe_round<S: Strategy>(
    run: &ProbeRun,
    ctx: Arc<RunContext>,
    diag: &crate::diagnose::Context,
    strategy: Arc<S>,
) -> Vec<TargetReport> {
    let sem = Arc::new(Semaphore::new(run.concurrency));
    let mut set = JoinSet::new();
    for (i, target) in run.targets.iter().cloned().enumerate() {
        let sem = sem.clone();
        let ctx = ctx.clone();
        let diag = diag.clone();
        let deadline = run.deadline;
        let strategy = strategy.clone();
        set.spawn(async move {
            let _permit = sem.acquire_owned().await;
            let until = deadline.map(|d| tokio::time::Instant::now() + d);
            (
                i,
                probe_diagnosed(&*strategy, target, ctx, &diag, until).await,
            )
        });
    }
    let mut out: Vec<Option<TargetReport>> = vec![None; run.targets.len()];
    while let Some(joined) = set.join_next().await {
        if let Ok((i, r)) = joined
            && let Some(slot) = out.get_mut(i)
        {
            *slot = Some(r);
        }
    }
    out.into_iter().flatten().collect()
}

/// A history line: the target object plus when and in which round it was taken.
fn record(report: &TargetReport, checked_at: &str, round: u64) -> Result<Value, Error> {
    let mut v = serde_json::to_value(report).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert("checked_at".into(), Value::String(checked_at.to_string()));
        obj.insert("round".into(), Value::from(round));
    }
    Ok(v)
}

fn emit_baseline(output: &OutputConfig, r: &TargetReport, checked_at: &str) -> Result<(), Error> {
    if output.format != Format::Human {
        return Ok(());
    }
    let s = Snapshot::from_json(&serde_json::to_value(r).unwrap_or_default());
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{checked_at} {}: {} (first result: {}, {}{})",
        r.target.input,
        match r.status {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Critical => "critical",
            Status::Unknown => "unknown",
        },
        s.highest_version.as_deref().unwrap_or("no TLS"),
        s.cipher.as_deref().unwrap_or("no suite"),
        s.days_left
            .map(|d| format!(", certificate {d} days left"))
            .unwrap_or_default()
    )?;
    out.flush()?;
    Ok(())
}

fn emit_change(output: &OutputConfig, c: &WatchChange) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match output.format {
        Format::Human => {
            writeln!(
                out,
                "{} {}: {}changed since {}",
                c.checked_at,
                c.target,
                if c.degraded { "DEGRADED, " } else { "" },
                c.previous_checked_at
                    .as_deref()
                    .unwrap_or("the last result")
            )?;
            for item in &c.changes {
                writeln!(
                    out,
                    "  {} {}",
                    if item.degraded { "-" } else { "*" },
                    item.summary
                )?;
            }
        }
        Format::Json | Format::Jsonl | Format::Html => {
            serde_json::to_writer(&mut out, c).map_err(|e| Error::Internal(e.to_string()))?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Runs the hook with the change on stdin; kills it after `timeout`. Its stdout goes to our
/// stderr so it cannot corrupt the JSON on stdout. A failing hook is reported, never fatal.
async fn run_hook(cmd: &str, change: &WatchChange, timeout: Duration) {
    let warn = |msg: String| {
        let _ = writeln!(std::io::stderr(), "tlsprobe: warning: --on-change: {msg}");
    };
    let Ok(mut json) = serde_json::to_vec(change) else {
        return;
    };
    json.push(b'\n');
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("TLSPROBE_TARGET", &change.target)
        .env("TLSPROBE_DEGRADED", if change.degraded { "1" } else { "0" })
        .stdin(Stdio::piped())
        .stdout(Stdio::from(std::io::stderr()))
        .kill_on_drop(true)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return warn(format!("cannot run {cmd:?}: {e}")),
    };
    let stdin = child.stdin.take();
    let run = async {
        if let Some(mut stdin) = stdin {
            // A hook that ignores stdin may close it early; that is its business.
            let _ = stdin.write_all(&json).await;
            drop(stdin);
        }
        child.wait().await
    };
    match tokio::time::timeout(timeout, run).await {
        Ok(Ok(status)) if status.success() => {}
        Ok(Ok(status)) => warn(format!("{cmd:?} exited with {status}")),
        Ok(Err(e)) => warn(format!("{cmd:?}: {e}")),
        Err(_) => {
            let _ = child.kill().await;
            warn(format!(
                "{cmd:?} still running after {:.1}s, killed",
                timeout.as_secs_f64()
            ));
        }
    }
}
