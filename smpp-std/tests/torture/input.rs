//! What an operator's peers send: garbage mid-session, time fields of any
//! shape, `enquire_link` floods, responses out of order, stray and
//! duplicate responses, and a `command_length` far beyond what follows
//! (item 7: memory follows what arrived).

use core::time::Duration;
use std::collections::BTreeMap;

use bytes::{Bytes, BytesMut};
use smpp_core::session::{BindType, CloseReason};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::session::{Error, Handle, SmResponse};
use smpp_std::{
    COctet, FrameDecoder, HeaderOnlyBuilder, Pdu, SubmitSmBuilder, SubmitSmRespBuilder,
};
use tokio::task::JoinHandle;

use crate::harness::{
    Probe, Raw, RawEnd, Size, Transport, bound_to_smsc, client_link, deliver_sm, encode, esme,
    flood, goes_on, ids, mc, push, queue_submits, raw_pdu, receiver_session, response_timer_only,
    run, secs, submit, submit_sm, take_requests, transport_tests, which, window_whole,
};

/// A `command_id` no version of SMPP defines.
const UNKNOWN: CommandId = CommandId(0x0000_0123);

/// `count` PDUs, by `sequence_number`.
async fn by_sequence(raw: &mut Raw, count: usize) -> BTreeMap<u32, Pdu> {
    let frames = raw.rx.by_sequence(count, "a response").await;
    frames.into_iter().map(|(n, (_, pdu))| (n, pdu)).collect()
}

/// The `command_id` and `command_status` of each of `answers`.
fn statuses(answers: &BTreeMap<u32, Pdu>) -> Vec<(CommandId, CommandStatus)> {
    answers
        .values()
        .map(|pdu| (pdu.command_id(), pdu.command_status))
        .collect()
}

fn message_id(pdu: &Pdu) -> String {
    SmResponse::from(pdu.clone()).message_id.to_string()
}

/// A good request, an unknown `command_id`, a request whose body is
/// garbage, a good request, in one write: each answered as its error says,
/// and the session goes on. Then a `command_length` of 8: `generic_nack`
/// and the end.
async fn garbage(probe: &Probe, raw: &mut Raw, request: fn(u32, Size) -> Pdu) -> Vec<Pdu> {
    let command_id = request(0, Size::Small).command_id();
    let mut octets = encode(&request(2, Size::Small));
    octets.extend(raw_pdu(UNKNOWN, 3, &[]));
    octets.extend(raw_pdu(command_id, 4, &[0xFF; 40]));
    octets.extend(encode(&request(5, Size::Small)));
    raw.tx.write(&octets).await.unwrap();
    probe.step("the answers to good and bad PDUs");
    let answers = by_sequence(raw, 4).await;
    let response = command_id.response();
    assert_eq!(answers[&2].command_id(), response);
    assert_eq!(answers[&2].command_status, CommandStatus::ESME_ROK);
    assert_eq!(answers[&3].command_id(), CommandId::GENERIC_NACK);
    assert_eq!(answers[&3].command_status, CommandStatus::ESME_RINVCMDID);
    assert_eq!(answers[&4].command_id(), response);
    assert!(!answers[&4].command_status.is_ok(), "{:?}", answers[&4]);
    assert_eq!(answers[&5].command_id(), response);
    assert_eq!(answers[&5].command_status, CommandStatus::ESME_ROK);

    raw.tx.write(&[0, 0, 0, 8, 0, 0, 0, 4]).await.unwrap();
    let what = "a generic_nack, then the end of the stream";
    let rest = probe.rest(secs(3), what, &mut raw.rx).await;
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert_eq!(rest[0].command_id(), CommandId::GENERIC_NACK);
    assert_eq!(rest[0].command_status, CommandStatus::ESME_RINVCMDLEN);
    assert_eq!(rest[0].sequence_number, 0);
    answers.into_values().collect()
}

fn server_garbage(transport: Transport) {
    run(move |probe| async move {
        let (smsc, session, mut raw) = bound_to_smsc(transport, BindType::Transmitter).await;
        let answers = garbage(&probe, &mut raw, submit_sm).await;
        assert_eq!(message_id(&answers[0]), "id-2");
        assert_eq!(message_id(&answers[3]), "id-5");
        assert_eq!(smsc.submits(), 2);
        let reason = probe.session_end(session).await;
        assert!(matches!(reason, CloseReason::FramingError(_)), "{reason:?}");
    });
}

/// A client bound as a receiver to a raw MC, whose application takes up to
/// `count` requests (see [`take_requests`]) from a task of its own.
async fn receiver_taking(
    transport: Transport,
    count: usize,
    quiet: Duration,
) -> (Handle, Raw, JoinHandle<Vec<Pdu>>) {
    let config = esme(BindType::Receiver);
    let (esme, mut incoming, raw) = client_link(transport, RawEnd::default(), config).await;
    let taking =
        tokio::spawn(async move { take_requests(&mut incoming, count, quiet, drop).await });
    (esme, raw, taking)
}

fn client_garbage(transport: Transport) {
    run(move |probe| async move {
        let (esme, mut raw, taking) = receiver_taking(transport, 2, secs(3)).await;
        garbage(&probe, &mut raw, deliver_sm).await;
        let taken = probe
            .within_ok(secs(3), "the good deliver_sm", taking)
            .await;
        assert_eq!(
            ids(&taken),
            [(CommandId::DELIVER_SM, 2), (CommandId::DELIVER_SM, 5)]
        );
        let reason = probe
            .within(secs(3), "the session's end", esme.closed())
            .await;
        assert!(matches!(reason, CloseReason::FramingError(_)), "{reason:?}");
    });
}

/// A valid absolute time and a valid relative one, 16 characters each.
const ABSOLUTE: &[u8; 16] = b"250101120000004+";
const RELATIVE: &[u8; 16] = b"000001000000000R";

/// `submit_sm` number `n` with these `schedule_delivery_time` and
/// `validity_period`, written over valid ones in the encoded octets (so
/// that no check on the way can refuse them).
fn timed_submit_sm(n: u32, schedule: &[u8; 16], validity: &[u8; 16]) -> Vec<u8> {
    let pdu = SubmitSmBuilder::new(n)
        .source_addr("INFO")
        .destination_addr("447700900123")
        .schedule_delivery_time(&ABSOLUTE[..])
        .validity_period(&RELATIVE[..])
        .short_message(format!("m{n}"))
        .build()
        .unwrap();
    let mut octets = encode(&pdu);
    for (valid, wanted) in [(ABSOLUTE, schedule), (RELATIVE, validity)] {
        let at = octets.windows(16).position(|w| w == valid).unwrap();
        octets[at..at + 16].copy_from_slice(wanted);
    }
    octets
}

fn server_time_fields(transport: Transport) {
    run(move |probe| async move {
        let (smsc, _session, mut raw) = bound_to_smsc(transport, BindType::Transmitter).await;
        let garbage = b"XXXXXXXXXXXXXXXX";
        let cases: [(&[u8; 16], &[u8; 16], CommandStatus); 6] = [
            (garbage, RELATIVE, CommandStatus::ESME_RINVSCHED),
            (ABSOLUTE, garbage, CommandStatus::ESME_RINVEXPIRY),
            // Month 13.
            (b"251301120000004+", RELATIVE, CommandStatus::ESME_RINVSCHED),
            // Neither '+', '-' nor 'R' at the end.
            (b"250101120000004*", RELATIVE, CommandStatus::ESME_RINVSCHED),
            // A relative time ends in "000R".
            (
                ABSOLUTE,
                b"000001000000001R",
                CommandStatus::ESME_RINVEXPIRY,
            ),
            (ABSOLUTE, RELATIVE, CommandStatus::ESME_ROK),
        ];
        let mut octets = Vec::new();
        for (n, (schedule, validity, _)) in (2..).zip(&cases) {
            octets.extend(timed_submit_sm(n, schedule, validity));
        }
        raw.tx.write(&octets).await.unwrap();
        probe.step("the answers to six submit_sm");
        let got = statuses(&by_sequence(&mut raw, cases.len()).await);
        let wanted: Vec<_> = cases
            .iter()
            .map(|&(_, _, status)| (CommandId::SUBMIT_SM_RESP, status))
            .collect();
        assert_eq!(got, wanted);
        assert_eq!(smsc.submits(), 1, "a bad time reached the application");
    });
}

#[test]
fn the_client_refuses_to_send_a_garbage_time() {
    run(|probe| async move {
        // Should a bad time go out anyway, it fails in a second, unanswered.
        let config =
            esme(BindType::Transmitter).with_timers(response_timer_only(Duration::from_secs(1)));
        let (esme, _incoming, mut raw) =
            client_link(Transport::Pipe, RawEnd::default(), config).await;
        let garbage: &'static [u8] = b"XXXXXXXXXXXXXXXX";
        let err = esme.submit_sm(timed(garbage, b"")).await.unwrap_err();
        assert!(
            matches!(err, Error::Encode(_)),
            "a garbage schedule_delivery_time was not refused before sending: {err:?}"
        );
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVSCHED));
        let err = esme.submit_sm(timed(b"", garbage)).await.unwrap_err();
        assert!(
            matches!(err, Error::Encode(_)),
            "a garbage validity_period was not refused before sending: {err:?}"
        );
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVEXPIRY));

        // Nothing went out: the next PDU the MC reads is the good one.
        let smpp_std::Body::SubmitSm(good) = submit_sm(3, Size::Small).body else {
            panic!("the builder makes a submit_sm")
        };
        let sm = smpp_std::SubmitSm {
            schedule_delivery_time: COctet::new(Bytes::from_static(ABSOLUTE)),
            validity_period: COctet::new(Bytes::from_static(RELATIVE)),
            ..good
        };
        let sending = tokio::spawn(async move { esme.submit_sm(sm).await });
        goes_on(&probe, &mut raw, sending, 3, Size::Small).await;
    });
}

/// A `submit_sm` body with these time fields, made by hand: the builders
/// refuse bad ones.
fn timed(schedule: &'static [u8], validity: &'static [u8]) -> smpp_std::SubmitSm {
    smpp_std::SubmitSm {
        destination_addr: COctet::new(Bytes::from_static(b"447700900123")),
        schedule_delivery_time: COctet::new(Bytes::from_static(schedule)),
        validity_period: COctet::new(Bytes::from_static(validity)),
        ..smpp_std::SubmitSm::default()
    }
}

/// A `deliver_sm` body whose `schedule_delivery_time` is 16 characters of
/// garbage (the field is NULL in a `deliver_sm`).
fn garbage_time_deliver_sm() -> Vec<u8> {
    let mut body = b"\0\x01\x01447700900123\0\x01\x01INFO\0\0\0\0".to_vec();
    body.extend_from_slice(b"XXXXXXXXXXXXXXXX\0\0");
    body.extend_from_slice(b"\0\0\0\0\x02hi");
    body
}

fn client_garbage_time(transport: Transport) {
    run(move |probe| async move {
        let (_esme, mut raw, taking) =
            receiver_taking(transport, 2, Duration::from_millis(500)).await;
        let mut octets = raw_pdu(CommandId::DELIVER_SM, 7, &garbage_time_deliver_sm());
        octets.extend(encode(&deliver_sm(8, Size::Small)));
        raw.tx.write(&octets).await.unwrap();
        probe.step("the client's two answers");
        assert_eq!(
            statuses(&by_sequence(&mut raw, 2).await),
            [
                (CommandId::DELIVER_SM_RESP, CommandStatus::ESME_RINVSCHED),
                (CommandId::DELIVER_SM_RESP, CommandStatus::ESME_ROK),
            ]
        );
        let taken = probe
            .within_ok(secs(3), "the application's requests", taking)
            .await;
        assert_eq!(ids(&taken), [(CommandId::DELIVER_SM, 8)]);
    });
}

/// `enquire_link` each way of a flood, around one request.
const LINKS: u32 = 25_000;

/// 50,000 `enquire_link` with a request (`sequence_number` 100,000)
/// between the two halves, written while the answers are read: every
/// `enquire_link_resp` comes, in order, and the request is answered.
async fn answered_flood(probe: &Probe, raw: Raw, request: Pdu) -> Raw {
    let Raw { mut rx, mut tx } = raw;
    let link = HeaderOnlyBuilder::enquire_link(0).build().unwrap();
    let mut octets = flood(&link, 1, LINKS);
    octets.extend(encode(&request));
    octets.extend(flood(&link, LINKS + 1, LINKS));
    let writing = tokio::spawn(async move {
        tx.write(&octets).await.unwrap();
        tx
    });
    probe.step("every enquire_link_resp and the request's answer");
    let mut links = Vec::new();
    let mut answer = None;
    while links.len() < 2 * LINKS as usize || answer.is_none() {
        let (_, pdu) = rx.expect("the next answer of a flood").await;
        if pdu.command_id() == CommandId::ENQUIRE_LINK_RESP {
            assert_eq!(pdu.command_status, CommandStatus::ESME_ROK);
            links.push(pdu.sequence_number);
        } else {
            assert!(answer.is_none(), "{pdu:?}");
            answer = Some(pdu);
        }
    }
    assert!(
        links.iter().copied().eq(1..=2 * LINKS),
        "enquire_link_resp missing or out of order"
    );
    let answer = answer.unwrap();
    assert_eq!(answer.command_id(), request.command_id().response());
    assert_eq!(answer.sequence_number, request.sequence_number);
    assert_eq!(answer.command_status, CommandStatus::ESME_ROK);
    let tx = probe.within_ok(secs(3), "the flood written", writing).await;
    Raw { rx, tx }
}

fn server_link_flood(transport: Transport) {
    run(move |probe| async move {
        let (_smsc, _session, raw) = bound_to_smsc(transport, BindType::Transmitter).await;
        let mut raw = answered_flood(&probe, raw, submit_sm(100_000, Size::Small)).await;
        // Still bound and served.
        raw.tx.send(&submit_sm(100_001, Size::Small)).await;
        let (_, resp) = raw.rx.expect("an answer after the flood").await;
        assert_eq!(resp.sequence_number, 100_001);
        assert_eq!(message_id(&resp), "id-100001");
    });
}

fn client_link_flood(transport: Transport) {
    run(move |probe| async move {
        let (esme, mut incoming, raw) =
            client_link(transport, RawEnd::default(), esme(BindType::Receiver)).await;
        let taking = tokio::spawn(async move {
            let taken = take_requests(&mut incoming, 1, Duration::from_secs(10), drop).await;
            (taken, incoming)
        });
        let _raw = answered_flood(&probe, raw, deliver_sm(100_000, Size::Small)).await;
        let (taken, _incoming) = taking.await.unwrap();
        assert_eq!(ids(&taken), [(CommandId::DELIVER_SM, 100_000)]);
        assert!(!esme.is_closed());
    });
}

/// Writes `answers` in one go, in reverse, with a stray answer (`stray`,
/// to a request never sent) and a duplicate among them.
async fn write_reversed_with_strays(raw: &mut Raw, answers: &[Pdu], stray: SubmitSmRespBuilder) {
    let stray = stray.build().unwrap();
    let mut octets = Vec::new();
    for (i, answer) in answers.iter().rev().enumerate() {
        octets.extend(encode(answer));
        if i == 2 {
            octets.extend(encode(&stray));
        }
    }
    octets.extend(encode(&answers[0]));
    raw.tx.write(&octets).await.unwrap();
}

fn client_out_of_order(transport: Transport) {
    run(move |probe| async move {
        let (esme, _incoming, mut raw) =
            client_link(transport, RawEnd::default(), esme(BindType::Transmitter)).await;
        let sender = queue_submits(&esme, 1..=10, Size::Small);
        probe.step("the MC reading ten submit_sm");
        let read: Vec<u32> = (raw.rx.expect_many(10, "a submit_sm").await)
            .iter()
            .map(|(_, pdu)| pdu.sequence_number)
            .collect();
        let answers: Vec<_> = read
            .iter()
            .map(|&n| {
                SubmitSmRespBuilder::new(n)
                    .message_id(format!("r-{n}"))
                    .build()
                    .unwrap()
            })
            .collect();
        let stray = SubmitSmRespBuilder::new(999_999).message_id("stray");
        write_reversed_with_strays(&mut raw, &answers, stray).await;
        let pending = sender.await.unwrap();
        for (response, n) in pending.into_iter().zip(&read) {
            let pdu = probe
                .within_ok(secs(3), "an answer out of order", response)
                .await;
            assert_eq!(pdu.sequence_number, *n);
            assert_eq!(message_id(&pdu), format!("r-{n}"));
        }
        window_whole(&probe, &esme).await;
        // Nothing was sent for the stray and the duplicate: the next PDU
        // is the next request.
        let next = submit(&esme, 11, Size::Small);
        goes_on(&probe, &mut raw, next, 11, Size::Small).await;
    });
}

/// Even messages are accepted, odd ones refused: each push must get its
/// own answer.
fn status_for(n: u32) -> CommandStatus {
    if n.is_multiple_of(2) {
        CommandStatus::ESME_ROK
    } else {
        CommandStatus::ESME_RX_T_APPN
    }
}

fn server_out_of_order(transport: Transport) {
    run(move |probe| async move {
        let (_smsc, _session, mut raw, handle) =
            receiver_session(&probe, transport, RawEnd::default(), mc()).await;
        let pushes: Vec<_> = (1..=10).map(|n| push(&handle, n, Size::Small)).collect();
        probe.step("the ESME reading ten deliver_sm");
        let mut read = BTreeMap::new();
        let mut answers = Vec::new();
        for (_, pdu) in raw.rx.expect_many(10, "a deliver_sm").await {
            let n = which(&pdu, 1..=10, Size::Small);
            read.insert(n, pdu.sequence_number);
            let answer = SubmitSmRespBuilder::deliver_sm_resp(pdu.sequence_number)
                .command_status(status_for(n))
                .build()
                .unwrap();
            answers.push(answer);
        }
        let stray = SubmitSmRespBuilder::deliver_sm_resp(999_999);
        write_reversed_with_strays(&mut raw, &answers, stray).await;
        for (n, push) in (1..=10).zip(pushes) {
            let resp = probe
                .within_ok(secs(3), "an answer out of order", push)
                .await
                .unwrap();
            assert_eq!(resp.sequence_number, read[&n]);
            assert_eq!(resp.command_status, status_for(n));
        }
        window_whole(&probe, &handle).await;
        let next = push(&handle, 11, Size::Small);
        goes_on(&probe, &mut raw, next, 11, Size::Small).await;
    });
}

transport_tests! {
    server_garbage => {
        Tcp: garbage_from_an_esme_is_answered_and_an_impossible_length_ends_the_session_over_tcp,
        Pipe: garbage_from_an_esme_is_answered_and_an_impossible_length_ends_the_session_over_a_pipe,
    }
    client_garbage => {
        Tcp: garbage_from_an_mc_is_answered_and_an_impossible_length_ends_the_session_over_tcp,
        Pipe: garbage_from_an_mc_is_answered_and_an_impossible_length_ends_the_session_over_a_pipe,
    }
    server_time_fields => {
        Tcp: time_fields_of_any_shape_are_checked_by_the_server_over_tcp,
        Pipe: time_fields_of_any_shape_are_checked_by_the_server_over_a_pipe,
    }
    client_garbage_time => {
        Tcp: a_garbage_time_from_an_mc_is_refused_with_esme_rinvsched_over_tcp,
        Pipe: a_garbage_time_from_an_mc_is_refused_with_esme_rinvsched_over_a_pipe,
    }
    server_link_flood => {
        Tcp: an_enquire_link_flood_to_the_server_is_answered_in_order_over_tcp,
        Pipe: an_enquire_link_flood_to_the_server_is_answered_in_order_over_a_pipe,
    }
    client_link_flood => {
        Tcp: an_enquire_link_flood_to_the_client_is_answered_in_order_over_tcp,
        Pipe: an_enquire_link_flood_to_the_client_is_answered_in_order_over_a_pipe,
    }
    client_out_of_order => {
        Tcp: answers_out_of_order_reach_the_clients_requests_over_tcp,
        Pipe: answers_out_of_order_reach_the_clients_requests_over_a_pipe,
    }
    server_out_of_order => {
        Tcp: answers_out_of_order_reach_the_servers_deliver_sm_over_tcp,
        Pipe: answers_out_of_order_reach_the_servers_deliver_sm_over_a_pipe,
    }
}

/// Octets a read buffer may hold beyond what arrived.
const SLACK: usize = 4 * 1024;

#[test]
fn a_frame_decoder_reserves_what_arrived_not_what_is_announced() {
    const ANNOUNCED: usize = 70_000;
    let mut start = raw_pdu(CommandId::SUBMIT_SM, 1, &[0; 4]);
    start[..4].copy_from_slice(&u32::try_from(ANNOUNCED).unwrap().to_be_bytes());
    let mut buf = BytesMut::from(&start[..]);
    let mut decoder = FrameDecoder::new();
    assert_eq!(decoder.decode(&mut buf), Ok(None));
    assert_eq!(buf.len(), 20);
    assert!(
        buf.capacity() <= SLACK,
        "20 octets arrived of 70,000 announced: {} reserved",
        buf.capacity()
    );
    // The rest comes a KiB at a time; memory grows with it.
    let mut received = buf.len();
    while received < ANNOUNCED {
        let n = (ANNOUNCED - received).min(1024);
        buf.extend_from_slice(&vec![0x5A; n]);
        received += n;
        if received < ANNOUNCED {
            assert_eq!(decoder.decode(&mut buf), Ok(None));
            assert!(
                buf.capacity() <= 2 * received + SLACK,
                "{received} octets arrived: {} reserved",
                buf.capacity()
            );
        }
    }
    let frame = decoder.decode(&mut buf).unwrap().unwrap();
    assert_eq!(frame.bytes.len(), ANNOUNCED);
    assert_eq!(frame.header.command_length as usize, ANNOUNCED);
    assert_eq!(frame.header.command_id, CommandId::SUBMIT_SM);
    assert!(frame.body()[4..].iter().all(|&b| b == 0x5A));
    assert!(buf.is_empty());
}
