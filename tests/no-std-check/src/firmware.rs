//! An example for firmware: SMPP on a device without `std` or an
//! allocator, with smpp-core's fixed-size pieces and nothing else. Every
//! buffer is an array: the receive buffer inside [`Link`], the answers and
//! the decoded text on the stack.
//!
//! - Receiving: octets arrive in chunks of any size (a UART or a TCP stack
//!   hands over what it has) and go into a [`FrameBuf`], which cuts them
//!   into frames. `enquire_link` and `submit_sm` are answered into a stack
//!   buffer; the text of each `submit_sm` is decoded, user data header and
//!   national language shifts included, into another stack buffer and handed
//!   to the application. A PDU that does not decode is answered with the
//!   reply its error gives ([`Error::reply`], encoded by [`Reply::emit`]).
//! - Sending: a long Unicode text is split into `submit_sm` frames of a
//!   fixed size, one at a time, each encoded into a stack buffer.

use smpp_core::session::SequenceNumbers;
use smpp_core::text::choose::{Concatenation, choose_for};
use smpp_core::text::split::{Content, Method, SplitError, Splitter};
use smpp_core::text::{DecodeError, OnUnmappable, decode_short_message_into};
use smpp_core::{
    Body, COctet, CommandId, CommandStatus, Error, FrameBuf, Npi, Pdu, Reply, SubmitSm,
    SubmitSmResp, TlvBuf, Tlvs, Ton,
};

/// The largest PDU accepted: a `submit_sm` with every field at its maximum
/// and a few TLVs fits.
pub const MAX_PDU: usize = 512;

/// The frames sent for a long message: a `submit_sm` whose `short_message`
/// (header included) is at most 140 octets, with short addresses, fits.
pub const FRAME: usize = 256;

/// What the link hands to the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received<'a> {
    /// The text of a `submit_sm`, and the `message_id` it was given.
    Text {
        /// The `sequence_number` of the `submit_sm`.
        sequence_number: u32,
        /// The `message_id` answered.
        message_id: u32,
        /// The decoded text (one part of a long message has only its part).
        text: &'a str,
    },
    /// A `submit_sm` whose content is not text (binary `data_coding`).
    Binary {
        /// The `sequence_number` of the `submit_sm`.
        sequence_number: u32,
    },
    /// A PDU that was answered with an error status.
    Refused {
        /// The status sent.
        command_status: CommandStatus,
    },
}

/// One connection's receiving side: a fixed receive buffer and the next
/// `message_id`.
#[derive(Debug, Clone)]
pub struct Link {
    rx: FrameBuf<MAX_PDU>,
    next_message_id: u32,
}

impl Default for Link {
    fn default() -> Self {
        Self::new()
    }
}

impl Link {
    /// A link with an empty receive buffer.
    pub const fn new() -> Self {
        Self {
            rx: FrameBuf::new(),
            next_message_id: 1,
        }
    }

    /// Handles octets as they arrive: `send` gets each answer's octets,
    /// `deliver` what the application should see.
    ///
    /// # Errors
    ///
    /// The stream cannot be framed (another protocol, an impossible
    /// `command_length`): the `generic_nack` has been sent; close the
    /// connection.
    pub fn on_octets(
        &mut self,
        chunk: &[u8],
        send: &mut impl FnMut(&[u8]),
        deliver: &mut impl FnMut(Received<'_>),
    ) -> Result<(), Error> {
        feed_frames(&mut self.rx, chunk, |frame| match frame {
            Ok(frame) => answer(frame, &mut self.next_message_id, send, deliver),
            Err(error) => send_reply(error.reply(), send),
        })
    }
}

/// Feeds `chunk` into `rx` and hands each whole frame to `handle`, until
/// the chunk is used up; a framing error goes to `handle` too and ends the
/// loop.
pub(crate) fn feed_frames(
    rx: &mut FrameBuf<MAX_PDU>,
    mut chunk: &[u8],
    mut handle: impl FnMut(Result<&[u8], Error>),
) -> Result<(), Error> {
    loop {
        let taken = rx.feed(chunk);
        chunk = chunk.get(taken..).unwrap_or_default();
        let mut frames = 0;
        loop {
            match rx.next_frame() {
                Ok(Some(frame)) => {
                    frames += 1;
                    handle(Ok(frame));
                }
                Ok(None) => break,
                Err(error) => {
                    handle(Err(error));
                    return Err(error);
                }
            }
        }
        // The buffer refuses octets only while it holds whole frames,
        // which were just taken; the check keeps the loop finite anyway.
        if chunk.is_empty() || (taken == 0 && frames == 0) {
            return Ok(());
        }
    }
}

/// Encodes `reply` on the stack and sends it.
fn send_reply(reply: Reply, send: &mut impl FnMut(&[u8])) {
    let mut out = [0u8; 17];
    if let Ok(n) = reply.emit(&mut out) {
        send(out.get(..n).unwrap_or_default());
    }
}

/// Decodes the text of `sm` into a stack buffer and hands it to `deliver`
/// as the message `message_id` (or as binary content). On a decoding error
/// nothing is delivered.
pub(crate) fn deliver_submit(
    sm: SubmitSm<&[u8]>,
    sequence_number: u32,
    message_id: u32,
    deliver: &mut impl FnMut(Received<'_>),
) -> Result<(), DecodeError> {
    // Three octets of UTF-8 per octet of short_message suffice.
    let mut text = [0u8; 3 * 255];
    let decoded = decode_short_message_into(
        sm.short_message,
        sm.esm_class.udhi(),
        sm.data_coding,
        OnUnmappable::Replace,
        &mut text,
    )?;
    match decoded {
        Some(text) => deliver(Received::Text {
            sequence_number,
            message_id,
            text,
        }),
        None => deliver(Received::Binary { sequence_number }),
    }
    Ok(())
}

/// The `submit_sm_resp` body that gives `message_id`, written in decimal
/// into `digits`.
pub(crate) fn submit_sm_resp(message_id: u32, digits: &mut [u8; 10]) -> SubmitSmResp<&[u8]> {
    SubmitSmResp {
        message_id: COctet::new(decimal(message_id, digits)),
        tlvs: Tlvs::EMPTY,
    }
}

/// `n` as decimal digits in `out`.
fn decimal(mut n: u32, out: &mut [u8; 10]) -> &[u8] {
    let mut at = out.len();
    loop {
        at -= 1;
        if let Some(d) = out.get_mut(at) {
            // `n % 10` is a digit.
            *d = b'0' + u8::try_from(n % 10).unwrap_or(0);
        }
        n /= 10;
        if n == 0 || at == 0 {
            return out.get(at..).unwrap_or_default();
        }
    }
}

/// Answers one frame.
fn answer(
    frame: &[u8],
    next_message_id: &mut u32,
    send: &mut impl FnMut(&[u8]),
    deliver: &mut impl FnMut(Received<'_>),
) {
    let pdu = match Pdu::parse(frame) {
        Ok(pdu) => pdu,
        Err(error) => {
            let reply = error.reply();
            send_reply(reply, send);
            deliver(Received::Refused {
                command_status: reply.command_status,
            });
            return;
        }
    };
    let sequence_number = pdu.sequence_number;
    let mut out = [0u8; 96];
    let answer = match pdu.body {
        Body::EnquireLink => Pdu::new(sequence_number, Body::EnquireLinkResp(Tlvs::EMPTY)),
        Body::SubmitSm(sm) => {
            let message_id = *next_message_id;
            let status = match deliver_submit(sm, sequence_number, message_id, deliver) {
                Ok(()) => CommandStatus::ESME_ROK,
                Err(DecodeError::Udh(_)) => CommandStatus::ESME_RINVESMCLASS,
                Err(_) => CommandStatus::ESME_RSYSERR,
            };
            if !status.is_ok() {
                let reply = Reply {
                    command_id: CommandId::SUBMIT_SM_RESP,
                    command_status: status,
                    sequence_number,
                };
                send_reply(reply, send);
                deliver(Received::Refused {
                    command_status: status,
                });
                return;
            }
            *next_message_id = message_id.wrapping_add(1);
            let mut digits = [0u8; 10];
            let resp = submit_sm_resp(message_id, &mut digits);
            let Ok(n) = Pdu::new(sequence_number, Body::SubmitSmResp(Some(resp))).emit(&mut out)
            else {
                return;
            };
            send(out.get(..n).unwrap_or_default());
            return;
        }
        // Responses need no answer.
        _ if pdu.command_id().is_response() => return,
        // Any other request: refused with its own response (or a
        // generic_nack for those without one).
        _ => {
            let command_id = pdu.command_id();
            let reply = Reply {
                command_id: if command_id.expects_response() {
                    command_id.response()
                } else {
                    CommandId::GENERIC_NACK
                },
                command_status: CommandStatus::ESME_RINVCMDID,
                sequence_number,
            };
            send_reply(reply, send);
            deliver(Received::Refused {
                command_status: reply.command_status,
            });
            return;
        }
    };
    if let Ok(n) = answer.emit(&mut out) {
        send(out.get(..n).unwrap_or_default());
    }
}

/// Why a long message could not be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// The text cannot be split (more than 255 parts).
    Split(SplitError),
    /// A part does not encode in a frame of [`FRAME`] octets.
    Pdu(Error),
}

/// Splits `text` into `submit_sm` frames to `destination` (UDH
/// concatenation with an 8-bit `reference`; GSM 7-bit when the text allows,
/// else UCS-2) and hands each frame to `send`, the first with
/// `sequence_number` `first_sequence` (1 if that is outside
/// 1..=0x7FFFFFFF), the next ones numbered on by [`SequenceNumbers`], which
/// wraps from 0x7FFFFFFF to 1. Returns the number of frames.
///
/// # Errors
///
/// The text needs more than 255 parts, or a part does not encode in
/// [`FRAME`] octets (a destination too long); frames already handed to
/// `send` stay sent.
pub fn send_text(
    text: &str,
    destination: &str,
    reference: u8,
    first_sequence: u32,
    send: &mut impl FnMut(&[u8]),
) -> Result<u32, SendError> {
    let encoding = choose_for(text, &[], Concatenation::Udh8);
    let splitter = Splitter::new(Content::Text(text, encoding), Method::Udh8 { reference })
        .map_err(SendError::Split)?;
    let template = SubmitSm {
        source_addr_ton: Ton::ALPHANUMERIC,
        source_addr: COctet::from("DEVICE"),
        dest_addr_ton: Ton::INTERNATIONAL,
        dest_addr_npi: Npi::ISDN,
        destination_addr: COctet::new(destination.as_bytes()),
        ..SubmitSm::default()
    };
    let (mut data, mut tlvs, mut frame) = ([0u8; 255], TlvBuf::<8>::new(), [0u8; FRAME]);
    let mut sequence_numbers = SequenceNumbers::starting_at(first_sequence);
    let mut count = 0;
    for n in 0..splitter.total() {
        let segment = splitter.segment(n, &mut data).map_err(SendError::Split)?;
        let part = data.get(..segment.len).unwrap_or_default();
        let sm = splitter
            .submit_sm(&segment, &template, part, &mut tlvs)
            .map_err(SendError::Pdu)?;
        let pdu = Pdu::new(sequence_numbers.allocate(), Body::SubmitSm(sm));
        let len = pdu.emit(&mut frame).map_err(SendError::Pdu)?;
        send(frame.get(..len).unwrap_or_default());
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use std::string::String;
    use std::vec::Vec;

    use smpp_core::{Body, CommandId, CommandStatus, Pdu, frame_len};

    use super::{Link, Received, send_text};

    /// 400 characters that need UCS-2, a surrogate pair among them.
    fn long_text() -> String {
        let text: String = "Привет, мир! Grüße 😀 ".chars().cycle().take(400).collect();
        assert_eq!(text.chars().count(), 400);
        text
    }

    /// The frames `send_text` gives for `text`.
    fn frames_of(text: &str, first_sequence: u32) -> Vec<Vec<u8>> {
        let mut frames = Vec::new();
        let n = send_text(
            text,
            "447700900123",
            42,
            first_sequence,
            &mut |f: &[u8]| {
                frames.push(f.to_vec());
            },
        )
        .unwrap();
        assert_eq!(usize::try_from(n).unwrap(), frames.len());
        frames
    }

    /// What a link did with a stream.
    #[derive(Default)]
    struct Outcome {
        answers: Vec<Vec<u8>>,
        /// (`sequence_number`, `message_id`, text)
        texts: Vec<(u32, u32, String)>,
        refused: Vec<CommandStatus>,
    }

    /// Runs `stream` through a link in chunks of the lengths `chunks`
    /// gives.
    fn run(stream: &[u8], mut chunks: impl Iterator<Item = usize>) -> Outcome {
        let mut link = Link::new();
        let Outcome {
            mut answers,
            mut texts,
            mut refused,
        } = Outcome::default();
        let mut rest = stream;
        while !rest.is_empty() {
            let n = chunks.next().unwrap().clamp(1, rest.len());
            let (chunk, tail) = rest.split_at(n);
            link.on_octets(
                chunk,
                &mut |a: &[u8]| answers.push(a.to_vec()),
                &mut |r: Received<'_>| match r {
                    Received::Text {
                        sequence_number,
                        message_id,
                        text,
                    } => texts.push((sequence_number, message_id, String::from(text))),
                    Received::Binary { .. } => panic!("no binary message was sent"),
                    Received::Refused { command_status } => refused.push(command_status),
                },
            )
            .unwrap();
            rest = tail;
        }
        Outcome {
            answers,
            texts,
            refused,
        }
    }

    #[test]
    fn sequence_numbers_wrap_from_the_maximum_to_one() {
        // 7 parts from 0x7FFFFFFE: 0x80000000 and above are not sequence
        // numbers (SMPP v5.0 4.7.24), and 0 is kept for a generic_nack
        // whose trigger had no header.
        let frames = frames_of(&long_text(), 0x7FFF_FFFE);
        let sequence_numbers: Vec<u32> = frames
            .iter()
            .map(|f| Pdu::parse(f).unwrap().sequence_number)
            .collect();
        assert_eq!(sequence_numbers, [0x7FFF_FFFE, 0x7FFF_FFFF, 1, 2, 3, 4, 5]);
        // A first number outside 1..=0x7FFFFFFF starts at 1.
        let frames = frames_of("Hi", 0);
        assert_eq!(Pdu::parse(&frames[0]).unwrap().sequence_number, 1);
    }

    #[test]
    fn a_long_unicode_text_goes_out_in_fixed_frames() {
        let text = long_text();
        let frames = frames_of(&text, 10);
        // UCS-2, 67 characters per part (a surrogate pair counts two units).
        assert_eq!(frames.len(), 7);
        for (i, frame) in frames.iter().enumerate() {
            assert!(frame.len() <= super::FRAME);
            let pdu = Pdu::parse(frame).unwrap();
            assert_eq!(pdu.sequence_number, 10 + u32::try_from(i).unwrap());
            let Body::SubmitSm(sm) = pdu.body else {
                panic!("{pdu:?}")
            };
            assert_eq!(sm.data_coding.0, 0x08);
            assert!(sm.esm_class.udhi());
            assert!(sm.short_message.len() <= 140);
        }
    }

    #[test]
    fn octets_in_any_chunks_are_answered_and_decoded() {
        let text = long_text();
        let frames = frames_of(&text, 2);
        let enquire_link = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];
        let mut stream = enquire_link.to_vec();
        for f in &frames {
            stream.extend_from_slice(f);
        }
        // A submit_sm whose source_addr has no NUL within its 21 octets,
        // then an unbind (not handled by this device), then a response.
        let mut bad = [0u8; 16 + 1 + 2 + 30];
        bad[..16].copy_from_slice(&[0, 0, 0, 49, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 99]);
        bad[19..].fill(b'1');
        stream.extend_from_slice(&bad);
        stream.extend_from_slice(&[0, 0, 0, 16, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 100]);
        stream.extend_from_slice(&[0, 0, 0, 16, 0x80, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7]);

        let whole = stream.len();
        let patterns: [&dyn Fn() -> Vec<usize>; 4] = [
            &|| std::vec![1],
            &|| std::vec![whole],
            &|| std::vec![3, 17, 1, 250, 64, 7],
            &|| std::vec![511, 2, 513],
        ];
        for chunks in patterns {
            let Outcome {
                answers,
                texts,
                refused,
            } = run(&stream, chunks().into_iter().cycle());
            // enquire_link_resp, 7 submit_sm_resp, the two refusals.
            assert_eq!(answers.len(), 1 + frames.len() + 2);
            let heads: Vec<_> = answers
                .iter()
                .map(|a| {
                    assert_eq!(frame_len(a, 512), Ok(Some(a.len())));
                    let pdu = Pdu::parse(a).unwrap();
                    (pdu.command_id(), pdu.command_status, pdu.sequence_number)
                })
                .collect();
            assert_eq!(
                heads[0],
                (CommandId::ENQUIRE_LINK_RESP, CommandStatus::ESME_ROK, 1)
            );
            for (i, head) in heads[1..=frames.len()].iter().enumerate() {
                let seq = 2 + u32::try_from(i).unwrap();
                assert_eq!(
                    *head,
                    (CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_ROK, seq)
                );
            }
            assert_eq!(
                heads[frames.len() + 1..],
                [
                    (
                        CommandId::SUBMIT_SM_RESP,
                        CommandStatus::ESME_RINVSRCADR,
                        99
                    ),
                    (CommandId::UNBIND_RESP, CommandStatus::ESME_RINVCMDID, 100),
                ]
            );
            assert_eq!(
                refused,
                [
                    CommandStatus::ESME_RINVSRCADR,
                    CommandStatus::ESME_RINVCMDID
                ]
            );
            // Each part's text, with message ids 1, 2, ...; together the text.
            let mut joined = String::new();
            for (i, (seq, id, part)) in texts.iter().enumerate() {
                assert_eq!(*seq, 2 + u32::try_from(i).unwrap());
                assert_eq!(*id, 1 + u32::try_from(i).unwrap());
                joined.push_str(part);
            }
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn another_protocol_is_answered_and_refused() {
        let mut link = Link::new();
        let mut answers = Vec::new();
        let err = link
            .on_octets(
                b"GET / HTTP/1.1\r\n",
                &mut |a: &[u8]| answers.push(a.to_vec()),
                &mut |_: Received<'_>| {},
            )
            .unwrap_err();
        assert_eq!(err.command_status(), CommandStatus::ESME_RINVCMDLEN);
        assert_eq!(
            answers,
            [std::vec![
                0, 0, 0, 16, 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0
            ]]
        );
    }
}
