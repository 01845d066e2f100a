//! The small commands that do not probe: `explain`, `ciphers`, `schema`, `completions`, `man`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::config::OutputConfig;
use crate::error::Error;
use crate::registry::ProtocolVersion;
use crate::report::Format;
use crate::report::sink::Sink;

/// The `tlsprobe/v1` JSON Schema, as published in `schema/`.
pub const SCHEMA_JSON: &str = include_str!("../schema/tlsprobe-v1.json");

/// Writes a JSON document in the requested format (JSON for human/json/jsonl, a page for html).
fn write_json_doc(
    out: &mut Sink,
    format: Format,
    title: &str,
    doc: &serde_json::Value,
) -> Result<(), Error> {
    match format {
        Format::Html => crate::report::html::write_document(out, title, doc)?,
        _ => {
            serde_json::to_writer_pretty(&mut *out, doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `tlsprobe explain CODE`: exit 0 when known, an [`Error::UnknownCode`] (exit 3) otherwise.
pub fn explain(code: &str, output: OutputConfig) -> Result<u8, Error> {
    let found = crate::diagnose::explain(code).map_err(|u| Error::UnknownCode {
        input: u.input,
        suggestions: u.suggestions,
    })?;
    let mut out = Sink::open(output.output.as_deref())?;
    match output.format {
        Format::Human => match output.width {
            Some(width) => {
                let mut wrapped = crate::report::text::WrapWriter::new(&mut out, width);
                crate::report::explain::write_human(&mut wrapped, &found, output.color)?;
                wrapped.into_inner()?;
            }
            None => crate::report::explain::write_human(&mut out, &found, output.color)?,
        },
        f => write_json_doc(
            &mut out,
            f,
            &format!("tlsprobe explain {code}"),
            &crate::report::explain::json(&found),
        )?,
    }
    out.commit()?;
    Ok(0)
}

/// `tlsprobe ciphers [--tls-version V]`.
pub fn ciphers(version: Option<&str>, output: OutputConfig) -> Result<u8, Error> {
    let version = version
        .map(|v| {
            ProtocolVersion::parse(v).ok_or_else(|| Error::BadFlag {
                flag: "--tls-version",
                value: v.to_string(),
                reason: "expected one of ssl2, ssl3, 1.0, 1.1, 1.2, 1.3".into(),
            })
        })
        .transpose()?;
    let list = crate::registry::listing(version);
    let mut out = Sink::open(output.output.as_deref())?;
    match output.format {
        Format::Human => crate::report::ciphers::write_human(&mut out, &list)?,
        f => write_json_doc(
            &mut out,
            f,
            "tlsprobe cipher suites",
            &crate::report::ciphers::json(&list),
        )?,
    }
    out.commit()?;
    Ok(0)
}

/// `tlsprobe schema`: the JSON Schema, whatever `--format` says (it is a JSON document).
pub fn schema(output: OutputConfig) -> Result<u8, Error> {
    let mut out = Sink::open(output.output.as_deref())?;
    out.write_all(SCHEMA_JSON.as_bytes())?;
    if !SCHEMA_JSON.ends_with('\n') {
        writeln!(out)?;
    }
    out.commit()?;
    Ok(0)
}

/// `tlsprobe completions SHELL`.
pub fn completions(shell: clap_complete::Shell, output: OutputConfig) -> Result<u8, Error> {
    let mut out = Sink::open(output.output.as_deref())?;
    clap_complete::generate(shell, &mut Cli::command(), "tlsprobe", &mut out);
    out.commit()?;
    Ok(0)
}

/// `tlsprobe man [COMMAND] [--dir DIR]`.
pub fn man(command: Option<&str>, dir: Option<&Path>, output: OutputConfig) -> Result<u8, Error> {
    let mut root = Cli::command();
    root.build();
    if let Some(dir) = dir {
        let fail = |source| Error::Input {
            path: dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        let mut pages = vec![("tlsprobe.1".to_string(), root.clone())];
        for sub in root.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("tlsprobe-{}", sub.get_name());
            pages.push((format!("{name}.1"), sub.clone().name(name)));
        }
        for (file, cmd) in pages {
            let mut out = Sink::open(Some(&dir.join(file)))?;
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.commit()?;
        }
        return Ok(0);
    }
    let page = match command {
        None => root,
        Some(name) => {
            let sub = root
                .find_subcommand(name)
                .filter(|s| s.get_name() != "help")
                .cloned()
                .ok_or_else(|| Error::BadFlag {
                    flag: "COMMAND",
                    value: name.to_string(),
                    reason: format!(
                        "not a tlsprobe command (one of: {})",
                        root.get_subcommands()
                            .map(|s| s.get_name())
                            .filter(|n| *n != "help")
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            let full = format!("tlsprobe-{}", sub.get_name());
            sub.name(full)
        }
    };
    let mut out = Sink::open(output.output.as_deref())?;
    clap_mangen::Man::new(page).render(&mut out)?;
    out.commit()?;
    Ok(0)
}
