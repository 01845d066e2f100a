//! The examples printed under each command's `--help` (and in the man pages). Each one is a
//! command line that works as written; the integration tests run the local ones.
//!
//! This module holds text only: no parsing, no behaviour.

/// `tlsprobe --help`.
pub const MAIN: &str = "\
Examples:
  tlsprobe check login.microsoftonline.com      versions, suite, certificate, findings
  tlsprobe check --targets-file hosts.txt -o report.html
  tlsprobe explain 10054                        what a Windows socket error means, and the fix

Exit codes: 0 fine, 1 warnings only, 2 critical or unreachable, 3 bad usage, bad input or internal error.";

/// `tlsprobe check --help`.
pub const CHECK: &str = "\
Examples:
  tlsprobe check login.microsoftonline.com
  tlsprobe check 10.0.0.5:8443 --sni backup.example.com --ca-file corp-ca.pem
  tlsprobe check --targets-file hosts.txt --format jsonl -o results.jsonl
  tlsprobe check -q a.example b.example:8443 https://c.example/   one status line per target

Exit codes: 0 fine, 1 warnings only, 2 critical or unreachable, 3 bad usage or bad input.";

/// `tlsprobe explain --help`.
pub const EXPLAIN: &str = "\
Examples:
  tlsprobe explain 10054              Winsock WSAECONNRESET (ECONNRESET on Linux)
  tlsprobe explain 0x80072EFE         WinHTTP's ERROR_WINHTTP_CONNECTION_ERROR
  tlsprobe explain legacy-tls-rejected -v

Exit codes: 0 the code is known, 3 it is not (the nearest spellings are suggested).";

/// `tlsprobe ciphers --help`.
pub const CIPHERS: &str = "\
Examples:
  tlsprobe ciphers --tls-version 1.2
  tlsprobe ciphers --format json | jq -r '.cipher_suites[] | select(.security == \"insecure\") | .iana'

Exit codes: 0, or 3 for a bad --tls-version.";

/// `tlsprobe azure-backup --help`.
pub const AZURE_BACKUP: &str = "\
Examples:
  tlsprobe azure-backup                          readiness of every public-cloud endpoint
  tlsprobe azure-backup --cloud usgov --component mars -o readiness.html
  tlsprobe azure-backup --list --format json     the catalogue, without probing

Exit codes: 0 ready, 1 at risk, 2 blocked (any endpoint), 3 bad usage or a bad --catalogue.";

/// `tlsprobe watch --help`.
pub const WATCH: &str = "\
Examples:
  tlsprobe watch login.microsoftonline.com --every 5m --history tls.jsonl
  tlsprobe watch backup.example.com:443 --every 1m --exit-on-degrade
  tlsprobe watch a.example b.example --on-change 'logger -t tlsprobe'   the change as JSON on stdin

Exit codes: that of the last round (0, 1, 2); 2 on a degradation with --exit-on-degrade; 3 bad usage.";

/// `tlsprobe serve --help`.
pub const SERVE: &str = "\
Examples:
  tlsprobe serve --listen 127.0.0.1:9443 --allow '*.microsoftonline.com:443'
  tlsprobe serve --config serve.toml
  curl 'http://127.0.0.1:9443/probe?target=login.microsoftonline.com:443'

Exit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 3 bad usage or a bad --config.";

/// `tlsprobe schema --help`.
pub const SCHEMA: &str = "\
Examples:
  tlsprobe schema > tlsprobe-v1.json
  tlsprobe schema -o schema.json";

/// `tlsprobe completions --help`.
pub const COMPLETIONS: &str = "\
Examples:
  tlsprobe completions bash > ~/.local/share/bash-completion/completions/tlsprobe
  tlsprobe completions zsh > \"${fpath[1]}/_tlsprobe\"
  tlsprobe completions fish > ~/.config/fish/completions/tlsprobe.fish";

/// `tlsprobe man --help`.
pub const MAN: &str = "\
Examples:
  tlsprobe man | man -l -
  tlsprobe man --dir /usr/local/share/man/man1
  tlsprobe man check > tlsprobe-check.1";
