//! The session engine end to end: an ESME and an MC engine wired to each
//! other in memory (what one transmits, the other handles), with time moved
//! by hand.

mod common;

use core::time::Duration;

use common::encode;
use common::session::{
    Link, assert_closed, deliver_sm, events, frames_of, header, message_id, no_timers, submit,
};
use smpp_core::session::{
    BindType, CloseReason, Config, Event, Fixed, InboundOverflow, Millis, ProtocolError, Role,
    Session, SessionError, SessionState, Timers, Version,
};
use smpp_core::{
    Body, COctet, CommandId, CommandStatus, DeliverSm, DeliverSmResp, EsmClass, Header,
    InterfaceVersion, Pdu, TlvTag, Tlvs, frame_len,
};

type S = Session<Fixed<8, 4096>>;

const T0: Millis = Millis(1_000);

fn esme_config(bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id("esme01")
        .and_then(|c| c.with_password("secret"))
        .unwrap()
}

fn mc_config() -> Config {
    Config::mc().with_system_id("SMSC").unwrap()
}

/// Every PDU `s` queued, one frame each.
fn drain(s: &mut S) -> Vec<Vec<u8>> {
    let mut buf = vec![0u8; 4096];
    let mut frames = Vec::new();
    while let Some(n) = s.poll_transmit(&mut buf, Millis(0)) {
        assert!(n > 0, "a 4096-octet buffer takes any queued PDU");
        frames.extend(frames_of(&buf[..n]));
    }
    frames
}

/// The PDU `s` hands to the application for `frame`.
fn handled<'a>(s: &mut S, frame: &'a [u8], now: Millis) -> Pdu<&'a [u8]> {
    s.handle_frame(frame, now)
        .unwrap()
        .expect("a PDU for the application")
}

/// The header of the one reply `s` sends by itself to `frame`, which it
/// does not hand to the application.
fn reply_to(s: &mut S, frame: &[u8], now: Millis) -> Header {
    assert!(s.handle_frame(frame, now).unwrap().is_none());
    let reply = drain(s);
    assert_eq!(reply.len(), 1);
    header(&reply[0])
}

/// [`drain`] as a [`Link`] takes frames.
fn take(s: &mut S, _now: Millis) -> Vec<Vec<u8>> {
    drain(s)
}

impl Link<Fixed<8, 4096>> {
    /// Unbound sessions of `esme` and `mc`, opened at [`T0`].
    fn unbound(esme: Config, mc: Config) -> Self {
        Self::new(esme, mc, T0, take)
    }

    /// Bound as `bind_type`, with both event queues empty.
    fn bound(bind_type: BindType) -> Self {
        Self::configured(bind_type, |c| c, |c| c)
    }

    /// Bound as `bind_type`, each side's configuration (no timer but the
    /// response timer) changed by `esme` and `mc`.
    fn configured(
        bind_type: BindType,
        esme: impl FnOnce(Config) -> Config,
        mc: impl FnOnce(Config) -> Config,
    ) -> Self {
        Self::bound_with(
            esme(esme_config(bind_type).with_timers(no_timers())),
            mc(mc_config().with_timers(no_timers())),
        )
    }

    /// A bound transceiver whose ESME runs `timers` (the MC none).
    fn esme_timers(timers: Timers) -> Self {
        Self::bound_with(
            esme_config(BindType::Transceiver).with_timers(timers),
            mc_config().with_timers(no_timers()),
        )
    }

    fn bound_with(esme: Config, mc: Config) -> Self {
        Self::unbound(esme, mc).bind()
    }

    /// Moves time to `at` and lets both sides handle their timers.
    fn advance_to(&mut self, at: Millis) {
        self.now = at;
        self.esme.handle_timeout(at);
        self.mc.handle_timeout(at);
    }
}

#[test]
fn bind_reports_the_negotiated_version_and_the_mc_system_id() {
    let [v33, v34, v50] = [
        InterfaceVersion::V33,
        InterfaceVersion::V34,
        InterfaceVersion::V50,
    ];
    for (esme_version, mc_version, expected, tlv) in [
        (v50, v50, Version::V50, true),
        (v50, v34, Version::V34, true),
        (v34, v50, Version::V34, true),
        // A v3.3 ESME gets no TLV in the bind response.
        (v33, v50, Version::V34, false),
    ] {
        let mut link = Link::unbound(
            esme_config(BindType::Transmitter).with_interface_version(esme_version),
            mc_config().with_interface_version(mc_version),
        );
        link.esme.bind(link.now).unwrap();
        let bind = link.esme_to_mc();
        let pdu = Pdu::parse(&bind[0]).unwrap();
        let Body::BindTransmitter(b) = pdu.body else {
            panic!("{pdu:?}")
        };
        assert_eq!(b.system_id.as_bytes(), b"esme01");
        assert_eq!(b.password.as_bytes(), b"secret");
        assert_eq!(b.interface_version, esme_version);
        events(&mut link.mc);
        link.mc
            .accept_bind(CommandStatus::ESME_ROK, link.now)
            .unwrap();
        let resp = drain(&mut link.mc);
        let pdu = handled(&mut link.esme, &resp[0], link.now);
        let Body::BindTransmitterResp(Some(r)) = pdu.body else {
            panic!("{pdu:?}")
        };
        assert_eq!(r.system_id.as_bytes(), b"SMSC");
        let sc = r
            .tlvs
            .get(TlvTag::SC_INTERFACE_VERSION)
            .and_then(|t| t.as_u8());
        assert_eq!(sc, tlv.then_some(mc_version.0));
        assert_eq!(link.esme.version(), expected);
        assert_eq!(link.mc.version(), expected);
        assert_eq!(link.esme.bind_type(), Some(BindType::Transmitter));
        assert_eq!(link.mc.bind_type(), Some(BindType::Transmitter));
    }
}

#[test]
fn a_refused_bind_leaves_the_session_open_for_another_try() {
    let mut link = Link::unbound(
        esme_config(BindType::Receiver).with_timers(no_timers()),
        mc_config().with_timers(no_timers()),
    );
    link.esme.bind(link.now).unwrap();
    assert_eq!(link.esme.bind(link.now), Err(SessionError::BindInProgress));
    link.esme_to_mc();
    events(&mut link.mc);
    link.mc
        .accept_bind(CommandStatus::ESME_RINVPASWD, link.now)
        .unwrap();
    let resp = link.mc_to_esme();
    assert_eq!(resp[0].len(), 16, "an error bind response has no body");
    assert_eq!(
        header(&resp[0]).command_status,
        CommandStatus::ESME_RINVPASWD
    );
    assert_eq!(
        events(&mut link.esme),
        [Event::BindResult {
            bind_type: BindType::Receiver,
            command_status: CommandStatus::ESME_RINVPASWD
        }]
    );
    assert_eq!(link.esme.state(), SessionState::Open);
    assert_eq!(link.mc.state(), SessionState::Open);
    assert_eq!(
        link.mc.accept_bind(CommandStatus::ESME_ROK, link.now),
        Err(SessionError::NoBindRequest)
    );
    // Second try.
    let link = link.bind();
    assert_eq!(link.esme.state(), SessionState::BoundRx);
}

#[test]
fn calls_of_the_other_side_are_refused() {
    let mut esme: S = Session::new(esme_config(BindType::Transmitter), T0);
    let mut mc: S = Session::new(mc_config(), T0);
    assert_eq!(
        esme.accept_bind(CommandStatus::ESME_ROK, T0),
        Err(SessionError::WrongRole(Role::Esme))
    );
    assert_eq!(esme.outbind(T0), Err(SessionError::WrongRole(Role::Esme)));
    assert_eq!(mc.bind(T0), Err(SessionError::WrongRole(Role::Mc)));
    assert_eq!(esme.role(), Role::Esme);
    assert_eq!(mc.role(), Role::Mc);
}

#[test]
fn a_submit_flood_waits_for_the_window() {
    let mut link = Link::configured(
        BindType::Transceiver,
        |c| c.with_window(4),
        |c| c.with_window(4),
    );
    assert_eq!(link.esme.window_size(), 4);
    let total = 50u64;
    let mut next_tag = 0;
    let mut answered = Vec::new();
    let mut full = 0;
    while answered.len() < usize::try_from(total).unwrap() {
        // Send until the window refuses.
        while next_tag < total {
            match link.esme.send_request(submit("flood"), next_tag, link.now) {
                Ok(_) => next_tag += 1,
                Err(SessionError::WindowFull) => {
                    full += 1;
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(link.esme.outstanding().count() <= 4);
        link.esme_to_mc();
        // The MC answers every request it holds, each with a message_id.
        for event in events(&mut link.mc) {
            let Event::IncomingRequest {
                sequence_number,
                command_id,
            } = event
            else {
                panic!("{event:?}")
            };
            assert_eq!(command_id, CommandId::SUBMIT_SM);
            let id = format!("m{sequence_number}");
            let resp = message_id(&id);
            link.mc
                .respond(sequence_number, CommandStatus::ESME_ROK, resp, link.now)
                .unwrap();
        }
        let frames = drain(&mut link.mc);
        for frame in &frames {
            let resp = handled(&mut link.esme, frame, link.now);
            let Body::SubmitSmResp(Some(r)) = resp.body else {
                panic!("{resp:?}")
            };
            assert_eq!(
                r.message_id.as_bytes(),
                format!("m{}", resp.sequence_number).as_bytes()
            );
        }
        for event in events(&mut link.esme) {
            let Event::Response {
                request,
                command_id,
                command_status,
            } = event
            else {
                panic!("{event:?}")
            };
            assert_eq!(command_id, CommandId::SUBMIT_SM_RESP);
            assert_eq!(command_status, CommandStatus::ESME_ROK);
            answered.push(request.tag);
        }
    }
    answered.sort_unstable();
    assert_eq!(answered, (0..total).collect::<Vec<_>>());
    assert!(full >= 10, "the window pushed back {full} times");
    assert_eq!(link.esme.outstanding().count(), 0);
    assert_eq!(link.mc.unanswered().count(), 0);
}

#[test]
fn delivery_receipts_come_back_on_a_transceiver() {
    let mut link = Link::bound(BindType::Transceiver);
    let seq = link.esme.send_request(submit("ping"), 1, link.now).unwrap();
    link.esme_to_mc();
    events(&mut link.mc);
    link.mc
        .respond(seq, CommandStatus::ESME_ROK, message_id("abc"), link.now)
        .unwrap();
    link.mc_to_esme();
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::Response { .. }]
    ));

    // The MC sends the receipt.
    let text = b"id:abc sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000 text:ping";
    let receipt = Body::DeliverSm(DeliverSm {
        source_addr: COctet::from("447700900123"),
        destination_addr: COctet::from("12025550100"),
        esm_class: EsmClass::DELIVERY_RECEIPT,
        short_message: &text[..],
        ..DeliverSm::<&[u8]>::default()
    });
    let dseq = link.mc.send_request(receipt, 99, link.now).unwrap();
    let frames = drain(&mut link.mc);
    let pdu = handled(&mut link.esme, &frames[0], link.now);
    let Body::DeliverSm(d) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert!(d.esm_class.is_delivery_receipt());
    assert_eq!(d.short_message, &text[..]);
    assert_eq!(
        events(&mut link.esme),
        [Event::IncomingRequest {
            sequence_number: dseq,
            command_id: CommandId::DELIVER_SM
        }]
    );
    // deliver_sm_resp is not submit_sm_resp.
    assert_eq!(
        link.esme
            .respond(dseq, CommandStatus::ESME_ROK, message_id("x"), link.now),
        Err(SessionError::WrongResponse {
            expected: CommandId::DELIVER_SM_RESP,
            command_id: CommandId::SUBMIT_SM_RESP
        })
    );
    let resp = Body::DeliverSmResp(Some(DeliverSmResp {
        message_id: COctet::from(""),
        tlvs: Tlvs::EMPTY,
    }));
    link.esme
        .respond(dseq, CommandStatus::ESME_ROK, resp, link.now)
        .unwrap();
    assert_eq!(
        link.esme
            .respond_status(dseq, CommandStatus::ESME_ROK, link.now),
        Err(SessionError::UnknownRequest(dseq)),
        "answered once"
    );
    link.esme_to_mc();
    let ev = events(&mut link.mc);
    assert!(
        matches!(ev[..], [Event::Response { request, command_id: CommandId::DELIVER_SM_RESP, .. }]
            if request.tag == 99 && request.sequence_number == dseq),
        "{ev:?}"
    );
}

#[test]
fn a_receiver_gets_deliver_sm_and_may_not_submit() {
    let mut link = Link::bound(BindType::Receiver);
    assert_eq!(
        link.esme.send_request(submit("no"), 0, link.now),
        Err(SessionError::NotAllowed {
            state: SessionState::BoundRx,
            command_id: CommandId::SUBMIT_SM,
            command_status: CommandStatus::ESME_RINVBNDSTS
        })
    );
    let deliver = Body::DeliverSm(DeliverSm {
        short_message: &b"hi"[..],
        ..DeliverSm::<&[u8]>::default()
    });
    let seq = link.mc.send_request(deliver, 5, link.now).unwrap();
    link.mc_to_esme();
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::IncomingRequest { sequence_number, .. }] if sequence_number == seq
    ));
    link.esme
        .respond_status(seq, CommandStatus::ESME_ROK, link.now)
        .unwrap();
    let frames = link.esme_to_mc();
    // deliver_sm_resp carries its (empty) message_id, whatever the status.
    assert_eq!(frames[0].len(), 17);
    assert_eq!(frames[0][16], 0);
    assert_eq!(header(&frames[0]).command_id, CommandId::DELIVER_SM_RESP);
}

#[test]
fn enquire_link_goes_out_after_the_enquire_link_timer_of_silence() {
    let mut link = Link::esme_timers(Timers {
        enquire_link_timer: Some(Duration::from_secs(30)),
        ..no_timers()
    });
    let due = link.esme.poll_timeout().unwrap();
    assert_eq!(due, T0 + Duration::from_secs(30));
    link.advance_to(Millis(due.0 - 1));
    assert!(drain(&mut link.esme).is_empty(), "not yet");
    link.advance_to(due);
    let sent = link.esme_to_mc();
    assert_eq!(header(&sent[0]).command_id, CommandId::ENQUIRE_LINK);
    assert_eq!(sent.len(), 1);
    // Now the response timer runs.
    assert_eq!(
        link.esme.poll_timeout(),
        Some(due + Duration::from_secs(10))
    );
    // The MC answers by itself; nobody sees an event.
    let answer = link.mc_to_esme();
    assert_eq!(header(&answer[0]).command_id, CommandId::ENQUIRE_LINK_RESP);
    assert_eq!(
        header(&answer[0]).sequence_number,
        header(&sent[0]).sequence_number
    );
    assert!(events(&mut link.esme).is_empty());
    assert!(events(&mut link.mc).is_empty());
    // The next one is due 30 s after the response arrived.
    assert_eq!(
        link.esme.poll_timeout(),
        Some(due + Duration::from_secs(30))
    );
    // Traffic from the peer postpones it.
    link.now = due + Duration::from_secs(20);
    link.mc.send_request(deliver_sm(), 0, link.now).unwrap();
    link.mc_to_esme();
    assert_eq!(
        link.esme.poll_timeout(),
        Some(link.now + Duration::from_secs(30))
    );
}

#[test]
fn an_unanswered_enquire_link_closes_the_session() {
    let mut link = Link::esme_timers(Timers {
        enquire_link_timer: Some(Duration::from_secs(30)),
        ..no_timers()
    });
    let tag = 42;
    let seq = link.esme.send_request(submit("x"), tag, link.now).unwrap();
    link.esme_to_mc(); // the MC never answers
    events(&mut link.mc);
    link.advance_to(T0 + Duration::from_secs(30));
    let sent = drain(&mut link.esme); // and the link is dead: nothing arrives
    assert_eq!(header(&sent[0]).command_id, CommandId::ENQUIRE_LINK);
    let enquire_seq = header(&sent[0]).sequence_number;
    // The submit_sm times out first (10 s).
    let ev = events(&mut link.esme);
    assert!(
        matches!(ev[..], [Event::RequestTimedOut(r)] if r.tag == tag && r.sequence_number == seq),
        "{ev:?}"
    );
    link.advance_to(T0 + Duration::from_secs(40));
    assert_eq!(link.esme.state(), SessionState::Closed);
    let reason = CloseReason::ResponseTimeout {
        command_id: CommandId::ENQUIRE_LINK,
        sequence_number: enquire_seq,
    };
    assert_closed(&mut link.esme, reason);
    assert_eq!(link.esme.poll_timeout(), None);
    assert_eq!(link.esme.poll_event(), None, "Closed comes once");
    assert_eq!(
        link.esme.handle_frame(&sent[0], link.now),
        Err(SessionError::Closed)
    );
    assert_eq!(
        link.esme.send_request(submit("late"), 0, link.now),
        Err(SessionError::Closed)
    );
}

#[test]
fn a_request_times_out_and_its_late_response_is_unexpected() {
    let mut link = Link::bound(BindType::Transmitter);
    let seq = link.esme.send_request(submit("slow"), 7, link.now).unwrap();
    link.esme_to_mc();
    events(&mut link.mc);
    let deadline = link.now + Duration::from_secs(10);
    assert_eq!(link.esme.poll_timeout(), Some(deadline));
    link.advance_to(Millis(deadline.0 - 1));
    assert!(events(&mut link.esme).is_empty());
    link.advance_to(deadline);
    let ev = events(&mut link.esme);
    assert!(
        matches!(ev[..], [Event::RequestTimedOut(r)]
            if r.tag == 7 && r.sequence_number == seq && r.command_id == CommandId::SUBMIT_SM),
        "{ev:?}"
    );
    assert_eq!(link.esme.outstanding().count(), 0);
    // The MC answers after all.
    link.mc
        .respond(seq, CommandStatus::ESME_ROK, message_id("late"), link.now)
        .unwrap();
    link.mc_to_esme();
    assert_eq!(
        events(&mut link.esme),
        [Event::ProtocolError(ProtocolError::UnexpectedResponse {
            command_id: CommandId::SUBMIT_SM_RESP,
            sequence_number: seq,
            command_status: CommandStatus::ESME_ROK
        })]
    );
    assert_eq!(link.esme.state(), SessionState::BoundTx);
}

#[test]
fn a_timed_out_request_keeps_its_slot_until_reported() {
    let mut link = Link::configured(BindType::Transmitter, |c| c.with_window(1), |c| c);
    link.esme.send_request(submit("a"), 1, link.now).unwrap();
    link.esme_to_mc();
    link.advance_to(link.now + Duration::from_secs(10));
    // Not reported yet: the window is still full.
    assert_eq!(
        link.esme.send_request(submit("b"), 2, link.now),
        Err(SessionError::WindowFull)
    );
    assert!(matches!(
        link.esme.poll_event(),
        Some(Event::RequestTimedOut(r)) if r.tag == 1
    ));
    link.esme.send_request(submit("b"), 2, link.now).unwrap();
}

#[test]
fn the_esme_unbinds() {
    let mut link = Link::bound(BindType::Transceiver);
    let seq = link.esme.send_request(submit("x"), 3, link.now).unwrap();
    let unbind_seq = link.esme.unbind(link.now).unwrap();
    assert_eq!(link.esme.unbind(link.now), Err(SessionError::Unbinding));
    assert_eq!(
        link.esme.send_request(submit("y"), 4, link.now),
        Err(SessionError::Unbinding)
    );
    let sent = link.esme_to_mc();
    assert_eq!(header(&sent[1]).command_id, CommandId::UNBIND);
    let ev = events(&mut link.mc);
    assert!(matches!(
        ev[..],
        [Event::IncomingRequest { .. }, Event::Unbound]
    ));
    assert_eq!(link.mc.state(), SessionState::Unbound);
    // Requests of the peer still waiting may be answered in UNBOUND.
    link.mc
        .respond(seq, CommandStatus::ESME_ROK, message_id("z"), link.now)
        .unwrap();
    // The MC may not submit anything new: it is unbound.
    assert!(matches!(
        link.mc.send_request(deliver_sm(), 0, link.now),
        Err(SessionError::NotAllowed { .. })
    ));
    let answers = drain(&mut link.mc);
    // The unbind_resp was queued first, then the submit_sm_resp.
    assert_eq!(header(&answers[0]).command_id, CommandId::UNBIND_RESP);
    assert_eq!(header(&answers[0]).sequence_number, unbind_seq);
    link.esme.handle_frame(&answers[0], link.now).unwrap();
    // The session closed with the unbind_resp: the submit_sm_resp is
    // refused and its request abandoned.
    assert_eq!(
        link.esme.handle_frame(&answers[1], link.now),
        Err(SessionError::Closed)
    );
    let ev = events(&mut link.esme);
    assert_eq!(ev[0], Event::Unbound);
    assert!(
        matches!(ev[1], Event::RequestAbandoned { request: r, .. } if r.tag == 3),
        "{ev:?}"
    );
    assert_eq!(ev[2], Event::Closed(CloseReason::Unbound));
    assert_eq!(ev.len(), 3);
    // The ESME closes the connection; the MC sees it.
    link.mc.handle_disconnect();
    assert_closed(&mut link.mc, CloseReason::Unbound);
}

#[test]
fn the_esme_answers_what_came_before_the_unbind_resp_then_closes() {
    for answered in [true, false] {
        let mut link = Link::bound(BindType::Transceiver);
        // The MC writes a deliver_sm before it sees the ESME's unbind.
        link.mc.send_request(deliver_sm(), 9, link.now).unwrap();
        let delivered = drain(&mut link.mc);
        link.esme.unbind(link.now).unwrap();
        let unbind = drain(&mut link.esme);
        let deliver = handled(&mut link.esme, &delivered[0], link.now).sequence_number;
        // The MC answers the unbind; the ESME owes the deliver_sm_resp.
        link.mc.handle_frame(&unbind[0], link.now).unwrap();
        let unbind_resp = drain(&mut link.mc);
        link.esme.handle_frame(&unbind_resp[0], link.now).unwrap();
        assert_eq!(link.esme.state(), SessionState::Unbound);
        assert!(!link.esme.is_closed(), "closed before its answer");
        assert!(matches!(
            events(&mut link.esme)[..],
            [Event::IncomingRequest { .. }, Event::Unbound]
        ));
        if answered {
            link.esme
                .respond_status(deliver, CommandStatus::ESME_ROK, link.now)
                .unwrap();
            let resp = drain(&mut link.esme);
            assert_eq!(header(&resp[0]).command_id, CommandId::DELIVER_SM_RESP);
            assert_eq!(header(&resp[0]).sequence_number, deliver);
            assert_closed(&mut link.esme, CloseReason::Unbound);
        } else {
            // Never answered: closed after the response timer all the same.
            let wait = link.esme.poll_timeout().unwrap();
            assert_eq!(wait, link.now + Duration::from_secs(10));
            link.advance_to(wait);
            assert_closed(&mut link.esme, CloseReason::Unbound);
        }
    }
}

#[test]
fn the_mc_unbinds_and_waits_for_the_esme_to_close() {
    let mut link = Link::bound(BindType::Receiver);
    link.mc.unbind(link.now).unwrap();
    link.mc_to_esme();
    assert_eq!(events(&mut link.esme), [Event::Unbound]);
    assert_eq!(link.esme.state(), SessionState::Unbound);
    link.esme_to_mc();
    assert_eq!(
        events(&mut link.mc),
        [Event::Unbound, Event::Closed(CloseReason::Unbound)]
    );
    // Had the MC not closed, the ESME gives up after the response timer.
    let wait = link.esme.poll_timeout().unwrap();
    assert_eq!(wait, link.now + Duration::from_secs(10));
    link.advance_to(wait);
    assert_closed(&mut link.esme, CloseReason::Unbound);
}

#[test]
fn an_unanswered_unbind_closes_after_the_response_timer() {
    let mut link = Link::bound(BindType::Transmitter);
    let seq = link.esme.unbind(link.now).unwrap();
    drain(&mut link.esme);
    link.advance_to(link.now + Duration::from_secs(10));
    assert_eq!(
        events(&mut link.esme),
        [Event::Closed(CloseReason::ResponseTimeout {
            command_id: CommandId::UNBIND,
            sequence_number: seq
        })]
    );
}

#[test]
fn pdus_in_the_wrong_state_are_refused_with_esme_rinvbndsts() {
    // The MC gets submit_sm before any bind.
    let mut esme: S = Session::new(esme_config(BindType::Transmitter), T0);
    let mut mc: S = Session::new(mc_config(), T0);
    assert!(matches!(
        esme.send_request(submit("early"), 0, T0),
        Err(SessionError::NotAllowed {
            state: SessionState::Open,
            ..
        })
    ));
    let early = encode(&Pdu::new(77, submit("early")));
    assert_eq!(
        reply_to(&mut mc, &early, T0),
        Header {
            command_length: 16,
            command_id: CommandId::SUBMIT_SM_RESP,
            command_status: CommandStatus::ESME_RINVBNDSTS,
            sequence_number: 77
        }
    );
    assert_eq!(
        events(&mut mc),
        [Event::ProtocolError(ProtocolError::NotAllowed {
            command_id: CommandId::SUBMIT_SM,
            sequence_number: 77,
            state: SessionState::Open,
            command_status: CommandStatus::ESME_RINVBNDSTS
        })]
    );

    let mut link = Link::bound(BindType::Transmitter);
    let now = link.now;
    let deliver = encode(&Pdu::new(5, deliver_sm()));
    let bind = encode(&Pdu::new(
        6,
        Body::BindTransceiver(smpp_core::Bind::<&[u8]>::default()),
    ));
    let outbind = encode(&Pdu::new(
        8,
        Body::Outbind(smpp_core::Outbind::<&[u8]>::default()),
    ));
    let cases = [
        // deliver_sm to a transmitter.
        (
            Role::Esme,
            &deliver,
            CommandId::DELIVER_SM_RESP,
            CommandStatus::ESME_RINVBNDSTS,
        ),
        // A second bind on a bound session.
        (
            Role::Mc,
            &bind,
            CommandId::BIND_TRANSCEIVER_RESP,
            CommandStatus::ESME_RALYBND,
        ),
        // outbind on a bound session: it has no response of its own.
        (
            Role::Esme,
            &outbind,
            CommandId::GENERIC_NACK,
            CommandStatus::ESME_RINVBNDSTS,
        ),
        // deliver_sm to an MC: the ESME never sends it.
        (
            Role::Mc,
            &deliver,
            CommandId::DELIVER_SM_RESP,
            CommandStatus::ESME_RINVBNDSTS,
        ),
    ];
    for (role, frame, reply_id, status) in cases {
        let session = match role {
            Role::Esme => &mut link.esme,
            Role::Mc => &mut link.mc,
        };
        let h = reply_to(session, frame, now);
        assert_eq!((h.command_id, h.command_status), (reply_id, status));
        assert_eq!(h.sequence_number, header(frame).sequence_number);
    }
    assert_eq!(events(&mut link.esme).len(), 2);
    assert_eq!(events(&mut link.mc).len(), 2);
}

#[test]
fn malformed_pdus_get_the_reply_their_error_calls_for() {
    let mut link = Link::bound(BindType::Transceiver);
    // submit_sm whose source_addr has no NUL within 21 octets.
    let mut bad = encode(&Pdu::new(11, submit("x")));
    bad[19..40].fill(b'9');
    let cases: Vec<(Vec<u8>, CommandId, CommandStatus, u32)> = vec![
        (
            bad,
            CommandId::SUBMIT_SM_RESP,
            CommandStatus::ESME_RINVSRCADR,
            11,
        ),
        // An unknown command_id.
        (
            [0, 0, 0, 16, 0, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 12].to_vec(),
            CommandId::GENERIC_NACK,
            CommandStatus::ESME_RINVCMDID,
            12,
        ),
        // command_length disagrees with the frame.
        (
            [0, 0, 0, 20, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 13].to_vec(),
            CommandId::GENERIC_NACK,
            CommandStatus::ESME_RINVCMDLEN,
            13,
        ),
        // Not even a header: sequence_number 0.
        (
            [0, 0, 0, 16, 0, 0].to_vec(),
            CommandId::GENERIC_NACK,
            CommandStatus::ESME_RINVCMDLEN,
            0,
        ),
    ];
    for (frame, reply_id, status, seq) in cases {
        let h = reply_to(&mut link.mc, &frame, link.now);
        assert_eq!(
            (h.command_id, h.command_status, h.sequence_number),
            (reply_id, status, seq)
        );
        let ev = events(&mut link.mc);
        assert!(
            matches!(ev[..], [Event::ProtocolError(ProtocolError::Malformed(e))]
                if e.command_status() == status),
            "{ev:?}"
        );
    }
    // A response with a bad body is not answered; its request stays.
    let seq = link.esme.send_request(submit("y"), 1, link.now).unwrap();
    drain(&mut link.esme);
    let mut resp = vec![0, 0, 0, 20, 0x80, 0, 0, 4, 0, 0, 0, 0];
    resp.extend_from_slice(&seq.to_be_bytes());
    resp.extend_from_slice(b"abcd"); // message_id without NUL
    assert!(link.esme.handle_frame(&resp, link.now).unwrap().is_none());
    assert!(drain(&mut link.esme).is_empty());
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::ProtocolError(ProtocolError::Malformed(_))]
    ));
    assert_eq!(link.esme.outstanding().count(), 1);
    assert_eq!(link.esme.state(), SessionState::BoundTrx);
}

#[test]
fn enquire_link_and_unbind_with_octets_after_the_header_are_taken_as_they_are() {
    let mut link = Link::bound(BindType::Transceiver);
    // enquire_link, command_length 20: four octets it has no use for.
    let padded = [
        0, 0, 0, 20, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 14, 0, 0, 0, 0,
    ];
    assert!(
        Pdu::parse(&padded).is_err(),
        "the codec itself refuses them"
    );
    let h = reply_to(&mut link.mc, &padded, link.now);
    assert_eq!(
        (h.command_id, h.command_status, h.sequence_number),
        (CommandId::ENQUIRE_LINK_RESP, CommandStatus::ESME_ROK, 14)
    );
    assert!(events(&mut link.mc).is_empty());
    // unbind with one octet more: the MC unbinds.
    let padded = [0, 0, 0, 17, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 15, 0xFF];
    let h = reply_to(&mut link.mc, &padded, link.now);
    assert_eq!(
        (h.command_id, h.command_status, h.sequence_number),
        (CommandId::UNBIND_RESP, CommandStatus::ESME_ROK, 15)
    );
    assert_eq!(events(&mut link.mc), [Event::Unbound]);
    assert_eq!(link.mc.state(), SessionState::Unbound);
}

#[test]
fn a_framing_error_sends_generic_nack_and_closes() {
    let mut link = Link::bound(BindType::Transceiver);
    link.esme.send_request(submit("x"), 5, link.now).unwrap();
    drain(&mut link.esme);
    let err = frame_len(b"GET / HTTP/1.1\r\n", 4096).unwrap_err();
    link.esme.handle_framing_error(err);
    let reply = drain(&mut link.esme);
    assert_eq!(header(&reply[0]).command_id, CommandId::GENERIC_NACK);
    assert_eq!(
        header(&reply[0]).command_status,
        CommandStatus::ESME_RINVCMDLEN
    );
    let ev = events(&mut link.esme);
    assert!(matches!(ev[0], Event::RequestAbandoned { request: r, .. } if r.tag == 5));
    assert_eq!(ev[1], Event::Closed(CloseReason::FramingError(err)));
}

#[test]
fn sequence_numbers_wrap_at_0x7fffffff_and_skip_outstanding_ones() {
    let mut link = Link::configured(
        BindType::Transceiver,
        |c| c.with_first_sequence_number(0x7FFF_FFFE),
        |c| c.with_first_sequence_number(0x7FFF_FFFF),
    );
    // The bind took 0x7FFFFFFE.
    let a = link.esme.send_request(submit("a"), 1, link.now).unwrap();
    let b = link.esme.send_request(submit("b"), 2, link.now).unwrap();
    let c = link.esme.send_request(submit("c"), 3, link.now).unwrap();
    assert_eq!((a, b, c), (0x7FFF_FFFF, 1, 2));
    let frames = link.esme_to_mc();
    let seqs: Vec<u32> = frames.iter().map(|f| header(f).sequence_number).collect();
    assert_eq!(seqs, [0x7FFF_FFFF, 1, 2]);
    // Answered in another order than sent.
    for seq in [b, c, a] {
        link.mc
            .respond(seq, CommandStatus::ESME_ROK, message_id("m"), link.now)
            .unwrap();
    }
    let _ = events(&mut link.mc);
    link.mc_to_esme();
    let tags: Vec<u64> = events(&mut link.esme)
        .into_iter()
        .map(|e| match e {
            Event::Response { request, .. } => request.tag,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(tags, [2, 3, 1]);
    // The MC's own numbering wraps too: 0x7FFFFFFF, then 1.
    let d1 = link.mc.send_request(deliver_sm(), 0, link.now).unwrap();
    let d2 = link.mc.send_request(deliver_sm(), 0, link.now).unwrap();
    assert_eq!((d1, d2), (0x7FFF_FFFF, 1));
}

#[test]
fn the_session_init_timer_closes_an_unbound_session() {
    let timers = Timers {
        session_init_timer: Some(Duration::from_secs(5)),
        ..no_timers()
    };
    let mut mc: S = Session::new(mc_config().with_timers(timers), T0);
    assert_eq!(mc.poll_timeout(), Some(T0 + Duration::from_secs(5)));
    mc.handle_timeout(T0 + Duration::from_secs(5));
    assert_closed(&mut mc, CloseReason::SessionInitTimeout);
    // A bind in time stops it.
    let mut link = Link::bound_with(
        esme_config(BindType::Transmitter).with_timers(timers),
        mc_config().with_timers(timers),
    );
    link.advance_to(T0 + Duration::from_secs(60));
    assert_eq!(link.mc.state(), SessionState::BoundTx);
    assert_eq!(link.mc.poll_timeout(), None);
}

#[test]
fn the_inactivity_timer_unbinds() {
    let timers = Timers {
        inactivity_timer: Some(Duration::from_secs(60)),
        enquire_link_timer: Some(Duration::from_secs(20)),
        ..no_timers()
    };
    let mut link = Link::esme_timers(timers);
    // enquire_link keeps the link alive but is no activity.
    for step in 1..=3 {
        link.advance_to(T0 + Duration::from_secs(20 * step));
        link.esme_to_mc();
        link.mc_to_esme();
    }
    let sent = link.esme_to_mc();
    assert!(sent.is_empty());
    let all = events(&mut link.mc);
    assert_eq!(all, [Event::Unbound], "the MC got an unbind at 60 s");
    link.mc_to_esme();
    assert_eq!(
        events(&mut link.esme),
        [Event::Unbound, Event::Closed(CloseReason::Inactivity)]
    );
}

#[test]
fn outbind_asks_the_esme_to_bind_under_v50() {
    let mut link = Link::unbound(
        esme_config(BindType::Receiver)
            .with_interface_version(InterfaceVersion::V50)
            .with_timers(no_timers()),
        mc_config()
            .with_interface_version(InterfaceVersion::V50)
            .with_password("obpw")
            .unwrap()
            .with_timers(no_timers()),
    );
    let seq = link.mc.outbind(link.now).unwrap();
    assert_eq!(link.mc.state(), SessionState::Outbound);
    let frames = drain(&mut link.mc);
    let pdu = handled(&mut link.esme, &frames[0], link.now);
    let Body::Outbind(o) = pdu.body else {
        panic!("{pdu:?}")
    };
    assert_eq!(o.system_id.as_bytes(), b"SMSC");
    assert_eq!(o.password.as_bytes(), b"obpw");
    assert_eq!(
        events(&mut link.esme),
        [Event::Outbind {
            sequence_number: seq
        }]
    );
    assert_eq!(link.esme.state(), SessionState::Outbound);
    // Link::bind checks the MC is asked for a receiver bind.
    let link = link.bind();
    assert_eq!(link.esme.state(), SessionState::BoundRx);
    assert_eq!(link.esme.version(), Version::V50);
}

#[test]
fn the_peer_beyond_the_window_is_throttled() {
    let mut link = Link::configured(
        BindType::Transmitter,
        |c| c.with_window(4),
        |c| {
            c.with_inbound_window(2)
                .with_inbound_overflow(InboundOverflow::Refuse)
        },
    );
    for tag in 0..3 {
        link.esme.send_request(submit("x"), tag, link.now).unwrap();
    }
    link.esme_to_mc();
    let ev = events(&mut link.mc);
    assert!(matches!(
        ev[..],
        [
            Event::IncomingRequest { .. },
            Event::IncomingRequest { .. },
            Event::ProtocolError(ProtocolError::WindowExceeded {
                command_status: CommandStatus::ESME_RTHROTTLED,
                ..
            })
        ]
    ));
    link.mc_to_esme();
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::Response {
            request,
            command_status: CommandStatus::ESME_RTHROTTLED,
            ..
        }] if request.tag == 2
    ));
}

#[test]
fn generic_nack_and_mismatched_responses() {
    let mut link = Link::bound(BindType::Transceiver);
    let a = link.esme.send_request(submit("a"), 1, link.now).unwrap();
    let b = link.esme.send_request(submit("b"), 2, link.now).unwrap();
    link.esme_to_mc();
    events(&mut link.mc);
    // The MC answers a with generic_nack.
    let nack = Body::GenericNack(Tlvs::EMPTY);
    link.mc
        .respond(a, CommandStatus::ESME_RSYSERR, nack, link.now)
        .unwrap();
    link.mc_to_esme();
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::Response {
            request,
            command_id: CommandId::GENERIC_NACK,
            command_status: CommandStatus::ESME_RSYSERR
        }] if request.tag == 1
    ));
    // A query_sm_resp for the submit_sm b: mismatch, b stays outstanding.
    let mut wrong = vec![0, 0, 0, 16, 0x80, 0, 0, 3, 0, 0, 0, 0];
    wrong.extend_from_slice(&b.to_be_bytes());
    link.esme.handle_frame(&wrong, link.now).unwrap();
    assert_eq!(
        events(&mut link.esme),
        [Event::ProtocolError(ProtocolError::MismatchedResponse {
            request: CommandId::SUBMIT_SM,
            command_id: CommandId::QUERY_SM_RESP,
            sequence_number: b
        })]
    );
    assert_eq!(link.esme.outstanding().count(), 1);
}

#[test]
fn a_reused_sequence_number_is_not_answered_twice() {
    let mut link = Link::bound(BindType::Transceiver);
    let frame = encode(&Pdu::new(9, submit("a")));
    link.mc.handle_frame(&frame, link.now).unwrap();
    link.mc.handle_frame(&frame, link.now).unwrap();
    assert!(drain(&mut link.mc).is_empty());
    assert_eq!(
        events(&mut link.mc)[1],
        Event::ProtocolError(ProtocolError::DuplicateSequenceNumber {
            command_id: CommandId::SUBMIT_SM,
            sequence_number: 9
        })
    );
    link.mc
        .respond_status(9, CommandStatus::ESME_RSUBMITFAIL, link.now)
        .unwrap();
    assert_eq!(drain(&mut link.mc).len(), 1);
    // Once answered, the number may come again.
    link.mc.handle_frame(&frame, link.now).unwrap();
    assert!(matches!(
        events(&mut link.mc)[..],
        [Event::IncomingRequest {
            sequence_number: 9,
            ..
        }]
    ));
}

#[test]
fn full_queues_refuse_inputs_until_drained() {
    type Small = Session<Fixed<4, 256>>;
    let config = esme_config(BindType::Transceiver)
        .with_timers(no_timers())
        .with_inbound_overflow(InboundOverflow::Refuse);
    let mut esme: Small = Session::new(config, T0);
    esme.bind(T0).unwrap();
    let bind_seq = {
        let mut buf = [0u8; 256];
        let n = esme.poll_transmit(&mut buf, Millis(0)).unwrap();
        header(&buf[..n]).sequence_number
    };
    let resp = encode(&Pdu::new(
        bind_seq,
        Body::BindTransceiverResp(Some(smpp_core::BindResp {
            system_id: COctet::from("SMSC"),
            tlvs: Tlvs::EMPTY,
        })),
    ));
    esme.handle_frame(&resp, T0).unwrap();
    assert_eq!(esme.state(), SessionState::BoundTrx);
    // Fill the transmit queue: each submit_sm is 16 + 39 octets.
    let mut sent = 0;
    let err = loop {
        match esme.send_request(submit("fill"), sent, T0) {
            Ok(_) => sent += 1,
            Err(e) => break e,
        }
    };
    assert!(
        matches!(
            err,
            SessionError::TransmitQueueFull { .. } | SessionError::WindowFull
        ),
        "{err}"
    );
    // enquire_link answers still fit in the reserve.
    let enquire = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 50];
    esme.handle_frame(&enquire, T0).unwrap();
    // Events pile up: BindResult, then ProtocolErrors from refused PDUs.
    let deliver = |seq| encode(&Pdu::new(seq, deliver_sm()));
    let refused = (60..76)
        .find_map(|seq| esme.handle_frame(&deliver(seq), T0).err())
        .expect("a queue fills");
    assert!(
        matches!(
            refused,
            SessionError::EventQueueFull | SessionError::TransmitQueueFull { .. }
        ),
        "{refused}"
    );
    // Draining both lets the same frame in.
    let mut buf = [0u8; 256];
    while esme.poll_transmit(&mut buf, Millis(0)).is_some() {}
    while esme.poll_event().is_some() {}
    esme.handle_frame(&deliver(99), T0).unwrap();
}

#[test]
fn partial_writes_from_the_transmit_queue() {
    let mut link = Link::bound(BindType::Transceiver);
    link.esme.send_request(submit("one"), 1, link.now).unwrap();
    link.esme.send_request(submit("two"), 2, link.now).unwrap();
    let all = link.esme.transmit_bytes().to_vec();
    let first = link.esme.next_transmit_len().unwrap();
    assert!(first < all.len());
    // The socket takes 7 octets, then the rest.
    link.esme.advance_transmit(7, link.now);
    assert_eq!(link.esme.transmit_bytes(), &all[7..]);
    assert_eq!(link.esme.next_transmit_len(), Some(first - 7));
    let mut small = [0u8; 4];
    assert_eq!(link.esme.poll_transmit(&mut small, link.now), Some(0));
    link.esme.advance_transmit(all.len() - 7, link.now);
    assert_eq!(link.esme.poll_transmit(&mut small, link.now), None);
    // The peer gets both whole.
    for frame in frames_of(&all) {
        link.mc.handle_frame(&frame, link.now).unwrap();
    }
    assert_eq!(events(&mut link.mc).len(), 2);
}

#[test]
fn a_local_close_abandons_outstanding_requests() {
    let mut link = Link::bound(BindType::Transceiver);
    for tag in [10, 11] {
        link.esme.send_request(submit("x"), tag, link.now).unwrap();
    }
    link.esme.close();
    let ev = events(&mut link.esme);
    let mut tags: Vec<u64> = ev
        .iter()
        .filter_map(|e| match e {
            Event::RequestAbandoned { request: r, .. } => Some(r.tag),
            _ => None,
        })
        .collect();
    tags.sort_unstable();
    assert_eq!(tags, [10, 11]);
    assert_eq!(ev.last(), Some(&Event::Closed(CloseReason::Local)));
    assert!(link.esme.is_closed());
    assert_eq!(link.esme.close_reason(), Some(CloseReason::Local));
}

#[test]
fn v34_sessions_are_liberal_with_enquire_link_and_replace_sm() {
    let mut mc: S = Session::new(mc_config(), T0);
    // enquire_link before the bind (v3.4 Table 2-1 wants a bound state).
    let enquire = [0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 3];
    let h = reply_to(&mut mc, &enquire, T0);
    assert_eq!(h.command_id, CommandId::ENQUIRE_LINK_RESP);
    assert_eq!(h.command_status, CommandStatus::ESME_ROK);
    // replace_sm from a v3.4 transceiver.
    let mut link = Link::bound(BindType::Transceiver);
    assert_eq!(link.mc.version(), Version::V34);
    let replace = || {
        Body::ReplaceSm(smpp_core::ReplaceSm {
            message_id: COctet::from("abc"),
            ..smpp_core::ReplaceSm::<&[u8]>::default()
        })
    };
    let frame = encode(&Pdu::new(4, replace()));
    link.mc.handle_frame(&frame, link.now).unwrap();
    assert!(matches!(
        events(&mut link.mc)[..],
        [Event::IncomingRequest {
            command_id: CommandId::REPLACE_SM,
            ..
        }]
    ));
    // The transceiver may send it too, and the MC answer it.
    let sent = link.esme.send_request(replace(), 1, link.now);
    let seq = sent.expect("replace_sm from a v3.4 transceiver");
    link.esme_to_mc();
    events(&mut link.mc);
    link.mc
        .respond_status(seq, CommandStatus::ESME_ROK, link.now)
        .unwrap();
    link.mc_to_esme();
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::Response {
            command_id: CommandId::REPLACE_SM_RESP,
            ..
        }]
    ));
    // A v3.4 receiver may not.
    let mut rx = Link::bound(BindType::Receiver);
    let refused = rx.esme.send_request(
        Body::ReplaceSm(smpp_core::ReplaceSm::<&[u8]>::default()),
        2,
        rx.now,
    );
    assert!(matches!(refused, Err(SessionError::NotAllowed { .. })));
}
