//! The deployment files in deploy/: Prometheus accepts the scrape config and the alerting rules
//! (`promtool`, from Debian's `prometheus`), the rules' unit tests pass, and every metric the
//! rules and the Grafana dashboard use is one the exporter defines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::{require_tool, run_with_timeout};

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(file)
}

fn promtool(args: &[&str]) {
    require_tool("promtool").expect("promtool (Debian's prometheus; scripts/install-deps.sh)");
    let mut cmd = Command::new("promtool");
    cmd.args(args).current_dir(deploy(""));
    let out = run_with_timeout(cmd, Duration::from_secs(60)).expect("promtool");
    assert_eq!(
        out.code,
        Some(0),
        "promtool {args:?}:\n{}{}",
        out.stdout,
        out.stderr
    );
}

#[test]
fn promtool_accepts_the_scrape_config_and_rules() {
    promtool(&["check", "config", "prometheus.yml"]);
    promtool(&["check", "rules", "tlsprobe-alerts.yml"]);
    promtool(&["test", "rules", "tlsprobe-alerts.test.yml"]);
}

/// Metric names (`probe_*`, `tlsprobe_*`) in a text.
fn metric_names(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("probe_") || w.starts_with("tlsprobe_"))
        .map(str::to_string)
        .collect()
}

#[test]
fn rules_and_dashboard_use_only_metrics_the_exporter_defines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = ["src/report/prometheus.rs", "src/serve/mod.rs"]
        .iter()
        .map(|f| std::fs::read_to_string(root.join(f)).expect("source"))
        .collect::<String>();
    let defined: BTreeSet<String> = metric_names(&source)
        .into_iter()
        .filter(|n| source.contains(&format!("\"{n}\"")))
        .collect();
    let known = |name: &str| {
        defined.contains(name)
            || ["_total", "_bucket", "_sum", "_count"]
                .iter()
                .any(|s| name.strip_suffix(s).is_some_and(|b| defined.contains(b)))
    };
    let dashboard = std::fs::read_to_string(deploy("grafana-dashboard.json")).expect("dashboard");
    let parsed: serde_json::Value = serde_json::from_str(&dashboard).expect("dashboard is JSON");
    let exprs: Vec<String> = parsed["panels"]
        .as_array()
        .expect("panels")
        .iter()
        .flat_map(|p| p["targets"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["expr"].as_str().map(str::to_string))
        .collect();
    assert!(exprs.len() >= 10, "{exprs:?}");
    let rules = std::fs::read_to_string(deploy("tlsprobe-alerts.yml")).expect("rules");
    let used: BTreeSet<String> = metric_names(&exprs.join("\n"))
        .into_iter()
        .chain(
            rules
                .lines()
                .filter(|l| l.trim_start().starts_with("expr:"))
                .flat_map(metric_names),
        )
        .collect();
    assert!(used.len() >= 10, "{used:?}");
    let unknown: Vec<&String> = used.iter().filter(|n| !known(n)).collect();
    assert!(
        unknown.is_empty(),
        "not exported: {unknown:?} (defined: {defined:?})"
    );
}
