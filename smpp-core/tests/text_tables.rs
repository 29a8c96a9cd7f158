//! The compiled GSM 7-bit tables against the reference tables of `testdata/gsm7/`: every code of
//! every locking-shift and single-shift table decodes to the reference character (or to nothing),
//! and every character of every table combination encodes to a code holding it, with nothing else
//! encodable.

use std::collections::BTreeSet;

use smpp_core::text::gsm7::{ESCAPE, Language, Septets, Tables};

/// The reference file of a language's `locking` or `single` shift table.
macro_rules! table {
    ($lang:ident, $kind:literal) => {
        include_str!(concat!(
            "../testdata/gsm7/",
            stringify!($lang),
            "_",
            $kind,
            ".txt"
        ))
    };
}

/// A language's (locking-shift, single-shift) reference files.
macro_rules! tables {
    ($lang:ident) => {
        (Some(table!($lang, "locking")), table!($lang, "single"))
    };
}

/// Reference files by language identifier: (locking-shift, single-shift).
const REFERENCE: [(Option<&str>, &str); 14] = [
    tables!(default),
    tables!(turkish),
    (None, table!(spanish, "single")),
    tables!(portuguese),
    tables!(bengali),
    tables!(gujarati),
    tables!(hindi),
    tables!(kannada),
    tables!(malayalam),
    tables!(oriya),
    tables!(punjabi),
    tables!(tamil),
    tables!(telugu),
    tables!(urdu),
];

type Table = [Option<char>; 128];

/// Parses `0xCC U+XXXX NAME` lines; panics on anything malformed or repeated.
fn parse(text: &str) -> Table {
    let mut table = [None; 128];
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut words = line.split(' ');
        let code = words.next().and_then(|w| w.strip_prefix("0x")).unwrap();
        let code = usize::from(u8::from_str_radix(code, 16).unwrap());
        let unit = words.next().and_then(|w| w.strip_prefix("U+")).unwrap();
        let ch = char::from_u32(u32::from_str_radix(unit, 16).unwrap()).unwrap();
        assert!(words.next().is_some(), "no name: {line}");
        assert!(
            table[code].replace(ch).is_none(),
            "0x{code:02X} listed twice"
        );
    }
    table
}

fn locking(lang: Language) -> Option<Table> {
    REFERENCE[usize::from(lang.id())].0.map(parse)
}

fn single(lang: Language) -> Table {
    parse(REFERENCE[usize::from(lang.id())].1)
}

fn codes_of(table: &Table, ch: char) -> Vec<u8> {
    (0u8..128)
        .filter(|&c| table[usize::from(c)] == Some(ch))
        .collect()
}

#[test]
fn reference_files_have_the_expected_shape() {
    for lang in Language::ALL {
        let lock = locking(lang);
        assert_eq!(lock.is_some(), lang.has_locking_shift(), "{lang}");
        if let Some(lock) = lock {
            assert_eq!(lock[usize::from(ESCAPE)], None, "{lang} locking escape");
            assert_eq!(lock[0x20], Some(' '), "{lang} locking space");
            assert_eq!(lock[0x0A], Some('\n'), "{lang} locking LF");
            assert_eq!(lock[0x0D], Some('\r'), "{lang} locking CR");
            assert_eq!(lock[0x3F], Some('?'), "{lang} locking question mark");
        }
        let single = single(lang);
        assert_eq!(single[usize::from(ESCAPE)], None);
        assert_eq!(single[0x65], Some('€'), "{lang} single shift euro");
        assert_eq!(
            single[0x0A],
            Some('\u{0C}'),
            "{lang} single shift form feed"
        );
    }
}

#[test]
fn every_locking_shift_code_decodes_as_the_reference() {
    for lang in Language::ALL {
        let Some(reference) = locking(lang) else {
            assert_eq!(Tables::new(lang, Language::Default), None);
            continue;
        };
        let tables = Tables::new(lang, Language::Default).unwrap();
        for code in 0u8..128 {
            assert_eq!(
                tables.decode_septet(code),
                reference[usize::from(code)],
                "{lang} locking 0x{code:02X}"
            );
        }
        for code in 128u8..=255 {
            assert_eq!(tables.decode_septet(code), None);
        }
    }
}

#[test]
fn every_single_shift_code_decodes_as_the_reference() {
    for lang in Language::ALL {
        let reference = single(lang);
        let tables = Tables::single_shift(lang);
        for code in 0u8..128 {
            let expected = if code == ESCAPE {
                Some(' ') // reserved: shown as a space
            } else {
                reference[usize::from(code)]
            };
            assert_eq!(
                tables.single_shift_char(code),
                expected,
                "{lang} single 0x{code:02X}"
            );
        }
    }
}

#[test]
fn escaped_codes_fall_back_to_the_locking_shift_table() {
    for (lock_lang, single_lang, lock, single, tables) in combinations() {
        for code in 0u8..128 {
            let i = usize::from(code);
            let expected = if code == ESCAPE {
                Some(' ')
            } else {
                single[i].or(lock[i])
            };
            assert_eq!(
                tables.decode_escaped(code),
                expected,
                "{lock_lang}/{single_lang} escaped 0x{code:02X}"
            );
        }
    }
}

/// A pair of languages with a locking-shift table: (locking-shift language,
/// single-shift language, their reference tables, the compiled tables).
type Combination = (Language, Language, Table, Table, Tables);

/// Every locking-shift language with every single-shift language.
fn combinations() -> impl Iterator<Item = Combination> {
    let locking_langs = Language::ALL.into_iter().filter(|l| l.has_locking_shift());
    locking_langs.flat_map(|lock_lang| {
        let lock = locking(lock_lang).unwrap();
        Language::ALL.into_iter().map(move |single_lang| {
            (
                lock_lang,
                single_lang,
                lock,
                single(single_lang),
                Tables::new(lock_lang, single_lang).unwrap(),
            )
        })
    })
}

/// Every character of every reference table, plus a few that no table holds.
fn all_characters() -> BTreeSet<char> {
    let mut set: BTreeSet<char> = ['ç', 'Ç', '`', 'x', '\u{0CA1}', '\u{0C11}', '😀', '\u{0}']
        .into_iter()
        .collect();
    for lang in Language::ALL {
        set.extend(single(lang).iter().flatten());
        if let Some(lock) = locking(lang) {
            set.extend(lock.iter().flatten());
        }
    }
    set
}

#[test]
fn every_character_encodes_as_the_reference_and_nothing_else_encodes() {
    let chars = all_characters();
    for (lock_lang, single_lang, lock, single, tables) in combinations() {
        for &ch in &chars {
            let got = tables.encode_char(ch);
            let in_lock = codes_of(&lock, ch);
            let in_single = codes_of(&single, ch);
            let what = format!("{lock_lang}/{single_lang} {ch:?}");
            match got {
                Some(Septets::One(code)) if in_lock.is_empty() => {
                    // The one allowance: the small c cedilla for the default table's 0x09.
                    assert_eq!(
                        (ch, code, lock_lang),
                        ('ç', 0x09, Language::Default),
                        "{what}"
                    );
                    assert!(in_single.is_empty(), "{what}");
                }
                Some(Septets::One(code)) => assert!(in_lock.contains(&code), "{what}"),
                Some(Septets::Escaped(code)) => {
                    assert!(
                        in_lock.is_empty(),
                        "{what}: the locking-shift table holds it"
                    );
                    assert!(in_single.contains(&code), "{what}");
                }
                None => {
                    assert!(in_lock.is_empty() && in_single.is_empty(), "{what}");
                    assert!(ch != 'ç' || lock_lang != Language::Default, "{what}");
                }
            }
            // A character held once is encoded at exactly that code.
            if let [code] = in_lock[..] {
                assert_eq!(got, Some(Septets::One(code)), "{what}");
            } else if let ([], [code]) = (&in_lock[..], &in_single[..]) {
                assert_eq!(got, Some(Septets::Escaped(*code)), "{what}");
            }
        }
    }
}

#[test]
fn corrected_positions() {
    for lang in [
        Language::Bengali,
        Language::Gujarati,
        Language::Hindi,
        Language::Kannada,
        Language::Malayalam,
        Language::Oriya,
        Language::Punjabi,
        Language::Tamil,
        Language::Telugu,
        Language::Urdu,
    ] {
        let t = Tables::new(lang, lang).unwrap();
        assert_eq!(t.decode_septet(0x2C), Some(','), "{lang}");
        assert_eq!(t.encode_char(','), Some(Septets::One(0x2C)), "{lang}");
        // The apostrophe comes from the single-shift table.
        assert_eq!(t.encode_char('\''), Some(Septets::Escaped(0x09)), "{lang}");
        let no_single = Tables::new(lang, Language::Default).unwrap();
        assert_eq!(no_single.encode_char('\''), None, "{lang}");
    }
    let kn = Tables::new(Language::Kannada, Language::Default).unwrap();
    assert_eq!(kn.decode_septet(0x24), Some('\u{0CA1}'));
    assert_eq!(kn.encode_char('\u{0CA1}'), Some(Septets::One(0x24)));
    assert_eq!(kn.decode_septet(0x3D), Some('\u{0CAA}'));
    assert_eq!(kn.encode_char('\u{0CAA}'), Some(Septets::One(0x3D)));
    let te = Tables::new(Language::Telugu, Language::Telugu).unwrap();
    assert_eq!(te.decode_escaped(0x65), Some('€'));
    assert_eq!(te.encode_char('€'), Some(Septets::Escaped(0x65)));
    // The characters listed twice in the Indic single-shift tables use 0x18 and 0x13.
    let hi = Tables::new(Language::Hindi, Language::Hindi).unwrap();
    assert_eq!(hi.encode_char('*'), Some(Septets::Escaped(0x18)));
    assert_eq!(hi.encode_char('¡'), Some(Septets::Escaped(0x13)));
}

/// The reference character of every code as a septet string: the locking-shift codes one by
/// one, then each single-shift code after the escape.
fn reference_text(lock: &Table, single: &Table) -> (String, Vec<u8>) {
    let mut text = String::new();
    let mut septets = Vec::new();
    for code in 0u8..128 {
        if let Some(ch) = lock[usize::from(code)] {
            text.push(ch);
            septets.push(code);
        }
    }
    for code in 0u8..128 {
        if let Some(ch) = single[usize::from(code)] {
            text.push(ch);
            septets.extend([ESCAPE, code]);
        }
    }
    (text, septets)
}

#[test]
fn every_table_through_the_string_coders_packed_and_unpacked() {
    use smpp_core::text::OnUnmappable;
    use smpp_core::text::gsm7::{decode_to_utf8, decode_unpacked, encode_unpacked, pack, unpack};

    for (lock_lang, single_lang, lock, single, tables) in combinations() {
        let what = format!("{lock_lang}/{single_lang}");
        let (text, septets) = reference_text(&lock, &single);

        // Decoding the reference septets gives the reference characters.
        let decoded: String = decode_unpacked(&septets, tables, OnUnmappable::Error)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(decoded, text, "{what} decode");
        let mut utf8 = vec![0u8; text.len()];
        let n = decode_to_utf8(&septets, tables, OnUnmappable::Error, &mut utf8).unwrap();
        assert_eq!(&utf8[..n], text.as_bytes(), "{what} decode_to_utf8");

        // Encoding the characters decodes back to them (a character held both in the
        // locking-shift and the single-shift table takes the single septet).
        let mut out = vec![0u8; septets.len()];
        let n = encode_unpacked(&text, tables, OnUnmappable::Error, &mut out).unwrap();
        let back: String = decode_unpacked(&out[..n], tables, OnUnmappable::Error)
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, text, "{what} encode");
        assert_eq!(
            smpp_core::text::gsm7::septet_count(&text, tables),
            Ok(n),
            "{what} septet count"
        );

        // Packed after every possible number of fill bits, and back.
        for fill in 0..7u8 {
            let mut octets = vec![0u8; septets.len()];
            let m = pack(&septets, fill, &mut octets).unwrap();
            let mut again = vec![0u8; septets.len()];
            let k = unpack(&octets[..m], fill, Some(septets.len()), &mut again).unwrap();
            assert_eq!(&again[..k], &septets[..], "{what} fill {fill}");
        }
    }
    // Spanish has no locking-shift table: its single-shift table over the default alphabet.
    let tables = Tables::single_shift(Language::Spanish);
    let (text, septets) = reference_text(
        &locking(Language::Default).unwrap(),
        &single(Language::Spanish),
    );
    let decoded: String = decode_unpacked(&septets, tables, OnUnmappable::Error)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(decoded, text);
}
