#![forbid(unsafe_code)]
//! `tlsprobe`: parse, run, map to an exit code; nothing else.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use tlsprobe::app::{EXIT_UNKNOWN, run};
use tlsprobe::cli::Cli;
use tlsprobe::error::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                _ => EXIT_UNKNOWN,
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`tlsprobe ... | head`) is not an error worth a message.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(0),
        Err(e) => {
            let mut err = std::io::stderr();
            let _ = writeln!(err, "tlsprobe: error: {e}");
            if let Some(h) = e.hint() {
                let _ = writeln!(err, "  hint: {h}");
            }
            ExitCode::from(EXIT_UNKNOWN)
        }
    }
}
