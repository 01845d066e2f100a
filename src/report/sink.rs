//! Where a report goes: stdout, or a file that is replaced atomically. A file report is written
//! to a temporary file in the destination's directory and renamed over the destination only
//! when the report is complete ([`Sink::commit`]), so a reader never sees half a report and a
//! failed run leaves the previous file as it was.
//!
//! This module does not format anything; the writers in [`super`] do.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A report destination. Dropping a file sink without [`Sink::commit`] removes the temporary
/// file and leaves the destination untouched.
pub enum Sink {
    /// Standard output.
    Stdout(io::StdoutLock<'static>),
    /// A temporary file that becomes `path` on commit.
    File {
        /// Buffered writer over the temporary file.
        tmp: BufWriter<NamedTempFile>,
        /// The destination.
        path: PathBuf,
    },
}

/// A destination that could not be opened or replaced.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path:?}: {source}")]
pub struct SinkError {
    /// The destination.
    pub path: PathBuf,
    /// The I/O error.
    #[source]
    pub source: io::Error,
}

impl From<SinkError> for crate::error::Error {
    fn from(e: SinkError) -> Self {
        crate::error::Error::OutputFile {
            path: e.path,
            source: e.source,
        }
    }
}

impl Sink {
    /// Standard output.
    pub fn stdout() -> Sink {
        Sink::Stdout(io::stdout().lock())
    }

    /// Opens `path` (`None` = stdout). The temporary file lives beside the destination so the
    /// final rename stays on one file system.
    pub fn open(path: Option<&Path>) -> Result<Sink, SinkError> {
        let Some(path) = path else {
            return Ok(Sink::stdout());
        };
        let fail = |source| SinkError {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if path.is_dir() {
            return Err(fail(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(&dir)
            .map_err(fail)?;
        Ok(Sink::File {
            tmp: BufWriter::new(tmp),
            path: path.to_path_buf(),
        })
    }

    /// Finishes the report: flushes stdout, or syncs the temporary file and renames it over the
    /// destination (keeping the destination's permissions when it existed).
    pub fn commit(self) -> Result<(), SinkError> {
        match self {
            Sink::Stdout(mut out) => out.flush().map_err(|source| SinkError {
                path: PathBuf::from("-"),
                source,
            }),
            Sink::File { tmp, path } => {
                let fail = |source| SinkError {
                    path: path.clone(),
                    source,
                };
                let tmp = tmp.into_inner().map_err(|e| fail(e.into_error()))?;
                tmp.as_file().sync_all().map_err(fail)?;
                set_permissions(tmp.as_file(), &path).map_err(fail)?;
                tmp.persist(&path).map_err(|e| fail(e.error))?;
                Ok(())
            }
        }
    }
}

/// A new report file gets the usual `rw-r--r--`; a replaced one keeps its mode.
fn set_permissions(file: &File, dest: &Path) -> io::Result<()> {
    let perms = match std::fs::metadata(dest) {
        Ok(m) => m.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                return Ok(());
            }
        }
    };
    file.set_permissions(perms)
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(o) => o.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(o) => o.write_all(buf),
            Sink::File { tmp, .. } => tmp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(o) => o.flush(),
            // The file is flushed once, on commit; flushing per target would only cost writes.
            Sink::File { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_appears_only_on_commit_and_replaces_atomically() {
        let dir = tempfile::tempdir().expect("tmpdir");
        let path = dir.path().join("r.json");
        std::fs::write(&path, "old").expect("seed");
        let mut s = Sink::open(Some(&path)).expect("open");
        s.write_all(b"new report").expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        s.commit().expect("commit");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new report");
        // Only the destination is left in the directory.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn dropped_sink_leaves_the_old_file() {
        let dir = tempfile::tempdir().expect("tmpdir");
        let path = dir.path().join("r.html");
        std::fs::write(&path, "old").expect("seed");
        let mut s = Sink::open(Some(&path)).expect("open");
        s.write_all(b"half").expect("write");
        drop(s);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("tmpdir");
        let path = dir.path().join("no/such/dir/r.json");
        let e = Sink::open(Some(&path)).err().expect("error");
        assert!(e.to_string().contains("r.json"), "{e}");
    }
}
