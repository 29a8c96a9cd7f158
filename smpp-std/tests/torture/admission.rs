//! Item 6 and bind storms: connections that never bind, or bind and go
//! thousands of times a second, never keep a real ESME from binding and
//! being served.

use core::net::SocketAddr;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use core::time::Duration;
use std::sync::{Arc, Mutex};

use smpp_core::CommandStatus;
use smpp_core::session::{BindType, CloseReason, Timers};
use smpp_std::server::{ServerHandle, ServerStats};
use smpp_std::session::Handle;
use smpp_std::{HeaderOnlyBuilder, client};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;

use crate::harness::{Probe, Raw, RawEnd, Running, Size, Smsc, esme, mc, run, secs, submit_sm};

/// An ESME of this crate connecting from `source` binds and gets a
/// `submit_sm` answered.
async fn a_real_esme(probe: &Probe, server: SocketAddr, source: &str) -> Handle {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    let (esme, _incoming) = probe
        .within_ok(
            secs(5),
            "a real ESME's connect and bind while 2,000 idle connections wait",
            async {
                let stream = socket.connect(server).await.unwrap();
                client::bind(stream, esme(BindType::Transmitter)).await
            },
        )
        .await;
    let resp = probe
        .within_ok(
            secs(2),
            "the real ESME's submit_sm",
            esme.submit_sm(submit_sm(1, Size::Small)),
        )
        .await;
    assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
    esme
}

/// The server's counters once it accepted at least `connections` and
/// accounts for each (closed, or open bound or unbound). (Connections the
/// kernel completed may still wait for their `accept`.)
async fn admission_settled(
    probe: &Probe,
    server: &ServerHandle,
    connections: usize,
) -> ServerStats {
    let last = Mutex::new(None);
    let settled = timeout(Duration::from_secs(5), async {
        loop {
            let stats = server.stats();
            *last.lock().unwrap() = Some(stats);
            let open = (stats.bound + stats.unbound) as u64;
            if stats.connections >= connections as u64 && stats.closed + open == stats.connections {
                return stats;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    probe.step("the counters");
    settled.unwrap_or_else(|_| {
        panic!(
            "the counters do not account for {connections} connections: {:?}",
            last.lock().unwrap()
        )
    })
}

/// Connections that never bind.
const CROWD: usize = 2_000;

#[test]
fn two_thousand_idle_connections_do_not_keep_a_binding_esme_out() {
    run(|probe| async move {
        // The defaults: an unbound connection may wait 30 s for its bind,
        // 64 of them per source address.
        let config = mc().with_timers(Timers::DEFAULT);
        let server =
            Running::start_with(Smsc::default(), config, |s| s.with_max_connections(100)).await;
        let addr = server.addr;
        probe.step("opening 2,000 connections that never bind");
        let attempts: Vec<_> = (0..CROWD)
            .map(|_| {
                tokio::spawn(async move {
                    timeout(Duration::from_secs(3), TcpStream::connect(addr))
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
        assert!(idle.len() > 100, "only {} connected", idle.len());

        // From another source, and from the crowd's own.
        let first = a_real_esme(&probe, addr, "127.0.0.2").await;
        let second = a_real_esme(&probe, addr, "127.0.0.1").await;
        let stats = admission_settled(&probe, &server.handle, 200).await;
        // The crowd's source kept 64 unbound at most: each one beyond
        // closed its oldest. The crowd holds its sockets open, so nothing
        // else closed but connects it gave up on. The budget of all sources
        // was never spent.
        assert_eq!(stats.bound, 2, "{stats:?}");
        assert!(stats.unbound <= 64, "{stats:?}");
        assert!(stats.evicted_per_source > 0, "{stats:?}");
        let given_up = (CROWD - idle.len()) as u64;
        assert!(
            stats.closed <= stats.evicted_per_source + given_up,
            "closed other than by eviction, {given_up} connects given up: {stats:?}"
        );
        assert_eq!(stats.evicted_unbound, 0, "{stats:?}");
        assert_eq!(stats.binds_refused_full, 0, "{stats:?}");

        drop(idle);
        for esme in [first, second] {
            probe
                .within_ok(secs(3), "a real ESME's unbind", esme.unbind())
                .await;
        }
        server.stop_within(&probe, Duration::from_secs(5)).await;
    });
}

#[test]
fn binds_beyond_the_cap_of_bound_sessions_are_refused_and_counted() {
    run(|probe| async move {
        let server =
            Running::start_with(Smsc::default(), mc(), |s| s.with_max_connections(2)).await;
        let mut bound = Vec::new();
        for _ in 0..2 {
            let mut raw = Raw::connect(server.addr, RawEnd::default()).await;
            raw.bind(BindType::Transceiver).await;
            bound.push(raw);
        }
        let refused = client::connect(server.addr, esme(BindType::Transmitter)).await;
        crate::server::assert_bind_refused(&refused, CommandStatus::ESME_RBINDFAIL);
        let stats = server.handle.stats();
        assert_eq!(stats.bound, 2, "{stats:?}");
        assert_eq!(stats.binds_refused_full, 1, "{stats:?}");
        // Once one unbinds, there is room again.
        let mut leaving = bound.pop().unwrap();
        let unbind = HeaderOnlyBuilder::unbind(2).build().unwrap();
        leaving.tx.send(&unbind).await;
        let (_, resp) = leaving.rx.expect("the unbind_resp").await;
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        drop(leaving);
        let handle = server.handle.clone();
        probe
            .until(secs(2), "a session freed", || handle.stats().bound == 1)
            .await;
        let (esme, _incoming) = server
            .connect_esme(&probe, "a bind once there is room")
            .await;
        assert_eq!(server.handle.stats().binds_refused_full, 1);
        drop((esme, bound));
        server.stop_within(&probe, Duration::from_secs(5)).await;
    });
}

/// Binds each churning ESME makes.
const CYCLES: usize = 500;

/// Churning ESMEs at once.
const CHURNERS: usize = 4;

#[test]
fn binds_thousands_of_times_a_second_leave_a_real_esme_working() {
    run(|probe| async move {
        let server =
            Running::start_with(Smsc::default(), mc(), |s| s.with_max_connections(100)).await;
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
                        esme.submit_sm(submit_sm(n, Size::Small)),
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
                .within_ok(secs(15), "a churning ESME's binds", churner)
                .await;
        }
        let storm = CHURNERS * CYCLES;
        let smsc = Arc::clone(&server.smsc);
        probe
            .until(secs(5), "every churned session to end", || {
                smsc.closed().len() == storm
            })
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
            .within_ok(secs(3), "the real ESME's last message", working)
            .await;
        assert!(sent.load(Ordering::SeqCst) > 0);
        probe
            .within_ok(secs(3), "the real ESME's unbind", esme.unbind())
            .await;
        server.stop_within(&probe, Duration::from_secs(5)).await;
    });
}
