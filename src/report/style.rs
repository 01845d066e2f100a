//! Minimal ANSI styling that is a no-op when colour is off.

/// Wraps text in an SGR sequence when `on`.
pub fn paint(on: bool, sgr: &str, text: &str) -> String {
    if on {
        format!("\x1b[{sgr}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Writes `text`, dimmed when `on`, as one line after `indent`.
pub fn dim_line(
    out: &mut dyn std::io::Write,
    indent: &str,
    on: bool,
    text: &str,
) -> std::io::Result<()> {
    writeln!(out, "{indent}{}", paint(on, DIM, text))
}

/// Bold.
pub const BOLD: &str = "1";
/// Dim.
pub const DIM: &str = "2";
/// Red.
pub const RED: &str = "31";
/// Green.
pub const GREEN: &str = "32";
/// Yellow.
pub const YELLOW: &str = "33";
/// Cyan.
pub const CYAN: &str = "36";
