//! The refusals of the session's own calls (`bind`, `accept_bind`,
//! `outbind`, `unbind`), as their docs list them.

use smpp_core::session::{BindType, Config, Event, Millis, Role, Session, SessionError};
use smpp_core::{CommandId, CommandStatus};

const T: Millis = Millis(0);

/// An ESME and an MC bound to each other.
fn bound() -> (Session, Session) {
    let mut esme: Session = Session::new(Config::esme(BindType::Transceiver), T);
    let mut mc: Session = Session::new(Config::mc(), T);
    esme.bind(T).unwrap();
    pump(&mut esme, &mut mc);
    while let Some(e) = mc.poll_event() {
        if matches!(e, Event::BindRequest { .. }) {
            mc.accept_bind(CommandStatus::ESME_ROK, T).unwrap();
        }
    }
    pump(&mut mc, &mut esme);
    while esme.poll_event().is_some() {}
    assert!(esme.state().is_bound() && mc.state().is_bound());
    (esme, mc)
}

/// Hands every queued PDU of `from` to `to`.
fn pump(from: &mut Session, to: &mut Session) {
    let mut out = [0u8; 4096];
    while let Some(n) = from.poll_transmit(&mut out, T) {
        let mut rest = &out[..n];
        while let Ok(Some(len)) = smpp_core::frame_len(rest, 4096) {
            let (frame, tail) = rest.split_at(len);
            to.handle_frame(frame, T).unwrap();
            rest = tail;
        }
    }
}

/// The status of a `NotAllowed` refusal.
fn not_allowed(r: Result<u32, SessionError>, command_id: CommandId) -> CommandStatus {
    match r {
        Err(SessionError::NotAllowed {
            command_id: id,
            command_status,
            ..
        }) if id == command_id => command_status,
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_calls_refuse_what_their_docs_list() {
    let mut esme: Session = Session::new(Config::esme(BindType::Transmitter), T);
    let mut mc: Session = Session::new(Config::mc(), T);
    assert_eq!(mc.bind(T), Err(SessionError::WrongRole(Role::Mc)));
    assert_eq!(
        esme.accept_bind(CommandStatus::ESME_ROK, T),
        Err(SessionError::WrongRole(Role::Esme))
    );
    assert_eq!(esme.outbind(T), Err(SessionError::WrongRole(Role::Esme)));
    assert_eq!(
        mc.accept_bind(CommandStatus::ESME_ROK, T),
        Err(SessionError::NoBindRequest)
    );
    assert_eq!(
        not_allowed(esme.unbind(T), CommandId::UNBIND),
        CommandStatus::ESME_RINVBNDSTS
    );
    assert_eq!(esme.transmit_len(), 0, "nothing sent");
    assert_eq!(esme.bind(T), Ok(1));
    assert_eq!(esme.bind(T), Err(SessionError::BindInProgress));

    let (mut esme, mut mc) = bound();
    assert_eq!(
        not_allowed(esme.bind(T), CommandId::BIND_TRANSCEIVER),
        CommandStatus::ESME_RALYBND
    );
    assert_eq!(
        not_allowed(mc.outbind(T), CommandId::OUTBIND),
        CommandStatus::ESME_RINVBNDSTS
    );
    assert_eq!(esme.transmit_len() + mc.transmit_len(), 0, "nothing sent");
    assert_eq!(esme.unbind(T), Ok(2));
    assert_eq!(esme.unbind(T), Err(SessionError::Unbinding));

    // The peer ended its side with a request of its own unanswered: the
    // session stays open to answer it, and takes no unbind.
    let (mut esme, mut mc) = bound();
    mc.send_request(
        smpp_core::Body::DeliverSm(smpp_core::DeliverSm::<&[u8]>::default()),
        0,
        T,
    )
    .unwrap();
    pump(&mut mc, &mut esme);
    esme.handle_end_of_stream(T);
    assert!(!esme.is_closed());
    assert_eq!(esme.unbind(T), Err(SessionError::EndOfStream));
    esme.close();
    assert_eq!(esme.bind(T), Err(SessionError::Closed));
    assert_eq!(esme.unbind(T), Err(SessionError::Closed));
}

/// `Event::RequestTimedOut`: a late response is reported as
/// `ProtocolError::UnexpectedResponse`. `Event::BindResult`: a
/// `generic_nack` carrying `ESME_ROK` reads as `ESME_RBINDFAIL`.
#[test]
fn late_responses_and_a_nack_to_the_bind() {
    use smpp_core::session::ProtocolError;
    use smpp_core::{Body, SubmitSm};

    let (mut esme, _mc) = bound();
    let seq = esme
        .send_request(Body::SubmitSm(SubmitSm::<&[u8]>::default()), 5, T)
        .unwrap();
    let mut out = [0u8; 512];
    while esme.poll_transmit(&mut out, T).is_some() {}
    let due = esme.poll_timeout().unwrap();
    esme.handle_timeout(due);
    assert!(matches!(esme.poll_event(), Some(Event::RequestTimedOut(r)) if r.tag == 5));
    let mut late = [0u8, 0, 0, 17, 0x80, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    late[12..16].copy_from_slice(&seq.to_be_bytes());
    assert_eq!(esme.handle_frame(&late, due), Ok(None));
    assert!(matches!(
        esme.poll_event(),
        Some(Event::ProtocolError(ProtocolError::UnexpectedResponse { sequence_number, .. })) if sequence_number == seq
    ));

    let mut esme: Session = Session::new(Config::esme(BindType::Receiver), T);
    let seq = esme.bind(T).unwrap();
    while esme.poll_transmit(&mut out, T).is_some() {}
    let mut nack = [0u8, 0, 0, 16, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    nack[12..16].copy_from_slice(&seq.to_be_bytes());
    esme.handle_frame(&nack, T).unwrap();
    assert!(matches!(
        esme.poll_event(),
        Some(Event::BindResult {
            command_status: CommandStatus::ESME_RBINDFAIL,
            ..
        })
    ));
    assert!(!esme.state().is_bound());
}

/// `InboundOverflow`: `Wait` leaves a request beyond the inbound window
/// unread (`InboundWindowFull`, the frame not consumed); `Refuse` answers
/// it `ESME_RX_T_APPN` (an ESME) and reports `WindowExceeded`.
#[test]
fn inbound_window_overflow_both_ways() {
    use smpp_core::session::{InboundOverflow, ProtocolError};
    use smpp_core::{Body, DeliverSm, Pdu};

    let deliver = |seq: u32| {
        let mut frame = [0u8; 64];
        let n = Pdu::new(seq, Body::DeliverSm(DeliverSm::<&[u8]>::default()))
            .emit(&mut frame)
            .unwrap();
        frame[..n].to_vec()
    };
    for overflow in [InboundOverflow::Wait, InboundOverflow::Refuse] {
        // A bound ESME whose inbound window is 1.
        let config = Config::esme(BindType::Transceiver)
            .with_inbound_window(1)
            .with_inbound_overflow(overflow);
        let mut esme: Session = Session::new(config, T);
        esme.bind(T).unwrap();
        let mut out = [0u8; 512];
        while esme.poll_transmit(&mut out, T).is_some() {}
        let resp = [0, 0, 0, 17, 0x80, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        esme.handle_frame(&resp, T).unwrap();
        while esme.poll_event().is_some() {}
        let (first, next) = (deliver(10), deliver(11));
        assert!(esme.handle_frame(&first, T).unwrap().is_some());
        let second = esme.handle_frame(&next, T);
        if overflow == InboundOverflow::Wait {
            assert_eq!(second, Err(SessionError::InboundWindowFull));
            assert_eq!(esme.transmit_len(), 0);
        } else {
            assert_eq!(second, Ok(None));
            let events: Vec<Event> = core::iter::from_fn(|| esme.poll_event()).collect();
            assert!(events.iter().any(|e| matches!(
                e,
                Event::ProtocolError(ProtocolError::WindowExceeded {
                    sequence_number: 11,
                    command_status: CommandStatus::ESME_RX_T_APPN,
                    ..
                })
            )));
            let n = esme.poll_transmit(&mut out, T).unwrap();
            let answer = Pdu::parse(&out[..n]).unwrap();
            assert_eq!(
                (answer.sequence_number, answer.command_status),
                (11, CommandStatus::ESME_RX_T_APPN)
            );
        }
    }
}
