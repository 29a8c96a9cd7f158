//! A firmware-style ESME written from the documentation of
//! `smpp_core::session` and `FrameBuf`: fixed storage (`Fixed<2, 512>`), a
//! receive buffer of 512 octets fed a few octets at a time, answers into a
//! stack buffer, the clock moved by hand. The MC at the other end is a
//! default `Session` of the MC side.

use core::time::Duration;

use smpp_core::session::{
    BindType, CloseReason, Config, Event, Fixed, Millis, Session, SessionError, Timers,
};
use smpp_core::{
    Body, COctet, CommandId, CommandStatus, DeliverSm, DeliverSmResp, FrameBuf, Pdu, SubmitSm,
    SubmitSmResp, Tlvs, frame_len,
};

type Device = Session<Fixed<2, 512>>;

/// The device: its session, its receive buffer and what it read.
struct Esme {
    session: Device,
    rx: FrameBuf<512>,
    /// The `deliver_sm` texts it received.
    delivered: Vec<Vec<u8>>,
    /// Responses to its requests: (tag, status).
    responses: Vec<(u64, CommandStatus)>,
    events: Vec<Event>,
}

impl Esme {
    /// Feeds octets from the wire in chunks of `chunk`, as a UART or a
    /// small socket read would, handling every frame.
    fn receive(&mut self, octets: &[u8], chunk: usize, now: Millis) {
        for mut piece in octets.chunks(chunk) {
            while !piece.is_empty() {
                let taken = self.rx.feed(piece);
                piece = &piece[taken..];
                self.drain(now);
            }
        }
    }

    /// Takes every complete frame out of the receive buffer.
    fn drain(&mut self, now: Millis) {
        loop {
            let frame = match self.rx.next_frame() {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    self.session.handle_framing_error(e);
                    self.rx.clear();
                    break;
                }
            };
            match self.session.handle_frame(frame, now) {
                Ok(Some(pdu)) => {
                    if let Body::DeliverSm(sm) = pdu.body {
                        self.delivered.push(sm.short_message.to_vec());
                    }
                }
                Ok(None) => {}
                Err(e) => panic!("refused a frame: {e}"),
            }
            self.events();
        }
    }

    /// Takes every event and answers what the application answers.
    fn events(&mut self) {
        while let Some(event) = self.session.poll_event() {
            match event {
                Event::IncomingRequest {
                    sequence_number,
                    command_id,
                } => {
                    assert_eq!(command_id, CommandId::DELIVER_SM);
                    let resp = DeliverSmResp::<&[u8]>::default();
                    self.session
                        .respond(
                            sequence_number,
                            CommandStatus::ESME_ROK,
                            Body::DeliverSmResp(Some(resp)),
                            Millis(0),
                        )
                        .unwrap();
                }
                Event::Response {
                    request,
                    command_status,
                    ..
                } => {
                    self.responses.push((request.tag, command_status));
                }
                other => self.events.push(other),
            }
        }
    }

    /// What the device writes: whole PDUs through a 256-octet stack buffer.
    fn transmit(&mut self, now: Millis) -> Vec<u8> {
        let mut wire = Vec::new();
        let mut out = [0u8; 256];
        while let Some(n) = self.session.poll_transmit(&mut out, now) {
            assert!(n > 0, "a queued PDU larger than 256 octets");
            wire.extend_from_slice(&out[..n]);
        }
        wire
    }
}

/// Hands every frame in `wire` to the MC; returns what the MC answers and
/// the requests it read.
fn mc_handle(mc: &mut Session, wire: &[u8], now: Millis) -> Vec<(u32, CommandId)> {
    let mut rest = wire;
    let mut requests = Vec::new();
    while let Some(len) = frame_len(rest, 4096).unwrap() {
        let (frame, tail) = rest.split_at(len);
        mc.handle_frame(frame, now).unwrap();
        rest = tail;
        while let Some(event) = mc.poll_event() {
            match event {
                Event::BindRequest { .. } => mc.accept_bind(CommandStatus::ESME_ROK, now).unwrap(),
                Event::IncomingRequest {
                    sequence_number,
                    command_id,
                } => {
                    requests.push((sequence_number, command_id));
                }
                _ => {}
            }
        }
    }
    assert!(rest.is_empty());
    requests
}

fn mc_transmit(mc: &mut Session, now: Millis) -> Vec<u8> {
    let mut wire = Vec::new();
    let mut out = [0u8; 4096];
    while let Some(n) = mc.poll_transmit(&mut out, now) {
        wire.extend_from_slice(&out[..n]);
    }
    wire
}

/// A device bound as a transceiver to a default MC session.
fn bound_device() -> (Esme, Session) {
    let timers = Timers {
        enquire_link_timer: Some(Duration::from_secs(10)),
        response_timer: Duration::from_secs(5),
        ..Timers::DEFAULT
    };
    let config = Config::esme(BindType::Transceiver)
        .with_system_id("meter-7")
        .unwrap()
        .with_password("pw")
        .unwrap()
        .with_timers(timers);
    let mut esme = Esme {
        session: Session::new(config, Millis(0)),
        rx: FrameBuf::new(),
        delivered: Vec::new(),
        responses: Vec::new(),
        events: Vec::new(),
    };
    let mut mc: Session = Session::new(Config::mc().with_system_id("mc").unwrap(), Millis(0));

    esme.session.bind(Millis(0)).unwrap();
    let wire = esme.transmit(Millis(0));
    mc_handle(&mut mc, &wire, Millis(1));
    let answer = mc_transmit(&mut mc, Millis(1));
    esme.receive(&answer, 3, Millis(2));
    assert!(matches!(
        esme.events.as_slice(),
        [Event::BindResult {
            command_status: CommandStatus::ESME_ROK,
            ..
        }]
    ));
    (esme, mc)
}

#[test]
fn a_device_binds_sends_receives_keeps_the_link_and_unbinds() {
    let (mut esme, mut mc) = bound_device();

    // A 160-octet submit_sm, tagged 42; the window of 2 takes two, not three.
    let text = [b'a'; 160];
    let submit = SubmitSm {
        source_addr: COctet::from("1234"),
        destination_addr: COctet::from("447700900123"),
        short_message: &text[..],
        ..SubmitSm::default()
    };
    esme.session
        .send_request(Body::SubmitSm(submit), 42, Millis(3))
        .unwrap();
    esme.session
        .send_request(Body::SubmitSm(submit), 43, Millis(3))
        .unwrap();
    assert_eq!(
        esme.session
            .send_request(Body::SubmitSm(submit), 44, Millis(3)),
        Err(SessionError::WindowFull)
    );
    let wire = esme.transmit(Millis(3));
    let requests = mc_handle(&mut mc, &wire, Millis(4));
    assert_eq!(requests.len(), 2);
    for (seq, _) in requests {
        let resp = SubmitSmResp {
            message_id: COctet::from("m1"),
            tlvs: Tlvs::EMPTY,
        };
        mc.respond(
            seq,
            CommandStatus::ESME_ROK,
            Body::SubmitSmResp(Some(resp)),
            Millis(4),
        )
        .unwrap();
    }
    // The MC also delivers a message; all of it arrives one octet at a time.
    let deliver = DeliverSm {
        source_addr: COctet::from("447700900123"),
        destination_addr: COctet::from("1234"),
        short_message: &b"reply"[..],
        ..DeliverSm::default()
    };
    mc.send_request(Body::DeliverSm(deliver), 1, Millis(4))
        .unwrap();
    let answer = mc_transmit(&mut mc, Millis(4));
    esme.receive(&answer, 1, Millis(5));
    assert_eq!(
        esme.responses,
        [(42, CommandStatus::ESME_ROK), (43, CommandStatus::ESME_ROK)]
    );
    assert_eq!(esme.delivered, [b"reply".to_vec()]);
    let wire = esme.transmit(Millis(5));
    mc_handle(&mut mc, &wire, Millis(6));
    assert!(matches!(
        mc.poll_event(),
        None | Some(Event::Response {
            command_status: CommandStatus::ESME_ROK,
            ..
        })
    ));

    // Silence: the engine asks for enquire_link when the timer runs out.
    let due = esme.session.poll_timeout().expect("the enquire_link timer");
    assert_eq!(due, Millis(5 + 10_000));
    esme.session.handle_timeout(due);
    let wire = esme.transmit(due);
    assert_eq!(
        Pdu::parse(&wire).unwrap().command_id(),
        CommandId::ENQUIRE_LINK
    );
    mc_handle(&mut mc, &wire, due);
    let answer = mc_transmit(&mut mc, due);
    esme.receive(&answer, 5, due);
    assert!(!esme.session.is_closed());

    // Unbind; the MC answers and the device's session closes.
    esme.session.unbind(due).unwrap();
    let wire = esme.transmit(due);
    mc_handle(&mut mc, &wire, due);
    let answer = mc_transmit(&mut mc, due);
    esme.receive(&answer, 7, due);
    assert!(esme.session.is_closed());
    assert_eq!(esme.session.close_reason(), Some(CloseReason::Unbound));
    assert!(matches!(
        esme.events.last(),
        Some(Event::Closed(CloseReason::Unbound))
    ));
}

/// An MC that never answers the bind: the `session_init_timer` stops once
/// the bind is sent, and the bind's `response_timer` closes the session.
/// Without a bind, the `session_init_timer` does.
#[test]
fn a_silent_peer_closes_the_device_session() {
    let timers = Timers {
        session_init_timer: Some(Duration::from_secs(1)),
        response_timer: Duration::from_secs(2),
        ..Timers::DEFAULT
    };
    let config = Config::esme(BindType::Transmitter).with_timers(timers);
    let mut session: Device = Session::new(config.clone(), Millis(0));
    session.bind(Millis(0)).unwrap();
    let mut out = [0u8; 256];
    assert!(
        session
            .poll_transmit(&mut out, Millis(0))
            .is_some_and(|n| n > 16)
    );
    let due = session.poll_timeout().unwrap();
    assert_eq!(due, Millis(2000));
    session.handle_timeout(due);
    assert_eq!(
        session.close_reason(),
        Some(CloseReason::ResponseTimeout {
            command_id: CommandId::BIND_TRANSMITTER,
            sequence_number: 1
        })
    );

    // A refused bind: the session_init_timer counts again, from the start.
    let mut refused: Device = Session::new(config.clone(), Millis(0));
    refused.bind(Millis(0)).unwrap();
    assert!(refused.poll_transmit(&mut out, Millis(0)).is_some());
    let nack = [0, 0, 0, 16, 0x80, 0, 0, 2, 0, 0, 0, 0x0D, 0, 0, 0, 1];
    refused.handle_frame(&nack, Millis(500)).unwrap();
    assert_eq!(refused.poll_timeout(), Some(Millis(1000)));

    let mut idle: Device = Session::new(config, Millis(0));
    assert_eq!(idle.poll_timeout(), Some(Millis(1000)));
    idle.handle_timeout(Millis(1000));
    assert_eq!(idle.close_reason(), Some(CloseReason::SessionInitTimeout));
}

/// Garbage mid-stream: a `command_length` over the receive buffer is a
/// framing error; the session queues a `generic_nack` and closes.
#[test]
fn an_impossible_length_ends_the_device_session() {
    let mut session: Device = Session::new(Config::esme(BindType::Transmitter), Millis(0));
    let mut rx = FrameBuf::<512>::new();
    assert_eq!(rx.feed(&[0, 0, 2, 1, 0, 0, 0, 4]), 8);
    let err = rx.next_frame().unwrap_err();
    session.handle_framing_error(err);
    let mut out = [0u8; 256];
    let n = session.poll_transmit(&mut out, Millis(0)).unwrap();
    let nack = Pdu::parse(&out[..n]).unwrap();
    assert_eq!(nack.command_id(), CommandId::GENERIC_NACK);
    assert_eq!(nack.command_status, CommandStatus::ESME_RINVCMDLEN);
    assert!(session.is_closed());
    // The error stays until the buffer is cleared.
    assert!(rx.next_frame().is_err());
    rx.clear();
    assert_eq!(rx.next_frame(), Ok(None));
}

/// `poll_transmit` into a buffer smaller than the next PDU gives `Some(0)`
/// and leaves it queued; `next_transmit_len` says how much room it needs.
#[test]
fn a_small_transmit_buffer_is_told_how_much_it_needs() {
    let mut session: Device = Session::new(
        Config::esme(BindType::Transmitter)
            .with_system_id("abc")
            .unwrap(),
        Millis(0),
    );
    session.bind(Millis(0)).unwrap();
    let needed = session.next_transmit_len().unwrap();
    let mut small = [0u8; 16];
    assert_eq!(session.poll_transmit(&mut small, Millis(0)), Some(0));
    let mut out = vec![0u8; needed];
    assert_eq!(session.poll_transmit(&mut out, Millis(0)), Some(needed));
    assert_eq!(session.poll_transmit(&mut out, Millis(0)), None);
}

/// The `# Errors` of the `Config` setters: too long, or a NUL inside, with
/// the status a bind of such a value would be refused with.
#[test]
fn config_setters_refuse_what_a_bind_could_not_carry() {
    use smpp_core::{ErrorKind, Field, FieldProblem, Npi, Ton};
    let esme = || Config::esme(BindType::Transceiver);
    let problem = |r: Result<Config, smpp_core::Error>| match r.unwrap_err().kind() {
        ErrorKind::Field { field, problem } => (field, problem),
        other => panic!("{other:?}"),
    };
    assert!(esme().with_system_id(&"s".repeat(15)).is_ok());
    assert_eq!(
        problem(esme().with_system_id(&"s".repeat(16))),
        (Field::SystemId, FieldProblem::TooLong { max: 16, len: 17 })
    );
    assert_eq!(
        esme()
            .with_system_id(&"s".repeat(16))
            .unwrap_err()
            .command_status(),
        CommandStatus::ESME_RINVSYSID
    );
    assert_eq!(
        problem(esme().with_system_id("a\0b")),
        (Field::SystemId, FieldProblem::EmbeddedNul)
    );
    assert!(esme().with_password(&"p".repeat(8)).is_ok());
    assert_eq!(
        esme()
            .with_password(&"p".repeat(9))
            .unwrap_err()
            .command_status(),
        CommandStatus::ESME_RINVPASWD
    );
    assert_eq!(
        problem(esme().with_password("\0")),
        (Field::Password, FieldProblem::EmbeddedNul)
    );
    assert!(esme().with_system_type(&"t".repeat(12)).is_ok());
    assert!(matches!(
        problem(esme().with_system_type(&"t".repeat(13))),
        (Field::SystemType, FieldProblem::TooLong { .. })
    ));
    let range = |r: &str| esme().with_address_range(Ton::INTERNATIONAL, Npi::ISDN, r);
    assert!(range(&"4".repeat(40)).is_ok());
    assert!(matches!(
        problem(range(&"4".repeat(41))),
        (Field::AddressRange, FieldProblem::TooLong { .. })
    ));
    assert_eq!(
        problem(range("4\0")),
        (Field::AddressRange, FieldProblem::EmbeddedNul)
    );
}

/// A maximum below 16 given to `FrameBuf::with_max_command_length` is 16,
/// as `FrameDecoder::with_max_command_length` takes it: a header-only PDU
/// still frames, a longer one is refused.
#[test]
fn a_maximum_below_a_header_still_frames_header_only_pdus() {
    let enquire_link = [0u8, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 1];
    for max in [0, 4, 15] {
        let mut rx = FrameBuf::<64>::with_max_command_length(max);
        assert_eq!(rx.max_command_length(), 16);
        assert_eq!(rx.feed(&enquire_link), 16);
        assert_eq!(rx.next_frame(), Ok(Some(&enquire_link[..])), "max {max}");
        assert_eq!(rx.feed(&[0, 0, 0, 17]), 4);
        assert!(rx.next_frame().is_err());
    }
}

/// `Config::with_first_sequence_number`: outside 1..=0x7FFFFFFF means 1,
/// and numbers wrap from 0x7FFFFFFF to 1; `with_window` and
/// `with_inbound_window`: at least 1, capped by the storage's `WINDOW`.
#[test]
fn first_sequence_number_and_window_limits() {
    let first = |n: u32| {
        let config = Config::esme(BindType::Transmitter).with_first_sequence_number(n);
        let mut s: Device = Session::new(config, Millis(0));
        s.bind(Millis(0)).unwrap()
    };
    assert_eq!(first(0), 1);
    assert_eq!(first(0x8000_0000), 1);
    assert_eq!(first(0x7FFF_FFFF), 0x7FFF_FFFF);
    let config = Config::esme(BindType::Transmitter)
        .with_window(0)
        .with_inbound_window(0);
    assert_eq!((config.window(), config.inbound_window()), (1, 1));
    let s: Device = Session::new(config.with_window(10).with_inbound_window(10), Millis(0));
    assert_eq!((s.window_size(), s.inbound_window_size()), (2, 2));
}
