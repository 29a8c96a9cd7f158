//! TLVs (tag, length, value): the optional parameters after the mandatory
//! fields (SMPP v5.0 3.2.1.5, 4.8).
//!
//! [`Tlvs`] is the raw TLV region of a PDU, validated once when the PDU is
//! parsed: every TLV fits, and every tag of the specification has a length
//! its rules allow. Iterating it then yields [`Tlv`] views in wire order,
//! duplicates and unknown or vendor tags included, without further checks or
//! copies. [`TlvBuf`] builds a TLV region in fixed capacity for encoding.
//!
//! # Which PDU may carry which TLV
//!
//! Decoding accepts any TLV in any PDU, as SMPP v5.0 2.11.1 asks of a
//! receiver. [`TlvTag::allowed_in`] tells whether the TLV tables of a
//! version list a tag for a `command_id`; [`Tlvs::check_allowed_in`] and
//! [`crate::Pdu::check_tlvs_allowed`] apply it to a whole region on
//! request, failing on the first TLV the PDU may not carry with
//! `ESME_RTLVNOTALLWD` (v3.4: `ESME_ROPTPARNOTALLWD`). Vendor and unknown
//! tags always pass.
//!
//! ```
//! use smpp_core::values::Version;
//! use smpp_core::{CommandStatus, Pdu};
//!
//! // deliver_sm_resp, sequence 3, carrying sc_interface_version = 0x34:
//! // a TLV of the bind responses.
//! let frame = [
//!     0, 0, 0, 22, 0x80, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 3, // header
//!     0, // message_id ""
//!     0x02, 0x10, 0, 1, 0x34, // sc_interface_version
//! ];
//! let pdu = Pdu::parse(&frame).unwrap(); // decoding is lenient
//! let err = pdu.check_tlvs_allowed(Version::V50).unwrap_err();
//! assert_eq!(err.command_status(), CommandStatus::ESME_RTLVNOTALLWD);
//! assert_eq!(
//!     err.to_string(),
//!     "deliver_sm_resp (sequence 3): TLV sc_interface_version: \
//!      not allowed in this PDU in SMPP v5.0 [ESME_RTLVNOTALLWD]"
//! );
//! ```

mod placement;
mod table;
mod tag;
mod value;

use table::spec_len_rule;
pub use table::{TlvTag, TlvValue};
pub use value::MsValidityTime;

use core::fmt;

use crate::command_id::CommandId;
use crate::error::{Error, ErrorKind, TlvProblem};
use crate::hex::Hex;
use crate::values::Version;
use crate::wire::emit::Emit;
use crate::wire::scan::has_nul;

/// The length rule of a known tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LenRule {
    /// Exactly this many octets.
    Exact(u16),
    /// Anywhere from `.0` to `.1` octets.
    Range(u16, u16),
    /// Either of two lengths.
    Either(u16, u16),
}

impl LenRule {
    pub(crate) const fn allows(self, len: usize) -> bool {
        match self {
            Self::Exact(n) => len == n as usize,
            Self::Range(lo, hi) => len >= lo as usize && len <= hi as usize,
            Self::Either(a, b) => len == a as usize || len == b as usize,
        }
    }

    const fn same(self, other: Self) -> bool {
        match (self, other) {
            (Self::Exact(a), Self::Exact(b)) => a == b,
            (Self::Range(a, b), Self::Range(c, d)) | (Self::Either(a, b), Self::Either(c, d)) => {
                a == c && b == d
            }
            _ => false,
        }
    }
}

/// The pages of 64 tags that hold a tag of the table: how many, and the
/// index of each page by `tag >> 6` (`u8::MAX` for pages without tags).
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
const PAGING: (usize, [u8; 1024]) = {
    let mut page_of = [u8::MAX; 1024];
    let mut count = 0;
    let mut t = 0;
    while t < TlvTag::ALL.len() {
        let page = (TlvTag::ALL[t].0 >> 6) as usize;
        if page_of[page] == u8::MAX {
            page_of[page] = count as u8;
            count += 1;
        }
        t += 1;
    }
    (count, page_of)
};

/// The first tag of each page of [`PAGING`].
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
const PAGES: [u16; PAGING.0] = {
    let mut pages = [0; PAGING.0];
    let mut page = 0;
    while page < PAGING.1.len() {
        if PAGING.1[page] != u8::MAX {
            pages[PAGING.1[page] as usize] = (page as u16) << 6;
        }
        page += 1;
    }
    pages
};

/// The distinct rules and how many there are, and per page, per tag, 1 +
/// the index of its rule among them (0 for none).
// Evaluated at compile time: an index out of range fails the build.
#[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
const RULES: ([LenRule; 32], usize, [[u8; 64]; PAGES.len()]) = {
    let mut list = [LenRule::Exact(0); 32];
    let mut count = 0;
    let mut codes = [[0; 64]; PAGES.len()];
    let mut p = 0;
    while p < PAGES.len() {
        let mut low = 0;
        while low < 64 {
            if let Some(rule) = spec_len_rule(PAGES[p] + low) {
                let mut k = 0;
                while k < count && !list[k].same(rule) {
                    k += 1;
                }
                if k == count {
                    list[count] = rule;
                    count += 1;
                }
                codes[p][low as usize] = k as u8 + 1;
            }
            low += 1;
        }
        p += 1;
    }
    (list, count, codes)
};

/// The length rule for a tag the specification defines; `None` for unknown tags (any
/// length). A table lookup built at compile time from the rules above.
#[inline]
pub(crate) fn len_rule(tag: TlvTag) -> Option<LenRule> {
    let page = *PAGING.1.get(usize::from(tag.0 >> 6))?;
    let code = *RULES
        .2
        .get(usize::from(page))?
        .get(usize::from(tag.0 & 63))?;
    RULES.0.get(usize::from(code).checked_sub(1)?).copied()
}

fn tlv_err(tag: TlvTag, problem: TlvProblem) -> Error {
    Error::new(ErrorKind::Tlv { tag, problem })
}

/// One TLV, borrowed from the PDU: its tag and value octets (the length
/// field is the value's length, not stored). The accessors read the value
/// as the integer or string its tag defines; [`Self::typed`] decodes it by
/// the tag's definition.
///
/// ```
/// use smpp_core::{Tlv, TlvBuf, TlvTag, TlvValue};
///
/// let tlv = Tlv::new(TlvTag::USER_MESSAGE_REFERENCE, &[0x00, 0x07]);
/// assert_eq!(tlv.encoded_len(), 4 + 2);
/// assert_eq!(tlv.as_u16(), Some(7));
/// assert_eq!(tlv.as_u8(), None); // two octets, not one
/// assert_eq!(tlv.typed(), TlvValue::UserMessageReference(7));
///
/// // Into a TLV region and back.
/// let mut buf = TlvBuf::<16>::new();
/// buf.push_tlv(tlv).unwrap();
/// assert_eq!(buf.tlvs().as_bytes(), [0x02, 0x04, 0x00, 0x02, 0x00, 0x07]);
/// assert_eq!(buf.tlvs().get(TlvTag::USER_MESSAGE_REFERENCE), Some(tlv));
///
/// // A C-Octet String value, read without its NUL.
/// let id = Tlv::new(TlvTag::RECEIPTED_MESSAGE_ID, b"38601fa\0");
/// assert_eq!(id.as_cstr(), b"38601fa");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: TlvTag,
    /// The value octets (the length field is their count).
    pub value: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// A TLV from its parts.
    pub const fn new(tag: TlvTag, value: &'a [u8]) -> Self {
        Self { tag, value }
    }

    /// Octets on the wire: tag, length and value.
    pub const fn encoded_len(&self) -> usize {
        4 + self.value.len()
    }

    /// The value as an Integer1, if it is one octet long.
    pub fn as_u8(&self) -> Option<u8> {
        match *self.value {
            [v] => Some(v),
            _ => None,
        }
    }

    /// The value as a big-endian Integer2, if it is two octets long.
    pub fn as_u16(&self) -> Option<u16> {
        self.value.try_into().ok().map(u16::from_be_bytes)
    }

    /// The value as a big-endian Integer4, if it is four octets long.
    pub fn as_u32(&self) -> Option<u32> {
        self.value.try_into().ok().map(u32::from_be_bytes)
    }

    /// The value as a C-Octet String: the octets before the first NUL (all of
    /// them if a lenient peer left the NUL out).
    pub fn as_cstr(&self) -> &'a [u8] {
        let end = self
            .value
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.value.len());
        self.value.get(..end).unwrap_or(self.value)
    }

    /// The typed value, by the tag's definition in the specification.
    pub fn typed(&self) -> TlvValue<'a> {
        TlvValue::from_tlv(*self)
    }
}

impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &self.tag)
            .field("value", &Hex(self.value))
            .finish()
    }
}

/// The TLV region of a PDU: validated on parse, iterated lazily.
///
/// ```
/// use smpp_core::{Tlvs, TlvTag};
///
/// // sar_msg_ref_num = 0x0042, sar_total_segments = 2
/// let raw = [0x02, 0x0c, 0, 2, 0x00, 0x42, 0x02, 0x0e, 0, 1, 2];
/// let tlvs = Tlvs::parse(&raw).unwrap();
/// assert_eq!(tlvs.iter().count(), 2);
/// assert_eq!(tlvs.get(TlvTag::SAR_MSG_REF_NUM).and_then(|t| t.as_u16()), Some(0x42));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tlvs<B> {
    raw: B,
}

impl<'a> Tlvs<&'a [u8]> {
    /// No TLVs.
    pub const EMPTY: Self = Self { raw: &[] };

    /// Validates a TLV region: each TLV has a full header and a value within
    /// the region, and each known tag a length its rule allows.
    #[inline]
    pub fn parse(raw: &'a [u8]) -> Result<Self, Error> {
        walk(raw, &[])?;
        Ok(Self { raw })
    }

    /// [`Self::parse`], and in the same walk over the octets: every tag of
    /// `required` is present, else `ESME_RMISSINGTLV` naming the first
    /// absent one (in the order of `required`).
    #[inline]
    pub(crate) fn parse_requiring<const N: usize>(
        raw: &'a [u8],
        required: &[TlvTag; N],
    ) -> Result<Self, Error> {
        all_seen(walk(raw, required)?, required)?;
        Ok(Self { raw })
    }
}

/// Walks a TLV region once: each TLV has a full header and a value within
/// the region, and each known tag a length its rule allows. Returns which
/// tags of `required` were seen: bit `k` for `required[k]`.
#[inline]
fn walk<const N: usize>(raw: &[u8], required: &[TlvTag; N]) -> Result<u8, Error> {
    const { assert!(N <= 8, "the mask has eight bits") };
    let mut rest = raw;
    let mut seen = 0u8;
    while !rest.is_empty() {
        let Some((head, tail)) = rest.split_first_chunk::<4>() else {
            let tag = match *rest {
                [a, b, ..] => TlvTag(u16::from_be_bytes([a, b])),
                _ => TlvTag(0),
            };
            return Err(tlv_err(
                tag,
                TlvProblem::Truncated {
                    remaining: rest.len(),
                },
            ));
        };
        let tag = TlvTag(u16::from_be_bytes([head[0], head[1]]));
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let Some((value, next)) = tail.split_at_checked(len) else {
            return Err(tlv_err(
                tag,
                TlvProblem::ValueOverrun {
                    len,
                    available: tail.len(),
                },
            ));
        };
        if let Some(rule) = len_rule(tag)
            && !rule.allows(value.len())
        {
            return Err(tlv_err(tag, TlvProblem::InvalidLength { len }));
        }
        // Empty for most PDUs: the loop is compiled away.
        for (k, &want) in required.iter().enumerate() {
            if tag == want {
                seen |= 1 << k;
            }
        }
        rest = next;
    }
    Ok(seen)
}

/// Fails with `ESME_RMISSINGTLV` for the first tag of `required` whose bit
/// is not set in `seen`.
#[inline]
fn all_seen<const N: usize>(seen: u8, required: &[TlvTag; N]) -> Result<(), Error> {
    match required
        .iter()
        .enumerate()
        .find(|&(k, _)| seen & (1 << k) == 0)
    {
        Some((_, &tag)) => Err(tlv_err(tag, TlvProblem::Missing)),
        None => Ok(()),
    }
}

impl<B> Tlvs<B> {
    /// Converts the storage (for example to an owned buffer of the same
    /// octets). `f` must return storage holding exactly the octets it was
    /// given.
    pub fn map<C>(self, f: impl FnOnce(B) -> C) -> Tlvs<C> {
        Tlvs { raw: f(self.raw) }
    }

    /// The storage of the raw region.
    pub fn into_inner(self) -> B {
        self.raw
    }
}

impl<B: AsRef<[u8]>> Tlvs<B> {
    /// The raw region, exactly as on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        self.raw.as_ref()
    }

    /// Borrows the region.
    pub fn as_ref(&self) -> Tlvs<&[u8]> {
        Tlvs {
            raw: self.as_bytes(),
        }
    }

    /// The TLVs in wire order.
    pub fn iter(&self) -> TlvIter<'_> {
        TlvIter {
            rest: self.as_bytes(),
        }
    }

    /// True if there are no TLVs.
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// Octets on the wire.
    pub fn encoded_len(&self) -> usize {
        self.as_bytes().len()
    }

    /// The first TLV with this tag.
    pub fn get(&self, tag: TlvTag) -> Option<Tlv<'_>> {
        self.iter().find(|t| t.tag == tag)
    }

    /// Every TLV with this tag, in wire order (some tags repeat, for example
    /// `broadcast_area_identifier` and `callback_num`).
    pub fn get_all(&self, tag: TlvTag) -> impl Iterator<Item = Tlv<'_>> {
        self.iter().filter(move |t| t.tag == tag)
    }

    /// The typed value of the first TLV with this tag.
    pub fn value(&self, tag: TlvTag) -> Option<TlvValue<'_>> {
        self.get(tag).map(|t| t.typed())
    }

    /// Checks the region again, as encoding does: storage given to
    /// [`Self::map`] could differ from what was parsed. The checks are those
    /// of [`Tlvs::parse`], per-tag length rules included, so what encodes
    /// also decodes.
    pub fn validate(&self) -> Result<(), Error> {
        walk(self.as_bytes(), &[]).map(|_| ())
    }

    /// Checks that a PDU of `command_id` may carry every TLV of the region
    /// in `version` ([`TlvTag::allowed_in`]): fails on the first TLV of a
    /// tag the specification defines that the PDU's TLV table does not
    /// list, with [`TlvProblem::NotAllowed`] (`ESME_RTLVNOTALLWD`). Vendor
    /// and unknown tags pass, and so does any TLV of a `command_id` the
    /// specification does not define. Decoding does not make this check;
    /// [`crate::Pdu::check_tlvs_allowed`] makes it for a decoded PDU.
    ///
    /// ```
    /// use smpp_core::values::Version;
    /// use smpp_core::{CommandId, CommandStatus, Tlvs};
    ///
    /// // user_message_reference = 7, a vendor TLV 0x1400.
    /// let raw = [0x02, 0x04, 0, 2, 0, 7, 0x14, 0x00, 0, 2, 0xBE, 0xEF];
    /// let tlvs = Tlvs::parse(&raw[..]).unwrap();
    /// assert!(tlvs.check_allowed_in(CommandId::SUBMIT_SM, Version::V34).is_ok());
    /// // query_broadcast_sm takes user_message_reference, cancel_sm does not.
    /// assert!(tlvs.check_allowed_in(CommandId::QUERY_BROADCAST_SM, Version::V50).is_ok());
    /// let err = tlvs.check_allowed_in(CommandId::CANCEL_SM, Version::V50).unwrap_err();
    /// assert_eq!(err.command_status(), CommandStatus::ESME_RTLVNOTALLWD);
    /// ```
    pub fn check_allowed_in(&self, command_id: CommandId, version: Version) -> Result<(), Error> {
        match self
            .iter()
            .find(|t| t.tag.allowed_in(command_id, version) == Some(false))
        {
            Some(t) => Err(tlv_err(t.tag, TlvProblem::NotAllowed { version })),
            None => Ok(()),
        }
    }

    /// The region as the body of a header-only PDU, for [`Emit`].
    pub(crate) fn encode<E: Emit>(&self, e: &mut E) {
        e.tlvs(self);
    }

    /// [`Self::validate`], and every tag of `required` is present (one walk).
    pub(crate) fn validate_requiring<const N: usize>(
        &self,
        required: &[TlvTag; N],
    ) -> Result<(), Error> {
        all_seen(walk(self.as_bytes(), required)?, required)
    }
}

impl<B: AsRef<[u8]>> fmt::Debug for Tlvs<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, B: AsRef<[u8]>> IntoIterator for &'a Tlvs<B> {
    type Item = Tlv<'a>;
    type IntoIter = TlvIter<'a>;
    fn into_iter(self) -> TlvIter<'a> {
        self.iter()
    }
}

/// Iterator over a validated TLV region ([`Tlvs::iter`], or `for tlv in
/// &tlvs`): yields each [`Tlv`] in wire order, duplicates and unknown or
/// vendor tags included, without copying.
///
/// ```
/// use smpp_core::{TlvTag, Tlvs};
///
/// // user_message_reference = 7, a vendor TLV 0x1400, sar_total_segments = 2.
/// let raw = [0x02, 0x04, 0, 2, 0, 7, 0x14, 0x00, 0, 2, 0xBE, 0xEF, 0x02, 0x0E, 0, 1, 2];
/// let tlvs = Tlvs::parse(&raw[..]).unwrap();
///
/// let mut iter = tlvs.iter();
/// assert_eq!(iter.next().and_then(|t| t.as_u16()), Some(7));
/// let vendor = iter.next().unwrap();
/// assert!(vendor.tag.is_vendor_specific());
/// assert_eq!(vendor.value, [0xBE, 0xEF]);
/// assert_eq!(iter.next().map(|t| t.tag), Some(TlvTag::SAR_TOTAL_SEGMENTS));
/// assert_eq!(iter.next(), None);
///
/// let tags: Vec<u16> = (&tlvs).into_iter().map(|t| t.tag.0).collect();
/// assert_eq!(tags, [0x0204, 0x1400, 0x020E]);
/// ```
#[derive(Clone, Debug)]
pub struct TlvIter<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Tlv<'a>;

    fn next(&mut self) -> Option<Tlv<'a>> {
        let (head, tail) = self.rest.split_first_chunk::<4>()?;
        let tag = TlvTag(u16::from_be_bytes([head[0], head[1]]));
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let Some((value, next)) = tail.split_at_checked(len) else {
            self.rest = &[];
            return None;
        };
        self.rest = next;
        Some(Tlv { tag, value })
    }
}

/// Builds a TLV region in a fixed capacity of `N` octets, for encoding.
///
/// ```
/// use smpp_core::{TlvBuf, TlvTag};
///
/// let mut buf = TlvBuf::<32>::new();
/// buf.push_u16(TlvTag::SAR_MSG_REF_NUM, 0x42).unwrap();
/// buf.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2).unwrap();
/// buf.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, 1).unwrap();
/// assert_eq!(buf.tlvs().iter().count(), 3);
/// // A length the tag's rule forbids is refused.
/// assert!(buf.push(TlvTag::SAR_TOTAL_SEGMENTS, &[1, 2]).is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TlvBuf<const N: usize> {
    buf: heapless::Vec<u8, N>,
}

impl<const N: usize> TlvBuf<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        Self {
            buf: heapless::Vec::new(),
        }
    }

    /// Appends a TLV. Fails, appending nothing, if the value's length breaks
    /// the tag's rule or exceeds 65535, or if the buffer is full.
    pub fn push(&mut self, tag: TlvTag, value: &[u8]) -> Result<(), Error> {
        self.append(tag, value, &[])
    }

    /// Appends a TLV whose value is `value` followed by `suffix`, checking
    /// the length of both together; appends nothing on failure.
    fn append(&mut self, tag: TlvTag, value: &[u8], suffix: &[u8]) -> Result<(), Error> {
        let value_len = value.len() + suffix.len();
        let len = u16::try_from(value_len)
            .map_err(|_| tlv_err(tag, TlvProblem::TooLong { len: value_len }))?;
        if let Some(rule) = len_rule(tag)
            && !rule.allows(value_len)
        {
            return Err(tlv_err(tag, TlvProblem::InvalidLength { len: value_len }));
        }
        let needed = self.room_for(4 + value_len)?;
        for part in [
            &tag.0.to_be_bytes()[..],
            &len.to_be_bytes()[..],
            value,
            suffix,
        ] {
            // Cannot fail: `needed` octets fit, checked above.
            self.buf
                .extend_from_slice(part)
                .map_err(|_| Self::too_small(needed))?;
        }
        Ok(())
    }

    /// The length of the buffer with `extra` more octets, or the error of
    /// a buffer too small for them.
    fn room_for(&self, extra: usize) -> Result<usize, Error> {
        let needed = self.buf.len() + extra;
        if needed > N {
            return Err(Self::too_small(needed));
        }
        Ok(needed)
    }

    /// The error of a buffer too small for `needed` octets.
    fn too_small(needed: usize) -> Error {
        Error::new(ErrorKind::BufferTooSmall {
            needed,
            available: N,
        })
    }

    /// Appends an Integer1 TLV. Fails as [`Self::push`] does: for a tag whose
    /// value has another length (`SAR_MSG_REF_NUM` takes
    /// 2 octets), or a full buffer.
    pub fn push_u8(&mut self, tag: TlvTag, value: u8) -> Result<(), Error> {
        self.push(tag, &[value])
    }

    /// Appends an Integer2 TLV. Fails as [`Self::push`] does: for a tag whose
    /// value has another length (`SAR_TOTAL_SEGMENTS` takes
    /// 1 octet), or a full buffer.
    pub fn push_u16(&mut self, tag: TlvTag, value: u16) -> Result<(), Error> {
        self.push(tag, &value.to_be_bytes())
    }

    /// Appends an Integer4 TLV. Fails as [`Self::push`] does: for a tag whose
    /// value has another length (`SAR_MSG_REF_NUM` takes
    /// 2 octets), or a full buffer.
    pub fn push_u32(&mut self, tag: TlvTag, value: u32) -> Result<(), Error> {
        self.push(tag, &value.to_be_bytes())
    }

    /// Appends a C-Octet String TLV: `value`, then the NUL this adds. The
    /// tag's length rule applies to the value with its NUL (`value.len() +
    /// 1` octets). Fails, appending nothing, if `value` holds a NUL, if that
    /// length breaks the rule or exceeds 65535, or if the buffer is full.
    ///
    /// ```
    /// use smpp_core::{TlvBuf, TlvTag};
    ///
    /// let mut buf = TlvBuf::<300>::new();
    /// // additional_status_info_text: 1 to 256 octets, NUL included.
    /// buf.push_cstr(TlvTag::ADDITIONAL_STATUS_INFO_TEXT, &[b'x'; 255]).unwrap();
    /// assert_eq!(buf.tlvs().as_bytes()[2..4], [1, 0]);
    /// assert!(buf.push_cstr(TlvTag::ADDITIONAL_STATUS_INFO_TEXT, &[b'x'; 256]).is_err());
    /// ```
    pub fn push_cstr(&mut self, tag: TlvTag, value: &[u8]) -> Result<(), Error> {
        if has_nul(value) {
            return Err(tlv_err(tag, TlvProblem::InvalidValue));
        }
        self.append(tag, value, &[0])
    }

    /// Appends a TLV, as [`Self::push`] does (and fails).
    pub fn push_tlv(&mut self, tlv: Tlv<'_>) -> Result<(), Error> {
        self.push(tlv.tag, tlv.value)
    }

    /// Appends a typed TLV. Fails, appending nothing, if the value breaks its
    /// rules (see [`TlvValue::validate`]) or the buffer is full.
    ///
    /// ```
    /// use smpp_core::{TlvBuf, TlvTag, TlvValue};
    ///
    /// let mut buf = TlvBuf::<32>::new();
    /// buf.push_value(&TlvValue::ReceiptedMessageId(b"38601fa")).unwrap();
    /// assert_eq!(buf.tlvs().as_bytes(), b"\x00\x1e\x00\x0838601fa\x00");
    /// assert_eq!(
    ///     buf.tlvs().value(TlvTag::RECEIPTED_MESSAGE_ID),
    ///     Some(TlvValue::ReceiptedMessageId(b"38601fa"))
    /// );
    /// ```
    pub fn push_value(&mut self, value: &TlvValue<'_>) -> Result<(), Error> {
        value.validate()?;
        let start = self.buf.len();
        let needed = self.room_for(value.encoded_len())?;
        self.buf
            .resize(needed, 0)
            .map_err(|_| Self::too_small(needed))?;
        let written = match self.buf.get_mut(start..) {
            Some(dst) => value.emit(dst),
            None => Err(Self::too_small(needed)),
        };
        if written.is_err() {
            self.buf.truncate(start);
        }
        written.map(|_| ())
    }

    /// The region built so far.
    pub fn tlvs(&self) -> Tlvs<&[u8]> {
        Tlvs { raw: &self.buf }
    }

    /// Removes every TLV.
    pub fn clear(&mut self) {
        self.buf.clear();
    }
}

#[cfg(test)]
mod len_rule_tests {
    use super::{PAGES, RULES, TlvTag, len_rule, spec_len_rule};

    #[test]
    fn the_table_agrees_with_the_rules_for_every_tag() {
        for tag in 0..=u16::MAX {
            assert_eq!(len_rule(TlvTag(tag)), spec_len_rule(tag), "tag {tag:#06x}");
        }
        assert!(RULES.1 < RULES.0.len());
        assert_eq!(PAGES.len(), 10);
    }
}
