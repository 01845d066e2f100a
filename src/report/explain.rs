//! `tlsprobe explain` output: an [`Explanation`] (made by `diagnose`) as text for people or as a
//! `tlsprobe/v1` JSON document. Formatting only; the lookup is [`crate::diagnose::explain`].

use std::io::{self, Write};

use serde_json::json;

use super::style::{BOLD, DIM, dim_line, paint};
use crate::diagnose::Explanation;
use crate::model::{SCHEMA, Severity};

/// Writes an explanation for people; `color` adds ANSI bold/dim (the caller decides: terminal,
/// `NO_COLOR`).
pub fn write_human(out: &mut dyn Write, e: &Explanation, color: bool) -> io::Result<()> {
    if e.entries.len() > 1 {
        writeln!(
            out,
            "{} entries match {:?}:",
            e.entries.len(),
            e.input.trim()
        )?;
        writeln!(out)?;
    }
    for (n, en) in e.entries.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let mut head = en.name.clone();
        if let Some(c) = en.code {
            if en.kind != "finding" && en.name != c.to_string() && !en.name.contains(&c.to_string())
            {
                head = format!("{c} {head}");
            }
        }
        writeln!(out, "{} — {}", paint(color, BOLD, &head), en.title)?;
        let kind = match en.severity {
            Some(s) if en.kind == "finding" => {
                format!("{}, severity {}", en.kind_title, severity_word(s))
            }
            _ => en.kind_title.to_string(),
        };
        writeln!(out, "  {}", paint(color, DIM, &kind))?;
        let mut also: Vec<String> = Vec::new();
        if let Some(p) = &en.posix {
            match en.errno {
                Some(n) => also.push(format!("{p} (Linux errno {n})")),
                None => also.push(p.clone()),
            }
        }
        if let Some(h) = &en.hresult {
            also.push(format!("HRESULT {h}"));
        }
        if !also.is_empty() {
            writeln!(out, "  {} {}", paint(color, DIM, "also:"), also.join(", "))?;
        }
        writeln!(out)?;
        writeln!(out, "  {}", en.meaning)?;
        write_list(out, "Causes, most likely first", &en.causes, true, color)?;
        write_list(out, "What to do", &en.remediation, true, color)?;
        if !en.see_also.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "  {} {}",
                paint(color, BOLD, "See also:"),
                en.see_also.join(", ")
            )?;
        }
        write_list(out, "References", &en.references, false, color)?;
        dim_line(
            out,
            "  ",
            color,
            &format!("Spellings: {}", en.spellings.join(", ")),
        )?;
    }
    Ok(())
}

fn write_list(
    out: &mut dyn Write,
    label: &str,
    items: &[String],
    numbered: bool,
    color: bool,
) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "  {}", paint(color, BOLD, &format!("{label}:")))?;
    for (i, it) in items.iter().enumerate() {
        if numbered {
            writeln!(out, "    {}. {it}", i + 1)?;
        } else {
            writeln!(out, "    {it}")?;
        }
    }
    Ok(())
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Critical => "critical",
    }
}

/// The explanation as a `tlsprobe/v1` JSON document: `{"schema", "input", "entries": [...]}`.
pub fn json(e: &Explanation) -> serde_json::Value {
    json!({
        "schema": SCHEMA,
        "input": e.input,
        "entries": e.entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::explain;

    fn human(code: &str, color: bool) -> String {
        let e = explain(code).unwrap();
        let mut buf = Vec::new();
        write_human(&mut buf, &e, color).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn human_and_json_output() {
        let text = human("10054", false);
        assert!(text.starts_with("10054 WSAECONNRESET — "), "{text}");
        assert!(
            text.contains("\n  socket error (Winsock / POSIX)\n"),
            "{text}"
        );
        assert!(text.contains("ECONNRESET (Linux errno 104)"));
        assert!(text.contains("Causes, most likely first:"));
        assert!(text.contains("KB4019276"));
        assert!(text.contains("https://learn.microsoft.com/azure/backup/transport-layer-security"));
        assert!(!text.contains('\x1b'));
        let colored = human("10054", true);
        assert!(
            colored.contains("\x1b[1m10054 WSAECONNRESET\x1b[0m — "),
            "{colored}"
        );
        assert!(colored.contains("\x1b[2malso:\x1b[0m "), "{colored}");
        assert!(
            colored.contains("  \x1b[1mWhat to do:\x1b[0m\n"),
            "{colored}"
        );

        let j = json(&explain("10054").unwrap());
        assert_eq!(j["schema"], "tlsprobe/v1");
        assert_eq!(j["input"], "10054");
        assert_eq!(j["entries"][0]["id"], "connection-reset");
        assert_eq!(j["entries"][0]["code"], 10054);
        assert_eq!(j["entries"][0]["posix"], "ECONNRESET");
        assert_eq!(j["entries"][0]["hresult"], "0x80072746");
        assert!(j["entries"][0].get("kind_title").is_none());

        assert!(human("110", false).starts_with("2 entries match \"110\":"));
        let finding = human("legacy-tls-rejected", false);
        assert!(
            finding.contains("\n  tlsprobe finding, severity info\n"),
            "{finding}"
        );
    }
}
