//! Item 4 and resets: a peer that half-closes gets every answer; a
//! connection reset mid-window fails every outstanding request, and none
//! hangs.

use core::future::Future;
use core::ops::RangeInclusive;
use core::time::Duration;
use std::sync::Arc;

use smpp_core::session::{BindType, CloseReason};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::Pdu;
use smpp_std::session::{Answer, Error, SmResponse};

use crate::harness::{
    Probe, Raw, RawEnd, Size, Smsc, Transport, accepted, all_accepted, bound_server_link,
    client_link, deliver_sm, encode_all, esme, mc, push, queue_submits, receiver_session, run,
    secs, submit_sm, transport_tests, which,
};

/// Reads until the peer closes: an `ESME_ROK` `response` to each of the
/// requests `numbers` must come first, each once. The responses.
async fn every_answer_then_the_end(
    probe: &Probe,
    raw: &mut Raw,
    response: CommandId,
    numbers: RangeInclusive<u32>,
) -> Vec<Pdu> {
    let what = "every answer, then the end of the stream";
    let pdus = probe.rest(secs(5), what, &mut raw.rx).await;
    let mut answers: Vec<_> = pdus
        .iter()
        .map(|pdu| (pdu.command_id(), pdu.sequence_number, pdu.command_status))
        .collect();
    answers.sort_by_key(|&(_, n, _)| n);
    let expected: Vec<_> = numbers
        .map(|n| (response, n, CommandStatus::ESME_ROK))
        .collect();
    assert_eq!(answers, expected, "the answers to a peer that half-closed");
    pdus
}

/// An ESME writes ten `submit_sm` of `size` and shuts its write side; the
/// handler takes 50 ms to answer each.
fn server_half_close(transport: Transport, size: Size) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc {
            delay: Some(Duration::from_millis(50)),
            ..Smsc::default()
        });
        let (session, mut raw) = bound_server_link(
            transport,
            RawEnd::default(),
            mc(),
            &smsc,
            BindType::Transmitter,
        )
        .await;
        let octets = encode_all((2..=11).map(|n| submit_sm(n, size)));
        raw.tx.write(&octets).await.unwrap();
        raw.tx.shutdown().await;
        let pdus =
            every_answer_then_the_end(&probe, &mut raw, CommandId::SUBMIT_SM_RESP, 2..=11).await;
        for pdu in &pdus {
            let resp = SmResponse::from(pdu.clone());
            assert_eq!(
                resp.message_id.to_string(),
                format!("id-{}", pdu.sequence_number)
            );
        }
        assert_eq!(smsc.submits(), 10);
        probe.session_end(session).await;
    });
}

/// An MC writes ten `deliver_sm` and shuts its write side; the application
/// answers each 50 ms after taking it.
fn client_half_close(transport: Transport) {
    run(move |probe| async move {
        let (esme, mut incoming, mut raw) =
            client_link(transport, RawEnd::default(), esme(BindType::Transceiver)).await;
        let octets = encode_all((1..=10).map(|n| deliver_sm(n, Size::Small)));
        raw.tx.write(&octets).await.unwrap();
        raw.tx.shutdown().await;
        let application = tokio::spawn(async move {
            let mut taken = Vec::new();
            while let Some(request) = incoming.recv().await {
                taken.push(request.pdu().sequence_number);
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    request.respond(Answer::Ok);
                });
            }
            taken
        });
        every_answer_then_the_end(&probe, &mut raw, CommandId::DELIVER_SM_RESP, 1..=10).await;
        let taken = probe
            .within_ok(secs(3), "the end of Incoming", application)
            .await;
        assert_eq!(taken, (1..=10).collect::<Vec<_>>());
        probe
            .within(secs(3), "the session's end", esme.closed())
            .await;
    });
}

/// A raw end that resets the connection when dropped (TCP), with small
/// buffers so that what the client queued stays queued.
const RESETS: RawEnd = RawEnd {
    resets: true,
    small_buffers: true,
};

/// The client fills a window of `window` messages of `size`; the MC reads
/// `read` of them, answers `answered`, and resets the connection. Every
/// other request fails, saying whether it was written: those the MC read
/// were, and at least `unwritten` at the end of the queue were not.
fn client_reset(transport: Transport, size: Size, window: usize, read: usize, answered: usize) {
    let unwritten = if size == Size::Large { 3 } else { 0 };
    run(move |probe| async move {
        let config = esme(BindType::Transmitter).with_window(window);
        let (esme, _incoming, mut raw) = client_link(transport, RESETS, config).await;
        let count = u32::try_from(window).unwrap();
        let sender = queue_submits(&esme, 1..=count, size);
        probe.step("the MC reading the first requests");
        let mut sequence_numbers = Vec::new();
        for (_, pdu) in raw.rx.expect_many(read, "a submit_sm").await {
            assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM);
            sequence_numbers.push(pdu.sequence_number);
        }
        for &n in &sequence_numbers[..answered] {
            raw.tx.send(&accepted(CommandId::SUBMIT_SM, n)).await;
        }
        let mut pending = probe
            .within_ok(secs(5), "every window slot taken", sender)
            .await;
        // Requests go out in the order they got their slots.
        let rest = pending.split_off(answered);
        let answers = all_accepted(&probe, pending).await;
        assert_eq!(answers, sequence_numbers[..answered]);

        drop(raw);
        let outcomes = after_the_reset(&probe, CommandId::SUBMIT_SM, rest).await;
        assert_written_then_not(&outcomes, &sequence_numbers[answered..], unwritten);
        let reason = probe
            .within(secs(3), "the session's end", esme.closed())
            .await;
        assert_eq!(reason, CloseReason::Disconnected);
        let late = esme.submit_sm(submit_sm(0, Size::Small)).await;
        assert!(
            matches!(late, Err(Error::Closed(CloseReason::Disconnected))),
            "{late:?}"
        );
    });
}

/// Waits for each of `requests`, outstanding when the connection was
/// reset, to fail; whether each was written (see [`written`]).
async fn after_the_reset<T: core::fmt::Debug>(
    probe: &Probe,
    request: CommandId,
    requests: impl IntoIterator<Item = impl Future<Output = Result<T, Error>>>,
) -> Vec<Option<u32>> {
    let what = format!("an outstanding {request} after a reset");
    let mut outcomes = Vec::new();
    for outstanding in requests {
        outcomes.push(written(
            &probe.within(secs(3), &what, outstanding).await,
            request,
        ));
    }
    outcomes
}

/// A request's end once its connection was reset: `Some(sequence_number)`
/// if it was written (the peer may act on it), `None` if nothing of it
/// left (safe to send again).
fn written<T: core::fmt::Debug>(result: &Result<T, Error>, request: CommandId) -> Option<u32> {
    match result {
        Err(Error::OutcomeUnknown {
            command_id,
            sequence_number,
            reason: CloseReason::Disconnected,
        }) if *command_id == request => Some(*sequence_number),
        Err(Error::Closed(CloseReason::Disconnected)) => None,
        other => panic!("an outstanding {request} after a reset: {other:?}"),
    }
}

/// In queue order: the requests the peer read (`read`) were written; those
/// not written come last, at least `unwritten` of them.
fn assert_written_then_not(outcomes: &[Option<u32>], read: &[u32], unwritten: usize) {
    let first_unwritten = outcomes
        .iter()
        .position(Option::is_none)
        .unwrap_or(outcomes.len());
    let (was, was_not) = outcomes.split_at(first_unwritten);
    assert!(
        was_not.iter().all(Option::is_none),
        "a request written after one that was not: {outcomes:?}"
    );
    let was: Vec<u32> = was.iter().flatten().copied().collect();
    assert!(
        was.starts_with(read),
        "the requests the peer read were not all reported written: {outcomes:?}"
    );
    assert!(
        was_not.len() >= unwritten,
        "{} requests reported unwritten, {unwritten} at least never left: {outcomes:?}",
        was_not.len()
    );
}

/// The server fills a window of 50 `deliver_sm`; the ESME reads them all,
/// answers five, and resets the connection.
fn server_reset(transport: Transport) {
    run(move |probe| async move {
        let config = mc().with_window(50);
        let (smsc, session, mut raw, handle) =
            receiver_session(&probe, transport, RESETS, config).await;
        let mut pushes: Vec<_> = (1..=50)
            .map(|n| Some(push(&handle, n, Size::Small)))
            .collect();
        probe.step("the ESME reading 50 deliver_sm");
        let read: Vec<_> = (raw.rx.expect_many(50, "a deliver_sm").await)
            .iter()
            .map(|(_, pdu)| (which(pdu, 1..=50, Size::Small), pdu.sequence_number))
            .collect();
        for &(n, sequence_number) in &read[..5] {
            raw.tx
                .send(&accepted(CommandId::DELIVER_SM, sequence_number))
                .await;
            let push = pushes[n as usize - 1].take().unwrap();
            let resp = probe
                .within_ok(secs(3), "an answered deliver_sm", push)
                .await
                .unwrap();
            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
            assert_eq!(resp.sequence_number, sequence_number);
        }

        drop(raw);
        let rest = read[5..].iter().map(|&(n, _)| {
            let push = pushes[n as usize - 1].take().unwrap();
            async { push.await.unwrap() }
        });
        let outcomes = after_the_reset(&probe, CommandId::DELIVER_SM, rest).await;
        let read_unanswered: Vec<u32> = read[5..].iter().map(|&(_, s)| s).collect();
        assert_eq!(outcomes.len(), 45);
        assert_written_then_not(&outcomes, &read_unanswered, 0);
        let reason = probe.session_end(session).await;
        assert_eq!(reason, CloseReason::Disconnected);
        assert_eq!(smsc.closed(), [CloseReason::Disconnected]);
    });
}

transport_tests! {
    server_half_close => {
        Tcp(Size::Small): the_server_answers_every_request_of_an_esme_that_half_closed_over_tcp,
        Pipe(Size::Small): the_server_answers_every_request_of_an_esme_that_half_closed_over_a_pipe,
        Pipe(Size::Large): the_server_answers_every_large_request_of_an_esme_that_half_closed_over_a_pipe,
    }
    client_half_close => {
        Tcp: the_client_answers_every_deliver_sm_of_an_mc_that_half_closed_over_tcp,
        Pipe: the_client_answers_every_deliver_sm_of_an_mc_that_half_closed_over_a_pipe,
    }
    client_reset => {
        Tcp(Size::Small, 50, 50, 5): a_reset_fails_every_outstanding_request_of_the_client_over_tcp,
        Pipe(Size::Small, 50, 50, 5): a_reset_fails_every_outstanding_request_of_the_client_over_a_pipe,
        Tcp(Size::Large, 8, 2, 1): a_reset_fails_every_outstanding_large_request_of_the_client_over_tcp,
        Pipe(Size::Large, 8, 2, 1): a_reset_fails_every_outstanding_large_request_of_the_client_over_a_pipe,
    }
    server_reset => {
        Tcp: a_reset_fails_every_outstanding_deliver_sm_of_the_server_over_tcp,
        Pipe: a_reset_fails_every_outstanding_deliver_sm_of_the_server_over_a_pipe,
    }
}
