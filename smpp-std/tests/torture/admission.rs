//! Item 6 and bind storms: connections that never bind, or bind and go
//! thousands of times a second, never keep a real ESME from binding and
//! being served.

use core::net::SocketAddr;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use core::time::Duration;
use std::sync::Arc;

use smpp_core::CommandStatus;
use smpp_core::session::{BindType, CloseReason, Timers};
use smpp_std::session::Handle;
use smpp_std::{HeaderOnlyBuilder, client};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

use crate::harness::{Probe, Raw, RawEnd, Running, Size, Smsc, esme, mc, run, submit_body};

/// An ESME of this crate connecting from `127.0.0.2` (another source
/// address than the crowd's) binds and gets a `submit_sm` answered.
async fn a_real_esme(probe: &Probe, server: SocketAddr) -> Handle {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let (esme, _incoming) = probe
        .within(
            Duration::from_secs(5),
            "a real ESME's connect and bind while 2,000 idle connections wait",
            async {
                let stream = socket.connect(server).await.unwrap();
                client::bind(stream, esme(BindType::Transmitter)).await
            },
        )
        .await
        .unwrap();
    let resp = probe
        .within(
            Duration::from_secs(2),
            "the real ESME's submit_sm",
            esme.submit_sm(submit_body(1, Size::Small)),
        )
        .await
        .unwrap();
    assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
    esme
}

#[test]
fn two_thousand_idle_connections_do_not_keep_a_binding_esme_out() {
    run(|probe| async move {
        // The defaults: an unbound connection may wait 30 s for its bind.
        let config = mc().with_timers(Timers::DEFAULT);
        let server = Running::start(Smsc::default(), config, Some(100)).await;
        let addr = server.addr;
        probe.step("opening 2,000 connections that never bind");
        let attempts: Vec<_> = (0..2_000)
            .map(|_| {
                tokio::spawn(async move {
                    timeout(Duration::from_secs(1), TcpStream::connect(addr))
                        .await
                        .ok()
                        .and_then(Result::ok)
                })
            })
            .collect();
        let mut idle = Vec::new();
        for attempt in attempts {
            idle.extend(attempt.await.unwrap());
        }
        // Every slot is taken, and the listener's backlog.
        assert!(idle.len() > 100, "only {} connected", idle.len());

        let esme = a_real_esme(&probe, addr).await;
        drop(idle);
        probe
            .within(
                Duration::from_secs(3),
                "the real ESME's unbind",
                esme.unbind(),
            )
            .await
            .unwrap();
        server.stop(&probe, Duration::from_secs(5)).await;
    });
}

/// Binds each churning ESME makes.
const CYCLES: usize = 500;

/// Churning ESMEs at once.
const CHURNERS: usize = 4;

#[test]
fn binds_thousands_of_times_a_second_leave_a_real_esme_working() {
    run(|probe| async move {
        let server = Running::start(Smsc::default(), mc(), Some(100)).await;
        let addr = server.addr;
        let (esme, _incoming) = client::connect(addr, esme(BindType::Transmitter))
            .await
            .unwrap();

        // The real ESME sends one message after another, each answered
        // within a second.
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicUsize::new(0));
        let working = {
            let (esme, stop, sent) = (esme.clone(), Arc::clone(&stop), Arc::clone(&sent));
            tokio::spawn(async move {
                let mut n = 1;
                while !stop.load(Ordering::SeqCst) {
                    let resp = timeout(
                        Duration::from_secs(1),
                        esme.submit_sm(submit_body(n, Size::Small)),
                    )
                    .await
                    .expect("the real ESME answered within a second during a bind storm")
                    .unwrap();
                    assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
                    sent.fetch_add(1, Ordering::SeqCst);
                    n += 1;
                }
            })
        };

        probe.step("the bind storm");
        let churners: Vec<_> = (0..CHURNERS)
            .map(|c| {
                tokio::spawn(async move {
                    for cycle in 0..CYCLES {
                        let mut raw = Raw::connect(addr, RawEnd::default()).await;
                        let bind_type = [
                            BindType::Transmitter,
                            BindType::Receiver,
                            BindType::Transceiver,
                        ][(c + cycle) % 3];
                        raw.bind(bind_type).await;
                        if cycle % 2 == 0 {
                            let unbind = HeaderOnlyBuilder::unbind(2).build().unwrap();
                            raw.tx.send(&unbind).await;
                            let (_, resp) = raw.rx.expect("the unbind_resp").await;
                            assert_eq!(resp.command_id(), smpp_core::CommandId::UNBIND_RESP);
                            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
                            assert_eq!(resp.sequence_number, 2);
                        }
                        // Dropped: closed, unbound or not.
                    }
                })
            })
            .collect();
        for churner in churners {
            probe
                .within(Duration::from_secs(15), "a churning ESME's binds", churner)
                .await
                .unwrap();
        }
        let storm = CHURNERS * CYCLES;
        let smsc = Arc::clone(&server.smsc);
        probe
            .until(
                Duration::from_secs(5),
                "every churned session to end",
                || smsc.closed().len() == storm,
            )
            .await;
        let unbound = smsc
            .closed()
            .iter()
            .filter(|&&r| r == CloseReason::Unbound)
            .count();
        assert_eq!(unbound, storm / 2);
        assert_eq!(smsc.binds.load(Ordering::SeqCst), storm + 1);
        assert_eq!(server.handle.sessions().len(), 1);

        stop.store(true, Ordering::SeqCst);
        probe
            .within(
                Duration::from_secs(3),
                "the real ESME's last message",
                working,
            )
            .await
            .unwrap();
        assert!(sent.load(Ordering::SeqCst) > 0);
        probe
            .within(
                Duration::from_secs(3),
                "the real ESME's unbind",
                esme.unbind(),
            )
            .await
            .unwrap();
        server.stop(&probe, Duration::from_secs(5)).await;
    });
}
