//! Terminal text layout for the human report: a line made of styled segments, word-wrapped to
//! a width with a hanging indent, or cut to the width for table rows. Colour is applied last, so
//! widths are always measured on the visible text.
//!
//! This module knows nothing of reports; [`super::human`] decides what the lines say.

use std::io::{self, Write};

use super::style::paint;

/// One line of text in styled pieces (`""` = unstyled).
#[derive(Debug, Clone, Default)]
pub struct Line {
    segs: Vec<(String, &'static str)>,
}

impl Line {
    /// An empty line.
    pub fn new() -> Line {
        Line::default()
    }

    /// Appends `text` in `style`.
    pub fn push(&mut self, text: impl Into<String>, style: &'static str) -> &mut Line {
        let text = text.into();
        if !text.is_empty() {
            self.segs.push((text, style));
        }
        self
    }

    /// Appends unstyled text.
    pub fn text(&mut self, text: impl Into<String>) -> &mut Line {
        self.push(text, "")
    }

    /// Appends `text` padded with spaces to `width` visible characters (at least two spaces
    /// follow a text that fills the column, so columns never run together).
    pub fn padded(&mut self, text: &str, width: usize, style: &'static str) -> &mut Line {
        let len = visible_len(text);
        let pad = if len == 0 {
            width
        } else {
            width.saturating_sub(len).max(2.min(width))
        };
        self.push(text, style);
        self.text(" ".repeat(pad))
    }

    /// Visible length.
    pub fn len(&self) -> usize {
        self.segs.iter().map(|(t, _)| visible_len(t)).sum()
    }

    /// Whether the line has no text.
    pub fn is_empty(&self) -> bool {
        self.segs.is_empty()
    }

    /// The text without styles.
    pub fn plain(&self) -> String {
        self.segs.iter().map(|(t, _)| t.as_str()).collect()
    }

    /// The text with ANSI styles when `color`.
    pub fn render(&self, color: bool) -> String {
        self.segs
            .iter()
            .map(|(t, s)| {
                if s.is_empty() {
                    t.clone()
                } else {
                    paint(color, s, t)
                }
            })
            .collect()
    }

    /// The line cut to `width` visible characters, ending in `…` when something was cut.
    pub fn truncated(&self, width: usize) -> Line {
        if self.len() <= width {
            return self.clone();
        }
        let mut out = Line::new();
        let mut left = width.saturating_sub(1);
        for (t, s) in &self.segs {
            if left == 0 {
                break;
            }
            let piece: String = t.chars().take(left).collect();
            left -= visible_len(&piece);
            out.push(piece, s);
        }
        out.text("…");
        out
    }
}

/// Characters shown on screen (every character counts one column; the report is ASCII apart
/// from a few symbols of width one). ANSI escape sequences count zero.
pub fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final byte.
            for d in chars.by_ref() {
                if ('@'..='~').contains(&d) && d != '[' {
                    break;
                }
            }
            continue;
        }
        n += 1;
    }
    n
}

/// A writer that word-wraps finished text lines at `width`, keeping each line's indentation and
/// hanging continuation lines under the text of a numbered item (`1. `, `fix 2. `). For
/// free-form text written line by line (`explain`); tables should not pass through it.
pub struct WrapWriter<W: Write> {
    inner: W,
    width: usize,
    line: Vec<u8>,
}

impl<W: Write> WrapWriter<W> {
    /// Wraps `inner` at `width` columns.
    pub fn new(inner: W, width: usize) -> WrapWriter<W> {
        WrapWriter {
            inner,
            width,
            line: Vec::new(),
        }
    }

    /// Flushes a trailing partial line and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.emit(&line, false)?;
        }
        Ok(self.inner)
    }

    fn emit(&mut self, raw: &[u8], newline: bool) -> io::Result<()> {
        let text = String::from_utf8_lossy(raw);
        let indent = text.len() - text.trim_start_matches(' ').len();
        let body = &text[indent..];
        if indent + visible_len(body) <= self.width {
            self.inner.write_all(raw)?;
            return if newline {
                self.inner.write_all(b"\n")
            } else {
                Ok(())
            };
        }
        let plain: String = {
            let mut l = Line::new();
            l.text(body);
            l.plain()
        };
        let marker = plain
            .split_once(". ")
            .filter(|(head, _)| {
                let head = head.trim_start_matches("fix ");
                !head.is_empty() && head.chars().all(|c| c.is_ascii_digit())
            })
            .map_or(0, |(head, _)| visible_len(head) + 2);
        let mut l = Line::new();
        l.text(body);
        let mut buf = Vec::new();
        write_wrapped(
            &mut buf,
            indent,
            indent + marker,
            &l,
            Some(self.width),
            false,
        )?;
        if !newline && buf.last() == Some(&b'\n') {
            buf.pop();
        }
        self.inner.write_all(&buf)
    }
}

impl<W: Write> Write for WrapWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            if b == b'\n' {
                let line = std::mem::take(&mut self.line);
                self.emit(&line, true)?;
            } else {
                self.line.push(b);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A word of a wrapped line and the spaces that follow it (padding is kept inside a row and
/// dropped where the row breaks).
struct Token<'a> {
    word: &'a str,
    space: &'a str,
    style: &'static str,
}

fn tokens(line: &Line) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    for (text, style) in &line.segs {
        let mut rest = text.as_str();
        // Spaces opening a segment belong to the token before it.
        let lead = rest.len() - rest.trim_start_matches(' ').len();
        if lead > 0 {
            let (ws, r) = rest.split_at(lead);
            match out.last_mut() {
                Some(t) if t.space.is_empty() => t.space = ws,
                Some(_) => {}
                None => out.push(Token {
                    word: "",
                    space: ws,
                    style,
                }),
            }
            rest = r;
        }
        while !rest.is_empty() {
            let w = rest.find(' ').unwrap_or(rest.len());
            let (word, r) = rest.split_at(w);
            let sp = r.len() - r.trim_start_matches(' ').len();
            let (space, r) = r.split_at(sp);
            out.push(Token { word, space, style });
            rest = r;
        }
    }
    out
}

/// Writes `line` indented by `indent`, word-wrapped at `width` (when given) with continuation
/// lines indented by `hang`. Padding inside a row is kept; trailing spaces are dropped.
pub fn write_wrapped(
    out: &mut dyn Write,
    indent: usize,
    hang: usize,
    line: &Line,
    width: Option<usize>,
    color: bool,
) -> io::Result<()> {
    let fits = width.is_none_or(|w| indent + line.len() <= w);
    if fits {
        return writeln!(
            out,
            "{}{}",
            " ".repeat(indent),
            line.render(color).trim_end()
        );
    }
    let width = width.unwrap_or(usize::MAX);
    let mut rows: Vec<Line> = vec![Line::new()];
    let mut col = indent;
    let mut pending = "";
    let mut started = false;
    for t in tokens(line) {
        let wlen = visible_len(t.word);
        if started && wlen > 0 && col + visible_len(pending) + wlen > width {
            rows.push(Line::new());
            col = hang;
            pending = "";
            started = false;
        }
        let Some(row) = rows.last_mut() else { break };
        if started {
            row.text(pending);
            col += visible_len(pending);
        }
        row.push(t.word, t.style);
        col += wlen;
        started = true;
        pending = t.space;
    }
    for (i, row) in rows.iter().enumerate() {
        let pad = if i == 0 { indent } else { hang };
        writeln!(out, "{}{}", " ".repeat(pad), row.render(color).trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(indent: usize, hang: usize, line: &Line, width: Option<usize>) -> String {
        let mut buf = Vec::new();
        write_wrapped(&mut buf, indent, hang, line, width, false).expect("write");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn short_lines_keep_their_padding() {
        let mut l = Line::new();
        l.padded("OK", 10, "32").text("host:443");
        assert_eq!(wrapped(2, 4, &l, Some(80)), "  OK        host:443\n");
        assert_eq!(l.render(true), "\x1b[32mOK\x1b[0m        host:443");
    }

    #[test]
    fn long_lines_wrap_at_words_with_a_hanging_indent() {
        let mut l = Line::new();
        l.text("one two three four five six seven eight nine ten");
        let text = wrapped(2, 6, &l, Some(20));
        for row in text.lines() {
            assert!(row.chars().count() <= 20, "{row:?}");
        }
        assert_eq!(
            text,
            "  one two three four\n      five six seven\n      eight nine ten\n"
        );
        // Nothing is lost.
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words.len(), 10);
    }

    #[test]
    fn padding_inside_a_row_survives_wrapping() {
        let mut l = Line::new();
        l.padded("critical", 10, "31")
            .text("alpha beta gamma delta epsilon");
        let text = wrapped(2, 12, &l, Some(30));
        assert_eq!(
            text,
            "  critical  alpha beta gamma\n            delta epsilon\n"
        );
    }

    #[test]
    fn a_word_longer_than_the_width_stands_alone() {
        let mut l = Line::new();
        l.text("see https://learn.microsoft.com/azure/backup/transport-layer-security now");
        let text = wrapped(0, 2, &l, Some(30));
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("\n  https://learn"));
    }

    #[test]
    fn wrap_writer_keeps_indentation_and_hangs_numbered_items() {
        let mut w = WrapWriter::new(Vec::new(), 24);
        w.write_all(b"title\n    1. alpha beta gamma delta epsilon\n  short\n")
            .expect("write");
        let out = String::from_utf8(w.into_inner().expect("inner")).expect("utf-8");
        assert_eq!(
            out,
            "title\n    1. alpha beta gamma\n       delta epsilon\n  short\n"
        );
    }

    #[test]
    fn escapes_have_no_width() {
        assert_eq!(visible_len("\x1b[1mbold\x1b[0m"), 4);
    }

    #[test]
    fn truncation_marks_the_cut() {
        let mut l = Line::new();
        l.push("CRITICAL", "31")
            .text(" a-very-long-host-name.example:443");
        let t = l.truncated(20);
        assert_eq!(t.len(), 20);
        assert!(t.plain().ends_with('…'));
        assert!(t.render(true).starts_with("\x1b[31mCRITICAL"));
    }
}
