//! The firmware example on the session engine: a small MC in a device
//! (an SMS gateway box that ESMEs bind to), with a fixed receive buffer, a
//! [`Session`] of fixed storage small enough for a microcontroller, and
//! every answer written from the engine's queue into a stack buffer.
//!
//! The engine does the protocol (the bind, `enquire_link`, refusals of
//! what the state does not allow, malformed PDUs, the timers); the device
//! decodes each `submit_sm`'s text into a stack buffer, hands it to the
//! application and answers with a `message_id`.

use smpp_core::session::{Config, Event, Fixed, Millis, Session};
use smpp_core::{Body, CommandStatus, Error, FrameBuf, Pdu};

use crate::firmware::{MAX_PDU, Received, deliver_submit, feed_frames, submit_sm_resp};

/// The device's session: a window of 2 each way and 512 octets to send
/// (1,696 octets on 64-bit targets).
pub type DeviceSession = Session<Fixed<2, 512>>;

/// One connection of the device: its receive buffer, its session, the next
/// `message_id`.
pub struct Device {
    rx: FrameBuf<MAX_PDU>,
    session: DeviceSession,
    next_message_id: u32,
}

impl Device {
    /// A device whose connection opened at `now`, answering binds as
    /// `system_id`.
    ///
    /// # Errors
    ///
    /// A `system_id` longer than 15 characters.
    pub fn new(system_id: &str, now: Millis) -> Result<Self, Error> {
        let config = Config::mc().with_system_id(system_id)?;
        Ok(Self {
            rx: FrameBuf::new(),
            session: Session::new(config, now),
            next_message_id: 1,
        })
    }

    /// The session, to read its state.
    pub const fn session(&self) -> &DeviceSession {
        &self.session
    }

    /// Handles octets as they arrive at `now`: `send` gets the octets to
    /// write, `deliver` what the application should see.
    ///
    /// # Errors
    ///
    /// The stream cannot be framed: the `generic_nack` is in what `send`
    /// got; close the connection.
    pub fn on_octets(
        &mut self,
        chunk: &[u8],
        now: Millis,
        send: &mut impl FnMut(&[u8]),
        deliver: &mut impl FnMut(Received<'_>),
    ) -> Result<(), Error> {
        let (session, next_message_id) = (&mut self.session, &mut self.next_message_id);
        feed_frames(&mut self.rx, chunk, |frame| {
            match frame {
                Ok(frame) => {
                    // Answers go out at once, so the queues always have
                    // room; a closed session takes nothing.
                    let pdu = session.handle_frame(frame, now).ok().flatten();
                    answer(session, pdu, next_message_id, now, deliver);
                }
                Err(error) => session.handle_framing_error(error),
            }
            flush(session, now, send);
        })
    }

    /// Lets time pass: call at [`Session::poll_timeout`].
    pub fn on_timer(&mut self, now: Millis, send: &mut impl FnMut(&[u8])) {
        self.session.handle_timeout(now);
        while self.session.poll_event().is_some() {}
        flush(&mut self.session, now, send);
    }
}

/// Acts on the events of the frame just handled (`pdu`, if the engine
/// gave one back).
fn answer(
    session: &mut DeviceSession,
    mut pdu: Option<Pdu<&[u8]>>,
    next_message_id: &mut u32,
    now: Millis,
    deliver: &mut impl FnMut(Received<'_>),
) {
    while let Some(event) = session.poll_event() {
        match event {
            // Every bind is accepted; a real device checks the password.
            Event::BindRequest { .. } => {
                let _ = session.accept_bind(CommandStatus::ESME_ROK, now);
            }
            Event::IncomingRequest {
                sequence_number, ..
            } => {
                let Some(Body::SubmitSm(sm)) = pdu.take().map(|p| p.body) else {
                    let _ =
                        session.respond_status(sequence_number, CommandStatus::ESME_RINVCMDID, now);
                    continue;
                };
                let message_id = *next_message_id;
                if deliver_submit(sm, sequence_number, message_id, deliver).is_err() {
                    let status = CommandStatus::ESME_RINVESMCLASS;
                    let _ = session.respond_status(sequence_number, status, now);
                    deliver(Received::Refused {
                        command_status: status,
                    });
                    continue;
                }
                *next_message_id = message_id.wrapping_add(1);
                let mut digits = [0u8; 10];
                let resp = submit_sm_resp(message_id, &mut digits);
                let _ = session.respond(
                    sequence_number,
                    CommandStatus::ESME_ROK,
                    Body::SubmitSmResp(Some(resp)),
                    now,
                );
            }
            // What the engine answered with an error status; a response
            // it could not take gets no answer.
            Event::ProtocolError(error) => {
                if let Some(command_status) = error.answer_status() {
                    deliver(Received::Refused { command_status });
                }
            }
            _ => {}
        }
    }
}

/// Writes every queued PDU through a stack buffer.
fn flush(session: &mut DeviceSession, now: Millis, send: &mut impl FnMut(&[u8])) {
    let mut out = [0u8; 512];
    while let Some(n) = session.poll_transmit(&mut out, now) {
        if n == 0 {
            break;
        }
        send(out.get(..n).unwrap_or_default());
    }
}

#[cfg(test)]
mod tests {
    use std::string::String;
    use std::vec::Vec;

    use smpp_core::session::{BindType, Config, Event, Fixed, Millis, Session};
    use smpp_core::text::choose::{Concatenation, choose_for};
    use smpp_core::text::split::{Content, Method, Splitter};
    use smpp_core::{Body, COctet, CommandId, CommandStatus, SubmitSm, TlvBuf, frame_len};

    use super::{Device, DeviceSession};
    use crate::firmware::Received;

    type Esme = Session<Fixed<8, 4096>>;

    /// Moves what the ESME queued to the device, in chunks of `chunk`
    /// octets (keeping the texts it delivered in `texts`), then hands the
    /// device's answers to the ESME; returns the ESME's events.
    fn exchange(
        esme: &mut Esme,
        device: &mut Device,
        chunk: usize,
        now: Millis,
        texts: &mut Vec<String>,
    ) -> Vec<Event> {
        let wire = esme.transmit_bytes().to_vec();
        esme.advance_transmit(wire.len(), now);
        let mut answers = Vec::new();
        for piece in wire.chunks(chunk) {
            device
                .on_octets(
                    piece,
                    now,
                    &mut |a: &[u8]| answers.extend_from_slice(a),
                    &mut |r: Received<'_>| {
                        if let Received::Text { text, .. } = r {
                            texts.push(String::from(text));
                        }
                    },
                )
                .unwrap();
        }
        let mut events = Vec::new();
        let mut answers = &answers[..];
        while let Some(len) = frame_len(answers, 4096).unwrap() {
            let (frame, rest) = answers.split_at(len);
            esme.handle_frame(frame, now).unwrap();
            events.extend(core::iter::from_fn(|| esme.poll_event()));
            answers = rest;
        }
        events
    }

    #[test]
    fn the_device_is_small() {
        assert!(core::mem::size_of::<Device>() < 4096);
        assert_eq!(core::mem::size_of::<DeviceSession>(), 1696);
    }

    #[test]
    fn an_esme_binds_and_sends_a_long_unicode_text_to_the_device() {
        for chunk in [1, 7, 64, 4096] {
            let now = Millis(0);
            let mut device = Device::new("DEVICE", now).unwrap();
            let config = Config::esme(BindType::Transmitter).with_window(2);
            let mut esme: Esme = Session::new(config, now);
            let mut texts = Vec::new();
            esme.bind(now).unwrap();
            let events = exchange(&mut esme, &mut device, chunk, now, &mut texts);
            assert!(matches!(
                events[..],
                [Event::BindResult {
                    command_status: CommandStatus::ESME_ROK,
                    ..
                }]
            ));
            // A 400-character text in UCS-2 parts, two at a time (the
            // window of 2).
            let text: String = "Привет, мир! Grüße 😀 ".chars().cycle().take(400).collect();
            let encoding = choose_for(&text, &[], Concatenation::Udh8);
            let splitter = Splitter::new(
                Content::Text(&text, encoding),
                Method::Udh8 { reference: 9 },
            )
            .unwrap();
            let template = SubmitSm {
                destination_addr: COctet::from("447700900123"),
                ..SubmitSm::default()
            };
            let mut answered = 0;
            let mut n = 0;
            while answered < splitter.total() {
                while n < splitter.total() && esme.outstanding().count() < 2 {
                    let (mut data, mut tlvs) = ([0u8; 255], TlvBuf::<8>::new());
                    let segment = splitter.segment(n, &mut data).unwrap();
                    let part = &data[..segment.len];
                    let sm = splitter
                        .submit_sm(&segment, &template, part, &mut tlvs)
                        .unwrap();
                    esme.send_request(Body::SubmitSm(sm), n as u64, now)
                        .unwrap();
                    n += 1;
                }
                for event in exchange(&mut esme, &mut device, chunk, now, &mut texts) {
                    if let Event::Response {
                        command_id,
                        command_status,
                        ..
                    } = event
                    {
                        assert_eq!(command_id, CommandId::SUBMIT_SM_RESP);
                        assert_eq!(command_status, CommandStatus::ESME_ROK);
                        answered += 1;
                    }
                }
            }
            assert_eq!(texts.concat(), text, "chunks of {chunk}");
            // enquire_link is the engine's to answer.
            esme.send_request(Body::<&[u8]>::EnquireLink, 99, now)
                .unwrap();
            let events = exchange(&mut esme, &mut device, chunk, now, &mut texts);
            assert!(matches!(
                events[..],
                [Event::Response {
                    command_id: CommandId::ENQUIRE_LINK_RESP,
                    ..
                }]
            ));
            assert!(device.session().state().is_bound());
        }
    }

    #[test]
    fn what_the_engine_refuses_is_reported_with_the_status_it_sent() {
        let now = Millis(0);
        let mut device = Device::new("DEVICE", now).unwrap();
        let mut esme: Esme = Session::new(Config::esme(BindType::Transmitter), now);
        esme.bind(now).unwrap();
        exchange(&mut esme, &mut device, 64, now, &mut Vec::new());
        assert!(device.session().state().is_bound());
        let mut run = |frame: &[u8]| {
            let (mut answers, mut refused) = (Vec::new(), Vec::new());
            device
                .on_octets(
                    frame,
                    now,
                    &mut |a: &[u8]| answers.push(a.to_vec()),
                    &mut |r: Received<'_>| {
                        if let Received::Refused { command_status } = r {
                            refused.push(command_status);
                        }
                    },
                )
                .unwrap();
            (answers, refused)
        };
        // A submit_sm whose source_addr has no NUL within its 21 octets:
        // answered with ESME_RINVSRCADR.
        let mut bad = [0u8; 16 + 1 + 2 + 30];
        bad[..16].copy_from_slice(&[0, 0, 0, 49, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 7]);
        bad[19..].fill(b'1');
        let (answers, refused) = run(&bad);
        assert_eq!(answers.len(), 1);
        assert_eq!(
            answers[0][8..12],
            CommandStatus::ESME_RINVSRCADR.0.to_be_bytes()
        );
        assert_eq!(refused, [CommandStatus::ESME_RINVSRCADR]);
        // A submit_sm_resp to nothing the device sent: not answered, so
        // nothing was refused.
        let resp = [0, 0, 0, 17, 0x80, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 9, 0];
        let (answers, refused) = run(&resp);
        assert!(answers.is_empty());
        assert!(refused.is_empty(), "{refused:?}");
    }

    #[test]
    fn an_esme_that_never_binds_is_closed_by_the_device_timer() {
        let mut device = Device::new("DEVICE", Millis(0)).unwrap();
        let due = device.session().poll_timeout().unwrap();
        let mut sent = Vec::new();
        device.on_timer(due, &mut |a: &[u8]| sent.extend_from_slice(a));
        assert!(device.session().is_closed());
    }
}
