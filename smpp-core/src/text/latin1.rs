//! ISO-8859-1 (`data_coding` 0x03) and IA5 / ASCII (`data_coding` 0x01) text.
//!
//! ```
//! use smpp_core::text::{latin1, OnUnmappable};
//!
//! let mut buf = [0u8; 8];
//! let n = latin1::encode_latin1("café€", OnUnmappable::Replace, &mut buf)?;
//! assert_eq!(&buf[..n], b"caf\xE9?");
//! let text: heapless::String<8> = latin1::decode_latin1(&buf[..n]).collect();
//! assert_eq!(text, "café?");
//! # Ok::<(), smpp_core::text::TextError>(())
//! ```

use super::{OnUnmappable, TextError, push_byte, write_utf8};

fn encode_with(
    text: &str,
    max: u32,
    policy: OnUnmappable,
    out: &mut [u8],
) -> Result<usize, TextError> {
    let mut pos = 0;
    for (offset, ch) in text.char_indices() {
        let b = match u8::try_from(u32::from(ch)) {
            Ok(b) if u32::from(b) <= max => b,
            _ => match policy {
                OnUnmappable::Replace => b'?',
                OnUnmappable::Error => return Err(TextError::Unmappable { ch, offset }),
            },
        };
        push_byte(out, &mut pos, b)?;
    }
    Ok(pos)
}

/// Encodes `text` as Latin-1 (U+0000-U+00FF), returning the number of octets written.
///
/// # Errors
///
/// [`TextError::Unmappable`] for a character above U+00FF under [`OnUnmappable::Error`]
/// (under [`OnUnmappable::Replace`] it is written as `'?'`), [`TextError::BufferTooSmall`]
/// when `out` is shorter than the text.
pub fn encode_latin1(text: &str, policy: OnUnmappable, out: &mut [u8]) -> Result<usize, TextError> {
    encode_with(text, 0xFF, policy, out)
}

/// Encodes `text` as ASCII (U+0000-U+007F), returning the number of octets written.
///
/// # Errors
///
/// As [`encode_latin1`], for a character above U+007F.
pub fn encode_ascii(text: &str, policy: OnUnmappable, out: &mut [u8]) -> Result<usize, TextError> {
    encode_with(text, 0x7F, policy, out)
}

/// Whether every character of `text` is in Latin-1.
pub fn is_latin1(text: &str) -> bool {
    text.chars().all(|c| u32::from(c) <= 0xFF)
}

/// Decodes Latin-1 octets; every octet is a character, so this cannot fail.
pub fn decode_latin1(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
    bytes.iter().map(|&b| char::from(b))
}

/// Decodes ASCII octets; octets above 0x7F yield [`TextError::NonAscii`]. This is
/// [`decode_ascii_with`] under [`OnUnmappable::Error`].
pub fn decode_ascii(bytes: &[u8]) -> impl Iterator<Item = Result<char, TextError>> + '_ {
    decode_ascii_with(bytes, OnUnmappable::Error)
}

/// Decodes ASCII octets with a policy for octets above 0x7F: [`TextError::NonAscii`] under
/// [`OnUnmappable::Error`], U+FFFD (REPLACEMENT CHARACTER) under [`OnUnmappable::Replace`],
/// one for each such octet.
///
/// ```
/// use smpp_core::text::{latin1, OnUnmappable};
///
/// let s: String = latin1::decode_ascii_with(b"caf\xE9", OnUnmappable::Replace).collect::<Result<_, _>>()?;
/// assert_eq!(s, "caf\u{FFFD}");
/// # Ok::<(), smpp_core::text::TextError>(())
/// ```
pub fn decode_ascii_with(
    bytes: &[u8],
    policy: OnUnmappable,
) -> impl Iterator<Item = Result<char, TextError>> + '_ {
    bytes.iter().map(move |&b| ascii_char(b, policy))
}

/// One IA5 / ASCII octet as a character under `policy`.
pub(crate) fn ascii_char(b: u8, policy: OnUnmappable) -> Result<char, TextError> {
    match (b.is_ascii(), policy) {
        (true, _) => Ok(char::from(b)),
        (false, OnUnmappable::Replace) => Ok(char::REPLACEMENT_CHARACTER),
        (false, OnUnmappable::Error) => Err(TextError::NonAscii(b)),
    }
}

/// Decodes Latin-1 into UTF-8 in `out`, returning the number of bytes written: at most two
/// for each octet.
///
/// # Errors
///
/// [`TextError::BufferTooSmall`] when `out` is too short.
pub fn latin1_to_utf8(bytes: &[u8], out: &mut [u8]) -> Result<usize, TextError> {
    write_utf8(out, decode_latin1(bytes).map(Ok))
}
