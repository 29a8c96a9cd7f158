//! A cursor over the caller's output buffer.
//!
//! Encoders check the total size once ([`Writer::new`]), so every later write
//! fits; the writer still never indexes out of bounds: a write that would not
//! fit sets `overflow` and is dropped, and [`Writer::finish`] reports it.

use crate::error::{Error, ErrorKind};

pub(crate) struct Writer<'a> {
    /// The part of the output not written yet.
    rest: &'a mut [u8],
    /// Octets to write in all.
    len: usize,
    overflow: bool,
    /// A checked write ([`Self::cstr_checked`], [`Self::time_checked`])
    /// met a value that breaks its rule.
    invalid: bool,
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
                invalid: false,
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

    #[inline]
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.take(bytes.len()) {
            copy(dst, bytes);
        }
    }

    #[inline]
    pub(crate) fn array<const N: usize>(&mut self, bytes: [u8; N]) {
        if let Some(dst) = self.take(N) {
            dst.copy_from_slice(&bytes);
        }
    }

    #[inline]
    pub(crate) fn u8(&mut self, v: u8) {
        self.array([v]);
    }

    #[inline]
    pub(crate) fn u32(&mut self, v: u32) {
        self.array(v.to_be_bytes());
    }

    /// A C-Octet String: the value then its NUL.
    #[inline]
    pub(crate) fn cstr(&mut self, v: &[u8]) {
        if let Some((nul, dst)) = self.take(v.len() + 1).and_then(|dst| dst.split_last_mut()) {
            copy(dst, v);
            *nul = 0;
        }
    }

    /// A C-Octet String whose rules (no NUL inside, at most `max` octets
    /// with its NUL) are checked while it is copied, not in a pass of their
    /// own; a value that breaks them marks the write invalid (see
    /// [`Self::is_invalid`]) and the encoder reports the precise error.
    #[allow(clippy::inline_always)] // five to ten per PDU: a call costs more than the copy
    #[inline(always)]
    pub(crate) fn cstr_checked(&mut self, v: &[u8], max: usize) {
        self.invalid |= v.len() >= max;
        let mut found = false;
        if let Some((nul, dst)) = self.take(v.len() + 1).and_then(|dst| dst.split_last_mut()) {
            found = copy_finding_nul(dst, v);
            *nul = 0;
        }
        self.invalid |= found;
    }

    /// An SMPP time field (empty or an SMPP time of 16 characters, see
    /// [`crate::time::check_field`]), checked as it is copied like
    /// [`Self::cstr_checked`].
    #[inline]
    pub(crate) fn time_checked(&mut self, field: Field, v: &[u8]) {
        self.invalid |= crate::time::check_field(field, v).is_err();
        self.cstr(v);
    }

    /// Whether a checked write met a value that breaks its rule.
    #[inline]
    pub(crate) const fn is_invalid(&self) -> bool {
        self.invalid
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

/// Copies `src` into `dst` (of the same length). Field values are mostly a
/// few octets: up to 16 move as two overlapping fixed-size words instead of
/// a call to `memcpy`.
#[inline]
fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n != dst.len() {
        return;
    }
    match n {
        8..=16 => copy_ends::<8>(dst, src),
        4..=7 => copy_ends::<4>(dst, src),
        0..=3 => {
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
            }
        }
        _ => dst.copy_from_slice(src),
    }
}

/// [`copy`], and whether `src` holds a NUL, read from the words it copies.
#[allow(clippy::inline_always)]
#[inline(always)]
fn copy_finding_nul(dst: &mut [u8], src: &[u8]) -> bool {
    let n = src.len();
    if n != dst.len() {
        return false;
    }
    match n {
        8..=16 => {
            let (Some(first), Some(last)) = (src.first_chunk::<8>(), src.last_chunk::<8>()) else {
                return false;
            };
            copy_ends::<8>(dst, src);
            zero_octets(u64::from_le_bytes(*first)) | zero_octets(u64::from_le_bytes(*last)) != 0
        }
        4..=7 => {
            let (Some(first), Some(last)) = (src.first_chunk::<4>(), src.last_chunk::<4>()) else {
                return false;
            };
            copy_ends::<4>(dst, src);
            let zero = |w: &[u8; 4]| {
                let w = u32::from_le_bytes(*w);
                w.wrapping_sub(0x0101_0101) & !w & 0x8080_8080 != 0
            };
            zero(first) | zero(last)
        }
        0..=3 => {
            let mut nul = false;
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
                nul |= *s == 0;
            }
            nul
        }
        _ => {
            dst.copy_from_slice(src);
            has_nul(src)
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

use crate::error::{Field, FieldProblem};
use crate::wire::scan::{has_nul, zero_octets};

#[cold]
fn field_error(field: Field, problem: FieldProblem) -> Error {
    Error::new(ErrorKind::Field { field, problem })
}

/// Checks a C-Octet String value before encoding: no NUL inside, and at most
/// `max` octets with its terminator.
#[inline]
pub(crate) fn check_cstr(field: Field, value: &[u8], max: usize) -> Result<(), Error> {
    let len = value.len() + 1;
    if len > max {
        return Err(field_error(field, FieldProblem::TooLong { max, len }));
    }
    if has_nul(value) {
        return Err(field_error(field, FieldProblem::EmbeddedNul));
    }
    Ok(())
}

/// Checks an SMPP time value before encoding, by the rule decoding applies
/// ([`crate::time::check_field`]).
#[inline]
pub(crate) fn check_time(field: Field, value: &[u8]) -> Result<(), Error> {
    crate::time::check_field(field, value).map_err(|problem| field_error(field, problem))
}

/// Checks an octet string preceded by an Integer1 length (`short_message`).
#[inline]
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

#[cfg(test)]
mod tests {
    use super::Writer;

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
    fn checked_c_octet_strings_find_every_nul_and_every_overlong_value() {
        let max = 21;
        for len in 0..48 {
            let src: [u8; 48] = core::array::from_fn(|i| 0x80 | u8::try_from(i).unwrap());
            let fits = len < max;
            for nul in (0..len).map(Some).chain([None]) {
                let mut value = src;
                if let Some(at) = nul {
                    value[at] = 0;
                }
                let value = &value[..len];
                let mut out = [0xEE; 64];
                let mut w = Writer::new(&mut out, len + 1).unwrap();
                w.cstr_checked(value, max);
                assert_eq!(
                    w.is_invalid(),
                    nul.is_some() || !fits,
                    "len {len} nul {nul:?}"
                );
                assert_eq!(w.finish(), Ok(len + 1));
                assert_eq!(&out[..len], value);
                assert_eq!(out[len], 0);
            }
        }
    }

    #[test]
    fn checked_time_fields_are_empty_or_an_smpp_time() {
        use crate::error::Field;
        let value = *b"250102030405006+0000";
        for len in 0..20 {
            let mut out = [0u8; 32];
            let mut w = Writer::new(&mut out, len + 1).unwrap();
            w.time_checked(Field::ValidityPeriod, &value[..len]);
            assert_eq!(w.is_invalid(), !matches!(len, 0 | 16), "len {len}");
            assert_eq!(w.finish(), Ok(len + 1));
            assert_eq!(out[..len], value[..len]);
        }
        for bad in [
            b"2501020304050060",
            b"251302030405006+",
            b"25010203040\x00006+",
        ] {
            let mut out = [0u8; 17];
            let mut w = Writer::new(&mut out, 17).unwrap();
            w.time_checked(Field::ScheduleDeliveryTime, bad);
            assert!(w.is_invalid(), "{bad:?}");
        }
        // Relative times: valid except in final_date.
        for (field, invalid) in [(Field::ValidityPeriod, false), (Field::FinalDate, true)] {
            let mut out = [0u8; 17];
            let mut w = Writer::new(&mut out, 17).unwrap();
            w.time_checked(field, b"000001000000000R");
            assert_eq!(w.is_invalid(), invalid, "{field}");
        }
    }

    #[test]
    fn a_write_past_the_declared_length_is_an_error_not_a_truncation() {
        let mut out = [0u8; 8];
        let mut w = Writer::new(&mut out, 4).unwrap();
        w.cstr(b"abcd");
        assert!(w.finish().is_err());
        let mut w = Writer::new(&mut out, 4).unwrap();
        w.cstr(b"ab");
        assert!(w.finish().is_err(), "short write");
    }
}
