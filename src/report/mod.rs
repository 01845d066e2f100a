//! Output: human text, JSON and JSON Lines for runs (`human`, `json`), and the outputs of the
//! non-probing commands (`explain`, `ciphers`). Reports only format what probes and diagnosis
//! produced; they never probe or judge.

pub mod ciphers;
pub mod explain;
pub mod human;
pub mod json;
pub mod prometheus;
pub mod readiness;
pub mod robust;
pub mod simulation;
pub mod style;

use std::io::{self, Write};

use crate::model::{SCHEMA, TargetReport};
use crate::target::TargetError;

/// The formats a run can be written in. `cli` maps its `--format` flag onto these in
/// [`crate::config`]; a new format is a variant here and a writer module beside `human`/`json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable text.
    Human,
    /// One JSON document (schema tlsprobe/v1).
    Json,
    /// One JSON target object per line, as each target finishes.
    Jsonl,
}

/// Writes the targets of one run as they complete, in the chosen format.
pub struct RunWriter<W: Write> {
    out: W,
    format: Format,
    color: bool,
    first: bool,
    readiness: Option<crate::model::ReadinessSummary>,
    /// Human target blocks kept back so the readiness summary can come first.
    held: Option<Vec<u8>>,
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
            readiness: None,
            held: None,
        })
    }

    /// Writes one finished target.
    pub fn target(&mut self, t: &TargetReport) -> io::Result<()> {
        match self.format {
            Format::Human => match &mut self.held {
                Some(buf) => return human::write_target(buf, t, self.color),
                None => human::write_target(&mut self.out, t, self.color)?,
            },
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

    /// Human output keeps the target blocks until [`Self::finish`], which prints the readiness
    /// summary first (catalogue runs: the verdict, then the details and fixes).
    pub fn hold_human_targets(&mut self) {
        if self.format == Format::Human {
            self.held = Some(Vec::new());
        }
    }

    /// Adds the document-level readiness summary (`azure-backup`), written by [`Self::finish`].
    pub fn readiness(&mut self, summary: crate::model::ReadinessSummary) {
        self.readiness = Some(summary);
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
                if let Some(r) = &self.readiness {
                    write!(self.out, ",\"readiness\":")?;
                    serde_json::to_writer(&mut self.out, r)?;
                }
                writeln!(self.out, ",\"duration_ms\":{duration_ms:.3}}}")?;
            }
            Format::Jsonl => {}
            Format::Human => {
                if let Some(r) = &self.readiness {
                    readiness::write_summary(&mut self.out, r, self.color)?;
                }
                if let Some(held) = self.held.take() {
                    self.out.write_all(&held)?;
                }
                human::write_summary(&mut self.out, summary, self.color)?
            }
        }
        self.out.flush()
    }
}
