//! Items 5 and 8, and peers that never answer: every peer is timed out.
//! A peer that stops reading is closed by a write timeout, a bind left
//! undecided by the session init timer, an unanswered request by the
//! response timer (its window slot freed), a stalled unbind by shutdown.

use core::future::Future;
use core::time::Duration;
use std::sync::Arc;

use smpp_core::CommandId;
use smpp_core::session::{BindType, CloseReason, Timers};
use smpp_std::HeaderOnlyBuilder;
use smpp_std::session::{Error, Handle, SmResponse};
use tokio::task::JoinHandle;

use crate::harness::{
    Probe, Raw, RawEnd, Running, Size, Smsc, Transport, accepted, bound_server_link, client_link,
    esme, flood, goes_on, ids, mc, push, receiver_session, response_timer_only, run, secs,
    server_link, submit, submit_sm, transport_tests, window_whole, write_without_reading,
};

/// 500 ms for a write to make progress, 10 s for a response; no
/// `enquire_link`, whose own response timer would close the session where
/// it finds room in the transmit queue: only the write timer closes a
/// session whose peer stopped reading.
fn short() -> Timers {
    Timers {
        write_timer: Some(Duration::from_millis(500)),
        ..response_timer_only(Duration::from_secs(10))
    }
}

/// 500 ms for a response and so, by default, for a write to make progress.
fn short_response() -> Timers {
    response_timer_only(Duration::from_millis(500))
}

/// A raw end whose kernel buffers are small: a peer that stops reading
/// blocks the library's writes soon.
const SMALL: RawEnd = RawEnd {
    resets: false,
    small_buffers: true,
};

/// `submit_sm` an ESME that never reads writes: more than the buffers
/// hold.
const FLOOD: u32 = 200_000;

/// Four bound ESMEs write [`FLOOD`] `submit_sm` each and never read.
fn esmes_that_never_read(transport: Transport) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc::default());
        let mut sessions = Vec::new();
        let mut floods = Vec::new();
        probe.step("four ESMEs binding");
        for _ in 0..4 {
            let config = mc().with_timers(short());
            let (session, raw) =
                bound_server_link(transport, SMALL, config, &smsc, BindType::Transmitter).await;
            let octets = flood(&submit_sm(0, Size::Small), 2, FLOOD);
            floods.push(write_without_reading(raw, octets));
            sessions.push(session);
        }
        probe
            .within(
                secs(6),
                "every session whose ESME never reads to end",
                async {
                    for session in sessions {
                        session.await.unwrap();
                    }
                },
            )
            .await;
        assert_eq!(smsc.closed(), [CloseReason::WriteTimeout; 4]);
        for flood in floods {
            probe.flood_cut("an ESME's flood to end", flood).await;
        }
    });
}

/// The client sends large `submit_sm` without end to an MC that took its
/// bind and never reads again.
fn client_to_an_mc_that_never_reads(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Transmitter).with_timers(short());
        let (esme, _incoming, raw) = client_link(transport, SMALL, config).await;
        let sender = {
            let esme = esme.clone();
            tokio::spawn(async move {
                let mut pending = Vec::new();
                for n in 1.. {
                    match esme.queue(submit_sm(n, Size::Large)).await {
                        Ok(response) => pending.push(response),
                        Err(_) => break,
                    }
                }
                pending
            })
        };
        let reason = probe
            .within(
                secs(5),
                "the client to close a session whose MC never reads",
                esme.closed(),
            )
            .await;
        assert_eq!(reason, CloseReason::WriteTimeout);
        let pending = probe.within_ok(secs(3), "the sender to stop", sender).await;
        // Ten requests (the window) were queued; what was written comes
        // first, and the last of them never left.
        assert_eq!(pending.len(), 10);
        let mut written = Vec::new();
        for response in pending {
            let result = probe
                .within(secs(3), "a request to an MC that never reads", response)
                .await;
            match result {
                Err(Error::OutcomeUnknown {
                    command_id: CommandId::SUBMIT_SM,
                    reason: CloseReason::WriteTimeout,
                    ..
                }) => written.push(true),
                Err(Error::Closed(CloseReason::WriteTimeout)) => written.push(false),
                other => panic!("a request to an MC that never reads: {other:?}"),
            }
        }
        assert!(
            written.windows(2).all(|w| w[0] || !w[1]),
            "written after unwritten: {written:?}"
        );
        assert!(!written[9], "the tenth 40,000 octets left: {written:?}");
        drop(raw);
    });
}

/// `enquire_link` an ESME writes without ever reading the responses.
const LINKS: u32 = 500_000;

fn enquire_link_flood() -> Vec<u8> {
    let link = HeaderOnlyBuilder::enquire_link(0).build().unwrap();
    flood(&link, 2, LINKS)
}

/// A bound peer, on `raw`, floods `enquire_link` and never reads the
/// responses: `who` (the server or the client) ends the session (`end`) by
/// its write timer.
async fn closes_an_enquire_link_flood(
    probe: &Probe,
    raw: Raw,
    who: &str,
    end: impl Future<Output = CloseReason>,
) {
    let flood = write_without_reading(raw, enquire_link_flood());
    let what = format!("{who} to close a session whose peer floods enquire_link and never reads");
    let reason = probe.within(secs(5), &what, end).await;
    assert_eq!(reason, CloseReason::WriteTimeout);
    probe.flood_cut("the flood to end", flood).await;
}

/// A bound ESME floods `enquire_link` and never reads the responses.
fn server_enquire_link_flood(transport: Transport) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc::default());
        // The write timer is the response timer's, by default.
        let config = mc().with_timers(short_response());
        let (session, raw) =
            bound_server_link(transport, SMALL, config, &smsc, BindType::Transmitter).await;
        let end = async { session.await.unwrap() };
        closes_an_enquire_link_flood(&probe, raw, "the server", end).await;
    });
}

/// An MC floods `enquire_link` and never reads the responses.
fn client_enquire_link_flood(transport: Transport) {
    run(move |probe| async move {
        let config = esme(BindType::Transceiver).with_timers(short());
        let (esme, _incoming, raw) = client_link(transport, SMALL, config).await;
        closes_an_enquire_link_flood(&probe, raw, "the client", esme.closed()).await;
    });
}

/// A bind the handler never decides: the session init timer (300 ms)
/// still runs.
fn undecided_bind(transport: Transport) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc {
            undecided_bind: true,
            ..Smsc::default()
        });
        let timers = Timers {
            session_init_timer: Some(Duration::from_millis(300)),
            ..response_timer_only(Duration::from_secs(1))
        };
        let (session, mut raw) = server_link(
            transport,
            RawEnd::default(),
            mc().with_timers(timers),
            &smsc,
        )
        .await;
        raw.tx
            .send(&crate::server::bind(BindType::Transmitter, 1))
            .await;
        let reason = probe
            .within_ok(
                secs(3),
                "the session init timer to end a session whose bind is undecided",
                session,
            )
            .await;
        assert_eq!(reason, CloseReason::SessionInitTimeout);
        let rest = probe
            .rest(secs(3), "the connection's end", &mut raw.rx)
            .await;
        assert!(
            rest.iter().all(|pdu| !pdu.command_status.is_ok()),
            "{rest:?}"
        );
        assert_eq!(smsc.binds.load(core::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(smsc.closed(), [CloseReason::SessionInitTimeout]);
    });
}

/// Every one of 8 requests (window 4) times out and frees its slot; a late
/// answer is ignored; the session goes on.
async fn never_answered(
    probe: &Probe,
    handle: &Handle,
    raw: &mut Raw,
    send: impl Fn(u32) -> JoinHandle<Result<SmResponse, Error>>,
    request: CommandId,
    size: Size,
) {
    let sends: Vec<_> = (1..=8).map(&send).collect();
    probe.step("the peer reading 8 requests it never answers");
    let mut read = Vec::new();
    for (_, pdu) in raw.rx.expect_many(8, "a request nobody answers").await {
        assert_eq!(pdu.command_id(), request);
        read.push(pdu.sequence_number);
    }
    let mut timed_out = Vec::new();
    for sent in sends {
        match probe.within_ok(secs(5), "a request's timeout", sent).await {
            Err(Error::Timeout {
                command_id,
                sequence_number,
            }) if command_id == request => timed_out.push(sequence_number),
            other => panic!("expected a timeout, got {other:?}"),
        }
    }
    timed_out.sort_unstable();
    read.sort_unstable();
    assert_eq!(timed_out, read);
    window_whole(probe, handle).await;
    assert!(!handle.is_closed());

    // A late answer is ignored: nothing is sent for it.
    raw.tx.send(&accepted(request, read[0])).await;
    goes_on(probe, raw, send(9), 9, size).await;
}

fn client_never_answered(transport: Transport, size: Size) {
    run(move |probe| async move {
        let config = esme(BindType::Transmitter)
            .with_window(4)
            .with_timers(response_timer_only(Duration::from_millis(300)));
        let (esme, _incoming, mut raw) = client_link(transport, SMALL, config).await;
        let sender = esme.clone();
        let send = move |n| submit(&sender, n, size);
        never_answered(&probe, &esme, &mut raw, send, CommandId::SUBMIT_SM, size).await;
    });
}

fn server_never_answered(transport: Transport, size: Size) {
    run(move |probe| async move {
        let config = mc()
            .with_window(4)
            .with_timers(response_timer_only(Duration::from_millis(300)));
        let (_smsc, _session, mut raw, handle) =
            receiver_session(&probe, transport, SMALL, config).await;
        let pusher = handle.clone();
        let send = move |n| push(&pusher, n, size);
        never_answered(&probe, &handle, &mut raw, send, CommandId::DELIVER_SM, size).await;
    });
}

transport_tests! {
    esmes_that_never_read => {
        Tcp: the_server_closes_esmes_that_send_but_never_read_over_tcp,
        Pipe: the_server_closes_esmes_that_send_but_never_read_over_pipes,
    }
    client_to_an_mc_that_never_reads => {
        Tcp: the_client_closes_a_session_whose_mc_never_reads_over_tcp,
        Pipe: the_client_closes_a_session_whose_mc_never_reads_over_a_pipe,
    }
    server_enquire_link_flood => {
        Tcp: the_server_closes_an_esme_that_floods_enquire_link_and_never_reads_over_tcp,
        Pipe: the_server_closes_an_esme_that_floods_enquire_link_and_never_reads_over_a_pipe,
    }
    client_enquire_link_flood => {
        Tcp: the_client_closes_an_mc_that_floods_enquire_link_and_never_reads_over_tcp,
        Pipe: the_client_closes_an_mc_that_floods_enquire_link_and_never_reads_over_a_pipe,
    }
    undecided_bind => {
        Tcp: the_session_init_timer_runs_while_a_bind_is_undecided_over_tcp,
        Pipe: the_session_init_timer_runs_while_a_bind_is_undecided_over_a_pipe,
    }
    client_never_answered => {
        Tcp(Size::Small): requests_the_mc_never_answers_time_out_and_free_the_window_over_tcp,
        Pipe(Size::Small): requests_the_mc_never_answers_time_out_and_free_the_window_over_a_pipe,
        Tcp(Size::Large): large_requests_the_mc_never_answers_time_out_and_free_the_window_over_tcp,
        Pipe(Size::Large): large_requests_the_mc_never_answers_time_out_and_free_the_window_over_a_pipe,
    }
    server_never_answered => {
        Tcp(Size::Small): deliver_sm_the_esme_never_answers_time_out_and_free_the_window_over_tcp,
        Pipe(Size::Large): large_deliver_sm_the_esme_never_answers_time_out_and_free_the_window_over_a_pipe,
    }
}

#[test]
fn shutdown_ends_when_an_esme_never_answers_the_unbind() {
    run(|probe| async move {
        let config = mc().with_timers(response_timer_only(Duration::from_millis(500)));
        let server = Running::start(Smsc::default(), config).await;
        let mut raw = Raw::connect(server.addr, RawEnd::default()).await;
        raw.bind(BindType::Transceiver).await;
        let handle = server.handle.clone();
        probe
            .until(secs(2), "the session bound", || {
                handle.sessions().len() == 1
            })
            .await;
        let smsc = server.stop_within(&probe, Duration::from_secs(3)).await;
        let rest = probe
            .rest(secs(3), "the connection's end", &mut raw.rx)
            .await;
        assert_eq!(ids(&rest).len(), 1, "{rest:?}");
        assert_eq!(rest[0].command_id(), CommandId::UNBIND);
        assert_eq!(smsc.closed().len(), 1);
    });
}
