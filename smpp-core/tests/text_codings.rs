//! UCS-2, Latin-1, ASCII, `data_coding` and UDH.

#![allow(clippy::cast_possible_truncation, clippy::unreadable_literal)]

mod common;

use common::ie::{concat8, concat16, port8, port16};
use smpp_core::text::dcs::{Alphabet, DataCoding, IndicationKind, MessageClass, Scheme};
use smpp_core::text::gsm7::{self, Language, Tables};
use smpp_core::text::udh::{Concat, Ie, Udh, UdhBuilder, UdhError, write_udh};
use smpp_core::text::{self, OnUnmappable, TextError, latin1, ucs2};

#[test]
fn ucs2_round_trip_with_surrogates() {
    let mut buf = [0u8; 32];
    let n = ucs2::encode("Aж€😀", &mut buf).unwrap();
    assert_eq!(
        buf[..n],
        [0x00, 0x41, 0x04, 0x36, 0x20, 0xAC, 0xD8, 0x3D, 0xDE, 0x00]
    );
    assert_eq!(ucs2::unit_count("Aж€😀"), 5);
    let s: String = ucs2::decode(&buf[..n]).collect::<Result<_, _>>().unwrap();
    assert_eq!(s, "Aж€😀");
    let mut units = [0u16; 8];
    let m = ucs2::encode_units("😀", &mut units).unwrap();
    assert_eq!(units[..m], [0xD83D, 0xDE00]);
}

#[test]
fn ucs2_errors() {
    let mut out = [0u8; 16];
    assert_eq!(
        ucs2::decode_to_utf8(&[0x00, 0x41, 0x00], &mut out),
        Err(TextError::OddLength)
    );
    let r: Result<String, _> = ucs2::decode(&[0x00, 0x41, 0x00]).collect();
    assert_eq!(r, Err(TextError::OddLength));
    let r: Result<String, _> = ucs2::decode(&[0xD8, 0x3D]).collect();
    assert_eq!(r, Err(TextError::UnpairedSurrogate(0xD83D)));
    let r: Result<String, _> = ucs2::decode(&[0xDE, 0x00, 0x00, 0x41]).collect();
    assert_eq!(r, Err(TextError::UnpairedSurrogate(0xDE00)));
    let r: Result<String, _> = ucs2::decode(&[0xD8, 0x3D, 0x00, 0x41]).collect();
    assert_eq!(r, Err(TextError::UnpairedSurrogate(0xD83D)));
    assert_eq!(
        ucs2::encode("ab", &mut out[..3]),
        Err(TextError::BufferTooSmall)
    );
}

#[test]
fn ucs2_high_surrogate_leaves_the_next_unit_alone() {
    // A high surrogate followed by a unit that is not a low surrogate: the
    // error is the high surrogate's alone, and the unit after it decodes.
    let items: Vec<_> = ucs2::decode(&[0xD8, 0x00, 0x00, 0x41]).collect();
    assert_eq!(items, [Err(TextError::UnpairedSurrogate(0xD800)), Ok('A')]);
    // Followed by another high surrogate that does have its pair.
    let items: Vec<_> = ucs2::decode(&[0xD8, 0x00, 0xD8, 0x3D, 0xDE, 0x00]).collect();
    assert_eq!(items, [Err(TextError::UnpairedSurrogate(0xD800)), Ok('😀')]);
    // Two high surrogates, then the end.
    let items: Vec<_> = ucs2::decode(&[0xDB, 0xFF, 0xD8, 0x00]).collect();
    assert_eq!(
        items,
        [
            Err(TextError::UnpairedSurrogate(0xDBFF)),
            Err(TextError::UnpairedSurrogate(0xD800))
        ]
    );
    // An odd octet after a lone high surrogate: both reported.
    let items: Vec<_> = ucs2::decode(&[0xD8, 0x00, 0x41]).collect();
    assert_eq!(
        items,
        [
            Err(TextError::UnpairedSurrogate(0xD800)),
            Err(TextError::OddLength)
        ]
    );
}

#[test]
fn latin1_and_ascii() {
    let mut out = [0u8; 16];
    let n = latin1::encode_latin1("Ünïcødé", OnUnmappable::Error, &mut out).unwrap();
    assert_eq!(out[..n], [0xDC, 0x6E, 0xEF, 0x63, 0xF8, 0x64, 0xE9]);
    let back: String = latin1::decode_latin1(&out[..n]).collect();
    assert_eq!(back, "Ünïcødé");
    assert_eq!(
        latin1::encode_ascii("aé", OnUnmappable::Error, &mut out),
        Err(TextError::Unmappable {
            ch: 'é', offset: 1
        })
    );
    let n = latin1::encode_ascii("aé", OnUnmappable::Replace, &mut out).unwrap();
    assert_eq!(&out[..n], b"a?");
    let r: Result<String, _> = latin1::decode_ascii(&[0x41, 0xE9]).collect();
    assert_eq!(r, Err(TextError::NonAscii(0xE9)));
}

#[test]
fn data_coding_values() {
    let cases = [
        (0x00, Alphabet::McDefault),
        (0x01, Alphabet::Ia5),
        (0x02, Alphabet::Binary),
        (0x03, Alphabet::Latin1),
        (0x04, Alphabet::Binary),
        (0x05, Alphabet::Jis),
        (0x06, Alphabet::Cyrillic),
        (0x07, Alphabet::LatinHebrew),
        (0x08, Alphabet::Ucs2),
        (0x09, Alphabet::Pictogram),
        (0x0A, Alphabet::MusicCodes),
        (0x0B, Alphabet::Reserved),
        (0x0C, Alphabet::Reserved),
        (0x0D, Alphabet::ExtendedKanji),
        (0x0E, Alphabet::KsC5601),
        (0x0F, Alphabet::Reserved),
        (0xF0, Alphabet::Gsm7),
        (0xF2, Alphabet::Gsm7),
        (0xF5, Alphabet::Binary),
        (0x18, Alphabet::Ucs2),
        (0xC0, Alphabet::Gsm7),
        (0xE8, Alphabet::Ucs2),
        (0x90, Alphabet::Reserved),
    ];
    for (v, a) in cases {
        assert_eq!(DataCoding(v).alphabet(), a, "0x{v:02X}");
    }
    assert!(DataCoding(0xF0).is_flash());
    assert!(DataCoding(0x10).is_flash());
    assert!(!DataCoding(0x00).is_flash());
    assert_eq!(DataCoding(0xF5).message_class(), Some(MessageClass::Class1));
    assert_eq!(DataCoding(0xF2).message_class(), Some(MessageClass::Class2));
    assert_eq!(DataCoding(0x19).message_class(), Some(MessageClass::Class1));
    assert_eq!(DataCoding(0x08).message_class(), None);
    assert!(DataCoding(0x20).is_compressed());
    assert_eq!(
        DataCoding(0x32).scheme(),
        Scheme::General {
            compressed: true,
            auto_delete: false,
            class: Some(MessageClass::Class2),
            alphabet: Alphabet::Gsm7
        }
    );
    let mwi = DataCoding(0xD8).message_waiting().unwrap();
    assert!(mwi.store && mwi.active);
    assert_eq!(mwi.kind, IndicationKind::Voicemail);
    let mwi = DataCoding(0xC2).message_waiting().unwrap();
    assert!(!mwi.store && !mwi.active);
    assert_eq!(mwi.kind, IndicationKind::Email);
    assert_eq!(
        DataCoding(0xEB).message_waiting().unwrap().kind,
        IndicationKind::Other
    );
    assert_eq!(DataCoding(0x90).scheme(), Scheme::Reserved);
}

#[test]
fn udh_parse_concat_and_ports() {
    let sm = [
        0x0B, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0x01, 0x02, 0x02, 0xAA,
    ];
    let (udh, payload) = Udh::split(&sm).unwrap();
    assert_eq!(payload, [0xAA]);
    assert_eq!(udh.len(), 12);
    assert_eq!(udh.ports(), Ok(Some((2948, 9200))));
    assert_eq!(
        udh.concat(),
        Ok(Some(Concat {
            reference: 1,
            total: 2,
            seq: 2,
            wide: false
        }))
    );
    let ies: Vec<_> = udh.ies().collect::<Result<_, _>>().unwrap();
    assert_eq!(ies, [port16(2948, 9200), concat8(1, 2, 2)]);

    let sm16 = [0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x01];
    let (udh, payload) = Udh::split(&sm16).unwrap();
    assert!(payload.is_empty());
    assert_eq!(
        udh.concat(),
        Ok(Some(Concat {
            reference: 0x1234,
            total: 3,
            seq: 1,
            wide: true
        }))
    );
}

#[test]
fn udh_unknown_and_shift_elements() {
    let sm = [
        0x0A, 0x24, 0x01, 0x01, 0x25, 0x01, 0x04, 0x70, 0x02, 0xAB, 0xCD, b'x',
    ];
    let (udh, payload) = Udh::split(&sm).unwrap();
    assert_eq!(payload, b"x");
    assert_eq!(udh.single_shift(), Ok(Some(Language::Turkish)));
    assert_eq!(udh.locking_shift(), Ok(Some(Language::Bengali)));
    let raw: Vec<_> = udh.raw_ies().map(|r| r.unwrap()).collect();
    assert_eq!(raw.len(), 3);
    assert_eq!((raw[2].iei, raw[2].data), (0x70, &[0xAB, 0xCD][..]));
    let sp = [0x04, 0x01, 0x02, 0x80, 0x05];
    let (udh, _) = Udh::split(&sp).unwrap();
    assert_eq!(
        udh.ies().next(),
        Some(Ok(Ie::SpecialSms {
            indication: 0x80,
            count: 5
        }))
    );
}

#[test]
fn udh_errors() {
    assert_eq!(Udh::split(&[]), Err(UdhError::NoRoom));
    assert_eq!(
        Udh::split(&[0x05, 0x00, 0x03]),
        Err(UdhError::UdhlPastEnd {
            udhl: 5,
            available: 2
        })
    );
    assert_eq!(
        Udh::split(&[0x03, 0x00, 0x03, 0x01]),
        Err(UdhError::IeOverrun { offset: 0 })
    );
    assert_eq!(
        Udh::split(&[0x04, 0x70, 0x00, 0x00, 0x05]),
        Err(UdhError::IeOverrun { offset: 2 })
    );
    let (udh, _) = Udh::split(&[0x04, 0x00, 0x02, 0x01, 0x02]).unwrap();
    assert_eq!(udh.concat(), Err(UdhError::IeLength { iei: 0x00, len: 2 }));
}

#[test]
fn udh_build() {
    let mut buf = [0u8; 32];
    let n = write_udh(&[concat8(0xCC, 2, 1)], &mut buf).unwrap();
    assert_eq!(buf[..n], [0x05, 0x00, 0x03, 0xCC, 0x02, 0x01]);
    let n = write_udh(
        &[
            concat16(0xBEEF, 3, 2),
            Ie::SingleShift(1),
            Ie::LockingShift(1),
            port8(0x10, 0x20),
            Ie::Other {
                iei: 0x70,
                data: &[1, 2, 3],
            },
        ],
        &mut buf,
    )
    .unwrap();
    assert_eq!(
        buf[..n],
        [
            0x15, 0x08, 0x04, 0xBE, 0xEF, 0x03, 0x02, 0x24, 0x01, 0x01, 0x25, 0x01, 0x01, 0x04,
            0x02, 0x10, 0x20, 0x70, 0x03, 1, 2, 3
        ]
    );
    let (udh, rest) = Udh::split(&buf[..n]).unwrap();
    assert!(rest.is_empty());
    assert_eq!(udh.ies().count(), 5);
    let mut tiny = [0u8; 4];
    let mut b = UdhBuilder::new(&mut tiny).unwrap();
    assert_eq!(
        b.push(concat8(1, 1, 1)).err(),
        Some(UdhError::BufferTooSmall)
    );
}

/// `text::decode` into a `String`, `None` when the coding is not text.
fn decode_text(dc: u8, tables: Tables, octets: &[u8]) -> Option<Result<String, TextError>> {
    text::decode(DataCoding(dc), tables, octets).map(Iterator::collect)
}

#[test]
fn decode_by_data_coding() {
    let d = Tables::DEFAULT;
    // GSM 7-bit, unpacked: '@' is 0x00, '€' is escape 0x65.
    assert_eq!(
        decode_text(0x00, d, &[0x00, 0x41, 0x1B, 0x65]),
        Some(Ok("@A€".into()))
    );
    // The GSM 7-bit coding groups read the same way.
    for dc in [0x10, 0xF0, 0xF3, 0xC8, 0xD0] {
        assert_eq!(decode_text(dc, d, b"hi"), Some(Ok("hi".into())), "{dc:#x}");
    }
    assert_eq!(decode_text(0x01, d, b"a@"), Some(Ok("a@".into())));
    assert_eq!(decode_text(0x03, d, b"caf\xE9"), Some(Ok("café".into())));
    let mut buf = [0u8; 16];
    let n = ucs2::encode("ж😀", &mut buf).unwrap();
    for dc in [0x08, 0x18, 0xE0] {
        assert_eq!(
            decode_text(dc, d, &buf[..n]),
            Some(Ok("ж😀".into())),
            "{dc:#x}"
        );
    }
    // Binary, compressed, undecodable alphabets and reserved values: no text.
    for dc in [
        0x02, 0x04, 0xF4, 0xF7, 0x14, 0x30, 0x05, 0x06, 0x07, 0x0E, 0x0F, 0x90,
    ] {
        assert_eq!(decode_text(dc, d, b"hi"), None, "{dc:#x}");
    }
}

#[test]
fn decode_with_national_shift_tables() {
    let mut septets = [0u8; 16];
    for tables in [
        Tables::single_shift(Language::Turkish),
        Tables::new(Language::Turkish, Language::Turkish).unwrap(),
        Tables::new(Language::Portuguese, Language::Default).unwrap(),
    ] {
        let text = if tables.locking() == Language::Portuguese {
            "ação"
        } else {
            "Ağrı şiş"
        };
        let n = gsm7::encode_unpacked(text, tables, OnUnmappable::Error, &mut septets).unwrap();
        assert_eq!(decode_text(0, tables, &septets[..n]), Some(Ok(text.into())));
        // Under the default tables the same septets read differently.
        assert_ne!(
            decode_text(0, Tables::DEFAULT, &septets[..n]),
            Some(Ok(text.into()))
        );
    }
}

#[test]
fn decode_errors() {
    let d = Tables::DEFAULT;
    // Packed GSM 7-bit ("hello") is not unpacked septets.
    assert_eq!(
        decode_text(0, d, &[0xE8, 0x32, 0x9B, 0xFD, 0x06]),
        Some(Err(TextError::InvalidSeptet(0xE8)))
    );
    assert_eq!(
        decode_text(0, d, b"a\x1b"),
        Some(Err(TextError::LoneEscape))
    );
    assert_eq!(
        decode_text(0x01, d, b"a\xE9"),
        Some(Err(TextError::NonAscii(0xE9)))
    );
    assert_eq!(
        decode_text(0x08, d, &[0x00, 0x41, 0x00]),
        Some(Err(TextError::OddLength))
    );
    assert_eq!(
        decode_text(0x08, d, &[0xD8, 0x3D, 0x00, 0x41]),
        Some(Err(TextError::UnpairedSurrogate(0xD83D)))
    );
    // Every error is an item, so a caller can keep what came before it.
    let mut chars = text::decode(DataCoding(0x08), d, &[0x00, 0x41, 0x00]).unwrap();
    assert_eq!(chars.next(), Some(Ok('A')));
    assert_eq!(chars.next(), Some(Err(TextError::OddLength)));
    assert_eq!(chars.next(), None);
}

/// `text::decode_with` into a `String` under `policy`.
fn decode_lossy(dc: u8, tables: Tables, octets: &[u8]) -> Option<Result<String, TextError>> {
    text::decode_with(DataCoding(dc), tables, octets, OnUnmappable::Replace).map(Iterator::collect)
}

#[test]
fn decode_with_replacement() {
    const R: char = '\u{FFFD}';
    let d = Tables::DEFAULT;
    let bengali = Tables::new(Language::Bengali, Language::Bengali).unwrap();
    // Each error of `decode` and what replaces it.
    let cases: [(u8, Tables, &[u8], TextError, String); 9] = [
        // GSM 7-bit: a code with nothing assigned is '?', as the encoders write.
        (0, bengali, b"\x0C", TextError::Unassigned(0x0C), "?".into()),
        // Octets that are not septets: one U+FFFD each, decoding goes on.
        (
            0,
            d,
            b"a\xE9\xE8b",
            TextError::InvalidSeptet(0xE9),
            format!("a{R}{R}b"),
        ),
        // An escape followed by one: a single U+FFFD for both.
        (
            0,
            d,
            b"a\x1B\x80b",
            TextError::InvalidSeptet(0x80),
            format!("a{R}b"),
        ),
        // An escape at the end.
        (0, d, b"a\x1B", TextError::LoneEscape, format!("a{R}")),
        // IA5: octets above 0x7F.
        (
            0x01,
            d,
            b"a\xE9\xFF",
            TextError::NonAscii(0xE9),
            format!("a{R}{R}"),
        ),
        // UCS-2: an odd last octet, at the end.
        (
            0x08,
            d,
            &[0x00, 0x41, 0x00],
            TextError::OddLength,
            format!("A{R}"),
        ),
        // A high surrogate without its low one keeps the unit after it.
        (
            0x08,
            d,
            &[0xD8, 0x00, 0x00, 0x41],
            TextError::UnpairedSurrogate(0xD800),
            format!("{R}A"),
        ),
        // A lone low surrogate; a high one at the end.
        (
            0x08,
            d,
            &[0xDE, 0x00, 0x00, 0x41, 0xD8, 0x3D],
            TextError::UnpairedSurrogate(0xDE00),
            format!("{R}A{R}"),
        ),
        // Two high surrogates, the second paired.
        (
            0x08,
            d,
            &[0xD8, 0x00, 0xD8, 0x3D, 0xDE, 0x00],
            TextError::UnpairedSurrogate(0xD800),
            format!("{R}😀"),
        ),
    ];
    for (dc, tables, octets, error, replaced) in cases {
        assert_eq!(
            decode_text(dc, tables, octets),
            Some(Err(error)),
            "{octets:x?}"
        );
        let strict = text::decode_with(DataCoding(dc), tables, octets, OnUnmappable::Error)
            .map(Iterator::collect::<Result<String, _>>);
        assert_eq!(strict, Some(Err(error)), "{octets:x?}");
        assert_eq!(
            decode_lossy(dc, tables, octets),
            Some(Ok(replaced)),
            "{octets:x?}"
        );
    }
    // Text that decodes is the same under both policies; Latin-1 never fails.
    assert_eq!(
        decode_lossy(0, d, &[0x00, 0x1B, 0x65]),
        Some(Ok("@€".into()))
    );
    assert_eq!(decode_lossy(0x03, d, b"caf\xE9"), Some(Ok("café".into())));
    // Binary data is still not text.
    assert_eq!(decode_lossy(0x04, d, b"\xD8"), None);
}

#[test]
fn ucs2_and_ascii_decoders_with_replacement() {
    let lossy: String = ucs2::decode_with(&[0xD8, 0x00, 0x00, 0x41, 0x42], OnUnmappable::Replace)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lossy, "\u{FFFD}A\u{FFFD}");
    let mut out = [0u8; 16];
    let n = ucs2::decode_to_utf8_with(
        &[0x00, 0x41, 0xDC, 0x00, 0x42],
        OnUnmappable::Replace,
        &mut out,
    )
    .unwrap();
    assert_eq!(&out[..n], "A\u{FFFD}\u{FFFD}".as_bytes());
    assert_eq!(
        ucs2::decode_to_utf8_with(&[0x00, 0x41, 0x42], OnUnmappable::Error, &mut out),
        Err(TextError::OddLength)
    );
    // Replacement still needs room: U+FFFD is three UTF-8 octets.
    assert_eq!(
        ucs2::decode_to_utf8_with(&[0xDC, 0x00], OnUnmappable::Replace, &mut out[..2]),
        Err(TextError::BufferTooSmall)
    );
    let ascii: Vec<_> = latin1::decode_ascii_with(b"a\x80", OnUnmappable::Replace).collect();
    assert_eq!(ascii, [Ok('a'), Ok('\u{FFFD}')]);
    let ascii: Vec<_> = latin1::decode_ascii_with(b"a\x80", OnUnmappable::Error).collect();
    assert_eq!(ascii, [Ok('a'), Err(TextError::NonAscii(0x80))]);
}

/// Every group of TS 23.038 section 4, bit by bit, from values chosen to set each bit alone.
#[test]
fn data_coding_groups_bit_by_bit() {
    use IndicationKind::{Email, Fax, Other, Voicemail};
    use MessageClass::{Class0, Class1, Class2, Class3};
    use smpp_core::text::dcs::MessageWaiting;
    let general = |compressed, auto_delete, class, alphabet| Scheme::General {
        compressed,
        auto_delete,
        class,
        alphabet,
    };
    let mwi = |store, active, kind, alphabet| {
        Scheme::MessageWaiting(MessageWaiting {
            store,
            active,
            kind,
            alphabet,
        })
    };
    let group = |alphabet, class| Scheme::ClassGroup { alphabet, class };
    let cases = [
        // SMPP's own table wins over the general group for 0x00-0x0E; 0x0F is reserved.
        (0x00, Scheme::Smpp(Alphabet::McDefault)),
        (0x04, Scheme::Smpp(Alphabet::Binary)),
        (0x08, Scheme::Smpp(Alphabet::Ucs2)),
        (0x0F, Scheme::Reserved),
        // 00xx xxxx: bit 5 compressed, bit 4 class meaningful, bits 3-2 alphabet, 1-0 class.
        (0x10, general(false, false, Some(Class0), Alphabet::Gsm7)),
        (0x11, general(false, false, Some(Class1), Alphabet::Gsm7)),
        (0x12, general(false, false, Some(Class2), Alphabet::Gsm7)),
        (0x13, general(false, false, Some(Class3), Alphabet::Gsm7)),
        (0x14, general(false, false, Some(Class0), Alphabet::Binary)),
        (0x18, general(false, false, Some(Class0), Alphabet::Ucs2)),
        (
            0x1C,
            general(false, false, Some(Class0), Alphabet::Reserved),
        ),
        (0x20, general(true, false, None, Alphabet::Gsm7)),
        (0x23, general(true, false, None, Alphabet::Gsm7)),
        (0x26, general(true, false, None, Alphabet::Binary)),
        (0x39, general(true, false, Some(Class1), Alphabet::Ucs2)),
        // 01xx xxxx: the same, marked for automatic deletion.
        (0x40, general(false, true, None, Alphabet::Gsm7)),
        (0x52, general(false, true, Some(Class2), Alphabet::Gsm7)),
        (0x75, general(true, true, Some(Class1), Alphabet::Binary)),
        (0x7F, general(true, true, Some(Class3), Alphabet::Reserved)),
        // 1000 xxxx to 1011 xxxx: reserved.
        (0x80, Scheme::Reserved),
        (0xBF, Scheme::Reserved),
        // 1100: discard, GSM 7-bit; bit 3 active; bits 1-0 kind; bit 2 reserved.
        (0xC0, mwi(false, false, Voicemail, Alphabet::Gsm7)),
        (0xC1, mwi(false, false, Fax, Alphabet::Gsm7)),
        (0xC4, mwi(false, false, Voicemail, Alphabet::Gsm7)),
        (0xCB, mwi(false, true, Other, Alphabet::Gsm7)),
        // 1101: store, GSM 7-bit.
        (0xD0, mwi(true, false, Voicemail, Alphabet::Gsm7)),
        (0xDA, mwi(true, true, Email, Alphabet::Gsm7)),
        // 1110: store, UCS-2.
        (0xE1, mwi(true, false, Fax, Alphabet::Ucs2)),
        (0xEF, mwi(true, true, Other, Alphabet::Ucs2)),
        // 1111: bit 2 GSM 7-bit or 8-bit data, bits 1-0 class, bit 3 reserved.
        (0xF0, group(Alphabet::Gsm7, Class0)),
        (0xF3, group(Alphabet::Gsm7, Class3)),
        (0xF6, group(Alphabet::Binary, Class2)),
        (0xFC, group(Alphabet::Binary, Class0)),
    ];
    for (value, scheme) in cases {
        let dc = DataCoding(value);
        assert_eq!(dc.scheme(), scheme, "{value:#04x}");
        let class = match scheme {
            Scheme::General { class, .. } => class,
            Scheme::ClassGroup { class, .. } => Some(class),
            _ => None,
        };
        assert_eq!(dc.message_class(), class, "{value:#04x}");
        assert_eq!(dc.is_flash(), class == Some(Class0), "{value:#04x} flash");
        assert_eq!(
            dc.is_compressed(),
            matches!(
                scheme,
                Scheme::General {
                    compressed: true,
                    ..
                }
            ),
            "{value:#04x} compressed"
        );
        assert_eq!(
            dc.message_waiting().is_some(),
            (0xC0..=0xEF).contains(&value),
            "{value:#04x} message waiting"
        );
    }
    // Every value has a scheme, and the class numbers are the class.
    for v in 0..=255u8 {
        let _ = DataCoding(v).scheme();
        if let Some(c) = DataCoding(v).message_class() {
            assert_eq!(c.number(), v & 0x03, "{v:#04x}");
        }
    }
}

#[test]
fn every_element_kind_builds_and_parses_back() {
    let ies = [
        (concat8(0xAB, 3, 2), &[0x00, 0x03, 0xAB, 0x03, 0x02][..]),
        (
            concat16(0xABCD, 3, 2),
            &[0x08, 0x04, 0xAB, 0xCD, 0x03, 0x02],
        ),
        (port8(0xF0, 0x0F), &[0x04, 0x02, 0xF0, 0x0F]),
        (port16(2948, 9200), &[0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0]),
        (
            Ie::SpecialSms {
                indication: 0x81,
                count: 3,
            },
            &[0x01, 0x02, 0x81, 0x03],
        ),
        (Ie::SingleShift(13), &[0x24, 0x01, 0x0D]),
        (Ie::LockingShift(4), &[0x25, 0x01, 0x04]),
        (
            Ie::Other {
                iei: 0x0A,
                data: &[1, 2, 3, 4],
            },
            &[0x0A, 0x04, 1, 2, 3, 4],
        ),
        (
            Ie::Other {
                iei: 0x7F,
                data: &[],
            },
            &[0x7F, 0x00],
        ),
    ];
    for (ie, bytes) in ies {
        let mut out = [0u8; 16];
        assert_eq!(ie.write(&mut out), Ok(bytes.len()), "{ie:?}");
        assert_eq!(&out[..bytes.len()], bytes, "{ie:?}");
        assert_eq!(ie.encoded_len(), bytes.len());
        assert_eq!(ie.iei(), bytes[0]);
        assert_eq!(Ie::from_raw(bytes[0], &bytes[2..]), Ok(ie));
        // One octet short of the element: refused, nothing half written is returned.
        assert_eq!(
            ie.write(&mut out[..bytes.len() - 1]),
            Err(UdhError::BufferTooSmall)
        );
    }
    // All of them in one header, parsed back in order.
    let all: Vec<Ie<'_>> = ies.iter().map(|(ie, _)| *ie).collect();
    let mut buf = [0u8; 64];
    let n = write_udh(&all, &mut buf).unwrap();
    let expected_len: usize = ies.iter().map(|(_, b)| b.len()).sum();
    assert_eq!((n, usize::from(buf[0])), (expected_len + 1, expected_len));
    let (udh, rest) = Udh::split(&buf[..n]).unwrap();
    assert!(rest.is_empty());
    let back: Vec<_> = udh.ies().collect::<Result<_, _>>().unwrap();
    assert_eq!(back, all);
}

#[test]
fn element_lengths_and_the_header_limit() {
    // A known element of the wrong length is an error naming it; unknown ones take any length.
    for (iei, len) in [
        (0x00, 2),
        (0x00, 4),
        (0x08, 3),
        (0x04, 1),
        (0x05, 3),
        (0x01, 3),
        (0x24, 0),
        (0x25, 2),
    ] {
        let data = vec![0u8; len];
        assert_eq!(
            Ie::from_raw(iei, &data),
            Err(UdhError::IeLength {
                iei,
                len: len as u8
            }),
            "{iei:#04x}/{len}"
        );
    }
    // A header holds at most 255 octets of elements: UDHL is one octet.
    let big = Ie::Other {
        iei: 0x70,
        data: &[0u8; 253],
    };
    let mut buf = [0u8; 300];
    assert_eq!(write_udh(&[big], &mut buf), Ok(256));
    assert_eq!(buf[0], 255);
    let over = [big, Ie::SingleShift(1)];
    assert_eq!(write_udh(&over, &mut buf), Err(UdhError::BufferTooSmall));
}

/// A received part's text decodes into a caller buffer: the header skipped,
/// its shift elements applied, every coding, every error, and the buffer
/// too small at each length below the text's.
#[test]
fn short_message_text_into_a_buffer() {
    use smpp_core::text::{DecodeError, decode_short_message_into};
    let decode = |sm: &[u8], udhi: bool, dc: u8, policy: OnUnmappable, cap: usize| {
        let mut out = vec![0u8; cap];
        decode_short_message_into(sm, udhi, DataCoding(dc), policy, &mut out)
            .map(|t| t.map(str::to_owned))
    };
    let strict = OnUnmappable::Error;
    let cases: [(&[u8], bool, u8, &str); 6] = [
        // Part 1 of 2, UCS-2 with a surrogate pair.
        (
            &[
                0x05, 0x00, 0x03, 0x11, 0x02, 0x01, 0x04, 0x1F, 0xD8, 0x3D, 0xDE, 0x00,
            ],
            true,
            0x08,
            "П😀",
        ),
        // Turkish single shift: 0x1B 0x67 is 'ğ'.
        (
            &[0x03, 0x24, 0x01, 0x01, 0x61, 0x1B, 0x67],
            true,
            0x00,
            "ağ",
        ),
        // Turkish locking shift: 0x07 is 'ı' there ('ì' in the default table).
        (&[0x03, 0x25, 0x01, 0x01, 0x07], true, 0x00, "ı"),
        // No header: the same octets are text, the default tables apply.
        (&[0x07, 0x1B, 0x65], false, 0x00, "ì€"),
        // Latin-1 and IA5.
        (b"na\xEFve", false, 0x03, "naïve"),
        (b"plain", false, 0x01, "plain"),
    ];
    for (sm, udhi, dc, want) in cases {
        assert_eq!(
            decode(sm, udhi, dc, strict, 64),
            Ok(Some(want.to_owned())),
            "{want}"
        );
        assert_eq!(
            decode(sm, udhi, dc, strict, want.len()),
            Ok(Some(want.to_owned()))
        );
        for cap in 0..want.len() {
            assert_eq!(
                decode(sm, udhi, dc, strict, cap),
                Err(DecodeError::Text(TextError::BufferTooSmall)),
                "{want} in {cap}"
            );
        }
        // The iterator agrees.
        let chars = text::short_message_chars(sm, udhi, DataCoding(dc), strict).unwrap();
        assert_eq!(chars.unwrap().collect::<Result<String, _>>().unwrap(), want);
    }
    // Binary data is not text; a broken header and broken text are errors.
    assert_eq!(decode(&[0xD8], false, 0x04, strict, 8), Ok(None));
    assert_eq!(
        decode(&[0x09, 0x00], true, 0x00, OnUnmappable::Replace, 8),
        Err(DecodeError::Udh(UdhError::UdhlPastEnd {
            udhl: 9,
            available: 1
        }))
    );
    assert_eq!(
        decode(&[0x41, 0x80], false, 0x00, strict, 8),
        Err(DecodeError::Text(TextError::InvalidSeptet(0x80)))
    );
    assert_eq!(
        decode(&[0x41, 0x80], false, 0x00, OnUnmappable::Replace, 8),
        Ok(Some("A\u{FFFD}".to_owned()))
    );
    // Three octets of UTF-8 per octet of data always suffice.
    let sm = [0x80u8; 10];
    assert!(decode(&sm, false, 0x01, OnUnmappable::Replace, 30).is_ok());
}
