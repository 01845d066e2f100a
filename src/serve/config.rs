//! `tlsprobe serve` settings: flags over an optional TOML file, validated once.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::policy::Policy;
use crate::cli::ServeArgs;
use crate::config::{parse_duration, read_input};
use crate::error::Error;

/// Default listen address: loopback only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:9443";

/// The `--config FILE` format; every key optional, flags win (lists are merged).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    max_probes: Option<usize>,
    max_queue: Option<usize>,
    timeout: Option<String>,
    deadline: Option<String>,
    dns_server: Option<String>,
    #[serde(default)]
    ca_files: Vec<PathBuf>,
    warn_days: Option<i64>,
    catalogue: Option<PathBuf>,
    plan: Option<String>,
    proxy: Option<String>,
}

/// Validated exporter settings.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Allow and deny lists.
    pub policy: Policy,
    /// Probes at once.
    pub max_probes: usize,
    /// Requests waiting for a probe slot.
    pub max_queue: usize,
    /// Bound on each network step.
    pub timeout: Duration,
    /// Bound on a probe when the scraper sends no timeout header.
    pub default_deadline: Duration,
    /// DNS server override.
    pub dns_server: Option<SocketAddr>,
    /// Extra CA files.
    pub ca_files: Vec<PathBuf>,
    /// Certificate expiry warning threshold.
    pub warn_days: i64,
    /// Catalogue for `module=azure` (built-in when `None`).
    pub catalogue: Option<PathBuf>,
    /// How `module=check` spends connections.
    pub plan: crate::probe::CheckPlan,
    /// The proxy every probe goes through (`--proxy`).
    pub proxy: Option<std::sync::Arc<crate::net::Proxy>>,
}

fn config_error(path: &Path, message: String) -> Error {
    Error::BadFlag {
        flag: "--config",
        value: path.display().to_string(),
        reason: message,
    }
}

fn bad(flag: &'static str, value: &str, reason: &str) -> Error {
    Error::BadFlag {
        flag,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

impl ServeConfig {
    /// Flags over the file over the defaults.
    pub fn from_args(args: &ServeArgs) -> Result<ServeConfig, Error> {
        let file = match &args.config {
            Some(path) => {
                let text = read_input(path)?;
                // toml's message names the line and column.
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| config_error(path, e.to_string().trim_end().to_string()))?
            }
            None => FileConfig::default(),
        };
        let listen_text = args
            .listen
            .clone()
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.to_string());
        let listen: SocketAddr = listen_text.trim().parse().map_err(|_| {
            bad(
                "--listen",
                &listen_text,
                "must be IP:PORT, e.g. 127.0.0.1:9443 or [::]:9443",
            )
        })?;
        let mut allow = file.allow;
        allow.extend(args.allow.iter().cloned());
        if allow.is_empty() {
            return Err(bad(
                "--allow",
                "",
                "serve probes only allowlisted targets: give at least one --allow PATTERN (e.g. '*.example.com:443', '10.0.0.0/8', or '*' for any target)",
            ));
        }
        let mut deny = file.deny;
        deny.extend(args.deny.iter().cloned());
        let policy = Policy::new(&allow, &deny).map_err(|e| bad("--allow/--deny", "", &e))?;
        let max_probes = args.max_probes.or(file.max_probes).unwrap_or(32);
        if max_probes == 0 || max_probes > 1024 {
            return Err(bad(
                "--max-probes",
                &max_probes.to_string(),
                "must be from 1 to 1024",
            ));
        }
        let max_queue = args.max_queue.or(file.max_queue).unwrap_or(256);
        if max_queue > 65_536 {
            return Err(bad(
                "--max-queue",
                &max_queue.to_string(),
                "must be at most 65536",
            ));
        }
        let timeout = parse_duration(
            "--timeout",
            args.timeout
                .as_deref()
                .or(file.timeout.as_deref())
                .unwrap_or("5s"),
        )?;
        let default_deadline = parse_duration(
            "--deadline",
            args.deadline
                .as_deref()
                .or(file.deadline.as_deref())
                .unwrap_or("10s"),
        )?;
        let dns_server = args
            .dns_server
            .clone()
            .or(file.dns_server)
            .map(|s| {
                let t = s.trim();
                t.parse::<SocketAddr>()
                    .or_else(|_| {
                        t.trim_start_matches('[')
                            .trim_end_matches(']')
                            .parse::<std::net::IpAddr>()
                            .map(|ip| SocketAddr::new(ip, 53))
                    })
                    .map_err(|_| bad("--dns-server", &s, "must be IP, IP:PORT or [IPv6]:PORT"))
            })
            .transpose()?;
        let plan_text = args
            .plan
            .clone()
            .or(file.plan)
            .unwrap_or_else(|| "lean".into());
        let plan = match plan_text.trim() {
            "lean" => crate::probe::CheckPlan::Lean,
            "parallel" => crate::probe::CheckPlan::Parallel,
            _ => return Err(bad("--plan", &plan_text, "must be lean or parallel")),
        };
        let proxy_text = args.proxy.clone().or(file.proxy);
        let proxy = proxy_text
            .as_deref()
            .map(|t| {
                crate::net::Proxy::parse(t)
                    .map(std::sync::Arc::new)
                    .map_err(|reason| bad("--proxy", t, &reason))
            })
            .transpose()?;
        let mut ca_files = file.ca_files;
        ca_files.extend(args.ca_file.iter().cloned());
        Ok(ServeConfig {
            listen,
            policy,
            max_probes,
            max_queue,
            timeout,
            default_deadline,
            dns_server,
            ca_files,
            warn_days: args.warn_days.or(file.warn_days).unwrap_or(30),
            catalogue: args.catalogue.clone().or(file.catalogue),
            plan,
            proxy,
        })
    }
}
