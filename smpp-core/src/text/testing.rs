//! Inputs for the unit tests of the text fast paths: table pairs and texts mixing their
//! characters with ones they do not hold.

use std::string::String;
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use super::gsm7::{Language, Tables};

/// Every pair of tables a message can select.
pub(crate) fn all_tables() -> Vec<Tables> {
    let mut out = Vec::new();
    for locking in Language::ALL {
        for single in Language::ALL {
            out.extend(Tables::new(locking, single));
        }
    }
    out
}

/// Any pair of tables, the default pair more often.
pub(crate) fn tables() -> impl Strategy<Value = Tables> {
    prop_oneof![
        1 => Just(Tables::DEFAULT),
        3 => proptest::sample::select(all_tables()),
    ]
}

/// The characters either table of `tables` holds.
fn table_chars(tables: Tables) -> Vec<char> {
    (0..0x80u8)
        .flat_map(|code| [tables.decode_septet(code), tables.single_shift_char(code)])
        .flatten()
        .collect()
}

/// Texts for `tables`: runs of ASCII (long ones too, for the eight-at-a-time paths), characters of the tables and characters they may not
/// hold (Latin-1, Cyrillic, emoji, carriage returns).
pub(crate) fn text_for(tables: Tables) -> impl Strategy<Value = String> {
    let held = proptest::sample::select(table_chars(tables));
    let piece = prop_oneof![
        4 => "[ -~]{1,12}",
        2 => "[a-zA-Z0-9 .,!?]{8,40}",
        4 => proptest::collection::vec(held, 1..6).prop_map(|c| c.into_iter().collect()),
        1 => "[\u{80}-\u{FF}]{1,3}",
        1 => "[ЖжЯ😀🚚\r\n€]{1,3}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

/// Tables and a text for them.
pub(crate) fn tables_and_text() -> impl Strategy<Value = (Tables, String)> {
    tables().prop_flat_map(|t| (Just(t), text_for(t)))
}

/// Runs `fast` and `slow` on buffers of each length in `lens`, filled alike, and checks that
/// they return the same and leave the same octets.
pub(crate) fn same_output<T: PartialEq + core::fmt::Debug>(
    lens: impl IntoIterator<Item = usize>,
    fast: impl Fn(&mut [u8]) -> T,
    slow: impl Fn(&mut [u8]) -> T,
) -> Result<(), TestCaseError> {
    for len in lens {
        let mut fast_out = vec![0xAAu8; len];
        let mut slow_out = vec![0xAAu8; len];
        prop_assert_eq!(fast(&mut fast_out), slow(&mut slow_out), "{} octets", len);
        prop_assert_eq!(fast_out, slow_out, "{} octets", len);
    }
    Ok(())
}
