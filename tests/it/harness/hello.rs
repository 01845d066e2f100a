//! Canned ClientHello bytes and a small bounded ClientHello peek parser.
//!
//! The builder makes a plausible hello for SSL 3.0 .. TLS 1.3 (for 1.3: supported_versions and an
//! x25519 key share of fixed bytes), enough for a real server to answer with its ServerHello or an
//! alert. The parser extracts what the hostile servers decide on: the highest offered version,
//! the SNI name and the session id. Both are test helpers, not the product's codec (`src/wire`):
//! no full validation, no encryption, and every read is bounds-checked so any input is safe.

use std::io::{self, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// SSL 3.0 wire version.
pub const SSL3: u16 = 0x0300;
/// TLS 1.0 wire version.
pub const TLS10: u16 = 0x0301;
/// TLS 1.1 wire version.
pub const TLS11: u16 = 0x0302;
/// TLS 1.2 wire version.
pub const TLS12: u16 = 0x0303;
/// TLS 1.3 wire version.
pub const TLS13: u16 = 0x0304;

/// Largest hello the reader accepts (bytes of records).
pub const MAX_HELLO: usize = 64 * 1024;

/// TLS 1.3 suites offered in a 1.3 hello.
const TLS13_SUITES: [u16; 3] = [0x1301, 0x1302, 0x1303];
/// Suites for TLS 1.0-1.2 and SSL 3.0 hellos: ECDHE AEAD, ECDHE CBC, RSA kx CBC, 3DES.
const LEGACY_SUITES: [u16; 15] = [
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c, 0x009d,
    0x002f, 0x0035, 0x000a,
];

/// Builds one handshake record holding a ClientHello that offers up to `version` (one of the
/// constants above), with an SNI extension when `sni` is given (ignored for SSL 3.0, which gets
/// no extensions at all).
pub fn client_hello(version: u16, sni: Option<&str>) -> Vec<u8> {
    let suites: Vec<u16> = if version >= TLS13 {
        TLS13_SUITES
            .iter()
            .chain(LEGACY_SUITES.iter())
            .copied()
            .collect()
    } else {
        LEGACY_SUITES.to_vec()
    };
    client_hello_with_suites(version, sni, &suites)
}

/// As [`client_hello`], offering exactly `suites`.
pub fn client_hello_with_suites(version: u16, sni: Option<&str>, suites: &[u16]) -> Vec<u8> {
    let mut body = Vec::new();
    let legacy_version = version.min(TLS12);
    put_u16(&mut body, legacy_version);
    body.extend((0..32u8).map(|i| i.wrapping_mul(7).wrapping_add(0x5a)));
    if version >= TLS13 {
        body.push(32);
        body.extend([0xa5u8; 32]);
    } else {
        body.push(0);
    }
    put_u16(&mut body, (suites.len() * 2) as u16);
    for s in suites {
        put_u16(&mut body, *s);
    }
    body.extend([1, 0]); // compression: null only
    if version > SSL3 {
        let ext = extensions(version, sni);
        put_u16(&mut body, ext.len() as u16);
        body.extend(ext);
    }
    let mut hs = vec![1];
    put_u24(&mut hs, body.len());
    hs.extend(body);
    record(0x16, version.min(TLS10), &hs)
}

fn extensions(version: u16, sni: Option<&str>) -> Vec<u8> {
    let mut ext = Vec::new();
    if let Some(name) = sni {
        let mut list = vec![0]; // host_name
        put_u16(&mut list, name.len() as u16);
        list.extend(name.as_bytes());
        let mut data = Vec::new();
        put_u16(&mut data, list.len() as u16);
        data.extend(list);
        put_ext(&mut ext, 0x0000, &data);
    }
    put_ext(
        &mut ext,
        0x000a,
        &[0, 6, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18],
    );
    put_ext(&mut ext, 0x000b, &[1, 0]);
    if version >= TLS12 {
        let algs: [u16; 10] = [
            0x0403, 0x0503, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203,
        ];
        let mut data = Vec::new();
        put_u16(&mut data, (algs.len() * 2) as u16);
        for a in algs {
            put_u16(&mut data, a);
        }
        put_ext(&mut ext, 0x000d, &data);
    }
    put_ext(&mut ext, 0xff01, &[0]);
    if version >= TLS13 {
        put_ext(&mut ext, 0x002b, &[4, 0x03, 0x04, 0x03, 0x03]);
        put_ext(&mut ext, 0x002d, &[1, 1]);
        let mut ks = Vec::new();
        put_u16(&mut ks, 36);
        put_u16(&mut ks, 0x001d);
        put_u16(&mut ks, 32);
        ks.extend((0..32u8).map(|i| i.wrapping_mul(13).wrapping_add(9)));
        put_ext(&mut ext, 0x0033, &ks);
    }
    ext
}

/// A TLS record: type, version, 16-bit length, payload.
pub fn record(content_type: u8, version: u16, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![content_type];
    put_u16(&mut r, version);
    put_u16(&mut r, payload.len() as u16);
    r.extend(payload);
    r
}

/// Appends a big-endian u16.
pub fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend(v.to_be_bytes());
}

/// Appends a big-endian u24 (the low 24 bits of `v`).
pub fn put_u24(out: &mut Vec<u8>, v: usize) {
    let b = (v as u32).to_be_bytes();
    out.extend(&b[1..]);
}

fn put_ext(out: &mut Vec<u8>, ty: u16, data: &[u8]) {
    put_u16(out, ty);
    put_u16(out, data.len() as u16);
    out.extend(data);
}

/// What a ClientHello offered, as far as the hostile servers care.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelloInfo {
    /// The hello came in SSL 2.0 format.
    pub sslv2: bool,
    /// The record layer version (0 for SSL 2.0 format).
    pub record_version: u16,
    /// `legacy_version` (client_version).
    pub legacy_version: u16,
    /// The supported_versions extension's list, GREASE values removed; empty when absent.
    pub supported_versions: Vec<u16>,
    /// The host name from the server_name extension.
    pub sni: Option<String>,
    /// `legacy_session_id`.
    pub session_id: Vec<u8>,
    /// Offered cipher suites (for SSL 2.0 format: the 3-byte specs whose first byte is 0).
    pub cipher_suites: Vec<u16>,
}

impl HelloInfo {
    /// The highest version offered: the top of supported_versions if present, else
    /// legacy_version.
    pub fn max_version(&self) -> u16 {
        self.supported_versions
            .iter()
            .copied()
            .max()
            .unwrap_or(self.legacy_version)
    }
}

/// Whether a 16-bit value is a GREASE code point (RFC 8701).
pub fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && (v >> 8) == (v & 0xff)
}

/// Bounds-checked cursor.
struct Cur<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cur<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|s| s.first().copied())
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|s| u16::from_be_bytes([s[0], s[1]]))
    }
    fn u24(&mut self) -> Option<usize> {
        self.take(3)
            .map(|s| (usize::from(s[0]) << 16) | (usize::from(s[1]) << 8) | usize::from(s[2]))
    }
    fn vec8(&mut self) -> Option<&'a [u8]> {
        let n = self.u8()?;
        self.take(n.into())
    }
    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(n.into())
    }
    fn rest(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
}

/// The state of a partly read ClientHello.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelloProgress {
    /// More bytes are needed.
    NeedMore,
    /// The first `n` bytes hold the whole hello (SSL 2.0 record, or the records that carry the
    /// ClientHello handshake message).
    Complete(usize),
    /// Not a ClientHello.
    Invalid,
}

/// Decides whether `buf` (bytes read from a client so far) holds a complete ClientHello.
pub fn hello_progress(buf: &[u8]) -> HelloProgress {
    let Some(&first) = buf.first() else {
        return HelloProgress::NeedMore;
    };
    if first & 0x80 != 0 {
        let Some(second) = buf.get(1) else {
            return HelloProgress::NeedMore;
        };
        let len = (usize::from(first & 0x7f) << 8) | usize::from(*second);
        return if buf.len() >= 2 + len {
            HelloProgress::Complete(2 + len)
        } else {
            HelloProgress::NeedMore
        };
    }
    if first != 0x16 && first != 0x14 {
        return HelloProgress::Invalid;
    }
    match reassemble(buf) {
        Reassembled::Done { consumed, .. } => HelloProgress::Complete(consumed),
        Reassembled::NeedMore => HelloProgress::NeedMore,
        Reassembled::Invalid => HelloProgress::Invalid,
    }
}

enum Reassembled {
    Done {
        consumed: usize,
        record_version: u16,
        message: Vec<u8>,
    },
    NeedMore,
    Invalid,
}

/// Joins handshake record payloads until the first handshake message is complete.
fn reassemble(buf: &[u8]) -> Reassembled {
    let mut cur = Cur::new(buf);
    let mut payload = Vec::new();
    let mut record_version = 0;
    loop {
        if cur.rest() < 5 {
            return Reassembled::NeedMore;
        }
        let (Some(ty), Some(ver), Some(len)) = (cur.u8(), cur.u16(), cur.u16()) else {
            return Reassembled::NeedMore;
        };
        if ty == 0x14 && payload.is_empty() {
            // A change_cipher_spec record sent for middlebox compatibility before a second
            // ClientHello (after a HelloRetryRequest): skip it.
            if cur.take(len.into()).is_none() {
                return Reassembled::NeedMore;
            }
            continue;
        }
        if ty != 0x16 || len == 0 || usize::from(len) > 16_384 + 2048 {
            return Reassembled::Invalid;
        }
        if record_version == 0 {
            record_version = ver;
        }
        let Some(frag) = cur.take(len.into()) else {
            return Reassembled::NeedMore;
        };
        payload.extend_from_slice(frag);
        if payload.len() > MAX_HELLO {
            return Reassembled::Invalid;
        }
        if payload.len() >= 4 {
            let need = (usize::from(payload[1]) << 16)
                | (usize::from(payload[2]) << 8)
                | usize::from(payload[3]);
            if payload[0] != 1 {
                return Reassembled::Invalid;
            }
            if payload.len() >= 4 + need {
                payload.truncate(4 + need);
                return Reassembled::Done {
                    consumed: cur.pos,
                    record_version,
                    message: payload,
                };
            }
        }
    }
}

/// Parses a complete ClientHello (SSL 2.0 format or TLS records); `None` if it is not one.
pub fn parse_client_hello(buf: &[u8]) -> Option<HelloInfo> {
    let first = *buf.first()?;
    if first & 0x80 != 0 {
        return parse_sslv2(buf);
    }
    let Reassembled::Done {
        record_version,
        message,
        ..
    } = reassemble(buf)
    else {
        return None;
    };
    let mut c = Cur::new(&message);
    if c.u8()? != 1 {
        return None;
    }
    let len = c.u24()?;
    let mut c = Cur::new(c.take(len)?);
    let mut info = HelloInfo {
        record_version,
        legacy_version: c.u16()?,
        ..HelloInfo::default()
    };
    c.take(32)?;
    info.session_id = c.vec8()?.to_vec();
    let mut suites = Cur::new(c.vec16()?);
    while let Some(s) = suites.u16() {
        info.cipher_suites.push(s);
    }
    c.vec8()?; // compression methods
    if c.rest() == 0 {
        return Some(info);
    }
    let mut exts = Cur::new(c.vec16()?);
    while exts.rest() > 0 {
        let ty = exts.u16()?;
        let mut data = Cur::new(exts.vec16()?);
        match ty {
            0x0000 => {
                let mut list = Cur::new(data.vec16()?);
                while list.rest() > 0 {
                    let kind = list.u8()?;
                    let name = list.vec16()?;
                    if kind == 0 && info.sni.is_none() {
                        info.sni = Some(String::from_utf8_lossy(name).into_owned());
                    }
                }
            }
            0x002b => {
                let mut list = Cur::new(data.vec8()?);
                while let Some(v) = list.u16() {
                    if !is_grease(v) {
                        info.supported_versions.push(v);
                    }
                }
            }
            _ => {}
        }
    }
    Some(info)
}

fn parse_sslv2(buf: &[u8]) -> Option<HelloInfo> {
    let mut c = Cur::new(buf);
    let hi = c.u8()?;
    let lo = c.u8()?;
    let len = (usize::from(hi & 0x7f) << 8) | usize::from(lo);
    let mut c = Cur::new(c.take(len)?);
    if c.u8()? != 1 {
        return None;
    }
    let version = c.u16()?;
    let specs_len = c.u16()?;
    let sid_len = c.u16()?;
    let challenge_len = c.u16()?;
    let mut specs = Cur::new(c.take(specs_len.into())?);
    let session_id = c.take(sid_len.into())?.to_vec();
    c.take(challenge_len.into())?;
    let mut cipher_suites = Vec::new();
    while let Some(spec) = specs.take(3) {
        if spec[0] == 0 {
            cipher_suites.push(u16::from_be_bytes([spec[1], spec[2]]));
        }
    }
    Some(HelloInfo {
        sslv2: true,
        record_version: 0,
        legacy_version: version,
        supported_versions: Vec::new(),
        sni: None,
        session_id,
        cipher_suites,
    })
}

/// Reads from `stream` until a complete ClientHello has arrived, the peer closes, `timeout`
/// passes or [`MAX_HELLO`] bytes are buffered. Returns what was read (possibly incomplete).
pub fn read_client_hello(stream: &mut TcpStream, timeout: Duration) -> io::Result<Vec<u8>> {
    let deadline = Instant::now() + timeout;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match hello_progress(&buf) {
            HelloProgress::Complete(_) | HelloProgress::Invalid => return Ok(buf),
            HelloProgress::NeedMore => {}
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || buf.len() >= MAX_HELLO {
            return Ok(buf);
        }
        stream.set_read_timeout(Some(left.min(Duration::from_millis(200))))?;
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(buf),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_hellos_parse_back() {
        for v in [SSL3, TLS10, TLS11, TLS12, TLS13] {
            let h = client_hello(v, Some("example.test"));
            assert_eq!(hello_progress(&h), HelloProgress::Complete(h.len()));
            let info = parse_client_hello(&h).expect("parses");
            assert_eq!(info.max_version(), v);
            assert_eq!(info.sni.as_deref(), (v > SSL3).then_some("example.test"));
        }
    }

    #[test]
    fn every_truncation_is_need_more_and_never_panics() {
        let h = client_hello(TLS13, Some("a.test"));
        for cut in 0..h.len() {
            assert_eq!(
                hello_progress(&h[..cut]),
                HelloProgress::NeedMore,
                "cut {cut}"
            );
            assert_eq!(parse_client_hello(&h[..cut]), None);
        }
    }

    #[test]
    fn hello_split_across_two_records_is_reassembled() {
        let h = client_hello(TLS12, None);
        let msg = &h[5..];
        let (a, b) = msg.split_at(10);
        let mut two = record(0x16, TLS10, a);
        two.extend(record(0x16, TLS10, b));
        assert_eq!(hello_progress(&two), HelloProgress::Complete(two.len()));
        assert_eq!(
            parse_client_hello(&two).map(|i| i.max_version()),
            Some(TLS12)
        );
    }

    #[test]
    fn grease_is_recognised() {
        assert!(is_grease(0x0a0a) && is_grease(0xfafa));
        assert!(!is_grease(0x0304) && !is_grease(0x0a1a));
    }
}
