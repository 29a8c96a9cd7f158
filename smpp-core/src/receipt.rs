//! Delivery receipts: the de-facto text of SMPP v3.4 appendix B, the `message_state` values and a
//! view that combines the text with the receipt TLVs.
//!
//! The text layout is `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm
//! stat:DDDDDDD err:E text:...`, but every MC has its own variant, so parsing is tolerant: labels
//! are matched case-insensitively in any order, fields may be missing, dates may have seconds,
//! unknown vendor fields are skipped and everything after `text:` is free text. Values are
//! borrowed slices of the input.
//!
//! ```
//! use smpp_core::receipt::{DeliveryReceipt, MessageState, ids_match};
//!
//! let r = DeliveryReceipt::parse(
//!     b"id:0059113978 sub:001 dlvrd:001 submit date:1002101730 done date:1002101731 stat:DELIVRD err:000 text:@$#!%&/:",
//! )?;
//! assert_eq!(r.id, Some(&b"0059113978"[..]));
//! assert_eq!(r.state(), Some(MessageState::DELIVERED));
//! assert_eq!(r.text, Some(&b"@$#!%&/:"[..]));
//! // The same message id as the receipted_message_id TLV "38601fa" (hex).
//! assert!(ids_match(b"0059113978", b"38601fa"));
//! # Ok::<(), smpp_core::receipt::ReceiptError>(())
//! ```

use core::fmt;

use crate::time::days_in_month;

/// Errors from parsing or formatting a delivery receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiptError {
    /// The text has neither an `id:` nor a `stat:` field with another receipt field.
    NotAReceipt,
    /// A date is not 10 or 12 digits or names an impossible date.
    BadDate,
    /// The output buffer is too small.
    BufferTooSmall,
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotAReceipt => "text is not a delivery receipt",
            Self::BadDate => "invalid delivery receipt date",
            Self::BufferTooSmall => "output buffer too small",
        })
    }
}

impl core::error::Error for ReceiptError {}

pub use crate::values::MessageState;

/// The `stat:` texts of delivery receipts.
impl MessageState {
    /// The `stat:` text for this state (`SCHEDUL` is not defined by any MC but keeps 7 letters).
    pub const fn stat(self) -> Option<&'static str> {
        Some(match self {
            Self::SCHEDULED => "SCHEDUL",
            Self::ENROUTE => "ENROUTE",
            Self::DELIVERED => "DELIVRD",
            Self::EXPIRED => "EXPIRED",
            Self::DELETED => "DELETED",
            Self::UNDELIVERABLE => "UNDELIV",
            Self::ACCEPTED => "ACCEPTD",
            Self::UNKNOWN => "UNKNOWN",
            Self::REJECTED => "REJECTD",
            Self::SKIPPED => "SKIPPED",
            _ => return None,
        })
    }

    /// The state named by a `stat:` value, case-insensitively; the full words `DELIVERED`,
    /// `UNDELIVERABLE`, `ACCEPTED`, `REJECTED` and `SCHEDULED` are accepted too.
    pub fn from_stat(s: &[u8]) -> Option<Self> {
        const NAMES: [(&[u8], MessageState); 15] = [
            (b"DELIVRD", MessageState::DELIVERED),
            (b"DELIVERED", MessageState::DELIVERED),
            (b"EXPIRED", MessageState::EXPIRED),
            (b"DELETED", MessageState::DELETED),
            (b"UNDELIV", MessageState::UNDELIVERABLE),
            (b"UNDELIVERABLE", MessageState::UNDELIVERABLE),
            (b"ACCEPTD", MessageState::ACCEPTED),
            (b"ACCEPTED", MessageState::ACCEPTED),
            (b"UNKNOWN", MessageState::UNKNOWN),
            (b"REJECTD", MessageState::REJECTED),
            (b"REJECTED", MessageState::REJECTED),
            (b"ENROUTE", MessageState::ENROUTE),
            (b"SKIPPED", MessageState::SKIPPED),
            (b"SCHEDUL", MessageState::SCHEDULED),
            (b"SCHEDULED", MessageState::SCHEDULED),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|&(_, st)| st)
    }
}

/// A date from a receipt: `YYMMDDhhmm` or `YYMMDDhhmmss`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceiptDate {
    /// Year within the century (read as 2000-2099 for validation).
    pub year: u8,
    /// Month, 1-12.
    pub month: u8,
    /// Day of month.
    pub day: u8,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, when the MC sent 12 digits.
    pub second: Option<u8>,
}

impl ReceiptDate {
    /// Parses 10 or 12 digits.
    pub fn parse(s: &[u8]) -> Result<Self, ReceiptError> {
        if !(s.len() == 10 || s.len() == 12) || !s.iter().all(u8::is_ascii_digit) {
            return Err(ReceiptError::BadDate);
        }
        let two = |i: usize| match s.get(i..i + 2) {
            Some([a, b]) => (a - b'0') * 10 + (b - b'0'),
            _ => 0,
        };
        let d = Self {
            year: two(0),
            month: two(2),
            day: two(4),
            hour: two(6),
            minute: two(8),
            second: (s.len() == 12).then(|| two(10)),
        };
        let ok = (1..=12).contains(&d.month)
            && d.day >= 1
            && d.day <= days_in_month(2000 + i32::from(d.year), d.month)
            && d.hour < 24
            && d.minute < 60
            && d.second.is_none_or(|s| s < 60);
        if ok {
            Ok(d)
        } else {
            Err(ReceiptError::BadDate)
        }
    }
}

/// The fields of a delivery receipt text, as slices of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DeliveryReceipt<'a> {
    /// `id:` the message id of the original submission.
    pub id: Option<&'a [u8]>,
    /// `sub:` number of messages submitted.
    pub sub: Option<&'a [u8]>,
    /// `dlvrd:` number of messages delivered.
    pub dlvrd: Option<&'a [u8]>,
    /// `submit date:` raw digits.
    pub submit_date: Option<&'a [u8]>,
    /// `done date:` raw digits.
    pub done_date: Option<&'a [u8]>,
    /// `stat:` state text.
    pub stat: Option<&'a [u8]>,
    /// `err:` network error code text.
    pub err: Option<&'a [u8]>,
    /// `text:` everything after the label (may be empty).
    pub text: Option<&'a [u8]>,
}

#[derive(Clone, Copy)]
enum Field {
    Id,
    Sub,
    Dlvrd,
    Submit,
    Done,
    Stat,
    Err,
}

const LABELS: [(&[u8], Field); 7] = [
    (b"id:", Field::Id),
    (b"sub:", Field::Sub),
    (b"dlvrd:", Field::Dlvrd),
    (b"submit date:", Field::Submit),
    (b"done date:", Field::Done),
    (b"stat:", Field::Stat),
    (b"err:", Field::Err),
];

/// Whether `b` separates words of a receipt text (space or tab).
const fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t')
}

/// Whether `b` ends a field's value and may precede a label: white space or NUL.
const fn ends_value(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0
}

/// Whether `s` begins with one of the receipt's labels.
fn starts_with_label(s: &[u8]) -> bool {
    LABELS
        .iter()
        .map(|&(label, _)| label)
        .chain([&b"text:"[..]])
        .any(|label| label_end(s, 0, label).is_some())
}

/// End of `label` if it occurs at `hay[at..]`, case-insensitively; a space in the label matches
/// any run of spaces, tabs and underscores (`submit date:`, `submit_date:`, `submit  date:`).
fn label_end(hay: &[u8], at: usize, label: &[u8]) -> Option<usize> {
    let mut pos = at;
    for &l in label {
        if l == b' ' {
            let run = hay
                .get(pos..)?
                .iter()
                .take_while(|&&b| is_blank(b) || b == b'_')
                .count();
            if run == 0 {
                return None;
            }
            pos += run;
        } else {
            let b = *hay.get(pos)?;
            if !b.eq_ignore_ascii_case(&l) {
                return None;
            }
            pos += 1;
        }
    }
    Some(pos)
}

/// Start and end of the first `label` in `hay` that begins a word.
fn find_label(hay: &[u8], label: &[u8]) -> Option<(usize, usize)> {
    (0..hay.len()).find_map(|i| {
        let at_start = i == 0 || hay.get(i - 1).is_some_and(|&b| ends_value(b));
        if at_start {
            label_end(hay, i, label).map(|end| (i, end))
        } else {
            None
        }
    })
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| is_blank(b)).count();
    s.get(n..).unwrap_or_default()
}

impl<'a> DeliveryReceipt<'a> {
    /// Parses a receipt text tolerantly.
    ///
    /// Fields are separated by spaces or tabs (any number of them); a label's inner space may be
    /// written as an underscore (`submit_date:`, `done_date:`). The first `text:` label ends the
    /// fields: appendix B puts it last, and everything after it, other labels included, is the
    /// free text of [`text`](Self::text). Fields written after it are therefore not read.
    /// When a label occurs twice, the first one counts. A NUL ends a field's value (and may
    /// precede a label) as a blank does, and NULs at the end of `input` (MCs that send the receipt as a C-Octet String) are
    /// not part of [`text`](Self::text) either.
    ///
    /// # Errors
    /// [`ReceiptError::NotAReceipt`] unless an `id:` or `stat:` field is present along with at
    /// least one other receipt field.
    pub fn parse(input: &'a [u8]) -> Result<Self, ReceiptError> {
        let end = input.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        let input = input.get(..end).unwrap_or_default();
        let mut r = Self::default();
        let head = match find_label(input, b"text:") {
            Some((start, end)) => {
                r.text = input.get(end..);
                input.get(..start).unwrap_or_default()
            }
            None => input,
        };
        let mut found = usize::from(r.text.is_some());
        for (label, field) in LABELS {
            let Some((_, end)) = find_label(head, label) else {
                continue;
            };
            let rest = trim_start(head.get(end..).unwrap_or_default());
            // A label right after a label: this field is present but empty
            // (`id: stat:DELIVRD`), not valued with the next label.
            let end = if starts_with_label(rest) {
                0
            } else {
                rest.iter()
                    .position(|&b| ends_value(b))
                    .unwrap_or(rest.len())
            };
            let value = rest.get(..end);
            let slot = match field {
                Field::Id => &mut r.id,
                Field::Sub => &mut r.sub,
                Field::Dlvrd => &mut r.dlvrd,
                Field::Submit => &mut r.submit_date,
                Field::Done => &mut r.done_date,
                Field::Stat => &mut r.stat,
                Field::Err => &mut r.err,
            };
            if slot.is_none() {
                *slot = value;
                found += 1;
            }
        }
        if (r.id.is_some() || r.stat.is_some()) && found >= 2 {
            Ok(r)
        } else {
            Err(ReceiptError::NotAReceipt)
        }
    }

    /// The state named by `stat:`.
    pub fn state(&self) -> Option<MessageState> {
        self.stat.and_then(MessageState::from_stat)
    }

    /// The `id:` as text, if it is UTF-8.
    pub fn id_str(&self) -> Option<&'a str> {
        self.id.and_then(|s| core::str::from_utf8(s).ok())
    }

    /// The parsed `submit date:`.
    pub fn submit_date(&self) -> Option<Result<ReceiptDate, ReceiptError>> {
        self.submit_date.map(ReceiptDate::parse)
    }

    /// The parsed `done date:`.
    pub fn done_date(&self) -> Option<Result<ReceiptDate, ReceiptError>> {
        self.done_date.map(ReceiptDate::parse)
    }

    /// `sub:` as a number.
    pub fn submitted(&self) -> Option<u32> {
        self.sub.and_then(parse_decimal)
    }

    /// `dlvrd:` as a number.
    pub fn delivered(&self) -> Option<u32> {
        self.dlvrd.and_then(parse_decimal)
    }

    /// `err:` read as a decimal number (some MCs send hex: use the raw [`err`](Self::err) then).
    pub fn error_code(&self) -> Option<u32> {
        self.err.and_then(parse_decimal)
    }

    /// Formats the receipt in the appendix B layout, leaving out absent fields.
    pub fn format(&self, out: &mut [u8]) -> Result<usize, ReceiptError> {
        let mut w = Writer { out, pos: 0 };
        let fields: [(&[u8], Option<&[u8]>); 7] = [
            (b"id:", self.id),
            (b"sub:", self.sub),
            (b"dlvrd:", self.dlvrd),
            (b"submit date:", self.submit_date),
            (b"done date:", self.done_date),
            (b"stat:", self.stat),
            (b"err:", self.err),
        ];
        for (label, value) in fields {
            if let Some(v) = value {
                if w.pos > 0 {
                    w.put(b" ")?;
                }
                w.put(label)?;
                w.put(v)?;
            }
        }
        if let Some(t) = self.text {
            if w.pos > 0 {
                w.put(b" ")?;
            }
            w.put(b"text:")?;
            w.put(t)?;
        }
        Ok(w.pos)
    }
}

struct Writer<'o> {
    out: &'o mut [u8],
    pos: usize,
}

impl Writer<'_> {
    fn put(&mut self, s: &[u8]) -> Result<(), ReceiptError> {
        let end = self
            .pos
            .checked_add(s.len())
            .ok_or(ReceiptError::BufferTooSmall)?;
        self.out
            .get_mut(self.pos..end)
            .ok_or(ReceiptError::BufferTooSmall)?
            .copy_from_slice(s);
        self.pos = end;
        Ok(())
    }
}

fn parse_radix(s: &[u8], radix: u32) -> Option<u128> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u128, |acc, &b| {
        let d = char::from(b).to_digit(radix)?;
        acc.checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))
    })
}

fn parse_decimal(s: &[u8]) -> Option<u32> {
    parse_radix(s, 10).and_then(|v| u32::try_from(v).ok())
}

fn strip_nul(s: &[u8]) -> &[u8] {
    let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
    s.get(..end).unwrap_or_default()
}

/// How a message id is written, for [`ids_match_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdBase {
    /// Decimal digits.
    Decimal,
    /// Hexadecimal digits, either case.
    Hex,
}

impl IdBase {
    const fn radix(self) -> u32 {
        match self {
            Self::Decimal => 10,
            Self::Hex => 16,
        }
    }
}

fn has_hex_letter(s: &[u8]) -> bool {
    s.iter().any(|b| matches!(b, b'a'..=b'f' | b'A'..=b'F'))
}

/// Whether two message ids name the same message, allowing one to be decimal and the other
/// hexadecimal (a common mismatch between the receipt text and `receipted_message_id`).
///
/// Ids are equal if they match ignoring ASCII case, or if they read as the same number. An id
/// is read as hexadecimal only when it holds a letter `a`-`f`; ids of decimal digits alone are
/// compared as decimal numbers, so `"10"` and `"16"` differ although hexadecimal 10 is 16. Use
/// [`ids_match_with`] when the bases are known. Leading zeros and trailing NULs are ignored.
///
/// ```
/// use smpp_core::receipt::ids_match;
///
/// assert!(ids_match(b"0059113978", b"38601fa")); // decimal text id, hex TLV
/// assert!(ids_match(b"0042", b"42"));
/// assert!(!ids_match(b"10", b"16"));
/// assert!(!ids_match(b"256", b"100"));
/// ```
pub fn ids_match(a: &[u8], b: &[u8]) -> bool {
    let base = |s: &[u8]| {
        if has_hex_letter(s) {
            IdBase::Hex
        } else {
            IdBase::Decimal
        }
    };
    let (a, b) = (strip_nul(a), strip_nul(b));
    ids_match_with(a, base(a), b, base(b))
}

/// Whether two message ids name the same message when `a` is written in `a_base` and `b` in
/// `b_base`: the same number, or (for ids that are not numbers in their base) the same text
/// ignoring ASCII case. Trailing NULs are ignored; empty ids never match.
///
/// ```
/// use smpp_core::receipt::{IdBase, ids_match_with};
///
/// // An MC that writes the text id in decimal and the TLV in hex, without a hex letter.
/// assert!(ids_match_with(b"256", IdBase::Decimal, b"100", IdBase::Hex));
/// assert!(!ids_match_with(b"256", IdBase::Decimal, b"100", IdBase::Decimal));
/// ```
pub fn ids_match_with(a: &[u8], a_base: IdBase, b: &[u8], b_base: IdBase) -> bool {
    let (a, b) = (strip_nul(a), strip_nul(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    match (
        parse_radix(a, a_base.radix()),
        parse_radix(b, b_base.radix()),
    ) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// A network error, from the `network_error_code` TLV or the `err:` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkError<'a> {
    /// From TLV 0x0423: network type (1 ANSI-136, 2 IS-95, 3 GSM, ...) and error code.
    Tlv {
        /// Network type octet.
        network_type: u8,
        /// Error code.
        code: u16,
    },
    /// From the receipt text's `err:` field.
    Text(&'a [u8]),
}

/// A delivery receipt combining the text with the receipt TLVs; where both carry a value, the
/// TLV wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Receipt<'a> {
    /// The parsed text, if the short message was a receipt text.
    pub text: Option<DeliveryReceipt<'a>>,
    /// `receipted_message_id` TLV (0x001E) value; a trailing NUL is ignored.
    pub receipted_message_id: Option<&'a [u8]>,
    /// `message_state` TLV (0x0427) value.
    pub message_state: Option<u8>,
    /// `network_error_code` TLV (0x0423): network type and error code.
    pub network_error_code: Option<(u8, u16)>,
}

impl<'a> Receipt<'a> {
    /// Combines a `short_message` (parsed if it is a receipt text) with the TLV values.
    pub fn new(
        short_message: &'a [u8],
        receipted_message_id: Option<&'a [u8]>,
        message_state: Option<u8>,
        network_error_code: Option<(u8, u16)>,
    ) -> Self {
        Self {
            text: DeliveryReceipt::parse(short_message).ok(),
            receipted_message_id,
            message_state,
            network_error_code,
        }
    }

    /// Whether anything identifies this as a receipt (a receipt text or a receipt TLV).
    pub fn is_receipt(&self) -> bool {
        self.text.is_some() || self.receipted_message_id.is_some() || self.message_state.is_some()
    }

    /// The message id: the TLV if present, else the text's `id:`.
    pub fn message_id(&self) -> Option<&'a [u8]> {
        self.receipted_message_id
            .map(strip_nul)
            .filter(|s| !s.is_empty())
            .or_else(|| self.text.and_then(|t| t.id))
    }

    /// The state: the `message_state` TLV if present with a value this crate knows, else the
    /// text's `stat:`, else the TLV's unknown value as it is (a [`MessageState`] keeps any octet;
    /// its [`name`](MessageState::name) is `None` then).
    pub fn state(&self) -> Option<MessageState> {
        let tlv = self.message_state.map(MessageState);
        tlv.filter(|s| s.name().is_some())
            .or_else(|| self.text.and_then(|t| t.state()))
            .or(tlv)
    }

    /// The network error: the TLV if present, else the text's `err:`.
    pub fn network_error(&self) -> Option<NetworkError<'a>> {
        self.network_error_code
            .map(|(network_type, code)| NetworkError::Tlv { network_type, code })
            .or_else(|| self.text.and_then(|t| t.err).map(NetworkError::Text))
    }

    /// Whether the text's `id:` and the TLV name the same message (see [`ids_match`]); `None`
    /// unless both are present.
    pub fn ids_agree(&self) -> Option<bool> {
        let text_id = self.text.and_then(|t| t.id)?;
        let tlv = self.receipted_message_id?;
        Some(ids_match(text_id, tlv))
    }
}
