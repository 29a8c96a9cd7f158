//! GSM 7-bit default alphabet (3GPP TS 23.038 section 6.2.1), its extension table and the national
//! language shift tables of annex A.
//!
//! A GSM text is a sequence of septets (7-bit codes). Each code is looked up in a *locking-shift*
//! table (the default alphabet unless a national locking shift is active); the escape code 0x1B
//! makes the following code be looked up in a *single-shift* table (the default extension table
//! unless a national single shift is active). A character from the single-shift table therefore
//! costs two septets.
//!
//! Over SMPP the septets are usually sent *unpacked*, one per octet ([`encode_unpacked`],
//! [`decode_unpacked`]). The air interface packs 8 septets into 7 octets ([`pack`], [`unpack`]);
//! after a user data header the septets start on a septet boundary, which takes
//! [`fill_bits_for_udh`] zero fill bits.
//!
//! ```
//! use smpp_core::text::gsm7::{self, Tables};
//! use smpp_core::text::OnUnmappable;
//!
//! let mut septets = [0u8; 16];
//! let n = gsm7::encode_unpacked("{€}", Tables::DEFAULT, OnUnmappable::Error, &mut septets)?;
//! assert_eq!(&septets[..n], &[0x1B, 0x28, 0x1B, 0x65, 0x1B, 0x29]);
//! assert_eq!(gsm7::septet_count("{€}", Tables::DEFAULT), Ok(6));
//!
//! let mut packed = [0u8; 16];
//! let m = gsm7::pack(b"\x68\x65\x6c\x6c\x6f", 0, &mut packed)?;
//! assert_eq!(&packed[..m], &[0xE8, 0x32, 0x9B, 0xFD, 0x06]);
//! # Ok::<(), smpp_core::text::TextError>(())
//! ```

use core::fmt;

use super::tables::{LOCKING_DECODE, LOCKING_ENCODE, SHIFT_DECODE, SHIFT_ENCODE};
use super::{OnUnmappable, TextError, push_byte, push_utf8};

/// The escape septet that selects the single-shift table for the next code.
pub const ESCAPE: u8 = 0x1B;

/// Septet of `'?'` in every locking-shift table.
const QUESTION_MARK: u8 = 0x3F;

/// A national language of 3GPP TS 23.038 annex A, by its language identifier.
///
/// The identifier is the value carried in the national language single shift (0x24) and
/// locking shift (0x25) information elements of the user data header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Language {
    /// The default alphabet and extension table (identifier 0, no information element needed).
    Default = 0,
    /// Turkish (A.2.1 single shift, A.3.1 locking shift).
    Turkish = 1,
    /// Spanish (A.2.2 single shift only; there is no Spanish locking-shift table).
    Spanish = 2,
    /// Portuguese (A.2.3, A.3.3).
    Portuguese = 3,
    /// Bengali (A.2.4, A.3.4).
    Bengali = 4,
    /// Gujarati (A.2.5, A.3.5).
    Gujarati = 5,
    /// Hindi (A.2.6, A.3.6).
    Hindi = 6,
    /// Kannada (A.2.7, A.3.7).
    Kannada = 7,
    /// Malayalam (A.2.8, A.3.8).
    Malayalam = 8,
    /// Oriya (A.2.9, A.3.9).
    Oriya = 9,
    /// Punjabi (A.2.10, A.3.10).
    Punjabi = 10,
    /// Tamil (A.2.11, A.3.11).
    Tamil = 11,
    /// Telugu (A.2.12, A.3.12).
    Telugu = 12,
    /// Urdu (A.2.13, A.3.13).
    Urdu = 13,
}

impl Language {
    /// Every language, in identifier order.
    pub const ALL: [Self; 14] = [
        Self::Default,
        Self::Turkish,
        Self::Spanish,
        Self::Portuguese,
        Self::Bengali,
        Self::Gujarati,
        Self::Hindi,
        Self::Kannada,
        Self::Malayalam,
        Self::Oriya,
        Self::Punjabi,
        Self::Tamil,
        Self::Telugu,
        Self::Urdu,
    ];

    /// The language with the given identifier, if TS 23.038 defines one.
    pub fn from_id(id: u8) -> Option<Self> {
        Self::ALL.get(usize::from(id)).copied()
    }

    /// The language identifier.
    pub const fn id(self) -> u8 {
        self as u8
    }

    /// Whether TS 23.038 defines a locking-shift table for this language (all but Spanish).
    pub const fn has_locking_shift(self) -> bool {
        !matches!(self, Self::Spanish)
    }

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Default => "default",
            Self::Turkish => "Turkish",
            Self::Spanish => "Spanish",
            Self::Portuguese => "Portuguese",
            Self::Bengali => "Bengali",
            Self::Gujarati => "Gujarati",
            Self::Hindi => "Hindi",
            Self::Kannada => "Kannada",
            Self::Malayalam => "Malayalam",
            Self::Oriya => "Oriya",
            Self::Punjabi => "Punjabi",
            Self::Tamil => "Tamil",
            Self::Telugu => "Telugu",
            Self::Urdu => "Urdu",
        })
    }
}

/// The pair of tables in force: a locking-shift table and a single-shift table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tables {
    locking: Language,
    single: Language,
}

impl Default for Tables {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// How one character is encoded in GSM 7-bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Septets {
    /// One septet from the locking-shift table.
    One(u8),
    /// The escape 0x1B followed by this code from the single-shift table.
    Escaped(u8),
}

impl Septets {
    /// Number of septets (1 or 2).
    pub const fn len(self) -> usize {
        match self {
            Self::One(_) => 1,
            Self::Escaped(_) => 2,
        }
    }

    /// Always `false`; present for symmetry with [`len`](Self::len).
    pub const fn is_empty(self) -> bool {
        false
    }
}

impl Tables {
    /// The default alphabet with the default extension table.
    pub const DEFAULT: Self = Self {
        locking: Language::Default,
        single: Language::Default,
    };

    /// The given locking-shift and single-shift tables; `None` if `locking` has no locking-shift
    /// table (Spanish).
    pub const fn new(locking: Language, single: Language) -> Option<Self> {
        if locking.has_locking_shift() {
            Some(Self { locking, single })
        } else {
            None
        }
    }

    /// The default alphabet with a national single-shift table.
    pub const fn single_shift(single: Language) -> Self {
        Self {
            locking: Language::Default,
            single,
        }
    }

    /// The locking-shift language.
    pub const fn locking(self) -> Language {
        self.locking
    }

    /// The single-shift language.
    pub const fn single(self) -> Language {
        self.single
    }

    /// Encodes one character, `None` if neither table holds it.
    ///
    /// The locking-shift table is tried first, then the single-shift table. With the default
    /// locking-shift table, `'ç'` (U+00E7) is accepted as well as `'Ç'` (U+00C7) for code 0x09
    /// unless the single-shift table in force has its own `'ç'`.
    pub fn encode_char(self, ch: char) -> Option<Septets> {
        let unit = u16::try_from(u32::from(ch)).ok()?;
        let find = |table: &[(u16, u8)]| {
            table
                .binary_search_by_key(&unit, |&(u, _)| u)
                .ok()
                .and_then(|i| table.get(i))
                .map(|&(_, code)| code)
        };
        if let Some(code) = LOCKING_ENCODE
            .get(self.locking.index())
            .and_then(|t| find(t))
        {
            return Some(Septets::One(code));
        }
        if let Some(code) = SHIFT_ENCODE.get(self.single.index()).and_then(|t| find(t)) {
            return Some(Septets::Escaped(code));
        }
        // The default table draws 0x09 as a capital C cedilla, but the small letter was intended
        // by many senders; accept it unless another table in force holds it.
        (ch == '\u{E7}' && self.locking == Language::Default).then_some(Septets::One(0x09))
    }

    /// The character of a code in the locking-shift table; `None` for the escape 0x1B, unassigned
    /// positions and values above 0x7F.
    pub fn decode_septet(self, code: u8) -> Option<char> {
        table_char(LOCKING_DECODE.get(self.locking.index()), code)
    }

    /// The character of a code following an escape.
    ///
    /// Codes with nothing assigned in the single-shift table fall back to the locking-shift
    /// table, as TS 23.038 asks of receivers; `None` if that position is empty too.
    pub fn decode_escaped(self, code: u8) -> Option<char> {
        table_char(SHIFT_DECODE.get(self.single.index()), code).or_else(|| self.decode_septet(code))
    }

    /// The single-shift table's own character for a code (no fallback), `None` if unassigned.
    pub fn single_shift_char(self, code: u8) -> Option<char> {
        table_char(SHIFT_DECODE.get(self.single.index()), code)
    }
}

fn table_char(table: Option<&[u16; 128]>, code: u8) -> Option<char> {
    let unit = *table?.get(usize::from(code))?;
    if unit == 0 {
        None
    } else {
        char::from_u32(u32::from(unit))
    }
}

/// Number of septets needed to encode `text` (characters of the single-shift table count 2).
///
/// # Errors
/// [`TextError::Unmappable`] for the first character neither table holds.
pub fn septet_count(text: &str, tables: Tables) -> Result<usize, TextError> {
    text.char_indices().try_fold(0usize, |acc, (offset, ch)| {
        let s = tables
            .encode_char(ch)
            .ok_or(TextError::Unmappable { ch, offset })?;
        Ok(acc.saturating_add(s.len()))
    })
}

/// Whether every character of `text` is in the given tables.
pub fn is_encodable(text: &str, tables: Tables) -> bool {
    text.chars().all(|c| tables.encode_char(c).is_some())
}

/// Encodes one character, applying the unmappable policy; `offset` is reported in errors.
pub(crate) fn encode_char_policy(
    ch: char,
    offset: usize,
    tables: Tables,
    policy: OnUnmappable,
) -> Result<Septets, TextError> {
    match (tables.encode_char(ch), policy) {
        (Some(s), _) => Ok(s),
        (None, OnUnmappable::Replace) => Ok(Septets::One(QUESTION_MARK)),
        (None, OnUnmappable::Error) => Err(TextError::Unmappable { ch, offset }),
    }
}

/// Encodes `text` as unpacked septets, one per octet (what `data_coding` 0 usually carries over
/// SMPP). Returns the number of octets written.
///
/// With [`OnUnmappable::Replace`], characters outside the tables become `'?'` (0x3F).
pub fn encode_unpacked(
    text: &str,
    tables: Tables,
    policy: OnUnmappable,
    out: &mut [u8],
) -> Result<usize, TextError> {
    let mut pos = 0;
    for (offset, ch) in text.char_indices() {
        match encode_char_policy(ch, offset, tables, policy)? {
            Septets::One(c) => push_byte(out, &mut pos, c)?,
            Septets::Escaped(c) => {
                push_byte(out, &mut pos, ESCAPE)?;
                push_byte(out, &mut pos, c)?;
            }
        }
    }
    Ok(pos)
}

/// An iterator decoding unpacked septets into characters; see [`decode_unpacked`].
#[derive(Debug, Clone)]
pub struct Decoder<'a> {
    septets: core::slice::Iter<'a, u8>,
    tables: Tables,
    policy: OnUnmappable,
}

impl Iterator for Decoder<'_> {
    type Item = Result<char, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        let &code = self.septets.next()?;
        if code > 0x7F {
            return Some(Err(TextError::InvalidSeptet(code)));
        }
        let decoded = if code == ESCAPE {
            let Some(&next) = self.septets.next() else {
                return Some(Err(TextError::LoneEscape));
            };
            if next > 0x7F {
                return Some(Err(TextError::InvalidSeptet(next)));
            }
            self.tables.decode_escaped(next).ok_or(next)
        } else {
            self.tables.decode_septet(code).ok_or(code)
        };
        Some(match (decoded, self.policy) {
            (Ok(c), _) => Ok(c),
            (Err(_), OnUnmappable::Replace) => Ok('?'),
            (Err(code), OnUnmappable::Error) => Err(TextError::Unassigned(code)),
        })
    }
}

/// Decodes unpacked septets (one per octet) into characters.
///
/// Errors: [`TextError::InvalidSeptet`] for an octet above 0x7F, [`TextError::LoneEscape`] if the
/// data ends with 0x1B, and (with [`OnUnmappable::Error`]) [`TextError::Unassigned`] for a code with
/// no character in the table; with [`OnUnmappable::Replace`] such codes decode to `'?'`.
pub fn decode_unpacked(septets: &[u8], tables: Tables, policy: OnUnmappable) -> Decoder<'_> {
    Decoder {
        septets: septets.iter(),
        tables,
        policy,
    }
}

/// Decodes unpacked septets into UTF-8 in `out`, returning the number of bytes written.
pub fn decode_to_utf8(
    septets: &[u8],
    tables: Tables,
    policy: OnUnmappable,
    out: &mut [u8],
) -> Result<usize, TextError> {
    let mut pos = 0;
    for ch in decode_unpacked(septets, tables, policy) {
        push_utf8(out, &mut pos, ch?)?;
    }
    Ok(pos)
}

/// Number of zero fill bits between a user data header of `udh_len` octets (including the UDHL
/// octet itself) and the first septet, so that the text starts on a septet boundary.
///
/// ```
/// use smpp_core::text::gsm7::fill_bits_for_udh;
/// assert_eq!(fill_bits_for_udh(0), 0);
/// assert_eq!(fill_bits_for_udh(6), 1); // 8-bit concatenation IE
/// assert_eq!(fill_bits_for_udh(7), 0); // 16-bit concatenation IE
/// ```
#[allow(clippy::cast_possible_truncation)] // the value is below 7
pub const fn fill_bits_for_udh(udh_len: usize) -> u8 {
    // (7 - (8 * len) mod 7) mod 7 == (7 - len mod 7) mod 7, since 8 = 1 (mod 7).
    ((7 - udh_len % 7) % 7) as u8
}

/// Number of octets that `septets` septets occupy when packed after `fill_bits` fill bits.
pub const fn packed_len(septets: usize, fill_bits: u8) -> usize {
    (septets * 7 + fill_bits as usize).div_ceil(8)
}

/// Number of septets that fit in `octets` octets after `fill_bits` fill bits.
pub const fn septets_in(octets: usize, fill_bits: u8) -> usize {
    (octets * 8).saturating_sub(fill_bits as usize) / 7
}

/// Packs septets 8-in-7, least significant bit first, after `fill_bits` (0-6) zero bits.
///
/// Returns the number of octets written. Unused high bits of the last octet are zero.
/// Octets above 0x7F in `septets` are rejected with [`TextError::InvalidSeptet`].
pub fn pack(septets: &[u8], fill_bits: u8, out: &mut [u8]) -> Result<usize, TextError> {
    let fill = usize::from(fill_bits % 7);
    let len = septets
        .len()
        .checked_mul(7)
        .and_then(|b| b.checked_add(fill))
        .map(|b| b.div_ceil(8))
        .ok_or(TextError::BufferTooSmall)?;
    let dst = out.get_mut(..len).ok_or(TextError::BufferTooSmall)?;
    dst.fill(0);
    let mut bit = fill;
    for &s in septets {
        if s > 0x7F {
            return Err(TextError::InvalidSeptet(s));
        }
        let byte = bit / 8;
        let shift = bit % 8;
        let wide = u16::from(s) << shift;
        let [lo, hi] = wide.to_le_bytes();
        if let Some(b) = dst.get_mut(byte) {
            *b |= lo;
        }
        if hi != 0 {
            if let Some(b) = dst.get_mut(byte + 1) {
                *b |= hi;
            }
        }
        bit += 7;
    }
    Ok(len)
}

/// Unpacks septets from `packed` (after `fill_bits` fill bits) into `out`, one per octet.
///
/// `septets` is the number of septets to extract (the TP-UDL minus the header septets); `None`
/// takes as many whole septets as the data holds. Returns the number written.
pub fn unpack(
    packed: &[u8],
    fill_bits: u8,
    septets: Option<usize>,
    out: &mut [u8],
) -> Result<usize, TextError> {
    let available = septets_in(packed.len(), fill_bits % 7);
    let count = match septets {
        Some(n) if n > available => return Err(TextError::BufferTooSmall),
        Some(n) => n,
        None => available,
    };
    let dst = out.get_mut(..count).ok_or(TextError::BufferTooSmall)?;
    let mut bit = usize::from(fill_bits % 7);
    for slot in dst {
        let byte = bit / 8;
        let lo = packed.get(byte).copied().unwrap_or(0);
        let hi = packed.get(byte + 1).copied().unwrap_or(0);
        let wide = u16::from_le_bytes([lo, hi]);
        *slot = ((wide >> (bit % 8)) & 0x7F) as u8;
        bit += 7;
    }
    Ok(count)
}
