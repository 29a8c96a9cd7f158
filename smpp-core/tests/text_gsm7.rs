//! GSM 7-bit alphabet, national tables and packing.

#![allow(clippy::cast_possible_truncation, clippy::unreadable_literal)]

mod common;

use common::gsm7::{KNOWN, KNOWN_PACKED};
use smpp_core::text::gsm7::{
    self, ESCAPE, Language, Septets, Tables, decode_unpacked, encode_unpacked, fill_bits_for_udh,
    pack, septet_count, unpack,
};
use smpp_core::text::{OnUnmappable, TextError};

fn enc(text: &str) -> Vec<u8> {
    let mut out = [0u8; 512];
    let n = encode_unpacked(text, Tables::DEFAULT, OnUnmappable::Error, &mut out).unwrap();
    out[..n].to_vec()
}

fn dec(septets: &[u8], tables: Tables) -> Result<String, TextError> {
    decode_unpacked(septets, tables, OnUnmappable::Error).collect()
}

/// Independent bit-by-bit packer used to check `pack`.
fn reference_pack(septets: &[u8], fill: usize) -> Vec<u8> {
    let bits = fill + septets.len() * 7;
    let mut out = vec![0u8; bits.div_ceil(8)];
    for (i, &s) in septets.iter().enumerate() {
        for b in 0..7 {
            if s >> b & 1 == 1 {
                let pos = fill + i * 7 + b;
                out[pos / 8] |= 1 << (pos % 8);
            }
        }
    }
    out
}

#[test]
fn known_default_and_extension_vectors() {
    for (text, septets, _, _) in KNOWN {
        assert_eq!(enc(text), septets, "encoding {text:?}");
        assert_eq!(
            dec(septets, Tables::DEFAULT).unwrap(),
            text,
            "decoding {septets:02X?}"
        );
    }
    assert_eq!(enc("]"), [0x1B, 0x3E]);
    assert_eq!(enc("\u{000C}"), [0x1B, 0x0A]);
    assert_eq!(enc("£¥èéùìòÇ"), [1, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(
        enc("ΔΦΓΛΩΠΨΣΘΞ"),
        [0x10, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A]
    );
    assert_eq!(
        enc("¡ÄÖÑÜ§¿äöñüà"),
        [
            0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D, 0x7E, 0x7F
        ]
    );
}

#[test]
fn c_cedilla_decodes_capital_and_encodes_both() {
    assert_eq!(dec(&[0x09], Tables::DEFAULT).unwrap(), "Ç");
    assert_eq!(enc("ç"), [0x09]);
    assert_eq!(enc("Ç"), [0x09]);
}

#[test]
fn septet_counts() {
    assert_eq!(septet_count("hello", Tables::DEFAULT), Ok(5));
    assert_eq!(septet_count("a€b{}", Tables::DEFAULT), Ok(8));
    assert_eq!(
        septet_count("aш", Tables::DEFAULT),
        Err(TextError::Unmappable {
            ch: 'ш', offset: 1
        })
    );
}

#[test]
fn unmappable_policy() {
    let mut out = [0u8; 8];
    assert_eq!(
        encode_unpacked("a中b", Tables::DEFAULT, OnUnmappable::Error, &mut out),
        Err(TextError::Unmappable {
            ch: '中',
            offset: 1
        })
    );
    let n = encode_unpacked("a中b", Tables::DEFAULT, OnUnmappable::Replace, &mut out).unwrap();
    assert_eq!(&out[..n], b"a?b");
    let mut small = [0u8; 2];
    assert_eq!(
        encode_unpacked("abc", Tables::DEFAULT, OnUnmappable::Error, &mut small),
        Err(TextError::BufferTooSmall)
    );
}

#[test]
fn decode_errors() {
    assert_eq!(dec(b"ab\x1B", Tables::DEFAULT), Err(TextError::LoneEscape));
    assert_eq!(
        dec(&[0x41, 0x80], Tables::DEFAULT),
        Err(TextError::InvalidSeptet(0x80))
    );
    // Unassigned extension codes show the main-table character.
    assert_eq!(dec(&[0x1B, 0x41], Tables::DEFAULT).unwrap(), "A");
    // Escape-escape (SS2) is shown as a space.
    assert_eq!(dec(&[0x1B, 0x1B], Tables::DEFAULT).unwrap(), " ");
    // Bengali locking table leaves 0x0C unassigned.
    let bengali = Tables::new(Language::Bengali, Language::Bengali).unwrap();
    assert_eq!(dec(&[0x0C], bengali), Err(TextError::Unassigned(0x0C)));
    let replaced: String = decode_unpacked(&[0x0C], bengali, OnUnmappable::Replace)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(replaced, "?");
}

/// Assigned positions per language (locking excludes the escape; single shift counts SS2).
const LOCKING_ASSIGNED: [usize; 14] = [
    127, 127, 0, 127, 114, 120, 127, 120, 120, 116, 110, 102, 120, 127,
];
const SHIFT_ASSIGNED: [usize; 14] = [11, 18, 20, 38, 83, 71, 89, 74, 83, 76, 77, 78, 79, 91];

#[test]
fn every_table_character_round_trips() {
    for lang in Language::ALL {
        let single = Tables::single_shift(lang);
        let mut shift_count = 0;
        for code in 0u8..128 {
            if let Some(c) = single.single_shift_char(code) {
                shift_count += 1;
                if code == ESCAPE {
                    assert_eq!(c, ' ');
                    continue;
                }
                let decoded = dec(&[ESCAPE, code], single).unwrap();
                assert_eq!(decoded, c.to_string());
                // Encoding must give back a sequence decoding to the same character (the default
                // table wins where both hold it; a few tables list a character twice).
                let e = single.encode_char(c).unwrap();
                let back = match e {
                    Septets::One(x) => single.decode_septet(x),
                    Septets::Escaped(x) => single.decode_escaped(x),
                };
                assert_eq!(back, Some(c), "{lang} single shift 0x{code:02X}");
            }
        }
        assert_eq!(
            shift_count,
            SHIFT_ASSIGNED[lang.id() as usize],
            "{lang} single shift size"
        );

        let Some(locking) = Tables::new(lang, lang) else {
            assert_eq!(lang, Language::Spanish);
            continue;
        };
        let mut lock_count = 0;
        for code in 0u8..128 {
            if let Some(c) = locking.decode_septet(code) {
                lock_count += 1;
                let Some(Septets::One(x)) = locking.encode_char(c) else {
                    panic!("{lang} locking 0x{code:02X} {c:?} does not encode to one septet");
                };
                // No locking-shift table holds a character twice.
                assert_eq!(x, code, "{lang} locking 0x{code:02X} {c:?}");
            }
        }
        assert_eq!(
            lock_count,
            LOCKING_ASSIGNED[lang.id() as usize],
            "{lang} locking size"
        );
    }
}

#[test]
fn national_table_spot_checks() {
    let tr = Tables::single_shift(Language::Turkish);
    assert_eq!(tr.encode_char('Ğ'), Some(Septets::Escaped(0x47)));
    assert_eq!(tr.encode_char('ş'), Some(Septets::Escaped(0x73)));
    assert_eq!(tr.encode_char('€'), Some(Septets::Escaped(0x65)));
    let tr_lock = Tables::new(Language::Turkish, Language::Default).unwrap();
    assert_eq!(tr_lock.decode_septet(0x04), Some('€'));
    assert_eq!(tr_lock.decode_septet(0x07), Some('ı'));
    assert_eq!(tr_lock.decode_septet(0x60), Some('ç'));
    let es = Tables::single_shift(Language::Spanish);
    assert_eq!(es.encode_char('á'), Some(Septets::Escaped(0x61)));
    assert_eq!(es.encode_char('Ú'), Some(Septets::Escaped(0x55)));
    let pt = Tables::new(Language::Portuguese, Language::Portuguese).unwrap();
    assert_eq!(pt.decode_septet(0x04), Some('ê'));
    assert_eq!(pt.decode_escaped(0x41), Some('À'));
    let hi = Tables::new(Language::Hindi, Language::Hindi).unwrap();
    assert_eq!(hi.decode_septet(0x00), Some('\u{0901}'));
    assert_eq!(hi.decode_septet(0x04), Some('\u{0906}'));
    assert_eq!(hi.decode_escaped(0x19), Some('\u{0964}'));
    let ur = Tables::new(Language::Urdu, Language::Default).unwrap();
    assert_eq!(ur.decode_septet(0x00), Some('\u{0627}'));
    assert_eq!(Tables::new(Language::Spanish, Language::Spanish), None);
    assert_eq!(Language::from_id(13), Some(Language::Urdu));
    assert_eq!(Language::from_id(14), None);
}

#[test]
fn pack_known_vectors() {
    let mut out = [0u8; 32];
    let n = pack(b"hellohello", 0, &mut out).unwrap();
    assert_eq!(
        out[..n],
        [0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37]
    );
    // After a 6-octet UDH (05 00 03 rr tt ss) there is one fill bit.
    assert_eq!(fill_bits_for_udh(6), 1);
    let n = pack(b"hellohello", 1, &mut out).unwrap();
    assert_eq!(
        out[..n],
        [0xD0, 0x65, 0x36, 0xFB, 0x8D, 0x2E, 0xB3, 0xD9, 0x6F]
    );
    assert_eq!(out[..n], reference_pack(b"hellohello", 1)[..]);
    // Eight septets fill seven octets exactly.
    let n = pack(b"12345678", 0, &mut out).unwrap();
    assert_eq!(n, 7);
    assert_eq!(out[..n], [0x31, 0xD9, 0x8C, 0x56, 0xB3, 0xDD, 0x70]);
    assert_eq!(
        pack(&[0x80], 0, &mut out),
        Err(TextError::InvalidSeptet(0x80))
    );
    assert_eq!(
        pack(b"abc", 0, &mut out[..2]),
        Err(TextError::BufferTooSmall)
    );
}

#[test]
fn fill_bits_table() {
    let expected = [0, 6, 5, 4, 3, 2, 1, 0, 6];
    for (len, fill) in expected.iter().enumerate() {
        assert_eq!(fill_bits_for_udh(len), *fill, "udh len {len}");
        assert_eq!((len * 8 + usize::from(*fill)) % 7, 0);
    }
}

#[test]
fn pack_unpack_round_trip_all_fills() {
    let septets: Vec<u8> = (0u8..128).collect();
    for fill in 0..7u8 {
        let mut packed = [0u8; 128];
        let n = pack(&septets, fill, &mut packed).unwrap();
        assert_eq!(packed[..n], reference_pack(&septets, fill.into())[..]);
        let mut back = [0u8; 128];
        let m = unpack(&packed[..n], fill, Some(septets.len()), &mut back).unwrap();
        assert_eq!(&back[..m], &septets[..]);
    }
    let mut back = [0u8; 16];
    let m = unpack(&[0xE8, 0x32, 0x9B, 0xFD, 0x06], 0, None, &mut back).unwrap();
    assert_eq!(&back[..m], b"hello");
    assert_eq!(gsm7::packed_len(153, 1), 134);
}

#[test]
fn unpack_tells_short_data_from_a_short_buffer() {
    let mut back = [0xAAu8; 16];
    // One octet holds one septet: asking for two is a data problem, whatever the buffer.
    assert_eq!(
        unpack(&[0xE8], 0, Some(2), &mut back),
        Err(TextError::NotEnoughSeptets {
            wanted: 2,
            available: 1
        })
    );
    // "hello" after one fill bit: 5 octets hold 39 bits, 5 septets.
    assert_eq!(
        unpack(&[0xD0, 0x65, 0x36, 0xFB, 0x0D], 1, Some(6), &mut back),
        Err(TextError::NotEnoughSeptets {
            wanted: 6,
            available: 5
        })
    );
    assert!(back.iter().all(|&b| b == 0xAA), "nothing is written");
    // Data that holds the septets, a buffer that does not take them.
    assert_eq!(
        unpack(&[0xE8, 0x32], 0, Some(2), &mut back[..1]),
        Err(TextError::BufferTooSmall)
    );
    assert_eq!(
        TextError::NotEnoughSeptets {
            wanted: 6,
            available: 5
        }
        .to_string(),
        "6 septets asked for, the packed data holds 5"
    );
}

#[test]
fn packed_length_arithmetic_does_not_overflow() {
    // Exact values, worked out by hand in 128 bits.
    let exact_len = |septets: usize, fill: u8| {
        usize::try_from((septets as u128 * 7 + u128::from(fill)).div_ceil(8)).unwrap()
    };
    for septets in [
        0,
        1,
        8,
        160,
        usize::MAX / 7,
        usize::MAX / 7 + 1,
        usize::MAX - 1,
        usize::MAX,
    ] {
        for fill in [0, 1, 6, 7, 255] {
            assert_eq!(
                gsm7::packed_len(septets, fill),
                exact_len(septets, fill),
                "{septets} {fill}"
            );
        }
    }
    let exact_septets = |octets: usize, fill: u8| {
        usize::try_from((octets as u128 * 8).saturating_sub(u128::from(fill)) / 7).unwrap()
    };
    for octets in [
        0,
        1,
        134,
        140,
        usize::MAX / 8,
        usize::MAX / 8 + 1,
        usize::MAX / 8 * 7,
    ] {
        for fill in [0, 1, 6, 7, 255] {
            assert_eq!(
                gsm7::septets_in(octets, fill),
                exact_septets(octets, fill),
                "{octets} {fill}"
            );
        }
    }
    assert_eq!(gsm7::septets_in(140, 0), 160);
    assert_eq!(gsm7::septets_in(134, 1), 153);
    // More septets than a usize counts: saturated.
    assert_eq!(gsm7::septets_in(usize::MAX, 0), usize::MAX);
    assert_eq!(gsm7::septets_in(usize::MAX, 255), usize::MAX);
    // The capacity of an SMS whose header claims more than the SMS holds is 0.
    assert_eq!(
        smpp_core::text::choose::Encoding::Gsm7(Tables::DEFAULT).capacity(usize::MAX),
        0
    );
}

fn packed(septets: &[u8], fill: u8) -> Vec<u8> {
    let mut out = [0u8; 64];
    let n = pack(septets, fill, &mut out).unwrap();
    out[..n].to_vec()
}

fn unpacked(octets: &[u8], fill: u8, count: usize) -> Vec<u8> {
    let mut out = [0u8; 64];
    let n = unpack(octets, fill, Some(count), &mut out).unwrap();
    out[..n].to_vec()
}

#[test]
fn known_characters_packed_with_and_without_a_header() {
    assert_eq!(fill_bits_for_udh(0), 0);
    assert_eq!(fill_bits_for_udh(6), 1);
    assert_eq!(fill_bits_for_udh(5), 2);
    for (text, septets, bare, after_udh) in KNOWN {
        assert_eq!(enc(text), septets, "{text:?}");
        assert_eq!(septet_count(text, Tables::DEFAULT), Ok(septets.len()));
        assert_eq!(packed(septets, 0), bare, "{text:?} packed");
        assert_eq!(packed(septets, 1), after_udh, "{text:?} packed after a UDH");
        for (octets, fill) in [(bare, 0), (after_udh, 1)] {
            let back = unpacked(octets, fill, septets.len());
            assert_eq!(back, septets, "{text:?} unpacked, fill {fill}");
            assert_eq!(dec(&back, Tables::DEFAULT).unwrap(), text);
        }
    }
    let text: String = KNOWN.iter().map(|k| k.0).collect();
    let septets = enc(&text);
    assert_eq!(septets.len(), 19);
    for (fill, octets) in KNOWN_PACKED {
        assert_eq!(packed(&septets, fill), octets, "fill {fill}");
        assert_eq!(octets[..], reference_pack(&septets, fill.into())[..]);
        let back = unpacked(&octets, fill, 19);
        assert_eq!(dec(&back, Tables::DEFAULT).unwrap(), text, "fill {fill}");
        // Without the septet count the spare bits of the last octet make no septet here.
        let mut all = [0u8; 64];
        let n = unpack(&octets, fill, None, &mut all).unwrap();
        assert_eq!(&all[..n], &septets[..], "fill {fill}, no count");
    }
}
