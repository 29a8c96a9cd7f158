//! Items 2 and 3: the client answers `ESME_ROK` only for what the
//! application took, takes bursts larger than its window by back-pressure
//! instead of refusing them, and gives `deliver_sm_resp` and `data_sm_resp`
//! a body on error responses too.

use core::time::Duration;
use std::collections::BTreeMap;
use std::sync::Arc;

use smpp_core::session::{BindType, InboundOverflow};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::session::{Answer, Incoming};
use smpp_std::{DataSmBuilder, Frame, Pdu};
use tokio::task::JoinHandle;
use tokio::time::timeout;

use crate::common::bad_source_addr_sm;
use crate::harness::{
    Probe, Raw, RawEnd, RawRx, RawTx, Size, Smsc, Transport, alert, bound_server_link,
    bound_to_smsc, client_link, deliver_sm, encode, encode_all, esme, ids, mc, raw_pdu, run, secs,
    submit_sm, take_requests, transport_tests,
};

/// Reads `count` responses; their `sequence_number`s and statuses, in the
/// order they came.
async fn responses(
    probe: &Probe,
    rx: &mut RawRx,
    count: usize,
    command_id: CommandId,
) -> Vec<(u32, CommandStatus)> {
    probe.step(format!("the MC reading {count} {command_id}"));
    let mut answers = Vec::new();
    while answers.len() < count {
        let (_, pdu) = rx.expect("a response of the client").await;
        assert_eq!(pdu.command_id(), command_id, "{pdu:?}");
        answers.push((pdu.sequence_number, pdu.command_status));
    }
    answers
}

/// Writes `octets` from a task of its own, while the test reads; the task
/// ends with the sending half.
fn writing(mut tx: RawTx, octets: Vec<u8>) -> JoinHandle<RawTx> {
    tokio::spawn(async move {
        tx.write(&octets).await.unwrap();
        tx
    })
}

/// `count` `deliver_sm` with `sequence_number`s from 1 on, each answered
/// `ESME_ROK`, in order.
fn all_ok(numbers: core::ops::RangeInclusive<u32>) -> Vec<(u32, CommandStatus)> {
    numbers.map(|n| (n, CommandStatus::ESME_ROK)).collect()
}

/// Nothing comes from the client for 300 ms: it answers nothing before the
/// application took it.
async fn nothing_answered_early(rx: &mut RawRx, what: &str) {
    let early = timeout(Duration::from_millis(300), rx.frame()).await;
    assert!(
        early.is_err(),
        "{what}: {:?}",
        early.map(|frame| frame.map(|f| f.header))
    );
}

/// 20 `alert_notification` then 10 `deliver_sm` in one write; the
/// application starts taking them 300 ms later.
fn acknowledged_only_what_was_taken(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Transceiver);
        let (_esme, mut incoming, mut raw) =
            client_link(transport, RawEnd::default(), config).await;
        let sent: Vec<Pdu> = (1..=20)
            .map(alert)
            .chain((21..=30).map(|n| deliver_sm(n, Size::Small)))
            .collect();
        raw.tx.write(&encode_all(sent.clone())).await.unwrap();
        // Nothing is answered before the application takes it (and no
        // ESME_RX_T_APPN: ten deliver_sm are no reason to refuse).
        nothing_answered_early(&mut raw.rx, "answered before the application took anything").await;
        let answering = {
            let probe = probe.clone();
            tokio::spawn(async move {
                let answers = responses(&probe, &mut raw.rx, 10, CommandId::DELIVER_SM_RESP).await;
                (answers, raw)
            })
        };

        probe.step("the application taking 30 requests");
        let taken = take_requests(&mut incoming, 30, Duration::from_secs(2), drop).await;
        assert_eq!(
            ids(&taken),
            ids(&sent),
            "the application did not get every request, in order"
        );
        let (answers, _raw) = probe
            .within_ok(secs(5), "ten deliver_sm_resp", answering)
            .await;
        let delivered: Vec<u32> = taken
            .iter()
            .filter(|pdu| pdu.command_id() == CommandId::DELIVER_SM)
            .map(|pdu| pdu.sequence_number)
            .collect();
        let acknowledged: Vec<u32> = answers
            .iter()
            .filter(|(_, status)| status.is_ok())
            .map(|&(n, _)| n)
            .collect();
        assert_eq!(
            acknowledged, delivered,
            "ESME_ROK went to deliver_sm the application never got: {answers:?}"
        );
    });
}

/// 20 `deliver_sm` of `size` in one write to a client with windows of 10
/// whose application takes each at once: the ten beyond wait, unread.
fn burst_twice_the_window(transport: Transport, size: Size) {
    run(move |probe| async move {
        let config = esme(BindType::Receiver)
            .with_window(10)
            .with_inbound_window(10);
        let (_esme, incoming, raw) = client_link(transport, RawEnd::default(), config).await;
        let sent: Vec<Pdu> = (1..=20).map(|n| deliver_sm(n, size)).collect();
        burst(
            &probe,
            raw,
            incoming,
            &sent,
            "a burst of 20 through a window of 10",
        )
        .await;
    });
}

/// `sent` (`deliver_sm` 1 on) in one write, while the application takes
/// each request at once and the MC reads the answers: each is answered
/// `ESME_ROK`, in order, and the application gets every one, in order.
async fn burst(probe: &Probe, raw: Raw, mut incoming: Incoming, sent: &[Pdu], what: &str) {
    let Raw { mut rx, tx } = raw;
    let count = sent.len();
    let taking =
        tokio::spawn(async move { take_requests(&mut incoming, count, secs(3), drop).await });
    let writing = writing(tx, encode_all(sent.iter().cloned()));
    let answers = responses(probe, &mut rx, count, CommandId::DELIVER_SM_RESP).await;
    drop(probe.within_ok(secs(3), "the burst written", writing).await);
    let count = u32::try_from(count).unwrap();
    assert_eq!(answers, all_ok(1..=count), "{what}");
    let taken = probe
        .within_ok(secs(5), "the application's requests", taking)
        .await;
    assert_eq!(ids(&taken), ids(sent), "{what}: the application's requests");
}

/// 200 `deliver_sm` in one write to a client whose own window is 2: the
/// peer's requests have a window of their own (64 by default), and beyond
/// it they wait.
fn burst_beyond_both_windows(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Transceiver).with_window(2);
        let (esme, incoming, raw) = client_link(transport, RawEnd::default(), config).await;
        assert_eq!(esme.window(), 2);
        let sent: Vec<Pdu> = (1..=200).map(|n| deliver_sm(n, Size::Small)).collect();
        burst(
            &probe,
            raw,
            incoming,
            &sent,
            "a burst of 200 to a client with window 2",
        )
        .await;
    });
}

/// 20 `deliver_sm` in one write to a client told to refuse beyond an
/// inbound window of 10, whose application takes nothing for 300 ms: the
/// last ten are refused at once, with a body; the first ten wait for the
/// application.
fn refused_beyond_the_inbound_window(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Receiver)
            .with_inbound_window(10)
            .with_inbound_overflow(InboundOverflow::Refuse);
        let (_esme, mut incoming, mut raw) =
            client_link(transport, RawEnd::default(), config).await;
        let sent: Vec<Pdu> = (1..=20).map(|n| deliver_sm(n, Size::Small)).collect();
        raw.tx.write(&encode_all(sent.clone())).await.unwrap();
        probe.step("the ten refusals");
        for (n, (frame, _)) in (11..=20).zip(raw.rx.expect_many(10, "a refusal").await) {
            assert_eq!(frame.header.sequence_number, n);
            assert_nul_body(
                &frame,
                CommandId::DELIVER_SM_RESP,
                CommandStatus::ESME_RX_T_APPN,
            );
        }
        let what = "a request in the window answered before the application took it";
        nothing_answered_early(&mut raw.rx, what).await;
        let taken = take_requests(&mut incoming, 10, Duration::from_secs(2), drop).await;
        assert_eq!(ids(&taken), ids(&sent[..10]));
        let answers = responses(&probe, &mut raw.rx, 10, CommandId::DELIVER_SM_RESP).await;
        assert_eq!(answers, all_ok(1..=10));
    });
}

/// An ESME writes 30 `submit_sm` in one write to a server whose inbound
/// window is 10 and whose handler takes 50 ms: at most ten are with the
/// handler at once, and none is refused.
fn server_burst_beyond_the_inbound_window(transport: Transport) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc {
            delay: Some(Duration::from_millis(50)),
            ..Smsc::default()
        });
        let config = mc().with_inbound_window(10);
        let (_session, mut raw) = bound_server_link(
            transport,
            RawEnd::default(),
            config,
            &smsc,
            BindType::Transmitter,
        )
        .await;
        let octets = encode_all((2..=31).map(|n| submit_sm(n, Size::Small)));
        raw.tx.write(&octets).await.unwrap();
        let mut answers = responses(&probe, &mut raw.rx, 30, CommandId::SUBMIT_SM_RESP).await;
        answers.sort_unstable();
        assert_eq!(
            answers,
            all_ok(2..=31),
            "a burst of 30 through an inbound window of 10"
        );
        let most = smsc
            .max_in_flight
            .load(core::sync::atomic::Ordering::SeqCst);
        assert!(
            (1..=10).contains(&most),
            "{most} requests were with the handler at once"
        );
    });
}

/// An MC pushes 10,000 `deliver_sm` (or 50 of 40,000 octets), an
/// `alert_notification` after every tenth, as fast as it can, to a client
/// with the default settings whose application pauses now and then.
fn bulk_with_alerts(transport: Transport, count: u32, size: Size) {
    run(move |probe| async move {
        let config = smpp_core::session::Config::esme(BindType::Transceiver);
        let (_esme, mut incoming, raw) = client_link(transport, RawEnd::default(), config).await;
        let Raw { mut rx, tx } = raw;
        let sent: Vec<Pdu> = (1..=count)
            .flat_map(|n| {
                let alerts = (n % 10 == 0).then(|| alert(1_000_000 + n));
                core::iter::once(deliver_sm(n, size)).chain(alerts)
            })
            .collect();
        let writing = writing(tx, encode_all(sent.clone()));
        let answering = tokio::spawn(async move {
            let mut answers = BTreeMap::new();
            while answers.len() < count as usize {
                let Some((_, pdu)) = rx.pdu().await else {
                    break;
                };
                assert_eq!(pdu.command_id(), CommandId::DELIVER_SM_RESP);
                let again = answers.insert(pdu.sequence_number, pdu.command_status);
                assert!(again.is_none(), "{} answered twice", pdu.sequence_number);
            }
            answers
        });

        probe.step("the application taking every request");
        let mut taken = Vec::new();
        while taken.len() < sent.len() {
            let Ok(Some(request)) = timeout(Duration::from_secs(3), incoming.recv()).await else {
                break;
            };
            taken.push(request.pdu().clone());
            drop(request);
            if taken.len() % 500 == 0 {
                // A pause: what arrives meanwhile must wait, not be refused.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
        let wanted = ids(&sent);
        assert_eq!(
            taken.len(),
            wanted.len(),
            "the application got {} of {} requests",
            taken.len(),
            wanted.len()
        );
        assert_eq!(ids(&taken), wanted, "not in the order sent");
        let answers = probe
            .within_ok(secs(10), "every deliver_sm_resp", answering)
            .await;
        let refused: Vec<_> = answers.iter().filter(|(_, s)| !s.is_ok()).collect();
        assert!(
            refused.is_empty(),
            "{} of {count} refused, first: {:?}",
            refused.len(),
            refused.first()
        );
        assert_eq!(answers.len(), count as usize);
        assert!(answers.keys().copied().eq(1..=count));
        drop(probe.within_ok(secs(3), "the write", writing).await);
    });
}

/// A response of one NUL octet of body: `message_id` empty (17 octets).
fn assert_nul_body(frame: &Frame, command_id: CommandId, status: CommandStatus) {
    assert_eq!(frame.header.command_id, command_id);
    assert_eq!(frame.header.command_status, status);
    assert_eq!(
        frame.bytes.len(),
        17,
        "{command_id} with {status}: {:02x?}",
        &frame.bytes[..]
    );
    assert_eq!(frame.header.command_length, 17);
    assert_eq!(frame.body(), [0]);
}

/// Reads as many responses as `wanted` names, in any order: each
/// (`sequence_number`, `command_id`, `command_status`) of `wanted` with a
/// body of one NUL octet.
async fn assert_nul_bodies(rx: &mut RawRx, wanted: &[(u32, CommandId, CommandStatus)]) {
    let frames = rx.by_sequence(wanted.len(), "an error response").await;
    for &(n, command_id, status) in wanted {
        let (frame, _) = frames
            .get(&n)
            .unwrap_or_else(|| panic!("no response {n}: {frames:?}"));
        assert_nul_body(frame, command_id, status);
    }
}

/// A `data_sm` body with a 70-digit `source_addr` (65 at most).
fn bad_source_addr_data_sm() -> Vec<u8> {
    let mut body = vec![0, 1, 1];
    body.extend_from_slice(&[b'9'; 70]);
    body.extend_from_slice(b"\0\x01\x01447700900123\0");
    body.extend_from_slice(&[0; 3]);
    body
}

fn data_sm(n: u32) -> Pdu {
    DataSmBuilder::new(n)
        .source_addr("447700900123")
        .destination_addr("INFO")
        .message_payload("hello")
        .build()
        .unwrap()
}

/// The client's error answers: the application's `ESME_RX_T_APPN` to a
/// `deliver_sm`, `ESME_RX_P_APPN` to a `data_sm`, and the session's own
/// `ESME_RINVSRCADR` to a malformed `deliver_sm`.
fn client_error_bodies(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Transceiver);
        let (_esme, mut incoming, mut raw) =
            client_link(transport, RawEnd::default(), config).await;
        let mut octets = encode(&deliver_sm(1, Size::Small));
        octets.extend(encode(&data_sm(2)));
        octets.extend(raw_pdu(CommandId::DELIVER_SM, 3, &bad_source_addr_sm()));
        raw.tx.write(&octets).await.unwrap();
        probe.step("the application answering two requests");
        let taken = take_requests(&mut incoming, 2, Duration::from_secs(3), |request| {
            let status = match request.command_id() {
                CommandId::DELIVER_SM => CommandStatus::ESME_RX_T_APPN,
                _ => CommandStatus::ESME_RX_P_APPN,
            };
            request.respond(Answer::Status(status));
        })
        .await;
        assert_eq!(
            ids(&taken),
            [(CommandId::DELIVER_SM, 1), (CommandId::DATA_SM, 2)]
        );
        probe.step("the MC reading three responses");
        assert_nul_bodies(
            &mut raw.rx,
            &[
                (1, CommandId::DELIVER_SM_RESP, CommandStatus::ESME_RX_T_APPN),
                (2, CommandId::DATA_SM_RESP, CommandStatus::ESME_RX_P_APPN),
                (
                    3,
                    CommandId::DELIVER_SM_RESP,
                    CommandStatus::ESME_RINVSRCADR,
                ),
            ],
        )
        .await;
    });
}

/// The server's error answers to `data_sm`: the handler's
/// `ESME_RINVDSTADR`, and the session's own `ESME_RINVSRCADR` to a
/// malformed one.
fn server_error_bodies(transport: Transport) {
    run(move |probe| async move {
        let (_smsc, _session, mut raw) = bound_to_smsc(transport, BindType::Transceiver).await;
        let mut octets = encode(&data_sm(2));
        octets.extend(raw_pdu(CommandId::DATA_SM, 3, &bad_source_addr_data_sm()));
        raw.tx.write(&octets).await.unwrap();
        probe.step("the ESME reading two data_sm_resp");
        assert_nul_bodies(
            &mut raw.rx,
            &[
                (2, CommandId::DATA_SM_RESP, CommandStatus::ESME_RINVDSTADR),
                (3, CommandId::DATA_SM_RESP, CommandStatus::ESME_RINVSRCADR),
            ],
        )
        .await;
    });
}

transport_tests! {
    acknowledged_only_what_was_taken => {
        Tcp: the_client_acknowledges_only_what_the_application_took_over_tcp,
        Pipe: the_client_acknowledges_only_what_the_application_took_over_a_pipe,
    }
    burst_twice_the_window => {
        Tcp(Size::Small): the_client_takes_a_burst_of_twice_its_window_over_tcp,
        Pipe(Size::Small): the_client_takes_a_burst_of_twice_its_window_over_a_pipe,
        Tcp(Size::Large): the_client_takes_a_burst_of_twice_its_window_of_large_pdus_over_tcp,
        Pipe(Size::Large): the_client_takes_a_burst_of_twice_its_window_of_large_pdus_over_a_pipe,
    }
    burst_beyond_both_windows => {
        Tcp: the_peers_requests_have_a_window_of_their_own_over_tcp,
        Pipe: the_peers_requests_have_a_window_of_their_own_over_a_pipe,
    }
    refused_beyond_the_inbound_window => {
        Tcp: beyond_the_inbound_window_the_client_refuses_only_when_told_to_over_tcp,
        Pipe: beyond_the_inbound_window_the_client_refuses_only_when_told_to_over_a_pipe,
    }
    server_burst_beyond_the_inbound_window => {
        Tcp: the_server_takes_a_burst_beyond_its_inbound_window_by_back_pressure_over_tcp,
        Pipe: the_server_takes_a_burst_beyond_its_inbound_window_by_back_pressure_over_a_pipe,
    }
    bulk_with_alerts => {
        Tcp(10_000, Size::Small): the_client_takes_10000_deliver_sm_with_alerts_mixed_in_over_tcp,
        Pipe(10_000, Size::Small): the_client_takes_10000_deliver_sm_with_alerts_mixed_in_over_a_pipe,
        Pipe(50, Size::Large): the_client_takes_large_deliver_sm_with_alerts_mixed_in_over_a_pipe,
    }
    client_error_bodies => {
        Tcp: error_responses_of_the_client_to_deliver_sm_and_data_sm_have_a_body_over_tcp,
        Pipe: error_responses_of_the_client_to_deliver_sm_and_data_sm_have_a_body_over_a_pipe,
    }
    server_error_bodies => {
        Tcp: error_responses_of_the_server_to_data_sm_have_a_body_over_tcp,
        Pipe: error_responses_of_the_server_to_data_sm_have_a_body_over_a_pipe,
    }
}
