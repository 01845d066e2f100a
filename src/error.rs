//! The one user-facing error type: what could not be done at all (bad usage, unreadable input,
//! an internal failure). A server refusing, resetting or staying silent is *not* an error: it is
//! an outcome in the report.

use std::path::PathBuf;

/// A failure that stops a command; `main` prints it once, with a hint, and exits 3.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flag has an unusable value.
    #[error("invalid value {value:?} for {flag}: {reason}")]
    BadFlag {
        /// The flag.
        flag: &'static str,
        /// What was given.
        value: String,
        /// Why it is unusable.
        reason: String,
    },
    /// Neither arguments nor a targets file named a target.
    #[error("no targets given")]
    NoTargets,
    /// A user file could not be read.
    #[error("cannot read {path:?}: {source}")]
    Input {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A user file is larger than we read.
    #[error("{path:?} is larger than 64 MiB")]
    InputTooLarge {
        /// The file.
        path: PathBuf,
    },
    /// A user file is not UTF-8 text.
    #[error("{path:?} is not UTF-8 text")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// A code given to `explain` is unknown.
    #[error("unknown code {input:?}")]
    UnknownCode {
        /// What was asked.
        input: String,
        /// Nearest known spellings.
        suggestions: Vec<String>,
    },
    /// A name in an offers list (`--tls-versions`, `--ciphers`, `--groups`) is unknown.
    #[error("unknown name {input:?} in {flag}")]
    UnknownName {
        /// The flag.
        flag: &'static str,
        /// The name given.
        input: String,
        /// Closest known names.
        suggestions: Vec<String>,
    },
    /// The trust store could not be built (bad --ca-file).
    #[error("{0}")]
    Trust(String),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// Something that should not happen.
    #[error("internal error: {0}")]
    Internal(String),
    /// The `--output` file could not be written (the previous file, if any, is left as it was).
    #[error("cannot write {path:?}: {source}")]
    OutputFile {
        /// The destination.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A catalogue file (`azure-backup --catalogue`) is invalid.
    #[error("{path}:{line}: {message}")]
    Catalogue {
        /// The file (`<built-in>` for the embedded catalogue).
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A feature that is not built yet.
    #[error("{0}")]
    NotAvailable(String),
}

impl Error {
    /// A hint on what to try, printed under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::BadFlag { flag, .. } if flag.contains("timeout") || flag.contains("deadline") => {
                Some("durations look like 5s, 800ms or 1m30s".into())
            }
            Error::BadFlag { .. } => None,
            Error::NoTargets => Some(
                "give targets as arguments (host, host:port, [v6]:port, https://host/) or with --targets-file FILE"
                    .into(),
            ),
            Error::Input { .. } => Some("check the path and its permissions".into()),
            Error::InputTooLarge { .. } | Error::NotUtf8 { .. } => None,
            Error::UnknownCode { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("did you mean: {}", suggestions.join(", ")))
            }
            Error::UnknownCode { .. } => Some(
                "try a Winsock code (10054), an errno name (ECONNRESET), an HRESULT (0x80072EFE), a Schannel event (36887), a TLS alert (handshake_failure, 40) or a finding ID"
                    .into(),
            ),
            Error::UnknownName { suggestions, .. } if !suggestions.is_empty() => {
                Some(format!("closest known names: {}", suggestions.join(", ")))
            }
            Error::UnknownName { flag, .. } => Some(format!(
                "`tlsprobe ciphers` lists the suite names; {flag} takes a comma-separated list"
            )),
            Error::Trust(_) => Some("--ca-file takes PEM files with one or more certificates".into()),
            Error::Output(_) | Error::Internal(_) => None,
            Error::OutputFile { .. } => {
                Some("--output needs a writable directory; the file is replaced only when the report is complete".into())
            }
            Error::Catalogue { .. } => Some(
                "each [[endpoints]] table needs host, purpose, components (mars, mabs, vm, workload) and cloud (public, usgov, china); port defaults to 443"
                    .into(),
            ),
            Error::NotAvailable(_) => None,
        }
    }
}
