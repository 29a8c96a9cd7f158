//! Hexadecimal digits: the one reader and writer of hex in the workspace
//! (the `Debug` output of octet strings, the `_hex` keys of the JSON form,
//! the `.hex` test vectors, smppdump and the command-line tools).
//!
//! Not part of the API: hidden from the documentation and free to change.

use core::fmt;

/// The value of the ASCII hex digit `c` (either case).
#[must_use]
pub const fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The octets that `digits` spell, two hex digits each, the high one first:
/// `None` in place of a pair that holds another character, and of a lone
/// last digit.
///
/// ```
/// use smpp_core::hex::octets;
///
/// let ok: Option<Vec<u8>> = octets(*b"00fF1a").collect();
/// assert_eq!(ok, Some(vec![0x00, 0xff, 0x1a]));
/// assert_eq!(octets(*b"0g").collect::<Option<Vec<u8>>>(), None);
/// assert_eq!(octets(*b"abc").collect::<Option<Vec<u8>>>(), None);
/// ```
pub fn octets<I: IntoIterator<Item = u8>>(digits: I) -> impl Iterator<Item = Option<u8>> {
    let mut digits = digits.into_iter();
    core::iter::from_fn(move || {
        let high = digits.next()?;
        Some(match (digit(high), digits.next().and_then(digit)) {
            (Some(high), Some(low)) => Some(high << 4 | low),
            _ => None,
        })
    })
}

/// Octets shown as lowercase hex digits, two per octet, by `Display` and
/// `Debug` alike.
///
/// ```
/// use smpp_core::hex::Hex;
///
/// assert_eq!(Hex(&[0x00, 0xab, 0x7f]).to_string(), "00ab7f");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::{Hex, digit, octets};
    use std::string::ToString;
    use std::vec::Vec;

    #[test]
    fn every_octet_goes_there_and_back() {
        let all: Vec<u8> = (0..=u8::MAX).collect();
        let text = Hex(&all).to_string();
        assert_eq!(text.len(), 512);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[text.len() - 4..], "feff");
        assert_eq!(
            octets(text.bytes()).collect::<Option<Vec<u8>>>(),
            Some(all.clone())
        );
        let upper = text.to_ascii_uppercase();
        assert_eq!(
            octets(upper.bytes()).collect::<Option<Vec<u8>>>(),
            Some(all)
        );
    }

    #[test]
    fn only_the_22_hex_digits_have_a_value() {
        let digits = (0..=u8::MAX).filter(|&c| digit(c).is_some()).count();
        assert_eq!(digits, 22);
        assert!((0..=u8::MAX).all(|c| digit(c).is_some() == c.is_ascii_hexdigit()));
    }

    #[test]
    fn a_bad_pair_or_a_lone_digit_gives_none_in_its_place() {
        let got: Vec<Option<u8>> = octets(*b"01zz2").collect();
        assert_eq!(got, [Some(0x01), None, None]);
        assert_eq!(octets(*b"").count(), 0);
    }
}
