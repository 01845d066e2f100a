//! Output: human text, JSON and JSON Lines. Reports only format what probes and diagnosis
//! produced; they never probe or judge.

pub mod human;
pub mod json;
pub mod simulation;
pub mod style;

use std::io::{self, Write};

use crate::cli::Format;
use crate::model::{SCHEMA, TargetReport};
use crate::target::TargetError;

/// Writes the targets of one run as they complete, in the chosen format.
pub struct RunWriter<W: Write> {
    out: W,
    format: Format,
    color: bool,
    first: bool,
}

impl<W: Write> RunWriter<W> {
    /// Starts a run: writes the JSON document header when the format needs one.
    pub fn start(
        mut out: W,
        format: Format,
        color: bool,
        command: &str,
        started_at: &str,
    ) -> io::Result<Self> {
        if format == Format::Json {
            write!(
                out,
                "{{\"schema\":{},\"tool_version\":{},\"command\":{},\"started_at\":{},\"targets\":[",
                json::quote(SCHEMA),
                json::quote(env!("CARGO_PKG_VERSION")),
                json::quote(command),
                json::quote(started_at),
            )?;
        }
        Ok(RunWriter {
            out,
            format,
            color,
            first: true,
        })
    }

    /// Writes one finished target.
    pub fn target(&mut self, t: &TargetReport) -> io::Result<()> {
        match self.format {
            Format::Human => human::write_target(&mut self.out, t, self.color)?,
            Format::Json => {
                if !self.first {
                    self.out.write_all(b",")?;
                }
                serde_json::to_writer(&mut self.out, t)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, t)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.first = false;
        self.out.flush()
    }

    /// Ends the run: closes the JSON document, prints the human summary.
    pub fn finish(
        mut self,
        bad_targets: &[TargetError],
        duration_ms: f64,
        summary: &human::Summary,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => {
                write!(self.out, "],\"errors\":")?;
                serde_json::to_writer(&mut self.out, &json::input_errors(bad_targets))?;
                writeln!(self.out, ",\"duration_ms\":{duration_ms:.3}}}")?;
            }
            Format::Jsonl => {}
            Format::Human => human::write_summary(&mut self.out, summary, self.color)?,
        }
        self.out.flush()
    }
}
