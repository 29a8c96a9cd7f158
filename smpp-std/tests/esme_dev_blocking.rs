//! The blocking ESME (`smpp_std::blocking`), as a script sending a batch
//! and collecting receipts would use it, against SMSCs on raw sockets that
//! misbehave (run by tokio, the client on a thread of the blocking pool):
//! every message gets one outcome, in order, that agrees with what the
//! SMSC got; nothing waits for ever.

#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;
#[path = "esme_dev_smsc/mod.rs"]
mod smsc;

use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::HashMap;
use std::sync::Arc;

use smpp_core::session::{BindType, Config};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::blocking::{Answer, Client};
use smpp_std::{Body, Pdu, Tlvs};

use server::{bounded, response_timer_only};
use smsc::{Answers, Outcome, Peer, accept, receipt, smsc, submit, texts};

fn config(bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id("bulk")
        .unwrap()
        .with_window(8)
        .with_inbound_window(4)
        .with_timers(response_timer_only(Duration::from_millis(300)))
}

/// Binds a transmitter to `addr` and sends `count` messages through the
/// window: the outcome of each, by text.
async fn batch(addr: String, count: usize) -> HashMap<String, Outcome> {
    tokio::task::spawn_blocking(move || {
        let mut client = Client::connect(addr, config(BindType::Transmitter)).unwrap();
        let texts = texts(count);
        let outcomes: Vec<_> = client
            .send_many(texts.iter().map(|text| submit(text)))
            .map(Outcome::of)
            .collect();
        assert_eq!(outcomes.len(), count, "one outcome each");
        texts.into_iter().zip(outcomes).collect()
    })
    .await
    .unwrap()
}

#[test]
fn a_batch_through_an_smsc_that_answers_badly_then_drops_gets_one_outcome_each() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            // The first window answered last first.
            let window = peer.take_logged(8, &ledger).await;
            for request in window.iter().rev() {
                ledger.accepted(request);
                peer.send(accept(request)).await;
            }
            // The next: a generic_nack that says nothing went wrong, an
            // answer nobody asked for, two right ones, then the SMSC hangs
            // up.
            let window = peer.take_logged(8, &ledger).await;
            let nack = Pdu::new(
                window[0].sequence_number,
                Body::GenericNack(Tlvs::default()),
            );
            peer.send(nack).await;
            let mut stray = accept(&window[1]);
            stray.sequence_number += 1000;
            peer.send(stray).await;
            for request in &window[2..4] {
                ledger.accepted(request);
                peer.send(accept(request)).await;
            }
            peer.hang_up(&ledger).await;
        })
        .await;
        let outcomes = batch(addr, 30).await;
        smsc.await.unwrap();
        ledger.check(&outcomes);
        let count = |pick: fn(&Outcome) -> bool| outcomes.values().filter(|o| pick(o)).count();
        assert_eq!(count(|o| matches!(o, Outcome::Accepted(_))), 10);
        assert_eq!(
            outcomes["m8"],
            Outcome::Refused(CommandStatus::ESME_RUNKNOWNERR)
        );
        // Written, not answered: m9, m12 to m15, and those written as the
        // answers freed their slots; the rest, not written.
        let unknown = count(|o| matches!(o, Outcome::Unknown(_)));
        assert!(unknown >= 5, "{outcomes:?}");
        assert_eq!(unknown + count(|o| matches!(o, Outcome::NotWritten(_))), 19);
    });
}

#[test]
fn a_batch_through_an_smsc_that_unbinds_half_way_gets_one_outcome_each() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            peer.accept_some(8, 3, &ledger).await;
            peer.send(Pdu::new(1, Body::Unbind)).await;
            peer.swallow(&ledger).await;
        })
        .await;
        let outcomes = batch(addr, 30).await;
        smsc.await.unwrap();
        ledger.check(&outcomes);
        let accepted = outcomes
            .values()
            .filter(|o| matches!(o, Outcome::Accepted(_)))
            .count();
        assert_eq!(accepted, 3);
        assert_eq!(outcomes.len(), 30);
    });
}

#[test]
fn a_bind_answered_after_the_response_timer_fails_the_connect_and_closes() {
    bounded(async {
        let closed = Arc::new(AtomicUsize::new(0));
        let (addr, _ledger, smsc) = smsc({
            let closed = Arc::clone(&closed);
            |listener, _ledger| async move {
                let mut peer = Peer::accept(&listener).await;
                let bind = peer.recv().await.unwrap();
                tokio::time::sleep(Duration::from_millis(600)).await;
                let late = Pdu::new(bind.sequence_number, Body::BindTransmitterResp(None));
                peer.send(late).await;
                // Nothing but, at most, an unbind comes before the close.
                let after = peer.drain().await;
                assert!(after.is_empty(), "{after:?}");
                closed.fetch_add(1, Ordering::SeqCst);
            }
        })
        .await;
        let started = std::time::Instant::now();
        let result = tokio::task::spawn_blocking(move || {
            Client::connect(addr, config(BindType::Transmitter)).map(|_| ())
        })
        .await
        .unwrap();
        let error = result.unwrap_err();
        assert!(!error.may_have_been_received(), "{error:?}");
        assert!(started.elapsed() < Duration::from_secs(3));
        smsc.await.unwrap();
        assert_eq!(closed.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn receipts_flooding_a_slow_blocking_reader_are_acknowledged_only_once_taken() {
    bounded(async {
        const RECEIPTS: u32 = 200;
        let taken = Arc::new(AtomicUsize::new(0));
        let answers = Arc::new(Answers::default());
        let (addr, _ledger, smsc) = smsc({
            let (taken, answers) = (Arc::clone(&taken), Arc::clone(&answers));
            |listener, _ledger| async move {
                let mut peer = Peer::bound(&listener).await;
                for n in 0..RECEIPTS {
                    peer.send(receipt(n + 1, &format!("id-m{n}"))).await;
                }
                while let Some(pdu) = peer.request().await {
                    match pdu.command_id() {
                        CommandId::DELIVER_SM_RESP => {
                            answers.answered(&pdu);
                            let acknowledged = answers.count(CommandStatus::ESME_ROK);
                            assert!(acknowledged <= taken.load(Ordering::SeqCst));
                        }
                        other => panic!("{other}"),
                    }
                }
            }
        })
        .await;
        let reader = tokio::task::spawn_blocking({
            let taken = Arc::clone(&taken);
            move || {
                let mut client = Client::connect(addr, config(BindType::Receiver)).unwrap();
                // Takes 150 of them, slowly now and then, then unbinds.
                for n in 0..150 {
                    let request = client.recv(Duration::from_secs(5)).unwrap().unwrap();
                    taken.fetch_add(1, Ordering::SeqCst);
                    if n % 30 == 0 {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    request.respond(Answer::Ok);
                }
                client.unbind().unwrap();
            }
        });
        reader.await.unwrap();
        smsc.await.unwrap();
        assert_eq!(answers.count(CommandStatus::ESME_ROK), 150);
        // The others were never taken: refused, or never answered (the
        // reader stopped reading them).
        let answered = answers.answered.lock().unwrap().len();
        assert_eq!(answered - 150, answers.count(CommandStatus::ESME_RX_T_APPN));
    });
}
