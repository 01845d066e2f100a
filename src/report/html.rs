//! `--format html`: one self-contained page for a run (inline CSS and a few lines of inline
//! script, no external assets, works offline) that an engineer can attach to a change request.
//! Per target: a version × address matrix coloured by outcome, the negotiated result, the
//! certificate summary, suites with their ratings when the run enumerated them, Azure Backup
//! readiness when present, and the findings with their causes and fixes.
//!
//! The page is rendered from the serialised (serde) form of each target, so fields added to
//! the model later show up without a change here: known ones get their own layout, any other
//! field is shown in an "other data" block.
//!
//! This module formats only; it never probes or judges.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde_json::{Map, Value};

/// Target fields this page lays out itself; any other is shown as "other data".
const TARGET_KEYS: &[&str] = &[
    "target",
    "dns",
    "endpoints",
    "findings",
    "status",
    "duration_ms",
    "readiness",
    "readiness_reason",
    "catalogue",
];
/// Endpoint fields this page lays out itself.
const ENDPOINT_KEYS: &[&str] = &[
    "ip",
    "proxy",
    "tcp",
    "protocols",
    "highest_version",
    "negotiated",
    "certificate",
    "client_certificate_requested",
    "handshake_error",
    "timing",
    "simulation",
    "secure_renegotiation",
];
/// Row order of the version matrix, newest first.
const VERSIONS: &[&str] = &["TLS1.3", "TLS1.2", "TLS1.1", "TLS1.0", "SSL3.0", "SSL2.0"];
/// Versions whose acceptance is itself a problem.
const LEGACY: &[&str] = &["TLS1.1", "TLS1.0", "SSL3.0", "SSL2.0"];

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A class-safe token: lowercase ASCII letters, digits, `-`, `_`.
fn token(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Object(_) => serde_json::to_string(v).unwrap_or_default(),
    }
}

/// A run being written as HTML: target sections are kept until [`HtmlRun::finish`] writes the
/// page with its overview first.
pub struct HtmlRun {
    command: String,
    started_at: String,
    rows: Vec<String>,
    sections: Vec<String>,
    counts: [usize; 3],
}

impl HtmlRun {
    /// Starts a run of `command`.
    pub fn new(command: &str, started_at: &str) -> HtmlRun {
        HtmlRun {
            command: command.to_string(),
            started_at: started_at.to_string(),
            rows: Vec::new(),
            sections: Vec::new(),
            counts: [0; 3],
        }
    }

    /// Adds one finished target (its serialised form).
    pub fn target(&mut self, t: &Value) {
        let n = self.sections.len();
        let status = s(t, "status").unwrap_or("ok");
        match status {
            "critical" => self.counts[2] += 1,
            "warning" => self.counts[1] += 1,
            _ => self.counts[0] += 1,
        }
        self.rows.push(overview_row(n, t));
        self.sections.push(target_section(n, t));
    }

    /// Writes the whole page.
    pub fn finish(
        &self,
        out: &mut dyn Write,
        errors: &[(String, String)],
        duration_ms: f64,
        readiness: Option<&Value>,
    ) -> io::Result<()> {
        let mut h = String::new();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>tlsprobe {cmd} report — {when}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
             <header><h1>tlsprobe {cmd} report</h1>\n<p class=\"meta\">started {when} · \
             tlsprobe {ver} · schema tlsprobe/v1 · {n} target{plural} in {dur:.0} ms</p>\n\
             <p class=\"counts\"><span class=\"badge status-ok\">{ok} ok</span> \
             <span class=\"badge status-warning\">{warn} warning</span> \
             <span class=\"badge status-critical\">{crit} critical</span>{invalid}</p>\n\
             <label class=\"filter\"><input type=\"checkbox\" id=\"only-problems\"> show only \
             targets with warnings or critical findings</label></header>\n<main>\n",
            cmd = esc(&self.command),
            when = esc(&self.started_at),
            ver = esc(env!("CARGO_PKG_VERSION")),
            n = self.sections.len(),
            plural = if self.sections.len() == 1 { "" } else { "s" },
            dur = duration_ms,
            ok = self.counts[0],
            warn = self.counts[1],
            crit = self.counts[2],
            invalid = if errors.is_empty() {
                String::new()
            } else {
                format!(
                    " <span class=\"badge status-critical\">{} invalid</span>",
                    errors.len()
                )
            },
        );
        // azure-backup runs: a readiness column (the marker is in every row).
        let readiness_column = self.rows.iter().any(|r| r.contains("<td class=\"rd-"));
        let _ = write!(
            h,
            "<section class=\"overview\"><h2>Overview</h2>\n<table class=\"grid\">\
             <thead><tr><th>status</th>{}<th>target</th><th>highest</th><th>negotiated suite</th>\
             <th>certificate</th><th>findings</th></tr></thead><tbody>\n",
            if readiness_column {
                "<th>readiness</th>"
            } else {
                ""
            }
        );
        for r in &self.rows {
            if readiness_column {
                h.push_str(&r.replace(READINESS_MARK, ""));
            } else {
                h.push_str(&strip_readiness_cell(r));
            }
        }
        h.push_str("</tbody></table>\n");
        if !errors.is_empty() {
            h.push_str("<h3>Inputs that were skipped</h3><ul class=\"errors\">");
            for (input, reason) in errors {
                let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(input), esc(reason));
            }
            h.push_str("</ul>\n");
        }
        h.push_str(LEGEND);
        h.push_str("</section>\n");
        if let Some(r) = readiness {
            h.push_str(&readiness_summary(r));
        }
        out.write_all(h.as_bytes())?;
        for sec in &self.sections {
            out.write_all(sec.as_bytes())?;
        }
        write!(
            out,
            "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        )
    }
}

fn status_badge(status: &str) -> String {
    format!(
        "<span class=\"badge status-{}\">{}</span>",
        token(status),
        esc(&status.to_uppercase())
    )
}

fn target_label(t: &Value) -> String {
    let tgt = t.get("target").unwrap_or(&Value::Null);
    let host = s(tgt, "host").unwrap_or("?");
    let port = tgt.get("port").map(scalar).unwrap_or_default();
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

fn endpoints(t: &Value) -> &[Value] {
    t.get("endpoints")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn distinct(values: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join(" / ")
}

/// Where the readiness cell of an overview row starts and ends.
const READINESS_MARK: &str = "<!--rd-->";

fn strip_readiness_cell(row: &str) -> String {
    match (row.find(READINESS_MARK), row.rfind(READINESS_MARK)) {
        (Some(a), Some(b)) if b > a => format!("{}{}", &row[..a], &row[b + READINESS_MARK.len()..]),
        _ => row.to_string(),
    }
}

fn overview_row(n: usize, t: &Value) -> String {
    let eps = endpoints(t);
    let status = s(t, "status").unwrap_or("ok");
    let highest = distinct(
        eps.iter()
            .map(|e| s(e, "highest_version").unwrap_or("none").to_string()),
    );
    let suite = distinct(
        eps.iter()
            .filter_map(|e| e.get("negotiated"))
            .filter_map(|n| s(n, "cipher"))
            .map(str::to_string),
    );
    let days = eps
        .iter()
        .filter_map(|e| e.get("certificate"))
        .filter_map(|c| c.get("days_left").and_then(Value::as_i64))
        .min();
    let cert = match days {
        Some(d) if d < 0 => format!("<span class=\"bad\">expired ({d} days)</span>"),
        Some(d) => format!("{d} days left"),
        None => "—".into(),
    };
    let findings = t
        .get("findings")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let tcp_down = !eps.is_empty()
        && eps
            .iter()
            .all(|e| e.get("tcp").and_then(|t| s(t, "outcome")) != Some("connected"));
    let unreachable = t
        .get("dns")
        .and_then(|d| d.get("error"))
        .and_then(|e| s(e, "message"))
        .map(|m| format!("dns: {m}"))
        .or_else(|| {
            tcp_down.then(|| {
                let o = eps[0]
                    .get("tcp")
                    .and_then(|t| s(t, "outcome"))
                    .unwrap_or("?");
                format!("unreachable (tcp {o})")
            })
        });
    format!(
        "<tr class=\"row-{st}\" data-status=\"{st}\"><td>{badge}</td>{readiness}<td><a href=\"#t{n}\">{label}</a></td>\
         <td>{highest}</td><td><code>{suite}</code></td><td>{cert}</td><td>{findings}</td></tr>\n",
        readiness = match s(t, "readiness") {
            Some(r) => format!(
                "{READINESS_MARK}<td class=\"rd-{}\">{}</td>{READINESS_MARK}",
                token(r),
                esc(r)
            ),
            None => format!("{READINESS_MARK}<td>—</td>{READINESS_MARK}"),
        },
        st = token(status),
        badge = status_badge(status),
        label = esc(&target_label(t)),
        highest = esc(&unreachable.unwrap_or(highest)),
        suite = esc(&suite),
    )
}

fn target_section(n: usize, t: &Value) -> String {
    let status = s(t, "status").unwrap_or("ok");
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"target\" id=\"t{n}\" data-status=\"{st}\">\n<h2>{badge} {label}</h2>\n",
        st = token(status),
        badge = status_badge(status),
        label = esc(&target_label(t)),
    );
    let tgt = t.get("target").unwrap_or(&Value::Null);
    let dns = t.get("dns").unwrap_or(&Value::Null);
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(i) = s(tgt, "input") {
        facts.push(("input".into(), i.into()));
    }
    facts.push((
        "sni".into(),
        s(tgt, "sni").unwrap_or("none (no SNI sent)").into(),
    ));
    match dns.get("error") {
        Some(e) => facts.push((
            "dns".into(),
            format!(
                "failed: {} ({})",
                s(e, "message").unwrap_or(""),
                s(e, "kind").unwrap_or("")
            ),
        )),
        None => facts.push((
            "dns".into(),
            format!(
                "{} ({}, {} ms)",
                dns.get("addresses").map(scalar).unwrap_or_default(),
                s(dns, "source").unwrap_or(""),
                dns.get("duration_ms").map(scalar).unwrap_or_default()
            ),
        )),
    }
    if let Some(d) = t.get("duration_ms") {
        facts.push(("probed in".into(), format!("{} ms", scalar(d))));
    }
    h.push_str("<dl class=\"facts\">");
    for (k, v) in &facts {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    h.push_str("</dl>\n");
    if let Some(r) = s(t, "readiness") {
        h.push_str(&readiness(t, r));
    }
    let eps = endpoints(t);
    if !eps.is_empty() {
        h.push_str(&matrix(eps));
        h.push_str(&suites(eps));
        h.push_str(&certificates(eps));
        for e in eps {
            if let Some(sim) = e.get("simulation") {
                let _ = write!(
                    h,
                    "<h3>Client simulation on {}</h3>{}",
                    esc(s(e, "ip").unwrap_or("?")),
                    generic(sim)
                );
            }
            let extra = extra_fields(e, ENDPOINT_KEYS);
            if !extra.is_empty() {
                let _ = write!(
                    h,
                    "<details class=\"other\"><summary>other data for {}</summary>{}</details>",
                    esc(s(e, "ip").unwrap_or("?")),
                    generic(&Value::Object(extra))
                );
            }
        }
    }
    h.push_str(&findings(t));
    let extra = extra_fields(t, TARGET_KEYS);
    if !extra.is_empty() {
        let _ = write!(
            h,
            "<details class=\"other\"><summary>other data</summary>{}</details>",
            generic(&Value::Object(extra))
        );
    }
    h.push_str("</section>\n");
    h
}

/// The document-level Azure Backup readiness: overall, per purpose and per endpoint.
fn readiness_summary(r: &Value) -> String {
    let overall = s(r, "overall").unwrap_or("?");
    let mut h = format!(
        "<section class=\"readiness-summary\"><h2>Azure Backup readiness</h2>\n\
         <div class=\"readiness readiness-{}\"><strong>overall: {}</strong> · cloud {} · {} · catalogue {} · \
         {} ready, {} at risk, {} blocked</div>\n",
        token(overall),
        esc(overall),
        esc(s(r, "cloud").unwrap_or("?")),
        esc(&match r.get("components").and_then(Value::as_array) {
            Some(c) if !c.is_empty() => scalar(&Value::Array(c.clone())),
            _ => "all components".to_string(),
        }),
        esc(s(r, "catalogue").unwrap_or("?")),
        r.get("ready").map(scalar).unwrap_or_default(),
        r.get("at_risk").map(scalar).unwrap_or_default(),
        r.get("blocked").map(scalar).unwrap_or_default(),
    );
    if let Some(purposes) = r.get("purposes").and_then(Value::as_array) {
        h.push_str(
            "<table class=\"grid\"><thead><tr><th>purpose</th><th>readiness</th><th>endpoint</th>\
             <th>endpoint readiness</th><th>reason</th></tr></thead><tbody>",
        );
        for p in purposes {
            let pr = s(p, "readiness").unwrap_or("?");
            let eps = p
                .get("endpoints")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice);
            let span = eps.len().max(1);
            let _ = write!(
                h,
                "<tr><td rowspan=\"{span}\">{}</td><td rowspan=\"{span}\" class=\"rd-{}\">{}</td>",
                esc(s(p, "purpose").unwrap_or("?")),
                token(pr),
                esc(pr)
            );
            if eps.is_empty() {
                h.push_str("<td colspan=\"3\">—</td></tr>");
            }
            for (i, e) in eps.iter().enumerate() {
                if i > 0 {
                    h.push_str("<tr>");
                }
                let er = s(e, "readiness").unwrap_or("?");
                let _ = write!(
                    h,
                    "<td><code>{}</code></td><td class=\"rd-{}\">{}</td><td>{}</td></tr>",
                    esc(s(e, "endpoint").unwrap_or("?")),
                    token(er),
                    esc(er),
                    esc(s(e, "reason").unwrap_or(""))
                );
            }
        }
        h.push_str("</tbody></table>\n");
    }
    let extra = extra_fields(
        r,
        &[
            "overall",
            "cloud",
            "components",
            "catalogue",
            "ready",
            "at_risk",
            "blocked",
            "purposes",
        ],
    );
    if !extra.is_empty() {
        h.push_str(&generic(&Value::Object(extra)));
    }
    h.push_str("</section>\n");
    h
}

fn readiness(t: &Value, r: &str) -> String {
    let mut h = format!(
        "<div class=\"readiness readiness-{}\"><strong>Azure Backup readiness: {}</strong>",
        token(r),
        esc(r)
    );
    if let Some(reason) = s(t, "readiness_reason") {
        let _ = write!(h, " — {}", esc(reason));
    }
    if let Some(cat) = t.get("catalogue") {
        let _ = write!(h, "{}", generic(cat));
    }
    h.push_str("</div>\n");
    h
}

fn extra_fields(v: &Value, known: &[&str]) -> Map<String, Value> {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !known.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn protocol<'a>(e: &'a Value, version: &str) -> Option<&'a Value> {
    e.get("protocols")
        .and_then(Value::as_array)?
        .iter()
        .find(|p| s(p, "version") == Some(version))
}

fn os_error_text(e: &Value) -> Option<String> {
    let os = e.get("os_error")?;
    let name = s(os, "name")?;
    Some(
        match (
            s(os, "windows_name"),
            os.get("windows_code").and_then(Value::as_u64),
        ) {
            (Some(w), Some(c)) => format!("{name} (Windows {w} {c})"),
            _ => name.to_string(),
        },
    )
}

/// The version × address matrix, with the negotiated row under it.
fn matrix(eps: &[Value]) -> String {
    let mut h = String::from(
        "<h3>Protocol versions</h3>\n<table class=\"grid matrix\"><thead><tr><th>version</th>",
    );
    for e in eps {
        let mut head = esc(s(e, "ip").unwrap_or("?"));
        if let Some(p) = e.get("proxy") {
            let _ = write!(
                head,
                "<br><small>via {} ({})</small>",
                esc(s(p, "url").unwrap_or("")),
                esc(s(p, "outcome").unwrap_or(""))
            );
        }
        let tcp = e.get("tcp").unwrap_or(&Value::Null);
        if s(tcp, "outcome") != Some("connected") {
            let why = tcp
                .get("error")
                .map(|er| {
                    os_error_text(er)
                        .unwrap_or_else(|| s(er, "message").unwrap_or_default().to_string())
                })
                .unwrap_or_default();
            let _ = write!(
                head,
                "<br><small class=\"bad\">tcp {} {}</small>",
                esc(s(tcp, "outcome").unwrap_or("?")),
                esc(&why)
            );
        }
        let _ = write!(h, "<th>{head}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for v in VERSIONS {
        if eps.iter().all(|e| protocol(e, v).is_none()) {
            continue;
        }
        let _ = write!(h, "<tr><th>{v}</th>");
        for e in eps {
            let Some(p) = protocol(e, v) else {
                h.push_str("<td class=\"o-none\">not probed</td>");
                continue;
            };
            let outcome = s(p, "outcome").unwrap_or("?");
            let legacy = outcome == "accepted" && LEGACY.contains(v);
            let detail = match outcome {
                "accepted" => s(p, "cipher").unwrap_or("").to_string(),
                "alert" => match p.get("alert_code").and_then(Value::as_u64) {
                    Some(c) => format!("{} ({c})", s(p, "alert").unwrap_or("?")),
                    None => s(p, "alert").unwrap_or("?").to_string(),
                },
                "wrong_version" => format!(
                    "answered {}",
                    s(p, "answered_version").unwrap_or("another version")
                ),
                _ => os_error_text(p)
                    .or_else(|| s(p, "detail").map(str::to_string))
                    .unwrap_or_default(),
            };
            let _ = write!(
                h,
                "<td class=\"o-{}{}\" title=\"{}\"><strong>{}</strong><br><small>{}</small></td>",
                token(outcome),
                if legacy { " legacy" } else { "" },
                esc(s(p, "detail").unwrap_or("")),
                esc(outcome),
                esc(&detail)
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("<tr class=\"negotiated\"><th>negotiated</th>");
    for e in eps {
        match e.get("negotiated").filter(|n| !n.is_null()) {
            Some(n) => {
                let mut txt = format!(
                    "{} {}",
                    s(n, "version").unwrap_or("?"),
                    s(n, "cipher").unwrap_or("?")
                );
                if let Some(g) = s(n, "group") {
                    let _ = write!(txt, " · {g}");
                }
                if let Some(a) = s(n, "alpn") {
                    let _ = write!(txt, " · alpn {a}");
                }
                let _ = write!(h, "<td><code>{}</code></td>", esc(&txt));
            }
            None => {
                let why = e
                    .get("handshake_error")
                    .and_then(|er| s(er, "message"))
                    .unwrap_or("no handshake completed");
                let _ = write!(h, "<td class=\"bad\">{}</td>", esc(why));
            }
        }
    }
    h.push_str("</tr>");
    if eps.iter().any(|e| e.get("secure_renegotiation").is_some()) {
        h.push_str("<tr><th>secure renegotiation</th>");
        for e in eps {
            let (class, text) = match e.get("secure_renegotiation") {
                Some(Value::Bool(true)) => ("good", "yes"),
                Some(Value::Bool(false)) => ("bad", "no"),
                _ => ("", "—"),
            };
            let _ = write!(h, "<td class=\"{class}\">{text}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// Suites per version and address with their ratings, when a scan enumerated them.
fn suites(eps: &[Value]) -> String {
    let mut h = String::new();
    for e in eps {
        let Some(protocols) = e.get("protocols").and_then(Value::as_array) else {
            continue;
        };
        for p in protocols {
            let Some(list) = p.get("ciphers").and_then(Value::as_array) else {
                continue;
            };
            if h.is_empty() {
                h.push_str("<h3>Cipher suites</h3>\n");
            }
            let pref = match p.get("server_preference") {
                Some(Value::Bool(true)) => "server order",
                Some(Value::Bool(false)) => "client order",
                _ => "order undecided",
            };
            let _ = write!(
                h,
                "<table class=\"grid suites\"><caption>{} on {} · {}</caption>\
                 <thead><tr><th>#</th><th>suite</th><th>rating</th></tr></thead><tbody>",
                esc(s(p, "version").unwrap_or("?")),
                esc(s(e, "ip").unwrap_or("?")),
                pref
            );
            for (i, c) in list.iter().enumerate() {
                let (name, rating) = match c {
                    Value::String(n) => (n.clone(), None),
                    Value::Object(_) => (
                        ["iana", "name", "cipher"]
                            .iter()
                            .find_map(|k| s(c, k))
                            .unwrap_or("?")
                            .to_string(),
                        ["rating", "security", "strength"]
                            .iter()
                            .find_map(|k| s(c, k)),
                    ),
                    other => (scalar(other), None),
                };
                let rating = rating.unwrap_or("—");
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td><code>{}</code></td><td class=\"r-{}\">{}</td></tr>",
                    i + 1,
                    esc(&name),
                    token(rating),
                    esc(rating)
                );
            }
            h.push_str("</tbody></table>\n");
            if let Some(groups) = p.get("groups").and_then(Value::as_array) {
                let _ = write!(
                    h,
                    "<p class=\"groups\">groups: {}</p>",
                    esc(&groups.iter().map(scalar).collect::<Vec<_>>().join(", "))
                );
            }
        }
    }
    h
}

/// The certificate summary, once per distinct leaf.
fn certificates(eps: &[Value]) -> String {
    let mut h = String::new();
    let mut seen: Vec<String> = Vec::new();
    for e in eps {
        let Some(c) = e.get("certificate").filter(|c| !c.is_null()) else {
            continue;
        };
        let chain = c.get("chain").and_then(Value::as_array);
        let Some(leaf) = chain.and_then(|ch| ch.first()) else {
            continue;
        };
        let fp = s(leaf, "sha256").unwrap_or("").to_string();
        let ips: Vec<&str> = eps
            .iter()
            .filter(|o| {
                o.get("certificate")
                    .and_then(|c| c.get("chain"))
                    .and_then(Value::as_array)
                    .and_then(|ch| ch.first())
                    .and_then(|l| s(l, "sha256"))
                    == Some(fp.as_str())
            })
            .filter_map(|o| s(o, "ip"))
            .collect();
        if seen.contains(&fp) {
            continue;
        }
        seen.push(fp.clone());
        if h.is_empty() {
            h.push_str("<h3>Certificate</h3>\n");
        }
        let trusted = match c.get("trusted") {
            Some(Value::Bool(true)) => "<span class=\"good\">trusted</span>".to_string(),
            Some(Value::Bool(false)) => format!(
                "<span class=\"bad\">NOT trusted ({})</span>",
                esc(s(c, "trust_error").unwrap_or("?"))
            ),
            _ => "not checked".into(),
        };
        let days = c.get("days_left").and_then(Value::as_i64);
        let expiry = match days {
            Some(d) if d < 0 => format!(
                "<span class=\"bad\">expired {} ({d} days)</span>",
                esc(s(leaf, "not_after").unwrap_or(""))
            ),
            Some(d) if d <= 30 => format!(
                "<span class=\"warn\">{} ({d} days left)</span>",
                esc(s(leaf, "not_after").unwrap_or(""))
            ),
            Some(d) => format!(
                "{} ({d} days left)",
                esc(s(leaf, "not_after").unwrap_or(""))
            ),
            None => esc(s(leaf, "not_after").unwrap_or("?")),
        };
        let intercepted = match c.get("intercepted") {
            Some(Value::Bool(true)) => "<span class=\"bad\">yes — re-signed in the path</span>",
            Some(Value::Bool(false)) => "no",
            _ => "undecided",
        };
        let rows: Vec<(&str, String)> = vec![
            ("addresses", esc(&ips.join(", "))),
            ("subject", esc(s(leaf, "subject").unwrap_or(""))),
            (
                "names",
                esc(&leaf.get("sans").map(scalar).unwrap_or_default()),
            ),
            ("issuer", esc(s(leaf, "issuer").unwrap_or(""))),
            ("key", esc(s(leaf, "key").unwrap_or(""))),
            (
                "signature",
                esc(s(leaf, "signature_algorithm").unwrap_or("")),
            ),
            ("trust", trusted),
            (
                "name match",
                esc(&c.get("hostname_match").map(scalar).unwrap_or_default()),
            ),
            ("expires", expiry),
            (
                "chain",
                format!("{} certificate(s)", chain.map_or(0, Vec::len)),
            ),
            (
                "OCSP staple",
                esc(&c.get("ocsp_stapled").map(scalar).unwrap_or_default()),
            ),
            ("intercepted", intercepted.to_string()),
            ("sha256", format!("<code>{}</code>", esc(&fp))),
        ];
        h.push_str("<table class=\"kv\">");
        for (k, v) in rows {
            let _ = write!(h, "<tr><th>{k}</th><td>{v}</td></tr>");
        }
        h.push_str("</table>\n");
    }
    h
}

fn findings(t: &Value) -> String {
    let Some(list) = t.get("findings").and_then(Value::as_array) else {
        return String::new();
    };
    if list.is_empty() {
        return "<p class=\"none\">No findings.</p>\n".into();
    }
    let mut h = String::from("<h3>Findings</h3>\n");
    for f in list {
        let sev = s(f, "severity").unwrap_or("info");
        let _ = write!(
            h,
            "<div class=\"finding sev-{st}\"><p class=\"fhead\"><span class=\"badge sev-{st}\">{sev}</span> \
             {summary} <code class=\"fid\">{id}</code></p>",
            st = token(sev),
            sev = esc(sev),
            summary = esc(s(f, "summary").unwrap_or("")),
            id = esc(s(f, "id").unwrap_or("")),
        );
        if let Some(eps) = f.get("endpoints").and_then(Value::as_array) {
            let _ = write!(
                h,
                "<p class=\"on\">on {}</p>",
                esc(&scalar(&Value::Array(eps.clone())))
            );
        }
        let list_of = |key: &str, tag: &str, title: &str| -> String {
            let Some(items) = f
                .get(key)
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
            else {
                return String::new();
            };
            let mut x = format!("<h4>{title}</h4><{tag}>");
            for i in items {
                let text = scalar(i);
                if key == "references" && text.starts_with("https://") {
                    let _ = write!(x, "<li><a href=\"{0}\">{0}</a></li>", esc(&text));
                } else {
                    let _ = write!(x, "<li>{}</li>", esc(&text));
                }
            }
            let _ = write!(x, "</{tag}>");
            x
        };
        h.push_str(&list_of("remediation", "ol", "Fix"));
        let more = [
            list_of("evidence", "ul", "Seen"),
            list_of("causes", "ul", "Causes, most likely first"),
            list_of("references", "ul", "References"),
        ]
        .concat();
        if !more.is_empty() {
            let _ = write!(
                h,
                "<details><summary>evidence, causes and references</summary>{more}</details>"
            );
        }
        h.push_str("</div>\n");
    }
    h
}

/// Any JSON value as nested tables and lists.
pub fn generic(v: &Value) -> String {
    match v {
        Value::Object(o) if o.is_empty() => "<em>none</em>".into(),
        Value::Object(o) => {
            let mut h = String::from("<table class=\"kv\">");
            for (k, v) in o {
                let _ = write!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), generic(v));
            }
            h.push_str("</table>");
            h
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => esc(&scalar(v)),
        Value::Array(a) => {
            let mut h = String::from("<ol class=\"items\">");
            for x in a {
                let _ = write!(h, "<li>{}</li>", generic(x));
            }
            h.push_str("</ol>");
            h
        }
        other => esc(&scalar(other)),
    }
}

/// A page for a document that is not a run of targets (`explain`, `ciphers`, …).
pub fn write_document(out: &mut dyn Write, title: &str, doc: &Value) -> io::Result<()> {
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<header><h1>{t}</h1><p class=\"meta\">tlsprobe {ver}</p></header>\n\
         <main>{body}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        t = esc(title),
        ver = esc(env!("CARGO_PKG_VERSION")),
        body = generic(doc),
    )
}

const LEGEND: &str = "<p class=\"legend\">Cells: <span class=\"o-accepted\">accepted</span> \
<span class=\"o-accepted legacy\">accepted (legacy version)</span> \
<span class=\"o-alert\">alert</span> <span class=\"o-reset\">reset</span> \
<span class=\"o-timeout\">timeout</span> <span class=\"o-closed\">closed</span> \
<span class=\"o-malformed\">malformed</span> <span class=\"o-refused\">refused</span></p>\n";

const CSS: &str = "
:root{--ok:#1e7d34;--warn:#a86500;--bad:#b3261e;--muted:#5f6368;--line:#d0d4d9;--bg:#fff;--fg:#1d1d1f}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px} h4{font-size:13px;margin:10px 0 2px;color:var(--muted)}
.meta,.legend,.on,.groups,.none{color:var(--muted)} .filter{display:block;margin-top:6px;color:var(--muted)}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:4px 0 10px} th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f3f4f6} caption{text-align:left;font-weight:600;padding:4px 0}
table.kv th{background:#f8f9fa;font-weight:600;white-space:nowrap} table.kv{min-width:50%}
.matrix td{min-width:150px} .matrix small{color:inherit;opacity:.85}
.badge{display:inline-block;border-radius:4px;padding:1px 7px;font-size:12px;font-weight:700;color:#fff;letter-spacing:.02em}
.status-ok,.sev-info.badge{background:var(--ok)} .status-warning,.sev-warning.badge{background:var(--warn)} .status-critical,.sev-critical.badge{background:var(--bad)}
.sev-info.badge{background:#2f6f9f}
.o-accepted{background:#e3f4e6;color:#14532d} .o-accepted.legacy{background:#fff1d6;color:#7a4a00}
.o-alert,.o-closed,.o-wrong_version{background:#fdf3e1;color:#7a4a00}
.o-reset,.o-timeout,.o-refused,.o-malformed{background:#fbe4e2;color:#7f1d1d} .o-none{color:var(--muted)}
.legend span{padding:1px 6px;border-radius:3px;margin-right:4px}
.good{color:var(--ok);font-weight:600} .warn{color:var(--warn);font-weight:600} .bad{color:var(--bad);font-weight:600}
.r-recommended,.r-secure{color:var(--ok);font-weight:600} .r-weak{color:var(--warn);font-weight:600} .r-insecure{color:var(--bad);font-weight:600}
.finding{border-left:4px solid var(--line);padding:2px 12px;margin:8px 0;background:#fafafa}
.finding.sev-critical{border-color:var(--bad)} .finding.sev-warning{border-color:var(--warn)} .finding.sev-info{border-color:#2f6f9f}
.fhead{margin:6px 0;font-weight:600} .fid{color:var(--muted);font-weight:400}
.finding ol,.finding ul{margin:2px 0 6px;padding-left:22px}
.rd-ready{color:var(--ok);font-weight:600} .rd-at_risk{color:var(--warn);font-weight:600} .rd-blocked{color:var(--bad);font-weight:600}
.readiness{padding:8px 12px;border-radius:6px;margin:8px 0} .readiness-ready{background:#e3f4e6} .readiness-at_risk{background:#fff1d6} .readiness-blocked{background:#fbe4e2}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0} .facts dt{color:var(--muted)} .facts dd{margin:0}
details{margin:4px 0} summary{cursor:pointer;color:var(--muted)}
body.only-problems [data-status=ok]{display:none}
@media print{.filter{display:none} details{display:block} section.target{break-inside:avoid-page}}
";

/// Wires the "only problems" filter and marks the page as fully loaded (`data-ready`), which
/// the rendering test checks.
const SCRIPT: &str = "
(function(){
  var box=document.getElementById('only-problems');
  if(box){box.addEventListener('change',function(){document.body.classList.toggle('only-problems',box.checked);});}
  document.body.setAttribute('data-ready','1');
})();
";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(status: &str, extra: Value) -> Value {
        let mut t = json!({
            "target": {"input": "<x>", "host": "a.example", "port": 443, "sni": "a.example"},
            "dns": {"addresses": ["192.0.2.1"], "duration_ms": 1.0, "source": "resolver"},
            "endpoints": [{
                "ip": "192.0.2.1",
                "tcp": {"outcome": "connected", "connect_ms": 1.0, "error": null},
                "protocols": [
                    {"version": "TLS1.0", "supported": false, "outcome": "reset", "duration_ms": 1.0,
                     "os_error": {"code": 104, "name": "ECONNRESET", "windows_code": 10054, "windows_name": "WSAECONNRESET"}},
                    {"version": "TLS1.2", "supported": true, "outcome": "accepted", "duration_ms": 1.0,
                     "cipher": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                     "ciphers": [{"iana": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "rating": "recommended"}, "TLS_RSA_WITH_RC4_128_SHA"]}
                ],
                "highest_version": "TLS1.2",
                "negotiated": {"version": "TLS1.2", "cipher": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "group": "x25519", "alpn": null, "handshake_ms": 2.0, "source": "rustls"},
                "certificate": null,
                "timing": {"dns_ms": 1.0}
            }],
            "findings": [{"id": "legacy-tls-rejected", "severity": "info", "summary": "refuses <TLS1.0>",
                          "causes": ["c"], "remediation": ["first", "second"], "references": ["https://example.com/doc"]}],
            "status": status,
            "duration_ms": 3.0
        });
        if let (Some(o), Value::Object(e)) = (t.as_object_mut(), extra) {
            o.extend(e);
        }
        t
    }

    fn page(targets: &[Value]) -> String {
        let mut run = HtmlRun::new("check", "2026-01-01T00:00:00Z");
        for t in targets {
            run.target(t);
        }
        let mut buf = Vec::new();
        let summary = json!({"overall": "at_risk", "cloud": "public", "catalogue": "built-in",
            "ready": 1, "at_risk": 1, "blocked": 0,
            "purposes": [{"purpose": "identity", "readiness": "at_risk",
                          "endpoints": [{"endpoint": "login.example:443", "readiness": "at_risk", "reason": "why <not>"}]}]});
        run.finish(
            &mut buf,
            &[("bad<".into(), "no".into())],
            5.0,
            Some(&summary),
        )
        .expect("write");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn page_is_self_contained_and_escaped() {
        let p = page(&[target("ok", json!({}))]);
        assert!(p.starts_with("<!DOCTYPE html>"));
        assert!(
            !p.contains("<link") && !p.contains(" src="),
            "no external assets"
        );
        assert!(p.contains("refuses &lt;TLS1.0&gt;"));
        assert!(p.contains("bad&lt;"));
        assert!(!p.contains("<x>"));
        assert!(p.contains("ECONNRESET (Windows WSAECONNRESET 10054)"));
        assert!(p.contains("class=\"o-reset\""));
        assert!(p.contains("<ol><li>first</li><li>second</li></ol>"));
        assert!(!p.contains("<th>status</th><th>readiness</th>") && !p.contains(READINESS_MARK));
        assert!(p.contains("<a href=\"https://example.com/doc\">"));
    }

    #[test]
    fn scan_ratings_readiness_and_unknown_fields_show() {
        let p = page(&[target(
            "warning",
            json!({"readiness": "at_risk", "catalogue": {"purpose": "backup data", "cloud": "public"},
                   "brand_new_field": {"answer": 42}}),
        )]);
        assert!(p.contains("Cipher suites"));
        assert!(p.contains("class=\"r-recommended\">recommended"));
        assert!(p.contains("TLS_RSA_WITH_RC4_128_SHA"));
        assert!(p.contains("readiness-at_risk"));
        assert!(p.contains("backup data"));
        assert!(p.contains("brand_new_field") && p.contains("42"));
        assert!(p.contains("Azure Backup readiness") && p.contains("why &lt;not&gt;"));
        assert!(
            p.contains("<th>readiness</th>") && p.contains("<td class=\"rd-at_risk\">at_risk</td>")
        );
        assert!(!p.contains(READINESS_MARK));
    }

    #[test]
    fn tokens_cannot_break_out_of_attributes() {
        assert_eq!(token("ok\" onload=\"x"), "ok--onload--x");
    }
}
