//! The blocking ESME (`smpp_std::blocking`) against hand-written MCs on
//! loopback (raw PDUs, every step checked) and, with feature `tokio`,
//! against the crate's own SMSC running on another thread.

mod common;

use core::net::SocketAddr;
use core::time::Duration;
use std::collections::BTreeSet;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use bytes::Bytes;
use common::assert_matches;
use smpp_core::session::{BindType, CloseReason, Config, Timers};
use smpp_core::{Body, CommandId, CommandStatus};
use smpp_std::blocking::{Answer, Client, Error, Request, SmResponse, WithSocket};
use smpp_std::{BindResp, COctet, Pdu, SmppReader, SmppWriter, SubmitSmBuilder, SubmitSmResp};

/// Runs `test` on a thread of its own and fails if it takes longer than
/// `limit`.
fn bounded<T: Send + 'static>(limit: Duration, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    let handle = thread::spawn(move || {
        let value = test();
        let _ = done.send(());
        value
    });
    match finished.recv_timeout(limit) {
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test took longer than {limit:?}"),
    }
}

/// Timers that stay out of the way: no `enquire_link`, the given
/// `response_timer`.
fn quiet(response_timer: Duration) -> Timers {
    Timers {
        enquire_link_timer: None,
        response_timer,
        ..Timers::DEFAULT
    }
}

fn esme(bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id("esme")
        .and_then(|c| c.with_password("secret"))
        .expect("valid credentials")
        .with_timers(quiet(Duration::from_secs(5)))
}

fn listen() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let addr = listener.local_addr().expect("its address");
    (listener, addr)
}

fn submit(text: &str) -> Pdu {
    SubmitSmBuilder::new(0)
        .source_addr("INFO")
        .destination_addr("447700900123")
        .short_message(text.to_owned())
        .build()
        .expect("a valid submit_sm")
}

fn deliver_sm(sequence_number: u32, text: &str) -> Pdu {
    SubmitSmBuilder::deliver_sm(sequence_number)
        .source_addr("447700900123")
        .destination_addr("INFO")
        .short_message(text.to_owned())
        .build()
        .expect("a valid deliver_sm")
}

/// A response without body (`unbind_resp`, `enquire_link_resp`).
fn empty_response(sequence_number: u32, command_id: CommandId) -> Pdu {
    smpp_std::reply_pdu(&smpp_core::Reply {
        command_id,
        command_status: CommandStatus::ESME_ROK,
        sequence_number,
    })
}

fn short_message(pdu: &Pdu) -> Bytes {
    match &pdu.body {
        Body::SubmitSm(sm) => sm.short_message.clone(),
        other => panic!("not a submit_sm: {other:?}"),
    }
}

fn message_id(response: &Pdu) -> Bytes {
    match &response.body {
        Body::SubmitSmResp(Some(r)) => r.message_id.as_bytes().to_vec().into(),
        other => panic!("not a submit_sm_resp with a body: {other:?}"),
    }
}

/// An MC on a loopback listener, on a thread of its own: accepts one ESME
/// and its bind, then plays `script`; and the client of `config` bound to
/// it.
fn bound_mc<T: Send + 'static>(
    config: Config,
    script: impl FnOnce(&mut RawMc) -> T + Send + 'static,
) -> (Client, thread::JoinHandle<T>) {
    let (addr, mc) = answering_mc(CommandStatus::ESME_ROK, script);
    (Client::connect(addr, config).expect("bound"), mc)
}

/// The MC of [`bound_mc`] alone, answering the bind with `status`.
fn answering_mc<T: Send + 'static>(
    status: CommandStatus,
    script: impl FnOnce(&mut RawMc) -> T + Send + 'static,
) -> (SocketAddr, thread::JoinHandle<T>) {
    mc_thread(move |listener| {
        let (mut mc, _) = RawMc::accept_bound(&listener, status);
        script(&mut mc)
    })
}

/// A loopback listener, and `mc` playing the MC on it on a thread of its
/// own.
fn mc_thread<T: Send + 'static>(
    mc: impl FnOnce(TcpListener) -> T + Send + 'static,
) -> (SocketAddr, thread::JoinHandle<T>) {
    let (listener, addr) = listen();
    (addr, thread::spawn(move || mc(listener)))
}

/// The next request of the MC, which the test expects within five seconds.
fn take(client: &mut Client) -> Request {
    let request = client.recv(Duration::from_secs(5)).expect("open");
    request.expect("a request")
}

/// An MC written by hand: reads and writes PDUs, and answers only what the
/// test tells it to.
struct RawMc {
    reader: SmppReader<TcpStream>,
    writer: SmppWriter<TcpStream>,
}

impl RawMc {
    /// Patience for a PDU the test expects.
    const PATIENCE: Duration = Duration::from_secs(10);

    fn accept(listener: &TcpListener) -> Self {
        let (socket, _) = listener.accept().expect("the ESME connects");
        Self::over(socket)
    }

    /// Connects to an ESME that waits for `outbind` at `addr`.
    fn connect(addr: SocketAddr) -> Self {
        Self::over(TcpStream::connect(addr).expect("the ESME listens"))
    }

    fn over(socket: TcpStream) -> Self {
        socket.set_nodelay(true).expect("nodelay");
        socket
            .set_read_timeout(Some(Self::PATIENCE))
            .expect("a read timeout");
        Self {
            reader: SmppReader::new(socket.try_clone().expect("a second handle")),
            writer: SmppWriter::new(socket),
        }
    }

    /// Accepts the connection and answers the bind with `status`; returns
    /// the bind.
    fn accept_bound(listener: &TcpListener, status: CommandStatus) -> (Self, Pdu) {
        let mut mc = Self::accept(listener);
        let bind = mc.next().expect("a bind");
        mc.answer_bind(&bind, status);
        (mc, bind)
    }

    /// Answers `bind` with `status`.
    fn answer_bind(&mut self, bind: &Pdu, status: CommandStatus) {
        let resp = (status == CommandStatus::ESME_ROK).then(|| BindResp {
            system_id: COctet::new(Bytes::from_static(b"SMSC")),
            ..BindResp::default()
        });
        let body = match bind.command_id() {
            CommandId::BIND_TRANSMITTER => Body::BindTransmitterResp(resp),
            CommandId::BIND_RECEIVER => Body::BindReceiverResp(resp),
            CommandId::BIND_TRANSCEIVER => Body::BindTransceiverResp(resp),
            other => panic!("{other} is not a bind"),
        };
        self.send(&Pdu::new(bind.sequence_number, body).with_status(status));
    }

    /// The next PDU; `None` at the end of the stream.
    fn next(&mut self) -> Option<Pdu> {
        let frame = self.reader.read_frame().expect("a frame in time")?;
        Some(frame.to_pdu().expect("a PDU that decodes"))
    }

    /// The next PDU if one comes within `timeout`.
    fn next_within(&mut self, timeout: Duration) -> Option<Pdu> {
        let set = |reader: &SmppReader<TcpStream>, t| {
            reader
                .get_ref()
                .set_read_timeout(Some(t))
                .expect("a timeout");
        };
        set(&self.reader, timeout);
        let frame = self.reader.read_frame();
        set(&self.reader, Self::PATIENCE);
        match frame {
            Ok(frame) => frame.map(|f| f.to_pdu().expect("a PDU that decodes")),
            Err(smpp_std::StreamError::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(e) => panic!("reading failed: {e}"),
        }
    }

    fn send(&mut self, pdu: &Pdu) {
        self.writer.send(pdu).expect("the ESME reads");
    }

    /// Answers a `submit_sm` with its text as the `message_id`.
    fn answer_submit(&mut self, request: &Pdu) {
        let resp = SubmitSmResp {
            message_id: COctet::new(short_message(request)),
            ..SubmitSmResp::default()
        };
        self.send(&Pdu::new(
            request.sequence_number,
            Body::SubmitSmResp(Some(resp)),
        ));
    }

    /// Expects `unbind` and answers it.
    fn answer_unbind(&mut self) {
        let unbind = self.next().expect("unbind");
        assert_eq!(
            unbind.command_id(),
            CommandId::UNBIND,
            "nothing else was sent"
        );
        self.send(&empty_response(
            unbind.sequence_number,
            CommandId::UNBIND_RESP,
        ));
    }
}

// -------------------------------------------------------------------
// Binding

#[test]
fn a_bind_the_mc_accepts_gives_a_bound_client() {
    bounded(Duration::from_secs(20), || {
        let (addr, mc) = mc_thread(|listener| {
            let (mut mc, bind) = RawMc::accept_bound(&listener, CommandStatus::ESME_ROK);
            mc.answer_unbind();
            (bind, mc.next())
        });
        let mut client = Client::connect(addr, esme(BindType::Transceiver)).expect("bound");
        assert_eq!(client.bind_type(), Some(BindType::Transceiver));
        assert_eq!(client.system_id().as_bytes(), b"SMSC");
        let info = client.bind_info().expect("bound");
        assert_eq!(info.bind_type, BindType::Transceiver);
        assert_eq!(info.system_id.as_bytes(), b"SMSC");
        assert_eq!(info.interface_version, smpp_core::InterfaceVersion::V34);
        client.unbind().expect("unbound");
        // How it was bound, still.
        assert_eq!(client.bind_info(), Some(info));
        assert_eq!(client.close_reason(), Some(CloseReason::Unbound));

        let (bind, after) = mc.join().expect("the MC");
        let Body::BindTransceiver(bind) = bind.body else {
            panic!("not a bind_transceiver: {bind:?}")
        };
        assert_eq!(bind.system_id.as_bytes(), b"esme");
        assert_eq!(bind.password.as_bytes(), b"secret");
        assert!(after.is_none(), "the connection ends after the unbind");
    });
}

#[test]
fn an_outbind_accepted_is_answered_with_the_bind_and_one_refused_or_missing_binds_nothing() {
    bounded(Duration::from_secs(20), || {
        let (listener, addr) = listen();
        let outbind = |password: &str| {
            smpp_std::OutbindBuilder::new(1)
                .system_id("SMSC")
                .password(password)
                .build()
                .expect("a valid outbind")
        };
        let checked = |o: &smpp_std::Outbind| {
            o.system_id.as_bytes() == b"SMSC" && o.password.as_bytes() == b"pw"
        };
        // The MC asks; the ESME binds as it is configured to.
        let asked = outbind("pw");
        let mc = thread::spawn(move || {
            let mut mc = RawMc::connect(addr);
            mc.send(&asked);
            let bind = mc.next().expect("the bind");
            mc.answer_bind(&bind, CommandStatus::ESME_ROK);
            mc.answer_unbind();
            bind.command_id()
        });
        let (stream, _) = listener.accept().expect("the MC connects");
        let mut client =
            Client::accept_outbind(stream, esme(BindType::Receiver), checked).expect("bound");
        assert_eq!(client.bind_type(), Some(BindType::Receiver));
        client.unbind().expect("unbound");
        assert_eq!(mc.join().expect("the MC"), CommandId::BIND_RECEIVER);

        // A wrong password: no bind, the connection closed.
        let asked = outbind("guess");
        let mc = thread::spawn(move || {
            let mut mc = RawMc::connect(addr);
            mc.send(&asked);
            mc.next()
        });
        let (stream, _) = listener.accept().expect("the MC connects");
        let error = Client::accept_outbind(stream, esme(BindType::Receiver), checked).unwrap_err();
        assert_matches!(error, Error::Closed(CloseReason::Local));
        assert!(mc.join().expect("the MC").is_none(), "nothing sent");

        // No outbind: the session init timer ends the wait.
        let mc = thread::spawn(move || RawMc::connect(addr).next());
        let (stream, _) = listener.accept().expect("the MC connects");
        let waiting = esme(BindType::Receiver).with_timers(Timers {
            session_init_timer: Some(Duration::from_millis(300)),
            ..quiet(Duration::from_secs(5))
        });
        let error = Client::accept_outbind(stream, waiting, checked).unwrap_err();
        assert_matches!(error, Error::Closed(CloseReason::SessionInitTimeout));
        assert!(mc.join().expect("the MC").is_none(), "nothing sent");
    });
}

#[test]
fn a_refused_bind_is_an_error_with_the_mcs_status() {
    bounded(Duration::from_secs(20), || {
        let (addr, mc) = answering_mc(CommandStatus::ESME_RINVPASWD, RawMc::next);
        let error = Client::connect(addr, esme(BindType::Transmitter)).unwrap_err();
        assert_matches!(error, Error::BindRefused(CommandStatus::ESME_RINVPASWD));
        assert_eq!(error.command_status(), Some(CommandStatus::ESME_RINVPASWD));
        assert!(
            mc.join().expect("the MC").is_none(),
            "the connection is closed"
        );
    });
}

#[test]
fn a_bind_without_answer_fails_after_the_response_timer() {
    bounded(Duration::from_secs(20), || {
        let (addr, mc) = mc_thread(|listener| {
            let mut mc = RawMc::accept(&listener);
            let bind = mc.next().expect("a bind");
            (bind, mc.next())
        });
        let config = esme(BindType::Receiver).with_timers(quiet(Duration::from_millis(300)));
        let started = Instant::now();
        let error = Client::connect(addr, config).unwrap_err();
        let waited = started.elapsed();
        let (bind, after) = mc.join().expect("the MC");
        let Error::Closed(CloseReason::ResponseTimeout {
            command_id,
            sequence_number,
        }) = error
        else {
            panic!("{error:?}")
        };
        assert_eq!(command_id, CommandId::BIND_RECEIVER);
        assert_eq!(sequence_number, bind.sequence_number);
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        assert!(after.is_none(), "the connection is closed");
    });
}

#[test]
fn connecting_to_nothing_and_binding_as_an_mc_are_refused() {
    bounded(Duration::from_secs(20), || {
        let (listener, addr) = listen();
        drop(listener);
        let error =
            Client::connect_timeout(addr, esme(BindType::Transmitter), Duration::from_secs(2))
                .unwrap_err();
        assert_matches!(error, Error::Io(_));

        let (listener, addr) = listen();
        let stream = TcpStream::connect(addr).expect("connected");
        let (_socket, _) = listener.accept().expect("accepted");
        let error = Client::bind(stream, Config::mc()).unwrap_err();
        assert_matches!(
            error,
            Error::Refused(smpp_core::session::SessionError::WrongRole(_))
        );
    });
}

// -------------------------------------------------------------------
// Sending

#[test]
fn pipelining_keeps_the_window_full_and_matches_responses_out_of_order() {
    const N: usize = 200;
    bounded(Duration::from_secs(60), || {
        let config = esme(BindType::Transmitter).with_window(10);
        let (mut client, mc) = bound_mc(config, move |mc| {
            let mut unanswered: Vec<Pdu> = Vec::new();
            let (mut answered, mut most, mut refilled) = (0, 0, 0);
            let mut hold_oldest = true;
            while answered < N {
                // Take requests until ten await their answer, or none comes.
                while unanswered.len() < 10 {
                    match mc.next_within(Duration::from_millis(300)) {
                        Some(pdu) => unanswered.push(pdu),
                        None => break,
                    }
                }
                most = most.max(unanswered.len());
                // The oldest held last round, and the window full again.
                if !hold_oldest && unanswered.len() == 10 {
                    refilled += 1;
                }
                // Newest first; every other round the oldest waits.
                let keep = usize::from(hold_oldest && unanswered.len() == 10);
                for request in unanswered.drain(keep..).rev().collect::<Vec<_>>() {
                    mc.answer_submit(&request);
                    answered += 1;
                }
                hold_oldest = !hold_oldest;
            }
            mc.answer_unbind();
            (most, refilled)
        });
        let texts: Vec<String> = (0..N).map(|n| format!("message {n}")).collect();
        let responses: Vec<_> = client
            .submit_many(texts.iter().map(|t| submit(t)))
            .collect();
        assert_eq!(responses.len(), N);
        for (text, response) in texts.iter().zip(responses) {
            let response = response.expect("answered");
            assert_eq!(response.command_status, CommandStatus::ESME_ROK);
            assert_eq!(response.message_id.as_bytes(), text.as_bytes());
        }
        client.unbind().expect("unbound");
        let (most, refilled) = mc.join().expect("the MC");
        assert_eq!(most, 10, "the window is kept full and never exceeded");
        assert!(
            refilled >= 5,
            "slots freed while the oldest waits are used at once ({refilled} times)"
        );
    });
}

#[test]
fn queue_and_wait_give_outcomes_oldest_first_and_stop_at_the_window() {
    bounded(Duration::from_secs(20), || {
        let config = esme(BindType::Transmitter).with_window(3);
        let (mut client, mc) = bound_mc(config, move |mc| {
            let requests: Vec<Pdu> = (0..3).map(|_| mc.next().expect("a submit_sm")).collect();
            for request in requests.iter().rev() {
                mc.answer_submit(request);
            }
            mc.answer_unbind();
            requests
        });
        let sequence_numbers: Vec<u32> = ["a", "b", "c"]
            .iter()
            .map(|t| client.queue(submit(t)).expect("queued"))
            .collect();
        assert_eq!(client.queued(), 3);
        let error = client.queue(submit("d")).unwrap_err();
        assert_matches!(
            error,
            Error::Refused(smpp_core::session::SessionError::WindowFull)
        );
        for (text, sequence_number) in ["a", "b", "c"].iter().zip(&sequence_numbers) {
            let response = client.wait().expect("queued").expect("answered");
            assert_eq!(response.sequence_number, *sequence_number);
            assert_eq!(message_id(&response), text.as_bytes());
        }
        assert!(client.wait().is_none());
        client.unbind().expect("unbound");
        let requests = mc.join().expect("the MC");
        let seen: Vec<u32> = requests.iter().map(|r| r.sequence_number).collect();
        assert_eq!(seen, sequence_numbers, "d was never sent");
    });
}

#[test]
fn a_peer_that_stops_answering_gives_a_timeout_that_may_have_been_received() {
    bounded(Duration::from_secs(20), || {
        let config = esme(BindType::Transmitter).with_timers(quiet(Duration::from_millis(300)));
        let (mut client, mc) = bound_mc(config, move |mc| {
            let ignored = mc.next().expect("a submit_sm");
            let second = mc.next().expect("another submit_sm");
            // The late response of the first is not taken for the second's.
            mc.answer_submit(&ignored);
            mc.answer_submit(&second);
            mc.answer_unbind();
            ignored.sequence_number
        });
        let started = Instant::now();
        let error = client.submit_sm(submit("lost")).unwrap_err();
        let waited = started.elapsed();
        assert!(error.may_have_been_received(), "{error:?}");
        let Error::Timeout {
            command_id,
            sequence_number,
        } = error
        else {
            panic!("{error:?}")
        };
        assert_eq!(command_id, CommandId::SUBMIT_SM);
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        assert!(waited < Duration::from_secs(3), "{waited:?}");
        assert!(
            !client.is_closed(),
            "a request timing out leaves the session"
        );

        let response = client.submit_sm(submit("kept")).expect("answered");
        assert_eq!(response.message_id.as_bytes(), b"kept");
        client.unbind().expect("unbound");
        assert_eq!(mc.join().expect("the MC"), sequence_number);
    });
}

#[test]
fn a_peer_that_drops_the_connection_mid_window_leaves_no_outcome_unknown_to_the_caller() {
    bounded(Duration::from_secs(20), || {
        let config = esme(BindType::Transmitter).with_window(10);
        let (mut client, mc) = bound_mc(config, move |mc| {
            let requests: Vec<Pdu> = (0..10).map(|_| mc.next().expect("a submit_sm")).collect();
            for request in &requests[..3] {
                mc.answer_submit(request);
            }
            // Gone, with seven requests read and unanswered.
            requests
        });
        let outcomes: Vec<_> = client
            .send_many((0..10).map(|n| submit(&n.to_string())))
            .collect();
        let requests = mc.join().expect("the MC");
        assert_eq!(outcomes.len(), 10);
        for (n, (outcome, request)) in outcomes.iter().zip(&requests).enumerate() {
            if n < 3 {
                let response = outcome.as_ref().expect("answered");
                assert_eq!(message_id(response), n.to_string().as_bytes());
                continue;
            }
            // The MC read it: it may act on it, so it is never reported as
            // safe to send again.
            match outcome {
                Err(Error::OutcomeUnknown {
                    command_id,
                    sequence_number,
                    reason,
                }) => {
                    assert_eq!(*command_id, CommandId::SUBMIT_SM);
                    assert_eq!(*sequence_number, request.sequence_number);
                    assert_eq!(*reason, CloseReason::Disconnected);
                }
                other => panic!("request {n}: {other:?}"),
            }
        }
        assert!(client.is_closed());
        let error = client.submit_sm(submit("after")).unwrap_err();
        assert_matches!(error, Error::Closed(CloseReason::Disconnected));
        assert!(!error.may_have_been_received());
    });
}

#[test]
fn requests_without_response_forbidden_or_of_another_command_are_refused_before_sending() {
    bounded(Duration::from_secs(20), || {
        // Nothing else is sent: the MC's next PDU is the unbind.
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), RawMc::answer_unbind);
        let alert = smpp_std::AlertNotification::default();
        let error = client.send(Body::AlertNotification(alert)).unwrap_err();
        assert_matches!(error, Error::NoResponse(CommandId::ALERT_NOTIFICATION));
        // A receiver may not submit.
        let error = client.submit_sm(submit("no")).unwrap_err();
        assert_eq!(error.command_status(), Some(CommandStatus::ESME_RINVBNDSTS));
        // A typed call checks what it is given.
        let data_sm = smpp_std::DataSmBuilder::new(0)
            .destination_addr("447700900123")
            .build()
            .expect("a valid data_sm");
        let error = client.submit_sm(data_sm.clone()).unwrap_err();
        assert_matches!(
            error,
            Error::UnexpectedCommand {
                expected: CommandId::SUBMIT_SM,
                found: CommandId::DATA_SM
            }
        );
        let outcomes: Vec<_> = client.submit_many([data_sm]).collect();
        assert_matches!(outcomes[..], [Err(Error::UnexpectedCommand { .. })]);
        client.unbind().expect("unbound");
        mc.join().expect("the MC");
    });
}

// -------------------------------------------------------------------
// Receiving

#[test]
fn enquire_link_is_answered_while_the_client_waits_in_recv() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), move |mc| {
            let sent = Instant::now();
            mc.send(&Pdu::new(77, Body::EnquireLink));
            let resp = mc.next().expect("enquire_link_resp");
            let took = sent.elapsed();
            mc.answer_unbind();
            (resp, took)
        });
        let started = Instant::now();
        assert!(client.recv(Duration::from_secs(1)).expect("open").is_none());
        assert!(started.elapsed() >= Duration::from_secs(1));
        client.unbind().expect("unbound");
        let (resp, took) = mc.join().expect("the MC");
        assert_eq!(resp.command_id(), CommandId::ENQUIRE_LINK_RESP);
        assert_eq!(resp.sequence_number, 77);
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert!(
            took < Duration::from_millis(500),
            "answered at once: {took:?}"
        );
    });
}

#[test]
fn an_idle_client_sends_enquire_link_from_recv() {
    bounded(Duration::from_secs(20), || {
        let config = esme(BindType::Receiver).with_timers(Timers {
            enquire_link_timer: Some(Duration::from_millis(200)),
            ..quiet(Duration::from_secs(2))
        });
        let (mut client, mc) = bound_mc(config, move |mc| {
            let mut links = 0;
            loop {
                let pdu = mc.next().expect("a PDU");
                match pdu.command_id() {
                    CommandId::ENQUIRE_LINK => {
                        links += 1;
                        mc.send(&empty_response(
                            pdu.sequence_number,
                            CommandId::ENQUIRE_LINK_RESP,
                        ));
                    }
                    CommandId::UNBIND => {
                        mc.send(&empty_response(pdu.sequence_number, CommandId::UNBIND_RESP));
                        return links;
                    }
                    other => panic!("unexpected {other}"),
                }
            }
        });
        assert!(
            client
                .recv(Duration::from_millis(900))
                .expect("open")
                .is_none()
        );
        client.unbind().expect("unbound");
        let links = mc.join().expect("the MC");
        assert!((2..=5).contains(&links), "{links} enquire_links in 900 ms");
    });
}

#[test]
fn requests_are_kept_until_taken_and_answered_ok_once_dropped() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), move |mc| {
            mc.send(&deliver_sm(10, "first"));
            mc.send(&deliver_sm(11, "second"));
            let answers: Vec<Pdu> = (0..2).map(|_| mc.next().expect("an answer")).collect();
            mc.answer_unbind();
            answers
        });
        let first = take(&mut client);
        let second = take(&mut client);
        assert_eq!(first.command_id(), CommandId::DELIVER_SM);
        assert!(first.needs_answer());
        let Body::DeliverSm(sm) = &second.pdu().body else {
            panic!("not a deliver_sm")
        };
        assert_eq!(sm.short_message, "second");
        second.respond(Answer::Status(CommandStatus::ESME_RX_P_APPN));
        drop(first);
        client.flush().expect("open");
        client.unbind().expect("unbound");
        let answers = mc.join().expect("the MC");
        let by_sequence: Vec<(u32, CommandId, CommandStatus)> = answers
            .iter()
            .map(|a| (a.sequence_number, a.command_id(), a.command_status))
            .collect();
        assert_eq!(
            by_sequence,
            [
                (
                    11,
                    CommandId::DELIVER_SM_RESP,
                    CommandStatus::ESME_RX_P_APPN
                ),
                (10, CommandId::DELIVER_SM_RESP, CommandStatus::ESME_ROK),
            ]
        );
    });
}

#[test]
fn a_request_answered_on_another_thread_goes_out_while_the_client_waits() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), move |mc| {
            mc.send(&deliver_sm(5, "work"));
            let answer = mc.next().expect("an answer");
            // Only once the answer came: the client's wait can end on this.
            mc.send(&deliver_sm(6, "after"));
            let second = mc.next().expect("an answer");
            mc.answer_unbind();
            (answer, second)
        });
        let request = take(&mut client);
        let worker = thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            request.respond(Answer::Ok);
        });
        // Waiting for the next request: the answer leaves during the wait,
        // or the MC never sends the next one and the wait times out.
        let next = client
            .recv(Duration::from_secs(10))
            .expect("open")
            .expect("the request the MC sends after the answer");
        assert_eq!(next.pdu().sequence_number, 6);
        drop(next);
        worker.join().expect("the worker");
        client.unbind().expect("unbound");
        let (answer, second) = mc.join().expect("the MC");
        assert_eq!(answer.sequence_number, 5);
        assert_eq!(answer.command_status, CommandStatus::ESME_ROK);
        assert_eq!(second.sequence_number, 6);
    });
}

#[test]
fn beyond_the_inbound_window_the_client_stops_reading_and_acknowledges_only_what_it_took() {
    const SENT: u32 = 50;
    bounded(Duration::from_secs(30), || {
        let (checked, check_done) = mpsc::channel();
        let config = esme(BindType::Receiver).with_inbound_window(10);
        let (mut client, mc) = bound_mc(config, move |mc| {
            for n in 1..=SENT {
                mc.send(&deliver_sm(n, &n.to_string()));
            }
            // Nothing is answered while the application takes nothing.
            let early = mc.next_within(Duration::from_millis(500));
            checked.send(early.is_none()).expect("the test waits");
            let answers: Vec<Pdu> = (0..SENT).map(|_| mc.next().expect("an answer")).collect();
            mc.answer_unbind();
            answers
        });
        let quiet_while_untaken = loop {
            client.run_for(Duration::from_millis(50)).expect("open");
            if let Ok(quiet) = check_done.try_recv() {
                break quiet;
            }
        };
        assert!(
            quiet_while_untaken,
            "a request was answered before it was taken"
        );
        assert_eq!(
            client.received(),
            10,
            "the inbound window, and no more, was read"
        );

        let mut texts = Vec::new();
        while texts.len() < SENT as usize {
            let request = take(&mut client);
            let Body::DeliverSm(sm) = &request.pdu().body else {
                panic!("not a deliver_sm")
            };
            texts.push(String::from_utf8(sm.short_message.to_vec()).expect("text"));
            assert!(client.received() <= 10);
        } // each request dropped: ESME_ROK
        let expected: Vec<String> = (1..=SENT).map(|n| n.to_string()).collect();
        assert_eq!(texts, expected, "in order, none lost");
        client.unbind().expect("unbound");

        let answers = mc.join().expect("the MC");
        let sequence_numbers: BTreeSet<u32> = answers.iter().map(|a| a.sequence_number).collect();
        assert_eq!(sequence_numbers, (1..=SENT).collect());
        for answer in answers {
            assert_eq!(answer.command_id(), CommandId::DELIVER_SM_RESP);
            assert_eq!(answer.command_status, CommandStatus::ESME_ROK);
        }
    });
}

#[test]
fn a_handler_answers_the_mcs_requests_while_the_client_sends() {
    const N: usize = 100;
    bounded(Duration::from_secs(30), || {
        // A small inbound window that the receipts fill many times over
        // while the client only sends: without the handler, reading would
        // stop.
        let config = esme(BindType::Transceiver)
            .with_window(10)
            .with_inbound_window(4);
        let (mut client, mc) = bound_mc(config, move |mc| {
            let (mut answered, mut acknowledged, mut deliver_seq) = (0, 0, 1000);
            while answered < N || acknowledged < N {
                let pdu = mc.next().expect("a PDU");
                match pdu.command_id() {
                    CommandId::SUBMIT_SM => {
                        mc.answer_submit(&pdu);
                        answered += 1;
                        deliver_seq += 1;
                        mc.send(&deliver_sm(deliver_seq, "receipt"));
                    }
                    CommandId::DELIVER_SM_RESP => {
                        assert_eq!(pdu.command_status, CommandStatus::ESME_ROK);
                        acknowledged += 1;
                    }
                    other => panic!("unexpected {other}"),
                }
            }
            mc.answer_unbind();
        });
        let (seen, receipts) = mpsc::channel();
        client.on_request(move |request| {
            let _ = seen.send(request.command_id());
        });
        let ok = client
            .submit_many((0..N).map(|n| submit(&n.to_string())))
            .filter(|r| r.as_ref().is_ok_and(SmResponse::is_ok))
            .count();
        assert_eq!(ok, N);
        // The last receipts may still be on their way.
        let mut handled = 0;
        while handled < N {
            client.run_for(Duration::from_millis(20)).expect("open");
            handled += receipts.try_iter().count();
        }
        assert_eq!(client.received(), 0, "nothing waits in the queue");
        client.unbind().expect("unbound");
        mc.join().expect("the MC");
        assert_eq!(handled + receipts.try_iter().count(), N);
    });
}

#[test]
fn unbinding_answers_untaken_requests_esme_rx_t_appn() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), move |mc| {
            for n in 1..=3 {
                mc.send(&deliver_sm(n, "mo"));
            }
            let mut answers: Vec<(u32, CommandStatus)> = Vec::new();
            loop {
                let pdu = mc.next().expect("a PDU");
                if pdu.command_id() == CommandId::UNBIND {
                    mc.send(&empty_response(pdu.sequence_number, CommandId::UNBIND_RESP));
                    break;
                }
                assert_eq!(pdu.command_id(), CommandId::DELIVER_SM_RESP);
                answers.push((pdu.sequence_number, pdu.command_status));
            }
            answers.sort_unstable();
            answers
        });
        let taken = take(&mut client);
        // Wait for the other two to be read, untaken.
        let until = Instant::now() + Duration::from_secs(5);
        while client.received() < 2 && Instant::now() < until {
            client.run_for(Duration::from_millis(20)).expect("open");
        }
        drop(taken);
        client.unbind().expect("unbound");
        assert_eq!(
            mc.join().expect("the MC"),
            [
                (1, CommandStatus::ESME_ROK),
                (2, CommandStatus::ESME_RX_T_APPN),
                (3, CommandStatus::ESME_RX_T_APPN),
            ]
        );
    });
}

// -------------------------------------------------------------------
// Ending

#[test]
fn unbind_waits_for_the_outstanding_requests_first() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Transmitter), move |mc| {
            let requests: Vec<Pdu> = (0..3).map(|_| mc.next().expect("a submit_sm")).collect();
            // No unbind while they are outstanding.
            let early = mc.next_within(Duration::from_millis(300));
            for request in &requests {
                mc.answer_submit(request);
            }
            mc.answer_unbind();
            let after = mc.next();
            (early, after)
        });
        for text in ["x", "y", "z"] {
            client.queue(submit(text)).expect("queued");
        }
        client.unbind().expect("unbound");
        for text in ["x", "y", "z"] {
            let response = client.wait().expect("queued").expect("answered");
            assert_eq!(message_id(&response), text.as_bytes());
        }
        let error = client.submit_sm(submit("late")).unwrap_err();
        assert_matches!(error, Error::Closed(CloseReason::Unbound));
        let (early, after) = mc.join().expect("the MC");
        assert!(early.is_none(), "unbind came early: {early:?}");
        assert!(after.is_none(), "the connection ends after the unbind");
    });
}

#[test]
fn dropping_a_bound_client_unbinds_and_close_does_not() {
    bounded(Duration::from_secs(20), || {
        let (addr, mc) = mc_thread(|listener| {
            let (mut dropped, _) = RawMc::accept_bound(&listener, CommandStatus::ESME_ROK);
            dropped.answer_unbind();
            let after_drop = dropped.next();
            let (mut closed, _) = RawMc::accept_bound(&listener, CommandStatus::ESME_ROK);
            let after_close = closed.next();
            (after_drop, after_close)
        });
        let client = Client::connect(addr, esme(BindType::Transmitter)).expect("bound");
        drop(client);
        let mut client = Client::connect(addr, esme(BindType::Transmitter)).expect("bound");
        client.close();
        assert_eq!(client.close_reason(), Some(CloseReason::Local));
        let (after_drop, after_close) = mc.join().expect("the MC");
        assert!(after_drop.is_none());
        assert!(
            after_close.is_none(),
            "close sends nothing: {after_close:?}"
        );
    });
}

#[test]
fn the_mc_unbinding_ends_the_session_as_unbound() {
    bounded(Duration::from_secs(20), || {
        let (mut client, mc) = bound_mc(esme(BindType::Receiver), move |mc| {
            mc.send(&Pdu::new(9, Body::Unbind));
            mc.next().expect("unbind_resp")
        });
        let error = client.recv(Duration::from_secs(5)).unwrap_err();
        assert_matches!(error, Error::Closed(CloseReason::Unbound));
        let resp = mc.join().expect("the MC");
        assert_eq!(resp.command_id(), CommandId::UNBIND_RESP);
        assert_eq!(resp.sequence_number, 9);
        // Unbinding again reports the unbind that happened.
        client.unbind().expect("already unbound");
    });
}

#[test]
fn a_stream_layered_over_a_socket_runs_the_session() {
    bounded(Duration::from_secs(20), || {
        /// A layer that counts the octets it carries, as a TLS stream
        /// would encrypt them.
        struct Counting {
            inner: TcpStream,
            written: usize,
        }
        impl std::io::Read for Counting {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.inner.read(buf)
            }
        }
        impl std::io::Write for Counting {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let n = self.inner.write(buf)?;
                self.written += n;
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.inner.flush()
            }
        }

        let (addr, mc) = answering_mc(CommandStatus::ESME_ROK, move |mc| {
            let request = mc.next().expect("a submit_sm");
            mc.answer_submit(&request);
            mc.answer_unbind();
        });
        let tcp = TcpStream::connect(addr).expect("connected");
        let socket = tcp.try_clone().expect("a second handle");
        let layered = WithSocket::new(
            Counting {
                inner: tcp,
                written: 0,
            },
            socket,
        );
        let mut client = Client::bind(layered, esme(BindType::Transmitter)).expect("bound");
        let response = client.submit_sm(submit("layered")).expect("answered");
        assert_eq!(response.message_id.as_bytes(), b"layered");
        assert!(client.get_ref().get_ref().written > 0);
        client.unbind().expect("unbound");
        mc.join().expect("the MC");
    });
}

// -------------------------------------------------------------------
// Against the crate's SMSC

#[cfg(feature = "tokio")]
#[path = "common/server.rs"]
mod server;

#[cfg(feature = "tokio")]
mod against_the_server {
    use std::sync::{Arc, Mutex};

    use smpp_core::EsmClass;
    use smpp_std::server::{BindRequest, Context, Handler};

    #[cfg(feature = "tls")]
    use smpp_std::client::rustls::{self, ServerConfig};

    /// Without TLS, no server configuration is ever given.
    #[cfg(not(feature = "tls"))]
    enum ServerConfig {}

    use super::*;

    /// An SMSC that checks the password, gives each message its text as
    /// `message_id`, and (if asked) sends a receipt for it.
    #[derive(Default)]
    struct Smsc {
        receipts: bool,
        /// The ESME's answers to the receipts.
        receipt_answers: Arc<Mutex<Vec<CommandStatus>>>,
        closed: Mutex<Vec<CloseReason>>,
    }

    impl Handler for Smsc {
        async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
            server::password_checked(bind)
        }

        async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
            let Body::SubmitSm(sm) = pdu.body else {
                return Answer::Status(CommandStatus::ESME_RINVCMDID);
            };
            if self.receipts {
                let receipt = SubmitSmBuilder::deliver_sm(0)
                    .esm_class(EsmClass::DELIVERY_RECEIPT)
                    .receipted_message_id(sm.short_message.clone())
                    .build()
                    .expect("a valid receipt");
                let session = cx.session().clone();
                let answers = Arc::clone(&self.receipt_answers);
                tokio::spawn(async move {
                    if let Ok(resp) = session.send(receipt.body).await {
                        answers.lock().expect("lock").push(resp.command_status);
                    }
                });
            }
            Answer::MessageId(sm.short_message)
        }

        fn closed(&self, _cx: &Context, reason: CloseReason) {
            self.closed.lock().expect("lock").push(reason);
        }
    }

    /// The SMSC on a runtime of its own.
    struct Running {
        runtime: tokio::runtime::Runtime,
        server: server::Running<Smsc>,
    }

    impl Running {
        fn start(smsc: Smsc) -> Self {
            Self::listening(smsc, None)
        }

        /// The SMSC on plain TCP, or on TLS with `tls` (always `None`
        /// without feature `tls`).
        #[cfg_attr(not(feature = "tls"), allow(clippy::needless_pass_by_value))]
        fn listening(smsc: Smsc, tls: Option<Arc<ServerConfig>>) -> Self {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            let config = Config::mc()
                .with_system_id("SMSC")
                .expect("a system_id")
                .with_timers(quiet(Duration::from_secs(5)));
            let server = runtime.block_on(async move {
                match tls {
                    #[cfg(feature = "tls")]
                    Some(tls) => server::Running::start_tls(smsc, config, tls).await,
                    _ => server::Running::start(smsc, config).await,
                }
            });
            Self { runtime, server }
        }

        /// Waits until `ready` holds, at most five seconds.
        fn until(&self, ready: impl Fn(&Smsc) -> bool) {
            let until = Instant::now() + Duration::from_secs(5);
            while !ready(&self.server.smsc) {
                assert!(Instant::now() < until, "the SMSC never got there");
                thread::sleep(Duration::from_millis(10));
            }
        }

        /// Waits until a session of the SMSC closed as unbound.
        fn until_unbound(&self) {
            self.until(|s| {
                let closed = s.closed.lock().expect("lock");
                closed.contains(&CloseReason::Unbound)
            });
        }

        /// `client` unbinds; once its session closed, the SMSC stops.
        fn unbind_and_stop<S: smpp_std::blocking::Transport>(self, client: &mut Client<S>) {
            client.unbind().expect("unbound");
            self.until_unbound();
            self.stop();
        }

        fn stop(self) -> Arc<Smsc> {
            let Self { runtime, server } = self;
            let stopping =
                async move { tokio::time::timeout(Duration::from_secs(10), server.stop()).await };
            runtime.block_on(stopping).expect("the server stops")
        }
    }

    #[test]
    fn binds_are_accepted_or_refused_by_the_smscs_handler() {
        bounded(Duration::from_secs(30), || {
            let smsc = Running::start(Smsc::default());
            let mut client =
                Client::connect(smsc.server.addr, esme(BindType::Transceiver)).expect("bound");
            assert_eq!(client.system_id().as_bytes(), b"SMSC");

            let wrong = Config::esme(BindType::Transmitter)
                .with_password("wrong")
                .expect("a password");
            let error = Client::connect(smsc.server.addr, wrong).unwrap_err();
            assert_matches!(error, Error::BindRefused(CommandStatus::ESME_RINVPASWD));

            smsc.unbind_and_stop(&mut client);
        });
    }

    #[test]
    fn a_thousand_submits_through_a_window_of_ten_each_matched() {
        const N: usize = 1000;
        bounded(Duration::from_secs(60), || {
            let smsc = Running::start(Smsc::default());
            let config = esme(BindType::Transmitter).with_window(10);
            let mut client = Client::connect(smsc.server.addr, config).expect("bound");
            let texts: Vec<String> = (0..N).map(|n| format!("m{n}")).collect();
            let mut answered = 0;
            for (text, response) in texts
                .iter()
                .zip(client.submit_many(texts.iter().map(|t| submit(t))))
            {
                let response = response.expect("answered");
                assert!(response.is_ok());
                assert_eq!(response.message_id.as_bytes(), text.as_bytes());
                answered += 1;
            }
            assert_eq!(answered, N);
            smsc.unbind_and_stop(&mut client);
        });
    }

    #[test]
    fn receipts_are_received_and_answered() {
        const N: usize = 20;
        bounded(Duration::from_secs(30), || {
            let smsc = Running::start(Smsc {
                receipts: true,
                ..Smsc::default()
            });
            let mut client =
                Client::connect(smsc.server.addr, esme(BindType::Transceiver)).expect("bound");
            let mut ids = BTreeSet::new();
            for n in 0..N {
                let response = client
                    .submit_sm(submit(&format!("r{n}")))
                    .expect("answered");
                ids.insert(response.message_id.as_bytes().to_vec());
            }
            let mut receipted = BTreeSet::new();
            while receipted.len() < N {
                let receipt = take(&mut client);
                let Body::DeliverSm(dlr) = &receipt.pdu().body else {
                    panic!("not a deliver_sm")
                };
                assert!(dlr.esm_class.is_delivery_receipt());
                let id = dlr
                    .tlvs
                    .get(smpp_core::TlvTag::RECEIPTED_MESSAGE_ID)
                    .map(|t| t.as_cstr().to_vec())
                    .expect("receipted_message_id");
                receipted.insert(id);
                receipt.respond(Answer::Ok);
            }
            assert_eq!(receipted, ids, "a receipt for every message");
            client.flush().expect("open");
            smsc.until(|s| s.receipt_answers.lock().expect("lock").len() == N);
            let answers = smsc
                .server
                .smsc
                .receipt_answers
                .lock()
                .expect("lock")
                .clone();
            assert!(
                answers.iter().all(|s| *s == CommandStatus::ESME_ROK),
                "{answers:?}"
            );
            client.unbind().expect("unbound");
            smsc.stop();
        });
    }
    #[cfg(feature = "tls")]
    #[test]
    fn a_rustls_stream_over_the_socket_carries_the_session() {
        const N: usize = 200;
        bounded(Duration::from_secs(30), || {
            let (server_tls, client_tls) = server::pki();
            let smsc = Running::listening(Smsc::default(), Some(server_tls));
            let tcp = TcpStream::connect(smsc.server.addr).expect("connected");
            let socket = tcp.try_clone().expect("a second handle");
            let name = rustls::pki_types::ServerName::try_from("localhost").expect("a name");
            let tls = rustls::ClientConnection::new(client_tls, name).expect("a TLS client");
            let stream = WithSocket::new(rustls::StreamOwned::new(tls, tcp), socket);
            let config = esme(BindType::Transceiver).with_window(10);
            let mut client = Client::bind(stream, config).expect("bound over TLS");
            assert_eq!(client.system_id().as_bytes(), b"SMSC");
            let texts: Vec<String> = (0..N).map(|n| format!("tls {n}")).collect();
            let answered = client
                .submit_many(texts.iter().map(|t| submit(t)))
                .zip(&texts)
                .filter(|(r, t)| {
                    r.as_ref()
                        .is_ok_and(|r| r.message_id.as_bytes() == t.as_bytes())
                })
                .count();
            assert_eq!(answered, N);
            assert!(!client.get_ref().get_ref().conn.is_handshaking());
            smsc.unbind_and_stop(&mut client);
        });
    }
}

#[test]
fn clients_and_requests_move_between_threads() {
    fn send<T: Send>() {}
    send::<Client>();
    send::<Client<WithSocket<TcpStream>>>();
    send::<Request>();
    send::<Error>();
}
