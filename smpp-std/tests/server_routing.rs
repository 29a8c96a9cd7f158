//! The SMSC server beyond one session: handlers that reach the server,
//! routing by account and by address range, admission per account
//! (binds and message quota), sessions over connections the application
//! accepted itself, and sessions the MC opens with `outbind`.

#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use std::sync::Mutex;

use server::{Running, bounded, bounded_on_two_workers, connect, quiet, unbind_and_stop, until};
use smpp_core::session::{BindType, CloseReason, Config, Timers};
use smpp_core::{Body, CommandId, CommandStatus, EsmClass, InterfaceVersion, Npi, TlvTag, Ton};
use smpp_std::server::{AccountLimits, BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Error, Handle};
use smpp_std::{Pdu, SubmitSmBuilder, client};

/// Binds every ESME; answers a `submit_sm` with a receipt to its account,
/// and an MO (a `submit_sm` to "MO:<destination>") by address.
#[derive(Default)]
struct Smsc {
    /// What each bind's session said of itself, seen from `bind`.
    seen: Mutex<Vec<(Vec<u8>, bool)>>,
    bound: Mutex<Vec<Handle>>,
}

impl Handler for Smsc {
    async fn bind(&self, cx: &Context, request: &BindRequest) -> CommandStatus {
        // The session's own handle is there before it is bound.
        let unbound = cx.session().bind_info().is_none() && !cx.server().is_shut_down();
        self.seen
            .lock()
            .unwrap()
            .push((request.system_id().to_vec(), unbound));
        CommandStatus::ESME_ROK
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = &pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        let text = String::from_utf8_lossy(&sm.short_message).into_owned();
        let server = cx.server().clone();
        if let Some(destination) = text.strip_prefix("MO:") {
            let mo = SubmitSmBuilder::deliver_sm(0)
                .source_addr(sm.source_addr.as_bytes())
                .destination_addr(destination)
                .short_message("hello from a phone")
                .build()
                .unwrap();
            let destination = destination.to_owned();
            let result = server.deliver_to_address(&destination, mo).await;
            return match result {
                Ok(resp) if resp.is_ok() => Answer::message_id("mo"),
                Err(Error::NoRoute) => Answer::Status(CommandStatus::ESME_RINVDSTADR),
                _ => Answer::Status(CommandStatus::ESME_RSYSERR),
            };
        }
        let account = cx
            .session()
            .system_id()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let receipt = SubmitSmBuilder::deliver_sm(0)
            .esm_class(EsmClass::DELIVERY_RECEIPT)
            .receipted_message_id(text.as_str())
            .build()
            .unwrap();
        tokio::spawn(async move { server.deliver_to_system_id(&account, receipt).await });
        Answer::message_id(text)
    }

    fn bound(&self, cx: &Context) {
        self.bound.lock().unwrap().push(cx.session().clone());
    }
}

/// The SMSC of these tests, with the settings `configure` gives it.
async fn start(configure: impl FnOnce(Server<Smsc>) -> Server<Smsc>) -> Running<Smsc> {
    Running::start_with(
        Smsc::default(),
        Config::mc().with_timers(quiet()),
        configure,
    )
    .await
}

/// The SMSC of these tests, every account held to `limits`.
async fn limited(limits: AccountLimits) -> Running<Smsc> {
    start(|s| s.with_account_limits(limits)).await
}

fn esme(system_id: &str, bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id(system_id)
        .unwrap()
        .with_timers(quiet())
}

/// `config` with a window of 64: room for a burst.
fn wide(config: Config) -> Config {
    config.with_window(64)
}

fn submit(text: &str) -> Pdu {
    SubmitSmBuilder::new(0)
        .source_addr("447700900001")
        .destination_addr("447700900123")
        .short_message(text)
        .build()
        .unwrap()
}

#[test]
fn the_handler_reaches_the_server_and_its_own_session() {
    bounded(async {
        let server = start(|s| s).await;
        let (esme, _incoming) = connect(server.addr, esme("shop", BindType::Transceiver)).await;
        assert_eq!(
            server.smsc.seen.lock().unwrap()[..],
            [(b"shop".to_vec(), true)]
        );
        let bound = server.smsc.bound.lock().unwrap()[0].clone();
        let info = bound.bind_info().unwrap();
        assert_eq!(info.system_id.as_bytes(), b"shop");
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn the_bind_is_kept_for_routing() {
    bounded(async {
        let server = start(|s| s).await;
        let config = esme("shop", BindType::Receiver)
            .with_system_type("VMA")
            .unwrap()
            .with_address_range(Ton::INTERNATIONAL, Npi::ISDN, "^4477")
            .unwrap();
        let (esme, _incoming) = connect(server.addr, config).await;
        let session = server.handle.session("shop").expect("a receiver of shop");
        let info = session.bind_info().unwrap();
        assert_eq!(info.bind_type, BindType::Receiver);
        assert_eq!(info.system_type.as_bytes(), b"VMA");
        assert_eq!(info.addr_ton, Ton::INTERNATIONAL);
        assert_eq!(info.addr_npi, Npi::ISDN);
        assert_eq!(info.address_range.as_bytes(), b"^4477");
        assert_eq!(info.interface_version, InterfaceVersion::V34);
        // The ESME sees the same of its own bind.
        let own = esme.bind_info().unwrap();
        assert_eq!(own.address_range.as_bytes(), b"^4477");
        assert_eq!(own.system_id.as_bytes(), b"");
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn a_receipt_goes_to_the_accounts_receiver_on_another_connection() {
    bounded(async {
        let server = start(|s| s).await;
        let (_rx, mut incoming) = connect(server.addr, esme("shop", BindType::Receiver)).await;
        let (tx, _tx_incoming) = connect(server.addr, esme("shop", BindType::Transmitter)).await;
        // Another account's receiver must not get it.
        let (_other, mut other_incoming) =
            connect(server.addr, esme("bank", BindType::Receiver)).await;
        for n in 0..20 {
            let resp = tx.submit_sm(submit(&format!("m{n}"))).await.unwrap();
            assert!(resp.is_ok());
        }
        let mut ids = Vec::new();
        for _ in 0..20 {
            let request = incoming.recv().await.unwrap();
            let Body::DeliverSm(dlr) = &request.pdu().body else {
                panic!("{:?}", request.pdu())
            };
            let id = dlr.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).unwrap();
            ids.push(String::from_utf8_lossy(id.as_cstr()).into_owned());
        }
        ids.sort();
        let mut expected: Vec<String> = (0..20).map(|n| format!("m{n}")).collect();
        expected.sort();
        assert_eq!(ids, expected);
        assert!(other_incoming.try_recv().is_none());
        // No receiver: no route.
        let receipt = SubmitSmBuilder::deliver_sm(0).build().unwrap();
        let err = server
            .handle
            .deliver_to_system_id("nobody", receipt)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::NoRoute), "{err:?}");
        server.stop().await;
    });
}

#[test]
fn an_mo_message_goes_to_the_receiver_whose_address_range_matches() {
    bounded(async {
        let server = start(|s| s).await;
        let ranged = |id: &str, range: &str| {
            esme(id, BindType::Receiver)
                .with_address_range(Ton::UNKNOWN, Npi::UNKNOWN, range)
                .unwrap()
        };
        let (_uk, mut uk) = connect(server.addr, ranged("uk", "^44")).await;
        let (_de, mut de) = connect(server.addr, ranged("de", "^49(15|16)")).await;
        let (tx, _) = connect(server.addr, esme("sender", BindType::Transmitter)).await;
        assert_eq!(server.handle.route("447700900123").len(), 1);
        assert_eq!(server.handle.route("4915112345").len(), 1);
        assert_eq!(server.handle.route("4930123").len(), 0);
        // The MC's answer waits for the MO's deliver_sm_resp, which the
        // receiving ESME gives once its application took the message.
        let sends = {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for to in ["MO:447700900999", "MO:4916012345", "MO:330000"] {
                    statuses.push(tx.submit_sm(submit(to)).await.unwrap().command_status);
                }
                statuses
            })
        };
        let destination = |request: smpp_std::session::Request| {
            let Body::DeliverSm(mo) = &request.pdu().body else {
                panic!()
            };
            String::from_utf8_lossy(mo.destination_addr.as_bytes()).into_owned()
        };
        assert_eq!(destination(uk.recv().await.unwrap()), "447700900999");
        assert_eq!(destination(de.recv().await.unwrap()), "4916012345");
        assert_eq!(
            sends.await.unwrap(),
            [
                CommandStatus::ESME_ROK,
                CommandStatus::ESME_ROK,
                CommandStatus::ESME_RINVDSTADR
            ]
        );
        assert!(uk.try_recv().is_none() && de.try_recv().is_none());
        server.stop().await;
    });
}

#[test]
fn an_account_binds_at_most_so_many_times() {
    for status in [CommandStatus::ESME_RALYBND, CommandStatus::ESME_RBINDFAIL] {
        bounded(async {
            let server = start(|s| {
                s.with_account_limits(AccountLimits::UNLIMITED.with_max_binds(2))
                    .with_account("big", AccountLimits::UNLIMITED)
                    .with_bind_limit_status(status)
            })
            .await;
            let (a, _ia) = connect(server.addr, esme("shop", BindType::Transmitter)).await;
            let (_b, _ib) = connect(server.addr, esme("shop", BindType::Receiver)).await;
            let refused = client::connect(server.addr, esme("shop", BindType::Transceiver)).await;
            server::assert_bind_refused(&refused, status);
            // Other accounts are not affected; "big" has no limit.
            let mut others = Vec::new();
            for _ in 0..3 {
                others.push(connect(server.addr, esme("big", BindType::Transmitter)).await);
            }
            assert_eq!(server.handle.stats().binds_refused_account, 1);
            // A place frees when a session ends.
            a.unbind().await.unwrap();
            until(|| server.handle.stats().bound == 4).await;
            let (_c, _ic) = connect(server.addr, esme("shop", BindType::Transmitter)).await;
            server.stop().await;
        });
    }
}

#[test]
fn an_accounts_quota_is_shared_by_its_sessions_and_spares_the_others() {
    bounded(async {
        let server = start(|s| {
            s.with_account(
                "greedy",
                AccountLimits::UNLIMITED.with_max_messages_per_second(20),
            )
        })
        .await;
        let (g1, _i1) = connect(server.addr, wide(esme("greedy", BindType::Transmitter))).await;
        let (g2, _i2) = connect(server.addr, wide(esme("greedy", BindType::Transmitter))).await;
        let (polite, _i3) = connect(server.addr, wide(esme("polite", BindType::Transmitter))).await;
        let burst = |esme: Handle| async move {
            let pending: Vec<_> = futures_burst(&esme, 60).await;
            let mut ok = 0;
            let mut throttled = 0;
            for p in pending {
                match p.await.unwrap().command_status {
                    CommandStatus::ESME_ROK => ok += 1,
                    CommandStatus::ESME_RTHROTTLED => throttled += 1,
                    other => panic!("{other}"),
                }
            }
            (ok, throttled)
        };
        let (a, b, c) = tokio::join!(burst(g1), burst(g2), burst(polite));
        // 20 per second over the two sessions together: one second's
        // allowance (about 20) in all, however they share it.
        assert!((20..=25).contains(&(a.0 + b.0)), "{a:?} {b:?}");
        for (ok, throttled) in [a, b] {
            assert_eq!(ok + throttled, 60);
        }
        assert_eq!(c, (60, 0), "another account is not throttled");
        assert_eq!(server.handle.stats().throttled, a.1 + b.1);
        server.stop().await;
    });
}

/// Submits `n` at once through `esme`: how many were accepted.
async fn accepted_of_burst(esme: &Handle, n: usize) -> usize {
    let mut ok = 0;
    for p in futures_burst(esme, n).await {
        match p.await.unwrap().command_status {
            CommandStatus::ESME_ROK => ok += 1,
            CommandStatus::ESME_RTHROTTLED => {}
            other => panic!("{other}"),
        }
    }
    ok
}

#[test]
fn an_accounts_receiver_takes_none_of_its_quota() {
    bounded(async {
        let server = limited(AccountLimits::UNLIMITED.with_max_messages_per_second(10)).await;
        let (tx, _i1) = connect(server.addr, wide(esme("shop", BindType::Transmitter))).await;
        let (_rx, mut receipts) =
            connect(server.addr, wide(esme("shop", BindType::Receiver))).await;
        // Takes the receipts of what is accepted.
        tokio::spawn(async move { while receipts.recv().await.is_some() {} });
        // The receiver sends nothing: the transmitter has the whole
        // second's allowance, not half of it.
        let ok = accepted_of_burst(&tx, 30).await;
        assert!((10..=12).contains(&ok), "{ok}");
        server.stop().await;
    });
}

#[test]
fn an_account_with_more_sessions_than_messages_a_second_still_sends() {
    bounded(async {
        let server = limited(AccountLimits::UNLIMITED.with_max_messages_per_second(2)).await;
        let mut sessions = Vec::new();
        for _ in 0..3 {
            sessions.push(connect(server.addr, esme("shop", BindType::Transmitter)).await);
        }
        let mut ok = 0;
        for (esme, _) in &sessions {
            ok += accepted_of_burst(esme, 3).await;
        }
        // Two a second over three sessions: two of the nine, not none.
        assert!((2..=3).contains(&ok), "{ok}");
        assert_eq!(usize::try_from(server.handle.stats().throttled), Ok(9 - ok));
        server.stop().await;
    });
}

/// Queues `n` submits at once; their pending responses.
async fn futures_burst(esme: &Handle, n: usize) -> Vec<smpp_std::session::Pending> {
    let mut pending = Vec::new();
    for i in 0..n {
        pending.push(esme.queue(submit(&format!("b{i}"))).await.unwrap());
    }
    pending
}

#[test]
fn connections_accepted_elsewhere_join_the_server() {
    bounded(async {
        let server = start(|s| s.with_max_connections(1)).await;
        let (esme_side, mc_side) = tokio::io::duplex(16 * 1024);
        let handle = server.handle.clone();
        let serving = tokio::spawn(async move { handle.serve(mc_side, None).await });
        let (piped, _incoming) = client::bind(esme_side, esme("pipe", BindType::Transceiver))
            .await
            .unwrap();
        // It counts against the server's cap: a TCP bind is refused.
        let refused = client::connect(server.addr, esme("tcp", BindType::Transmitter)).await;
        server::assert_bind_refused(&refused, CommandStatus::ESME_RBINDFAIL);
        assert!(server.handle.session("pipe").is_some());
        // Shutdown unbinds it like the others.
        server.handle.shutdown();
        assert_eq!(serving.await.unwrap(), CloseReason::Unbound);
        assert_eq!(piped.closed().await, CloseReason::Unbound);
        server.task.await.unwrap();
        // A handle of a server shut down serves nothing.
        let (_a, b) = tokio::io::duplex(64);
        assert_eq!(server.handle.serve(b, None).await, CloseReason::Local);
    });
}

#[test]
fn a_session_quota_holds_each_session_to_its_own_rate() {
    bounded(async {
        let server = limited(AccountLimits::UNLIMITED.with_max_messages_per_session(10)).await;
        let (a, _ia) = connect(server.addr, wide(esme("shop", BindType::Transmitter))).await;
        let (b, _ib) = connect(server.addr, wide(esme("shop", BindType::Transmitter))).await;
        assert_ne!(a.id(), b.id());
        assert!(a.same_session(&a.clone()) && !a.same_session(&b));
        let count = |esme: Handle| async move {
            let mut ok = 0;
            for p in futures_burst(&esme, 40).await {
                if p.await.unwrap().command_status.is_ok() {
                    ok += 1;
                }
            }
            ok
        };
        let (ok_a, ok_b) = tokio::join!(count(a), count(b));
        // Each its own ten a second: the second session does not halve it.
        for ok in [ok_a, ok_b] {
            assert!((9..=12).contains(&ok), "{ok_a} {ok_b}");
        }
        assert_eq!(server.handle.stats().throttled, 80 - ok_a - ok_b);
        server.stop().await;
    });
}

#[test]
fn a_receipt_skips_a_session_that_is_unbinding_for_another_of_the_account() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    bounded(async {
        let server = start(|s| s).await;
        // A receiver that binds, then never answers the unbind.
        let mut raw = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let bind = server::bind(BindType::Receiver, 1);
        let mut wire = vec![0; bind.encoded_len()];
        bind.emit(&mut wire).unwrap();
        raw.write_all(&wire).await.unwrap();
        let mut header = [0u8; 16];
        raw.read_exact(&mut header).await.unwrap();
        assert_eq!(header[4..8], [0x80, 0, 0, 0x01], "bind_receiver_resp");
        let session = server.handle.session("esme").expect("bound");
        let unbinding = tokio::spawn({
            let session = session.clone();
            async move { session.unbind().await }
        });
        // Its remaining octets, then the unbind.
        let length = u32::from_be_bytes(header[..4].try_into().unwrap()) as usize;
        let mut rest = vec![0; length - 16];
        raw.read_exact(&mut rest).await.unwrap();
        raw.read_exact(&mut header).await.unwrap();
        assert_eq!(header[4..8], [0, 0, 0, 0x06], "unbind");
        // The only receiver refuses: no route, while it still waits for
        // the unbind_resp (the response timer is 30 s).
        let receipt = SubmitSmBuilder::deliver_sm(0).build().unwrap();
        let delivered = server.handle.deliver_to_system_id("esme", receipt.clone());
        assert!(matches!(delivered.await, Err(Error::NoRoute)));
        assert!(!session.is_closed());
        // Another receiver of the account binds, with less room than the
        // unbinding one (it has taken a message already and not answered
        // it): the receipt goes there.
        let (other, mut incoming) = connect(server.addr, server::esme(BindType::Receiver)).await;
        let deliver = || {
            let handle = server.handle.clone();
            let receipt = receipt.clone();
            tokio::spawn(async move { handle.deliver_to_system_id("esme", receipt).await })
        };
        let busy = deliver();
        let first = incoming.recv().await.unwrap();
        let second = deliver();
        drop(incoming.recv().await.unwrap());
        assert!(second.await.unwrap().unwrap().is_ok());
        drop(first);
        assert!(busy.await.unwrap().unwrap().is_ok());
        assert!(!session.is_closed());
        drop(raw);
        let _ = unbinding.await.unwrap();
        unbind_and_stop(&other, server).await;
    });
}

#[test]
fn an_mc_outbinds_an_esme_that_waits_for_it_and_delivers_to_it() {
    bounded(async {
        for version in [InterfaceVersion::V34, InterfaceVersion::V50] {
            let server = start(|s| s).await;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let smsc = server.handle.clone();
            let outbinding = tokio::spawn(async move { smsc.outbind(addr, "pw").await });
            let (stream, _) = listener.accept().await.unwrap();
            let config = esme("shop", BindType::Receiver).with_interface_version(version);
            let (receiver, mut incoming) = client::accept_outbind(stream, config, |outbind| {
                outbind.password.as_bytes() == b"pw"
            })
            .await
            .unwrap();
            assert_eq!(
                receiver.bind_info().unwrap().bind_type,
                BindType::Receiver,
                "{version}"
            );
            // A receiver of the account like any other.
            let deliver = SubmitSmBuilder::deliver_sm(0)
                .source_addr("447700900001")
                .destination_addr("2948")
                .short_message("outbound")
                .build()
                .unwrap();
            let smsc = server.handle.clone();
            let delivering =
                tokio::spawn(async move { smsc.deliver_to_system_id("shop", deliver).await });
            let request = incoming.recv().await.unwrap();
            let Body::DeliverSm(sm) = &request.pdu().body else {
                panic!("{:?}", request.pdu());
            };
            assert_eq!(&sm.short_message[..], b"outbound");
            drop(request);
            assert!(delivering.await.unwrap().unwrap().is_ok(), "{version}");
            receiver.unbind().await.unwrap();
            assert_eq!(outbinding.await.unwrap().unwrap(), CloseReason::Unbound);
            server.stop().await;
        }
    });
}

#[test]
fn outbind_is_timed_out_on_both_sides_and_a_refused_one_binds_nothing() {
    bounded(async {
        let init = |config: Config| {
            config.with_timers(Timers {
                session_init_timer: Some(core::time::Duration::from_millis(200)),
                ..quiet()
            })
        };
        let server = Running::start(Smsc::default(), init(Config::mc())).await;
        // An ESME waiting for an outbind that never comes.
        let (esme_side, _silent_mc) = tokio::io::duplex(1024);
        let waited =
            client::accept_outbind(esme_side, init(Config::esme(BindType::Receiver)), |_| true)
                .await;
        assert!(
            matches!(waited, Err(Error::Closed(CloseReason::SessionInitTimeout))),
            "{waited:?}"
        );
        // An MC whose outbind is never answered with a bind.
        let (_silent_esme, mc_side) = tokio::io::duplex(1024);
        let outbound = server.handle.serve_outbind(mc_side, None, "pw").await;
        assert_eq!(outbound.unwrap(), CloseReason::SessionInitTimeout);
        // A refused outbind: the connection closes, no bind reaches the MC.
        let (esme_side, mc_side) = tokio::io::duplex(1024);
        let smsc = server.handle.clone();
        let serving = tokio::spawn(async move { smsc.serve_outbind(mc_side, None, "guess").await });
        let refused = client::accept_outbind(esme_side, esme("shop", BindType::Receiver), |o| {
            o.password.as_bytes() == b"pw"
        })
        .await;
        assert!(
            matches!(refused, Err(Error::Closed(CloseReason::Local))),
            "{refused:?}"
        );
        assert_ne!(serving.await.unwrap().unwrap(), CloseReason::Unbound);
        assert!(server.smsc.seen.lock().unwrap().is_empty());
        // A password longer than SMPP allows is refused before connecting.
        let (_esme_side, mc_side) = tokio::io::duplex(1024);
        let too_long = server
            .handle
            .serve_outbind(mc_side, None, "123456789")
            .await;
        assert!(matches!(too_long, Err(Error::Encode(_))), "{too_long:?}");
        server.stop().await;
    });
}

#[test]
fn an_esme_that_unbinds_answers_every_deliver_sm_written_to_it_first() {
    bounded_on_two_workers(async {
        let server = start(|s| s).await;
        let (esme, mut incoming) =
            connect(server.addr, wide(esme("shop", BindType::Transceiver))).await;
        // The MC delivers without pause, 8 at a time, until the ESME is
        // gone.
        let mut senders = Vec::new();
        for sender in 0..8 {
            let smsc = server.handle.clone();
            senders.push(tokio::spawn(async move {
                let (mut acknowledged, mut unknown) = (0, Vec::new());
                for n in 0.. {
                    let pdu = SubmitSmBuilder::deliver_sm(0)
                        .source_addr("447700900001")
                        .destination_addr("2948")
                        .short_message(format!("mo {sender}.{n}"))
                        .build()
                        .unwrap();
                    match smsc.deliver_to_system_id("shop", pdu).await {
                        Ok(resp) if resp.is_ok() => acknowledged += 1,
                        Ok(_) => {}
                        Err(Error::OutcomeUnknown { .. }) => unknown.push(n),
                        // Refused or never written: nothing was delivered.
                        Err(_) => break,
                    }
                }
                (acknowledged, unknown)
            }));
        }
        // The application takes what comes, and unbinds after a while.
        let reader = tokio::spawn(async move {
            let mut taken = 0;
            while let Some(request) = incoming.recv().await {
                drop(request);
                taken += 1;
            }
            taken
        });
        tokio::time::sleep(core::time::Duration::from_millis(100)).await;
        esme.unbind().await.unwrap();
        let taken = reader.await.unwrap();
        let mut acknowledged = 0;
        for sender in senders {
            let (ok, unknown) = sender.await.unwrap();
            // Every deliver_sm written to the ESME got its answer.
            assert!(
                unknown.is_empty(),
                "{} without a known outcome",
                unknown.len()
            );
            acknowledged += ok;
        }
        // What the application took is what the MC saw acknowledged.
        assert!(taken > 0);
        assert_eq!(acknowledged, taken);
        server.stop().await;
    });
}

#[test]
fn what_the_application_has_not_taken_when_unbound_is_refused_for_later() {
    bounded(async {
        let server = start(|s| s).await;
        let patient = wide(esme("shop", BindType::Transceiver)).with_timers(Timers {
            response_timer: core::time::Duration::from_secs(60),
            ..quiet()
        });
        let (esme, incoming) = connect(server.addr, patient).await;
        let mut deliveries = Vec::new();
        for n in 0..3 {
            let smsc = server.handle.clone();
            let pdu = SubmitSmBuilder::deliver_sm(0)
                .destination_addr("2948")
                .short_message(format!("mo {n}"))
                .build()
                .unwrap();
            deliveries.push(tokio::spawn(async move {
                smsc.deliver_to_system_id("shop", pdu).await
            }));
        }
        until(|| esme.stats().traffic.received_of(CommandId::DELIVER_SM) >= 3).await;
        // The application never reads, yet keeps `incoming`: the unbind
        // does not wait for answers that will not come (the response
        // timer is 60 s), and the MC learns each message's fate.
        let unbound =
            tokio::time::timeout(core::time::Duration::from_secs(10), esme.unbind()).await;
        assert!(matches!(unbound, Ok(Ok(()))), "{unbound:?}");
        for delivery in deliveries {
            let resp = delivery.await.unwrap().unwrap();
            assert_eq!(resp.command_status, CommandStatus::ESME_RX_T_APPN);
        }
        drop(incoming);
        server.stop().await;
    });
}
