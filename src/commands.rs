//! The small commands that do not probe: `explain` and `ciphers`.

use std::io::Write;

use crate::config::OutputConfig;
use crate::error::Error;
use crate::registry::ProtocolVersion;
use crate::report::Format;

/// `tlsprobe explain CODE`: exit 0 when known, an [`Error::UnknownCode`] (exit 3) otherwise.
pub fn explain(code: &str, output: OutputConfig) -> Result<u8, Error> {
    let found = crate::diagnose::explain(code).map_err(|u| Error::UnknownCode {
        input: u.input,
        suggestions: u.suggestions,
    })?;
    let mut out = std::io::stdout().lock();
    match output.format {
        Format::Human => crate::report::explain::write_human(&mut out, &found, output.color)?,
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(&mut out, &crate::report::explain::json(&found))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
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
    let mut out = std::io::stdout().lock();
    match output.format {
        Format::Human => crate::report::ciphers::write_human(&mut out, &list)?,
        Format::Json | Format::Jsonl => {
            serde_json::to_writer_pretty(&mut out, &crate::report::ciphers::json(&list))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    Ok(0)
}
