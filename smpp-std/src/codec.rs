//! `tokio_util::codec` support (feature `tokio`).

use bytes::BytesMut;
use smpp_core::Error;
use tokio_util::codec::{Decoder, Encoder};

use crate::frame::{Frame, FrameDecoder};
use crate::io::StreamError;
use crate::owned::Pdu;

/// A codec for `tokio_util::codec::Framed`: decodes [`Frame`]s, encodes
/// any PDU (owned [`crate::Pdu`] or a borrowed `smpp_core::Pdu<&[u8]>`,
/// by value or by reference) and forwards [`Frame`]s as they are.
///
/// Encoding reserves the PDU's length in the write buffer and emits straight
/// into it. A PDU that breaks a field rule is refused with
/// [`StreamError::Encode`] and leaves the buffer as it was. A frame is
/// copied as received (its octets were checked when it was made).
///
/// To receive decoded PDUs instead of frames, use [`PduCodec`].
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

/// A codec for `tokio_util::codec::Framed` that decodes each frame into an
/// owned [`Pdu`] as well, and encodes what [`SmppCodec`] encodes.
///
/// The item is the frame and the result of decoding it: a PDU whose body
/// does not decode is an `Err` inside the item, never an error of the
/// stream, so the connection goes on ([`Error::reply`] says what to answer).
/// Only framing and I/O errors end the stream. The PDU's fields share the
/// frame's memory.
///
/// ```
/// use bytes::BytesMut;
/// use smpp_core::{Body, CommandId, CommandStatus};
/// use smpp_std::PduCodec;
/// use tokio_util::codec::Decoder;
///
/// let mut codec = PduCodec::new();
/// let mut buf = BytesMut::new();
/// // An enquire_link with a body it must not have, then a good one.
/// buf.extend_from_slice(&[0, 0, 0, 17, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
/// buf.extend_from_slice(&[0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 2]);
/// let (frame, bad) = codec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(frame.header.sequence_number, 1);
/// let reply = bad.unwrap_err().reply();
/// assert_eq!(reply.command_id, CommandId::ENQUIRE_LINK_RESP);
/// assert_eq!(reply.command_status, CommandStatus::ESME_RINVCMDLEN);
/// let (_, good) = codec.decode(&mut buf).unwrap().unwrap();
/// assert_eq!(good.unwrap().body, Body::EnquireLink);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PduCodec {
    frames: SmppCodec,
}

impl PduCodec {
    /// A codec with the default maximum `command_length`.
    pub const fn new() -> Self {
        Self {
            frames: SmppCodec::new(),
        }
    }

    /// A codec framing with `decoder`.
    pub const fn with_decoder(decoder: FrameDecoder) -> Self {
        Self {
            frames: SmppCodec::with_decoder(decoder),
        }
    }
}

impl Decoder for PduCodec {
    type Item = (Frame, Result<Pdu, Error>);
    type Error = StreamError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, StreamError> {
        Ok(self.frames.decode(src)?.map(|frame| {
            let pdu = frame.to_pdu();
            (frame, pdu)
        }))
    }
}

/// Reserves `len` octets at the end of `dst` and has `emit` write them.
fn encode_into(
    len: usize,
    dst: &mut BytesMut,
    emit: impl FnOnce(&mut [u8]) -> Result<usize, Error>,
) -> Result<(), StreamError> {
    dst.reserve(len);
    let start = dst.len();
    dst.resize(start + len, 0);
    let tail = dst.get_mut(start..).unwrap_or_default();
    if let Err(e) = emit(tail) {
        dst.truncate(start);
        return Err(StreamError::Encode(e));
    }
    Ok(())
}

/// The encoders of a PDU type of the core, by reference and by value.
macro_rules! encode_pdu {
    ($($(#[$doc:meta])* $pdu:ident),+) => {$(
        $(#[$doc])*
        impl<B: AsRef<[u8]>> Encoder<smpp_core::$pdu<B>> for SmppCodec {
            type Error = StreamError;

            fn encode(&mut self, pdu: smpp_core::$pdu<B>, dst: &mut BytesMut) -> Result<(), StreamError> {
                self.encode(&pdu, dst)
            }
        }

        impl<B: AsRef<[u8]>> Encoder<&smpp_core::$pdu<B>> for SmppCodec {
            type Error = StreamError;

            fn encode(&mut self, pdu: &smpp_core::$pdu<B>, dst: &mut BytesMut) -> Result<(), StreamError> {
                encode_into(pdu.encoded_len(), dst, |out| pdu.emit(out))
            }
        }
    )+};
}

encode_pdu!(
    Pdu,
    /// A [`ValidPdu`](smpp_core::ValidPdu) is written without being checked
    /// again.
    ValidPdu
);

impl Encoder<&Frame> for SmppCodec {
    type Error = StreamError;

    fn encode(&mut self, frame: &Frame, dst: &mut BytesMut) -> Result<(), StreamError> {
        dst.extend_from_slice(&frame.bytes);
        Ok(())
    }
}

impl Encoder<Frame> for SmppCodec {
    type Error = StreamError;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), StreamError> {
        self.encode(&frame, dst)
    }
}

/// `PduCodec` encodes whatever `SmppCodec` encodes.
impl<T> Encoder<T> for PduCodec
where
    SmppCodec: Encoder<T, Error = StreamError>,
{
    type Error = StreamError;

    fn encode(&mut self, item: T, dst: &mut BytesMut) -> Result<(), StreamError> {
        self.frames.encode(item, dst)
    }
}
