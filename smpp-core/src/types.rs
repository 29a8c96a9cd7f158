//! Field types shared by many PDUs.

use core::fmt;

/// A C-Octet String: ASCII text terminated by NUL on the wire.
///
/// Holds the octets *without* the terminator. Decoding checks the NUL and the
/// field's maximum size; encoding checks them again (a value with a NUL inside
/// or longer than the field allows is an error, never truncated).
///
/// ```
/// use smpp_core::COctet;
///
/// let id = COctet::from("SMPP3TEST");
/// assert_eq!(id.as_bytes(), b"SMPP3TEST");
/// assert_eq!(id.encoded_len(), 10); // the NUL counts on the wire
/// assert_eq!(id.to_str(), Some("SMPP3TEST"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct COctet<B>(B);

impl<B> COctet<B> {
    /// Wraps the octets of a value (without NUL). Sizes and NULs are checked
    /// when the PDU is encoded.
    pub const fn new(value: B) -> Self {
        Self(value)
    }

    /// The wrapped storage.
    pub fn into_inner(self) -> B {
        self.0
    }

    /// Converts the storage, for example from a borrowed slice to an owned
    /// buffer holding the same octets.
    pub fn map<C>(self, f: impl FnOnce(B) -> C) -> COctet<C> {
        COctet(f(self.0))
    }
}

impl<B: AsRef<[u8]>> COctet<B> {
    /// The value's octets, without the NUL terminator.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The value as text, if it is valid UTF-8 (SMPP specifies ASCII).
    pub fn to_str(&self) -> Option<&str> {
        core::str::from_utf8(self.as_bytes()).ok()
    }

    /// Octets before the NUL.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// True for the empty value (encoded as a single NUL, "NULL" in the
    /// specification).
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// Octets on the wire: the value plus its NUL.
    pub fn encoded_len(&self) -> usize {
        self.len() + 1
    }

    /// Borrows the value.
    pub fn as_ref(&self) -> COctet<&[u8]> {
        COctet(self.as_bytes())
    }
}

impl<'a> From<&'a str> for COctet<&'a [u8]> {
    fn from(value: &'a str) -> Self {
        Self(value.as_bytes())
    }
}

impl<'a> From<&'a [u8]> for COctet<&'a [u8]> {
    fn from(value: &'a [u8]) -> Self {
        Self(value)
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for COctet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.as_bytes().escape_ascii())
    }
}

impl<B: AsRef<[u8]>> fmt::Display for COctet<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_bytes().escape_ascii())
    }
}
