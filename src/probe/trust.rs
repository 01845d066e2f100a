//! The trust anchors of one run, built once and shared by every handshake.
//!
//! A [`TrustStore`] holds up to four anchor sets, each behind its own webpki verifier:
//!
//! * **configured**: what decides `trusted` in the report: the Mozilla roots of `webpki-roots`
//!   plus every `--ca-file` certificate, or the `--ca-file` certificates alone when the default
//!   roots are switched off;
//! * **public**: `webpki-roots` alone, always present, so that "does this chain lead to a publicly
//!   trusted root?" can be asked even when the default roots are switched off;
//! * **ca-file**: the `--ca-file` certificates alone (absent when none were given);
//! * **system**: the operating system's bundle (`/etc/ssl/certs/ca-certificates.crt` when it
//!   exists). It never decides `trusted`; it only lets interception detection see that a chain
//!   leads to a root someone installed locally (as corporate TLS-inspection set-ups do).
//!
//! This module only loads anchors and runs webpki; it does not classify errors or look at
//! certificates in detail (that is [`crate::probe::cert`]), and it performs no network I/O.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

/// Where Debian, Ubuntu, Alpine and Arch keep the system CA bundle.
pub const SYSTEM_STORE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Largest CA file read, in bytes (the system bundle is about 220 KiB).
const MAX_CA_FILE: u64 = 16 * 1024 * 1024;

/// Why a [`TrustStore`] could not be built. Every variant names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The file could not be opened or read.
    #[error("cannot read CA file {path:?}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than any CA bundle should be.
    #[error("CA file {path:?} is {size} bytes, more than the {max} bytes allowed")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The file holds no `CERTIFICATE` PEM block (and is not a single DER certificate).
    #[error("CA file {path:?} contains no certificates (expected PEM `BEGIN CERTIFICATE` blocks)")]
    NoCertificates {
        /// The file.
        path: PathBuf,
    },
    /// A PEM block could not be decoded.
    #[error("CA file {path:?} has bad PEM: {reason}")]
    BadPem {
        /// The file.
        path: PathBuf,
        /// What the PEM decoder said.
        reason: String,
    },
    /// A certificate was decoded but cannot serve as a trust anchor.
    #[error("CA file {path:?}: certificate #{index} cannot be used as a trust anchor: {reason}")]
    BadCertificate {
        /// The file.
        path: PathBuf,
        /// 1-based position of the certificate in the file.
        index: usize,
        /// What webpki said.
        reason: String,
    },
    /// The default roots were switched off and no `--ca-file` was given.
    #[error("no trust anchors: the default roots are off and no --ca-file was given")]
    NoAnchors,
}

/// One of the anchor sets of a [`TrustStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchors {
    /// The set that decides `trusted`: default roots (unless switched off) plus `--ca-file`.
    Configured,
    /// `webpki-roots` only.
    Public,
    /// `--ca-file` certificates only.
    CaFile,
    /// The operating-system bundle only.
    System,
}

/// Trust anchors of a run; see the module documentation.
pub struct TrustStore {
    provider: Arc<CryptoProvider>,
    configured: Arc<WebPkiServerVerifier>,
    public: Arc<WebPkiServerVerifier>,
    ca_file: Option<Arc<WebPkiServerVerifier>>,
    system: Option<Arc<WebPkiServerVerifier>>,
    default_roots: bool,
    ca_file_count: usize,
    system_count: usize,
}

impl fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TrustStore")
            .field("default_roots", &self.default_roots)
            .field("ca_file_certificates", &self.ca_file_count)
            .field("system_certificates", &self.system_count)
            .finish()
    }
}

impl TrustStore {
    /// Builds the store from `webpki-roots` (unless `no_default_roots`), the `--ca-file`
    /// certificates, and the system bundle at [`SYSTEM_STORE`] when that file exists.
    pub fn new(ca_files: &[PathBuf], no_default_roots: bool) -> Result<Self, TrustError> {
        let system = Path::new(SYSTEM_STORE);
        Self::with_system_store(
            ca_files,
            no_default_roots,
            system.exists().then_some(system),
        )
    }

    /// Like [`TrustStore::new`], with the system bundle taken from `system` (or none).
    ///
    /// An unreadable or unusable system bundle is ignored: it only feeds a heuristic.
    pub fn with_system_store(
        ca_files: &[PathBuf],
        no_default_roots: bool,
        system: Option<&Path>,
    ) -> Result<Self, TrustError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());

        let mut extra = RootCertStore::empty();
        for path in ca_files {
            for (i, der) in load_ca_file(path)?.into_iter().enumerate() {
                extra.add(der).map_err(|e| TrustError::BadCertificate {
                    path: path.clone(),
                    index: i + 1,
                    reason: e.to_string(),
                })?;
            }
        }
        let ca_file_count = extra.len();

        let mut configured = RootCertStore::empty();
        if !no_default_roots {
            configured.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        configured.roots.extend(extra.roots.iter().cloned());
        let configured = verifier(configured, &provider).ok_or(TrustError::NoAnchors)?;

        let mut public = RootCertStore::empty();
        public.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let public = verifier(public, &provider).ok_or(TrustError::NoAnchors)?;

        let ca_file = verifier(extra, &provider);

        let mut system_count = 0;
        let system = system.and_then(|path| {
            let ders = load_ca_file(path).ok()?;
            let mut store = RootCertStore::empty();
            store.add_parsable_certificates(ders);
            system_count = store.len();
            verifier(store, &provider)
        });

        Ok(TrustStore {
            provider,
            configured,
            public,
            ca_file,
            system,
            default_roots: !no_default_roots,
            ca_file_count,
            system_count,
        })
    }

    /// The crypto provider (ring) every handshake of the run uses.
    pub fn provider(&self) -> &Arc<CryptoProvider> {
        &self.provider
    }

    /// Whether the Mozilla roots take part in the `trusted` verdict.
    pub fn uses_default_roots(&self) -> bool {
        self.default_roots
    }

    /// How many anchors came from `--ca-file`.
    pub fn ca_file_count(&self) -> usize {
        self.ca_file_count
    }

    /// How many anchors the system bundle gave (0 when it was absent).
    pub fn system_count(&self) -> usize {
        self.system_count
    }

    /// Whether the given anchor set exists in this store.
    pub fn has(&self, anchors: Anchors) -> bool {
        match anchors {
            Anchors::Configured | Anchors::Public => true,
            Anchors::CaFile => self.ca_file.is_some(),
            Anchors::System => self.system.is_some(),
        }
    }

    /// Verifies `chain` (leaf first) for `name` at `now` against one anchor set, as webpki does
    /// for a TLS server: path to an anchor, validity times, key usage, then the name.
    ///
    /// Returns `None` when that anchor set is absent.
    pub fn verify(
        &self,
        anchors: Anchors,
        chain: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        now: UnixTime,
    ) -> Option<Result<(), rustls::Error>> {
        let verifier = match anchors {
            Anchors::Configured => &self.configured,
            Anchors::Public => &self.public,
            Anchors::CaFile => self.ca_file.as_ref()?,
            Anchors::System => self.system.as_ref()?,
        };
        let Some((leaf, intermediates)) = chain.split_first() else {
            return Some(Err(rustls::Error::NoCertificatesPresented));
        };
        Some(
            verifier
                .verify_server_cert(leaf, intermediates, name, &[], now)
                .map(|_| ()),
        )
    }
}

fn verifier(
    roots: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> Option<Arc<WebPkiServerVerifier>> {
    if roots.is_empty() {
        return None;
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .ok()
}

/// Reads every certificate of a PEM file (or one DER certificate, for a file without PEM).
fn load_ca_file(path: &Path) -> Result<Vec<CertificateDer<'static>>, TrustError> {
    let read_err = |source| TrustError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_CA_FILE {
        return Err(TrustError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_CA_FILE,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    if bytes.starts_with(&[0x30, 0x82]) {
        // A lone DER certificate (SEQUENCE with a two-byte length): accepted as a courtesy.
        return Ok(vec![CertificateDer::from(bytes)]);
    }
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TrustError::BadPem {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TrustError::NoCertificates {
            path: path.to_path_buf(),
        });
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> Self {
            let p =
                std::env::temp_dir().join(format!("tlsprobe-trust-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            TempDir(p)
        }
        fn file(&self, name: &str, body: &[u8]) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, body).unwrap();
            p
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "trust test CA");
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn default_store_has_public_roots_and_no_ca_file() {
        let t = TrustStore::with_system_store(&[], false, None).unwrap();
        assert!(t.uses_default_roots());
        assert_eq!(t.ca_file_count(), 0);
        assert!(!t.has(Anchors::CaFile));
        assert!(!t.has(Anchors::System));
    }

    #[test]
    fn ca_file_is_loaded_alone_or_with_defaults() {
        let d = TempDir::new("ok");
        let two = format!("{}{}", ca_pem(), ca_pem());
        let p = d.file("ca.pem", two.as_bytes());
        let t = TrustStore::with_system_store(std::slice::from_ref(&p), true, None).unwrap();
        assert_eq!(t.ca_file_count(), 2);
        assert!(!t.uses_default_roots());
        assert!(t.has(Anchors::CaFile));
    }

    #[test]
    fn errors_name_the_file() {
        let d = TempDir::new("bad");
        let missing = d.0.join("missing.pem");
        let e =
            TrustStore::with_system_store(std::slice::from_ref(&missing), false, None).unwrap_err();
        assert!(matches!(e, TrustError::Read { .. }));
        assert!(e.to_string().contains("missing.pem"));

        let empty = d.file("empty.pem", b"just text\n");
        let e = TrustStore::with_system_store(&[empty], false, None).unwrap_err();
        assert!(matches!(e, TrustError::NoCertificates { .. }), "{e}");
        assert!(e.to_string().contains("empty.pem"));

        let broken = d.file(
            "broken.pem",
            b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        );
        let e = TrustStore::with_system_store(&[broken], false, None).unwrap_err();
        assert!(matches!(e, TrustError::BadPem { .. }), "{e}");

        let junk = d.file(
            "junk.pem",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        );
        let e = TrustStore::with_system_store(&[junk], false, None).unwrap_err();
        assert!(
            matches!(e, TrustError::BadCertificate { index: 1, .. }),
            "{e}"
        );
    }

    #[test]
    fn no_default_roots_needs_a_ca_file() {
        let e = TrustStore::with_system_store(&[], true, None).unwrap_err();
        assert!(matches!(e, TrustError::NoAnchors));
    }

    #[test]
    fn unusable_system_store_is_ignored() {
        let d = TempDir::new("sys");
        let sys = d.file("bundle.crt", b"nothing here");
        let t = TrustStore::with_system_store(&[], false, Some(&sys)).unwrap();
        assert!(!t.has(Anchors::System));
        let sys = d.file("bundle2.crt", ca_pem().as_bytes());
        let t = TrustStore::with_system_store(&[], false, Some(&sys)).unwrap();
        assert!(t.has(Anchors::System));
        assert_eq!(t.system_count(), 1);
    }
}
