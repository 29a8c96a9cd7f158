//! The server's counters against an ESME that sends everything wrong: a
//! request before its bind, a second bind, malformed and unknown PDUs,
//! PDUs its bind does not allow, messages beyond its quota. Every request
//! is counted once, with the status it was answered.
#![cfg(feature = "tokio")]

mod common;
#[path = "smsc_dev_common/mod.rs"]
mod dev;
#[path = "common/server.rs"]
mod server;

use std::collections::BTreeMap;

use futures_util::{SinkExt, StreamExt};
use server::{Running, Taker, bounded, quiet};
use smpp_core::session::Config;
use smpp_core::{CommandId, CommandStatus};
use smpp_std::server::{AccountLimits, Server};
use smpp_std::{BindBuilder, HeaderOnlyBuilder, Pdu, PduCodec, SubmitSmBuilder};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

type Raw = Framed<TcpStream, PduCodec>;

/// What the raw ESME was answered: (response command, status) -> count.
type Answers = BTreeMap<(CommandId, CommandStatus), u64>;

/// Sends the octets `raw` and counts the one PDU that answers them.
async fn send_raw(esme: &mut Raw, octets: &[u8], answers: &mut Answers) {
    esme.get_mut().write_all(octets).await.unwrap();
    take_answer(esme, answers).await;
}

/// Sends `pdu` and counts the one PDU that answers it.
async fn send(esme: &mut Raw, pdu: Pdu, answers: &mut Answers) {
    esme.send(pdu).await.unwrap();
    take_answer(esme, answers).await;
}

async fn take_answer(esme: &mut Raw, answers: &mut Answers) {
    let (frame, _) = esme.next().await.unwrap().unwrap();
    let header = frame.header;
    assert!(header.command_id.is_response(), "{header:?}");
    *answers
        .entry((header.command_id, header.command_status))
        .or_default() += 1;
}

/// Every request an ESME sent is counted received once, and every answer
/// sent once with its status, as the ESME got them; the refusals of the
/// account's quota are counted throttled.
#[test]
fn every_request_is_counted_once_with_the_status_it_was_answered() {
    bounded(async {
        let quota = AccountLimits::UNLIMITED.with_max_messages_per_second(3);
        let taker = Taker {
            throttle_every: None,
        };
        let server = Running::start_with(
            taker,
            Config::mc().with_timers(quiet()),
            |s: Server<Taker>| s.with_account_limits(quota),
        )
        .await;
        let mut esme = Framed::new(
            TcpStream::connect(server.addr).await.unwrap(),
            PduCodec::new(),
        );
        let mut answers = Answers::new();
        let mut requests = 0;

        // Before its bind.
        send(&mut esme, dev::submit(1, ""), &mut answers).await;
        let enquire = HeaderOnlyBuilder::enquire_link(2).build().unwrap();
        send(&mut esme, enquire, &mut answers).await;
        let bind = BindBuilder::transmitter(3)
            .system_id("shop")
            .build()
            .unwrap();
        send(&mut esme, bind, &mut answers).await;
        let again = BindBuilder::receiver(4).system_id("shop").build().unwrap();
        send(&mut esme, again, &mut answers).await;
        requests += 4;
        // Three messages within the quota, two beyond.
        for seq in 5..10 {
            send(&mut esme, dev::submit(seq, ""), &mut answers).await;
            requests += 1;
        }
        // Malformed, unknown, not for a transmitter.
        let bad = common::raw_pdu(CommandId::SUBMIT_SM, 10, &common::bad_source_addr_sm());
        send_raw(&mut esme, &bad, &mut answers).await;
        send_raw(
            &mut esme,
            &common::raw_pdu(CommandId(0x0000_0099), 11, &[]),
            &mut answers,
        )
        .await;
        let deliver = SubmitSmBuilder::deliver_sm(12).build().unwrap();
        send(&mut esme, deliver, &mut answers).await;
        send(
            &mut esme,
            HeaderOnlyBuilder::unbind(13).build().unwrap(),
            &mut answers,
        )
        .await;
        requests += 4;
        drop(esme);
        server::until(|| server.handle.stats().closed == 1).await;

        let traffic = server.handle.traffic();
        let total =
            |counts: &[smpp_std::session::PduCount]| counts.iter().map(|c| c.count).sum::<u64>();
        assert_eq!(total(&traffic.received), requests);
        assert_eq!(answers.values().sum::<u64>(), requests);
        let sent: Answers = traffic
            .sent
            .iter()
            .map(|c| ((c.command_id, c.command_status), c.count))
            .collect();
        assert_eq!(sent, answers);
        let throttled = answers[&(CommandId::SUBMIT_SM_RESP, CommandStatus::ESME_RTHROTTLED)];
        assert_eq!(throttled, 2);
        assert_eq!(server.handle.stats().throttled, throttled);
        server.stop().await;
    });
}

/// The server unbinds (it shuts down) while the ESME unbinds too: each
/// answers the other's unbind, and the session ends unbound at once,
/// without waiting for a timer.
#[test]
fn unbinds_that_cross_end_the_session_at_once() {
    bounded(async {
        let taker = Taker {
            throttle_every: None,
        };
        let config = Config::mc().with_timers(server::response_timer_only(
            core::time::Duration::from_secs(20),
        ));
        let server = Running::start(taker, config).await;
        let mut esme = Framed::new(
            TcpStream::connect(server.addr).await.unwrap(),
            PduCodec::new(),
        );
        let mut answers = Answers::new();
        let bind = BindBuilder::transceiver(1)
            .system_id("shop")
            .build()
            .unwrap();
        send(&mut esme, bind, &mut answers).await;
        let started = std::time::Instant::now();
        server.handle.shutdown();
        let (frame, _) = esme.next().await.unwrap().unwrap();
        assert_eq!(frame.header.command_id, CommandId::UNBIND);
        // Ours crosses the server's.
        send(
            &mut esme,
            HeaderOnlyBuilder::unbind(2).build().unwrap(),
            &mut answers,
        )
        .await;
        let resp = HeaderOnlyBuilder::unbind_resp(frame.header.sequence_number)
            .build()
            .unwrap();
        esme.send(resp).await.unwrap();
        assert!(esme.next().await.is_none());
        server.task.await.unwrap();
        assert!(started.elapsed() < core::time::Duration::from_secs(10));
        assert_eq!(
            answers[&(CommandId::UNBIND_RESP, CommandStatus::ESME_ROK)],
            1
        );
    });
}
