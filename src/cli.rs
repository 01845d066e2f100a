//! Command-line definitions (clap derive) and nothing else: validation and defaults happen in
//! [`crate::config`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Live TLS handshake diagnostic probe: which versions and cipher suites an endpoint accepts,
/// what a client negotiates, whether the certificate can be trusted, and for every failure its
/// documented causes and the exact fix.
#[derive(Debug, Parser)]
#[command(name = "tlsprobe", version, about, long_about = None, after_help = crate::help::MAIN)]
pub struct Cli {
    /// Output format (default: human on a terminal; with --output, from the file's extension;
    /// otherwise json).
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Same as --color never (also honoured: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// When to colour the human report: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Write the report to FILE instead of stdout; the file is replaced atomically when the
    /// report is complete (`-` is stdout).
    #[arg(short = 'o', long, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// More detail: every endpoint on its own, timing, evidence, all causes and fix steps.
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Status lines only; no progress display.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats (`config` maps them onto [`crate::report::Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Human,
    /// One JSON document (schema tlsprobe/v1).
    Json,
    /// One JSON target object per line, as each target finishes.
    Jsonl,
    /// One self-contained HTML page (no external assets), for a ticket or change request.
    Html,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fast check: per-version outcomes, highest version, negotiated suite, certificate, findings.
    #[command(after_help = crate::help::CHECK)]
    Check(Box<ProbeArgs>),
    /// Full probe: every accepted cipher suite per version in the server's order, groups,
    /// signature schemes, certificate and findings.
    Scan(Box<ScanArgs>),
    /// Explain an error code, alert or finding ID: meaning, causes and fix.
    #[command(after_help = crate::help::EXPLAIN)]
    Explain(ExplainArgs),
    /// List the cipher-suite registry (like `openssl ciphers -v`).
    #[command(after_help = crate::help::CIPHERS)]
    Ciphers(CiphersArgs),
    /// Predict what a Windows client gets: send exactly its ClientHello, report the outcome as
    /// it sees it, and prove the fix by simulating the fixed profile.
    ///
    /// Examples:
    ///   tlsprobe simulate --client win2008r2 backup.example.com
    ///   tlsprobe simulate --all-clients 127.0.0.1:8443
    ///   tlsprobe simulate --registry schannel.reg --os win2012r2 backup.example.com
    #[command(verbatim_doc_comment)]
    Simulate(Box<SimulateArgs>),
    /// Audit `reg export` files for the SChannel, .NET and WinHTTP values TLS 1.2 needs.
    ///
    /// Examples:
    ///   tlsprobe registry --commands
    ///   tlsprobe registry schannel-protocols.reg dotnet4-64.reg --os win2012r2
    ///   tlsprobe registry *.reg --os win2008r2 --write-fix fix.reg
    #[command(verbatim_doc_comment)]
    Registry(RegistryArgs),
    /// Check targets on a schedule, append each result to a JSONL history, report changes.
    #[command(after_help = crate::help::WATCH)]
    Watch(Box<WatchArgs>),
    /// Prometheus exporter (blackbox_exporter style): GET /probe?target=host:port.
    #[command(after_help = crate::help::SERVE)]
    Serve(Box<ServeArgs>),
    /// Azure Backup readiness: check every endpoint Azure Backup needs (per cloud and component)
    /// over this machine's network path, and say per purpose whether it is ready.
    #[command(after_help = crate::help::AZURE_BACKUP)]
    AzureBackup(Box<AzureBackupArgs>),
    /// Print the JSON Schema (tlsprobe/v1) that every JSON and JSONL output follows.
    #[command(after_help = crate::help::SCHEMA)]
    Schema,
    /// Print a shell completion script.
    #[command(after_help = crate::help::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory.
    #[command(after_help = crate::help::MAN)]
    Man(ManArgs),
}

/// `tlsprobe completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `tlsprobe man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Only the page of this command (e.g. check); default: the main page, tlsprobe(1).
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,
    /// Write tlsprobe.1 and one tlsprobe-COMMAND.1 per command into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `tlsprobe azure-backup`.
#[derive(Debug, Args)]
pub struct AzureBackupArgs {
    /// Which Azure cloud's endpoints (default: public; --list shows every cloud unless given).
    #[arg(long, value_enum, value_name = "CLOUD")]
    pub cloud: Option<CloudArg>,
    /// Only endpoints these components use (repeatable or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "COMPONENT")]
    pub component: Vec<ComponentArg>,
    /// Run the full `scan` on each endpoint instead of `check`.
    #[arg(long, conflicts_with = "client")]
    pub full: bool,
    /// Simulate this Windows client profile on each endpoint (see `tlsprobe simulate`).
    #[arg(long, value_name = "PROFILE")]
    pub client: Option<String>,
    /// Print the catalogue instead of probing it.
    #[arg(long)]
    pub list: bool,
    /// Use this catalogue (TOML, `[[endpoints]]` tables) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Probe settings.
    #[command(flatten)]
    pub probe: ProbeArgs,
}

/// `--cloud` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CloudArg {
    /// Azure public (global).
    Public,
    /// Azure US Government.
    Usgov,
    /// Azure China (21Vianet).
    China,
}

/// `--plan` values: how `check` spends connections on one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanArg {
    /// Every hello at once: about one handshake of wall time (9 connections to a TLS 1.2 + 1.3
    /// server).
    Parallel,
    /// The fewest connections: the full handshake also answers for the negotiation and TLS 1.3
    /// hellos, which run only when it did not reach TLS 1.3 (7 connections).
    Lean,
}

/// `--component` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ComponentArg {
    /// The MARS agent.
    Mars,
    /// MABS / DPM.
    Mabs,
    /// The Azure VM backup extension.
    Vm,
    /// SQL Server / SAP HANA workload backup in Azure VMs.
    Workload,
}

/// Flags shared by the commands that probe targets.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    /// Targets: host, host:port (default port 443), [v6addr]:port, IP literals or https:// URLs.
    pub targets: Vec<String>,
    /// Read more targets from FILE, one a line (`#` starts a comment; `-` reads stdin).
    #[arg(long, value_name = "FILE")]
    pub targets_file: Option<PathBuf>,
    /// Bound on each network step: DNS, connect, waiting for an answer (e.g. 5s, 800ms).
    #[arg(long, default_value = "5s", value_name = "DURATION")]
    pub timeout: String,
    /// Bound on the whole probe of one target, however many handshakes it needs.
    #[arg(long, value_name = "DURATION")]
    pub deadline: Option<String>,
    /// Targets probed at the same time.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// Server name to send in SNI (default: the target's host name; none for IP targets).
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,
    /// Send no SNI extension.
    #[arg(long)]
    pub no_sni: bool,
    /// Connect to this IP address instead of resolving the name (the name is kept for SNI).
    #[arg(long, value_name = "IP")]
    pub connect_to: Option<String>,
    /// Resolve names with this DNS server (IP or IP:PORT) instead of the system configuration.
    #[arg(long, value_name = "ADDR")]
    pub dns_server: Option<String>,
    /// Go through this proxy: http://[user:pass@]host:port (HTTP CONNECT), socks5://... (SOCKS5,
    /// names resolved here) or socks5h://... (names resolved by the proxy). Default: HTTPS_PROXY
    /// or ALL_PROXY from the environment, with NO_PROXY exceptions.
    #[arg(long, value_name = "URL", conflicts_with = "no_proxy")]
    pub proxy: Option<String>,
    /// Ignore proxy settings in the environment and connect directly.
    #[arg(long)]
    pub no_proxy: bool,
    /// Only IPv4 addresses.
    #[arg(short = '4', conflicts_with = "ipv6")]
    pub ipv4: bool,
    /// Only IPv6 addresses.
    #[arg(short = '6')]
    pub ipv6: bool,
    /// Extra trusted CA certificates (PEM); may be repeated.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// Trust only --ca-file, not the built-in Mozilla roots.
    #[arg(long, requires = "ca_file")]
    pub no_default_roots: bool,
    /// Warn when a certificate of the chain expires within this many days.
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub warn_days: i64,
    /// ALPN protocols to offer in the full handshake, comma-separated.
    #[arg(long, default_value = "h2,http/1.1", value_name = "LIST")]
    pub alpn: String,
    /// Most sockets open at once to one host, all its addresses together.
    #[arg(long, default_value_t = crate::probe::hostcap::DEFAULT_MAX_CONNS_PER_HOST, value_name = "N")]
    pub max_conns_per_host: usize,
    /// Probe each address N times, to catch load-balanced backends that answer differently.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub repeat: u32,
    /// Only probe and offer these versions, e.g. `1.2,1.3` (ssl2, ssl3, 1.0, 1.1, 1.2, 1.3).
    #[arg(long, value_name = "LIST")]
    pub tls_versions: Option<String>,
    /// Only offer these cipher suites: IANA or OpenSSL names or code points (0xC02F),
    /// comma-separated.
    #[arg(long, value_name = "LIST")]
    pub ciphers: Option<String>,
    /// Only offer these key-exchange groups, e.g. `x25519,secp256r1,X25519MLKEM768`.
    #[arg(long, value_name = "LIST")]
    pub groups: Option<String>,
    /// How `check` (and `watch`, `azure-backup`) spends connections per address; `scan` and
    /// `simulate` have their own plans.
    #[arg(long, value_enum, default_value = "parallel")]
    pub plan: PlanArg,
}

/// `tlsprobe scan`: the probing flags plus politeness.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Flags shared with `check`.
    #[command(flatten)]
    pub probe: ProbeArgs,
    /// Pause between the starts of two connections to one host (e.g. 100ms).
    #[arg(long, value_name = "DURATION")]
    pub delay: Option<String>,
}

/// `tlsprobe explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code: 10054, WSAECONNRESET, ECONNRESET, 0x80072EFE, -2147012866, 36887,
    /// handshake_failure, 40, or a finding ID.
    #[arg(allow_hyphen_values = true)]
    pub code: String,
}

/// `tlsprobe ciphers`.
#[derive(Debug, Args)]
pub struct CiphersArgs {
    /// Only suites valid at this version (e.g. 1.2, TLS1.3, ssl3).
    #[arg(long, value_name = "V")]
    pub tls_version: Option<String>,
}

/// `tlsprobe simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The client: an OS name (win2008sp2, win2008r2, win2012, win2012r2, win2016, win2019,
    /// win2022, win2025, win7, win8.1, win10, win11) with optional +kb, +tls12, +dotnet,
    /// +strongcrypto, +fixed (see --list).
    #[arg(long, value_name = "PROFILE", conflicts_with_all = ["all_clients", "registry"])]
    pub client: Option<String>,
    /// Simulate every OS, as installed and as a .NET 4.x application: one line per profile.
    #[arg(long)]
    pub all_clients: bool,
    /// Print every OS name, the modifiers and what each combination offers, then exit.
    #[arg(long)]
    pub list: bool,
    /// Derive the client from `reg export` files of the Windows host (needs --os; see
    /// `tlsprobe registry --commands`).
    #[arg(
        long,
        value_name = "FILE.reg",
        requires = "os",
        conflicts_with = "all_clients"
    )]
    pub registry: Vec<PathBuf>,
    /// The Windows version the --registry files come from (an OS name of --list).
    #[arg(long, value_name = "NAME", requires = "registry")]
    pub os: Option<String>,
    /// With --registry: simulate a .NET 4.x application (like the MARS agent) instead of an
    /// SChannel application asking for the system default.
    #[arg(long, requires = "registry")]
    pub dotnet: bool,
    /// Target and connection options.
    #[command(flatten)]
    pub probe: ProbeArgs,
}
/// `tlsprobe watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Time between the starts of two rounds (e.g. 5m, 1h, 30s).
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub every: String,
    /// Stop after N rounds (default: run until SIGINT/SIGTERM).
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
    /// Append one JSON line per target per round to FILE, and compare with its last lines on
    /// start.
    #[arg(long, value_name = "FILE.jsonl")]
    pub history: Option<PathBuf>,
    /// Run CMD (through `sh -c`) for every change, with the change as JSON on stdin.
    #[arg(long, value_name = "CMD")]
    pub on_change: Option<String>,
    /// Longest a --on-change hook may run before it is killed.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub hook_timeout: String,
    /// Exit with code 2 at the first degradation.
    #[arg(long)]
    pub exit_on_degrade: bool,
    /// Watch the Azure Backup endpoint catalogue (as `tlsprobe azure-backup`) instead of TARGETs;
    /// readiness changes are reported too.
    #[arg(long)]
    pub azure_backup: bool,
    /// With --azure-backup: which cloud's endpoints (default: public).
    #[arg(long, value_enum, value_name = "CLOUD", requires = "azure_backup")]
    pub cloud: Option<CloudArg>,
    /// With --azure-backup: only endpoints these components use (repeatable or comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "COMPONENT",
        requires = "azure_backup"
    )]
    pub component: Vec<ComponentArg>,
    /// With --azure-backup: use this catalogue instead of the built-in one.
    #[arg(long, value_name = "FILE", requires = "azure_backup")]
    pub catalogue: Option<PathBuf>,
    /// The probing flags of `check`.
    #[command(flatten)]
    pub probe: ProbeArgs,
}

/// `tlsprobe serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback must be given explicitly.
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Targets allowed: host globs (`*.example.com`) or CIDRs (`10.0.0.0/8`), each with an
    /// optional `:port` (`[::1]:443`, `[2001:db8::/32]:8443`); repeatable. Default: none.
    #[arg(long, value_name = "PATTERN")]
    pub allow: Vec<String>,
    /// Networks never probed, also checked against resolved addresses; repeatable. Default:
    /// 169.254.0.0/16 and fe80::/10 (cloud metadata services live there).
    #[arg(long, value_name = "CIDR")]
    pub deny: Vec<String>,
    /// TOML file with the same settings (listen, allow, deny, max_probes, timeout, ...).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Catalogue for `module=azure` instead of the built-in Azure Backup one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Probes running at once; requests beyond it wait briefly, then get 503.
    #[arg(long, value_name = "N")]
    pub max_probes: Option<usize>,
    /// Requests allowed to wait for a probe slot; beyond it: 429.
    #[arg(long, value_name = "N")]
    pub max_queue: Option<usize>,
    /// Bound on each network step of a probe.
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Bound on a whole probe when Prometheus sends no X-Prometheus-Scrape-Timeout-Seconds.
    #[arg(long, value_name = "DURATION")]
    pub deadline: Option<String>,
    /// Resolve names with this DNS server (IP or IP:PORT) instead of the system configuration.
    #[arg(long, value_name = "ADDR")]
    pub dns_server: Option<String>,
    /// Extra trusted CA certificates (PEM); may be repeated.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
    /// Certificate expiry warning threshold in days.
    #[arg(long, value_name = "DAYS")]
    pub warn_days: Option<i64>,
    /// How `module=check` spends connections: `lean` (default: the full handshake also answers
    /// for the negotiation and TLS 1.3 hellos; 7 connections to a typical server) or
    /// `parallel` (every hello at once, as `check` does: lowest latency, 9 connections).
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    /// Probe through this proxy (`http://[user:pass@]host:port`, `socks5://` or `socks5h://`):
    /// the zone's way out, as its Azure Backup agents use it. Never taken from the environment.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
}

/// `tlsprobe registry`.
#[derive(Debug, Args)]
pub struct RegistryArgs {
    /// `reg export` files (UTF-16LE with BOM as reg.exe writes them, UTF-8, or REGEDIT4).
    #[arg(value_name = "FILE.reg")]
    pub files: Vec<PathBuf>,
    /// The Windows version the files come from (see `simulate --list`): compute the TLS
    /// versions an SChannel, a WinHTTP and a .NET 4.x client get.
    #[arg(long, value_name = "NAME")]
    pub os: Option<String>,
    /// Write a .reg file (UTF-16LE, BOM, CRLF) that sets every value the article wants.
    #[arg(long, value_name = "OUT.reg")]
    pub write_fix: Option<PathBuf>,
    /// Print the `reg export` commands to run on the Windows host (one per key).
    #[arg(long)]
    pub commands: bool,
}
