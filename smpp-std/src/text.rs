//! Owned message text: a text or binary payload as the owned `submit_sm` (or `deliver_sm`)
//! PDUs that carry it, and received octets back as a [`String`].
//!
//! These wrap the allocation-free pieces of [`smpp_core::text`] (encoding choice, the
//! [`Splitter`], the decoders) so that an application does not write the segment loop itself.
//! A long message received in parts is put together by [`crate::reassembly`] and read with
//! [`decode_message`], which decodes each part with its own national language tables and
//! keeps a character cut between two parts whole; the example below decodes the parts this
//! crate made, which never cut one.
//!
//! ```
//! use smpp_core::text::split::Method;
//! use smpp_core::Body;
//! use smpp_std::SubmitSmBuilder;
//! use smpp_std::text::{decode_short_message, submit_sms_for_text};
//!
//! // The template is a builder's PDU; each part is a PDU to send as it is.
//! let template = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
//! let text = "Grüße aus Köln! ".repeat(12); // 192 GSM 7-bit characters: two parts
//! let pdus = submit_sms_for_text(&template, &text, &[], Method::Udh8 { reference: 7 })?;
//! assert_eq!(pdus.len(), 2);
//! let mut back = String::new();
//! for pdu in &pdus {
//!     if let Body::SubmitSm(sm) = &pdu.body {
//!         let part = decode_short_message(&sm.short_message, sm.esm_class.udhi(), sm.data_coding)?;
//!         back.push_str(&part.expect("a text coding"));
//!     }
//! }
//! assert_eq!(back, text);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use bytes::Bytes;
use smpp_core::text::choose::{Concatenation, choose_for};
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::split::{Content, Method, SplitError, SplitOptions, Splitter};
use smpp_core::text::udh::Udh;
use smpp_core::text::{self as core_text, OnUnmappable, TextError};
use smpp_core::{CommandId, DataCoding, Error, TlvBuf};

use crate::reassembly::Message;
use crate::{Body, Pdu, SubmitSm, parse_owned};

/// What the splitting functions take as the template of each part: the body
/// of a `submit_sm` or `deliver_sm`, or the PDU a builder made
/// ([`SubmitSmBuilder`](crate::SubmitSmBuilder)).
pub trait Template {
    /// The template's body; [`SplitPduError::NotAMessage`] for a PDU of
    /// another command.
    fn message(&self) -> Result<&SubmitSm, SplitPduError>;
}

impl Template for SubmitSm {
    fn message(&self) -> Result<&SubmitSm, SplitPduError> {
        Ok(self)
    }
}

impl Template for Pdu {
    fn message(&self) -> Result<&SubmitSm, SplitPduError> {
        match &self.body {
            Body::SubmitSm(sm) | Body::DeliverSm(sm) => Ok(sm),
            other => Err(SplitPduError::NotAMessage(other.command_id())),
        }
    }
}

/// Room for the TLVs of one part: the template's, a `message_payload` of up to 65535 octets and
/// the three SAR TLVs.
const TLV_ROOM: usize = 0x2_0000;

/// Errors from [`submit_sms`] and its relatives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SplitPduError {
    /// The content could not be split (unmappable character, too many segments, ...).
    #[error("splitting the message: {0}")]
    Split(#[from] SplitError),
    /// The template or a part's PDU is not a valid `submit_sm` / `deliver_sm`.
    #[error("building a part's PDU: {0}")]
    Pdu(#[from] Error),
    /// The template is a PDU of another command.
    #[error("a {0} is no template for a message")]
    NotAMessage(CommandId),
}

/// The `submit_sm` PDUs carrying `content`, split under `method`, one per segment.
///
/// Each PDU is `template` with `data_coding` set for the content, the UDHI bit of `esm_class`
/// set when the part has a user data header, the part in `short_message` (or, for
/// [`Method::Payload`], in a `message_payload` TLV), and for [`Method::Sar`] the three SAR TLVs
/// after the template's TLVs; see [`Splitter::submit_sm`]. The template's own `short_message`
/// is replaced. The PDUs carry `sequence_number` 0: a session numbers what it sends (number
/// them yourself to write them with [`SmppWriter`](crate::SmppWriter)). Every PDU is encoded and decoded again before it is returned, as the builders do. Content that
/// cannot be sent under `method` (more than 255 segments, or under [`Method::Payload`] more
/// than 65,535 octets: [`SplitError::MessagePayloadTooLong`]) is refused before any buffer is
/// made for it.
///
/// ```
/// use smpp_core::text::split::{Content, Method, SplitOptions};
/// use smpp_core::text::udh::{Ie, Udh};
/// use smpp_core::Body;
/// use smpp_std::text::submit_sms;
///
/// // A WAP push of 300 WSP octets to port 2948: three parts, each with ports and concatenation.
/// let wsp = vec![0x42u8; 300];
/// let ports = [Ie::Port16 { dest: 2948, src: 9200 }];
/// let options = SplitOptions { ies: &ports, ..SplitOptions::default() };
/// let template = smpp_std::SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
/// let pdus = submit_sms(&template, Content::Binary(&wsp), Method::Udh16 { reference: 0x1234 }, options)?;
/// assert_eq!(pdus.len(), 3);
/// for pdu in &pdus {
///     let Body::SubmitSm(sm) = &pdu.body else { panic!("a submit_sm") };
///     assert_eq!(sm.data_coding.0, 0x04);
///     assert!(sm.esm_class.udhi() && sm.short_message.len() <= 140);
///     let (udh, _) = Udh::split(&sm.short_message)?;
///     assert_eq!(udh.ports()?, Some((2948, 9200)));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn submit_sms(
    template: &impl Template,
    content: Content<'_>,
    method: Method,
    options: SplitOptions<'_>,
) -> Result<Vec<Pdu>, SplitPduError> {
    parts(template.message()?, content, method, options, false)
}

/// Like [`submit_sms`], making `deliver_sm` PDUs (the same body), as an MC sends a
/// mobile-originated message to an ESME.
pub fn deliver_sms(
    template: &impl Template,
    content: Content<'_>,
    method: Method,
    options: SplitOptions<'_>,
) -> Result<Vec<Pdu>, SplitPduError> {
    parts(template.message()?, content, method, options, true)
}

/// The `submit_sm` PDUs carrying `text` in the smallest encoding
/// ([`choose_for`]: GSM 7-bit with the default tables or the national shift tables of an
/// `allowed` language, else UCS-2), split under `method`; see [`submit_sms`].
pub fn submit_sms_for_text(
    template: &impl Template,
    text: &str,
    allowed: &[Language],
    method: Method,
) -> Result<Vec<Pdu>, SplitPduError> {
    let concatenation = match method {
        Method::Udh8 { .. } => Concatenation::Udh8,
        Method::Udh16 { .. } => Concatenation::Udh16,
        Method::Sar { .. } => Concatenation::Sar,
        Method::Payload => Concatenation::Payload,
    };
    let encoding = choose_for(text, allowed, concatenation);
    submit_sms(
        template,
        Content::Text(text, encoding),
        method,
        SplitOptions::default(),
    )
}

fn parts(
    template: &SubmitSm,
    content: Content<'_>,
    method: Method,
    options: SplitOptions<'_>,
    deliver: bool,
) -> Result<Vec<Pdu>, SplitPduError> {
    let splitter = Splitter::with_options(content, method, options)?;
    // The template as borrowed fields, which is what the splitter fills in.
    let template = smpp_core::Pdu::new(0, smpp_core::Body::SubmitSm(template.clone()));
    let mut wire = vec![0u8; template.encoded_len()];
    template.emit(&mut wire)?;
    let smpp_core::Body::SubmitSm(borrowed) = smpp_core::Pdu::parse(&wire)?.body else {
        unreachable!("a submit_sm decodes as a submit_sm");
    };
    let content_len = match content {
        Content::Text(t, _) | Content::PackedGsm7(t, _) => t.len().saturating_mul(2),
        Content::Binary(b) => b.len(),
    };
    // A header of at most 256 octets, then at most two octets per byte of text.
    let mut data = vec![0u8; content_len.saturating_add(256)];
    let mut tlvs = Box::new(TlvBuf::<TLV_ROOM>::new());
    let mut out = Vec::with_capacity(splitter.total());
    for n in 0..splitter.total() {
        let segment = splitter.segment(n, &mut data)?;
        let sm = splitter.submit_sm(&segment, &borrowed, &data[..segment.len], &mut tlvs)?;
        let body = if deliver {
            smpp_core::Body::DeliverSm(sm)
        } else {
            smpp_core::Body::SubmitSm(sm)
        };
        // The session numbers what it sends: 0 here.
        let pdu = smpp_core::Pdu::new(0, body);
        pdu.body
            .validate()
            .map_err(|e| e.with_header(pdu.header()))?;
        let mut frame = vec![0u8; pdu.encoded_len()];
        pdu.emit(&mut frame)?;
        out.push(parse_owned(&Bytes::from(frame))?);
    }
    Ok(out)
}

/// Errors from [`decode_short_message`]: a malformed user data header or text that does not
/// decode (the same type as [`smpp_core::text::decode_short_message_into`]'s).
pub use smpp_core::text::DecodeError;

/// The text of `octets` (user data without a header) by its `data_coding`, as a [`String`];
/// `None` when the coding is not text this crate decodes (binary, compressed, ...). See
/// [`smpp_core::text::decode`] for the codings and the errors; this is [`decode_to_string_with`]
/// under [`OnUnmappable::Error`].
///
/// ```
/// use smpp_core::DataCoding;
/// use smpp_core::text::gsm7::Tables;
/// use smpp_std::text::decode_to_string;
///
/// let s = decode_to_string(DataCoding(0x08), Tables::DEFAULT, &[0x04, 0x1F, 0x04, 0x40]);
/// assert_eq!(s, Some(Ok("Пр".to_string())));
/// assert_eq!(decode_to_string(DataCoding(0x04), Tables::DEFAULT, b"\x00"), None);
/// ```
pub fn decode_to_string(
    data_coding: DataCoding,
    tables: Tables,
    octets: &[u8],
) -> Option<Result<String, TextError>> {
    decode_to_string_with(data_coding, tables, octets, OnUnmappable::Error)
}

/// Like [`decode_to_string`], with a policy for what does not decode: under
/// [`OnUnmappable::Replace`] the result is never an error, each error of [`decode_to_string`]
/// becoming `'?'` (a GSM 7-bit code with nothing assigned) or U+FFFD (octets not valid in their
/// coding: lone surrogates, an odd last UCS-2 octet, IA5 or GSM octets above 0x7F, a final GSM
/// escape); see [`smpp_core::text::decode_with`].
///
/// ```
/// use smpp_core::DataCoding;
/// use smpp_core::text::{OnUnmappable, gsm7::Tables};
/// use smpp_std::text::decode_to_string_with;
///
/// let broken = [0x04, 0x1F, 0xD8, 0x00, 0x04, 0x40];
/// let s = decode_to_string_with(DataCoding(0x08), Tables::DEFAULT, &broken, OnUnmappable::Replace);
/// assert_eq!(s, Some(Ok("П\u{FFFD}р".to_string())));
/// ```
pub fn decode_to_string_with(
    data_coding: DataCoding,
    tables: Tables,
    octets: &[u8],
    policy: OnUnmappable,
) -> Option<Result<String, TextError>> {
    core_text::decode_with(data_coding, tables, octets, policy).map(Iterator::collect)
}

/// The text of a received `short_message` (or `message_payload`): the user data header, when
/// `udhi` says there is one, is skipped and its national language shift elements select the
/// GSM 7-bit tables; the rest decodes by `data_coding` as in [`decode_to_string`]. `Ok(None)`
/// for codings that are not text. This is [`decode_short_message_with`] under
/// [`OnUnmappable::Error`].
///
/// ```
/// use smpp_core::DataCoding;
/// use smpp_std::text::decode_short_message;
///
/// // A Turkish single shift element (0x24, language 1): 0x1B 0x67 is 'ğ'.
/// let sm = [0x03, 0x24, 0x01, 0x01, 0x61, 0x1B, 0x67];
/// assert_eq!(decode_short_message(&sm, true, DataCoding(0))?, Some("ağ".to_string()));
/// # Ok::<(), smpp_std::text::DecodeError>(())
/// ```
pub fn decode_short_message(
    short_message: &[u8],
    udhi: bool,
    data_coding: DataCoding,
) -> Result<Option<String>, DecodeError> {
    decode_short_message_with(short_message, udhi, data_coding, OnUnmappable::Error)
}

/// Like [`decode_short_message`], with a policy for text that does not decode (see
/// [`decode_to_string_with`]). Under [`OnUnmappable::Replace`] the only error is a malformed
/// user data header ([`DecodeError::Udh`]): the text itself always decodes.
///
/// ```
/// use smpp_core::DataCoding;
/// use smpp_core::text::OnUnmappable;
/// use smpp_std::text::decode_short_message_with;
///
/// // IA5 with an octet above 0x7F.
/// let text = decode_short_message_with(b"caf\xE9", false, DataCoding(0x01), OnUnmappable::Replace)?;
/// assert_eq!(text, Some("caf\u{FFFD}".to_string()));
/// # Ok::<(), smpp_std::text::DecodeError>(())
/// ```
pub fn decode_short_message_with(
    short_message: &[u8],
    udhi: bool,
    data_coding: DataCoding,
    policy: OnUnmappable,
) -> Result<Option<String>, DecodeError> {
    let chars = core_text::short_message_chars(short_message, udhi, data_coding, policy)?;
    Ok(chars.map(Iterator::collect).transpose()?)
}

/// The text of a reassembled message (see [`crate::reassembly`]) by its `data_coding`, as
/// [`decode_message_with`] reads it under [`OnUnmappable::Error`].
pub fn decode_message(
    message: &Message,
    data_coding: DataCoding,
) -> Result<Option<String>, DecodeError> {
    decode_message_with(message, data_coding, OnUnmappable::Error)
}

/// The text of a reassembled message by its `data_coding`, with a policy for text that does
/// not decode (see [`decode_to_string_with`]); `Ok(None)` for codings that are not text.
///
/// Each part of GSM 7-bit text is decoded with the tables its own user data header names (a
/// national language shift applies to its segment only, TS 23.038 annex C); an escape that
/// ends a part, from a sender that cut an extension character in two, is decoded with the
/// first septet of the next part. Other codings are decoded from the parts joined, so that a
/// UTF-16 surrogate pair cut between two parts (as handsets send an emoji) is one character.
/// A malformed header is [`DecodeError::Udh`].
///
/// ```
/// use std::time::Instant;
/// use bytes::Bytes;
/// use smpp_core::DataCoding;
/// use smpp_std::reassembly::{Config, Outcome, Reassembler};
/// use smpp_std::text::decode_message;
///
/// // Two parts of "😀" in UCS-2: the surrogate pair D83D DE00 cut between them.
/// let mut r = Reassembler::new(Config::default());
/// let now = Instant::now();
/// let part = |n: u8, units: &[u8]| Bytes::from([&[5, 0x00, 3, 7, 2, n][..], units].concat());
/// r.insert_short_message(now, "esme-1", b"4477", b"404", part(1, &[0xD8, 0x3D]), true)?;
/// let Outcome::Complete(message) =
///     r.insert_short_message(now, "esme-1", b"4477", b"404", part(2, &[0xDE, 0x00]), true)?
/// else {
///     panic!()
/// };
/// assert_eq!(decode_message(&message, DataCoding(0x08))?, Some("😀".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_message_with(
    message: &Message,
    data_coding: DataCoding,
    policy: OnUnmappable,
) -> Result<Option<String>, DecodeError> {
    let tables = message
        .headers
        .iter()
        .map(|h| match Udh::split(h) {
            Ok((udh, _)) => udh.tables(),
            // A part without a header.
            Err(_) if h.is_empty() => Ok(Tables::DEFAULT),
            Err(e) => Err(e),
        })
        .chain(core::iter::repeat(Ok(Tables::DEFAULT)));
    let parts = message
        .parts
        .iter()
        .zip(tables)
        .map(|(payload, tables)| Ok((tables?, &payload[..])))
        .collect::<Result<Vec<_>, DecodeError>>()?;
    let octets: usize = message.parts.iter().map(Bytes::len).sum();
    let mut out = vec![0u8; octets.saturating_mul(3).saturating_add(3)];
    let text = core_text::decode_parts_into(parts, data_coding, policy, &mut out)?;
    Ok(text.map(str::to_owned))
}
