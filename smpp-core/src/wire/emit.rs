//! One walk over a body's fields for everything encoding needs.
//!
//! Each body lists its fields once, in wire order, in an `encode` method
//! generic over [`Emit`]: [`Len`] counts the octets, [`Check`] applies each
//! field's rule (the rule its reader applies on decode: see
//! [`CString`]), and [`Writer`](super::write::Writer) writes the octets.
//! What `validate` accepts is therefore what `emit` writes and `parse`
//! reads back.

use crate::error::Error;
use crate::fields::{CString, check_short_message};
use crate::tlv::{TlvTag, Tlvs};

/// What encoding does with the parts of a body, in wire order.
pub(crate) trait Emit {
    /// Fixed octets (integers).
    fn array<const N: usize>(&mut self, octets: [u8; N]);

    /// Octets whose rule, if any, a [`Self::rule`] states.
    fn bytes(&mut self, octets: &[u8]);

    /// A C-Octet String field: the value, then its NUL.
    fn cstr(&mut self, kind: CString, value: &[u8]);

    /// A C-Octet String field, then the Integer1 fields after it.
    #[inline]
    fn cstr_then<const N: usize>(&mut self, kind: CString, value: &[u8], octets: [u8; N]) {
        self.cstr(kind, value);
        self.array(octets);
    }

    /// A rule that the octets around it keep; only [`Check`] runs it.
    fn rule(&mut self, check: impl FnOnce() -> Result<(), Error>);

    /// An Integer1.
    fn u8(&mut self, value: u8) {
        self.array([value]);
    }

    /// `sm_length`, then `short_message`.
    fn short_message(&mut self, value: &[u8]) {
        self.rule(|| check_short_message(value).map(drop));
        self.u8(u8::try_from(value.len()).unwrap_or(u8::MAX));
        self.bytes(value);
    }

    /// A TLV region.
    fn tlvs<B: AsRef<[u8]>>(&mut self, tlvs: &Tlvs<B>) {
        self.rule(|| tlvs.validate());
        self.bytes(tlvs.as_bytes());
    }

    /// A TLV region that must carry every tag of `required`.
    fn tlvs_requiring<B: AsRef<[u8]>, const N: usize>(
        &mut self,
        tlvs: &Tlvs<B>,
        required: &[TlvTag; N],
    ) {
        self.rule(|| tlvs.validate_requiring(required));
        self.bytes(tlvs.as_bytes());
    }
}

/// Counts the octets.
pub(crate) struct Len(pub(crate) usize);

impl Emit for Len {
    #[inline]
    fn array<const N: usize>(&mut self, _: [u8; N]) {
        self.0 += N;
    }

    #[inline]
    fn bytes(&mut self, octets: &[u8]) {
        self.0 += octets.len();
    }

    #[inline]
    fn cstr(&mut self, _: CString, value: &[u8]) {
        self.0 += value.len() + 1;
    }

    #[inline]
    fn rule(&mut self, _: impl FnOnce() -> Result<(), Error>) {}
}

/// Applies the rules, keeping the first failure.
pub(crate) struct Check(pub(crate) Result<(), Error>);

impl Check {
    /// No failure yet.
    pub(crate) const fn new() -> Self {
        Self(Ok(()))
    }
}

impl Emit for Check {
    #[inline]
    fn array<const N: usize>(&mut self, _: [u8; N]) {}

    #[inline]
    fn bytes(&mut self, _: &[u8]) {}

    #[inline]
    fn cstr(&mut self, kind: CString, value: &[u8]) {
        if self.0.is_ok() {
            self.0 = kind.check(value);
        }
    }

    #[inline]
    fn rule(&mut self, check: impl FnOnce() -> Result<(), Error>) {
        if self.0.is_ok() {
            self.0 = check();
        }
    }
}
