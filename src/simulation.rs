//! `tlsprobe simulate`: resolves the client profiles (`--client`, `--all-clients`), pairs each
//! with its fixed profile, and runs the [`crate::app::Simulate`] strategy through the shared
//! scheduler; `--list` prints the profiles. The probing is [`crate::probe::simulate`], the
//! judging [`crate::diagnose::simulate`].

use std::io::Write;
use std::sync::Arc;

use crate::cli::SimulateArgs;
use crate::clients::clients;
use crate::clients::effective::{ClientKind, Modifiers, Origin, Profile, list_combinations};
use crate::config::{OutputConfig, ProbeRun};
use crate::error::Error;
use crate::probe::simulate::{SimPlan, SimRequest};
use crate::report::Format;

/// Runs `simulate`; returns the exit code.
pub fn run(args: SimulateArgs, output: OutputConfig) -> Result<u8, Error> {
    if args.list {
        return list(output);
    }
    let profiles: Vec<Profile> = if let Some(name) = &args.client {
        vec![Profile::parse(name).map_err(|e| Error::BadFlag {
            flag: "--client",
            value: name.clone(),
            reason: e.reason,
        })?]
    } else if args.all_clients {
        all_profiles()
    } else if !args.registry.is_empty() {
        vec![from_registry(&args)?]
    } else {
        return Err(Error::BadFlag {
            flag: "--client",
            value: String::new(),
            reason: "give --client PROFILE, --all-clients, --registry FILE.reg --os NAME or --list"
                .into(),
        });
    };
    let run = ProbeRun::from_args(&args.probe)?;
    let req = SimRequest {
        plans: profiles.iter().map(plan).collect(),
        matrix: args.all_clients,
    };
    crate::app::run_probe(
        "simulate",
        run,
        output,
        Arc::new(crate::app::Simulate(Arc::new(req))),
    )
}

/// The client a `reg export` of the host describes, on the OS `--os` names.
fn from_registry(args: &SimulateArgs) -> Result<Profile, Error> {
    let os_name = args.os.as_deref().unwrap_or_default();
    let os = crate::regcmd::os_arg(os_name, "--os")?;
    let (reg, files) = crate::regcmd::load(&args.registry);
    if let Some(bad) = files.iter().find_map(|f| f.error.clone()) {
        return Err(Error::BadFlag {
            flag: "--registry",
            value: bad.split(':').next().unwrap_or_default().to_string(),
            reason: bad,
        });
    }
    let (state, _) = crate::diagnose::registry_audit::state_of(&reg);
    let kind = if args.dotnet {
        ClientKind::DotNet4
    } else {
        ClientKind::Schannel
    };
    let names: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    let name = format!(
        "{}{} (registry: {})",
        os.id,
        if args.dotnet { "+dotnet" } else { "" },
        names.join(", ")
    );
    Ok(Profile::evaluate(os, state, kind, name, Origin::Registry))
}

/// A profile and its fix, as the probe needs them.
pub fn plan(p: &Profile) -> SimPlan {
    SimPlan {
        client: p.name.clone(),
        spec: p.spec.clone(),
        fix: p.fixed().map(|f| (f.name, f.spec)),
    }
}

/// The `--all-clients` matrix: every OS as installed, then every OS as a .NET 4.x client.
pub fn all_profiles() -> Vec<Profile> {
    let cl = clients();
    let mut out: Vec<Profile> = cl
        .os
        .iter()
        .map(|os| Profile::from_modifiers(os, Modifiers::default()))
        .collect();
    out.extend(cl.os.iter().map(|os| {
        Profile::from_modifiers(
            os,
            Modifiers {
                dotnet: true,
                ..Modifiers::default()
            },
        )
    }));
    out
}

fn list(output: OutputConfig) -> Result<u8, Error> {
    let cl = clients();
    let mut out = crate::report::sink::Sink::open(output.output.as_deref())?;
    match output.format {
        Format::Human => {
            writeln!(
                out,
                "Client profiles: OS[+kb][+tls12][+dotnet][+strongcrypto][+fixed]"
            )?;
            writeln!(out)?;
            writeln!(out, "Modifiers:")?;
            for m in crate::clients::effective::MODIFIERS {
                if let Some(text) = cl.modifiers.get(*m) {
                    writeln!(out, "  +{m:<13} {text}")?;
                }
            }
            for os in &cl.os {
                writeln!(out)?;
                let update = os
                    .update
                    .as_deref()
                    .map(|u| format!("  (update: {u})"))
                    .unwrap_or_default();
                writeln!(out, "{}  {}{update}", os.id, os.name)?;
                for p in list_combinations(os) {
                    let first = p.spec.suite_names().into_iter().next().unwrap_or_default();
                    writeln!(
                        out,
                        "  {:<34} {:<28} {:>2} suites, first {}",
                        p.name,
                        p.spec.version_names().join(" "),
                        p.spec.suites.len(),
                        first
                    )?;
                }
            }
            for c in &cl.fixed {
                writeln!(out)?;
                writeln!(out, "{}  {}", c.id, c.name)?;
                writeln!(
                    out,
                    "  {:<34} {:<28} {:>2} suites",
                    c.id,
                    c.spec.version_names().join(" "),
                    c.spec.suites.len()
                )?;
            }
        }
        Format::Json | Format::Jsonl | Format::Html => {
            let os: Vec<serde_json::Value> = cl
                .os
                .iter()
                .map(|os| {
                    serde_json::json!({
                        "id": os.id,
                        "name": os.name,
                        "update": os.update,
                        "suites_source": os.suites_source,
                        "sources": os.sources.iter().map(|s| serde_json::json!({"fact": s.fact, "url": s.url})).collect::<Vec<_>>(),
                        "profiles": list_combinations(os).iter().map(|p| serde_json::json!({
                            "client": p.name,
                            "kind": p.kind.as_str(),
                            "versions": p.spec.version_names(),
                            "ciphers": p.spec.suite_names(),
                            "groups": p.spec.group_names(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let doc = serde_json::json!({
                "modifiers": cl.modifiers,
                "os": os,
                "clients": cl.fixed.iter().map(|c| serde_json::json!({
                    "client": c.id,
                    "name": c.name,
                    "versions": c.spec.version_names(),
                    "ciphers": c.spec.suite_names(),
                    "groups": c.spec.group_names(),
                })).collect::<Vec<_>>(),
            });
            if output.format == Format::Html {
                crate::report::html::write_document(&mut out, "tlsprobe client profiles", &doc)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
        }
    }
    out.commit()?;
    Ok(0)
}
