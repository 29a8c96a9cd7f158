//! Blocking adapters over [`std::io::Read`] and [`std::io::Write`].

use std::io::{self, Read, Write};

use bytes::BytesMut;
use smpp_core::{CommandStatus, Error, Reply};

use crate::frame::{Frame, FrameDecoder};

/// A fatal error on an SMPP stream.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading or writing failed (an end of stream inside a frame is
    /// [`io::ErrorKind::UnexpectedEof`]). A read timeout is the one I/O
    /// error [`SmppReader`] can go on after (see
    /// [`SmppReader::read_frame`]).
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    /// The stream carried an impossible `command_length` (below 16, above
    /// the maximum, or octets that are not SMPP at all, such as a TLS
    /// handshake or an HTTP request). Answer with the `generic_nack` of
    /// [`Error::reply`] and close.
    #[error("framing error: {0}")]
    Framing(#[source] Error),
    /// A PDU given for sending breaks a field rule; nothing was queued.
    #[error("cannot encode PDU: {0}")]
    Encode(#[source] Error),
}

impl StreamError {
    /// For a framing error, what to answer before closing.
    pub fn reply(&self) -> Option<Reply> {
        match self {
            Self::Framing(e) => Some(e.reply()),
            Self::Io(_) | Self::Encode(_) => None,
        }
    }

    /// The `command_status` of a framing or encoding error.
    pub fn command_status(&self) -> Option<CommandStatus> {
        match self {
            Self::Framing(e) | Self::Encode(e) => Some(e.command_status()),
            Self::Io(_) => None,
        }
    }
}

/// A read that timed out or would block: the stream itself is fine.
fn is_timeout(e: &StreamError) -> bool {
    matches!(e, StreamError::Io(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock))
}

/// The size of each read from the underlying reader.
const READ_CHUNK: usize = 8 * 1024;

/// Reads frames from a blocking reader, with its own read buffer (many PDUs
/// per `read` call, a PDU over many calls).
///
/// ```
/// use smpp_core::CommandId;
/// use smpp_std::SmppReader;
///
/// let stream: &[u8] = &[
///     0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1, // enquire_link
///     0, 0, 0, 16, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0, 2, // unbind
/// ];
/// let mut reader = SmppReader::new(stream);
/// let ids: Vec<CommandId> = reader
///     .by_ref()
///     .map(|f| f.unwrap().header.command_id)
///     .collect();
/// assert_eq!(ids, [CommandId::ENQUIRE_LINK, CommandId::UNBIND]);
/// ```
#[derive(Debug)]
pub struct SmppReader<R> {
    inner: R,
    /// The octets received and not yet returned as frames (`..filled`),
    /// then room already zeroed for the next reads. That room is kept, so
    /// each octet of the buffer is zeroed once, not on every read.
    buf: BytesMut,
    filled: usize,
    decoder: FrameDecoder,
    failed: bool,
}

impl<R: Read> SmppReader<R> {
    /// A reader with the default maximum `command_length`.
    pub fn new(inner: R) -> Self {
        Self::with_decoder(inner, FrameDecoder::new())
    }

    /// A reader framing with `decoder` (for another maximum length).
    pub fn with_decoder(inner: R, decoder: FrameDecoder) -> Self {
        Self {
            inner,
            buf: BytesMut::new(),
            filled: 0,
            decoder,
            failed: false,
        }
    }

    /// The next frame; `Ok(None)` at the end of the stream between frames.
    ///
    /// A frame with a malformed body is returned like any other. Errors are
    /// fatal: the reader yields nothing after one. The exception is a read
    /// that timed out or would block ([`io::ErrorKind::TimedOut`],
    /// [`io::ErrorKind::WouldBlock`], as a socket with a read timeout
    /// reports it): the octets already read are kept and the next call goes
    /// on where this one stopped, so a blocking ESME can send its
    /// `enquire_link` between reads.
    pub fn read_frame(&mut self) -> Result<Option<Frame>, StreamError> {
        if self.failed {
            return Ok(None);
        }
        let result = self.read_frame_inner();
        if let Err(e) = &result
            && !is_timeout(e)
        {
            self.failed = true;
        }
        result
    }

    fn read_frame_inner(&mut self) -> Result<Option<Frame>, StreamError> {
        loop {
            if let Some(frame) = self
                .decoder
                .cut(&mut self.buf, &mut self.filled)
                .map_err(StreamError::Framing)?
            {
                return Ok(Some(frame));
            }
            // Room for a chunk more, never for what a command_length only
            // announces: memory follows the octets that arrive. Only
            // octets never offered to a read before are zeroed.
            let end = self.filled + READ_CHUNK;
            if self.buf.len() < end {
                self.buf.resize(end, 0);
            }
            let dst = self.buf.get_mut(self.filled..).unwrap_or_default();
            let room = dst.len();
            let n = match self.inner.read(dst) {
                Ok(n) => n.min(room),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            self.filled += n;
            if n == 0 {
                return if self.filled == 0 {
                    Ok(None)
                } else {
                    Err(
                        io::Error::new(io::ErrorKind::UnexpectedEof, "stream ended inside a PDU")
                            .into(),
                    )
                };
            }
        }
    }

    /// Octets read but not yet returned as frames.
    pub fn buffered(&self) -> &[u8] {
        self.buf.get(..self.filled).unwrap_or_default()
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The underlying reader, mutably (reading from it directly loses
    /// framing).
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    /// The underlying reader; buffered octets are dropped.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Iterator for SmppReader<R> {
    type Item = Result<Frame, StreamError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_frame().transpose()
    }
}

/// Writes PDUs to a blocking writer in batches.
///
/// [`SmppWriter::queue`] encodes a PDU into the batch buffer (validating it
/// first; an invalid PDU is refused and nothing of it is queued) and writes
/// the batch once it reaches the batch size; [`SmppWriter::flush`] writes
/// whatever is queued. [`SmppWriter::send`] queues and flushes.
/// [`SmppWriter::queue_frame`] and [`SmppWriter::send_frame`] do the same
/// with a received [`Frame`], copied as it is (to forward a PDU, decoded or
/// not). Dropping the writer does not flush. A write error drops the batch,
/// of which some octets may have been written: the peer can no longer find
/// the PDU boundaries, so close the connection.
///
/// ```
/// use smpp_core::{Body, Pdu};
/// use smpp_std::SmppWriter;
///
/// let mut writer = SmppWriter::new(Vec::new());
/// writer.queue(&Pdu::<&[u8]>::new(1, Body::EnquireLink)).unwrap();
/// writer.queue(&Pdu::<&[u8]>::new(2, Body::Unbind)).unwrap();
/// assert!(writer.get_ref().is_empty()); // still queued
/// writer.flush().unwrap();
/// assert_eq!(writer.get_ref().len(), 32);
/// ```
#[derive(Debug)]
pub struct SmppWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
    batch: usize,
}

/// The default batch size in octets.
pub const DEFAULT_BATCH: usize = 16 * 1024;

impl<W: Write> SmppWriter<W> {
    /// A writer flushing every [`DEFAULT_BATCH`] octets.
    pub fn new(inner: W) -> Self {
        Self::with_batch(inner, DEFAULT_BATCH)
    }

    /// A writer flushing once `batch` octets are queued.
    pub fn with_batch(inner: W, batch: usize) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(batch.min(1 << 20)),
            batch,
        }
    }

    /// Encodes `pdu` into the batch; writes the batch if it is full.
    pub fn queue<B: AsRef<[u8]>>(&mut self, pdu: &smpp_core::Pdu<B>) -> Result<(), StreamError> {
        let start = self.buf.len();
        self.buf.resize(start + pdu.encoded_len(), 0);
        let dst = self.buf.get_mut(start..).unwrap_or_default();
        if let Err(e) = pdu.emit(dst) {
            self.buf.truncate(start);
            return Err(StreamError::Encode(e));
        }
        self.write_if_full()?;
        Ok(())
    }

    /// Queues `pdu` and flushes.
    pub fn send<B: AsRef<[u8]>>(&mut self, pdu: &smpp_core::Pdu<B>) -> Result<(), StreamError> {
        self.queue(pdu)?;
        self.flush()?;
        Ok(())
    }

    /// Queues a received frame as it is, for forwarding (its octets were
    /// checked when it was framed; whether its body decodes does not
    /// matter); writes the batch if it is full.
    ///
    /// ```
    /// use smpp_std::{SmppReader, SmppWriter};
    ///
    /// // An enquire_link with a body it must not have, forwarded anyway.
    /// let stream: &[u8] = &[0, 0, 0, 17, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1, 0];
    /// let frame = SmppReader::new(stream).read_frame().unwrap().unwrap();
    /// assert!(frame.to_pdu().is_err());
    /// let mut writer = SmppWriter::new(Vec::new());
    /// writer.send_frame(&frame).unwrap();
    /// assert_eq!(writer.get_ref()[..], *stream);
    /// ```
    pub fn queue_frame(&mut self, frame: &Frame) -> io::Result<()> {
        self.buf.extend_from_slice(&frame.bytes);
        self.write_if_full()
    }

    /// Queues a received frame as it is and flushes.
    pub fn send_frame(&mut self, frame: &Frame) -> io::Result<()> {
        self.queue_frame(frame)?;
        self.flush()
    }

    fn write_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= self.batch {
            self.write_batch()?;
        }
        Ok(())
    }

    fn write_batch(&mut self) -> io::Result<()> {
        let result = self.inner.write_all(&self.buf);
        self.buf.clear();
        result
    }

    /// Writes everything queued and flushes the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.write_batch()?;
        }
        self.inner.flush()
    }

    /// Octets queued and not yet written.
    pub fn queued(&self) -> usize {
        self.buf.len()
    }

    /// The underlying writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The underlying writer, mutably.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// Flushes, then gives back the underlying writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.inner)
    }
}
