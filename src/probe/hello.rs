//! The sans-I/O half of a raw hello probe: bytes from the server go into a [`FlightReader`], a
//! [`ServerFlight`] comes out. It knows nothing of sockets or time; [`super::driver`] owns those.
//!
//! The reader takes the server's first flight: a ServerHello and, for TLS ≤ 1.2, the
//! Certificate and ServerKeyExchange up to ServerHelloDone (they arrive in the same round trip,
//! so reading them costs no extra time). It stops at the first decisive answer: an alert, a
//! HelloRetryRequest, a TLS 1.3 ServerHello (the rest is encrypted), or something that is not
//! TLS at all. Memory is bounded by [`MAX_FLIGHT_BYTES`].

use crate::wire::{
    self, KeyExchangeKind, Message, MessageReader, ServerHello, ServerKeyExchange, Sniffed,
    SslV2ServerHello, handshake_type,
};

/// Most bytes read from one server flight before the probe stops reading.
pub const MAX_FLIGHT_BYTES: usize = 256 * 1024;

/// What the server's answer amounted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerKind {
    /// A ServerHello (see [`ServerFlight::server_hello`]).
    ServerHello,
    /// An SSL 2.0 SERVER-HELLO (see [`ServerFlight::ssl2`]).
    Ssl2ServerHello,
    /// A TLS alert before any ServerHello.
    Alert {
        /// 1 = warning, 2 = fatal.
        level: u8,
        /// Alert description code.
        description: u8,
    },
    /// The answer is not TLS: HTTP, SSH, SMTP, FTP banners or unrecognisable bytes.
    NotTls(&'static str),
    /// TLS framing that breaks the protocol (a decode error), with the reason.
    Malformed(String),
    /// The server closed the connection without sending anything.
    Closed,
    /// The server closed the connection in the middle of a record or message.
    Truncated {
        /// Bytes received before the close.
        bytes: usize,
    },
}

/// Whether the reader needs more bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Keep reading.
    NeedMore,
    /// The answer is decided; stop reading.
    Done,
}

/// Everything read from the server's first flight.
#[derive(Debug, Clone)]
pub struct ServerFlight {
    /// What the answer amounted to.
    pub kind: AnswerKind,
    /// The ServerHello (or HelloRetryRequest), when one came.
    pub server_hello: Option<ServerHello>,
    /// The SSL 2.0 server hello, when one came.
    pub ssl2: Option<SslV2ServerHello>,
    /// DER certificates of a plaintext Certificate message (TLS ≤ 1.2), leaf first.
    pub certificates: Vec<Vec<u8>>,
    /// The ServerKeyExchange parameters (TLS ≤ 1.2 ephemeral key exchange).
    pub server_key_exchange: Option<ServerKeyExchange>,
    /// The signature scheme of the ServerKeyExchange (TLS 1.2 only; older versions name none).
    pub ske_signature_scheme: Option<u16>,
    /// Whether ServerHelloDone was seen (the flight was complete).
    pub flight_complete: bool,
    /// Whether the flight held a CertificateRequest (the server asks for a client certificate).
    pub certificate_request: bool,
    /// Bytes received in all.
    pub bytes: usize,
    /// A plaintext service that spoke (or answered) instead of TLS: its protocol (`SMTP`,
    /// `FTP`, `POP3`, `IMAP`, `SSH`) and its first line, trimmed and escaped.
    pub greeting: Option<(&'static str, String)>,
}

/// Reads one server flight, as its bytes arrive.
#[derive(Debug)]
pub struct FlightReader {
    reader: MessageReader,
    head: Vec<u8>,
    sniffed: bool,
    decided: Option<AnswerKind>,
    out: ServerFlight,
    kx: Option<KeyExchangeKind>,
    kx_of: fn(u16) -> Option<KeyExchangeKind>,
}

impl FlightReader {
    /// A new reader. `kx_of` tells which ServerKeyExchange format a suite uses (ECDHE, DHE, or
    /// none), so its parameters can be read.
    pub fn new(kx_of: fn(u16) -> Option<KeyExchangeKind>) -> FlightReader {
        FlightReader {
            reader: MessageReader::new(),
            head: Vec::new(),
            sniffed: false,
            decided: None,
            out: ServerFlight {
                kind: AnswerKind::Closed,
                server_hello: None,
                ssl2: None,
                certificates: Vec::new(),
                server_key_exchange: None,
                ske_signature_scheme: None,
                flight_complete: false,
                certificate_request: false,
                bytes: 0,
                greeting: None,
            },
            kx: None,
            kx_of,
        }
    }

    /// Whether a decisive answer has been read (a ServerHello or an alert), so that a later
    /// reset or timeout no longer changes the outcome.
    pub fn decided(&self) -> bool {
        self.decided.is_some()
    }

    /// Feeds bytes received from the server.
    pub fn on_bytes(&mut self, data: &[u8]) -> Step {
        if self.decided.is_some() && self.out.server_hello.is_none() {
            return Step::Done;
        }
        self.out.bytes = self.out.bytes.saturating_add(data.len());
        if !self.sniffed {
            // Keep up to a whole first line: greetings are recognised by their first line.
            let want = wire::SNIFF_LINE_MAX
                .saturating_sub(self.head.len())
                .min(data.len());
            self.head.extend_from_slice(&data[..want]);
            let service = |s: &mut Self, name: &'static str, what: &'static str| {
                s.out.greeting = Some((name, wire::first_line(&s.head)));
                s.finish(AnswerKind::NotTls(what))
            };
            match wire::sniff(&self.head) {
                Sniffed::NeedMore if self.head.len() < wire::SNIFF_LINE_MAX => {
                    self.reader.feed(data);
                    return Step::NeedMore;
                }
                Sniffed::Tls | Sniffed::SslV2 => self.sniffed = true,
                Sniffed::Http => return self.finish(AnswerKind::NotTls("an HTTP response")),
                Sniffed::Ssh => return service(self, "SSH", "an SSH banner"),
                Sniffed::Smtp => return service(self, "SMTP", "an SMTP greeting"),
                Sniffed::Ftp => return service(self, "FTP", "an FTP greeting"),
                Sniffed::Pop3 => return service(self, "POP3", "a POP3 greeting"),
                Sniffed::Imap => return service(self, "IMAP", "an IMAP greeting"),
                Sniffed::Other | Sniffed::NeedMore => {
                    return self.finish(AnswerKind::NotTls("bytes that are not TLS"));
                }
            }
        }
        self.reader.feed(data);
        self.drain()
    }

    /// The server closed the connection (EOF). Returns the final flight.
    pub fn on_eof(mut self) -> ServerFlight {
        if self.decided.is_none() {
            self.decided = Some(if self.out.bytes == 0 {
                AnswerKind::Closed
            } else if !self.sniffed {
                // A short answer that never became recognisable.
                AnswerKind::NotTls("a short answer that is not TLS")
            } else {
                AnswerKind::Truncated {
                    bytes: self.out.bytes,
                }
            });
        }
        self.into_flight()
    }

    /// Ends the reading where it stands (timeout, reset, or enough read).
    pub fn into_flight(mut self) -> ServerFlight {
        if let Some(r) = self.decided.take() {
            self.out.kind = r;
        } else if self.out.bytes > 0 && !self.sniffed {
            self.out.kind = AnswerKind::NotTls("a short answer that is not TLS");
        } else if self.out.bytes > 0 {
            self.out.kind = AnswerKind::Truncated {
                bytes: self.out.bytes,
            };
        }
        self.out
    }

    fn finish(&mut self, kind: AnswerKind) -> Step {
        if self.decided.is_none() {
            self.decided = Some(kind);
        }
        Step::Done
    }

    fn drain(&mut self) -> Step {
        loop {
            if self.out.bytes > MAX_FLIGHT_BYTES {
                return self.stop_reading("the first flight is larger than 256 KiB");
            }
            let msg = match self.reader.next_message() {
                Ok(Some(m)) => m,
                Ok(None) => return Step::NeedMore,
                Err(e) => return self.stop_reading(&e.to_string()),
            };
            if let Some(step) = self.on_message(msg) {
                return step;
            }
        }
    }

    /// A decode error: fatal before the ServerHello, the end of reading after it.
    fn stop_reading(&mut self, why: &str) -> Step {
        if self.out.server_hello.is_some() {
            Step::Done
        } else {
            self.finish(AnswerKind::Malformed(why.to_string()))
        }
    }

    fn on_message(&mut self, msg: Message) -> Option<Step> {
        let have_hello = self.out.server_hello.is_some();
        match msg {
            Message::Alert { level, description } => {
                if have_hello {
                    // An alert after the ServerHello ends the flight; the version answer stands.
                    return Some(Step::Done);
                }
                if level == 1 && description != 0 {
                    // A warning (e.g. unrecognized_name) may precede a ServerHello.
                    return None;
                }
                Some(self.finish(AnswerKind::Alert { level, description }))
            }
            Message::SslV2ServerHello(h) => {
                self.out.ssl2 = Some(h);
                Some(self.finish(AnswerKind::Ssl2ServerHello))
            }
            Message::ChangeCipherSpec | Message::ApplicationData { .. } => {
                if have_hello {
                    Some(Step::Done)
                } else {
                    Some(self.finish(AnswerKind::Malformed(
                        "encrypted or ChangeCipherSpec records before any ServerHello".into(),
                    )))
                }
            }
            Message::Handshake { typ, body } => self.on_handshake(typ, &body),
        }
    }

    fn on_handshake(&mut self, typ: u8, body: &[u8]) -> Option<Step> {
        match (typ, self.out.server_hello.is_some()) {
            (handshake_type::SERVER_HELLO, false) => match ServerHello::parse(body) {
                Ok(sh) => {
                    let done = sh.is_hello_retry_request || sh.version() >= 0x0304;
                    self.kx = (self.kx_of)(sh.cipher_suite);
                    self.out.server_hello = Some(sh);
                    self.decided = Some(AnswerKind::ServerHello);
                    done.then_some(Step::Done)
                }
                Err(e) => Some(self.finish(AnswerKind::Malformed(format!("bad ServerHello: {e}")))),
            },
            (_, false) => Some(self.finish(AnswerKind::Malformed(format!(
                "handshake message type {typ} before any ServerHello"
            )))),
            (handshake_type::CERTIFICATE, true) => {
                // A chain we cannot parse is not fatal: the version answer stands.
                if let Ok(chain) = wire::parse_certificate(body) {
                    self.out.certificates = chain;
                }
                None
            }
            (handshake_type::SERVER_KEY_EXCHANGE, true) => {
                if let Some(kind) = self.kx {
                    self.out.server_key_exchange = wire::parse_server_key_exchange(body, kind).ok();
                    if self.out.server_hello.as_ref().map(ServerHello::version) == Some(0x0303) {
                        self.out.ske_signature_scheme = wire::ske_signature_scheme(body, kind).ok();
                    }
                }
                None
            }
            (handshake_type::CERTIFICATE_REQUEST, true) => {
                self.out.certificate_request = true;
                None
            }
            (handshake_type::SERVER_HELLO_DONE, true) => {
                self.out.flight_complete = true;
                Some(Step::Done)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "hello_tests.rs"]
mod tests;
