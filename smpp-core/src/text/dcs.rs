//! The `data_coding` octet (SMPP v5.0 4.7.7, v3.4 5.2.19; GSM groups from 3GPP TS 23.038 4).
//!
//! Values 0x00-0x0E are SMPP's own character-set table. SMPP reserves 0x0F-0xBF, but GSM MCs and
//! analysers read 0x10-0x7F as the TS 23.038 general data coding groups (compression flag,
//! optional message class, alphabet), which is what [`DataCoding::scheme`] does. 0xC0-0xEF are
//! the message waiting indication groups and 0xF0-0xFF the data coding / message class group.
//!
//! ```
//! use smpp_core::text::dcs::{Alphabet, DataCoding, MessageClass};
//!
//! let dc = DataCoding(0xF5);
//! assert_eq!(dc.alphabet(), Alphabet::Binary);
//! assert_eq!(dc.message_class(), Some(MessageClass::Class1));
//! assert!(DataCoding(0xF0).is_flash());
//! assert_eq!(DataCoding(0x08).alphabet(), Alphabet::Ucs2);
//! ```

/// The character set (or octet interpretation) of `short_message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alphabet {
    /// 0x00: the MC default alphabet; in GSM networks the GSM 7-bit alphabet, usually unpacked.
    McDefault,
    /// 0x01: IA5 (CCITT T.50) / ASCII.
    Ia5,
    /// 0x02, 0x04 and the GSM 8-bit groups: octets with no character meaning.
    Binary,
    /// 0x03: ISO-8859-1.
    Latin1,
    /// 0x05: JIS X 0208-1990.
    Jis,
    /// 0x06: ISO-8859-5.
    Cyrillic,
    /// 0x07: ISO-8859-8.
    LatinHebrew,
    /// 0x08 and the GSM UCS-2 groups: UCS-2 / UTF-16BE.
    Ucs2,
    /// 0x09: pictogram encoding.
    Pictogram,
    /// 0x0A: ISO-2022-JP (music codes).
    MusicCodes,
    /// 0x0D: extended Kanji JIS X 0212-1990.
    ExtendedKanji,
    /// 0x0E: KS C 5601.
    KsC5601,
    /// The GSM 7-bit default alphabet, named explicitly by a GSM coding group.
    Gsm7,
    /// A reserved value or alphabet.
    Reserved,
}

/// GSM message class (TS 23.038).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageClass {
    /// Class 0: shown immediately and not stored ("flash SMS").
    Class0,
    /// Class 1: mobile equipment specific.
    Class1,
    /// Class 2: SIM specific.
    Class2,
    /// Class 3: terminal equipment specific.
    Class3,
}

impl MessageClass {
    const fn from_bits(bits: u8) -> Self {
        match bits & 0x03 {
            0 => Self::Class0,
            1 => Self::Class1,
            2 => Self::Class2,
            _ => Self::Class3,
        }
    }

    /// The class number, 0-3.
    pub const fn number(self) -> u8 {
        self as u8
    }
}

/// Kind of message waiting indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndicationKind {
    /// Voicemail message waiting.
    Voicemail,
    /// Fax message waiting.
    Fax,
    /// Electronic mail message waiting.
    Email,
    /// Other message waiting.
    Other,
}

/// A message waiting indication (`data_coding` 0xC0-0xEF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageWaiting {
    /// `true` for the store groups (0xD0-0xEF), `false` for "discard message" (0xC0-0xCF).
    pub store: bool,
    /// Whether the indication is set (active) or cleared.
    pub active: bool,
    /// What is waiting.
    pub kind: IndicationKind,
    /// The alphabet of the text: GSM 7-bit for 0xC0-0xDF, UCS-2 for 0xE0-0xEF.
    pub alphabet: Alphabet,
}

/// The decoded coding group of a `data_coding` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// 0x00-0x0E: a character set of SMPP's table (reserved entries map to [`Alphabet::Reserved`]).
    Smpp(Alphabet),
    /// 0x10-0x7F: TS 23.038 general data coding (0x40-0x7F mark the message for automatic deletion).
    General {
        /// The text is compressed (TS 23.042).
        compressed: bool,
        /// The message is marked for automatic deletion (groups 0x40-0x7F).
        auto_delete: bool,
        /// The message class, if bit 4 is set.
        class: Option<MessageClass>,
        /// The alphabet from bits 3-2.
        alphabet: Alphabet,
    },
    /// 0xC0-0xEF: message waiting indication.
    MessageWaiting(MessageWaiting),
    /// 0xF0-0xFF: data coding / message class.
    ClassGroup {
        /// GSM 7-bit or 8-bit data.
        alphabet: Alphabet,
        /// The message class.
        class: MessageClass,
    },
    /// 0x0F, 0x80-0xBF: reserved.
    Reserved,
}

pub use crate::values::DataCoding;

const fn gsm_alphabet(bits: u8) -> Alphabet {
    match bits & 0x03 {
        0 => Alphabet::Gsm7,
        1 => Alphabet::Binary,
        2 => Alphabet::Ucs2,
        _ => Alphabet::Reserved,
    }
}

impl DataCoding {
    /// Decodes the coding group.
    pub const fn scheme(self) -> Scheme {
        let v = self.0;
        match v {
            0x00..=0x0E => Scheme::Smpp(match v {
                0x00 => Alphabet::McDefault,
                0x01 => Alphabet::Ia5,
                0x02 | 0x04 => Alphabet::Binary,
                0x03 => Alphabet::Latin1,
                0x05 => Alphabet::Jis,
                0x06 => Alphabet::Cyrillic,
                0x07 => Alphabet::LatinHebrew,
                0x08 => Alphabet::Ucs2,
                0x09 => Alphabet::Pictogram,
                0x0A => Alphabet::MusicCodes,
                0x0D => Alphabet::ExtendedKanji,
                0x0E => Alphabet::KsC5601,
                _ => Alphabet::Reserved,
            }),
            0x10..=0x7F => Scheme::General {
                compressed: v & 0x20 != 0,
                auto_delete: v & 0x40 != 0,
                class: if v & 0x10 != 0 {
                    Some(MessageClass::from_bits(v))
                } else {
                    None
                },
                alphabet: gsm_alphabet(v >> 2),
            },
            0xC0..=0xEF => Scheme::MessageWaiting(MessageWaiting {
                store: v >= 0xD0,
                active: v & 0x08 != 0,
                kind: match v & 0x03 {
                    0 => IndicationKind::Voicemail,
                    1 => IndicationKind::Fax,
                    2 => IndicationKind::Email,
                    _ => IndicationKind::Other,
                },
                alphabet: if v >= 0xE0 {
                    Alphabet::Ucs2
                } else {
                    Alphabet::Gsm7
                },
            }),
            0xF0..=0xFF => Scheme::ClassGroup {
                alphabet: if v & 0x04 == 0 {
                    Alphabet::Gsm7
                } else {
                    Alphabet::Binary
                },
                class: MessageClass::from_bits(v),
            },
            _ => Scheme::Reserved,
        }
    }

    /// The alphabet the message text uses.
    pub const fn alphabet(self) -> Alphabet {
        match self.scheme() {
            Scheme::Smpp(a)
            | Scheme::General { alphabet: a, .. }
            | Scheme::ClassGroup { alphabet: a, .. } => a,
            Scheme::MessageWaiting(m) => m.alphabet,
            Scheme::Reserved => Alphabet::Reserved,
        }
    }

    /// The message class, if the value carries one.
    pub const fn message_class(self) -> Option<MessageClass> {
        match self.scheme() {
            Scheme::General { class, .. } => class,
            Scheme::ClassGroup { class, .. } => Some(class),
            _ => None,
        }
    }

    /// Whether this is a class 0 ("flash") message.
    pub const fn is_flash(self) -> bool {
        matches!(self.message_class(), Some(MessageClass::Class0))
    }

    /// Whether the text is compressed (general data coding groups, bit 5).
    pub const fn is_compressed(self) -> bool {
        matches!(
            self.scheme(),
            Scheme::General {
                compressed: true,
                ..
            }
        )
    }

    /// The message waiting indication, for 0xC0-0xEF.
    pub const fn message_waiting(self) -> Option<MessageWaiting> {
        match self.scheme() {
            Scheme::MessageWaiting(m) => Some(m),
            _ => None,
        }
    }

    /// Whether the text is GSM 7-bit, counting 0x00 (MC default) as GSM 7-bit.
    pub const fn is_gsm7(self) -> bool {
        matches!(self.alphabet(), Alphabet::Gsm7 | Alphabet::McDefault)
    }
}
