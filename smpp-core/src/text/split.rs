//! Splitting a text or binary payload into `submit_sm` segments without allocating.
//!
//! A [`Splitter`] measures the content once and then writes any segment's `short_message` octets
//! (user data header, if any, followed by the encoded part) into a caller buffer with
//! [`Splitter::segment`]. Segments are cut on character boundaries only, so a GSM escape pair or a
//! UTF-16 surrogate pair is never split.
//!
//! ```
//! use smpp_core::text::choose::Encoding;
//! use smpp_core::text::gsm7::Tables;
//! use smpp_core::text::split::{Content, Method, Splitter};
//!
//! let text = "x".repeat(200);
//! let s = Splitter::new(Content::Text(&text, Encoding::Gsm7(Tables::DEFAULT)), Method::Udh8 { reference: 7 })?;
//! assert_eq!(s.total(), 2);
//! let mut out = [0u8; 255];
//! let seg = s.segment(0, &mut out)?;
//! assert!(seg.udhi);
//! assert_eq!(&out[..6], &[0x05, 0x00, 0x03, 7, 2, 1]);
//! assert_eq!(seg.len, 6 + 153);
//! # Ok::<(), smpp_core::text::split::SplitError>(())
//! ```

use core::fmt;

use crate::{DataCoding, Error, SubmitSm, TlvBuf, TlvTag};

use super::choose::{Concatenation, Encoding, Parts, capacities, fits_one_part, udh_len};
use super::gsm7::{self, Language, Packer};
use super::udh::{
    IEI_CONCAT_8, IEI_CONCAT_16, IEI_LOCKING_SHIFT, IEI_SINGLE_SHIFT, Ie, UdhBuilder, UdhError,
};
use super::{OnUnmappable, TextError, latin1, ucs2};

/// Errors from splitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SplitError {
    /// The text cannot be encoded.
    Text(TextError),
    /// The header could not be written.
    Udh(UdhError),
    /// More than 255 segments would be needed.
    TooManySegments,
    /// The segment index is not below [`Splitter::total`].
    NoSuchSegment,
    /// The output buffer is too small.
    BufferTooSmall,
    /// An element of [`SplitOptions::ies`] that the splitter writes itself: concatenation
    /// (0x00, 0x08) or national language shift (0x24, 0x25).
    ReservedIe(u8),
    /// The user data header leaves no room for a character of the content.
    HeaderTooLong,
    /// Under [`Method::Payload`], the user data (header included) would be longer than the
    /// [`MAX_MESSAGE_PAYLOAD`] octets a `message_payload` TLV holds.
    MessagePayloadTooLong {
        /// Octets the `message_payload` value would need.
        len: usize,
    },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(e) => write!(f, "text: {e}"),
            Self::Udh(e) => write!(f, "user data header: {e}"),
            Self::TooManySegments => f.write_str("message needs more than 255 segments"),
            Self::NoSuchSegment => f.write_str("segment index out of range"),
            Self::BufferTooSmall => f.write_str("output buffer too small"),
            Self::ReservedIe(iei) => write!(
                f,
                "information element 0x{iei:02X} is written by the splitter itself"
            ),
            Self::HeaderTooLong => f.write_str("user data header leaves no room for the content"),
            Self::MessagePayloadTooLong { len } => write!(
                f,
                "message_payload would hold {len} octets, more than {MAX_MESSAGE_PAYLOAD}"
            ),
        }
    }
}

impl core::error::Error for SplitError {}

impl From<TextError> for SplitError {
    fn from(e: TextError) -> Self {
        match e {
            TextError::BufferTooSmall => Self::BufferTooSmall,
            e => Self::Text(e),
        }
    }
}

impl From<UdhError> for SplitError {
    fn from(e: UdhError) -> Self {
        match e {
            UdhError::BufferTooSmall => Self::BufferTooSmall,
            e => Self::Udh(e),
        }
    }
}

/// Octets a `message_payload` TLV (0x0424) holds at most: its length field is 16 bits.
pub const MAX_MESSAGE_PAYLOAD: usize = 65_535;

/// What to split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Content<'a> {
    /// A text, encoded unpacked (GSM septets one per octet, as SMPP MCs expect for `data_coding` 0).
    Text(&'a str, Encoding),
    /// A GSM 7-bit text packed 8-in-7 after the header's fill bits (for MCs that want packed data).
    ///
    /// Padding follows TS 23.038 6.1.2.3.1: when a part would end with 7 spare bits, a carriage
    /// return (0x0D) fills them so the receiver does not read a spurious `'@'`; when a part ends
    /// with a carriage return of the text on an octet boundary, a second one is added (with one
    /// zero bit), so that the receiver, which drops a final CR as padding, keeps the text's CR.
    /// Parts are cut so that this second CR always fits.
    PackedGsm7(&'a str, gsm7::Tables),
    /// Octets with no character meaning (`data_coding` 0x04), split anywhere.
    Binary(&'a [u8]),
}

/// How the parts are tied together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Concatenation element with an 8-bit reference in each part's UDH.
    Udh8 {
        /// The reference number, the same for every part of the message.
        reference: u8,
    },
    /// Concatenation element with a 16-bit reference in each part's UDH.
    Udh16 {
        /// The reference number.
        reference: u16,
    },
    /// No concatenation element: the caller sends `sar_msg_ref_num` (0x020C),
    /// `sar_total_segments` (0x020E) and `sar_segment_seqnum` (0x020F) from [`Segment::sar`].
    Sar {
        /// The `sar_msg_ref_num` value.
        reference: u16,
    },
    /// Never split: the whole content goes in one `message_payload` TLV, so it may take
    /// [`MAX_MESSAGE_PAYLOAD`] octets at most, header included
    /// ([`SplitError::MessagePayloadTooLong`] otherwise).
    Payload,
}

impl Method {
    const fn concatenation(self) -> Concatenation {
        match self {
            Self::Udh8 { .. } => Concatenation::Udh8,
            Self::Udh16 { .. } => Concatenation::Udh16,
            Self::Sar { .. } => Concatenation::Sar,
            Self::Payload => Concatenation::Payload,
        }
    }
}

/// The SAR TLV values for one segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sar {
    /// `sar_msg_ref_num` (TLV 0x020C).
    pub msg_ref_num: u16,
    /// `sar_total_segments` (TLV 0x020E).
    pub total_segments: u8,
    /// `sar_segment_seqnum` (TLV 0x020F), from 1.
    pub segment_seqnum: u8,
}

/// One written segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Octets written to the output buffer (header plus body): the `sm_length`.
    pub len: usize,
    /// Length of the user data header at the start of the output (0 if none).
    pub udh_len: usize,
    /// Whether `esm_class` must have the UDHI bit (0x40) set.
    pub udhi: bool,
    /// Units in the body: septets (padding included) for GSM, octets, or UTF-16 units.
    pub units: usize,
    /// Sequence number from 1.
    pub seq: u8,
    /// Total number of segments.
    pub total: u8,
    /// SAR values to send as TLVs, for [`Method::Sar`] messages of more than one part.
    pub sar: Option<Sar>,
}

/// Options of [`Splitter::with_options`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SplitOptions<'a> {
    /// Information elements written in every part's header, after the concatenation and
    /// national language shift elements, and counted in each part's capacity (for example
    /// [`Ie::Port16`] for application port addressing). Concatenation and shift elements are
    /// the splitter's own and are refused with [`SplitError::ReservedIe`].
    pub ies: &'a [Ie<'a>],
    /// What to do with a character the encoding cannot hold: [`OnUnmappable::Error`] (the
    /// default) fails with [`SplitError::Text`]; [`OnUnmappable::Replace`] writes `'?'` in its
    /// place (one unit; GSM 7-bit 0x3F, Latin-1 0x3F). UCS-2 holds every character.
    pub on_unmappable: OnUnmappable,
}

/// Splits one message; see the [module documentation](self).
///
/// # Memory
///
/// A `Splitter` has no parameters and takes 1,080 octets on 64-bit targets and 1,056 on
/// 32-bit ones (Arm Cortex-M), most of it the end of each of up to 255 parts, found once; the
/// content it splits is borrowed. A segment is written into the caller's buffer (at most 255
/// octets for a `short_message`). The sizes are those of `rustc` 1.95 and are held by a test.
#[derive(Debug, Clone, Copy)]
pub struct Splitter<'a> {
    content: Content<'a>,
    method: Method,
    ies: &'a [Ie<'a>],
    policy: OnUnmappable,
    total: u8,
    per_part: usize,
    /// For a text of more than one part, where each part ends.
    ends: PartEnds,
}

/// The byte offsets in a text where its parts end, found once so that writing a segment does
/// not cut the text again from its start.
#[derive(Clone, Copy)]
struct PartEnds {
    len: u8,
    ends: [u32; 255],
}

impl PartEnds {
    const NONE: Self = Self {
        len: 0,
        ends: [0; 255],
    };

    /// The ends of the parts of `text` of at most `cap` units; [`SplitError::TooManySegments`]
    /// past 255 parts.
    fn of(text: &str, cap: usize, enc: Encoding, packed: bool) -> Result<Self, SplitError> {
        let mut out = Self::NONE;
        for (_, end) in Parts::new(text, cap, enc, packed) {
            // More than 255 parts, or a text above 4 GiB, which cannot fit 255 parts either.
            let slot = out
                .ends
                .get_mut(usize::from(out.len))
                .ok_or(SplitError::TooManySegments)?;
            *slot = u32::try_from(end).map_err(|_| SplitError::TooManySegments)?;
            out.len += 1;
        }
        Ok(out)
    }

    /// The byte range of part `n`.
    fn range(&self, n: usize) -> Option<(usize, usize)> {
        let ends = self.ends.get(..usize::from(self.len))?;
        let start = match n.checked_sub(1) {
            Some(prev) => *ends.get(prev)?,
            None => 0,
        };
        let end = *ends.get(n)?;
        Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
    }
}

impl fmt::Debug for PartEnds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.ends.iter().take(usize::from(self.len)))
            .finish()
    }
}

impl<'a> Splitter<'a> {
    /// Measures `content` and prepares to split it under `method`, failing on characters the
    /// encoding cannot hold; see [`with_options`](Self::with_options).
    pub fn new(content: Content<'a>, method: Method) -> Result<Self, SplitError> {
        Self::with_options(content, method, SplitOptions::default())
    }

    /// Measures `content` and prepares to split it under `method`, with other header elements in
    /// every part and a policy for unmappable characters.
    ///
    /// ```
    /// use smpp_core::text::split::{Content, Method, SplitOptions, Splitter};
    /// use smpp_core::text::udh::{Ie, Udh};
    ///
    /// // A WAP push: WSP octets to port 2948 from port 9200, 128 octets per part.
    /// let wsp = [0x5Au8; 300];
    /// let ports = [Ie::Port16 { dest: 2948, src: 9200 }];
    /// let options = SplitOptions { ies: &ports, ..SplitOptions::default() };
    /// let s = Splitter::with_options(Content::Binary(&wsp), Method::Udh8 { reference: 1 }, options)?;
    /// assert_eq!(s.total(), 3);
    /// let mut out = [0u8; 140];
    /// let seg = s.segment(0, &mut out)?;
    /// assert_eq!(&out[..12], &[11, 0x00, 0x03, 1, 3, 1, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0]);
    /// assert_eq!(seg.len, 140);
    /// let (udh, _) = Udh::split(&out[..seg.len])?;
    /// assert_eq!(udh.ports()?, Some((2948, 9200)));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn with_options(
        content: Content<'a>,
        method: Method,
        options: SplitOptions<'a>,
    ) -> Result<Self, SplitError> {
        let policy = options.on_unmappable;
        if let Some(ie) = options.ies.iter().find(|ie| {
            matches!(
                ie.iei(),
                IEI_CONCAT_8 | IEI_CONCAT_16 | IEI_SINGLE_SHIFT | IEI_LOCKING_SHIFT
            )
        }) {
            return Err(SplitError::ReservedIe(ie.iei()));
        }
        let extra = options
            .ies
            .iter()
            .try_fold(0usize, |n, ie| n.checked_add(ie.encoded_len()))
            .filter(|&n| n < 255)
            .ok_or(SplitError::HeaderTooLong)?;
        let enc = encoding(content);
        let packed = matches!(content, Content::PackedGsm7(..));
        let units = match content {
            Content::Text(t, _) | Content::PackedGsm7(t, _) => enc.units_with(t, policy)?,
            Content::Binary(b) => b.len(),
        };
        let conc = method.concatenation();
        if matches!(conc, Concatenation::Payload) {
            let len = payload_len(content, units, udh_len(enc.shift_ie_len() + extra));
            if len > MAX_MESSAGE_PAYLOAD {
                return Err(SplitError::MessagePayloadTooLong { len });
            }
        }
        let (single_cap, part_cap) = capacities(enc, conc, extra);
        // The widest character: an escape pair or a surrogate pair.
        let widest = if matches!(content, Content::Binary(_)) {
            1
        } else {
            2
        };
        let fits_one = |cap: usize| match content {
            Content::Binary(b) => b.len() <= cap.max(1),
            Content::Text(t, _) | Content::PackedGsm7(t, _) => fits_one_part(t, cap, enc, packed),
        };
        let mut ends = PartEnds::NONE;
        let (total, per_part) = if matches!(conc, Concatenation::Payload) {
            (1, usize::MAX)
        } else if single_cap >= widest && fits_one(single_cap) {
            (1, single_cap)
        } else if part_cap >= widest {
            match content {
                Content::Binary(b) => (b.len().div_ceil(part_cap).max(1), part_cap),
                Content::Text(t, _) | Content::PackedGsm7(t, _) => {
                    ends = PartEnds::of(t, part_cap, enc, packed)?;
                    (usize::from(ends.len), part_cap)
                }
            }
        } else {
            return Err(SplitError::HeaderTooLong);
        };
        let total = u8::try_from(total).map_err(|_| SplitError::TooManySegments)?;
        Ok(Self {
            content,
            method,
            ies: options.ies,
            policy,
            total,
            per_part,
            ends,
        })
    }

    /// Number of segments.
    pub const fn total(&self) -> usize {
        self.total as usize
    }

    /// The `data_coding` value to send with the segments.
    pub const fn data_coding(&self) -> u8 {
        match self.content {
            Content::Text(_, e) => e.data_coding(),
            Content::PackedGsm7(..) => 0x00,
            Content::Binary(_) => 0x04,
        }
    }

    /// The byte range of segment `n` within the content.
    fn range(&self, n: usize) -> Option<(usize, usize)> {
        match self.content {
            Content::Binary(b) => {
                let start = n.checked_mul(self.per_part)?;
                (n < self.total())
                    .then(|| (start, start.saturating_add(self.per_part).min(b.len())))
            }
            Content::Text(t, _) | Content::PackedGsm7(t, _) if self.total == 1 => {
                (n == 0).then_some((0, t.len()))
            }
            Content::Text(..) | Content::PackedGsm7(..) => self.ends.range(n),
        }
    }

    /// Writes segment `n` (from 0) into `out` and describes it.
    ///
    /// # Errors
    ///
    /// [`SplitError::NoSuchSegment`] for `n` not below [`Self::total`];
    /// [`SplitError::BufferTooSmall`] when `out` is shorter than the segment (255 octets hold
    /// any segment of a `short_message`; under [`Method::Payload`] the one segment is the whole
    /// content). A character the encoding cannot hold under [`OnUnmappable::Error`] was
    /// refused by [`Self::new`] already.
    pub fn segment(&self, n: usize, out: &mut [u8]) -> Result<Segment, SplitError> {
        if n >= self.total() {
            return Err(SplitError::NoSuchSegment);
        }
        let (start, end) = self.range(n).ok_or(SplitError::NoSuchSegment)?;
        let seq = u8::try_from(n + 1).map_err(|_| SplitError::NoSuchSegment)?;
        let multi = self.total > 1;
        let mut udh = 0usize;
        let enc = encoding(self.content);
        let concat_ie = match self.method {
            Method::Udh8 { reference } if multi => Some(Ie::Concat8 {
                reference,
                total: self.total,
                seq,
            }),
            Method::Udh16 { reference } if multi => Some(Ie::Concat16 {
                reference,
                total: self.total,
                seq,
            }),
            _ => None,
        };
        let tables = match enc {
            Encoding::Gsm7(t) => Some(t),
            _ => None,
        };
        let shifts = tables.map(|t| (t.single(), t.locking()));
        let needs_udh = concat_ie.is_some() || enc.shift_ie_len() > 0 || !self.ies.is_empty();
        if needs_udh {
            let mut b = UdhBuilder::new(out)?;
            if let Some(ie) = concat_ie {
                b.push(ie)?;
            }
            if let Some((single, locking)) = shifts {
                if single != Language::Default {
                    b.push(Ie::SingleShift(single.id()))?;
                }
                if locking != Language::Default {
                    b.push(Ie::LockingShift(locking.id()))?;
                }
            }
            for ie in self.ies {
                b.push(*ie)?;
            }
            udh = b.finish();
        }
        let body = out.get_mut(udh..).ok_or(SplitError::BufferTooSmall)?;
        let (written, units) = match self.content {
            Content::Binary(b) => {
                let src = b.get(start..end).ok_or(SplitError::NoSuchSegment)?;
                body.get_mut(..src.len())
                    .ok_or(SplitError::BufferTooSmall)?
                    .copy_from_slice(src);
                (src.len(), src.len())
            }
            Content::Text(t, e) => {
                let part = t.get(start..end).ok_or(SplitError::NoSuchSegment)?;
                match e {
                    Encoding::Gsm7(tb) => {
                        let w = gsm7::encode_unpacked(part, tb, self.policy, body)?;
                        (w, w)
                    }
                    Encoding::Latin1 => {
                        let w = latin1::encode_latin1(part, self.policy, body)?;
                        (w, w)
                    }
                    Encoding::Ucs2 => {
                        let w = ucs2::encode(part, body)?;
                        (w, w / 2)
                    }
                }
            }
            Content::PackedGsm7(t, tb) => {
                let part = t.get(start..end).ok_or(SplitError::NoSuchSegment)?;
                pack_text(part, tb, self.policy, gsm7::fill_bits_for_udh(udh), body)?
            }
        };
        let sar = match self.method {
            Method::Sar { reference } if multi => Some(Sar {
                msg_ref_num: reference,
                total_segments: self.total,
                segment_seqnum: seq,
            }),
            _ => None,
        };
        Ok(Segment {
            len: udh + written,
            udh_len: udh,
            udhi: needs_udh,
            units,
            seq,
            total: self.total,
            sar,
        })
    }

    /// The indexes of the segments, `0..total()`, to pass to [`Self::segment`]; nothing is
    /// written until then. Each segment is written into a buffer of the caller's, so reuse one
    /// buffer and send each segment before writing the next:
    ///
    /// ```
    /// use smpp_core::text::choose::Encoding;
    /// use smpp_core::text::split::{Content, Method, Splitter};
    ///
    /// let text = "x".repeat(200);
    /// let s = Splitter::new(Content::Text(&text, Encoding::Gsm7(Default::default())), Method::Udh8 { reference: 1 })?;
    /// let mut buf = [0u8; 255];
    /// let mut sent = 0;
    /// for n in s.segments() {
    ///     let segment = s.segment(n, &mut buf)?;
    ///     sent += segment.len - segment.udh_len; // send &buf[..segment.len] here
    /// }
    /// assert_eq!(sent, 200);
    /// # Ok::<(), smpp_core::text::split::SplitError>(())
    /// ```
    pub fn segments(&self) -> impl Iterator<Item = usize> + use<> {
        0..self.total()
    }

    /// Makes the `submit_sm` (or `deliver_sm`, same body) that carries a
    /// segment written by [`Self::segment`].
    ///
    /// `data` is the segment's octets (`&out[..segment.len]`). The result is
    /// `template` with `data_coding` set, the UDHI bit of `esm_class` set when
    /// the segment has a header, the data in `short_message` (or, for
    /// [`Method::Payload`], in a `message_payload` TLV with `sm_length` 0),
    /// and the template's TLVs followed by the three SAR TLVs for
    /// [`Method::Sar`]. The TLVs are built in `tlvs`, which must hold them.
    ///
    /// ```
    /// use smpp_core::text::choose::Encoding;
    /// use smpp_core::text::split::{Content, Method, Splitter};
    /// use smpp_core::{Body, COctet, Pdu, SubmitSm, TlvBuf, TlvTag};
    ///
    /// let text = "Ünïcödé ".repeat(12); // needs UCS-2: 96 units, 2 parts
    /// let splitter = Splitter::new(Content::Text(&text, Encoding::Ucs2), Method::Sar { reference: 9 })?;
    /// let template = SubmitSm { destination_addr: COctet::from("447700900123"), ..SubmitSm::default() };
    /// let (mut data, mut tlvs, mut frame) = ([0u8; 255], TlvBuf::<64>::new(), [0u8; 512]);
    /// let segment = splitter.segment(1, &mut data)?;
    /// let sm = splitter.submit_sm(&segment, &template, &data[..segment.len], &mut tlvs)?;
    /// assert_eq!(sm.data_coding.0, 0x08);
    /// assert_eq!(sm.tlvs.get(TlvTag::SAR_SEGMENT_SEQNUM).and_then(|t| t.as_u8()), Some(2));
    /// let n = Pdu::new(2, Body::SubmitSm(sm)).emit(&mut frame)?;
    /// assert!(Pdu::parse(&frame[..n]).is_ok());
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn submit_sm<'b, const N: usize>(
        &self,
        segment: &Segment,
        template: &SubmitSm<&'b [u8]>,
        data: &'b [u8],
        tlvs: &'b mut TlvBuf<N>,
    ) -> Result<SubmitSm<&'b [u8]>, Error> {
        tlvs.clear();
        for tlv in &template.tlvs {
            tlvs.push_tlv(tlv)?;
        }
        let payload = matches!(self.method, Method::Payload);
        if payload {
            tlvs.push(TlvTag::MESSAGE_PAYLOAD, data)?;
        }
        if let Some(sar) = segment.sar {
            tlvs.push_u16(TlvTag::SAR_MSG_REF_NUM, sar.msg_ref_num)?;
            tlvs.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, sar.total_segments)?;
            tlvs.push_u8(TlvTag::SAR_SEGMENT_SEQNUM, sar.segment_seqnum)?;
        }
        let esm_class = if segment.udhi {
            template.esm_class.with_udhi()
        } else {
            template.esm_class
        };
        Ok(SubmitSm {
            esm_class,
            data_coding: DataCoding(self.data_coding()),
            short_message: if payload { &[] } else { data },
            tlvs: tlvs.tlvs(),
            ..*template
        })
    }
}

/// Octets of the one part of a [`Method::Payload`] message: a header of `udh` octets, then
/// `units` units of `content` as [`Splitter::segment`] writes them.
fn payload_len(content: Content<'_>, units: usize, udh: usize) -> usize {
    let body = match content {
        Content::Text(_, Encoding::Ucs2) => units.saturating_mul(2),
        Content::Text(..) | Content::Binary(_) => units,
        Content::PackedGsm7(t, _) => {
            let fill = gsm7::fill_bits_for_udh(udh);
            gsm7::packed_len(
                units.saturating_add(usize::from(cr_pad(t, units, fill))),
                fill,
            )
        }
    };
    body.saturating_add(udh)
}

/// Whether a packed text of `septets` septets after `fill` bits takes a padding carriage return
/// (TS 23.038 6.1.2.3.1): 7 spare bits at the end, or a final CR of the text on an octet boundary.
fn cr_pad(text: &str, septets: usize, fill: u8) -> bool {
    let end_bits = (septets % 8 * 7 + usize::from(fill)) % 8;
    end_bits == 1 || (end_bits == 0 && text.ends_with('\r'))
}

const fn encoding(content: Content<'_>) -> Encoding {
    match content {
        Content::Text(_, e) => e,
        Content::PackedGsm7(_, t) => Encoding::Gsm7(t),
        // Octets are sized like Latin-1: one unit per octet.
        Content::Binary(_) => Encoding::Latin1,
    }
}

/// Packs `text` after `fill` bits, with the CR padding of TS 23.038 6.1.2.3.1: a CR in 7 spare
/// bits at the end, or a second CR after a final CR that ends on an octet boundary.
fn pack_text(
    text: &str,
    tables: gsm7::Tables,
    policy: OnUnmappable,
    fill: u8,
    out: &mut [u8],
) -> Result<(usize, usize), TextError> {
    let text_septets = Encoding::Gsm7(tables).units_with(text, policy)?;
    let fill_bits = usize::from(fill);
    let pad = cr_pad(text, text_septets, fill);
    let septets = text_septets + usize::from(pad);
    let len = gsm7::packed_len(septets, fill);
    let dst = out.get_mut(..len).ok_or(TextError::BufferTooSmall)?;
    let mut packer = Packer::new(dst, fill_bits);
    packer.push_text(text, tables, policy)?;
    if pad {
        packer.push(0x0D);
    }
    packer.finish();
    Ok((len, septets))
}

#[cfg(test)]
mod tests {
    //! Part boundaries found once against cutting the text again for every segment.

    use std::vec;
    use std::vec::Vec;

    use proptest::prelude::*;

    use super::super::testing::tables_and_text;
    use super::*;

    /// Segment count and ranges as found by cutting the content from its start each time.
    fn cut_from_the_start(
        content: Content<'_>,
        method: Method,
        extra: usize,
    ) -> Result<Vec<(usize, usize)>, SplitError> {
        let enc = encoding(content);
        let packed = matches!(content, Content::PackedGsm7(..));
        let (single_cap, part_cap) = capacities(enc, method.concatenation(), extra);
        let parts = |cap: usize| match content {
            Content::Binary(b) => b.len().div_ceil(cap.max(1)).max(1),
            Content::Text(t, _) | Content::PackedGsm7(t, _) => {
                Parts::new(t, cap, enc, packed).count()
            }
        };
        let widest = if matches!(content, Content::Binary(_)) {
            1
        } else {
            2
        };
        let (total, per_part) = if matches!(method, Method::Payload) {
            (1, usize::MAX)
        } else if single_cap >= widest && parts(single_cap) == 1 {
            (1, single_cap)
        } else if part_cap >= widest {
            (parts(part_cap), part_cap)
        } else {
            return Err(SplitError::HeaderTooLong);
        };
        if total > 255 {
            return Err(SplitError::TooManySegments);
        }
        Ok((0..total)
            .map(|n| match content {
                Content::Binary(b) => (n * per_part, (n * per_part + per_part).min(b.len())),
                Content::Text(t, _) | Content::PackedGsm7(t, _) => {
                    Parts::new(t, per_part, enc, packed).nth(n).unwrap()
                }
            })
            .collect())
    }

    fn methods() -> impl Strategy<Value = Method> {
        prop_oneof![
            any::<u8>().prop_map(|reference| Method::Udh8 { reference }),
            any::<u16>().prop_map(|reference| Method::Udh16 { reference }),
            any::<u16>().prop_map(|reference| Method::Sar { reference }),
            Just(Method::Payload),
        ]
    }

    proptest! {
        #[test]
        fn segments_are_the_parts_cut_from_the_start(
            (tables, text) in tables_and_text(),
            kind in 0u8..5,
            method in methods(),
            filler in prop_oneof![Just(None), (0usize..140).prop_map(Some)],
        ) {
            let content = match kind {
                0 => Content::Text(&text, Encoding::Gsm7(tables)),
                1 => Content::Text(&text, Encoding::Ucs2),
                2 => Content::Text(&text, Encoding::Latin1),
                3 => Content::PackedGsm7(&text, tables),
                _ => Content::Binary(text.as_bytes()),
            };
            let data = vec![0u8; filler.unwrap_or(0)];
            let ie = [Ie::Other { iei: 0x70, data: &data }];
            let ies: &[Ie<'_>] = if filler.is_some() { &ie } else { &[] };
            let extra = ies.iter().map(Ie::encoded_len).sum();
            let options = SplitOptions { ies, on_unmappable: OnUnmappable::Replace };
            let expected = cut_from_the_start(content, method, extra);
            match Splitter::with_options(content, method, options) {
                Ok(splitter) => {
                    let ranges = expected.expect("the splitter found parts");
                    prop_assert_eq!(splitter.total(), ranges.len());
                    for (n, &range) in ranges.iter().enumerate() {
                        prop_assert_eq!(splitter.range(n), Some(range));
                    }
                    prop_assert_eq!(splitter.range(ranges.len()), None);
                }
                Err(e) => prop_assert_eq!(Err(e), expected),
            }
        }
    }
}
