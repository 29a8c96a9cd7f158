//! A cursor over the caller's output buffer.
//!
//! Encoders check the total size once ([`Writer::new`]), so every later write
//! fits; the writer still never indexes out of bounds: a write that would not
//! fit sets `overflow` and is dropped, and [`Writer::finish`] reports it.

use crate::error::{Error, ErrorKind};
use crate::fields::CString;
use crate::header::Header;
use crate::wire::emit::Emit;

pub(crate) struct Writer<'a> {
    /// The part of the output not written yet.
    rest: &'a mut [u8],
    /// Octets to write in all.
    len: usize,
    overflow: bool,
}

impl<'a> Writer<'a> {
    /// Checks that `out` holds `needed` octets and takes that much of it.
    #[inline]
    pub(crate) fn new(out: &'a mut [u8], needed: usize) -> Result<Self, Error> {
        let available = out.len();
        match out.get_mut(..needed) {
            Some(rest) => Ok(Self {
                rest,
                len: needed,
                overflow: false,
            }),
            None => Err(Error::new(ErrorKind::BufferTooSmall { needed, available })),
        }
    }

    /// Takes the next `n` octets of the output, or marks an overflow.
    #[inline]
    fn take(&mut self, n: usize) -> Option<&mut [u8]> {
        let rest = core::mem::take(&mut self.rest);
        if let Some((dst, tail)) = rest.split_at_mut_checked(n) {
            self.rest = tail;
            Some(dst)
        } else {
            self.overflow = true;
            None
        }
    }

    /// Ends the write, returning the octets written. An encoder whose
    /// `encoded_len` disagreed with what it wrote gets an error, never a
    /// truncated PDU.
    #[inline]
    pub(crate) fn finish(self) -> Result<usize, Error> {
        if self.overflow || !self.rest.is_empty() {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: self.len.saturating_add(1),
                available: self.len,
            }));
        }
        Ok(self.len)
    }
}

/// Writes a PDU of `header.command_length` octets into the start of `out`:
/// `header`, then what `body` emits. `None` if `out` is too small or the
/// body is not `command_length - 16` octets long (nothing of use written).
#[inline]
pub(crate) fn write_pdu(
    out: &mut [u8],
    header: &Header,
    body: impl FnOnce(&mut Writer<'_>),
) -> Option<usize> {
    let len = usize::try_from(header.command_length).ok()?;
    let (head, rest) = out.get_mut(..len)?.split_first_chunk_mut::<16>()?;
    *head = header.to_bytes();
    let mut w = Writer {
        rest,
        len,
        overflow: false,
    };
    body(&mut w);
    (!w.overflow && w.rest.is_empty()).then_some(len)
}

impl Emit for Writer<'_> {
    #[inline]
    fn array<const N: usize>(&mut self, octets: [u8; N]) {
        if let Some(dst) = self.take(N) {
            dst.copy_from_slice(&octets);
        }
    }

    #[inline]
    fn bytes(&mut self, octets: &[u8]) {
        if let Some(dst) = self.take(octets.len()) {
            copy(dst, octets);
        }
    }

    /// The value then its NUL; its rule is [`Check`](super::emit::Check)'s.
    #[inline]
    fn cstr(&mut self, _: CString, value: &[u8]) {
        if let Some((nul, dst)) = self
            .take(value.len() + 1)
            .and_then(|dst| dst.split_last_mut())
        {
            copy(dst, value);
            *nul = 0;
        }
    }

    /// The value, its NUL and the integers, in one write.
    #[inline]
    fn cstr_then<const N: usize>(&mut self, _: CString, value: &[u8], octets: [u8; N]) {
        if let Some((head, ints)) = self
            .take(value.len() + 1 + N)
            .and_then(|dst| dst.split_last_chunk_mut::<N>())
            && let Some((nul, dst)) = head.split_last_mut()
        {
            copy(dst, value);
            *nul = 0;
            *ints = octets;
        }
    }

    #[inline]
    fn rule(&mut self, _: impl FnOnce() -> Result<(), Error>) {}
}

/// Copies `src` into `dst` (of the same length). Field values are mostly a
/// few octets, often none: up to 16 move as two overlapping fixed-size
/// words instead of a call to `memcpy`.
#[inline]
fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n != dst.len() || n == 0 {
        return;
    }
    if n > 16 {
        dst.copy_from_slice(src);
    } else if n >= 8 {
        copy_ends::<8>(dst, src);
    } else if n >= 4 {
        copy_ends::<4>(dst, src);
    } else {
        // The first, middle and last octets: all of them.
        for i in [0, n / 2, n - 1] {
            if let (Some(d), Some(s)) = (dst.get_mut(i), src.get(i)) {
                *d = *s;
            }
        }
    }
}

/// Copies the first and the last `N` octets (together, all of them when
/// `N <= len <= 2 * N`).
#[inline]
fn copy_ends<const N: usize>(dst: &mut [u8], src: &[u8]) {
    if let (Some(d), Some(s)) = (dst.first_chunk_mut::<N>(), src.first_chunk::<N>()) {
        *d = *s;
    }
    if let (Some(d), Some(s)) = (dst.last_chunk_mut::<N>(), src.last_chunk::<N>()) {
        *d = *s;
    }
}

#[cfg(test)]
mod tests {
    use super::Writer;
    use crate::fields::MESSAGE_ID;
    use crate::wire::emit::Emit;

    #[test]
    fn every_length_is_copied_exactly() {
        let src: [u8; 80] = core::array::from_fn(|i| u8::try_from(i).unwrap() + 1);
        for len in 0..src.len() {
            let mut out = [0xEE; 100];
            let mut w = Writer::new(&mut out, len + 2).unwrap();
            w.u8(0xAA);
            w.bytes(&src[..len]);
            w.u8(0xBB);
            assert_eq!(w.finish(), Ok(len + 2));
            assert_eq!(out[0], 0xAA);
            assert_eq!(&out[1..=len], &src[..len], "length {len}");
            assert_eq!(out[len + 1], 0xBB);
            assert!(out[len + 2..].iter().all(|&b| b == 0xEE));
        }
    }

    #[test]
    fn a_string_and_the_integers_after_it_are_written_in_one_piece() {
        let src: [u8; 64] = core::array::from_fn(|i| u8::try_from(i).unwrap() + 1);
        for len in 0..=src.len() {
            let needed = len + 4;
            let mut out = [0xEE; 72];
            let mut w = Writer::new(&mut out, needed).unwrap();
            w.cstr_then(MESSAGE_ID, &src[..len], [0xA1, 0xA2, 0xA3]);
            assert_eq!(w.finish(), Ok(needed), "length {len}");
            assert_eq!(&out[..len], &src[..len], "length {len}");
            assert_eq!(out[len..needed], [0, 0xA1, 0xA2, 0xA3], "length {len}");
            assert!(out[needed..].iter().all(|&b| b == 0xEE));
            let mut w = Writer::new(&mut out, needed - 1).unwrap();
            w.cstr_then(MESSAGE_ID, &src[..len], [0xA1, 0xA2, 0xA3]);
            assert!(w.finish().is_err(), "one octet short, length {len}");
        }
    }

    #[test]
    fn a_write_past_the_declared_length_is_an_error_not_a_truncation() {
        let mut out = [0u8; 8];
        let mut w = Writer::new(&mut out, 4).unwrap();
        w.cstr(MESSAGE_ID, b"abcd");
        assert!(w.finish().is_err());
        let mut w = Writer::new(&mut out, 4).unwrap();
        w.cstr(MESSAGE_ID, b"ab");
        assert!(w.finish().is_err(), "short write");
    }
}
