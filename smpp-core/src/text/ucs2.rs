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

use super::{OnUnmappable, TextError, push_utf8, utf8_leads};

/// Number of UTF-16 code units in `text` (characters outside the BMP count 2).
pub fn unit_count(text: &str) -> usize {
    // One unit per character, and a second for each that takes four UTF-8 octets (those whose
    // lead octet is 0xF0 or above), eight octets at a time.
    let mut chunks = text.as_bytes().chunks_exact(8);
    let mut units = 0;
    for chunk in &mut chunks {
        let (leads, fours) = utf8_leads(<[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes));
        units += leads + fours;
    }
    let rest = chunks.remainder().iter();
    units
        + rest
            .map(|&b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
            .sum::<usize>()
}

/// Encodes `text` as UTF-16BE octets into `out`, returning the number of octets written: two
/// for each character of the BMP, four (a surrogate pair) for each other one.
///
/// # Errors
///
/// [`TextError::BufferTooSmall`] when `out` is too short; every character has a UTF-16 form.
pub fn encode(text: &str, out: &mut [u8]) -> Result<usize, TextError> {
    let mut slots = out.chunks_exact_mut(2);
    let mut put = |unit: u16| {
        slots
            .next()
            .ok_or(TextError::BufferTooSmall)?
            .copy_from_slice(&unit.to_be_bytes());
        Ok::<_, TextError>(2)
    };
    let mut pos = 0usize;
    for ch in text.chars() {
        pos += if let Ok(unit) = u16::try_from(u32::from(ch)) {
            put(unit)?
        } else {
            let [high, low] = surrogates(ch);
            put(high)? + put(low)?
        };
    }
    Ok(pos)
}

/// The surrogate pair of a character outside the BMP.
#[allow(clippy::cast_possible_truncation)] // each half is below 0x10000
const fn surrogates(ch: char) -> [u16; 2] {
    let c = (ch as u32).wrapping_sub(0x1_0000);
    [0xD800 | (c >> 10) as u16, 0xDC00 | (c & 0x3FF) as u16]
}

/// Encodes `text` as UTF-16 code units into `out`, returning the number of units written.
///
/// # Errors
///
/// [`TextError::BufferTooSmall`] when `out` is too short.
pub fn encode_units(text: &str, out: &mut [u16]) -> Result<usize, TextError> {
    let mut n = 0usize;
    for unit in text.encode_utf16() {
        *out.get_mut(n).ok_or(TextError::BufferTooSmall)? = unit;
        n += 1;
    }
    Ok(n)
}

/// An iterator decoding UTF-16BE octets; see [`decode`] and [`decode_with`].
#[derive(Debug, Clone)]
pub struct Decoder<'a> {
    /// The octets not yet decoded (an odd last octet is never read as part of a unit).
    octets: &'a [u8],
    odd: bool,
    policy: OnUnmappable,
}

impl Decoder<'_> {
    fn next_unit(&mut self) -> Option<u16> {
        let (&unit, rest) = self.octets.split_first_chunk::<2>()?;
        self.octets = rest;
        Some(u16::from_be_bytes(unit))
    }

    /// Takes the next unit if it is a low surrogate; any other unit stays for the next call.
    fn next_low_surrogate(&mut self) -> Option<u16> {
        let (&unit, rest) = self.octets.split_first_chunk::<2>()?;
        let unit = u16::from_be_bytes(unit);
        if (0xDC00..=0xDFFF).contains(&unit) {
            self.octets = rest;
            Some(unit)
        } else {
            None
        }
    }

    /// The next character or error, before the policy applies.
    fn next_item(&mut self) -> Option<Result<char, TextError>> {
        let Some(unit) = self.next_unit() else {
            if self.odd {
                self.odd = false;
                return Some(Err(TextError::OddLength));
            }
            return None;
        };
        Some(match unit {
            0xD800..=0xDBFF => {
                // A unit that is not a low surrogate is not this one's partner: it is left for
                // the next call, so that only the high surrogate is in error.
                let Some(low) = self.next_low_surrogate() else {
                    return Some(Err(TextError::UnpairedSurrogate(unit)));
                };
                let cp = 0x1_0000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                char::from_u32(cp).ok_or(TextError::UnpairedSurrogate(unit))
            }
            0xDC00..=0xDFFF => Err(TextError::UnpairedSurrogate(unit)),
            _ => char::from_u32(u32::from(unit)).ok_or(TextError::UnpairedSurrogate(unit)),
        })
    }
}

impl Iterator for Decoder<'_> {
    type Item = Result<char, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.next_item()?;
        Some(match (item, self.policy) {
            (Err(_), OnUnmappable::Replace) => Ok(char::REPLACEMENT_CHARACTER),
            (item, _) => item,
        })
    }
}

/// Decodes UTF-16BE octets into characters.
///
/// An odd number of octets ends the iteration with [`TextError::OddLength`]; a lone surrogate
/// yields [`TextError::UnpairedSurrogate`]. Decoding goes on after an error: a high surrogate
/// followed by a unit that is not a low surrogate is the error, and that unit is decoded next.
/// This is [`decode_with`] under [`OnUnmappable::Error`].
pub fn decode(bytes: &[u8]) -> Decoder<'_> {
    decode_with(bytes, OnUnmappable::Error)
}

/// Decodes UTF-16BE octets into characters, with a policy for what does not decode.
///
/// Under [`OnUnmappable::Error`] the errors are those of [`decode`]. Under
/// [`OnUnmappable::Replace`] the iterator never yields an error: each item [`decode`] gives as
/// an error becomes U+FFFD (REPLACEMENT CHARACTER). That is one U+FFFD for each surrogate
/// without its partner (the unit after a lone high surrogate decodes as itself) and one U+FFFD
/// at the end for an odd last octet.
///
/// ```
/// use smpp_core::text::{ucs2, OnUnmappable};
///
/// let s: String = ucs2::decode_with(&[0xD8, 0x00, 0x00, 0x41, 0x00], OnUnmappable::Replace)
///     .collect::<Result<_, _>>()?;
/// assert_eq!(s, "\u{FFFD}A\u{FFFD}");
/// # Ok::<(), smpp_core::text::TextError>(())
/// ```
pub fn decode_with(bytes: &[u8], policy: OnUnmappable) -> Decoder<'_> {
    Decoder {
        octets: bytes,
        odd: bytes.len() % 2 == 1,
        policy,
    }
}

/// Decodes UTF-16BE octets into UTF-8 in `out`, returning the number of bytes written.
///
/// An odd number of octets fails with [`TextError::OddLength`] before anything is written; a
/// lone surrogate fails with [`TextError::UnpairedSurrogate`]. This is [`decode_to_utf8_with`]
/// under [`OnUnmappable::Error`].
pub fn decode_to_utf8(bytes: &[u8], out: &mut [u8]) -> Result<usize, TextError> {
    decode_to_utf8_with(bytes, OnUnmappable::Error, out)
}

/// Decodes UTF-16BE octets into UTF-8 in `out` with a policy for what does not decode (see
/// [`decode_with`]), returning the number of bytes written. Under [`OnUnmappable::Replace`]
/// the only error is [`TextError::BufferTooSmall`].
pub fn decode_to_utf8_with(
    bytes: &[u8],
    policy: OnUnmappable,
    out: &mut [u8],
) -> Result<usize, TextError> {
    if bytes.len() % 2 == 1 && policy == OnUnmappable::Error {
        return Err(TextError::OddLength);
    }
    let mut decoder = decode_with(bytes, policy);
    let mut pos = 0;
    loop {
        // Characters of the BMP (a unit that is not a surrogate) go straight into the output.
        while let Some((&unit, rest)) = decoder.octets.split_first_chunk::<2>() {
            let Some(ch) = char::from_u32(u32::from(u16::from_be_bytes(unit))) else {
                break;
            };
            let Some(dst) = out.get_mut(pos..pos + ch.len_utf8()) else {
                break;
            };
            ch.encode_utf8(dst);
            pos += dst.len();
            decoder.octets = rest;
        }
        // Surrogate pairs and errors.
        let Some(ch) = decoder.next() else {
            return Ok(pos);
        };
        push_utf8(out, &mut pos, ch?)?;
    }
}

#[cfg(test)]
mod tests {
    use std::string::String;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::testing::{same_output, tables_and_text};
    use super::super::write_utf8;
    use super::*;

    fn encode_one_by_one(text: &str, out: &mut [u8]) -> Result<usize, TextError> {
        let mut pos = 0;
        for unit in text.encode_utf16() {
            let dst = out.get_mut(pos..pos + 2).ok_or(TextError::BufferTooSmall)?;
            dst.copy_from_slice(&unit.to_be_bytes());
            pos += 2;
        }
        Ok(pos)
    }

    fn utf8_one_by_one(bytes: &[u8], out: &mut [u8]) -> Result<usize, TextError> {
        if bytes.len() % 2 == 1 {
            return Err(TextError::OddLength);
        }
        write_utf8(out, decode(bytes))
    }

    fn utf16be() -> impl Strategy<Value = Vec<u8>> {
        let unit = prop_oneof![
            4 => 0u16..0x500,
            2 => any::<u16>(),
            1 => 0xD800u16..0xE000,
        ];
        proptest::collection::vec(unit, 0..120)
            .prop_flat_map(|units| {
                let octets: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
                let len = octets.len();
                (Just(octets), prop_oneof![3 => Just(len), 1 => 0..=len])
            })
            .prop_map(|(mut octets, len)| {
                octets.truncate(len);
                octets
            })
    }

    proptest! {
        #[test]
        fn decoding_agrees_with_one_character_at_a_time(
            bytes in utf16be(),
            room in 0usize..6,
        ) {
            let full = 3 * bytes.len() / 2;
            same_output(
                [full, full / 2, full.saturating_sub(room), room],
                |out| decode_to_utf8(&bytes, out),
                |out| utf8_one_by_one(&bytes, out),
            )?;
            // Item by item as the standard library's UTF-16 decoder, which reports each
            // unpaired surrogate alone, then the odd octet.
            let units = bytes.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
            let mut expected: Vec<Result<char, TextError>> = char::decode_utf16(units)
                .map(|r| r.map_err(|e| TextError::UnpairedSurrogate(e.unpaired_surrogate())))
                .collect();
            if bytes.len() % 2 == 1 {
                expected.push(Err(TextError::OddLength));
            }
            prop_assert_eq!(&decode(&bytes).collect::<Vec<_>>(), &expected);
            // Replacing: every error item is U+FFFD, in place, and nothing else changes.
            let replaced: String = expected
                .iter()
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            let lossy: Result<String, _> = decode_with(&bytes, OnUnmappable::Replace).collect();
            prop_assert_eq!(lossy.as_ref(), Ok(&replaced));
            let full = replaced.len();
            same_output(
                [full, full / 2, full.saturating_sub(room), room],
                |out| decode_to_utf8_with(&bytes, OnUnmappable::Replace, out),
                |out| write_utf8(out, replaced.chars().map(Ok)),
            )?;
        }

        #[test]
        fn units_and_octets_agree_with_encode_utf16(
            text in prop_oneof![
                any::<String>(),
                tables_and_text().prop_map(|(_, text)| text),
            ],
            room in 0usize..6,
        ) {
            prop_assert_eq!(unit_count(&text), text.encode_utf16().count());
            let full = 2 * text.encode_utf16().count();
            same_output(
                [full, full.saturating_sub(room), room],
                |out| encode(&text, out),
                |out| encode_one_by_one(&text, out),
            )?;
        }
    }
}
