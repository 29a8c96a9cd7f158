//! `tokio_util::codec` support (feature `tokio`).

use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

use crate::frame::{Frame, FrameDecoder};
use crate::io::StreamError;

/// A codec for `tokio_util::codec::Framed`: decodes [`Frame`]s, encodes
/// any PDU (owned [`crate::Pdu`] or a borrowed `smpp_core::Pdu<&[u8]>`,
/// by value or by reference).
///
/// Encoding reserves the PDU's length in the write buffer and emits straight
/// into it. A PDU that breaks a field rule is refused with
/// [`StreamError::Encode`] and leaves the buffer as it was.
///
/// ```
/// use bytes::BytesMut;
/// use smpp_core::{Body, CommandId, Pdu};
/// use smpp_std::SmppCodec;
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = SmppCodec::new();
/// let mut buf = BytesMut::new();
/// codec.encode(Pdu::<&[u8]>::new(4, Body::EnquireLink), &mut buf).unwrap();
/// let frame = codec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(frame.header.command_id, CommandId::ENQUIRE_LINK);
/// assert_eq!(frame.header.sequence_number, 4);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SmppCodec {
    decoder: FrameDecoder,
}

impl SmppCodec {
    /// A codec with the default maximum `command_length`.
    pub const fn new() -> Self {
        Self {
            decoder: FrameDecoder::new(),
        }
    }

    /// A codec framing with `decoder`.
    pub const fn with_decoder(decoder: FrameDecoder) -> Self {
        Self { decoder }
    }
}

impl Decoder for SmppCodec {
    type Item = Frame;
    type Error = StreamError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, StreamError> {
        self.decoder.decode(src).map_err(StreamError::Framing)
    }
}

fn encode_into<B: AsRef<[u8]>>(
    pdu: &smpp_core::Pdu<B>,
    dst: &mut BytesMut,
) -> Result<(), StreamError> {
    let len = pdu.encoded_len();
    dst.reserve(len);
    let start = dst.len();
    dst.resize(start + len, 0);
    let tail = dst.get_mut(start..).unwrap_or_default();
    if let Err(e) = pdu.emit(tail) {
        dst.truncate(start);
        return Err(StreamError::Encode(e));
    }
    Ok(())
}

impl<B: AsRef<[u8]>> Encoder<smpp_core::Pdu<B>> for SmppCodec {
    type Error = StreamError;

    fn encode(&mut self, pdu: smpp_core::Pdu<B>, dst: &mut BytesMut) -> Result<(), StreamError> {
        encode_into(&pdu, dst)
    }
}

impl<B: AsRef<[u8]>> Encoder<&smpp_core::Pdu<B>> for SmppCodec {
    type Error = StreamError;

    fn encode(&mut self, pdu: &smpp_core::Pdu<B>, dst: &mut BytesMut) -> Result<(), StreamError> {
        encode_into(pdu, dst)
    }
}
