//! A bulk sender and receipt collector on `client::Esme`, as an
//! application writes it from the documentation, against SMSCs written
//! here on raw sockets that misbehave: answers out of order, with wrong
//! sequence numbers or command ids, `generic_nack`, none at all; an
//! `unbind` or a close in the middle of a window; throttling and full
//! queues; binds refused now and then or answered too late; a flood of
//! `deliver_sm` while the application is slow. Every message must come
//! back with a known outcome (written or not), nothing is acknowledged
//! that the application did not take, nothing is sent twice by a
//! reconnection, and nothing waits for ever.

#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;
#[path = "esme_dev_smsc/mod.rs"]
mod smsc;

use core::future::Future;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use smpp_core::receipt::Receipt;
use smpp_core::session::{BindType, CloseReason, Config};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::client::{Backoff, Esme, EsmeBuilder, EsmeEvent, EsmeIncoming};
use smpp_std::session::{Answer, Error};
use smpp_std::{Body, COctet, Pdu, PduCodec, SubmitSmResp, Tlvs};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio_util::codec::{FramedRead, FramedWrite};

use server::{bounded, response_timer_only};
use smsc::{
    Answers, Ledger, Outcome, Peer, accept, accept_all, bind_resp, listener, receipt, refuse, smsc,
    submit, text_of, texts,
};

// ---------------------------------------------------------------------
// The application.
// ---------------------------------------------------------------------

/// A bulk sender: queues every message through the pool's windows and
/// gathers one outcome per message, by its text.
async fn send_all(esme: &Esme, texts: &[String]) -> HashMap<String, Outcome> {
    let mut answers = Vec::new();
    for text in texts {
        match esme.queue(submit(text)).await {
            Ok(pending) => {
                let text = text.clone();
                answers.push(tokio::spawn(
                    async move { (text, Outcome::of(pending.await)) },
                ));
            }
            Err(e) => answers.push(tokio::spawn({
                let text = text.clone();
                async move { (text, Outcome::of(Err(e))) }
            })),
        }
    }
    let mut outcomes = HashMap::new();
    for answer in answers {
        let (text, outcome) = answer.await.unwrap();
        assert!(outcomes.insert(text, outcome).is_none(), "one outcome each");
    }
    outcomes
}

/// Sends `n` messages; each must be accepted, as the SMSC's ledger says.
async fn all_accepted(esme: &Esme, n: usize, ledger: &Ledger) {
    let outcomes = send_all(esme, &texts(n)).await;
    ledger.check(&outcomes);
    assert!(
        outcomes.values().all(|o| matches!(o, Outcome::Accepted(_))),
        "{outcomes:?}"
    );
}

fn quick() -> Backoff {
    Backoff {
        initial: Duration::from_millis(10),
        max: Duration::from_millis(40),
        factor: 2.0,
    }
}

fn esme_config(bind_type: BindType, window: usize) -> Config {
    Config::esme(bind_type)
        .with_system_id("bulk")
        .unwrap()
        .with_window(window)
        .with_timers(response_timer_only(Duration::from_secs(5)))
}

fn pool(addr: &str, bind_type: BindType, window: usize) -> EsmeBuilder {
    Esme::builder(addr, esme_config(bind_type, window)).reconnect(quick())
}

/// A pool of transmitters with a window of `window` whose requests time
/// out after 300 ms.
fn impatient(addr: &str, window: usize) -> (Esme, EsmeIncoming) {
    let config = esme_config(BindType::Transmitter, window)
        .with_timers(response_timer_only(Duration::from_millis(300)));
    Esme::builder(addr, config)
        .reconnect(quick())
        .start()
        .unwrap()
}

/// The next event `pick` accepts, skipping others.
async fn next_event<T>(
    events: &mut broadcast::Receiver<EsmeEvent>,
    pick: impl Fn(&EsmeEvent) -> Option<T>,
) -> T {
    loop {
        if let Some(found) = pick(&events.recv().await.expect("an event")) {
            return found;
        }
    }
}

// ---------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------

#[test]
fn answers_out_of_order_reach_their_own_requests() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            // Four windows of 8, each answered last first.
            for _ in 0..4 {
                let window = peer.take(8).await;
                for request in window.iter().rev() {
                    ledger.arrived(request);
                    ledger.accepted(request);
                    peer.send(accept(request)).await;
                }
            }
            peer.drain().await
        })
        .await;
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8).start().unwrap();
        all_accepted(&esme, 32, &ledger).await;
        esme.unbind().await;
        assert!(smsc.await.unwrap().is_empty());
    });
}

#[test]
fn answers_with_wrong_sequence_numbers_or_command_ids_acknowledge_nothing() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            let window = peer.take_logged(5, &ledger).await;
            let [
                stray_seq,
                data_sm_resp,
                deliver_sm_resp,
                request_back,
                right,
            ] = &window[..]
            else {
                unreachable!()
            };
            // A sequence number nobody used.
            let mut stray = accept(stray_seq);
            stray.sequence_number = stray_seq.sequence_number + 1000;
            peer.send(stray).await;
            // The response of another command.
            let data_resp = Pdu::new(
                data_sm_resp.sequence_number,
                Body::DataSmResp(Some(SubmitSmResp::default())),
            );
            peer.send(data_resp).await;
            let deliver_resp = Pdu::new(
                deliver_sm_resp.sequence_number,
                Body::DeliverSmResp(Some(SubmitSmResp::default())),
            );
            peer.send(deliver_resp).await;
            // A request's own sequence number on a request.
            peer.send(request_back.clone()).await;
            // One right answer.
            ledger.accepted(right);
            peer.send(accept(right)).await;
            peer.drain().await
        })
        .await;
        let (esme, _incoming) = impatient(&addr, 8);
        let texts = texts(5);
        let outcomes = send_all(&esme, &texts).await;
        ledger.check(&outcomes);
        assert_eq!(outcomes["m4"], Outcome::Accepted("id-m4".into()));
        for text in &texts[..4] {
            assert!(
                matches!(outcomes[text], Outcome::Unknown(_)),
                "{text}: {:?}",
                outcomes[text]
            );
        }
        esme.unbind().await;
        smsc.await.unwrap();
    });
}

/// Runs `test` on a runtime of its own whose clock is paused: it moves on
/// to the next timer whenever every task waits. Fails if the test takes
/// more than two hours of that clock.
fn paused<T>(test: impl Future<Output = T>) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let test = async { tokio::time::timeout(Duration::from_secs(7200), test).await };
    runtime.block_on(test).expect("the test hung")
}

/// An SMSC that refuses every bind with `ESME_RBINDFAIL`: its address,
/// the binds it refused, the requests that came anyway, and its task.
async fn refusing() -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>, JoinHandle<()>) {
    let (listener, addr) = listener().await;
    let (binds, requests) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let task = tokio::spawn({
        let (binds, requests) = (Arc::clone(&binds), Arc::clone(&requests));
        async move {
            loop {
                let mut peer = Peer::accept(&listener).await;
                if peer.bind(CommandStatus::ESME_RBINDFAIL).await.is_some() {
                    binds.fetch_add(1, Ordering::SeqCst);
                }
                requests.fetch_add(peer.drain().await.len(), Ordering::SeqCst);
            }
        }
    });
    (addr, binds, requests, task)
}

#[test]
fn a_queued_message_gives_up_once_no_session_was_bound_for_the_timeout() {
    paused(async {
        let (addr, binds, requests, smsc) = refusing().await;
        let second = Duration::from_secs(1);
        let (esme, _incoming) = Esme::builder(&addr, esme_config(BindType::Transmitter, 8))
            .reconnect(Backoff {
                initial: second,
                max: second,
                factor: 1.0,
            })
            .no_session_timeout(Duration::from_secs(30))
            .start()
            .unwrap();
        let started = tokio::time::Instant::now();
        let Err(error) = esme.queue(submit("m0")).await else {
            panic!("queued without a session");
        };
        let waited = started.elapsed();
        assert!(
            matches!(error, Error::NoSession(d) if d >= Duration::from_secs(30)),
            "{error:?}"
        );
        assert!(!error.may_have_been_received());
        assert!(waited >= Duration::from_secs(30), "{waited:?}");
        assert!(waited < Duration::from_secs(31), "{waited:?}");
        // The sessions went on trying meanwhile, and go on.
        assert!(binds.load(Ordering::SeqCst) >= 2);
        // A later request gets its own time, and fails the same way.
        let later = tokio::time::Instant::now();
        let error = esme.submit_sm(submit("m1")).await.unwrap_err();
        assert!(matches!(error, Error::NoSession(_)), "{error:?}");
        assert!(later.elapsed() >= Duration::from_secs(30));
        esme.unbind().await;
        assert_eq!(requests.load(Ordering::SeqCst), 0, "nothing was written");
        smsc.abort();
    });
}

#[test]
fn without_the_timeout_a_message_waits_for_a_session_until_unbind() {
    paused(async {
        let (addr, binds, requests, smsc) = refusing().await;
        let config = esme_config(BindType::Transmitter, 8);
        let (esme, _incoming) = Esme::builder(&addr, config).start().unwrap();
        let waiting = tokio::spawn({
            let esme = esme.clone();
            async move { esme.submit_sm(submit("m0")).await }
        });
        // An hour, trying to bind again and again.
        tokio::time::sleep(Duration::from_secs(3600)).await;
        assert!(binds.load(Ordering::SeqCst) >= 10);
        assert!(!waiting.is_finished());
        esme.unbind().await;
        let error = waiting.await.unwrap().unwrap_err();
        assert!(
            matches!(error, Error::Closed(CloseReason::Local)),
            "{error:?}"
        );
        assert_eq!(requests.load(Ordering::SeqCst), 0);
        smsc.abort();
    });
}

#[test]
fn only_time_without_a_bound_session_counts_toward_giving_up() {
    // On the real clock: a paused one moves on when every task waits,
    // sometimes before a task reads the answer that just came.
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            // The window of one is held for 400 ms, more than twice the
            // timeout: the request behind it waits for the slot.
            for _ in 0..2 {
                let request = peer.request().await.unwrap();
                ledger.arrived(&request);
                tokio::time::sleep(Duration::from_millis(400)).await;
                ledger.accepted(&request);
                peer.send(accept(&request)).await;
            }
            // Then the SMSC goes away: the connection is closed and
            // nothing listens any more.
            drop(peer);
            drop(listener);
        })
        .await;
        let config = esme_config(BindType::Transmitter, 1);
        let (esme, _incoming) = Esme::builder(&addr, config)
            .reconnect(Backoff::RECONNECT)
            .no_session_timeout(Duration::from_millis(150))
            .start()
            .unwrap();
        let mut events = esme.events();
        all_accepted(&esme, 2, &ledger).await;
        smsc.await.unwrap();
        next_event(&mut events, |e| {
            matches!(e, EsmeEvent::Disconnected { .. }).then_some(())
        })
        .await;
        let started = tokio::time::Instant::now();
        let outcomes_after = send_all(&esme, &["m2".to_owned()]).await;
        assert!(
            matches!(&outcomes_after["m2"], Outcome::NotWritten(why) if why.contains("no session"))
        );
        assert!(started.elapsed() >= Duration::from_millis(150));
        ledger.check(&outcomes_after);
        esme.unbind().await;
    });
}

#[test]
fn throttled_and_queue_full_answers_are_sent_again_and_taken_once() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            let mut refused = std::collections::HashSet::new();
            while let Some(request) = peer.request().await {
                // The first attempt of each message is refused: even
                // numbers throttled, odd ones a full queue.
                let text = text_of(&request);
                if refused.insert(text.clone()) {
                    let n: usize = text[1..].parse().unwrap();
                    let status = if n.is_multiple_of(2) {
                        CommandStatus::ESME_RTHROTTLED
                    } else {
                        CommandStatus::ESME_RMSGQFUL
                    };
                    peer.send(refuse(&request, status)).await;
                } else {
                    ledger.arrived(&request);
                    ledger.accepted(&request);
                    peer.send(accept(&request)).await;
                }
            }
        })
        .await;
        let backoff = Backoff {
            initial: Duration::from_millis(5),
            max: Duration::from_millis(20),
            factor: 2.0,
        };
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8)
            .throttle_backoff(backoff, 2)
            .start()
            .unwrap();
        all_accepted(&esme, 40, &ledger).await;
        esme.unbind().await;
        smsc.await.unwrap();
    });
}

#[test]
fn generic_nack_answers_are_refusals_not_acceptances() {
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            let mut peer = Peer::bound(&listener).await;
            let window = peer.take_logged(3, &ledger).await;
            let nack = |request: &Pdu, status| {
                Pdu::new(request.sequence_number, Body::GenericNack(Tlvs::default()))
                    .with_status(status)
            };
            peer.send(nack(&window[0], CommandStatus::ESME_RSYSERR))
                .await;
            peer.send(nack(&window[1], CommandStatus::ESME_RINVCMDLEN))
                .await;
            // A generic_nack that says nothing went wrong.
            peer.send(nack(&window[2], CommandStatus::ESME_ROK)).await;
            peer.drain().await
        })
        .await;
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8).start().unwrap();
        let outcomes = send_all(&esme, &texts(3)).await;
        ledger.check(&outcomes);
        assert_eq!(
            outcomes["m0"],
            Outcome::Refused(CommandStatus::ESME_RSYSERR)
        );
        assert_eq!(
            outcomes["m1"],
            Outcome::Refused(CommandStatus::ESME_RINVCMDLEN)
        );
        assert!(
            !matches!(outcomes["m2"], Outcome::Accepted(_)),
            "a generic_nack accepted m2: {:?}",
            outcomes["m2"]
        );
        esme.unbind().await;
        smsc.await.unwrap();
    });
}

/// The outcomes of a burst through a pool of one session to an SMSC whose
/// first session runs `first`, every later one accepting all: each message
/// is accepted or its outcome unknown (written to the first session and
/// not answered), none is lost, none reaches the SMSC twice.
async fn burst_over_a_broken_session<Fut>(
    first: impl FnOnce(Peer, Arc<Ledger>) -> Fut + Send + 'static,
) where
    Fut: Future<Output = ()> + Send + 'static,
{
    let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
        let peer = Peer::bound(&listener).await;
        first(peer, Arc::clone(&ledger)).await;
        accept_all(&listener, &ledger).await;
    })
    .await;
    let (esme, _incoming) = impatient(&addr, 16);
    let texts = texts(60);
    let outcomes = send_all(&esme, &texts).await;
    ledger.check(&outcomes);
    for (text, outcome) in &outcomes {
        assert!(
            matches!(outcome, Outcome::Accepted(_) | Outcome::Unknown(_)),
            "{text}: {outcome:?}"
        );
    }
    assert!(outcomes.values().any(|o| matches!(o, Outcome::Unknown(_))));
    esme.unbind().await;
    smsc.abort();
}

#[test]
fn an_unbind_in_the_middle_of_a_burst_loses_nothing_and_sends_nothing_twice() {
    bounded(burst_over_a_broken_session(|mut peer, ledger| async move {
        peer.accept_some(10, 4, &ledger).await;
        peer.send(Pdu::new(1, Body::Unbind)).await;
        // What was written before the ESME saw the unbind still comes; it
        // stays unanswered.
        peer.swallow(&ledger).await;
    }));
}

#[test]
fn a_close_half_way_through_a_window_loses_nothing_and_sends_nothing_twice() {
    bounded(burst_over_a_broken_session(|mut peer, ledger| async move {
        peer.accept_some(10, 4, &ledger).await;
        drop(peer);
    }));
}

#[test]
fn a_half_close_in_the_middle_of_a_burst_loses_nothing_and_sends_nothing_twice() {
    bounded(burst_over_a_broken_session(|mut peer, ledger| async move {
        peer.accept_some(10, 4, &ledger).await;
        // The SMSC ends its side; what comes after it stays unanswered.
        peer.hang_up(&ledger).await;
    }));
}

/// The message id a receipt the application took is for.
fn receipted_id(request: &smpp_std::session::Request) -> String {
    let Body::DeliverSm(sm) = &request.pdu().body else {
        panic!("not a deliver_sm: {:?}", request.command_id());
    };
    let id = Receipt::from_deliver_sm(sm)
        .message_id()
        .expect("a receipt");
    String::from_utf8_lossy(id).into_owned()
}

#[test]
fn receipts_flooding_a_slow_application_are_acknowledged_only_once_taken() {
    bounded(async {
        const RECEIPTS: u32 = 300;
        let taken = Arc::new(AtomicUsize::new(0));
        let answers = Arc::new(Answers::default());
        let (addr, _ledger, smsc) = smsc({
            let (taken, answers) = (Arc::clone(&taken), Arc::clone(&answers));
            |listener, _ledger| async move {
                let (stream, _) = listener.accept().await.unwrap();
                let (read, write) = stream.into_split();
                let mut reader = FramedRead::new(read, PduCodec::new());
                let mut writer = FramedWrite::new(write, PduCodec::new());
                let Some(Ok((_, Ok(bind)))) = reader.next().await else {
                    panic!("no bind");
                };
                let bound = bind_resp(&bind, CommandStatus::ESME_ROK);
                writer.send(bound).await.unwrap();
                // Every receipt at once, without waiting for answers.
                let flood = tokio::spawn(async move {
                    for n in 0..RECEIPTS {
                        let pdu = receipt(n + 1, &format!("id-m{n}"));
                        writer.send(pdu).await.unwrap();
                    }
                    writer
                });
                while answers.answered.lock().unwrap().len() < RECEIPTS as usize {
                    let Some(Ok((_, Ok(resp)))) = reader.next().await else {
                        panic!("the ESME went away");
                    };
                    answers.answered(&resp);
                    // Taken is counted before the answer is given.
                    let acknowledged = answers.count(CommandStatus::ESME_ROK);
                    assert!(acknowledged <= taken.load(Ordering::SeqCst));
                }
                let _writer = flood.await.unwrap();
            }
        })
        .await;
        let config = esme_config(BindType::Transceiver, 8).with_inbound_window(4);
        let (esme, mut incoming) = Esme::builder(addr, config)
            .reconnect(quick())
            .start()
            .unwrap();
        let mut collected = std::collections::HashSet::new();
        while collected.len() < RECEIPTS as usize {
            let request = incoming.recv().await.unwrap();
            taken.fetch_add(1, Ordering::SeqCst);
            assert!(collected.insert(receipted_id(&request)), "a receipt twice");
            if collected.len() % 25 == 0 {
                // Slow now and then, holding what it took.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            request.respond(Answer::Ok);
        }
        smsc.await.unwrap();
        assert_eq!(answers.count(CommandStatus::ESME_ROK), RECEIPTS as usize);
        esme.unbind().await;
    });
}

#[test]
fn a_sender_that_drops_its_incoming_refuses_receipts_and_keeps_sending() {
    bounded(async {
        const RECEIPTS: u32 = 60;
        let answers = Arc::new(Answers::default());
        let (addr, ledger, smsc) = smsc({
            let answers = Arc::clone(&answers);
            |listener, ledger| async move {
                let mut peer = Peer::accept(&listener).await;
                peer.bind(CommandStatus::ESME_ROK).await.unwrap();
                for n in 0..RECEIPTS {
                    peer.send(receipt(n + 1, &format!("id-old{n}"))).await;
                }
                while let Some(pdu) = peer.request().await {
                    match pdu.command_id() {
                        CommandId::DELIVER_SM_RESP => answers.answered(&pdu),
                        CommandId::SUBMIT_SM => {
                            ledger.arrived(&pdu);
                            ledger.accepted(&pdu);
                            peer.send(accept(&pdu)).await;
                        }
                        other => panic!("{other}"),
                    }
                }
            }
        })
        .await;
        // A sender that takes no request of the SMSC: it drops them.
        let config = esme_config(BindType::Transceiver, 8)
            .with_inbound_window(4)
            .with_timers(response_timer_only(Duration::from_secs(1)));
        let (esme, incoming) = Esme::builder(addr, config)
            .reconnect(quick())
            .start()
            .unwrap();
        drop(incoming);
        esme.wait_bound(1).await.unwrap();
        all_accepted(&esme, 10, &ledger).await;
        esme.unbind().await;
        smsc.await.unwrap();
        // Not one was taken: each is answered so, for the SMSC to deliver
        // it again later.
        assert_eq!(answers.count(CommandStatus::ESME_ROK), 0);
        assert_eq!(
            answers.count(CommandStatus::ESME_RX_T_APPN),
            RECEIPTS as usize
        );
    });
}

#[test]
fn a_bind_answered_after_the_bind_timeout_is_closed_and_never_used() {
    bounded(async {
        let late_connection = Arc::new(Mutex::new(Vec::new()));
        let (addr, ledger, smsc) = smsc({
            let late_connection = Arc::clone(&late_connection);
            |listener, ledger| async move {
                let mut peer = Peer::accept(&listener).await;
                let bind = peer.recv().await.unwrap();
                // Answered long after the ESME stopped waiting.
                tokio::time::sleep(Duration::from_millis(300)).await;
                let late = bind_resp(&bind, CommandStatus::ESME_ROK);
                peer.send(late).await;
                // What comes on it until the ESME closes it.
                let after = peer.drain().await;
                late_connection
                    .lock()
                    .unwrap()
                    .extend(after.iter().map(Pdu::command_id));
                accept_all(&listener, &ledger).await;
            }
        })
        .await;
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8)
            .bind_timeout(Duration::from_millis(100))
            .start()
            .unwrap();
        let mut events = esme.events();
        let status = next_event(&mut events, |e| match e {
            EsmeEvent::BindFailed { status, .. } => Some(*status),
            _ => None,
        })
        .await;
        assert_eq!(status, None, "no answer in time");
        all_accepted(&esme, 20, &ledger).await;
        assert_eq!(esme.sessions().len(), 1);
        esme.unbind().await;
        smsc.abort();
        // The late session sent nothing but, at most, its unbind.
        let late = late_connection.lock().unwrap().clone();
        assert!(late.is_empty(), "{late:?}");
    });
}

#[test]
fn binds_refused_now_and_then_under_dropped_sessions_lose_and_repeat_nothing() {
    bounded(async {
        let connections = Arc::new(AtomicUsize::new(0));
        let (addr, ledger, smsc) = smsc({
            let connections = Arc::clone(&connections);
            |listener, ledger| async move {
                loop {
                    let mut peer = Peer::accept(&listener).await;
                    let ledger = Arc::clone(&ledger);
                    let n = connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(async move {
                        // Every third bind is refused; every session that
                        // binds takes 6 messages, answers 4 and drops.
                        if n % 3 == 1 {
                            peer.bind(CommandStatus::ESME_RBINDFAIL).await;
                            peer.drain().await;
                            return;
                        }
                        peer.bind(CommandStatus::ESME_ROK).await;
                        peer.accept_some(6, 4, &ledger).await;
                    });
                }
            }
        })
        .await;
        let (esme, _incoming) = impatient(&addr, 8);
        let outcomes = send_all(&esme, &texts(150)).await;
        ledger.check(&outcomes);
        let accepted = outcomes
            .values()
            .filter(|o| matches!(o, Outcome::Accepted(_)))
            .count();
        let unknown = outcomes
            .values()
            .filter(|o| matches!(o, Outcome::Unknown(_)))
            .count();
        assert_eq!(accepted + unknown, 150, "{outcomes:?}");
        // The sessions bound again and again, through refusals.
        let refused = connections.load(Ordering::SeqCst) / 3;
        assert!(refused >= 3, "{refused}");
        esme.unbind().await;
        smsc.abort();
    });
}

#[test]
fn unbind_while_a_bind_waits_for_its_answer_leaves_nothing_bound() {
    paused(async {
        let (addr, _ledger, smsc) = smsc(|listener, _ledger| async move {
            let mut peer = Peer::accept(&listener).await;
            let Some(bind) = peer.recv().await else {
                return Vec::new(); // given up before the bind went out
            };
            // The answer comes a second later, when the ESME has stopped.
            tokio::time::sleep(Duration::from_secs(1)).await;
            let late = bind_resp(&bind, CommandStatus::ESME_ROK);
            peer.send(late).await;
            peer.drain().await
        })
        .await;
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8)
            .bind_timeout(Duration::from_secs(10))
            .start()
            .unwrap();
        let mut events = esme.events();
        next_event(&mut events, |e| {
            matches!(e, EsmeEvent::Connecting { .. }).then_some(())
        })
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        esme.unbind().await;
        next_event(&mut events, |e| {
            matches!(e, EsmeEvent::Stopped).then_some(())
        })
        .await;
        // The SMSC answers; the ESME must not bind now.
        let after = smsc.await.unwrap();
        assert!(after.is_empty(), "{after:?}");
        assert!(esme.sessions().is_empty());
        let mut late = Vec::new();
        while let Ok(event) = events.try_recv() {
            late.push(event);
        }
        assert!(late.is_empty(), "after Stopped: {late:?}");
    });
}

#[test]
fn garbage_in_the_middle_of_a_window_loses_nothing_and_sends_nothing_twice() {
    bounded(burst_over_a_broken_session(|mut peer, ledger| async move {
        peer.accept_some(10, 4, &ledger).await;
        // A header whose command_length is below 16: not SMPP.
        let garbage = [0u8, 0, 0, 8, 0x80, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1];
        tokio::io::AsyncWriteExt::write_all(peer.wire.get_mut(), &garbage)
            .await
            .unwrap();
        peer.swallow(&ledger).await;
    }));
}

#[test]
fn a_deliver_sm_sent_twice_under_one_sequence_number_is_acknowledged_once() {
    bounded(async {
        let answers = Arc::new(Answers::default());
        let (addr, _ledger, smsc) = smsc({
            let answers = Arc::clone(&answers);
            |listener, _ledger| async move {
                let mut peer = Peer::bound(&listener).await;
                // The same sequence number twice, the first unanswered.
                peer.send(receipt(7, "id-a")).await;
                peer.send(receipt(7, "id-b")).await;
                peer.send(receipt(8, "id-c")).await;
                let mut all = Vec::new();
                while let Some(pdu) = peer.request().await {
                    all.push((pdu.command_id(), pdu.sequence_number, pdu.command_status));
                    if pdu.command_id() == CommandId::DELIVER_SM_RESP
                        && pdu.command_status == CommandStatus::ESME_ROK
                    {
                        answers.answered(&pdu);
                    }
                }
                all
            }
        })
        .await;
        let config = esme_config(BindType::Receiver, 8);
        let (esme, mut incoming) = Esme::builder(addr, config)
            .reconnect(quick())
            .start()
            .unwrap();
        let mut taken = Vec::new();
        // Whatever the ESME hands over is taken and answered.
        while let Ok(Some(request)) =
            tokio::time::timeout(Duration::from_millis(200), incoming.recv()).await
        {
            taken.push((request.pdu().sequence_number, receipted_id(&request)));
            request.respond(Answer::Ok);
        }
        esme.unbind().await;
        let all = smsc.await.unwrap();
        // One acknowledgement per sequence number the application took.
        let acknowledged = answers.count(CommandStatus::ESME_ROK);
        let numbers: std::collections::HashSet<_> = taken.iter().map(|(n, _)| *n).collect();
        assert_eq!(acknowledged, numbers.len(), "taken {taken:?}, sent {all:?}");
    });
}

/// A port that takes connections and never says a word, and a TLS
/// configuration for it: its address, the configuration, its task.
#[cfg(feature = "tls")]
async fn silent_tls() -> (
    String,
    Arc<smpp_std::client::rustls::ClientConfig>,
    JoinHandle<()>,
) {
    let (listener, addr) = listener().await;
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            held.push(listener.accept().await.unwrap().0);
        }
    });
    let (_, client_tls) = server::pki();
    (addr, client_tls, silent)
}

#[cfg(feature = "tls")]
#[test]
fn a_tls_handshake_that_never_ends_times_out_and_the_message_gives_up() {
    paused(async {
        let (addr, client_tls, silent) = silent_tls().await;
        let (esme, _incoming) = pool(&addr, BindType::Transmitter, 8)
            .tls("localhost", client_tls)
            .connect_timeout(Duration::from_secs(2))
            .no_session_timeout(Duration::from_secs(5))
            .start()
            .unwrap();
        let mut events = esme.events();
        let started = tokio::time::Instant::now();
        let error = esme.submit_sm(submit("m0")).await.unwrap_err();
        assert!(matches!(error, Error::NoSession(_)), "{error:?}");
        assert!(started.elapsed() >= Duration::from_secs(5));
        let kind = next_event(&mut events, |e| match e {
            EsmeEvent::ConnectFailed { kind, .. } => Some(*kind),
            _ => None,
        })
        .await;
        assert_eq!(kind, smpp_std::client::ConnectFailure::Timeout);
        esme.unbind().await;
        silent.abort();
    });
}

#[test]
fn a_receipt_collector_ends_once_the_esme_is_stopped_or_dropped() {
    bounded(async {
        for drop_it in [false, true] {
            let (addr, _ledger, smsc) = smsc(|listener, _ledger| async move {
                let mut peer = Peer::bound(&listener).await;
                peer.send(receipt(1, "id-m0")).await;
                peer.drain().await
            })
            .await;
            let (esme, mut incoming) = pool(&addr, BindType::Receiver, 8).start().unwrap();
            // The collector an application runs beside its sender.
            let collector = tokio::spawn(async move {
                let mut ids = Vec::new();
                while let Some(request) = incoming.recv().await {
                    ids.push(receipted_id(&request));
                }
                ids
            });
            esme.wait_bound(1).await.unwrap();
            if drop_it {
                drop(esme);
            } else {
                esme.unbind().await;
            }
            let ids = tokio::time::timeout(Duration::from_secs(5), collector)
                .await
                .expect("the collector ended")
                .unwrap();
            assert!(ids.len() <= 1, "{ids:?}");
            smsc.await.unwrap();
        }
    });
}

#[cfg(feature = "tls")]
#[test]
fn connect_tls_to_a_server_that_never_answers_the_handshake_gives_up() {
    paused(async {
        let (addr, client_tls, silent) = silent_tls().await;
        let config = esme_config(BindType::Transmitter, 8)
            .with_timers(response_timer_only(Duration::from_secs(5)));
        let started = tokio::time::Instant::now();
        let connecting = smpp_std::client::connect_tls(addr, "localhost", client_tls, config);
        let result = tokio::time::timeout(Duration::from_secs(3600), connecting).await;
        let Ok(Err(error)) = result else {
            panic!("still waiting for the handshake after an hour");
        };
        // After the response timer, as a bind that long unanswered.
        let timed_out = std::io::ErrorKind::TimedOut;
        assert!(
            matches!(&error, Error::Io(e) if e.kind() == timed_out),
            "{error:?}"
        );
        assert!(started.elapsed() >= Duration::from_secs(5));
        assert!(started.elapsed() < Duration::from_secs(6));
        silent.abort();
    });
}

/// Runs `test` on a thread of its own, failing if it takes more than five
/// seconds of real time: a test that pauses the clock, whose tasks then
/// never let it move (something spins), fails instead of hanging.
fn within_five_seconds<T: Send + 'static>(test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let value = test();
        let _ = done.send(());
        value
    });
    match finished.recv_timeout(Duration::from_secs(5)) {
        Ok(()) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("still running after five seconds: something spins")
        }
    }
}

#[test]
fn requests_wait_without_spinning_while_an_unbound_session_closes() {
    within_five_seconds(|| {
        // No timer bounds the test: the clock it pauses would run it out.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (unbound, sent_unbind) = tokio::sync::oneshot::channel();
            let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
                let mut peer = Peer::bound(&listener).await;
                peer.accept_some(8, 3, &ledger).await;
                // The five others stay unanswered: the ESME, unbound,
                // keeps the session open for them until its response
                // timer runs out.
                peer.send(Pdu::new(1, Body::Unbind)).await;
                let _ = unbound.send(());
                peer.swallow(&ledger).await;
                accept_all(&listener, &ledger).await;
            })
            .await;
            let config = esme_config(BindType::Transmitter, 8)
                .with_timers(response_timer_only(Duration::from_secs(30)));
            let (esme, _incoming) = Esme::builder(addr, config)
                .reconnect(quick())
                .start()
                .unwrap();
            let mut events = esme.events();
            let sending = tokio::spawn({
                let esme = esme.clone();
                async move { send_all(&esme, &texts(30)).await }
            });
            // Until the unbound session closes, on a paused clock: it moves
            // on to the response timer only if nothing spins meanwhile.
            sent_unbind.await.unwrap();
            tokio::time::pause();
            next_event(&mut events, |e| {
                matches!(e, EsmeEvent::Disconnected { .. }).then_some(())
            })
            .await;
            tokio::time::resume();
            let outcomes = sending.await.unwrap();
            ledger.check(&outcomes);
            for (text, outcome) in &outcomes {
                assert!(
                    matches!(outcome, Outcome::Accepted(_) | Outcome::Unknown(_)),
                    "{text}: {outcome:?}"
                );
            }
            esme.unbind().await;
            smsc.abort();
        });
    });
}

#[test]
fn long_messages_over_two_transceivers_get_a_receipt_per_accepted_part() {
    use smpp_core::text::split::Method;
    bounded(async {
        let (addr, ledger, smsc) = smsc(|listener, ledger| async move {
            // Each session accepts what comes and sends its receipt at once.
            loop {
                let mut peer = Peer::bound(&listener).await;
                let ledger = Arc::clone(&ledger);
                tokio::spawn(async move {
                    let mut receipts = 0;
                    while let Some(pdu) = peer.request().await {
                        if pdu.command_id() != CommandId::SUBMIT_SM {
                            continue;
                        }
                        ledger.arrived(&pdu);
                        ledger.accepted(&pdu);
                        // Ids unique over both sessions: the session's port
                        // and a count.
                        receipts += 1;
                        let port = peer.wire.get_ref().peer_addr().unwrap().port();
                        let id = format!("{port}-{receipts}");
                        let resp = SubmitSmResp {
                            message_id: COctet::new(Bytes::from(id.clone())),
                            ..SubmitSmResp::default()
                        };
                        peer.send(Pdu::new(
                            pdu.sequence_number,
                            Body::SubmitSmResp(Some(resp)),
                        ))
                        .await;
                        peer.send(receipt(receipts, &id)).await;
                    }
                });
            }
        })
        .await;
        let config = esme_config(BindType::Transceiver, 8);
        let (esme, mut incoming) = Esme::builder(addr, config)
            .binds(2)
            .reconnect(quick())
            .start()
            .unwrap();
        // Five texts of three parts each, sent part by part.
        let mut parts = Vec::new();
        for n in 0..5u8 {
            let text = format!("Message {n}: ").repeat(30);
            let method = Method::Udh8 { reference: n };
            parts.extend(
                smpp_std::text::submit_sms_for_text(&submit(""), &text, &[], method).unwrap(),
            );
        }
        assert_eq!(parts.len(), 15);
        let mut ids = std::collections::HashSet::new();
        for part in parts {
            let resp = esme.submit_sm(part).await.unwrap();
            assert!(resp.is_ok());
            assert!(ids.insert(resp.message_id.to_string()));
        }
        // One receipt for each, whichever session brings it.
        let mut receipted = std::collections::HashSet::new();
        while receipted.len() < ids.len() {
            let request = incoming.recv().await.unwrap();
            assert!(receipted.insert(receipted_id(&request)), "a receipt twice");
        }
        assert_eq!(receipted, ids);
        assert_eq!(ledger.accepted.lock().unwrap().len(), 15);
        esme.unbind().await;
        smsc.abort();
    });
}
