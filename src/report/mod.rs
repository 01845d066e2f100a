//! Output: human text, JSON, JSON Lines and HTML for runs (`human`, `json`, `html`), and the
//! outputs of the non-probing commands (`explain`, `ciphers`). Reports only format what probes
//! and diagnosis produced; they never probe or judge.

pub mod ciphers;
pub mod explain;
pub mod html;
pub mod human;
pub mod json;
pub mod progress;
pub mod prometheus;
pub mod readiness;
pub mod robust;
pub mod scan;
pub mod simulation;
pub mod sink;
pub mod style;
pub mod text;

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
    /// One self-contained HTML page.
    Html,
}

/// Everything a [`RunWriter`] needs to know besides the format.
#[derive(Debug, Clone, Default)]
pub struct WriterOptions {
    /// Human layout (colour, verbosity, width, number of targets).
    pub human: human::HumanOptions,
    /// The run's target labels (`host:port`), in input order.
    pub labels: Vec<String>,
}

/// Writes the targets of one run as they complete, in the chosen format.
pub struct RunWriter<W: Write> {
    out: W,
    format: Format,
    first: bool,
    human: human::HumanRun,
    html: Option<html::HtmlRun>,
    readiness: Option<crate::model::ReadinessSummary>,
    /// Human target blocks kept back so the readiness summary can come first.
    held: Option<Vec<u8>>,
}

impl<W: Write> RunWriter<W> {
    /// Starts a run: writes the JSON document header when the format needs one.
    pub fn start(
        out: W,
        format: Format,
        color: bool,
        command: &str,
        started_at: &str,
    ) -> io::Result<Self> {
        let opts = WriterOptions {
            human: human::HumanOptions {
                color,
                targets: 1,
                ..human::HumanOptions::default()
            },
            labels: Vec::new(),
        };
        RunWriter::start_with(out, format, &opts, command, started_at)
    }

    /// Like [`RunWriter::start`], with the layout options of the human report.
    pub fn start_with(
        mut out: W,
        format: Format,
        opts: &WriterOptions,
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
            first: true,
            human: human::HumanRun::new(opts.human.clone(), &opts.labels),
            html: (format == Format::Html).then(|| html::HtmlRun::new(command, started_at)),
            readiness: None,
            held: None,
        })
    }

    /// Writes one finished target.
    pub fn target(&mut self, t: &TargetReport) -> io::Result<()> {
        match self.format {
            Format::Human => match &mut self.held {
                Some(buf) => return self.human.target(buf, t),
                None => self.human.target(&mut self.out, t)?,
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
            Format::Html => {
                if let Some(h) = &mut self.html {
                    h.target(&serde_json::to_value(t)?);
                }
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

    /// Ends the run: closes the JSON document, prints the human summary or writes the page;
    /// returns the output so the caller can commit it.
    pub fn finish(
        mut self,
        bad_targets: &[TargetError],
        duration_ms: f64,
        summary: &human::Summary,
    ) -> io::Result<W> {
        let bad: Vec<(String, String)> = bad_targets
            .iter()
            .map(|e| (e.input.clone(), e.reason.to_string()))
            .collect();
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
            Format::Human => match self.held.take() {
                // Catalogue runs: the verdict first, then the targets, findings and totals.
                Some(held) => {
                    if let Some(r) = self.readiness.as_ref().filter(|_| !self.human.quiet()) {
                        readiness::write_summary(&mut self.out, r, self.human.color())?;
                    }
                    self.out.write_all(&held)?;
                    self.human.finish(&mut self.out, summary, &bad, None)?
                }
                None => self
                    .human
                    .finish(&mut self.out, summary, &bad, self.readiness.as_ref())?,
            },
            Format::Html => {
                if let Some(h) = &self.html {
                    let readiness = match &self.readiness {
                        Some(r) => Some(serde_json::to_value(r)?),
                        None => None,
                    };
                    h.finish(&mut self.out, &bad, duration_ms, readiness.as_ref())?;
                }
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
