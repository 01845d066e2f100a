//! Byte-level reading and writing shared by every message in `wire`.
//!
//! [`Reader`] walks a borrowed slice and never reads past it: every step names the field it is
//! reading, so a short or malformed input becomes a [`DecodeError`] that says which field failed
//! and at which offset. Child readers made by [`Reader::sub_u8`], [`Reader::sub_u16`] and
//! [`Reader::sub_u24`] are bounded by their length prefix. The `put_*` helpers write
//! length-prefixed blocks by reserving the prefix and patching it once the block is written.
//!
//! This module knows nothing about TLS messages themselves and performs no I/O.

/// Everything that can go wrong while decoding bytes from a peer (or from a file).
///
/// Offsets count from the start of the slice given to the parser (for [`super::MessageReader`],
/// from the first byte fed to it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input ended inside a field.
    #[error("{what} truncated at offset {offset}: needed {needed} bytes, {left} left")]
    Truncated {
        /// The field being read.
        what: &'static str,
        /// Where the field starts.
        offset: usize,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were available.
        left: usize,
    },
    /// A length (or count) is larger than this codec accepts.
    #[error("{what} at offset {offset} too long: {len} > {max}")]
    TooLong {
        /// The field whose length is too large.
        what: &'static str,
        /// Where the field (or its length prefix) starts.
        offset: usize,
        /// The announced length or count.
        len: usize,
        /// The largest accepted value.
        max: usize,
    },
    /// A field holds a value that is not allowed there.
    #[error("invalid {what} at offset {offset}: {reason}")]
    Invalid {
        /// The field holding the bad value.
        what: &'static str,
        /// Where the field starts.
        offset: usize,
        /// Why the value is rejected.
        reason: &'static str,
    },
    /// Bytes were left over after a structure that must fill its container.
    #[error("{extra} trailing bytes after {what} at offset {offset}")]
    Trailing {
        /// The structure that should have ended at `offset`.
        what: &'static str,
        /// Where the unexpected bytes start.
        offset: usize,
        /// How many bytes were left over.
        extra: usize,
    },
    /// The peer answered with an SSL 2.0 ERROR message (e.g. `0x0001` NO-CIPHER-ERROR).
    ///
    /// This is a well-formed refusal, reported as an error because [`super::Message`] has no
    /// variant for it.
    #[error("SSL 2.0 ERROR message with code {code:#06x}")]
    SslV2Error {
        /// The SSL 2.0 error code.
        code: u16,
    },
}

/// A cursor over untrusted bytes; every read is bounds-checked and names its field.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Offset of `buf[0]` in the outermost input, so errors report absolute offsets.
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `buf`, offsets counted from its first byte.
    pub fn new(buf: &'a [u8]) -> Self {
        Self::with_base(buf, 0)
    }

    /// A reader over `buf` whose first byte sits at `base` in some larger input.
    pub fn with_base(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// Absolute offset of the next byte to be read.
    pub fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// Bytes not yet read.
    pub fn left(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.left() == 0
    }

    /// The next `n` bytes, or [`DecodeError::Truncated`] naming `what`; never over-reads.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], DecodeError> {
        let left = self.left();
        let offset = self.offset();
        let end = self.pos.checked_add(n).filter(|_| n <= left);
        match end.and_then(|end| self.buf.get(self.pos..end)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => Err(DecodeError::Truncated {
                what,
                offset,
                needed: n,
                left,
            }),
        }
    }

    /// Everything not yet read.
    pub fn rest(&mut self) -> &'a [u8] {
        let s = self.buf.get(self.pos..).unwrap_or_default();
        self.pos = self.buf.len();
        s
    }

    /// A fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], DecodeError> {
        let s = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let [b] = self.array::<1>(what)?;
        Ok(b)
    }

    /// A big-endian `u16`.
    pub fn u16(&mut self, what: &'static str) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array::<2>(what)?))
    }

    /// A big-endian 24-bit length.
    pub fn u24(&mut self, what: &'static str) -> Result<usize, DecodeError> {
        let [a, b, c] = self.array::<3>(what)?;
        Ok(usize::from(a) << 16 | usize::from(b) << 8 | usize::from(c))
    }

    /// A child reader over the next `len` bytes; `len` is checked before anything is sliced.
    pub fn sub(&mut self, len: usize, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        let s = self.take(len, what)?;
        Ok(Reader::with_base(s, base))
    }

    /// A child reader over a block with a one-byte length prefix.
    pub fn sub_u8(&mut self, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let len = self.u8(what)?;
        self.sub(usize::from(len), what)
    }

    /// A child reader over a block with a two-byte length prefix.
    pub fn sub_u16(&mut self, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let len = self.u16(what)?;
        self.sub(usize::from(len), what)
    }

    /// A child reader over a block with a three-byte length prefix.
    pub fn sub_u24(&mut self, what: &'static str) -> Result<Reader<'a>, DecodeError> {
        let len = self.u24(what)?;
        self.sub(len, what)
    }

    /// Reads a whole block of big-endian `u16`s; an odd length is [`DecodeError::Invalid`].
    pub fn u16_list(mut self, what: &'static str) -> Result<Vec<u16>, DecodeError> {
        if self.left() % 2 != 0 {
            return Err(DecodeError::Invalid {
                what,
                offset: self.offset(),
                reason: "odd length for a list of 16-bit values",
            });
        }
        let mut out = Vec::with_capacity(self.left() / 2);
        while !self.is_empty() {
            out.push(self.u16(what)?);
        }
        Ok(out)
    }

    /// Fails with [`DecodeError::Trailing`] unless every byte has been read.
    pub fn finish(&self, what: &'static str) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::Trailing {
                what,
                offset: self.offset(),
                extra: self.left(),
            })
        }
    }
}

/// Decodes a value that must fill `buf` exactly.
pub fn decode_all<T>(
    buf: &[u8],
    what: &'static str,
    f: impl FnOnce(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let mut r = Reader::new(buf);
    let v = f(&mut r)?;
    r.finish(what)?;
    Ok(v)
}

/// Appends a big-endian `u16`.
pub fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends a big-endian 24-bit value (values above `0xFF_FFFF` are clamped).
pub fn put_u24(out: &mut Vec<u8>, v: usize) {
    let v = v.min(0xFF_FFFF);
    out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
}

/// Writes a block with a `width`-byte length prefix: reserves the prefix, lets `body` write,
/// then patches the prefix.
///
/// A body longer than the prefix can express is cut to the largest expressible length (rounded
/// down to a multiple of `unit`, so a list of `unit`-byte items is cut between items). Encoders
/// never panic; a hello with oversized fields is the caller's mistake and the server will say so.
fn put_prefixed(out: &mut Vec<u8>, width: usize, unit: usize, body: impl FnOnce(&mut Vec<u8>)) {
    let start = out.len();
    out.resize(start + width, 0);
    body(out);
    let max = (1usize << (8 * width)) - 1;
    let mut len = out.len() - start - width;
    if len > max {
        len = max - max % unit.max(1);
        out.truncate(start + width + len);
    }
    let be = len.to_be_bytes();
    let prefix = &be[be.len() - width..];
    out[start..start + width].copy_from_slice(prefix);
}

/// A block with a one-byte length prefix.
pub fn put_u8_prefixed(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    put_prefixed(out, 1, 1, body);
}

/// A block with a two-byte length prefix.
pub fn put_u16_prefixed(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    put_prefixed(out, 2, 1, body);
}

/// A block with a three-byte length prefix.
pub fn put_u24_prefixed(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    put_prefixed(out, 3, 1, body);
}

/// A list of `u16`s with a one-byte length prefix (cut between items if too long).
pub fn put_u16_list_u8(out: &mut Vec<u8>, items: &[u16]) {
    put_prefixed(out, 1, 2, |o| items.iter().for_each(|&v| put_u16(o, v)));
}

/// A list of `u16`s with a two-byte length prefix (cut between items if too long).
pub fn put_u16_list_u16(out: &mut Vec<u8>, items: &[u16]) {
    put_prefixed(out, 2, 2, |o| items.iter().for_each(|&v| put_u16(o, v)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_reports_field_offset_and_lengths() {
        let mut r = Reader::with_base(&[1, 2, 3], 10);
        assert_eq!(r.u8("a"), Ok(1));
        let err = r.take(5, "field").unwrap_err();
        assert_eq!(
            err,
            DecodeError::Truncated {
                what: "field",
                offset: 11,
                needed: 5,
                left: 2
            }
        );
        // A failed read consumes nothing.
        assert_eq!(r.u16("b"), Ok(0x0203));
        assert!(r.is_empty());
    }

    #[test]
    fn take_huge_length_does_not_overflow() {
        let mut r = Reader::new(&[0; 4]);
        r.take(2, "x").unwrap();
        assert!(r.take(usize::MAX, "huge").is_err());
    }

    #[test]
    fn sub_readers_are_bounded_and_keep_absolute_offsets() {
        let buf = [0, 3, 0xAA, 0xBB, 0xCC, 0xDD];
        let mut r = Reader::new(&buf);
        let mut child = r.sub_u16("block").unwrap();
        assert_eq!(child.offset(), 2);
        assert_eq!(child.take(3, "inner").unwrap(), &[0xAA, 0xBB, 0xCC]);
        assert_eq!(
            child.u8("beyond").unwrap_err(),
            DecodeError::Truncated {
                what: "beyond",
                offset: 5,
                needed: 1,
                left: 0
            }
        );
        assert_eq!(
            r.finish("outer"),
            Err(DecodeError::Trailing {
                what: "outer",
                offset: 5,
                extra: 1
            })
        );
    }

    #[test]
    fn u24_and_sub_u24() {
        let mut r = Reader::new(&[0x01, 0x00, 0x00]);
        assert_eq!(r.u24("len"), Ok(0x10000));
        let mut r = Reader::new(&[0xFF, 0xFF, 0xFF, 1]);
        assert!(matches!(
            r.sub_u24("cert"),
            Err(DecodeError::Truncated {
                needed: 0xFF_FFFF,
                left: 1,
                ..
            })
        ));
    }

    #[test]
    fn odd_u16_list_is_invalid() {
        let mut r = Reader::new(&[0, 3, 1, 2, 3]);
        let sub = r.sub_u16("list").unwrap();
        assert!(matches!(
            sub.u16_list("list"),
            Err(DecodeError::Invalid { offset: 2, .. })
        ));
    }

    #[test]
    fn prefixes_are_patched() {
        let mut out = vec![0xEE];
        put_u16_prefixed(&mut out, |o| o.extend_from_slice(b"abc"));
        put_u8_prefixed(&mut out, |_| {});
        put_u24_prefixed(&mut out, |o| o.push(7));
        assert_eq!(out, [0xEE, 0, 3, b'a', b'b', b'c', 0, 0, 0, 1, 7]);
    }

    #[test]
    fn oversized_lists_are_cut_between_items() {
        let items = vec![0x1234u16; 200];
        let mut out = Vec::new();
        put_u16_list_u8(&mut out, &items);
        assert_eq!(out[0], 254);
        assert_eq!(out.len(), 255);
        let mut out = Vec::new();
        put_u8_prefixed(&mut out, |o| o.extend_from_slice(&[1; 300]));
        assert_eq!(out[0], 255);
        assert_eq!(out.len(), 256);
    }
}
