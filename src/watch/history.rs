//! The `watch` history: a JSON Lines file, one target object (`tlsprobe/v1`, plus `checked_at`
//! and `round`) per target per round.
//!
//! Each line is written with one `write` on a file opened for appending and then fsync'd, so a
//! crash or `kill -9` at any moment leaves only whole lines (at worst the last line is missing).
//! Reading back never fails on content: a line that is not a JSON object (a torn write from
//! another tool, an editor accident) is skipped with a warning naming the file and line.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// Longest history line read back; longer ones are skipped (a target object is a few KiB).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// The last record of each target found in a history file.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Target input → its last record.
    pub last: HashMap<String, Value>,
    /// Records read.
    pub records: usize,
    /// Problems met, each naming the file and line.
    pub warnings: Vec<String>,
}

fn input_error(path: &Path, source: std::io::Error) -> Error {
    Error::Input {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads the last record per target; a missing file is an empty history.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(e) => return Err(input_error(path, e)),
    };
    load_from(BufReader::new(file), &path.display().to_string()).map_err(|e| input_error(path, e))
}

/// Reads history lines from `reader`; `name` prefixes the warnings (`name:LINE: ...`). Fails
/// only on an I/O error.
pub fn load_from<R: BufRead>(mut reader: R, name: &str) -> std::io::Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut line = Vec::new();
    let mut n = 0usize;
    loop {
        line.clear();
        n += 1;
        // Bounded read of one line: at most MAX_LINE_BYTES + 1 bytes are kept.
        let got = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if got == 0 {
            break;
        }
        if line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            loaded.warnings.push(format!(
                "{}:{n}: line longer than {MAX_LINE_BYTES} bytes, skipped",
                name
            ));
            // Skip the rest of the oversized line.
            let mut sink = Vec::new();
            loop {
                sink.clear();
                let more = (&mut reader).take(64 * 1024).read_until(b'\n', &mut sink)?;
                if more == 0 || sink.last() == Some(&b'\n') {
                    break;
                }
            }
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let parsed = serde_json::from_str::<Value>(text);
        let key = parsed.as_ref().ok().and_then(|v| {
            v.pointer("/target/input")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        match (parsed, key) {
            (Ok(v), Some(k)) => {
                loaded.records += 1;
                loaded.last.insert(k, v);
            }
            (Ok(_), None) => loaded.warnings.push(format!(
                "{}:{n}: not a tlsprobe target record (no target.input), skipped",
                name
            )),
            (Err(e), _) => loaded
                .warnings
                .push(format!("{}:{n}: not valid JSON ({e}), skipped", name)),
        }
    }
    Ok(loaded)
}

/// Appends whole lines to a history file, fsync'ing each.
pub struct Appender {
    file: File,
    path: PathBuf,
}

impl Appender {
    /// Opens (or creates) the history for appending; when the file ends without a newline (a
    /// torn last line), starts a new line so the next record is not glued to it.
    pub fn open(path: &Path) -> Result<Appender, Error> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)
            .map_err(|e| input_error(path, e))?;
        let len = file.metadata().map_err(|e| input_error(path, e))?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::End(-1))
                .and_then(|_| file.read_exact(&mut last))
                .map_err(|e| input_error(path, e))?;
            if last[0] != b'\n' {
                file.write_all(b"\n")
                    .and_then(|()| file.sync_data())
                    .map_err(|e| input_error(path, e))?;
            }
        }
        Ok(Appender {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Writes one record as one line, then fsyncs.
    pub fn append(&mut self, record: &Value) -> Result<(), Error> {
        let mut line = serde_json::to_vec(record).map_err(|e| Error::Internal(e.to_string()))?;
        line.push(b'\n');
        let path = &self.path;
        self.file
            .write_all(&line)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| {
                Error::Output(std::io::Error::new(
                    e.kind(),
                    format!("{}: {e}", path.display()),
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torn_and_foreign_lines_are_skipped_and_appends_start_a_new_line() {
        let dir = std::env::temp_dir().join(format!("tlsprobe-hist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("h.jsonl");
        std::fs::write(
            &path,
            "{\"target\":{\"input\":\"a\"},\"round\":1}\n[1,2]\n\n{\"target\":{\"input\":\"a\"},\"round\":2}\n{\"target\":{\"inp",
        )
        .unwrap();
        let l = load(&path).unwrap();
        assert_eq!(l.records, 2);
        assert_eq!(l.warnings.len(), 2, "{:?}", l.warnings);
        assert!(l.warnings[1].contains(":5:"), "{:?}", l.warnings);
        assert_eq!(l.last["a"]["round"], 2);
        let mut a = Appender::open(&path).unwrap();
        a.append(&serde_json::json!({"target": {"input": "a"}, "round": 3}))
            .unwrap();
        let l = load(&path).unwrap();
        assert_eq!(l.last["a"]["round"], 3);
        assert_eq!(l.warnings.len(), 2);
        assert!(load(&dir.join("missing.jsonl")).unwrap().last.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
