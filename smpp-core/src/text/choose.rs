//! Choosing the smallest encoding for a text and counting the segments it needs.
//!
//! Per-SMS capacities (140 octets of user data): a single message holds 160 GSM septets,
//! 140 octets or 70 UTF-16 units. A concatenated part loses the user data header: with the 8-bit
//! reference element (6 octets) 153 septets / 134 octets / 67 units, with the 16-bit reference
//! element (7 octets) 152 / 133 / 66. Each national language shift element costs 3 more octets.
//!
//! ```
//! use smpp_core::text::choose::{choose, segment_count, Concatenation, Encoding};
//! use smpp_core::text::gsm7::{Language, Tables};
//!
//! assert_eq!(choose("hello", &[]), Encoding::Gsm7(Tables::DEFAULT));
//! assert_eq!(choose("привет", &[]), Encoding::Ucs2);
//! // 'ş' is only in the Turkish tables; the locking shift holds it in one septet.
//! let enc = choose("kuş", &[Language::Turkish]);
//! assert_eq!(enc, Encoding::Gsm7(Tables::new(Language::Turkish, Language::Default).unwrap()));
//!
//! let long = "a".repeat(161);
//! assert_eq!(segment_count(&long, Encoding::Gsm7(Tables::DEFAULT), Concatenation::Udh8), Ok(2));
//! ```

use super::gsm7::{self, Language, Tables};
use super::{TextError, latin1, ucs2};

/// Octets of user data in one SMS.
pub const SMS_OCTETS: usize = 140;

/// A text encoding for `short_message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// GSM 7-bit with the given tables (national shifts need UDH elements).
    Gsm7(Tables),
    /// ISO-8859-1, one octet per character.
    Latin1,
    /// UCS-2 / UTF-16BE.
    Ucs2,
}

impl Encoding {
    /// The `data_coding` value for this encoding (GSM 7-bit uses 0x00, the MC default alphabet).
    pub const fn data_coding(self) -> u8 {
        match self {
            Self::Gsm7(_) => 0x00,
            Self::Latin1 => 0x03,
            Self::Ucs2 => 0x08,
        }
    }

    /// Length of the national language shift elements this encoding needs in the UDH (0, 3 or 6).
    pub const fn shift_ie_len(self) -> usize {
        match self {
            Self::Gsm7(t) => shift_ie_len(t),
            _ => 0,
        }
    }

    /// Number of units of `text` in this encoding: septets, octets or UTF-16 units.
    pub fn units(self, text: &str) -> Result<usize, TextError> {
        match self {
            Self::Gsm7(t) => gsm7::septet_count(text, t),
            Self::Latin1 => text
                .char_indices()
                .find(|&(_, c)| u32::from(c) > 0xFF)
                .map_or(Ok(text.chars().count()), |(offset, ch)| {
                    Err(TextError::Unmappable { ch, offset })
                }),
            Self::Ucs2 => Ok(ucs2::unit_count(text)),
        }
    }

    /// Units that fit in one SMS whose header is `udh_len` octets long (UDHL included; 0 for none).
    pub const fn capacity(self, udh_len: usize) -> usize {
        let octets = SMS_OCTETS.saturating_sub(udh_len);
        match self {
            Self::Gsm7(_) => gsm7::septets_in(octets, gsm7::fill_bits_for_udh(udh_len)),
            Self::Latin1 => octets,
            Self::Ucs2 => octets / 2,
        }
    }

    pub(crate) fn accepts(self, text: &str) -> bool {
        match self {
            Self::Gsm7(t) => gsm7::is_encodable(text, t),
            Self::Latin1 => latin1::is_latin1(text),
            Self::Ucs2 => true,
        }
    }
}

pub(crate) const fn shift_ie_len(t: Tables) -> usize {
    let mut n = 0;
    if !matches!(t.locking(), Language::Default) {
        n += 3;
    }
    if !matches!(t.single(), Language::Default) {
        n += 3;
    }
    n
}

/// How a long message is carried; decides the per-part header overhead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Concatenation {
    /// UDH with the 8-bit reference concatenation element (6-octet header).
    Udh8,
    /// UDH with the 16-bit reference concatenation element (7-octet header).
    Udh16,
    /// SAR TLVs; the MC builds the header, so parts are sized like [`Concatenation::Udh8`].
    Sar,
    /// One `message_payload` TLV, never split.
    Payload,
}

impl Concatenation {
    /// Octets of the concatenation element (with UDHL when the header has no other element).
    pub const fn ie_len(self) -> usize {
        match self {
            Self::Udh8 | Self::Sar => 5,
            Self::Udh16 => 6,
            Self::Payload => 0,
        }
    }
}

/// Header length (UDHL included) for the given element octets; 0 when there are none.
pub(crate) const fn udh_len(ie_octets: usize) -> usize {
    if ie_octets == 0 { 0 } else { ie_octets + 1 }
}

/// Number of segments `units` units need: 1 if they fit a single SMS, else the concatenated count.
pub(crate) const fn segments_for(units: usize, enc: Encoding, method: Concatenation) -> usize {
    let shift = enc.shift_ie_len();
    let single = enc.capacity(udh_len(shift));
    if units <= single || matches!(method, Concatenation::Payload) {
        return 1;
    }
    let per = enc.capacity(udh_len(shift + method.ie_len()));
    units.div_ceil(per)
}

/// Number of segments `text` needs in `encoding` under `method` (1 for [`Concatenation::Payload`]).
///
/// Parts are cut between characters, so a GSM escape pair or a surrogate pair that does not fit
/// the end of a part moves to the next one; the count takes that into account.
pub fn segment_count(
    text: &str,
    encoding: Encoding,
    method: Concatenation,
) -> Result<usize, TextError> {
    let units = encoding.units(text)?;
    if segments_for(units, encoding, method) == 1 {
        return Ok(1);
    }
    let per = encoding.capacity(udh_len(encoding.shift_ie_len() + method.ie_len()));
    Ok(count_parts(text, per, |c| char_units(c, encoding)))
}

/// Units one character costs in `enc` (unmappable GSM characters count 1).
pub(crate) fn char_units(c: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Gsm7(t) => t.encode_char(c).map_or(1, gsm7::Septets::len),
        Encoding::Latin1 => 1,
        Encoding::Ucs2 => c.len_utf16(),
    }
}

/// Number of parts of at most `cap` units when cutting greedily between characters.
pub(crate) fn count_parts(text: &str, cap: usize, cost: impl Fn(char) -> usize) -> usize {
    let mut parts = 1usize;
    let mut used = 0usize;
    for c in text.chars() {
        let u = cost(c);
        if used.saturating_add(u) > cap {
            parts = parts.saturating_add(1);
            used = 0;
        }
        used = used.saturating_add(u);
    }
    parts
}

/// Chooses the smallest encoding for `text`: GSM 7-bit with the default tables if possible, else
/// GSM 7-bit with national shift tables of an `allowed` language (the combination needing the
/// fewest segments, then the fewest septets), else UCS-2.
pub fn choose(text: &str, allowed: &[Language]) -> Encoding {
    choose_for(text, allowed, Concatenation::Udh8)
}

/// Like [`choose`], counting segments under the given concatenation method.
pub fn choose_for(text: &str, allowed: &[Language], method: Concatenation) -> Encoding {
    let default = Encoding::Gsm7(Tables::DEFAULT);
    if default.accepts(text) {
        return default;
    }
    let mut best: Option<(usize, usize, Encoding)> = None;
    for &lang in allowed {
        let candidates = [
            Some(Tables::single_shift(lang)),
            Tables::new(lang, Language::Default),
            Tables::new(lang, lang),
        ];
        for tables in candidates.into_iter().flatten() {
            let enc = Encoding::Gsm7(tables);
            if let Ok(units) = enc.units(text) {
                let segs = segments_for(units, enc, method);
                let key = (segs, units.saturating_add(enc.shift_ie_len() * 8 / 7));
                if best.is_none_or(|(s, u, _)| key < (s, u)) {
                    best = Some((key.0, key.1, enc));
                }
            }
        }
    }
    best.map_or(Encoding::Ucs2, |(_, _, e)| e)
}
