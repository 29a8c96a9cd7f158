//! UCS-2 / UTF-16BE text (`data_coding` 0x08).
//!
//! SMPP calls it UCS-2, but real traffic carries characters outside the Basic Multilingual Plane
//! (emoji) as UTF-16 surrogate pairs, so this module encodes and decodes UTF-16 big-endian.
//!
//! ```
//! use smpp_core::text::ucs2;
//!
//! let mut buf = [0u8; 8];
//! let n = ucs2::encode("é😀", &mut buf)?;
//! assert_eq!(&buf[..n], &[0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00]);
//! let mut s = [0u8; 8];
//! let m = ucs2::decode_to_utf8(&buf[..n], &mut s)?;
//! assert_eq!(&s[..m], "é😀".as_bytes());
//! # Ok::<(), smpp_core::text::TextError>(())
//! ```

use super::{TextError, push_utf8};

/// Number of UTF-16 code units in `text` (characters outside the BMP count 2).
pub fn unit_count(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// Encodes `text` as UTF-16BE octets into `out`, returning the number of octets written.
pub fn encode(text: &str, out: &mut [u8]) -> Result<usize, TextError> {
    let mut pos = 0usize;
    for unit in text.encode_utf16() {
        let end = pos.checked_add(2).ok_or(TextError::BufferTooSmall)?;
        out.get_mut(pos..end)
            .ok_or(TextError::BufferTooSmall)?
            .copy_from_slice(&unit.to_be_bytes());
        pos = end;
    }
    Ok(pos)
}

/// Encodes `text` as UTF-16 code units into `out`, returning the number of units written.
pub fn encode_units(text: &str, out: &mut [u16]) -> Result<usize, TextError> {
    let mut n = 0usize;
    for unit in text.encode_utf16() {
        *out.get_mut(n).ok_or(TextError::BufferTooSmall)? = unit;
        n += 1;
    }
    Ok(n)
}

/// An iterator decoding UTF-16BE octets; see [`decode`].
#[derive(Debug, Clone)]
pub struct Decoder<'a> {
    units: core::slice::ChunksExact<'a, u8>,
    odd: bool,
}

impl Decoder<'_> {
    fn next_unit(&mut self) -> Option<u16> {
        self.units
            .next()
            .and_then(|c| c.first_chunk::<2>())
            .map(|&b| u16::from_be_bytes(b))
    }
}

impl Iterator for Decoder<'_> {
    type Item = Result<char, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        let Some(unit) = self.next_unit() else {
            if self.odd {
                self.odd = false;
                return Some(Err(TextError::OddLength));
            }
            return None;
        };
        Some(match unit {
            0xD800..=0xDBFF => {
                let Some(low) = self.next_unit() else {
                    return Some(Err(TextError::UnpairedSurrogate(unit)));
                };
                if (0xDC00..=0xDFFF).contains(&low) {
                    let cp =
                        0x1_0000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    char::from_u32(cp).ok_or(TextError::UnpairedSurrogate(unit))
                } else {
                    Err(TextError::UnpairedSurrogate(unit))
                }
            }
            0xDC00..=0xDFFF => Err(TextError::UnpairedSurrogate(unit)),
            _ => char::from_u32(u32::from(unit)).ok_or(TextError::UnpairedSurrogate(unit)),
        })
    }
}

/// Decodes UTF-16BE octets into characters.
///
/// An odd number of octets ends the iteration with [`TextError::OddLength`]; a lone surrogate
/// yields [`TextError::UnpairedSurrogate`].
pub fn decode(bytes: &[u8]) -> Decoder<'_> {
    Decoder {
        units: bytes.chunks_exact(2),
        odd: bytes.len() % 2 == 1,
    }
}

/// Decodes UTF-16BE octets into UTF-8 in `out`, returning the number of bytes written.
pub fn decode_to_utf8(bytes: &[u8], out: &mut [u8]) -> Result<usize, TextError> {
    if bytes.len() % 2 == 1 {
        return Err(TextError::OddLength);
    }
    let mut pos = 0;
    for ch in decode(bytes) {
        push_utf8(out, &mut pos, ch?)?;
    }
    Ok(pos)
}
