//! Item 1: a session whose transmit queue is full writes, and stops taking
//! input, instead of spinning; nobody else waits for it, shutdown included.

use core::time::Duration;
use std::io;
use std::sync::Arc;

use smpp_core::session::{BindType, CloseReason};
use smpp_core::{CommandId, CommandStatus};
use tokio::task::JoinHandle;

use crate::harness::{
    Probe, Raw, RawEnd, Running, Size, Smsc, Transport, accepted, all_accepted, bound_server_link,
    carries, client_link, esme, flood, mc, pair, push, queue_submits, receiver_session,
    response_timer_only, run, secs, submit_sm, transport_tests, which, window_whole,
    write_without_reading,
};

/// `submit_sm` written by an ESME that never reads.
const FLOOD: u32 = 300_000;

/// An ESME, bound on `raw`, writes [`FLOOD`] `submit_sm` and never reads.
fn never_reading_flood(raw: Raw) -> JoinHandle<io::Result<()>> {
    write_without_reading(raw, flood(&submit_sm(0, Size::Small), 2, FLOOD))
}

/// Waits until the application stops getting `submit_sm` (the sessions
/// stopped reading), and returns how many it got.
async fn flood_stalled(probe: &Probe, smsc: &Smsc) -> usize {
    probe
        .within(
            secs(10),
            "the flood to stall (the server to stop reading)",
            async {
                let mut last = usize::MAX;
                loop {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    let now = smsc.submits();
                    if now == last {
                        return now;
                    }
                    last = now;
                }
            },
        )
        .await
}

/// The test SMSC for floods: `message_id`s of 64 octets, so that the
/// answers fill the kernel's buffers after fewer requests.
fn flooded_smsc() -> Smsc {
    Smsc {
        id_len: 64,
        ..Smsc::default()
    }
}

/// An ESME of this crate sends 20 `submit_sm`; each is answered at once.
async fn twenty_answered(probe: &Probe, smsc: &Smsc, esme: &smpp_std::session::Handle) {
    for n in 1..=20 {
        let resp = probe
            .within_ok(
                secs(3),
                "a submit_sm of a well-behaved ESME while others flood",
                esme.submit_sm(submit_sm(n, Size::Small)),
            )
            .await;
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert_eq!(
            resp.message_id.to_string(),
            smsc.message_id(resp.sequence_number)
        );
    }
}

#[test]
fn two_esmes_that_flood_and_never_read_hold_up_no_other_esme_nor_shutdown_over_tcp() {
    run(|probe| async move {
        let config = mc().with_timers(response_timer_only(Duration::from_secs(1)));
        let server = Running::start(flooded_smsc(), config).await;
        let mut floods = Vec::new();
        for _ in 0..2 {
            let mut raw = Raw::connect(server.addr, LATE_READER).await;
            raw.bind(BindType::Transmitter).await;
            floods.push(never_reading_flood(raw));
        }
        let taken = flood_stalled(&probe, &server.smsc).await;
        assert!(
            taken < 2 * FLOOD as usize,
            "the server read the whole flood ({taken}): the queues never filled"
        );

        let what = "a third ESME's bind while two flood";
        let (esme, _incoming) = server.connect_esme(&probe, what).await;
        twenty_answered(&probe, &server.smsc, &esme).await;

        let smsc = server.stop_within(&probe, Duration::from_secs(6)).await;
        let reason = probe
            .within(secs(1), "the ESME unbound", esme.closed())
            .await;
        assert_eq!(reason, CloseReason::Unbound);
        assert_eq!(smsc.closed().len(), 3, "{:?}", smsc.closed());
        for flood in floods {
            let what = "a flooding ESME to see its connection closed";
            probe.flood_cut(what, flood).await;
        }
    });
}

#[test]
fn two_esmes_that_flood_and_never_read_hold_up_no_other_session_over_pipes() {
    run(|probe| async move {
        let smsc = Arc::new(flooded_smsc());
        let config = mc().with_timers(response_timer_only(Duration::from_secs(1)));
        let mut sessions = Vec::new();
        let mut floods = Vec::new();
        for _ in 0..2 {
            let (session, raw) = bound_server_link(
                Transport::Pipe,
                RawEnd::default(),
                config.clone(),
                &smsc,
                BindType::Transmitter,
            )
            .await;
            sessions.push(session);
            floods.push(never_reading_flood(raw));
        }
        let taken = flood_stalled(&probe, &smsc).await;
        assert!(taken < 2 * FLOOD as usize, "{taken}");

        let (session, esme, _incoming) = probe
            .within(
                secs(3),
                "a third session's bind while two flood",
                pair(
                    Transport::Pipe,
                    config.clone(),
                    esme(BindType::Transmitter),
                    &smsc,
                ),
            )
            .await;
        twenty_answered(&probe, &smsc, &esme).await;

        // What a server's shutdown does: unbind every bound session.
        assert_eq!(smsc.bound().len(), 3);
        for handle in smsc.bound() {
            tokio::spawn(async move { handle.unbind().await });
        }
        for flooded in sessions {
            let what = "a flooded session to end once told to unbind";
            probe.within_ok(secs(6), what, flooded).await;
        }
        let reason = probe
            .within_ok(secs(3), "the third session's unbind", session)
            .await;
        assert_eq!(reason, CloseReason::Unbound);
        for flood in floods {
            probe.flood_cut("a flooding ESME's end", flood).await;
        }
    });
}

/// The MC pushes eight `deliver_sm` of 40,000 octets (window 8) to a
/// receiver that starts reading 300 ms later: they do not fit the transmit
/// queue together.
fn large_deliver_sm_to_a_late_reader(transport: Transport) {
    run(move |probe| async move {
        let config = mc().with_window(8);
        let (_smsc, session, mut raw, handle) =
            receiver_session(&probe, transport, LATE_READER, config).await;
        let pushes: Vec<_> = (1..=8).map(|n| push(&handle, n, Size::Large)).collect();
        tokio::time::sleep(Duration::from_millis(300)).await;

        probe.step("the receiver reading eight large deliver_sm");
        let mut seen = Vec::new();
        for _ in 0..8 {
            let (_, pdu) = raw.rx.expect("a large deliver_sm").await;
            assert_eq!(pdu.command_id(), CommandId::DELIVER_SM);
            seen.push(which(&pdu, 1..=8, Size::Large));
            raw.tx
                .send(&accepted(CommandId::DELIVER_SM, pdu.sequence_number))
                .await;
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=8).collect::<Vec<_>>());
        for push in pushes {
            let resp = probe
                .within_ok(secs(5), "a deliver_sm's response", push)
                .await
                .unwrap();
            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        }
        window_whole(&probe, &handle).await;
        drop(raw);
        let reason = probe.session_end(session).await;
        assert_eq!(reason, CloseReason::Disconnected);
    });
}

/// The client sends `count` messages of `size` through `window` to a server
/// of this crate; every one is answered.
fn client_window(transport: Transport, window: usize, count: u32, size: Size) {
    run(move |probe| async move {
        let smsc = Arc::new(Smsc::default());
        let config = esme(BindType::Transmitter).with_window(window);
        let (session, esme, _incoming) = probe
            .within(
                secs(3),
                "the bind",
                pair(transport, mc().with_window(512), config, &smsc),
            )
            .await;
        let sender = queue_submits(&esme, 1..=count, size);
        let what = "every message to get a window slot";
        let pending = probe.within_ok(secs(10), what, sender).await;
        let mut sequence_numbers = all_accepted(&probe, pending).await;
        sequence_numbers.sort_unstable();
        sequence_numbers.dedup();
        assert_eq!(sequence_numbers.len(), count as usize);
        assert_eq!(smsc.submits(), count as usize);
        window_whole(&probe, &esme).await;
        probe.within_ok(secs(3), "the unbind", esme.unbind()).await;
        let reason = probe.session_end(session).await;
        assert_eq!(reason, CloseReason::Unbound);
    });
}

/// The raw end of a link whose reader starts late: over TCP the buffers
/// are small, so that the kernel does not take the octets instead.
const LATE_READER: RawEnd = RawEnd {
    resets: false,
    small_buffers: true,
};

/// The client queues `count` messages of `size` (through `window`) to an MC
/// that starts reading 300 ms later: they arrive whole and in order, and
/// each gets its answer.
fn client_queue_to_a_late_reader(transport: Transport, window: usize, count: u32, size: Size) {
    run(move |probe| async move {
        let config = esme(BindType::Transmitter).with_window(window);
        let (esme, _incoming, mut raw) = client_link(transport, LATE_READER, config).await;
        let sender = queue_submits(&esme, 1..=count, size);
        tokio::time::sleep(Duration::from_millis(300)).await;

        probe.step("the MC reading every submit_sm");
        for n in 1..=count {
            let (_, pdu) = raw.rx.expect("a submit_sm").await;
            assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM);
            assert!(
                carries(&pdu.body, n, size),
                "submit_sm {n} did not arrive whole and in order"
            );
            raw.tx
                .send(&accepted(CommandId::SUBMIT_SM, pdu.sequence_number))
                .await;
        }
        let pending = probe
            .within_ok(secs(5), "the last window slots", sender)
            .await;
        all_accepted(&probe, pending).await;
        window_whole(&probe, &esme).await;
    });
}

transport_tests! {
    large_deliver_sm_to_a_late_reader => {
        Tcp: the_server_writes_large_deliver_sm_to_a_receiver_that_reads_late_over_tcp,
        Pipe: the_server_writes_large_deliver_sm_to_a_receiver_that_reads_late_over_a_pipe,
    }
    client_window => {
        Tcp(2, 10, Size::Large): the_client_sends_large_submit_sm_through_a_window_of_2_over_tcp,
        Pipe(2, 10, Size::Large): the_client_sends_large_submit_sm_through_a_window_of_2_over_a_pipe,
        Tcp(500, 1_000, Size::Sms): the_client_sends_1000_messages_through_a_window_of_500_over_tcp,
        Pipe(500, 1_000, Size::Sms): the_client_sends_1000_messages_through_a_window_of_500_over_a_pipe,
    }
    client_queue_to_a_late_reader => {
        Tcp(2, 4, Size::Large): the_client_writes_large_submit_sm_to_an_mc_that_reads_late_over_tcp,
        Pipe(2, 4, Size::Large): the_client_writes_large_submit_sm_to_an_mc_that_reads_late_over_a_pipe,
        Tcp(500, 1_000, Size::Sms): the_client_writes_a_window_of_500_to_an_mc_that_reads_late_over_tcp,
        Pipe(500, 1_000, Size::Sms): the_client_writes_a_window_of_500_to_an_mc_that_reads_late_over_a_pipe,
    }
}
