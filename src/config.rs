//! Turns parsed command-line arguments into a validated configuration, once, with defaults
//! filled in. Nothing here touches the network.

use std::io::{IsTerminal, Read};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{self, Cli, ColorWhen, ProbeArgs};
use crate::error::Error;
use crate::net::Family;
use crate::probe::{ProbeConfig, SniChoice};
use crate::report::Format;
use crate::target::{BadLine, Target, TargetError, parse_targets_file};

/// How output is written.
#[derive(Debug, Clone)]
pub struct OutputConfig {
    /// Format.
    pub format: Format,
    /// Whether ANSI colours may be used.
    pub color: bool,
    /// `-v` count (0 = normal).
    pub verbose: u8,
    /// `-q`: status lines only, no progress.
    pub quiet: bool,
    /// `--output FILE` (`None` = stdout), replaced atomically when the report is complete.
    pub output: Option<PathBuf>,
    /// Whether a progress display may be drawn on stderr (a terminal, and not `-q`).
    pub progress: bool,
    /// Column to wrap human text at (`None` = do not wrap).
    pub width: Option<usize>,
}

impl OutputConfig {
    /// From the global flags and the environment (`NO_COLOR`, terminal detection).
    pub fn new(format: Option<cli::Format>, no_color: bool) -> OutputConfig {
        let when = if no_color {
            ColorWhen::Never
        } else {
            ColorWhen::Auto
        };
        OutputConfig::resolve(format, when, None, 0, false)
    }

    /// From every global flag of the command line.
    pub fn from_cli(cli: &Cli) -> OutputConfig {
        let when = if cli.no_color {
            ColorWhen::Never
        } else {
            cli.color
        };
        OutputConfig::resolve(cli.format, when, cli.output.clone(), cli.verbose, cli.quiet)
    }

    fn resolve(
        format: Option<cli::Format>,
        when: ColorWhen,
        output: Option<PathBuf>,
        verbose: u8,
        quiet: bool,
    ) -> OutputConfig {
        let output = output.filter(|p| p.as_os_str() != "-");
        let tty = output.is_none() && std::io::stdout().is_terminal();
        let env_no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let format = format.map(report_format).unwrap_or_else(|| match &output {
            Some(path) => format_for_path(path),
            // Human on a terminal; a pipe gets the machine-readable document.
            None if tty => Format::Human,
            None => Format::Json,
        });
        let color = match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => tty && !env_no_color,
        };
        OutputConfig {
            format,
            color,
            verbose,
            quiet,
            progress: !quiet && std::io::stderr().is_terminal(),
            width: if tty { terminal_width() } else { columns_env() },
            output,
        }
    }
}

/// The format a file name asks for: `.html`/`.htm`, `.jsonl`/`.ndjson`, `.txt`/`.log` (human),
/// anything else JSON.
pub fn format_for_path(path: &std::path::Path) -> Format {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => Format::Html,
        Some("jsonl" | "ndjson") => Format::Jsonl,
        Some("txt" | "text" | "log") => Format::Human,
        _ => Format::Json,
    }
}

/// The report format a `--format` value selects.
fn report_format(f: cli::Format) -> Format {
    match f {
        cli::Format::Human => Format::Human,
        cli::Format::Json => Format::Json,
        cli::Format::Jsonl => Format::Jsonl,
        cli::Format::Html => Format::Html,
    }
}

/// Narrowest and widest wrap columns honoured.
const WIDTH_RANGE: (usize, usize) = (40, 400);

fn columns_env() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .map(|c| c.clamp(WIDTH_RANGE.0, WIDTH_RANGE.1))
}

fn terminal_width() -> Option<usize> {
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(w), _)) if w > 0 => {
            Some(usize::from(w).clamp(WIDTH_RANGE.0, WIDTH_RANGE.1))
        }
        // A terminal that reports no size (a bare pty): COLUMNS, else a classic 80.
        _ => columns_env().or(Some(80)),
    }
}

/// A validated probing command.
#[derive(Debug, Clone)]
pub struct ProbeRun {
    /// Targets that parsed, in input order.
    pub targets: Vec<Target>,
    /// Targets that did not parse, reported and skipped.
    pub bad_targets: Vec<TargetError>,
    /// Probe settings.
    pub probe: ProbeConfig,
    /// Bound on a whole target.
    pub deadline: Option<Duration>,
    /// Targets in flight.
    pub concurrency: usize,
    /// Extra CA files.
    pub ca_files: Vec<PathBuf>,
    /// Trust only `ca_files`.
    pub no_default_roots: bool,
    /// Certificate expiry warning threshold.
    pub warn_days: i64,
    /// ALPN protocols for the full handshake.
    pub alpn: Vec<Vec<u8>>,
    /// Sockets open at once per host (`--max-conns-per-host`).
    pub max_conns_per_host: usize,
}

/// Longest duration any flag accepts: one day. Longer values (and the ones that overflow a
/// clock) are rejected rather than wrapped or left to panic.
pub const MAX_DURATION: Duration = Duration::from_secs(86_400);

/// Most rounds of `--repeat`.
pub const MAX_REPEAT: u32 = 100;

/// Most sockets per host `--max-conns-per-host` accepts.
pub const MAX_CONNS_PER_HOST: usize = 1024;

/// Parses a duration such as `5s`, `800ms`, `1m30s`, or a bare number of seconds.
pub fn parse_duration(flag: &'static str, s: &str) -> Result<Duration, Error> {
    let bad = |reason: String| Error::BadFlag {
        flag,
        value: s.to_string(),
        reason,
    };
    let d = if let Ok(secs) = s.trim().parse::<f64>() {
        if !secs.is_finite() || !(0.0..=86_400.0).contains(&secs) {
            return Err(bad("must be between 0 and 86400 seconds".into()));
        }
        Duration::from_secs_f64(secs)
    } else {
        humantime::parse_duration(s.trim()).map_err(|e| bad(e.to_string()))?
    };
    if d > MAX_DURATION {
        return Err(bad("must be at most 24h (86400 seconds)".into()));
    }
    if d.is_zero() {
        return Err(bad("must be greater than zero".into()));
    }
    Ok(d)
}

impl ProbeRun {
    /// Validates the shared probing flags.
    // Fields other commands add to ProbeConfig keep their defaults here.
    #[allow(clippy::needless_update)]
    pub fn from_args(args: &ProbeArgs) -> Result<ProbeRun, Error> {
        let timeout = parse_duration("--timeout", &args.timeout)?;
        let deadline = args
            .deadline
            .as_deref()
            .map(|d| parse_duration("--deadline", d))
            .transpose()?;
        if args.concurrency == 0 || args.concurrency > 4096 {
            return Err(Error::BadFlag {
                flag: "--concurrency",
                value: args.concurrency.to_string(),
                reason: "must be from 1 to 4096".into(),
            });
        }
        if args.max_conns_per_host == 0 || args.max_conns_per_host > MAX_CONNS_PER_HOST {
            return Err(Error::BadFlag {
                flag: "--max-conns-per-host",
                value: args.max_conns_per_host.to_string(),
                reason: format!("must be from 1 to {MAX_CONNS_PER_HOST}"),
            });
        }
        if args.repeat == 0 || args.repeat > MAX_REPEAT {
            return Err(Error::BadFlag {
                flag: "--repeat",
                value: args.repeat.to_string(),
                reason: format!("must be from 1 to {MAX_REPEAT}"),
            });
        }
        let connect_to = args
            .connect_to
            .as_deref()
            .map(|s| {
                let s = s.trim().trim_start_matches('[').trim_end_matches(']');
                s.parse::<IpAddr>().map_err(|_| Error::BadFlag {
                    flag: "--connect-to",
                    value: s.to_string(),
                    reason: "must be an IPv4 or IPv6 address".into(),
                })
            })
            .transpose()?;
        let dns_server = args
            .dns_server
            .as_deref()
            .map(|s| {
                let s = s.trim();
                s.parse::<std::net::SocketAddr>()
                    .or_else(|_| {
                        s.trim_start_matches('[')
                            .trim_end_matches(']')
                            .parse::<IpAddr>()
                            .map(|ip| std::net::SocketAddr::new(ip, 53))
                    })
                    .map_err(|_| Error::BadFlag {
                        flag: "--dns-server",
                        value: s.to_string(),
                        reason: "must be IP, IP:PORT or [IPv6]:PORT".into(),
                    })
            })
            .transpose()?;
        let (proxy, no_proxy) = if args.no_proxy {
            (None, crate::net::NoProxy::default())
        } else {
            let (env_proxy, no_proxy) = crate::net::proxy::from_env();
            let given =
                args.proxy
                    .as_deref()
                    .map(crate::net::Proxy::parse)
                    .or(env_proxy)
                    .transpose()
                    .map_err(|reason| Error::BadFlag {
                        flag: "--proxy",
                        value: args.proxy.clone().unwrap_or_else(|| {
                            "HTTPS_PROXY / ALL_PROXY from the environment".into()
                        }),
                        reason,
                    })?;
            // An explicit --proxy applies to every target; NO_PROXY only tempers the environment.
            let no_proxy = if args.proxy.is_some() {
                crate::net::NoProxy::default()
            } else {
                no_proxy
            };
            (given.map(std::sync::Arc::new), no_proxy)
        };
        let sni = match (&args.sni, args.no_sni) {
            (_, true) => SniChoice::Off,
            (Some(n), false) => SniChoice::Name(n.trim().trim_end_matches('.').to_string()),
            (None, false) => SniChoice::Auto,
        };
        let family = match (args.ipv4, args.ipv6) {
            (true, _) => Family::V4,
            (_, true) => Family::V6,
            _ => Family::Any,
        };
        let alpn: Vec<Vec<u8>> = args
            .alpn
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.as_bytes().to_vec())
            .collect();
        if alpn.iter().any(|p| p.len() > 255) {
            return Err(Error::BadFlag {
                flag: "--alpn",
                value: args.alpn.clone(),
                reason: "each protocol name must be at most 255 bytes".into(),
            });
        }

        let offers = crate::offers::Offers::parse(
            args.tls_versions.as_deref(),
            args.ciphers.as_deref(),
            args.groups.as_deref(),
        )?;

        let mut targets = Vec::new();
        let mut bad_targets = Vec::new();
        for t in &args.targets {
            match Target::parse(t) {
                Ok(t) => targets.push(t),
                Err(e) => bad_targets.push(e),
            }
        }
        if let Some(path) = &args.targets_file {
            let text = read_input(path)?;
            let (good, bad) = parse_targets_file(&text);
            targets.extend(good);
            bad_targets.extend(bad.into_iter().map(|BadLine { line, error }| TargetError {
                input: format!("{}:{line}: {}", path.display(), error.input),
                reason: error.reason,
            }));
        }
        if targets.is_empty() && bad_targets.is_empty() {
            return Err(Error::NoTargets);
        }
        Ok(ProbeRun {
            targets,
            bad_targets,
            probe: ProbeConfig {
                timeout,
                sni,
                family,
                connect_to,
                dns_server,
                proxy,
                no_proxy,
                alpn: alpn.clone(),
                versions: offers
                    .versions
                    .clone()
                    .unwrap_or_else(|| crate::model::ProtocolVersion::ALL.to_vec()),
                suites: offers.suites.clone(),
                groups: offers.groups.clone(),
                repeat: args.repeat,
                plan: match args.plan {
                    crate::cli::PlanArg::Parallel => crate::probe::CheckPlan::Parallel,
                    crate::cli::PlanArg::Lean => crate::probe::CheckPlan::Lean,
                },
                ..ProbeConfig::default()
            },
            deadline,
            concurrency: args.concurrency,
            ca_files: args.ca_file.clone(),
            no_default_roots: args.no_default_roots,
            warn_days: args.warn_days,
            alpn,
            max_conns_per_host: args.max_conns_per_host,
        })
    }
}

/// `scan`'s politeness flag beyond `--max-conns-per-host`: `--delay`.
pub fn scan_options(args: &crate::cli::ScanArgs) -> Result<crate::probe::scan::ScanOptions, Error> {
    let delay = args
        .delay
        .as_deref()
        .map(|d| parse_duration("--delay", d))
        .transpose()?;
    Ok(crate::probe::scan::ScanOptions { delay })
}

/// Most bytes read from a user-supplied file.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a user file (`-` = stdin), bounded in size, as UTF-8.
pub fn read_input(path: &PathBuf) -> Result<String, Error> {
    let mut buf = Vec::new();
    let res = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
    };
    res.map_err(|source| Error::Input {
        path: path.clone(),
        source,
    })?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::InputTooLarge { path: path.clone() });
    }
    String::from_utf8(buf).map_err(|_| Error::NotUtf8 { path: path.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("--timeout", "5s").ok(),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_duration("--timeout", "800ms").ok(),
            Some(Duration::from_millis(800))
        );
        assert_eq!(
            parse_duration("--timeout", "2").ok(),
            Some(Duration::from_secs(2))
        );
        assert!(parse_duration("--timeout", "0").is_err());
        assert!(parse_duration("--timeout", "-1").is_err());
        assert!(parse_duration("--timeout", "soon").is_err());
        // The limit, and values past it in every spelling (including ones that overflow).
        assert_eq!(parse_duration("--timeout", "24h").ok(), Some(MAX_DURATION));
        assert_eq!(
            parse_duration("--timeout", "86400").ok(),
            Some(MAX_DURATION)
        );
        assert!(parse_duration("--timeout", "86401").is_err());
        assert!(parse_duration("--timeout", "24h 1s").is_err());
        assert!(parse_duration("--timeout", "500000000000y").is_err());
        assert!(parse_duration("--deadline", "18446744073709551616s").is_err());
        assert!(parse_duration("--deadline", "1e300").is_err());
    }
}
