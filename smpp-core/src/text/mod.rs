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

use core::fmt;

pub mod choose;
pub mod dcs;
pub mod gsm7;
pub mod latin1;
pub mod reassembly;
pub mod split;
pub mod ucs2;
pub mod udh;

mod tables;

/// What to do with a character that the target character set cannot represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OnUnmappable {
    /// Stop with [`TextError::Unmappable`] (the default).
    #[default]
    Error,
    /// Substitute a question mark `'?'` (which every GSM table, Latin-1 and ASCII contain).
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
        }
    }
}

impl core::error::Error for TextError {}

/// Writes `ch` as UTF-8 at `out[*pos..]` and advances `pos`.
pub(crate) fn push_utf8(out: &mut [u8], pos: &mut usize, ch: char) -> Result<(), TextError> {
    let mut tmp = [0u8; 4];
    let enc = ch.encode_utf8(&mut tmp).as_bytes();
    let end = pos
        .checked_add(enc.len())
        .ok_or(TextError::BufferTooSmall)?;
    out.get_mut(*pos..end)
        .ok_or(TextError::BufferTooSmall)?
        .copy_from_slice(enc);
    *pos = end;
    Ok(())
}

/// Writes one octet at `out[*pos]` and advances `pos`.
pub(crate) fn push_byte(out: &mut [u8], pos: &mut usize, b: u8) -> Result<(), TextError> {
    let slot = out.get_mut(*pos).ok_or(TextError::BufferTooSmall)?;
    *slot = b;
    *pos = pos.checked_add(1).ok_or(TextError::BufferTooSmall)?;
    Ok(())
}
