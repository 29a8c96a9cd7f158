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
use super::{OnUnmappable, TextError, ucs2, utf8_leads};

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
    ///
    /// # Errors
    /// [`TextError::Unmappable`] for the first character the encoding cannot hold; see
    /// [`units_with`](Self::units_with) to count it as its replacement instead.
    pub fn units(self, text: &str) -> Result<usize, TextError> {
        self.units_with(text, OnUnmappable::Error)
    }

    /// Like [`units`](Self::units), with the given policy for characters the encoding cannot
    /// hold: with [`OnUnmappable::Replace`] each counts as the one unit of its `'?'`, which is
    /// what the encoders write for it.
    pub fn units_with(self, text: &str, policy: OnUnmappable) -> Result<usize, TextError> {
        if let (Self::Latin1, OnUnmappable::Replace) = (self, policy) {
            return Ok(text.chars().count());
        }
        match self {
            Self::Gsm7(t) => gsm7::septets_with(text, t, policy),
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

/// Units per part: `(single, part)` for a message that fits one SMS and for each part of a
/// concatenated one, when the header also holds `extra` octets of other elements.
pub(crate) const fn capacities(
    enc: Encoding,
    method: Concatenation,
    extra: usize,
) -> (usize, usize) {
    let base = enc.shift_ie_len() + extra;
    (
        enc.capacity(udh_len(base)),
        enc.capacity(udh_len(base + method.ie_len())),
    )
}

/// Number of segments `text` needs in `encoding` under `method` (1 for [`Concatenation::Payload`]).
///
/// Parts are cut between characters, so a GSM escape pair or a surrogate pair that does not fit
/// the end of a part moves to the next one; the count takes that into account.
///
/// # Errors
/// [`TextError::Unmappable`] for a character `encoding` cannot hold; see [`segment_count_with`].
pub fn segment_count(
    text: &str,
    encoding: Encoding,
    method: Concatenation,
) -> Result<usize, TextError> {
    segment_count_with(text, encoding, method, OnUnmappable::Error)
}

/// Like [`segment_count`], with the given policy for characters `encoding` cannot hold
/// ([`OnUnmappable::Replace`] counts each as its `'?'`).
///
/// The count is the one [`Splitter`](super::split::Splitter) produces for
/// [`Content::Text`](super::split::Content::Text) without other header elements.
pub fn segment_count_with(
    text: &str,
    encoding: Encoding,
    method: Concatenation,
    policy: OnUnmappable,
) -> Result<usize, TextError> {
    encoding.units_with(text, policy)?;
    Ok(text_segments(text, encoding, method, false))
}

/// Segments of a text whose characters all encode (or are replaced) in `enc`; `packed` applies
/// the rule that a packed part does not end with a carriage return in its last septet.
pub(crate) fn text_segments(
    text: &str,
    enc: Encoding,
    method: Concatenation,
    packed: bool,
) -> usize {
    let (single, per) = capacities(enc, method, 0);
    if matches!(method, Concatenation::Payload) || fits_one_part(text, single, enc, packed) {
        return 1;
    }
    Parts::new(text, per, enc, packed).count()
}

/// Units one character costs in `enc` (unmappable GSM characters count 1, as their `'?'`).
pub(crate) fn char_units(c: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Gsm7(t) => t.encode_char(c).map_or(1, gsm7::Septets::len),
        Encoding::Latin1 => 1,
        Encoding::Ucs2 => c.len_utf16(),
    }
}

/// Whether `text` is a single part of at most `cap` units (see [`Parts`]); looks at no more
/// than the first `cap` units and one character.
pub(crate) fn fits_one_part(text: &str, cap: usize, enc: Encoding, packed: bool) -> bool {
    Parts::new(text, cap, enc, packed)
        .next()
        .is_none_or(|(_, end)| end >= text.len())
}

/// The byte ranges of the parts of a text cut greedily between characters, each holding at most
/// `cap` units (and at least one character, so that the cut always advances).
///
/// With `packed`, a carriage return never takes the last unit of a part: TS 23.038 6.1.2.3.1 has
/// a packed text ending in CR on an octet boundary sent with a second CR, which would not fit.
/// An empty text is one empty part.
#[derive(Debug, Clone)]
pub(crate) struct Parts<'t> {
    text: &'t str,
    pos: usize,
    cap: usize,
    enc: Encoding,
    packed: bool,
    done: bool,
}

impl<'t> Parts<'t> {
    pub(crate) const fn new(text: &'t str, cap: usize, enc: Encoding, packed: bool) -> Self {
        Self {
            text,
            pos: 0,
            cap,
            enc,
            packed,
            done: false,
        }
    }

    /// The characters at the start of `utf8` that cost one unit each and may take any of the
    /// `room` units left in a part, skipped in one go: `(units, octets)`. Characters that need
    /// a closer look (GSM escapes and unmappable characters, surrogate pairs, a carriage return
    /// in packed text) end the run.
    fn one_unit_run(&self, utf8: &[u8], room: usize) -> (usize, usize) {
        match self.enc {
            Encoding::Gsm7(t) => {
                let n = t.ascii_run(utf8, room);
                let n = match utf8.get(..n) {
                    Some(run) if self.packed => run.iter().position(|&b| b == b'\r').unwrap_or(n),
                    _ => n,
                };
                (n, n)
            }
            Encoding::Latin1 => chars_run(utf8, room, false),
            Encoding::Ucs2 => chars_run(utf8, room, true),
        }
    }
}

/// Up to `limit` characters at the start of `utf8`, stopping before a character outside the
/// Basic Multilingual Plane if `bmp_only`: `(characters, octets)`.
fn chars_run(utf8: &[u8], limit: usize, bmp_only: bool) -> (usize, usize) {
    let mut chars = 0;
    let mut skipped = 0;
    // Eight octets at a time while they start no more characters than are left...
    while let Some(&octets) = utf8.get(skipped..).and_then(<[u8]>::first_chunk::<8>) {
        let (leads, fours) = utf8_leads(u64::from_le_bytes(octets));
        if chars + leads > limit || (bmp_only && fours > 0) {
            break;
        }
        chars += leads;
        skipped += 8;
    }
    // ...then one at a time.
    let rest = utf8.get(skipped..).unwrap_or_default();
    for (i, &b) in rest.iter().enumerate() {
        // Continuation octets belong to the character before them.
        if b & 0xC0 == 0x80 {
            continue;
        }
        if chars == limit || (bmp_only && b >= 0xF0) {
            return (chars, skipped + i);
        }
        chars += 1;
    }
    (chars, utf8.len())
}

impl Iterator for Parts<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let rest = self.text.get(start..)?;
        let mut used = 0usize;
        let mut taken = 0usize;
        let end = loop {
            let (units, octets) =
                self.one_unit_run(rest.get(taken..)?.as_bytes(), self.cap.saturating_sub(used));
            used += units;
            taken += octets;
            let Some(c) = rest.get(taken..).and_then(|r| r.chars().next()) else {
                break self.text.len();
            };
            let after = used.saturating_add(char_units(c, self.enc));
            let over = after > self.cap || (self.packed && c == '\r' && after == self.cap);
            if over && used > 0 {
                break start + taken;
            }
            used = after;
            taken += c.len_utf8();
        };
        self.pos = end;
        self.done = end >= self.text.len();
        Some((start, end))
    }
}

/// Chooses the smallest encoding for `text`: among GSM 7-bit with the default tables and with
/// the national shift tables of each `allowed` language (single shift, locking shift, both),
/// the one needing the fewest segments, then the fewest septets counting the 3 header octets of
/// each shift element; the default tables win a tie. UCS-2 when no GSM tables hold the text.
///
/// ```
/// use smpp_core::text::choose::{choose, Encoding};
/// use smpp_core::text::gsm7::{Language, Tables};
///
/// // 100 euro signs: 200 septets (2 segments) in the default tables, where € is an escape,
/// // but 100 (1 segment) in the Portuguese locking-shift table, which holds it directly.
/// let euros = "€".repeat(100);
/// assert_eq!(choose(&euros, &[]), Encoding::Gsm7(Tables::DEFAULT));
/// assert_eq!(
///     choose(&euros, &[Language::Portuguese]),
///     Encoding::Gsm7(Tables::new(Language::Portuguese, Language::Default).unwrap())
/// );
/// ```
pub fn choose(text: &str, allowed: &[Language]) -> Encoding {
    choose_for(text, allowed, Concatenation::Udh8)
}

/// Like [`choose`], counting segments under the given concatenation method.
pub fn choose_for(text: &str, allowed: &[Language], method: Concatenation) -> Encoding {
    let national = allowed.iter().flat_map(|&lang| {
        [
            Some(Tables::single_shift(lang)),
            Tables::new(lang, Language::Default),
            Tables::new(lang, lang),
        ]
    });
    let mut best: Option<(usize, usize, Encoding)> = None;
    for tables in core::iter::once(Some(Tables::DEFAULT))
        .chain(national)
        .flatten()
    {
        let enc = Encoding::Gsm7(tables);
        if let Ok(units) = enc.units(text) {
            let segs = text_segments(text, enc, method, false);
            let key = (segs, units.saturating_add(enc.shift_ie_len() * 8 / 7));
            if best.is_none_or(|(s, u, _)| key < (s, u)) {
                best = Some((key.0, key.1, enc));
            }
        }
    }
    best.map_or(Encoding::Ucs2, |(_, _, e)| e)
}

#[cfg(test)]
mod tests {
    //! The run-skipping part cutter against the character-by-character definition.

    use std::string::String;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::testing::tables_and_text;
    use super::*;

    /// The parts cut one character at a time.
    fn parts_one_by_one(
        text: &str,
        cap: usize,
        enc: Encoding,
        packed: bool,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            let start = pos;
            let mut used = 0usize;
            let mut end = text.len();
            for (i, c) in text[start..].char_indices() {
                let after = used + char_units(c, enc);
                let over = after > cap || (packed && c == '\r' && after == cap);
                if over && used > 0 {
                    end = start + i;
                    break;
                }
                used = after;
            }
            out.push((start, end));
            pos = end;
            if end >= text.len() {
                return out;
            }
        }
    }

    fn encodings() -> impl Strategy<Value = (Encoding, String)> {
        prop_oneof![
            2 => tables_and_text().prop_map(|(t, text)| (Encoding::Gsm7(t), text)),
            1 => tables_and_text().prop_map(|(_, text)| (Encoding::Ucs2, text)),
            1 => tables_and_text().prop_map(|(_, text)| (Encoding::Latin1, text)),
        ]
    }

    proptest! {
        #[test]
        fn parts_agree_with_one_character_at_a_time(
            (enc, text) in encodings(),
            cap in prop_oneof![0usize..12, 60usize..170],
            packed: bool,
        ) {
            let packed = packed && matches!(enc, Encoding::Gsm7(_));
            let expected = parts_one_by_one(&text, cap, enc, packed);
            let parts: Vec<_> = Parts::new(&text, cap, enc, packed).collect();
            prop_assert_eq!(&parts, &expected);
            prop_assert_eq!(fits_one_part(&text, cap, enc, packed), expected.len() == 1);
        }

        #[test]
        fn units_agree_with_one_character_at_a_time(
            (enc, text) in encodings(),
            replace: bool,
        ) {
            let policy = if replace { OnUnmappable::Replace } else { OnUnmappable::Error };
            let holds = |c: char| match enc {
                Encoding::Gsm7(t) => t.encode_char(c).is_some(),
                Encoding::Latin1 => u32::from(c) <= 0xFF,
                Encoding::Ucs2 => true,
            };
            let expected = match text.char_indices().find(|&(_, c)| !holds(c)) {
                Some((offset, ch)) if !replace => Err(TextError::Unmappable { ch, offset }),
                _ => Ok(text.chars().map(|c| char_units(c, enc)).sum()),
            };
            prop_assert_eq!(enc.units_with(&text, policy), expected);
        }
    }
}
