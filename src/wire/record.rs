//! Turning a server's byte stream into messages: records, handshake reassembly, alerts, the SSL 2.0
//! SERVER-HELLO, and a first guess at what a non-TLS answer is ([`sniff`]).
//!
//! [`MessageReader`] is fed whatever the socket produced and hands out whole messages. Its
//! buffers are bounded: records and handshake messages have maximum sizes (checked from their
//! headers, before anything is buffered), and input fed faster than it is drained is cut at a
//! fixed limit. After the first error the reader stays failed and frees its buffers.
//!
//! It does not decrypt: in TLS ≤ 1.2, once a ChangeCipherSpec has been received, handshake
//! records (and alert records that are not plain two-byte alerts) are reported as
//! [`Message::ApplicationData`], as are the application_data records that carry everything after a
//! TLS 1.3 ServerHello. Once a ServerHello or HelloRetryRequest selecting TLS 1.3 has been read, a
//! ChangeCipherSpec is the middlebox-compatibility no-op and changes nothing (so the ServerHello
//! that follows a HelloRetryRequest is still read in clear). It does not
//! parse the handshake bodies (see `server_hello`, `certificate`, …) and keeps no connection state
//! beyond the framing.

use std::collections::VecDeque;

use super::codec::{DecodeError, Reader};
use super::content_type;
use super::server_hello::{SSLV2_ERROR, SSLV2_SERVER_HELLO, ServerHello, SslV2ServerHello};

/// Default largest record payload: 2^14 plus the 2048 bytes of expansion TLS 1.2 allows.
pub const DEFAULT_MAX_RECORD: usize = (1 << 14) + 2048;
/// Default largest handshake message body (64 KiB).
pub const DEFAULT_MAX_HANDSHAKE: usize = 1 << 16;
/// Largest SSL 2.0 record with a two-byte header.
const MAX_SSLV2_RECORD: usize = 0x7FFF;
/// Bytes kept between drains beyond one maximal record (callers should drain after each feed).
const FEED_SLACK: usize = 1 << 17;

/// One thing a server sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A handshake message, reassembled across records (several may share one record).
    Handshake {
        /// Handshake type (see [`super::handshake_type`]).
        typ: u8,
        /// The body after the 4-byte header.
        body: Vec<u8>,
    },
    /// A plaintext alert.
    Alert {
        /// 1 = warning, 2 = fatal.
        level: u8,
        /// Alert description code point.
        description: u8,
    },
    /// A ChangeCipherSpec record (everything after it is treated as encrypted).
    ChangeCipherSpec,
    /// An application_data record, or any record received encrypted; only its length is kept.
    ApplicationData {
        /// Payload length.
        len: usize,
    },
    /// An SSL 2.0 SERVER-HELLO (the answer of an SSL 2.0 server).
    SslV2ServerHello(SslV2ServerHello),
}

/// Which framing the stream uses; decided by its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Unknown,
    Tls,
    SslV2,
}

/// Splits a server's byte stream into [`Message`]s with bounded memory.
///
/// Call [`MessageReader::feed`] with each chunk read, then [`MessageReader::next_message`] until
/// it returns `Ok(None)`.
#[derive(Debug, Clone)]
pub struct MessageReader {
    /// Received bytes; `raw[pos..]` is not yet consumed.
    raw: Vec<u8>,
    pos: usize,
    /// Stream offset of `raw[0]`.
    base: usize,
    /// Fed bytes that did not fit and were discarded.
    dropped: usize,
    /// Partial handshake data and the stream offset of its first byte.
    hs: Vec<u8>,
    hs_offset: usize,
    /// Messages decoded from one record and not handed out yet (alerts, CCS, app data).
    pending: VecDeque<Message>,
    framing: Framing,
    record_version: Option<u16>,
    /// A ChangeCipherSpec was received in TLS ≤ 1.2: later records are encrypted.
    encrypted: bool,
    /// A ServerHello (or HelloRetryRequest) selected TLS 1.3.
    tls13: bool,
    failed: Option<DecodeError>,
    max_record: usize,
    max_handshake: usize,
    max_buffered: usize,
}

impl Default for MessageReader {
    fn default() -> Self {
        Self::new()
    }
}

impl MessageReader {
    /// A reader with the default limits: record payload ≤ 2^14 + 2048 bytes, handshake message
    /// body ≤ 64 KiB.
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_MAX_RECORD, DEFAULT_MAX_HANDSHAKE)
    }

    /// A reader with other limits for the record payload and the handshake message body.
    ///
    /// At most `max(max_record, 32767) + 5 + 128 KiB` unread bytes are kept between drains;
    /// bytes fed beyond that are discarded and reported as an error once the kept ones are read.
    pub fn with_limits(max_record: usize, max_handshake: usize) -> Self {
        Self {
            raw: Vec::new(),
            pos: 0,
            base: 0,
            dropped: 0,
            hs: Vec::new(),
            hs_offset: 0,
            pending: VecDeque::new(),
            framing: Framing::Unknown,
            record_version: None,
            encrypted: false,
            tls13: false,
            failed: None,
            max_record,
            max_handshake,
            max_buffered: max_record.max(MAX_SSLV2_RECORD) + 5 + FEED_SLACK,
        }
    }

    /// Adds received bytes. Never grows past the bound documented at [`Self::with_limits`];
    /// ignored once the reader has failed.
    pub fn feed(&mut self, data: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        if self.pos > 0 {
            self.raw.drain(..self.pos);
            self.base += self.pos;
            self.pos = 0;
        }
        let room = self.max_buffered.saturating_sub(self.raw.len());
        let keep = data.len().min(room);
        self.raw
            .extend_from_slice(data.get(..keep).unwrap_or_default());
        self.dropped += data.len() - keep;
    }

    /// The next complete message; `Ok(None)` when more bytes are needed.
    ///
    /// After an error every later call returns the same error.
    pub fn next_message(&mut self) -> Result<Option<Message>, DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.step();
        if let Err(e) = &result {
            self.failed = Some(e.clone());
            self.raw = Vec::new();
            self.pos = 0;
            self.hs = Vec::new();
            self.pending.clear();
        }
        result
    }

    /// The version field of the first TLS record seen.
    pub fn record_version(&self) -> Option<u16> {
        self.record_version
    }

    /// True once a ChangeCipherSpec has been received in TLS ≤ 1.2 (later handshake records are
    /// reported as [`Message::ApplicationData`]).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// Total bytes consumed as complete records so far.
    pub fn consumed(&self) -> usize {
        self.base + self.pos
    }

    fn step(&mut self) -> Result<Option<Message>, DecodeError> {
        // Each round consumes a record, so this ends within the buffered input.
        loop {
            if let Some(m) = self.pending.pop_front() {
                return Ok(Some(m));
            }
            if let Some(m) = self.pop_handshake()? {
                return Ok(Some(m));
            }
            let progressed = match self.framing {
                Framing::Unknown => match self.raw.get(self.pos) {
                    None => false,
                    Some(b) => {
                        self.framing = if b & 0x80 != 0 {
                            Framing::SslV2
                        } else {
                            Framing::Tls
                        };
                        true
                    }
                },
                Framing::Tls => self.read_tls_record()?,
                Framing::SslV2 => self.read_sslv2_record()?,
            };
            if !progressed {
                if self.dropped > 0 {
                    return Err(DecodeError::TooLong {
                        what: "unread input",
                        offset: self.base + self.raw.len(),
                        len: self.raw.len() - self.pos + self.dropped,
                        max: self.max_buffered,
                    });
                }
                return Ok(None);
            }
        }
    }

    /// A complete handshake message from the reassembly buffer, if there is one.
    fn pop_handshake(&mut self) -> Result<Option<Message>, DecodeError> {
        let mut r = Reader::with_base(&self.hs, self.hs_offset);
        let Ok(typ) = r.u8("handshake type") else {
            return Ok(None);
        };
        let Ok(len) = r.u24("handshake length") else {
            return Ok(None);
        };
        if len > self.max_handshake {
            return Err(DecodeError::TooLong {
                what: "handshake message",
                offset: self.hs_offset,
                len,
                max: self.max_handshake,
            });
        }
        let Ok(body) = r.take(len, "handshake body") else {
            return Ok(None);
        };
        let body = body.to_vec();
        if typ == super::handshake_type::SERVER_HELLO {
            // In TLS 1.3 a ChangeCipherSpec is only for middleboxes and does not start encryption.
            self.tls13 =
                ServerHello::parse(&body).is_ok_and(|sh| sh.selected_version == Some(0x0304));
        }
        self.hs.drain(..4 + len);
        self.hs_offset += 4 + len;
        Ok(Some(Message::Handshake { typ, body }))
    }

    /// Reads one TLS record if it is complete; `Ok(false)` when more bytes are needed.
    fn read_tls_record(&mut self) -> Result<bool, DecodeError> {
        let offset = self.base + self.pos;
        let input = self.raw.get(self.pos..).unwrap_or_default();
        let mut r = Reader::with_base(input, offset);
        let Ok(header) = r.array::<5>("record header") else {
            return Ok(false);
        };
        let [typ, major, minor, len_hi, len_lo] = header;
        if !(content_type::CHANGE_CIPHER_SPEC..=content_type::APPLICATION_DATA).contains(&typ) {
            return Err(DecodeError::Invalid {
                what: "record content type",
                offset,
                reason: "not change_cipher_spec, alert, handshake or application_data",
            });
        }
        if major != 3 {
            return Err(DecodeError::Invalid {
                what: "record version",
                offset: offset + 1,
                reason: "major version is not 3",
            });
        }
        let len = usize::from(u16::from_be_bytes([len_hi, len_lo]));
        if len > self.max_record {
            return Err(DecodeError::TooLong {
                what: "record payload",
                offset: offset + 3,
                len,
                max: self.max_record,
            });
        }
        if len == 0 && typ != content_type::APPLICATION_DATA {
            return Err(DecodeError::Invalid {
                what: "record payload",
                offset: offset + 3,
                reason: "empty record of a type that must not be empty",
            });
        }
        let Ok(payload) = r.take(len, "record payload") else {
            return Ok(false);
        };
        let payload_offset = offset + 5;
        self.record_version
            .get_or_insert(u16::from_be_bytes([major, minor]));

        let interleaved = || DecodeError::Invalid {
            what: "record content type",
            offset,
            reason: "record interrupts a fragmented handshake message",
        };
        match typ {
            content_type::HANDSHAKE if self.encrypted => {
                self.pending.push_back(Message::ApplicationData { len });
            }
            content_type::HANDSHAKE => {
                if self.hs.is_empty() {
                    self.hs_offset = payload_offset;
                }
                self.hs.extend_from_slice(payload);
            }
            content_type::ALERT if self.encrypted && len != 2 => {
                self.pending.push_back(Message::ApplicationData { len });
            }
            content_type::ALERT => {
                if len % 2 != 0 {
                    return Err(DecodeError::Invalid {
                        what: "alert",
                        offset: payload_offset,
                        reason: "alert record length is odd",
                    });
                }
                for pair in payload.chunks_exact(2) {
                    if let [level, description] = *pair {
                        self.pending
                            .push_back(Message::Alert { level, description });
                    }
                }
            }
            content_type::CHANGE_CIPHER_SPEC => {
                if payload != [1] {
                    return Err(DecodeError::Invalid {
                        what: "change_cipher_spec",
                        offset: payload_offset,
                        reason: "payload is not the single byte 1",
                    });
                }
                if !self.hs.is_empty() {
                    return Err(interleaved());
                }
                self.encrypted |= !self.tls13;
                self.pending.push_back(Message::ChangeCipherSpec);
            }
            _ => {
                if !self.hs.is_empty() {
                    return Err(interleaved());
                }
                self.pending.push_back(Message::ApplicationData { len });
            }
        }
        self.pos += 5 + len;
        Ok(true)
    }

    /// Reads one SSL 2.0 record (two-byte header) if it is complete.
    fn read_sslv2_record(&mut self) -> Result<bool, DecodeError> {
        let offset = self.base + self.pos;
        let input = self.raw.get(self.pos..).unwrap_or_default();
        let mut r = Reader::with_base(input, offset);
        let Ok([hi, lo]) = r.array::<2>("SSL 2.0 record header") else {
            return Ok(false);
        };
        if hi & 0x80 == 0 {
            return Err(DecodeError::Invalid {
                what: "SSL 2.0 record header",
                offset,
                reason: "three-byte (padded) headers are not supported",
            });
        }
        let len = usize::from(u16::from_be_bytes([hi & 0x7F, lo]));
        if len == 0 {
            return Err(DecodeError::Invalid {
                what: "SSL 2.0 record header",
                offset,
                reason: "empty record",
            });
        }
        let Ok(msg) = r.take(len, "SSL 2.0 record") else {
            return Ok(false);
        };
        let mut m = Reader::with_base(msg, offset + 2);
        let msg_type = m.u8("SSL 2.0 msg_type")?;
        match msg_type {
            SSLV2_SERVER_HELLO => {
                let hello = SslV2ServerHello::parse_at(msg, offset + 2)?;
                self.pending.push_back(Message::SslV2ServerHello(hello));
            }
            SSLV2_ERROR => {
                let code = m.u16("SSL 2.0 error code")?;
                m.finish("SSL 2.0 ERROR")?;
                return Err(DecodeError::SslV2Error { code });
            }
            _ => {
                return Err(DecodeError::Invalid {
                    what: "SSL 2.0 msg_type",
                    offset: offset + 2,
                    reason: "not SERVER-HELLO or ERROR",
                });
            }
        }
        self.pos += 2 + len;
        Ok(true)
    }
}

/// What the first bytes of an answer look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A TLS (or SSL 3.0) record header.
    Tls,
    /// An SSL 2.0 SERVER-HELLO or ERROR.
    SslV2,
    /// An HTTP response (`HTTP/`): a plain-HTTP server on a TLS port.
    Http,
    /// An SSH banner (`SSH-`).
    Ssh,
    /// An SMTP greeting (`220 … SMTP` and similar).
    Smtp,
    /// An FTP greeting (`220 … FTP`).
    Ftp,
    /// A POP3 greeting (`+OK`, or `-ERR` from a server refusing service).
    Pop3,
    /// An IMAP greeting (`* OK`, `* PREAUTH`, `* BYE`).
    Imap,
    /// None of the above.
    Other,
    /// Too few bytes to tell.
    NeedMore,
}

/// How far into the first line a text greeting is searched; [`sniff`] never answers
/// [`Sniffed::NeedMore`] for this many bytes or more.
pub const SNIFF_LINE_MAX: usize = 512;

/// Most characters of a greeting line quoted by [`first_line`].
const FIRST_LINE_MAX: usize = 160;

/// The first line of a text answer, for quoting: up to the first CR/LF, surrounding blanks
/// trimmed, non-printable bytes escaped (`\xNN`), cut at 160 characters with `…`.
pub fn first_line(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(bytes.len());
    let line = bytes.get(..end).unwrap_or_default().trim_ascii();
    let mut out = String::new();
    for c in line.escape_ascii().map(char::from) {
        if out.len() >= FIRST_LINE_MAX {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// Recognises what kind of answer `first` (the first bytes received) starts, before committing
/// to TLS parsing. The SMTP/FTP distinction is a heuristic on the first line: it says FTP when
/// the line mentions FTP, and SMTP for other `220`/`421`/`554` greetings.
pub fn sniff(first: &[u8]) -> Sniffed {
    let Some(&b0) = first.first() else {
        return Sniffed::NeedMore;
    };
    if (content_type::CHANGE_CIPHER_SPEC..=content_type::APPLICATION_DATA).contains(&b0) {
        return match first.get(1) {
            None => Sniffed::NeedMore,
            Some(3) if first.len() < 3 => Sniffed::NeedMore,
            Some(3) => Sniffed::Tls,
            Some(_) => Sniffed::Other,
        };
    }
    if b0 & 0x80 != 0 {
        return sniff_sslv2(first);
    }
    for (magic, kind) in [
        (&b"HTTP/"[..], Sniffed::Http),
        (&b"SSH-"[..], Sniffed::Ssh),
        (&b"+OK"[..], Sniffed::Pop3),
        (&b"-ERR"[..], Sniffed::Pop3),
        (&b"* OK"[..], Sniffed::Imap),
        (&b"* PREAUTH"[..], Sniffed::Imap),
        (&b"* BYE"[..], Sniffed::Imap),
    ] {
        let n = first.len().min(magic.len());
        if first.get(..n) == magic.get(..n) {
            return if n == magic.len() {
                kind
            } else {
                Sniffed::NeedMore
            };
        }
    }
    sniff_greeting(first)
}

fn sniff_sslv2(first: &[u8]) -> Sniffed {
    let (Some(&hi), Some(&lo), Some(&msg_type)) = (first.first(), first.get(1), first.get(2))
    else {
        return Sniffed::NeedMore;
    };
    let len = usize::from(u16::from_be_bytes([hi & 0x7F, lo]));
    match msg_type {
        SSLV2_ERROR if len == 3 => Sniffed::SslV2,
        SSLV2_SERVER_HELLO if len >= 11 => match first.get(5..7) {
            None => Sniffed::NeedMore,
            Some([0, 2]) => Sniffed::SslV2,
            Some(_) => Sniffed::Other,
        },
        _ => Sniffed::Other,
    }
}

/// SMTP and FTP greetings: three digits, then a space or a dash, then text up to a newline.
fn sniff_greeting(first: &[u8]) -> Sniffed {
    let code_len = first.len().min(3);
    let code = first.get(..code_len).unwrap_or_default();
    if !code.iter().all(u8::is_ascii_digit) {
        return Sniffed::Other;
    }
    match first.get(3) {
        None => return Sniffed::NeedMore,
        Some(b' ' | b'-') => {}
        Some(_) => return Sniffed::Other,
    }
    let window = first
        .get(..first.len().min(SNIFF_LINE_MAX))
        .unwrap_or_default();
    let line_end = window.iter().position(|&b| b == b'\n');
    let line = window
        .get(..line_end.unwrap_or(window.len()))
        .unwrap_or_default();
    let upper = line.to_ascii_uppercase();
    let has = |word: &[u8]| upper.windows(word.len()).any(|w| w == word);
    if has(b"FTP") {
        return Sniffed::Ftp;
    }
    if has(b"SMTP") || has(b"MAIL") {
        return Sniffed::Smtp;
    }
    if line_end.is_none() && first.len() < SNIFF_LINE_MAX {
        return Sniffed::NeedMore;
    }
    match code {
        b"220" | b"421" | b"554" => Sniffed::Smtp,
        _ => Sniffed::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u8, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![typ, 3, 3];
        r.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        r.extend_from_slice(payload);
        r
    }

    fn drain(reader: &mut MessageReader) -> Result<Vec<Message>, DecodeError> {
        let mut out = Vec::new();
        for _ in 0..10_000 {
            match reader.next_message()? {
                Some(m) => out.push(m),
                None => return Ok(out),
            }
        }
        panic!("reader did not settle");
    }

    #[test]
    fn several_messages_in_one_record_and_one_across_records() {
        let mut hs = vec![2, 0, 0, 1, 0xAA, 14, 0, 0, 0, 11, 0, 0, 5];
        hs.extend_from_slice(&[1, 2, 3, 4, 5]);
        let mut bytes = record(22, &hs[..10]);
        bytes.extend(record(22, &hs[10..]));
        bytes.extend(record(21, &[1, 0, 2, 40]));
        let mut r = MessageReader::new();
        r.feed(&bytes);
        let msgs = drain(&mut r).unwrap();
        assert_eq!(
            msgs,
            [
                Message::Handshake {
                    typ: 2,
                    body: vec![0xAA]
                },
                Message::Handshake {
                    typ: 14,
                    body: vec![]
                },
                Message::Handshake {
                    typ: 11,
                    body: vec![1, 2, 3, 4, 5]
                },
                Message::Alert {
                    level: 1,
                    description: 0
                },
                Message::Alert {
                    level: 2,
                    description: 40
                },
            ]
        );
        assert_eq!(r.record_version(), Some(0x0303));
        assert_eq!(r.consumed(), bytes.len());
    }

    #[test]
    fn byte_by_byte_feeding_gives_the_same_messages() {
        let mut bytes = record(22, &[2, 0, 0, 3, 7, 8, 9]);
        bytes.extend(record(20, &[1]));
        bytes.extend(record(23, &[0; 40]));
        bytes.extend(record(22, &[0; 30])); // encrypted Finished after CCS
        let mut whole = MessageReader::new();
        whole.feed(&bytes);
        let expect = drain(&mut whole).unwrap();
        assert_eq!(expect.len(), 4);
        assert_eq!(expect[1], Message::ChangeCipherSpec);
        assert_eq!(expect[3], Message::ApplicationData { len: 30 });
        let mut r = MessageReader::new();
        let mut got = Vec::new();
        for b in &bytes {
            r.feed(std::slice::from_ref(b));
            got.extend(drain(&mut r).unwrap());
        }
        assert_eq!(got, expect);
        assert!(r.is_encrypted());
    }

    /// A TLS 1.3 server answering a second ClientHello after HelloRetryRequest + CCS: the second
    /// ServerHello is plaintext and must be read as such.
    #[test]
    fn ccs_after_hello_retry_request_does_not_start_encryption() {
        let hrr_random = crate::wire::server_hello::HELLO_RETRY_REQUEST_RANDOM;
        let server_hello = |random: &[u8; 32], key_share: &[u8]| {
            let mut b = vec![3, 3];
            b.extend_from_slice(random);
            b.extend_from_slice(&[0, 0x13, 0x01, 0]);
            let mut exts = vec![0, 43, 0, 2, 3, 4, 0, 51];
            exts.extend_from_slice(&(key_share.len() as u16).to_be_bytes());
            exts.extend_from_slice(key_share);
            b.extend_from_slice(&(exts.len() as u16).to_be_bytes());
            b.extend_from_slice(&exts);
            let mut m = vec![2, 0, 0, b.len() as u8];
            m.extend_from_slice(&b);
            m
        };
        let mut share = vec![0, 24, 0, 97];
        share.extend_from_slice(&crate::wire::key_share::P384_GENERATOR);
        let mut bytes = record(22, &server_hello(&hrr_random, &[0, 24]));
        bytes.extend(record(20, &[1]));
        bytes.extend(record(22, &server_hello(&[7; 32], &share)));
        bytes.extend(record(23, &[0; 50]));
        let mut r = MessageReader::new();
        r.feed(&bytes);
        let msgs = drain(&mut r).unwrap();
        assert_eq!(msgs.len(), 4);
        assert!(matches!(&msgs[0], Message::Handshake { typ: 2, .. }));
        assert_eq!(msgs[1], Message::ChangeCipherSpec);
        match &msgs[2] {
            Message::Handshake { typ: 2, body } => {
                let sh = ServerHello::parse(body).unwrap();
                assert!(!sh.is_hello_retry_request);
                assert_eq!(sh.key_share_group, Some(24));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(msgs[3], Message::ApplicationData { len: 50 });
        assert!(!r.is_encrypted());
    }

    #[test]
    fn oversized_record_is_a_typed_error() {
        let mut r = MessageReader::new();
        r.feed(&[22, 3, 3, 0xFF, 0xFF]);
        assert_eq!(
            r.next_message(),
            Err(DecodeError::TooLong {
                what: "record payload",
                offset: 3,
                len: 0xFFFF,
                max: DEFAULT_MAX_RECORD
            })
        );
        // The reader stays failed.
        r.feed(&[22, 3, 3, 0, 1, 0]);
        assert!(r.next_message().is_err());
    }

    #[test]
    fn huge_handshake_header_fails_without_allocating() {
        let mut r = MessageReader::new();
        r.feed(&[22, 3, 3, 0, 4, 1, 0xFF, 0xFF, 0xFF]);
        assert_eq!(
            r.next_message(),
            Err(DecodeError::TooLong {
                what: "handshake message",
                offset: 5,
                len: 0xFF_FFFF,
                max: DEFAULT_MAX_HANDSHAKE
            })
        );
        assert!(r.hs.capacity() < 1024);
    }

    #[test]
    fn handshake_up_to_the_limit_is_reassembled() {
        let body_len = DEFAULT_MAX_HANDSHAKE;
        let mut msg = vec![11, 0x01, 0x00, 0x00];
        msg.extend(std::iter::repeat_n(0x5A, body_len));
        let mut r = MessageReader::new();
        for chunk in msg.chunks(1 << 14) {
            r.feed(&record(22, chunk));
        }
        match r.next_message().unwrap() {
            Some(Message::Handshake { typ: 11, body }) => assert_eq!(body.len(), body_len),
            other => panic!("{other:?}"),
        }
        assert_eq!(r.next_message(), Ok(None));
    }

    #[test]
    fn framing_errors() {
        let cases: &[(&[u8], &str)] = &[
            (b"HTTP/1.1 400 Bad Request\r\n", "record content type"),
            (&[22, 2, 0, 0, 1, 0], "record version"),
            (&[22, 3, 1, 0, 0], "record payload"),
            (&[20, 3, 3, 0, 1, 2], "change_cipher_spec"),
            (&[21, 3, 3, 0, 3, 2, 40, 0], "alert"),
        ];
        for (bytes, what) in cases {
            let mut r = MessageReader::new();
            r.feed(bytes);
            match r.next_message() {
                Err(DecodeError::Invalid { what: w, .. }) => assert_eq!(w, *what),
                other => panic!("{bytes:?}: {other:?}"),
            }
        }
        // A CCS in the middle of a fragmented handshake message.
        let mut bytes = record(22, &[11, 0, 0, 9, 1]);
        bytes.extend(record(20, &[1]));
        let mut r = MessageReader::new();
        r.feed(&bytes);
        assert!(matches!(
            r.next_message(),
            Err(DecodeError::Invalid {
                reason: "record interrupts a fragmented handshake message",
                ..
            })
        ));
    }

    #[test]
    fn alert_may_interrupt_a_fragmented_message() {
        let mut bytes = record(22, &[11, 0, 0, 9, 1]);
        bytes.extend(record(21, &[2, 80]));
        let mut r = MessageReader::new();
        r.feed(&bytes);
        assert_eq!(
            r.next_message(),
            Ok(Some(Message::Alert {
                level: 2,
                description: 80
            }))
        );
        assert_eq!(r.next_message(), Ok(None));
    }

    #[test]
    fn feeding_without_draining_is_bounded() {
        let mut r = MessageReader::new();
        let chunk = record(23, &[0; 1000]);
        for _ in 0..1000 {
            r.feed(&chunk);
        }
        assert!(r.raw.len() <= r.max_buffered);
        let mut n = 0;
        let err = loop {
            match r.next_message() {
                Ok(Some(_)) => n += 1,
                Ok(None) => panic!("dropped input must be reported"),
                Err(e) => break e,
            }
            assert!(n < 1000);
        };
        assert!(n > 100);
        assert!(matches!(
            err,
            DecodeError::TooLong {
                what: "unread input",
                ..
            }
        ));
        assert!(r.raw.is_empty());
    }

    #[test]
    fn sslv2_stream() {
        let mut m = vec![4, 0, 1, 0, 2, 0, 1, 0, 3, 0, 16, 0x30];
        m.extend_from_slice(&[7, 0, 0xC0]);
        m.extend_from_slice(&[9; 16]);
        let mut bytes = vec![0x80, m.len() as u8];
        bytes.extend_from_slice(&m);
        let mut r = MessageReader::new();
        r.feed(&bytes);
        match r.next_message() {
            Ok(Some(Message::SslV2ServerHello(h))) => {
                assert_eq!(h.cipher_kinds, [0x0700C0]);
                assert_eq!(h.certificate, [0x30]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.record_version(), None);

        let mut r = MessageReader::new();
        r.feed(&[0x80, 3, 0, 0, 1]);
        assert_eq!(r.next_message(), Err(DecodeError::SslV2Error { code: 1 }));
        assert_eq!(sniff(&[0x80, 3, 0, 0, 1]), Sniffed::SslV2);
        assert_eq!(sniff(&bytes), Sniffed::SslV2);
    }

    #[test]
    fn sniffing() {
        let cases: &[(&[u8], Sniffed)] = &[
            (b"", Sniffed::NeedMore),
            (&[22], Sniffed::NeedMore),
            (&[22, 3], Sniffed::NeedMore),
            (&[22, 3, 3, 0, 5], Sniffed::Tls),
            (&[21, 3, 0], Sniffed::Tls),
            (&[22, 9, 9], Sniffed::Other),
            (b"HTT", Sniffed::NeedMore),
            (b"HTTP/1.0 200 OK\r\n", Sniffed::Http),
            (b"SSH-2.0-OpenSSH_9.6\r\n", Sniffed::Ssh),
            (b"SS", Sniffed::NeedMore),
            (b"220 mx.example ESMTP Postfix\r\n", Sniffed::Smtp),
            (b"220-mail.example.test\r\n", Sniffed::Smtp),
            (b"220 (vsFTPd 3.0.5)\r\n", Sniffed::Ftp),
            (b"220 ProFTPD Server ready", Sniffed::Ftp),
            (b"220 hello", Sniffed::NeedMore),
            (b"220 hello\r\n", Sniffed::Smtp),
            (b"22", Sniffed::NeedMore),
            (b"200 x\n", Sniffed::Other),
            (b"<html>", Sniffed::Other),
            (b"+OK POP3 server ready\r\n", Sniffed::Pop3),
            (b"+O", Sniffed::NeedMore),
            (b"-ERR busy\r\n", Sniffed::Pop3),
            (
                b"* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n",
                Sniffed::Imap,
            ),
            (b"* PREAUTH ready\r\n", Sniffed::Imap),
            (b"* BYE overloaded\r\n", Sniffed::Imap),
            (b"* ", Sniffed::NeedMore),
            (b"* X", Sniffed::Other),
            (&[0, 0, 0, 0], Sniffed::Other),
            (&[0xFF, 0xFF, 0xFF], Sniffed::Other),
            (&[0x80], Sniffed::NeedMore),
            (&[0x80, 0x20, 4, 0, 1], Sniffed::NeedMore),
        ];
        for (bytes, expect) in cases {
            assert_eq!(sniff(bytes), *expect, "{bytes:?}");
        }
        let long = [b'2', b'2', b'0', b' ']
            .iter()
            .copied()
            .chain(std::iter::repeat_n(b'x', 600))
            .collect::<Vec<_>>();
        assert_eq!(sniff(&long), Sniffed::Smtp);
        // A long first line without a newline is decided by SNIFF_LINE_MAX bytes.
        let long = [b'2', b'2', b'0', b' ']
            .iter()
            .copied()
            .chain(std::iter::repeat_n(b'y', SNIFF_LINE_MAX))
            .collect::<Vec<_>>();
        assert_ne!(sniff(&long), Sniffed::NeedMore);
    }

    #[test]
    fn first_lines_are_trimmed_and_escaped() {
        assert_eq!(first_line(b"220 mx ESMTP\r\n250 more"), "220 mx ESMTP");
        assert_eq!(first_line(b"  +OK\tready  \n"), "+OK\\tready");
        assert_eq!(first_line(b"* OK \x1b[31m\xff"), "* OK \\x1b[31m\\xff");
        let long = vec![b'a'; 1000];
        assert_eq!(first_line(&long).chars().count(), FIRST_LINE_MAX + 1);
        assert_eq!(first_line(b""), "");
    }
}
