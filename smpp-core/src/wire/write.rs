//! A cursor over the caller's output buffer.
//!
//! Encoders check the total size once ([`Writer::new`]), so every later write
//! fits; the writer still never indexes out of bounds: a write that would not
//! fit sets `overflow` and is dropped, and [`Writer::finish`] reports it.

use crate::error::{Error, ErrorKind};

pub(crate) struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
    overflow: bool,
}

impl<'a> Writer<'a> {
    /// Checks that `out` holds `needed` octets and takes that much of it.
    pub(crate) fn new(out: &'a mut [u8], needed: usize) -> Result<Self, Error> {
        let available = out.len();
        match out.get_mut(..needed) {
            Some(buf) => Ok(Self {
                buf,
                pos: 0,
                overflow: false,
            }),
            None => Err(Error::new(ErrorKind::BufferTooSmall { needed, available })),
        }
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        let end = self.pos.saturating_add(bytes.len());
        match self.buf.get_mut(self.pos..end) {
            Some(dst) => {
                dst.copy_from_slice(bytes);
                self.pos = end;
            }
            None => self.overflow = true,
        }
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes(&[v]);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes(&v.to_be_bytes());
    }

    /// A C-Octet String: the value then its NUL.
    pub(crate) fn cstr(&mut self, v: &[u8]) {
        self.bytes(v);
        self.u8(0);
    }

    /// Ends the write, returning the octets written. An encoder whose
    /// `encoded_len` disagreed with what it wrote gets an error, never a
    /// truncated PDU.
    pub(crate) fn finish(self) -> Result<usize, Error> {
        debug_assert!(!self.overflow && self.pos == self.buf.len());
        if self.overflow || self.pos != self.buf.len() {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: self.buf.len().saturating_add(1),
                available: self.buf.len(),
            }));
        }
        Ok(self.pos)
    }
}

use crate::error::{Field, FieldProblem};

fn field_error(field: Field, problem: FieldProblem) -> Error {
    Error::new(ErrorKind::Field { field, problem })
}

/// Checks a C-Octet String value before encoding: no NUL inside, and at most
/// `max` octets with its terminator.
pub(crate) fn check_cstr(field: Field, value: &[u8], max: usize) -> Result<(), Error> {
    let len = value.len() + 1;
    if len > max {
        return Err(field_error(field, FieldProblem::TooLong { max, len }));
    }
    if value.contains(&0) {
        return Err(field_error(field, FieldProblem::EmbeddedNul));
    }
    Ok(())
}

/// Checks an SMPP time value before encoding: empty or 16 characters.
pub(crate) fn check_time(field: Field, value: &[u8]) -> Result<(), Error> {
    match value.len() {
        0 | 16 => check_cstr(field, value, 17),
        len => Err(field_error(field, FieldProblem::TimeLength { len })),
    }
}

/// Checks an octet string preceded by an Integer1 length (`short_message`).
pub(crate) fn check_short_message(value: &[u8]) -> Result<u8, Error> {
    u8::try_from(value.len()).map_err(|_| {
        field_error(
            Field::ShortMessage,
            FieldProblem::TooLong {
                max: 255,
                len: value.len(),
            },
        )
    })
}
