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

use crate::error::{Error, ErrorKind};
use crate::pdu::{DataSm, DeliverSm};
use crate::text::dcs::{Alphabet, DataCoding};
use crate::text::udh::Udh;
use crate::text::{OnUnmappable, ucs2};
use crate::time::{AbsoluteTime, SmppTime, days_from_civil, days_in_month};
use crate::tlv::{TlvBuf, TlvTag, Tlvs};
use crate::values::EsmClass;

/// Errors from parsing or formatting a delivery receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReceiptError {
    /// The text has neither an `id:` nor a `stat:` field with another receipt field.
    NotAReceipt,
    /// A date is neither 10 or 12 digits nor an SMPP absolute time, or names an impossible
    /// date (or one outside 2000-2099).
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
    /// The `stat:` text for this state. Appendix B names no text for [`Self::SCHEDULED`] (a
    /// v5.0 state); MCs that report it write `SCHEDLD`, seven letters like the others.
    pub const fn stat(self) -> Option<&'static str> {
        Some(match self {
            Self::SCHEDULED => "SCHEDLD",
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
    /// `UNDELIVERABLE`, `ACCEPTED`, `REJECTED` and `SCHEDULED` are accepted too, and the
    /// other words of [`STAT_SYNONYMS`].
    pub fn from_stat(s: &[u8]) -> Option<Self> {
        if let Some(&(_, state)) = STAT_SYNONYMS
            .iter()
            .find(|(word, _)| word.as_bytes().eq_ignore_ascii_case(s))
        {
            return Some(state);
        }
        // The `stat:` texts, and the states' names (the full words).
        Self::ALL.iter().copied().find(|state| {
            [state.stat(), state.name()]
                .into_iter()
                .flatten()
                .any(|name| name.as_bytes().eq_ignore_ascii_case(s))
        })
    }
}

/// `stat:` words that name a state without being its [`stat`](MessageState::stat) text or its
/// name: `FAILED`, which MCs and gateways write for a message that failed for good (read as
/// [`MessageState::UNDELIVERABLE`], the final failure), and `SCHEDUL`, the text earlier
/// versions of this crate wrote for [`MessageState::SCHEDULED`].
pub const STAT_SYNONYMS: [(&str, MessageState); 2] = [
    ("FAILED", MessageState::UNDELIVERABLE),
    ("SCHEDUL", MessageState::SCHEDULED),
];

/// A date from a receipt: `YYMMDDhhmm` or `YYMMDDhhmmss` (or, from some MCs, an SMPP absolute
/// time, see [`Self::parse`]).
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
    /// Parses 10 or 12 digits, or an SMPP absolute time (`YYMMDDhhmmsstnn+` or `-`, 16
    /// characters, SMPP v3.4 7.1.1), which some MCs write in receipts instead. An absolute time
    /// says its offset from UTC, so it is read as the UTC date and time of the same instant,
    /// with seconds (its tenths dropped), like the dates [`Self::from_unix_seconds`] makes.
    ///
    /// Some gateways write a four-digit year without seconds (`YYYYMMDDhhmm`, 12 digits too):
    /// 12 digits that are no date as `YYMMDDhhmmss` are read that way when they name a date
    /// of 2000-2099. Both readings are valid only for years 2010-2012 (whose `YYYY` starts
    /// like a month); `YYMMDDhhmmss` is taken then.
    ///
    /// ```
    /// use smpp_core::receipt::ReceiptDate;
    ///
    /// // 07:00:03 at UTC+3 (12 quarter hours ahead) is 04:00:03 UTC.
    /// let d = ReceiptDate::parse(b"180711070003912+")?;
    /// assert_eq!((d.year, d.month, d.day, d.hour, d.minute, d.second), (18, 7, 11, 4, 0, Some(3)));
    /// // 2019-06-19 07:20, with a four-digit year.
    /// let d = ReceiptDate::parse(b"201906190720")?;
    /// assert_eq!((d.year, d.month, d.day, d.hour, d.minute, d.second), (19, 6, 19, 7, 20, None));
    /// # Ok::<(), smpp_core::receipt::ReceiptError>(())
    /// ```
    pub fn parse(s: &[u8]) -> Result<Self, ReceiptError> {
        if let [.., b'+' | b'-'] = s {
            return match SmppTime::parse(s) {
                Ok(SmppTime::Absolute(t)) => Self::from_unix_seconds(t.to_unix_seconds(), true),
                _ => Err(ReceiptError::BadDate),
            };
        }
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
        // The same 12 digits as `YYYYMMDDhhmm`, in 2000-2099.
        let long_year = Self {
            year: two(2),
            month: two(4),
            day: two(6),
            hour: two(8),
            minute: two(10),
            second: None,
        };
        if d.is_valid() {
            Ok(d)
        } else if s.len() == 12 && two(0) == 20 && long_year.is_valid() {
            Ok(long_year)
        } else {
            Err(ReceiptError::BadDate)
        }
    }

    /// Whether the fields name a time of 2000-2099.
    fn is_valid(self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(2000 + i32::from(self.year), self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second.is_none_or(|s| s < 60)
    }

    /// The date of the instant `secs` seconds after 1970-01-01T00:00:00Z, in UTC, with seconds
    /// (12 digits) or without (10, the appendix B layout). [`ReceiptError::BadDate`] unless the
    /// year is 2000-2099.
    ///
    /// ```
    /// use smpp_core::receipt::ReceiptDate;
    ///
    /// let d = ReceiptDate::from_unix_seconds(1_265_823_060, false)?;
    /// let mut out = [0u8; 12];
    /// let n = d.format(&mut out)?;
    /// assert_eq!(&out[..n], b"1002101731");
    /// assert_eq!(d.to_unix_seconds(), 1_265_823_060);
    /// # Ok::<(), smpp_core::receipt::ReceiptError>(())
    /// ```
    pub fn from_unix_seconds(secs: i64, with_seconds: bool) -> Result<Self, ReceiptError> {
        let t = AbsoluteTime::from_unix_seconds(secs, 0).map_err(|_| ReceiptError::BadDate)?;
        Ok(Self {
            year: t.year,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: with_seconds.then_some(t.second),
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z, reading the date as UTC in 2000-2099 (a receipt
    /// does not say its MC's zone) and a missing second as 0. A date [`Self::parse`] would
    /// refuse gives the calendar arithmetic of its fields.
    pub fn to_unix_seconds(&self) -> i64 {
        let first = days_from_civil(2000 + i32::from(self.year), self.month, 1).unwrap_or(0);
        let days = first + i64::from(self.day) - 1;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second.unwrap_or(0))
    }

    /// Writes the 10 or 12 digits (`YYMMDDhhmm`, then `ss` when the date has seconds) and
    /// returns how many. Each field is written as its last two decimal digits; the values are
    /// not checked (a date from [`Self::parse`] or [`Self::from_unix_seconds`] is valid).
    ///
    /// # Errors
    /// [`ReceiptError::BufferTooSmall`] when `out` is shorter than the digits, with nothing
    /// written.
    pub fn format(&self, out: &mut [u8]) -> Result<usize, ReceiptError> {
        let mut digits = [0u8; 12];
        let fields = [self.year, self.month, self.day, self.hour, self.minute];
        let len = if self.second.is_some() { 12 } else { 10 };
        for (pair, v) in digits
            .chunks_exact_mut(2)
            .zip(fields.into_iter().chain(self.second))
        {
            pair.copy_from_slice(&[b'0' + v / 10 % 10, b'0' + v % 10]);
        }
        let src = digits.get(..len).ok_or(ReceiptError::BufferTooSmall)?;
        out.get_mut(..len)
            .ok_or(ReceiptError::BufferTooSmall)?
            .copy_from_slice(src);
        Ok(len)
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

/// The labels of the fields before `text:`, in the order of
/// [`DeliveryReceipt`]'s fields (which is the appendix B order).
const LABELS: [&[u8]; 7] = [
    b"id:",
    b"sub:",
    b"dlvrd:",
    b"submit date:",
    b"done date:",
    b"stat:",
    b"err:",
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
        .into_iter()
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

/// The first state written without its `stat:` label: a word of `head` that is the `stat:`
/// text of a state (`DELIVRD`), after a blank and followed by one, and not the value of a
/// label (no `:` before it but blanks).
fn bare_stat(head: &[u8]) -> Option<&[u8]> {
    let mut words = head.split(|&b| ends_value(b));
    // Whether the previous word (blanks skipped) ended with a label's colon.
    let mut after_label = false;
    // The last word is not followed by a blank: it may be cut short.
    let mut next = words.next();
    while let Some(word) = next {
        next = words.next();
        if word.is_empty() {
            continue;
        }
        let is_state = MessageState::ALL
            .iter()
            .filter_map(|s| s.stat())
            .any(|stat| stat.as_bytes() == word);
        if is_state && !after_label && next.is_some() {
            return Some(word);
        }
        after_label = word.ends_with(b":");
    }
    None
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
    /// When a label occurs twice, the first one counts. A state written without its label, as
    /// a word of its own before `text:` (`done date:1809031208 DELIVRD err:000`), is read as
    /// `stat:` when there is no `stat:` label. A NUL ends a field's value (and may
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
        let slots = [
            &mut r.id,
            &mut r.sub,
            &mut r.dlvrd,
            &mut r.submit_date,
            &mut r.done_date,
            &mut r.stat,
            &mut r.err,
        ];
        for (label, slot) in LABELS.into_iter().zip(slots) {
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
            if slot.is_none() {
                *slot = rest.get(..end);
                found += 1;
            }
        }
        if r.stat.is_none()
            && let Some(word) = bare_stat(head)
        {
            r.stat = Some(word);
            found += 1;
        }
        if (r.id.is_some() || r.stat.is_some()) && found >= 2 {
            Ok(r)
        } else {
            Err(ReceiptError::NotAReceipt)
        }
    }

    /// Parses a receipt text sent in `data_coding`. MCs write the text in ASCII whatever the
    /// `data_coding` says (some set UCS-2 and send ASCII octets all the same), but some send
    /// it in UCS-2: when `input` is no receipt as it is and `data_coding` is a UCS-2 coding,
    /// its UTF-16BE is decoded into `buf` as UTF-8 (U+FFFD for what is not a character) and
    /// parsed there, the fields borrowing `buf`. `buf` needs at most `input.len() / 2 * 3 + 3`
    /// octets.
    ///
    /// ```
    /// use smpp_core::receipt::{DeliveryReceipt, MessageState};
    /// use smpp_core::DataCoding;
    ///
    /// let ucs2: Vec<u8> = "id:42 stat:DELIVRD".encode_utf16().flat_map(u16::to_be_bytes).collect();
    /// let mut buf = [0u8; 64];
    /// let r = DeliveryReceipt::parse_coded(&ucs2, DataCoding(0x08), &mut buf)?;
    /// assert_eq!((r.id, r.state()), (Some(&b"42"[..]), Some(MessageState::DELIVERED)));
    /// # Ok::<(), smpp_core::receipt::ReceiptError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Self::parse`], and [`ReceiptError::BufferTooSmall`] when the decoded text does
    /// not fit in `buf`.
    pub fn parse_coded(
        input: &'a [u8],
        data_coding: DataCoding,
        buf: &'a mut [u8],
    ) -> Result<Self, ReceiptError> {
        match Self::parse(input) {
            Err(ReceiptError::NotAReceipt) if data_coding.alphabet() == Alphabet::Ucs2 => {
                let len = ucs2::decode_to_utf8_with(input, OnUnmappable::Replace, &mut *buf)
                    .map_err(|_| ReceiptError::BufferTooSmall)?;
                let decoded: &'a [u8] = buf;
                Self::parse(decoded.get(..len).unwrap_or_default())
            }
            other => other,
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

    /// The parsed `submit date:`; `None` when it is absent or zeros (see [`Self::done_date`]).
    pub fn submit_date(&self) -> Option<Result<ReceiptDate, ReceiptError>> {
        parse_date(self.submit_date)
    }

    /// The parsed `done date:`; `None` when it is absent, or 10 or 12 zeros (`0000000000`),
    /// which MCs write for a date they do not have, such as the done date of a message that failed
    /// before it reached a final state.
    pub fn done_date(&self) -> Option<Result<ReceiptDate, ReceiptError>> {
        parse_date(self.done_date)
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

    /// Formats the receipt in the appendix B layout, leaving out absent fields, and returns its
    /// length ([`Self::formatted_len`]).
    ///
    /// # Errors
    /// [`ReceiptError::BufferTooSmall`] when `out` is shorter than that; what was written
    /// then is a cut text, not a receipt.
    pub fn format(&self, out: &mut [u8]) -> Result<usize, ReceiptError> {
        self.write(&mut Writer {
            out: Some(out),
            pos: 0,
        })
    }

    /// The length of the text [`Self::format`] writes.
    pub fn formatted_len(&self) -> usize {
        self.write(&mut Writer { out: None, pos: 0 }).unwrap_or(0)
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<usize, ReceiptError> {
        let values = [
            self.id,
            self.sub,
            self.dlvrd,
            self.submit_date,
            self.done_date,
            self.stat,
            self.err,
        ];
        let fields = LABELS.into_iter().zip(values);
        for (label, value) in fields.chain([(&b"text:"[..], self.text)]) {
            if let Some(v) = value {
                if w.pos > 0 {
                    w.put(b" ")?;
                }
                w.put(label)?;
                w.put(v)?;
            }
        }
        Ok(w.pos)
    }
}

/// Writes into `out`, or (without one) only counts.
struct Writer<'o> {
    out: Option<&'o mut [u8]>,
    pos: usize,
}

impl Writer<'_> {
    fn put(&mut self, s: &[u8]) -> Result<(), ReceiptError> {
        let end = self
            .pos
            .checked_add(s.len())
            .ok_or(ReceiptError::BufferTooSmall)?;
        if let Some(out) = self.out.as_deref_mut() {
            out.get_mut(self.pos..end)
                .ok_or(ReceiptError::BufferTooSmall)?
                .copy_from_slice(s);
        }
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

/// A receipt date's digits parsed; no date when absent or 10 or 12 zeros.
fn parse_date(digits: Option<&[u8]>) -> Option<Result<ReceiptDate, ReceiptError>> {
    let zeros = |d: &[u8]| matches!(d.len(), 10 | 12) && d.iter().all(|&b| b == b'0');
    digits.filter(|d| !zeros(d)).map(ReceiptDate::parse)
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
    /// `receipted_message_id` TLV (0x001E) value as received, its NUL included;
    /// [`Self::message_id`] and [`Self::ids_agree`] read it up to the NUL.
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

    /// The receipt a `deliver_sm` carries: its text (`short_message`, or the `message_payload`
    /// TLV when `short_message` is empty; a user data header is skipped) combined with its
    /// `receipted_message_id`, `message_state` and `network_error_code` TLVs. Whether it is a
    /// receipt at all says [`Self::is_receipt`] (or `esm_class`, see
    /// [`EsmClass::is_delivery_receipt`]).
    ///
    /// ```
    /// use smpp_core::receipt::{MessageState, NetworkError, Receipt};
    /// use smpp_core::{DeliverSm, EsmClass, TlvBuf, TlvTag};
    ///
    /// let mut tlvs = TlvBuf::<32>::new();
    /// tlvs.push_cstr(TlvTag::RECEIPTED_MESSAGE_ID, b"38601fa")?;
    /// tlvs.push_u8(TlvTag::MESSAGE_STATE, 5)?; // UNDELIVERABLE
    /// let sm = DeliverSm {
    ///     esm_class: EsmClass::DELIVERY_RECEIPT,
    ///     short_message: &b"id:0059113978 sub:001 dlvrd:000 stat:DELIVRD err:006 text:"[..],
    ///     tlvs: tlvs.tlvs(),
    ///     ..DeliverSm::default()
    /// };
    /// let receipt = Receipt::from_deliver_sm(&sm);
    /// assert_eq!(receipt.message_id(), Some(&b"38601fa"[..])); // the TLV wins
    /// assert_eq!(receipt.state(), Some(MessageState::UNDELIVERABLE));
    /// assert_eq!(receipt.network_error(), Some(NetworkError::Text(b"006")));
    /// assert_eq!(receipt.ids_agree(), Some(true));
    /// # Ok::<(), smpp_core::Error>(())
    /// ```
    pub fn from_deliver_sm<B: AsRef<[u8]>>(sm: &'a DeliverSm<B>) -> Self {
        Self::from_parts(sm.esm_class, sm.short_message.as_ref(), &sm.tlvs, None)
    }

    /// The receipt a `data_sm` carries: the text of its `message_payload` TLV (a user data
    /// header skipped) with its receipt TLVs, as [`Self::from_deliver_sm`] reads them.
    pub fn from_data_sm<B: AsRef<[u8]>>(sm: &'a DataSm<B>) -> Self {
        Self::from_parts(sm.esm_class, &[], &sm.tlvs, None)
    }

    /// Like [`Self::from_deliver_sm`], also reading a receipt text an MC sent in UCS-2: the
    /// text is parsed as [`DeliveryReceipt::parse_coded`] parses it in the `deliver_sm`'s
    /// `data_coding`, decoded into `buf` when it must be (twice the text's length, plus 3
    /// octets, is always enough).
    ///
    /// ```
    /// use smpp_core::receipt::{MessageState, Receipt};
    /// use smpp_core::{DataCoding, DeliverSm, EsmClass};
    ///
    /// let text = "id:0911897980 sub:001 dlvrd:001 stat:DELIVRD err:000 text:";
    /// let ucs2: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    /// let sm = DeliverSm {
    ///     esm_class: EsmClass::DELIVERY_RECEIPT,
    ///     data_coding: DataCoding(0x08),
    ///     short_message: &ucs2[..],
    ///     ..DeliverSm::default()
    /// };
    /// assert_eq!(Receipt::from_deliver_sm(&sm).message_id(), None);
    /// let mut buf = vec![0u8; 2 * ucs2.len()];
    /// let receipt = Receipt::from_deliver_sm_in(&sm, &mut buf);
    /// assert_eq!(receipt.message_id(), Some(&b"0911897980"[..]));
    /// assert_eq!(receipt.state(), Some(MessageState::DELIVERED));
    /// ```
    pub fn from_deliver_sm_in<B: AsRef<[u8]>>(sm: &'a DeliverSm<B>, buf: &'a mut [u8]) -> Self {
        let coded = Some((sm.data_coding, buf));
        Self::from_parts(sm.esm_class, sm.short_message.as_ref(), &sm.tlvs, coded)
    }

    /// Like [`Self::from_data_sm`], also reading a receipt text an MC sent in UCS-2, as
    /// [`Self::from_deliver_sm_in`] does.
    pub fn from_data_sm_in<B: AsRef<[u8]>>(sm: &'a DataSm<B>, buf: &'a mut [u8]) -> Self {
        Self::from_parts(sm.esm_class, &[], &sm.tlvs, Some((sm.data_coding, buf)))
    }

    /// The receipt of a message's parts; with `coded`, its text is parsed in that
    /// `data_coding`, decoded into that buffer if it must be.
    fn from_parts<B: AsRef<[u8]>>(
        esm_class: EsmClass,
        short_message: &'a [u8],
        tlvs: &'a Tlvs<B>,
        coded: Option<(DataCoding, &'a mut [u8])>,
    ) -> Self {
        let user_data = crate::text::user_data(short_message, tlvs);
        let text = if esm_class.udhi() {
            Udh::split(user_data).map_or(user_data, |(_, rest)| rest)
        } else {
            user_data
        };
        let text = match coded {
            Some((data_coding, buf)) => DeliveryReceipt::parse_coded(text, data_coding, buf),
            None => DeliveryReceipt::parse(text),
        };
        Self {
            text: text.ok(),
            receipted_message_id: tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.value),
            message_state: tlvs.get(TlvTag::MESSAGE_STATE).and_then(|t| t.as_u8()),
            network_error_code: tlvs
                .get(TlvTag::NETWORK_ERROR_CODE)
                .and_then(|t| match *t.value {
                    [network_type, a, b] => Some((network_type, u16::from_be_bytes([a, b]))),
                    _ => None,
                }),
        }
    }

    /// Whether anything identifies this as a receipt (a receipt text or a receipt TLV).
    pub fn is_receipt(&self) -> bool {
        self.text.is_some() || self.receipted_message_id.is_some() || self.message_state.is_some()
    }

    /// The `receipted_message_id` TLV's id: its value up to a NUL, `None` when that is empty.
    fn tlv_id(&self) -> Option<&'a [u8]> {
        self.receipted_message_id
            .map(strip_nul)
            .filter(|s| !s.is_empty())
    }

    /// The text's `id:`, `None` when it is empty (`id: stat:DELIVRD`).
    fn text_id(&self) -> Option<&'a [u8]> {
        self.text.and_then(|t| t.id).filter(|s| !s.is_empty())
    }

    /// The message id: the TLV if present, else the text's `id:`; an empty one (a TLV of only
    /// a NUL, an `id:` without a value) is no id.
    pub fn message_id(&self) -> Option<&'a [u8]> {
        self.tlv_id().or_else(|| self.text_id())
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
    /// unless both are present. An empty one (a TLV of only a NUL, an `id:` without a value)
    /// counts as absent, as in [`Self::message_id`].
    pub fn ids_agree(&self) -> Option<bool> {
        let text_id = self.text_id()?;
        let tlv = self.tlv_id()?;
        Some(ids_match(text_id, tlv))
    }
}

/// A delivery receipt to send: the message it reports, its state, error and dates, written as
/// the appendix B text ([`Self::write_text`]) and as the receipt TLVs ([`Self::push_tlvs`]),
/// or both at once into a `deliver_sm` ([`Self::deliver_sm`]). Dates come from timestamps
/// with [`ReceiptDate::from_unix_seconds`].
///
/// ```
/// use smpp_core::receipt::{MessageState, Receipt, ReceiptBuilder, ReceiptDate};
/// use smpp_core::{Body, COctet, DeliverSm, Pdu, TlvBuf};
///
/// let receipt = ReceiptBuilder {
///     network_error_code: Some((3, 6)), // GSM, error 6
///     submit_date: Some(ReceiptDate::from_unix_seconds(1_265_823_000, false)?),
///     done_date: Some(ReceiptDate::from_unix_seconds(1_265_823_060, false)?),
///     text: b"Hello from the ESME, this is long",
///     ..ReceiptBuilder::new(b"38601fa", MessageState::UNDELIVERABLE)
/// };
/// let template = DeliverSm {
///     source_addr: COctet::from("447700900123"),
///     destination_addr: COctet::from("40404"),
///     ..DeliverSm::default()
/// };
/// let (mut text, mut tlvs) = ([0u8; 160], TlvBuf::<96>::new());
/// let sm = receipt.deliver_sm(&template, &mut text, &mut tlvs)?;
/// assert_eq!(
///     sm.short_message,
///     b"id:38601fa sub:001 dlvrd:000 submit date:1002101730 done date:1002101731 stat:UNDELIV err:006 text:Hello from the ESME,"
/// );
/// assert!(sm.esm_class.is_delivery_receipt());
///
/// // It reads back as the same receipt.
/// let read = Receipt::from_deliver_sm(&sm);
/// assert_eq!(read.message_id(), Some(&b"38601fa"[..]));
/// assert_eq!(read.state(), Some(MessageState::UNDELIVERABLE));
/// assert_eq!(read.ids_agree(), Some(true));
/// let mut frame = [0u8; 256];
/// let n = Pdu::new(7, Body::DeliverSm(sm)).emit(&mut frame)?;
/// assert!(Pdu::parse(&frame[..n]).is_ok());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceiptBuilder<'a> {
    /// The `message_id` the MC gave the message (`id:` and `receipted_message_id`).
    pub message_id: &'a [u8],
    /// Its state (`stat:` and `message_state`).
    pub state: MessageState,
    /// The network type and error code (`err:` gets the code as three or more decimal digits,
    /// `000` when `None`; the `network_error_code` TLV is sent only when `Some`). Network
    /// types: 1 ANSI-136, 2 IS-95, 3 GSM, 4 ANSI-41.
    pub network_error_code: Option<(u8, u16)>,
    /// Messages submitted (`sub:`), 1 for a message to one address.
    pub submitted: u32,
    /// Messages delivered (`dlvrd:`).
    pub delivered: u32,
    /// When the message was submitted (`submit date:`, left out when `None`).
    pub submit_date: Option<ReceiptDate>,
    /// When it reached its state (`done date:`, left out when `None`).
    pub done_date: Option<ReceiptDate>,
    /// The start of the message (`text:`): its first 20 octets are written.
    pub text: &'a [u8],
}

/// Octets of the receipt text's `text:` field (appendix B).
const RECEIPT_TEXT_LEN: usize = 20;

/// `n` as at least three decimal digits, in `buf`.
fn padded_decimal(n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    let mut rest = n;
    while at > 0 && (rest > 0 || buf.len() - at < 3) {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            // `rest % 10` is a digit.
            *d = b'0' + u8::try_from(rest % 10).unwrap_or(0);
        }
        rest /= 10;
    }
    buf.get(at..).unwrap_or_default()
}

/// The digits of `date`, in `buf`.
fn date_digits(
    date: Option<ReceiptDate>,
    buf: &mut [u8; 12],
) -> Result<Option<&[u8]>, ReceiptError> {
    match date {
        Some(d) => {
            let n = d.format(buf)?;
            Ok(buf.get(..n))
        }
        None => Ok(None),
    }
}

impl<'a> ReceiptBuilder<'a> {
    /// A receipt for `message_id` in `state`: one message submitted, delivered if the state is
    /// [`MessageState::DELIVERED`], no error, dates or text.
    pub fn new(message_id: &'a [u8], state: MessageState) -> Self {
        Self {
            message_id,
            state,
            network_error_code: None,
            submitted: 1,
            delivered: u32::from(state == MessageState::DELIVERED),
            submit_date: None,
            done_date: None,
            text: &[],
        }
    }

    /// The receipt text's fields, handed to `f`; a state without a `stat:` text is written as
    /// `UNKNOWN`.
    fn with_fields<R>(&self, f: impl FnOnce(&DeliveryReceipt<'_>) -> R) -> Result<R, ReceiptError> {
        let (mut sub, mut dlvrd, mut err) = ([0u8; 10], [0u8; 10], [0u8; 10]);
        let (mut submit, mut done) = ([0u8; 12], [0u8; 12]);
        let code = self.network_error_code.map_or(0, |(_, code)| code);
        let text_len = self.text.len().min(RECEIPT_TEXT_LEN);
        let fields = DeliveryReceipt {
            id: Some(self.message_id),
            sub: Some(padded_decimal(self.submitted, &mut sub)),
            dlvrd: Some(padded_decimal(self.delivered, &mut dlvrd)),
            submit_date: date_digits(self.submit_date, &mut submit)?,
            done_date: date_digits(self.done_date, &mut done)?,
            stat: Some(self.state.stat().unwrap_or("UNKNOWN").as_bytes()),
            err: Some(padded_decimal(u32::from(code), &mut err)),
            text: self.text.get(..text_len),
        };
        Ok(f(&fields))
    }

    /// Writes the appendix B text (`id:... sub:... dlvrd:... submit date:... done date:...
    /// stat:... err:... text:...`) into `out` and returns its length ([`Self::text_len`]). A
    /// state without a `stat:` text is written as `UNKNOWN`.
    pub fn write_text(&self, out: &mut [u8]) -> Result<usize, ReceiptError> {
        self.with_fields(|fields| fields.format(out))?
    }

    /// The length of the text [`Self::write_text`] writes.
    // The method path is not general enough over the fields' lifetime.
    #[allow(clippy::redundant_closure_for_method_calls)]
    pub fn text_len(&self) -> usize {
        self.with_fields(|fields| fields.formatted_len())
            .unwrap_or(0)
    }

    /// Appends the receipt TLVs to `tlvs`: `receipted_message_id`, `message_state` and, when
    /// there is one, `network_error_code`. Fails if the message id holds a NUL or is longer
    /// than 64 octets, or if `tlvs` is full.
    pub fn push_tlvs<const N: usize>(&self, tlvs: &mut TlvBuf<N>) -> Result<(), Error> {
        tlvs.push_cstr(TlvTag::RECEIPTED_MESSAGE_ID, self.message_id)?;
        tlvs.push_u8(TlvTag::MESSAGE_STATE, self.state.0)?;
        if let Some((network_type, code)) = self.network_error_code {
            let [a, b] = code.to_be_bytes();
            tlvs.push(TlvTag::NETWORK_ERROR_CODE, &[network_type, a, b])?;
        }
        Ok(())
    }

    /// The `deliver_sm` that carries this receipt: `template` (addresses and the other fields)
    /// with the delivery receipt message type in `esm_class`, the receipt text (written into
    /// `text`) in `short_message`, and the template's TLVs followed by the receipt TLVs (built
    /// in `tlvs`). An MC sends it from the original destination to the original source.
    pub fn deliver_sm<'b, const N: usize>(
        &self,
        template: &DeliverSm<&'b [u8]>,
        text: &'b mut [u8],
        tlvs: &'b mut TlvBuf<N>,
    ) -> Result<DeliverSm<&'b [u8]>, Error> {
        let available = text.len();
        let len = self.write_text(text).map_err(|_| {
            Error::new(ErrorKind::BufferTooSmall {
                needed: self.text_len(),
                available,
            })
        })?;
        let text: &'b [u8] = text;
        tlvs.clear();
        for tlv in &template.tlvs {
            tlvs.push_tlv(tlv)?;
        }
        self.push_tlvs(tlvs)?;
        Ok(DeliverSm {
            esm_class: EsmClass(template.esm_class.0 & !0x3C | EsmClass::DELIVERY_RECEIPT.0),
            short_message: text.get(..len).unwrap_or_default(),
            tlvs: tlvs.tlvs(),
            ..*template
        })
    }
}
