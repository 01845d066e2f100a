//! Throwaway test PKI made with rcgen: a root CA, an optional intermediate and a leaf, written as
//! PEM files to a temporary directory that is removed when the [`Pki`] is dropped.
//!
//! Variants for the certificate checks: expired, not yet valid, wrong host name, self-signed
//! leaf, leaf behind an intermediate, RSA or ECDSA leaf key. RSA keys are generated with the
//! `openssl` command (ring, which rcgen uses here, cannot generate RSA keys). It can also produce
//! a real OCSP response for the leaf with `openssl ocsp`, for stapling tests.
//!
//! It does not make client certificates or CRLs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose, SerialNumber,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

use super::{HarnessError, HarnessResult, TempDir, io_err, run_with_timeout};

/// The names every default leaf carries.
pub const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The name a "wrong host" leaf is issued for.
pub const WRONG_HOST: &str = "wrong-host.tlsprobe.test";

/// Which key the leaf gets (CAs always use ECDSA P-256).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeyKind {
    /// ECDSA on P-256 (fast; what rcgen makes natively).
    #[default]
    EcdsaP256,
    /// RSA 2048, needed for RSA key exchange suites, SSL 3.0 and old TLS 1.0 fixtures.
    Rsa2048,
}

/// The leaf's validity period relative to now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Validity {
    /// From a day ago to 90 days from now.
    #[default]
    Valid,
    /// Ended yesterday.
    Expired,
    /// Starts in 30 days.
    NotYetValid,
}

/// What to generate. Start from [`CertSpec::default`] and adjust with the builder methods.
#[derive(Clone, Debug)]
pub struct CertSpec {
    /// Subject alternative names (DNS names or IP literals).
    pub sans: Vec<String>,
    /// The leaf's key type.
    pub key: KeyKind,
    /// The leaf's validity period.
    pub validity: Validity,
    /// Make the leaf sign itself (no CA at all).
    pub self_signed: bool,
    /// Put an intermediate CA between root and leaf (the chain file then holds both).
    pub intermediate: bool,
}

impl Default for CertSpec {
    fn default() -> Self {
        Self {
            sans: LOCAL_NAMES.iter().map(|s| s.to_string()).collect(),
            key: KeyKind::EcdsaP256,
            validity: Validity::Valid,
            self_signed: false,
            intermediate: false,
        }
    }
}

impl CertSpec {
    /// The leaf expired yesterday.
    pub fn expired(mut self) -> Self {
        self.validity = Validity::Expired;
        self
    }

    /// The leaf becomes valid in 30 days.
    pub fn not_yet_valid(mut self) -> Self {
        self.validity = Validity::NotYetValid;
        self
    }

    /// The leaf names only [`WRONG_HOST`], so it matches none of the loopback names.
    pub fn wrong_host(mut self) -> Self {
        self.sans = vec![WRONG_HOST.to_string()];
        self
    }

    /// The leaf is self-signed.
    pub fn self_signed(mut self) -> Self {
        self.self_signed = true;
        self
    }

    /// The leaf is issued by an intermediate CA.
    pub fn with_intermediate(mut self) -> Self {
        self.intermediate = true;
        self
    }

    /// The leaf has an RSA 2048 key.
    pub fn rsa(mut self) -> Self {
        self.key = KeyKind::Rsa2048;
        self
    }

    /// Replaces the subject alternative names.
    pub fn sans<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.sans = names.into_iter().map(Into::into).collect();
        self
    }
}

/// A generated PKI and its files. Dropping it removes the directory.
#[derive(Debug)]
pub struct Pki {
    dir: TempDir,
    spec: CertSpec,
    serial_hex: String,
    subject_cn: String,
    ca_der: CertificateDer<'static>,
    chain_der: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
}

impl Pki {
    /// A valid ECDSA leaf for localhost, 127.0.0.1 and ::1, issued by a fresh root.
    pub fn localhost() -> HarnessResult<Self> {
        Self::generate(&CertSpec::default())
    }

    /// Generates the PKI `spec` describes and writes `ca.pem`, `leaf.pem`, `chain.pem` (leaf
    /// first, then any intermediate), `key.pem` (PKCS#8) and, when an intermediate is used,
    /// `intermediate.pem`; plus the issuer's key for OCSP signing.
    pub fn generate(spec: &CertSpec) -> HarnessResult<Self> {
        let dir = TempDir::new("pki")?;
        let cert_err = |e: rcgen::Error| HarnessError::Cert(e.to_string());
        let now = OffsetDateTime::now_utc();
        let day = Duration::from_secs(86_400);

        let leaf_key = match spec.key {
            KeyKind::EcdsaP256 => KeyPair::generate().map_err(cert_err)?,
            KeyKind::Rsa2048 => rsa_key(&dir)?,
        };
        let subject_cn = spec
            .sans
            .first()
            .cloned()
            .unwrap_or_else(|| "tlsprobe test leaf".into());
        let mut leaf = CertificateParams::new(spec.sans.clone()).map_err(cert_err)?;
        leaf.distinguished_name = rcgen::DistinguishedName::new();
        leaf.distinguished_name
            .push(DnType::CommonName, subject_cn.clone());
        leaf.distinguished_name
            .push(DnType::OrganizationName, "tlsprobe tests");
        let (not_before, not_after) = match spec.validity {
            Validity::Valid => (now - day, now + day * 90),
            Validity::Expired => (now - day * 60, now - day),
            Validity::NotYetValid => (now + day * 30, now + day * 120),
        };
        leaf.not_before = not_before;
        leaf.not_after = not_after;
        let serial = next_serial();
        let serial_hex = serial
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>();
        leaf.serial_number = Some(SerialNumber::from_slice(&serial));
        leaf.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        leaf.use_authority_key_identifier_extension = !spec.self_signed;

        let key_pem = leaf_key.serialize_pem();
        dir.write("key.pem", &key_pem)?;
        let key_der = leaf_key.serialize_der();

        if spec.self_signed {
            let cert = leaf.self_signed(&leaf_key).map_err(cert_err)?;
            let pem = cert.pem();
            dir.write("leaf.pem", &pem)?;
            dir.write("chain.pem", &pem)?;
            dir.write("ca.pem", &pem)?;
            dir.write("issuer.pem", &pem)?;
            dir.write("issuer-key.pem", &key_pem)?;
            let der = cert.der().clone();
            return Ok(Self {
                dir,
                spec: spec.clone(),
                serial_hex,
                subject_cn,
                ca_der: der.clone(),
                chain_der: vec![der],
                key_der,
            });
        }

        let root_key = KeyPair::generate().map_err(cert_err)?;
        let root_params = ca_params("tlsprobe test root CA", now, day)?;
        let root_cert = root_params.self_signed(&root_key).map_err(cert_err)?;
        dir.write("ca.pem", root_cert.pem())?;
        let root_key_pem = root_key.serialize_pem();
        let root_issuer = Issuer::new(root_params, root_key);

        let (leaf_cert, inter) = if spec.intermediate {
            let inter_key = KeyPair::generate().map_err(cert_err)?;
            let inter_params = ca_params("tlsprobe test intermediate CA", now, day)?;
            let inter_cert = inter_params
                .signed_by(&inter_key, &root_issuer)
                .map_err(cert_err)?;
            let inter_key_pem = inter_key.serialize_pem();
            let inter_issuer = Issuer::new(inter_params, inter_key);
            let leaf_cert = leaf.signed_by(&leaf_key, &inter_issuer).map_err(cert_err)?;
            dir.write("intermediate.pem", inter_cert.pem())?;
            dir.write("issuer.pem", inter_cert.pem())?;
            dir.write("issuer-key.pem", inter_key_pem)?;
            (leaf_cert, Some(inter_cert))
        } else {
            let leaf_cert = leaf.signed_by(&leaf_key, &root_issuer).map_err(cert_err)?;
            dir.write("issuer.pem", root_cert.pem())?;
            dir.write("issuer-key.pem", &root_key_pem)?;
            (leaf_cert, None)
        };
        dir.write("leaf.pem", leaf_cert.pem())?;
        let mut chain_pem = leaf_cert.pem();
        let mut chain_der = vec![leaf_cert.der().clone()];
        if let Some(inter) = &inter {
            chain_pem.push_str(&inter.pem());
            chain_der.push(inter.der().clone());
        }
        dir.write("chain.pem", chain_pem)?;
        Ok(Self {
            dir,
            spec: spec.clone(),
            serial_hex,
            subject_cn,
            ca_der: root_cert.der().clone(),
            chain_der,
            key_der,
        })
    }

    /// The spec this PKI was made from.
    pub fn spec(&self) -> &CertSpec {
        &self.spec
    }

    /// The directory holding the files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The root CA certificate (for a self-signed leaf: the leaf itself), PEM.
    pub fn ca_pem(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// The leaf certificate alone, PEM.
    pub fn leaf_pem(&self) -> PathBuf {
        self.dir.join("leaf.pem")
    }

    /// Leaf then intermediate (if any), PEM: what a server sends.
    pub fn chain_pem(&self) -> PathBuf {
        self.dir.join("chain.pem")
    }

    /// The intermediate CA certificate, PEM, if the spec asked for one.
    pub fn intermediate_pem(&self) -> Option<PathBuf> {
        self.spec
            .intermediate
            .then(|| self.dir.join("intermediate.pem"))
    }

    /// The leaf's private key, PKCS#8 PEM.
    pub fn key_pem(&self) -> PathBuf {
        self.dir.join("key.pem")
    }

    /// The root CA certificate, DER.
    pub fn ca_der(&self) -> CertificateDer<'static> {
        self.ca_der.clone()
    }

    /// Leaf then intermediate (if any), DER.
    pub fn chain_der(&self) -> Vec<CertificateDer<'static>> {
        self.chain_der.clone()
    }

    /// The leaf certificate, DER.
    pub fn leaf_der(&self) -> &[u8] {
        self.chain_der
            .first()
            .map(|c| c.as_ref())
            .unwrap_or_default()
    }

    /// The leaf's private key for rustls.
    pub fn key_der(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }

    /// The leaf's serial number as uppercase hex (as `openssl x509 -serial` prints it).
    pub fn serial_hex(&self) -> &str {
        &self.serial_hex
    }

    /// A DER OCSP response saying "good" for the leaf, signed by its issuer and valid for a day,
    /// made with `openssl ocsp`; written to `ocsp.der` in the PKI's directory.
    pub fn ocsp_response(&self) -> HarnessResult<PathBuf> {
        super::require_tool("openssl")?;
        let expiry = (OffsetDateTime::now_utc() + Duration::from_secs(86_400 * 30))
            .format(time::macros::format_description!(
                "[year repr:last_two][month][day][hour][minute][second]Z"
            ))
            .map_err(|e| HarnessError::Cert(e.to_string()))?;
        let index = format!(
            "V\t{expiry}\t\t{}\tunknown\t/CN={}/O=tlsprobe tests\n",
            self.serial_hex, self.subject_cn
        );
        let index_path = self.dir.write("ocsp-index.txt", index)?;
        let req = self.dir.join("ocsp-req.der");
        let resp = self.dir.join("ocsp.der");
        let mut make_req = Command::new("openssl");
        make_req
            .args(["ocsp", "-no_nonce", "-issuer"])
            .arg(self.dir.join("issuer.pem"))
            .arg("-cert")
            .arg(self.leaf_pem())
            .arg("-reqout")
            .arg(&req);
        run_openssl(make_req, "openssl ocsp -reqout")?;
        let mut make_resp = Command::new("openssl");
        make_resp
            .args(["ocsp", "-ndays", "1", "-index"])
            .arg(&index_path)
            .arg("-rsigner")
            .arg(self.dir.join("issuer.pem"))
            .arg("-rkey")
            .arg(self.dir.join("issuer-key.pem"))
            .arg("-CA")
            .arg(self.dir.join("issuer.pem"))
            .arg("-reqin")
            .arg(&req)
            .arg("-respout")
            .arg(&resp);
        run_openssl(make_resp, "openssl ocsp -respout")?;
        Ok(resp)
    }
}

fn ca_params(cn: &str, now: OffsetDateTime, day: Duration) -> HarnessResult<CertificateParams> {
    let mut params = CertificateParams::new(Vec::<String>::new())
        .map_err(|e| HarnessError::Cert(e.to_string()))?;
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params
        .distinguished_name
        .push(DnType::OrganizationName, "tlsprobe tests");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = now - day * 2;
    params.not_after = now + day * 365;
    Ok(params)
}

/// A serial number unique within this process, positive, 8 bytes, first byte in 0x10..=0x7f so
/// DER and openssl's hex agree.
fn next_serial() -> [u8; 8] {
    static COUNTER: AtomicU32 = AtomicU32::new(1);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let pid = std::process::id();
    let mut s = [0u8; 8];
    s[0] = 0x10 | ((pid as u8) & 0x3f);
    s[1..4].copy_from_slice(&nanos.to_be_bytes()[1..]);
    s[4..].copy_from_slice(&n.to_be_bytes());
    s
}

/// Generates an RSA 2048 key with `openssl genpkey` and loads it into rcgen.
fn rsa_key(dir: &TempDir) -> HarnessResult<KeyPair> {
    super::require_tool("openssl")?;
    let path = dir.join("rsa-key.pem");
    let mut cmd = Command::new("openssl");
    cmd.args([
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
    ])
    .arg(&path);
    run_openssl(cmd, "openssl genpkey")?;
    let pem = std::fs::read_to_string(&path).map_err(io_err(format!("read {}", path.display())))?;
    KeyPair::from_pkcs8_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256)
        .map_err(|e| HarnessError::Cert(format!("load RSA key: {e}")))
}

fn run_openssl(cmd: Command, what: &str) -> HarnessResult<()> {
    let out = run_with_timeout(cmd, Duration::from_secs(60))?;
    if out.code == Some(0) {
        Ok(())
    } else {
        Err(HarnessError::Cert(format!(
            "{what} failed ({:?}): {}",
            out.code, out.stderr
        )))
    }
}
