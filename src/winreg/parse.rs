//! Decoding and parsing of one `.reg` file.

/// How the file's bytes were encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16LE with a byte-order mark (what `reg export` and regedit write).
    Utf16LeBom,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-8 (or plain ASCII) without a BOM.
    Utf8,
    /// Windows-1252 / Latin-1 bytes (a `REGEDIT4` file that is not UTF-8).
    Ansi,
}

impl Encoding {
    /// A few words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Encoding::Utf16LeBom => "UTF-16LE with BOM",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf8 => "UTF-8",
            Encoding::Ansi => "ANSI (Windows-1252)",
        }
    }
}

/// Which header the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `Windows Registry Editor Version 5.00`.
    Regedit5,
    /// `REGEDIT4`.
    Regedit4,
}

/// A registry value's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `dword:` (REG_DWORD), or `hex(4):` with four bytes.
    Dword(u32),
    /// `hex(b):` with eight bytes (REG_QWORD).
    Qword(u64),
    /// `"text"` (REG_SZ).
    String(String),
    /// `hex(2):` (REG_EXPAND_SZ), decoded.
    ExpandString(String),
    /// `hex(7):` (REG_MULTI_SZ), decoded.
    MultiString(Vec<String>),
    /// `hex:` (REG_BINARY) or any other `hex(N):` type, as bytes.
    Binary {
        /// The registry type number (3 for `hex:`).
        kind: u32,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl Value {
    /// The registry type name (`REG_DWORD`, ...).
    pub fn type_name(&self) -> String {
        match self {
            Value::Dword(_) => "REG_DWORD".into(),
            Value::Qword(_) => "REG_QWORD".into(),
            Value::String(_) => "REG_SZ".into(),
            Value::ExpandString(_) => "REG_EXPAND_SZ".into(),
            Value::MultiString(_) => "REG_MULTI_SZ".into(),
            Value::Binary { kind: 3, .. } => "REG_BINARY".into(),
            Value::Binary { kind: 0, .. } => "REG_NONE".into(),
            Value::Binary { kind, .. } => format!("type {kind}"),
        }
    }

    /// The data as written in a `.reg` file's right-hand side.
    pub fn display(&self) -> String {
        match self {
            Value::Dword(v) => format!("dword:{v:08x}"),
            Value::Qword(v) => format!("qword 0x{v:x}"),
            Value::String(s) | Value::ExpandString(s) => format!("{s:?}"),
            Value::MultiString(v) => format!("{v:?}"),
            Value::Binary { bytes, .. } => format!("{} bytes", bytes.len()),
        }
    }
}

/// One operation of a file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// `[KEY]`: the key exists (possibly with no values).
    AddKey {
        /// Key path as written.
        key: String,
        /// Line number (1-based).
        line: usize,
    },
    /// `[-KEY]`: delete the key and its subkeys.
    DeleteKey {
        /// Key path as written.
        key: String,
        /// Line number.
        line: usize,
    },
    /// `"Name"=data` under the current key.
    SetValue {
        /// The current key.
        key: String,
        /// Value name (`""` for `@`).
        name: String,
        /// The data.
        value: Value,
        /// Line number of the line the value starts on.
        line: usize,
    },
    /// `"Name"=-` under the current key.
    DeleteValue {
        /// The current key.
        key: String,
        /// Value name.
        name: String,
        /// Line number.
        line: usize,
    },
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegFile {
    /// How it was encoded.
    pub encoding: Encoding,
    /// Which header it has.
    pub format: Format,
    /// Its operations in order.
    pub ops: Vec<Op>,
}

/// Why a file cannot be used, and on which line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number (1 for encoding problems before any line).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

const HEADER5: &str = "Windows Registry Editor Version 5.00";
const HEADER4: &str = "REGEDIT4";
/// Longest logical line (continuations joined) accepted.
const MAX_LOGICAL_LINE: usize = 1 << 20;

/// Decodes and parses one `.reg` file.
pub fn parse(bytes: &[u8]) -> Result<RegFile, ParseError> {
    let (text, encoding) = decode(bytes)?;
    parse_text(&text, encoding)
}

fn line_of(text: &str) -> usize {
    1 + text.matches('\n').count()
}

fn decode(bytes: &[u8]) -> Result<(String, Encoding), ParseError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        if rest.len() % 2 != 0 {
            let partial = decode_utf16_lossy_prefix(rest);
            return Err(err(
                line_of(&partial),
                "UTF-16LE text with an odd number of bytes (the file is cut off)",
            ));
        }
        let units = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        let mut out = String::with_capacity(rest.len() / 2);
        for ch in char::decode_utf16(units) {
            match ch {
                Ok(c) => out.push(c),
                Err(_) => {
                    return Err(err(
                        line_of(&out),
                        "invalid UTF-16LE (an unpaired surrogate)",
                    ));
                }
            }
        }
        return Ok((out, Encoding::Utf16LeBom));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(err(
            1,
            "UTF-16 big-endian is not a format reg.exe or regedit writes; save the file as UTF-16LE or UTF-8",
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8Bom)),
            Err(e) => Err(bad_utf8(rest, e)),
        };
    }
    // UTF-16LE without a BOM starts with 'W' 0 or 'R' 0.
    if bytes.len() >= 2 && bytes[1] == 0 && bytes[0] != 0 {
        return Err(err(
            1,
            "looks like UTF-16LE without a byte-order mark; export again with `reg export` or save with a BOM",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => {
            // REGEDIT4 files are ANSI: accept them as Windows-1252 (Latin-1 for the purpose of
            // key and value names, which are ASCII for everything audited).
            let head: Vec<u8> = bytes.iter().take(16).copied().collect();
            if String::from_utf8_lossy(&head)
                .trim_start()
                .starts_with(HEADER4)
            {
                Ok((bytes.iter().map(|&b| b as char).collect(), Encoding::Ansi))
            } else {
                Err(bad_utf8(bytes, e))
            }
        }
    }
}

fn decode_utf16_lossy_prefix(rest: &[u8]) -> String {
    let units = rest
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect()
}

fn bad_utf8(bytes: &[u8], e: std::str::Utf8Error) -> ParseError {
    let good = &bytes[..e.valid_up_to()];
    let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
    err(
        line,
        "not valid UTF-8 (and no UTF-16 byte-order mark): export with `reg export`, or save as UTF-8 or UTF-16LE",
    )
}

/// The file's physical lines with their 1-based numbers (CRLF, LF or CR endings).
fn physical_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut n = 1;
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\r', '\n']).unwrap_or(rest.len());
        out.push((n, &rest[..end]));
        let mut skip = end;
        if rest[end..].starts_with("\r\n") {
            skip += 2;
        } else if end < rest.len() {
            skip += 1;
        }
        rest = &rest[skip..];
        n += 1;
    }
    out
}

fn parse_text(text: &str, encoding: Encoding) -> Result<RegFile, ParseError> {
    let lines = physical_lines(text);
    let mut iter = lines.iter().peekable();
    // Header: the first non-blank line.
    let format = loop {
        let Some((n, l)) = iter.next() else {
            return Err(err(
                1,
                "empty file: expected the header `Windows Registry Editor Version 5.00` or `REGEDIT4`",
            ));
        };
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if t.eq_ignore_ascii_case(HEADER5) {
            break Format::Regedit5;
        }
        if t.eq_ignore_ascii_case(HEADER4) {
            break Format::Regedit4;
        }
        let shown: String = t.chars().take(60).collect();
        return Err(err(
            *n,
            format!(
                "bad header {shown:?}: expected `Windows Registry Editor Version 5.00` or `REGEDIT4`"
            ),
        ));
    };
    let mut ops = Vec::new();
    let mut current: Option<String> = None;
    while let Some((n, l)) = iter.next() {
        let start = *n;
        let mut logical = l.trim().to_string();
        // `\` at the end continues the line (regedit wraps long hex data this way).
        while logical.ends_with('\\') && !is_key_line(&logical) && !logical.starts_with(';') {
            logical.pop();
            match iter.next() {
                Some((_, next)) => logical.push_str(next.trim()),
                None => {
                    return Err(err(
                        start,
                        "line continues (ends with `\\`) past the end of the file",
                    ));
                }
            }
            if logical.len() > MAX_LOGICAL_LINE {
                return Err(err(start, "continued line longer than 1 MiB"));
            }
        }
        let t = logical.as_str();
        if t.is_empty() || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') {
            let Some(inner) = t.strip_suffix(']') else {
                return Err(err(start, "key line does not end with `]`"));
            };
            let inner = &inner[1..];
            if let Some(del) = inner.strip_prefix('-') {
                let key = del.trim().to_string();
                check_key(&key, start)?;
                ops.push(Op::DeleteKey { key, line: start });
                // Values after a deleted key belong to nothing.
                current = None;
            } else {
                let key = inner.trim().to_string();
                check_key(&key, start)?;
                ops.push(Op::AddKey {
                    key: key.clone(),
                    line: start,
                });
                current = Some(key);
            }
            continue;
        }
        let (name, rhs) = split_value_line(t, start)?;
        let Some(key) = current.clone() else {
            return Err(err(
                start,
                "value line outside of a key (no `[KEY]` above it, or the key was deleted)",
            ));
        };
        let rhs = rhs.trim();
        if rhs == "-" {
            ops.push(Op::DeleteValue {
                key,
                name,
                line: start,
            });
            continue;
        }
        let value = parse_data(rhs, format, start)?;
        ops.push(Op::SetValue {
            key,
            name,
            value,
            line: start,
        });
    }
    Ok(RegFile {
        encoding,
        format,
        ops,
    })
}

fn is_key_line(t: &str) -> bool {
    t.starts_with('[')
}

fn check_key(key: &str, line: usize) -> Result<(), ParseError> {
    if key.is_empty() {
        return Err(err(line, "empty key name"));
    }
    let root = key
        .split('\\')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !root.starts_with("HKEY_")
        && !matches!(root.as_str(), "HKLM" | "HKCU" | "HKCR" | "HKU" | "HKCC")
    {
        return Err(err(
            line,
            format!("key {key:?} does not start with a registry root such as HKEY_LOCAL_MACHINE"),
        ));
    }
    Ok(())
}

/// Splits `"Name"=rest` or `@=rest`, unescaping the name.
fn split_value_line(t: &str, line: usize) -> Result<(String, &str), ParseError> {
    if let Some(rest) = t.strip_prefix('@') {
        let rest = rest.trim_start();
        let Some(rhs) = rest.strip_prefix('=') else {
            return Err(err(line, "expected `=` after `@`"));
        };
        return Ok((String::new(), rhs));
    }
    if !t.starts_with('"') {
        let shown: String = t.chars().take(40).collect();
        return Err(err(
            line,
            format!(
                "malformed line {shown:?}: expected `[KEY]`, `\"Name\"=value`, `@=value` or a `;` comment"
            ),
        ));
    }
    let (name, after) = quoted(&t[1..], line)?;
    let after = after.trim_start();
    let Some(rhs) = after.strip_prefix('=') else {
        return Err(err(
            line,
            format!("expected `=` after the value name \"{name}\""),
        ));
    };
    Ok((name, rhs))
}

/// Reads a quoted string body (after the opening quote) with `\\` and `\"` escapes; returns
/// it and what follows the closing quote.
fn quoted(s: &str, line: usize) -> Result<(String, &str), ParseError> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '0')) => out.push('\0'),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => break,
            },
            c => out.push(c),
        }
    }
    Err(err(line, "unterminated quoted string"))
}

fn parse_data(rhs: &str, format: Format, line: usize) -> Result<Value, ParseError> {
    if let Some(body) = rhs.strip_prefix('"') {
        let (s, rest) = quoted(body, line)?;
        if !rest.trim().is_empty() && !rest.trim().starts_with(';') {
            return Err(err(line, "unexpected text after the closing quote"));
        }
        return Ok(Value::String(s));
    }
    let lower = rhs.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("dword:") {
        let hex = hex.trim();
        if hex.is_empty() || hex.len() > 8 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(err(
                line,
                format!("bad dword data {hex:?}: expected up to 8 hex digits"),
            ));
        }
        return u32::from_str_radix(hex, 16)
            .map(Value::Dword)
            .map_err(|_| err(line, "bad dword data"));
    }
    let (kind, list) = if let Some(l) = lower.strip_prefix("hex:") {
        (3u32, l)
    } else if let Some(r) = lower.strip_prefix("hex(") {
        let Some((k, l)) = r.split_once("):") else {
            return Err(err(line, "bad hex(N): type"));
        };
        let kind = u32::from_str_radix(k.trim(), 16)
            .map_err(|_| err(line, format!("bad registry type hex({k})")))?;
        (kind, l)
    } else {
        let shown: String = rhs.chars().take(30).collect();
        return Err(err(
            line,
            format!(
                "unexpected value type {shown:?}: expected \"text\", dword:, hex:, hex(N): or -"
            ),
        ));
    };
    let bytes = hex_bytes(list, line)?;
    let value = match kind {
        4 => Value::Dword(u32::from_le_bytes(fixed::<4>(
            &bytes,
            line,
            "hex(4) (REG_DWORD)",
        )?)),
        0xb => Value::Qword(u64::from_le_bytes(fixed::<8>(
            &bytes,
            line,
            "hex(b) (REG_QWORD)",
        )?)),
        2 => Value::ExpandString(text_of(&bytes, format).join("")),
        7 => Value::MultiString(text_of(&bytes, format)),
        1 => Value::String(text_of(&bytes, format).join("")),
        k => Value::Binary { kind: k, bytes },
    };
    Ok(value)
}

fn fixed<const N: usize>(bytes: &[u8], line: usize, what: &str) -> Result<[u8; N], ParseError> {
    <[u8; N]>::try_from(bytes).map_err(|_| {
        err(
            line,
            format!("{what} needs exactly {N} bytes, found {}", bytes.len()),
        )
    })
}

fn hex_bytes(list: &str, line: usize) -> Result<Vec<u8>, ParseError> {
    let list = list.trim();
    if list.is_empty() {
        return Ok(Vec::new());
    }
    list.split(',')
        .map(|b| {
            let b = b.trim();
            if b.is_empty() || b.len() > 2 {
                return Err(err(line, format!("bad hex byte {b:?}")));
            }
            u8::from_str_radix(b, 16).map_err(|_| err(line, format!("bad hex byte {b:?}")))
        })
        .collect()
}

/// Strings of REG_SZ-family data: UTF-16LE in version 5 files, ANSI in REGEDIT4.
fn text_of(bytes: &[u8], format: Format) -> Vec<String> {
    let s: String = match format {
        Format::Regedit5 => {
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect()
        }
        Format::Regedit4 => bytes.iter().map(|&b| b as char).collect(),
    };
    let mut parts: Vec<String> = s.split('\0').map(str::to_string).collect();
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts
}
