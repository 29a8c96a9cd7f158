//! Flow control and endings of the session engine: the inbound window
//! (wait or refuse), the write timer, timers that wait for room, the end of
//! the peer's stream, what a close does with requests not written yet, the
//! bodies of status-only responses, and the heap storage.

mod common;

use core::time::Duration;

use common::encode;
use common::session::{
    Link, assert_closed, deliver_sm, events, frames_of, header, message_id, no_timers, submit,
};
#[cfg(feature = "alloc")]
use smpp_core::session::Heap;
use smpp_core::session::{
    BindType, CloseReason, Config, Event, Fixed, InboundOverflow, Millis, Session, SessionError,
    SessionState, Storage, Timers,
};
use smpp_core::{Body, CommandId, CommandStatus, Pdu};

const T0: Millis = Millis(1_000);

/// Every frame `s` queued, all taken (written) at `now`.
fn drain<S: Storage>(s: &mut Session<S>, now: Millis) -> Vec<Vec<u8>> {
    let bytes = s.transmit_bytes().to_vec();
    s.advance_transmit(bytes.len(), now);
    frames_of(&bytes)
}

/// An ESME and an MC bound as `bind_type`, each side's configuration (no
/// timer but the response timer) changed by `esme` and `mc`; frames are
/// taken by [`drain`].
fn bound<S: Storage>(
    bind_type: BindType,
    esme: impl FnOnce(Config) -> Config,
    mc: impl FnOnce(Config) -> Config,
) -> Link<S> {
    let esme = esme(Config::esme(bind_type).with_timers(no_timers()));
    let mc = mc(Config::mc().with_timers(no_timers()));
    Link::new(esme, mc, T0, drain).bind()
}

fn transceivers() -> Link<Fixed<8, 4096>> {
    bound(BindType::Transceiver, |c| c, |c| c)
}

#[test]
fn a_full_inbound_window_waits_and_loses_nothing() {
    let mut link: Link<Fixed<8, 4096>> = bound(
        BindType::Transmitter,
        |c| c.with_window(4),
        |c| c.with_inbound_window(2),
    );
    for tag in 0..3 {
        link.esme.send_request(submit("x"), tag, link.now).unwrap();
    }
    let frames = drain(&mut link.esme, link.now);
    assert_eq!(frames.len(), 3);
    let a = link.mc.handle_frame(&frames[0], link.now).unwrap().unwrap();
    let b = link.mc.handle_frame(&frames[1], link.now).unwrap().unwrap();
    // The third waits: refused without being consumed, no event, no answer.
    for _ in 0..3 {
        assert_eq!(
            link.mc.handle_frame(&frames[2], link.now),
            Err(SessionError::InboundWindowFull)
        );
    }
    assert_eq!(events(&mut link.mc).len(), 2);
    assert_eq!(link.mc.transmit_len(), 0, "nothing answered for it");
    // What the engine answers alone still goes through.
    let enquire = encode(&Pdu::new(77, Body::<&[u8]>::EnquireLink));
    assert_eq!(link.mc.handle_frame(&enquire, link.now), Ok(None));
    assert_eq!(
        header(&drain(&mut link.mc, link.now)[0]).command_id,
        CommandId::ENQUIRE_LINK_RESP
    );
    // One answer makes room; the same frame is taken.
    link.mc
        .respond(
            a.sequence_number,
            CommandStatus::ESME_ROK,
            message_id("1"),
            link.now,
        )
        .unwrap();
    let c = link.mc.handle_frame(&frames[2], link.now).unwrap().unwrap();
    assert_eq!(c.sequence_number, header(&frames[2]).sequence_number);
    for seq in [b.sequence_number, c.sequence_number] {
        link.mc
            .respond(seq, CommandStatus::ESME_ROK, message_id("n"), link.now)
            .unwrap();
    }
    link.mc_to_esme();
    let answered = events(&mut link.esme)
        .into_iter()
        .filter(|e| matches!(e, Event::Response { command_status, .. } if command_status.is_ok()))
        .count();
    assert_eq!(answered, 3);
}

#[test]
fn refusing_beyond_the_inbound_window_is_asked_for() {
    let mut link: Link<Fixed<8, 4096>> = bound(
        BindType::Receiver,
        |c| {
            c.with_inbound_window(1)
                .with_inbound_overflow(InboundOverflow::Refuse)
        },
        |c| c,
    );
    link.mc.send_request(deliver_sm(), 1, link.now).unwrap();
    link.mc.send_request(deliver_sm(), 2, link.now).unwrap();
    link.mc_to_esme();
    let frames = link.esme_to_mc();
    assert_eq!(frames.len(), 1);
    assert_eq!(
        header(&frames[0]).command_status,
        CommandStatus::ESME_RX_T_APPN
    );
    // Even refused, deliver_sm_resp carries its empty message_id.
    assert_eq!(frames[0].len(), 17);
}

#[test]
fn the_inbound_window_is_not_the_window() {
    let mut link: Link<Fixed<8, 4096>> = bound(
        BindType::Transceiver,
        |c| c.with_window(1).with_inbound_window(6),
        |c| c.with_window(8),
    );
    assert_eq!(link.esme.window_size(), 1);
    assert_eq!(link.esme.inbound_window_size(), 6);
    for tag in 0..6 {
        link.mc.send_request(deliver_sm(), tag, link.now).unwrap();
    }
    link.mc_to_esme();
    let requests = events(&mut link.esme)
        .into_iter()
        .filter(|e| matches!(e, Event::IncomingRequest { .. }))
        .count();
    assert_eq!(requests, 6);
    link.esme.send_request(submit("a"), 9, link.now).unwrap();
    assert_eq!(
        link.esme.send_request(submit("b"), 10, link.now),
        Err(SessionError::WindowFull)
    );
}

#[test]
fn status_only_responses_of_deliver_sm_and_data_sm_carry_a_message_id() {
    let mut link = transceivers();
    let data_sm = Body::DataSm(smpp_core::DataSm::<&[u8]>::default());
    let d = link.mc.send_request(deliver_sm(), 1, link.now).unwrap();
    let ds = link.mc.send_request(data_sm, 2, link.now).unwrap();
    let s = link.esme.send_request(submit("x"), 3, link.now).unwrap();
    link.mc_to_esme();
    link.esme_to_mc();
    events(&mut link.esme);
    events(&mut link.mc);
    link.esme
        .respond_status(d, CommandStatus::ESME_RX_T_APPN, link.now)
        .unwrap();
    link.esme
        .respond_status(ds, CommandStatus::ESME_RSYSERR, link.now)
        .unwrap();
    link.mc
        .respond_status(s, CommandStatus::ESME_RTHROTTLED, link.now)
        .unwrap();
    let from_esme = drain(&mut link.esme, link.now);
    let expected = |id: [u8; 4], status: u8, seq: u32| {
        let mut frame = vec![0, 0, 0, 17];
        frame.extend_from_slice(&id);
        frame.extend_from_slice(&[0, 0, 0, status]);
        frame.extend_from_slice(&seq.to_be_bytes());
        frame.push(0);
        frame
    };
    assert_eq!(
        from_esme,
        [
            expected([0x80, 0, 0, 5], 0x64, d),
            expected([0x80, 0, 1, 3], 0x08, ds),
        ]
    );
    // submit_sm_resp has no body on error (v3.4 says so).
    let from_mc = drain(&mut link.mc, link.now);
    assert_eq!(from_mc[0].len(), 16);
    // Both decode as their commands' responses.
    for frame in from_esme.iter().chain(&from_mc) {
        Pdu::parse(frame).unwrap();
    }
}

#[test]
fn a_peer_that_stops_reading_is_closed_by_the_write_timer() {
    let mut link = transceivers();
    let t = link.now;
    link.esme.send_request(submit("x"), 1, t).unwrap();
    let deadline = t + Duration::from_secs(10);
    assert_eq!(link.esme.poll_timeout(), Some(deadline));
    // Part of it leaves: the timer starts again from there.
    let later = t + Duration::from_secs(6);
    link.esme.advance_transmit(5, later);
    assert_eq!(link.esme.poll_timeout(), Some(t + Duration::from_secs(10)));
    let deadline = later + Duration::from_secs(10);
    let window = link.esme.outstanding().next().unwrap().deadline;
    assert!(window < deadline, "the request times out first here");
    link.esme.handle_timeout(window);
    assert!(matches!(
        events(&mut link.esme)[..],
        [Event::RequestTimedOut(_)]
    ));
    assert_eq!(link.esme.poll_timeout(), Some(deadline));
    link.esme.handle_timeout(Millis(deadline.0 - 1));
    assert!(!link.esme.is_closed());
    link.esme.handle_timeout(deadline);
    assert_closed(&mut link.esme, CloseReason::WriteTimeout);
    // Nothing waiting, no write timer.
    let idle = transceivers();
    assert_eq!(idle.esme.poll_timeout(), None);
}

#[test]
fn the_write_timer_may_differ_from_the_response_timer() {
    let mut link: Link<Fixed<8, 4096>> = bound(
        BindType::Transceiver,
        |c| {
            c.with_timers(Timers {
                write_timer: Some(Duration::from_secs(2)),
                ..no_timers()
            })
        },
        |c| c,
    );
    let t = link.now;
    link.esme.send_request(submit("x"), 1, t).unwrap();
    assert_eq!(link.esme.poll_timeout(), Some(t + Duration::from_secs(2)));
}

#[test]
fn timers_that_send_wait_for_room_instead_of_coming_due() {
    let timers = Timers {
        enquire_link_timer: Some(Duration::from_secs(1)),
        write_timer: Some(Duration::from_secs(60)),
        ..no_timers()
    };
    let mut link: Link<Fixed<8, 256>> = bound(
        BindType::Transceiver,
        |c| c.with_timers(timers).with_window(8),
        |c| c.with_timers(super_quiet()),
    );
    let t = link.now;
    // The application's requests fill the queue but for the engine's
    // reserve; the peer's enquire_links, answered from the reserve, fill
    // the rest. Nothing is written.
    while link.esme.send_request(submit("0123456789"), 0, t).is_ok() {}
    let mut seq = 100;
    loop {
        let enquire = encode(&Pdu::new(seq, Body::<&[u8]>::EnquireLink));
        match link.esme.handle_frame(&enquire, t) {
            Ok(None) => seq += 1,
            Err(SessionError::TransmitQueueFull { .. }) => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(link.esme.transmit_len() > 256 - 16);
    // The enquire_link_timer ran out, but no enquire_link fits: the next
    // timer is a later one, never a past one.
    let now = t + Duration::from_secs(5);
    link.esme.handle_timeout(now);
    let next = link.esme.poll_timeout().unwrap();
    assert!(next > now, "a timer due at {next} while at {now}");
    // Writing makes room: the enquire_link is due and goes out.
    drain(&mut link.esme, now);
    assert!(link.esme.poll_timeout().unwrap() <= now);
    link.esme.handle_timeout(now);
    let sent = drain(&mut link.esme, now);
    assert_eq!(header(&sent[0]).command_id, CommandId::ENQUIRE_LINK);
}

fn super_quiet() -> Timers {
    Timers {
        response_timer: Duration::from_secs(600),
        ..no_timers()
    }
}

#[test]
fn a_close_takes_unwritten_requests_back_and_says_which_were_written() {
    let mut link = transceivers();
    let t = link.now;
    // A request of the MC's to answer, so that a response is queued too.
    let d = link.mc.send_request(deliver_sm(), 0, t).unwrap();
    link.mc_to_esme();
    events(&mut link.esme);
    let first = link.esme.send_request(submit("first"), 1, t).unwrap();
    link.esme
        .respond_status(d, CommandStatus::ESME_ROK, t)
        .unwrap();
    let second = link.esme.send_request(submit("second"), 2, t).unwrap();
    // Three PDUs queued: submit_sm, deliver_sm_resp, submit_sm; 10 octets
    // of the first leave.
    link.esme.advance_transmit(10, t);
    link.esme.close();
    let ev = events(&mut link.esme);
    let abandoned: Vec<(u32, bool)> = ev
        .iter()
        .filter_map(|e| match *e {
            Event::RequestAbandoned { request, written } => {
                Some((request.sequence_number, written))
            }
            _ => None,
        })
        .collect();
    assert_eq!(abandoned.len(), 2);
    assert!(abandoned.contains(&(first, true)));
    assert!(abandoned.contains(&(second, false)));
    assert_eq!(ev.last(), Some(&Event::Closed(CloseReason::Local)));
    // Left to send: the rest of the first submit_sm and the response; the
    // second submit_sm is gone.
    let rest = link.esme.transmit_bytes().to_vec();
    let first_left = 16 + submit_len("first") - 10;
    let tail = frames_of(&rest[first_left..]);
    assert_eq!(tail.len(), 1);
    assert_eq!(header(&tail[0]).command_id, CommandId::DELIVER_SM_RESP);
}

fn submit_len(text: &str) -> usize {
    submit(text).encoded_len()
}

#[test]
fn end_of_stream_answers_what_came_then_closes() {
    let mut link = transceivers();
    let t = link.now;
    // Two submit_sm reach the MC, then the ESME half-closes.
    let a = link.esme.send_request(submit("a"), 1, t).unwrap();
    let b = link.esme.send_request(submit("b"), 2, t).unwrap();
    link.esme_to_mc();
    events(&mut link.mc);
    // The MC has a request of its own outstanding, written.
    let mine = link.mc.send_request(deliver_sm(), 7, t).unwrap();
    drain(&mut link.mc, t);
    link.mc.handle_end_of_stream(t);
    // No answer will come to the MC's request: given up at once.
    assert_eq!(
        events(&mut link.mc),
        [Event::RequestAbandoned {
            request: smpp_core::session::Outstanding {
                sequence_number: mine,
                command_id: CommandId::DELIVER_SM,
                deadline: t + Duration::from_secs(10),
                tag: 7
            },
            written: true
        }]
    );
    assert!(link.mc.is_end_of_stream());
    assert!(!link.mc.is_closed());
    assert_eq!(
        link.mc.send_request(deliver_sm(), 8, t),
        Err(SessionError::EndOfStream)
    );
    // The answers still go out; the last one closes the session.
    link.mc
        .respond(a, CommandStatus::ESME_ROK, message_id("1"), t)
        .unwrap();
    assert!(!link.mc.is_closed());
    link.mc
        .respond(b, CommandStatus::ESME_ROK, message_id("2"), t)
        .unwrap();
    assert!(link.mc.is_closed());
    assert_closed(&mut link.mc, CloseReason::Disconnected);
    let answers = drain(&mut link.mc, t);
    assert_eq!(answers.len(), 2);
}

#[test]
fn end_of_stream_waits_for_answers_at_most_the_response_timer() {
    let mut link = transceivers();
    let t = link.now;
    link.esme.send_request(submit("a"), 1, t).unwrap();
    link.esme_to_mc();
    events(&mut link.mc);
    link.mc.handle_end_of_stream(t);
    let deadline = t + Duration::from_secs(10);
    assert_eq!(link.mc.poll_timeout(), Some(deadline));
    link.mc.handle_timeout(deadline);
    assert_closed(&mut link.mc, CloseReason::Disconnected);
    // With nothing to answer, it closes at once.
    let mut idle = transceivers();
    idle.esme.handle_end_of_stream(t);
    assert_closed(&mut idle.esme, CloseReason::Disconnected);
}

#[test]
fn end_of_stream_drops_requests_not_written_yet() {
    let mut link = transceivers();
    let t = link.now;
    let seq = link.esme.send_request(submit("a"), 1, t).unwrap();
    link.esme.handle_end_of_stream(t);
    assert_eq!(link.esme.transmit_len(), 0);
    assert!(matches!(
        events(&mut link.esme)[..],
        [
            Event::RequestAbandoned { request, written: false },
            Event::Closed(CloseReason::Disconnected)
        ] if request.sequence_number == seq
    ));
}

#[test]
fn the_session_init_timer_covers_an_undecided_bind() {
    let init = Timers {
        session_init_timer: Some(Duration::from_secs(3)),
        ..no_timers()
    };
    let mut esme: Session = Session::new(Config::esme(BindType::Transmitter), T0);
    let mut mc: Session = Session::new(Config::mc().with_timers(init), T0);
    esme.bind(T0).unwrap();
    for frame in drain(&mut esme, T0) {
        mc.handle_frame(&frame, T0).unwrap();
    }
    assert!(matches!(events(&mut mc)[..], [Event::BindRequest { .. }]));
    // The application never decides.
    assert_eq!(mc.poll_timeout(), Some(T0 + Duration::from_secs(3)));
    mc.handle_timeout(T0 + Duration::from_secs(3));
    assert_closed(&mut mc, CloseReason::SessionInitTimeout);
    assert_eq!(mc.state(), SessionState::Closed);
}

/// Hands each frame `from` queued to `to`, taking `to`'s events after
/// each one; returns the events.
#[cfg(feature = "alloc")]
fn deliver<S: Storage>(from: &mut Session<S>, to: &mut Session<S>, now: Millis) -> Vec<Event> {
    let mut all = Vec::new();
    for frame in drain(from, now) {
        to.handle_frame(&frame, now).unwrap();
        all.extend(events(to));
    }
    all
}

#[cfg(feature = "alloc")]
#[test]
fn heap_storage_runs_a_wide_window() {
    let mut link: Link<Heap<512, { 1 << 20 }>> = bound(
        BindType::Transceiver,
        |c| c.with_window(512),
        |c| c.with_inbound_window(512),
    );
    assert_eq!(link.esme.window_size(), 512);
    for round in 0..3u64 {
        for tag in 0..512 {
            link.esme
                .send_request(submit("bulk"), tag, link.now)
                .unwrap();
        }
        assert_eq!(
            link.esme.send_request(submit("more"), 0, link.now),
            Err(SessionError::WindowFull)
        );
        assert_eq!(link.esme.transmit_len(), 512 * (16 + submit_len("bulk")));
        let requests: Vec<u32> = deliver(&mut link.esme, &mut link.mc, link.now)
            .into_iter()
            .filter_map(|e| match e {
                Event::IncomingRequest {
                    sequence_number, ..
                } => Some(sequence_number),
                _ => None,
            })
            .collect();
        assert_eq!(requests.len(), 512);
        for seq in requests {
            link.mc
                .respond(seq, CommandStatus::ESME_ROK, message_id("m"), link.now)
                .unwrap();
        }
        let answered = deliver(&mut link.mc, &mut link.esme, link.now)
            .into_iter()
            .filter(|e| matches!(e, Event::Response { .. }))
            .count();
        assert_eq!(answered, 512, "round {round}");
        assert_eq!(link.esme.transmit_len(), 0);
        assert_eq!(link.esme.outstanding().count(), 0);
    }
}

#[cfg(feature = "alloc")]
#[test]
fn heap_storage_refuses_past_its_transmit_capacity() {
    let mut link: Link<Heap<64, 1024>> = bound(BindType::Transceiver, |c| c.with_window(64), |c| c);
    let mut queued = 0;
    let err = loop {
        match link.esme.send_request(submit("fill"), 0, link.now) {
            Ok(_) => queued += 1,
            Err(e) => break e,
        }
    };
    assert!(
        matches!(err, SessionError::TransmitQueueFull { .. }),
        "{err}"
    );
    let each = submit_len("fill") + 16;
    assert_eq!(queued, (1024 - 64) / each);
    assert!(link.esme.transmit_len() <= 1024 - 64);
}
