//! `tlsprobe azure-backup`: the endpoint catalogue as a probe plan. Every selected endpoint is
//! probed by an ordinary strategy (`check`; `simulate` with `--client`; `scan` with `--full`
//! once that command exists)
//! through the one scheduler ([`crate::app::run_probe`]); [`Catalogued`] wraps that strategy to
//! attach each target's catalogue entry, judge its readiness and build the per-purpose summary.
//!
//! This module does not probe by itself and holds no endpoint knowledge: the catalogue is
//! `data/azure-backup.toml` (or `--catalogue FILE`), the readiness rules `data/readiness.toml`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::app::{Check, Strategy, run_probe};
use crate::cli::{AzureBackupArgs, CloudArg, ComponentArg};
use crate::config::{OutputConfig, ProbeRun, read_input};
use crate::diagnose::catalogue::{self, Catalogue, Cloud, Component, Endpoint};
use crate::diagnose::readiness;
use crate::error::Error;
use crate::model::{
    AzureBackupTarget, CatalogueInfo, Finding, PurposeEndpoint, PurposeSummary, Readiness,
    ReadinessSummary, Status, TargetReport,
};
use crate::probe::check::RunContext;
use crate::report::Format;
use crate::target::Target;

/// Name shown for the embedded catalogue.
const BUILTIN: &str = "built-in";

/// Runs `tlsprobe azure-backup`.
pub fn run(mut args: AzureBackupArgs, output: OutputConfig) -> Result<u8, Error> {
    let (catalogue, origin) = load(&args)?;
    let components: Vec<Component> = args.component.iter().map(|c| component(*c)).collect();
    if args.list {
        // Without --cloud the listing shows every cloud.
        let cloud = args.cloud.map(cloud);
        let selected = catalogue.select(cloud, &components);
        let mut out = crate::report::sink::Sink::open(output.output.as_deref())?;
        match output.format {
            Format::Human => crate::report::readiness::write_list_human(
                &mut out,
                &origin,
                &selected,
                output.color,
            )?,
            Format::Json | Format::Jsonl => {
                crate::report::readiness::write_list_json(&mut out, &origin, &selected)?
            }
            Format::Html => {
                let mut json = Vec::new();
                crate::report::readiness::write_list_json(&mut json, &origin, &selected)?;
                let doc: serde_json::Value =
                    serde_json::from_slice(&json).map_err(std::io::Error::from)?;
                crate::report::html::write_document(
                    &mut out,
                    "Azure Backup endpoint catalogue",
                    &doc,
                )?;
            }
        }
        out.commit()?;
        return Ok(0);
    }
    if !args.probe.targets.is_empty() || args.probe.targets_file.is_some() {
        return Err(Error::BadFlag {
            flag: "TARGET",
            value: args.probe.targets.join(" "),
            reason:
                "azure-backup probes its catalogue; add your own endpoints with --catalogue FILE"
                    .into(),
        });
    }
    let cloud = args.cloud.map_or(Cloud::Public, cloud);
    let (selected, expected) = select(&catalogue, &origin, cloud, &components)?;
    args.probe.targets = selected.iter().map(Endpoint::authority).collect();
    let mut run = ProbeRun::from_args(&args.probe)?;
    run.probe.expected_roots = expected;
    let mut notes = Vec::new();
    if let Some(p) = &run.probe.proxy {
        notes.push(format!(
            "probed through the proxy {}{}",
            p.display(),
            if p.resolves_names() {
                ", which resolves the names: per-address results are not possible"
            } else {
                ""
            }
        ));
    }
    let plan = Plan {
        entries: selected,
        cloud,
        origin,
        components: components.iter().map(|c| c.as_str().to_string()).collect(),
        notes,
    };
    // `--client` reuses the `simulate` strategy, `--full` the `scan` strategy.
    match (args.full, args.client.as_deref()) {
        (true, _) => {
            let strategy = crate::app::Scan::new(crate::probe::scan::ScanOptions { delay: None });
            run_probe(
                "azure-backup",
                run,
                output,
                Arc::new(Catalogued::new(strategy, plan)),
            )
        }
        (false, Some(name)) => {
            let profile =
                crate::clients::effective::Profile::parse(name).map_err(|e| Error::BadFlag {
                    flag: "--client",
                    value: name.to_string(),
                    reason: e.reason,
                })?;
            let req = crate::probe::simulate::SimRequest {
                plans: vec![crate::simulation::plan(&profile)],
                matrix: false,
            };
            let strategy = crate::app::Simulate(Arc::new(req));
            run_probe(
                "azure-backup",
                run,
                output,
                Arc::new(Catalogued::new(strategy, plan)),
            )
        }
        (false, None) => run_probe(
            "azure-backup",
            run,
            output,
            Arc::new(Catalogued::new(Check, plan)),
        ),
    }
}

/// The endpoints of `cloud` used by `components` (all when empty), and the roots each should
/// chain to: what `azure-backup`, `watch --azure-backup` and `serve`'s `azure` module probe.
pub fn select(
    catalogue: &Catalogue,
    origin: &str,
    cloud: Cloud,
    components: &[Component],
) -> Result<(Vec<Endpoint>, crate::probe::ExpectedRoots), Error> {
    let selected: Vec<Endpoint> = catalogue
        .select(Some(cloud), components)
        .into_iter()
        .cloned()
        .collect();
    if selected.is_empty() {
        let clouds: Vec<&str> = Cloud::ALL
            .into_iter()
            .filter(|c| !catalogue.select(Some(*c), components).is_empty())
            .map(Cloud::as_str)
            .collect();
        return Err(Error::BadFlag {
            flag: "--cloud",
            value: cloud.as_str().into(),
            reason: format!(
                "the catalogue ({origin}) has no endpoint for this cloud and these components{}",
                if clouds.is_empty() {
                    String::new()
                } else {
                    format!(" (it has some for: {})", clouds.join(", "))
                }
            ),
        });
    }
    let expected: HashMap<(String, u16), Vec<String>> = selected
        .iter()
        .map(|e| {
            (
                (e.host.to_ascii_lowercase(), e.port),
                e.expected_issuers.clone(),
            )
        })
        .collect();
    Ok((selected, Arc::new(expected)))
}

/// The built-in catalogue, or `path`'s, with the name to show for it.
pub fn load_catalogue(path: Option<&std::path::Path>) -> Result<(Catalogue, String), Error> {
    match path {
        None => catalogue::builtin()
            .map(|c| (c.clone(), BUILTIN.to_string()))
            .map_err(|e| Error::Catalogue {
                path: "data/azure-backup.toml".into(),
                line: e.line,
                message: e.message.clone(),
            }),
        Some(path) => {
            let text = read_input(&path.to_path_buf())?;
            let name = path.display().to_string();
            catalogue::parse(&text)
                .map(|c| (c, name.clone()))
                .map_err(|e| Error::Catalogue {
                    path: name,
                    line: e.line,
                    message: e.message,
                })
        }
    }
}

/// The catalogue's cloud for a `--cloud` value.
pub fn cloud(c: CloudArg) -> Cloud {
    match c {
        CloudArg::Public => Cloud::Public,
        CloudArg::Usgov => Cloud::Usgov,
        CloudArg::China => Cloud::China,
    }
}

/// The catalogue's component for a `--component` value.
pub fn component(c: ComponentArg) -> Component {
    match c {
        ComponentArg::Mars => Component::Mars,
        ComponentArg::Mabs => Component::Mabs,
        ComponentArg::Vm => Component::Vm,
        ComponentArg::Workload => Component::Workload,
    }
}

/// The catalogue to use and how to name it.
fn load(args: &AzureBackupArgs) -> Result<(Catalogue, String), Error> {
    load_catalogue(args.catalogue.as_deref())
}

/// What a catalogue run probes, and how to describe it.
#[derive(Debug)]
pub struct Plan {
    /// Selected endpoints, in catalogue order.
    pub entries: Vec<Endpoint>,
    /// The cloud selected.
    pub cloud: Cloud,
    /// `built-in` or the catalogue file.
    pub origin: String,
    /// Components selected (empty = all).
    pub components: Vec<String>,
    /// Notes for the summary.
    pub notes: Vec<String>,
}

/// A strategy run over catalogue endpoints: the inner strategy probes and diagnoses, this adds
/// the catalogue entry and readiness to each target and collects the per-purpose summary.
pub struct Catalogued<S> {
    inner: S,
    plan: Plan,
    /// `host:port` (as given to the scheduler) → index into `plan.entries`.
    index: HashMap<String, usize>,
    /// Verdicts so far, by entry index.
    verdicts: Mutex<Vec<Option<(Readiness, String)>>>,
}

impl<S: Strategy> Catalogued<S> {
    /// Wraps `inner` for `plan`.
    pub fn new(inner: S, plan: Plan) -> Self {
        let index = plan
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.authority(), i))
            .collect();
        let verdicts = Mutex::new(vec![None; plan.entries.len()]);
        Catalogued {
            inner,
            plan,
            index,
            verdicts,
        }
    }

    fn entry_of(&self, report: &TargetReport) -> Option<(usize, &Endpoint)> {
        let i = *self.index.get(&report.target.input)?;
        self.plan.entries.get(i).map(|e| (i, e))
    }
}

impl<S: Strategy> Strategy for Catalogued<S> {
    fn probe(
        &self,
        target: Target,
        ctx: Arc<RunContext>,
        deadline: Option<tokio::time::Instant>,
    ) -> impl std::future::Future<Output = TargetReport> + Send {
        self.inner.probe(target, ctx, deadline)
    }

    fn diagnose(&self, report: &TargetReport, ctx: &crate::diagnose::Context) -> Vec<Finding> {
        self.inner.diagnose(report, ctx)
    }

    fn annotate(&self, report: &mut TargetReport) {
        self.inner.annotate(report);
        let Some((i, entry)) = self.entry_of(report) else {
            return;
        };
        let verdict = readiness::judge(report);
        if let Ok(mut v) = self.verdicts.lock()
            && let Some(slot) = v.get_mut(i)
        {
            *slot = Some((verdict.readiness, verdict.reason.clone()));
        }
        report.azure_backup = Some(AzureBackupTarget {
            readiness: verdict.readiness,
            readiness_reason: verdict.reason,
            readiness_finding: verdict.finding,
            catalogue: CatalogueInfo {
                purpose: entry.purpose.clone(),
                components: entry
                    .components
                    .iter()
                    .map(|c| c.as_str().to_string())
                    .collect(),
                cloud: entry.cloud.as_str().to_string(),
                representative_of: entry.representative_of.clone(),
                expected_issuers: entry.expected_issuers.clone(),
                source: entry.source.clone(),
            },
        });
    }

    fn summarises(&self) -> bool {
        true
    }

    fn summary(&self) -> Option<ReadinessSummary> {
        let verdicts = self.verdicts.lock().ok()?.clone();
        let mut purposes: Vec<PurposeSummary> = Vec::new();
        let (mut ready, mut at_risk, mut blocked) = (0, 0, 0);
        for (entry, verdict) in self.plan.entries.iter().zip(verdicts) {
            // A target whose probe died (an internal error, exit 3) counts as blocked.
            let (r, reason) =
                verdict.unwrap_or_else(|| (Readiness::Blocked, "not probed".to_string()));
            match r {
                Readiness::Ready => ready += 1,
                Readiness::AtRisk => at_risk += 1,
                Readiness::Blocked => blocked += 1,
            }
            let idx = match purposes.iter().position(|p| p.purpose == entry.purpose) {
                Some(i) => i,
                None => {
                    purposes.push(PurposeSummary {
                        purpose: entry.purpose.clone(),
                        readiness: Readiness::Ready,
                        components: Vec::new(),
                        endpoints: Vec::new(),
                    });
                    purposes.len() - 1
                }
            };
            let Some(p) = purposes.get_mut(idx) else {
                continue;
            };
            p.readiness = p.readiness.max(r);
            for c in &entry.components {
                if !p.components.iter().any(|x| x == c.as_str()) {
                    p.components.push(c.as_str().to_string());
                }
            }
            p.endpoints.push(PurposeEndpoint {
                endpoint: entry.authority(),
                readiness: r,
                reason,
            });
        }
        let overall = purposes
            .iter()
            .map(|p| p.readiness)
            .max()
            .unwrap_or(Readiness::Blocked);
        Some(ReadinessSummary {
            overall,
            cloud: self.plan.cloud.as_str().to_string(),
            catalogue: self.plan.origin.clone(),
            components: self.plan.components.clone(),
            ready,
            at_risk,
            blocked,
            purposes,
            notes: self.plan.notes.clone(),
        })
    }

    /// 2 when any endpoint is blocked, 1 when any is at risk, 0 when all are ready; 3 when a
    /// probe could not finish (its answer is incomplete).
    fn exit_code(&self, worst: Status) -> u8 {
        if worst == Status::Unknown {
            return worst.exit_code();
        }
        match self.summary().map(|s| s.overall) {
            Some(Readiness::Ready) => 0,
            Some(Readiness::AtRisk) => 1,
            Some(Readiness::Blocked) | None => 2,
        }
    }
}
