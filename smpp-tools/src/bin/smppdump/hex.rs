//! Hex input: the forms a line may take, and how lines are cut into PDUs.
//!
//! A line holds octets as hex digit pairs in any of these forms (the rules are
//! repeated for users at the top of `main.rs`):
//!
//! - plain (`0000001000000015...`), or with spaces, tabs, colons or commas
//!   between octets or groups;
//! - with a `0x`/`0X` prefix on the line or on each group (`0x00 0x00 0x00
//!   0x10`, `0x00000010,0x00000015`);
//! - as `xxd` prints it: an offset column of at least four hex digits followed
//!   by `: `, then the octets, then (after two spaces) the text column, which is
//!   ignored (`00000000: 0000 0010 0000 0015  ................`);
//! - as `xxd -p` prints it: plain hex wrapped every 30 octets.
//!
//! Outside the `xxd` form, `#` starts a comment. The octets of consecutive
//! lines run on: a PDU ends when it holds the `command_length` its first
//! four octets announce, and whatever follows on the same line starts the next
//! one. A blank line and the end of the input end a PDU early (a line with
//! only a comment does not); so does a `command_length` below 16 or above
//! [`MAX_PDU`], whose line is then reported as it is.

use core::fmt;

/// The longest PDU gathered from several lines: as many octets as one line of
/// the longest length read (4 MiB of hex digits) can hold.
pub(crate) const MAX_PDU: usize = crate::MAX_LINE / 2;

/// A fault at one character of a line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HexError {
    /// 1-based, in characters.
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a line holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// Nothing but white space: ends a PDU.
    Blank,
    /// Only a comment.
    Comment,
    /// Octets (perhaps none, for an `xxd` line with an empty octet column).
    Octets(Vec<u8>),
}

/// The part of an `xxd` line that holds octets, with its byte offset in the
/// line; `None` if the line has no offset column.
fn xxd_octet_column(line: &str) -> Option<(usize, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_hexdigit).count();
    let rest = line.get(digits..)?;
    if digits < 4 || !(rest.starts_with(": ") || rest == ":") {
        return None;
    }
    let start = digits + 2;
    let octets = line.get(start..).unwrap_or("");
    // Two spaces separate the octets from the text column.
    let end = octets.find("  ").unwrap_or(octets.len());
    Some((start, octets.get(..end).unwrap_or("")))
}

/// Reads one line's octets.
pub(crate) fn parse_line(line: &str) -> Result<Line, HexError> {
    let (start, text) = if let Some(found) = xxd_octet_column(line) {
        found
    } else {
        let text = line.split('#').next().unwrap_or("");
        if text.trim().is_empty() {
            return Ok(if line.trim().is_empty() {
                Line::Blank
            } else {
                Line::Comment
            });
        }
        (0, text)
    };
    let column_of = |at: usize| line.get(..start + at).map_or(1, |s| s.chars().count() + 1);
    let mut octets = Vec::with_capacity(text.len() / 2);
    let mut high: Option<(u8, usize)> = None;
    let mut token_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if matches!(c, ' ' | '\t' | ':' | ',') {
            token_start = true;
            continue;
        }
        if token_start
            && c == '0'
            && chars
                .peek()
                .is_some_and(|&(_, next)| matches!(next, 'x' | 'X'))
        {
            chars.next();
            token_start = false;
            continue;
        }
        token_start = false;
        let Some(digit) = u8::try_from(c).ok().and_then(smpp_core::hex::digit) else {
            return Err(HexError {
                column: column_of(at),
                message: format!("not hex: {c:?}"),
            });
        };
        match high.take() {
            None => high = Some((digit, at)),
            Some((h, _)) => octets.push(h << 4 | digit),
        }
    }
    if let Some((_, at)) = high {
        return Err(HexError {
            column: column_of(at),
            message: "odd number of hex digits".into(),
        });
    }
    Ok(Line::Octets(octets))
}

/// Cuts the octets of consecutive lines into PDUs.
#[derive(Default)]
pub(crate) struct Gatherer {
    octets: Vec<u8>,
    /// The line where the PDU being gathered starts.
    start: usize,
}

/// One PDU's octets (complete or not) and the line where it starts.
pub(crate) struct Unit {
    pub(crate) line: usize,
    pub(crate) octets: Vec<u8>,
}

impl Gatherer {
    /// Whether part of a PDU is waiting for more lines, and from which line.
    pub(crate) fn pending(&self) -> Option<usize> {
        (!self.octets.is_empty()).then_some(self.start)
    }

    /// Drops the PDU being gathered.
    pub(crate) fn clear(&mut self) {
        self.octets.clear();
    }

    /// Ends the PDU being gathered (a blank line, the end of the input): its
    /// octets, if any, however few.
    pub(crate) fn finish(&mut self) -> Option<Unit> {
        self.pending().map(|line| Unit {
            line,
            octets: core::mem::take(&mut self.octets),
        })
    }

    /// Adds line `line`'s octets and returns the PDUs they complete.
    pub(crate) fn push(&mut self, line: usize, octets: &[u8]) -> Vec<Unit> {
        let mut done = Vec::new();
        let mut rest = octets;
        while !rest.is_empty() {
            if self.octets.is_empty() {
                self.start = line;
            }
            let need = match self.octets.first_chunk::<4>() {
                // Take only what completes the length field.
                None => 4 - self.octets.len(),
                Some(len) => match usize::try_from(u32::from_be_bytes(*len)) {
                    Ok(len) if (16..=MAX_PDU).contains(&len) => len - self.octets.len(),
                    // No length to cut on: the rest of the line goes with it
                    // and the decoder says what is wrong.
                    _ => {
                        self.octets.extend_from_slice(rest);
                        done.extend(self.finish());
                        return done;
                    }
                },
            };
            let (now, later) = rest.split_at(need.min(rest.len()));
            self.octets.extend_from_slice(now);
            rest = later;
            if self.octets.len() >= 4
                && let Some(len) = self.octets.first_chunk::<4>()
                && usize::try_from(u32::from_be_bytes(*len)).ok() == Some(self.octets.len())
            {
                done.extend(self.finish());
            }
        }
        // A length field just completed may already be out of range.
        if let Some(len) = self.octets.first_chunk::<4>()
            && !usize::try_from(u32::from_be_bytes(*len)).is_ok_and(|l| (16..=MAX_PDU).contains(&l))
        {
            done.extend(self.finish());
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn octets(line: &str) -> Vec<u8> {
        match parse_line(line) {
            Ok(Line::Octets(o)) => o,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    const ENQUIRE_LINK: [u8; 16] = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];

    #[test]
    fn every_form_gives_the_same_octets() {
        for line in [
            "00000010000000150000000000000001",
            "00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 01",
            "00:00:00:10:00:00:00:15:00:00:00:00:00:00:00:01  # enquire_link",
            "0x00000010 0x00000015 0x00000000 0x00000001",
            "0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x15, 0X00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01",
            "0x00000010000000150000000000000001",
            "00000000: 0000 0010 0000 0015 0000 0000 0000 0001  ................",
            "00000000: 00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 01  ....#...abcd....",
            "0000000000000000: 00000010000000150000000000000001",
        ] {
            assert_eq!(octets(line), ENQUIRE_LINK, "{line}");
        }
        assert_eq!(parse_line("   # only a comment"), Ok(Line::Comment));
        assert_eq!(parse_line(""), Ok(Line::Blank));
        assert_eq!(parse_line(" \t"), Ok(Line::Blank));
        assert_eq!(octets("00000010:"), Vec::<u8>::new());
    }

    #[test]
    fn errors_name_the_column() {
        let err = |line: &str| parse_line(line).unwrap_err();
        assert_eq!(
            err("zz"),
            HexError {
                column: 1,
                message: "not hex: 'z'".into()
            }
        );
        assert_eq!(err("0000 00g0").column, 8);
        // The offset column counts.
        assert_eq!(err("00000000: 0000 001x 0000").column, 19);
        // `x` only after a token's first `0`.
        assert_eq!(err("00x0").column, 3);
        // Characters, not octets: 'é' is one column.
        assert_eq!(err("é0").column, 1);
        assert_eq!(err("00é").column, 3);
        let odd = err("00 000");
        assert_eq!(
            (odd.column, odd.message.as_str()),
            (6, "odd number of hex digits")
        );
    }

    fn cut(lines: &[&[u8]]) -> Vec<(usize, Vec<u8>)> {
        let mut g = Gatherer::default();
        let mut got = Vec::new();
        for (i, octets) in lines.iter().enumerate() {
            for unit in g.push(i + 1, octets) {
                got.push((unit.line, unit.octets));
            }
        }
        got.extend(g.finish().map(|u| (u.line, u.octets)));
        got
    }

    #[test]
    fn lines_are_cut_on_command_length() {
        let e = ENQUIRE_LINK;
        // Wrapped: 10 + 6 octets, then two PDUs and a half on one line.
        let two_and_half = [&e[..], &e[..], &e[..8]].concat();
        let got = cut(&[&e[..10], &e[10..], &two_and_half, &e[8..]]);
        assert_eq!(
            got,
            [
                (1, e.to_vec()),
                (3, e.to_vec()),
                (3, e.to_vec()),
                (3, e.to_vec())
            ]
        );
        // Two octets of the length on each of two lines.
        assert_eq!(cut(&[&e[..2], &e[2..]]), [(1, e.to_vec())]);
        // A length below 16 ends the PDU at once, with the rest of its line.
        let short = [0, 0, 0, 15, 1, 2];
        assert_eq!(cut(&[&short, &e]), [(1, short.to_vec()), (2, e.to_vec())]);
        // Known only once the next line completes the length field.
        assert_eq!(
            cut(&[&[0, 0], &[0, 3], &e]),
            [(1, vec![0, 0, 0, 3]), (3, e.to_vec())]
        );
        // Too long for any line.
        let huge = [0, 0x40, 0, 0, 9];
        assert_eq!(cut(&[&huge, &e]), [(1, huge.to_vec()), (2, e.to_vec())]);
        // Cut short by the end of the input.
        assert_eq!(cut(&[&e[..9]]), [(1, e[..9].to_vec())]);
    }
}
