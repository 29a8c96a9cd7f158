//! The tokio ESME client and SMSC server over real loopback TCP: against
//! each other, and against raw peers that write PDUs by hand (malformed,
//! in the wrong state, or closing the connection mid-flight).
#![cfg(feature = "tokio")]

mod common;
#[path = "common/server.rs"]
mod server;

use core::net::SocketAddr;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use common::assert_matches;
use futures_util::{SinkExt, StreamExt};
use smpp_core::session::{BindType, CloseReason, Config, ProtocolError, Timers};
use smpp_core::{Body, CommandId, CommandStatus, EsmClass, TlvTag};
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Error, Handle, Incoming, SmResponse};
use smpp_std::{
    BindRespBuilder, HeaderOnlyBuilder, Pdu, PduCodec, SubmitSmBuilder, SubmitSmRespBuilder, client,
};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio::time::timeout;

use server::{
    Running, bind, bounded, bounded_on_two_workers, connect, response_timer_only, unbind_and_stop,
    until,
};
use tokio_util::codec::Framed;

/// Every test ends within this, or fails: nothing may hang.
/// The ESME `esme`/`secret`.
fn esme(bind_type: BindType) -> Config {
    server::esme(bind_type).with_window(64)
}

fn mc() -> Config {
    server::mc().with_window(128)
}

fn submit(text: &str) -> Pdu {
    SubmitSmBuilder::new(1)
        .source_addr("INFO")
        .destination_addr("447700900123")
        .short_message(text)
        .build()
        .unwrap()
}

fn receipt_for(message_id: &str) -> Pdu {
    SubmitSmBuilder::deliver_sm(1)
        .source_addr("447700900123")
        .destination_addr("INFO")
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .receipted_message_id(message_id)
        .short_message(format!("id:{message_id} stat:DELIVRD"))
        .build()
        .unwrap()
}

/// How the test SMSC answers `submit_sm`.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Mode {
    /// At once.
    #[default]
    Now,
    /// After yielding once (the answer comes from a task of its own).
    Yield,
    /// Once the test opens the gate, one permit per answer.
    Gated,
    /// Never.
    Never,
}

/// Answers let through by the test (none at first).
struct Gate(Semaphore);

impl Default for Gate {
    fn default() -> Self {
        Self(Semaphore::new(0))
    }
}

/// The test SMSC: binds `esme`/`secret`, answers `submit_sm` with
/// `id-<text>`, and records what happened.
#[derive(Default)]
struct Smsc {
    mode: Mode,
    /// Push a delivery receipt for every message.
    receipts: bool,
    gate: Gate,
    received: AtomicUsize,
    /// When each `submit_sm` arrived.
    arrivals: Mutex<Vec<std::time::Instant>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// Receipts the ESME answered with `ESME_ROK`.
    receipts_answered: Arc<AtomicUsize>,
    bound: Mutex<Vec<Handle>>,
    closed: Mutex<Vec<CloseReason>>,
    protocol_errors: Mutex<Vec<ProtocolError>>,
}

impl Smsc {
    fn with(mode: Mode) -> Self {
        Self {
            mode,
            ..Self::default()
        }
    }

    fn closed(&self) -> Vec<CloseReason> {
        self.closed.lock().unwrap().clone()
    }
}

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, request: &BindRequest) -> CommandStatus {
        match (request.system_id(), request.password()) {
            (b"esme", b"secret") => CommandStatus::ESME_ROK,
            (b"esme", _) => CommandStatus::ESME_RINVPASWD,
            _ => CommandStatus::ESME_RINVSYSID,
        }
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = &pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        self.received.fetch_add(1, Ordering::SeqCst);
        self.arrivals
            .lock()
            .unwrap()
            .push(std::time::Instant::now());
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        match self.mode {
            Mode::Now => {}
            Mode::Yield => tokio::task::yield_now().await,
            Mode::Gated => self.gate.0.acquire().await.unwrap().forget(),
            Mode::Never => core::future::pending::<()>().await,
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        if sm.short_message == "wrong-body" {
            // Not a submit_sm_resp: the session answers ESME_RSYSERR instead.
            return Answer::Response {
                command_status: CommandStatus::ESME_ROK,
                body: Body::EnquireLinkResp(smpp_std::Tlvs::default()),
            };
        }
        let id = format!("id-{}", String::from_utf8_lossy(&sm.short_message));
        if self.receipts {
            let session = cx.session().clone();
            let receipt = receipt_for(&id);
            let answered = Arc::clone(&self.receipts_answered);
            tokio::spawn(async move {
                if session.deliver_sm(receipt).await.is_ok_and(|r| r.is_ok()) {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        Answer::message_id(id)
    }

    fn bound(&self, cx: &Context) {
        self.bound.lock().unwrap().push(cx.session().clone());
    }

    fn closed(&self, _cx: &Context, reason: CloseReason) {
        self.closed.lock().unwrap().push(reason);
    }

    fn protocol_error(&self, _cx: &Context, error: ProtocolError) {
        self.protocol_errors.lock().unwrap().push(error);
    }
}

/// The test SMSC running with [`mc`], and an ESME of `config` bound to it.
async fn bound(smsc: Smsc, config: Config) -> (Running<Smsc>, Handle, Incoming) {
    let server = Running::start(smsc, mc()).await;
    let (esme, incoming) = connect(server.addr, config).await;
    (server, esme, incoming)
}

/// `count` PDUs made by `make` (of `<prefix>0` on) sent at once, each by a
/// clone of `handle` from a task of its own: `submit_sm` by an ESME, or
/// `deliver_sm` (receipts) by the MC.
fn spawn_each(
    handle: &Handle,
    make: fn(&str) -> Pdu,
    prefix: &str,
    count: usize,
) -> Vec<JoinHandle<Result<SmResponse, Error>>> {
    (0..count)
        .map(|n| {
            let (handle, pdu) = (handle.clone(), make(&format!("{prefix}{n}")));
            tokio::spawn(async move {
                if pdu.command_id() == CommandId::DELIVER_SM {
                    handle.deliver_sm(pdu).await
                } else {
                    handle.submit_sm(pdu).await
                }
            })
        })
        .collect()
}

/// The session of `esme` ended for `reason`: its `Incoming` ends, and a
/// request after it is refused, closed for that reason.
async fn ended(esme: &Handle, incoming: &mut Incoming, reason: CloseReason) {
    assert_eq!(esme.closed().await, reason);
    assert!(incoming.recv().await.is_none());
    let err = esme.submit_sm(submit("late")).await.unwrap_err();
    assert_matches!(err, Error::Closed(closed) if closed == reason);
}

/// The server's session of the ESME `esme`, once it is bound.
async fn session_of_esme(server: &Running<Smsc>) -> Handle {
    until(|| server.handle.session("esme").is_some()).await;
    server.handle.session("esme").unwrap()
}

// ------------------------------------------------------------------ bind

#[test]
fn a_bind_with_the_right_password_is_accepted() {
    bounded(async {
        let (server, esme, _incoming) = bound(Smsc::default(), esme(BindType::Transceiver)).await;
        let info = esme.bind_info().unwrap();
        assert_eq!(info.bind_type, BindType::Transceiver);
        assert_eq!(info.system_id.as_bytes(), b"SMSC");
        assert_eq!(esme.peer_addr(), Some(server.addr));
        assert_eq!(esme.window(), 64);
        // The server side knows the ESME by its system_id.
        let session = session_of_esme(&server).await;
        assert_eq!(session.system_id().unwrap().as_bytes(), b"esme");
        assert_eq!(
            session.bind_info().unwrap().bind_type,
            BindType::Transceiver
        );
        assert_eq!(server.handle.sessions().len(), 1);
        assert_eq!(server.smsc.bound.lock().unwrap().len(), 1);
        let smsc = unbind_and_stop(&esme, server).await;
        assert_eq!(smsc.closed(), [CloseReason::Unbound]);
    });
}

#[test]
fn a_bind_with_a_bad_password_is_refused_with_the_handler_status() {
    bounded(async {
        let server = Running::start(Smsc::default(), mc()).await;
        let refused = client::connect(
            server.addr,
            esme(BindType::Transmitter).with_password("wrong").unwrap(),
        )
        .await;
        server::assert_bind_refused(&refused, CommandStatus::ESME_RINVPASWD);
        let other = Config::esme(BindType::Receiver)
            .with_system_id("stranger")
            .unwrap();
        let refused = client::connect(server.addr, other).await;
        let err = refused.unwrap_err();
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVSYSID));
        // Nobody was bound; both connections were closed by the ESMEs.
        until(|| server.smsc.closed().len() == 2).await;
        assert!(server.handle.sessions().is_empty());
        let smsc = server.stop().await;
        assert!(smsc.bound.lock().unwrap().is_empty());
    });
}

#[test]
fn a_configuration_of_the_wrong_side_is_refused() {
    bounded(async {
        let refused = Server::bind(
            "127.0.0.1:0",
            Config::esme(BindType::Receiver),
            Arc::new(Smsc::default()),
        )
        .await;
        assert_eq!(
            refused.unwrap_err().kind(),
            std::io::ErrorKind::InvalidInput
        );
        let server = Running::start(Smsc::default(), mc()).await;
        let err = client::connect(server.addr, Config::mc())
            .await
            .unwrap_err();
        assert_matches!(err, Error::Refused(_));
        server.stop().await;
    });
}

// ------------------------------------------------------------ the window

#[test]
fn ten_thousand_submit_sm_through_a_window_of_64_each_answered() {
    const COUNT: usize = 10_000;
    bounded_on_two_workers(async {
        let (server, esme, _incoming) =
            bound(Smsc::with(Mode::Yield), esme(BindType::Transmitter)).await;
        // One task keeps the window full: queue() returns once the
        // request has its slot.
        let sender = {
            let esme = esme.clone();
            tokio::spawn(async move {
                let mut pending = Vec::with_capacity(COUNT);
                for n in 0..COUNT {
                    let body = submit(&format!("m{n}"));
                    pending.push(esme.queue(body).await.unwrap());
                    assert!(esme.available_window() <= 64);
                }
                pending
            })
        };
        let pending = sender.await.unwrap();
        let mut sequence_numbers = HashSet::new();
        for (n, response) in pending.into_iter().enumerate() {
            let pdu = response.await.unwrap();
            assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM_RESP);
            assert_eq!(pdu.command_status, CommandStatus::ESME_ROK);
            let resp = SmResponse::from(pdu);
            assert_eq!(resp.message_id.to_string(), format!("id-m{n}"));
            assert!(sequence_numbers.insert(resp.sequence_number));
        }
        assert_eq!(sequence_numbers.len(), COUNT);
        assert_eq!(esme.available_window(), 64);
        let smsc = &server.smsc;
        assert_eq!(smsc.received.load(Ordering::SeqCst), COUNT);
        let max = smsc.max_in_flight.load(Ordering::SeqCst);
        assert!(
            (1..=64).contains(&max),
            "{max} requests awaited answers at once"
        );
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn the_window_holds_requests_back_until_responses_free_slots() {
    bounded(async {
        let config = esme(BindType::Transmitter).with_window(8);
        let (server, esme, _incoming) = bound(Smsc::with(Mode::Gated), config).await;
        let tasks = spawn_each(&esme, submit, "w", 40);
        let smsc = Arc::clone(&server.smsc);
        until(|| smsc.received.load(Ordering::SeqCst) == 8).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Eight outstanding, the other 32 wait for a slot: none was sent.
        assert_eq!(smsc.received.load(Ordering::SeqCst), 8);
        assert_eq!(esme.available_window(), 0);
        smsc.gate.0.add_permits(40);
        for task in tasks {
            let resp = task.await.unwrap().unwrap();
            assert!(resp.is_ok());
            assert!(resp.message_id.to_string().starts_with("id-w"));
        }
        assert_eq!(smsc.received.load(Ordering::SeqCst), 40);
        assert_eq!(smsc.max_in_flight.load(Ordering::SeqCst), 8);
        unbind_and_stop(&esme, server).await;
    });
}

// ------------------------------------------------------ deliver_sm back

#[test]
fn delivery_receipts_come_back_and_match_the_message_ids() {
    const COUNT: usize = 500;
    bounded_on_two_workers(async {
        let smsc = Smsc {
            receipts: true,
            ..Smsc::default()
        };
        let (server, esme, mut incoming) = bound(smsc, esme(BindType::Transceiver)).await;
        let receiver = tokio::spawn(async move {
            let mut ids = HashSet::new();
            while ids.len() < COUNT {
                let request = incoming.recv().await.expect("a receipt");
                let Body::DeliverSm(dlr) = &request.pdu().body else {
                    panic!("not a deliver_sm: {:?}", request.command_id())
                };
                assert!(dlr.esm_class.is_delivery_receipt());
                let id = dlr.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).unwrap();
                ids.insert(String::from_utf8(id.as_cstr().to_vec()).unwrap());
                request.respond(Answer::Ok);
            }
            (ids, incoming)
        });
        let mut sent = HashSet::new();
        for n in 0..COUNT {
            let resp = esme.submit_sm(submit(&format!("r{n}"))).await.unwrap();
            sent.insert(resp.message_id.to_string());
        }
        let (receipted, _incoming) = receiver.await.unwrap();
        assert_eq!(receipted, sent);
        // Every deliver_sm was answered ESME_ROK.
        let answered = Arc::clone(&server.smsc.receipts_answered);
        until(|| answered.load(Ordering::SeqCst) == COUNT).await;
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn the_server_pushes_deliver_sm_to_a_receiver_found_by_system_id() {
    bounded(async {
        let (server, esme, mut incoming) = bound(Smsc::default(), esme(BindType::Receiver)).await;
        let session = session_of_esme(&server).await;
        let push = tokio::spawn(async move {
            let first = session.deliver_sm(receipt_for("a1")).await.unwrap();
            let second = session.deliver_sm(receipt_for("a2")).await.unwrap();
            (first, second)
        });
        let first = incoming.recv().await.unwrap();
        assert_eq!(first.command_id(), CommandId::DELIVER_SM);
        first.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
        // Dropped unanswered: answered ESME_ROK by default.
        drop(incoming.recv().await.unwrap());
        let (first, second) = push.await.unwrap();
        assert_eq!(first.command_status, CommandStatus::ESME_RX_T_APPN);
        assert_eq!(second.command_status, CommandStatus::ESME_ROK);
        // A receiver may not submit: refused before anything is sent.
        let err = esme.submit_sm(submit("x")).await.unwrap_err();
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVBNDSTS));
        // Without Incoming nobody takes requests: the ESME answers
        // ESME_RX_T_APPN (the MC delivers again later), never ESME_ROK.
        drop(incoming);
        let session = server.handle.session("esme").unwrap();
        let resp = session.deliver_sm(receipt_for("a3")).await.unwrap();
        assert_eq!(resp.command_status, CommandStatus::ESME_RX_T_APPN);
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn any_request_goes_through_send_and_gets_the_handlers_answer() {
    bounded(async {
        let (server, esme, _incoming) = bound(Smsc::default(), esme(BindType::Transceiver)).await;
        // query_sm: this handler answers everything but submit_sm with
        // ESME_RINVCMDID.
        let query = smpp_std::QuerySmBuilder::new(1)
            .message_id("id-x")
            .source_addr("INFO")
            .build()
            .unwrap();
        let resp = esme.send(query.body).await.unwrap();
        assert_eq!(resp.command_id(), CommandId::QUERY_SM_RESP);
        assert_eq!(resp.command_status, CommandStatus::ESME_RINVCMDID);
        // A response of the wrong command is replaced by ESME_RSYSERR.
        let resp = esme.submit_sm(submit("wrong-body")).await.unwrap();
        assert_eq!(resp.command_status, CommandStatus::ESME_RSYSERR);
        // Requests without response, and responses, are refused.
        let alert = Body::AlertNotification(smpp_std::AlertNotification::default());
        let err = esme.send(alert).await.unwrap_err();
        assert_matches!(err, Error::NoResponse(CommandId::ALERT_NOTIFICATION));
        let err = esme
            .send(Body::EnquireLinkResp(smpp_std::Tlvs::default()))
            .await
            .unwrap_err();
        assert_matches!(err, Error::Refused(_));
        // A field over its limit is refused before anything is sent.
        let long = smpp_std::SubmitSm {
            source_addr: smpp_std::COctet::new(bytes::Bytes::from_static(&[b'9'; 30])),
            ..smpp_std::SubmitSm::default()
        };
        let err = esme.submit_sm(long).await.unwrap_err();
        assert_matches!(err, Error::Encode(_));
        assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVSRCADR));
        // A typed call given another command sends nothing.
        let err = esme.submit_sm(receipt_for("1")).await.unwrap_err();
        assert_matches!(
            err,
            Error::UnexpectedCommand {
                expected: CommandId::SUBMIT_SM,
                found: CommandId::DELIVER_SM
            }
        );
        // The session is still fine.
        assert!(esme.submit_sm(submit("after")).await.unwrap().is_ok());
        assert_eq!(esme.available_window(), 64);
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn the_servers_pushes_wait_for_its_window() {
    bounded(async {
        let server = Running::start(Smsc::default(), mc().with_window(4)).await;
        let mut raw = raw_esme(server.addr, BindType::Receiver).await;
        let session = session_of_esme(&server).await;
        let pushes = spawn_each(&session, receipt_for, "q", 20);
        let mut unanswered = Vec::new();
        for _ in 0..4 {
            unanswered.push(next(&mut raw).await);
        }
        // Four outstanding: the fifth waits for a response.
        let quiet_link = timeout(Duration::from_millis(150), raw.next()).await;
        assert!(quiet_link.is_err(), "a fifth deliver_sm went out");
        assert_eq!(session.available_window(), 0);
        let mut answered = 0;
        while answered < 20 {
            let pdu = match unanswered.pop() {
                Some(pdu) => pdu,
                None => next(&mut raw).await,
            };
            assert_eq!(pdu.command_id(), CommandId::DELIVER_SM);
            let resp = SubmitSmRespBuilder::deliver_sm_resp(pdu.sequence_number)
                .build()
                .unwrap();
            raw.send(resp).await.unwrap();
            answered += 1;
        }
        for push in pushes {
            assert!(push.await.unwrap().unwrap().is_ok());
        }
        assert_eq!(session.available_window(), 4);
        hang_up_and_stop(raw, server).await;
    });
}

// --------------------------------------------------------- enquire_link

/// Accepts one ESME on a raw listener and answers its bind.
async fn raw_mc(listener: &TcpListener) -> Framed<TcpStream, PduCodec> {
    let (stream, _) = listener.accept().await.unwrap();
    let mut framed = Framed::new(stream, PduCodec::new());
    let bind = next(&mut framed).await;
    assert_eq!(bind.command_id(), CommandId::BIND_TRANSCEIVER);
    let resp = BindRespBuilder::transceiver_resp(bind.sequence_number)
        .system_id("RAW")
        .build()
        .unwrap();
    framed.send(resp).await.unwrap();
    framed
}

/// An ESME of `config` bound to a raw MC on a fresh listener, and the MC's
/// end.
async fn client_of_raw_mc(config: Config) -> (Handle, Incoming, Framed<TcpStream, PduCodec>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (connected, framed) = tokio::join!(client::connect(addr, config), raw_mc(&listener));
    let (esme, incoming) = connected.unwrap();
    (esme, incoming, framed)
}

/// The raw peer answers the `enquire_link` `link`.
async fn answer_link(framed: &mut Framed<TcpStream, PduCodec>, link: &Pdu) {
    let resp = HeaderOnlyBuilder::enquire_link_resp(link.sequence_number);
    framed.send(resp.build().unwrap()).await.unwrap();
}

/// The next PDU the raw peer receives.
async fn next(framed: &mut Framed<TcpStream, PduCodec>) -> Pdu {
    let (_, pdu) = timeout(Duration::from_secs(5), framed.next())
        .await
        .expect("a PDU within 5 s")
        .expect("the connection still open")
        .unwrap();
    pdu.unwrap()
}

#[test]
fn the_client_sends_enquire_link_when_the_link_is_idle() {
    bounded(async {
        let timers = Timers {
            enquire_link_timer: Some(Duration::from_millis(100)),
            ..response_timer_only(Duration::from_millis(300))
        };
        let config = esme(BindType::Transceiver).with_timers(timers);
        let (esme, _incoming, mut framed) = client_of_raw_mc(config).await;
        for _ in 0..3 {
            let link = next(&mut framed).await;
            assert_eq!(link.command_id(), CommandId::ENQUIRE_LINK);
            answer_link(&mut framed, &link).await;
        }
        assert!(!esme.is_closed());
        // An enquire_link left unanswered closes the session.
        let link = next(&mut framed).await;
        assert_eq!(link.command_id(), CommandId::ENQUIRE_LINK);
        let reason = esme.closed().await;
        assert_matches!(
            reason,
            CloseReason::ResponseTimeout {
                command_id: CommandId::ENQUIRE_LINK,
                ..
            }
        );
        drop(framed);
    });
}

#[test]
fn the_server_sends_enquire_link_to_an_idle_esme_and_answers_its_own() {
    bounded(async {
        let timers = Timers {
            enquire_link_timer: Some(Duration::from_millis(100)),
            ..response_timer_only(Duration::from_secs(5))
        };
        let server = Running::start(Smsc::default(), mc().with_timers(timers)).await;
        let mut raw = raw_esme(server.addr, BindType::Transmitter).await;
        let link = next(&mut raw).await;
        assert_eq!(link.command_id(), CommandId::ENQUIRE_LINK);
        answer_link(&mut raw, &link).await;
        // The ESME's own enquire_link is answered too.
        raw.send(HeaderOnlyBuilder::enquire_link(77).build().unwrap())
            .await
            .unwrap();
        let resp = loop {
            let pdu = next(&mut raw).await;
            if pdu.command_id() == CommandId::ENQUIRE_LINK {
                answer_link(&mut raw, &pdu).await;
            } else {
                break pdu;
            }
        };
        assert_eq!(resp.command_id(), CommandId::ENQUIRE_LINK_RESP);
        assert_eq!(resp.sequence_number, 77);
        drop(raw);
        until(|| server.smsc.closed().len() == 1).await;
        assert_eq!(server.smsc.closed(), [CloseReason::Disconnected]);
        server.stop().await;
    });
}

// ------------------------------------------------------------- timeouts

#[test]
fn a_request_without_response_times_out_and_frees_its_slot() {
    bounded(async {
        let config = esme(BindType::Transmitter)
            .with_timers(response_timer_only(Duration::from_millis(200)))
            .with_window(2);
        let (server, esme, _incoming) = bound(Smsc::with(Mode::Never), config).await;
        let started = tokio::time::Instant::now();
        let (a, b) = tokio::join!(esme.submit_sm(submit("t1")), esme.submit_sm(submit("t2")));
        for result in [a, b] {
            let err = result.unwrap_err();
            assert_matches!(
                err,
                Error::Timeout {
                    command_id: CommandId::SUBMIT_SM,
                    ..
                }
            );
        }
        assert!(started.elapsed() >= Duration::from_millis(200));
        // Both slots are free again and the session goes on.
        assert_eq!(esme.available_window(), 2);
        assert!(!esme.is_closed());
        esme.enquire_link().await.unwrap();
        esme.close();
        assert_eq!(esme.closed().await, CloseReason::Local);
        server.stop().await;
    });
}

// --------------------------------------------------------------- unbind

#[test]
fn the_client_unbinds_after_its_outstanding_requests() {
    bounded(async {
        let (server, esme, mut incoming) =
            bound(Smsc::with(Mode::Gated), esme(BindType::Transceiver)).await;
        let waiting = {
            let esme = esme.clone();
            tokio::spawn(async move { esme.submit_sm(submit("u1")).await })
        };
        let smsc = Arc::clone(&server.smsc);
        until(|| smsc.received.load(Ordering::SeqCst) == 1).await;
        let unbinding = {
            let esme = esme.clone();
            tokio::spawn(async move { esme.unbind().await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // No new request once unbinding.
        let err = esme.submit_sm(submit("u2")).await.unwrap_err();
        assert_matches!(err, Error::Refused(_));
        // The outstanding one still gets its answer, then unbind goes out.
        smsc.gate.0.add_permits(1);
        assert!(waiting.await.unwrap().unwrap().is_ok());
        unbinding.await.unwrap().unwrap();
        ended(&esme, &mut incoming, CloseReason::Unbound).await;
        until(|| smsc.closed() == [CloseReason::Unbound]).await;
        server.stop().await;
    });
}

#[test]
fn the_server_unbinds_its_sessions_on_shutdown() {
    bounded(async {
        let server = Running::start(Smsc::default(), mc()).await;
        let (tx, mut tx_incoming) = connect(server.addr, esme(BindType::Transmitter)).await;
        let (rx, mut rx_incoming) = connect(server.addr, esme(BindType::Receiver)).await;
        until(|| server.handle.sessions().len() == 2).await;
        let smsc = server.stop().await;
        // Both ESMEs were unbound by the server; run() returned after both
        // sessions ended.
        assert_eq!(tx.closed().await, CloseReason::Unbound);
        assert_eq!(rx.closed().await, CloseReason::Unbound);
        assert!(tx_incoming.recv().await.is_none());
        assert!(rx_incoming.recv().await.is_none());
        assert_eq!(smsc.closed(), [CloseReason::Unbound, CloseReason::Unbound]);
        let err = tx.unbind().await.unwrap_err();
        assert_matches!(err, Error::Closed(CloseReason::Unbound));
    });
}

#[test]
fn a_bind_over_the_limit_is_refused_until_one_ends() {
    bounded(async {
        let smsc = Arc::new(Smsc::default());
        let server = Server::bind("127.0.0.1:0", mc(), Arc::clone(&smsc))
            .await
            .unwrap()
            .with_max_connections(1);
        assert_eq!(server.max_connections(), 1);
        let addr = server.local_addr().unwrap();
        let handle = server.handle();
        let task = tokio::spawn(server.run());
        let (first, _first_incoming) = connect(addr, esme(BindType::Transmitter)).await;
        // A second bind finds the one place taken: refused, counted.
        let refused = client::connect(addr, esme(BindType::Receiver)).await;
        server::assert_bind_refused(&refused, CommandStatus::ESME_RBINDFAIL);
        assert_eq!(handle.stats().binds_refused_full, 1);
        assert_eq!(handle.sessions().len(), 1);
        // Once the first ends, the place is free again.
        first.unbind().await.unwrap();
        until(|| handle.stats().bound == 0).await;
        let (second, _second_incoming) = connect(addr, esme(BindType::Receiver)).await;
        assert_eq!(second.bind_info().unwrap().bind_type, BindType::Receiver);
        until(|| handle.sessions().len() == 1).await;
        assert_eq!(smsc.bound.lock().unwrap().len(), 2);
        let stats = handle.stats();
        assert_eq!((stats.connections, stats.bound, stats.unbound), (3, 1, 0));
        handle.shutdown();
        task.await.unwrap();
        assert_eq!(second.closed().await, CloseReason::Unbound);
    });
}

#[test]
fn a_rate_limit_spaces_the_requests_of_every_clone() {
    bounded(async {
        let (server, esme, _incoming) = bound(Smsc::default(), esme(BindType::Transmitter)).await;
        assert_eq!(esme.max_rate(), None);
        esme.set_max_rate(Some(20));
        assert_eq!(esme.max_rate(), Some(20));
        // Ten requests at once from ten clones: one limit for all.
        let sends = spawn_each(&esme, submit, "r", 10);
        // enquire_link is not held back behind them.
        until(|| !server.smsc.arrivals.lock().unwrap().is_empty()).await;
        esme.enquire_link().await.unwrap();
        assert!(server.smsc.arrivals.lock().unwrap().len() < 10);
        for send in sends {
            assert!(send.await.unwrap().unwrap().is_ok());
        }
        let arrivals = server.smsc.arrivals.lock().unwrap().clone();
        assert_eq!(arrivals.len(), 10);
        // Nine intervals of 50 ms between the first and the last.
        let span = arrivals[9] - arrivals[0];
        assert!(span >= Duration::from_millis(400), "{span:?}");
        esme.set_max_rate(Some(0));
        assert_eq!(esme.max_rate(), None);
        unbind_and_stop(&esme, server).await;
    });
}

#[test]
fn requests_waiting_for_their_turn_fail_when_the_session_closes() {
    bounded(async {
        let (server, esme, _incoming) = bound(Smsc::default(), esme(BindType::Transmitter)).await;
        // One per second: the fifth would go out four seconds from now.
        esme.set_max_rate(Some(1));
        let sends = spawn_each(&esme, submit, "w", 5);
        until(|| server.smsc.received.load(Ordering::SeqCst) == 1).await;
        esme.close();
        let results = timeout(Duration::from_secs(2), async {
            let mut results = Vec::new();
            for send in sends {
                results.push(send.await.unwrap());
            }
            results
        })
        .await
        .expect("the waiting requests were told of the close");
        let closed = results
            .iter()
            .filter(|r| matches!(r, Err(Error::Closed(_))))
            .count();
        assert!(closed >= 4, "{results:?}");
        assert_eq!(server.smsc.received.load(Ordering::SeqCst), 1);
        server.stop().await;
    });
}

#[test]
fn dropping_every_handle_unbinds() {
    bounded(async {
        let (server, esme, incoming) = bound(Smsc::default(), esme(BindType::Transmitter)).await;
        let resp = esme.submit_sm(submit("d1")).await.unwrap();
        assert!(resp.is_ok());
        drop((esme, incoming));
        let smsc = Arc::clone(&server.smsc);
        until(|| smsc.closed() == [CloseReason::Unbound]).await;
        server.stop().await;
    });
}

// ------------------------------------------------------------ raw peers

/// The raw peer sends `pdu`; the next PDU it receives.
async fn exchange(framed: &mut Framed<TcpStream, PduCodec>, pdu: Pdu) -> Pdu {
    framed.send(pdu).await.unwrap();
    next(framed).await
}

/// A raw ESME connected to `addr`, not bound.
async fn raw_connection(addr: SocketAddr) -> Framed<TcpStream, PduCodec> {
    Framed::new(TcpStream::connect(addr).await.unwrap(), PduCodec::new())
}

/// The raw peer hangs up, then `server` stops (with nobody left to unbind).
async fn hang_up_and_stop(raw: Framed<TcpStream, PduCodec>, server: Running<Smsc>) {
    drop(raw);
    server.stop().await;
}

/// The test SMSC, and a raw ESME connected to it, not bound.
async fn smsc_and_raw_connection() -> (Running<Smsc>, Framed<TcpStream, PduCodec>) {
    let server = Running::start(Smsc::default(), mc()).await;
    let raw = raw_connection(server.addr).await;
    (server, raw)
}

/// Connects a raw ESME and binds it by hand.
async fn raw_esme(addr: SocketAddr, bind_type: BindType) -> Framed<TcpStream, PduCodec> {
    let mut framed = raw_connection(addr).await;
    let resp = exchange(&mut framed, bind(bind_type, 1)).await;
    assert_eq!(resp.command_id(), bind_type.command_id().response());
    assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
    framed
}

async fn write_raw(framed: &mut Framed<TcpStream, PduCodec>, octets: &[u8]) {
    SinkExt::<Pdu>::flush(framed).await.unwrap();
    framed.get_mut().write_all(octets).await.unwrap();
}

#[test]
fn malformed_pdus_from_a_raw_peer_are_answered_and_the_session_goes_on() {
    bounded(async {
        let server = Running::start(Smsc::default(), mc()).await;
        let mut raw = raw_esme(server.addr, BindType::Transmitter).await;

        let malformed = common::raw_pdu(CommandId::SUBMIT_SM, 5, &common::bad_source_addr_sm());
        write_raw(&mut raw, &malformed).await;
        let resp = next(&mut raw).await;
        assert_eq!(resp.command_id(), CommandId::SUBMIT_SM_RESP);
        assert_eq!(resp.command_status, CommandStatus::ESME_RINVSRCADR);
        assert_eq!(resp.sequence_number, 5);

        // An unknown command_id: generic_nack.
        write_raw(&mut raw, &common::raw_pdu(CommandId(0x0000_0123), 6, &[])).await;
        let nack = next(&mut raw).await;
        assert_eq!(nack.command_id(), CommandId::GENERIC_NACK);
        assert_eq!(nack.command_status, CommandStatus::ESME_RINVCMDID);
        assert_eq!(nack.sequence_number, 6);

        // The session carries on: a good submit_sm is answered.
        let mut good = submit("ok");
        good.sequence_number = 7;
        let resp = exchange(&mut raw, good).await;
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert_eq!(resp.sequence_number, 7);
        let Body::SubmitSmResp(Some(r)) = &resp.body else {
            panic!("{resp:?}")
        };
        assert_eq!(r.message_id.as_bytes(), b"id-ok");

        let errors = server.smsc.protocol_errors.lock().unwrap().clone();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let statuses: Vec<_> = errors
            .iter()
            .map(|e| match e {
                ProtocolError::Malformed(e) => e.command_status(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            statuses,
            [
                CommandStatus::ESME_RINVSRCADR,
                CommandStatus::ESME_RINVCMDID
            ]
        );
        hang_up_and_stop(raw, server).await;
    });
}

#[test]
fn submit_sm_before_bind_is_answered_esme_rinvbndsts() {
    bounded(async {
        let (server, mut raw) = smsc_and_raw_connection().await;
        let early = SubmitSmBuilder::new(3)
            .destination_addr("447700900123")
            .build()
            .unwrap();
        let resp = exchange(&mut raw, early).await;
        assert_eq!(resp.command_id(), CommandId::SUBMIT_SM_RESP);
        assert_eq!(resp.command_status, CommandStatus::ESME_RINVBNDSTS);
        assert_eq!(resp.sequence_number, 3);
        assert_eq!(server.smsc.received.load(Ordering::SeqCst), 0);
        // The connection stays usable: the bind goes through.
        let resp = exchange(&mut raw, bind(BindType::Transmitter, 4)).await;
        assert_eq!(resp.command_id(), CommandId::BIND_TRANSMITTER_RESP);
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        // A bind on a bound session: ESME_RALYBND.
        let resp = exchange(&mut raw, bind(BindType::Transmitter, 5)).await;
        assert_eq!(resp.command_status, CommandStatus::ESME_RALYBND);
        hang_up_and_stop(raw, server).await;
    });
}

#[test]
fn a_peer_that_is_not_smpp_gets_generic_nack_and_is_closed() {
    bounded(async {
        let (server, mut framed) = smsc_and_raw_connection().await;
        write_raw(&mut framed, b"GET / HTTP/1.1\r\n\r\n").await;
        let nack = next(&mut framed).await;
        assert_eq!(nack.command_id(), CommandId::GENERIC_NACK);
        assert_eq!(nack.command_status, CommandStatus::ESME_RINVCMDLEN);
        // Then the server closes the connection.
        let end = timeout(Duration::from_secs(5), framed.next())
            .await
            .unwrap();
        assert!(end.is_none());
        until(|| server.smsc.closed().len() == 1).await;
        assert_matches!(server.smsc.closed()[0], CloseReason::FramingError(_));
        server.stop().await;
    });
}

// ------------------------------------------------- the peer goes away

#[test]
fn the_mc_closing_mid_flight_fails_every_pending_request() {
    bounded(async {
        let config = esme(BindType::Transceiver);
        let (esme, mut incoming, mut framed) = client_of_raw_mc(config).await;
        let tasks = spawn_each(&esme, submit, "c", 20);
        // Answer the first, then vanish with the rest in flight.
        let first = next(&mut framed).await;
        let resp = SubmitSmRespBuilder::new(first.sequence_number)
            .message_id("only")
            .build()
            .unwrap();
        framed.send(resp).await.unwrap();
        for _ in 1..20 {
            assert_eq!(next(&mut framed).await.command_id(), CommandId::SUBMIT_SM);
        }
        drop(framed);
        let mut answered = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(resp) => {
                    assert_eq!(resp.message_id.to_string(), "only");
                    answered += 1;
                }
                // Written, so the MC may have it: outcome unknown, not
                // "closed before sending".
                Err(err) => assert!(
                    matches!(
                        err,
                        Error::OutcomeUnknown {
                            command_id: CommandId::SUBMIT_SM,
                            reason: CloseReason::Disconnected,
                            ..
                        }
                    ) && err.may_have_been_received(),
                    "{err:?}"
                ),
            }
        }
        assert_eq!(answered, 1);
        ended(&esme, &mut incoming, CloseReason::Disconnected).await;
    });
}

#[test]
fn the_esme_closing_mid_flight_fails_the_servers_deliver_sm() {
    bounded(async {
        let server = Running::start(Smsc::default(), mc()).await;
        let mut raw = raw_esme(server.addr, BindType::Receiver).await;
        let session = session_of_esme(&server).await;
        let pushes = spawn_each(&session, receipt_for, "p", 5);
        for _ in 0..5 {
            assert_eq!(next(&mut raw).await.command_id(), CommandId::DELIVER_SM);
        }
        drop(raw);
        for push in pushes {
            let err = push.await.unwrap().unwrap_err();
            assert_matches!(
                err,
                Error::OutcomeUnknown {
                    command_id: CommandId::DELIVER_SM,
                    reason: CloseReason::Disconnected,
                    ..
                }
            );
        }
        assert_eq!(session.closed().await, CloseReason::Disconnected);
        until(|| server.handle.sessions().is_empty()).await;
        server.stop().await;
    });
}

/// Signals each request it takes, and never answers.
struct Takes(std::sync::mpsc::Sender<()>);

impl Handler for Takes {
    async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
        let _ = self.0.send(());
        core::future::pending().await
    }
}

#[test]
fn a_request_written_when_the_esmes_runtime_stops_is_outcome_unknown() {
    // The MC in a runtime of its own, the ESME in another, which is shut
    // down (its session task dropped) while a request awaits its answer.
    let mc_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let esme_runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
    let (taken, arrived) = std::sync::mpsc::channel();
    mc_runtime.spawn(smpp_std::server::serve(
        mc_side,
        mc(),
        Arc::new(Takes(taken)),
    ));
    let (esme, written) = esme_runtime.block_on(async {
        let (esme, _incoming) = client::bind(esme_side, esme(BindType::Transmitter))
            .await
            .unwrap();
        let written = esme.queue(submit("written")).await.unwrap();
        // The session writes while this runtime runs: until the MC has it.
        let took = async {
            while arrived.try_recv().is_err() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        };
        timeout(Duration::from_secs(5), took)
            .await
            .expect("the MC took the request");
        (esme, written)
    });
    drop(esme_runtime);
    let outcome = mc_runtime.block_on(async { timeout(Duration::from_secs(5), written).await });
    let error = outcome.expect("an answer, not a hang").unwrap_err();
    assert_matches!(
        error,
        Error::OutcomeUnknown {
            command_id: CommandId::SUBMIT_SM,
            ..
        }
    );
    assert!(error.may_have_been_received());
    assert!(esme.is_closed());
}
