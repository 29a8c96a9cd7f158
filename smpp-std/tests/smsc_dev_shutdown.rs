//! An SMSC shut down while everything is busy: a slow handler holding
//! messages, receivers that stop reading, deliveries under way. Every
//! request is answered or its outcome told, nothing hangs, and the
//! counters add up.
#![cfg(feature = "tokio")]

#[path = "smsc_dev_common/mod.rs"]
mod dev;
#[path = "common/server.rs"]
mod server;

use core::time::Duration;
use std::sync::Arc;

use server::quiet;
use smpp_core::session::{BindType, CloseReason, Config, Timers};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::server::{BindRequest, Context, Handler, Server, ServerHandle};
use smpp_std::session::{Answer, Error, Handle, Incoming};
use smpp_std::{Pdu, client};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Takes every bind; answers each message after `delay`.
struct Slow {
    delay: Duration,
}

impl Handler for Slow {
    async fn bind(&self, _cx: &Context, _request: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        tokio::time::sleep(self.delay).await;
        Answer::message_id(format!("{}", pdu.sequence_number))
    }
}

/// Timers of a busy deployment: a response timer of `response`, the
/// others off.
fn timers(response: Duration) -> Timers {
    Timers {
        response_timer: response,
        ..quiet()
    }
}

/// A server of `Slow` (no listener used: sessions come over in-memory
/// pipes), running; its handle and task.
async fn start(delay: Duration, shutdown: Duration) -> (ServerHandle, JoinHandle<()>) {
    let config = Config::mc()
        .with_timers(timers(Duration::from_secs(10)))
        .with_window(4);
    let server = Server::bind("127.0.0.1:0", config, Arc::new(Slow { delay }))
        .await
        .unwrap()
        .with_shutdown_timeout(shutdown);
    let handle = server.handle();
    (handle, tokio::spawn(server.run()))
}

/// An ESME of `system_id` bound as `bind_type` over a pipe that the server
/// serves.
async fn esme(server: &ServerHandle, system_id: &str, bind_type: BindType) -> (Handle, Incoming) {
    let (esme_side, mc_side) = tokio::io::duplex(16 * 1024);
    let serving = server.clone();
    tokio::spawn(async move { serving.serve(mc_side, None).await });
    let config = Config::esme(bind_type)
        .with_system_id(system_id)
        .unwrap()
        .with_window(16)
        .with_timers(timers(Duration::from_secs(10)));
    client::bind(esme_side, config).await.unwrap()
}

/// Messages the slow handler still holds when the server shuts down are
/// answered before the session unbinds: the ESME learns every outcome.
#[test]
fn shutdown_answers_the_messages_the_handler_holds_before_unbinding() {
    server::bounded(async {
        let (smsc, serving) = start(Duration::from_millis(200), Duration::from_secs(20)).await;
        let (tx, _incoming) = esme(&smsc, "shop", BindType::Transmitter).await;
        let mut pending = Vec::new();
        for _ in 0..4 {
            pending.push(tx.queue(dev::submit(0, "")).await.unwrap());
        }
        // The four are with the handler.
        tokio::time::sleep(Duration::from_millis(10)).await;
        smsc.shutdown();
        for p in pending {
            let resp = p.await.unwrap();
            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        }
        assert_eq!(tx.closed().await, CloseReason::Unbound);
        serving.await.unwrap();
        let traffic = smsc.traffic();
        assert_eq!(traffic.received_of(CommandId::SUBMIT_SM), 4);
        assert_eq!(traffic.sent_of(CommandId::SUBMIT_SM_RESP), 4);
        let stats = smsc.stats();
        assert_eq!((stats.connections, stats.closed, stats.bound), (1, 1, 0));
    });
}

/// A receiver that stops taking what it is sent holds its deliveries
/// unanswered; shutdown ends within its timeout all the same, and every
/// delivery learns what became of it: written with its outcome unknown, or
/// never written (no route left).
#[test]
fn shutdown_ends_within_its_timeout_with_a_receiver_that_stopped_taking() {
    server::bounded(async {
        let (smsc, serving) = start(Duration::ZERO, Duration::from_millis(300)).await;
        let (_rx, incoming) = esme(&smsc, "shop", BindType::Receiver).await;
        let deliveries: Vec<_> = (0..8)
            .map(|_| {
                let smsc = smsc.clone();
                tokio::spawn(async move { smsc.deliver_to_system_id("shop", dev::receipt()).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(10)).await;
        let start = Instant::now();
        smsc.shutdown();
        serving.await.unwrap();
        // The timeout, then a last chance to write, not the 10 s of the
        // response timer.
        assert!(
            start.elapsed() < Duration::from_secs(8),
            "{:?}",
            start.elapsed()
        );
        for delivery in deliveries {
            let outcome = delivery.await.unwrap();
            assert!(
                matches!(outcome, Err(Error::NoRoute | Error::OutcomeUnknown { .. })),
                "{outcome:?}"
            );
        }
        let stats = smsc.stats();
        assert_eq!((stats.connections, stats.closed, stats.bound), (1, 1, 0));
        drop(incoming);
    });
}

/// Three sessions of one account flood the server past its quota, and the
/// server shuts down in the middle: every message it read got one answer,
/// the ESMEs got exactly those answers, and the throttled ones add up.
#[test]
fn a_flood_cut_by_shutdown_leaves_every_message_answered_once() {
    server::bounded_on_two_workers(async {
        let quota = smpp_std::server::AccountLimits::UNLIMITED.with_max_messages_per_second(50);
        let config = Config::mc()
            .with_timers(timers(Duration::from_secs(5)))
            .with_window(4);
        let server = Server::bind(
            "127.0.0.1:0",
            config,
            Arc::new(Slow {
                delay: Duration::ZERO,
            }),
        )
        .await
        .unwrap()
        .with_account_limits(quota);
        let smsc = server.handle();
        let serving = tokio::spawn(server.run());
        let mut floods = Vec::new();
        for _ in 0..3 {
            let (tx, _incoming) = esme(&smsc, "shop", BindType::Transmitter).await;
            floods.push(tokio::spawn(async move {
                let mut answers = Vec::new();
                for _ in 0..300 {
                    let Ok(pending) = tx.queue(dev::submit(0, "flood")).await else {
                        break;
                    };
                    answers.push(tokio::spawn(pending));
                }
                let mut ok = 0u64;
                let mut throttled = 0u64;
                for answer in answers {
                    match answer.await.unwrap() {
                        Ok(resp) if resp.command_status == CommandStatus::ESME_ROK => ok += 1,
                        Ok(resp) if resp.command_status == CommandStatus::ESME_RTHROTTLED => {
                            throttled += 1;
                        }
                        Ok(resp) => panic!("{:?}", resp.command_status),
                        Err(Error::Closed(_) | Error::Refused(_)) => {}
                        Err(other) => panic!("{other:?}"),
                    }
                }
                (ok, throttled)
            }));
        }
        server::until(|| smsc.traffic().received_of(CommandId::SUBMIT_SM) >= 100).await;
        smsc.shutdown();
        serving.await.unwrap();
        let (mut ok, mut throttled) = (0, 0);
        for flood in floods {
            let (o, t) = flood.await.unwrap();
            ok += o;
            throttled += t;
        }
        let traffic = smsc.traffic();
        let sent = |status| {
            traffic
                .sent
                .iter()
                .filter(|c| c.command_id == CommandId::SUBMIT_SM_RESP && c.command_status == status)
                .map(|c| c.count)
                .sum::<u64>()
        };
        let received = traffic.received_of(CommandId::SUBMIT_SM);
        assert_eq!(received, traffic.sent_of(CommandId::SUBMIT_SM_RESP));
        assert_eq!(sent(CommandStatus::ESME_ROK), ok);
        assert_eq!(sent(CommandStatus::ESME_RTHROTTLED), throttled);
        assert_eq!(smsc.stats().throttled, throttled);
        let stats = smsc.stats();
        assert_eq!((stats.connections, stats.closed, stats.bound), (3, 3, 0));
    });
}

/// A connection accepted as the SMSC shuts down is closed with the rest:
/// once `run` has returned, no session of it goes on. (It was counted only
/// once its task first ran, which could be after `run` had returned: the
/// ESME then bound to the stopped SMSC and stayed bound.)
#[test]
fn a_connection_accepted_as_the_smsc_stops_ends_before_run_returns() {
    use futures_util::{SinkExt, StreamExt};
    server::bounded_on_two_workers(async {
        for _ in 0..100 {
            let config = Config::mc().with_timers(quiet());
            let smsc = Slow {
                delay: Duration::ZERO,
            };
            let server = server::Running::start(smsc, config).await;
            let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
            let mut raw = tokio_util::codec::Framed::new(stream, smpp_std::PduCodec::new());
            let bind = smpp_std::BindBuilder::transceiver(1)
                .system_id("shop")
                .build()
                .unwrap();
            raw.send(bind).await.unwrap();
            // The ESME answers an unbind, and reads until the connection
            // is over.
            let esme = tokio::spawn(async move {
                while let Some(Ok((_, Ok(pdu)))) = raw.next().await {
                    if pdu.command_id() == CommandId::UNBIND {
                        let resp = smpp_std::HeaderOnlyBuilder::unbind_resp(pdu.sequence_number);
                        let _ = raw.send(resp.build().unwrap()).await;
                    }
                }
            });
            let handle = server.handle.clone();
            server.stop().await;
            let ended = tokio::time::timeout(Duration::from_secs(2), esme).await;
            assert!(ended.is_ok(), "a session outlived the SMSC");
            let stats = handle.stats();
            assert_eq!((stats.bound, stats.unbound), (0, 0));
        }
    });
}
