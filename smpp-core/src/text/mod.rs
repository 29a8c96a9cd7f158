//! SMS message content: character sets, `data_coding`, user data headers, long messages.
//!
//! Everything here works on caller-provided buffers or iterators and never allocates:
//!
//! * [`gsm7`]: the GSM 7-bit default alphabet of 3GPP TS 23.038, its extension table and all
//!   national language single- and locking-shift tables, unpacked and packed (8 septets in 7 octets).
//! * [`ucs2`]: UCS-2 / UTF-16BE (`data_coding` 0x08), surrogate pairs included.
//! * [`latin1`]: ISO-8859-1 (`data_coding` 0x03) and IA5/ASCII (`data_coding` 0x01).
//! * [`dcs`]: the `data_coding` octet decoded into character set, message class and indications.
//! * [`udh`]: parsing and building the user data header and its information elements.
//! * [`choose`]: the smallest encoding for a text and the number of segments it needs.
//! * [`split`]: splitting a text or binary payload into `submit_sm` segments (UDH, SAR or whole).
//! * [`reassembly`]: a fixed-capacity reassembler for incoming concatenated messages.
//! * [`decode`]: the text of a received message, by its `data_coding` and the shift tables in force;
//!   [`decode_with`] with a replacement instead of errors.
//! * [`short_message_chars`] and [`decode_short_message_into`]: the text of a received
//!   `short_message` (or `message_payload`) with its user data header: the header skipped and its
//!   national language shift elements applied.
//!
//! # Replacement when decoding
//!
//! Decoding with [`OnUnmappable::Replace`] ([`decode_with`], [`ucs2::decode_with`],
//! [`latin1::decode_ascii_with`]) yields a character wherever [`OnUnmappable::Error`] yields an
//! error, and nothing else changes. Two substitutes are used:
//!
//! * `'?'` for a GSM 7-bit code that is well formed but has no character in the table in force
//!   (what [`TextError::Unassigned`] reports). It is the substitute the encoders write for a
//!   character a table lacks, and what [`gsm7::decode_unpacked`] gives under
//!   [`OnUnmappable::Replace`].
//! * U+FFFD (REPLACEMENT CHARACTER) for octets that are not valid in their coding: a UTF-16
//!   surrogate without its partner (one for each such unit; the unit after a lone high surrogate
//!   decodes as itself), an odd last octet of UCS-2 data (one, at the end), an IA5 octet above
//!   0x7F (one for each), and in GSM 7-bit data an octet above 0x7F (one for each; an escape
//!   followed by one gives a single U+FFFD for both) and an escape at the very end (one). The
//!   GSM decoders of [`gsm7`] report these two as errors under both policies; [`decode_with`]
//!   replaces them.

use core::fmt;

use self::dcs::{Alphabet, DataCoding};
use self::gsm7::Tables;
use self::udh::{Udh, UdhError};
use crate::tlv::{TlvTag, Tlvs};

pub mod choose;
pub mod dcs;
pub mod gsm7;
pub mod latin1;
pub mod reassembly;
pub mod split;
pub mod ucs2;
pub mod udh;

mod tables;
#[cfg(test)]
mod testing;

/// What to do with a character that the target character set cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnUnmappable {
    /// Stop with [`TextError::Unmappable`] (the default).
    #[default]
    Error,
    /// Substitute a question mark `'?'` (which every GSM table, Latin-1 and ASCII contain) when
    /// encoding; when decoding, `'?'` or U+FFFD as the [module documentation](self#replacement-when-decoding)
    /// says.
    Replace,
}

/// Errors from encoding or decoding message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextError {
    /// The output buffer is too small for the result.
    BufferTooSmall,
    /// A character cannot be represented in the target character set.
    Unmappable {
        /// The character.
        ch: char,
        /// Its byte offset in the input text.
        offset: usize,
    },
    /// GSM 7-bit data ends with an escape (0x1B) that has no following code.
    LoneEscape,
    /// An unpacked GSM 7-bit octet has its high bit set.
    InvalidSeptet(u8),
    /// A GSM 7-bit code with no character assigned in the selected locking-shift table.
    Unassigned(u8),
    /// UCS-2 / UTF-16 data with an odd number of octets.
    OddLength,
    /// A UTF-16 surrogate code unit without its partner.
    UnpairedSurrogate(u16),
    /// An octet above 0x7F in IA5/ASCII data.
    NonAscii(u8),
    /// Packed GSM 7-bit data holds fewer septets than were asked for (a septet count, such as
    /// the TP-UDL less the header, larger than the octets carry); see [`gsm7::unpack`].
    NotEnoughSeptets {
        /// Septets asked for.
        wanted: usize,
        /// Septets the data holds after its fill bits.
        available: usize,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall => f.write_str("output buffer too small"),
            Self::Unmappable { ch, offset } => write!(
                f,
                "character {ch:?} (U+{:04X}) at offset {offset} cannot be represented",
                u32::from(*ch)
            ),
            Self::LoneEscape => f.write_str("GSM 7-bit data ends with a lone escape"),
            Self::InvalidSeptet(b) => write!(f, "octet 0x{b:02X} is not a septet"),
            Self::Unassigned(b) => write!(f, "GSM 7-bit code 0x{b:02X} is unassigned"),
            Self::OddLength => f.write_str("UCS-2 data has an odd number of octets"),
            Self::UnpairedSurrogate(u) => write!(f, "unpaired UTF-16 surrogate 0x{u:04X}"),
            Self::NonAscii(b) => write!(f, "octet 0x{b:02X} is not ASCII"),
            Self::NotEnoughSeptets { wanted, available } => write!(
                f,
                "{wanted} septets asked for, the packed data holds {available}"
            ),
        }
    }
}

impl core::error::Error for TextError {}

/// The characters of a message text; see [`decode`] and [`decode_with`].
#[derive(Debug, Clone)]
pub struct Chars<'a> {
    inner: CharsInner<'a>,
    policy: OnUnmappable,
}

#[derive(Debug, Clone)]
enum CharsInner<'a> {
    Gsm7(gsm7::Decoder<'a>),
    Ucs2(ucs2::Decoder<'a>),
    Latin1(core::slice::Iter<'a, u8>),
    Ascii(core::slice::Iter<'a, u8>),
}

impl Iterator for Chars<'_> {
    type Item = Result<char, TextError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match &mut self.inner {
            CharsInner::Gsm7(d) => d.next(),
            CharsInner::Ucs2(d) => d.next(),
            CharsInner::Latin1(it) => it.next().map(|&b| Ok(char::from(b))),
            CharsInner::Ascii(it) => it.next().map(|&b| latin1::ascii_char(b, self.policy)),
        }?;
        // The GSM decoder leaves octets that are not septets and a final escape as errors.
        Some(match (item, self.policy) {
            (Err(_), OnUnmappable::Replace) => Ok(char::REPLACEMENT_CHARACTER),
            (item, _) => item,
        })
    }
}

/// Decodes the text of a message (the user data after any user data header) by its
/// `data_coding`; `None` when the octets are not text this module can decode.
///
/// - GSM 7-bit (`data_coding` 0x00, the MC default alphabet, and the GSM 7-bit coding groups such
///   as 0xF0-0xF3): unpacked septets, one per octet, which is how SMPP carries them, looked up in
///   `tables` (the national language shifts named by the header, see [`udh::Udh::single_shift`]
///   and [`udh::Udh::locking_shift`]; [`Tables::DEFAULT`] without them). Packed septets are not
///   recognised: their octets above 0x7F give [`TextError::InvalidSeptet`]. Codes with nothing
///   assigned give [`TextError::Unassigned`].
/// - IA5 / ASCII (0x01): octets above 0x7F give [`TextError::NonAscii`].
/// - Latin-1 (0x03): every octet is a character.
/// - UCS-2 (0x08 and the UCS-2 coding groups): UTF-16BE, surrogate pairs included;
///   [`TextError::OddLength`] and [`TextError::UnpairedSurrogate`] for broken data.
///
/// `None` for 8-bit binary data (0x02, 0x04, 0xF4-0xF7, ...), compressed text (TS 23.042), the
/// alphabets without a decoder here (JIS, ISO-8859-5, ISO-8859-8, pictograms, ISO-2022-JP,
/// extended Kanji, KS C 5601) and reserved values. `tables` is ignored except for GSM 7-bit.
///
/// Decoding goes on after an error item, so collecting into a `Result` stops at the first one.
/// This is [`decode_with`] under [`OnUnmappable::Error`].
///
/// ```
/// use smpp_core::text::{self, dcs::DataCoding, gsm7::{Language, Tables}};
///
/// let ucs2 = [0x00, 0x48, 0xD8, 0x3D, 0xDE, 0x00];
/// let chars = text::decode(DataCoding(0x08), Tables::DEFAULT, &ucs2);
/// let s: heapless::String<16> = chars.unwrap().collect::<Result<_, _>>()?;
/// assert_eq!(s, "H😀");
///
/// // 0x1B 0x67 is 'ğ' in the Turkish single-shift table (A.2.1).
/// let turkish = Tables::single_shift(Language::Turkish);
/// let chars = text::decode(DataCoding(0), turkish, b"a\x1b\x67");
/// let s: heapless::String<16> = chars.unwrap().collect::<Result<_, _>>()?;
/// assert_eq!(s, "ağ");
///
/// assert!(text::decode(DataCoding(0x04), Tables::DEFAULT, b"\x01\x02").is_none());
/// # Ok::<(), smpp_core::text::TextError>(())
/// ```
pub fn decode(data_coding: DataCoding, tables: Tables, octets: &[u8]) -> Option<Chars<'_>> {
    decode_with(data_coding, tables, octets, OnUnmappable::Error)
}

/// Like [`decode`], with a policy for what does not decode: under [`OnUnmappable::Error`] the
/// errors of [`decode`]; under [`OnUnmappable::Replace`] no error at all, each becoming `'?'`
/// (a GSM 7-bit code with nothing assigned) or U+FFFD (octets not valid in their coding), as
/// the [module documentation](self#replacement-when-decoding) lists.
///
/// ```
/// use smpp_core::text::{self, OnUnmappable, dcs::DataCoding, gsm7::Tables};
///
/// let lossy = |dc, octets| -> String {
///     text::decode_with(DataCoding(dc), Tables::DEFAULT, octets, OnUnmappable::Replace)
///         .expect("a text coding")
///         .collect::<Result<_, _>>()
///         .expect("no error under Replace")
/// };
/// // A lone high surrogate, then 'A', then an odd octet.
/// assert_eq!(lossy(0x08, &[0xD8, 0x00, 0x00, 0x41, 0x42]), "\u{FFFD}A\u{FFFD}");
/// // IA5: an octet above 0x7F.
/// assert_eq!(lossy(0x01, b"caf\xE9"), "caf\u{FFFD}");
/// // GSM 7-bit: an octet above 0x7F, and an escape at the end.
/// assert_eq!(lossy(0x00, b"\x48\xE9\x1B"), "H\u{FFFD}\u{FFFD}");
/// ```
pub fn decode_with(
    data_coding: DataCoding,
    tables: Tables,
    octets: &[u8],
    policy: OnUnmappable,
) -> Option<Chars<'_>> {
    if data_coding.is_compressed() {
        return None;
    }
    let inner = match data_coding.alphabet() {
        Alphabet::McDefault | Alphabet::Gsm7 => {
            CharsInner::Gsm7(gsm7::decode_unpacked(octets, tables, policy))
        }
        Alphabet::Ia5 => CharsInner::Ascii(octets.iter()),
        Alphabet::Latin1 => CharsInner::Latin1(octets.iter()),
        Alphabet::Ucs2 => CharsInner::Ucs2(ucs2::decode_with(octets, policy)),
        _ => return None,
    };
    Some(Chars { inner, policy })
}

/// The user data of a message: `short_message`, or the value of the `message_payload` TLV
/// when `short_message` is empty (the two may not both carry it). `data_sm` has no
/// `short_message`: pass an empty one.
///
/// ```
/// use smpp_core::text::user_data;
/// use smpp_core::{TlvBuf, TlvTag};
///
/// let mut tlvs = TlvBuf::<16>::new();
/// tlvs.push(TlvTag::MESSAGE_PAYLOAD, b"long text")?;
/// assert_eq!(user_data(b"", &tlvs.tlvs()), b"long text");
/// assert_eq!(user_data(b"short", &tlvs.tlvs()), b"short");
/// # Ok::<(), smpp_core::Error>(())
/// ```
pub fn user_data<'a, B: AsRef<[u8]>>(short_message: &'a [u8], tlvs: &'a Tlvs<B>) -> &'a [u8] {
    if short_message.is_empty() {
        tlvs.get(TlvTag::MESSAGE_PAYLOAD)
            .map_or(short_message, |t| t.value)
    } else {
        short_message
    }
}

/// Errors from [`decode_short_message_into`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeError {
    /// The user data header is malformed.
    Udh(UdhError),
    /// The text does not decode in its `data_coding`, or the output buffer is too small
    /// ([`TextError::BufferTooSmall`]).
    Text(TextError),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Udh(e) => write!(f, "user data header: {e}"),
            Self::Text(e) => write!(f, "text: {e}"),
        }
    }
}

impl core::error::Error for DecodeError {}

impl From<UdhError> for DecodeError {
    fn from(e: UdhError) -> Self {
        Self::Udh(e)
    }
}

impl From<TextError> for DecodeError {
    fn from(e: TextError) -> Self {
        Self::Text(e)
    }
}

/// The characters of a received `short_message` (or `message_payload`): when `udhi` (the UDHI
/// bit of `esm_class`, [`EsmClass::udhi`](crate::EsmClass::udhi)) says the octets start with a
/// user data header, the header is skipped and its national language shift elements select
/// the GSM 7-bit tables ([`Udh::tables`]); the rest decodes by `data_coding` as in
/// [`decode_with`]. `Ok(None)` for codings that are not text; an error for a malformed header.
///
/// ```
/// use smpp_core::text::{OnUnmappable, short_message_chars};
/// use smpp_core::DataCoding;
///
/// // A Turkish single shift element (0x24, language 1): 0x1B 0x67 is 'ğ'.
/// let sm = [0x03, 0x24, 0x01, 0x01, 0x61, 0x1B, 0x67];
/// let chars = short_message_chars(&sm, true, DataCoding(0), OnUnmappable::Error)?;
/// let text: heapless::String<8> = chars.expect("text").collect::<Result<_, _>>()?;
/// assert_eq!(text, "ağ");
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
pub fn short_message_chars(
    short_message: &[u8],
    udhi: bool,
    data_coding: DataCoding,
    policy: OnUnmappable,
) -> Result<Option<Chars<'_>>, UdhError> {
    let (tables, octets) = if udhi {
        let (udh, octets) = Udh::split(short_message)?;
        (udh.tables()?, octets)
    } else {
        (Tables::DEFAULT, short_message)
    };
    Ok(decode_with(data_coding, tables, octets, policy))
}

/// The text of a received `short_message` (or `message_payload`), as [`short_message_chars`]
/// reads it, written as UTF-8 into `out`; the text is returned as a `&str` borrowing `out`.
/// `Ok(None)` for codings that are not text. Under [`OnUnmappable::Replace`] the errors are a
/// malformed header and an `out` too small ([`TextError::BufferTooSmall`]). Each octet of
/// data gives at most 3 octets of UTF-8, so three times the octets after the header is always
/// enough.
///
/// ```
/// use smpp_core::text::{OnUnmappable, decode_short_message_into};
/// use smpp_core::DataCoding;
///
/// // Part 1 of 2 (8-bit reference 0x11), UCS-2 "Привет".
/// let sm = [
///     0x05, 0x00, 0x03, 0x11, 0x02, 0x01,
///     0x04, 0x1F, 0x04, 0x40, 0x04, 0x38, 0x04, 0x32, 0x04, 0x35, 0x04, 0x42,
/// ];
/// let mut out = [0u8; 32];
/// let text = decode_short_message_into(&sm, true, DataCoding(0x08), OnUnmappable::Error, &mut out)?;
/// assert_eq!(text, Some("Привет"));
/// # Ok::<(), smpp_core::text::DecodeError>(())
/// ```
pub fn decode_short_message_into<'o>(
    short_message: &[u8],
    udhi: bool,
    data_coding: DataCoding,
    policy: OnUnmappable,
    out: &'o mut [u8],
) -> Result<Option<&'o str>, DecodeError> {
    let Some(chars) = short_message_chars(short_message, udhi, data_coding, policy)? else {
        return Ok(None);
    };
    let len = write_utf8(out, chars)?;
    let written = out.get(..len).unwrap_or_default();
    // Only whole characters were written.
    core::str::from_utf8(written)
        .map(Some)
        .map_err(|_| DecodeError::Text(TextError::BufferTooSmall))
}

/// The text of a message received in parts (the payloads of a reassembled message, each with
/// the GSM 7-bit tables its own user data header names), written as UTF-8 into `out`;
/// `Ok(None)` for codings that are not text ([`decode_with`]).
///
/// A national language shift applies to its own segment only (TS 23.038 annex C), so GSM
/// 7-bit parts are decoded each with its tables; an escape that ends a part (a sender that cut
/// an extension character in two) is decoded, with that part's tables, together with the
/// first septet of the next part. UCS-2 is decoded across the parts, so that a surrogate
/// pair cut between two parts (as handsets send an emoji) is one character. Errors and
/// replacements are those of [`decode_with`] under `policy`, and
/// [`TextError::BufferTooSmall`]; three octets of `out` for each octet of the parts, plus 3,
/// always suffice.
///
/// ```
/// use smpp_core::text::{OnUnmappable, decode_parts_into, gsm7::{Language, Tables}};
/// use smpp_core::DataCoding;
///
/// let turkish = Tables::single_shift(Language::Turkish);
/// // 0x1B 0x67 is 'ğ' in the Turkish single shift table, 'g' without it; an escape ends part 2.
/// let parts = [(turkish, &b"Da\x1b\x67 "[..]), (Tables::DEFAULT, b"da\x1b\x67 \x1b"), (turkish, b"\x3c")];
/// let mut out = [0u8; 32];
/// let text = decode_parts_into(parts, DataCoding(0), OnUnmappable::Error, &mut out)?;
/// assert_eq!(text, Some("Dağ dag ["));
///
/// // A surrogate pair cut between two UCS-2 parts.
/// let parts = [(Tables::DEFAULT, &[0xD8, 0x3D][..]), (Tables::DEFAULT, &[0xDE, 0x00][..])];
/// let text = decode_parts_into(parts, DataCoding(0x08), OnUnmappable::Error, &mut out)?;
/// assert_eq!(text, Some("😀"));
/// # Ok::<(), smpp_core::text::TextError>(())
/// ```
pub fn decode_parts_into<'o, 'p>(
    parts: impl IntoIterator<Item = (Tables, &'p [u8])>,
    data_coding: DataCoding,
    policy: OnUnmappable,
    out: &'o mut [u8],
) -> Result<Option<&'o str>, TextError> {
    if decode_with(data_coding, Tables::DEFAULT, &[], policy).is_none() {
        return Ok(None);
    }
    let len = if data_coding.alphabet() == Alphabet::Ucs2 {
        write_ucs2_parts(out, parts, policy)?
    } else {
        write_parts(out, parts, data_coding, policy)?
    };
    let written = out.get(..len).unwrap_or_default();
    // Only whole characters were written.
    core::str::from_utf8(written)
        .map(Some)
        .map_err(|_| TextError::BufferTooSmall)
}

/// The UTF-16BE of `parts`, decoded across them into the start of `out`; the octets written.
fn write_ucs2_parts<'p>(
    out: &mut [u8],
    parts: impl IntoIterator<Item = (Tables, &'p [u8])>,
    policy: OnUnmappable,
) -> Result<usize, TextError> {
    let replace = |e: TextError| match policy {
        OnUnmappable::Replace => Ok(char::REPLACEMENT_CHARACTER),
        OnUnmappable::Error => Err(e),
    };
    let mut units = Ucs2Units {
        octets: parts.into_iter().flat_map(|(_, p)| p.iter().copied()),
        odd: false,
    };
    let mut pos = 0;
    for unit in char::decode_utf16(&mut units) {
        let ch = unit.or_else(|e| replace(TextError::UnpairedSurrogate(e.unpaired_surrogate())))?;
        push_utf8(out, &mut pos, ch)?;
    }
    if units.odd {
        push_utf8(out, &mut pos, replace(TextError::OddLength)?)?;
    }
    Ok(pos)
}

/// `parts` of a single-octet coding decoded each with its tables into the start of `out`,
/// a GSM 7-bit escape that ends a part with the first septet of the next; the octets
/// written.
fn write_parts<'p>(
    out: &mut [u8],
    parts: impl IntoIterator<Item = (Tables, &'p [u8])>,
    data_coding: DataCoding,
    policy: OnUnmappable,
) -> Result<usize, TextError> {
    let gsm7 = data_coding.is_gsm7();
    let mut pos = 0;
    let mut write = |tables, octets: &[u8]| -> Result<(), TextError> {
        let rest = out.get_mut(pos..).unwrap_or_default();
        pos += decode_with(data_coding, tables, octets, policy)
            .map_or(Ok(0), |chars| write_utf8(rest, chars))?;
        Ok(())
    };
    // An escape that ended the previous part, with that part's tables.
    let mut carried: Option<Tables> = None;
    for (tables, mut part) in parts {
        if let Some(escape_tables) = carried.take() {
            let pair = [gsm7::ESCAPE, part.first().copied().unwrap_or_default()];
            write(
                escape_tables,
                pair.get(..1 + part.len().min(1)).unwrap_or_default(),
            )?;
            part = part.get(1..).unwrap_or_default();
        }
        if gsm7 && ends_with_lone_escape(part) {
            part = part.get(..part.len().saturating_sub(1)).unwrap_or_default();
            carried = Some(tables);
        }
        write(tables, part)?;
    }
    if let Some(escape_tables) = carried {
        write(escape_tables, &[gsm7::ESCAPE])?;
    }
    Ok(pos)
}

/// Whether unpacked septets end with an escape that has no code after it.
fn ends_with_lone_escape(septets: &[u8]) -> bool {
    let mut i = 0usize;
    while let Some(&s) = septets.get(i) {
        i = i.saturating_add(if s == gsm7::ESCAPE { 2 } else { 1 });
    }
    i > septets.len()
}

/// UTF-16BE code units of octets that may be cut anywhere; `odd` once an odd last octet ended
/// them.
struct Ucs2Units<I> {
    octets: I,
    odd: bool,
}

impl<I: Iterator<Item = u8>> Iterator for Ucs2Units<I> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        let hi = self.octets.next()?;
        let lo = self.octets.next();
        self.odd = lo.is_none();
        Some(u16::from_be_bytes([hi, lo?]))
    }
}

/// The high bit of each octet of a little-endian `u64`.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Among eight UTF-8 octets (little-endian in `v`): how many start a character, and how many
/// start a four-octet sequence (a character outside the BMP).
pub(crate) const fn utf8_leads(v: u64) -> (usize, usize) {
    // Bit 7 of octet k in `v << j` is bit 7 - j of octet k.
    let continuation = v & !(v << 1) & HIGH_BITS; // 0b10xx_xxxx
    let four = v & (v << 1) & (v << 2) & (v << 3) & HIGH_BITS; // 0b1111_xxxx
    (8 - count_high_bits(continuation), count_high_bits(four))
}

/// Number of octets with the high bit set in a value with no other bits set.
const fn count_high_bits(v: u64) -> usize {
    // Multiplying sums the (0 or 1) octets into the top octet.
    ((v >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize
}

/// Writes `ch` as UTF-8 at `out[*pos..]` and advances `pos`.
pub(crate) fn push_utf8(out: &mut [u8], pos: &mut usize, ch: char) -> Result<(), TextError> {
    let end = pos
        .checked_add(ch.len_utf8())
        .ok_or(TextError::BufferTooSmall)?;
    ch.encode_utf8(out.get_mut(*pos..end).ok_or(TextError::BufferTooSmall)?);
    *pos = end;
    Ok(())
}

/// Writes `chars` as UTF-8 at the start of `out`, up to the first error;
/// the octets written.
pub(crate) fn write_utf8(
    out: &mut [u8],
    chars: impl IntoIterator<Item = Result<char, TextError>>,
) -> Result<usize, TextError> {
    let mut pos = 0;
    for ch in chars {
        push_utf8(out, &mut pos, ch?)?;
    }
    Ok(pos)
}

/// Writes one octet at `out[*pos]` and advances `pos`.
pub(crate) fn push_byte(out: &mut [u8], pos: &mut usize, b: u8) -> Result<(), TextError> {
    let slot = out.get_mut(*pos).ok_or(TextError::BufferTooSmall)?;
    *slot = b;
    *pos = pos.checked_add(1).ok_or(TextError::BufferTooSmall)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::utf8_leads;

    proptest! {
        #[test]
        fn utf8_leads_counts_octet_by_octet(v: u64) {
            let octets = v.to_le_bytes();
            let leads = octets.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            let fours = octets.iter().filter(|&&b| b >= 0xF0).count();
            prop_assert_eq!(utf8_leads(v), (leads, fours));
        }
    }
}
