//! The `frame_decoder` oracle: `smpp_std::FrameDecoder` and `SmppReader`
//! fed a stream in arbitrary chunks cut exactly the frames `frame_len` cuts
//! from the whole stream.

use std::io::{self, Read};

use arbitrary::Unstructured;
use bytes::{Bytes, BytesMut};
use smpp_core::{CommandId, DEFAULT_MAX_COMMAND_LENGTH, Error, Header, Pdu};
use smpp_std::{Frame, FrameDecoder, SmppReader, StreamError};

/// The maximum `command_length` the decoder is built with, chosen by the two
/// high bits of the first input octet.
const MAXIMA: [u32; 4] = [DEFAULT_MAX_COMMAND_LENGTH, 4096, 64, 16];

/// The largest chunk drawn from the chunk-size prefix.
const MAX_CHUNK: usize = 64;

/// How the input is read by [`frame_decoder`]: one control octet, a prefix
/// of chunk sizes, then the stream itself.
///
/// The control octet holds the prefix length (bits 0-4, at most 31 octets),
/// whether the reader's source is interrupted before each chunk (bit 5), and
/// the decoder's maximum `command_length` (bits 6-7: `DEFAULT_MAX_COMMAND_LENGTH`,
/// 4096, 64 or 16). Each chunk-size octet gives 1 + octet % 64.
#[derive(Debug)]
pub struct ChunkedStream<'a> {
    /// The stream, split into the chunks that arrive one read at a time.
    pub chunks: Vec<&'a [u8]>,
    /// Whether every read of a new chunk is first interrupted
    /// (`io::ErrorKind::Interrupted`).
    pub interrupted: bool,
    /// The decoder's maximum `command_length`.
    pub max_command_length: u32,
}

impl<'a> ChunkedStream<'a> {
    /// Reads the layout described on [`ChunkedStream`]; `None` for an empty
    /// input.
    pub fn new(data: &'a [u8]) -> Option<Self> {
        let (&control, rest) = data.split_first()?;
        let (prefix, stream) = rest.split_at(usize::from(control & 0x1F).min(rest.len()));
        let mut sizes = Unstructured::new(prefix);
        let mut chunks = Vec::new();
        let mut rest = stream;
        while !rest.is_empty() {
            // Once the sizes run out, the rest arrives in one read.
            let n = if sizes.is_empty() {
                rest.len()
            } else {
                sizes.int_in_range(1..=MAX_CHUNK).unwrap_or(1)
            };
            let (chunk, tail) = rest.split_at(n.min(rest.len()));
            chunks.push(chunk);
            rest = tail;
        }
        Some(Self {
            chunks,
            interrupted: control & 0x20 != 0,
            max_command_length: MAXIMA[usize::from(control >> 6)],
        })
    }

    /// The control octet and chunk-size prefix that make [`Self::new`]
    /// split `stream` into chunks of `sizes` (each 1 to 64 octets, at most
    /// 31 of them) and then the rest, with the default maximum.
    ///
    /// # Panics
    ///
    /// On more than 31 sizes or a size outside 1-64.
    pub fn encode(sizes: &[usize], stream: &[u8]) -> Vec<u8> {
        let count = u8::try_from(sizes.len()).expect("at most 31 sizes");
        assert!(count <= 0x1F, "at most 31 sizes");
        let mut out = vec![count];
        for &size in sizes {
            assert!((1..=MAX_CHUNK).contains(&size), "chunk size {size}");
            // `int_in_range(1..=64)` reads one octet: 1 + octet % 64.
            out.push(u8::try_from(size - 1).expect("below 64"));
        }
        out.extend_from_slice(stream);
        out
    }
}

/// How the whole stream ends when framed in one piece.
#[derive(Debug)]
enum End<'a> {
    /// Nothing left, or the start of a frame still incomplete.
    Rest(&'a [u8]),
    /// A fatal framing error for the frame at this offset.
    Fatal(Error, usize),
}

/// Frames as `frame_len` cuts them from the whole stream, and how it ends.
/// Like the decoder, a frame that starts with the first four octets of
/// another protocol (`ForeignProtocol::detect`; an SMPP `command_length`
/// starts with a zero octet below 16 MiB) ends the stream as `NotSmpp`,
/// whatever the maximum: both decide on the same four octets.
fn reference(stream: &[u8], max: u32) -> (Vec<&[u8]>, End<'_>) {
    let mut frames = Vec::new();
    let mut rest = stream;
    loop {
        if rest.first().is_some_and(|&b| b != 0)
            && let Some(protocol) = smpp_core::ForeignProtocol::detect(rest)
        {
            let e = Error::new(smpp_core::ErrorKind::NotSmpp { protocol });
            return (frames, End::Fatal(e, stream.len() - rest.len()));
        }
        match smpp_core::frame_len(rest, max) {
            Ok(Some(n)) => {
                let (frame, tail) = rest.split_at(n);
                frames.push(frame);
                rest = tail;
            }
            Ok(None) => return (frames, End::Rest(rest)),
            Err(e) => return (frames, End::Fatal(e, stream.len() - rest.len())),
        }
    }
}

/// Chunked framing: `FrameDecoder` fed the stream chunk by chunk (and
/// `SmppReader` reading it from a source that returns the chunks) yields the
/// same frames, in the same order, as `frame_len` cuts from the whole
/// stream; a fatal error comes exactly where `frame_len` fails, with the
/// same kind and status (and the same header once 16 octets of the bad frame
/// had arrived); each frame decodes as `Pdu::parse` decodes its octets,
/// and as an owned PDU re-encodes to them.
///
/// The input is laid out as described on [`ChunkedStream`].
///
/// # Panics
///
/// When chunked framing disagrees with framing the whole stream, or a
/// frame's decoding disagrees with `Pdu::parse`.
pub fn frame_decoder(data: &[u8]) {
    let Some(input) = ChunkedStream::new(data) else {
        return;
    };
    let stream: Vec<u8> = input.chunks.concat();
    let max = input.max_command_length;
    let (expected, end) = reference(&stream, max);

    let mut decoder = FrameDecoder::with_max_command_length(max);
    assert_eq!(decoder.max_command_length(), max);
    let mut buf = BytesMut::new();
    let mut frames = Vec::new();
    let mut fed = 0;
    let mut fatal = None;
    'feed: for chunk in &input.chunks {
        buf.extend_from_slice(chunk);
        fed += chunk.len();
        loop {
            let capacity = buf.capacity();
            match decoder.decode(&mut buf) {
                Ok(Some(frame)) => frames.push(frame),
                Ok(None) => {
                    check_waiting(decoder, &buf, capacity);
                    break;
                }
                Err(e) => {
                    fatal = Some(e);
                    break 'feed;
                }
            }
        }
    }

    assert_eq!(frames.len(), expected.len(), "frame count");
    for (frame, octets) in frames.iter().zip(&expected) {
        assert_eq!(&frame.bytes[..], *octets, "frame octets");
        check_frame(frame);
    }
    match (&end, fatal) {
        (End::Rest(rest), None) => assert_eq!(&buf[..], *rest, "octets left over"),
        (End::Fatal(whole, at), Some(e)) => {
            // The decoder stops with the bad frame's octets buffered.
            assert_eq!(&buf[..], &stream[*at..fed]);
            check_fatal(&e, whole);
            // A header is kept once 16 octets of the bad frame are in; other
            // protocols have none to keep (their generic_nack carries 0).
            let not_smpp = matches!(e.kind(), smpp_core::ErrorKind::NotSmpp { .. });
            assert_eq!(
                e.header().is_some(),
                !not_smpp && buf.len() >= Header::LEN,
                "{e:?}"
            );
            if not_smpp {
                assert_eq!(e.reply().sequence_number, 0);
            }
        }
        (end, fatal) => panic!("whole stream ends {end:?}, chunked {fatal:?}"),
    }

    check_reader(&input, &frames, &end);
}

/// After `Ok(None)`: what is missing is known once the length is, and no
/// room is reserved for it (memory follows what arrived, not what a
/// `command_length` announces): the buffer is as large as before.
fn check_waiting(decoder: FrameDecoder, buf: &BytesMut, capacity_before: usize) {
    assert!(
        buf.capacity() <= capacity_before,
        "decode reserved room: {capacity_before} -> {}",
        buf.capacity()
    );
    match buf.first_chunk::<4>() {
        Some(head) => {
            let total = usize::try_from(u32::from_be_bytes(*head)).expect("u32 fits usize");
            assert!(total > buf.len(), "a whole frame was left in the buffer");
            assert_eq!(decoder.missing(buf), Some(total - buf.len()));
        }
        None => assert_eq!(decoder.missing(buf), None),
    }
}

/// A fatal error from chunked framing against the one from framing the
/// whole stream: same kind, status and reply, and the same header when the
/// chunked decoder had the bad frame's header.
fn check_fatal(chunked: &Error, whole: &Error) {
    assert_eq!(chunked.kind(), whole.kind());
    assert_eq!(chunked.command_status(), whole.command_status());
    assert_eq!(chunked.reply().command_id, CommandId::GENERIC_NACK);
    assert_eq!(whole.reply().command_id, CommandId::GENERIC_NACK);
    assert_eq!(chunked.reply().command_status, whole.reply().command_status);
    if chunked.header().is_some() {
        assert_eq!(chunked, whole);
    }
}

/// One frame: its header, `parse`, `to_pdu` and `error_reply` agree with
/// `Pdu::parse` of its octets.
fn check_frame(frame: &Frame) {
    let octets = &frame.bytes[..];
    assert_eq!(Header::parse(octets), Ok(frame.header));
    assert_eq!(
        usize::try_from(frame.header.command_length).ok(),
        Some(octets.len())
    );
    assert_eq!(frame.body(), &octets[Header::LEN..]);
    assert_eq!(Frame::new(frame.bytes.clone()).as_ref(), Ok(frame));

    let view = Pdu::parse(octets);
    assert_eq!(frame.parse(), view);
    match (frame.to_pdu(), view) {
        (Ok(owned), Ok(view)) => {
            assert_eq!(owned, view.map(Bytes::copy_from_slice));
            assert_eq!(owned.encoded_len(), octets.len());
            let mut out = vec![0u8; octets.len()];
            assert_eq!(owned.emit(&mut out), Ok(octets.len()));
            assert_eq!(out, octets, "owned PDU re-encodes differently");
            assert_eq!(frame.error_reply(), None);
        }
        (Err(owned), Err(view)) => {
            assert_eq!(owned, view);
            let reply = view.reply();
            let pdu = frame.error_reply().expect("a frame that fails has a reply");
            assert_eq!(pdu.command_id(), reply.command_id);
            assert_eq!(pdu.command_status, reply.command_status);
            assert_eq!(pdu.sequence_number, frame.header.sequence_number);
        }
        (owned, view) => panic!("to_pdu {owned:?} but Pdu::parse {view:?}"),
    }
}

/// A source returning one chunk (or what fits of it) per read, optionally
/// interrupted once before each chunk.
struct Source<'a> {
    chunks: &'a [&'a [u8]],
    next: usize,
    at: usize,
    interrupt: bool,
    interrupted: bool,
}

impl Read for Source<'_> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(chunk) = self.chunks.get(self.next) else {
                return Ok(0);
            };
            let rest = &chunk[self.at..];
            if rest.is_empty() {
                self.next += 1;
                self.at = 0;
                self.interrupted = false;
                continue;
            }
            if self.interrupt && !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = rest.len().min(dst.len());
            dst[..n].copy_from_slice(&rest[..n]);
            self.at += n;
            return Ok(n);
        }
    }
}

/// `SmppReader` over the chunks: the frames of the decoder, then a clean
/// end, `UnexpectedEof` inside a frame, or the framing error; nothing after.
fn check_reader(input: &ChunkedStream<'_>, frames: &[Frame], end: &End<'_>) {
    let source = Source {
        chunks: &input.chunks,
        next: 0,
        at: 0,
        interrupt: input.interrupted,
        interrupted: false,
    };
    let decoder = FrameDecoder::with_max_command_length(input.max_command_length);
    let mut reader = SmppReader::with_decoder(source, decoder);
    let mut got = Vec::new();
    let outcome = loop {
        match reader.read_frame() {
            Ok(Some(frame)) => got.push(frame),
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    assert_eq!(got, frames, "SmppReader frames");
    match (end, outcome) {
        (End::Rest([]), Ok(())) => {}
        (End::Rest(rest), Err(StreamError::Io(e))) if !rest.is_empty() => {
            assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
            assert_eq!(reader.buffered(), *rest);
        }
        (End::Fatal(whole, _), Err(StreamError::Framing(e))) => {
            check_fatal(&e, whole);
            let stream_error = StreamError::Framing(e);
            assert_eq!(stream_error.reply(), Some(e.reply()));
            assert_eq!(stream_error.command_status(), Some(e.command_status()));
        }
        (end, outcome) => panic!("whole stream ends {end:?}, SmppReader {outcome:?}"),
    }
    assert!(
        matches!(reader.read_frame(), Ok(None)),
        "a frame after the end"
    );
}
