//! `tlsprobe registry`: reads `reg export` files (each error names its file and line; the other
//! files are still audited), audits the resulting view ([`crate::diagnose::registry_audit`]),
//! prints the effective TLS versions and findings, writes the fix file, or prints the
//! `reg export` commands to run on the Windows host.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::RegistryArgs;
use crate::clients::effective::RegState;
use crate::clients::{OsRow, clients};
use crate::config::OutputConfig;
use crate::diagnose::registry_audit::{self, Effective, rules};
use crate::error::Error;
use crate::model::{Finding, SCHEMA, Status};
use crate::report::Format;
use crate::report::style::{BOLD, DIM, GREEN, RED, YELLOW, paint};
use crate::winreg::{MAX_FILE_BYTES, Registry, parse};

/// One input file as read.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// `UTF-16LE with BOM`, `UTF-8`, ... (absent when unreadable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    /// Keys and value lines it has.
    pub keys: usize,
    /// Value operations it has.
    pub values: usize,
    /// Why it cannot be used: `FILE:LINE: message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What each client kind gets on one OS (the matrix without `--os`).
#[derive(Debug, Clone, Serialize)]
pub struct OsEffective {
    /// OS id.
    pub os: String,
    /// Per client kind and view.
    pub effective: Vec<Effective>,
}

/// The `registry` object of the JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryReport {
    /// Input files.
    pub files: Vec<FileReport>,
    /// `--os`.
    pub os: Option<String>,
    /// With `--os`: what each client gets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub effective: Vec<Effective>,
    /// Without `--os`: what each client gets on every OS.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub os_matrix: Vec<OsEffective>,
    /// Findings, worst first.
    pub findings: Vec<Finding>,
    /// Worst status (`unknown` when a file could not be used).
    pub status: Status,
    /// The fix file written, when `--write-fix` was given.
    pub fix_file: Option<String>,
}

/// Reads and parses the files, applying them in order; failed files are reported, not fatal.
pub fn load(files: &[PathBuf]) -> (Registry, Vec<FileReport>) {
    let mut reg = Registry::default();
    let mut reports = Vec::new();
    for path in files {
        let shown = path.display().to_string();
        let mut rep = FileReport {
            path: shown.clone(),
            encoding: None,
            keys: 0,
            values: 0,
            error: None,
        };
        match read_bounded(path) {
            Err(e) => rep.error = Some(format!("{shown}: {e}")),
            Ok(bytes) => match parse(&bytes) {
                Err(e) => rep.error = Some(format!("{shown}:{}: {}", e.line, e.message)),
                Ok(f) => {
                    rep.encoding = Some(f.encoding.describe());
                    for op in &f.ops {
                        match op {
                            crate::winreg::Op::AddKey { .. }
                            | crate::winreg::Op::DeleteKey { .. } => {
                                rep.keys += 1;
                            }
                            _ => rep.values += 1,
                        }
                    }
                    // A value of the wrong type is bad input of this file, whatever later
                    // files set.
                    let mut own = Registry::default();
                    own.apply(&f, &shown);
                    let (_, type_errors) = registry_audit::state_of(&own);
                    if let Some(e) = type_errors.first() {
                        rep.error = Some(e.to_string());
                    }
                    reg.apply(&f, &shown);
                }
            },
        }
        reports.push(rep);
    }
    (reg, reports)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut buf = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read: {e}"))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err("larger than 64 MiB: export only the keys `registry --commands` lists".into());
    }
    Ok(buf)
}

/// Resolves `--os`.
pub fn os_arg(name: &str, flag: &'static str) -> Result<&'static OsRow, Error> {
    clients().os(name).ok_or_else(|| Error::BadFlag {
        flag,
        value: name.to_string(),
        reason: format!(
            "unknown Windows version; known: {}",
            clients()
                .os
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// UTF-16LE with a BOM, as reg.exe writes.
pub fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Runs `registry`; returns the exit code.
pub fn run(args: &RegistryArgs, output: OutputConfig) -> Result<u8, Error> {
    let mut out = crate::report::sink::Sink::open(output.output.as_deref())?;
    if args.commands {
        let code = commands(&mut out, output)?;
        out.commit()?;
        return Ok(code);
    }
    if args.files.is_empty() && args.write_fix.is_none() {
        return Err(Error::BadFlag {
            flag: "FILE.reg",
            value: String::new(),
            reason: "give one or more `reg export` files, --write-fix OUT.reg or --commands".into(),
        });
    }
    let os = args.os.as_deref().map(|n| os_arg(n, "--os")).transpose()?;
    let fix_file = match &args.write_fix {
        Some(p) => {
            let bytes = utf16le_bom(&registry_audit::fix_text());
            let tmp = p.with_extension("reg.tmp");
            std::fs::write(&tmp, &bytes)
                .and_then(|()| std::fs::rename(&tmp, p))
                .map_err(|source| Error::Input {
                    path: p.clone(),
                    source,
                })?;
            Some(p.display().to_string())
        }
        None => None,
    };
    let (reg, files) = load(&args.files);
    let (st, _) = registry_audit::state_of(&reg);
    let audited = !args.files.is_empty();
    let findings = if audited {
        registry_audit::audit(&reg, &st, os)
    } else {
        Vec::new()
    };
    let bad = files.iter().any(|f| f.error.is_some());
    let status = if bad {
        Status::Unknown
    } else {
        Status::from_findings(&findings)
    };
    let report = RegistryReport {
        files,
        os: os.map(|o| o.id.clone()),
        effective: match (os, audited) {
            (Some(o), true) => registry_audit::effective(o, &st),
            _ => Vec::new(),
        },
        os_matrix: if os.is_none() && audited {
            matrix(&st)
        } else {
            Vec::new()
        },
        findings,
        status,
        fix_file,
    };
    match output.format {
        Format::Human => human(&mut out, &report, output.color)?,
        _ => {
            let doc = serde_json::json!({
                "schema": SCHEMA,
                "tool_version": env!("CARGO_PKG_VERSION"),
                "command": "registry",
                "started_at": crate::app::now_rfc3339(),
                "targets": [],
                "registry": report,
            });
            if output.format == Format::Html {
                crate::report::html::write_document(&mut out, "tlsprobe registry audit", &doc)?;
            } else {
                serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
        }
    }
    out.commit()?;
    Ok(status.exit_code())
}

fn matrix(st: &RegState) -> Vec<OsEffective> {
    clients()
        .os
        .iter()
        .map(|o| OsEffective {
            os: o.id.clone(),
            effective: registry_audit::effective(o, st),
        })
        .collect()
}

fn commands(out: &mut impl Write, output: OutputConfig) -> Result<u8, Error> {
    let exports = &rules().export;
    match output.format {
        Format::Human => {
            writeln!(
                out,
                "REM Run in an elevated Command Prompt on the Windows host; a key that does not exist"
            )?;
            writeln!(
                out,
                "REM makes reg.exe report an error (the values are then absent). Copy the .reg files"
            )?;
            writeln!(out, "REM back and run: tlsprobe registry *.reg --os NAME")?;
            for e in exports {
                writeln!(out, "reg export \"{}\" {} /y", e.key, e.file)?;
            }
        }
        _ => {
            let list: Vec<serde_json::Value> = exports
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "key": e.key,
                        "file": e.file,
                        "command": format!("reg export \"{}\" {} /y", e.key, e.file),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({ "commands": list }))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(0)
}

fn versions(v: &[crate::model::ProtocolVersion]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.iter().map(|v| v.name()).collect::<Vec<_>>().join(" ")
    }
}

fn human(out: &mut impl Write, r: &RegistryReport, color: bool) -> std::io::Result<()> {
    for f in &r.files {
        match &f.error {
            Some(e) => writeln!(out, "{}", paint(color, RED, &format!("error: {e}")))?,
            None => writeln!(
                out,
                "{}  {}",
                f.path,
                paint(
                    color,
                    DIM,
                    &format!(
                        "{} · {} keys · {} values",
                        f.encoding.unwrap_or("?"),
                        f.keys,
                        f.values
                    )
                )
            )?,
        }
    }
    if let Some(os) = &r.os
        && !r.effective.is_empty()
    {
        let name = clients().os(os).map_or(os.as_str(), |o| o.name.as_str());
        writeln!(
            out,
            "\n{}",
            paint(color, BOLD, &format!("Effective TLS versions on {name}:"))
        )?;
        for e in &r.effective {
            let mark = if e.tls12 {
                paint(color, GREEN, "TLS 1.2 usable")
            } else {
                paint(color, RED, "NO TLS 1.2")
            };
            writeln!(
                out,
                "  {:<9} {:<22} {:<28} {mark}",
                e.client,
                e.view,
                versions(&e.versions)
            )?;
        }
    }
    if !r.os_matrix.is_empty() {
        writeln!(
            out,
            "\n{}",
            paint(
                color,
                BOLD,
                "TLS 1.2 per Windows version with these values (64-bit view):"
            )
        )?;
        writeln!(
            out,
            "  {:<11} {:<10} {:<10} {:<10}",
            "os", "schannel", "winhttp", "dotnet4"
        )?;
        for m in &r.os_matrix {
            let cell = |kind: &str| {
                m.effective
                    .iter()
                    .find(|e| e.client == kind && e.view.starts_with("64"))
                    .map_or("?", |e| if e.tls12 { "yes" } else { "NO" })
            };
            writeln!(
                out,
                "  {:<11} {:<10} {:<10} {:<10}",
                m.os,
                cell("schannel"),
                cell("winhttp"),
                cell("dotnet4")
            )?;
        }
    }
    if !r.findings.is_empty() {
        writeln!(out, "\nfindings:")?;
        for f in &r.findings {
            let sev = match f.severity {
                crate::model::Severity::Critical => paint(color, RED, "CRITICAL"),
                crate::model::Severity::Warning => paint(color, YELLOW, "WARNING "),
                crate::model::Severity::Info => paint(color, DIM, "info    "),
            };
            writeln!(out, "  {sev} {} [{}]", f.summary, f.id)?;
            if let Some(step) = f.remediation.first() {
                writeln!(out, "           fix: {step}")?;
            }
        }
    }
    if let Some(p) = &r.fix_file {
        writeln!(
            out,
            "\nwrote {p} (UTF-16LE, Windows Registry Editor Version 5.00): import it on the host with `reg import {p}`"
        )?;
    }
    let status = match r.status {
        Status::Ok => paint(color, GREEN, "OK: TLS 1.2 usable, nothing to change"),
        Status::Warning => paint(color, YELLOW, "WARNING"),
        Status::Critical => paint(
            color,
            RED,
            "CRITICAL: TLS 1.2 not usable for a client the article names",
        ),
        Status::Unknown => paint(color, RED, "UNKNOWN: bad input (see the errors above)"),
    };
    writeln!(out, "\n{status}")
}
