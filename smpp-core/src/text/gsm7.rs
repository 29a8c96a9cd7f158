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

use super::tables::{
    EncodeIndex, LOCKING_DECODE, LOCKING_INDEX, NO_INDEX, SHIFT_DECODE, SHIFT_INDEX,
};
use super::{HIGH_BITS, OnUnmappable, TextError, push_byte, push_utf8};

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
        match self {
            Self::Default => f.write_str("default"),
            // The English name, as the variant is spelled.
            other => fmt::Debug::fmt(other, f),
        }
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
        if let Some(code) = self.locking_index().get(ch) {
            return Some(Septets::One(code));
        }
        if let Some(code) = self.single_index().get(ch) {
            return Some(Septets::Escaped(code));
        }
        // The default table draws 0x09 as a capital C cedilla, but the small letter was intended
        // by many senders; accept it unless another table in force holds it.
        (ch == '\u{E7}' && self.locking == Language::Default).then_some(Septets::One(0x09))
    }

    /// Length of the longest prefix of the UTF-8 octets `utf8`, at most `limit` octets long, made
    /// of ASCII characters of the locking-shift table (one septet each).
    pub(crate) fn ascii_run(self, utf8: &[u8], limit: usize) -> usize {
        self.locking_index().ascii_run(utf8, limit)
    }

    fn locking_index(self) -> &'static EncodeIndex {
        LOCKING_INDEX.get(self.locking.index()).unwrap_or(&NO_INDEX)
    }

    fn single_index(self) -> &'static EncodeIndex {
        SHIFT_INDEX.get(self.single.index()).unwrap_or(&NO_INDEX)
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
    septets_with(text, tables, OnUnmappable::Error)
}

/// Whether every character of `text` is in the given tables.
pub fn is_encodable(text: &str, tables: Tables) -> bool {
    septet_count(text, tables).is_ok()
}

/// Number of septets [`encode_unpacked`] writes for `text` under `policy` (with
/// [`OnUnmappable::Replace`] an unmappable character counts 1, for its `'?'`).
pub(crate) fn septets_with(
    text: &str,
    tables: Tables,
    policy: OnUnmappable,
) -> Result<usize, TextError> {
    let mut count = 0usize;
    let mut rest = text.chars();
    loop {
        // ASCII characters of the locking-shift table are one septet each.
        let n = tables.ascii_run(rest.as_str().as_bytes(), usize::MAX);
        if n > 0 {
            count = count.saturating_add(n);
            rest = rest.as_str().get(n..).unwrap_or_default().chars();
        }
        let offset = text.len() - rest.as_str().len();
        let Some(ch) = rest.next() else {
            return Ok(count);
        };
        count = count.saturating_add(encode_char_policy(ch, offset, tables, policy)?.len());
    }
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
    let locking = tables.locking_index();
    let mut rest = text.chars();
    let mut pos = 0;
    loop {
        // Most text is ASCII in the locking-shift table: one lookup per octet, eight at a time
        // once eight such characters followed each other.
        let ascii = rest.as_str().as_bytes();
        let mut n = 0;
        'run: loop {
            for _ in 0..8 {
                let (Some(code), Some(slot)) = (
                    ascii.get(n).and_then(|&b| locking.ascii(b)),
                    out.get_mut(pos + n),
                ) else {
                    break 'run;
                };
                *slot = code;
                n += 1;
            }
            while let (Some(&src), Some(dst)) = (
                ascii.get(n..).and_then(<[u8]>::first_chunk::<8>),
                out.get_mut(pos + n..)
                    .and_then(<[u8]>::first_chunk_mut::<8>),
            ) {
                let Some(codes) = locking.ascii8(src) else {
                    break;
                };
                *dst = codes;
                n += 8;
            }
        }
        if n > 0 {
            pos += n;
            rest = rest.as_str().get(n..).unwrap_or_default().chars();
        }
        // Any other character.
        let offset = text.len() - rest.as_str().len();
        let Some(ch) = rest.next() else {
            return Ok(pos);
        };
        match encode_char_policy(ch, offset, tables, policy)? {
            Septets::One(c) => push_byte(out, &mut pos, c)?,
            Septets::Escaped(c) => {
                push_byte(out, &mut pos, ESCAPE)?;
                push_byte(out, &mut pos, c)?;
            }
        }
    }
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
/// no character in the table; with [`OnUnmappable::Replace`] such codes decode to `'?'`. The
/// policy covers unassigned codes only: the first two are errors under both policies (an octet
/// above 0x7F usually means packed septets), and decoding goes on after them.
/// [`text::decode_with`](super::decode_with) replaces them with U+FFFD.
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
    let mut decoder = decode_unpacked(septets, tables, policy);
    let mut pos = 0;
    loop {
        // Most codes are characters of the locking-shift table: one lookup per septet.
        let rest = decoder.septets.as_slice();
        let mut n = 0;
        while let Some(ch) = rest.get(n).and_then(|&code| tables.decode_septet(code)) {
            let Some(dst) = out.get_mut(pos..pos + ch.len_utf8()) else {
                break;
            };
            ch.encode_utf8(dst);
            pos += dst.len();
            n += 1;
        }
        if n > 0 {
            decoder.septets = rest.get(n..).unwrap_or_default().iter();
        }
        // Any other code.
        let Some(ch) = decoder.next() else {
            return Ok(pos);
        };
        push_utf8(out, &mut pos, ch?)?;
    }
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
///
/// Exact for every argument (the bit count is worked out in 128 bits, so a huge `septets`
/// cannot overflow); `fill_bits` is taken as it is, not modulo 7.
pub const fn packed_len(septets: usize, fill_bits: u8) -> usize {
    let bits = septets as u128 * 7 + fill_bits as u128;
    // At most (7 * usize::MAX + 255) / 8 + 1, below usize::MAX.
    saturate(bits.div_ceil(8))
}

/// Number of septets that fit in `octets` octets after `fill_bits` fill bits (0 when the fill
/// bits take more than the octets hold).
///
/// Worked out in 128 bits, so a huge `octets` cannot overflow; a count above `usize::MAX`
/// (only for more than 7/8 of `usize::MAX` octets) saturates at `usize::MAX`.
pub const fn septets_in(octets: usize, fill_bits: u8) -> usize {
    let bits = (octets as u128 * 8).saturating_sub(fill_bits as u128);
    saturate(bits / 7)
}

/// `n` as a `usize`, `usize::MAX` if it does not fit.
#[allow(clippy::cast_possible_truncation)] // checked against usize::MAX first
const fn saturate(n: u128) -> usize {
    if n > usize::MAX as u128 {
        usize::MAX
    } else {
        n as usize
    }
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
    if pack_valid(septets, fill, dst) {
        return Ok(len);
    }
    // As if packed one by one up to the first octet above 0x7F: the septets before it, then
    // zero bits.
    let bad = septets
        .iter()
        .position(|&s| s > 0x7F)
        .unwrap_or(septets.len());
    dst.fill(0);
    pack_valid(septets.get(..bad).unwrap_or_default(), fill, dst);
    Err(TextError::InvalidSeptet(
        septets.get(bad).copied().unwrap_or_default(),
    ))
}

/// Packs `septets` into `dst` (at least as long as they pack into) after `fill` zero bits;
/// `false`, with `dst` part written, if one is above 0x7F.
fn pack_valid(septets: &[u8], fill: usize, dst: &mut [u8]) -> bool {
    let mut packer = Packer::new(dst, fill);
    let mut chunks = septets.chunks_exact(8);
    for chunk in &mut chunks {
        let eight = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        if eight & HIGH_BITS != 0 {
            return false;
        }
        packer.push8(eight);
    }
    for &s in chunks.remainder() {
        if s > 0x7F {
            return false;
        }
        packer.push(s);
    }
    packer.finish();
    true
}

/// Writes septets 8-in-7, least significant bit first.
pub(crate) struct Packer<'o> {
    /// Bits not yet written, lowest first (fewer than 8 between calls).
    acc: u64,
    /// How many.
    bits: usize,
    /// The octets not yet written.
    out: &'o mut [u8],
}

impl<'o> Packer<'o> {
    /// A packer writing into `out` after `fill` (below 8) zero bits.
    pub(crate) const fn new(out: &'o mut [u8], fill: usize) -> Self {
        Self {
            acc: 0,
            bits: fill,
            out,
        }
    }

    /// Adds eight septets (each below 0x80), little-endian in `eight`: seven whole octets.
    fn push8(&mut self, eight: u64) {
        self.acc |= pack8(eight) << self.bits;
        let out = core::mem::take(&mut self.out);
        // Where there is room, an eighth octet with the bits so far saves seven stores (the
        // next septets write it again).
        if let Some(octets) = out.first_chunk_mut::<8>() {
            *octets = self.acc.to_le_bytes();
        } else if let Some(octets) = out.get_mut(..7) {
            octets.copy_from_slice(self.acc.to_le_bytes().get(..7).unwrap_or_default());
        }
        self.out = out.get_mut(7..).unwrap_or_default();
        self.acc >>= 56;
    }

    /// Adds one septet (below 0x80).
    pub(crate) fn push(&mut self, septet: u8) {
        self.acc |= u64::from(septet) << self.bits;
        self.bits += 7;
        if self.bits >= 8 {
            if let Some((octet, rest)) = core::mem::take(&mut self.out).split_first_mut() {
                *octet = self.acc.to_le_bytes()[0];
                self.out = rest;
            }
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    /// Adds the septets of `text`, as [`encode_unpacked`] writes them.
    pub(crate) fn push_text(
        &mut self,
        text: &str,
        tables: Tables,
        policy: OnUnmappable,
    ) -> Result<(), TextError> {
        let locking = tables.locking_index();
        let mut rest = text.chars();
        loop {
            // Eight ASCII characters of the locking-shift table at a time.
            let mut n = 0;
            while let Some(codes) = rest
                .as_str()
                .as_bytes()
                .get(n..)
                .and_then(<[u8]>::first_chunk::<8>)
                .and_then(|&octets| locking.ascii8(octets))
            {
                self.push8(u64::from_le_bytes(codes));
                n += 8;
            }
            if n > 0 {
                rest = rest.as_str().get(n..).unwrap_or_default().chars();
            }
            let offset = text.len() - rest.as_str().len();
            let Some(ch) = rest.next() else {
                return Ok(());
            };
            match encode_char_policy(ch, offset, tables, policy)? {
                Septets::One(c) => self.push(c),
                Septets::Escaped(c) => {
                    self.push(ESCAPE);
                    self.push(c);
                }
            }
        }
    }

    /// Writes the bits left, if any, with zero bits above them.
    pub(crate) fn finish(self) {
        if let (true, Some(octet)) = (self.bits > 0, self.out.first_mut()) {
            *octet = self.acc.to_le_bytes()[0];
        }
    }
}

/// Eight septets (each below 0x80, little-endian in `v`) as the 56 bits of seven packed octets.
const fn pack8(v: u64) -> u64 {
    // Close the gap above each septet: pairs into 14 bits, quads into 28, all eight into 56.
    let v = (v & 0x007F_007F_007F_007F) | ((v >> 1) & 0x3F80_3F80_3F80_3F80);
    let v = (v & 0x0000_3FFF_0000_3FFF) | ((v >> 2) & 0x0FFF_C000_0FFF_C000);
    (v & 0x0FFF_FFFF) | ((v >> 4) & 0x00FF_FFFF_F000_0000)
}

/// The inverse of [`pack8`]: 56 bits as eight septets.
const fn unpack8(bits: u64) -> [u8; 8] {
    let v = (bits & 0x0FFF_FFFF) | ((bits & 0x00FF_FFFF_F000_0000) << 4);
    let v = (v & 0x0000_3FFF_0000_3FFF) | ((v & 0x0FFF_C000_0FFF_C000) << 2);
    let v = (v & 0x007F_007F_007F_007F) | ((v & 0x3F80_3F80_3F80_3F80) << 1);
    v.to_le_bytes()
}

/// Unpacks septets from `packed` (after `fill_bits` fill bits) into `out`, one per octet.
///
/// `septets` is the number of septets to extract (the TP-UDL minus the header septets); `None`
/// takes as many whole septets as the data holds. Returns the number written.
///
/// # Errors
/// [`TextError::NotEnoughSeptets`] when `septets` asks for more than `packed` holds after its
/// fill bits (truncated data, or a septet count that does not belong to it);
/// [`TextError::BufferTooSmall`] when `out` cannot take the septets. Nothing is written then.
pub fn unpack(
    packed: &[u8],
    fill_bits: u8,
    septets: Option<usize>,
    out: &mut [u8],
) -> Result<usize, TextError> {
    let available = septets_in(packed.len(), fill_bits % 7);
    let count = match septets {
        Some(wanted) if wanted > available => {
            return Err(TextError::NotEnoughSeptets { wanted, available });
        }
        Some(n) => n,
        None => available,
    };
    let dst = out.get_mut(..count).ok_or(TextError::BufferTooSmall)?;
    let fill = u32::from(fill_bits % 7);
    // Eight septets at a time from the eight octets holding their 56 bits (after the fill
    // bits), while eight octets remain...
    let mut done = 0;
    for (eight, start) in dst.chunks_exact_mut(8).zip((0..).step_by(7)) {
        let Some(&octets) = packed.get(start..).and_then(<[u8]>::first_chunk::<8>) else {
            break;
        };
        let bits = u64::from_le_bytes(octets) >> fill;
        eight.copy_from_slice(&unpack8(bits & 0x00FF_FFFF_FFFF_FFFF));
        done += 8;
    }
    // ...then one at a time.
    let mut bit = usize::from(fill_bits % 7) + 7 * done;
    for slot in dst.get_mut(done..).unwrap_or_default() {
        let byte = bit / 8;
        let lo = packed.get(byte).copied().unwrap_or(0);
        let hi = packed.get(byte + 1).copied().unwrap_or(0);
        let wide = u16::from_le_bytes([lo, hi]);
        *slot = ((wide >> (bit % 8)) & 0x7F) as u8;
        bit += 7;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    //! The fast paths against the character-by-character definitions they replace.

    use std::vec;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::tables::search;
    use super::super::testing::{all_tables, same_output, tables, tables_and_text};
    use super::super::write_utf8;
    use super::*;

    /// Lookup by binary search only: the locking-shift table, the single-shift table, then the
    /// small c cedilla.
    fn encode_char_by_search(tables: Tables, ch: char) -> Option<Septets> {
        let unit = u32::from(ch);
        if let Some(code) = search(tables.locking_index().sorted(), unit) {
            return Some(Septets::One(code));
        }
        if let Some(code) = search(tables.single_index().sorted(), unit) {
            return Some(Septets::Escaped(code));
        }
        (ch == '\u{E7}' && tables.locking == Language::Default).then_some(Septets::One(0x09))
    }

    fn encode_one_by_one(
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

    fn count_one_by_one(
        text: &str,
        tables: Tables,
        policy: OnUnmappable,
    ) -> Result<usize, TextError> {
        text.char_indices().try_fold(0usize, |acc, (offset, ch)| {
            Ok(acc + encode_char_policy(ch, offset, tables, policy)?.len())
        })
    }

    /// Decoding one code (or escape pair) at a time, without the locking-shift shortcut.
    fn decode_one_by_one(
        septets: &[u8],
        tables: Tables,
        policy: OnUnmappable,
    ) -> Vec<Result<char, TextError>> {
        let mut it = septets.iter();
        let mut out = Vec::new();
        while let Some(&code) = it.next() {
            if code > 0x7F {
                out.push(Err(TextError::InvalidSeptet(code)));
                continue;
            }
            let decoded = if code == ESCAPE {
                let Some(&next) = it.next() else {
                    out.push(Err(TextError::LoneEscape));
                    break;
                };
                if next > 0x7F {
                    out.push(Err(TextError::InvalidSeptet(next)));
                    continue;
                }
                tables.decode_escaped(next).ok_or(next)
            } else {
                tables.decode_septet(code).ok_or(code)
            };
            out.push(match (decoded, policy) {
                (Ok(c), _) => Ok(c),
                (Err(_), OnUnmappable::Replace) => Ok('?'),
                (Err(code), OnUnmappable::Error) => Err(TextError::Unassigned(code)),
            });
        }
        out
    }

    fn utf8_one_by_one(
        septets: &[u8],
        tables: Tables,
        policy: OnUnmappable,
        out: &mut [u8],
    ) -> Result<usize, TextError> {
        write_utf8(out, decode_one_by_one(septets, tables, policy))
    }

    /// Packing one septet at a time into zeroed octets.
    fn pack_one_by_one(septets: &[u8], fill_bits: u8, out: &mut [u8]) -> Result<usize, TextError> {
        let fill = usize::from(fill_bits % 7);
        let len = (septets.len() * 7 + fill).div_ceil(8);
        let dst = out.get_mut(..len).ok_or(TextError::BufferTooSmall)?;
        dst.fill(0);
        let mut bit = fill;
        for &s in septets {
            if s > 0x7F {
                return Err(TextError::InvalidSeptet(s));
            }
            let [lo, hi] = (u16::from(s) << (bit % 8)).to_le_bytes();
            dst[bit / 8] |= lo;
            if hi != 0 {
                dst[bit / 8 + 1] |= hi;
            }
            bit += 7;
        }
        Ok(len)
    }

    fn unpack_one_by_one(packed: &[u8], fill_bits: u8, count: usize) -> Vec<u8> {
        let mut bit = usize::from(fill_bits % 7);
        (0..count)
            .map(|_| {
                let lo = packed.get(bit / 8).copied().unwrap_or(0);
                let hi = packed.get(bit / 8 + 1).copied().unwrap_or(0);
                let septet = ((u16::from_le_bytes([lo, hi]) >> (bit % 8)) & 0x7F) as u8;
                bit += 7;
                septet
            })
            .collect()
    }

    #[test]
    fn encode_char_agrees_with_binary_search_for_every_table_pair() {
        for tables in all_tables() {
            for unit in (0..=0x2FFF).chain([0xFFFD, 0x1_F600]) {
                let ch = char::from_u32(unit).unwrap_or('\u{FFFD}');
                assert_eq!(
                    tables.encode_char(ch),
                    encode_char_by_search(tables, ch),
                    "{ch:?} in {tables:?}"
                );
            }
        }
    }

    #[test]
    fn decode_septet_finds_no_character_at_the_escape() {
        // The locking-shift shortcut of the decoder relies on it.
        for tables in all_tables() {
            assert_eq!(tables.decode_septet(ESCAPE), None, "{tables:?}");
        }
    }

    fn policies() -> impl Strategy<Value = OnUnmappable> {
        prop_oneof![Just(OnUnmappable::Error), Just(OnUnmappable::Replace)]
    }

    fn septets() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                6 => 0x20u8..0x7F,
                2 => 0u8..0x80,
                1 => Just(ESCAPE),
                1 => any::<u8>(),
            ],
            0..200,
        )
    }

    proptest! {
        #[test]
        fn encoding_agrees_with_one_character_at_a_time(
            (tables, text) in tables_and_text(),
            policy in policies(),
            room in 0usize..8,
        ) {
            let full = 2 * text.chars().count();
            same_output(
                [full, full / 2, full.saturating_sub(room), room],
                |out| encode_unpacked(&text, tables, policy, out),
                |out| encode_one_by_one(&text, tables, policy, out),
            )?;
            let count = count_one_by_one(&text, tables, policy);
            prop_assert_eq!(septets_with(&text, tables, policy), count);
            if policy == OnUnmappable::Error {
                prop_assert_eq!(septet_count(&text, tables), count);
                prop_assert_eq!(is_encodable(&text, tables), count.is_ok());
            }
        }

        #[test]
        fn packing_a_text_agrees_with_encoding_then_packing(
            (tables, text) in tables_and_text(),
            policy in policies(),
            fill in 0u8..7,
        ) {
            let mut septets = vec![0u8; 2 * text.chars().count()];
            let encoded = encode_unpacked(&text, tables, policy, &mut septets);
            let mut packed = vec![0xAAu8; packed_len(septets.len(), fill)];
            let mut packer = Packer::new(&mut packed, usize::from(fill));
            let pushed = packer.push_text(&text, tables, policy);
            packer.finish();
            prop_assert_eq!(pushed.is_ok(), encoded.is_ok());
            if let Ok(n) = encoded {
                let mut expected = vec![0u8; packed_len(n, fill)];
                prop_assert_eq!(pack(&septets[..n], fill, &mut expected), Ok(expected.len()));
                prop_assert_eq!(&packed[..expected.len()], &expected[..]);
            }
        }

        #[test]
        fn decoding_agrees_with_one_code_at_a_time(
            tables in tables(),
            septets in septets(),
            policy in policies(),
            room in 0usize..8,
        ) {
            let chars: Vec<_> = decode_unpacked(&septets, tables, policy).collect();
            prop_assert_eq!(&chars, &decode_one_by_one(&septets, tables, policy));
            let full = 3 * septets.len();
            same_output(
                [full, full / 2, full.saturating_sub(room), room],
                |out| decode_to_utf8(&septets, tables, policy, out),
                |out| utf8_one_by_one(&septets, tables, policy, out),
            )?;
        }

        #[test]
        fn packing_agrees_with_one_septet_at_a_time(
            septets in septets(),
            fill in 0u8..14,
            room in 0usize..4,
        ) {
            let len = packed_len(septets.len(), fill % 7);
            same_output(
                [len + room, len, len.saturating_sub(room)],
                |out| pack(&septets, fill, out),
                |out| pack_one_by_one(&septets, fill, out),
            )?;
        }

        #[test]
        fn unpacking_agrees_with_one_septet_at_a_time(
            packed in proptest::collection::vec(any::<u8>(), 0..200),
            fill in 0u8..14,
        ) {
            let count = septets_in(packed.len(), fill % 7);
            let mut out = vec![0xAAu8; count + 3];
            prop_assert_eq!(unpack(&packed, fill, None, &mut out), Ok(count));
            let expected = unpack_one_by_one(&packed, fill, count);
            prop_assert_eq!(&out[..count], &expected[..]);
            prop_assert!(out[count..].iter().all(|&b| b == 0xAA));
            let some = count / 3;
            prop_assert_eq!(unpack(&packed, fill, Some(some), &mut out), Ok(some));
            prop_assert_eq!(&out[..some], &expected[..some]);
        }
    }

    #[test]
    fn packing_eight_septets_is_the_inverse_of_unpacking_them() {
        for septet in 0..0x80u8 {
            for at in 0..8 {
                let mut eight = [0u8; 8];
                eight[at] = septet;
                eight[7 - at] |= 0x55;
                let v = u64::from_le_bytes(eight);
                assert_eq!(unpack8(pack8(v)), eight);
                assert!(pack8(v) >> 56 == 0);
            }
        }
    }
}
