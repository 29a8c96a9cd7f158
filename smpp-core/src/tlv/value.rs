//! Typed TLV values: the codecs that read each kind of value from its octets
//! and lay it out again, and the encoding of a [`TlvValue`] (its variants
//! come from the table, `table.rs`).

use core::marker::PhantomData;

use super::{LenRule, Tlv, TlvTag, TlvValue};
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind, TlvProblem};
use crate::fields::TIME_LEN;
use crate::values::{DataCoding, InterfaceVersion, MessageState, Npi, Ton};

/// The optional period of an `ms_validity` TLV (v5.0 4.8.4.39, octets 2-4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MsValidityTime {
    /// Time unit: 0 seconds, 1 minutes, 2 hours, 3 days, 4 weeks, 5 months,
    /// 6 years (other values reserved).
    pub time_unit: u8,
    /// Number of units.
    pub number: u16,
}

/// Octets the fixed part of a value may have (`dest_addr_np_information`).
const HEAD_MAX: usize = 10;

/// How a value is laid out on the wire: a fixed head, a borrowed tail, and a
/// NUL after the tail for C-Octet Strings.
#[derive(Clone, Copy)]
pub(super) struct Layout<'a> {
    head: [u8; HEAD_MAX],
    head_len: usize,
    tail: &'a [u8],
    nul: bool,
}

impl<'a> Layout<'a> {
    /// A fixed value of `N` octets.
    fn head<const N: usize>(octets: [u8; N]) -> Self {
        Self::with_tail(octets, &[])
    }

    /// `N` fixed octets, then `tail`.
    fn with_tail<const N: usize>(octets: [u8; N], tail: &'a [u8]) -> Self {
        const { assert!(N <= HEAD_MAX) };
        let mut head = [0; HEAD_MAX];
        if let Some(dst) = head.get_mut(..N) {
            dst.copy_from_slice(&octets);
        }
        Self {
            head,
            head_len: N,
            tail,
            nul: false,
        }
    }

    /// Octets as they are.
    pub(super) fn octets(tail: &'a [u8]) -> Self {
        Self::with_tail([], tail)
    }

    /// A C-Octet String: `text`, then its NUL.
    fn cstr(text: &'a [u8]) -> Self {
        Self {
            nul: true,
            ..Self::octets(text)
        }
    }

    fn head_octets(&self) -> &[u8] {
        self.head.get(..self.head_len).unwrap_or_default()
    }

    /// Octets on the wire.
    const fn len(&self) -> usize {
        self.head_len + self.tail.len() + self.nul as usize
    }
}

/// One kind of TLV value: how it reads from the value octets of a TLV whose
/// length its tag's rule allows, and how it is laid out again.
pub(super) trait Codec<'a> {
    /// The value: one field of a variant, or a tuple of its fields.
    type Value: Copy;

    /// The value, `None` if the octets do not read as one.
    fn read(octets: &'a [u8], rule: LenRule) -> Option<Self::Value>;

    /// The value's octets.
    fn layout(value: Self::Value) -> Layout<'a>;

    /// Whether the value keeps the rules beyond its length (checked before
    /// encoding).
    fn valid(_value: Self::Value) -> bool {
        true
    }
}

/// A big-endian integer of its width, or an open newtype over one.
pub(super) trait Integer: Copy {
    /// Reads exactly [`Self::LEN`] octets.
    fn read(octets: &[u8]) -> Option<Self>;
    /// The octets.
    fn layout<'a>(self) -> Layout<'a>;
}

macro_rules! integer {
    ($($ty:ty => $repr:ty),* $(,)?) => {$(
        impl Integer for $ty {
            fn read(octets: &[u8]) -> Option<Self> {
                octets.try_into().ok().map(<$repr>::from_be_bytes).map(Self::from)
            }
            fn layout<'a>(self) -> Layout<'a> {
                Layout::head(<$repr>::from(self).to_be_bytes())
            }
        }
    )*};
}

integer!(
    u8 => u8,
    u16 => u16,
    u32 => u32,
    InterfaceVersion => u8,
    MessageState => u8,
    CommandStatus => u32,
);

/// An Integer1, Integer2 or Integer4 value.
pub(super) struct Int<T>(PhantomData<T>);

impl<'a, T: Integer> Codec<'a> for Int<T> {
    type Value = T;
    fn read(octets: &'a [u8], _: LenRule) -> Option<T> {
        T::read(octets)
    }
    fn layout(value: T) -> Layout<'a> {
        value.layout()
    }
}

/// Octets as they are.
pub(super) struct Octets;

impl<'a> Codec<'a> for Octets {
    type Value = &'a [u8];
    fn read(octets: &'a [u8], _: LenRule) -> Option<&'a [u8]> {
        Some(octets)
    }
    fn layout(value: &'a [u8]) -> Layout<'a> {
        Layout::octets(value)
    }
}

/// A fixed number of octets.
pub(super) struct Array<const N: usize>;

impl<'a, const N: usize> Codec<'a> for Array<N> {
    type Value = [u8; N];
    fn read(octets: &'a [u8], _: LenRule) -> Option<[u8; N]> {
        octets.try_into().ok()
    }
    fn layout(value: [u8; N]) -> Layout<'a> {
        Layout::head(value)
    }
}

/// A C-Octet String, held without its NUL. A value without NUL is read as
/// long as the value with a NUL still fits the rule; a value with a NUL
/// before its last octet does not read.
pub(super) struct CStr;

impl<'a> Codec<'a> for CStr {
    type Value = &'a [u8];
    fn read(octets: &'a [u8], rule: LenRule) -> Option<&'a [u8]> {
        match octets.iter().position(|&b| b == 0) {
            Some(nul) if nul + 1 == octets.len() => octets.get(..nul),
            Some(_) => None,
            None => rule.allows(octets.len() + 1).then_some(octets),
        }
    }
    fn layout(value: &'a [u8]) -> Layout<'a> {
        Layout::cstr(value)
    }
}

/// An absolute SMPP time in a C-Octet String: [`TIME_LEN`] characters.
pub(super) struct AbsoluteTime;

impl<'a> Codec<'a> for AbsoluteTime {
    type Value = &'a [u8];
    fn read(octets: &'a [u8], rule: LenRule) -> Option<&'a [u8]> {
        CStr::read(octets, rule).filter(|time| time.len() == TIME_LEN)
    }
    fn layout(value: &'a [u8]) -> Layout<'a> {
        Layout::cstr(value)
    }
    fn valid(value: &'a [u8]) -> bool {
        value.len() == 16
    }
}

/// An Integer1, then octets.
pub(super) struct IntOctets;

impl<'a> Codec<'a> for IntOctets {
    type Value = (u8, &'a [u8]);
    fn read(octets: &'a [u8], _: LenRule) -> Option<(u8, &'a [u8])> {
        octets.split_first().map(|(&first, rest)| (first, rest))
    }
    fn layout((first, rest): (u8, &'a [u8])) -> Layout<'a> {
        Layout::with_tail([first], rest)
    }
}

/// An Integer1, then an Integer2.
pub(super) struct IntInt;

impl<'a> Codec<'a> for IntInt {
    type Value = (u8, u16);
    fn read(octets: &'a [u8], _: LenRule) -> Option<(u8, u16)> {
        match *octets {
            [a, b, c] => Some((a, u16::from_be_bytes([b, c]))),
            _ => None,
        }
    }
    fn layout((a, v): (u8, u16)) -> Layout<'a> {
        let [b, c] = v.to_be_bytes();
        Layout::head([a, b, c])
    }
}

/// `source_telematics_id`: one octet, or two.
pub(super) struct Telematics;

impl<'a> Codec<'a> for Telematics {
    type Value = (u8, Option<u8>);
    fn read(octets: &'a [u8], _: LenRule) -> Option<(u8, Option<u8>)> {
        match *octets {
            [protocol_id] => Some((protocol_id, None)),
            [protocol_id, reserved] => Some((protocol_id, Some(reserved))),
            _ => None,
        }
    }
    fn layout((protocol_id, reserved): (u8, Option<u8>)) -> Layout<'a> {
        match reserved {
            None => Layout::head([protocol_id]),
            Some(r) => Layout::head([protocol_id, r]),
        }
    }
}

/// `broadcast_rep_num`: two octets, or the one-octet form.
pub(super) struct RepNum;

impl<'a> Codec<'a> for RepNum {
    type Value = (u16, bool);
    fn read(octets: &'a [u8], _: LenRule) -> Option<(u16, bool)> {
        match *octets {
            [n] => Some((u16::from(n), true)),
            [a, b] => Some((u16::from_be_bytes([a, b]), false)),
            _ => None,
        }
    }
    fn layout((number, one_octet): (u16, bool)) -> Layout<'a> {
        let [high, low] = number.to_be_bytes();
        if one_octet {
            Layout::head([low])
        } else {
            Layout::head([high, low])
        }
    }
    fn valid((number, one_octet): (u16, bool)) -> bool {
        !one_octet || number <= 0xFF
    }
}

/// `callback_num_atag`: empty, or a `data_coding` octet then the text.
pub(super) struct Atag;

impl<'a> Codec<'a> for Atag {
    type Value = (Option<DataCoding>, &'a [u8]);
    fn read(octets: &'a [u8], _: LenRule) -> Option<Self::Value> {
        Some(match octets.split_first() {
            None => (None, octets),
            Some((&dc, text)) => (Some(DataCoding(dc)), text),
        })
    }
    fn layout((data_coding, text): Self::Value) -> Layout<'a> {
        match data_coding {
            Some(dc) => Layout::with_tail([dc.0], text),
            None => Layout::octets(text),
        }
    }
    fn valid((data_coding, text): Self::Value) -> bool {
        data_coding.is_some() || text.is_empty()
    }
}

/// `callback_num`: digit mode, TON, NPI, then the digits.
pub(super) struct CallbackNumber;

impl<'a> Codec<'a> for CallbackNumber {
    type Value = (u8, Ton, Npi, &'a [u8]);
    fn read(octets: &'a [u8], _: LenRule) -> Option<Self::Value> {
        match *octets {
            [digit_mode, ton, npi, ref number @ ..] => {
                Some((digit_mode, Ton(ton), Npi(npi), number))
            }
            _ => None,
        }
    }
    fn layout((digit_mode, ton, npi, number): Self::Value) -> Layout<'a> {
        Layout::with_tail([digit_mode, ton.0, npi.0], number)
    }
}

/// `ms_validity`: the behaviour, then (v5.0) a period.
pub(super) struct Validity;

impl<'a> Codec<'a> for Validity {
    type Value = (u8, Option<MsValidityTime>);
    fn read(octets: &'a [u8], _: LenRule) -> Option<Self::Value> {
        match *octets {
            [behaviour] => Some((behaviour, None)),
            [behaviour, time_unit, a, b] => Some((
                behaviour,
                Some(MsValidityTime {
                    time_unit,
                    number: u16::from_be_bytes([a, b]),
                }),
            )),
            _ => None,
        }
    }
    fn layout((behaviour, period): Self::Value) -> Layout<'a> {
        match period {
            None => Layout::head([behaviour]),
            Some(p) => {
                let [a, b] = p.number.to_be_bytes();
                Layout::head([behaviour, p.time_unit, a, b])
            }
        }
    }
}

/// No octet, or an Integer1.
pub(super) struct OptionalInt;

impl<'a> Codec<'a> for OptionalInt {
    type Value = Option<u8>;
    fn read(octets: &'a [u8], _: LenRule) -> Option<Option<u8>> {
        match *octets {
            [] => Some(None),
            [a] => Some(Some(a)),
            _ => None,
        }
    }
    fn layout(value: Option<u8>) -> Layout<'a> {
        match value {
            None => Layout::octets(&[]),
            Some(a) => Layout::head([a]),
        }
    }
}

/// `its_session_info`: the session number, then the sequence number in
/// bits 7-1 and the end-of-session flag in bit 0.
pub(super) struct ItsSession;

impl<'a> Codec<'a> for ItsSession {
    type Value = (u8, u8, bool);
    fn read(octets: &'a [u8], _: LenRule) -> Option<Self::Value> {
        match *octets {
            [session_number, b] => Some((session_number, b >> 1, b & 1 == 1)),
            _ => None,
        }
    }
    fn layout((session_number, sequence_number, end): Self::Value) -> Layout<'a> {
        Layout::head([session_number, (sequence_number << 1) | u8::from(end)])
    }
    fn valid((_, sequence_number, _): Self::Value) -> bool {
        sequence_number <= 0x7F
    }
}

fn tlv_err(tag: TlvTag, problem: TlvProblem) -> Error {
    Error::new(ErrorKind::Tlv { tag, problem })
}

impl<'a> TlvValue<'a> {
    /// Types a TLV by its tag. Never fails: see [`TlvValue::Unknown`].
    pub fn from_tlv(tlv: Tlv<'a>) -> Self {
        Self::typed(tlv).unwrap_or(Self::Unknown(tlv.tag, tlv.value))
    }

    /// Octets of the value on the wire (the TLV's length field).
    pub fn encoded_value_len(&self) -> usize {
        self.layout().0.len()
    }

    /// Octets of the whole TLV on the wire: tag, length and value.
    pub fn encoded_len(&self) -> usize {
        4 + self.encoded_value_len()
    }

    /// Checks the value as encoding does: its length fits the tag's rule
    /// and 65535 octets, C-Octet Strings hold no NUL, `broadcast_end_time`
    /// has 16 characters, and fields packed into fewer bits fit them.
    pub fn validate(&self) -> Result<(), Error> {
        let tag = self.tag();
        let (layout, valid) = self.layout();
        let len = layout.len();
        if len > usize::from(u16::MAX) {
            return Err(tlv_err(tag, TlvProblem::TooLong { len }));
        }
        if super::len_rule(tag).is_some_and(|rule| !rule.allows(len)) {
            return Err(tlv_err(tag, TlvProblem::InvalidLength { len }));
        }
        if !valid || (layout.nul && layout.tail.contains(&0)) {
            return Err(tlv_err(tag, TlvProblem::InvalidValue));
        }
        Ok(())
    }

    /// Writes the value octets (no tag, no length) to the start of `out`,
    /// returning how many were written ([`Self::encoded_value_len`]).
    ///
    /// Fails, writing nothing, if the value breaks its rules (see
    /// [`Self::validate`]) or `out` is too short.
    pub fn write_value(&self, out: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let (layout, _) = self.layout();
        let len = layout.len();
        let available = out.len();
        let Some(dst) = out.get_mut(..len) else {
            return Err(Error::new(ErrorKind::BufferTooSmall {
                needed: len,
                available,
            }));
        };
        let head = layout.head_octets();
        let (dst_head, rest) = dst.split_at_mut(head.len());
        dst_head.copy_from_slice(head);
        let (dst_tail, dst_nul) = rest.split_at_mut(layout.tail.len());
        dst_tail.copy_from_slice(layout.tail);
        dst_nul.fill(0);
        Ok(len)
    }

    /// Writes the whole TLV (tag, length, value) to the start of `out`,
    /// returning how many octets were written ([`Self::encoded_len`]).
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        self.validate()?;
        let value_len = self.encoded_value_len();
        let needed = 4 + value_len;
        let available = out.len();
        let (Some(dst), Ok(len16)) = (out.get_mut(..needed), u16::try_from(value_len)) else {
            return Err(Error::new(ErrorKind::BufferTooSmall { needed, available }));
        };
        let (head, value) = dst.split_at_mut(4);
        let [t0, t1] = self.tag().0.to_be_bytes();
        let [l0, l1] = len16.to_be_bytes();
        head.copy_from_slice(&[t0, t1, l0, l1]);
        self.write_value(value)?;
        Ok(needed)
    }
}

impl<'a> From<Tlv<'a>> for TlvValue<'a> {
    fn from(tlv: Tlv<'a>) -> Self {
        Self::from_tlv(tlv)
    }
}
